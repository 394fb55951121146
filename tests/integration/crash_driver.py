#!/usr/bin/env python3
"""Crash consistency (issue 25 item 3): a stream of SBOM uploads and triage
decisions over the API while `vigil serve` is killed with SIGKILL at random
moments and started again; then what was answered must be there, whole.

usage: crash_driver.py VIGIL DIR TOKEN OPS KILLS SEED

VIGIL_DB and the rest of the server's environment come from the caller
(tests/integration/t0025-crash.sh). The product "crash" and the OSV advisory
CRASH-1 (pkg:pypi/crashlib before 2.0) exist. OPS operations, two uploads to
one decision; during KILLS of them, drawn at random, the server is killed.
Prints "ok - " / "FAIL - " lines (lib.sh: tally) and a last line
"# figures: ..." for docs.

The checks, once a last server has started cleanly:
 - every upload answered 201 is there, its original byte for byte (the
   SHA-256 the answer named and the bytes sent), with its components;
 - every SBOM stored is one that was sent (answered or not), whole: its
   original is one of the documents sent and its component count is the
   document's (nothing half there, no blob served without its row);
 - every triage decision answered 200 is in the audit trail, and each
   finding's state is its last answered decision or one sent after it;
 - (the caller) `vigil audit verify` passes.
"""
import hashlib
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

from testlib import Checks

vigil, tdir, token, ops, kills, seed = sys.argv[1:7]
ops, kills, seed = int(ops), int(kills), int(seed)
rng = random.Random(seed)
check = Checks()


class Server:
    """`vigil serve` on a free port, started again after each kill."""

    def __init__(self):
        self.proc = None
        self.port = None
        self.lock = threading.Lock()
        self.starts = 0
        self.log = open(os.path.join(tdir, "crash-server.log"), "ab")

    def start(self):
        pf = os.path.join(tdir, "crash.port")
        if os.path.exists(pf):
            os.unlink(pf)
        self.proc = subprocess.Popen(
            [vigil, "serve", "--listen", "127.0.0.1:0", "--port-file", pf],
            stdout=self.log, stderr=self.log)
        for _ in range(600):
            if os.path.exists(pf) and os.path.getsize(pf) > 0:
                with open(pf) as f:
                    self.port = int(f.read().strip())
                self.starts += 1
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise SystemExit("FAIL - vigil serve did not start (see crash-server.log)")

    def kill(self):
        with self.lock:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
            self.start()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait()


srv = Server()


def request(method, path, body=None, timeout=20):
    """(status, body bytes), or (None, None) when the server went away."""
    port = srv.port
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        h = {"Authorization": "Bearer " + token}
        if body is not None:
            h["Content-Type"] = "application/json"
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, data
    except (OSError, http.client.HTTPException):
        # killed under us: go on once the next server listens (kill() holds
        # the lock until then), as a client that retries later would
        time.sleep(0.01)
        with srv.lock:
            pass
        return None, None


def doc(i):
    # two components: the vulnerable crashlib and one of this upload's own
    d = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
         "metadata": {"timestamp": "2026-12-01T00:00:00Z"},
         "components": [
             {"type": "library", "name": "crashlib", "version": "1.0",
              "purl": "pkg:pypi/crashlib@1.0"},
             {"type": "library", "name": "own-%d" % i, "version": "1.%d" % i,
              "purl": "pkg:pypi/own-%d@1.%d" % (i, i)}]}
    return json.dumps(d).encode()


sent = {}        # sha256 -> (i, components)
uploads = []     # (i, version, sha256, status, answer)
decisions = []   # (finding, state, status, operation)
srv.start()
# the kill moments: KILLS operations drawn at random, each killed a few
# milliseconds after it starts (in flight, or just answered), so that the
# count does not depend on how fast the machine is
kill_at = set(rng.sample(range(1, ops), min(kills, ops - 1)))
timers = []
done_kills = 0


def kill_now():
    global done_kills
    srv.kill()
    done_kills += 1


for i in range(ops):
    if i in kill_at:
        timers.append(threading.Timer(rng.uniform(0, 0.02), kill_now))
        timers[-1].start()
    if i % 3 != 2:
        body = doc(i)
        sha = hashlib.sha256(body).hexdigest()
        sent[sha] = (i, 2)
        version = "1.%d" % (i % 12)
        st, data = request("POST", "/api/v1/products/crash/versions/%s/sboms" % version, body)
        ans = None
        if st == 201:
            try:
                ans = json.loads(data)
            except ValueError:
                ans = None
        uploads.append((i, version, sha, st, ans))
    else:
        st, data = request("GET", "/api/v1/findings?product=crash&limit=200")
        if st == 200:
            fl = json.loads(data)["findings"]
            if fl:
                f = rng.choice(fl)
                to = "affected" if f["state"] == "in_triage" else "in_triage"
                st2, _ = request("POST", "/api/v1/findings/%d/triage" % f["id"],
                                 json.dumps({"state": to, "comment": "crash %d" % i}).encode())
                decisions.append((f["id"], to, st2, i))
for t in timers:
    t.join()

# a last, clean start: everything is read back through it
srv.kill()
answered = [u for u in uploads if u[3] == 201]
unanswered = [u for u in uploads if u[3] is None]
check(done_kills == kills, "%d kills during the stream (%d asked)" % (done_kills, kills))
check(len(answered) > 0, "uploads answered 201: %d of %d" % (len(answered), len(uploads)))
for u in uploads:
    if u[3] not in (201, None):
        check(False, "upload %d answered %s (only 201 or no answer expected)" % (u[0], u[3]))

lost = bad = 0
for i, version, sha, st, ans in answered:
    if not ans or ans.get("sha256") != sha:
        bad += 1
        continue
    st, data = request("GET", "/api/v1/sboms/%d/original" % ans["id"])
    if st != 200 or hashlib.sha256(data).hexdigest() != sha:
        lost += 1
check(bad == 0, "every 201 names the SHA-256 of the bytes sent")
check(lost == 0, "every answered upload is there byte for byte (%d lost)" % lost)

# every SBOM stored: one that was sent, whole
st, data = request("GET", "/api/v1/products/crash/sboms")
stored = json.loads(data)["sboms"]
strange = half = 0
for s in stored:
    if s.get("sha256") not in sent or s.get("components") != sent[s["sha256"]][1]:
        strange += 1
        continue
    st, data = request("GET", "/api/v1/sboms/%d/original" % s["id"])
    if st != 200 or hashlib.sha256(data).hexdigest() != s["sha256"]:
        half += 1
check(strange == 0, "every stored SBOM is a document sent, with all its components (%d not)" % strange)
check(half == 0, "every stored SBOM's original is served, whole (%d not)" % half)
ids_answered = {u[4]["id"] for u in answered if u[4]}
extra = len([s for s in stored if s["id"] not in ids_answered])
check(len(stored) >= len(ids_answered), "stored %d SBOMs: %d answered, %d sent but not answered" %
      (len(stored), len(ids_answered), extra))
check(extra <= len(unanswered), "no more unanswered SBOMs stored than were sent unanswered")

# decisions
st, data = request("GET", "/api/v1/findings?product=crash&limit=200")
final = {f["id"]: f["state"] for f in json.loads(data)["findings"]}
missing_audit = wrong_state = 0
audit = subprocess.run([vigil, "audit", "log", "--json", "--limit", "100000"],
                       capture_output=True, text=True)
# the decisions' comments ("crash SEQ") as the trail recorded them
comments = {int(m) for m in re.findall(r"crash (\d+)", audit.stdout)}
by_finding = {}
for fid, to, st, sq in decisions:
    by_finding.setdefault(fid, []).append((sq, to, st))
    if st == 200 and sq not in comments:
        missing_audit += 1
for fid, ds in by_finding.items():
    ds.sort()
    last_ok = max([k for k, d in enumerate(ds) if d[2] == 200], default=-1)
    allowed = {d[1] for k, d in enumerate(ds) if k >= last_ok and (k == last_ok or d[2] is None)}
    if last_ok >= 0 and final.get(fid) not in allowed:
        wrong_state += 1
n_ok = len([d for d in decisions if d[2] == 200])
check(n_ok > 0, "decisions answered 200: %d of %d" % (n_ok, len(decisions)))
check(missing_audit == 0, "every answered decision is in the audit trail (%d missing)" % missing_audit)
check(wrong_state == 0, "every finding is in its last answered state or a later one sent (%d not)" % wrong_state)
srv.stop()
print("# figures: operations=%d uploads=%d answered=%d unanswered=%d decisions=%d answered=%d kills=%d starts=%d"
      % (len(uploads) + len(decisions), len(uploads), len(answered), len(unanswered), len(decisions),
         n_ok, done_kills, srv.starts))
sys.exit(0)
