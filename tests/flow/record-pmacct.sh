#!/bin/sh
# Record pmacct's export of a capture as the tests keep it: a pcap of
# the UDP datagrams on loopback (tcpdump -w), like record.sh for softflowd.
#
#   tests/flow/record-pmacct.sh PLUGIN PORT CAPTURE OUT.pcap ["key: value" ...]
#
# PLUGIN sfprobe (sFlow v5) or nfprobe (NetFlow v9 / IPFIX: say
# "nfprobe_version: 9" or 10). pmacctd (Debian pmacct 1.7.7) reads the
# capture as its pcap_savefile. sFlow's samples carry no time of their
# own (the collector places them at their arrival), so for sfprobe the
# capture is written into a FIFO at the pace it was captured (39 s for
# lab-nat.pcap; pmacctd reads it in blocks, so its datagrams still leave
# in bursts, but all 688 packets are sent, which read at once they are not);
# nfprobe's records carry the packets' times, so it reads the file at
# once. e.g.
#   tests/flow/record-pmacct.sh sfprobe 39620 assets/lab-nat.pcap \
#       tests/captures/flow-sflow.pcap
#   tests/flow/record-pmacct.sh sfprobe 39621 assets/lab-nat.pcap \
#       tests/captures/flow-sflow-sampled.pcap "sampling_rate: 4"
#   tests/flow/record-pmacct.sh nfprobe 39622 assets/lab-nat.pcap \
#       tests/captures/flow-pmacct-v9.pcap "nfprobe_version: 9"
# Needs root (tcpdump on lo), pmacctd, tcpdump, python3.
set -eu
plugin=$1 p=$2 in=$3 out=$4
shift 4
here=$(dirname "$0")
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
savefile=$in
if [ "$plugin" = sfprobe ]; then
	mkfifo "$d/fifo"
	savefile=$d/fifo
fi
sh "$here/pmacct-conf.sh" "$plugin" "$p" "$savefile" "$@" >"$d/pmacctd.conf"
timeout 90 tcpdump -i lo -U -w "$out" udp port "$p" 2>/dev/null &
tp=$!
sleep 0.5
timeout 80 pmacctd -f "$d/pmacctd.conf" >"$d/log" 2>&1 &
pp=$!
if [ "$plugin" = sfprobe ]; then
	timeout 80 python3 "$here/export.py" pace "$in" "$d/fifo"
fi
wait "$pp" || true
sleep 0.5
kill "$tp"
wait "$tp" 2>/dev/null || true
echo "$(tcpdump -r "$out" 2>/dev/null | wc -l) datagrams in $out"
