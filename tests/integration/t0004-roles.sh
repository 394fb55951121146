#!/bin/sh
# The route x role matrix: every route of the table, requested with no
# credentials and with a token of every role, answers 401 / 403 / success
# exactly as its declared roles say; a ci token scoped to other products is
# refused (403) on every ci route naming a product; token scopes (create,
# list, patterns, the API) and uploads in and outside a scope.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
for r in admin psirt auditor ci device; do
	scope=
	[ "$r" = ci ] && scope='*'
	"$VIGIL" token create --name "m-$r" --role "$r" ${scope:+--product "$scope"} >"$T_DIR/tok.$r" 2>/dev/null
done
# a ci token scoped to other products than the matrix's placeholder
"$VIGIL" token create --name m-ci-scoped --role ci --product 'acme-*, tool?' >"$T_DIR/tok.scoped" 2>/dev/null
# a configured security.txt, so that /.well-known/security.txt has something to serve
VIGIL_SECURITYTXT_CONTACT=mailto:psirt@example.com
export VIGIL_SECURITYTXT_CONTACT
start_server
"$VIGIL" routes --json >"$T_DIR/routes.json"
n=$(jq length "$T_DIR/routes.json")
check_eq "route table is not empty" "$([ "$n" -gt 5 ] && echo yes)" "yes"

# the matrix in one python process (route_matrix.py: the rules, one
# keep-alive connection); its ok / FAIL lines are added up here
python3 "$VIGIL_SOURCE_DIR/tests/integration/route_matrix.py" "$BASE" "$T_DIR/routes.json" "$T_DIR" \
	>"$T_DIR/matrix.out" 2>&1
check_eq "the matrix ran to its end" "$?" 0
tally "$T_DIR/matrix.out"
check_eq "every route of the table was asked" "$(sed -n 's/^# \([0-9]*\) routes asked$/\1/p' "$T_DIR/matrix.out")" "$n"

# ---- CI tokens scoped to products (issue 16, item 4) ----
# Creating: a ci token needs a scope, '*' only when asked for.
ok "ci token without --product refused" test "$(run_cmd "$VIGIL" token create --name s0 --role ci)" -ne 0
check_contains "the error says how to ask for every product" "$(cat "$T_DIR/err")" "--product '*'"
ok "a scope on another role refused" test "$(run_cmd "$VIGIL" token create --name s1 --role admin --product acme)" -ne 0
check_contains "and says why" "$(cat "$T_DIR/err")" "ci tokens only"
ok "an empty pattern refused" test "$(run_cmd "$VIGIL" token create --name s2 --role ci --product 'acme,,x')" -ne 0
ok "a pattern with / refused" test "$(run_cmd "$VIGIL" token create --name s3 --role ci --product 'a/b')" -ne 0
check_eq "nothing half-made" "$("$VIGIL" token list --json | jq '[.[] | select(.name | test("^s[0-3]$"))] | length')" 0
# Listing: the scope as an array (table and --json).
"$VIGIL" token list --json >"$T_DIR/tl.json"
check_eq "list --json shows the scope" "$(jq -c '.[] | select(.name=="m-ci-scoped") | .products' "$T_DIR/tl.json")" '["acme-*","tool?"]'
check_eq "other roles have none" "$(jq -c '.[] | select(.name=="m-admin") | .products' "$T_DIR/tl.json")" null
check_contains "list shows the scope" "$("$VIGIL" token list)" 'acme-*'
# A ci token from before the migration (no scope stored) keeps every product.
"$VIGIL" token create --name legacy --role ci --product '*' >"$T_DIR/tok.legacy" 2>/dev/null
db_sql "UPDATE api_tokens SET products = NULL WHERE name = 'legacy'"
check_eq "legacy ci token listed as '*'" "$("$VIGIL" token list --json | jq -c '.[] | select(.name=="legacy") | .products')" '["*"]'
# Through the API.
ADM=$(cat "$T_DIR/tok.admin")
SC=$(cat "$T_DIR/tok.scoped")
check_eq "API: ci token without products 400" "$(http POST /api/v1/tokens -H "Authorization: Bearer $ADM" -d '{"name":"a0","role":"ci"}')" 400
check_contains "API: the 400 says how" "$(body | jq -r .error.message)" "--product '*'"
check_eq "API: ci token with products" "$(http POST /api/v1/tokens -H "Authorization: Bearer $ADM" -d '{"name":"a1","role":"ci","products":["acme-*","tool"]}')" 201
check_eq "API: the scope answered" "$(body | jq -r .products)" "acme-*,tool"
check_eq "API: bad products 400" "$(http POST /api/v1/tokens -H "Authorization: Bearer $ADM" -d '{"name":"a2","role":"ci","products":[1]}')" 400
check_eq "API: list shows the scope" "$(http GET /api/v1/tokens -H "Authorization: Bearer $ADM" >/dev/null; body | jq -c '.tokens[] | select(.name=="a1") | .products')" '["acme-*","tool"]'
check_eq "whoami shows the scope" "$(http GET /api/v1/whoami -H "Authorization: Bearer $SC" >/dev/null; body | jq -r .products)" "acme-*,tool?"
# Using: in scope 2xx, outside 403 naming the product; patterns * and ?.
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"a","version":"1","purl":"pkg:pypi/a@1"}]}' >"$T_DIR/bom.json"
for pr in acme-web tool1 tool12 other; do
	check_eq "create $pr (admin)" "$(http POST /api/v1/products -H "Authorization: Bearer $ADM" -d "{\"name\":\"$pr\"}")" 201
done
up() { http POST "/api/v1/products/$2/versions/1/sboms" -H "Authorization: Bearer $1" --data-binary @"$T_DIR/bom.json"; }
check_eq "in scope (acme-*): 201" "$(up "$SC" acme-web)" 201
check_eq "in scope (tool?): 201" "$(up "$SC" tool1)" 201
check_eq "tool? is one character: tool12 403" "$(up "$SC" tool12)" 403
check_eq "outside the scope: 403" "$(up "$SC" other)" 403
check_contains "the 403 names the product" "$(body | jq -r .error.message)" "'other'"
check_eq "nothing stored outside the scope" "$("$VIGIL" sbom list --product other --json | jq length)" 0
check_eq "the legacy ci token: every product" "$(up "$(cat "$T_DIR/tok.legacy")" other)" 201
check_eq "a '*' token: every product" "$(up "$(cat "$T_DIR/tok.ci")" tool12)" 201
check_eq "product list: only the scope's" "$(http GET /api/v1/products -H "Authorization: Bearer $SC" >/dev/null; body | jq -r '[.products[].name] | join(",")')" "acme-web,tool1"
b64=$(base64 -w0 "$T_DIR/bom.json")
dt() { printf '{"projectName":"%s","projectVersion":"2","autoCreate":%s,"bom":"%s"}' "$2" "$3" "$b64" >"$T_DIR/dt.json"; http PUT /api/v1/bom -H "X-Api-Key: $1" -H 'Content-Type: application/json' --data-binary @"$T_DIR/dt.json"; }
check_eq "DT PUT in scope: 200" "$(dt "$SC" acme-web false)" 200
check_eq "DT PUT outside the scope: 403" "$(dt "$SC" other false)" 403
check_eq "DT POST outside the scope: 403" "$(http POST /api/v1/bom -H "X-Api-Key: $SC" -F projectName=other -F projectVersion=3 -F "bom=@$T_DIR/bom.json")" 403
check_eq "autoCreate by ci refused (in scope, missing product)" "$(dt "$SC" acme-new true)" 403
check_contains "the 403 says ci may not create products" "$(body | jq -r .error.message)" "may not create products"
check_eq "autoCreate by a '*' ci token refused too" "$(dt "$(cat "$T_DIR/tok.ci")" brand-new true)" 403
check_eq "no product made" "$(http GET /api/v1/products/brand-new -H "Authorization: Bearer $ADM")" 404
check_eq "autoCreate by ci on an existing product: moot, 200" "$(dt "$SC" acme-web true)" 200
check_eq "autoCreate by psirt creates" "$(dt "$(cat "$T_DIR/tok.psirt")" brand-new true)" 200

# A revoked token is refused at once.
"$VIGIL" token revoke m-psirt >/dev/null
check_eq "revoked token 401" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$T_DIR/tok.psirt")" "$BASE/api/v1/whoami")" 401
# An expired token is refused.
"$VIGIL" token create --name short --role admin --expires 2000-01-01T00:00:00Z >"$T_DIR/tok.short" 2>/dev/null
check_eq "expired token 401" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$T_DIR/tok.short")" "$BASE/api/v1/whoami")" 401
finish
