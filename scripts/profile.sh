#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make profile [ALG=lz4] [DS=95] [WL=seqwrite:seqread:randwrite:randread]
#              [RT=40] [DRIVERS=rs:c] [SMP=1] [KERNEL=release|debian]
# Where each driver's guest time goes, per function and per 4 KiB page:
# perf (built statically from the kernel tree, cached) samples cpu-clock in
# the deterministic boot of make bench (-icount shift=0,sleep=off, so a
# sample every N guest instructions), -smp 1 (SMP=N for more vCPUs), one fio job per workload,
# ours and the C zram in the same boot. DS is fio's
# buffer_compress_percentage: 95 (fast to compress) puts the drivers' own
# code, rather than the compressor, in the foreground. The release kernel
# ticks at 250 Hz without high-resolution timers, so samples come 250 per
# guest second: RT=40 gives about 10000 per workload. Prints a table of
# guest nanoseconds (= instructions) per page, ours beside C; the console
# log and the table are kept in $ZRS_CACHE/profile/<timestamp>/.
# KERNEL=debian profiles Debian's own kernel instead (ours built against its
# headers, its zram.ko as C; it has high-resolution timers, so samples come
# at perf's default rate).
. "$(dirname "$0")/lib.sh"

ALG=${ALG:-lz4} DS=${DS:-95} RT=${RT:-40} DRIVERS=${DRIVERS:-rs:c} SMP=${SMP:-1}
KERNEL=${KERNEL:-release}
case $KERNEL in release | debian) ;; *) die "KERNEL is release or debian" ;; esac
WL=${WL:-seqwrite:seqread:randwrite:randread}
ZRS_FLAVOURS=release bash "$ZRS_TOP/scripts/setup.sh"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# perf, static (the initramfs has no shared libraries), with only what a
# cpu-clock profile against /proc/kallsyms needs.
perf_dir=$ZRS_CACHE/perf/$KSRC_PKG_VERSION
if [ ! -x "$perf_dir/root/usr/bin/perf" ]; then
	msg "profile: building perf from $KSRC_DIR/tools/perf (a few minutes)"
	rm -rf "$perf_dir" && mkdir -p "$perf_dir/build" "$perf_dir/root/usr/bin"
	no="RUST LIBELF LIBTRACEEVENT JEVENTS LIBPYTHON LIBPERL SLANG GTK2 LIBUNWIND
	    LIBDW LIBBPF BPF_SKEL LIBCAP LIBNUMA ZLIB LZMA ZSTD BABELTRACE AUXTRACE
	    LIBCRYPTO SDT JVMTI CAPSTONE LIBLLVM DEMANGLE LIBDEBUGINFOD"
	make -C "$KSRC_DIR/tools/perf" -j"$(nproc)" O="$perf_dir/build" \
		LDFLAGS=-static WERROR=0 $(for n in $no; do printf 'NO_%s=1 ' "$n"; done) \
		perf > "$perf_dir/build.log" 2>&1 || die "perf did not build (see $perf_dir/build.log)"
	cp "$perf_dir/build/perf" "$perf_dir/root/usr/bin/perf"
fi

out=$ZRS_CACHE/profile/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
ZRS_INITRAMFS_EXTRA=$perf_dir/root \
	ZRS_QEMU_EXTRA=$DET_QEMU_EXTRA ZRS_CMDLINE_EXTRA=$DET_CMDLINE_EXTRA \
	bash "$ZRS_TOP/scripts/guest-run.sh" -k "$KERNEL" -s "$SMP" -m 2G -t 3000 \
	-a "alg=$ALG size=64 runtime=$RT ds=$DS wl=$WL drivers=$DRIVERS" \
	bench-prof > "$out/boot.log" 2>&1 || { cat "$out/boot.log" >&2; die "profile boot failed"; }
run=$(sed -n 's/.*console log: \(.*\)\/console.log$/\1/p' "$out/boot.log" | tail -1)
cp "$run/console.log" "$out/console.log"
"$PY" "$ZRS_TOP/tests/bench/profile.py" "$out/console.log" | tee "$out/profile.txt"
msg "profile: $out"
