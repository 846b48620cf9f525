# SPDX-License-Identifier: GPL-2.0
# The kernel's own compiler, as make arguments. Sourced by kbuild.sh (the
# module) and rust-kdir.sh (a distribution kernel's rust/), never run.

# kcc_args AUTO_CONF: print one make argument a line, or say on stderr
# which compiler to install and fail. gcc as the kernel's .config names it
# (Debian's is x86_64-linux-gnu-gcc-14); for clang, clang-N if the kernel
# was built by clang N and clang-N exists (DKMS would pass CC=clang, which
# need not exist), else plain LLVM=1. LLVM=... in the environment wins.
kcc_args() {
	local auto=$1 cc major llvm
	if grep -q '^CONFIG_CC_IS_GCC=y' "$auto"; then
		cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\{0,1\}\([^ "]*\).*/\1/p' "$auto")
		command -v "$cc" >/dev/null || {
			printf 'zram-rs: the kernel was built by %s, which is not installed: install %s\n' \
				"$cc" "${cc#x86_64-linux-gnu-}" >&2
			return 1
		}
		echo "CC=$cc"
		return
	fi
	major=$(sed -n 's/^CONFIG_CLANG_VERSION=\([0-9]*\)[0-9]\{4\}$/\1/p' "$auto")
	llvm=${LLVM:-}
	if [ -z "$llvm" ]; then
		if [ -n "$major" ] && command -v "clang-$major" >/dev/null; then llvm=-$major; else llvm=1; fi
	fi
	echo "LLVM=$llvm"
	if [[ $llvm == -* ]]; then printf '%s\n' "CC=clang$llvm" "LD=ld.lld$llvm"; fi
}
