#!/bin/sh
# The OSV import benchmark of issue 15 (items 2 and 5): `vigil feed import
# osv` against the simplest competent script doing the same storage job
# (bench/bench_osv_script.py: Python's json module, sqlite3.executemany into
# two tables in one transaction, no validation), both timed in this run on the
# same input. Figures are printed, nothing is asserted; a command that fails
# stops the bench.
#   1. build vigil (RelWithDebInfo in $BUILD)
#   2. inputs: the Go advisories of the shared data (go-vulndb, 4,291 files)
#      and BENCH_OSV_GEN generated records shaped like the real ecosystems
#      (bench/bench_vuln_gen.py --mixed: npm, PyPI, Maven, Go, Debian; ranges,
#      versions lists, aliases), JSON arrays of 1,000 records a file
#   3. for each input, alternating: the script into a fresh SQLite file, and
#      vigil into a fresh database (`vigil init` not timed) followed by a
#      re-import of the unchanged input into the same database; best of
#      BENCH_OSV_RUNS runs (wall time; CPU = user + system of that run)
#   4. prints vigil/script (wall and CPU; the goal is at most 0.5), the
#      re-import ratio second/first (the goal is at most 0.1), and vigil's
#      split of the first import and of the re-import between reading,
#      parsing, validation, matching and database writes (`feed import
#      --json`, "timings_ms"), and the floor: an import of an empty folder
#      (process start, opening the database), which every re-import pays.
# The databases hold no inventory: matching finds no candidate component
# (bench/bench_vuln.sh measures matching into an inventory).
# Environment: BUILD (build), BENCH_OSV_GEN (500000), BENCH_OSV_RUNS (3 for
# the Go advisories; the generated corpus runs once), BENCH_OSV_GEN_RUNS (1),
# BENCH_OSV_BASELINE=/path/to/an/older/vigil to time that binary too, in the
# same runs (before/after figures of a change), BENCH_KEEP=1 to keep the work
# folder.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

BUILD=${BUILD:-build}
NGEN=${BENCH_OSV_GEN:-500000}
RUNS=${BENCH_OSV_RUNS:-3}
GEN_RUNS=${BENCH_OSV_GEN_RUNS:-1}
JOBS=$(nproc 2>/dev/null || echo 2)
TIME=/usr/bin/time
GO=${VIGIL_SHARED_DATA:-$here/../shared/data}/vuln/osv/go-vulndb
BASELINE=${BENCH_OSV_BASELINE:-}
unset VIGIL_DB VIGIL_CONFIG

for tool in "$TIME" python3 cmake jq; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "bench: $tool is missing (sh scripts/deps.sh installs it)" >&2; exit 1; }
done
[ -d "$GO" ] || { echo "bench: $GO is missing (the shared data)" >&2; exit 1; }

echo "=== build ($BUILD, RelWithDebInfo) ==="
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target vigil >/dev/null
case $BUILD in /*) VIGIL=$BUILD/vigil ;; *) VIGIL=$here/$BUILD/vigil ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-osv.XXXXXX")
if [ "${BENCH_KEEP:-0}" = 1 ]; then
	echo "work folder kept: $work"
else
	trap 'rm -rf "$work"' EXIT
fi
trap 'exit 1' INT TERM

fail() {
	echo "bench: $1" >&2
	for f in "$work/out" "$work/err"; do
		[ -s "$f" ] && tail -20 "$f" | sed 's/^/  | /' >&2
	done
	exit 1
}
run() { "$@" >"$work/out" 2>"$work/err" || fail "command failed: $*"; }
# measure NAME CMD...: "wall cpu" (seconds) appended to $work/NAME.t; the
# command's output stays in $work/out
measure() {
	m_log=$1
	shift
	"$TIME" -f '%e %U %S' -o "$work/time" "$@" >"$work/out" 2>"$work/err" ||
		fail "command failed: $*"
	awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time" >>"$work/$m_log.t"
}
# best NAME: the line of the smallest wall time
best() { sort -n "$work/$1.t" | head -1; }
wall() { best "$1" | cut -d' ' -f1; }
cpu() { best "$1" | cut -d' ' -f2; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
goal() { awk -v r="$1" -v g="$2" 'BEGIN { print (r + 0 <= g ? "goal met" : "goal missed") }'; }

echo "=== generate $NGEN OSV records (--mixed) ==="
run python3 bench/bench_vuln_gen.py "$work/gen" "$NGEN" --mixed
GEN_MB=$(du -sm "$work/gen" | cut -f1)
GO_MB=$(du -sm "$GO" | cut -f1)
echo "generated: $GEN_MB MB in $(find "$work/gen" -name '*.json' | wc -l) files"

# bench_input NAME PATH RUNS: script and vigil, alternating, RUNS times.
bench_input() {
	name=$1
	path=$2
	n=$3
	: >"$work/$name-script.t"
	: >"$work/$name-first.t"
	: >"$work/$name-again.t"
	: >"$work/$name-base.t"
	: >"$work/$name-base-again.t"
	r=1
	while [ "$r" -le "$n" ]; do
		rm -f "$work/script.db"
		measure "$name-script" python3 bench/bench_osv_script.py "$work/script.db" "$path"
		echo "$name run $r: script $(tail -1 "$work/$name-script.t") ($(cat "$work/out"))"
		rm -f "$work/vigil.db" "$work/vigil.db-wal" "$work/vigil.db-shm"
		run "$VIGIL" --db "$work/vigil.db" init
		measure "$name-first" "$VIGIL" --db "$work/vigil.db" feed import osv "$path" --json
		jq -c . "$work/out" >"$work/$name-first-$r.json"
		measure "$name-again" "$VIGIL" --db "$work/vigil.db" feed import osv "$path" --json
		jq -c . "$work/out" >"$work/$name-again-$r.json"
		echo "$name run $r: vigil $(tail -1 "$work/$name-first.t"), re-import $(tail -1 "$work/$name-again.t")"
		echo "  first:     $(jq -c '{imported, unchanged, skipped, timings_ms}' "$work/$name-first-$r.json")"
		echo "  re-import: $(jq -c '{imported, unchanged, skipped, timings_ms}' "$work/$name-again-$r.json")"
		if [ -n "$BASELINE" ]; then
			rm -f "$work/base.db" "$work/base.db-wal" "$work/base.db-shm"
			run "$BASELINE" --db "$work/base.db" init
			measure "$name-base" "$BASELINE" --db "$work/base.db" feed import osv "$path"
			measure "$name-base-again" "$BASELINE" --db "$work/base.db" feed import osv "$path"
			echo "$name run $r: baseline $(tail -1 "$work/$name-base.t"), re-import $(tail -1 "$work/$name-base-again.t")"
		fi
		r=$((r + 1))
	done
	# the timings of the best run
	b=$(awk '{ print NR, $1 }' "$work/$name-first.t" | sort -k2 -n | head -1 | cut -d' ' -f1)
	cp "$work/$name-first-$b.json" "$work/$name-first.json"
	b=$(awk '{ print NR, $1 }' "$work/$name-again.t" | sort -k2 -n | head -1 | cut -d' ' -f1)
	cp "$work/$name-again-$b.json" "$work/$name-again.json"
}

echo "=== floor: an empty folder ==="
mkdir -p "$work/empty"
rm -f "$work/vigil.db"
run "$VIGIL" --db "$work/vigil.db" init
: >"$work/floor.t"
for r in 1 2 3; do
	measure floor "$VIGIL" --db "$work/vigil.db" feed import osv "$work/empty"
done

echo "=== Go advisories ($GO) ==="
bench_input go "$GO" "$RUNS"
echo "=== generated corpus ($NGEN records) ==="
bench_input gen "$work/gen" "$GEN_RUNS"

# split NAME: "read R, parse P, validate V, match M, write W, other O (ms)"
split() {
	jq -r '.timings_ms | "read \(.read|round), parse \(.parse|round), validate \(.validate|round), match \(.match|round), write \(.write|round), other \(.other|round) ms (of \(.total|round))"' "$work/$1.json"
}
line() {
	# NAME LABEL
	vr=$(ratio "$(wall "$1-first")" "$(wall "$1-script")")
	cr=$(ratio "$(cpu "$1-first")" "$(cpu "$1-script")")
	rr=$(ratio "$(wall "$1-again")" "$(wall "$1-first")")
	printf '%-26s script %6s s (cpu %6s)  vigil %6s s (cpu %6s)  vigil/script %5s (cpu %5s; <= 0.5: %s)\n' \
		"$2" "$(wall "$1-script")" "$(cpu "$1-script")" "$(wall "$1-first")" "$(cpu "$1-first")" \
		"$vr" "$cr" "$(goal "$vr" 0.5)"
	printf '%-26s re-import %6s s (cpu %6s)  second/first %5s (<= 0.1: %s)\n' "" \
		"$(wall "$1-again")" "$(cpu "$1-again")" "$rr" "$(goal "$rr" 0.1)"
	printf '%-26s first import:  %s\n' "" "$(split "$1-first")"
	printf '%-26s re-import:     %s\n' "" "$(split "$1-again")"
	if [ -n "$BASELINE" ]; then
		br=$(ratio "$(wall "$1-base")" "$(wall "$1-script")")
		printf '%-26s baseline %6s s (cpu %6s)  baseline/script %5s (cpu %5s); re-import %6s s, second/first %5s\n' "" \
			"$(wall "$1-base")" "$(cpu "$1-base")" "$br" \
			"$(ratio "$(cpu "$1-base")" "$(cpu "$1-script")")" "$(wall "$1-base-again")" \
			"$(ratio "$(wall "$1-base-again")" "$(wall "$1-base")")"
	fi
}

echo
echo "=== vigil OSV import benchmark (issue 15 items 2 and 5) ==="
echo "machine: $JOBS cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "inputs:  Go advisories $(find "$GO" -name '*.json' | wc -l) files, $GO_MB MB; generated $NGEN records, $GEN_MB MB"
echo "figures: best wall time of $RUNS runs (Go) / $GEN_RUNS (generated), CPU = user + system of that run;"
echo "         SQLite; no inventory; the script: bench/bench_osv_script.py"
echo "floor:   $(wall floor) s (cpu $(cpu floor)): vigil importing an empty folder"
[ -z "$BASELINE" ] || echo "baseline: $BASELINE (timed in the same runs, after vigil)"
line go "Go advisories (4,291)"
line gen "generated ($NGEN)"
