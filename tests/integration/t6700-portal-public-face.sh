#!/bin/sh
# The portal's public face (issue 17, item 7): the organisation's name and
# logo (org.name, org.logo; psirt.org_name still works) on every public page;
# no product names to anonymous visitors unless a product is marked public;
# paste-friendly anti-abuse: a form sent at once is accepted (no minimum
# time), a filled honeypot is refused quietly (200, nothing stored, no word
# about the trap), the report rate is per address (another address is not
# held back); the tracking link is e-mailed through an e-mail notification
# channel (a fake SMTP server) to a reporter who gives an address, and the
# address and link are neither logged nor left in the queue.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
VIGIL_SECRETS_KEY_FILE="$T_DIR/secret.key"
export VIGIL_SECRETS_KEY_FILE
fresh_db
TOOLS="$VIGIL_SOURCE_DIR/tests/tools"
python3 "$TOOLS/smtpsink.py" --log "$T_DIR/mail.log" --port-file "$T_DIR/mail.port" &
MPID=$!
trap 'kill $MPID 2>/dev/null; t_cleanup' EXIT
i=0
while [ ! -s "$T_DIR/mail.port" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "SMTP sink did not start"; exit 1; }
	sleep 0.1
done
SMTP="smtp://127.0.0.1:$(cat "$T_DIR/mail.port")"

export VIGIL_PSIRT_FORM_SECRET=t6700-form-secret
export VIGIL_PSIRT_REPORT_RATE=3
export VIGIL_SERVER_TRUSTED_PROXIES=127.0.0.1
export VIGIL_SERVER_PUBLIC_URL=https://psirt.example.test
printf '\211PNG\r\n\032\nlogo' >"$T_DIR/logo.png"
export VIGIL_ORG_LOGO="$T_DIR/logo.png"
export VIGIL_ORG_NAME='Acme <Devices>'
"$VIGIL" product create PublicWidget --public yes >/dev/null
"$VIGIL" product create SecretPrototype >/dev/null
ADMIN=$(admin_token)
check_eq "e-mail channel" "$(run_cmd "$VIGIL" notify channel-add reporters --kind email --smtp-url "$SMTP" --from psirt@example.test --to psirt@example.test)" 0
start_server

form_token() {
	curl -s -H "X-Forwarded-For: ${1:-192.0.2.1}" "$BASE/report" | sed -n 's/.*name="form_token" value="\([^"]*\)".*/\1/p'
}
cases() {
	"$VIGIL" case list --json | jq length
}

# ---- the organisation on every public page ----
check_eq "GET /report" "$(http GET /report)" 200
FORM=$(body)
check_contains "org name in the header, escaped" "$FORM" '<span id="org-name">Acme &lt;Devices&gt;</span> <span class="org-sub">Security</span></a>'
check_contains "org name in the title" "$FORM" "<title>Report a vulnerability · Acme &lt;Devices&gt;</title>"
check_contains "org name in the footer" "$FORM" '<span id="org-footer">Acme &lt;Devices&gt;</span>'
check_contains "logo shown" "$FORM" 'id="org-logo" src="/report/logo/logo.png"'
check_eq "logo served" "$(http GET /report/logo/logo.png)" 200
check_contains "logo type" "$(cat "$T_DIR/headers")" "image/png"
check_eq "logo bytes" "$(cmp -s "$T_DIR/body" "$T_DIR/logo.png" && echo same)" same
check_eq "GET /report/policy" "$(http GET /report/policy)" 200
check_contains "org on the policy page" "$(body)" '<span id="org-name">Acme &lt;Devices&gt;</span>'
check_eq "unknown tracking link" "$(http GET /report/track/not-a-token-at-all)" 404
check_contains "org on the tracking error page" "$(body)" '<span id="org-name">Acme &lt;Devices&gt;</span>'

# ---- product names: only public ones ----
check_contains "public product offered" "$FORM" '<option value="PublicWidget">'
check_not_contains "private product not offered" "$FORM" "SecretPrototype"
for p in /report /report/policy /.well-known/security.txt /api/v1/openapi.json; do
	http GET "$p" >/dev/null
	check_not_contains "no private product name at $p" "$(body)" "SecretPrototype"
done

# ---- paste-friendly: sent at once, accepted ----
TOK=$(form_token)
check_eq "a form sent at once is accepted" "$(http POST /report -H 'X-Forwarded-For: 192.0.2.1' -F "form_token=$TOK" -F product=PublicWidget -F 'description=pasted at once')" 200
check_contains "received" "$(body)" 'id="tracking-link"'
check_not_contains "no minimum-time refusal" "$(body)" "second(s) after it was loaded"
check_contains "org on the received page" "$(body)" '<span id="org-name">Acme &lt;Devices&gt;</span>'
check_not_contains "nothing mailed without an address" "$(body)" 'id="link-mailed"'
check_eq "one case" "$(cases)" 1

# ---- the honeypot: refused quietly ----
check_contains "honeypot labelled for people who see it" "$FORM" 'Leave this field empty'
check_contains "honeypot hidden from screen readers" "$FORM" '<div class="hp" aria-hidden="true">'
check_contains "honeypot out of the tab order" "$FORM" 'name="website" tabindex="-1"'
check_eq "honeypot filled: 200" "$(http POST /report -H 'X-Forwarded-For: 192.0.2.9' -F "form_token=$(form_token 192.0.2.9)" -F product=PublicWidget -F description=spam -F website=http://spam.example)" 200
check_not_contains "honeypot: no tracking link" "$(body)" "/report/track/"
check_not_contains "honeypot: the trap is not named" "$(body)" "website"
check_eq "honeypot: nothing stored" "$(cases)" 1

# ---- the report rate is per address (3 an hour) ----
n=0
status=200
while [ "$status" = 200 ] && [ $n -lt 6 ]; do
	n=$((n + 1))
	status=$(http POST /report -H 'X-Forwarded-For: 192.0.2.1' -F "form_token=$(form_token)" -F product=PublicWidget -F "description=report $n")
done
check_eq "the 4th report of one address in an hour is refused" "$((n + 1)) $status" "4 429"
check_contains "rate explained" "$(body)" "too many reports from this address"
check_contains "rate: what was typed is kept" "$(body)" "report $n</textarea>"
check_eq "another address is not held back" "$(http POST /report -H 'X-Forwarded-For: 198.51.100.7' -F "form_token=$(form_token 198.51.100.7)" -F product=PublicWidget -F 'description=from elsewhere')" 200
check_eq "cases" "$(cases)" 4

# ---- the tracking link by e-mail ----
check_eq "report with an address" "$(http POST /report -H 'X-Forwarded-For: 203.0.113.5' -F "form_token=$(form_token 203.0.113.5)" -F product=PublicWidget -F 'description=mail me' -F contact_name=Rita -F contact_email=rita@example.org)" 200
B=$(body)
check_contains "the page says the link was mailed" "$B" 'id="link-mailed"'
TOKEN=$(printf '%s' "$B" | sed -n 's/.*href="\/report\/track\/\([^"]*\)".*/\1/p' | head -1)
check_eq "token found" "$([ -n "$TOKEN" ] && echo yes)" yes
check_not_contains "address not in the queue" "$(db_sql "SELECT payload_json FROM notify_deliveries")" "rita@example.org"
check_not_contains "link not in the queue" "$(db_sql "SELECT payload_json FROM notify_deliveries")" "$TOKEN"
check_contains "sent" "$("$VIGIL" notify run 2>&1)" "1 sent"
check_eq "one mail" "$(wc -l <"$T_DIR/mail.log" | tr -d ' ')" 1
check_eq "mail to the reporter only" "$(jq -c .to "$T_DIR/mail.log")" '["rita@example.org"]'
MAIL=$(jq -r .data "$T_DIR/mail.log")
check_contains "mail carries the tracking link" "$MAIL" "https://psirt.example.test/report/track/$TOKEN"
check_contains "mail subject names the report and the organisation" "$MAIL" "Subject: Your vulnerability report"
check_contains "mail names the organisation" "$MAIL" "Acme <Devices>"
check_eq "the link works" "$(http GET "/report/track/$TOKEN")" 200
check_contains "org on the tracking page" "$(body)" '<span id="org-name">Acme &lt;Devices&gt;</span>'
check_eq "delivery logged as psirt.report_link" "$("$VIGIL" notify log --json | jq -r '.[0].event + " " + .[0].status')" "psirt.report_link sent"
check_not_contains "address not in the queue after sending" "$(db_sql "SELECT payload_json FROM notify_deliveries")" "rita@example.org"
check_not_contains "address not in the delivery log" "$("$VIGIL" notify log --json)" "rita@example.org"
check_not_contains "address not in the server log" "$(cat "$T_DIR/server.log")" "rita@example.org"
check_not_contains "link not in the server log" "$(cat "$T_DIR/server.log")" "$TOKEN"
check_not_contains "address not in the audit trail" "$("$VIGIL" audit log --json)" "rita@example.org"
ok "audit chain intact" "$VIGIL" audit verify

# no e-mail channel: the report is still taken, the page does not claim a mail
check_eq "channel removed" "$(run_cmd "$VIGIL" notify channel-remove reporters)" 0
check_eq "report with an address, no channel" "$(http POST /report -H 'X-Forwarded-For: 203.0.113.6' -F "form_token=$(form_token 203.0.113.6)" -F product=PublicWidget -F 'description=no channel' -F contact_email=sam@example.org)" 200
check_not_contains "no claim of a mail" "$(body)" 'id="link-mailed"'
check_contains "still received" "$(body)" 'id="tracking-link"'
check_not_contains "address not in the server log (failure)" "$(cat "$T_DIR/server.log")" "sam@example.org"
stop_server

# ---- psirt.org_name still works; nothing set: "Security" ----
unset VIGIL_ORG_NAME VIGIL_ORG_LOGO
VIGIL_PSIRT_ORG_NAME='Old Name Ltd' start_server
check_eq "GET /report (psirt.org_name)" "$(http GET /report)" 200
check_contains "psirt.org_name as fallback" "$(body)" '<span id="org-name">Old Name Ltd</span>'
check_not_contains "no logo" "$(body)" 'id="org-logo"'
check_eq "no logo: 404" "$(http GET /report/logo/logo.png)" 404
stop_server
start_server
http GET /report >/dev/null
check_contains "no name: Security" "$(body)" '<span id="org-name">Security</span>'
stop_server

finish
