# SPDX-License-Identifier: GPL-2.0
# Idle tracking and writeback to a backing device (brd ram disk), run the
# same way on our driver and on the C zram of the same kernel: every errno,
# counter and block_state flag must match, and every page must read back.
. ./lib.sh

modprobe brd rd_nr=2 rd_size=16384 || fail "modprobe brd"
Z=/sys/block/zram0
BS=/sys/kernel/debug/zram/zram0/block_state
# 1024 pages: 256 random (huge), 256 zero (same-filled), 512 text.
head -c 1048576 /dev/urandom > /tmp/d
head -c 1048576 /dev/zero >> /tmp/d
textdata 2097152 >> /tmp/d

# What a step leaves: bd_stat, mm_stat (pool size aside: allocator detail),
# block_state flag counts. Appended to the driver's transcript.
state() { # label
	echo "$1: bd_stat [$(cat $Z/bd_stat | xargs)] mm [$(awk '{print $1, $2, $6, $8}' $Z/mm_stat)] flags [$(bs_flags)]" >> $T
}

for drv in rs c; do
	ZRS_DRIVER=$drv
	T=/tmp/wb.$drv
	: > $T
	zram_load
	# Before initialisation.
	tw writeback idle
	tw idle all
	tw idle 100000000
	tw backing_dev /nonexistent
	tw backing_dev /dev/null
	tw backing_dev ""
	tw writeback_batch_size 0
	tw writeback_batch_size -1
	tw writeback_batch_size 4
	tw writeback_limit x
	tw writeback_limit_enable y
	tw compressed_writeback maybe
	echo "backing_dev: $(cat $Z/backing_dev)" >> $T
	echo 64M > $Z/disksize || fail "disksize ($drv)"
	tw writeback idle
	echo "$Z/writeback without backing_dev: ENODEV expected" >> $T
	echo 1 > $Z/reset
	tw backing_dev /dev/ram0
	echo "backing_dev: $(cat $Z/backing_dev)" >> $T
	for a in writeback_batch_size writeback_limit writeback_limit_enable compressed_writeback; do
		echo "$a: $(cat $Z/$a)" >> $T
	done
	echo 64M > $Z/disksize || fail "disksize ($drv)"
	tw backing_dev /dev/ram1
	tw compressed_writeback 1
	dd if=/tmp/d of=/dev/zram0 bs=1M oflag=direct 2>/dev/null || fail "write ($drv)"
	state written
	# Bad requests on a live device.
	for bad in bogus type=bogus page_index=16384 page_index=x page_indexes=5 page_indexes=9-3 "type="; do
		tw writeback "$bad"
	done
	state "after bad requests"
	# Huge pages go first; the rest stays in memory.
	tw writeback huge
	state "writeback huge"
	readback4 "after writeback huge"
	# Nothing was idle until we say so.
	tw writeback idle
	state "writeback idle, none idle"
	tw idle all
	state "idle all"
	# One page by index, then a range, then the limit.
	tw writeback page_index=700
	tw writeback page_indexes=600-609
	state "writeback by index"
	tw writeback_limit_enable 1
	tw writeback_limit 20
	tw writeback type=idle
	echo "writeback_limit: $(cat $Z/writeback_limit)" >> $T
	state "writeback idle, limit 20"
	tw writeback_limit_enable 0
	tw writeback idle
	state "writeback idle, no limit"
	readback4 "after writeback idle"
	state "read back"
	# Rewriting and discarding written-back pages frees their blocks.
	dd if=/tmp/d of=/dev/zram0 bs=4k count=64 seek=512 skip=512 oflag=direct 2>/dev/null
	blkdiscard -o 3145728 -l 524288 /dev/zram0 || fail "discard ($drv)"
	state "rewrite 64, discard 128"
	echo 1 > $Z/reset
	echo "after reset backing_dev: $(cat $Z/backing_dev), bd_stat [$(cat $Z/bd_stat | xargs)]" >> $T

	# Idle by age: pages untouched for the last 2 s become idle; reading
	# one makes it not idle again.
	echo 16M > $Z/disksize
	dd if=/tmp/d of=/dev/zram0 bs=1M count=4 oflag=direct 2>/dev/null
	sleep 3
	dd if=/dev/zram0 of=/dev/null bs=4k count=1 skip=800 iflag=direct 2>/dev/null
	tw idle 2
	echo "idle by age: $(awk '$3 ~ /i/' $BS | wc -l) idle, page 800: $(awk '$1 == 800 { print $3 }' $BS)" >> $T
	echo 1 > $Z/reset

	# Compressed writeback: stored compressed on the backing device and
	# decompressed when read.
	tw backing_dev /dev/ram0
	tw compressed_writeback 1
	echo 64M > $Z/disksize
	dd if=/tmp/d of=/dev/zram0 bs=1M oflag=direct 2>/dev/null
	tw idle all
	tw writeback idle
	state "compressed writeback"
	readback4 "compressed writeback"
	echo 1 > $Z/reset
	zram_unload
done
unset ZRS_DRIVER
cat /tmp/wb.rs
if ! cmp -s /tmp/wb.rs /tmp/wb.c; then
	diff /tmp/wb.c /tmp/wb.rs
	fail "writeback transcript differs from the C zram's (diff: C, ours)"
fi
# Every huge page (256 random ones, plus any text page that did not
# compress) went to the backing device, and nothing else.
huge=$(awk -F'[][]' '/^written:/ { split($4, m, " "); print m[4] }' /tmp/wb.rs)
[ "${huge:-0}" -ge 256 ] || fail "only ${huge:-0} huge pages written"
grep -q "writeback huge: bd_stat \[$huge 0 $huge\] mm \[[0-9]* [0-9]* 256 0\]" /tmp/wb.rs ||
	fail "writeback huge did not move exactly the $huge huge pages"
grep -q "write 'type=idle' > writeback: EIO" /tmp/wb.rs || fail "limit did not stop writeback with EIO"
log "ok: $(wc -l < /tmp/wb.rs) steps identical to the C zram, data verified after each writeback"
