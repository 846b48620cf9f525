#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Say clearly why KDIR cannot be a kernel for zram-rs, if it cannot: the
# checks that hold for every tree (scripts/rust-kdir.sh does the rest).
set -uo pipefail
kdir=${1:-}
err() { printf 'zram-rs: %s\n' "$*" >&2; exit 1; }

[ -n "$kdir" ] || err "KDIR is empty: pass KDIR=/path/to/a/kernel/build/tree"
[ -d "$kdir" ] || err "KDIR=$kdir does not exist"
[ -f "$kdir/Makefile" ] && [ -f "$kdir/.config" ] ||
	err "KDIR=$kdir is not a configured kernel build tree (no Makefile/.config)"
[ -f "$kdir/include/config/auto.conf" ] ||
	err "KDIR=$kdir is not prepared: run 'make modules_prepare' (or a full build) there"
grep -q '^CONFIG_RUST=y' "$kdir/.config" ||
	err "the kernel in KDIR=$kdir is built without CONFIG_RUST; zram-rs is a Rust module: use a kernel built with CONFIG_RUST=y (see README.md)"
exit 0
