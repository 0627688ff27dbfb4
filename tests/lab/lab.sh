# lab.sh: a small network in network namespaces for ntpsleuth's
# end-to-end scenarios.  Source it from a bash script, then:
#
#	lab_init NAME			# checks, per-run names, cleanup on exit
#	lab_core			# the "internet" router and its three segments
#	lab_host ROLE SEG ADDR...	# a host namespace on segment site|srv|atk
#	lab_nat ROLE INSIDE_ROLE	# NAT router on "site" + one inside client
#	lab_nflog_drops ROLE GROUP...	# drop NTP replies and SYNs, logged to NFLOG
#	lab_chronyd ROLE server|client SECS [SERVER]
#	lab_capture_start ROLE IF FILE MAXPKTS SECS; ...; lab_capture_stop
#	lab_run ROLE SECS CMD...	# run in a namespace, bounded by timeout
#	lab_bg ROLE SECS LOG CMD...	# same in the background (pid in LAB_LAST_PID)
#	lab_summary FILE		# one line: packets, duration, protocol mix
#
# Topology (every address in a documentation range except inside the NAT):
#
#	site 192.0.2.0/24     (the admin's side: local host or NAT router)
#	srv  198.51.100.0/24  (NTP servers, reflectors, victims)
#	atk  203.0.113.0/24   (scanners, spoofers, remote clients)
#	inside 192.168.100.0/24 behind the NAT router
#
# "core" routes between the three segments; each segment is a bridge in
# core, .254 being core's address on it.  Veth pairs are created directly
# inside the namespaces, so the host namespace gets no link and no route
# into the lab, and interface names only have to be unique per namespace:
# two scenarios can run side by side.
#
# Safety: every process runs under timeout(1); NTP daemons run with -x and
# without CAP_SYS_TIME in their bounding set (the clock is not namespaced).

LAB_SITE_NET=192.0.2
LAB_SRV_NET=198.51.100
LAB_ATK_NET=203.0.113
LAB_INSIDE_NET=192.168.100

# Exit codes understood by automake's test harness.
LAB_SKIP=77
LAB_HARD=99

lab_log()
{
	printf '%s: %s\n' "${LAB_NAME:-lab}" "$*" >&2
}

lab_skip()
{
	printf 'SKIP: %s: %s\n' "${LAB_NAME:-lab}" "$*"
	exit "$LAB_SKIP"
}

lab_die()
{
	printf 'ERROR: %s: %s\n' "${LAB_NAME:-lab}" "$*" >&2
	exit "$LAB_HARD"
}

# lab_require CMD...: skip the scenario when a program is missing.
lab_require()
{
	local c missing=
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
	done
	[ -z "$missing" ] || lab_skip "missing program(s):$missing"
}

# Python with scapy: the pyenv python3 first on PATH here has no scapy,
# Debian's python3-scapy lives under /usr/bin/python3.
lab_scapy_python()
{
	local py
	for py in /usr/bin/python3 python3; do
		if "$py" -c 'import scapy.layers.ntp' >/dev/null 2>&1; then
			command -v "$py"
			return 0
		fi
	done
	return 1
}

# lab_init NAME: per-run names, output folder and cleanup trap.
# LAB_TOP is the build folder (where tests/out/ goes); LAB_SRC the folder
# of these scripts.
lab_init()
{
	LAB_NAME=$1
	[ "$(id -u)" = 0 ] || lab_skip "needs root (network namespaces)"
	command -v ip >/dev/null 2>&1 || lab_skip "no ip(8) (iproute2)"
	ip netns list >/dev/null 2>&1 || lab_skip "ip netns unavailable"
	lab_require timeout setpriv tcpdump

	LAB_SRC=${LAB_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
	if [ -z "${LAB_TOP:-}" ]; then
		if [ -e "$PWD/Makefile" ] || [ -d "$PWD/tests/lab" ]; then
			LAB_TOP=$PWD
		else
			LAB_TOP=$(cd "$LAB_SRC/../.." && pwd)
		fi
	fi
	LAB_OUT=${LAB_OUT:-$LAB_TOP/tests/out/lab}
	mkdir -p "$LAB_OUT" || lab_die "cannot create $LAB_OUT"
	# Names are unique per run: scenario name and our pid.
	LAB_PREFIX="nsl-$LAB_NAME-$$"
	LAB_TMP=$(mktemp -d "/tmp/$LAB_PREFIX.XXXXXX") || lab_die "mktemp failed"
	# chronyd drops to _chrony and must still reach its own files.
	chmod 755 "$LAB_TMP"
	LAB_NS=()
	LAB_PIDS=()
	LAB_CORE_PORTS=0
	LAB_START=$(date +%s.%N)
	trap lab_cleanup EXIT
	trap 'exit 130' INT TERM HUP

	# Probe once that namespaces really work here (a container may list
	# them but refuse to create one).
	if ! ip netns add "$LAB_PREFIX-probe" 2>"$LAB_TMP/probe.err"; then
		lab_skip "cannot create a network namespace: $(head -n 1 "$LAB_TMP/probe.err")"
	fi
	ip netns del "$LAB_PREFIX-probe"
}

lab_nsname()
{
	printf '%s-%s' "$LAB_PREFIX" "$1"
}

# lab_ns ROLE: a new namespace with loopback up.
lab_ns()
{
	local ns
	ns=$(lab_nsname "$1")
	ip netns add "$ns" || lab_die "ip netns add $ns failed"
	LAB_NS+=("$ns")
	ip -n "$ns" link set lo up
	# IPv4 only: without this every new link adds IPv6 neighbour and
	# multicast-listener chatter to the captures.
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
	return 0
}

# lab_sysctl ROLE KEY=VALUE...: sysctls inside a namespace (net.* only).
lab_sysctl()
{
	local ns kv
	ns=$(lab_nsname "$1")
	shift
	for kv in "$@"; do
		ip netns exec "$ns" sysctl -q -w "$kv" >/dev/null ||
		    lab_die "sysctl $kv in $ns failed"
	done
}

# lab_core: the internet router with one bridge per segment.
lab_core()
{
	local ns seg net
	lab_ns core
	ns=$(lab_nsname core)
	for seg in site srv atk; do
		net=$(lab_segnet "$seg")
		# No multicast snooping: it makes the bridge join 224.0.0.106
		# and send IGMP reports into every capture.
		ip -n "$ns" link add "br-$seg" type bridge mcast_snooping 0
		ip -n "$ns" addr add "$net.254/24" dev "br-$seg"
		ip -n "$ns" link set "br-$seg" up
	done
	# Spoofed sources (monlist scenario) must be forwarded.
	lab_sysctl core net.ipv4.ip_forward=1 \
	    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
}

lab_segnet()
{
	case $1 in
	site) echo "$LAB_SITE_NET" ;;
	srv) echo "$LAB_SRV_NET" ;;
	atk) echo "$LAB_ATK_NET" ;;
	*) lab_die "unknown segment $1" ;;
	esac
}

# lab_attach ROLE IF SEG ADDR...: a veth from namespace ROLE (named IF) to
# core's bridge for SEG, with the given addresses (/24 unless stated).
# The first address's segment gateway becomes the default route.
lab_attach()
{
	local role=$1 ifname=$2 seg=$3 ns core port net a
	shift 3
	ns=$(lab_nsname "$role")
	core=$(lab_nsname core)
	net=$(lab_segnet "$seg")
	LAB_CORE_PORTS=$((LAB_CORE_PORTS + 1))
	port="p$LAB_CORE_PORTS"
	ip link add "$ifname" netns "$ns" type veth peer name "$port" netns "$core" ||
	    lab_die "veth $ns/$ifname <-> core/$port failed"
	ip -n "$core" link set "$port" master "br-$seg"
	ip -n "$core" link set "$port" up
	for a in "$@"; do
		case $a in */*) ;; *) a="$a/24" ;; esac
		ip -n "$ns" addr add "$a" dev "$ifname"
	done
	ip -n "$ns" link set "$ifname" up
}

# lab_host ROLE SEG ADDR...: a host namespace on a segment, default route
# through core.
lab_host()
{
	local role=$1 seg=$2
	shift 2
	lab_ns "$role"
	lab_attach "$role" eth0 "$seg" "$@"
	ip -n "$(lab_nsname "$role")" route add default via "$(lab_segnet "$seg").254"
}

# lab_nat ROLE INSIDE_ROLE: router ROLE with wan0 = 192.0.2.1 on "site" and
# lan0 = 192.168.100.1, inside host INSIDE_ROLE = 192.168.100.2, nftables
# masquerade on wan0.
lab_nat()
{
	local role=$1 inside=$2 rns ins
	lab_ns "$role"
	lab_ns "$inside"
	rns=$(lab_nsname "$role")
	ins=$(lab_nsname "$inside")
	lab_attach "$role" wan0 site "$LAB_SITE_NET.1"
	ip -n "$rns" route add default via "$LAB_SITE_NET.254"
	ip link add lan0 netns "$rns" type veth peer name eth0 netns "$ins" ||
	    lab_die "veth $rns/lan0 <-> $ins/eth0 failed"
	ip -n "$rns" addr add "$LAB_INSIDE_NET.1/24" dev lan0
	ip -n "$rns" link set lan0 up
	ip -n "$ins" addr add "$LAB_INSIDE_NET.2/24" dev eth0
	ip -n "$ins" link set eth0 up
	ip -n "$ins" route add default via "$LAB_INSIDE_NET.1"
	lab_sysctl "$role" net.ipv4.ip_forward=1
	ip netns exec "$rns" nft -f - <<-'EOF' || lab_die "nft masquerade failed"
	table ip nat {
		chain postrouting {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "wan0" masquerade
		}
	}
	EOF
}

# lab_nflog_drops ROLE GROUP...: ROLE's own firewall drops, in its input
# chain, UDP from port 123 (log prefix "drop-ntp") and TCP SYNs ("drop-syn"),
# and logs each to every NFLOG GROUP (nfnetlink_log): one listener may
# bind a group, so ntpsleuth and tcpdump need one each.
lab_nflog_drops()
{
	local role=$1 g ntp= syn=
	shift
	for g in "$@"; do
		ntp="$ntp log prefix \"drop-ntp\" group $g"
		syn="$syn log prefix \"drop-syn\" group $g"
	done
	ip netns exec "$(lab_nsname "$role")" nft -f - <<-EOF || lab_die "nft log rules failed"
	table inet filter {
		chain input {
			type filter hook input priority filter; policy accept;
			udp sport 123$ntp drop
			tcp flags & (fin | syn | rst | ack) == syn$syn drop
		}
	}
	EOF
}

# lab_run ROLE SECS CMD...: run CMD in ROLE's namespace, killed after SECS
# (SIGTERM, then SIGKILL 2 s later).
lab_run()
{
	local ns secs=$2
	ns=$(lab_nsname "$1")
	shift 2
	timeout -k 2 "$secs" ip netns exec "$ns" "$@"
}

# lab_bg ROLE SECS LOG CMD...: as lab_run, in the background, output to LOG.
# The pid (timeout's) is in LAB_LAST_PID and is ended at cleanup.
lab_bg()
{
	local ns secs=$2 log=$3
	ns=$(lab_nsname "$1")
	shift 3
	timeout -k 2 "$secs" ip netns exec "$ns" "$@" >"$log" 2>&1 </dev/null &
	LAB_LAST_PID=$!
	LAB_PIDS+=("$LAB_LAST_PID")
}

# lab_stop PID [SIGNAL]: signal a process we started and wait for it.
lab_stop()
{
	local pid=$1 sig=${2:-TERM} _
	kill -s "$sig" "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -s KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# lab_wait_for FILE REGEX SECS: wait until FILE contains REGEX.
lab_wait_for()
{
	local file=$1 re=$2 secs=$3 _
	for _ in $(seq $((secs * 10))); do
		grep -qE "$re" "$file" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# lab_chronyd ROLE server|client SECS [SERVER_ADDR [POLL]]: chronyd in
# ROLE's namespace, with its own config, pid file and command socket in the
# run's temp folder; never allowed to set the clock (-x, no CAP_SYS_TIME).
# A client polls SERVER_ADDR every 2^POLL s (default 0: every second) from
# a new source port each time; a server answers anyone with "local
# stratum 10".
lab_chronyd()
{
	local role=$1 mode=$2 secs=$3 server=${4:-} poll=${5:-0} dir conf
	lab_require chronyd
	dir="$LAB_TMP/chrony-$role"
	mkdir -p "$dir"
	chown _chrony: "$dir" 2>/dev/null
	chmod 750 "$dir"
	conf="$dir/chrony.conf"
	{
		echo "pidfile $dir/chronyd.pid"
		echo "bindcmdaddress $dir/chronyd.sock"
		echo "cmdport 0"
		if [ "$mode" = server ]; then
			echo "allow all"
			echo "local stratum 10"
		else
			echo "server $server minpoll $poll maxpoll $poll"
			echo "port 0"
		fi
	} >"$conf"
	lab_bg "$role" "$secs" "$LAB_OUT/$LAB_NAME.chronyd-$role.log" \
	    setpriv --bounding-set -sys_time --inh-caps -sys_time \
	    chronyd -x -d -f "$conf"
	LAB_CHRONY_PID=$LAB_LAST_PID
	# chronyd writes its pid file once it has bound its sockets.
	local _
	for _ in $(seq 50); do
		[ -s "$dir/chronyd.pid" ] && return 0
		kill -0 "$LAB_CHRONY_PID" 2>/dev/null || break
		sleep 0.1
	done
	lab_die "chronyd ($role $mode) did not start: $(tail -n 3 "$LAB_OUT/$LAB_NAME.chronyd-$role.log")"
}

# lab_unpack_debs DIR PKG...: download PKGs with apt-get into DIR/debs
# and unpack them (not installed) into DIR/root; ntp/ntpc.py looks for
# libntpc.so next to itself first, so it is copied there.  Returns 1 with
# the reason in LAB_UNPACK_WHY.
lab_unpack_debs()
{
	local d=$1 deb lib
	shift
	rm -rf "$d"
	mkdir -p "$d/debs"
	# _apt must be able to write there, or apt warns.
	chmod 777 "$d/debs"
	if ! (cd "$d/debs" && timeout 120 apt-get download "$@") >"$d/download.log" 2>&1; then
		LAB_UNPACK_WHY="apt-get download $* failed: $(tail -n 1 "$d/download.log")"
		return 1
	fi
	for deb in "$d"/debs/*.deb; do
		dpkg-deb -x "$deb" "$d/root" || {
			LAB_UNPACK_WHY="dpkg-deb -x $deb failed"
			return 1
		}
	done
	lib=$(find "$d/root/usr/lib" -name 'libntpc.so*' -type f | head -n 1)
	[ -n "$lib" ] && cp "$lib" "$d/root/usr/lib/python3/dist-packages/ntp/libntpc.so"
	return 0
}

# lab_ntpdig_setup: find ntpsec's ntpdig and set LAB_NTPDIG (a command
# array).  Debian's ntpsec conflicts with chrony; its ntpdig and python3-ntp
# packages do not, but need not be installed: then they are downloaded
# with apt-get and unpacked (not installed) into tests/out/ntpsec/.
# Returns 1 (with the reason in LAB_NTPDIG_WHY) when neither works.
# shellcheck disable=SC2034 # LAB_NTPDIG_WHY is for the caller
lab_ntpdig_setup()
{
	local d="$LAB_TOP/tests/out/ntpsec" pydir
	if command -v ntpdig >/dev/null 2>&1; then
		LAB_NTPDIG=(ntpdig)
		return 0
	fi
	pydir="$d/root/usr/lib/python3/dist-packages"
	if [ ! -e "$pydir/ntp/libntpc.so" ] && ! lab_unpack_debs "$d" ntpsec-ntpdig python3-ntp; then
		LAB_NTPDIG_WHY=$LAB_UNPACK_WHY
		return 1
	fi
	LAB_NTPDIG=(env "PYTHONPATH=$pydir" /usr/bin/python3 "$d/root/usr/bin/ntpdig")
	if ! "${LAB_NTPDIG[@]}" --version >"$d/version.log" 2>&1; then
		LAB_NTPDIG_WHY="unpacked ntpdig does not run: $(tail -n 1 "$d/version.log")"
		return 1
	fi
	return 0
}

# lab_ntpsec_setup: ntpsec's ntpd and ntpq, in LAB_NTPD and LAB_NTPQ (a
# command array).  Debian's ntpsec conflicts with chrony (both provide
# time-daemon), so it is never installed: ntpsec and python3-ntp are
# downloaded with apt-get and unpacked (not installed) into
# tests/out/ntpsec-ntpd/, as for ntpdig above.  Returns 1 (with the reason
# in LAB_NTPSEC_WHY) when that fails.
# shellcheck disable=SC2034 # LAB_NTPSEC_WHY is for the caller
lab_ntpsec_setup()
{
	local d="$LAB_TOP/tests/out/ntpsec-ntpd" pydir
	pydir="$d/root/usr/lib/python3/dist-packages"
	if { [ ! -e "$pydir/ntp/libntpc.so" ] || [ ! -x "$d/root/usr/sbin/ntpd" ]; } &&
	    ! lab_unpack_debs "$d" ntpsec python3-ntp; then
		LAB_NTPSEC_WHY=$LAB_UNPACK_WHY
		return 1
	fi
	LAB_NTPD=$d/root/usr/sbin/ntpd
	LAB_NTPQ=(env "PYTHONPATH=$pydir" /usr/bin/python3 "$d/root/usr/bin/ntpq")
	if ! "$LAB_NTPD" --version >"$d/version.log" 2>&1 ||
	    ! "${LAB_NTPQ[@]}" --version >>"$d/version.log" 2>&1; then
		LAB_NTPSEC_WHY="unpacked ntpd or ntpq does not run: $(tail -n 1 "$d/version.log")"
		return 1
	fi
	return 0
}

# lab_capture_start ROLE IF FILE MAXPKTS SECS: tcpdump on IF in ROLE's
# namespace, packet-buffered (-U) without batching (--immediate-mode),
# stopping by itself after MAXPKTS packets or SECS seconds.  Returns once
# tcpdump is listening.
lab_capture_start()
{
	local role=$1 ifname=$2 file=$3 max=$4 secs=$5
	LAB_CAP_FILE=$file
	LAB_CAP_LOG="$LAB_TMP/tcpdump-$role-$ifname.log"
	rm -f "$file"
	# -Z root: Debian's tcpdump would drop to user tcpdump and then fail
	# to write under a root-owned build folder.  -B 32768 (KiB): with the
	# default 2 MiB buffer, a monlist answer (100 x 482 bytes back to back)
	# made the kernel drop a third of the packets.
	lab_bg "$role" "$secs" "$LAB_CAP_LOG" \
	    tcpdump -i "$ifname" -n -U --immediate-mode -B 32768 -s 0 \
	    -c "$max" -Z root -w "$file"
	LAB_CAP_PID=$LAB_LAST_PID
	lab_wait_for "$LAB_CAP_LOG" 'listening on' 10 ||
	    lab_die "tcpdump did not start: $(cat "$LAB_CAP_LOG")"
}

# lab_capture_stop: let the last packets arrive, then SIGINT tcpdump (timeout
# passes the signal on) and wait, so the file is complete.
lab_capture_stop()
{
	sleep 0.5
	lab_stop "$LAB_CAP_PID" INT
	grep -E 'packets (captured|received by filter|dropped by kernel)' "$LAB_CAP_LOG" |
	    tr '\n' ' ' | sed 's/ *$//' >"$LAB_TMP/capstats"
	[ -s "$LAB_CAP_FILE" ] || lab_die "no capture written to $LAB_CAP_FILE"
}

# lab_count FILE [DISPLAY_FILTER]: number of packets (matching the filter).
lab_count()
{
	if [ -n "${2:-}" ]; then
		tshark -n -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null | wc -l
	else
		capinfos -M -c -T -r "$1" 2>/dev/null | awk -F'\t' 'NR==1{print $2}'
	fi
}

# lab_summary FILE: one line for debugging: packets, duration, bytes and the
# mix of what is inside.  NTP is counted by port, not by tshark's label
# (which follows earlier conversations and can be wrong).
lab_summary()
{
	local f=$1 info
	if ! command -v capinfos >/dev/null 2>&1; then
		printf '%s: %s bytes (no capinfos for details)\n' "$f" "$(stat -c %s "$f")"
		return 0
	fi
	info=$(capinfos -M -T -r -c -u -d "$f" 2>/dev/null | tail -n 1)
	local pk dur by
	pk=$(printf '%s' "$info" | cut -f2)
	by=$(printf '%s' "$info" | cut -f3)
	dur=$(printf '%s' "$info" | cut -f4)
	local mix
	mix=$(tshark -n -r "$f" -T fields -e ip.proto -e udp.srcport -e udp.dstport \
	    -e tcp.flags.syn -e tcp.flags.ack -e icmp.type -e arp.opcode 2>/dev/null |
	    awk -F'\t' '
		# ICMP errors carry the inner header: first value is outer.
		{ split($1, p, ","); $1 = p[1]; split($2, p, ","); $2 = p[1]
		  split($3, p, ","); $3 = p[1] }
		$7 != ""		{ arp++; next }
		$1 == 17 && ($2 == 123 || $3 == 123) { ntp++; next }
		$1 == 17		{ udp++; next }
		$1 == 6 && $4 == 1 && $5 == 0 { syn++; next }
		$1 == 6			{ tcp++; next }
		$1 == 1			{ icmp++; next }
					{ other++ }
		END { printf "udp/123=%d udp-other=%d tcp-syn=%d tcp-other=%d icmp=%d arp=%d other=%d",
		    ntp, udp, syn, tcp, icmp, arp, other }')
	printf '%s: %s packets, %s s, %s bytes; %s\n' "$(basename "$f")" \
	    "$pk" "$dur" "$by" "$mix"
}

# lab_elapsed: seconds since lab_init.
lab_elapsed()
{
	awk -v a="$LAB_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

lab_cleanup()
{
	local rc=$? pid ns
	trap - EXIT INT TERM HUP
	for pid in "${LAB_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null && lab_stop "$pid" TERM
	done
	# Anything still inside our namespaces was started by this run.
	for ns in "${LAB_NS[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -s KILL "$pid" 2>/dev/null
		done
	done
	for ns in "${LAB_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "${LAB_TMP:-}" ] && [ -d "$LAB_TMP" ] && [ -z "${LAB_KEEP:-}" ]; then
		rm -rf "$LAB_TMP"
	fi
	exit "$rc"
}
