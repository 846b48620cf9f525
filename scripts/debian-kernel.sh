#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Debian's own kernel as a guest-test kernel: its vmlinuz, the modules the
# tests use from its own module tree (its zram.ko is the C reference), our
# module built in the Debian environment against its headers as zram_rs.ko,
# and the zram.ko that `dkms install` puts under updates/ (staged for
# zram-alias, which installs it as a package would).
#
# Prints a directory laid out as scripts/build-kernel.sh's are, for
# guest-run.sh and mkinitramfs.sh: arch/x86/boot/bzImage,
# include/config/kernel.release, modroot/lib/modules/<release>, plus
# zram_rs.ko and install/ (what dkms put under updates/).
. "$(dirname "$0")/lib.sh"
. "$ZRS_TOP/scripts/debian.sh"

bash "$ZRS_TOP/scripts/debian-root.sh" >/dev/null
deb_lock
out=$DEB_KDIR/guest
headers=/lib/modules/$DEB_KREL/build
tree=/lib/modules/$DEB_KREL

# Our module, rebuilt whenever the tree changes (Kbuild decides what to do).
msg "Debian kernel: building zram_rs.ko against $headers"
deb_run make -s modules KDIR="$headers" MODDIR=/var/cache/zram-rs/dev/mod-debian >/dev/null ||
	die "zram_rs build against Debian's $DEB_KREL failed"

# The DKMS product, exactly as dkms installs it; removed again at once so
# that the Debian module tree stays Debian's.
msg "Debian kernel: dkms add/build/install of zram-rs"
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$ZRS_TOP/dkms.conf")
src=$(deb_path "/usr/src/zram-rs-$ver")
deb_run dkms remove -m zram-rs -v "$ver" --all >/dev/null 2>&1 || true
rm -rf "$src"; mkdir -p "$src"
(cd "$ZRS_TOP" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 cp --parents -t "$src")
deb_run bash -euc 'dkms add -m zram-rs -v "$1" && dkms install -m zram-rs -v "$1" -k "$2"' \
	bash "$ver" "$DEB_KREL" >"$DEB_KDIR/dkms.log" 2>&1 ||
	{ tail -5 "$DEB_KDIR/dkms.log" >&2; die "dkms install for $DEB_KREL failed (log: $DEB_KDIR/dkms.log)"; }
installed=$(cd "$(deb_path "$tree")" && ls updates/dkms/zram.ko* 2>/dev/null | head -1)
[ -n "$installed" ] || die "dkms install left no updates/dkms/zram.ko* in $tree"

rm -rf "$out.tmp"
mkdir -p "$out.tmp/include/config" "$out.tmp/arch/x86/boot" "$out.tmp/install" "$out.tmp/modroot/lib/modules/$DEB_KREL"
echo "$DEB_KREL" > "$out.tmp/include/config/kernel.release"
ln -s "$DEB_KDIR/vmlinuz" "$out.tmp/arch/x86/boot/bzImage"
mkdir -p "$out.tmp/install/$(dirname "${installed#updates/}")"
cp "$(deb_path "$tree")/$installed" "$out.tmp/install/${installed#updates/}"
cp "$(deb_path /var/cache/zram-rs/dev/mod-debian)/zram_rs.ko" "$out.tmp/"
deb_run dkms remove -m zram-rs -v "$ver" --all >/dev/null
rm -rf "$src"
[ ! -e "$(deb_path "$tree")/$installed" ] || die "dkms remove left $tree/$installed"

# The modules the tests load, with what they depend on, from Debian's tree
# (depmod in mkinitramfs.sh writes the guest's modules.dep and aliases).
wanted=(zram zsmalloc brd null_blk loop ext4 lz4 lz4hc lzo lzo-rle zstd deflate 842)
deb_run bash -c 'for m in "${@:2}"; do modprobe -S "$1" --show-depends "$m" 2>/dev/null || true; done' \
	bash "$DEB_KREL" "${wanted[@]}" | awk '$1 == "insmod" { print $2 }' | sort -u |
while read -r f; do
	rel=${f#"$tree"/}
	mkdir -p "$out.tmp/modroot$tree/$(dirname "$rel")"
	cp "$(deb_path "$f")" "$out.tmp/modroot$tree/$rel"
done
cp "$(deb_path "$tree")"/modules.{order,builtin,builtin.modinfo} "$out.tmp/modroot$tree/"
[ -n "$(ls "$out.tmp/modroot$tree/kernel/drivers/block/zram/")" ] || die "Debian's zram.ko not found in $tree"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out"
