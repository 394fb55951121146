#!/usr/bin/env python3
"""osv_inventory.py OSV_DIR OUT.json: a CycloneDX 1.5 SBOM whose components are
the packages the OSV records under OSV_DIR name, at versions their ranges and
versions lists name, for t4102 (the findings of a full import compared with
those of the implementation before issue 15).

Deterministic for a given OSV_DIR: files are read in name order, every
package is kept in order of first appearance, every third one of them is
taken, at one version: the middle one of the sorted versions its advisories
name (introduced other than "0", fixed, last_affected, the first and last of a
versions list). The purl is the record's own package.purl when it has one,
else one made from the ecosystem (Go, PyPI, npm, Maven, crates.io, RubyGems,
NuGet, Packagist, CRAN, Debian, Alpine, AlmaLinux); other ecosystems are left
out. Needs PyYAML for the .yaml records."""
import json
import os
import sys
import urllib.parse

import yaml

SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TYPES = {"Go": "golang", "PyPI": "pypi", "npm": "npm", "crates.io": "cargo",
         "RubyGems": "gem", "NuGet": "nuget", "Packagist": "composer", "CRAN": "cran"}
DISTROS = {"Debian": ("deb", "debian"), "Alpine": ("apk", "alpine"),
           "AlmaLinux": ("rpm", "almalinux")}


def quote(s):
    return urllib.parse.quote(s, safe="")


def purl_of(eco, name, given):
    if given:
        return given.split("@", 1)[0] if "@" in given.split("/", 1)[-1] else given
    base, _, rel = eco.partition(":")
    if base in TYPES:
        t = TYPES[base]
        if t in ("golang", "composer") or (t == "npm" and name.startswith("@")):
            return "pkg:%s/%s" % (t, "/".join(quote(p) for p in name.split("/")))
        return "pkg:%s/%s" % (t, quote(name))
    if base == "Maven" and ":" in name:
        g, a = name.split(":", 1)
        return "pkg:maven/%s/%s" % (quote(g), quote(a))
    if base in DISTROS:
        t, ns = DISTROS[base]
        q = "?distro=%s-%s" % (ns, rel) if rel else ""
        return "pkg:%s/%s/%s%s" % (t, ns, quote(name), q)
    return None


def records(path):
    for root, dirs, names in os.walk(path):
        dirs.sort()
        for n in sorted(names):
            p = os.path.join(root, n)
            try:
                with open(p, "rb") as f:
                    if n.endswith(".json"):
                        doc = json.load(f)
                    elif n.endswith((".yaml", ".yml")):
                        doc = yaml.load(f, Loader=SAFE)
                    else:
                        continue
            except Exception:
                continue
            for r in doc if isinstance(doc, list) else [doc]:
                if isinstance(r, dict):
                    yield r


def main():
    pkgs = {}
    for r in records(sys.argv[1]):
        for af in r.get("affected") or []:
            if not isinstance(af, dict):
                continue
            pkg = af.get("package") or {}
            eco, name = pkg.get("ecosystem"), pkg.get("name")
            if not isinstance(eco, str) or not isinstance(name, str):
                continue
            purl = purl_of(eco, name, pkg.get("purl") if isinstance(pkg.get("purl"), str) else None)
            if not purl:
                continue
            vs = pkgs.setdefault(purl, (eco, set()))[1]
            for rg in af.get("ranges") or []:
                if not isinstance(rg, dict) or rg.get("type") == "GIT":
                    continue
                for ev in rg.get("events") or []:
                    for k, v in (ev.items() if isinstance(ev, dict) else []):
                        if k != "limit" and isinstance(v, str) and v not in ("", "0"):
                            vs.add(v)
            lst = [v for v in af.get("versions") or [] if isinstance(v, str) and v]
            if lst:
                vs.add(lst[0])
                vs.add(lst[-1])
    comps = []
    for i, (purl, (eco, vs)) in enumerate(pkgs.items()):
        if i % 3:
            continue
        vs = sorted(vs)
        pick = [vs[len(vs) // 2]] if vs else []
        for v in pick:
            ver = "v" + v if eco == "Go" and not v.startswith("v") else v
            base, q = (purl.split("?", 1) + [""])[:2]
            p = "%s@%s%s" % (base, quote(ver), "?" + q if q else "")
            comps.append({"type": "library", "name": base.rsplit("/", 1)[-1], "version": ver,
                          "purl": p, "bom-ref": "c%d" % len(comps)})
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": comps}
    with open(sys.argv[2], "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print("components=%d packages=%d" % (len(comps), len(pkgs)))


main()
