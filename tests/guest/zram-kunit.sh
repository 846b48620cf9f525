# SPDX-License-Identifier: GPL-2.0
# The module's KUnit tests of its C edge (src/ffi/tests.rs: the slot table
# and its bit locks, the per-CPU slots, the disk claim and the SRCU box)
# run when it loads into a kernel with CONFIG_KUNIT, and all pass.
. ./lib.sh

k=/sys/kernel/debug/kunit
r=$k/zram_rs_ffi/results
[ -d $k ] || fail "no $k: this kernel was built without KUnit (CONFIG_KUNIT)"
modprobe zram_rs || fail "modprobe zram_rs failed"
[ -r $r ] || fail "no KUnit results for the suite zram_rs_ffi"
# Read before rmmod, which removes them.
res=$(cat $r)
echo "$res"
rmmod zram_rs || fail "rmmod zram_rs failed"
echo "$res" | grep -q 'not ok' && fail "a KUnit test failed (above)"
for t in slot_table_lock_and_words slot_table_groups cpu_slots_set_once disk_claim_and_srcubox_replace \
	zstd_levels_are_the_library_s libraries_round_trip_with_parameters libraries_round_trip_a_unit; do
	echo "$res" | grep -Eq "^[[:space:]]*ok [0-9]+ $t\$" || fail "KUnit test $t did not pass"
done
echo "$res" | grep -Eq '^ok [0-9]+ zram_rs_ffi$' || fail "the suite zram_rs_ffi did not pass"
log "5 KUnit tests of the C edge passed"
