#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the install path: make install/uninstall into a module tree
# (ours as updates/zram.ko, which modprobe then prefers to the C zram;
# uninstall restores the tree exactly), dkms build against the project's
# kernel, and a clear error for each common KDIR mistake.
# Prints "PASS name" / "FAIL name: why" per check.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kd=${1:?KDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
krel=$(cat "$kd/include/config/kernel.release")
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }
snap() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 md5sum); }

# 1. install / uninstall into a copy of the kernel's own module tree.
cp -a "$kd/modroot/." "$tmp/root/" 2>/dev/null || { mkdir -p "$tmp/root"; cp -a "$kd/modroot/." "$tmp/root/"; }
snap "$tmp/root" > "$tmp/before"
if make -s -C "$top" install KDIR="$kd" INSTALL_MOD_PATH="$tmp/root" >"$tmp/log" 2>&1 &&
	[ -f "$tmp/root/lib/modules/$krel/updates/zram.ko" ] &&
	grep -q '^updates/zram.ko:' "$tmp/root/lib/modules/$krel/modules.dep" &&
	[ "$(modinfo -b "$tmp/root" -k "$krel" -n zram)" = "$tmp/root/lib/modules/$krel/updates/zram.ko" ] &&
	modinfo -b "$tmp/root" -k "$krel" -F description zram | grep -q 'in Rust'; then
	pass "make install puts ours as updates/zram.ko, which modprobe zram resolves to"
else
	fail "make install: $(tail -3 "$tmp/log")"
fi
make -s -C "$top" uninstall KDIR="$kd" INSTALL_MOD_PATH="$tmp/root" >"$tmp/log" 2>&1
snap "$tmp/root" > "$tmp/after"
if cmp -s "$tmp/before" "$tmp/after" &&
	[ "$(modinfo -b "$tmp/root" -k "$krel" -n zram)" = "$tmp/root/lib/modules/$krel/kernel/drivers/block/zram/zram.ko" ]; then
	pass "make uninstall restores the module tree exactly (modprobe zram: the C zram)"
else
	fail "make uninstall left: $(diff "$tmp/before" "$tmp/after" | head -3 | tr '\n' '|')"
fi
# DESTDIR is honoured as the install root too.
if make -s -C "$top" install KDIR="$kd" DESTDIR="$tmp/dest" >"$tmp/log" 2>&1 &&
	[ -f "$tmp/dest/lib/modules/$krel/updates/zram.ko" ]; then
	pass "make install honours DESTDIR"
else
	fail "make install DESTDIR: $(tail -3 "$tmp/log")"
fi
# The side-by-side build keeps its own name.
if modinfo "$(bash "$top/scripts/modpath.sh" "$kd")/zram_rs.ko" 2>/dev/null | grep -q '^name: *zram_rs$'; then
	pass "make modules still builds zram_rs.ko (beside the C zram)"
else
	fail "make modules: no zram_rs.ko named zram_rs"
fi

# 3. Clear errors for the common mistakes (each must name the problem).
expect_err() { # name pattern KDIR
	local out
	out=$(make -s -C "$top" modules KDIR="$3" 2>&1) && { fail "$1: build succeeded"; return; }
	if echo "$out" | grep -q -- "$2"; then pass "$1"; else fail "$1: got '$(echo "$out" | head -2)'"; fi
}
mkdir -p "$tmp/notree"
expect_err "error: KDIR that is not a kernel build tree" "not a configured kernel build tree" "$tmp/notree"
expect_err "error: KDIR that does not exist" "does not exist" "$tmp/nonexistent"
mkdir -p "$tmp/norust/include/config"
cp "$kd/Makefile" "$kd/.config" "$tmp/norust/"
sed -i 's/^CONFIG_RUST=y/# CONFIG_RUST is not set/' "$tmp/norust/.config"
touch "$tmp/norust/include/config/auto.conf"
expect_err "error: kernel without CONFIG_RUST" "built without CONFIG_RUST" "$tmp/norust"
mkdir -p "$tmp/nometa/include/config"
cp "$kd/Makefile" "$kd/.config" "$tmp/nometa/"
cp "$kd/include/config/auto.conf" "$kd/include/config/kernel.release" "$tmp/nometa/include/config/"
expect_err "error: kernel without Rust metadata and no package" "no Rust metadata" "$tmp/nometa"
mkdir -p "$tmp/oldrust/include/config" "$tmp/oldrust/rust"
cp "$kd/Makefile" "$kd/.config" "$kd/Module.symvers" "$tmp/oldrust/"
cp "$kd/include/config/kernel.release" "$tmp/oldrust/include/config/"
touch "$tmp/oldrust/rust/libkernel.rmeta"
sed 's/^CONFIG_RUSTC_VERSION_TEXT=.*/CONFIG_RUSTC_VERSION_TEXT="rustc 1.85.1 (4eb161250 2025-03-15) (built from a source tarball)"/' "$kd/include/config/auto.conf" > "$tmp/oldrust/include/config/auto.conf"
expect_err "error: rustc whose version string differs from the kernel's" "is not the rustc that built kernel" "$tmp/oldrust"

# 4. DKMS, against the project's kernel build (not the running kernel).
if command -v dkms >/dev/null; then
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
	src=/usr/src/zram-rs-$ver
	dkms remove -m zram-rs -v "$ver" --all >/dev/null 2>&1
	rm -rf "$src"
	mkdir -p "$src"
	(cd "$top" && git ls-files -z --cached --others --exclude-standard 2>/dev/null | xargs -0 -I{} cp --parents {} "$src/") || cp -a "$top/." "$src/"
	if dkms add -m zram-rs -v "$ver" >"$tmp/dkms" 2>&1 &&
		dkms build -m zram-rs -v "$ver" -k "$krel" --kernelsourcedir "$kd" >>"$tmp/dkms" 2>&1 &&
		ls /var/lib/dkms/zram-rs/"$ver"/"$krel"/*/module/zram.ko* >/dev/null 2>&1; then
		pass "dkms build against the project's kernel tree"
	else
		fail "dkms build: $(tail -5 "$tmp/dkms" | tr '\n' '|')"
		find /var/lib/dkms/zram-rs -name make.log -exec tail -20 {} \; 2>/dev/null
	fi
	dkms remove -m zram-rs -v "$ver" --all >/dev/null 2>&1
	rm -rf "$src"
else
	fail "dkms is not installed (scripts/setup-host.sh installs it)"
fi
