# SPDX-License-Identifier: GPL-2.0
# make bench: what a device costs before it stores anything, against its
# size. For each disksize, the growth of VmallocUsed, Slab and the fall of
# MemFree when disksize is set (the slot table is allocated then), per
# driver, alternated. The per-page slope between the smallest and the
# largest size is the metadata each page of disk costs.
. ./lib.sh
. ./bench-lib.sh
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
snap() {
	sync; echo 3 > /proc/sys/vm/drop_caches
	echo "$(meminfo VmallocUsed) $(meminfo Slab) $(meminfo MemFree)"
}
for round in $(seq 1 "$B_ROUNDS"); do
	for drv in $(list "$B_DRIVERS"); do
		export ZRS_DRIVER=$drv
		zram_load
		echo "$B_ALG" > /sys/block/zram0/comp_algorithm
		for sz in $(list "$B_SIZES"); do
			read -r v0 s0 f0 <<< "$(snap)"
			echo "$sz" > /sys/block/zram0/disksize || fail "disksize $sz ($drv)"
			read -r v1 s1 f1 <<< "$(snap)"
			bytes=$(cat /sys/block/zram0/size)
			bytes=$((bytes * 512))
			bemit memsize drv=$drv round=$round disksize=$bytes pages=$((bytes / 4096)) \
				vmalloc_kb=$((v1 - v0)) slab_kb=$((s1 - s0)) memfree_kb=$((f0 - f1))
			echo 1 > /sys/block/zram0/reset
			echo "$B_ALG" > /sys/block/zram0/comp_algorithm
		done
		zram_unload
	done
done
unset ZRS_DRIVER
bench_done $((B_ROUNDS * $(n_of "$B_DRIVERS") * $(n_of "$B_SIZES")))
