#!/bin/sh
# Errors for people (issue 17, item 5): every error on a /ui/ path is an HTML
# page in the layout (404, 405, 403, 413, a handler's own error), /api/
# stays JSON; a form posted after the session ended is kept server-side
# (bounded, url-encoded only, per address, bound to the browser by a cookie,
# expiring) and offered once after the login with a fresh CSRF token, never
# replayed by itself; a stale CSRF token keeps what was typed; the login
# form shows its errors next to its fields.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
VIGIL_PASSWORD=pw-alice-123 "$VIGIL" user add alice --role psirt >/dev/null
VIGIL_PASSWORD=pw-bob-4567 "$VIGIL" user add bob --role auditor >/dev/null
start_server
J="$T_DIR/jar"
K="$T_DIR/jar2"

login_form() { # jar -> the login form's CSRF field
	curl -s -c "$1" -b "$1" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p'
}
login() { # jar user password -> status; headers in $T_DIR/headers
	csrf=$(login_form "$1")
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -c "$1" -b "$1" \
		--data-urlencode "csrf=$csrf" --data-urlencode "user=$2" --data-urlencode "password=$3" \
		"$BASE/ui/login"
}
post() { # jar path curl-args... -> status; body and headers kept
	jar=$1
	p=$2
	shift 2
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -c "$jar" -b "$jar" "$@" "$BASE$p"
}
headers() { tr -d '\r' <"$T_DIR/headers"; }
page_csrf() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T_DIR/body" | head -1; }
pending_rows() { db_sql "SELECT COUNT(*) FROM ui_pending"; }
product_exists() { "$VIGIL" product list --json | jq -r --arg n "$1" '[.[] | select(.name == $n)] | length'; }
is_layout() { # the page is in the layout: lang, title, skip link, main landmark
	b=$(body)
	case $b in *'<html lang="en">'*) ;; *) return 1 ;; esac
	case $b in *"<title>$1 - vigil</title>"*) ;; *) return 1 ;; esac
	case $b in *'href="#main"'*) ;; *) return 1 ;; esac
	case $b in *'<main id="main">'*) ;; *) return 1 ;; esac
}

# ---- error pages on /ui/, JSON on /api/ ----
check_eq "unknown /ui/ path: 404" "$(http GET /ui/no-such-page)" 404
check_contains "  as HTML" "$(headers)" "Content-Type: text/html"
ok "  in the layout (lang, title, skip link, main)" is_layout "Page not found"
check_contains "  offers the login to someone logged out" "$(body)" 'href="/ui/login"'
check_eq "unknown /api/ path: 404" "$(http GET /api/v1/no-such-thing)" 404
check_contains "  stays JSON" "$(headers)" "Content-Type: application/json"
check_eq "  with its code" "$(body | jq -r .error.code)" not_found
check_eq "anonymous API POST: 401 JSON" "$(http POST /api/v1/products -d '{}')" 401
check_eq "  with its code" "$(body | jq -r .error.code)" unauthorized

check_eq "login as alice" "$(login "$J" alice pw-alice-123)" 303
check_eq "unknown /ui/ path logged in: 404" "$(post "$J" /ui/cases/x/y/z)" 404
ok "  in the layout" is_layout "Page not found"
check_contains "  with the navigation and the user" "$(body)" '<span class="user">alice</span>'
check_eq "wrong method on a page: 405" "$(post "$J" /ui/cases -X DELETE)" 405
check_contains "  as HTML" "$(headers)" "Content-Type: text/html"
ok "  in the layout" is_layout "Not possible here"
check_eq "a handler's own error on a page (bad stage): 400" "$(post "$J" /ui/art14/999/nonsense)" 400
check_contains "  as HTML" "$(headers)" "Content-Type: text/html"
check_not_contains "  no JSON" "$(body)" '{"error"'
check_eq "a finding that does not exist: 404 page" "$(post "$J" /ui/findings/999999)" 404
check_contains "  as HTML" "$(headers)" "Content-Type: text/html"
csrf=$(curl -s -b "$J" "$BASE/ui/products" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
head -c 70000 /dev/zero | tr '\0' a | sed 's/^/name=/' >"$T_DIR/big"
check_eq "a form over the page's body limit: 413" \
	"$(post "$J" /ui/products -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$T_DIR/big")" 413
check_contains "  as HTML" "$(headers)" "Content-Type: text/html"
ok "  in the layout" is_layout "Too large"

check_eq "login as bob (auditor)" "$(login "$K" bob pw-bob-4567)" 303
bcsrf=$(curl -s -b "$K" "$BASE/ui/products" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
check_eq "an auditor posting a product: 403" "$(post "$K" /ui/products --data-urlencode "csrf=$bcsrf" -d name=by-bob)" 403
ok "  in the layout" is_layout "Not allowed"
check_contains "  names the role" "$(body)" "Your role (auditor) may not do this."
check_eq "  nothing created" "$(product_exists by-bob)" 0
AUD=$("$VIGIL" token create --name t-auditor --role auditor)
check_eq "the same on the API: 403 JSON" \
	"$(http POST /api/v1/products -H "Authorization: Bearer $AUD" -d '{"name":"by-bob"}')" 403
check_eq "  with its code" "$(body | jq -r .error.code)" forbidden

# ---- a stale CSRF token keeps what was typed ----
check_eq "stale CSRF token: 403" "$(post "$J" /ui/products -d csrf=stale-token -d name=stale-one -d vendor=Acme)" 403
ok "  a page in the layout" is_layout "This form had expired"
check_contains "  what was typed is kept" "$(body)" 'name="name" value="stale-one"'
check_contains "  every field" "$(body)" 'name="vendor" value="Acme"'
check_eq "  with the session's fresh token" "$(page_csrf)" "$csrf"
check_not_contains "  not the stale one" "$(body)" "stale-token"
check_eq "  nothing was done" "$(product_exists stale-one)" 0
check_eq "  nothing was stored" "$(pending_rows)" 0
check_eq "Send again: created" "$(post "$J" /ui/products --data-urlencode "csrf=$csrf" -d name=stale-one -d vendor=Acme)" 303
check_eq "  the product exists" "$(product_exists stale-one)" 1

# ---- a form posted after the session ended ----
A="$T_DIR/jarA"
: >"$A"
check_eq "anonymous form post: sent to the login" \
	"$(post "$A" /ui/products -d csrf=from-the-old-session -d name=after-login -d 'vendor=Acme+%26+Co')" 303
check_contains "  Location: the login page" "$(headers)" "Location: /ui/login"
check_contains "  a cookie binds it to this browser" "$(headers)" "Set-Cookie: vigil_pending="
check_contains "  HttpOnly, SameSite=Strict, only for /ui/" "$(headers)" "Path=/ui/; HttpOnly; SameSite=Strict"
check_eq "  nothing was done" "$(product_exists after-login)" 0
check_eq "  kept server-side" "$(pending_rows)" 1
cookie=$(sed -n 's/.*vigil_pending\t\(.*\)$/\1/p' "$A")
check_eq "  under a hash of the id, never the id" \
	"$(db_sql "SELECT COUNT(*) FROM ui_pending WHERE id_hash = '$cookie'")" 0
check_eq "the login page says a form waits" "$(post "$A" /ui/login)" 200
check_contains "  the notice" "$(body)" "You were logged out before your form was sent"
check_eq "another browser's login page does not" "$(post "$T_DIR/jar3" /ui/login)" 200
check_not_contains "  no notice" "$(body)" "You were logged out before"
check_eq "log in (the kept form's browser)" "$(login "$A" alice pw-alice-123)" 303
check_contains "  goes to the kept form" "$(headers)" "Location: /ui/resume"
check_eq "  still nothing done (never replayed by itself)" "$(product_exists after-login)" 0
check_eq "the kept form is offered" "$(post "$A" /ui/resume)" 200
ok "  in the layout" is_layout "You were logged out before this was sent"
check_contains "  posts where it was sent" "$(body)" 'action="/ui/products"'
check_contains "  with the values" "$(body)" 'name="vendor" value="Acme &amp; Co"'
check_contains "  a Send now button" "$(body)" 'id="send-now"'
check_not_contains "  not the old token" "$(body)" "from-the-old-session"
fresh=$(page_csrf)
check_eq "  a fresh CSRF token of the new session" "$([ -n "$fresh" ] && echo yes)" yes
check_eq "  used once: deleted" "$(pending_rows)" 0
check_contains "  and its cookie cleared" "$(headers)" "Set-Cookie: vigil_pending=; Path=/ui/"
check_eq "Send now: done" "$(post "$A" /ui/products --data-urlencode "csrf=$fresh" -d name=after-login --data-urlencode 'vendor=Acme & Co')" 303
check_eq "  the product exists" "$(product_exists after-login)" 1
check_eq "offered again: nothing waits" "$(post "$A" /ui/resume)" 200
check_contains "  says so" "$(body)" "Nothing waiting to be sent"

# bound to the browser: another browser's login does not see it
B2="$T_DIR/jarB"
check_eq "anonymous post in browser 1" "$(post "$T_DIR/jarC" /ui/products -d name=bound-one)" 303
check_eq "log in in browser 2" "$(login "$B2" alice pw-alice-123)" 303
check_contains "  goes to the overview, not the kept form" "$(headers)" "Location: /ui/"
check_not_contains "  (not /ui/resume)" "$(headers)" "resume"
check_eq "browser 2 asks for it anyway" "$(post "$B2" /ui/resume)" 200
check_contains "  nothing for it" "$(body)" "Nothing waiting to be sent"
check_eq "a forged cookie finds nothing" \
	"$(curl -s -o "$T_DIR/body" -w '%{http_code}' -b "$B2" -b "vigil_pending=forged-id" "$BASE/ui/resume")" 200
check_contains "  nothing for it" "$(body)" "Nothing waiting to be sent"
check_eq "  browser 1's form is still kept" "$(pending_rows)" 1
check_eq "a second post from browser 1 replaces its first" "$(post "$T_DIR/jarC" /ui/products -d name=bound-two)" 303
check_eq "  one row" "$(pending_rows)" 1
check_eq "  the second" "$(db_sql "SELECT COUNT(*) FROM ui_pending WHERE body LIKE '%bound-two%'")" 1

# the size bound and the kinds kept
head -c 16500 /dev/zero | tr '\0' a | sed 's/^/name=/' >"$T_DIR/over"
check_eq "a form over 16 KiB: not kept, 401 page" \
	"$(post "$T_DIR/jarD" /ui/products -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$T_DIR/over")" 401
ok "  in the layout" is_layout "Log in to continue"
check_contains "  says it was not kept" "$(body)" "could not be kept"
check_not_contains "  no cookie" "$(headers)" "vigil_pending"
check_eq "a file upload (multipart): not kept" "$(post "$T_DIR/jarD" /ui/products -F name=multi)" 401
check_eq "a JSON body: not kept" "$(post "$T_DIR/jarD" /ui/products -H 'Content-Type: application/json' -d '{"name":"j"}')" 401
check_eq "a form with a password: never stored" "$(post "$T_DIR/jarD" /ui/products -d name=p -d new_password=hunter2)" 401
check_eq "  rows unchanged" "$(pending_rows)" 1
check_not_contains "  the password is nowhere" "$(db_sql "SELECT body FROM ui_pending")" hunter2
check_eq "logging out with an ended session: 401 page" "$(post "$T_DIR/jarD" /ui/logout -d csrf=x)" 401
check_contains "  says so" "$(body)" "You are logged out already."
check_eq "  not kept" "$(pending_rows)" 1

# per address: at most ui.pending_per_address (20) at a time
i=0
while [ $i -lt 19 ]; do
	curl -s -o /dev/null -d "name=flood-$i" "$BASE/ui/products"
	i=$((i + 1))
done
check_eq "20 kept from one address" "$(pending_rows)" 20
check_eq "the 21st is not kept" "$(post "$T_DIR/jarE" /ui/products -d name=flood-x)" 401
check_eq "  rows unchanged" "$(pending_rows)" 20
db_sql "DELETE FROM ui_pending" >/dev/null

# expiry: kept ui.pending_ttl seconds (900 by default), then gone
stop_server
VIGIL_NOW=2031-03-01T10:00:00Z start_server
check_eq "kept at 10:00" "$(post "$T_DIR/jarF" /ui/products -d name=too-late)" 303
stop_server
VIGIL_NOW=2031-03-01T10:14:00Z start_server
check_eq "at 10:14 the login page still says a form waits" "$(post "$T_DIR/jarF" /ui/login)" 200
check_contains "  the notice" "$(body)" "You were logged out before your form was sent"
stop_server
VIGIL_NOW=2031-03-01T10:15:01Z start_server
check_eq "at 10:15:01 the login page does not" "$(post "$T_DIR/jarF" /ui/login)" 200
check_not_contains "  no notice" "$(body)" "You were logged out before"
check_eq "log in after the expiry" "$(login "$T_DIR/jarF" alice pw-alice-123)" 303
check_contains "  goes to the overview" "$(headers)" "Location: /ui/"
check_eq "  nothing offered" "$(post "$T_DIR/jarF" /ui/resume)" 200
check_contains "  says so" "$(body)" "Nothing waiting to be sent"
check_eq "  nothing kept after it" "$(pending_rows)" 0
check_eq "  nothing done" "$(product_exists too-late)" 0

# ---- the login form: errors next to the fields, with a summary ----
csrf=$(login_form "$T_DIR/jarG")
check_eq "login with nothing typed: 400" \
	"$(post "$T_DIR/jarG" /ui/login --data-urlencode "csrf=$csrf" -d user= -d password=)" 400
check_contains "  an error summary" "$(body)" 'id="error-summary"'
check_contains "  linking to the field" "$(body)" '<a href="#user">Enter your user name</a>'
check_contains "  the field marked invalid and described by its error" "$(body)" \
	'name="user" value="" aria-describedby="user-error" aria-invalid="true"'
check_contains "  the error next to the field" "$(body)" 'id="password-error"'
csrf=$(login_form "$T_DIR/jarG")
check_eq "only the password missing: 400" \
	"$(post "$T_DIR/jarG" /ui/login --data-urlencode "csrf=$csrf" -d user=alice -d password=)" 400
check_contains "  the user name kept" "$(body)" 'name="user" value="alice"'
check_not_contains "  the user field not in error" "$(body)" 'id="user-error"'
finish
