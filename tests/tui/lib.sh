# Shared by the console tests: run ntpsleuth in a detached tmux session on
# a private tmux server, type at it, read the screen back.
# Sourced; expects $srcdir and $NTPSLEUTH from the automake harness.

srcdir=${srcdir:-.}
NTPSLEUTH=${NTPSLEUTH:-./ntpsleuth}
PCAPS=$srcdir/../shared/pcaps
ASSETS=$srcdir/assets
SOCK=ntpsleuth-tui-$$
SESSION=console
TIMEOUT=${TUI_TIMEOUT:-20}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ntpsleuth-tui.XXXXXX") || exit 99

skip() {
	echo "SKIP: $*"
	exit 77
}

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
[ -x "$NTPSLEUTH" ] || { echo "FAIL: no ntpsleuth at $NTPSLEUTH"; exit 99; }

tm() {
	tmux -L "$SOCK" -f /dev/null "$@"
}

cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

screen() {
	tm capture-pane -p -t "$SESSION" "$@"
}

fail() {
	echo "FAIL: $*"
	echo "---- screen ----"
	screen 2>/dev/null
	echo "---- stderr ----"
	cat "$TMP/stderr" 2>/dev/null
	echo "----------------"
	exit 1
}

# A word of a shell command, quoted for sh -c.
q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# start W H [ENV=VALUE...] -- ARGS...: ntpsleuth ARGS in a W x H terminal.
# The pane prints EXIT=<status> when ntpsleuth ends, so the tests can
# tell it exited (and how) after 'q'.
start() {
	w=$1
	h=$2
	shift 2
	envs="TERM=screen-256color LANG=C.UTF-8 LC_ALL="
	while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs $(q "$1")"
		shift
	done
	[ "$1" = "--" ] && shift
	cmd="env -u NO_COLOR $envs $(q "$NTPSLEUTH")"
	for a in "$@"; do
		cmd="$cmd $(q "$a")"
	done
	cmd="$cmd 2>$(q "$TMP/stderr"); echo EXIT=\$?; sleep 300"
	# The server outlives the session it is killed with (exit-empty off):
	# otherwise the next new-session can reach it while it exits, and
	# fails with "server exited unexpectedly".
	tm kill-session -t "$SESSION" >/dev/null 2>&1
	tm new-session -d -s "$SESSION" -x "$w" -y "$h" "$cmd" \; \
	    set-option -g exit-empty off ||
		fail "cannot start tmux"
}

keys() {
	tm send-keys -t "$SESSION" "$@"
}

# click X Y: a left button press and release at column X, line Y (from 0),
# typed as the terminal would (X10 mouse encoding, TERM's kmous).
click() {
	cx=$(printf "\\$(printf %o $((33 + $1)))")
	cy=$(printf "\\$(printf %o $((33 + $2)))")
	tm send-keys -t "$SESSION" -l "$(printf '\033[M ')$cx$cy$(printf '\033[M#')$cx$cy"
}

# wait_for REGEX [SECONDS]: until the screen shows it (grep -E).
wait_for() {
	n=$(( ${2:-$TIMEOUT} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "the screen never showed /$1/"
}

# wait_gone REGEX [SECONDS]: until the screen no longer shows it.
wait_gone() {
	n=$(( ${2:-$TIMEOUT} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen | grep -Eq -- "$1" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "the screen still shows /$1/"
}

# The screen must not show REGEX right now.
absent() {
	if screen | grep -Eq -- "$1"; then
		fail "the screen shows /$1/ and should not"
	fi
}

# quit: 'q' ends ntpsleuth with status 0 and leaves the normal screen.
quit() {
	keys q
	wait_for '^EXIT=0$'
	absent 'Enter detail|Esc back'
}

# report ARGS...: the text report for comparison (what --report says).
report() {
	"$NTPSLEUTH" --report --no-lookups "$@" >"$TMP/report" 2>&1 ||
		fail "ntpsleuth --report $* failed: $(cat "$TMP/report")"
}

# The verdict the report gives a host.
report_verdict() {
	awk -v a="$1" '$1 == a && NF >= 2 && $3 == "confidence" { print $2; exit }' "$TMP/report"
}
