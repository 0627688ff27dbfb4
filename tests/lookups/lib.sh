# Shared by the lookup test scripts: a private temporary folder and cache,
# loopback servers started in the background and stopped on exit.
# Sourced; expects $srcdir from the automake test harness.

srcdir=${srcdir:-.}
LK_CHECK=./tests/lookups/lk_check
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ntpsleuth-lk.XXXXXX") || exit 99
PIDS=
# Never the user's real cache.
XDG_CACHE_HOME=$TMP/cache
export XDG_CACHE_HOME

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap "exit 130" INT TERM

skip() {
	echo "SKIP: $*"
	exit 77
}

need_python() {
	command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
}

# start NAME CMD...: run CMD in the background (bounded by timeout), wait
# for its first line of output (the port it listens on), put it in $NAME.
start() {
	name=$1
	shift
	out=$TMP/$name.out
	timeout 300 "$@" >"$out" 2>"$TMP/$name.err" &
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$out" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	line=$(head -n 1 "$out")
	[ -n "$line" ] || { echo "FAIL: $name did not start"; cat "$TMP/$name.err"; exit 99; }
	eval "$name=\$line"
}

# A free UDP port on 127.0.0.1 (for daemons that want one in their config).
free_udp_port() {
	python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
