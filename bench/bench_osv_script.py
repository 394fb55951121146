#!/usr/bin/env python3
"""bench_osv_script.py DB PATH...: the baseline of the OSV import benchmark
(bench/bench_osv.sh, issue 15 items 2 and 5): the simplest competent script
that does the same storage job as `vigil feed import osv`. Every *.json file
under each PATH (a record or a JSON array of records), in name order, is read
with the json module; the advisories (id, modified, published, summary,
aliases and the record as JSON) and their affected ranges (package ecosystem
and name, range type, events as JSON) go into two SQLite tables with
executemany, in one transaction. No validation, no matching, no audit.
Prints "advisories=N ranges=M"."""
import json
import os
import sqlite3
import sys


def files(path):
    if os.path.isfile(path):
        yield path
        return
    for root, dirs, names in os.walk(path):
        dirs.sort()
        for n in sorted(names):
            if n.endswith(".json"):
                yield os.path.join(root, n)


def main():
    db = sqlite3.connect(sys.argv[1])
    db.execute("CREATE TABLE IF NOT EXISTS advisories (id TEXT PRIMARY KEY, modified TEXT, "
               "published TEXT, summary TEXT, aliases TEXT, record TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS ranges (advisory_id TEXT, ecosystem TEXT, "
               "name TEXT, type TEXT, events TEXT)")
    advs, ranges = [], []
    for path in sys.argv[2:]:
        for f in files(path):
            with open(f, "rb") as fh:
                doc = json.load(fh)
            for r in doc if isinstance(doc, list) else [doc]:
                advs.append((r["id"], r.get("modified"), r.get("published"), r.get("summary"),
                             json.dumps(r.get("aliases", [])), json.dumps(r)))
                for af in r.get("affected", []):
                    pkg = af.get("package", {})
                    for rg in af.get("ranges", []):
                        ranges.append((r["id"], pkg.get("ecosystem"), pkg.get("name"),
                                       rg.get("type"), json.dumps(rg.get("events", []))))
    with db:
        db.executemany("INSERT OR REPLACE INTO advisories VALUES (?,?,?,?,?,?)", advs)
        db.executemany("INSERT INTO ranges VALUES (?,?,?,?,?)", ranges)
    db.close()
    print("advisories=%d ranges=%d" % (len(advs), len(ranges)))


main()
