# SPDX-License-Identifier: GPL-2.0
# make bench: swap on zram. A fixed workload (zrs-memtest: every page
# written then read back and checked) that needs several times the memory
# its cgroup may use; time to completion and pages swapped in and out,
# each driver in turn. Round 0 is a warm-up, not reported: the first run
# of the workload in a boot takes about 10 ms (0.7%) longer, whichever
# driver it is on, and ours goes first.
. ./lib.sh
. ./bench-lib.sh
echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
vm() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
for round in $(seq 0 "$B_ROUNDS"); do
	for drv in $(list "$B_DRIVERS"); do
		export ZRS_DRIVER=$drv
		zram_load
		echo "$B_ALG" > /sys/block/zram0/comp_algorithm
		echo 512M > /sys/block/zram0/disksize || fail disksize
		mkswap /dev/zram0 > /dev/null || fail mkswap
		swapon /dev/zram0 || fail swapon
		mkdir -p /sys/fs/cgroup/zrsb
		[ -e /sys/fs/cgroup/zrsb/memory.max ] || fail "no memory cgroup controller"
		echo "${B_SWAPLIMIT}M" > /sys/fs/cgroup/zrsb/memory.max
		i0=$(vm pswpin) o0=$(vm pswpout) t0=$(now_us)
		bash -c 'echo $$ > /sys/fs/cgroup/zrsb/cgroup.procs && exec zrs-memtest "$1" 1' _ "$B_SWAPMIB" > /tmp/memtest.out ||
			fail "memtest ($drv): $(cat /tmp/memtest.out)"
		t1=$(now_us) i1=$(vm pswpin) o1=$(vm pswpout)
		grep -q "mismatches=0" /tmp/memtest.out || fail "memtest ($drv): $(cat /tmp/memtest.out)"
		# What was stored is gone by now (the workload exited and swap
		# freed its slots): mem_used_max is the peak it took.
		read -r _ _ _ _ peak _ <<< "$(cat /sys/block/zram0/mm_stat)"
		if [ "$round" = 0 ]; then
			log "warm-up ($drv): $(((t1 - t0) / 1000)) ms"
		else
			bemit swap drv=$drv round=$round mib=$B_SWAPMIB limit_mib=$B_SWAPLIMIT \
				ms=$(((t1 - t0) / 1000)) pswpin=$((i1 - i0)) pswpout=$((o1 - o0)) \
				peak=$peak
		fi
		rmdir /sys/fs/cgroup/zrsb
		swapoff /dev/zram0 || fail swapoff
		echo 1 > /sys/block/zram0/reset
		zram_unload
	done
done
unset ZRS_DRIVER
bench_done $((B_ROUNDS * $(n_of "$B_DRIVERS")))
