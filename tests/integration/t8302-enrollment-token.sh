#!/bin/sh
# One-time enrollment tokens (issue 19 item 1): `vigil device enroll
# --enrollment-token` issues tokens shown once and stored hashed; a device
# exchanges one at POST /api/v1/device/enroll for its own credential (a new
# device of the product, channel, hardware and version the token was issued
# for), which then checks in. Single use: a replay is refused with nothing
# enrolled, and audited; a token past its lifetime (VIGIL_NOW moved) or
# revoked is refused; bad input (no token, a device credential, an unknown
# token, --ttl out of range) refused: 400 malformed, 401 unknown, 409 used,
# 410 expired or revoked. Every issue and exchange is audited.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1
fresh_db
NOW=1800000000
at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
export VIGIL_NOW=$(at $NOW)
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >bom.json
"$VIGIL" product create fw >/dev/null
"$VIGIL" sbom import bom.json --product fw --version 1.0 >/dev/null || exit 1

# ---- issue ----
check_eq "issue 3 tokens" "$(run_cmd "$VIGIL" device enroll --product fw --count 3 --channel beta --hardware rev-b --version 1.0 --enrollment-token --ttl 1h)" 0
cp "$T_DIR/out" enr.txt
check_eq "... three lines" "$(wc -l <enr.txt)" 3
check_contains "... shown once" "$(cat "$T_DIR/err")" "shown once"
E1=$(sed -n 1p enr.txt | cut -d' ' -f2)
E2=$(sed -n 2p enr.txt | cut -d' ' -f2)
E3=$(sed -n 3p enr.txt | cut -d' ' -f2)
I3=$(sed -n 3p enr.txt | cut -d' ' -f1)
check_contains "an enrollment token, not a credential" "$E1" "vge_"
check_eq "... with its expiry" "$(sed -n 1p enr.txt | cut -d' ' -f3)" "$(at $((NOW + 3600)))"
check_eq "stored hashed only" "$(db_sql "SELECT COUNT(*) FROM device_enrollments WHERE token_hash LIKE 'vge_%'")" 0
check_eq "no device enrolled yet" "$(db_sql "SELECT COUNT(*) FROM devices")" 0
check_eq "issue audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'device.enrollment_issue'")" 1
check_eq "--json" "$("$VIGIL" device enroll --product fw --enrollment-token --json | jq -r '.[0].enrollment_token | startswith("vge_")')" true
ok "--ttl 10s refused (below a minute)" test "$(run_cmd "$VIGIL" device enroll --product fw --enrollment-token --ttl 10s)" -ne 0
check_contains "... naming --ttl" "$(cat "$T_DIR/err")" "--ttl"
ok "--ttl 90d refused (above 30 days)" test "$(run_cmd "$VIGIL" device enroll --product fw --enrollment-token --ttl 90d)" -ne 0
ok "--ttl without --enrollment-token refused" test "$(run_cmd "$VIGIL" device enroll --product fw --ttl 1h)" -eq 2
ok "unknown product refused" test "$(run_cmd "$VIGIL" device enroll --product nope --enrollment-token)" -ne 0

start_server
enroll() { http POST /api/v1/device/enroll -H 'Content-Type: application/json' -d "{\"enrollment_token\":\"$1\"}"; }
ci() { http POST /api/v1/device/checkin -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$2"; }

# ---- exchange ----
check_eq "exchange: 201" "$(enroll "$E1")" 201
D1=$(body | jq -r .id)
T1=$(body | jq -r .token)
check_contains "... a device credential" "$T1" "vgd_"
check_eq "... a device of the product, as issued" "$("$VIGIL" device show "$D1" --json | jq -r '[.product, .channel, .hardware, .installed_version] | join(" ")')" "fw beta rev-b 1.0"
check_eq "... the token marked used by that device" "$(db_sql "SELECT device_id FROM device_enrollments WHERE used_at = $NOW AND device_id = '$D1'")" "$D1"
check_eq "... audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'device.enroll_exchange' AND object_id = '$D1'")" 1
check_eq "the credential checks in" "$(ci "$T1" '{"version":"1.0"}')" 200
check_eq "... answered none" "$(body | jq -r .action)" none
check_eq "the enrollment token is no device credential" "$(ci "$E2" '{"version":"1.0"}')" 401

# ---- replay ----
check_eq "replay: 409" "$(enroll "$E1")" 409
check_contains "... saying it was used" "$(body | jq -r .error.message)" "used already"
check_eq "... nothing enrolled" "$(db_sql "SELECT COUNT(*) FROM devices")" 1
check_eq "... the refusal audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'device.enroll_refused'")" 1
check_eq "... the first device still works" "$(ci "$T1" '{"version":"1.0"}')" 200

# ---- as a Bearer token too; bad input ----
check_eq "exchange with Authorization: Bearer" "$(http POST /api/v1/device/enroll -H "Authorization: Bearer $E2")" 201
check_eq "no token: 400" "$(http POST /api/v1/device/enroll -H 'Content-Type: application/json' -d '{}')" 400
check_eq "a device credential is no enrollment token: 400" "$(enroll "$T1")" 400
check_eq "... nor as a Bearer token (the body is read): 400" "$(http POST /api/v1/device/enroll -H "Authorization: Bearer $T1" -H 'Content-Type: application/json' -d '{}')" 400
check_eq "an unknown token: 401" "$(enroll vge_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA)" 401
check_contains "... saying it is unknown" "$(body | jq -r .error.message)" "not an enrollment token"
check_eq "not JSON: 400" "$(http POST /api/v1/device/enroll -H 'Content-Type: application/json' -d 'nope')" 400
check_eq "still two devices" "$(db_sql "SELECT COUNT(*) FROM devices")" 2

# ---- revoked ----
check_eq "revoke an unused token" "$(run_cmd "$VIGIL" device enrollment-revoke "$I3")" 0
check_eq "a revoked token: 410" "$(enroll "$E3")" 410
check_contains "... saying so" "$(body | jq -r .error.message)" "revoked"
check_eq "revoking a used one refused" "$(run_cmd "$VIGIL" device enrollment-revoke "$(sed -n 1p enr.txt | cut -d' ' -f1)")" 1
ok "revoke: a bad id refused" test "$(run_cmd "$VIGIL" device enrollment-revoke abc)" -eq 2

# ---- expiry (VIGIL_NOW) ----
"$VIGIL" device enroll --product fw --enrollment-token --ttl 10m >exp.txt 2>/dev/null
E4=$(sed -n 1p exp.txt | cut -d' ' -f2)
"$VIGIL" device enroll --product fw --enrollment-token --ttl 10m >exp2.txt 2>/dev/null
E5=$(sed -n 1p exp2.txt | cut -d' ' -f2)
stop_server
VIGIL_NOW=$(at $((NOW + 599))) start_server
check_eq "one second before its expiry: 201" "$(enroll "$E5")" 201
stop_server
VIGIL_NOW=$(at $((NOW + 600))) start_server
check_eq "at its expiry: 410" "$(enroll "$E4")" 410
check_contains "... saying it expired" "$(body | jq -r .error.message)" "expired"
check_eq "... nothing enrolled" "$(db_sql "SELECT COUNT(*) FROM devices")" 3
check_eq "every refusal of a known token audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'device.enroll_refused'")" 3
stop_server
finish
