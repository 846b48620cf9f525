# SPDX-License-Identifier: GPL-2.0
# The kernel's own zram selftests (tools/testing/selftests/zram of the
# downloaded tree, unmodified), on the C zram and on ours, compared step by
# step: every step that passes on C must pass on ours.
. ./lib.sh
# The selftest mounts with busybox mount and no -t, which only tries the
# file systems already registered: on a kernel whose ext4 is a module
# (Debian's), load it first, as any system that uses ext4 has.
modprobe ext4 2>/dev/null

run_selftest() { # driver
	if [ $1 = rs ]; then
		# zram-control present: the selftests hot_add their devices.
		modprobe zram_rs num_devices=0 || fail "modprobe zram_rs"
	fi
	# On the debug kernel each driver's run takes about 230 s (the fill
	# step runs dd once per KiB; make check runs this test on the release
	# and Debian kernels): 280 s each keeps both inside 600 s per test.
	(cd /selftests/zram && timeout 280 bash ./zram.sh) > /tmp/kst.$1 2>&1
	echo $? > /tmp/kst.$1.rc
	echo "----- selftest output ($1) -----"
	cat /tmp/kst.$1
	# A run cut short leaves its file system mounted: unmount it, so that
	# the driver unloads and the other run can load.
	for m in /selftests/zram/zram*; do mountpoint -q "$m" 2>/dev/null && umount "$m"; done
	rmmod zram_rs 2>/dev/null; rmmod zram 2>/dev/null
}
# The verdict lines, without device numbers (ours start at zram0 too, but
# the C run loads its module with num_devices instead of hot_add).
steps() { grep -E ': OK$|PASS|FAIL|fail|error|Error' "$1" | sed 's/[0-9][0-9.]*/N/g'; }

run_selftest c
run_selftest rs
steps /tmp/kst.c > /tmp/steps.c
steps /tmp/kst.rs > /tmp/steps.rs
echo "C: $(grep -c PASS /tmp/steps.c) PASS, $(grep -vc PASS /tmp/steps.c) other; ours: $(grep -c PASS /tmp/steps.rs) PASS, $(grep -vc PASS /tmp/steps.rs) other"
expect_eq "selftest exit (C)" "$(cat /tmp/kst.c.rc)" 0
expect_eq "selftest exit (ours)" "$(cat /tmp/kst.rs.rc)" 0
[ "$(grep -c PASS /tmp/steps.c)" -gt 0 ] || fail "no PASS step on C: the comparison would be empty"
grep -E "PASS|: OK$" /tmp/steps.c | while read -r line; do
	grep -qxF "$line" /tmp/steps.rs || { echo "$line" >> /tmp/missing; }
done
[ -s /tmp/missing ] && fail "steps that pass on C but not on ours: $(cat /tmp/missing | tr '\n' '|')"
log "ok: $(grep -c PASS /tmp/steps.rs) selftest steps pass on ours, as on C"
