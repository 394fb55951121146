#!/bin/sh
# t9001 - JSON lines over HTTP (issue 21, items 1 and 4): POST /api/v1/logs
# with a token of role ingest (and nothing else for that token), bad lines
# refused with their line number and nothing stored, oversized bodies 413,
# 503 when the store cannot keep up with nothing stored, GET /api/v1/logs
# with the filters of `vigil logs query`, the page /ui/logs, and a kill -9
# of the server during ingest losing nothing that was acknowledged.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

fresh_db
export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts"
ING=$("$VIGIL" token create --name sender --role ingest)
ADM=$(admin_token)
AUD=$("$VIGIL" token create --name reader --role auditor)
start_server

post() {
	http POST /api/v1/logs -H "Authorization: Bearer $1" -H 'Content-Type: application/x-ndjson' --data-binary "@$2"
}

cat >"$T_DIR/ok.jsonl" <<'EOF'
{"time":"2026-05-01T10:00:00Z","source":"gateway","message":"GET /api/v2/a 200","product":"router","version":"2.1","host":"gw1","path":"/api/v2/a"}
{"time":"2026-05-01T10:00:01Z","source":"gateway","message":"GET /api/v2/b 500","product":"router","version":"2.1","host":"gw1"}

{"time":1777629602,"source":"monitor","message":"disk 91%","host":"mon"}
EOF
check_eq "ingest token: 200" "$(post "$ING" "$T_DIR/ok.jsonl")" 200
check_eq "ingest: accepted 3" "$(body | jq .accepted)" 3
check_eq "auditor may not ingest" "$(post "$AUD" "$T_DIR/ok.jsonl")" 403
check_eq "anonymous may not ingest" "$(http POST /api/v1/logs --data-binary "@$T_DIR/ok.jsonl")" 401
check_eq "ingest token may not read logs" "$(http GET /api/v1/logs -H "Authorization: Bearer $ING")" 403
check_eq "ingest token may not read anything else" "$(http GET /api/v1/products -H "Authorization: Bearer $ING")" 403

check_eq "GET by product and version" \
	"$(http GET '/api/v1/logs?product=router&version=2.1' -H "Authorization: Bearer $AUD")" 200
check_eq "GET: 2 events" "$(body | jq '.events | length')" 2
check_eq "GET: other fields kept" "$(body | jq -r '.events[0].fields.path')" "/api/v2/a"
check_eq "GET: host kept" "$(body | jq -r '.events[0].host')" "gw1"
check_eq "GET: received time set" "$(body | jq -r '.events[0].received | length > 0')" true
check_eq "GET grep" "$(http GET '/api/v1/logs?grep=500' -H "Authorization: Bearer $AUD")" 200
check_eq "GET grep: one" "$(body | jq -r '[.events[].message] | join(",")')" "GET /api/v2/b 500"
check_eq "GET by time" "$(http GET '/api/v1/logs?since=2026-05-01T10:00:01Z&until=2026-05-01T10:00:01Z' -H "Authorization: Bearer $AUD")" 200
check_eq "GET by time: one" "$(body | jq '.events | length')" 1
check_eq "GET source monitor: epoch time" "$(http GET '/api/v1/logs?source=monitor' -H "Authorization: Bearer $AUD")" 200
check_eq "GET source monitor: time" "$(body | jq -r '.events[0].time')" "2026-05-01T10:00:02Z"
check_eq "GET bad since: 400" "$(http GET '/api/v1/logs?since=yesterday' -H "Authorization: Bearer $AUD")" 400
check_contains "GET bad since: named" "$(body)" "since"
check_eq "GET bad limit: 400" "$(http GET '/api/v1/logs?limit=0' -H "Authorization: Bearer $AUD")" 400

# bad lines: the whole request refused, naming the line; nothing stored
printf '{"time":"2026-05-01T11:00:00Z","source":"gateway","message":"fine"}\n{"time":"2026-05-01T11:00:00Z","source":"gateway"}\n' >"$T_DIR/bad.jsonl"
check_eq "a line without message: 400" "$(post "$ING" "$T_DIR/bad.jsonl")" 400
check_contains "names line 2" "$(body)" "line 2"
printf '{"time":"2026-05-01T11:00:00Z","source":"gateway","message":"x\377"}\n' >"$T_DIR/bad2.jsonl"
check_eq "invalid UTF-8: 400" "$(post "$ING" "$T_DIR/bad2.jsonl")" 400
printf 'not json\n' >"$T_DIR/bad3.jsonl"
check_eq "not JSON: 400" "$(post "$ING" "$T_DIR/bad3.jsonl")" 400
check_contains "not JSON: line 1" "$(body)" "line 1"
python3 -c "
import json; print(json.dumps({'time':'2026-05-01T11:00:00Z','source':'g','message':'x'*70000}))" >"$T_DIR/long.jsonl"
check_eq "oversized line: 413" "$(post "$ING" "$T_DIR/long.jsonl")" 413
head -c 17000000 /dev/zero | tr '\0' 'a' >"$T_DIR/huge"
check_eq "body over 16 MiB: 413" "$(post "$ING" "$T_DIR/huge")" 413
check_eq "nothing of the bad requests stored" \
	"$(http GET '/api/v1/logs?since=2026-05-01T11:00:00Z&until=2026-05-01T23:59:59Z' -H "Authorization: Bearer $AUD" >/dev/null; body | jq '.events | length')" 0

# the page
check_eq "page as auditor" "$(http GET '/ui/logs?since=2026-05-01&until=2026-05-01T23:59:59Z&product=router' -H "Authorization: Bearer $AUD")" 200
check_contains "page: histogram" "$(body)" 'id="logs-histogram"'
check_contains "page: the line" "$(body)" "GET /api/v2/b 500"
check_not_contains "page: only the product" "$(body)" "disk 91%"
check_contains "page: count" "$(body)" "2 matching events"
check_eq "page: bad since at the field" "$(http GET '/ui/logs?since=xx' -H "Authorization: Bearer $AUD")" 200
check_contains "page: error named" "$(body)" 'id="l-since-error"'
stop_server

# back-pressure: the store refuses (no room for another ingest): 503, nothing stored
export VIGIL_LOGS_INGEST_CONCURRENCY=0
start_server
check_eq "busy store: 503" "$(post "$ING" "$T_DIR/ok.jsonl")" 503
check_contains "busy store: Retry-After" "$(cat "$T_DIR/headers")" "Retry-After"
stop_server
unset VIGIL_LOGS_INGEST_CONCURRENCY
check_eq "503: nothing stored" "$("$VIGIL" logs query --until 2026-05-02 --json | jq '.events | length')" 3

# kill -9 during ingest: every acknowledged batch is there after a restart
start_server
cat >"$T_DIR/sender.py" <<'EOF'
import json, sys, threading, urllib.request
base, tok, out = sys.argv[1], sys.argv[2], sys.argv[3]
lock = threading.Lock()
acked = open(out, "a")
def worker(w):
    b = 0
    while True:
        lines = "".join(json.dumps({"time": 1777629600 + b, "source": "kill", "message": "w%d-b%d-%d" % (w, b, i)}) + "\n" for i in range(200))
        req = urllib.request.Request(base + "/api/v1/logs", data=lines.encode(), method="POST",
                                     headers={"Authorization": "Bearer " + tok})
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                if r.status == 200:
                    with lock:
                        acked.write("w%d-b%d\n" % (w, b)); acked.flush()
        except Exception:
            return
        b += 1
ts = [threading.Thread(target=worker, args=(w,)) for w in range(3)]
[t.start() for t in ts]; [t.join() for t in ts]
EOF
: >"$T_DIR/acked"
python3 "$T_DIR/sender.py" "$BASE" "$ING" "$T_DIR/acked" &
SENDER=$!
i=0
while [ "$(wc -l <"$T_DIR/acked")" -lt 20 ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -9 "$T_SERVER_PID"
wait "$T_SERVER_PID" 2>/dev/null
T_SERVER_PID=""
wait $SENDER
nacked=$(wc -l <"$T_DIR/acked" | tr -d ' ')
ok "kill -9: batches were acknowledged before the kill ($nacked)" test "$nacked" -ge 20
start_server
"$VIGIL" logs query --source kill --limit 100000 --json | jq -r '.events[].message' | sed 's/-[0-9]*$//' | sort | uniq -c >"$T_DIR/stored"
missing=0
while read -r b; do
	n=$(awk -v b="$b" '$2 == b {print $1}' "$T_DIR/stored")
	[ "${n:-0}" = 200 ] || missing=$((missing + 1))
done <"$T_DIR/acked"
check_eq "kill -9: every acknowledged batch stored whole" "$missing" 0
ok "kill -9: no batch stored in part" sh -c "awk '\$1 != 200' '$T_DIR/stored' | grep -q . && exit 1 || exit 0"
stop_server

finish
