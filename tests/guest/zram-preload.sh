# SPDX-License-Identifier: GPL-2.0
# Preload: initialising a device with an algorithm whose module is not
# loaded yet, while CPUs go offline and online. The module must be loaded
# by the lookup before the hotplug instance is added (no modprobe under
# cpus_read_lock): lockdep-clean (harness), no hang (time limit).
. ./lib.sh
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
	grep -q "^$mod " /proc/modules && fail "cannot unload $mod before the test"
	expect_write $d/disksize 32M OK
	grep -q "^$mod " /proc/modules || fail "$mod not loaded after disksize with $algo"
	dd if=/tests/lib.sh of=/dev/zram0 bs=4k count=1 conv=sync oflag=direct 2>/dev/null || fail "write with $algo"
	expect_write $d/reset 1 OK
	tried=$((tried + 1))
done
flips=$(hp_storm_stop)
expect_eq "algorithms tried" $tried 5
zram_unload
log "ok: 5 algorithms loaded on first use during $flips CPU state changes"
