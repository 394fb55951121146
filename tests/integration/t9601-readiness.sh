#!/bin/sh
# The readiness score (issue 23 item 3) computed from live state with
# VIGIL_NOW: an overdue finding, an expiring security.txt and a missed
# on-call drill each lower the score by their weight, and fixing them
# restores it; checks whose room is not built say "not available" and never
# pass; the gap report orders the fixes by weight; daily snapshots make the
# history; the page shows the chart.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db

NOW=2026-10-05T10:00:00Z
T0=2026-10-01T00:00:00Z
score() { "$VIGIL" readiness --json | jq -r .score; }
status() { "$VIGIL" readiness --json | jq -r ".checks[] | select(.key==\"$1\") | .status"; }
weight() { "$VIGIL" readiness --json | jq -r ".checks[] | select(.key==\"$1\") | .weight"; }

# ---- a product with an SBOM and a high finding past its 1-day triage SLA ----
cat >"$T_DIR/HV-2.json" <<'JSON'
{"schema_version":"1.6.0","id":"HV-2","aliases":["CVE-2026-20002"],"modified":"2026-09-01T00:00:00Z","published":"2026-09-01T00:00:00Z",
 "summary":"Test vulnerability","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"rd-b"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"9.0"}]}]}]}
JSON
cat >"$T_DIR/sbom.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"library","name":"rd-b","version":"1.0.0","purl":"pkg:pypi/rd-b@1.0.0"}]}
JSON
export VIGIL_NOW=$T0
"$VIGIL" product create app >/dev/null
"$VIGIL" sbom import "$T_DIR/sbom.json" --product app --version 1.0 >/dev/null
"$VIGIL" feed import osv "$T_DIR/HV-2.json" >/dev/null 2>&1
"$VIGIL" sla set --severity high --triage-days 1 >/dev/null
F=$("$VIGIL" findings list --json | jq -r '.findings[0].id')
check_eq "one finding" "$("$VIGIL" findings list --json | jq .total)" 1

# ---- security.txt published 175 days ago: it expires in 5 days ----
VIGIL_NOW=2026-04-13T10:00:00Z VIGIL_SECURITYTXT_CONTACT=mailto:psirt@example.com "$VIGIL" securitytxt publish >/dev/null 2>&1

# ---- on call: a drill 20 minutes ago that nobody acknowledged ----
export VIGIL_NOW=2026-10-05T09:40:00Z
"$VIGIL" notify channel-add hook --kind webhook --url http://127.0.0.1:9/hook >/dev/null
"$VIGIL" oncall person-add ann --channel hook >/dev/null
"$VIGIL" oncall rotation-add primary --tz UTC --start 2026-09-28T09:00:00Z --handover mon@09 --members ann >/dev/null
"$VIGIL" oncall policy-add default --level person:ann:hook:15 --repeat 1 >/dev/null
"$VIGIL" oncall drill >/dev/null 2>&1
PAGE=$("$VIGIL" oncall pages --json | jq -r '.[0].id')

export VIGIL_NOW=$NOW
check_eq "readiness exits 0" "$(run_cmd "$VIGIL" readiness)" 0
check_contains "one line per check with its weight" "$(cat "$T_DIR/out")" "GAP   12  findings-sla"
check_eq "findings past SLA: a gap" "$(status findings-sla)" fail
check_eq "security.txt expiring: a gap" "$(status securitytxt)" fail
check_contains "the fact says why" "$("$VIGIL" readiness --json | jq -r '.checks[] | select(.key=="securitytxt") | .fact')" "expires within 30 days"
check_eq "the missed drill: a gap" "$(status oncall-drill)" fail
check_eq "log retention: only vigil's own events, a gap" "$(status log-retention)" fail
check_contains "... the fact says so" "$("$VIGIL" readiness --json | jq -r '.checks[] | select(.key=="log-retention") | .fact')" "no outside system sends logs"
check_eq "advisories: not available" "$(status advisories)" "not available"
check_eq "no backup restored: a gap" "$(status backup-restored)" fail
check_eq "SBOM current (no release newer)" "$(status sbom-current)" pass
check_eq "weights add up to 100" "$("$VIGIL" readiness --json | jq '[.checks[].weight] | add')" 100
check_eq "not available never counts" "$("$VIGIL" readiness --json | jq '.not_available == ([.checks[] | select(.status=="not available") | .weight] | add)')" true
check_eq "score is the passing weights" "$("$VIGIL" readiness --json | jq '.score == ([.checks[] | select(.status=="pass") | .weight] | add)')" true
check_eq "each line: fact, evidence, fix" "$("$VIGIL" readiness --json | jq '[.checks[] | (.fact != "" and (.evidence | startswith("/ui/")) and .fix != "")] | all')" true
check_eq "gap report by impact" "$("$VIGIL" readiness --json | jq -c '[.checks[] | select(.status=="fail") | .weight] as $w | $w == ($w | sort | reverse)')" true
check_eq "gaps: the heaviest first" "$("$VIGIL" readiness gaps --json | jq -r '.[0].key')" findings-sla
"$VIGIL" readiness snapshot >/dev/null
S0=$(score)
W_SLA=$(weight findings-sla)
W_ST=$(weight securitytxt)
W_DRILL=$(weight oncall-drill)

# ---- fixing each restores its weight ----
"$VIGIL" findings triage "$F" --state in_triage >/dev/null
check_eq "in triage: still past its SLA" "$(score)" "$S0"
"$VIGIL" findings triage "$F" --state not_affected --justification component_not_present >/dev/null
check_eq "finding fixed: +weight" "$(score)" $((S0 + W_SLA))
VIGIL_SECURITYTXT_CONTACT=mailto:psirt@example.com "$VIGIL" securitytxt publish >/dev/null 2>&1
check_eq "security.txt renewed: +weight" "$(score)" $((S0 + W_SLA + W_ST))
check_eq "drill acknowledged after 20 min" "$(run_cmd "$VIGIL" oncall ack "$PAGE")" 0
check_eq "drill passes: +weight" "$(score)" $((S0 + W_SLA + W_ST + W_DRILL))
GOOD=$(score)

# ---- and breaking each lowers it by its weight ----
export VIGIL_NOW=2027-01-06T10:00:00Z
check_eq "91 days later the drill is missed: -weight" "$(score)" $((GOOD - W_DRILL))
check_eq "the drill fact" "$("$VIGIL" readiness --json | jq -r '.checks[] | select(.key=="oncall-drill") | .fact')" "no on-call drill in the last 90 days"
export VIGIL_NOW=2027-03-05T10:00:00Z
check_eq "security.txt within 30 days of expiry again: -weight" "$(score)" $((GOOD - W_DRILL - W_ST))
export VIGIL_NOW=2027-04-10T10:00:00Z
check_eq "security.txt expired: still -weight" "$(score)" $((GOOD - W_DRILL - W_ST))
check_contains "the fact says expired" "$("$VIGIL" readiness --json | jq -r '.checks[] | select(.key=="securitytxt") | .fact')" "(expired)"
export VIGIL_NOW=$NOW
check_eq "reopen" "$(run_cmd "$VIGIL" findings triage "$F" --state in_triage)" 0
check_eq "finding reopened past its SLA: -weight" "$(score)" $((GOOD - W_SLA))

# ---- history: a snapshot a day ----
export VIGIL_NOW=2026-10-06T10:00:00Z
"$VIGIL" readiness snapshot >/dev/null
"$VIGIL" readiness snapshot >/dev/null
check_eq "two days of history (today replaced)" "$("$VIGIL" readiness history --json | jq -r '[.[].day] | join(",")')" "2026-10-05,2026-10-06"
check_eq "snapshots audited" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="readiness.snapshot")] | length')" 3

# ---- the page and the API ----
start_server
TOK=$(admin_token)
check_eq "page" "$(http GET /ui/programme -H "Authorization: Bearer $TOK")" 200
check_contains "the chart" "$(body)" 'id="readiness-history"'
check_contains "the gap report" "$(body)" 'id="gap-list"'
check_contains "not available in words" "$(body)" "Not available"
check_eq "API" "$(http GET /api/v1/readiness -H "Authorization: Bearer $TOK")" 200
check_eq "API: gaps" "$(body | jq -r '.gaps[0]')" findings-sla
check_eq "API: history" "$(http GET '/api/v1/readiness/history?days=abc' -H "Authorization: Bearer $TOK")" 400
check_eq "API: anonymous" "$(http GET /api/v1/readiness)" 401
stop_server
finish
