#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot a test kernel in QEMU and run guest tests in it.
#
#   scripts/guest-run.sh [-k release|debug|debian] [-s SMP] [-m MEM] [-t SECS]
#                        [-a ARGS] TEST...
#
# Builds whatever is missing (kernel, module, initramfs), boots once, runs the
# named tests/guest/TEST.sh in order and prints one line per test. Results come
# back on the guest's second serial port; the console log of every run is kept
# under $ZRS_CACHE/runs/ for a human to read. Exit status: 0 if every test
# passed or was skipped, 1 otherwise. With ZRS_SUMMARY=FILE, result lines are
# appended there too (make check adds them up). ZRS_QEMU_EXTRA adds QEMU
# arguments (after the harness's own, so a -cpu there wins) and
# ZRS_CMDLINE_EXTRA kernel command-line words.
. "$(dirname "$0")/lib.sh"

flavour=release smp=2 mem=1G per_test=300 args=
while getopts "k:s:m:t:a:" o; do
	case $o in
	k) flavour=$OPTARG ;; s) smp=$OPTARG ;; m) mem=$OPTARG ;;
	t) per_test=$OPTARG ;; a) args=$OPTARG ;;
	*) die "bad option" ;;
	esac
done
shift $((OPTIND - 1))
(($#)) || die "no test named"
tests=("$@")

run=$ZRS_CACHE/runs/$(date +%Y%m%d-%H%M%S)-$flavour-$$
mkdir -p "$run"
if [ "$flavour" = debian ]; then
	# Debian's own kernel and modules; ours built in the Debian environment.
	kb=$(bash "$ZRS_TOP/scripts/debian-kernel.sh") || die "Debian kernel not ready"
	mods=("$kb/zram_rs.ko")
	export ZRS_INSTALL_UPDATES=$kb/install
else
	kb=$(bash "$ZRS_TOP/scripts/build-kernel.sh" "$flavour")
	msg "building the module against the $flavour kernel"
	make -s -C "$ZRS_TOP" modules testmods KDIR="$kb" >/dev/null
	md=$(bash "$ZRS_TOP/scripts/modpath.sh" "$kb")
	mods=("$md"/*.ko "$md"-test/*.ko)
	# What `make install` puts under updates/, for zram-alias to install.
	# (depmod warns that the staging root has no modules.builtin: true.)
	make -s -C "$ZRS_TOP" install KDIR="$kb" INSTALL_MOD_PATH="$run/inst" >"$run/install.log" 2>&1 ||
		{ cat "$run/install.log" >&2; die "make install into $run/inst failed"; }
	export ZRS_INSTALL_UPDATES=$run/inst/lib/modules/$(cat "$kb/include/config/kernel.release")/updates
fi

guest_bins

cpio=$run/initramfs.cpio
bash "$ZRS_TOP/scripts/mkinitramfs.sh" "$kb" "$cpio" "${mods[@]}"

qemu_base=(qemu-system-x86_64 "${ZRS_QEMU_BASE[@]}" -smp "$smp" -m "$mem"
	-kernel "$kb/arch/x86/boot/bzImage" -initrd "$cpio")
cmdline="$ZRS_KCMDLINE${ZRS_CMDLINE_EXTRA:+ $ZRS_CMDLINE_EXTRA}"

# KVM aborts or hangs with this QEMU on these machines (toolchain.md); try it
# once per host kernel and QEMU version with a short timeout, else use TCG.
accel_args() {
	if [ -n "${ZRS_ACCEL:-}" ]; then
		[ "$ZRS_ACCEL" = kvm ] && echo "${ZRS_KVM_ACCEL[*]}" || echo "${ZRS_TCG_ACCEL[*]}"
		return
	fi
	local key probe
	key=$ZRS_CACHE/kvm-probe-$(uname -r)-$(zrs_qemu_version | md5sum | cut -c1-8)
	if [ ! -f "$key" ]; then
		probe=no
		if [ -w /dev/kvm ] && zrs_kvm_probe null "$run/probe.txt" /dev/null "${qemu_base[@]}"; then
			probe=yes
		fi
		echo $probe > "$key"
		msg "KVM probe: $probe (cached in $key)"
	fi
	if [ "$(cat "$key")" = yes ]; then echo "${ZRS_KVM_ACCEL[*]}"; else echo "${ZRS_TCG_ACCEL[*]}"; fi
}
read -ra accel <<< "$(accel_args)"
# Debian's kernel patches its text at run time far more than ours (static
# keys, ftrace, alternatives: at boot and at every module load). With one
# host thread per vCPU, TCG let a vCPU run a stale translation of code
# another vCPU had just patched: "Oops: int3" in sched_clock_cpu within
# the first 2 s of one boot in four. One TCG thread for all vCPUs, as
# text_poke_bp() assumes of real CPUs, keeps their views in step.
if [ "$flavour" = debian ] && [ "${accel[1]}" = tcg ]; then accel[1]=tcg,thread=single; fi
if [ -n "${ZRS_QEMU_EXTRA:-}" ]; then read -ra extra <<< "$ZRS_QEMU_EXTRA"; else extra=(); fi
boot_allow=$([ "$flavour" = release ] && echo 60 || echo 120)
total=$((boot_allow + ${#tests[@]} * per_test + 30))
tlist=$(IFS=,; echo "${tests[*]}")
msg "booting $flavour ($(basename "$(readlink -f "$kb")"), ${accel[*]}, -smp $smp -m $mem): ${tests[*]}"
msg "console log: $run/console.log"
start=$SECONDS
timeout -k 5 "$total" "${qemu_base[@]}" "${accel[@]}" "${extra[@]}" \
	-append "$cmdline zrs.tests=$tlist zrs.timeout=$per_test zrs.args=${args// /,}" \
	-serial "file:$run/console.log" -serial "file:$run/results.txt" \
	>"$run/qemu.out" 2>&1
qrc=$?
touch "$run/results.txt"
zrs_results_clean "$run/results.txt" "$run/results.clean"

# Turn the results channel into one line per test.
pass=0 failn=0 skipn=0
declare -A seen=()
out_line() {
	echo "$1"
	if [ -n "${ZRS_SUMMARY:-}" ]; then echo "$1" >> "$ZRS_SUMMARY"; fi
}
while read -r tag name verdict rest; do
	case $tag in
	ZRS-BEGIN) seen[$name]=begun ;;
	# What a test counted (iterations, operations): on the record.
	ZRS-DATA) out_line "DATA [$flavour] $name: $verdict $rest" ;;
	ZRS-RESULT)
		seen[$name]=done
		case $verdict in
		PASS) pass=$((pass + 1)); out_line "PASS [$flavour] $name" ;;
		SKIP) skipn=$((skipn + 1)); out_line "SKIP [$flavour] $name: $rest" ;;
		*) failn=$((failn + 1)); out_line "FAIL [$flavour] $name: $rest" ;;
		esac ;;
	esac
done < "$run/results.clean"
if ! grep -q '^ZRS-DONE' "$run/results.clean"; then
	why="guest did not finish (qemu exit $qrc after $((SECONDS - start)) s)"
	((qrc == 124)) && why="guest killed after ${total}s"
	hung=
	for t in "${tests[@]}" final-checks; do
		[ "${seen[$t]:-}" = begun ] && hung=$t
	done
	if [ -n "$hung" ]; then
		failn=$((failn + 1)); out_line "FAIL [$flavour] $hung: hung or crashed: $why"
	else
		failn=$((failn + 1)); out_line "FAIL [$flavour] boot: $why"
	fi
	tail -25 "$run/console.log" | sed 's/^/  console| /' >&2
	for t in "${tests[@]}"; do
		[ -z "${seen[$t]:-}" ] && { failn=$((failn + 1)); out_line "FAIL [$flavour] $t: not run"; }
	done
fi
msg "$flavour: $pass passed, $failn failed, $skipn skipped in $((SECONDS - start)) s (log: $run/console.log)"
cp "$run/results.clean" "$ZRS_CACHE/runs/last-results.txt"
rm -f "$cpio"
((failn == 0))
