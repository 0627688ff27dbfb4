#!/bin/sh
# GeoIP against .mmdb files built now with libmaxmind-db-writer-perl,
# damaged copies of them, and the npm databases when installed (in
# $NTPSLEUTH_GEOIP_DIR, or where setup.sh has install.sh put them).
. "${srcdir:-.}/tests/lookups/lib.sh"
perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
	skip "libmaxmind-db-writer-perl is not installed"
perl "$srcdir/tests/lookups/mkmmdb.pl" "$TMP" || exit 99
npm=
for d in "${NTPSLEUTH_GEOIP_DIR:-}" "$srcdir/assets/geoip/db" ./assets/geoip/db \
    /usr/local/share/ntpsleuth/geoip /usr/share/ntpsleuth/geoip; do
	if [ -n "$d" ] && [ -f "$d/geo-whois-asn-country.mmdb" ]; then
		npm=$d
		break
	fi
done
# Only the databases the test names: not the machine's.
NTPSLEUTH_GEOIP_DIRS= $LK_CHECK geo "$TMP" $npm || exit 1

# A binary run from its source tree finds assets/ beside itself.
mkdir -p "$TMP/tree/assets/geoip/db"
cp "$LK_CHECK" "$TMP/tree/"
cp "$TMP/city.mmdb" "$TMP/tree/assets/geoip/db/"
cp "$srcdir/assets/public-ntp.list" "$TMP/tree/assets/"
"$TMP/tree/lk_check" beside
exit $?
