#!/usr/bin/env python3
"""bench_vuln_gen.py OUT N [--changed M CHANGED_OUT]: write N generated OSV
records (npm, SEMVER ranges) as JSON arrays of 1,000 records per file under
OUT, over the package names bench_vuln.sh gives its inventory
("@scopeI%10/pkg-FxI", F = family 0..99). About 5% of the records name a
package of the inventory. With --changed, also write M changed copies
(later modified time, another fixed version) of records that name
inventory packages, into CHANGED_OUT. Deterministic for a given N."""
import json, os, random, sys

def rec(j, rnd, mod):
    fam = j % 100
    i = rnd.randrange(20000)
    name = "@scope%d/pkg-%dx%d" % (i % 10, fam, i)
    fixed = "%d.%d.%d" % (rnd.randrange(8), rnd.randrange(14), rnd.randrange(6))
    r = {"id": "BENCH-%d" % j, "modified": mod, "published": "2025-01-01T00:00:00Z",
         "aliases": ["CVE-2090-%d" % (100000 + j)], "summary": "generated advisory %d" % j,
         "affected": [{"package": {"ecosystem": "npm", "name": name},
                       "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]}
    if j % 3 == 0:
        r["severity"] = [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:%s/A:N" % ("HLN"[j % 3])}]
    return r, i

def main():
    out, n = sys.argv[1], int(sys.argv[2])
    changed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    cout = sys.argv[5] if changed else None
    rnd = random.Random(4242)
    os.makedirs(out, exist_ok=True)
    chunk, picked = [], []
    for j in range(n):
        r, i = rec(j, rnd, "2025-06-01T00:00:00Z")
        chunk.append(r)
        if changed and i < 1000 and len(picked) < changed:
            picked.append(r)
        if len(chunk) == 1000 or j == n - 1:
            with open(os.path.join(out, "gen-%06d.json" % (j // 1000)), "w") as f:
                json.dump(chunk, f, separators=(",", ":"))
            chunk = []
    if cout:
        os.makedirs(cout, exist_ok=True)
        for r in picked:
            r["modified"] = "2025-07-01T00:00:00Z"
            ev = r["affected"][0]["ranges"][0]["events"]
            ev[1]["fixed"] = "%d.0.0" % (rnd.randrange(1, 9))
        with open(os.path.join(cout, "changed.json"), "w") as f:
            json.dump(picked, f, separators=(",", ":"))
        print("changed: %d records" % len(picked))

main()
