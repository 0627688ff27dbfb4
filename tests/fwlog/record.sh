#!/bin/bash
# record.sh [OUTDIR]: record real netfilter log lines in network
# namespaces and write the test logs of tests/fwlog/ (README.md there says
# what each file holds). Root only; takes about two minutes.
#
# Topology: one bridge ("fwlbrPID", in namespace core) joins
#   rtr  wan0 192.0.2.1    2001:db8:2::1   nftables, NAT for cli
#   ipt  eth0 192.0.2.20   2001:db8:2::20  iptables-nft with -j LOG
#   srv  eth0 198.51.100.10 2001:db8:51::10 an NTP server that answers 3 s late
#   atk  eth0 203.0.113.5  2001:db8:113::5 nmap and probes
# and cli (192.168.100.2) sits behind rtr (lan0 192.168.100.1).
# Veth pairs are created inside the namespaces: the host namespace gets no
# link. Every generator runs under timeout(1); the NTP daemon runs with -x
# and without CAP_SYS_TIME. The namespaces are removed and
# net.netfilter.nf_log_all_netns is restored on exit.
#
# The lines are read back as the admin would have them: real rsyslogd
# (imkmsg, traditional and RFC 3339 file formats) and real
# systemd-journald + journalctl, both started here in a private mount and
# UTS namespace (hostname fw1) so they touch nothing of the host's; real
# dmesg and dmesg -T; and the raw /dev/kmsg records, followed live.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3	# Debian's python3 (the one on PATH may be pyenv's)

# --- the log daemons, run by ourselves under unshare -m -u ----------------
if [ "${1:-}" = --daemons ]; then
	d=$2
	hostname fw1
	# journald wants /run/systemd/journal; a private tmpfs keeps it ours.
	mount -t tmpfs tmpfs /run || exit 1
	mkdir -p /run/systemd/journal /run/log/journal
	cat >"$d/rsyslog.conf" <<-EOF
	global(workDirectory="$d")
	module(load="imkmsg")
	kern.* action(type="omfile" file="$d/rsyslog-trad.log" template="RSYSLOG_TraditionalFileFormat")
	kern.* action(type="omfile" file="$d/rsyslog-rfc3339.log" template="RSYSLOG_FileFormat")
	EOF
	timeout 600 /lib/systemd/systemd-journald >"$d/journald.out" 2>&1 &
	jpid=$!
	timeout 600 rsyslogd -n -f "$d/rsyslog.conf" -i "$d/rsyslogd.pid" >"$d/rsyslogd.out" 2>&1 &
	rpid=$!
	touch "$d/daemons.ready"
	for _ in $(seq 3000); do
		[ -e "$d/stop" ] && break
		sleep 0.2
	done
	sleep 2	# let both write the last lines
	for fmt in short short-iso-precise short-precise; do
		journalctl -k -D /run/log/journal -o "$fmt" --no-pager >"$d/journal-$fmt.log" 2>>"$d/journalctl.err"
	done
	kill "$rpid" "$jpid" 2>/dev/null
	wait
	exit 0
fi

OUT=${1:-$HERE}
say() { printf 'record: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" = 0 ] || { say "needs root (network namespaces)"; exit 77; }
for c in ip nft iptables ip6tables nmap chronyd setpriv timeout unshare dmesg ping gzip "$PY"; do
	command -v "$c" >/dev/null 2>&1 || die "missing: $c"
done
HAVE_DAEMONS=1
for c in rsyslogd journalctl /lib/systemd/systemd-journald; do
	command -v "$c" >/dev/null 2>&1 || HAVE_DAEMONS=0
done
[ "$HAVE_DAEMONS" = 1 ] || say "no rsyslogd/journald: syslog and journal files are not re-recorded"

P=fwl$$
# The kernel's own lines about this bridge mark where this run starts in
# the kernel log (the daemons and dmesg also see earlier runs' lines).
BR=fwlbr$$
TMP=$(mktemp -d /tmp/fwlog-record.XXXXXX) || die "mktemp failed"
chmod 755 "$TMP"
NSS=()
PIDS=()
OLD_ALL_NETNS=$(sysctl -n net.netfilter.nf_log_all_netns 2>/dev/null || echo 0)

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	touch "$TMP/stop"
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	sleep 0.5
	for pid in "${PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ns in "${NSS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	sysctl -q -w net.netfilter.nf_log_all_netns="$OLD_ALL_NETNS" >/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ns() {
	ip netns add "$P-$1" || die "ip netns add $P-$1"
	NSS+=("$P-$1")
	ip -n "$P-$1" link set lo up
}
in_ns() {	# in_ns ROLE SECS CMD...
	local role=$1 secs=$2
	shift 2
	timeout -k 2 "$secs" ip netns exec "$P-$role" "$@"
}
bg_ns() {	# bg_ns ROLE SECS LOG CMD...
	local role=$1 secs=$2 log=$3
	shift 3
	timeout -k 2 "$secs" ip netns exec "$P-$role" "$@" >"$log" 2>&1 </dev/null &
	PIDS+=("$!")
}
attach() {	# attach ROLE IFNAME CORE_PORT ADDR4 ADDR6
	ip link add "$2" netns "$P-$1" type veth peer name "$3" netns "$P-core" || die "veth $1"
	ip -n "$P-core" link set "$3" master "$BR"
	ip -n "$P-core" link set "$3" up
	ip -n "$P-$1" addr add "$4/24" dev "$2"
	ip -n "$P-$1" addr add "$5/64" dev "$2" nodad
	ip -n "$P-$1" link set "$2" up
	# Every other test network is on the same wire.
	ip -n "$P-$1" route add default dev "$2"
	ip -n "$P-$1" -6 route add default dev "$2"
}

# --- the lab ---------------------------------------------------------------
for r in core rtr cli srv atk ipt; do ns "$r"; done
ip -n "$P-core" link add "$BR" type bridge mcast_snooping 0
ip -n "$P-core" link set "$BR" up
attach rtr wan0 p1 192.0.2.1 2001:db8:2::1
attach ipt eth0 p2 192.0.2.20 2001:db8:2::20
attach srv eth0 p3 198.51.100.10 2001:db8:51::10
attach atk eth0 p4 203.0.113.5 2001:db8:113::5
ip link add lan0 netns "$P-rtr" type veth peer name eth0 netns "$P-cli" || die "veth cli"
ip -n "$P-rtr" addr add 192.168.100.1/24 dev lan0
ip -n "$P-rtr" link set lan0 up
ip -n "$P-cli" addr add 192.168.100.2/24 dev eth0
ip -n "$P-cli" link set eth0 up
ip -n "$P-cli" route add default via 192.168.100.1
in_ns rtr 5 sysctl -q -w net.ipv4.ip_forward=1 >/dev/null

# rtr: the admin's nftables router. Late NTP replies (no conntrack state
# left) get their own rule with a prefix that has no trailing space, as
# nftables allows; IPv6 drops are logged with "flags all".
in_ns rtr 10 nft -f - <<'EOF' || die "nft rtr"
table inet fw {
	chain prefrag {
		type filter hook prerouting priority -450; policy accept;
		ip frag-off & 0x3fff != 0 log prefix "FWL-NFT-FRAG: "
		exthdr frag exists log prefix "FWL-NFT-FRAG: "
	}
	chain input {
		type filter hook input priority 0; policy drop;
		iif lo accept
		ct state established accept
		ct state related log prefix "FWL-NFT-REL: " accept
		icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept
		udp sport 123 ct state new,invalid log prefix "FWL-NFT-NTP:" drop
		meta nfproto ipv6 log prefix "FWL-NFT-IN6: " flags all drop
		log prefix "FWL-NFT-IN: " drop
	}
	chain forward {
		type filter hook forward priority 0; policy drop;
		ct state established accept
		ct state related log prefix "FWL-NFT-REL: " accept
		iifname "lan0" accept
		log prefix "FWL-NFT-FWD: " drop
	}
}
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan0" masquerade
	}
}
EOF
# The conntrack sysctls exist once the ruleset pulled conntrack in.
in_ns rtr 5 sysctl -q -w net.netfilter.nf_conntrack_udp_timeout=1 >/dev/null ||
	die "cannot set nf_conntrack_udp_timeout in the router namespace"

# ipt: a host firewalled with iptables' LOG target and every log option.
ipt_rules() {	# ipt_rules iptables|ip6tables
	local t=$1
	in_ns ipt 5 "$t" -A INPUT -i lo -j ACCEPT
	in_ns ipt 5 "$t" -A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT
	in_ns ipt 5 "$t" -A INPUT -m conntrack --ctstate RELATED -j LOG --log-prefix "FWL-IPT-REL: "
	in_ns ipt 5 "$t" -A INPUT -m conntrack --ctstate RELATED -j ACCEPT
	if [ "$t" = ip6tables ]; then
		for ty in neighbour-solicitation neighbour-advertisement router-advertisement; do
			in_ns ipt 5 ip6tables -A INPUT -p ipv6-icmp --icmpv6-type "$ty" -j ACCEPT
		done
	fi
	in_ns ipt 5 "$t" -A INPUT -j LOG --log-prefix "FWL-IPT-IN: " \
	    --log-tcp-options --log-ip-options --log-uid --log-tcp-sequence
	in_ns ipt 5 "$t" -A INPUT -j DROP
	in_ns ipt 5 "$t" -A OUTPUT -p udp --dport 124 -j LOG --log-prefix "FWL-IPT-OUT: " --log-uid
}
ipt_rules iptables || die "iptables"
ipt_rules ip6tables || die "ip6tables"

# --- readers -----------------------------------------------------------------
if [ "$HAVE_DAEMONS" = 1 ]; then
	timeout 600 unshare -m -u --propagation private "$0" --daemons "$TMP" </dev/null &
	PIDS+=("$!")
	for _ in $(seq 50); do
		[ -e "$TMP/daemons.ready" ] && break
		sleep 0.2
	done
	[ -e "$TMP/daemons.ready" ] || die "the log daemons did not start"
fi
timeout 600 "$PY" "$HERE/kmsg-follow.py" "$TMP/kmsg.log" 600 "$TMP/stop" FWL- &
PIDS+=("$!")
sleep 1
sysctl -q -w net.netfilter.nf_log_all_netns=1 >/dev/null || die "cannot set nf_log_all_netns"

# --- (1) NTP replies after the NAT state expired --------------------------------
say "1: chronyd behind NAT, replies 3 s late"
bg_ns srv 30 "$TMP/late-ntp.log" "$PY" "$HERE/late-ntp.py" 198.51.100.10 3 24
mkdir -p "$TMP/chrony"
chown _chrony: "$TMP/chrony" 2>/dev/null
cat >"$TMP/chrony/chrony.conf" <<EOF
pidfile $TMP/chrony/chronyd.pid
bindcmdaddress $TMP/chrony/chronyd.sock
cmdport 0
port 0
server 198.51.100.10 minpoll 0 maxpoll 0
EOF
sleep 0.5
in_ns cli 14 setpriv --bounding-set -sys_time --inh-caps -sys_time \
	chronyd -x -d -f "$TMP/chrony/chrony.conf" >"$TMP/chronyd.log" 2>&1
# ICMP port unreachables quoting the router's own UDP, IPv4 and IPv6.
for a in 198.51.100.10 2001:db8:51::10; do
	in_ns rtr 5 bash -c "echo probe >/dev/udp/$a/124" 2>/dev/null
	sleep 1.2
done
sleep 4	# the last late replies

# --- (2) (3) nmap against the nftables router ----------------------------------
say "2: nmap SYN scan of the nftables router"
in_ns atk 60 nmap -n -Pn -sS --top-ports 30 --max-retries 0 -T4 192.0.2.1 >"$TMP/nmap-syn.log" 2>&1
say "3: nmap UDP scan of the nftables router"
in_ns atk 60 nmap -n -Pn -sU --top-ports 20 --max-retries 0 -T4 192.0.2.1 >"$TMP/nmap-udp.log" 2>&1

# Fragments: a 3000-byte UDP datagram, IPv4 and IPv6.
fragment() {
	in_ns atk 5 "$PY" -c '
import socket, sys
a = sys.argv[1]
s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"\x23" + bytes(2999), (a, 123))' "$1"
}
say "fragments"
fragment 192.0.2.1
fragment 2001:db8:2::1

# --- (5) IPv6 against the nftables router ------------------------------------
say "5: IPv6 probes of the nftables router"
ntp_probe() {	# ntp_probe ADDR: one 48-byte NTP client request
	in_ns atk 5 "$PY" -c '
import socket, sys
a = sys.argv[1]
s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"\x23" + bytes(47), (a, 123))' "$1"
}
ntp_probe 2001:db8:2::1
in_ns atk 10 ping -6 -c 2 -i 0.3 -W 1 2001:db8:2::1 >/dev/null 2>&1
in_ns atk 60 nmap -6 -n -Pn -sS -p 22,80,123,443 --max-retries 0 -T4 2001:db8:2::1 >"$TMP/nmap-6.log" 2>&1

# --- (4) the iptables host ---------------------------------------------------------
say "4: the same against iptables' LOG target"
in_ns atk 60 nmap -n -Pn -sS --top-ports 20 --max-retries 0 -T4 192.0.2.20 >"$TMP/nmap-ipt-syn.log" 2>&1
in_ns atk 60 nmap -n -Pn -sU --top-ports 10 --max-retries 0 -T4 192.0.2.20 >"$TMP/nmap-ipt-udp.log" 2>&1
in_ns atk 60 nmap -6 -n -Pn -sS -p 22,80,443 --max-retries 0 -T4 2001:db8:2::20 >"$TMP/nmap-ipt-6.log" 2>&1
ntp_probe 192.0.2.20
ntp_probe 2001:db8:2::20
in_ns atk 10 ping -c 2 -i 0.3 -W 1 192.0.2.20 >/dev/null 2>&1
in_ns atk 10 ping -6 -c 2 -i 0.3 -W 1 2001:db8:2::20 >/dev/null 2>&1
for a in 198.51.100.10 2001:db8:51::10; do
	in_ns ipt 5 bash -c "echo probe >/dev/udp/$a/124" 2>/dev/null
	sleep 1.2
done

# --- collect -------------------------------------------------------------------
sleep 2
sysctl -q -w net.netfilter.nf_log_all_netns="$OLD_ALL_NETNS" >/dev/null
dmesg >"$TMP/dmesg.log"
dmesg -T >"$TMP/dmesg-T.log"
touch "$TMP/stop"
for pid in "${PIDS[@]}"; do
	wait "$pid" 2>/dev/null
done
PIDS=()

[ -s "$TMP/kmsg.log" ] || die "no FWL- line reached the kernel log (nf_log_all_netns?)"
cat "$TMP/late-ntp.log" >&2
mkdir -p "$OUT"

# pick FILE REGEX: the matching lines from this run's start on.
pick() {
	awk -v m="$BR: port 1(p1)" 'index($0, m) { f = 1 } f' "$1" | grep -a -E "$2"
}
# Kernel lines of our bridge: real non-firewall lines among the others.
NOISE="$BR: port"
if [ "$HAVE_DAEMONS" = 1 ]; then
	pick "$TMP/rsyslog-trad.log" "FWL-NFT-|$NOISE" >"$OUT/nft.syslog"
	pick "$TMP/rsyslog-rfc3339.log" "FWL-IPT-|$NOISE" >"$OUT/ipt.rfc3339"
	pick "$TMP/journal-short.log" "FWL-NFT-(NTP|REL)|$BR: port 1" >"$OUT/ntp-late.journal"
	pick "$TMP/journal-short-iso-precise.log" 'FWL-IPT-.*SRC=2001' >"$OUT/ipt6.journal-iso"
	gzip -n -9 -c "$OUT/ntp-late.journal" >"$OUT/ntp-late.journal.gz"
fi
pick "$TMP/dmesg.log" 'FWL-NFT-(IN6|FRAG)' >"$OUT/nft6-frag.dmesg"
pick "$TMP/dmesg-T.log" 'FWL-NFT-(NTP|REL)' >"$OUT/ntp-late.dmesg-T"
grep -a -E 'FWL-NFT-IN: .*PROTO=UDP' "$TMP/kmsg.log" >"$OUT/udp-scan.kmsg"

for f in "$OUT"/*.syslog "$OUT"/*.rfc3339 "$OUT"/*.journal "$OUT"/*.journal-iso \
    "$OUT"/*.dmesg "$OUT"/*.dmesg-T "$OUT"/*.kmsg; do
	[ -e "$f" ] && say "$(wc -l <"$f") lines, $(wc -c <"$f") bytes: $(basename "$f")"
done
exit 0
