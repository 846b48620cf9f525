# SPDX-License-Identifier: GPL-2.0
# Data integrity against a shadow copy: random writes of any 512-byte
# multiple at any sector (partial pages included), random discards, reads
# of the whole device compared with the shadow, across reset and re-init,
# for each algorithm.
. ./lib.sh
iters=${ZRS_INTEGRITY_ITERS:-60}
size=$((8 << 20)) sectors=$((8 << 11))
dev=/dev/zram0
zram_load
head -c 1048576 /dev/urandom > /tmp/rnd
textdata 1048576 > /tmp/txt
checks=0 writes=0 discards=0
verify() { # what
	sync; echo 3 > /proc/sys/vm/drop_caches
	dd if=$dev of=/tmp/dev bs=64k iflag=direct 2>/dev/null || fail "read device ($1)"
	cmp /tmp/shadow /tmp/dev > /tmp/cmp 2>&1 || fail "device differs from shadow ($1): $(head -1 /tmp/cmp)"
	checks=$((checks + 1))
}
passes=0
while :; do
passes=$((passes + 1))
for algo in lzo-rle lzo lz4 zstd deflate; do
	for round in 1 2; do
		echo $algo > /sys/block/zram0/comp_algorithm || fail "algorithm $algo"
		echo $size > /sys/block/zram0/disksize || fail "disksize ($algo)"
		head -c $size /dev/zero > /tmp/shadow
		for i in $(seq 1 $iters); do
			if [ $((RANDOM % 5)) = 0 ]; then
				# Discard whole pages: shadow becomes zeros there.
				pg=$((RANDOM % (size / 4096 - 8))) n=$((1 + RANDOM % 8))
				blkdiscard -o $((pg * 4096)) -l $((n * 4096)) $dev || fail "discard"
				dd if=/dev/zero of=/tmp/shadow bs=4096 seek=$pg count=$n conv=notrunc 2>/dev/null
				discards=$((discards + 1))
			else
				# Any number of sectors from any sector, from random or text data.
				n=$((1 + RANDOM % 24)) s=$((RANDOM % (sectors - 24)))
				src=/tmp/rnd; [ $((RANDOM % 2)) = 0 ] && src=/tmp/txt
				off=$((RANDOM % 1024))
				dd if=$src of=/tmp/chunk bs=512 skip=$off count=$n 2>/dev/null
				dd if=/tmp/chunk of=$dev bs=512 seek=$s conv=notrunc 2>/dev/null || fail "write"
				dd if=/tmp/chunk of=/tmp/shadow bs=512 seek=$s conv=notrunc 2>/dev/null
				writes=$((writes + 1))
			fi
			[ $((i % 40)) = 0 ] && verify "$algo round $round op $i"
		done
		verify "$algo round $round end"
		expect_eq "failed reads/writes ($algo)" "$(awk '{print $1, $2}' /sys/block/zram0/io_stat)" "0 0"
		echo 1 > /sys/block/zram0/reset || fail "reset ($algo)"
		[ "$(cat /sys/block/zram0/mm_stat | xargs)" = "0 0 0 0 0 0 0 0 0" ] || fail "mm_stat not zero after reset"
	done
done
soak_left || break
done
zram_unload
log "ok: $passes pass(es) of 5 algorithms x 2 rounds: $writes writes, $discards discards, $checks full-device comparisons, no mismatch"
