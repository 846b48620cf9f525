#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the kernel build tree to build zram-rs against for KDIR, or stop
# with one line that says what to install or change.
#
#   scripts/rust-kdir.sh KDIR
#
# A full Rust-enabled build tree (ours, or any kernel builder's) is used
# as it is. A distribution's headers directory (Debian's
# /usr/src/linux-headers-<release>, which /lib/modules/<release>/build
# points to) has the kernel's .config and Module.symvers but no Rust
# metadata: for one of those, the kernel's rust/ is rebuilt once per
# release from the matching linux-source package and that .config, by the
# rustc that built the kernel, and cached (the symbol hashes then match
# the kernel's; Documentation/zram-rs/distro.rst explains why).
#
# Cache: $ZRAM_RS_KDIR_CACHE, default /var/cache/zram-rs/kdir when
# writable, else $ZRAM_RS_CACHE/kdir.
set -uo pipefail
kdir=${1:-}
err() { printf 'zram-rs: %s\n' "$*" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)

bash "$here/check-kdir.sh" "$kdir" || exit 1
kdir=$(cd "$kdir" && pwd -P)
conf() { sed -n "s/^$1=//p" "$kdir/include/config/auto.conf" | sed 's/^"\(.*\)"$/\1/'; }
rel=$(cat "$kdir/include/config/kernel.release" 2>/dev/null) || err "KDIR=$kdir has no include/config/kernel.release"

# The rustc must be the very build that compiled the kernel: the crate
# hash in every Rust symbol name is derived from its version string.
want=$(conf CONFIG_RUSTC_VERSION_TEXT)
have=$(rustc --version 2>/dev/null)
if [ -n "$want" ] && [ "$have" != "$want" ]; then
	hint="use the rustc that built it"
	case $want in *"built from a source tarball"*)
		hint="install Debian's rustc and rust-src $(echo "$want" | awk '{ print $2 }')+dfsg (trixie main) and put it first in PATH" ;;
	esac
	err "rustc '${have:-not found}' is not the rustc that built kernel $rel ('$want'): $hint"
fi

if [ -f "$kdir/rust/libkernel.rmeta" ]; then
	[ -f "$kdir/Module.symvers" ] ||
		err "KDIR=$kdir has no Module.symvers: build the kernel's modules there ('make modules') first"
	echo "$kdir"
	exit 0
fi

# A headers directory: it must be a packaged one whose source we can get.
command -v dpkg-query >/dev/null ||
	err "KDIR=$kdir has no Rust metadata (rust/libkernel.rmeta) and this is not a Debian system: pass a Rust-enabled kernel build tree as KDIR"
hpkg=$(dpkg-query -S "$kdir" 2>/dev/null | head -1 | cut -d: -f1)
[ -n "$hpkg" ] ||
	err "KDIR=$kdir has no Rust metadata (rust/libkernel.rmeta) and belongs to no package: pass the kernel's own build tree, or install linux-headers-$rel"
hver=$(dpkg-query -W -f='${Version}' "$hpkg")
series=$(echo "$rel" | cut -d. -f1-2)
spkg=linux-source-$series
sver=$(dpkg-query -W -f='${Status} ${Version}' "$spkg" 2>/dev/null | awk '$3 == "installed" { print $4 }')
[ -n "$sver" ] || err "kernel $rel needs its source to build Rust modules: install $spkg=$hver"
[ "$sver" = "$hver" ] ||
	err "$spkg is $sver but the headers of kernel $rel are $hver: install $spkg=$hver"
tarball=/usr/src/$spkg.tar.xz
[ -f "$tarball" ] || err "$tarball is missing: reinstall $spkg=$hver"
[ -f "$kdir/Module.symvers" ] || err "KDIR=$kdir has no Module.symvers: reinstall $hpkg"

# The kernel's compiler, chosen as for the module itself.
. "$here/kcc.sh"
kcc=$(kcc_args "$kdir/include/config/auto.conf") || exit 1
mapfile -t kcc <<< "$kcc"
cc=$(conf CONFIG_CC_VERSION_TEXT | awk '{ print $1 }')
for t in bindgen make bc flex bison; do
	command -v "$t" >/dev/null || err "building the kernel's rust/ for $rel needs $t: install it"
done
rustc --print sysroot >/dev/null 2>&1 && [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/core" ] ||
	err "rustc has no library source: install rust-src (the same version as rustc)"

cache=${ZRAM_RS_KDIR_CACHE:-}
if [ -z "$cache" ]; then
	if mkdir -p /var/cache/zram-rs/kdir 2>/dev/null && [ -w /var/cache/zram-rs/kdir ]; then
		cache=/var/cache/zram-rs/kdir
	else
		cache=${ZRAM_RS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zram-rs}/kdir
	fi
fi
key=$({ cat "$kdir/.config"; echo "$sver $have $cc"; } | sha256sum | cut -c1-12)
out=$cache/$rel-$key
if [ -f "$out/.ready" ]; then
	echo "$out/build"
	exit 0
fi

mkdir -p "$cache" || err "cannot create $cache"
exec 9>"$out.lock"
flock 9
if [ ! -f "$out/.ready" ]; then
	trap '[ -f "$out/.ready" ] || rm -rf "$out"' EXIT
	log=$out.log
	printf 'zram-rs: kernel %s: building its rust/ from %s %s (once, about 6 min; log %s)\n' \
		"$rel" "$spkg" "$sver" "$log" >&2
	# Built in place (Kbuild records absolute paths); .ready marks a whole
	# tree, and anything without it is started again.
	rm -rf "$out"
	mkdir -p "$out/build"
	{
		tar -xJf "$tarball" -C "$out" &&
		mv "$out/$spkg" "$out/src" &&
		cp "$kdir/.config" "$out/build/.config" &&
		make -C "$out/src" O="$out/build" "${kcc[@]}" KERNELRELEASE="$rel" olddefconfig
	} >"$log" 2>&1 || err "kernel $rel: unpacking or configuring $spkg failed (see $log)"
	# The source must describe this very kernel: the .config round-trips.
	cmp -s "$kdir/.config" "$out/build/.config" ||
		err "kernel $rel: its .config changes under $spkg $sver (olddefconfig): the source does not match the headers"
	make -C "$out/src" O="$out/build" "${kcc[@]}" KERNELRELEASE="$rel" \
		-j"$(($(nproc) + 1))" prepare modules_prepare >>"$log" 2>&1 ||
		err "kernel $rel: building rust/ failed (see $log)"
	[ -f "$out/build/rust/libkernel.rmeta" ] || err "kernel $rel: rust/ built no libkernel.rmeta (see $log)"
	# The kernel's own exports (modpost checks imports against them) and
	# its BTF, which module BTF is generated against.
	cp "$kdir/Module.symvers" "$out/build/"
	if [ -f "$kdir/vmlinux" ]; then cp "$kdir/vmlinux" "$out/build/"; fi
	touch "$out/.ready"
fi
echo "$out/build"
