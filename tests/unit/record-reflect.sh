#!/bin/bash
# record-reflect.sh OUT.pcap: record the real answers (and requests) that
# tests/unit/test_reflect.c quotes: dnsmasq answering dig, snmpd answering
# snmpget, memcached answering a UDP "stats", libcoap's coap-server
# answering coap-client.  Two namespaces joined by one veth pair, every
# program under timeout; the namespaces go away at exit.  Needs root and
# dnsmasq, snmpd, snmp, memcached, libcoap3-bin and bind9-dnsutils.
# The IKE bytes come from tests/captures/ike-reflection.pcap (charon, the
# ike-reflection lab scenario).
set -eu

out=${1:?usage: record-reflect.sh OUT.pcap}
pre="rf-rec-$$"
srv="$pre-srv" cli="$pre-cli"
tmp=$(mktemp -d "/tmp/$pre.XXXXXX")
SRV=198.51.100.1 CLI=192.0.2.1

cleanup()
{
	local ns pid
	for ns in "$srv" "$cli"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -s KILL "$pid" 2>/dev/null || :
		done
		ip netns del "$ns" 2>/dev/null || :
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$srv"
ip netns add "$cli"
ip link add eth0 netns "$srv" type veth peer name eth0 netns "$cli"
ip -n "$srv" addr add "$SRV/24" dev eth0
ip -n "$cli" addr add "$CLI/24" dev eth0
for ns in "$srv" "$cli"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
done
ip -n "$srv" route add "$CLI/32" dev eth0
ip -n "$cli" route add "$SRV/32" dev eth0

run_srv() { timeout -k 2 30 ip netns exec "$srv" "$@" </dev/null >>"$tmp/servers.log" 2>&1 & }

run_srv dnsmasq -k -C /dev/null --no-resolv --no-hosts --bind-interfaces \
    --listen-address="$SRV" --port=53 --user=root --pid-file="$tmp/dnsmasq.pid" \
    --address=/reflect.test/192.0.2.53
printf 'rocommunity public %s/32\nsysDescr ntpsleuth test snmpd\n' "$CLI" >"$tmp/snmpd.conf"
SNMP_PERSISTENT_DIR=$tmp run_srv snmpd -f -Lo -C -c "$tmp/snmpd.conf" \
    -p "$tmp/snmpd.pid" "udp:$SRV:161"
run_srv memcached -U 11211 -p 0 -l "$SRV" -u nobody
run_srv coap-server-notls -A "$SRV"
sleep 1

timeout -k 2 20 ip netns exec "$cli" tcpdump -i eth0 -n -U -s 0 -c 40 -Z root \
    -w "$out" udp >"$tmp/tcpdump.log" 2>&1 &
sleep 1
cexec() { timeout -k 2 10 ip netns exec "$cli" "$@"; }
cexec dig +tries=1 +time=2 "@$SRV" reflect.test A
SNMP_PERSISTENT_DIR=$tmp cexec snmpget -v2c -c public -r 0 -t 2 -m "" "$SRV" 1.3.6.1.2.1.1.1.0
cexec python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b"\x00\x01\x00\x00\x00\x01\x00\x00stats\r\n", (sys.argv[1], 11211))
print(len(s.recv(2048)), "bytes of memcached stats")' "$SRV"
cexec coap-client-notls -m get "coap://$SRV/.well-known/core"
sleep 1
kill -INT %%
wait
