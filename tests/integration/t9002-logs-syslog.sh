#!/bin/sh
# t9002 - syslog into the log store (issue 21, item 1): `vigil serve
# --syslog-listen` with util-linux logger (RFC 5424 with octet counting and
# with LF framing, RFC 3164), the structured data [vigil@32473 product=
# version=], TLS on --syslog-tls-listen (openssl s_client, and rsyslog's
# omfwd when rsyslogd is installed), and the bounds: a frame never finished
# is cut off, an octet count over the limit drops the connection, extra
# connections are refused; nothing crashes and later senders still get in.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_count N ARGS...: until a query with ARGS finds N events (10 s at most)
wait_count() {
	want=$1
	shift
	i=0
	while [ $i -lt 100 ]; do
		got=$("$VIGIL" logs query --json "$@" | jq '.events | length')
		[ "$got" = "$want" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	echo "$got"
}

fresh_db
export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts"
P=$(free_port)
TP=$(free_port)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
	-keyout "$T_DIR/key.pem" -out "$T_DIR/cert.pem" >/dev/null 2>&1
export VIGIL_LOGS_SYSLOG_FRAME_TIMEOUT=1
export VIGIL_LOGS_SYSLOG_MAX_CONNS=4
export VIGIL_LOGS_SYSLOG_FRAME_MAX=2048
start_server --syslog-listen "127.0.0.1:$P" --syslog-tls-listen "127.0.0.1:$TP" \
	--syslog-tls-cert "$T_DIR/cert.pem" --syslog-tls-key "$T_DIR/key.pem"
# the listeners start just after the HTTP port is written: wait for them
for port in "$P" "$TP"; do
	python3 - "$port" <<'EOF'
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
        break
    except OSError:
        time.sleep(0.05)
EOF
done

logger --tcp --octet-count --server 127.0.0.1 --port "$P" --rfc5424 -t updsrv \
	--sd-id vigil@32473 --sd-param 'product="router"' --sd-param 'version="2.1"' \
	"octet counted from logger"
check_eq "logger RFC 5424, octet counting" "$(wait_count 1 --grep 'octet counted')" 1
"$VIGIL" logs query --grep 'octet counted' --json >"$T_DIR/q.json"
check_eq "product from the structured data" "$(jq -r '.events[0].product' "$T_DIR/q.json")" router
check_eq "version from the structured data" "$(jq -r '.events[0].version' "$T_DIR/q.json")" 2.1
check_eq "source is the app name" "$(jq -r '.events[0].source' "$T_DIR/q.json")" updsrv
check_eq "severity kept" "$(jq -r '.events[0].fields.severity' "$T_DIR/q.json")" 5

logger --tcp --server 127.0.0.1 --port "$P" --rfc5424 -t updsrv "lf framed from logger"
check_eq "logger RFC 5424, LF framing" "$(wait_count 1 --grep 'lf framed')" 1
logger --tcp --server 127.0.0.1 --port "$P" --rfc3164 -t oldapp "old style line"
check_eq "logger RFC 3164 tolerated" "$(wait_count 1 --source oldapp --grep 'old style')" 1

i=0
while [ $i -lt 50 ]; do
	printf 'burst line %d\n' $i
	i=$((i + 1))
done | logger --tcp --octet-count --server 127.0.0.1 --port "$P" --rfc5424 -t burst \
	--sd-id vigil@32473 --sd-param 'product="router"' --sd-param 'version="2.2"'
check_eq "50 lines in one connection" "$(wait_count 50 --product router --version 2.2)" 50

# TLS (RFC 5425: octet counting)
msg='<14>1 2026-05-01T10:00:00Z tlshost tlsapp - - [vigil@32473 product="router" version="3.0"] over tls'
{ printf '%d %s' "$(printf '%s' "$msg" | wc -c)" "$msg"; sleep 1; } |
	openssl s_client -quiet -no_ign_eof -connect "127.0.0.1:$TP" >/dev/null 2>&1
check_eq "TLS: stored" "$(wait_count 1 --product router --version 3.0)" 1
check_eq "TLS: sender's time" "$("$VIGIL" logs query --product router --version 3.0 --json | jq -r '.events[0].time')" \
	"2026-05-01T10:00:00Z"

# bounds
cat >"$T_DIR/bounds.py" <<'EOF'
import socket, sys, time
port, what = int(sys.argv[1]), sys.argv[2]
def closed_within(s, secs):
    s.settimeout(secs)
    try:
        return s.recv(10) == b""
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True
s = socket.create_connection(("127.0.0.1", port))
if what == "partial":
    s.sendall(b"100 <13>1 - - - - - - never finished")
    print("cut" if closed_within(s, 5) else "kept")
elif what == "count":
    s.sendall(b"99999999 x")
    print("cut" if closed_within(s, 5) else "kept")
elif what == "badcount":
    s.sendall(b"12x <13>hello")
    print("cut" if closed_within(s, 5) else "kept")
elif what == "flood":
    extra = [socket.create_connection(("127.0.0.1", port)) for _ in range(8)]
    time.sleep(0.5)
    cut = sum(1 for e in extra if closed_within(e, 1))
    print("refused" if cut >= 4 else "all-kept %d" % cut)
elif what == "long":
    s.sendall(b"<13>1 - - longapp - - - " + b"y" * 5000 + b"\n" + b"<13>1 - - longapp - - - after\n")
    time.sleep(0.5)
    print("sent")
EOF
check_eq "a frame never finished is cut off" "$(python3 "$T_DIR/bounds.py" "$P" partial)" cut
check_eq "an octet count over the limit drops the connection" "$(python3 "$T_DIR/bounds.py" "$P" count)" cut
check_eq "a count not followed by a space drops the connection" "$(python3 "$T_DIR/bounds.py" "$P" badcount)" cut
check_eq "connections over the limit are refused" "$(python3 "$T_DIR/bounds.py" "$P" flood)" refused
python3 "$T_DIR/bounds.py" "$P" long >/dev/null
check_eq "an LF frame over the limit is cut and the next one kept" "$(wait_count 2 --source longapp)" 2
check_eq "the cut frame is bounded" \
	"$("$VIGIL" logs query --source longapp --json | jq '[.events[].message | length] | max < 2048')" true
logger --tcp --octet-count --server 127.0.0.1 --port "$P" --rfc5424 -t late "after the abuse"
check_eq "the listener still serves" "$(wait_count 1 --source late)" 1
ok "the server is alive" kill -0 "$T_SERVER_PID"

# rsyslog's omfwd, when rsyslogd is installed (scripts/deps.sh)
if command -v rsyslogd >/dev/null 2>&1; then
	RP=$(free_port)
	mkdir -p "$T_DIR/rs"
	cat >"$T_DIR/rs/rsyslog.conf" <<EOF
global(workDirectory="$T_DIR/rs")
module(load="imtcp")
input(type="imtcp" port="$RP" address="127.0.0.1")
action(type="omfwd" target="127.0.0.1" port="$P" protocol="tcp" TCP_Framing="octet-counted"
       template="RSYSLOG_SyslogProtocol23Format")
EOF
	rsyslogd -n -f "$T_DIR/rs/rsyslog.conf" -i "$T_DIR/rs/pid" >"$T_DIR/rs/log" 2>&1 &
	RS=$!
	sleep 1
	logger --tcp --octet-count --server 127.0.0.1 --port "$RP" --rfc5424 -t viarsyslog \
		--sd-id vigil@32473 --sd-param 'product="router"' --sd-param 'version="4.0"' "relayed by rsyslog"
	check_eq "rsyslog omfwd relays into the store" "$(wait_count 1 --product router --version 4.0)" 1
	kill "$RS" 2>/dev/null
	wait "$RS" 2>/dev/null
else
	echo "# skipped: rsyslog's omfwd (rsyslogd is not installed: apt-get install rsyslog)"
fi

stop_server
check_eq "seal after syslog ingest" "$(run_cmd "$VIGIL" logs seal)" 0
check_eq "verify" "$(run_cmd "$VIGIL" logs verify)" 0
finish
