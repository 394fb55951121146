#!/bin/sh
# The web shell in a real browser: tests/browser/*.test.mjs (playwright-core
# driving Debian's chromium) against a fresh server. Missing node, chromium
# or playwright-core is a failure, not a skip: scripts/deps.sh installs them.
# VIGIL_BROWSER_TESTS="browser/a11y.test.mjs ..." runs only those files;
# VIGIL_BROWSER_SHOTS=1 keeps a PNG of every page checked (tests/browser/out/).
# vigil-test: long (minutes: ctest starts it first)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

chromium=${VIGIL_CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null 2>&1 || { echo "FAIL - node not found (run scripts/deps.sh)"; exit 1; }
[ -x "$chromium" ] || { echo "FAIL - $chromium not found (run scripts/deps.sh)"; exit 1; }
[ -d "$VIGIL_SOURCE_DIR/tests/node_modules/playwright-core" ] ||
	{ echo "FAIL - playwright-core not installed in tests/node_modules (run scripts/deps.sh)"; exit 1; }

fresh_db
# the demo data set: the room pages (sbom.test.mjs ...) test against it
"$VIGIL" demo load >/dev/null || { echo "FAIL - vigil demo load"; exit 1; }
VIGIL_PASSWORD=pw-browser-7f3a "$VIGIL" user add carol --role psirt >/dev/null ||
	{ echo "FAIL - could not add the test user"; exit 1; }
# an admin too: a11y.test.mjs checks every page as psirt and as admin
VIGIL_PASSWORD=pw-admin-browser-2c9d "$VIGIL" user add dana --role admin >/dev/null ||
	{ echo "FAIL - could not add the admin test user"; exit 1; }
VIGIL_TEST_ADMIN_USER=dana
VIGIL_TEST_ADMIN_PASSWORD=pw-admin-browser-2c9d
export VIGIL_TEST_ADMIN_USER VIGIL_TEST_ADMIN_PASSWORD
# a second PSIRT user: four-eyes review of Article 14 drafts (cases.test.mjs)
VIGIL_PASSWORD=pw-browser-8d2b "$VIGIL" user add dave --role psirt >/dev/null ||
	{ echo "FAIL - could not add the second test user"; exit 1; }
# the TUF page (tuf.test.mjs): development signers, a repository signed 13 h
# ago with acme-gateway delegated, then `tuf resign` renews timestamp (past half
# its 1 d lifetime), so the page has a re-signing to show
for k in tuf-root tuf-online; do
	"$VIGIL" signer keygen "$k" --software "$T_DIR/$k.pem" --algorithm ed25519 >/dev/null ||
		{ echo "FAIL - vigil signer keygen $k"; exit 1; }
done
past=$(date -u -d "@$(($(date +%s) - 46800))" +%Y-%m-%dT%H:%M:%SZ)
{ VIGIL_NOW=$past "$VIGIL" tuf init --root-signers tuf-root --root-threshold 1 \
	--targets-signer tuf-online --snapshot-signer tuf-online --timestamp-signer tuf-online &&
	VIGIL_NOW=$past "$VIGIL" tuf delegate --product acme-gateway --signer tuf-online &&
	"$VIGIL" tuf resign; } >/dev/null || { echo "FAIL - the TUF repository"; exit 1; }
# a configured security.txt, so that /.well-known/security.txt has something to serve
# rollout.test.mjs: a rollout of acme-gateway 1.1.0 to 60 devices (releases
# marked published in the database, so the TUF versions tuf.test.mjs reads
# stay as they are); the simulator reports on it once the server runs
# (on PostgreSQL the directory store needs its directory named)
VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts"
export VIGIL_UPDATE_ARTIFACT_DIR
for v in 1.0.0 1.1.0; do
	head -c 2000 /dev/urandom >"$T_DIR/gw.img"
	{ "$VIGIL" release create --product acme-gateway --version "$v" &&
		(cd "$T_DIR" && "$VIGIL" release upload "acme-gateway@$v" gw.img); } >/dev/null ||
		{ echo "FAIL - the releases of the rollout page"; exit 1; }
done
db_sql "UPDATE releases SET published_at = created_at + (CASE WHEN version = '1.1.0' THEN 60 ELSE 0 END) WHERE product = 'acme-gateway'"
"$VIGIL" device enroll --product acme-gateway --count 60 --version 1.0.0 >"$T_DIR/devices.txt" 2>/dev/null &&
	"$VIGIL" rollout create acme-gateway@1.1.0 --stages 10,50,100 --soak 24h --min-sample 100 >/dev/null &&
	"$VIGIL" rollout start 1 --reason "browser test" >/dev/null ||
	{ echo "FAIL - the rollout of the rollout page"; exit 1; }
VIGIL_SECURITYTXT_CONTACT=mailto:psirt@example.com
export VIGIL_SECURITYTXT_CONTACT
# the organisation shown on the public pages (public.test.mjs)
VIGIL_ORG_NAME="Acme Devices"
export VIGIL_ORG_NAME
# advisory.test.mjs publishes: the CSAF provider signs with an OpenPGP key (GNUPGHOME)
GNUPGHOME="$T_DIR/gnupg"
export GNUPGHOME
mkdir -m 700 "$GNUPGHOME"
gpg --batch --pinentry-mode loopback --passphrase '' \
	--quick-gen-key 'vigil browser tests <psirt@example.com>' ed25519 sign 2y >/dev/null 2>&1 ||
	{ echo "FAIL - gpg key generation for the CSAF provider"; exit 1; }
# every browser test posts from 127.0.0.1: the per-address report limit must not bite
VIGIL_PSIRT_REPORT_RATE=1000
export VIGIL_PSIRT_REPORT_RATE
# sso.test.mjs: single sign-on through the OpenID provider of the tests
# (tests/tools/oidc-op.mjs, the npm package oidc-provider); without the
# package the server runs without it and sso.test.mjs skips, saying so
if [ -d "$VIGIL_SOURCE_DIR/tests/node_modules/oidc-provider" ]; then
	node "$VIGIL_SOURCE_DIR/tests/tools/oidc-op.mjs" --port-file "$T_DIR/op.port" >"$T_DIR/op.log" 2>&1 &
	OP_PID=$!
	trap 'kill "$OP_PID" 2>/dev/null; t_cleanup' EXIT
	i=0
	while [ ! -s "$T_DIR/op.port" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.05; done
	if [ -s "$T_DIR/op.port" ]; then
		VIGIL_OIDC_ISSUER="http://127.0.0.1:$(cat "$T_DIR/op.port")"
		VIGIL_OIDC_CLIENT_ID=vigil VIGIL_OIDC_CLIENT_SECRET=vigil-test-secret
		VIGIL_OIDC_ROLE_MAP="vigil-psirt:psirt,vigil-admins:admin"
		VIGIL_TEST_OIDC_ISSUER=$VIGIL_OIDC_ISSUER
		export VIGIL_OIDC_ISSUER VIGIL_OIDC_CLIENT_ID VIGIL_OIDC_CLIENT_SECRET VIGIL_OIDC_ROLE_MAP VIGIL_TEST_OIDC_ISSUER
	else
		echo "# the OpenID provider did not start: sso.test.mjs skips"; cat "$T_DIR/op.log"
	fi
else
	echo "# npm package oidc-provider missing (scripts/deps.sh): sso.test.mjs skips"
fi
start_server
sim() { "$VIGIL_BUILD_DIR/bench_devsim" --url "$BASE" --devices "$T_DIR/devices.txt" --version 1.0.0 --state "$T_DIR/sim.state" --threads 2 "$@" >/dev/null; }
sleep 0.6
sim --fail-rate 0.2 && "$VIGIL" rollout advance 1 --reason "first stage looks fine" >/dev/null && sleep 0.6 && sim --fail-rate 0.1 ||
	{ echo "FAIL - the simulator on the rollout page's rollout"; exit 1; }

# logs.test.mjs: 60 events of product logs-demo on 2026-04-01 (7 with "denied")
python3 -c '
import json
for i in range(60):
    print(json.dumps(dict(time=1775001600 + i * 1200, source="gateway", host="gw%d" % (i % 3),
        product="logs-demo", version="1.%d" % (i % 2),
        message="%s /api/v2/item/%d" % ("denied" if i % 9 == 0 else "GET", i))))
' >"$T_DIR/logs.jsonl" && "$VIGIL" logs ingest "$T_DIR/logs.jsonl" >/dev/null ||
	{ echo "FAIL - vigil logs ingest"; exit 1; }

cd "$VIGIL_SOURCE_DIR/tests" || exit 1
VIGIL_BASE="$BASE" VIGIL_TEST_USER=carol VIGIL_TEST_PASSWORD=pw-browser-7f3a \
	VIGIL_TEST_USER2=dave VIGIL_TEST_PASSWORD2=pw-browser-8d2b \
	VIGIL_TEST_ROLE=psirt VIGIL_CHROMIUM="$chromium" \
	node --test --test-reporter=tap ${VIGIL_BROWSER_TESTS:-browser/} >"$T_DIR/node.out" 2>&1
status=$?
cat "$T_DIR/node.out"
pass=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$T_DIR/node.out" | tail -1)
fail=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$T_DIR/node.out" | tail -1)
if [ -z "$pass" ] || [ -z "$fail" ]; then
	echo "FAIL - the node test runner reported no summary (exit $status)"
	pass=${pass:-0}
	fail=$((${fail:-0} + 1))
elif [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
	echo "FAIL - node exited with $status"
	fail=1
elif [ "$pass" -eq 0 ]; then
	echo "FAIL - no browser test ran"
	fail=1
fi
if [ "$fail" -ne 0 ]; then
	echo "server log:"
	sed 's/^/    /' "$T_DIR/server.log" | tail -30
fi
gpgconf --kill gpg-agent >/dev/null 2>&1
T_PASS=$pass
T_FAIL=$fail
finish
