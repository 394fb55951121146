#!/bin/sh
# Web login: sessions in HttpOnly SameSite=Strict cookies, CSRF on every form,
# failed logins rate-limited and audited.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
VIGIL_PASSWORD=pw-alice-123 "$VIGIL" user add alice --role psirt >/dev/null
start_server
J="$T_DIR/jar"

login_form() { # fetch the login page, print the CSRF field
	curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p'
}
login() { # user password -> status
	csrf=$(login_form)
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -c "$J" -b "$J" \
		--data-urlencode "csrf=$csrf" --data-urlencode "user=$1" --data-urlencode "password=$2" \
		"$BASE/ui/login"
}

check_eq "anonymous page redirects" "$(http GET /ui/)" 303
check_contains "to the login page" "$(cat "$T_DIR/headers")" "Location: /ui/login"
check_eq "login page" "$(http GET /ui/login)" 200
check_contains "login form" "$(body)" 'action="/ui/login"'

# Replayed or forged login form (no CSRF cookie): refused.
check_eq "login without CSRF refused" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' -d 'user=alice&password=pw-alice-123&csrf=forged' "$BASE/ui/login")" 400
check_contains "refusal explained" "$(body)" "expired or was replayed"

check_eq "wrong password 401" "$(login alice wrong-password)" 401
check_contains "wrong password explained" "$(body)" "wrong user name or password"
check_eq "right password 303" "$(login alice pw-alice-123)" 303
check_contains "session cookie HttpOnly" "$(cat "$T_DIR/headers")" "HttpOnly"
check_contains "session cookie SameSite=Strict" "$(cat "$T_DIR/headers")" "SameSite=Strict"
check_eq "page with session" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' -b "$J" "$BASE/ui/")" 200
check_contains "page shows the user" "$(body)" "alice"
check_contains "page has the navigation" "$(body)" "Evidence"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T_DIR/body" | head -1)
check_eq "page carries a CSRF token" "$([ -n "$csrf" ] && echo yes)" "yes"
check_eq "API with session cookie" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" "$BASE/api/v1/whoami")" 200

# CSRF: a POST with the cookie but without the token is refused.
check_eq "logout without CSRF 403" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' -b "$J" -X POST "$BASE/ui/logout")" 403
check_eq "403 names CSRF" "$(body | jq -r .error.code)" "csrf"
check_eq "logout with wrong CSRF 403" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" -d csrf=nope "$BASE/ui/logout")" 403
check_eq "logout with CSRF 303" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" -c "$J" --data-urlencode "csrf=$csrf" "$BASE/ui/logout")" 303
check_eq "session gone after logout" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" "$BASE/ui/")" 303

# Rate limit: 5 failures lock the account for the window, even with the right password.
for k in 1 2 3 4 5; do login alice "bad-$k" >/dev/null; done
check_eq "sixth attempt rate-limited" "$(login alice pw-alice-123)" 429
check_contains "rate limit explained" "$(body)" "too many failed logins"
check_eq "failed logins audited" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="auth.login_failed")] | length')" 7
check_eq "remote address audited" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action=="auth.login")][0].remote')" "127.0.0.1"
check_not_contains "no password in the audit log" "$("$VIGIL" audit log --json)" "pw-alice-123"
check_not_contains "no password in the server log" "$(cat "$T_DIR/server.log")" "pw-alice-123"
stop_server
VIGIL_NOW=2099-01-01T00:00:00Z start_server
check_eq "after the window the login works" "$(login alice pw-alice-123)" 303
finish
