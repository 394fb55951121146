#!/bin/sh
# The log store benchmark of `make bench` (issue 21, "Performance"), called
# by scripts/bench.sh. On generated realistic logs (nginx access lines of
# update servers, RFC 5424 syslog of update servers, JSON API-gateway
# events, one third each, over 30 days, 4 products x 3 versions), printed as
# figures and ratios:
#   - bytes stored per event after sealing (goal: at most 30), against the
#     bytes PostgreSQL needs for the same events in a typed table;
#   - ingest rate of `vigil logs ingest` (JSON lines, batches of 20,000,
#     each committed before the next: what POST /api/v1/logs does per
#     request) and of ingest + seal, against PostgreSQL `COPY` of the same
#     events into a typed table with a btree on time, in the same run, on
#     the same PostgreSQL (goal: at least 3x);
#   - a query for one product version and one day: wall time and blocks
#     read out of all.
# vigil runs on the same throw-away PostgreSQL (scripts/pg.sh) with its
# segments in a directory, and on SQLite. Goals are reported as "goal met" /
# "goal missed" and never fail the bench; a command that fails does.
# Environment: BUILD (build), VIGIL_BENCH_LOGS_EVENTS (600000).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

BUILD=${BUILD:-build}
N=${VIGIL_BENCH_LOGS_EVENTS:-600000}
for tool in python3 psql jq; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "bench_logs: $tool is missing (sh scripts/deps.sh installs it)" >&2; exit 1; }
done
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
	cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_WERROR=ON >/dev/null
fi
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target vigil >/dev/null
VIGIL=$here/$BUILD/vigil
case $BUILD in /*) VIGIL=$BUILD/vigil ;; esac
unset VIGIL_DB VIGIL_CONFIG VIGIL_NOW

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-logs.XXXXXX")
chmod 755 "$work"
PGURL=""
cleanup() {
	[ -z "$PGURL" ] || sh scripts/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

now_ms() { python3 -c 'import time; print(int(time.monotonic() * 1000))'; }

echo "=== log store: $N generated events (nginx, syslog, gateway JSON) ==="
python3 - "$N" "$work/ev.jsonl" "$work/ev.csv" <<'EOF'
import csv, json, random, sys
n, out, outcsv = int(sys.argv[1]), sys.argv[2], sys.argv[3]
r = random.Random(21)
base = 1767225600  # 2026-01-01
products = [("router", ["2.0.1", "2.1.0", "2.1.3"]), ("camera", ["1.4", "1.5", "1.6"]),
            ("gateway-fw", ["7.0", "7.1", "7.2"]), ("thermo", ["0.9", "1.0", "1.1"])]
paths = ["/api/v2/devices/%d/checkin", "/api/v2/devices/%d/status", "/tuf/targets/fw-%d.bin",
         "/tuf/timestamp.json", "/tuf/snapshot.json", "/api/v1/releases/%d"]
agents = ["vigil-agent/1.4 (linux; arm64)", "vigil-agent/1.5 (linux; armv7)",
          "curl/7.88.1", "Mozilla/5.0 (X11; Linux x86_64)"]
f = open(out, "w"); c = csv.writer(open(outcsv, "w", newline=""))
t = base
for i in range(n):
    t += r.choice([0, 0, 1, 1, 2, 4, 7])
    t = min(t, base + 30 * 86400 - 1)
    p, vs = r.choice(products); v = r.choice(vs)
    ip = "10.%d.%d.%d" % (r.randrange(4), r.randrange(256), r.randrange(256))
    path = r.choice(paths)
    if "%d" in path: path = path % r.randrange(20000)
    st = r.choice([200] * 30 + [204, 206, 304, 404, 500])
    kind = i % 3
    host = "upd%d" % r.randrange(6)
    fields = None
    if kind == 0:
        src = "nginx"
        ts = "%02d/Jan/2026:%02d:%02d:%02d +0000" % (1 + (t - base) // 86400 % 28, (t // 3600) % 24, (t // 60) % 60, t % 60)
        msg = '%s - - [%s] "GET %s HTTP/1.1" %d %d "-" "%s"' % (ip, ts, path, st, r.randrange(200, 90000), r.choice(agents))
    elif kind == 1:
        src = "updsrv"
        msg = r.choice(["delivered %s to device %d (%s %s) in %d ms" % (path, r.randrange(20000), p, v, r.randrange(5, 900)),
                        "check-in from device %d: %s %s ok" % (r.randrange(20000), p, v),
                        "rollout %d stage %d: %d of %d devices updated" % (r.randrange(40), r.randrange(4), r.randrange(1000), 1000)])
    else:
        src = "gateway"
        msg = "%s %s %d" % (r.choice(["GET", "GET", "POST"]), path, st)
        fields = {"method": msg.split()[0], "path": path, "status": st, "latency_ms": r.randrange(1, 400),
                  "client": ip, "request_id": "%016x" % r.getrandbits(64)}
    ev = {"time": t, "source": src, "host": host, "product": p, "version": v, "message": msg}
    if fields: ev.update(fields)
    f.write(json.dumps(ev, separators=(",", ":")) + "\n")
    c.writerow([t, src, p, v, host, msg, json.dumps(fields, separators=(",", ":")) if fields else ""])
EOF
rawb=$(wc -c <"$work/ev.jsonl")
echo "generated: $(awk "BEGIN{printf \"%.1f\", $rawb / $N}") bytes per event as JSON lines"

PGURL=$(sh scripts/pg.sh start "$work/pg")
PGBASE=${PGURL%/*}

# -- the baseline: COPY into a typed table with a btree on time --
psql "$PGBASE/postgres" -qAt -c "CREATE DATABASE bench_copy" >/dev/null
psql "$PGBASE/bench_copy" -q -c "CREATE TABLE ev (t TIMESTAMPTZ NOT NULL, source TEXT NOT NULL,
  product TEXT NOT NULL, version TEXT NOT NULL, host TEXT NOT NULL, message TEXT NOT NULL,
  fields JSONB); CREATE INDEX ev_t ON ev (t);" >/dev/null
python3 -c "
import csv, sys, datetime
w = csv.writer(open(sys.argv[2], 'w', newline=''))
for row in csv.reader(open(sys.argv[1])):
    row[0] = datetime.datetime.fromtimestamp(int(row[0]), datetime.timezone.utc).isoformat()
    row[6] = row[6] or None
    w.writerow(row)" "$work/ev.csv" "$work/ev_pg.csv"
t0=$(now_ms)
psql "$PGBASE/bench_copy" -q -c "\\copy ev FROM '$work/ev_pg.csv' WITH (FORMAT csv)" >/dev/null
t1=$(now_ms)
copy_ms=$((t1 - t0))
copy_bytes=$(psql "$PGBASE/bench_copy" -qAt -c "SELECT pg_total_relation_size('ev')")

# -- vigil on PostgreSQL (segments in a directory) and on SQLite --
run_vigil() {
	label=$1
	db=$2
	export VIGIL_DB=$db VIGIL_UPDATE_ARTIFACT_DIR="$work/art-$label"
	"$VIGIL" init >/dev/null
	t0=$(now_ms)
	"$VIGIL" logs ingest "$work/ev.jsonl" >/dev/null
	t1=$(now_ms)
	"$VIGIL" logs seal >/dev/null
	t2=$(now_ms)
	"$VIGIL" logs stats --json >"$work/stats-$label.json"
	t3=$(now_ms)
	"$VIGIL" logs query --product router --version 2.1.0 --since 2026-01-02 --until 2026-01-02T23:59:59Z \
		--limit 100000 --json >"$work/q-$label.json"
	t4=$(now_ms)
	ing_ms=$((t1 - t0))
	seal_ms=$((t2 - t1))
	q_ms=$((t4 - t3))
	bpe=$(jq .bytes_per_event "$work/stats-$label.json")
	blocks=$(jq .blocks "$work/stats-$label.json")
	qb=$(jq .blocks_read "$work/q-$label.json")
	qn=$(jq '.events | length' "$work/q-$label.json")
	awk -v l="$label" -v n="$N" -v i="$ing_ms" -v s="$seal_ms" -v c="$copy_ms" -v b="$bpe" \
		-v cb="$copy_bytes" -v q="$q_ms" -v qb="$qb" -v bl="$blocks" -v qn="$qn" 'BEGIN {
		ir = n / (i / 1000); isr = n / ((i + s) / 1000); cr = n / (c / 1000);
		printf "%-10s ingest %8.0f events/s (%5.2fx COPY), ingest+seal %8.0f events/s (%5.2fx COPY) [%s]\n",
			l, ir, ir / cr, isr, isr / cr, (isr / cr >= 3 ? "goal met" : "goal missed");
		printf "%-10s stored %6.1f bytes/event (PostgreSQL table+index: %6.1f, %5.1fx smaller) [%s]\n",
			l, b, cb / n, (cb / n) / b, (b <= 30 ? "goal met" : "goal missed");
		printf "%-10s one product version, one day: %d events in %d ms, %d of %d blocks read\n",
			l, qn, q, qb, bl;
	}'
	unset VIGIL_DB VIGIL_UPDATE_ARTIFACT_DIR
}

awk -v n="$N" -v c="$copy_ms" 'BEGIN { printf "baseline   PostgreSQL COPY into a typed table with a btree on time: %.0f events/s\n", n / (c / 1000) }'
psql "$PGBASE/postgres" -qAt -c "CREATE DATABASE bench_vigil" >/dev/null
run_vigil postgresql "$PGBASE/bench_vigil"
run_vigil sqlite "$work/vigil.db"
