# SPDX-License-Identifier: GPL-2.0
# Harness self-test: this test passes by itself but raises a kernel WARN, so
# the harness must report it FAILED (make check expects exactly that).
. ./lib.sh
modprobe zrs_splat warn=1 || fail "cannot load zrs_splat"
rmmod zrs_splat
exit 0
