# SPDX-License-Identifier: GPL-2.0
# Swap on zram: mkswap + swapon, then a workload that needs four times the
# memory it is allowed (a memory cgroup), every byte verified. Meanwhile
# idle pages are written back to a ram disk and recompressed in a loop, as
# on a phone, so swap-ins also come from the backing device.
# ZRS_DRIVER=c (zram-swap@c) runs the same on the in-tree C zram.
. ./lib.sh
zram_load
modprobe brd rd_nr=1 rd_size=65536 || fail "modprobe brd"
echo /dev/ram0 > /sys/block/zram0/backing_dev || fail backing_dev
echo algo=zstd > /sys/block/zram0/recomp_algorithm || fail recomp_algorithm
echo 512M > /sys/block/zram0/disksize || fail disksize
mkswap /dev/zram0 > /tmp/mkswap.out || fail "mkswap: $(cat /tmp/mkswap.out)"
swapon /dev/zram0 || fail swapon
grep -q '^/dev/zram0 ' /proc/swaps || fail "zram0 not in /proc/swaps"

echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mkdir -p /sys/fs/cgroup/zrs
[ -e /sys/fs/cgroup/zrs/memory.max ] || skip "no memory cgroup controller"
echo 24M > /sys/fs/cgroup/zrs/memory.max
rm -f /tmp/pp.stop
(
	n=0
	while [ ! -e /tmp/pp.stop ]; do
		sleep 1
		echo all > /sys/block/zram0/idle
		r=$(zrs-write /sys/block/zram0/recompress "type=idle max_pages=2000")
		[ "$r" = OK ] || echo "recompress: $r" >> /tmp/pp.bad
		r=$(zrs-write /sys/block/zram0/writeback idle)
		case $r in OK | ENOSPC) ;; *) echo "writeback: $r" >> /tmp/pp.bad ;; esac
		n=$((n + 1)); echo $n > /tmp/pp.count
	done
) &
pp=$!
# 96 MiB in a 24 MiB cgroup: every page is written, then read and checked.
sh -c 'echo $$ > /sys/fs/cgroup/zrs/cgroup.procs && exec zrs-memtest 96 1' > /tmp/memtest.out
rc=$?
touch /tmp/pp.stop
wait $pp
[ -e /tmp/pp.bad ] && fail "post-processing during swap: $(sort -u /tmp/pp.bad | head -3 | xargs)"
cat /tmp/memtest.out
bd=$(cat /sys/block/zram0/bd_stat)
echo "bd_stat: $bd, $(cat /tmp/pp.count 2>/dev/null) writeback/recompress rounds"
[ "$(echo $bd | awk '{print $3}')" -gt 0 ] || fail "nothing written back during the run"
[ "$(echo $bd | awk '{print $2}')" -gt 0 ] || fail "no swap-in came from the backing device"
[ $rc = 0 ] || fail "memtest: $(cat /tmp/memtest.out)"
grep -q "pages=24576 mismatches=0" /tmp/memtest.out || fail "memtest: $(cat /tmp/memtest.out)"
swapped=$(awk '/^pswpout/ {print $2}' /proc/vmstat)
[ "$swapped" -gt 12288 ] || fail "only $swapped pages swapped out"
echo "mm_stat: $(cat /sys/block/zram0/mm_stat)"
zramctl
rmdir /sys/fs/cgroup/zrs
swapoff /dev/zram0 || fail swapoff
# Swap freed its slots (swap_slot_free_notify/discard): only the swap
# header page that mkswap wrote is left, plus any page whose free
# notification found its slot locked (by the writeback loop, racing with
# the memtest's exit) and was counted in debug_stat's miss_free instead,
# as in C.
miss=$(awk 'NR == 2 { print $2 }' /sys/block/zram0/debug_stat)
left=$(( $(mm 0 1) / 4096 ))
echo "pages left after swapoff: $left, missed frees: $miss"
[ "$left" -ge 1 ] && [ "$left" -le $((1 + miss)) ] ||
	fail "pages stored after swapoff: $left, want 1 (+ $miss missed frees)"
zram_unload
emit "driver=$(driver_module) swapped=$swapped bd_stat=$(echo $bd | tr " " ",")"
log "ok ($(driver_module)): 96 MiB through a 24 MiB cgroup, $swapped pages swapped out, $(echo $bd | awk "{print \$3}") written back and $(echo $bd | awk "{print \$2}") read from the backing device, all verified"
