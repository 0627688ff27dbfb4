#!/bin/bash
# record-bundled.sh: regenerate assets/lab-nat.pcap (the router's outside
# interface) and assets/lab-nat-both.pcapng (both router interfaces) from a
# real run in network namespaces.  Needs root.  assets/README.md describes
# the result; update its numbers from what this prints.
#
#   inside 192.168.100.2 -- lan0 [router, nft masquerade] wan0 192.0.2.1
#       -- core -- 198.51.100.10 (chronyd server)
#               -- 203.0.113.20  (chronyd client of the router's chronyd)
#               -- 203.0.113.30  (nmap SYN scan of the router)
#
# Timeline (about 40 s): the inside chronyd polls 198.51.100.10 every 2 s
# from a new source port (kept by the masquerade); the remote chronyd
# polls the router's chronyd every 2 s; at 10 s ntpdig takes 4 samples
# (a burst) from the inside; at 20 s nmap SYN-scans 300 ports of 192.0.2.1.
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
. "$here/lab.sh"
lab_init bundled
lab_require chronyd nmap dumpcap capinfos tshark

assets=${ASSETS:-$(cd "$here/../../assets" && pwd)}
work=$LAB_OUT/bundled
mkdir -p "$work"
SERVER=$LAB_SRV_NET.10
ROUTER=$LAB_SITE_NET.1

lab_core
lab_host server srv "$SERVER"
lab_host remote atk "$LAB_ATK_NET.20"
lab_host scanner atk "$LAB_ATK_NET.30"
lab_nat router inside

if lab_ntpdig_setup; then
	have_ntpdig=1
else
	have_ntpdig=
	lab_log "no ntpdig burst: $LAB_NTPDIG_WHY"
fi

lab_chronyd server server 90
lab_chronyd router server 90

# Both interfaces with dumpcap (a pcapng names each interface), the
# outside one with tcpdump too.  Both stop by themselves.
lab_bg router 90 "$work/dumpcap.log" dumpcap -q -i wan0 -i lan0 -B 32 \
    -c 5000 -a duration:80 -w "$work/both.pcapng"
dumpcap_pid=$LAB_LAST_PID
lab_wait_for "$work/dumpcap.log" 'Capturing on' 10 ||
    lab_die "dumpcap did not start: $(cat "$work/dumpcap.log")"
lab_capture_start router wan0 "$work/outside.pcap" 5000 90

lab_chronyd inside client 60 "$SERVER" 1
lab_chronyd remote client 60 "$ROUTER" 1
sleep 10
if [ -n "$have_ntpdig" ]; then
	lab_run inside 30 setpriv --bounding-set -sys_time --inh-caps -sys_time \
	    "${LAB_NTPDIG[@]}" -p 4 "$SERVER" >"$work/ntpdig.log" 2>&1 ||
	    lab_log "ntpdig failed: $(tail -n 2 "$work/ntpdig.log")"
fi
sleep 8
lab_run scanner 60 nmap -n -Pn -sS -p 1-300 --max-rate 200 --max-retries 1 \
    "$ROUTER" >"$work/nmap.log" 2>&1 || lab_die "nmap failed: $(tail -n 3 "$work/nmap.log")"
sleep 20
lab_capture_stop
lab_stop "$dumpcap_pid" INT

cp "$work/outside.pcap" "$assets/lab-nat.pcap"
cp "$work/both.pcapng" "$assets/lab-nat-both.pcapng"
chmod 644 "$assets/lab-nat.pcap" "$assets/lab-nat-both.pcapng"

echo "== $(lab_summary "$assets/lab-nat.pcap")"
echo "== $(lab_summary "$assets/lab-nat-both.pcapng")"
for f in "$assets/lab-nat.pcap" "$assets/lab-nat-both.pcapng"; do
	capinfos -c -u -s -a -e -I "$f" 2>/dev/null | grep -E 'File name|Number of packets|Capture duration|File size|First packet|Last packet|Interface|Name|Encap'
done
echo "== NTP conversations on the outside:"
tshark -n -r "$assets/lab-nat.pcap" -Y 'udp.port == 123' -T fields \
    -e ip.src -e ip.dst | sort | uniq -c
echo "== per interface in the pcapng:"
tshark -n -r "$assets/lab-nat-both.pcapng" -T fields -e frame.interface_name |
    sort | uniq -c
echo "== versions:"
chronyd --version | head -n 1
nmap --version | head -n 1
tcpdump --version 2>&1 | head -n 2
dumpcap --version 2>&1 | head -n 1
nft --version
[ -n "$have_ntpdig" ] && "${LAB_NTPDIG[@]}" --version 2>&1 | head -n 1
uname -sr
cat "$work/ntpdig.log" 2>/dev/null
echo "recorded in $(lab_elapsed)s"
