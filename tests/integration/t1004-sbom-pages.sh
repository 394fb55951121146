#!/bin/sh
# Products and SBOMs from the browser: create and edit a product with the
# errors at their field and the typed values kept (the form again, 200,
# nothing stored); upload an SBOM through
# the multipart form (CSRF in the form), a valid file imported, an invalid
# one refused with its JSON pointers and nothing stored; a held upload is
# still held; downloads named after what they are; an auditor reads but
# cannot act.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
VIGIL_PASSWORD=pw-pat-1004 "$VIGIL" user add pat --role psirt >/dev/null
VIGIL_PASSWORD=pw-aud-1004 "$VIGIL" user add aud --role auditor >/dev/null
start_server

J="$T_DIR/jar"
login() { # user password -> status
	rm -f "$J"
	csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -c "$J" -b "$J" --data-urlencode "csrf=$csrf" \
		--data-urlencode "user=$1" --data-urlencode "password=$2" "$BASE/ui/login"
}
page() { # path -> status; body in $T_DIR/body, its CSRF token in $T_DIR/csrf
	s=$(curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$BASE$1")
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T_DIR/body" | head -1 >"$T_DIR/csrf"
	echo "$s"
}
post() { # path [curl args ...] -> status (urlencoded, with the CSRF token of the last page)
	p=$1
	shift
	set -- --data-urlencode "csrf=$(cat "$T_DIR/csrf")" "$@"
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$@" "$BASE$p"
}
upload() { # path [curl -F args ...] -> status (multipart, with the CSRF token of the last page)
	p=$1
	shift
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" \
		-F "csrf=$(cat "$T_DIR/csrf")" "$@" "$BASE$p"
}
location() {
	sed -n 's/^Location: *\([^\r]*\).*/\1/p' "$T_DIR/headers"
}
revisions() { # product -> number of stored revisions
	"$VIGIL" sbom list --product "$1" --json | jq length
}

cat >"$T_DIR/good.json" <<'EOF'
{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
 "metadata": {"component": {"type": "application", "name": "acme-gateway", "version": "1.0.0"}},
 "components": [
  {"type": "library", "name": "openssl", "version": "3.0.1", "purl": "pkg:generic/openssl@3.0.1", "bom-ref": "openssl"},
  {"type": "library", "name": "zlib", "version": "1.2.11", "purl": "pkg:generic/zlib@1.2.11", "bom-ref": "zlib"},
  {"type": "library", "name": "curl", "version": "7.80.0", "purl": "pkg:generic/curl@7.80.0", "bom-ref": "curl"},
  {"type": "library", "name": "expat", "version": "2.4.1", "purl": "pkg:generic/expat@2.4.1", "bom-ref": "expat"}
 ]}
EOF
# two schema errors: a component type that does not exist, a name that is a number
cat >"$T_DIR/bad.json" <<'EOF'
{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
 "components": [
  {"type": "library", "name": "ok", "version": "1"},
  {"type": "gizmo", "name": "x", "version": "1"},
  {"type": "library", "name": 7, "version": "1"}
 ]}
EOF
# drops three of four components: held for a person
cat >"$T_DIR/small.json" <<'EOF'
{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
 "components": [{"type": "library", "name": "openssl", "version": "3.0.1", "purl": "pkg:generic/openssl@3.0.1"}]}
EOF

# ---- anonymous and auditor ----
check_eq "anonymous: product form sent to the login" "$(http POST /ui/products -d csrf=x -d name=x)" 303
check_eq "anonymous: nothing made" "$("$VIGIL" product list --json | jq '[.[] | select(.name == "x")] | length')" 0
check_eq "auditor logs in" "$(login aud pw-aud-1004)" 303
check_eq "auditor: products page" "$(page /ui/products)" 200
check_not_contains "auditor: no new-product form" "$(body)" 'id="new-product"'
check_eq "auditor: creating refused" "$(post /ui/products --data-urlencode name=nope)" 403

# ---- the PSIRT creates a product ----
check_eq "psirt logs in" "$(login pat pw-pat-1004)" 303
check_eq "products page" "$(page /ui/products)" 200
check_contains "new-product form" "$(body)" 'id="new-product"'
check_contains "CRA class in plain words" "$(body)" '<option value="important-1">Important, class I</option>'
check_eq "without the CSRF field: refused" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" -d name=x "$BASE/ui/products")" 403
check_eq "a bad date: the form again" "$(post /ui/products --data-urlencode 'name=acme-gateway' \
	--data-urlencode 'vendor=Acme <Labs>' --data-urlencode cra_class=important-1 \
	--data-urlencode support_until=2031-13)" 200
check_contains "the error at its field" "$(body)" 'id="pf-support_until-error">support until (--support-until)'
check_contains "the field marked" "$(body)" 'id="pf-support_until" name="support_until" placeholder="YYYY-MM" value="2031-13" aria-invalid="true"'
check_contains "the name kept" "$(body)" 'name="name" required maxlength="200" value="acme-gateway"'
check_contains "the vendor kept, escaped" "$(body)" 'value="Acme &lt;Labs&gt;"'
check_contains "the class kept" "$(body)" '<option value="important-1" selected>'
check_eq "nothing stored" "$("$VIGIL" product list --json | jq length)" 0
check_eq "a name with '/': refused at the name" "$(post /ui/products --data-urlencode 'name=a/b')" 200
check_contains "name error" "$(body)" 'id="pf-name-error">product name'
check_eq "created" "$(post /ui/products --data-urlencode 'name=acme-gateway' \
	--data-urlencode 'vendor=Acme Labs' --data-urlencode cra_class=important-1 \
	--data-urlencode support_until=2031-12 --data-urlencode public=yes)" 303
check_eq "to the product page" "$(location)" "/ui/products/acme-gateway?created=1"
check_eq "stored" "$("$VIGIL" product list --json | jq -r '.[0] | "\(.name) \(.vendor) \(.cra_class) \(.support_until) \(.public)"')" \
	"acme-gateway Acme Labs important-1 2031-12 true"
check_eq "audited as pat" "$("$VIGIL" audit log --object product:acme-gateway --json | jq -r '.[-1] | "\(.action) \(.actor)"')" "product.create pat"
check_eq "the same name again: at the name" "$(post /ui/products --data-urlencode 'name=acme-gateway')" 200
check_contains "already exists" "$(body)" "already exists"

# ---- edit ----
check_eq "product page" "$(page /ui/products/acme-gateway?created=1)" 200
check_contains "edit link" "$(body)" 'href="/ui/products/acme-gateway/edit"'
check_contains "upload form, multipart" "$(body)" 'enctype="multipart/form-data"'
check_contains "CRA class in words" "$(body)" "Important, class I"
check_eq "edit page" "$(page /ui/products/acme-gateway/edit)" 200
check_contains "current values" "$(body)" 'value="Acme Labs"'
check_contains "public checked" "$(body)" 'name="public" value="yes" checked'
check_eq "a bad market date: the form again" "$(post /ui/products/acme-gateway --data-urlencode 'vendor=Acme GmbH' \
	--data-urlencode cra_class=critical --data-urlencode placed_on_market=2026-02-30x)" 200
check_contains "error at the market date" "$(body)" 'id="pf-placed_on_market-error"'
check_contains "typed vendor kept" "$(body)" 'value="Acme GmbH"'
check_eq "unchanged" "$("$VIGIL" product list --json | jq -r '.[0].vendor')" "Acme Labs"
check_eq "saved" "$(post /ui/products/acme-gateway --data-urlencode 'vendor=Acme GmbH' \
	--data-urlencode cra_class=critical --data-urlencode placed_on_market=2026-02-01)" 303
check_eq "not public any more (unchecked box)" "$("$VIGIL" product list --json | jq -r '.[0] | "\(.vendor) \(.cra_class) \(.placed_on_market) \(.public)"')" \
	"Acme GmbH critical 2026-02-01 false"
check_eq "update audited before/after" "$("$VIGIL" audit log --object product:acme-gateway --json | jq -r '.[-1] | "\(.actor) \(.before.vendor)>\(.after.vendor)"')" "pat Acme Labs>Acme GmbH"
check_eq "auditor logs in again" "$(login aud pw-aud-1004)" 303
check_eq "auditor: edit page refused" "$(page /ui/products/acme-gateway/edit)" 403
check_eq "psirt again" "$(login pat pw-pat-1004)" 303

# ---- upload ----
check_eq "product page for the form" "$(page /ui/products/acme-gateway)" 200
check_eq "without the CSRF part: refused" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' -b "$J" -F version=1.0.0 \
	-F "file=@$T_DIR/good.json" "$BASE/ui/products/acme-gateway/sboms")" 403
check_eq "a wrong CSRF part: refused" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' -b "$J" -F csrf=wrong -F version=1.0.0 \
	-F "file=@$T_DIR/good.json" "$BASE/ui/products/acme-gateway/sboms")" 403
check_eq "no version: at the version field" "$(upload /ui/products/acme-gateway/sboms -F version= -F "file=@$T_DIR/good.json")" 200
check_contains "version error" "$(body)" 'id="up-version-error"'
check_eq "no file: at the file field" "$(upload /ui/products/acme-gateway/sboms -F version=1.0.0)" 200
check_contains "file error" "$(body)" 'id="up-file-error"'
check_contains "version kept" "$(body)" 'name="version" required maxlength="200" value="1.0.0"'
check_eq "an invalid file: refused" "$(upload /ui/products/acme-gateway/sboms -F version=1.0.0 -F "file=@$T_DIR/bad.json;filename=gateway-bom.json")" 200
check_contains "names the file" "$(body)" "gateway-bom.json: the document breaks its official schema or spec as listed below"
check_contains "the pointer of the bad type" "$(body)" "<code>/components/1/type</code>"
check_contains "the pointer of the bad name" "$(body)" "<code>/components/2/name</code>"
check_contains "version kept after a bad file" "$(body)" 'value="1.0.0"'
check_eq "nothing stored" "$(revisions acme-gateway)" 0
check_eq "not JSON at all: refused" "$(printf 'hello' >"$T_DIR/x.txt"; upload /ui/products/acme-gateway/sboms -F version=1.0.0 -F "file=@$T_DIR/x.txt")" 200
check_contains "says what was expected" "$(body)" "x.txt"
check_eq "a valid file: imported" "$(upload /ui/products/acme-gateway/sboms -F version=1.0.0 -F "file=@$T_DIR/good.json;filename=gw.json")" 303
check_contains "to the version page" "$(location)" "/ui/products/acme-gateway/versions/1.0.0?uploaded="
check_eq "stored" "$(revisions acme-gateway)" 1
check_eq "uploaded by pat" "$("$VIGIL" sbom list --product acme-gateway --json | jq -r '.[0] | "\(.uploaded_by) \(.filename) \(.components)"')" "pat gw.json 5"
check_eq "version page" "$(page "$(location)")" 200
check_contains "confirmation" "$(body)" "stored: 1.0.0 revision 1, CycloneDX 1.6, 5 components"
check_contains "component types in words" "$(body)" "<td>Library</td>"
check_contains "findings link" "$(body)" 'href="/ui/findings?product=acme-gateway&amp;version=1.0.0"'
check_eq "a smaller upload is held" "$(page /ui/products/acme-gateway >/dev/null; upload /ui/products/acme-gateway/sboms -F version=1.0.0 -F "file=@$T_DIR/small.json")" 303
check_eq "version page" "$(page "$(location)")" 200
check_contains "held, as from the API" "$(body)" "It is held for a person"
check_eq "held in the store" "$("$VIGIL" sbom list --product acme-gateway --json | jq -r '.[0].held')" "true"

# ---- downloads named after what they are ----
SID=$("$VIGIL" sbom list --product acme-gateway --json | jq -r '.[1].id')
check_eq "original" "$(curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$BASE/api/v1/sboms/$SID/original")" 200
check_contains "original: named after product and version" "$(tr -d '\r' <"$T_DIR/headers")" 'filename="acme-gateway-1.0.0.cdx.json"'
ok "byte for byte" cmp "$T_DIR/body" "$T_DIR/good.json"
check_eq "CycloneDX export" "$(curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$BASE/api/v1/products/acme-gateway/versions/1.0.0/export?format=cyclonedx-1.6")" 200
check_contains "export name" "$(tr -d '\r' <"$T_DIR/headers")" 'filename="acme-gateway-1.0.0.cdx.json"'
check_eq "SPDX export" "$(curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$BASE/api/v1/products/acme-gateway/versions/1.0.0/export?format=spdx-2.3")" 200
check_contains "SPDX name" "$(tr -d '\r' <"$T_DIR/headers")" 'filename="acme-gateway-1.0.0.spdx.json"'
cat >"$T_DIR/app.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components><component type="library"><name>a</name><version>1</version></component></components></bom>
EOF
check_eq "an XML upload" "$(page /ui/products/acme-gateway >/dev/null; upload /ui/products/acme-gateway/sboms -F version=2.0 -F "file=@$T_DIR/app.xml")" 303
XID=$("$VIGIL" sbom list --product acme-gateway --version 2.0 --json | jq -r '.[0].id')
check_eq "XML original" "$(curl -s -o /dev/null -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$BASE/api/v1/sboms/$XID/original")" 200
check_contains "XML name" "$(tr -d '\r' <"$T_DIR/headers")" 'filename="acme-gateway-2.0.cdx.xml"'

finish
