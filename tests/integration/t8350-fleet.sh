#!/bin/sh
# The fleet exposure (issue 19 item 4): devices enrolled for product
# versions are joined to the open findings of a vulnerability, by version
# and channel, asked by its id or an alias (CLI, API, pages); a device that
# checks in with another version moves; revoked devices and closed findings
# stop counting; the finding, vulnerability and case figures come from the
# same count (sbom_version_fleet()); bad input is refused.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1
# changes made by the CLI are checked at the very next check-in: the epoch
# read at every one (the default on SQLite; PostgreSQL's default, 100 ms,
# is what t8304's poll section checks)
export VIGIL_UPDATE_EPOCH_POLL_MS=0

fresh_db
"$VIGIL" demo load >/dev/null 2>&1 || { echo "FAIL - vigil demo load"; exit 1; }
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# no devices yet: every vulnerability reaches none
check_eq "no devices: exposure 0" \
	"$("$VIGIL" fleet exposure --vuln CVE-2026-90003 --json | jq_ 'd["devices"]')" 0
check_contains "no devices: top says so" "$("$VIGIL" fleet top 2>&1)" "no open vulnerability reaches a device"

"$VIGIL" device enroll --product acme-gateway --count 7 --channel beta --version 1.0.0 --json >beta.json ||
	echo "FAIL - enroll beta"
"$VIGIL" device enroll --product acme-gateway --count 5 --channel stable --version 1.1.0 --json >stable.json ||
	echo "FAIL - enroll stable"
"$VIGIL" device enroll --product acme-gateway --count 2 --version 1.0.0 --json >plain.json ||
	echo "FAIL - enroll without channel"

# CVE-2026-90001 affects 1.0.0 only; CVE-2026-90003 both versions
"$VIGIL" fleet exposure --vuln CVE-2026-90001 --json >e1.json
check_eq "90001: 9 devices run 1.0.0" "$(jq_ 'd["devices"]' <e1.json)" 9
check_eq "90001: one affected version" "$(jq_ 'd["affected_versions"]' <e1.json)" 1
check_eq "90001: by channel" \
	"$(jq_ '";".join("%s/%s/%s=%d" % (r["product"], r["version"], r["channel"], r["devices"]) for r in d["exposure"])' <e1.json)" \
	"acme-gateway/1.0.0/beta=7;acme-gateway/1.0.0/None=2"
"$VIGIL" fleet exposure --vuln CVE-2026-90003 --json >e3.json
check_eq "90003: 14 devices on two versions" "$(jq_ '(d["devices"], d["affected_versions"])' <e3.json)" "(14, 2)"
check_eq "an alias finds the same exposure" \
	"$("$VIGIL" fleet exposure --vuln DEMO-2026-0003 --json | jq_ 'd["devices"]')" 14
check_contains "the table names version and channel" \
	"$("$VIGIL" fleet exposure --vuln CVE-2026-90003)" "1.1.0            stable"

# the distribution and the top list
"$VIGIL" fleet versions --json >v.json
check_eq "versions: 14 devices in all" "$(jq_ 'd["devices"]' <v.json)" 14
check_eq "versions: rows" \
	"$(jq_ '";".join("%s/%s=%d" % (r["version"], r["channel"], r["devices"]) for r in d["versions"])' <v.json)" \
	"1.0.0/beta=7;1.1.0/stable=5;1.0.0/None=2"
check_eq "top: 90003 first with 14" \
	"$("$VIGIL" fleet top --json | jq_ '(d[0]["vulnerability"], d[0]["devices"], d[0]["severity"])')" \
	"('CVE-2026-90003', 14, 'critical')"

# bad input
check_eq "unknown vulnerability: exit 1" "$(run_cmd "$VIGIL" fleet exposure --vuln CVE-1999-0000)" 1
check_contains "unknown vulnerability named" "$(cat "$T_DIR/err")" "no vulnerability CVE-1999-0000"
check_eq "no --vuln: usage, exit 2" "$(run_cmd "$VIGIL" fleet exposure)" 2
check_eq "unknown product: exit 1" "$(run_cmd "$VIGIL" fleet versions --product nope)" 1
check_eq "bad --limit: exit 2" "$(run_cmd "$VIGIL" fleet top --limit 0)" 2

# a device checking in with another version moves from 1.0.0 to 1.1.0
start_server
tok=$(jq_ 'd[0]["token"]' <beta.json)
check_eq "check-in with 1.1.0" "$(http POST /api/v1/device/checkin -H "Authorization: Bearer $tok" \
	-H 'Content-Type: application/json' --data '{"version":"1.1.0"}')" 200
# the installed version is written at check-in (only last_seen is batched)
check_eq "90001 after the move: 8" \
	"$("$VIGIL" fleet exposure --vuln CVE-2026-90001 --json | jq_ 'd["devices"]')" 8
check_eq "90003 unchanged: 14" \
	"$("$VIGIL" fleet exposure --vuln CVE-2026-90003 --json | jq_ 'd["devices"]')" 14

# revoked devices stop counting
dev=$(jq_ 'd[1]["id"]' <beta.json)
ok "revoke a device" "$VIGIL" device revoke "$dev" --reason "lost in transit"
check_eq "90001 after a revocation: 7" \
	"$("$VIGIL" fleet exposure --vuln CVE-2026-90001 --json | jq_ 'd["devices"]')" 7

# the API: the same figures, to readers only; never to a device
ADM=$(admin_token)
check_eq "API exposure 200" "$(http GET '/api/v1/fleet/exposure/CVE-2026-90003' -H "Authorization: Bearer $ADM")" 200
check_eq "API exposure devices" "$(body | jq_ 'd["devices"]')" 13
check_eq "API unknown vulnerability 404" "$(http GET '/api/v1/fleet/exposure/CVE-1999-0000' -H "Authorization: Bearer $ADM")" 404
check_eq "API: a malformed id 400" "$(http GET '/api/v1/fleet/exposure/a%01b' -H "Authorization: Bearer $ADM")" 400
check_eq "API versions" "$(http GET '/api/v1/fleet/versions?product=acme-gateway' -H "Authorization: Bearer $ADM")" 200
check_eq "API top" "$(http GET '/api/v1/fleet/vulnerabilities?limit=5' -H "Authorization: Bearer $ADM")" 200
check_eq "API top first" "$(body | jq_ 'd["vulnerabilities"][0]["devices"]')" 13
check_eq "a device token may not read the fleet" \
	"$(http GET '/api/v1/fleet/versions' -H "Authorization: Bearer $(jq_ 'd[2]["token"]' <beta.json)")" 403
check_eq "anonymous may not read the fleet" "$(http GET '/api/v1/fleet/versions')" 401

# a closed finding stops counting: 90001 triaged not affected
fid=$("$VIGIL" findings list --json | jq_ '[f["id"] for f in (d["findings"] if isinstance(d, dict) else d) if f["vuln_id"] == "CVE-2026-90001"][0]')
ok "triage 90001 in triage" "$VIGIL" findings triage "$fid" --state in_triage
ok "triage 90001 not affected" "$VIGIL" findings triage "$fid" --state not_affected \
	--justification vulnerable_code_not_in_execute_path --comment "not reachable in our build"
check_eq "90001 closed: no device exposed" \
	"$("$VIGIL" fleet exposure --vuln CVE-2026-90001 --json | jq_ '(d["devices"], len(d["exposure"]))')" "(0, 0)"

# the pages
ok "add a reader" sh -c "VIGIL_PASSWORD=pw-fleet-reader-1 '$VIGIL' user add rita --role auditor"
csrf=$(curl -s -c jar -b jar "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
check_eq "log in" "$(curl -s -b jar -c jar -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$csrf" \
	--data-urlencode user=rita --data-urlencode password=pw-fleet-reader-1 "$BASE/ui/login")" 303
check_eq "fleet page" "$(curl -s -b jar -o page.html -w '%{http_code}' "$BASE/ui/fleet")" 200
check_contains "fleet page: the top vulnerability" "$(cat page.html)" "CVE-2026-90003"
check_contains "fleet page: the version chart" "$(cat page.html)" 'id="chart-versions"'
check_contains "fleet page: the distribution" "$(cat page.html)" 'id="fleet-versions"'
check_eq "exposure page" "$(curl -s -b jar -o page.html -w '%{http_code}' "$BASE/ui/fleet/exposure/DEMO-2026-0003")" 200
check_contains "exposure page: the total" "$(cat page.html)" "<strong>13 device(s)</strong>"
check_eq "exposure page: unknown is 404" \
	"$(curl -s -b jar -o page.html -w '%{http_code}' "$BASE/ui/fleet/exposure/%3Cx%3E")" 404
check_contains "exposure page: the id escaped" "$(cat page.html)" "&lt;x&gt;"
stop_server
finish
