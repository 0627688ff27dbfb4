# tests/fuzz/: libFuzzer targets, built and run by tests/fuzz/run.sh with
# its own clang command lines (they need -fsanitize=fuzzer, which the
# ordinary build does not use), so nothing here is built by `make`.
# `make fuzz FUZZ_SECONDS=60` runs each target for a minute.
FUZZ_SECONDS = 60

fuzz:
	NS_BUILDDIR='$(abs_top_builddir)' $(SHELL) '$(srcdir)/tests/fuzz/run.sh' $(FUZZ_SECONDS)
.PHONY: fuzz

EXTRA_DIST += doc/fuzzing.md .ci/sanitizers.sh \
	tests/fuzz/run.sh tests/fuzz/mkseeds.c \
	tests/fuzz/fuzz.h tests/fuzz/printable.h tests/fuzz/lk_check.h \
	tests/fuzz/fuzz_decode.c tests/fuzz/fuzz_ntp.c tests/fuzz/fuzz_ana.c \
	tests/fuzz/fuzz_rdap.c tests/fuzz/fuzz_whois.c tests/fuzz/fuzz_fwlog_file.c \
	tests/fuzz/fuzz_fwformat.c tests/fuzz/fuzz_flow.c \
	tests/fuzz/rdap.dict tests/fuzz/whois.dict \
	tests/fuzz/seeds tests/fuzz/crashes
