# SPDX-License-Identifier: GPL-2.0
# make bench: the two parts of a zram I/O measured alone.
#  - harness: the same fio jobs on null_blk (memory_backed=0, completion
#    in the submitter's context as zram completes, no I/O scheduler):
#    fio + block layer.
#  - compressor: zrs_compbench.ko runs the algorithm over the same kind of
#    pages (a file fio generates with the same options, or the real-data
#    image) through crypto acomp (as zram_rs does) and, for lz4, the lz4
#    library called directly (as the C zram does).
. ./lib.sh
. ./bench-lib.sh
modprobe null_blk nr_devices=1 memory_backed=0 irqmode=0 no_sched=1 gb=16 || fail "modprobe null_blk"
log "null_blk scheduler: $(cat /sys/block/nullb0/queue/scheduler)"
[ -b /dev/nullb0 ] || fail "no /dev/nullb0"
for round in $(seq 1 "$B_ROUNDS"); do
	for ds in $(list "$B_DS"); do
		for nj in $(jobs_list); do
			for wl in $(list "$B_WL"); do
				r=$(run_io /dev/nullb0 "$wl" "$ds" "$nj" "$B_SIZE")
				bemit fio drv=nullblk round=$round ds=$ds jobs=$nj wl=$wl $r
			done
		done
	done
done
rmmod null_blk

apis=acomp
[ "$B_ALG" = lz4 ] && apis="acomp lz4lib"
for ds in $(list "$B_DS"); do
	if [ "$ds" = real ]; then
		f=$REALDATA
	else
		f=/tmp/compbench.data
		fio --name=gen --filename=$f --rw=write --bs=1M --size=32M \
			--buffer_compress_percentage="$ds" --refill_buffers \
			--output-format=terse > /dev/null 2>&1 || fail "fio gen ds=$ds"
	fi
	for round in $(seq 1 "$B_ROUNDS"); do
		for api in $apis; do
			dmesg -c > /dev/null
			modprobe zrs_compbench path=$f alg="$B_ALG" api=$api ||
				fail "zrs_compbench api=$api alg=$B_ALG: $(dmesg | tail -3)"
			line=$(dmesg | grep -o 'zrs_compbench: api=.*' | tail -1)
			[ -n "$line" ] || fail "no zrs_compbench result"
			bemit comp round=$round ds=$ds ${line#zrs_compbench: }
			if [ -z "${cmeta:-}" ]; then
				cmeta=$(dmesg | grep -o 'sizeof_zram_table_entry=[0-9]*' | tail -1)
				bemit cmeta "$cmeta"
			fi
			rmmod zrs_compbench
		done
	done
	[ "$ds" = real ] || rm -f $f
done
nj=$(jobs_list | wc -l)
bench_done $((B_ROUNDS * $(n_of "$B_DS") * (nj * $(n_of "$B_WL") + $(echo $apis | wc -w)) + 1))
