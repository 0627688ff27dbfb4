#!/bin/sh
# The port-43 whois fallback against a loopback "IANA" and "registry".
. "${srcdir:-.}/tests/lookups/lib.sh"
need_python
start RDAP_PORT python3 "$srcdir/tests/lookups/rdap_server.py"
start WHOIS_PORTS python3 "$srcdir/tests/lookups/whois_server.py"
NTPSLEUTH_WHOIS_SERVER=127.0.0.1:${WHOIS_PORTS%% *}
export NTPSLEUTH_WHOIS_SERVER
$LK_CHECK whois "http://127.0.0.1:$RDAP_PORT"
exit $?
