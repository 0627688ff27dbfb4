#!/usr/bin/env python3
"""The UDP payloads of a recorded flow export (a pcap of Ethernet or
Linux cooked frames, IPv4 or IPv6), written as an IPFIX file (RFC 5655:
the messages one after another) or sent again to a collector, DELAY
seconds apart (0.002) or, with DELAY "recorded", as far apart as they
were recorded (sFlow's samples carry no time: their arrival is it).
"pace" writes a capture to OUT (a FIFO that pmacctd reads as its
pcap_savefile) as fast as it was captured, so that an exporter that
reads it exports as it would have live.

    export.py ipfix EXPORT.pcap OUT.ipfix
    export.py send EXPORT.pcap HOST PORT [DELAY|recorded]
    export.py pace CAPTURE.pcap OUT
"""
import socket
import struct
import sys
import time


def frames(path):
    """(linktype, the file's header, [(time, record header, frame)])"""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        sys.exit("%s: not a classic pcap file" % path)
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(end + "I", data[20:24])[0]
    off = 24
    out = []
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(end + "IIII", data[off:off + 16])
        out.append((sec + frac / (1e9 if nano else 1e6), data[off:off + 16],
                    data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return linktype, data[:24], out


def payloads(path):
    """(time, UDP payload) of each datagram"""
    linktype, _, recs = frames(path)
    for ts, _, frame in recs:
        if linktype == 1:
            ethertype, ip = struct.unpack(">H", frame[12:14])[0], frame[14:]
        elif linktype == 113:
            ethertype, ip = struct.unpack(">H", frame[14:16])[0], frame[16:]
        else:
            sys.exit("%s: link type %d not handled" % (path, linktype))
        if ethertype == 0x0800 and ip[9] == 17:
            udp = ip[(ip[0] & 15) * 4:]
        elif ethertype == 0x86DD and ip[6] == 17:
            udp = ip[40:]
        else:
            continue
        yield ts, udp[8:struct.unpack(">H", udp[4:6])[0]]


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "ipfix":
        with open(sys.argv[3], "wb") as out:
            for _, p in payloads(sys.argv[2]):
                if p[:2] != b"\x00\x0a":
                    sys.exit("%s: a datagram that is not IPFIX" % sys.argv[2])
                out.write(p)
    elif len(sys.argv) >= 5 and sys.argv[1] == "send":
        recorded = len(sys.argv) > 5 and sys.argv[5] == "recorded"
        delay = float(sys.argv[5]) if len(sys.argv) > 5 and not recorded else 0.002
        fam = socket.AF_INET6 if ":" in sys.argv[3] else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_DGRAM)
        start, first = time.monotonic(), None
        for ts, p in payloads(sys.argv[2]):
            if recorded:
                first = ts if first is None else first
                time.sleep(max(0.0, start + (ts - first) - time.monotonic()))
            s.sendto(p, (sys.argv[3], int(sys.argv[4])))
            if not recorded:
                time.sleep(delay)
    elif len(sys.argv) >= 4 and sys.argv[1] == "pace":
        _, head, recs = frames(sys.argv[2])
        start = time.monotonic()
        with open(sys.argv[3], "wb") as out:
            out.write(head)
            for ts, rh, frame in recs:
                time.sleep(max(0.0, start + (ts - recs[0][0]) - time.monotonic()))
                out.write(rh + frame)
                out.flush()
    else:
        sys.exit(__doc__)


main()
