#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The Debian 13 environment that builds zram_rs for Debian's own kernel,
# and that kernel's image: every package at its pinned version, the
# kernel's and the toolchain's .debs checked against
# scripts/debian-packages.sha256 before anything is installed.
#
# On a bookworm machine: a trixie root made with debootstrap in the cache
# (about 5 min and 2.5 GB the first time, then nothing). On a Debian 13
# machine (or with ZRS_DEB_NATIVE=1): the machine's own packages.
# Prints the directory that holds Debian's vmlinuz.
. "$(dirname "$0")/lib.sh"
. "$ZRS_TOP/scripts/debian.sh"

# check_sums DIR PKG=VER...: every pinned package's .deb in DIR matches
# its recorded SHA-256 (apt names the file PKG_VER_ARCH.deb, with the
# epoch's ':' escaped as %3a).
check_sums() {
	local dir=$1 pv p v f want have
	shift
	for pv in "$@"; do
		p=${pv%%=*} v=${pv#*=}
		f=$(ls "$dir/${p}_${v/:/%3a}_"*.deb 2>/dev/null | head -1)
		[ -n "$f" ] || die "pinned package $p=$v was not downloaded"
		want=$(awk -v f="$(basename "$f")" '$2 == f { print $1 }' "$DEB_SUMS" "$ZRS_TOP/scripts/linux-source.sha256")
		[ -n "$want" ] || die "no recorded SHA-256 for $(basename "$f") in $DEB_SUMS"
		have=$(sha256sum "$f" | cut -d' ' -f1)
		[ "$want" = "$have" ] || { rm -f "$f"; die "SHA-256 mismatch for $(basename "$f"): $have, want $want"; }
	done
}

if [ ! -f "$DEB_READY" ]; then
	[ "$(id -u)" = 0 ] || die "need root to make the Debian root"
	export ZRS_DEB_SETUP=1
	if ! deb_native; then
		command -v debootstrap >/dev/null || die "debootstrap missing: scripts/setup-host.sh installs it"
		if [ ! -f "$DEB_ROOT/.zrs-bootstrapped" ]; then
			msg "debootstrap trixie into $DEB_ROOT (about 1 min)"
			rm -rf "$DEB_ROOT"
			mkdir -p "$DEB_ROOT"
			debootstrap --variant=minbase trixie "$DEB_ROOT" "$KSRC_MIRROR" \
				>"$DEB_ROOT.log" 2>&1 || { tail -5 "$DEB_ROOT.log" >&2; die "debootstrap failed"; }
			touch "$DEB_ROOT/.zrs-bootstrapped"
		fi
		cat > "$DEB_ROOT/etc/apt/sources.list" <<-EOS
		deb $KSRC_MIRROR trixie main
		deb $KSRC_MIRROR $DEB_KSUITE main
		EOS
		# No service may start inside the root (dkms, kmod triggers).
		printf '#!/bin/sh\nexit 101\n' > "$DEB_ROOT/usr/sbin/policy-rc.d"
		chmod 0755 "$DEB_ROOT/usr/sbin/policy-rc.d"
	fi
	msg "Debian environment: installing the pinned toolchain, dkms and kernel $DEB_KREL packages"
	deb_run bash -euc '
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q >/dev/null
		apt-get install -y -q --no-install-recommends --download-only "$@" >/dev/null
	' bash "${DEB_PINNED[@]}" "${DEB_HELPERS[@]}"
	check_sums "$(deb_path /var/cache/apt/archives)" "${DEB_PINNED[@]}"
	deb_run bash -euc '
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -q --no-install-recommends "$@" >/dev/null
		apt-get clean
	' bash "${DEB_PINNED[@]}" "${DEB_HELPERS[@]}"
	mkdir -p "$(dirname "$DEB_READY")" && touch "$DEB_READY"
fi

# Debian's signed kernel image, unpacked beside the root (not installed:
# its hooks would make an initramfs, and we boot our own).
if [ ! -f "$DEB_KDIR/.done" ]; then
	msg "fetching $DEB_IMAGE_PKG=$DEB_KPKG_VERSION"
	rm -rf "$DEB_KDIR"; mkdir -p "$DEB_KDIR"
	deb_run bash -euc 'mkdir -p /var/cache/zram-rs/debs && cd /var/cache/zram-rs/debs &&
		apt-get download -q -o APT::Sandbox::User=root "$1" >/dev/null' bash "$DEB_IMAGE_PKG=$DEB_KPKG_VERSION"
	d=$(deb_path /var/cache/zram-rs/debs)
	check_sums "$d" "$DEB_IMAGE_PKG=$DEB_KPKG_VERSION"
	dpkg-deb -x "$(ls "$d/${DEB_IMAGE_PKG}_"*.deb | head -1)" "$DEB_KDIR/pkg"
	cp "$DEB_KDIR/pkg/usr/lib/modules/$DEB_KREL/vmlinuz" "$DEB_KDIR/vmlinuz"
	rm -rf "$DEB_KDIR/pkg"
	touch "$DEB_KDIR/.done"
fi
msg "Debian environment ready: $DEB_ROOT ($(deb_run rustc --version))"
echo "$DEB_KDIR"
