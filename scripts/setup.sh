#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Everything `make check` and `make run` need, from a bare machine:
# host packages, the kernel source, both kernels, and the Debian 13
# environment with Debian's own kernel. Idempotent.
. "$(dirname "$0")/lib.sh"
bash "$ZRS_TOP/scripts/setup-host.sh"
bash "$ZRS_TOP/scripts/fetch-kernel.sh"
for f in ${ZRS_FLAVOURS:-release debug}; do
	bash "$ZRS_TOP/scripts/build-kernel.sh" "$f" >/dev/null
done
bash "$ZRS_TOP/scripts/debian-root.sh" >/dev/null
