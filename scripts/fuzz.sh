#!/bin/sh
# Build every libFuzzer target (tests/fuzz/fuzz_<name>.c) with clang in
# build-fuzz and run each one for SECONDS (default 10), as many at once as
# there are cores.
#
#   sh scripts/fuzz.sh [SECONDS]
#
# Each target starts from a fresh temporary copy of its seeds
# (tests/fuzz/corpus/<name>/, required) plus, read-only, the shared-data
# folders listed one a line in tests/fuzz/<name>.dirs (relative to
# $VIGIL_SHARED_DATA, default ../shared/data; a missing folder is an error),
# and the dictionary tests/fuzz/<name>.dict when there is one.
# Prints "fuzz <name>: ok (N runs)" or the failure with the sanitizer's
# report, then "N passed, N failed"; exits 1 when any target failed.
# VIGIL_FUZZ_TARGETS="json_body time" limits the run to those targets;
# VIGIL_FUZZ_BUILD_ONLY=1 builds them and stops (scripts/fuzz-campaign.sh).
# Crashing inputs are kept in build-fuzz/artifacts/<name>/ for reproducing:
#   build-fuzz/fuzz_<name> build-fuzz/artifacts/<name>/crash-...
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1

seconds=${1:-10}
case $seconds in
'' | *[!0-9]*)
	echo "usage: sh scripts/fuzz.sh [SECONDS]" >&2
	exit 2
	;;
esac
build=${VIGIL_FUZZ_BUILD:-build-fuzz}
case $build in /*) ;; *) build="$here/$build" ;; esac
shared=${VIGIL_SHARED_DATA:-$here/../shared/data}
shared=$(cd "$shared" 2>/dev/null && pwd || printf '%s' "$shared")
jobs=$(nproc 2>/dev/null || echo 2)

# UBSan reports are findings too: stop at the first one.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS

command -v clang >/dev/null 2>&1 || {
	echo "fuzz: clang not found (run scripts/deps.sh)"
	echo "0 passed, 1 failed"
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

names=""
for src in tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	n=${src##*/fuzz_}
	n=${n%.c}
	case " ${VIGIL_FUZZ_TARGETS:-$n} " in *" $n "*) names="$names $n" ;; esac
done
if [ -z "$names" ]; then
	echo "fuzz: no targets in tests/fuzz/"
	echo "0 passed, 1 failed"
	exit 1
fi

if ! cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DVIGIL_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=Debug >"$work/cmake.log" 2>&1; then
	cat "$work/cmake.log"
	echo "fuzz: configuring $build failed"
	echo "0 passed, 1 failed"
	exit 1
fi

# One build of all targets; if that fails, build them one by one so that a
# broken target fails alone.
targets=""
for n in $names; do targets="$targets fuzz_$n"; done
# shellcheck disable=SC2086
if ! cmake --build "$build" -j "$jobs" --target $targets >"$work/build.log" 2>&1; then
	for n in $names; do
		cmake --build "$build" -j "$jobs" --target "fuzz_$n" >"$work/build-$n.log" 2>&1 ||
			echo "$n" >>"$work/broken"
	done
fi

if [ -n "${VIGIL_FUZZ_BUILD_ONLY:-}" ]; then
	# scripts/fuzz-campaign.sh: the targets built, nothing run
	st=0
	for n in $names; do
		if [ ! -x "$build/fuzz_$n" ] || grep -qx "$n" "$work/broken" 2>/dev/null; then
			echo "fuzz $n: does not build"
			tail -30 "$work/build-$n.log" 2>/dev/null || tail -30 "$work/build.log"
			st=1
		fi
	done
	exit $st
fi

# run_one NAME: fuzz one target; writes $work/res-NAME: "ok RUNS" or
# "FAILED WHY" and then the report.
run_one() {
	n=$1
	res="$work/res-$n"
	bin="$build/fuzz_$n"
	if [ ! -x "$bin" ] || grep -qx "$n" "$work/broken" 2>/dev/null; then
		echo "FAILED does not build" >"$res"
		grep -E -A3 'error|Error' "$work/build-$n.log" 2>/dev/null | head -30 >>"$res"
		[ "$(wc -l <"$res")" -gt 1 ] || tail -30 "$work/build.log" >>"$res"
		return
	fi
	if [ ! -d "tests/fuzz/corpus/$n" ]; then
		echo "FAILED no seed corpus tests/fuzz/corpus/$n/" >"$res"
		return
	fi
	corpus="$work/corpus-$n"
	rm -rf "$corpus"
	mkdir -p "$corpus"
	cp -R "tests/fuzz/corpus/$n/." "$corpus/"
	dirs=""
	missing=""
	if [ -f "tests/fuzz/$n.dirs" ]; then
		while IFS= read -r d || [ -n "$d" ]; do
			d=$(printf '%s' "$d" | sed 's/[[:space:]]*$//')
			case $d in '' | '#'*) continue ;; esac
			if [ -d "$shared/$d" ]; then
				dirs="$dirs
$shared/$d"
			else
				missing="$missing $d"
			fi
		done <"tests/fuzz/$n.dirs"
	fi
	if [ -n "$missing" ]; then
		echo "FAILED shared data folder(s) missing under $shared:$missing" >"$res"
		return
	fi
	set -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0
	if [ -f "tests/fuzz/$n.dict" ]; then
		set -- "$@" -dict="tests/fuzz/$n.dict"
	fi
	mkdir -p "$build/artifacts/$n"
	set -- "$@" -artifact_prefix="$build/artifacts/$n/" "$corpus"
	# folder names may hold spaces: split the list on new lines only
	old_ifs=$IFS
	IFS='
'
	for d in $dirs; do set -- "$@" "$d"; done
	IFS=$old_ifs

	"$bin" "$@" >"$work/$n.log" 2>&1
	status=$?
	runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs in.*/\1/p' "$work/$n.log" | tail -1)
	if [ "$status" -eq 0 ] && [ -n "$runs" ]; then
		echo "ok $runs" >"$res"
		return
	fi
	what=$(grep -o -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [a-z-]+|runtime error: .*' \
		"$work/$n.log" | head -1)
	echo "FAILED ${what:-exit status $status}" >"$res"
	# the report: from the first sanitizer or libFuzzer error line on
	awk '/^==[0-9]+==|runtime error:|^INFO: a leak|ERROR: libFuzzer|^SUMMARY|artifact_prefix|Test unit written/ { on = 1 } on' \
		"$work/$n.log" | head -80 >"$work/why-$n"
	[ -s "$work/why-$n" ] || tail -40 "$work/$n.log" >"$work/why-$n"
	cat "$work/why-$n" >>"$res"
}

# As many targets at once as there are cores (each is one process).
running=0
for n in $names; do
	run_one "$n" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

pass=0
fail=0
failed=""
for n in $names; do
	res="$work/res-$n"
	first=$(head -1 "$res" 2>/dev/null)
	case $first in
	"ok "*)
		pass=$((pass + 1))
		echo "fuzz $n: ok (${first#ok } runs)"
		;;
	*)
		fail=$((fail + 1))
		failed="$failed $n"
		echo "fuzz $n: FAILED (${first#FAILED })"
		tail -n +2 "$res" 2>/dev/null | sed 's/^/    /'
		;;
	esac
done

echo
[ -z "$failed" ] || echo "failed fuzz targets:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
