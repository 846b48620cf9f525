# SPDX-License-Identifier: GPL-2.0
# Large folios (mTHP) through swap on zram: with 64 KiB anonymous folios
# enabled, a workload twice the size of its memory cgroup is swapped out
# and back in, every byte verified. The kernel writes each 64 KiB folio to
# a SWP_SYNCHRONOUS_IO device as one bio of one multi-page bvec, and reads
# it back whole when it can (mm/page_io.c, do_swap_page); the folio
# counters in hugepages-64kB/stats must show both, and none of it may go
# wrong. Needs a kernel with CONFIG_THP_SWAP (Debian's; the project's own
# kernels are built without THP) and zswap never enabled.
# ZRS_DRIVER=c (zram-mthp@c) runs the same on the in-tree C zram;
# ZRS_UNIT (zram-mthp@unit) sets our unit_size, and then the folios must
# have been stored as units, and some swapped-in pages read from them.
. ./lib.sh
T=/sys/kernel/mm/transparent_hugepage
[ -d $T/hugepages-64kB ] || skip "kernel without mTHP (CONFIG_TRANSPARENT_HUGEPAGE)"
[ "$(cat /sys/module/zswap/parameters/enabled 2>/dev/null || echo N)" = N ] ||
	skip "zswap enabled: large folios would not reach the device"
st=$T/hugepages-64kB/stats
counters() { # -> "swpout swpout_fallback swpin swpin_fallback"
	cat $st/swpout $st/swpout_fallback $st/swpin $st/swpin_fallback | xargs
}
echo never > $T/enabled
echo always > $T/hugepages-64kB/enabled
zram_load
if [ -n "$ZRS_UNIT" ]; then
	echo $ZRS_UNIT > /sys/block/zram0/unit_size || fail "unit_size $ZRS_UNIT"
fi
echo 256M > /sys/block/zram0/disksize || fail disksize
mkswap /dev/zram0 > /dev/null || fail mkswap
swapon /dev/zram0 || fail swapon
echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mkdir -p /sys/fs/cgroup/zrs
[ -e /sys/fs/cgroup/zrs/memory.max ] || skip "no memory cgroup controller"
echo 32M > /sys/fs/cgroup/zrs/memory.max
read -r out0 fb0 in0 infb0 < <(counters)
# Twice through (once with units, which run on the debug kernel too).
passes=2
[ -n "$ZRS_UNIT" ] && passes=1
sh -c 'echo $$ > /sys/fs/cgroup/zrs/cgroup.procs && exec zrs-memtest 64 '$passes > /tmp/memtest.out
rc=$?
read -r out1 fb1 in1 infb1 < <(counters)
cat /tmp/memtest.out
echo "hugepages-64kB: swpout $((out1 - out0)) (fallback $((fb1 - fb0))), swpin $((in1 - in0)) (fallback $((infb1 - infb0)))"
echo "mm_stat: $(cat /sys/block/zram0/mm_stat)"
us=
if [ -n "$ZRS_UNIT" ]; then
	read -r _ uw upr spl fbk < /sys/block/zram0/unit_stat
	us=" unit_writes=$uw unit_page_reads=$upr unit_splits=$spl unit_fallbacks=$fbk"
	echo "unit_stat: $(cat /sys/block/zram0/unit_stat)"
fi
echo never > $T/hugepages-64kB/enabled
rmdir /sys/fs/cgroup/zrs
swapoff /dev/zram0 || fail swapoff
zram_unload
[ $rc = 0 ] && grep -q "pages=$((16384 * passes)) mismatches=0" /tmp/memtest.out ||
	fail "memtest: $(cat /tmp/memtest.out)"
[ $((out1 - out0)) -gt 0 ] || fail "no 64 KiB folio was swapped out whole"
[ $((in1 - in0)) -gt 0 ] || fail "no 64 KiB folio was swapped in whole"
if [ -n "$ZRS_UNIT" ]; then
	[ "$uw" -gt 0 ] || fail "no folio stored as a unit"
fi
emit "driver=$(driver_module) swpout_64k=$((out1 - out0)) swpout_fallback=$((fb1 - fb0)) swpin_64k=$((in1 - in0)) swpin_fallback=$((infb1 - infb0))$us"
log "ok ($(driver_module)): $((out1 - out0)) 64 KiB folios out and $((in1 - in0)) in whole, no mismatch"
