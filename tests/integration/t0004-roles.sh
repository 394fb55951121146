#!/bin/sh
# The route x role matrix: every route of the table, requested with no
# credentials and with a token of every role, answers 401 / 403 / success
# exactly as its declared roles say.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
for r in admin psirt auditor ci device; do
	"$VIGIL" token create --name "m-$r" --role "$r" >"$T_DIR/tok.$r" 2>/dev/null
done
# a configured security.txt, so that /.well-known/security.txt has something to serve
VIGIL_SECURITYTXT_CONTACT=mailto:psirt@example.com
export VIGIL_SECURITYTXT_CONTACT
start_server
"$VIGIL" routes --json >"$T_DIR/routes.json"
n=$(jq length "$T_DIR/routes.json")
check_eq "route table is not empty" "$([ "$n" -gt 5 ] && echo yes)" "yes"

i=0
while [ $i -lt "$n" ]; do
	m=$(jq -r ".[$i].method" "$T_DIR/routes.json")
	p=$(jq -r ".[$i].path" "$T_DIR/routes.json")
	pub=$(jq -r ".[$i].public" "$T_DIR/routes.json")
	ui=$(jq -r ".[$i].ui" "$T_DIR/routes.json")
	roles=" $(jq -r ".[$i].roles | join(\" \")" "$T_DIR/routes.json") "
	# placeholders for path parameters; a trailing * matches anything
	path=$(printf '%s' "$p" | sed -e 's/{[^}]*}/matrix-x/g' -e 's/\*$/matrix-x/')
	i=$((i + 1))
	case $path in
	/static/*) path=/static/app.css ;;
	esac
	set -- -X "$m"
	if [ "$m" = POST ] || [ "$m" = PUT ] || [ "$m" = PATCH ]; then
		set -- "$@" -H 'Content-Type: application/json' --data-binary '{}'
	fi
	code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$BASE$path")
	if [ "$pub" = true ]; then
		ok "$m $p anonymous: public ($code)" test "$code" != 401
	elif [ "$ui" = true ] && [ "$m" = GET ]; then
		check_eq "$m $p anonymous: redirect to login" "$code" 303
	else
		check_eq "$m $p anonymous: 401" "$code" 401
	fi
	for r in admin psirt auditor ci device; do
		tok=$(cat "$T_DIR/tok.$r")
		code=$(curl -s -o /dev/null -w '%{http_code}' "$@" -H "Authorization: Bearer $tok" "$BASE$path")
		case "$roles" in
		*" $r "*) allowed=1 ;;
		*) allowed=0 ;;
		esac
		[ "$pub" = true ] && allowed=1
		if [ $allowed -eq 1 ]; then
			ok "$m $p as $r: allowed ($code)" test "$code" != 401 -a "$code" != 403 -a "$code" -lt 500
			case $m:$p in
			GET:*'{'* | GET:*'*') ;;
			GET:*) ok "$m $p as $r: success ($code)" test "$code" -ge 200 -a "$code" -lt 400 ;;
			esac
		else
			check_eq "$m $p as $r: 403" "$code" 403
		fi
	done
done

# A revoked token is refused at once.
"$VIGIL" token revoke m-psirt >/dev/null
check_eq "revoked token 401" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$T_DIR/tok.psirt")" "$BASE/api/v1/whoami")" 401
# An expired token is refused.
"$VIGIL" token create --name short --role admin --expires 2000-01-01T00:00:00Z >"$T_DIR/tok.short" 2>/dev/null
check_eq "expired token 401" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$T_DIR/tok.short")" "$BASE/api/v1/whoami")" 401
finish
