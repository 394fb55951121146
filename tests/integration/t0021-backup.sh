#!/bin/sh
# Backup and restore (issue 24 item 5): `vigil backup -o FILE` taken while a
# server imports SBOMs restores into an empty database with its artifacts,
# `vigil audit verify` passes and the restore is recorded as backup.restored;
# a non-empty database, a truncated backup, a backup of a newer format or
# schema, an altered member and a missing master key are refused with a
# sentence and nothing changed.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1
command -v zstd >/dev/null || { echo "zstd missing (scripts/deps.sh)"; exit 1; }

# new_db NAME: print the URL of a new, empty database (no `vigil init`).
new_db() {
	if [ -n "${VIGIL_TEST_PG:-}" ]; then
		n="${T_PGDB}_$1"
		psql "$VIGIL_TEST_PG" -q -c "DROP DATABASE IF EXISTS $n WITH (FORCE)" -c "CREATE DATABASE $n" >/dev/null || exit 1
		echo "${VIGIL_TEST_PG%/*}/$n"
	else
		echo "$T_DIR/$1.db"
	fi
}
drop_dbs() {
	[ -n "${VIGIL_TEST_PG:-}" ] || return 0
	for n in r1 r2 r3 r4 r5; do
		psql "$VIGIL_TEST_PG" -q -c "DROP DATABASE IF EXISTS ${T_PGDB}_$n WITH (FORCE)" >/dev/null 2>&1
	done
}
# sqlq URL SQL: one value from the database at URL
sqlq() {
	if [ -n "${VIGIL_TEST_PG:-}" ]; then psql "$1" -qAt -c "$2"; else sqlite3 "$1" "$2"; fi
}

fresh_db
SRC_DB=$VIGIL_DB
export VIGIL_UPDATE_ARTIFACT_STORE=dir
export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts"
TARGET=$("$VIGIL" init --json | jq -r .schema_version)

# Data of several rooms: a product with an SBOM, a release with an artifact.
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"zlib","version":"1.2.13","purl":"pkg:generic/zlib@1.2.13"}]}' >bom.json
"$VIGIL" product create fw >/dev/null
"$VIGIL" sbom import bom.json --product fw --version 1.0 >/dev/null
"$VIGIL" release create --product fw --version 1.0 >/dev/null
head -c 300000 /dev/urandom >fw.img
check_eq "an artifact uploaded to the directory store" "$(run_cmd "$VIGIL" release upload fw@1.0 fw.img)" 0
ART_SHA=$(sha256sum fw.img | cut -c1-64)
ADM=$(admin_token)
CI=$("$VIGIL" token create --name ci --role ci --product '*' 2>/dev/null)

# A server importing SBOMs while the backup is taken.
start_server
cat >load.sh <<'EOF'
i=0
while [ ! -e "$T_DIR/stop" ]; do
	i=$((i + 1))
	printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"lib%s","version":"1.%s"}]}' "$i" "$i" >"$T_DIR/load.json"
	curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "X-Api-Key: $CI" --data-binary @"$T_DIR/load.json" \
		"$BASE/api/v1/products/fw/versions/2.$i/sboms" >>"$T_DIR/load.codes"
done
EOF
T_DIR=$T_DIR CI=$CI BASE=$BASE sh load.sh &
LOAD=$!
# wait until imports are flowing, then back up twice in the middle of them
i=0
while [ "$(cat load.codes 2>/dev/null | grep -c 201)" -lt 5 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
check_eq "backup while the server imports" "$(run_cmd "$VIGIL" backup -o "$T_DIR/live.vbk" --json)" 0
cp out backup.json
BEFORE=$(grep -c 201 load.codes)
check_eq "a second backup while the server imports" "$(run_cmd "$VIGIL" backup -o "$T_DIR/live2.vbk")" 0
check_contains "the backup says the master key is kept apart" "$(cat out)" "not in the backup"
touch stop
wait $LOAD
AFTER=$(grep -c 201 load.codes)
stop_server
ok "imports went on during the backups ($BEFORE, then $AFTER)" test "$AFTER" -gt "$BEFORE"
check_eq "no import failed" "$(grep -vc 201 load.codes)" 0
check_eq "an existing file is never overwritten" "$(run_cmd "$VIGIL" backup -o "$T_DIR/live.vbk")" 1
check_contains "... with a sentence" "$(cat err)" "exists already"
check_eq "-o is required" "$(run_cmd "$VIGIL" backup)" 2
check_eq "the backup file is private (0600)" "$(stat -c %a live.vbk)" 600

# The file: a zstd tar whose first member is the manifest.
check_eq "manifest first" "$(tar --zstd -tf live.vbk | head -1)" manifest.json
tar --zstd -xOf live.vbk manifest.json >manifest.json
check_eq "manifest: format" "$(jq -r '.format + " " + (.format_version | tostring)' manifest.json)" "vigil-backup 1"
check_eq "manifest: schema version" "$(jq -r .schema_version manifest.json)" "$TARGET"
check_eq "manifest: the artifact with its SHA-256" "$(jq -r --arg s "$ART_SHA" '[.files[] | select(.sha256 == $s)] | length' manifest.json)" 1
check_eq "manifest: no key by default" "$(jq -r '.master_key_included' manifest.json)" false
check_eq "manifest: every member with a SHA-256" "$(jq -r '[.files[] | .sha256 | test("^[0-9a-f]{64}$")] | all' manifest.json)" true
HEAD_SEQ=$(jq -r .audit_head.seq manifest.json)
HEAD_HASH=$(jq -r .audit_head.hash manifest.json)

# Restore into an empty database.
R1=$(new_db r1)
rm -rf "$T_DIR/artifacts"
check_eq "restore into an empty database" "$(run_cmd "$VIGIL" --db "$R1" restore live.vbk --json)" 0
cat err
check_eq "restore reports the head" "$(jq -r .audit_head out)" "$HEAD_SEQ"
check_eq "audit verify passes after the restore" "$(run_cmd "$VIGIL" --db "$R1" audit verify)" 0
check_eq "the head is the manifest's" "$(sqlq "$R1" "SELECT hash FROM audit_log WHERE seq = $HEAD_SEQ")" "$HEAD_HASH"
check_eq "the restore recorded as backup.restored right after the head" \
	"$(sqlq "$R1" "SELECT action FROM audit_log WHERE seq = $((HEAD_SEQ + 1))")" "backup.restored"
"$VIGIL" --db "$R1" audit log --json | jq '[.[] | select(.action == "backup.restored")][0]' >restored.json
check_eq "backup.restored names the file and the head" "$(jq -r '.after.file + " " + (.after.audit_head.seq | tostring)' restored.json)" "live.vbk $HEAD_SEQ"
# consistent: exactly the SBOMs whose import records are in the copied trail
check_eq "nothing after the head but the restore" "$(sqlq "$R1" "SELECT MAX(seq) FROM audit_log")" "$((HEAD_SEQ + 1))"
IMPORTS=$(sqlq "$R1" "SELECT COUNT(*) FROM audit_log WHERE action = 'sbom.import'")
check_eq "one consistent state: SBOMs = their import records" "$(sqlq "$R1" "SELECT COUNT(*) FROM sboms")" "$IMPORTS"
ok "the backup holds imports made while it ran" test "$IMPORTS" -gt 1
check_eq "the artifact is back in the directory store" "$(sha256sum "$T_DIR/artifacts/$(echo "$ART_SHA" | cut -c1-2)/$ART_SHA" | cut -c1-64)" "$ART_SHA"
check_eq "the artifact reads back through vigil" "$(run_cmd "$VIGIL" --db "$R1" release show fw@1.0 --json)" 0
SBOM_ID=$(sqlq "$R1" "SELECT s.id FROM sboms s JOIN product_versions v ON v.id = s.version_id WHERE v.version = '1.0'")
check_eq "the SBOM original reads back" "$(run_cmd "$VIGIL" --db "$R1" sbom get "$SBOM_ID" --original -o orig.json)" 0
check_eq "... byte for byte" "$(cmp -s orig.json bom.json && echo same)" same

# A non-empty database is refused and left as it was.
N=$(sqlq "$R1" "SELECT COUNT(*) FROM audit_log")
check_eq "restore into a database with data refused" "$(run_cmd "$VIGIL" --db "$R1" restore live2.vbk)" 1
check_contains "... naming the database" "$(cat err)" "is not empty"
check_eq "... nothing changed" "$(sqlq "$R1" "SELECT COUNT(*) FROM audit_log")" "$N"
check_eq "restore into the source database refused" "$(run_cmd "$VIGIL" --db "$SRC_DB" restore live2.vbk)" 1

# Truncated backups: cut at several places, each refused with a sentence,
# the target database left empty.
SIZE=$(stat -c %s live.vbk)
for cut in 10 600 $((SIZE / 2)) $((SIZE - 40)); do
	head -c "$cut" live.vbk >cut.vbk
	R=$(new_db r2)
	check_eq "truncated at $cut of $SIZE bytes refused" "$(run_cmd "$VIGIL" --db "$R" restore cut.vbk)" 1
	check_contains "... saying truncated" "$(cat err)" "truncated"
	check_eq "... the database still empty" "$(if [ -n "${VIGIL_TEST_PG:-}" ]; then psql "$R" -qAt -c "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"; else [ -s "$R" ] && sqlite3 "$R" "SELECT COUNT(*) FROM sqlite_master" || echo 0; fi)" 0
	rm -f "$T_DIR/r2.db"
done
check_eq "not a backup refused" "$(run_cmd "$VIGIL" --db "$(new_db r2)" restore bom.json)" 1
check_contains "... with a sentence" "$(cat err)" "not a vigil backup"
rm -f "$T_DIR/r2.db"

# repack DIR FILE: a backup from an unpacked tree, the manifest first
repack() { (cd "$1" && tar --zstd -cf "$2" manifest.json $(jq -r '.files[].name' manifest.json)); }
mkdir x && tar --zstd -xf live.vbk -C x
jq '.format_version = 2 | .vigil_version = "9.0.0"' x/manifest.json >m && mv m x/manifest.json
repack x "$T_DIR/newer.vbk"
check_eq "a backup of a newer format refused" "$(run_cmd "$VIGIL" --db "$(new_db r2)" restore newer.vbk)" 1
check_contains "... naming the version to use" "$(cat err)" "restore it with vigil 9.0.0 or newer"
jq ".format_version = 1 | .schema_version = $((TARGET + 1))" x/manifest.json >m && mv m x/manifest.json
repack x "$T_DIR/newer-schema.vbk"
check_eq "a backup of a newer schema refused" "$(run_cmd "$VIGIL" --db "$(new_db r2)" restore newer-schema.vbk)" 1
check_contains "... with a sentence" "$(cat err)" "schema version $((TARGET + 1))"
jq ".schema_version = $TARGET" x/manifest.json >m && mv m x/manifest.json
printf 'x' >>"x/artifacts/$(echo "$ART_SHA" | cut -c1-2)/$ART_SHA"
repack x "$T_DIR/altered.vbk"
check_eq "an altered member refused" "$(run_cmd "$VIGIL" --db "$(new_db r2)" restore altered.vbk)" 1
check_contains "... naming it" "$(cat err)" "artifacts/"
rm -f "$T_DIR/r2.db"

# The master key: kept apart by default, so a restore without it is refused
# (unless --new-key); --with-key carries it.
R3=$(new_db r3)
check_eq "restore with another key file refused" "$(VIGIL_SECRETS_KEY_FILE=$T_DIR/other.key run_cmd "$VIGIL" --db "$R3" restore live.vbk)" 1
check_contains "... saying what to do" "$(cat err)" "copy the key file of the old installation"
check_eq "... the database still empty" "$(if [ -n "${VIGIL_TEST_PG:-}" ]; then psql "$R3" -qAt -c "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"; else [ -s "$R3" ] && sqlite3 "$R3" "SELECT COUNT(*) FROM sqlite_master" || echo 0; fi)" 0
rm -f "$T_DIR/r3.db"
check_eq "--new-key accepts a new key" "$(VIGIL_SECRETS_KEY_FILE=$T_DIR/other.key run_cmd "$VIGIL" --db "$(new_db r3)" restore live.vbk --new-key --json)" 0
check_eq "... and says so" "$(jq -r .master_key out)" "new key"
check_eq "backup --with-key" "$(run_cmd "$VIGIL" backup -o "$T_DIR/withkey.vbk" --with-key)" 0
check_eq "... the key in the file" "$(tar --zstd -tf withkey.vbk | grep -c '^secret.key$')" 1
check_eq "restore --with-key backup on a new host" "$(VIGIL_SECRETS_KEY_FILE=$T_DIR/host2.key run_cmd "$VIGIL" --db "$(new_db r4)" restore withkey.vbk --json)" 0
check_eq "... the key file installed, same bytes" "$(cmp -s "$T_DIR/host2.key" "$T_DIR/secret.key" && echo same)" same
check_eq "... mode 0600" "$(stat -c %a "$T_DIR/host2.key")" 600

# PostgreSQL: pg_dump older than the server is refused before anything runs.
if [ -n "${VIGIL_TEST_PG:-}" ]; then
	printf '#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n' >old-pg_dump
	chmod +x old-pg_dump
	check_eq "pg_dump older than the server refused" "$(VIGIL_BACKUP_PG_DUMP=$T_DIR/old-pg_dump run_cmd "$VIGIL" backup -o "$T_DIR/old.vbk")" 1
	check_contains "... naming both versions" "$(cat err)" "PostgreSQL 9, older than the server"
	ok "... and no file written" test ! -e old.vbk
fi

# The restore drill: the backup restored into a scratch database and
# checked, the result recorded as backup.drill in the live database (the
# readiness score's evidence); nothing installed into the live artifact store.
rm -rf "$T_DIR/artifacts"
if [ -n "${VIGIL_TEST_PG:-}" ]; then
	check_eq "a PostgreSQL drill without --into refused" "$(run_cmd "$VIGIL" --db "$SRC_DB" restore live.vbk --drill)" 1
	check_contains "... saying what to name" "$(cat err)" "--into URL"
	INTO="--into $(new_db r5)"
else
	INTO=""
fi
check_eq "restore --drill" "$(run_cmd "$VIGIL" --db "$SRC_DB" restore live.vbk --drill $INTO --json)" 0
check_eq "... reports a drill reaching the head" "$(jq -r '(.drill | tostring) + " " + (.audit_head | tostring)' out)" "true $HEAD_SEQ"
"$VIGIL" --db "$SRC_DB" audit log --json | jq '[.[] | select(.action == "backup.drill")] | sort_by(.seq) | last' >drill.json
check_eq "backup.drill recorded in the live database" "$(jq -r '.after.result + " " + .after.file + " " + (.after.audit_head | tostring)' drill.json)" "passed live.vbk $HEAD_SEQ"
check_eq "... with the records verified" "$(jq -r '.after.records > 0' drill.json)" true
ok "... the live artifact store untouched by the drill" test ! -e "$T_DIR/artifacts"
head -c 600 live.vbk >cut.vbk
check_eq "a drill of a damaged file fails" "$(run_cmd "$VIGIL" --db "$SRC_DB" restore cut.vbk --drill $INTO)" 1
check_contains "... with the reason" "$(cat err)" "truncated"
check_eq "... and the failure is recorded too" "$("$VIGIL" --db "$SRC_DB" audit log --json | jq -r '[.[] | select(.action == "backup.drill")] | map(.after.result) | sort | join(" ")')" "failed passed"
check_eq "--into without --drill refused" "$(run_cmd "$VIGIL" --db "$(new_db r2)" restore live.vbk --into x)" 2
rm -f "$T_DIR/r2.db"

# The source database still verifies and was not touched by the backups.
check_eq "source audit verify" "$(run_cmd "$VIGIL" --db "$SRC_DB" audit verify)" 0
check_eq "no backup.restored in the source" "$(sqlq "$SRC_DB" "SELECT COUNT(*) FROM audit_log WHERE action = 'backup.restored'")" 0
drop_dbs
finish
