#!/bin/sh
# Replaying a file at its recorded pace: pause, step a packet, step a
# second, speed up and down.
. "${srcdir:-.}/tests/tui/lib.sh"

# 8 packets over 35 minutes: at the recorded pace the second packet is
# minutes away, so every packet after the first is there by a key.
PCAP=$PCAPS/tcpdump/ntp.pcap
[ -r "$PCAP" ] || skip "no $PCAP (the shared captures are not beside the source)"

# The packets read so far, from the status bar ("3/8 38%").
count() {
	screen | tail -1 | sed -n 's/.*  \([0-9]*\)\/8 [0-9]*%.*/\1/p'
}

start 80 24 -- --no-lookups -r "$PCAP"
# The first request and its reply, 0.1 ms apart.
wait_for '^▶ x1  ntp\.pcap 14:12:10 \+0:00  2/8 25%'
# At the recorded pace nothing more comes for minutes.
sleep 1
[ "$(count)" = 2 ] || fail "a third packet came early at the recorded pace"

# n steps one packet and pauses.
keys n
wait_for '^‖ x1  ntp\.pcap 14:19:18 \+7:08  3/8 38%'
keys n
wait_for '  4/8 50%'
# N skips the silence, then plays one second: request 5 and its reply.
keys N
wait_for '^‖ x1  ntp\.pcap 14:22:54 \+10:44  6/8 75%'
sleep 0.5
[ "$(count)" = 6 ] || fail "one second of capture time read more than packets 5 and 6"

# Speed keys: x2, x4, then back; past x1024 is as fast as possible.
keys + +
wait_for '^‖ x4 '
keys -
wait_for '^‖ x2 '
keys - - - - - - -
wait_for '^‖ x1/64 '
keys + + + + + + + + + + + + + + + + +
wait_for '^‖ max '
# Resume at full speed: the rest of the file is read.
keys ' '
wait_for '^end  ntp\.pcap 14:47:12 \+35:02  8/8 100%'
wait_for '^192\.168\.100\.1 +solicited '
quit

# A paced replay of a busier file decides the local side early and
# shows hosts while it plays (here: before the end of a 14-minute file).
PCAP2=$PCAPS/testrun/ntp.pcap
if [ -r "$PCAP2" ]; then
	start 80 24 -- --no-lookups --speed 8 -r "$PCAP2"
	wait_for '^▶ x8 '
	wait_for '^216\.239\.35\.[0-9]+ +solicited ' 15
	screen | tail -1 | grep -q '^▶ x8 ' || fail "the replay ended before hosts showed"
	# Space pauses: the position stays put.
	keys ' '
	wait_for '^‖ x8 '
	pos=$(screen | tail -1 | awk '{ print $4 }')
	sleep 1
	[ "$(screen | tail -1 | awk '{ print $4 }')" = "$pos" ] || fail "the position moved while paused"
	keys ' '
	wait_for '^▶ x8 '
	wait_gone "^▶ x8  ntp\.pcap $pos "
	quit
fi
# Ctrl-C (SIGINT) ends the console as q does, the terminal restored.
start 80 24 -- --no-lookups -r "$PCAP"
wait_for '2/8 25%'
keys C-c
wait_for '^EXIT=0$'
absent 'Enter detail'

# No terminal description: a warning, then the report instead of a screen.
# (ncurses keeps the block it allocated for the failed newterm(): under
# LeakSanitizer that one is not ours to fix.)
# LeakSanitizer reads the file at exit, after ntpsleuth dropped its
# privileges: it must be readable by anyone.
echo 'leak:new_prescr' >"$TMP/lsan.supp"
chmod a+rx "$TMP"
chmod a+r "$TMP/lsan.supp"
start 80 24 TERM=no-such-terminal LSAN_OPTIONS=suppressions=$TMP/lsan.supp -- \
    --no-lookups --speed max -r "$PCAP"
wait_for '^EXIT=0$'
wait_for '^192\.168\.100\.1  solicited  confidence'
grep -q 'cannot drive the terminal (TERM=no-such-terminal)' "$TMP/stderr" ||
	fail "no warning about the terminal: $(cat "$TMP/stderr")"
echo "PASS: replay"
