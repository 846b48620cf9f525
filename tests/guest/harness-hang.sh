# SPDX-License-Identifier: GPL-2.0
# Harness self-test: ignores the guest-side timeout's SIGTERM, so only the
# host's time limit can end the run; make check expects it reported as hung.
. ./lib.sh
trap '' TERM
while :; do sleep 1; done
