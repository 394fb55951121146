#!/bin/sh
# `vigil purl parse`: canonical form, the parts as JSON, the package identity,
# the OSV ecosystem and name, and exit codes for bad purls and bad usage.
# vigil-test: no-database (the PostgreSQL run skips it)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

# plain output: the canonical string
check_eq "parse exits 0" "$(run_cmd "$VIGIL" purl parse 'pkg:PYPI/Django_package@1.11.1.dev1')" 0
check_eq "pypi name normalised" "$(cat "$T_DIR/out")" "pkg:pypi/django-package@1.11.1.dev1"
check_eq "nothing on stderr" "$(cat "$T_DIR/err")" ""

"$VIGIL" purl parse 'pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&repository_url=repo.spring.io/release' >"$T_DIR/out"
check_eq "qualifiers sorted and encoded" "$(cat "$T_DIR/out")" \
	"pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?repository_url=repo.spring.io%2Frelease&type=pom"

# --json: every part, decoded
check_eq "parse --json exits 0" \
	"$(run_cmd "$VIGIL" purl parse --json 'pkg:npm/%40angular/animation@12.3.1?vcs_url=git%2Bhttps://x.example/a.git#/lib/./x/')" 0
J="$T_DIR/out"
check_eq "json canonical" "$(jq -r .canonical "$J")" \
	"pkg:npm/%40angular/animation@12.3.1?vcs_url=git%2Bhttps:%2F%2Fx.example%2Fa.git#lib/x"
check_eq "json type" "$(jq -r .type "$J")" "npm"
check_eq "json namespace decoded" "$(jq -r .namespace "$J")" "@angular"
check_eq "json name" "$(jq -r .name "$J")" "animation"
check_eq "json version" "$(jq -r .version "$J")" "12.3.1"
check_eq "json qualifiers object" "$(jq -c .qualifiers "$J")" '{"vcs_url":"git+https://x.example/a.git"}'
check_eq "json subpath" "$(jq -r .subpath "$J")" "lib/x"
check_eq "json identity" "$(jq -r .identity "$J")" "pkg:npm/%40angular/animation"
check_eq "json osv ecosystem" "$(jq -r .osv.ecosystem "$J")" "npm"
check_eq "json osv name" "$(jq -r .osv.name "$J")" "@angular/animation"

"$VIGIL" purl parse --json 'pkg:golang/github.com/gorilla/context' >"$J"
check_eq "absent version is null" "$(jq -r '.version == null' "$J")" "true"
check_eq "absent subpath is null" "$(jq -r '.subpath == null' "$J")" "true"
check_eq "no qualifiers is {}" "$(jq -c .qualifiers "$J")" "{}"
check_eq "go osv name" "$(jq -r .osv.name "$J")" "github.com/gorilla/context"

"$VIGIL" purl parse --json 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' >"$J"
check_eq "maven osv" "$(jq -r '.osv.ecosystem + " " + .osv.name' "$J")" \
	"Maven org.apache.logging.log4j:log4j-core"

"$VIGIL" purl parse --json 'pkg:generic/openssl@3.0.0' >"$J"
check_eq "no OSV ecosystem is null" "$(jq -r '.osv == null' "$J")" "true"

# identity is the same across versions, qualifiers and spelling
a=$("$VIGIL" purl parse --json 'pkg:pypi/Foo_Bar@1.0?x=1' | jq -r .identity)
b=$("$VIGIL" purl parse --json 'pkg:pypi/foo-bar@2.0#sub' | jq -r .identity)
check_eq "identity ignores version and spelling" "$a" "$b"

# bad purls: exit 1, the message names the purl and the problem
check_eq "missing scheme exits 1" "$(run_cmd "$VIGIL" purl parse 'npm/foo@1')" 1
check_contains "missing scheme message" "$(cat "$T_DIR/err")" "purl 'npm/foo@1': no scheme"
check_eq "nothing on stdout on failure" "$(cat "$T_DIR/out")" ""
check_eq "bad type exits 1" "$(run_cmd "$VIGIL" purl parse --json 'pkg:3nginx/nginx@0.8.9')" 1
check_contains "bad type message" "$(cat "$T_DIR/err")" "must start with an ASCII letter"
check_eq "namespace required exits 1" "$(run_cmd "$VIGIL" purl parse 'pkg:swift/Alamofire@5.4.3')" 1
check_contains "namespace required message" "$(cat "$T_DIR/err")" "requires a namespace"
check_eq "bad escape exits 1" "$(run_cmd "$VIGIL" purl parse 'pkg:npm/a%zz')" 1
check_contains "bad escape message" "$(cat "$T_DIR/err")" "two hex digits"
check_eq "--strict refuses capital keys" "$(run_cmd "$VIGIL" purl parse --strict 'pkg:gem/x@1?Platform=java')" 1
check_eq "default lowercases them" "$(run_cmd "$VIGIL" purl parse 'pkg:gem/x@1?Platform=java')" 0
check_eq "lowercased key" "$(cat "$T_DIR/out")" "pkg:gem/x@1?platform=java"

# usage
check_eq "no purl is a usage error" "$(run_cmd "$VIGIL" purl parse)" 2
check_eq "two purls is a usage error" "$(run_cmd "$VIGIL" purl parse pkg:npm/a pkg:npm/b)" 2
check_eq "unknown verb exits 2" "$(run_cmd "$VIGIL" purl frob)" 2
check_eq "purl --help exits 0" "$(run_cmd "$VIGIL" purl --help)" 0
check_contains "help lists parse" "$(cat "$T_DIR/out")" "parse"

# every purl the spec's suite calls valid round-trips through the CLI
n=0
bad=0
for f in "$VIGIL_SHARED_DATA"/vuln/purl/tests/types/*-test.json; do
	jq -r '.tests[] | select(.test_type == "validate" and .test_group == "required" and (.expected_failure | not)) | [.input, .expected_output] | @tsv' "$f" >"$T_DIR/cases"
	while IFS="$(printf '\t')" read -r in want; do
		n=$((n + 1))
		got=$("$VIGIL" purl parse "$in" 2>&1)
		if [ "$got" != "$want" ]; then
			bad=$((bad + 1))
			echo "    $in -> $got (want $want)"
		fi
	done <"$T_DIR/cases"
done
check_eq "required validate cases through the CLI ($n)" "$bad" 0
ok "there were such cases" test "$n" -gt 100

finish
