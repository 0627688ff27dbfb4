#!/bin/sh
# The host list, as a person uses it: hosts and verdicts appear, sorting,
# filtering, help, resizing, opening a host, quitting.
. "${srcdir:-.}/tests/tui/lib.sh"

PCAP=$PCAPS/testrun/ntp.pcap
[ -r "$PCAP" ] || skip "no $PCAP (the shared captures are not beside the source)"
report -r "$PCAP"
nhosts=$(sed -n 's/^\([0-9]*\) remote hosts*;.*/\1/p' "$TMP/report")
[ -n "$nhosts" ] || fail "no host count in the report"
v15=$(report_verdict 10.10.10.15)
[ -n "$v15" ] || fail "the report has no 10.10.10.15"
# The host with the most packets in, per the report ("Traffic: N packets ... in").
busiest=$(awk '/^[0-9a-f.:]+  [a-z-]+  confidence/ { h = $1 }
	/^    Traffic: / { if ($2 + 0 > max) { max = $2 + 0; best = h } }
	END { print best }' "$TMP/report")
[ -n "$busiest" ] || fail "cannot find the busiest host in the report"

start 80 24 -- --no-lookups --speed max -r "$PCAP"
wait_for "^ntpsleuth $nhosts hosts, 0 to call"
wait_for '2383/2383 100%'
screen | grep -Eq "^10\.10\.10\.15 +$v15 " || fail "10.10.10.15 is not shown as $v15"
# Sorted by verdict by default: a serving host above every undetermined one.
screen | grep -n 'serving\|undetermined' | head -1 | grep -q serving ||
	fail "verdict sort does not put serving first"

# Sort by packets in (key 4): the busiest host goes to the top; again: reverse.
keys 4
wait_for "^1 ADDRESS.*4 IN[▲▼]"
first=$(screen | sed -n 3p | awk '{ print $1 }')
# A long address is cut with a mark: compare what is shown.
shown=${first%…}
case "$busiest" in
"$shown"*) ;;
*) fail "sorted by packets in, the first row is $first, not $busiest" ;;
esac
keys 4
wait_gone "^$shown"

# The filter: one address leaves one host; 'c' brings the others back.
keys / 10.10.10.15 Enter
wait_for "^ntpsleuth $nhosts hosts \(1 shown\)"
wait_gone '^216\.239\.35\.0 '
screen | grep -q '^10\.10\.10\.15 ' || fail "the filtered host is not shown"
keys c
wait_for '^216\.239\.35\.0 '
# A verdict filter hides the other verdicts; a negated one the verdict itself.
keys 2
wait_for 'VERDICT▼'
keys / solicited Enter
wait_gone ' serving '
wait_for '^216\.239\.35\.0 +solicited'
keys / C-u '!solicited' Enter
wait_gone ' solicited '
wait_for ' serving '
# A bad filter says why and keeps the list as it was.
keys / C-u 'port x'
wait_for '"x" is not a port number'
keys Escape
wait_for ' serving '
keys c
wait_for '^216\.239\.35\.0 '

# Help lists the keys; any key closes it.
keys '?'
wait_for 'quit and restore the terminal'
screen | grep -q 'pause / resume' || fail "help does not list pause"
screen | grep -q 'freeze the order' || fail "help does not list freeze"
keys x
wait_gone 'quit and restore the terminal'

# Freeze the order: the title says so; a sort key does not reorder.
keys o
wait_for 'order frozen'
keys o
wait_gone ', order frozen'

# A bigger terminal shows more hosts; a too small one says so.
rows_before=$(screen | grep -Ec '^[0-9a-f][0-9a-f.:]*[ …]')
tm resize-window -t "$SESSION" -x 120 -y 40
wait_for '^.{100}'
rows_after=$(screen | grep -Ec '^[0-9a-f][0-9a-f.:]*[ …]')
[ "$rows_after" -gt "$rows_before" ] || fail "120x40 shows $rows_after hosts, 80x24 showed $rows_before"
tm resize-window -t "$SESSION" -x 70 -y 20
wait_for 'needs 80x24; this terminal is 70x20'
tm resize-window -t "$SESSION" -x 80 -y 24
wait_for '^1 ADDRESS'

# Enter opens the selected host, Esc goes back.
keys Home Enter
wait_for 'Who initiated'
keys Escape
wait_for 'Enter detail'

# The mouse: a click on a heading sorts by it, a click on a host selects
# it (reverse video), a second click opens it.
click 50 1
wait_for '4 IN▼'
row=$(screen | sed -n 6p | awk '{ print $1 }')
click 3 5
n=$(( TIMEOUT * 10 ))
until screen -e | sed -n 6p | grep -q "$(printf '\033')\[7m"; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || fail "a click did not select the host on line 6 ($row)"
	sleep 0.1
done
click 3 5
wait_for "^. ${row%…}.* host 4 of "
wait_for '^. Who initiated '

quit
echo "PASS: host list"
