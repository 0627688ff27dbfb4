#!/bin/sh
# Golden tests, in the spirit of tcpdump's tests/TESTLIST: each line of
# tests/TESTLIST names a case, a capture and the options; the case passes
# when the summary of ntpsleuth's JSON report (tests/golden-summary.py) is
# the file tests/golden/NAME.out, and the exit status is the one listed.
#
#   tests/golden.sh            run every case
#   tests/golden.sh --update   rewrite the .out files from this build
#
# A capture written "shared:PATH" lives in ../shared/pcaps beside the
# source tree; without it those cases are skipped with a message.
# "log:PATH" is a firewall log, read with --fwlog; "flow:PATH" flow
# records, read with --flow-file.
set -u
srcdir=${srcdir:-$(dirname "$0")/..}
bin=${NTPSLEUTH:-./ntpsleuth}
update=0
[ "${1:-}" = "--update" ] && update=1
shared="$srcdir/../shared/pcaps"
PY=$(command -v python3)

pass=0 fail=0 skip=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
while read -r name capture status opts; do
	case "$name" in ''|'#'*) continue ;; esac
	input=-r
	case "$capture" in
	shared:*) file="$shared/${capture#shared:}" ;;
	log:*) file="$srcdir/${capture#log:}"; input=--fwlog ;;
	flow:*) file="$srcdir/${capture#flow:}"; input=--flow-file ;;
	*) file="$srcdir/$capture" ;;
	esac
	if [ ! -f "$file" ]; then
		case "$capture" in
		shared:*)
			echo "SKIP $name: $capture not found (../shared/pcaps is not beside this tree)"
			skip=$((skip + 1))
			;;
		*)
			echo "FAIL $name: the project's own $capture is missing"
			fail=$((fail + 1))
			;;
		esac
		continue
	fi
	# shellcheck disable=SC2086
	"$bin" $input "$file" --report=json --no-lookups $opts >"$out/json" 2>"$out/err"
	rc=$?
	{
		"$PY" "$srcdir/tests/golden-summary.py" <"$out/json"
		echo "exit $rc"
	} >"$out/$name.out" 2>&1
	want="$srcdir/tests/golden/$name.out"
	if [ $update -eq 1 ]; then
		cp "$out/$name.out" "$want"
		echo "updated $name"
		continue
	fi
	if [ "$rc" != "$status" ]; then
		echo "FAIL $name: exit status $rc, expected $status"; cat "$out/err"
		fail=$((fail + 1))
	elif ! diff -u "$want" "$out/$name.out" >"$out/diff"; then
		echo "FAIL $name:"; cat "$out/diff"
		fail=$((fail + 1))
	else
		echo "ok   $name"
		pass=$((pass + 1))
	fi
done <"$srcdir/tests/TESTLIST"
[ $update -eq 1 ] && exit 0
echo "golden: $pass passed, $fail failed, $skip skipped"
[ $fail -gt 0 ] && exit 1
[ $pass -eq 0 ] && exit 77
exit 0
