# SPDX-License-Identifier: GPL-2.0
# What the Debian-kernel scripts share: the pinned Debian kernel and
# toolchain, and how to run a command in the Debian 13 (trixie) environment
# that builds for it. Sourced after lib.sh, never run.
#
# On a Debian 13 machine that environment is the machine itself; on the
# project's bookworm machines it is a trixie root made with debootstrap in
# the cache (scripts/debian-root.sh), entered with chroot in a private
# mount namespace so that nothing stays mounted when the command ends.

# Debian's own kernel, unmodified: image, modules and headers of one
# release, the same version as the linux-source-7.3 we build from.
DEB_KREL=7.3.4+deb13-amd64
DEB_KPKG_VERSION=$KSRC_PKG_VERSION
DEB_KSUITE=trixie-backports
# The toolchain that built it, from trixie main: the kernel's
# CONFIG_RUSTC_VERSION_TEXT names this rustc build exactly, and the crate
# hashes in every Rust symbol depend on that string.
DEB_RUSTC_VERSION=1.85.1+dfsg1-1+deb13u1
DEB_RUSTC_TEXT="rustc 1.85.1 (4eb161250 2025-03-15) (built from a source tarball)"
DEB_PINNED=(
	"rustc=$DEB_RUSTC_VERSION" "rust-src=$DEB_RUSTC_VERSION"
	"libstd-rust-dev=$DEB_RUSTC_VERSION" "libstd-rust-1.85=$DEB_RUSTC_VERSION"
	"rust-clippy=$DEB_RUSTC_VERSION"
	bindgen=0.71.1-6 libclang-dev=1:19.0-63
	gcc-14=14.2.0-19 gcc-14-x86-64-linux-gnu=14.2.0-19
	cpp-14=14.2.0-19 cpp-14-x86-64-linux-gnu=14.2.0-19
	dkms=3.2.2-1~deb13u1
	"linux-source-7.3=$DEB_KPKG_VERSION"
	"linux-headers-$DEB_KREL=$DEB_KPKG_VERSION"
	"linux-headers-${DEB_KREL%-amd64}-common=$DEB_KPKG_VERSION"
	"linux-kbuild-${DEB_KREL%-amd64}=$DEB_KPKG_VERSION"
	"linux-modules-$DEB_KREL=$DEB_KPKG_VERSION"
)
# Unpinned helpers the kernel build and the tests need (apt checks them
# against the archive's signed Release file like everything else).
DEB_HELPERS=(make bc bison flex libelf-dev libssl-dev cpio kmod xz-utils
	python3 rsync ca-certificates)
# The signed kernel image package: only its vmlinuz is used, unpacked.
DEB_IMAGE_PKG=linux-binary-$DEB_KREL
DEB_SUMS=$ZRS_TOP/scripts/debian-packages.sha256

deb_native() {
	[ "${ZRS_DEB_NATIVE:-}" = 1 ] && return 0
	[ "${ZRS_DEB_NATIVE:-}" = 0 ] && return 1
	grep -q '^VERSION_CODENAME=trixie' /etc/os-release 2>/dev/null
}
# The root (/ on Debian 13) and where the Debian kernel's files are cached.
DEB_HASH=$( { printf '%s\n' "${DEB_PINNED[@]}" "${DEB_HELPERS[@]}"; } | sha256sum | cut -c1-12)
if deb_native; then DEB_ROOT=/; else DEB_ROOT=$ZRS_CACHE/debian/trixie-$DEB_HASH; fi
# Made once every pinned package is installed (in the root, or on the
# Debian 13 machine itself).
DEB_READY=$ZRS_CACHE/debian/ready-$DEB_HASH$(deb_native && echo -native || true)
DEB_KDIR=$ZRS_CACHE/debian/kernel-$DEB_KPKG_VERSION
# Inside the root: the Rust-enabled build tree debian-kdir.sh makes.
DEB_KCACHE=/var/cache/zram-rs

# deb_run CMD...: run CMD in the Debian environment, with the repository
# at /src/zram-rs (bind-mounted read-only; native: the repository itself).
deb_run() {
	if deb_native; then
		(cd "$ZRS_TOP" && "$@")
		return
	fi
	[ -f "$DEB_READY" ] || [ "${ZRS_DEB_SETUP:-}" = 1 ] ||
		die "no Debian root in $DEB_ROOT: run scripts/debian-root.sh"
	unshare --mount --propagation private -- bash -euc '
		r=$1; top=$2; shift 2
		mount --rbind /dev "$r/dev"
		mount -t proc proc "$r/proc"
		mount -t sysfs sysfs "$r/sys"
		mkdir -p "$r/src/zram-rs"
		mount --bind "$top" "$r/src/zram-rs"
		mount -o remount,bind,ro "$r/src/zram-rs"
		cp -L /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
		exec chroot "$r" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			ZRAM_RS_CACHE=/var/cache/zram-rs/dev bash -c "cd /src/zram-rs && \"\$@\"" bash "$@"
	' bash "$DEB_ROOT" "$ZRS_TOP" "$@"
}

# deb_path PATH: where PATH inside the Debian environment is on this host.
deb_path() {
	if deb_native; then echo "$1"; else echo "$DEB_ROOT$1"; fi
}

# deb_lock: hold the Debian environment's dkms state (the dkms tree,
# /usr/src/zram-rs-*, the module tree) until the calling script exits, so
# that two scripts (make check's tests, a bench or profile boot) cannot
# interleave their dkms add/install/remove.
deb_lock() {
	mkdir -p "$ZRS_CACHE/debian"
	exec 8>"$ZRS_CACHE/debian/dkms.lock"
	flock 8
}
