# SPDX-License-Identifier: GPL-2.0
# Swap on zram: mkswap + swapon, then a workload that needs four times the
# memory it is allowed (a memory cgroup), every byte verified.
. ./lib.sh
zram_load
echo 512M > /sys/block/zram0/disksize || fail disksize
mkswap /dev/zram0 > /tmp/mkswap.out || fail "mkswap: $(cat /tmp/mkswap.out)"
swapon /dev/zram0 || fail swapon
grep -q '^/dev/zram0 ' /proc/swaps || fail "zram0 not in /proc/swaps"

echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mkdir -p /sys/fs/cgroup/zrs
[ -e /sys/fs/cgroup/zrs/memory.max ] || skip "no memory cgroup controller"
echo 24M > /sys/fs/cgroup/zrs/memory.max
# 96 MiB in a 24 MiB cgroup: every page is written, then read and checked.
sh -c 'echo $$ > /sys/fs/cgroup/zrs/cgroup.procs && exec zrs-memtest 96 1' > /tmp/memtest.out
rc=$?
cat /tmp/memtest.out
[ $rc = 0 ] || fail "memtest: $(cat /tmp/memtest.out)"
grep -q "pages=24576 mismatches=0" /tmp/memtest.out || fail "memtest: $(cat /tmp/memtest.out)"
swapped=$(awk '/^pswpout/ {print $2}' /proc/vmstat)
[ "$swapped" -gt 12288 ] || fail "only $swapped pages swapped out"
echo "mm_stat: $(cat /sys/block/zram0/mm_stat)"
zramctl
rmdir /sys/fs/cgroup/zrs
swapoff /dev/zram0 || fail swapoff
# Swap freed its slots (swap_slot_free_notify/discard): only the swap
# header page that mkswap wrote is left.
expect_eq "pages stored after swapoff" "$(mm 0 1)" 4096
zram_unload
log "ok: 96 MiB through a 24 MiB cgroup, $swapped pages swapped out, all verified"
