# SPDX-License-Identifier: GPL-2.0
# make bench: compression algorithms with parameters, each driver in turn
# (ours, the C zram, ours...): zstd at levels 1, 3 and 9, zstd at level 3
# with a dictionary trained on the real-data set (/bench/realdata.dict,
# zstd --train on the host), lz4hc and deflate. Each writes algomib MiB of
# the real-data set sequentially (1 MiB blocks) to a fresh device, then
# reads it back (time-based); reported: KiB and ms of each, and
# compr_data_size and mem_used_total after the write. An algorithm the
# kernel's C zram lacks (lz4hc on our kernels) is not run for either
# driver, and is named in the log and the data. Round 0 is a warm-up.
. ./lib.sh
. ./bench-lib.sh
cases="zstd:level=1 zstd:level=3 zstd:level=9 zstd:level=3,dict=/bench/realdata.dict lz4hc: deflate:"
[ -f /bench/realdata.dict ] || fail "no dictionary in the guest"
zram_load
listed=$(tr -d '[]' < /sys/block/zram0/comp_algorithm)
zram_unload
n=0
for c in $cases; do
	algo=${c%%:*} params=${c#*:}
	params=${params//,/ }
	name=$algo${params:+-${params// /-}}
	name=${name//\/bench\/realdata.dict/trained}
	name=${name//=/}
	# Ours lists what this kernel's C zram lists.
	case " $listed " in
	*" $algo "*) ;;
	*)
		log "not run: $algo (not in this kernel's C zram)"
		emit algo_skip case=$name
		continue ;;
	esac
	for round in $(seq 0 "$B_ROUNDS"); do
		for drv in $(list "$B_DRIVERS"); do
			export ZRS_DRIVER=$drv
			zram_load
			echo "$algo" > /sys/block/zram0/comp_algorithm || fail "comp_algorithm $algo ($drv)"
			if [ -n "$params" ]; then
				echo "$params" > /sys/block/zram0/algorithm_params || fail "algorithm_params $params ($drv)"
			fi
			echo "$B_DISKSIZE" > /sys/block/zram0/disksize || fail "disksize ($drv)"
			w=$(run_io /dev/zram0 seqwrite real 1 "$B_ALGOMIB")
			read -r _ compr mem _ < /sys/block/zram0/mm_stat
			r=$(run_io /dev/zram0 seqread real 1 "$B_ALGOMIB")
			if [ "$round" = 0 ]; then
				log "warm-up $name ($drv): $w $r compr=$compr"
			else
				# shellcheck disable=SC2046
				bemit algo case=$name drv=$drv round=$round mib=$B_ALGOMIB \
					$(echo "$w" | cut -d' ' -f3-4) $(echo "$r" | cut -d' ' -f1-2) \
					compr=$compr mem=$mem
				n=$((n + 1))
			fi
			echo 1 > /sys/block/zram0/reset
			zram_unload
		done
	done
done
unset ZRS_DRIVER
bench_done $n
