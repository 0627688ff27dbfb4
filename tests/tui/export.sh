#!/bin/sh
# The export key: 'e' asks for a file name, writes the summary (or, for a
# .pcapng name, the selected host's packets), overwrites only after a
# second Enter, and a failed write leaves the session running.
. "${srcdir:-.}/tests/tui/lib.sh"

cap=$ASSETS/lab-nat.pcap
[ -f "$cap" ] || skip "no $cap"
# ntpsleuth gives up root once its files are open: let it write here.
chmod 0777 "$TMP"
start 80 24 -- --no-lookups --speed max -r "$cap"
wait_for '^203\.0\.113\.30 .*port-scan'
keys e
wait_for '^export to: ntpsleuth-[0-9]{8}-[0-9]{6}\.md'
keys C-u "$TMP/s.md" Enter
wait_for "wrote $TMP/s.md"
[ -s "$TMP/s.md" ] || fail "no $TMP/s.md"
grep -q '^### 203.0.113.30: port-scan' "$TMP/s.md" || fail "the summary lacks the scanner"
# Again: asks before replacing.
keys e C-u "$TMP/s.md" Enter
wait_for 's\.md exists: Enter again'
keys Enter
wait_for "wrote $TMP/s.md"
# The selected host's packets (the scanner is first in the list).
keys e C-u "$TMP/scan.pcapng" Enter
wait_for "wrote $TMP/scan.pcapng \(32 packets"
if command -v tshark >/dev/null 2>&1; then
	n=$(tshark -r "$TMP/scan.pcapng" -Y 'ip.addr==203.0.113.30' 2>/dev/null | wc -l)
	[ "$n" -eq 32 ] || fail "the evidence has $n packets of the scanner, not 32"
fi
# A place that cannot be written: said, and the session goes on.
keys e C-u "$TMP/no/such/dir/s.md" Enter
wait_for 'Export failed: cannot write'
keys Down
wait_for '^198\.51\.100\.10 '
quit
echo "PASS: export"
