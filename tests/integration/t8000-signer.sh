#!/bin/sh
# Signers (issue 18, item 1): keys generated inside a SoftHSM2 token (a real
# PKCS#11 token, reached through p11-kit) for Ed25519 and P-256, signed and
# verified against the public key read back from the token, the private key
# neither extractable nor readable; the token chosen by RFC 7512 URIs (the
# registered module, module-name, module-path); the PIN from a file or
# VIGIL_PKCS11_PIN and never stored or audited; software keys marked
# development only everywhere; bad input refused with the signer or URI named
# and nothing stored.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
# Under ASan: full stacks, so the SoftHSM leak in tests/lsan.supp is matched
# (the fast unwinder stops inside libcrypto).
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"

PIN='t8000-Pin-k7Q'
softhsm_token vigil-test "$PIN"

fresh_db

count() {
	"$VIGIL" signer list --json | jq length
}

# ---- keys generated inside the token ----
ok "keygen ed25519 in the token" "$VIGIL" signer keygen hsm-ed \
	--pkcs11 'pkcs11:token=vigil-test;object=update-ed' --pin-file "$T_DIR/pin" --algorithm ed25519
ok "keygen p256 in the token (with id=)" "$VIGIL" signer keygen hsm-p256 \
	--pkcs11 'pkcs11:token=vigil-test;object=update-p256;id=%01%02' --pin-file "$T_DIR/pin" \
	--algorithm p256

for n in hsm-ed hsm-p256; do
	check_eq "$n: signer test exits 0" "$(run_cmd "$VIGIL" signer test "$n")" 0
	out=$(cat "$T_DIR/out")
	check_contains "$n: test prints ok" "$out" "
ok"
	check_contains "$n: test says the key cannot leave the token" "$out" "not extractable"
	"$VIGIL" signer test "$n" --json >"$T_DIR/test.json"
	check_eq "$n: private key sensitive" "$(jq -r .private_key.sensitive "$T_DIR/test.json")" true
	check_eq "$n: private key not extractable (CKA_EXTRACTABLE false)" \
		"$(jq -r .private_key.extractable "$T_DIR/test.json")" false
	check_eq "$n: CKA_VALUE refused (CKR_ATTRIBUTE_SENSITIVE)" \
		"$(jq -r .private_key.value_hidden "$T_DIR/test.json")" true
	check_eq "$n: not development only" "$(jq -r .development_only "$T_DIR/test.json")" false
	kid=$(jq -r .key_id "$T_DIR/test.json")
	pub=$("$VIGIL" signer list --json | jq -r --arg n "$n" '.[] | select(.name == $n) | .public_key')
	check_eq "$n: key id is the SHA-256 of the public key" \
		"$(printf '%s' "$pub" | xxd -r -p | sha256sum | cut -d' ' -f1)" "$kid"
done
check_eq "ed25519 test names the algorithm" \
	"$("$VIGIL" signer test hsm-ed | sed -n 's/^algorithm //p')" ed25519
check_eq "p256 test names the algorithm" \
	"$("$VIGIL" signer test hsm-p256 | sed -n 's/^algorithm //p')" p256
check_eq "ed25519 public key is 32 bytes" \
	"$("$VIGIL" signer list --json | jq -r '.[] | select(.name == "hsm-ed") | .public_key | length')" 64
check_eq "p256 public key is the uncompressed point" \
	"$("$VIGIL" signer list --json | jq -r '.[] | select(.name == "hsm-p256") | .public_key[0:2] + (.public_key | length | tostring)')" 04130

# the same token keys reached by other URIs, the PIN from the environment
ok "add by module-path (PIN from VIGIL_PKCS11_PIN)" env VIGIL_PKCS11_PIN="$PIN" "$VIGIL" signer add by-path \
	--pkcs11 "pkcs11:token=vigil-test;object=update-p256?module-path=$MODULE"
ok "add by module-name" env VIGIL_PKCS11_PIN="$PIN" "$VIGIL" signer add by-name \
	--pkcs11 'pkcs11:token=vigil-test;object=update-ed?module-name=softhsm2'
ok "by-path signs with the environment PIN" env VIGIL_PKCS11_PIN="$PIN" "$VIGIL" signer test by-path
check_eq "same key, same id" \
	"$("$VIGIL" signer list --json | jq -r '[.[] | select(.name == "by-path" or .name == "hsm-p256") | .key_id] | unique | length')" 1
check_eq "without a PIN the token refuses (exit 1)" "$(run_cmd "$VIGIL" signer test by-path)" 1
check_contains "... saying a PIN is needed" "$(cat "$T_DIR/err")" "needs a PIN"

# no second key under a label the token already has
check_eq "keygen refuses an existing label" "$(run_cmd "$VIGIL" signer keygen again \
	--pkcs11 'pkcs11:token=vigil-test;object=update-ed' --pin-file "$T_DIR/pin" --algorithm ed25519)" 1
check_contains "... naming the URI" "$(cat "$T_DIR/err")" "pkcs11:token=vigil-test;object=update-ed: a key with this label"

# ---- software keys: development only ----
ok "software keygen ed25519" "$VIGIL" signer keygen dev-ed --software "$T_DIR/dev-ed.pem" --algorithm ed25519
ok "software keygen p256" "$VIGIL" signer keygen dev-p256 --software "$T_DIR/dev-p256.pem" --algorithm p256
check_eq "generated key file mode 0600" "$(stat -c %a "$T_DIR/dev-ed.pem")" 600
check_contains "generated key file is PEM PKCS#8" "$(head -1 "$T_DIR/dev-ed.pem")" "BEGIN PRIVATE KEY"
openssl genpkey -algorithm ed25519 -out "$T_DIR/ossl.pem" 2>/dev/null
chmod 600 "$T_DIR/ossl.pem"
ok "software add of an openssl key" "$VIGIL" signer add dev-ossl --software "$T_DIR/ossl.pem"
check_contains "software add prints development only" "$(cat "$T_DIR/ok.out")" "(development only)"
check_eq "software key public key as openssl sees it" \
	"$("$VIGIL" signer list --json | jq -r '.[] | select(.name == "dev-ossl") | .public_key')" \
	"$(openssl pkey -in "$T_DIR/ossl.pem" -pubout -outform DER | tail -c 32 | xxd -p -c 64)"
out=$("$VIGIL" signer test dev-p256)
check_contains "software test prints ok" "$out" "
ok"
check_contains "software test marked development only" "$out" "(development only)"
list=$("$VIGIL" signer list)
check_eq "every software signer in the listing is marked" \
	"$(printf '%s\n' "$list" | grep ' software ' | grep -c '(development only)')" 3
check_eq "no token signer is marked" "$(printf '%s\n' "$list" | grep ' pkcs11 ' | grep -c 'development')" 0
check_eq "JSON marks software signers development_only" \
	"$("$VIGIL" signer list --json | jq -c '[.[] | select(.kind == "software") | .development_only] | unique')" '[true]'
check_eq "JSON marks token signers not development_only" \
	"$("$VIGIL" signer list --json | jq -c '[.[] | select(.kind == "pkcs11") | .development_only] | unique')" '[false]'
check_eq "keygen never overwrites a key file" "$(run_cmd "$VIGIL" signer keygen dev-x \
	--software "$T_DIR/dev-ed.pem" --algorithm p256)" 1
check_contains "... saying so" "$(cat "$T_DIR/err")" "already exists"
check_contains "... the key file untouched" "$(openssl pkey -in "$T_DIR/dev-ed.pem" -noout -text 2>&1)" "ED25519"

# a replaced key file is not the signer's key any more
cp "$T_DIR/dev-p256.pem" "$T_DIR/saved.pem"
rm "$T_DIR/dev-p256.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T_DIR/dev-p256.pem" 2>/dev/null
chmod 600 "$T_DIR/dev-p256.pem"
check_eq "a swapped key file is refused" "$(run_cmd "$VIGIL" signer test dev-p256)" 1
check_contains "... naming the signer" "$(cat "$T_DIR/err")" "signer dev-p256: the key at"

# ---- audit: every change recorded, software ones marked, never a PIN ----
"$VIGIL" audit log --json >"$T_DIR/audit.json"
check_eq "keygen and add audited" \
	"$(jq -c '[.[] | select(.object_type == "signer") | .action] | sort | unique' "$T_DIR/audit.json")" \
	'["signer.add","signer.keygen"]'
check_eq "audit marks software signers development_only" \
	"$(jq -c '[.[] | select(.object_type == "signer" and .after.kind == "software") | .after.development_only] | unique' "$T_DIR/audit.json")" \
	'[true]'
check_not_contains "no PIN in the audit trail" "$(cat "$T_DIR/audit.json")" "$PIN"
check_eq "the PIN file is stored as a path" \
	"$("$VIGIL" signer list --json | jq -r '.[] | select(.name == "hsm-ed") | .pin_file')" "$T_DIR/pin"
check_not_contains "no PIN in the listing" "$("$VIGIL" signer list --json)" "$PIN"

# ---- bad input: clear errors naming the signer or URI, nothing stored ----
n0=$(count)
bad() { # desc expected-text args...
	desc=$1
	want=$2
	shift 2
	rc=$(run_cmd "$VIGIL" signer "$@")
	check_eq "$desc: refused" "$([ "$rc" -ne 0 ] && echo refused || echo "exit $rc")" refused
	check_contains "$desc: clear error" "$(cat "$T_DIR/err")" "$want"
	check_eq "$desc: nothing stored" "$(count)" "$n0"
}
bad "missing token" "signer m1: pkcs11:token=no-such-token;object=k: no token matches" \
	add m1 --pkcs11 'pkcs11:token=no-such-token;object=k' --pin-file "$T_DIR/pin"
printf 'wrong-pin\n' >"$T_DIR/badpin"
chmod 600 "$T_DIR/badpin"
bad "wrong PIN" "signer m2: pkcs11:token=vigil-test;object=update-ed: wrong PIN" \
	add m2 --pkcs11 'pkcs11:token=vigil-test;object=update-ed' --pin-file "$T_DIR/badpin"
bad "wrong PIN at keygen" "signer m2b: pkcs11:token=vigil-test;object=new: wrong PIN" \
	keygen m2b --pkcs11 'pkcs11:token=vigil-test;object=new' --pin-file "$T_DIR/badpin" --algorithm p256
bad "URI with pin-value" "signer m3: PKCS#11 URI: pin-value is refused" \
	add m3 --pkcs11 "pkcs11:token=vigil-test;object=update-ed?pin-value=$PIN"
check_not_contains "... the PIN of the URI is not repeated" "$(cat "$T_DIR/err")" "$PIN"
bad "slot number" "slot-id is refused" \
	add m4 --pkcs11 'pkcs11:token=vigil-test;object=update-ed;slot-id=0' --pin-file "$T_DIR/pin"
bad "URI without a key" "names no key" add m5 --pkcs11 'pkcs11:token=vigil-test' --pin-file "$T_DIR/pin"
bad "missing key object" "signer m6: pkcs11:token=vigil-test;object=nope: no private key matches" \
	add m6 --pkcs11 'pkcs11:token=vigil-test;object=nope' --pin-file "$T_DIR/pin"
bad "not a pkcs11 URI" "expected a pkcs11: URI" add m7 --pkcs11 'file:///x'
bad "missing PIN file" "signer m8: PIN file $T_DIR/nopin: not found" \
	add m8 --pkcs11 'pkcs11:token=vigil-test;object=update-ed' --pin-file "$T_DIR/nopin"
chmod 644 "$T_DIR/badpin"
bad "world-readable PIN file" "readable by others" \
	add m9 --pkcs11 'pkcs11:token=vigil-test;object=update-ed' --pin-file "$T_DIR/badpin"
bad "missing software key file" "signer s1: key file $T_DIR/none.pem: not found" \
	add s1 --software "$T_DIR/none.pem"
openssl genpkey -algorithm ed25519 -out "$T_DIR/open.pem" 2>/dev/null
chmod 644 "$T_DIR/open.pem"
bad "world-readable key file" "signer s2: key file $T_DIR/open.pem: mode 0644" add s2 --software "$T_DIR/open.pem"
openssl genpkey -algorithm rsa -out "$T_DIR/rsa.pem" 2>/dev/null
chmod 600 "$T_DIR/rsa.pem"
bad "RSA key file" "signer s3: key file $T_DIR/rsa.pem: the key is neither Ed25519 nor P-256" \
	add s3 --software "$T_DIR/rsa.pem"
printf 'not a key\n' >"$T_DIR/junk.pem"
chmod 600 "$T_DIR/junk.pem"
bad "not a PEM key" "expected an unencrypted PEM PKCS#8 private key" add s4 --software "$T_DIR/junk.pem"
bad "unknown algorithm" "signer s5: --algorithm 'rsa2048': expected ed25519 or p256" \
	keygen s5 --software "$T_DIR/s5.pem" --algorithm rsa2048
check_eq "... no key file made" "$(ls "$T_DIR/s5.pem" 2>/dev/null)" ""
bad "unknown algorithm in the token" "expected ed25519 or p256" \
	keygen s6 --pkcs11 'pkcs11:token=vigil-test;object=s6' --pin-file "$T_DIR/pin" --algorithm rsa
bad "existing name" "signer hsm-ed: already exists" add hsm-ed --software "$T_DIR/ossl.pem"
bad "bad name" "signer name" add 'a/b' --software "$T_DIR/ossl.pem"
bad "test of an unknown signer" "signer nobody: no such signer" test nobody

# ---- the page and the API: no secret, software signers marked ----
TOK=$(admin_token)
start_server
check_eq "GET /api/v1/signers" "$(http GET /api/v1/signers -H "Authorization: Bearer $TOK")" 200
check_eq "API lists every signer" "$(body | jq '.signers | length')" "$(count)"
check_eq "API marks software signers" \
	"$(body | jq -c '[.signers[] | select(.kind == "software") | .development_only] | unique')" '[true]'
check_not_contains "API shows no PIN" "$(body)" "$PIN"
check_eq "GET /ui/signers" "$(http GET /ui/signers -H "Authorization: Bearer $TOK")" 200
page=$(body)
check_contains "page lists the token signer" "$page" "hsm-p256"
check_eq "page marks each software signer development only" \
	"$(printf '%s\n' "$page" | grep -o 'software <strong class="warn">(development only)' | wc -l)" 3
check_not_contains "page shows no PIN" "$page" "$PIN"
check_eq "anonymous API refused" "$(http GET /api/v1/signers)" 401
stop_server

# ---- remove: audited, the key stays in the token ----
ok "remove a signer" "$VIGIL" signer remove by-name
check_eq "removed from the list" "$("$VIGIL" signer list --json | jq '[.[] | select(.name == "by-name")] | length')" 0
check_eq "removal audited" \
	"$("$VIGIL" audit log --json | jq -r '[.[] | select(.action == "signer.remove")] | .[0].object_id')" by-name
ok "the key is still in the token" "$VIGIL" signer test hsm-ed
ok "the audit chain verifies" "$VIGIL" audit verify

finish
