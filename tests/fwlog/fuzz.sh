#!/bin/sh
# fuzz.sh [SECONDS]: build tests/fwlog/fuzz_fwlog.c with clang's libFuzzer,
# ASan and UBSan, seed it with the recorded logs' lines and run it for
# SECONDS (default 60). Run from the top of the (configured) tree; a crash
# leaves crash-* in the corpus folder and exits non-zero.
set -eu
secs=${1:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=${FWLOG_FUZZ_DIR:-$top/tests/out/fwlog-fuzz}
mkdir -p "$work/corpus"
command -v clang >/dev/null 2>&1 || { echo "fuzz.sh: no clang" >&2; exit 77; }

clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I"$top" \
	"$top/tests/fwlog/fuzz_fwlog.c" "$top/capture/fwlog.c" "$top/capture/fwfield.c" \
	"$top"/capture/fwlog_*.c \
	"$top/common/addr.c" "$top/common/util.c" -lz -lm \
	-o "$work/fuzz_fwlog"

# One seed per recorded line (selector byte 0: year 0, UTC).
i=0
for f in "$top"/tests/fwlog/*.syslog "$top"/tests/fwlog/*.rfc3339 \
    "$top"/tests/fwlog/*.journal "$top"/tests/fwlog/*.journal-iso \
    "$top"/tests/fwlog/*.dmesg "$top"/tests/fwlog/*.dmesg-T \
    "$top"/tests/fwlog/*.kmsg; do
	while IFS= read -r line; do
		i=$((i + 1))
		printf '\000%s' "$line" >"$work/corpus/seed-$i"
	done <"$f"
done

cd "$work"
./fuzz_fwlog -max_total_time="$secs" -max_len=4096 -timeout=5 corpus
