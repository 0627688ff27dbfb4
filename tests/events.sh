#!/bin/sh
# The events (--events, doc/events.md): every line valid JSON of the
# schema, the sequence a capture should give (the scanner's port-scan, the
# NTP server solicited, incidents opened then closed), the same lines for
# the same file, the last verdicts as the --report=json ones; for packets
# (assets/lab-nat.pcap and tests/captures), a firewall log and a flow file;
# an incident that goes quiet and comes back; --events - on standard
# output; and live, the lines read before ntpsleuth stops: flows sent over
# loopback to --flow, a firewall log growing under --follow, and packets
# captured with -i on a veth pair in a network namespace.
set -u
srcdir=${srcdir:-$(dirname "$0")/..}
bin=${NTPSLEUTH:-./ntpsleuth}
PY=$(command -v python3) || { echo "SKIP: python3 is needed"; exit 77; }
chk="$srcdir/tests/events-check.py"
work=$(mktemp -d)
lpid=""
ns=""
cleanup() {
	[ -n "$lpid" ] && kill "$lpid" 2>/dev/null
	[ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
fail=0 pass=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -s "$work/msg" ] && sed 's/^/     /' "$work/msg"; fail=$((fail + 1)); }
# name, then a command whose output goes to $work/msg
try() {
	what=$1
	shift
	if "$@" >"$work/msg" 2>&1; then ok "$what: $(tail -1 "$work/msg")"; else bad "$what"; fi
}

# One input: the events (twice, for the same lines) and the report.
run() {	# name, ntpsleuth's input options...
	name=$1
	shift
	"$bin" "$@" --no-lookups --events "$work/$name.ev" --report=json >"$work/$name.json" \
	    2>"$work/$name.err" || { echo "$*: exit $?" >"$work/msg"; bad "$name: runs"; return 1; }
	"$bin" "$@" --no-lookups --events "$work/$name.ev2" >/dev/null 2>&1
	try "$name: lines" "$PY" "$chk" lines "$work/$name.ev"
	try "$name: last verdicts" "$PY" "$chk" final "$work/$name.ev" "$work/$name.json"
	"$PY" "$chk" strip "$work/$name.ev" >"$work/$name.s1"
	"$PY" "$chk" strip "$work/$name.ev2" >"$work/$name.s2"
	if [ -s "$work/$name.s1" ] && cmp -s "$work/$name.s1" "$work/$name.s2"; then
		ok "$name: the same lines twice"
	else
		diff "$work/$name.s1" "$work/$name.s2" >"$work/msg"
		bad "$name: the same lines twice"
	fi
}

lab="$srcdir/assets/lab-nat.pcap"
# 1. The lab's NAT capture: the local side inferred (all at the end), and given.
for mode in inferred given; do
	if [ "$mode" = given ]; then set -- -l 192.0.2.1/32; else set --; fi
	run "lab-$mode" -r "$lab" "$@" || continue
	try "lab-$mode: the scanner" "$PY" "$chk" has "$work/lab-$mode.ev" 203.0.113.30 port-scan
	try "lab-$mode: the NTP server" "$PY" "$chk" has "$work/lab-$mode.ev" 198.51.100.10 solicited
	try "lab-$mode: its client" "$PY" "$chk" has "$work/lab-$mode.ev" 203.0.113.20 serving
done
# Given the local side, the lines come as the capture is read, not at its end.
if grep -q '"final":false' "$work/lab-given.ev" 2>/dev/null; then
	ok "lab-given: lines before the end"
else
	bad "lab-given: lines before the end"
fi

# 2. Captures with an incident each, and one without.
for c in ike-reflection dns-fragments snmp-amplifier sv-sweep; do
	run "$c" -r "$srcdir/tests/captures/$c.pcap"
done
for c in ike-reflection dns-fragments snmp-amplifier; do
	"$PY" "$chk" incidents "$work/$c.ev" >"$work/msg" 2>&1
	if [ "$(cat "$work/msg")" = "open:1 close:1:end" ]; then
		ok "$c: the incident opens, then closes at the end"
	else
		bad "$c: the incident opens, then closes at the end"
	fi
done

# 3. An incident that goes quiet for 2 minutes, then comes back: closed
# after 60 s of silence, opened again under a new id, closed at the end.
"$PY" - "$srcdir/tests/captures/ike-reflection.pcap" "$work/twice.pcap" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
assert struct.unpack("<I", d[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d), "a little-endian classic pcap"
recs, off = [], 24
while off < len(d):
    s, frac, cl, wl = struct.unpack("<IIII", d[off:off + 16])
    recs.append((s, frac, d[off + 16:off + 16 + cl], wl))
    off += 16 + cl
out = bytearray(d[:24])
for shift in (0, 120):
    for s, frac, p, wl in recs:
        out += struct.pack("<IIII", s + shift, frac, len(p), wl) + p
open(sys.argv[2], "wb").write(out)
EOF
run twice -r "$work/twice.pcap" -l 192.0.2.10/32
"$PY" "$chk" incidents "$work/twice.ev" >"$work/msg" 2>&1
if [ "$(cat "$work/msg")" = "open:1 close:1:quiet open:2 close:2:end" ]; then
	ok "twice: open, quiet close, open again, close at the end"
else
	bad "twice: open, quiet close, open again, close at the end"
fi
"$PY" - "$work/twice.ev" >"$work/msg" 2>&1 <<'EOF'
import json, sys
from datetime import datetime
ev = [json.loads(l) for l in open(sys.argv[1])]
op = [e for e in ev if e["event"] == "incident_open" and e["id"] == 1][0]
cl = [e for e in ev if e["event"] == "incident_close" and e["id"] == 1][0]
t = lambda s: datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")
gap = (t(cl["time"]) - t(cl["last"])).total_seconds()
assert abs(gap - 60) < 0.002, "closed %.3f s after its last packet" % gap
assert not cl["final"] and cl["time"] < [e for e in ev if e["event"] == "incident_open" and e["id"] == 2][0]["time"]
print("closed 60 s after its last packet, before the second opening")
EOF
if [ $? -eq 0 ]; then ok "twice: $(cat "$work/msg")"; else bad "twice: the quiet close's time"; fi

# 3b. The call flag's band: with call-confidence 0.92 nmap's scan of ports
# 1-150 is a port scan at 0.94 (call); its second run over 30000-30399
# lowers it to 0.90 while the capture goes on; within 0.05 of the
# threshold the flag stays up (no line), and at the end it is the
# report's (false: a final "call" line).
run band -r "$srcdir/tests/captures/scan-two-ranges.pcap" -l 192.0.2.10/32 \
    --threshold call-confidence=0.92
"$PY" - "$work/band.ev" >"$work/msg" 2>&1 <<'EOF2'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if '"event":"verdict"' in l]
seq = [(e["reason"], e["call"], e["final"], e["confidence"]) for e in ev if e["host"] == "203.0.113.60"]
assert seq == [("first", True, False, 0.94), ("call", False, True, 0.90)], seq
print("raised at 0.94, held at 0.90, dropped at the end")
EOF2
if [ $? -eq 0 ]; then ok "band: $(cat "$work/msg")"; else bad "band: the call flag's band"; fi

# 3c. The victims of our amplifier are not the ones to call, on their lines
# as in the report (their confidence, 0.85, is above call-confidence 0.84).
run victims -r "$srcdir/tests/captures/snmp-amplifier.pcap" -l 192.0.2.10/32 \
    --threshold call-confidence=0.84
"$PY" - "$work/victims.ev" >"$work/msg" 2>&1 <<'EOF2'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if '"event":"verdict"' in l]
for h in ("198.51.100.40", "198.51.100.41"):
    seq = [(e["verdict"], e["confidence"], e["call"]) for e in ev if e["host"] == h]
    assert seq and all(v == "amplifier-abuse" and not c for v, _, c in seq), "%s: %s" % (h, seq)
    assert max(x for _, x, _ in seq) >= 0.84, "%s: %s" % (h, seq)
print("amplifier-abuse above call-confidence, no call")
EOF2
if [ $? -eq 0 ]; then ok "victims: $(cat "$work/msg")"; else bad "victims: no call for our amplifier's victims"; fi

# 4. A firewall log and a flow file: their vantage points on the lines.
run fwlog --fwlog "$srcdir/tests/fwlog/nft.syslog"
if grep -q '"firewall_rules":\[{"rule":"FWL-NFT' "$work/fwlog.ev"; then
	ok "fwlog: the rules that logged the host"
else
	bad "fwlog: the rules that logged the host"
fi
run flowfile --flow-file "$srcdir/tests/captures/flow-lab-nat.ipfix"
try "flowfile: the scanner" "$PY" "$chk" has "$work/flowfile.ev" 203.0.113.30 port-scan
if grep -q '"vantage_points":\[{"name":"exporter (file)"' "$work/flowfile.ev"; then
	ok "flowfile: the exporter as vantage point"
else
	bad "flowfile: the exporter as vantage point"
fi

# 5. Appended to, never truncated.
n1=$(wc -l <"$work/lab-given.ev")
"$bin" -r "$lab" -l 192.0.2.1/32 --no-lookups --events "$work/lab-given.ev" >/dev/null 2>&1
n2=$(wc -l <"$work/lab-given.ev")
if [ "$n1" -gt 0 ] && [ "$n2" -eq $((n1 * 2)) ]; then ok "appended: $n1 then $n2 lines"; else
	echo "$n1 then $n2 lines" >"$work/msg"; bad "appended"; fi

# 6. --events -: the lines alone on standard output; never with --report there.
"$bin" -r "$lab" --no-lookups --events - >"$work/stdout.ev" 2>"$work/msg"
try "--events -: only lines on standard output" "$PY" "$chk" lines "$work/stdout.ev"
if "$bin" -r "$lab" --no-lookups --events - --report >"$work/both" 2>"$work/msg"; then
	bad "--events - with --report refused"
elif [ ! -s "$work/both" ] && grep -q "both write to standard output" "$work/msg"; then
	ok "--events - with --report refused"
else
	bad "--events - with --report refused"
fi

# The live cases: ntpsleuth in the background ($lpid), its events in $ev.
# Until a line saying HOST's first verdict VERDICT is there, with
# ntpsleuth still running then.
# Whatever it was before: live at ten times the pace (and slower under
# ASan), a scanner's first verdict may be another before its ports add up.
wait_line() {	# host verdict
	for _ in $(seq 1 300); do
		if grep -q "\"host\":\"$1\",\"old_verdict\":\"[a-z-]*\",\"verdict\":\"$2\"" \
		    "$ev" 2>/dev/null; then
			kill -0 "$lpid" 2>/dev/null && ! grep -q '"final":true' "$ev"
			return
		fi
		sleep 0.1
	done
	return 1
}
# name, what is checked, host, verdict
expect_line() {
	if wait_line "$3" "$4"; then ok "$1: $2"; else cat "$work/$1.err" >"$work/msg"; bad "$1: $2"; fi
}
# Until ntpsleuth says it listens (its stderr in $work/NAME.err), 5 s at most.
wait_listening() {	# name
	for _ in $(seq 1 50); do
		grep -q "listening on" "$work/$1.err" 2>/dev/null && return
		sleep 0.1
	done
}
# Ctrl-C, then the lines and the last verdicts against its report.
stop_live() {	# name
	kill -INT "$lpid" 2>/dev/null
	wait "$lpid"
	rc=$?
	lpid=""
	if [ "$rc" -eq 0 ]; then
		try "$1: lines" "$PY" "$chk" lines "$ev"
		try "$1: last verdicts" "$PY" "$chk" final "$ev" "$work/$1.json"
	else
		echo "exit $rc" >"$work/msg"
		bad "$1: ntpsleuth stops on SIGINT"
	fi
}

# 7. Live: the recorded v9 export over loopback to --flow. The events file
# is in a folder only root may write to: opened before privileges drop.
port=$("$PY" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -m 700 "$work/private"
ev="$work/private/live.ev"
"$bin" --flow "udp:127.0.0.1:$port" -l 192.0.2.1/32 --no-lookups --events "$ev" \
    --report=json --duration 120 >"$work/flows.json" 2>"$work/flows.err" &
lpid=$!
wait_listening flows
timeout 60 "$PY" "$srcdir/tests/flow/export.py" send "$srcdir/tests/captures/flow-v9.pcap" 127.0.0.1 "$port"
expect_line flows "the scanner's line read while ntpsleuth runs" 203.0.113.30 port-scan
stop_live flows

# 7b. --events - to a reader that goes away: ntpsleuth, live, stops.
port=$("$PY" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
( timeout 60 "$bin" --flow "udp:127.0.0.1:$port" -l 192.0.2.1/32 --no-lookups --events - \
    2>"$work/gone.err"; echo $? >"$work/gone.rc" ) | head -n 1 >"$work/gone.head" &
gpid=$!
wait_listening gone
timeout 60 "$PY" "$srcdir/tests/flow/export.py" send "$srcdir/tests/captures/flow-v9.pcap" 127.0.0.1 "$port"
wait "$gpid"
if [ "$(cat "$work/gone.rc" 2>/dev/null)" = 0 ] && grep -q '^{"schema"' "$work/gone.head"; then
	ok "--events - | head -n 1: ntpsleuth stops once head has its line"
else
	echo "exit $(cat "$work/gone.rc" 2>/dev/null) (124: still running after 60 s)" >"$work/msg"
	bad "--events - | head -n 1: ntpsleuth stops once head has its line"
fi

# 8. Live: a firewall log that grows while --follow reads it. Its first
# 60 lines end in the scan's second: read as a file, the scanner's line
# comes only at the end; followed, the wall clock runs the capture clock
# on while the log is still, and the line comes. Then the rest is
# appended, and the IPv6 host's line comes.
log="$srcdir/tests/fwlog/nft.syslog"
head -n 60 "$log" >"$work/grow.log"
ev="$work/follow.ev"
"$bin" --fwlog "$work/grow.log" --follow --fwlog-tz UTC -l 192.0.2.1/32 -l 2001:db8:2::1/128 \
    --no-lookups --events "$ev" --report=json --duration 120 \
    >"$work/follow.json" 2>"$work/follow.err" &
lpid=$!
expect_line follow "the NTP server's line" 198.51.100.10 solicited
expect_line follow "the scanner's line while the log is still" 203.0.113.5 port-scan
tail -n +61 "$log" >>"$work/grow.log"
expect_line follow "the IPv6 host's line once the rest is appended" 2001:db8:113::5 unsolicited
stop_live follow

# 9. Live packets (-i): lab-nat.pcap's frames sent out of one end of a
# veth pair in a network namespace of ours, ten times its pace, captured
# on the other end. Needs root and ip(8); skipped otherwise.
if [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null 2>&1 &&
    ip netns add "ntpsleuth-ev-$$" 2>/dev/null; then
	ns="ntpsleuth-ev-$$"
	ip -n "$ns" link add va type veth peer name vb &&
	ip -n "$ns" link set va up && ip -n "$ns" link set vb up
	ev="$work/iface.ev"
	ip netns exec "$ns" "$bin" -i va -l 192.0.2.1/32 --no-lookups --events "$ev" \
	    --report=json --duration 120 >"$work/iface.json" 2>"$work/iface.err" &
	lpid=$!
	wait_listening iface
	ip netns exec "$ns" timeout 60 "$PY" "$srcdir/tests/replay-veth.py" "$lab" vb 10
	expect_line iface "the scanner's line while capturing" 203.0.113.30 port-scan
	expect_line iface "the NTP server's line while capturing" 198.51.100.10 solicited
	stop_live iface
	ip netns del "$ns"
	ns=""
else
	echo "skip live -i: needs root and ip netns"
fi

echo "events: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
