#!/bin/sh
# The SBOM room over HTTP: upload as raw body (role ci), revisions, originals,
# components with search, diff, export, and the Dependency-Track compatible
# PUT/POST /api/v1/bom with X-Api-Key.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
BR="$VIGIL_SHARED_DATA/sbom/cyclonedx-bom-examples/SBOM/proton-bridge"
ADM=$(admin_token)
CI=$("$VIGIL" token create --name ci --role ci --product '*' 2>/dev/null)
AUD=$("$VIGIL" token create --name aud --role auditor 2>/dev/null)
start_server

check_eq "create product (admin)" "$(http POST /api/v1/products -H "X-Api-Key: $ADM" -d '{"name":"bridge","vendor":"Proton","cra_class":"important-1","support_until":"2031-12"}')" 201
check_eq "create product body" "$(body | jq -r .cra_class)" "important-1"
check_eq "ci may not create products" "$(http POST /api/v1/products -H "X-Api-Key: $CI" -d '{"name":"x"}')" 403
check_eq "bad class refused" "$(http POST /api/v1/products -H "X-Api-Key: $ADM" -d '{"name":"y","cra_class":"huge"}')" 400
check_eq "patch product" "$(http PATCH /api/v1/products/bridge -H "X-Api-Key: $ADM" -d '{"placed_on_market":"2026-01-15"}')" 200
check_eq "patched" "$(body | jq -r .placed_on_market)" "2026-01-15"

check_eq "upload as ci" "$(http POST /api/v1/products/bridge/versions/1.6.3/sboms -H "X-Api-Key: $CI" --data-binary @"$BR/proton-bridge-v1.6.3.bom.json")" 201
check_eq "upload counted" "$(body | jq -r .components)" 202
ID1=$(body | jq -r .id)
check_eq "upload xml as ci (bearer)" "$(http POST /api/v1/products/bridge/versions/1.8.0/sboms -H "Authorization: Bearer $CI" --data-binary @"$BR/proton-bridge-v1.8.0.bom.xml")" 201
check_eq "auditor may not upload" "$(http POST /api/v1/products/bridge/versions/1.8.0/sboms -H "X-Api-Key: $AUD" --data-binary @"$BR/proton-bridge-v1.8.0.bom.xml")" 403
check_eq "bad upload: 400 with the place" "$(http POST /api/v1/products/bridge/versions/9/sboms -H "X-Api-Key: $CI" --data-binary '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","bom-ref":"x"},{"type":"library","name":"b","bom-ref":"x"}]}')" 400
check_contains "bad upload names the pointer" "$(body | jq -r .error.message)" "/components/1"
check_eq "unknown product 404" "$(http POST /api/v1/products/nope/versions/1/sboms -H "X-Api-Key: $CI" --data-binary @"$BR/proton-bridge-v1.6.3.bom.json")" 404

check_eq "revisions of a version" "$(http GET /api/v1/products/bridge/versions/1.8.0/sboms -H "X-Api-Key: $AUD")" 200
check_eq "one revision" "$(body | jq '.sboms | length')" 1
check_eq "uploader recorded" "$(body | jq -r '.sboms[0].uploaded_by')" "token:ci"
check_eq "address recorded" "$(body | jq -r '.sboms[0].uploaded_from')" "127.0.0.1"
check_eq "original" "$(http GET "/api/v1/sboms/$ID1/original" -H "X-Api-Key: $AUD")" 200
check_eq "original byte for byte" "$(sha256sum <"$T_DIR/body" | cut -c1-64)" "$(sha256sum <"$BR/proton-bridge-v1.6.3.bom.json" | cut -c1-64)"
check_contains "original sha header" "$(cat "$T_DIR/headers")" "X-Content-SHA256: $(sha256sum <"$BR/proton-bridge-v1.6.3.bom.json" | cut -c1-64)"
check_eq "component search" "$(http GET '/api/v1/products/bridge/versions/1.8.0/components?q=RESTY' -H "X-Api-Key: $AUD")" 200
check_eq "search finds resty" "$(body | jq -r '.components[0].version')" "v2.6.0"
check_eq "components paged" "$(http GET '/api/v1/products/bridge/versions/1.8.0/components?limit=5&offset=2' -H "X-Api-Key: $AUD")" 200
check_eq "a page of 5 from 2" "$(body | jq -r '"\(.components | length) \(.limit) \(.offset)"')" "5 5 2"
check_eq "limit not a number: 400" "$(http GET '/api/v1/products/bridge/versions/1.8.0/components?limit=abc' -H "X-Api-Key: $AUD")" 400
check_contains "the 400 names the parameter" "$(body | jq -r .error.message)" "limit"
check_eq "limit out of range: 400" "$(http GET '/api/v1/products/bridge/versions/1.8.0/components?limit=5000' -H "X-Api-Key: $AUD")" 400
check_eq "negative offset: 400" "$(http GET '/api/v1/products/bridge/versions/1.8.0/components?offset=-1' -H "X-Api-Key: $AUD")" 400
check_contains "the 400 names offset" "$(body | jq -r .error.message)" "offset"
check_eq "SBOM id not a number: 400" "$(http GET /api/v1/sboms/abc -H "X-Api-Key: $AUD")" 400
check_contains "the 400 names the id" "$(body | jq -r .error.message)" "SBOM id 'abc'"
check_eq "diff" "$(http GET '/api/v1/products/bridge/diff?from=1.6.3&to=1.8.0' -H "X-Api-Key: $AUD")" 200
check_eq "diff upgraded" "$(body | jq -r .summary.upgraded)" 8
check_eq "diff needs both versions" "$(http GET '/api/v1/products/bridge/diff?from=1.6.3' -H "X-Api-Key: $AUD")" 400
check_eq "export spdx" "$(http GET '/api/v1/products/bridge/versions/1.8.0/export?format=spdx-2.3' -H "X-Api-Key: $CI")" 200
check_eq "export is SPDX 2.3" "$(body | jq -r .spdxVersion)" "SPDX-2.3"
check_eq "export bad format" "$(http GET '/api/v1/products/bridge/versions/1.8.0/export?format=x' -H "X-Api-Key: $CI")" 400
check_eq "deletion before retention refused" "$(http DELETE "/api/v1/sboms/$ID1" -H "X-Api-Key: $ADM")" 409
check_eq "refusal code" "$(body | jq -r .error.code)" "retention"
check_eq "validate endpoint" "$(http POST /api/v1/sbom/validate -H "X-Api-Key: $CI" --data-binary @"$BR/proton-bridge-v1.8.0.bom.json")" 200
check_eq "validate says valid" "$(body | jq -r .valid)" "true"

# Dependency-Track compatibility: the CI plugins' two ways of uploading.
b64=$(base64 -w0 "$BR/proton-bridge-v1.8.0.bom.json")
printf '{"projectName":"dt-app","projectVersion":"2.0","autoCreate":true,"bom":"%s"}' "$b64" >"$T_DIR/dt.json"
check_eq "PUT autoCreate refused to ci (may not create products)" "$(http PUT /api/v1/bom -H "X-Api-Key: $CI" -H 'Content-Type: application/json' --data-binary @"$T_DIR/dt.json")" 403
check_contains "the 403 says why" "$(body | jq -r .error.message)" "may not create products"
check_eq "PUT /api/v1/bom with X-Api-Key (admin: autoCreate)" "$(http PUT /api/v1/bom -H "X-Api-Key: $ADM" -H 'Content-Type: application/json' --data-binary @"$T_DIR/dt.json")" 200
check_eq "PUT answers a token" "$(body | jq -r '.token | test("^[0-9a-f-]{36}$")')" "true"
check_eq "POST /api/v1/bom multipart (ci, autoCreate moot: the product exists)" "$(http POST /api/v1/bom -H "X-Api-Key: $CI" -F projectName=dt-app -F projectVersion=2.1 -F autoCreate=true -F "bom=@$BR/proton-bridge-v1.6.3.bom.json")" 200
check_eq "product auto-created with both versions" "$(http GET /api/v1/products/dt-app -H "X-Api-Key: $AUD" >/dev/null; body | jq '.versions | length')" 2
printf '{"projectName":"other","projectVersion":"1","bom":"%s"}' "$b64" >"$T_DIR/dt2.json"
check_eq "no autoCreate: unknown project refused" "$(http PUT /api/v1/bom -H "X-Api-Key: $CI" -H 'Content-Type: application/json' --data-binary @"$T_DIR/dt2.json")" 404
check_eq "bad base64 refused" "$(http PUT /api/v1/bom -H "X-Api-Key: $CI" -d '{"projectName":"dt-app","projectVersion":"3","bom":"***"}')" 400
check_eq "missing bom part refused" "$(http POST /api/v1/bom -H "X-Api-Key: $CI" -F projectName=dt-app -F projectVersion=4)" 400
check_eq "every import audited" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="sbom.import")] | length')" 4
check_eq "audit chain intact" "$(run_cmd "$VIGIL" audit verify)" 0
finish
