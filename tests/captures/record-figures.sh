#!/bin/bash
# record-figures.sh [CASE...]: regenerate the captures behind the golden
# cases that check what the report's figures mean (issue 15, cause 5),
# from real programs in network namespaces (tests/lab/lab.sh).  Needs
# root, tcpdump, nmap, nft, hping3 and chronyd.  Cases:
#
#   synack-retrans   nmap -sS -p 1-40 against 192.0.2.10, where python
#       listens on 22; the scanner's nftables drops its own kernel's RSTs,
#       so the local kernel (tcp_synack_retries=3) sends its SYN-ACK for 22
#       four times: one open port, not four.
#   ntp-single-polls two local chronyd clients (192.0.2.10 and .11) poll
#       198.51.100.10's chronyd once each, 65 s apart: two single polls,
#       not "polling every 65 s".
#   short-burst      hping3 -S -c 20 -i u10000 (20 SYNs in 0.19 s) to a
#       listening port, started 0.1 s before a second turns: the average
#       rate must not be above the busiest second's.
#   scan-two-ranges  nmap -sS over ports 1-150, then 2 s later over
#       30000-30399, of 192.0.2.10 (every port closed): a port scan whose
#       confidence falls (0.94 with nine in ten ports privileged, 0.90 once
#       most are not), the subject of the events' call band (tests/events.sh).
#
# Every address is in a documentation range; no packet leaves the machine;
# chronyd runs with -x and without CAP_SYS_TIME; each program is bounded
# by timeout and each capture by a packet count.
set -u

here=$(cd "$(dirname "$0")" && pwd)
lab=$here/../lab
LOCAL=192.0.2.10
SERVER=198.51.100.10
REMOTE=203.0.113.60

record()
{
	local name=$1 out=$here/$1.pcap
	(
		# shellcheck source=../lab/lab.sh
		. "$lab/lab.sh"
		LAB_OUT=${LAB_OUT:-/tmp/ntpsleuth-record-figures}
		lab_init "fi-$name"
		lab_require nmap nft hping3 chronyd
		case $name in
		synack-retrans)
			lab_core
			lab_host local site "$LOCAL"
			lab_host scanner atk "$REMOTE"
			lab_sysctl local net.ipv4.tcp_synack_retries=3
			ip netns exec "$(lab_nsname scanner)" nft -f - <<-'EOF' ||
			table inet fi {
				chain output {
					type filter hook output priority filter; policy accept;
					tcp flags rst drop
				}
			}
			EOF
			    lab_die "nft failed"
			lab_bg local 30 "$LAB_TMP/listen.log" python3 "$lab/ntplab.py" \
			    tcp-listen --secs 30 22
			lab_wait_for "$LAB_TMP/listen.log" listening 10 || lab_die "no listener"
			lab_capture_start local eth0 "$out" 500 40
			lab_run scanner 30 nmap -n -Pn -sS -p 1-40 --max-retries 0 "$LOCAL" \
			    >"$LAB_TMP/nmap.log" 2>&1 || lab_die "nmap failed"
			# SYN-ACK retransmissions after 1, 2 and 4 s.
			sleep 9
			lab_capture_stop
			;;
		ntp-single-polls)
			lab_core
			lab_host local site "$LOCAL"
			lab_host local2 site 192.0.2.11
			lab_host server srv "$SERVER"
			lab_chronyd server server 120
			lab_capture_start core br-site "$out" 100 100
			# A client that polls every 2^10 s sends its first
			# request at once and no other for 17 minutes.
			lab_chronyd local client 6 "$SERVER" 10
			sleep 65
			lab_chronyd local2 client 6 "$SERVER" 10
			sleep 6
			lab_capture_stop
			;;
		short-burst)
			lab_core
			lab_host local site "$LOCAL"
			lab_host remote atk "$REMOTE"
			lab_bg local 30 "$LAB_TMP/listen.log" python3 "$lab/ntplab.py" \
			    tcp-listen --secs 30 80
			lab_wait_for "$LAB_TMP/listen.log" listening 10 || lab_die "no listener"
			lab_capture_start local eth0 "$out" 200 20
			# Start 0.1 s before a second turns.
			sleep "$(date +%N | awk '{ t = 1.9 - $1 / 1e9; if (t > 1) t -= 1; printf "%.3f", t }')"
			lab_run remote 10 hping3 -q -S -p 80 -c 20 -i u10000 "$LOCAL" \
			    >"$LAB_TMP/hping3.log" 2>&1
			[ $? -le 1 ] || lab_die "hping3 failed: $(cat "$LAB_TMP/hping3.log")"
			lab_capture_stop
			;;
		scan-two-ranges)
			lab_core
			lab_host local site "$LOCAL"
			lab_host scanner atk "$REMOTE"
			lab_capture_start local eth0 "$out" 2000 40
			lab_run scanner 30 nmap -n -Pn -sS -p 1-150 --max-rate 300 --max-retries 0 \
			    "$LOCAL" >"$LAB_TMP/nmap1.log" 2>&1 || lab_die "nmap failed"
			sleep 2
			lab_run scanner 30 nmap -n -Pn -sS -p 30000-30399 --max-rate 300 --max-retries 0 \
			    "$LOCAL" >"$LAB_TMP/nmap2.log" 2>&1 || lab_die "nmap failed"
			lab_capture_stop
			;;
		*)
			lab_die "unknown case $name"
			;;
		esac
		chmod 644 "$out"
		lab_summary "$out"
	)
}

[ $# -gt 0 ] || set -- synack-retrans ntp-single-polls short-burst scan-two-ranges
for c in "$@"; do
	record "$c" || exit $?
done
tcpdump --version 2>&1 | head -n 1
nmap --version | head -n 1
hping3 --version 2>&1 | head -n 1
chronyd --version | head -n 1
uname -sr
