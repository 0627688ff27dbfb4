#!/bin/bash
# record-infer.sh: regenerate the captures of the golden cases that infer
# the local side (no --local), from real programs in network namespaces
# (tests/lab/lab.sh).  Needs root, nmap, dnsmasq, udhcpc and tcpdump.
#
#   syn-scan-small.pcap: nmap -sS -p 1-100 from 203.0.113.30 against
#       192.0.2.10 (python listeners on 22, 80, 443), captured on
#       192.0.2.10.  Both ends talk with one other address: only the
#       SYNs say which is the scanner.
#   dhcp-clients.pcap: dnsmasq on 192.0.2.1 with 4 addresses to lend, 8
#       udhcpc clients (each on its own macvlan, so its own MAC address)
#       asking for broadcast replies; captured on 192.0.2.1.  Every packet
#       is from 0.0.0.0 or to 255.255.255.255.  udhcpc runs with
#       -s /bin/true: it configures nothing, not even resolv.conf.
#   ping-sweep.pcap: nmap -sn over 192.0.2.0/27 from 203.0.113.34 (echo,
#       timestamp, SYN 443, ACK 80 to each address); 4 addresses live
#       (.5, .9, .17, .20, one namespace); captured on the router's
#       outside bridge (br-atk), as at a network's border: no ARP of the
#       inside, nothing but the scanner and the answers.
#
# Every address is in a documentation range; no packet leaves the lab.
set -u

here=$(cd "$(dirname "$0")" && pwd)
lab=$here/../lab
# shellcheck source=../lab/lab.sh
. "$lab/lab.sh"

what=${1:-all}
out=${LAB_OUT:-/tmp/ntpsleuth-record-infer}
mkdir -p "$out"
export LAB_OUT=$out

record_scan()
{
	lab_init sp-scan
	lab_require nmap python3
	lab_core
	lab_host local site "$LAB_SITE_NET.10"
	lab_host scanner atk "$LAB_ATK_NET.30"
	lab_bg local 40 "$out/listen.log" python3 "$lab/ntplab.py" tcp-listen --secs 40 22 80 443
	lab_wait_for "$out/listen.log" 'listening' 10 || lab_die "listener did not start"
	lab_capture_start local eth0 "$out/syn-scan-small.pcap" 2000 60
	lab_run scanner 60 nmap -n -Pn -sS -p 1-100 --max-rate 200 --max-retries 0 \
	    --host-timeout 30s "$LAB_SITE_NET.10" >"$out/nmap.log" 2>&1 ||
	    lab_die "nmap failed: $(tail -n 3 "$out/nmap.log")"
	lab_capture_stop
	cp "$out/syn-scan-small.pcap" "$here/syn-scan-small.pcap"
}

record_dhcp()
{
	local ns i
	lab_init sp-dhcp
	lab_require dnsmasq udhcpc
	lab_core
	lab_host local site "$LAB_SITE_NET.1"
	lab_ns clients
	lab_attach clients eth0 site
	ns=$(lab_nsname clients)
	for i in $(seq 8); do
		ip -n "$ns" link add link eth0 name "d$i" type macvlan mode bridge ||
		    lab_die "macvlan d$i failed"
		ip -n "$ns" link set "d$i" up
	done
	lab_capture_start local eth0 "$out/dhcp-clients.pcap" 2000 60
	lab_bg local 40 "$out/dnsmasq.log" dnsmasq --no-daemon --conf-file=/dev/null \
	    --port=0 --no-resolv --no-hosts --no-ping --interface=eth0 --bind-interfaces \
	    --dhcp-range="$LAB_SITE_NET.100,$LAB_SITE_NET.103,255.255.255.0,2m" \
	    --dhcp-leasefile="$LAB_TMP/leases" --pid-file="$LAB_TMP/dnsmasq.pid" \
	    --user=root --log-dhcp
	lab_wait_for "$out/dnsmasq.log" 'DHCP, IP range' 10 ||
	    lab_die "dnsmasq did not start: $(cat "$out/dnsmasq.log")"
	# -B: broadcast replies; -t 4 -T 1: four discovers a second apart;
	# -n: give up without a lease; -q: quit with one.
	for i in $(seq 8); do
		lab_run clients 20 udhcpc -f -q -n -B -t 4 -T 1 -A 1 -i "d$i" -s /bin/true \
		    >"$out/udhcpc-$i.log" 2>&1 &
	done
	wait
	lab_capture_stop
	cp "$out/dhcp-clients.pcap" "$here/dhcp-clients.pcap"
}

record_sweep()
{
	lab_init sp-sweep
	lab_require nmap
	lab_core
	lab_host local site "$LAB_SITE_NET.5" "$LAB_SITE_NET.9" "$LAB_SITE_NET.17" "$LAB_SITE_NET.20"
	lab_host scanner atk "$LAB_ATK_NET.34"
	lab_capture_start core br-atk "$out/ping-sweep.pcap" 2000 60
	lab_run scanner 60 nmap -n -sn --max-retries 0 "$LAB_SITE_NET.0/27" >"$out/nmap.log" 2>&1 ||
	    lab_die "nmap failed: $(tail -n 3 "$out/nmap.log")"
	sleep 1
	lab_capture_stop
	cp "$out/ping-sweep.pcap" "$here/ping-sweep.pcap"
}

case $what in
scan) (record_scan) ;;
dhcp) (record_dhcp) ;;
sweep) (record_sweep) ;;
all) (record_scan) && (record_dhcp) && (record_sweep) ;;
*) echo "usage: record-infer.sh [scan|dhcp|sweep|all]" >&2; exit 2 ;;
esac || exit $?
for f in syn-scan-small dhcp-clients ping-sweep; do
	[ -f "$here/$f.pcap" ] || continue
	chmod 644 "$here/$f.pcap"
	echo "== $f.pcap: $(stat -c %s "$here/$f.pcap") bytes"
	capinfos -c -u "$here/$f.pcap" 2>/dev/null | sed 1d
	tshark -n -r "$here/$f.pcap" -T fields -e ip.src -e ip.dst 2>/dev/null | sort | uniq -c | sort -rn | head -n 6
done
echo "== versions:"
nmap --version | head -n 1
dnsmasq --version | head -n 1
udhcpc --help 2>&1 | head -n 1
tcpdump --version 2>&1 | head -n 1
uname -sr
