#!/bin/sh
# The public CVD portal with curl, no JavaScript: the form has its fields,
# the policy link and the PSIRT key; a complete multipart submission with an
# attachment becomes a case (source "form") with a private tracking link;
# the tracking page shows state, messages both ways (never internal notes)
# and attachments, everything the reporter wrote escaped; the PSIRT
# downloads the attachment byte for byte. Abuse: a replayed form, the
# honeypot (refused quietly), a form sent too late (never one sent fast), a forged token, an oversized
# attachment (nothing stored), missing fields (input kept), unknown tracking
# tokens, the per-address report rate and the per-report message rate.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db

GNUPGHOME="$T_DIR/gnupg"
export GNUPGHOME
mkdir -m 700 "$GNUPGHOME"
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1; t_cleanup' EXIT
gpg --batch --pinentry-mode loopback --passphrase '' \
	--quick-gen-key 'PSIRT <psirt@example.com>' ed25519 sign,cert never >/dev/null 2>&1 ||
	{ echo "gpg key generation failed"; exit 1; }
FPR=$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')
gpg --batch --pinentry-mode loopback --passphrase '' --quick-add-key "$FPR" cv25519 encr never >/dev/null 2>&1

export VIGIL_PSIRT_FORM_SECRET=t6200-form-secret
export VIGIL_PSIRT_REPORT_RATE=6
export VIGIL_PSIRT_MESSAGE_RATE=3
export VIGIL_PSIRT_ATTACHMENT_MAX=4096
export VIGIL_PSIRT_ATTACHMENTS_MAX=2
ADMIN=$(admin_token)
"$VIGIL" token create --name t-aud --role auditor >"$T_DIR/aud.tok" 2>/dev/null
AUD=$(cat "$T_DIR/aud.tok")
"$VIGIL" product create Widget --public yes >/dev/null
start_server

# form_token: a fresh signed token from the form page.
form_token() {
	curl -s "$BASE/report" | sed -n 's/.*name="form_token" value="\([^"]*\)".*/\1/p'
}
cases() {
	"$VIGIL" case list --json | jq length
}

# ---- the form ----
check_eq "GET /report" "$(http GET /report)" 200
FORM=$(body)
check_contains "form element" "$FORM" '<form id="report" method="post" action="/report" enctype="multipart/form-data"'
for f in product version title description impact poc contact_name contact_email credit encrypted attachment form_token website; do
	check_contains "field $f" "$FORM" "name=\"$f\""
done
check_contains "description required" "$FORM" 'name="description" rows="8" maxlength="65536" required'
check_contains "credit checkbox value 1" "$FORM" 'name="credit" value="1"'
check_contains "file input repeats" "$FORM" 'name="attachment" multiple'
check_contains "limits shown" "$FORM" "Up to 2 files, each at most 4 KiB"
check_contains "submit button" "$FORM" '>Send report</button>'
check_contains "policy link" "$FORM" 'href="/report/policy"'
check_contains "key fingerprint shown" "$FORM" "$FPR"
check_contains "armored key shown" "$FORM" "BEGIN PGP PUBLIC KEY BLOCK"
check_contains "key download link" "$FORM" "href=\"/report/pgp-key/$FPR\""
check_contains "known product offered" "$FORM" '<option value="Widget">'
check_contains "honeypot hidden" "$FORM" '<div class="hp" aria-hidden="true"><label for="website">'
check_not_contains "no inline script" "$(printf '%s' "$FORM" | grep -o '<script[^>]*>' | grep -v 'src=')" "<script"
check_contains "CSP forbids inline scripts" "$(cat "$T_DIR/headers")" "script-src 'self'"

check_eq "GET /report/pgp-key/FPR" "$(http GET "/report/pgp-key/$FPR")" 200
check_contains "key content type" "$(cat "$T_DIR/headers")" "application/pgp-keys"
check_contains "downloaded key is the PSIRT key" \
	"$(gpg --batch --with-colons --import-options show-only --import "$T_DIR/body" 2>/dev/null)" "$FPR"
check_eq "another fingerprint: 404" "$(http GET /report/pgp-key/0000000000000000000000000000000000000000)" 404

check_eq "GET /report/policy" "$(http GET /report/policy)" 200
POLICY=$(body)
check_contains "policy: acknowledgement" "$POLICY" "within 48 hours"
check_contains "policy: safe harbour" "$POLICY" "<h2>Safe harbour</h2>"
check_contains "policy: disclosure timeline" "$POLICY" "90 days"
check_contains "policy: credit" "$POLICY" "<h2>Credit</h2>"

# ---- a complete submission ----
head -c 3000 /dev/urandom >"$T_DIR/poc.bin"
printf 'line one\r\n<b>two</b>\n' >"$T_DIR/notes.txt"
TOK=$(form_token)
check_eq "complete submission" "$(http POST /report -F "form_token=$TOK" -F product=Widget -F version=2.1 \
	--form-string 'title=XSS <img src=x onerror=alert(1)> in login' \
	--form-string 'description=<script>alert("pwned")</script> stored in the name field' \
	--form-string 'impact=Session theft & more' --form-string 'poc=curl -d "name=<script>"' \
	-F contact_name=Eve -F contact_email=eve@example.org -F credit=1 -F website= \
	-F "attachment=@$T_DIR/poc.bin;type=application/x-evil" -F "attachment=@$T_DIR/notes.txt;filename=../../notes <x>.txt")" 200
OUT=$(body)
check_contains "Report received" "$OUT" "Report received"
TRACK=$(printf '%s' "$OUT" | sed -n 's/.*<a id="tracking-link" href="\([^"]*\)".*/\1/p')
TOKEN=${TRACK#/report/track/}
check_eq "tracking link shape" "$(printf '%s' "$TRACK" | grep -c '^/report/track/[A-Za-z0-9_-]\{40,\}$')" 1
check_contains "absolute URL shown" "$OUT" "http://127.0.0.1:"
check_contains "keep it private" "$OUT" "Keep this link private"
check_eq "one case" "$(cases)" 1
CASE=$("$VIGIL" case list --json | jq -r '.[0].id')
check_eq "source form" "$("$VIGIL" case show "$CASE" --json | jq -r .source)" form
check_eq "title stored as given" "$("$VIGIL" case show "$CASE" --json | jq -r .title)" 'XSS <img src=x onerror=alert(1)> in login'
check_eq "description stored as given" "$("$VIGIL" case show "$CASE" --json | jq -r .description)" '<script>alert("pwned")</script> stored in the name field'
check_eq "contact kept" "$("$VIGIL" case show "$CASE" --json | jq -r .reporter_contact)" 'Eve <eve@example.org>'
check_eq "credit consent" "$("$VIGIL" case show "$CASE" --json | jq -r '"\(.credit_consent) \(.credit)"')" 'true Eve'
check_eq "two attachments listed for the PSIRT" "$("$VIGIL" case show "$CASE" --json | jq -r '[.attachments[] | "\(.n):\(.filename):\(.size)"] | join(",")')" \
	"1:poc.bin:3000,2:notes <x>.txt:$(wc -c <"$T_DIR/notes.txt" | tr -d ' ')"
check_eq "attachment digest" "$("$VIGIL" case show "$CASE" --json | jq -r '.attachments[0].sha256')" \
	"$(sha256sum "$T_DIR/poc.bin" | cut -d' ' -f1)"
check_eq "stored compressed in blobs" "$(db_sql "SELECT COUNT(*) FROM blobs b JOIN psirt_case_attachments a ON a.sha256 = b.sha256")" 2

# ---- the PSIRT downloads an attachment ----
check_eq "download attachment 1" "$(http GET "/api/v1/cases/$CASE/attachments/1" -H "Authorization: Bearer $ADMIN")" 200
ok "attachment byte for byte" cmp "$T_DIR/body" "$T_DIR/poc.bin"
H=$(cat "$T_DIR/headers")
check_contains "octet-stream" "$H" "Content-Type: application/octet-stream"
check_contains "Content-Disposition attachment" "$H" 'Content-Disposition: attachment; filename="poc.bin"'
check_eq "download attachment 2" "$(http GET "/api/v1/cases/$CASE/attachments/2" -H "Authorization: Bearer $ADMIN")" 200
check_contains "hostile file name neutralised" "$(cat "$T_DIR/headers")" "filename=\"notes <x>.txt\"; filename*=UTF-8''notes%20%3Cx%3E.txt"
check_eq "no such attachment" "$(http GET "/api/v1/cases/$CASE/attachments/3" -H "Authorization: Bearer $ADMIN")" 404
check_eq "anonymous download refused" "$(http GET "/api/v1/cases/$CASE/attachments/1")" 401
check_eq "auditor download refused" "$(http GET "/api/v1/cases/$CASE/attachments/1" -H "Authorization: Bearer $AUD")" 403
check_contains "download audited" "$("$VIGIL" audit log --json)" "case.read_attachment"
check_eq "case page" "$(http GET "/ui/cases/$CASE" -H "Authorization: Bearer $ADMIN")" 200
T=$(body)
check_contains "case page lists the attachments" "$T" "<a href=\"/api/v1/cases/$CASE/attachments/1\" download>poc.bin</a>"
check_contains "case page escapes file names" "$T" '>notes &lt;x&gt;.txt</a>'
check_contains "case page shows the digest" "$T" "<code>$(sha256sum "$T_DIR/poc.bin" | cut -d' ' -f1)</code>"
check_eq "auditor's case page" "$(http GET "/ui/cases/$CASE" -H "Authorization: Bearer $AUD")" 200
check_not_contains "no download link for an auditor" "$(body)" "/attachments/1\" download"
check_contains "but the list" "$(body)" '<td>poc.bin</td>'

# ---- the tracking page ----
check_eq "tracking page" "$(http GET "$TRACK")" 200
T=$(body)
check_contains "state shown" "$T" '<dd id="report-state">received</dd>'
check_contains "received time" "$T" '<dd id="report-received"><time datetime="'
check_contains "ack due shown" "$T" 'not yet (due'
check_contains "description escaped" "$T" '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;'
check_not_contains "no raw script" "$T" '<script>alert'
check_contains "title escaped" "$T" 'XSS &lt;img src=x onerror=alert(1)&gt; in login'
check_not_contains "no raw img" "$T" '<img src=x'
check_contains "attachments listed" "$T" 'poc.bin (3000 bytes)'
check_contains "file name escaped" "$T" 'notes &lt;x&gt;.txt'
check_contains "message form" "$T" "<form id=\"message\" method=\"post\" action=\"$TRACK/messages\""

# ---- messages both ways ----
"$VIGIL" case message "$CASE" 'We reproduced it. <i>Thanks!</i>' >/dev/null
"$VIGIL" case note "$CASE" 'INTERNAL: maybe a duplicate of case 0' >/dev/null
check_eq "reporter writes (no JS form)" "$(http POST "$TRACK/messages" --data-urlencode 'body=Here is more: <svg onload=alert(2)>')" 303
check_contains "back to the tracking page" "$(cat "$T_DIR/headers")" "Location: $TRACK?sent=1"
check_eq "tracking page again" "$(http GET "$TRACK?sent=1")" 200
T=$(body)
check_contains "message sent notice" "$T" "Your message was sent."
check_contains "PSIRT message visible" "$T" 'We reproduced it. &lt;i&gt;Thanks!&lt;/i&gt;'
check_contains "own message visible, escaped" "$T" 'Here is more: &lt;svg onload=alert(2)&gt;'
check_not_contains "internal note never shown" "$T" "INTERNAL"
check_eq "PSIRT sees the reporter message" \
	"$("$VIGIL" case show "$CASE" --json | jq -r '[.messages[] | select(.kind == "from_reporter") | .body] | join("")')" \
	'Here is more: <svg onload=alert(2)>'
check_eq "multipart message too" "$(http POST "$TRACK/messages" -F 'body=second message')" 303
check_eq "empty message refused" "$(http POST "$TRACK/messages" --data-urlencode 'body=')" 400
check_contains "empty message named" "$(body)" "message: required"
check_eq "third message" "$(http POST "$TRACK/messages" --data-urlencode 'body=third')" 303
check_eq "message rate limit" "$(http POST "$TRACK/messages" --data-urlencode 'body=fourth, too many')" 429
check_contains "rate message, text kept" "$(body)" "too many messages"
check_contains "refused message kept" "$(body)" "fourth, too many</textarea>"
check_eq "message to an unknown token" "$(http POST /report/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/messages --data-urlencode 'body=x')" 404

check_eq "unknown token" "$(http GET /report/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA)" 404
check_contains "unknown token explained" "$(body)" "This tracking link is not valid"
check_eq "short token" "$(http GET /report/track/x)" 404

# ---- abuse ----
check_eq "replayed form refused" "$(http POST /report -F "form_token=$TOK" -F product=Widget -F description=again)" 409
check_contains "replay explained" "$(body)" "This form was already sent"
check_eq "still one case" "$(cases)" 1

T2=$(form_token)
check_eq "honeypot refused" "$(http POST /report -F "form_token=$T2" -F product=Widget -F description=spam -F website=http://spam.example)" 200
check_not_contains "honeypot: refused quietly" "$(body)" "website"
check_not_contains "honeypot: no tracking link" "$(body)" "/report/track/"
check_eq "no case from the honeypot" "$(cases)" 1

FORGED=$(printf '%s' "$T2" | sed 's/.$/0/')
[ "$FORGED" = "$T2" ] && FORGED=$(printf '%s' "$T2" | sed 's/.$/1/')
check_eq "forged token refused" "$(http POST /report -F "form_token=$FORGED" -F product=Widget -F description=x)" 400
check_contains "forged token explained" "$(body)" "could not be verified"
check_eq "missing token refused" "$(http POST /report -F product=Widget -F description=x)" 400

head -c 5000 /dev/urandom >"$T_DIR/big.bin"
BLOBS=$(db_sql "SELECT COUNT(*) FROM blobs")
check_eq "oversized attachment refused" "$(http POST /report -F "form_token=$T2" -F product=Widget \
	--form-string 'description=big <file>' -F "attachment=@$T_DIR/big.bin")" 413
B=$(body)
check_contains "limit named" "$B" "Attachment &#39;big.bin&#39;: 5000 bytes, larger than the limit of 4096 bytes"
check_contains "input kept" "$B" "big &lt;file&gt;</textarea>"
check_contains "field marked" "$B" 'id="attachment" name="attachment" multiple aria-invalid="true"'
check_eq "nothing stored: cases" "$(cases)" 1
check_eq "nothing stored: blobs" "$(db_sql "SELECT COUNT(*) FROM blobs")" "$BLOBS"
check_eq "too many attachments" "$(http POST /report -F "form_token=$T2" -F product=Widget -F description=d \
	-F "attachment=@$T_DIR/notes.txt" -F "attachment=@$T_DIR/notes.txt" -F "attachment=@$T_DIR/notes.txt")" 413
check_contains "count limit named" "$(body)" "at most 2 files"

check_eq "missing description" "$(http POST /report -F "form_token=$T2" -F product=Widget -F version=9.9)" 400
B=$(body)
check_contains "field named" "$B" "Description: required"
check_contains "product kept" "$B" 'name="product" maxlength="200" required list="known-products" autocomplete="off" value="Widget"'
check_contains "description marked" "$B" 'name="description" rows="8" maxlength="65536" required aria-invalid="true"'
check_eq "bad e-mail" "$(http POST /report -F "form_token=$T2" -F product=Widget -F description=d -F contact_email=not-an-address)" 400
check_contains "e-mail named" "$(body)" "Your e-mail address: expected"
check_eq "not armored" "$(http POST /report -F "form_token=$T2" -F product=Widget -F description=d -F encrypted=plaintext)" 400
check_contains "encrypted named" "$(body)" "Encrypted report: expected an ASCII-armored OpenPGP message"
check_eq "broken multipart" "$(http POST /report -H 'Content-Type: multipart/form-data; boundary=zzz' --data-binary '--zzz
garbage')" 400
check_contains "multipart error explained" "$(body)" "The form could not be read"
check_eq "still one case" "$(cases)" 1

# an encrypted report through the form
gpg --batch --armor --trust-model always -r "$FPR" -e -o "$T_DIR/msg.asc" "$T_DIR/notes.txt" 2>/dev/null
check_eq "encrypted report accepted" "$(http POST /report -F "form_token=$T2" -F product=Widget \
	-F 'description=details are encrypted' -F "encrypted=<$T_DIR/msg.asc")" 200
C2=$("$VIGIL" case list --json | jq -r '.[1].id')
check_contains "armored message kept" "$("$VIGIL" case show "$C2" --json | jq -r .encrypted_body)" "BEGIN PGP MESSAGE"
check_eq "anonymous report" "$("$VIGIL" case show "$C2" --json | jq -r .reporter_contact)" null

# a form posted without multipart (no files) is accepted too
check_eq "urlencoded form accepted" "$(http POST /report --data-urlencode "form_token=$(form_token)" \
	--data-urlencode product=Widget --data-urlencode 'description=plain <form> post' --data-urlencode credit=1 \
	--data-urlencode contact_name=Zoe)" 200
check_contains "urlencoded: received" "$(body)" "Report received"
C3=$("$VIGIL" case list --json | jq -r '.[2].id')
check_eq "urlencoded: stored" "$("$VIGIL" case show "$C3" --json | jq -r '"\(.description)|\(.credit)"')" 'plain <form> post|Zoe'

# ---- the per-address rate limit (6 an hour: 3 cases so far) ----
n=0
status=200
while [ "$status" = 200 ] && [ $n -lt 10 ]; do
	n=$((n + 1))
	status=$(http POST /report -F "form_token=$(form_token)" -F product=Widget -F "description=report $n")
done
check_eq "rate limit triggers on the 4th" "$n $status" "4 429"
check_contains "rate limit explained" "$(body)" "too many reports from this address"
check_eq "six cases" "$(cases)" 6

# ---- the audit trail and the logs ----
AUDIT=$("$VIGIL" audit log --json)
check_eq "every report audited" "$(printf '%s' "$AUDIT" | jq '[.[] | select(.action == "case.received")] | length')" 6
check_eq "reporter messages audited" "$(printf '%s' "$AUDIT" | jq '[.[] | select(.action == "case.message" and .after.kind == "from_reporter")] | length')" 3
check_not_contains "token not in the audit trail" "$AUDIT" "$TOKEN"
check_not_contains "token not in the server log" "$(cat "$T_DIR/server.log")" "$TOKEN"
ok "audit chain intact" "$VIGIL" audit verify

# ---- form timing ----
OLD=$(form_token)
stop_server
VIGIL_NOW=$(date -u -d '+3 hours' +%Y-%m-%dT%H:%M:%SZ) VIGIL_PSIRT_REPORT_RATE=100 start_server
check_eq "expired form refused" "$(http POST /report -F "form_token=$OLD" -F product=Widget -F description=late)" 400
check_contains "expiry explained" "$(body)" "has expired"
check_contains "late input kept" "$(body)" ">
late</textarea>"
stop_server
VIGIL_PSIRT_REPORT_RATE=100 start_server
check_eq "a form sent at once is accepted (no minimum time)" "$(http POST /report -F "form_token=$(form_token)" -F product=Widget -F description=pasted)" 200
check_eq "no case from the late form, one from the fast" "$(cases)" 7
stop_server

VIGIL_PSIRT_CVD_POLICY_FILE="$T_DIR/policy.md" start_server
printf '# Our policy\n\nWe answer <quickly>.\n\n- one\n- two & three\n' >"$T_DIR/policy.md"
check_eq "configured policy" "$(http GET /report/policy)" 200
B=$(body)
check_contains "policy heading" "$B" "<h2>Our policy</h2>"
check_contains "policy escaped" "$B" "<p>We answer &lt;quickly&gt;.</p>"
check_contains "policy list" "$B" "<li>two &amp; three</li>"

# a damaged stored copy is refused, never served
POC_SHA=$(sha256sum "$T_DIR/poc.bin" | cut -d' ' -f1)
db_sql "UPDATE blobs SET data = (SELECT b2.data FROM blobs b2 WHERE b2.sha256 <> '$POC_SHA' ORDER BY b2.sha256 LIMIT 1) WHERE sha256 = '$POC_SHA'" >/dev/null
check_eq "damaged attachment refused" "$(http GET "/api/v1/cases/$CASE/attachments/1" -H "Authorization: Bearer $ADMIN")" 500
check_contains "damage named" "$(body)" "attachment 1 of case $CASE"
stop_server

finish
