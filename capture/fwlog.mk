# capture/fwlog.c: netfilter firewall logs (iptables LOG, nftables log)
# read as packets. Its tests and recorded logs are in tests/fwlog/.
libns_a_SOURCES += capture/fwlog.c capture/fwlog.h capture/fwformat.h capture/fwfield.c
libns_a_SOURCES += capture/fwlog_pf.c
libns_a_SOURCES += capture/fwlog_cef.c
libns_a_SOURCES += capture/fwlog_windows.c
libns_a_SOURCES += capture/fwlog_mikrotik.c
libns_a_SOURCES += capture/fwlog_checkpoint.c
libns_a_SOURCES += capture/fwlog_fortigate.c
libns_a_SOURCES += capture/fwlog_sonicwall.c
libns_a_SOURCES += capture/fwlog_sophos.c
libns_a_SOURCES += capture/fwlog_panos.c
libns_a_SOURCES += capture/fwlog_junos.c
libns_a_SOURCES += capture/fwlog_cisco.c capture/fwlog_meraki.c

if HAVE_CMOCKA
check_PROGRAMS += tests/fwlog/test_fwlog
TESTS += tests/fwlog/test_fwlog
endif
tests_fwlog_test_fwlog_SOURCES = tests/fwlog/test_fwlog.c
tests_fwlog_test_fwlog_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_fwlog_test_fwlog_LDADD = libns.a $(NS_LIBS) $(CMOCKA_LIBS)

# The recorded logs (tests/fwlog/README.md), the script that records them,
# and the libFuzzer target with its runner (not built by make).
FWLOG_LOGS = \
	tests/fwlog/nft.syslog tests/fwlog/ipt.rfc3339 \
	tests/fwlog/ntp-late.journal tests/fwlog/ntp-late.journal.gz \
	tests/fwlog/ipt6.journal-iso tests/fwlog/nft6-frag.dmesg \
	tests/fwlog/ntp-late.dmesg-T tests/fwlog/udp-scan.kmsg tests/fwlog/kmsg-seq-overflow.kmsg
EXTRA_DIST += doc/fwlog.md tests/fwlog/README.md $(FWLOG_LOGS) \
	tests/fwlog/record.sh tests/fwlog/kmsg-follow.py tests/fwlog/late-ntp.py \
	tests/fwlog/fuzz_fwlog.c tests/fwlog/fuzz.sh

# Every vendor's parser against its own logs (tests/fwlog/vendors/) and
# the real lines of ../shared/fwlogs/truth.tsv.
check_PROGRAMS += tests/fwlog/test_vendors
TESTS += tests/fwlog/test_vendors
tests_fwlog_test_vendors_SOURCES = tests/fwlog/test_vendors.c
tests_fwlog_test_vendors_LDADD = libns.a $(NS_LIBS)
EXTRA_DIST += tests/fwlog/vendors

# --follow: appended lines, a rotation and a truncation (a few seconds).
TESTS += tests/fwlog/follow.sh
EXTRA_DIST += tests/fwlog/follow.sh
