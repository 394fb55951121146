#!/bin/sh
# The triage queue benchmark of issue 5 ("Performance"): p50 / p99 latency of
# a filtered page of 50 findings sorted by due time, from GET /api/v1/findings
# and from the queue page /ui/findings, with FINDINGS findings (1,000,000),
# on SQLite and on a throw-away PostgreSQL (scripts/pg.sh). Figures are
# printed; the goal (p99 under 50 ms) is reported as "goal met" / "goal
# missed" and never fails the bench; a failing command or an HTTP error does.
#   1. build vigil (RelWithDebInfo in $BUILD)
#   2. `vigil init`, then bench/bench_findings_gen.sql: products, versions,
#      vulnerabilities with severities, KEV entries, users and the findings
#      (states, assignees, KEV flags, retractions, due times) in bulk SQL;
#      every stored due time is checked against the view findings_due
#   3. the query plan of the list for each filter (EXPLAIN QUERY PLAN /
#      EXPLAIN) is printed: each must use an index of migration 0010
#   4. `vigil serve` (THREADS workers, 4) and, per filter and endpoint, wrk
#      (--latency, CONNS connections, DURATION) cycling over the products,
#      severities, states, users; p50 / p99 of each, then the median of RUNS
#      runs of each line
# The queue page's charts (all products, not the filter) are redrawn once a
# minute by the job triage.charts that every server runs (src/triage/
# ui_triage.c); the first request, which may have to draw them itself, is
# timed apart ("charts").
# The generated alerts of past deadlines count as sent (a steady state);
# one `vigil sla tick` over all findings is timed after the load, and the
# server's jobs run as in production.
# Environment: BUILD (build-bench), FINDINGS (1000000), DURATION (10s),
# CONNS (4), THREADS (4), RUNS (2), VIGIL_BENCH_PG=0 to skip PostgreSQL.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

BUILD=${BUILD:-build-bench}
N=${FINDINGS:-1000000}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-4}
THREADS=${THREADS:-4}
RUNS=${RUNS:-2}
WITH_PG=${VIGIL_BENCH_PG:-1}
JOBS=$(nproc 2>/dev/null || echo 2)
GOAL_MS=50
unset VIGIL_DB VIGIL_CONFIG VIGIL_NOW

for tool in wrk sqlite3 curl cmake; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "bench: $tool is missing (sh scripts/deps.sh installs it)" >&2; exit 1; }
done
if [ "$WITH_PG" = 1 ] && ! command -v psql >/dev/null 2>&1; then
	echo "bench: psql is missing (sh scripts/deps.sh installs it)" >&2
	exit 1
fi
case $N in '' | *[!0-9]*) echo "bench: FINDINGS must be a number" >&2; exit 2 ;; esac
[ "$N" -ge 100 ] || { echo "bench: FINDINGS must be at least 100" >&2; exit 2; }

echo "=== build ($BUILD, RelWithDebInfo) ==="
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target vigil >/dev/null
case $BUILD in /*) VIGIL=$BUILD/vigil ;; *) VIGIL=$here/$BUILD/vigil ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-findings.XXXXXX")
chmod 755 "$work"
PGURL=""
SERVER=""
cleanup() {
	[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
	[ -z "$PGURL" ] || sh scripts/pg.sh stop "$work/pg" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "bench: $1" >&2
	for f in "$work/out" "$work/err" "$work/server.log"; do
		[ -s "$f" ] && tail -20 "$f" | sed 's/^/  | /' >&2
	done
	exit 1
}
run() { "$@" >"$work/out" 2>"$work/err" || fail "command failed: $*"; }

# Sizes: about 1,000 findings per product version, 5 versions per product.
NV=$((N / 1000))
[ "$NV" -ge 10 ] || NV=10
[ "$NV" -le 1000 ] || NV=1000
NP=$((NV / 5))
PER=$(((N + NV - 1) / NV))
NOW=$(date +%s)

# sql BACKEND: run stdin as SQL on the bench database
sql() {
	if [ "$1" = sqlite ]; then
		sqlite3 -bail "$DB"
	else
		psql -X -q -v ON_ERROR_STOP=1 -t -A "$DB"
	fi
}

# load BACKEND: a fresh database with the generated findings in $DB
load() {
	if [ "$1" = sqlite ]; then
		DB=$work/findings.db
	else
		run psql "$PGURL" -q -c "CREATE DATABASE bench_findings"
		DB=${PGURL%/*}/bench_findings
	fi
	run "$VIGIL" --db "$DB" init
	t0=$(date +%s.%N)
	{
		echo "BEGIN;"
		sed -e "s/@N@/$N/g; s/@NV@/$NV/g; s/@NP@/$NP/g; s/@PER@/$PER/g; s/@NOW@/$NOW/g" \
			bench/bench_findings_gen.sql
		echo "COMMIT;"
	} | sql "$1" >"$work/out" 2>"$work/err" || fail "loading the findings failed"
	if [ "$1" = postgresql ]; then
		# what autovacuum does on its own a little later: statistics and
		# the visibility map (index-only scans)
		echo "VACUUM ANALYZE;" | sql "$1" >/dev/null 2>"$work/err" || fail "VACUUM failed"
	fi
	t1=$(date +%s.%N)
	echo "loaded $N findings ($NP products, $NV versions) in" \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
	bad=$(echo "SELECT COUNT(*) FROM findings f LEFT JOIN findings_due d ON d.finding_id =
		f.id WHERE COALESCE(f.sla_due_at, -1) <> COALESCE(d.due_at, -1) OR
		COALESCE(f.sla_triage_due_at, -1) <> COALESCE(d.triage_due_at, -1) OR
		COALESCE(f.sla_fix_due_at, -1) <> COALESCE(d.fix_due_at, -1) OR f.sla_due_key <>
		COALESCE(d.due_at, 9223372036854775807);" | sql "$1")
	[ "$bad" = 0 ] || fail "$bad findings have stored due times other than the view's"
	echo "SELECT state, COUNT(*) FROM findings GROUP BY state ORDER BY state;" | sql "$1" |
		tr '\n' ' ' | sed 's/^/states: /'
	echo
	# one SLA tick over every finding, the past alerts already sent
	t0=$(date +%s.%N)
	run "$VIGIL" --db "$DB" sla tick --json
	t1=$(date +%s.%N)
	echo "sla tick over $N findings (alerts sent before): $(cat "$work/out")," \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
}

# The filters measured: name and query string (each line of a paths file
# takes the next product / severity / state / user in turn).
FILTERS="product severity state-open state-new overdue kev assignee product+severity
product-page5 all"
paths() { # FILTER ENDPOINT: the paths file of one filter
	i=0
	while [ "$i" -lt 40 ]; do
		p="product=product-$(((i * 7) % NP))"
		case $((i % 4)) in 0) s=critical ;; 1) s=high ;; 2) s=medium ;; *) s=low ;; esac
		case $((i % 3)) in 0) st=new ;; 1) st=in_triage ;; *) st=affected ;; esac
		u="user$((i % 20 + 1))"
		case $1 in
		product) q="$p" ;;
		severity) q="severity=$s" ;;
		state-open) q="state=open" ;;
		state-new) q="state=$st" ;;
		overdue) q="overdue=1" ;;
		kev) q="kev=1" ;;
		assignee) q="assignee=$u" ;;
		product+severity) q="$p&severity=$s" ;;
		product-page5) q="$p&offset=200" ;;
		all) q="" ;;
		esac
		if [ "$2" = api ]; then
			echo "/api/v1/findings?${q:+$q&}sort=due&limit=50"
		else
			echo "/ui/findings?${q:+$q&}sort=due"
		fi
		i=$((i + 1))
	done
}

# The list query as src/vuln/vulndb.c builds it for a filter (only the
# conditions in use), for EXPLAIN.
explain_sql() {
	w="f.retracted_at IS NULL"
	o=""
	case $1 in
	product | product-page5) w="$w AND f.version_id IN (SELECT pv.id FROM product_versions pv"
		w="$w JOIN products pp ON pp.id = pv.product_id WHERE pp.name = 'product-1')" ;;
	severity) w="$w AND f.severity = 'high'" ;;
	state-open) w="$w AND f.state IN ('new', 'in_triage', 'affected', 'in_remediation')"
		# the page asks for the state as an expression (no index: see vulndb.c)
		o=$(echo "$w" | sed 's/f\.state IN/(f.state || '"''"') IN/') ;;
	state-new) w="$w AND f.state = 'new'" ;;
	overdue) w="$w AND f.sla_due_key < $NOW" ;;
	kev) w="$w AND f.kev = 1" ;;
	assignee) w="$w AND f.assignee = 'user3'" ;;
	product+severity) w="$w AND (f.severity || '') = 'high' AND f.version_id IN (SELECT pv.id FROM"
		w="$w product_versions pv JOIN products pp ON pp.id = pv.product_id WHERE"
		w="$w pp.name = 'product-1')" ;;
	esac
	case $1 in product*) ord="f.sla_due_key + 0, f.id" ;; *) ord="f.sla_due_key, f.id" ;; esac
	echo "SELECT f.id FROM findings f WHERE ${o:-$w} ORDER BY $ord LIMIT 50;"
	echo "SELECT COUNT(*) FROM findings f WHERE $w;"
}

plans() {
	echo "=== query plans ($1): page, then count ==="
	for flt in $FILTERS; do
		explain_sql "$flt" >"$work/q.sql"
		while IFS= read -r q; do
			if [ "$1" = sqlite ]; then
				p=$(echo "EXPLAIN QUERY PLAN $q" | sql sqlite | sed 's/^[|` -]*//' |
					grep -v '^QUERY PLAN' | paste -sd';' -)
			else
				p=$(echo "EXPLAIN $q" | sql postgresql | grep -o \
					'\(Index Only Scan\|Index Scan\|Bitmap Index Scan\|Seq Scan\|Parallel Seq Scan\)[^(]*' |
					sed 's/  *$//' | paste -sd';' -)
			fi
			printf '%-17s %s\n' "$flt" "$p"
		done <"$work/q.sql"
	done
}

# serve BACKEND: start vigil serve on $DB, log in; sets BASE, TOKEN, COOKIE
serve() {
	run "$VIGIL" --db "$DB" user add bench --role psirt --password-stdin <<EOF
bench-password-12345
EOF
	TOKEN=$("$VIGIL" --db "$DB" token create --name bench --role auditor 2>"$work/err") ||
		fail "cannot create a token"
	rm -f "$work/port"
	"$VIGIL" --db "$DB" serve --listen 127.0.0.1:0 --port-file "$work/port" \
		--threads "$THREADS" >"$work/server.log" 2>&1 &
	SERVER=$!
	k=0
	while [ ! -s "$work/port" ] && [ "$k" -lt 100 ]; do
		sleep 0.1
		k=$((k + 1))
	done
	[ -s "$work/port" ] || fail "vigil serve did not start"
	BASE="http://127.0.0.1:$(cat "$work/port")"
	jar=$work/jar
	rm -f "$jar"
	csrf=$(curl -s -c "$jar" -b "$jar" "$BASE/ui/login" |
		sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
		--data-urlencode "csrf=$csrf" --data-urlencode user=bench \
		--data-urlencode password=bench-password-12345 "$BASE/ui/login")
	[ "$code" = 303 ] || fail "login failed (HTTP $code)"
	COOKIE=$(sed 's/^#HttpOnly_//' "$jar" |
		awk '!/^#/ && NF >= 7 { printf "%s%s=%s", n++ ? "; " : "", $6, $7 }')
	# the first page may draw the charts: timed apart
	t=$(curl -s -o "$work/page.html" -w '%{http_code} %{time_total}' -H "Cookie: $COOKIE" \
		"$BASE/ui/findings?product=product-1")
	case $t in 200*) ;; *) fail "queue page: HTTP $t" ;; esac
	grep -q '<svg id="chart-open"' "$work/page.html" || fail "queue page without its chart"
	CHARTS_MS=$(echo "$t" | awk '{ printf "%.0f", $2 * 1000 }')
	t=$(curl -s -o "$work/api.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		"$BASE/api/v1/findings?limit=50&sort=due")
	[ "$t" = 200 ] || fail "API: HTTP $t"
}

# stop_server: a graceful stop waits for the requests and jobs in flight; the
# first SLA tick over a million new findings can take minutes (every
# deadline is due at once): after 10 s the server is killed.
stop_server() {
	kill "$SERVER" 2>/dev/null || true
	k=0
	while kill -0 "$SERVER" 2>/dev/null && [ "$k" -lt 100 ]; do
		sleep 0.1
		k=$((k + 1))
	done
	kill -9 "$SERVER" 2>/dev/null || true
	wait "$SERVER" 2>/dev/null || true
	SERVER=""
}

# to_ms VALUE: wrk's "1.23ms" / "456.78us" / "1.20s" in milliseconds
to_ms() {
	echo "$1" | awk '/us$/ { sub("us", ""); printf "%.2f", $0 / 1000; next }
		/ms$/ { sub("ms", ""); printf "%.2f", $0; next }
		/m$/ { sub("m", ""); printf "%.0f", $0 * 60000; next }
		/s$/ { sub("s", ""); printf "%.2f", $0 * 1000 }'
}

# measure BACKEND: wrk per filter and endpoint, RUNS times; rows to $ROWS
measure() {
	for flt in $FILTERS; do
		for ep in api ui; do
			paths "$flt" "$ep" >"$work/paths"
			if [ "$ep" = api ]; then
				hdr="Authorization: Bearer $TOKEN"
			else
				hdr="Cookie: $COOKIE"
			fi
			: >"$work/runs"
			r=1
			while [ "$r" -le "$RUNS" ]; do
				wrk --latency --timeout 30s -t 2 -c "$CONNS" -d "$DURATION" \
					-s bench/bench_findings.lua \
					"$BASE" -- "$work/paths" "$hdr" >"$work/out" 2>"$work/err" ||
					fail "wrk failed ($flt, $ep)"
				! grep -q "Non-2xx" "$work/out" ||
					fail "HTTP errors during the run ($flt, $ep)"
				! grep -q "Socket errors" "$work/out" ||
					fail "socket errors or timeouts during the run ($flt, $ep)"
				grep -q '^ *99% ' "$work/out" ||
					fail "wrk measured no latency ($flt, $ep): too few requests in $DURATION"
				p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$work/out")")
				p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$work/out")")
				rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$work/out")
				echo "$p50 $p99 $rps" >>"$work/runs"
				r=$((r + 1))
			done
			m50=$(awk '{ print $1 }' "$work/runs" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
			m99=$(awk '{ print $2 }' "$work/runs" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
			mrps=$(awk '{ print $3 }' "$work/runs" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
			g=$(awk -v a="$m99" -v b="$GOAL_MS" 'BEGIN { print (a < b ? "goal met" : "goal missed") }')
			printf '%s|%s|%s|%s|%s|%s|%s\n' "$1" "$ep" "$flt" "$m50" "$m99" "$mrps" "$g" \
				>>"$ROWS"
			printf '%-10s %-4s %-17s p50 %8s ms  p99 %8s ms  %6s req/s  (%s)\n' "$1" "$ep" \
				"$flt" "$m50" "$m99" "$mrps" "$g"
		done
	done
}

ROWS=$work/rows
: >"$ROWS"
CHARTS=""

bench_backend() {
	echo "=== $1: load ==="
	load "$1"
	plans "$1"
	echo "=== $1: serve and measure ==="
	serve "$1"
	echo "first queue page (with the all-products charts): $CHARTS_MS ms"
	CHARTS="$CHARTS $1=${CHARTS_MS}ms"
	measure "$1"
	stop_server
}

bench_backend sqlite
if [ "$WITH_PG" = 1 ]; then
	PGURL=$(sh scripts/pg.sh start "$work/pg") || {
		PGURL=""
		fail "could not start PostgreSQL"
	}
	bench_backend postgresql
	sh scripts/pg.sh stop "$work/pg"
	PGURL=""
fi

echo
echo "=== vigil triage queue benchmark ==="
echo "data:    $N findings, $NP products x 5 versions, 20,000 vulnerabilities, 20 assignees"
echo "machine: $JOBS cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end"
echo "server:  vigil serve --threads $THREADS (a pool of worker threads, one database"
echo "         connection each); wrk -t2 -c$CONNS -d$DURATION --latency; median of $RUNS runs"
echo "request: a page of 50 sorted by due time (API limit=50; the queue page lists 50),"
echo "         with its total and, on the queue page, the counts per state (exact up to"
echo "         10,000 beyond the offset, then \"10000+\": triage.count_cap)"
echo "charts:  first queue page:$CHARTS; then redrawn every minute by a server thread"
echo "goal:    p99 under $GOAL_MS ms"
echo
fmt='%-10s %-4s %-17s %9s %9s %7s  %s\n'
# shellcheck disable=SC2059
printf "$fmt" backend "" filter "p50 (ms)" "p99 (ms)" "req/s" goal
while IFS='|' read -r be ep flt a b c g; do
	# shellcheck disable=SC2059
	printf "$fmt" "$be" "$ep" "$flt" "$a" "$b" "$c" "$g"
done <"$ROWS"
