#!/bin/sh
# A classic pcap file is read by ntpsleuth itself, a MiB at a time, and
# libpcap reads whatever the walk leaves (capture/cap.c, read_blocks). This
# checks that the report is the same, byte for byte apart from the file's
# name and the time it was made, whichever way the frames come in:
#   - through the blocks (the default for a file),
#   - through libpcap alone (NTPSLEUTH_NO_BLOCKS=1),
#   - from standard input (libpcap alone, no file to map),
# on the project's captures, on every capture in ../shared/pcaps, with and
# without a filter, and on crafted files that hand over to libpcap in the
# middle: a frame longer than the snapshot length (libpcap cuts it), a
# last frame cut short (libpcap's error), and a file of several blocks, so
# that records straddle blocks and blocks are reused. With strace it also
# checks that the blocks were used at all.
set -u
srcdir=${srcdir:-$(dirname "$0")/..}
bin=${NTPSLEUTH:-./ntpsleuth}
PY=$(command -v python3)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$PY" - "$out" <<'EOF'
import struct, sys, random
d = sys.argv[1]
def udp(src, dst, sport, dport, payload, ident):
    l = 28 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, l, ident, 0, 64, 17, 0, bytes(src), bytes(dst))
    s = 0
    for i in range(0, 20, 2):
        s += (ip[i] << 8) | ip[i + 1]
    s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xffff) + ip[12:]
    return ip + struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
def eth(p):
    return b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\x02" + b"\x08\x00" + p
def ntp(mode):
    return bytes([(4 << 3) | mode, 2, 6, 0xec]) + bytes(44)
def write(name, frames, snap=65535, cut_last=0):
    with open(f"{d}/{name}", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snap, 1))
        for i, (ts, data, caplen) in enumerate(frames):
            rec = struct.pack("<IIII", int(ts), int(ts % 1 * 1e6), caplen, len(data)) + data[:caplen]
            if cut_last and i == len(frames) - 1:
                rec = rec[:-cut_last]
            f.write(rec)
r = random.Random(7)
local = [192, 0, 2, 10]
base = []
for i in range(3000):
    t = 1732406400 + i * 0.05
    remote = [198, 51, 100, 1 + i % 40]
    if i % 3 == 0:
        base.append((t, eth(udp(local, remote, 40000 + i % 500, 123, ntp(3), i)), 0))
    else:
        base.append((t, eth(udp(remote, local, 123, 40000 + r.randrange(500), ntp(4), i)), 0))
# A frame longer than the snapshot length in the middle: libpcap cuts it to 96 bytes.
over = [(t, p, len(p)) for t, p, _ in base]
big = eth(udp([203, 0, 113, 9], local, 123, 41000, ntp(4) + bytes(400), 9999))
over.insert(1500, (1732406475.01, big, len(big)))
write("over-snaplen.pcap", [(t, p, min(c, 96) if c != len(big) else c) for t, p, c in over], snap=96)
# The last frame cut short.
write("cut-last.pcap", [(t, p, len(p)) for t, p, _ in base], cut_last=30)
# Several blocks (1 MiB each, 4 reused): 60,000 frames of 90-odd bytes.
many = []
for i in range(60000):
    t = 1732406400 + i * 0.01
    remote = [100, 64 + i % 3, (i >> 8) & 255, i & 255]
    many.append((t, eth(udp(remote, local, 123, 1024 + i % 60000, ntp(4), i & 0xffff)), 0))
write("many.pcap", [(t, p, len(p)) for t, p, _ in many])
EOF

norm() {
	# $1 the report, $2 the file's name: drop the generation time and the name.
	sed -e '/"generated":/d' -e "s|$2|INPUT|g" -e 's|standard input|INPUT|g' "$1"
}

pass=0 fail=0 skip=0
check() {
	# $1 the capture, the rest ntpsleuth's options
	f=$1; shift
	"$bin" -r "$f" --report=json --no-lookups "$@" >"$out/a.json" 2>"$out/a.err"
	ra=$?
	NTPSLEUTH_NO_BLOCKS=1 "$bin" -r "$f" --report=json --no-lookups "$@" >"$out/b.json" 2>"$out/b.err"
	rb=$?
	"$bin" -r - --report=json --no-lookups "$@" <"$f" >"$out/c.json" 2>"$out/c.err"
	rc=$?
	norm "$out/a.json" "$f" >"$out/a.n"
	norm "$out/b.json" "$f" >"$out/b.n"
	norm "$out/c.json" "$f" >"$out/c.n"
	norm "$out/b.err" "$f" >"$out/b.n.err"
	if [ $ra -gt 1 ]; then
		echo "FAIL $f $*: exit $ra"; cat "$out/a.err"
		fail=$((fail + 1))
	elif [ $ra != $rb ] || [ $ra != $rc ]; then
		echo "FAIL $f $*: exit $ra by blocks, $rb libpcap, $rc standard input"
		cat "$out/a.err" "$out/b.err" "$out/c.err"
		fail=$((fail + 1))
	elif ! diff -u "$out/b.n" "$out/a.n" >"$out/diff" || ! diff -u "$out/b.n" "$out/c.n" >>"$out/diff"; then
		echo "FAIL $f $*: reports differ"
		head -40 "$out/diff"
		fail=$((fail + 1))
	elif ! norm "$out/a.err" "$f" | cmp -s - "$out/b.n.err" || ! norm "$out/c.err" "$f" | cmp -s - "$out/b.n.err"; then
		echo "FAIL $f $*: messages differ"
		cat "$out/a.err" "$out/b.err" "$out/c.err"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

for f in "$out"/over-snaplen.pcap "$out"/cut-last.pcap "$out"/many.pcap; do
	check "$f" --local 192.0.2.10
	check "$f" --local 192.0.2.10 udp and src port 123
done
for f in "$srcdir"/tests/captures/*.pcap "$srcdir"/assets/*.pcap; do
	[ -f "$f" ] && check "$f"
done
shared="$srcdir/../shared/pcaps"
if [ -d "$shared" ]; then
	for f in $(find "$shared" -type f \( -name '*.pcap' -o -name '*.cap' -o -name '*.pcapng' \) | sort); do
		check "$f"
		check "$f" udp or icmp
	done
else
	echo "SKIP the captures of ../shared/pcaps: not beside this tree"
	skip=1
fi

# The blocks are really used: a pread of about a MiB at a time (libpcap
# never calls pread; the dynamic loader does, for a few hundred bytes).
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=pread64 -o "$out/trace" \
		"$bin" -r "$out/many.pcap" --report=json --no-lookups >/dev/null 2>&1
	if [ "$(grep -cE 'pread64\(.*, [0-9]{6,}, [0-9]+\)' "$out/trace")" -lt 6 ]; then
		echo "FAIL many.pcap was not read by blocks:"; tail -5 "$out/trace"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
	strace -f -qq -e trace=pread64 -o "$out/trace" env NTPSLEUTH_NO_BLOCKS=1 \
		"$bin" -r "$out/many.pcap" --report=json --no-lookups >/dev/null 2>&1
	if grep -qE 'pread64\(.*, [0-9]{6,}, [0-9]+\)' "$out/trace"; then
		echo "FAIL NTPSLEUTH_NO_BLOCKS=1 still read by blocks"
		fail=$((fail + 1))
	fi
else
	echo "SKIP the check that blocks are used: no strace"
fi

# The threads bench/run.sh weighs (NTPSLEUTH_ONE_WRITER: the second JSON
# writer; NTPSLEUTH_NO_POPULATE: the page populator) change nothing in the
# report, and each knob does take its thread away. many.pcap's 60,000
# remote hosts are enough for both (512 hosts and more; a pool of over
# 2 MiB).
for knob in NTPSLEUTH_ONE_WRITER NTPSLEUTH_NO_POPULATE; do
	opts="-r $out/many.pcap --report=json --no-lookups --local 192.0.2.10"
	# shellcheck disable=SC2086
	"$bin" $opts >"$out/a.json" 2>&1
	# shellcheck disable=SC2086
	env "$knob=1" "$bin" $opts >"$out/b.json" 2>&1
	norm "$out/a.json" "$out/many.pcap" >"$out/a.n"
	norm "$out/b.json" "$out/many.pcap" >"$out/b.n"
	if cmp -s "$out/a.n" "$out/b.n"; then
		pass=$((pass + 1))
	else
		echo "FAIL $knob=1 changes the report of many.pcap"
		diff -u "$out/a.n" "$out/b.n" | head -20
		fail=$((fail + 1))
	fi
	if command -v strace >/dev/null 2>&1; then
		# shellcheck disable=SC2086
		strace -f -qq -e trace=clone,clone3 -o "$out/trace" "$bin" $opts >/dev/null 2>&1
		with=$(grep -c 'clone' "$out/trace")
		# shellcheck disable=SC2086
		strace -f -qq -e trace=clone,clone3 -o "$out/trace" env "$knob=1" "$bin" $opts \
			>/dev/null 2>&1
		without=$(grep -c 'clone' "$out/trace")
		if [ "$without" -lt "$with" ]; then
			pass=$((pass + 1))
		else
			echo "FAIL $knob=1 started as many threads ($without) as without it ($with)"
			fail=$((fail + 1))
		fi
	fi
done

echo "reader: $pass passed, $fail failed"
[ $fail -gt 0 ] && exit 1
exit 0
