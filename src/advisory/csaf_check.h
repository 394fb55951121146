/*
 * csaf_check.h - the CSAF 2.0 checks of one document (issue 22): the JSON
 * schema, the mandatory tests 6.1.1-6.1.33 and the recommended tests 6.2.x.
 *
 * The contract between the advisory editor (drafting, publish) and the
 * checker: publish refuses a document with any mandatory failure; the
 * editor shows every issue with its test number and JSON path. A pure
 * function of the document's bytes: no store, no clock.
 */
#ifndef VIGIL_ADVISORY_CSAF_CHECK_H
#define VIGIL_ADVISORY_CSAF_CHECK_H

#include "core/error.h"
#include "core/json.h"

#include <stddef.h>

struct vg_error;

enum csaf_check_kind {
	CSAF_CHECK_SCHEMA = 0,      /* the CSAF 2.0 JSON schema */
	CSAF_CHECK_MANDATORY = 1,   /* 6.1.x: a failure refuses publication */
	CSAF_CHECK_RECOMMENDED = 2, /* 6.2.x: a warning, listed */
};

struct csaf_check_issue {
	enum csaf_check_kind kind;
	char test[16];     /* "6.1.7", "6.2.1", or "schema" */
	char path[512];    /* JSON pointer of the failing place ("" for the document) */
	char message[512]; /* what was expected, in words */
};

struct csaf_check_result {
	struct csaf_check_issue *issues; /* malloc'd; csaf_check_result_free() */
	size_t n, cap;
	size_t schema_failures, mandatory_failures, recommended_warnings;
};

/* Check one document. Returns VG_OK when the checks ran (failures are in
 * *out; a document that is not JSON is one schema issue at ""), another
 * code only when memory ran out. */
int csaf_check(const char *json, size_t len, struct csaf_check_result *out,
	       struct vg_error *err) VG_MUST_CHECK;

/* 1 when the document may be published: no schema or mandatory failure. */
int csaf_check_passes(const struct csaf_check_result *r);

void csaf_check_result_free(struct csaf_check_result *r);

/* {"passes": bool, "schema_failures": n, "mandatory_failures": n,
 *  "recommended_warnings": n, "issues": [{"kind", "test", "path", "message"}]} */
json_t *csaf_check_result_to_json(const struct csaf_check_result *r);

#endif
