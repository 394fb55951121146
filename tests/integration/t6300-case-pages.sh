#!/bin/sh
# The PSIRT case pages: /ui/cases (state filter, counts, acknowledgement
# clocks highlighted) and /ui/cases/{id} (report escaped, clocks, Art. 14
# drafts side by side, user notification, messages, timeline from the audit
# trail). Anonymous users are sent to the login page, an auditor reads but
# cannot act, forms without the CSRF token are refused, every form goes
# through the functions of cases.c / art14*.c and is audited under the name
# of the person logged in. The Art. 14(8) user notification: API, CLI, page.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
VIGIL_PASSWORD=pw-pat-6300 "$VIGIL" user add pat --role psirt >/dev/null
VIGIL_PASSWORD=pw-aud-6300 "$VIGIL" user add aud --role auditor >/dev/null

# two older reports: one in the second half of its 48 hours, one past it
VIGIL_NOW=$(date -u -d '-30 hours' +%Y-%m-%dT%H:%M:%SZ) "$VIGIL" case open --product camera \
	--description 'Half-way report' >/dev/null
VIGIL_NOW=$(date -u -d '-50 hours' +%Y-%m-%dT%H:%M:%SZ) "$VIGIL" case open --product camera \
	--description 'Forgotten report' >/dev/null
start_server

# a report with markup in every text field, through the public API
cat >"$T_DIR/report.json" <<'EOF'
{"product": "router<b>X</b>", "version": "2.1", "description": "Stored XSS <script>alert('desc')</script>\nsecond line",
 "impact": "<img src=x onerror=alert(1)>", "poc": "curl -d '<svg/onload=alert(2)>' http://r/",
 "contact": "\"><script>alert('contact')</script>@evil.example", "credit_consent": true, "credit_name": "Eve <i>E</i>"}
EOF
check_eq "report received" "$(http POST /api/v1/reports -H 'Content-Type: application/json' --data-binary @"$T_DIR/report.json")" 201
ID=3

J="$T_DIR/jar"
login() { # user password -> status
	rm -f "$J"
	csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -c "$J" -b "$J" --data-urlencode "csrf=$csrf" \
		--data-urlencode "user=$1" --data-urlencode "password=$2" "$BASE/ui/login"
}
page() { # path -> status; body in $T_DIR/body, its CSRF token in $T_DIR/csrf
	s=$(curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$BASE$1")
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T_DIR/body" | head -1 >"$T_DIR/csrf"
	echo "$s"
}
post() { # path [curl args ...] -> status (with the CSRF token of the last page)
	p=$1
	shift
	set -- --data-urlencode "csrf=$(cat "$T_DIR/csrf")" "$@"
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$@" "$BASE$p"
}
location() {
	sed -n 's/^Location: *\([^\r]*\).*/\1/p' "$T_DIR/headers"
}
audit_by() { # action -> actor of the latest record of that action on case 3 / exposure 1
	"$VIGIL" audit log --json | jq -r --arg a "$1" '[.[] | select(.action==$a)] | last | .actor // "none"'
}
show() {
	"$VIGIL" case show "$ID" --json
}

# ---- anonymous ----
check_eq "anonymous list redirects" "$(http GET /ui/cases)" 303
check_contains "to the login page" "$(cat "$T_DIR/headers")" "Location: /ui/login"
check_eq "anonymous case page redirects" "$(http GET /ui/cases/$ID)" 303
# an anonymous form is kept for after the login (the errors of issue 17), never acted on
check_eq "anonymous form sent to the login" "$(http POST /ui/cases/$ID/ack -d csrf=x)" 303
check_contains "to the login page" "$(cat "$T_DIR/headers")" "Location: /ui/login"
check_eq "anonymous API refused" "$(http GET /api/v1/cases/$ID/user-notification)" 401
check_eq "still received" "$(show | jq -r .state)" received

# ---- an auditor reads, cannot act ----
check_eq "auditor logs in" "$(login aud pw-aud-6300)" 303
check_eq "auditor: list" "$(page /ui/cases)" 200
check_contains "auditor: case listed" "$(body)" "href=\"/ui/cases/$ID\""
check_eq "auditor: case page" "$(page /ui/cases/$ID)" 200
check_not_contains "auditor: no forms" "$(body)" 'id="ack-form"'
check_eq "auditor: acknowledging refused" "$(post /ui/cases/$ID/ack)" 403
check_eq "auditor: user notification API" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" "$BASE/api/v1/cases/$ID/user-notification")" 200

# ---- the PSIRT ----
check_eq "psirt logs in" "$(login pat pw-pat-6300)" 303
check_eq "list" "$(page /ui/cases)" 200
check_contains "counts per state" "$(body)" 'data-state="received">Received <span class="count">3</span>'
check_contains "overdue acknowledgement highlighted" "$(body)" '<td class="ack-overdue"><strong>overdue</strong>'
check_contains "due acknowledgement highlighted" "$(body)" '<td class="ack-due"><strong>due</strong>'
check_contains "fresh report pending" "$(body)" '<td class="ack-pending">pending'
check_not_contains "title escaped in the list" "$(body)" "<script>alert"
check_eq "filter by state" "$(page '/ui/cases?state=acknowledged')" 200
check_contains "filtered: none acknowledged yet" "$(body)" "No cases."
check_eq "unknown state filter refused" "$(page '/ui/cases?state=bogus')" 400
check_contains "filter error explained" "$(body)" "state filter: expected received"
check_eq "unknown case 404" "$(page /ui/cases/999)" 404
check_contains "404 explained" "$(body)" "no case with id 999"
check_eq "bad case id 400" "$(page /ui/cases/abc)" 400

check_eq "case page" "$(page /ui/cases/$ID)" 200
check_not_contains "description escaped" "$(body)" "<script>alert('desc')"
check_contains "description shown as text" "$(body)" "Stored XSS &lt;script&gt;alert(&#39;desc&#39;)&lt;/script&gt;"
check_not_contains "impact escaped" "$(body)" "<img src=x"
check_not_contains "poc escaped" "$(body)" "<svg/onload"
check_not_contains "contact escaped" "$(body)" "<script>alert('contact')"
check_contains "contact shown as text" "$(body)" "&quot;&gt;&lt;script&gt;alert(&#39;contact&#39;)"
check_not_contains "credit escaped" "$(body)" "<i>E</i>"
check_not_contains "no inline script" "$(body)" "<script>"
check_contains "countdown script" "$(body)" '<script src="/static/countdown.js" defer></script>'
check_contains "acknowledgement clock" "$(body)" 'id="clock-ack"'
check_contains "clock counts from the server" "$(body)" 'class="countdown" data-due="'
check_eq "countdown.js served" "$(http GET /static/countdown.js)" 200

# CSRF: without the token, with a wrong one
check_eq "ack without CSRF refused" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' -b "$J" -X POST "$BASE/ui/cases/$ID/ack")" 403
check_contains "refusal says the form expired" "$(body)" "The form expired"
check_eq "ack with a wrong CSRF refused" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" -d csrf=forged "$BASE/ui/cases/$ID/ack")" 403
check_eq "not acknowledged" "$(show | jq -r .state)" received

page /ui/cases/$ID >/dev/null
check_eq "acknowledge" "$(post /ui/cases/$ID/ack)" 303
check_eq "back to the case page" "$(location)" "/ui/cases/$ID?done=ack"
check_eq "acknowledged" "$(show | jq -r .state)" acknowledged
check_eq "audited as pat" "$(audit_by case.ack)" pat
check_eq "page after ack" "$(page "/ui/cases/$ID?done=ack")" 200
check_contains "confirmation shown" "$(body)" 'id="flash">Acknowledged'
check_contains "ack clock done" "$(body)" '<li class="clock clock-done" id="clock-ack"'
check_contains "timeline: ack" "$(body)" 'data-action="case.ack"'
check_contains "timeline: who" "$(body)" "<td>pat</td>"
check_contains "timeline: before/after" "$(body)" "<del>received</del> <ins>acknowledged</ins>"
check_eq "acknowledging twice refused" "$(post /ui/cases/$ID/ack)" 409
check_contains "refusal shown on the page" "$(body)" 'id="error">case 3 is acknowledged: cannot move to acknowledged; allowed: triaged'

check_eq "bad state refused" "$(post /ui/cases/$ID/state --data-urlencode to=flying)" 400
check_contains "bad state explained" "$(body)" "state &#39;flying&#39;: expected received"
check_eq "move to triaged" "$(post /ui/cases/$ID/state --data-urlencode to=triaged --data-urlencode 'note=looks real')" 303
check_eq "triaged" "$(show | jq -r .state)" triaged
check_eq "case page after the move" "$(page /ui/cases/$ID)" 200
check_contains "only the allowed moves offered" "$(tr -d '\n' <"$T_DIR/body")" '<select name="to" id="state-to"><option value="accepted">Accepted</option><option value="rejected">Rejected</option><option value="duplicate">Duplicate</option></select>'
check_eq "assign without a name refused" "$(post /ui/cases/$ID/assign --data-urlencode assignee=)" 400
check_contains "assign error" "$(body)" "assignee: required"
check_contains "assign error at its field" "$(body)" 'id="err-assign-form-assignee"'
check_eq "unknown assignee refused" "$(post /ui/cases/$ID/assign --data-urlencode assignee=nobody)" 400
check_contains "unknown assignee explained" "$(body)" "assignee &#39;nobody&#39;: no enabled user with the role psirt or admin"
check_eq "an auditor cannot be assignee" "$(post /ui/cases/$ID/assign --data-urlencode assignee=aud)" 400
check_contains "assignees offered" "$(body)" '<option>pat</option>'
check_not_contains "auditor not offered" "$(body)" '<option>aud</option>'
check_eq "assign" "$(post /ui/cases/$ID/assign --data-urlencode assignee=pat)" 303
check_eq "assigned" "$(show | jq -r .assignee)" pat
check_eq "note" "$(post /ui/cases/$ID/note --data-urlencode 'body=internal <b>only</b>')" 303
check_eq "message" "$(post /ui/cases/$ID/message --data-urlencode 'body=Thanks, we are on it')" 303
check_eq "message kinds" "$(show | jq -r '[.messages[].kind] | join(",")')" "note,note,to_reporter"
check_eq "note audited as pat" "$(audit_by case.note)" pat
head -c 70000 /dev/zero | tr '\0' a >"$T_DIR/big"
check_eq "oversized note refused" "$(post /ui/cases/$ID/note --data-urlencode "body@$T_DIR/big")" 413
check_contains "size named" "$(body)" "body: at most 65536 bytes"
page /ui/cases/$ID >/dev/null
check_not_contains "note escaped" "$(body)" "<b>only</b>"
check_contains "note shown" "$(body)" "internal &lt;b&gt;only&lt;/b&gt;"

# ---- actively exploited, drafts, approval, filing ----
check_eq "awareness time checked" "$(post /ui/cases/$ID/exploited --data-urlencode aware_at=yesterday --data-urlencode evidence=x)" 400
check_contains "time error explained" "$(body)" "Aware since: &#39;yesterday&#39; is not an RFC 3339 time"
check_eq "evidence required" "$(post /ui/cases/$ID/exploited --data-urlencode aware_at=2026-09-20T08:00:00Z --data-urlencode evidence=)" 400
check_contains "evidence error explained" "$(body)" "Evidence (what shows active exploitation): required"
AWARE=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)
check_eq "mark exploited" "$(post /ui/cases/$ID/exploited --data-urlencode "aware_at=$AWARE" --data-urlencode 'evidence=honeypot <hit>')" 303
check_eq "exposure opened" "$(show | jq -r '.exposures[0].id')" 1
check_eq "awareness audited as pat" "$(audit_by art14.aware)" pat
check_eq "awareness time kept" "$("$VIGIL" art14 show 1 --json | jq -r .aware_at)" "$AWARE"
page /ui/cases/$ID >/dev/null
check_contains "early warning clock" "$(body)" '<li class="clock clock-pending" id="clock-1-early-warning"'
check_contains "notification clock" "$(body)" 'id="clock-1-notification"'
check_contains "final undetermined" "$(body)" '<li class="clock clock-undetermined" id="clock-1-final"'
ok "time left counted from the server" grep -Eq '>(21h 59m|22h 00m) [0-9]{2}s left<' "$T_DIR/body"
check_contains "evidence escaped" "$(body)" "honeypot &lt;hit&gt;"
check_contains "drafts side by side" "$(body)" 'id="draft-1-early-warning"'
check_contains "notification column" "$(body)" 'id="draft-1-notification"'
check_contains "final column" "$(body)" 'id="draft-1-final"'

check_eq "exposure of another case refused" "$(post /ui/cases/1/draft -d exposure=1 -d stage=early-warning)" 404
check_contains "mismatch explained" "$(body)" "case 1 has no exposure 1"
check_eq "bad stage refused" "$(post /ui/cases/$ID/draft -d exposure=1 -d stage=late)" 400
check_eq "draft early warning" "$(post /ui/cases/$ID/draft -d exposure=1 -d stage=early-warning)" 303
check_eq "draft audited as pat" "$(audit_by art14.draft)" pat
page /ui/cases/$ID >/dev/null
check_contains "draft version shown" "$(body)" 'Version <strong>1</strong> (Art. 14(2)(a))'
check_contains "checklist: member states missing" "$(body)" '<li class="missing" data-field="member_states">'
check_contains "checklist: title present" "$(body)" '<li class="have" data-field="title">'
check_eq "approving with fields missing refused" "$(post /ui/cases/$ID/approve -d exposure=1 -d stage=early-warning)" 409
check_contains "missing fields named" "$(body)" "required fields missing: member_states"
check_eq "set a field" "$(post /ui/cases/$ID/edit -d exposure=1 -d stage=early-warning -d field=member_states -d value=de,fr)" 303
check_eq "edit audited" "$(audit_by art14.draft_edit)" pat
check_eq "unknown field refused" "$(post /ui/cases/$ID/edit -d exposure=1 -d stage=early-warning -d field=colour -d value=x)" 400
page /ui/cases/$ID >/dev/null
check_contains "version 2" "$(body)" 'Version <strong>2</strong>'
check_contains "nothing missing" "$(body)" "Every required field has a value."
check_eq "approve" "$(post /ui/cases/$ID/approve -d exposure=1 -d stage=early-warning)" 303
check_eq "approval audited" "$(audit_by art14.approve)" pat
check_eq "future filing refused" "$(post /ui/cases/$ID/submitted -d exposure=1 -d stage=early-warning -d at=2099-01-01T00:00:00Z -d reference=X)" 400
check_eq "reference required" "$(post /ui/cases/$ID/submitted -d exposure=1 -d stage=early-warning -d "at=$AWARE" -d reference=)" 400
check_contains "reference error" "$(body)" "Receipt reference: required"
check_eq "record filing" "$(post /ui/cases/$ID/submitted -d exposure=1 -d stage=early-warning -d "at=$AWARE" --data-urlencode 'reference=ENISA-<42>')" 303
check_eq "filing audited" "$(audit_by art14.submitted)" pat
check_eq "filing recorded" "$("$VIGIL" art14 list --json | jq -r '.[] | select(.stage=="early-warning") | "\(.state) \(.reference)"')" "submitted ENISA-<42>"
check_eq "recording twice refused" "$(post /ui/cases/$ID/submitted -d exposure=1 -d stage=early-warning -d "at=$AWARE" -d reference=again)" 409
page /ui/cases/$ID >/dev/null
check_contains "clock submitted" "$(body)" '<li class="clock clock-done" id="clock-1-early-warning"'
check_contains "in time" "$(body)" "(in time)"
check_contains "receipt escaped" "$(body)" '<strong class="reference">ENISA-&lt;42&gt;</strong>'
check_contains "approval shown" "$(body)" "approved by pat"
check_contains "approved" "$(body)" '<p class="approval-state">Approved</p>'
for a in case.received case.ack case.state case.assign case.note case.message art14.aware art14.draft art14.draft_edit art14.approve art14.submitted; do
	check_contains "timeline: $a" "$(body)" "data-action=\"$a\""
done

# ---- Art. 14(8) user notification ----
check_eq "user notification API" "$(curl -s -o "$T_DIR/n.json" -w '%{http_code}' -b "$J" "$BASE/api/v1/cases/$ID/user-notification")" 200
check_eq "schema" "$(jq -r .schema "$T_DIR/n.json")" "vigil-user-notification/1"
check_eq "case id" "$(jq -r .case_id "$T_DIR/n.json")" "$ID"
check_eq "article" "$(jq -r .article "$T_DIR/n.json")" "14(8)"
check_eq "product" "$(jq -r .fields.product "$T_DIR/n.json")" "router<b>X</b>"
check_eq "versions" "$(jq -c .fields.affected_versions "$T_DIR/n.json")" '["2.1"]'
check_eq "actively exploited" "$(jq -r '"\(.fields.actively_exploited) \(.fields.aware_at)"' "$T_DIR/n.json")" "true $AWARE"
check_eq "credit with consent" "$(jq -r .fields.credit "$T_DIR/n.json")" "Eve <i>E</i>"
check_eq "user measures missing" "$(jq -r '.missing | join(",")' "$T_DIR/n.json")" "user_measures"
check_eq "reporter's words need review" "$(jq -r '.needs_review | join(",")' "$T_DIR/n.json")" "summary,impact"
check_eq "not publishable" "$(jq -r .publishable "$T_DIR/n.json")" false
check_eq "required fields" "$(jq -r '.required | join(",")' "$T_DIR/n.json")" "title,summary,product,affected_versions,user_measures"
check_eq "link a version" "$("$VIGIL" case link $ID --version 2.0 --cve CVE-2026-12345 >/dev/null; echo $?)" 0
page /ui/cases/$ID >/dev/null
for f in user_measures=Update%20to%202.2%20or%20turn%20off%20remote%20admin summary=XSS%20in%20the%20admin%20UI severity_impact=Session%20theft; do
	post /ui/cases/$ID/edit -d exposure=1 -d stage=notification -d "field=${f%%=*}" -d "value=${f#*=}" >/dev/null
done
"$VIGIL" case user-notice $ID --json >"$T_DIR/n2.json"
check_eq "CLI: same schema" "$(jq -r .schema "$T_DIR/n2.json")" "vigil-user-notification/1"
check_eq "measures from the exposure" "$(jq -r .fields.user_measures "$T_DIR/n2.json")" "Update to 2.2 or turn off remote admin"
check_eq "source named" "$(jq -r .sources.user_measures "$T_DIR/n2.json")" "facts of exposure 1"
check_eq "versions from links" "$(jq -c .fields.affected_versions "$T_DIR/n2.json")" '["2.1","2.0"]'
check_eq "CVE from links" "$(jq -c .fields.vulnerabilities "$T_DIR/n2.json")" '["CVE-2026-12345"]'
check_eq "nothing missing now" "$(jq -r '"\(.missing | length) \(.needs_review | length) \(.publishable)"' "$T_DIR/n2.json")" "0 0 true"
"$VIGIL" case set $ID --embargo 2099-01-01T00:00:00Z >/dev/null
check_eq "embargo: not publishable" "$("$VIGIL" case user-notice $ID --json | jq -r '"\(.embargo_until) \(.publishable)"')" "2099-01-01T00:00:00Z false"
check_contains "text form" "$("$VIGIL" case user-notice $ID)" "What you should do (corrective or mitigating measures):
  Update to 2.2 or turn off remote admin"
check_contains "text form states the embargo" "$("$VIGIL" case user-notice $ID)" "Under embargo until 2099-01-01T00:00:00Z"
check_eq "API text form" "$(curl -s -o "$T_DIR/n.txt" -w '%{http_code}' -b "$J" "$BASE/api/v1/cases/$ID/user-notification?format=text")" 200
check_contains "API text" "$(cat "$T_DIR/n.txt")" "SECURITY NOTICE (DRAFT)"
check_eq "API bad format" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" "$BASE/api/v1/cases/$ID/user-notification?format=pdf")" 400
check_eq "API unknown case" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" "$BASE/api/v1/cases/999/user-notification")" 404
check_eq "CLI unknown case" "$(run_cmd "$VIGIL" case user-notice 999)" 1
check_eq "case page" "$(page /ui/cases/$ID)" 200
check_contains "notice on the page" "$(body)" 'id="user-notice-text"'
check_contains "notice text escaped" "$(body)" "router&lt;b&gt;X&lt;/b&gt;"
check_contains "notice embargo on the page" "$(body)" "Under embargo until 2099-01-01T00:00:00Z"
check_eq "token API with the user notification" "$(http GET /api/v1/cases/$ID/user-notification -H "Authorization: Bearer $(admin_token)")" 200
check_eq "audit chain intact" "$("$VIGIL" audit verify >/dev/null 2>&1; echo $?)" 0
finish
