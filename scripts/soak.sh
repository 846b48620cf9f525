#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make soak SECS=N: the reliability tests on the debug kernel, each running
# for about N seconds instead of its CI size (rmmod races, CPU hotplug with
# fio verify, fault injection, shadow-copy integrity), on our driver and,
# with DRIVERS="rs c", also on the in-tree C zram for comparison.
. "$(dirname "$0")/lib.sh"
secs=${1:-600}
tests=()
for d in ${DRIVERS:-rs}; do
	for t in zram-modrace zram-hotplug zram-faults zram-integrity; do
		if [ "$d" = c ]; then tests+=("$t@c"); else tests+=("$t"); fi
	done
done
bash "$ZRS_TOP/scripts/guest-run.sh" -k debug -s 4 -m 2G -t $((secs + 900)) -a "soak=$secs" \
	"${tests[@]}"
