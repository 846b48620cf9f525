# SPDX-License-Identifier: GPL-2.0
# Recompression with secondary algorithms, on our driver and on the C zram:
# same errno, same mm_stat and block_state flags, data intact, and zstd
# lowering the compressed size of text stored with lzo.
. ./lib.sh

Z=/sys/block/zram0
head -c 524288 /dev/urandom > /tmp/d
textdata 3670016 >> /tmp/d
state() { # label
	echo "$1: mm [$(awk '{print $1, $2, $6, $8}' $Z/mm_stat)] flags [$(bs_flags)]" >> $T
}

for drv in rs c; do
	ZRS_DRIVER=$drv
	T=/tmp/rc.$drv
	: > $T
	zram_load
	tw recompress type=idle
	for bad in "" algo algo=zstd\ priority=0 "algo=zstd priority=4" priority=2 "algo=nope" \
		"algo=zstd priority=x" "algo=$(head -c 200 /dev/zero | tr '\0' a)"; do
		tw recomp_algorithm "$bad"
	done
	tw comp_algorithm lzo
	tw recomp_algorithm algo=zstd
	tw recomp_algorithm "algo=deflate priority=2"
	# The C driver's show adds the returned offset (already a total) to its
	# own, so each further "#N: " line comes after NUL bytes (a bug:
	# zram.rst documents plain "#N: list" lines). Ours prints what zram.rst
	# says; the C bytes are logged, not compared.
	cat -v $Z/recomp_algorithm > /tmp/recomp.$drv
	tw algorithm_params "algo=zstd priority=1"
	tw algorithm_params "algo=zstd priority=2"
	tw algorithm_params "algo=deflate"
	tw algorithm_params "priority=3"
	echo 32M > $Z/disksize || fail "disksize ($drv)"
	tw recomp_algorithm algo=lz4
	dd if=/tmp/d of=/dev/zram0 bs=1M oflag=direct 2>/dev/null || fail "write ($drv)"
	state written
	for bad in type=bogus threshold=4096 threshold=x max_pages=-1 priority=0 priority=3 \
		"algo=lz4" "algo=zstd priority=2" "priority=4" type; do
		tw recompress "$bad"
	done
	state "after bad requests"
	# Huge (random) pages: zstd cannot shrink them either, but deflate is
	# the last algorithm, so they are not marked incompressible yet.
	tw recompress "type=huge priority=1"
	state "recompress huge with zstd"
	tw recompress "max_pages=16 algo=zstd"
	state "recompress 16 pages with zstd"
	tw recompress "threshold=2000 priority=1"
	state "recompress with zstd above 2000 bytes"
	tw recompress ""
	state "recompress all with zstd"
	readback4 "after zstd"
	tw idle all
	tw recompress "type=huge_idle priority=2"
	state "recompress huge idle with deflate"
	readback4 "after deflate"
	zram_unload
done
unset ZRS_DRIVER
log "recomp_algorithm, C zram: $(cat /tmp/recomp.c | tr '\n' '|')"
log "recomp_algorithm, ours:   $(cat /tmp/recomp.rs | tr '\n' '|')"
expect_eq "recomp_algorithm (zram.rst format)" "$(cat /tmp/recomp.rs)" \
	"$(printf '#1: lzo-rle lzo lz4 [zstd] deflate \n#2: lzo-rle lzo lz4 zstd [deflate] ')"
cat /tmp/rc.rs
if ! cmp -s /tmp/rc.rs /tmp/rc.c; then
	diff /tmp/rc.c /tmp/rc.rs
	fail "recompress transcript differs from the C zram's (diff: C, ours)"
fi
# compr_data_size: the second figure of the mm [...] of a step.
compr() { sed -n "s/^$1: mm \[[0-9]* \([0-9]*\) .*/\1/p" /tmp/rc.rs; }
before=$(compr written)
after=$(compr "recompress all with zstd")
[ -n "$before" ] && [ -n "$after" ] && [ "$after" -lt "$before" ] ||
	fail "zstd did not lower compr_data_size ($before -> $after)"
grep -q 'recompress huge idle with deflate:.*n=128' /tmp/rc.rs ||
	fail "huge pages not marked incompressible by the last algorithm"
log "ok: compr_data_size $before -> $after with zstd; $(wc -l < /tmp/rc.rs) steps identical to the C zram"
