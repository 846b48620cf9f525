# SPDX-License-Identifier: GPL-2.0
# Statistics files: exact C formats, and the same figures as the in-tree C
# zram for the same writes (both drivers start with the default of this
# kernel's zram, and use the same compressor code for it).
. ./lib.sh

workload() {
	local dev=/dev/zram0
	echo 32M > /sys/block/zram0/disksize || fail "disksize ($1)"
	head -c 262144 /dev/zero > /tmp/w
	head -c 262144 /dev/zero | tr '\0' '\125' >> /tmp/w
	head -c 262144 /tmp/rand >> /tmp/w
	textdata 1048576 >> /tmp/w
	dd if=/tmp/w of=$dev bs=64k oflag=direct 2>/dev/null || fail "write ($1)"
	dd if=$dev of=/tmp/r bs=64k count=28 iflag=direct 2>/dev/null || fail "read ($1)"
	cmp -s /tmp/w /tmp/r || fail "read back ($1)"
	# Overwrite so that pages change kind, plus a sub-page write: the
	# counters must follow each slot from what it held to what it holds.
	# Over the first layout (zeros, 0x55, random, text x4) this writes
	# random (same -> huge), zeros (same -> same), zeros (huge -> same),
	# random (compressed -> huge), text x2 (compressed -> compressed) and
	# 0x55 (compressed -> same), 256 KiB each.
	{ head -c 262144 /tmp/rand; head -c 524288 /dev/zero; head -c 262144 /tmp/rand
	  textdata 524288; head -c 262144 /dev/zero | tr '\0' '\125'; } > /tmp/w2
	dd if=/tmp/w2 of=$dev bs=64k oflag=direct 2>/dev/null || fail "overwrite ($1)"
	head -c 1024 /tmp/rand | dd of=$dev bs=512 seek=3 conv=notrunc oflag=direct 2>/dev/null ||
		fail "sub-page write ($1)"
	head -c 1024 /tmp/rand | dd of=/tmp/w2 bs=512 seek=3 conv=notrunc 2>/dev/null
	dd if=$dev of=/tmp/r bs=64k count=28 iflag=direct 2>/dev/null || fail "read 2 ($1)"
	cmp -s /tmp/w2 /tmp/r || fail "read back after overwrite ($1)"
	blkdiscard -o 0 -l 65536 $dev || fail "discard ($1)"
	cat /sys/block/zram0/mm_stat > /tmp/mm.$1
	cat /sys/block/zram0/io_stat > /tmp/io.$1
	cat /sys/block/zram0/debug_stat > /tmp/dbg.$1
	cat /sys/block/zram0/stat > /tmp/stat.$1
}

# Same line, re-printed with the C format, must be identical to the byte.
check_format() { # file printf-format
	local got want
	got=$(cat "$1")
	# shellcheck disable=SC2046
	want=$(printf "$2" $(cat "$1"))
	[ "$got" = "$want" ] || fail "$1 format: '$got' is not '$want'"
}

head -c 262144 /dev/urandom > /tmp/rand
for drv in rs c; do
	ZRS_DRIVER=$drv
	zram_load
	workload $drv
	check_format /tmp/mm.$drv "%8s %8s %8s %8s %8s %8s %8s %8s %8s\n"
	check_format /tmp/io.$drv "%8s %8s %s %8s\n"
	expect_eq "io_stat fields ($drv)" "$(wc -w < /tmp/io.$drv)" 4
	expect_eq "io_stat retired field ($drv)" "$(awk '{print $3}' /tmp/io.$drv)" 0
	expect_eq "stat fields ($drv)" "$(wc -w < /tmp/stat.$drv)" 17
	# The block layer counted our I/O: 448 KiB... in sectors.
	[ "$(awk '{print $3}' /tmp/stat.$drv)" -ge 3584 ] || fail "stat read sectors ($drv): $(cat /tmp/stat.$drv)"
	[ "$(awk '{print $7}' /tmp/stat.$drv)" -ge 3584 ] || fail "stat write sectors ($drv): $(cat /tmp/stat.$drv)"
	echo 1 > /sys/block/zram0/reset
	zram_unload
done
unset ZRS_DRIVER
echo "ours: $(cat /tmp/mm.rs)"
echo "C:    $(cat /tmp/mm.c)"
for k in 1 2 4 6 7 8 9; do
	expect_eq "mm_stat field $k vs C" "$(awk -v k=$k '{print $k}' /tmp/mm.rs)" "$(awk -v k=$k '{print $k}' /tmp/mm.c)"
done
for k in 3 5; do
	[ "$(awk -v k=$k '{print $k}' /tmp/mm.rs)" -gt 0 ] || fail "mm_stat field $k is 0"
done
expect_eq "debug_stat vs C" "$(cat /tmp/dbg.rs)" "$(cat /tmp/dbg.c)"
expect_eq "io_stat vs C" "$(cat /tmp/io.rs)" "$(cat /tmp/io.c)"
log "ok: mm_stat/io_stat/debug_stat formats and figures match the C zram"
