# SPDX-License-Identifier: GPL-2.0
# Bad input: every writable attribute of a device and of zram-control, and
# num_devices, gets a corpus of bad values in each device state. Each must
# get the C zram's errno (the same corpus runs on the C zram in the same
# boot, and the two answers are compared), and leave the state unchanged.
# Reading any attribute must never show a kernel pointer.
. ./lib.sh
d=/sys/block/zram0
long=$(printf '1%.0s' $(seq 300))
# value list: entries separated by newlines; \xNN escapes for zrs-write.
corpus() {
	cat <<'CORPUS'

 
	
-1
abc
0
00
0x
-0
+
99999999999999999999999
18446744073709551616
4294967296
65536
1 1
1\x002
\x00
\xff\xfe\x80
1G\x00garbage
lz4\x00zzz
lzo-rle
lz4 
 lz4
LZ4
zstd
foo
1K
1
2
CORPUS
	echo "$long"
	printf 'x%.0s' $(seq 200); echo
}
# Device state that no bad write may change, into $SNAP: read with bash
# builtins only (no process per check: the corpus is a few thousand writes).
snapshot() {
	local f l
	SNAP=
	for f in initstate disksize comp_algorithm mm_stat backing_dev \
		recomp_algorithm writeback_limit writeback_limit_enable \
		writeback_batch_size compressed_writeback bd_stat; do
		while IFS= read -r l; do SNAP+="$l|"; done < $d/$f
	done
}

restore() { # wanted state
	local st
	read -r st < $d/initstate
	if [ $1 = uninit ]; then
		[ "$st" = 1 ] && echo 1 > $d/reset
		echo lzo-rle > $d/comp_algorithm
	elif [ "$st" = 0 ]; then
		echo 16M > $d/disksize
	fi
	echo 0 > $d/mem_limit
	echo 0 > $d/writeback_limit
	echo 0 > $d/writeback_limit_enable
	echo 32 > $d/writeback_batch_size
	[ $1 = uninit ] && echo 0 > $d/compressed_writeback
	return 0
}

run_corpus() { # driver state(uninit|init) -> writes "attr|value|errno" lines
	local attr v r base
	snapshot; base=$SNAP
	for attr in disksize reset comp_algorithm mem_limit mem_used_max compact idle \
		backing_dev writeback writeback_limit writeback_limit_enable \
		writeback_batch_size compressed_writeback recomp_algorithm recompress \
		algorithm_params; do
		while IFS= read -r v; do
			r=$(zrs-write -n "$d/$attr" "$v")
			echo "$2|$attr|$v|$r"
			if [ "$r" = OK ]; then
				# An accepted value may have moved the device: put it
				# back, the same way on both drivers.
				restore $2
				snapshot; base=$SNAP
			elif snapshot; [ "$SNAP" != "$base" ]; then
				echo "STATE $1 $2 $attr '$v'" >> /tmp/state.bad
			fi
		done < <(corpus)
	done
	for v in "" -1 abc 99999999999 4294967296 "\xff" 7 "1 1"; do
		echo "$2|hot_remove|$v|$(zrs-write -n /sys/class/zram-control/hot_remove "$v")"
	done
}

for drv in rs c; do
	ZRS_DRIVER=$drv
	zram_load
	run_corpus $drv uninit > /tmp/bad.$drv
	echo 16M > $d/disksize || fail "disksize ($drv)"
	run_corpus $drv init >> /tmp/bad.$drv
	# Nothing readable shows a kernel pointer.
	for f in $d/*; do
		[ -f "$f" ] && [ -r "$f" ] || continue
		cat "$f" 2>/dev/null | grep -qiE 'ffff[0-9a-f]{12}' && echo "$f" >> /tmp/ptr.bad
	done
	echo 1 > $d/reset
	zram_unload
done
unset ZRS_DRIVER

# num_devices: a bad parameter fails the load the same way for both.
for v in abc -1 4294967296 1x; do
	modprobe zram_rs num_devices=$v 2>/dev/null && { rmmod zram_rs; fail "zram_rs loaded with num_devices=$v"; }
	modprobe zram num_devices=$v 2>/dev/null && { rmmod zram; fail "C zram loaded with num_devices=$v"; }
done
[ -s /tmp/state.bad ] && fail "state changed by a failed write: $(head -3 /tmp/state.bad | tr '\n' '|')"
[ -s /tmp/ptr.bad ] && fail "kernel pointer in: $(cat /tmp/ptr.bad | tr '\n' ' ')"
n=$(wc -l < /tmp/bad.rs)
if ! cmp -s /tmp/bad.rs /tmp/bad.c; then
	diff /tmp/bad.c /tmp/bad.rs | head -20
	fail "errno differs from the C zram for $(diff /tmp/bad.c /tmp/bad.rs | grep -c '^+[^+]') of $n inputs"
fi
emit "inputs_per_driver=$n num_devices_values=4 drivers=zram_rs,zram"
log "ok: $n bad inputs (+4 num_devices), same errno as the C zram, state unchanged, no pointers"
