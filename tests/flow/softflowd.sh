# softflowd_export DIR VERSION CAPTURE DESTINATIONS [softflowd options]:
# softflowd reads CAPTURE and exports it as NetFlow VERSION (5, 9, 10 for
# IPFIX) to DESTINATIONS (host:port, comma-separated), its pid file,
# control socket and log in DIR. Sourced by tests/flow/flow.sh and
# tests/flow/fastnetmon.sh.
#
# softflowd 1.1.0 reads a capture file only when its control socket
# wakes its poll loop: softflowctl is called every 100 ms until it
# exports everything and exits at the end of the file.
softflowd_export() {
	sf_d=$1 sf_v=$2 sf_cap=$3 sf_to=$4
	shift 4
	mkdir -p "$sf_d"
	timeout 20 softflowd -d -r "$sf_cap" -n "$sf_to" -v "$sf_v" -p "$sf_d/pid" -c "$sf_d/ctl" "$@" \
		>"$sf_d/log" 2>&1 &
	sf_pid=$!
	for _ in $(seq 1 100); do [ -S "$sf_d/ctl" ] && break; sleep 0.05; done
	for _ in $(seq 1 100); do
		[ -S "$sf_d/ctl" ] || break
		softflowctl -c "$sf_d/ctl" statistics >/dev/null 2>&1
		sleep 0.1
	done
	wait "$sf_pid"
}
