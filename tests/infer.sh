#!/bin/sh
# The local side inferred without --local, and how sure ntpsleuth says it
# is (local_confidence in the JSON report, the same words in the text):
# each case is a capture, the local networks wanted, the range the
# confidence must fall in, and a phrase the reason must hold.
set -u
srcdir=${srcdir:-$(dirname "$0")/..}
bin=${NTPSLEUTH:-./ntpsleuth}
shared="$srcdir/../shared/pcaps"
PY=$(command -v python3)

pass=0 fail=0 skip=0
check()
{
	name=$1 file=$2 want=$3 lo=$4 hi=$5 phrase=$6
	if [ ! -f "$file" ]; then
		echo "SKIP $name: $file not found"
		skip=$((skip + 1))
		return
	fi
	if "$bin" -r "$file" --report=json --no-lookups 2>/dev/null | "$PY" -c '
import json, sys
r = json.load(sys.stdin)
want, lo, hi, phrase = sys.argv[1].split(), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
c, why = r["local_confidence"], r["local_reason"]
bad = []
if r["local_networks"] != want:
    bad.append("local_networks %s, wanted %s" % (r["local_networks"], want))
if not lo <= c <= hi:
    bad.append("local_confidence %s, wanted %s to %s" % (c, lo, hi))
if phrase not in why:
    bad.append("local_reason lacks %r" % phrase)
if ("confidence %.1f" % c) not in why:
    bad.append("local_reason does not say the confidence")
for b in bad:
    print("     " + b)
print("     reason: " + why)
sys.exit(1 if bad else 0)' "$want" "$lo" "$hi" "$phrase" >"${TMPDIR:-/tmp}/infer.$$" 2>&1; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name:"
		cat "${TMPDIR:-/tmp}/infer.$$"
		fail=$((fail + 1))
	fi
	rm -f "${TMPDIR:-/tmp}/infer.$$"
}

# nmap -sS from 203.0.113.30: both ends have one peer; the scanner is not us.
check syn-scan "$srcdir/tests/captures/syn-scan-small.pcap" "192.0.2.10/32" 0.8 0.9 \
    "not 203.0.113.30, which sent SYNs to 100 address:port pairs"
# nmap -sn over 192.0.2.0/27 from outside, captured at the border (4 live):
# the range it swept is ours, not the sweeper (the second held-out check).
check ping-sweep "$srcdir/tests/captures/ping-sweep.pcap" "192.0.2.0/27" 0.8 0.8 \
    "the range 203.0.113.34 swept (32 addresses, 4 of them answered"
# dnsmasq and 8 udhcpc clients: only 0.0.0.0 and broadcasts.
check dhcp-clients "$srcdir/tests/captures/dhcp-clients.pcap" \
    "192.0.2.1/32 255.255.255.255/32" 0.3 0.5 "packets from 0.0.0.0"
# Zeek's DHCPINFORM flood: 250 pairs, one peer each: a guess, and said so.
check zeek-dhcp-inform-flood "$shared/zeek/dhcp_flood.pcap" "128.2.5.243/32" 0.3 0.3 \
    "a guess: set it with --local"
# A client's own capture (one peer each way): the first sender, likely.
check tcp-handshake "$shared/tcpdump/tcp-handshake-nano.pcap" "131.155.215.69/32" 0.3 0.6 \
    "talks with 1 other address in"

echo "infer: $pass passed, $fail failed, $skip skipped"
[ $fail -gt 0 ] && exit 1
[ $pass -eq 0 ] && exit 77
exit 0
