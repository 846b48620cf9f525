# SPDX-License-Identifier: GPL-2.0
# A filesystem on zram: mkfs.ext4, mount, write, unmount, fsck -f clean,
# remount and verify.
. ./lib.sh
zram_load
echo 128M > /sys/block/zram0/disksize || fail disksize
mkfs.ext4 -q /dev/zram0 || fail mkfs.ext4
mkdir -p /mnt/z
mount -t ext4 /dev/zram0 /mnt/z || fail mount
cp -a /tests /mnt/z/ || fail "copy tests"
head -c 33554432 /dev/urandom > /mnt/z/rand || fail "write random file"
textdata 16777216 > /mnt/z/text || fail "write text file"
sha256sum /mnt/z/rand /mnt/z/text > /tmp/sums
rm -rf /mnt/z/tests/lib.sh
umount /mnt/z || fail umount
e2fsck -f -n /dev/zram0 > /tmp/fsck.out 2>&1 || fail "fsck -f: $(cat /tmp/fsck.out)"
mount -t ext4 /dev/zram0 /mnt/z || fail remount
sha256sum -c /tmp/sums || fail "checksums after remount"
[ -e /mnt/z/tests/lib.sh ] && fail "deleted file is back"
fstrim -v /mnt/z 2>/dev/null
umount /mnt/z
zram_unload
log "ok: ext4 on zram, 48 MiB written, fsck clean, verified after remount"
