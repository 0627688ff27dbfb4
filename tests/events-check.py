#!/usr/bin/env python3
"""Checks of ntpsleuth's events (--events, doc/events.md), for tests/events.sh.

    events-check.py lines EVENTS            every line a valid event; counts
    events-check.py final EVENTS REPORT     last verdict and call of each host,
                                            and the incidents, as the report's
    events-check.py has EVENTS HOST VERDICT a verdict line for HOST saying VERDICT
    events-check.py incidents EVENTS        the incidents' lines in order:
                                            "open:1 close:1:quiet ..."
    events-check.py strip EVENTS            the lines without the wall clock
"""
import json
import re
import sys

SCHEMA = "ntpsleuth-events/1"
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
VERDICTS = {"undetermined", "solicited", "serving", "unsolicited", "port-scan", "flood",
            "amplifier-abuse", "reflection-flood", "brute-force"}
REASONS = {"verdict": {"first", "changed", "call"}, "incident_open": {"threshold"},
           "incident_close": {"quiet", "end", "gone"}}
HOST_KEYS = {"host", "old_verdict", "verdict", "severity", "confidence", "call", "evidence",
             "first_seen", "last_seen", "packets_in", "packets_out", "bytes_in", "bytes_out",
             "ports"}
INCIDENT_KEYS = {"id", "kind", "local", "proto", "port", "remote_hosts", "remote_addresses",
                 "packets", "bytes", "peak_pps", "confidence", "evidence", "first", "last"}


def fail(msg):
    sys.exit("events-check: " + msg)


def load(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.endswith("\n"):
                fail("%s:%d: the line does not end in a newline" % (path, n))
            try:
                e = json.loads(line)
            except ValueError as x:
                fail("%s:%d: not JSON: %s" % (path, n, x))
            if not isinstance(e, dict):
                fail("%s:%d: not an object" % (path, n))
            out.append((n, e))
    return out


def check_line(n, e):
    if e.get("schema") != SCHEMA:
        fail("line %d: schema %r" % (n, e.get("schema")))
    ev = e.get("event")
    if ev not in REASONS:
        fail("line %d: event %r" % (n, ev))
    if e.get("reason") not in REASONS[ev]:
        fail("line %d: reason %r for %s" % (n, e.get("reason"), ev))
    if not isinstance(e.get("final"), bool):
        fail("line %d: final is not a boolean" % n)
    for k in ("time", "wall"):
        if not isinstance(e.get(k), str) or not TIME.match(e[k]):
            fail("line %d: %s %r is not RFC 3339 UTC with milliseconds" % (n, k, e.get(k)))
    need = HOST_KEYS if ev == "verdict" else INCIDENT_KEYS
    missing = need - set(e)
    if missing:
        fail("line %d: %s lacks %s" % (n, ev, sorted(missing)))
    if ev == "verdict":
        if e["verdict"] not in VERDICTS or e["old_verdict"] not in VERDICTS:
            fail("line %d: verdicts %r -> %r" % (n, e["old_verdict"], e["verdict"]))
        if e["reason"] == "call" and e["verdict"] != e["old_verdict"]:
            fail("line %d: a call line changes the verdict" % n)
        if e["reason"] != "call" and e["verdict"] == e["old_verdict"]:
            fail("line %d: a verdict line that changes nothing" % n)
        if not 0 <= e["confidence"] <= 1 or not isinstance(e["evidence"], list):
            fail("line %d: confidence or evidence" % n)
        if len(e["evidence"]) > 4 or not all(isinstance(s, str) for s in e["evidence"]):
            fail("line %d: more than 4 evidence strings, or not strings" % n)
    elif ev == "incident_close" and "duration_s" not in e:
        fail("line %d: a closing without duration_s" % n)


def lines(path):
    evs = load(path)
    last_time = {}
    for n, e in evs:
        check_line(n, e)
        if e["event"] == "verdict":
            # One host's lines come in the order of its packets.
            if e["time"] < last_time.get(e["host"], ""):
                fail("line %d: %s goes back in time" % (n, e["host"]))
            last_time[e["host"]] = e["time"]
    kinds = {}
    for _, e in evs:
        kinds[e["event"]] = kinds.get(e["event"], 0) + 1
    print("%d lines: %s" % (len(evs), ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))


def final(path, report_path):
    evs = [e for _, e in load(path)]
    with open(report_path, encoding="utf-8") as f:
        rep = json.load(f)
    last = {}
    for e in evs:
        if e["event"] == "verdict":
            last[e["host"]] = e
    bad = []
    for h in rep["hosts"]:
        e = last.get(h["address"])
        got = e["verdict"] if e else "undetermined"
        call = e["call"] if e else False
        if got != h["verdict"] or call != h["call"]:
            bad.append("%s: events %s call %s, report %s call %s" %
                       (h["address"], got, call, h["verdict"], h["call"]))
    known = {h["address"] for h in rep["hosts"]}
    for a in last:
        if a not in known:
            bad.append("%s: in the events, not in the report" % a)
    # Every incident of the report opened, and every opened one closed.
    opened, closed = {}, set()
    for e in evs:
        if e["event"] == "incident_open":
            if e["id"] in opened:
                fail("incident %d opened twice" % e["id"])
            opened[e["id"]] = (e["kind"], e["local"], e["proto"], e["port"])
        elif e["event"] == "incident_close":
            if e["id"] not in opened or e["id"] in closed:
                fail("incident %d closed without being open" % e["id"])
            closed.add(e["id"])
    if set(opened) != closed:
        bad.append("incidents never closed: %s" % sorted(set(opened) - closed))
    for x in rep["incidents"]:
        key = (x["kind"], x["local"], x["proto"], x["port"])
        if key not in opened.values():
            bad.append("report incident %s never opened" % (key,))
    if bad:
        fail("; ".join(bad))
    print("final verdicts of %d hosts and %d incidents agree with the report" %
          (len(rep["hosts"]), len(rep["incidents"])))


def has(path, host, verdict):
    for _, e in load(path):
        if e["event"] == "verdict" and e["host"] == host and e["verdict"] == verdict:
            print("%s %s at %s (%s)" % (host, verdict, e["time"], e["reason"]))
            return
    fail("no line says %s is %s" % (host, verdict))


def incidents(path):
    seq = []
    for _, e in load(path):
        if e["event"] == "incident_open":
            seq.append("open:%d" % e["id"])
        elif e["event"] == "incident_close":
            seq.append("close:%d:%s" % (e["id"], e["reason"]))
    print(" ".join(seq))


def strip(path):
    for _, e in load(path):
        del e["wall"]
        print(json.dumps(e, sort_keys=True))


def main():
    a = sys.argv[1:]
    if len(a) == 2 and a[0] == "lines":
        lines(a[1])
    elif len(a) == 3 and a[0] == "final":
        final(a[1], a[2])
    elif len(a) == 4 and a[0] == "has":
        has(a[1], a[2], a[3])
    elif len(a) == 2 and a[0] == "incidents":
        incidents(a[1])
    elif len(a) == 2 and a[0] == "strip":
        strip(a[1])
    else:
        sys.exit(__doc__)


main()
