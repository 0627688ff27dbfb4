#!/bin/sh
# --export and --evidence: written atomically, named with their SHA-256,
# never overwriting without --force, and a failed write loses nothing.
srcdir=${srcdir:-$(dirname "$0")/..}
bin=${NTPSLEUTH:-./ntpsleuth}
cap="$srcdir/assets/lab-nat.pcap"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
# As root, ntpsleuth becomes nobody once its files are open: let it write here.
chmod 0777 "$t"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

"$bin" -r "$cap" --no-lookups --export "$t/s.md" --evidence "$t/e.pcapng" >"$t/out" 2>"$t/err"
check "exit 0" '[ $? -eq 0 ]'
check "summary written" '[ -s "$t/s.md" ] && grep -q "^# ntpsleuth session summary" "$t/s.md"'
check "scanner's verdict in it" 'grep -q "### 203.0.113.30: port-scan" "$t/s.md"'
check "thresholds in it" 'grep -q "## Thresholds used" "$t/s.md"'
check "no temporary file left" '[ $(ls "$t" | wc -l) -eq 4 ]'
sum=$(sha256sum "$t/e.pcapng" | cut -d" " -f1)
check "summary names the evidence by its SHA-256" 'grep -q "SHA-256 $sum" "$t/s.md"'
if command -v tshark >/dev/null 2>&1; then
	n=$(tshark -r "$t/e.pcapng" 2>/dev/null | wc -l)
	check "evidence holds the scanner's 600 packets ($n)" '[ "$n" -eq 600 ]'
	m=$(tshark -r "$t/e.pcapng" -Y "ip.addr==203.0.113.30" 2>/dev/null | wc -l)
	check "and only them" '[ "$m" -eq "$n" ]'
fi
cp "$t/s.md" "$t/keep"
"$bin" -r "$cap" --no-lookups --export "$t/s.md" >/dev/null 2>"$t/err"
check "refuses to overwrite (exit 1)" '[ $? -eq 1 ]'
check "says why" 'grep -q "exists; add --force" "$t/err"'
check "old file intact" 'cmp -s "$t/s.md" "$t/keep"'
"$bin" -r "$cap" --no-lookups --export "$t/s.json" --evidence-host 198.51.100.10 --evidence "$t/n.pcapng" >/dev/null 2>&1
check "JSON export parses" 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"evidence_capture\"][\"hosts\"]==[\"198.51.100.10\"]; assert d[\"evidence_capture\"][\"packets\"]==48" "$t/s.json"'
"$bin" -r "$cap" --no-lookups --export "$t/s.md" --force >/dev/null 2>&1
check "--force overwrites" '! cmp -s "$t/s.md" "$t/keep"'
"$bin" -r "$cap" --no-lookups --export "$t/missing/dir/s.md" >"$t/out2" 2>"$t/err"
check "unwritable place: said before the session (exit 2)" '[ $? -eq 2 ] && grep -q "cannot write into $t/missing/dir" "$t/err"'
if [ "$(id -u)" -eq 0 ]; then
	# Kept root, the write fails at the end: the report is still printed.
	"$bin" -Z root -r "$cap" --no-lookups --export "$t/missing/dir/s.md" >"$t/out2" 2>"$t/err"
	check "failed write at the end: exit 1" '[ $? -eq 1 ]'
	check "failed write at the end: clear message" 'grep -q "cannot write $t/missing/dir/s.md" "$t/err"'
	check "failed write at the end: the report still printed" 'grep -q "port-scan" "$t/out2"'
fi
"$bin" -r "$cap" --no-lookups --export "$t/s.pdf" >/dev/null 2>"$t/err"
check "unknown extension refused" '[ $? -eq 2 ] && grep -q "export-format" "$t/err"'
[ $fail -eq 0 ]
