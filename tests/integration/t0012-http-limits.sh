#!/bin/sh
# The server keeps attackers out (issue 16 items 2, 3, 8): a request is
# judged on its headers before its body is read (early 401/413), each route
# has its own body limit, large bodies stream to a temporary file, a budget
# of bodies in flight, framing that could smuggle a request is refused, slow
# headers and bodies are cut off, connections per address are capped, and
# X-Forwarded-For / X-Forwarded-Proto count only from trusted proxies (HSTS
# only when secure).
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
RAW="python3 $VIGIL_SOURCE_DIR/tests/integration/rawhttp.py"
fresh_db
ADM=$(admin_token)
CI=$("$VIGIL" token create --name t-ci --role ci --product "*" 2>/dev/null)
port() { cat "$T_DIR/port"; }
# raw NAME: send $T_DIR/NAME.req over a raw socket; first line of the output is the status
raw() { $RAW send "$(port)" "$T_DIR/$1.req" >"$T_DIR/$1.out" 2>&1; head -1 "$T_DIR/$1.out"; }

VIGIL_SERVER_MAX_CONNS_PER_ADDR=4 start_server

# ---- early answers: headers of a huge body, and no body at all ----
printf 'POST /api/v1/users HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 62914560\n\n' >"$T_DIR/anon.req"
check_eq "anonymous huge body: 401 on the headers, body never sent" "$(raw anon)" 401
printf 'POST /api/v1/users HTTP/1.1\nHost: x\nX-Api-Key: %s\nContent-Type: application/json\nContent-Length: 62914560\n\n' "$ADM" >"$T_DIR/big.req"
check_eq "authorized huge body: 413 on the headers" "$(raw big)" 413
check_contains "413 names the limit of the route" "$(cat "$T_DIR/big.out")" "limit of 65536 bytes"
printf 'POST /api/v1/reports HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 62914560\n\n' >"$T_DIR/rep.req"
check_eq "anonymous report of 60 MiB: 413 on the headers" "$(raw rep)" 413
AUD=$("$VIGIL" token create --name t-aud --role auditor 2>/dev/null)
printf 'POST /api/v1/users HTTP/1.1\nHost: x\nX-Api-Key: %s\nContent-Length: 62914560\n\n' "$AUD" >"$T_DIR/forb.req"
check_eq "wrong role: 403 on the headers" "$(raw forb)" 403
printf 'POST /api/v1/nope HTTP/1.1\nHost: x\nContent-Length: 62914560\n\n' >"$T_DIR/nf.req"
check_eq "unknown route: 404 on the headers" "$(raw nf)" 404

# ---- per-route limits ----
head -c 100000 /dev/zero | tr '\0' ' ' >"$T_DIR/100k"
check_eq "small route (64 KiB): 100 KB refused" "$(http POST /api/v1/products -H "X-Api-Key: $ADM" --data-binary @"$T_DIR/100k")" 413
check_eq "413 is a JSON error" "$(body | jq -r .error.code)" "too_large"
check_eq "chunked body over the route limit: 413" "$(http POST /api/v1/products -H "X-Api-Key: $ADM" -H 'Transfer-Encoding: chunked' --data-binary @"$T_DIR/100k")" 413
check_eq "text route (256 KiB): 100 KB admitted to the handler" "$(http POST /api/v1/reports --data-binary @"$T_DIR/100k")" 400
check_eq "... which names what is wrong" "$(body | jq -r .error.code)" "parse_error"
head -c 300000 /dev/zero | tr '\0' ' ' >"$T_DIR/300k"
check_eq "text route: 300 KB refused" "$(http POST /api/v1/reports --data-binary @"$T_DIR/300k")" 413
check_eq "upload route: 300 KB admitted (streamed), then judged" "$(http POST /api/v1/sbom/validate -H "X-Api-Key: $CI" --data-binary @"$T_DIR/300k")" 422

# ---- a large authorized upload streams to a temporary file and still imports ----
check_eq "product" "$(http POST /api/v1/products -H "X-Api-Key: $ADM" -d '{"name":"big"}')" 201
python3 - "$T_DIR/big.json" <<'EOF'
import json, sys
comps = [{"type": "library", "bom-ref": "c%d" % i, "name": "component-%d" % i,
          "version": "1.%d.0" % i, "purl": "pkg:npm/component-%d@1.%d.0" % (i, i),
          "description": "x" * 120} for i in range(15000)]
json.dump({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": comps},
          open(sys.argv[1], "w"))
EOF
SIZE=$(wc -c <"$T_DIR/big.json")
ok "the SBOM is several MB ($SIZE bytes)" test "$SIZE" -gt 3000000
check_eq "4 MB SBOM upload imports" "$(http POST /api/v1/products/big/versions/1.0/sboms -H "X-Api-Key: $CI" --data-binary @"$T_DIR/big.json")" 201
check_eq "every component stored" "$(body | jq -r .components)" 15000
ID=$(body | jq -r .id)
check_eq "original kept byte for byte" "$(curl -s -H "X-Api-Key: $ADM" "$BASE/api/v1/sboms/$ID/original" | cmp - "$T_DIR/big.json" && echo same)" same
check_eq "no temporary file left behind" "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'vigil-body-*' -user "$(id -u)" 2>/dev/null | wc -l)" 0

# ---- framing that could smuggle a request past a proxy: 400 ----
printf 'POST /api/v1/reports HTTP/1.1\nHost: x\nContent-Length: 2\nContent-Length: 30\n\n{}' >"$T_DIR/cl2.req"
check_eq "two different Content-Length: 400" "$(raw cl2)" 400
check_contains "named" "$(cat "$T_DIR/cl2.out")" "Content-Length headers with different values"
printf 'POST /api/v1/reports HTTP/1.1\nHost: x\nContent-Length: 7\nTransfer-Encoding: chunked\n\n0\r\n\r\n' >"$T_DIR/clte.req"
check_eq "Content-Length with Transfer-Encoding: 400" "$(raw clte)" 400
check_contains "named" "$(cat "$T_DIR/clte.out")" "both Content-Length and Transfer-Encoding"
printf 'POST /api/v1/reports HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\nContent-Length: 7\n\n0\r\n\r\n' >"$T_DIR/tecl.req"
check_eq "Transfer-Encoding before Content-Length: 400" "$(raw tecl)" 400
printf 'POST /api/v1/reports HTTP/1.1\nHost: x\nTransfer-Encoding: gzip, chunked\n\n0\r\n\r\n' >"$T_DIR/te.req"
check_eq "a coding other than chunked: 400" "$(raw te)" 400
printf 'POST /api/v1/reports HTTP/1.1\nHost: x\nTransfer-Encoding : chunked\nContent-Length: 2\n\n{}' >"$T_DIR/ws.req"
check_eq "whitespace before the colon: 400" "$(raw ws)" 400
printf 'GET /api/v1/health HTTP/1.1\nHost: x\nContent-Length: 0\nContent-Length: 0\nConnection: close\n\n' >"$T_DIR/same.req"
check_eq "repeated equal Content-Length is fine" "$(raw same)" 200

# ---- connections per address ----
check_eq "a fifth connection from one address is refused, the four are served" "$($RAW conns "$(port)" 4)" "extra:refused first:200"
i=0
until [ "$(http GET /api/v1/health)" = 200 ] || [ $i -gt 50 ]; do i=$((i + 1)); sleep 0.1; done
check_eq "served again once they closed" "$(http GET /api/v1/health)" 200

# ---- no trusted proxy: the peer is the client, X-Forwarded-* ignored ----
check_eq "user created" "$(http POST /api/v1/users -H "X-Api-Key: $ADM" -H 'X-Forwarded-For: 198.51.100.7' -H 'X-Forwarded-Proto: https' -d '{"name":"u1","role":"auditor","password":"pw-u1-123456"}')" 201
check_eq "X-Forwarded-For ignored from an untrusted peer" "$(db_sql "SELECT remote FROM audit_log ORDER BY seq DESC LIMIT 1")" "127.0.0.1"
check_not_contains "no HSTS from an untrusted peer" "$(cat "$T_DIR/headers")" "Strict-Transport-Security"
ok "refusals counted" sh -c "curl -s -H 'X-Api-Key: $ADM' '$BASE/metrics' | grep -E '^vigil_http_refused_total[{]reason=\"per_address_limit\"[}] [1-9]'"
stop_server

# ---- a bad setting stops the server with a clear error ----
VIGIL_SERVER_TRUSTED_PROXIES="10.0.0.0/8, banana" "$VIGIL" serve --listen 127.0.0.1:0 >"$T_DIR/bad.out" 2>&1
check_eq "bad trusted_proxies: the server does not start" "$?" 1
check_contains "the setting and entry are named" "$(cat "$T_DIR/bad.out")" "server.trusted_proxies: 'banana' (entry 2)"

# ---- trusted proxies ----
VIGIL_SERVER_TRUSTED_PROXIES="10.0.0.0/8, 127.0.0.1" start_server
check_eq "user via proxy" "$(http POST /api/v1/users -H "X-Api-Key: $ADM" -H 'X-Forwarded-For: 203.0.113.9, 198.51.100.7, 10.1.2.3' -d '{"name":"u2","role":"auditor","password":"pw-u2-123456"}')" 201
check_eq "client: the right-most address that is not a trusted proxy" "$(db_sql "SELECT remote FROM audit_log ORDER BY seq DESC LIMIT 1")" "198.51.100.7"
check_not_contains "no HSTS without X-Forwarded-Proto: https" "$(cat "$T_DIR/headers")" "Strict-Transport-Security"
check_eq "health via https proxy" "$(http GET /api/v1/health -H 'X-Forwarded-Proto: https')" 200
check_contains "HSTS when reached over https through a trusted proxy" "$(cat "$T_DIR/headers")" "Strict-Transport-Security: max-age=31536000"
check_eq "401 via https proxy" "$(http GET /api/v1/whoami -H 'X-Forwarded-Proto: https')" 401
check_contains "HSTS on errors too" "$(cat "$T_DIR/headers")" "Strict-Transport-Security: max-age=31536000"
check_eq "user with a garbage hop" "$(http POST /api/v1/users -H "X-Api-Key: $ADM" -H 'X-Forwarded-For: 198.51.100.8, junk' -d '{"name":"u3","role":"auditor","password":"pw-u3-123456"}')" 201
check_eq "a malformed hop stops the walk at the last trusted one" "$(db_sql "SELECT remote FROM audit_log ORDER BY seq DESC LIMIT 1")" "127.0.0.1"
stop_server

# ---- slow clients are cut off ----
VIGIL_SERVER_HEADER_TIMEOUT=2 VIGIL_SERVER_BODY_TIMEOUT=2 start_server
R=$($RAW trickle-headers "$(port)")
check_contains "a client trickling headers is disconnected" "$R" "closed after"
check_eq "... well before it is done" "$(echo "$R" | awk '{ print ($3 < 20) ? "early" : "late" }')" early
R=$($RAW trickle-body "$(port)" /api/v1/reports)
check_contains "a client trickling a body is disconnected" "$R" "closed after"
check_eq "... well before it is done" "$(echo "$R" | awk '{ print ($3 < 20) ? "early" : "late" }')" early
check_eq "others are still served" "$(http GET /api/v1/health)" 200
ok "timeouts counted" sh -c "curl -s -H 'X-Api-Key: $ADM' '$BASE/metrics' | grep -E '^vigil_http_refused_total[{]reason=\"timeout\"[}] [1-9]'"
stop_server

# ---- the budget of bodies in flight: the public may hold half of it ----
VIGIL_SERVER_BODY_BUDGET=1M start_server --body-limit 1048576
$RAW send "$(port)" /dev/stdin >"$T_DIR/hold.out" 2>&1 <<EOF &
POST /report HTTP/1.1
Host: x
Content-Type: multipart/form-data; boundary=b
Content-Length: 400000

EOF
hold=$!
sleep 1
printf 'POST /report HTTP/1.1\nHost: x\nContent-Type: multipart/form-data; boundary=b\nContent-Length: 400000\n\n' >"$T_DIR/b2.req"
check_eq "a second public body past half the budget: 503 on the headers" "$(raw b2)" 503
check_contains "with Retry-After" "$(cat "$T_DIR/b2.out")" "Retry-After: 5"
check_eq "staff and CI are not crowded out" "$(http POST /api/v1/sbom/validate -H "X-Api-Key: $CI" --data-binary @"$T_DIR/300k")" 422
wait $hold
check_eq "the held body timed out on the client side, not answered" "$(head -1 "$T_DIR/hold.out")" timeout
i=0
until [ "$(http POST /report -H 'Content-Type: multipart/form-data; boundary=b' --data-binary @"$T_DIR/300k")" != 503 ] || [ $i -gt 50 ]; do i=$((i + 1)); sleep 0.1; done
check_eq "budget given back once the request ended" "$(http POST /report -H 'Content-Type: multipart/form-data; boundary=b' --data-binary @"$T_DIR/300k")" 400
stop_server
finish
