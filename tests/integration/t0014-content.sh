#!/bin/sh
# Content is served as what it is (issue 16, items 6 and 7): uploaded
# originals and case attachments are downloads (Content-Disposition
# attachment with a cleaned name, nosniff, a sandboxing CSP, never
# text/html); banners come from codes, never from text in the URL; Unicode
# direction controls are refused in names and titles and shown escaped when
# they are already stored; validation errors name schemas, not the server's
# folders; /api/v1/health tells anonymous callers only the status.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db

export VIGIL_PSIRT_FORM_SECRET=t0014-form-secret
ADM=$(admin_token)
AUTH="Authorization: Bearer $ADM"
VIGIL_PASSWORD=pw-alice-123 "$VIGIL" user add alice --role psirt >/dev/null
RLO=$(printf '\342\200\256')  # U+202E RIGHT-TO-LEFT OVERRIDE
LRI=$(printf '\342\201\246')  # U+2066 LEFT-TO-RIGHT ISOLATE
start_server

# ---- an SBOM original is a download ----
cat >"$T_DIR/app.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components><component type="library"><name>a</name><version>1</version></component></components></bom>
EOF
check_eq "product" "$(http POST /api/v1/products -H "$AUTH" -d '{"name":"app"}')" 201
check_eq "upload XML with a hostile file name" "$(http POST '/api/v1/products/app/versions/1.0/sboms?filename=x%22%3B%20filename%3Devil.html%0D%0AX-Injected%3A%201%2F..%2Fbom.xml' -H "$AUTH" --data-binary @"$T_DIR/app.xml")" 400
check_contains "a CR in a file name is refused" "$(body)" "file name: byte"
check_eq "upload XML" "$(http POST '/api/v1/products/app/versions/1.0/sboms?filename=..%2F..%2Fevil%22name%5C.html%3B.xml' -H "$AUTH" --data-binary @"$T_DIR/app.xml")" 201
SID=$(body | jq -r .id)
check_eq "download the original" "$(http GET "/api/v1/sboms/$SID/original" -H "$AUTH")" 200
ok "byte for byte" cmp "$T_DIR/body" "$T_DIR/app.xml"
H=$(tr -d '\r' <"$T_DIR/headers")
check_contains "original: XML type, not a page" "$H" "Content-Type: application/xml"
check_not_contains "original: never text/html" "$H" "text/html"
# named after what it is (product, version, format), never after the uploaded name
check_contains "original: attachment named after what it is" "$H" \
	"Content-Disposition: attachment; filename=\"app-1.0.cdx.xml\"; filename*=UTF-8''app-1.0.cdx.xml"
check_not_contains "original: not the uploaded name" "$H" "evil"
check_contains "original: sandboxing CSP" "$H" "Content-Security-Policy: sandbox; default-src 'none'"
check_eq "original: nosniff, once" "$(printf '%s\n' "$H" | grep -c '^X-Content-Type-Options: nosniff$')" 1
check_eq "original: no injected header" "$(printf '%s\n' "$H" | grep -ci '^X-Injected')" 0
check_eq "upload JSON without a name" "$(http POST /api/v1/products/app/versions/1.1/sboms -H "$AUTH" -d '{"bomFormat":"CycloneDX","specVersion":"1.5"}')" 201
SID2=$(body | jq -r .id)
check_eq "download it" "$(http GET "/api/v1/sboms/$SID2/original" -H "$AUTH")" 200
H=$(tr -d '\r' <"$T_DIR/headers")
check_contains "JSON original: its exact type" "$H" "Content-Type: application/json"
check_contains "JSON original: a name of its own" "$H" "Content-Disposition: attachment; filename=\"app-1.1.cdx.json\""
check_contains "JSON original: sandboxing CSP" "$H" "Content-Security-Policy: sandbox; default-src 'none'"

# ---- a case attachment is a download ----
form_token() {
	curl -s "$BASE/report" | sed -n 's/.*name="form_token" value="\([^"]*\)".*/\1/p'
}
printf '<html><script>alert(document.cookie)</script></html>' >"$T_DIR/page.html"
check_eq "report with an HTML attachment" "$(http POST /report -F "form_token=$(form_token)" -F product=app \
	-F title=Overflow -F 'description=see the file' -F website= \
	-F "attachment=@$T_DIR/page.html;type=text/html;filename=résumé.html")" 200
CASE=$("$VIGIL" case list --json | jq -r '.[0].id')
check_eq "download the attachment" "$(http GET "/api/v1/cases/$CASE/attachments/1" -H "$AUTH")" 200
ok "attachment byte for byte" cmp "$T_DIR/body" "$T_DIR/page.html"
H=$(tr -d '\r' <"$T_DIR/headers")
check_contains "attachment: octet-stream whatever the sender said" "$H" "Content-Type: application/octet-stream"
check_not_contains "attachment: never text/html" "$H" "text/html"
check_contains "attachment: ASCII name and the exact one (RFC 6266)" "$H" \
	"Content-Disposition: attachment; filename=\"r_sum_.html\"; filename*=UTF-8''r%C3%A9sum%C3%A9.html"
check_contains "attachment: sandboxing CSP" "$H" "Content-Security-Policy: sandbox; default-src 'none'"
check_eq "attachment: nosniff, once" "$(printf '%s\n' "$H" | grep -c '^X-Content-Type-Options: nosniff$')" 1

# ---- direction controls refused on input ----
check_eq "product name with U+202E refused" "$(http POST /api/v1/products -H "$AUTH" -d "{\"name\":\"invoice${RLO}fdp.exe\"}")" 400
check_contains "the error names the code point" "$(body | jq -r .error.message)" "product name: byte 7: Unicode direction control U+202E"
check_eq "vendor with U+2066 refused" "$(http POST /api/v1/products -H "$AUTH" -d "{\"name\":\"ok\",\"vendor\":\"a${LRI}b\"}")" 400
check_eq "CLI: product name refused" "$(run_cmd "$VIGIL" product create "x${RLO}y")" 2
check_eq "version with U+202E refused" "$(http POST "/api/v1/products/app/versions/v${RLO}1/sboms" -H "$AUTH" -d '{"bomFormat":"CycloneDX","specVersion":"1.5"}')" 400
check_eq "case title with U+202E refused (API)" "$(http POST /api/v1/reports -H 'Content-Type: application/json' \
	-d "{\"product\":\"app\",\"title\":\"Fix${RLO}ed\",\"description\":\"d\"}")" 400
check_contains "the title is named" "$(body | jq -r .error.message)" "U+202E"
check_eq "case title with U+202E refused (portal form)" "$(http POST /report -F "form_token=$(form_token)" -F product=app \
	--form-string "title=Fix${RLO}ed" -F 'description=d' -F website=)" 400
check_eq "attachment name with U+202E refused" "$(http POST /report -F "form_token=$(form_token)" -F product=app \
	-F title=t -F 'description=d' -F website= -F "attachment=@$T_DIR/page.html;filename=a${RLO}lmth.txt")" 400
check_eq "no case from the refusals" "$("$VIGIL" case list --json | jq length)" 1
check_eq "channel name with U+202E refused" "$(run_cmd "$VIGIL" notify channel add "c${RLO}h" --kind webhook --url http://127.0.0.1:9/)" 2

# ---- a stored direction control is shown, never obeyed ----
db_sql "UPDATE products SET vendor = 'ACME${RLO}evil' WHERE name = 'app'"
db_sql "UPDATE psirt_cases SET title = 'Overflow${RLO}gnp.exe' WHERE id = $CASE"
J="$T_DIR/jar"
csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
check_eq "alice logs in" "$(curl -s -o /dev/null -w '%{http_code}' -c "$J" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode user=alice --data-urlencode password=pw-alice-123 "$BASE/ui/login")" 303
page() { curl -s -b "$J" "$BASE$1"; }
P=$(page /ui/products)
check_contains "products page: U+202E as visible text" "$P" 'ACME\u202Eevil'
check_not_contains "products page: no raw override" "$P" "$RLO"
P=$(page "/ui/cases/$CASE")
check_contains "case page: title escaped" "$P" 'Overflow\u202Egnp.exe'
check_not_contains "case page: no raw override" "$P" "$RLO"

# ---- banners from codes, never from the URL ----
P=$(page '/ui/findings?error=Session+expired.+Log+in+at+https://evil.example')
check_contains "findings page served" "$P" '<h1>Findings</h1>'
check_not_contains "text in ?error= is not shown" "$P" "evil.example"
check_not_contains "no alert for an unknown code" "$P" 'id="error"'
P=$(page '/ui/findings?error=%3Cb%3Ezq9marker%3C%2Fb%3E')
check_not_contains "markup in ?error= is not shown either" "$P" "zq9marker"
P=$(page '/ui/findings?error=csrf')
check_contains "a known code shows its fixed text" "$P" 'role="alert" id="error">The form expired; reload the page and try again.</p>'
P=$(page '/ui/findings?error=transition')
check_contains "the findings page's own code" "$P" "That state change is not allowed"
P=$(page "/ui/cases/$CASE?done=Your+account+is+locked")
check_not_contains "case page: text in ?done= is not shown" "$P" "locked"
check_not_contains "case page: no banner" "$P" 'id="flash"'
P=$(page "/ui/cases/$CASE?done=ack")
check_contains "case page: a known code" "$P" 'id="flash">Acknowledged'
P=$(page "/ui/findings?done=ack")
check_not_contains "a code of another page shows nothing" "$P" 'id="flash"'

# ---- validation errors name the schema, not the server's folders ----
check_eq "invalid SBOM" "$(http POST /api/v1/sbom/validate -H "$AUTH" -d '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"nope","name":"x"}]}')" 422
check_contains "the error is there" "$(body | jq -r '.errors[0].message')" "expected one of"
check_eq "the schema by its \$id" "$(body | jq -r .schema)" "http://cyclonedx.org/schema/bom-1.5.SNAPSHOT.schema.json"
check_eq "no absolute path anywhere in the answer" "$(body | jq '[.. | strings | select(test("^/(usr|home|tmp|opt|work|srv|var|etc|root|build|nix|mnt)/"))] | length')" 0
check_not_contains "not the build folder" "$(body)" "$(dirname "$VIGIL")"
check_not_contains "not the install folder" "$(body)" "share/vigil"
# under the default policy (standard) a violation that changes nothing vigil
# stores is imported and listed (issue 14); the list names no server folder
check_eq "upload of the invalid SBOM (policy standard: imported, violations listed)" "$(http POST /api/v1/products/app/versions/2.0/sboms -H "$AUTH" -d '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"nope","name":"x"}]}')" 201
check_contains "... the violation named" "$(body | jq -c '.violation_list')" "expected one of"
check_not_contains "upload error: not the build folder" "$(body)" "$(dirname "$VIGIL")"
stop_server
export VIGIL_SBOM_SCHEMA_DIR="$T_DIR/no-schemas"
start_server
check_eq "schemas missing" "$(http POST /api/v1/sbom/validate -H "$AUTH" -d '{"bomFormat":"CycloneDX","specVersion":"1.5"}')" 422
check_contains "names the setting" "$(body)" "sbom.schema_dir"
check_not_contains "not the folder searched" "$(body)" "$T_DIR"
check_contains "the folder is in the server log" "$(cat "$T_DIR/server.log")" "$T_DIR/no-schemas"
unset VIGIL_SBOM_SCHEMA_DIR
stop_server
start_server

# ---- /api/v1/health and the OpenAPI document to the public ----
check_eq "anonymous health" "$(http GET /api/v1/health)" 200
check_eq "anonymous: the status only" "$(body | jq -c .)" '{"status":"ok"}'
check_eq "health with a token" "$(http GET /api/v1/health -H "$AUTH")" 200
check_eq "with credentials: version and details" "$(body | jq -r '[.version != null, .schema_version != null, .backend != null, has("leader")] | all')" true
check_eq "health with a session" "$(curl -s -b "$J" "$BASE/api/v1/health" | jq -r '.version != null')" true
check_eq "anonymous OpenAPI" "$(http GET /api/v1/openapi.json)" 200
check_eq "anonymous OpenAPI: the API version, not the program's" "$(body | jq -r .info.version)" v1
check_eq "OpenAPI with a token: the program's version" "$(http GET /api/v1/openapi.json -H "$AUTH" >/dev/null; body | jq -r .info.version)" "$("$VIGIL" --version | awk '{ print $2 }')"
finish
