#!/bin/sh
# The TUF repository signed by keys inside a PKCS#11 token (SoftHSM2 as a
# real token): Ed25519 for root, snapshot and timestamp, P-256 (CKM_ECDSA,
# DER in the metadata) for targets and a product; tuf-js installs the target
# from `vigil serve`, then again after the timestamp key is rotated to
# another token key.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
# Under ASan: full stacks, so the SoftHSM leak in tests/lsan.supp is matched
# (the fast unwinder stops inside libcrypto).
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
command -v softhsm2-util >/dev/null || { echo "softhsm2-util missing (scripts/deps.sh)"; exit 1; }
command -v node >/dev/null || { echo "FAIL - node not installed (scripts/deps.sh)"; exit 1; }
[ -d "$VIGIL_SOURCE_DIR/tests/node_modules/tuf-js" ] ||
	{ echo "FAIL - tuf-js not installed in tests/node_modules (scripts/deps.sh, or cd tests && npm install)"; exit 1; }
CLIENT="$VIGIL_SOURCE_DIR/tests/tools/tuf-client.mjs"
PIN='t8202-Pin-x3W'
softhsm_token tuf-test "$PIN"
# target bytes go to the artifact store (a directory here; required with PostgreSQL)
export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts"
fresh_db

key() { # NAME ALG
	"$VIGIL" signer keygen "$1" --pkcs11 "pkcs11:token=tuf-test;object=$1" --pin-file "$T_DIR/pin" \
		--algorithm "$2" >/dev/null
}
for n in root1 root2 snap ts ts2; do key "$n" ed25519 || exit 1; done
for n in tgt prod; do key "$n" p256 || exit 1; done

ok "init with token keys" "$VIGIL" tuf init --root-signers root1,root2 --root-threshold 2 \
	--targets-signer tgt --snapshot-signer snap --timestamp-signer ts
ok "delegate to a P-256 token key" "$VIGIL" tuf delegate --product acme --signer prod
printf 'hsm firmware\n' >"$T_DIR/fw.bin"
ok "add a target" "$VIGIL" tuf add-target --product acme "$T_DIR/fw.bin" --name fw.bin
"$VIGIL" tuf export "$T_DIR/exp" >/dev/null
cp "$T_DIR/exp/metadata/1.root.json" "$T_DIR/root1.json"
check_eq "targets signed with a DER ECDSA signature" "$(jq -r '.signatures[0].sig | startswith("30")' "$T_DIR/exp/metadata/targets.json")" "true"
check_eq "the P-256 key as PEM" "$(jq -r '[.signed.keys[] | select(.scheme=="ecdsa-sha2-nistp256")] | length' "$T_DIR/root1.json")" "1"

start_server
run() {
	node "$CLIENT" --metadata "$BASE/tuf/metadata" --targets "$BASE/tuf/targets" --dir "$T_DIR/dev" \
		--root "$T_DIR/root1.json" --target acme/fw.bin --out "$T_DIR/dev/out.bin" 2>&1
}
check_contains "tuf-js installs a target signed in the token" "$(run)" "ok acme/fw.bin 13 bytes"
check_eq "the bytes" "$(cat "$T_DIR/dev/out.bin")" "hsm firmware"
ok "rotate the timestamp to another token key" "$VIGIL" tuf rotate timestamp --signer ts2
check_contains "tuf-js follows (root v2)" "$(run)" "root v2"
check_eq "status names the token signers" "$("$VIGIL" tuf status --json | jq -r '.roles[] | select(.role=="timestamp") | .signers')" "ts2"
finish
