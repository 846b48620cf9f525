# SPDX-License-Identifier: GPL-2.0
# Fault injection (failslab, fail_page_alloc): allocations of the task
# doing an operation fail at random (1% to 20% of them), many times over,
# so that failures land at different points of disksize (slot table, pool,
# compressor, per-CPU streams), hot_add (disk, queue, sysfs) and writes
# (zsmalloc), and writeback and recompression (their selection lists,
# batch pages, backing-device bios, new objects). Every error path must unwind: the operation fails with an
# errno, the device stays usable or cleanly uninitialised, and kmemleak
# (the harness) finds nothing.
# ZRS_UNIT (zram-faults@unit): devices store units of that size, the data
# go in as whole units (zrs-unitio, from a huge page), and failures also
# land in unit chunk allocation (which falls back to pages) and in the
# splits that writeback and recompression make.
. ./lib.sh
dbg=/sys/kernel/debug
[ -d $dbg/failslab ] && [ -d $dbg/fail_page_alloc ] || skip "kernel without failslab/fail_page_alloc (use the debug kernel)"
trials=${ZRS_FAULT_TRIALS:-24}
# The C zram's run (@c) is for the record, and @unit repeats ours with
# units (disksize and hot_add do the same with them): a quarter of the
# trials each.
[ "${ZRS_DRIVER:-rs}" = c ] && trials=6
[ -n "$ZRS_UNIT" ] && trials=6
probs="1 2 5 20"

arm() { # facility percent
	local f=$dbg/$1
	echo Y > $f/task-filter
	echo N > $f/ignore-gfp-wait 2>/dev/null
	[ -e $f/ignore-gfp-highmem ] && echo N > $f/ignore-gfp-highmem
	echo 0 > $f/verbose
	echo 1 > $f/interval
	echo 0 > $f/space
	echo -1 > $f/times
	echo $2 > $f/probability
}
disarm() { echo 0 > $dbg/$1/probability; echo 0 > $dbg/$1/times; }
[ -n "$ZRS_UNIT" ] && thp_always
# Load the driver, with units if asked for (unit_size outlives resets).
load() {
	zram_load
	[ -z "$ZRS_UNIT" ] || echo $ZRS_UNIT > /sys/block/zram0/unit_size || fail "unit_size"
}
# Write FILE at the start of zram0, direct: as whole units with ZRS_UNIT.
put() { # file
	if [ -n "$ZRS_UNIT" ]; then
		zrs-unitio /dev/zram0 put "$1"
	else
		dd if="$1" of=/dev/zram0 bs=64k oflag=direct 2>/dev/null
	fi
}
# Add zram0's unit_stat to the totals before a reset clears it.
uw=0 usplit=0 ufb=0
unit_totals() {
	[ -n "$ZRS_UNIT" ] || return 0
	local a b c d e
	read -r a b c d e < /sys/block/zram0/unit_stat
	uw=$((uw + b)) usplit=$((usplit + d)) ufb=$((ufb + e))
}
# Run a command as a task that the armed facility may fail.
faulty() { bash -c 'echo 1 > /proc/self/make-it-fail; exec "$@"' _ "$@"; }

# Injected failures make the allocator report "page allocation failure"
# with a stack trace: expected here. Drop exactly those reports (up to the
# end of their trace) and fail on anything else that looks like a splat.
check_log() { # what
	dmesg -c | awk '
		/page allocation failure|vmalloc error/ { skip = 1 }
		skip { if ($0 ~ /<\/TASK>/) skip = 0; next }
		!skip { print }' > /tmp/faults.log
	if grep -E "$SPLAT" /tmp/faults.log; then fail "kernel splat during $1 (beyond allocation-failure reports)"; fi
}
dmesg -c > /dev/null
modprobe brd rd_nr=1 rd_size=8192 || fail "modprobe brd"
textdata 262144 > /tmp/pp
head -c 65536 /dev/urandom >> /tmp/pp
ops=0 faults=0 nowrite=0
passes=0
while :; do
passes=$((passes + 1))
for fac in failslab fail_page_alloc; do
	# disksize: the slot table, the pool, the compressor and its streams.
	load
	for n in $(seq 1 $trials); do
		p=$(echo $probs | cut -d' ' -f$((n % 4 + 1)))
		arm $fac $p
		r=$(faulty zrs-write /sys/block/zram0/disksize 8M)
		disarm $fac
		ops=$((ops + 1))
		case $r in
		OK) echo 1 > /sys/block/zram0/reset || fail "reset after disksize ($fac)" ;;
		E*) faults=$((faults + 1))
			expect_eq "initstate after failed disksize ($fac, $r)" "$(cat /sys/block/zram0/initstate)" 0 ;;
		"") # The injected failure hit the helper before it could write
			# (exec): nothing reached the driver; it must be as it was.
			nowrite=$((nowrite + 1))
			expect_eq "initstate after a helper failure ($fac)" "$(cat /sys/block/zram0/initstate)" 0 ;;
		*) fail "disksize under $fac: '$r'" ;;
		esac
	done
	check_log "disksize under $fac"
	# The device is still good.
	echo 8M > /sys/block/zram0/disksize || fail "disksize after $fac faults"
	dd if=/tests/lib.sh of=/dev/zram0 bs=4k count=1 conv=sync oflag=direct 2>/dev/null || fail "write after $fac faults"
	echo 1 > /sys/block/zram0/reset

	# hot_add: the disk, its queue and sysfs.
	for n in $(seq 1 $trials); do
		p=$(echo $probs | cut -d' ' -f$((n % 4 + 1)))
		arm $fac $p
		faulty cat /sys/class/zram-control/hot_add > /dev/null 2>&1
		disarm $fac
		ops=$((ops + 1))
		# Judge by what exists, not by what cat printed: an injected
		# failure can hit cat itself after the kernel made the device.
		made=0
		for b in /sys/block/zram[1-9]*; do
			[ -e "$b" ] || continue
			echo ${b##*/zram} > /sys/class/zram-control/hot_remove || fail "hot_remove ${b##*/} after $fac"
			made=$((made + 1))
		done
		[ $made -le 1 ] || fail "one hot_add under $fac made $made devices"
		[ $made = 0 ] && faults=$((faults + 1))
	done
	check_log "hot_add under $fac"
	expect_eq "hot_add after $fac faults" "$(cat /sys/class/zram-control/hot_add)" 1
	echo 1 > /sys/class/zram-control/hot_remove

	# Writes: zsmalloc allocations in the I/O path fail; the writer gets
	# EIO, the slot keeps its old data.
	echo 8M > /sys/block/zram0/disksize
	head -c 65536 /dev/urandom > /tmp/old
	put /tmp/old || fail "write old data"
	textdata 65536 > /tmp/new
	for n in $(seq 1 8); do
		arm $fac $(echo $probs | cut -d' ' -f$((n % 4 + 1)))
		if [ -n "$ZRS_UNIT" ]; then
			faulty zrs-unitio /dev/zram0 put /tmp/new
		else
			faulty dd if=/tmp/new of=/dev/zram0 bs=64k oflag=direct 2>/dev/null
		fi
		disarm $fac
		ops=$((ops + 1))
		dd if=/dev/zram0 of=/tmp/back bs=64k count=1 iflag=direct 2>/dev/null || fail "read after $fac write fault"
		# Every page is either the old or the new one, never garbage.
		for p in $(seq 0 15); do
			dd if=/tmp/back bs=4096 skip=$p count=1 2>/dev/null > /tmp/pb
			dd if=/tmp/old bs=4096 skip=$p count=1 2>/dev/null | cmp -s - /tmp/pb ||
				dd if=/tmp/new bs=4096 skip=$p count=1 2>/dev/null | cmp -s - /tmp/pb ||
				fail "page $p is neither old nor new after $fac write faults (trial $n)"
		done
	done
	check_log "writes under $fac"
	faults=$((faults + $(awk '{print $2}' /sys/block/zram0/io_stat)))
	unit_totals
	echo 1 > /sys/block/zram0/reset

	# Writeback and recompression: whatever fails, every page still reads
	# back as written (from memory or from the backing device).
	echo /dev/ram0 > /sys/block/zram0/backing_dev || fail "backing_dev"
	echo algo=zstd > /sys/block/zram0/recomp_algorithm || fail "recomp_algorithm"
	echo 8M > /sys/block/zram0/disksize || fail "disksize for post-processing"
	put /tmp/pp || fail "write for post-processing"
	for n in $(seq 1 4); do
		for op in "idle all" "recompress type=idle" "writeback huge" "writeback idle"; do
			arm $fac $(echo $probs | cut -d' ' -f$((n % 4 + 1)))
			r=$(faulty zrs-write /sys/block/zram0/${op%% *} "${op#* }")
			disarm $fac
			ops=$((ops + 1))
			case $r in
			OK) ;;
			"") nowrite=$((nowrite + 1)) ;;
			ENOMEM | EIO | ENOSPC) faults=$((faults + 1)) ;;
			*) fail "${op%% *} under $fac: $r" ;;
			esac
		done
		dd if=/dev/zram0 of=/tmp/ppback bs=64k count=5 iflag=direct 2>/dev/null || fail "read after $fac post-processing faults"
		if ! cmp -s /tmp/pp /tmp/ppback; then
			# What the differing pages are, for whoever reads the log.
			pages=$(cmp -l /tmp/pp /tmp/ppback | awk '{ print int(($1 - 1) / 4096) }' | uniq | head -8 | xargs)
			echo "pages differing: $pages (of $(cmp -l /tmp/pp /tmp/ppback | wc -l) bytes)"
			for p in $pages; do awk -v p=$p '$1 == p' $dbg/zram/zram0/block_state; done
			echo "mm_stat $(cat /sys/block/zram0/mm_stat) bd_stat $(cat /sys/block/zram0/bd_stat) io_stat $(cat /sys/block/zram0/io_stat)"
			fail "data changed by post-processing under $fac (trial $n, last: $op -> $r)"
		fi
		# Rewrite some pages so that the next trial has work again.
		dd if=/tmp/pp of=/dev/zram0 bs=4k count=16 seek=$((n * 4)) skip=$((n * 4)) oflag=direct 2>/dev/null
	done
	check_log "writeback/recompress under $fac"
	unit_totals
	echo 1 > /sys/block/zram0/reset
	zram_unload
done
soak_left || break
done
[ $faults -gt 0 ] || fail "no injected failure reached the driver in $ops operations"
thp_restore
units=
if [ -n "$ZRS_UNIT" ]; then
	[ $uw -gt 0 ] || fail "no unit written"
	[ $usplit -gt 0 ] || fail "no unit split by post-processing"
	units=" unit_writes=$uw unit_splits=$usplit unit_fallbacks=$ufb"
fi
emit "driver=$(driver_module) passes=$passes ops=$ops faults=$faults nowrite=$nowrite$units"
log "ok ($(driver_module)): $passes pass(es), $ops operations under injected allocation failures: $faults failed cleanly ($nowrite never reached the driver), every error path unwound"
