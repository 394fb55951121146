#!/bin/sh
# CRA Article 14 end to end through the CLI with VIGIL_NOW moved: a severe
# incident and an actively exploited case start their clocks; warnings at 50,
# 75, 90 % and the breach reach the webhook receiver exactly once each; drafts
# list missing fields, are versioned and approved by someone other than their author
# (four-eyes); the manual filing is recorded with its receipt; the audit trail
# proves awareness, drafts, approvals and submission. Reports arrive through
# POST /api/v1/reports with a private tracking token.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
TOOLS="$VIGIL_SOURCE_DIR/tests/tools"
python3 "$TOOLS/receiver.py" --log "$T_DIR/hook.log" --port-file "$T_DIR/hook.port" &
HPID=$!
trap 'kill $HPID 2>/dev/null; t_cleanup' EXIT
i=0
while [ ! -s "$T_DIR/hook.port" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "receiver did not start"; exit 1; }
	sleep 0.1
done
HOOK="http://127.0.0.1:$(cat "$T_DIR/hook.port")"
touch "$T_DIR/hook.log"

"$VIGIL" notify channel-add psirt-hook --kind webhook --url "$HOOK/hook" >/dev/null
for ev in art14.warning art14.breached case.ack_warning case.ack_breached; do
	"$VIGIL" notify rule-add --event "$ev" --min-severity high --channel psirt-hook >/dev/null
done

# hook_count EVENT THRESHOLD [STAGE]: deliveries received for that alert.
hook_count() {
	jq -r '.body | fromjson | "\(.event) \(.details.stage // "-") \(.details.threshold)"' "$T_DIR/hook.log" |
		grep -c "^$1 ${3:--} $2\$"
}
deliver() {
	VIGIL_NOW=$1 "$VIGIL" notify run >/dev/null 2>&1
}

# ---- a severe incident ----
export VIGIL_NOW=2026-09-20T09:00:00Z
VIGIL_ACTOR=alice "$VIGIL" incident open --aware-at 2026-09-20T08:00:00Z --title 'Ransomware <b>on</b> update server' \
	--product router --member-states de,FR --suspected-malicious --evidence 'SOC ticket 42' >"$T_DIR/out"
check_eq "incident recorded" "$?" 0
check_contains "early warning due printed" "$(cat "$T_DIR/out")" "early warning due 2026-09-21T08:00:00Z"
check_eq "future awareness refused" "$(run_cmd "$VIGIL" incident open --aware-at 2026-09-21T08:00:00Z --title x)" 2
check_eq "unknown member state refused" "$(run_cmd "$VIGIL" incident open --aware-at 2026-09-20T08:00:00Z --title x --member-states DE,US)" 2
check_contains "member state named" "$(cat "$T_DIR/err")" "US"
"$VIGIL" art14 list --json >"$T_DIR/list.json"
check_eq "early warning due +24h" "$(jq -r '.[] | select(.exposure_id==1 and .stage=="early-warning") | .due_at' "$T_DIR/list.json")" "2026-09-21T08:00:00Z"
check_eq "notification due +72h" "$(jq -r '.[] | select(.exposure_id==1 and .stage=="notification") | .due_at' "$T_DIR/list.json")" "2026-09-23T08:00:00Z"
check_eq "final undetermined" "$(jq -r '.[] | select(.exposure_id==1 and .stage=="final") | "\(.state) \(.due_at)"' "$T_DIR/list.json")" "undetermined null"
check_eq "time left" "$(jq -r '.[] | select(.exposure_id==1 and .stage=="early-warning") | "\(.state) \(.seconds_left) \(.time_left)"' "$T_DIR/list.json")" "pending 82800 23h 00m"

check_contains "before 50%: no alert" "$(VIGIL_NOW=2026-09-20T19:59:59Z "$VIGIL" art14 tick)" "0 Art. 14 alerts"
check_contains "50% of 24h" "$(VIGIL_NOW=2026-09-20T20:00:00Z "$VIGIL" art14 tick)" "1 Art. 14 alerts"
check_contains "50% not repeated" "$(VIGIL_NOW=2026-09-20T20:30:00Z "$VIGIL" art14 tick)" "0 Art. 14 alerts"
deliver 2026-09-20T20:30:00Z
check_contains "75% and 90%" "$(VIGIL_NOW=2026-09-21T05:36:00Z "$VIGIL" art14 tick)" "2 Art. 14 alerts"
check_contains "at the due time: no breach yet" "$(VIGIL_NOW=2026-09-21T08:00:00Z "$VIGIL" art14 tick)" "0 Art. 14 alerts"
check_contains "breach" "$(VIGIL_NOW=2026-09-21T08:00:01Z "$VIGIL" art14 tick)" "1 Art. 14 alerts"
check_contains "breach not repeated" "$(VIGIL_NOW=2026-09-21T09:00:00Z "$VIGIL" art14 tick)" "0 Art. 14 alerts"
deliver 2026-09-21T09:00:00Z
deliver 2026-09-21T09:00:00Z
for th in 50% 75% 90%; do
	check_eq "webhook: early warning $th once" "$(hook_count art14.warning "$th" early-warning)" 1
done
check_eq "webhook: breach once" "$(hook_count art14.breached breach early-warning)" 1
check_eq "webhook total" "$(wc -l <"$T_DIR/hook.log" | tr -d ' ')" 4
check_eq "alert severity critical" "$(head -1 "$T_DIR/hook.log" | jq -r '.body | fromjson | .severity')" critical
check_contains "alert summary" "$(head -1 "$T_DIR/hook.log" | jq -r '.body | fromjson | .summary')" "50% of the window used"
check_eq "overdue listed" "$(VIGIL_NOW=2026-09-21T09:00:00Z "$VIGIL" art14 list --json | jq -r '.[] | select(.exposure_id==1 and .stage=="early-warning") | "\(.state) \(.alerts_sent | join(","))"')" "overdue 50%,75%,90%,breach"

# ---- drafts, four-eyes review, filing record ----
export VIGIL_NOW=2026-09-21T10:00:00Z
export VIGIL_ART14_FOUR_EYES=1
VIGIL_ACTOR=alice "$VIGIL" art14 draft 1 --stage notification --json >"$T_DIR/d1.json"
check_eq "draft schema" "$(jq -r .schema "$T_DIR/d1.json")" "vigil-art14-draft/1"
check_eq "draft article" "$(jq -r .article "$T_DIR/d1.json")" "14(4)(b)"
check_eq "draft version 1" "$(jq -r .version "$T_DIR/d1.json")" 1
check_eq "missing fields listed" "$(jq -r '.missing | join(",")' "$T_DIR/d1.json")" "summary,nature,initial_assessment,measures_taken,user_measures,sensitivity"
check_eq "awareness in UTC" "$(jq -r .fields.awareness_time "$T_DIR/d1.json")" "2026-09-20T08:00:00Z"
check_eq "member states" "$(jq -c .fields.member_states "$T_DIR/d1.json")" '["DE","FR"]'
check_eq "suspected malicious" "$(jq -r .fields.suspected_malicious "$T_DIR/d1.json")" true
check_contains "never claims to file" "$(jq -r .notice "$T_DIR/d1.json")" "vigil does not file reports"
check_eq "approval refused while fields are missing" "$(VIGIL_ACTOR=alice run_cmd "$VIGIL" art14 approve 1 --stage notification)" 1
check_contains "missing named" "$(cat "$T_DIR/err")" "sensitivity"
check_eq "awareness cannot be edited" "$(run_cmd "$VIGIL" art14 edit 1 --stage notification --set awareness_time=2026-09-21T00:00:00Z)" 2
check_eq "bad sensitivity refused" "$(run_cmd "$VIGIL" art14 edit 1 --stage notification --set sensitivity=secret)" 2
VIGIL_ACTOR=alice "$VIGIL" art14 edit 1 --stage notification --set 'summary=Update server encrypted' \
	'nature=Ransomware' 'initial_assessment=Contained to one host' 'measures_taken=Host isolated' \
	'user_measures=Verify update signatures' 'sensitivity=amber' --json >"$T_DIR/d2.json"
check_eq "edit makes version 2" "$(jq -r .version "$T_DIR/d2.json")" 2
check_eq "nothing missing" "$(jq -r '.missing | length' "$T_DIR/d2.json")" 0
check_eq "sensitivity normalised" "$(jq -r .fields.sensitivity "$T_DIR/d2.json")" "TLP:AMBER"
check_eq "the author cannot approve (four-eyes)" "$(VIGIL_ACTOR=alice run_cmd "$VIGIL" art14 approve 1 --stage notification)" 1
check_contains "four-eyes explained" "$(cat "$T_DIR/err")" "nobody approves their own draft"
check_contains "another person approves" "$(VIGIL_ACTOR=bob "$VIGIL" art14 approve 1 --stage notification)" "approved"
check_eq "same person twice refused" "$(VIGIL_ACTOR=bob run_cmd "$VIGIL" art14 approve 1 --stage notification)" 1
check_eq "export shows approved" "$("$VIGIL" art14 export 1 --stage notification | jq -r '"\(.approved) \(.approvals | map(.approved_by) | join(","))"')" "true bob"
check_contains "printable HTML escapes" "$("$VIGIL" art14 export 1 --stage notification --html)" "Ransomware &lt;b&gt;on&lt;/b&gt;"
check_eq "filing in the future refused" "$(run_cmd "$VIGIL" art14 submitted 1 --stage notification --at 2026-09-22T00:00:00Z --reference X)" 2
check_eq "notification before the early warning needs a reason" "$(VIGIL_ACTOR=carol run_cmd "$VIGIL" art14 submitted 1 --stage notification --at 2026-09-21T09:45:00Z --reference ENISA-SRP-2026-0042)" 1
check_contains "the reason is asked for" "$(cat "$T_DIR/err")" "--reason"
VIGIL_ACTOR=carol "$VIGIL" art14 submitted 1 --stage notification --at 2026-09-21T09:45:00Z --reference ENISA-SRP-2026-0042 --reason "early warning missed; notification filed at once" >"$T_DIR/out" 2>&1
check_eq "filing recorded" "$?" 0
check_eq "filing not recorded twice" "$(run_cmd "$VIGIL" art14 submitted 1 --stage notification --at 2026-09-21T09:45:00Z --reference again)" 1
"$VIGIL" art14 list --json >"$T_DIR/list.json"
check_eq "notification submitted" "$(jq -r '.[] | select(.exposure_id==1 and .stage=="notification") | "\(.state) \(.reference) \(.submitted_at)"' "$T_DIR/list.json")" "submitted ENISA-SRP-2026-0042 2026-09-21T09:45:00Z"
check_eq "incident final = submission + 1 month" "$(jq -r '.[] | select(.exposure_id==1 and .stage=="final") | .due_at' "$T_DIR/list.json")" "2026-10-21T09:45:00Z"
check_eq "submission in the draft export" "$("$VIGIL" art14 export 1 --stage notification | jq -r '.submission.reference')" "ENISA-SRP-2026-0042"
unset VIGIL_ART14_FOUR_EYES

# The audit trail proves awareness, drafts, approvals and the filing.
"$VIGIL" audit log --object art14_exposure:1 --json >"$T_DIR/audit.json"
check_eq "audit: awareness with who and evidence" "$(jq -r '.[] | select(.action=="art14.aware") | "\(.actor) \(.after.aware_at) \(.after.aware_by) \(.after.evidence)"' "$T_DIR/audit.json")" "alice 2026-09-20T08:00:00Z alice SOC ticket 42"
check_eq "audit: drafts" "$(jq '[.[] | select(.action=="art14.draft" or .action=="art14.draft_edit")] | length' "$T_DIR/audit.json")" 2
check_eq "audit: approvals" "$(jq -r '[.[] | select(.action=="art14.approve") | .actor] | join(",")' "$T_DIR/audit.json")" "bob"
check_eq "audit: approvals name the draft hash" "$(jq -r '[.[] | select(.action=="art14.approve") | .after.body_sha256] | unique | length' "$T_DIR/audit.json")" 1
check_eq "audit: submission" "$(jq -r '.[] | select(.action=="art14.submitted") | "\(.actor) \(.after.reference) \(.after.submitted_at) \(.after.draft_version)"' "$T_DIR/audit.json")" "carol ENISA-SRP-2026-0042 2026-09-21T09:45:00Z 2"
check_eq "audit: alerts recorded" "$(jq -r '[.[] | select(.action=="art14.alert") | .after.alerts[]] | join(",")' "$T_DIR/audit.json")" "50%,75%,90%,breach"
check_eq "audit chain verifies" "$(run_cmd "$VIGIL" audit verify)" 0

# ---- a report from a tool becomes a case, exploited ----
export VIGIL_NOW=2026-10-01T08:00:00Z
start_server
check_eq "report accepted" "$(http POST /api/v1/reports -H 'Content-Type: application/json' \
	-d '{"product":"router","version":"2.1","description":"Stack overflow in <script>alert(1)</script> login","impact":"RCE","poc":"curl ...","credit_consent":true,"credit_name":"Eve"}')" 201
TOKEN=$(body | jq -r .token)
check_eq "token is long and random" "$(printf '%s' "$TOKEN" | wc -c | tr -d ' ')" 43
check_eq "token not stored in clear" "$(db_sql "SELECT COUNT(*) FROM psirt_cases WHERE token_sha256 = '$TOKEN'")" 0
check_eq "status by token" "$(http GET "/api/v1/reports/$TOKEN")" 200
check_eq "reporter sees received + ack due" "$(body | jq -r '"\(.state) \(.ack_due_at)"')" "received 2026-10-03T08:00:00Z"
check_eq "unknown token" "$(http GET /api/v1/reports/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA)" 404
check_eq "unknown member refused" "$(http POST /api/v1/reports -H 'Content-Type: application/json' -d '{"product":"p","description":"d","x":1}')" 400
check_contains "refusal names the member" "$(body)" "/x"
check_eq "missing description refused" "$(http POST /api/v1/reports -H 'Content-Type: application/json' -d '{"product":"p"}')" 400
check_eq "cases need a login" "$(http GET /api/v1/cases)" 401
stop_server
CASE=$("$VIGIL" case list --json | jq -r '.[0].id')
check_contains "ack warning at 50% of 48h" "$(VIGIL_NOW=2026-10-02T08:00:00Z "$VIGIL" art14 tick)" "1 acknowledgement alerts"
deliver 2026-10-02T08:00:00Z
check_eq "webhook: ack warning once" "$(hook_count case.ack_warning 50%)" 1
check_eq "illegal move refused" "$(run_cmd "$VIGIL" case state "$CASE" accepted)" 1
check_contains "allowed moves listed" "$(cat "$T_DIR/err")" "allowed: acknowledged"
check_contains "ack" "$("$VIGIL" case ack "$CASE")" "acknowledged"
check_contains "no more ack alerts" "$(VIGIL_NOW=2026-10-04T08:00:00Z "$VIGIL" art14 tick)" "0 acknowledgement alerts"
"$VIGIL" case link "$CASE" --cve CVE-2026-4242 >/dev/null
"$VIGIL" case message "$CASE" 'Thanks, we are on it' >/dev/null
"$VIGIL" case note "$CASE" 'internal: looks real' >/dev/null
check_eq "reporter sees messages, not notes" "$("$VIGIL" case show "$CASE" --json | jq -r '[.messages[].kind] | join(",")')" "to_reporter,note"
VIGIL_ACTOR=alice "$VIGIL" case exploited "$CASE" --aware-at 2026-10-01T07:30:00Z --evidence 'exploit seen on honeypot' --member-states DE >"$T_DIR/out"
check_contains "case exploited starts the clocks" "$(cat "$T_DIR/out")" "early warning due 2026-10-02T07:30:00Z"
EXP=$("$VIGIL" case show "$CASE" --json | jq -r '.exposures[0].id')
VIGIL_ACTOR=alice "$VIGIL" art14 draft "$EXP" --stage early-warning --json >"$T_DIR/ew.json"
check_eq "vuln early warning article" "$(jq -r .article "$T_DIR/ew.json")" "14(2)(a)"
check_eq "summary from the report" "$(jq -r .fields.summary "$T_DIR/ew.json")" "Stack overflow in <script>alert(1)</script> login"
check_eq "CVE from the case" "$(jq -c .fields.vulnerability "$T_DIR/ew.json")" '["CVE-2026-4242"]'
check_eq "early warning complete" "$(jq -r '.missing | length' "$T_DIR/ew.json")" 0
check_eq "vuln final undetermined" "$("$VIGIL" art14 list --exposure "$EXP" --json | jq -r '.[] | select(.stage=="final") | .state')" undetermined
check_contains "fix available" "$("$VIGIL" art14 fix-available "$EXP" --at 2026-10-01T07:50:00Z)" "final report due 2026-10-15T07:50:00Z"
check_eq "vuln final = fix + 14 days" "$("$VIGIL" art14 list --exposure "$EXP" --json | jq -r '.[] | select(.stage=="final") | .due_at')" "2026-10-15T07:50:00Z"
check_contains "intermediate on request" "$("$VIGIL" art14 request-intermediate "$EXP" --due 2026-10-05T00:00:00Z)" "due 2026-10-05"
check_eq "intermediate listed" "$("$VIGIL" art14 list --exposure "$EXP" --json | jq -r '.[] | select(.stage=="intermediate") | .due_at')" "2026-10-05T00:00:00Z"
finish
