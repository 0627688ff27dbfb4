#!/bin/bash
# bench/fwlog.sh: reading firewall logs (issue 16). Writes a mixed-vendor
# log of BENCH_FWLOG_LINES lines (default 1,000,000) from the records of
# every vendor's test log in tests/fwlog/vendors/ (their "ok" rows, the
# source address's last byte varied so that the hosts are many), then
# times, side by side and BENCH_ROUNDS times, `wc -l` of the file and
# `ntpsleuth --fwlog FILE --report --no-lookups`, and prints lines per
# second of each and their ratio (median of the rounds). Nothing is
# asserted: the target (well under 2 s for a million lines) is reported.
#
#   bash bench/fwlog.sh        (make bench runs it too)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
ntpsleuth=${NTPSLEUTH:-./ntpsleuth}
out=${BENCH_OUT:-bench/out}
lines=${BENCH_FWLOG_LINES:-1000000}
rounds=${BENCH_ROUNDS:-3}
mkdir -p "$out"
log="$out/mixed-fwlog.log"

# The lines each .expect says are read ("ok"), of every vendor.
python3 - "$src/tests/fwlog/vendors" "$lines" "$log" <<'PY'
import glob, os, re, sys
d, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pool = []
for exp in sorted(glob.glob(os.path.join(d, "*.expect"))):
    logf = exp[:-len(".expect")] + ".log"
    with open(logf, errors="replace") as f:
        text = f.read().split("\n")
    for row in open(exp):
        if row.startswith("#"):
            continue
        c = row.rstrip("\n").split("\t")
        # Summaries of more than 100 packets are left out: a real log has
        # few (they are a line a log-update interval), and each is that many
        # packets for the analysis, which is not what this measures.
        big = len(c) > 14 and c[14] not in ("-", "") and int(c[14]) > 100
        if len(c) > 3 and c[1] == "ok" and ":" not in c[3] and not big:
            pool.append((text[int(c[0]) - 1], c[3]))
if not pool:
    sys.exit("bench/fwlog.sh: no vendor logs with expectations in " + d)
with open(path, "w") as f:
    for i in range(n):
        line, src = pool[i % len(pool)]
        a = src.split(".")
        new = ".".join(a[:3] + [str((int(a[3]) + i // len(pool)) % 254 + 1)])
        f.write(line.replace(src, new, 1) + "\n")
print("bench/fwlog.sh: %d lines from %d vendor records" % (n, len(pool)))
PY

t() { # seconds of one run of "$@"
	local s e
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	e=$(date +%s.%N)
	echo "$e - $s" | bc -l
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

: >"$out/fwlog-wc.t"
: >"$out/fwlog-ns.t"
for r in $(seq 1 "$rounds"); do
	t wc -l "$log" >>"$out/fwlog-wc.t"
	t "$ntpsleuth" --fwlog "$log" --report --no-lookups --local 192.0.2.0/24 \
		--local 2001:db8::/32 >>"$out/fwlog-ns.t"
done
wc_s=$(median <"$out/fwlog-wc.t")
ns_s=$(median <"$out/fwlog-ns.t")
pk=$("$ntpsleuth" --fwlog "$log" --report=json --no-lookups --local 192.0.2.0/24 2>/dev/null |
	python3 -c 'import json,sys; s=json.load(sys.stdin)["sources"][0]; print(s["log_packets"])')
echo "fwlog: the analysis took $pk packets from the $lines lines"
mem=$( { /usr/bin/time -f '%M' "$ntpsleuth" --fwlog "$log" --report --no-lookups \
	--local 192.0.2.0/24 >/dev/null; } 2>&1 | tail -n 1)
printf 'fwlog: %d lines; wc -l %.3f s (%.0f lines/s); ntpsleuth %.3f s (%.0f lines/s), %s KiB; ratio %.1fx wc -l\n' \
	"$lines" "$wc_s" "$(echo "$lines / $wc_s" | bc -l)" "$ns_s" \
	"$(echo "$lines / $ns_s" | bc -l)" "$mem" "$(echo "$ns_s / $wc_s" | bc -l)" |
	tee -a "$out/results.md"
