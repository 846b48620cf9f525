#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the Debian path, in the Debian 13 environment
# (scripts/debian-root.sh) with Debian's own headers, linux-source, rustc
# and dkms: the module builds against the headers free of warnings and
# clippy-clean, its Rust imports are all exported by Debian's kernel (and
# the check catches a module that would not load), DKMS installs it as
# updates/dkms/zram.ko* with no --kernelsourcedir and removes it again,
# and each common mistake stops with one line and installs nothing.
# Prints "PASS name" / "FAIL name: why" per check.
. "$(dirname "$0")/../../scripts/lib.sh"
. "$ZRS_TOP/scripts/debian.sh"
set +e
pass() { echo "PASS debian: $*"; }
fail() { echo "FAIL debian: $*"; }
deb_lock
tree=/lib/modules/$DEB_KREL
headers=$tree/build
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$ZRS_TOP/dkms.conf")
src=$(deb_path "/usr/src/zram-rs-$ver")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Files of the module tree and what dkms holds, to compare before/after.
snap() { deb_run bash -c 'cd "$1" && find . -type f ! -name "modules.*" | sort | xargs md5sum; dkms status 2>/dev/null' bash "$tree"; }
stage_src() {
	rm -rf "$src"; mkdir -p "$src"
	(cd "$ZRS_TOP" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$src")
}
dkms_clean() { deb_run dkms remove -m zram-rs -v "$ver" --all >/dev/null 2>&1; }

# 1. The build against Debian's headers: no warning, clippy clean.
if deb_run make modules KDIR="$headers" MODDIR=/var/cache/zram-rs/dev/mod-debian >"$log" 2>&1; then
	if grep -qi 'warning' "$log"; then fail "build against $headers warns: $(grep -i -m2 warning "$log" | tr '\n' '|')"
	else pass "zram_rs builds against Debian's headers (gcc-14, Debian's rustc), no warning"; fi
else
	fail "build against $headers: $(tail -3 "$log" | tr '\n' '|')"
fi
if deb_run make clippy KDIR="$headers" MODDIR=/var/cache/zram-rs/dev/mod-debian >"$log" 2>&1 &&
	! grep -qi 'warning' "$log"; then
	pass "clippy (-Dwarnings) against Debian's headers"
else
	fail "clippy against Debian's headers: $(grep -i -m3 'warning\|error' "$log" | tr '\n' '|')"
fi
ko=$(deb_path /var/cache/zram-rs/dev/mod-debian/zram_rs.ko)
kd=$(deb_run bash scripts/rust-kdir.sh "$headers" 2>/dev/null)
dsyms=$(deb_path "$headers/Module.symvers")
n=$(nm -u "$ko" | awk '{ print $2 }' | grep -cE '^(_R|rust_helper_)')
if [ "$n" -gt 0 ] && bash "$ZRS_TOP/scripts/check-symbols.sh" "$ko" "$dsyms"; then
	pass "all $n Rust imports of zram_rs.ko are in Debian's Module.symvers"
else
	fail "Rust imports against Debian's Module.symvers ($n imports)"
fi
# The rebuilt rust/ exports exactly the Rust names Debian's kernel exports.
ours=$(cat "$(deb_path "$kd")"/rust/exports_*_generated.h 2>/dev/null | grep -o '(\(_R[A-Za-z0-9_]*\|rust_helper_[A-Za-z0-9_]*\))' | tr -d '()' | sort -u)
debs=$(awk '$2 ~ /^(_R|rust_helper_)/ && $3 == "vmlinux" { print $2 }' "$dsyms" | sort -u)
if [ -n "$ours" ] && [ "$ours" = "$debs" ]; then
	pass "rebuilt rust/ exports the same $(echo "$debs" | wc -l) Rust symbols as Debian's kernel"
else
	fail "rebuilt rust/ exports differ from Debian's: $(diff <(echo "$ours") <(echo "$debs") | head -3 | tr '\n' '|')"
fi
# The check must catch a module that would not load: ours built by
# rustup's rustc for the project's kernel imports other hashes.
rel_ko=$(bash "$ZRS_TOP/scripts/modpath.sh" "$(bash "$ZRS_TOP/scripts/build-kernel.sh" release 2>/dev/null)")/zram_rs.ko
out=$(bash "$ZRS_TOP/scripts/check-symbols.sh" "$rel_ko" "$dsyms" 2>&1)
if [ $? -ne 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q 'that the kernel does not export'; then
	pass "symbol check refuses a module built by another rustc, in one line"
else
	fail "symbol check on a foreign module: '$out'"
fi

# 2. DKMS as a Debian user runs it: no --kernelsourcedir.
dkms_clean
before=$(snap)
stage_src
if deb_run bash -euc 'dkms add -m zram-rs -v "$1" && dkms build -m zram-rs -v "$1" -k "$2" && dkms install -m zram-rs -v "$1" -k "$2"' \
	bash "$ver" "$DEB_KREL" >"$log" 2>&1; then
	f=$(deb_run modinfo -k "$DEB_KREL" -n zram)
	case $f in
	"$tree"/updates/dkms/zram.ko*)
		if deb_run modinfo -k "$DEB_KREL" -F description zram | grep -q 'in Rust' &&
			deb_run dkms status -m zram-rs -k "$DEB_KREL" | grep -q installed; then
			pass "dkms add/build/install: $f, which modprobe zram resolves to"
		else
			fail "dkms install: modinfo/dkms status do not show ours"
		fi ;;
	*) fail "dkms install: modprobe zram resolves to $f" ;;
	esac
else
	fail "dkms add/build/install: $(tail -4 "$log" | tr '\n' '|')"
fi
dkms_clean
after=$(snap)
f=$(deb_run modinfo -k "$DEB_KREL" -n zram)
if [ "$before" = "$after" ] && [[ $f == "$tree"/kernel/drivers/block/zram/zram.ko* ]]; then
	pass "dkms remove restores Debian's module tree (modprobe zram: Debian's zram.ko)"
else
	fail "dkms remove: tree differs or zram is $f: $(diff <(echo "$before") <(echo "$after") | head -3 | tr '\n' '|')"
fi

# 3. Mistakes: dkms build fails, make.log ends with our one line, and
# nothing is installed.
mistake() { # name pattern kernel [env-setup-command]
	local name=$1 pat=$2 krel=$3 setup=${4:-true} mlog lines
	stage_src
	before=$(snap)
	deb_run bash -c "$setup"' && dkms add -m zram-rs -v "$1" >/dev/null && dkms build -m zram-rs -v "$1" -k "$2"' \
		bash "$ver" "$krel" >"$log" 2>&1
	local rc=$?
	mlog=$(deb_path "/var/lib/dkms/zram-rs/$ver/build/make.log")
	lines=$(grep '^zram-rs: ' "$mlog" 2>/dev/null)
	dkms_clean
	after=$(snap)
	if [ $rc -eq 0 ]; then
		fail "$name: dkms build succeeded"
	elif [ "$(echo "$lines" | grep -c .)" != 1 ] || ! echo "$lines" | grep -q -- "$pat"; then
		fail "$name: want one line matching '$pat', got: $(echo "${lines:-nothing}" | tr '\n' '|') $(tail -2 "$mlog" 2>/dev/null | tr '\n' '|')"
	elif [ "$before" != "$after" ]; then
		fail "$name: the module tree or dkms state changed"
	else
		pass "$name: stops with '$(echo "$lines" | cut -c1-110)...', nothing installed"
	fi
}
# rustup's 1.85.1: the same version number, another version string.
rr=$(rustup +1.85.1 which rustc 2>/dev/null)
rr=${rr%/bin/rustc}
rdst=$(deb_path /opt/rustup-1.85.1)
if [ -n "$rr" ] && { [ -d "$rdst" ] || cp -al "$rr" "$rdst" 2>/dev/null || cp -a "$rr" "$rdst"; }; then
	mistake "rustup's rustc 1.85.1 first in PATH" "is not the rustc that built kernel $DEB_KREL.*install Debian's rustc" \
		"$DEB_KREL" 'export PATH=/opt/rustup-1.85.1/bin:$PATH'
else
	fail "rustup's rustc 1.85.1 not found to test with"
fi
# No linux-source: removed for the test, put back from the checked .deb.
sdeb=$ZRS_CACHE/src/${KSRC_PKG}_${KSRC_PKG_VERSION}_all.deb
cp "$sdeb" "$(deb_path /tmp/)"
mistake "no linux-source-7.3" "install linux-source-7.3=$DEB_KPKG_VERSION" "$DEB_KREL" \
	'dpkg -r linux-source-7.3 >/dev/null'
deb_run dpkg -i "/tmp/$(basename "$sdeb")" >/dev/null 2>&1
rm -f "$(deb_path "/tmp/$(basename "$sdeb")")"
[ -f "$(deb_path /usr/src/linux-source-7.3.tar.xz)" ] || fail "linux-source-7.3 could not be put back"
# Headers of another release: Debian 13's own 6.12 kernel, whose
# linux-source-6.12 is not installed (installed for the test, then purged).
other=$(deb_run bash -c 'apt-cache search --names-only "^linux-headers-6\.12\.[0-9.]*\+deb13-amd64$" | sort -V | tail -1 | cut -d" " -f1')
okrel=${other#linux-headers-}
if [ -n "$other" ] && deb_run bash -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$1" >/dev/null 2>&1' bash "$other"; then
	if grep -q '^CONFIG_RUST=y' "$(deb_path "/usr/src/$other/.config")"; then
		mistake "headers of another release ($okrel)" "needs its source: install linux-source-6.12=\|is not the rustc that built kernel $okrel" "$okrel"
	else
		mistake "headers of another release ($okrel, no CONFIG_RUST)" "built without CONFIG_RUST" "$okrel"
	fi
	deb_run bash -c 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$1" "${1%-amd64}-common" >/dev/null 2>&1; apt-get autoremove -y -q >/dev/null 2>&1' bash "$other"
else
	fail "could not install $other to test with"
fi
# A kernel without CONFIG_RUST: Debian's headers with Rust turned off,
# as a kernel of its own.
nr=7.3.4+deb13-norust
deb_run bash -c 'rm -rf /usr/src/linux-headers-$1 /lib/modules/$1 && cp -a /usr/src/linux-headers-'"$DEB_KREL"' /usr/src/linux-headers-$1 &&
	sed -i "s/^CONFIG_RUST=y/# CONFIG_RUST is not set/" /usr/src/linux-headers-$1/.config &&
	mkdir -p /lib/modules/$1 && ln -s /usr/src/linux-headers-$1 /lib/modules/$1/build' bash "$nr"
mistake "kernel without CONFIG_RUST" "built without CONFIG_RUST" "$nr"
deb_run rm -rf "/usr/src/linux-headers-$nr" "/lib/modules/$nr"
rm -rf "$src"
