#!/bin/sh
# The console on a firewall log: --fwlog FILE opens it as -r FILE does,
# with the log's hosts listed; --follow shows a host whose line is
# appended after the start; the export refuses a .pcapng of a log.
. "${srcdir:-.}/tests/tui/lib.sh"

LOG=$srcdir/tests/fwlog/nft.syslog
[ -r "$LOG" ] || skip "no $LOG"
# Run as root, ntpsleuth gives up root once the log is open.
chmod 0755 "$TMP"

start 100 24 -- --no-lookups --speed max --fwlog "$LOG" --local 192.0.2.1 --local 2001:db8:2::1
wait_for '^203\.0\.113\.5 +port-scan'
wait_for 'End of the log'
keys e C-u "$TMP/x.pcapng" Enter
wait_for 'A firewall log has no packets to export'
keys Escape
quit

# --follow: the first lines now, one more line of a new host later.
grep -v '198\.51\.100\.10\b' "$LOG" | sed -n 1,40p > "$TMP/filter.log"
line=$(grep -m1 'SRC=198\.51\.100\.10 ' "$LOG") || skip "no line of 198.51.100.10 in $LOG"
start 100 24 -- --no-lookups --fwlog "$TMP/filter.log" --follow --local 192.0.2.1 --local 2001:db8:2::1
wait_for 'following'
wait_for '^203\.0\.113\.5 '
absent '^198\.51\.100\.10 '
printf '%s\n' "$line" >> "$TMP/filter.log"
wait_for '^198\.51\.100\.10 '
quit
echo "PASS: console on a firewall log"
