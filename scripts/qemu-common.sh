# SPDX-License-Identifier: GPL-2.0
# What every guest boot shares, in one place: sourced by lib.sh (so by
# guest-run.sh and bench.sh) and, inside a bench bundle, by run-scale.sh,
# which runs without the repository (bench-bundle.sh packs this file).
# Plain bash, no other dependency.

# QEMU arguments of every boot, after the binary: no devices but the two
# serial ports each caller adds (console, results), no display, no reboot.
ZRS_QEMU_BASE=(-nodefaults -display none -no-reboot -monitor none)
# The kernel command line every boot starts with; the init script reads
# its zrs.* words after these.
ZRS_KCMDLINE="console=ttyS0 panic=-1 loglevel=6 printk.time=1"
# The accelerator arguments of a KVM boot and of a TCG one.
ZRS_KVM_ACCEL=(-accel kvm -cpu host)
ZRS_TCG_ACCEL=(-accel tcg -cpu max)

# zrs_qemu_version [QEMU]: the first line of QEMU's --version.
zrs_qemu_version() {
	"${1:-qemu-system-x86_64}" --version | head -1
}

# zrs_results_clean RAW CLEAN: the guest's results channel without the
# serial line's carriage returns (empty if the guest wrote nothing).
zrs_results_clean() {
	tr -d '\r' < "$1" > "$2" 2>/dev/null || : > "$2"
}

# zrs_kvm_probe CONSOLE RESULTS LOG QEMU...: does QEMU... (the binary, base
# arguments, -smp, -m, kernel and initramfs) boot our initramfs under KVM
# within 20 s? KVM aborts or hangs with some QEMU and host kernel pairs
# (toolchain.md). CONSOLE is a -serial backend ("null", "file:..."); LOG
# gets QEMU's own output.
zrs_kvm_probe() {
	local console=$1 results=$2 log=$3
	shift 3
	rm -f "$results"
	timeout -k 2 20 "$@" "${ZRS_KVM_ACCEL[@]}" \
		-append "$ZRS_KCMDLINE zrs.probe=1" -serial "$console" \
		-serial "file:$results" >"$log" 2>&1 || true
	grep -q ZRS-PROBE-OK "$results" 2>/dev/null
}

# zrs_boot_record NAME SMP MEM QEMU-EXTRA CMDLINE-EXTRA ACCEL ARGS TESTS RC
# WALL_S: one line of a benchmark's boots.jsonl (tests/bench/report.py).
zrs_boot_record() {
	printf '{"name": "%s", "smp": %s, "mem": "%s", "qemu_extra": "%s", "cmdline_extra": "%s", "accel": "%s", "args": "%s", "tests": "%s", "rc": %s, "wall_s": %s}\n' "$@"
}

# zrs_meta_json FILE QEMU KREL KBUILD CONFIG_HASH GIT ALG QUICK REAL_MIB
# WALL_S [EXTRA_JSON_FIELDS]: a benchmark's meta.json, written whole
# (through a temporary file) so that a run cut off later still has it.
zrs_meta_json() {
	local f=$1
	cat > "$f.tmp" <<-EOF
	{
	  "date": "$(date -Iseconds)",
	  "host": "$(cat /proc/sys/kernel/hostname)",
	  "host_cpu": "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)",
	  "host_cpus": $(nproc),
	  "host_mem_kb": $(awk '/^MemTotal/ { print $2 }' /proc/meminfo),
	  "host_kernel": "$(uname -r)",
	  "qemu": "$2",
	  "kernel_release": "$3",
	  "kernel_build": "$4",
	  "config_hash": "$5",
	  "git": "$6",
	  "alg": "$7",
	  "quick": $8,
	  "realdata_mib": $9,${11:+
	  ${11},}
	  "total_wall_s": ${10}
	}
	EOF
	mv "$f.tmp" "$f"
}
