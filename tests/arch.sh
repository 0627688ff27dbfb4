#!/bin/sh
# The include rules of doc/ARCHITECTURE.md, checked on the sources:
# - the folders' include graph has no cycle;
# - common/ includes no other folder; capture/ only common/;
# - no file of tui/ includes main.c's options (main.h is gone; nothing
#   may bring it back) or capture/cap.h: the console gets a session;
# - analysis/ includes nothing of lookups/, report/ or tui/, and not
#   libpcap: it takes decoded packets and gives plain data; report/
#   (the writers) reads it and the lookups, nothing reads report/ but
#   the session and the console.
set -u
srcdir=${srcdir:-.}
cd "$srcdir" || exit 99
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

edges=$(mktemp) || exit 99
trap 'rm -f "$edges"' EXIT
for d in common capture analysis report lookups tui; do
	for f in "$d"/*.c "$d"/*.h; do
		[ -e "$f" ] || continue
		sed -n 's/^#include "\([a-z]*\)\/.*"/\1/p' "$f" | while read -r to; do
			[ "$to" != "$d" ] && [ "$to" != tests ] && echo "$d $to $f"
		done
		grep -q '^#include "main.h"' "$f" && bad "$f includes main.h"
		if grep -q '^#include <pcap' "$f"; then
			case "$d" in
			analysis) bad "$f includes libpcap: analysis reads decoded packets" ;;
			esac
		fi
	done
done >"$edges"
[ "$fail" -eq 0 ] || exit 1

while read -r from to f; do
	case "$from:$to" in
	common:*) bad "$f: common/ includes $to/" ;;
	capture:common) ;;
	capture:*) bad "$f: capture/ includes $to/" ;;
	tui:capture) bad "$f: tui/ includes capture/ (the console reads the session)" ;;
	analysis:lookups | analysis:report | analysis:tui)
		bad "$f: analysis/ includes $to/" ;;
	lookups:analysis | lookups:report | lookups:tui | report:tui)
		bad "$f: $from/ includes $to/" ;;
	esac
done <"$edges"

# A cycle: tsort reports one on stderr.
if ! awk '{ print $2, $1 }' "$edges" | sort -u | tsort >/dev/null 2>"$edges.err"; then
	bad "the include graph between folders has a cycle: $(cat "$edges.err")"
fi
rm -f "$edges.err"
[ "$fail" -eq 0 ] || exit 1
echo "PASS: include rules ($(awk '{ print $1 "->" $2 }' "$edges" | sort -u | tr '\n' ' '))"
