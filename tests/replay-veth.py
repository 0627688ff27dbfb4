#!/usr/bin/env python3
"""Send the Ethernet frames of a classic pcap out of an interface, their
gaps divided by SPEED (at most 0.2 s each), for a live capture on the
other end of a veth pair (tests/events.sh).

    replay-veth.py FILE.pcap IFACE SPEED
"""
import socket
import struct
import sys
import time


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    data = open(sys.argv[1], "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d) or struct.unpack("<I", data[20:24])[0] != 1:
        sys.exit("%s: not a little-endian classic pcap of Ethernet frames" % sys.argv[1])
    div = 1e9 if magic == 0xa1b23c4d else 1e6
    speed = float(sys.argv[3])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((sys.argv[2], 0))
    off, prev = 24, None
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack("<IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        t = sec + frac / div
        if prev is not None and t > prev:
            time.sleep(min((t - prev) / speed, 0.2))
        prev = t
        s.send(frame)


main()
