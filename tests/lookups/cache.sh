#!/bin/sh
# The disk cache under $XDG_CACHE_HOME: a second run is served from disk,
# and an answer past its TTL is asked again.
. "${srcdir:-.}/tests/lookups/lib.sh"
need_python
start RDAP_PORT python3 "$srcdir/tests/lookups/rdap_server.py"
NTPSLEUTH_WHOIS_SERVER=127.0.0.1:1
export NTPSLEUTH_WHOIS_SERVER
$LK_CHECK cache "http://127.0.0.1:$RDAP_PORT" "$XDG_CACHE_HOME" || exit 1
# The file is private to the user.
mode=$(stat -c %a "$XDG_CACHE_HOME/ntpsleuth")
[ "$mode" = 700 ] || { echo "not ok - cache folder mode $mode, want 700"; exit 1; }
echo "ok - cache folder mode 700"
for f in "$XDG_CACHE_HOME"/ntpsleuth/lookups-*.v1; do
	mode=$(stat -c %a "$f")
	[ "$mode" = 600 ] || { echo "not ok - cache file mode $mode, want 600"; exit 1; }
done
echo "ok - cache file mode 600"
