#!/bin/sh
# The spine end to end: an SBOM import and an OSV advisory make a finding by
# themselves; a CISA KEV entry marks it actively exploited, which opens the
# Article 14 clocks (awareness = the KEV import) and pages through the
# notifier; the audit trail proves when the clock started.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
TOOLS="$VIGIL_SOURCE_DIR/tests/tools"
python3 "$TOOLS/receiver.py" --log "$T_DIR/hook.log" --port-file "$T_DIR/hook.port" &
HPID=$!
trap 'kill $HPID 2>/dev/null; t_cleanup' EXIT
i=0
while [ ! -s "$T_DIR/hook.port" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "receiver did not start"; exit 1; }
	sleep 0.1
done
"$VIGIL" notify channel-add pager --kind webhook --url "http://127.0.0.1:$(cat "$T_DIR/hook.port")/page" >/dev/null
"$VIGIL" notify rule-add --event vuln.exploited --channel pager >/dev/null
"$VIGIL" notify rule-add --event 'art14.*' --channel pager >/dev/null

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
"$VIGIL" product create router --placed-on-market 2026-01-10 >/dev/null
check_eq "SBOM import" "$(run_cmd "$VIGIL" sbom import "$T_DIR/fw.json" --product router --version 4.2.0)" 0
check_eq "advisory import makes the finding" "$("$VIGIL" feed import osv "$VIGIL_SHARED_DATA/vuln/osv/go-vulndb/GO-2022-1071.json" --json | jq -r .findings_new)" 1
check_eq "not exploited yet" "$("$VIGIL" art14 list --json | jq length)" 0

export VIGIL_NOW=2026-11-03T09:30:00Z
check_eq "KEV import" "$("$VIGIL" feed import kev "$T_DIR/kev.json" --json | jq -r .exploited)" 1
"$VIGIL" art14 list --json >"$T_DIR/a14.json"
check_eq "Article 14 clocks opened by the KEV match" "$(jq '[.[] | select(.stage=="early-warning")] | length' "$T_DIR/a14.json")" 1
check_eq "early warning due awareness + 24 h" "$(jq -r '.[] | select(.stage=="early-warning") | .due_at' "$T_DIR/a14.json")" "2026-11-04T09:30:00Z"
check_eq "notification due awareness + 72 h" "$(jq -r '.[] | select(.stage=="notification") | .due_at' "$T_DIR/a14.json")" "2026-11-06T09:30:00Z"
check_eq "final report undetermined until a fix" "$(jq -r '.[] | select(.stage=="final") | .state' "$T_DIR/a14.json")" "undetermined"
check_contains "awareness recorded in the audit trail" "$("$VIGIL" audit log --json | jq -c '[.[] | select(.action | test("art14|exposure"))][0]')" "2026-11-03T09:30:00Z"

check_contains "deliver" "$("$VIGIL" notify run)" "failed"
check_eq "the exploited finding paged" "$(grep -c '"vuln.exploited' "$T_DIR/hook.log")" 1
check_contains "page names the CVE and the product" "$(grep '"vuln.exploited' "$T_DIR/hook.log" | jq -r '.body | fromjson | .summary')" "CVE-2022-39272"
check_eq "page is critical" "$(grep '"vuln.exploited' "$T_DIR/hook.log" | jq -r '.body | fromjson | .severity')" "critical"

# Half the early-warning window later the PSIRT is warned once.
export VIGIL_NOW=2026-11-03T21:31:00Z
"$VIGIL" art14 tick >/dev/null
"$VIGIL" notify run >/dev/null
check_eq "50 % warning paged once" "$(grep -c 'art14.warning' "$T_DIR/hook.log")" 1
"$VIGIL" art14 tick >/dev/null
"$VIGIL" notify run >/dev/null
check_eq "and only once" "$(grep -c 'art14.warning' "$T_DIR/hook.log")" 1
check_eq "audit chain intact" "$(run_cmd "$VIGIL" audit verify)" 0
finish
