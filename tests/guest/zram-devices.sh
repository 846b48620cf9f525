# SPDX-License-Identifier: GPL-2.0
# Devices: num_devices, hot_add/hot_remove and their errno, queue limits.
. ./lib.sh

zram_load num_devices=3
for i in 0 1 2; do
	[ -b /dev/zram$i ] || fail "no /dev/zram$i with num_devices=3"
	expect_eq "zram$i size" "$(cat /sys/block/zram$i/size)" 0
done
[ -e /dev/zram3 ] && fail "zram3 exists with num_devices=3"
grep -q ' zram$' /proc/devices || fail "no zram major in /proc/devices"

# Modes as in the C driver: hot_add 0400 (reading allocates), hot_remove 0200.
expect_eq "hot_add mode" "$(stat -c %a /sys/class/zram-control/hot_add)" 400
expect_eq "hot_remove mode" "$(stat -c %a /sys/class/zram-control/hot_remove)" 200
for a in disksize:644 initstate:444 reset:200 compact:200 mem_limit:200 \
	mem_used_max:200 comp_algorithm:644 io_stat:444 mm_stat:444 debug_stat:444 \
	algorithm_params:200; do
	expect_eq "mode of ${a%%:*}" "$(stat -c %a /sys/block/zram0/${a%%:*})" "${a##*:}"
done

# Queue: 4 KiB blocks, non-rotational, discard and write-zeroes, no partitions.
q=/sys/block/zram0/queue
expect_eq logical_block_size "$(cat $q/logical_block_size)" 4096
expect_eq physical_block_size "$(cat $q/physical_block_size)" 4096
expect_eq rotational "$(cat $q/rotational)" 0
[ "$(cat $q/discard_max_bytes)" -gt 0 ] || fail "discard not supported"
[ "$(cat $q/write_zeroes_max_bytes)" -gt 0 ] || fail "write zeroes not supported"
expect_eq stable_writes "$(cat $q/stable_writes)" 1

# hot_add gives the lowest free id; hot_remove frees it.
id=$(cat /sys/class/zram-control/hot_add) || fail "hot_add read failed"
expect_eq "hot_add id" "$id" 3
[ -b /dev/zram3 ] || fail "no /dev/zram3 after hot_add"
[ -f /sys/block/zram3/disksize ] || fail "zram3 has no attributes"
expect_write /sys/class/zram-control/hot_remove 1 OK
[ -e /sys/block/zram1 ] && fail "zram1 still there after hot_remove"
expect_eq "reused id" "$(cat /sys/class/zram-control/hot_add)" 1

# Errors: missing id, negative, garbage, overflow, open device.
expect_write /sys/class/zram-control/hot_remove 99 ENODEV
expect_write /sys/class/zram-control/hot_remove -1 EINVAL
expect_write /sys/class/zram-control/hot_remove abc EINVAL
expect_write /sys/class/zram-control/hot_remove 4294967296 ERANGE
echo 16M > /sys/block/zram2/disksize || fail "disksize zram2"
exec 3< /dev/zram2
expect_write /sys/class/zram-control/hot_remove 2 EBUSY
exec 3<&-
expect_write /sys/class/zram-control/hot_remove 2 OK
# Removing an initialised device frees its memory (kmemleak checks).
for i in 0 1 3; do expect_write /sys/class/zram-control/hot_remove $i OK; done
[ -z "$(ls /sys/block | grep zram)" ] || fail "devices left: $(ls /sys/block)"
zram_unload
log "ok: num_devices, hot_add/hot_remove, errno, queue limits"
