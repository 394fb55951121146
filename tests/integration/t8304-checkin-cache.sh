#!/bin/sh
# The check-in's in-memory state (issue 19 item 2, "check-in is cheap"):
# verified device tokens are kept by the server, yet a revocation made by
# another process (the CLI) is refused at the very next check-in of a
# device whose token was just verified, and a halt made by the CLI is
# honoured at the very next check-in (no wait); a device row changed
# behind the server's back (another server) is compared with the database
# before anything is written, so nothing is written or audited twice; a
# status report makes the next check-in read the device again; the cache
# can be turned off (update.device_cache=0) with the same answers. With
# update.epoch_poll_ms = 200 (the epoch read at most every 200 ms), a
# revocation and a halt made by the CLI are honoured within that time.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1
# changes made by the CLI are checked at the very next check-in: the epoch
# read at every one (the default on SQLite; PostgreSQL's default, 100 ms,
# is what t8304's poll section checks)
export VIGIL_UPDATE_EPOCH_POLL_MS=0
fresh_db
export VIGIL_UPDATE_ARTIFACT_STORE=db
export VIGIL_JOBS_TICK=3600
openssl ecparam -name prime256v1 -genkey -noout -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
"$VIGIL" ci-key add ci ec.pub >/dev/null || exit 1
for n in r1 tg sn ts prod; do
	"$VIGIL" signer keygen "$n" --software "$T_DIR/$n.key" --algorithm ed25519 >/dev/null || exit 1
done
"$VIGIL" tuf init --root-signers r1 --root-threshold 1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts >/dev/null || exit 1
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >bom.json
"$VIGIL" product create fw >/dev/null
for v in 1.0 1.1 1.2; do "$VIGIL" sbom import bom.json --product fw --version "$v" >/dev/null; done
"$VIGIL" tuf delegate --product fw --signer prod >/dev/null || exit 1
head -c 3000 /dev/urandom >fw.img
openssl dgst -sha256 -sign ec.key -out fw.img.sig fw.img
"$VIGIL" release create --product fw --version 1.1 >/dev/null
"$VIGIL" release upload fw@1.1 fw.img --signature fw.img.sig >/dev/null || exit 1
"$VIGIL" release publish fw@1.1 >/dev/null || exit 1
"$VIGIL" device enroll --product fw --count 4 --version 1.0 >devs.txt 2>/dev/null
DA=$(sed -n 1p devs.txt | cut -d' ' -f1)
TA=$(sed -n 1p devs.txt | cut -d' ' -f2)
DB=$(sed -n 2p devs.txt | cut -d' ' -f1)
TB=$(sed -n 2p devs.txt | cut -d' ' -f2)
TC=$(sed -n 3p devs.txt | cut -d' ' -f2)
TD=$(sed -n 4p devs.txt | cut -d' ' -f2)
ci() { http POST /api/v1/device/checkin -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "{\"version\":\"$2\"}"; }
audits() { db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'device.checkin' AND object_id = '$1'"; }

for cache in on off; do
	if [ $cache = off ]; then
		export VIGIL_UPDATE_DEVICE_CACHE=0
		TA=$TC
		DA=$(sed -n 3p devs.txt | cut -d' ' -f1)
		TB=$TD
		DB=$(sed -n 4p devs.txt | cut -d' ' -f1)
		check_eq "resume the halted rollout" "$(run_cmd "$VIGIL" rollout resume "$R" --reason "cache off")" 0
	else
		R=$("$VIGIL" rollout create fw@1.1 --stages 100 --soak 1h --json | jq .id)
		"$VIGIL" rollout start "$R" --reason "cache $cache" >/dev/null || exit 1
	fi
	start_server
	# ---- revocation at once ----
	check_eq "[$cache] A checks in" "$(ci "$TA" 1.0)" 200
	check_eq "[$cache] ... again (its token verified before)" "$(ci "$TA" 1.0)" 200
	check_eq "[$cache] ... told to install" "$(body | jq -r .action)" install
	check_eq "[$cache] revoke A by the CLI" "$(run_cmd "$VIGIL" device revoke "$DA" --reason stolen)" 0
	check_eq "[$cache] A's very next check-in: 401" "$(ci "$TA" 1.0)" 401
	check_eq "[$cache] ... and the one after" "$(ci "$TA" 1.0)" 401
	# ---- a row changed by another server ----
	check_eq "[$cache] B checks in on 1.0" "$(ci "$TB" 1.0)" 200
	n0=$(audits "$DB")
	db_sql "UPDATE devices SET installed_version = '1.2' WHERE id = '$DB'" >/dev/null
	check_eq "[$cache] B says 1.2, as another server stored" "$(ci "$TB" 1.2)" 200
	check_eq "[$cache] ... nothing written twice" "$(audits "$DB")" "$n0"
	check_eq "[$cache] B says 1.0 again" "$(ci "$TB" 1.0)" 200
	check_eq "[$cache] ... stored" "$("$VIGIL" device show "$DB" --json | jq -r .installed_version)" 1.0
	check_eq "[$cache] ... audited once, from 1.2" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'device.checkin' AND object_id = '$DB' AND before_json LIKE '%1.2%'")" 1
	# ---- a status report: the next check-in reads the device again ----
	check_eq "[$cache] B reports installed" "$(http POST /api/v1/device/status -H "Authorization: Bearer $TB" -H 'Content-Type: application/json' -d "{\"rollout\":$R,\"status\":\"installed\",\"seq\":1}")" 200
	check_eq "[$cache] ... B on 1.1" "$("$VIGIL" device show "$DB" --json | jq -r .installed_version)" 1.1
	n1=$(audits "$DB")
	check_eq "[$cache] B checks in on 1.1: none" "$(ci "$TB" 1.1 >/dev/null; body | jq -r .action)" none
	check_eq "[$cache] ... nothing written" "$(audits "$DB")" "$n1"
	# ---- a halt by the CLI at once ----
	db_sql "UPDATE devices SET installed_version = '1.0' WHERE id = '$DB'" >/dev/null
	check_eq "[$cache] B on 1.0 is offered 1.1" "$(ci "$TB" 1.0 >/dev/null; body | jq -r .action)" install
	check_eq "[$cache] halt by the CLI" "$(run_cmd "$VIGIL" rollout halt "$R" --reason "cache $cache")" 0
	check_eq "[$cache] B's very next check-in: none" "$(ci "$TB" 1.0 >/dev/null; body | jq -r .action)" none
	stop_server
done

# ---- update.epoch_poll_ms: changes made elsewhere honoured within it ----
unset VIGIL_UPDATE_DEVICE_CACHE
"$VIGIL" device enroll --product fw --count 2 --version 1.0 >devs2.txt 2>/dev/null
DE=$(sed -n 1p devs2.txt | cut -d' ' -f1)
TE=$(sed -n 1p devs2.txt | cut -d' ' -f2)
TF=$(sed -n 2p devs2.txt | cut -d' ' -f2)
check_eq "[poll] resume the rollout" "$(run_cmd "$VIGIL" rollout resume "$R" --reason "poll")" 0
export VIGIL_UPDATE_EPOCH_POLL_MS=200
start_server
check_eq "[poll] E is offered 1.1" "$(ci "$TE" 1.0 >/dev/null; body | jq -r .action)" install
check_eq "[poll] revoke E by the CLI" "$(run_cmd "$VIGIL" device revoke "$DE" --reason stolen)" 0
sleep 0.3
check_eq "[poll] E refused within update.epoch_poll_ms" "$(ci "$TE" 1.0)" 401
check_eq "[poll] F is offered 1.1" "$(ci "$TF" 1.0 >/dev/null; body | jq -r .action)" install
check_eq "[poll] halt by the CLI" "$(run_cmd "$VIGIL" rollout halt "$R" --reason "poll")" 0
sleep 0.3
check_eq "[poll] F told none within update.epoch_poll_ms" "$(ci "$TF" 1.0 >/dev/null; body | jq -r .action)" none
stop_server
unset VIGIL_UPDATE_EPOCH_POLL_MS
finish
