#!/bin/sh
# The console shows the verdicts the report gives, coloured by severity
# (and not coloured with --no-color or NO_COLOR), on the bundled lab
# capture and on shared captures of a SYN flood and a TCP scan.
. "${srcdir:-.}/tests/tui/lib.sh"

ran=0

# check_file PCAP: every host of the report is on screen with its verdict.
check_file() {
	report -r "$1"
	awk '/^[0-9a-f.:]+  [a-z-]+  confidence/ { print $1, $2 }' "$TMP/report" >"$TMP/hosts"
	[ -s "$TMP/hosts" ] || fail "the report of $1 names no host"
	start 100 40 -- --no-lookups --speed max -r "$1"
	wait_for ' 100%  '
	while read -r addr verdict; do
		re=$(printf '%s' "$addr" | sed 's/\./\\./g')
		# Filter on the address so that the host is on screen whatever the order.
		keys / C-u "$addr" Enter
		wait_for "^$re +$verdict "
	done <"$TMP/hosts"
	quit
	ran=$((ran + 1))
}

LAB=$ASSETS/lab-nat.pcap
if [ -r "$LAB" ]; then
	check_file "$LAB"
	# The port scan is worth a call, is red, and the detail says why.
	report -r "$LAB"
	scanner=$(awk '$2 == "port-scan" && $NF == "CALL" { print $1; exit }' "$TMP/report")
	if [ -n "$scanner" ]; then
		start 80 24 -- --no-lookups --speed max -r "$LAB"
		wait_for "^ntpsleuth [0-9]+ hosts, 1 to call"
		wait_for "^$scanner +port-scan "
		# Colour: the verdict is drawn red (SGR 31) and bold.
		screen -e | grep -F "$scanner" | grep -q "$(printf '\033')\\[1m$(printf '\033')\\[31mport-scan\|$(printf '\033')\\[31m$(printf '\033')\\[1mport-scan\|$(printf '\033')\\[1;31mport-scan\|$(printf '\033')\\[31;1mport-scan" ||
			fail "the port scan is not drawn bold red: $(screen -e | grep -F "$scanner" | od -c | head -5)"
		keys / C-u "$scanner" Enter Enter
		wait_for '^port-scan  confidence [0-9.]+  CALL: yes'
		wait_for '^Call: port-scan'
		quit
		# No colour with --no-color, nor with NO_COLOR set.
		start 80 24 -- --no-lookups --no-color --speed max -r "$LAB"
		wait_for "^$scanner +port-scan "
		screen -e | grep -F "$scanner" | grep -q "$(printf '\033')\\[[0-9;]*3[0-7]m" &&
			fail "--no-color still draws colours"
		quit
		start 80 24 NO_COLOR=1 -- --no-lookups --speed max -r "$LAB"
		wait_for "^$scanner +port-scan "
		screen -e | grep -F "$scanner" | grep -q "$(printf '\033')\\[[0-9;]*3[0-7]m" &&
			fail "NO_COLOR still draws colours"
		quit
	fi
else
	echo "no $LAB yet: its part is skipped"
fi

for f in suricata-verify/tcp-session-syn-flood-drop-precedence__input.pcap \
    nDPI/tcp_scan.pcapng tcpdump/ntp.pcap; do
	if [ -r "$PCAPS/$f" ]; then
		check_file "$PCAPS/$f"
	else
		echo "no $PCAPS/$f: skipped"
	fi
done

# A spoofed flood: no host to call, but an incident above the hosts.
if command -v python3 >/dev/null 2>&1; then
	python3 "$srcdir/tests/tui/mkflood.py" "$TMP/flood.pcap" || fail "mkflood.py failed"
	check_file "$TMP/flood.pcap"
	start 80 24 -- --no-lookups --speed max -r "$TMP/flood.pcap"
	wait_for '^! flood on 192\.0\.2\.1 udp/80: 20 hosts, 1\.0k pkts'
	wait_for '^1 ADDRESS'
	# The incident line sits between the title and the column headings.
	screen | sed -n 2p | grep -q '^! flood' || fail "the incident is not above the hosts"
	# i lists the incidents with their evidence.
	keys i
	wait_for '^. Incidents: 1'
	wait_for '^flood on udp/80, confidence 0\.90'
	wait_for '^20 remote hosts, 1\.0k packets'
	wait_for 'spoofed'
	keys Escape
	wait_for '^1 ADDRESS'
	quit
else
	echo "no python3: the flood part is skipped"
fi

[ "$ran" -gt 0 ] || skip "neither the bundled capture nor the shared ones are here"
echo "PASS: verdicts on $ran captures"
