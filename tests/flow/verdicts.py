#!/usr/bin/env python3
"""Compare the verdicts of two ntpsleuth JSON reports, host by host:
the packets' (first) and the flows' (second). Prints a line a host and
exits 1 when a host is missing or its verdict differs. With --flows N,
the second report must also say it decoded N flow records; with
--flows MIN-MAX, between MIN and MAX."""
import json
import sys


def hosts(path):
    with open(path) as f:
        r = json.load(f)
    return r, {h["address"]: (h["verdict"], h["confidence"]) for h in r["hosts"]}


def main():
    args = sys.argv[1:]
    want_flows = None
    if args[:1] == ["--flows"]:
        lo, _, hi = args[1].partition("-")
        want_flows, args = (int(lo), int(hi or lo)), args[2:]
    _, pk = hosts(args[0])
    rep, fl = hosts(args[1])
    bad = 0
    for a in sorted(set(pk) | set(fl)):
        p, f = pk.get(a), fl.get(a)
        same = p is not None and f is not None and p[0] == f[0]
        print(f"  {'same' if same else 'DIFF'} {a:<16} packets {p[0] if p else '-':<14} "
              f"flows {f[0] if f else '-'}")
        bad += not same
    if want_flows is not None:
        got = sum(s.get("flows", {}).get("records", 0) for s in rep["sources"])
        if not want_flows[0] <= got <= want_flows[1]:
            want = "-".join(str(n) for n in sorted(set(want_flows)))
            print(f"  flow records decoded: {got}, expected {want}")
            bad += 1
        elif want_flows[0] != want_flows[1]:
            print(f"  flow records decoded: {got}")
    sys.exit(1 if bad or not pk else 0)


main()
