# SPDX-License-Identifier: GPL-2.0
# make bench: fio on zram, each driver in turn (ours, the C zram, ours...)
# for every data set, job count and workload, on a fresh device each time.
# After the sequential write (one pass over the data) the device's mm_stat
# is reported too: the same data stored by both drivers.
. ./lib.sh
. ./bench-lib.sh
for round in $(seq 1 "$B_ROUNDS"); do
	for drv in $(list "$B_DRIVERS"); do
		export ZRS_DRIVER=$drv
		zram_load
		for ds in $(list "$B_DS"); do
			for nj in $(jobs_list); do
				fresh_dev "$B_DISKSIZE"
				for wl in $(list "$B_WL"); do
					r=$(run_io /dev/zram0 "$wl" "$ds" "$nj" "$B_SIZE")
					bemit fio drv=$drv round=$round ds=$ds jobs=$nj wl=$wl $r
					if [ "$wl" = seqwrite ]; then
						read -r o c m _ <<< "$(cat /sys/block/zram0/mm_stat)"
						bemit mem drv=$drv round=$round ds=$ds jobs=$nj orig=$o compr=$c used=$m
					fi
				done
				log "round $round $drv ds=$ds jobs=$nj done"
			done
		done
		echo 1 > /sys/block/zram0/reset
		zram_unload
	done
done
unset ZRS_DRIVER
nj=$(jobs_list | wc -l)
per=$(($(n_of "$B_WL") + $(list "$B_WL" | grep -cw seqwrite)))
bench_done $((B_ROUNDS * $(n_of "$B_DRIVERS") * $(n_of "$B_DS") * nj * per))
