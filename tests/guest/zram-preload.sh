# SPDX-License-Identifier: GPL-2.0
# Preload: initialising a device with an algorithm whose module is not
# loaded yet, while CPUs go offline and online. The module must be loaded
# by the lookup before the hotplug instance is added (no modprobe under
# cpus_read_lock): lockdep-clean (harness), no hang (time limit).
# Each secondary (recompression) algorithm gets its own compressor, preloaded
# by the same rule: zstd and deflate as recomp_algorithm, modules unloaded.
# ZRS_DRIVER=c runs the same storm on the in-tree C zram, whose backends are
# built in (it loads no module, so only the storm and the cycles apply).
. ./lib.sh
rs() { [ "${ZRS_DRIVER:-rs}" = rs ]; }
zram_load
d=/sys/block/zram0
hp_storm_start
tried=0
for a in lz4:lz4 lzo:lzo lzo-rle:lzo_rle zstd:zstd deflate:deflate; do
	algo=${a%%:*} mod=${a##*:}
	expect_write $d/comp_algorithm $algo OK
	# The store looked the algorithm up (and loaded it); unload it again so
	# that disksize must load it.
	rmmod $mod 2>/dev/null
	rs && grep -q "^$mod " /proc/modules && fail "cannot unload $mod before the test"
	expect_write $d/disksize 32M OK
	rs && { grep -q "^$mod " /proc/modules || fail "$mod not loaded after disksize with $algo"; }
	dd if=/tests/lib.sh of=/dev/zram0 bs=4k count=1 conv=sync oflag=direct 2>/dev/null || fail "write with $algo"
	expect_write $d/reset 1 OK
	tried=$((tried + 1))
done
# Secondary algorithms: two more compressors, each preloaded.
expect_write $d/comp_algorithm lz4 OK
expect_write $d/recomp_algorithm "algo=zstd" OK
expect_write $d/recomp_algorithm "algo=deflate priority=2" OK
rmmod zstd deflate 2>/dev/null
expect_write $d/disksize 32M OK
if rs; then
	for mod in zstd deflate; do
		grep -q "^$mod " /proc/modules || fail "$mod not loaded by disksize as a recompression algorithm"
	done
fi
textdata 65536 | dd of=/dev/zram0 bs=64k oflag=direct 2>/dev/null || fail "write before recompress"
expect_write $d/recompress "" OK
expect_write $d/reset 1 OK
flips=$(hp_storm_stop)
expect_eq "algorithms tried" $tried 5
zram_unload
emit "driver=$(driver_module) algorithms=7 flips=$flips"
log "ok ($(driver_module)): 5 primary and 2 recompression algorithms set up during $flips CPU state changes"
