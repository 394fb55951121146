#!/bin/sh
# Uploads that would retract findings wait for a person (issue 16, item 4):
# an empty SBOM from a CI token does not retract the open, actively
# exploited finding until an admin or psirt approves the revision; nor does
# an upload that only drops the vulnerable component; an upload dropping
# more than half of the version's components is held too. Each held
# revision is stored (202, "held": true with the reason), flagged in the
# API, the CLI and the product page, and approval then reconciles it.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
ADM=$(admin_token)
PS=$("$VIGIL" token create --name ps --role psirt 2>/dev/null)
CI=$("$VIGIL" token create --name ci-router --role ci --product 'router' 2>/dev/null)
AUD=$("$VIGIL" token create --name aud --role auditor 2>/dev/null)

# fw N: the router firmware with the vulnerable helm-controller api and three
# other components; fw_without_helm: the same without it; tiny: one of four.
comp() { printf '{"type":"library","bom-ref":"%s","name":"%s","version":"1.0.0","purl":"pkg:pypi/%s@1.0.0"}' "$1" "$1" "$1"; }
HELM='{"type":"library","bom-ref":"h","name":"api","group":"github.com/fluxcd/helm-controller","version":"v0.16.0","purl":"pkg:golang/github.com/fluxcd/helm-controller/api@v0.16.0"}'
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[%s,%s,%s,%s]}' "$HELM" "$(comp alpha)" "$(comp beta)" "$(comp gamma)" >"$T_DIR/fw.json"
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[%s,%s,%s]}' "$(comp alpha)" "$(comp beta)" "$(comp gamma)" >"$T_DIR/nohelm.json"
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[%s]}' "$(comp alpha)" >"$T_DIR/tiny.json"
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[%s,%s,%s]}' "$HELM" "$(comp alpha)" "$(comp delta)" >"$T_DIR/half.json"
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >"$T_DIR/empty.json"
cat >"$T_DIR/kev.json" <<'JSON'
{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2026.11.01","count":1,
 "vulnerabilities":[{"cveID":"CVE-2022-39272","vendorProject":"Flux","product":"helm-controller","vulnerabilityName":"test","dateAdded":"2026-11-01","shortDescription":"x","requiredAction":"Apply updates","dueDate":"2026-11-22","knownRansomwareCampaignUse":"Unknown","notes":""}]}
JSON
"$VIGIL" product create router >/dev/null
start_server
up() { http POST "/api/v1/products/router/versions/$1/sboms" -H "Authorization: Bearer $CI" --data-binary @"$T_DIR/$2.json"; }
# active findings of a version
active() { "$VIGIL" findings list --product router --version "$1" --json | jq '.findings | length'; }

for v in 1 2 3; do
	check_eq "v$v: first upload (ci, in scope)" "$(up $v fw)" 201
	check_eq "v$v: not held" "$(body | jq -r .held)" false
done
check_eq "advisory import" "$("$VIGIL" feed import osv "$VIGIL_SHARED_DATA/vuln/osv/go-vulndb/GO-2022-1071.json" --json | jq -r .findings_new)" 3
check_eq "KEV import: actively exploited" "$("$VIGIL" feed import kev "$T_DIR/kev.json" --json | jq -r .exploited)" 3

# 1. The reproduction: an empty SBOM from a CI token.
check_eq "empty SBOM: stored, answered 202" "$(up 1 empty)" 202
check_eq "empty SBOM: held" "$(body | jq -r .held)" true
check_contains "empty SBOM: the reason" "$(body | jq -r .held_reason)" "drops 4 of the 4 components"
E1=$(body | jq -r .id)
check_eq "empty SBOM: revision 2 kept" "$(body | jq -r .revision)" 2
check_eq "the exploited finding stays open" "$(active 1)" 1
check_eq "revision listed as held" "$(http GET /api/v1/products/router/versions/1/sboms -H "Authorization: Bearer $AUD" >/dev/null; body | jq -r '[.sboms[] | select(.held)] | map(.id) | join(",")')" "$E1"
check_eq "product page" "$(http GET /ui/products/router -H "Authorization: Bearer $ADM")" 200
check_contains "product page flags the held revision" "$(body)" 'class="error held"'
check_eq "version page" "$(http GET /ui/products/router/versions/1 -H "Authorization: Bearer $ADM")" 200
check_contains "version page says it is held" "$(body)" 'id="held"'
check_eq "ci may not approve" "$(http POST "/api/v1/sboms/$E1/approve" -H "Authorization: Bearer $CI")" 403
check_eq "auditor may not approve" "$(http POST "/api/v1/sboms/$E1/approve" -H "Authorization: Bearer $AUD")" 403
check_eq "still open after refused approvals" "$(active 1)" 1
check_eq "psirt approves" "$(http POST "/api/v1/sboms/$E1/approve" -H "Authorization: Bearer $PS")" 200
check_eq "approved: not held any more" "$(body | jq -r '"\(.held) \(.approved_by)"')" "false token:ps"
check_eq "approval retracts the finding" "$(active 1)" 0
check_eq "approving twice: 409" "$(http POST "/api/v1/sboms/$E1/approve" -H "Authorization: Bearer $PS")" 409
check_eq "approval audited" "$("$VIGIL" audit log --json | jq "[.[] | select(.action==\"sbom.approve\" and .object_id==\"$E1\")] | length")" 1

# 2. Only the vulnerable component dropped (1 of 4): the reconciliation
# would retract an exploited finding, so the revision is held by triage.
check_eq "drop the exploited component: 202" "$(up 2 nohelm)" 202
check_contains "reason names the exploited retraction" "$(body | jq -r .held_reason)" "actively exploited"
E2=$(body | jq -r .id)
check_eq "the exploited finding stays open" "$(active 2)" 1
check_eq "CLI lists it held" "$("$VIGIL" sbom list --product router --version 2 --json | jq -r ".[] | select(.id==$E2) | .held")" true
check_eq "CLI approve" "$(run_cmd "$VIGIL" sbom approve "$E2")" 0
check_eq "then retracted" "$(active 2)" 0
ok "CLI approve of a revision not held: refused" test "$(run_cmd "$VIGIL" sbom approve "$E2")" -ne 0
check_contains "and says why" "$(cat "$T_DIR/err")" "approved already"

# 3. More than half of the components dropped (3 of 4), through the
# Dependency-Track route; exactly half is not held.
b64=$(base64 -w0 "$T_DIR/tiny.json")
printf '{"projectName":"router","projectVersion":"3","bom":"%s"}' "$b64" >"$T_DIR/dt.json"
check_eq "DT upload dropping 3 of 4: 202" "$(http PUT /api/v1/bom -H "X-Api-Key: $CI" -H 'Content-Type: application/json' --data-binary @"$T_DIR/dt.json")" 202
check_eq "DT answer says held" "$(body | jq -r .held)" true
check_contains "with the reason" "$(body | jq -r .held_reason)" "drops 3 of the 4 components"
check_eq "the finding stays" "$(active 3)" 1
check_eq "half dropped, compared with the revision in force: not held" "$(up 3 half)" 201
check_eq "not held" "$(body | jq -r .held)" false
check_eq "keeps the finding (helm is still there)" "$(active 3)" 1
check_eq "CLI import held the same way" "$(run_cmd "$VIGIL" sbom import "$T_DIR/empty.json" --product router --version 3 --json)" 0
check_eq "CLI import says held" "$(jq -r .held "$T_DIR/out")" true
check_eq "finding still open" "$(active 3)" 1
# A person approves from the version page.
E4=$(jq -r .id "$T_DIR/out")
check_eq "version 3 page (psirt)" "$(http GET /ui/products/router/versions/3 -H "Authorization: Bearer $PS")" 200
check_contains "offers the approve button" "$(body)" "action=\"/ui/sboms/$E4/approve\""
http GET /ui/products/router/versions/3 -H "Authorization: Bearer $AUD" >/dev/null
check_not_contains "not to the auditor" "$(body)" 'id="approve"'
check_eq "auditor may not post the form" "$(http POST "/ui/sboms/$E4/approve" -H "Authorization: Bearer $AUD")" 403
check_eq "approve form: redirect" "$(http POST "/ui/sboms/$E4/approve" -H "Authorization: Bearer $PS")" 303
check_contains "back to the version page with a code" "$(cat "$T_DIR/headers")" "/ui/products/router/versions/3?done=approved"
http GET "/ui/products/router/versions/3?done=approved" -H "Authorization: Bearer $PS" >/dev/null
check_contains "the confirmation" "$(body)" "Revision approved"
check_not_contains "no longer held" "$(body)" 'id="held"'
check_eq "approved revision retracts the finding" "$(active 3)" 0
check_eq "holds audited" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="sbom.hold")] | length')" 1
check_eq "audit chain intact" "$(run_cmd "$VIGIL" audit verify)" 0
finish
