#!/bin/sh
# The server: health, JSON errors, body limits, OpenAPI covering every route,
# metrics, security headers, graceful shutdown.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
TOK=$(admin_token)
start_server --body-limit 4096

check_eq "health is public" "$(http GET /api/v1/health)" 200
check_eq "health says ok" "$(body | jq -r .status)" "ok"
check_eq "anonymous health: status only (no version, no details)" "$(body | jq -c 'keys')" '["status"]'
check_eq "health with a token" "$(http GET /api/v1/health -H "Authorization: Bearer $TOK")" 200
check_eq "health names the schema version" "$(body | jq -r .schema_version)" "$("$VIGIL" init --json | jq -r .schema_version)"
check_eq "health names the version to a caller with credentials" "$(body | jq -r .version)" "$("$VIGIL" --version | awk '{ print $2 }')"
check_contains "CSP header" "$(cat "$T_DIR/headers")" "Content-Security-Policy: default-src 'none'"
check_contains "nosniff header" "$(cat "$T_DIR/headers")" "X-Content-Type-Options: nosniff"

check_eq "unknown route 404" "$(http GET /api/v1/nope)" 404
check_eq "404 is a JSON error" "$(body | jq -r .error.code)" "not_found"
check_eq "wrong method 405" "$(http PATCH /api/v1/health)" 405
check_eq "405 is a JSON error" "$(body | jq -r .error.code)" "method_not_allowed"

check_eq "no credentials 401" "$(http GET /api/v1/whoami)" 401
check_eq "401 is a JSON error" "$(body | jq -r .error.code)" "unauthorized"
check_eq "bad token 401" "$(http GET /api/v1/whoami -H 'Authorization: Bearer vgl_nope')" 401
check_eq "bearer token" "$(http GET /api/v1/whoami -H "Authorization: Bearer $TOK")" 200
check_eq "whoami names the token" "$(body | jq -r .name)" "token:t-admin"
check_eq "X-Api-Key token" "$(http GET /api/v1/whoami -H "X-Api-Key: $TOK")" 200

# Malformed JSON: 400 with the byte offset.
check_eq "malformed JSON 400" "$(http POST /api/v1/users -H "X-Api-Key: $TOK" -d '{"name": "x", role}')" 400
check_eq "malformed JSON code" "$(body | jq -r .error.code)" "parse_error"
check_contains "malformed JSON names the byte offset" "$(body | jq -r .error.message)" "byte 18"
check_eq "missing fields 400" "$(http POST /api/v1/users -H "X-Api-Key: $TOK" -d '{"name":"x"}')" 400

# Body size limit (4096 here): 413, announced or streamed.
head -c 5000 /dev/zero | tr '\0' 'a' >"$T_DIR/big"
check_eq "oversized body 413" "$(http POST /api/v1/users -H "X-Api-Key: $TOK" --data-binary @"$T_DIR/big")" 413
check_eq "413 is a JSON error" "$(body | jq -r .error.code)" "too_large"
check_eq "oversized chunked body 413" "$(http POST /api/v1/users -H "X-Api-Key: $TOK" -H 'Transfer-Encoding: chunked' --data-binary @"$T_DIR/big")" 413
check_eq "body under the limit accepted" "$(http POST /api/v1/users -H "X-Api-Key: $TOK" -d '{"name":"eve","role":"auditor","password":"pw-eve-1234"}')" 201

# OpenAPI: every route of the table is in the document, with its method and security.
check_eq "openapi is public" "$(http GET /api/v1/openapi.json)" 200
body >"$T_DIR/openapi.json"
check_eq "openapi version" "$(jq -r .openapi "$T_DIR/openapi.json")" "3.1.0"
"$VIGIL" routes --json >"$T_DIR/routes.json"
missing=$(jq -r '.[] | select(.hidden | not) | "\(.method) \(.path)"' "$T_DIR/routes.json" | while read -r m p; do
	lm=$(printf '%s' "$m" | tr 'A-Z' 'a-z')
	jq -e --arg p "$p" --arg m "$lm" '.paths[$p][$m]' "$T_DIR/openapi.json" >/dev/null || echo "$m $p"
done)
check_eq "every route is in the OpenAPI document" "$missing" ""
extra=$(jq -r '.paths | to_entries[] | .key as $p | .value | keys[] | "\(ascii_upcase) \($p)"' "$T_DIR/openapi.json" | while read -r m p; do
	jq -e --arg p "$p" --arg m "$m" '.[] | select(.path == $p and .method == $m)' "$T_DIR/routes.json" >/dev/null || echo "$m $p"
done)
check_eq "no OpenAPI path without a route" "$extra" ""
check_eq "public routes have no security" "$(jq -c '.paths["/api/v1/health"].get.security' "$T_DIR/openapi.json")" "[]"
check_eq "roles are documented" "$(jq -c '.paths["/api/v1/users"].post["x-vigil-roles"]' "$T_DIR/openapi.json")" '["admin"]'

# Metrics in Prometheus text format.
check_eq "metrics need credentials" "$(http GET /metrics)" 401
check_eq "metrics for admin" "$(http GET /metrics -H "X-Api-Key: $TOK")" 200
check_contains "request counter" "$(body)" 'vigil_http_requests_total{method="GET",route="/api/v1/health",status="2xx"}'
check_contains "latency histogram" "$(body)" 'vigil_http_request_duration_seconds_bucket'
check_contains "db gauge" "$(body)" 'vigil_db_connections'
check_contains "metrics content type" "$(cat "$T_DIR/headers")" "text/plain; version=0.0.4"

# Graceful shutdown: a request being uploaded when SIGTERM arrives still gets its answer.
head -c 3000 /dev/zero | tr '\0' 'b' >"$T_DIR/slow"
curl -s -o "$T_DIR/slow.out" -w '%{http_code}' --limit-rate 1000 -X POST -H "X-Api-Key: $TOK" \
	--data-binary @"$T_DIR/slow" "$BASE/api/v1/users" >"$T_DIR/slow.code" &
cpid=$!
sleep 1
kill -TERM "$T_SERVER_PID"
wait "$cpid"
check_eq "in-flight request finished after SIGTERM" "$(cat "$T_DIR/slow.code")" 400
wait "$T_SERVER_PID"
check_eq "server exited cleanly" "$?" 0
T_SERVER_PID=""
check_contains "shutdown logged" "$(cat "$T_DIR/server.log")" "stopped"
check_eq "database intact after shutdown" "$(run_cmd "$VIGIL" audit verify)" 0
finish
