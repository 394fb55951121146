#!/bin/sh
# Issue 14 item 3: quality against the NTIA minimum elements and BSI
# TR-03183-2 v2.0.0. Known answers:
#  - hand-made documents (tests/data/sbom-quality/complete.*.json meet
#    every rule), each made to miss exactly one element here: exactly the
#    rules of that element fail;
#  - tests/data/sbom-quality-expected.tsv: sbomqs's BSI test cases (each
#    named after the one field it lacks or has) and documents of the field
#    corpus read by hand, with the reason for each expectation;
#  - the quality stored with a revision, shown by vigil sbom quality ID and
#    --product/--version, and the product rule: a version whose newest SBOM
#    falls below the product's profile is marked.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
Q="$VIGIL_SOURCE_DIR/tests/data/sbom-quality"
CDX="$Q/complete.cdx.json"
SPDX="$Q/complete.spdx.json"

fails() { # FILE: the failing checks, comma-separated, in rule order
	"$VIGIL" sbom quality --json "$1" | jq -r '[.checks[] | select(.pass | not) | .id] | join(",")'
}

check_eq "the complete CycloneDX document is valid" "$(run_cmd "$VIGIL" sbom validate --policy strict "$CDX")" 0
check_eq "and meets both profiles" "$("$VIGIL" sbom quality --json "$CDX" | jq -c '[.ntia, ."bsi-tr-03183-2"]')" '[{"score":100,"ok":true},{"score":100,"ok":true}]'
check_eq "no check fails" "$(fails "$CDX")" ""

# one element missing at a time: jq edit, then exactly these checks fail
n=0
while IFS='|' read -r edit want; do
	[ -z "$edit" ] && continue
	n=$((n + 1))
	jq "$edit" "$CDX" >"$T_DIR/m$n.json"
	check_eq "missing: $edit" "$(fails "$T_DIR/m$n.json")" "$want"
done <<'EOF'
del(.components[0].supplier)|ntia.supplier,bsi.component.creator
.components[1].name = ""|ntia.name,bsi.component.name
del(.components[0].version)|ntia.version,bsi.component.version
del(.metadata.component.purl)|ntia.identifier,bsi.component.identifier
del(.dependencies[0])|ntia.dependency,bsi.component.dependencies
del(.dependencies)|ntia.dependency,bsi.component.dependencies
del(.metadata.authors)|ntia.author,bsi.sbom.creator
del(.metadata.authors[0].email)|bsi.sbom.creator
del(.metadata.timestamp)|ntia.timestamp,bsi.sbom.timestamp
.metadata.timestamp = "2026-11-30"|ntia.timestamp,bsi.sbom.timestamp
del(.components[0].properties[0])|bsi.component.filename
del(.components[1].properties[1])|bsi.component.executable
del(.components[0].properties[2])|bsi.component.archive
del(.metadata.component.properties[3])|bsi.component.structured
del(.components[0].licenses)|bsi.component.licence
.components[1].licenses = [{"expression": "MIT OR"}]|bsi.component.licence
.components[0].hashes = [{"alg": "SHA-256", "content": "0000000000000000000000000000000000000000000000000000000000000000"}]|bsi.component.hash
del(.serialNumber)|bsi.sbom.uri
del(.components[1].externalReferences[0])|bsi.component.source_uri
del(.components[1].externalReferences[1])|bsi.component.deployable_uri
EOF
# additional fields are scored, not required
jq 'del(.serialNumber)' "$CDX" >"$T_DIR/nouri.json"
check_eq "an additional field missing: BSI still met, score lower" "$("$VIGIL" sbom quality --json "$T_DIR/nouri.json" | jq -c '."bsi-tr-03183-2"')" '{"score":94,"ok":true}'
check_eq "a failing component is named" "$("$VIGIL" sbom quality --json "$T_DIR/m1.json" | jq -r '.checks[0].failing | join(",")')" "zlib 1.3.1"
check_eq "each check names its source" "$("$VIGIL" sbom quality --json "$CDX" | jq -r '.checks[] | select(.id=="bsi.component.hash") | .source')" "BSI TR-03183-2 v2.0.0 5.2.2 Hash value of the executable component"

# SPDX 2.3: the same NTIA elements where SPDX writes them
check_eq "the complete SPDX document meets NTIA" "$("$VIGIL" sbom quality --json "$SPDX" | jq -c '.ntia')" '{"score":100,"ok":true}'
jq '.packages[1].supplier = "NOASSERTION"' "$SPDX" >"$T_DIR/s1.json"
check_eq "SPDX supplier NOASSERTION" "$(fails "$T_DIR/s1.json" | cut -d, -f1-2)" "ntia.supplier,bsi.component.creator"
jq 'del(.packages[0].externalRefs)' "$SPDX" >"$T_DIR/s2.json"
check_contains "SPDX without purl or CPE" "$(fails "$T_DIR/s2.json")" "ntia.identifier"
jq '.relationships |= map(select(.relationshipType != "DEPENDS_ON"))' "$SPDX" >"$T_DIR/s3.json"
check_contains "SPDX without DEPENDS_ON" "$(fails "$T_DIR/s3.json")" "ntia.dependency"
jq '.creationInfo.creators = ["Tool: hand-written"]' "$SPDX" >"$T_DIR/s4.json"
check_eq "a tool is an NTIA author, not a BSI creator" "$("$VIGIL" sbom quality --json "$T_DIR/s4.json" | jq -c '[.checks[] | select(.id=="ntia.author" or .id=="bsi.sbom.creator") | .pass]')" '[true,false]'

# the known answers table
TAB=$(printf '\t')
rows=0 bad=0
while IFS="$TAB" read -r f ck want why; do
	case $f in '#'* | '') continue ;; esac
	rows=$((rows + 1))
	got=$("$VIGIL" sbom quality --json "$VIGIL_SHARED_DATA/sbom/$f" 2>"$T_DIR/qerr" | jq -r --arg c "$ck" '.checks[] | select(.id==$c) | if .pass then "pass" else "fail" end')
	if [ "$got" != "$want" ]; then
		echo "$f: $ck expected $want ($why), vigil: ${got:-$(head -c 200 "$T_DIR/qerr")}"
		bad=$((bad + 1))
	fi
done <"$VIGIL_SOURCE_DIR/tests/data/sbom-quality-expected.tsv"
check_eq "known answers that differ from the table (of $rows)" "$bad" 0

# stored with the revision; the product rule marks a version below its profile
"$VIGIL" product create g --quality-profile bsi-tr-03183-2 >/dev/null
check_eq "import measures quality" "$(run_cmd "$VIGIL" sbom import "$CDX" --product g --version 1)" 0
check_contains "and says it" "$(cat "$T_DIR/out")" "NTIA minimum elements 100/100 (met), BSI TR-03183-2 100/100 (met)"
check_eq "import of a weaker version" "$(run_cmd "$VIGIL" sbom import "$T_DIR/m15.json" --product g --version 2)" 0
ID2=$("$VIGIL" sbom list --product g --version 2 --json | jq -r '.[0].id')
check_eq "quality ID: the stored measure" "$("$VIGIL" sbom quality "$ID2" --json | jq -c '[.id, ."bsi-tr-03183-2".ok, ([.checks[] | select(.pass | not) | .id] | join(","))]')" "[$ID2,false,\"bsi.component.licence\"]"
check_eq "quality --product --version: the newest revision" "$("$VIGIL" sbom quality --product g --version 2 --json | jq .id)" "$ID2"
check_contains "text output names the failing rule" "$("$VIGIL" sbom quality "$ID2")" "FAIL bsi.component.licence"
check_eq "version 1 meets the profile" "$("$VIGIL" product show g --json | jq -c '[.versions[] | .meets_quality_profile]')" '[true,false]'
check_contains "product show marks version 2" "$("$VIGIL" product show g)" "BELOW PROFILE"
check_eq "under NTIA both meet it" "$("$VIGIL" product update g --quality-profile ntia >/dev/null; "$VIGIL" product show g --json | jq -c '[.versions[] | .meets_quality_profile]')" '[true,true]'
check_eq "no profile: no mark" "$("$VIGIL" product update g --quality-profile none >/dev/null; "$VIGIL" product show g --json | jq -c '[.sbom_quality_profile, [.versions[] | .meets_quality_profile]]')" '[null,[null,null]]'
check_eq "a bad profile is refused" "$(run_cmd "$VIGIL" product update g --quality-profile iso)" 1
check_contains "naming the choices" "$(cat "$T_DIR/err")" "expected none, ntia or bsi-tr-03183-2"
check_eq "quality of a revision that does not exist" "$(run_cmd "$VIGIL" sbom quality 999)" 1
check_eq "quality of an unreadable document" "$(run_cmd "$VIGIL" sbom quality "$VIGIL_SHARED_DATA/sbom/field-corpus/docs/sbom-utility__test_spdx_spdx-2-2-missing-creationinfo.json")" 1
finish
