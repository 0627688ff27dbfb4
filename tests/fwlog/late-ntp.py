#!/usr/bin/python3
"""An NTP server that answers late: each mode 3 request gets a mode 4
reply DELAY seconds after it arrived (the source's conntrack entry on the
client's NAT router has expired by then). Runs for SECS seconds.

usage: late-ntp.py ADDR DELAY SECS
"""
import socket
import struct
import sys
import threading
import time

NTP_EPOCH = 2208988800


def stamp():
    now = time.time() + NTP_EPOCH
    return struct.pack("!II", int(now), int((now % 1) * 2**32))


def main():
    addr, delay, secs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((addr, 123))
    s.settimeout(0.2)
    end = time.monotonic() + secs
    n = 0
    while time.monotonic() < end:
        try:
            req, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        if len(req) < 48 or req[0] & 7 != 3:
            continue
        rx = stamp()

        def reply(req=req, peer=peer, rx=rx):
            # LI 0, VN 4, mode 4; stratum 2; the client's poll; precision -20
            pkt = bytes([0x24, 2, req[2], 0xEC]) + bytes(8) + b"LAB\0"
            pkt += rx + req[40:48] + rx + stamp()
            try:
                s.sendto(pkt, peer)
            except OSError:
                pass

        t = threading.Timer(delay, reply)
        t.daemon = True
        t.start()
        n += 1
    print(f"late-ntp: {n} requests, each answered {delay} s late")


main()
