# SPDX-License-Identifier: GPL-2.0
# zram_rs and the in-tree zram are alternatives: loading one while the
# other is loaded fails with an errno, and ours says why in one line.
. ./lib.sh
modprobe zram || fail "modprobe zram (C)"
dmesg -c > /dev/null
modprobe zram_rs 2>/tmp/err && fail "zram_rs loaded beside the C zram"
# init returns -EEXIST; the module loader reports it as EBUSY (it keeps
# EEXIST for "already loaded").
grep -q "Device or resource busy" /tmp/err || fail "zram_rs load error: $(cat /tmp/err)"
dmesg > /tmp/dmesg
cat /tmp/dmesg
grep -q "zram-control exists: the in-tree zram is loaded" /tmp/dmesg || fail "no explanation in the log"
expect_eq "kernel lines from the failed load" "$(grep zram_rs /tmp/dmesg | grep -vc 'taints kernel')" 1
rmmod zram || fail "rmmod zram"

# The reverse: the C zram refuses to load beside ours. Its class_register()
# prints sysfs's duplicate-name warning (with a stack dump) and "Unable to
# register zram-control class": expected here, so cleared after checking.
modprobe zram_rs || fail "modprobe zram_rs"
dmesg -c > /dev/null
modprobe zram 2>/tmp/err && fail "the C zram loaded beside zram_rs"
dmesg -c > /tmp/dmesg
grep -q "Unable to register zram-control class" /tmp/dmesg || fail "C zram did not say why: $(cat /tmp/dmesg | head -3)"
[ -d /sys/block/zram0 ] || fail "our zram0 disappeared"
echo 16M > /sys/block/zram0/disksize || fail "our device unusable after the clash"
zram_unload
log "ok: each driver refuses to load beside the other"
