#!/bin/sh
# The findings queue of a professional tool (issue 17 item 4): one bulk
# decision on 500 findings is one request and 500 audit records, all or
# nothing; bad bulk input (an unknown id, a justification the state does not
# take, a filter matching nothing, no ids) is refused with a clear error and
# changes nothing; the API's and the page's sort, dir, limit and offset are
# checked; the page sorts by a column (aria-sort), keeps filters, sort and
# page size in its links, shows CVSS score and vector, asks for a
# confirmation that says how many will change, and shows a refused row
# decision at the row with what was typed. Same domain function under the
# API, the page and `vigil findings triage --all-matching`.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
export VIGIL_NOW=2026-06-01T00:00:00Z

# 250 packages x 2 advisories = 500 findings on product bulk 1.0, and 4 on
# product other (which no bulk change below may touch).
python3 - "$T_DIR" <<'PY'
import json, sys
d = sys.argv[1]
def sbom(names, path):
    comps = [{"type": "library", "name": n, "version": "1.0.0", "purl": f"pkg:pypi/{n}@1.0.0"} for n in names]
    json.dump({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": comps}, open(path, "w"))
bulk = [f"bulkpkg{i:03d}" for i in range(250)]
sbom(bulk, f"{d}/bulk.json")
sbom(["otherpkg0", "otherpkg1"], f"{d}/other.json")
vec = {"Q-1": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "Q-2": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"}
for k, v in vec.items():
    adv = {"schema_version": "1.6.0", "id": k, "aliases": [], "modified": "2026-05-01T00:00:00Z",
           "published": "2026-05-01T00:00:00Z", "summary": f"bulk test {k}",
           "severity": [{"type": "CVSS_V3", "score": v}],
           "affected": [{"package": {"ecosystem": "PyPI", "name": n},
                         "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}
                        for n in bulk + ["otherpkg0", "otherpkg1"]]}
    json.dump(adv, open(f"{d}/{k}.json", "w"))
PY
"$VIGIL" product create bulk >/dev/null
"$VIGIL" product create other >/dev/null
"$VIGIL" sbom import "$T_DIR/bulk.json" --product bulk --version 1.0 >/dev/null
"$VIGIL" sbom import "$T_DIR/other.json" --product other --version 1.0 >/dev/null
for a in Q-1 Q-2; do "$VIGIL" feed import osv "$T_DIR/$a.json" >/dev/null 2>&1; done
check_eq "504 findings" "$("$VIGIL" findings list --json | jq .total)" 504
check_eq "500 on bulk" "$("$VIGIL" findings list --product bulk --json | jq .total)" 500
printf 'alice-password-123\n' | "$VIGIL" user add alice --role psirt --password-stdin >/dev/null 2>&1
printf 'aud-password-1234\n' | "$VIGIL" user add audrey --role auditor --password-stdin >/dev/null 2>&1
TOK=$(admin_token)
start_server
H="Authorization: Bearer $TOK"
audits() { "$VIGIL" audit log --json | jq --arg a "$1" '[.[] | select(.action==$a)] | length'; }
ids_of() { # product: a JSON array of the product's finding ids
	curl -s -H "$H" "$BASE/api/v1/findings?product=$1&limit=1000" | jq -c '[.findings[].id]'
}
BULK_IDS=$(ids_of bulk)
OTHER_ID=$(ids_of other | jq '.[0]')
check_eq "500 ids" "$(echo "$BULK_IDS" | jq length)" 500

# --- the API: sort, dir, limit, offset checked ---
check_eq "sort by score" "$(http GET '/api/v1/findings?sort=score&dir=desc&limit=3' -H "$H")" 200
check_eq "highest score first" "$(body | jq -r '.findings[0].score')" "9.8"
check_eq "vector given" "$(body | jq -r '.findings[0].cvss_vector')" "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
check_eq "sort by score asc" "$(http GET '/api/v1/findings?sort=score&dir=asc&limit=1' -H "$H")" 200
check_eq "lowest score first" "$(body | jq -r '.findings[0].score')" "5.3"
# stable: the order of one sort is the same from page to page (ties by id)
a=$(curl -s -H "$H" "$BASE/api/v1/findings?sort=severity&limit=20" | jq -c '[.findings[].id]')
b1=$(curl -s -H "$H" "$BASE/api/v1/findings?sort=severity&limit=10" | jq -c '[.findings[].id]')
b2=$(curl -s -H "$H" "$BASE/api/v1/findings?sort=severity&limit=10&offset=10" | jq -c '[.findings[].id]')
check_eq "pages of one sort join up" "$(jq -nc --argjson x "$b1" --argjson y "$b2" '$x + $y')" "$a"
check_eq "sort by product" "$(curl -s -H "$H" "$BASE/api/v1/findings?sort=product&dir=desc&limit=1" | jq -r '.findings[0].product')" other
check_eq "unknown sort refused" "$(http GET '/api/v1/findings?sort=colour' -H "$H")" 400
check_contains "sort error names the parameter" "$(body)" "sort 'colour': expected due, new"
check_eq "bad dir refused" "$(http GET '/api/v1/findings?sort=id&dir=up' -H "$H")" 400
check_contains "dir error" "$(body)" "dir 'up': expected asc or desc"
check_eq "limit 0 refused" "$(http GET '/api/v1/findings?limit=0' -H "$H")" 400
check_eq "limit 1001 refused" "$(http GET '/api/v1/findings?limit=1001' -H "$H")" 400
check_contains "limit error names it" "$(body)" "limit"
check_eq "negative offset refused" "$(http GET '/api/v1/findings?offset=-1' -H "$H")" 400

# --- bulk: bad input is refused and changes nothing ---
before_all=$("$VIGIL" audit log --json | jq length)
bad_ids=$(echo "$BULK_IDS" | jq -c '.[0:3] + [999999]')
check_eq "unknown id refused" "$(http POST /api/v1/findings/bulk -H "$H" -d "{\"ids\":$bad_ids,\"state\":\"in_triage\"}")" 404
check_contains "names the id" "$(body)" "finding 999999 not found"
check_eq "justification for the wrong state refused" "$(http POST /api/v1/findings/bulk -H "$H" -d "{\"ids\":$BULK_IDS,\"state\":\"in_triage\",\"justification\":\"component_not_present\"}")" 400
check_contains "says why" "$(body)" "a justification goes with state not_affected only"
check_eq "not_affected without justification refused" "$(http POST /api/v1/findings/bulk -H "$H" -d '{"filter":{"product":"bulk"},"state":"not_affected"}')" 400
check_eq "filter matching nothing refused" "$(http POST /api/v1/findings/bulk -H "$H" -d '{"filter":{"product":"nosuch"},"state":"in_triage"}')" 404
check_contains "says nothing matches" "$(body)" "no finding matches it; nothing changed"
check_eq "empty id list refused" "$(http POST /api/v1/findings/bulk -H "$H" -d '{"ids":[],"state":"in_triage"}')" 400
check_contains "says an id is needed" "$(body)" "ids: expected at least one finding id"
check_eq "ids and filter together refused" "$(http POST /api/v1/findings/bulk -H "$H" -d '{"ids":[1],"filter":{},"state":"in_triage"}')" 400
check_eq "unknown filter key refused" "$(http POST /api/v1/findings/bulk -H "$H" -d '{"filter":{"colour":"red"},"state":"in_triage"}')" 400
check_contains "names the key" "$(body)" "/filter/colour: unknown filter"
check_eq "bad id type refused" "$(http POST /api/v1/findings/bulk -H "$H" -d '{"ids":["x"],"state":"in_triage"}')" 400
check_contains "names the place" "$(body)" "/ids/0: expected a finding id"
check_eq "assignee without the right refused" "$(http POST /api/v1/findings/bulk -H "$H" -d "{\"ids\":$BULK_IDS,\"assignee\":\"audrey\"}")" 400
check_contains "says who may" "$(body)" "may not triage findings"
check_eq "an illegal transition for one refuses all" "$(http POST /api/v1/findings/bulk -H "$H" -d "{\"ids\":$BULK_IDS,\"state\":\"fixed\"}")" 409
check_eq "nothing recorded" "$("$VIGIL" audit log --json | jq length)" "$before_all"
check_eq "nothing changed" "$(curl -s -H "$H" "$BASE/api/v1/triage/counts?product=bulk" | jq .new)" 500
check_eq "auditor may not" "$(http POST /api/v1/findings/bulk -H "Authorization: Bearer $("$VIGIL" token create --name aud --role auditor 2>/dev/null)" -d "{\"ids\":$BULK_IDS,\"state\":\"in_triage\"}")" 403

# --- bulk: 500 findings in one request, 500 audit records ---
n0=$(audits finding.triage)
check_eq "500 in one request" "$(http POST /api/v1/findings/bulk -H "$H" -d "{\"ids\":$BULK_IDS,\"state\":\"in_triage\",\"comment\":\"one decision for all\",\"assignee\":\"alice\"}")" 200
check_eq "500 changed" "$(body | jq .changed)" 500
check_eq "500 audit records" "$(audits finding.triage)" "$((n0 + 500))"
check_eq "all in_triage" "$(curl -s -H "$H" "$BASE/api/v1/triage/counts?product=bulk" | jq .in_triage)" 500
check_eq "all assigned" "$(curl -s -H "$H" "$BASE/api/v1/findings?product=bulk&assignee=alice&limit=1" | jq .total)" 500
check_eq "other product untouched" "$(curl -s -H "$H" "$BASE/api/v1/findings/$OTHER_ID" | jq -r .state)" new
# the audit record names the finding, before and after
first=$(echo "$BULK_IDS" | jq '.[0]')
check_eq "record per finding" "$("$VIGIL" audit log --json | jq --arg id "$first" '[.[] | select(.action=="finding.triage" and .object_id==$id)][0] | [.before.state, .after.state, .after.assignee] | join(",")')" '"new,in_triage,alice"'
# by filter: the same domain function, one transaction
n0=$(audits finding.triage)
check_eq "filter bulk" "$(http POST /api/v1/findings/bulk -H "$H" -d '{"filter":{"product":"bulk","state":"in_triage"},"state":"not_affected","justification":"vulnerable_code_not_in_execute_path"}')" 200
check_eq "filter bulk count" "$(body | jq .changed)" 500
check_eq "500 more records" "$(audits finding.triage)" "$((n0 + 500))"
check_eq "all not_affected" "$(curl -s -H "$H" "$BASE/api/v1/triage/counts?product=bulk" | jq .not_affected)" 500
# the CLI, over the same function: back to in_triage by filter
check_eq "CLI bulk" "$(run_cmd "$VIGIL" findings triage --all-matching --product bulk --in-state not_affected --state in_triage --json)" 0
check_eq "CLI count" "$(jq .changed "$T_DIR/out")" 500
check_eq "CLI filter matching nothing" "$(run_cmd "$VIGIL" findings triage --all-matching --product nosuch --state in_triage)" 1
check_contains "CLI says so" "$(cat "$T_DIR/err")" "no finding matches"
# a cap on one change
check_eq "cap" "$(VIGIL_TRIAGE_BULK_MAX=100 run_cmd "$VIGIL" findings triage --all-matching --product bulk --state affected)" 1
check_contains "cap says so" "$(cat "$T_DIR/err")" "at most 100"

# --- the page ---
COOKIES="$T_DIR/cookies"
lc=$(curl -s -c "$COOKIES" -b "$COOKIES" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
curl -s -b "$COOKIES" -c "$COOKIES" -o /dev/null --data-urlencode "csrf=$lc" \
	--data-urlencode user=alice --data-urlencode password=alice-password-123 "$BASE/ui/login"
page() { http GET "$1" -b "$COOKIES"; }
csrf() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T_DIR/body" | head -1; }
post() { # path [curl args]
	p=$1
	shift
	http POST "$p" -b "$COOKIES" --data-urlencode "csrf=$CSRF" "$@"
}
check_eq "queue" "$(page '/ui/findings?product=bulk&sort=score&dir=desc&limit=25')" 200
CSRF=$(csrf)
check_contains "sorted column has aria-sort" "$(body)" 'aria-sort="descending" data-sort="score"'
check_contains "header link turns the order round, keeps filter and size" "$(body)" 'href="/ui/findings?product=bulk&amp;sort=score&amp;dir=asc&amp;limit=25"'
check_contains "pager keeps sort and size" "$(body)" 'href="/ui/findings?product=bulk&amp;sort=score&amp;dir=desc&amp;limit=25&amp;offset=25"'
check_contains "page size 25 current" "$(body)" 'aria-current="true">25</a>'
check_eq "25 rows" "$(grep -o '<tr id="f[0-9]*"' "$T_DIR/body" | wc -l)" 25
check_contains "CVSS vector column" "$(body)" 'CVSS:3.1/<wbr>AV:N/<wbr>'
check_contains "states in words" "$(body)" '>In triage'
check_contains "clear filters" "$(body)" 'id="clear" href="/ui/findings?sort=score&amp;dir=desc&amp;limit=25"'
check_eq "page size 500" "$(page '/ui/findings?product=bulk&limit=500')" 200
check_eq "500 rows" "$(grep -o '<tr id="f[0-9]*"' "$T_DIR/body" | wc -l)" 500
check_eq "bad page size" "$(page '/ui/findings?limit=30')" 400
check_contains "bad page size says what" "$(body)" "limit 30: expected 25, 50, 100 or 500"
check_eq "bad sort" "$(page '/ui/findings?sort=x')" 400
check_contains "bad sort is a page" "$(body)" '<p class="error" role="alert" id="error">sort'
check_eq "bad offset" "$(page '/ui/findings?offset=-5')" 400

# a refused row decision: shown at the row, with what was typed
page '/ui/findings?product=bulk&limit=25' >/dev/null
ROW=$(grep -o '<tr id="f[0-9]*"' "$T_DIR/body" | sed -n '6s/[^0-9]//gp')
check_eq "row refused" "$(post "/ui/findings/$ROW/triage?product=bulk&limit=25" --data-urlencode state=not_affected --data-urlencode 'comment=typed by hand')" 400
check_contains "error at the row" "$(body)" "<tr id=\"f$ROW\" data-id=\"$ROW\" data-state=\"in_triage\" class=\"has-error\">"
check_contains "the row's form open" "$(body)" '<details class="rowtriage" open>'
check_contains "the comment kept" "$(body)" 'value="typed by hand" autofocus>'
check_contains "the state kept" "$(body)" '<option value="not_affected" selected>'
check_contains "says why in words" "$(body)" "Not affected needs a justification"
check_contains "the form goes back to the row" "$(body)" "action=\"/ui/findings/$ROW/triage?product=bulk&amp;limit=25#f$ROW\""
check_eq "row saved" "$(post "/ui/findings/$ROW/triage?product=bulk&limit=25" --data-urlencode state=affected)" 303
check_contains "back to the list, at the row" "$(grep -i '^location' "$T_DIR/headers")" "/ui/findings?product=bulk&limit=25#f$ROW"

# bulk from the page: a confirmation that says how many, then one change
set -- $(echo "$BULK_IDS" | jq -r '.[10:13][]')
check_eq "bulk review" "$(post '/ui/findings/bulk?product=bulk' --data-urlencode target=selected --data-urlencode "id=$1" --data-urlencode "id=$2" --data-urlencode "id=$3" --data-urlencode state=affected)" 200
check_contains "says how many" "$(body)" '3 finding(s) will change'
check_eq "nothing changed yet" "$(curl -s -H "$H" "$BASE/api/v1/findings/$1" | jq -r .state)" in_triage
n0=$(audits finding.triage)
check_eq "bulk confirmed" "$(post '/ui/findings/bulk?product=bulk' --data-urlencode target=selected --data-urlencode "id=$1" --data-urlencode "id=$2" --data-urlencode "id=$3" --data-urlencode state=affected --data-urlencode confirm=3)" 303
check_contains "banner says how many" "$(grep -i '^location' "$T_DIR/headers")" "done=bulk&changed=3"
check_eq "three records" "$(audits finding.triage)" "$((n0 + 3))"
check_eq "changed" "$(curl -s -H "$H" "$BASE/api/v1/findings/$2" | jq -r .state)" affected
check_eq "whole filter review" "$(post '/ui/findings/bulk?product=bulk&state=in_triage' --data-urlencode target=filter --data-urlencode state=affected)" 200
check_contains "counts the filter" "$(body)" '496 finding(s) will change'
check_eq "a stale count asks again" "$(post '/ui/findings/bulk?product=bulk&state=in_triage' --data-urlencode target=filter --data-urlencode state=affected --data-urlencode confirm=497)" 200
check_contains "says the set moved" "$(body)" 'id="bulk-moved"'
check_eq "a state some cannot take: refused at review" "$(post '/ui/findings/bulk?product=bulk' --data-urlencode target=filter --data-urlencode state=fixed)" 422
check_contains "says how many and which" "$(body)" "cannot become Fixed from their state"
check_eq "no row selected" "$(post '/ui/findings/bulk?product=bulk' --data-urlencode target=selected --data-urlencode state=affected)" 422
check_contains "says to tick rows" "$(body)" "No finding selected"
check_eq "bulk wrong justification" "$(post '/ui/findings/bulk?product=bulk' --data-urlencode target=filter --data-urlencode state=affected --data-urlencode justification=component_not_present --data-urlencode 'comment=keep me')" 422
check_contains "error at the bulk form" "$(body)" 'id="bulk-error"'
check_contains "typed comment kept" "$(body)" 'value="keep me" autofocus'
check_eq "filter matching nothing" "$(post '/ui/findings/bulk?product=nosuch' --data-urlencode target=filter --data-urlencode state=affected)" 422
check_contains "says nothing matches" "$(body)" "No finding matches the filter"

# the finding's page: words, assignees who may act, history as changes
check_eq "finding page" "$(page "/ui/findings/$first")" 200
check_contains "assignee options are writers" "$(body)" '<option value="alice"'
check_not_contains "no auditor to assign" "$(body)" '<option value="audrey"'
check_contains "history as a change" "$(body)" '<dt>State</dt><dd><del>New</del> <ins>In triage</ins></dd>'
check_contains "justification words and code" "$(body)" 'The vulnerable code is never run (vulnerable_code_not_in_execute_path)'
check_not_contains "no sign-ins in the history" "$(body)" 'auth.login'
check_eq "finding form refused" "$(post "/ui/findings/$first/triage" --data-urlencode to=finding --data-urlencode state=fixed --data-urlencode 'comment=typed here')" 409
check_contains "error on the form" "$(body)" 'cannot become Fixed'
check_contains "typed kept on the page" "$(body)" 'value="typed here" autofocus'

stop_server
finish
