#!/bin/sh
# The SBOM platform: products, import of real CycloneDX and SPDX documents,
# revisions, originals byte for byte, diff, export and re-import, retention,
# bad input refused with nothing stored.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
S="$VIGIL_SHARED_DATA/sbom"
BR="$S/cyclonedx-bom-examples/SBOM/proton-bridge"

# Products.
check_eq "product create" "$(run_cmd "$VIGIL" product create bridge --vendor Proton --cra-class important-1 --support-until 2031-12 --placed-on-market 2026-01-15)" 0
check_eq "duplicate product refused" "$(run_cmd "$VIGIL" product create bridge)" 1
check_contains "duplicate explained" "$(cat "$T_DIR/err")" "already exists"
check_eq "bad CRA class is a usage error" "$(run_cmd "$VIGIL" product create x --cra-class huge)" 2
check_eq "bad support date refused" "$(run_cmd "$VIGIL" product create x --support-until 2031)" 2
check_eq "product list --json" "$("$VIGIL" product list --json | jq -r '.[0].cra_class')" "important-1"
check_eq "product update" "$(run_cmd "$VIGIL" product update bridge --vendor 'Proton AG')" 0
check_eq "update audited with before/after" "$("$VIGIL" audit log --object product:bridge --json | jq -r '.[-1] | "\(.before.vendor)>\(.after.vendor)"')" "Proton>Proton AG"

# Import: JSON and XML CycloneDX, counts from the documents.
check_eq "import 1.6.3 json" "$(run_cmd "$VIGIL" sbom import "$BR/proton-bridge-v1.6.3.bom.json" --product bridge --version 1.6.3 --json)" 0
check_eq "component count (metadata component + 201)" "$(jq -r .components "$T_DIR/out")" \
	"$(jq '(.components | length) + (if .metadata.component then 1 else 0 end)' "$BR/proton-bridge-v1.6.3.bom.json")"
check_eq "dependency edges" "$(jq -r .dependencies "$T_DIR/out")" \
	"$(jq '[.dependencies[] | .dependsOn // [] | length] | add' "$BR/proton-bridge-v1.6.3.bom.json")"
check_eq "import 1.8.0 xml" "$(run_cmd "$VIGIL" sbom import "$BR/proton-bridge-v1.8.0.bom.xml" --product bridge --version 1.8.0 --json)" 0
check_eq "xml format detected" "$(jq -r .encoding "$T_DIR/out")" "xml"
check_eq "re-import adds a revision" "$("$VIGIL" sbom import "$BR/proton-bridge-v1.8.0.bom.json" --product bridge --version 1.8.0 --json | jq -r .revision)" 2
check_eq "list revisions" "$("$VIGIL" sbom list --product bridge --json | jq length)" 3
check_eq "list one version" "$("$VIGIL" sbom list --product bridge --version 1.8.0 --json | jq length)" 2
check_eq "upload metadata: who" "$("$VIGIL" sbom list --product bridge --json | jq -r '.[0].uploaded_by')" "test"
check_eq "retention end = placing on market + 10 years" "$("$VIGIL" sbom list --product bridge --json | jq -r '.[0].retain_until_at')" "2036-01-15T00:00:00Z"

# Originals byte for byte.
"$VIGIL" sbom get 1 --original -o "$T_DIR/orig.json"
check_eq "original byte for byte" "$(sha256sum <"$T_DIR/orig.json" | cut -c1-64)" "$(sha256sum <"$BR/proton-bridge-v1.6.3.bom.json" | cut -c1-64)"
"$VIGIL" sbom get 2 --original >"$T_DIR/orig.xml"
check_eq "xml original byte for byte" "$(cmp -s "$T_DIR/orig.xml" "$BR/proton-bridge-v1.8.0.bom.xml" && echo same)" "same"
check_eq "reading an original is audited" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="sbom.read_original")] | length')" 2
check_eq "unknown SBOM" "$(run_cmd "$VIGIL" sbom get 424242 --original)" 1
check_contains "unknown SBOM named" "$(cat "$T_DIR/err")" "no SBOM with id 424242"
check_eq "show --json" "$("$VIGIL" sbom show 1 --json | jq -r '.component_list | length')" 202
check_eq "unknown id" "$(run_cmd "$VIGIL" sbom show 999)" 1
check_eq "id not a number: usage error" "$(run_cmd "$VIGIL" sbom show abc)" 2
check_contains "usage error names the id" "$(cat "$T_DIR/err")" "SBOM id 'abc'"
check_eq "sbom list needs --product" "$(run_cmd "$VIGIL" sbom list)" 2
check_contains "and says so" "$(cat "$T_DIR/err")" "--product"
check_eq "product list table" "$("$VIGIL" product list | awk '$1 == "bridge" { print $2, $4 }')" "important-1 2"
check_eq "sbom list table" "$("$VIGIL" sbom list --product bridge --version 1.6.3 | awk 'NR == 2 { print $2, $3, $4 }')" "1.6.3 1 cyclonedx"

# Diff: the real changes between the two proton-bridge releases.
"$VIGIL" sbom diff --product bridge 1.6.3 1.8.0 --json >"$T_DIR/diff.json"
check_eq "diff: nothing added or removed" "$(jq -r '"\(.summary.added)/\(.summary.removed)"' "$T_DIR/diff.json")" "0/0"
check_eq "diff: 8 upgraded" "$(jq -r .summary.upgraded "$T_DIR/diff.json")" 8
check_eq "diff: resty upgrade" "$(jq -r '.upgraded[] | select(.name=="github.com/go-resty/resty/v2") | "\(.from)>\(.to)"' "$T_DIR/diff.json")" "v2.3.0>v2.6.0"
check_eq "diff: pseudo-versions ordered" "$(jq -r '.upgraded[] | select(.name=="golang.org/x/net") | .to' "$T_DIR/diff.json")" "v0.0.0-20210405180319-a5a99cb37ef4"
check_eq "reverse diff: downgrades" "$("$VIGIL" sbom diff --product bridge 1.8.0 1.6.3 --json | jq -r .summary.downgraded)" 8
check_contains "human diff" "$("$VIGIL" sbom diff --product bridge 1.6.3 1.8.0)" "8 upgraded"

# Other real SBOMs: counts as the documents state them.
"$VIGIL" product create others >/dev/null
for f in "$S/cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json" \
	"$S/cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json"; do
	[ -f "$f" ] || { echo "missing $f"; T_FAIL=$((T_FAIL + 1)); continue; }
	want=$(jq '[.. | objects | select(has("bom-ref") and has("name") and has("type"))] | length' "$f")
	got=$("$VIGIL" sbom import "$f" --product others --version "$(basename "$(dirname "$f")")" --json | jq -r .components)
	check_eq "$(basename "$(dirname "$f")") component count" "$got" "$want"
done

# SPDX: JSON and tag-value.
spdx_json=$(ls "$S"/spdx-spec/v2.3.1/examples/*.json | head -1)
check_eq "SPDX 2.3 JSON import" "$(run_cmd "$VIGIL" sbom import "$spdx_json" --product others --version spdx-json --json)" 0
check_eq "SPDX packages counted" "$(jq -r .components "$T_DIR/out")" "$(jq '.packages | length' "$spdx_json")"
spdx_tv=$(ls "$S"/spdx-spec/v2.3.1/examples/*.spdx | head -1)
check_eq "SPDX tag-value import" "$(run_cmd "$VIGIL" sbom import "$spdx_tv" --product others --version spdx-tv --json)" 0
check_eq "tag-value = JSON package count" "$(jq -r .components "$T_DIR/out")" "$(jq '.packages | length' "$spdx_json")"
check_eq "SPDX 3 JSON-LD import" "$(run_cmd "$VIGIL" sbom import "$S/spdx-spec/v3.0.1/examples/jsonld/package_sbom.json" --product others --version spdx3 --json)" 0

# Export and re-import: same components and graph.
for fmt in cyclonedx-1.6 cyclonedx-1.7 spdx-2.3; do
	check_eq "export $fmt" "$(run_cmd "$VIGIL" sbom export --product bridge --version 1.6.3 --format "$fmt" -o "$T_DIR/export-$fmt.json")" 0
	"$VIGIL" sbom import "$T_DIR/export-$fmt.json" --product bridge --version "re-$fmt" --json >"$T_DIR/re.json"
	check_eq "re-import of $fmt: components" "$(jq -r .components "$T_DIR/re.json")" 202
	check_eq "re-import of $fmt: dependencies" "$(jq -r .dependencies "$T_DIR/re.json")" 232
	check_eq "re-import of $fmt: no diff" "$("$VIGIL" sbom diff --product bridge 1.6.3 "re-$fmt" --json | jq -c '[.summary[]] | add')" 0
done
check_eq "export format checked" "$(run_cmd "$VIGIL" sbom export --product bridge --version 1.6.3 --format cyclonedx-9)" 2
check_eq "exports are audited" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="sbom.export")] | length')" 3
if [ -d "$VIGIL_SOURCE_DIR/tests/node_modules/@cyclonedx/cyclonedx-library" ]; then
	ok "CycloneDX 1.6 export passes the strict validator" node "$VIGIL_SOURCE_DIR/tests/tools/validate-export.mjs" cyclonedx 1.6 "$T_DIR/export-cyclonedx-1.6.json"
	ok "CycloneDX 1.7 export passes the strict validator" node "$VIGIL_SOURCE_DIR/tests/tools/validate-export.mjs" cyclonedx 1.7 "$T_DIR/export-cyclonedx-1.7.json"
	ok "SPDX 2.3 export passes the SPDX 2.3 schema" node "$VIGIL_SOURCE_DIR/tests/tools/validate-export.mjs" spdx "$S/spdx-spec/v2.3.1/schemas/spdx-schema.json" "$T_DIR/export-spdx-2.3.json"
else
	echo "FAIL - validators not installed (tests/node_modules): run scripts/deps.sh"
	T_FAIL=$((T_FAIL + 1))
fi

# Retention: deletion refused (and audited) before the end, allowed after.
check_eq "early deletion refused" "$(run_cmd "$VIGIL" sbom delete 1)" 1
check_contains "refusal names the end" "$(cat "$T_DIR/err")" "2036-01-15"
check_eq "refusal audited" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action=="sbom.delete_refused")] | length')" 1
check_eq "still there" "$(run_cmd "$VIGIL" sbom show 1)" 0
check_eq "deletion after the end" "$(VIGIL_NOW=2036-02-01T00:00:00Z run_cmd "$VIGIL" sbom delete 1)" 0
check_eq "gone" "$(run_cmd "$VIGIL" sbom show 1)" 1

# Bad input: refused with file and place named, nothing stored. Under the
# product's strict policy (issue 14): the standard policy would import the
# schema violation and the dangling ref with them listed (t1006).
"$VIGIL" product update bridge --sbom-policy strict >/dev/null
before=$("$VIGIL" sbom list --product bridge --json | jq length)
head -c 3000 "$BR/proton-bridge-v1.6.3.bom.json" >"$T_DIR/trunc.json"
check_eq "truncated refused" "$(run_cmd "$VIGIL" sbom import "$T_DIR/trunc.json" --product bridge --version bad)" 1
check_contains "truncated names the file" "$(cat "$T_DIR/err")" "trunc.json"
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a\377b"}]}' >"$T_DIR/latin1.json"
check_eq "non-UTF-8 refused" "$(run_cmd "$VIGIL" sbom import "$T_DIR/latin1.json" --product bridge --version bad)" 1
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","bom-ref":"x"},{"type":"library","name":"b","bom-ref":"x"}]}' >"$T_DIR/dup.json"
check_eq "duplicate bom-ref refused" "$(run_cmd "$VIGIL" sbom import "$T_DIR/dup.json" --product bridge --version bad)" 1
check_contains "duplicate named" "$(cat "$T_DIR/err")" "/components/1"
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","bom-ref":"x"}],"dependencies":[{"ref":"x","dependsOn":["nope"]}]}' >"$T_DIR/dangling.json"
check_eq "dangling dependency refused" "$(run_cmd "$VIGIL" sbom import "$T_DIR/dangling.json" --product bridge --version bad)" 1
check_contains "dangling named" "$(cat "$T_DIR/err")" "nope"
printf '{"bomFormat":"CycloneDX","specVersion":"9.9","components":[]}' >"$T_DIR/future.json"
check_eq "unknown spec version refused" "$(run_cmd "$VIGIL" sbom import "$T_DIR/future.json" --product bridge --version bad)" 1
check_contains "version named" "$(cat "$T_DIR/err")" "9.9"
python3 -c 'print("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":" + "[" * 5000 + "]" * 5000 + "}")' >"$T_DIR/deep.json"
check_eq "deep nesting refused" "$(run_cmd "$VIGIL" sbom import "$T_DIR/deep.json" --product bridge --version bad)" 1
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","version":"1"}]}' >"$T_DIR/noname.json"
check_eq "schema violation refused" "$(run_cmd "$VIGIL" sbom import "$T_DIR/noname.json" --product bridge --version bad)" 1
check_contains "schema error names the file" "$(cat "$T_DIR/err")" "noname.json"
check_contains "schema error names the pointer" "$(cat "$T_DIR/err")" "/components/0"
check_contains "schema error says what was expected" "$(cat "$T_DIR/err")" "name"
check_eq "validate --json lists schema errors" "$("$VIGIL" sbom validate "$T_DIR/noname.json" --json | jq -r '.errors[0].pointer')" "/components/0"
check_eq "nothing stored" "$("$VIGIL" sbom list --product bridge --json | jq length)" "$before"
check_eq "no version created by refused imports" "$("$VIGIL" product show bridge --json | jq '[.versions[] | select(.version=="bad")] | length')" 0
check_eq "validate a good file" "$(run_cmd "$VIGIL" sbom validate "$BR/proton-bridge-v1.6.3.bom.json")" 0
check_eq "validate a bad file" "$(run_cmd "$VIGIL" sbom validate "$T_DIR/dup.json" --json)" 1
check_eq "validate --json says invalid" "$(jq -r .valid "$T_DIR/out")" "false"
check_eq "audit chain intact" "$(run_cmd "$VIGIL" audit verify)" 0
# a damaged stored original is refused, never handed out
SID=$(db_sql "SELECT MAX(id) FROM sboms")
SHA1=$(db_sql "SELECT original_sha256 FROM sboms WHERE id = $SID")
db_sql "UPDATE blobs SET data = (SELECT b2.data FROM blobs b2 WHERE b2.sha256 <> '$SHA1' ORDER BY b2.sha256 LIMIT 1) WHERE sha256 = '$SHA1'" >/dev/null
check_eq "damaged original refused" "$(run_cmd "$VIGIL" sbom get "$SID" --original -o "$T_DIR/damaged.json")" 1
check_contains "damage named" "$(cat "$T_DIR/err")" "original of SBOM $SID"
finish
