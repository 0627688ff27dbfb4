#!/bin/bash
# record-dns-fragments.sh: regenerate tests/captures/dns-fragments.pcap
# from a small run of the lab's dns-fragments scenario
# (tests/lab/scenario.sh) in network namespaces.  Needs root, named,
# dnssec-keygen, dnssec-signzone, dig, scapy, tcpdump and editcap.
#
#   192.0.2.10 (local: dig +dnssec +bufsize=4096, 5 queries)
#       -- core -- 198.51.100.53 and .60-.62: one BIND (named 9.18), a
#                  signed zone, edns-udp-size/max-udp-size 4096
#               -- 203.0.113.70: scapy, 60 queries to .60-.62 spoofed
#                  from 192.0.2.10, 100 a second, random source ports
#
# Each answer (3.4 KB of DNS) is three IPv4 fragments at MTU 1500.  The
# frames are cut to 160 bytes (editcap -s 160, as tcpdump -s 160 would):
# every header and the DNS header stay, the IP lengths say the rest.
# Every address is in a documentation range; no packet leaves the machine.
set -u

here=$(cd "$(dirname "$0")" && pwd)
out=${LAB_OUT:-/tmp/ntpsleuth-record-dns-fragments}
mkdir -p "$out"
DNS_DIGS=5 DNS_SPOOF=60 DNS_SPOOF_PORTS=0 LAB_OUT=$out LAB_RECORD_ONLY=1 \
    bash "$here/../lab/scenario.sh" dns-fragments || exit $?
editcap -F pcap -s 160 "$out/dns-fragments.pcap" "$here/dns-fragments.pcap" || exit 1
chmod 644 "$here/dns-fragments.pcap"

f=$here/dns-fragments.pcap
echo "== $(basename "$f"): $(stat -c %s "$f") bytes"
capinfos -c -u -a -e "$f" 2>/dev/null | sed 1d
echo "== versions:"
named -v
dig -v 2>&1 | head -n 1
tcpdump --version 2>&1 | head -n 1
uname -sr
