#!/bin/sh
# Evidence bundles (issue 21 item 6): `vigil evidence export` of a case, an
# incident and a time range into a signed .tar.zst, and `vigil evidence
# verify FILE` offline: intact bundles pass; a changed byte, a removed file,
# an added file and a wrong key each fail, naming the first problem.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
export VIGIL_AUDIT_ORIGIN=vigil.test/audit
fresh_db
"$VIGIL" demo load >/dev/null 2>&1 || { echo "FAIL - demo load"; exit 1; }
VKEY=$("$VIGIL" audit key show)
"$VIGIL" case open --product acme-gateway --version 1.1.0 --title "Overflow in login" \
	--description "stack overflow in the login form" >/dev/null
C=$("$VIGIL" case list --json | jq -r '.[0].id')
"$VIGIL" case note "$C" "reproduced on 1.1.0" >/dev/null 2>&1
"$VIGIL" case exploited "$C" --aware-at "$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)" --evidence "honeypot" >/dev/null
E=$("$VIGIL" art14 list --json | jq -r '.[0].exposure_id')
"$VIGIL" art14 draft "$E" --stage early-warning >/dev/null

W=$T_DIR/w
mkdir -p "$W"
check_eq "export --case" "$(run_cmd "$VIGIL" evidence export --case "$C" -o "$W/case.tar.zst" --json)" 0
check_eq "it reports the file's digest" "$(jq -r .sha256 "$T_DIR/out")" "$(sha256sum "$W/case.tar.zst" | cut -c1-64)"
check_eq "the export is audited" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action == "evidence.export")] | length')" 1
tar --zstd -tf "$W/case.tar.zst" >"$T_DIR/list"
for f in checkpoint.txt vkey.txt case/case.json case/timeline.json "art14/exposure-$E.json" \
	"art14/exposure-$E/early-warning-v1.json" sbom/acme-gateway/revisions.json \
	findings/acme-gateway/1.1.0.json audit/records.jsonl scope.json MANIFEST.json MANIFEST.json.sig; do
	check_eq "the bundle holds $f" "$(grep -cx "$f" "$T_DIR/list")" 1
done
check_eq "the SBOM original is in it" "$(grep -c '^sbom/acme-gateway/1.1.0/r1-' "$T_DIR/list")" 1
mkdir -p "$W/x"
tar --zstd -xf "$W/case.tar.zst" -C "$W/x"
check_eq "the case file is the case" "$(jq -r .id "$W/x/case/case.json")" "$C"
check_contains "the timeline has the case's records" "$(jq -r '[.changes[].action] | join(",")' "$W/x/case/timeline.json")" "case."
check_eq "every audit record of the case is proved" \
	"$(jq -s '[.[] | .record | fromjson | select(.object_type == "case")] | length' "$W/x/audit/records.jsonl")" \
	"$("$VIGIL" audit log --object "case:$C" --json | jq length)"
check_eq "the exposure's records too" \
	"$(jq -s "[.[] | .record | fromjson | select(.object_type == \"art14_exposure\" and .object_id == \"$E\")] | length" "$W/x/audit/records.jsonl")" \
	"$("$VIGIL" audit log --object "art14_exposure:$E" --json | jq length)"
check_eq "the manifest lists every file with its SHA-256" \
	"$(jq -r '.files[] | "\(.sha256)  \(.path)"' "$W/x/MANIFEST.json" | (cd "$W/x" && sha256sum -c --quiet) && echo ok)" ok
check_eq "the manifest says what it covers" "$(jq -r '"\(.kind) \(.scope.case)"' "$W/x/MANIFEST.json")" "evidence $C"
check_eq "the checkpoint is a signed checkpoint of this trail" "$(head -1 "$W/x/checkpoint.txt")" vigil.test/audit

check_eq "verify: intact" "$(run_cmd "$VIGIL" evidence verify "$W/case.tar.zst" --key "$VKEY")" 0
check_contains "says what it checked" "$(cat "$T_DIR/out")" "audit records proved against the checkpoint"
check_eq "verify --json" "$(run_cmd "$VIGIL" evidence verify "$W/case.tar.zst" --key "$VKEY" --json)" 0
check_eq "--json intact, key given" "$(jq -c '[.intact, .key_from_bundle, .signer]' "$T_DIR/out")" '[true,false,"vigil.test/audit"]'
check_eq "verify without --key uses the bundle's key and says so" "$(run_cmd "$VIGIL" evidence verify "$W/case.tar.zst")" 0
check_contains "the note" "$(cat "$T_DIR/out")" "checked against the key the bundle names"

# repack DIR OUT [FILES...]: a .tar.zst of the files of DIR (default: all, in the original order)
repack() {
	d=$1
	o=$2
	shift 2
	if [ $# -eq 0 ]; then set -- $(cat "$T_DIR/list"); fi
	tar --zstd -cf "$o" -C "$d" "$@"
}
cp -r "$W/x" "$W/y"
check_eq "an unchanged repack still verifies" "$(repack "$W/y" "$W/same.tar.zst"; run_cmd "$VIGIL" evidence verify "$W/same.tar.zst" --key "$VKEY")" 0

# a changed byte
sed -i 's/Overflow in login/Overflow in logon/' "$W/y/case/case.json"
repack "$W/y" "$W/changed.tar.zst"
check_eq "a changed byte fails" "$(run_cmd "$VIGIL" evidence verify "$W/changed.tar.zst" --key "$VKEY")" 1
check_contains "naming the file" "$(cat "$T_DIR/err")" "file case/case.json: SHA-256"
cp "$W/x/case/case.json" "$W/y/case/case.json"
# a changed audit record
head -1 "$W/x/audit/records.jsonl" | jq -c '.record |= sub("\"action\":\""; "\"action\":\"x")' >"$W/y/audit/records.jsonl"
tail -n +2 "$W/x/audit/records.jsonl" >>"$W/y/audit/records.jsonl"
check_eq "the record was changed" "$(head -1 "$W/y/audit/records.jsonl" | jq -r .record | jq -r .action | cut -c1)" x
repack "$W/y" "$W/rec.tar.zst"
check_eq "a changed audit record fails" "$(run_cmd "$VIGIL" evidence verify "$W/rec.tar.zst" --key "$VKEY")" 1
check_contains "naming the records file" "$(cat "$T_DIR/err")" "audit/records.jsonl"
cp "$W/x/audit/records.jsonl" "$W/y/audit/records.jsonl"

# a removed file
repack "$W/y" "$W/removed.tar.zst" $(grep -vx "art14/exposure-$E.json" "$T_DIR/list")
check_eq "a removed file fails" "$(run_cmd "$VIGIL" evidence verify "$W/removed.tar.zst" --key "$VKEY")" 1
check_contains "naming it" "$(cat "$T_DIR/err")" "file art14/exposure-$E.json: listed in the manifest but missing"

# an added file
echo "planted" >"$W/y/extra.txt"
repack "$W/y" "$W/added.tar.zst" $(cat "$T_DIR/list") extra.txt
check_eq "an added file fails" "$(run_cmd "$VIGIL" evidence verify "$W/added.tar.zst" --key "$VKEY")" 1
check_contains "naming it" "$(cat "$T_DIR/err")" "file extra.txt: not listed in the manifest"

# a wrong key
check_eq "a wrong key fails" "$(run_cmd "$VIGIL" evidence verify "$W/case.tar.zst" --key "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")" 1
check_contains "saying so" "$(cat "$T_DIR/err")" "not signed by a trusted key"
check_eq "a file that is no bundle fails" "$(echo nope >"$W/no.tar.zst"; run_cmd "$VIGIL" evidence verify "$W/no.tar.zst")" 1

# an incident and a time range
check_eq "export --incident" "$(run_cmd "$VIGIL" evidence export --incident "$E" -o "$W/inc.tar.zst")" 0
check_eq "the incident brings its case" "$(tar --zstd -tf "$W/inc.tar.zst" | grep -cx case/case.json)" 1
check_eq "and verifies" "$(run_cmd "$VIGIL" evidence verify "$W/inc.tar.zst" --key "$VKEY")" 0
SINCE=$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)
UNTIL=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
check_eq "export --since --until --product --version" \
	"$(run_cmd "$VIGIL" evidence export --since "$SINCE" --until "$UNTIL" --product acme-gateway --version 1.0.0 -o "$W/range.tar.zst" --json)" 0
check_eq "every record of the range is proved" "$(jq .records "$T_DIR/out")" "$(jq .checkpoint_size "$T_DIR/out")"
check_eq "the range's SBOM is that version's" "$(tar --zstd -tf "$W/range.tar.zst" | grep -c '^sbom/acme-gateway/1.0.0/')" 1
check_eq "and verifies" "$(run_cmd "$VIGIL" evidence verify "$W/range.tar.zst" --key "$VKEY")" 0

# logs: the log store's events of the range, product and version, in time order
if "$VIGIL" logs stats >/dev/null 2>&1; then
	# sealed segments go to the artifact store: a directory (required with PostgreSQL)
	export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts"
	T0=$(date -u -d '-3 hours' +%s)
	: >"$W/events.jsonl"
	for i in 1 2 3 4 5; do
		echo "{\"time\": \"$(date -u -d "@$((T0 + i * 60))" +%Y-%m-%dT%H:%M:%SZ)\", \"source\": \"gateway\", \"message\": \"GET /update $i\", \"product\": \"acme-gateway\", \"version\": \"1.0.0\"}" >>"$W/events.jsonl"
	done
	echo "{\"time\": \"$(date -u -d "@$((T0 + 90))" +%Y-%m-%dT%H:%M:%SZ)\", \"source\": \"gateway\", \"message\": \"GET /other\", \"product\": \"acme-gateway\", \"version\": \"1.1.0\"}" >>"$W/events.jsonl"
	echo "{\"time\": \"$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%SZ)\", \"source\": \"gateway\", \"message\": \"GET /old\", \"product\": \"acme-gateway\", \"version\": \"1.0.0\"}" >>"$W/events.jsonl"
	check_eq "logs ingested" "$(run_cmd "$VIGIL" logs ingest "$W/events.jsonl")" 0
	check_eq "and sealed" "$(run_cmd "$VIGIL" logs seal)" 0
	check_eq "export of a range with logs" \
		"$(run_cmd "$VIGIL" evidence export --since "$SINCE" --until "$UNTIL" --product acme-gateway --version 1.0.0 -o "$W/logs.tar.zst")" 0
	rm -rf "$W/l" && mkdir -p "$W/l" && tar --zstd -xf "$W/logs.tar.zst" -C "$W/l"
	check_eq "the range's events of that version, in time order" \
		"$(jq -r .message "$W/l/logs/events-0001.jsonl" | tr '\n' ,)" "GET /update 1,GET /update 2,GET /update 3,GET /update 4,GET /update 5,"
	check_eq "scope.json counts them" "$(jq .parts.logs.events "$W/l/scope.json")" 5
	check_eq "the segments' seals are proved" \
		"$(jq -s '[.[] | .record | fromjson | select(.action == "logs.seal")] | length' "$W/l/audit/records.jsonl")" \
		"$("$VIGIL" audit log --json | jq '[.[] | select(.action == "logs.seal")] | length')"
	check_eq "and verifies" "$(run_cmd "$VIGIL" evidence verify "$W/logs.tar.zst" --key "$VKEY")" 0
else
	check_eq "no log store in this build: the bundle says so" "$(jq -r .parts.logs.note "$W/x/scope.json")" "this build has no log store"
fi

# usage and refusals: nothing written
check_eq "no scope" "$(run_cmd "$VIGIL" evidence export -o "$W/n.tar.zst")" 2
check_eq "two scopes" "$(run_cmd "$VIGIL" evidence export --case "$C" --incident "$E" -o "$W/n.tar.zst")" 2
check_eq "no -o" "$(run_cmd "$VIGIL" evidence export --case "$C")" 2
check_eq "--version without --product" "$(run_cmd "$VIGIL" evidence export --since "$SINCE" --until "$UNTIL" --version 1 -o "$W/n.tar.zst")" 2
check_eq "--since without --until" "$(run_cmd "$VIGIL" evidence export --since "$SINCE" -o "$W/n.tar.zst")" 2
check_eq "an unknown case" "$(run_cmd "$VIGIL" evidence export --case 999 -o "$W/n.tar.zst")" 1
ok "nothing written for a refused export" test ! -e "$W/n.tar.zst"

# the manifest's signature, checked by golang.org/x/mod sumdb/note when Go is here
if command -v go >/dev/null 2>&1 && [ -d /usr/share/gocode/src/golang.org/x/mod/sumdb ]; then
	G=$T_DIR/go
	mkdir -p "$G/src/tlogcheck"
	cp "$VIGIL_SOURCE_DIR/tests/tools/tlogcheck/main.go" "$G/src/tlogcheck/"
	(cd "$G/src/tlogcheck" && GO111MODULE=off GOPATH="$G:/usr/share/gocode" GOCACHE="$G/cache" \
		GOFLAGS= GOPROXY=off go build -o "$T_DIR/tlogcheck" .)
	check_eq "x/mod note.Open accepts the manifest signature" \
		"$(run_cmd "$T_DIR/tlogcheck" manifest "$VKEY" "$W/x/MANIFEST.json" "$W/x/MANIFEST.json.sig")" 0
	check_eq "x/mod accepts the bundle's checkpoint" "$(run_cmd "$T_DIR/tlogcheck" checkpoint "$VKEY" "$W/x/checkpoint.txt")" 0
	head -1 "$W/x/audit/records.jsonl" >"$W/p.json"
	check_eq "x/mod tlog.CheckRecord accepts a bundled proof" \
		"$(run_cmd "$T_DIR/tlogcheck" inclusion "$VKEY" "$W/x/checkpoint.txt" "$W/p.json")" 0
else
	echo "# SKIP the x/mod checks: Go or golang-golang-x-mod-dev missing (scripts/deps.sh)"
fi

finish
