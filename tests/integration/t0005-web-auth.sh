#!/bin/sh
# Web login: sessions in HttpOnly SameSite=Strict cookies (Secure over TLS),
# CSRF on every form, failed logins throttled per (account, address) and per
# address with growing delays, never locking the account, and audited.
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
check_contains "403 page names the expired form" "$(body)" "The form expired"
check_eq "logout with wrong CSRF 403" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" -d csrf=nope "$BASE/ui/logout")" 403
check_eq "logout with CSRF 303" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" -c "$J" --data-urlencode "csrf=$csrf" "$BASE/ui/logout")" 303
check_eq "session gone after logout" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" "$BASE/ui/")" 303

# Throttling (issue 16): failures count per (account, address) and per
# address, never per account alone. Five wrong passwords from one address
# delay that address's next attempts for that account by 2 s, then 4 s, ...
# (up to 15 min); nobody else is locked out. The server's clock is fixed.
VIGIL_PASSWORD=pw-bob-4567 "$VIGIL" user add bob --role auditor >/dev/null
at() { # start the server at 2030-01-01T00:00:SS
	stop_server
	VIGIL_NOW="2030-01-01T00:00:$1Z" start_server
}
at 00
for k in 1 2 3 4 5; do login alice "bad-$k" >/dev/null; done
check_eq "sixth attempt from the same address delayed" "$(login alice pw-alice-123)" 429
check_contains "delay explained" "$(body)" "too many failed logins"
check_eq "another account from the same address is not locked" "$(login bob pw-bob-4567)" 303
check_eq "failed logins audited" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="auth.login_failed")] | length')" 7
check_eq "the delay audited" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action=="auth.login_failed")][-1].after.reason')" "rate limited"
check_eq "remote address audited" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action=="auth.login")][0].remote')" "127.0.0.1"
check_not_contains "no password in the audit log" "$("$VIGIL" audit log --json)" "pw-alice-123"
check_not_contains "no password in the server log" "$(cat "$T_DIR/server.log")" "pw-alice-123"
check_eq "no clear address in the login counters" "$(db_sql "SELECT COUNT(*) FROM login_attempts WHERE key LIKE '%127.0.0.1%' OR key LIKE '%alice%'")" 0
check_eq "the counters are keyed hashes" "$(db_sql "SELECT COUNT(*) FROM login_attempts WHERE key LIKE 'p:%' OR key LIKE 'a:%'")" 2
at 01
check_eq "1 s later still delayed" "$(login alice pw-alice-123)" 429
at 02
check_eq "2 s after the fifth failure the password is checked again" "$(login alice bad-6)" 401
check_eq "after the sixth failure the delay is 4 s" "$(login alice pw-alice-123)" 429
at 05
check_eq "3 s later still delayed" "$(login alice pw-alice-123)" 429
at 06
check_eq "4 s later the right password works" "$(login alice pw-alice-123)" 303

# Behind a trusted proxy (server.trusted_proxies): the client address comes
# from X-Forwarded-For and TLS from X-Forwarded-Proto. This part needs the
# proxy support of issue 16 item 3 (another branch); until the server honours
# the headers it is skipped with a message.
stop_server
VIGIL_SERVER_TRUSTED_PROXIES=127.0.0.1 VIGIL_NOW=2030-01-02T00:00:00Z start_server
via() { # address proto user password -> status, through the "proxy"
	# the login cookie is passed by hand: curl would keep a Secure one to itself over http
	csrf=$(curl -s -D "$T_DIR/form-headers" -H "X-Forwarded-For: $1" -H "X-Forwarded-Proto: $2" \
		"$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	lc=$(sed -n 's/^[Ss]et-[Cc]ookie: \(vigil_login=[^;]*\).*/\1/p' "$T_DIR/form-headers")
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$lc" \
		-H "X-Forwarded-For: $1" -H "X-Forwarded-Proto: $2" \
		--data-urlencode "csrf=$csrf" --data-urlencode "user=$3" --data-urlencode "password=$4" \
		"$BASE/ui/login"
}
via 198.51.100.1 https bob wrong-password >/dev/null
if [ "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action=="auth.login_failed")][-1].remote')" != 198.51.100.1 ]; then
	echo "# SKIP trusted proxy checks: the server ignores X-Forwarded-For from server.trusted_proxies (not merged yet)"
else
	for k in 2 3 4 5; do via 198.51.100.1 https bob "bad-$k" >/dev/null; done
	check_eq "proxied: five wrong from address A, A is delayed" "$(via 198.51.100.1 https bob pw-bob-4567)" 429
	check_eq "proxied: the right password from address B works" "$(via 198.51.100.2 https bob pw-bob-4567)" 303
	check_contains "proxied over https: the login form cookie is Secure" "$(grep -i '^Set-Cookie: vigil_login=' "$T_DIR/form-headers")" "; Secure"
	check_contains "proxied over https: the session cookie is Secure" "$(grep -i '^Set-Cookie: vigil_session=' "$T_DIR/headers")" "; Secure"
	check_eq "proxied over http: the login works" "$(via 198.51.100.3 http bob pw-bob-4567)" 303
	check_not_contains "proxied over http: the session cookie is not Secure" "$(grep -i '^Set-Cookie: vigil_session=' "$T_DIR/headers")" "Secure"
fi
finish
