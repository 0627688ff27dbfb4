#!/bin/bash
# record-nflog.sh: regenerate tests/captures/nflog-drops.pcap from a real
# run of the lab's nflog scenario (tests/lab/scenario.sh nflog) in network
# namespaces.  Needs root, chronyd, nmap and tcpdump.
#
#   192.0.2.10 (local: chronyd client polling every second from a new
#       port; nftables input chain, below) -- core -- 198.51.100.10 chronyd
#                                                 -- 203.0.113.30 nmap -sS -p 1-40
#
#   table inet filter {
#       chain input {
#           type filter hook input priority filter; policy accept;
#           udp sport 123 log prefix "drop-ntp" group 5 log prefix "drop-ntp" group 6 drop
#           tcp flags & (fin | syn | rst | ack) == syn log prefix "drop-syn" group 5 ... group 6 drop
#       }
#   }
#
# tcpdump -i nflog:6 writes the file (the scenario keeps group 5 for a live
# ntpsleuth; recording only, nobody listens there).  Only the drops are
# logged: about 29 NTP replies from 198.51.100.10:123 to as many high
# ports of 192.0.2.10, and 80 SYNs (40 ports, one retry).  Every address
# is in a documentation range; no packet leaves the machine; chronyd runs
# with -x and without CAP_SYS_TIME.
set -u

here=$(cd "$(dirname "$0")" && pwd)
out=${LAB_OUT:-/tmp/ntpsleuth-record-nflog}
mkdir -p "$out"
LAB_OUT=$out LAB_RECORD_ONLY=1 bash "$here/../lab/scenario.sh" nflog || exit $?
cp "$out/nflog.pcap" "$here/nflog-drops.pcap"
chmod 644 "$here/nflog-drops.pcap"

f=$here/nflog-drops.pcap
echo "== $(basename "$f"): $(stat -c %s "$f") bytes"
capinfos -c -u -a -e -E "$f" 2>/dev/null | sed 1d
echo "== per source and prefix (tshark):"
tshark -n -r "$f" -T fields -e ip.src -e nflog.prefix -e nflog.hook 2>/dev/null |
    sort | uniq -c
echo "== versions:"
chronyd --version | head -n 1
nmap --version | head -n 1
tcpdump --version 2>&1 | head -n 2
nft --version
uname -sr
