# SPDX-License-Identifier: GPL-2.0
# util-linux zramctl creates, lists, resizes and resets our devices.
. ./lib.sh
zram_load num_devices=0
dev=$(zramctl --find --size 64M --algorithm lz4) || fail "zramctl --find"
expect_eq "zramctl --find" "$dev" /dev/zram0
expect_eq "algorithm set by zramctl" "$(grep -o '\[[a-z0-9-]*\]' /sys/block/zram0/comp_algorithm)" "[lz4]"
expect_eq "disksize set by zramctl" "$(cat /sys/block/zram0/disksize)" 67108864
textdata 4194304 > /tmp/t
dd if=/tmp/t of=$dev bs=64k oflag=direct 2>/dev/null || fail write
zramctl --output NAME,ALGORITHM,DISKSIZE,DATA,COMPR,TOTAL --bytes --noheadings > /tmp/list
cat /tmp/list
read -r name alg size data compr total < /tmp/list
expect_eq name "$name" /dev/zram0
expect_eq algorithm "$alg" lz4
expect_eq disksize "$size" 67108864
expect_eq data "$data" 4194304
[ "$compr" -gt 0 ] && [ "$compr" -lt "$data" ] || fail "COMPR $compr for DATA $data"
# --reset resets the device and, with zram-control, hot_removes it.
zramctl --reset $dev || fail "zramctl --reset"
[ -e /sys/block/zram0 ] && fail "zram0 still there after zramctl --reset"
# Resize = find again with a new size.
dev2=$(zramctl --find --size 32M --algorithm zstd) || fail "zramctl --find (2)"
expect_eq "second --find reuses zram0" "$dev2" /dev/zram0
expect_eq "new disksize" "$(cat /sys/block/zram0/disksize)" 33554432
zramctl | grep -q "^/dev/zram0 *zstd *32M" || fail "zramctl listing: $(zramctl)"
zramctl --reset $dev2 || fail "zramctl --reset (2)"
zram_unload
log "ok: zramctl find/list/resize/reset"
