# SPDX-License-Identifier: GPL-2.0
# Bad input: every writable attribute of a device and of zram-control, and
# num_devices, gets a corpus of bad values in each device state. Each must
# get the C zram's errno (the same corpus runs on the C zram in the same
# boot, and the two answers are compared), and leave the state unchanged.
# Reading any attribute must never show a kernel pointer.
. ./lib.sh
d=/sys/block/zram0
attrs="disksize reset comp_algorithm mem_limit mem_used_max compact idle
	backing_dev writeback writeback_limit writeback_limit_enable
	writeback_batch_size compressed_writeback recomp_algorithm recompress
	algorithm_params"
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
# key=value arguments, quoted as next_arg() takes them, and bad
# compression parameters, for the attributes that parse arguments.
kvattrs=" writeback recomp_algorithm recompress algorithm_params "
kvcorpus() {
	cat <<'CORPUS'
algo="lz4" priority=1
"algo=lzo priority=2"
priority="3" algo=lz4
algo="lz4
algo="lz 4"
algo=""
algo= priority=1
"
=lz4
=algo=lz4
type="idle"
"huge"
page_index="0"
page_indexes="0-1" type=huge
max_pages="1" type="huge"
level=abc
level=100
deflate.winbits=99
dict=/nonexistent
dict=/
dict=/tmp/dict.empty
dict=/tmp/dict.unreadable
dict=/tmp/dict.huge
priority=4 level=1
foo=bar
CORPUS
}
# Dictionaries algorithm_params must refuse when written: empty, unreadable
# (mode 000, and the writer below lacks CAP_DAC_OVERRIDE), and over the
# INT_MAX that both drivers allow (sparse: no memory).
: > /tmp/dict.empty
textdata 4096 > /tmp/dict.unreadable
chmod 000 /tmp/dict.unreadable
truncate -s 3G /tmp/dict.huge
[ "$(stat -c %s /tmp/dict.huge)" = 3221225472 ] || fail "cannot make a sparse 3 GiB file"
# One zrs-write serves every write and state read of the corpus (a few
# thousand writes: a process per write took most of the test's time). It
# runs as root without the capabilities that override file modes, as a
# service that drops them would.
coproc ZW { setpriv --bounding-set=-dac_override,-dac_read_search zrs-write -s; }
zw() { # file value -> $r, the write's errno as zrs-write -n gives it
	printf 'w %s\n%s\n' "$1" "$2" >&"${ZW[1]}"
	IFS= read -r r <&"${ZW[0]}" || fail "zrs-write -s died"
}
zr() { # files -> $R, their contents as zrs-write -s reads them
	printf 'r %s\n' "$1" >&"${ZW[1]}"
	IFS= read -r R <&"${ZW[0]}" || fail "zrs-write -s died"
}
zw /nonexistent x
[ "$r" = ENOENT ] || fail "zrs-write -s answers '$r' for a missing file"
zr /tmp/dict.unreadable
[ -z "$R" ] || fail "zrs-write -s can read a mode 000 file: it kept CAP_DAC_OVERRIDE"
# Device state that no bad write may change, into $SNAP (files that do not
# exist add nothing).
snapfiles=$(for f in initstate disksize comp_algorithm mm_stat backing_dev \
	recomp_algorithm writeback_limit writeback_limit_enable \
	writeback_batch_size compressed_writeback bd_stat; do echo $d/$f; done | xargs)
snapshot() { zr "$snapfiles"; SNAP=$R; }

restore() { # wanted state
	local st
	read -r st < $d/initstate
	if [ $1 = uninit ]; then
		[ "$st" = 1 ] && echo 1 > $d/reset
		# The kernel's default (lz4 on Debian's, which has no lzo).
		echo $default_algo > $d/comp_algorithm
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
	local attr v r base seen l
	snapshot; base=$SNAP
	for attr in $attrs; do
		while IFS= read -r v; do
			zw "$d/$attr" "$v"
			seen=
			# What an accepted algorithm write selected (quotes included).
			case $r.$attr in
			OK.*_algorithm)
				while IFS= read -r l; do seen+="$l;"; done < $d/$attr;;
			esac
			echo "$2|$attr|$v|$r|$seen"
			if [ "$r" = OK ]; then
				# An accepted value may have moved the device: put it
				# back, the same way on both drivers.
				restore $2
				snapshot; base=$SNAP
			elif snapshot; [ "$SNAP" != "$base" ]; then
				echo "STATE $1 $2 $attr '$v'" >> /tmp/state.bad
			fi
		done < <(corpus; [ "${kvattrs/ $attr /}" != "$kvattrs" ] && kvcorpus)
	done
	for v in "" -1 abc 99999999999 4294967296 "\xff" 7 "1 1"; do
		zw /sys/class/zram-control/hot_remove "$v"
		echo "$2|hot_remove|$v|$r"
	done
}

for drv in rs c; do
	ZRS_DRIVER=$drv
	zram_load
	default_algo=$(sed -n 's/.*\[\(.*\)\].*/\1/p' $d/comp_algorithm)
	run_corpus $drv uninit > /tmp/bad.$drv
	echo 16M > $d/disksize || fail "disksize ($drv)"
	run_corpus $drv init >> /tmp/bad.$drv
	# Nothing readable shows a kernel pointer.
	for f in $d/*; do
		[ -f "$f" ] && [ -r "$f" ] || continue
		cat "$f" 2>/dev/null | grep -qiE 'ffff[0-9a-f]{12}' && echo "$f" >> /tmp/ptr.bad
	done
	echo 1 > $d/reset
	# What this driver has: its attributes and the algorithms it lists.
	for a in $attrs; do [ -e $d/$a ] && echo $a; done > /tmp/attrs.$drv
	tr -d '[]' < $d/comp_algorithm | xargs -n1 > /tmp/listed.$drv
	zram_unload
done
unset ZRS_DRIVER

# Where the kernel's C zram was built with less than ours has (Debian's:
# no lzo backends, no CONFIG_ZRAM_MULTI_COMP), ours is a superset: it
# lists what the C zram lists, but still accepts a known algorithm that
# the crypto API provides and keeps its recompression attributes. Those
# inputs are set aside, by what the C zram itself shows; all others must
# match. On our own kernels nothing is set aside.
cmp -s /tmp/listed.rs /tmp/listed.c || fail "comp_algorithm lists differ: ours '$(xargs < /tmp/listed.rs)', C '$(xargs < /tmp/listed.c)'"
known="lzo-rle lzo lz4 lz4hc zstd deflate 842"
extra_attrs=$(grep -vxFf /tmp/attrs.c /tmp/attrs.rs | xargs)
extra_algos=$(for a in $known; do grep -qx "$a" /tmp/listed.c || echo "$a"; done | xargs)
# Without recomp_algorithm (CONFIG_ZRAM_MULTI_COMP), the C zram has one
# priority, so algorithm_params with a priority is a superset input too.
multi=1; grep -qx recomp_algorithm /tmp/attrs.c || multi=0
superset() { # file: the lines that belong to the superset
	awk -F'|' -v attrs=" $extra_attrs " -v algos=" $extra_algos " -v multi=$multi \
		'index(attrs, " " $2 " ") || ($2 == "comp_algorithm" && index(algos, " " $3 " ")) ||
		 (!multi && $2 == "algorithm_params" && index($3, "priority"))' "$1"
}
aside=$(superset /tmp/bad.rs | cut -d'|' -f1-3 | sort -u)
if [ -n "$aside" ]; then
	# Ours must accept every such algorithm where the C zram says EINVAL.
	bad=$(superset /tmp/bad.rs | awk -F'|' '$2 == "comp_algorithm" && $4 != "OK" && $1 == "uninit"')
	[ -n "$bad" ] && fail "ours refused an algorithm it provides: $(echo "$bad" | head -2 | tr '\n' ' ')"
	echo "$aside" > /tmp/aside
	for f in rs c; do
		awk -F'|' 'NR == FNR { k[$0] = 1; next } !(($1 "|" $2 "|" $3) in k)' /tmp/aside /tmp/bad.$f > /tmp/bad.$f.cmp
		mv /tmp/bad.$f.cmp /tmp/bad.$f
	done
	emit "superset_inputs=$(echo "$aside" | wc -l) extra_attrs=${extra_attrs// /,} extra_algos=${extra_algos// /,}"
	log "set aside (ours is a superset of this kernel's C zram): attributes '$extra_attrs', algorithms '$extra_algos'"
fi

# num_devices: a bad parameter fails the load the same way for both.
for v in abc -1 4294967296 1x; do
	modprobe zram_rs num_devices=$v 2>/dev/null && { rmmod zram_rs; fail "zram_rs loaded with num_devices=$v"; }
	modprobe zram num_devices=$v 2>/dev/null && { rmmod zram; fail "C zram loaded with num_devices=$v"; }
done
[ -s /tmp/state.bad ] && fail "state changed by a failed write: $(head -3 /tmp/state.bad | tr '\n' '|')"
[ -s /tmp/ptr.bad ] && fail "kernel pointer in: $(cat /tmp/ptr.bad | tr '\n' ' ')"
# The dictionaries fail where the kernel's file reading fails them, on C
# too: over 2 GiB at filp_open (no O_LARGEFILE), before kernel_read_file's
# own INT_MAX check.
for want in empty:EINVAL unreadable:EACCES huge:EOVERFLOW; do
	grep -qxF "uninit|algorithm_params|dict=/tmp/dict.${want%:*}|${want#*:}|" /tmp/bad.c ||
		fail "C zram: dict=/tmp/dict.${want%:*} is not ${want#*:}: $(grep -F "uninit|algorithm_params|dict=/tmp/dict.${want%:*}|" /tmp/bad.c)"
done
n=$(wc -l < /tmp/bad.rs)
if ! cmp -s /tmp/bad.rs /tmp/bad.c; then
	diff /tmp/bad.c /tmp/bad.rs | head -20
	fail "errno differs from the C zram for $(diff /tmp/bad.c /tmp/bad.rs | grep -c '^+[^+]') of $n inputs"
fi
emit "inputs_per_driver=$n num_devices_values=4 drivers=zram_rs,zram"
log "ok: $n bad inputs (+4 num_devices), same errno as the C zram, state unchanged, no pointers"
