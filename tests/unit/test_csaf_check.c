/*
 * test_csaf_check.c - advisory/csaf_check.c: a minimal valid document, then
 * one change at a time that breaks one mandatory test, each named with its
 * test number and JSON path; recommended tests warn without refusing; the
 * file name rule of section 5.1 on the official file name test data.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "advisory/csaf_check.h"
#include "advisory/provider.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/json.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The template of the official test documents with a product and a vulnerability. */
static const char *base_doc =
    "{\"document\": {\"category\": \"csaf_base\", \"csaf_version\": \"2.0\", \"lang\": \"en\","
    " \"distribution\": {\"tlp\": {\"label\": \"WHITE\"}},"
    " \"publisher\": {\"category\": \"vendor\", \"name\": \"Example\", \"namespace\": "
    "\"https://example.com\"},"
    " \"title\": \"t\", \"tracking\": {\"current_release_date\": \"2024-01-02T10:00:00.000Z\","
    " \"id\": \"EX-2024-1\", \"initial_release_date\": \"2024-01-01T10:00:00.000Z\","
    " \"revision_history\": [{\"date\": \"2024-01-01T10:00:00.000Z\", \"number\": \"1\", "
    "\"summary\": \"one\"},"
    " {\"date\": \"2024-01-02T10:00:00.000Z\", \"number\": \"2\", \"summary\": \"two\"}],"
    " \"status\": \"final\", \"version\": \"2\"}},"
    " \"product_tree\": {\"full_product_names\": [{\"name\": \"A 1.0\", \"product_id\": \"A\","
    " \"product_identification_helper\": {\"purl\": \"pkg:generic/a@1.0\"}},"
    " {\"name\": \"A 1.1\", \"product_id\": \"B\"}],"
    " \"product_groups\": [{\"group_id\": \"G\", \"product_ids\": [\"A\", \"B\"]}]},"
    " \"vulnerabilities\": [{\"cve\": \"CVE-2024-0001\","
    " \"product_status\": {\"known_affected\": [\"A\"], \"fixed\": [\"B\"]},"
    " \"remediations\": [{\"category\": \"vendor_fix\", \"details\": \"update\", "
    "\"product_ids\": [\"A\"]}],"
    " \"scores\": [{\"products\": [\"A\"], \"cvss_v3\": {\"version\": \"3.1\", "
    "\"vectorString\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\", \"baseScore\": 9.8, "
    "\"baseSeverity\": \"CRITICAL\"}}]}]}";

static json_t *base(void)
{
	json_t *d = json_loads(base_doc, 0, NULL);
	assert_non_null(d);
	return d;
}

/* Check d (consumed); returns the result (caller frees). */
static struct csaf_check_result run(json_t *d)
{
	struct csaf_check_result r;
	struct vg_error err = {0};
	char *s = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	assert_non_null(s);
	int rc = csaf_check(s, strlen(s), &r, &err);
	if (rc)
		fprintf(stderr, "%s\n", err.msg);
	assert_int_equal(rc, VG_OK);
	free(s);
	return r;
}

static int has(const struct csaf_check_result *r, const char *test, const char *path)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->issues[i].test, test) && (!path || !strcmp(r->issues[i].path, path)))
			return 1;
	return 0;
}

static void dump(const struct csaf_check_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		fprintf(stderr, "  %s %s: %s\n", r->issues[i].test, r->issues[i].path,
			r->issues[i].message);
}

/* Expect exactly a refusal by test at path. */
static void refused(json_t *d, const char *test, const char *path)
{
	struct csaf_check_result r = run(d);
	if (csaf_check_passes(&r) || !has(&r, test, path)) {
		fprintf(stderr, "expected %s at %s:\n", test, path ? path : "*");
		dump(&r);
	}
	assert_false(csaf_check_passes(&r));
	assert_true(has(&r, test, path));
	csaf_check_result_free(&r);
}

static void set(json_t *d, const char *json_path_parent, const char *key, const char *value)
{
	json_t *p = d;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", json_path_parent);
	for (char *save = NULL, *t = strtok_r(buf, "/", &save); t; t = strtok_r(NULL, "/", &save))
		p = json_is_array(p) ? json_array_get(p, (size_t)atoi(t)) : json_object_get(p, t);
	assert_non_null(p);
	json_t *v = json_loads(value, JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	json_object_set_new(p, key, v);
}

static void test_base_passes(void **state)
{
	(void)state;
	struct csaf_check_result r = run(base());
	if (!csaf_check_passes(&r))
		dump(&r);
	assert_true(csaf_check_passes(&r));
	assert_int_equal(r.schema_failures, 0);
	assert_int_equal(r.mandatory_failures, 0);
	/* B has no identification helper: a recommended warning only */
	assert_true(has(&r, "6.2.16", "/product_tree/full_product_names/1"));
	json_t *j = csaf_check_result_to_json(&r);
	assert_true(json_is_true(json_object_get(j, "passes")));
	assert_int_equal(json_array_size(json_object_get(j, "issues")), r.n);
	json_decref(j);
	csaf_check_result_free(&r);
}

static void test_products(void **state)
{
	(void)state;
	json_t *d = base();
	set(d, "vulnerabilities/0/product_status", "known_affected", "[\"A\", \"Z\"]");
	refused(d, "6.1.1", "/vulnerabilities/0/product_status/known_affected/1");
	d = base();
	set(d, "product_tree/full_product_names/1", "product_id", "\"A\"");
	refused(d, "6.1.2", "/product_tree/full_product_names/1/product_id");
	d = base();
	set(d, "product_tree", "relationships",
	    "[{\"category\": \"installed_on\", \"product_reference\": \"A\","
	    " \"relates_to_product_reference\": \"C\", \"full_product_name\": {\"name\": \"c\","
	    " \"product_id\": \"C\"}}]");
	refused(d, "6.1.3", "/product_tree/relationships/0");
	d = base();
	set(d, "vulnerabilities/0/remediations/0", "group_ids", "[\"H\"]");
	refused(d, "6.1.4", "/vulnerabilities/0/remediations/0/group_ids/0");
	d = base();
	set(d, "product_tree", "product_groups",
	    "[{\"group_id\": \"G\", \"product_ids\": [\"A\", \"B\"]}, {\"group_id\": \"G\", "
	    "\"product_ids\": [\"A\", \"B\"]}]");
	refused(d, "6.1.5", "/product_tree/product_groups/1/group_id");
	d = base();
	set(d, "vulnerabilities/0/product_status", "fixed", "[\"B\", \"A\"]");
	refused(d, "6.1.6", NULL);
	d = base();
	set(d, "product_tree/full_product_names/0/product_identification_helper", "purl",
	    "\"pkg:/a@1\"");
	refused(d, "6.1.13",
		"/product_tree/full_product_names/0/product_identification_helper/purl");
}

static void test_scores(void **state)
{
	(void)state;
	json_t *d = base();
	set(d, "vulnerabilities/0/scores/0/cvss_v3", "baseScore", "7.5");
	refused(d, "6.1.9", "/vulnerabilities/0/scores/0/cvss_v3/baseScore");
	d = base();
	set(d, "vulnerabilities/0/scores/0/cvss_v3", "attackVector", "\"LOCAL\"");
	refused(d, "6.1.10", "/vulnerabilities/0/scores/0/cvss_v3/attackVector");
	d = base();
	set(d, "vulnerabilities/0/scores/0/cvss_v3", "vectorString", "\"CVSS:3.1/AV:Q\"");
	refused(d, "6.1.8", NULL);
	d = base();
	set(d, "vulnerabilities/0", "scores",
	    "[{\"products\": [\"A\"], \"cvss_v3\": {\"version\": \"3.1\", \"vectorString\": "
	    "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\", \"baseScore\": 9.8, "
	    "\"baseSeverity\": \"CRITICAL\"}}, {\"products\": [\"A\"], \"cvss_v3\": {\"version\": "
	    "\"3.1\", \"vectorString\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\", "
	    "\"baseScore\": 9.8, \"baseSeverity\": \"CRITICAL\"}}]");
	refused(d, "6.1.7", "/vulnerabilities/0/scores/1/products/0");
}

static void test_tracking(void **state)
{
	(void)state;
	json_t *d = base();
	set(d, "document/tracking", "version", "\"1\"");
	refused(d, "6.1.16", "/document/tracking/version");
	d = base();
	set(d, "document/tracking", "version", "\"2.0.0-rc1\"");
	refused(d, "6.1.30", "/document/tracking");
	d = base();
	set(d, "document/tracking/revision_history/1", "number", "\"3\"");
	set(d, "document/tracking", "version", "\"3\"");
	refused(d, "6.1.21", "/document/tracking/revision_history");
	d = base();
	set(d, "document/tracking/revision_history/1", "number", "\"1\"");
	set(d, "document/tracking", "version", "\"1\"");
	refused(d, "6.1.22", "/document/tracking/revision_history/1/number");
	d = base();
	set(d, "document/tracking/revision_history/0", "date", "\"2024-01-03T10:00:00.000Z\"");
	refused(d, "6.1.14", NULL);
	d = base();
	set(d, "document/tracking/revision_history/0", "number", "\"0\"");
	set(d, "document/tracking/revision_history/1", "number", "\"1\"");
	set(d, "document/tracking", "version", "\"1\"");
	refused(d, "6.1.18", "/document/tracking/revision_history/0/number");
	d = base();
	set(d, "document/tracking/revision_history/0", "number", "\"0\"");
	set(d, "document/tracking/revision_history/1", "number", "\"1\"");
	set(d, "document/tracking", "version", "\"0\"");
	set(d, "document/tracking", "status", "\"draft\"");
	struct csaf_check_result r = run(d);
	assert_true(has(&r, "6.1.16", NULL)); /* version 0 is not the newest */
	assert_false(has(&r, "6.1.17", NULL));
	csaf_check_result_free(&r);
}

static void test_document(void **state)
{
	(void)state;
	json_t *d = base();
	set(d, "document", "lang", "\"EZ\"");
	refused(d, "6.1.12", "/document/lang");
	d = base();
	set(d, "document/publisher", "category", "\"translator\"");
	refused(d, "6.1.15", "/document/source_lang");
	d = base();
	set(d, "document", "source_lang", "\"en\"");
	refused(d, "6.1.28", "/document/lang");
	d = base();
	set(d, "document", "category", "\"Security_Advisory\"");
	refused(d, "6.1.26", "/document/category");
	d = base();
	set(d, "document", "category", "\"csaf_whatever\"");
	refused(d, "6.1.26", "/document/category");
	d = base();
	json_array_append_new(json_object_get(d, "vulnerabilities"),
			      json_pack("{s:s}", "cve", "CVE-2024-0001"));
	refused(d, "6.1.23", "/vulnerabilities/1/cve");
	d = base();
	json_object_del(
	    json_array_get(json_object_get(json_array_get(json_object_get(d, "vulnerabilities"), 0),
					   "remediations"),
			   0),
	    "product_ids");
	refused(d, "6.1.29", "/vulnerabilities/0/remediations/0");
	d = base();
	set(d, "vulnerabilities/0", "flags", "[{\"label\": \"component_not_present\"}]");
	refused(d, "6.1.32", "/vulnerabilities/0/flags/0");
	d = base();
	set(d, "vulnerabilities/0", "flags",
	    "[{\"label\": \"component_not_present\", \"product_ids\": [\"B\"]},"
	    " {\"label\": \"vulnerable_code_not_present\", \"group_ids\": [\"G\"]}]");
	refused(d, "6.1.33", "/vulnerabilities/0/flags/1");
	d = base();
	set(d, "product_tree", "branches",
	    "[{\"category\": \"product_version\", \"name\": \"prior to 4.2\", \"product\": "
	    "{\"name\": \"x\", \"product_id\": \"X\"}}]");
	refused(d, "6.1.31", "/product_tree/branches/0/name");
	d = base();
	set(d, "product_tree/full_product_names/0/product_identification_helper", "hashes",
	    "[{\"filename\": \"a.bin\", \"file_hashes\": [{\"algorithm\": \"sha256\", \"value\": "
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"},"
	    " {\"algorithm\": \"sha256\", \"value\": "
	    "\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"}]}]");
	refused(d, "6.1.25", NULL);
}

static void test_profiles(void **state)
{
	(void)state;
	json_t *d = base();
	set(d, "document", "category", "\"csaf_security_advisory\"");
	refused(d, "6.1.27.5", "/vulnerabilities/0/notes");
	d = base();
	set(d, "document", "category", "\"csaf_vex\"");
	set(d, "vulnerabilities/0/product_status", "known_not_affected", "[\"B\"]");
	json_object_del(json_object_get(json_array_get(json_object_get(d, "vulnerabilities"), 0),
					"product_status"),
			"fixed");
	refused(d, "6.1.27.9", "/vulnerabilities/0/product_status/known_not_affected/0");
	d = base();
	set(d, "document", "category", "\"csaf_informational_advisory\"");
	refused(d, "6.1.27.3", "/vulnerabilities");
}

static void test_not_json(void **state)
{
	(void)state;
	struct csaf_check_result r;
	struct vg_error err = {0};
	assert_int_equal(csaf_check("{\"document\": ", 13, &r, &err), VG_OK);
	assert_false(csaf_check_passes(&r));
	assert_int_equal(r.schema_failures, 1);
	assert_string_equal(r.issues[0].path, "");
	csaf_check_result_free(&r);
	assert_int_equal(csaf_check("", 0, &r, &err), VG_OK);
	assert_false(csaf_check_passes(&r));
	csaf_check_result_free(&r);
}

/* Section 5.1 on the official file name tests: a valid file is named by the
 * rule from its tracking id, an invalid one is not. */
static void check_names(const char *dir, int valid)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(dh);
	while ((e = readdir(dh))) {
		char path[1024], name[600];
		struct vg_buf b;
		struct vg_error err = {0};
		if (!strstr(e->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		vg_buf_init(&b, 1 << 20);
		assert_int_equal(vg_buf_read_file(&b, path, 1 << 20, &err), VG_OK);
		json_t *d = json_loadb(b.data, b.len, 0, NULL);
		const char *id = json_string_value(json_object_get(
		    json_object_get(json_object_get(d, "document"), "tracking"), "id"));
		assert_non_null(id);
		assert_int_equal(csaf_file_name(id, name, sizeof(name)), VG_OK);
		if (valid)
			assert_string_equal(name, e->d_name);
		else
			assert_string_not_equal(name, e->d_name);
		json_decref(d);
		vg_buf_release(&b);
		n++;
	}
	closedir(dh);
	assert_true(n > 0);
}

static void test_file_names(void **state)
{
	(void)state;
	const char *data = getenv("VIGIL_SHARED_DATA");
	char dir[512], out[600];
	if (!data) {
		skip();
		return;
	}
	snprintf(dir, sizeof(dir), "%s/csaf/csaf_2.0/test/filenames/data/valid", data);
	check_names(dir, 1);
	snprintf(dir, sizeof(dir), "%s/csaf/csaf_2.0/test/filenames/data/invalid", data);
	check_names(dir, 0);
	assert_int_equal(csaf_file_name("", out, sizeof(out)), VG_EINVAL);
	assert_int_equal(csaf_document_path("WHITE", 1704103200, "RHSA-2024:1 x", out, sizeof(out)),
			 VG_OK);
	assert_string_equal(out, "/.well-known/csaf/white/2024/rhsa-2024_1_x.json");
}

/* The issue's bad input: a date in the wrong format and an unknown CVSS
 * vector are refused with the JSON path (the schema's date-time format,
 * test 6.1.8), as is a product id that is not defined (6.1.1). */
static void test_bad_input(void **state)
{
	(void)state;
	json_t *d = base();
	set(d, "document/tracking", "current_release_date", "\"02.01.2024\"");
	refused(d, "schema", "/document/tracking/current_release_date");
	d = base();
	set(d, "document/tracking/revision_history/1", "date", "\"2024-01-02 10:00\"");
	refused(d, "schema", "/document/tracking/revision_history/1/date");
	d = base();
	set(d, "vulnerabilities/0/scores/0/cvss_v3", "vectorString",
	    "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X\"");
	refused(d, "6.1.8", "/vulnerabilities/0/scores/0/cvss_v3/vectorString");
	d = base();
	set(d, "vulnerabilities/0/product_status", "fixed", "[\"NO-SUCH-PRODUCT\"]");
	refused(d, "6.1.1", "/vulnerabilities/0/product_status/fixed/0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_base_passes), cmocka_unit_test(test_products),
	    cmocka_unit_test(test_scores),      cmocka_unit_test(test_tracking),
	    cmocka_unit_test(test_document),    cmocka_unit_test(test_profiles),
	    cmocka_unit_test(test_not_json),    cmocka_unit_test(test_file_names),
	    cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
