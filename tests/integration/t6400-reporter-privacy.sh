#!/bin/sh
# Reporters stay private (issue 16, items 3, 5 and 8): after anonymous
# reports through the form and the API, no clear address is left anywhere
# (the case, `vigil audit log`, /api/v1/audit, /ui/evidence, the whole
# database, the server log) and the case keeps a keyed HMAC under the key
# file, not sha256(address); the audit record's remote is "anon:" and a
# prefix of that HMAC. The report rate counts per address (a second
# address still gets through; a burst from one address sent to two servers
# on one database gets exactly the limit), the message rate per report
# (likewise for a burst).
# Address hashes are forgotten after psirt.reporter_addr_days (`vigil case
# forget-addresses`). An older record holding an address is shown keyed.
# The portal's product list offers only products marked public (CLI
# --public yes|no, API "public"); any product name is still accepted.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

VIGIL_SECRETS_KEY_FILE="$T_DIR/keys/secret.key"
export VIGIL_SECRETS_KEY_FILE
export VIGIL_PSIRT_FORM_SECRET=t6400-form-secret
export VIGIL_PSIRT_REPORT_RATE=3
export VIGIL_PSIRT_MESSAGE_RATE=1
fresh_db
ADMIN=$(admin_token)
"$VIGIL" token create --name t-aud --role auditor >"$T_DIR/aud.tok" 2>/dev/null
AUD=$(cat "$T_DIR/aud.tok")

# ---- products: public or not ----
"$VIGIL" product create Hidden >/dev/null
check_eq "create --public yes" "$(run_cmd "$VIGIL" product create Shown --public yes)" 0
check_eq "create --public maybe: usage" "$(run_cmd "$VIGIL" product create Odd --public maybe)" 2
check_contains "--public error names the option" "$(cat "$T_DIR/err")" "option --public 'maybe': expected yes or no"
"$VIGIL" product create Later >/dev/null
check_eq "not public by default" "$("$VIGIL" product show Later --json | jq -r .public)" false
check_eq "update --public yes" "$(run_cmd "$VIGIL" product update Later --public yes)" 0
check_eq "now public" "$("$VIGIL" product show Later --json | jq -r .public)" true
check_contains "product show says so" "$("$VIGIL" product show Later)" "public:           yes"
check_eq "product list column" "$("$VIGIL" product list --json | jq -r '[.[] | select(.public) | .name] | join(",")')" "Later,Shown"
start_server
# Staff calls come from 127.0.0.3 (their address is kept, as for every
# authenticated caller), the anonymous reporter from 127.0.0.1.
staff() {
	m=$1
	p=$2
	shift 2
	http "$m" "$p" --interface 127.0.0.3 "$@"
}
check_eq "API: create public" "$(staff POST /api/v1/products -H "Authorization: Bearer $ADMIN" \
	-H 'Content-Type: application/json' -d '{"name":"ApiShown","public":true}')" 201
check_eq "API: create answers public" "$(body | jq -r .public)" true
check_eq "API: public must be boolean" "$(staff PATCH /api/v1/products/Later -H "Authorization: Bearer $ADMIN" \
	-H 'Content-Type: application/json' -d '{"public":"yes"}')" 400
check_contains "API: error names /public" "$(body)" "/public: expected true or false"
check_eq "API: unchanged after the refusal" "$("$VIGIL" product show Later --json | jq -r .public)" true
check_eq "API: PATCH public false" "$(staff PATCH /api/v1/products/Later -H "Authorization: Bearer $ADMIN" \
	-H 'Content-Type: application/json' -d '{"public":false}')" 200
check_eq "API: PATCH answers" "$(body | jq -r .public)" false
check_contains "public change audited" "$("$VIGIL" audit log --object product:Later --json | jq -c '.[-1].after')" '"public":false'
check_eq "product page" "$(staff GET /ui/products/Shown -H "Authorization: Bearer $ADMIN")" 200
check_contains "product page shows public" "$(body)" '<dd id="product-public">yes'
check_eq "product page: not public" "$(staff GET /ui/products/Hidden -H "Authorization: Bearer $ADMIN")" 200
check_contains "product page shows not public" "$(body)" '<dd id="product-public">no'
check_eq "UI form: create public" "$(staff POST /ui/products -H "Authorization: Bearer $ADMIN" \
	--data-urlencode name=UiShown --data-urlencode public=yes)" 303
check_eq "UI form: create without the box" "$(staff POST /ui/products -H "Authorization: Bearer $ADMIN" \
	--data-urlencode name=UiHidden)" 303
check_eq "UI form: the box makes it public" "$("$VIGIL" product list --json | jq -r '[.[] | select(.name|startswith("Ui")) | "\(.name)=\(.public)"] | join(",")')" "UiHidden=false,UiShown=true"

check_eq "GET /report" "$(http GET /report)" 200
FORM=$(body)
check_contains "public product offered" "$FORM" '<option value="Shown">'
check_contains "public (API) product offered" "$FORM" '<option value="ApiShown">'
check_not_contains "non-public product not offered" "$FORM" 'Hidden'
check_contains "public (UI form) product offered" "$FORM" '<option value="UiShown">'
check_not_contains "product made non-public not offered" "$FORM" '"Later"'

# ---- an anonymous report through the form, of a product not listed ----
TOK=$(printf '%s' "$FORM" | sed -n 's/.*name="form_token" value="\([^"]*\)".*/\1/p')
check_eq "form report for an unlisted product" "$(http POST /report -F "form_token=$TOK" -F 'product=Some other product' \
	--form-string 'description=Overflow in the parser' -F website=)" 200
TRACK=$(body | sed -n 's/.*<a id="tracking-link" href="\([^"]*\)".*/\1/p')
check_contains "tracking link given" "$TRACK" "/report/track/"
# ---- and one through the API ----
check_eq "API report" "$(http POST /api/v1/reports -H 'Content-Type: application/json' \
	-d '{"product":"Shown","description":"Auth bypass"}')" 201
TOKEN2=$(body | jq -r .token)
check_eq "two cases" "$("$VIGIL" case list --json | jq length)" 2

# ---- what is kept: a keyed HMAC, no address ----
PLAIN=$(printf '127.0.0.1' | sha256sum | cut -d' ' -f1)
KEYED=$(python3 - "$VIGIL_SECRETS_KEY_FILE" <<'EOF'
import hashlib, hmac, sys
master = open(sys.argv[1], 'rb').read()
k = hmac.new(master, b'vigil/reporter-addr', hashlib.sha256).digest()
print(hmac.new(k, b'127.0.0.1', hashlib.sha256).hexdigest())
EOF
)
check_eq "key file made 0600 outside the database" "$(stat -c %a "$VIGIL_SECRETS_KEY_FILE")" 600
check_eq "case keeps the keyed HMAC" "$(db_sql "SELECT DISTINCT reporter_addr_mac FROM psirt_cases")" "$KEYED"
check_eq "not sha256(address)" "$(db_sql "SELECT COUNT(*) FROM psirt_cases WHERE reporter_addr_mac = '$PLAIN'")" 0
for c in $("$VIGIL" case list --json | jq -r '.[].id'); do
	check_not_contains "case $c: no address" "$("$VIGIL" case show "$c" --json)" "127.0.0.1"
	check_not_contains "case $c: no plain hash" "$("$VIGIL" case show "$c" --json)" "$PLAIN"
done
ANON="anon:$(printf '%s' "$KEYED" | cut -c1-16)"
LOG=$("$VIGIL" audit log --json)
check_not_contains "audit log: no address" "$LOG" "127.0.0.1"
check_not_contains "audit log: no plain hash" "$LOG" "$PLAIN"
check_not_contains "audit log: no full HMAC" "$LOG" "$KEYED"
check_eq "audit remote of both reports is keyed" \
	"$(printf '%s' "$LOG" | jq -r '[.[] | select(.action=="case.received") | .remote] | unique | join(",")')" "$ANON"
check_eq "GET /api/v1/audit" "$(staff GET '/api/v1/audit?limit=1000' -H "Authorization: Bearer $AUD")" 200
check_contains "API: the report's record is there" "$(body)" "case.received"
check_not_contains "API audit: no address" "$(body)" "127.0.0.1"
check_eq "GET /ui/evidence" "$(staff GET /ui/evidence -H "Authorization: Bearer $AUD")" 200
check_contains "evidence: keyed remote shown" "$(body)" "<td>$ANON</td>"
check_not_contains "evidence: no address" "$(body)" "127.0.0.1"
check_not_contains "evidence: no plain hash" "$(body)" "$PLAIN"
check_eq "audit chain intact" "$(run_cmd "$VIGIL" audit verify)" 0
if [ -n "${VIGIL_TEST_PG:-}" ]; then
	pg_dump --data-only "$VIGIL_DB" >"$T_DIR/dump" 2>/dev/null
else
	sqlite3 "$VIGIL_DB" .dump >"$T_DIR/dump"
fi
ok "database dump taken" grep -q 'case.received' "$T_DIR/dump"
check_eq "database: no address anywhere" "$(grep -c '127\.0\.0\.1' "$T_DIR/dump")" 0
check_eq "database: no plain hash anywhere" "$(grep -c "$PLAIN" "$T_DIR/dump")" 0
ok "a staff address is kept" grep -q '127\.0\.0\.3' "$T_DIR/dump"
check_eq "server log: no address but the listener's and the database's" \
	"$(grep -v -e 'listen' -e 'database' "$T_DIR/server.log" | grep -c '127\.0\.0\.1')" 0

# ---- rate limits: per address, per report ----
check_eq "third report from this address" "$(http POST /api/v1/reports -H 'Content-Type: application/json' \
	-d '{"product":"Shown","description":"three"}')" 201
check_eq "fourth report from this address: 429" "$(http POST /api/v1/reports -H 'Content-Type: application/json' \
	-d '{"product":"Shown","description":"four"}')" 429
check_contains "rate message" "$(body)" "too many reports from this address"
check_eq "another address still reports" "$(http POST /api/v1/reports --interface 127.0.0.2 -H 'Content-Type: application/json' \
	-d '{"product":"Shown","description":"from elsewhere"}')" 201
# eight reports at once from a fresh address: exactly the limit gets through
# (the count and the insert are atomic per address, also on PostgreSQL)
# sent to two servers on the one database
"$VIGIL" serve --listen 127.0.0.1:0 --port-file "$T_DIR/port2" >"$T_DIR/server2.log" 2>&1 &
SERVER2=$!
i=0
while [ ! -s "$T_DIR/port2" ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
BASE2="http://127.0.0.1:$(cat "$T_DIR/port2")"
i=0
PIDS=""
while [ $i -lt 8 ]; do
	b=$BASE
	[ $((i % 2)) -eq 1 ] && b=$BASE2
	curl -s -o /dev/null -w '%{http_code}\n' --interface 127.0.0.4 -X POST -H 'Content-Type: application/json' \
		-d "{\"product\":\"Shown\",\"description\":\"burst $i\"}" "$b/api/v1/reports" >"$T_DIR/burst.$i" &
	PIDS="$PIDS $!"
	i=$((i + 1))
done
for p in $PIDS; do wait "$p"; done
# six messages at once on one report (rate 1 per report): exactly one
check_eq "a report for the message burst" "$(http POST /api/v1/reports --interface 127.0.0.5 -H 'Content-Type: application/json' \
	-d '{"product":"Shown","description":"messages"}')" 201
TOKEN3=$(body | jq -r .token)
i=0
PIDS=""
while [ $i -lt 6 ]; do
	b=$BASE
	[ $((i % 2)) -eq 1 ] && b=$BASE2
	curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
		-d "{\"body\":\"message $i\"}" "$b/api/v1/reports/$TOKEN3/messages" >"$T_DIR/mburst.$i" &
	PIDS="$PIDS $!"
	i=$((i + 1))
done
for p in $PIDS; do wait "$p"; done
kill -TERM "$SERVER2"
wait "$SERVER2"
check_eq "a burst of messages on one report: 1 accepted" "$(cat "$T_DIR"/mburst.* | grep -c 201)" 1
check_eq "a burst of messages on one report: 5 refused" "$(cat "$T_DIR"/mburst.* | grep -c 429)" 5
check_eq "a burst from one address: 3 accepted" "$(cat "$T_DIR"/burst.* | grep -c 201)" 3
check_eq "a burst from one address: 5 refused" "$(cat "$T_DIR"/burst.* | grep -c 429)" 5
check_eq "four address hashes kept" "$(db_sql "SELECT COUNT(DISTINCT reporter_addr_mac) FROM psirt_cases")" 4
check_not_contains "the other address is not kept either" "$("$VIGIL" audit log --json)" "127.0.0.2"
check_eq "message on report 2" "$(http POST "/api/v1/reports/$TOKEN2/messages" -H 'Content-Type: application/json' \
	-d '{"body":"more detail"}')" 201
check_eq "second message on report 2: 429" "$(http POST "/api/v1/reports/$TOKEN2/messages" -H 'Content-Type: application/json' \
	-d '{"body":"even more"}')" 429
check_eq "message on report 1 still accepted" "$(http POST "$TRACK/messages" --data-urlencode 'body=hello')" 303
check_not_contains "message records keep no address" "$("$VIGIL" audit log --json | jq -c '[.[] | select(.action=="case.message")]')" "127.0.0.1"

# ---- retention: forget the hashes ----
check_eq "forget-addresses keeps the last hour" "$(run_cmd "$VIGIL" case forget-addresses --days 0)" 0
check_contains "nothing forgotten yet" "$(cat "$T_DIR/out")" "forgotten: 0 case"
check_eq "bad --days" "$(run_cmd "$VIGIL" case forget-addresses --days -1)" 2
LATER=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)
check_eq "two hours later, --days 0" "$(VIGIL_NOW=$LATER run_cmd "$VIGIL" case forget-addresses --days 0)" 0
check_contains "all forgotten" "$(cat "$T_DIR/out")" "forgotten: 8 case"
check_eq "no hash left" "$(db_sql "SELECT COUNT(*) FROM psirt_cases WHERE reporter_addr_mac IS NOT NULL")" 0
check_eq "forgetting audited" "$("$VIGIL" audit log --object 'case:*' --json | jq -r '.[-1] | "\(.action) \(.after.cases)"')" "case.addresses_forgotten 8"
check_eq "audit chain still intact" "$(run_cmd "$VIGIL" audit verify)" 0

# ---- a record written before 0018 (address in clear) is shown keyed ----
SEQ=$("$VIGIL" audit log --json | jq -r '[.[] | select(.action=="case.received")][0].seq')
db_sql "UPDATE audit_log SET remote = '127.0.0.1' WHERE seq = $SEQ"
check_eq "legacy record: audit log shows it keyed" "$("$VIGIL" audit log --json | jq -r ".[] | select(.seq==$SEQ) | .remote")" "$ANON"
check_eq "legacy record: evidence page" "$(staff GET /ui/evidence -H "Authorization: Bearer $AUD")" 200
check_not_contains "legacy record: no address on the page" "$(body)" "<td>127.0.0.1</td>"
check_eq "the stored record itself is what the chain covers" "$(run_cmd "$VIGIL" audit verify)" 1

finish
