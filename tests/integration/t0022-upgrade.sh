#!/bin/sh
# Upgrades (issue 24 item 6): a database built at every earlier schema
# version (one per migration file, with `vigil init --to N`), filled with data
# written at the schema of its time, upgrades to the current version with
# `vigil init`: the data is still there and readable by vigil, the data
# migrations did their work (0018: the unsalted reporter hash dropped,
# products not public), every migration is in the audit trail and
# `vigil audit verify` passes. A database newer than the binary is refused
# by `vigil serve` and the other commands with a sentence naming both
# versions; `vigil --version --json` names the schema version.
# vigil-test: long (minutes: ctest starts it first)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1

T=$("$VIGIL" --version --json | jq -r .schema_version)
check_eq "--version --json: the schema version is the highest migration file" "$T" \
	"$(ls "$VIGIL_SOURCE_DIR"/src/store/migrations/*.sql | sed 's|.*/0*\([0-9]*\)_.*|\1|' | sort -n | tail -1)"
check_contains "--version --json: build options" "$("$VIGIL" --version --json | jq -c .build)" '"type"'
check_contains "--version names the schema version" "$("$VIGIL" --version)" "schema version $T"
LEVELS=$(ls "$VIGIL_SOURCE_DIR"/src/store/migrations/*.sql | sed 's|.*/0*\([0-9]*\)_.*|\1|' | sort -n)
NMIG=$(echo "$LEVELS" | wc -l)

# One chain database walks the levels one migration at a time, filled with
# the data of each level as it passes; at each level a copy of it (SQLite:
# the backup API; PostgreSQL: CREATE DATABASE ... TEMPLATE) is upgraded.
if [ -n "${VIGIL_TEST_PG:-}" ]; then
	CHAIN_NAME="vigil_t_$$_chain"
	psql "$VIGIL_TEST_PG" -q -c "CREATE DATABASE $CHAIN_NAME" >/dev/null || exit 1
	CHAIN="${VIGIL_TEST_PG%/*}/$CHAIN_NAME"
	trap 'psql "$VIGIL_TEST_PG" -q -c "DROP DATABASE IF EXISTS $CHAIN_NAME WITH (FORCE)" >/dev/null 2>&1; t_cleanup' EXIT
else
	CHAIN="$T_DIR/chain.db"
fi
# copy_chain: point VIGIL_DB at a new copy of the chain database.
copy_chain() {
	if [ -n "${VIGIL_TEST_PG:-}" ]; then
		[ -z "$T_PGDB" ] || psql "$VIGIL_TEST_PG" -q -c "DROP DATABASE IF EXISTS $T_PGDB WITH (FORCE)" >/dev/null 2>&1
		T_PGDB="vigil_t_$$_copy"
		psql "$VIGIL_TEST_PG" -q -c "CREATE DATABASE $T_PGDB TEMPLATE $CHAIN_NAME" >/dev/null || exit 1
		VIGIL_DB="${VIGIL_TEST_PG%/*}/$T_PGDB"
	else
		rm -f "$T_DIR/vigil.db" "$T_DIR/vigil.db-wal" "$T_DIR/vigil.db-shm"
		sqlite3 "$CHAIN" ".backup '$T_DIR/vigil.db'" || exit 1
		VIGIL_DB="$T_DIR/vigil.db"
	fi
	export VIGIL_DB
}
# sqlv SQL [URL]: run SQL on VIGIL_DB (or URL), print the result
sqlv() {
	if [ -n "${VIGIL_TEST_PG:-}" ]; then psql "${2:-$VIGIL_DB}" -v ON_ERROR_STOP=1 -qAt -c "$1"; else sqlite3 -bail "${2:-$VIGIL_DB}" "$1"; fi
}

# fill K: data written at schema version K, as the vigil of that time would
# have stored it (only the columns that existed then).
fill() {
	case $1 in
	1) sqlv "INSERT INTO users (name, role, password_hash, created_at) VALUES ('old-admin', 'admin', 'x', 1600000000);
		INSERT INTO api_tokens (name, role, token_hash, prefix, created_at, created_by) VALUES ('old-ci', 'ci', 'h1', 'vgt_old', 1600000001, 'old-admin');
		INSERT INTO settings (key, value) VALUES ('upgrade.marker', 'kept');" "$CHAIN" ;;
	2) sqlv "INSERT INTO products (name, vendor, created_at) VALUES ('legacy', 'ACME', 1600000100);
		INSERT INTO product_versions (product_id, version, created_at) SELECT id, '1.0', 1600000101 FROM products WHERE name = 'legacy';" "$CHAIN" ;;
	3) sqlv "INSERT INTO vulnerabilities (id, summary, severity, modified, created_at, updated_at) VALUES ('CVE-2020-0001', 'old flaw', 'HIGH', 1600000200, 1600000200, 1600000200);" "$CHAIN" ;;
	5) sqlv "INSERT INTO psirt_cases (state, title, product, source, remote_sha256, received_at, ack_due_at, updated_at) VALUES ('received', 'old report', 'legacy', 'portal', 'deadbeef', 1600000300, 1600173100, 1600000300);" "$CHAIN" ;;
	esac
}
FILLS="1 2 3 5"

for L in $LEVELS; do
	[ "$L" -lt "$T" ] || continue
	if ! "$VIGIL" --db "$CHAIN" init --to "$L" --json >out 2>err; then
		check_eq "level $L: the chain database reaches schema version $L ($(cat err))" 1 0
		break
	fi
	case " $FILLS " in *" $L "*)
		if ! fill "$L" >/dev/null 2>err; then
			check_eq "level $L: data of schema $L written ($(cat err))" 1 0
			break
		fi ;;
	esac
	check_eq "level $L: a database at schema version $L" "$(jq -r .schema_version out)" "$L"
	copy_chain
	# the old database is refused by commands until upgraded
	check_eq "level $L: an old database refused before the upgrade" "$(run_cmd "$VIGIL" product list)" 1
	check_contains "level $L: ... saying run vigil init" "$(cat err)" "run 'vigil init'"
	check_eq "level $L: vigil init upgrades it" "$(run_cmd "$VIGIL" init --json)" 0
	check_eq "level $L: ... to schema version $T" "$(jq -r .schema_version out)" "$T"
	check_eq "level $L: audit verify passes" "$(run_cmd "$VIGIL" audit verify)" 0
	# the data, in one query (each connection costs on a loaded machine)
	got=$(sqlv "SELECT (SELECT COUNT(*) FROM audit_log WHERE action = 'schema.migrate')
		|| ' ' || (SELECT value FROM settings WHERE key = 'upgrade.marker')
		|| ' ' || (SELECT role FROM api_tokens WHERE name = 'old-ci')
		|| ' ' || (SELECT COUNT(*) FROM product_versions WHERE version = '1.0')
		|| ' ' || COALESCE((SELECT summary FROM vulnerabilities WHERE id = 'CVE-2020-0001'), '-')
		|| ' ' || COALESCE((SELECT reporter_addr_mac FROM psirt_cases WHERE title = 'old report'), 'null')
		|| ' ' || COALESCE((SELECT CAST(public AS TEXT) FROM products WHERE name = 'legacy'), '-')")
	want="$NMIG kept ci"
	if [ "$L" -ge 2 ]; then want="$want 1"; else want="$want 0"; fi
	if [ "$L" -ge 3 ]; then want="$want old flaw"; else want="$want -"; fi
	# 0018 dropped the unsalted reporter hash of a case written before it;
	# a product written before 0018 is not listed publicly
	want="$want null"
	if [ "$L" -ge 2 ]; then want="$want 0"; else want="$want -"; fi
	check_eq "level $L: every migration recorded once, the data kept, 0018's data migration done" "$got" "$want"
	check_eq "level $L: the user readable by vigil" "$("$VIGIL" user list --json | jq -r '.[] | select(.name == "old-admin") | .role')" admin
	if [ "$L" -ge 2 ]; then
		check_eq "level $L: the product readable by vigil" \
			"$("$VIGIL" product list --json | jq -r '.[] | select(.name == "legacy") | .vendor')" ACME
	fi
	if [ "$L" -ge 5 ]; then
		check_eq "level $L: the case readable by vigil" "$("$VIGIL" case list --json | jq -r '.[] | select(.title == "old report") | .state')" received
	fi
done

# A database newer than this vigil: refused with a sentence, nothing started.
fresh_db
sqlv "INSERT INTO vigil_schema (version, applied_at) VALUES ($((T + 1)), 0)" >/dev/null
check_eq "serve refuses a newer database" "$(run_cmd "$VIGIL" serve --listen 127.0.0.1:0 --port-file "$T_DIR/port")" 1
check_contains "... naming both versions" "$(cat err)" "schema version $((T + 1)), newer than this vigil ($T): upgrade vigil"
ok "... and never listened" test ! -s "$T_DIR/port"
check_eq "audit verify refuses it too" "$(run_cmd "$VIGIL" audit verify)" 1
check_eq "init does not touch it" "$(run_cmd "$VIGIL" init)" 1
check_contains "... saying so" "$(cat err)" "newer than this vigil"
finish
