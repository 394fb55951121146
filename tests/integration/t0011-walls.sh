#!/bin/sh
# The walls between rooms (scripts/check-includes.py, the test style/includes):
# the real tree passes; in a small tree made here, an include that the table
# of docs/architecture.md does not allow, a cycle between rooms, an edge to a
# higher floor in the table, a directory that is no room, a .c file without
# core/banned.h last and a banned call are each refused, naming the place.
# vigil-test: no-database (the PostgreSQL run skips it)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

CHECK="python3 $VIGIL_SOURCE_DIR/scripts/check-includes.py"

out=$($CHECK "$VIGIL_SOURCE_DIR" 2>&1)
check_contains "the tree as it is passes" "$out" "no cycle"

R=$T_DIR/tree
mk_tree() {
	rm -rf "$R"
	mkdir -p "$R/docs" "$R/src/core" "$R/src/store" "$R/src/sbom" "$R/src/vuln"
	cat >"$R/docs/architecture.md" <<'DOC'
# rooms

| floor | room | owns | may include |
|---|---|---|---|
| 0 | `core` | basics | - |
| 1 | `store` | the database | core |
| 4 | `sbom` | SBOMs | core, store |
| 4 | `vuln` | feeds | core, store, sbom |
| 9 | `app` | main | core, store, sbom, vuln |
DOC
	printf '#include "core/core.h"\n' >"$R/src/core/core.h"
	printf '#include <stdio.h>\n#include "core/core.h"\n\n#include "core/banned.h"\n' >"$R/src/core/core.c"
	printf '#include "core/core.h"\n#include "core/banned.h"\n' >"$R/src/store/store.c"
	printf '#include "store/store.h"\n#include "core/banned.h"\n' >"$R/src/sbom/sbom.c"
	printf '#include "sbom/sbom.h"\n#include "core/banned.h"\n' >"$R/src/vuln/vuln.c"
	printf '#include "vuln/vuln.h"\n#include "core/banned.h"\nint main(void) { return 0; }\n' >"$R/src/main.c"
}

mk_tree
out=$($CHECK "$R" 2>&1)
check_contains "a small tree that keeps the table passes" "$out" "no cycle"

mk_tree
printf '#include "vuln/vuln.h"\n#include "core/banned.h"\n' >"$R/src/sbom/sbom.c"
out=$($CHECK "$R" 2>&1)
st=$?
check_eq "an include the table does not allow fails" "$st" 1
check_contains "and names the file, the line and the rooms" "$out" \
	"src/sbom/sbom.c:1: room sbom may not include vuln"
check_contains "the cycle it makes is named" "$out" "the includes form a cycle"

mk_tree
printf '#include "app/app.h"\n#include "core/banned.h"\n' >"$R/src/store/store.c"
out=$($CHECK "$R" 2>&1)
check_contains "a lower room including a higher one fails" "$out" \
	"src/store/store.c:1: room store may not include app"

mk_tree
sed -i 's/| 1 | `store` | the database | core |/| 1 | `store` | the database | core, sbom |/' "$R/docs/architecture.md"
out=$($CHECK "$R" 2>&1)
check_contains "a table edge to a higher floor fails" "$out" "on a higher floor"

mk_tree
sed -i 's/| 0 | `core` | basics | - |/| 0 | `core` | basics | store |/' "$R/docs/architecture.md"
out=$($CHECK "$R" 2>&1)
check_contains "a table with a cycle fails" "$out" "the allowed edges form a cycle"

mk_tree
mkdir -p "$R/src/stray"
out=$($CHECK "$R" 2>&1)
check_contains "a directory that is no room fails" "$out" "src/stray/: not a room"

mk_tree
printf '#include "core/banned.h"\n#include "store/store.h"\n' >"$R/src/sbom/sbom.c"
out=$($CHECK "$R" 2>&1)
check_contains "core/banned.h must come last" "$out" "src/sbom/sbom.c:1: \"core/banned.h\" must be the last include"

mk_tree
printf '#include "store/store.h"\n' >"$R/src/sbom/sbom.c"
out=$($CHECK "$R" 2>&1)
check_contains "a .c file without core/banned.h fails" "$out" "src/sbom/sbom.c: does not include"

mk_tree
printf '#include "store/store.h"\n#include "core/banned.h"\nint f(const char *s) { return atoi(s); }\n/* atoi(x) in a comment is fine */\nconst char *g = "strcpy(a, b)";\n' >"$R/src/sbom/sbom.c"
out=$($CHECK "$R" 2>&1)
check_contains "a banned call fails, naming it" "$out" "src/sbom/sbom.c:3: calls atoi(), banned"
case $out in
*"sbom.c:4"* | *"sbom.c:5"*) check_eq "comments and strings are not calls" "flagged" "not flagged" ;;
*) check_eq "comments and strings are not calls" "not flagged" "not flagged" ;;
esac

finish
