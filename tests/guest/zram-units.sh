# SPDX-License-Identifier: GPL-2.0
# unit_size (ours): aligned multi-page writes compressed as one object.
#  1. The attribute: what it takes (EINVAL otherwise), only before
#     disksize (EBUSY), kept across reset; unit_stat.
#  2. For each algorithm and unit size: random unit, page, multi-page
#     writes, discards and reads against a shadow (zrs-unitio, direct I/O
#     from a huge page so that a unit arrives as one multi-page bio_vec);
#     mm_stat must agree with block_state slot by slot; then idle marking,
#     writeback and recompression (which split units into pages) and a
#     full comparison after each; then a discard of everything must leave
#     no byte and no unit behind.
#  3. mem_limit: unit writes stop at the limit, and the pool stays under it.
. ./lib.sh
z=/sys/block/zram0
T=/sys/kernel/mm/transparent_hugepage
[ -e $T/enabled ] || skip "kernel without THP: a unit never reaches the driver whole"
modprobe brd rd_nr=1 rd_size=16384 || fail "modprobe brd"
thp_always
zram_load
[ -e $z/unit_size ] || fail "no unit_size"

# 1. The attribute.
expect_eq "unit_size by default" "$(cat $z/unit_size)" 4096
for v in 0 1 2048 12288 128K 131072 1M 64KB abc "" "16K 1" -16K 99999999999999999999999; do
	expect_write $z/unit_size "$v" EINVAL
done
for v in 8K:8192 16384:16384 32k:32768 64K:65536 4096:4096 64K:65536; do
	expect_write $z/unit_size "${v%%:*}" OK
	expect_eq "unit_size after '${v%%:*}'" "$(cat $z/unit_size)" "${v#*:}"
done
expect_eq "unit_stat before use" "$(xargs < $z/unit_stat)" "0 0 0 0 0"
echo 8M > $z/disksize || fail disksize
expect_write $z/unit_size 16K EBUSY
expect_eq "unit_size once initialised" "$(cat $z/unit_size)" 65536
echo 1 > $z/reset || fail reset
expect_eq "unit_size after reset" "$(cat $z/unit_size)" 65536

# block_state as counts: allocated slots, same-filled ones, unit members.
bs_counts() {
	awk '{ n++; if ($3 ~ /^s/) s++; if ($3 ~ /u$/) u++ }
		END { print n + 0, s + 0, u + 0 }' /sys/kernel/debug/zram/zram0/block_state
}
verify() { # what
	dd if=/dev/zram0 of=/tmp/dev bs=64k iflag=direct 2>/dev/null || fail "read device ($1)"
	cmp /tmp/shadow /tmp/dev > /tmp/cmp 2>&1 || fail "device differs from shadow ($1): $(head -1 /tmp/cmp)"
}

# 2. Integrity, per algorithm and unit size.
ops=${ZRS_UNITS_OPS:-400}
runs=0 units_seen=0 splits=0 page_reads=0 fallbacks=0
setup() { # algo unit_size compressed_writeback: what a reset forgets, disksize
	echo $3 > $z/compressed_writeback || fail "compressed_writeback $3"
	echo $1 > $z/comp_algorithm || fail "algorithm $1"
	recomp=zstd; [ $1 = zstd ] && recomp=deflate
	echo algo=$recomp > $z/recomp_algorithm || fail "recomp_algorithm $recomp"
	echo /dev/ram0 > $z/backing_dev || fail backing_dev
	echo $2 > $z/unit_size || fail "unit_size $2"
	echo 8M > $z/disksize || fail "disksize ($1:$2)"
}
# Pages split out of units are written back plain, or compressed (:1).
for cfg in lz4:64K:0 zstd:64K:1 deflate:16K:0 lzo-rle:32K:1; do
	algo=${cfg%%:*} us=${cfg#*:} cwb=${us#*:} us=${us%:*}
	setup $algo $us $cwb
	runs=$((runs + 1))
	zrs-unitio /dev/zram0 $ops $((2 * runs)) /tmp/shadow > /tmp/unitio.out 2>&1 ||
		fail "$cfg: $(cat /tmp/unitio.out)"
	read -r units _ upr spl fbk < $z/unit_stat
	[ "$units" -gt 0 ] || fail "$cfg: no unit stored ($(cat $z/unit_stat))"
	[ "$spl" -gt 0 ] || fail "$cfg: no unit split by a page write ($(cat $z/unit_stat))"
	[ "$upr" -gt 0 ] || fail "$cfg: no page read from a unit ($(cat $z/unit_stat))"
	# Slot by slot: every live page is counted once.
	read -r n s u < <(bs_counts)
	expect_eq "$cfg: orig_data_size against block_state" "$(mm 0 1)" $((n * 4096))
	expect_eq "$cfg: same_pages against block_state" "$(mm 0 6)" $s
	[ "$u" -gt 0 ] || fail "$cfg: no unit member in block_state"
	log "$cfg: $(cat /tmp/unitio.out); unit_stat $(xargs < $z/unit_stat); mm_stat $(xargs < $z/mm_stat)"
	verify "$cfg"
	# Post-processing works on pages: a unit splits when a pass comes to
	# one of its pages, so a pass that stops at once splits nothing.
	echo all > $z/idle || fail "idle ($cfg)"
	echo 1 > $z/writeback_limit_enable && echo 0 > $z/writeback_limit || fail "writeback_limit"
	expect_write $z/writeback idle EIO
	expect_eq "$cfg: splits by a writeback stopped by its limit" "$(awk '{ print $4 }' $z/unit_stat)" $spl
	echo 0 > $z/writeback_limit_enable
	echo idle > $z/writeback || fail "writeback ($cfg)"
	read -r units2 _ _ spl2 _ < $z/unit_stat
	[ "$spl2" -gt "$spl" ] || fail "$cfg: writeback split no unit"
	[ "$units2" = 0 ] || fail "$cfg: $units2 units left after writing back every idle page"
	[ "$(awk '{ print $1 }' $z/bd_stat)" -gt 0 ] || fail "$cfg: nothing written back"
	verify "$cfg, after writeback"
	echo 1 > $z/reset || fail "reset ($cfg)"
	setup $algo $us $cwb
	zrs-unitio /dev/zram0 $((ops / 2)) $((2 * runs + 101)) /tmp/shadow > /tmp/unitio.out ||
		fail "$cfg, second run: $(cat /tmp/unitio.out)"
	read -r units _ _ spl _ < $z/unit_stat
	echo max_pages=1 > $z/recompress || fail "recompress max_pages=1 ($cfg)"
	read -r _ _ _ spl1 _ < $z/unit_stat
	[ $((spl1 - spl)) -le 1 ] || fail "$cfg: recompress max_pages=1 split $((spl1 - spl)) units"
	echo > $z/recompress || fail "recompress ($cfg)"
	read -r units2 _ _ spl2 _ < $z/unit_stat
	[ "$units" = 0 ] || [ "$spl2" -gt "$spl" ] || fail "$cfg: recompression split no unit"
	verify "$cfg, after recompression"
	read -r n s u < <(bs_counts)
	expect_eq "$cfg: orig_data_size after recompression" "$(mm 0 1)" $((n * 4096))
	read -r units _ upr spl fbk < $z/unit_stat
	splits=$((splits + spl)) page_reads=$((page_reads + upr)) fallbacks=$((fallbacks + fbk))
	# Nothing stays behind a discard of everything.
	blkdiscard /dev/zram0 || fail "blkdiscard ($cfg)"
	expect_eq "$cfg: orig_data_size after discard" "$(mm 0 1)" 0
	expect_eq "$cfg: compr_data_size after discard" "$(mm 0 2)" 0
	expect_eq "$cfg: units after discard" "$(awk '{ print $1 }' $z/unit_stat)" 0
	echo 1 > $z/reset || fail "reset ($cfg)"
done
[ $fallbacks -gt 0 ] || fail "no incompressible unit was stored as pages"

# 3. mem_limit: 1 MiB for 8 MiB of compressible units.
echo 0 > $z/compressed_writeback
echo lz4 > $z/comp_algorithm
echo 64K > $z/unit_size
echo 8M > $z/disksize || fail "disksize (mem_limit)"
echo 1M > $z/mem_limit || fail mem_limit
zrs-unitio /dev/zram0 fill 1 > /tmp/unitio.out || fail "fill: $(cat /tmp/unitio.out)"
read -r written failed < <(sed 's/[a-z]*=//g' /tmp/unitio.out)
[ "$failed" -gt 0 ] || fail "mem_limit: no write failed ($(cat /tmp/unitio.out))"
[ "$written" -gt 0 ] || fail "mem_limit: no write went through"
[ "$(mm 0 3)" -le $((1 << 20)) ] || fail "mem_limit: mem_used_total $(mm 0 3) over 1 MiB"
[ "$(awk '{ print $1 }' $z/unit_stat)" -gt 0 ] || fail "mem_limit: no unit stored"
log "mem_limit 1M: $(cat /tmp/unitio.out); mm_stat $(xargs < $z/mm_stat)"
echo 1 > $z/reset
zram_unload
rmmod brd
thp_restore
emit "runs=$runs ops=$ops splits=$splits page_reads=$page_reads fallbacks=$fallbacks"
log "ok: $runs algorithm/unit configurations, $splits splits, $page_reads page reads from units, $fallbacks unit writes stored as pages, no mismatch"
