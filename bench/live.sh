#!/bin/bash
# bench/live.sh: live capture at increasing rates. The mixed capture is
# replayed with tcpreplay onto a veth pair between two network namespaces
# made here, while `ntpsleuth -i` listens on the far end; for each rate it
# prints what was sent, what ntpsleuth saw, and what was dropped where.
#
#   bench/live.sh CAPTURE [OUTDIR]
#
# Needs root, ip(8) and tcpreplay; exits 77 (skip) without them. No traffic
# leaves the two namespaces: the veth pair is created inside them, so the
# host namespace has no link and no route into the lab. Everything runs
# under timeout and the namespaces are removed on exit.
#
# Environment: NTPSLEUTH (default ./ntpsleuth), BENCH_RATES (packets/s,
# "top" for tcpreplay --topspeed; default "50000 100000 150000 200000 250000
# 300000 top"),
# BENCH_LIVE_SECS (seconds of sending a rate, default 5; the whole capture
# at topspeed), BENCH_CONSOLE_RATES (rates at which the console, not the
# batch report, listens, in tmux; default "100000 200000"; "" skips it).
set -euo pipefail

cap=${1:?usage: live.sh CAPTURE [OUTDIR]}
out=${2:-bench/out}
ntpsleuth=${NTPSLEUTH:-./ntpsleuth}
rates=${BENCH_RATES:-50000 100000 150000 200000 250000 300000 top}
secs=${BENCH_LIVE_SECS:-5}
local_net=10.20.0.0/16

skip() {
	echo "live: skipped: $*"
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "no ip(8) (package iproute2)"
command -v tcpreplay >/dev/null || skip "no tcpreplay (package tcpreplay)"
[ -r "$cap" ] || skip "no capture $cap"
mkdir -p "$out"

tx=nsbench-tx-$$
rx=nsbench-rx-$$
cleanup() {
	ip netns del "$tx" 2>/dev/null || true
	ip netns del "$rx" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$tx"
ip netns add "$rx"
# The pair is born inside the namespaces: nothing of it in the host's.
ip link add btx netns "$tx" type veth peer name brx netns "$rx"
for ns in "$tx" "$rx"; do
	# No IPv6 router solicitations or MLD reports mixed into the count.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1
	ip -n "$ns" link set lo up
done
ip -n "$tx" link set btx up
ip -n "$rx" link set brx up

# Frames in the capture, to cap --limit (bareloop prints "N packets, ...").
total=$("${BENCH_BIN:-bench}/bareloop" "$cap" 2>/dev/null | awk '{ print $1 }') || total=0
[ -n "$total" ] || total=0

# veth counts a datagram it could not hand to the peer's backlog as a drop
# on one of the two ends; sum the rx and tx drops of both.
veth_drops() {
	{ ip -s -n "$tx" link show btx; ip -s -n "$rx" link show brx; } |
	    awk '/RX:|TX:/ { getline; d += $4 } END { print d + 0 }'
}

printf '%-9s %10s %12s %10s %10s %10s %12s %12s %s\n' rate sent "sent_pps" seen \
    ring_drops kern_drops veth_drops not_seen note
for rate in $rates; do
	if [ "$rate" = top ]; then
		limit=$total
		[ "$limit" -gt 0 ] || limit=2000000
		speed=(--topspeed)
	else
		limit=$((rate * secs))
		[ "$total" -gt 0 ] && [ "$limit" -gt "$total" ] && limit=$total
		speed=(--pps="$rate")
	fi
	# tcpreplay may fall short of the rate asked for on a busy machine:
	# --duration is only the upper bound (as if at 20,000 packets/s), and
	# ntpsleuth is stopped with SIGTERM (its Ctrl-C) two seconds after the
	# last packet went out.
	dur=$((limit / 20000 + 20))
	json=$out/live-$rate.json
	err=$out/live-$rate.err
	rm -f "$json" "$err"
	before=$(veth_drops)

	timeout $((dur + 30)) ip netns exec "$rx" "$ntpsleuth" -i brx \
	    --report=json --no-lookups --local "$local_net" --duration "$dur" \
	    >"$json" 2>"$err" &
	pid=$!
	for _ in $(seq 100); do
		grep -q 'listening on' "$err" 2>/dev/null && break
		sleep 0.1
	done
	note=""
	grep -q 'listening on' "$err" || note="ntpsleuth never said 'listening on'"

	replay=$(timeout $((dur + 20)) ip netns exec "$tx" tcpreplay -i btx \
	    "${speed[@]}" --limit="$limit" --no-flow-stats "$cap" 2>&1) ||
	    note="${note:+$note; }tcpreplay failed"
	sleep 2
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" || note="${note:+$note; }ntpsleuth exit $?"
	after=$(veth_drops)
	echo "$replay" >"$out/live-$rate.tcpreplay"

	# "Actual: 50000 packets (..) sent in 4.99 seconds" and
	# "Rated: ... 10000.12 pps"
	sent=$(echo "$replay" | sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' | head -1)
	pps=$(echo "$replay" | sed -n 's/.*Rated: .*, \([0-9.]*\) pps.*/\1/p' | head -1)
	read -r seen ring kern < <(/usr/bin/python3 - "$json" <<'EOF' || echo "? ? ?"
import json, sys
try:
    s = json.load(open(sys.argv[1]))["sources"][0]
    print(s["frames"], s["ring_drops"], s["kernel_drops"])
except Exception:
    print("? ? ?")
EOF
	)
	# Sent but neither seen nor counted as dropped by ntpsleuth or
	# libpcap: lost in the veth or the socket before the ring.
	notseen="?"
	case "$sent$seen$ring$kern" in
	*[!0-9]*) ;;
	*) notseen=$((sent - seen - ring - kern)) ;;
	esac
	printf '%-9s %10s %12s %10s %10s %10s %12s %12s %s\n' "$rate" "${sent:-?}" \
	    "${pps:-?}" "$seen" "$ring" "$kern" $((after - before)) "$notseen" "$note"
done

# The console under the same load: in a tmux pane (a terminal without a
# person), with NTPSLEUTH_FRAME_LOG it writes a line for each frame drawn.
# The gaps between frames while packets arrive show whether the screen
# stays responsive (the aim: one at least every 200 ms).
console_rates=${BENCH_CONSOLE_RATES-100000 200000}
if [ -n "$console_rates" ] && ! command -v tmux >/dev/null; then
	echo "console: skipped: no tmux"
	console_rates=""
fi
[ -n "$console_rates" ] && printf '\n%-9s %10s %10s %10s %10s %12s %12s %12s %s\n' rate sent seen \
    ring_drops frames gap_max_ms gap_p99_ms gap_med_ms note
for rate in $console_rates; do
	limit=$((rate * secs))
	[ "$total" -gt 0 ] && [ "$limit" -gt "$total" ] && limit=$total
	log=$out/console-$rate.frames
	rm -f "$log"
	sess=nsbench-console-$$
	tmux kill-session -t "$sess" 2>/dev/null || true
	tmux new-session -d -s "$sess" -x 160 -y 48 \
	    "ip netns exec $rx env NTPSLEUTH_FRAME_LOG=$log TERM=xterm-256color \
	    timeout $((limit / 20000 + 60)) $ntpsleuth -i brx -Z root --no-lookups --local $local_net"
	for _ in $(seq 100); do
		[ -s "$log" ] && break
		sleep 0.1
	done
	sleep 1
	note=""
	[ -s "$log" ] || note="the console drew nothing"
	t_send=$(awk 'END { print $1 + 0 }' "$log" 2>/dev/null || echo 0)
	replay=$(timeout $((limit / 20000 + 20)) ip netns exec "$tx" tcpreplay -i btx \
	    --pps="$rate" --limit="$limit" --no-flow-stats "$cap" 2>&1) ||
	    note="${note:+$note; }tcpreplay failed"
	sleep 2
	t_end=$(awk 'END { print $1 + 0 }' "$log" 2>/dev/null || echo 0)
	tmux send-keys -t "$sess" q 2>/dev/null || true
	for _ in $(seq 50); do
		tmux has-session -t "$sess" 2>/dev/null || break
		sleep 0.1
	done
	tmux kill-session -t "$sess" 2>/dev/null || true
	sent=$(echo "$replay" | sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' | head -1)
	# Frames drawn from the start of the replay until all was analysed.
	/usr/bin/python3 - "$log" "$t_send" "$t_end" "$rate" "${sent:-?}" "$note" <<'PYEOF'
import sys
log, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
rate, sent, note = sys.argv[4:7]
rows = []
try:
    for line in open(log):
        f = line.split()
        if len(f) >= 5:
            rows.append((float(f[0]), int(f[1]), int(f[2]), int(f[3])))
except OSError:
    pass
# While packets arrive: up to the first frame that shows them all analysed
# (after that the screen is idle and redraws once a second, for its clock).
done_at = next((r[0] for r in rows if rows and r[3] == rows[-1][3]), t1)
win = [r for r in rows if t0 <= r[0] <= min(t1, done_at)]
gaps = sorted((b[0] - a[0]) * 1000 for a, b in zip(win, win[1:]))
last = rows[-1] if rows else (0, 0, 0, 0)
def pct(p):
    return gaps[min(len(gaps) - 1, int(p * len(gaps)))] if gaps else float("nan")
print("%-9s %10s %10d %10d %10d %12.0f %12.0f %12.0f %s" % (rate, sent, last[1], last[2],
      len(win), gaps[-1] if gaps else float("nan"), pct(0.99), pct(0.5), note))
PYEOF
done
