# SPDX-License-Identifier: GPL-2.0
# make bench BOOTS=units: unit_size against per-page storage and against
# the C zram, in one boot, on the real-data set, for lz4 and zstd. Modes:
# c (the C zram), page (ours, units off), u16 and u64 (ours, unit_size
# 16 and 64 KiB).
#   swap   64 KiB anonymous folios (hugepages-64kB "always", no PMD THP)
#          filled with the real data, pushed out to zram swap by
#          memory.reclaim (timed: swap-out), then read back and checked
#          (timed: swap-in); mm_stat once everything is out.
#   io     direct I/O from large folios (zrs-imgio, ZRS_IMGIO_HUGE):
#          sequential writes then reads of 16 and 64 KiB blocks, and
#          random 4 KiB reads of what was written (the cost of a page read
#          from a unit); mm_stat after the writes.
# Each mode runs in turn within a round (c, page, u16, u64), round 0 is a
# warm-up. Needs a kernel with mTHP swap (Debian's) and zswap off.
. ./lib.sh
. ./bench-lib.sh
T=/sys/kernel/mm/transparent_hugepage
[ -d $T/hugepages-64kB ] || fail "kernel without mTHP (CONFIG_TRANSPARENT_HUGEPAGE)"
[ "$(cat /sys/module/zswap/parameters/enabled 2>/dev/null || echo N)" = N ] || fail "zswap is on"
[ -f $REALDATA ] || fail "no real data image in the guest"
modes="c page u16 u64"
algs=${ZRS_UNITS_ALGS:-lz4:zstd}
mib=$B_SWAPMIB
echo never > $T/enabled
echo always > $T/hugepages-64kB/enabled
echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
st=$T/hugepages-64kB/stats
vm() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
h64() { cat $st/swpout $st/swpin $st/swpin_fallback | xargs; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

dev() { # mode alg: a fresh zram0 for the mode
	case $1 in c) export ZRS_DRIVER=c ;; *) export ZRS_DRIVER=rs ;; esac
	zram_load
	echo "$2" > /sys/block/zram0/comp_algorithm || fail "comp_algorithm $2 ($1)"
	case $1 in
	u16) echo 16K > /sys/block/zram0/unit_size || fail "unit_size ($1)" ;;
	u64) echo 64K > /sys/block/zram0/unit_size || fail "unit_size ($1)" ;;
	esac
	echo 512M > /sys/block/zram0/disksize || fail "disksize ($1)"
}
units() { # "unit_writes unit_page_reads" of ours, "0 0" for C
	if [ -e /sys/block/zram0/unit_stat ]; then
		awk '{ print $2, $3 }' /sys/block/zram0/unit_stat
	else
		echo 0 0
	fi
}

swap_run() { # mode alg round
	local out_us in_us o0 o1 h0 h1 r orig compr mem uw upr n
	dev "$1" "$2"
	mkswap /dev/zram0 > /dev/null || fail mkswap
	swapon /dev/zram0 || fail swapon
	mkdir -p /sys/fs/cgroup/zrsu
	coproc SW { bash -c 'echo $$ > /sys/fs/cgroup/zrsu/cgroup.procs && exec zrs-swapio "$1" "$2"' _ $REALDATA $mib; }
	read -r r <&"${SW[0]}"
	[ "$r" = filled ] || fail "zrs-swapio ($1 $2): '$r'"
	o0=$(vm pswpout) h0=$(h64)
	local t0 t1
	t0=$(now_us)
	# Out until (nearly) all of it is swapped: reclaim may stop short.
	for n in 1 2 3 4 5 6; do
		echo "$((mib + 8))M" > /sys/fs/cgroup/zrsu/memory.reclaim 2>/dev/null
		[ "$(awk '$1 == "anon" { print $2 }' /sys/fs/cgroup/zrsu/memory.stat)" -lt $((1 << 20)) ] && break
	done
	t1=$(now_us)
	out_us=$((t1 - t0)) o1=$(vm pswpout)
	read -r orig compr mem _ < /sys/block/zram0/mm_stat
	echo go >&"${SW[1]}"
	read -r r <&"${SW[0]}"
	wait "$SW_PID" || fail "swap-in ($1 $2): $r"
	in_us=$(echo "$r" | sed -n 's/.*in_us=\([0-9]*\).*/\1/p')
	h1=$(h64)
	read -r uw upr <<< "$(units)"
	set -- "$1" "$2" "$3" $h0 $h1
	if [ "$3" != 0 ]; then
		bemit units_swap mode=$1 alg=$2 round=$3 mib=$mib out_us=$out_us in_us=$in_us \
			pswpout=$((o1 - o0)) orig=$orig compr=$compr mem=$mem \
			swpout64=$(($7 - $4)) swpin64=$(($8 - $5)) swpin_fallback64=$(($9 - $6)) \
			unit_writes=$uw unit_page_reads=$upr
	else
		log "warm-up swap $1 $2: out $((out_us / 1000)) ms, in $((in_us / 1000)) ms, mem $mem"
	fi
	rmdir /sys/fs/cgroup/zrsu
	swapoff /dev/zram0 || fail swapoff
	zram_unload
}

io_run() { # mode alg round bs
	local w r rr mem compr orig uw upr
	dev "$1" "$2"
	w=$(ZRS_IMGIO_HUGE=1 zrs-imgio /dev/zram0 $REALDATA write "$4" 0 1 $mib) || fail "write $4 ($1 $2): $w"
	read -r orig compr mem _ < /sys/block/zram0/mm_stat
	r=$(ZRS_IMGIO_HUGE=1 zrs-imgio /dev/zram0 $REALDATA read "$4" 0 1 $mib) || fail "read $4 ($1 $2): $r"
	rr=$(ZRS_IMGIO_HUGE=1 zrs-imgio /dev/zram0 $REALDATA randread 4k "$B_RUNTIME" 1 $mib) || fail "randread ($1 $2): $rr"
	read -r uw upr <<< "$(units)"
	if [ "$3" != 0 ]; then
		bemit units_io mode=$1 alg=$2 round=$3 bs=$4 mib=$mib \
			wkb=$(field "$w" wkb) wms=$(field "$w" wms) \
			rkb=$(field "$r" rkb) rms=$(field "$r" rms) \
			rrkb=$(field "$rr" rkb) rrms=$(field "$rr" rms) \
			orig=$orig compr=$compr mem=$mem unit_writes=$uw unit_page_reads=$upr
	fi
	zram_unload
}

n=0
for round in $(seq 0 "$B_ROUNDS"); do
	for alg in $(list "$algs"); do
		for m in $modes; do
			swap_run $m $alg $round
			[ "$round" = 0 ] || n=$((n + 1))
		done
		for bs in 16k 64k; do
			for m in c page u${bs%k}; do
				io_run $m $alg $round $bs
				[ "$round" = 0 ] || n=$((n + 1))
			done
		done
	done
done
unset ZRS_DRIVER
echo never > $T/hugepages-64kB/enabled
bench_done $n
