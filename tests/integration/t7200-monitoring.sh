#!/bin/sh
# PSIRT reachability: watched security.txt URLs on a local HTTPS server
# (self-signed certificate made here) raise securitytxt.expiring / .invalid /
# .unreachable through the notifier and keep a check history; a mailto:
# contact is probed through the SMTP sink and the receipt confirmed; the
# OpenPGP key: status (strength, expiry, Encryption URI serving the same
# key), pgp.expiring, and rotation (refused without the old key's
# certification, then cross-signed, published, old key kept).
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
export VIGIL_SECURITYTXT_TIMEOUT=5
TOOLS="$VIGIL_SOURCE_DIR/tests/tools"
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
GNUPGHOME="$T_DIR/gnupg"
export GNUPGHOME
mkdir -m 700 "$GNUPGHOME"
WWW="$T_DIR/www"
mkdir -p "$WWW"
SRV_PID=""
python3 "$TOOLS/receiver.py" --log "$T_DIR/hook.log" --port-file "$T_DIR/hook.port" &
HPID=$!
python3 "$TOOLS/smtpsink.py" --log "$T_DIR/mail.log" --port-file "$T_DIR/mail.port" &
MPID=$!
mon_cleanup() {
	kill $HPID $MPID 2>/dev/null
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	gpgconf --kill gpg-agent >/dev/null 2>&1
}
trap 'mon_cleanup; t_cleanup' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T_DIR/key.pem" -out "$T_DIR/cert.pem" \
	-days 7 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1 ||
	{ echo "openssl req failed"; exit 1; }
cat >"$T_DIR/server.py" <<'PY'
import http.server, os, socket, ssl, sys
root, cert, key, portfile = sys.argv[1:5]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        p = os.path.normpath(os.path.join(root, self.path.lstrip("/")))
        if not p.startswith(root) or not os.path.isfile(p):
            return self.send_error(404)
        data = open(p, "rb").read()
        self.send_response(200)
        ctype = "application/pgp-keys" if p.endswith(".asc") else "text/plain; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
free = socket.socket()
free.bind(("127.0.0.1", 0))
closed = free.getsockname()[1]
free.close()
with open(portfile + ".tmp", "w") as f:
    f.write("%d %d\n" % (s.server_address[1], closed))
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
PY
python3 "$T_DIR/server.py" "$WWW" "$T_DIR/cert.pem" "$T_DIR/key.pem" "$T_DIR/ports" >"$T_DIR/srv.log" 2>&1 &
SRV_PID=$!
i=0
while [ ! -s "$T_DIR/ports" ] || [ ! -s "$T_DIR/hook.port" ] || [ ! -s "$T_DIR/mail.port" ]; do
	i=$((i + 1)); [ $i -gt 200 ] && { echo "servers did not start"; cat "$T_DIR/srv.log"; exit 1; }
	sleep 0.05
done
read -r PA PCLOSED <"$T_DIR/ports"
A="https://127.0.0.1:$PA"
HOOK="http://127.0.0.1:$(cat "$T_DIR/hook.port")"
SMTP="smtp://127.0.0.1:$(cat "$T_DIR/mail.port")"
"$VIGIL" notify channel-add hook --kind webhook --url "$HOOK/hook" >/dev/null
"$VIGIL" notify rule-add --event 'securitytxt.*' --channel hook >/dev/null
"$VIGIL" notify rule-add --event 'pgp.*' --channel hook >/dev/null

# ev NAME: how many deliveries of event NAME the receiver got
ev() {
	jq -r '.body | fromjson | .event' "$T_DIR/hook.log" 2>/dev/null | grep -c "^$1\$" || true
}

# ---- security.txt files ----
mkdir -p "$WWW/good/.well-known" "$WWW/soon" "$WWW/bad"
"$VIGIL" securitytxt generate --contact mailto:psirt@example.test --expires 200d \
	--encryption "$A/pgp.asc" -o "$WWW/good/.well-known/security.txt" || exit 1
"$VIGIL" securitytxt generate --contact mailto:psirt@example.test --expires 20d \
	-o "$WWW/soon/security.txt" || exit 1
printf 'Expires: 2030-01-01T00:00:00Z\nPolicy: http://example.test/cvd\n' >"$WWW/bad/security.txt"

check_eq "watch add" "$(run_cmd "$VIGIL" securitytxt watch add "$A/good/.well-known/security.txt")" 0
check_eq "watch add expiring" "$(run_cmd "$VIGIL" securitytxt watch add "$A/soon/security.txt")" 0
check_eq "watch add invalid" "$(run_cmd "$VIGIL" securitytxt watch add "$A/bad/security.txt")" 0
check_eq "watch add unreachable" "$(run_cmd "$VIGIL" securitytxt watch add "https://127.0.0.1:$PCLOSED")" 0
check_eq "watch add twice" "$(run_cmd "$VIGIL" securitytxt watch add "$A/soon/security.txt")" 1
check_eq "plain http refused" "$(run_cmd "$VIGIL" securitytxt watch add "http://example.test/")" 1
check_eq "watch list before checks" "$("$VIGIL" securitytxt watch list --json | jq -r '[.[].last] | map(. == null) | all')" "true"

check_contains "check-watched" "$("$VIGIL" securitytxt check-watched --cacert "$T_DIR/cert.pem")" "4 checked, 3 with problems"
"$VIGIL" securitytxt watch list --json >"$T_DIR/w.json"
st() {
	jq -r --arg u "$1" '.[] | select(.url == $u) | .last.status' "$T_DIR/w.json"
}
check_eq "good: ok" "$(st "$A/good/.well-known/security.txt")" "ok"
check_eq "20 days left: expiring" "$(st "$A/soon/security.txt")" "expiring"
check_eq "no Contact, http Policy: invalid" "$(st "$A/bad/security.txt")" "invalid"
check_eq "closed port: unreachable" "$(st "https://127.0.0.1:$PCLOSED")" "unreachable"
check_eq "errors recorded" "$(jq -r --arg u "$A/bad/security.txt" '.[] | select(.url == $u) | .last.errors' "$T_DIR/w.json")" 2
check_eq "Encryption URI recorded" "$(jq -r --arg u "$A/good/.well-known/security.txt" '.[] | select(.url == $u) | .last.encryption' "$T_DIR/w.json")" "$A/pgp.asc"
"$VIGIL" notify run >/dev/null
check_eq "securitytxt.expiring delivered" "$(ev securitytxt.expiring)" 1
check_eq "securitytxt.invalid delivered" "$(ev securitytxt.invalid)" 1
check_eq "securitytxt.unreachable delivered" "$(ev securitytxt.unreachable)" 1
check_contains "invalid event names the error codes" "$(grep securitytxt.invalid "$T_DIR/hook.log" | jq -r '.body | fromjson | .details.error_codes | join(" ")')" "contact_missing"
# the file is fixed; the next check says so and the history keeps both
"$VIGIL" securitytxt generate --contact mailto:psirt@example.test --expires 200d -o "$WWW/bad/security.txt"
"$VIGIL" securitytxt check-watched --cacert "$T_DIR/cert.pem" >/dev/null
"$VIGIL" securitytxt watch list --json >"$T_DIR/w.json"
check_eq "fixed file: ok now" "$(st "$A/bad/security.txt")" "ok"
check_eq "history kept" "$(jq -r --arg u "$A/bad/security.txt" '.[] | select(.url == $u) | [.checks[].status] | join(",")' "$T_DIR/w.json")" "ok,invalid"
check_contains "watch list (human)" "$("$VIGIL" securitytxt watch list)" "unreachable"
check_eq "watch list --history 1" "$("$VIGIL" securitytxt watch list --history 1 --json | jq '[.[].checks | length] | max')" 1
check_eq "watch list: bad --history" "$(run_cmd "$VIGIL" securitytxt watch list --history x)" 2
check_contains "watch list: bad --history named" "$(cat "$T_DIR/err")" "--history"
check_eq "watch remove" "$(run_cmd "$VIGIL" securitytxt watch remove "https://127.0.0.1:$PCLOSED")" 0
check_eq "watch remove unknown" "$(run_cmd "$VIGIL" securitytxt watch remove "https://127.0.0.1:$PCLOSED")" 1
check_contains "watch changes audited" "$("$VIGIL" audit log)" "securitytxt.watch.remove"

# ---- contact probe ----
check_eq "probe without SMTP config" "$(run_cmd "$VIGIL" securitytxt probe-contact --contact mailto:psirt@example.test)" 1
export VIGIL_SECURITYTXT_SMTP_URL="$SMTP" VIGIL_SECURITYTXT_FROM=vigil@example.test
check_eq "probe needs a mailto: URI" "$(run_cmd "$VIGIL" securitytxt probe-contact --contact https://example.test/)" 1
check_eq "probe" "$(run_cmd "$VIGIL" securitytxt probe-contact "$A/good/.well-known/security.txt" --contact mailto:psirt@example.test)" 0
check_eq "probe mail received" "$(jq -r '.to[0]' "$T_DIR/mail.log")" "psirt@example.test"
TOKEN=$(jq -r .data "$T_DIR/mail.log" | sed -n 's/^Subject: .*contact probe \([A-Za-z0-9_-]*\).*/\1/p' | head -1)
check_eq "token in the message" "$([ ${#TOKEN} -ge 16 ] && echo yes)" "yes"
check_eq "token stored hashed only" "$(db_sql "SELECT COUNT(*) FROM securitytxt_probes WHERE token_sha256 = '$TOKEN'")" 0
check_eq "probe listed as sent" "$("$VIGIL" securitytxt probes --json | jq -r '.[0].status')" "sent"
check_eq "confirm with a wrong token" "$(run_cmd "$VIGIL" securitytxt confirm-probe NOTTHETOKEN123)" 1
check_eq "confirm" "$(run_cmd "$VIGIL" securitytxt confirm-probe "$TOKEN")" 0
check_eq "confirm twice" "$(run_cmd "$VIGIL" securitytxt confirm-probe "$TOKEN")" 1
check_eq "probe confirmed, by whom" "$("$VIGIL" securitytxt probes --json | jq -r '.[0] | "\(.status) \(.confirmed_by)"')" "confirmed test"
check_contains "confirmation audited" "$("$VIGIL" audit log)" "securitytxt.probe.confirm"

# ---- OpenPGP ----
gen() { # gen UID ALGO EXPIRY
	gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key "$1" "$2" default "$3" >/dev/null 2>&1
	gpg --batch --with-colons --list-keys "$1" 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}'
}
OLD=$(gen 'PSIRT 2026 <psirt@example.test>' ed25519 45d)
NEW=$(gen 'PSIRT 2027 <psirt@example.test>' ed25519 1y)
WEAK=$(gen 'weak <weak@example.test>' rsa2048 1y)
check_eq "test keys" "${#OLD} ${#NEW} ${#WEAK}" "40 40 40"
gpg --batch --armor --export "$OLD" >"$WWW/pgp.asc"

check_eq "pgp status" "$(run_cmd "$VIGIL" pgp status --cacert "$T_DIR/cert.pem" --json)" 0
check_eq "status: the first secret key" "$(jq -r .fingerprint "$T_DIR/out")" "$OLD"
check_eq "status: ed25519 is not weak" "$(jq -r '"\(.algorithm) \(.weak)"' "$T_DIR/out")" "ed25519 false"
check_eq "status: expires within 60 days" "$(jq -r .expiring "$T_DIR/out")" "true"
check_eq "status: Encryption URI from the watched security.txt" "$(jq -r .encryption_uri "$T_DIR/out")" "$A/pgp.asc"
check_eq "status: it serves this key" "$(jq -r .encryption_matches "$T_DIR/out")" "true"
gpg --batch --armor --export "$NEW" >"$WWW/other.asc"
check_eq "status: another key at the URI fails" "$(run_cmd "$VIGIL" pgp status --cacert "$T_DIR/cert.pem" --encryption-uri "$A/other.asc" --json)" 1
check_eq "status: no match" "$(jq -r '"\(.encryption_matches) \(.encryption_keys[0])"' "$T_DIR/out")" "false $NEW"
check_eq "status: missing key file" "$(run_cmd "$VIGIL" pgp status --cacert "$T_DIR/cert.pem" --encryption-uri "$A/nope.asc" --json)" 1
check_contains "status: says why" "$(jq -r .encryption_error "$T_DIR/out")" "404"
check_eq "status: a weak key is flagged" "$(VIGIL_PGP_KEY=$WEAK run_cmd "$VIGIL" pgp status --encryption-uri "$A/pgp.asc" --cacert "$T_DIR/cert.pem" --json)" 1
check_eq "status: RSA 2048 weak" "$(jq -r '"\(.bits) \(.weak)"' "$T_DIR/out")" "2048 true"
check_contains "status (human)" "$("$VIGIL" pgp status --cacert "$T_DIR/cert.pem")" "within 60 days"

check_contains "pgp.expiring raised" "$("$VIGIL" pgp check-expiry)" "expires within 60 days"
"$VIGIL" notify run >/dev/null
check_eq "pgp.expiring delivered" "$(ev pgp.expiring)" 1

check_eq "rotate: not certified by the old key" "$(run_cmd "$VIGIL" pgp rotate --new-key "$NEW")" 1
check_contains "rotate: says how to certify" "$(cat "$T_DIR/err")" "quick-sign-key"
gpg --batch --yes --pinentry-mode loopback --passphrase '' --default-key "$WEAK" --quick-sign-key "$NEW" >/dev/null 2>&1
check_eq "rotate: a certification by another key does not count" "$(run_cmd "$VIGIL" pgp rotate --new-key "$NEW")" 1
gpg --batch --yes --pinentry-mode loopback --passphrase '' --default-key "$OLD" --quick-sign-key "$WEAK" >/dev/null 2>&1
check_eq "rotate: a weak key is refused" "$(run_cmd "$VIGIL" pgp rotate --new-key "$WEAK")" 1
check_contains "rotate: weak explained" "$(cat "$T_DIR/err")" "weak"
check_eq "rotate: not a fingerprint" "$(run_cmd "$VIGIL" pgp rotate --new-key 1234)" 1
gpg --batch --yes --pinentry-mode loopback --passphrase '' --default-key "$OLD" --quick-sign-key "$NEW" >/dev/null 2>&1
check_eq "rotate" "$(run_cmd "$VIGIL" pgp rotate --new-key "$NEW" --publish "$WWW/pgp.asc")" 0
"$VIGIL" pgp keys --json >"$T_DIR/keys.json"
check_eq "new key current and cross-signed" "$(jq -r --arg f "$NEW" '.[] | select(.fingerprint == $f) | "\(.state) \(.cross_signed) \(.previous)"' "$T_DIR/keys.json")" "current true $OLD"
check_eq "old key kept as previous" "$(jq -r --arg f "$OLD" '.[] | select(.fingerprint == $f) | .state' "$T_DIR/keys.json")" "previous"
ok "old secret key still in the keyring (decryption)" gpg --batch --list-secret-keys "$OLD"
check_eq "status after rotation" "$(run_cmd "$VIGIL" pgp status --cacert "$T_DIR/cert.pem" --json)" 0
check_eq "status: the new key, published at the URI" "$(jq -r '"\(.fingerprint) \(.encryption_matches) \(.expiring)"' "$T_DIR/out")" "$NEW true false"
check_contains "rotation audited" "$("$VIGIL" audit log)" "pgp.rotate"
check_eq "rotate to the current key" "$(run_cmd "$VIGIL" pgp rotate --new-key "$NEW")" 1
check_contains "no pgp.expiring for the new key" "$("$VIGIL" pgp check-expiry)" "not expiring"

# ---- pages ----
start_server
TOK=$(admin_token)
check_eq "API: watches" "$(http GET /api/v1/securitytxt/watches -H "Authorization: Bearer $TOK")" 200
check_eq "API: three watches" "$(body | jq -r '.watches | length')" 3
check_eq "UI: reachability" "$(http GET /ui/reachability -H "Authorization: Bearer $TOK")" 200
check_contains "UI: shows the checks" "$(body)" "expiring"
check_contains "UI: shows the key" "$(body)" "$NEW"
check_contains "UI: key details" "$(body)" "ed25519, 255 bits"
finish
