# SPDX-License-Identifier: GPL-2.0
# make run: what a user does with zram, and what they want to see.
. ./lib.sh
say() { echo "demo| $*"; }
zram_load num_devices=2
say "zram_rs loaded: $(cat /sys/class/zram-control/../../module/zram_rs/parameters/num_devices 2>/dev/null || echo 2) devices, algorithms: $(cat /sys/block/zram0/comp_algorithm)"
echo lz4 > /sys/block/zram0/comp_algorithm
echo 256M > /sys/block/zram0/disksize
mkswap /dev/zram0 >/dev/null && swapon -p 100 /dev/zram0 || fail "swap on zram0"
say "swap on /dev/zram0 (lz4, 256 MiB)"
echo 128M > /sys/block/zram1/disksize
mkfs.ext4 -q /dev/zram1 && mkdir -p /mnt/z && mount /dev/zram1 /mnt/z || fail "ext4 on zram1"
cp -a /tests /usr/bin/fio /mnt/z/ && textdata 33554432 > /mnt/z/text && sync
say "ext4 on /dev/zram1 (lzo-rle, 128 MiB) holding $(du -sh /mnt/z | cut -f1)"

echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mkdir -p /sys/fs/cgroup/demo && echo 48M > /sys/fs/cgroup/demo/memory.max
say "workload: 192 MiB of mixed data in a 48 MiB memory cgroup, verified"
t0=$(date +%s)
# The workload holds its memory once verified, so that we see it in swap.
ZRS_MEMTEST_HOLD=/tmp/hold sh -c 'echo $$ > /sys/fs/cgroup/demo/cgroup.procs && exec zrs-memtest 192 1' > /tmp/m &
wl=$!
while [ ! -e /tmp/hold ] && kill -0 $wl 2>/dev/null; do sleep 0.2; done
[ -e /tmp/hold ] || fail "workload: $(cat /tmp/m)"
say "workload verified in $(( $(date +%s) - t0 )) s: $(cat /tmp/m), $(awk '/^pswpout/ {print $2}' /proc/vmstat) pages swapped out"
say ""
zramctl | sed 's/^/demo| /'
say ""
for i in 0 1; do
	set -- $(cat /sys/block/zram$i/mm_stat)
	orig=$1 compr=$2 used=$3 same=$6
	if [ "$used" -gt 0 ]; then
		ratio=$(awk -v o=$orig -v u=$used 'BEGIN { printf "%.2f", o / u }')
	else
		ratio="-"
	fi
	say "zram$i: stored $((orig >> 10)) KiB in $((used >> 10)) KiB of RAM (compressed data $((compr >> 10)) KiB, $same same-filled pages): ratio $ratio, saved $(((orig - used) >> 10)) KiB"
done
rm -f /tmp/hold
wait $wl || fail "workload: $(cat /tmp/m)"
swapoff /dev/zram0; umount /mnt/z
zram_unload
