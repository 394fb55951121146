#!/bin/sh
# Notifications: webhook (HMAC-SHA256 signed), e-mail through SMTP, PagerDuty
# Events v2 payloads; rules with severity thresholds; queued deliveries with
# retries and backoff, visible in `vigil notify log`.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
# channel secrets are sealed with this key file (not the default in $HOME on PostgreSQL)
VIGIL_SECRETS_KEY_FILE="$T_DIR/secret.key"
export VIGIL_SECRETS_KEY_FILE
fresh_db
TOOLS="$VIGIL_SOURCE_DIR/tests/tools"
python3 "$TOOLS/receiver.py" --log "$T_DIR/hook.log" --port-file "$T_DIR/hook.port" --status-file "$T_DIR/hook.status" &
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

check_eq "webhook channel" "$(echo 'whsec-test-123' | run_cmd "$VIGIL" notify channel-add hook --kind webhook --url "$HOOK/hook" --secret-stdin)" 0
check_eq "email channel" "$(run_cmd "$VIGIL" notify channel-add mail --kind email --smtp-url "$SMTP" --from vigil@example.test --to psirt@example.test,lead@example.test)" 0
check_eq "pagerduty channel" "$(echo 'R0UT1NGKEY0123456789abcdef012345' | run_cmd "$VIGIL" notify channel-add pd --kind pagerduty --url "$HOOK/v2/enqueue" --routing-key-stdin)" 0
check_eq "bad kind is a usage error" "$(run_cmd "$VIGIL" notify channel-add x --kind pigeon)" 1
check_eq "bad URL refused" "$(run_cmd "$VIGIL" notify channel-add x --kind webhook --url ftp://x)" 1
check_contains "bad URL explained" "$(cat "$T_DIR/err")" "url"
"$VIGIL" notify channels --json >"$T_DIR/ch.json"
check_eq "secrets masked in listings" "$(jq -r '.[] | select(.name=="hook") | .config.secret' "$T_DIR/ch.json")" "***"
check_not_contains "routing key not listed" "$(cat "$T_DIR/ch.json")" "R0UT1NG"
check_not_contains "no secret in the audit trail" "$("$VIGIL" audit log --json)" "whsec-test-123"
check_not_contains "no secret in the database" "$(db_sql "SELECT config_json, secrets_sealed FROM notify_channels")" "whsec-test-123"
check_not_contains "no routing key in the database" "$(db_sql "SELECT config_json, secrets_sealed FROM notify_channels")" "R0UT1NG"

check_eq "rule: breaches to webhook" "$(run_cmd "$VIGIL" notify rule-add --event sla.breached --channel hook)" 0
check_eq "rule: high and above by mail" "$(run_cmd "$VIGIL" notify rule-add --event 'finding.*' --min-severity high --channel mail)" 0
check_eq "rule: exploited to pagerduty" "$(run_cmd "$VIGIL" notify rule-add --event vuln.exploited --channel pd)" 0
check_eq "rule with bad severity" "$(run_cmd "$VIGIL" notify rule-add --event x --min-severity huge --channel hook)" 2

check_contains "emit sla.breached" "$("$VIGIL" notify emit sla.breached --severity high --summary 'Finding 7 breached its SLA' --dedup-key sla-7)" "1 deliveries queued"
check_contains "medium finding: no mail (below threshold)" "$("$VIGIL" notify emit finding.new --severity medium)" "0 deliveries queued"
check_contains "finding without severity: no mail" "$("$VIGIL" notify emit finding.new)" "0 deliveries queued"
check_contains "critical finding: mail" "$("$VIGIL" notify emit finding.new --severity critical --summary 'CVE-2026-0001 in openssl')" "1 deliveries queued"
check_contains "exploited: page" "$("$VIGIL" notify emit vuln.exploited --severity critical --summary 'KEV: CVE-2026-0002' --dedup-key kev-0002)" "1 deliveries queued"
check_contains "unrelated event: nothing" "$("$VIGIL" notify emit audit.read)" "0 deliveries queued"

check_contains "deliver" "$("$VIGIL" notify run)" "3 sent, 0 failed"
check_eq "webhook + pagerduty received" "$(wc -l <"$T_DIR/hook.log" | tr -d ' ')" 2
hook=$(grep '"/hook"' "$T_DIR/hook.log")
body=$(printf '%s' "$hook" | jq -r .body)
check_eq "webhook body event" "$(printf '%s' "$body" | jq -r .event)" "sla.breached"
check_eq "webhook body summary" "$(printf '%s' "$body" | jq -r .summary)" "Finding 7 breached its SLA"
ts=$(printf '%s' "$hook" | jq -r '.headers["x-vigil-timestamp"]')
sig=$(printf '%s' "$hook" | jq -r '.headers["x-vigil-signature"]')
want=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac 'whsec-test-123' | sed 's/^.*= //')
check_eq "webhook HMAC-SHA256 signature verifies" "$sig" "sha256=$want"
pd=$(grep '"/v2/enqueue"' "$T_DIR/hook.log" | jq -r .body)
check_eq "pagerduty routing_key" "$(printf '%s' "$pd" | jq -r .routing_key)" "R0UT1NGKEY0123456789abcdef012345"
check_eq "pagerduty event_action" "$(printf '%s' "$pd" | jq -r .event_action)" "trigger"
check_eq "pagerduty dedup_key" "$(printf '%s' "$pd" | jq -r .dedup_key)" "kev-0002"
check_eq "pagerduty payload.severity" "$(printf '%s' "$pd" | jq -r .payload.severity)" "critical"
check_eq "pagerduty payload.summary" "$(printf '%s' "$pd" | jq -r .payload.summary)" "KEV: CVE-2026-0002"
check_eq "pagerduty payload.source" "$(printf '%s' "$pd" | jq -r .payload.source)" "vigil"
check_eq "pagerduty payload.timestamp is RFC 3339" "$(printf '%s' "$pd" | jq -r '.payload.timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")')" "true"
check_eq "pagerduty custom_details" "$(printf '%s' "$pd" | jq -r .payload.custom_details.summary)" "KEV: CVE-2026-0002"
check_eq "mail delivered" "$(wc -l <"$T_DIR/mail.log" | tr -d ' ')" 1
check_eq "mail to both recipients" "$(jq -c .to "$T_DIR/mail.log")" '["psirt@example.test","lead@example.test"]'
check_contains "mail subject" "$(jq -r .data "$T_DIR/mail.log")" "Subject: [vigil] critical: CVE-2026-0001 in openssl"

# Failure: the receiver answers 500; the delivery is retried with backoff, then succeeds.
echo 500 >"$T_DIR/hook.status"
"$VIGIL" notify emit sla.breached --severity high --summary 'second breach' >/dev/null
check_contains "failed delivery reported" "$("$VIGIL" notify run 2>/dev/null)" "0 sent, 1 failed"
check_eq "log shows retry" "$("$VIGIL" notify log --json | jq -r '.[0] | "\(.status) \(.attempts) \(.response_code)"')" "retry 1 500"
check_contains "not due before the backoff" "$("$VIGIL" notify run 2>/dev/null)" "0 sent, 0 failed"
echo 200 >"$T_DIR/hook.status"
later=$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ)
check_contains "retried after the backoff" "$(VIGIL_NOW=$later "$VIGIL" notify run)" "1 sent, 0 failed"
check_eq "log shows sent on 2nd attempt" "$("$VIGIL" notify log --json | jq -r '.[0] | "\(.status) \(.attempts)"')" "sent 2"
check_contains "human log" "$("$VIGIL" notify log)" "sla.breached"

# The server delivers by itself (leader job).
VIGIL_JOBS_TICK=1 start_server
"$VIGIL" notify emit sla.breached --severity high --summary 'third breach' >/dev/null
i=0
while [ $i -lt 50 ] && [ "$(grep -c 'third breach' "$T_DIR/hook.log")" = 0 ]; do sleep 0.2; i=$((i + 1)); done
check_eq "server delivered in the background" "$(grep -c 'third breach' "$T_DIR/hook.log")" 1

# The API reads the same log; a bad limit is a 400 that names the parameter.
TOK=$(admin_token)
check_eq "API log" "$(http GET "/api/v1/notify/log?limit=2" -H "Authorization: Bearer $TOK")" 200
check_eq "API log honours the limit" "$(jq '.deliveries | length' "$T_DIR/body")" 2
check_eq "API channels" "$(http GET "/api/v1/notify/channels" -H "Authorization: Bearer $TOK")" 200
check_eq "API channels masked" "$(jq -r '.channels[] | select(.name=="hook") | .config.secret' "$T_DIR/body")" "***"
check_eq "API rules" "$(http GET "/api/v1/notify/rules" -H "Authorization: Bearer $TOK")" 200
check_eq "API rules listed" "$(jq -r '.rules[0] | "\(.event) \(.channel)"' "$T_DIR/body")" "sla.breached hook"
check_eq "API log: bad limit" "$(http GET "/api/v1/notify/log?limit=abc" -H "Authorization: Bearer $TOK")" 400
check_contains "API log: bad limit named" "$(body)" "limit"
check_eq "CLI log: bad limit" "$(run_cmd "$VIGIL" notify log --limit abc)" 2
check_contains "CLI log: bad limit named" "$(cat "$T_DIR/err")" "--limit"
finish
