# SPDX-License-Identifier: GPL-2.0
# Module removal against sysfs (the 2021 zram bug): writers loop on
# disksize, reset, comp_algorithm, mem_limit, hot_add and hot_remove of
# several devices while the module is removed and loaded again. Every write
# works or fails with a clean errno; the harness fails the run on any
# splat ("Removing state N which has instances left", UAF, lockdep) or hang.
. ./lib.sh
secs=${SOAK:-20}
ok_errno=" OK ENOENT ENODEV EBUSY EINVAL "
rm -f /tmp/race.stop /tmp/race.bad

writer() { # device id
	local n=0 r f v op
	while [ ! -e /tmp/race.stop ]; do
		for op in "disksize 8M" "comp_algorithm lz4" "mem_limit 4M" \
			"reset 1" "comp_algorithm lzo-rle" "disksize 4M" "reset 1"; do
			f=/sys/block/zram$1/${op%% *} v=${op#* }
			r=$(zrs-write "$f" "$v")
			case "$ok_errno" in *" $r "*) ;; *) echo "$f <- $v: $r" >> /tmp/race.bad ;; esac
			n=$((n + 1))
		done
		echo $n > /tmp/race.w$1
	done
}
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

modprobe zram_rs num_devices=3 || fail "modprobe"
for i in 0 1 2; do writer $i & done
control &
end=$(( $(date +%s) + secs ))
cycles=0 busy=0
while [ "$(date +%s)" -lt $end ]; do
	if rmmod zram_rs 2>/dev/null; then
		cycles=$((cycles + 1))
		[ -e /sys/class/zram-control ] && fail "zram-control still there after rmmod"
	else
		busy=$((busy + 1))
	fi
	modprobe zram_rs num_devices=3 2>/dev/null
done
touch /tmp/race.stop
wait
ops=0
for f in /tmp/race.w0 /tmp/race.w1 /tmp/race.w2 /tmp/race.ctl; do
	[ -e $f ] && ops=$((ops + $(cat $f)))
done
[ -s /tmp/race.bad ] && fail "unexpected errno: $(sort /tmp/race.bad | uniq -c | head -5 | tr '\n' '|')"
[ $cycles -ge 3 ] || fail "only $cycles unload cycles in ${secs}s"
rmmod zram_rs 2>/dev/null
modprobe zram_rs && echo 64M > /sys/block/zram0/disksize || fail "module unusable after the race"
zram_unload
log "ok: $cycles rmmod/modprobe cycles ($busy refused), $ops sysfs operations, all with clean errno"
