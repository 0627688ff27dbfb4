# Sourced (sh): softflowd exporting a capture file, as the flow tests and
# the lab run it.
#
# sf_export CAPTURE HOST:PORT VERSION DIR [softflowd options]: softflowd
# reads CAPTURE and exports NetFlow v5 (5), v9 (9) or IPFIX (10) to
# HOST:PORT (several: comma-separated); returns when softflowd has exited (at most 20 s), its log in
# DIR/log. softflowd 1.1.0 reads a capture file only when its control
# socket wakes its poll loop: `softflowctl statistics` every 100 ms until
# it exits at the end of the file. Pass -a for the export clock to be the
# capture's, as a router's is its traffic's.
sf_export() {
	_sf_in=$1 _sf_to=$2 _sf_v=$3 _sf_d=$4
	shift 4
	mkdir -p "$_sf_d"
	timeout 20 softflowd -d -r "$_sf_in" -n "$_sf_to" -v "$_sf_v" -p "$_sf_d/pid" \
		-c "$_sf_d/ctl" "$@" >"$_sf_d/log" 2>&1 &
	_sf_pid=$!
	for _ in $(seq 1 100); do [ -S "$_sf_d/ctl" ] && break; sleep 0.05; done
	for _ in $(seq 1 200); do
		[ -S "$_sf_d/ctl" ] || break
		softflowctl -c "$_sf_d/ctl" statistics >/dev/null 2>&1 || true
		sleep 0.1
	done
	wait "$_sf_pid" || true
}
