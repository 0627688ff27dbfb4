#!/usr/bin/env python3
"""Compare the verdicts of two ntpsleuth JSON reports, host by host:
the packets' (first) and the flows' (second). Prints a line a host and
exits 1 when a host is missing or its verdict differs. With --flows N,
the second report must also say it decoded N flow records (with
--flows MIN-MAX, between MIN and MAX). With
--allow FILE --scenario NAME, the differences FILE lists for scenario
NAME (lines "SCENARIO ADDRESS PACKETS-VERDICT FLOWS-VERDICT WHY...",
'-' for a host one report lacks) are expected: printed with their
reason, not failures; an allowed difference that no longer happens is
a failure too, so the file stays true."""
import json
import sys


def hosts(path):
    try:
        with open(path) as f:
            r = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"  {path}: no report: {e}")
    return r, {h["address"]: (h["verdict"], h["confidence"]) for h in r["hosts"]}


def allowed(path, scenario):
    out = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
            if not line:
                continue
            s, addr, pv, fv, why = line.split(None, 4)
            if s == scenario:
                out[addr] = (pv, fv, why)
    return out


def main():
    args = sys.argv[1:]
    want_flows = None
    allow = {}
    while args[:1] and args[0].startswith("--"):
        if args[0] == "--flows":
            lo, _, hi = args[1].partition("-")
            want_flows, args = (int(lo), int(hi or lo)), args[2:]
        elif args[0] == "--allow":
            path, args = args[1], args[2:]
        elif args[0] == "--scenario":
            allow, args = allowed(path, args[1]), args[2:]
        else:
            sys.exit("usage: verdicts.py [--flows N[-MAX]] [--allow FILE --scenario NAME] PACKETS.json FLOWS.json")
    _, pk = hosts(args[0])
    rep, fl = hosts(args[1])
    bad = 0
    # Thousands of spoofed sources: the agreeing ones are counted, not listed.
    quiet = len(set(pk) | set(fl)) > 40
    nsame = 0
    for a in sorted(set(pk) | set(fl)):
        p, f = pk.get(a), fl.get(a)
        pv, fv = p[0] if p else "-", f[0] if f else "-"
        same = p is not None and f is not None and pv == fv
        why = ""
        if a in allow:
            apv, afv, reason = allow[a]
            if same or (apv, afv) != (pv, fv):
                why = f"  (LAB-DIFF expects {apv} / {afv})"
                bad += 1
            else:
                why = f"  expected: {reason}"
            tag = "diff" if not why.startswith("  (") else "DIFF"
        else:
            tag = "same" if same else "DIFF"
            bad += not same
        nsame += tag == "same"
        if not (quiet and tag == "same"):
            print(f"  {tag} {a:<16} packets {pv:<14} flows {fv}{why}")
    if quiet:
        print(f"  same: {nsame} hosts")
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
