#!/bin/sh
# GeoIP against .mmdb files built now with libmaxmind-db-writer-perl,
# damaged copies of them, and the npm databases when installed (in
# $NTPSLEUTH_GEOIP_DIR, or where install.sh put them for this build).
. "${srcdir:-.}/tests/lookups/lib.sh"
perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
	skip "libmaxmind-db-writer-perl is not installed"
perl "$srcdir/tests/lookups/mkmmdb.pl" "$TMP" || exit 99
# Only the databases the test names: not the machine's.
NTPSLEUTH_GEOIP_DIRS=
export NTPSLEUTH_GEOIP_DIRS
npm=
for d in "$NTPSLEUTH_GEOIP_DIR" "$srcdir/assets/geoip/db" ./assets/geoip/db \
    /usr/local/share/ntpsleuth/geoip /usr/share/ntpsleuth/geoip; do
	if [ -n "$d" ] && [ -f "$d/geo-whois-asn-country.mmdb" ]; then
		npm=$d
		break
	fi
done
$LK_CHECK geo "$TMP" $npm
exit $?
