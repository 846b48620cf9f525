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
auto=$kd/include/config/auto.conf

# The kernel's compiler: gcc as its .config names it (Debian's is
# x86_64-linux-gnu-gcc-14), or clang: clang-N if the tree was built by
# clang N and clang-N exists (DKMS would pass CC=clang, which need not
# exist), else plain LLVM=1. LLVM=... in the environment wins.
if grep -q '^CONFIG_CC_IS_GCC=y' "$auto"; then
	cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\{0,1\}\([^ "]*\).*/\1/p' "$auto")
	tools=(CC="$cc")
else
	major=$(sed -n 's/^CONFIG_CLANG_VERSION=\([0-9]*\)[0-9]\{4\}$/\1/p' "$auto")
	llvm=${LLVM:-}
	if [ -z "$llvm" ]; then
		if [ -n "$major" ] && command -v "clang-$major" >/dev/null; then llvm=-$major; else llvm=1; fi
	fi
	tools=(LLVM="$llvm")
	[[ $llvm == -* ]] && tools+=(CC="clang$llvm" LD="ld.lld$llvm")
fi

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
