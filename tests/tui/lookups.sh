#!/bin/sh
# Lookup results reach the screen as they arrive: the reverse-DNS name in
# the host list and the detail's lookups panel. The remote host here is
# 127.0.0.1 (with --local 192.0.2.1), whose name the system resolver
# knows without the network.
. "${srcdir:-.}/tests/tui/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
name=$(getent hosts 127.0.0.1 2>/dev/null | awk '{ print $2; exit }')
[ -n "$name" ] || skip "the resolver has no name for 127.0.0.1"
python3 "$srcdir/tests/tui/mkflood.py" "$TMP/lo.pcap" 20 127.0.0.1 || fail "mkflood.py failed"
mkdir -p "$TMP/cache"

start 80 24 XDG_CACHE_HOME=$TMP/cache -- --lookups=rdns --local 192.0.2.1 --speed max -r "$TMP/lo.pcap"
wait_for "^127\.0\.0\.1 $name +unsolicited "
# A name is text: the filter finds hosts by it.
keys / "$name" Enter
wait_for '\(1 shown\)'
keys / C-u nosuchname Enter
wait_gone "^127\.0\.0\.1 "
keys c
wait_for "^127\.0\.0\.1 $name "
keys Enter End
wait_for '^. Lookups '
wait_for "^Reverse DNS: $name\$"
# Lookups not asked for say so.
wait_for '^Geo: +off$'
wait_for "^. 127\.0\.0\.1 \($name\) "
quit

# Without a usable terminal the report printed at the end has the same
# lookups as --report: asked for every host and waited for (a fresh cache,
# so the name cannot come from the run above).
echo 'leak:new_prescr' >"$TMP/lsan.supp"
chmod a+rx "$TMP"
chmod a+r "$TMP/lsan.supp"
mkdir -p "$TMP/cache2"
start 100 60 TERM=no-such-terminal LSAN_OPTIONS=suppressions=$TMP/lsan.supp \
    XDG_CACHE_HOME=$TMP/cache2 -- --lookups=rdns --local 192.0.2.1 --speed max -r "$TMP/lo.pcap"
wait_for '^EXIT=0$'
wait_for "^ +Name: $name"
echo "PASS: lookups"
