#!/bin/sh
# `make reliability`: the reliability tests in full, their figures written to
# docs/reliability.md (between its reliability markers).
#
#   sh scripts/reliability.sh [--ops N] [--kills N]
#
# Today: crash consistency (t0025, tests/integration/crash_driver.py) with
# N operations (default 1000) and N kills (default 100), on SQLite and on a
# throw-away PostgreSQL, with the release build in build/. `make test` runs
# the same test in its short form (150 operations, 25 kills).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
PATH=/usr/bin:/bin:$PATH
export PATH

ops=1000
kills=100
while [ $# -gt 0 ]; do
	case "$1" in
	--ops) ops=${2:-}; shift 2 ;;
	--kills) kills=${2:-}; shift 2 ;;
	*) echo "usage: sh scripts/reliability.sh [--ops N] [--kills N]" >&2; exit 2 ;;
	esac
done
for v in "$ops" "$kills"; do
	case $v in '' | *[!0-9]* | 0)
		echo "reliability: --ops and --kills take a positive whole number, not '$v'" >&2
		exit 2 ;;
	esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-rel.XXXXXX") || exit 1
chmod 755 "$work"
trap 'sh scripts/pg.sh stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"' EXIT INT TERM
figures=$work/figures
: >"$figures"
export VIGIL_RELIABILITY_OUT="$figures" VIGIL_CRASH_OPS="$ops" VIGIL_CRASH_KILLS="$kills"

status=0
echo "=== crash consistency on SQLite ($ops operations, $kills kills) ==="
(cd build && ctest -R t0025 --output-on-failure --timeout 3600) || status=1
url=$(sh scripts/pg.sh start "$work/pg") || { echo "reliability: could not start PostgreSQL"; exit 1; }
echo "=== crash consistency on PostgreSQL ==="
(cd build && VIGIL_TEST_PG="$url" ctest -R t0025 --output-on-failure --timeout 3600) || status=1

date=$(date -u +%Y-%m-%d)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo source)
python3 - "$figures" docs/reliability.md "$date" "$rev" "$status" <<'EOF'
import sys
figs, doc, date, rev, status = sys.argv[1:6]
# the decisions' answered count is the second "answered" of the line
rows = []
for line in open(figs):
    w = line.split()
    backend, pairs = w[1], w[2:]
    vals = [p.split("=", 1) for p in pairs]
    ups = [v for k, v in vals if k == "answered"]
    d = dict(vals)
    rows.append("| %s | %s | %s | %s of %s | %s of %s | %s | %s | %s |" % (
        backend, d["operations"], d["kills"], ups[0], d["uploads"], ups[1], d["decisions"],
        "pass" if status == "0" else "FAIL", date, rev))
text = open(doc).read()
b, e = "<!-- reliability:crash:begin -->", "<!-- reliability:crash:end -->"
i, j = text.index(b) + len(b), text.index(e)
head = ("| backend | operations | kills survived | uploads answered | decisions answered | "
        "result | date | commit |\n|---|---:|---:|---:|---:|---|---|---|\n")
open(doc, "w").write(text[:i] + "\n" + head + "\n".join(rows) + "\n" + text[j:])
EOF
echo "reliability: figures written to docs/reliability.md"
exit $status
