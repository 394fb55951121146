#!/bin/sh
# Fails when a C source file does not follow .clang-format.
cf=${1:-clang-format}
cd "$(dirname "$0")/.." || exit 1
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' 2>/dev/null)
[ -n "$files" ] || files=$(find src tests bench -name '*.[ch]' -not -path '*/node_modules/*')
bad=0
for f in $files; do
	[ -f "$f" ] || continue
	if ! "$cf" --style=file "$f" | cmp -s - "$f"; then
		echo "not formatted: $f (run 'make format')"
		bad=1
	fi
done
exit $bad
