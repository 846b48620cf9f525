#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build an out-of-tree module directory against KDIR with the kernel's own
# compiler, then check its Rust imports against the kernel's exports.
#
#   scripts/kbuild.sh KDIR SRCDIR MODDIR [MAKE ARGS...]
#
# KDIR may be a full build tree or a distribution's headers directory
# (scripts/rust-kdir.sh turns the latter into a Rust-enabled tree).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kdir=${1-}; src=${2:?SRCDIR}; mo=${3-}
shift 3
kd=$(bash "$here/rust-kdir.sh" "$kdir") || exit 1
[ -n "$mo" ] || { echo "zram-rs: no module output directory (MODDIR)" >&2; exit 1; }

. "$here/kcc.sh"
tools=$(kcc_args "$kd/include/config/auto.conf") || exit 1
mapfile -t tools <<< "$tools"

mkdir -p "$mo"
if ! make -C "$kd" M="$src" MO="$mo" "${tools[@]}" "$@" modules; then
	# modpost stops at the first unknown import, in many lines: say why once.
	for o in "$mo"/*.o; do
		[ -f "${o%.o}.mod" ] && bash "$here/check-symbols.sh" "$o" "$kd/Module.symvers"
	done
	exit 1
fi
for ko in "$mo"/*.ko; do
	bash "$here/check-symbols.sh" "$ko" "$kd/Module.symvers" || exit 1
done
