# SPDX-License-Identifier: GPL-2.0
# make bench: writeback to a backing device (a brd ram disk) and reads of
# written-back pages, each driver in turn (ours, the C zram, ours...) at
# the default writeback_batch_size: fill the device with wbmib MiB of 50%
# compressible data, mark it all idle, time `writeback idle`, then time one
# sequential direct read of the whole device, every page of which now
# comes from the backing device. Reported: ms of each and the pages
# written back and read from the backing device (bd_stat). Round 0 is a
# warm-up, not reported: the first pass in a boot is slower (15 ms in 150
# at 64 MiB) whichever driver it is on, and ours goes first.
. ./lib.sh
. ./bench-lib.sh
modprobe brd rd_nr=1 rd_size=$(((B_WBMIB + 4) * 1024)) || fail "modprobe brd"
for round in $(seq 0 "$B_ROUNDS"); do
	for drv in $(list "$B_DRIVERS"); do
		export ZRS_DRIVER=$drv
		zram_load
		echo /dev/ram0 > /sys/block/zram0/backing_dev || fail "backing_dev ($drv)"
		echo "$B_ALG" > /sys/block/zram0/comp_algorithm || fail "comp_algorithm ($drv)"
		echo "${B_WBMIB}M" > /sys/block/zram0/disksize || fail "disksize ($drv)"
		run_io /dev/zram0 seqwrite 50 1 "$B_WBMIB" > /dev/null
		echo all > /sys/block/zram0/idle || fail "idle ($drv)"
		t0=$(now_us)
		echo idle > /sys/block/zram0/writeback || fail "writeback ($drv)"
		t1=$(now_us)
		dd if=/dev/zram0 of=/dev/null bs=1M count="$B_WBMIB" iflag=direct 2> /dev/null ||
			fail "read back ($drv)"
		t2=$(now_us)
		read -r _ bd_reads bd_writes <<< "$(cat /sys/block/zram0/bd_stat)"
		[ "$bd_writes" -gt 0 ] || fail "nothing written back ($drv)"
		if [ "$round" = 0 ]; then
			log "warm-up ($drv): writeback $(((t1 - t0) / 1000)) ms, read back $(((t2 - t1) / 1000)) ms"
		else
			bemit wb drv=$drv round=$round mib=$B_WBMIB batch="$(cat /sys/block/zram0/writeback_batch_size)" \
				wb_ms=$(((t1 - t0) / 1000)) rd_ms=$(((t2 - t1) / 1000)) \
				bd_writes=$bd_writes bd_reads=$bd_reads
		fi
		echo 1 > /sys/block/zram0/reset
		zram_unload
	done
done
unset ZRS_DRIVER
rmmod brd
bench_done $((B_ROUNDS * $(n_of "$B_DRIVERS")))
