#!/bin/sh
# Idle connections cannot keep clients out (issue 25 item 4): with a low
# server.max_conns, idle connections from many addresses past it do not
# block a new client (the one idle the longest is closed for it), a
# connection whose request is being read is never the one closed, a
# connection that sends nothing is closed after server.first_byte_timeout
# while one that sent part of its headers is not, kept-alive connections
# cost a bounded memory each (server.conn_memory), and the open-file limit
# is raised at start (or server.max_conns fitted to it, with a warning).
# No timing is asserted: waits are bounds on a failure, not measures.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
# Under ASan the allocator keeps freed memory in quarantine (256 MiB by
# default), which a resident-size bound would measure: a small quarantine
# keeps the bound meaningful there too (as t8101).
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=4"
fresh_db
ADM=$(admin_token)
port() { cat "$T_DIR/port"; }
status_of() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# ---- past server.max_conns: the oldest idle connections make room ----
# a long header timeout and no first-byte cut: only eviction can free a slot
VIGIL_SERVER_MAX_CONNS=32 VIGIL_SERVER_HEADER_TIMEOUT=3600 VIGIL_SERVER_FIRST_BYTE_TIMEOUT=0 \
	VIGIL_SERVER_MAX_CONNS_PER_ADDR=0 start_server --threads 2
python3 - "$(port)" "$ADM" >"$T_DIR/evict.out" 2>&1 <<'EOF'
import socket, sys, time
port, adm = int(sys.argv[1]), sys.argv[2]
def check(ok, desc):
    print(("ok - " if ok else "FAIL - ") + desc)
def conn(src, timeout=10):
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s
def get(src, path="/api/v1/health", timeout=10):
    s = conn(src, timeout)
    s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
              b"X-Api-Key: " + adm.encode() + b"\r\n\r\n")
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    s.close()
    return data
# an upload whose headers are in and whose body is half sent: in a request
up = conn("127.0.0.7", 30)
up.sendall(b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           b"Content-Length: 10\r\nConnection: close\r\n\r\n{}   ")
time.sleep(0.5)
idle = []
for i in range(200):  # far past the limit of 32, each from its own address
    try:
        idle.append(conn("127.0.%d.%d" % (1 + i // 200, 1 + i % 200), 2))
    except OSError:
        pass
check(len(idle) == 200, "200 idle connections opened against server.max_conns 32 (%d)" % len(idle))
try:
    got = get("127.0.0.9")
except OSError as e:
    got = repr(e).encode()
check(got.startswith(b"HTTP/1.1 200"), "a new client is answered while they stay: %r" % got[:40])
up.sendall(b"     ")
try:
    ans = up.recv(100)
except OSError as e:
    ans = repr(e).encode()
check(ans.startswith(b"HTTP/1.1 400"), "the upload begun before them was not closed; it is answered: %r" % ans[:40])
closed = 0
for s in idle:
    s.setblocking(False)
    try:
        if s.recv(1) == b"":
            closed += 1
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
check(closed >= 200 - 32, "idle connections closed to make room: %d of 200" % closed)
check(get("127.0.0.10", "/metrics").count(b'vigil_http_refused_total{reason="idle_evicted"}') == 1,
      "/metrics names the reason idle_evicted")
for s in idle:
    s.close()
EOF
tally "$T_DIR/evict.out"
EV=$(curl -s -H "X-Api-Key: $ADM" "$BASE/metrics" | awk -F' ' '/reason="idle_evicted"/ { print $2 }')
ok "idle_evicted counted ($EV)" test "${EV:-0}" -ge 150
stop_server

# ---- a connection that sends nothing is cut; one that sent a byte is not ----
VIGIL_SERVER_FIRST_BYTE_TIMEOUT=1 VIGIL_SERVER_HEADER_TIMEOUT=3600 start_server
python3 - "$(port)" >"$T_DIR/silent.out" 2>&1 <<'EOF'
import selectors, socket, sys, time
port = int(sys.argv[1])
def check(ok, desc):
    print(("ok - " if ok else "FAIL - ") + desc)
silent = socket.create_connection(("127.0.0.1", port))
talker = socket.create_connection(("127.0.0.1", port))
talker.sendall(b"GET /api/v1/health HTTP/1.1\r\n")
sel = selectors.DefaultSelector()
sel.register(silent, selectors.EVENT_READ)
got = sel.select(timeout=30)  # bound on a failure; the cut comes after 1 s
check(bool(got) and silent.recv(10) == b"", "a connection that sent nothing is closed")
talker.setblocking(False)
try:
    talker.recv(10)
    alive = False
except BlockingIOError:
    alive = True
check(alive, "one that sent part of its headers is still open")
talker.setblocking(True)
talker.settimeout(10)
talker.sendall(b"Host: x\r\nConnection: close\r\n\r\n")
check(talker.recv(100).startswith(b"HTTP/1.1 200"), "... and is answered when it finishes them")
EOF
tally "$T_DIR/silent.out"
check_contains "/metrics counts them" "$(curl -s -H "X-Api-Key: $ADM" "$BASE/metrics")" 'vigil_http_refused_total{reason="silent"} 1'
stop_server

# ---- memory of 1,000 kept-alive connections, each after one request ----
start_server
python3 - "$(port)" "$T_SERVER_PID" >"$T_DIR/mem.out" 2>&1 <<'EOF'
import resource, socket, sys
port, pid = int(sys.argv[1]), int(sys.argv[2])
def check(ok, desc):
    print(("ok - " if ok else "FAIL - ") + desc)
def rss():
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
def request(s):
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        d = s.recv(65536)
        if not d:
            break
        data += d
    return data
warm = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
for s in warm:
    request(s)
before = rss()
socks = []
for i in range(1000):
    s = socket.create_connection(("127.0.0.1", port), source_address=("127.0.%d.%d" % (5 + i // 200, 1 + i % 200), 0))
    s.settimeout(10)
    request(s)
    socks.append(s)
after = rss()
grow = after - before
check(grow < 1000 * 64, "1000 kept-alive connections grew RSS by %d kB (bound 64 kB each)" % grow)
for s in socks + warm:
    s.close()
EOF
tally "$T_DIR/mem.out"
stop_server

# ---- the open-file limit: soft raised to hard; server.max_conns fitted ----
HARD=$(ulimit -H -n)
if [ "$HARD" != unlimited ] && [ "$HARD" -gt 600 ]; then
	rm -f "$T_DIR/port"
	(ulimit -S -n 512 && exec "$VIGIL" serve --listen 127.0.0.1:0 --port-file "$T_DIR/port") >"$T_DIR/server.log" 2>&1 &
	T_SERVER_PID=$!
	i=0
	while [ ! -s "$T_DIR/port" ] && [ $i -lt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	check_eq "soft open-file limit raised to the hard one" \
		"$(awk '/^Max open files/ { print $4 "/" $5 }' "/proc/$T_SERVER_PID/limits")" "$HARD/$HARD"
	stop_server
fi
rm -f "$T_DIR/port"
(ulimit -n 400 && exec "$VIGIL" serve --listen 127.0.0.1:0 --port-file "$T_DIR/port") >"$T_DIR/server.log" 2>&1 &
T_SERVER_PID=$!
i=0
while [ ! -s "$T_DIR/port" ] && [ $i -lt 200 ]; do
	i=$((i + 1))
	sleep 0.05
done
BASE="http://127.0.0.1:$(port)"
check_eq "a server under 400 open files serves" "$(http GET /api/v1/health)" 200
check_contains "... and says server.max_conns was fitted to the limit" "$(cat "$T_DIR/server.log")" \
	"server.max_conns 16384 does not fit in the open-file limit (RLIMIT_NOFILE 400"
stop_server
finish
