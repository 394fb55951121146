#!/bin/sh
# The technical file (issue 23 item 4): `vigil techfile export` writes a
# signed .tar.zst whose SBOMs are the originals byte for byte, with the
# findings and the decisions on them, VEX, Article 14 records, the cases
# with their advisories, releases,
# the scope map extract, the support period and a README naming each part's
# article; `vigil techfile verify` checks it offline, and a changed byte, a
# member added or removed, or another key fails it.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db

export VIGIL_NOW=2026-10-01T00:00:00Z
cat >"$T_DIR/HV-2.json" <<'JSON'
{"schema_version":"1.6.0","id":"HV-2","aliases":["CVE-2026-20002"],"modified":"2026-09-01T00:00:00Z","published":"2026-09-01T00:00:00Z",
 "summary":"Test vulnerability","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"tf-b"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"9.0"}]}]}]}
JSON
# an original with odd white space and key order: kept as it is
printf '{ "bomFormat":"CycloneDX", "specVersion":"1.5","version":1,\n  "components":[{"type":"library","name":"tf-b","version":"1.0.0","purl":"pkg:pypi/tf-b@1.0.0"}] }\n\n' >"$T_DIR/a.json"
printf '{"specVersion":"1.5","bomFormat":"CycloneDX","version":2,"components":[{"type":"library","name":"tf-b","version":"1.1.0","purl":"pkg:pypi/tf-b@1.1.0"}]}' >"$T_DIR/b.json"
"$VIGIL" product create gw >/dev/null
"$VIGIL" product create other >/dev/null
"$VIGIL" sbom import "$T_DIR/a.json" --product gw --version 1.0 >/dev/null
"$VIGIL" sbom import "$T_DIR/b.json" --product gw --version 1.1 >/dev/null
"$VIGIL" sbom import "$T_DIR/a.json" --product other --version 9 >/dev/null
"$VIGIL" feed import osv "$T_DIR/HV-2.json" >/dev/null 2>&1
F=$("$VIGIL" findings list --product gw --json | jq -r '.findings[0].id')
"$VIGIL" findings triage "$F" --state in_triage --comment 'looking at it' >/dev/null
"$VIGIL" incident open --aware-at 2026-10-01T00:00:00Z --title 'Build server breach' --product gw >/dev/null
"$VIGIL" release create --product gw --version 1.1 --security >/dev/null
C=$("$VIGIL" case new --title 'Overflow in tf-b' --product gw --description 'the reporter text stays out' | awk '{print $2}')
"$VIGIL" case link "$C" --advisory ACME-SA-2026-001 >/dev/null
"$VIGIL" case new --title 'Other product case' --product other --description x >/dev/null
"$VIGIL" support set gw --placed 2026-03 --support-end 2036-12 >/dev/null
"$VIGIL" scope add 'Build farm' --owner ops --class product-infrastructure --review 2027-01-01 --products gw >/dev/null
"$VIGIL" scope add 'Wiki' --owner it --class business-it --review 2027-01-01 >/dev/null

check_eq "export" "$(run_cmd "$VIGIL" techfile export --product gw -o "$T_DIR/tf.tar.zst")" 0
check_contains "says what it wrote" "$(cat "$T_DIR/out")" "8 parts, signed manifest"
check_eq "export audited" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action=="techfile.export")][0].object_id')" gw
check_eq "verify" "$(run_cmd "$VIGIL" techfile verify "$T_DIR/tf.tar.zst" --json)" 0
check_eq "verify: intact" "$(jq -r .intact "$T_DIR/out")" true
check_eq "verify: the kind" "$(jq -r .kind "$T_DIR/out")" technical-file
check_eq "verify: against the local key" "$(jq -r .key_from_bundle "$T_DIR/out")" false

mkdir -p "$T_DIR/x"
tar --zstd -xf "$T_DIR/tf.tar.zst" -C "$T_DIR/x"
check_eq "SBOM 1.0 byte for byte" "$(cmp -s "$T_DIR/a.json" "$T_DIR/x/sbom/1.0/revision-1.cyclonedx.json" && echo same)" same
check_eq "SBOM 1.1 byte for byte" "$(cmp -s "$T_DIR/b.json" "$T_DIR/x/sbom/1.1/revision-1.cyclonedx.json" && echo same)" same
check_eq "only this product's SBOMs" "$(jq length "$T_DIR/x/sbom/index.json")" 2
check_eq "findings" "$(jq -r '.[0].vuln_id' "$T_DIR/x/vulnerability-handling/findings.json")" CVE-2026-20002
check_eq "decisions from the audit trail" "$(jq -r 'any(.[].history[]; .action == "finding.triage")' "$T_DIR/x/vulnerability-handling/decisions.json")" true
check_eq "VEX per version" "$(ls "$T_DIR/x/vulnerability-handling/vex" | tr '\n' ' ')" "1.0.cdx.json 1.1.cdx.json "
check_eq "VEX is CycloneDX" "$(jq -r .bomFormat "$T_DIR/x/vulnerability-handling/vex/1.0.cdx.json")" CycloneDX
check_eq "Article 14 records" "$(jq -r '.[0].title' "$T_DIR/x/article14/exposures.json")" "Build server breach"
check_eq "advisories: the product's case" "$(jq -r '[.cases[].title] | join(",")' "$T_DIR/x/advisories/advisories.json")" "Overflow in tf-b"
check_eq "advisories: linked to it" "$(jq -r '.cases[0].advisories[0]' "$T_DIR/x/advisories/advisories.json")" ACME-SA-2026-001
check_eq "advisories: no report text" "$(grep -c 'reporter text' "$T_DIR/x/advisories/advisories.json")" 0
check_eq "advisories: no CSAF document published for this product" "$(jq -r '.csaf_documents | length' "$T_DIR/x/advisories/advisories.json")" 0
check_eq "releases" "$(jq -r '.[0].version' "$T_DIR/x/update-delivery/releases.json")" 1.1
check_eq "scope extract: not business IT" "$(jq -r '[.systems[].name] | join(",")' "$T_DIR/x/programme/scope-map.json")" "Build farm"
check_eq "support period" "$(jq -r .retention_end "$T_DIR/x/programme/support-period.json")" 2037-01-01T00:00:00Z
check_contains "README: each part and its article" "$(cat "$T_DIR/x/README.md")" "article14/exposures.json"
check_contains "README: Article 13(13)" "$(cat "$T_DIR/x/README.md")" "13(13)"
check_eq "manifest lists every file" "$(jq '.files | length' "$T_DIR/x/MANIFEST.json")" "$(($(find "$T_DIR/x" -type f | wc -l) - 2))"

# ---- one version ----
check_eq "export --version" "$(run_cmd "$VIGIL" techfile export --product gw --version 1.0 -o "$T_DIR/v.tar.zst")" 0
check_eq "one version's SBOM" "$(tar --zstd -tf "$T_DIR/v.tar.zst" | grep -c '^sbom/.*cyclonedx')" 1
check_eq "unknown version" "$(run_cmd "$VIGIL" techfile export --product gw --version 7 -o "$T_DIR/n.tar.zst")" 1
check_eq "nothing left behind" "$(ls "$T_DIR"/n.tar.zst* 2>/dev/null | wc -l)" 0
check_eq "unknown product" "$(run_cmd "$VIGIL" techfile export --product nope -o "$T_DIR/n.tar.zst")" 1
check_eq "no -o" "$(run_cmd "$VIGIL" techfile export --product gw)" 2

# ---- tampering fails verification ----
cp "$T_DIR/tf.tar.zst" "$T_DIR/t1.tar.zst"
SIZE=$(wc -c <"$T_DIR/t1.tar.zst")
printf '\001' | dd of="$T_DIR/t1.tar.zst" bs=1 seek=$((SIZE / 2)) conv=notrunc 2>/dev/null
check_eq "a changed byte of the file" "$(run_cmd "$VIGIL" techfile verify "$T_DIR/t1.tar.zst")" 1
check_contains "not intact" "$(cat "$T_DIR/err")" "NOT intact"
printf ' ' >>"$T_DIR/x/sbom/1.0/revision-1.cyclonedx.json"
(cd "$T_DIR/x" && tar --zstd -cf "$T_DIR/t2.tar.zst" $(tar --zstd -tf "$T_DIR/tf.tar.zst"))
check_eq "a changed byte of an SBOM" "$(run_cmd "$VIGIL" techfile verify "$T_DIR/t2.tar.zst")" 1
check_contains "names the file" "$(cat "$T_DIR/err")" "sbom/1.0/revision-1.cyclonedx.json"
cp "$T_DIR/a.json" "$T_DIR/x/sbom/1.0/revision-1.cyclonedx.json"
echo extra >"$T_DIR/x/extra.txt"
(cd "$T_DIR/x" && tar --zstd -cf "$T_DIR/t3.tar.zst" $(tar --zstd -tf "$T_DIR/tf.tar.zst") extra.txt)
check_eq "a member added" "$(run_cmd "$VIGIL" techfile verify "$T_DIR/t3.tar.zst")" 1
(cd "$T_DIR/x" && tar --zstd -cf "$T_DIR/t4.tar.zst" $(tar --zstd -tf "$T_DIR/tf.tar.zst"))
check_eq "repacked unchanged: intact" "$(run_cmd "$VIGIL" techfile verify "$T_DIR/t4.tar.zst")" 0
"$VIGIL" techfile export --product gw -o "$T_DIR/k.tar.zst" --key "$T_DIR/nokey" >/dev/null 2>&1
check_eq "a missing --key file is refused" "$(ls "$T_DIR"/k.tar.zst* 2>/dev/null | wc -l)" 0
check_eq "another trusted key" "$(run_cmd "$VIGIL" techfile verify "$T_DIR/tf.tar.zst" --vkey 'someone+12345678+AXWOx/5eHx3cQ0xQ7Cv5Mf5E0Gx4Nn5Zq3Q2a1B2c3D4')" 1
finish
