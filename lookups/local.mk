# lookups/: the lookup service and its plugins (doc/lookups.md).
libns_a_SOURCES += \
	lookups/lookup.h lookups/plugin.h \
	lookups/lookup.c \
	lookups/cache.c lookups/cache.h \
	lookups/rdns.c \
	lookups/registry.c lookups/registry.h \
	lookups/rdap.c lookups/rdap.h lookups/rdap_json.c \
	lookups/whois.c lookups/whois.h \
	lookups/geo.c \
	lookups/ntprep.c lookups/ntpq.c lookups/ntpq.h \
	lookups/report.c

dist_pkgdata_DATA += assets/public-ntp.list
EXTRA_DIST += doc/lookups.md \
	assets/geoip/install.sh assets/geoip/asn-csv-to-mmdb.pl

# Tests (tests/lookups/): loopback servers in python3, GeoIP databases built
# at test time with libmaxmind-db-writer-perl, a real chronyd when present.
check_PROGRAMS += tests/lookups/lk_check
tests_lookups_lk_check_SOURCES = tests/lookups/lk_check.c
tests_lookups_lk_check_LDADD = libns.a $(NS_LIBS)
TESTS += \
	tests/lookups/list.sh \
	tests/lookups/rdap.sh \
	tests/lookups/rdns.sh \
	tests/lookups/whois.sh \
	tests/lookups/cache.sh \
	tests/lookups/geo.sh \
	tests/lookups/ntp.sh
EXTRA_DIST += \
	tests/lookups/lib.sh \
	tests/lookups/list.sh tests/lookups/rdap.sh tests/lookups/rdns.sh \
	tests/lookups/whois.sh tests/lookups/dns_server.py \
	tests/lookups/cache.sh tests/lookups/geo.sh tests/lookups/ntp.sh \
	tests/lookups/rdap_server.py tests/lookups/whois_server.py \
	tests/lookups/ntp_responder.py tests/lookups/mkmmdb.pl

if HAVE_CMOCKA
check_PROGRAMS += tests/lookups/test_rdap_parse
tests_lookups_test_rdap_parse_SOURCES = tests/lookups/test_rdap_parse.c
tests_lookups_test_rdap_parse_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_lookups_test_rdap_parse_LDADD = libns.a $(NS_LIBS) $(CMOCKA_LIBS)
TESTS += tests/lookups/test_rdap_parse
endif
