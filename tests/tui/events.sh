#!/bin/sh
# The console with --events FILE: the replay, paced (--speed 20), writes
# the same lines as the batch run of the same file, the last ones when 'q'
# quits; the file is in a folder only root may write to, opened before
# the console gives up root.
. "${srcdir:-.}/tests/tui/lib.sh"

cap=$ASSETS/lab-nat.pcap
[ -f "$cap" ] || skip "no $cap"
PY=$(command -v python3) || skip "python3 is needed"
chk=$srcdir/tests/events-check.py
chmod 0700 "$TMP"
"$NTPSLEUTH" -r "$cap" -l 192.0.2.1/32 --no-lookups --events "$TMP/batch.ev" >/dev/null 2>&1 ||
	fail "the batch run failed"
start 100 30 -- --no-lookups --speed 20 -l 192.0.2.1/32 -r "$cap" --events "$TMP/console.ev"
wait_for '^203\.0\.113\.30 .*port-scan'
grep -q '"host":"203.0.113.30","old_verdict":"undetermined","verdict":"port-scan"' \
    "$TMP/console.ev" || fail "the scanner's line is not there while the console runs"
wait_for '^198\.51\.100\.10 .*solicited'
quit
"$PY" "$chk" lines "$TMP/console.ev" >"$TMP/msg" 2>&1 || fail "$(cat "$TMP/msg")"
"$PY" "$chk" strip "$TMP/batch.ev" >"$TMP/batch.s"
"$PY" "$chk" strip "$TMP/console.ev" >"$TMP/console.s"
cmp -s "$TMP/batch.s" "$TMP/console.s" ||
	fail "the console's lines differ from the batch run's: $(diff "$TMP/batch.s" "$TMP/console.s")"
echo "PASS: events from the console ($(wc -l <"$TMP/console.ev") lines, as the batch run's)"
