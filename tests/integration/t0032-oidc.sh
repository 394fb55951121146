#!/bin/sh
# Single sign-on (issue 24 item 3): OpenID Connect login through a real
# provider (the npm package oidc-provider, tests/tools/oidc-op.mjs): the code
# flow with PKCE, users made and updated on first login (audited), roles from
# the groups claim through oidc.role_map, a user without a mapped group
# refused and audited; local passwords limited by auth.local_login. A second,
# forging provider (oidc-op.mjs --forge) sends ID tokens with a wrong
# signature, a wrong audience, expired, a replayed nonce, another issuer or
# alg none: each refused naming the claim. Bad oidc settings and an issuer
# that does not answer stop the start, naming the key.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

command -v node >/dev/null 2>&1 || { echo "FAIL - node not found (run scripts/deps.sh)"; exit 1; }
[ -d "$VIGIL_SOURCE_DIR/tests/node_modules/oidc-provider" ] ||
	{ echo "FAIL - the npm package oidc-provider is not installed in tests/node_modules (run scripts/deps.sh)"; exit 1; }

OP_PIDS=""
op_cleanup() {
	for p in $OP_PIDS; do kill "$p" 2>/dev/null; done
	t_cleanup
}
trap op_cleanup EXIT

start_op() { # NAME [--forge]: start a provider, set its URL in OP_URL
	node "$VIGIL_SOURCE_DIR/tests/tools/oidc-op.mjs" --port-file "$T_DIR/$1.port" ${2:-} >"$T_DIR/$1.log" 2>&1 &
	OP_PIDS="$OP_PIDS $!"
	i=0
	while [ ! -s "$T_DIR/$1.port" ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && { echo "FAIL - provider $1 did not start"; cat "$T_DIR/$1.log"; exit 1; }
		sleep 0.05
	done
	OP_URL="http://127.0.0.1:$(cat "$T_DIR/$1.port")"
}

fresh_db
start_op real
REAL=$OP_URL
start_op forge --forge
FORGE=$OP_URL
FORGE_PID=${OP_PIDS##* }

VIGIL_OIDC_CLIENT_ID=vigil
VIGIL_OIDC_CLIENT_SECRET=vigil-test-secret
VIGIL_OIDC_ROLE_MAP="vigil-psirt:psirt,vigil-admins:admin"
export VIGIL_OIDC_CLIENT_ID VIGIL_OIDC_CLIENT_SECRET VIGIL_OIDC_ROLE_MAP

# ---- never half-configured: bad settings refused at start, naming the key ----
refused_start() { # description key-in-message env-assignments...
	d=$1
	k=$2
	shift 2
	env "$@" timeout 20 "$VIGIL" serve --listen 127.0.0.1:0 >"$T_DIR/out" 2>"$T_DIR/err"
	rc=$?
	check_eq "$d: the server does not start" "$([ $rc -ne 0 ] && [ $rc -ne 124 ] && echo refused)" refused
	check_contains "$d: the refusal names $k" "$(cat "$T_DIR/err")" "$k"
}
refused_start "no client id" oidc.client_id VIGIL_OIDC_ISSUER="$REAL" VIGIL_OIDC_CLIENT_ID=
refused_start "no client secret" oidc.client_secret VIGIL_OIDC_ISSUER="$REAL" VIGIL_OIDC_CLIENT_SECRET=
refused_start "no role map" oidc.role_map VIGIL_OIDC_ISSUER="$REAL" VIGIL_OIDC_ROLE_MAP=
refused_start "a role map pair without role" oidc.role_map VIGIL_OIDC_ISSUER="$REAL" VIGIL_OIDC_ROLE_MAP=vigil-psirt
refused_start "a role map to an unknown role" "role 'superuser'" VIGIL_OIDC_ISSUER="$REAL" VIGIL_OIDC_ROLE_MAP=g:superuser
refused_start "clock skew beyond 300 s" oidc.clock_skew VIGIL_OIDC_ISSUER="$REAL" VIGIL_OIDC_CLOCK_SKEW=900
refused_start "plain http issuer off the loopback" oidc.issuer VIGIL_OIDC_ISSUER=http://idp.example.com
refused_start "client id without issuer" "oidc.client_id is set but oidc.issuer is not" VIGIL_OIDC_ISSUER=
refused_start "local login off without SSO" auth.local_login VIGIL_OIDC_ISSUER= VIGIL_OIDC_CLIENT_ID= \
	VIGIL_OIDC_CLIENT_SECRET= VIGIL_OIDC_ROLE_MAP= VIGIL_AUTH_LOCAL_LOGIN=off
refused_start "local login of an unknown value" auth.local_login VIGIL_AUTH_LOCAL_LOGIN=sometimes \
	VIGIL_OIDC_ISSUER="$REAL"
refused_start "an issuer that does not answer" "oidc.issuer 'http://127.0.0.1:1'" VIGIL_OIDC_ISSUER=http://127.0.0.1:1
check_contains "  ... and says it did not answer" "$(cat "$T_DIR/err")" "did not answer"
refused_start "an issuer whose discovery names another issuer" "is not oidc.issuer" VIGIL_OIDC_ISSUER="$REAL/"

# `vigil config check` checks the same settings in a file (no network)
printf '[oidc]\nissuer = https://sso.example.com\nclient_id = vigil\nclient_secret = s\nrole_map = vigil-psirt\n' >"$T_DIR/bad.ini"
check_eq "config check refuses a bad role map in a file" "$(env -u VIGIL_OIDC_ROLE_MAP "$VIGIL" config check "$T_DIR/bad.ini" >/dev/null 2>"$T_DIR/err"; echo $?)" 1
check_contains "  ... naming oidc.role_map and the pair" "$(cat "$T_DIR/err")" "oidc.role_map: 'vigil-psirt' is not group:role"
printf '[oidc]\nissuer = https://sso.example.com\nclient_id = vigil\nclient_secret = s\nrole_map = vigil-psirt:psirt\n[auth]\nlocal_login = admins\n' >"$T_DIR/good.ini"
check_eq "config check passes good single sign-on settings" "$(env -u VIGIL_OIDC_ROLE_MAP "$VIGIL" config check "$T_DIR/good.ini" >/dev/null 2>&1; echo $?)" 0

# ---- the real provider ----
VIGIL_PASSWORD=pw-root-break-glass "$VIGIL" user add root --role admin >/dev/null
VIGIL_PASSWORD=pw-carl-local-123 "$VIGIL" user add carl --role psirt >/dev/null
VIGIL_PASSWORD=pw-admin-local-123 "$VIGIL" user add admin --role admin >/dev/null
VIGIL_OIDC_ISSUER=$REAL
export VIGIL_OIDC_ISSUER
start_server

# sso USER JAR: log in through the provider's login and consent forms;
# the last answer's body in $T_DIR/body, its status printed
sso() {
	rm -f "$2"
	u1=$(curl -s -c "$2" -b "$2" -L -o "$T_DIR/op1" -w '%{url_effective}' "$BASE/ui/login/sso")
	u2=$(curl -s -c "$2" -b "$2" -L -o "$T_DIR/op2" -w '%{url_effective}' \
		-d prompt=login --data-urlencode "login=$1" -d password=any "$u1")
	curl -s -c "$2" -b "$2" -L -o "$T_DIR/body" -w '%{http_code}' -d prompt=consent "$u2"
}
whoami() { curl -s -b "$1" "$BASE/api/v1/whoami"; }

check_eq "login page" "$(http GET /ui/login)" 200
check_contains "login page offers SSO" "$(body)" "Sign in with SSO"
check_contains "and the password form" "$(body)" 'id="login-form"'
check_eq "SSO start redirects to the provider" "$(http GET /ui/login/sso)" 303
hdr=$(cat "$T_DIR/headers")
check_contains "to its authorization endpoint" "$hdr" "Location: $REAL/auth?"
check_contains "with PKCE S256" "$hdr" "code_challenge_method=S256"
check_contains "with a nonce" "$hdr" "&nonce="
check_contains "the login state in a Lax cookie" "$hdr" "vigil_oidc="
check_contains "  ... HttpOnly" "$hdr" "Path=/ui/oidc; HttpOnly; SameSite=Lax"

check_eq "alice signs in" "$(sso alice "$T_DIR/ja")" 200
check_contains "  ... and is sent on to the UI" "$(body)" "Signed in"
check_contains "alice has a session as psirt" "$(whoami "$T_DIR/ja")" '"role":"psirt"'
check_contains "  ... named alice" "$(whoami "$T_DIR/ja")" '"alice"'
check_eq "her UI page" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' -b "$T_DIR/ja" "$BASE/ui/")" 200
check_contains "  ... shows her" "$(body)" "alice"
"$VIGIL" audit log >"$T_DIR/audit"
check_contains "alice's account made on first login, audited" "$(cat "$T_DIR/audit")" \
	'user.create              user:alice  before=null after={"name":"alice","role":"psirt","source":"sso"}'
check_contains "her login audited" "$(grep 'user:alice' "$T_DIR/audit")" '"method":"sso","reason":"ok","success":true'

check_eq "bob signs in" "$(sso bob "$T_DIR/jb")" 200
check_contains "bob (vigil-admins and vigil-psirt) is admin" "$(whoami "$T_DIR/jb")" '"role":"admin"'

db_sql "UPDATE users SET role = 'auditor' WHERE name = 'alice'"
check_eq "alice again after her role was changed here" "$(sso alice "$T_DIR/ja")" 200
check_contains "she is psirt again, from her groups" "$(whoami "$T_DIR/ja")" '"role":"psirt"'
check_contains "the update audited" "$("$VIGIL" audit log)" \
	'user.update              user:alice  before={"role":"auditor"} after={"role":"psirt","source":"sso"}'

check_eq "eve (no vigil group) refused" "$(sso eve "$T_DIR/je")" 403
check_contains "  ... saying why" "$(body)" "eve has no group of oidc.role_map in the claim groups"
check_not_contains "  ... without a session" "$(whoami "$T_DIR/je")" '"role"'
check_contains "the refusal audited" "$("$VIGIL" audit log | grep 'user:eve')" 'auth.login_failed'
check_eq "eve has no account" "$("$VIGIL" user list | grep -c '^eve ')" 0

check_eq "SSO never takes over a local account" "$(sso admin "$T_DIR/jx")" 403
check_contains "  ... saying so" "$(body)" "a local account named"

# Replays: the callback URL (code, state) taken before vigil saw it.
rm -f "$T_DIR/jr"
u1=$(curl -s -c "$T_DIR/jr" -b "$T_DIR/jr" -L -o /dev/null -w '%{url_effective}' "$BASE/ui/login/sso")
u2=$(curl -s -c "$T_DIR/jr" -b "$T_DIR/jr" -L -o /dev/null -w '%{url_effective}' -d prompt=login -d login=alice -d password=x "$u1")
cb=$(curl -s -c "$T_DIR/jr" -b "$T_DIR/jr" -o /dev/null -w '%{redirect_url}' -d prompt=consent "$u2")
cb=$(curl -s -c "$T_DIR/jr" -b "$T_DIR/jr" -o /dev/null -w '%{redirect_url}' "$cb")
check_contains "the provider answers to the callback" "$cb" "$BASE/ui/oidc/callback?code="
cp "$T_DIR/jr" "$T_DIR/jr.copy"
check_eq "the callback once" "$(curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$T_DIR/jr" "$cb")" 200
check_contains "  ... spends the login state cookie" "$(cat "$T_DIR/headers")" "vigil_oidc=spent; Path=/ui/oidc; HttpOnly; SameSite=Lax; Max-Age=0"
check_eq "the same callback again (the cookie gone): refused" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' "$cb")" 400
check_contains "  ... no login state" "$(body)" "no login state"
check_eq "again with a copy of the spent cookie: refused" \
	"$(curl -s -o "$T_DIR/body" -w '%{http_code}' -b "$T_DIR/jr.copy" "$cb")" 401
check_contains "  ... the provider refuses the spent code" "$(body)" "invalid_grant"
state=$(printf '%s' "$cb" | sed 's/.*state=\([^&]*\).*/\1/')
forged=$(printf '%s' "$cb" | sed "s/state=$state/state=forged-state/")
check_eq "a forged state refused" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' -b "$T_DIR/jr.copy" "$forged")" 400
check_contains "  ... naming the state" "$(body)" "state parameter does not match"

# Local passwords: on (break-glass and every account) by default.
J="$T_DIR/jl"
local_login() { # user password -> status
	rm -f "$J"
	csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o "$T_DIR/body" -w '%{http_code}' -c "$J" -b "$J" --data-urlencode "csrf=$csrf" \
		--data-urlencode "user=$1" --data-urlencode "password=$2" "$BASE/ui/login"
}
check_eq "local login on: carl logs in" "$(local_login carl pw-carl-local-123)" 303
check_eq "an SSO account has no password" "$(local_login alice '!sso')" 401
stop_server
export VIGIL_AUTH_LOCAL_LOGIN=admins
start_server
check_eq "admins: login page" "$(http GET /ui/login)" 200
check_contains "  ... says break-glass" "$(body)" "break-glass"
check_eq "admins: carl (psirt) refused" "$(local_login carl pw-carl-local-123)" 401
check_contains "  ... naming auth.local_login" "$(body)" "auth.local_login"
check_eq "admins: root (admin) logs in (break-glass)" "$(local_login root pw-root-break-glass)" 303
stop_server
VIGIL_AUTH_LOCAL_LOGIN=off
start_server
check_eq "off: login page" "$(http GET /ui/login)" 200
check_not_contains "  ... has no password form" "$(body)" 'id="login-form"'
check_contains "  ... only SSO" "$(body)" "Sign in with SSO"
check_eq "off: root's password refused too" "$(local_login root pw-root-break-glass)" 400
stop_server
unset VIGIL_AUTH_LOCAL_LOGIN

# ---- the forging provider: each bad ID token refused, naming the claim ----
VIGIL_OIDC_ISSUER=$FORGE
start_server
forge() { # MODE -> status of the whole login
	curl -s -o /dev/null -X POST "$FORGE/mode?m=$1"
	rm -f "$T_DIR/jf"
	curl -s -c "$T_DIR/jf" -b "$T_DIR/jf" -L -o "$T_DIR/body" -w '%{http_code}' "$BASE/ui/login/sso"
}
check_eq "forge: a good RS256 token" "$(forge ok-rs256)" 200
check_contains "  ... frank is psirt" "$(whoami "$T_DIR/jf")" '"role":"psirt"'
check_eq "forge: a good ES256 token" "$(forge ok-es256)" 200
check_contains "  ... frank again" "$(whoami "$T_DIR/jf")" '"frank"'
check_eq "forge: wrong signature refused" "$(forge badsig)" 401
check_contains "  ... naming the signature" "$(body)" "ID token signature: does not verify"
check_eq "forge: wrong audience refused" "$(forge aud)" 401
check_contains "  ... naming aud" "$(body)" "ID token claim aud does not name this client"
check_eq "forge: expired token refused" "$(forge expired)" 401
check_contains "  ... naming exp" "$(body)" "ID token claim exp: the token expired"
check_eq "forge: replayed nonce refused" "$(forge replay)" 401
check_contains "  ... naming nonce" "$(body)" "ID token claim nonce does not match"
check_eq "forge: another issuer refused" "$(forge iss)" 401
check_contains "  ... naming iss" "$(body)" "ID token claim iss"
check_eq "forge: alg none refused" "$(forge none)" 401
check_contains "  ... naming alg" "$(body)" "ID token header alg &#39;none&#39;"
check_contains "every refusal audited" "$("$VIGIL" audit log | grep -c 'auth.login_failed.*claim aud does not name')" "1"
kill "$FORGE_PID" 2>/dev/null
wait "$FORGE_PID" 2>/dev/null
check_eq "the provider gone: SSO start refused" "$(http GET /ui/login/sso)" 502
check_contains "  ... naming oidc.issuer" "$(body)" "oidc.issuer &#39;$FORGE&#39;"
check_contains "  ... and that it did not answer" "$(body)" "did not answer"
check_eq "  ... the password login still works (break-glass)" "$(local_login root pw-root-break-glass)" 303
ok "audit chain intact" "$VIGIL" audit verify
finish
