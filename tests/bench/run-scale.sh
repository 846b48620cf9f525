#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The scaling benchmark of a bench bundle (scripts/bench-bundle.sh), run
# from the unpacked bundle on any x86-64 Linux machine with bash,
# coreutils, grep and awk (and xz, or python3, to unpack it):
#
#   run-scale.sh OUTDIR SECONDS SMP...
#
# One boot per SMP, in the order given: bench-info and bench-fio with one
# fio job and one job per vCPU, ours and the C zram alternated, fresh
# device each time. KVM (-cpu host) if /dev/kvm boots the guest, else
# multi-threaded TCG (-cpu max). No boot starts once SECONDS are spent, and
# each is cut off at the end of them: a boot that did not run or finish is
# missing from OUTDIR or marked unfinished there, and report.py says so.
# OUTDIR gets what make bench writes (boot-NAME.txt, boots.jsonl,
# meta.json) plus the console logs; tests/bench/report.py OUTDIR on the
# developer's machine makes the report. ZRS_SCALE_ARGS replaces the matrix.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?output directory}; budget=${2:?seconds}; shift 2
(($#)) || { echo "run-scale.sh: no SMP count given" >&2; exit 2; }
for smp in "$@"; do
	[[ $smp =~ ^[0-9]+$ ]] || { echo "run-scale.sh: bad SMP count '$smp'" >&2; exit 2; }
done
. "$here/bundle.env"
. "$here/qemu-common.sh"
args=${ZRS_SCALE_ARGS:-alg=$ALG disksize=512M size=64 runtime=1 rounds=3 ds=50 jobs=1:ncpu wl=seqwrite:seqread:randread:randwrite}
# Both end up in JSON strings and on the kernel command line.
case $args in *[\"\\,]*) echo "run-scale.sh: no quotes, backslashes or commas in the matrix" >&2; exit 2 ;; esac
mkdir -p "$out"
: > "$out/boots.jsonl"
t0=$SECONDS
all="$*"

# Written now and after every boot, so that an interrupted run still has it.
write_meta() {
	zrs_meta_json "$out/meta.json" "$QEMU_VERSION (carried in the bundle)" "$KREL" \
		"$KBUILD" "$CONFIG_HASH" "$GIT" "$ALG" 0 0 "$((SECONDS - t0))" \
		"\"bundle\": \"run-scale.sh $budget s: $all\""
}
write_meta

export QEMU_MODULE_DIR=$here/qemu/modules
q=("$here/qemu/lib/ld-linux-x86-64.so.2" --inhibit-cache --library-path "$here/qemu/lib"
	"$here/qemu/qemu-system-x86_64" -L "$here/qemu/share" "${ZRS_QEMU_BASE[@]}"
	-kernel "$here/bzImage" -initrd "$here/initramfs.cpio")

accel=(-accel tcg,thread=multi -cpu max) acc=tcg
if [ -w /dev/kvm ] && zrs_kvm_probe "file:$out/kvm-probe-console.log" "$out/kvm-probe.txt" \
	"$out/kvm-probe.log" "${q[@]}" -smp 1 -m 512M; then
	accel=("${ZRS_KVM_ACCEL[@]}") acc=kvm
fi
echo "run-scale: ${accel[*]}; $(nproc) host CPUs; matrix: $args" >&2

for smp in "$@"; do
	left=$((budget - (SECONDS - t0)))
	if ((left < 30)); then
		echo "run-scale: -smp $smp not started: time budget spent" >&2
		continue
	fi
	name=$acc-s$smp
	b0=$SECONDS rc=0
	echo "run-scale: boot $name (up to $left s)" >&2
	timeout -k 5 "$left" "${q[@]}" -smp "$smp" -m 2G "${accel[@]}" \
		-append "$ZRS_KCMDLINE zrs.tests=bench-info,bench-fio zrs.timeout=$left zrs.args=${args// /,}" \
		-serial "file:$out/console-$name.log" -serial "file:$out/results-$name.raw" \
		> "$out/qemu-$name.log" 2>&1 || rc=$?
	zrs_results_clean "$out/results-$name.raw" "$out/boot-$name.txt"
	rm -f "$out/results-$name.raw"
	zrs_boot_record "$name" "$smp" 2G "" "" "${accel[*]}" "$args" "bench-info bench-fio" \
		"$rc" "$((SECONDS - b0))" >> "$out/boots.jsonl"
	echo "run-scale: $name: qemu exit $rc after $((SECONDS - b0)) s; $(grep -c '^ZRS-DATA bench-fio fio' "$out/boot-$name.txt" || true) fio records" >&2
	write_meta
done

