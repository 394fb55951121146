#!/bin/sh
# CSAF advisories from the PSIRT case (issue 22 items 1, 2, 4): `advisory
# draft` builds a csaf_security_advisory from the case, the SBOM, findings
# and triage decisions, KEV and the release that fixes it; every document
# drafted and published passes @secvisogram/csaf-validator-lib (schema,
# mandatory tests; recommended warnings listed); edits keep revisions and
# refuse what breaks the document or touches vigil's tracking, storing
# nothing; four-eyes approval; publication needs approval, the user notice
# of an exploited case, and goes through the provider in one audited
# transaction recorded on the case's timeline; updates bump the version and
# the revision history; withdrawal keeps it published; the API and the
# public pages.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
# the provider signs what it publishes (OpenPGP, GNUPGHOME)
GNUPGHOME="$T_DIR/gnupg"
export GNUPGHOME
mkdir -m 700 "$GNUPGHOME"
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1; t_cleanup' EXIT
gpg --batch --pinentry-mode loopback --passphrase '' \
	--quick-gen-key 'vigil test PSIRT <psirt@example.com>' ed25519 sign 2y >/dev/null 2>&1 ||
	{ echo "gpg key generation failed"; exit 1; }
fresh_db
export VIGIL_UPDATE_ARTIFACT_STORE=db
NODE_TESTS="$VIGIL_SOURCE_DIR/tests"
HAVE_VALIDATOR=0
if [ -d "$NODE_TESTS/node_modules/@secvisogram/csaf-validator-lib" ] && command -v node >/dev/null; then
	HAVE_VALIDATOR=1
else
	echo "# SKIP the CSAF validator checks: npm @secvisogram/csaf-validator-lib is not installed (scripts/deps.sh)"
fi
# validate NAME FILE: FILE is kept to be checked by validate_all (one node
# run for every document: the library loads slowly)
VAL_N=0
validate() {
	VAL_N=$((VAL_N + 1))
	cp "$2" "$T_DIR/val-$VAL_N.json"
	printf '%s\n' "$1" >>"$T_DIR/val-names"
}
# validate_all: the BSI library accepts every kept document (schema and
# mandatory tests); its recommended-test warnings are listed
validate_all() {
	[ "$HAVE_VALIDATOR" = 1 ] && [ "$VAL_N" -gt 0 ] || return 0
	i=0
	set --
	while [ $i -lt "$VAL_N" ]; do
		i=$((i + 1))
		set -- "$@" "$T_DIR/val-$i.json"
	done
	(cd "$NODE_TESTS" && node tools/validate-csaf-advisory.mjs "$@") >"$T_DIR/val.json"
	if [ "$VAL_N" = 1 ]; then
		jq '[.]' "$T_DIR/val.json" >"$T_DIR/val1.json" && mv "$T_DIR/val1.json" "$T_DIR/val.json"
	fi
	i=0
	while IFS= read -r name; do
		check_eq "$name: valid CSAF 2.0 (schema + mandatory tests)" "$(jq -r ".[$i].valid" "$T_DIR/val.json")" true
		jq -r ".[$i].errors[] | \"    error \" + .test + \" \" + .path + \": \" + .message" "$T_DIR/val.json"
		jq -r ".[$i].warnings[] | \"    # recommended \" + .test + \" \" + .path + \": \" + .message" "$T_DIR/val.json"
		i=$((i + 1))
	done <"$T_DIR/val-names"
}

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

VIGIL_PASSWORD=pw-alice-9300 "$VIGIL" user add alice --role psirt >/dev/null
VIGIL_PASSWORD=pw-bob-9300 "$VIGIL" user add bob --role psirt >/dev/null
VIGIL_PASSWORD=pw-aud-9300 "$VIGIL" user add aud --role auditor >/dev/null
export VIGIL_ACTOR=alice
export VIGIL_NOW=2026-11-02T08:00:00Z
"$VIGIL" product create router >/dev/null
"$VIGIL" sbom import "$T_DIR/fw.json" --product router --version 4.2.0 >/dev/null
"$VIGIL" sbom import "$T_DIR/fw.json" --product router --version 4.3.0 >/dev/null
"$VIGIL" sbom import "$T_DIR/fw.json" --product router --version 4.1.0 >/dev/null
"$VIGIL" feed import osv "$VIGIL_SHARED_DATA/vuln/osv/go-vulndb/GO-2022-1071.json" >/dev/null
F42=$(db_sql "SELECT f.id FROM findings f JOIN product_versions v ON v.id = f.version_id WHERE v.version = '4.2.0'")
"$VIGIL" findings triage "$F42" --state in_triage --comment look >/dev/null
"$VIGIL" findings triage "$F42" --state affected --comment 'reachable from the API' >/dev/null
# 4.1.0 never calls the vulnerable code: known not affected, with its VEX justification
F41=$(db_sql "SELECT f.id FROM findings f JOIN product_versions v ON v.id = f.version_id WHERE v.version = '4.1.0'")
"$VIGIL" findings triage "$F41" --state in_triage --comment look >/dev/null
"$VIGIL" findings triage "$F41" --state not_affected --justification vulnerable_code_not_in_execute_path --comment 'the API is not built in 4.1.0' >/dev/null
export VIGIL_NOW=2026-11-03T09:30:00Z
"$VIGIL" feed import kev "$T_DIR/kev.json" >/dev/null

"$VIGIL" case open --product router --version 4.2.0 --title 'Denial of service in the router API' --description 'helm-controller exploited' >/dev/null
"$VIGIL" case link 1 --cve CVE-2022-39272 >/dev/null
"$VIGIL" case link 1 --version 4.1.0 >/dev/null # in the advisory's scope: known not affected
"$VIGIL" case set 1 --credit 'Erin Example' >/dev/null
ok "case 1 exploited" "$VIGIL" case exploited 1 --aware-at 2026-11-03T09:00:00Z --evidence honeypot
EXP=$(db_sql "SELECT id FROM art14_exposures WHERE case_id = 1")

# the security release 4.3.0 through the gate
openssl ecparam -name prime256v1 -genkey -noout -out "$T_DIR/ci.key" 2>/dev/null
openssl pkey -in "$T_DIR/ci.key" -pubout -out "$T_DIR/ci.pub"
"$VIGIL" ci-key add ci "$T_DIR/ci.pub" >/dev/null
for n in root tg sn ts prod; do
	"$VIGIL" signer keygen "$n" --software "$T_DIR/$n.key" --algorithm ed25519 >/dev/null || exit 1
done
"$VIGIL" tuf init --root-signers root --root-threshold 1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts >/dev/null
"$VIGIL" tuf delegate --product router --signer prod >/dev/null
printf 'router firmware 4.3.0\n' >"$T_DIR/fw.img"
openssl dgst -sha256 -sign "$T_DIR/ci.key" -out "$T_DIR/fw.img.sig" "$T_DIR/fw.img"
REL=$("$VIGIL" release create --product router --version 4.3.0 --security --fixes CVE-2022-39272 --json | jq .id)
"$VIGIL" release upload "$REL" "$T_DIR/fw.img" --signature "$T_DIR/fw.img.sig" >/dev/null
export VIGIL_NOW=2026-11-05T12:00:00Z
ok "release 4.3.0 published" "$VIGIL" release publish "$REL"

# ---- item 1: the draft ----
export VIGIL_NOW=2026-11-06T10:00:00Z
ok "draft from the case" "$VIGIL" advisory draft 1 --json
"$VIGIL" advisory show 1 --csaf >"$T_DIR/d1.json"
check_eq "category" "$(jq -r .document.category "$T_DIR/d1.json")" csaf_security_advisory
check_eq "tracking id" "$(jq -r .document.tracking.id "$T_DIR/d1.json")" VIGIL-SA-2026-0001
check_eq "draft: status and version" "$(jq -r '.document.tracking | .status + " " + .version' "$T_DIR/d1.json")" "draft 0"
check_eq "product tree: vendor / product / version branches" "$(jq -r '[.product_tree.branches[0].branches[0] | .category, .name, (.branches | map(.name) | join(","))] | join(" ")' "$T_DIR/d1.json")" "product_name router 4.2.0,4.1.0,4.3.0"
check_contains "CPE helper of the version" "$(jq -c .product_tree.branches "$T_DIR/d1.json")" '"cpe":"cpe:2.3:a:*:router:4.2.0:'
check_contains "purl helper of the component" "$(jq -c .product_tree.full_product_names "$T_DIR/d1.json")" 'pkg:golang/github.com/fluxcd/helm-controller/api@v0.16.0'
check_eq "one vulnerability, by CVE" "$(jq -r '[.vulnerabilities[].cve] | join(",")' "$T_DIR/d1.json")" CVE-2022-39272
AFF=$(jq -r '.vulnerabilities[0].product_status.known_affected[0]' "$T_DIR/d1.json")
check_eq "known affected: the component in 4.2.0 (triage decision)" "$(jq -r --arg p "$AFF" '.product_tree.relationships[] | select(.full_product_name.product_id == $p) | .full_product_name.name' "$T_DIR/d1.json")" "api v0.16.0 as a component of router 4.2.0"
V43=$(jq -r '.product_tree.branches[0].branches[0].branches[] | select(.name == "4.3.0") | .product.product_id' "$T_DIR/d1.json")
NAFF=$(jq -r '.vulnerabilities[0].product_status.known_not_affected[0]' "$T_DIR/d1.json")
check_eq "known not affected: the component in 4.1.0 (triage decision)" "$(jq -r --arg p "$NAFF" '.product_tree.relationships[] | select(.full_product_name.product_id == $p) | .full_product_name.name' "$T_DIR/d1.json")" "api v0.16.0 as a component of router 4.1.0"
check_eq "... with its VEX justification as a flag" "$(jq -r --arg p "$NAFF" '[.vulnerabilities[0].flags[] | select(.product_ids | index($p)) | .label] | join(",")' "$T_DIR/d1.json")" "vulnerable_code_not_in_execute_path"
check_eq "fixed: router 4.3.0 (the published release)" "$(jq -r '.vulnerabilities[0].product_status.fixed | join(",")' "$T_DIR/d1.json")" "$V43"
check_contains "remediation: the release" "$(jq -c '.vulnerabilities[0].remediations' "$T_DIR/d1.json")" 'Update to router 4.3.0 (released 2026-11-05T12:00:00Z).'
check_contains "threat: KEV" "$(jq -c '.vulnerabilities[0].threats' "$T_DIR/d1.json")" '"category":"exploit_status"'
check_contains "CVE reference" "$(jq -c '.vulnerabilities[0].references' "$T_DIR/d1.json")" 'https://www.cve.org/CVERecord?id=CVE-2022-39272'
check_eq "no acknowledgment without the reporter's consent" "$(jq -r '.document.acknowledgments // "none"' "$T_DIR/d1.json")" none
check_contains "self reference at the provider's path" "$(jq -c '.document.references' "$T_DIR/d1.json")" '/.well-known/csaf/white/2026/vigil-sa-2026-0001.json'
validate "the draft" "$T_DIR/d1.json"

# edits: revisions kept; refusals store nothing
ok "edit the title" "$VIGIL" advisory edit 1 --set '/document/title=Router API denial of service' --set 'vulnerabilities.0.title="Flux controllers crash"'
check_eq "revision 2" "$("$VIGIL" advisory show 1 --json | jq -r '.revision, .document.document.title, .document.vulnerabilities[0].title' | tr '\n' '|')" "2|Router API denial of service|Flux controllers crash|"
check_eq "tracking is vigil's" "$(run_cmd "$VIGIL" advisory edit 1 --set /document/tracking/version=7)" 1
check_contains "... named" "$(cat "$T_DIR/err")" "/document/tracking is maintained by vigil"
check_eq "a path through a value refused" "$(run_cmd "$VIGIL" advisory edit 1 --set /document/title/x=1)" 1
printf '{"not":"csaf"}' >"$T_DIR/broken.json"
check_eq "a file that is no CSAF document refused" "$(run_cmd "$VIGIL" advisory edit 1 --file "$T_DIR/broken.json")" 1
check_contains "... naming /document" "$(cat "$T_DIR/err")" "/document"
check_eq "--set without = is a usage error" "$(run_cmd "$VIGIL" advisory edit 1 --set nothing)" 2
check_eq "nothing stored by the refusals" "$(db_sql "SELECT COUNT(*) FROM csaf_advisory_revisions")" 2
# the bad input of the issue, refused by the CSAF checks (csaf_check.h) with path and test
jq '.vulnerabilities[0].product_status.known_affected += ["CSAFPID-9999"]' "$T_DIR/d1.json" >"$T_DIR/probe.json"
if "$VIGIL" advisory check "$T_DIR/probe.json" >/dev/null 2>&1; then
	echo "# SKIP the per-test refusals: csaf_check is still the placeholder (helper provider's checker lands at merge)"
else
	check_eq "unknown product id refused" "$(run_cmd "$VIGIL" advisory edit 1 --set '/vulnerabilities/0/product_status/known_affected/-=CSAFPID-9999')" 1
	check_contains "... with path and test 6.1.1" "$(cat "$T_DIR/err")" "test 6.1.1"
	check_eq "bad CVSS vector refused" "$(run_cmd "$VIGIL" advisory edit 1 --set "/vulnerabilities/0/scores=[{\"products\":[\"$AFF\"],\"cvss_v3\":{\"version\":\"3.1\",\"vectorString\":\"CVSS:3.1/AV:X\",\"baseScore\":9.8,\"baseSeverity\":\"CRITICAL\"}}]")" 1
	check_contains "... naming the path" "$(cat "$T_DIR/err")" "/vulnerabilities/0/scores"
	check_eq "bad date refused" "$(run_cmd "$VIGIL" advisory edit 1 --set '/vulnerabilities/0/discovery_date=06/11/2026')" 1
	check_contains "... naming the path" "$(cat "$T_DIR/err")" "/vulnerabilities/0/discovery_date"
	check_eq "nothing stored" "$(db_sql "SELECT COUNT(*) FROM csaf_advisory_revisions")" 2
fi

# ---- item 2: review and publish ----
check_eq "publish before approval refused" "$(run_cmd "$VIGIL" advisory publish 1)" 1
check_contains "... saying so" "$(cat "$T_DIR/err")" "published once approved"
check_eq "four-eyes: the author cannot approve" "$(run_cmd "$VIGIL" advisory approve 1)" 1
check_contains "... saying so" "$(cat "$T_DIR/err")" "four-eyes"
check_eq "another person approves" "$(VIGIL_ACTOR=bob run_cmd "$VIGIL" advisory approve 1)" 0
check_eq "... once" "$(VIGIL_ACTOR=bob run_cmd "$VIGIL" advisory approve 1)" 1
# item 4: the case is actively exploited: its user notice goes out with the advisory
check_eq "publish refused: the user notice is not ready" "$(VIGIL_ACTOR=bob run_cmd "$VIGIL" advisory publish 1)" 1
check_contains "... naming its fields" "$(cat "$T_DIR/err")" "user_measures"
check_eq "nothing published" "$(db_sql "SELECT csaf_version FROM csaf_advisories WHERE id = 1")" 0
"$VIGIL" art14 edit "$EXP" --stage final --set 'summary=A crafted request stops the router API.' 'severity_impact=The router stops answering until restarted.' 'user_measures=Update to 4.3.0; until then block the API port.' >/dev/null
check_eq "the notice is ready" "$(VIGIL_ACTOR=bob run_cmd "$VIGIL" advisory publish 1)" 0
"$VIGIL" advisory show 1 --json >"$T_DIR/s1.json"
check_eq "published: state, version, path" "$(jq -r '[.state, .csaf_version, .csaf_path] | join(" ")' "$T_DIR/s1.json")" "published 1 /.well-known/csaf/white/2026/vigil-sa-2026-0001.json"
# the technical file of the product carries the published document (issue 23 item 4)
check_eq "techfile export with the advisory" "$(run_cmd "$VIGIL" techfile export --product router -o "$T_DIR/tf.tar.zst")" 0
check_contains "... its CSAF document inside" "$(tar --zstd -tf "$T_DIR/tf.tar.zst")" "advisories/csaf/vigil-sa-2026-0001.json"
jq .published_document "$T_DIR/s1.json" >"$T_DIR/p1.json"
check_eq "final version 1, one revision" "$(jq -r '.document.tracking | .status + " " + .version + " " + (.revision_history | map(.number) | join(","))' "$T_DIR/p1.json")" "final 1 1"
check_eq "release dates" "$(jq -r '.document.tracking | .initial_release_date + " " + .current_release_date' "$T_DIR/p1.json")" "2026-11-06T10:00:00Z 2026-11-06T10:00:00Z"
check_contains "the user notice in the document" "$(jq -c .document.notes "$T_DIR/p1.json")" "Update to 4.3.0; until then block the API port."
check_eq "the notice kept with the publication" "$(jq -r .user_notice.status "$T_DIR/s1.json")" published
validate "the published document" "$T_DIR/p1.json"
check_contains "the case's timeline records it" "$("$VIGIL" audit log --object case:1 --json | jq -r '.[].action' | tr '\n' ' ')" "case.advisory_published"
check_contains "audited on the advisory" "$("$VIGIL" audit log --object advisory:1 --json | jq -r '.[].action' | tr '\n' ' ')" "advisory.publish"
check_eq "editing the published version needs approval again" "$("$VIGIL" advisory edit 1 --set '/document/notes/0/text=Updated summary.' >/dev/null; "$VIGIL" advisory show 1 --json | jq -r .state)" draft
check_eq "the public document is unchanged meanwhile" "$("$VIGIL" advisory show 1 --json | jq -r '.published_document.document.tracking.version')" 1

# an update: version 2, revision history 1,2
export VIGIL_NOW=2026-11-08T10:00:00Z
VIGIL_ACTOR=bob "$VIGIL" advisory approve 1 >/dev/null
ok "update published" env VIGIL_ACTOR=bob "$VIGIL" advisory publish 1 --summary 'Summary clarified.'
"$VIGIL" advisory show 1 --json | jq .published_document >"$T_DIR/p2.json"
check_eq "version 2 with its history" "$(jq -r '.document.tracking | .version + " " + (.revision_history | map(.number + ":" + .summary) | join(","))' "$T_DIR/p2.json")" "2 1:Initial version.,2:Summary clarified."
check_eq "initial date kept, current date moved" "$(jq -r '.document.tracking | .initial_release_date + " " + .current_release_date' "$T_DIR/p2.json")" "2026-11-06T10:00:00Z 2026-11-08T10:00:00Z"
validate "the update" "$T_DIR/p2.json"

# withdrawal: published again with status and note, never deleted
check_eq "withdraw needs a reason" "$(run_cmd "$VIGIL" advisory withdraw 1)" 2
ok "withdraw" "$VIGIL" advisory withdraw 1 --reason 'the report was a duplicate of VIGIL-SA-2026-0000'
"$VIGIL" advisory show 1 --json >"$T_DIR/s3.json"
check_eq "withdrawn, version 3" "$(jq -r '.state + " " + (.csaf_version | tostring)' "$T_DIR/s3.json")" "withdrawn 3"
jq .published_document "$T_DIR/s3.json" >"$T_DIR/p3.json"
check_contains "the note says so" "$(jq -c .document.notes "$T_DIR/p3.json")" "This advisory is withdrawn"
validate "the withdrawn version" "$T_DIR/p3.json"
check_eq "every revision kept" "$(db_sql "SELECT COUNT(*) FROM csaf_advisory_revisions WHERE advisory_id = 1")" 6
check_eq "no edit after withdrawal" "$(run_cmd "$VIGIL" advisory edit 1 --set /document/title=x)" 1
check_eq "list" "$("$VIGIL" advisory list --json | jq -r '.[0] | .tracking_id + " " + .state')" "VIGIL-SA-2026-0001 withdrawn"

# a case with no inventory behind it, drafted through the API
"$VIGIL" case open --product router --title 'Session fixation' --description 'the web UI keeps the session id' >/dev/null
"$VIGIL" case link 2 --cve CVE-2026-7777 >/dev/null
start_server
TOK=$(admin_token)
AUD=$("$VIGIL" token create --name aud --role auditor 2>/dev/null)
REV=$("$VIGIL" token create --name reviewer --role psirt 2>/dev/null)
check_eq "API: draft" "$(http POST /api/v1/advisories -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d '{"case_id":2}')" 201
check_eq "... for case 2, passing the checks" "$(body | jq -r '[.case_id, .state, .check.passes] | join(" ")')" "2 draft true"
body | jq .document >"$T_DIR/d2.json"
check_eq "the case's product and CVE" "$(jq -r '[.product_tree.branches[0].branches[0].name, .vulnerabilities[0].cve, .vulnerabilities[0].product_status.known_affected[0]] | join(" ")' "$T_DIR/d2.json")" "router CVE-2026-7777 CSAFPID-0001"
validate "a draft without an SBOM" "$T_DIR/d2.json"
check_eq "API: bad case refused" "$(http POST /api/v1/advisories -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d '{"case_id":"x"}')" 400
check_eq "API: unknown case" "$(http POST /api/v1/advisories -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d '{"case_id":99}')" 404
check_eq "API: an auditor reads" "$(http GET /api/v1/advisories -H "Authorization: Bearer $AUD")" 200
check_eq "API: ... but does not draft" "$(http POST /api/v1/advisories -H "Authorization: Bearer $AUD" -H 'Content-Type: application/json' -d '{"case_id":2}')" 403
check_eq "API: anonymous 401" "$(http GET /api/v1/advisories)" 401
check_eq "API: edit" "$(http POST /api/v1/advisories/2/edit -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d '{"set":{"/document/title":"Session fixation in the web UI"}}')" 200
check_eq "... stored" "$(body | jq -r .document.document.title)" "Session fixation in the web UI"
check_eq "API: tracking edit refused" "$(http POST /api/v1/advisories/2/edit -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d '{"set":{"/document/tracking/id":"X"}}')" 400
check_eq "API: four-eyes, the token that edited does not approve" "$(http POST /api/v1/advisories/2/approve -H "Authorization: Bearer $TOK")" 409
check_contains "... saying so" "$(body)" "four-eyes"
check_eq "API: another token approves" "$(http POST /api/v1/advisories/2/approve -H "Authorization: Bearer $REV")" 200
check_eq "API: publish" "$(http POST /api/v1/advisories/2/publish -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d '{"summary":"First release."}')" 200
check_eq "... version 1" "$(body | jq -r .csaf_version)" 1

# the reporter's consent to be credited gives the acknowledgment
check_eq "a report with consent to be credited" "$(http POST /api/v1/reports -H 'Content-Type: application/json' -d '{"title":"Telnet left open","product":"router","version":"4.2.0","description":"port 23 answers","contact":"rita@example.org","credit_consent":true,"credit_name":"Rita Researcher"}')" 201
C3=$("$VIGIL" case list --json | jq -r 'map(select(.title == "Telnet left open"))[0].id')
"$VIGIL" case link "$C3" --cve CVE-2026-8888 >/dev/null
check_eq "API: draft of the reported case" "$(http POST /api/v1/advisories -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d "{\"case_id\":$C3}")" 201
check_eq "... credits the reporter" "$(body | jq -r '.document.document.acknowledgments[0].names | join(",")')" "Rita Researcher"
body | jq .document >"$T_DIR/d3.json"
validate "a draft with an acknowledgment" "$T_DIR/d3.json"

# the public pages
check_eq "public list" "$(http GET /advisories)" 200
check_contains "... names both" "$(body)" "VIGIL-SA-2026-0002"
check_contains "... links the CSAF file" "$(body)" 'href="/.well-known/csaf/white/2026/vigil-sa-2026-0002.json"'
check_eq "public page" "$(http GET /advisories/VIGIL-SA-2026-0001)" 200
check_contains "... withdrawn said" "$(body)" 'id="withdrawn"'
check_contains "... the user notice" "$(body)" "Update to 4.3.0; until then block the API port."
check_contains "... link to the CSAF file" "$(body)" 'id="csaf-link" href="/.well-known/csaf/white/2026/vigil-sa-2026-0001.json"'
check_eq "an unknown advisory 404" "$(http GET /advisories/NOPE-1)" 404
check_eq "by number: not public" "$(http GET /advisories/1)" 404
check_eq "the editor needs a login" "$(http GET /ui/advisories/1)" 303
check_eq "the editor with a token" "$(http GET /ui/advisories/1 -H "Authorization: Bearer $TOK")" 200
check_contains "... the validation result" "$(body)" 'id="check-result"'
check_contains "... the preview" "$(body)" 'id="csaf-doc"'
validate_all
finish
