#!/bin/sh
# Article 14 guarded, and cases opened by the PSIRT (issue 17, items 2, 3, 6):
# - a later stage recorded before an earlier one, or a filing without an
#   approved draft, is refused without a reason (CLI, API and the case page
#   alike, with a clear message) and recorded with one; the reason and what it
#   overrode are in the audit trail;
# - four-eyes review is on by default once two PSIRT people exist (off with
#   one), art14.four_eyes=always|off overrides; nobody approves their own
#   draft, and the page does not offer them the button;
# - a case opened from findings (CLI, API, the page's POST) links the findings
#   and their vulnerabilities; links to CVE/GHSA ids are checked, findings
#   must exist, links can be removed (audited);
# - a case cannot be assigned to someone who is not a PSIRT person.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
VIGIL_PASSWORD=pw-lead-6600 "$VIGIL" user add lead --role psirt >/dev/null
VIGIL_PASSWORD=pw-aud-6600 "$VIGIL" user add aud --role auditor >/dev/null

ago() { date -u -d "-$1" +%Y-%m-%dT%H:%M:%SZ; }
audit_last() { # OBJECT ACTION -> the after of the latest record
	"$VIGIL" audit log --object "$1" --json | jq -c --arg a "$2" '[.[] | select(.action==$a)] | last | .after'
}

# ---- the order of Article 14 (CLI) ----
VIGIL_ACTOR=lead "$VIGIL" incident open --aware-at "$(ago '5 hours')" --title 'Update server breached' \
	--product router --member-states DE --evidence 'SOC ticket 7' >/dev/null
check_eq "notification before the early warning refused" "$(VIGIL_ACTOR=lead run_cmd "$VIGIL" art14 submitted 1 --stage notification --at "$(ago '1 hour')" --reference N-1)" 1
check_contains "the message names the early warning" "$(cat "$T_DIR/err")" "the early warning is not recorded as filed yet"
check_contains "the message names the missing approval" "$(cat "$T_DIR/err")" "there is no approved draft of the notification"
check_contains "the CLI says how" "$(cat "$T_DIR/err")" "--reason"
check_eq "nothing recorded" "$("$VIGIL" art14 list --json | jq -r '.[] | select(.exposure_id==1 and .stage=="notification") | .state')" pending
check_eq "an empty reason is no reason" "$(VIGIL_ACTOR=lead run_cmd "$VIGIL" art14 submitted 1 --stage notification --at "$(ago '1 hour')" --reference N-1 --reason '')" 1
check_eq "with a reason it is recorded" "$(VIGIL_ACTOR=lead run_cmd "$VIGIL" art14 submitted 1 --stage notification --at "$(ago '1 hour')" --reference N-1 --reason 'CSIRT asked for the notification first')" 0
A=$(audit_last art14_exposure:1 art14.submitted)
check_eq "audit: the reason" "$(echo "$A" | jq -r .reason)" "CSIRT asked for the notification first"
check_eq "audit: what it overrode" "$(echo "$A" | jq -r '"\(.before_earlier_stages | join(",")) \(.without_approved_draft)"')" "early-warning true"
check_eq "the obligation keeps the reason" "$("$VIGIL" art14 list --json | jq -r '.[] | select(.exposure_id==1 and .stage=="notification") | .reason')" "CSIRT asked for the notification first"

# the early warning without an approved draft: needs a reason too
check_eq "filing without an approved draft refused" "$(VIGIL_ACTOR=lead run_cmd "$VIGIL" art14 submitted 1 --stage early-warning --at "$(ago '1 hour')" --reference EW-1)" 1
check_contains "no approved draft named" "$(cat "$T_DIR/err")" "there is no approved draft of the early warning"
check_not_contains "no order problem for the first stage" "$(cat "$T_DIR/err")" "not recorded as filed"

# with one PSIRT person, four-eyes is off: the author approves, then files without a reason
VIGIL_ACTOR=lead "$VIGIL" art14 edit 1 --stage early-warning --set 'summary=Update server breached' >/dev/null
check_eq "one PSIRT person: export says four-eyes off" "$("$VIGIL" art14 export 1 --stage early-warning | jq -r .four_eyes)" false
check_eq "one PSIRT person: the author approves" "$(VIGIL_ACTOR=lead run_cmd "$VIGIL" art14 approve 1 --stage early-warning)" 0
check_eq "approved draft, first stage: no reason needed" "$(VIGIL_ACTOR=lead run_cmd "$VIGIL" art14 submitted 1 --stage early-warning --at "$(ago '1 hour')" --reference EW-1)" 0
check_eq "audit: no reason when none was needed" "$(audit_last art14_exposure:1 art14.submitted | jq -r '.reason // "none"')" none
check_eq "setting always: the author is refused even alone" "$(VIGIL_ART14_FOUR_EYES=always VIGIL_ACTOR=lead run_cmd "$VIGIL" art14 draft 1 --stage final >/dev/null; VIGIL_ART14_FOUR_EYES=always VIGIL_ACTOR=lead run_cmd "$VIGIL" art14 approve 1 --stage final)" 1
check_eq "a bad setting is refused" "$(VIGIL_ART14_FOUR_EYES=sometimes VIGIL_ACTOR=lead run_cmd "$VIGIL" art14 export 1 --stage early-warning)" 2
check_contains "and named" "$(cat "$T_DIR/err")" "art14.four_eyes"

# ---- four-eyes by default with two PSIRT people ----
VIGIL_PASSWORD=pw-deputy-6600 "$VIGIL" user add deputy --role psirt >/dev/null
VIGIL_ACTOR=lead "$VIGIL" incident open --aware-at "$(ago '3 hours')" --title 'Second incident' \
	--product router --member-states FR --evidence 'SOC ticket 8' >/dev/null
VIGIL_ACTOR=lead "$VIGIL" art14 edit 2 --stage early-warning --set 'summary=Second' >/dev/null
check_eq "two PSIRT people: four-eyes on" "$("$VIGIL" art14 export 2 --stage early-warning | jq -r .four_eyes)" true
check_eq "nobody approves their own draft" "$(VIGIL_ACTOR=lead run_cmd "$VIGIL" art14 approve 2 --stage early-warning)" 1
check_contains "refusal explained" "$(cat "$T_DIR/err")" "nobody approves their own draft"
check_eq "not approved" "$("$VIGIL" art14 export 2 --stage early-warning | jq -r .approved)" false
check_eq "setting off: the author may approve" "$(VIGIL_ART14_FOUR_EYES=off "$VIGIL" art14 export 2 --stage early-warning | jq -r .four_eyes)" false
check_eq "the other person approves" "$(VIGIL_ACTOR=deputy run_cmd "$VIGIL" art14 approve 2 --stage early-warning)" 0
check_eq "approved" "$("$VIGIL" art14 export 2 --stage early-warning | jq -r '"\(.approved) \(.approvals | map(.approved_by) | join(","))"')" "true deputy"

# ---- the API: same guard, same four-eyes ----
start_server
TOK=$(admin_token)
api() { # METHOD PATH JSON -> status
	http "$1" "$2" -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' --data-binary "$3"
}
check_eq "API: notification before the early warning refused" "$(api POST /api/v1/art14/2/submitted "{\"stage\":\"notification\",\"at\":\"$(ago '1 hour')\",\"reference\":\"N-2\"}")" 409
check_contains "API: message" "$(body | jq -r .error.message)" "reason: recording the notification"
check_eq "API: with a reason" "$(api POST /api/v1/art14/2/submitted "{\"stage\":\"notification\",\"at\":\"$(ago '1 hour')\",\"reference\":\"N-2\",\"reason\":\"phone call with the CSIRT\"}")" 200
check_eq "API: audit has the reason" "$(audit_last art14_exposure:2 art14.submitted | jq -r .reason)" "phone call with the CSIRT"
check_eq "API: bad time refused" "$(api POST /api/v1/art14/2/submitted '{"stage":"early-warning","at":"soon","reference":"x"}')" 400

# ---- cases: unknown assignee, from findings, links ----
cat >"$T_DIR/fw.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
 "metadata":{"component":{"type":"firmware","bom-ref":"fw","name":"router-fw","version":"4.2.0"}},
 "components":[{"type":"library","bom-ref":"h","name":"api","group":"github.com/fluxcd/helm-controller","version":"v0.16.0","purl":"pkg:golang/github.com/fluxcd/helm-controller/api@v0.16.0"}],
 "dependencies":[{"ref":"fw","dependsOn":["h"]}]}
JSON
"$VIGIL" product create router --placed-on-market 2026-01-10 >/dev/null
"$VIGIL" sbom import "$T_DIR/fw.json" --product router --version 4.2.0 >/dev/null
"$VIGIL" sbom import "$T_DIR/fw.json" --product router --version 4.3.0 >/dev/null
"$VIGIL" feed import osv "$VIGIL_SHARED_DATA/vuln/osv/go-vulndb/GO-2022-1071.json" >/dev/null
F1=$("$VIGIL" findings list --json | jq -r '[.findings[].id] | sort | .[0]')
F2=$("$VIGIL" findings list --json | jq -r '[.findings[].id] | sort | .[1]')
check_eq "two findings to work with" "$([ -n "$F1" ] && [ -n "$F2" ] && [ "$F1" != "$F2" ] && [ "$F2" != null ] && echo yes)" yes

check_eq "CLI: case from a finding that does not exist" "$(VIGIL_ACTOR=lead run_cmd "$VIGIL" case new --findings 999999)" 1
check_contains "named" "$(cat "$T_DIR/err")" "finding 999999 does not exist"
check_eq "CLI: case from two findings" "$(VIGIL_ACTOR=lead run_cmd "$VIGIL" case new --findings "$F1,$F2" --assignee lead)" 0
C1=$(sed -n 's/^case \([0-9]*\) opened$/\1/p' "$T_DIR/out")
"$VIGIL" case show "$C1" --json >"$T_DIR/c1.json"
check_eq "from findings: product and state" "$(jq -r '"\(.product) \(.state) \(.assignee)"' "$T_DIR/c1.json")" "router acknowledged lead"
check_eq "from findings: both linked" "$(jq -r '[.links[] | select(.kind=="finding") | .value] | sort | join(",")' "$T_DIR/c1.json")" "$(printf '%s\n%s\n' "$F1" "$F2" | sort | paste -sd, -)"
check_contains "from findings: title names the vulnerability" "$(jq -r .title "$T_DIR/c1.json")" "in router 4."
check_eq "audited case.opened" "$("$VIGIL" audit log --object "case:$C1" --json | jq -r '[.[] | select(.action=="case.opened")] | length')" 1

check_eq "API: case with an unknown assignee refused" "$(api POST /api/v1/cases '{"title":"t","product":"router","description":"d","assignee":"ghost"}')" 400
check_contains "API: assignee named" "$(body | jq -r .error.message)" "assignee 'ghost'"
check_eq "API: case from a finding" "$(api POST /api/v1/cases "{\"findings\":[$F1],\"vulns\":[\"CVE-2022-39272\"],\"severity\":\"high\"}")" 201
C2=$(body | jq -r .id)
check_eq "API: linked to the CVE and the finding" "$(body | jq -r '[.links[] | "\(.kind):\(.value)"] | sort | join(" ")')" "cve:CVE-2022-39272 finding:$F1"
check_eq "API: severity kept" "$(body | jq -r .severity)" high
check_eq "API: bad vulnerability id refused" "$(api POST /api/v1/cases '{"title":"t","product":"router","description":"d","vulns":["CVE-22-1"]}')" 400
check_eq "API: assign to an auditor refused" "$(api POST /api/v1/cases/$C2/assign '{"to":"aud"}')" 400
check_eq "CLI: assign to nobody refused" "$(run_cmd "$VIGIL" case assign "$C2" ghost)" 2
check_contains "CLI: explained" "$(cat "$T_DIR/err")" "no enabled user with the role psirt or admin"
check_eq "CLI: assign to deputy" "$(run_cmd "$VIGIL" case assign "$C2" deputy)" 0

# links: checked ids, existing findings, removal audited
check_eq "CLI: bad GHSA refused" "$(run_cmd "$VIGIL" case link "$C2" --ghsa GHSA-1234)" 2
check_eq "CLI: GHSA linked" "$(run_cmd "$VIGIL" case link "$C2" --ghsa GHSA-q6h7-4qgw-2j9p)" 0
check_eq "CLI: unknown finding refused" "$(run_cmd "$VIGIL" case link "$C2" --finding 999999)" 1
check_eq "CLI: unlink" "$(run_cmd "$VIGIL" case link "$C2" --ghsa GHSA-q6h7-4qgw-2j9p --remove)" 0
check_eq "unlink audited" "$(audit_last "case:$C2" case.unlink | jq -r .linked)" false
check_eq "CLI: unlinking what is not linked" "$(run_cmd "$VIGIL" case link "$C2" --ghsa GHSA-q6h7-4qgw-2j9p --remove)" 1

# ---- the browser's forms (no JavaScript) ----
J="$T_DIR/jar"
login() {
	rm -f "$J"
	csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -c "$J" -b "$J" --data-urlencode "csrf=$csrf" \
		--data-urlencode "user=$1" --data-urlencode "password=$2" "$BASE/ui/login"
}
page() {
	s=$(curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$BASE$1")
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T_DIR/body" | head -1 >"$T_DIR/csrf"
	echo "$s"
}
post() {
	p=$1
	shift
	set -- --data-urlencode "csrf=$(cat "$T_DIR/csrf")" "$@"
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$@" "$BASE$p"
}
location() { sed -n 's/^Location: *\([^\r]*\).*/\1/p' "$T_DIR/headers"; }

check_eq "lead logs in" "$(login lead pw-lead-6600)" 303
check_eq "new case page" "$(page /ui/cases/new)" 200
check_contains "assignees are PSIRT people" "$(body)" "<option>deputy</option>"
check_not_contains "auditors are not offered" "$(body)" "<option>aud</option>"
check_eq "new case without a title refused" "$(post /ui/cases --data-urlencode title= --data-urlencode product=router --data-urlencode 'description=typed <text>')" 400
check_contains "error beside the title" "$(body)" 'id="err-new-case-title"'
check_contains "typed description kept" "$(body)" "typed &lt;text&gt;"
check_eq "new case" "$(post /ui/cases --data-urlencode 'title=Found in review' --data-urlencode product=router --data-urlencode severity=critical --data-urlencode 'description=heap overflow' --data-urlencode assignee=deputy --data-urlencode 'vulnerabilities=CVE-2026-11111')" 303
C3=$(location | sed -n 's|^/ui/cases/\([0-9]*\)?done=opened$|\1|p')
check_eq "opened, linked, assigned" "$("$VIGIL" case show "$C3" --json | jq -r '"\(.severity) \(.assignee) \([.links[].value] | join(","))"')" "critical deputy CVE-2026-11111"
check_eq "from-findings form" "$(page "/ui/cases/from-findings?findings=$F1+$F2")" 200
check_contains "the findings offered ticked" "$(body)" "name=\"finding\" value=\"$F2\""
check_eq "case from findings (the queue's POST)" "$(post /ui/cases/from-findings -d "finding=$F1" -d "finding=$F2")" 303
C4=$(location | sed -n 's|^/ui/cases/\([0-9]*\)?done=opened$|\1|p')
check_eq "both findings linked" "$("$VIGIL" case show "$C4" --json | jq -r '[.links[] | select(.kind=="finding")] | length')" 2
check_eq "from findings: none picked" "$(post /ui/cases/from-findings --data-urlencode 'title=x')" 400
check_contains "explained at the field" "$(body)" 'id="err-from-findings-findings"'
check_eq "from findings by CVE alias" "$(page /ui/cases/from-findings)" 200
check_eq "from findings: unknown finding" "$(post /ui/cases/from-findings -d finding=999999)" 404

check_eq "case page" "$(page "/ui/cases/$C3")" 200
check_eq "link a bad id" "$(post "/ui/cases/$C3/link" --data-urlencode 'vuln=CVE-12')" 400
check_contains "error beside the field" "$(body)" 'id="err-link-form-vuln"'
check_contains "typed id kept" "$(body)" 'value="CVE-12"'
check_eq "link a GHSA" "$(post "/ui/cases/$C3/link" --data-urlencode 'vuln=GHSA-q6h7-4qgw-2j9p')" 303
check_eq "link a finding" "$(post "/ui/cases/$C3/link" --data-urlencode "finding=$F1")" 303
check_eq "links" "$("$VIGIL" case show "$C3" --json | jq -r '[.links[] | "\(.kind):\(.value)"] | sort | join(" ")')" "cve:CVE-2026-11111 finding:$F1 ghsa:GHSA-q6h7-4qgw-2j9p"
check_eq "unlink" "$(post "/ui/cases/$C3/unlink" -d kind=ghsa -d value=GHSA-q6h7-4qgw-2j9p)" 303
check_eq "unlinked" "$("$VIGIL" case show "$C3" --json | jq -r '[.links[] | select(.kind=="ghsa")] | length')" 0
check_eq "page shows the history" "$(page "/ui/cases/$C3")" 200
check_contains "history: link removed" "$(body)" "Link removed"
check_contains "labels, not codes" "$(body)" '<dd id="case-severity">Critical</dd>'

# Article 14 on the page: the author is not offered Approve, the other is
VIGIL_ACTOR=lead "$VIGIL" case exploited "$C3" --aware-at "$(ago '2 hours')" --evidence 'exploit seen' >/dev/null
E=$("$VIGIL" case show "$C3" --json | jq -r '.exposures[0].id')
check_eq "case page with clocks" "$(page "/ui/cases/$C3")" 200
check_contains "next deadline on top" "$(body)" 'id="next-deadline"'
check_contains "urgency in words" "$(body)" "On track"
check_eq "draft the early warning" "$(post "/ui/cases/$C3/draft" -d "exposure=$E" -d stage=early-warning)" 303
check_eq "fill it in" "$(post "/ui/cases/$C3/edit" -d "exposure=$E" -d stage=early-warning --data-urlencode 'member_states=DE' --data-urlencode 'product_version=4.2.0' --data-urlencode 'summary=heap overflow exploited')" 303
page "/ui/cases/$C3" >/dev/null
check_contains "the author waits" "$(body)" "Waiting for approval by another PSIRT member."
check_not_contains "no Approve for the author" "$(body)" 'class="approve"'
check_eq "approving one's own draft refused" "$(post "/ui/cases/$C3/approve" -d "exposure=$E" -d stage=early-warning)" 403
check_contains "explained" "$(body)" "nobody approves their own draft"
check_eq "deputy logs in" "$(login deputy pw-deputy-6600)" 303
page "/ui/cases/$C3" >/dev/null
check_contains "deputy is offered Approve" "$(body)" 'class="approve"'
check_eq "deputy approves" "$(post "/ui/cases/$C3/approve" -d "exposure=$E" -d stage=early-warning)" 303
page "/ui/cases/$C3" >/dev/null
check_contains "ready to file" "$(body)" "Ready to file by any PSIRT member"
check_eq "notification before the early warning, no reason" "$(post "/ui/cases/$C3/submitted" -d "exposure=$E" -d stage=notification -d "at=$(ago '1 hour')" -d reference=N-3)" 409
check_contains "error beside the reason" "$(body)" "id=\"err-submitted-$E-notification-reason\""
check_contains "typed reference kept" "$(body)" 'value="N-3"'
check_eq "early warning filed" "$(post "/ui/cases/$C3/submitted" -d "exposure=$E" -d stage=early-warning -d "at=$(ago '1 hour')" -d reference=EW-3)" 303
check_eq "recorded by deputy, no reason" "$(audit_last "art14_exposure:$E" art14.submitted | jq -r '"\(.recorded_by) \(.reason // "none")"')" "deputy none"
check_eq "audit chain intact" "$(run_cmd "$VIGIL" audit verify)" 0
finish
