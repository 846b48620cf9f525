# SPDX-License-Identifier: GPL-2.0
# The cost of keeping per-CPU streams until the compressor is destroyed
# (instead of freeing a CPU's stream when it goes offline, as the C zram
# does): memory held per stream, measured as the difference between
# initialising N devices with all CPUs online and with only CPU 0 online
# (streams are made for online CPUs; everything else is the same).
. ./lib.sh
ncpu=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
[ $ncpu -ge 2 ] || skip "needs at least 2 CPUs"
ndev=32
free_kib() {
	sync; echo 3 > /proc/sys/vm/drop_caches; sleep 0.5
	awk '/^MemFree:/ { print $2 }' /proc/meminfo
}
cpus() { for c in /sys/devices/system/cpu/cpu[1-9]*; do echo $1 > $c/online; done; }
measure() { # -> KiB taken by initialising ndev devices
	local before after i
	before=$(free_kib)
	for i in $(seq 0 $((ndev - 1))); do echo 4M > /sys/block/zram$i/disksize || fail "disksize zram$i"; done
	after=$(free_kib)
	for i in $(seq 0 $((ndev - 1))); do echo 1 > /sys/block/zram$i/reset; done
	echo $((before - after))
}
zram_load num_devices=$ndev
measure > /dev/null    # warm up caches of zsmalloc/crypto
all=0 one=0
for r in 1 2 3 4 5; do
	all=$((all + $(measure)))
	cpus 0; one=$((one + $(measure))); cpus 1
done
per=$(( (all - one) / 5 / (ndev * (ncpu - 1)) ))
log "initialising $ndev devices took $((all / 5)) KiB with $ncpu CPUs online, $((one / 5)) KiB with 1 (means of 5)"
log "measured: $per KiB per kept stream (lzo-rle); with all but one CPU offline the C driver would free $((per * (ncpu - 1))) KiB per device that we keep"
emit stream_kib $per
# Buffers alone are 16 KiB (2-page output, local copy, scratch page).
[ $per -ge 12 ] && [ $per -le 256 ] || fail "implausible per-stream cost: $per KiB"
zram_unload
