/*
 * fuzz_jsonschema.c - arbitrary JSON instances validated against the
 * CycloneDX 1.6 JSON schema (with its spdx and jsf companions) by
 * schema/jsonschema.h. Whatever the bytes, validation must run to a verdict
 * (never an error other than recursion depth), and an invalid verdict must
 * carry at least one error with a message.
 *
 * The schemas come from VIGIL_SBOM_SCHEMA_DIR or the build tree's copy
 * (VIGIL_SCHEMA_DIR, <build>/share/vigil/schemas/cyclonedx).
 */
#include "core/error.h"
#include "core/json.h"
#include "schema/jsonschema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef VIGIL_SCHEMA_DIR
#define VIGIL_SCHEMA_DIR ""
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BOM_URI "http://cyclonedx.org/schema/bom-1.6.SNAPSHOT.schema.json"

static struct vg_jsonschema *schema_set(void)
{
	static struct vg_jsonschema *s;
	static const char *const files[] = {"bom-1.6.SNAPSHOT.schema.json",
					    "spdx.SNAPSHOT.schema.json",
					    "jsf-0.82.SNAPSHOT.schema.json", NULL};
	const char *dir = getenv("VIGIL_SBOM_SCHEMA_DIR");
	struct vg_error err = {0};

	if (s)
		return s;
	if (!dir)
		dir = VIGIL_SCHEMA_DIR;
	if (vg_jsonschema_new(VG_JSONSCHEMA_DRAFT7, &s, &err))
		abort();
	for (size_t i = 0; files[i]; i++) {
		char path[1024], uri[256];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		snprintf(uri, sizeof(uri), "http://cyclonedx.org/schema/%s", files[i]);
		if (vg_jsonschema_add_file(s, path, uri, &err)) {
			fprintf(stderr, "fuzz_jsonschema: %s\n", err.msg);
			abort();
		}
	}
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_jsonschema *s = schema_set();
	struct vg_jsonschema_result res;
	struct vg_error err = {0};
	struct vg_jsonschema_opts opts = {.max_errors = 20, .assert_format = 1};
	json_t *doc;
	int rc;

	if (size > 1 << 20)
		return 0;
	doc = vg_json_parse((const char *)data, size, "fuzz", &err);
	if (!doc)
		return 0;
	rc = vg_jsonschema_validate(s, BOM_URI, doc, &opts, &res, &err);
	if (rc != VG_OK && rc != VG_ETOOBIG)
		abort(); /* the schema is complete: every $ref and regex must work */
	if (rc == VG_OK && !res.valid) {
		if (res.n_errors == 0 || !res.errors[0].message || !res.errors[0].instance)
			abort();
	}
	vg_jsonschema_result_release(&res);
	json_decref(doc);
	return 0;
}
