#!/bin/sh
# t9003 - vigil's own events in the log store (issue 21, item 1): the audit
# trail (sign-ins, refused sign-ins, every audited change) copied under
# source "vigil" by the leader's job logs.audit and by `vigil logs
# audit-copy`: each record once, the log store's own records
# (logs.*) passed over, the audit sequence number kept as a field.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

fresh_db
export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts"
VIGIL_PASSWORD=pw-own-9003-abcd "$VIGIL" user add owen --role psirt >/dev/null
"$VIGIL" product create router >/dev/null

# count ARGS...: events of source vigil copied from the audit trail matching
# ARGS (the in-process events share the source; they carry no audit_seq)
count() {
	"$VIGIL" logs query --source vigil --limit 100000 --json "$@" |
		jq '[.events[] | select(.fields.audit_seq)] | length'
}

export VIGIL_JOBS_TICK=1
start_server
J="$T_DIR/jar"
login() { # user password -> status
	rm -f "$J"
	csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -c "$J" -b "$J" --data-urlencode "csrf=$csrf" \
		--data-urlencode "user=$1" --data-urlencode "password=$2" "$BASE/ui/login"
}
check_eq "sign-in" "$(login owen pw-own-9003-abcd)" 303
check_eq "refused sign-in" "$(login owen wrong-password-1)" 401
# the job logs.audit (every 10 s) copies them
i=0
while [ $i -lt 300 ] && [ "$(count --grep 'auth.login user:owen')" != 1 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq "the job copies the sign-in" "$(count --grep 'auth.login user:owen')" 1
i=0
while [ $i -lt 100 ] && [ "$(count --grep 'auth.login_failed user:owen')" != 1 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq "the job copies the refused sign-in" "$(count --grep 'auth.login_failed user:owen')" 1
# every request as the event http.access (server.access_log = on), flushed
# by the job logs.flush; a secret in the path is logged as its route
curl -s -o /dev/null "$BASE/report/track/secret-tracking-token-9003"
curl -s -o /dev/null -H "Authorization: Bearer nonsense" "$BASE/api/v1/products"
access() { # jq filter over the access events
	"$VIGIL" logs query --source vigil --grep http.access --limit 100000 --json | jq -r "[.events[].fields] | $1"
}
i=0
while [ $i -lt 300 ] && [ "$(access '[.[] | select(.path == "/report/track/{token}")] | length')" = 0 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq "the access event of a tracking page names the route" \
	"$(access '[.[] | select(.path == "/report/track/{token}")][0] | "\(.method) \(.status) \(.listener)"')" "GET 404 internal"
check_eq "... never the token" "$("$VIGIL" logs query --source vigil --limit 100000 --json | grep -c secret-tracking-token-9003)" 0
check_eq "a refused API call is kept with its status" \
	"$(access '[.[] | select(.path == "/api/v1/products" and .status == 401)] | length')" 1
check_eq "... and the sign-in page with the user who came" \
	"$(access '[.[] | select(.path == "/ui/login" and .method == "POST")] | map(.status) | sort | join(",")')" "303,401"
stop_server
unset VIGIL_JOBS_TICK

check_eq "the product's creation is there" "$(count --grep 'product.create product:router by ')" 1
check_eq "the user's creation is there" "$(count --grep 'user.create user:owen')" 1
"$VIGIL" logs query --source vigil --grep 'auth.login user:owen' --json >"$T_DIR/q.json"
check_eq "the actor is kept" "$(jq -r '.events[0].fields.action' "$T_DIR/q.json")" auth.login
check_eq "the audit sequence number is kept" \
	"$(jq '.events[0].fields.audit_seq | type == "number" and . > 0' "$T_DIR/q.json")" true

# nothing new: nothing copied; the log store's own records are passed over
check_eq "copied before: nothing new" "$("$VIGIL" logs audit-copy --json | jq .copied)" 0
n=$(count)
"$VIGIL" logs hold add --product router --reason "t9003" >/dev/null
check_eq "a logs.* record is not copied" "$("$VIGIL" logs audit-copy --json | jq .copied)" 0
check_eq "no logs.* event" "$(count --grep 'logs.hold')" 0
"$VIGIL" product create camera >/dev/null
check_eq "a new record: copied once" "$("$VIGIL" logs audit-copy --json | jq .copied)" 1
check_eq "and not again" "$("$VIGIL" logs audit-copy)" "0 audit records copied"
check_eq "one more event in all" "$(count)" $((n + 1))
# two copiers at once (the job on the leader and the command): still once
i=0
while [ $i -lt 30 ]; do
	"$VIGIL" product create "p$i" >/dev/null
	i=$((i + 1))
done
"$VIGIL" logs audit-copy --json >"$T_DIR/c1.json" &
c1=$!
"$VIGIL" logs audit-copy --json >"$T_DIR/c2.json" &
c2=$!
wait $c1
r1=$?
wait $c2
r2=$?
check_eq "two copiers at once: both succeed" "$r1 $r2" "0 0"
check_eq "two copiers at once: 30 copied between them" \
	"$(($(jq .copied "$T_DIR/c1.json") + $(jq .copied "$T_DIR/c2.json")))" 30
# every audit record but the logs.* ones is there once
audited=$(db_sql "SELECT count(*) FROM audit_log WHERE action NOT LIKE 'logs.%'")
check_eq "every audit record once" "$(count)" "$audited"
finish
