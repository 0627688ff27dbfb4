#!/usr/bin/env python3
"""Write a small pcap of a spoofed UDP flood: 20 documentation addresses
(198.51.100.1-20) send 1000 datagrams in one second to 192.0.2.1 port 80,
and 192.0.2.1 answers none. Enough for the analysis to raise an incident
(10 or more hosts, 100 or more packets a second at one target).

usage: mkflood.py OUT.pcap [COUNT SOURCE]
With COUNT and SOURCE: COUNT datagrams, all from the address SOURCE.
"""
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src, dst, sport, dport, payload, ident):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ident, 0, 64, 17, 0,
                     bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\x02" + b"\x08\x00"
    return eth + ip + udp


def main():
    out = open(sys.argv[1], "wb")
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    t0 = 1700000000
    count = int(sys.argv[2]) if len(sys.argv) > 3 else 1000
    one = [int(x) for x in sys.argv[3].split(".")] if len(sys.argv) > 3 else None
    for i in range(count):
        src = one or [198, 51, 100, 1 + i % 20]
        f = frame(src, [192, 0, 2, 1], 40000 + i % 977, 80, b"\0" * 32, i)
        usec = i * 1000
        out.write(struct.pack("<IIII", t0 + usec // 1000000, usec % 1000000, len(f), len(f)))
        out.write(f)
    out.close()


main()
