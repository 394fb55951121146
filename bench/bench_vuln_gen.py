#!/usr/bin/env python3
"""bench_vuln_gen.py OUT N [--changed M CHANGED_OUT] [--mixed]: write N
generated OSV records (npm, SEMVER ranges; with --mixed shaped like the real
ecosystems instead, see mixed()) as JSON arrays of 1,000 records per file under
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

ECOS = ("npm", "PyPI", "Maven", "Go", "Debian:12")


def mixed(j, rnd, mod):
    """A record shaped like the real ecosystems (--mixed): npm, PyPI, Maven,
    Go and Debian in turn; one to three affected packages; SEMVER or
    ECOSYSTEM ranges of one or two introduced/fixed pairs (Go: SEMVER,
    Debian: ECOSYSTEM with a Debian revision), a last_affected now and then,
    an explicit versions list on a third of the entries; aliases (a CVE, and
    a GHSA id on every other one), severity on a third, references, details."""
    eco = ECOS[j % len(ECOS)]
    affected = []
    for k in range(1 + (j % 7 == 0) + (j % 11 == 0)):
        i = rnd.randrange(20000)
        if eco == "npm":
            name = "@scope%d/pkg-%dx%d" % (i % 10, j % 100, i)
        elif eco == "PyPI":
            name = "py-pkg-%d" % i
        elif eco == "Maven":
            name = "org.example%d:artifact-%d" % (i % 50, i)
        elif eco == "Go":
            name = "github.com/example%d/mod%d" % (i % 50, i)
        else:
            name = "srcpkg%d" % i
        a, b = rnd.randrange(8), rnd.randrange(14)
        if eco == "Debian:12":
            ev = [{"introduced": "0"}, {"fixed": "%d.%d-%d+deb12u1" % (a, b, rnd.randrange(4) + 1)}]
            rtype = "ECOSYSTEM"
        else:
            ev = [{"introduced": "0" if j % 2 else "%d.0.0" % a}, {"fixed": "%d.%d.%d" % (a, b, rnd.randrange(6))}]
            if j % 5 == 0:
                ev += [{"introduced": "%d.0.0" % (a + 1)}, {"fixed": "%d.%d.1" % (a + 1, b)}]
            elif j % 13 == 0:
                ev[1] = {"last_affected": "%d.%d.%d" % (a, b, rnd.randrange(6))}
            rtype = "SEMVER" if eco in ("npm", "Go") else "ECOSYSTEM"
        af = {"package": {"ecosystem": eco, "name": name}, "ranges": [{"type": rtype, "events": ev}]}
        if (j + k) % 3 == 0:
            af["versions"] = ["%d.%d.%d" % (a, b, p) for p in range(1 + rnd.randrange(12))]
        affected.append(af)
    aliases = ["CVE-2090-%d" % (100000 + j)]
    if j % 2:
        aliases.append("GHSA-%04x-%04x-%04x" % (j % 65536, (j >> 4) % 65536, (j * 7) % 65536))
    r = {"schema_version": "1.6.0", "id": "BENCH-%d" % j, "modified": mod,
         "published": "2025-01-01T00:00:00Z", "aliases": aliases,
         "summary": "generated advisory %d" % j,
         "details": "Generated for the import benchmark: " + "lorem ipsum " * (5 + j % 20),
         "affected": affected,
         "references": [{"type": "ADVISORY", "url": "https://example.org/advisories/%d" % j},
                        {"type": "WEB", "url": "https://example.org/issues/%d" % (j * 3)}]}
    if j % 3 == 0:
        r["severity"] = [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:%s/A:N" % ("HLN"[j % 3])}]
    return r, 0


def main():
    args = [a for a in sys.argv[1:] if a != "--mixed"]
    make = mixed if len(args) < len(sys.argv) - 1 else rec
    sys.argv[1:] = args
    out, n = sys.argv[1], int(sys.argv[2])
    changed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    cout = sys.argv[5] if changed else None
    rnd = random.Random(4242)
    os.makedirs(out, exist_ok=True)
    chunk, picked = [], []
    for j in range(n):
        r, i = make(j, rnd, "2025-06-01T00:00:00Z")
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
