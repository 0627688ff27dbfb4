# Unit tests (cmocka), golden tests (TESTLIST) and the tshark comparison.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_ring tests/unit/test_decode tests/unit/test_evidence tests/unit/test_common \
	tests/unit/test_frag
TESTS += tests/unit/test_ring tests/unit/test_decode tests/unit/test_evidence tests/unit/test_common \
	tests/unit/test_frag
check_PROGRAMS += tests/unit/test_reflect
TESTS += tests/unit/test_reflect
endif
NS_TEST_LDADD = libns.a $(NS_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ring_SOURCES = tests/unit/test_ring.c
tests_unit_test_ring_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ring_LDADD = $(NS_TEST_LDADD)
tests_unit_test_decode_SOURCES = tests/unit/test_decode.c
tests_unit_test_decode_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_decode_LDADD = $(NS_TEST_LDADD)
tests_unit_test_evidence_SOURCES = tests/unit/test_evidence.c
tests_unit_test_evidence_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_evidence_LDADD = $(NS_TEST_LDADD)
tests_unit_test_common_SOURCES = tests/unit/test_common.c
tests_unit_test_common_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_common_LDADD = $(NS_TEST_LDADD)
tests_unit_test_frag_SOURCES = tests/unit/test_frag.c
tests_unit_test_frag_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_frag_LDADD = $(NS_TEST_LDADD)
tests_unit_test_reflect_SOURCES = tests/unit/test_reflect.c
tests_unit_test_reflect_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_reflect_LDADD = $(NS_TEST_LDADD)

# Golden tests and the tshark comparison (scripts run from the build dir).
TESTS += tests/golden.sh tests/tshark.sh tests/export.sh tests/privs.sh tests/reader.sh tests/arch.sh tests/infer.sh
AM_TESTS_ENVIRONMENT = srcdir='$(srcdir)'; export srcdir; NTPSLEUTH='$(abs_top_builddir)/ntpsleuth'; export NTPSLEUTH;
EXTRA_DIST += tests/golden.sh tests/golden-summary.py tests/TESTLIST tests/golden \
	tests/tshark.sh tests/tshark-compare.py tests/captures tests/export.sh tests/privs.sh \
	tests/reader.sh tests/arch.sh tests/infer.sh tests/unit/record-reflect.sh tests/unit/feed.h
# Flow records (doc/flow.md): the decoder and the feed on softflowd's
# recorded exports and on bad input; the collectors end to end.
if HAVE_CMOCKA
check_PROGRAMS += tests/flow/test_flow
TESTS += tests/flow/test_flow
endif
tests_flow_test_flow_SOURCES = tests/flow/test_flow.c
tests_flow_test_flow_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_flow_test_flow_LDADD = $(NS_TEST_LDADD)
EXTRA_DIST += tests/flow/export.py
# softflowd and nfcapd when installed; the recorded exports always (30 s).
TESTS += tests/flow/flow.sh
EXTRA_DIST += tests/flow/flow.sh tests/flow/verdicts.py tests/flow/record.sh \
	tests/flow/softflowd.sh tests/flow/lab-flows.sh tests/flow/LAB-DIFF \
	tests/flow/record-pmacct.sh tests/flow/pmacct-conf.sh
# The events (--events, doc/events.md): packets, a firewall log, a flow
# file, and flows live over loopback; from the console, in tmux.
TESTS += tests/events.sh tests/tui/events.sh
EXTRA_DIST += tests/events.sh tests/events-check.py tests/replay-veth.py tests/tui/events.sh
# ntpsleuth and FastNetMon on the same softflowd exports (doc/fastnetmon.md):
# ntpsleuth's verdicts checked, FastNetMon's reported; 77 without them (90 s).
TESTS += tests/flow/fastnetmon.sh
EXTRA_DIST += tests/flow/fastnetmon.sh
