# SPDX-License-Identifier: GPL-2.0
# make bench: what the guest is (kernel, CPUs, memory, clock, CPU flags).
# The deterministic boot asks for -cpu max,-erms,-fsrm and clearcpuid=
# rep_good (no single-instruction string copies): prove both took.
. ./lib.sh
. ./bench-lib.sh
flags=$(awk -F: '/^flags/ { print $2; exit }' /proc/cpuinfo)
has() { case " $flags " in *" $1 "*) echo 1 ;; *) echo 0 ;; esac; }
emit info krel=$(uname -r) ncpu=$NCPU memkb=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo) \
	erms=$(has erms) fsrm=$(has fsrm) rep_good=$(has rep_good) \
	clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) \
	realdata_bytes=$(stat -c %s $REALDATA 2>/dev/null || echo 0) \
	fio=$(fio --version)
log "cpu flags: erms=$(has erms) fsrm=$(has fsrm) rep_good=$(has rep_good); $NCPU CPUs"
