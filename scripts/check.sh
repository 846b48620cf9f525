#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: set up whatever is missing, then run every check and end with
# one line "N passed, N failed[, N skipped]".
. "$(dirname "$0")/lib.sh"
set +e

pass=0 failn=0 skipn=0
failed=() skipped=()
ok() { pass=$((pass + 1)); echo "PASS $*"; }
ko() { failn=$((failn + 1)); failed+=("$*"); echo "FAIL $*"; }
sk() { skipn=$((skipn + 1)); skipped+=("$*"); echo "SKIP $*"; }
t0=$SECONDS

msg "setup (host packages, kernel source, release + debug kernels, Debian environment)"
if ! bash "$ZRS_TOP/scripts/setup.sh"; then
	ko "setup"
	echo "$pass passed, $failn failed"
	exit 1
fi
msg "setup done in $((SECONDS - t0)) s"

# Static checks.
if make -s -C "$ZRS_TOP" fmt-check >/tmp/zrs-fmt.$$ 2>&1; then ok "rustfmt"; else cat /tmp/zrs-fmt.$$; ko "rustfmt"; fi
kd_rel=$(bash "$ZRS_TOP/scripts/build-kernel.sh" release)
kd_dbg=$(bash "$ZRS_TOP/scripts/build-kernel.sh" debug)
if make -s -C "$ZRS_TOP" clippy KDIR="$kd_rel" >/tmp/zrs-clippy.$$ 2>&1; then
	ok "clippy build (-Dwarnings)"
else
	tail -40 /tmp/zrs-clippy.$$; ko "clippy build (-Dwarnings)"
fi
for kd in "$kd_rel" "$kd_dbg"; do
	if make -s -C "$ZRS_TOP" modules KDIR="$kd" >/tmp/zrs-build.$$ 2>&1; then
		ok "module build against $(basename "$kd")"
	else
		tail -40 /tmp/zrs-build.$$; ko "module build against $(basename "$kd")"
	fi
done
rm -f /tmp/zrs-*.$$

# Host unit tests: every cargo test counts.
out=$(cd "$ZRS_TOP/tests/host" && cargo test 2>&1)
echo "$out" | grep -E '^test |test result' | sed 's/^/  /'
hp=$(echo "$out" | awk '/^test result/ { s += $4 } END { print s + 0 }')
hf=$(echo "$out" | awk '/^test result/ { s += $6 } END { print s + 0 }')
if echo "$out" | grep -q '^test result'; then
	pass=$((pass + hp)); failn=$((failn + hf))
	((hf)) && failed+=("host unit tests ($hf)")
	echo "host unit tests: $hp passed, $hf failed"
else
	echo "$out" | tail -20; ko "host unit tests (did not build)"
fi

# Install path: make install/uninstall (as zram.ko), KDIR errors, DKMS.
while read -r verdict rest; do
	case $verdict in
	PASS) ok "$rest" ;;
	FAIL) ko "$rest" ;;
	esac
done < <(bash "$ZRS_TOP/tests/host/install.sh" "$kd_rel" 2>&1)
# The Debian path: build, symbols, DKMS and its mistakes on Debian's kernel.
while read -r verdict rest; do
	case $verdict in
	PASS) ok "$rest" ;;
	FAIL) ko "$rest" ;;
	esac
done < <(bash "$ZRS_TOP/tests/host/debian.sh" 2>&1)

# Guest tests. Each boot appends "PASS|FAIL|SKIP [flavour] name: why" lines.
summary=$(mktemp)
guest() { ZRS_SUMMARY=$summary bash "$ZRS_TOP/scripts/guest-run.sh" "$@"; }
# shellcheck disable=SC2046
read -ra main_tests <<< "$(cat "$ZRS_TOP/tests/guest/CHECK" | sed 's/#.*//' | xargs)"
# The kernel's zram selftests run here and on Debian's kernel, not on the
# debug kernel: there their dd-per-KiB fill takes 4 min per driver, and
# what they do (mkfs, dd, swap) the debug boot's own tests already do.
guest -k release -s 4 -m 1G -t 300 module-load zram-streamcost harness-splat kselftest-zram
guest -k debug -s 4 -m 2G -t 600 "${main_tests[@]}"
read -ra debian_tests <<< "$(sed 's/#.*//' "$ZRS_TOP/tests/guest/CHECK.debian" | xargs)"
guest -k debian -s 2 -m 2G -t 600 "${debian_tests[@]}"
# The host must kill a guest whose test hangs past every limit.
guest -k release -s 1 -m 512M -t 10 harness-hang

while read -r verdict flavour name rest; do
	name=${name%:}
	if [ "$verdict" = DATA ]; then
		echo "  counted $flavour $name: $rest"
		continue
	fi
	case "$name" in
	# The harness self-tests must fail, and say why.
	harness-splat | harness-hang)
		if [ "$name" = harness-splat ]; then
			want="kernel splat" what="fails a test on a kernel WARN"
		else
			want="hung or crashed" what="kills a hung guest and names the test"
		fi
		if [ "$verdict" = FAIL ] && [[ $rest == *"$want"* ]]; then
			echo "PASS $flavour harness $what"
		else
			echo "FAIL $flavour harness did not report $name as expected ($verdict $rest)"
		fi ;;
	*)
		case $verdict in PASS) echo "PASS $flavour $name" ;; SKIP) echo "SKIP $flavour $name: $rest" ;; *) echo "FAIL $flavour $name: $rest" ;; esac ;;
	esac
done < "$summary" > "$summary.out"
cat "$summary.out"
pass=$((pass + $(grep -c '^PASS' "$summary.out")))
failn=$((failn + $(grep -c '^FAIL' "$summary.out")))
skipn=$((skipn + $(grep -c '^SKIP' "$summary.out")))
grep '^FAIL' "$summary.out" | sed 's/^FAIL //' | while read -r l; do echo "failed: $l"; done
grep '^SKIP' "$summary.out" | sed 's/^SKIP //' | while read -r l; do echo "skipped: $l"; done
rm -f "$summary" "$summary.out"
for f in "${failed[@]}"; do echo "failed: $f"; done
msg "make check took $((SECONDS - t0)) s"
if ((skipn)); then
	echo "$pass passed, $failn failed, $skipn skipped"
else
	echo "$pass passed, $failn failed"
fi
((failn == 0))
