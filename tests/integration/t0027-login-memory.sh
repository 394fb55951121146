#!/bin/sh
# Failed logins from many addresses cannot grow the server's memory (issue
# 25 item 4): a password check (argon2id, 19 MiB) runs at most
# auth.password_checks at a time in the server, its memory given back after
# it. 96 bad logins from 48 addresses, 16 at once, against 8 worker threads:
# every answer 401 (or 503, busy), the peak resident size (VmHWM) grows by
# far less than the threads' 8 x 19 MiB, the owner still logs in. With one
# check and no wait, concurrent logins are answered 503 with Retry-After,
# audited with reason busy and not counted as failures.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
# Under ASan the allocator keeps freed memory in quarantine (256 MiB by
# default), which a resident-size bound would measure: a small quarantine
# keeps the bound meaningful there too (as t8101).
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=4"
fresh_db
VIGIL_PASSWORD=pw-owner-7c1d "$VIGIL" user add owner --role psirt >/dev/null || exit 1
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$T_SERVER_PID/status"; }

# spread PREFIX N: N bad logins of owner from 48 addresses PREFIX.1-48, 16
# at once; prints the status codes, and whether 503s carried Retry-After
cat >"$T_DIR/spread.py" <<'EOF'
import http.client, re, sys, urllib.parse
from concurrent.futures import ThreadPoolExecutor
port, prefix, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def req(method, path, body=None, headers=None, src="127.0.0.1"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(src, 0))
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    h = r.getheaders()
    c.close()
    return r.status, data, h
def login(user, password, src):
    st, data, hdrs = req("GET", "/ui/login", src=src)
    csrf = re.search(rb'name="csrf" value="([^"]*)"', data).group(1).decode()
    cookie = "; ".join(c.split(";")[0] for k, c in hdrs if k.lower() == "set-cookie")
    body = urllib.parse.urlencode({"csrf": csrf, "user": user, "password": password})
    st, _, h = req("POST", "/ui/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                              "Cookie": cookie}, src)
    retry = dict((k.lower(), v) for k, v in h).get("retry-after")
    return "%d%s" % (st, "+retry" if st == 503 and retry == "1" else "")
def one(i):
    try:
        return login("owner", "wrong-%d" % i, "%s.%d" % (prefix, 1 + i % 48))
    except OSError as e:
        return "error"
with ThreadPoolExecutor(16) as ex:
    print(" ".join(ex.map(one, range(n))))
EOF
spread() { python3 "$T_DIR/spread.py" "$(cat "$T_DIR/port")" "$1" "$2"; }
owner_login() {
	J=$T_DIR/jar.$1
	csrf=$(curl -s -c "$J" -b "$J" --interface "$1" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -c "$J" -b "$J" --interface "$1" --data-urlencode "csrf=$csrf" \
		--data-urlencode "user=owner" --data-urlencode "password=pw-owner-7c1d" "$BASE/ui/login"
}

# ---- the default cap (2 checks) under 8 worker threads ----
start_server --threads 8
# warm up every worker's database connection (no password check)
pids=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	curl -s -o /dev/null "$BASE/ui/login" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
IDLE=$(hwm)
ok "idle peak read ($IDLE kB)" test "${IDLE:-0}" -gt 0
ANS=$(spread 127.0.2 96)
PEAK=$(hwm)
check_eq "every bad login answered 401 or 503 (busy)" "$(echo "$ANS" | tr ' ' '\n' | grep -cvE '^(401|503\+retry)$')" 0
check_contains "... with 401s" "$ANS" "401"
GROWTH=$((PEAK - IDLE))
# unbounded, each of the 8 threads kept a check's 19 MiB: ~150 MiB
ok "peak resident size grew by $GROWTH kB (bound 65536 kB: two checks and change)" test "$GROWTH" -lt 65536
check_eq "the owner logs in from elsewhere" "$(owner_login 127.0.0.3)" 303
stop_server

# ---- one check at a time, no wait: concurrent logins are told to retry ----
failures() { db_sql "SELECT COALESCE(SUM(failures), 0) FROM login_attempts WHERE key LIKE 'a:%'"; }
F0=$(failures)
VIGIL_AUTH_PASSWORD_CHECKS=1 VIGIL_AUTH_PASSWORD_WAIT_MS=0 start_server --threads 8
ANS=$(spread 127.0.3 64)
check_eq "every bad login answered 401 or 503 with Retry-After: 1" "$(echo "$ANS" | tr ' ' '\n' | grep -cvE '^(401|503\+retry)$')" 0
check_contains "... some busy (503)" "$ANS" "503+retry"
check_contains "... some checked (401)" "$ANS" "401"
check_contains "busy logins audited with their reason" "$(db_sql "SELECT after_json FROM audit_log WHERE action = 'auth.login_failed'")" \
	"busy: too many password checks at once"
check_eq "busy attempts not counted as failures of the addresses" "$(($(failures) - F0))" \
	"$(echo "$ANS" | tr ' ' '\n' | grep -c '^401$')"
stop_server
start_server
check_eq "the owner logs in" "$(owner_login 127.0.0.4)" 303
finish
