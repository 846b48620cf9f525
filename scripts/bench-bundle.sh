#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench-bundle [OUT=FILE.tar.xz] [ALG=lz4]: the scaling part of make
# bench, packed to run on a bigger x86-64 machine that has no network and
# none of our packages (a lent 16-core machine, say; bash, coreutils,
# grep, awk and xz or python3 are all it needs). The bundle holds
# QEMU with its shared libraries, dynamic loader, accelerator modules and
# firmware, the release kernel, an initramfs with both drivers and fio,
# and tests/bench/run-scale.sh (with scripts/qemu-common.sh). There:
#
#   tar xJf zrs-bench.tar.xz && zrs-bench/run-scale.sh OUTDIR SECONDS SMP...
#
# boots the guest once per SMP (KVM if /dev/kvm works, else multi-threaded
# TCG) with one fio job and one job per vCPU, both drivers alternated,
# and stops starting boots when SECONDS are spent. Bring OUTDIR back and
# run tests/bench/report.py OUTDIR for the tables and the scaling chart.
. "$(dirname "$0")/lib.sh"

ALG=${ALG:-lz4}
OUT=${OUT:-$ZRS_CACHE/bench/zrs-bench.tar.xz}
ZRS_FLAVOURS=release bash "$ZRS_TOP/scripts/setup.sh"
kb=$(bash "$ZRS_TOP/scripts/build-kernel.sh" release)
krel=$(cat "$kb/include/config/kernel.release")
make -s -C "$ZRS_TOP" modules testmods KDIR="$kb" >/dev/null
md=$(bash "$ZRS_TOP/scripts/modpath.sh" "$kb")

mkdir -p "$ZRS_CACHE/bench"
stage=$(mktemp -d "$ZRS_CACHE/bench/bundle.XXXXXX")
trap 'rm -rf "$stage"' EXIT
b=$stage/zrs-bench
mkdir -p "$b/qemu/lib" "$b/qemu/modules" "$b/qemu/share"

# QEMU as the host has it, run through its own loader so that the other
# machine's C library does not matter.
qbin=$(command -v qemu-system-x86_64)
qmods=/usr/lib/x86_64-linux-gnu/qemu
cp -L "$qbin" "$b/qemu/"
cp -L "$qmods"/accel-*.so "$b/qemu/modules/"
for f in "$qbin" "$qmods"/accel-*.so; do
	ldd "$f" | awk '/=> not found/ { print $1 } /=> \// { print $3 } /^\t\/lib/ { print $1 }'
done | sort -u | while read -r l; do
	[ -e "$l" ] || die "QEMU needs $l, which is not there"
	cp -L "$l" "$b/qemu/lib/"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$b/qemu/lib/"
# Firmware for the pc machine booted with -kernel and no display.
for f in bios-256k.bin linuxboot_dma.bin linuxboot.bin kvmvapic.bin multiboot_dma.bin pvh.bin; do
	for d in /usr/share/qemu /usr/share/seabios; do
		[ -e "$d/$f" ] && { cp -L "$d/$f" "$b/qemu/share/"; break; }
	done
	[ -e "$b/qemu/share/$f" ] || die "no QEMU firmware $f"
done

# The guest: the same kernel, module and initramfs make bench boots.
guest_bins
cp "$kb/arch/x86/boot/bzImage" "$b/"
unset ZRS_INITRAMFS_EXTRA
bash "$ZRS_TOP/scripts/mkinitramfs.sh" "$kb" "$b/initramfs.cpio" "$md"/*.ko "$md"-test/*.ko
install -m 0755 "$ZRS_TOP/tests/bench/run-scale.sh" "$b/"
install -m 0644 "$ZRS_TOP/scripts/qemu-common.sh" "$b/"
cat > "$b/bundle.env" <<EOF
ALG=$ALG
KREL=$krel
KBUILD=$(basename "$kb")
CONFIG_HASH=$(config_hash release)
GIT=$(git_id)
QEMU_VERSION="$(zrs_qemu_version)"
EOF
mkdir -p "$(dirname "$OUT")"
# xz: the initramfs and the libraries are about 150 MB raw, 42 MB packed.
tar cf - -C "$stage" zrs-bench | xz -9 -T0 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
msg "bench-bundle: $OUT ($(du -h "$OUT" | cut -f1)); kernel $krel, zram-rs $(sed -n 's/^GIT=//p' "$b/bundle.env")"
echo "$OUT"
