#!/bin/sh
# NVD and CSAF feeds: import with aliases joined, severity from CVSS,
# idempotence, Rejected retracts; CPE-only components matched by NVD
# configurations (AND with a platform, version bounds, NA criteria), a
# component with a purl never CPE-matched; CSAF known_affected -> finding,
# fixed / known_not_affected -> none; `feed sync` from a local HTTP server
# with ETag / If-Modified-Since and NVD lastModStartDate.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
NVD="$VIGIL_SHARED_DATA/vuln/nvd"
OSV="$VIGIL_SHARED_DATA/vuln/osv"
ESP="$NVD/osv.dev-vulnfeeds/nvdcve-2.0/CVE-2020-13595.json"   # esp-idf 4.0.0-4.2 AND on esp32
NOXEN="$NVD/osv.dev-vulnfeeds/nvdcve-2.0/CVE-2022-2956.json"  # criteria version "-"
BLEVE="$NVD/dependency-track-fixtures/CVE-2022-31022-all-versions-vulnerable.json"

# ---- NVD import ----
check_eq "import the shared NVD folder" "$(run_cmd "$VIGIL" feed import nvd "$NVD" --json)" 0
check_eq "records imported" "$(jq -r '.imported > 400' "$T_DIR/out")" true
check_eq "non-NVD files skipped" "$(jq -r '.skipped > 0' "$T_DIR/out")" true
check_contains "skip names the file" "$(cat "$T_DIR/err")" "cvss-v3.1.json: /: expected an NVD CVE API 2.0 page"
check_eq "Rejected records withdrawn" "$(jq -r '.withdrawn > 0' "$T_DIR/out")" true
imported=$(jq -r .imported "$T_DIR/out")
check_eq "re-import is idempotent" "$(run_cmd "$VIGIL" feed import nvd "$NVD" --json)" 0
check_eq "nothing new" "$(jq -r '"\(.imported) \(.updated) \(.unchanged > 0)"' "$T_DIR/out")" "0 0 true"
check_eq "vuln show NVD record" "$(run_cmd "$VIGIL" vuln show CVE-2020-13595)" 0
sev=$(jq -r '[.vulnerabilities[0].cve.metrics.cvssMetricV31[]? | select(.type=="Primary") | .cvssData.baseSeverity][0] | ascii_downcase' "$ESP")
check_eq "severity from NVD CVSS" "$(jq -r .severity "$T_DIR/out")" "$sev"
check_eq "advisory source nvd" "$(jq -r '.advisories[0].source' "$T_DIR/out")" nvd

# A malformed record in a page is skipped with file and id; the rest imports.
jq '.vulnerabilities[0].cve.id = "CVE-2099-0001" | .vulnerabilities[0].cve.lastModified = "2099-01-01T00:00:00.000"
    | .vulnerabilities += [{"cve": {"id": "CVE-2099-0002", "lastModified": "yesterday", "published": "x"}}]' "$ESP" >"$T_DIR/page.json"
check_eq "page with a bad record" "$(run_cmd "$VIGIL" feed import nvd "$T_DIR/page.json" --json)" 0
check_eq "one imported, one skipped" "$(jq -r '"\(.imported) \(.skipped)"' "$T_DIR/out")" "1 1"
check_contains "skip names file and record" "$(cat "$T_DIR/err")" "page.json: CVE-2099-0002"

# ---- CPE-only components ----
cat >"$T_DIR/fw.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"device","name":"esp32","version":"-","cpe":"cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*"},
 {"type":"framework","name":"esp-idf","version":"4.1","cpe":"cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*"},
 {"type":"application","name":"noxen","version":"1.0","cpe":"cpe:2.3:a:noxen_project:noxen:1.0:*:*:*:*:*:*:*"},
 {"type":"library","name":"bleve","version":"2.3.2","purl":"pkg:golang/github.com/blevesearch/bleve/v2@v2.3.2","cpe":"cpe:2.3:a:couchbase:bleve:2.3.2:*:*:*:*:*:*:*"},
 {"type":"library","name":"noxen2","version":"-","cpe":"cpe:2.3:a:noxen_project:noxen:-:*:*:*:*:*:*:*"}]}
JSON
cat >"$T_DIR/noplat.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"framework","name":"esp-idf","version":"4.1","cpe":"cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*"}]}
JSON
cat >"$T_DIR/newer.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"device","name":"esp32","version":"-","cpe":"cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*"},
 {"type":"framework","name":"esp-idf","version":"4.3","cpe":"cpe:2.3:a:espressif:esp-idf:4.3:*:*:*:*:*:*:*"}]}
JSON
check_eq "product" "$(run_cmd "$VIGIL" product create fw)" 0
check_eq "SBOM after the feed" "$(run_cmd "$VIGIL" sbom import "$T_DIR/fw.json" --product fw --version 1)" 0
"$VIGIL" findings list --product fw --version 1 --json >"$T_DIR/f.json"
check_eq "esp-idf 4.1 on esp32: AND with platform holds" "$(jq -r '[.findings[] | select(.vuln_id=="CVE-2020-13595")][0].purl' "$T_DIR/f.json")" "cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*"
check_contains "evidence names criteria and range" "$(jq -r '[.findings[] | select(.vuln_id=="CVE-2020-13595")][0].evidence.matches[0].matched' "$T_DIR/f.json")" "cpe:2.3:a:espressif:esp-idf:*"
check_eq "the platform itself is not flagged" "$(jq '[.findings[] | select(.purl | startswith("cpe:2.3:h:espressif"))] | length' "$T_DIR/f.json")" 0
check_eq "criteria version '-' does not match 1.0 (DependencyTrack#3268)" "$(jq '[.findings[] | select(.purl=="cpe:2.3:a:noxen_project:noxen:1.0:*:*:*:*:*:*:*")] | length' "$T_DIR/f.json")" 0
check_eq "criteria version '-' matches '-'" "$(jq -r '[.findings[] | select(.vuln_id=="CVE-2022-2956")][0].purl' "$T_DIR/f.json")" "cpe:2.3:a:noxen_project:noxen:-:*:*:*:*:*:*:*"
check_eq "a component with a purl is never CPE-matched (grype#580)" "$(jq '[.findings[] | select(.vuln_id=="CVE-2022-31022")] | length' "$T_DIR/f.json")" 0
check_eq "SBOM without the platform" "$(run_cmd "$VIGIL" sbom import "$T_DIR/noplat.json" --product fw --version 2)" 0
check_eq "AND without the platform: no finding (CVE-2016-5425 class)" "$("$VIGIL" findings list --product fw --version 2 --json | jq .total)" 0
check_eq "esp-idf 4.3 outside the bounds" "$(run_cmd "$VIGIL" sbom import "$T_DIR/newer.json" --product fw --version 3)" 0
check_eq "version bound: no finding" "$("$VIGIL" findings list --product fw --version 3 --json | jq .total)" 0

# vuln match (nothing stored) takes the same path for CPE-only components.
check_eq "vuln match a CPE-only SBOM" "$(run_cmd "$VIGIL" vuln match "$T_DIR/fw.json" --json)" 0
check_eq "esp-idf hit by CPE" "$(jq -r '[.hits[] | select(.vuln_id=="CVE-2020-13595")][0].cpe' "$T_DIR/out")" "cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*"
check_eq "CPE-only components counted" "$(jq -r .components_cpe_only "$T_DIR/out")" 4
check_eq "no CPE hit for the purl component" "$(jq '[.hits[] | select(.vuln_id=="CVE-2022-31022")] | length' "$T_DIR/out")" 0
check_eq "no hit without the platform" "$("$VIGIL" vuln match "$T_DIR/noplat.json" --json | jq '.hits | length')" 0

# New NVD record after the SBOM: findings without another command.
jq '.vulnerabilities[0].cve.id = "CVE-2099-1000" | .vulnerabilities[0].cve.lastModified = "2099-01-02T00:00:00.000"' "$ESP" >"$T_DIR/new.json"
check_eq "new NVD record" "$(run_cmd "$VIGIL" feed import nvd "$T_DIR/new.json" --json)" 0
check_eq "it flags the firmware at once" "$(jq -r .findings_new "$T_DIR/out")" 1
# Rejected retracts.
jq '.vulnerabilities[0].cve.vulnStatus = "Rejected" | .vulnerabilities[0].cve.lastModified = "2099-02-01T00:00:00.000"' "$T_DIR/new.json" >"$T_DIR/rej.json"
check_eq "rejected" "$(run_cmd "$VIGIL" feed import nvd "$T_DIR/rej.json" --json)" 0
check_eq "withdrawn, finding retracted" "$(jq -r '"\(.updated) \(.withdrawn) \(.findings_retracted)"' "$T_DIR/out")" "1 1 1"
check_eq "older copy does not win" "$(run_cmd "$VIGIL" feed import nvd "$T_DIR/new.json" --json)" 0
check_eq "unchanged" "$(jq -r '"\(.unchanged) \(.findings_new)"' "$T_DIR/out")" "1 0"

# Aliases: an OSV record naming a CVE joins the NVD record of it.
jq '.cve.id = "CVE-2022-39272" | .cve.lastModified = "2022-10-30T00:00:00.000"' "$BLEVE" >"$T_DIR/nvd-flux.json"
check_eq "NVD record of the CVE" "$(run_cmd "$VIGIL" feed import nvd "$T_DIR/nvd-flux.json")" 0
check_eq "OSV record with that alias" "$(run_cmd "$VIGIL" feed import osv "$OSV/go-vulndb/GO-2022-1071.json")" 0
check_eq "one vulnerability, both advisories" "$("$VIGIL" vuln show GO-2022-1071 | jq -r '"\(.id) \([.advisories[].source] | sort | join(","))"')" "CVE-2022-39272 nvd,osv"

# ---- CSAF ----
csaf() { # csaf FILE DATE AFFECTED FIXED
	cat >"$1" <<JSON
{"document":{"category":"csaf_security_advisory","csaf_version":"2.0","title":"acme-lib flaw",
 "publisher":{"category":"vendor","name":"ACME","namespace":"https://acme.example"},
 "tracking":{"id":"ACME-2026-001","status":"final","version":"1","initial_release_date":"2026-01-01T00:00:00Z",
  "current_release_date":"$2","revision_history":[{"date":"$2","number":"1","summary":"x"}]}},
 "product_tree":{"branches":[{"category":"vendor","name":"ACME","branches":[{"category":"product_name","name":"acme-lib","branches":[
  {"category":"product_version","name":"1.0.0","product":{"product_id":"P100","name":"acme-lib 1.0.0","product_identification_helper":{"purl":"pkg:npm/acme-lib@1.0.0"}}},
  {"category":"product_version","name":"1.0.1","product":{"product_id":"P101","name":"acme-lib 1.0.1","product_identification_helper":{"purl":"pkg:npm/acme-lib@1.0.1"}}},
  {"category":"product_version","name":"2.0.0","product":{"product_id":"P200","name":"other 2.0.0","product_identification_helper":{"purl":"pkg:npm/other@2.0.0"}}},
  {"category":"product_version","name":"3.0","product":{"product_id":"PCPE","name":"appliance 3.0","product_identification_helper":{"cpe":"cpe:2.3:a:acme:appliance:3.0:*:*:*:*:*:*:*"}}}]}]}]},
 "vulnerabilities":[{"cve":"CVE-2022-31022","title":"acme-lib injection",
  "product_status":{"known_affected":[$3],"fixed":[$4],"known_not_affected":["P200"]},
  "scores":[{"products":["P100"],"cvss_v3":{"version":"3.1","vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","baseScore":9.8,"baseSeverity":"CRITICAL"}}]}]}
JSON
}
csaf "$T_DIR/acme1.json" 2026-01-01T00:00:00Z '"P100","PCPE"' '"P101"'
csaf "$T_DIR/acme2.json" 2026-02-01T00:00:00Z '"PCPE"' '"P100","P101"'
cat >"$T_DIR/js.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"library","name":"acme-lib","version":"1.0.0","purl":"pkg:npm/acme-lib@1.0.0"},
 {"type":"library","name":"other","version":"2.0.0","purl":"pkg:npm/other@2.0.0"}]}
JSON
cat >"$T_DIR/js2.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
 {"type":"library","name":"acme-lib","version":"1.0.1","purl":"pkg:npm/acme-lib@1.0.1"}]}
JSON
check_eq "product js" "$(run_cmd "$VIGIL" product create js)" 0
check_eq "SBOM 1.0.0" "$(run_cmd "$VIGIL" sbom import "$T_DIR/js.json" --product js --version 1)" 0
check_eq "SBOM 1.0.1" "$(run_cmd "$VIGIL" sbom import "$T_DIR/js2.json" --product js --version 2)" 0
check_eq "feed import csaf" "$(run_cmd "$VIGIL" feed import csaf "$T_DIR/acme1.json" --json)" 0
check_eq "one advisory, one finding" "$(jq -r '"\(.imported) \(.findings_new)"' "$T_DIR/out")" "1 1"
check_contains "CPE-only product reported, not guessed" "$(cat "$T_DIR/err")" "1 affected product(s) without a purl"
"$VIGIL" findings list --product js --json >"$T_DIR/f.json"
check_eq "known_affected 1.0.0 -> finding" "$(jq -r '[.findings[] | select(.vuln_id=="CVE-2022-31022")][0].purl' "$T_DIR/f.json")" "pkg:npm/acme-lib@1.0.0"
check_eq "fixed 1.0.1 and known_not_affected: none" "$(jq .total "$T_DIR/f.json")" 1
check_eq "severity from the CSAF score" "$(jq -r '.findings[0].severity' "$T_DIR/f.json")" critical
check_eq "CSAF joins the NVD record of the CVE" "$("$VIGIL" vuln show CVE-2022-31022 | jq -r '[.advisories[].source] | sort | join(",")')" "csaf,nvd"
check_eq "csaf re-import idempotent" "$(run_cmd "$VIGIL" feed import csaf "$T_DIR/acme1.json" --json)" 0
check_eq "unchanged" "$(jq -r '"\(.imported) \(.unchanged)"' "$T_DIR/out")" "0 1"
check_eq "revision 2: 1.0.0 now fixed" "$(run_cmd "$VIGIL" feed import csaf "$T_DIR/acme2.json" --json)" 0
check_eq "updated, finding retracted" "$(jq -r '"\(.updated) \(.findings_retracted)"' "$T_DIR/out")" "1 1"
check_eq "the OASIS examples import" "$(run_cmd "$VIGIL" feed import csaf "$VIGIL_SHARED_DATA/csaf/csaf_2.0/examples/csaf" --json)" 0
check_eq "examples: records imported" "$(jq -r '.imported > 10' "$T_DIR/out")" true
echo '{"document":{}}' >"$T_DIR/bad-csaf.json"
check_eq "a broken CSAF document is skipped" "$(run_cmd "$VIGIL" feed import csaf "$T_DIR/bad-csaf.json" --json)" 0
check_eq "counted" "$(jq -r .skipped "$T_DIR/out")" 1
check_contains "named" "$(cat "$T_DIR/err")" "bad-csaf.json: /document"

# ---- feed sync ----
mkdir -p "$T_DIR/www"
cp "$ESP" "$T_DIR/www/nvd.json"
cp "$T_DIR/acme1.json" "$T_DIR/www/csaf.json"
printf '{"title":"kev","vulnerabilities":[{"cveID":"CVE-2020-13595","vendorProject":"Espressif","product":"esp-idf","vulnerabilityName":"x","dateAdded":"2026-01-02","shortDescription":"x","requiredAction":"x","dueDate":"2026-01-23","knownRansomwareCampaignUse":"Unknown"}]}' >"$T_DIR/www/kev.json"
cat >"$T_DIR/serve.py" <<'PY'
import hashlib, http.server, json, os, sys
root, log, portfile = sys.argv[1], sys.argv[2], sys.argv[3]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0].lstrip("/")
        with open(log, "a") as f:
            f.write(json.dumps({"path": self.path, "inm": self.headers.get("If-None-Match"),
                                "ims": self.headers.get("If-Modified-Since")}) + "\n")
        try:
            data = open(os.path.join(root, path), "rb").read()
        except OSError:
            self.send_response(404); self.end_headers(); return
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304); self.send_header("ETag", etag); self.end_headers(); return
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(portfile + ".tmp", "w").write(str(s.server_address[1]))
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
PY
python3 "$T_DIR/serve.py" "$T_DIR/www" "$T_DIR/req.log" "$T_DIR/port" &
PY_PID=$!
i=0
while [ ! -s "$T_DIR/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$T_DIR/port")
U="http://127.0.0.1:$PORT"
printf '[feeds]\nnvd_url = %s/nvd.json\ncsaf_url = %s/csaf.json\nkev_url = %s/kev.json\n' "$U" "$U" "$U" >"$T_DIR/feeds.ini"
check_eq "sync without configuration fails" "$(run_cmd "$VIGIL" feed sync)" 1
check_eq "first sync" "$(VIGIL_CONFIG="$T_DIR/feeds.ini" run_cmd "$VIGIL" feed sync --json)" 0
check_eq "three fetched" "$(jq -r '"\(.fetched) \(.not_modified)"' "$T_DIR/out")" "3 0"
check_eq "no validators the first time" "$(jq -s '[.[] | select(.inm != null or .ims != null)] | length' "$T_DIR/req.log")" 0
: >"$T_DIR/req.log"
check_eq "second sync" "$(VIGIL_CONFIG="$T_DIR/feeds.ini" run_cmd "$VIGIL" feed sync --json)" 0
check_eq "all not modified, nothing imported" "$(jq -r '"\(.fetched) \(.not_modified) \(.imported) \(.updated)"' "$T_DIR/out")" "0 3 0 0"
check_eq "If-None-Match sent" "$(jq -s '[.[] | select(.inm != null)] | length' "$T_DIR/req.log")" 3
check_eq "If-Modified-Since sent" "$(jq -rs '[.[] | .ims] | unique | join(",")' "$T_DIR/req.log")" "Thu, 01 Jan 2026 00:00:00 GMT"
check_contains "NVD asked for the modified window" "$(jq -rs '.[] | select(.path | startswith("/nvd.json")) | .path' "$T_DIR/req.log")" "lastModStartDate="
check_contains "with its end" "$(jq -rs '.[] | select(.path | startswith("/nvd.json")) | .path' "$T_DIR/req.log")" "&lastModEndDate="
# A changed feed is fetched again and imported.
jq '.vulnerabilities[0].cve.lastModified = "2099-03-01T00:00:00.000"' "$ESP" >"$T_DIR/www/nvd.json"
check_eq "third sync after a change" "$(VIGIL_CONFIG="$T_DIR/feeds.ini" run_cmd "$VIGIL" feed sync --json)" 0
check_eq "one fetched, one updated" "$(jq -r '"\(.fetched) \(.not_modified) \(.updated)"' "$T_DIR/out")" "1 2 1"
check_eq "bookkeeping per URL" "$(db_sql "SELECT COUNT(*) FROM feed_sync WHERE etag IS NOT NULL AND cursor > 0")" 3
rm "$T_DIR/www/kev.json"
check_eq "a failing URL fails the sync" "$(VIGIL_CONFIG="$T_DIR/feeds.ini" run_cmd "$VIGIL" feed sync)" 1
check_contains "and is named" "$(cat "$T_DIR/err")" "kev.json: HTTP status 404"
kill "$PY_PID" 2>/dev/null
wait "$PY_PID" 2>/dev/null
finish
