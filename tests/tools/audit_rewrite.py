#!/usr/bin/env python3
"""audit_rewrite.py K NEW_ACTOR < rows.json > updates.sql

The attack a hash chain alone does not catch: change the actor of audit
record K and recompute the hash chain from K on, so that `vigil audit verify`
still says intact. Reads the audit_log rows (seq, at, actor, remote, action,
object_type, object_id, before_json, after_json, prev_hash, hash) as a JSON
array, checks that it reproduces every stored hash (the canonical form of
store_audit_hash()), and prints the UPDATE statements. Test tool for
tests/integration/t0019-audit-checkpoint.sh.
"""
import hashlib
import json
import sys
import time


def canonical(r, prev):
    o = {
        "seq": r["seq"],
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r["at"])),
        "actor": r["actor"],
        "remote": r["remote"],
        "action": r["action"],
        "object_type": r["object_type"],
        "object_id": r["object_id"],
        "before": r["before_json"],
        "after": r["after_json"],
        "prev": prev,
    }
    return json.dumps(o, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def q(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    k, actor = int(sys.argv[1]), sys.argv[2]
    rows = sorted(json.load(sys.stdin), key=lambda r: r["seq"])
    prev = "0" * 64
    for r in rows:
        r["seq"], r["at"] = int(r["seq"]), int(r["at"])
        h = hashlib.sha256(canonical(r, prev).encode()).hexdigest()
        if h != r["hash"]:
            sys.exit("record %d: cannot reproduce its hash" % r["seq"])
        prev = h
    prev = "0" * 64
    for r in rows:
        if r["seq"] == k:
            r["actor"] = actor
        h = hashlib.sha256(canonical(r, prev).encode()).hexdigest()
        if r["seq"] >= k:
            print("UPDATE audit_log SET actor = %s, prev_hash = %s, hash = %s WHERE seq = %d;"
                  % (q(r["actor"]), q(prev), q(h), r["seq"]))
        prev = h


main()
