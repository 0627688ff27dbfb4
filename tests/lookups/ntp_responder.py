#!/usr/bin/env python3
"""A small NTP responder for the probe and self-check tests, on loopback
and a high port so that no root is needed.

  ntp_responder.py vulnerable   answers mode 3 (stratum 2), mode 7 monlist
                                (100 packets of 6 items x 72 bytes, "more"
                                bit on all but the last, as ntpd 4.2.6 does)
                                and mode 6 READVAR (two fragments, an old
                                ntpd's version string)
  ntp_responder.py patched      answers mode 3 only, as a fixed server
  ntp_responder.py kod          answers mode 3 with a RATE kiss-o'-death

Prints "PORT\n" once listening on 127.0.0.1 (or --addr).
Plain sockets, not scapy, so it runs wherever python3 does.
"""
import argparse
import socket
import struct
import time

NTP_EPOCH = 2208988800


def ntp_ts(t):
    return struct.pack("!II", int(t) + NTP_EPOCH, int((t % 1) * 2**32))


def mode4(req, stratum=2, refid=b"\x7f\x00\x00\x01"):
    now = time.time()
    return (bytes([0 << 6 | 4 << 3 | 4, stratum, 6, 0xe9]) +
            struct.pack("!II", 0x100, 0x200) + refid + ntp_ts(now - 10) +
            req[40:48] + ntp_ts(now) + ntp_ts(now + 0.0001))


def monlist(req):
    """100 packets of 6 items: 8-byte header + 6 x 72 = 440 bytes each."""
    out = []
    item = bytes(range(72))
    for i in range(100):
        more = 0x40 if i < 99 else 0
        hdr = bytes([0x80 | more | 2 << 3 | 7, i & 0x7f, 3, 42]) + \
            struct.pack("!HH", 6, 72)
        out.append(hdr + item * 6)
    return out


VARS = (b'version="ntpd 4.2.6p5@1.2349-o Fri Apr 13 12:00:00 UTC 2018 (1)", '
        b'processor="x86_64", system="Linux/4.19.0", leap=00, stratum=2, '
        b'precision=-23, rootdelay=1.234, rootdisp=20.5, refid=127.0.0.1, '
        b'reftime=0xe0000000.00000000, clock=0xe0000000.00000000, peer=1234, '
        b'tc=10, mintc=3, offset=0.123, frequency=-12.345, sys_jitter=0.1, '
        b'clk_jitter=0.05, clk_wander=0.01')


def readvar(req):
    seq = req[2:4]
    half = len(VARS) // 2
    frags = [(0, VARS[:half], 0x20), (half, VARS[half:], 0)]
    out = []
    for off, data, more in frags:
        pad = data + b"\0" * (-len(data) % 4)
        out.append(bytes([2 << 3 | 6, 0x80 | more | 2]) + seq +
                   struct.pack("!HHHH", 0x0615, 0, off, len(data)) + pad)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["vulnerable", "patched", "kod"])
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--lifetime", type=float, default=120)
    args = ap.parse_args()
    s = socket.socket(socket.AF_INET6 if ":" in args.addr else socket.AF_INET,
                      socket.SOCK_DGRAM)
    s.bind((args.addr, 0))
    print(s.getsockname()[1], flush=True)
    s.settimeout(0.5)
    end = time.time() + args.lifetime
    while time.time() < end:
        try:
            req, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        if not req:
            continue
        mode = req[0] & 7
        replies = []
        if mode == 3 and len(req) >= 48:
            if args.kind == "kod":
                replies = [mode4(req, 0, b"RATE")]
            else:
                replies = [mode4(req)]
        elif args.kind == "vulnerable" and mode == 7 and len(req) >= 8 and req[3] == 42:
            replies = monlist(req)
        elif args.kind == "vulnerable" and mode == 6 and len(req) >= 12 and \
                req[1] & 0x1f == 2:
            replies = readvar(req)
        for r in replies:
            s.sendto(r, peer)


if __name__ == "__main__":
    main()
