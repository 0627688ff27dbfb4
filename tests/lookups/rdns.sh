#!/bin/sh
# Reverse DNS against dns_server.py, inside a private network and mount
# namespace whose /etc/resolv.conf names it: the machine's own resolver
# and files are not touched. The lookup service itself (lk_check), then
# the names as the text report gives them.
if [ "${1:-}" = --inner ]; then
	tmp=$2
	ip link set lo up || exit 99
	mount --bind "$tmp/resolv.conf" /etc/resolv.conf || exit 99
	timeout 60 python3 "$srcdir/tests/lookups/dns_server.py" 50 >"$tmp/dns.out" 2>&1 &
	pid=$!
	i=0
	while [ ! -s "$tmp/dns.out" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	./tests/lookups/lk_check rdns "$tmp/cache"
	rc=$?
	# The text report says what became of each host's name: the name, none
	# and why, or no answer before the report (--lookup-timeout).
	python3 - "$tmp/r.pcap" <<'EOF'
import struct, sys

def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff

def frame(src, dst, sport, dport, mode):
    ntp = bytes([0x20 | mode]) + bytes(47)
    udp = struct.pack("!HHHH", sport, dport, 8 + len(ntp), 0) + ntp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes(map(int, src.split("."))), bytes(map(int, dst.split("."))))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + udp

with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, remote in enumerate(["192.0.2.1", "192.0.2.4", "192.0.2.5"]):
        for k, (s, d, sp, dp, m) in enumerate([("10.0.0.1", remote, 40000, 123, 3),
                                               (remote, "10.0.0.1", 123, 40000, 4)]):
            b = frame(s, d, sp, dp, m)
            f.write(struct.pack("<IIII", 1700000000 + i, k * 1000, len(b), len(b)) + b)
EOF
	ns=${NTPSLEUTH:-./ntpsleuth}
	name_of() {	# the Name line of host $2 in report $1
		awk -v h="$2" '$1 == h { on = 1; next } /^[^ ]/ { on = 0 }
		    on && /^    Name: / { sub(/^    Name: /, ""); print; exit }' "$1"
	}
	"$ns" -Z root -r "$tmp/r.pcap" --local 10.0.0.0/8 --report=text \
	    --lookup-timeout 3 >"$tmp/r3.txt" 2>"$tmp/r3.err"
	"$ns" -Z root -r "$tmp/r.pcap" --local 10.0.0.0/8 --report=text \
	    --lookup-timeout 0 >"$tmp/r0.txt" 2>"$tmp/r0.err"
	for want in "192.0.2.1|time.example.net|r3" \
	    "192.0.2.4|none (no reverse DNS name (no PTR record, or not a valid host name))|r3" \
	    "192.0.2.5|none (reverse DNS: the DNS server did not answer; will retry)|r3" \
	    "192.0.2.5|no answer within --lookup-timeout|r0"; do
		h=${want%%|*} rest=${want#*|}
		w=${rest%|*} r=${rest##*|}
		got=$(name_of "$tmp/$r.txt" "$h")
		if [ "$got" != "$w" ]; then
			echo "FAIL: report ($r) for $h: Name: '$got', expected '$w'"
			cat "$tmp/$r.txt" "$tmp/$r.err"
			rc=1
		fi
	done
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	exit $rc
fi
. "${srcdir:-.}/tests/lookups/lib.sh"
need_python
command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 ||
	skip "unshare or ip is not installed"
unshare -n -m --propagation private true 2>/dev/null ||
	skip "cannot make network and mount namespaces here (needs root)"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$TMP/resolv.conf"
export srcdir
timeout 90 unshare -n -m --propagation private sh "$0" --inner "$TMP"
