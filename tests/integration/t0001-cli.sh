#!/bin/sh
# The program's shape: version, help, usage errors, global options, exit codes,
# and clear errors for unusable databases.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db

check_contains "--version prints the version" "$("$VIGIL" --version)" "vigil "
check_eq "help exits 0" "$(run_cmd "$VIGIL" help)" 0
check_contains "help lists the nouns" "$(cat "$T_DIR/out")" "audit"
check_eq "no arguments is a usage error" "$(run_cmd "$VIGIL")" 2
check_eq "unknown noun exits 2" "$(run_cmd "$VIGIL" frobnicate)" 2
check_contains "unknown noun is named" "$(cat "$T_DIR/err")" "'frobnicate' is not a vigil command"
check_eq "unknown verb exits 2" "$(run_cmd "$VIGIL" user frob)" 2
check_contains "unknown verb is named" "$(cat "$T_DIR/err")" "'frob' is not a verb of 'user'"
check_eq "unknown option exits 2" "$(run_cmd "$VIGIL" user list --bogus)" 2
check_contains "unknown option is named" "$(cat "$T_DIR/err")" "unknown option '--bogus'"
check_eq "missing option value exits 2" "$(run_cmd "$VIGIL" user add bob --role)" 2
check_eq "--help on a noun exits 0" "$(run_cmd "$VIGIL" token --help)" 0
check_contains "--help on a noun lists verbs" "$(cat "$T_DIR/out")" "revoke"
check_eq "--help on a verb exits 0" "$(run_cmd "$VIGIL" token create --help)" 0
check_contains "--help on a verb shows usage" "$(cat "$T_DIR/out")" "--name NAME --role ROLE"
check_eq "help NOUN works" "$(run_cmd "$VIGIL" help audit)" 0
check_contains "help NOUN lists verbs" "$(cat "$T_DIR/out")" "verify"
check_eq "bad role exits 2" "$(VIGIL_PASSWORD=abcdefgh12 run_cmd "$VIGIL" user add bob --role king)" 2

# --db anywhere on the line, and the VIGIL_DB environment variable.
check_eq "user add" "$(VIGIL_PASSWORD=abcdefgh12 run_cmd "$VIGIL" user add alice --role psirt)" 0
check_eq "--db after the verb" "$(run_cmd "$VIGIL" user list --db "$VIGIL_DB" --json)" 0
check_eq "--json is valid JSON" "$(jq -r '.[0].name' "$T_DIR/out")" "alice"
check_eq "token list --json" "$(run_cmd "$VIGIL" token list --json)" 0
check_eq "token list --json is an array" "$(jq -r 'type' "$T_DIR/out")" "array"
check_eq "audit log --json" "$(run_cmd "$VIGIL" audit log --json)" 0
check_eq "routes --json" "$(run_cmd "$VIGIL" routes --json)" 0
check_eq "routes --json lists health" "$(jq -r '[.[] | select(.path=="/api/v1/health")] | length' "$T_DIR/out")" 1

# Unusable databases: one sentence naming the URL, never the password; exit 1.
check_eq "unreachable PostgreSQL exits 1" \
	"$(run_cmd "$VIGIL" --db 'postgresql://vigil:s3cretpw@127.0.0.1:1/vigil' init)" 1
check_contains "error names the URL" "$(cat "$T_DIR/err")" "postgresql://vigil:***@127.0.0.1:1/vigil"
check_not_contains "error hides the password" "$(cat "$T_DIR/err")" "s3cretpw"
check_eq "error is one line" "$(wc -l <"$T_DIR/err" | tr -d ' ')" 1
check_eq "missing folder exits 1" "$(run_cmd "$VIGIL" --db "$T_DIR/nope/x.db" init)" 1
check_contains "missing folder is named" "$(cat "$T_DIR/err")" "$T_DIR/nope"
printf 'this is not a database, just text that is long enough to look like a header....\n' >"$T_DIR/junk.db"
check_eq "a non-database file exits 1" "$(run_cmd "$VIGIL" --db "$T_DIR/junk.db" init)" 1
check_contains "non-database error names the file" "$(cat "$T_DIR/err")" "junk.db"

# Newer schema than this binary: refused with a sentence, nothing changed.
if [ -z "${VIGIL_TEST_PG:-}" ]; then
	cp "$VIGIL_DB" "$T_DIR/newer.db"
	sqlite3 "$T_DIR/newer.db" "INSERT INTO vigil_schema (version, applied_at) VALUES (999, 0)"
	check_eq "newer schema exits 1" "$(run_cmd "$VIGIL" --db "$T_DIR/newer.db" user list)" 1
	check_contains "newer schema explained" "$(cat "$T_DIR/err")" "newer than this vigil"
fi

# Configuration file, overridden by the environment.
printf '[database]\nurl = %s\n[auth]\nmax_failures = 3\n' "$VIGIL_DB" >"$T_DIR/vigil.ini"
check_eq "--config supplies the database" "$(env -u VIGIL_DB "$VIGIL" --config "$T_DIR/vigil.ini" user list --json | jq -r '.[0].name')" "alice"
printf '[database\nurl\n' >"$T_DIR/bad.ini"
check_eq "bad config exits 1" "$(run_cmd "$VIGIL" --config "$T_DIR/bad.ini" user list)" 1
check_contains "bad config names file and line" "$(cat "$T_DIR/err")" "bad.ini: line 1"

# Passwords never on the command line: read from stdin.
check_eq "password from stdin" "$(echo 'pw-from-stdin-123' | run_cmd "$VIGIL" user add carol --role auditor --password-stdin)" 0
check_eq "short password refused" "$(echo 'short' | run_cmd "$VIGIL" user add dave --role auditor --password-stdin)" 1
check_contains "short password explained" "$(cat "$T_DIR/err")" "at least 8 characters"
finish
