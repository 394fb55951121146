#!/bin/sh
# Issue 14 "Done when", the standard half: t1007 with every document of the
# field corpus imported into a product whose policy is standard.
# vigil-test: conformance (agreement with outside tools or corpora: run once, on SQLite)
# vigil-test: long (minutes: ctest starts it first)
POLICY=standard
. "$VIGIL_SOURCE_DIR/tests/integration/t1007-sbom-field-corpus-import.sh"
