#!/usr/bin/env python3
"""A tiny DNS server for the reverse DNS test, run inside a private network
namespace whose /etc/resolv.conf names 127.0.0.1. Answers PTR queries:

  192.0.2.1    time.example.net
  192.0.2.2    a name whose first label holds an escape sequence
  192.0.2.3    a 4-label name of 63-byte labels (the longest kind)
  192.0.2.4    NXDOMAIN
  192.0.2.5    never answers (the resolver times out)
  2001:db8::1  v6.example.net
  others       NXDOMAIN

Prints "53\n" once listening on 127.0.0.1:53 (UDP).
"""
import socket
import struct
import sys
import time

V6 = ".".join(reversed("20010db8" + "0" * 23 + "1")) + ".ip6.arpa"
NAMES = {
    "1.2.0.192.in-addr.arpa": [b"time", b"example", b"net"],
    "2.2.0.192.in-addr.arpa": [b"\x1b[31mevil\x07", b"example", b"net"],
    "3.2.0.192.in-addr.arpa": [b"a" * 63, b"b" * 63, b"c" * 63, b"d" * 61],
    V6: [b"v6", b"example", b"net"],
}
SILENT = {"5.2.0.192.in-addr.arpa"}


def qname(pkt):
    labels, i = [], 12
    while i < len(pkt) and pkt[i] != 0:
        n = pkt[i]
        labels.append(pkt[i + 1:i + 1 + n].decode("latin-1"))
        i += 1 + n
    return ".".join(labels).lower(), i + 5


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 53))
    print(53, flush=True)
    s.settimeout(0.5)
    end = time.time() + (float(sys.argv[1]) if len(sys.argv) > 1 else 60)
    while time.time() < end:
        try:
            pkt, peer = s.recvfrom(512)
        except socket.timeout:
            continue
        if len(pkt) < 17:
            continue
        name, qend = qname(pkt)
        qtype = struct.unpack("!H", pkt[qend - 4:qend - 2])[0]
        if name in SILENT:
            continue
        question = pkt[12:qend]
        labels = NAMES.get(name) if qtype == 12 else None
        if labels is None:
            rcode = 0 if name in NAMES else 3
            s.sendto(pkt[:2] + struct.pack("!HHHHH", 0x8180 | rcode, 1, 0, 0, 0) +
                     question, peer)
            continue
        rdata = b"".join(bytes([len(l)]) + l for l in labels) + b"\0"
        answer = struct.pack("!HHHIH", 0xc00c, 12, 1, 60, len(rdata)) + rdata
        s.sendto(pkt[:2] + struct.pack("!HHHHH", 0x8180, 1, 1, 0, 0) + question +
                 answer, peer)


if __name__ == "__main__":
    main()
