#!/usr/bin/env python3
"""The abuse half of `make soak` (scripts/soak.sh): hostile clients against
one `vigil serve` on 127.0.0.1, while a well-behaved client (from 127.0.0.5)
asks /api/v1/health every 50 ms and must keep getting answers.

usage: abuse.py PORT PID USER PASSWORD [SCENARIO ...]

With SCENARIO names, only those run (in the order below).

Scenarios (all traffic to 127.0.0.1; other source addresses of 127/8 stand
for other clients):
  slow-headers  200 connections sending a header line every second: cut off
  slow-bodies   200 uploads sending one byte of the body a second: cut off
                (server.body_timeout, 60 s, then server.body_min_rate)
  idle          10,000 connections opened and left idle
  big-headers   200 requests with a 1 MiB header
  report-flood  300 CVD reports from 127.0.0.2: 429 past the rate, counted;
                a report from 127.0.0.3 is still accepted
  login-flood   200 failed logins of USER from 127.0.0.2: refused and slowed;
                USER still logs in from 127.0.0.3 (no account-wide lockout)
  login-spread  300 failed logins of USER from 150 addresses, 16 at once
                (each pair and address under its failure limit, so every one
                costs a password check): answered 401 or 503 (busy: the
                server-wide cap on password checks, auth.password_checks),
                the peak RSS (VmHWM) stays bounded, USER still logs in
Prints one line a scenario, "abuse NAME ok|FAIL key=value ...", with the
probe's answered share and slowest answer and the server's RSS (from
/proc/PID) before and after; exits 1 when a scenario failed.
"""
import http.client
import os
import re
import resource
import selectors
import socket
import sys
import threading
import time
import urllib.parse

PORT, PID, USER, PASSWORD = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
HOST = "127.0.0.1"
failed = False


def rss_kb(field="VmRSS"):
    with open("/proc/%d/status" % PID) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def fds():
    return len(os.listdir("/proc/%d/fd" % PID))


def conn(src="127.0.0.1", timeout=10):
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect((HOST, PORT))
    return s


def http_req(method, path, body=None, headers=None, src="127.0.0.1", timeout=10):
    c = http.client.HTTPConnection(HOST, PORT, timeout=timeout, source_address=(src, 0))
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    hdrs = r.getheaders()  # a list: Set-Cookie may come more than once
    c.close()
    return r.status, data, hdrs


class Probe(threading.Thread):
    """The well-behaved client: health every 50 ms from 127.0.0.5."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.asked = self.answered = 0
        self.slowest = 0.0

    def run(self):
        while not self.stop.is_set():
            t0 = time.monotonic()
            self.asked += 1
            try:
                st, _, _ = http_req("GET", "/api/v1/health", src="127.0.0.5", timeout=5)
                if st == 200:
                    self.answered += 1
            except OSError:
                pass
            self.slowest = max(self.slowest, time.monotonic() - t0)
            time.sleep(0.05)


def scenario(name, fn):
    global failed
    probe = Probe()
    before = rss_kb()
    fd0 = fds()
    probe.start()
    try:
        ok, facts = fn()
    except Exception as e:  # a scenario that blew up is a failure, said so
        ok, facts = False, {"error": repr(e)[:120]}
    probe.stop.set()
    probe.join()
    time.sleep(0.5)
    share = probe.answered / probe.asked if probe.asked else 0
    if share < 0.99:
        ok = False
    facts.update(probe_answered="%d/%d" % (probe.answered, probe.asked),
                 probe_slowest_ms="%.0f" % (probe.slowest * 1000),
                 rss_kb_before=before, rss_kb_after=rss_kb(), fds_before=fd0, fds_after=fds())
    print("abuse %s %s %s" % (name, "ok" if ok else "FAIL",
                              " ".join("%s=%s" % kv for kv in facts.items())), flush=True)
    if not ok:
        failed = True


def cut_within(socks, seconds):
    """How many of socks the server closed within seconds (epoll: there may
    be thousands)."""
    sel = selectors.DefaultSelector()
    for i, s in enumerate(socks):
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, i)
    closed = set()
    deadline = time.monotonic() + seconds
    while len(closed) < len(socks):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        for key, _ in sel.select(timeout=left):
            try:
                data = key.fileobj.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data == b"":
                closed.add(key.data)
                sel.unregister(key.fileobj)
    sel.close()
    for s in socks:
        s.setblocking(True)
    return len(closed)


def trickle(first, each):
    """200 connections send first, then each once a second for up to 150 s
    (the server's header and body timeouts, server.header_timeout and
    server.body_timeout with body_min_rate, are under that by default);
    every one must be cut off by the server."""
    socks = []
    for i in range(200):
        try:
            s = conn(src="127.0.0.%d" % (10 + i % 100))
            s.sendall(first)
            socks.append(s)
        except OSError:
            pass
    t_end = time.monotonic() + 150
    cut = 0
    while time.monotonic() < t_end and cut < len(socks):
        for s in socks:
            try:
                s.sendall(each)
            except OSError:
                pass
        cut = cut_within(socks, 1)
    for s in socks:
        s.close()
    return cut == len(socks), {"connections": len(socks), "cut": cut}


def slow_headers():
    return trickle(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n")


def slow_bodies():
    return trickle(b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   b"Content-Length: 100000\r\n\r\n{", b" ")


def idle():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 20000), hard))
    socks = []
    refused = 0
    t_end = time.monotonic() + 90  # a server that stops accepting must not stall this
    for i in range(10000):
        if time.monotonic() > t_end:
            break
        try:
            s = conn(src="127.0.%d.%d" % (1 + i // 250, 1 + i % 250), timeout=0.5)
            socks.append(s)
        except OSError:
            refused += 1
    # how many the server kept (it closes those over its limits)
    kept = len(socks) - cut_within(socks, 2)
    peak = rss_kb()
    time.sleep(3)
    st, _, _ = http_req("GET", "/api/v1/health", src="127.0.0.6")
    for s in socks:
        s.close()
    return st == 200, {"opened": len(socks), "kept_open": kept, "refused": refused,
                       "rss_kb_peak": peak}


def big_headers():
    codes = {}
    for i in range(200):
        try:
            s = conn()
            s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n")
            got = s.recv(100)
            code = got.split(b" ")[1].decode() if got.startswith(b"HTTP/") else "closed"
        except OSError:
            code = "closed"
        codes[code] = codes.get(code, 0) + 1
        s.close()
    ok = all(k in ("431", "413", "400", "closed") for k in codes)
    return ok, {"answers": ",".join("%s:%d" % kv for kv in sorted(codes.items()))}


def report_flood():
    codes = {}
    body = b'{"product":"acme-gateway","title":"flood","description":"A report of the flood scenario."}'
    h = {"Content-Type": "application/json"}
    for i in range(300):
        st, _, _ = http_req("POST", "/api/v1/reports", body, h, src="127.0.0.2")
        codes[st] = codes.get(st, 0) + 1
    other, _, _ = http_req("POST", "/api/v1/reports", body, h, src="127.0.0.3")
    ok = codes.get(429, 0) > 250 and other in (200, 201, 202)
    return ok, {"answers": ",".join("%s:%d" % kv for kv in sorted(codes.items())), "other_address": other}


def login_form(src):
    st, data, hdrs = http_req("GET", "/ui/login", src=src)
    csrf = re.search(rb'name="csrf" value="([^"]*)"', data).group(1).decode()
    cookie = "; ".join(c.split(";")[0] for k, c in hdrs if k.lower() == "set-cookie")
    return csrf, cookie


def login(user, password, src):
    csrf, cookie = login_form(src)
    body = urllib.parse.urlencode({"csrf": csrf, "user": user, "password": password})
    st, _, hdrs = http_req("POST", "/ui/login", body,
                           {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                           src=src)
    return st, hdrs


def login_flood():
    codes = {}
    t0 = time.monotonic()
    for i in range(200):
        st, _ = login(USER, "wrong-%d" % i, "127.0.0.2")
        codes[st] = codes.get(st, 0) + 1
        if time.monotonic() - t0 > 60:
            break
    st, hdrs = login(USER, PASSWORD, "127.0.0.3")
    good = st in (302, 303) and any(k.lower() == "set-cookie" and c.startswith("vigil_session=")
                                    for k, c in hdrs)
    refused = sum(v for k, v in codes.items() if k != 303)
    return good and refused == sum(codes.values()), {
        "answers": ",".join("%s:%d" % kv for kv in sorted(codes.items())),
        "owner_from_elsewhere": st}


def login_spread():
    from concurrent.futures import ThreadPoolExecutor
    hwm0 = rss_kb("VmHWM")
    rss0 = rss_kb()

    def one(i):
        try:
            st, _ = login(USER, "spread-%d" % i, "127.0.4.%d" % (1 + i % 150))
        except OSError:
            st = "error"
        return st
    with ThreadPoolExecutor(16) as ex:
        answers = list(ex.map(one, range(300)))
    codes = {}
    for st in answers:
        codes[st] = codes.get(st, 0) + 1
    st, hdrs = login(USER, PASSWORD, "127.0.0.3")
    good = st in (302, 303)
    hwm = rss_kb("VmHWM")
    return good and all(k in (401, 429, 503) for k in codes), {
        "answers": ",".join("%s:%d" % kv for kv in sorted(codes.items(), key=str)),
        "owner_from_elsewhere": st, "rss_kb_start": rss0, "hwm_kb_before": hwm0,
        "hwm_kb_after": hwm}


SCENARIOS = [("slow-headers", slow_headers), ("slow-bodies", slow_bodies), ("idle", idle),
             ("big-headers", big_headers), ("report-flood", report_flood),
             ("login-flood", login_flood), ("login-spread", login_spread)]
wanted = sys.argv[5:]
for w in wanted:
    if w not in dict(SCENARIOS):
        sys.exit("abuse.py: no scenario %r (%s)" % (w, ", ".join(n for n, _ in SCENARIOS)))
for name, fn in SCENARIOS:
    if not wanted or name in wanted:
        scenario(name, fn)
sys.exit(1 if failed else 0)
