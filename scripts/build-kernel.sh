#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build one kernel flavour (release or debug) with LLVM into the cache.
# The build directory is keyed by the source package version and the hash of
# the config fragments, so a tree is rebuilt only when one of them changes.
#
#   scripts/build-kernel.sh release|debug      build (if needed), print the dir
. "$(dirname "$0")/lib.sh"

flavour=${1:?usage: build-kernel.sh release|debug}
[ -f "$ZRS_TOP/kconfig/$flavour.config" ] || die "no fragment kconfig/$flavour.config"
out=$(kbuild_dir "$flavour")

if [ -f "$out/.zrs-built" ]; then
	msg "kernel $flavour: up to date in $out"
	echo "$out"
	exit 0
fi
[ -f "$KSRC_DIR/.unpacked" ] || die "no kernel source; run scripts/fetch-kernel.sh"

mkdir -p "$out"
kmake() { make -C "$KSRC_DIR" O="$out" LLVM="$LLVM_SUFFIX" "$@"; }
msg "kernel $flavour: configuring in $out"
kmake -s tinyconfig >/dev/null
"$KSRC_DIR/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
	"$ZRS_TOP/kconfig/base.config" "$ZRS_TOP/kconfig/$flavour.config" >/dev/null
kmake -s olddefconfig >/dev/null

# Kconfig drops a value whose dependencies are not met without a word
# (KASAN stays off under SLUB_TINY, for one): refuse such a config.
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$out/.config" || { msg "not applied: $line"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		grep -q "^$sym=" "$out/.config" && { msg "not applied: $line"; bad=1; } ;;
	esac
done < <(cat "$ZRS_TOP/kconfig/base.config" "$ZRS_TOP/kconfig/$flavour.config")
((bad == 0)) || die "kernel $flavour: config fragment not fully applied (see above)"

msg "kernel $flavour: building bzImage + modules (5-8 min on 2 cores)"
start=$SECONDS
kmake -j"$(($(nproc) + 1))" bzImage modules >"$out/build.log" 2>&1 ||
	{ tail -40 "$out/build.log" >&2; die "kernel $flavour: build failed (log: $out/build.log)"; }
# The modules tree the initramfs takes its modules from.
rm -rf "$out/modroot"
kmake -s INSTALL_MOD_PATH="$out/modroot" modules_install >/dev/null
touch "$out/.zrs-built"
msg "kernel $flavour: built in $((SECONDS - start)) s"
echo "$out"
