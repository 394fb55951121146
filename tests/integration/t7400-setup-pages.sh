#!/bin/sh
# Reachability set up in the browser (issue 17, item 2) and the published
# security.txt's fields (item 7). security.txt: Policy (the portal's
# /report/policy), Preferred-Languages, Canonical and Encryption (the
# portal's URL of the PSIRT key, which serves that key) by default, valid by
# the validator; settings saved on /ui/securitytxt override the
# configuration, are audited, refused with the error beside the field and the
# input kept when they would make an invalid file; "Publish now".
# Notifications (/ui/notify): channels added (secrets never shown again,
# masked; a refused form keeps the other values and asks for the secrets),
# edited (an empty secret keeps the stored one), tested, removed; rules
# added and removed. On call (/ui/oncall/setup): people, rotations, policies,
# a drill; errors at their field. Every form needs the CSRF token; an
# auditor can neither see nor post; anonymous users go to the login page.
# Every change is audited with the same actions as the CLI.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
VIGIL_SECRETS_KEY_FILE="$T_DIR/secret.key"
export VIGIL_SECRETS_KEY_FILE
GNUPGHOME="$T_DIR/gnupg"
export GNUPGHOME
mkdir -m 700 "$GNUPGHOME"
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1; t_cleanup' EXIT
gpg --batch --pinentry-mode loopback --passphrase '' \
	--quick-gen-key 'PSIRT <psirt@example.com>' ed25519 sign,cert 2y >/dev/null 2>&1 ||
	{ echo "gpg key generation failed"; exit 1; }
FPR=$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')
gpg --batch --pinentry-mode loopback --passphrase '' --quick-add-key "$FPR" cv25519 encr 2y >/dev/null 2>&1
fresh_db

export VIGIL_SERVER_PUBLIC_URL=https://psirt.example.test
export VIGIL_SECURITYTXT_CONTACT=mailto:psirt@example.test
VIGIL_PASSWORD=pw-lead-7400 "$VIGIL" user add lead --role psirt >/dev/null
VIGIL_PASSWORD=pw-aud-7400 "$VIGIL" user add aud --role auditor >/dev/null
start_server

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
audited() { # action -> how many records
	"$VIGIL" audit log --json | jq --arg a "$1" '[.[] | select(.action==$a)] | length'
}
actor() { # action -> actor of the latest record
	"$VIGIL" audit log --json | jq -r --arg a "$1" '[.[] | select(.action==$a)] | last | .actor // "none"'
}

# ---- the published security.txt carries Policy, Preferred-Languages, Canonical, Encryption ----
check_eq "GET /.well-known/security.txt" "$(http GET /.well-known/security.txt)" 200
ST=$(body)
cp "$T_DIR/body" "$T_DIR/st.txt"
check_contains "Policy: the portal's policy page" "$ST" "Policy: https://psirt.example.test/report/policy"
check_contains "Preferred-Languages (default en)" "$ST" "Preferred-Languages: en"
check_contains "Canonical" "$ST" "Canonical: https://psirt.example.test/.well-known/security.txt"
check_contains "Encryption: the published key URL" "$ST" "Encryption: https://psirt.example.test/report/pgp-key/$FPR"
check_eq "the validator finds no error" "$("$VIGIL" securitytxt validate "$T_DIR/st.txt" --json | jq -r '.errors')" 0
check_eq "the Encryption URL serves the key" "$(http GET "/report/pgp-key/$FPR")" 200
check_contains "... the PSIRT key" "$(gpg --batch --with-colons --import-options show-only --import "$T_DIR/body" 2>/dev/null)" "$FPR"

# ---- roles ----
check_eq "anonymous: to the login page" "$(http GET /ui/securitytxt)" 303
check_contains "... login" "$(cat "$T_DIR/headers")" "Location: /ui/login"
# an anonymous form goes to the login (kept for after it, never acted on)
check_eq "anonymous post sent to the login" "$(http POST /ui/notify/channels -d name=x)" 303
check_contains "to the login page" "$(cat "$T_DIR/headers")" "Location: /ui/login"
check_eq "nothing stored" "$(db_sql "SELECT COUNT(*) FROM notify_channels WHERE name = 'x'")" 0
check_eq "auditor logs in" "$(login aud pw-aud-7400)" 303
for p in /ui/setup /ui/notify /ui/oncall/setup /ui/securitytxt; do
	check_eq "auditor may not see $p" "$(page "$p")" 403
done
check_eq "auditor may not post" "$(post /ui/securitytxt --data-urlencode contact=mailto:x@example.test -d expires_days=100 -d sign=0)" 403

check_eq "psirt lead logs in" "$(login lead pw-lead-7400)" 303
check_eq "GET /ui/setup" "$(page /ui/setup)" 200
for l in /ui/notify /ui/oncall/setup /ui/securitytxt; do
	check_contains "setup links $l" "$(body)" "href=\"$l\""
done

# ---- security.txt settings ----
check_eq "GET /ui/securitytxt" "$(page /ui/securitytxt)" 200
check_contains "contact shown" "$(body)" 'value="mailto:psirt@example.test"'
check_contains "published file shown" "$(body)" "Policy: https://psirt.example.test/report/policy"
check_eq "post without CSRF refused" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" --data-urlencode contact=mailto:a@example.test -d expires_days=100 -d sign=0 "$BASE/ui/securitytxt")" 403
check_eq "bad contact refused" "$(post /ui/securitytxt --data-urlencode 'contact=http://insecure.example.test/x' --data-urlencode 'languages=en, de' -d expires_days=100 -d sign=0)" 400
check_contains "error beside the contact field" "$(body)" 'id="st-contact-error"'
check_contains "contact marked invalid" "$(body)" 'aria-invalid="true" aria-describedby="st-contact-hint st-contact-error"'
check_contains "typed contact kept" "$(body)" 'value="http://insecure.example.test/x"'
check_contains "typed languages kept" "$(body)" 'value="en, de"'
check_eq "nothing saved" "$(db_sql 'SELECT COUNT(*) FROM securitytxt_settings')" 0
check_eq "too long a lifetime refused" "$(post /ui/securitytxt --data-urlencode 'contact=mailto:team@example.test' -d expires_days=400 -d sign=0)" 400
check_contains "error beside the lifetime" "$(body)" 'id="st-expires_days-error"'
check_eq "bad language refused" "$(post /ui/securitytxt --data-urlencode 'contact=mailto:team@example.test' --data-urlencode 'languages=english!' -d expires_days=100 -d sign=0)" 400
check_contains "error beside the languages" "$(body)" 'id="st-languages-error"'
page /ui/securitytxt >/dev/null
check_eq "settings saved" "$(post /ui/securitytxt --data-urlencode 'contact=mailto:team@example.test, https://psirt.example.test/report' --data-urlencode 'languages=en, de' -d expires_days=100 -d sign=1)" 303
check_eq "back to the page" "$(location)" "/ui/securitytxt?done=settings"
check_eq "audited as securitytxt.settings by the lead" "$(actor securitytxt.settings)" lead
check_contains "audit has before and after" "$("$VIGIL" audit log --json | jq -c '[.[] | select(.action=="securitytxt.settings")] | last | [.before.contact, .after.contact]')" '["mailto:psirt@example.test","mailto:team@example.test, https://psirt.example.test/report"]'
check_eq "GET /ui/securitytxt after saving" "$(page '/ui/securitytxt?done=settings')" 200
check_contains "saved banner" "$(body)" 'id="flash"'
check_eq "publish now" "$(post /ui/securitytxt/publish)" 303
check_eq "published (audited)" "$(actor securitytxt.publish)" lead
check_eq "GET the new file" "$(http GET /.well-known/security.txt)" 200
cp "$T_DIR/body" "$T_DIR/st2.txt"
check_eq "signed" "$(head -1 "$T_DIR/st2.txt")" "-----BEGIN PGP SIGNED MESSAGE-----"
check_contains "new contacts" "$(cat "$T_DIR/st2.txt")" "Contact: https://psirt.example.test/report"
check_contains "new languages" "$(cat "$T_DIR/st2.txt")" "Preferred-Languages: en, de"
check_contains "still Policy" "$(cat "$T_DIR/st2.txt")" "Policy: https://psirt.example.test/report/policy"
gpg --batch --armor --export "$FPR" >"$T_DIR/pub.asc" 2>/dev/null
V=$("$VIGIL" securitytxt validate "$T_DIR/st2.txt" --key "$T_DIR/pub.asc" --json)
check_eq "valid and verified" "$(printf '%s' "$V" | jq -c '[.errors, .verified]')" '[0,true]'
EXP=$(printf '%s' "$V" | jq -r .expires)
check_eq "Expires 100 days ahead" "$(( ($(date -u -d "$EXP" +%s) - $(date -u +%s) + 3600) / 86400 ))" 100

# ---- notifications ----
check_eq "GET /ui/notify" "$(page /ui/notify)" 200
check_contains "add-channel form" "$(body)" 'action="/ui/notify/channels"'
check_eq "bad webhook URL refused" "$(post /ui/notify/channels -d name=hook -d kind=webhook --data-urlencode url=ftp://x.example.test/h -d secret=whsec-typed-once)" 400
check_contains "error beside the URL" "$(body)" 'id="nf-url-error"'
check_contains "name kept" "$(body)" 'id="nf-name" name="name" value="hook"'
check_not_contains "secret not sent back" "$(body)" "whsec-typed-once"
check_contains "asked to type secrets again" "$(body)" "type them again"
page /ui/notify >/dev/null
check_eq "webhook added" "$(post /ui/notify/channels -d name=hook -d kind=webhook --data-urlencode 'url=https://hooks.example.test/in?token=urlsecret' -d secret=whsec-typed-once)" 303
check_eq "audited as notify.channel_add" "$(actor notify.channel_add)" lead
check_eq "GET /ui/notify" "$(page /ui/notify)" 200
check_contains "channel listed" "$(body)" 'id="channel-hook"'
check_not_contains "secret never shown again" "$(body)" "whsec-typed-once"
check_not_contains "URL secret masked" "$(body)" "urlsecret"
check_contains "secret masked" "$(body)" "***"
check_not_contains "secret not in the audit trail" "$("$VIGIL" audit log --json)" "whsec-typed-once"
check_eq "e-mail channel added" "$(post /ui/notify/channels -d name=mail -d kind=email --data-urlencode smtp_url=smtp://127.0.0.1:2525 --data-urlencode from=vigil@example.test --data-urlencode 'to=a@example.test, b@example.test' -d password=smtp-pass-1)" 303
check_eq "both recipients" "$("$VIGIL" notify channels --json | jq -c '.[] | select(.name=="mail") | .config.to')" '["a@example.test","b@example.test"]'
check_eq "GET the edit page" "$(page /ui/notify/channels/hook)" 200
check_not_contains "edit page shows no secret" "$(body)" "whsec-typed-once"
check_not_contains "edit page shows no URL secret" "$(body)" "urlsecret"
check_eq "edit: URL changed, secret kept" "$(post /ui/notify/channels/hook --data-urlencode 'url=https://hooks2.example.test/in' -d secret=)" 303
check_eq "audited as notify.channel_update" "$(actor notify.channel_update)" lead
check_contains "new URL stored (masked)" "$("$VIGIL" notify channels --json | jq -r '.[] | select(.name=="hook") | .config.url')" "hooks2.example.test"
check_eq "secret kept" "$("$VIGIL" notify channels --json | jq -r '.[] | select(.name=="hook") | .config.secret')" "***"
page /ui/notify/channels/mail >/dev/null
check_eq "edit: bad from refused" "$(post /ui/notify/channels/mail --data-urlencode from=nobody --data-urlencode 'to=a@example.test')" 400
check_contains "error beside from" "$(body)" 'id="nf-from-error"'
check_contains "typed from kept" "$(body)" 'value="nobody"'
page /ui/notify >/dev/null
check_eq "test message queued" "$(post /ui/notify/channels/hook/test)" 303
check_eq "test queued on hook" "$(db_sql "SELECT COUNT(*) FROM notify_deliveries WHERE event = 'notify.test'")" 1
check_eq "test audited" "$(actor notify.channel_test)" lead
check_eq "rule: bad severity refused" "$(post /ui/notify/rules -d event=art14.warning -d min_severity=huge -d channel=hook)" 400
check_contains "error beside the severity" "$(body)" 'id="rule-severity-error"'
check_contains "event kept" "$(body)" 'value="art14.warning"'
page /ui/notify >/dev/null
check_eq "rule added" "$(post /ui/notify/rules -d event=art14.warning -d min_severity=high -d channel=hook)" 303
check_eq "rule audited" "$(actor notify.rule_add)" lead
RID=$("$VIGIL" notify rules --json | jq -r '.[0].id')
page /ui/notify >/dev/null
check_eq "rule removed" "$(post "/ui/notify/rules/$RID/remove")" 303
check_eq "no rules" "$("$VIGIL" notify rules --json | jq length)" 0
check_eq "rule removal audited" "$(actor notify.rule_remove)" lead
check_eq "channel removed" "$(post /ui/notify/channels/mail/remove)" 303
check_eq "removal audited" "$(actor notify.channel_disable)" lead
check_eq "remove without CSRF refused" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" -X POST "$BASE/ui/notify/channels/hook/remove")" 403

# ---- on call ----
check_eq "GET /ui/oncall/setup" "$(page /ui/oncall/setup)" 200
check_eq "person with an unknown channel refused" "$(post /ui/oncall/people -d name=lena -d channel=nope)" 404
check_contains "error beside the channel" "$(body)" 'id="person-channel-error"'
check_contains "name kept" "$(body)" 'id="person-name" name="name" aria-describedby="person-name-hint" maxlength="64" required value="lena"'
page /ui/oncall/setup >/dev/null
check_eq "person added" "$(post /ui/oncall/people -d name=lena -d user=lead -d channel=hook)" 303
check_eq "person audited" "$(actor oncall.person.add)" lead
page /ui/oncall/setup >/dev/null
post /ui/oncall/people -d name=omar -d channel=hook >/dev/null
check_eq "rotation: bad time zone refused" "$(post /ui/oncall/rotations -d name=primary -d members=lena,omar -d tz=Mars/Olympus -d start=2026-12-07 -d wday=1 -d hour=9)" 400
check_contains "error beside the time zone" "$(body)" 'id="rotation-tz-error"'
check_contains "members kept" "$(body)" 'value="lena,omar"'
page /ui/oncall/setup >/dev/null
check_eq "rotation added" "$(post /ui/oncall/rotations -d name=primary -d members=lena,omar -d tz=Europe/Berlin -d "start=$(date -u -d "-8 days" +%F)" -d wday=1 -d hour=9)" 303
check_eq "rotation audited" "$(actor oncall.rotation.add)" lead
page /ui/oncall/setup >/dev/null
check_eq "policy: unknown rotation refused" "$(post /ui/oncall/policies -d name=psirt -d repeat=2 -d kind1=rotation -d target1=nobody -d minutes1=10)" 404
check_contains "error at level 1" "$(body)" 'id="policy-target1-error"'
page /ui/oncall/setup >/dev/null
check_eq "policy added" "$(post /ui/oncall/policies -d name=psirt -d repeat=2 -d kind1=rotation -d target1=primary -d minutes1=10 -d kind2=person -d target2=omar -d minutes2=5)" 303
check_eq "policy audited" "$(actor oncall.policy.add)" lead
check_eq "two levels" "$("$VIGIL" oncall policies --json | jq '.[0].levels | length')" 2
page /ui/oncall/setup >/dev/null
check_eq "drill started" "$(post /ui/oncall/drills -d policy=psirt)" 303
check_eq "one drill" "$("$VIGIL" oncall drills --json | jq length)" 1
check_eq "GET /ui/oncall/setup" "$(page /ui/oncall/setup)" 200
check_contains "drill listed" "$(body)" "pending"
check_contains "rotation listed" "$(body)" "primary (Europe/Berlin)"
ok "audit chain intact" "$VIGIL" audit verify
stop_server
finish
