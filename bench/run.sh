#!/bin/bash
# bench/run.sh: the `make bench` target. Measures ntpsleuth reading a large
# capture against a bare libpcap loop and three other readers, its memory as
# the number of distinct sources grows, and live capture at increasing rates.
#
#   make bench                      (or: bash bench/run.sh from the build dir)
#
# Environment:
#   NTPSLEUTH      the binary (default ./ntpsleuth)
#   BENCH_BIN      where bareloop and genpcap are (default bench)
#   BENCH_OUT      captures, reports and results (default bench/out)
#   BENCH_ROUNDS   rounds of the side-by-side comparison (default 3; the
#                  median is reported)
#   BENCH_SLOW_ROUNDS  of those rounds, how many also run ndpiReader and
#                  tshark, which take 40 s or more each here (default 1, to
#                  keep `make bench` near ten minutes on two cores)
#   BENCH_CALLGRIND  1 to also count instructions of ntpsleuth and bareloop
#                  under valgrind --tool=callgrind (adds about 5 minutes)
#   BENCH_SOURCES  distinct-source variants (default "250000 500000 1000000")
#   BENCH_CAPS     --max-hosts values tried on the largest variant
#                  (default "2500 10000 40000")
#   BENCH_LIVE     0 to skip the live part (default 1; needs root)
#   BENCH_RATES, BENCH_LIVE_SECS: see bench/live.sh
#
# The results go to stdout and to $BENCH_OUT/results.md. Nothing here is
# asserted: the targets (within 1.5x of the bare loop on the mixed capture,
# under 128 MiB with a million sources) are reported, not tested.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ntpsleuth=${NTPSLEUTH:-./ntpsleuth}
bin=${BENCH_BIN:-bench}
out=${BENCH_OUT:-bench/out}
rounds=${BENCH_ROUNDS:-3}
slow_rounds=${BENCH_SLOW_ROUNDS:-1}
sources=${BENCH_SOURCES:-250000 500000 1000000}
caps=${BENCH_CAPS:-2500 10000 40000}
local_net=10.20.0.0/16
export NTPSLEUTH=$ntpsleuth BENCH_BIN=$bin

mkdir -p "$out"
results=$out/results.md
: >"$results"
say() {
	printf '%s\n' "$*" | tee -a "$results"
}

# Tools. ndpiReader (libndpi-bin) and GNU time (time) are installed when
# missing and we are root; any other missing reader only loses its column.
install_pkg() {
	[ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null || return 1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
	    >/dev/null 2>&1 && return 0
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || return 1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
	    >/dev/null 2>&1
}
[ -x /usr/bin/time ] || install_pkg time || {
	echo "bench: needs GNU time (/usr/bin/time, package time)" >&2
	exit 1
}
command -v ndpiReader >/dev/null || install_pkg libndpi-bin || true
command -v tcpreplay >/dev/null || install_pkg tcpreplay || true
notes=()
command -v ndpiReader >/dev/null || notes+=("ndpiReader: not installed (libndpi-bin needs root to install); column skipped")
command -v tcpdump >/dev/null || notes+=("tcpdump: not installed; column skipped")
command -v tshark >/dev/null || notes+=("tshark: not installed; column skipped")

# Captures, written once and again only when the generator changes.
gen() {
	local f=$1
	shift
	if [ ! -s "$f" ] || [ "$bin/genpcap" -nt "$f" ]; then
		"$bin/genpcap" "$@" "$f.tmp" && mv "$f.tmp" "$f"
	fi
}
mixed=$out/mixed.pcap
gen "$mixed" mixed
for n in $sources; do
	gen "$out/sources-$n.pcap" sources "$n"
done

# measure LABEL ROUND CMD...: one run under GNU time; appends
# "label round wall user sys maxrss_kb status" to $raw.
raw=$out/raw.tsv
: >"$raw"
measure() {
	local label=$1 round=$2 t=$out/time.tmp status=0
	shift 2
	/usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >"$out/$label.stdout" 2>"$out/$label.stderr" ||
	    status=$?
	printf '%s\t%s\t%s\t%s\n' "$label" "$round" "$(tail -1 "$t" | tr ' ' '\t')" "$status" >>"$raw"
}

# ntpsleuth-libpcap: the same run through libpcap's reader alone
# (NTPSLEUTH_NO_BLOCKS), to show what reading the file by blocks saves;
# ntpsleuth-nopop and ntpsleuth-1writer without the page populator and
# the second JSON writer, what those two threads save (BENCHMARKS.md,
# "The eighth session": each tier against the 1.5x target).
readers=(ntpsleuth ntpsleuth-libpcap ntpsleuth-nopop ntpsleuth-1writer bareloop)
command -v tcpdump >/dev/null && readers+=(tcpdump)
command -v ndpiReader >/dev/null && readers+=(ndpiReader)
command -v tshark >/dev/null && readers+=(tshark)
run_reader() {
	case $1 in
	ntpsleuth) measure "$1" "$2" "$ntpsleuth" -r "$mixed" --report=json --no-lookups \
	    --local "$local_net" ;;
	ntpsleuth-libpcap) measure "$1" "$2" env NTPSLEUTH_NO_BLOCKS=1 "$ntpsleuth" -r "$mixed" \
	    --report=json --no-lookups --local "$local_net" ;;
	ntpsleuth-nopop) measure "$1" "$2" env NTPSLEUTH_NO_POPULATE=1 "$ntpsleuth" -r "$mixed" \
	    --report=json --no-lookups --local "$local_net" ;;
	ntpsleuth-1writer) measure "$1" "$2" env NTPSLEUTH_ONE_WRITER=1 "$ntpsleuth" -r "$mixed" \
	    --report=json --no-lookups --local "$local_net" ;;
	bareloop) measure "$1" "$2" "$bin/bareloop" "$mixed" ;;
	tcpdump) measure "$1" "$2" tcpdump -r "$mixed" -w /dev/null ;;
	ndpiReader) measure "$1" "$2" ndpiReader -i "$mixed" -q ;;
	tshark) measure "$1" "$2" tshark -r "$mixed" -q -z conv,ip ;;
	esac
}

start=$(date +%s)
say "# ntpsleuth benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
say ""
say "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ { print $2 }') GiB;" \
    "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "versions: $("$ntpsleuth" --version 2>&1 | head -1); $(tcpdump --version 2>&1 | sed -n 2p);" \
    "tcpdump $(tcpdump --version 2>&1 | sed -n 's/tcpdump version //p');" \
    "$(command -v ndpiReader >/dev/null && dpkg-query -W -f='nDPI ${Version}' libndpi-bin 2>/dev/null);" \
    "$(tshark --version 2>/dev/null | head -1 | sed 's/ (Git.*//')"
say "tree: $(git -C "$here/.." log -1 --format='%h %cs' 2>/dev/null || echo 'not a git checkout')$(git -C "$here/.." diff --quiet HEAD -- 2>/dev/null || echo ', with uncommitted changes')"
say "mixed capture: $("$bin/bareloop" "$mixed"), $(du -m "$mixed" | cut -f1) MiB on disk"
say ""

# 1. The mixed capture, every reader in each round, one after the other.
for r in $(seq "$rounds"); do
	for t in "${readers[@]}"; do
		case $t in
		ndpiReader | tshark) [ "$r" -le "$slow_rounds" ] || continue ;;
		esac
		run_reader "$t" "$r"
	done
	cp "$out/ntpsleuth.stdout" "$out/ntpsleuth-mixed.json"
done

# 2. Memory with many distinct sources, at the default host cap and then
# with other caps on the largest variant.
largest=
for n in $sources; do
	measure "sources-$n" 1 "$ntpsleuth" -r "$out/sources-$n.pcap" --report=json \
	    --no-lookups --local "$local_net"
	largest=$n
done
for c in $caps; do
	measure "sources-$largest-max$c" 1 "$ntpsleuth" -r "$out/sources-$largest.pcap" \
	    --report=json --no-lookups --local "$local_net" --max-hosts "$c"
done

/usr/bin/python3 - "$raw" "$mixed" "$out" <<'EOF' | tee -a "$results"
import json, statistics, sys
from collections import defaultdict

raw, mixed, out = sys.argv[1:4]
runs = defaultdict(list)
for line in open(raw):
    label, rnd, wall, user, sys_, rss, status = line.rstrip("\n").split("\t")
    runs[label].append(dict(wall=float(wall), cpu=float(user) + float(sys_),
                            user=float(user), sys=float(sys_), rss=int(rss),
                            status=int(status)))

def med(label, key):
    return statistics.median(r[key] for r in runs[label])

readers = [l for l in ("ntpsleuth", "ntpsleuth-libpcap", "ntpsleuth-nopop", "ntpsleuth-1writer",
                        "bareloop", "tcpdump", "ndpiReader", "tshark")
           if l in runs]
n = len(runs["ntpsleuth"])
print(f"## Reading the mixed capture (median of each reader's rounds: {n} for ntpsleuth)")
print()
print("| reader | rounds | wall s | CPU s (user+sys) | peak RSS MiB | ntpsleuth wall / this | ntpsleuth CPU / this | exit |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
nw, nc = med("ntpsleuth", "wall"), med("ntpsleuth", "cpu")
for l in readers:
    w, c = med(l, "wall"), med(l, "cpu")
    st = ",".join(sorted({str(r["status"]) for r in runs[l]}))
    print(f"| {l} | {len(runs[l])} | {w:.2f} | {c:.2f} | {med(l, 'rss') / 1024:.1f} | "
          f"{nw / w:.2f}x | {nc / c:.2f}x | {st} |")
print()
print("all rounds (wall / CPU s): " + "; ".join(
    l + " " + ", ".join(f"{r['wall']:.2f}/{r['cpu']:.2f}" for r in runs[l]) for l in readers))
try:
    rep = json.load(open(f"{out}/ntpsleuth-mixed.json"))
    frames = rep["sources"][0]["frames"]
    inc = ", ".join(f"{i['kind']} on {i['local']}" for i in rep["incidents"])
    verdicts = defaultdict(int)
    for h in rep["hosts"]:
        verdicts[h["verdict"]] += 1
    print(f"ntpsleuth read {frames} frames; incidents: {inc}; "
          f"hosts held {len(rep['hosts'])} ({dict(verdicts)}), "
          f"seen {rep['totals']['hosts_seen']}, evicted {rep['totals']['hosts_evicted']}")
except Exception as e:
    print(f"ntpsleuth report unreadable: {e}")
target = 1.5
# Paired: each round's ntpsleuth against the bareloop of the same round,
# seconds apart. This virtual machine's speed drifts over minutes (the
# medians of the two can come from different phases of it); a ratio taken
# within a round cancels most of that.
pairs = sorted(a["wall"] / b["wall"] for a, b in zip(runs["ntpsleuth"], runs["bareloop"]))
paired = statistics.median(pairs)
print(f"ntpsleuth / bareloop, wall, round by round: {', '.join(f'{p:.2f}' for p in pairs)} "
      f"(median {paired:.2f}x; the medians' ratio is {nw / med('bareloop', 'wall'):.2f}x)")
print(f"target: ntpsleuth within {target}x of the bare loop: wall {paired:.2f}x (median of the rounds' "
      f"ratios), CPU {nc / med('bareloop', 'cpu'):.1f}x -> {'met' if paired <= target else 'NOT met'}")
# A tier's worth, round by round as above: the run without it over the run with it.
for l, what in (("ntpsleuth-libpcap", "the block reader"), ("ntpsleuth-nopop", "the page populator"),
                ("ntpsleuth-1writer", "the second JSON writer")):
    if l in runs:
        t = sorted(a["wall"] / b["wall"] for a, b in zip(runs[l], runs["ntpsleuth"]))
        print(f"{what}: without it / with it, wall, round by round: {', '.join(f'{x:.2f}' for x in t)} "
              f"(median {statistics.median(t):.2f}x)")
print()
print("## Peak memory with many distinct sources (one run each)")
print()
print("| capture | --max-hosts | frames | wall s | CPU s | peak RSS MiB | hosts seen / evicted |")
print("|---|---:|---:|---:|---:|---:|---|")
for l in runs:
    if not l.startswith("sources-"):
        continue
    parts = l.split("-max")
    cap = parts[0]
    mh = parts[1] if len(parts) > 1 else "10000 (default)"
    r = runs[l][0]
    try:
        rep = json.load(open(f"{out}/{l}.stdout"))
        fr = rep["sources"][0]["frames"]
        hs = f"{rep['totals']['hosts_seen']} / {rep['totals']['hosts_evicted']}"
    except Exception:
        fr, hs = "?", "report unreadable"
    print(f"| {cap}.pcap | {mh} | {fr} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss'] / 1024:.1f} | {hs} |")
big = [l for l in runs if l.startswith("sources-") and "-max" not in l]
if big:
    worst = max(runs[l][0]["rss"] for l in big) / 1024
    print()
    print(f"target: under 128 MiB with a million sources at the default cap: "
          f"peak {worst:.1f} MiB -> {'met' if worst < 128 else 'NOT met'}")
EOF
for note in "${notes[@]+"${notes[@]}"}"; do
	say "note: $note"
done

# Optional: instruction counts, which other load on the machine does not
# change. ntpsleuth keeps root here (-Z root) only so that callgrind, in the
# same process, can still write its output file after the privilege drop.
if [ "${BENCH_CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
	cg=$out/callgrind
	mkdir -p "$cg"
	valgrind --tool=callgrind --callgrind-out-file="$cg/bareloop.out" \
	    "$bin/bareloop" "$mixed" >/dev/null 2>"$cg/bareloop.log"
	valgrind --tool=callgrind --callgrind-out-file="$cg/ntpsleuth.out" \
	    "$ntpsleuth" -Z root -r "$mixed" --report=json --no-lookups \
	    --local "$local_net" >/dev/null 2>"$cg/ntpsleuth.log"
	ib=$(callgrind_annotate "$cg/bareloop.out" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
	in=$(callgrind_annotate "$cg/ntpsleuth.out" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
	say ""
	say "## Instructions (callgrind) on the mixed capture"
	say ""
	say "bareloop $ib, ntpsleuth $in: $(awk -v a="$in" -v b="$ib" 'BEGIN { printf "%.1fx", a / b }')"
	say "ntpsleuth's heaviest functions, inclusive:"
	say '```'
	callgrind_annotate --inclusive=yes "$cg/ntpsleuth.out" |
	    awk '/%\)/ && /\]$/ && (/ntpsleuth\]$/ || /calloc|memset|fputc|vfprintf/)' |
	    grep -v 'below main\|main.c:main' | head -25 | tee -a "$results"
	say '```'
fi

# 3. Live capture at increasing rates (root only).
if [ "${BENCH_LIVE:-1}" != 0 ]; then
	say ""
	say "## Live: tcpreplay onto a veth between two namespaces, ntpsleuth -i on the far end"
	say ""
	say '```'
	status=0
	bash "$here/live.sh" "$mixed" "$out" >"$out/live.txt" || status=$?
	tee -a "$results" <"$out/live.txt"
	say '```'
	if [ "$status" -eq 0 ]; then
		# Rates go up row by row: the last row before the first with
		# ring drops (a faster rate may drop none in one run and some in
		# the next). The batch table only: it ends at the first empty line.
		awk 'NF == 0 { exit } $1 ~ /^([0-9]+|top)$/ && $5 != 0 { stop = 1 }
		    !stop && $1 ~ /^([0-9]+|top)$/ && $5 == 0 { r = $1; a = $3 }
		    END { if (r == "") print "highest rate with zero ring drops: none";
		    else print "highest rate with zero ring drops: " r " asked, " a " packets/s sent" }' \
		    "$out/live.txt" | tee -a "$results"
	fi
fi
say ""
say "bench: done in $(($(date +%s) - start)) s; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
