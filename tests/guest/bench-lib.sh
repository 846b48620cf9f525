# SPDX-License-Identifier: GPL-2.0
# Helpers for the benchmark tests (bench-*.sh), which make bench runs and
# make check does not. Sourced after lib.sh. Settings come from zrs.args as
# KEY=VALUE words; lists inside a value are separated by ':'.
#
#   alg=lz4             compression algorithm (both drivers)
#   disksize=512M       device size for the fio and memory runs
#   size=128            MiB of data each fio job set covers (split by jobs)
#   runtime=2           seconds of each time-based fio job (reads, random)
#   rounds=3            times each driver runs (alternated: ours, C, ours...)
#   ds=0:50:75:real     data sets: fio buffer_compress_percentage, or real
#   jobs=1:ncpu         fio numjobs values (ncpu = one job per vCPU)
#   wl=seqwrite:...     workloads (seqwrite seqread randread randwrite randrw)
#   drivers=rs:c        drivers, in the order each round runs them
#   sizes=256M:1G:4G:8G disksizes for the sparse metadata cost (bench-mem)
#   swapmib=96 swaplimit=24  swap workload: MiB touched, cgroup limit (MiB)
#   wbmib=64            MiB written back and read back (bench-wb)
#   algomib=8           MiB of real data per algorithm case (bench-algos)

B_ALG=lz4 B_DISKSIZE=512M B_SIZE=128 B_RUNTIME=2 B_ROUNDS=3
B_DS=0:50:75:real B_JOBS=1 B_WL=seqwrite:seqread:randread:randwrite:randrw
B_DRIVERS=rs:c B_SIZES=256M:1G:4G:8G B_SWAPMIB=96 B_SWAPLIMIT=24 B_WBMIB=64
B_ALGOMIB=8
for a in $ZRS_ARGS; do
	case $a in
	alg=*) B_ALG=${a#*=} ;;
	disksize=*) B_DISKSIZE=${a#*=} ;;
	size=*) B_SIZE=${a#*=} ;;
	runtime=*) B_RUNTIME=${a#*=} ;;
	rounds=*) B_ROUNDS=${a#*=} ;;
	ds=*) B_DS=${a#*=} ;;
	jobs=*) B_JOBS=${a#*=} ;;
	wl=*) B_WL=${a#*=} ;;
	drivers=*) B_DRIVERS=${a#*=} ;;
	sizes=*) B_SIZES=${a#*=} ;;
	swapmib=*) B_SWAPMIB=${a#*=} ;;
	swaplimit=*) B_SWAPLIMIT=${a#*=} ;;
	wbmib=*) B_WBMIB=${a#*=} ;;
	algomib=*) B_ALGOMIB=${a#*=} ;;
	esac
done
NCPU=$(nproc)
REALDATA=/bench/realdata.img
list() { echo "$1" | tr ':' ' '; }
jobs_list() {
	local j
	for j in $(list "$B_JOBS"); do
		[ "$j" = ncpu ] && j=$NCPU
		echo "$j"
	done | awk '!seen[$0]++'
}

# Guest clock in microseconds (under -icount it follows executed
# instructions). busybox date has no %N; bash has EPOCHREALTIME.
now_us() { echo "${EPOCHREALTIME/./}"; }

# Data lines, counted: bash abandons a whole loop on an expansion error and
# goes on, so each test checks at its end that it emitted what it should.
B_EMITTED=0
bemit() {
	emit "$@"
	B_EMITTED=$((B_EMITTED + 1))
}
bench_done() { # expected-count
	[ "$B_EMITTED" = "$1" ] || fail "emitted $B_EMITTED data lines, expected $1"
	emit done count=$1
}
n_of() { list "$1" | wc -w; }

# A fresh device 0 of the driver in $ZRS_DRIVER: loaded if needed, reset,
# algorithm and disksize set.
fresh_dev() { # disksize
	[ -d /sys/class/zram-control ] || zram_load
	echo 1 > /sys/block/zram0/reset || fail "reset"
	echo "$B_ALG" > /sys/block/zram0/comp_algorithm || fail "comp_algorithm $B_ALG ($(driver_module))"
	echo "$1" > /sys/block/zram0/disksize || fail "disksize $1 ($(driver_module))"
}

# fio on DEV: workload WL, data set DS, NJ jobs, MIB MiB in all. Prints
# "rkb=N rms=N wkb=N wms=N" (KiB moved and runtime in ms, from fio's terse
# output; jobs are reported as a group). Real data goes through zrs-imgio,
# which writes the image's own bytes (fio can only make synthetic buffers)
# and prints the same fields.
run_io() { # dev wl ds nj mib
	local dev=$1 wl=$2 ds=$3 nj=$4 mib=$5 rw bs tb= per out
	case $wl in
	seqwrite) rw=write bs=1M ;;
	seqread) rw=read bs=1M tb=1 ;;
	randread) rw=randread bs=4k tb=1 ;;
	randwrite) rw=randwrite bs=4k tb=1 ;;
	randrw) rw=randrw bs=4k tb=1 ;;
	*) fail "unknown workload $wl" ;;
	esac
	per=$((mib / nj))
	if [ "$ds" = real ]; then
		[ -f $REALDATA ] || fail "no real data image in the guest"
		out=$(zrs-imgio "$dev" $REALDATA "$rw" "$bs" "$([ -n "$tb" ] && echo "$B_RUNTIME" || echo 0)" "$nj" "$((per * nj))") ||
			fail "zrs-imgio $dev $wl: $out"
		echo "$out"
		return
	fi
	out=$(fio --name=b --filename="$dev" --ioengine=psync --direct=1 \
		--rw=$rw --bs=$bs --rwmixread=70 --numjobs="$nj" --group_reporting \
		--size=${per}M --offset_increment=${per}M \
		${tb:+--time_based --runtime=$B_RUNTIME} \
		--buffer_compress_percentage="$ds" --refill_buffers \
		--norandommap --randrepeat=1 \
		--output-format=terse --terse-version=3 2>&1) || fail "fio $dev $wl ds=$ds: $out"
	echo "$out" | awk -F';' 'NF > 50 { print "rkb=" $6, "rms=" $9, "wkb=" $47, "wms=" $50 }' | tail -1
}
