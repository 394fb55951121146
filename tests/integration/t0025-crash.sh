#!/bin/sh
# t0025 - crash consistency (issue 25 item 3): SBOM uploads and triage
# decisions over the API while `vigil serve` is killed with SIGKILL at
# random moments and started again (tests/integration/crash_driver.py), on
# the backend under test. Every upload answered 201 is there byte for byte,
# every stored SBOM is a document sent and whole (its original served, all
# its components), every answered decision is in the audit trail and no
# finding is in a state nobody asked for; the audit chain verifies.
# The short form here: VIGIL_CRASH_OPS operations (default 150) and
# VIGIL_CRASH_KILLS kills (default 25); `make reliability` runs 1,000 and
# 100 and writes the figures to docs/reliability.md.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
OPS=${VIGIL_CRASH_OPS:-150}
KILLS=${VIGIL_CRASH_KILLS:-25}
SEED=${VIGIL_CRASH_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "# seed $SEED (VIGIL_CRASH_SEED=$SEED repeats the kill moments)"

cat >"$T_DIR/crash-1.json" <<'JSON'
{"schema_version":"1.6.0","id":"CRASH-1","aliases":["CVE-2026-49999"],"modified":"2026-05-01T00:00:00Z",
 "published":"2026-05-01T00:00:00Z","summary":"crashlib before 2.0",
 "affected":[{"package":{"ecosystem":"PyPI","name":"crashlib"},
   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0"}]}]}]}
JSON
check_eq "advisory" "$(run_cmd "$VIGIL" feed import osv "$T_DIR/crash-1.json")" 0
check_eq "product" "$(run_cmd "$VIGIL" product create crash)" 0
TOK=$("$VIGIL" token create --name crash --role admin 2>/dev/null)

python3 "$VIGIL_SOURCE_DIR/tests/integration/crash_driver.py" "$VIGIL" "$T_DIR" "$TOK" \
	"$OPS" "$KILLS" "$SEED" >"$T_DIR/crash.out" 2>&1
check_eq "the driver ran to its end" "$?" 0
tally "$T_DIR/crash.out"
check_eq "audit verify after the kills" "$(run_cmd "$VIGIL" audit verify)" 0
[ "$(cat "$T_DIR/out")" = "" ] || sed 's/^/    /' "$T_DIR/out" | tail -3
# the figures for docs/reliability.md (scripts/reliability.sh reads them)
if [ -n "${VIGIL_RELIABILITY_OUT:-}" ]; then
	backend=sqlite
	[ -n "${VIGIL_TEST_PG:-}" ] && backend=postgresql
	sed -n "s/^# figures: /crash $backend /p" "$T_DIR/crash.out" >>"$VIGIL_RELIABILITY_OUT"
fi
finish
