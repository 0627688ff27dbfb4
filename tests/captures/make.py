#!/usr/bin/python3
"""Build the small captures in this folder that cover what the public
captures in ../shared/pcaps do not: DLT_LOOP, LINKTYPE_IPV6, IPv4 and
IPv6 fragments, IPv6 extension headers, ICMP/ICMPv6 errors quoting a
flow, a big-endian nanosecond file, packets cut short, and a file cut off
in the middle of a record.

Packets are built with scapy; the pcap framing is written here so that
byte order, timestamp precision and link type are exactly as intended.
Run: python3 tests/captures/make.py  (regenerates the .pcap files)
"""
import os
import struct

from scapy.all import (ICMP, IP, IPv6, TCP, UDP, Ether, ICMPv6DestUnreach,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, Raw, fragment, raw)

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1732406400  # 2024-11-24 00:00:00 UTC


def ntp(mode, stratum=0, refid=b"\0\0\0\0"):
    return bytes([(4 << 3) | mode, stratum, 6, 0xec]) + b"\0" * 8 + refid + b"\0" * 32


def write(name, linktype, frames, big_endian=False, nano=False, cut=0):
    e = ">" if big_endian else "<"
    magic = 0xa1b23c4d if nano else 0xa1b2c3d4
    out = struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, 65535, linktype)
    for ts, data, *orig in frames:
        sec = int(ts)
        frac = int(round((ts - sec) * (1e9 if nano else 1e6)))
        wire = orig[0] if orig else len(data)
        out += struct.pack(e + "IIII", sec, frac, len(data), wire) + data
    if cut:
        out = out[:-cut]
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(out)


def eth(p):
    return raw(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / p)


L4, R4 = "192.0.2.10", "198.51.100.20"
L6, R6 = "2001:db8::10", "2001:db8:1::20"

# 1. Fragments, extension headers and ICMP errors, on Ethernet.
frames = []
big = IP(src=R4, dst=L4, id=7) / UDP(sport=123, dport=40001) / Raw(b"x" * 2900)
for i, f in enumerate(fragment(big, fragsize=1400)):
    frames.append((T0 + 1 + i * 0.001, eth(f)))
req = IP(src=L4, dst=R4) / UDP(sport=40002, dport=123) / Raw(ntp(3))
frames.append((T0 + 2, eth(req)))
# The remote refuses: port unreachable quoting our request.
frames.append((T0 + 2.01, eth(IP(src=R4, dst=L4) / ICMP(type=3, code=3) / raw(req)[:28])))
# We refuse an unsolicited datagram of theirs.
probe = IP(src=R4, dst=L4) / UDP(sport=5353, dport=9999) / Raw(b"probe")
frames.append((T0 + 3, eth(probe)))
frames.append((T0 + 3.001, eth(IP(src=L4, dst=R4) / ICMP(type=3, code=3) / raw(probe)[:28])))
# IPv6 with hop-by-hop and destination options, then a fragmented datagram.
v6 = IPv6(src=L6, dst=R6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / UDP(sport=40003, dport=123) / Raw(ntp(3))
frames.append((T0 + 4, eth(v6)))
frames.append((T0 + 4.02, eth(IPv6(src=R6, dst=L6) / UDP(sport=123, dport=40003) / Raw(ntp(4, 2, b"\xc0\x00\x02\x01")))))
payload = raw(UDP(sport=123, dport=40004) / Raw(b"y" * 1600))
frag_id = 0x1234
frames.append((T0 + 5, eth(IPv6(src=R6, dst=L6, nh=44) /
                           IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=frag_id) / Raw(payload[:1200]))))
frames.append((T0 + 5.001, eth(IPv6(src=R6, dst=L6, nh=44) /
                               IPv6ExtHdrFragment(nh=17, offset=150, m=0, id=frag_id) / Raw(payload[1200:]))))
# ICMPv6 port unreachable quoting our IPv6 NTP request.
v6req = raw(IPv6(src=L6, dst=R6) / UDP(sport=40005, dport=123) / Raw(ntp(3)))
frames.append((T0 + 6, eth(IPv6(src=L6, dst=R6) / UDP(sport=40005, dport=123) / Raw(ntp(3)))))
frames.append((T0 + 6.01, eth(IPv6(src=R6, dst=L6) / ICMPv6DestUnreach(code=4) / Raw(v6req))))
write("frag-ext-icmp.pcap", 1, frames)

# 2. DLT_LOOP (OpenBSD loopback: address family in network byte order).
frames = [
    (T0 + 1, struct.pack(">I", 2) + raw(IP(src=L4, dst=R4) / UDP(sport=40010, dport=123) / Raw(ntp(3)))),
    (T0 + 1.03, struct.pack(">I", 2) + raw(IP(src=R4, dst=L4) / UDP(sport=123, dport=40010) / Raw(ntp(4, 1, b"GPS\0")))),
    (T0 + 2, struct.pack(">I", 24) + raw(IPv6(src=L6, dst=R6) / UDP(sport=40011, dport=123) / Raw(ntp(3)))),
    (T0 + 2.03, struct.pack(">I", 24) + raw(IPv6(src=R6, dst=L6) / UDP(sport=123, dport=40011) / Raw(ntp(4, 1, b"PPS\0")))),
]
write("loop.pcap", 108, frames)

# 3. LINKTYPE_IPV6 (229), big-endian file with nanosecond timestamps.
frames = [
    (T0 + 1.000000001, raw(IPv6(src=L6, dst=R6) / UDP(sport=40020, dport=123) / Raw(ntp(3)))),
    (T0 + 1.000200002, raw(IPv6(src=R6, dst=L6) / UDP(sport=123, dport=40020) / Raw(ntp(4, 0, b"RATE")))),
    (T0 + 2, raw(IPv6(src=R6, dst=L6) / TCP(sport=50000, dport=22, flags="S"))),
]
write("ipv6-be-nano.pcap", 229, frames, big_endian=True, nano=True)

# 4. Packets cut short, then the file itself cut off inside a record.
good = eth(IP(src=R4, dst=L4) / UDP(sport=123, dport=40030) / Raw(ntp(4, 2)))
frames = [
    (T0 + 1, eth(IP(src=L4, dst=R4) / UDP(sport=40030, dport=123) / Raw(ntp(3)))),
    (T0 + 1.01, good),
    (T0 + 2, good[:14 + 12], len(good)),          # IPv4 header cut short
    (T0 + 3, good[:14 + 20 + 5], len(good)),      # UDP header cut short
    (T0 + 4, eth(IP(src=R4, dst=L4) / TCP(sport=1, dport=2, flags="S"))[:14 + 20 + 10], 54),
    (T0 + 5, good[:8], len(good)),                # Ethernet header cut short
    (T0 + 6, good),
]
write("truncated.pcap", 1, frames, cut=30)
print("wrote", sorted(f for f in os.listdir(HERE) if f.endswith(".pcap")))
