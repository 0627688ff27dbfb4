#!/bin/sh
# --fwlog FILE --follow: lines appended while ntpsleuth runs are read, and
# so are those of a new file after a rotation (mv and a new file, as
# logrotate does), and those after a truncation; the report at the end
# of --duration counts them all. A few seconds.
srcdir=${srcdir:-.}
NTPSLEUTH=${NTPSLEUTH:-./ntpsleuth}
LOG=$srcdir/tests/fwlog/nft.syslog
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ntpsleuth-follow.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT INT TERM
# Run as root, ntpsleuth drops to another user, who must reach the files.
chmod 755 "$TMP"

fail() {
	echo "FAIL: $*"
	echo "---- stderr ----"
	cat "$TMP/stderr"
	exit 1
}

command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3 to read the report"; exit 77; }
[ "$(wc -l < "$LOG")" -ge 70 ] || fail "$LOG is shorter than the test wants"
# Each line once, in order: what reading lines 1 to 70 in one piece gives.
want=$(sed -n 1,70p "$LOG" | "$NTPSLEUTH" --fwlog - --report=json --no-lookups \
	--local 192.0.2.1 --local 2001:db8:2::1 |
	python3 -c 'import json, sys; s = json.load(sys.stdin)["sources"][0]; print(s["frames"], s["log_lines"])')

sed -n 1,20p "$LOG" > "$TMP/filter.log"
"$NTPSLEUTH" --fwlog "$TMP/filter.log" --follow --report=json --duration 4 --no-lookups \
	--local 192.0.2.1 --local 2001:db8:2::1 > "$TMP/report.json" 2> "$TMP/stderr" &
pid=$!
sleep 1
sed -n 21,40p "$LOG" >> "$TMP/filter.log"
sleep 0.7
mv "$TMP/filter.log" "$TMP/filter.log.1"
sed -n 41,60p "$LOG" > "$TMP/filter.log"
sleep 0.7
sed -n 61,70p "$LOG" >> "$TMP/filter.log"
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc"
got=$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["sources"][0]; print(s["frames"], s["log_lines"])' \
	"$TMP/report.json") || fail "no report"
[ "$got" = "$want" ] || fail "records and lines: got $got, want $want (lines 1-70 of $LOG)"
grep -q "following $TMP/filter.log" "$TMP/stderr" || fail "no 'following' message"

# Truncation: the file cut to nothing and written again is read from 0.
sed -n 21,30p "$LOG" > "$TMP/t.log"
"$NTPSLEUTH" --fwlog "$TMP/t.log" --follow --report=json --duration 3 --no-lookups \
	--local 192.0.2.1 > "$TMP/report.json" 2> "$TMP/stderr" &
pid=$!
sleep 1
: > "$TMP/t.log"
sleep 0.6
sed -n 31,35p "$LOG" >> "$TMP/t.log"
wait "$pid" || fail "exit status $? (truncation)"
lines=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["sources"][0]["log_lines"])' \
	"$TMP/report.json")
[ "$lines" = 15 ] || fail "after a truncation: $lines lines read, want 15"

# --follow wants --fwlog; a gzip file is read once, and said so.
"$NTPSLEUTH" -r /dev/null --follow 2> "$TMP/stderr" && fail "--follow without --fwlog was taken"
grep -q -- "--follow reads a firewall log" "$TMP/stderr" || fail "no message for --follow without --fwlog"
"$NTPSLEUTH" --fwlog "$srcdir/tests/fwlog/ntp-late.journal.gz" --follow --report=json \
	--duration 1 --no-lookups > "$TMP/report.json" 2> "$TMP/stderr" || fail "gzip with --follow: exit $?"
grep -q "gzip-compressed: read once, not followed" "$TMP/stderr" || fail "no message for a gzip file"
echo "PASS: follow"
