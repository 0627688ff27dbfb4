#!/usr/bin/env python3
"""A loopback RDAP server for the lookup tests.

Serves GET /CASE/ip/ADDR with answers written in the style of the real
registries (ARIN nests the abuse entity inside the registrant; RIPE puts
it at the top level and uses cidr0_cidrs), and the failures a client must
survive: redirects, 404, 429, 503, a stall, escape sequences, truncated
JSON, an oversize body. GET /stats answers {"requests": N}.

Prints "PORT\n" on stdout once listening on 127.0.0.1 (port 0 = any free
one), then serves until killed or for --lifetime seconds.
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COUNT = 0
LOCK = threading.Lock()


def vcard(*props):
    return ["vcard", [["version", {}, "text", "4.0"]] + [list(p) for p in props]]


def arin(addr):
    """ARIN's answer for 8.8.8.8, trimmed: abuse nested in the registrant."""
    return {
        "rdapConformance": ["nro_rdap_profile_0", "rdap_level_0", "cidr0",
                            "arin_originas0"],
        "notices": [{"title": "Terms of Service",
                     "description": ["By using the ARIN RDAP/Whois service, you "
                                     "are agreeing to the RDAP/Whois Terms of Use"]}],
        "handle": "NET-8-8-8-0-2",
        "startAddress": "8.8.8.0",
        "endAddress": "8.8.8.255",
        "ipVersion": "v4",
        "name": "GOGL",
        "type": "DIRECT ALLOCATION",
        "parentHandle": "NET-8-0-0-0-0",
        "events": [{"eventAction": "last changed",
                    "eventDate": "2023-12-28T17:24:56-05:00"}],
        "entities": [{
            "handle": "GOGL",
            "vcardArray": vcard(("fn", {}, "text", "Google LLC"),
                                ("adr", {"label": "1600 Amphitheatre Parkway\n"
                                         "Mountain View\nCA\n94043\nUnited States"},
                                 "text", ["", "", "", "", "", "", ""]),
                                ("kind", {}, "text", "org")),
            "roles": ["registrant"],
            "entities": [
                {"handle": "ABUSE5250-ARIN",
                 "vcardArray": vcard(("fn", {}, "text", "Abuse"),
                                     ("org", {}, "text", "Abuse"),
                                     ("kind", {}, "text", "group"),
                                     ("email", {}, "text", "network-abuse@google.com"),
                                     ("tel", {"type": ["work", "voice"]}, "text",
                                      "+1-650-253-0000")),
                 "roles": ["abuse"], "objectClassName": "entity"},
                {"handle": "ZG39-ARIN",
                 "vcardArray": vcard(("fn", {}, "text", "Google LLC"),
                                     ("email", {}, "text", "arin-contact@google.com")),
                 "roles": ["administrative", "technical"], "objectClassName": "entity"},
            ],
            "objectClassName": "entity"}],
        "port43": "whois.arin.net",
        "status": ["active"],
        "objectClassName": "ip network",
        "cidr0_cidrs": [{"v4prefix": "8.8.8.0", "length": 24}],
        "arin_originas0_originautnums": [15169],
    }


def ripe(addr):
    """RIPE NCC's answer for 193.0.6.139, trimmed."""
    return {
        "handle": "193.0.0.0 - 193.0.7.255",
        "startAddress": "193.0.0.0",
        "endAddress": "193.0.7.255",
        "ipVersion": "v4",
        "name": "RIPE-NCC",
        "type": "ASSIGNED PA",
        "country": "NL",
        "parentHandle": "193.0.0.0 - 193.0.23.255",
        "cidr0_cidrs": [{"v4prefix": "193.0.0.0", "length": 21}],
        "remarks": [{"title": "description",
                     "description": ["RIPE Network Coordination Centre",
                                     "Amsterdam, Netherlands"]}],
        "entities": [
            {"handle": "ORG-RIEN1-RIPE",
             "vcardArray": vcard(("fn", {}, "text", "Reseaux IP Europeens Network "
                                  "Coordination Centre (RIPE NCC)"),
                                 ("kind", {}, "text", "org")),
             "roles": ["registrant"], "objectClassName": "entity"},
            {"handle": "OPS4-RIPE",
             "vcardArray": vcard(("fn", {}, "text", "RIPE NCC Operations"),
                                 ("kind", {}, "text", "group"),
                                 ("email", {}, "text", "abuse@ripe.net")),
             "roles": ["abuse"], "objectClassName": "entity"}],
        "objectClassName": "ip network",
        "rdapConformance": ["cidr0", "rdap_level_0", "nro_rdap_profile_0"],
        "port43": "whois.ripe.net",
    }


def host(addr):
    """A /32 network named after the address: each address its own."""
    return {"objectClassName": "ip network", "handle": "NET-" + addr,
            "name": "HOST-" + addr.replace(".", "-").replace(":", "-"),
            "startAddress": addr, "endAddress": addr, "country": "de",
            "entities": [{"roles": ["abuse"],
                          "vcardArray": vcard(("email", {}, "text",
                                               "mailto:abuse@host.example"))}]}


def escape(addr):
    doc = ripe(addr)
    doc["name"] = "EVIL\u001b[31mNET\u001b]0;pwned\u0007"
    doc["handle"] = "H\u009b2J"
    doc["entities"][1]["vcardArray"][1].append(
        ["email", {}, "text", "abuse@evil.example\r\nX-Injected: 1"])
    return doc


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="application/rdap+json", extra=None):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        global COUNT
        parts = self.path.split("/")
        if self.path == "/stats":
            with LOCK:
                n = COUNT
            return self.send(200, json.dumps({"requests": n}), "application/json")
        with LOCK:
            COUNT += 1
        if len(parts) != 4 or parts[2] != "ip":
            return self.send(400, json.dumps({"errorCode": 400, "title": "bad path"}))
        case, addr = parts[1], parts[3]
        if case in ("arin", "ripe", "host", "escape"):
            doc = globals()[case](addr)
            return self.send(200, json.dumps(doc))
        if case == "redirect":
            return self.send(301, "", extra={"Location": "/ripe/ip/" + addr})
        if case == "loop":
            return self.send(302, "", extra={"Location": "/loop/ip/" + addr})
        if case == "ftp":
            return self.send(302, "", extra={"Location": "ftp://127.0.0.1/ip/" + addr})
        if case == "notfound":
            return self.send(404, json.dumps({"errorCode": 404, "title": "Not Found"}))
        if case == "ratelimit":
            return self.send(429, json.dumps({"errorCode": 429, "title": "Too Many"}),
                             extra={"Retry-After": "60"})
        if case == "error":
            return self.send(503, "<html>down</html>", "text/html")
        if case == "slow":
            time.sleep(3)
            return self.send(200, json.dumps(ripe(addr)))
        if case == "truncated":
            return self.send(200, json.dumps(ripe(addr))[:300])
        if case == "oversize":
            doc = ripe(addr)
            doc["remarks"][0]["description"] = ["x" * 1000] * 2100
            return self.send(200, json.dumps(doc))
        if case == "notjson":
            return self.send(200, "<html><body>RDAP is down</body></html>", "text/html")
        if case == "errorjson":
            return self.send(200, json.dumps({"errorCode": 400,
                                              "title": "Invalid \u001b[1mquery"}))
        if case == "domain":
            return self.send(200, json.dumps({"objectClassName": "domain",
                                              "ldhName": "example.com"}))
        return self.send(404, json.dumps({"errorCode": 404, "title": "no such case"}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=300)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    print(srv.server_address[1], flush=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    time.sleep(args.lifetime)
    sys.exit(0)


if __name__ == "__main__":
    main()
