#!/bin/sh
# t0030: two listeners (issue 24 item 1). `vigil serve --public-listen`
# serves only the routes flagged for the public (the CVD portal and its
# tracking pages, security.txt, TUF, device check-in, the assets their pages
# use); every route of `vigil routes --json` is asked on both listeners:
# an internal route answers 404 on the public one (405 where the public
# listener has another method on that path), a public route answers the
# same status on both. Without --public-listen every route stays on --listen.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db

check_eq "--public-port-file without --public-listen is a usage error" \
	"$(run_cmd "$VIGIL" serve --listen 127.0.0.1:0 --public-port-file "$T_DIR/x")" 2
check_contains "... saying so" "$(cat "$T_DIR/err")" "needs --public-listen"
check_eq "the same address twice is a usage error" \
	"$(run_cmd "$VIGIL" serve --listen 127.0.0.1:18931 --public-listen 127.0.0.1:18931)" 2
check_eq "a bad public address is refused" \
	"$(run_cmd "$VIGIL" serve --listen 127.0.0.1:0 --public-listen nowhere)" 2

start_server --public-listen 127.0.0.1:0 --public-port-file "$T_DIR/pport"
PUB="http://127.0.0.1:$(cat "$T_DIR/pport")"
check_contains "the log names both listeners" "$(cat "$T_DIR/server.log")" "(public: portal, devices"
check_contains "... and the internal one" "$(cat "$T_DIR/server.log")" "(internal,"

"$VIGIL" routes --json >"$T_DIR/routes.json"
check_eq "every route names its listener" \
	"$(jq '[.[] | select(.listener != "public" and .listener != "internal")] | length' "$T_DIR/routes.json")" 0
check_eq "the public listener has the portal, security.txt, TUF and check-in" \
	"$(jq -r '[.[] | select(.listener == "public") | .path] | map(select(. == "/report" or . == "/report/track/{token}" or . == "/.well-known/security.txt" or . == "/tuf/metadata/*" or . == "/api/v1/device/checkin")) | unique | length' "$T_DIR/routes.json")" 5
check_eq "no /ui/ page is public-facing" \
	"$(jq '[.[] | select(.listener == "public" and (.path | startswith("/ui")))] | length' "$T_DIR/routes.json")" 0

# status METHOD BASE PATH: the status of a request without credentials
status() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 -X "$1" "$2$3"
}
# statuses METHOD BASE < paths: one status a line, one curl for all of them
statuses() {
	sed "s|^\(.*\)\$|url = \"$2\\1\"\\
output = \"/dev/null\"|" | curl -s -K - -X "$1" --max-time 20 -w '%{http_code}\n'
}
jq -r '.[] | select(.method == "GET" or .method == "POST" or .method == "PUT" or .method == "PATCH" or .method == "DELETE") | "\(.method) \(.listener) \(.path)"' \
	"$T_DIR/routes.json" >"$T_DIR/list"
jq -r '.[] | select(.listener == "public") | .path' "$T_DIR/routes.json" | sort -u >"$T_DIR/pubpaths"
: >"$T_DIR/answers"
for m in GET POST PUT PATCH DELETE; do
	awk -v m="$m" '$1 == m' "$T_DIR/list" >"$T_DIR/list.$m"
	[ -s "$T_DIR/list.$m" ] || continue
	awk '{ print $3 }' "$T_DIR/list.$m" | sed -e 's/{[^}]*}/x/g' -e 's/\*$/x/' >"$T_DIR/paths.$m"
	statuses "$m" "$PUB" <"$T_DIR/paths.$m" >"$T_DIR/pub.$m"
	statuses "$m" "$BASE" <"$T_DIR/paths.$m" >"$T_DIR/int.$m"
	paste -d ' ' "$T_DIR/list.$m" "$T_DIR/pub.$m" "$T_DIR/int.$m" >>"$T_DIR/answers"
done
check_eq "an answer for every route on both listeners" "$(wc -l <"$T_DIR/answers")" "$(wc -l <"$T_DIR/list")"
n_int=0
n_pub=0
bad=""
while read -r method listener pattern got internal; do
	if [ "$listener" = internal ]; then
		n_int=$((n_int + 1))
		want=404
		# another method of the same path is public: the path exists there
		if grep -qxF "$pattern" "$T_DIR/pubpaths"; then want=405; fi
		[ "$got" = "$want" ] || bad="$bad
$method $pattern: $got on the public listener, expected $want"
	else
		n_pub=$((n_pub + 1))
		[ "$got" = "$internal" ] || bad="$bad
$method $pattern: $got on the public listener, $internal on the internal one"
		[ "$got" != 404 ] || [ "$internal" = 404 ] || bad="$bad
$method $pattern: 404 on the public listener"
	fi
done <"$T_DIR/answers"
check_eq "every internal route answers 404 on the public listener, every public route as on the internal one" "$bad" ""
check_eq "... walked more than 100 internal routes" "$([ "$n_int" -gt 100 ] && echo yes || echo "only $n_int")" yes
check_eq "... and at least 15 public ones" "$([ "$n_pub" -ge 15 ] && echo yes || echo "only $n_pub")" yes

# what people meet there
check_eq "the public root leads to the portal" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$PUB/")" "303 $PUB/report"
check_eq "the internal root leads to the UI" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$BASE/")" "303 $BASE/ui/"
check_eq "the portal is served publicly" "$(status GET "$PUB" /report)" 200
curl -s "$PUB/report" >"$T_DIR/portal.html"
check_not_contains "... with no way into the UI" "$(cat "$T_DIR/portal.html")" 'href="/ui/'
check_eq "... with its styles" "$(status GET "$PUB" /static/app.css)" 200
check_eq "the login page is not public" "$(status GET "$PUB" /ui/login)" 404
check_eq "... nor the API of the PSIRT" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(admin_token)" "$PUB/api/v1/cases")" 404
check_eq "... which the internal listener serves" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(admin_token)" "$BASE/api/v1/cases")" 200
check_eq "a report through the public API"  "$(curl -s -o "$T_DIR/rep.json" -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"product":"router","description":"A long header crashes the device parser."}' "$PUB/api/v1/reports")" 201
stop_server

# without --public-listen: one listener, every route as before
start_server
check_eq "one listener serves the portal" "$(status GET "$BASE" /report)" 200
check_eq "... and the UI" "$(status GET "$BASE" /ui/login)" 200
stop_server
finish
