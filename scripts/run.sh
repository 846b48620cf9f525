#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make run: set up what is missing, boot the release kernel in QEMU, load
# zram_rs and run the demo (swap + ext4 under a workload that swaps), then
# show what it printed.
. "$(dirname "$0")/lib.sh"
ZRS_FLAVOURS=release bash "$ZRS_TOP/scripts/setup.sh"
bash "$ZRS_TOP/scripts/guest-run.sh" -k release -s 2 -m 512M -t 600 demo 2>&1 | tee /tmp/zrs-run.$$
rc=${PIPESTATUS[0]}
log=$(ls -td "$ZRS_CACHE"/runs/*-release-* | head -1)/console.log
echo
sed -n 's/^demo| \{0,1\}//p' "$log"
echo
if grep -q -- "-accel tcg" /tmp/zrs-run.$$; then
	echo "(QEMU TCG guest: times are emulated, not real-hardware figures)"
fi
rm -f /tmp/zrs-run.$$
echo "(full log: $log)"
exit $rc
