# bench/: the throughput and memory benchmark (issue 7). Not part of
# `make all` or `make check`: `make bench` builds the two helpers, writes the
# captures to bench/out/ and runs bench/run.sh, whose figures go into
# BENCHMARKS.md. (EXTRA_PROGRAMS is set here, not added to: no other
# local.mk sets it, and automake refuses += on an unset variable.)
EXTRA_PROGRAMS = bench/bareloop bench/genpcap bench/genflow
bench_bareloop_SOURCES = bench/bareloop.c
bench_bareloop_LDADD = $(PCAP_LIBS)
bench_genpcap_SOURCES = bench/genpcap.c
bench_genflow_SOURCES = bench/genflow.c
CLEANFILES += bench/bareloop bench/genpcap bench/genflow
EXTRA_DIST += bench/run.sh bench/live.sh bench/fwlog.sh bench/flow.sh

bench: ntpsleuth bench/bareloop bench/genpcap bench/genflow
	NTPSLEUTH=$(abs_top_builddir)/ntpsleuth \
	BENCH_BIN=$(abs_top_builddir)/bench \
	BENCH_OUT=$(abs_top_builddir)/bench/out \
	$(SHELL) $(srcdir)/bench/run.sh
	NTPSLEUTH=$(abs_top_builddir)/ntpsleuth BENCH_OUT=$(abs_top_builddir)/bench/out \
	$(SHELL) $(srcdir)/bench/fwlog.sh
	NTPSLEUTH=$(abs_top_builddir)/ntpsleuth BENCH_BIN=$(abs_top_builddir)/bench \
	BENCH_OUT=$(abs_top_builddir)/bench/out \
	$(SHELL) $(srcdir)/bench/flow.sh

clean-local: bench-clean-local
bench-clean-local:
	-rm -rf bench/out
.PHONY: bench bench-clean-local
