#!/bin/sh
# The PSIRT triage queue: state transitions (illegal ones refused with the
# allowed list), justification, assignment, comments, bulk changes (one audit
# record per finding, all or nothing), decisions carried over to the next SBOM
# revision and (scope product) to later versions, reopened by a changed
# component version or affected range, SLA due times with --overdue and
# --due-within, sla.warning / sla.breached once each (a webhook receives the
# breach), VEX export (CycloneDX 1.6, CSAF 2.0 csaf_vex, OpenVEX 0.2.0) that
# validates, VEX import, the API.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
TOOLS="$VIGIL_SOURCE_DIR/tests/tools"
NODE_PATH_TESTS="$VIGIL_SOURCE_DIR/tests"
T0=2026-06-01T00:00:00Z
export VIGIL_NOW=$T0

# Advisories written for this test (OSV), with CVSS vectors for severity.
osv() { # id alias package introduced fixed vector [modified]
	cat >"$T_DIR/$1.json" <<JSON
{"schema_version":"1.6.0","id":"$1","aliases":[$2],"modified":"${7:-2026-05-01T00:00:00Z}","published":"2026-05-01T00:00:00Z",
 "summary":"Test vulnerability $1 in $3","severity":[{"type":"CVSS_V3","score":"$6"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"$3"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"$4"},{"fixed":"$5"}]}]}]}
JSON
}
CRIT="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
HIGH="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
MED="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"
osv VT-1 '"CVE-2026-10001"' demo-a 0 1.5.0 "$CRIT"
osv VT-2 '"CVE-2026-10002"' demo-b 0 2.1.0 "$HIGH"
osv VT-2d '"CVE-2026-10002"' demo-d 0 3.0.0 "$HIGH"
osv VT-3 '' demo-c 0 1.0 "$MED"

sbom() { # file b-version c-version
	cat >"$T_DIR/$1" <<JSON
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"library","name":"demo-a","version":"1.0.0","purl":"pkg:pypi/demo-a@1.0.0"},
 {"type":"library","name":"demo-b","version":"$2","purl":"pkg:pypi/demo-b@$2"},
 {"type":"library","name":"demo-c","version":"$3","purl":"pkg:pypi/demo-c@$3"},
 {"type":"library","name":"demo-d","version":"2.0.0","purl":"pkg:pypi/demo-d@2.0.0"}]}
JSON
}
sbom r1.json 2.0.0 0.9

check_eq "product" "$(run_cmd "$VIGIL" product create app)" 0
check_eq "sbom 1.0" "$(run_cmd "$VIGIL" sbom import "$T_DIR/r1.json" --product app --version 1.0)" 0
for a in VT-1 VT-2 VT-2d VT-3; do "$VIGIL" feed import osv "$T_DIR/$a.json" >/dev/null 2>&1; done
"$VIGIL" findings list --json >"$T_DIR/f.json"
check_eq "four findings" "$(jq .total "$T_DIR/f.json")" 4
fid() { # purl-prefix [version]
	"$VIGIL" findings list --version "${2:-1.0}" --json | jq -r --arg p "$1" '.findings[] | select(.purl | startswith($p)) | .id'
}
A=$(fid pkg:pypi/demo-a)
B=$(fid pkg:pypi/demo-b)
C=$(fid pkg:pypi/demo-c)
D=$(fid pkg:pypi/demo-d)
check_eq "all new" "$(jq -r '[.findings[].state] | unique | join(",")' "$T_DIR/f.json")" "new"
check_eq "critical fix due in 7 days" "$(jq -r --argjson id "$A" '.findings[] | select(.id==$id) | .fix_due_at' "$T_DIR/f.json")" "2026-06-08T00:00:00Z"
check_eq "medium fix due in 90 days" "$(jq -r --argjson id "$C" '.findings[] | select(.id==$id) | .due_at' "$T_DIR/f.json")" "2026-08-30T00:00:00Z"

# --- transitions ---
check_eq "new -> affected refused" "$(run_cmd "$VIGIL" findings triage "$A" --state affected)" 1
check_contains "allowed states listed" "$(cat "$T_DIR/err")" "allowed from new: in_triage"
check_eq "unknown id" "$(run_cmd "$VIGIL" findings triage 99999 --state in_triage)" 1
check_contains "unknown id named" "$(cat "$T_DIR/err")" "finding 99999 not found"
check_eq "bad state is refused" "$(run_cmd "$VIGIL" findings triage "$A" --state sleeping)" 1
check_eq "new -> in_triage" "$(run_cmd "$VIGIL" findings triage "$A" --state in_triage --comment 'looking')" 0
check_eq "not_affected without justification" "$(run_cmd "$VIGIL" findings triage "$A" --state not_affected)" 1
check_contains "justification required" "$(cat "$T_DIR/err")" "needs a justification"
check_eq "state unchanged after refusal" "$("$VIGIL" findings show "$A" --json | jq -r .state)" "in_triage"
check_eq "bad justification" "$(run_cmd "$VIGIL" findings triage "$A" --state not_affected --justification because)" 1
check_eq "in_triage -> affected" "$(run_cmd "$VIGIL" findings triage "$A" --state affected)" 0
check_eq "affected -> fixed refused" "$(run_cmd "$VIGIL" findings triage "$A" --state fixed)" 1
check_contains "allowed from affected" "$(cat "$T_DIR/err")" "allowed from affected: in_triage, in_remediation"
check_eq "affected -> in_remediation" "$(run_cmd "$VIGIL" findings triage "$A" --state in_remediation)" 0
check_eq "in_remediation -> fixed" "$(run_cmd "$VIGIL" findings triage "$A" --state fixed)" 0
check_eq "fixed -> in_triage (reopen)" "$(run_cmd "$VIGIL" findings triage "$A" --state in_triage --comment 'regressed')" 0
check_eq "audit: one record per change" "$("$VIGIL" audit log --json | jq --arg id "$A" '[.[] | select(.object_type=="finding" and .object_id==$id)] | length')" 5
check_eq "audit has before and after" "$("$VIGIL" audit log --json | jq -r --arg id "$A" '[.[] | select(.object_type=="finding" and .object_id==$id)][3] | "\(.before.state)->\(.after.state)"')" "in_remediation->fixed"
check_eq "comment in audit" "$("$VIGIL" audit log --json | jq -r --arg id "$A" '[.[] | select(.object_type=="finding" and .object_id==$id)][0].after.comment')" "looking"

# --- assignment and comments ---
check_eq "assign to unknown user" "$(run_cmd "$VIGIL" findings assign "$B" --to nobody)" 1
printf 'alice-password-123\n' | "$VIGIL" user add alice --role psirt --password-stdin >/dev/null 2>&1
check_eq "assign" "$(run_cmd "$VIGIL" findings assign "$B" --to alice)" 0
check_eq "assignee filter" "$("$VIGIL" findings list --assignee alice --json | jq -r '.findings[0].id')" "$B"
check_eq "comment" "$(run_cmd "$VIGIL" findings comment "$B" "vendor asked")" 0
check_eq "comment kept" "$("$VIGIL" findings show "$B" --json | jq -r '.comments[0].body')" "vendor asked"
check_eq "assign audited" "$("$VIGIL" audit log --json | jq -r --arg id "$B" '[.[] | select(.action=="finding.assign" and .object_id==$id)][0].after.assignee')" "alice"

# --- bulk ---
before=$("$VIGIL" audit log --json | jq '[.[] | select(.action=="finding.triage")] | length')
check_eq "bulk: illegal for some -> nothing changes" "$(run_cmd "$VIGIL" findings triage --all-matching --product app --state affected)" 1
check_eq "nothing changed" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="finding.triage")] | length')" "$before"
check_eq "bulk new -> in_triage" "$(run_cmd "$VIGIL" findings triage --all-matching --product app --in-state new --state in_triage --json)" 0
check_eq "three changed" "$(jq .changed "$T_DIR/out")" 3
check_eq "one audit record per finding" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="finding.triage")] | length')" "$((before + 3))"
check_eq "counts by state filter" "$("$VIGIL" findings list --state in_triage --json | jq .total)" 4

# --- decisions ---
check_eq "B not_affected" "$(run_cmd "$VIGIL" findings triage "$B" --state not_affected --justification vulnerable_code_not_in_execute_path --comment 'never called')" 0
check_eq "D affected" "$(run_cmd "$VIGIL" findings triage "$D" --state affected)" 0
check_eq "C false_positive, product scope" "$(run_cmd "$VIGIL" findings triage "$C" --state not_affected --justification component_not_present --scope product)" 0

# Next SBOM revision of 1.0, same components: decisions stand.
sbom r2.json 2.0.0 0.9
check_eq "revision 2" "$(run_cmd "$VIGIL" sbom import "$T_DIR/r2.json" --product app --version 1.0)" 0
check_eq "B still not_affected" "$("$VIGIL" findings show "$B" --json | jq -r .state)" "not_affected"
# Revision 3: demo-b moved to 2.0.1 (still in the range): the decision is reopened.
sbom r3.json 2.0.1 0.9
check_eq "revision 3" "$(run_cmd "$VIGIL" sbom import "$T_DIR/r3.json" --product app --version 1.0)" 0
B2=$(fid pkg:pypi/demo-b@2.0.1)
check_eq "new finding for demo-b 2.0.1 reopened" "$("$VIGIL" findings show "$B2" --json | jq -r .state)" "in_triage"
check_contains "reopen says why" "$("$VIGIL" findings show "$B2" --json | jq -r '.comments[0].body')" "the component is now pkg:pypi/demo-b@2.0.1"
check_eq "reopen audited" "$("$VIGIL" audit log --json | jq -r --arg id "$B2" '[.[] | select(.action=="finding.reopen" and .object_id==$id)][0] | "\(.before.state)->\(.after.state)"')" "new->in_triage"
# Product scope: version 2.0 gets the decision on demo-c.
check_eq "sbom 2.0" "$(run_cmd "$VIGIL" sbom import "$T_DIR/r3.json" --product app --version 2.0)" 0
C2=$(fid pkg:pypi/demo-c 2.0)
check_eq "carried to version 2.0" "$("$VIGIL" findings show "$C2" --json | jq -r '"\(.state) \(.justification)"')" "not_affected component_not_present"
check_contains "carry-over comment" "$("$VIGIL" findings show "$C2" --json | jq -r '.comments[0].body')" "carried over"
check_eq "version scope does not carry B to 2.0" "$("$VIGIL" findings show "$(fid pkg:pypi/demo-b 2.0)" --json | jq -r .state)" "new"
# A changed affected range reopens the decision.
osv VT-3 '' demo-c 0.5 1.0 "$MED" 2026-05-20T00:00:00Z
"$VIGIL" feed import osv "$T_DIR/VT-3.json" >/dev/null 2>&1
check_eq "range change reopens C" "$("$VIGIL" findings show "$C" --json | jq -r .state)" "in_triage"
check_contains "range reopen says why" "$("$VIGIL" findings show "$C" --json | jq -r '.comments[-1].body')" "affected range changed"
check_eq "C triaged again" "$(run_cmd "$VIGIL" findings triage "$C" --state false_positive)" 0

# --- SLA ---
check_eq "sla set high" "$(run_cmd "$VIGIL" sla set --severity high --fix-days 10)" 0
check_eq "sla bad severity" "$(run_cmd "$VIGIL" sla set --severity huge --fix-days 1)" 1
check_eq "sla product policy" "$(run_cmd "$VIGIL" sla set --severity critical --fix-days 3 --product app)" 0
check_eq "product policy wins" "$("$VIGIL" findings show "$A" --json | jq -r .fix_due_at)" "2026-06-04T00:00:00Z"
check_eq "medium has no policy" "$(run_cmd "$VIGIL" sla unset --severity medium)" 0
check_eq "no due for medium (no policy)" "$("$VIGIL" findings show "$C2" --json | jq -r .due_at)" "null"
check_eq "nothing overdue at T0" "$("$VIGIL" findings list --overdue --json | jq .total)" 0
check_eq "due within 48h at day 8.5: the high ones (day 10)" "$(VIGIL_NOW=2026-06-09T12:00:00Z "$VIGIL" findings list --due-within 48h --product app --version 1.0 --json | jq -r '[.findings[].id] | sort | join(",")')" "$(printf '%s\n%s\n' "$D" "$B2" | sort -n | paste -sd, -)"
check_eq "overdue at day 11" "$(VIGIL_NOW=2026-06-12T00:00:00Z "$VIGIL" findings list --overdue --version 1.0 --json | jq -r '[.findings[].id] | sort | join(",")')" "$(printf '%s\n%s\n%s\n' "$A" "$D" "$B2" | sort -n | paste -sd, -)"
check_eq "sort by due" "$("$VIGIL" findings list --sort due --state open --version 1.0 --json | jq -r '.findings[0].id')" "$A"

python3 "$TOOLS/receiver.py" --log "$T_DIR/hook.log" --port-file "$T_DIR/hook.port" &
HPID=$!
trap 'kill $HPID 2>/dev/null; t_cleanup' EXIT
i=0
while [ ! -s "$T_DIR/hook.port" ]; do i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1; done
echo 'whsec-triage' | "$VIGIL" notify channel-add hook --kind webhook --url "http://127.0.0.1:$(cat "$T_DIR/hook.port")/hook" --secret-stdin >/dev/null
"$VIGIL" notify rule-add --event sla.breached --channel hook >/dev/null
"$VIGIL" notify rule-add --event sla.warning --channel hook >/dev/null
check_eq "tick at T0: nothing" "$("$VIGIL" sla tick --json | jq -c .)" '{"warnings":0,"breaches":0}'
# Day 8: the last quarter of the four high findings' 10 days began (1.0 and
# 2.0); the two critical ones (3 days for this product) have breached.
check_eq "tick at day 8: warnings and breaches" "$(VIGIL_NOW=2026-06-09T00:00:00Z "$VIGIL" sla tick --json | jq -c .)" '{"warnings":4,"breaches":2}'
check_eq "warning sent once" "$(VIGIL_NOW=2026-06-09T01:00:00Z "$VIGIL" sla tick --json | jq -c .)" '{"warnings":0,"breaches":0}'
check_eq "tick at day 11: breach" "$(VIGIL_NOW=2026-06-12T00:00:00Z "$VIGIL" sla tick --json | jq .breaches)" 4
check_eq "breach sent once" "$(VIGIL_NOW=2026-06-12T00:00:00Z "$VIGIL" sla tick --json | jq .breaches)" 0
check_eq "no alert for medium without policy" "$("$VIGIL" audit log --json | jq --arg id "$C2" '[.[] | select((.action|startswith("sla.")) and .object_id==$id)] | length')" 0
check_contains "deliveries sent" "$(VIGIL_NOW=2026-06-12T00:00:00Z "$VIGIL" notify run)" "10 sent, 0 failed"
check_eq "webhook received the breach of D" "$(jq -r '.body | fromjson | select(.event=="sla.breached") | .details.finding_id' "$T_DIR/hook.log" | grep -c "^$D\$")" 1

# KEV: 24 hours to triage.
cat >"$T_DIR/kev.json" <<'JSON'
{"title":"t","catalogVersion":"1","count":1,"vulnerabilities":[{"cveID":"CVE-2026-10002","vendorProject":"x","product":"demo-d","vulnerabilityName":"t","dateAdded":"2026-06-01","shortDescription":"x","requiredAction":"x","dueDate":"2026-06-22","knownRansomwareCampaignUse":"Unknown","notes":""}]}
JSON
"$VIGIL" feed import kev "$T_DIR/kev.json" >/dev/null 2>&1
check_eq "KEV finding in triage due in 24 hours" "$("$VIGIL" findings show "$B2" --json | jq -r .triage_due_at)" "2026-06-02T00:00:00Z"
check_eq "KEV overdue after 25 hours" "$(VIGIL_NOW=2026-06-02T01:00:00Z "$VIGIL" findings list --overdue --kev --version 1.0 --json | jq -r '.findings[0].id')" "$B2"

# --- VEX ---
for fmt in cyclonedx csaf openvex; do
	check_eq "vex export $fmt" "$(run_cmd "$VIGIL" vex export --product app --version 1.0 --format $fmt -o "$T_DIR/vex.$fmt.json")" 0
done
check_eq "CycloneDX 1.6 validates" "$(cd "$NODE_PATH_TESTS" && run_cmd node tools/validate-export.mjs cyclonedx 1.6 "$T_DIR/vex.cyclonedx.json")" 0
check_eq "CSAF 2.0 validates (schema + mandatory tests)" "$(cd "$NODE_PATH_TESTS" && run_cmd node tools/validate-csaf.mjs "$T_DIR/vex.csaf.json")" 0
check_eq "CDX: one statement per vulnerability and component" "$(jq -r '[.vulnerabilities[] | select(.id=="CVE-2026-10002") | "\(.affects[0].ref)=\(.analysis.state)"] | sort | join(" ")' "$T_DIR/vex.cyclonedx.json")" "pkg:pypi/demo-b@2.0.1=in_triage pkg:pypi/demo-d@2.0.0=exploitable"
check_eq "CDX: false positive" "$(jq -r '.vulnerabilities[] | select(.affects[0].ref=="pkg:pypi/demo-c@0.9") | .analysis.state' "$T_DIR/vex.cyclonedx.json")" "false_positive"
check_eq "CSAF: per component status" "$(jq -r '.vulnerabilities[] | select(.cve=="CVE-2026-10002") | .product_status | keys | join(",")' "$T_DIR/vex.csaf.json")" "known_affected,under_investigation"
check_eq "OpenVEX context" "$(jq -r '."@context"' "$T_DIR/vex.openvex.json")" "https://openvex.dev/ns/v0.2.0"
check_eq "OpenVEX: affected has an action statement" "$(jq -r '.statements[] | select(.products[0].subcomponents[0]["@id"]=="pkg:pypi/demo-d@2.0.0") | .action_statement' "$T_DIR/vex.openvex.json")" "Update the component to 3.0.0 or later."

# A decision made elsewhere, imported: OpenVEX says B2 is not affected.
jq '(.statements[] | select(.products[0].subcomponents[0]["@id"]=="pkg:pypi/demo-b@2.0.1")) |= (.status="not_affected" | .justification="inline_mitigations_already_exist")' "$T_DIR/vex.openvex.json" >"$T_DIR/in.openvex.json"
check_eq "openvex import" "$(VIGIL_ACTOR=importer run_cmd "$VIGIL" vex import "$T_DIR/in.openvex.json" --product app --version 1.0 --json)" 0
check_eq "one applied" "$(jq -c '[.format,.applied]' "$T_DIR/out")" '["openvex",1]'
check_eq "B2 not_affected from VEX" "$("$VIGIL" findings show "$B2" --json | jq -r '"\(.state) \(.justification)"')" "not_affected inline_mitigations_already_exist"
check_eq "import audited, actor the importer" "$("$VIGIL" audit log --json | jq -r --arg id "$B2" '[.[] | select(.action=="finding.vex_import" and .object_id==$id)][0].actor')" "importer"
# CycloneDX and CSAF round trips: D fixed via CycloneDX; C back via CSAF.
jq '(.vulnerabilities[] | select(.affects[0].ref=="pkg:pypi/demo-d@2.0.0") | .analysis) |= {"state":"resolved"}' "$T_DIR/vex.cyclonedx.json" >"$T_DIR/in.cdx.json"
check_eq "cyclonedx import" "$(run_cmd "$VIGIL" vex import "$T_DIR/in.cdx.json" --product app --version 1.0 --json)" 0
check_eq "D fixed from CycloneDX" "$("$VIGIL" findings show "$D" --json | jq -r .state)" "fixed"
"$VIGIL" findings triage "$C" --state in_triage >/dev/null
check_eq "csaf import" "$(run_cmd "$VIGIL" vex import "$T_DIR/vex.csaf.json" --product app --version 1.0 --json)" 0
check_eq "C false_positive again from CSAF" "$("$VIGIL" findings show "$C" --json | jq -r .state)" "false_positive"
# Malformed VEX: clear error, nothing changed.
n=$("$VIGIL" audit log --json | jq length)
jq '.statements[0].status="maybe"' "$T_DIR/vex.openvex.json" >"$T_DIR/bad.json"
check_eq "bad status refused" "$(run_cmd "$VIGIL" vex import "$T_DIR/bad.json" --product app --version 1.0)" 1
check_contains "error names the place" "$(cat "$T_DIR/err")" "/statements/0/status"
echo '{"hello":' >"$T_DIR/bad2.json"
check_eq "broken JSON refused" "$(run_cmd "$VIGIL" vex import "$T_DIR/bad2.json" --product app --version 1.0)" 1
check_eq "not a VEX refused" "$(echo '{"a":1}' >"$T_DIR/bad3.json"; run_cmd "$VIGIL" vex import "$T_DIR/bad3.json" --product app --version 1.0)" 1
check_eq "nothing changed by bad documents" "$("$VIGIL" audit log --json | jq length)" "$n"
check_eq "export of unknown version" "$(run_cmd "$VIGIL" vex export --product app --version 9 --format csaf)" 1

# --- API ---
start_server
TOK=$(admin_token)
# The CSAF document imported last said D is affected.
check_eq "API triage illegal" "$(http POST "/api/v1/findings/$D/triage" -H "Authorization: Bearer $TOK" -d '{"state":"fixed"}')" 409
check_contains "API lists allowed" "$(body)" "allowed from affected: in_triage, in_remediation"
check_eq "API triage" "$(http POST "/api/v1/findings/$D/triage" -H "Authorization: Bearer $TOK" -d '{"state":"in_triage","comment":"api"}')" 200
check_eq "API state" "$(body | jq -r .state)" "in_triage"
check_eq "API assign" "$(http POST "/api/v1/findings/$D/assign" -H "Authorization: Bearer $TOK" -d '{"to":"alice"}')" 200
check_eq "API comment" "$(http POST "/api/v1/findings/$D/comments" -H "Authorization: Bearer $TOK" -d '{"text":"hello"}')" 200
check_eq "API finding history" "$(http GET "/api/v1/findings/$D" -H "Authorization: Bearer $TOK")" 200
check_eq "API history has every change" "$(body | jq '[.history[] | select(.actor=="token:t-admin")] | length')" 3
check_eq "API bulk" "$(http POST /api/v1/triage/bulk -H "Authorization: Bearer $TOK" -d '{"filter":{"product":"app","version":"2.0","state":"new"},"state":"in_triage"}')" 200
check_eq "API bulk count" "$(body | jq .changed)" 3
check_eq "API unknown finding" "$(http POST /api/v1/findings/424242/triage -H "Authorization: Bearer $TOK" -d '{"state":"in_triage"}')" 404
check_eq "API bad body" "$(http POST "/api/v1/findings/$D/triage" -H "Authorization: Bearer $TOK" -d '{"state":')" 400
check_eq "API filters" "$(http GET '/api/v1/findings?state=in_triage&assignee=alice&sort=due' -H "Authorization: Bearer $TOK")" 200
check_eq "API filtered rows" "$(body | jq -r '.findings[0].id')" "$D"
check_eq "API counts" "$(http GET '/api/v1/triage/counts?product=app&version=2.0' -H "Authorization: Bearer $TOK")" 200
# C2 was reopened by the range change: all four in triage.
check_eq "API counts values" "$(body | jq -c '[.in_triage, .not_affected]')" "[4,0]"
check_eq "API VEX" "$(http GET '/api/v1/vex/app/1.0?format=openvex' -H "Authorization: Bearer $TOK")" 200
check_contains "VEX download named after what it is" "$(cat "$T_DIR/headers")" 'filename="app-1.0.openvex.json"'
check_eq "VEX download is the document" "$(body | jq -r '."@context"' | cut -c1-24)" "https://openvex.dev/ns/v"
check_eq "API VEX import" "$(http POST /api/v1/vex/app/1.0 -H "Authorization: Bearer $TOK" --data-binary @"$T_DIR/in.openvex.json")" 200
check_eq "API VEX import format" "$(body | jq -r ".format // .error.message")" "openvex"
check_eq "API VEX import of garbage" "$(http POST /api/v1/vex/app/1.0 -H "Authorization: Bearer $TOK" -d '{"x":1}')" 400
check_eq "API SLA policy" "$(http PUT /api/v1/sla/policies -H "Authorization: Bearer $TOK" -d '{"severity":"low","fix_days":200}')" 200

# --- Done when: a decision made in the web UI is in the audit log, in the
# VEX exports (which validate) and carries over to the next SBOM revision
# (and, scope product, to a later version).
J="$T_DIR/jar"
csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
check_eq "alice logs in" "$(curl -s -o /dev/null -w '%{http_code}' -c "$J" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode user=alice --data-urlencode password=alice-password-123 "$BASE/ui/login")" 303
curl -s -b "$J" "$BASE/ui/findings?product=app&version=1.0" >"$T_DIR/queue.html"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T_DIR/queue.html" | head -1)
check_contains "queue has a triage form per row" "$(cat "$T_DIR/queue.html")" "action=\"/ui/findings/$A/triage?product=app&amp;version=1.0#f$A\""
check_contains "queue has the chart" "$(cat "$T_DIR/queue.html")" '<svg id="chart-open"'
check_not_contains "no inline style" "$(cat "$T_DIR/queue.html")" 'style='
check_eq "web triage without CSRF refused" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" -d 'state=affected' "$BASE/ui/findings/$A/triage")" 403
check_eq "web triage" "$(curl -s -o /dev/null -D "$T_DIR/h" -w '%{http_code}' -b "$J" --data-urlencode "csrf=$csrf" -d state=not_affected -d justification=vulnerable_code_not_present -d scope=product --data-urlencode 'comment=web decision' "$BASE/ui/findings/$A/triage?product=app&version=1.0")" 303
check_contains "back to the filtered list" "$(cat "$T_DIR/h")" "Location: /ui/findings?product=app&version=1.0#f$A"
check_eq "web decision in the audit log" "$("$VIGIL" audit log --json | jq -r --arg id "$A" '[.[] | select(.action=="finding.triage" and .object_id==$id)][-1] | "\(.actor) \(.before.state)->\(.after.state) \(.after.justification)"')" "alice in_triage->not_affected vulnerable_code_not_present"
check_eq "illegal web triage: the list again, with the reason" "$(curl -s -o "$T_DIR/ill.html" -w '%{http_code}' -b "$J" --data-urlencode "csrf=$csrf" -d state=fixed "$BASE/ui/findings/$A/triage?version=1.0")" 409
check_contains "the reason in words" "$(cat "$T_DIR/ill.html")" "cannot become Fixed"
check_eq "finding page" "$(curl -s -o "$T_DIR/fp.html" -w '%{http_code}' -b "$J" "$BASE/ui/findings/$A")" 200
check_contains "finding page shows the history" "$(cat "$T_DIR/fp.html")" "finding.triage"
"$VIGIL" vex export --product app --version 1.0 --format cyclonedx -o "$T_DIR/web.cdx.json"
"$VIGIL" vex export --product app --version 1.0 --format csaf -o "$T_DIR/web.csaf.json"
check_eq "web decision in CycloneDX VEX" "$(jq -r '.vulnerabilities[] | select(.affects[0].ref=="pkg:pypi/demo-a@1.0.0") | "\(.analysis.state) \(.analysis.justification)"' "$T_DIR/web.cdx.json")" "not_affected code_not_present"
check_eq "web decision in CSAF VEX" "$(jq -r '.vulnerabilities[] | select(.cve=="CVE-2026-10001") | .flags[0].label' "$T_DIR/web.csaf.json")" "vulnerable_code_not_present"
check_eq "CycloneDX still validates" "$(cd "$NODE_PATH_TESTS" && run_cmd node tools/validate-export.mjs cyclonedx 1.6 "$T_DIR/web.cdx.json")" 0
check_eq "CSAF still validates" "$(cd "$NODE_PATH_TESTS" && run_cmd node tools/validate-csaf.mjs "$T_DIR/web.csaf.json")" 0
check_eq "revision 4 of 1.0" "$(run_cmd "$VIGIL" sbom import "$T_DIR/r3.json" --product app --version 1.0)" 0
check_eq "web decision holds in the next revision" "$("$VIGIL" findings show "$A" --json | jq -r .state)" "not_affected"
check_eq "version 3.0" "$(run_cmd "$VIGIL" sbom import "$T_DIR/r3.json" --product app --version 3.0)" 0
check_eq "web decision carried to version 3.0" "$("$VIGIL" findings show "$(fid pkg:pypi/demo-a 3.0)" --json | jq -r '"\(.state) \(.justification)"')" "not_affected vulnerable_code_not_present"
stop_server

# --- count cap: totals of broad filters stop at offset + triage.count_cap ---
all=$("$VIGIL" findings list --json | jq .total)
new=$("$VIGIL" findings list --state new --json | jq .total)
VIGIL_TRIAGE_COUNT_CAP=2 start_server
TOK=$(admin_token)
curl -s -H "Authorization: Bearer $TOK" "$BASE/api/v1/findings?limit=1" >"$T_DIR/cap.json"
check_eq "capped total" "$(jq -c '[.total, .total_exact, (.findings | length)]' "$T_DIR/cap.json")" "[2,false,1]"
curl -s -H "Authorization: Bearer $TOK" "$BASE/api/v1/findings?limit=1&offset=1" >"$T_DIR/cap.json"
check_eq "cap counts from the offset" "$(jq -c '[.total, .total_exact]' "$T_DIR/cap.json")" "[3,false]"
curl -s -H "Authorization: Bearer $TOK" "$BASE/api/v1/findings?limit=1&count=exact" >"$T_DIR/cap.json"
check_eq "count=exact" "$(jq -c '[.total, .total_exact]' "$T_DIR/cap.json")" "[$all,true]"
curl -s -H "Authorization: Bearer $TOK" "$BASE/api/v1/findings?vuln=CVE-2026-10001&version=1.0" >"$T_DIR/cap.json"
check_eq "a small result is exact" "$(jq -c '[.total_exact, .total == (.findings | length)]' "$T_DIR/cap.json")" "[true,true]"
curl -s -b "$J" "$BASE/ui/findings" >"$T_DIR/queue.html"
# the page's total is capped at 50 at least: exact here
check_contains "queue page total" "$(cat "$T_DIR/queue.html")" " of $all</p>"
if [ "$new" -gt 2 ]; then
	check_contains "state count capped" "$(cat "$T_DIR/queue.html")" 'data-state="new">New <strong>2+</strong>'
else
	check_contains "state count exact" "$(cat "$T_DIR/queue.html")" "data-state=\"new\">New <strong>$new</strong>"
fi
check_contains "an empty state counts 0" "$(cat "$T_DIR/queue.html")" 'data-state="fixed">Fixed <strong>0</strong>'
# the counts are reused for seconds, but never across a change made here
aff=$("$VIGIL" findings list --state affected --json | jq .total)
IT=$("$VIGIL" findings list --state in_triage --json | jq '.findings[0].id')
check_contains "affected before" "$(cat "$T_DIR/queue.html")" "data-state=\"affected\">Affected <strong>$aff</strong>"
check_eq "web triage to affected" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" --data-urlencode "csrf=$csrf" -d state=affected "$BASE/ui/findings/$IT/triage")" 303
curl -s -b "$J" "$BASE/ui/findings" >"$T_DIR/queue.html"
check_contains "the change counted at once" "$(cat "$T_DIR/queue.html")" "data-state=\"affected\">Affected <strong>$((aff + 1))</strong>"
stop_server

finish
