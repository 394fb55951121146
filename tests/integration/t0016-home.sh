#!/bin/sh
# The home page "what needs you now" by role (GET /api/v1/home and /ui/),
# with VIGIL_NOW fixed: running Article 14 clocks (an incident, a KEV match
# on a finding, a case marked actively exploited) ordered by due time with
# the right time left, state and the link that acts on each; the owed 48-hour
# acknowledgement; an overdue finding and a new actively exploited one; the
# portfolio charts (exposed products, SLA burn-down, time to remediate).
# An auditor gets the totals and no list or button; ci gets nothing;
# anonymous callers are refused. On call (who, an unacknowledged drill
# page with its button) and the security.txt expiry. Acting (ack, filing,
# triage) takes the item off the list. Empty states are said plainly.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db

for r in admin psirt auditor ci; do
	scope=
	[ "$r" = ci ] && scope='*'
	"$VIGIL" token create --name "h-$r" --role "$r" ${scope:+--product "$scope"} >"$T_DIR/tok.$r" 2>/dev/null ||
		{ echo "FAIL - token $r"; exit 1; }
done
tok() { cat "$T_DIR/tok.$1"; }
home() { # ROLE: GET /api/v1/home as ROLE into $T_DIR/home.$1.json
	http GET /api/v1/home -H "Authorization: Bearer $(tok "$1")" >"$T_DIR/st" &&
		cp "$T_DIR/body" "$T_DIR/home.$1.json"
	cat "$T_DIR/st"
}
page() { # ROLE: GET /ui/ as ROLE into $T_DIR/page.$1.html
	http GET /ui/ -H "Authorization: Bearer $(tok "$1")" >"$T_DIR/st" &&
		cp "$T_DIR/body" "$T_DIR/page.$1.html"
	cat "$T_DIR/st"
}
j() { jq -r "$2" "$T_DIR/home.$1.json"; }

T0=2026-10-01T00:00:00Z
NOW=2026-10-05T10:00:00Z
export VIGIL_NOW=$NOW

# ---- nothing yet: the empty states say so ----
start_server
check_eq "psirt home (empty)" "$(page psirt)" 200
check_contains "no clock: said plainly" "$(cat "$T_DIR/page.psirt.html")" "No Article 14 clock is running"
check_contains "no ack owed" "$(cat "$T_DIR/page.psirt.html")" "Every report is acknowledged"
check_contains "no overdue finding" "$(cat "$T_DIR/page.psirt.html")" "No open finding is past its SLA"
check_contains "no security.txt published" "$(cat "$T_DIR/page.psirt.html")" "No security.txt is published"
check_contains "no on-call rotation" "$(cat "$T_DIR/page.psirt.html")" "No on-call rotation is set up"
check_eq "home API (empty)" "$(home psirt)" 200
check_eq "no clocks" "$(j psirt '.clocks.total')" 0
stop_server

# ---- findings: a critical one (KEV later) and a high one past its SLA ----
osv() { # id alias package vector
	cat >"$T_DIR/$1.json" <<JSON
{"schema_version":"1.6.0","id":"$1","aliases":[$2],"modified":"2026-09-01T00:00:00Z","published":"2026-09-01T00:00:00Z",
 "summary":"Test vulnerability $1","severity":[{"type":"CVSS_V3","score":"$4"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"$3"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"9.0"}]}]}]}
JSON
}
osv HV-1 '"CVE-2026-20001"' home-a "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
osv HV-2 '"CVE-2026-20002"' home-b "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
cat >"$T_DIR/sbom.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"library","name":"home-a","version":"1.0.0","purl":"pkg:pypi/home-a@1.0.0"},
 {"type":"library","name":"home-b","version":"1.0.0","purl":"pkg:pypi/home-b@1.0.0"}]}
JSON
cat >"$T_DIR/kev.json" <<'JSON'
{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2026.10.05","count":1,
 "vulnerabilities":[{"cveID":"CVE-2026-20001","vendorProject":"x","product":"home-a","vulnerabilityName":"test","dateAdded":"2026-10-05","shortDescription":"x","requiredAction":"Apply updates","dueDate":"2026-10-26","knownRansomwareCampaignUse":"Unknown","notes":""}]}
JSON
export VIGIL_NOW=$T0
"$VIGIL" product create app >/dev/null
check_eq "sbom" "$(run_cmd "$VIGIL" sbom import "$T_DIR/sbom.json" --product app --version 1.0)" 0
for a in HV-1 HV-2; do "$VIGIL" feed import osv "$T_DIR/$a.json" >/dev/null 2>&1; done
"$VIGIL" sla set --severity high --triage-days 1 >/dev/null
"$VIGIL" findings list --json >"$T_DIR/f.json"
check_eq "two findings" "$(jq .total "$T_DIR/f.json")" 2
CRIT=$(jq -r '.findings[] | select(.severity=="critical") | .id' "$T_DIR/f.json")
HIGH=$(jq -r '.findings[] | select(.severity=="high") | .id' "$T_DIR/f.json")

# ---- clocks: an incident 20 h ago, the KEV match 2 h ago, a case 1 h ago ----
VIGIL_NOW=2026-10-04T14:00:00Z "$VIGIL" incident open --aware-at 2026-10-04T14:00:00Z \
	--title 'Ransomware on the build farm' --product app >/dev/null
check_eq "KEV import" "$(VIGIL_NOW=2026-10-05T08:00:00Z "$VIGIL" feed import kev "$T_DIR/kev.json" --json | jq -r .exploited)" 1
VIGIL_NOW=2026-10-04T04:00:00Z "$VIGIL" case open --product app --title 'RCE <b>in</b> the admin UI' \
	--description 'pre-auth RCE' >/dev/null
VIGIL_NOW=2026-10-05T09:00:00Z "$VIGIL" case exploited 1 --aware-at 2026-10-05T09:00:00Z \
	--evidence 'honeypot' >/dev/null
"$VIGIL" art14 list --json >"$T_DIR/a14.json"
EXP_KEV=$(jq -r '[.[] | select(.kind=="vulnerability")] | sort_by(.due_at) | .[0].exposure_id' "$T_DIR/a14.json")
EXP_CASE=$(jq -r '[.[] | select(.kind=="vulnerability")] | sort_by(.due_at) | .[-1].exposure_id' "$T_DIR/a14.json")

# ---- on call (a drill page nobody acknowledged yet) and a published security.txt ----
export VIGIL_NOW=$NOW
"$VIGIL" notify channel-add home-hook --kind webhook --url http://127.0.0.1:9/hook >/dev/null
"$VIGIL" oncall person-add ann --channel home-hook >/dev/null
"$VIGIL" oncall rotation-add primary --tz UTC --start 2026-09-28T09:00:00Z --handover mon@09 --members ann >/dev/null
"$VIGIL" oncall policy-add default --level person:ann:home-hook:15 --repeat 1 >/dev/null
"$VIGIL" oncall drill >/dev/null 2>&1
VIGIL_SECURITYTXT_CONTACT=mailto:psirt@example.com "$VIGIL" securitytxt publish >/dev/null 2>&1

start_server

check_eq "psirt home" "$(home psirt)" 200
check_eq "role" "$(j psirt .role)" psirt
check_eq "psirt may act" "$(j psirt .can_act)" true
check_eq "six running clocks (final reports undetermined)" "$(j psirt .clocks.total)" 6
check_eq "ordered by due: time left" "$(j psirt '[.clocks.items[].seconds_left] | join(",")')" \
	"14400,79200,82800,187200,252000,255600"
check_eq "ordered by due: stages" "$(j psirt '[.clocks.items[].stage] | join(",")')" \
	"early-warning,early-warning,early-warning,notification,notification,notification"
check_eq "the incident's early warning first: act now" "$(j psirt '.clocks.items[0] | "\(.kind) \(.state) \(.due_at)"')" \
	"incident due 2026-10-05T14:00:00Z"
check_eq "the KEV clock: 22 h left, on track" "$(j psirt '.clocks.items[1] | "\(.exposure_id) \(.state) \(.due_at)"')" \
	"$EXP_KEV pending 2026-10-06T08:00:00Z"
check_eq "the KEV clock acts on its finding" "$(j psirt '.clocks.items[1].act')" "/ui/findings/$CRIT"
check_eq "the case's clock acts on its Article 14 section" "$(j psirt '.clocks.items[2].act')" "/ui/cases/1#exposure-$EXP_CASE"
check_eq "the case's clock: nobody assigned, no draft yet" "$(j psirt '.clocks.items[2] | "\(.assignee) \(.draft_version) \(.approvals)"')" "null 0 0"
check_eq "one acknowledgement owed, 18 h left" "$(j psirt '"\(.acks.total) \(.acks.items[0].case_id) \(.acks.items[0].seconds_left)"')" "1 1 64800"
check_eq "the overdue finding listed" "$(j psirt '"\(.overdue_findings.total) \(.overdue_findings.items[0].id)"')" "1 $HIGH"
check_eq "it acts on the finding" "$(j psirt '.overdue_findings.items[0].act')" "/ui/findings/$HIGH"
check_eq "the new actively exploited finding" "$(j psirt '"\(.kev_findings.total) \(.kev_findings.items[0].id) \(.kev_findings.items[0].kev)"')" "1 $CRIT true"
check_eq "most exposed product" "$(j psirt '.charts.exposed[0] | "\(.product) \(.kev) \(.critical) \(.high) \(.total)"')" "app 1 1 1 2"
check_eq "burn-down: one past due" "$(j psirt .charts.sla_burndown.overdue)" 1
check_eq "30 days of history" "$(j psirt '.charts.open_by_severity | length')" 30
check_eq "on call: ann until the Monday hand-over" "$(j psirt '.oncall.shifts[0] | "\(.rotation) \(.on_call) \(.until)"')" "primary ann 2026-10-12T09:00:00Z"
check_eq "on call: the drill page waits" "$(j psirt '[.oncall.open_pages[] | select(.drill)][0] | "\(.id) \(.status)"')" "1 open"
check_eq "on call: the last drill is pending" "$(j psirt .oncall.last_drill.result)" pending
check_eq "expiries: the published security.txt" "$(j psirt '.expiries.securitytxt | "\(.expires_at) \(.seconds_left)"')" "2027-04-03T10:00:00Z 15552000"

"$VIGIL" art14 draft "$EXP_CASE" --stage early-warning >/dev/null
check_eq "psirt home with a draft" "$(home psirt)" 200
check_eq "the case's clock: draft v1, not approved" "$(j psirt '.clocks.items[2] | "\(.draft_version) \(.approvals)"')" "1 0"
check_eq "psirt page" "$(page psirt)" 200
H="$T_DIR/page.psirt.html"
check_eq "clocks on the page in due order" \
	"$(grep -o 'id="clock-[0-9]*-[a-z-]*"' "$H" | tr '\n' ' ')" \
	"id=\"clock-1-early-warning\" id=\"clock-$EXP_KEV-early-warning\" id=\"clock-$EXP_CASE-early-warning\" id=\"clock-1-notification\" id=\"clock-$EXP_KEV-notification\" id=\"clock-$EXP_CASE-notification\" "
check_contains "countdown written by the server" "$(cat "$H")" "data-due=\"1791208800\" data-now=\"1791194400\""
check_contains "time left in words" "$(cat "$H")" "4h 00m 00s left"
check_contains "urgency in words, not colour alone" "$(cat "$H")" "<span class=\"clock-state\">act now</span>"
check_contains "the KEV clock's 22 h" "$(cat "$H")" "22h 00m 00s left"
check_contains "case title escaped" "$(cat "$H")" "RCE &lt;b&gt;in&lt;/b&gt; the admin UI"
check_contains "who has it, and the draft" "$(cat "$H")" "nobody assigned &middot; draft v1, 0 approvals"
check_contains "a clock without a draft says so" "$(cat "$H")" "no draft yet"
check_contains "acknowledge button" "$(cat "$H")" "action=\"/ui/cases/1/ack\""
check_contains "triage link of the overdue finding" "$(cat "$H")" "id=\"overdue-$HIGH\""
check_contains "the countdown script" "$(cat "$H")" "/static/countdown.js"
check_contains "charts: accessible title" "$(cat "$H")" "<title id=\"chart-open-t\">Open findings by severity, last 30 days</title>"
check_contains "charts: the numbers as a table" "$(cat "$H")" "<th scope=\"row\">app (1 exploited)</th>"
check_not_contains "psirt: no system line" "$(cat "$H")" "id=\"system\""
check_contains "on call: who" "$(cat "$H")" "<strong>ann</strong> (primary): on call until"
check_contains "on call: acknowledge the page" "$(cat "$H")" "action=\"/ui/oncall/pages/1/ack\""
check_contains "on call: the drill waits" "$(cat "$H")" "waiting for an acknowledgement"
check_contains "security.txt expiry in words" "$(cat "$H")" "Our published security.txt: expires in 180d 00h"

check_eq "admin page" "$(page admin)" 200
check_contains "admin: the same clocks" "$(cat "$T_DIR/page.admin.html")" "id=\"clock-$EXP_CASE-early-warning\""
check_contains "admin: the system line" "$(cat "$T_DIR/page.admin.html")" "id=\"system\""
check_contains "admin: the charts (the drawing kept a minute)" "$(cat "$T_DIR/page.admin.html")" "id=\"charts-asof\""

# ---- the auditor reads: numbers only ----
check_eq "auditor home" "$(home auditor)" 200
check_eq "auditor may not act" "$(j auditor .can_act)" false
check_eq "auditor: totals" "$(j auditor '"\(.clocks.total) \(.acks.total) \(.overdue_findings.total) \(.kev_findings.total)"')" "6 1 1 1"
check_eq "auditor: no list" "$(j auditor '[.clocks.items, .acks.items, .overdue_findings.items, .kev_findings.items] | map(length) | add')" 0
check_eq "auditor: no on-call, no expiries" "$(j auditor '"\(.oncall) \(.expiries)"')" "null null"
check_eq "auditor: charts" "$(j auditor '.charts.exposed[0].product')" app
check_eq "auditor page" "$(page auditor)" 200
A="$T_DIR/page.auditor.html"
check_contains "auditor: says nothing waits" "$(cat "$A")" "nothing here waits for you"
check_not_contains "auditor: no clock listed" "$(cat "$A")" "class=\"clock "
check_not_contains "auditor: no acknowledge button" "$(cat "$A")" "/ack\""
check_not_contains "auditor: no act button" "$(cat "$A")" "class=\"button act\""
check_not_contains "auditor: no form" "$(cat "$A")" "<form"

# ---- ci: nothing; anonymous: refused ----
check_eq "ci home" "$(home ci)" 200
check_eq "ci: nothing to read" "$(j ci '"\(.can_act) \(.clocks) \(.charts)"')" "false null null"
check_eq "ci page" "$(page ci)" 200
check_contains "ci page: for a machine" "$(cat "$T_DIR/page.ci.html")" "for a machine"
check_eq "anonymous API refused" "$(http GET /api/v1/home)" 401

# ---- acting takes items off the list ----
"$VIGIL" case ack 1 >/dev/null
"$VIGIL" art14 submitted 1 --stage early-warning --at 2026-10-05T09:30:00Z  --reference EW-1 --reason "filed through the CSIRT portal before the draft was approved" >/dev/null 2>&1
"$VIGIL" findings triage "$HIGH" --state in_triage >/dev/null
"$VIGIL" findings triage "$HIGH" --state affected >/dev/null
"$VIGIL" findings triage "$HIGH" --state in_remediation >/dev/null
"$VIGIL" findings triage "$HIGH" --state fixed >/dev/null
check_eq "psirt home after acting" "$(home psirt)" 200
check_eq "ack done: none owed" "$(j psirt .acks.total)" 0
check_eq "early warning filed: five clocks" "$(j psirt .clocks.total)" 5
check_eq "the filed clock is gone" "$(j psirt '[.clocks.items[] | select(.exposure_id==1 and .stage=="early-warning")] | length')" 0
check_eq "fixed: nothing past its SLA" "$(j psirt .overdue_findings.total)" 0
check_eq "time to remediate: first seen to fixed" "$(j psirt '.charts.mttr[0] | "\(.product) \(.fixed) \(.mean_seconds)"')" "app 1 381600"
# the page keeps its drawing of the charts a minute: a new server draws anew
stop_server
start_server
check_eq "page after acting" "$(page psirt)" 200
check_contains "mean time to remediate drawn" "$(cat "$T_DIR/page.psirt.html")" "<th scope=\"row\">app (1 fixed)</th><td>4d 10h</td>"
check_contains "no ack owed now" "$(cat "$T_DIR/page.psirt.html")" "Every report is acknowledged"
stop_server
finish
