#!/bin/sh
# RDAP against a loopback HTTP server: answers in the registries' style,
# redirects, 404, 429, 503, a stall, escapes, truncated and oversize JSON;
# then the rate limit, the queue cap and the network cache.
. "${srcdir:-.}/tests/lookups/lib.sh"
need_python
start RDAP_PORT python3 "$srcdir/tests/lookups/rdap_server.py"
# The whois fallback must fail fast here: nothing listens on port 1.
NTPSLEUTH_WHOIS_SERVER=127.0.0.1:1
export NTPSLEUTH_WHOIS_SERVER
rc=0
$LK_CHECK rdap "http://127.0.0.1:$RDAP_PORT" || rc=1
$LK_CHECK ratelimit "http://127.0.0.1:$RDAP_PORT" || rc=1
exit $rc
