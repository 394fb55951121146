#!/bin/sh
# Vulnerability intelligence: OSV and KEV feeds stored, findings created
# without any other command (SBOM first or advisory first), KEV marks them
# exploited, re-import is idempotent, withdrawn advisories retract, aliases
# join, `vuln match` on a real SBOM against the shared OSV data, the API.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
OSV="$VIGIL_SHARED_DATA/vuln/osv"
FLUX="$VIGIL_SHARED_DATA/sbom/bom-shelter/in-the-wild/spdx/flux_0.26.3_sbom.spdx.json"

# A small CycloneDX SBOM with components of the flux SBOM and others.
cat >"$T_DIR/app.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"library","name":"api","group":"github.com/fluxcd/helm-controller","version":"v0.16.0","purl":"pkg:golang/github.com/fluxcd/helm-controller/api@v0.16.0"},
 {"type":"library","name":"crypto","group":"golang.org/x","version":"v0.53.0","purl":"pkg:golang/golang.org/x/crypto@v0.53.0"},
 {"type":"library","name":"Django","version":"6.0.4","purl":"pkg:pypi/Django@6.0.4"},
 {"type":"library","name":"no-purl","version":"1.0"}]}
JSON
cat >"$T_DIR/old.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"library","name":"django","version":"2.2.5","purl":"pkg:pypi/django@2.2.5"},
 {"type":"library","name":"crypto","version":"v0.0.0-20191011191535-87dc89f01550","purl":"pkg:golang/golang.org/x/crypto@v0.0.0-20191011191535-87dc89f01550"}]}
JSON

check_eq "product" "$(run_cmd "$VIGIL" product create app)" 0
check_eq "import SBOM first" "$(run_cmd "$VIGIL" sbom import "$T_DIR/app.json" --product app --version 2.0)" 0
check_eq "no findings yet" "$("$VIGIL" findings list --json | jq .total)" 0

# SBOM first, then the advisory: the finding appears by itself.
check_eq "feed import osv (json)" "$(run_cmd "$VIGIL" feed import osv "$OSV/go-vulndb/GO-2022-1071.json" --json)" 0
check_eq "one imported" "$(jq -r .imported "$T_DIR/out")" 1
check_eq "one new finding" "$(jq -r .findings_new "$T_DIR/out")" 1
"$VIGIL" findings list --json >"$T_DIR/f.json"
check_eq "finding on the helm-controller api" "$(jq -r '.findings[0].purl' "$T_DIR/f.json")" "pkg:golang/github.com/fluxcd/helm-controller/api@v0.16.0"
check_eq "canonical id is the CVE" "$(jq -r '.findings[0].vuln_id' "$T_DIR/f.json")" "CVE-2022-39272"
check_contains "aliases kept" "$(jq -c '.findings[0].aliases' "$T_DIR/f.json")" "GO-2022-1071"
check_eq "evidence names the range" "$(jq -r '.findings[0].evidence.matches[0].matched' "$T_DIR/f.json")" "SEMVER introduced 0, fixed 0.26.0"
check_eq "state new" "$(jq -r '.findings[0].state' "$T_DIR/f.json")" "new"
check_contains "first seen" "$(jq -r '.findings[0].first_seen_at' "$T_DIR/f.json")" "T"

# PITFALLS regressions on stored data: fixed pseudo-version and two pairs.
check_eq "import GO-2022-0229 and PYSEC-2019-16 (yaml)" "$(run_cmd "$VIGIL" feed import osv "$OSV/go-vulndb/GO-2022-0229.json")" 0
check_eq "yaml record" "$(run_cmd "$VIGIL" feed import osv "$OSV/pypa-advisory-database/vulns/django/PYSEC-2019-16.yaml" --json)" 0
check_eq "x/crypto v0.53.0 and Django 6.0.4 not flagged" "$("$VIGIL" findings list --json | jq .total)" 1

# Advisory first, then the SBOM.
check_eq "import older version" "$(run_cmd "$VIGIL" sbom import "$T_DIR/old.json" --product app --version 1.0)" 0
"$VIGIL" findings list --version 1.0 --json >"$T_DIR/f1.json"
check_eq "two findings on 1.0" "$(jq .total "$T_DIR/f1.json")" 2
check_eq "django 2.2.5 by the second pair" "$(jq -r '.findings[] | select(.purl=="pkg:pypi/django@2.2.5") | .evidence.matches[0].matched' "$T_DIR/f1.json")" "ECOSYSTEM introduced 2.2, fixed 2.2.9"
check_eq "filter by product" "$("$VIGIL" findings list --product app --json | jq .total)" 3
check_eq "unknown product: none" "$("$VIGIL" findings list --product nope --json | jq .total)" 0
check_eq "bad severity refused" "$(run_cmd "$VIGIL" findings list --severity huge)" 2

# KEV marks the finding exploited.
cat >"$T_DIR/kev.json" <<'JSON'
{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2026.01.01","count":2,
 "vulnerabilities":[
 {"cveID":"CVE-2022-39272","vendorProject":"Flux","product":"helm-controller","vulnerabilityName":"test entry","dateAdded":"2026-01-02","shortDescription":"x","requiredAction":"Apply updates","dueDate":"2026-01-23","knownRansomwareCampaignUse":"Unknown","notes":""},
 {"cveID":"bogus","dateAdded":"2026-01-02"}]}
JSON
check_eq "feed import kev" "$(run_cmd "$VIGIL" feed import kev "$T_DIR/kev.json" --json)" 0
check_eq "kev entry imported" "$(jq -r .imported "$T_DIR/out")" 1
check_eq "bad kev entry skipped" "$(jq -r .skipped "$T_DIR/out")" 1
check_contains "skip named" "$(cat "$T_DIR/err")" "kev.json: /vulnerabilities/1"
check_eq "one exploited" "$(jq -r .exploited "$T_DIR/out")" 1
check_eq "--kev lists it" "$("$VIGIL" findings list --kev --json | jq -r '.findings[0].vuln_id')" "CVE-2022-39272"
check_eq "kev import audited" "$("$VIGIL" audit log --json | jq '[.[] | select(.action=="feed.import" and .object_id=="kev")] | length')" 1
check_eq "kev re-import changes nothing" "$("$VIGIL" feed import kev "$T_DIR/kev.json" --json 2>/dev/null | jq -r '"\(.imported) \(.exploited)"')" "0 0"

# Re-import is idempotent.
check_eq "re-import" "$(run_cmd "$VIGIL" feed import osv "$OSV/go-vulndb/GO-2022-1071.json" --json)" 0
check_eq "unchanged" "$(jq -r '"\(.imported) \(.updated) \(.unchanged) \(.findings_new)"' "$T_DIR/out")" "0 0 1 0"
check_eq "same findings" "$("$VIGIL" findings list --json | jq .total)" 3

# Alias joining: a GHSA record naming the same CVE joins the vulnerability.
jq '.id="GHSA-f4p5-x4vc-mh4v" | .aliases=["CVE-2022-39272"] | .modified="2026-01-01T00:00:00Z" | .severity=[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"}]' \
	"$OSV/go-vulndb/GO-2022-1071.json" >"$T_DIR/ghsa.json"
check_eq "import GHSA alias" "$(run_cmd "$VIGIL" feed import osv "$T_DIR/ghsa.json")" 0
check_eq "still one finding for the CVE" "$("$VIGIL" findings list --vuln CVE-2022-39272 --json | jq .total)" 1
check_eq "two advisories as evidence" "$("$VIGIL" findings list --vuln CVE-2022-39272 --json | jq '.findings[0].evidence.matches | length')" 2
check_eq "severity from the CVSS vector" "$("$VIGIL" findings list --severity critical --json | jq -r '.findings[0].vuln_id')" "CVE-2022-39272"
check_eq "vuln show by alias" "$("$VIGIL" vuln show GO-2022-1071 | jq -r '"\(.id) \(.exploited) \(.advisories|length)"')" "CVE-2022-39272 true 2"

# Withdrawn: both advisories withdrawn -> the finding is retracted.
jq '.modified="2026-02-01T00:00:00Z" | .withdrawn="2026-02-01T00:00:00Z"' "$OSV/go-vulndb/GO-2022-1071.json" >"$T_DIR/w1.json"
jq '.modified="2026-02-01T00:00:00Z" | .withdrawn="2026-02-01T00:00:00Z"' "$T_DIR/ghsa.json" >"$T_DIR/w2.json"
check_eq "withdraw one" "$(run_cmd "$VIGIL" feed import osv "$T_DIR/w1.json" --json)" 0
check_eq "finding stays while one advisory holds" "$("$VIGIL" findings list --vuln CVE-2022-39272 --json | jq .total)" 1
check_eq "withdraw the other" "$(run_cmd "$VIGIL" feed import osv "$T_DIR/w2.json" --json)" 0
check_eq "counted withdrawn, retracted" "$(jq -r '"\(.updated) \(.withdrawn) \(.findings_retracted)"' "$T_DIR/out")" "1 1 1"
check_eq "finding gone from the list" "$("$VIGIL" findings list --vuln CVE-2022-39272 --json | jq .total)" 0
check_eq "still visible with --all" "$("$VIGIL" findings list --vuln CVE-2022-39272 --all --json | jq -r '.findings[0].retracted_at != null')" "true"

# Malformed records are skipped and named; the rest imports.
mkdir -p "$T_DIR/feed"
cp "$OSV/go-vulndb/GO-2022-0646.json" "$T_DIR/feed/a.json"
echo '{"id":"BROKEN-1","modified":"2026-01-01T00:00:00Z","affected":[{"ranges":[{"type":"SEMVER"}]}]}' >"$T_DIR/feed/b.json"
printf 'id: [unclosed\n' >"$T_DIR/feed/c.yaml"
(cd "$T_DIR/feed" && zip -q ../feed.zip a.json b.json c.yaml) 2>/dev/null || python3 -c "
import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); [z.write(sys.argv[2]+'/'+n, n) for n in ('a.json','b.json','c.yaml')]" "$T_DIR/feed.zip" "$T_DIR/feed"
check_eq "folder import" "$(run_cmd "$VIGIL" feed import osv "$T_DIR/feed" --json)" 0
check_eq "1 imported, 2 skipped" "$(jq -r '"\(.imported) \(.skipped)"' "$T_DIR/out")" "1 2"
check_contains "skip names file and id" "$(cat "$T_DIR/err")" "b.json: BROKEN-1: /affected/0/ranges/0"
check_contains "yaml skip names line" "$(cat "$T_DIR/err")" "c.yaml: line"
check_eq "zip import" "$(run_cmd "$VIGIL" feed import osv "$T_DIR/feed.zip" --json)" 0
check_eq "zip: record unchanged, 2 skipped" "$(jq -r '"\(.unchanged) \(.skipped)"' "$T_DIR/out")" "1 2"
check_eq "missing path" "$(run_cmd "$VIGIL" feed import osv "$T_DIR/nope")" 1
check_eq "unknown kind is usage" "$(run_cmd "$VIGIL" feed import nvdx x)" 2

# vuln match on a real SBOM against the shared OSV data (nothing stored).
check_eq "vuln match --osv" "$(run_cmd "$VIGIL" vuln match --osv "$OSV/go-vulndb" "$FLUX" --json)" 0
check_eq "aws-sdk-go hit with its fix" "$(jq -r '[.hits[] | select(.purl=="pkg:golang/github.com/aws/aws-sdk-go@v1.15.78" and .vuln_id=="CVE-2022-2582")][0].fixed' "$T_DIR/out")" "1.34.0"
check_eq "helm-controller hit" "$(jq -r '[.hits[] | select(.advisory=="GO-2022-1071")] | length > 0' "$T_DIR/out")" "true"
check_eq "hit carries aliases and range" "$(jq -r '[.hits[] | select(.advisory=="GO-2022-1071")][0] | "\(.aliases|index("GHSA-f4p5-x4vc-mh4v") != null) \(.matched)"' "$T_DIR/out")" "true SEMVER introduced 0, fixed 0.26.0"
check_eq "every flux component has a purl" "$(jq -r .components_unmatchable "$T_DIR/out")" 0
check_eq "nothing stored by match" "$("$VIGIL" findings list --all --json | jq .total)" 3
check_eq "vuln match from the database" "$(run_cmd "$VIGIL" vuln match "$T_DIR/old.json")" 0
check_contains "human output" "$(cat "$T_DIR/out")" "pkg:pypi/django@2.2.5  CVE-2019-19844 (PYSEC-2019-16)"

# The API.
ADM=$(admin_token)
start_server
check_eq "GET findings" "$(http GET "/api/v1/findings?product=app&version=1.0&limit=1" -H "Authorization: Bearer $ADM")" 200
check_eq "paged" "$(body | jq -r '"\(.total) \(.findings|length) \(.limit)"')" "2 1 1"
check_eq "offset" "$(http GET "/api/v1/findings?product=app&version=1.0&limit=1&offset=1" -H "Authorization: Bearer $ADM")" 200
check_eq "second page" "$(body | jq '.findings|length')" 1
check_eq "bad limit" "$(http GET "/api/v1/findings?limit=x" -H "Authorization: Bearer $ADM")" 400
check_eq "kev filter" "$(http GET "/api/v1/findings?kev=true&retracted=true" -H "Authorization: Bearer $ADM")" 200
check_eq "kev finding (retracted)" "$(body | jq -r '.findings[0].vuln_id')" "CVE-2022-39272"
check_eq "GET vulnerability by alias" "$(http GET /api/v1/vulnerabilities/PYSEC-2019-16 -H "Authorization: Bearer $ADM")" 200
check_eq "vulnerability id" "$(body | jq -r .id)" "CVE-2019-19844"
check_eq "affected product versions" "$(body | jq -r '.affected_product_versions[0].version')" "1.0"
check_eq "unknown vulnerability" "$(http GET /api/v1/vulnerabilities/CVE-1999-0000 -H "Authorization: Bearer $ADM")" 404
check_eq "anonymous refused" "$(http GET /api/v1/findings)" 401

# Web pages.
check_eq "findings page" "$(http GET "/ui/findings?product=app&version=1.0" -H "Authorization: Bearer $ADM")" 200
check_contains "django finding listed" "$(body)" "<code class=\"purl\">pkg:pypi/django@2.2.5</code>"
DJ=$(curl -s -H "Authorization: Bearer $ADM" "$BASE/api/v1/findings?product=app&version=1.0&limit=1000" | jq -r '[.findings[] | select(.purl=="pkg:pypi/django@2.2.5")][0].id')
check_eq "django finding page" "$(http GET "/ui/findings/$DJ" -H "Authorization: Bearer $ADM")" 200
check_contains "matched range shown" "$(body)" "ECOSYSTEM introduced 2.2, fixed 2.2.9"
check_eq "vulnerability page by alias" "$(http GET /ui/vulnerabilities/GO-2022-1071 -H "Authorization: Bearer $ADM")" 200
check_contains "aliases shown" "$(body)" "GHSA-f4p5-x4vc-mh4v"
check_contains "KEV shown" "$(body)" "CISA KEV since 2026-01-02"
check_contains "ranges shown" "$(body)" "SEMVER: introduced 0 fixed 0.26.0"
check_contains "withdrawn advisory marked" "$(body)" "(withdrawn)"
check_eq "unknown vulnerability page" "$(http GET /ui/vulnerabilities/NOPE-1 -H "Authorization: Bearer $ADM")" 404
stop_server
finish
