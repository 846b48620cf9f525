#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print where the module built against KDIR lives (outside the clone, one
# directory per kernel build tree so two kernels never share objects).
. "$(dirname "$0")/lib.sh"
kdir=$(cd "${1:?KDIR}" && pwd)
echo "$ZRS_CACHE/mod/$(echo "$kdir" | sha256sum | cut -c1-12)"
