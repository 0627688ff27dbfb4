#!/bin/sh
# The NTP probe and the self-check against a small responder on loopback
# (vulnerable, patched, kiss-o'-death), then against a real chronyd.
. "${srcdir:-.}/tests/lookups/lib.sh"
need_python
start VULN_PORT python3 "$srcdir/tests/lookups/ntp_responder.py" vulnerable
start PATCHED_PORT python3 "$srcdir/tests/lookups/ntp_responder.py" patched
start KOD_PORT python3 "$srcdir/tests/lookups/ntp_responder.py" kod
$LK_CHECK ntp "$VULN_PORT" "$PATCHED_PORT" "$KOD_PORT" || exit 1

# A real chronyd, safely: -x (never touch the clock) and no CAP_SYS_TIME at
# all, an unprivileged port, its own config, bounded by timeout.
if ! command -v chronyd >/dev/null 2>&1 || ! command -v setpriv >/dev/null 2>&1; then
	echo "# skip: chronyd or setpriv is not installed: no real-server check"
	exit 0
fi
port=$(free_udp_port)
cat >"$TMP/chrony.conf" <<EOC
port $port
bindaddress 127.0.0.1
allow 127.0.0.1
cmdport 0
local stratum 8
pidfile $TMP/chronyd.pid
EOC
: >"$TMP/chronyd.log"
timeout 60 setpriv --bounding-set -sys_time --inh-caps -sys_time \
	chronyd -x -d -f "$TMP/chrony.conf" -u "$(id -un)" >"$TMP/chronyd.log" 2>&1 &
PIDS="$PIDS $!"
i=0
while ! grep -q "Disabled control of system clock" "$TMP/chronyd.log" && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if ! grep -q "Disabled control of system clock" "$TMP/chronyd.log"; then
	cat "$TMP/chronyd.log"
	echo "# skip: chronyd did not start here"
	exit 0
fi
$LK_CHECK chrony "$port"
exit $?
