#!/bin/sh
# The re-signing job: a timestamp past half its lifetime is signed again by
# the leader's job when `vigil serve` starts (as after downtime) and not again
# while it is fresh; on PostgreSQL with two servers exactly one re-signs.
# Clocks are moved with VIGIL_NOW, never waited for.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
export VIGIL_JOBS_TICK=1

for n in r1 tg sn ts; do
	"$VIGIL" signer keygen "$n" --software "$T_DIR/$n.key" --algorithm ed25519 >/dev/null || exit 1
done
ok "init" "$VIGIL" tuf init --root-signers r1 --root-threshold 1 --targets-signer tg \
	--snapshot-signer sn --timestamp-signer ts --expiry timestamp=1d,snapshot=7d

NOW=$(date +%s)
at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
resigns() { db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'tuf.resign'"; }
ts_version() { db_sql "SELECT MAX(version) FROM tuf_metadata WHERE role = 'timestamp'"; }
# wait_resigns N: until N re-sign records exist (at most 10 s).
wait_resigns() {
	i=0
	while [ "$(resigns)" -lt "$1" ] && [ $i -lt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
}

check_eq "nothing due at first" "$("$VIGIL" tuf resign)" "0 roles signed again"
check_eq "not due with 13 h of 24 left" "$(VIGIL_NOW=$(at $((NOW + 11 * 3600))) "$VIGIL" tuf resign)" "0 roles signed again"

# 20 hours later: the timestamp has 4 of its 24 hours left.
T1=$((NOW + 20 * 3600))
VIGIL_NOW=$(at $T1) start_server
wait_resigns 1
check_eq "the job re-signed the timestamp on start" "$(resigns)" "1"
check_eq "as version 2" "$(ts_version)" "2"
check_eq "valid for a day from then" "$(db_sql "SELECT expires_at - $T1 FROM tuf_metadata WHERE role = 'timestamp' AND version = 2")" "86400"
check_eq "the snapshot (4 of 7 days left) was not due" "$(db_sql "SELECT MAX(version) FROM tuf_metadata WHERE role = 'snapshot'")" "1"
check_contains "served at once" "$(curl -s "$BASE/tuf/metadata/timestamp.json" | jq -r .signed.version)" "2"
sleep 2.5
check_eq "not again while fresh (several ticks later)" "$(resigns) $(ts_version)" "1 2"
stop_server

# Past the snapshot's half life too: both signed again, snapshot first.
T2=$((NOW + 5 * 86400))
VIGIL_NOW=$(at $T2) start_server
wait_resigns 2
check_eq "snapshot and timestamp re-signed" "$(db_sql "SELECT MAX(version) FROM tuf_metadata WHERE role = 'snapshot'") $(ts_version)" "2 3"
check_eq "the timestamp lists the new snapshot" "$(curl -s "$BASE/tuf/metadata/timestamp.json" | jq -r '.signed.meta["snapshot.json"].version')" "2"
stop_server

if [ -z "${VIGIL_TEST_PG:-}" ]; then
	echo "# SQLite: one process; two servers on PostgreSQL only"
	finish
	exit $?
fi

# Two servers on one PostgreSQL, the timestamp due again: exactly one re-signs.
T3=$((T2 + 20 * 3600))
export VIGIL_NOW=$(at $T3)
start_server
A_PID=$T_SERVER_PID
cp "$T_DIR/server.log" "$T_DIR/a.log" 2>/dev/null
T_SERVER_PID=""
start_server
B_PID=$T_SERVER_PID
wait_resigns 3
sleep 2.5
check_eq "exactly one re-sign record from two servers" "$(resigns)" "3"
check_eq "one new timestamp version" "$(ts_version)" "4"
kill -TERM "$A_PID" 2>/dev/null
wait "$A_PID" 2>/dev/null
stop_server
unset VIGIL_NOW
finish
