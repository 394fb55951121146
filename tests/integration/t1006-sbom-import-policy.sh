#!/bin/sh
# Issue 14 item 2: imports honour the product's policy (its own, else the
# setting sbom.policy, else standard). strict refuses any violation;
# standard imports a document whose violations are none fatal and keeps
# them with the revision (CLI output, --json, sbom show, GET
# /api/v1/sboms/{id}); refused documents list every violation with its
# place, and nothing is stored. The same through the API and CI uploads.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
DOCS="$VIGIL_SHARED_DATA/sbom/field-corpus/docs"
# Trivy's SPDX 2.3 package without downloadLocation: one schema violation
TRIVY="$DOCS/trivy__pkg_sbom_spdx_testdata_happy_package-hashes.json"
# an SPDX 2.2 document without creationInfo: fatal under every policy
NOCI="$DOCS/sbom-utility__test_spdx_spdx-2-2-missing-creationinfo.json"
# two violations and a dangling dependency, none fatal
printf '%s' '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"a","version":"1","bom-ref":"a","hashes":[{"alg":"SHA-256","content":"zz"}]},{"type":"library","version":"2","name":"b","bom-ref":"b","scope":"sometimes"}],"dependencies":[{"ref":"a","dependsOn":["b","nope"]}]}' >"$T_DIR/three.json"

"$VIGIL" product create p >/dev/null
check_eq "a new product follows the global default" "$("$VIGIL" product show p --json | jq -r .sbom_policy)" null

# standard (the default): imported, every violation kept and shown
check_eq "standard imports a schema violation" "$(run_cmd "$VIGIL" sbom import "$TRIVY" --product p --version 1)" 0
check_contains "the policy is said" "$(cat "$T_DIR/out")" "policy standard: 1 violations kept"
check_contains "the violation with its pointer" "$(cat "$T_DIR/out")" '/packages/0: expected property "downloadLocation"'
check_eq "--json lists the violations" "$("$VIGIL" sbom import "$T_DIR/three.json" --product p --version 2 --json | jq -c '[.policy, .accepted, [.violation_list[] | .pointer]]')" \
	'["standard",true,["/components/0/hashes/0/content","/components/1/scope","/dependencies/0/dependsOn/1"]]'
ID=$("$VIGIL" sbom list --product p --version 2 --json | jq -r '.[0].id')
check_eq "kept with the revision" "$("$VIGIL" sbom show "$ID" --json | jq -c '[.policy, .violations, (.violation_list | length)]')" '["standard",3,3]'
check_contains "the dangling ref says what it named" "$("$VIGIL" sbom show "$ID" --json | jq -r '.violation_list[2].message')" 'no element of the document has the id "nope"'
check_eq "the dangling edge is dropped, the other kept" "$("$VIGIL" sbom show "$ID" --json | jq '.dependency_list | length')" 1
check_eq "sbom list counts them" "$("$VIGIL" sbom list --product p --version 2 --json | jq '.[0].violations')" 3

# fatal: refused under standard too, the place named, nothing stored
before=$("$VIGIL" sbom list --product p --json | jq length)
check_eq "no creationInfo refused under standard" "$(run_cmd "$VIGIL" sbom import "$NOCI" --product p --version 3)" 1
check_contains "the file and place named" "$(cat "$T_DIR/err")" 'missing-creationinfo.json: /: expected property "creationInfo"'
check_eq "--json on refusal: accepted false, fatal listed" "$("$VIGIL" sbom import "$NOCI" --product p --version 3 --json | jq -c '[.accepted, .policy, .violation_list[0].fatal]')" '[false,"standard",true]'

# strict, per product: the same documents refused with every violation listed
check_eq "set the product's policy" "$(run_cmd "$VIGIL" product update p --sbom-policy strict)" 0
check_eq "product show says strict" "$("$VIGIL" product show p --json | jq -r .sbom_policy)" strict
check_eq "strict refuses the Trivy document" "$(run_cmd "$VIGIL" sbom import "$TRIVY" --product p --version 4)" 1
check_contains "naming the place" "$(cat "$T_DIR/err")" '/packages/0: expected property "downloadLocation"'
check_eq "strict refuses three violations" "$(run_cmd "$VIGIL" sbom import "$T_DIR/three.json" --product p --version 4)" 1
check_contains "every violation listed (1)" "$(cat "$T_DIR/err")" "violation: $T_DIR/three.json: /components/0/hashes/0/content"
check_contains "every violation listed (2)" "$(cat "$T_DIR/err")" "violation: $T_DIR/three.json: /components/1/scope"
check_eq "--json lists both" "$("$VIGIL" sbom import "$T_DIR/three.json" --product p --version 4 --json | jq -c '[.accepted, .policy, (.violation_list | length)]')" '[false,"strict",2]'
check_eq "nothing stored" "$("$VIGIL" sbom list --product p --json | jq length)" "$before"
check_eq "no version created" "$("$VIGIL" product show p --json | jq '[.versions[] | select(.version=="4" or .version=="3")] | length')" 0
check_eq "a valid document still imports" "$(run_cmd "$VIGIL" sbom import "$VIGIL_SOURCE_DIR/tests/data/sbom-quality/complete.cdx.json" --product p --version 5)" 0
check_contains "with no violation" "$(cat "$T_DIR/out")" "policy strict: 0 violations kept"
check_eq "a bad policy is refused" "$(run_cmd "$VIGIL" product update p --sbom-policy lax)" 1
check_contains "naming the choices" "$(cat "$T_DIR/err")" "expected strict, standard or default"

# back to the default; the global setting decides then
check_eq "back to the default" "$(run_cmd "$VIGIL" product update p --sbom-policy default)" 0
check_eq "stored as null" "$("$VIGIL" product show p --json | jq -r .sbom_policy)" null
check_eq "global strict (sbom.policy) refuses" "$(VIGIL_SBOM_POLICY=strict run_cmd "$VIGIL" sbom import "$TRIVY" --product p --version 6)" 1
check_eq "global standard imports" "$(VIGIL_SBOM_POLICY=standard run_cmd "$VIGIL" sbom import "$TRIVY" --product p --version 6)" 0
check_eq "a bad global setting names it" "$(VIGIL_SBOM_POLICY=lax run_cmd "$VIGIL" sbom import "$TRIVY" --product p --version 7)" 1
check_contains "the setting named" "$(cat "$T_DIR/err")" "sbom.policy"

# the audit record of an import says the policy and the count
check_eq "audited with policy and violations" "$("$VIGIL" audit log --json | jq -c '[.[] | select(.action=="sbom.import")][0].after | [.policy, .violations]')" '["standard",1]'

# the API and CI uploads
ADM=$(admin_token)
CI=$("$VIGIL" token create --name ci --role ci --product '*' 2>/dev/null)
AUD=$("$VIGIL" token create --name aud --role auditor 2>/dev/null)
start_server
check_eq "create a strict product" "$(http POST /api/v1/products -H "X-Api-Key: $ADM" -d '{"name":"q","sbom_policy":"strict","sbom_quality_profile":"ntia"}')" 201
check_eq "its policy" "$(body | jq -c '[.sbom_policy, .sbom_quality_profile]')" '["strict","ntia"]'
check_eq "a bad policy: 400" "$(http PATCH /api/v1/products/q -H "X-Api-Key: $ADM" -d '{"sbom_policy":"lax"}')" 400
check_contains "naming it" "$(body | jq -r .error.message)" "expected strict, standard or default"
check_eq "ci upload refused under strict" "$(http POST "/api/v1/products/q/versions/1/sboms?filename=three.json" -H "X-Api-Key: $CI" --data-binary @"$T_DIR/three.json")" 400
check_eq "every violation in the answer" "$(body | jq -c '[.error.policy, [.error.violation_list[].pointer]]')" '["strict",["/components/0/hashes/0/content","/components/1/scope"]]'
check_eq "Dependency-Track upload refused too" "$(http PUT /api/v1/bom -H "X-Api-Key: $CI" -H 'Content-Type: application/json' -d "{\"projectName\":\"q\",\"projectVersion\":\"1\",\"bom\":\"$(base64 -w0 <"$T_DIR/three.json")\"}")" 400
check_eq "with its violations" "$(body | jq '.error.violation_list | length')" 2
check_eq "nothing stored by the API" "$(http GET /api/v1/products/q/sboms -H "X-Api-Key: $ADM" >/dev/null; body | jq '.sboms | length')" 0
check_eq "PATCH to standard" "$(http PATCH /api/v1/products/q -H "X-Api-Key: $ADM" -d '{"sbom_policy":"standard"}')" 200
check_eq "ci upload imported under standard" "$(http POST "/api/v1/products/q/versions/1/sboms?filename=three.json" -H "X-Api-Key: $CI" --data-binary @"$T_DIR/three.json")" 201
check_eq "the answer lists what was kept" "$(body | jq -c '[.policy, (.violation_list | length), .quality.ntia_ok]')" '["standard",3,false]'
QID=$(body | jq -r .id)
check_eq "GET of the revision" "$(http GET "/api/v1/sboms/$QID" -H "X-Api-Key: $AUD")" 200
check_eq "includes the violations" "$(body | jq -c '[.violations, [.violation_list[].pointer]]')" '[3,["/components/0/hashes/0/content","/components/1/scope","/dependencies/0/dependsOn/1"]]'
check_eq "and the quality checks" "$(body | jq -r '.quality_checks.checks[] | select(.id=="ntia.supplier") | .failing | join(",")')" "a 1,b 2"
check_eq "PATCH null: back to the default" "$(http PATCH /api/v1/products/q -H "X-Api-Key: $ADM" -d '{"sbom_policy":null}')" 200
check_eq "null stored" "$(body | jq -r .sbom_policy)" null
check_eq "validate?policy=strict refuses" "$(http POST '/api/v1/sbom/validate?policy=strict' -H "X-Api-Key: $CI" --data-binary @"$T_DIR/three.json")" 422
check_eq "with both violations" "$(body | jq -c '[.accepted, (.violation_list | length)]')" '[false,2]'
check_eq "validate?policy=standard accepts" "$(http POST '/api/v1/sbom/validate?policy=standard' -H "X-Api-Key: $CI" --data-binary @"$T_DIR/three.json")" 200
check_eq "listing three" "$(body | jq -c '[.accepted, .valid, (.violation_list | length)]')" '[true,false,3]'

# vigil sbom validate lists the dangling reference with its place; a
# relationship to an element that is no component (the official SPDX 3
# example's package contains a file) or to an SPDX 3 individual by full IRI
# is no violation
check_eq "validate: the dangling ref" "$("$VIGIL" sbom validate "$T_DIR/three.json" --json | jq -c '[.accepted, .dropped_relationships, .dangling]')" \
	'[true,1,[{"pointer":"/dependencies/0/dependsOn/1","ref":"nope"}]]'
check_eq "validate: the official SPDX 3 example" "$(run_cmd "$VIGIL" sbom validate "$VIGIL_SHARED_DATA/sbom/spdx-spec/v3.0.1/examples/jsonld/package_sbom.json")" 0
check_contains "is valid, nothing dropped" "$(cat "$T_DIR/out")" "valid spdx 3.0.1 (json-ld), 1 components"
check_eq "full IRIs: both packages, no dangling" "$("$VIGIL" sbom validate "$VIGIL_SOURCE_DIR/tests/fuzz/corpus/sbom_spdx3/full-iri.json" --json | jq -c '[.accepted, .components, .dropped_relationships]')" '[true,2,0]'
"$VIGIL" product create iri --sbom-policy standard >/dev/null
check_eq "full IRIs: imported with the dependsOn edge" "$("$VIGIL" sbom import "$VIGIL_SOURCE_DIR/tests/fuzz/corpus/sbom_spdx3/full-iri.json" --product iri --version 1 --json | jq -c '[.accepted, .components, .dependencies]')" '[true,2,1]'
check_eq "audit chain intact" "$(run_cmd "$VIGIL" audit verify)" 0
finish
