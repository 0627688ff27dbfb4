#!/bin/sh
# ntpsleuth and FastNetMon side by side on the same flows
# (doc/fastnetmon.md). softflowd reads each capture (-r, -a: the
# capture's clock) and exports NetFlow v9, then IPFIX, to three
# collectors on loopback at once: ntpsleuth --flow, FastNetMon with its
# default thresholds and FastNetMon with thresholds tuned to these
# captures' rates. Prints the table of doc/fastnetmon.md.
#
# Checked: ntpsleuth's verdicts from the flows (the NTP server answering
# the clients behind NAT is "solicited", never an attack; the scanner a
# port-scan; the floods' sources a flood; the monlist victim
# amplifier-abuse). Only reported: what FastNetMon flags, which is
# FastNetMon's business, not this test's.
#
# FastNetMon runs without BGP (exabgp, gobgp off), without its API,
# Prometheus, Redis, MongoDB, InfluxDB, Graphite or usage report, with
# its own config, log, pid and stats files in a temporary folder; its
# "ban" only runs the notify script, which appends its arguments and the
# attack details to a file there. Every program runs under timeout.
# Skipped with a message (77) without fastnetmon or softflowd: the
# ntpsleuth side alone is tests/flow/flow.sh's.
#
#   FNM_MD=FILE   also write the table (markdown) to FILE
set -u
srcdir=${srcdir:-$(dirname "$0")/../..}
bin=${NTPSLEUTH:-./ntpsleuth}
PY=$(command -v python3) || { echo "SKIP: python3 is needed"; exit 77; }
for p in fastnetmon softflowd softflowctl; do
	command -v "$p" >/dev/null 2>&1 || {
		echo "SKIP: $p is not installed (Debian: apt-get install fastnetmon softflowd)"
		exit 77
	}
done
work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	[ -n "${FNM_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
LOCAL=192.0.2.0/24	# the captures' local side (the table names 192.0.2.* local)

port() {
	"$PY" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# fnm_conf DIR PORT default|tuned: a FastNetMon configuration in DIR.
# Default: the thresholds of Debian's /etc/fastnetmon.conf (20,000 pps,
# 1,000 Mbit/s; flows not checked) and its 5 s average. Tuned to these
# captures (floods of 2,000-5,000 packets/s for under a second, a
# monlist answer stream of 7.5 Mbit/s): 1,000 pps, 5 Mbit/s, 500 flows/s
# (flows checked), averaged over 1 s, so that a burst shorter than the
# average is not divided by it.
fnm_conf() {
	d=$1 p=$2
	mkdir -p "$d"
	echo "$LOCAL" >"$d/networks"
	: >"$d/whitelist"
	cat >"$d/notify.sh" <<-EOF
	#!/bin/sh
	# FastNetMon's notify script: IP, direction, pps, action; details on stdin.
	{ echo "== \$*"; cat; echo; } >>"$d/notify.log"
	EOF
	chmod 755 "$d/notify.sh"
	if [ "$3" = default ]; then
		th="threshold_pps = 20000
threshold_mbps = 1000
threshold_flows = 3500
ban_for_flows = off
average_calculation_time = 5"
	else
		th="threshold_pps = 1000
threshold_mbps = 5
threshold_flows = 500
ban_for_flows = on
average_calculation_time = 1"
	fi
	cat >"$d/fastnetmon.conf" <<-EOF
	logging_level = info
	logging_local_syslog_logging = off
	logging_remote_syslog_logging = off
	disable_usage_report = on
	enable_ban = on
	enable_ban_ipv6 = off
	process_incoming_traffic = on
	process_outgoing_traffic = on
	ban_details_records_count = 20
	ban_time = 1900
	unban_only_if_attack_finished = on
	networks_list_path = $d/networks
	white_list_path = $d/whitelist
	check_period = 1
	enable_connection_tracking = on
	ban_for_pps = on
	ban_for_bandwidth = on
	$th
	ban_for_tcp_bandwidth = off
	ban_for_udp_bandwidth = off
	ban_for_icmp_bandwidth = off
	ban_for_tcp_pps = off
	ban_for_udp_pps = off
	ban_for_icmp_pps = off
	speed_calculation_delay = 1
	mirror_afpacket = off
	mirror_afxdp = off
	mirror_netmap = off
	pcap = off
	sflow = off
	netflow = on
	netflow_host = 127.0.0.1
	netflow_port = $p
	netflow_sampling_ratio = 1
	interfaces =
	notify_script_enabled = on
	notify_script_path = $d/notify.sh
	collect_attack_pcap_dumps = off
	redis_enabled = off
	mongodb_enabled = off
	exabgp = off
	gobgp = off
	influxdb = off
	graphite = off
	kafka_traffic_export = off
	monitor_local_ip_addresses = off
	monitor_openvz_vps_ip_addresses = off
	pid_path = $d/fastnetmon.pid
	cli_stats_file_path = $d/fastnetmon.dat
	cli_stats_ipv6_file_path = $d/fastnetmon_ipv6.dat
	enable_api = off
	prometheus = off
	sort_parameter = packets
	max_ips_in_list = 7
	EOF
}

fnm_start() {	# dir
	timeout 30 fastnetmon --configuration_file "$1/fastnetmon.conf" \
	    --log_file "$1/fastnetmon.log" --disable_pid_logic >"$1/out" 2>&1 &
	echo $! >"$1/pid"
	pids="$pids $!"
	for _ in $(seq 1 50); do
		grep -q "netflow plugin will listen" "$1/fastnetmon.log" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "FastNetMon did not start:"; tail -n 5 "$1/fastnetmon.log" "$1/out"
	return 1
}

fnm_stop() {	# dir
	p=$(cat "$1/pid")
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
}

# shellcheck source=softflowd.sh
. "$srcdir/tests/flow/softflowd.sh"

# scenario SLUG NAME CAPTURE CHECKS: CHECKS are "HOST=VERDICT" (the verdict
# ntpsleuth must give from the flows), "HOST!=VERDICT,VERDICT" (must not,
# and the host must be in the report) or "HOST:amp>=N" (the local UDP
# service's answers to it at least N times the bytes of its requests).
fail=0 pass=0
: >"$work/rows"
scenario() {	# slug name capture checks
	slug=$1 name=$2 cap=$3 checks=$4
	for v in 9 10; do
		r="$work/$slug.v$v"
		mkdir -p "$r"
		pn=$(port) pd=$(port) pt=$(port)
		fnm_conf "$r/default" "$pd" default
		fnm_conf "$r/tuned" "$pt" tuned
		fnm_start "$r/default" && fnm_start "$r/tuned" || { fail=$((fail + 1)); continue; }
		timeout 30 "$bin" --flow "udp:127.0.0.1:$pn" --local "$LOCAL" --report=json \
		    --no-lookups --duration 4 -Z root >"$r/ntpsleuth.json" 2>"$r/ntpsleuth.err" &
		npid=$!
		pids="$pids $npid"
		for _ in $(seq 1 50); do
			grep -q "listening on" "$r/ntpsleuth.err" 2>/dev/null && break
			sleep 0.1
		done
		# -a: the export's clock is the capture's, as a router's is its traffic's
		sf_export "$srcdir/$cap" "127.0.0.1:$pn,127.0.0.1:$pd,127.0.0.1:$pt" "$v" \
		    "$r/softflowd" -a
		wait "$npid"
		# FastNetMon checks every second (check_period 1); give it
		# three more after the last record.
		sleep 3
		fnm_stop "$r/default"
		fnm_stop "$r/tuned"
		if "$PY" - "$name" "$v" "$r" "$checks" >>"$work/rows" <<-'EOF'
		import json, re, sys
		name, v, r, checks = sys.argv[1:5]
		rep = json.load(open(f"{r}/ntpsleuth.json"))
		hosts = {h["address"]: h for h in rep["hosts"]}
		inc = {}
		for i in rep.get("incidents", []):
		    inc.setdefault(i.get("local"), []).append(i["kind"])
		def fnm(kind):
		    """host -> what FastNetMon said: direction, pps, attack type."""
		    out = {}
		    try:
		        text = open(f"{r}/{kind}/notify.log").read()
		    except FileNotFoundError:
		        return out
		    for block in text.split("== ")[1:]:
		        head, _, body = block.partition("\n")
		        a = head.split()
		        if len(a) < 4 or a[3] != "ban":
		            continue
		        t = re.search(r"^Attack type: (.*)$", body, re.M)
		        proto = re.search(r"^Attack protocol: (.*)$", body, re.M)
		        out[a[0]] = f"{a[1]} {a[2]} pps, {t.group(1) if t else '?'}" + \
		            (f" ({proto.group(1)})" if proto and proto.group(1) != "unknown" else "")
		    return out
		fd, ft = fnm("default"), fnm("tuned")
		bad = []
		for c in checks.split():
		    if ":amp>=" in c:
		        # the answers' bytes over the requests' (udp_service)
		        host, want = c.split(":amp>=")
		        u = hosts.get(host, {}).get("udp_service") or {}
		        got = u.get("answer_bytes_out", 0) / max(u.get("request_bytes_in", 0), 1)
		        if got < float(want):
		            bad.append(f"{host}: amplification {got:.0f}x, expected >= {want}x")
		        continue
		    host, want = re.split(r"!?=", c, maxsplit=1)
		    got = hosts.get(host, {}).get("verdict", "-")
		    if "!=" in c:
		        ok = got != "-" and got not in want.split(",")
		    else:
		        ok = got == want
		    if not ok:
		        bad.append(f"{host}: {got}, expected {'not ' if '!=' in c else ''}{want}")
		addrs = sorted(set(hosts) | set(fd) | set(ft) | {c for c in inc if c})
		for a in addrs:
		    h = hosts.get(a)
		    if h:
		        nv = f"{h['verdict']} ({h['confidence']:.2f})"
		    elif a.startswith("192.0.2."):
		        nv = "(local: ntpsleuth judges the remote side)"
		    else:
		        nv = "-"
		    if a in inc:
		        nv = "incident " + ", ".join(inc[a])
		    print(f"| {name} | v{v} | {a} | {nv} | {fd.get(a, '-')} | {ft.get(a, '-')} |")
		for b in bad:
		    print(f"FAIL {name} v{v} {b}", file=sys.stderr)
		sys.exit(1 if bad else 0)
		EOF
		then
			echo "ok   $name NetFlow v$v: ntpsleuth's verdicts"; pass=$((pass + 1))
		else
			echo "FAIL $name NetFlow v$v"; fail=$((fail + 1))
			tail -n 3 "$r/ntpsleuth.err"
		fi
	done
}

t0=$(date +%s)
# The server answering the NTP clients behind NAT; the NTP client of
# ours; the SYN scan (assets/lab-nat.pcap, doc/flow.md).
scenario lab-nat "NTP clients behind NAT + scan" assets/lab-nat.pcap \
    "198.51.100.10=solicited 198.51.100.10!=flood,amplifier-abuse,reflection-flood 203.0.113.20=serving 203.0.113.30=port-scan"
scenario syn-scan "SYN scan (nmap -sS)" tests/captures/syn-scan-small.pcap "203.0.113.30=port-scan"
scenario syn-flood "SYN flood (hping3 -S)" tests/captures/syn-flood-small.pcap "203.0.113.41=flood"
scenario udp-flood "UDP flood (hping3 --udp)" tests/captures/udp-flood-small.pcap "203.0.113.40=flood"
# Flows carry no NTP mode: amplifier-abuse from the answers' size and
# the 1,300x of bytes (rule 1c, doc/flow.md).
scenario monlist "monlist amplifier (ours, spoofed victim)" tests/captures/monlist-amp-small.pcap \
    "198.51.100.66=amplifier-abuse 198.51.100.66:amp>=100"

{
	echo "| scenario | export | host | ntpsleuth verdict (confidence) | FastNetMon, default thresholds | FastNetMon, tuned thresholds |"
	echo "| --- | --- | --- | --- | --- | --- |"
	cat "$work/rows"
} >"$work/table.md"
cat "$work/table.md"
[ -n "${FNM_MD:-}" ] && cp "$work/table.md" "$FNM_MD"
echo "FastNetMon $(fastnetmon --version 2>&1 | sed -n 's/^Version: *\([^ ]*\).*/\1/p' | head -n 1)," \
    "softflowd $(softflowd -h 2>&1 | sed -n 's/.*softflowd version \([0-9.]*[0-9]\).*/\1/p' | head -n 1)"
echo "fastnetmon: $pass passed, $fail failed in $(($(date +%s) - t0)) s"
[ $fail -gt 0 ] && exit 1
exit 0
