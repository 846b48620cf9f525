#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the install path: make install/uninstall into a module tree
# (uninstall restores it exactly), install-alias, dkms build against the
# project's kernel, and a clear error for each common KDIR mistake.
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
	[ -f "$tmp/root/lib/modules/$krel/updates/zram_rs.ko" ] &&
	grep -q '^updates/zram_rs.ko:' "$tmp/root/lib/modules/$krel/modules.dep"; then
	pass "make install puts zram_rs.ko under updates/ and runs depmod"
else
	fail "make install: $(tail -3 "$tmp/log")"
fi
make -s -C "$top" uninstall KDIR="$kd" INSTALL_MOD_PATH="$tmp/root" >"$tmp/log" 2>&1
snap "$tmp/root" > "$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then
	pass "make uninstall restores the module tree exactly"
else
	fail "make uninstall left: $(diff "$tmp/before" "$tmp/after" | head -3 | tr '\n' '|')"
fi
# DESTDIR is honoured as the install root too.
if make -s -C "$top" install KDIR="$kd" DESTDIR="$tmp/dest" >"$tmp/log" 2>&1 &&
	[ -f "$tmp/dest/lib/modules/$krel/updates/zram_rs.ko" ]; then
	pass "make install honours DESTDIR"
else
	fail "make install DESTDIR: $(tail -3 "$tmp/log")"
fi

# 2. The opt-in alias.
make -s -C "$top" install-alias DESTDIR="$tmp/dest" >/dev/null 2>&1
if grep -qx 'alias zram zram_rs' "$tmp/dest/etc/modprobe.d/zram-rs.conf" 2>/dev/null; then
	pass "make install-alias writes etc/modprobe.d/zram-rs.conf"
else
	fail "make install-alias"
fi
make -s -C "$top" uninstall-alias DESTDIR="$tmp/dest" >/dev/null 2>&1
[ ! -e "$tmp/dest/etc/modprobe.d/zram-rs.conf" ] && pass "make uninstall-alias removes it" ||
	fail "make uninstall-alias"

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
cp "$kd/include/config/auto.conf" "$tmp/nometa/include/config/"
expect_err "error: kernel without Rust metadata (distro headers)" "no Rust metadata" "$tmp/nometa"
mkdir -p "$tmp/oldrust/include/config" "$tmp/oldrust/rust"
cp "$kd/Makefile" "$kd/.config" "$kd/Module.symvers" "$tmp/oldrust/"
touch "$tmp/oldrust/rust/libkernel.rmeta"
sed 's/^CONFIG_RUSTC_VERSION=.*/CONFIG_RUSTC_VERSION=107800/' "$kd/include/config/auto.conf" > "$tmp/oldrust/include/config/auto.conf"
expect_err "error: rustc that does not match the kernel's" "does not match the rustc that built" "$tmp/oldrust"

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
		ls /var/lib/dkms/zram-rs/"$ver"/"$krel"/*/module/zram_rs.ko* >/dev/null 2>&1; then
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
