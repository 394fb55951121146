#!/bin/sh
# The programme record's scope map (issue 23 item 1) and support periods
# (item 2): add/edit/list/show/retire with --json, refusals naming the
# option or the line and column, CSV and JSON round trips, all-or-nothing
# imports, vigil's own proposals confirmed, every change audited, an
# overdue review shown and sent to the notifier once (VIGIL_NOW), the
# support period's retention end applied to SBOM retention, the API and
# the pages.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db

export VIGIL_NOW=2026-11-02T10:00:00Z
"$VIGIL" product create gateway >/dev/null
"$VIGIL" product create camera >/dev/null

# ---- add, show, list ----
check_eq "add" "$(run_cmd "$VIGIL" scope add 'Build farm' --owner 'Platform team' \
	--class product-infrastructure --review 2027-05-01 --products 'gateway, camera' \
	--rationale 'builds the firmware' --data-held 'source code' --network-zone internal --json)" 0
check_eq "add --json: the products" "$(jq -c .products "$T_DIR/out")" '["gateway","camera"]'
check_eq "add --json: assumed by default" "$(jq -r .assessment "$T_DIR/out")" assumed
check_eq "add a second" "$(run_cmd "$VIGIL" scope add 'Mail' --owner IT --class business-it --review 2026-12-01)" 0
check_eq "the name is taken" "$(run_cmd "$VIGIL" scope add 'Mail' --owner IT --class business-it --review 2026-12-01)" 1
check_contains "says so" "$(cat "$T_DIR/err")" "in the scope map already"

# ---- bad input: refused, naming the field, nothing written ----
check_eq "unknown class" "$(run_cmd "$VIGIL" scope add X --owner o --class cloud --review 2027-01-01)" 2
check_contains "names the class" "$(cat "$T_DIR/err")" "class 'cloud': expected business-it, support-infrastructure or product-infrastructure"
check_eq "review in the past" "$(run_cmd "$VIGIL" scope add X --owner o --class business-it --review 2026-11-01)" 2
check_contains "says the date is past" "$(cat "$T_DIR/err")" "review '2026-11-01': the date is in the past"
check_eq "unknown product" "$(run_cmd "$VIGIL" scope add X --owner o --class business-it --review 2027-01-01 --products nope)" 2
check_contains "names the product" "$(cat "$T_DIR/err")" "unknown product 'nope'"
check_eq "bad date" "$(run_cmd "$VIGIL" scope add X --owner o --class business-it --review 01/02/2027)" 2
check_eq "missing owner" "$(run_cmd "$VIGIL" scope add X --class business-it --review 2027-01-01)" 2
check_eq "nothing written" "$("$VIGIL" scope list --json | jq length)" 2

# ---- edit: audited with before and after, revision counted ----
check_eq "edit" "$(run_cmd "$VIGIL" scope edit Mail --assessment assessed --rationale 'no product data')" 0
check_eq "show --json: revision 2" "$("$VIGIL" scope show Mail --json | jq -r '"\(.revision) \(.assessment)"')" "2 assessed"
check_eq "edit: audited with the difference" \
	"$("$VIGIL" audit log --json | jq -r '[.[] | select(.action=="scope.edit")][0] | "\(.object_id) \(.before.assessment) \(.after.assessment)"')" \
	"Mail assumed assessed"
check_eq "edit an unknown system" "$(run_cmd "$VIGIL" scope edit Nope --owner x)" 1
check_eq "list filters by class" "$("$VIGIL" scope list --class business-it --json | jq -r '.[].name')" Mail
check_eq "list filters by product" "$("$VIGIL" scope list --product camera --json | jq -r '.[].name')" "Build farm"
check_eq "list: bad sort" "$(run_cmd "$VIGIL" scope list --sort size)" 2

# ---- vigil's own proposals ----
check_eq "three proposals" "$("$VIGIL" scope proposals --json | jq -r '[.[].key] | join(",")')" "update-server,signing,platform"
check_eq "confirm" "$(run_cmd "$VIGIL" scope confirm signing --owner 'Security team' --review 2027-02-01)" 0
check_eq "confirmed as product infrastructure" "$("$VIGIL" scope show 'vigil signing infrastructure' --json | jq -r '"\(.class) \(.proposal)"')" "product-infrastructure signing"
check_eq "not proposed again" "$("$VIGIL" scope proposals --json | jq -r '[.[].key] | join(",")')" "update-server,platform"
check_eq "confirm twice" "$(run_cmd "$VIGIL" scope confirm signing --owner x --review 2027-02-01)" 1
check_eq "confirm: audited" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="scope.confirm")] | length')" 1

# ---- CSV and JSON round trips ----
"$VIGIL" scope edit 'Build farm' --description '=HYPERLINK("x"), "quoted"
second line' >/dev/null
"$VIGIL" scope export --format csv -o "$T_DIR/map.csv"
"$VIGIL" scope export --format json -o "$T_DIR/map.json"
check_contains "CSV: a formula is defused" "$(cat "$T_DIR/map.csv")" "\"'=HYPERLINK"
strip() { jq -S '[.systems[] | del(.created_at, .updated_at, .created_by, .updated_by, .revision, .proposal)]' "$1"; }
strip "$T_DIR/map.json" >"$T_DIR/map.norm"
for fmt in csv json; do
	fresh_db
	"$VIGIL" product create gateway >/dev/null
	"$VIGIL" product create camera >/dev/null
	check_eq "$fmt import" "$(run_cmd "$VIGIL" scope import "$T_DIR/map.$fmt")" 0
	check_contains "$fmt import counts" "$(cat "$T_DIR/out")" "3 added"
	"$VIGIL" scope export --format json -o "$T_DIR/again.json"
	strip "$T_DIR/again.json" >"$T_DIR/again.norm"
	check_eq "$fmt round trip" "$(cmp -s "$T_DIR/map.norm" "$T_DIR/again.norm" && echo same)" same
	"$VIGIL" scope export --format csv -o "$T_DIR/again.csv"
	check_eq "$fmt round trip: CSV byte for byte" "$(cmp -s "$T_DIR/map.csv" "$T_DIR/again.csv" && echo same)" same
done

# ---- imports are all or nothing; errors name the line and column ----
printf 'name,owner,class,review\nA,o,business-it,2027-01-01\nB,o,cloud,2027-01-01\n' >"$T_DIR/bad1.csv"
check_eq "unknown class in row 2" "$(run_cmd "$VIGIL" scope import "$T_DIR/bad1.csv")" 1
check_contains "line and column" "$(cat "$T_DIR/err")" "bad1.csv: line 3, column 3 (class): class 'cloud'"
check_eq "nothing of it written" "$("$VIGIL" scope list --json | jq '[.[] | select(.name=="A")] | length')" 0
printf 'name,owner,review\nA,o,2027-01-01\n' >"$T_DIR/bad2.csv"
check_eq "missing column" "$(run_cmd "$VIGIL" scope import "$T_DIR/bad2.csv")" 1
check_contains "names it" "$(cat "$T_DIR/err")" "line 1: missing column 'class'"
printf 'name,owner,class,review,products\nA,o,business-it,2027-01-01,gateway\nB,o,business-it,2027-01-01,"gateway, ghost"\n' >"$T_DIR/bad3.csv"
check_eq "unknown product" "$(run_cmd "$VIGIL" scope import "$T_DIR/bad3.csv")" 1
check_contains "line and column of the product" "$(cat "$T_DIR/err")" "line 3, column 5 (products): unknown product 'ghost'"
printf 'name,owner,class,review\nA,o,business-it\n' >"$T_DIR/bad4.csv"
check_eq "short line" "$(run_cmd "$VIGIL" scope import "$T_DIR/bad4.csv")" 1
check_contains "missing cell" "$(cat "$T_DIR/err")" "line 2, column 4: missing cell"
printf 'name,owner,class,review\nA,o,business-it,2020-01-01\n' >"$T_DIR/bad5.csv"
check_eq "past review on creation" "$(run_cmd "$VIGIL" scope import "$T_DIR/bad5.csv")" 1
check_contains "says it" "$(cat "$T_DIR/err")" "line 2, column 4 (review)"
printf '{"systems":[{"name":"A","owner":"o","class":"business-it","review":"2027-01-01"},{"name":"B","owner":"o","class":"x","review":"2027-01-01"}]}' >"$T_DIR/bad.json"
check_eq "JSON: bad class" "$(run_cmd "$VIGIL" scope import "$T_DIR/bad.json")" 1
check_contains "JSON: the member" "$(cat "$T_DIR/err")" "/systems/1/class"
printf '{"systems":[{"name":"A",' >"$T_DIR/bad2.json"
check_eq "JSON: not parsable" "$(run_cmd "$VIGIL" scope import "$T_DIR/bad2.json")" 1
check_contains "JSON: line and column" "$(cat "$T_DIR/err")" "line 1, column"
printf '[{"name":"A","owner":"o","class":"business-it","review":"2027-01-01","products":["gateway",7]}]' >"$T_DIR/bad3.json"
check_eq "JSON: a product that is not a name" "$(run_cmd "$VIGIL" scope import "$T_DIR/bad3.json")" 1
check_contains "JSON: names its index" "$(cat "$T_DIR/err")" "/systems/0/products/1: expected a product name"
check_eq "still three systems" "$("$VIGIL" scope list --json | jq length)" 3

# ---- overdue reviews: shown, and sent to the notifier once ----
"$VIGIL" notify channel-add hook --kind webhook --url http://127.0.0.1:9/hook >/dev/null
"$VIGIL" notify rule-add --event 'scope.*' --channel hook >/dev/null
check_eq "not overdue yet" "$("$VIGIL" scope list --overdue --json | jq length)" 0
export VIGIL_NOW=2026-12-02T09:00:00Z
check_eq "Mail is overdue the day after" "$("$VIGIL" scope list --overdue --json | jq -r '.[].name')" Mail
check_contains "list says OVERDUE" "$("$VIGIL" scope list)" "OVERDUE"
check_contains "the alert" "$("$VIGIL" scope check-reviews)" "1 overdue review alert(s) sent"
check_contains "once" "$("$VIGIL" scope check-reviews)" "0 overdue review alert(s) sent"
check_eq "audited" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action=="scope.review_overdue")][0].object_id')" Mail
check_eq "queued for the webhook" "$("$VIGIL" notify log --json | jq -r '[.[] | select(.event=="scope.review_overdue")] | length')" 1
check_eq "review in the past refused" "$(run_cmd "$VIGIL" scope review Mail --next 2026-11-30)" 1
check_eq "review" "$(run_cmd "$VIGIL" scope review Mail --next 2027-12-01)" 0
check_eq "no longer overdue" "$("$VIGIL" scope list --overdue --json | jq length)" 0

# ---- retire: kept in the record ----
check_eq "retire" "$(run_cmd "$VIGIL" scope retire Mail --reason 'moved to a provider')" 0
check_eq "not listed" "$("$VIGIL" scope list --json | jq '[.[] | select(.name=="Mail")] | length')" 0
check_eq "listed with --all" "$("$VIGIL" scope list --all --json | jq -r '.[] | select(.name=="Mail") | .retired_at != null')" true
check_eq "retire twice" "$(run_cmd "$VIGIL" scope retire Mail)" 1

# ---- support periods ----
export VIGIL_NOW=2026-11-02T10:00:00Z
check_eq "support set" "$(run_cmd "$VIGIL" support set gateway --placed 2026-03 --support-end 2040-12 --json)" 0
check_eq "retention: support end is later" "$(jq -r .retention_end "$T_DIR/out")" 2041-01-01T00:00:00Z
check_eq "updates available" "$(jq -r .updates_available_until "$T_DIR/out")" 2051-01-01T00:00:00Z
check_eq "support set camera" "$(run_cmd "$VIGIL" support set camera --placed 2026-03-15 --support-end 2030-06 --json)" 0
check_eq "retention: 10 years after placing" "$(jq -r .retention_end "$T_DIR/out")" 2036-03-15T00:00:00Z
check_eq "end before placing" "$(run_cmd "$VIGIL" support set camera --placed 2026-03 --support-end 2025-01)" 1
check_contains "says so" "$(cat "$T_DIR/err")" "before the product was placed on the market"
check_eq "bad month" "$(run_cmd "$VIGIL" support set camera --placed 2026-13 --support-end 2030-01)" 1
check_contains "names the option" "$(cat "$T_DIR/err")" "--placed '2026-13'"
check_eq "unknown product" "$(run_cmd "$VIGIL" support set ghost --placed 2026-01 --support-end 2030-01)" 1
check_eq "support.set audited" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="support.set")] | length')" 2
cat >"$T_DIR/sbom.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{"type":"library","name":"a","version":"1.0.0","purl":"pkg:pypi/a@1.0.0"}]}
JSON
"$VIGIL" sbom import "$T_DIR/sbom.json" --product gateway --version 1.0 >/dev/null
check_eq "SBOM retention derives from the support period" \
	"$("$VIGIL" sbom list --product gateway --json | jq -r '.[0].retain_until_at')" 2041-01-01T00:00:00Z

# ---- the API and the pages ----
start_server
TOK=$(admin_token)
check_eq "API: list" "$(http GET /api/v1/scope -H "Authorization: Bearer $TOK")" 200
check_eq "API: total" "$(body | jq .total)" 2
check_eq "API: add" "$(http POST /api/v1/scope -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
	-d '{"name":"Wiki","owner":"IT","class":"business-it","review":"2027-04-01"}')" 201
check_eq "API: bad class" "$(http POST /api/v1/scope -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
	-d '{"name":"W2","owner":"IT","class":"nope","review":"2027-04-01"}')" 400
check_contains "API: names the member" "$(body)" "/class"
check_eq "API: export CSV" "$(http GET '/api/v1/scope/export?format=csv' -H "Authorization: Bearer $TOK")" 200
check_contains "API: a download" "$(cat "$T_DIR/headers")" "attachment"
check_eq "API: import all or nothing" "$(http POST '/api/v1/scope/import?format=csv' -H "Authorization: Bearer $TOK" --data-binary @"$T_DIR/bad1.csv")" 400
check_eq "API: support" "$(http GET /api/v1/support/gateway -H "Authorization: Bearer $TOK")" 200
check_eq "API: support end" "$(body | jq -r .support_end)" 2040-12
check_eq "API: anonymous refused" "$(http GET /api/v1/scope)" 401
for p in /ui/programme/scope /ui/programme/record /ui/programme/support "/ui/programme/scope/Wiki"; do
	check_eq "page $p" "$(http GET "$p" -H "Authorization: Bearer $TOK")" 200
done
http GET /ui/programme/record -H "Authorization: Bearer $TOK" >/dev/null
check_contains "record: dated" "$(body)" "Date: <strong>2026-11-02</strong>"
check_contains "record: the signing system" "$(body)" "vigil signing infrastructure"
http GET /ui/products/gateway -H "Authorization: Bearer $TOK" >/dev/null
check_contains "product page: support period" "$(body)" 'id="support-period"'
check_contains "product page: kept until" "$(body)" '<time datetime="2041-01-01">2041-01-01</time>'
# a product with only its own dates: shown from them, saying where they come from
"$VIGIL" product create router --support-until 2031-12 --placed-on-market 2026-03-01 >/dev/null
http GET /ui/products/router -H "Authorization: Bearer $TOK" >/dev/null
check_contains "product page: the product's own dates" "$(body)" "<dd>2031-12</dd>"
check_contains "product page: their source" "$(body)" 'id="support-derived"'
check_contains "product page: retention from them" "$(body)" '<time datetime="2036-03-01">2036-03-01</time>'
stop_server
finish
