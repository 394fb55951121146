#!/bin/sh
# The bodies a device posts (issue 19 "Bad input"): POST
# /api/v1/device/checkin and /api/v1/device/status refuse a body of the
# wrong shape with 400 naming the field (413 for a field too long): a
# member of the wrong type, a missing version, status or seq, rollout or seq
# below 1, an unknown status, a failed report without an error code,
# control characters; nothing stored, counted or audited; a well-formed
# check-in still answers.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1
fresh_db
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >bom.json
"$VIGIL" product create fw >/dev/null
"$VIGIL" sbom import bom.json --product fw --version 1.0 >/dev/null || exit 1
"$VIGIL" device enroll --product fw --count 1 --version 1.0 >devs.txt 2>/dev/null || exit 1
D=$(cut -d' ' -f1 devs.txt)
T=$(cut -d' ' -f2 devs.txt)
start_server
post() { http POST "/api/v1/device/$1" -H "Authorization: Bearer $T" -H 'Content-Type: application/json' -d "$2"; }
msg() { body | jq -r .error.message; }
state() { db_sql "SELECT COALESCE(installed_version, '') || '|' || COALESCE(hardware, '') || '|' || COALESCE(channel, '') || '|' || status_seq FROM devices WHERE id = '$D'"; }
audits() { db_sql "SELECT COUNT(*) FROM audit_log WHERE object_id = '$D'"; }
s0=$(state)
a0=$(audits)

# ---- check-in ----
check_eq "check-in: version a number: 400" "$(post checkin '{"version":10}')" 400
check_contains "... naming it" "$(msg)" "version: expected a string"
check_eq "check-in: hardware a number: 400" "$(post checkin '{"version":"1.0","hardware":5}')" 400
check_contains "... naming it" "$(msg)" "hardware: expected a string"
check_eq "check-in: channel an object: 400" "$(post checkin '{"version":"1.0","channel":{}}')" 400
check_contains "... naming it" "$(msg)" "channel: expected a string"
check_eq "check-in: no version: 400" "$(post checkin '{"hardware":"rev-b"}')" 400
check_contains "... saying what is expected" "$(msg)" '"version"'
check_eq "check-in: an array: 400" "$(post checkin '[]')" 400
check_eq "check-in: an empty version: 400" "$(post checkin '{"version":""}')" 400
check_eq "check-in: a control character: 400" "$(post checkin '{"version":"1.0\u0007"}')" 400
check_eq "check-in: a version 130 long: 413" "$(post checkin "{\"version\":\"$(printf '%0130d' 1)\"}")" 413
check_contains "... naming it" "$(msg)" "version"
check_eq "... nothing stored" "$(state)" "$s0"
check_eq "... nothing audited" "$(audits)" "$a0"

# ---- status ----
check_eq "status: rollout a string: 400" "$(post status '{"rollout":"1","status":"installed","seq":1}')" 400
check_eq "status: no seq: 400" "$(post status '{"rollout":1,"status":"installed"}')" 400
check_eq "status: status a number: 400" "$(post status '{"rollout":1,"status":3,"seq":1}')" 400
check_eq "status: rollout 0: 400" "$(post status '{"rollout":0,"status":"installed","seq":1}')" 400
check_contains "... naming it" "$(msg)" "rollout:"
check_eq "status: seq 0: 400" "$(post status '{"rollout":1,"status":"installed","seq":0}')" 400
check_contains "... naming it" "$(msg)" "seq:"
check_eq "status: an unknown status: 400" "$(post status '{"rollout":1,"status":"exploded","seq":1}')" 400
check_contains "... listing the known ones" "$(msg)" "downloading, installing, installed or failed"
check_eq "status: failed without an error code: 400" "$(post status '{"rollout":1,"status":"failed","seq":1}')" 400
check_contains "... saying so" "$(msg)" "error code"
check_eq "status: error a number: 400" "$(post status '{"rollout":1,"status":"failed","seq":1,"error":7}')" 400
check_contains "... naming it" "$(msg)" "error: expected a string"
check_eq "status: a rollout the device is not in: 404" "$(post status '{"rollout":99,"status":"installed","seq":1}')" 404
check_eq "... nothing stored" "$(state)" "$s0"
check_eq "... nothing counted" "$(db_sql "SELECT COUNT(*) FROM rollout_devices")" 0
check_eq "... nothing audited" "$(audits)" "$a0"

# ---- a well-formed check-in still answers ----
check_eq "check-in with hardware and channel: 200" "$(post checkin '{"version":"1.0","hardware":"rev-b","channel":null}')" 200
check_eq "... none to install" "$(body | jq -r .action)" none
check_eq "... the hardware stored" "$("$VIGIL" device show "$D" --json | jq -r .hardware)" rev-b
stop_server
finish
