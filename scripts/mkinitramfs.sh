#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest initramfs for one kernel flavour:
#   busybox + bash + util-linux + e2fsprogs + fio + kmod (copied from the host
#   with the shared libraries ldd names), the kernel's modules with a
#   modules.dep that includes ours, the project's modules, the guest test
#   scripts and the kernel's zram selftests.
#
#   scripts/mkinitramfs.sh KBUILD_DIR OUT.cpio MODULE.ko...
#
# KBUILD_DIR is one of scripts/build-kernel.sh's trees or the Debian
# kernel's directory from scripts/debian-kernel.sh (the same layout).
# With ZRS_INSTALL_UPDATES=DIR, DIR is what `make install` or dkms put
# under lib/modules/<release>/updates.
# With ZRS_INITRAMFS_EXTRA=DIR, DIR's tree is copied over the root too.
. "$(dirname "$0")/lib.sh"

kb=${1:?kernel build dir}; out=${2:?output cpio}; shift 2
kver=$(cat "$kb/include/config/kernel.release")

# The userland part depends only on the host's binaries: stage it once.
stage=$ZRS_CACHE/initramfs/userland-$(sha256sum "$0" | cut -c1-12)
if [ ! -f "$stage/.done" ]; then
	msg "initramfs: staging userland in $stage"
	rm -rf "$stage"; mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,run,mnt,root}
	cp /bin/busybox "$stage/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ -e "$stage/bin/$a" ] || ln -s busybox "$stage/bin/$a"
	done
	# Real tools shadow busybox applets of the same name (PATH order).
	tools=(/usr/bin/bash /usr/sbin/zramctl /usr/sbin/mkswap /usr/sbin/swapon
		/usr/sbin/swapoff /usr/sbin/blkid /usr/sbin/losetup /usr/sbin/blkdiscard /usr/bin/fio
		/usr/sbin/mke2fs /usr/sbin/e2fsck /usr/bin/kmod /usr/bin/taskset /usr/bin/setpriv
		/usr/bin/stress-ng)
	for t in "${tools[@]}"; do
		[ -x "$t" ] || { [ "$t" = /usr/bin/stress-ng ] && continue; die "missing host tool $t"; }
		cp "$t" "$stage$t"
		ldd "$t" | awk '/=>/ { print $3 } /^\t\/lib/ { print $1 }' | while read -r l; do
			[ -n "$l" ] && [ -e "$l" ] || continue
			mkdir -p "$stage$(dirname "$l")"
			cp -L "$l" "$stage$l"
		done
	done
	ln -sf /usr/bin/bash "$stage/bin/bash"
	ln -sf mke2fs "$stage/usr/sbin/mkfs.ext4"
	ln -sf e2fsck "$stage/usr/sbin/fsck.ext4"
	for k in modprobe insmod rmmod lsmod modinfo depmod; do
		ln -sf /usr/bin/kmod "$stage/usr/sbin/$k"
		# The kernel runs /sbin/modprobe (CONFIG_MODPROBE_PATH).
		ln -sf /usr/bin/kmod "$stage/sbin/$k"
	done
	# Make sure the dynamic loader is where the binaries look for it.
	mkdir -p "$stage/lib64"
	[ -e "$stage/lib64/ld-linux-x86-64.so.2" ] ||
		cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"
	# The distro zram tools, unmodified from their Debian packages, and
	# systemd-makefs, which zram-generator runs to make the swap.
	debs=$ZRS_CACHE/debs
	mkdir -p "$debs"
	for p in zram-tools systemd-zram-generator; do
		ls "$debs/${p}_"*.deb >/dev/null 2>&1 ||
			(cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$p" >/dev/null) ||
			die "cannot download $p"
		dpkg-deb -x "$(ls "$debs/${p}_"*.deb | head -1)" "$stage"
	done
	mkdir -p "$stage/lib/systemd"
	cp /lib/systemd/systemd-makefs "$stage/lib/systemd/"
	ldd /lib/systemd/systemd-makefs | awk '/=>/ { print $3 }' | while read -r l; do
		[ -e "$l" ] || continue
		mkdir -p "$stage$(dirname "$l")"
		cp -L "$l" "$stage$l"
	done
	# Nothing loads zram at boot in the guest; tests do it themselves.
	rm -f "$stage/etc/modules-load.d/20-zram-generator.conf" "$stage/etc/systemd/zram-generator.conf"
	echo 'root:x:0:0:root:/root:/bin/sh' > "$stage/etc/passwd"
	echo 'root:x:0:' > "$stage/etc/group"
	touch "$stage/.done"
fi

work=$(mktemp -d "$ZRS_CACHE/initramfs/work.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -a "$stage/." "$work/"
rm -f "$work/.done"

# Kernel modules, ours under updates/ (where `make install` puts them too).
mkdir -p "$work/lib/modules"
cp -a "$kb/modroot/lib/modules/$kver" "$work/lib/modules/"
rm -f "$work/lib/modules/$kver"/{build,source}
mkdir -p "$work/lib/modules/$kver/updates"
for m in "$@"; do cp "$m" "$work/lib/modules/$kver/updates/"; done
depmod -b "$work" "$kver"

# What installing the package puts under updates/ (ours as zram.ko),
# staged where zram-alias.sh installs it from: installed for every test, it
# would turn the C zram tests' "modprobe zram" into ours.
if [ -n "${ZRS_INSTALL_UPDATES:-}" ]; then
	mkdir -p "$work/usr/share/zram-rs/updates"
	cp -a "$ZRS_INSTALL_UPDATES/." "$work/usr/share/zram-rs/updates/"
fi

# Tests: ours, and the kernel's zram selftests, unmodified.
mkdir -p "$work/tests" "$work/selftests"
cp -a "$ZRS_TOP/tests/guest/." "$work/tests/"
cp -a "$KSRC_DIR/tools/testing/selftests/zram" "$work/selftests/"
install -m 0755 "$ZRS_TOP/tests/guest/init" "$work/init"
if [ -d "$ZRS_BIN" ]; then cp -a "$ZRS_BIN/." "$work/usr/bin/"; fi
# Extra files for one run (make bench: its real-data image), as a tree.
if [ -n "${ZRS_INITRAMFS_EXTRA:-}" ]; then cp -a "$ZRS_INITRAMFS_EXTRA/." "$work/"; fi
echo "$kver" > "$work/etc/zrs-kernel-release"

(cd "$work" && find . -print0 | cpio --null -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
