#!/bin/sh
# `make soak`: a bounded soak of one `vigil serve` (release build, SQLite,
# the demo data) under a mixed load, then the abuse scenarios; the figures
# go to docs/reliability.md (between its soak markers).
#
#   sh scripts/soak.sh [--seconds N] [--connections N] [--no-abuse] [--no-record]
#                      [--abuse-only [SCENARIO ...]]
#
#   --seconds N      the soak's length (default 1800; the documented run is 3600)
#   --connections N  wrk's connections (default 16, two threads)
#   --abuse-only     no soak: only the abuse scenarios (all, or those named:
#                    slow-headers slow-bodies idle big-headers report-flood
#                    login-flood login-spread); only the abuse figures are written
#   --no-abuse       the soak alone
#   --no-record      print the figures, leave docs/reliability.md as it is
#                    (a diagnostic run)
#
# VIGIL_SOAK_WRAP, when set, is put before the server's command (for
# example "env MALLOC_ARENA_MAX=2" or "heaptrack -o FILE"). The samples
# split RSS into anonymous memory (the heap) and file-backed memory (the
# SQLite files mapped); the monitor's file is kept as $SOAK_MON when set.
#
# The load (tests/tools/soak.lua): the findings queue through the API and
# its page, the home page, products, security.txt, health, SBOM uploads and
# CVD reports. Passes when: at least 500 requests a second; no answer >= 400
# but the deliberate 429 of the report rate; the server's RSS after warm-up
# (the first fifth: the median of the first minute after it against the
# median of the last minute) grows by less than 10 %; its open files do not
# grow. The maximum RSS is printed beside (short peaks of jobs). p99
# is printed. Then tests/tools/abuse.py: slow headers, slow bodies, 10,000
# idle connections, 1 MiB headers, a report flood and a failed-login flood
# from one address, failed logins spread over 150 addresses, a well-behaved
# client answered throughout.
# All traffic goes to 127.0.0.1. Needs wrk (scripts/deps.sh).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
PATH=/usr/bin:/bin:$PATH
export PATH

seconds=1800
conns=16
abuse_only=""
no_abuse=""
record=1
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) seconds=${2:-}; shift 2 ;;
	--connections) conns=${2:-}; shift 2 ;;
	--abuse-only) abuse_only=1; shift; break ;;
	--no-abuse) no_abuse=1; shift ;;
	--no-record) record=""; shift ;;
	*) echo "usage: sh scripts/soak.sh [--seconds N] [--connections N] [--no-abuse] [--no-record] [--abuse-only [SCENARIO ...]]" >&2; exit 2 ;;
	esac
done
for v in "$seconds" "$conns"; do
	case $v in '' | *[!0-9]* | 0)
		echo "soak: --seconds and --connections take a positive whole number, not '$v'" >&2
		exit 2 ;;
	esac
done
[ -n "$abuse_only" ] || command -v wrk >/dev/null || { echo "soak: wrk not found (scripts/deps.sh)"; exit 1; }
V=${VIGIL:-$here/build/vigil}
[ -x "$V" ] || { echo "soak: no build/vigil (make build)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-soak.XXXXXX") || exit 1
SPID=""
cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null
	[ -n "${MPID:-}" ] && kill "$MPID" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
export VIGIL_DB="$work/vigil.db" VIGIL_SECRETS_KEY_FILE="$work/secret.key" VIGIL_ACTOR=soak
export VIGIL_SECURITYTXT_CONTACT=mailto:psirt@example.com
"$V" init >/dev/null && "$V" demo load >/dev/null && "$V" product create soak >/dev/null || {
	echo "soak: setting up the database failed"
	exit 1
}
VIGIL_PASSWORD=pw-soak-4e1f "$V" user add soaker --role psirt >/dev/null || exit 1
TOKEN=$("$V" token create --name soak --role admin 2>/dev/null)

# start_srv: vigil serve on a free port (more files allowed: 10,000 idle
# connections); sets SPID and PORT
start_srv() {
	rm -f "$work/port"
	# shellcheck disable=SC2086
	(ulimit -n 65536 2>/dev/null; exec ${VIGIL_SOAK_WRAP:-} "$V" serve --listen 127.0.0.1:0 --port-file "$work/port") \
		>>"$work/server.log" 2>&1 &
	SPID=$!
	i=0
	while [ ! -s "$work/port" ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && { echo "soak: the server did not start"; cat "$work/server.log"; exit 1; }
		sleep 0.05
	done
	PORT=$(cat "$work/port")
}

status=0
soak=""
if [ -z "$abuse_only" ]; then
# the soak: reports are not rate-limited here (the flood is its own scenario)
VIGIL_PSIRT_REPORT_RATE=100000000 start_srv
jar=$work/jar
csrf=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "user=soaker" \
	--data-urlencode "password=pw-soak-4e1f" "http://127.0.0.1:$PORT/ui/login"
COOKIE=$(awk '$6 == "vigil_session" { print $6 "=" $7 }' "$jar")
[ -n "$COOKIE" ] || { echo "soak: could not log in"; exit 1; }

# RSS and open files every 5 s
(
	while kill -0 "$SPID" 2>/dev/null; do
		st=$(awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { printf "%s ", $2 }' "/proc/$SPID/status" 2>/dev/null)
		n=$(ls "/proc/$SPID/fd" 2>/dev/null | wc -l)
		set -- $st
		echo "$(date +%s) ${1:-0} $n ${2:-0} ${3:-0} ${4:-0}"
		sleep 5
	done
) >"$work/mon" &
MPID=$!
echo "soak: $seconds s of mixed load, $conns connections"
SOAK_TOKEN=$TOKEN SOAK_COOKIE=$COOKIE wrk -t2 -c"$conns" -d"${seconds}s" --latency \
	-s tests/tools/soak.lua "http://127.0.0.1:$PORT" >"$work/wrk.out" 2>&1
kill "$MPID" 2>/dev/null
MPID=""
[ -n "${SOAK_MON:-}" ] && cp "$work/mon" "$SOAK_MON"
cat "$work/wrk.out"
soak=$(python3 - "$work/wrk.out" "$work/mon" "$seconds" <<'EOF'
import re, sys
out = open(sys.argv[1]).read()
def grab(key):
    m = re.search(r"^%s (.*)$" % key, out, re.M)
    return dict(x.split("=", 1) for x in m.group(1).split()) if m else {}
c, l, r = grab("soak-counts"), grab("soak-latency"), grab("soak-rate")
mon = [list(map(int, l.split())) for l in open(sys.argv[2]) if len(l.split()) >= 3]
warm = mon[len(mon) // 5:] if len(mon) >= 5 else mon
# growth: the median RSS of the last minute against that of the first minute
# after warm-up (medians: a job's short peak, such as the log seal's, is
# memory that comes back, not growth; it shows in the maximum)
def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if xs else 0
rss0 = median([m[1] for m in warm[:12]])
rss_end = median([m[1] for m in warm[-12:]])
rss_max = max(m[1] for m in warm) if warm else 0
growth = (rss_end - rss0) / rss0 * 100 if rss0 else 0
# anonymous (heap) and file-backed (mapped files) parts, first and last sample after warm-up
anon = "%d-%d" % (warm[0][3], warm[-1][3]) if warm and len(warm[0]) >= 6 else "-"
filed = "%d-%d" % (warm[0][4] + warm[0][5], warm[-1][4] + warm[-1][5]) if warm and len(warm[0]) >= 6 else "-"
fd0 = warm[0][2] if warm else 0
fd_max = max(m[2] for m in warm) if warm else 0
rps = float(r.get("rps", 0))
ok = (rps >= 500 and int(c.get("errors", 1)) == 0 and int(r.get("socket_errors", 1)) == 0
      and growth < 10 and fd_max <= fd0 + 4)
print("%s seconds=%s requests=%s rps=%.0f errors=%s deliberate_429=%s socket_errors=%s p50_ms=%s "
      "p99_ms=%s max_ms=%s rss_kb_after_warmup=%d rss_kb_end=%d rss_kb_max=%d rss_growth_pct=%.1f fds=%d-%d "
      "anon_kb=%s file_kb=%s" % (
          "ok" if ok else "FAIL", sys.argv[3], r.get("requests"), rps, c.get("errors"),
          c.get("deliberate"), r.get("socket_errors"), l.get("p50_ms"), l.get("p99_ms"),
          l.get("max_ms"), rss0, rss_end, rss_max, growth, fd0, fd_max, anon, filed))
EOF
)
echo "soak: $soak"
case $soak in ok*) ;; *) status=1 ;; esac

fi

if [ -z "$no_abuse" ]; then
# abuse: a server with the default rates
if [ -n "$SPID" ]; then
	kill "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
fi
start_srv
python3 tests/tools/abuse.py "$PORT" "$SPID" soaker pw-soak-4e1f "$@" | tee "$work/abuse.out" || status=1
fi
[ -n "$record" ] || exit $status
touch "$work/abuse.out"

date=$(date -u +%Y-%m-%d)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo source)
python3 - docs/reliability.md "$soak" "$work/abuse.out" "$date" "$rev" <<'EOF'
import sys
doc, soak, abuse, date, rev = sys.argv[1:6]
text = open(doc).read()
def put(text, name, body):
    b, e = "<!-- reliability:%s:begin -->" % name, "<!-- reliability:%s:end -->" % name
    i, j = text.index(b) + len(b), text.index(e)
    return text[:i] + "\n" + body + "\n" + text[j:]
w = soak.split()
kv = dict(x.split("=", 1) for x in w[1:])
s = "" if not soak else ("| result | seconds | requests | per second | errors | deliberate 429 | p50 | p99 | max | "
     "RSS after warm-up | RSS at the end | growth | RSS max | open files | date | commit |\n"
     "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n"
     "| %s | %s | %s | %s | %s | %s | %s ms | %s ms | %s ms | %s KiB | %s KiB | %s %% | %s KiB | %s | %s | %s |" % (
         w[0], kv["seconds"], kv["requests"], kv["rps"], kv["errors"], kv["deliberate_429"],
         kv["p50_ms"], kv["p99_ms"], kv["max_ms"], kv["rss_kb_after_warmup"], kv["rss_kb_end"],
         kv["rss_growth_pct"], kv["rss_kb_max"], kv["fds"], date, rev))
rows = ["| scenario | result | figures |", "|---|---|---|"]
for line in open(abuse):
    if line.startswith("abuse "):
        p = line.split(None, 3)
        rows.append("| %s | %s | %s |" % (p[1], p[2], p[3].strip() if len(p) > 3 else ""))
if soak:
    text = put(text, "soak", s)
if len(rows) > 2:  # not with --no-abuse
    text = put(text, "abuse", "\n".join(rows) + "\n\n(%s, commit %s)" % (date, rev))
open(doc, "w").write(text)
EOF
echo "soak: figures written to docs/reliability.md"
exit $status
