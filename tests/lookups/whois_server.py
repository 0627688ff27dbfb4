#!/usr/bin/env python3
"""A loopback whois pair for the lookup tests: one port plays
whois.iana.org (answers with a "refer:" to the other), the other plays a
registry, with answers in the style of RIPE and ARIN.

Prints "IANA_PORT RIR_PORT\n" once listening on 127.0.0.1.
The registry's answer depends on the address asked:
  193.0.6.139   RIPE style, abuse in the "% Abuse contact" comment,
                an escape sequence in descr
  8.8.8.8       ARIN style, parent and child networks (the child wins)
  45.0.0.7  a megabyte of text (the client must stop reading)
  45.0.0.8  never answers (the client must time out)
  others        "% No entries found"
"""
import socket
import sys
import threading
import time

RIPE = """% This is the RIPE Database query service.
% The objects are in RPSL format.

% Information related to '193.0.0.0 - 193.0.7.255'

% Abuse contact for '193.0.0.0 - 193.0.7.255' is 'abuse@ripe.net'

inetnum:        193.0.0.0 - 193.0.7.255
netname:        RIPE-NCC
descr:          RIPE Network Coordination Centre\x1b[2J
descr:          Amsterdam, Netherlands
org:            ORG-RIEN1-RIPE
country:        NL
admin-c:        BRD-RIPE
status:         ASSIGNED PA
source:         RIPE

organisation:   ORG-RIEN1-RIPE
org-name:       Reseaux IP Europeens Network Coordination Centre (RIPE NCC)
"""

ARIN = """#
# ARIN WHOIS data and services are subject to the Terms of Use
#

NetRange:       8.0.0.0 - 8.127.255.255
CIDR:           8.0.0.0/9
NetName:        LVLT-ORG-8-8
NetHandle:      NET-8-0-0-0-1
Organization:   Level 3 Parent, LLC (LPL-141)
OrgName:        Level 3 Parent, LLC
Country:        US
OrgAbuseEmail:  abuse@level3.com

NetRange:       8.8.8.0 - 8.8.8.255
CIDR:           8.8.8.0/24
NetName:        GOGL
NetHandle:      NET-8-8-8-0-2
Parent:         LVLT-ORG-8-8 (NET-8-0-0-0-1)
OrgName:        Google LLC
Country:        US
OrgAbuseHandle: ABUSE5250-ARIN
OrgAbuseName:   Abuse
OrgAbusePhone:  +1-650-253-0000
OrgAbuseEmail:  network-abuse@google.com
"""


def serve(sock, answer):
    sock.listen(16)
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=handle, args=(conn, answer), daemon=True).start()


def handle(conn, answer):
    try:
        conn.settimeout(10)
        q = b""
        while not q.endswith(b"\n") and len(q) < 512:
            d = conn.recv(512)
            if not d:
                break
            q += d
        text = answer(q.decode("ascii", "replace").strip())
        if text is None:
            time.sleep(8)
            return
        conn.sendall(text.encode("utf-8", "replace"))
    except OSError:
        pass
    finally:
        conn.close()


def main():
    iana = socket.socket()
    rir = socket.socket()
    for s in (iana, rir):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
    rport = rir.getsockname()[1]

    def iana_answer(q):
        return ("%% IANA WHOIS server\n\nrefer:        127.0.0.1:%d\n\n"
                "inetnum:      193.0.0.0 - 193.255.255.255\n"
                "organisation: RIPE NCC\n" % rport)

    def rir_answer(q):
        addr = q.split()[-1] if q.split() else ""
        if addr == "193.0.6.139":
            return RIPE
        if addr == "8.8.8.8":
            return ARIN
        if addr == "45.0.0.7":
            return ("inetnum: 45.0.0.0 - 45.0.0.255\nnetname: BIG\n" +
                    ("remarks: " + "y" * 100 + "\n") * 10000)
        if addr == "45.0.0.8":
            return None
        return "% No entries found for the selected source(s).\n"

    print(iana.getsockname()[1], rport, flush=True)
    threading.Thread(target=serve, args=(iana, iana_answer), daemon=True).start()
    threading.Thread(target=serve, args=(rir, rir_answer), daemon=True).start()
    time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 300)


if __name__ == "__main__":
    main()
