#!/bin/sh
# Fails when a C source file does not follow .clang-format (one clang-format
# --dry-run -Werror over every file, so it runs once, not once per file).
cf=${1:-clang-format}
cd "$(dirname "$0")/.." || exit 1
list=$(mktemp) || exit 1
trap 'rm -f "$list"' EXIT
git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' >"$list" 2>/dev/null
[ -s "$list" ] || find src tests bench -name '*.[ch]' -not -path '*/node_modules/*' >"$list"
# files listed by git but removed from the work tree are skipped
out=$(while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done <"$list" |
	xargs "$cf" --style=file --dry-run -Werror 2>&1)
if [ -n "$out" ]; then
	printf '%s\n' "$out" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' |
		sort -u | sed "s/\$/ (run 'make format')/; s/^/not formatted: /"
	exit 1
fi
exit 0
