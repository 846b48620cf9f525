# SPDX-License-Identifier: GPL-2.0
# Drop-in: with the opt-in modprobe.d alias, "modprobe zram" loads zram_rs
# (the C zram.ko is present too), and the distro tools run unmodified:
# Debian's zram-tools (zramswap) and systemd's zram-generator.
. ./lib.sh
[ -f /lib/modules/$(uname -r)/kernel/drivers/block/zram/zram.ko ] || fail "the C zram.ko is not in the module tree"
mkdir -p /etc/modprobe.d
cp /usr/share/zram-rs/etc/modprobe.d/zram-rs.conf /etc/modprobe.d/ || fail "no staged alias file"

modprobe zram num_devices=2 || fail "modprobe zram num_devices=2"
[ -d /sys/module/zram_rs ] || fail "modprobe zram did not load zram_rs"
[ -d /sys/module/zram ] && fail "modprobe zram loaded the C zram"
[ -b /dev/zram0 ] && [ -b /dev/zram1 ] && [ ! -e /dev/zram2 ] || fail "num_devices=2 not passed on: $(ls /dev/zram*)"
modprobe -r zram || fail "modprobe -r zram"
[ -d /sys/module/zram_rs ] && fail "modprobe -r zram left zram_rs loaded"

# Debian zram-tools: its config file is honoured.
cat > /etc/default/zramswap <<'CONF'
ALGO=zstd
SIZE=64
PRIORITY=50
CONF
zramswap start || fail "zramswap start"
[ -d /sys/module/zram_rs ] || fail "zramswap did not load zram_rs"
expect_eq "zramswap priority" "$(awk '$1 == "/dev/zram0" { print $5 }' /proc/swaps)" 50
expect_eq "zramswap algorithm" "$(grep -o '\[[a-z0-9-]*\]' /sys/block/zram0/comp_algorithm)" "[zstd]"
expect_eq "zramswap size" "$(cat /sys/block/zram0/disksize)" $((64 << 20))
zramswap status | grep -q zstd || fail "zramswap status"
zramswap stop || fail "zramswap stop"
grep -q zram0 /proc/swaps && fail "swap still on after zramswap stop"
[ -d /sys/module/zram_rs ] && fail "zramswap stop left zram_rs loaded"

# systemd zram-generator: what systemd-zram-setup@zram0.service runs, then
# the swapon that the generated swap unit does.
mkdir -p /etc/systemd
cat > /etc/systemd/zram-generator.conf <<'CONF'
[zram0]
zram-size = 48
compression-algorithm = lz4
swap-priority = 60
CONF
gen=/lib/systemd/system-generators/zram-generator
modprobe zram || fail "modprobe zram (as modules-load.d does)"
$gen --setup-device zram0 || fail "zram-generator --setup-device"
expect_eq "generator algorithm" "$(grep -o '\[[a-z0-9-]*\]' /sys/block/zram0/comp_algorithm)" "[lz4]"
expect_eq "generator size" "$(cat /sys/block/zram0/disksize)" $((48 << 20))
blkid /dev/zram0 | grep -q 'TYPE="swap"' || fail "systemd-makefs made no swap: $(blkid /dev/zram0)"
swapon -p 60 /dev/zram0 || fail "swapon"
expect_eq "generator swap priority" "$(awk '$1 == "/dev/zram0" { print $5 }' /proc/swaps)" 60
swapoff /dev/zram0
$gen --reset-device zram0 || fail "zram-generator --reset-device"
expect_eq "initstate after --reset-device" "$(cat /sys/block/zram0/initstate)" 0
modprobe -r zram || fail "modprobe -r zram (2)"
rm -f /etc/modprobe.d/zram-rs.conf /etc/default/zramswap /etc/systemd/zram-generator.conf
# Without the alias, "modprobe zram" is the C zram again.
modprobe zram && [ -d /sys/module/zram ] || fail "C zram not loadable without the alias"
rmmod zram
log "ok: alias, zramswap start/stop, zram-generator setup/reset on zram_rs"
