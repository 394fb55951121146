#!/bin/sh
# The field corpus of issue 14 (shared/data/sbom/field-corpus, 397 SBOMs as
# 18 real tools write them) ends as tests/data/field-corpus-expected.tsv says.
# That table was built from the official validators and the spec text by
# tests/data/field-corpus-expected.mjs, never from vigil's output.
# Checked here: `vigil sbom validate --policy strict` and `--policy standard`
# accept exactly the documents the table accepts under each policy.
# vigil-test: no-database (the PostgreSQL run skips it)
# vigil-test: conformance (agreement with outside tools or corpora: run once, on SQLite)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
TABLE="$VIGIL_SOURCE_DIR/tests/data/field-corpus-expected.tsv"
DOCS="$VIGIL_SHARED_DATA/sbom/field-corpus/docs"
check_eq "field corpus present" "$([ -d "$DOCS" ] && echo yes)" yes
rows=0 bad=0 acc=0
TAB=$(printf '\t')
# one process a policy: `sbom validate --json FILE...` answers an array
grep -v '^#' "$TABLE" | cut -f1 | grep -v '^$' | sed "s|^|$DOCS/|" >"$T_DIR/files"
for pol in strict standard; do
	# shellcheck disable=SC2046
	"$VIGIL" sbom validate --policy $pol --json $(cat "$T_DIR/files") 2>/dev/null |
		jq -r '.[] | [(.file | split("/") | last), (if .accepted then "accept" else "refuse" end),
			((.errors // [])[0].message // "" | .[0:300])] | @tsv' >"$T_DIR/got.$pol"
done
while IFS="$TAB" read -r f fmt schema strict standard why; do
	case $f in '#'* | '') continue ;; esac
	rows=$((rows + 1))
	[ -f "$DOCS/$f" ] || { echo "missing corpus file $f"; bad=$((bad + 1)); continue; }
	for pol in strict standard; do
		line=$(grep -F -m1 "$f$TAB" "$T_DIR/got.$pol")
		got=$(printf '%s' "$line" | cut -f2)
		if [ $pol = strict ]; then want=$strict; else want=$standard; fi
		if [ "$got" != "$want" ]; then
			echo "$f: expected $want under $pol ($why), vigil: ${got:-no answer} $(printf '%s' "$line" | cut -f3)"
			bad=$((bad + 1))
		fi
		[ "$got" = accept ] && acc=$((acc + 1))
	done
done <"$TABLE"
check_eq "the table has a row per corpus file" "$rows" 397
check_eq "corpus documents that differ from the expected-results table" "$bad" 0
# a refusal names the place: the SPDX 2.3 tag-value document with no DocumentName
not_ok "no DocumentName refused under strict" "$VIGIL" sbom validate --policy strict "$DOCS/syft__syft_format_spdxtagvalue_testdata_tag-value.spdx"
check_contains "the line is named" "$(cat "$T_DIR/ok.out")" 'line 1: expected DocumentName'
# the SPDX 3.0.1 schema applies without configuration
not_ok "schema-invalid SPDX 3 refused under strict" "$VIGIL" sbom validate --policy strict --json "$DOCS/spdx3__testdata_roundtrip_core.json"
check_contains "by the shipped SPDX 3.0.1 schema" "$(cat "$T_DIR/ok.out")" '"schema": "spdx-3.0.1-schema.json"'
# standard lists every violation of a document it accepts, with its place
ok "Trivy SPDX without downloadLocation accepted under standard" "$VIGIL" sbom validate --policy standard --json "$DOCS/trivy__pkg_sbom_spdx_testdata_happy_package-hashes.json"
check_contains "its violation has a JSON pointer" "$(cat "$T_DIR/ok.out")" '"pointer": "/packages/0"'
not_ok "and refused under strict" "$VIGIL" sbom validate --policy strict "$DOCS/trivy__pkg_sbom_spdx_testdata_happy_package-hashes.json"
not_ok "no creationInfo refused under standard" "$VIGIL" sbom validate --policy standard "$DOCS/sbom-utility__test_spdx_spdx-2-2-missing-creationinfo.json"
check_contains "naming the place" "$(cat "$T_DIR/ok.out")" '/: expected property "creationInfo"'
not_ok "an unknown policy" "$VIGIL" sbom validate --policy lax "$DOCS/spdx3__testdata_spdx.json"
echo "t1005: $rows documents, $acc accepted under the two policies"
finish
