#!/bin/sh
# The whole test suite, as `make test` and CI run it:
#   1. install dependencies (scripts/deps.sh)
#   2. release build with -Werror; every test (unit, integration, browser,
#      conformance campaigns, style) on SQLite
#   3. ASan+UBSan build; unit + integration tests on a throw-away
#      PostgreSQL 15: the sanitized pass and the PostgreSQL pass in one (the
#      code above the store is the same on both backends; the tests labelled
#      nodb open no database and run here once). Not run there: the browser
#      suite t0900 (pages do not depend on the backend), the conformance
#      campaigns (agreement with outside tools, once, in step 2; their
#      parsers have fuzz targets, which run under ASan)
#   4. the ASan+UBSan build's unit tests on SQLite (the SQLite store under
#      the sanitizers)
#   5. fuzz smoke run of every libFuzzer target (VIGIL_FUZZ_SECONDS, default 5)
# docs/testing.md says why the passes are cut this way. The ASan+UBSan build
# runs beside step 2 and the fuzz targets' build beside steps 3 and 4, at
# low priority, on the cores the tests leave idle.
# ctest runs one test more than there are cores at once (every test takes its
# own ports and files; tests wait on servers they start, and a full run kept
# two cores only three quarters busy at one a core). VIGIL_TEST_JOBS overrides.
# Ends with one line "N passed, N failed" counting ctest tests and fuzz targets.
set -u
# Debian's tools first (scripts/deps.sh installs them): a version manager's
# shims ahead of /usr/bin cost half a second a start
PATH=/usr/bin:/bin:$PATH
export PATH
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1

sh scripts/deps.sh || { echo "dependency installation failed"; exit 1; }

JOBS=$(nproc 2>/dev/null || echo 2)
TEST_JOBS=${VIGIL_TEST_JOBS:-$((JOBS + 1))}
PASS=0
FAIL=0
FAILED=""
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-test.XXXXXX")
chmod 755 "$work"
cleanup() {
	sh scripts/pg.sh stop "$work/pg" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# run_ctest NAME BUILD_DIR [ctest args...]: run ctest, count results from its summary.
run_ctest() {
	name=$1
	dir=$2
	shift 2
	echo "=== $name ==="
	(cd "$dir" && ctest --output-on-failure --timeout 900 -j "$TEST_JOBS" "$@") >"$work/ctest.log" 2>&1
	cat "$work/ctest.log"
	total=$(sed -n 's/.*tests failed out of \([0-9][0-9]*\).*/\1/p' "$work/ctest.log" | tail -1)
	failed=$(sed -n 's/.*, \([0-9][0-9]*\) tests failed out of.*/\1/p' "$work/ctest.log" | tail -1)
	if [ -z "$total" ]; then
		echo "$name: ctest did not report a summary"
		FAIL=$((FAIL + 1))
		FAILED="$FAILED $name"
		return
	fi
	PASS=$((PASS + total - failed))
	FAIL=$((FAIL + failed))
	[ "$failed" -eq 0 ] || FAILED="$FAILED $name"
}

build() {
	dir=$1
	shift
	$NICE cmake -S . -B "$dir" -DVIGIL_WERROR=ON "$@" >"$work/cmake-$dir.log" 2>&1 ||
		{ cat "$work/cmake-$dir.log"; echo "configure of $dir failed"; exit 1; }
	$NICE cmake --build "$dir" -j "$JOBS" || { echo "build of $dir failed"; exit 1; }
}
NICE=""

# the fuzz targets, built and not run (fuzz.sh builds again before its run:
# a no-op then, and it reports a target that does not build)
fuzz_build() {
	VIGIL_FUZZ_BUILD_ONLY=1 $NICE sh scripts/fuzz.sh
}

# background LOG FUNCTION ARGS...: run the build function at low priority
# (NICE) beside a test pass (the tests leave a quarter of the cores idle
# waiting on their servers); its output in LOG, its exit status in LOG.rc
background() {
	log=$1
	shift
	( (NICE="nice -n 10" "$@") >"$log" 2>&1; echo $? >"$log.rc") &
}
# wait_background PID LOG WHAT: wait for it; on failure print LOG and stop
wait_background() {
	wait "$1"
	if [ "$(cat "$2.rc" 2>/dev/null)" != 0 ]; then
		cat "$2"
		echo "$3 failed"
		exit 1
	fi
}

build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
# the sanitized build beside the SQLite pass
background "$work/asan-build.log" build build-asan -DCMAKE_BUILD_TYPE=Debug -DVIGIL_SANITIZE=ON -DVIGIL_FAULT=ON
asan_pid=$!
run_ctest "sqlite" build
wait_background "$asan_pid" "$work/asan-build.log" "the ASan+UBSan build"
# the fuzz targets' build beside the sanitized passes
background "$work/fuzz-build.log" fuzz_build
fuzz_pid=$!

url=$(sh scripts/pg.sh start "$work/pg") || {
	echo "could not start PostgreSQL"
	cat "$work/pg/initdb.log" "$work/pg/server.log" 2>/dev/null
	exit 1
}
echo "PostgreSQL for tests: $url"
export VIGIL_TEST_PG="$url"
export LSAN_OPTIONS="suppressions=$here/tests/lsan.supp"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_ctest "postgresql+asan+ubsan" build-asan -L "unit|integration" -LE "conformance" -E "t0900"
unset VIGIL_TEST_PG
sh scripts/pg.sh stop "$work/pg" >/dev/null 2>&1
run_ctest "sqlite+asan+ubsan (unit)" build-asan -L "unit"
unset LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS

wait "$fuzz_pid" # its failures are the fuzz run's to report
echo "=== fuzz smoke ==="
if sh scripts/fuzz.sh "${VIGIL_FUZZ_SECONDS:-5}" >"$work/fuzz.log" 2>&1; then
	fuzz_ok=1
else
	fuzz_ok=0
fi
cat "$work/fuzz.log"
fp=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p' "$work/fuzz.log" | tail -1)
ff=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p' "$work/fuzz.log" | tail -1)
if [ -z "$fp" ]; then
	FAIL=$((FAIL + 1))
	FAILED="$FAILED fuzz"
else
	PASS=$((PASS + fp))
	FAIL=$((FAIL + ff))
	[ "$fuzz_ok" -eq 1 ] || FAILED="$FAILED fuzz"
fi

echo
[ -z "$FAILED" ] || echo "failed parts:$FAILED"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ] && [ -z "$FAILED" ]
