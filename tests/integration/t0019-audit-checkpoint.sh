#!/bin/sh
# Signed checkpoints of the audit trail (issue 21 item 5): `vigil audit
# checkpoint`, proofs, the public checkpoint for witnesses, and
# `vigil audit verify --checkpoint FILE` catching what the hash chain alone
# misses: a trail cut short at its end, and a trail rewritten from some
# record on with the chain recomputed.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
export VIGIL_AUDIT_ORIGIN=vigil.test/audit
fresh_db

# vigil init made the key: a signer key line, mode 0600
if [ -n "${VIGIL_TEST_PG:-}" ]; then KEY=$T_DIR/checkpoint.key; else KEY=$VIGIL_DB.checkpoint.key; fi
ok "vigil init made the checkpoint key" test -s "$KEY"
check_eq "the key file is mode 600" "$(stat -c %a "$KEY")" 600
check_contains "the key file holds a signer key" "$(cut -c1-12 "$KEY")" "PRIVATE+KEY+"
VKEY=$("$VIGIL" audit key show)
check_contains "key show prints the verifier key" "$VKEY" "vigil.test/audit+"
check_not_contains "no private key in the verifier key" "$VKEY" "PRIVATE"
check_eq "key init again keeps the key" "$("$VIGIL" audit key init)" "$VKEY"

i=0
while [ $i -lt 6 ]; do
	VIGIL_PASSWORD=pw-user-$i-long "$VIGIL" user add "user$i" --role psirt >/dev/null
	i=$((i + 1))
done

check_eq "checkpoint" "$(run_cmd "$VIGIL" audit checkpoint)" 0
cp "$T_DIR/out" "$T_DIR/cp1"
N1=$(sed -n 2p "$T_DIR/cp1")
LAST=$("$VIGIL" audit log --json | jq '.[-1].seq')
check_eq "the checkpoint's origin line" "$(sed -n 1p "$T_DIR/cp1")" "vigil.test/audit"
check_eq "it covers every record before its own" "$N1" "$((LAST - 1))"
check_eq "its own record is audit.checkpoint" "$("$VIGIL" audit log --json | jq -r '.[-1].action')" "audit.checkpoint"
check_contains "signed with the key" "$(sed -n 5p "$T_DIR/cp1")" "— vigil.test/audit "
check_eq "nothing new: the same checkpoint again" "$("$VIGIL" audit checkpoint)" "$(cat "$T_DIR/cp1")"
"$VIGIL" audit checkpoint --json >"$T_DIR/cp1.json"
check_eq "--json: checkpoint is the note" "$(jq -r .checkpoint "$T_DIR/cp1.json")" "$(cat "$T_DIR/cp1")"
check_eq "--json: vkey" "$(jq -r .vkey "$T_DIR/cp1.json")" "$VKEY"
check_eq "--json: tree_size" "$(jq -r .tree_size "$T_DIR/cp1.json")" "$N1"

# proofs
check_eq "prove inclusion" "$(run_cmd "$VIGIL" audit prove inclusion 3 --json)" 0
check_eq "inclusion: leaf index" "$(jq .leaf_index "$T_DIR/out")" 2
check_eq "inclusion: against the latest checkpoint" "$(jq .tree_size "$T_DIR/out")" "$N1"
check_eq "inclusion: carries the checkpoint" "$(jq -r .checkpoint "$T_DIR/out")" "$(cat "$T_DIR/cp1")"
check_contains "inclusion: the record's canonical bytes" "$(jq -r .record "$T_DIR/out")" '"seq":3'
check_eq "prove inclusion --size" "$(run_cmd "$VIGIL" audit prove inclusion 3 --size 5 --json)" 0
check_eq "--size 5: 3 proof hashes" "$(jq '.proof | length' "$T_DIR/out")" 3
check_eq "a record past the tree is refused" "$(run_cmd "$VIGIL" audit prove inclusion $((N1 + 5)))" 1
check_contains "naming the tree's size" "$(cat "$T_DIR/err")" "not in a tree of $N1 records"
check_eq "a size past the tree is refused" "$(run_cmd "$VIGIL" audit prove inclusion 1 --size 100000)" 1
check_eq "prove consistency" "$(run_cmd "$VIGIL" audit prove consistency 5 "$N1" --json)" 0
check_eq "consistency: sizes" "$(jq -c '[.old_size, .new_size]' "$T_DIR/out")" "[5,$N1]"
check_eq "consistency: OLD > NEW is refused" "$(run_cmd "$VIGIL" audit prove consistency 7 5)" 1
check_eq "consistency: not a number" "$(run_cmd "$VIGIL" audit prove consistency x 5)" 2

check_eq "verify --checkpoint: intact" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp1")" 0
check_contains "says so" "$(cat "$T_DIR/out")" "records 1 to $N1 hash to its root"

# the trail grows: the old checkpoint still holds, a new one covers more
VIGIL_PASSWORD=pw-user-x-long "$VIGIL" user add late --role psirt >/dev/null
"$VIGIL" audit checkpoint >"$T_DIR/cp2"
N2=$(sed -n 2p "$T_DIR/cp2")
check_eq "the new checkpoint is larger" "$([ "$N2" -gt "$N1" ] && echo yes)" yes
check_eq "the old checkpoint still verifies" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp1")" 0
check_eq "the new one too" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp2" --json)" 0
check_eq "--json intact" "$(jq .intact "$T_DIR/out")" true

# a checkpoint changed by hand, or signed by another key, is refused
sed "2s/.*/$((N2 - 1))/" "$T_DIR/cp2" >"$T_DIR/cp-forged"
check_eq "a changed checkpoint is refused" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp-forged")" 1
check_contains "its signature fails" "$(cat "$T_DIR/err")" "does not verify"
check_eq "a wrong --key is refused" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp2" --key "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")" 1
check_contains "not by a trusted key" "$(cat "$T_DIR/err")" "no signature by a trusted key"
check_eq "the right --key" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp2" --key "$VKEY")" 0

# the public checkpoint, for witnesses; proofs over the API
check_eq "the CLI: nothing new since cp2" "$(run_cmd "$VIGIL" audit checkpoint)" 0
check_eq "is the latest checkpoint" "$(cat "$T_DIR/out")" "$(cat "$T_DIR/cp2")"
# a record after it: the leader's job audit.checkpoint signs a new one by
# itself (at its first tick, then every 5 minutes) for the public URL
VIGIL_PASSWORD=pw-user-y-long "$VIGIL" user add later --role psirt >/dev/null
VIGIL_JOBS_TICK=1 start_server
i=0
while [ $i -lt 100 ]; do
	http GET /.well-known/vigil/checkpoint >/dev/null
	[ "$(sed -n 2p "$T_DIR/body")" -gt "$N2" ] 2>/dev/null && break
	sleep 0.2
	i=$((i + 1))
done
check_eq "GET /.well-known/vigil/checkpoint without credentials" "$(http GET /.well-known/vigil/checkpoint)" 200
check_eq "the job signed one of the new record" "$(sed -n 2p "$T_DIR/body")" \
	"$("$VIGIL" audit log --json | jq '[.[] | select(.action == "user.create")] | .[-1].seq')"
# (other leader jobs may add records meanwhile, e.g. readiness.snapshot)
check_eq "the job's record says who signed it" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action == "audit.checkpoint")] | .[-1].actor')" "system"
body >"$T_DIR/cp-public"
check_eq "the public checkpoint verifies against the trail" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp-public")" 0
check_contains "as text" "$(cat "$T_DIR/headers")" "text/plain"
check_eq "GET /.well-known/vigil/vkey" "$(http GET /.well-known/vigil/vkey)" 200
check_eq "the verifier key" "$(body)" "$VKEY"
check_eq "consistency proof, public" "$(http GET "/api/v1/audit/proof/consistency?old=$N1&new=$N2")" 200
check_eq "same proof as the CLI" "$(jq -c .proof "$T_DIR/body")" "$("$VIGIL" audit prove consistency "$N1" "$N2" --json | jq -c .proof)"
check_eq "consistency: bad parameter" "$(http GET "/api/v1/audit/proof/consistency?old=x&new=2")" 400
TOK=$(admin_token)
check_eq "inclusion proof needs credentials" "$(http GET "/api/v1/audit/proof/inclusion?seq=2")" 401
check_eq "inclusion proof" "$(http GET "/api/v1/audit/proof/inclusion?seq=2&size=$N2" -H "Authorization: Bearer $TOK")" 200
check_eq "same as the CLI" "$(jq -c .proof "$T_DIR/body")" "$("$VIGIL" audit prove inclusion 2 --size "$N2" --json | jq -c .proof)"
check_eq "GET /api/v1/audit/checkpoint" "$(http GET /api/v1/audit/checkpoint -H "Authorization: Bearer $TOK")" 200
check_eq "its vkey" "$(jq -r .vkey "$T_DIR/body")" "$VKEY"
stop_server

# rewriting: record 4 changed and the chain recomputed from it on. The chain
# check is fooled; the checkpoint is not.
rows_json() {
	cols="seq, at, actor, remote, action, object_type, object_id, before_json, after_json, prev_hash, hash"
	if [ -n "${VIGIL_TEST_PG:-}" ]; then
		psql "$VIGIL_DB" -qAt -c "SELECT json_agg(r ORDER BY seq) FROM (SELECT $cols FROM audit_log) r"
	else
		sqlite3 -json "$VIGIL_DB" "SELECT $cols FROM audit_log ORDER BY seq"
	fi
}
rows_json >"$T_DIR/rows.json"
check_eq "the rewrite tool reproduces every hash" \
	"$(run_cmd python3 "$VIGIL_SOURCE_DIR/tests/tools/audit_rewrite.py" 4 mallory <"$T_DIR/rows.json")" 0
cp "$T_DIR/out" "$T_DIR/rewrite.sql"
cp "$VIGIL_DB" "$T_DIR/saved.db" 2>/dev/null
db_sql "$(cat "$T_DIR/rewrite.sql")" >/dev/null
check_eq "the hash chain alone says intact" "$(run_cmd "$VIGIL" audit verify)" 0
check_eq "verify --checkpoint catches the rewrite" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp2")" 1
check_contains "and names where it starts" "$(cat "$T_DIR/err")" "rewritten from record 4 on"
"$VIGIL" audit verify --checkpoint "$T_DIR/cp1" --json >"$T_DIR/v.json"
check_eq "--json: not intact" "$(jq .intact "$T_DIR/v.json")" false
check_eq "--json: first bad record" "$(jq .first_bad_seq "$T_DIR/v.json")" 4

# truncation: the last records deleted. The chain is still a valid chain.
fresh_db
"$VIGIL" audit checkpoint >/dev/null
i=0
while [ $i -lt 3 ]; do
	VIGIL_PASSWORD=pw-user-$i-long "$VIGIL" user add "user$i" --role psirt >/dev/null
	i=$((i + 1))
done
"$VIGIL" audit checkpoint >"$T_DIR/cp3"
N3=$(sed -n 2p "$T_DIR/cp3")
db_sql "DELETE FROM audit_log WHERE seq > $((N3 - 2))" >/dev/null
check_eq "truncated: the hash chain alone says intact" "$(run_cmd "$VIGIL" audit verify)" 0
check_eq "verify --checkpoint catches the truncation" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp3")" 1
check_contains "naming it" "$(cat "$T_DIR/err")" "truncated"
check_eq "a checkpoint of another log is refused" \
	"$(VIGIL_AUDIT_ORIGIN=other.test/audit "$VIGIL" audit verify --checkpoint "$T_DIR/cp3" >/dev/null 2>"$T_DIR/err"; echo $?)" 1
check_contains "naming both logs" "$(cat "$T_DIR/err")" "other.test/audit"

# the key from the update room's signers: audit.signer = NAME (an Ed25519
# signer of `vigil signer`; a software one here, a token's in production)
fresh_db
"$VIGIL" signer keygen audit-ed --software "$T_DIR/audit-ed.pem" --algorithm ed25519 >/dev/null
"$VIGIL" signer keygen audit-p256 --software "$T_DIR/audit-p256.pem" --algorithm p256 >/dev/null
FKEY=$("$VIGIL" audit key show)
SKEY=$(VIGIL_AUDIT_SIGNER=audit-ed "$VIGIL" audit key show)
check_contains "key show: the signer's verifier key" "$SKEY" "vigil.test/audit+"
check_eq "another key than the key file's" "$([ "$SKEY" != "$FKEY" ] && echo yes)" yes
check_eq "a checkpoint signed by the signer" "$(VIGIL_AUDIT_SIGNER=audit-ed run_cmd "$VIGIL" audit checkpoint --json)" 0
check_eq "its vkey is the signer's" "$(jq -r .vkey "$T_DIR/out")" "$SKEY"
jq -j .checkpoint "$T_DIR/out" >"$T_DIR/cp4"
check_eq "it verifies with the signer's key" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp4" --key "$SKEY")" 0
check_eq "and not with the key file's" "$(run_cmd "$VIGIL" audit verify --checkpoint "$T_DIR/cp4" --key "$FKEY")" 1
check_eq "an evidence bundle signed by the signer" \
	"$(VIGIL_AUDIT_SIGNER=audit-ed run_cmd "$VIGIL" evidence export --since 2000-01-01T00:00:00Z --until 2100-01-01T00:00:00Z -o "$T_DIR/b.tar.zst")" 0
check_eq "verifies with the signer's key" "$(run_cmd "$VIGIL" evidence verify "$T_DIR/b.tar.zst" --key "$SKEY")" 0
check_eq "a P-256 signer is refused" "$(VIGIL_AUDIT_SIGNER=audit-p256 run_cmd "$VIGIL" audit checkpoint)" 1
check_contains "saying why" "$(cat "$T_DIR/err")" "not an Ed25519 key"
check_eq "an unknown signer is refused" "$(VIGIL_AUDIT_SIGNER=nobody run_cmd "$VIGIL" audit checkpoint)" 1
check_contains "naming the setting" "$(cat "$T_DIR/err")" "audit.signer"

finish
