#!/bin/bash
# record-floods.sh: regenerate the small flood and amplifier captures of
# the FastNetMon comparison (tests/flow/fastnetmon.sh, doc/fastnetmon.md)
# from real programs in network namespaces (tests/lab/lab.sh), as the
# lab's scenarios udp-flood, syn-flood and monlist-amplifier make them,
# with fewer packets.  Needs root, hping3, python3-scapy, tcpdump, editcap.
#
#   syn-flood-small.pcap: hping3 -S -p 80 -i u200 -c 1500 from
#       203.0.113.41 to 192.0.2.10 (a new source port each SYN; the
#       closed port answers each with a RST).
#   udp-flood-small.pcap: hping3 --udp -p 53 -d 64 -i u200 -c 2000 from
#       203.0.113.40 to 192.0.2.10.
#   monlist-amp-small.pcap: 192.0.2.10 runs a monlist-answering "vulnerable
#       ntpd" (tests/lab/ntplab.py serve-monlist, 600 entries: 100 answers
#       of 440 bytes of payload); 203.0.113.50 sends it 20 monlist requests
#       in the name of 198.51.100.66, which receives 2,000 answers.
#
# Each is captured on 192.0.2.10's side and cut to 96 bytes a frame
# (editcap -s 96): the IP headers keep every packet's length, which is
# what a flow exporter counts, and the files stay under 250 KB.
# Every address is in a documentation range; no packet leaves the lab.
set -u

here=$(cd "$(dirname "$0")" && pwd)
lab=$here/../lab
# shellcheck source=../lab/lab.sh
. "$lab/lab.sh"

what=${1:-all}
out=${LAB_OUT:-/tmp/ntpsleuth-record-floods}
mkdir -p "$out"
export LAB_OUT=$out
LOCAL=$LAB_SITE_NET.10

thin() {	# name
	editcap -s 96 "$out/$1.pcap" "$here/$1.pcap" || lab_die "editcap failed"
}

record_flood()	# name attacker-address count hping3-options...
{
	local name=$1 atk=$2 n=$3
	shift 3
	lab_init "fl-$name"
	lab_require hping3 editcap
	lab_core
	lab_host local site "$LOCAL"
	lab_host flooder atk "$atk"
	lab_capture_start local eth0 "$out/$name.pcap" $((2 * n + 100)) 60
	# -c bounds it (never --flood, which ignores -c); -i u200: ~5k/s
	lab_run flooder 30 hping3 -q -i u200 -c "$n" "$@" "$LOCAL" >"$out/$name.hping3.log" 2>&1
	[ $? -le 1 ] || lab_die "hping3 failed: $(tail -n 3 "$out/$name.hping3.log")"
	lab_capture_stop
	thin "$name"
}

record_monlist()
{
	local py victim=$LAB_SRV_NET.66
	lab_init fl-monlist
	lab_require editcap
	py=$(lab_scapy_python) || lab_skip "no python3 with scapy (python3-scapy)"
	lab_core
	lab_host local site "$LOCAL"
	lab_host victim srv "$victim"
	lab_host spoofer atk "$LAB_ATK_NET.50"
	lab_bg local 60 "$out/responder.log" "$py" "$lab/ntplab.py" \
	    serve-monlist --addr "$LOCAL" --entries 600 --secs 50
	lab_wait_for "$out/responder.log" 'serving monlist' 20 ||
	    lab_die "monlist responder did not start: $(cat "$out/responder.log")"
	lab_capture_start local eth0 "$out/monlist-amp-small.pcap" 2200 60
	lab_run spoofer 30 "$py" "$lab/ntplab.py" spoof-monlist \
	    --src "$victim" --dst "$LOCAL" --count 20 --rate 20 --secs 10 \
	    >"$out/spoofer.log" 2>&1 || lab_die "spoofer failed: $(tail -n 3 "$out/spoofer.log")"
	sleep 1
	lab_capture_stop
	thin monlist-amp-small
}

case $what in
syn) (record_flood syn-flood-small "$LAB_ATK_NET.41" 1500 -S -p 80) ;;
udp) (record_flood udp-flood-small "$LAB_ATK_NET.40" 2000 --udp -p 53 -d 64) ;;
monlist) (record_monlist) ;;
all) (record_flood syn-flood-small "$LAB_ATK_NET.41" 1500 -S -p 80) &&
	(record_flood udp-flood-small "$LAB_ATK_NET.40" 2000 --udp -p 53 -d 64) &&
	(record_monlist) ;;
*) echo "usage: record-floods.sh [syn|udp|monlist|all]" >&2; exit 2 ;;
esac || exit $?
for f in syn-flood-small udp-flood-small monlist-amp-small; do
	[ -f "$here/$f.pcap" ] || continue
	chmod 644 "$here/$f.pcap"
	echo "== $f.pcap: $(stat -c %s "$here/$f.pcap") bytes"
	capinfos -c -u "$here/$f.pcap" 2>/dev/null | sed 1d
	tshark -n -r "$here/$f.pcap" -T fields -e ip.src -e ip.dst 2>/dev/null | sort | uniq -c | sort -rn | head -n 4
done
echo "== versions:"
hping3 --version 2>&1 | head -n 1
tcpdump --version 2>&1 | head -n 1
uname -sr
