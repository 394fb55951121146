#!/bin/sh
# The TUF repository with the npm client tuf-js (tests/tools/tuf-client.mjs):
# a target installed from `vigil serve` and from a `vigil tuf export` tree
# behind a plain static HTTP server, starting from the initial root.json and
# across a root rotation; refused: a tampered target, tampered targets
# metadata, an expired timestamp, a rollback, a mix-and-match of snapshot and
# targets; the HTTP side (ETag, HEAD, Range, types, caching); nothing
# half-published when a signer fails.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
command -v node >/dev/null || { echo "FAIL - node not installed (scripts/deps.sh)"; exit 1; }
[ -d "$VIGIL_SOURCE_DIR/tests/node_modules/tuf-js" ] ||
	{ echo "FAIL - tuf-js not installed in tests/node_modules (scripts/deps.sh, or cd tests && npm install)"; exit 1; }
CLIENT="$VIGIL_SOURCE_DIR/tests/tools/tuf-client.mjs"
STATIC_PIDS=""
trap 'for p in $STATIC_PIDS; do kill "$p" 2>/dev/null; done; t_cleanup' EXIT
# target bytes go to the artifact store (a directory here; required with PostgreSQL)
export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts"
fresh_db

# static DIR: serve DIR with python3 -m http.server; sets SBASE.
static() {
	python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$1" >"$T_DIR/static.$$.log" 2>&1 &
	STATIC_PIDS="$STATIC_PIDS $!"
	i=0
	SBASE=""
	while [ -z "$SBASE" ] && [ $i -lt 100 ]; do
		port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$T_DIR/static.$$.log" | head -1)
		[ -n "$port" ] && SBASE="http://127.0.0.1:$port"
		i=$((i + 1))
		sleep 0.05
	done
	rm -f "$T_DIR/static.$$.log"
}
# client NAME BASE METAPATH TARGETPATH [TARGET]: run tuf-js with the client
# state of NAME (created from the initial root.json); prints its verdict.
client() {
	c=$1 b=$2 m=$3 tp=$4
	shift 4
	if [ $# -gt 0 ]; then
		node "$CLIENT" --metadata "$b$m" --targets "$b$tp" --dir "$T_DIR/c-$c" \
			--root "$T_DIR/root1.json" --target "$1" --out "$T_DIR/c-$c/out.bin" 2>&1
	else
		node "$CLIENT" --metadata "$b$m" --targets "$b$tp" --dir "$T_DIR/c-$c" \
			--root "$T_DIR/root1.json" 2>&1
	fi
}
served() { client "$1" "$BASE" /tuf/metadata /tuf/targets "$2"; }
mirror() { client "$1" "$2" /metadata /targets "$3"; }

for n in r1 r2 r3 r4 r5 tg sn ts; do
	"$VIGIL" signer keygen "$n" --software "$T_DIR/$n.key" --algorithm ed25519 >/dev/null || exit 1
done
"$VIGIL" signer keygen prod --software "$T_DIR/prod.key" --algorithm p256 >/dev/null || exit 1

check_eq "status before init" "$("$VIGIL" tuf status --json | jq -r .initialized)" "false"
check_eq "init refuses a threshold above the signers" "$(run_cmd "$VIGIL" tuf init --root-signers r1,r2 --root-threshold 3 --targets-signer tg --snapshot-signer sn --timestamp-signer ts)" "2"
check_contains "and says why" "$(cat "$T_DIR/err")" "--root-threshold 3"
check_eq "init refuses a bad expiry" "$(run_cmd "$VIGIL" tuf init --root-signers r1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts --expiry snapshot=soon)" "2"
check_eq "init refuses an unknown signer" "$(run_cmd "$VIGIL" tuf init --root-signers r1,nosuch --root-threshold 1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts)" "1"
check_eq "nothing stored by the refused init" "$(db_sql "SELECT COUNT(*) FROM tuf_roles") $(db_sql "SELECT COUNT(*) FROM tuf_metadata")" "0 0"

ok "init: root 2 of 3, one signer per top role" "$VIGIL" tuf init --root-signers r1,r2,r3 --root-threshold 2 \
	--targets-signer tg --snapshot-signer sn --timestamp-signer ts \
	--expiry root=365d,targets=90d,snapshot=7d,timestamp=1d
not_ok "a second init is refused" "$VIGIL" tuf init --root-signers r1 --root-threshold 1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts
ok "delegate products/acme to a P-256 signer" "$VIGIL" tuf delegate --product acme --signer prod
not_ok "a product name with / is refused" "$VIGIL" tuf delegate --product a/b --signer prod
printf 'firmware one\n' >"$T_DIR/fw1.bin"
ok "add a target" "$VIGIL" tuf add-target --product acme "$T_DIR/fw1.bin" --name fw.bin
not_ok "a target name with ../ is refused" "$VIGIL" tuf add-target --product acme "$T_DIR/fw1.bin" --name ../x
not_ok "a target of a product without a role is refused" "$VIGIL" tuf add-target --product other "$T_DIR/fw1.bin"

ST=$("$VIGIL" tuf status --json)
check_eq "status: root v1 2 of 3" "$(echo "$ST" | jq -r '.roles[] | select(.role=="root") | "\(.version) \(.threshold) \(.signers)"')" "1 2 r1,r2,r3"
check_eq "status: timestamp expires in a day" "$(echo "$ST" | jq -r '.roles[] | select(.role=="timestamp") | .lifetime_seconds')" "86400"
check_eq "status: the product role" "$(echo "$ST" | jq -r '.roles[] | select(.role=="products/acme") | .signers')" "prod"
check_contains "status as a table" "$("$VIGIL" tuf status)" "products/acme"

"$VIGIL" tuf export "$T_DIR/exp1" >/dev/null
cp "$T_DIR/exp1/metadata/1.root.json" "$T_DIR/root1.json"
check_eq "root.json is canonical-signed with 3 signatures" "$(jq '.signatures | length' "$T_DIR/root1.json")" "3"
check_eq "consistent snapshots" "$(jq -r .signed.consistent_snapshot "$T_DIR/root1.json")" "true"
check_eq "the ecdsa key is PEM" "$(jq -r '[.signed.delegations.keys[] | select(.keytype=="ecdsa" and (.keyval.public | startswith("-----BEGIN PUBLIC KEY-----")))] | length' "$T_DIR/exp1/metadata/targets.json")" "1"
SHA1=$(sha256sum "$T_DIR/fw1.bin" | cut -c1-64)
check_eq "export: target as HASH.NAME" "$(cat "$T_DIR/exp1/targets/acme/$SHA1.fw.bin")" "firmware one"
check_eq "snapshot lists the product role with hash and length" "$(jq -r '.signed.meta["products/acme.json"] | "\(.version) \(.hashes.sha256 | length) \(.length > 0)"' "$T_DIR/exp1/metadata/snapshot.json")" "2 64 true"

start_server
# ---- serving ----
check_eq "timestamp.json served" "$(http GET /tuf/metadata/timestamp.json)" "200"
check_contains "as JSON" "$(cat "$T_DIR/headers")" "Content-Type: application/json"
check_contains "timestamp kept briefly" "$(cat "$T_DIR/headers")" "Cache-Control: public, max-age=60"
check_not_contains "no second Cache-Control" "$(cat "$T_DIR/headers")" "no-store"
ETAG=$(sed -n 's/^ETag: *//Ip' "$T_DIR/headers" | tr -d '\r')
check_eq "304 on If-None-Match" "$(http GET /tuf/metadata/timestamp.json -H "If-None-Match: $ETAG")" "304"
check_eq "HEAD" "$(curl -s -I -o "$T_DIR/h2" -w '%{http_code}' "$BASE/tuf/metadata/1.root.json")" "200"
check_contains "HEAD gives the length" "$(cat "$T_DIR/h2")" "Content-Length: $(wc -c <"$T_DIR/root1.json" | tr -d ' ')"
check_eq "versioned metadata served as exported" "$(curl -s "$BASE/tuf/metadata/1.root.json" | cmp - "$T_DIR/root1.json" && echo same)" "same"
check_contains "versioned metadata is immutable" "$(cat "$T_DIR/h2")" "immutable"
check_eq "Range" "$(http GET "/tuf/targets/acme/$SHA1.fw.bin" -H 'Range: bytes=0-7')" "206"
check_eq "the range's bytes" "$(body)" "firmware"
check_contains "Content-Range" "$(cat "$T_DIR/headers")" "Content-Range: bytes 0-7/13"
check_contains "target as octet-stream" "$(cat "$T_DIR/headers")" "Content-Type: application/octet-stream"
check_eq "suffix range" "$(http GET "/tuf/targets/acme/$SHA1.fw.bin" -H 'Range: bytes=-4'; body)" "206one"
check_eq "unsatisfiable range" "$(http GET "/tuf/targets/acme/$SHA1.fw.bin" -H 'Range: bytes=99-')" "416"
check_eq "the delegated role, as tuf-js asks for it" "$(http GET /tuf/metadata/2.products%2Facme.json)" "200"
check_eq "unknown metadata" "$(http GET /tuf/metadata/9.root.json)" "404"
check_eq "a target by another hash" "$(http GET "/tuf/targets/acme/$(printf %064d 0).fw.bin")" "404"
check_eq "no path escape" "$(http GET "/tuf/targets/../metadata/1.root.json" --path-as-is)" "404"

# ---- tuf-js: install from vigil serve and from a static mirror ----
check_contains "tuf-js installs from vigil serve" "$(served dev1 acme/fw.bin)" "ok acme/fw.bin 13 bytes"
check_eq "the bytes" "$(cat "$T_DIR/c-dev1/out.bin")" "firmware one"
static "$T_DIR/exp1"
E1=$SBASE
check_contains "tuf-js installs from the exported tree" "$(mirror mir1 "$E1" acme/fw.bin)" "ok acme/fw.bin 13 bytes"

# ---- root rotation: a new root signed by the old and the new threshold ----
ok "rotate root to r3,r4,r5 (2 of 3)" "$VIGIL" tuf rotate root --signer r3,r4,r5 --threshold 2
"$VIGIL" tuf export "$T_DIR/exp2" >/dev/null
check_eq "2.root.json has old and new signatures" "$(jq '.signatures | length' "$T_DIR/exp2/metadata/2.root.json")" "5"
check_eq "and lists only the new keys" "$(jq '.signed.roles.root.keyids | length' "$T_DIR/exp2/metadata/2.root.json")" "3"
ok "rotate the timestamp key" "$VIGIL" tuf rotate timestamp --signer r1
printf 'firmware two\n' >"$T_DIR/fw2.bin"
ok "add a second version" "$VIGIL" tuf add-target --product acme "$T_DIR/fw2.bin" --name fw.bin
check_contains "a device from root v1 follows the rotation (vigil serve)" "$(served dev1 acme/fw.bin)" "root v3"
check_eq "and installs the new bytes" "$(cat "$T_DIR/c-dev1/out.bin")" "firmware two"
rm -rf "$T_DIR/exp3"
"$VIGIL" tuf export "$T_DIR/exp3" >/dev/null
static "$T_DIR/exp3"
E3=$SBASE
check_contains "a device from root v1 follows the rotation (mirror)" "$(mirror mir1 "$E3" acme/fw.bin)" "ok acme/fw.bin 13 bytes root v3"
check_contains "a new device starting from root v1 too" "$(mirror new1 "$E3" acme/fw.bin)" "root v3"

# ---- refusals ----
SHA2=$(sha256sum "$T_DIR/fw2.bin" | cut -c1-64)
cp -r "$T_DIR/exp3" "$T_DIR/bad1"
printf 'firmware TWO\n' >"$T_DIR/bad1/targets/acme/$SHA2.fw.bin"
static "$T_DIR/bad1"
check_contains "a tampered target is refused" "$(mirror t1 "$SBASE" acme/fw.bin)" "refused:"
check_eq "and not written" "$(cat "$T_DIR/c-t1/out.bin" 2>/dev/null)" ""

cp -r "$T_DIR/exp3" "$T_DIR/bad2"
PV=$(jq -r '.signed.meta["products/acme.json"].version' "$T_DIR/exp3/metadata/snapshot.json")
for f in "$T_DIR/bad2/metadata/$PV.products/acme.json" "$T_DIR/bad2/metadata/$PV.products%2Facme.json"; do
	sed "s/$SHA2/$SHA1/" "$f" >"$f.x" && mv "$f.x" "$f"
done
static "$T_DIR/bad2"
check_contains "tampered targets metadata is refused" "$(mirror t2 "$SBASE" acme/fw.bin)" "refused:"

cp -r "$T_DIR/exp3" "$T_DIR/bad3"
OLD=$(jq -r '.signed.meta["products/acme.json"].version' "$T_DIR/exp1/metadata/snapshot.json")
for f in "$PV.products/acme.json" "$PV.products%2Facme.json"; do
	cp "$T_DIR/exp1/metadata/$OLD.products/acme.json" "$T_DIR/bad3/metadata/$f"
done
static "$T_DIR/bad3"
check_contains "a mix-and-match of snapshot and targets is refused" "$(mirror t3 "$SBASE" acme/fw.bin)" "refused:"
check_contains "an older snapshot under the new name too" "$(cp "$T_DIR/exp1/metadata/snapshot.json" "$T_DIR/bad3/metadata/$(jq -r '.signed.meta["snapshot.json"].version' "$T_DIR/exp3/metadata/timestamp.json").snapshot.json"; mirror t3b "$SBASE" acme/fw.bin)" "refused:"

check_contains "a rollback to older metadata is refused" "$(mirror mir1 "$E1" acme/fw.bin)" "refused:"
check_eq "the device keeps what it trusted" "$(jq -r .signed.version "$T_DIR/c-mir1/metadata/root.json")" "3"

PAST=$(date -u -d '@'$(($(date +%s) - 3 * 86400)) +%Y-%m-%dT%H:%M:%SZ)
TSV=$(db_sql "SELECT MAX(version) FROM tuf_metadata WHERE role = 'timestamp'")
ok "sign a timestamp with a clock 3 days behind" env VIGIL_NOW="$PAST" "$VIGIL" tuf add-target --product acme "$T_DIR/fw2.bin" --name fw-b.bin
check_eq "the newest timestamp has expired" "$(db_sql "SELECT CASE WHEN expires_at < $(date +%s) THEN 'expired' ELSE 'valid' END FROM tuf_metadata WHERE role = 'timestamp' AND version = $((TSV + 1))")" "expired"
check_contains "an expired timestamp is refused" "$(served dev2 acme/fw.bin)" "expired"
check_contains "status shows it" "$("$VIGIL" tuf status)" "EXPIRED"
check_eq "resign renews what expired (as after downtime)" "$(run_cmd "$VIGIL" tuf resign) $(cat "$T_DIR/out")" "0 1 role signed again"
check_contains "then the device installs" "$(served dev2 acme/fw-b.bin)" "ok acme/fw-b.bin"

# ---- nothing half-published ----
BEFORE=$(db_sql "SELECT role || ':' || MAX(version) FROM tuf_metadata GROUP BY role ORDER BY role" | tr '\n' ' ')
mv "$T_DIR/r1.key" "$T_DIR/r1.key.away"
printf 'firmware three\n' >"$T_DIR/fw3.bin"
check_eq "publishing with a broken timestamp signer fails" "$(run_cmd "$VIGIL" tuf add-target --product acme "$T_DIR/fw3.bin" --name fw.bin)" "1"
check_contains "naming the signer" "$(cat "$T_DIR/err")" "r1"
check_eq "nothing half-published" "$(db_sql "SELECT role || ':' || MAX(version) FROM tuf_metadata GROUP BY role ORDER BY role" | tr '\n' ' ')" "$BEFORE"
check_eq "the old target is still current" "$(db_sql "SELECT sha256 FROM tuf_targets WHERE name = 'acme/fw.bin' AND current = 1")" "$SHA2"
SHA3=$(sha256sum "$T_DIR/fw3.bin" | cut -c1-64)
check_eq "its bytes were not left in the artifact store" "$(ls "$T_DIR/artifacts/$(echo "$SHA3" | cut -c1-2)" 2>/dev/null | grep -c "$SHA3")" "0"
mv "$T_DIR/r1.key.away" "$T_DIR/r1.key"
check_eq "the refusal is in the trail" "$(db_sql "SELECT object_id FROM audit_log WHERE action = 'tuf.sign_refused'")" "timestamp"
"$VIGIL" signer keygen other --software "$T_DIR/other.key" --algorithm ed25519 >/dev/null
cp "$T_DIR/r1.key" "$T_DIR/r1.key.good"
cp "$T_DIR/other.key" "$T_DIR/r1.key"
check_eq "a signer whose key is not the one added is refused" "$(run_cmd "$VIGIL" tuf add-target --product acme "$T_DIR/fw3.bin" --name fw.bin)" "1"
check_contains "saying so" "$(cat "$T_DIR/err")" "public key changed"
check_eq "nothing half-published either" "$(db_sql "SELECT role || ':' || MAX(version) FROM tuf_metadata GROUP BY role ORDER BY role" | tr '\n' ' ')" "$BEFORE"
check_eq "both refusals audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'tuf.sign_refused'")" "2"
cp "$T_DIR/r1.key.good" "$T_DIR/r1.key"
ok "with the right key it publishes" "$VIGIL" tuf add-target --product acme "$T_DIR/fw3.bin" --name fw.bin
check_contains "and the device installs it" "$(served dev2 acme/fw.bin)" "ok acme/fw.bin 15 bytes"
check_eq "the bytes" "$(cat "$T_DIR/c-dev2/out.bin")" "firmware three"

check_eq "the trail has each change" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action IN ('tuf.init','tuf.delegate','tuf.add_targets','tuf.rotate','tuf.resign')")" "9"

# ---- two publishes at once: one after the other, both published ----
TS0=$(db_sql "SELECT MAX(version) FROM tuf_metadata WHERE role = 'timestamp'")
printf 'p1\n' >"$T_DIR/p1.bin"
printf 'p2\n' >"$T_DIR/p2.bin"
"$VIGIL" tuf add-target --product acme "$T_DIR/p1.bin" --name p1.bin >"$T_DIR/p1.out" 2>&1 &
P1=$!
"$VIGIL" tuf add-target --product acme "$T_DIR/p2.bin" --name p2.bin >"$T_DIR/p2.out" 2>&1 &
P2=$!
wait $P1
R1=$?
wait $P2
R2=$?
check_eq "two publishes at once both succeed" "$R1 $R2" "0 0"
check_eq "two new timestamps" "$(db_sql "SELECT MAX(version) FROM tuf_metadata WHERE role = 'timestamp'")" "$((TS0 + 2))"
check_contains "the newest lists both" "$(served dev2 acme/p1.bin) $(served dev2 acme/p2.bin)" "ok acme/p1.bin 3 bytes root v3 ok acme/p2.bin"

# ---- a lost root key: the rest still meet the threshold ----
mv "$T_DIR/r4.key" "$T_DIR/r4.key.lost"
ok "rotate targets with root key r4 lost (r3, r5: 2 of 3)" "$VIGIL" tuf rotate targets --signer tg
ok "rotate root away from the lost key" "$VIGIL" tuf rotate root --signer r3,r5,r2 --threshold 2
check_eq "the new root lists r2, r3, r5" "$("$VIGIL" tuf status --json | jq -r '.roles[] | select(.role=="root") | "\(.version) \(.signers)"')" "5 r3,r5,r2"
check_contains "the trail names the key that was missing" "$(db_sql "SELECT after_json FROM audit_log WHERE action = 'tuf.rotate' ORDER BY seq DESC LIMIT 1")" '"unavailable_signers":["r4"]'
check_contains "a device follows (root v5)" "$(served dev1 acme/fw.bin)" "ok acme/fw.bin 15 bytes root v5"
mv "$T_DIR/r5.key" "$T_DIR/r5.key.lost"
mv "$T_DIR/r2.key" "$T_DIR/r2.key.lost"
check_eq "below the threshold a root is refused" "$(run_cmd "$VIGIL" tuf rotate root --signer r3,r1 --threshold 1)" "1"
check_contains "saying how many signed" "$(cat "$T_DIR/err")" "of the old root signers signed"
check_eq "root stays at v5" "$(db_sql "SELECT MAX(version) FROM tuf_metadata WHERE role = 'root'")" "5"
finish
