# SPDX-License-Identifier: GPL-2.0
# Module removal against sysfs (the 2021 zram bug): writers loop on
# disksize, reset, comp_algorithm, mem_limit, hot_add and hot_remove of
# several devices, and on the post-processing files (backing_dev, idle,
# writeback, recomp_algorithm, recompress, debugfs block_state) with data
# on the devices, while the module is removed and loaded again. Every write
# works or fails with a clean errno; the harness fails the run on any
# splat ("Removing state N which has instances left", UAF, lockdep) or hang.
# ZRS_DRIVER=c (zram-modrace@c) runs the same race on the in-tree C zram.
# ZRS_UNIT (zram-modrace@unit): unit_size joins the race, and the data go
# in as whole units (zrs-unitio, from a huge page).
. ./lib.sh
secs=${SOAK:-20}
M=$(driver_module)
ok_errno=" OK ENOENT ENODEV EBUSY EINVAL ENOSPC EIO "
rm -f /tmp/race.stop /tmp/race.bad
modprobe brd rd_nr=3 rd_size=8192 || fail "modprobe brd"

# zram-modrace@async: the devices compress with the asynchronous test
# algorithm, so module removal races requests completing from its
# workqueue. Data goes in every round then, each load stays 3 s before the
# next rmmod (on the debug kernel under TCG a writer may otherwise never
# see its device with data), and the module must still compress with it
# after the race.
alg=lz4 alg2=lzo-rle pre= every=3 gap=0 dsz=16384
[ "${ZRS_ASYNC:-0}" = 1 ] && alg=$ASYNC_ALGO alg2=$ASYNC_ALGO pre="comp_algorithm $ASYNC_ALGO" every=1 gap=3
[ -n "$ZRS_UNIT" ] && pre="unit_size $ZRS_UNIT" dsz=$ZRS_UNIT && thp_always
# The data, in one write: whole units from a huge page with ZRS_UNIT.
put() { # device (as a path that open(2) will not create)
	if [ -n "$ZRS_UNIT" ]; then
		zrs-unitio "$1" put /tmp/d
	else
		dd if=/tmp/d of="$1" bs=64k oflag=direct 2>/dev/null
	fi
}
writer() { # device id
	local n=0 r f v op round=0
	while [ ! -e /tmp/race.stop ]; do
		round=$((round + 1))
		for op in "backing_dev /dev/ram$1" "recomp_algorithm algo=lzo" ${pre:+"$pre"} \
			"disksize 8M" "comp_algorithm $alg" "mem_limit 4M" "data" \
			"idle all" "writeback huge" "recompress type=idle" "writeback idle" \
			"state" "reset 1" "comp_algorithm $alg2" "disksize 4M" "reset 1"; do
			case $op in
			data)	# Opening the disk holds the module (rmmod fails with
				# EBUSY meanwhile): every third round, every round
				# with @async.
				[ $((round % every)) = 0 ] || continue
				# Through an fd opened without O_CREAT: while the
				# module is out there is no /dev/zramN, and dd must
				# not leave a regular file in its place for the next
				# load (and test) to trip on.
				put /proc/self/fd/3 3</dev/zram$1
				n=$((n + 1)); continue ;;
			state)
				cat /sys/kernel/debug/zram/zram$1/block_state > /dev/null 2>&1
				n=$((n + 1)); continue ;;
			esac
			f=/sys/block/zram$1/${op%% *} v=${op#* }
			r=$(zrs-write "$f" "$v")
			case "$ok_errno" in *" $r "*) ;; *) echo "$f <- $v: $r" >> /tmp/race.bad ;; esac
			n=$((n + 1))
		done
		echo $n > /tmp/race.w$1
	done
}
head -c $dsz /dev/urandom > /tmp/d
textdata $dsz >> /tmp/d
control() {
	local n=0 r id
	while [ ! -e /tmp/race.stop ]; do
		id=$(cat /sys/class/zram-control/hot_add 2>/dev/null) && n=$((n + 1))
		for id in 3 4 5; do
			r=$(zrs-write /sys/class/zram-control/hot_remove $id)
			case "$ok_errno" in *" $r "*) ;; *) echo "hot_remove $id: $r" >> /tmp/race.bad ;; esac
			n=$((n + 1))
		done
		echo $n > /tmp/race.ctl
	done
}

modprobe $M num_devices=3 || fail "modprobe $M"
for i in 0 1 2; do writer $i & done
control &
# At least secs, and on until 3 unload cycles (up to 6 x secs): an unload
# waits for the handlers inside (a writeback, a recompression) and only
# succeeds in a moment when no writer holds a device open. On the debug
# kernel under TCG one cycle (unload, load with 3 devices) takes 10-50 s.
start=$(date +%s)
cycles=0 busy=0
while now=$(date +%s); [ $now -lt $((start + secs)) ] ||
	{ [ $cycles -lt 3 ] && [ $now -lt $((start + 6 * secs)) ]; }; do
	if rmmod $M 2>/dev/null; then
		cycles=$((cycles + 1))
		[ -e /sys/class/zram-control ] && fail "zram-control still there after rmmod"
	else
		busy=$((busy + 1))
	fi
	modprobe $M num_devices=3 2>/dev/null
	sleep $gap
done
touch /tmp/race.stop
wait
ops=0
for f in /tmp/race.w0 /tmp/race.w1 /tmp/race.w2 /tmp/race.ctl; do
	[ -e $f ] && ops=$((ops + $(cat $f)))
done
racereq=
[ -e /sys/module/zrs_async_acomp ] &&
	racereq=" race_requests=$(cat /sys/module/zrs_async_acomp/parameters/completed)"
[ -s /tmp/race.bad ] && fail "unexpected errno: $(sort /tmp/race.bad | uniq -c | head -5 | tr '\n' '|')"
[ "$racereq" = " race_requests=0" ] && fail "no request through $alg during the race"
[ $cycles -ge 2 ] || fail "only $cycles unload cycles in $(( $(date +%s) - start ))s"
rmmod $M 2>/dev/null
modprobe $M && echo $alg > /sys/block/zram0/comp_algorithm &&
	{ [ -z "$ZRS_UNIT" ] || echo $ZRS_UNIT > /sys/block/zram0/unit_size; } &&
	echo 64M > /sys/block/zram0/disksize || fail "module unusable after the race"
put /dev/zram0 && cmp -n $((2 * dsz)) /tmp/d /dev/zram0 || fail "data through $alg corrupted after the race"
if [ -n "$ZRS_UNIT" ]; then
	[ "$(awk '{ print $2 }' /sys/block/zram0/unit_stat)" -gt 0 ] ||
		fail "no unit written after the race: $(cat /sys/block/zram0/unit_stat)"
fi
zram_unload
for f in /dev/zram*; do
	[ -e "$f" ] && [ ! -b "$f" ] && fail "$f is not a block device after the race"
done
thp_restore
emit "driver=$M cycles=$cycles refused=$busy ops=$ops$racereq"
log "ok ($M): $cycles rmmod/modprobe cycles ($busy refused), $ops sysfs operations, all with clean errno"
