#!/bin/sh
# The device check-in benchmark of `make bench` (issue 19, "Performance"),
# called by scripts/bench.sh. $N devices (default 100,000) enrolled for a
# product with a published release and a running 100 % rollout; the device
# simulator (bench/bench_devsim.c, --checkin-only) sends $REQ check-ins
# (each device's own token, keep-alive connections, $THREADS threads) to
# `vigil serve` on SQLite and on a throw-away PostgreSQL (scripts/pg.sh),
# and GETs of a static JSON of the same size as the answer from nginx in the
# same run. Prints check-ins per second and p50/p99 latency, the ratio to
# nginx, and the server's CPU time per check-in (user + system, from
# /proc). Goals (reported, never failing the bench): 20,000/s, p99 < 50 ms,
# in the steady state (every device has checked in once since the server
# started: the first round, each device's row read by its token's hash,
# is run first and its rate printed beside).
# Environment: BUILD (build), VIGIL_BENCH_DEVICES (100000),
# VIGIL_BENCH_CHECKINS (200000), VIGIL_BENCH_THREADS (32), VIGIL_BENCH_PG=0.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
BUILD=${BUILD:-build}
N=${VIGIL_BENCH_DEVICES:-100000}
REQ=${VIGIL_BENCH_CHECKINS:-200000}
THREADS=${VIGIL_BENCH_THREADS:-32}
WITH_PG=${VIGIL_BENCH_PG:-1}
unset VIGIL_DB VIGIL_CONFIG
export VIGIL_UPDATE_ARTIFACT_STORE=db # artifacts in the database: the same on both backends
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$NGINX" curl jq openssl; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "bench_checkin: $tool is missing (sh scripts/deps.sh installs it)" >&2; exit 1; }
done
cmake --build "$BUILD" -j2 --target vigil bench_devsim >/dev/null
VIGIL=$here/$BUILD/vigil
SIM=$here/$BUILD/bench_devsim
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-checkin.XXXXXX")
chmod 755 "$work"
SERVER_PID=""
NGINX_PID=""
PGDIR=""
cleanup() {
	[ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; } || true
	[ -z "$NGINX_PID" ] || { kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null; } || true
	[ -z "$PGDIR" ] || sh scripts/pg.sh stop "$PGDIR" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "bench_checkin: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
V() { "$VIGIL" "$@" >"$work/out" 2>"$work/err" || fail "vigil $*: $(cat "$work/err")"; }

setup() { # a database at $VIGIL_DB with N devices and a running 100 % rollout
	V init
	openssl ecparam -name prime256v1 -genkey -noout -out "$work/ec.key" 2>/dev/null
	openssl pkey -in "$work/ec.key" -pubout -out "$work/ec.pub"
	V ci-key add ci "$work/ec.pub"
	for n in r1 tg sn ts prod; do V signer keygen "$n" --software "$work/$1-$n.key" --algorithm ed25519; done
	V tuf init --root-signers r1 --root-threshold 1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts
	printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >"$work/bom.json"
	V product create fw
	V sbom import "$work/bom.json" --product fw --version 1.0
	V sbom import "$work/bom.json" --product fw --version 1.1
	V tuf delegate --product fw --signer prod
	head -c 100000 /dev/urandom >"$work/fw.img"
	openssl dgst -sha256 -sign "$work/ec.key" -out "$work/fw.img.sig" "$work/fw.img"
	V release create --product fw --version 1.1
	(cd "$work" && "$VIGIL" release upload fw@1.1 fw.img --signature fw.img.sig >/dev/null) || fail upload
	V release publish fw@1.1
	"$VIGIL" device enroll --product fw --count "$N" --version 1.0 >"$work/devs.txt" 2>/dev/null || fail enroll
	V rollout create fw@1.1 --stages 100 --soak 24h --json
	V rollout start "$(jq .id "$work/out")"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

serve() {
	VPORT=$(free_port)
	VIGIL_SERVER_MAX_CONNS_PER_ADDR=0 "$VIGIL" serve --listen "127.0.0.1:$VPORT" >"$work/server.log" 2>&1 &
	SERVER_PID=$!
	i=0
	until curl -fs "http://127.0.0.1:$VPORT/api/v1/health" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 200 ] && kill -0 "$SERVER_PID" 2>/dev/null || fail "vigil serve did not start"
		sleep 0.05
	done
}

measure() { # NAME: check-ins against vigil; prints the simulator's JSON
	serve
	# the first round: every device once, as after a server start (each
	# device's first check-in reads its row by token hash from the
	# database; later ones find it in update.device_cache); reported apart
	"$SIM" --url "http://127.0.0.1:$VPORT" --devices "$work/devs.txt" --version 1.0 --checkin-only --requests "$N" --threads "$THREADS" >"$work/$1-first.json" || fail "first round"
	# then the steady state of a fleet that checks in every few minutes
	t0=$(cpu_ticks "$SERVER_PID")
	"$SIM" --url "http://127.0.0.1:$VPORT" --devices "$work/devs.txt" --version 1.0 --checkin-only --requests "$REQ" --threads "$THREADS" >"$work/$1.json" || fail "$1: check-ins failed"
	t1=$(cpu_ticks "$SERVER_PID")
	# the server's CPU time (user + system) per check-in: steadier than the
	# rate while other work shares the machine
	awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v n="$REQ" 'BEGIN { printf "%.0f", (b - a) * 1e6 / hz / n }' >"$work/$1.cpu"
	curl -s -o "$work/answer.json" -H "Authorization: Bearer $(sed -n 1p "$work/devs.txt" | cut -d' ' -f2)" \
		-H 'Content-Type: application/json' -d '{"version":"1.0"}' "http://127.0.0.1:$VPORT/api/v1/device/checkin"
	kill "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
}

report() { # NAME
	j=$work/$1.json
	rate=$(jq .per_second "$j")
	p99=$(jq .p99_ms "$j")
	ratio=$(awk -v a="$rate" -v b="$NRATE" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
	goal="goal missed"
	awk -v r="$rate" -v p="$p99" 'BEGIN { exit !(r >= 20000 && p < 50) }' && goal="goal met"
	printf '%-12s %8s check-ins/s  p50 %6s ms  p99 %6s ms  %sx nginx  server CPU %s us/check-in  (20,000/s, p99 < 50 ms: %s)  first round after start: %s/s\n' \
		"$1" "$rate" "$(jq .p50_ms "$j")" "$p99" "$ratio" "$(cat "$work/$1.cpu")" "$goal" "$(jq .per_second "$work/$1-first.json")"
}

echo "=== check-in: $N devices, $REQ check-ins, $THREADS connections ==="
export VIGIL_DB=$work/vigil.db
setup sqlite
measure sqlite
if [ "$WITH_PG" = 1 ]; then
	PGDIR=$work/pg
	url=$(sh scripts/pg.sh start "$PGDIR") || fail "scripts/pg.sh start"
	export VIGIL_DB=$url
	setup pg
	measure postgresql
	# the same with the epoch read at every check-in (update.epoch_poll_ms=0;
	# PostgreSQL's default reads it at most every 100 ms, so a halt or
	# revocation made elsewhere is honoured within 100 ms)
	export VIGIL_UPDATE_EPOCH_POLL_MS=0
	measure pg-poll0
	unset VIGIL_UPDATE_EPOCH_POLL_MS
fi

echo "=== nginx: a static JSON of $(wc -c <"$work/answer.json") bytes (the check-in's answer) ==="
NPORT=$(free_port)
mkdir -p "$work/nginx/tmp" "$work/www"
cp "$work/answer.json" "$work/www/checkin.json"
chmod -R a+rX "$work/www"
cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_requests 1000000;
	client_body_temp_path $work/nginx/tmp/body;
	proxy_temp_path $work/nginx/tmp/proxy;
	fastcgi_temp_path $work/nginx/tmp/fastcgi;
	uwsgi_temp_path $work/nginx/tmp/uwsgi;
	scgi_temp_path $work/nginx/tmp/scgi;
	types { application/json json; }
	server { listen 127.0.0.1:$NPORT; root $work/www; }
}
CONF
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1; then
	chown -R nobody "$work/nginx"
	runuser -u nobody -- "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" 2>>"$work/nginx/stderr" &
else
	"$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" 2>>"$work/nginx/stderr" &
fi
NGINX_PID=$!
i=0
until curl -fs "http://127.0.0.1:$NPORT/checkin.json" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "nginx did not start: $(cat "$work/nginx/stderr" "$work/nginx/error.log" 2>/dev/null)"
	sleep 0.05
done
"$SIM" --url "http://127.0.0.1:$NPORT" --devices "$work/devs.txt" --get /checkin.json --requests "$REQ" --threads "$THREADS" >"$work/nginx.json" || fail "nginx run failed"
NRATE=$(jq .per_second "$work/nginx.json")
printf '%-12s %8s requests/s   p50 %6s ms  p99 %6s ms\n' nginx "$NRATE" "$(jq .p50_ms "$work/nginx.json")" "$(jq .p99_ms "$work/nginx.json")"
report sqlite
[ "$WITH_PG" = 1 ] && report postgresql
[ "$WITH_PG" = 1 ] && report pg-poll0
exit 0
