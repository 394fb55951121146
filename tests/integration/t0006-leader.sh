#!/bin/sh
# Several servers on one PostgreSQL database: background jobs run on exactly
# one elected leader, and another server takes over when it stops.
# On SQLite the single process is always the leader.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
export VIGIL_JOBS_TICK=1

TOK=$(admin_token) # the details of /api/v1/health are for callers with credentials
H="Authorization: Bearer $TOK"
start_server
A_PID=$T_SERVER_PID
A=$BASE
sleep 1.5
check_eq "first server is leader" "$(curl -s -H "$H" "$A/api/v1/health" | jq -r .leader)" "true"

if [ -z "${VIGIL_TEST_PG:-}" ]; then
	echo "# SQLite: one process, always the leader"
	finish
	exit $?
fi

T_SERVER_PID=""
start_server
B_PID=$T_SERVER_PID
B=$BASE
sleep 2.5
check_eq "second server is not leader" "$(curl -s -H "$H" "$B/api/v1/health" | jq -r .leader)" "false"
check_eq "both serve requests" "$(curl -s -H "$H" "$B/api/v1/health" | jq -r .status)" "ok"
check_eq "both share the database" "$(curl -s -H "$H" "$A/api/v1/health" | jq -r .backend)" "postgresql"

kill -TERM "$A_PID"
wait "$A_PID"
i=0
while [ $i -lt 50 ] && [ "$(curl -s -H "$H" "$B/api/v1/health" | jq -r .leader)" != true ]; do
	sleep 0.2
	i=$((i + 1))
done
check_eq "second server takes over" "$(curl -s -H "$H" "$B/api/v1/health" | jq -r .leader)" "true"
T_SERVER_PID=$B_PID
finish
