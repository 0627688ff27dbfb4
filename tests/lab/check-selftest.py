#!/usr/bin/env python3
"""Tests of check.py itself, with hand-written reports (no root needed):
a report that meets EXPECT passes, and each kind of wrong report fails
with a message that names the problem."""

import copy
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "check.py")

EXPECT = """\
# test expectations
demo  198.51.100.10  solicited  0.6  packets_in>=15 packets_out>=15
demo  198.51.100.20  reflection-flood|incident:reflection-flood 0.5 packets_in>=100
demo  203.0.113.32   !serving|solicited  -
demo  203.0.113.32   port-scan  -  rule:drop-syn>=50 rule:drop-ntp==0
demo  incident:reflection-flood  -  -  remote_hosts>=1 local=192.0.2.10
demo  *  -  -  totals.ip_packets>=100
other 192.0.2.99 flood 0.9
"""

GOOD = {
    "format": "ntpsleuth-report/1",
    "local_networks": ["192.0.2.0/24"],
    "totals": {"packets": 500, "ip_packets": 496, "decode_errors": 0,
               "dropped": 0},
    "hosts": [
        {"address": "198.51.100.10", "packets_in": 20, "packets_out": 20,
         "bytes_in": 1800, "bytes_out": 1800, "verdict": "solicited",
         "confidence": 0.9, "evidence": ["20 replies to 20 requests"]},
        {"address": "198.51.100.20", "packets_in": 400, "packets_out": 3,
         "bytes_in": 192800, "bytes_out": 200, "verdict": "unsolicited",
         "confidence": 0.4, "evidence": ["monlist responses, no request"]},
        {"address": "203.0.113.32", "packets_in": 60, "packets_out": 6,
         "bytes_in": 3000, "bytes_out": 400, "verdict": "port-scan",
         "confidence": 0.8, "evidence": ["58 ports"],
         "firewall_rules": [{"rule": "drop-syn", "action": "", "packets": 58}]},
    ],
    "incidents": [
        {"kind": "reflection-flood", "local": "192.0.2.10",
         "remote_hosts": 1, "remote_addresses": ["198.51.100.20"],
         "evidence": ["1 reflector"]},
    ],
}


def run(report, packets=500, local="192.0.2.0/24", scenario="demo"):
    with tempfile.TemporaryDirectory() as d:
        exp = os.path.join(d, "EXPECT")
        with open(exp, "w") as f:
            f.write(EXPECT)
        rep = os.path.join(d, "report.json")
        with open(rep, "w") as f:
            f.write(report if isinstance(report, str) else json.dumps(report))
        cmd = [sys.executable, CHECK, "--scenario", scenario, "--expect", exp,
               "--json", rep, "--local", local, "--packets", str(packets)]
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        return p.returncode, p.stdout.decode()


def host(r, addr):
    return next(h for h in r["hosts"] if h["address"] == addr)


def case(name, report, rc, needle=None, **kw):
    got_rc, out = run(report, **kw)
    ok = got_rc == rc and (needle is None or needle in out)
    print("%s %s" % ("ok  " if ok else "FAIL", name))
    if not ok:
        print("  expected exit %d%s, got %d; output:\n%s" % (
            rc, " and %r" % needle if needle else "", got_rc,
            "\n".join("    " + x for x in out.splitlines())))
    return ok


def mutate(fn):
    r = copy.deepcopy(GOOD)
    fn(r)
    return r


def main():
    cases = [
        ("good report passes", GOOD, 0, "ok   EXPECT:3"),
        ("wrong verdict", mutate(lambda r: host(r, "198.51.100.10").update(
            verdict="flood")), 1, "expected solicited, got flood"),
        ("low confidence", mutate(lambda r: host(r, "198.51.100.10").update(
            confidence=0.5)), 1, "expected >= 0.6, got 0.5"),
        ("count too low", mutate(lambda r: host(r, "198.51.100.10").update(
            packets_in=3)), 1, "packets_in>=15 failed: got 3"),
        ("missing host", mutate(lambda r: r["hosts"].pop(0)), 1,
         "198.51.100.10 is not in the report"),
        ("forbidden verdict", mutate(lambda r: host(r, "203.0.113.32").update(
            verdict="serving")), 1, "must not be given"),
        ("host verdict stands in for the incident; the incident line still fails",
         mutate(lambda r: (r.update(incidents=[]),
                           host(r, "198.51.100.20").update(
                               verdict="reflection-flood", confidence=0.7))),
         1, "no incident of kind reflection-flood"),
        ("incident on another local", mutate(
            lambda r: r["incidents"][0].update(local="192.0.2.11")), 1,
         "local=192.0.2.10 failed"),
        ("top-level field", mutate(lambda r: r["totals"].update(
            ip_packets=10)), 1, "totals.ip_packets>=100 failed"),
        ("packet count differs", GOOD, 1,
         "totals.packets is 500, the capture has 501", {"packets": 501}),
        ("local network missing", GOOD, 1, "does not contain 192.0.2.1/32",
         {"local": "192.0.2.1/32"}),
        ("wrong format", mutate(lambda r: r.update(format="x/2")), 1,
         "format is 'x/2'"),
        ("unknown verdict", mutate(lambda r: host(r, "198.51.100.10").update(
            verdict="evil")), 1, "verdict 'evil' is not one of"),
        ("confidence out of range", mutate(
            lambda r: host(r, "198.51.100.10").update(confidence=1.5)), 1,
         "confidence 1.5 is not in 0..1"),
        ("count is not an integer", mutate(
            lambda r: host(r, "198.51.100.10").update(packets_in="20")), 1,
         "packets_in is not a count"),
        ("missing totals key", mutate(lambda r: r["totals"].pop("dropped")),
         1, "totals.dropped is not a count"),
        ("evidence not strings", mutate(
            lambda r: host(r, "198.51.100.10").update(evidence=[1])), 1,
         "evidence is not a list of strings"),
        ("decode errors", mutate(lambda r: r["totals"].update(
            decode_errors=2)), 1, "decode_errors is 2"),
        ("verdicts still checked on a malformed incident", mutate(
            lambda r: (r["incidents"][0].update(remote_hosts="1"),
                       host(r, "198.51.100.10").update(verdict="flood"))),
         1, "expected solicited, got flood"),
        ("rule count too low", mutate(
            lambda r: host(r, "203.0.113.32")["firewall_rules"][0].update(
                packets=5)), 1, "rule:drop-syn>=50 failed: got 5"),
        ("rule missing counts 0", mutate(
            lambda r: host(r, "203.0.113.32").pop("firewall_rules")), 1,
         "rule:drop-syn>=50 failed: got 0"),
        ("not JSON", "{not json", 1, "report is not JSON"),
        ("no lines for scenario", GOOD, 2, "no EXPECT lines",
         {"scenario": "nothing"}),
    ]
    results = []
    for c in cases:
        kw = c[4] if len(c) > 4 else {}
        results.append(case(c[0], c[1], c[2], c[3], **kw))
    passed = sum(results)
    print("check.py self-test: %d passed, %d failed"
          % (passed, len(results) - passed))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
