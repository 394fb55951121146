#!/bin/sh
# Channel secrets stay secret (issue 16, item 6): a webhook URL with
# credentials, a secret path and a token, an smtp_url with user:pw@, a
# PagerDuty routing key are shown masked to auditor and psirt (API, CLI,
# the evidence page), never written in clear to the audit trail or the
# database (sealed with the key file outside it), and still delivered to
# the right URL. Channels stored before sealing are sealed once; a
# different key file is named in the error.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
KEY="$T_DIR/keys/secret.key"
VIGIL_SECRETS_KEY_FILE=$KEY
export VIGIL_SECRETS_KEY_FILE
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
PORT=$(cat "$T_DIR/hook.port")
URL="http://user:pw@127.0.0.1:$PORT/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX?token=abc"
SHOWN="http://***@127.0.0.1:$PORT/services/T000/B000/***?token=***"

# no_secret WHAT TEXT: none of the clear secrets in TEXT
no_secret() {
	for s in 'pw@' 'token=abc' 'XXXXXXXXXXXXXXXXXXXXXXXX' 'whsec-5001' 'mailpw5001' 'smtppass5001' \
		'PDKEY5001' 'oldpw5001' 'oldtok5001' 'oldsec5001'; do
		check_not_contains "$1: no $s" "$2" "$s"
	done
}

check_eq "webhook channel" "$(echo 'whsec-5001' | run_cmd "$VIGIL" notify channel-add hook --kind webhook --url "$URL" --secret-stdin)" 0
check_eq "email channel" "$(echo 'smtppass5001' | run_cmd "$VIGIL" notify channel-add mail --kind email --smtp-url "smtps://mailer:mailpw5001@mail.example:465" --from vigil@example.test --to psirt@example.test --username mailer --password-stdin)" 0
check_eq "pagerduty channel" "$(echo 'PDKEY5001abcdef0123456789abcdef' | run_cmd "$VIGIL" notify channel-add pd --kind pagerduty --routing-key-stdin)" 0
# --url-stdin keeps the URL out of the process list (first line, then the secret)
check_eq "URL from standard input" "$(printf '%s\n%s\n' "$URL" 'whsec-5001' | run_cmd "$VIGIL" notify channel-add hook2 --kind webhook --url-stdin --secret-stdin)" 0
check_eq "smtp URL from standard input" "$(printf '%s\n' 'smtp://mailer:mailpw5001@mail.example:587' | run_cmd "$VIGIL" notify channel-add mail2 --kind email --url-stdin --from vigil@example.test --to psirt@example.test)" 0
check_eq "not both --url and --url-stdin" "$(echo x | run_cmd "$VIGIL" notify channel-add hook3 --kind webhook --url "$URL" --url-stdin)" 2
check_eq "an overlong URL line is refused" "$(head -c 3000 /dev/zero | tr '\0' a | run_cmd "$VIGIL" notify channel-add hook3 --kind webhook --url-stdin)" 1
check_contains "overlong explained" "$(cat "$T_DIR/err")" "url: longer than"
ok "key file made outside the database, private" test "$(stat -c %a "$KEY")" = 600

# CLI listing, table and --json
"$VIGIL" notify channels --json >"$T_DIR/ch.json"
check_eq "CLI: webhook URL masked" "$(jq -r '.[] | select(.name=="hook") | .config.url' "$T_DIR/ch.json")" "$SHOWN"
check_eq "CLI: smtp_url masked" "$(jq -r '.[] | select(.name=="mail") | .config.smtp_url' "$T_DIR/ch.json")" "smtps://***@mail.example:465"
check_eq "CLI: SMTP password masked" "$(jq -r '.[] | select(.name=="mail") | .config.password' "$T_DIR/ch.json")" "***"
check_eq "CLI: routing key masked" "$(jq -r '.[] | select(.name=="pd") | .config.routing_key' "$T_DIR/ch.json")" "***"
no_secret "CLI --json" "$(cat "$T_DIR/ch.json")"
no_secret "CLI table" "$("$VIGIL" notify channels)"

# The database holds the shown configuration and the sealed secrets only.
no_secret "database row" "$(db_sql "SELECT name, kind, config_json, secrets_sealed FROM notify_channels")"
check_eq "secrets sealed" "$(db_sql "SELECT COUNT(*) FROM notify_channels WHERE secrets_sealed LIKE 'vg1:%'")" 5
check_eq "CLI: URL from stdin masked" "$(jq -r '.[] | select(.name=="hook2") | .config.url' "$T_DIR/ch.json")" "$SHOWN"
check_eq "CLI: smtp URL from stdin masked" "$(jq -r '.[] | select(.name=="mail2") | .config.smtp_url' "$T_DIR/ch.json")" "smtp://***@mail.example:587"
# The audit trail: the CLI, the rows, and the chain still verifies.
"$VIGIL" audit log --json >"$T_DIR/audit.json"
check_contains "channel creation audited" "$(cat "$T_DIR/audit.json")" "notify.channel_add"
check_contains "audit shows the masked URL" "$(cat "$T_DIR/audit.json")" "***@127.0.0.1:$PORT/services/T000/B000/***?token=***"
no_secret "audit log --json" "$(cat "$T_DIR/audit.json")"
no_secret "audit rows" "$(db_sql "SELECT * FROM audit_log")"

# Delivery still goes to the clear URL, with its credentials and signature.
"$VIGIL" notify rule-add --event sla.breached --channel hook >/dev/null
"$VIGIL" notify emit sla.breached --severity high --summary 'secret test' >/dev/null
check_contains "delivered" "$("$VIGIL" notify run)" "1 sent, 0 failed"
hook=$(tail -1 "$T_DIR/hook.log")
check_eq "to the secret path and token" "$(printf '%s' "$hook" | jq -r .path)" "/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX?token=abc"
check_eq "with the URL's credentials" "$(printf '%s' "$hook" | jq -r .headers.authorization)" "Basic $(printf 'user:pw' | base64)"
body=$(printf '%s' "$hook" | jq -r .body)
ts=$(printf '%s' "$hook" | jq -r '.headers["x-vigil-timestamp"]')
want=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac 'whsec-5001' | sed 's/^.*= //')
check_eq "signed with the sealed secret" "$(printf '%s' "$hook" | jq -r '.headers["x-vigil-signature"]')" "sha256=$want"
no_secret "delivery log" "$("$VIGIL" notify log --json)"

# Channels stored before sealing (as a database from before migration 0019
# has them): shown masked at once, sealed once, still delivered.
db_sql "INSERT INTO notify_channels (name, kind, config_json, enabled, created_at) VALUES ('old', 'webhook', '{\"secret\":\"oldsec5001\",\"url\":\"http://olduser:oldpw5001@127.0.0.1:$PORT/hooks/legacy?token=oldtok5001\"}', 1, 0)"
check_eq "old channel shown masked before sealing" "$("$VIGIL" notify channels --json | jq -r '.[] | select(.name=="old") | .config.url')" "http://***@127.0.0.1:$PORT/hooks/***?token=***"
check_contains "seal" "$("$VIGIL" notify seal)" "1 channel sealed"
check_contains "seal again: nothing left" "$("$VIGIL" notify seal)" "0 channels sealed"
no_secret "database after sealing" "$(db_sql "SELECT config_json, secrets_sealed FROM notify_channels")"
check_contains "sealing audited" "$("$VIGIL" audit log --json)" "notify.channel_seal"
no_secret "audit after sealing" "$(db_sql "SELECT * FROM audit_log")"
"$VIGIL" notify rule-add --event legacy.test --channel old >/dev/null
"$VIGIL" notify emit legacy.test >/dev/null
check_contains "old channel delivered" "$("$VIGIL" notify run)" "1 sent, 0 failed"
check_eq "old channel: clear URL used to send" "$(tail -1 "$T_DIR/hook.log" | jq -r .path)" "/hooks/legacy?token=oldtok5001"
# a delivery run seals by itself
db_sql "INSERT INTO notify_channels (name, kind, config_json, enabled, created_at) VALUES ('old2', 'webhook', '{\"url\":\"http://127.0.0.1:$PORT/hooks/oldtok5001\"}', 1, 0)"
"$VIGIL" notify run >/dev/null 2>&1
check_eq "delivery run sealed the rest" "$(db_sql "SELECT COUNT(*) FROM notify_channels WHERE secrets_sealed IS NULL")" 0
check_eq "audit chain intact" "$(run_cmd "$VIGIL" audit verify)" 0

# A different key file: the error names the channel and the file.
mv "$KEY" "$KEY.good"
head -c 32 /dev/urandom >"$KEY"
chmod 600 "$KEY"
"$VIGIL" notify emit sla.breached --severity high --summary 'other key' >/dev/null
check_contains "not sent with another key" "$("$VIGIL" notify run 2>/dev/null)" "0 sent, 1 failed"
check_contains "error names channel and key file" "$("$VIGIL" notify log --json | jq -r '.[0].last_error')" "channel 'hook': secret does not open with the key in $KEY"
mv "$KEY.good" "$KEY"
later=$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ)
check_contains "sent once the key is back" "$(VIGIL_NOW=$later "$VIGIL" notify run)" "1 sent, 0 failed"

# A feed URL's token is masked in what `vigil feed sync` says (the receiver
# answers GET with 501).
VIGIL_FEEDS_KEV_URL="http://127.0.0.1:$PORT/kev.json?token=feedtok5001" run_cmd "$VIGIL" feed sync >/dev/null
check_contains "feed error shows the URL masked" "$(cat "$T_DIR/out" "$T_DIR/err")" "kev.json?token=***"
check_not_contains "feed error hides the token" "$(cat "$T_DIR/out" "$T_DIR/err")" "feedtok5001"

# The server: auditor and psirt read the channels masked, and the evidence page.
start_server
AUD=$("$VIGIL" token create --name aud --role auditor 2>/dev/null)
PSI=$("$VIGIL" token create --name psi --role psirt 2>/dev/null)
for who in AUD PSI; do
	eval tok=\$$who
	check_eq "$who: API channels" "$(http GET /api/v1/notify/channels -H "Authorization: Bearer $tok")" 200
	check_eq "$who: API URL masked" "$(jq -r '.channels[] | select(.name=="hook") | .config.url' "$T_DIR/body")" "$SHOWN"
	check_eq "$who: API smtp_url masked" "$(jq -r '.channels[] | select(.name=="mail") | .config.smtp_url' "$T_DIR/body")" "smtps://***@mail.example:465"
	no_secret "$who: API channels" "$(body)"
	check_eq "$who: evidence page" "$(http GET /ui/evidence -H "Authorization: Bearer $tok")" 200
	check_contains "$who: evidence lists the channel" "$(body)" "notify.channel_add"
	no_secret "$who: evidence page" "$(body)"
	check_eq "$who: API audit" "$(http GET "/api/v1/audit?limit=500" -H "Authorization: Bearer $tok")" 200
	no_secret "$who: API audit" "$(body)"
done
no_secret "server log" "$(cat "$T_DIR/server.log")"
finish
