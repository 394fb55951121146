#!/bin/sh
# Devices, check-in and phased rollouts (issue 19), with the device
# simulator (bench_devsim): enrollment and revocation; bad input (unknown
# device, revoked token, a status for a rollout the device is not in, a
# version not in the product, replayed status) refused and counted once; a
# 1 %/10 %/100 % rollout advancing by itself as VIGIL_NOW moves; a 10 %
# failure rate halting it automatically at the first stage; a halt honoured
# on the next check-in of every device; pause and resume; rollback to the
# previous release re-published as new TUF target versions; the audit trail
# of each step; a device token refused by every other route. On PostgreSQL
# also two servers on one database: a halt through one is honoured by the
# other within a second.
# vigil-test: long (minutes: ctest starts it first)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
SIM="$VIGIL_BUILD_DIR/bench_devsim"
[ -x "$SIM" ] || { echo "FAIL - $SIM not built"; exit 1; }
cd "$T_DIR" || exit 1
# changes made by the CLI are checked at the very next check-in: the epoch
# read at every one (the default on SQLite; PostgreSQL's default, 100 ms,
# is what t8304's poll section checks)
export VIGIL_UPDATE_EPOCH_POLL_MS=0
fresh_db
export VIGIL_UPDATE_ARTIFACT_STORE=db
export VIGIL_JOBS_TICK=3600 # the tests run the evaluation themselves
NOW=1800000000
at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
export VIGIL_NOW=$(at $NOW)
# move_to T: the clock of the CLI and of the server (restarted) at NOW + T
move_to() {
	VIGIL_NOW=$(at $((NOW + $1)))
	export VIGIL_NOW
	if [ -n "$T_SERVER_PID" ]; then
		stop_server
		start_server
	fi
}

# ---- a product with two published releases (1.0, then 1.1) ----
openssl ecparam -name prime256v1 -genkey -noout -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
"$VIGIL" ci-key add ci ec.pub >/dev/null || exit 1
for n in r1 tg sn ts prod; do
	"$VIGIL" signer keygen "$n" --software "$T_DIR/$n.key" --algorithm ed25519 >/dev/null || exit 1
done
"$VIGIL" tuf init --root-signers r1 --root-threshold 1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts >/dev/null || exit 1
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >bom.json
"$VIGIL" product create fw >/dev/null
"$VIGIL" product create other >/dev/null
for v in 1.0 1.1 2.0; do "$VIGIL" sbom import bom.json --product fw --version "$v" >/dev/null; done
"$VIGIL" tuf delegate --product fw --signer prod >/dev/null || exit 1
for v in 1.0 1.1 2.0; do
	head -c 5000 /dev/urandom >"fw.img"
	openssl dgst -sha256 -sign ec.key -out fw.img.sig fw.img
	cp fw.img "fw-$v.img"
	"$VIGIL" release create --product fw --version "$v" >/dev/null
	"$VIGIL" release upload "fw@$v" fw.img --signature fw.img.sig >/dev/null || exit 1
done
"$VIGIL" release publish fw@1.0 >/dev/null || exit 1
VIGIL_NOW=$(at $((NOW + 10))) "$VIGIL" release publish fw@1.1 >/dev/null || exit 1
SHA10=$(sha256sum fw-1.0.img | cut -c1-64)
SHA11=$(sha256sum fw-1.1.img | cut -c1-64)

# ---- enrollment ----
"$VIGIL" device enroll --product fw --count 250 --version 1.0 >devs.txt 2>enroll.err
check_eq "250 devices enrolled" "$(wc -l <devs.txt)" 250
check_contains "the tokens are shown once" "$(cat enroll.err)" "shown once"
# the 1 % stage needs devices: enroll more until two cohorts fall below 100
while [ "$(db_sql "SELECT COUNT(*) FROM devices WHERE cohort < 100")" -lt 2 ]; do
	"$VIGIL" device enroll --product fw --version 1.0 >>devs.txt 2>/dev/null
done
ND=$(wc -l <devs.txt)
check_eq "tokens stored hashed only" "$(db_sql "SELECT COUNT(*) FROM devices WHERE token_hash LIKE 'vgd_%'")" 0
check_eq "device list --json" "$("$VIGIL" device list --product fw --json | jq length)" "$ND"
check_eq "device list --version" "$("$VIGIL" device list --product fw --version 1.0 --json | jq length)" "$ND"
D1=$(sed -n 1p devs.txt | cut -d' ' -f1)
T1=$(sed -n 1p devs.txt | cut -d' ' -f2)
check_eq "device show" "$("$VIGIL" device show "$D1" --json | jq -r .installed_version)" 1.0
check_eq "version_id known" "$("$VIGIL" device show "$D1" --json | jq '.version_id > 0')" true
ok "enroll: unknown product refused" test "$(run_cmd "$VIGIL" device enroll --product nope)" -ne 0
check_contains "... naming it" "$(cat "$T_DIR/err")" "'nope'"
ok "enroll: --count 0 refused" test "$(run_cmd "$VIGIL" device enroll --product fw --count 0)" -eq 2
ok "enroll: a version not in the product refused" test "$(run_cmd "$VIGIL" device enroll --product fw --version 9.9)" -ne 0
"$VIGIL" device enroll --product other --count 1 >other.txt 2>/dev/null
TO=$(cut -d' ' -f2 other.txt)
"$VIGIL" device enroll --product fw --count 1 --version 1.0 >rev.txt 2>/dev/null
DR=$(cut -d' ' -f1 rev.txt)
TR=$(cut -d' ' -f2 rev.txt)

start_server
ADM=$(admin_token)
ci() { http POST /api/v1/device/checkin -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$2"; }
st() { http POST /api/v1/device/status -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$2"; }

check_eq "check-in with no rollout: 200" "$(ci "$T1" '{"version":"1.0"}')" 200
check_eq "... answers none" "$(body | jq -r .action)" none
check_eq "a version not in the product: 400" "$(ci "$T1" '{"version":"7.7"}')" 400
check_contains "... naming the version" "$(body | jq -r .error.message)" "'7.7'"
check_eq "... and nothing stored" "$("$VIGIL" device show "$D1" --json | jq -r .installed_version)" 1.0
check_eq "unknown device token: 401" "$(ci "vgd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" '{"version":"1.0"}')" 401
check_eq "no version: 400" "$(ci "$T1" '{}')" 400
check_eq "revoke" "$(run_cmd "$VIGIL" device revoke "$DR" --reason lost)" 0
check_eq "revoked token: 401" "$(ci "$TR" '{"version":"1.0"}')" 401
check_eq "revoking twice refused" "$(run_cmd "$VIGIL" device revoke "$DR")" 1
check_eq "revocation audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'device.revoke' AND object_id = '$DR'")" 1

# ---- device token confinement: every route but check-in and status refuses it ----
"$VIGIL" routes --json >routes.json
n=$(jq length routes.json)
i=0
bad=0
while [ $i -lt "$n" ]; do
	m=$(jq -r ".[$i].method" routes.json)
	p=$(jq -r ".[$i].path" routes.json)
	pub=$(jq -r ".[$i].public" routes.json)
	i=$((i + 1))
	[ "$pub" = true ] && continue
	case "$p" in /api/v1/device/checkin | /api/v1/device/status) continue ;; esac
	path=$(printf '%s' "$p" | sed -e 's/{[^}]*}/x/g' -e 's/\*$/x/')
	code=$(curl -s -o /dev/null -w '%{http_code}' -X "$m" -H "Authorization: Bearer $T1" -H 'Content-Type: application/json' --data-binary '{}' "$BASE$path")
	if [ "$code" != 403 ]; then
		echo "# device token on $m $p: $code"
		bad=$((bad + 1))
	fi
done
check_eq "a device token is refused (403) by every other route" "$bad" 0
check_eq "... and the check-in refuses a user token" "$(ci "$ADM" '{"version":"1.0"}')" 403

# ---- rollout create: bad input ----
ok "create: unpublished release refused" test "$(run_cmd "$VIGIL" rollout create fw@2.0 --stages 1,10,100)" -ne 0
check_contains "... saying so" "$(cat "$T_DIR/err")" "not published"
ok "create: stages not ascending refused" test "$(run_cmd "$VIGIL" rollout create fw@1.1 --stages 10,5)" -ne 0
ok "create: stage 0 refused" test "$(run_cmd "$VIGIL" rollout create fw@1.1 --stages 0,100)" -ne 0
ok "create: bad --filter refused" test "$(run_cmd "$VIGIL" rollout create fw@1.1 --stages 1,100 --filter hw=x)" -ne 0
ok "create: --success-min 101 refused" test "$(run_cmd "$VIGIL" rollout create fw@1.1 --stages 1,100 --success-min 101)" -eq 2
check_eq "nothing created" "$(db_sql "SELECT COUNT(*) FROM rollouts")" 0

# ---- a healthy 1/10/100 rollout advances by itself ----
R=$("$VIGIL" rollout create fw@1.1 --stages 1,10,100 --soak 1h --success-min 90 --max-failure 5 --min-sample 2 --json | jq .id)
check_eq "created as draft" "$("$VIGIL" rollout show "$R" --json | jq -r .state)" draft
check_eq "previous release found" "$("$VIGIL" rollout show "$R" --json | jq -r .previous_version)" 1.0
check_eq "a draft offers nothing" "$(ci "$T1" '{"version":"1.0"}' >/dev/null; body | jq -r .action)" none
"$VIGIL" rollout start "$R" --reason "first wave" >/dev/null
check_eq "started" "$("$VIGIL" rollout show "$R" --json | jq -r .state)" running
sim() { "$SIM" --url "$BASE" --devices devs.txt --version 1.0 --state sim.state --threads 4 "$@"; }
cp /dev/null sim.state
sleep 0.6 # the check-in's look at the rollout epoch (every 0.5 s)
sim --fail-rate 0 >round1.json
in1=$(db_sql "SELECT COUNT(*) FROM devices WHERE product_id = (SELECT id FROM products WHERE name='fw') AND cohort < 100 AND COALESCE(revoked_at,0) = 0")
check_eq "stage 1: exactly the 1 % cohort offered" "$(jq .offered round1.json)" "$in1"
check_eq "... installed" "$(jq .installed round1.json)" "$in1"
check_eq "... no errors" "$(jq .errors round1.json)" 0
check_eq "the install answer names the TUF target" "$(db_sql "SELECT COUNT(*) FROM tuf_targets WHERE name = 'fw/fw.img' AND sha256 = '$SHA11'")" 1
# a device of the 1 % stage now checks in with 1.1: none
DS=$(db_sql "SELECT id FROM devices WHERE cohort < 100 AND installed_version = '1.1' LIMIT 1")
TS=$(grep "^$DS " devs.txt | cut -d' ' -f2)
check_eq "an updated device is offered nothing" "$(ci "$TS" '{"version":"1.1"}' >/dev/null; body | jq -r .action)" none
# the answer of an install, for a device of a later stage after advancing
"$VIGIL" rollout evaluate >/dev/null
check_eq "not advanced before the soak" "$("$VIGIL" rollout show "$R" --json | jq .stage)" 0
move_to 3601
"$VIGIL" rollout evaluate >/dev/null
check_eq "advanced by itself after the soak" "$("$VIGIL" rollout show "$R" --json | jq .stage)" 1
check_eq "... audited as system:rollout" "$(db_sql "SELECT actor FROM audit_log WHERE action = 'rollout.advance' AND object_id = '$R' ORDER BY seq DESC LIMIT 1")" "system:rollout"
check_eq "... with why" "$(db_sql "SELECT after_json FROM audit_log WHERE action = 'rollout.advance' AND object_id = '$R' ORDER BY seq DESC LIMIT 1" | jq -r .reason | grep -c soaked)" 1
check_eq "the soak fired once on the deadline engine" "$(db_sql "SELECT COUNT(*) FROM deadline_fired WHERE clock = 'rollout.soak'")" 1
sleep 0.6
D10=$(db_sql "SELECT id FROM devices WHERE cohort >= 100 AND cohort < 1000 AND COALESCE(revoked_at,0) = 0 LIMIT 1")
T10=$(grep "^$D10 " devs.txt | cut -d' ' -f2)
ci "$T10" '{"version":"1.0","hardware":"rev-b"}' >/dev/null
check_eq "stage 2 device: install" "$(body | jq -r .action)" install
check_eq "... the TUF target name" "$(body | jq -r .target.name)" fw/fw.img
check_eq "... its length" "$(body | jq -r .target.length)" 5000
check_eq "... its sha256" "$(body | jq -r .target.hashes.sha256)" "$SHA11"
check_eq "... the rollout" "$(body | jq -r .rollout)" "$R"
check_eq "... the version" "$(body | jq -r .version)" 1.1
check_eq "... no delta (none made)" "$(body | jq -r .delta)" null
check_eq "hardware stored" "$("$VIGIL" device show "$D10" --json | jq -r .hardware)" rev-b
# status bad input
check_eq "status for a rollout the device is not in: 404" "$(st "$TO" "{\"rollout\":$R,\"status\":\"installed\",\"seq\":1}")" 404
check_eq "status: unknown status word 400" "$(st "$T10" "{\"rollout\":$R,\"status\":\"done\",\"seq\":5}")" 400
check_eq "status: failed without error code 400" "$(st "$T10" "{\"rollout\":$R,\"status\":\"failed\",\"seq\":5}")" 400
check_eq "status: downloading" "$(st "$T10" "{\"rollout\":$R,\"status\":\"downloading\",\"seq\":5}")" 200
check_eq "status: replayed seq refused 409" "$(st "$T10" "{\"rollout\":$R,\"status\":\"downloading\",\"seq\":5}")" 409
check_contains "... saying replayed" "$(body | jq -r .error.message)" "replayed"
check_eq "status: an older seq refused" "$(st "$T10" "{\"rollout\":$R,\"status\":\"installed\",\"seq\":4}")" 409
check_eq "... counted once" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'device.status' AND object_id = '$D10'")" 1
check_eq "... and not installed" "$("$VIGIL" device show "$D10" --json | jq -r .installed_version)" 1.0
sim --fail-rate 0 >round2.json
check_eq "stage 2: no errors" "$(jq .errors round2.json)" 0
move_to 7300
"$VIGIL" rollout evaluate >/dev/null
check_eq "advanced to 100 % by itself" "$("$VIGIL" rollout show "$R" --json | jq .percent)" 100
sleep 0.6
sim --fail-rate 0 >round3.json
move_to 11000
"$VIGIL" rollout evaluate >/dev/null
check_eq "done after the last stage soaked" "$("$VIGIL" rollout show "$R" --json | jq -r .state)" done
check_eq "every active device runs 1.1" "$("$VIGIL" device list --product fw --version 1.1 --json | jq length)" "$ND"
check_eq "audit: create, start, soaked and advance x3" "$(db_sql "SELECT action FROM audit_log WHERE object_type = 'rollout' AND object_id = '$R' ORDER BY seq" | tr '\n' ' ')" "rollout.create rollout.start rollout.soaked rollout.advance rollout.soaked rollout.advance rollout.soaked rollout.advance "

# ---- rollback: the previous release re-published as new TUF target versions ----
v_before=$(db_sql "SELECT MAX(version) FROM tuf_metadata WHERE role = 'products/fw'")
ok "rollback without a reason refused" test "$(run_cmd "$VIGIL" rollout rollback "$R")" -ne 0
"$VIGIL" rollout rollback "$R" --reason "boot loop on rev-b" >/dev/null || echo "# rollback failed"
check_eq "rolled back" "$("$VIGIL" rollout show "$R" --json | jq -r .state)" rolled_back
check_eq "a new version of the product's TUF role" "$(db_sql "SELECT MAX(version) FROM tuf_metadata WHERE role = 'products/fw'")" "$((v_before + 1))"
check_eq "... listing 1.0's bytes as the current target" "$(db_sql "SELECT sha256 FROM tuf_targets WHERE name = 'fw/fw.img' AND current = 1")" "$SHA10"
check_eq "rollback audited with who and why" "$(db_sql "SELECT actor || ' ' || after_json FROM audit_log WHERE action = 'rollout.rollback'" | grep -c 'boot loop')" 1
sleep 0.6
ci "$T1" '{"version":"1.1"}' >/dev/null
check_eq "a device on 1.1 is offered 1.0 again" "$(body | jq -r .version)" 1.0
check_eq "... with 1.0's hash" "$(body | jq -r .target.hashes.sha256)" "$SHA10"
sim --fail-rate 0 >round4.json
check_eq "every device back on 1.0" "$("$VIGIL" device list --product fw --version 1.0 --json | jq '[.[] | select(.revoked | not)] | length')" "$ND"

# ---- a 10 % failure rate halts at the first stage ----
# halts go to the notifier at the highest urgency
"$VIGIL" notify channel-add oncall --kind webhook --url http://127.0.0.1:9/hook >/dev/null || echo "# channel-add failed"
"$VIGIL" notify rule-add --event rollout.halted --min-severity critical --channel oncall >/dev/null || echo "# rule-add failed"
NOTIFY_EVENTS=$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'rollout.auto_halt'")
R2=$("$VIGIL" rollout create fw@1.1 --stages 10,50,100 --soak 1h --success-min 90 --max-failure 2 --min-sample 10 --json | jq .id)
"$VIGIL" rollout start "$R2" >/dev/null
sleep 0.6
sim --fail-rate 0.1 >round5.json
check_eq "10 % of the installs failed" "$(jq '.failed == ((.offered / 10) | floor) and .failed > 0' round5.json)" true
"$VIGIL" rollout evaluate >/dev/null
check_eq "halted automatically" "$("$VIGIL" rollout show "$R2" --json | jq -r .state)" halted
check_eq "... at the first stage" "$("$VIGIL" rollout show "$R2" --json | jq .stage)" 0
check_eq "... audited as auto_halt by system:rollout" "$(db_sql "SELECT actor FROM audit_log WHERE action = 'rollout.auto_halt' AND object_id = '$R2'")" "system:rollout"
check_contains "... with the failure ratio" "$(db_sql "SELECT after_json FROM audit_log WHERE action = 'rollout.auto_halt' AND object_id = '$R2'")" "failure ratio"
check_eq "the auto-halt is queued for the notifier as critical" "$(db_sql "SELECT payload_json FROM notify_deliveries WHERE event = 'rollout.halted'" | jq -r '.severity + " " + (.automatic | tostring)')" "critical true"
check_eq "the stage's chart counts failures" "$("$VIGIL" rollout show "$R2" --json | jq '.stages[0].failed')" "$(jq .failed round5.json)"
sleep 0.6
sim --fail-rate 0 >round6.json
check_eq "a halted rollout offers nothing" "$(jq .offered round6.json)" 0

# ---- pause / resume and halt on the next check-in ----
"$VIGIL" rollout resume "$R2" --reason "fixed the mirror" >/dev/null
check_eq "resumed" "$("$VIGIL" rollout show "$R2" --json | jq -r .state)" running
"$VIGIL" rollout pause "$R2" --reason "weekend" >/dev/null
check_eq "paused" "$("$VIGIL" rollout show "$R2" --json | jq -r .state)" paused
move_to 30000
"$VIGIL" rollout evaluate >/dev/null
check_eq "a paused rollout does not advance" "$("$VIGIL" rollout show "$R2" --json | jq .stage)" 0
# the stage has soaked (30000 s): with the server up, its rollout job could
# advance the resumed rollout before the hand does; stopped, it cannot
stop_server
"$VIGIL" rollout resume "$R2" --reason "monday" >/dev/null
"$VIGIL" rollout advance "$R2" --reason "by hand" >/dev/null
start_server
check_eq "advanced by hand" "$("$VIGIL" rollout show "$R2" --json | jq .percent)" 50
check_eq "halt over the API without a reason: 400" "$(http POST "/api/v1/rollouts/$R2/halt" -H "Authorization: Bearer $ADM" -H 'Content-Type: application/json' -d '{}')" 400
check_eq "halt over the API" "$(http POST "/api/v1/rollouts/$R2/halt" -H "Authorization: Bearer $ADM" -H 'Content-Type: application/json' -d '{"reason":"bricked units"}')" 200
sleep 0.6
sim --fail-rate 0 >round7.json
check_eq "after the halt no device is offered anything" "$(jq .offered round7.json)" 0
check_eq "the halt by hand is queued for the notifier too" "$(db_sql "SELECT COUNT(*) FROM notify_deliveries WHERE event = 'rollout.halted'")" 2
check_eq "halt audited with who and why" "$(db_sql "SELECT actor FROM audit_log WHERE action = 'rollout.halt' AND object_id = '$R2'")" "token:t-admin"
check_eq "audit trail of R2" "$(db_sql "SELECT action FROM audit_log WHERE object_type = 'rollout' AND object_id = '$R2' ORDER BY seq" | tr '\n' ' ')" "rollout.create rollout.start rollout.auto_halt rollout.resume rollout.pause rollout.soaked rollout.resume rollout.advance rollout.halt "
check_eq "a resume of a done rollout refused: 409" "$(http POST "/api/v1/rollouts/$R/resume" -H "Authorization: Bearer $ADM" -H 'Content-Type: application/json' -d '{"reason":"x"}')" 409
check_eq "rollouts API list" "$(http GET /api/v1/rollouts -H "Authorization: Bearer $ADM" >/dev/null; body | jq '.rollouts | length')" 2
check_eq "rollout list" "$("$VIGIL" rollout list --json | jq length)" 2

# ---- last seen: kept in memory, written by the flush job ----
stop_server
check_eq "last_seen written at stop or by the flush" "$(db_sql "SELECT COUNT(*) FROM devices WHERE last_seen > 0")" "$(db_sql "SELECT COUNT(*) FROM devices WHERE COALESCE(revoked_at,0) = 0 AND product_id = (SELECT id FROM products WHERE name='fw')")"

# ---- two servers on one PostgreSQL: a halt through one is honoured by the other ----
if [ -n "${VIGIL_TEST_PG:-}" ]; then
	unset VIGIL_UPDATE_EPOCH_POLL_MS # PostgreSQL's default: the epoch read every 100 ms
	R3=$("$VIGIL" rollout create fw@1.1 --stages 100 --soak 1h --json | jq .id)
	"$VIGIL" rollout start "$R3" >/dev/null
	start_server
	B1=$BASE
	P1=$T_SERVER_PID
	T_SERVER_PID=""
	start_server
	B2=$BASE
	BASE=$B2
	check_eq "server 2 offers" "$(ci "$T1" '{"version":"1.0"}' >/dev/null; body | jq -r .action)" install
	BASE=$B1
	check_eq "halt through server 1" "$(http POST "/api/v1/rollouts/$R3/halt" -H "Authorization: Bearer $ADM" -H 'Content-Type: application/json' -d '{"reason":"two servers"}')" 200
	sleep 1
	BASE=$B2
	check_eq "server 2 honours the halt within a second" "$(ci "$T1" '{"version":"1.0"}' >/dev/null; body | jq -r .action)" none
	kill -TERM "$P1" 2>/dev/null
	wait "$P1" 2>/dev/null
else
	echo "ok - # SKIP two servers on one database (PostgreSQL only)"
fi
finish
