/*
 * test_jsonschema.c - the JSON Schema validator (src/schema/jsonschema.h).
 *
 * The main check runs the official JSON Schema Test Suite as Debian ships it
 * (package json-schema-test-suite, /usr/share/json-schema-test-suite, version
 * 2.0.0, which has drafts 3 to 7): every test of draft4, draft6 and draft7,
 * without the optional/ folder, must give the expected verdict. The suite's
 * remotes/ folder is loaded from disk under http://localhost:1234/, and the
 * draft meta-schemas (referred to by definitions.json and ref.json) from
 * python3-jsonschema's copy in /usr/lib/python3/dist-packages/jsonschema/schemas.
 *
 * Skipped groups: none. Every group of the three drafts runs. (The package
 * has no 2019-09 / 2020-12 folders, so those drafts are covered only by the
 * small hand-written cases at the end.)
 *
 * The expected totals (320, 405, 423 tests) were counted with Python over the
 * suite's files: sum(len(g["tests"]) for g in json.load(f)) per draft folder.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/buf.h"
#include "core/json.h"
#include "schema/jsonschema.h"

static const char *suite_dir(void)
{
	const char *d = getenv("VIGIL_JSON_SCHEMA_SUITE");
	return d ? d : "/usr/share/json-schema-test-suite";
}

static const char *meta_dir(void)
{
	const char *d = getenv("VIGIL_JSON_METASCHEMA_DIR");
	return d ? d : "/usr/lib/python3/dist-packages/jsonschema/schemas";
}

static json_t *load_json(const char *path)
{
	struct vg_buf b;
	struct vg_error err = {0};
	json_t *v;
	vg_buf_init(&b, 0);
	if (vg_buf_read_file(&b, path, 0, &err) != VG_OK)
		fail_msg("%s", err.msg);
	v = vg_json_parse(b.data, b.len, path, &err);
	vg_buf_release(&b);
	if (!v)
		fail_msg("%s", err.msg);
	return v;
}

/* Documents every group's set gets: remotes and meta-schemas, parsed once. */
struct extra {
	json_t *doc;
	char uri[512];
};
static struct extra extras[32];
static size_t n_extras;

static void add_extra(const char *path, const char *uri)
{
	assert_true(n_extras < sizeof(extras) / sizeof(extras[0]));
	extras[n_extras].doc = load_json(path);
	if (uri)
		snprintf(extras[n_extras].uri, sizeof(extras[0].uri), "%s", uri);
	n_extras++;
}

static void load_remotes(const char *dir, const char *rel)
{
	char path[1024];
	DIR *d;
	struct dirent *e;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	d = opendir(path);
	assert_non_null(d);
	while ((e = readdir(d))) {
		char sub[1024], uri[512];
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		if (n > 5 && !strcmp(e->d_name + n - 5, ".json")) {
			snprintf(path, sizeof(path), "%s/%s", dir, sub);
			snprintf(uri, sizeof(uri), "http://localhost:1234/%s", sub);
			add_extra(path, uri);
		} else {
			load_remotes(dir, sub);
		}
	}
	closedir(d);
}

static int setup_extras(void **state)
{
	char dir[1024], path[1024];
	(void)state;
	snprintf(dir, sizeof(dir), "%s/remotes", suite_dir());
	load_remotes(dir, "");
	const char *metas[] = {"draft4.json", "draft6.json", "draft7.json"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", meta_dir(), metas[i]);
		add_extra(path, NULL);
	}
	return 0;
}

static int teardown_extras(void **state)
{
	(void)state;
	for (size_t i = 0; i < n_extras; i++)
		json_decref(extras[i].doc);
	n_extras = 0;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run one draft folder; returns the number of tests with the expected verdict. */
static size_t run_draft(int draft, const char *folder, size_t *total)
{
	char dir[1024], path[1200];
	char *names[128];
	size_t nn = 0, pass = 0;
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "%s/tests/%s", suite_dir(), folder);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 5 && !strcmp(e->d_name + n - 5, ".json")) {
			assert_true(nn < 128);
			names[nn++] = strdup(e->d_name);
		}
	}
	closedir(d);
	qsort(names, nn, sizeof(names[0]), name_cmp);
	*total = 0;
	for (size_t f = 0; f < nn; f++) {
		json_t *groups, *g;
		size_t gi;
		snprintf(path, sizeof(path), "%s/%s", dir, names[f]);
		groups = load_json(path);
		json_array_foreach(groups, gi, g)
		{
			struct vg_jsonschema *s = NULL;
			struct vg_error err = {0};
			char uri[256];
			json_t *t;
			size_t ti;

			assert_int_equal(vg_jsonschema_new(draft, &s, &err), VG_OK);
			for (size_t x = 0; x < n_extras; x++)
				if (vg_jsonschema_add(s, extras[x].uri[0] ? extras[x].uri : NULL,
						      extras[x].doc, &err) != VG_OK)
					fail_msg("extra %zu: %s", x, err.msg);
			snprintf(uri, sizeof(uri), "http://vigil.invalid/suite/%s/%s/%zu", folder,
				 names[f], gi);
			if (vg_jsonschema_add(s, uri, json_object_get(g, "schema"), &err) != VG_OK)
				fail_msg("%s group %zu: %s", names[f], gi, err.msg);
			json_array_foreach(json_object_get(g, "tests"), ti, t)
			{
				struct vg_jsonschema_result res;
				int want = json_is_true(json_object_get(t, "valid"));
				int rc = vg_jsonschema_validate(s, uri, json_object_get(t, "data"),
								NULL, &res, &err);
				(*total)++;
				if (rc == VG_OK && res.valid == want) {
					pass++;
					/* an invalid verdict always carries a reason */
					if (!want)
						assert_true(res.n_errors > 0);
				} else {
					print_message(
					    "FAIL %s/%s: %s / %s: rc=%d valid=%d want=%d %s\n",
					    folder, names[f],
					    json_string_value(json_object_get(g, "description")),
					    json_string_value(json_object_get(t, "description")),
					    rc, res.valid, want, rc ? err.msg : "");
				}
				vg_jsonschema_result_release(&res);
			}
			vg_jsonschema_free(s);
		}
		json_decref(groups);
		free(names[f]);
	}
	return pass;
}

static void test_suite_draft4(void **state)
{
	size_t total, pass;
	(void)state;
	pass = run_draft(4, "draft4", &total);
	assert_int_equal(total, 320);
	assert_int_equal(pass, 320);
}

static void test_suite_draft6(void **state)
{
	size_t total, pass;
	(void)state;
	pass = run_draft(6, "draft6", &total);
	assert_int_equal(total, 405);
	assert_int_equal(pass, 405);
}

static void test_suite_draft7(void **state)
{
	size_t total, pass;
	(void)state;
	pass = run_draft(7, "draft7", &total);
	assert_int_equal(total, 423);
	assert_int_equal(pass, 423);
}

/* ------------------------------------------------------ hand-written cases */

static struct vg_jsonschema *set_of(int draft, const char *uri, const char *schema)
{
	struct vg_jsonschema *s = NULL;
	struct vg_error err = {0};
	json_t *doc = vg_json_parse(schema, strlen(schema), "schema", &err);
	if (!doc)
		fail_msg("%s", err.msg);
	assert_int_equal(vg_jsonschema_new(draft, &s, &err), VG_OK);
	if (vg_jsonschema_add(s, uri, doc, &err) != VG_OK)
		fail_msg("%s", err.msg);
	json_decref(doc);
	return s;
}

static int check(struct vg_jsonschema *s, const char *uri, const char *inst,
		 const struct vg_jsonschema_opts *o, struct vg_jsonschema_result *res,
		 struct vg_error *err)
{
	json_t *v = json_loads(inst, JSON_DECODE_ANY, NULL);
	int rc;
	assert_non_null(v);
	rc = vg_jsonschema_validate(s, uri, v, o, res, err);
	json_decref(v);
	return rc;
}

static void test_errors_name_place(void **state)
{
	(void)state;
	struct vg_jsonschema *s = set_of(7, "urn:t",
					 "{\"type\":\"object\",\"required\":[\"name\"],"
					 "\"properties\":{\"list\":{\"type\":\"array\",\"items\":"
					 "{\"$ref\":\"#/definitions/item\"}}},"
					 "\"additionalProperties\":false,"
					 "\"definitions\":{\"item\":{\"type\":\"string\","
					 "\"pattern\":\"^[a-z]+$\"}}}");
	struct vg_jsonschema_result res;
	struct vg_error err = {0};

	assert_int_equal(
	    check(s, "urn:t", "{\"list\":[\"ok\",5,\"NO\"],\"x/y\":1}", NULL, &res, &err), VG_OK);
	assert_false(res.valid);
	assert_int_equal(res.n_errors, 4);
	/* required, then properties in document order, then additionalProperties */
	assert_string_equal(res.errors[0].instance, "");
	assert_string_equal(res.errors[0].schema, "/required");
	assert_string_equal(res.errors[0].message, "expected property \"name\"");
	assert_string_equal(res.errors[1].instance, "/list/1");
	assert_string_equal(res.errors[1].schema, "/properties/list/items/$ref/type");
	assert_string_equal(res.errors[1].message, "expected type string, got integer");
	assert_string_equal(res.errors[2].instance, "/list/2");
	assert_string_equal(res.errors[2].schema, "/properties/list/items/$ref/pattern");
	assert_string_equal(res.errors[3].instance, "/x~1y");
	assert_string_equal(res.errors[3].schema, "/additionalProperties");
	vg_jsonschema_result_release(&res);

	/* the cap keeps the first errors and counts the rest */
	struct vg_jsonschema_opts o = {.max_errors = 2};
	assert_int_equal(check(s, "urn:t", "{\"list\":[1,2,3,4,5]}", &o, &res, &err), VG_OK);
	assert_false(res.valid);
	assert_int_equal(res.n_errors, 2);
	assert_int_equal(res.n_dropped, 4);
	vg_jsonschema_result_release(&res);

	assert_int_equal(check(s, "urn:t", "{\"name\":1,\"list\":[\"abc\"]}", NULL, &res, &err),
			 VG_OK);
	assert_false(res.valid); /* name is not in properties: additional */
	vg_jsonschema_result_release(&res);
	vg_jsonschema_free(s);
}

static void test_recursion_bounded(void **state)
{
	(void)state;
	struct vg_jsonschema *s = set_of(7, "urn:loop", "{\"$ref\":\"#\"}");
	struct vg_jsonschema_result res;
	struct vg_error err = {0};
	assert_int_equal(check(s, "urn:loop", "1", NULL, &res, &err), VG_ETOOBIG);
	assert_non_null(strstr(err.msg, "deeper than"));
	vg_jsonschema_result_release(&res);
	vg_jsonschema_free(s);

	s = set_of(7, "urn:x", "{\"$ref\":\"other.json\"}");
	assert_int_equal(check(s, "urn:x", "1", NULL, &res, &err), VG_ENOTFOUND);
	assert_non_null(strstr(err.msg, "other.json"));
	vg_jsonschema_result_release(&res);
	assert_int_equal(check(s, "urn:nothere", "1", NULL, &res, &err), VG_ENOTFOUND);
	vg_jsonschema_result_release(&res);
	vg_jsonschema_free(s);
}

static void test_cross_document_refs(void **state)
{
	(void)state;
	struct vg_jsonschema *s = NULL;
	struct vg_error err = {0};
	struct vg_jsonschema_result res;
	const char *a = "{\"$id\":\"http://example.org/schema/a.json\",\"properties\":"
			"{\"lic\":{\"$ref\":\"b.json#/definitions/id\"},"
			"\"sig\":{\"$ref\":\"sub/c.json\"}}}";
	const char *b = "{\"$id\":\"http://example.org/schema/b.json\",\"definitions\":"
			"{\"id\":{\"enum\":[\"MIT\",\"Apache-2.0\"]}}}";
	const char *c = "{\"type\":\"integer\"}";
	json_t *da = vg_json_parse(a, strlen(a), "a", &err);
	json_t *db = vg_json_parse(b, strlen(b), "b", &err);
	json_t *dc = vg_json_parse(c, strlen(c), "c", &err);
	assert_int_equal(vg_jsonschema_new(7, &s, &err), VG_OK);
	assert_int_equal(vg_jsonschema_add(s, NULL, da, &err), VG_OK);
	assert_int_equal(vg_jsonschema_add(s, "http://example.org/schema/b-file.json", db, &err),
			 VG_OK);
	assert_int_equal(vg_jsonschema_add(s, "http://example.org/schema/sub/c.json", dc, &err),
			 VG_OK);
	/* a name taken twice is refused */
	assert_int_equal(vg_jsonschema_add(s, "http://example.org/schema/b-file.json", dc, &err),
			 VG_EEXIST);
	json_decref(da);
	json_decref(db);
	json_decref(dc);
	assert_int_equal(check(s, "http://example.org/schema/a.json", "{\"lic\":\"MIT\",\"sig\":3}",
			       NULL, &res, &err),
			 VG_OK);
	assert_true(res.valid);
	vg_jsonschema_result_release(&res);
	assert_int_equal(check(s, "http://example.org/schema/a.json#",
			       "{\"lic\":\"GPL\",\"sig\":\"x\"}", NULL, &res, &err),
			 VG_OK);
	assert_false(res.valid);
	assert_int_equal(res.n_errors, 2);
	assert_string_equal(res.errors[0].schema, "/properties/lic/$ref/enum");
	assert_string_equal(res.errors[1].instance, "/sig");
	vg_jsonschema_result_release(&res);
	/* a fragment names a sub-schema to validate against */
	assert_int_equal(check(s, "http://example.org/schema/b.json#/definitions/id",
			       "\"Apache-2.0\"", NULL, &res, &err),
			 VG_OK);
	assert_true(res.valid);
	vg_jsonschema_result_release(&res);
	vg_jsonschema_free(s);
}

static void test_formats(void **state)
{
	(void)state;
	struct {
		const char *fmt, *value;
		int ok;
	} cases[] = {
	    {"date-time", "2024-02-29T12:00:00Z", 1},
	    {"date-time", "2023-02-29T12:00:00Z", 0},
	    {"date-time", "2024-01-01T25:00:00Z", 0},
	    {"date-time", "2024-01-01T10:00:00.123+02:00", 1},
	    {"date-time", "2024-01-01", 0},
	    {"email", "psirt@example.com", 1},
	    {"email", "not an email", 0},
	    {"email", "a@@b.c", 0},
	    {"idn-email", "\xd0\xb8\xd0\xbc\xd1\x8f@example.com", 1},
	    {"uri", "https://example.com/a?b#c", 1},
	    {"uri", "/relative/only", 0},
	    {"uri", "http://exa mple.com", 0},
	    {"iri-reference", "../\xc3\xa9t\xc3\xa9", 1},
	    {"iri-reference", "a b", 0},
	    {"uuid", "3e671687-395b-41f5-a30f-a58921a69b79", 1},
	    {"uuid", "3e671687-395b-41f5-a30f", 0},
	    {"ipv4", "192.168.0.1", 1},
	    {"ipv4", "192.168.0.01", 0},
	    {"ipv6", "::1", 1},
	    {"regex", "^[a-z]+$", 1},
	    {"regex", "(unclosed", 0},
	    {"no-such-format", "anything", 1},
	};
	struct vg_jsonschema_opts assert_fmt = {.assert_format = 1};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char schema[128];
		json_t *v = json_string(cases[i].value);
		struct vg_jsonschema_result res;
		struct vg_error err = {0};
		snprintf(schema, sizeof(schema), "{\"format\":\"%s\"}", cases[i].fmt);
		struct vg_jsonschema *s = set_of(7, "urn:f", schema);
		assert_int_equal(vg_jsonschema_validate(s, "urn:f", v, &assert_fmt, &res, &err),
				 VG_OK);
		if (res.valid != cases[i].ok)
			fail_msg("format %s on \"%s\": got %d", cases[i].fmt, cases[i].value,
				 res.valid);
		vg_jsonschema_result_release(&res);
		/* without assert_format, format is an annotation only */
		assert_int_equal(vg_jsonschema_validate(s, "urn:f", v, NULL, &res, &err), VG_OK);
		assert_true(res.valid);
		vg_jsonschema_result_release(&res);
		vg_jsonschema_free(s);
		json_decref(v);
	}
}

static void test_regex_hostile(void **state)
{
	(void)state;
	/* catastrophic backtracking is cut off by the match limit, not run for ages */
	struct vg_jsonschema *s = set_of(7, "urn:r", "{\"pattern\":\"^(a+)+$\"}");
	struct vg_jsonschema_result res;
	struct vg_error err = {0};
	char inst[80];
	memset(inst, 'a', sizeof(inst));
	inst[0] = '"';
	inst[sizeof(inst) - 3] = '!';
	inst[sizeof(inst) - 2] = '"';
	inst[sizeof(inst) - 1] = '\0';
	assert_int_equal(check(s, "urn:r", inst, NULL, &res, &err), VG_OK);
	assert_false(res.valid);
	vg_jsonschema_result_release(&res);
	/* ECMA-262 \u escapes and code-point lengths */
	vg_jsonschema_free(s);
	s = set_of(7, "urn:u", "{\"pattern\":\"^\\\\u00e9+$\",\"maxLength\":2}");
	assert_int_equal(check(s, "urn:u", "\"\xc3\xa9\xc3\xa9\"", NULL, &res, &err), VG_OK);
	assert_true(res.valid);
	vg_jsonschema_result_release(&res);
	assert_int_equal(check(s, "urn:u", "\"\xc3\xa9\xc3\xa9\xc3\xa9\"", NULL, &res, &err),
			 VG_OK);
	assert_false(res.valid);
	vg_jsonschema_result_release(&res);
	vg_jsonschema_free(s);
}

static void test_uri_resolve(void **state)
{
	(void)state;
	/* RFC 3986 section 5.4 examples, base http://a/b/c/d;p?q */
	const char *cases[][2] = {
	    {"g:h", "g:h"},
	    {"g", "http://a/b/c/g"},
	    {"./g", "http://a/b/c/g"},
	    {"g/", "http://a/b/c/g/"},
	    {"/g", "http://a/g"},
	    {"//g", "http://g"},
	    {"?y", "http://a/b/c/d;p?y"},
	    {"g?y", "http://a/b/c/g?y"},
	    {"#s", "http://a/b/c/d;p?q#s"},
	    {"g#s", "http://a/b/c/g#s"},
	    {"", "http://a/b/c/d;p?q"},
	    {".", "http://a/b/c/"},
	    {"./", "http://a/b/c/"},
	    {"..", "http://a/b/"},
	    {"../", "http://a/b/"},
	    {"../g", "http://a/b/g"},
	    {"../..", "http://a/"},
	    {"../../g", "http://a/g"},
	    {"../../../g", "http://a/g"},
	    {"/./g", "http://a/g"},
	    {"/../g", "http://a/g"},
	    {"g.", "http://a/b/c/g."},
	    {"..g", "http://a/b/c/..g"},
	    {"./../g", "http://a/b/g"},
	    {"g/./h", "http://a/b/c/g/h"},
	    {"g/../h", "http://a/b/c/h"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *r = vg_uri_resolve("http://a/b/c/d;p?q", cases[i][0]);
		assert_non_null(r);
		if (strcmp(r, cases[i][1]))
			fail_msg("resolve \"%s\": got %s, want %s", cases[i][0], r, cases[i][1]);
		free(r);
	}
	char *r = vg_uri_resolve("urn:uuid:1234", "#/definitions/a");
	assert_string_equal(r, "urn:uuid:1234#/definitions/a");
	free(r);
}

static void test_draft2019_basics(void **state)
{
	(void)state;
	/* $ref beside other keywords, $defs, $anchor, dependentRequired */
	struct vg_jsonschema *s =
	    set_of(2019, "urn:n",
		   "{\"$schema\":\"https://json-schema.org/draft/2019-09/schema\","
		   "\"$ref\":\"#/$defs/base\",\"required\":[\"b\"],"
		   "\"properties\":{\"c\":{\"$ref\":\"#num\"}},"
		   "\"dependentRequired\":{\"b\":[\"c\"]},"
		   "\"$defs\":{\"base\":{\"required\":[\"a\"]},\"n\":{\"$anchor\":\"num\","
		   "\"type\":\"number\",\"minContains\":2}}}");
	struct vg_jsonschema_result res;
	struct vg_error err = {0};
	assert_int_equal(check(s, "urn:n", "{\"a\":1,\"b\":2,\"c\":3}", NULL, &res, &err), VG_OK);
	assert_true(res.valid);
	vg_jsonschema_result_release(&res);
	assert_int_equal(check(s, "urn:n", "{\"b\":2,\"c\":\"x\"}", NULL, &res, &err), VG_OK);
	assert_false(res.valid);
	assert_int_equal(res.n_errors, 2); /* a missing (via $ref), c not a number */
	vg_jsonschema_result_release(&res);
	assert_int_equal(check(s, "urn:n", "{\"a\":1,\"b\":2}", NULL, &res, &err), VG_OK);
	assert_false(res.valid);
	assert_string_equal(res.errors[0].schema, "/dependentRequired");
	vg_jsonschema_result_release(&res);
	vg_jsonschema_free(s);

	/* 2020-12 prefixItems/items; unsupported keywords refuse to run */
	s = set_of(2020, "urn:p",
		   "{\"prefixItems\":[{\"type\":\"string\"}],\"items\":{\"type\":\"integer\"}}");
	assert_int_equal(check(s, "urn:p", "[\"a\",1,2]", NULL, &res, &err), VG_OK);
	assert_true(res.valid);
	vg_jsonschema_result_release(&res);
	assert_int_equal(check(s, "urn:p", "[\"a\",1,\"b\"]", NULL, &res, &err), VG_OK);
	assert_false(res.valid);
	assert_string_equal(res.errors[0].instance, "/2");
	vg_jsonschema_result_release(&res);
	vg_jsonschema_free(s);
	/* unevaluatedProperties sees what in-place schemas that passed evaluated
	 * (the cases of the suite's draft2020-12/unevaluatedProperties.json:
	 * allOf, anyOf with every passing branch, a failed oneOf branch dropped) */
	s = set_of(2020, "urn:u",
		   "{\"allOf\":[{\"properties\":{\"a\":true}}],"
		   "\"anyOf\":[{\"properties\":{\"b\":true}},{\"properties\":{\"c\":true}}],"
		   "\"oneOf\":[{\"properties\":{\"d\":true},\"required\":[\"d\"]},"
		   "{\"properties\":{\"e\":true},\"required\":[\"x\"]}],"
		   "\"properties\":{\"o\":{\"unevaluatedProperties\":false}},"
		   "\"unevaluatedProperties\":false}");
	assert_int_equal(
	    check(s, "urn:u", "{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"o\":{}}", NULL, &res, &err),
	    VG_OK);
	assert_true(res.valid);
	vg_jsonschema_result_release(&res);
	assert_int_equal(check(s, "urn:u", "{\"d\":1,\"e\":1}", NULL, &res, &err), VG_OK);
	assert_false(res.valid);
	assert_string_equal(res.errors[0].instance, "/e");
	vg_jsonschema_result_release(&res);
	assert_int_equal(check(s, "urn:u", "{\"d\":1,\"o\":{\"z\":1}}", NULL, &res, &err), VG_OK);
	assert_false(res.valid);
	assert_string_equal(res.errors[0].instance, "/o/z");
	vg_jsonschema_result_release(&res);
	vg_jsonschema_free(s);
	s = set_of(2020, "urn:v",
		   "{\"not\":{\"properties\":{\"a\":{\"type\":\"string\"}}},"
		   "\"unevaluatedProperties\":{\"type\":\"integer\"}}");
	assert_int_equal(check(s, "urn:v", "{\"a\":1}", NULL, &res, &err), VG_OK);
	assert_true(res.valid);
	vg_jsonschema_result_release(&res);
	vg_jsonschema_free(s);
	s = set_of(2020, "urn:w", "{\"unevaluatedItems\":false}");
	assert_int_equal(check(s, "urn:w", "[]", NULL, &res, &err), VG_EINVAL);
	vg_jsonschema_result_release(&res);
	vg_jsonschema_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_suite_draft4),      cmocka_unit_test(test_suite_draft6),
	    cmocka_unit_test(test_suite_draft7),      cmocka_unit_test(test_errors_name_place),
	    cmocka_unit_test(test_recursion_bounded), cmocka_unit_test(test_cross_document_refs),
	    cmocka_unit_test(test_formats),           cmocka_unit_test(test_regex_hostile),
	    cmocka_unit_test(test_uri_resolve),       cmocka_unit_test(test_draft2019_basics),
	};
	return cmocka_run_group_tests(tests, setup_extras, teardown_extras);
}
