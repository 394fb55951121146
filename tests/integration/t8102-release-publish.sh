#!/bin/sh
# The verification gate: `vigil release publish` (and POST
# /api/v1/releases/{id}/publish) on both artifact stores. A release whose
# artifacts are signed by a trusted CI key (openssl CLI) is published as TUF
# targets of the product's delegated role, and tuf-js installs its artifact
# from `vigil serve` and from a `vigil tuf export` tree. Refused, each with
# exit 1 naming the artifact and the reason, nothing published (TUF versions
# unchanged, published_at 0) and audited (release.publish_refused): no
# delegation, an unsigned artifact, a signature by an unknown key, by a
# revoked key, an artifact changed after upload, a signer whose signature
# does not verify (its key file replaced), a name TUF cannot carry.
# Publishing twice is refused. A 50 MB target through /tuf/targets/ with
# Range is streamed (peak resident size bound as in t8101).
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
# Under ASan the allocator keeps freed memory in quarantine (256 MiB by
# default): the database store's 1 MiB chunks would read as growth. A small
# quarantine keeps the peak-memory bound meaningful there too.
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=4"
command -v node >/dev/null || { echo "FAIL - node not installed (scripts/deps.sh)"; exit 1; }
[ -d "$VIGIL_SOURCE_DIR/tests/node_modules/tuf-js" ] ||
	{ echo "FAIL - tuf-js not installed in tests/node_modules (scripts/deps.sh)"; exit 1; }
CLIENT="$VIGIL_SOURCE_DIR/tests/tools/tuf-client.mjs"
STATIC_PIDS=""
trap 'for p in $STATIC_PIDS; do kill "$p" 2>/dev/null; done; t_cleanup' EXIT
cd "$T_DIR" || exit 1

static() {
	python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$1" >"$T_DIR/static-$STORE.log" 2>&1 &
	STATIC_PIDS="$STATIC_PIDS $!"
	i=0
	SBASE=""
	while [ -z "$SBASE" ] && [ $i -lt 100 ]; do
		port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$T_DIR/static-$STORE.log" | head -1)
		[ -n "$port" ] && SBASE="http://127.0.0.1:$port"
		i=$((i + 1))
		sleep 0.05
	done
}
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
versions() { db_sql "SELECT role || ':' || MAX(version) FROM tuf_metadata GROUP BY role ORDER BY role" | tr '\n' ' '; }
refusals() { db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'release.publish_refused'"; }
published() { db_sql "SELECT published_at FROM releases WHERE version = '$1'"; }
# hexsig FILE: a signature file as an SQL blob literal of the backend
hexsig() {
	h=$(od -An -v -tx1 "$1" | tr -d ' \n')
	if [ -n "${VIGIL_TEST_PG:-}" ]; then echo "decode('$h', 'hex')"; else echo "X'$h'"; fi
}

openssl ecparam -name prime256v1 -genkey -noout -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
openssl pkey -in rsa.key -pubout -out rsa.pub
openssl ecparam -name prime256v1 -genkey -noout -out stranger.key 2>/dev/null
head -c 3000000 /dev/urandom >fw.img
head -c 200000 /dev/urandom >app.bin
head -c 100000 /dev/urandom >chg.bin
head -c 1000 /dev/urandom >misc.bin
head -c 52428800 /dev/urandom >big.bin
for f in fw.img app.bin chg.bin misc.bin big.bin; do openssl dgst -sha256 -sign ec.key -out "$f.sig" "$f"; done
openssl dgst -sha256 -sign rsa.key -out misc.bin.rsasig misc.bin
openssl dgst -sha256 -sign stranger.key -out app.bin.stranger app.bin
SHA_FW=$(sha256sum fw.img | cut -c1-64)
SHA_CHG=$(sha256sum chg.bin | cut -c1-64)
SHA_BIG=$(sha256sum big.bin | cut -c1-64)
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >bom.json

for STORE in dir db; do
	echo "# artifact store: $STORE"
	fresh_db
	export VIGIL_UPDATE_ARTIFACT_STORE=$STORE
	export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts-$STORE"
	for n in r1 tg sn ts; do
		"$VIGIL" signer keygen "$n" --software "$T_DIR/$STORE-$n.key" --algorithm ed25519 >/dev/null || exit 1
	done
	"$VIGIL" signer keygen prod --software "$T_DIR/$STORE-prod.key" --algorithm p256 >/dev/null || exit 1
	"$VIGIL" signer keygen other --software "$T_DIR/$STORE-other.key" --algorithm p256 >/dev/null || exit 1
	"$VIGIL" tuf init --root-signers r1 --root-threshold 1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts >/dev/null || exit 1
	"$VIGIL" product create fw >/dev/null
	for v in 1.0 1.1 1.2 1.3 1.4 1.5 2.0 3.0; do
		"$VIGIL" sbom import bom.json --product fw --version "$v" >/dev/null
		"$VIGIL" release create --product fw --version "$v" >/dev/null
	done
	"$VIGIL" ci-key add ci-ec ec.pub >/dev/null
	"$VIGIL" ci-key add ci-rsa rsa.pub >/dev/null
	"$VIGIL" release upload fw@2.0 fw.img --signature fw.img.sig >/dev/null
	"$VIGIL" release upload fw@2.0 app.bin --signature app.bin.sig >/dev/null

	# no delegation
	check_eq "$STORE: publish without a delegation refused" "$(run_cmd "$VIGIL" release publish fw@2.0)" 1
	check_contains "$STORE: ... saying what to run" "$(cat "$T_DIR/err")" "vigil tuf delegate --product fw --signer"
	check_eq "$STORE: ... not published" "$(published 2.0)" 0
	check_eq "$STORE: ... audited" "$(refusals)" 1
	"$VIGIL" tuf delegate --product fw --signer prod >/dev/null || exit 1
	BEFORE=$(versions)

	# an unsigned artifact
	"$VIGIL" release upload fw@1.0 fw.img --signature fw.img.sig >/dev/null
	"$VIGIL" release upload fw@1.0 misc.bin >/dev/null
	check_eq "$STORE: an unsigned artifact refuses the release" "$(run_cmd "$VIGIL" release publish fw@1.0)" 1
	check_contains "$STORE: ... naming it" "$(cat "$T_DIR/err")" "'misc.bin': unsigned"
	# a signature by an unknown key (stored in place of the one checked at upload)
	"$VIGIL" release upload fw@1.1 app.bin --signature app.bin.sig >/dev/null
	db_sql "UPDATE release_artifacts SET signature = $(hexsig app.bin.stranger) WHERE name = 'app.bin' AND release_id = (SELECT id FROM releases WHERE version = '1.1')"
	check_eq "$STORE: a signature by an unknown key refuses" "$(run_cmd "$VIGIL" release publish fw@1.1 --json)" 1
	check_contains "$STORE: ... naming it" "$(cat "$T_DIR/err")" "'app.bin': its signature verifies with no trusted CI key"
	check_eq "$STORE: ... --json has the gate's report" "$(jq -c '[.published, .gate.checks.signatures, .tuf_version]' "$T_DIR/out")" '[false,false,null]'
	# a revoked key
	"$VIGIL" release upload fw@1.2 misc.bin --signature misc.bin.rsasig >/dev/null
	"$VIGIL" ci-key revoke ci-rsa --reason leaked >/dev/null
	check_eq "$STORE: a revoked key refuses" "$(run_cmd "$VIGIL" release publish fw@1.2)" 1
	check_contains "$STORE: ... naming artifact and key" "$(cat "$T_DIR/err")" "'misc.bin': signed by CI key ci-rsa, which is revoked"
	# an artifact changed after upload
	"$VIGIL" release upload fw@1.3 chg.bin --signature chg.bin.sig >/dev/null
	if [ "$STORE" = dir ]; then
		F="$VIGIL_UPDATE_ARTIFACT_DIR/$(echo "$SHA_CHG" | cut -c1-2)/$SHA_CHG"
		chmod u+w "$F"
		# flip byte 1000 (writing a fixed byte would change nothing 1 time in 256)
		python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(1000); b = f.read(1); f.seek(1000); f.write(bytes([b[0] ^ 0xff]))' "$F"
	elif [ -n "${VIGIL_TEST_PG:-}" ]; then
		db_sql "UPDATE artifact_chunks SET data = set_byte(data, 1000, 255 - get_byte(data, 1000)) WHERE sha256 = '$SHA_CHG' AND seq = 0"
	else
		db_sql "UPDATE artifact_chunks SET data = substr(data, 1, 1000) || CASE WHEN substr(data, 1001, 1) = X'00' THEN X'01' ELSE X'00' END || substr(data, 1002) WHERE sha256 = '$SHA_CHG' AND seq = 0"
	fi
	check_eq "$STORE: an artifact changed after upload refuses" "$(run_cmd "$VIGIL" release publish fw@1.3)" 1
	check_contains "$STORE: ... naming it" "$(cat "$T_DIR/err")" "artifact 'chg.bin': its stored bytes have SHA-256"
	check_contains "$STORE: ... and why" "$(cat "$T_DIR/err")" "changed after upload"
	# a name TUF cannot carry (the delegation's pattern fw/* is one level)
	"$VIGIL" release upload fw@1.4 app.bin --name images/app.bin --signature app.bin.sig >/dev/null
	check_eq "$STORE: an artifact name with / refuses" "$(run_cmd "$VIGIL" release publish fw@1.4)" 1
	check_contains "$STORE: ... naming it" "$(cat "$T_DIR/err")" "images/app.bin"
	# a signer whose signature does not verify: its key file replaced
	cp "$T_DIR/$STORE-prod.key" "$T_DIR/$STORE-prod.key.good"
	cp "$T_DIR/$STORE-other.key" "$T_DIR/$STORE-prod.key"
	check_eq "$STORE: a signer that does not verify refuses" "$(run_cmd "$VIGIL" release publish fw@2.0)" 1
	check_contains "$STORE: ... saying so" "$(cat "$T_DIR/err")" "public key changed"
	cp "$T_DIR/$STORE-prod.key.good" "$T_DIR/$STORE-prod.key"
	check_contains "$STORE: show gives the refusal" "$("$VIGIL" release show fw@2.0)" "publish refused"
	check_eq "$STORE: ... and --json" "$("$VIGIL" release show fw@2.0 --json | jq -c '[.published, (.publish_refused.reason | test("public key changed"))]')" '[false,true]'

	check_eq "$STORE: nothing published by the refusals: TUF versions" "$(versions)" "$BEFORE"
	check_eq "$STORE: ... no target" "$(db_sql "SELECT COUNT(*) FROM tuf_targets")" 0
	check_eq "$STORE: ... no published_at" "$(db_sql "SELECT COUNT(*) FROM releases WHERE published_at <> 0 OR tuf_version <> 0")" 0
	check_eq "$STORE: every refusal audited" "$(refusals)" 7
	check_eq "$STORE: the signer's refusal too" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'tuf.sign_refused'")" 1

	# published
	check_eq "$STORE: publish" "$(run_cmd "$VIGIL" release publish fw@2.0 --json)" 0
	TV=$(db_sql "SELECT MAX(version) FROM tuf_metadata WHERE role = 'products/fw'")
	check_eq "$STORE: ... in the product role's new version" "$(jq -c '[.published, .tuf_version, .gate.passed]' "$T_DIR/out")" "[true,$TV,true]"
	check_eq "$STORE: ... the targets" "$(db_sql "SELECT name FROM tuf_targets WHERE current = 1 ORDER BY name" | tr '\n' ' ')" "fw/app.bin fw/fw.img "
	check_eq "$STORE: ... published_at and tuf_version stored" "$(db_sql "SELECT CASE WHEN published_at > 0 THEN 1 ELSE 0 END, tuf_version FROM releases WHERE version = '2.0'" | tr '|' ' ')" "1 $TV"
	check_contains "$STORE: show says so" "$("$VIGIL" release show fw@2.0)" "PUBLISHED"
	check_contains "$STORE: ... and list" "$("$VIGIL" release list --product fw)" "PUBLISHED"
	check_eq "$STORE: ... --json" "$("$VIGIL" release show fw@2.0 --json | jq -c '[.published, .tuf_version]')" "[true,$TV]"
	check_eq "$STORE: audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'release.publish'")" 1
	V2=$(versions)
	check_eq "$STORE: publishing twice refused" "$(run_cmd "$VIGIL" release publish fw@2.0)" 1
	check_contains "$STORE: ... clearly" "$(cat "$T_DIR/err")" "published already"
	check_eq "$STORE: ... nothing signed again" "$(versions)" "$V2"
	check_eq "$STORE: a published release takes no upload" "$(run_cmd "$VIGIL" release upload fw@2.0 misc.bin --name late.bin)" 1
	ok "$STORE: audit chain intact" "$VIGIL" audit verify

	# tuf-js installs the artifact from vigil serve and from an export
	"$VIGIL" tuf export "$T_DIR/exp-$STORE" >/dev/null
	cp "$T_DIR/exp-$STORE/metadata/1.root.json" "$T_DIR/root-$STORE.json"
	check_eq "$STORE: export copies the target from the artifact store" "$(cmp "$T_DIR/exp-$STORE/targets/fw/$SHA_FW.fw.img" fw.img && echo same)" same
	start_server
	check_contains "$STORE: tuf-js installs from vigil serve" "$(node "$CLIENT" --metadata "$BASE/tuf/metadata" --targets "$BASE/tuf/targets" --dir "$T_DIR/c1-$STORE" --root "$T_DIR/root-$STORE.json" --target fw/fw.img --out "$T_DIR/c1-$STORE.out" 2>&1)" "ok fw/fw.img 3000000 bytes"
	check_eq "$STORE: ... the bytes" "$(sha256sum <"$T_DIR/c1-$STORE.out" | cut -c1-64)" "$SHA_FW"
	static "$T_DIR/exp-$STORE"
	check_contains "$STORE: tuf-js installs from the exported tree" "$(node "$CLIENT" --metadata "$SBASE/metadata" --targets "$SBASE/targets" --dir "$T_DIR/c2-$STORE" --root "$T_DIR/root-$STORE.json" --target fw/fw.img --out "$T_DIR/c2-$STORE.out" 2>&1)" "ok fw/fw.img 3000000 bytes"
	check_eq "$STORE: ... the bytes" "$(sha256sum <"$T_DIR/c2-$STORE.out" | cut -c1-64)" "$SHA_FW"

	# the API: admin publishes, a refusal is a 422 with the report
	ADMIN=$(admin_token)
	"$VIGIL" release upload fw@1.5 misc.bin >/dev/null
	R15=$("$VIGIL" release show fw@1.5 --json | jq .id)
	check_eq "$STORE: API publish of an unsigned artifact is a 422" "$(http POST "/api/v1/releases/$R15/publish" -H "X-Api-Key: $ADMIN")" 422
	check_contains "$STORE: ... naming it" "$(body)" "'misc.bin': unsigned"
	"$VIGIL" release upload fw@3.0 big.bin --signature big.bin.sig >/dev/null
	R30=$("$VIGIL" release show fw@3.0 --json | jq .id)
	check_eq "$STORE: API publish" "$(http POST "/api/v1/releases/$R30/publish" -H "X-Api-Key: $ADMIN")" 200
	check_eq "$STORE: ... published" "$(jq .published "$T_DIR/body")" true
	check_eq "$STORE: the release page shows it" "$(http GET "/ui/releases/$R30" -H "X-Api-Key: $ADMIN")" 200
	check_contains "$STORE: ... with the TUF version" "$(body)" "in TUF version $((TV + 1)) of products/fw"
	http GET "/ui/releases" -H "X-Api-Key: $ADMIN" >/dev/null
	check_contains "$STORE: the list marks it" "$(body)" "passed (published)"
	http GET "/ui/releases/$R15" -H "X-Api-Key: $ADMIN" >/dev/null
	check_contains "$STORE: a refused publish shows why" "$(body)" "unsigned"

	# 50 MB through /tuf/targets/: streamed, with Range
	P="/tuf/targets/fw/$SHA_BIG.big.bin"
	http GET "/tuf/targets/fw/$SHA_FW.fw.img" >/dev/null
	IDLE=$(hwm "$T_SERVER_PID")
	check_eq "$STORE: 50 MB target, the same bytes" "$(curl -s "$BASE$P" | sha256sum | cut -c1-64)" "$SHA_BIG"
	check_eq "$STORE: Range of it" "$(http GET "$P" -H 'Range: bytes=1048576-')" 206
	check_eq "$STORE: ... the bytes" "$(tail -c +1048577 big.bin | cmp - "$T_DIR/body" && echo same)" same
	check_contains "$STORE: ... Content-Range" "$(cat "$T_DIR/headers")" "Content-Range: bytes 1048576-52428799/52428800"
	check_eq "$STORE: a middle range" "$(http GET "$P" -H 'Range: bytes=5000000-5000009'; od -An -tx1 "$T_DIR/body" | tr -d ' \n')" "206$(tail -c +5000001 big.bin | head -c 10 | od -An -tx1 | tr -d ' \n')"
	check_eq "$STORE: HEAD" "$(curl -s -I -o "$T_DIR/h" -w '%{http_code}' "$BASE$P")" 200
	check_contains "$STORE: ... the length" "$(cat "$T_DIR/h")" "Content-Length: 52428800"
	PEAK=$(hwm "$T_SERVER_PID")
	GROWTH=$((PEAK - IDLE))
	ok "$STORE: peak resident size grew by $GROWTH kB (bound 32768 kB)" test "$GROWTH" -lt 32768
	stop_server
done
finish
