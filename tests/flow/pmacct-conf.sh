#!/bin/sh
# pmacctd's configuration (Debian pmacct 1.7.7) for the flow tests, on
# standard output: read SAVEFILE, export with PLUGIN to 127.0.0.1:PORT,
# then the "key: value" lines given (a key given again, e.g.
# "sfprobe_receiver: [::1]:PORT", is pmacct's last word: the later wins).
#
#   tests/flow/pmacct-conf.sh sfprobe|nfprobe PORT SAVEFILE ["key: value" ...]
#
# sfprobe: sFlow v5 from agent 192.0.2.254; nfprobe: NetFlow v9 or IPFIX
# ("nfprobe_version: 9" or 10) with TCP flags, which are not in its
# default template.
set -eu
plugin=$1 p=$2 savefile=$3
shift 3
echo "daemonize: false"
echo "pcap_savefile: $savefile"
echo "plugins: $plugin"
if [ "$plugin" = sfprobe ]; then
	echo "sfprobe_receiver: 127.0.0.1:$p"
	echo "sfprobe_agentip: 192.0.2.254"
else
	echo "nfprobe_receiver: 127.0.0.1:$p"
	echo "aggregate: src_host, dst_host, src_port, dst_port, proto, tos, tcpflags"
fi
for kv in "$@"; do echo "$kv"; done
