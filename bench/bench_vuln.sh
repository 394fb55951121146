#!/bin/sh
# The vulnerability benchmark of issue 4 ("Performance"): figures are printed,
# nothing is asserted about time; a command that fails stops the bench.
#   1. build vigil and the bench tools (RelWithDebInfo in $BUILD)
#   2. an inventory of BENCH_SBOMS SBOMs x BENCH_COMPONENTS components
#      (bench_gen_cyclonedx; 100 package families, each shared by a tenth of
#      the SBOMs), imported on SQLite
#   3. generated OSV advisories (bench/bench_vuln_gen.py) plus the shared OSV
#      data, BENCH_ADVISORIES records in all; the full feed import is timed
#      (wall, peak RSS) with the inventory present, so findings are created
#   4. cold start (every advisory loaded into the in-memory index) and warm
#      matching of one 10,000-component SBOM (bench_vuln_match, best of 5)
#   5. 1,000 changed advisories (later modified, other fixed versions)
#      imported: the time until every finding is updated
# The goals (match under 100 ms warm, 1,000 changed advisories under 1 s)
# are reported as "goal met" / "goal missed". When BENCH_ADVISORIES is below
# 500,000, the import figures are also extrapolated linearly to 500,000 and
# marked as such.
# Environment: BUILD (build-bench), BENCH_ADVISORIES (500000), BENCH_SBOMS
# (1000), BENCH_COMPONENTS (1000), BENCH_MATCH_COMPONENTS (10000), BENCH_KEEP=1
# to keep the work folder (database, generated feeds) for profiling.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

BUILD=${BUILD:-build-bench}
NADV=${BENCH_ADVISORIES:-500000}
NSBOM=${BENCH_SBOMS:-1000}
NCOMP=${BENCH_COMPONENTS:-1000}
NMATCH=${BENCH_MATCH_COMPONENTS:-10000}
TARGET=500000
JOBS=$(nproc 2>/dev/null || echo 2)
TIME=/usr/bin/time
OSV=${VIGIL_SHARED_DATA:-$here/../shared/data}/vuln/osv
unset VIGIL_DB VIGIL_CONFIG

for tool in "$TIME" python3 cmake sqlite3 jq; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "bench: $tool is missing (sh scripts/deps.sh installs it)" >&2; exit 1; }
done

echo "=== build ($BUILD, RelWithDebInfo) ==="
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target vigil bench_gen_cyclonedx bench_vuln_match >/dev/null
case $BUILD in /*) BIN=$BUILD ;; *) BIN=$here/$BUILD ;; esac
VIGIL=$BIN/vigil

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-vuln.XXXXXX")
if [ "${BENCH_KEEP:-0}" = 1 ]; then
	echo "work folder kept: $work"
else
	trap 'rm -rf "$work"' EXIT
fi
trap 'exit 1' INT TERM
DB=$work/vuln.db

fail() {
	echo "bench: $1" >&2
	for f in "$work/out" "$work/err"; do
		[ -s "$f" ] && tail -20 "$f" | sed 's/^/  | /' >&2
	done
	exit 1
}
run() { "$@" >"$work/out" 2>"$work/err" || fail "command failed: $*"; }
# measure NAME CMD...: wall seconds, peak RSS (KiB), user and system CPU
# seconds into $work/NAME.time (on a shared machine wall time grows with the
# load, CPU time much less)
measure() {
	name=$1
	shift
	"$TIME" -f '%e %M %U %S' -o "$work/$name.time" "$@" >"$work/out" 2>"$work/err" ||
		fail "command failed: $*"
}
wall() { awk '{ print $1 }' "$work/$1.time"; }
cpu() { awk '{ printf "%.2f", $3 + $4 }' "$work/$1.time"; }
rss_mib() { awk '{ printf "%.0f", $2 / 1024 }' "$work/$1.time"; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
goal() { if below "$1" "$2"; then echo "goal met"; else echo "goal missed"; fi; }

shared=$(find "$OSV" -name '*.json' -o -name '*.yaml' | wc -l)
gen=$((NADV - shared))
[ "$gen" -gt 0 ] || gen=0

echo "=== inventory: $NSBOM SBOMs x $NCOMP components ==="
run "$VIGIL" --db "$DB" init
run "$VIGIL" --db "$DB" product create bench
# The graph is of no use to matching (and the generator repeats dependsOn
# items at small sizes, which the schema refuses): dropped.
run "$BIN/bench_gen_cyclonedx" "$NCOMP" "$work/base0.json"
run jq -c 'del(.dependencies)' "$work/base0.json"
mv "$work/out" "$work/base.json"
t0=$(date +%s.%N)
k=0
while [ "$k" -lt "$NSBOM" ]; do
	sed "s/pkg-/pkg-$((k % 100))x/g" "$work/base.json" >"$work/sbom.json"
	run "$VIGIL" --db "$DB" sbom import "$work/sbom.json" --product bench --version "v$k"
	k=$((k + 1))
done
t1=$(date +%s.%N)
INV_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
echo "inventory imported in $INV_S s"

echo "=== generate $gen OSV records (+ $shared shared records) ==="
run python3 bench/bench_vuln_gen.py "$work/gen" "$gen" --changed 1000 "$work/changed"
cat "$work/out"

echo "=== full feed import ==="
measure shared "$VIGIL" --db "$DB" feed import osv "$OSV"
echo "shared OSV: $(head -1 "$work/out") ($(wall shared) s, $(rss_mib shared) MiB)"
measure gen "$VIGIL" --db "$DB" feed import osv "$work/gen" --json
GEN_OUT=$(jq -c . "$work/out")
echo "generated: $GEN_OUT ($(wall gen) s, $(rss_mib gen) MiB)"
IMPORT_S=$(awk -v a="$(wall shared)" -v b="$(wall gen)" 'BEGIN { printf "%.1f", a + b }')
IMPORT_CPU=$(awk -v a="$(cpu shared)" -v b="$(cpu gen)" 'BEGIN { printf "%.1f", a + b }')
IMPORT_MIB=$(awk -v a="$(rss_mib shared)" -v b="$(rss_mib gen)" 'BEGIN { print (a > b ? a : b) }')
STORED=$(sqlite3 "$DB" "SELECT COUNT(*) FROM advisories")
FINDINGS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM findings WHERE retracted_at IS NULL")

echo "=== cold start and warm match of a $NMATCH-component SBOM ==="
run "$BIN/bench_gen_cyclonedx" "$NMATCH" "$work/big0.json"
run jq -c 'del(.dependencies)' "$work/big0.json"
sed "s/pkg-/pkg-0x/g" "$work/out" >"$work/big.json"
measure match "$BIN/bench_vuln_match" "$DB" "$work/big.json" 5
MATCH_LINE=$(cat "$work/out")
echo "$MATCH_LINE"
val() { echo "$MATCH_LINE" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

echo "=== 1,000 changed advisories ==="
measure changed "$VIGIL" --db "$DB" feed import osv "$work/changed" --json
CHANGED_OUT=$(jq -c . "$work/out")
echo "changed: $CHANGED_OUT"

echo
echo "=== vigil vulnerability benchmark ==="
echo "machine:    $JOBS cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "inventory:  $NSBOM SBOMs x $NCOMP components (npm purls), imported in $INV_S s; SQLite"
echo "advisories: $((gen + shared)) records ($gen generated OSV + $shared shared OSV files)${STORED:+; stored $STORED}"
echo "findings:   $FINDINGS after the import"
printf '%-42s %12s %s\n' "full feed import (wall)" "$IMPORT_S s" "(CPU $IMPORT_CPU s; peak RSS $IMPORT_MIB MiB)"
if [ "$NADV" -lt "$TARGET" ]; then
	printf '%-42s %12s %s\n' "  extrapolated to $TARGET records" \
		"$(awk -v s="$IMPORT_S" -v n="$NADV" -v t="$TARGET" 'BEGIN { printf "%.0f s", s * t / n }')" \
		"(linear; measured at $NADV)"
fi
printf '%-42s %12s %s\n' "cold start (index load)" "$(val load_ms) ms" "($(val advisories) advisories, $(val entries) entries, RSS $(val rss_mib) MiB)"
if [ "$NADV" -lt "$TARGET" ]; then
	printf '%-42s %12s %s\n' "  extrapolated to $TARGET records" \
		"$(awk -v s="$(val load_ms)" -v n="$NADV" -v t="$TARGET" 'BEGIN { printf "%.0f ms", s * t / n }')" \
		"(linear)"
fi
M=$(val match_best_ms)
printf '%-42s %12s %s\n' "match $NMATCH components (warm, best of 5)" "$M ms" \
	"(median $(val match_median_ms) ms, $(val hits) hits; < 100 ms: $(goal "$M" 100))"
C=$(wall changed)
printf '%-42s %12s %s\n' "1,000 changed advisories -> findings" "$C s" \
	"(whole process, CPU $(cpu changed) s; < 1 s: $(goal "$C" 1))"
echo "  $CHANGED_OUT"
