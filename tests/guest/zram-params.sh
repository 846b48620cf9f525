# SPDX-License-Identifier: GPL-2.0
# algorithm_params against the C zram, in the same boot: for each
# algorithm, level and dictionary, the errno of the write and of disksize,
# what a failed disksize leaves selected, the data read back, and the
# stored sizes (mm_stat orig_data_size, compr_data_size, same_pages,
# huge_pages), which must be identical: both drivers call the same
# library with the same parameters.
. ./lib.sh

Z=/sys/block/zram0
head -c 131072 /dev/urandom > /tmp/d
textdata 1048576 >> /tmp/d
head -c 65536 /dev/zero >> /tmp/d
# Dictionaries: text like the data (lz4 takes up to 64 KiB), too short
# for lz4 (under 8 bytes), too long for lz4, empty.
textdata 300000 | tail -c 32768 > /tmp/dict
printf abcd > /tmp/dict.short
textdata 200000 | tail -c 100000 > /tmp/dict.long
: > /tmp/dict.empty

# One case: "algorithm|params" (params may be empty).
run_case() {
	local algo=${1%%|*} params=${1#*|} r
	r="$algo|$params|"
	[ "$(cat $Z/initstate)" = 1 ] && echo 1 > $Z/reset
	r+="algo:$(zrs-write $Z/comp_algorithm "$algo")|"
	[ -n "$params" ] && r+="params:$(zrs-write $Z/algorithm_params "$params")|"
	r+="disksize:$(zrs-write $Z/disksize 16M)|"
	if [ "$(cat $Z/initstate)" = 1 ]; then
		if dd if=/tmp/d of=/dev/zram0 bs=64k oflag=direct 2>/dev/null; then
			dd if=/dev/zram0 of=/tmp/r bs=64k count=19 iflag=direct 2>/dev/null
			cmp -s /tmp/d /tmp/r || fail "$algo $params ($ZRS_DRIVER): data read back differs"
			# Sizes: for the algorithms both call a library for
			# (842 goes through the crypto API here).
			case $algo in
			842) r+="stored";;
			*) r+="mm:$(awk '{print $1, $2, $6, $8}' $Z/mm_stat)";;
			esac
		else
			r+="write failed"
		fi
	else
		# What a failed disksize leaves: C forgets algorithms and parameters.
		r+="left:$(cat $Z/comp_algorithm)"
	fi
	echo "$r"
}

cases() {
	local a
	for a in $(tr -d '[]' < $Z/comp_algorithm); do
		echo "$a|"
		case $a in
		lzo|lzo-rle|842)
			echo "$a|level=1"
			echo "$a|dict=/tmp/dict";;
		lz4)
			for l in 1 2 8 64 1000 0 -1; do echo "$a|level=$l"; done
			echo "$a|dict=/tmp/dict"
			echo "$a|level=4 dict=/tmp/dict"
			echo "$a|dict=/tmp/dict.short"
			echo "$a|dict=/tmp/dict.long";;
		lz4hc)
			for l in 1 2 4 9 12 16 17 0; do echo "$a|level=$l"; done
			echo "$a|dict=/tmp/dict"
			echo "$a|level=12 dict=/tmp/dict"
			echo "$a|dict=/tmp/dict.long";;
		zstd)
			for l in 23 -131073 1 3 9 19 -5; do echo "$a|level=$l"; done
			echo "$a|dict=/tmp/dict"
			echo "$a|level=9 dict=/tmp/dict";;
		deflate)
			for l in 10 -2 1 9; do echo "$a|level=$l"; done
			for w in 8 -16 16 -9 15; do echo "$a|deflate.winbits=$w"; done
			echo "$a|dict=/tmp/dict";;
		esac
		# At write time, for every algorithm.
		echo "$a|dict=/nonexistent"
		echo "$a|dict=/tmp/dict.empty"
		echo "$a|dict=/tmp"
		echo "$a|\"dict=/tmp/dict\" \"level=1\""
	done
	# Parameters stay with their priority until its algorithm changes.
	echo "lz4|algo=lz4 level=0"
}

for drv in rs c; do
	ZRS_DRIVER=$drv
	zram_load
	cases > /tmp/cases
	while IFS= read -r c; do run_case "$c"; done < /tmp/cases > /tmp/params.$drv
	# A new algorithm drops the old one's parameters: level 0 is invalid
	# for lz4, not for the algorithm that replaces it.
	echo 1 > $Z/reset 2>/dev/null
	echo lz4 > $Z/comp_algorithm && echo level=0 > $Z/algorithm_params || fail "level=0 ($drv)"
	echo "$(tr -d '[]' < $Z/comp_algorithm | xargs -n1 | grep -vx lz4 | head -1)" > $Z/comp_algorithm
	echo 16M > $Z/disksize || fail "parameters kept after comp_algorithm changed ($drv)"
	echo 1 > $Z/reset
	# And a reset drops them too.
	echo lz4 > $Z/comp_algorithm && echo level=0 > $Z/algorithm_params
	echo 16M > $Z/disksize 2>/dev/null && fail "lz4 level=0 accepted ($drv)"
	echo lz4 > $Z/comp_algorithm && echo level=0 > $Z/algorithm_params
	echo 1 > $Z/reset
	echo 16M > $Z/disksize || fail "parameters kept after reset ($drv)"
	zram_unload
done
unset ZRS_DRIVER

log "ours:"; cat /tmp/params.rs
log "C:"; cat /tmp/params.c
n=$(wc -l < /tmp/params.rs)
[ "$n" -gt 20 ] || fail "only $n cases ran"
if ! cmp -s /tmp/params.rs /tmp/params.c; then
	diff /tmp/params.c /tmp/params.rs | head -20
	fail "differs from the C zram in $(diff /tmp/params.c /tmp/params.rs | grep -c '^+[^+]') of $n cases"
fi
emit "cases=$n"
log "ok: $n algorithm_params cases as the C zram (errno, what is left, data, sizes)"
