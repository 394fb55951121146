#!/bin/sh
# security.txt (RFC 9116): generate and OpenPGP-sign with a throw-away key
# (gpg --verify and our validator accept it; tampering and a wrong key are
# caught), and URL checks against local HTTPS servers with a self-signed
# certificate made here (good file, untrusted certificate, wrong Content-Type,
# missing charset, redirects to https and to http, legacy location only,
# plain http, unreachable port).
# vigil-test: no-database (the PostgreSQL run skips it)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

NOW=2026-06-01T00:00:00Z
GNUPGHOME="$T_DIR/gnupg"
export GNUPGHOME
mkdir -m 700 "$GNUPGHOME"
SRV_PID=""
sectxt_cleanup() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	gpgconf --kill gpg-agent >/dev/null 2>&1
}
trap 'sectxt_cleanup; t_cleanup' EXIT

# codes FILE: the finding codes of a --json report, space-separated
codes() {
	jq -r '[.findings[].code] | join(" ")' "$1"
}

# ---- a throw-away PSIRT key ----
gpg --batch --pinentry-mode loopback --passphrase '' \
	--quick-gen-key 'vigil test PSIRT <psirt@example.com>' ed25519 sign 30d >/dev/null 2>&1 ||
	{ echo "gpg key generation failed"; exit 1; }
FPR=$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')
gpg --batch --armor --export "$FPR" >"$T_DIR/pub.asc" 2>/dev/null
check_eq "test key has a fingerprint" "${#FPR}" 40

# ---- local servers: https (A), https legacy-only (B), plain http (C) ----
WWW="$T_DIR/www"
mkdir -p "$WWW"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T_DIR/key.pem" -out "$T_DIR/cert.pem" \
	-days 7 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1 ||
	{ echo "openssl req failed"; exit 1; }
cat >"$T_DIR/server.py" <<'PY'
import http.server, os, socket, ssl, sys, threading

root, cert, key, portfile = sys.argv[1:5]

class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def file(self, ctype):
        data = open(os.path.join(root, "security.txt"), "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, to):
        self.send_response(301)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        p, kind = self.path, self.server.kind
        if kind == "legacy":
            if p == "/security.txt":
                return self.file("text/plain; charset=utf-8")
        elif p == "/.well-known/security.txt":
            return self.file("text/plain; charset=utf-8")
        elif p == "/html/security.txt":
            return self.file("text/html; charset=utf-8")
        elif p == "/nocharset/security.txt":
            return self.file("text/plain")
        elif p == "/moved/security.txt":
            return self.redirect("https://127.0.0.1:%d/.well-known/security.txt" % ports[0])
        elif p == "/to-http/security.txt":
            return self.redirect("http://127.0.0.1:%d/.well-known/security.txt" % ports[2])
        self.send_error(404)

def make(kind, tls):
    s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    s.kind = kind
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        s.socket = ctx.wrap_socket(s.socket, server_side=True)
    return s

servers = [make("main", True), make("legacy", True), make("main", False)]
ports = [s.server_address[1] for s in servers]
free = socket.socket()
free.bind(("127.0.0.1", 0))
closed = free.getsockname()[1]
free.close()
for s in servers:
    threading.Thread(target=s.serve_forever, daemon=True).start()
with open(portfile + ".tmp", "w") as f:
    f.write("%d %d %d %d\n" % (ports[0], ports[1], ports[2], closed))
os.rename(portfile + ".tmp", portfile)
threading.Event().wait()
PY
python3 "$T_DIR/server.py" "$WWW" "$T_DIR/cert.pem" "$T_DIR/key.pem" "$T_DIR/ports" \
	>"$T_DIR/server.log" 2>&1 &
SRV_PID=$!
i=0
while [ ! -s "$T_DIR/ports" ]; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$SRV_PID" 2>/dev/null; then
		echo "test server did not start:"
		cat "$T_DIR/server.log"
		exit 1
	fi
	sleep 0.05
done
read -r PA PB PC PCLOSED <"$T_DIR/ports"
A="https://127.0.0.1:$PA"

# ---- generate ----
check_eq "generate without --contact is a usage error" \
	"$(run_cmd "$VIGIL" securitytxt generate --expires 180d)" 2
check_eq "generate refuses an http contact" \
	"$(run_cmd "$VIGIL" securitytxt generate --now $NOW --contact http://example.com/ --expires 180d)" 1
check_contains "and says why" "$(cat "$T_DIR/err")" "insecure_uri"
check_eq "generate refuses a past expiry" \
	"$(run_cmd "$VIGIL" securitytxt generate --now $NOW --contact mailto:a@example.com --expires 2026-05-01T00:00:00Z)" 1
check_eq "generate unsigned" \
	"$(run_cmd "$VIGIL" securitytxt generate --now $NOW --contact mailto:psirt@example.com \
		--contact https://example.com/report --expires 180d --policy https://example.com/cvd \
		--preferred-languages en,de)" 0
check_contains "unsigned output has both contacts in order" "$(cat "$T_DIR/out")" \
	"Contact: mailto:psirt@example.com
Contact: https://example.com/report
Expires: 2026-11-28T00:00:00Z"
check_eq "sign with an unknown key fails" \
	"$(run_cmd "$VIGIL" securitytxt generate --now $NOW --contact mailto:a@example.com \
		--expires 90d --sign --key-id 0000000000000000000000000000000000000000)" 1

check_eq "generate signed" \
	"$(run_cmd "$VIGIL" securitytxt generate --now $NOW --contact mailto:psirt@example.com \
		--contact https://example.com/report --expires 180d \
		--encryption https://example.com/pgp.asc \
		--acknowledgments https://example.com/thanks --hiring https://example.com/jobs \
		--canonical "$A/.well-known/security.txt" --policy https://example.com/cvd \
		--csaf https://example.com/.well-known/csaf/provider-metadata.json \
		--preferred-languages en,de --sign --key-id "$FPR" -o "$WWW/security.txt")" 0
check_contains "signed file starts with the cleartext header" "$(head -1 "$WWW/security.txt")" \
	"-----BEGIN PGP SIGNED MESSAGE-----"
ok "gpg --verify accepts the signed file" gpg --batch --verify "$WWW/security.txt"

check_eq "validate signed with the key" \
	"$(run_cmd "$VIGIL" securitytxt validate "$WWW/security.txt" --now $NOW --key "$T_DIR/pub.asc" --json)" 0
check_eq "valid" "$(jq -r .valid "$T_DIR/out")" true
check_eq "verified" "$(jq -r .verified "$T_DIR/out")" true
check_eq "signer is the test key" "$(jq -r .signer "$T_DIR/out")" "$FPR"
check_eq "no warnings" "$(jq -r .warnings "$T_DIR/out")" 0
check_eq "fields parsed" "$(jq -r '[.fields[].name] | join(",")' "$T_DIR/out")" \
	"Contact,Contact,Expires,Encryption,Acknowledgments,Preferred-Languages,Canonical,Policy,Hiring,CSAF"

check_eq "validate signed without a key" \
	"$(run_cmd "$VIGIL" securitytxt validate "$WWW/security.txt" --now $NOW --json)" 0
check_contains "says it was not verified" "$(codes "$T_DIR/out")" "signature_not_verified"
check_eq "expired at a later now" \
	"$(run_cmd "$VIGIL" securitytxt validate "$WWW/security.txt" --now 2027-01-01T00:00:00Z)" 1
check_contains "expires_past reported with its line" "$(cat "$T_DIR/out")" "error: the file expired"

sed 's/psirt@example.com/attacker@example.net/' "$WWW/security.txt" >"$T_DIR/tampered.txt"
not_ok "gpg --verify refuses the tampered file" gpg --batch --verify "$T_DIR/tampered.txt"
check_eq "validate refuses the tampered file" \
	"$(run_cmd "$VIGIL" securitytxt validate "$T_DIR/tampered.txt" --now $NOW --key "$T_DIR/pub.asc" --json)" 1
check_contains "signature_invalid" "$(codes "$T_DIR/out")" "signature_invalid"
check_eq "not verified" "$(jq -r .verified "$T_DIR/out")" false

# a second key: a signature by the real key must not verify with it
mkdir -m 700 "$T_DIR/gnupg2"
GNUPGHOME="$T_DIR/gnupg2" gpg --batch --pinentry-mode loopback --passphrase '' \
	--quick-gen-key 'other <other@example.com>' ed25519 sign 30d >/dev/null 2>&1
GNUPGHOME="$T_DIR/gnupg2" gpg --batch --armor --export other@example.com >"$T_DIR/other.asc"
GNUPGHOME="$T_DIR/gnupg2" gpgconf --kill gpg-agent >/dev/null 2>&1
check_eq "validate with the wrong key" \
	"$(run_cmd "$VIGIL" securitytxt validate "$WWW/security.txt" --now $NOW --key "$T_DIR/other.asc" --json)" 1
check_contains "wrong key: signature_invalid" "$(codes "$T_DIR/out")" "signature_invalid"
echo "not a key" >"$T_DIR/nokey.asc"
check_eq "a key file without a key is an operator error" \
	"$(run_cmd "$VIGIL" securitytxt validate "$WWW/security.txt" --now $NOW --key "$T_DIR/nokey.asc")" 1
check_contains "names the key file" "$(cat "$T_DIR/err")" "nokey.asc"
check_eq "validate of a missing file" "$(run_cmd "$VIGIL" securitytxt validate "$T_DIR/nope.txt")" 1
check_eq "validate without a file is a usage error" "$(run_cmd "$VIGIL" securitytxt validate)" 2
check_eq "bad --now is a usage error" \
	"$(run_cmd "$VIGIL" securitytxt validate "$WWW/security.txt" --now yesterday)" 2
check_eq "--url compares Canonical" \
	"$(run_cmd "$VIGIL" securitytxt validate "$WWW/security.txt" --now $NOW --url https://other.example/.well-known/security.txt --json)" 1
check_contains "canonical_mismatch" "$(codes "$T_DIR/out")" "canonical_mismatch"

# ---- URL checks ----
check_eq "URL: good file" \
	"$(run_cmd "$VIGIL" securitytxt validate "$A" --cacert "$T_DIR/cert.pem" --now $NOW --key "$T_DIR/pub.asc" --json)" 0
check_eq "URL: fetched from /.well-known/" "$(jq -r .url "$T_DIR/out")" "$A/.well-known/security.txt"
check_eq "URL: verified" "$(jq -r .verified "$T_DIR/out")" true
check_eq "URL: no errors" "$(jq -r .errors "$T_DIR/out")" 0

check_eq "URL: self-signed certificate not trusted by default" \
	"$(run_cmd "$VIGIL" securitytxt validate "$A" --now $NOW --json)" 1
check_contains "URL: http_tls" "$(codes "$T_DIR/out")" "http_tls"

check_eq "URL: wrong Content-Type" \
	"$(run_cmd "$VIGIL" securitytxt validate "$A/html/security.txt" --cacert "$T_DIR/cert.pem" --now $NOW --json)" 1
check_contains "URL: http_content_type" "$(codes "$T_DIR/out")" "http_content_type"
check_not_contains "URL: charset was right" "$(codes "$T_DIR/out")" "http_charset"
check_contains "URL: not at a Canonical location" "$(codes "$T_DIR/out")" "canonical_mismatch"

check_eq "URL: no charset" \
	"$(run_cmd "$VIGIL" securitytxt validate "$A/nocharset/security.txt" --cacert "$T_DIR/cert.pem" --now $NOW --json)" 1
check_contains "URL: http_charset" "$(codes "$T_DIR/out")" "http_charset"
check_not_contains "URL: media type was right" "$(codes "$T_DIR/out")" "http_content_type"

check_eq "URL: https redirect to the canonical location" \
	"$(run_cmd "$VIGIL" securitytxt validate "$A/moved/security.txt" --cacert "$T_DIR/cert.pem" --now $NOW --json)" 0
check_contains "URL: redirect reported" "$(codes "$T_DIR/out")" "http_redirect"
check_not_contains "URL: redirect was secure" "$(codes "$T_DIR/out")" "http_redirect_insecure"

check_eq "URL: redirect to http" \
	"$(run_cmd "$VIGIL" securitytxt validate "$A/to-http/security.txt" --cacert "$T_DIR/cert.pem" --now $NOW --json)" 1
check_contains "URL: http_redirect_insecure" "$(codes "$T_DIR/out")" "http_redirect_insecure"

check_eq "URL: legacy location only" \
	"$(run_cmd "$VIGIL" securitytxt validate "https://127.0.0.1:$PB" --cacert "$T_DIR/cert.pem" --now $NOW --json)" 1
check_contains "URL: location_legacy" "$(codes "$T_DIR/out")" "location_legacy"
check_contains "URL: /.well-known/ answered 404" "$(jq -r '.findings[] | select(.code=="http_status") | .message' "$T_DIR/out")" "404"
check_eq "URL: legacy URL fetched" "$(jq -r .url "$T_DIR/out")" "https://127.0.0.1:$PB/security.txt"

check_eq "URL: plain http" \
	"$(run_cmd "$VIGIL" securitytxt validate "http://127.0.0.1:$PC/.well-known/security.txt" --now $NOW --json)" 1
check_contains "URL: http_not_https" "$(codes "$T_DIR/out")" "http_not_https"

check_eq "URL: unreachable port" \
	"$(run_cmd "$VIGIL" securitytxt validate "https://127.0.0.1:$PCLOSED" --cacert "$T_DIR/cert.pem" --now $NOW --timeout 5 --json)" 1
check_contains "URL: http_unreachable" "$(codes "$T_DIR/out")" "http_unreachable"
check_eq "URL: not a URL" "$(run_cmd "$VIGIL" securitytxt validate "ftp://x" --now $NOW)" 1

finish
