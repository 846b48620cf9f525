#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's linux-source package from trixie-backports without touching
# the system's apt configuration, check it against the recorded SHA-256 and
# unpack the tree into the cache. The tree is never patched.
. "$(dirname "$0")/lib.sh"

SUMS=$ZRS_TOP/scripts/linux-source.sha256
[ -f "$KSRC_DIR/.unpacked" ] && { msg "kernel source: $KSRC_DIR"; exit 0; }

apt_dir=$ZRS_CACHE/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$ZRS_CACHE/src"
cat > "$apt_dir/sources.list" <<EOS
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $KSRC_MIRROR $KSRC_SUITE main
EOS
apt_opts=(
	-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	-o "Dir::Etc::SourceParts=-"
	-o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::Cache=$apt_dir/cache"
	-o "APT::Default-Release=$KSRC_SUITE"
	-o "APT::Sandbox::User=root"
)
deb=$ZRS_CACHE/src/${KSRC_PKG}_${KSRC_PKG_VERSION}_all.deb
if [ ! -f "$deb" ]; then
	msg "fetching $KSRC_PKG=$KSRC_PKG_VERSION from $KSRC_SUITE"
	apt-get "${apt_opts[@]}" update -q >/dev/null
	(cd "$ZRS_CACHE/src" && apt-get "${apt_opts[@]}" download -q \
		"$KSRC_PKG=$KSRC_PKG_VERSION" >/dev/null)
	# apt names the file with the epoch-escaped version.
	f=$(ls "$ZRS_CACHE/src/${KSRC_PKG}_"*"_all.deb" | head -1)
	[ "$f" = "$deb" ] || mv "$f" "$deb"
fi

want=$(awk -v f="$(basename "$deb")" '$2 == f { print $1 }' "$SUMS")
[ -n "$want" ] || die "no recorded SHA-256 for $(basename "$deb") in $SUMS"
have=$(sha256sum "$deb" | cut -d' ' -f1)
[ "$want" = "$have" ] || { rm -f "$deb"; die "SHA-256 mismatch for $deb: $have, want $want"; }
msg "SHA-256 ok ($have)"

msg "unpacking the kernel tree (about 30 s)"
tmp=$(mktemp -d "$ZRS_CACHE/src/unpack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" ./usr/src/
tarball=$(ls "$tmp"/usr/src/linux-source-*.tar.xz)
tar -xJf "$tarball" -C "$tmp"
rm -rf "$KSRC_DIR"
mv "$tmp/linux-source-$KVER_DEB" "$KSRC_DIR"
touch "$KSRC_DIR/.unpacked"
msg "kernel source: $KSRC_DIR"
