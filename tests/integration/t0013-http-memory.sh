#!/bin/sh
# The server's peak memory while anonymous clients send oversized bodies
# (issue 16 item 2: eight anonymous 60 MiB reports raised it from 115 MB to
# 535 MB). Eight anonymous POST /api/v1/reports announcing 60 MiB stream
# zeros while three CI uploads of 20 MiB stream to the validator: the peak
# resident size (VmHWM) may grow by at most 64 MiB over the idle figure.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
RAW="python3 $VIGIL_SOURCE_DIR/tests/integration/rawhttp.py"
fresh_db
CI=$("$VIGIL" token create --name t-ci --role ci --product "*" 2>/dev/null)
start_server
PORT=$(cat "$T_DIR/port")
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$T_SERVER_PID/status"; }

# warm up every worker: connections, statements, the report and upload paths
for i in 1 2 3 4 5 6 7 8; do
	http GET /api/v1/health >/dev/null
	http POST /api/v1/reports -H 'Content-Type: application/json' -d '{}' >/dev/null
	http POST /api/v1/sbom/validate -H "X-Api-Key: $CI" -d '{}' >/dev/null
done
IDLE=$(hwm)
ok "idle peak read ($IDLE kB)" test "$IDLE" -gt 0

$RAW flood "$PORT" /api/v1/reports 62914560 8 >"$T_DIR/anon.out" 2>&1 &
a=$!
$RAW flood "$PORT" /api/v1/sbom/validate 20971520 3 "X-Api-Key: $CI" >"$T_DIR/ci.out" 2>&1 &
c=$!
wait $a
wait $c
PEAK=$(hwm)

check_eq "every anonymous 60 MiB report refused on its headers" "$(tr ' ' '\n' <"$T_DIR/anon.out" | grep -cvE '^(413|reset)$')" 0
check_contains "... with 413" "$(cat "$T_DIR/anon.out")" "413"
check_eq "the three uploads streamed and judged" "$(cat "$T_DIR/ci.out")" "422 422 422"
GROWTH=$((PEAK - IDLE))
ok "peak resident size grew by $GROWTH kB (bound 65536 kB)" test "$GROWTH" -lt 65536
check_eq "still serving" "$(http GET /api/v1/health)" 200
finish
