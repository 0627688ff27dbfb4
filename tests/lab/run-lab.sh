#!/bin/bash
# run-lab.sh [SCENARIO...]: run the lab scenarios (all by default), two at
# a time, and print one line per scenario.  Registered in TESTS: `make
# check` runs it from the build folder; captures, logs and reports go to
# tests/out/lab/ there.
#
# Exit: 0 all passed, 1 any failed, 77 (skip) not root / no namespaces /
# every scenario skipped.
# Environment: LAB_JOBS (parallel scenarios, default 2), LAB_TIMEOUT (s
# per scenario, default 150), plus what scenario.sh reads (NTPSLEUTH,
# LAB_RECORD_ONLY, LAB_KEEP).
set -u

here=$(cd "$(dirname "$0")" && pwd)
all="ntp-nat ntp-serving syn-scan connect-scan udp-scan horizontal
udp-flood syn-flood monlist-amplifier reflection nflog
dns-fragments late-upload late-tls web-burst nse-sweep ike-reflection
snmp-amplifier ping-flood query-flood syn-monitor tftp-serving
ntp-crowd stealth-scans collector proto-scans dns-load icmp-monitor
ntpq-monitor ssh-brute traceroute slow-http web-guess ftp-passive"
scenarios=${*:-$all}
jobs=${LAB_JOBS:-2}
limit=${LAB_TIMEOUT:-150}

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: lab scenarios need root (network namespaces, raw sockets)"
	exit 77
fi
if ! ip netns list >/dev/null 2>&1; then
	echo "SKIP: ip netns unavailable"
	exit 77
fi

# The build folder: where make check runs us, else the source tree.
if [ -e "$PWD/Makefile" ] || [ -d "$PWD/tests/lab" ]; then
	export LAB_TOP=$PWD
else
	LAB_TOP=$(cd "$here/../.." && pwd)
	export LAB_TOP
fi
out=$LAB_TOP/tests/out/lab
mkdir -p "$out"
export NTPSLEUTH=${NTPSLEUTH:-$LAB_TOP/ntpsleuth}

start=$(date +%s)
declare -A name_of t0
pass=0 fail=0 skip=0

report()
{
	local name=$1 rc=$2 log=$out/$1.log last secs
	secs=$(($(date +%s) - ${t0[$name]}))
	last=$(grep -E '^(PASS|FAIL|SKIP|ERROR)' "$log" | tail -n 1)
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name (${secs}s): ${last#PASS "$name": }" ;;
	77) skip=$((skip + 1)); echo "SKIP $name (${secs}s): ${last#SKIP*: }" ;;
	124) fail=$((fail + 1)); echo "FAIL $name (${secs}s): did not finish in ${limit}s" ;;
	*)
		fail=$((fail + 1))
		echo "FAIL $name (${secs}s, exit $rc): ${last:-see $log}"
		sed 's/^/    | /' "$log" | tail -n 40
		;;
	esac
	grep '^capture:' "$log" | sed 's/^/    /'
}

running=0
for name in $scenarios; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n -p done_pid
		rc=$?
		report "${name_of[$done_pid]}" "$rc"
		running=$((running - 1))
	fi
	t0[$name]=$(date +%s)
	timeout -k 5 "$limit" bash "$here/scenario.sh" "$name" \
	    >"$out/$name.log" 2>&1 </dev/null &
	name_of[$!]=$name
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n -p done_pid
	rc=$?
	report "${name_of[$done_pid]}" "$rc"
	running=$((running - 1))
done

echo "lab: $pass passed, $fail failed, $skip skipped in $(($(date +%s) - start))s (captures in $out)"
[ "$fail" -eq 0 ] || exit 1
[ "$pass" -gt 0 ] || exit 77
exit 0
