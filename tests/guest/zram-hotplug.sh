# SPDX-License-Identifier: GPL-2.0
# Per-CPU streams under CPU hotplug: CPUs go offline and online while fio
# writes and verifies data on one device and another is initialised and
# reset in a loop. No lost or corrupted page, no lockdep report (the
# harness checks dmesg), streams of offline CPUs kept and reused. Device 1
# also gets a recompression algorithm each cycle and recompresses what it
# holds: a second compressor's streams under the same storm.
# ZRS_DRIVER=c (zram-hotplug@c) runs the same storm on the in-tree C zram.
. ./lib.sh
[ "$(nproc --all 2>/dev/null || ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)" -ge 2 ] || skip "needs at least 2 CPUs"
zram_load num_devices=2
# zram-hotplug@async: the asynchronous test algorithm on device 0.
alg0=lz4; [ "${ZRS_ASYNC:-0}" = 1 ] && alg0=$ASYNC_ALGO
echo $alg0 > /sys/block/zram0/comp_algorithm || fail "comp_algorithm $alg0"
echo 128M > /sys/block/zram0/disksize || fail "disksize zram0"

cp /tests/lib.sh /tmp/lib.sh
textdata 16384 > /tmp/lib4k
hp_storm_start
# Device 1: init/reset cycles, each adding and removing a cpuhp instance
# while CPUs come and go.
(
	n=0
	while [ ! -e /tmp/hp.stop ]; do
		echo algo=zstd > /sys/block/zram1/recomp_algorithm || { echo "recomp_algorithm failed" > /tmp/cycle.err; break; }
		echo 16M > /sys/block/zram1/disksize || { echo "init failed" > /tmp/cycle.err; break; }
		dd if=/tmp/lib4k of=/dev/zram1 bs=4k oflag=direct 2>/dev/null
		echo "" > /sys/block/zram1/recompress || { echo "recompress failed" > /tmp/cycle.err; break; }
		dd if=/dev/zram1 of=/tmp/back1 bs=4k count=4 iflag=direct 2>/dev/null
		cmp -s /tmp/back1 /tmp/lib4k || { echo "recompressed data differs" > /tmp/cycle.err; break; }
		echo 1 > /sys/block/zram1/reset || { echo "reset failed" > /tmp/cycle.err; break; }
		n=$((n + 1))
		echo $n > /tmp/cycle.count
	done
) &
cyc=$!
cp /tests/lib.sh /tmp/lib.sh
runs=0
while :; do
	runs=$((runs + 1))
	fio --name=hp --filename=/dev/zram0 --rw=randwrite --bs=4k --size=64M \
		--ioengine=psync --direct=1 --verify=crc32c --verify_fatal=1 \
		--buffer_compress_percentage=50 --refill_buffers --numjobs=1 \
		--output=/tmp/fio.out >/dev/null 2>&1
	frc=$?
	[ $frc = 0 ] && soak_left || break
done
flips=$(hp_storm_stop)
wait $cyc
cat /tmp/fio.out | grep -E "err=|verify|WRITE|READ" | head -5
[ $frc = 0 ] || fail "fio verify failed (rc $frc): $(grep -m1 -i 'verify\|err' /tmp/fio.out)"
[ -e /tmp/cycle.err ] && fail "device 1 cycle: $(cat /tmp/cycle.err)"
[ "$flips" -ge 4 ] || fail "only $flips CPU state changes during the run"
# The whole device still reads back what fio left (second verify pass).
fio --name=hp --filename=/dev/zram0 --rw=randwrite --bs=4k --size=64M \
	--ioengine=psync --direct=1 --verify=crc32c --verify_only=1 \
	--buffer_compress_percentage=50 --refill_buffers >/tmp/fio2.out 2>&1 ||
	fail "data changed after the storm"
[ "$(awk '{print $1,$2}' /sys/block/zram0/io_stat)" = "0 0" ] || fail "failed I/O: $(cat /sys/block/zram0/io_stat)"

zram_unload
emit "driver=$(driver_module) flips=$flips cycles=$(cat /tmp/cycle.count) fio_runs=$runs"
log "ok ($(driver_module)): $flips CPU online/offline changes, $(cat /tmp/cycle.count) init/reset cycles, $runs x 64 MiB written and verified, then verified again"
