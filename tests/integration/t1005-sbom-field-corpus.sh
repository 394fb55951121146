#!/bin/sh
# The field corpus of issue 14 (shared/data/sbom/field-corpus, 397 SBOMs as
# 18 real tools write them) ends as tests/data/field-corpus-expected.tsv says.
# That table was built from the official validators and the spec text by
# tests/data/field-corpus-expected.mjs, never from vigil's output.
# Checked here: `vigil sbom validate` (every violation refuses, the strict
# result) accepts exactly the documents the table accepts under strict, and
# refuses every document the table refuses under every policy (standard too).
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
TABLE="$VIGIL_SOURCE_DIR/tests/data/field-corpus-expected.tsv"
DOCS="$VIGIL_SHARED_DATA/sbom/field-corpus/docs"
check_eq "field corpus present" "$([ -d "$DOCS" ] && echo yes)" yes
rows=0 bad=0 acc=0
TAB=$(printf '\t')
while IFS="$TAB" read -r f fmt schema strict standard why; do
	case $f in '#'* | '') continue ;; esac
	rows=$((rows + 1))
	[ -f "$DOCS/$f" ] || { echo "missing corpus file $f"; bad=$((bad + 1)); continue; }
	if "$VIGIL" sbom validate "$DOCS/$f" >"$T_DIR/out" 2>&1; then got=accept; else got=refuse; fi
	if [ "$got" != "$strict" ]; then
		echo "$f: expected $strict under strict ($why), vigil: $(head -c 300 "$T_DIR/out")"
		bad=$((bad + 1))
	fi
	if [ "$standard" = refuse ] && [ "$got" != refuse ]; then
		echo "$f: must be refused under every policy ($why)"
		bad=$((bad + 1))
	fi
	[ "$got" = accept ] && acc=$((acc + 1))
done <"$TABLE"
check_eq "the table has a row per corpus file" "$rows" 397
check_eq "corpus documents that differ from the expected-results table" "$bad" 0
# a refusal names the place: the SPDX 2.3 tag-value document with no DocumentName
not_ok "no DocumentName refused" "$VIGIL" sbom validate "$DOCS/syft__syft_format_spdxtagvalue_testdata_tag-value.spdx"
check_contains "the line is named" "$(cat "$T_DIR/ok.out")" 'line 1: expected DocumentName'
# the SPDX 3.0.1 schema applies without configuration
not_ok "schema-invalid SPDX 3 refused" "$VIGIL" sbom validate --json "$DOCS/spdx3__testdata_roundtrip_core.json"
check_contains "by the shipped SPDX 3.0.1 schema" "$(cat "$T_DIR/ok.out")" '"schema": "spdx-3.0.1-schema.json"'
echo "t1005: $rows documents, $acc accepted"
finish
