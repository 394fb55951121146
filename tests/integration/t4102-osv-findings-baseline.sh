#!/bin/sh
# The findings of a full import of the shared OSV data (issue 15 item 6):
# an inventory made from the packages those records name
# (tests/tools/osv_inventory.py: 1,331 components over Go, PyPI, AlmaLinux,
# Maven, Bitnami and the rest), imported as version 1 before the feed
# (findings made by the feed's matching) and as version 2 after it
# (findings made by the SBOM's matching); both must give exactly the findings
# in tests/data/osv-findings-expected.tsv, and so must a second, unchanged
# import of the whole feed (skipped by content hash) and one of the Go records
# alone.
#
# tests/data/osv-findings-expected.tsv was written by the implementation
# before issue 15's import work (commit a9301f0, jansson DOM per record, one
# alias query per record) with the findings() function below on SQLite:
#   sh tests/integration/t4102-osv-findings-baseline.sh with
#   VIGIL_T4102_WRITE=FILE set writes FILE instead of comparing.
# One line per finding, retracted ones included: purl, vulnerability id,
# severity, score, state, active or retracted, and
# the evidence (advisory, source, version, matched range, fixed) of each
# advisory that matched, sorted; lines sorted.
# vigil-test: long
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
OSV="$VIGIL_SHARED_DATA/vuln/osv"
EXPECTED="$VIGIL_SOURCE_DIR/tests/data/osv-findings-expected.tsv"

command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null ||
	{ echo "python3 with PyYAML (python3-yaml) is missing (scripts/deps.sh)"; exit 1; }
check_eq "inventory generated" \
	"$(run_cmd python3 "$VIGIL_SOURCE_DIR/tests/tools/osv_inventory.py" "$OSV" "$T_DIR/inv.json")" 0
check_eq "inventory size" "$(cat "$T_DIR/out")" "components=1331 packages=4420"

# findings VERSION: the findings of inv VERSION, one line each (see above),
# read page by page (the CLI gives at most 1,000 a page).
findings() {
	: >"$T_DIR/f.tsv"
	off=0
	while :; do
		"$VIGIL" findings list --product inv --version "$1" --all --limit 1000 --offset "$off" \
			--json >"$T_DIR/page.json" || return 1
		n=$(jq '.findings | length' "$T_DIR/page.json")
		jq -r '.findings[] | [.purl, .vuln_id, (.severity // "-"), (.score // "-"), .state,
			(if .retracted_at then "retracted" else "active" end),
			([.evidence.matches[] | [.advisory, .source, .version, .matched,
			(.fixed // "-")] | join("|")] | sort | join(" ; "))] | @tsv' \
			"$T_DIR/page.json" >>"$T_DIR/f.tsv"
		[ "$n" -eq 1000 ] || break
		off=$((off + 1000))
	done
	LC_ALL=C sort "$T_DIR/f.tsv"
}

check_eq "product" "$(run_cmd "$VIGIL" product create inv)" 0
check_eq "inventory first (version 1)" \
	"$(run_cmd "$VIGIL" sbom import "$T_DIR/inv.json" --product inv --version 1)" 0
check_eq "full feed import" "$(run_cmd "$VIGIL" feed import osv "$OSV" --json)" 0
# findings_new counts findings made along the way: the implementation
# before made one more (1,963), in one batch, that a later batch's alias merge
# folded into another; batches of 5,000 see both advisories at once. The
# findings themselves are compared below.
check_eq "counts of the full import" \
	"$(jq -c '[.imported, .updated, .unchanged, .skipped, .withdrawn]' "$T_DIR/out")" \
	"[12219,10,13,416,52]"
check_eq "findings made" "$(jq '.findings_new >= 1962 and .findings_new <= 1963' "$T_DIR/out")" true
findings 1 >"$T_DIR/v1.tsv"

if [ -n "${VIGIL_T4102_WRITE:-}" ]; then
	cp "$T_DIR/v1.tsv" "$VIGIL_T4102_WRITE"
	echo "wrote $(wc -l <"$VIGIL_T4102_WRITE") findings to $VIGIL_T4102_WRITE"
fi

# compare NAME FILE: FILE equals the expected findings; the first
# differences are shown.
compare() {
	if cmp -s "$2" "$EXPECTED"; then
		check_eq "$1" same same
	else
		check_eq "$1 ($(wc -l <"$2") findings, $(wc -l <"$EXPECTED") expected)" differ same
		diff "$EXPECTED" "$2" | head -20 | sed 's/^/    /'
	fi
}
compare "feed after the inventory: the expected findings" "$T_DIR/v1.tsv"

check_eq "inventory after the feed (version 2)" \
	"$(run_cmd "$VIGIL" sbom import "$T_DIR/inv.json" --product inv --version 2)" 0
findings 2 >"$T_DIR/v2.tsv"
compare "inventory after the feed: the expected findings" "$T_DIR/v2.tsv"

check_eq "unchanged re-import" "$(run_cmd "$VIGIL" feed import osv "$OSV" --json)" 0
check_eq "nothing imported, nothing new" \
	"$(jq -c '[.imported, .updated, .findings_new, .findings_retracted]' "$T_DIR/out")" \
	"[0,0,0,0]"
check_eq "Go records again" "$(run_cmd "$VIGIL" feed import osv "$OSV/go-vulndb" --json)" 0
check_eq "Go records unchanged" "$(jq -c '[.imported, .updated, .unchanged]' "$T_DIR/out")" \
	"[0,0,4291]"
findings 1 >"$T_DIR/v1b.tsv"
compare "version 1 after the re-imports" "$T_DIR/v1b.tsv"
findings 2 >"$T_DIR/v2b.tsv"
compare "version 2 after the re-imports" "$T_DIR/v2b.tsv"
finish
