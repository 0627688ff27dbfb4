#!/bin/bash
# scenario.sh NAME: build the lab for one scenario, make the traffic with
# real programs, capture it to tests/out/lab/NAME.pcap and check
# ntpsleuth's verdicts on it against tests/lab/EXPECT.
#
# Exit: 0 pass, 1 verdicts wrong, 77 skipped, 99 the lab itself failed.
# Environment: NTPSLEUTH (binary, default $LAB_TOP/ntpsleuth),
# LAB_RECORD_ONLY=1 (record and summarise, do not check), LAB_KEEP=1
# (keep the per-run temp folder with the daemons' configs).
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
. "$here/lab.sh"

name=${1:?usage: scenario.sh NAME}
lab_init "$name"

LOCAL=$LAB_SITE_NET.10			# the admin's host
SERVER=$LAB_SRV_NET.10			# an NTP server on the internet
LOCAL_CIDR=$LAB_SITE_NET.0/24
CAP_ROLE=local
CAP_IF=eth0
CAP_MAX=60000				# bounds every capture (< 20 MB)
pcap=$LAB_OUT/$name.pcap
log=$LAB_OUT/$name

scapy_py()
{
	LAB_PY=$(lab_scapy_python) || lab_skip "no python3 with scapy (python3-scapy)"
}

# local_range FIRST LAST: the local host with LAB_SITE_NET.FIRST to .LAST.
local_range()
{
	local i addrs=()
	for i in $(seq "$1" "$2"); do addrs+=("$LAB_SITE_NET.$i"); done
	lab_host local site "${addrs[@]}"
}

# A local host and a remote one on the attackers' segment.
local_and()
{
	lab_core
	lab_host local site "$LOCAL"
	lab_host "$1" "$2" "$3"
}

# chronyd serving on the local host, and an NTP client request for hping3
# to send in $LAB_TMP/ntpreq (LI 0, version 4, mode 3, the rest zero).
ntp_flood_setup()
{
	lab_require hping3
	lab_chronyd local server 60
	printf '\043' >"$LAB_TMP/ntpreq"
	head -c 47 /dev/zero >>"$LAB_TMP/ntpreq"
}

nmap_run()
{
	lab_require nmap
	lab_run scanner 120 nmap -n -Pn "$@" >"$log.nmap.log" 2>&1 ||
	    lab_die "nmap failed: $(tail -n 3 "$log.nmap.log")"
}

tcp_listeners()
{
	lab_bg local 60 "$log.listen.log" python3 "$here/ntplab.py" \
	    tcp-listen --secs 60 22 80 443
	lab_wait_for "$log.listen.log" 'listening' 10 ||
	    lab_die "tcp listener did not start: $(cat "$log.listen.log")"
}

# BIND (named) in namespace "dns", authoritative for a DNSSEC-signed zone
# signed here (RSA keys made for this run) with a TXT rrset of 12 x 250
# bytes: the signed answer, about 3.4 KB, leaves as three IPv4 fragments
# at the veths' MTU of 1500 (edns-udp-size and max-udp-size 4096).
dns_server()
{
	local d=$LAB_TMP/bind i txt=
	mkdir -p "$d"
	for i in $(seq 1 12); do
		txt="$txt \"$(printf "%0250d" "$i")\""
	done
	cat >"$d/example.test" <<-EOF
	\$TTL 300
	@	SOA ns1 hostmaster 1 3600 600 86400 300
	@	NS ns1
	ns1	A $LAB_SRV_NET.53
	big	TXT $txt
	EOF
	(cd "$d" && timeout 60 dnssec-keygen -q -a RSASHA256 -b 2048 -f KSK example.test &&
	    timeout 60 dnssec-keygen -q -a RSASHA256 -b 2048 example.test &&
	    timeout 60 dnssec-signzone -q -S -K . -o example.test -f example.test.signed \
	    example.test) >"$log.sign.log" 2>&1 ||
	    lab_die "dnssec-signzone failed: $(tail -n 3 "$log.sign.log")"
	cat >"$d/named.conf" <<-EOF
	options {
		directory "$d";
		pid-file "$d/named.pid";
		listen-on { $LAB_SRV_NET.53; $LAB_SRV_NET.60; $LAB_SRV_NET.61; $LAB_SRV_NET.62; };
		listen-on-v6 { none; };
		recursion no;
		dnssec-validation no;
		edns-udp-size 4096;
		max-udp-size 4096;
	};
	zone "example.test" { type primary; file "$d/example.test.signed"; };
	EOF
	lab_bg dns 60 "$log.named.log" named -g -n 1 -c "$d/named.conf"
	lab_wait_for "$log.named.log" 'running' 20 ||
	    lab_die "named did not start: $(tail -n 5 "$log.named.log")"
}

# A folder with one small page for the web servers.
www_dir()
{
	WWW=$LAB_TMP/www
	mkdir -p "$WWW"
	printf '<html><body>lab</body></html>\n' >"$WWW/index.html"
}

# http_server ADDR PORT: python's http.server in the local namespace, with
# a listen backlog of 256 rather than 5, so that a burst of connections is
# accepted rather than dropped.
http_server()
{
	lab_bg local 60 "$log.http-$1-$2.log" python3 -u -c '
import functools, http.server as s, sys
s.ThreadingHTTPServer.request_queue_size = 256
h = functools.partial(s.SimpleHTTPRequestHandler, directory=sys.argv[3])
srv = s.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), h)
print("Serving HTTP on %s port %s" % (sys.argv[1], sys.argv[2]))
srv.serve_forever()' "$1" "$2" "$WWW"
	lab_wait_for "$log.http-$1-$2.log" 'Serving HTTP' 10 ||
	    lab_die "http.server on $1:$2 did not start: $(cat "$log.http-$1-$2.log")"
}

case $name in
ntp-nat)
	# chronyd behind NAT polls an outside chronyd every second from a new
	# source port; the masquerade keeps the port, so replies from 123 land
	# on a different high port of the router every time.
	LOCAL_CIDR=$LAB_SITE_NET.1/32
	lab_core
	lab_host server srv "$SERVER"
	lab_nat router client
	CAP_ROLE=router CAP_IF=wan0
	setup() { lab_chronyd server server 60; }
	traffic() {
		lab_chronyd client client 30 "$SERVER"
		sleep 20
		lab_stop "$LAB_CHRONY_PID"
	}
	;;
ntp-serving)
	# An outside chronyd client polls the chronyd server on the local host.
	local_and remote atk "$LAB_ATK_NET.20"
	setup() { lab_chronyd local server 60; }
	traffic() {
		lab_chronyd remote client 30 "$LOCAL"
		sleep 20
		lab_stop "$LAB_CHRONY_PID"
	}
	;;
syn-scan)
	local_and scanner atk "$LAB_ATK_NET.30"
	setup() { tcp_listeners; }
	traffic() {
		nmap_run -sS -p 1-1000 --max-rate 500 --max-retries 1 \
		    --host-timeout 60s "$LOCAL"
	}
	;;
connect-scan)
	local_and scanner atk "$LAB_ATK_NET.31"
	setup() { tcp_listeners; }
	traffic() {
		nmap_run -sT -p 1-1000 --max-rate 500 --max-retries 1 \
		    --host-timeout 60s "$LOCAL"
	}
	;;
stealth-scans)
	# Three scanners at once against one host: nmap -sX -f (each probe's
	# TCP header split over 8-byte IP fragments, RFC 1858's tiny
	# fragments), -sF, and -sS with two decoys (-D: the same scan sent in
	# the names of .37 and .38). Each is a port scan of its own, named by
	# its ports; none is a "flood of spoofed sources" (the fifth held-out
	# check: -sX -f was "flood 0.94", and the scans made a flood incident).
	lab_core
	lab_host local site "$LOCAL"
	lab_host xmas atk "$LAB_ATK_NET.34"
	lab_host fin atk "$LAB_ATK_NET.35"
	lab_host decoyer atk "$LAB_ATK_NET.36"
	setup() { lab_require nmap; tcp_listeners; }
	traffic() {
		local pids=() pid rc=0
		lab_bg xmas 90 "$log.nmap-xmas.log" nmap -n -Pn -sX -f -p 1-300 --max-rate 400 \
		    --max-retries 1 --host-timeout 60s "$LOCAL"
		pids+=("$LAB_LAST_PID")
		lab_bg fin 90 "$log.nmap-fin.log" nmap -n -Pn -sF -p 1-300 --max-rate 400 \
		    --max-retries 1 --host-timeout 60s "$LOCAL"
		pids+=("$LAB_LAST_PID")
		lab_bg decoyer 90 "$log.nmap-decoy.log" nmap -n -Pn -sS -p 1-200 --max-rate 400 \
		    --max-retries 1 --host-timeout 60s -D "$LAB_ATK_NET.37,$LAB_ATK_NET.38,ME" "$LOCAL"
		pids+=("$LAB_LAST_PID")
		for pid in "${pids[@]}"; do
			wait "$pid" || rc=$?
		done
		[ "$rc" -eq 0 ] || lab_die "nmap failed: $(tail -n 3 "$log".nmap-*.log)"
	}
	;;
proto-scans)
	# An IP protocol scan (nmap -sO) and an SCTP INIT scan (nmap -sY):
	# the sixth held-out check had them "serving 0.75" (no ports, one
	# protocol after another) and "flood 0.87" (SCTP's ports not read).
	lab_core
	lab_host local site "$LOCAL"
	lab_host protos atk "$LAB_ATK_NET.48"
	lab_host sctp atk "$LAB_ATK_NET.49"
	setup() { lab_require nmap; }
	traffic() {
		lab_run protos 60 nmap -n -Pn -sO -p 0-80 --max-rate 200 --max-retries 1 \
		    --host-timeout 50s "$LOCAL" >"$log.nmap-proto.log" 2>&1 ||
		    lab_die "nmap -sO failed: $(tail -n 3 "$log.nmap-proto.log")"
		lab_run sctp 60 nmap -n -Pn -sY -p 1-300 --max-rate 400 --max-retries 1 \
		    --host-timeout 50s "$LOCAL" >"$log.nmap-sctp.log" 2>&1 ||
		    lab_die "nmap -sY failed: $(tail -n 3 "$log.nmap-sctp.log")"
	}
	;;
collector)
	# A local log and trap collector (a python UDP sink on 514 and 162):
	# a device in a log storm sends it 1200 syslog messages with
	# util-linux logger, about 150 a second, each from a port of its
	# own; another sends SNMPv2c traps with snmptrap; a misconfigured one
	# logs to 192.0.2.11, where nothing listens (ICMP port unreachable);
	# two more log a few lines each; hping3 sends 2000 copies of one
	# datagram to 514. Reports are no flood, and the collector's many
	# devices no flood incident (the sixth held-out check: "flood 0.86"
	# and an incident); the copies are a flood.
	lab_core
	lab_host local site "$LOCAL" "$LAB_SITE_NET.11"
	lab_host storm srv "$LAB_SRV_NET.81"
	lab_host trapper srv "$LAB_SRV_NET.82"
	lab_host misconf srv "$LAB_SRV_NET.83"
	lab_host quiet srv "$LAB_SRV_NET.85"
	lab_host flooder atk "$LAB_ATK_NET.84"
	setup() {
		lab_require logger
		lab_require snmptrap
		lab_require hping3
		lab_bg local 60 "$log.sink.log" python3 -u -c '
import select, socket, sys, time
socks = []
for port in (514, 162):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[1], port))
    socks.append(s)
print("listening", flush=True)
end = time.time() + 55
n = 0
while time.time() < end:
    r, _, _ = select.select(socks, [], [], 1)
    for s in r:
        s.recv(65535)
        n += 1
print("received", n, flush=True)' "$LOCAL"
		lab_wait_for "$log.sink.log" 'listening' 10 ||
		    lab_die "collector did not start: $(cat "$log.sink.log")"
	}
	traffic() {
		local i
		for i in 1 2 3 4 5; do
			lab_run trapper 10 snmptrap -v2c -c public "$LOCAL" '' \
			    1.3.6.1.6.3.1.1.5.3 1.3.6.1.2.1.2.2.1.1.2 i 2 >>"$log.trap.log" 2>&1 ||
			    lab_die "snmptrap failed: $(tail -n 3 "$log.trap.log")"
			lab_run misconf 10 logger -d -n "$LAB_SITE_NET.11" -P 514 "misconfigured $i" \
			    >>"$log.misconf.log" 2>&1
			lab_run trapper 10 logger -d -n "$LOCAL" -P 514 "trap $i sent" >>"$log.trap.log" 2>&1
			lab_run quiet 10 logger -d -n "$LOCAL" -P 514 "all quiet $i" >>"$log.trap.log" 2>&1
			sleep 0.5
		done
		lab_run storm 30 bash -c 'for i in $(seq 1200); do echo "link flap $i on port $((i % 48))"; sleep 0.005; done |
		    logger -d -n "$1" -P 514 -t switch' _ "$LOCAL" >"$log.storm.log" 2>&1 ||
		    lab_die "logger failed: $(tail -n 3 "$log.storm.log")"
		lab_run flooder 30 hping3 -q --udp -p 514 -d 64 -i u2000 -c 2000 "$LOCAL" \
		    >"$log.hping3.log" 2>&1
		[ $? -le 1 ] || lab_die "hping3 failed: $(tail -n 3 "$log.hping3.log")"
		sleep 1
	}
	;;
udp-scan)
	# A real NTP server on the scanned host: the scanner's probe of 123
	# gets a real answer, which must not make the scanner "served".
	local_and scanner atk "$LAB_ATK_NET.32"
	setup() { lab_chronyd local server 60; }
	traffic() {
		nmap_run -sU --top-ports 100 --max-retries 0 --max-rate 100 \
		    --host-timeout 60s "$LOCAL"
	}
	;;
horizontal)
	# One NTP probe to each of 20 local addresses.
	lab_core
	local_range 10 29
	lab_host scanner atk "$LAB_ATK_NET.33"
	setup() { :; }
	traffic() {
		nmap_run -sU -p 123 --max-retries 0 --max-rate 50 \
		    --host-timeout 60s "$LAB_SITE_NET.10-29"
	}
	;;
udp-flood)
	local_and flooder atk "$LAB_ATK_NET.40"
	setup() { lab_require hping3; }
	traffic() {
		# -i u200: about 5k packets/s; -c bounds it (no --flood,
		# which ignores -c).
		lab_run flooder 30 hping3 -q --udp -p 53 -d 64 -i u200 -c 10000 \
		    "$LOCAL" >"$log.hping3.log" 2>&1
		[ $? -le 1 ] || lab_die "hping3 failed: $(tail -n 3 "$log.hping3.log")"
	}
	;;
syn-flood)
	local_and flooder atk "$LAB_ATK_NET.41"
	setup() { lab_require hping3; }
	traffic() {
		lab_run flooder 30 hping3 -q -S -p 80 -i u200 -c 10000 \
		    "$LOCAL" >"$log.hping3.log" 2>&1
		[ $? -le 1 ] || lab_die "hping3 failed: $(tail -n 3 "$log.hping3.log")"
	}
	;;
ping-flood)
	# hping3 --icmp: our kernel answers every echo request, all of one
	# ICMP "5-tuple": a flood, not one session we accepted (issue 15,
	# held-out check).
	local_and flooder atk "$LAB_ATK_NET.42"
	setup() { lab_require hping3; }
	traffic() {
		lab_run flooder 30 hping3 -q --icmp -i u300 -c 5000 \
		    "$LOCAL" >"$log.hping3.log" 2>&1
		[ $? -le 1 ] || lab_die "hping3 failed: $(tail -n 3 "$log.hping3.log")"
	}
	;;
query-flood)
	# NTP mode 3 requests from one fixed source port (hping3 -k), every
	# one answered by chronyd on the local host: a flood of requests, not
	# a session; a real chronyd client polls beside it (serving).
	lab_core
	lab_host local site "$LOCAL"
	lab_host flooder atk "$LAB_ATK_NET.43"
	lab_host remote atk "$LAB_ATK_NET.20"
	setup() { ntp_flood_setup; }
	traffic() {
		lab_chronyd remote client 30 "$LOCAL"
		sleep 4
		lab_run flooder 30 hping3 -q --udp -p 123 -s 40000 -k -d 48 -E "$LAB_TMP/ntpreq" \
		    -i u400 -c 4000 "$LOCAL" >"$log.hping3.log" 2>&1
		[ $? -le 1 ] || lab_die "hping3 failed: $(tail -n 3 "$log.hping3.log")"
		sleep 4
		lab_stop "$LAB_CHRONY_PID"
	}
	;;
ntp-crowd)
	# A busy NTP server: 40 real chronyd clients from 40 addresses poll
	# chronyd on 192.0.2.10 4 to 8 times a second (240 requests/s in all,
	# each from a new source port, every one answered): a crowd of
	# clients, as a public server's thousands polling every minute look
	# to it, not a flood. 25 more share one address, 203.0.113.150, as a
	# carrier's NAT's users do, polling 192.0.2.12 8 times a second each
	# (200/s): a flood by its rate, too unsure to call. Beside them
	# hping3 --rand-source sends 2000 copies of one NTP request to
	# 192.0.2.11, also answered: a spoofed flood (issue 15, after the
	# fourth held-out check).
	lab_core
	lab_host local site "$LOCAL" "$LAB_SITE_NET.11" "$LAB_SITE_NET.12"
	crowd=()
	for i in $(seq 100 139); do
		crowd+=("$LAB_ATK_NET.$i")
	done
	lab_host clients atk "${crowd[@]}"
	lab_host natted atk "$LAB_ATK_NET.150"
	lab_host flooder atk "$LAB_ATK_NET.45"
	setup() { ntp_flood_setup; }
	# chrony_client ROLE NAME ADDR SERVER POLL: a chronyd client in ROLE
	# polling SERVER from ADDR (a new source port each time); its pid
	# joins pids.
	chrony_client() {
		local dir="$LAB_TMP/crowd-$2"
		mkdir -p "$dir"
		chown _chrony: "$dir" 2>/dev/null
		chmod 750 "$dir"
		{
			echo "pidfile $dir/chronyd.pid"
			echo "bindcmdaddress $dir/chronyd.sock"
			echo "cmdport 0"
			echo "port 0"
			echo "bindacqaddress $3"
			echo "server $4 minpoll $5 maxpoll $5"
		} >"$dir/chrony.conf"
		lab_bg "$1" 30 "$dir/chronyd.log" \
		    setpriv --bounding-set -sys_time --inh-caps -sys_time \
		    chronyd -x -d -f "$dir/chrony.conf"
		pids+=("$LAB_LAST_PID")
	}
	traffic() {
		local a n=0 pids=()
		for a in "${crowd[@]}"; do
			chrony_client clients "$a" "$a" "$LOCAL" $((-2 - n % 2))
			n=$((n + 1))
		done
		for n in $(seq 25); do
			chrony_client natted "nat$n" "$LAB_ATK_NET.150" "$LAB_SITE_NET.12" -3
		done
		sleep 10
		lab_run flooder 30 hping3 -q --udp -p 123 --rand-source -d 48 -E "$LAB_TMP/ntpreq" \
		    -i u2000 -c 2000 "$LAB_SITE_NET.11" >"$log.hping3.log" 2>&1
		[ $? -le 1 ] || lab_die "hping3 failed: $(tail -n 3 "$log.hping3.log")"
		for a in "${pids[@]}"; do
			lab_stop "$a"
		done
	}
	;;
syn-monitor)
	# A monitor's SYN to a closed port every second, refused by our RST;
	# hping3 --rand-source SYNs to an open port, each SYN-ACKed and never
	# heard of again: neither is a client we serve (issue 15, held out).
	lab_core
	lab_host local site "$LOCAL"
	lab_host monitor atk "$LAB_ATK_NET.44"
	lab_host flooder atk "$LAB_ATK_NET.45"
	setup() {
		lab_require hping3
		tcp_listeners
	}
	traffic() {
		lab_run monitor 20 hping3 -q -S -p 8443 -c 8 -i 1 \
		    "$LOCAL" >"$log.monitor.log" 2>&1 &
		mpid=$!
		lab_run flooder 30 hping3 -q -S -p 80 --rand-source -i u1000 -c 3000 \
		    "$LOCAL" >"$log.hping3.log" 2>&1
		[ $? -le 1 ] || lab_die "hping3 failed: $(tail -n 3 "$log.hping3.log")"
		wait "$mpid"
	}
	;;
tftp-serving)
	# in.tftpd on the local host answers each read request to port 69
	# from a port of its own (RFC 1350's new TID); a remote tftp client
	# fetches a file every 2 s: a client of ours, not exchanges we began
	# (issue 15, the second held-out check). The other way too: the local
	# host fetches two files with curl tftp:// from in.tftpd on a remote
	# server, whose data come from a port of its own: it answers us, and
	# is no client of ours (the fifth held-out check).
	local_and remote atk "$LAB_ATK_NET.21"
	lab_host tftpsrv srv "$LAB_SRV_NET.69"
	setup() {
		local role
		lab_require in.tftpd
		lab_require tftp
		lab_require curl
		mkdir -p "$LAB_TMP/tftp"
		head -c 20000 /dev/urandom >"$LAB_TMP/tftp/f.bin"
		head -c 60000 /dev/urandom >"$LAB_TMP/tftp/g.bin"
		chmod 755 "$LAB_TMP/tftp"
		chmod 644 "$LAB_TMP/tftp/f.bin" "$LAB_TMP/tftp/g.bin"
		for role in local tftpsrv; do
			lab_bg "$role" 40 "$log.tftpd-$role.log" in.tftpd -L -v -s "$LAB_TMP/tftp" \
			    -a "$([ $role = local ] && echo "$LOCAL" || echo "$LAB_SRV_NET.69"):69" -u nobody
		done
		sleep 0.5
	}
	traffic() {
		for _ in 1 2 3 4 5; do
			lab_run remote 10 tftp "$LOCAL" -c get f.bin /dev/null >>"$log.tftp.log" 2>&1 ||
			    lab_die "tftp failed: $(tail -n 3 "$log.tftp.log")"
			sleep 2
		done
		for f in f.bin g.bin; do
			lab_run local 10 curl -sS --max-time 8 -o /dev/null "tftp://$LAB_SRV_NET.69/$f" \
			    >>"$log.curl.log" 2>&1 || lab_die "curl tftp failed: $(tail -n 3 "$log.curl.log")"
		done
	}
	;;
monlist-amplifier)
	# The local host runs a monlist-answering "vulnerable ntpd"; a
	# spoofer sends monlist requests in the victim's name, so the local
	# host floods the victim.  nmap's ntp-monlist script asks once too.
	scapy_py
	VICTIM=$LAB_SRV_NET.66
	lab_core
	lab_host local site "$LOCAL"
	lab_host victim srv "$VICTIM"
	lab_host spoofer atk "$LAB_ATK_NET.50"
	lab_host scanner atk "$LAB_ATK_NET.51"
	setup() {
		lab_bg local 60 "$log.responder.log" "$LAB_PY" "$here/ntplab.py" \
		    serve-monlist --addr "$LOCAL" --entries 600 --secs 55
		lab_wait_for "$log.responder.log" 'serving monlist' 20 ||
		    lab_die "monlist responder did not start: $(cat "$log.responder.log")"
	}
	traffic() {
		lab_run spoofer 30 "$LAB_PY" "$here/ntplab.py" spoof-monlist \
		    --src "$VICTIM" --dst "$LOCAL" --count 200 --rate 50 --secs 20 \
		    >"$log.spoofer.log" 2>&1 ||
		    lab_die "spoofer failed: $(tail -n 3 "$log.spoofer.log")"
		sleep 1
		nmap_run -sU -p 123 --script ntp-monlist --max-retries 0 \
		    --host-timeout 60s "$LOCAL"
	}
	;;
reflection)
	# Five outside "reflectors" send monlist responses nobody here asked
	# for, to random high ports of the local host; meanwhile the local
	# chronyd polls a real server, whose replies must stay "solicited".
	scapy_py
	lab_core
	lab_host local site "$LOCAL"
	lab_host server srv "$SERVER"
	lab_host reflectors srv "$LAB_SRV_NET.20" "$LAB_SRV_NET.21" \
	    "$LAB_SRV_NET.22" "$LAB_SRV_NET.23" "$LAB_SRV_NET.24"
	setup() { lab_chronyd server server 60; }
	traffic() {
		lab_chronyd local client 40 "$SERVER"
		sleep 3
		# 5 reflectors x 4 bursts x 100 packets, 400/s: 5 s.
		lab_run reflectors 30 "$LAB_PY" "$here/ntplab.py" reflect \
		    --src "$LAB_SRV_NET.20,$LAB_SRV_NET.21,$LAB_SRV_NET.22,$LAB_SRV_NET.23,$LAB_SRV_NET.24" \
		    --dst "$LOCAL" --bursts 4 --packets 100 --rate 400 --secs 20 \
		    >"$log.reflect.log" 2>&1 ||
		    lab_die "reflector failed: $(tail -n 3 "$log.reflect.log")"
		sleep 10
		lab_stop "$LAB_CHRONY_PID"
	}
	;;
web-burst)
	# A remote client opens 35 connections at once to the local web server
	# (ab -c 35) and 10 more with curl --parallel to a second address and
	# port: every one accepted and answered.  Another runs a load test,
	# 300 connections 100 at a time, over 100 new sessions a second.
	# Bursts inside sessions we accepted, not floods.
	lab_core
	lab_host local site "$LOCAL" "$LAB_SITE_NET.11"
	lab_host client atk "$LAB_ATK_NET.60"
	lab_host loader atk "$LAB_ATK_NET.63"
	setup() {
		lab_require ab curl python3
		www_dir
		http_server "$LOCAL" 80
		http_server "$LAB_SITE_NET.11" 8080
	}
	traffic() {
		lab_run client 30 ab -q -n 35 -c 35 -s 10 "http://$LOCAL/index.html" \
		    >"$log.ab.log" 2>&1 || lab_die "ab failed: $(tail -n 3 "$log.ab.log")"
		urls=()
		for i in $(seq 10); do
			urls+=(-o /dev/null "http://$LAB_SITE_NET.11:8080/index.html?$i")
		done
		lab_run client 30 curl -sS --parallel --parallel-max 10 --max-time 10 \
		    "${urls[@]}" >"$log.curl.log" 2>&1 ||
		    lab_die "curl failed: $(tail -n 3 "$log.curl.log")"
		sleep 1
		lab_run loader 30 ab -q -n 300 -c 100 -s 10 "http://$LOCAL/index.html" \
		    >"$log.ab-load.log" 2>&1 || lab_die "ab failed: $(tail -n 3 "$log.ab-load.log")"
		sleep 1
	}
	;;
nse-sweep)
	# Ten local addresses, each with a real web server on port 80.  One
	# scanner runs nmap -sV over 7 of them, another nmap's http scripts
	# over all 10: every session answered, but a remote that touches
	# this many of our addresses is sweeping them, not using a service.
	# A reader first fetches 4 pages with curl from each of 8 of them,
	# as a hosting network's visitor does: each connection its own,
	# with a request in it; a client, not a sweep (the fifth held-out
	# check).
	lab_core
	local_range 10 19
	lab_host scanner atk "$LAB_ATK_NET.61"
	lab_host sweeper atk "$LAB_ATK_NET.62"
	lab_host services atk "$LAB_ATK_NET.65"
	lab_host reader atk "$LAB_ATK_NET.66"
	setup() {
		local port
		lab_require nmap python3
		www_dir
		# port 80 on every address; seven more web ports for the third
		# scanner's version detection to dwell on
		for port in 80 443 3000 5000 8000 8080 8443 9000; do
			http_server 0.0.0.0 "$port"
		done
	}
	traffic() {
		local i
		for i in $(seq 10 17); do
			lab_run reader 20 curl -sS --max-time 5 -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
			    "http://$LAB_SITE_NET.$i/index.html?p=[1-4]" >>"$log.reader.log" 2>&1 ||
			    lab_die "curl failed: $(tail -n 3 "$log.reader.log")"
			sleep 0.3
		done
		nmap_run -sV -p 80 --version-light --max-rate 100 --max-retries 1 \
		    --host-timeout 40s "$LAB_SITE_NET.10-16"
		# nmap -sV over 20 ports of 6 addresses, 8 of them open: many
		# probes on each open port, a few on each closed one.
		lab_run services 60 nmap -n -Pn -sV --version-light --max-rate 150 --max-retries 1 \
		    --host-timeout 40s -p 21,22,23,25,53,80,110,139,143,443,445,993,3000,3306,5000,8000,8080,8443,9000,9100 \
		    "$LAB_SITE_NET.10-15" >"$log.services.log" 2>&1 ||
		    lab_die "nmap -sV failed: $(tail -n 3 "$log.services.log")"
		lab_run sweeper 60 nmap -n -Pn -sT -p 80 --max-rate 100 --max-retries 1 \
		    --host-timeout 40s --script http-title,http-methods,http-headers \
		    "$LAB_SITE_NET.10-19" >"$log.nse.log" 2>&1 ||
		    lab_die "nmap --script failed: $(tail -n 3 "$log.nse.log")"
	}
	;;
ike-reflection)
	# Three real IKE responders (strongSwan's charon, each in its own
	# namespace, config dir and /run) answer IKE_SA_INIT requests that a
	# spoofer sends in the local host's name, each from a new random
	# port: the local host receives IKE_SA_INIT responses from UDP 500 to
	# its high ports that it never asked for.
	CHARON=/usr/lib/ipsec/charon
	[ -x "$CHARON" ] || lab_skip "no $CHARON (apt-get install strongswan-charon strongswan-swanctl)"
	lab_require swanctl
	IKE_RESP="$LAB_SRV_NET.30 $LAB_SRV_NET.31 $LAB_SRV_NET.32"
	lab_core
	lab_host local site "$LOCAL"
	n=0
	for a in $IKE_RESP; do
		n=$((n + 1))
		lab_host "rf-ike$n" srv "$a"
	done
	lab_host rf-spoofer atk "$LAB_ATK_NET.60"
	# Four other hosts probe three UDP ports of the local host with nmap
	# meanwhile: remotes of the same target that are not reflectors.
	IKE_NOISE="$LAB_ATK_NET.61 $LAB_ATK_NET.62 $LAB_ATK_NET.63 $LAB_ATK_NET.64"
	# shellcheck disable=SC2086 # one address per word
	lab_host rf-noise atk $IKE_NOISE
	# rf_charon ROLE: charon in ROLE's namespace with its own
	# strongswan.conf (no clock access needed or given), a tmpfs /run of
	# its own for its pid file, and one IKEv2 connection that accepts
	# anyone's IKE_SA_INIT. The half-open limits (per IP 5 and 3 by
	# default) are raised: with them charon answers a spoofed flood from
	# one address with small COOKIE notifies, which are IKE responses
	# too but too few bytes for this lab's point.
	rf_charon()
	{
		local role=$1 dir="$LAB_TMP/charon-$1" _
		mkdir -p "$dir"
		cat >"$dir/strongswan.conf" <<-EOF
		charon {
			load_modular = no
			load = random nonce aes sha1 sha2 hmac kdf gmp pem pkcs1 pubkey x509 socket-default kernel-netlink vici
			install_routes = no
			install_virtual_ip = no
			block_threshold = 1000
			cookie_threshold = 1000
			cookie_threshold_ip = 1000
			filelog {
				stderr {
					default = 1
				}
			}
			plugins {
				vici {
					socket = unix://$dir/charon.vici
				}
			}
		}
		EOF
		cat >"$dir/swanctl.conf" <<-'EOF'
		connections {
			lab {
				version = 2
				local_addrs = %any
				remote_addrs = %any
				proposals = aes128-sha256-modp2048
				local {
					auth = psk
					id = responder@lab.test
				}
				remote {
					auth = psk
				}
				children {
					net {
						local_ts = 0.0.0.0/0
					}
				}
			}
		}
		secrets {
			ike-lab {
				secret = lab-psk-not-a-secret
			}
		}
		EOF
		# shellcheck disable=SC2016 # $0 is for the inner sh
		lab_bg "$role" 60 "$log.$role.log" env STRONGSWAN_CONF="$dir/strongswan.conf" \
		    sh -c 'mount -t tmpfs tmpfs /run && exec setpriv --bounding-set -sys_time --inh-caps -sys_time "$0"' "$CHARON"
		for _ in $(seq 100); do
			[ -S "$dir/charon.vici" ] && break
			sleep 0.1
		done
		timeout 10 swanctl --load-all --file "$dir/swanctl.conf" --uri "unix://$dir/charon.vici" \
		    >"$log.$role.swanctl.log" 2>&1 ||
		    lab_die "charon ($role) did not take its config: $(tail -n 3 "$log.$role.log" "$log.$role.swanctl.log")"
	}
	setup() {
		local i
		for i in $(seq "$n"); do rf_charon "rf-ike$i"; done
	}
	traffic() {
		local a
		lab_require nmap
		for a in $IKE_NOISE; do
			lab_run rf-noise 30 nmap -n -Pn -sU -p 53,123,161 --max-retries 0 \
			    -S "$a" -e eth0 "$LOCAL" >>"$log.nmap.log" 2>&1 ||
			    lab_die "nmap failed: $(tail -n 3 "$log.nmap.log")"
		done
		# 3 responders x 50 requests at 600/s, from a whole second:
		# the answers arrive within one second, over 100 a second.
		lab_run rf-spoofer 30 python3 "$here/ikelab.py" spoof-ike-init \
		    --src "$LOCAL" --dst "$(echo "$IKE_RESP" | tr ' ' ,)" \
		    --count 150 --rate 600 --secs 20 --align >"$log.spoofer.log" 2>&1 ||
		    lab_die "spoofer failed: $(tail -n 3 "$log.spoofer.log")"
		sleep 2
	}
	;;
snmp-amplifier)
	# The local host runs a real SNMP agent (net-snmp's snmpd, community
	# "public" open to anyone, as many devices ship). A spoofer sends it
	# GetBulk requests in the names of two victims, which never asked:
	# snmpd answers each 70-byte request with about 1.4 KB, to the
	# victims, whose kernels refuse the answers with ICMP port
	# unreachable. The local host is an amplifier; the victims are not
	# its clients. A monitor then walks the agent's whole tree with
	# snmpbulkwalk, hundreds of requests a second, each sent once our
	# answer to the one before came: a client, not a flood (the fifth
	# held-out check).
	lab_require snmpd
	lab_require snmpbulkwalk
	scapy_py
	SNMP_VICTIMS="$LAB_SRV_NET.40 $LAB_SRV_NET.41 $LAB_SRV_NET.42"
	lab_core
	lab_host local site "$LOCAL"
	# shellcheck disable=SC2086 # one address per word
	lab_host victims srv $SNMP_VICTIMS
	lab_host spoofer atk "$LAB_ATK_NET.70"
	lab_host monitor atk "$LAB_ATK_NET.71"
	setup() {
		local d=$LAB_TMP/snmpd
		mkdir -p "$d"
		cat >"$d/snmpd.conf" <<-EOF
		rocommunity public default
		sysLocation lab
		sysContact lab@example.test
		EOF
		lab_bg local 60 "$log.snmpd.log" setpriv --bounding-set -sys_time --inh-caps -sys_time \
		    snmpd -f -Lo -C -c "$d/snmpd.conf" -p "$d/snmpd.pid" "udp:$LOCAL:161"
		sleep 1
		lab_run local 10 snmpget -v2c -c public -t 1 -r 2 "$LOCAL" 1.3.6.1.2.1.1.5.0 \
		    >"$log.snmpget.log" 2>&1 ||
		    lab_die "snmpd did not answer: $(tail -n 3 "$log.snmpd.log" "$log.snmpget.log")"
	}
	traffic() {
		lab_run spoofer 30 "$LAB_PY" "$here/snmplab.py" spoof-getbulk \
		    --src "$LAB_SRV_NET.40,$LAB_SRV_NET.41" --dst "$LOCAL" \
		    --count 200 --rate 50 --secs 20 >"$log.spoofer.log" 2>&1 ||
		    lab_die "spoofer failed: $(tail -n 3 "$log.spoofer.log")"
		# In .42's name, answers too big for one datagram: 3 fragments.
		lab_run spoofer 30 "$LAB_PY" "$here/snmplab.py" spoof-getbulk \
		    --src "$LAB_SRV_NET.42" --dst "$LOCAL" --repetitions 120 \
		    --count 60 --rate 50 --secs 20 >>"$log.spoofer.log" 2>&1 ||
		    lab_die "spoofer failed: $(tail -n 3 "$log.spoofer.log")"
		sleep 1
		lab_run monitor 20 snmpbulkwalk -v2c -c public -Cr20 -t 1 -r 1 "$LOCAL" \
		    >"$log.walk.log" 2>&1 || lab_die "snmpbulkwalk failed: $(tail -n 3 "$log.walk.log")"
		sleep 1
	}
	;;
nflog)
	# The local host's own firewall drops the replies to its chronyd
	# (polling 198.51.100.10 every second from a new port) and an nmap
	# SYN scan, and logs both to NFLOG: group 5 for ntpsleuth -i nflog:5,
	# group 6 for tcpdump.  Only the drops are logged: no request is in
	# sight, the replies' NTP mode 4 shows what they are.
	lab_core
	lab_host local site "$LOCAL"
	lab_host server srv "$SERVER"
	lab_host scanner atk "$LAB_ATK_NET.30"
	lab_nflog_drops local 5 6
	CAP_IF=nflog:6 LIVE_IF=nflog:5
	setup() { lab_chronyd server server 60; }
	traffic() {
		lab_chronyd local client 40 "$SERVER"
		sleep 8
		nmap_run -sS -p 1-40 --max-rate 100 --max-retries 1 \
		    --host-timeout 30s "$LOCAL"
		sleep 12
		lab_stop "$LAB_CHRONY_PID"
	}
	;;
dns-fragments)
	# The local host asks BIND (198.51.100.53) with dig for a signed TXT
	# answer that comes back in three IP fragments: every fragment is a
	# solicited reply. Then a spoofer asks the same BIND at .60-.62 in the
	# local host's name: the fragmented answers are a reflection, every
	# fragment of them a reply, none a probe of "udp port 0". Then in the
	# name of 192.0.2.11 from 8 source ports round robin, as booters
	# write them: each port draws all three servers' answers, and the
	# attack is one reflection at the address, not one per port (the
	# fifth held-out check's memcached reflection made 60 incidents).
	# DNS_DIGS and DNS_SPOOF make it smaller (tests/captures/dns-fragments.pcap).
	scapy_py
	lab_require named dig dnssec-keygen dnssec-signzone
	lab_core
	lab_host local site "$LOCAL" "$LAB_SITE_NET.11"
	lab_host dns srv "$LAB_SRV_NET.53" "$LAB_SRV_NET.60" "$LAB_SRV_NET.61" \
	    "$LAB_SRV_NET.62"
	lab_host spoofer atk "$LAB_ATK_NET.70"
	setup() { dns_server; }
	traffic() {
		local i
		for i in $(seq 1 "${DNS_DIGS:-20}"); do
			lab_run local 10 dig +dnssec +bufsize=4096 +ignore +tries=1 \
			    +timeout=2 @"$LAB_SRV_NET.53" big.example.test TXT \
			    >>"$log.dig.log" 2>&1 || lab_die "dig failed: $(tail -n 3 "$log.dig.log")"
			sleep 0.1
		done
		grep -q 'MSG SIZE  rcvd: [3-9][0-9][0-9][0-9]' "$log.dig.log" ||
		    lab_die "no big answer: $(tail -n 5 "$log.dig.log")"
		sleep 1
		lab_run spoofer 30 "$LAB_PY" "$here/dnslab.py" spoof-dns \
		    --src "$LOCAL" --dst "$LAB_SRV_NET.60,$LAB_SRV_NET.61,$LAB_SRV_NET.62" \
		    --name big.example.test --count "${DNS_SPOOF:-300}" --rate 100 --secs 20 \
		    >"$log.spoofer.log" 2>&1 ||
		    lab_die "spoofer failed: $(tail -n 3 "$log.spoofer.log")"
		if [ "${DNS_SPOOF_PORTS:-120}" -gt 0 ]; then
			lab_run spoofer 30 "$LAB_PY" "$here/dnslab.py" spoof-dns \
			    --src "$LAB_SITE_NET.11" --dst "$LAB_SRV_NET.60,$LAB_SRV_NET.61,$LAB_SRV_NET.62" \
			    --name big.example.test --count "${DNS_SPOOF_PORTS:-120}" --rate 100 --secs 20 \
			    --ports 8 >>"$log.spoofer.log" 2>&1 ||
			    lab_die "spoofer failed: $(tail -n 3 "$log.spoofer.log")"
		fi
		sleep 1
	}
	;;
late-upload|late-tls)
	# A capture started mid-connection: a local curl uploads to a sink on
	# the server's port 80 (late-upload) or downloads slowly over TLS
	# from a python3 ssl server on 443 (late-tls); tcpdump starts 2 s into
	# the transfer, so no handshake is captured. The capture is then cut
	# to begin at the server's first packet (its ACK or data), the case
	# where the first packet seen used to name the server the initiator.
	lab_require curl editcap
	lab_core
	lab_host local site "$LOCAL"
	lab_host server srv "$SERVER"
	dd if=/dev/zero of="$LAB_TMP/big" bs=1M count=20 status=none
	setup() {
		if [ "$name" = late-upload ]; then
			lab_bg server 30 "$log.sink.log" python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 80))
s.listen(1)
print("listening", flush=True)
c, _ = s.accept()
c.settimeout(1)
end, n = time.time() + float(sys.argv[1]), 0
while time.time() < end:
    try:
        d = c.recv(65536)
    except socket.timeout:
        continue
    if not d:
        break
    n += len(d)
c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
print("received", n, flush=True)' 25
			lab_wait_for "$log.sink.log" 'listening' 10 ||
			    lab_die "upload sink did not start: $(cat "$log.sink.log")"
			# 20 MB at 2 MB/s: still uploading when the capture stops.
			lab_bg local 20 "$log.curl.log" curl -sS -H 'Expect:' \
			    --limit-rate 2M --max-time 15 -T "$LAB_TMP/big" \
			    "http://$SERVER/upload"
		else
			lab_require openssl
			openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
			    -subj "/CN=$SERVER" -keyout "$LAB_TMP/key.pem" \
			    -out "$LAB_TMP/cert.pem" >"$log.openssl-req.log" 2>&1 ||
			    lab_die "openssl req failed: $(tail -n 2 "$log.openssl-req.log")"
			# A TLS server that sends 16 kB every 50 ms (320 kB/s), so
			# the download is slow and steady (curl's --limit-rate
			# shut the window for seconds at a time).
			lab_bg server 30 "$log.tls.log" python3 -c '
import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 443))
s.listen(1)
print("listening", flush=True)
c = ctx.wrap_socket(s.accept()[0], server_side=True)
c.recv(4096)
n, end = 20 << 20, time.time() + float(sys.argv[3])
c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % n)
while n > 0 and time.time() < end:
    c.sendall(bytes(16384))
    n -= 16384
    time.sleep(0.05)
print("sent", (20 << 20) - n, flush=True)' "$LAB_TMP/cert.pem" "$LAB_TMP/key.pem" 25
			lab_wait_for "$log.tls.log" 'listening' 10 ||
			    lab_die "TLS server did not start: $(cat "$log.tls.log")"
			lab_bg local 20 "$log.curl.log" curl -sS -k --max-time 15 \
			    -o /dev/null "https://$SERVER/big"
		fi
		CURL_PID=$LAB_LAST_PID
		sleep 2
	}
	traffic() {
		sleep 3
		lab_stop "$CURL_PID"
	}
	captured() {
		local first
		first=$(tshark -n -r "$pcap" -Y "ip.src == $SERVER && tcp" \
		    -T fields -e frame.number 2>/dev/null | head -n 1)
		[ -n "$first" ] || lab_die "no packet from $SERVER in $pcap"
		editcap -r "$pcap" "$pcap.cut" "$first-$(lab_count "$pcap")" && mv "$pcap.cut" "$pcap" ||
		    lab_die "editcap could not cut $pcap"
	}
	;;
dns-load)
	# BIND on the local host, authoritative for load.test (300 names).
	# dnsperf on a remote asks it 1500 queries a second for 5 s from one
	# socket (-c 1), every one answered: one source's flood of requests,
	# as query-flood's hping3 is, not a client's use of the service.
	# Another remote asks 10 names with dig, 0.5 s apart: a client.
	lab_require named dig dnsperf
	lab_core
	lab_host local site "$LOCAL"
	lab_host loader atk "$LAB_ATK_NET.90"
	lab_host client atk "$LAB_ATK_NET.91"
	setup() {
		local d=$LAB_TMP/bind i
		mkdir -p "$d"
		{
			printf '$TTL 300\n@\tSOA ns1 hostmaster 1 3600 600 86400 300\n'
			printf '@\tNS ns1\nns1\tA %s\n' "$LOCAL"
			for i in $(seq 300); do
				printf 'h%d\tA %s.%d\n' "$i" "$LAB_SRV_NET" $((i % 250 + 1))
			done
		} >"$d/load.test"
		for i in $(seq 300); do
			echo "h$i.load.test A"
		done >"$LAB_TMP/queries"
		cat >"$d/named.conf" <<-EOF
		options {
			directory "$d";
			pid-file "$d/named.pid";
			listen-on { $LOCAL; };
			listen-on-v6 { none; };
			recursion no;
		};
		zone "load.test" { type primary; file "$d/load.test"; };
		EOF
		lab_bg local 60 "$log.named.log" named -g -n 1 -c "$d/named.conf"
		lab_wait_for "$log.named.log" 'running' 20 ||
		    lab_die "named did not start: $(tail -n 5 "$log.named.log")"
	}
	traffic() {
		local i
		: >"$log.dig.log"
		lab_run loader 20 dnsperf -s "$LOCAL" -d "$LAB_TMP/queries" -c 1 -Q 1500 -l 5 -t 2 \
		    >"$log.dnsperf.log" 2>&1 || lab_die "dnsperf failed: $(tail -n 3 "$log.dnsperf.log")"
		sleep 1
		for i in $(seq 1 10); do
			lab_run client 10 dig +tries=1 +timeout=2 @"$LOCAL" "h$i.load.test" A \
			    >>"$log.dig.log" 2>&1 || lab_die "dig failed: $(tail -n 3 "$log.dig.log")"
			sleep 0.5
		done
		[ "$(grep -c 'status: NOERROR' "$log.dig.log")" -eq 10 ] ||
		    lab_die "dig got no answer: $(tail -n 5 "$log.dig.log")"
	}
	;;
icmp-monitor)
	# A monitoring host checks six local addresses with fping once a
	# second for 15 s (-c 15 -p 1000), every echo answered: a client of
	# ours.  Another remote sweeps the local 192.0.2.0/27 once with fping
	# -g: 30 addresses, the same six alive.  Core routes the /27 to the
	# local host, as a site's router sends its range down one link, so
	# the capture sees every probe; the local host drops those to
	# addresses it does not have (no forwarding, no ICMP), and fping asks
	# each dead one four times: a sweep of our addresses.
	lab_core
	local_range 10 15
	lab_host monitor atk "$LAB_ATK_NET.92"
	lab_host sweeper atk "$LAB_ATK_NET.93"
	ip -n "$(lab_nsname core)" route add "$LAB_SITE_NET.0/27" via "$LOCAL"
	setup() { lab_require fping; }
	traffic() {
		local mpid
		lab_bg monitor 25 "$log.monitor.log" fping -q -c 15 -p 1000 $(seq -f "$LAB_SITE_NET.%g" 10 15)
		mpid=$LAB_LAST_PID
		sleep 3
		lab_run sweeper 30 fping -g "$LAB_SITE_NET.0/27" >"$log.sweep.log" 2>&1
		# 1: some addresses unreachable, as they are meant to be
		[ $? -le 1 ] || lab_die "fping -g failed: $(tail -n 3 "$log.sweep.log")"
		[ "$(grep -c ' is alive' "$log.sweep.log")" -eq 6 ] ||
		    lab_die "fping -g did not find the six: $(grep alive "$log.sweep.log")"
		wait "$mpid" || lab_die "fping -c failed: $(tail -n 6 "$log.monitor.log")"
	}
	;;
ntpq-monitor)
	# ntpsec's ntpd on the local host, with no server to follow and the
	# clock out of its reach (disable ntp and kernel, no CAP_SYS_TIME,
	# its calls that could set the clock traced and checked), one SHM
	# refclock (in an IPC namespace of its own) for a peer to show, and
	# mode 6 open to the atk segment (restrict ... nomodify).  A remote
	# monitor runs ntpq -c rv -c peers -c "rv &1" every 2 s and ntpq -c
	# mrulist every third round: small requests, answers of several KB,
	# all asked for: a client of ours.
	lab_ntpsec_setup || lab_skip "$LAB_NTPSEC_WHY"
	lab_require strace unshare
	local_and monitor atk "$LAB_ATK_NET.94"
	setup() {
		local d=$LAB_TMP/ntpd
		mkdir -p "$d"
		cat >"$d/ntp.conf" <<-EOF
		disable ntp
		disable kernel
		restrict default nomodify noquery
		restrict $LAB_ATK_NET.0 mask 255.255.255.0 nomodify
		restrict 127.0.0.1
		refclock shm unit 0 refid SHM0
		EOF
		lab_bg local 60 "$log.ntpd.log" setpriv --bounding-set -sys_time --inh-caps -sys_time \
		    unshare --ipc strace -f -qq -o "$LAB_TMP/ntpd.strace" \
		    -e trace=adjtimex,clock_adjtime,clock_settime,settimeofday \
		    "$LAB_NTPD" -n -c "$d/ntp.conf" -p "$d/ntpd.pid" -l "$d/ntpd.log"
		lab_wait_for "$d/ntpd.log" 'Listen normally on [0-9]+ eth0' 20 ||
		    lab_die "ntpd did not start: $(tail -n 5 "$d/ntpd.log" "$log.ntpd.log")"
	}
	traffic() {
		local r
		: >"$log.ntpq.log"
		for r in $(seq 1 8); do
			lab_run monitor 10 "${LAB_NTPQ[@]}" -n -c rv -c peers -c "rv &1" "$LOCAL" \
			    >>"$log.ntpq.log" 2>&1 || lab_die "ntpq failed: $(tail -n 3 "$log.ntpq.log")"
			if [ $((r % 3)) -eq 0 ]; then
				lab_run monitor 10 "${LAB_NTPQ[@]}" -n -c mrulist "$LOCAL" \
				    >>"$log.ntpq.log" 2>&1 ||
				    lab_die "ntpq mrulist failed: $(tail -n 3 "$log.ntpq.log")"
			fi
			sleep 2
		done
		grep -q 'SHM' "$log.ntpq.log" || lab_die "ntpq saw no peer: $(tail -n 5 "$log.ntpq.log")"
		# Reads of the clock (modes=0) and refused writes only: ntpd
		# tries to set up the kernel loop and frequency at start
		# (EPERM, logged as "ntp_adjtime: Operation not permitted").
		if grep -vE '\{modes=0, |= -1 EPERM |^[0-9]+ +(---|\+\+\+) ' "$LAB_TMP/ntpd.strace" |
		    grep -q .; then
			lab_die "ntpd changed the clock: $(grep -vE '\{modes=0, |= -1 EPERM |^[0-9]+ +(---|\+\+\+) ' \
			    "$LAB_TMP/ntpd.strace" | head -n 3)"
		fi
	}
	;;
slow-http)
	# python's threaded http.server on the local host.  slowhttptest -H
	# (slowloris) opens 200 connections, 100 a second, and sends each a
	# header line every 5 s for 20 s, never ending the headers, so the
	# server never answers: a flood of held connections.  A reader
	# fetches 30 pages with curl, 6 connections at a time and keep-alive:
	# each request whole and answered, a client.
	lab_require slowhttptest curl python3
	lab_core
	lab_host local site "$LOCAL"
	lab_host attacker atk "$LAB_ATK_NET.97"
	lab_host reader atk "$LAB_ATK_NET.98"
	setup() {
		www_dir
		http_server "$LOCAL" 80
	}
	traffic() {
		local i urls=()
		lab_bg attacker 40 "$log.slowhttptest.log" slowhttptest -H -c 200 -r 100 -i 5 \
		    -l 20 -u "http://$LOCAL/index.html"
		sleep 3
		for i in $(seq 30); do
			urls+=(-o /dev/null "http://$LOCAL/index.html?$i")
		done
		lab_run reader 30 curl -sS --parallel --parallel-max 6 --max-time 10 "${urls[@]}" \
		    >"$log.curl.log" 2>&1 || lab_die "curl failed: $(tail -n 3 "$log.curl.log")"
		wait "$LAB_LAST_PID"
		grep -q 'Hit test time limit' "$log.slowhttptest.log" ||
		    lab_die "slowhttptest did not run: $(tail -n 5 "$log.slowhttptest.log")"
	}
	;;
web-guess)
	# busybox httpd on the local host, its pages behind basic
	# authentication (user admin).  hydra -t 4 tries 200 passwords for
	# admin with http-get, keep-alive sessions to port 80, every guess
	# answered 401: a guesser to call about.  A reader fetches 10 pages
	# with curl, the first without its password (one 401), then with it:
	# a client.
	lab_require busybox hydra curl
	lab_core
	lab_host local site "$LOCAL"
	lab_host guesser atk "$LAB_ATK_NET.99"
	lab_host reader atk "$LAB_ATK_NET.100"
	setup() {
		local i
		www_dir
		printf '/:admin:lab-secret\n' >"$LAB_TMP/httpd.conf"
		for i in $(seq 200); do
			echo "guess$i"
		done >"$LAB_TMP/words"
		lab_bg local 60 "$log.httpd.log" busybox httpd -f -vv -p "$LOCAL:80" -h "$WWW" \
		    -c "$LAB_TMP/httpd.conf" -r lab
		sleep 0.5
	}
	traffic() {
		local i
		lab_run reader 10 curl -sS -o /dev/null -w '%{http_code}\n' "http://$LOCAL/index.html" \
		    >"$log.curl.log" 2>&1
		for i in $(seq 10); do
			lab_run reader 10 curl -sS -o /dev/null -w '%{http_code}\n' -u admin:lab-secret \
			    "http://$LOCAL/index.html?$i" >>"$log.curl.log" 2>&1
		done
		[ "$(grep -c '^200$' "$log.curl.log")" -eq 10 ] ||
		    lab_die "curl got no pages: $(tail -n 3 "$log.curl.log")"
		lab_run guesser 60 hydra -l admin -P "$LAB_TMP/words" -t 4 -w 2 -f "$LOCAL" http-get / \
		    >"$log.hydra.log" 2>&1
		grep -q 'of 1 target completed, 0 valid password' "$log.hydra.log" ||
		    lab_die "hydra did not finish: $(tail -n 3 "$log.hydra.log")"
	}
	;;
ftp-passive)
	# vsftpd on the local host, anonymous, passive ports 40000-40100.
	# curl fetches 4 files: a control connection to port 21 each time,
	# and a data connection to the port the server's EPSV answer named:
	# a client of one service, not a remote probing five ports.
	lab_require /usr/sbin/vsftpd curl
	lab_core
	lab_host local site "$LOCAL"
	lab_host client atk "$LAB_ATK_NET.101"
	setup() {
		local d=$LAB_TMP/ftp i
		mkdir -p "$d/pub" "$d/empty"
		chmod 755 "$d" "$d/pub" "$d/empty"
		for i in 1 2 3 4; do
			head -c 20000 /dev/zero >"$d/pub/file$i"
		done
		cat >"$LAB_TMP/vsftpd.conf" <<-EOF
		listen=YES
		listen_ipv6=NO
		listen_address=$LOCAL
		background=NO
		anonymous_enable=YES
		local_enable=NO
		write_enable=NO
		anon_root=$d/pub
		secure_chroot_dir=$d/empty
		pasv_enable=YES
		pasv_min_port=40000
		pasv_max_port=40100
		seccomp_sandbox=NO
		xferlog_enable=NO
		vsftpd_log_file=$LAB_TMP/vsftpd.log
		EOF
		lab_bg local 60 "$log.vsftpd.log" /usr/sbin/vsftpd "$LAB_TMP/vsftpd.conf"
		sleep 0.5
	}
	traffic() {
		local i
		: >"$log.curl.log"
		for i in 1 2 3 4; do
			lab_run client 10 curl -sS -o /dev/null -w '%{size_download}\n' \
			    "ftp://$LOCAL/file$i" >>"$log.curl.log" 2>&1
			sleep 1
		done
		[ "$(grep -c '^20000$' "$log.curl.log")" -eq 4 ] ||
		    lab_die "curl got no files: $(tail -n 3 "$log.curl.log" "$log.vsftpd.log")"
	}
	;;
ssh-brute)
	# OpenSSH's sshd on the local host (host key and config made for the
	# run; root may log in with a key only, so no password is valid).
	# hydra -t 16 tries 300 passwords for root, 16 connections at a time,
	# for at most 20 s; sshd closes each after MaxAuthTries (6) failures
	# and hydra connects again (-w 2: its children wait that long for
	# the closed connection, 32 s by default): about 70 sessions, every
	# one refused at the password, a guesser to call about.  An admin
	# logs in three times with a key made for the run and runs a
	# command: a client.
	lab_require /usr/sbin/sshd ssh ssh-keygen hydra
	lab_core
	lab_host local site "$LOCAL"
	lab_host guesser atk "$LAB_ATK_NET.95"
	lab_host admin atk "$LAB_ATK_NET.96"
	setup() {
		local d=$LAB_TMP/sshd i
		mkdir -p "$d"
		ssh-keygen -q -t ed25519 -N '' -C lab-host -f "$d/host_ed25519" &&
		    ssh-keygen -q -t ed25519 -N '' -C lab-admin -f "$LAB_TMP/admin_key" ||
		    lab_die "ssh-keygen failed"
		cp "$LAB_TMP/admin_key.pub" "$d/authorized_keys"
		for i in $(seq 300); do
			echo "guess$i"
		done >"$LAB_TMP/words"
		cat >"$d/sshd_config" <<-EOF
		Port 22
		ListenAddress $LOCAL
		HostKey $d/host_ed25519
		PidFile $d/sshd.pid
		AuthorizedKeysFile $d/authorized_keys
		StrictModes no
		UsePAM no
		PermitRootLogin prohibit-password
		PasswordAuthentication yes
		KbdInteractiveAuthentication no
		PubkeyAuthentication yes
		MaxStartups 200
		MaxAuthTries 6
		LoginGraceTime 20
		EOF
		# sshd's privilege separation directory is compiled in; the
		# package makes it at boot only (tmpfiles), not on install.
		[ -d /run/sshd ] || mkdir -m 0755 /run/sshd
		lab_bg local 60 "$log.sshd.log" /usr/sbin/sshd -D -e -f "$d/sshd_config"
		lab_wait_for "$log.sshd.log" 'Server listening' 10 ||
		    lab_die "sshd did not start: $(tail -n 3 "$log.sshd.log")"
	}
	admin_login() {
		lab_run admin 15 ssh -F /dev/null -i "$LAB_TMP/admin_key" -o BatchMode=yes \
		    -o StrictHostKeyChecking=no -o UserKnownHostsFile="$LAB_TMP/known_hosts" \
		    "root@$LOCAL" uname -n >>"$log.ssh.log" 2>&1 ||
		    lab_die "ssh with the key failed: $(tail -n 3 "$log.ssh.log")"
	}
	traffic() {
		local hpid
		: >"$log.ssh.log"
		admin_login
		# hydra writes ./hydra.restore when stopped: in the temp folder.
		(cd "$LAB_TMP" && lab_run guesser 20 hydra -I -t 16 -w 2 -l root -P "$LAB_TMP/words" \
		    "ssh://$LOCAL") >"$log.hydra.log" 2>&1 &
		hpid=$!
		sleep 5
		admin_login
		wait "$hpid"
		# 124: stopped at 20 s, as meant when it has not finished
		case $? in 0|124) ;; *) lab_die "hydra failed: $(tail -n 3 "$log.hydra.log")" ;; esac
		! grep -q 'login: root' "$log.hydra.log" ||
		    lab_die "hydra found a password: $(grep 'login: root' "$log.hydra.log")"
		sleep 1
		admin_login
	}
	;;
traceroute)
	# The local host traces the route to a target two routers beyond core
	# (traceroute -n over UDP, then -I over ICMP, then -T -p 80 over TCP
	# SYNs): r1 (198.51.100.1, on the srv segment) and r2
	# (198.51.100.130) answer the probes whose TTL ends with them with
	# ICMP time exceeded, the target (198.51.100.200) the last ones with
	# port unreachable, echo replies and SYN-ACKs.  Core's own answers
	# come from 192.0.2.254, a local address.  No ICMP rate limit, so
	# every probe gets its answer.
	lab_require traceroute
	TARGET=$LAB_SRV_NET.200
	lab_core
	lab_host local site "$LOCAL"
	lab_host r1 srv "$LAB_SRV_NET.1"
	lab_ns r2
	lab_ns target
	ip link add eth1 netns "$(lab_nsname r1)" type veth peer name eth0 netns "$(lab_nsname r2)" ||
	    lab_die "veth r1 <-> r2 failed"
	ip link add eth1 netns "$(lab_nsname r2)" type veth peer name eth0 netns "$(lab_nsname target)" ||
	    lab_die "veth r2 <-> target failed"
	ip -n "$(lab_nsname r1)" addr add "$LAB_SRV_NET.129/30" dev eth1
	ip -n "$(lab_nsname r2)" addr add "$LAB_SRV_NET.130/30" dev eth0
	ip -n "$(lab_nsname r2)" addr add "$LAB_SRV_NET.193/26" dev eth1
	ip -n "$(lab_nsname target)" addr add "$TARGET/26" dev eth0
	ip -n "$(lab_nsname r1)" link set eth1 up
	ip -n "$(lab_nsname r2)" link set eth0 up
	ip -n "$(lab_nsname r2)" link set eth1 up
	ip -n "$(lab_nsname target)" link set eth0 up
	ip -n "$(lab_nsname core)" route add "$LAB_SRV_NET.128/25" via "$LAB_SRV_NET.1"
	ip -n "$(lab_nsname r1)" route add "$LAB_SRV_NET.192/26" via "$LAB_SRV_NET.130"
	ip -n "$(lab_nsname r2)" route add default via "$LAB_SRV_NET.129"
	ip -n "$(lab_nsname target)" route add default via "$LAB_SRV_NET.193"
	lab_sysctl r1 net.ipv4.ip_forward=1
	lab_sysctl r2 net.ipv4.ip_forward=1
	for r in core r1 r2 target; do
		lab_sysctl "$r" net.ipv4.icmp_ratelimit=0
	done
	setup() {
		lab_bg target 60 "$log.listen.log" python3 "$here/ntplab.py" \
		    tcp-listen --secs 55 80
		lab_wait_for "$log.listen.log" 'listening' 10 ||
		    lab_die "tcp listener did not start: $(cat "$log.listen.log")"
	}
	traffic() {
		local how
		: >"$log.traceroute.log"
		for how in "" "-I" "-T -p 80"; do
			# shellcheck disable=SC2086 # the options are words
			lab_run local 30 traceroute -n -w 2 $how "$TARGET" >>"$log.traceroute.log" 2>&1 ||
			    lab_die "traceroute $how failed: $(tail -n 5 "$log.traceroute.log")"
			sleep 1
		done
		[ "$(grep -cE "^ 4  $TARGET " "$log.traceroute.log")" -eq 3 ] ||
		    lab_die "traceroute did not reach $TARGET in 4 hops: $(cat "$log.traceroute.log")"
	}
	;;
*)
	lab_die "unknown scenario '$name'"
	;;
esac

bin=${NTPSLEUTH:-$LAB_TOP/ntpsleuth}
# Some scenarios are also watched live: ntpsleuth captures on the same
# interface as tcpdump (libpcap, its capture thread and ring) and reports
# on SIGINT; its verdicts are checked against the same EXPECT lines.
case $name in
ntp-nat|syn-scan|udp-flood|monlist-amplifier|nflog) LIVE=${LAB_LIVE:-1} ;;
*) LIVE= ;;
esac
[ -x "$bin" ] && [ -z "${LAB_RECORD_ONLY:-}" ] || LIVE=

setup
if [ -n "$LIVE" ]; then
	# The text summary too (--export), for what a reader sees of it, in
	# a folder the user ntpsleuth drops to (nobody) can write to.
	mkdir -p "$LAB_TMP/live" && chmod 777 "$LAB_TMP/live"
	lab_bg "$CAP_ROLE" 150 "$log.live.log" sh -c 'exec "$0" -i "$1" --report=json --no-lookups --local "$2" --export "$4" --force >"$3"' \
	    "$bin" "${LIVE_IF:-$CAP_IF}" "$LOCAL_CIDR" "$log.live.json" "$LAB_TMP/live/summary.txt"
	LIVE_PID=$LAB_LAST_PID
	lab_wait_for "$log.live.log" 'listening on' 10 ||
	    lab_die "ntpsleuth did not start capturing: $(cat "$log.live.log")"
fi
lab_capture_start "$CAP_ROLE" "$CAP_IF" "$pcap" "$CAP_MAX" 120
traffic
lab_capture_stop
# A scenario may cut its capture (to where the case it tests begins).
if declare -F captured >/dev/null; then
	captured
fi
if [ -n "$LIVE" ]; then
	lab_stop "$LIVE_PID" INT
	cp "$LAB_TMP/live/summary.txt" "$log.live.txt" 2>/dev/null ||
	    echo "no text summary from the live run" >"$log.live.txt"
fi

summary=$(lab_summary "$pcap")
echo "capture: $summary"
echo "tcpdump: $(cat "$LAB_TMP/capstats")"
packets=$(lab_count "$pcap")
took=$(lab_elapsed)

if [ -n "${LAB_RECORD_ONLY:-}" ]; then
	echo "PASS $name: recorded only, $packets packets in ${took}s"
	exit 0
fi

if [ ! -x "$bin" ]; then
	echo "SKIP $name: recorded $packets packets in ${took}s; no ntpsleuth binary at $bin (set NTPSLEUTH)"
	exit "$LAB_SKIP"
fi
python3 "$here/check.py" --ntpsleuth "$bin" --scenario "$name" \
    --pcap "$pcap" --local "$LOCAL_CIDR" --packets "$packets" \
    --expect "$here/EXPECT" --json-out "$log.json"
rc=$?
# The same capture as flow records: softflowd's NetFlow v9 and IPFIX of
# it give the packets' verdicts, where flow records can tell
# (tests/flow/lab-flows.sh, tests/flow/LAB-DIFF).
case $name in
nflog) echo "flows: not compared: an NFLOG capture (softflowd reads Ethernet frames)" ;;
proto-scans) echo "flows: not compared: softflowd exports nmap -sO's and -sY's probes as records of made-up addresses, different each run" ;;
*)
	if [ $rc -eq 0 ]; then
		NTPSLEUTH=$bin sh "$here/../flow/lab-flows.sh" "$name" "$pcap" "$LOCAL_CIDR" \
		    "$log.json" "$log" || rc=1
	fi
	;;
esac
if [ -n "$LIVE" ]; then
	echo "live: ntpsleuth -i ${LIVE_IF:-$CAP_IF}: $(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]; print("%d packets, %d dropped" % (t["packets"], t["dropped"]))' "$log.live.json" 2>&1)"
	python3 "$here/check.py" --json "$log.live.json" --scenario "$name" \
	    --local "$LOCAL_CIDR" --expect "$here/EXPECT" || rc=1
	# The text summary names the rules that logged each host's packets.
	case $name in
	nflog)
		for want in "Firewall rules that logged it: drop-ntp " \
		    "Firewall rules that logged it: drop-syn "; do
			if grep -qF "$want" "$log.live.txt"; then
				echo "ok   live text: $(grep -F "$want" "$log.live.txt" | sed 's/^ *//')"
			else
				echo "FAIL live text: no line \"$want...\" in $log.live.txt"
				rc=1
			fi
		done
		;;
	esac
fi
took=$(lab_elapsed)
case $rc in
0) echo "PASS $name: $packets packets, ${took}s" ;;
*) echo "FAIL $name: verdicts differ from EXPECT ($packets packets, ${took}s)"; rc=1 ;;
esac
exit $rc
