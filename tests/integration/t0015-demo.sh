#!/bin/sh
# `vigil demo load` is safe by default (issue 16): a database that already has
# users is refused unless --force is given, and the demo accounts get random
# passwords, printed once to stdout and kept only as argon2id hashes.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db

# login USER PASSWORD -> status of the login form's POST
login() {
	J="$T_DIR/jar"
	rm -f "$J"
	csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -c "$J" -b "$J" \
		--data-urlencode "csrf=$csrf" --data-urlencode "user=$1" --data-urlencode "password=$2" \
		"$BASE/ui/login"
}
pw_of() { # USER FILE: the password printed for USER
	sed -n "s|^  $1 / \\(.*\\)\$|\\1|p" "$2"
}

check_eq "demo load into an empty database" "$(run_cmd "$VIGIL" demo load)" 0
check_eq "the demo product is offered on the portal" "$("$VIGIL" product show acme-gateway --json | jq -r .public)" true
cp "$T_DIR/out" "$T_DIR/first"
admin_pw=$(pw_of admin "$T_DIR/first")
psirt_pw=$(pw_of psirt "$T_DIR/first")
auditor_pw=$(pw_of auditor "$T_DIR/first")
check_eq "three logins printed" "$(grep -c '^  [a-z]* / ' "$T_DIR/first")" 3
check_eq "the admin password is random base64url, 24 characters" \
	"$(printf '%s' "$admin_pw" | grep -cE '^[A-Za-z0-9_-]{24}$')" 1
check_eq "the three passwords differ" \
	"$(printf '%s\n%s\n%s\n' "$admin_pw" "$psirt_pw" "$auditor_pw" | sort -u | wc -l | tr -d ' ')" 3
check_not_contains "no fixed demo password" "$(cat "$T_DIR/first")" "vigil-demo-"
check_eq "the passwords are not stored in clear" \
	"$(db_sql "SELECT COUNT(*) FROM users WHERE password_hash LIKE '%$admin_pw%' OR password_hash NOT LIKE '\$argon2id\$%'")" 0
check_not_contains "nor audited" "$("$VIGIL" audit log --json)" "$admin_pw"

start_server
check_eq "the printed admin password logs in" "$(login admin "$admin_pw")" 303
check_eq "the printed psirt password logs in" "$(login psirt "$psirt_pw")" 303
check_eq "the old fixed password does not" "$(login admin vigil-demo-admin)" 401

# A database with users: refused unless asked for explicitly.
check_eq "second load refused" "$(run_cmd "$VIGIL" demo load)" 1
check_contains "the refusal names the option" "$(cat "$T_DIR/err")" "--force"
check_contains "the refusal says why" "$(cat "$T_DIR/err")" "already has 3 users"
check_eq "no password printed on refusal" "$(grep -c ' / ' "$T_DIR/out")" 0
check_eq "--if-empty skips it" "$(run_cmd "$VIGIL" demo load --if-empty)" 0
check_contains "and says so" "$(cat "$T_DIR/out")" "demo data not loaded"
check_eq "--force loads anyway" "$(run_cmd "$VIGIL" demo load --force)" 0
check_contains "existing accounts are kept" "$(cat "$T_DIR/out")" "admin: already there, password unchanged"
check_eq "the admin password still works" "$(login admin "$admin_pw")" 303
stop_server

# Any user counts, not only demo ones; --force then adds the demo accounts.
fresh_db
VIGIL_PASSWORD=pw-real-user-1 "$VIGIL" user add alice --role admin >/dev/null
check_eq "a real installation is refused" "$(run_cmd "$VIGIL" demo load)" 1
check_eq "no demo account made" "$(db_sql "SELECT COUNT(*) FROM users")" 1
check_eq "--force adds them" "$(run_cmd "$VIGIL" demo load --force)" 0
other_pw=$(pw_of admin "$T_DIR/out")
check_eq "with a new random password" "$([ -n "$other_pw" ] && [ "$other_pw" != "$admin_pw" ] && echo new)" new
check_eq "four users" "$(db_sql "SELECT COUNT(*) FROM users")" 4
finish
