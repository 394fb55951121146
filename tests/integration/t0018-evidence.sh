#!/bin/sh
# The evidence room (/ui/audit, also /ui/evidence): the audit trail as a
# table filtered by time, actor, action (exact or prefix) and object, sign-ins
# hidden unless asked, page size and paging, bad filter values shown at their
# field; CSV and JSON exports of every matching record (not just the page)
# that honour the filter, CSV cells escaped against formula injection, each
# export audited; who may read it (admin, psirt, auditor; not anonymous, not
# ci tokens).
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
VIGIL_PASSWORD=pw-aud-0018 "$VIGIL" user add aud --role auditor >/dev/null
VIGIL_PASSWORD=pw-pat-0018 "$VIGIL" user add pat --role psirt >/dev/null
CI=$("$VIGIL" token create --name ci-0018 --role ci)

# records at known times: three products in January, February and March,
# one with a vendor a spreadsheet would run as a formula
VIGIL_NOW=2026-01-10T10:00:00Z "$VIGIL" product create alpha --vendor '=HYPERLINK("http://evil.example","x")' >/dev/null
VIGIL_NOW=2026-02-10T10:00:00Z "$VIGIL" product create beta --vendor '+1+2' >/dev/null
VIGIL_NOW=2026-03-10T10:00:00Z "$VIGIL" product create 'gamma, "the third"' --vendor '@SUM(A1)' >/dev/null
VIGIL_NOW=2026-03-11T10:00:00Z "$VIGIL" product update beta --vendor '-2-3' >/dev/null
# names a spreadsheet would run as formulas
VIGIL_NOW=2026-03-12T10:00:00Z "$VIGIL" product create '=HYPERLINK("evil.example")' >/dev/null
VIGIL_NOW=2026-03-12T10:00:00Z "$VIGIL" product create '@SUM(A1)' >/dev/null
VIGIL_NOW=2026-03-12T10:00:00Z "$VIGIL" product create '+1+2' >/dev/null
VIGIL_NOW=2026-03-12T10:00:00Z "$VIGIL" product create -- '-2-3' >/dev/null
for i in 1 2 3 4 5 6 7; do
	VIGIL_NOW=2026-04-0${i}T10:00:00Z "$VIGIL" product create "p$i" >/dev/null
done
start_server

J="$T_DIR/jar"
login() { # user password -> status
	rm -f "$J"
	csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -c "$J" -b "$J" --data-urlencode "csrf=$csrf" \
		--data-urlencode "user=$1" --data-urlencode "password=$2" "$BASE/ui/login"
}
page() { # path -> status; body in $T_DIR/body, headers in $T_DIR/headers
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$BASE$1"
}
rows() { # records in the table of the last page
	grep -o '<tr><td>[0-9]*</td>' "$T_DIR/body" | wc -l | tr -d ' '
}
seqs() { # their sequence numbers, in order
	grep -o '<tr><td>[0-9]*</td>' "$T_DIR/body" | sed 's/[^0-9]//g' | tr '\n' ' ' | sed 's/ $//'
}
csv_rows() { # data rows of the CSV in $T_DIR/body
	python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1], newline=""))); print(len(r)-1)' "$T_DIR/body"
}
csv_cell() { # column name, value of column "object_id" -> the cell
	python3 -c 'import csv,sys
for row in csv.DictReader(open(sys.argv[1], newline="")):
    if row["object_id"] == sys.argv[3]: print(row[sys.argv[2]]); break' "$T_DIR/body" "$1" "$2"
}

# ---- who may read it ----
check_eq "anonymous: to the login page" "$(http GET /ui/audit)" 303
check_eq "anonymous export: to the login page" "$(http GET '/ui/audit?format=csv')" 303
s=$(http GET /ui/audit -H "Authorization: Bearer $CI")
ok "ci token: refused ($s)" test "$s" = 403 -o "$s" = 303
check_not_contains "ci token: no records" "$(body)" 'id="audit"'
s=$(http GET '/ui/audit/export?format=csv' -H "Authorization: Bearer $CI")
ok "ci token: no export ($s)" test "$s" = 403 -o "$s" = 303
check_not_contains "ci token: nothing exported" "$(body)" '"seq"' 
check_eq "auditor logs in" "$(login aud pw-aud-0018)" 303
check_eq "auditor: the evidence room" "$(page /ui/audit)" 200
check_contains "in the layout: a title" "$(body)" "<title>Evidence - vigil</title>"
check_contains "in the layout: a language" "$(body)" '<html lang="en">'
check_contains "chain intact" "$(body)" 'id="chain-status">Audit chain intact'
check_eq "the old address too" "$(page /ui/evidence)" 200
check_contains "the same page" "$(body)" 'id="audit-filter"'

# ---- filters ----
check_eq "sign-ins hidden" "$(page /ui/audit)" 200
check_not_contains "no auth.login row" "$(body)" "<code>auth.login</code>"
check_eq "sign-ins asked for" "$(page '/ui/audit?logins=1')" 200
check_contains "auth.login row" "$(body)" "<code>auth.login</code>"
check_eq "by action" "$(page '/ui/audit?action=product.create')" 200
check_eq "fourteen created" "$(rows)" 14
check_contains "in plain words, with the code" "$(body)" "Product created <code>product.create</code>"
check_eq "by action prefix" "$(page '/ui/audit?action=product.*')" 200
check_eq "fourteen created, one changed" "$(rows)" 15
check_eq "by time (whole days)" "$(page '/ui/audit?action=product.*&from=2026-02-01&to=2026-03-10')" 200
check_eq "beta and gamma" "$(rows)" 2
check_eq "by time (RFC 3339)" "$(page '/ui/audit?action=product.*&from=2026-03-10T10:00:01Z')" 200
check_eq "the update, four formulas and p1-p7" "$(rows)" 12
check_eq "by object" "$(page '/ui/audit?otype=product&oid=beta')" 200
check_eq "beta's two records" "$(rows)" 2
check_contains "the change as a difference" "$(body)" "<dt>vendor</dt><dd><del>+1+2</del> <ins>-2-3</ins></dd>"
check_eq "by actor" "$(page '/ui/audit?actor=aud&logins=1')" 200
check_contains "the auditor's sign-in" "$(body)" "<code>auth.login</code>"
check_not_contains "nobody else" "$(body)" "product.create"
check_eq "values kept in the form" "$(page '/ui/audit?otype=product&oid=beta&actor=x%22y')" 200
check_contains "object id kept" "$(body)" 'name="oid" type="text" value="beta"'
check_contains "actor kept, escaped" "$(body)" 'value="x&quot;y"'
check_eq "a bad date: the page, with the error at its field" "$(page '/ui/audit?from=yesterday&action=product.*')" 200
check_contains "field error" "$(body)" 'id="f-from-error">&#39;yesterday&#39;: expected a date YYYY-MM-DD'
check_contains "the field marked" "$(body)" 'value="yesterday" placeholder="YYYY-MM-DD" aria-invalid="true" aria-describedby="f-from-error"'
check_contains "the rest kept" "$(body)" 'name="action" type="text" value="product.*"'
check_not_contains "no records shown for a filter not applied" "$(body)" 'id="audit"'
check_eq "an end before the start" "$(page '/ui/audit?from=2026-03-01&to=2026-02-01')" 200
check_contains "said at the end" "$(body)" "the end is before the start"
check_eq "a bad page size" "$(page '/ui/audit?size=abc')" 200
check_contains "said at the size" "$(body)" 'id="f-size-error"'

# ---- paging: newest first ----
check_eq "page 1 of 3" "$(page '/ui/audit?action=product.create&size=4')" 200
check_contains "range" "$(body)" "Records 1 to 4 of 14 (page 1 of 4)"
first=$(seqs)
check_contains "a link to older records keeping the filter" "$(body)" 'href="/ui/audit?action=product.create&amp;size=4&amp;page=2">Older records'
check_eq "page 4" "$(page '/ui/audit?action=product.create&size=4&page=4')" 200
check_contains "range 4" "$(body)" "Records 13 to 14 of 14 (page 4 of 4)"
check_eq "two left" "$(rows)" 2
check_contains "newer link" "$(body)" "Newer records"
check_not_contains "no older link" "$(body)" "Older records"
last=$(seqs)
ok "newest first: page 1 before page 3" test "$(echo "$first" | cut -d' ' -f1)" -gt "$(echo "$last" | cut -d' ' -f2)"

# ---- exports: every matching record, the filter honoured ----
check_contains "export links keep the filter" "$(page '/ui/audit?action=product.create&size=4' >/dev/null; body)" \
	'href="/ui/audit?action=product.create&amp;size=4&amp;format=csv"'
check_eq "CSV export" "$(page '/ui/audit?action=product.create&size=4&format=csv')" 200
H=$(tr -d '\r' <"$T_DIR/headers")
check_contains "CSV type" "$H" "Content-Type: text/csv; charset=utf-8"
check_contains "a download named after what it is" "$H" 'Content-Disposition: attachment; filename="vigil-audit-'
check_contains "with .csv" "$H" '.csv"'
check_eq "all fourteen records, not the page of four" "$(csv_rows)" 14
check_eq "header" "$(head -1 "$T_DIR/body" | tr -d '\r')" '"seq","time","actor","from","action","object_type","object_id","before","after","prev_hash","hash"'
check_eq "oldest first" "$(sed -n 2p "$T_DIR/body" | cut -d, -f7 | tr -d '\r')" '"alpha"'
check_eq "a quote and a comma survive" "$(csv_cell object_id 'gamma, "the third"')" 'gamma, "the third"'
check_contains "quotes doubled" "$(cat "$T_DIR/body")" '"gamma, ""the third"""'
# cells that start with = + - @ are prefixed with ' (a spreadsheet shows them as text)
check_contains "= escaped" "$(cat "$T_DIR/body")" "\"'=HYPERLINK(\"\"evil.example\"\")\""
check_contains "@ escaped" "$(cat "$T_DIR/body")" "\"'@SUM(A1)\""
check_contains "+ escaped" "$(cat "$T_DIR/body")" "\"'+1+2\""
check_contains "- escaped" "$(cat "$T_DIR/body")" "\"'-2-3\""
python3 - "$T_DIR/body" >"$T_DIR/formula" <<'PY'
import csv, sys
bad = [c for row in csv.reader(open(sys.argv[1], newline="")) for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
print(len(bad))
PY
check_eq "no cell starts as a formula" "$(cat "$T_DIR/formula")" 0
check_eq "JSON export" "$(page '/ui/audit?action=product.*&format=json')" 200
check_contains "JSON type" "$(tr -d '\r' <"$T_DIR/headers")" "Content-Type: application/json"
check_eq "fifteen records" "$(jq '.records | length' "$T_DIR/body")" 15
check_eq "JSON keeps names as they are" "$(jq -r '[.records[].object_id | select(startswith("="))] | .[0]' "$T_DIR/body")" '=HYPERLINK("evil.example")'
check_eq "as the API shows them" "$(jq -r '.records[] | select(.object_id == "beta" and .action == "product.update") | "\(.before.vendor)>\(.after.vendor)"' "$T_DIR/body")" "+1+2>-2-3"
check_eq "by time" "$(page '/ui/audit/export?format=json&action=product.*&from=2026-02-01&to=2026-03-10')" 200
check_eq "two by time" "$(jq -r '[.records[].object_id] | join(",")' "$T_DIR/body")" 'beta,gamma, "the third"'
check_eq "by actor, sign-ins" "$(page '/ui/audit/export?format=csv&actor=aud&logins=1&action=auth.*')" 200
check_eq "only the auditor's" "$(python3 -c 'import csv,sys; print(sorted({r["actor"] for r in csv.DictReader(open(sys.argv[1], newline=""))}))' "$T_DIR/body")" "['aud']"
check_eq "export route: a bad format" "$(page '/ui/audit/export?format=xlsx')" 400
check_eq "export route: a bad date" "$(page '/ui/audit/export?format=csv&from=x')" 400
check_eq "exports audited" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action == "audit.export")] | "\(length) \(.[0].actor) \(.[0].after.format) \(.[0].after.records)"')" "4 aud csv 14"
check_eq "the chain still verifies" "$(run_cmd "$VIGIL" audit verify)" 0

# ---- psirt may read it too; many records export whole ----
i=0
while [ $i -lt 60 ]; do
	i=$((i + 1))
	VIGIL_NOW=2026-05-01T10:00:00Z "$VIGIL" product create "bulk-$i" >/dev/null
done
check_eq "psirt logs in" "$(login pat pw-pat-0018)" 303
check_eq "psirt: the evidence room" "$(page '/ui/audit?action=product.create&size=25')" 200
check_contains "seventy-four records, paged" "$(body)" "Records 1 to 25 of 74 (page 1 of 3)"
check_eq "psirt: export" "$(page '/ui/audit?action=product.create&size=25&format=json')" 200
check_eq "seventy-four exported" "$(jq '.records | length' "$T_DIR/body")" 74
check_eq "in sequence order" "$(jq '[.records[].seq] | . == sort' "$T_DIR/body")" true

finish
