#!/bin/sh
# Privileges: as root, ntpsleuth opens the capture and then becomes an
# unprivileged user with no capability before it parses a packet; -Z root
# keeps root; a binary given only CAP_NET_RAW captures and then drops it.
bin=${NTPSLEUTH:-./ntpsleuth}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
status() { awk -v k="$2:" '$1 == k { $1 = ""; print substr($0, 2) }' "/proc/$1/status"; }

# Wait for "listening on", then read the process's credentials.
watch() {
	"$@" --report --no-lookups --duration 3 -i lo >"$t/out" 2>"$t/err" &
	pid=$!
	i=0
	while ! grep -q "listening on" "$t/err" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	sleep 0.3
	uid=$(status $pid Uid); gid=$(status $pid Gid); capeff=$(status $pid CapEff)
	capbnd=$(status $pid CapBnd); groups=$(status $pid Groups)
	wait $pid
	rc=$?
}

nobody=$(id -u nobody)
watch "$bin"
check "default: exit 0" '[ $rc -eq 0 ]'
check "default: became nobody ($uid)" '[ "$uid" = "$nobody $nobody $nobody $nobody" ]'
check "default: no effective capability ($capeff)" '[ "$capeff" = 0000000000000000 ]'
check "default: empty bounding set ($capbnd)" '[ "$capbnd" = 0000000000000000 ]'
check "default: no supplementary group ($groups)" '[ -z "$groups" ]'
check "default: still captured (report printed)" 'grep -q "Vantage point: interfaces lo" "$t/out"'
watch "$bin" -Z root
check "-Z root: stays root ($uid)" '[ "$uid" = "0 0 0 0" ]'
"$bin" -Z no-such-user-here -r /dev/null --report >/dev/null 2>"$t/err"
check "-Z unknown user: refused" '[ $? -ne 0 ]'
if command -v setcap >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; then
	cp "$bin" "$t/ntpsleuth"
	chmod 0755 "$t" "$t/ntpsleuth"
	setcap cap_net_raw+ep "$t/ntpsleuth"
	watch setpriv --reuid=nobody --regid=nogroup --clear-groups "$t/ntpsleuth"
	check "CAP_NET_RAW only: captures as nobody (exit $rc)" '[ $rc -eq 0 ] && grep -q "Vantage point: interfaces lo" "$t/out"'
	check "CAP_NET_RAW only: capability dropped after opening ($capeff)" '[ "$capeff" = 0000000000000000 ]'
else
	echo "note: setcap (libcap2-bin) or setpriv missing; the file-capability case is not checked"
fi
[ $fail -eq 0 ]
