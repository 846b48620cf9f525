#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Say clearly why KDIR cannot build an out-of-tree Rust module, if it cannot.
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
	err "the kernel in KDIR=$kdir is built without CONFIG_RUST; zram-rs is a Rust module: rebuild that kernel with CONFIG_RUST=y (see README.md, 'Install on your own kernel')"
if [ ! -f "$kdir/rust/libkernel.rmeta" ] || [ ! -f "$kdir/Module.symvers" ]; then
	err "KDIR=$kdir has CONFIG_RUST=y but no Rust metadata (rust/libkernel.rmeta) or Module.symvers: distribution headers packages ship none today; build the kernel tree itself (make LLVM=1 and modules) and pass that as KDIR"
fi
want=$(sed -n 's/^CONFIG_RUSTC_VERSION=//p' "$kdir/include/config/auto.conf")
have=$(rustc --version 2>/dev/null | awk '{ split($2, v, "[.-]"); printf "%d%03d%02d", v[1], v[2], v[3] }')
if [ -n "$want" ] && [ "$want" != "$have" ]; then
	err "rustc $(rustc --version | awk '{print $2}') does not match the rustc that built KDIR=$kdir (CONFIG_RUSTC_VERSION=$want): Rust modules must be built with the same compiler as the kernel"
fi
want=$(sed -n 's/^CONFIG_BINDGEN_VERSION_TEXT=//p' "$kdir/include/config/auto.conf" | tr -d '"')
if [ -n "$want" ]; then
	have=$(bindgen --version 2>/dev/null)
	[ "$have" = "$want" ] || printf 'zram-rs: warning: %s differs from the kernel'\''s %s\n' "${have:-no bindgen}" "$want" >&2
fi
exit 0
