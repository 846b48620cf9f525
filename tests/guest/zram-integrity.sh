# SPDX-License-Identifier: GPL-2.0
# Data integrity against a shadow copy: random writes of any 512-byte
# multiple at any sector (partial pages included), random discards, reads
# of the whole device compared with the shadow, across reset and re-init,
# for each algorithm, with idle marking, writeback to a backing device
# (plain, then compressed) and recompression mixed in.
# ZRS_DRIVER=c (zram-integrity@c) runs the same on the in-tree C zram.
. ./lib.sh
modprobe brd rd_nr=1 rd_size=16384 || fail "modprobe brd"
postops=0
iters=${ZRS_INTEGRITY_ITERS:-60}
algos="lzo-rle lzo lz4 zstd deflate"
# The C zram's run (@c) is for the record: a smaller size keeps make check
# short; the counts it prints say how much it did.
if [ "$ZRS_DRIVER" = c ]; then iters=40 algos="lz4 zstd"; fi
# zram-integrity@async: the asynchronous test algorithm as the primary.
if [ "${ZRS_ASYNC:-0}" = 1 ]; then algos=$ASYNC_ALGO; fi
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
for algo in $algos; do
	for round in 1 2; do
		echo $algo > /sys/block/zram0/comp_algorithm || fail "algorithm $algo"
		recomp=zstd; [ $algo = zstd ] && recomp=deflate
		echo algo=$recomp > /sys/block/zram0/recomp_algorithm || fail "recomp_algorithm $recomp"
		echo /dev/ram0 > /sys/block/zram0/backing_dev || fail "backing_dev"
		echo $((round - 1)) > /sys/block/zram0/compressed_writeback || fail "compressed_writeback"
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
			case $((i % 20)) in
			5) echo all > /sys/block/zram0/idle && echo idle > /sys/block/zram0/writeback ||
				fail "writeback ($algo round $round op $i)"
				postops=$((postops + 1)) ;;
			10) echo > /sys/block/zram0/recompress || fail "recompress ($algo round $round op $i)"
				postops=$((postops + 1)) ;;
			15) echo huge > /sys/block/zram0/writeback || fail "writeback huge ($algo round $round op $i)"
				postops=$((postops + 1)) ;;
			esac
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
emit "driver=$(driver_module) passes=$passes writes=$writes discards=$discards postops=$postops checks=$checks"
log "ok ($(driver_module)): $passes pass(es) of $(echo $algos | wc -w) algorithms x 2 rounds: $writes writes, $discards discards, $postops writeback/recompress passes, $checks full-device comparisons, no mismatch"
