#!/bin/sh
# Record softflowd's export of a capture as the tests keep it: a pcap of
# the UDP datagrams on loopback (tcpdump -w), under 50 KB for lab-nat.pcap.
#
#   tests/flow/record.sh VERSION PORT CAPTURE OUT.pcap [softflowd options]
#
# e.g. tests/flow/record.sh 10 39310 assets/lab-nat.pcap
#      tests/captures/flow-ipfix.pcap -a    (-a: the capture's clock;
# -s 4: sampling 1 in 4). Needs root (tcpdump on lo), softflowd, tcpdump.
set -eu
v=$1 p=$2 in=$3 out=$4
shift 4
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
timeout 30 tcpdump -i lo -U -w "$out" udp port "$p" 2>/dev/null &
tp=$!
sleep 0.5
. "$(dirname "$0")/softflowd.sh"
sf_export "$in" "127.0.0.1:$p" "$v" "$d" "$@"
sleep 0.5
kill "$tp"
wait "$tp" 2>/dev/null || true
grep -E "Flows exported" "$d/log"
