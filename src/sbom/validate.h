/*
 * validate.h - schema validation of SBOM documents against their official
 * schemas, without storing anything (`vigil sbom validate`, and the first
 * step of every import).
 *
 * What is checked, by detected format:
 *   CycloneDX 1.2-1.7 JSON  the official JSON schema of its specVersion
 *                           (schema/jsonschema.h, formats asserted)
 *   CycloneDX 1.0-1.7 XML   the official XSD of its namespace (libxml2)
 *   SPDX 2.2 / 2.3 JSON     the official SPDX 2.3 JSON schema (it accepts
 *                           2.2 documents; no 2.2 schema is used)
 *   SPDX 3.0.1 JSON-LD      the official SPDX 3.0.1 JSON schema (the
 *                           documented array form of @context counts as
 *                           the context URL)
 *   SPDX 2.x tag-value      the mandatory fields of its version (no schema
 *                           exists), then the parser's checks
 *
 * Schemas are never read from the source tree. They are read at run time from
 *   sbom.schema_dir       (env VIGIL_SBOM_SCHEMA_DIR; default: the CycloneDX
 *                          schemas installed with vigil, vg_jsonschema_dir()
 *                          "cyclonedx": <prefix>/share/vigil/schemas/cyclonedx,
 *                          copied at build time from the npm package
 *                          @cyclonedx/cyclonedx-library's res/schema)
 *                          CycloneDX: bom-<v>.SNAPSHOT.schema.json or
 *                          bom-<v>.schema.json, spdx/jsf/cryptography-defs,
 *                          bom-<v>[.SNAPSHOT].xsd and spdx[.SNAPSHOT].xsd
 *   sbom.spdx_schema_dir  (env VIGIL_SBOM_SPDX_SCHEMA_DIR; default: the "spdx"
 *                          schemas installed with vigil, copied at build time
 *                          from spdx/spdx-spec as ../shared/data/sbom/spdx-spec
 *                          holds it (VIGIL_SPDX_SCHEMAS), since no Debian or
 *                          npm package ships them) spdx-schema.json (2.3),
 *                          spdx-3.0.1-schema.json
 * and compiled once per process (thread-safe, kept until
 * sbom_validate_cleanup()). When the SPDX 2 schema is not configured an SPDX
 * JSON document gets format/version checks only and schema_checked = 0.
 *
 * Rules:
 *  - Input is untrusted: over the size limit (sbom.max_bytes), not UTF-8,
 *    empty, truncated or malformed, nested too deep, of an unknown format or
 *    spec version: refused with VG_EPARSE / VG_ETOOBIG and one error saying
 *    where and what was expected. XML with a DOCTYPE is refused.
 *  - Each error names the place: a JSON pointer for JSON ("/components/3/purl")
 *    or the line for XML and tag-value, and what was expected. At most
 *    SBOM_VALIDATE_MAX_ERRORS are kept; the rest are counted.
 */
#ifndef VIGIL_SBOM_VALIDATE_H
#define VIGIL_SBOM_VALIDATE_H

#include "core/error.h"

#include <stddef.h>

#include "core/json.h"
#include "sbom/model.h"

struct vg_error;
struct vg_buf;

#define SBOM_VALIDATE_MAX_ERRORS 10000

struct sbom_validation_error {
	char *pointer; /* JSON pointer into the document, or NULL (XML, tag-value) */
	int line;      /* line in the document (XML, tag-value, JSON syntax), or 0 */
	char *schema;  /* schema place: keyword location or XSD element, or NULL */
	char *message; /* what was expected */
	int fatal;     /* 1: the document cannot mean anything with it (refused
			* under every policy): unparseable, unknown format or
			* version, no creation time or creator, no document
			* identity, an element with no id */
};

/*
 * What a violation of the official schema or spec does to an import:
 * strict refuses any; standard (the default) accepts a document whose
 * violations are none of them fatal, and they are reported beside it.
 */
enum sbom_policy { SBOM_POLICY_STANDARD = 0, SBOM_POLICY_STRICT = 1 };

/* "strict" / "standard" into *out; VG_EINVAL (err names what was expected) else. */
int sbom_policy_parse(const char *s, enum sbom_policy *out, struct vg_error *err) VG_MUST_CHECK;
const char *sbom_policy_name(enum sbom_policy p);

struct sbom_validation {
	char filename[256];          /* as given, cut to fit */
	enum sbom_format format;     /* 0 when not detected */
	enum sbom_encoding encoding; /* 0 when not detected */
	char spec_version[16];       /* "1.6", "2.3", "3.0.1"; "" when not detected */
	int valid;                   /* 1: the document passed every check made */
	int schema_checked;          /* 1: an official schema was applied */
	char schema[512];            /* name of the schema used ($id or file name, never
				      * the server's path), "" when none */
	struct sbom_validation_error *errors;
	size_t n_errors;
	size_t n_dropped; /* errors past SBOM_VALIDATE_MAX_ERRORS */
	size_t n_fatal;   /* errors with fatal set */
};

/*
 * Detect the format and spec version of n bytes (named filename in messages)
 * and validate them. *out is always filled in (release it with
 * sbom_validation_release(), whatever the result).
 * Returns VG_OK when the document is valid; VG_EPARSE when it is refused
 * (malformed, unknown format or version, or schema errors: out->errors says
 * why, err holds a summary with the first error); VG_ETOOBIG over the size
 * limit; VG_ENOTFOUND when the schema its version needs is not installed
 * (err names the folder and the config key); VG_ENOMEM.
 */
int sbom_validate(const char *data, size_t n, const char *filename, struct sbom_validation *out,
		  struct vg_error *err) VG_MUST_CHECK;

/*
 * sbom_validate() under a policy: under standard a document whose errors
 * are none fatal returns VG_OK with out->valid 0 and the errors kept as its
 * violations; under strict the same as sbom_validate().
 */
int sbom_validate_policy(const char *data, size_t n, const char *filename, enum sbom_policy policy,
			 struct sbom_validation *out, struct vg_error *err) VG_MUST_CHECK;

void sbom_validation_release(struct sbom_validation *v);

/* "file: /components/3/purl: expected ..." (or "file: line 12: ...") into b. */
int sbom_validation_error_text(const struct sbom_validation *v, size_t i, struct vg_buf *b);

/*
 * The result as JSON (for --json and the API): {"file", "format",
 * "encoding", "spec_version", "valid", "schema_checked", "schema",
 * "errors": [{"pointer"|"line", "schema", "message"}], "errors_dropped"}.
 * New reference owned by the caller, NULL when out of memory.
 */
json_t *sbom_validation_to_json(const struct sbom_validation *v);

/* Free the compiled schemas (tests, leak checks). Not thread-safe. */
void sbom_validate_cleanup(void);

#endif
