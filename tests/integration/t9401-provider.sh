#!/bin/sh
# The trusted CSAF provider (issue 22 item 3, CSAF 2.0 section 7): documents
# published with `vigil advisory provider put` (checked by csaf_check,
# audited) are served under /.well-known/csaf/ with provider-metadata.json,
# index.txt, changes.csv, the ROLIE feed, .sha256/.sha512 and an OpenPGP .asc
# made with the PSIRT key; the tree passes `vigil advisory provider check`
# over HTTP and from the store, every .asc passes `gpg --verify`, every hash
# `sha256sum -c` / `sha512sum -c`; a tampered hash and a missing signature are
# named by requirement and URL; TLP:AMBER has its own folder and ROLIE feed
# that answer 401 without credentials and an auditor's token (7.1.5), named
# in provider-metadata.json; a document failing a mandatory test is never
# published; security.txt names the provider (CSAF:); and the published
# advisories come back through vigil's own CSAF feed sync (item 5), found
# from the provider-metadata URL the way a consumer finds them.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

GNUPGHOME="$T_DIR/gnupg"
export GNUPGHOME
mkdir -m 700 "$GNUPGHOME"
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1; t_cleanup' EXIT
gpg --batch --pinentry-mode loopback --passphrase '' \
	--quick-gen-key 'vigil test PSIRT <psirt@example.com>' ed25519 sign 2y >/dev/null 2>&1 ||
	{ echo "gpg key generation failed"; exit 1; }
FPR=$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')

E="$VIGIL_SHARED_DATA/csaf/csaf_2.0/examples/csaf"
M="$VIGIL_SHARED_DATA/csaf/csaf_2.0/test/validator/data/mandatory"
fresh_db
audited() { "$VIGIL" audit log --json | jq --arg a "$1" '[.[] | select(.action==$a)] | length'; }

# ---- a document that fails a mandatory test is not published ----
check_eq "6.1.1 failing document refused" "$(run_cmd "$VIGIL" advisory provider put --tlp WHITE "$M/oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json")" 1
check_contains "... naming the test" "$(cat "$T_DIR/out")" "mandatory 6.1.1"
check_contains "... and why" "$(cat "$T_DIR/err")" "not published"
check_eq "nothing stored" "$(db_sql "SELECT COUNT(*) FROM csaf_provider_documents")" 0
check_eq "nothing audited" "$(audited advisory.provider_put)" 0

# ---- publish the OASIS example advisories labelled TLP:WHITE ----
for f in bsi-2022-0001 rhsa-2019_1862 rhsa-2021_5186 rhsa-2021_5217 rhsa-2022_0011 csaf_vex/sec-vex-2022-0001; do
	ok "put $f" "$VIGIL" advisory provider put "$E/$f.json"
done
check_eq "six versions stored" "$(db_sql "SELECT COUNT(*) FROM csaf_provider_documents")" 6
check_eq "each audited" "$(audited advisory.provider_put)" 6
check_eq "signed with the PSIRT key" "$(db_sql "SELECT DISTINCT key_fingerprint FROM csaf_provider_documents")" "$FPR"
check_eq "the same version twice is refused" "$(run_cmd "$VIGIL" advisory provider put "$E/bsi-2022-0001.json")" 1
check_contains "... naming the version" "$(cat "$T_DIR/err")" "already published"
check_eq "a --tlp that contradicts the label is refused" "$(run_cmd "$VIGIL" advisory provider put --tlp AMBER "$E/rhsa-2022_0011.json")" 1
check_contains "... naming the field" "$(cat "$T_DIR/err")" "/document/distribution/tlp/label"
# a new version of BSI-2022-0001 replaces the served file
jq '.document.tracking.version = "2" | .document.tracking.current_release_date = "2022-04-01T10:00:00.000Z"
	| .document.tracking.revision_history += [{"date": "2022-04-01T10:00:00.000Z", "number": "2", "summary": "Update."}]' \
	"$E/bsi-2022-0001.json" >"$T_DIR/bsi-v2.json"
ok "put version 2" "$VIGIL" advisory provider put "$T_DIR/bsi-v2.json"
# an AMBER document is kept, never served openly
jq '.document.tracking.id = "EX-AMBER-1" | .document.distribution.tlp.label = "AMBER"
	| del(.document.references)' "$E/bsi-2022-0001.json" >"$T_DIR/amber.json"
ok "put a TLP:AMBER document" "$VIGIL" advisory provider put "$T_DIR/amber.json"

# ---- serve it ----
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export BASE
VIGIL_SERVER_PUBLIC_URL="$BASE" "$VIGIL" serve --listen "127.0.0.1:$PORT" >"$T_DIR/server.log" 2>&1 &
T_SERVER_PID=$!
i=0
until curl -s -o /dev/null "$BASE/healthz" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
W=/.well-known/csaf
check_eq "provider-metadata.json served" "$(http GET $W/provider-metadata.json)" 200
check_eq "... as JSON" "$(grep -i '^content-type' "$T_DIR/headers" | tr -d '\r' | sed 's/^[^:]*: *//')" "application/json"
check_eq "role trusted provider" "$(jq -r .role "$T_DIR/body")" csaf_trusted_provider
check_eq "the key is listed" "$(jq -r '.public_openpgp_keys[0].fingerprint' "$T_DIR/body")" "$FPR"
check_eq "index.txt" "$(http GET $W/white/index.txt)" 200
check_eq "six documents listed, newest first" "$(cat "$T_DIR/body" | tr '\n' ' ')" \
	"2022/sec-vex-2022-0001.json 2022/bsi-2022-0001.json 2022/rhsa-2022_0011.json 2021/rhsa-2021_5217.json 2021/rhsa-2021_5186.json 2019/rhsa-2019_1862.json "
check_eq "changes.csv" "$(http GET $W/white/changes.csv)" 200
check_contains "... path and time" "$(body)" '"2022/bsi-2022-0001.json","2022-04-01T10:00:00Z"'
check_eq "ROLIE feed" "$(http GET $W/feed-tlp-white.json)" 200
check_eq "... six entries" "$(jq '.feed.entry | length' "$T_DIR/body")" 6
check_eq "the BSI document is served" "$(http GET $W/white/2022/bsi-2022-0001.json)" 200
check_eq "... as version 2" "$(jq -r .document.tracking.version "$T_DIR/body")" 2
# 7.1.5: TLP:AMBER has its own folder and feed, access protected
check_eq "the AMBER document needs credentials" "$(http GET $W/amber/2022/ex-amber-1.json)" 401
check_eq "... so do the AMBER feed" "$(http GET $W/feed-tlp-amber.json)" 401
check_eq "... and the AMBER index.txt" "$(http GET $W/amber/index.txt)" 401
check_eq "... and it is not under white" "$(http GET $W/white/2022/ex-amber-1.json)" 404
AUD=$("$VIGIL" token create --name t-auditor --role auditor 2>/dev/null)
check_eq "an auditor's token reads the AMBER document" "$(http GET $W/amber/2022/ex-amber-1.json -H "Authorization: Bearer $AUD")" 200
check_eq "... the document" "$(jq -r .document.tracking.id "$T_DIR/body")" EX-AMBER-1
check_eq "... and the AMBER feed" "$(http GET $W/feed-tlp-amber.json -H "Authorization: Bearer $AUD")" 200
check_eq "... which lists it" "$(jq -r '[.feed.entry[].id] | join(",")' "$T_DIR/body")" EX-AMBER-1
check_eq "... with its .asc" "$(http GET $W/amber/2022/ex-amber-1.json.asc -H "Authorization: Bearer $AUD")" 200
check_eq "provider-metadata names one feed per TLP label in use" "$(http GET $W/provider-metadata.json >/dev/null && jq -r '[.distributions[].rolie.feeds[] | "\(.tlp_label)=\(.url)"] | join(" ")' "$T_DIR/body")" \
	"WHITE=$BASE$W/feed-tlp-white.json AMBER=$BASE$W/feed-tlp-amber.json"
check_eq "an unknown file is 404" "$(http GET $W/white/2022/nothing.json)" 404

# ---- vigil's own check, over HTTP and from the store ----
check_eq "provider check over HTTP passes" "$(run_cmd "$VIGIL" advisory provider check --url "$BASE" --allow-http --json)" 0
check_eq "... six documents" "$(jq -r '"\(.passes) \(.documents) \(.failures)"' "$T_DIR/out")" "true 6 0"
check_eq "... the AMBER folder and feed seen access protected (7.1.5)" \
	"$(jq -r '[.findings[] | select(.requirement=="7.1.5") | "\(.severity) \(.url)"] | join(" ")' "$T_DIR/out")" \
	"warning $BASE$W/amber/index.txt warning $BASE$W/feed-tlp-amber.json"
check_eq "without --allow-http, plain HTTP fails 7.1.3" "$(run_cmd "$VIGIL" advisory provider check --url "$BASE" --json)" 1
check_eq "... named" "$(jq -r '[.findings[] | select(.severity=="failure") | .requirement] | unique | join(",")' "$T_DIR/out")" "7.1.3"
check_eq "provider check from the store passes" "$(VIGIL_SERVER_PUBLIC_URL="$BASE" run_cmd "$VIGIL" advisory provider check --json)" 0
check_eq "... reading the AMBER document too" "$(jq -r '"\(.passes) \(.documents) \(.failures)"' "$T_DIR/out")" "true 7 0"

# ---- gpg --verify of every .asc, sha256sum / sha512sum of every hash ----
VG="$T_DIR/verifier"
mkdir -m 700 "$VG"
curl -s "$BASE$W/openpgp/$FPR.asc" >"$T_DIR/key.asc"
ok "the published key imports" gpg --homedir "$VG" --batch --import "$T_DIR/key.asc"
mkdir -p "$T_DIR/dl"
n=0
for rel in $(curl -s "$BASE$W/white/index.txt"); do
	f=$(basename "$rel")
	for x in "" .asc .sha256 .sha512; do curl -s -o "$T_DIR/dl/$f$x" "$BASE$W/white/$rel$x"; done
	if gpg --homedir "$VG" --batch --verify "$T_DIR/dl/$f.asc" "$T_DIR/dl/$f" 2>/dev/null &&
		(cd "$T_DIR/dl" && sha256sum -c --status "$f.sha256" && sha512sum -c --status "$f.sha512"); then
		n=$((n + 1))
	else
		echo "    $rel does not verify"
	fi
done
check_eq "every document verifies with gpg and its hashes" "$n" 6
echo tampered >>"$T_DIR/dl/rhsa-2019_1862.json"
not_ok "gpg --verify refuses a changed document" gpg --homedir "$VG" --batch --verify "$T_DIR/dl/rhsa-2019_1862.json.asc" "$T_DIR/dl/rhsa-2019_1862.json"

# ---- a tampered hash, a missing signature: named ----
db_sql "UPDATE csaf_provider_documents SET sha256 = '0000000000000000000000000000000000000000000000000000000000000000' WHERE tracking_id = 'RHSA-2019:1862'"
check_eq "a tampered hash fails the check" "$(run_cmd "$VIGIL" advisory provider check --url "$BASE" --allow-http --json)" 1
check_eq "... named 7.1.18 at its URL" "$(jq -r '.findings[] | select(.severity=="failure") | "\(.requirement) \(.url)"' "$T_DIR/out" | sort -u)" \
	"7.1.18 $BASE$W/white/2019/rhsa-2019_1862.json.sha256"
sig=$(db_sql "SELECT signature FROM csaf_provider_documents WHERE tracking_id = 'RHSA-2021:5186'")
db_sql "UPDATE csaf_provider_documents SET sha256 = '$(sha256sum "$E/rhsa-2019_1862.json" | cut -c1-64)' WHERE tracking_id = 'RHSA-2019:1862'"
db_sql "UPDATE csaf_provider_documents SET signature = '' WHERE tracking_id = 'RHSA-2021:5186'"
check_eq "a missing signature fails the check" "$(run_cmd "$VIGIL" advisory provider check --url "$BASE" --allow-http)" 1
check_contains "... named 7.1.19 at its URL" "$(grep '^FAIL' "$T_DIR/out")" "FAIL 7.1.19: $BASE$W/white/2021/rhsa-2021_5186.json.asc"
check_eq "... and nothing else" "$(grep -c '^FAIL' "$T_DIR/out")" 1
db_sql "UPDATE csaf_provider_documents SET signature = '$sig' WHERE tracking_id = 'RHSA-2021:5186'"
check_eq "restored: passes again" "$(run_cmd "$VIGIL" advisory provider check --url "$BASE" --allow-http)" 0

# ---- item 5: the advisories come back through vigil's CSAF feed sync ----
# A consumer starts at provider-metadata.json, reads the ROLIE feed it names
# and fetches the documents; feeds.csaf_url takes those document URLs.
feed=$(curl -s "$BASE$W/provider-metadata.json" | jq -r '.distributions[] | .rolie.feeds[]? | select(.tlp_label == "WHITE") | .url')
urls=$(curl -s "$feed" | jq -r '[.feed.entry[].content.src] | join(",")')
check_eq "the ROLIE feed names the six documents" "$(echo "$urls" | tr ',' '\n' | grep -c json)" 6
check_eq "feed sync imports them" "$(VIGIL_FEEDS_CSAF_URL="$urls" run_cmd "$VIGIL" feed sync --json)" 0
check_eq "... all six fetched" "$(jq -r .fetched "$T_DIR/out")" 6
check_eq "an advisory of the provider is known to vigil" "$("$VIGIL" vuln show CVE-2022-27193 | jq -r '[.advisories[].source] | join(",")')" csaf
check_eq "... and another" "$("$VIGIL" vuln show CVE-2021-4104 | jq -r '[.advisories[].source] | join(",")')" csaf
stop_server

# ---- security.txt names the provider (CSAF:) ----
PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT2"
VIGIL_SERVER_PUBLIC_URL=https://psirt.example.test VIGIL_SECURITYTXT_CONTACT=mailto:psirt@example.test \
	"$VIGIL" serve --listen "127.0.0.1:$PORT2" >"$T_DIR/server2.log" 2>&1 &
T_SERVER_PID=$!
i=0
until curl -s -o /dev/null "$BASE/healthz" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
i=0
while [ "$(http GET /.well-known/security.txt)" != 200 ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
check_contains "security.txt has the CSAF field" "$(body)" "CSAF: https://psirt.example.test/.well-known/csaf/provider-metadata.json"
ok "... and is valid" "$VIGIL" securitytxt validate "$T_DIR/body"

finish
