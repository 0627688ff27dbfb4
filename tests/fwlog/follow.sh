#!/bin/sh
# --fwlog FILE --follow: lines appended while ntpsleuth runs are read, and
# so are those of the new file after a rotation (mv, then a new file by the
# same name, as logrotate does) and after a truncation. Bounded: about 6 s.
set -u
bin=${NTPSLEUTH:-./ntpsleuth}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ntpsleuth-follow.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# ntpsleuth drops privileges after opening the file: the rotated one must
# be readable by that user too.
chmod 755 "$tmp"
log="$tmp/filter.log"
line() { # port
	printf 'Nov 24 05:01:%02d gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.10 DST=192.0.2.5 LEN=76 TOS=0x00 PREC=0x00 TTL=57 ID=1 DF PROTO=UDP SPT=123 DPT=%d LEN=56\n' $(($1 % 60)) "$1"
}
umask 022
for p in 40001 40002 40003; do line $p; done >"$log"
"$bin" --fwlog "$log" --follow --duration 5 --report=json --no-lookups \
	--local 192.0.2.0/24 >"$tmp/out.json" 2>"$tmp/err" &
pid=$!
sleep 1
for p in 40004 40005; do line $p; done >>"$log"
sleep 1
mv "$log" "$log.1"
for p in 40006 40007; do line $p; done >"$log"
sleep 1.5
line 40008 >>"$log"
sleep 1
: >"$log"			# truncated
line 40009 >>"$log"
wait $pid
rc=$?
python3 - "$tmp/out.json" "$rc" <<'PY' || { cat "$tmp/err" >&2; exit 1; }
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sources"][0]
ports = sorted(e["local_port"] for h in d["hosts"] for e in h["exchanges"])
ok = sys.argv[2] == "0" and s["frames"] == 9 and ports == list(range(40001, 40010))
print("follow: exit %s, %d records read, local ports %s" % (sys.argv[2], s["frames"], ports))
sys.exit(0 if ok else 1)
PY
status=$?
[ $status -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $status
