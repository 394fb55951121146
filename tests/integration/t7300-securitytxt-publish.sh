#!/bin/sh
# `vigil serve` publishes /.well-known/security.txt (RFC 9116 3): made from
# the [securitytxt] configuration, signed with the PSIRT key, served as
# text/plain; charset=utf-8, regenerated and re-signed before it expires,
# when the configuration changes, never replaced by an invalid file.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

GNUPGHOME="$T_DIR/gnupg"
export GNUPGHOME
mkdir -m 700 "$GNUPGHOME"
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1; t_cleanup' EXIT

gpg --batch --pinentry-mode loopback --passphrase '' \
	--quick-gen-key 'vigil test PSIRT <psirt@example.com>' ed25519 sign 2y >/dev/null 2>&1 ||
	{ echo "gpg key generation failed"; exit 1; }
FPR=$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')
gpg --batch --armor --export "$FPR" >"$T_DIR/pub.asc" 2>/dev/null

fresh_db

# ---- nothing configured: nothing published, a clear message ----
check_eq "publish without contact fails" "$(run_cmd "$VIGIL" securitytxt publish)" 1
check_contains "... and names the missing key" "$(cat "$T_DIR/err")" "securitytxt.contact"
start_server
check_eq "no security.txt configured: 404" "$(http GET /.well-known/security.txt)" 404
kill "$T_SERVER_PID" && wait "$T_SERVER_PID" 2>/dev/null
T_SERVER_PID=""

cat >"$T_DIR/vigil.ini" <<EOF
[server]
public_url = https://psirt.example.com/

[securitytxt]
contact = mailto:psirt@example.com, https://example.com/security/contact
encryption = https://example.com/psirt.asc
policy = https://example.com/cvd-policy
preferred_languages = en, de
expires_days = 180
renew_days = 60
sign = 1
key = $FPR
EOF
VIGIL_CONFIG="$T_DIR/vigil.ini"
export VIGIL_CONFIG
T0=2026-11-01T00:00:00Z
export VIGIL_NOW=$T0

# ---- the server publishes at start (job securitytxt.publish) ----
start_server
check_eq "GET /.well-known/security.txt" "$(http GET /.well-known/security.txt)" 200
cp "$T_DIR/body" "$T_DIR/st1.txt"
check_contains "content type is text/plain; charset=utf-8" \
	"$(tr -d '\r' <"$T_DIR/headers")" "Content-Type: text/plain; charset=utf-8"
check_eq "the file is OpenPGP-signed" "$(head -1 "$T_DIR/st1.txt")" "-----BEGIN PGP SIGNED MESSAGE-----"
check_contains "Canonical from server.public_url" "$(cat "$T_DIR/st1.txt")" \
	"Canonical: https://psirt.example.com/.well-known/security.txt"
check_contains "both contacts, in order" "$(grep '^Contact:' "$T_DIR/st1.txt" | tr '\n' ' ')" \
	"Contact: mailto:psirt@example.com Contact: https://example.com/security/contact"
check_contains "Expires is 180 days later" "$(cat "$T_DIR/st1.txt")" "Expires: 2027-04-30T00:00:00Z"
check_contains "Preferred-Languages" "$(cat "$T_DIR/st1.txt")" "Preferred-Languages: en, de"
ok "our validator accepts it and verifies the signature" \
	"$VIGIL" securitytxt validate "$T_DIR/st1.txt" --now $T0 \
	--url https://psirt.example.com/.well-known/security.txt --key "$T_DIR/pub.asc"
"$VIGIL" securitytxt validate "$T_DIR/st1.txt" --now $T0 --key "$T_DIR/pub.asc" --json \
	>"$T_DIR/v.json" 2>/dev/null
check_eq "... verified by the PSIRT key" "$(jq -r .verified "$T_DIR/v.json")" true
check_eq "... no errors, no warnings" "$(jq -r '"\(.errors) \(.warnings)"' "$T_DIR/v.json")" "0 0"
ok "gpg --verify accepts it" gpg --batch --verify "$T_DIR/st1.txt"
check_eq "legacy /security.txt redirects" "$(http GET /security.txt)" 301
check_contains "... to the .well-known location" "$(tr -d '\r' <"$T_DIR/headers")" \
	"Location: /.well-known/security.txt"
check_eq "the record through the API needs a login" "$(http GET /api/v1/securitytxt/published)" 401
TOK=$(admin_token)
check_eq "the record through the API" \
	"$(http GET /api/v1/securitytxt/published -H "Authorization: Bearer $TOK")" 200
check_eq "... its sha256 is the served bytes'" "$(jq -r .sha256 "$T_DIR/body")" \
	"$(sha256sum "$T_DIR/st1.txt" | cut -d' ' -f1)"
check_eq "... signed" "$(jq -r .signed "$T_DIR/body")" true

# ---- current: nothing regenerated ----
check_eq "publish when current" "$(run_cmd "$VIGIL" securitytxt publish)" 0
check_contains "... says it is current" "$(cat "$T_DIR/out")" "is current"
"$VIGIL" securitytxt published --json >"$T_DIR/p.json"
check_eq "first publication recorded" "$(jq -r .reason "$T_DIR/p.json")" "first publication"
check_eq "one publication audited" \
	"$("$VIGIL" audit log --json | jq '[.[] | select(.action == "securitytxt.publish")] | length')" 1

# ---- 130 days later: under 60 days left, regenerated and re-signed ----
VIGIL_NOW=2027-03-11T00:00:00Z "$VIGIL" securitytxt publish --json >"$T_DIR/p2.json"
check_eq "renewed before expiry" "$(jq -r .reason "$T_DIR/p2.json")" "expires soon"
check_eq "... new expiry" "$(jq -r .expires_at "$T_DIR/p2.json")" "2027-09-07T00:00:00Z"
check_eq "the server serves the renewed file" "$(http GET /.well-known/security.txt)" 200
check_contains "... with the new Expires" "$(body)" "Expires: 2027-09-07T00:00:00Z"
ok "... which gpg verifies" sh -c "gpg --batch --verify '$T_DIR/body' 2>/dev/null"
"$VIGIL" securitytxt published --body >"$T_DIR/cli.txt"
ok "published --body prints the served bytes" cmp "$T_DIR/cli.txt" "$T_DIR/body"
kill "$T_SERVER_PID" && wait "$T_SERVER_PID" 2>/dev/null
T_SERVER_PID=""

# ---- configuration change: regenerated ----
printf 'hiring = https://example.com/jobs\n' >>"$T_DIR/vigil.ini"
VIGIL_NOW=2027-03-12T00:00:00Z "$VIGIL" securitytxt publish --json >"$T_DIR/p3.json"
check_eq "configuration change regenerates" "$(jq -r .reason "$T_DIR/p3.json")" \
	"configuration or signing key changed"
check_contains "... with the new field" "$("$VIGIL" securitytxt published --body)" \
	"Hiring: https://example.com/jobs"

# ---- a bad value never replaces the published file ----
before=$(db_sql "SELECT COUNT(*) FROM securitytxt_published")
printf 'policy = http://example.com/insecure\n' >>"$T_DIR/vigil.ini"
check_eq "http:// policy refused" "$(run_cmd "$VIGIL" securitytxt publish --force)" 1
check_contains "... naming the field" "$(cat "$T_DIR/err")" "olicy"
check_eq "... nothing stored" "$(db_sql "SELECT COUNT(*) FROM securitytxt_published")" "$before"
check_eq "bad renew_days refused" \
	"$(VIGIL_SECURITYTXT_RENEW_DAYS=365 run_cmd "$VIGIL" securitytxt publish)" 1
check_contains "... with the rule" "$(cat "$T_DIR/err")" "renew_days"

# ---- an expired file is never served: the server makes a new one ----
sed -i '/^policy = http:/d' "$T_DIR/vigil.ini"
export VIGIL_NOW=2028-01-01T00:00:00Z
start_server
check_eq "after expiry the server serves a fresh file" "$(http GET /.well-known/security.txt)" 200
check_contains "... expiring 180 days from now" "$(body)" "Expires: 2028-06-29T00:00:00Z"
ok "... that validates" "$VIGIL" securitytxt validate "$T_DIR/body" --now 2028-01-01T00:00:00Z \
	--key "$T_DIR/pub.asc"

finish
