#!/bin/sh
# Rewrite the generated table of docs/configuration.md (between its BEGIN and
# END markers) from `vigil config keys --markdown`. Usage:
#   sh scripts/config-doc.sh [VIGIL_BINARY]   (default build/vigil)
# tests/integration/t0023-config.sh fails while the file is not current.
set -eu
vigil=${1:-build/vigil}
doc=$(dirname "$0")/../docs/configuration.md
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.t"' EXIT
"$vigil" config keys --markdown >"$tmp.t"
awk -v t="$tmp.t" '
	/^<!-- BEGIN vigil config keys --markdown -->$/ { print; while ((getline l < t) > 0) print l; skip = 1; next }
	/^<!-- END vigil config keys --markdown -->$/ { skip = 0 }
	!skip { print }
' "$doc" >"$tmp"
cp "$tmp" "$doc"
