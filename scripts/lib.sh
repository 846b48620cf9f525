# SPDX-License-Identifier: GPL-2.0
# Common settings for the zram-rs scripts. Sourced, never run.

set -euo pipefail

ZRS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything generated lives outside the clone, keyed so that a change of
# kernel version or config fragment builds a new tree beside the old one.
ZRS_CACHE=${ZRAM_RS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zram-rs}

KVER_DEB=7.3
# Debian's linux-source package, from trixie-backports.
KSRC_PKG=linux-source-7.3
KSRC_PKG_VERSION=7.3.4-1~bpo13+1
KSRC_SUITE=trixie-backports
KSRC_MIRROR=http://deb.debian.org/debian
KSRC_DIR=$ZRS_CACHE/src/linux-$KSRC_PKG_VERSION

LLVM_SUFFIX=-19
export LIBCLANG_PATH=/usr/lib/llvm-19/lib
BINDGEN_VERSION=0.73.2
export PATH=$HOME/.cargo/bin:$PATH

# rustc 1.85.1: the kernel's minimum, and built on LLVM 19 like our Clang.
# CONFIG_RUST_INLINE_HELPERS (release.config) needs rustc and Clang on one
# LLVM; it inlines the kernel crate's C helpers (atomics, smp_processor_id
# and the like) into the module instead of calling them. Every kernel and
# module build, and the host tests, use this toolchain (rustup installs it).
ZRS_RUST_TOOLCHAIN=1.85.1
export RUSTUP_TOOLCHAIN=${RUSTUP_TOOLCHAIN:-$ZRS_RUST_TOOLCHAIN}

# The deterministic benchmark boot (make bench, make profile): guest time
# advances with executed instructions. In instruction time a rep-prefixed
# string instruction counts once for the whole copy: hide erms/fsrm
# (memcpy, memset) and rep_good (copy_page, clear_page) so that every copy
# costs what its loop executes.
DET_QEMU_EXTRA="-cpu max,-erms,-fsrm -icount shift=0,sleep=off"
DET_CMDLINE_EXTRA="clearcpuid=rep_good"

# The static guest helpers (tests/guest/tools/*.c, exact errno from sysfs
# writes and the like), built into $ZRS_BIN for mkinitramfs.sh to copy.
guest_bins() {
	local c o
	export ZRS_BIN=$ZRS_CACHE/guest-bin
	mkdir -p "$ZRS_BIN"
	for c in "$ZRS_TOP"/tests/guest/tools/*.c; do
		o=$ZRS_BIN/$(basename "$c" .c)
		[ "$o" -nt "$c" ] || gcc -O2 -Wall -static -o "$o" "$c"
	done
}

# The QEMU arguments, command line and records every boot shares.
. "$ZRS_TOP/scripts/qemu-common.sh"

# The commit the tree is at, "-dirty" if it has changes.
git_id() {
	echo "$(git -C "$ZRS_TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ZRS_TOP" diff --quiet HEAD 2>/dev/null || echo -dirty)"
}

msg() { printf '[zram-rs] %s\n' "$*" >&2; }
die() { printf '[zram-rs] error: %s\n' "$*" >&2; exit 1; }

# Hash of a config fragment set (base + the named flavour) and of the
# Rust toolchain that builds it: a kernel tree is only good for modules
# built with the same rustc.
config_hash() {
	local flavour=$1
	{ cat "$ZRS_TOP/kconfig/base.config" "$ZRS_TOP/kconfig/$flavour.config"
	  echo "rust $RUSTUP_TOOLCHAIN"; } | sha256sum | cut -c1-12
}

kbuild_dir() {
	local flavour=$1
	echo "$ZRS_CACHE/build/$KSRC_PKG_VERSION-$flavour-$(config_hash "$flavour")"
}
