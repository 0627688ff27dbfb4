#!/usr/bin/env python3
"""Check ntpsleuth's JSON report on a lab capture against tests/lab/EXPECT.

  check.py --ntpsleuth BIN --pcap FILE --local CIDR --scenario NAME
           [--expect EXPECT] [--packets N] [--json-out FILE]
  check.py --json REPORT --scenario NAME [--local CIDR] [--packets N]

Runs `BIN -r FILE --report=json --local CIDR` (or reads REPORT), checks
the report's shape (format ntpsleuth-report/1), the totals, then every
EXPECT line of the scenario.  Prints one line per check and, on failure,
what was expected, what came instead, and the whole host table.
Exit 0 when all checks pass, 1 otherwise, 2 on bad usage or EXPECT.

EXPECT: one check per line, '#' starts a comment.

  SCENARIO  ADDRESS       VERDICTS        MIN-CONF  [FIELD OP NUMBER]...
  ntp-nat   198.51.100.10 solicited       0.6       packets_in>=15
  reflection 198.51.100.20 reflection-flood|incident:reflection-flood 0.5
  reflection incident:reflection-flood -  -         remote_hosts>=5 local=192.0.2.10
  udp-scan  203.0.113.32  !serving|solicited -
  syn-flood *             -               -         totals.decode_errors==0

VERDICTS is a '|'-separated list of accepted verdicts; "incident:KIND"
accepts the host when an incident of that KIND names it in remote_addresses
(the confidence is then not checked); a leading '!' turns the list into
verdicts that must NOT be given.  '-' means no verdict check.
A FIELD "rule:NAME" is the number of the host's packets that the firewall
rule with that log prefix logged (firewall_rules; 0 when none did), e.g.
rule:drop-ntp>=15 for an NFLOG or log-line source.
ADDRESS "incident:KIND" checks that such an incident exists (FIELD checks
apply to it; a list field compares by its length; FIELD=TEXT compares
text).  ADDRESS '*' applies FIELD checks to the report's top level
(dotted paths such as totals.packets).  MIN-CONF '-' means no check.
"""

import argparse
import ipaddress
import json
import os
import re
import subprocess
import sys

FORMAT = "ntpsleuth-report/1"
VERDICTS = ("solicited", "serving", "port-scan", "flood", "brute-force",
            "amplifier-abuse", "reflection-flood", "unsolicited",
            "undetermined")
HOST_NUMBERS = ("packets_in", "packets_out", "bytes_in", "bytes_out")
TOTALS = ("packets", "ip_packets", "decode_errors", "dropped")
OPS = {
    ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b, "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
}
FIELD_RE = re.compile(r"^(rule:[^\s<>=!]+|[A-Za-z_][A-Za-z0-9_.]*)"
                      r"(>=|<=|==|!=|>|<|=)(.+)$")


class ExpectError(Exception):
    pass


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return (isinstance(v, (int, float)) and not isinstance(v, bool))


def shape_problems(r):
    """Everything wrong with the report's shape, as a list of strings."""
    out = []
    if not isinstance(r, dict):
        return ["report is %s, not a JSON object" % type(r).__name__]
    if r.get("format") != FORMAT:
        out.append("format is %r, expected %r" % (r.get("format"), FORMAT))
    ln = r.get("local_networks")
    if not isinstance(ln, list) or not all(isinstance(x, str) for x in ln):
        out.append("local_networks is not a list of strings: %r" % (ln,))
    t = r.get("totals")
    if not isinstance(t, dict):
        out.append("totals is not an object: %r" % (t,))
    else:
        for k in TOTALS:
            if not is_int(t.get(k)) or t.get(k) < 0:
                out.append("totals.%s is not a count: %r" % (k, t.get(k)))
    hosts = r.get("hosts")
    if not isinstance(hosts, list):
        out.append("hosts is not a list: %r" % (hosts,))
        hosts = []
    seen = set()
    for i, h in enumerate(hosts):
        where = "hosts[%d]" % i
        if not isinstance(h, dict):
            out.append("%s is not an object" % where)
            continue
        a = h.get("address")
        try:
            ipaddress.ip_address(a)
            where = "host %s" % a
        except (ValueError, TypeError):
            out.append("%s: address %r is not an IP address" % (where, a))
        if a in seen:
            out.append("%s appears twice" % where)
        seen.add(a)
        for k in HOST_NUMBERS:
            if not is_int(h.get(k)) or h.get(k) < 0:
                out.append("%s: %s is not a count: %r" % (where, k, h.get(k)))
        if h.get("verdict") not in VERDICTS:
            out.append("%s: verdict %r is not one of %s"
                       % (where, h.get("verdict"), ", ".join(VERDICTS)))
        c = h.get("confidence")
        if not is_num(c) or not 0 <= c <= 1:
            out.append("%s: confidence %r is not in 0..1" % (where, c))
        ev = h.get("evidence")
        if not isinstance(ev, list) or not all(isinstance(x, str) for x in ev):
            out.append("%s: evidence is not a list of strings" % where)
    inc = r.get("incidents")
    if not isinstance(inc, list):
        out.append("incidents is not a list: %r" % (inc,))
        inc = []
    for i, x in enumerate(inc):
        where = "incidents[%d]" % i
        if not isinstance(x, dict):
            out.append("%s is not an object" % where)
            continue
        if not isinstance(x.get("kind"), str) or not x.get("kind"):
            out.append("%s: kind is not a string" % where)
        if not isinstance(x.get("local"), str):
            out.append("%s: local is not a string" % where)
        if not is_int(x.get("remote_hosts")):
            out.append("%s: remote_hosts is not a count" % where)
        ra = x.get("remote_addresses")
        if not isinstance(ra, list) or not all(isinstance(y, str) for y in ra):
            out.append("%s: remote_addresses is not a list of strings" % where)
        ev = x.get("evidence")
        if not isinstance(ev, list) or not all(isinstance(y, str) for y in ev):
            out.append("%s: evidence is not a list of strings" % where)
    return out


def parse_expect(path, scenario):
    """The EXPECT lines of one scenario as dicts."""
    checks = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            w = text.split()
            if len(w) < 4:
                raise ExpectError("%s:%d: need SCENARIO ADDRESS VERDICTS "
                                  "MIN-CONF: %s" % (path, n, text))
            if w[0] != scenario:
                continue
            c = {"line": n, "text": text, "address": w[1], "fields": []}
            v = w[2]
            c["negate"] = v.startswith("!")
            c["verdicts"] = [] if v == "-" else v.lstrip("!").split("|")
            for x in c["verdicts"]:
                if x not in VERDICTS and not x.startswith("incident:"):
                    raise ExpectError("%s:%d: unknown verdict %r"
                                      % (path, n, x))
            if w[3] == "-":
                c["min_conf"] = None
            else:
                try:
                    c["min_conf"] = float(w[3])
                except ValueError:
                    raise ExpectError("%s:%d: bad confidence %r"
                                      % (path, n, w[3]))
            for fw in w[4:]:
                m = FIELD_RE.match(fw)
                if not m:
                    raise ExpectError("%s:%d: bad field check %r (want "
                                      "field>=number)" % (path, n, fw))
                c["fields"].append(m.groups())
            if c["address"] != "*" and not c["address"].startswith("incident:"):
                try:
                    ipaddress.ip_address(c["address"])
                except ValueError:
                    raise ExpectError("%s:%d: bad address %r"
                                      % (path, n, c["address"]))
            checks.append(c)
    return checks


def as_list(v):
    return v if isinstance(v, list) else []


def lookup(obj, path):
    if path.startswith("rule:"):
        # Packets the rule logged, whatever action each entry names.
        rules = obj.get("firewall_rules") if isinstance(obj, dict) else None
        return sum(x.get("packets", 0) for x in as_list(rules)
                   if isinstance(x, dict) and x.get("rule") == path[5:]), True
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None, False
        obj = obj[part]
    return obj, True


def field_problems(obj, fields):
    out = []
    for name, op, want in fields:
        got, found = lookup(obj, name)
        if not found:
            out.append("%s is missing" % name)
            continue
        try:
            w = float(want)
            g = len(got) if isinstance(got, list) else got
            if not is_num(g):
                out.append("%s is %r, not a number" % (name, got))
            elif not OPS[op](g, w):
                out.append("%s%s%s failed: got %s" % (name, op, want,
                           g if not isinstance(got, list) else
                           "%d (%s)" % (g, ", ".join(map(str, got)))))
        except ValueError:
            if op not in ("=", "==", "!="):
                out.append("%s%s%s: text compares only with = or !="
                           % (name, op, want))
            elif not OPS[op](str(got), want):
                out.append("%s%s%s failed: got %r" % (name, op, want, got))
    return out


def run_check(c, r, hosts):
    """Problems with one EXPECT line, as a list of strings."""
    incidents = [x for x in as_list(r.get("incidents"))
                 if isinstance(x, dict)]
    addr = c["address"]
    if addr == "*":
        return field_problems(r, c["fields"])
    if addr.startswith("incident:"):
        kind = addr.split(":", 1)[1]
        cands = [x for x in incidents if x.get("kind") == kind]
        if not cands:
            return ["no incident of kind %s (incidents: %s)" % (
                kind, ", ".join(sorted(set(x.get("kind", "?")
                                           for x in incidents))) or "none")]
        # Any incident of the kind that passes every field check will do.
        best = None
        for x in cands:
            p = field_problems(x, c["fields"])
            if not p:
                return []
            if best is None or len(p) < len(best):
                best = p
        return ["incident %s: %s" % (kind, q) for q in best]
    h = hosts.get(addr)
    if h is None:
        return ["host %s is not in the report" % addr]
    out = []
    if c["verdicts"]:
        v = h.get("verdict")
        named = [x for x in c["verdicts"] if not x.startswith("incident:")]
        via = [x.split(":", 1)[1] for x in c["verdicts"]
               if x.startswith("incident:")]
        in_incident = [k for k in via if any(
            x.get("kind") == k and addr in as_list(x.get("remote_addresses"))
            for x in incidents)]
        if c["negate"]:
            if v in named or in_incident:
                out.append("verdict %s%s is one that must not be given" % (
                    v, " (incident %s)" % in_incident[0]
                    if in_incident else ""))
        elif in_incident:
            pass
        elif v not in named:
            out.append("verdict: expected %s, got %s (confidence %s)" % (
                " or ".join(c["verdicts"]), v, h.get("confidence")))
        elif c["min_conf"] is not None and \
                not h.get("confidence", 0) >= c["min_conf"]:
            out.append("confidence: expected >= %g, got %s" % (
                c["min_conf"], h.get("confidence")))
    elif c["min_conf"] is not None and \
            not h.get("confidence", 0) >= c["min_conf"]:
        out.append("confidence: expected >= %g, got %s" % (
            c["min_conf"], h.get("confidence")))
    out += field_problems(h, c["fields"])
    if out and h.get("evidence"):
        out.append("evidence: " + "; ".join(h["evidence"]))
    return out


def host_table(r):
    lines = ["  %-16s %-17s %5s %9s %9s %11s %11s" % (
        "address", "verdict", "conf", "pkts_in", "pkts_out", "bytes_in",
        "bytes_out")]
    hs = [h for h in as_list(r.get("hosts")) if isinstance(h, dict)]
    for h in sorted(hs, key=lambda h: -(h.get("packets_in") or 0)
                    if is_int(h.get("packets_in")) else 0):
        c = h.get("confidence")
        lines.append("  %-16s %-17s %5s %9s %9s %11s %11s" % (
            h.get("address"), h.get("verdict"),
            "%.2f" % c if is_num(c) else c, h.get("packets_in"),
            h.get("packets_out"), h.get("bytes_in"), h.get("bytes_out")))
    for x in as_list(r.get("incidents")):
        if not isinstance(x, dict):
            continue
        lines.append("  incident %s local=%s remote_hosts=%s (%s)" % (
            x.get("kind"), x.get("local"), x.get("remote_hosts"),
            ",".join(map(str, as_list(x.get("remote_addresses"))))))
    return "\n".join(lines)


def load_report(a):
    if a.json:
        with open(a.json, encoding="utf-8") as f:
            text = f.read()
        return text, None
    if not a.ntpsleuth or not a.pcap or not a.local:
        raise ExpectError("--ntpsleuth, --pcap and --local are needed "
                          "without --json")
    cmd = [a.ntpsleuth, "-r", a.pcap, "--report=json", "--local", a.local]
    cmd += a.ntpsleuth_args.split()
    print("run: " + " ".join(cmd))
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=a.timeout)
    except subprocess.TimeoutExpired:
        return None, "ntpsleuth did not finish in %d s" % a.timeout
    except OSError as e:
        return None, "cannot run %s: %s" % (a.ntpsleuth, e)
    err = p.stderr.decode("utf-8", "replace").strip()
    if p.returncode != 0:
        return None, "ntpsleuth exited with %d%s" % (
            p.returncode, ": " + err[-2000:] if err else "")
    return p.stdout.decode("utf-8", "replace"), None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--expect", default=os.path.join(here, "EXPECT"))
    ap.add_argument("--ntpsleuth", default=os.environ.get("NTPSLEUTH"))
    # No reverse DNS, RDAP or reputation look-ups: the lab's documentation
    # addresses must never turn into traffic off this machine.
    ap.add_argument("--ntpsleuth-args",
                    default=os.environ.get("NTPSLEUTH_ARGS", "--no-lookups"),
                    help="more arguments for ntpsleuth (default "
                    "$NTPSLEUTH_ARGS or --no-lookups)")
    ap.add_argument("--pcap")
    ap.add_argument("--local")
    ap.add_argument("--json", help="read this report instead of running")
    ap.add_argument("--json-out", help="save the report here")
    ap.add_argument("--packets", type=int,
                    help="packets in the capture: totals.packets must match")
    ap.add_argument("--timeout", type=int, default=120)
    a = ap.parse_args()

    try:
        checks = parse_expect(a.expect, a.scenario)
        text, err = load_report(a)
    except (ExpectError, OSError) as e:
        print("check.py: %s" % e, file=sys.stderr)
        return 2
    if not checks:
        print("check.py: no EXPECT lines for scenario %s" % a.scenario,
              file=sys.stderr)
        return 2
    if err:
        print("FAIL %s: %s" % (a.scenario, err))
        return 1
    if a.json_out:
        with open(a.json_out, "w", encoding="utf-8") as f:
            f.write(text)
    try:
        r = json.loads(text)
    except ValueError as e:
        print("FAIL %s: report is not JSON (%s); it begins: %r"
              % (a.scenario, e, text[:200]))
        return 1

    failed = 0
    shape = shape_problems(r)
    for p in shape:
        print("FAIL shape: %s" % p)
    failed += len(shape)
    if not isinstance(r, dict):
        return 1
    # Go on after shape problems: the verdicts are still worth seeing.
    t = r.get("totals") if isinstance(r.get("totals"), dict) else {}
    basics = []
    if a.packets is not None and t.get("packets") != a.packets:
        basics.append("totals.packets is %s, the capture has %d packets"
                      % (t.get("packets"), a.packets))
    if t.get("decode_errors", 0) != 0:
        basics.append("totals.decode_errors is %s on a clean lab capture"
                      % t["decode_errors"])
    if t.get("dropped", 0) != 0:
        basics.append("totals.dropped is %s reading a file" % t["dropped"])
    if a.local:
        want = ipaddress.ip_network(a.local, strict=False)
        have = []
        for x in as_list(r.get("local_networks")):
            try:
                have.append(ipaddress.ip_network(x, strict=False))
            except ValueError:
                pass
        if want not in have:
            basics.append("local_networks %s does not contain %s"
                          % (r["local_networks"], want))
    for p in basics:
        print("FAIL totals: %s" % p)
    failed += len(basics)

    hosts = {h.get("address"): h for h in as_list(r.get("hosts"))
             if isinstance(h, dict)}
    for c in checks:
        try:
            probs = run_check(c, r, hosts)
        except (TypeError, AttributeError, KeyError, ValueError) as e:
            probs = ["cannot check on this report (%s: %s)"
                     % (type(e).__name__, e)]
        if probs:
            failed += 1
            print("FAIL EXPECT:%d  %s" % (c["line"], c["text"]))
            for p in probs:
                print("     %s" % p)
        else:
            print("ok   EXPECT:%d  %s" % (c["line"], c["text"]))
    if failed:
        print("report (%s packets, %d hosts):" % (t.get("packets"),
                                                  len(hosts)))
        print(host_table(r))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
