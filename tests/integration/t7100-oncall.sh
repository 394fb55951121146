#!/bin/sh
# On-call paging: people, a weekly rotation in Europe/Berlin, an escalation
# policy (primary -> secondary -> PSIRT lead by e-mail), pages received by a
# local webhook receiver and SMTP sink, escalation with moved time, a drill
# acknowledged at level 2 through the public link (time to acknowledge
# recorded, pass), a failed drill, acknowledgement by CLI and API, and the
# web pages.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
TOOLS="$VIGIL_SOURCE_DIR/tests/tools"
python3 "$TOOLS/receiver.py" --log "$T_DIR/hook.log" --port-file "$T_DIR/hook.port" &
HPID=$!
python3 "$TOOLS/smtpsink.py" --log "$T_DIR/mail.log" --port-file "$T_DIR/mail.port" &
MPID=$!
trap 'kill $HPID $MPID 2>/dev/null; t_cleanup' EXIT
i=0
while [ ! -s "$T_DIR/hook.port" ] || [ ! -s "$T_DIR/mail.port" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "receivers did not start"; exit 1; }
	sleep 0.1
done
HOOK="http://127.0.0.1:$(cat "$T_DIR/hook.port")"
SMTP="smtp://127.0.0.1:$(cat "$T_DIR/mail.port")"

# hooks PATH: the JSON bodies the receiver got on PATH, one a line
hooks() {
	grep "\"path\": \"$1\"" "$T_DIR/hook.log" 2>/dev/null | jq -c '.body | fromjson'
}

"$VIGIL" notify channel-add primary-hook --kind webhook --url "$HOOK/primary" >/dev/null
"$VIGIL" notify channel-add secondary-hook --kind webhook --url "$HOOK/secondary" >/dev/null
"$VIGIL" notify channel-add lead-mail --kind email --smtp-url "$SMTP" --from vigil@example.test \
	--to lead@example.test >/dev/null

check_eq "person with a user and a channel" "$(run_cmd "$VIGIL" oncall person-add ann --user ann --channel primary-hook)" 0
check_eq "person" "$(run_cmd "$VIGIL" oncall person-add ben)" 0
check_eq "the PSIRT lead" "$(run_cmd "$VIGIL" oncall person-add lena --channel lead-mail)" 0
check_eq "unknown channel refused" "$(run_cmd "$VIGIL" oncall person-add x --channel nope)" 1
check_eq "people listed with their channel" "$("$VIGIL" oncall people --json | jq -r '.[] | select(.name == "ann") | "\(.user_login) \(.channel)"')" "ann primary-hook"
check_eq "people: created_at is a time" "$("$VIGIL" oncall people --json | jq -r '.[0].created_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")')" "true"
check_contains "people (human)" "$("$VIGIL" oncall people)" "lead-mail"
check_eq "duplicate person refused" "$(run_cmd "$VIGIL" oncall person-add ben)" 1
check_eq "rotation: bad zone" "$(run_cmd "$VIGIL" oncall rotation-add r --tz Mars/Base --start 2026-03-02T08:00:00Z --handover mon@09 --members ann)" 1
check_contains "bad zone explained" "$(cat "$T_DIR/err")" "Mars/Base"
check_eq "rotation: bad hand-over" "$(run_cmd "$VIGIL" oncall rotation-add r --tz UTC --start 2026-03-02T08:00:00Z --handover someday@25 --members ann)" 2
check_eq "rotation: unknown member" "$(run_cmd "$VIGIL" oncall rotation-add r --tz UTC --start 2026-03-02T08:00:00Z --handover mon@09 --members ann,zed)" 1
check_eq "primary rotation" "$(run_cmd "$VIGIL" oncall rotation-add primary --tz Europe/Berlin --start 2026-03-02T08:00:00Z --handover mon@09 --members ann,ben)" 0
check_eq "secondary rotation" "$(run_cmd "$VIGIL" oncall rotation-add secondary --tz Europe/Berlin --start 2026-03-02T08:00:00Z --handover mon@09 --members ben,ann)" 0
check_eq "policy" "$(run_cmd "$VIGIL" oncall policy-add default --level rotation:primary:primary-hook:15 \
	--level rotation:secondary:secondary-hook:15 --level person:lena::10 --repeat 2)" 0
check_eq "policy with a bad level" "$(run_cmd "$VIGIL" oncall policy-add p2 --level team:x)" 1
check_contains "policies listed" "$("$VIGIL" oncall policies)" "level 3: person lena via -, then wait 10 min"

# who is on call, across the DST change (Monday 30 March 09:00 CEST = 07:00Z)
check_eq "who before the hand-over" "$(VIGIL_NOW=2026-03-30T06:59:00Z "$VIGIL" oncall who --json | jq -r '.[0] | "\(.rotation) \(.on_call) \(.until) \(.next)"')" \
	"primary ben 2026-03-30T07:00:00Z ann"
check_eq "who before the rotation starts" "$(VIGIL_NOW=2026-03-01T00:00:00Z "$VIGIL" oncall who --json | jq -r '.[0] | "\(.on_call) \(.until) \(.next)"')" \
	"null 2026-03-02T08:00:00Z ann"
check_eq "who after the hand-over" "$(VIGIL_NOW=2026-03-30T07:00:00Z "$VIGIL" oncall who --json | jq -r '.[0].on_call')" "ann"
check_contains "who (human)" "$(VIGIL_NOW=2026-03-30T07:00:00Z "$VIGIL" oncall who)" "until 2026-04-06T07:00:00Z, then ben"

# ---- a drill: level 1 does not answer, level 2 acknowledges through the link ----
T0=2026-06-01T22:00:00Z # Monday night, out of hours in Berlin
check_eq "drill" "$(VIGIL_NOW=$T0 run_cmd "$VIGIL" oncall drill)" 0
check_eq "level 1 paged" "$(hooks /primary | wc -l | tr -d ' ')" 1
p1=$(hooks /primary | head -1)
check_contains "marked as a drill" "$(printf '%s' "$p1" | jq -r .summary)" "DRILL: "
check_eq "page event" "$(printf '%s' "$p1" | jq -r .event)" "oncall.page"
# 13 weeks after the start: the second member's turn
check_eq "addressed to the on-call of primary" "$(printf '%s' "$p1" | jq -r .details.target)" "ben"
check_contains "carries an acknowledgement link" "$(printf '%s' "$p1" | jq -r .details.ack_url)" "/oncall/ack/"
check_eq "not escalated before 15 minutes" "$(VIGIL_NOW=2026-06-01T22:14:59Z "$VIGIL" oncall tick)" "0 escalation notification(s)"
check_eq "escalated at 15 minutes" "$(VIGIL_NOW=2026-06-01T22:15:00Z "$VIGIL" oncall tick)" "1 escalation notification(s)"
check_eq "level 2 paged" "$(hooks /secondary | wc -l | tr -d ' ')" 1
p2=$(hooks /secondary | head -1)
check_eq "level 2 is the on-call of secondary" "$(printf '%s' "$p2" | jq -r .details.target)" "ann"
check_eq "level 2 payload says level 2" "$(printf '%s' "$p2" | jq -r .details.level)" 2
check_eq "page status" "$("$VIGIL" oncall pages --json | jq -r '.[0] | "\(.status) \(.level) \(.drill)"')" "open 2 true"
link1=$(printf '%s' "$p1" | jq -r .details.ack_url)
link2=$(printf '%s' "$p2" | jq -r .details.ack_url)
check_eq "each notification has its own link" "$([ "$link1" != "$link2" ] && echo different)" "different"
check_eq "the token is stored hashed only" "$(db_sql "SELECT COUNT(*) FROM oncall_notifications WHERE token_sha256 = '${link2##*/}'")" 0

VIGIL_NOW=2026-06-01T22:21:00Z start_server
check_eq "ack link: confirm page without login" "$(http GET "$link2")" 200
check_contains "confirm page shows the drill" "$(body)" "DRILL"
check_contains "confirm page has the form" "$(body)" 'id="ack-form"'
check_eq "ack link: unknown token" "$(http GET /oncall/ack/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA)" 404
check_eq "ack link: POST acknowledges" "$(http POST "$link2")" 200
check_contains "acknowledged" "$(body)" "Acknowledged"
check_eq "ack link: second POST refused" "$(http POST "$link1")" 409
check_contains "says who took it" "$(body)" "link:ann"
check_eq "drill recorded" "$("$VIGIL" oncall drills --json | jq -r '.[0] | "\(.result) \(.ack_seconds) \(.ack_level)"')" "pass 1260 2"
check_contains "drills (human)" "$("$VIGIL" oncall drills)" "acknowledged after 21 min 0 s (level 2)"
check_eq "no escalation after the ack" "$(VIGIL_NOW=2026-06-01T23:30:00Z "$VIGIL" oncall tick)" "0 escalation notification(s)"
check_eq "the lead was never paged" "$([ -s "$T_DIR/mail.log" ] && echo paged || echo no)" "no"

# ---- a real page: nobody answers, it reaches the lead by e-mail ----
check_eq "page needs a summary" "$(run_cmd "$VIGIL" oncall page)" 2
check_eq "bad severity" "$(run_cmd "$VIGIL" oncall page --summary x --severity urgent)" 1
check_eq "page" "$(VIGIL_NOW=2026-06-02T10:00:00Z run_cmd "$VIGIL" oncall page --summary 'KEV: CVE-2026-0002 in router 2.1' --severity critical --json)" 0
PID2=$(jq -r .id "$T_DIR/out")
check_eq "page JSON" "$(jq -r '"\(.status) \(.severity) \(.notifications | length)"' "$T_DIR/out")" "open critical 1"
VIGIL_NOW=2026-06-02T10:31:00Z "$VIGIL" oncall tick >/dev/null
check_eq "the lead got the e-mail" "$(wc -l <"$T_DIR/mail.log" | tr -d ' ')" 1
check_contains "mail subject" "$(jq -r .data "$T_DIR/mail.log")" "Subject: [vigil] critical: KEV: CVE-2026-0002 in router 2.1 (page $PID2, level 3, for lena)"
check_contains "mail has the link" "$(jq -r .data "$T_DIR/mail.log")" "/oncall/ack/"
check_eq "ack by CLI" "$(run_cmd "$VIGIL" oncall ack "$PID2")" 0
check_eq "ack twice" "$(run_cmd "$VIGIL" oncall ack "$PID2")" 1
check_eq "ack of a missing page" "$(run_cmd "$VIGIL" oncall ack 999)" 1
check_eq "pages --limit" "$("$VIGIL" oncall pages --limit 1 --json | jq length)" 1
check_eq "pages: bad --limit" "$(run_cmd "$VIGIL" oncall pages --limit abc)" 2
check_contains "pages: bad --limit named" "$(cat "$T_DIR/err")" "--limit"
check_eq "policy-add: bad --repeat" "$(run_cmd "$VIGIL" oncall policy-add x --level person:lena --repeat many)" 2
check_contains "policy-add: bad --repeat named" "$(cat "$T_DIR/err")" "--repeat"
check_eq "acknowledged by the CLI actor" "$("$VIGIL" oncall pages --json | jq -r ".[] | select(.id == $PID2) | \"\(.status) \(.acknowledged_by) \(.ack_level)\"")" "acknowledged test 3"

# ---- API ----
TOK=$(admin_token)
check_eq "API: open a page" "$(http POST /api/v1/oncall/pages -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d '{"summary":"API page","severity":"high"}')" 201
PID3=$(body | jq -r .id)
check_eq "API: who" "$(http GET /api/v1/oncall/who -H "Authorization: Bearer $TOK")" 200
check_eq "API: who has rotations" "$(body | jq -r '.rotations | length')" 2
check_eq "API: ack needs credentials" "$(http POST "/api/v1/oncall/pages/$PID3/ack")" 401
check_eq "API: ack" "$(http POST "/api/v1/oncall/pages/$PID3/ack" -H "Authorization: Bearer $TOK")" 200
check_eq "API: acknowledged" "$(body | jq -r .status)" "acknowledged"
check_eq "API: pages" "$(http GET /api/v1/oncall/pages -H "Authorization: Bearer $TOK")" 200
check_eq "API: three pages" "$(body | jq -r '.pages | length')" 3
check_eq "API: pages limit" "$(http GET "/api/v1/oncall/pages?limit=1" -H "Authorization: Bearer $TOK")" 200
check_eq "API: one page" "$(body | jq -r '.pages | length')" 1
check_eq "API: a page has its notifications" "$(body | jq -r '.pages[0] | has("notifications")')" "true"
check_eq "API: bad limit" "$(http GET "/api/v1/oncall/pages?limit=abc" -H "Authorization: Bearer $TOK")" 400
check_contains "API: bad limit named" "$(body)" "limit"
check_eq "API: drills" "$(http GET /api/v1/oncall/drills -H "Authorization: Bearer $TOK")" 200
check_eq "API: drill passed" "$(body | jq -r '.drills[0].result')" "pass"
check_eq "UI page needs login" "$(http GET /ui/oncall)" 303
check_eq "UI page with a token" "$(http GET /ui/oncall -H "Authorization: Bearer $TOK")" 200
check_contains "UI shows the rota" "$(body)" 'id="rota"'
check_contains "UI shows the drill result" "$(body)" "21 min 0 s"
stop_server

# ---- a drill nobody answers fails; drill_due after a quarter ----
VIGIL_NOW=2026-06-03T10:00:00Z "$VIGIL" oncall drill >/dev/null
VIGIL_NOW=2026-06-03T10:31:00Z "$VIGIL" oncall tick >/dev/null
check_eq "unanswered drill fails" "$("$VIGIL" oncall drills --json | jq -r '.[0] | "\(.result) \(.ack_seconds)"')" "fail null"
"$VIGIL" notify rule-add --event oncall.drill_due --channel primary-hook >/dev/null
check_contains "no drill due within the quarter" "$(VIGIL_NOW=2026-08-31T10:00:00Z "$VIGIL" oncall drill-check)" "up to date"
check_contains "drill due after 92 days" "$(VIGIL_NOW=2026-09-02T10:00:00Z "$VIGIL" oncall drill-check)" "is due"
VIGIL_NOW=2026-09-02T10:00:00Z "$VIGIL" notify run >/dev/null
check_contains "drill_due delivered" "$(grep -c 'oncall.drill_due' "$T_DIR/hook.log")" "1"
check_contains "audit trail has the acks" "$("$VIGIL" audit log)" "oncall.page.ack"
finish
