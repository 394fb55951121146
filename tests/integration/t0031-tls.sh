#!/bin/sh
# t0031: TLS on the listeners (issue 24 item 2): `--tls-cert/--tls-key` and
# `--public-tls-cert/--public-tls-key`; TLS 1.2 and 1.3 only; HSTS on TLS;
# SIGHUP reloads the certificate without dropping an open connection (new
# handshakes get the new one; a bad file keeps the old one); a key that does
# not belong to its certificate and broken files are refused at start with
# the file named; `--trusted-proxy` takes X-Forwarded-* only from the proxy.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
cd "$T_DIR" || exit 1

# cert N: a self-signed P-256 certificate for 127.0.0.1 (cN.pem, kN.pem)
cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "k$1.pem" \
		-out "c$1.pem" -subj "/CN=vigil test $1" -addext "subjectAltName=IP:127.0.0.1" \
		-days 2 -set_serial "$1" >/dev/null 2>&1
}
cert 1
cert 2
cert 3
cat c1.pem c2.pem >both.pem

check_eq "--tls-cert without --tls-key is a usage error" \
	"$(run_cmd "$VIGIL" serve --listen 127.0.0.1:0 --tls-cert c1.pem)" 2
check_eq "--public-tls-cert without --public-listen is a usage error" \
	"$(run_cmd "$VIGIL" serve --listen 127.0.0.1:0 --public-tls-cert c1.pem --public-tls-key k1.pem)" 2
check_eq "a key of another certificate is refused at start" \
	"$(run_cmd "$VIGIL" serve --listen 127.0.0.1:0 --tls-cert c1.pem --tls-key k2.pem)" 1
check_contains "... naming both files" "$(cat "$T_DIR/err")" "key k2.pem does not belong to the certificate c1.pem"
echo "not a certificate" >junk.pem
check_eq "a file that holds no certificate is refused" \
	"$(run_cmd "$VIGIL" serve --listen 127.0.0.1:0 --tls-cert junk.pem --tls-key k1.pem)" 1
check_contains "... naming it and what was expected" "$(cat "$T_DIR/err")" "certificate junk.pem: expected PEM certificates"
check_eq "a missing key file is refused" \
	"$(run_cmd "$VIGIL" serve --listen 127.0.0.1:0 --tls-cert c1.pem --tls-key nosuch.pem)" 1
check_contains "... naming it" "$(cat "$T_DIR/err")" "nosuch.pem"

cp c1.pem live-c.pem
cp k1.pem live-k.pem
start_server --tls-cert live-c.pem --tls-key live-k.pem --public-listen 127.0.0.1:0 \
	--public-port-file "$T_DIR/pport" --public-tls-cert c3.pem --public-tls-key k3.pem
PORT=$(cat "$T_DIR/port")
TBASE="https://127.0.0.1:$PORT"
PUB="https://127.0.0.1:$(cat "$T_DIR/pport")"
check_contains "the log says https and names the certificate" "$(cat "$T_DIR/server.log")" "listening on https://"
check_contains "... its subject and serial" "$(cat "$T_DIR/server.log")" "CN=vigil test 1, serial 01"

tls() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 --cacert both.pem "$@"; }
check_eq "HTTPS on --listen" "$(tls "$TBASE/api/v1/health")" 200
check_eq "TLS 1.2" "$(tls --tlsv1.2 --tls-max 1.2 "$TBASE/api/v1/health")" 200
check_eq "TLS 1.3" "$(tls --tlsv1.3 "$TBASE/api/v1/health")" 200
check_eq "TLS 1.1 is refused" "$(tls --tlsv1.1 --tls-max 1.1 "$TBASE/api/v1/health")" 000
check_eq "plain HTTP on the TLS port gets no answer" \
	"$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$PORT/api/v1/health")" 000
curl -s -D hdr -o /dev/null --cacert both.pem "$TBASE/api/v1/health"
check_contains "responses over TLS carry HSTS" "$(cat hdr)" "Strict-Transport-Security: max-age=31536000"
check_eq "the public listener has its own certificate" "$(curl -s -o /dev/null -w '%{http_code}' --cacert c3.pem "$PUB/report")" 200
check_eq "... and serves only public routes" "$(curl -s -o /dev/null -w '%{http_code}' --cacert c3.pem "$PUB/ui/login")" 404

# serial HOSTPORT: the serial of the certificate a new handshake gets
serial() {
	python3 - "$1" <<'PY'
import socket, ssl, sys
host, port = sys.argv[1].rsplit(":", 1)
ctx = ssl.create_default_context(cafile="both.pem")
with socket.create_connection((host, int(port)), timeout=10) as s:
    with ctx.wrap_socket(s, server_hostname=host) as t:
        from hashlib import sha256
        der = t.getpeercert(binary_form=True)
        print(t.getpeercert()["serialNumber"])
PY
}
check_eq "the first certificate" "$(serial "127.0.0.1:$PORT")" 01

# a connection open across the reload: its next request is answered on it
python3 - "$PORT" "$T_SERVER_PID" >reload.out 2>&1 <<'PY' &
import os, signal, socket, ssl, sys, time, shutil
port, pid = int(sys.argv[1]), int(sys.argv[2])
ctx = ssl.create_default_context(cafile="both.pem")
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=20), server_hostname="127.0.0.1")
def get():
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
    head, _, rest = data.partition(b"\r\n\r\n")
    n = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
    while len(rest) < n:
        rest += s.recv(4096)
    return head.split(b"\r\n")[0].decode()
print("before", get(), s.getpeercert()["serialNumber"])
shutil.copy("c2.pem", "live-c.pem")
shutil.copy("k2.pem", "live-k.pem")
os.kill(pid, signal.SIGHUP)
time.sleep(1.5)
print("after", get(), s.getpeercert()["serialNumber"])
PY
wait $!
check_eq "a connection open across SIGHUP keeps working" "$(cat reload.out)" "before HTTP/1.1 200 OK 01
after HTTP/1.1 200 OK 01"
check_eq "a new handshake gets the new certificate" "$(serial "127.0.0.1:$PORT")" 02
check_contains "the log says so" "$(cat "$T_DIR/server.log")" "SIGHUP: TLS reloaded: --listen: CN=vigil test 2, serial 02"

echo "broken" >live-c.pem
kill -HUP "$T_SERVER_PID"
sleep 1.5
check_eq "a broken certificate at SIGHUP: the server keeps the one it has" "$(serial "127.0.0.1:$PORT")" 02
check_contains "... and says why" "$(cat "$T_DIR/server.log")" "the listener keeps its certificate"
check_eq "... still serving" "$(tls "$TBASE/api/v1/health")" 200
stop_server

# --trusted-proxy: X-Forwarded-Proto from the proxy marks HTTPS (HSTS), from others not
start_server --trusted-proxy 127.0.0.1
curl -s -D hdr -o /dev/null -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 203.0.113.9' "$BASE/api/v1/health"
check_contains "--trusted-proxy: the proxy's X-Forwarded-Proto is taken" "$(cat hdr)" "Strict-Transport-Security"
stop_server
start_server --trusted-proxy 10.9.9.9
curl -s -D hdr -o /dev/null -H 'X-Forwarded-Proto: https' "$BASE/api/v1/health"
check_not_contains "... and ignored from any other peer" "$(cat hdr)" "Strict-Transport-Security"
stop_server
check_eq "a bad --trusted-proxy is refused" "$(run_cmd "$VIGIL" serve --listen 127.0.0.1:0 --trusted-proxy 'not an address')" 1
check_contains "... naming the setting and the value" "$(cat "$T_DIR/err")" "server.trusted_proxies"
finish
