#!/bin/sh
# Releases and artifacts from the command line, on both artifact stores (a
# directory, and the database itself): create (the product version must
# exist, --fixes), upload with CI signatures made by the openssl CLI exactly
# as the issue says (ECDSA P-256 and RSA with `openssl dgst -sha256 -sign`,
# Ed25519 with `openssl pkeyutl -sign -rawin`), provenance, list, show,
# yank, trusted CI keys (add, list, revoke), and the gate's checks (`vigil
# release check`): unsigned, unknown and revoked keys, a signature of
# another artifact, an artifact changed after upload (the stored file or
# chunk edited) fail naming the artifact; bad names and bad input stored
# nowhere. Every check run is in the audit trail.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1

# keys and signatures, made with the openssl CLI
openssl ecparam -name prime256v1 -genkey -noout -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
openssl genpkey -algorithm ed25519 -out ed.key 2>/dev/null
openssl pkey -in ed.key -pubout -out ed.pub
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
openssl pkey -in rsa.key -pubout -out rsa.pub
openssl ecparam -name prime256v1 -genkey -noout -out stranger.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out small.key 2>/dev/null
openssl pkey -in small.key -pubout -out small.pub
head -c 3000000 /dev/urandom >fw.img
head -c 1234567 /dev/urandom >app.tar
head -c 100 /dev/urandom >other.bin
openssl dgst -sha256 -sign ec.key -out fw.img.sig fw.img
openssl pkeyutl -sign -rawin -inkey ed.key -in app.tar -out app.tar.sig
openssl dgst -sha256 -sign rsa.key -out other.bin.rsasig other.bin
openssl dgst -sha256 -sign stranger.key -out fw.img.stranger fw.img
openssl dgst -sha256 -sign ec.key -out other.bin.sig other.bin
SHA_FW=$(sha256sum fw.img | cut -c1-64)
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >bom.json
cat >prov.json <<EOF
{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"fw.img","digest":{"sha256":"$SHA_FW"}}],
 "predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{"buildType":"https://example.org/make"}}}
EOF
cat >prov-other.json <<EOF
{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"x","digest":{"sha256":"$(printf '%064d' 0)"}}],
 "predicateType":"https://slsa.dev/provenance/v1","predicate":{}}
EOF
# a DSSE envelope of the statement, as SLSA generators write it
printf '{"payloadType":"application/vnd.in-toto+json","payload":"%s","signatures":[]}' "$(base64 -w0 prov.json)" >prov.dsse

# count ROWS: rows of a table
count() { db_sql "SELECT COUNT(*) FROM $1"; }

for STORE in dir db; do
	echo "# artifact store: $STORE"
	fresh_db
	export VIGIL_UPDATE_ARTIFACT_STORE=$STORE
	export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts-$STORE"
	"$VIGIL" product create fw >/dev/null
	"$VIGIL" product create tool >/dev/null
	"$VIGIL" sbom import bom.json --product fw --version 1.0 >/dev/null
	"$VIGIL" sbom import bom.json --product fw --version 1.1 >/dev/null

	# create
	check_eq "$STORE: release of a missing version refused" "$(run_cmd "$VIGIL" release create --product fw --version 9.9)" 1
	check_contains "$STORE: ... naming it" "$(cat "$T_DIR/err")" "9.9"
	check_eq "$STORE: --fixes without --security refused" "$(run_cmd "$VIGIL" release create --product fw --version 1.0 --fixes CVE-2026-1234)" 1
	check_eq "$STORE: a bad vulnerability id refused" "$(run_cmd "$VIGIL" release create --product fw --version 1.0 --security --fixes 'CVE-26-1,x')" 1
	check_contains "$STORE: ... naming it" "$(cat "$T_DIR/err")" "CVE-26-1"
	check_eq "$STORE: nothing stored" "$(count releases)" 0
	printf 'Fixes the parser.\n' >notes.txt
	check_eq "$STORE: security release created" "$(run_cmd "$VIGIL" release create --product fw --version 1.0 --security --fixes cve-2026-1234,GHSA-abcd-efgh-ijkl --notes notes.txt --json)" 0
	check_eq "$STORE: fixes kept (CVE upper-cased)" "$(jq -c .fixes "$T_DIR/out")" '["CVE-2026-1234","GHSA-abcd-efgh-ijkl"]'
	REL=$(jq .id "$T_DIR/out")
	check_eq "$STORE: a second release of the version refused" "$(run_cmd "$VIGIL" release create --product fw --version 1.0)" 1

	# CI keys
	check_eq "$STORE: ci-key add ec" "$(run_cmd "$VIGIL" ci-key add ci-ec ec.pub)" 0
	check_eq "$STORE: ci-key add ed25519" "$(run_cmd "$VIGIL" ci-key add ci-ed ed.pub)" 0
	check_eq "$STORE: ci-key add rsa" "$(run_cmd "$VIGIL" ci-key add ci-rsa rsa.pub)" 0
	check_eq "$STORE: the same key twice refused" "$(run_cmd "$VIGIL" ci-key add again ec.pub)" 1
	check_eq "$STORE: a private key refused" "$(run_cmd "$VIGIL" ci-key add priv ec.key)" 1
	check_contains "$STORE: ... saying so" "$(cat "$T_DIR/err")" "private key"
	check_eq "$STORE: RSA of 1024 bits refused" "$(run_cmd "$VIGIL" ci-key add small small.pub)" 1
	check_eq "$STORE: ci-key list --json" "$("$VIGIL" ci-key list --json | jq -r '[.[].algorithm] | join(",")')" "ecdsa-p256,ed25519,rsa-2048"

	# uploads
	check_eq "$STORE: upload ECDSA-signed with provenance" "$(run_cmd "$VIGIL" release upload fw@1.0 fw.img --name images/fw.img --signature fw.img.sig --provenance prov.json --json)" 0
	check_eq "$STORE: ... verified with ci-ec" "$(jq -r .signature_key "$T_DIR/out")" "ci-ec"
	check_eq "$STORE: ... addressed by SHA-256" "$(jq -r .sha256 "$T_DIR/out")" "$SHA_FW"
	check_eq "$STORE: upload Ed25519-signed (DSSE provenance)" "$(run_cmd "$VIGIL" release upload "$REL" app.tar --signature app.tar.sig --provenance prov.dsse --json)" 1
	check_contains "$STORE: ... a provenance of another artifact refused" "$(cat "$T_DIR/err")" "no subject has this artifact"
	check_eq "$STORE: upload Ed25519-signed" "$(run_cmd "$VIGIL" release upload "$REL" app.tar --signature app.tar.sig --json)" 0
	check_eq "$STORE: ... verified with ci-ed" "$(jq -r .signature_key "$T_DIR/out")" "ci-ed"
	check_eq "$STORE: upload RSA-signed" "$(run_cmd "$VIGIL" release upload "$REL" other.bin --name rsa.bin --signature other.bin.rsasig)" 0

	# bad input: nothing stored
	BEFORE=$(count release_artifacts)
	check_eq "$STORE: a signature of another artifact refused" "$(run_cmd "$VIGIL" release upload "$REL" fw.img --name x.img --signature other.bin.sig)" 1
	check_contains "$STORE: ... clearly" "$(cat "$T_DIR/err")" "verifies with no trusted CI key"
	check_eq "$STORE: a signature by an unknown key refused" "$(run_cmd "$VIGIL" release upload "$REL" fw.img --name y.img --signature fw.img.stranger)" 1
	for bad in ../x.img /etc/passwd 'a//b' 'a/./b' 'dir/' "$(printf 'a\342\200\256b')" "$(printf 'a\001b')"; do
		check_eq "$STORE: name '$bad' refused" "$(run_cmd "$VIGIL" release upload "$REL" other.bin --name "$bad")" 1
	done
	check_contains "$STORE: ... naming the rule" "$(cat "$T_DIR/err")" "artifact name"
	check_eq "$STORE: provenance that is not an in-toto statement refused" "$(run_cmd "$VIGIL" release upload "$REL" other.bin --name p.bin --provenance bom.json)" 1
	check_contains "$STORE: ... saying what is expected" "$(cat "$T_DIR/err")" "predicateType"
	check_eq "$STORE: provenance of another artifact refused" "$(run_cmd "$VIGIL" release upload "$REL" other.bin --name q.bin --provenance prov-other.json)" 1
	check_eq "$STORE: the same name twice refused" "$(run_cmd "$VIGIL" release upload "$REL" other.bin --name rsa.bin)" 1
	check_eq "$STORE: nothing stored by the refusals" "$(count release_artifacts)" "$BEFORE"

	# list, show
	check_eq "$STORE: list --json" "$("$VIGIL" release list --json | jq -c '[.[] | {product, version, artifacts, security}]')" '[{"product":"fw","version":"1.0","artifacts":3,"security":true}]'
	check_contains "$STORE: list as a table" "$("$VIGIL" release list)" "not checked"
	"$VIGIL" release show fw@1.0 --json >show.json
	check_eq "$STORE: show names the artifacts" "$(jq -r '[.artifact_list[].name] | join(",")' show.json)" "app.tar,images/fw.img,rsa.bin"
	check_eq "$STORE: ... the provenance type" "$(jq -r '.artifact_list[] | select(.name=="images/fw.img") | .provenance_type' show.json)" "https://slsa.dev/provenance/v1"
	check_eq "$STORE: ... and the document" "$(jq -r '.artifact_list[] | select(.name=="images/fw.img") | .provenance_document.subject[0].digest.sha256' show.json)" "$SHA_FW"
	check_contains "$STORE: show as text" "$("$VIGIL" release show "$REL")" "signed by ci-ec"

	# the gate
	check_eq "$STORE: check passes" "$(run_cmd "$VIGIL" release check "$REL" --json)" 0
	check_eq "$STORE: ... every check" "$(jq -c .checks "$T_DIR/out")" '{"product_version":true,"not_yanked":true,"has_artifacts":true,"hashes":true,"signed":true,"keys":true,"signatures":true}'
	check_eq "$STORE: list shows the gate result" "$("$VIGIL" release list --json | jq -r '.[0].gate.passed')" "true"
	check_eq "$STORE: an unsigned artifact uploads" "$(run_cmd "$VIGIL" release upload "$REL" other.bin --name unsigned.bin)" 0
	check_eq "$STORE: ... and fails the check" "$(run_cmd "$VIGIL" release check "$REL")" 1
	check_contains "$STORE: ... naming it" "$(cat "$T_DIR/err")" "'unsigned.bin': unsigned"

	# a revoked key fails the gate, and refuses new uploads
	"$VIGIL" sbom import bom.json --product fw --version 1.2 >/dev/null
	"$VIGIL" release create --product fw --version 1.2 >/dev/null
	check_eq "$STORE: RSA artifact into 1.2" "$(run_cmd "$VIGIL" release upload fw@1.2 other.bin --signature other.bin.rsasig)" 0
	check_eq "$STORE: ci-key revoke" "$(run_cmd "$VIGIL" ci-key revoke ci-rsa --reason 'left the CI')" 0
	check_eq "$STORE: revoke twice refused" "$(run_cmd "$VIGIL" ci-key revoke ci-rsa)" 1
	check_eq "$STORE: list shows it revoked" "$("$VIGIL" ci-key list --json | jq -r '.[] | select(.name=="ci-rsa") | .revoked')" "true"
	check_eq "$STORE: check fails on the revoked key" "$(run_cmd "$VIGIL" release check fw@1.2 --json)" 1
	check_eq "$STORE: ... keys check false" "$(jq -c '[.checks.keys, .checks.signatures, .artifacts[0].key]' "$T_DIR/out")" '[false,true,"ci-rsa"]'
	check_contains "$STORE: ... naming artifact and key" "$(cat "$T_DIR/err")" "'other.bin': signed by CI key ci-rsa, which is revoked"
	check_eq "$STORE: upload signed by a revoked key refused" "$(run_cmd "$VIGIL" release upload fw@1.2 other.bin --name again.bin --signature other.bin.rsasig)" 1
	check_contains "$STORE: ... saying so" "$(cat "$T_DIR/err")" "revoked"

	# an artifact changed after upload
	"$VIGIL" sbom import bom.json --product fw --version 2.0 >/dev/null
	"$VIGIL" release create --product fw --version 2.0 >/dev/null
	"$VIGIL" release upload fw@2.0 fw.img --signature fw.img.sig >/dev/null
	check_eq "$STORE: 2.0 passes" "$(run_cmd "$VIGIL" release check fw@2.0)" 0
	if [ "$STORE" = dir ]; then
		F="$VIGIL_UPDATE_ARTIFACT_DIR/$(echo "$SHA_FW" | cut -c1-2)/$SHA_FW"
		ok "$STORE: the file is kept under its SHA-256" test -f "$F"
		chmod u+w "$F"
		# flip byte 1000 (writing a fixed byte would change nothing 1 time in 256)
		python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(1000); b = f.read(1); f.seek(1000); f.write(bytes([b[0] ^ 0xff]))' "$F"
	else
		check_eq "$STORE: no file written" "$(ls "$VIGIL_UPDATE_ARTIFACT_DIR" 2>/dev/null | wc -l)" 0
		check_eq "$STORE: 3 chunks of 1 MiB" "$(db_sql "SELECT COUNT(*) FROM artifact_chunks WHERE sha256 = '$SHA_FW'")" 3
		if [ -n "${VIGIL_TEST_PG:-}" ]; then
			db_sql "UPDATE artifact_chunks SET data = set_byte(data, 1000, 255 - get_byte(data, 1000)) WHERE sha256 = '$SHA_FW' AND seq = 1"
		else
			db_sql "UPDATE artifact_chunks SET data = substr(data, 1, 1000) || CASE WHEN substr(data, 1001, 1) = X'00' THEN X'01' ELSE X'00' END || substr(data, 1002) WHERE sha256 = '$SHA_FW' AND seq = 1"
		fi
	fi
	check_eq "$STORE: check fails after the change" "$(run_cmd "$VIGIL" release check fw@2.0 --json)" 1
	check_eq "$STORE: ... hash and signature checks false" "$(jq -c '[.checks.hashes, .checks.signatures, .checks.product_version]' "$T_DIR/out")" '[false,false,true]'
	check_contains "$STORE: ... naming the artifact" "$(cat "$T_DIR/err")" "artifact 'fw.img': its stored bytes have SHA-256"
	check_contains "$STORE: ... changed after upload" "$(cat "$T_DIR/err")" "changed after upload"

	# yank
	check_eq "$STORE: yank without a reason is a usage error" "$(run_cmd "$VIGIL" release yank fw@1.1)" 2
	check_eq "$STORE: yank a missing release" "$(run_cmd "$VIGIL" release yank fw@1.1 --reason x)" 1
	check_eq "$STORE: yank" "$(run_cmd "$VIGIL" release yank "$REL" --reason 'bricks devices')" 0
	check_eq "$STORE: yank twice refused" "$(run_cmd "$VIGIL" release yank "$REL" --reason again)" 1
	check_eq "$STORE: shown yanked" "$("$VIGIL" release show "$REL" --json | jq -c '[.yanked, .yank_reason]')" '[true,"bricks devices"]'
	check_eq "$STORE: a yanked release takes no upload" "$(run_cmd "$VIGIL" release upload "$REL" other.bin --name late.bin)" 1
	check_eq "$STORE: ... and fails the gate" "$(run_cmd "$VIGIL" release check "$REL" --json)" 1
	check_eq "$STORE: ... not_yanked false" "$(jq .checks.not_yanked "$T_DIR/out")" "false"

	# the audit trail
	check_eq "$STORE: every check run audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'release.check'")" "$(count release_checks)"
	ok "$STORE: audit chain intact" "$VIGIL" audit verify
	check_eq "$STORE: uploads audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'release.upload'")" "$(count release_artifacts)"
done

# PostgreSQL without a directory setting: a clear error, nothing stored
fresh_db
unset VIGIL_UPDATE_ARTIFACT_DIR
export VIGIL_UPDATE_ARTIFACT_STORE=dir
"$VIGIL" product create fw >/dev/null
"$VIGIL" sbom import bom.json --product fw --version 1.0 >/dev/null
"$VIGIL" release create --product fw --version 1.0 >/dev/null
if [ -n "${VIGIL_TEST_PG:-}" ]; then
	check_eq "pg: the directory store needs update.artifact_dir (a usage error)" "$(run_cmd "$VIGIL" release upload 1 other.bin)" 2
	check_contains "pg: ... naming the settings" "$(cat "$T_DIR/err")" "update.artifact_dir"
	check_eq "pg: nothing stored" "$(count release_artifacts)" 0
else
	check_eq "sqlite: the default directory is next to the database" "$(run_cmd "$VIGIL" release upload 1 other.bin)" 0
	ok "sqlite: ... <db>.artifacts" test -d "$VIGIL_DB.artifacts"
fi
export VIGIL_UPDATE_ARTIFACT_STORE=tape
check_eq "a bad update.artifact_store refused (a usage error)" "$(run_cmd "$VIGIL" release upload 1 fw.img)" 2
check_contains "... naming the setting" "$(cat "$T_DIR/err")" "update.artifact_store"
finish
