#!/bin/sh
# The update server benchmark of `make bench` (issue 18, "Performance"),
# called by scripts/bench.sh. Every vigil figure is printed as a ratio to
# nginx serving the same file on the same machine in the same run; the goals
# are reported as "goal met" / "goal missed" and never fail the bench; a
# command that fails does (exit 1). Steps:
#   1. a SQLite database with a TUF repository (development signers), product
#      "bench" delegated, a release, and `vigil serve` on a free port
#   2. upload a 1 GiB artifact (POST /api/v1/releases/{id}/artifacts, curl
#      streams it) and read vigil's peak RSS (VmHWM, reset just before
#      through /proc/PID/clear_refs): goal under 64 MiB
#   3. nginx (Debian's, as an unprivileged foreground process with its own
#      temporary configuration on a free port; no system service) serves
#      timestamp.json as fetched from vigil and the same 1 GiB file
#   4. wrk with the same threads, connections and duration against
#      /tuf/metadata/timestamp.json of both: goal vigil >= 0.5x nginx
#   5. the 1 GiB download, $RUNS times each (curl to /dev/null, medians):
#      GET /api/v1/artifacts/{id}/content against nginx: goal >= 0.8x
# Environment: BUILD (build), VIGIL_BENCH_RUNS (3), VIGIL_BENCH_WRK_SECONDS
# (10), VIGIL_BENCH_WRK_CONNECTIONS (50), VIGIL_BENCH_ARTIFACT_MIB (1024).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

BUILD=${BUILD:-build}
RUNS=${VIGIL_BENCH_RUNS:-3}
WRK_S=${VIGIL_BENCH_WRK_SECONDS:-10}
WRK_C=${VIGIL_BENCH_WRK_CONNECTIONS:-50}
WRK_T=2
MIB=${VIGIL_BENCH_ARTIFACT_MIB:-1024}
GOAL_META=0.5
GOAL_DOWN=0.8
GOAL_RSS=64
unset VIGIL_DB VIGIL_CONFIG

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$NGINX" wrk curl jq python3 sha256sum; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "bench_update: $tool is missing (sh scripts/deps.sh installs it)" >&2; exit 1; }
done

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
	cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_WERROR=ON >/dev/null
fi
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target vigil >/dev/null
VIGIL=$here/$BUILD/vigil
case $BUILD in /*) VIGIL=$BUILD/vigil ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-update.XXXXXX")
chmod 755 "$work"
SERVER_PID=""
NGINX_PID=""
cleanup() {
	[ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; } || true
	[ -z "$NGINX_PID" ] || { kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null; } || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "bench_update: $1" >&2
	for f in "$work/out" "$work/err" "$work/server.log" "$work/nginx/error.log"; do
		[ -s "$f" ] && { echo "  $f:" >&2; sed 's/^/  | /' "$f" | tail -15 >&2; }
	done
	exit 1
}
run() { "$@" >"$work/out" 2>"$work/err" || fail "command failed: $*"; }
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
median() { sort -n "$1" | sed -n "$(((RUNS + 1) / 2))p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "0" }'; }
atleast() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; then echo "goal met"; else echo "goal missed"; fi; }

echo "=== update server: setup ==="
export VIGIL_DB="$work/vigil.db"
V() { "$VIGIL" "$@"; }
run V init
run V product create bench
for k in bench-root bench-online; do
	run V signer keygen "$k" --software "$work/$k.pem" --algorithm ed25519
done
run V tuf init --root-signers bench-root --root-threshold 1 --targets-signer bench-online \
	--snapshot-signer bench-online --timestamp-signer bench-online
run V tuf delegate --product bench --signer bench-online
# a product version exists once an SBOM of it is imported
printf '{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": []}\n' \
	>"$work/bom.json"
run V sbom import "$work/bom.json" --product bench --version 1.0.0
run V release create --product bench --version 1.0.0 --json
RID=$(jq -r .id "$work/out") || fail "release create: no id"
run V token create --name bench --role admin
TOKEN=$(tail -1 "$work/out")

VPORT=$(free_port)
# wrk comes from one address: lift the per-address connection cap (nginx has
# none), or connections past it are closed and counted as socket errors
VIGIL_SERVER_MAX_CONNS_PER_ADDR=0 \
	"$VIGIL" serve --listen "127.0.0.1:$VPORT" >"$work/server.log" 2>&1 &
SERVER_PID=$!
i=0
until curl -fs "http://127.0.0.1:$VPORT/api/v1/health" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 200 ] && kill -0 "$SERVER_PID" 2>/dev/null || fail "vigil serve did not start"
	sleep 0.05
done
VBASE=http://127.0.0.1:$VPORT
echo "vigil serve: $VBASE (pid $SERVER_PID, $(sed -n 's/^Threads:[[:space:]]*//p' "/proc/$SERVER_PID/status") threads)"

echo "=== generate a $MIB MiB artifact ==="
ART=$work/www/bench.img
mkdir -p "$work/www/tuf/metadata"
head -c "$((MIB * 1048576))" /dev/urandom >"$ART"
SHA=$(sha256sum "$ART" | cut -d' ' -f1)
SIZE=$(wc -c <"$ART")
chmod -R a+rX "$work/www"

echo "=== upload ($MIB MiB, streamed by curl) ==="
hwm_kib() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SERVER_PID/status"; }
RSS0=$(hwm_kib)
echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || echo "(cannot reset VmHWM: the peak includes the start)"
curl -sS -o "$work/upload.json" -w '%{http_code} %{time_total} %{speed_upload}\n' \
	-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/octet-stream" \
	-T "$ART" -X POST "$VBASE/api/v1/releases/$RID/artifacts?name=bench.img&sha256=$SHA" \
	>"$work/up" || fail "upload failed"
read -r code up_s up_bps <"$work/up"
[ "$code" = 201 ] || [ "$code" = 200 ] || fail "upload answered $code: $(cat "$work/upload.json")"
RSS=$(hwm_kib)
AID=$(jq -r '.id // .artifact.id // empty' "$work/upload.json")
[ -n "$AID" ] || fail "upload: no artifact id in $(cat "$work/upload.json")"
RSS_MIB=$(awk -v k="$RSS" 'BEGIN { printf "%.1f", k / 1024 }')
echo "upload: HTTP $code in $up_s s ($(awk -v b="$up_bps" 'BEGIN { printf "%.0f", b / 1048576 }') MiB/s); VmHWM before $((RSS0 / 1024)) MiB, during upload $RSS_MIB MiB"

echo "=== nginx ==="
NPORT=$(free_port)
mkdir -p "$work/nginx/tmp"
curl -fsS -o "$work/www/tuf/metadata/timestamp.json" "$VBASE/tuf/metadata/timestamp.json" ||
	fail "GET timestamp.json from vigil"
chmod a+r "$work/www/tuf/metadata/timestamp.json"
cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path $work/nginx/tmp/body;
	proxy_temp_path $work/nginx/tmp/proxy;
	fastcgi_temp_path $work/nginx/tmp/fastcgi;
	uwsgi_temp_path $work/nginx/tmp/uwsgi;
	scgi_temp_path $work/nginx/tmp/scgi;
	types { application/json json; application/octet-stream img; }
	server {
		listen 127.0.0.1:$NPORT;
		root $work/www;
	}
}
CONF
# unprivileged: as root, nginx itself runs as nobody (it needs no privilege on a high port)
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1; then
	chown -R nobody "$work/nginx"
	runuser -u nobody -- "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" \
		2>>"$work/nginx/stderr" &
else
	"$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" \
		2>>"$work/nginx/stderr" &
fi
NGINX_PID=$!
NBASE=http://127.0.0.1:$NPORT
i=0
until curl -fs -o /dev/null "$NBASE/tuf/metadata/timestamp.json" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 200 ] && kill -0 "$NGINX_PID" 2>/dev/null || fail "nginx did not start"
	sleep 0.05
done
echo "nginx $("$NGINX" -v 2>&1 | sed 's/.*\///'): $NBASE (worker_processes auto)"
curl -fsS "$VBASE/tuf/metadata/timestamp.json" | cmp -s - "$work/www/tuf/metadata/timestamp.json" ||
	fail "vigil and nginx serve different timestamp.json"

echo "=== GET timestamp.json: wrk -t$WRK_T -c$WRK_C -d${WRK_S}s ==="
# wrk's "Socket errors: read N" counts connections the server closed
# (vigil closes idle keep-alive connections sooner); requests/s counts answers
wrk_rps() {
	wrk -t"$WRK_T" -c"$WRK_C" -d"${WRK_S}s" "$1" >"$work/wrk" 2>&1 || fail "wrk $1"
	sed 's/^/  /' "$work/wrk" | grep -E "Requests/sec|Non-2xx|Socket errors|Latency" >&2 || true
	if grep -q "Non-2xx" "$work/wrk"; then fail "wrk: answers other than 2xx from $1"; fi
	sed -n 's/^Requests\/sec:[[:space:]]*//p' "$work/wrk"
}
echo "nginx:" >&2
N_RPS=$(wrk_rps "$NBASE/tuf/metadata/timestamp.json")
echo "vigil:" >&2
V_RPS=$(wrk_rps "$VBASE/tuf/metadata/timestamp.json")

echo "=== download $MIB MiB: $RUNS runs each ==="
: >"$work/down-nginx"
: >"$work/down-vigil"
r=1
while [ "$r" -le "$RUNS" ]; do
	curl -fsS -o /dev/null -w '%{size_download} %{speed_download}\n' "$NBASE/bench.img" >"$work/d" ||
		fail "download from nginx"
	read -r n bps <"$work/d"
	[ "$n" = "$SIZE" ] || fail "nginx sent $n bytes, not $SIZE"
	echo "$bps" >>"$work/down-nginx"
	curl -fsS -o /dev/null -w '%{size_download} %{speed_download}\n' \
		-H "Authorization: Bearer $TOKEN" "$VBASE/api/v1/artifacts/$AID/content" >"$work/d" ||
		fail "download from vigil"
	read -r n bps2 <"$work/d"
	[ "$n" = "$SIZE" ] || fail "vigil sent $n bytes, not $SIZE"
	echo "$bps2" >>"$work/down-vigil"
	echo "run $r: nginx $(awk -v b="$bps" 'BEGIN { printf "%.0f", b / 1048576 }') MiB/s, vigil $(awk -v b="$bps2" 'BEGIN { printf "%.0f", b / 1048576 }') MiB/s"
	r=$((r + 1))
done
N_DOWN=$(median "$work/down-nginx")
V_DOWN=$(median "$work/down-vigil")
RSS_END=$(hwm_kib)

mibs() { awk -v b="$1" 'BEGIN { printf "%.0f MiB/s", b / 1048576 }'; }
echo
echo "=== vigil update server benchmark ==="
echo "machine: $(nproc 2>/dev/null || echo '?') cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end; a shared machine: figures vary with it"
echo "setup:   SQLite, artifact store dir, vigil serve (default threads) and nginx on 127.0.0.1,"
echo "         wrk -t$WRK_T -c$WRK_C -d${WRK_S}s for both; downloads: medians of $RUNS curl runs"
echo
fmt='%-34s %16s %16s %7s  %s\n'
# shellcheck disable=SC2059
printf "$fmt" measure nginx vigil ratio goal
# shellcheck disable=SC2059
printf "$fmt" ---------------------------------- ---------------- ---------------- ------- -----------------
R=$(ratio "$V_RPS" "$N_RPS")
# shellcheck disable=SC2059
printf "$fmt" "GET timestamp.json (req/s)" "$N_RPS" "$V_RPS" "${R}x" ">= ${GOAL_META}x: $(atleast "$R" "$GOAL_META")"
R=$(ratio "$V_DOWN" "$N_DOWN")
# shellcheck disable=SC2059
printf "$fmt" "download $MIB MiB (throughput)" "$(mibs "$N_DOWN")" "$(mibs "$V_DOWN")" "${R}x" ">= ${GOAL_DOWN}x: $(atleast "$R" "$GOAL_DOWN")"
if awk -v a="$RSS_MIB" -v b="$GOAL_RSS" 'BEGIN { exit !(a < b) }'; then g="goal met"; else g="goal missed"; fi
# shellcheck disable=SC2059
printf "$fmt" "upload $MIB MiB: vigil peak RSS" "-" "$RSS_MIB MiB" "-" "< $GOAL_RSS MiB: $g"
echo "(vigil's VmHWM over the whole run, wrk and downloads included: $(awk -v k="$RSS_END" 'BEGIN { printf "%.1f", k / 1024 }') MiB)"
