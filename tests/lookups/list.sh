#!/bin/sh
# The public NTP list (its literal addresses work without DNS), the
# public/why judgement, and the report's JSON.
. "${srcdir:-.}/tests/lookups/lib.sh"
list=$srcdir/assets/public-ntp.list
# The same list without its names, so that no answer waits for DNS.
awk '$1 ~ /^[0-9.\/]+$/ || $1 ~ /:/' "$list" >"$TMP/literal.list"
$LK_CHECK list "$list" "$TMP/literal.list" 2>"$TMP/stderr" || exit 1
# Every line of the shipped list parses.
if [ -s "$TMP/stderr" ]; then
	cat "$TMP/stderr"
	echo "not ok - the list has lines that do not parse"
	exit 1
fi
echo "ok - every line of $list parses"
