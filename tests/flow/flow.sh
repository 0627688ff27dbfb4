#!/bin/sh
# Flow records end to end (doc/flow.md): the verdicts from flows agree
# with the verdicts from the same packets (assets/lab-nat.pcap: NTP
# clients behind NAT, an NTP client of ours, a SYN scan).
#
# Always: the IPFIX file of softflowd's recorded export (--flow-file),
# the recorded v5, v9 and IPFIX exports sent again over loopback to
# --flow, the v9 export from two exporters at once (each flow counted
# once), and an nfcapd file with nfdump missing (a clear message).
# With softflowd (Debian softflowd): softflowd reads lab-nat.pcap and
# exports v5, v9 and IPFIX to ntpsleuth live; with nfcapd too (Debian
# nfdump): the same export to nfcapd, and --flow-file on its file.
# Those parts are skipped, with a message, when the programs are missing.
set -u
srcdir=${srcdir:-$(dirname "$0")/../..}
bin=${NTPSLEUTH:-./ntpsleuth}
PY=$(command -v python3) || { echo "SKIP: python3 is needed"; exit 77; }
work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
fail=0 pass=0 skip=0
pcap="$srcdir/assets/lab-nat.pcap"
cmp_="$srcdir/tests/flow/verdicts.py"
exp="$srcdir/tests/flow/export.py"

"$bin" -r "$pcap" --report=json --no-lookups >"$work/packets.json" || { echo "FAIL: the packets' report"; exit 1; }

check() {	# name, flows report, [expected records]
	name=$1 json=$2 n=${3:-}
	if "$PY" "$cmp_" ${n:+--flows "$n"} "$work/packets.json" "$json" >"$work/cmp" 2>&1; then
		echo "ok   $name"; pass=$((pass + 1))
	else
		echo "FAIL $name"; fail=$((fail + 1))
	fi
	cat "$work/cmp"
}

# A free UDP port on loopback, from the kernel.
port() {
	"$PY" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ntpsleuth listening on a port for SECONDS, its report into FILE.
listen() {	# port seconds file
	"$bin" --flow "udp:127.0.0.1:$1" --report=json --no-lookups --duration "$2" -Z root \
		>"$3" 2>"$3.err" &
	lpid=$!
	pids="$pids $lpid"
	for _ in $(seq 1 50); do
		grep -q "listening on" "$3.err" 2>/dev/null && return 0
		sleep 0.1
	done
	return 0
}

# 1. The recorded IPFIX export as an RFC 5655 file.
t0=$(date +%s.%N)
"$bin" --flow-file "$srcdir/tests/captures/flow-lab-nat.ipfix" --report=json --no-lookups >"$work/file.json"
check "IPFIX file (recorded softflowd export)" "$work/file.json" 688

# 2. The recorded exports sent again over loopback.
for v in v5 v9 ipfix; do
	p=$(port)
	listen "$p" 3 "$work/$v.json"
	"$PY" "$exp" send "$srcdir/tests/captures/flow-$v.pcap" 127.0.0.1 "$p"
	wait "$lpid"
	check "recorded $v export over UDP" "$work/$v.json" 688
done

# 3. Two exporters sending the same flows: each counted once.
p=$(port)
listen "$p" 3 "$work/two.json"
"$PY" "$exp" send "$srcdir/tests/captures/flow-v9.pcap" 127.0.0.1 "$p" &
"$PY" "$exp" send "$srcdir/tests/captures/flow-v9.pcap" 127.0.0.1 "$p"
wait "$lpid"
check "two exporters, the same flows" "$work/two.json" 1376
dups=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["sources"][0]["flows"]["duplicates"], len(r["sources"][0]["flows"]["exporters"]), r["totals"]["packets"])' "$work/two.json")
if [ "$dups" = "688 2 688" ]; then
	echo "ok   duplicates dropped: 688, 2 exporters, 688 packets"; pass=$((pass + 1))
else
	echo "FAIL duplicates: got '$dups', expected '688 2 688'"; fail=$((fail + 1))
fi

# 4. An nfcapd file with no nfdump on the PATH: skipped, said, exit 1.
printf '\014\245\002\000' >"$work/fake.nfcapd"
PATH=/nonexistent "$bin" --flow-file "$work/fake.nfcapd" --report --no-lookups >"$work/nonf.txt" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "nfdump is not installed" "$work/nonf.txt"; then
	echo "ok   nfcapd file without nfdump: exit 1, said"; pass=$((pass + 1))
else
	echo "FAIL nfcapd file without nfdump: exit $rc"; cat "$work/nonf.txt"; fail=$((fail + 1))
fi

# 5. softflowd reading the capture, exporting live; nfcapd beside it.
# shellcheck source=softflowd.sh
. "$srcdir/tests/flow/softflowd.sh"
record() {	# version port [softflowd options]: softflowd -r lab-nat.pcap to port
	v=$1 p=$2
	shift 2
	softflowd_export "$work/sf$v$p" "$v" "$pcap" "127.0.0.1:$p" "$@"
}

if ! command -v softflowd >/dev/null 2>&1 || ! command -v softflowctl >/dev/null 2>&1; then
	echo "SKIP softflowd: not installed (Debian: apt-get install softflowd)"
	skip=$((skip + 1))
else
	for v in 5 9 10; do
		p=$(port)
		listen "$p" 4 "$work/sf$v.json"
		# -a: the export's clock is the capture's, as a router's is its traffic's
		record "$v" "$p" -a
		wait "$lpid"
		check "softflowd -v $v live" "$work/sf$v.json" 688
	done
	if ! command -v nfcapd >/dev/null 2>&1 || ! command -v nfdump >/dev/null 2>&1; then
		echo "SKIP nfcapd: not installed (Debian: apt-get install nfdump)"
		skip=$((skip + 1))
	else
		p=$(port)
		mkdir -p "$work/nf"
		timeout 30 nfcapd -p "$p" -b 127.0.0.1 -w "$work/nf" -t 3600 >"$work/nfcapd.log" 2>&1 &
		npid=$!
		pids="$pids $npid"
		sleep 0.5
		record 9 "$p" -a
		sleep 0.5
		kill -INT "$npid"
		wait "$npid"
		f=$(ls "$work"/nf/nfcapd.* 2>/dev/null | grep -v current | head -n 1)
		if [ -z "$f" ]; then
			echo "FAIL nfcapd wrote no file"; cat "$work/nfcapd.log"; fail=$((fail + 1))
		else
			"$bin" --flow-file "$f" --report=json --no-lookups >"$work/nfcapd.json"
			# nfcapd dates the flows of softflowd's first v9 packet 1970: 686 of 688
			check "nfcapd file through nfdump" "$work/nfcapd.json"
		fi
	fi
fi
t1=$(date +%s.%N)
echo "flow: $pass passed, $fail failed, $skip skipped in $(echo "$t1 - $t0" | bc 2>/dev/null || echo '?') s"
[ $fail -gt 0 ] && exit 1
exit 0
