#!/bin/bash
# bench/flow.sh: ntpsleuth as a flow collector against nfcapd (issue 18).
# bench/genflow sends the same IPFIX records over loopback at increasing
# rates, a fixed count each, to `ntpsleuth --flow udp:127.0.0.1:PORT
# --report=json` and then to `nfcapd` (one collector at a time, so that
# neither takes the other's core). For each rate: records sent, received
# by each (ntpsleuth: its report's per-exporter record count and the
# records its sequence numbers say were lost; nfcapd: `nfdump -r FILE -I`),
# the loss, the CPU time each used, and at the end the highest rate each
# took with no loss and their ratio. Nothing is asserted: the figures go into BENCHMARKS.md.
#
#   make bench                 (runs it after bench/run.sh), or
#   bash bench/flow.sh         from the build folder, after make bench/genflow
#
# Environment:
#   NTPSLEUTH         the binary (default ./ntpsleuth)
#   BENCH_BIN         where genflow is (default bench)
#   BENCH_OUT         reports and results (default bench/out)
#   BENCH_FLOW_RATES  records/s (default "100000 200000 400000 800000 1600000 3200000")
#   BENCH_FLOW_COUNT  records a rate (default 800000)
#   BENCH_FLOW_ROUNDS rounds (default 3; the loss shown is each round's,
#                     the zero-loss rate the highest with none in every round)
set -euo pipefail

ntpsleuth=${NTPSLEUTH:-./ntpsleuth}
bin=${BENCH_BIN:-bench}
out=${BENCH_OUT:-bench/out}/flow
rates=${BENCH_FLOW_RATES:-100000 200000 400000 800000 1600000 3200000}
count=${BENCH_FLOW_COUNT:-800000}
rounds=${BENCH_FLOW_ROUNDS:-3}
mkdir -p "$out"
# nfdump (nfcapd) and GNU time are installed when missing and we are root,
# as bench/run.sh does; without nfcapd there is nothing to compare with.
if ! command -v nfcapd >/dev/null || [ ! -x /usr/bin/time ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nfdump time \
		    >/dev/null 2>&1 || true
	fi
fi
if ! command -v nfcapd >/dev/null || ! command -v nfdump >/dev/null; then
	echo "bench/flow.sh: skipped: needs nfcapd and nfdump (Debian: apt-get install nfdump)" >&2
	exit 0
fi
[ -x /usr/bin/time ] || { echo "bench/flow.sh: needs GNU time (Debian: apt-get install time)" >&2; exit 1; }
[ -x "$bin/genflow" ] || { echo "bench/flow.sh: no $bin/genflow (make bench/genflow)" >&2; exit 1; }
pids=()
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

port() {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The sender's time at RATE, and 3 s for the collector to start and finish.
secs() { awk -v c="$count" -v r="$1" 'BEGIN { printf "%d", c / r + 4 }'; }

# CPU seconds (user + sys) of what ran under /usr/bin/time -o FILE.
cpu() { awk 'NF == 2 && $1 ~ /^[0-9.]+$/ { printf "%.2f", $1 + $2 }' "$1"; }

to_ntpsleuth() {	# rate round -> "received lost cpu"
	local p f=$out/ntpsleuth-$1-$2
	p=$(port)
	/usr/bin/time -f '%U %S' -o "$f.time" timeout 120 "$ntpsleuth" --flow "udp:127.0.0.1:$p" --report=json --no-lookups \
	    --duration "$(secs "$1")" -Z root >"$f.json" 2>"$f.err" &
	local n=$!
	pids+=("$n")
	for _ in $(seq 50); do grep -q "listening on" "$f.err" 2>/dev/null && break; sleep 0.1; done
	"$bin/genflow" 127.0.0.1 "$p" "$1" "$count" >"$f.gen"
	wait "$n" || true
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
ex = [e for s in r["sources"] for e in s.get("flows", {}).get("exporters", [])]
print(sum(e["flows"] for e in ex), sum(e["sequence_lost"] for e in ex), end=" ")' "$f.json"
	cpu "$f.time"
	echo
}

# nfcapd stops on SIGINT (timeout -s INT) as long after the start as
# ntpsleuth's --duration, having written its file.
to_nfcapd() {	# rate round [nfcapd options] -> "received sequence-failures cpu"
	local p d=$out/nfcapd-$1-$2${3:+-B} n file
	p=$(port)
	rm -rf "$d"
	mkdir -p "$d"
	/usr/bin/time -f '%U %S' -o "$d.time" timeout -s INT "$(secs "$1")" \
	    nfcapd -p "$p" -b 127.0.0.1 -w "$d" -t 3600 ${3:+"$3" "$4"} >"$d.log" 2>&1 &
	n=$!
	pids+=("$n")
	for _ in $(seq 50); do grep -q "Startup" "$d.log" 2>/dev/null && break; sleep 0.1; done
	"$bin/genflow" 127.0.0.1 "$p" "$1" "$count" >"$d.gen"
	wait "$n" || true
	file=$(ls "$d"/nfcapd.* 2>/dev/null | grep -v current | head -n 1)
	nfdump -r "$file" -I >"$d.info"
	awk '/^Flows:/ { f = $2 } /^Sequence failures:/ { s = $3 } END { printf "%d %d ", f, s }' "$d.info"
	cpu "$d.time"
	echo
}

sent() { sed -n 's/.* in \([0-9.]*\) s: \([0-9]*\) records\/s.*/\2/p' "$1"; }

res=$out/results.txt
{
	echo "## Flow collector: IPFIX over loopback, $count records a rate, $rounds rounds"
	echo ""
	echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "versions: $("$ntpsleuth" --version 2>&1 | head -1); nfcapd $(nfcapd -V 2>&1 | sed -n 's/.*Version: *\([^ ]*\).*/\1/p' | head -1);" \
	    "receive buffers: ntpsleuth asks 4 MiB (net.core.rmem_max $(cat /proc/sys/net/core/rmem_max)), nfcapd keeps the default ($(cat /proc/sys/net/core/rmem_default))"
	echo ""
	echo "| rate asked | round | sent at | ntpsleuth received | lost | its sequence says lost | CPU s | nfcapd received | lost | sequence failures | nfcapd -B 4 MiB received | lost | CPU s |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} | tee "$res"
summary=$out/summary.tsv
: >"$summary"
for r in $rates; do
	for k in $(seq "$rounds"); do
		read -r nr nl nc < <(to_ntpsleuth "$r" "$k")
		read -r cr cs _ < <(to_nfcapd "$r" "$k")
		read -r br _ bc < <(to_nfcapd "$r" "$k" -B 4194304)
		s1=$(sent "$out/ntpsleuth-$r-$k.gen")
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$r" "$k" "$s1" \
		    "$nr" "$((count - nr))" "$nl" "$nc" "$cr" "$((count - cr))" "$cs" "$br" "$((count - br))" \
		    "$bc" | tee -a "$res"
		printf '%s\t%s\t%s\t%s\n' "$r" "$((count - nr))" "$((count - cr))" "$((count - br))" >>"$summary"
	done
done
# Rates go up: the last before the first with a loss in any round.
awk -F'\t' '
	!($1 in seen) { seen[$1] = 1; order[++k] = $1 }
	$2 != 0 { nl[$1] = 1 }
	$3 != 0 { cl[$1] = 1 }
	$4 != 0 { bl[$1] = 1 }
	END {
		for (i = 1; i <= k; i++) { if (order[i] in nl) break; n = order[i] }
		for (i = 1; i <= k; i++) { if (order[i] in cl) break; c = order[i] }
		for (i = 1; i <= k; i++) { if (order[i] in bl) break; b = order[i] }
		printf "\nhighest rate with zero loss in every round (and every rate below): ntpsleuth %d records/s, nfcapd %d, nfcapd -B 4 MiB %d", n, c, b
		if (c > 0) printf "; ntpsleuth / nfcapd %.2fx", n / c
		if (b > 0) printf ", ntpsleuth / nfcapd -B %.2fx", n / b
		printf "\n"
	}' "$summary" | tee -a "$res"
