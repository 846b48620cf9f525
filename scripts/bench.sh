#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench [QUICK=1] [ALG=lz4] [BOOTS=det|units]: zram_rs against the
# in-tree C zram on the release kernel, in QEMU. Not part of make check (it
# is long). BOOTS=det runs only the deterministic boots (the headline).
# BOOTS=units runs only unit_size's boot: det-debian-units, where
# bench-units compares units with pages and with the C zram on swap of
# 64 KiB folios and on direct I/O, lz4 and zstd (tests/bench/units.py
# makes units.md); Debian's kernel, because ours have no mTHP swap.
#
# Boots, each running both drivers alternately (ours, C, ours, C, ...):
#   det     -icount shift=0,sleep=off -cpu max,-erms,-fsrm, kernel
#           clearcpuid=rep_good, -smp 2: guest time counts executed
#           instructions, so single-job figures repeat to a fraction of a
#           percent. fio (1 job), the limit (null_blk +
#           the compressor alone), swap, writeback, algorithms with
#           parameters (bench-algos), memory per page and per disksize.
#   det-debian  the det boot's fio, swap and memory on Debian's own kernel
#           (its zram.ko against ours built against its headers)
#   tcg-sN  plain TCG at -smp N (2; and 1 and 4 for scaling): fio with 1 job
#           and one job per vCPU; wall-clock time, so noisy.
# Results: $ZRS_CACHE/bench/<timestamp>/ (results.json with every raw
# figure, report.md, PNG charts, boot-*.txt raw guest output); a summary is
# printed at the end.
. "$(dirname "$0")/lib.sh"

QUICK=${QUICK:-0}
ALG=${ALG:-lz4}
BOOTS=${BOOTS:-all}
case $BOOTS in all | det | units) ;; *) die "BOOTS is all, det or units" ;; esac
[ "$QUICK" = 0 ] || QUICK=1
ZRS_FLAVOURS=release bash "$ZRS_TOP/scripts/setup.sh"
# Debian's python3, which python3-matplotlib is for (not a pyenv shim).
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
"$PY" -c 'import matplotlib' 2>/dev/null ||
	die "python3-matplotlib is missing (scripts/setup-host.sh installs it)"
kb=$(bash "$ZRS_TOP/scripts/build-kernel.sh" release)
krel=$(cat "$kb/include/config/kernel.release")

out=$ZRS_CACHE/bench/$(date +%Y%m%d-%H%M%S)$([ $QUICK = 0 ] || echo -quick)
mkdir -p "$out"
msg "bench: results in $out"

# The real-data set: kernel source text and built binaries (vmlinux,
# modules, objects), interleaved in 1 MiB pieces, staged into the guest.
real_mib=$([ $QUICK = 1 ] && echo 32 || echo 64)
extra=$ZRS_CACHE/bench/extra-$real_mib
img=$extra/bench/realdata.img
if [ ! -s "$img" ]; then
	msg "bench: making a ${real_mib} MiB real-data image (source text + binaries)"
	mkdir -p "$extra/bench"
	half=$((real_mib * 512 * 1024))
	# head closes the pipe early: SIGPIPE upstream is expected.
	(set +o pipefail; cd "$KSRC_DIR" && find mm kernel fs/ext4 drivers/block lib -name '*.[ch]' |
		sort | xargs cat 2>/dev/null | head -c $half) > "$img.text"
	(set +o pipefail; { cat "$kb/vmlinux"; find "$kb/modroot" -name '*.ko' | sort | xargs cat
	  find "$kb" -name '*.o' | sort | xargs cat; } 2>/dev/null | head -c $half) > "$img.bin"
	[ "$(stat -c %s "$img.text")" = $half ] && [ "$(stat -c %s "$img.bin")" = $half ] ||
		die "not enough source text or binaries for the real-data image"
	"$PY" - "$img.text" "$img.bin" "$img" <<-'EOF'
	import sys
	a, b = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read()
	m = 1 << 20
	with open(sys.argv[3], 'wb') as f:
	    for i in range(0, len(a), m):
	        f.write(a[i:i + m]); f.write(b[i:i + m])
	EOF
	rm -f "$img.text" "$img.bin"
fi
# A zstd dictionary trained on the real-data set's pages (bench-algos).
dict=$extra/bench/realdata.dict
if [ ! -s "$dict" ]; then
	command -v zstd >/dev/null || die "zstd is missing (scripts/setup-host.sh installs it)"
	samples=$(mktemp -d)
	split -b 4096 -a 5 "$img" "$samples/p"
	zstd -q --train -r "$samples" --maxdict=65536 -o "$dict" ||
		{ rm -rf "$samples"; die "zstd --train failed"; }
	rm -rf "$samples"
	msg "bench: trained a $(stat -c %s "$dict")-byte zstd dictionary on the real-data pages"
fi
export ZRS_INITRAMFS_EXTRA=$extra

# The matrix. Sizes are MiB of data per fio job set; runtimes in seconds.
if [ $QUICK = 1 ]; then
	rounds=3 size=32 runtime=1 ds=50:real swapmib=64 wbmib=32 algomib=4 sizes=256M:1G:4G
	det_wl=seqwrite:seqread:randread:randwrite:randrw
	tcg_wl=seqwrite:seqread:randread:randwrite
	scale_smp=
else
	rounds=3 size=128 runtime=2 ds=0:50:75:real swapmib=96 wbmib=64 algomib=16 sizes=256M:1G:4G:8G
	det_wl=seqwrite:seqread:randread:randwrite:randrw
	tcg_wl=$det_wl
	scale_smp="1 4"
fi
common="alg=$ALG disksize=512M size=$size runtime=$runtime rounds=$rounds swapmib=$swapmib swaplimit=24 wbmib=$wbmib algomib=$algomib sizes=$sizes"

boots=()
boot() { # [-k flavour] name smp mem qemu-extra kernel-cmdline-extra args tests...
	local flavour=release
	if [ "$1" = -k ]; then flavour=$2; shift 2; fi
	local name=$1 smp=$2 mem=$3 qextra=$4 kextra=$5 args=$6 t0=$SECONDS rc=0 run
	shift 6
	msg "bench: boot $name (-smp $smp -m $mem${qextra:+ $qextra}${kextra:+, kernel: $kextra}): $*"
	ZRS_QEMU_EXTRA=$qextra ZRS_CMDLINE_EXTRA=$kextra \
		bash "$ZRS_TOP/scripts/guest-run.sh" -k "$flavour" -s "$smp" -m "$mem" \
		-t 1800 -a "$args" "$@" > "$out/boot-$name.log" 2>&1 || rc=$?
	cat "$out/boot-$name.log" | grep -E '^(PASS|FAIL|SKIP)|bench' | grep -v '^DATA ' >&2 || true
	run=$(sed -n 's/.*console log: \(.*\)\/console.log$/\1/p' "$out/boot-$name.log" | tail -1)
	[ -n "$run" ] && [ -f "$run/results.clean" ] || die "boot $name: no results (see $out/boot-$name.log)"
	cp "$run/results.clean" "$out/boot-$name.txt"
	ln -sf "$run/console.log" "$out/console-$name.log"
	local accel
	accel=$(sed -n 's/.*booting [a-z]* ([^,]*, \(-accel [a-z,=]* -cpu [^ ,]*\),.*/\1/p' "$out/boot-$name.log" | tail -1)
	zrs_boot_record "$name" "$smp" "$mem" "$qextra" "$kextra" "$accel" "$args" "$*" \
		"$rc" "$((SECONDS - t0))" >> "$out/boots.jsonl"
	boots+=("$name")
}

t_all=$SECONDS
if [ "$BOOTS" = units ]; then
	boot -k debian det-debian-units 2 2G "$DET_QEMU_EXTRA" "$DET_CMDLINE_EXTRA" \
		"rounds=2 runtime=$runtime swapmib=$real_mib" bench-info bench-units
	"$PY" "$ZRS_TOP/tests/bench/units.py" "$out"
	msg "bench: units done in $((SECONDS - t_all)) s; $out/units.md"
	exit 0
fi
boot det 2 2G "$DET_QEMU_EXTRA" "$DET_CMDLINE_EXTRA" "$common ds=$ds jobs=1 wl=$det_wl" \
	bench-info bench-limit bench-fio bench-swap bench-wb bench-algos bench-mem
# The same deterministic matrix on Debian's own kernel (gcc-built, so no
# CONFIG_RUST_INLINE_HELPERS: the kernel crate's helpers are calls), ours
# built as for DKMS against its headers, Debian's zram.ko as the C side.
# No bench-limit: its compressor-alone module is built for our kernels.
boot -k debian det-debian 2 2G "$DET_QEMU_EXTRA" "$DET_CMDLINE_EXTRA" "$common ds=$ds jobs=1 wl=$det_wl" \
	bench-info bench-fio bench-swap bench-wb bench-algos bench-mem
if [ "$BOOTS" = all ]; then
	boot tcg-s2 2 2G "" "" "$common ds=$ds jobs=1:ncpu wl=$tcg_wl" \
		bench-info bench-limit bench-fio bench-swap
	for s in $scale_smp; do
		boot tcg-s$s "$s" 2G "" "" "$common ds=50 jobs=1:ncpu wl=$tcg_wl" bench-info bench-fio
	done
fi

zrs_meta_json "$out/meta.json" "$(zrs_qemu_version)" "$krel" \
	"$(basename "$kb")" "$(config_hash release)" "$(git_id)" "$ALG" "$QUICK" \
	"$real_mib" "$((SECONDS - t_all))"
"$PY" "$ZRS_TOP/tests/bench/report.py" "$out"
