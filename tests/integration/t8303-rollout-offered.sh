#!/bin/sh
# "offered" in a rollout's status (issue 19 items 3 and 5) counts the devices
# of each stage the rollout really offered its release to (answered
# "install" at a check-in, or reporting on it), not the size of the stage's
# cohort. The check-in writes nothing: the offers are kept in memory and
# written by the server's flush job (here at the server's stop), once per
# device however often it checks in. A device already on the release, a
# device outside the stage, and check-ins after a halt are not offers.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1
# changes made by the CLI are checked at the very next check-in: the epoch
# read at every one (the default on SQLite; PostgreSQL's default, 100 ms,
# is what t8304's poll section checks)
export VIGIL_UPDATE_EPOCH_POLL_MS=0
fresh_db
export VIGIL_UPDATE_ARTIFACT_STORE=db
export VIGIL_JOBS_TICK=3600 # the flush runs at the start and at the stop only
openssl ecparam -name prime256v1 -genkey -noout -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
"$VIGIL" ci-key add ci ec.pub >/dev/null || exit 1
for n in r1 tg sn ts prod; do
	"$VIGIL" signer keygen "$n" --software "$T_DIR/$n.key" --algorithm ed25519 >/dev/null || exit 1
done
"$VIGIL" tuf init --root-signers r1 --root-threshold 1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts >/dev/null || exit 1
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >bom.json
"$VIGIL" product create fw >/dev/null
for v in 1.0 1.1; do "$VIGIL" sbom import bom.json --product fw --version "$v" >/dev/null; done
"$VIGIL" tuf delegate --product fw --signer prod >/dev/null || exit 1
head -c 3000 /dev/urandom >fw.img
openssl dgst -sha256 -sign ec.key -out fw.img.sig fw.img
"$VIGIL" release create --product fw --version 1.1 >/dev/null
"$VIGIL" release upload fw@1.1 fw.img --signature fw.img.sig >/dev/null || exit 1
"$VIGIL" release publish fw@1.1 >/dev/null || exit 1
"$VIGIL" device enroll --product fw --count 200 --version 1.0 >devs.txt 2>/dev/null
# the stage 10 % band: cohorts below 1000; need four devices in it, two out
while [ "$(db_sql "SELECT COUNT(*) FROM devices WHERE cohort < 1000")" -lt 4 ]; do
	"$VIGIL" device enroll --product fw --version 1.0 >>devs.txt 2>/dev/null
done
tok() { grep "^$1 " devs.txt | cut -d' ' -f2; }
IN=$(db_sql "SELECT id FROM devices WHERE cohort < 1000 ORDER BY id LIMIT 4")
A=$(echo "$IN" | sed -n 1p)
B=$(echo "$IN" | sed -n 2p)
C=$(echo "$IN" | sed -n 3p)
D=$(echo "$IN" | sed -n 4p)
O=$(db_sql "SELECT id FROM devices WHERE cohort >= 1000 ORDER BY id LIMIT 1")
BAND=$(db_sql "SELECT COUNT(*) FROM devices WHERE cohort < 1000")
R=$("$VIGIL" rollout create fw@1.1 --stages 10,100 --soak 1h --json | jq .id)
"$VIGIL" rollout start "$R" --reason "offered test" >/dev/null || exit 1
start_server
ci() { http POST /api/v1/device/checkin -H "Authorization: Bearer $(tok "$1")" -H 'Content-Type: application/json' -d "{\"version\":\"$2\"}"; }
offered() { "$VIGIL" rollout show "$R" --json | jq ".stages[$1].offered"; }

check_eq "nothing offered before any check-in" "$(offered 0)" 0
check_eq "stage 1's cohort has $BAND devices" "$("$VIGIL" rollout show "$R" --json | jq '.stages[0].devices')" "$BAND"
check_eq "A checks in: install" "$(ci "$A" 1.0 >/dev/null; body | jq -r .action)" install
ci "$A" 1.0 >/dev/null
ci "$A" 1.0 >/dev/null
check_eq "B checks in: install" "$(ci "$B" 1.0 >/dev/null; body | jq -r .action)" install
check_eq "C already on 1.1: none" "$(ci "$C" 1.1 >/dev/null; body | jq -r .action)" none
check_eq "a device outside the stage: none" "$(ci "$O" 1.0 >/dev/null; body | jq -r .action)" none
check_eq "the check-ins wrote no offer" "$(db_sql "SELECT COUNT(*) FROM rollout_offers")" 0
stop_server
check_eq "after the flush: the two devices offered, each once" "$(offered 0)" 2
check_eq "... not the cohort's size" "$(test "$(offered 0)" -lt "$BAND" && echo smaller)" smaller
check_eq "... the rows" "$(db_sql "SELECT device_id FROM rollout_offers WHERE rollout_id = $R ORDER BY device_id" | tr '\n' ' ')" "$(printf '%s\n%s\n' "$A" "$B" | sort | tr '\n' ' ')"
check_eq "... in stage index 0" "$(db_sql "SELECT DISTINCT stage FROM rollout_offers")" 0
check_eq "stage 2 offered nothing yet" "$(offered 1)" 0

start_server
# a status report of a device of the stage counts it as offered at once
check_eq "D reports downloading" "$(http POST /api/v1/device/status -H "Authorization: Bearer $(tok "$D")" -H 'Content-Type: application/json' -d "{\"rollout\":$R,\"status\":\"downloading\",\"seq\":1}")" 200
check_eq "... counted offered" "$(offered 0)" 3
check_eq "A reports installed" "$(http POST /api/v1/device/status -H "Authorization: Bearer $(tok "$A")" -H 'Content-Type: application/json' -d "{\"rollout\":$R,\"status\":\"installed\",\"seq\":1}")" 200
check_eq "... still 3 offered (A was counted)" "$(offered 0)" 3
check_eq "... 1 installed" "$("$VIGIL" rollout show "$R" --json | jq '.stages[0].installed')" 1
# after a halt nothing more is offered
check_eq "halt" "$(run_cmd "$VIGIL" rollout halt "$R" --reason "offered test")" 0
stop_server
start_server
check_eq "halted: C on 1.0 is offered nothing" "$(ci "$C" 1.0 >/dev/null; body | jq -r .action)" none
stop_server
check_eq "... and not counted" "$(offered 0)" 3
ADM=$(admin_token)
start_server
check_eq "the rollout page" "$(http GET "/ui/rollouts/$R" -H "Authorization: Bearer $ADM")" 200
check_contains "... shows 3 offered in stage 1" "$(body)" "3 offered"
stop_server
finish
