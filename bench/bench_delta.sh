#!/bin/sh
# The binary delta benchmark of `make bench` (issue 20, "Performance"),
# called by scripts/bench.sh. On pairs of real Debian shared libraries across
# security updates (two versions of a package from apt, downloaded here with
# `apt-get download`), every figure of vigil's delta is printed beside bsdiff
# 4.3's in the same run, as a ratio; xdelta3 -9 and `zstd --patch-from`
# (--ultra -22 --long) are printed beside for reference. Goals (reported as
# "goal met" / "goal missed", never failing the bench; a command that fails
# or a patch that does not rebuild the new file byte for byte does):
#   - patch size at most 1.0x bsdiff's on every pair, smaller on most
#   - make time at most 0.5x bsdiff's (CPU time, user + system: on a shared
#     machine wall time follows the load; wall time is printed too)
#   - make peak memory (RSS) at most bsdiff's
#   - apply under one second (CPU time) for a 50 MB image
# vigil's delta code is measured in a process of its own (build target
# bench_delta_tool: src/update/delta_make.c and delta_apply.c with libzstd
# and libdivsufsort, as bsdiff is its own small program with libbz2;
# bench_delta_tool_lzma, with liblzma too, for --method lzma);
# `vigil delta make`, which
# also loads every library the vigil program links, is printed beside.
# Environment: BUILD (build), VIGIL_BENCH_DELTA_PAIRS (the pairs: "package
# file-glob" per line), VIGIL_BENCH_DELTA_MB (50).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

BUILD=${BUILD:-build}
MB=${VIGIL_BENCH_DELTA_MB:-50}
PAIRS=${VIGIL_BENCH_DELTA_PAIRS:-"libssl3 libssl.so.3
libssl3 libcrypto.so.3
libc6 libc.so.6
libc6 libm.so.6
zlib1g libz.so.1.*
libxml2 libxml2.so.2.*
libcurl4 libcurl.so.4.*"}

for tool in python3 /usr/bin/time bsdiff bspatch xdelta3 zstd apt-get apt-cache dpkg-deb cmp awk; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "bench_delta: $tool is missing (sh scripts/deps.sh installs it)" >&2; exit 1; }
done
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
	cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_WERROR=ON >/dev/null
fi
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target vigil bench_delta_tool bench_delta_tool_lzma >/dev/null
VIGIL=$here/$BUILD/vigil
case $BUILD in /*) VIGIL=$BUILD/vigil ;; esac
TOOL=$(dirname "$VIGIL")/bench_delta_tool
TOOL_LZ=$(dirname "$VIGIL")/bench_delta_tool_lzma

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-delta.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

fail() {
	echo "bench_delta: $1" >&2
	for f in "$work/out" "$work/err"; do
		[ -s "$f" ] && sed 's/^/  | /' "$f" | tail -15 >&2
	done
	exit 1
}
# measure CMD...: prints "wall_s cpu_s peak_kib", the median wall and CPU
# seconds (user + system) of a run and its median peak RSS. One run of a
# small pair takes milliseconds, below GNU time's hundredths, so the command
# runs at least three times and until its CPU time adds up to half a second
# (at most 50 runs; medians, since a run beside a busy core can take a fifth
# longer). The CPU time is the kernel's (wait4, microseconds) for GNU time
# and the command it runs (GNU time's own start, under a millisecond, makes
# the ratios of small pairs nearer 1, never better); the peak RSS is GNU
# time's (wait4's own would count the Python process that forked it; the
# kernel samples it, give or take 100 KiB from run to run). The output and
# errors of the last run are in $work/out and $work/err.
cat >"$work/measure.py" <<'EOF'
import os, subprocess, sys, time
out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
rss = out + ".rss"
walls, cpus, peaks = [], [], []
while len(cpus) < 50 and (len(cpus) < 3 or sum(cpus) < 0.5):
    with open(out, "wb") as o, open(err, "wb") as e:
        t = time.monotonic()
        p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss] + cmd, stdout=o, stderr=e)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        walls.append(time.monotonic() - t)
    if p.returncode != 0:
        sys.exit(1)
    cpus.append(ru.ru_utime + ru.ru_stime)
    peaks.append(int(open(rss).read().split()[-1]))
med = lambda v: sorted(v)[len(v) // 2]
print("%.3f %.4f %d" % (med(walls), med(cpus), med(peaks)))
EOF
measure() {
	python3 "$work/measure.py" "$work/out" "$work/err" "$@" >"$work/time" ||
		fail "command failed: $*"
	cat "$work/time"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
atmost() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
size() { wc -c <"$1" | tr -d ' '; }

# fetch PKG: two versions of a Debian package unpacked in $work/PKG/x1 (older) and x2
fetch() {
	[ -d "$work/$1/x2" ] && return 0
	vers=$(apt-cache madison "$1" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' |
		sort -u | sort -V | tail -2)
	[ "$(echo "$vers" | grep -c .)" -eq 2 ] || return 1
	mkdir -p "$work/$1"
	i=0
	for v in $vers; do
		i=$((i + 1))
		# each version in a folder of its own (the .deb files' times are the
		# archive's, so the newest file need not be the one just fetched)
		mkdir -p "$work/$1/d$i"
		(cd "$work/$1/d$i" && apt-get download -q "$1=$v" >/dev/null 2>&1) || return 1
		deb=$(ls "$work/$1/d$i"/*.deb | head -1)
		mkdir -p "$work/$1/x$i"
		dpkg-deb -x "$deb" "$work/$1/x$i" || return 1
		echo "$v" >"$work/$1/v$i"
	done
}

ROWS=$work/rows
: >"$ROWS"
echo "=== delta: pairs of Debian shared libraries ==="
echo "$PAIRS" | while read -r pkg glob; do
	[ -n "$pkg" ] || continue
	fetch "$pkg" || { echo "bench_delta: $pkg: two versions not to be had from apt: skipped"; continue; }
	old=$(find "$work/$pkg/x1" -name "$glob" -type f | head -1)
	new=$(find "$work/$pkg/x2" -name "$glob" -type f | head -1)
	[ -n "$old" ] && [ -n "$new" ] || { echo "bench_delta: $pkg: no $glob: skipped"; continue; }
	name="$(basename "$new") $(cat "$work/$pkg/v1") -> $(cat "$work/$pkg/v2")"
	p=$work/p
	bs=$(measure bsdiff "$old" "$new" "$p.bsdiff")
	vg=$(measure "$TOOL" make "$old" "$new" "$p.vg")
	cli=$(measure "$VIGIL" delta make "$old" "$new" -o "$p.cli")
	cmp -s "$p.vg" "$p.cli" || fail "$name: vigil delta make and bench_delta_tool made different patches"
	lz=$(measure "$TOOL_LZ" make "$old" "$new" "$p.lz" lzma)
	measure "$TOOL_LZ" apply "$old" "$p.lz" "$p.lzout" >/dev/null
	cmp -s "$p.lzout" "$new" || fail "$name: the LZMA2 patch does not rebuild the new file"
	measure xdelta3 -f -e -9 -s "$old" "$new" "$p.xd3" >/dev/null
	measure zstd -q -f --ultra -22 --long=27 --patch-from="$old" "$new" -o "$p.zst" >/dev/null
	ap=$(measure "$TOOL" apply "$old" "$p.vg" "$p.out")
	cmp -s "$p.out" "$new" || fail "$name: the patch does not rebuild the new file"
	bap=$(measure bspatch "$old" "$p.bsout" "$p.bsdiff")
	echo "$name: bsdiff $(size "$p.bsdiff") B ($bs), vigil $(size "$p.vg") B ($vg; vigil delta make: $cli), apply $ap, bspatch $bap (wall s, cpu s, peak KiB)"
	echo "$name: LZMA2 body (--method lzma) $(size "$p.lz") B ($lz)"
	echo "$name|$(size "$new")|$(size "$p.bsdiff")|$(size "$p.vg")|$(size "$p.xd3")|$(size "$p.zst")|$bs|$vg|$cli|$ap|$(size "$p.lz")|$lz" >>"$ROWS"
done

echo "=== delta: apply of a ${MB} MB image ==="
python3 - "$work/big.old" "$work/big.new" "$MB" <<'EOF'
import random, sys
r = random.Random(20)
n = int(sys.argv[3]) * 1000 * 1000
words = [r.randbytes(r.randrange(8, 64)) for _ in range(5000)]
old = bytearray()
while len(old) < n:
    old += r.choice(words)
old = old[:n]
new = bytearray(old)
for _ in range(20000):  # scattered small edits, some insertions
    p = r.randrange(len(new) - 16)
    new[p:p + 4] = r.randbytes(4)
for _ in range(50):
    p = r.randrange(len(new))
    new[p:p] = r.randbytes(r.randrange(1, 4096))
open(sys.argv[1], "wb").write(old)
open(sys.argv[2], "wb").write(new[:n])
EOF
mk=$(measure "$TOOL" make "$work/big.old" "$work/big.new" "$work/big.vg")
bap=$(measure "$TOOL" apply "$work/big.old" "$work/big.vg" "$work/big.out")
inproc=$(tail -1 "$work/err")
cmp -s "$work/big.out" "$work/big.new" || fail "the ${MB} MB patch does not rebuild the image"
rm -f "$work/big.out"
capp=$(measure "$VIGIL" delta apply "$work/big.old" "$work/big.vg" -o "$work/big.out")
cmp -s "$work/big.out" "$work/big.new" || fail "vigil delta apply did not rebuild the ${MB} MB image"
echo "${MB} MB: patch $(size "$work/big.vg") B, make $mk, apply $bap (in process $inproc s), vigil delta apply $capp"

echo
echo "=== vigil binary delta benchmark ==="
echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end; wall times grow with it"
echo "vigil:   bench_delta_tool (the delta code alone); 'cli' = vigil delta make (+ the program's libraries)"
echo "times:   CPU seconds (user + system) unless marked wall; memory: peak RSS"
echo
echo "vigil:   the default method (zstd body, what every device can apply); lzma: --method lzma"
echo
fmt='%-60s %9s %9s %9s %6s %9s %6s %9s %9s  %-6s %-6s %-6s %-6s %-6s %-6s %-6s\n'
# shellcheck disable=SC2059
printf "$fmt" pair new bsdiff vigil size lzma size xdelta3 zstd-pf "cpu" "wall" "mem" "cli" "apply" lz-cpu lz-mem
# shellcheck disable=SC2059
printf "$fmt" "" bytes bytes bytes /bsd bytes /bsd bytes bytes /bsd /bsd /bsd cpu/bsd "wall s" /bsd /bsd
n=0
smaller=0
worse=0
tmiss=0
mmiss=0
lworse=0
lsmaller=0
ltmiss=0
lmmiss=0
while IFS='|' read -r name nb bsb vgb xdb zsb bs vg cli ap lzb lz; do
	set -- $bs
	bsw=$1 bsc=$2 bsm=$3
	set -- $vg
	vgw=$1 vgc=$2 vgm=$3
	set -- $cli
	clc=$2
	set -- $ap
	apw=$1
	set -- $lz
	lzc=$2 lzm=$3
	rs=$(ratio "$vgb" "$bsb")
	rc=$(ratio "$vgc" "$bsc")
	rm_=$(ratio "$vgm" "$bsm")
	# shellcheck disable=SC2059
	printf "$fmt" "$name" "$nb" "$bsb" "$vgb" "$rs" "$lzb" "$(ratio "$lzb" "$bsb")" "$xdb" "$zsb" "$rc" \
		"$(ratio "$vgw" "$bsw")" "$rm_" "$(ratio "$clc" "$bsc")" "$apw" "$(ratio "$lzc" "$bsc")" "$(ratio "$lzm" "$bsm")"
	n=$((n + 1))
	[ "$vgb" -lt "$bsb" ] && smaller=$((smaller + 1))
	[ "$vgb" -gt "$bsb" ] && worse=$((worse + 1))
	atmost "$rc" 0.5 || tmiss=$((tmiss + 1))
	atmost "$vgm" "$bsm" || mmiss=$((mmiss + 1))
	[ "$lzb" -lt "$bsb" ] && lsmaller=$((lsmaller + 1))
	[ "$lzb" -gt "$bsb" ] && lworse=$((lworse + 1))
	atmost "$(ratio "$lzc" "$bsc")" 0.5 || ltmiss=$((ltmiss + 1))
	atmost "$lzm" "$bsm" || lmmiss=$((lmmiss + 1))
done <"$ROWS"
echo
[ "$n" -gt 0 ] || fail "no pair of libraries could be had (apt-get download)"
g() { if [ "$1" -eq 0 ]; then echo "goal met"; else echo "goal missed on $1 of $n pairs"; fi; }
echo "goal: patch size <= 1.0x bsdiff on every pair: $(g "$worse"); smaller on $smaller of $n pairs"
echo "goal: make time (cpu) <= 0.5x bsdiff: $(g "$tmiss")"
echo "goal: make memory <= bsdiff: $(g "$mmiss")"
echo "goal (--method lzma): patch size <= 1.0x bsdiff on every pair: $(g "$lworse"); smaller on $lsmaller of $n pairs"
echo "goal (--method lzma): make time (cpu) <= 0.5x bsdiff: $(g "$ltmiss")"
echo "goal (--method lzma): make memory <= bsdiff: $(g "$lmmiss")"
set -- $bap
# judged on CPU time as the make goals are (wall time follows the machine's load)
if atmost "$2" 1; then a="goal met"; else a="goal missed"; fi
echo "goal: apply of a ${MB} MB image under 1 s: $2 s cpu ($1 s wall at this load), peak $(($3 / 1024)) MiB: $a"
echo "      (vigil delta apply, the same patch: $(echo "$capp" | cut -d' ' -f1) s wall, $(echo "$capp" | cut -d' ' -f2) s cpu)"
