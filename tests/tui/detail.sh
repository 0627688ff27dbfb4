#!/bin/sh
# A host's detail: --watch opens it; every panel can be reached at 80x24;
# a wide terminal puts panels side by side; [ ] move between hosts; the
# ASCII fallback when the locale is not UTF-8.
. "${srcdir:-.}/tests/tui/lib.sh"

PCAP=$PCAPS/testrun/ntp.pcap
[ -r "$PCAP" ] || skip "no $PCAP (the shared captures are not beside the source)"
report -r "$PCAP"
v15=$(report_verdict 10.10.10.15)
[ -n "$v15" ] || fail "the report has no 10.10.10.15"
theirs=$(awk '$1 == "10.10.10.15" { f = 1 } f && /Who started:/ { sub(/.*, it /, ""); sub(/;.*/, ""); print; exit }' "$TMP/report")
[ -n "$theirs" ] || fail "no exchange count for 10.10.10.15 in the report"
# Its outbound peak, which the Packet rate panel must show as the report does.
pout=$(awk '$1 == "10.10.10.15" { f = 1 } f && /Rates:/ { sub(/ packets\/s out.*/, ""); sub(/.* /, ""); print; exit }' "$TMP/report")
[ -n "$pout" ] || fail "no outbound peak for 10.10.10.15 in the report"

start 80 24 -- --no-lookups --speed max --watch 10.10.10.15 -r "$PCAP"
wait_for "^. 10\.10\.10\.15 +$v15 "
wait_for '2383/2383 100%'
wait_for '^. Verdict '
wait_for "^Exchanges: ours first [0-9]+, theirs first $theirs\$"
screen | grep -q '^Do not call\|^Call' || fail "no advice on whether to call"
screen | grep -q '^Evidence:' || fail "no evidence lines"
# Page down until every panel has been seen, at most 10 pages.
seen=
for i in 1 2 3 4 5 6 7 8 9 10; do
	for p in 'Who initiated' 'Port spread' 'Packet rate' 'Burst timing' 'NTP' 'Lookups'; do
		screen | grep -q "^. $p " && case "$seen" in *"[$p]"*) ;; *) seen="$seen[$p]" ;; esac
	done
	screen | grep -q '^Modes in:  3 client [0-9]' && seen="$seen[modes]"
	screen | grep -q 'Off (--no-lookups' && seen="$seen[lookups off]"
	screen | grep -Eq '^in  .*[▁▂▃▄▅▆▇█]' && seen="$seen[sparkline]"
	screen | grep -Eq "; out [0-9.k]+/s now, peak $pout/s " && seen="$seen[peak out]"
	keys NPage
	sleep 0.2
done
for p in 'Who initiated' 'Port spread' 'Packet rate' 'Burst timing' 'NTP' 'Lookups' \
    modes 'lookups off' sparkline 'peak out'; do
	case "$seen" in
	*"[$p]"*) ;;
	*) fail "paging through the detail never showed $p (saw $seen)" ;;
	esac
done
keys Home
wait_for '^. Verdict '

# Wide: the panels in two columns.
tm resize-window -t "$SESSION" -x 170 -y 50
wait_for '^. Verdict .* . Who initiated '
tm resize-window -t "$SESSION" -x 80 -y 24
wait_gone '^. Verdict .* . Who initiated '

# ] and [ walk the list; Esc returns to it. (Where 10.10.10.15 stands in
# the list is the verdict sort's business: take its place from the screen.)
keys Home
wait_for '^. 10\.10\.10\.15 .*host [0-9]+ of '
at=$(screen | sed -n 's/^. 10\.10\.10\.15 .*host \([0-9]*\) of .*/\1/p' | head -1)
[ -n "$at" ] || fail "the detail does not say which host of the list it is"
keys ']'
wait_for "^. [0-9a-f:.]+ .*host $((at + 1)) of "
absent '^. 10\.10\.10\.15 '
keys '['
wait_for "^. 10\.10\.10\.15 .*host $at of "
keys Escape
wait_for 'Enter detail'
quit

# A host the capture does not have: the detail says so.
start 80 24 -- --no-lookups --speed max --watch 192.0.2.99 -r "$PCAP"
wait_for '192\.0\.2\.99: no traffic from this host in this capture'
quit

# Flow records: the exporter is the vantage point, in the Verdict panel
# and the status bar (the project's own softflowd export: no ../shared).
start 100 30 -- --no-lookups --speed max --local 192.0.2.1/32 --watch 203.0.113.30 \
    --flow-file "$srcdir/tests/captures/flow-lab-nat.ipfix"
wait_for '^. 203\.0\.113\.30 +port-scan '
wait_for '^Seen through: exporter \(file\) \(600\)'
wait_for '1 exporter 688 rec lost 0'
quit

# Not a UTF-8 locale: the same screen in ASCII.
start 80 24 LANG=C LC_ALL=C -- --no-lookups --speed max --watch 10.10.10.15 -r "$PCAP"
wait_for '^< 10\.10\.10\.15 '
wait_for '^- Verdict ---'
keys NPage NPage
wait_for '^ *-60s +now'
if screen | LC_ALL=C grep -q "$(printf '[\200-\377]')"; then
	fail "non-ASCII bytes on the screen in the C locale"
fi
quit
echo "PASS: host detail"
