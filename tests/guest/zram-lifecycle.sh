# SPDX-License-Identifier: GPL-2.0
# disksize / initstate / reset / comp_algorithm, with the C driver's errno.
. ./lib.sh
d=/sys/block/zram0
# The kernel's own C zram lists the backends its .config built it with and
# starts with its default; ours must show the same on this kernel
# ("[lzo-rle] lzo lz4 zstd deflate " on ours, "[lz4] lz4hc zstd deflate "
# on Debian's).
modprobe zram || fail "modprobe zram (the C zram)"
c_list=$(cat $d/comp_algorithm)
rmmod zram
names=$(echo "$c_list" | tr -d '[]')
c_default=$(echo "$c_list" | grep -o '\[[^]]*\]' | tr -d '[]')
listed() { local n; for n in $names; do [ "$n" = "$1" ] && return 0; done; return 1; }
# comp_algorithm with $1 current: the listed names, an unlisted one appended.
show() {
	local n out=
	for n in $names; do
		if [ "$n" = "$1" ]; then out+="[$n] "; else out+="$n "; fi
	done
	listed "$1" || out+="[$1] "
	printf '%s' "$out"
}
zram_load

expect_eq "default comp_algorithm (the C zram's on this kernel)" "$(cat $d/comp_algorithm)" "$c_list"
expect_eq initstate "$(attr 0 initstate)" 0
expect_eq disksize "$(attr 0 disksize)" 0

# Bad sizes: -EINVAL, state unchanged.
for v in 0 garbage "" " 1G" -1 99999999999999999999999; do
	expect_write $d/disksize "$v" EINVAL
	expect_eq "initstate after '$v'" "$(attr 0 initstate)" 0
done

# memparse sizes, rounded up to pages.
for v in 1G:1073741824 512M:536870912 4096:4096 4097:8192 1:4096 0x10000:65536 64k:65536; do
	expect_write $d/disksize "${v%%:*}" OK
	expect_eq "disksize ${v%%:*}" "$(attr 0 disksize)" "${v##*:}"
	expect_eq "initstate ${v%%:*}" "$(attr 0 initstate)" 1
	expect_eq "size ${v%%:*}" "$(cat $d/size)" $(( ${v##*:} / 512 ))
	# Initialised: disksize and comp_algorithm are refused.
	expect_write $d/disksize 2G EBUSY
	expect_write $d/comp_algorithm lz4 EBUSY
	expect_write $d/reset 1 OK
	expect_eq "initstate after reset" "$(attr 0 initstate)" 0
	expect_eq "disksize after reset" "$(attr 0 disksize)" 0
	expect_eq "size after reset" "$(cat $d/size)" 0
done

# reset: value checks, busy while open.
expect_write $d/reset 0 EINVAL
expect_write $d/reset abc EINVAL
expect_write $d/reset 65536 ERANGE
expect_write $d/reset 1 OK
echo 32M > $d/disksize
exec 3< /dev/zram0
expect_write $d/reset 1 EBUSY
expect_eq "initstate while open" "$(attr 0 initstate)" 1
exec 3<&-
dd if=/dev/urandom of=/dev/zram0 bs=64k count=16 2>/dev/null || fail "write before reset"
[ "$(mm 0 1)" -gt 0 ] || fail "nothing stored before reset"
expect_write $d/reset 1 OK
expect_eq "mm_stat after reset" "$(cat $d/mm_stat | xargs)" "0 0 0 0 0 0 0 0 0"
expect_eq "io_stat after reset" "$(cat $d/io_stat | xargs)" "0 0 0 0"

# comp_algorithm: known names the crypto API has; E2BIG, EINVAL otherwise.
expect_write $d/comp_algorithm foo EINVAL
expect_write $d/comp_algorithm "" EINVAL
expect_write $d/comp_algorithm "$(printf 'x%.0s' $(seq 200))" E2BIG
textdata 65536 > /tmp/src
expect_eq "test data size" "$(stat -c %s /tmp/src)" 65536
for a in lz4 zstd deflate lzo lzo-rle; do
	expect_write $d/comp_algorithm $a OK
	cat $d/comp_algorithm | grep -q "\[$a\]" || fail "comp_algorithm does not show [$a]: $(cat $d/comp_algorithm)"
	echo 8M > $d/disksize || fail "init with $a"
	dd if=/tmp/src of=/dev/zram0 bs=64k oflag=direct 2>/dev/null || fail "write with $a"
	dd if=/dev/zram0 of=/tmp/back bs=64k count=1 iflag=direct 2>/dev/null || fail "read with $a"
	cmp -s /tmp/src /tmp/back || fail "data mismatch with $a"
	[ "$(mm 0 2)" -lt 65536 ] || fail "$a did not compress text: mm_stat $(cat $d/mm_stat)"
	echo 1 > $d/reset
done
# algorithm_params: parsed as in C and stored for the next disksize; a
# write replaces the priority's parameters (level=3 would fail lzo-rle's
# disksize; window bits mean nothing to it).
expect_write $d/algorithm_params "level" EINVAL
expect_write $d/algorithm_params "level=x" EINVAL
expect_write $d/algorithm_params "priority=4" EINVAL
expect_write $d/algorithm_params "priority=1 algo=zstd" EINVAL
expect_write $d/algorithm_params "algo=zstd" EINVAL
expect_write $d/algorithm_params "algo=$c_default priority=0" OK
expect_write $d/algorithm_params "level=3" OK
expect_write $d/algorithm_params "priority=0 deflate.winbits=12" OK
echo 8M > $d/disksize || fail "disksize after algorithm_params"
expect_write $d/algorithm_params "algo=$c_default" EBUSY
echo 1 > $d/reset
expect_eq "comp_algorithm after reset: the default" "$(cat $d/comp_algorithm)" "$(show $c_default)"
# A known algorithm that this kernel's zram has no backend for but the
# crypto API provides: ours takes it and shows it after the list.
for un in lz4hc lzo; do listed $un || break; done
listed $un && fail "no unlisted algorithm to try in '$c_list'"
expect_write $d/comp_algorithm $un OK
expect_eq "unlisted algorithm shown" "$(cat $d/comp_algorithm)" "$(show $un)"
zram_unload
log "ok: disksize, initstate, reset, comp_algorithm"
