# SPDX-License-Identifier: GPL-2.0
# make profile (scripts/profile.sh): where each driver's guest time goes.
# perf samples cpu-clock system-wide while one fio job runs; under -icount
# that is a sample every N executed instructions. Each workload's report
# goes to the console after a "=== PROFILE" line with the fio figures;
# tests/bench/profile.py turns them into instructions per page.
. ./lib.sh
. ./bench-lib.sh
command -v perf >/dev/null || skip "no perf in the guest (make profile adds it)"
echo -1 > /proc/sys/kernel/perf_event_paranoid
echo 0 > /proc/sys/kernel/kptr_restrict
# Sample as often as asked: no throttling of the sampling interrupt.
echo 0 > /proc/sys/kernel/perf_cpu_time_max_percent
n=0
for drv in $(list "$B_DRIVERS"); do
	export ZRS_DRIVER=$drv
	zram_load
	for ds in $(list "$B_DS"); do
		fresh_dev "$B_DISKSIZE"
		for wl in $(list "$B_WL"); do
			perf record -q -o /tmp/p.data -a -e cpu-clock -c 4999 > /tmp/p.out 2>&1 &
			pid=$!
			# Let perf open its events before the workload starts.
			sleep 1
			r=$(run_io /dev/zram0 "$wl" "$ds" 1 "$B_SIZE")
			kill -INT $pid
			# perf record exits non-zero when interrupted: judge it by its data.
			wait $pid || true
			[ -s /tmp/p.data ] || { cat /tmp/p.out; fail "perf record ($drv $wl)"; }
			echo "=== PROFILE drv=$drv ds=$ds wl=$wl $r"
			perf report -i /tmp/p.data --stdio --sort sym --percent-limit 0.02 2>/dev/null |
				grep -v '^#' | grep -v '^$' | head -150
			rm -f /tmp/p.data
			n=$((n + 1))
		done
	done
	echo 1 > /sys/block/zram0/reset
	zram_unload
done
unset ZRS_DRIVER
[ $n = $(($(n_of "$B_DRIVERS") * $(n_of "$B_DS") * $(n_of "$B_WL"))) ] || fail "profiled $n workloads"
