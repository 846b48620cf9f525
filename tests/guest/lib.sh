# SPDX-License-Identifier: GPL-2.0
# Helpers for guest tests. Sourced by tests/guest/*.sh (busybox ash or bash).
# A test exits 0 to pass, 77 to skip (reason via skip), anything else fails.

fail() {
	echo "FAIL: $*" | tee -a /tmp/fail-reason >&2
	exit 1
}
skip() {
	echo "$*" > /tmp/skip-reason
	echo "SKIP: $*"
	exit 77
}
log() { echo "[$ZRS_TEST] $*"; }
# Structured data for the host (benchmarks): one line on the results port.
emit() { echo "ZRS-DATA $ZRS_TEST $*" > /dev/ttyS1; }

expect_eq() { # what got want
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# Write VALUE to FILE in one write(2) and print the errno name (or OK).
# Uses the static helper when present, so the exact errno is checked.
sysfs_write() { # file value
	zrs-write "$1" "$2"
}
expect_write() { # file value errno
	local r
	r=$(sysfs_write "$1" "$2")
	[ "$r" = "$3" ] || fail "write '$2' > $1: got $r, want $3"
}

# Our module, or the C zram if ZRS_DRIVER=c.
driver_module() {
	if [ "${ZRS_DRIVER:-rs}" = c ]; then echo zram; else echo zram_rs; fi
}

# Load the driver under test with PARAMS; unload it (and check it is gone).
zram_load() {
	modprobe "$(driver_module)" "$@" || fail "modprobe $(driver_module) $*"
	[ -d /sys/class/zram-control ] || fail "no /sys/class/zram-control after load"
}
zram_unload() {
	local m
	m=$(driver_module)
	swapoff -a 2>/dev/null
	rmmod "$m" || fail "rmmod $m"
	[ -e /sys/module/$m ] && fail "$m still loaded after rmmod"
	return 0
}
# Attribute of zram device N.
attr() { cat /sys/block/zram$1/$2; }
# Field K (1-based) of mm_stat of device N.
mm() { awk -v k=$2 '{ print $k }' /sys/block/zram$1/mm_stat; }
# BYTES of compressible text (the test scripts, repeated) on stdout.
textdata() {
	local n=0
	while [ $n -lt $1 ]; do
		cat /tests/*.sh
		n=$((n + $(cat /tests/*.sh | wc -c)))
	done | head -c $1
}

# CPU hotplug storm: CPUs 1..N-1 go offline and online in a loop in the
# background until hp_storm_stop, which prints how many flips were done.
hp_storm_start() {
	local cpus
	cpus=$(ls -d /sys/devices/system/cpu/cpu[1-9]* 2>/dev/null)
	[ -n "$cpus" ] || skip "needs at least 2 CPUs"
	rm -f /tmp/hp.stop
	echo 0 > /tmp/hp.count
	(
		n=0
		while [ ! -e /tmp/hp.stop ]; do
			for c in $cpus; do
				echo 0 > $c/online 2>/dev/null && n=$((n + 1))
				echo 1 > $c/online 2>/dev/null && n=$((n + 1))
				echo $n > /tmp/hp.count
			done
		done
	) &
	HP_PID=$!
}
hp_storm_stop() {
	touch /tmp/hp.stop
	wait $HP_PID
	for c in /sys/devices/system/cpu/cpu[1-9]*; do echo 1 > $c/online 2>/dev/null; done
	cat /tmp/hp.count
}

# zrs.args from the kernel command line: soak=SECS makes the reliability
# tests run for about that long instead of their CI size.
SOAK=
for a in $ZRS_ARGS; do
	case $a in soak=*) SOAK=${a#soak=} ;; esac
done
# True while a soak run has time left (always false without soak=).
soak_left() { [ -n "$SOAK" ] && [ "$(date +%s)" -lt "$SOAK_END" ]; }
SOAK_END=$(( $(date +%s) + ${SOAK:-0} ))

# Differential transcripts (one per driver, compared afterwards): append to
# $T the errno of writing VALUE to attribute ATTR of zram0.
tw() { # attr value
	echo "write '$2' > $1: $(zrs-write /sys/block/zram0/$1 "$2")" >> $T
}
# zram0's debugfs block_state as flag-pattern counts: "..h...=128 s.....=256".
bs_flags() {
	awk '{ f[$3]++ } END { for (k in f) print k "=" f[k] }' \
		/sys/kernel/debug/zram/zram0/block_state | sort | xargs
}
# Read the first 4 MiB of zram0 back and compare it with /tmp/d.
readback4() { # label
	dd if=/dev/zram0 of=/tmp/r bs=1M count=4 iflag=direct 2>/dev/null || fail "$1: read ($ZRS_DRIVER)"
	cmp -s /tmp/d /tmp/r || fail "$1: data read back differs ($ZRS_DRIVER)"
}

# With ZRS_ASYNC=1 (NAME@async), the algorithm tests use this in place of
# their own: "842", which zrs_async_acomp registers as an asynchronous
# acomp implementation above the generic one. The guest's init fails the
# test if no request went through it.
ASYNC_ALGO=842

# Transparent huge pages on every anonymous fault, for zrs-unitio's I/O
# buffer (tinyconfig kernels have no madvise(2)); thp_restore puts the
# previous setting back. No-ops on a kernel without THP.
THP_ENABLED=/sys/kernel/mm/transparent_hugepage/enabled
thp_always() {
	[ -e $THP_ENABLED ] || return 0
	THP_WAS=$(sed 's/.*\[\(.*\)\].*/\1/' $THP_ENABLED)
	echo always > $THP_ENABLED
}
thp_restore() {
	[ -n "$THP_WAS" ] && echo "$THP_WAS" > $THP_ENABLED
	return 0
}
