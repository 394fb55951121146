#!/bin/sh
# A published security release is the corrective measure (issue 18, item 2):
# `release publish` of a release made with --fixes starts the Article 14
# final-report clock (14 days from publication) of the linked case and of
# the KEV finding's exposure, with the release as evidence; the deadline
# engine alerts as VIGIL_NOW moves; the user notice and the finding name
# the release; the case and finding pages show it; a second release of an
# unrelated vulnerability changes nothing.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
# artifacts in the database: the same on both backends
export VIGIL_UPDATE_ARTIFACT_STORE=db

cat >"$T_DIR/fw.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
 "metadata":{"component":{"type":"firmware","bom-ref":"fw","name":"router-fw","version":"4.2.0"}},
 "components":[{"type":"library","bom-ref":"h","name":"api","group":"github.com/fluxcd/helm-controller","version":"v0.16.0","purl":"pkg:golang/github.com/fluxcd/helm-controller/api@v0.16.0"}],
 "dependencies":[{"ref":"fw","dependsOn":["h"]}]}
JSON
cat >"$T_DIR/kev.json" <<'JSON'
{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2026.11.01","count":1,
 "vulnerabilities":[{"cveID":"CVE-2022-39272","vendorProject":"Flux","product":"helm-controller","vulnerabilityName":"test","dateAdded":"2026-11-01","shortDescription":"x","requiredAction":"Apply updates","dueDate":"2026-11-22","knownRansomwareCampaignUse":"Unknown","notes":""}]}
JSON

export VIGIL_NOW=2026-11-02T08:00:00Z
"$VIGIL" product create router >/dev/null
"$VIGIL" sbom import "$T_DIR/fw.json" --product router --version 4.2.0 >/dev/null
"$VIGIL" sbom import "$T_DIR/fw.json" --product router --version 4.3.0 >/dev/null
"$VIGIL" sbom import "$T_DIR/fw.json" --product router --version 4.4.0 >/dev/null
check_eq "advisory import makes the findings" "$("$VIGIL" feed import osv "$VIGIL_SHARED_DATA/vuln/osv/go-vulndb/GO-2022-1071.json" --json | jq -r .findings_new)" 3
FINDING=$(db_sql "SELECT f.id FROM findings f JOIN product_versions v ON v.id = f.version_id WHERE v.version = '4.2.0'")
export VIGIL_NOW=2026-11-03T09:30:00Z
check_eq "KEV: exploited" "$("$VIGIL" feed import kev "$T_DIR/kev.json" --json | jq -r .exploited)" 3

# a PSIRT case for the exploited CVE, and one for another vulnerability
"$VIGIL" case open --product router --version 4.2.0 --description 'helm-controller exploited' >/dev/null
"$VIGIL" case open --product router --description 'another bug' >/dev/null
"$VIGIL" case link 1 --cve CVE-2022-39272 >/dev/null
"$VIGIL" case link 2 --cve CVE-2026-7777 >/dev/null
ok "case 1 exploited" "$VIGIL" case exploited 1 --aware-at 2026-11-03T09:00:00Z --evidence 'honeypot'
EXP=$(db_sql "SELECT id FROM art14_exposures WHERE case_id = 1")
check_eq "final report undetermined" "$("$VIGIL" art14 list --json | jq -r "[.[] | select(.stage==\"final\") | .state] | unique | join(\",\")")" "undetermined"

# the security release 4.3.0, signed by CI, through the gate
openssl ecparam -name prime256v1 -genkey -noout -out "$T_DIR/ci.key" 2>/dev/null
openssl pkey -in "$T_DIR/ci.key" -pubout -out "$T_DIR/ci.pub"
"$VIGIL" ci-key add ci "$T_DIR/ci.pub" >/dev/null
for n in root tg sn ts prod; do
	"$VIGIL" signer keygen "$n" --software "$T_DIR/$n.key" --algorithm ed25519 >/dev/null || exit 1
done
ok "tuf init" "$VIGIL" tuf init --root-signers root --root-threshold 1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts
ok "tuf delegate" "$VIGIL" tuf delegate --product router --signer prod
printf 'router firmware 4.3.0\n' >"$T_DIR/fw.img"
openssl dgst -sha256 -sign "$T_DIR/ci.key" -out "$T_DIR/fw.img.sig" "$T_DIR/fw.img"
REL=$("$VIGIL" release create --product router --version 4.3.0 --security --fixes CVE-2022-39272 --json | jq .id)
ok "upload" "$VIGIL" release upload "$REL" "$T_DIR/fw.img" --signature "$T_DIR/fw.img.sig"
export VIGIL_NOW=2026-11-05T12:00:00Z
ok "publish" "$VIGIL" release publish "$REL"

"$VIGIL" art14 list --json >"$T_DIR/a14.json"
check_eq "case exposure: final report due publication + 14 days" "$(jq -r ".[] | select(.exposure_id==$EXP and .stage==\"final\") | \"\(.due_at) \(.state)\"" "$T_DIR/a14.json")" "2026-11-19T12:00:00Z pending"
check_eq "every exposure of the CVE on router has its final clock" "$(jq -r '[.[] | select(.stage=="final") | .due_at] | unique | join(",")' "$T_DIR/a14.json")" "2026-11-19T12:00:00Z"
check_eq "the exposure names the release" "$("$VIGIL" art14 show "$EXP" --json | jq -r '"\(.fix_release.id) \(.fix_release.name) \(.fix_available_at)"')" "$REL router 4.3.0 2026-11-05T12:00:00Z"
"$VIGIL" case show 1 --json >"$T_DIR/case.json"
check_eq "the case records the corrective measure" "$(jq -r '.corrective_measures[] | "\(.release_id) \(.version) \(.fixes) \(.published_at)"' "$T_DIR/case.json")" "$REL 4.3.0 CVE-2022-39272 2026-11-05T12:00:00Z"
check_eq "... audited on the case" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="case.fix_available" and .object_id=="1")] | length')" 1
check_eq "the unrelated case records nothing" "$("$VIGIL" case show 2 --json | jq '.corrective_measures | length')" 0
"$VIGIL" case user-notice 1 --json >"$T_DIR/notice.json"
check_contains "the user notice names the release" "$(jq -r .fields.security_update "$T_DIR/notice.json")" "router 4.3.0"
check_eq "... among its releases" "$(jq -r '.fields.releases | join(",")' "$T_DIR/notice.json")" "router 4.3.0"
"$VIGIL" findings show "$FINDING" --json >"$T_DIR/finding.json"
check_eq "the finding on 4.2.0 points to the release" "$(jq -r '.fixed_by_releases[] | "\(.release_id) \(.version)"' "$T_DIR/finding.json")" "$REL 4.3.0"

# the deadline engine: half of 14 days, then the breach
DUE=$(date -u -d 2026-11-19T12:00:00Z +%s)
NFINAL=$(jq '[.[] | select(.stage=="final")] | length' "$T_DIR/a14.json")
fired() { db_sql "SELECT COUNT(*) FROM deadline_fired WHERE clock = 'art14' AND threshold = '$1' AND due_at = $DUE"; }
VIGIL_NOW=2026-11-12T11:59:59Z "$VIGIL" art14 tick >/dev/null 2>&1
check_eq "before half of the final window: no final alert" "$(fired 50%)" 0
check_contains "half of the final window" "$(VIGIL_NOW=2026-11-12T12:00:00Z "$VIGIL" art14 tick 2>/dev/null)" "$NFINAL Art. 14 alerts"
check_eq "50% fired once per final report" "$(fired 50%)" "$NFINAL"
check_contains "not again" "$(VIGIL_NOW=2026-11-12T12:30:00Z "$VIGIL" art14 tick 2>/dev/null)" "0 Art. 14 alerts"
VIGIL_NOW=2026-11-19T12:00:00Z "$VIGIL" art14 tick >/dev/null 2>&1
check_eq "no breach at the due time" "$(fired breach)" 0
VIGIL_NOW=2026-11-19T12:00:01Z "$VIGIL" art14 tick >/dev/null 2>&1
check_eq "breach after the due time" "$(fired breach)" "$NFINAL"
check_eq "final report overdue" "$(VIGIL_NOW=2026-11-19T12:00:01Z "$VIGIL" art14 list --json | jq -r ".[] | select(.exposure_id==$EXP and .stage==\"final\") | .state")" "overdue"

# an unrelated security release changes nothing
AUD=$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action IN ('case.fix_available', 'art14.fix_available', 'finding.fix_release')")
printf 'router firmware 4.4.0\n' >"$T_DIR/fw2.img"
openssl dgst -sha256 -sign "$T_DIR/ci.key" -out "$T_DIR/fw2.img.sig" "$T_DIR/fw2.img"
REL2=$("$VIGIL" release create --product router --version 4.4.0 --security --fixes CVE-2026-7778 --json | jq .id)
"$VIGIL" release upload "$REL2" "$T_DIR/fw2.img" --signature "$T_DIR/fw2.img.sig" >/dev/null
ok "publish the unrelated release" "$VIGIL" release publish "$REL2"
check_eq "no new record" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action IN ('case.fix_available', 'art14.fix_available', 'finding.fix_release')")" "$AUD"
check_eq "the clock did not move" "$("$VIGIL" art14 list --json | jq -r ".[] | select(.exposure_id==$EXP and .stage==\"final\") | .due_at")" "2026-11-19T12:00:00Z"

# the pages
VIGIL_PASSWORD=pw-pat-6500 "$VIGIL" user add pat --role psirt >/dev/null
start_server
J="$T_DIR/jar"
csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
curl -s -o /dev/null -c "$J" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "user=pat" \
	--data-urlencode "password=pw-pat-6500" "$BASE/ui/login"
curl -s -b "$J" "$BASE/ui/cases/1" >"$T_DIR/case.html"
check_contains "case page: corrective measure" "$(cat "$T_DIR/case.html")" "Corrective measure available: release <a href=\"/ui/releases/$REL\">router 4.3.0</a>"
check_contains "case page: the final report's countdown" "$(cat "$T_DIR/case.html")" "id=\"clock-$EXP-final\""
curl -s -b "$J" "$BASE/ui/findings/$FINDING" >"$T_DIR/finding.html"
check_contains "finding page: fixed by release" "$(cat "$T_DIR/finding.html")" "<a href=\"/ui/releases/$REL\">router 4.3.0</a>"
stop_server
check_eq "audit chain intact" "$(run_cmd "$VIGIL" audit verify)" 0
finish
