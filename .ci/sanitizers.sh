#!/bin/sh
# CI, after the normal suite: the same tree again under the sanitizers.
#
#   1. a copy of the tree, configured with --enable-asan CC=clang, and its
#      whole `make check` under AddressSanitizer, LeakSanitizer and
#      UndefinedBehaviorSanitizer;
#   2. valgrind on the batch report of each broken capture, with the
#      ordinary build;
#   3. the inputs that fuzzing found (tests/fuzz/crashes/: captures, read
#      with -r, and firewall logs, read with --fwlog) under the ASan build:
#      a known crash is reported, not counted, until its owner fixes it
#      and adds it to tests/TESTLIST;
#   4. each libFuzzer target for FUZZ_SECONDS (default 30; 0 skips this
#      step) seconds; its corpus, logs and crash inputs stay in
#      tests/out/fuzz (a crash's input is also printed in base64). A crash
#      at a place tests/fuzz/crashes/KNOWN lists is reported, not counted.
#
# Ends with one line "sanitizers: N passed, N failed" counting the steps;
# exits 1 when one failed. Runs as root or not, with no terminal, with
# ../shared beside the repository or without it (the cases that need it
# skip with a message). Needs clang and its runtime (Debian: clang,
# libclang-rt-14-dev), valgrind, and what setup.sh installs.
set -u

cd "$(dirname "$0")/.."
src=$(pwd)
fuzz_secs=${FUZZ_SECONDS:-30}
jobs=$(nproc 2>/dev/null || echo 2)
pass=0 fail=0
t_start=$(date +%s)

step_ok() {
	echo "sanitizers: PASS $1 ($(($(date +%s) - t0)) s)"
	pass=$((pass + 1))
}
step_fail() {
	echo "sanitizers: FAIL $1 ($(($(date +%s) - t0)) s)"
	fail=$((fail + 1))
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ntpsleuth-san.XXXXXX") || exit 1
# shellcheck disable=SC2064
trap "rm -rf '$tmp'" EXIT
asan=$tmp/main

# Copy the files git tracks, as they are in the work tree, into $1 (not
# the untracked ones: in a built tree those include build products that
# .gitignore does not name).
copy_tree() {
	if git ls-files --cached >"$tmp/files" 2>/dev/null; then
		# A file deleted but not yet committed is listed and missing: skip it.
		while IFS= read -r f; do [ -e "$f" ] && printf '%s\n' "$f"; done <"$tmp/files" >"$tmp/files.ok"
		tar -cf - -T "$tmp/files.ok" | tar -xf - -C "$1"
	else
		echo "sanitizers: not a git checkout; copying the tree less its build products"
		tar --exclude=./.git -cf - . | tar -xf - -C "$1"
		(cd "$1" && { make distclean >/dev/null 2>&1 || true; })
	fi
}

need_ok=1
for c in clang valgrind autoreconf; do
	command -v "$c" >/dev/null 2>&1 || { echo "sanitizers: $c is missing (setup: apt-get install clang libclang-rt-14-dev valgrind autoconf automake)"; need_ok=0; }
done
if [ $need_ok -eq 0 ]; then
	echo "sanitizers: 0 passed, 1 failed"
	exit 1
fi

# ---- 1. make check under ASan and UBSan, in a copy of the tree ----
# The tree itself is configured in place (setup.sh), so a second build
# cannot live in a subfolder of it: copy the files git tracks and
# configure the copy. ../shared is linked
# beside the copy, where the golden tests look for it.
t0=$(date +%s)
mkdir -p "$asan"
[ -d "$src/../shared" ] && ln -s "$(cd "$src/../shared" && pwd)" "$tmp/shared"
copy_tree "$asan"
log=$tmp/asan-build.log
if (cd "$asan" && autoreconf -fi && ./configure --enable-asan CC=clang &&
    make -j"$jobs") >"$log" 2>&1; then
	echo "sanitizers: ASan build ready ($(($(date +%s) - t0)) s)"
else
	tail -n 40 "$log"
	step_fail "ASan build"
	asan=""
fi

if [ -n "$asan" ]; then
	t0=$(date +%s)
	# abort_on_error: a report ends the program with SIGABRT, which every
	# test runner counts as a failure. detect_leaks: the programs free
	# what they allocate, so a leak is a bug.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export ASAN_OPTIONS UBSAN_OPTIONS
	# The lab scenarios (tests/lab/run-lab.sh) run real daemons and traffic
	# in network namespaces: ntpsleuth's share of their time is small, so
	# ASan makes them only a little slower; they stay (SAN_TESTS= picks
	# another list, e.g. to leave them out on a slow machine).
	if (cd "$asan" && make -j"$jobs" check ${SAN_TESTS:+"TESTS=$SAN_TESTS"}) \
	    >"$tmp/asan-check.log" 2>&1; then
		grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' "$tmp/asan-check.log" | tr '\n' ' '
		echo
		step_ok "make check under ASan+UBSan"
	else
		grep -E '^(FAIL|ERROR|XPASS):|^# (TOTAL|PASS|SKIP|FAIL|ERROR):' "$tmp/asan-check.log"
		failed="" sanitized=0
		for l in $(find "$asan" -name '*.log' ! -name 'test-suite.log' ! -name 'config.log' 2>/dev/null); do
			trs="${l%.log}.trs"
			[ -f "$trs" ] && grep -q '^:test-result: \(FAIL\|ERROR\)' "$trs" || continue
			t=${l#"$asan"/}
			failed="$failed ${t%.log}"
			echo "==== $t"
			# The sanitizer's report when there is one, else the test's own end.
			rep=$(grep -E -A 30 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$l" | head -n 60)
			if [ -n "$rep" ]; then
				echo "$rep"
				sanitized=1
			else
				tail -n 40 "$l"
			fi
		done
		# A failure without a sanitizer report is the test's own: the
		# normal suite, run before this script, judges those. Once more,
		# alone, to tell a test that fails under ASan's slower pace from
		# one that fails now and then anyway.
		if [ $sanitized -eq 0 ] && [ -n "$failed" ] &&
		    (cd "$asan" && make check TESTS="${failed# }") >"$tmp/asan-retry.log" 2>&1; then
			echo "sanitizers: no sanitizer report; the failed tests passed when run again alone:$failed (flaky: see their logs above)"
			step_ok "make check under ASan+UBSan (after one retry)"
		else
			step_fail "make check under ASan+UBSan"
		fi
	fi
	unset ASAN_OPTIONS UBSAN_OPTIONS
fi

# ---- 2. valgrind on the batch report of the broken captures ----
# valgrind cannot run an ASan binary: use the tree's own build when it is
# an ordinary one, else build one in a second copy.
t0=$(date +%s)
bin=$src/ntpsleuth
if [ ! -x "$bin" ] || nm "$bin" 2>/dev/null | grep -q __asan_init; then
	plain=$tmp/plain
	mkdir -p "$plain"
	copy_tree "$plain"
	if (cd "$plain" && autoreconf -fi &&
	    ./configure && make -j"$jobs" ntpsleuth) >"$tmp/plain-build.log" 2>&1; then
		bin=$plain/ntpsleuth
	else
		tail -n 20 "$tmp/plain-build.log"
		bin=""
	fi
fi
if [ -z "$bin" ]; then
	step_fail "valgrind: no ordinary build"
else
	vg_fail=0 vg_n=0
	for c in ../shared/pcaps/tcpdump/empty.pcap \
	    ../shared/pcaps/tcpdump/timestamp_invalid_nano.pcap \
	    ../shared/pcaps/nDPI/fuzz-2021-10-13.pcap \
	    ../shared/pcaps/suricata-verify/bug-6875-01__fuzz.pcap \
	    tests/captures/truncated.pcap; do
		if [ ! -f "$c" ]; then
			echo "sanitizers: skip valgrind on $c: not found (../shared is not beside the tree?)"
			continue
		fi
		vg_n=$((vg_n + 1))
		# 99, not 1: ntpsleuth itself exits 1 on a file cut short.
		valgrind -q --error-exitcode=99 --leak-check=full --track-origins=yes \
		    "$bin" -r "$c" --report=json --no-lookups >/dev/null 2>"$tmp/vg.log"
		rc=$?
		if [ $rc -eq 99 ] || [ $rc -gt 1 ]; then
			echo "sanitizers: valgrind on $c: exit $rc"
			head -n 40 "$tmp/vg.log"
			vg_fail=1
		else
			echo "sanitizers: valgrind on $c: clean (exit $rc)"
		fi
	done
	if [ $vg_fail -eq 0 ]; then step_ok "valgrind on $vg_n broken captures"; else step_fail "valgrind on the broken captures"; fi
fi

# ---- 3. the crashes fuzzing found, under ASan ----
t0=$(date +%s)
known=0
for c in tests/fuzz/crashes/*; do
	case "$c" in
	*.pcap|*.pcapng) input=-r ;;
	*.kmsg|*.syslog|*.log|*.dmesg|*.journal) input=--fwlog ;;
	*) continue ;;
	esac
	[ -n "$asan" ] || break
	opts=""
	[ -f "${c%.*}.opts" ] && opts=$(cat "${c%.*}.opts")
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$asan/ntpsleuth" $input "$c" --report=json --no-lookups $opts >/dev/null 2>"$tmp/crash.log"
	rc=$?
	if [ $rc -gt 1 ]; then
		known=$((known + 1))
		echo "sanitizers: known crash, not yet fixed: $c (exit $rc):"
		grep -m 1 -E 'ERROR: |runtime error:' "$tmp/crash.log" | sed 's/^/    /'
	else
		echo "sanitizers: $c no longer crashes: add it to tests/TESTLIST and remove it from tests/fuzz/crashes"
	fi
done
[ $known -gt 0 ] && echo "sanitizers: $known known crash(es) reported above (doc/fuzzing.md: not counted as a failure)"

# ---- 4. the fuzz targets, a short bounded run each ----
t0=$(date +%s)
if [ "$fuzz_secs" = 0 ]; then
	echo "sanitizers: fuzz targets skipped (FUZZ_SECONDS=0)"
elif FUZZ_DIR=${FUZZ_DIR:-$src/tests/out/fuzz} FUZZ_KNOWN=$src/tests/fuzz/crashes/KNOWN \
    tests/fuzz/run.sh "$fuzz_secs"; then
	step_ok "fuzz targets, $fuzz_secs s each"
else
	step_fail "fuzz targets, $fuzz_secs s each"
fi

echo "sanitizers: done in $(($(date +%s) - t_start)) s"
echo "sanitizers: $pass passed, $fail failed"
[ $fail -eq 0 ]
