#!/bin/sh
# Issue 14 "Done when": every document of the field corpus ends as
# tests/data/field-corpus-expected.tsv says under both policies, imported
# (not only validated: t1005): `vigil sbom import` into a product whose
# policy is strict and one whose policy is standard. A refused document
# stores nothing; an accepted one is a revision whose kept violations are
# listed under standard and none under strict.
# This file imports under strict; t1009 sources it with POLICY=standard
# (each policy alone stays well inside the test timeout on PostgreSQL).
# vigil-test: conformance (agreement with outside tools or corpora: run once, on SQLite)
# vigil-test: long (minutes: ctest starts it first)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
POLICY=${POLICY:-strict}
fresh_db
TABLE="$VIGIL_SOURCE_DIR/tests/data/field-corpus-expected.tsv"
DOCS="$VIGIL_SHARED_DATA/sbom/field-corpus/docs"
check_eq "field corpus present" "$([ -d "$DOCS" ] && echo yes)" yes
"$VIGIL" product create $POLICY --sbom-policy $POLICY >/dev/null
rows=0 bad=0 acc=0 kept_strict=0
TAB=$(printf '\t')
while IFS="$TAB" read -r f fmt schema strict standard why; do
	case $f in '#'* | '') continue ;; esac
	rows=$((rows + 1))
	for pol in $POLICY; do
		if "$VIGIL" sbom import --json --product $pol --version "$rows" "$DOCS/$f" >"$T_DIR/out" 2>"$T_DIR/err"; then got=accept; else got=refuse; fi
		if [ $pol = strict ]; then want=$strict; else want=$standard; fi
		if [ "$got" != "$want" ]; then
			echo "$f: expected $want under $pol ($why), vigil: $(head -c 300 "$T_DIR/err") $(head -c 300 "$T_DIR/out")"
			bad=$((bad + 1))
		fi
		if [ "$got" = accept ]; then
			acc=$((acc + 1))
			[ $pol = strict ] && [ "$(jq '.violation_list | length' "$T_DIR/out")" != 0 ] && kept_strict=$((kept_strict + 1))
		fi
	done
done <"$TABLE"
check_eq "the table has a row per corpus file" "$rows" 397
check_eq "corpus documents imported otherwise than the table says" "$bad" 0
check_eq "a revision per accepted import" "$("$VIGIL" sbom list --product $POLICY --json | jq length)" "$acc"
if [ $POLICY = strict ]; then
	check_eq "strict keeps no violation with what it imports" "$kept_strict" 0
else
	check_eq "standard revisions with violations list them" "$("$VIGIL" sbom list --product standard --json | jq '[.[] | select(.violations > 0)] | length > 0')" true
fi
check_eq "audit chain intact" "$(run_cmd "$VIGIL" audit verify)" 0
echo "field corpus: $rows documents, $acc imported under $POLICY"
finish
