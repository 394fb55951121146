/*
 * csaf_check.c - PLACEHOLDER until helper "provider" (issue 22) lands the
 * schema and the mandatory and recommended tests: it only checks that the
 * document is a JSON object with a "document" object. Replaced at merge.
 */
#include "advisory/csaf_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int add_issue(struct csaf_check_result *r, enum csaf_check_kind kind, const char *test,
		     const char *path, const char *msg)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct csaf_check_issue *p = realloc(r->issues, cap * sizeof(*p));
		if (!p)
			return VG_ENOMEM;
		r->issues = p;
		r->cap = cap;
	}
	struct csaf_check_issue *i = &r->issues[r->n++];
	memset(i, 0, sizeof(*i));
	i->kind = kind;
	snprintf(i->test, sizeof(i->test), "%s", test);
	snprintf(i->path, sizeof(i->path), "%s", path);
	snprintf(i->message, sizeof(i->message), "%s", msg);
	if (kind == CSAF_CHECK_SCHEMA)
		r->schema_failures++;
	else if (kind == CSAF_CHECK_MANDATORY)
		r->mandatory_failures++;
	else
		r->recommended_warnings++;
	return VG_OK;
}

int csaf_check(const char *json, size_t len, struct csaf_check_result *out, struct vg_error *err)
{
	memset(out, 0, sizeof(*out));
	json_error_t je;
	json_t *doc = json_loadb(json, len, 0, &je);
	int rc = VG_OK;
	if (!doc || !json_is_object(doc))
		rc = add_issue(out, CSAF_CHECK_SCHEMA, "schema", "", "a JSON object");
	else if (!json_is_object(json_object_get(doc, "document")))
		rc = add_issue(out, CSAF_CHECK_SCHEMA, "schema", "/document", "an object");
	json_decref(doc);
	if (rc != VG_OK)
		return vg_error_set(err, rc, "out of memory");
	return VG_OK;
}

int csaf_check_passes(const struct csaf_check_result *r)
{
	return r->schema_failures == 0 && r->mandatory_failures == 0;
}

void csaf_check_result_free(struct csaf_check_result *r)
{
	free(r->issues);
	memset(r, 0, sizeof(*r));
}

json_t *csaf_check_result_to_json(const struct csaf_check_result *r)
{
	static const char *kinds[] = {"schema", "mandatory", "recommended"};
	json_t *issues = json_array();
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(
		    issues, json_pack("{s:s, s:s, s:s, s:s}", "kind", kinds[r->issues[i].kind],
				      "test", r->issues[i].test, "path", r->issues[i].path,
				      "message", r->issues[i].message));
	return json_pack("{s:b, s:I, s:I, s:I, s:o}", "passes", csaf_check_passes(r),
			 "schema_failures", (json_int_t)r->schema_failures, "mandatory_failures",
			 (json_int_t)r->mandatory_failures, "recommended_warnings",
			 (json_int_t)r->recommended_warnings, "issues", issues);
}
