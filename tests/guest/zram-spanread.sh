# SPDX-License-Identifier: GPL-2.0
# Objects that span two pages of their zspage. A read decompresses them in
# place where the two pages are neighbours in the linear map and copies
# them out where they are not; debugfs zram/span_reads counts each, and
# zram/span_in_place=N makes every such read copy. Text is written and
# read back both ways and must come back exact: with in-place reads on
# (early in a boot free memory is mostly runs of consecutive pages, so
# some objects must have been read in place) and off (all copied, none in
# place). The switch goes back on, and a third pass must read in place
# again.
. ./lib.sh
[ "${ZRS_DRIVER:-rs}" = rs ] || skip "counts only our driver's read path"
f=/sys/kernel/debug/zram/span_reads
sw=/sys/kernel/debug/zram/span_in_place
d=/sys/block/zram0
dev=/dev/zram0
zram_load
[ -r $f ] || fail "no $f"
expect_eq "span_in_place at load" "$(cat $sw)" Y
span() { awk -v k="$1" '$1 == k { print $2 }' $f; }
textdata $((8 << 20)) | head -c $((8 << 20)) > /tmp/text
# Fill, read back through the driver (direct I/O: no page cache), compare;
# set a and c to the spanning objects the reads took in place and copied.
pass() { # name
	local a0 c0
	echo lz4 > $d/comp_algorithm || fail "lz4"
	echo 16M > $d/disksize || fail "disksize ($1)"
	dd if=/tmp/text of=$dev bs=64k oflag=direct 2>/dev/null || fail "write ($1)"
	a0=$(span in_place) c0=$(span copied)
	dd if=$dev of=/tmp/back bs=64k count=128 iflag=direct 2>/dev/null || fail "read ($1)"
	cmp -s /tmp/text /tmp/back || fail "data read back differs ($1)"
	expect_eq "failed reads/writes ($1)" "$(awk '{print $1, $2}' $d/io_stat)" "0 0"
	a=$(($(span in_place) - a0)) c=$(($(span copied) - c0))
	echo 1 > $d/reset || fail "reset ($1)"
	log "$1: spanning objects read in place $a, copied $c"
}
pass "in place on"
[ "$a" -gt 0 ] || fail "no spanning object read in place ($c copied)"
on=$a
echo N > $sw || fail "span_in_place=N"
pass "in place off"
[ "$c" -gt 0 ] || fail "no spanning object copied with span_in_place=N"
expect_eq "spanning objects read in place with span_in_place=N" "$a" 0
off=$c
echo Y > $sw || fail "span_in_place=Y"
pass "in place on again"
[ "$a" -gt 0 ] || fail "no spanning object read in place after span_in_place=Y ($c copied)"
zram_unload
emit "in_place=$on copied_when_off=$off"
