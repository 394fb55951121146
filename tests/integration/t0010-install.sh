#!/bin/sh
# Installable: `cmake --install` of the build into a temporary prefix puts the
# binary in P/bin, the schemas it reads in P/share/vigil/schemas and the docs
# in P/share/doc/vigil. The INSTALLED binary, run from a directory outside
# the checkout, validates SBOMs copied to /tmp with the schemas of its own
# install (also after the install is moved), refuses invalid ones, and finds
# nothing anywhere else: with its schemas gone it cannot validate (no
# fallback to the source tree's node_modules or the build tree), until
# --config names a schema folder.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

# nothing from the test environment may point the binary at schemas
unset VIGIL_SBOM_SCHEMA_DIR VIGIL_SBOM_SPDX_SCHEMA_DIR VIGIL_CONFIG VIGIL_DB
build=${VIGIL_BUILD_DIR:-$(dirname "$VIGIL")}
S=$VIGIL_SHARED_DATA/sbom
P=$T_DIR/prefix

check_eq "cmake --install into a temporary prefix" \
	"$(run_cmd cmake --install "$build" --prefix "$P")" 0
ok "the binary is in P/bin" test -x "$P/bin/vigil"
ok "the CycloneDX JSON schemas are in P/share/vigil/schemas" \
	test -f "$P/share/vigil/schemas/cyclonedx/bom-1.6.SNAPSHOT.schema.json"
ok "their companions too" test -f "$P/share/vigil/schemas/cyclonedx/spdx.SNAPSHOT.schema.json"
ok "and the XSDs" test -f "$P/share/vigil/schemas/cyclonedx/bom-1.2.SNAPSHOT.xsd"
ok "the schemas' licence comes along" test -f "$P/share/vigil/schemas/cyclonedx/LICENSE"
ok "the docs are in P/share/doc/vigil" test -f "$P/share/doc/vigil/README.md"
ok "the user's guide too" test -f "$P/share/doc/vigil/user-guide.md"

# SBOMs copied to /tmp, validated from a directory outside the checkout
W=$T_DIR/work
mkdir -p "$W"
cp "$S/cyclonedx-bom-examples/CBOM/Algorithm/bom.json" "$W/valid-1.6.json"
cp "$S/cyclonedx-bom-examples/HBOM/PCIe-SATA-adapter-board/bom.json" "$W/valid-1.4.json"
cp "$S/cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.2.xml" "$W/valid-1.2.xml"
cp "$S/field-corpus/docs/sbom-utility__test_cyclonedx_1.3_cdx-1-3-invalid-spdx-license-id.json" \
	"$W/bad-license.json"
cp "$S/field-corpus/docs/sbom-utility__test_cyclonedx_1.4_cdx-1-4-invalid-email-format.json" \
	"$W/bad-email.json"
cd "$W" || exit 1

installed() {
	check_eq "$1: valid-1.6.json accepted" "$(run_cmd "$2" sbom validate valid-1.6.json)" 0
	check_contains "$1: says valid" "$(cat "$T_DIR/out")" "valid-1.6.json: valid cyclonedx 1.6 (json)"
	check_eq "$1: valid-1.4.json accepted" "$(run_cmd "$2" sbom validate valid-1.4.json)" 0
	check_eq "$1: XML checked against the installed XSD" \
		"$(run_cmd "$2" sbom validate valid-1.2.xml)" 0
	check_contains "$1: XML says valid" "$(cat "$T_DIR/out")" "valid cyclonedx 1.2 (xml)"
	check_eq "$1: an unknown licence id is refused" "$(run_cmd "$2" sbom validate --policy strict bad-license.json)" 1
	check_contains "$1: refusal names the place" "$(cat "$T_DIR/err")" "/components/1/licenses/0/license/id"
	check_eq "$1: a bad e-mail is refused" "$(run_cmd "$2" sbom validate --policy strict bad-email.json)" 1
	check_contains "$1: refusal names the format" "$(cat "$T_DIR/err")" "format idn-email"
}
installed "installed" "$P/bin/vigil"

# the install moved elsewhere still finds its own schemas
mv "$P" "$T_DIR/moved"
installed "moved install" "$T_DIR/moved/bin/vigil"

# without its schemas it cannot validate: it does not look in the source or
# build tree (skipped when the configured install prefix really holds schemas)
mv "$T_DIR/moved/share/vigil/schemas" "$T_DIR/schemas-aside"
if [ ! -d "${VIGIL_INSTALL_PREFIX:-/usr/local}/share/vigil/schemas/cyclonedx" ]; then
	check_eq "no schemas: cannot validate" \
		"$(run_cmd "$T_DIR/moved/bin/vigil" sbom validate valid-1.6.json)" 1
	check_contains "the error says how to configure" "$(cat "$T_DIR/err")" "sbom.schema_dir"
	check_not_contains "the error names no source tree" "$(cat "$T_DIR/err")" "node_modules"
fi
printf '[sbom]\nschema_dir = %s\n' "$T_DIR/schemas-aside/cyclonedx" >"$W/vigil.ini"
check_eq "--config names the schema folder" \
	"$(run_cmd "$T_DIR/moved/bin/vigil" --config vigil.ini sbom validate valid-1.6.json)" 0
check_eq "and invalid is still refused" \
	"$(run_cmd "$T_DIR/moved/bin/vigil" --config vigil.ini sbom validate --policy strict bad-license.json)" 1

cd / || exit 1
finish
