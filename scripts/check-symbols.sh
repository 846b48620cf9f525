#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Does the kernel export every kernel-crate and rust_helper_* symbol that
# a module imports? Rust symbols carry a hash of the compiler's version
# string, so a module built by another rustc, or against a rust/ built from
# another .config, imports names that the kernel does not have: say so in
# one line before anything is installed.
#
#   scripts/check-symbols.sh MODULE.{ko,o} Module.symvers
set -uo pipefail
mod=${1:?module}; symvers=${2:?Module.symvers}
missing=$(comm -23 \
	<(nm -u "$mod" | awk '{ print $2 }' | grep -E '^(_R|rust_helper_)' | sort -u) \
	<(awk '{ print $2 }' "$symvers" | sort -u))
[ -z "$missing" ] && exit 0
n=$(echo "$missing" | wc -l)
printf 'zram-rs: %s imports %d Rust symbol(s) that the kernel does not export (%s): first %s; build with the rustc that built the kernel, against a rust/ built from its own source and .config\n' \
	"$(basename "$mod")" "$n" "$symvers" "$(echo "$missing" | head -1)" >&2
exit 1
