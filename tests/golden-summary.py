#!/usr/bin/env python3
"""Turn an ntpsleuth JSON report into the stable lines the golden files
hold: what decides a verdict, without what changes from run to run (the
time of the run, the version, the path of the capture)."""
import json
import sys


def spread(s):
    return f"{s['distinct']}({s['privileged']}p/{s['registered']}r/{s['ephemeral']}e)"


def modes(m):
    return ",".join(f"{k}:{v}" for k, v in sorted(m.items())) or "-"


def main():
    text = sys.stdin.read()
    if not text.strip():
        print("no report")
        return
    r = json.loads(text)
    t = r["totals"]
    print(f"format {r['format']}")
    print("sources " + " ".join(f"{s['linktype']}:{s['frames']}(badts {s['bad_timestamps']})"
                                for s in r["sources"]))
    print("totals " + " ".join(f"{k}={t[k]}" for k in
                               ("packets", "ip_packets", "decode_errors", "dropped", "not_ip",
                                "internal", "transit", "bytes", "hosts_seen", "hosts_evicted")))
    if t["first_decode_error"]:
        print(f"first_decode_error {t['first_decode_error']}")
    if "read_error" in r:
        # The path differs between builds; keep what was wrong.
        msg = r["read_error"]
        print("read_error " + msg.split(": ", 1)[1] if ": " in msg else msg)
    print("local " + " ".join(r["local_networks"]))
    print(f"time {r['time']['first']} {r['time']['last']}")
    for i in r["incidents"]:
        print(f"incident {i['kind']} {i['local']} {i['proto']}/{i['port']} "
              f"hosts={i['remote_hosts']} packets={i['packets']} bytes={i['bytes']} "
              f"confidence={i['confidence']}")
        for e in i["evidence"]:
            print(f"  ! {e}")
    for h in r["hosts"]:
        ini, p, n, b = h["initiation"], h["ports"], h["ntp"], h["bursts"]
        print(f"host {h['address']} {h['verdict']} {h['confidence']:.2f} call={h['call']} "
              f"in={h['packets_in']}/{h['bytes_in']} out={h['packets_out']}/{h['bytes_out']}")
        print(f"  initiated ours={ini['exchanges_ours']} theirs={ini['exchanges_theirs']} "
              f"answered={ini['exchanges_theirs_answered']} solicited={ini['solicited']} "
              f"late={ini['late_replies']} unsolicited={ini['unsolicited']} "
              f"probes={ini['probes']} replies={ini['unsolicited_replies']} "
              f"rst_out={ini['tcp_rst_out']} unreach_out={ini['icmp_unreachable_out']} "
              f"unreach_in={ini['icmp_unreachable_in']}")
        su = ini.get("start_unseen", {})
        if any(su.values()):
            print(f"  start_unseen local={su['local']} remote={su['remote']} unknown={su['unknown']}")
        print(f"  ports local={spread(p['local'])} remote={spread(p['remote'])} "
              f"probed={spread(p['probed'])} probed_addrs={p['probed_addresses']}")
        if n["packets"]:
            print(f"  ntp v={n['versions']} in={modes(n['modes_in'])} out={modes(n['modes_out'])} "
                  f"stratum={n['stratum']} refid={n['refid']} kiss={n['kiss']} "
                  f"m6={n['mode6']['in']}/{n['mode6']['out']} more={n['mode6']['more']} "
                  f"ops={n['mode6']['opcodes']} m7={n['mode7']['in']}/{n['mode7']['out']} "
                  f"impl={n['mode7']['implementation']} codes={n['mode7']['request_codes']} "
                  f"more={n['mode7']['more']} items={n['mode7']['items']} "
                  f"monlist={n['monlist']['requests_in']}/{n['monlist']['responses_out']}/"
                  f"{n['monlist']['responses_in']} amp={n['amplification']['local_server_ratio']}")
        if b["count"]:
            print(f"  bursts {b['pattern']}" + (f" [{b['known_behaviour']}]" if b["known_behaviour"] else ""))
        for e in h["evidence"]:
            print(f"  - {e}")
        print(f"  > {h['advice']}")


if __name__ == "__main__":
    main()
