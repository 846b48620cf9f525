#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make run: set up what is missing, boot the release kernel in QEMU, load
# zram_rs and run the demo (swap + ext4 under a workload that swaps), then
# show what it printed.
. "$(dirname "$0")/lib.sh"
ZRS_FLAVOURS=release bash "$ZRS_TOP/scripts/setup.sh"
bash "$ZRS_TOP/scripts/guest-run.sh" -k release -s 2 -m 512M -t 600 demo
rc=$?
log=$(ls -td "$ZRS_CACHE"/runs/*-release-* | head -1)/console.log
echo
sed -n 's/^demo| \{0,1\}//p' "$log"
echo
echo "(TCG guest: timings are emulated, not real-hardware figures; full log: $log)"
exit $rc
