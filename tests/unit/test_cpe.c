/*
 * test_cpe.c - CPE naming and matching: every name of the NVD CPE
 * dictionary page in $VIGIL_SHARED_DATA/vuln/cpe (parse, bind back to the
 * same string, URI round trip, self match, vendor:product patterns checked
 * against an independent count), and the examples of NISTIR 7695/7696.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/buf.h"
#include "core/json.h"
#include "ident/cpe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cpe parse_ok(const char *s)
{
	struct cpe c;
	struct vg_error err = {0};
	int rc = cpe_parse(s, &c, &err);
	if (rc)
		fprintf(stderr, "%s: %s\n", s, err.msg);
	assert_int_equal(rc, VG_OK);
	return c;
}

static int matches(const char *source, const char *target)
{
	struct cpe s = parse_ok(source), t = parse_ok(target);
	int m = cpe_match(&s, &t);
	cpe_release(&s);
	cpe_release(&t);
	return m;
}

/* ---- the NVD dictionary page ---- */

/* Split a formatted string on unescaped ':' (independently of cpe.c) and
 * copy component i (0 = "cpe") into out. */
static void fs_component(const char *s, int i, char *out, size_t n)
{
	int k = 0;
	size_t o = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '\\' && p[1]) {
			if (k == i && o + 2 < n) {
				out[o++] = p[0];
				out[o++] = p[1];
			}
			p++;
			continue;
		}
		if (*p == ':') {
			k++;
			continue;
		}
		if (k == i && o + 1 < n)
			out[o++] = *p;
	}
	out[o] = '\0';
}

static void test_nvd_dictionary(void **state)
{
	const char *root = getenv("VIGIL_SHARED_DATA");
	char path[4096];
	struct vg_buf buf;
	struct vg_error err = {0};
	json_t *doc, *products, *item;
	size_t i, n;
	struct cpe *all;
	int deprecated_by = 0, patterns = 0, version_checks = 0;

	(void)state;
	assert_non_null(root);
	snprintf(path, sizeof(path), "%s/vuln/cpe/nvd-cpes-api-2.0-page-2023.json", root);
	vg_buf_init(&buf, 0);
	assert_int_equal(vg_buf_read_file(&buf, path, 64 << 20, &err), VG_OK);
	doc = vg_json_parse(buf.data, buf.len, path, &err);
	vg_buf_release(&buf);
	assert_non_null(doc);
	products = json_object_get(doc, "products");
	n = json_array_size(products);
	assert_int_equal(n, 10000);
	all = calloc(n, sizeof(*all));
	assert_non_null(all);

	json_array_foreach(products, i, item)
	{
		const json_t *cpe = json_object_get(item, "cpe");
		const char *name = vg_json_str(cpe, "cpeName");
		struct cpe back;
		char *fs, *uri, *fs2;
		json_t *dep;
		size_t k;

		assert_non_null(name);
		all[i] = parse_ok(name);
		/* binding back gives the dictionary's own string */
		fs = cpe_to_fs(&all[i]);
		assert_string_equal(fs, name);
		/* and the 2.2 URI binding carries the same name */
		uri = cpe_to_uri(&all[i]);
		assert_non_null(uri);
		back = parse_ok(uri);
		fs2 = cpe_to_fs(&back);
		if (strcmp(fs2, name) != 0)
			fprintf(stderr, "%s -> %s -> %s\n", name, uri, fs2);
		assert_string_equal(fs2, name);
		assert_true(cpe_is_equal(&all[i], &back));
		assert_true(cpe_match(&all[i], &back));
		assert_false(cpe_is_disjoint(&all[i], &back));
		free(fs);
		free(fs2);
		free(uri);
		cpe_release(&back);
		json_array_foreach(json_object_get(cpe, "deprecatedBy"), k, dep)
		{
			struct cpe d = parse_ok(vg_json_str(dep, "cpeName"));
			deprecated_by++;
			cpe_release(&d);
		}
	}
	assert_true(deprecated_by > 0);

	/* part:vendor:product:* patterns: cpe_match must pick exactly the
	 * names whose first three components are equal as strings */
	for (i = 0; i < n; i += 50) {
		const char *name =
		    vg_json_str(json_object_get(json_array_get(products, i), "cpe"), "cpeName");
		char pv[3][512], other[3][512], pattern[1700];
		size_t want = 0, got = 0;
		struct cpe pat;

		for (int c = 0; c < 3; c++)
			fs_component(name, 2 + c, pv[c], sizeof(pv[c]));
		snprintf(pattern, sizeof(pattern), "cpe:2.3:%s:%s:%s:*:*:*:*:*:*:*:*", pv[0], pv[1],
			 pv[2]);
		pat = parse_ok(pattern);
		for (size_t j = 0; j < n; j++) {
			const char *o = vg_json_str(
			    json_object_get(json_array_get(products, j), "cpe"), "cpeName");
			int same = 1;
			for (int c = 0; c < 3; c++) {
				fs_component(o, 2 + c, other[c], sizeof(other[c]));
				same &= strcmp(other[c], pv[c]) == 0;
			}
			want += same;
			got += cpe_match(&pat, &all[j]) ? 1 : 0;
			/* the pattern is never a subset of a concrete name */
			if (same)
				assert_true(cpe_match(&pat, &all[j]));
		}
		assert_true(want >= 1);
		assert_int_equal(got, want);
		cpe_release(&pat);
		patterns++;
	}

	/* a version prefix wildcard matches its name; NA never matches a
	 * concrete version */
	for (i = 0; i < n; i++) {
		struct cpe pat = {0};
		char *plain;
		if (all[i].attr[CPE_VERSION].kind != CPE_VALUE)
			continue;
		plain = cpe_attr_plain(&all[i], CPE_VERSION);
		assert_non_null(plain);
		for (int a = 0; a < CPE_NATTR; a++) {
			pat.attr[a].kind = all[i].attr[a].kind;
			pat.attr[a].v = all[i].attr[a].v ? strdup(all[i].attr[a].v) : NULL;
		}
		free(pat.attr[CPE_VERSION].v);
		pat.attr[CPE_VERSION].v = malloc(3 + 1);
		assert_non_null(pat.attr[CPE_VERSION].v);
		if (all[i].attr[CPE_VERSION].v[0] == '\\')
			snprintf(pat.attr[CPE_VERSION].v, 4, "\\%c*",
				 all[i].attr[CPE_VERSION].v[1]);
		else
			snprintf(pat.attr[CPE_VERSION].v, 4, "%c*", all[i].attr[CPE_VERSION].v[0]);
		assert_true(cpe_match(&pat, &all[i]));
		assert_false(cpe_match(&all[i], &pat)); /* wildcard target: undefined */
		free(pat.attr[CPE_VERSION].v);
		pat.attr[CPE_VERSION].v = NULL;
		pat.attr[CPE_VERSION].kind = CPE_NA;
		assert_false(cpe_match(&pat, &all[i]));
		assert_true(cpe_is_disjoint(&pat, &all[i]));
		cpe_release(&pat);
		free(plain);
		version_checks++;
	}
	printf("cpe dictionary: %zu names, %d deprecatedBy names, %d vendor:product patterns, "
	       "%d version checks\n",
	       n, deprecated_by, patterns, version_checks);
	assert_true(version_checks > 1000);

	for (i = 0; i < n; i++)
		cpe_release(&all[i]);
	free(all);
	json_decref(doc);
}

/* ---- NISTIR 7695 / 7696 examples and hand-written cases ---- */

static void expect_attr(const struct cpe *c, enum cpe_attr a, enum cpe_kind kind, const char *v)
{
	assert_int_equal(c->attr[a].kind, kind);
	if (v)
		assert_string_equal(c->attr[a].v, v);
	else
		assert_null(c->attr[a].v);
}

static void test_unbind_examples(void **state)
{
	struct cpe c;
	char *s;
	(void)state;

	c = parse_ok("cpe:/a:microsoft:internet_explorer:8.%02:sp%01");
	expect_attr(&c, CPE_PART, CPE_VALUE, "a");
	expect_attr(&c, CPE_VERSION, CPE_VALUE, "8\\.*");
	expect_attr(&c, CPE_UPDATE, CPE_VALUE, "sp?");
	expect_attr(&c, CPE_EDITION, CPE_ANY, NULL);
	expect_attr(&c, CPE_OTHER, CPE_ANY, NULL);
	s = cpe_to_fs(&c);
	assert_string_equal(s, "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*");
	free(s);
	cpe_release(&c);

	c = parse_ok("cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~");
	expect_attr(&c, CPE_VERSION, CPE_VALUE, "7\\.4\\.0\\.1570");
	expect_attr(&c, CPE_UPDATE, CPE_ANY, NULL);
	expect_attr(&c, CPE_EDITION, CPE_ANY, NULL);
	expect_attr(&c, CPE_SW_EDITION, CPE_VALUE, "online");
	expect_attr(&c, CPE_TARGET_SW, CPE_VALUE, "win2003");
	expect_attr(&c, CPE_TARGET_HW, CPE_VALUE, "x64");
	expect_attr(&c, CPE_OTHER, CPE_ANY, NULL);
	cpe_release(&c);

	c = parse_ok("cpe:2.3:a:micr\\?osoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*");
	expect_attr(&c, CPE_VENDOR, CPE_VALUE, "micr\\?osoft");
	expect_attr(&c, CPE_VERSION, CPE_VALUE, "8\\.0\\.6001");
	expect_attr(&c, CPE_UPDATE, CPE_VALUE, "beta");
	s = cpe_attr_plain(&c, CPE_VERSION);
	assert_string_equal(s, "8.0.6001");
	free(s);
	assert_null(cpe_attr_plain(&c, CPE_EDITION));
	cpe_release(&c);

	/* binding to a URI packs the extended attributes into the edition */
	c = parse_ok("cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*");
	s = cpe_to_uri(&c);
	assert_string_equal(s, "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~");
	free(s);
	cpe_release(&c);

	/* punctuation is percent-encoded in a URI, trailing ANY left off */
	c = parse_ok("cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:*:*:*:*");
	expect_attr(&c, CPE_VENDOR, CPE_VALUE, "foo\\\\bar");
	s = cpe_to_uri(&c);
	assert_string_equal(s, "cpe:/a:foo%5cbar:big%24money_manager_2010");
	free(s);
	cpe_release(&c);

	/* a quoted ':' stays inside its attribute */
	c = parse_ok("cpe:2.3:a:foo:bar\\:baz:1.0:*:*:*:*:*:*:*");
	expect_attr(&c, CPE_PRODUCT, CPE_VALUE, "bar\\:baz");
	expect_attr(&c, CPE_VERSION, CPE_VALUE, "1\\.0");
	s = cpe_attr_plain(&c, CPE_PRODUCT);
	assert_string_equal(s, "bar:baz");
	free(s);
	s = cpe_to_fs(&c);
	assert_string_equal(s, "cpe:2.3:a:foo:bar\\:baz:1.0:*:*:*:*:*:*:*");
	free(s);
	cpe_release(&c);

	/* a value of a lone quoted '-' is not NA, in either binding */
	c = parse_ok("cpe:2.3:a:foo:\\-:*:*:*:*:*:*:*:*");
	expect_attr(&c, CPE_PRODUCT, CPE_VALUE, "\\-");
	s = cpe_to_fs(&c);
	assert_string_equal(s, "cpe:2.3:a:foo:\\-:*:*:*:*:*:*:*:*");
	free(s);
	s = cpe_to_uri(&c);
	assert_string_equal(s, "cpe:/a:foo:%2d");
	cpe_release(&c);
	c = parse_ok(s);
	free(s);
	expect_attr(&c, CPE_PRODUCT, CPE_VALUE, "\\-");
	cpe_release(&c);

	/* case is folded: matching is case-insensitive */
	c = parse_ok("CPE:2.3:A:Microsoft:IE:*:*:*:*:*:*:*:*");
	s = cpe_to_fs(&c);
	assert_string_equal(s, "cpe:2.3:a:microsoft:ie:*:*:*:*:*:*:*:*");
	free(s);
	cpe_release(&c);
}

static void test_nistir_7696_examples(void **state)
{
	struct cpe s, t;
	(void)state;

	/* a specific name against one that leaves everything but the product
	 * ANY: not disjoint, not equal, the target is a subset */
	s = parse_ok("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:sp2:*:*:*:*");
	t = parse_ok("cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*");
	assert_false(cpe_is_disjoint(&s, &t));
	assert_false(cpe_is_equal(&s, &t));
	assert_true(cpe_is_subset(&s, &t));
	assert_false(cpe_match(&s, &t));
	assert_true(cpe_match(&t, &s));
	cpe_release(&s);
	cpe_release(&t);

	/* edition PalmOS against NA: disjoint, whatever the other attributes */
	s = parse_ok("cpe:2.3:a:adobe:*:9.*:*:PalmOS:*:*:*:*:*");
	t = parse_ok("cpe:/a::Reader:9.3.2:-:-");
	assert_true(cpe_is_disjoint(&s, &t));
	assert_false(cpe_is_equal(&s, &t));
	assert_false(cpe_is_subset(&s, &t));
	assert_false(cpe_match(&s, &t));
	cpe_release(&s);
	cpe_release(&t);
}

static void test_attribute_relations(void **state)
{
	struct cpe_value any = {CPE_ANY, NULL}, na = {CPE_NA, NULL};
	struct cpe_value v10 = {CPE_VALUE, (char *)"1\\.0"};
	struct cpe_value v10b = {CPE_VALUE, (char *)"1\\.0"};
	struct cpe_value wild = {CPE_VALUE, (char *)"1\\.*"};
	(void)state;

	assert_int_equal(cpe_compare_attr(&any, &any), CPE_EQUAL);
	assert_int_equal(cpe_compare_attr(&na, &na), CPE_EQUAL);
	assert_int_equal(cpe_compare_attr(&any, &na), CPE_SUPERSET);
	assert_int_equal(cpe_compare_attr(&na, &any), CPE_SUBSET);
	assert_int_equal(cpe_compare_attr(&any, &v10), CPE_SUPERSET);
	assert_int_equal(cpe_compare_attr(&v10, &any), CPE_SUBSET);
	assert_int_equal(cpe_compare_attr(&na, &v10), CPE_DISJOINT);
	assert_int_equal(cpe_compare_attr(&v10, &na), CPE_DISJOINT);
	assert_int_equal(cpe_compare_attr(&v10, &v10b), CPE_EQUAL);
	assert_int_equal(cpe_compare_attr(&wild, &v10), CPE_SUPERSET);
	assert_int_equal(cpe_compare_attr(&v10, &wild), CPE_UNDEFINED);
	assert_int_equal(cpe_compare_attr(&any, &wild), CPE_UNDEFINED);
}

static void test_wildcards(void **state)
{
	const char *ie8 = "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:sp1:*:*:*:*:*:*";
	(void)state;
	assert_true(matches("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*", ie8));
	assert_false(matches("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
			     "cpe:2.3:a:microsoft:internet_explorer:7.0:sp1:*:*:*:*:*:*"));
	assert_false(matches("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
			     "cpe:2.3:a:microsoft:internet_explorer:8.0:sp10:*:*:*:*:*:*"));
	assert_true(matches("cpe:2.3:a:*soft:internet_explorer:*:*:*:*:*:*:*:*", ie8));
	assert_true(matches("cpe:2.3:a:micro*:*:*:*:*:*:*:*:*:*", ie8));
	assert_true(matches("cpe:2.3:a:*croso*:*:*:*:*:*:*:*:*:*", ie8));
	assert_false(matches("cpe:2.3:a:*crosa*:*:*:*:*:*:*:*:*:*", ie8));
	assert_true(matches("cpe:2.3:a:?icrosoft:*:*:*:*:*:*:*:*:*", ie8));
	assert_false(matches("cpe:2.3:a:?crosoft:*:*:*:*:*:*:*:*:*", ie8));
	/* a quoted '*' is a literal, not a wildcard */
	assert_false(
	    matches("cpe:2.3:a:foo:a\\*:*:*:*:*:*:*:*:*", "cpe:2.3:a:foo:ab:*:*:*:*:*:*:*:*"));
	assert_true(
	    matches("cpe:2.3:a:foo:a\\*:*:*:*:*:*:*:*:*", "cpe:2.3:a:foo:a\\*:*:*:*:*:*:*:*:*"));
	/* '-' (NA) and '*' (ANY) are what the spec says, not strings */
	assert_true(matches("cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*",
			    "cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*"));
	assert_false(matches("cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*",
			     "cpe:2.3:o:linux:linux_kernel:5.10:*:*:*:*:*:*:*"));
	assert_true(matches("cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*",
			    "cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*"));
	/* a component whose CPE carries a wildcard is never matched */
	assert_false(
	    matches("cpe:2.3:a:*:*:*:*:*:*:*:*:*:*", "cpe:2.3:a:foo:bar:1.*:*:*:*:*:*:*:*"));
	/* escapes: the dictionary spells g++ as g\+\+ */
	assert_true(matches("cpe:2.3:a:gnu:g\\+\\+:*:*:*:*:*:*:*:*",
			    "cpe:2.3:a:gnu:g\\+\\+:4.1:*:*:*:*:*:*:*"));
	assert_false(matches("cpe:2.3:a:gnu:g\\+\\+:*:*:*:*:*:*:*:*",
			     "cpe:2.3:a:gnu:gcc:4.1:*:*:*:*:*:*:*"));
	/* "." written quoted or not is the same character */
	assert_true(
	    matches("cpe:2.3:a:a:b:1\\.0:*:*:*:*:*:*:*", "cpe:2.3:a:a:b:1.0:*:*:*:*:*:*:*"));
}

static void expect_error(const char *in, int code, const char *part)
{
	struct cpe c;
	struct vg_error err = {0};
	int rc = cpe_parse(in, &c, &err);
	if (rc != code || !strstr(err.msg, part))
		fprintf(stderr, "%s: rc %d '%s', want %d '%s'\n", in, rc, err.msg, code, part);
	assert_int_equal(rc, code);
	assert_non_null(strstr(err.msg, part));
	cpe_release(&c);
}

static void test_errors(void **state)
{
	char *big;
	(void)state;
	expect_error("", VG_EPARSE, "empty");
	expect_error("pkg:npm/x", VG_EPARSE, "not a CPE name");
	expect_error("cpe:2.3:a:foo:bar", VG_EPARSE, "3 attributes");
	expect_error("cpe:2.3:a:b:c:d:e:f:g:h:i:j:k:l", VG_EPARSE, "more than 11");
	expect_error("cpe:2.3:x:foo:bar:*:*:*:*:*:*:*:*", VG_EPARSE, "part must be");
	expect_error("cpe:2.3:a:foo:bar:1*0:*:*:*:*:*:*:*", VG_EPARSE,
		     "version has an unquoted '*'");
	expect_error("cpe:2.3:a:foo:bar:1?0:*:*:*:*:*:*:*", VG_EPARSE, "unquoted '?'");
	expect_error("cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:x\\", VG_EPARSE, "lone backslash");
	expect_error("cpe:2.3:a:foo::*:*:*:*:*:*:*:*", VG_EPARSE, "product is empty");
	expect_error("cpe:2.3:a:f\xc3\xa9:bar:*:*:*:*:*:*:*:*", VG_EPARSE, "byte 0xc3");
	expect_error("cpe:2.3:a:f o:bar:*:*:*:*:*:*:*:*", VG_EPARSE, "byte 0x20");
	expect_error("cpe:/a:foo:%zz", VG_EPARSE, "two hex digits");
	expect_error("cpe:/a:foo:bar:1:2:3:4:5", VG_EPARSE, "more than 7");
	expect_error("cpe:/a:foo:bar:1:2:~a~b", VG_EPARSE, "packed edition");
	expect_error("cpe:/a:foo:1%020", VG_EPARSE, "wildcard");
	/* the message quotes the name */
	expect_error("cpe:2.3:q:a:b:*:*:*:*:*:*:*:*", VG_EPARSE, "cpe 'cpe:2.3:q:a:b");

	big = malloc(CPE_MAX_LEN + 16);
	assert_non_null(big);
	memcpy(big, "cpe:2.3:a:", 10);
	memset(big + 10, 'a', CPE_MAX_LEN);
	big[CPE_MAX_LEN + 10] = '\0';
	expect_error(big, VG_ETOOBIG, "longer than");
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nvd_dictionary),
	    cmocka_unit_test(test_unbind_examples),
	    cmocka_unit_test(test_nistir_7696_examples),
	    cmocka_unit_test(test_attribute_relations),
	    cmocka_unit_test(test_wildcards),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
