#!/bin/sh
# Writes doc/screenshots.md: text captures of the console on the bundled
# capture, taken in tmux as the tests take them. From the build folder:
#   srcdir=SRC NTPSLEUTH=./ntpsleuth sh SRC/tests/tui/screenshots.sh > SRC/doc/screenshots.md
. "${srcdir:-.}/tests/tui/lib.sh"

LAB=$ASSETS/lab-nat.pcap
[ -r "$LAB" ] || skip "no $LAB"
report -r "$LAB"
scanner=$(awk '$2 == "port-scan" { print $1; exit }' "$TMP/report")
server=$(awk '$2 == "solicited" { print $1; exit }' "$TMP/report")

shot() {
	echo '```'
	# Trailing blanks say nothing; the status bar's run time changes each run.
	screen | sed -e 's/ *$//'
	echo '```'
	echo
}

cat <<'EOF'
# The console, as text

Captures of the ncurses console (`tmux capture-pane -p`) on the bundled
capture `assets/lab-nat.pcap` (an NTP client behind NAT, a served NTP
client and a SYN port scan; see `assets/README.md`), replayed with
`--speed max --no-lookups`. Colours do not show here: verdicts are green
(benign), yellow (unsolicited) or bold red (attack). Regenerate with
`tests/tui/screenshots.sh`.

## Host list, 80x24

`ntpsleuth -r assets/lab-nat.pcap`: the incidents (none here) above the
hosts, one row per remote host sorted by verdict, the key hints and the
status bar (replay state, file, capture time and offset, packets read of
the file, drops in the kernel and the ring, packets a second, run time).

EOF
start 80 24 -- --no-lookups --speed max -r "$LAB"
wait_for ' 100%  '
wait_for '^1 ADDRESS'
keys Down Up
sleep 0.5
shot

cat <<'EOF'
## Filtering

`/` then `!port-scan`: all terms must match, `!` negates.

EOF
keys / '!port-scan' Enter
wait_for '\(2 shown\)'
sleep 0.3
shot
keys c

cat <<EOF
## Host detail, 80x24

Enter on $scanner, then Page Down twice: the panels scroll.

EOF
keys / C-u "$scanner" Enter Enter
wait_for '^. Verdict '
sleep 0.3
shot
keys NPage
sleep 0.3
shot
keys NPage
sleep 0.3
shot

cat <<EOF
## The NTP server our client uses ($server), End: the last panels

EOF
keys Escape c
wait_for '^1 ADDRESS'
keys / C-u "$server" Enter Enter
wait_for '^. Verdict '
keys End
wait_for '^. Lookups '
sleep 0.3
shot

cat <<'EOF'
## A wide terminal (170x45): the panels in two columns

EOF
tm resize-window -t "$SESSION" -x 170 -y 45
keys Home
wait_for '^. Verdict .* . Who initiated '
sleep 0.3
shot
tm resize-window -t "$SESSION" -x 80 -y 24

cat <<'EOF'
## Help (`?`)

EOF
keys '?'
wait_for 'quit and restore'
sleep 0.3
shot
keys x
quit

cat <<'EOF'
## Replaying at the recorded pace, paused

`ntpsleuth -r assets/lab-nat.pcap` (speed x1), then space after a few
seconds: the status bar shows the pause and where the replay stands.

EOF
start 80 24 -- --no-lookups -r "$LAB"
wait_for "^$(printf '%s' "$server" | sed 's/\./\\./g') "
keys ' '
wait_for '^‖ x1 '
sleep 0.3
shot
quit

if command -v python3 >/dev/null 2>&1; then
	python3 "$srcdir/tests/tui/mkflood.py" "$TMP/flood.pcap"
	cat <<'EOF'
## An incident: a spoofed flood

`tests/tui/mkflood.py` writes 1000 UDP datagrams from 20 addresses to one
port in one second. No single host is worth a call; the incident stands
above the hosts, and `i` shows its evidence.

EOF
	start 80 24 -- --no-lookups --speed max -r "$TMP/flood.pcap"
	wait_for ' 100%  '
	wait_for '^! flood'
	sleep 0.3
	shot
	keys i
	wait_for '^. Incidents: '
	sleep 0.3
	shot
	quit
fi
