#!/bin/sh
# Build the libFuzzer targets and run each for a bounded time.
#
#   tests/fuzz/run.sh SECONDS [TARGET...]   fuzz each target SECONDS seconds
#   tests/fuzz/run.sh --build               build only
#   tests/fuzz/run.sh --replay              run each target once over the
#                                           raw inputs in tests/fuzz/crashes/
#
# Targets: fuzz_decode fuzz_ntp fuzz_ana fuzz_rdap fuzz_whois fuzz_fwlog
# fuzz_fwlog_file fuzz_flow (doc/fuzzing.md), and fuzz_fw_NAME for each firewall log
# format (tests/fuzz/fuzz_fwformat.c; at most FUZZ_FW_SECONDS, default 10,
# each). fuzz_fwlog is the firewall-log owner's tests/fwlog/fuzz_fwlog.c,
# run here with the others.
# Exits 1 when a target crashed, printing the path of the input that did it;
# 2 when the targets could not be built. With FUZZ_KNOWN=FILE, a crash at a
# place FILE lists (first word of a line, "capture/fwlog.c:107") is
# reported as known and does not count: .ci/sanitizers.sh passes
# tests/fuzz/crashes/KNOWN, so that a bug already reported to its owner
# does not fail every CI run until it is fixed.
#
# Everything it makes goes to $FUZZ_DIR (default /tmp/ntpsleuth-fuzz):
# the instrumented objects, the targets, the seed corpus built from the
# captures (../shared/pcaps beside the tree, tests/captures, assets), the
# corpus each run grows (kept between runs: the next run starts where this
# one stopped), the logs and the crash artifacts. FUZZ_JOBS=2 runs two
# targets at once; CC picks the compiler (clang 14 or later, with its
# libFuzzer runtime: Debian's libclang-rt-14-dev).
#
# The tree must be configured (config.h); NS_BUILDDIR names the build
# directory when it is not the source tree.
set -u

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bld=${NS_BUILDDIR:-$src}
work=${FUZZ_DIR:-${TMPDIR:-/tmp}/ntpsleuth-fuzz}
CC=${CC:-clang}
case "$CC" in *clang*) ;; *) CC=clang ;; esac
jobs=${FUZZ_JOBS:-1}
# One target per firewall log format (tests/fuzz/fuzz_fwformat.c built
# with that format forced): fuzz_fw_NAME, the names from the parsers' own
# ".name =" lines.
FW_FORMATS=$(sed -n 's/^[[:space:]]*\.name = "\([a-z0-9-]*\)",.*/\1/p' "$src"/capture/fwlog*.c | sort -u)
FW_TARGETS=""
for f in $FW_FORMATS; do
	FW_TARGETS="$FW_TARGETS fuzz_fw_$(echo "$f" | tr - _)"
done
ALL="fuzz_decode fuzz_ntp fuzz_ana fuzz_rdap fuzz_whois fuzz_fwlog fuzz_fwlog_file fuzz_flow$FW_TARGETS"
TARGETS=$ALL

die() {
	echo "fuzz: $*" >&2
	exit 2
}

max_len() {
	case "$1" in
	fuzz_ntp) echo 2048 ;;
	fuzz_fwlog) echo 4096 ;;
	fuzz_ana) echo 16384 ;;
	*) echo 16384 ;;
	esac
}

# The fuzz target of a seed kind written by mkseeds, and back.
seed_kind() {
	case "$1" in
	fuzz_decode) echo decode ;;
	fuzz_ntp) echo ntp ;;
	fuzz_ana) echo ana ;;
	fuzz_rdap) echo rdap ;;
	fuzz_whois) echo whois ;;
	fuzz_fwlog) echo fwlog ;;
	fuzz_fwlog_file) echo fwlog_file ;;
	fuzz_flow) echo flow ;;
	fuzz_fw_*) echo fwformat ;;
	esac
}

# The format name of a fuzz_fw_ target.
fw_format_of() {
	for f in $FW_FORMATS; do
		[ "fuzz_fw_$(echo "$f" | tr - _)" = "$1" ] && echo "$f"
	done
}

target_src() {
	case "$1" in
	fuzz_fwlog) echo "$src/tests/fwlog/fuzz_fwlog.c" ;;
	fuzz_fw_*) echo "$here/fuzz_fwformat.c" ;;
	*) echo "$here/$1.c" ;;
	esac
}

build() {
	[ -f "$bld/config.h" ] || die "no config.h in $bld: run ./configure first (or set NS_BUILDDIR)"
	command -v "$CC" >/dev/null 2>&1 || die "$CC not found: install clang (and libclang-rt-14-dev)"
	mkdir -p "$work/obj" "$work/bin" || die "cannot create $work"
	: >"$work/build.log"

	# shellcheck disable=SC2046
	pkgs=$(pkg-config --cflags libpcap libcjson libcurl libmaxminddb 2>/dev/null) ||
		die "pkg-config does not know libpcap, libcjson, libcurl, libmaxminddb: run ./setup.sh first"
	libs="$(pkg-config --libs libpcap libcjson libcurl libmaxminddb) $(pkg-config --libs libcap-ng 2>/dev/null) -lz -lm -pthread"
	cppflags="-DHAVE_CONFIG_H -I$src -I$bld $pkgs"
	san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
	cflags="-g -O1 $san -Wall -Wextra -Wno-unused-parameter"

	# Does this clang have libFuzzer? (Debian: libclang-rt-14-dev.)
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$work/probe.c"
	"$CC" -fsanitize=fuzzer,address,undefined "$work/probe.c" -o "$work/probe" 2>"$work/probe.log" ||
		die "$CC cannot link a libFuzzer target (install libclang-rt-14-dev): $(head -n 3 "$work/probe.log")"

	# The library sources, instrumented for coverage and both sanitizers.
	# Every source is rebuilt: 40 files take about half a minute on 2 cores.
	rm -f "$work/obj/"*.o "$work/libns-fuzz.a"
	for f in "$src"/common/*.c "$src"/capture/*.c "$src"/analysis/*.c "$src"/report/*.c "$src"/lookups/*.c; do
		echo "$f"
	done | xargs -P 2 -I{} sh -c '
		f={}; o="$1/obj/$(echo "${f#$2/}" | tr / _ | sed "s/\.c\$/.o/")"
		$3 $4 $5 -fsanitize=fuzzer-no-link -c "$f" -o "$o" 2>>"$1/build.log" || { echo "fuzz: cannot compile $f (see $1/build.log)" >&2; exit 255; }
	' sh "$work" "$src" "$CC" "$cppflags" "$cflags" || die "build failed"
	ar rcs "$work/libns-fuzz.a" "$work/obj/"*.o || die "ar failed"

	have=""
	for t in $TARGETS; do
		if [ ! -f "$(target_src "$t")" ]; then
			echo "fuzz: skip $t: $(target_src "$t") is not in this tree"
			continue
		fi
		have="$have $t"
		fmtdef=""
		case "$t" in fuzz_fw_*) fmtdef="-DFUZZ_FORMAT=\"$(fw_format_of "$t")\"" ;; esac
		# shellcheck disable=SC2086
		"$CC" $cppflags $cflags $fmtdef -fsanitize=fuzzer "$(target_src "$t")" "$work/libns-fuzz.a" $libs \
			-o "$work/bin/$t" 2>>"$work/build.log" || die "cannot build $t (see $work/build.log)"
	done
	# The seed builder: no instrumentation, only the decoder.
	# shellcheck disable=SC2086
	"$CC" $cppflags -g -O1 "$here/mkseeds.c" "$src/capture/decode.c" "$src/capture/fwframe.c" "$src/common/addr.c" "$src/common/util.c" \
		$(pkg-config --libs libpcap) -o "$work/bin/mkseeds" 2>>"$work/build.log" ||
		die "cannot build mkseeds (see $work/build.log)"
	TARGETS=${have# }
	echo "fuzz: built $TARGETS in $work/bin"
}

seeds() {
	rm -rf "$work/seeds"
	mkdir -p "$work/seeds" "$work/gunzip"
	set --
	for f in "$src/../shared/pcaps"/*/*.pcap "$src/../shared/pcaps"/*/*.pcapng \
	    "$src"/tests/captures/*.pcap "$src"/assets/*.pcap "$src"/assets/*.pcapng; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	for f in "$src"/assets/*.pcap*.gz; do
		[ -f "$f" ] || continue
		g="$work/gunzip/$(basename "${f%.gz}")"
		gzip -dc "$f" >"$g" && set -- "$@" "$g"
	done
	[ -d "$src/../shared/pcaps" ] || echo "fuzz: ../shared/pcaps is not beside the tree: seeds from the project's own captures only"
	"$work/bin/mkseeds" "$work/seeds" "$@" 2>"$work/seeds.log" || die "mkseeds failed (see $work/seeds.log)"
	# The firewall logs the fwlog tests record: each line for fuzz_fwlog
	# (selector 0: year 0, UTC), each file for fuzz_fwlog_file.
	mkdir -p "$work/seeds/fwlog" "$work/seeds/fwlog_file"
	i=0
	for f in "$src"/tests/fwlog/*.syslog "$src"/tests/fwlog/*.rfc3339 \
	    "$src"/tests/fwlog/*.journal "$src"/tests/fwlog/*.journal-iso \
	    "$src"/tests/fwlog/*.dmesg "$src"/tests/fwlog/*.dmesg-T \
	    "$src"/tests/fwlog/*.kmsg "$src"/tests/fwlog/*.gz; do
		[ -f "$f" ] || continue
		i=$((i + 1))
		{ printf '\000'; cat "$f"; } >"$work/seeds/fwlog_file/file-$i"
		case "$f" in *.gz) continue ;; esac
		head -c 200000 "$f" | while IFS= read -r line; do
			i=$((i + 1))
			printf '\000%s' "$line" >"$work/seeds/fwlog/line-$i-$(printf '%s' "$line" | cksum | cut -d' ' -f1)"
		done
	done
	# Every vendor's test log, a line a seed, for each format's target
	# (another format's lines are good seeds too: they must be refused).
	mkdir -p "$work/seeds/fwformat"
	for f in "$src"/tests/fwlog/vendors/*.log; do
		[ -f "$f" ] || continue
		b=$(basename "$f" .log)
		head -c 200000 "$f" | while IFS= read -r line; do
			printf '\000%s' "$line" >"$work/seeds/fwformat/$b-$(printf '%s' "$line" | cksum | cut -d' ' -f1)"
		done
		{ printf '\001'; cat "$f"; } >"$work/seeds/fwformat/$b-file"
	done
	# The hand-made seeds of the repository (small; RDAP and whois have no capture).
	for k in decode ntp ana rdap whois flow; do
		mkdir -p "$work/seeds/$k"
		[ -d "$here/seeds/$k" ] && cp "$here/seeds/$k"/* "$work/seeds/$k/" 2>/dev/null
	done
	return 0
}

# Run one target for $1 seconds; prints one summary line.
fuzz_one() {
	t=$1 secs=$2
	case "$t" in
	fuzz_fw_*) [ "$secs" -gt "${FUZZ_FW_SECONDS:-10}" ] && secs=${FUZZ_FW_SECONDS:-10} ;;
	esac
	kind=$(seed_kind "$t")
	corpus="$work/corpus/$t"
	log="$work/logs/$t.log"
	mkdir -p "$corpus" "$work/artifacts" "$work/logs"
	dict=""
	[ -f "$here/$kind.dict" ] && dict="-dict=$here/$kind.dict"
	t_begin=$(date +%s)
	# detect_leaks: the targets free what they allocate, so a leak is a bug.
	# shellcheck disable=SC2086
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	TZ=UTC "$work/bin/$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-max_len="$(max_len "$t")" -print_final_stats=1 $dict \
		-artifact_prefix="$work/artifacts/$t-" "$corpus" "$work/seeds/$kind" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - t_begin))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	units=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	if [ "$rc" -eq 0 ]; then
		printf '%-12s ok     %8s s %10s execs %7s/s  cov %5s  ft %6s  corpus %s\n' \
			"$t" "$took" "${execs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${units:-?}"
		return 0
	fi
	art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	# Where it crashed: the file:line of a UBSan report or of ASan's frame #0.
	site=$(grep -m 1 -E 'runtime error:|^ *#0 0x[0-9a-f]+ in [^ ]+ /' "$log" |
		grep -oE '[A-Za-z0-9_./-]+\.[ch]:[0-9]+' | head -n 1 | sed "s|^$src/||")
	known="" word=CRASH
	if [ -n "${FUZZ_KNOWN:-}" ] && [ -n "$site" ] && [ -f "$FUZZ_KNOWN" ] &&
	    grep -v '^#' "$FUZZ_KNOWN" | awk '{print $1}' | grep -qxF "$site"; then
		known=1 word=KNOWN
	fi
	printf '%-12s %-6s %8s s %10s execs %7s/s  cov %5s  ft %6s  (exit %s at %s)\n' \
		"$t" "$word" "$took" "${execs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "$rc" "${site:-?}"
	grep -m 1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|broken:' "$log" | sed 's/^/    /'
	echo "    reproducer: ${art:-none written; see $log}"
	# A small input is printed whole, so that a CI log alone carries it.
	if [ -n "$art" ] && [ -f "$art" ] && [ "$(wc -c <"$art")" -le 2048 ]; then
		echo "    base64:     $(base64 -w 0 "$art")"
	fi
	echo "    log:        $log"
	echo "    replay:     $work/bin/$t ${art:-INPUT}"
	if [ -n "$known" ]; then
		echo "    known (listed in $FUZZ_KNOWN): not counted"
		return 0
	fi
	return 1
}

replay() {
	status=0 n=0
	for t in $TARGETS; do
		for f in "$here/crashes/$t"-*; do
			[ -f "$f" ] || continue
			case "$f" in *.pcap|*.pcapng|*.txt) continue ;; esac
			n=$((n + 1))
			if TZ=UTC "$work/bin/$t" "$f" >"$work/replay.log" 2>&1; then
				echo "ok    $t $(basename "$f")"
			else
				echo "CRASH $t $(basename "$f")"
				grep -m 3 -E 'ERROR:|runtime error:|broken:|#[0-9]+ 0x.* in ' "$work/replay.log" | sed 's/^/    /'
				status=1
			fi
		done
	done
	echo "fuzz: replayed $n crash inputs"
	return $status
}

case "${1:-}" in
--build)
	build
	exit 0
	;;
--replay)
	build
	replay
	exit $?
	;;
''|-*)
	sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
secs=$1
shift
case "$secs" in *[!0-9]*) die "SECONDS must be a number, not '$secs'" ;; esac
[ $# -gt 0 ] && TARGETS="$*"
for t in $TARGETS; do
	case " $ALL " in *" $t "*) ;; *) die "no target $t (have: $ALL)" ;; esac
done
build
seeds
mkdir -p "$work/logs"

status=0
if [ "$jobs" -gt 1 ]; then
	# Two at a time (the machine has two cores): each writes its own summary.
	set -- $TARGETS
	while [ $# -gt 0 ]; do
		pids=""
		for i in $(seq 1 "$jobs"); do
			[ $# -gt 0 ] || break
			(fuzz_one "$1" "$secs" >"$work/logs/$1.summary") &
			pids="$pids $!:$1"
			shift
		done
		for p in $pids; do
			wait "${p%%:*}" || status=1
			cat "$work/logs/${p#*:}.summary"
		done
	done
else
	for t in $TARGETS; do
		fuzz_one "$t" "$secs" || status=1
	done
fi
[ $status -ne 0 ] && echo "fuzz: a target crashed: turn the reproducer into a capture with
    $work/bin/mkseeds --to-pcap TARGET REPRODUCER tests/fuzz/crashes/NAME.pcap
and keep the raw input as tests/fuzz/crashes/TARGET-NAME (run.sh --replay runs those)"
exit $status
