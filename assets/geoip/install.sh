#!/bin/sh
# Install free GeoIP databases for ntpsleuth into DESTDIR (for instance
# the installed data folder, $(pkgdatadir)/geoip, which lookups/geo.c
# reads by default):
#
#   geo-whois-asn-country.mmdb  country per address, IPv4 and IPv6, from
#       the npm package @ip-location-db/geo-whois-asn-country-mmdb
#       (package licence CC0-1.0; its data from the RIRs' statistics,
#       CC-BY-4.0 by the NRO)
#   asn.mmdb  AS number and organisation per address, converted here from
#       the CSV files of @ip-location-db/asn (CC-BY-4.0: RouteViews,
#       DB-IP, NRO) by asn-csv-to-mmdb.pl with Debian's
#       libmaxmind-db-writer-perl
#
# and the packages' licence files, which the attribution the CC-BY data
# requires points to.
#
# usage: install.sh [--no-asn] DESTDIR
#   NTPSLEUTH_GEOIP_VERSION=2.3.2026061719 pins both packages' version.
#
# Needs npm (and the registry), tar, perl with MaxMind::DB::Writer::Tree.
# Measured here: about 3 s to fetch 26 MB, 13 s and 190 MB of memory to
# convert 515,000 ASN ranges; 19 MB installed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
asn=yes
if [ "${1:-}" = "--no-asn" ]; then
	asn=no
	shift
fi
if [ $# -ne 1 ]; then
	echo "usage: $0 [--no-asn] DESTDIR" >&2
	exit 2
fi
dest=$1
version=${NTPSLEUTH_GEOIP_VERSION:-latest}

command -v npm >/dev/null 2>&1 || { echo "$0: npm is not installed" >&2; exit 1; }
if [ $asn = yes ] && ! perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null; then
	echo "$0: perl's MaxMind::DB::Writer::Tree is missing" \
		"(Debian: apt-get install libmaxmind-db-writer-perl), or use --no-asn" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ntpsleuth-geoip.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# npm pack: the package's files, without installing anything or running
# any of its scripts.
fetch() {
	( cd "$work" && npm pack --silent "$1@$version" 2>/dev/null ) | tail -n 1
}

mkdir -p "$work/out"
tgz=$(fetch @ip-location-db/geo-whois-asn-country-mmdb)
[ -f "$work/$tgz" ] || { echo "$0: npm pack of the country database failed" >&2; exit 1; }
mkdir "$work/country"
tar -xzf "$work/$tgz" -C "$work/country"
cp "$work/country/package/geo-whois-asn-country.mmdb" "$work/out/"
cp "$work/country/package/NRO_LICENSE" "$work/out/NRO_LICENSE"
cver=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$work/country/package/package.json")

if [ $asn = yes ]; then
	tgz=$(fetch @ip-location-db/asn)
	[ -f "$work/$tgz" ] || { echo "$0: npm pack of the ASN table failed" >&2; exit 1; }
	mkdir "$work/asn"
	tar -xzf "$work/$tgz" -C "$work/asn"
	perl "$here/asn-csv-to-mmdb.pl" "$work/out/asn.mmdb" \
		"$work/asn/package/asn-ipv4.csv" "$work/asn/package/asn-ipv6.csv"
	for f in DBIP-LICENSE ROUTEVIEWS-LICENSE MODIFICATIONS; do
		cp "$work/asn/package/$f" "$work/out/ASN-$f"
	done
	aver=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$work/asn/package/package.json")
fi

cat >"$work/out/ATTRIBUTION" <<EOF
Databases installed by ntpsleuth's assets/geoip/install.sh on $(date -u +%Y-%m-%d).

geo-whois-asn-country.mmdb: @ip-location-db/geo-whois-asn-country-mmdb $cver
  by sapics/ip-location-db; package licence CC0-1.0; data from the RIRs'
  WHOIS and statistics, CC-BY-4.0 by the Number Resource Organization
  (nro.net): see NRO_LICENSE.
EOF
if [ $asn = yes ]; then
	cat >>"$work/out/ATTRIBUTION" <<EOF

asn.mmdb: converted from @ip-location-db/asn $aver (CSV) by
  asn-csv-to-mmdb.pl; CC-BY-4.0: IP to ASN data by RouteViews
  (routeviews.org) and DB-IP (db-ip.com), with modifications by
  ip-location-db: see ASN-ROUTEVIEWS-LICENSE, ASN-DBIP-LICENSE and
  ASN-MODIFICATIONS.
EOF
fi

# Into place: each file renamed over the old one, so that a running
# ntpsleuth never sees half a database.
mkdir -p "$dest"
for f in "$work"/out/*; do
	b=$(basename "$f")
	cp "$f" "$dest/.$b.new"
	mv -f "$dest/.$b.new" "$dest/$b"
done
# setup.sh's marker: installed, and from which versions.
printf 'country %s\nasn %s\n' "$cver" "${aver:-none}" >"$dest/.installed.new"
mv -f "$dest/.installed.new" "$dest/.installed"
echo "installed in $dest:"
ls -l "$dest"
