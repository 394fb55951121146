#!/bin/sh
# The fuzz campaign (`make fuzz-campaign`): every libFuzzer target of
# tests/fuzz/ for a budget, new coverage merged back into the checked-in
# corpora (minimised), the figures written to docs/testing.md.
#
#   sh scripts/fuzz-campaign.sh [--seconds N] [--runs N] [--jobs N] [--no-merge]
#
#   --seconds N  the time budget of each target (default 7200: two hours)
#   --runs N     ... or this many executions, whichever comes first
#                (default 10000000)
#   --jobs N     targets fuzzed at once (default: the number of cores)
#   --no-merge   leave tests/fuzz/corpus/ as it is
# VIGIL_FUZZ_TARGETS="json_body time" limits the campaign to those targets
# (as for scripts/fuzz.sh); the Makefile passes FUZZ_BUDGET and FUZZ_RUNS.
#
# Each target runs on its own campaign corpus, build-fuzz/campaign/<name>/,
# which starts as the checked-in seeds and grows across campaigns; the
# shared-data folders of tests/fuzz/<name>.dirs and <name>.campaign-dirs
# (campaigns only: the SBOM field corpus) are read, never copied. An
# input slower than 1 s is a hang (-timeout=1), leaks and every ASan/UBSan
# report are findings: the input is kept in build-fuzz/artifacts/<name>/;
# fix the bug, then add the input to tests/fuzz/corpus/<name>/ as its
# regression case (the test suite's smoke run replays every seed).
#
# After the runs, `-merge=1` minimises the checked-in seeds plus what the
# campaign found (inputs up to 64 KiB: larger ones are mutations of shared
# documents, which stay out of the repository) into tests/fuzz/corpus/<name>/.
#
# docs/testing.md, between its fuzz-campaign markers, gets one row a target:
# executions, edges covered, corpus files, findings, budget and date.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1

seconds=7200
runs=10000000
jobs=$(nproc 2>/dev/null || echo 2)
merge=1
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) seconds=${2:-}; shift 2 ;;
	--runs) runs=${2:-}; shift 2 ;;
	--jobs) jobs=${2:-}; shift 2 ;;
	--no-merge) merge=0; shift ;;
	*)
		echo "usage: sh scripts/fuzz-campaign.sh [--seconds N] [--runs N] [--jobs N] [--no-merge]" >&2
		exit 2
		;;
	esac
done
for v in "$seconds" "$runs" "$jobs"; do
	case $v in
	'' | *[!0-9]* | 0)
		echo "fuzz-campaign: --seconds, --runs and --jobs take a positive whole number, not '$v'" >&2
		exit 2
		;;
	esac
done

build=${VIGIL_FUZZ_BUILD:-build-fuzz}
case $build in /*) ;; *) build="$here/$build" ;; esac
shared=${VIGIL_SHARED_DATA:-$here/../shared/data}
shared=$(cd "$shared" 2>/dev/null && pwd || printf '%s' "$shared")
export VIGIL_FUZZ_BUILD="$build"
VIGIL_FUZZ_BUILD_ONLY=1 sh scripts/fuzz.sh || { echo "fuzz-campaign: the targets do not build"; exit 1; }

UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-campaign.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

names=""
for src in tests/fuzz/fuzz_*.c; do
	n=${src##*/fuzz_}
	n=${n%.c}
	case " ${VIGIL_FUZZ_TARGETS:-$n} " in *" $n "*) names="$names $n" ;; esac
done

# campaign_one NAME: fuzz NAME to its budget; $work/res-NAME gets
# "RUNS EDGES FINDINGS SPURIOUS". libFuzzer's -timeout is wall-clock time,
# so on a busy machine (a campaign at low priority beside a build) a fast
# input can pass for a hang: a timeout whose input then runs alone within
# the limit, three times, is spurious; it is dropped (counted) and the
# target goes on with what is left of its budget. libFuzzer's slow-unit
# files are reports, not findings.
campaign_one() {
	n=$1
	bin=$build/fuzz_$n
	corpus=$build/campaign/$n
	mkdir -p "$corpus" "$build/artifacts/$n"
	cp -R "tests/fuzz/corpus/$n/." "$corpus/"
	find "$build/artifacts/$n" -type f -name 'slow-unit-*' -delete
	before=$(find "$build/artifacts/$n" -type f | wc -l)
	total=0 spurious=0 started=$(date +%s) left_runs=$runs left_s=$seconds
	: >"$build/campaign/$n.log"
	while [ "$left_runs" -gt 0 ] && [ "$left_s" -gt 0 ]; do
		set -- -max_total_time="$left_s" -runs="$left_runs" -timeout=1 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix="$build/artifacts/$n/"
		[ -f "tests/fuzz/$n.dict" ] && set -- "$@" -dict="tests/fuzz/$n.dict"
		set -- "$@" "$corpus"
		# the smoke run's shared folders, and those for campaigns only (too
		# many documents to read within a smoke run's seconds)
		for list in "tests/fuzz/$n.dirs" "tests/fuzz/$n.campaign-dirs"; do
			[ -f "$list" ] || continue
			while IFS= read -r d || [ -n "$d" ]; do
				d=$(printf '%s' "$d" | sed 's/[[:space:]]*$//')
				case $d in '' | '#'*) continue ;; esac
				[ -d "$shared/$d" ] && set -- "$@" "$shared/$d"
			done <"$list"
		done
		# a finding stops the target's run: fix it, add the input as a seed, run again
		touch "$work/mark-$n"
		"$bin" "$@" >"$work/$n.log" 2>&1
		cat "$work/$n.log" >>"$build/campaign/$n.log"
		done_runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$work/$n.log" | tail -1)
		total=$((total + ${done_runs:-0}))
		edges=$(grep -o 'cov: [0-9]*' "$work/$n.log" | tail -1 | cut -d' ' -f2)
		find "$build/artifacts/$n" -type f -name 'slow-unit-*' -delete
		real=0
		for f in $(find "$build/artifacts/$n" -type f -newer "$work/mark-$n"); do
			case ${f##*/} in
			timeout-*)
				ok=1
				for try in 1 2 3; do
					"$bin" -timeout=1 -rss_limit_mb=2048 "$f" >/dev/null 2>&1 || ok=0
				done
				if [ $ok = 1 ]; then
					rm -f "$f"
					spurious=$((spurious + 1))
				else
					real=1
				fi
				;;
			*) real=1 ;;
			esac
		done
		[ $real = 0 ] || break
		left_runs=$((runs - total))
		left_s=$((seconds - ($(date +%s) - started)))
		[ "${done_runs:-0}" -gt 0 ] || break # nothing ran: do not spin
	done
	after=$(find "$build/artifacts/$n" -type f | wc -l)
	echo "$total ${edges:-0} $((after - before)) $spurious" >"$work/res-$n"
}

running=0
for n in $names; do
	echo "fuzz-campaign: $n (${seconds} s or $runs runs)"
	campaign_one "$n" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

# merge: the seeds plus the campaign's finds (up to 64 KiB), minimised
if [ "$merge" = 1 ]; then
	for n in $names; do
		small=$work/small-$n
		out=$work/merged-$n
		mkdir -p "$small" "$out"
		find "$build/campaign/$n" -type f -size -65537c -exec cp {} "$small/" \;
		if "$build/fuzz_$n" -merge=1 -timeout=1 "$out" "tests/fuzz/corpus/$n" "$small" \
			>"$work/merge-$n.log" 2>&1 && [ -n "$(ls -A "$out")" ]; then
			# the named seeds stay as they are (they document cases); the
			# fuzzer's own inputs are replaced by the minimised set
			find "tests/fuzz/corpus/$n" -type f -name '[0-9a-f]*' |
				grep -E '/[0-9a-f]{40}$' | xargs -r rm -f
			# libFuzzer names merged inputs by their SHA-1: one the named
			# seeds already hold is not copied again
			seeds=" $(find "tests/fuzz/corpus/$n" -type f -exec sha1sum {} + | cut -c1-40 | tr '\n' ' ')"
			for f in "$out"/*; do
				b=${f##*/}
				case $seeds in *" $b "*) ;; *) cp "$f" "tests/fuzz/corpus/$n/$b" ;; esac
			done
		else
			echo "fuzz-campaign: merging $n failed (tests/fuzz/corpus/$n left as it was):"
			tail -5 "$work/merge-$n.log"
		fi
	done
fi

# the figures
date=$(date -u +%Y-%m-%d)
rows=$work/rows
: >"$rows"
open=0
for n in $names; do
	set -- $(cat "$work/res-$n" 2>/dev/null || echo "0 0 0 0")
	files=$(find "tests/fuzz/corpus/$n" -type f | wc -l)
	printf '| %s | %s | %s | %s | %s | %s | %s s | %s |\n' "$n" "$1" "$2" "$files" "$3" "${4:-0}" "$seconds" "$date" >>"$rows"
	echo "fuzz-campaign: $n: $1 executions, $2 edges, $files corpus files, $3 finding(s), ${4:-0} spurious timeout(s) dropped"
	[ "$3" -eq 0 ] || open=$((open + $3))
done
python3 - "$rows" docs/testing.md <<'EOF'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    rows[line.split("|")[1].strip()] = line.rstrip("\n")
doc = open(sys.argv[2]).read()
begin, end = "<!-- fuzz-campaign:begin -->", "<!-- fuzz-campaign:end -->"
a, b = doc.index(begin) + len(begin), doc.index(end)
old = [l for l in doc[a:b].strip("\n").split("\n") if l.startswith("| ") and not l.startswith("| target") and not l.startswith("|--")]
for l in old:
    name = l.split("|")[1].strip()
    cells = l.split("|")
    if len(cells) == 9:  # a row from before the spurious-timeout column
        cells.insert(6, " 0 ")
        l = "|".join(cells)
    rows.setdefault(name, l)
head = ("| target | executions | edges | corpus files | findings | spurious timeouts | budget | date |\n"
        "|---|---:|---:|---:|---:|---:|---:|---|\n")
body = "\n".join(rows[k] for k in sorted(rows))
open(sys.argv[2], "w").write(doc[:a] + "\n" + head + body + "\n" + doc[b:])
EOF
if [ "$open" -gt 0 ]; then
	echo "fuzz-campaign: $open finding(s): inputs in $build/artifacts/<target>/"
	exit 1
fi
echo "fuzz-campaign: no findings"
