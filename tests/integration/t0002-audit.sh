#!/bin/sh
# The audit trail: every change recorded with actor, before and after;
# `vigil audit verify` catches records altered, removed or reordered.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db

VIGIL_PASSWORD=pw-alice-123 "$VIGIL" user add alice --role psirt >/dev/null
VIGIL_ACTOR=bob "$VIGIL" token create --name ci-main --role ci --product "*" >"$T_DIR/ci.tok" 2>/dev/null
"$VIGIL" token revoke ci-main >/dev/null
"$VIGIL" user disable alice >/dev/null

M=$("$VIGIL" audit log --json | jq '[.[] | select(.action == "schema.migrate")] | length')
check_eq "verify intact" "$(run_cmd "$VIGIL" audit verify)" 0
check_contains "verify counts records" "$(cat "$T_DIR/out")" "intact: $((M + 4)) records"
"$VIGIL" audit log --json >"$T_DIR/all.json"
check_eq "records numbered without gaps" "$(jq -r '[.[].seq] == [range(1; length + 1)]' "$T_DIR/all.json")" "true"
check_eq "migrations recorded first" "$(jq -r "[.[0:$M][].action] | unique | join(\",\")" "$T_DIR/all.json")" "schema.migrate"
jq "[.[$M:][]]" "$T_DIR/all.json" >"$T_DIR/log.json"
check_eq "actor recorded" "$(jq -r '.[1].actor' "$T_DIR/log.json")" "bob"
check_eq "action recorded" "$(jq -r '.[2].action' "$T_DIR/log.json")" "token.revoke"
check_eq "before recorded" "$(jq -r '.[3].before.disabled' "$T_DIR/log.json")" "false"
check_eq "after recorded" "$(jq -r '.[3].after.disabled' "$T_DIR/log.json")" "true"
check_eq "first record links to zero hash" "$(jq -r '.[0].prev_hash' "$T_DIR/all.json")" \
	"0000000000000000000000000000000000000000000000000000000000000000"
check_eq "chain links" "$(jq -r '[range(1; length) as $i | .[$i].prev_hash == .[$i - 1].hash] | all' "$T_DIR/all.json")" "true"
check_not_contains "no token value in the log" "$(cat "$T_DIR/log.json")" "$(cat "$T_DIR/ci.tok")"
check_not_contains "no token hash in the log" "$(cat "$T_DIR/log.json")" "$(printf '%s' "$(cat "$T_DIR/ci.tok")" | sha256sum | cut -c1-64)"
check_not_contains "no password hash in the log" "$(cat "$T_DIR/log.json")" "argon2"

# Filters.
check_eq "--actor" "$("$VIGIL" audit log --actor bob --json | jq length)" 1
check_eq "--object TYPE:ID" "$("$VIGIL" audit log --object token:ci-main --json | jq length)" 2
check_eq "--object TYPE" "$("$VIGIL" audit log --object user --json | jq length)" 2
check_eq "--since in the future" "$("$VIGIL" audit log --since 2999-01-01T00:00:00Z --json | jq length)" 0
check_eq "--until in the past" "$("$VIGIL" audit log --until 2000-01-01T00:00:00Z --json | jq length)" 0
check_eq "--since bad time is a usage error" "$(run_cmd "$VIGIL" audit log --since yesterday)" 2

# Tampering: edit a record directly in the database.
db_sql "UPDATE audit_log SET after_json = '{\"name\":\"ci-main\",\"prefix\":\"vgl_x\",\"role\":\"admin\"}' WHERE seq = $((M + 2))"
check_eq "altered record: verify exits 1" "$(run_cmd "$VIGIL" audit verify)" 1
check_contains "altered record named" "$(cat "$T_DIR/out")" "first bad sequence number: $((M + 2))"
check_eq "--json reports the bad seq" "$("$VIGIL" audit verify --json | jq -r '.first_bad_seq')" $((M + 2))

# Restore, then remove a record.
fresh_db
VIGIL_PASSWORD=pw-alice-123 "$VIGIL" user add alice --role psirt >/dev/null
"$VIGIL" token create --name t1 --role ci --product "*" >/dev/null 2>&1
"$VIGIL" token create --name t2 --role ci --product "*" >/dev/null 2>&1
check_eq "verify intact again" "$(run_cmd "$VIGIL" audit verify)" 0
db_sql "DELETE FROM audit_log WHERE seq = $((M + 2))"
check_eq "removed record: verify exits 1" "$(run_cmd "$VIGIL" audit verify)" 1
check_contains "removed record named" "$(cat "$T_DIR/out")" "first bad sequence number: $((M + 2))"

# Reorder: swap the contents of two records (keeping sequence numbers).
fresh_db
VIGIL_PASSWORD=pw-alice-123 "$VIGIL" user add alice --role psirt >/dev/null
"$VIGIL" token create --name t1 --role ci --product "*" >/dev/null 2>&1
"$VIGIL" token create --name t2 --role ci --product "*" >/dev/null 2>&1
db_sql "UPDATE audit_log SET seq = 100 WHERE seq = $((M + 2))"
db_sql "UPDATE audit_log SET seq = $((M + 2)) WHERE seq = $((M + 3))"
db_sql "UPDATE audit_log SET seq = $((M + 3)) WHERE seq = 100"
check_eq "reordered records: verify exits 1" "$(run_cmd "$VIGIL" audit verify)" 1
check_contains "reordered record named" "$(cat "$T_DIR/out")" "first bad sequence number: $((M + 2))"

# Removing the last record and re-hashing is caught only by checkpoints (later);
# removing the first record is caught.
fresh_db
"$VIGIL" token create --name t1 --role ci --product "*" >/dev/null 2>&1
db_sql "DELETE FROM audit_log WHERE seq = 1"
check_eq "removed first record: verify exits 1" "$(run_cmd "$VIGIL" audit verify)" 1
check_contains "removed first record named" "$(cat "$T_DIR/out")" "first bad sequence number: 1"
finish
