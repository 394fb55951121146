# lib.sh - helpers for integration tests (sourced by tests/integration/t*.sh).
#
# Environment (set by ctest / scripts/test.sh):
#   VIGIL              path of the vigil binary
#   VIGIL_SOURCE_DIR   the source tree
#   VIGIL_SHARED_DATA  ../shared/data
#   VIGIL_TEST_PG      when set, an admin URL of a throw-away PostgreSQL: every
#                      test then runs on its own fresh database there.
#
# Each test: `. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"`, then fresh_db,
# then checks with ok / check_eq / check_contains / check_status, and `finish`
# at the end (prints "N passed, N failed" and exits non-zero on failure).

set -u
# Debian's tools first (scripts/deps.sh installs them): a version manager's
# python3 shim ahead of /usr/bin in PATH costs half a second a start.
PATH=/usr/bin:/bin:$PATH
export PATH
: "${VIGIL:?VIGIL must name the binary}"
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vigil-t.XXXXXX")
export VIGIL_SECRETS_KEY_FILE="$T_DIR/secret.key" # the server key of this test, never the home folder's
T_PASS=0
T_FAIL=0
T_SERVER_PID=""
T_PGDB=""
export VIGIL_ACTOR="${VIGIL_ACTOR:-test}"
unset VIGIL_NOW

t_cleanup() {
	if [ -n "$T_SERVER_PID" ]; then
		kill -TERM "$T_SERVER_PID" 2>/dev/null
		wait "$T_SERVER_PID" 2>/dev/null
	fi
	if [ -n "$T_PGDB" ]; then
		psql "$VIGIL_TEST_PG" -q -c "DROP DATABASE IF EXISTS $T_PGDB WITH (FORCE)" >/dev/null 2>&1
	fi
	rm -rf "$T_DIR"
}
trap t_cleanup EXIT

# softhsm_token LABEL PIN: a SoftHSM2 token of this test only (its own
# SOFTHSM2_CONF and token folder under $T_DIR), its PIN in $T_DIR/pin (mode
# 600), VIGIL_PKCS11_PIN unset; sets MODULE to the SoftHSM2 module.
softhsm_token() {
	command -v softhsm2-util >/dev/null || { echo "softhsm2-util missing (scripts/deps.sh)"; exit 1; }
	MODULE=/usr/lib/softhsm/libsofthsm2.so
	mkdir -p "$T_DIR/hsm/tokens"
	printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
		"$T_DIR/hsm/tokens" >"$T_DIR/hsm/softhsm2.conf"
	SOFTHSM2_CONF="$T_DIR/hsm/softhsm2.conf"
	export SOFTHSM2_CONF
	softhsm2-util --init-token --free --label "$1" --pin "$2" --so-pin 5678 >/dev/null ||
		{ echo "softhsm2-util --init-token failed"; exit 1; }
	printf '%s\n' "$2" >"$T_DIR/pin"
	chmod 600 "$T_DIR/pin"
	unset VIGIL_PKCS11_PIN
}

# fresh_db: point VIGIL_DB at a new, empty database of the backend under test.
fresh_db() {
	if [ -n "$T_PGDB" ]; then
		psql "$VIGIL_TEST_PG" -q -c "DROP DATABASE IF EXISTS $T_PGDB WITH (FORCE)" >/dev/null 2>&1
		T_PGDB=""
	fi
	rm -f "$T_DIR/vigil.db" "$T_DIR/vigil.db-wal" "$T_DIR/vigil.db-shm" "$T_DIR/admin.tok"
	if [ -n "${VIGIL_TEST_PG:-}" ]; then
		T_PGDB="vigil_t_$$_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
		psql "$VIGIL_TEST_PG" -q -c "CREATE DATABASE $T_PGDB" >/dev/null || exit 1
		VIGIL_DB="${VIGIL_TEST_PG%/*}/$T_PGDB"
	else
		VIGIL_DB="$T_DIR/vigil.db"
	fi
	export VIGIL_DB
	"$VIGIL" init >/dev/null || { echo "init failed"; exit 1; }
}

# db_sql SQL: run SQL directly against the test database (to tamper with it).
db_sql() {
	if [ -n "${VIGIL_TEST_PG:-}" ]; then
		psql "$VIGIL_DB" -qAt -c "$1"
	else
		# wait for a write the server is making (its jobs write at start)
		# instead of failing at once with "database is locked"
		sqlite3 -cmd ".timeout 10000" "$VIGIL_DB" "$1"
	fi
}

# start_server [ARGS]: run `vigil serve` on a free port; sets BASE.
start_server() {
	rm -f "$T_DIR/port"
	"$VIGIL" serve --listen 127.0.0.1:0 --port-file "$T_DIR/port" "$@" >"$T_DIR/server.log" 2>&1 &
	T_SERVER_PID=$!
	i=0
	while [ ! -s "$T_DIR/port" ]; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$T_SERVER_PID" 2>/dev/null; then
			echo "server did not start:"
			cat "$T_DIR/server.log"
			exit 1
		fi
		sleep 0.05
	done
	BASE="http://127.0.0.1:$(cat "$T_DIR/port")"
	export BASE
}

stop_server() {
	if [ -n "$T_SERVER_PID" ]; then
		kill -TERM "$T_SERVER_PID" 2>/dev/null
		wait "$T_SERVER_PID" 2>/dev/null
		T_SERVER_PID=""
	fi
}

# admin_token: create (once) an admin token and print it.
admin_token() {
	if [ ! -s "$T_DIR/admin.tok" ]; then
		"$VIGIL" token create --name "t-admin" --role admin >"$T_DIR/admin.tok" 2>/dev/null
	fi
	cat "$T_DIR/admin.tok"
}

ok() {
	desc=$1
	shift
	if "$@" >"$T_DIR/ok.out" 2>&1; then
		T_PASS=$((T_PASS + 1))
		echo "ok - $desc"
	else
		T_FAIL=$((T_FAIL + 1))
		echo "FAIL - $desc"
		sed 's/^/    /' "$T_DIR/ok.out" | head -20
	fi
}

not_ok() {
	desc=$1
	shift
	if "$@" >"$T_DIR/ok.out" 2>&1; then
		T_FAIL=$((T_FAIL + 1))
		echo "FAIL - $desc (command succeeded, expected failure)"
	else
		T_PASS=$((T_PASS + 1))
		echo "ok - $desc"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		T_PASS=$((T_PASS + 1))
		echo "ok - $1"
	else
		T_FAIL=$((T_FAIL + 1))
		echo "FAIL - $1: expected '$3', got '$2'"
	fi
}

check_contains() {
	case $2 in
	*"$3"*)
		T_PASS=$((T_PASS + 1))
		echo "ok - $1"
		;;
	*)
		T_FAIL=$((T_FAIL + 1))
		echo "FAIL - $1: '$3' not in:"
		printf '%s\n' "$2" | head -10 | sed 's/^/    /'
		;;
	esac
}

check_not_contains() {
	case $2 in
	*"$3"*)
		T_FAIL=$((T_FAIL + 1))
		echo "FAIL - $1: '$3' must not appear"
		;;
	*)
		T_PASS=$((T_PASS + 1))
		echo "ok - $1"
		;;
	esac
}

# tally FILE: show the "ok - " / "FAIL - " lines a helper program wrote
# (one check each, as above) and add them to this test's counts.
tally() {
	cat "$1"
	T_PASS=$((T_PASS + $(grep -c '^ok - ' "$1")))
	T_FAIL=$((T_FAIL + $(grep -c '^FAIL - ' "$1")))
}

# http METHOD PATH [curl args...]: prints the status code; body in $T_DIR/body.
http() {
	m=$1
	p=$2
	shift 2
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -X "$m" "$@" "$BASE$p"
}

body() {
	cat "$T_DIR/body"
}

# run_cmd CMD...: run, keep stdout in $T_DIR/out, stderr in $T_DIR/err, print exit code.
run_cmd() {
	"$@" >"$T_DIR/out" 2>"$T_DIR/err"
	echo $?
}

finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
