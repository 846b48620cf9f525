# SPDX-License-Identifier: GPL-2.0
# Drop-in: installed as a package installs it (ours as zram.ko under
# updates/, which depmod prefers to the kernel's own zram.ko), everything
# that names "zram" gets ours: modprobe, rmmod, modprobe -r, lsmod,
# /sys/module/zram, Debian's zram-tools (zramswap) and systemd's
# zram-generator. Uninstalled, "modprobe zram" is the C zram again.
# The staged updates/ tree is `make install`'s on our kernels and what
# `dkms install` left on Debian's (scripts/debian-kernel.sh).
. ./lib.sh
krel=$(uname -r)
tree=/lib/modules/$krel
ls $tree/kernel/drivers/block/zram/zram.ko* >/dev/null 2>&1 || fail "the C zram.ko is not in the module tree"
staged=$(cd /usr/share/zram-rs/updates 2>/dev/null && find . -name 'zram.ko*' | head -1)
[ -n "$staged" ] || fail "no staged updates/ tree with zram.ko"
staged=${staged#./}

# Ours, or the C zram? Ours describes itself as the Rust one.
is_ours() { modinfo -F description zram 2>/dev/null | grep -q 'in Rust'; }
uninstall() {
	rm -f "$tree/updates/$staged"
	find $tree/updates -depth -type d -empty -delete 2>/dev/null
	depmod
}
trap uninstall EXIT

mkdir -p $tree/updates
cp -a /usr/share/zram-rs/updates/. $tree/updates/
depmod || fail "depmod"
expect_eq "modinfo -n zram" "$(modinfo -n zram)" "$tree/updates/$staged"
is_ours || fail "modinfo zram does not describe zram-rs: $(modinfo -F description zram)"

dmesg -c >/dev/null
modprobe zram num_devices=2 || fail "modprobe zram num_devices=2"
dmesg | grep -q 'zram-rs loaded' || fail "modprobe zram did not load ours: $(dmesg | tail -3)"
lsmod | grep -qw '^zram' || fail "lsmod shows no zram"
[ -d /sys/module/zram_rs ] && fail "/sys/module/zram_rs exists: ours must be named zram"
# module_param(num_devices, uint, 0) in C: no sysfs file. Whatever is
# there must be what the C zram has (compared after uninstall below).
params_ours=$(ls /sys/module/zram/parameters 2>/dev/null | xargs)
[ -b /dev/zram0 ] && [ -b /dev/zram1 ] && [ ! -e /dev/zram2 ] || fail "num_devices=2 not passed on: $(ls /dev/zram*)"
echo 16M > /sys/block/zram0/disksize || fail "disksize on ours"
rmmod zram || fail "rmmod zram"
[ -d /sys/module/zram ] && fail "rmmod zram left /sys/module/zram"
[ -e /dev/zram0 ] && fail "rmmod zram left /dev/zram0"
lsmod | grep -qw '^zram' && fail "lsmod still shows zram after rmmod"
modprobe zram || fail "modprobe zram (2)"
modprobe -r zram || fail "modprobe -r zram"
[ -d /sys/module/zram ] && fail "modprobe -r zram left it loaded"

# Debian zram-tools: its config file is honoured.
cat > /etc/default/zramswap <<'CONF'
ALGO=zstd
SIZE=64
PRIORITY=50
CONF
dmesg -c >/dev/null
zramswap start || fail "zramswap start"
dmesg | grep -q 'zram-rs loaded' || fail "zramswap did not load ours"
expect_eq "zramswap priority" "$(awk '$1 == "/dev/zram0" { print $5 }' /proc/swaps)" 50
expect_eq "zramswap algorithm" "$(grep -o '\[[a-z0-9-]*\]' /sys/block/zram0/comp_algorithm)" "[zstd]"
expect_eq "zramswap size" "$(cat /sys/block/zram0/disksize)" $((64 << 20))
zramswap status | grep -q zstd || fail "zramswap status"
zramswap stop || fail "zramswap stop"
grep -q zram0 /proc/swaps && fail "swap still on after zramswap stop"
[ -d /sys/module/zram ] && fail "zramswap stop left zram loaded"

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
dmesg -c >/dev/null
modprobe zram || fail "modprobe zram (as modules-load.d does)"
dmesg | grep -q 'zram-rs loaded' || fail "modprobe zram (3) did not load ours"
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
rm -f /etc/default/zramswap /etc/systemd/zram-generator.conf

# Uninstalled: "modprobe zram" is the kernel's C zram again.
uninstall
trap - EXIT
case $(modinfo -n zram) in
$tree/kernel/drivers/block/zram/zram.ko*) ;;
*) fail "after uninstall modinfo -n zram is $(modinfo -n zram)" ;;
esac
is_ours && fail "after uninstall modinfo zram still describes zram-rs"
dmesg -c >/dev/null
modprobe zram || fail "C zram not loadable after uninstall"
dmesg | grep -q 'zram-rs loaded' && fail "modprobe zram loaded ours after uninstall"
[ -d /sys/module/zram ] || fail "no /sys/module/zram for the C zram"
expect_eq "/sys/module/zram/parameters: ours vs C" "$params_ours" "$(ls /sys/module/zram/parameters 2>/dev/null | xargs)"
rmmod zram
log "ok: installed as zram.ko: modprobe/rmmod/modprobe -r zram, zramswap, zram-generator on ours; uninstalled: the C zram"
