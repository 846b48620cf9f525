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
args=${ZRS_SCALE_ARGS:-alg=$ALG disksize=512M size=64 runtime=1 rounds=3 ds=50 jobs=1:ncpu wl=seqwrite:seqread:randread:randwrite}
# Both end up in JSON strings and on the kernel command line.
case $args in *[\"\\,]*) echo "run-scale.sh: no quotes, backslashes or commas in the matrix" >&2; exit 2 ;; esac
mkdir -p "$out"
: > "$out/boots.jsonl"
t0=$SECONDS
all="$*"

# Written now and after every boot, so that an interrupted run still has it.
write_meta() {
	cat > "$out/meta.json.tmp" <<-EOF
	{
	  "date": "$(date -Iseconds)",
	  "host": "$(cat /proc/sys/kernel/hostname)",
	  "host_cpu": "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)",
	  "host_cpus": $(nproc),
	  "host_mem_kb": $(awk '/^MemTotal/ { print $2 }' /proc/meminfo),
	  "host_kernel": "$(uname -r)",
	  "qemu": "$QEMU_VERSION (carried in the bundle)",
	  "kernel_release": "$KREL",
	  "kernel_build": "$KBUILD",
	  "config_hash": "$CONFIG_HASH",
	  "git": "$GIT",
	  "alg": "$ALG",
	  "quick": 0,
	  "realdata_mib": 0,
	  "bundle": "run-scale.sh $budget s: $all",
	  "total_wall_s": $((SECONDS - t0))
	}
	EOF
	mv "$out/meta.json.tmp" "$out/meta.json"
}
write_meta

export QEMU_MODULE_DIR=$here/qemu/modules
q=("$here/qemu/lib/ld-linux-x86-64.so.2" --inhibit-cache --library-path "$here/qemu/lib"
	"$here/qemu/qemu-system-x86_64" -L "$here/qemu/share" -nodefaults -display none
	-no-reboot -monitor none -kernel "$here/bzImage" -initrd "$here/initramfs.cpio")
cmdline="console=ttyS0 panic=-1 loglevel=6 printk.time=1"

accel=(-accel tcg,thread=multi -cpu max) acc=tcg
if [ -w /dev/kvm ]; then
	timeout -k 2 20 "${q[@]}" -smp 1 -m 512M -accel kvm -cpu host \
		-append "$cmdline zrs.probe=1" -serial "file:$out/kvm-probe-console.log" \
		-serial "file:$out/kvm-probe.txt" \
		> "$out/kvm-probe.log" 2>&1 || true
	if grep -q ZRS-PROBE-OK "$out/kvm-probe.txt" 2>/dev/null; then
		accel=(-accel kvm -cpu host) acc=kvm
	fi
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
		-append "$cmdline zrs.tests=bench-info,bench-fio zrs.timeout=$left zrs.args=${args// /,}" \
		-serial "file:$out/console-$name.log" -serial "file:$out/results-$name.raw" \
		> "$out/qemu-$name.log" 2>&1 || rc=$?
	tr -d '\r' < "$out/results-$name.raw" > "$out/boot-$name.txt" 2>/dev/null || : > "$out/boot-$name.txt"
	rm -f "$out/results-$name.raw"
	printf '{"name": "%s", "smp": %s, "mem": "2G", "qemu_extra": "", "cmdline_extra": "", "accel": "%s", "args": "%s", "tests": "bench-info bench-fio", "rc": %s, "wall_s": %s}\n' \
		"$name" "$smp" "${accel[*]}" "$args" "$rc" "$((SECONDS - b0))" >> "$out/boots.jsonl"
	echo "run-scale: $name: qemu exit $rc after $((SECONDS - b0)) s; $(grep -c '^ZRS-DATA bench-fio fio' "$out/boot-$name.txt" || true) fio records" >&2
	write_meta
done

