#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Take a bare Debian 12 machine to a ready build environment. Idempotent:
# each step checks before it acts, so a warm run costs a few seconds.
. "$(dirname "$0")/lib.sh"

PKGS=(
	clang-19 lld-19 llvm-19 libclang-19-dev
	flex bison bc libelf-dev libssl-dev cpio kmod make xz-utils
	qemu-system-x86 busybox-static
	util-linux e2fsprogs fio dkms systemd debootstrap
	python3 python3-matplotlib zstd
)
want=("${PKGS[@]}")

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	[ "$(id -u)" = 0 ] || die "need root to install: ${missing[*]}"
	msg "installing Debian packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
	msg "Debian packages: all present"
fi

command -v rustup >/dev/null || die "rustup not found (the machine's Rust toolchain is expected)"
if ! rustup toolchain list 2>/dev/null | grep -q "^$RUSTUP_TOOLCHAIN"; then
	msg "rustup toolchain install $RUSTUP_TOOLCHAIN"
	rustup toolchain install "$RUSTUP_TOOLCHAIN" --profile minimal \
		--component rust-src,rustfmt,clippy >/dev/null
fi
if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
	msg "rustup component add rust-src"
	rustup component add rust-src >/dev/null
fi
for c in rustfmt clippy; do
	rustup component list --installed 2>/dev/null | grep -q "^$c" ||
		rustup component add "$c" >/dev/null
done

if ! bindgen --version 2>/dev/null | grep -q "$BINDGEN_VERSION"; then
	msg "cargo install bindgen-cli $BINDGEN_VERSION"
	cargo install --locked --quiet bindgen-cli --version "$BINDGEN_VERSION"
fi
msg "host ready: $(rustc --version), $(bindgen --version), $(clang$LLVM_SUFFIX --version | head -1)"
