#!/bin/sh
# lab-flows.sh NAME CAPTURE LOCAL PACKETS.json OUT: the lab's capture as
# flow records (doc/flow.md). softflowd reads CAPTURE and exports it as
# NetFlow v9, then as IPFIX, over loopback to `ntpsleuth --flow`; each
# flows' report (OUT.flow9.json, OUT.flow10.json) must give every host
# the verdict the packets' report PACKETS.json gives it, except where
# tests/flow/LAB-DIFF says flow records cannot tell, and why.
# Called by tests/lab/scenario.sh after the packets' check. Exit 0 when
# they agree (or softflowd is missing: said), 1 when they do not.
set -u
name=$1 pcap=$2 local=$3 pj=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)
bin=${NTPSLEUTH:-./ntpsleuth}
if ! command -v softflowd >/dev/null 2>&1 || ! command -v softflowctl >/dev/null 2>&1; then
	echo "flows: not compared: softflowd is not installed (Debian: apt-get install softflowd)"
	exit 0
fi
. "$here/softflowd.sh"
rc=0
for v in 9 10; do
	port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	fj=$out.flow$v.json
	"$bin" --flow "udp:127.0.0.1:$port" --local "$local" --report=json --no-lookups \
		--duration 60 -Z root >"$fj" 2>"$fj.err" &
	np=$!
	for _ in $(seq 1 50); do
		grep -q "listening on" "$fj.err" 2>/dev/null && break
		sleep 0.1
	done
	sf_export "$pcap" "127.0.0.1:$port" "$v" "$out.sf$v" -a
	# The feed holds records until the exporter pauses 0.3 s.
	sleep 1
	kill -INT "$np" 2>/dev/null
	wait "$np"
	exported=$(sed -n 's/.*Flows exported: *\([0-9]*\).*/\1/p' "$out.sf$v/log" | tail -n 1)
	echo "flows: softflowd -v $v exported ${exported:-?} flows"
	python3 "$here/verdicts.py" --allow "$here/LAB-DIFF" --scenario "$name" "$pj" "$fj" || rc=1
done
exit $rc
