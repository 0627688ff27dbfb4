#!/bin/sh
# Reverse DNS against dns_server.py, inside a private network and mount
# namespace whose /etc/resolv.conf names it: the machine's own resolver
# and files are not touched.
if [ "${1:-}" = --inner ]; then
	tmp=$2
	ip link set lo up || exit 99
	mount --bind "$tmp/resolv.conf" /etc/resolv.conf || exit 99
	timeout 60 python3 "$srcdir/tests/lookups/dns_server.py" 50 >"$tmp/dns.out" 2>&1 &
	pid=$!
	i=0
	while [ ! -s "$tmp/dns.out" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	./tests/lookups/lk_check rdns "$tmp/cache"
	rc=$?
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	exit $rc
fi
. "${srcdir:-.}/tests/lookups/lib.sh"
need_python
command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 ||
	skip "unshare or ip is not installed"
unshare -n -m --propagation private true 2>/dev/null ||
	skip "cannot make network and mount namespaces here (needs root)"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$TMP/resolv.conf"
export srcdir
timeout 90 unshare -n -m --propagation private sh "$0" --inner "$TMP"
