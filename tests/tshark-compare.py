#!/usr/bin/env python3
"""Compare ntpsleuth's JSON report with tshark's packet counts.

For each capture: the report's totals.ip_packets must equal the number of
frames tshark decodes as IPv4 or IPv6, and for every host in the report,
packets_in and packets_out must equal tshark's count of frames whose
outermost source (destination) address is that host. For NFLOG captures,
a host's firewall_rules must be tshark's count of its frames (in or out)
per nflog.prefix.

usage: tshark-compare.py NTPSLEUTH CAPTURE...
Exit 0 when all match, 1 on a mismatch, 77 when tshark is missing.
"""
import collections
import json
import shutil
import subprocess
import sys


def tshark_counts(path):
    out = subprocess.run(
        ["tshark", "-n", "-r", path, "-T", "fields", "-E", "occurrence=f",
         "-e", "ip.src", "-e", "ip.dst", "-e", "ipv6.src", "-e", "ipv6.dst",
         "-e", "nflog.prefix"],
        capture_output=True, text=True)
    ip = 0
    src = collections.Counter()
    dst = collections.Counter()
    self_ = collections.Counter()
    rules = collections.defaultdict(collections.Counter)
    for line in out.stdout.splitlines():
        f = line.split("\t")
        f += [""] * (5 - len(f))
        s, d = (f[0], f[1]) if f[0] else (f[2], f[3])
        if not s:
            continue
        ip += 1
        # ntpsleuth drops the prefix's trailing spaces; tshark keeps them.
        prefix = f[4].rstrip(" ")
        if prefix:
            rules[s][prefix] += 1
            if d != s:
                rules[d][prefix] += 1
        if s == d:
            self_[s] += 1
        else:
            src[s] += 1
            dst[d] += 1
    return ip, src, dst, self_, rules


def main():
    if shutil.which("tshark") is None:
        print("SKIP: tshark is not installed")
        return 77
    binary = sys.argv[1]
    failed = 0
    for path in sys.argv[2:]:
        r = subprocess.run([binary, "-r", path, "--report=json", "--no-lookups"],
                           capture_output=True, text=True)
        try:
            rep = json.loads(r.stdout)
        except json.JSONDecodeError:
            print(f"FAIL {path}: no JSON (exit {r.returncode}): {r.stderr.strip()}")
            failed += 1
            continue
        ip, src, dst, self_, rules = tshark_counts(path)
        errs = []
        if rep["totals"]["ip_packets"] != ip:
            errs.append(f"ip_packets {rep['totals']['ip_packets']} != tshark {ip}")
        for h in rep["hosts"]:
            a = h["address"]
            # A host talking to itself is split by port, not by address:
            # compare the sum.
            if self_[a] and h["packets_in"] + h["packets_out"] != self_[a] + src[a] + dst[a]:
                errs.append(f"{a} loopback packets {h['packets_in'] + h['packets_out']} != tshark {self_[a] + src[a] + dst[a]}")
            if self_[a]:
                continue
            if h["packets_in"] != src[a]:
                errs.append(f"{a} packets_in {h['packets_in']} != tshark {src[a]}")
            if h["packets_out"] != dst[a]:
                errs.append(f"{a} packets_out {h['packets_out']} != tshark {dst[a]}")
            if h.get("firewall_rules_other_packets", 0) == 0:
                got = collections.Counter()
                for x in h.get("firewall_rules", []):
                    got[x["rule"]] += x["packets"]
                if got != rules[a]:
                    errs.append(f"{a} firewall_rules {dict(got)} != tshark {dict(rules[a])}")
        if errs:
            failed += 1
            print(f"FAIL {path}: " + "; ".join(errs[:6]))
        else:
            print(f"ok   {path}: {ip} IP packets, {len(rep['hosts'])} hosts match tshark")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
