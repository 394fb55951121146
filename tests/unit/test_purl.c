/*
 * test_purl.c - the package-url spec's own test suite (every case of every
 * file under $VIGIL_SHARED_DATA/vuln/purl/tests), plus identity, OSV
 * mapping, error messages and hostile input.
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
#include "ident/purl.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct suite_stats {
	int files, cases, passed, failed;
	int parse, build, validate, must_fail;
};

static int str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* NULL for JSON null or a missing key. */
static const char *opt_str(const json_t *o, const char *key)
{
	return vg_json_str(o, key);
}

static void report(struct suite_stats *st, const char *file, const json_t *tc, const char *why)
{
	char *in = json_dumps(json_object_get(tc, "input"), JSON_ENCODE_ANY | JSON_COMPACT);
	fprintf(stderr, "FAIL %s [%s %s] %s: %s\n", file, vg_json_str(tc, "test_group"),
		vg_json_str(tc, "test_type"), in ? in : "?", why);
	free(in);
	st->failed++;
}

/* Compare a parsed purl with the expected decoded components. */
static int same_parts(const struct purl *p, const json_t *exp, char *why, size_t n)
{
	const json_t *q = json_object_get(exp, "qualifiers");
	size_t nexp = json_is_object(q) ? json_object_size(q) : 0;
	const char *k;
	json_t *v;

	if (!str_eq(p->type, opt_str(exp, "type")) ||
	    !str_eq(p->namespace, opt_str(exp, "namespace")) ||
	    !str_eq(p->name, opt_str(exp, "name")) ||
	    !str_eq(p->version, opt_str(exp, "version")) ||
	    !str_eq(p->subpath, opt_str(exp, "subpath"))) {
		snprintf(why, n,
			 "parts differ: got type=%s ns=%s name=%s version=%s "
			 "subpath=%s",
			 p->type, p->namespace ? p->namespace : "null", p->name,
			 p->version ? p->version : "null", p->subpath ? p->subpath : "null");
		return 0;
	}
	if (nexp != p->nquals) {
		snprintf(why, n, "%zu qualifiers, expected %zu", p->nquals, nexp);
		return 0;
	}
	if (json_is_object(q))
		json_object_foreach((json_t *)q, k, v)
		{
			if (!str_eq(purl_qualifier(p, k), json_string_value(v))) {
				snprintf(why, n, "qualifier %s differs", k);
				return 0;
			}
		}
	return 1;
}

/* The canonical form must be a fixed point: parsing it gives itself. */
static int stable(const char *canonical)
{
	struct purl p;
	char *again;
	int ok;

	if (purl_parse(canonical, PURL_STRICT, &p, NULL))
		return 0;
	again = purl_to_string(&p);
	ok = again && strcmp(again, canonical) == 0;
	free(again);
	purl_release(&p);
	return ok;
}

static void run_case(struct suite_stats *st, const char *file, const json_t *tc)
{
	const char *type = vg_json_str(tc, "test_type");
	int must_fail = json_is_true(json_object_get(tc, "expected_failure"));
	const json_t *in = json_object_get(tc, "input");
	const json_t *exp = json_object_get(tc, "expected_output");
	struct vg_error err = {0};
	struct purl p, b;
	char why[512] = "";
	char *s = NULL;
	int rc;

	st->cases++;
	st->must_fail += must_fail;
	memset(&p, 0, sizeof(p));
	if (str_eq(type, "parse") || str_eq(type, "validate")) {
		int parse = str_eq(type, "parse");
		st->parse += parse;
		st->validate += !parse;
		if (!json_is_string(in)) {
			report(st, file, tc, "input is not a string");
			return;
		}
		rc = purl_parse(json_string_value(in), parse ? PURL_STRICT : 0, &p, &err);
		if (must_fail) {
			if (rc == VG_OK) {
				s = purl_to_string(&p);
				snprintf(why, sizeof(why), "parsed as %s, expected a failure", s);
				report(st, file, tc, why);
			} else if (!strstr(err.msg, "purl")) {
				report(st, file, tc, "error message does not name the purl");
			} else {
				st->passed++;
			}
			goto out;
		}
		if (rc) {
			report(st, file, tc, err.msg);
			goto out;
		}
		s = purl_to_string(&p);
		if (parse && !same_parts(&p, exp, why, sizeof(why))) {
			report(st, file, tc, why);
		} else if (!parse && !str_eq(s, json_string_value(exp))) {
			snprintf(why, sizeof(why), "got %s, expected %s", s,
				 json_string_value(exp));
			report(st, file, tc, why);
		} else if (!stable(s)) {
			snprintf(why, sizeof(why), "canonical %s does not reparse to itself", s);
			report(st, file, tc, why);
		} else {
			st->passed++;
		}
		goto out;
	}
	if (str_eq(type, "build")) {
		struct purl_qualifier qs[PURL_MAX_QUALS];
		const json_t *q = json_object_get(in, "qualifiers");
		const char *k;
		json_t *v;
		size_t nq = 0;

		st->build++;
		memset(&b, 0, sizeof(b));
		b.type = (char *)opt_str(in, "type");
		b.namespace = (char *)opt_str(in, "namespace");
		b.name = (char *)opt_str(in, "name");
		b.version = (char *)opt_str(in, "version");
		b.subpath = (char *)opt_str(in, "subpath");
		if (json_is_object(q))
			json_object_foreach((json_t *)q, k, v)
			{
				if (nq < PURL_MAX_QUALS) {
					qs[nq].key = (char *)k;
					qs[nq].value = (char *)json_string_value(v);
					nq++;
				}
			}
		b.quals = qs;
		b.nquals = nq;
		rc = purl_build(&b, &p, &err);
		if (must_fail) {
			if (rc == VG_OK)
				report(st, file, tc, "built, expected a failure");
			else if (rc != VG_EINVAL)
				report(st, file, tc, "failure code is not VG_EINVAL");
			else
				st->passed++;
			goto out;
		}
		if (rc) {
			report(st, file, tc, err.msg);
			goto out;
		}
		s = purl_to_string(&p);
		if (!str_eq(s, json_string_value(exp))) {
			snprintf(why, sizeof(why), "got %s, expected %s", s,
				 json_string_value(exp));
			report(st, file, tc, why);
		} else {
			st->passed++;
		}
		goto out;
	}
	report(st, file, tc, "unknown test_type");
out:
	free(s);
	purl_release(&p);
}

static void run_dir(struct suite_stats *st, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char path[4096];
		struct vg_buf buf;
		struct vg_error err = {0};
		json_t *doc, *tests, *tc;
		size_t i;

		if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		vg_buf_init(&buf, 0);
		assert_int_equal(vg_buf_read_file(&buf, path, 16 << 20, &err), VG_OK);
		doc = vg_json_parse(buf.data, buf.len, path, &err);
		vg_buf_release(&buf);
		assert_non_null(doc);
		tests = json_object_get(doc, "tests");
		assert_true(json_is_array(tests));
		st->files++;
		json_array_foreach(tests, i, tc) run_case(st, e->d_name, tc);
		json_decref(doc);
	}
	closedir(d);
}

static void test_spec_suite(void **state)
{
	const char *root = getenv("VIGIL_SHARED_DATA");
	char dir[4096];
	struct suite_stats st = {0};

	(void)state;
	assert_non_null(root);
	snprintf(dir, sizeof(dir), "%s/vuln/purl/tests/spec", root);
	run_dir(&st, dir);
	snprintf(dir, sizeof(dir), "%s/vuln/purl/tests/types", root);
	run_dir(&st, dir);
	printf("purl suite: %d files, %d cases (%d parse, %d validate, %d build; %d must fail): "
	       "%d passed, %d failed\n",
	       st.files, st.cases, st.parse, st.validate, st.build, st.must_fail, st.passed,
	       st.failed);
	/* 43 files, 586 cases in the suite as shipped; a smaller count means
	 * files went missing, not that we pass. */
	assert_true(st.files >= 43);
	assert_true(st.cases >= 586);
	assert_true(st.must_fail >= 54);
	assert_int_equal(st.failed, 0);
	assert_int_equal(st.passed, st.cases);
}

/* ---- hand-written cases ---- */

static char *canon(const char *s, unsigned flags)
{
	struct purl p;
	char *out;
	if (purl_parse(s, flags, &p, NULL))
		return NULL;
	out = purl_to_string(&p);
	purl_release(&p);
	return out;
}

static void expect_canon(const char *in, const char *want)
{
	char *got = canon(in, 0);
	if (!got || strcmp(got, want) != 0)
		fprintf(stderr, "%s -> %s, want %s\n", in, got ? got : "(error)", want);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_canonical_forms(void **state)
{
	(void)state;
	expect_canon("pkg:npm/@angular/core@16.0.0", "pkg:npm/%40angular/core@16.0.0");
	expect_canon("PKG:NPM/lodash@4.17.21?b=2&a=1", "pkg:npm/lodash@4.17.21?a=1&b=2");
	expect_canon("pkg:pypi/Zope_Interface@5.0", "pkg:pypi/zope-interface@5.0");
	expect_canon("pkg:github/Torvalds/Linux", "pkg:github/torvalds/linux");
	expect_canon("pkg:maven/org.Apache/Commons-IO@2.0", "pkg:maven/org.Apache/Commons-IO@2.0");
	expect_canon("pkg:golang/github.com/Sirupsen/logrus@v1.0.0",
		     "pkg:golang/github.com/Sirupsen/logrus@v1.0.0");
	expect_canon("pkg:deb/Debian/OpenSSL@3.0.11-1~deb12u2?arch=amd64",
		     "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64");
	expect_canon("pkg:generic/x@1?empty=&a=b", "pkg:generic/x@1?a=b");
	expect_canon("pkg:generic/a%20b@1.0%2Bbuild#./x/../y/",
		     "pkg:generic/a%20b@1.0%2Bbuild#x/y");
	expect_canon("pkg:generic/x@", "pkg:generic/x");
	expect_canon("pkg:pub/Flutter-Test", "pkg:pub/flutter_test");
	expect_canon("pkg:cpan/drolsky/DateTime@1.55", "pkg:cpan/DROLSKY/DateTime@1.55");
	expect_canon("pkg:gem/rails@7.0?Platform=ruby", "pkg:gem/rails@7.0?platform=ruby");
	/* a git name is a path on the host: empty segments carry nothing */
	expect_canon("pkg:git/Host.example/Group/Sub/Repo%2F@v1",
		     "pkg:git/host.example/group/sub/repo@v1");
	/* non-ASCII survives percent-encoded as UTF-8 */
	expect_canon("pkg:generic/caf%C3%A9", "pkg:generic/caf%C3%A9");
}

static void test_identity(void **state)
{
	struct purl a, b;
	char *ia, *ib;
	(void)state;

	assert_int_equal(purl_parse("pkg:PyPI/Django_Rest@3.0?x=1#sub", 0, &a, NULL), VG_OK);
	assert_int_equal(purl_parse("pkg:pypi/django-rest@4.1", 0, &b, NULL), VG_OK);
	ia = purl_identity(&a);
	ib = purl_identity(&b);
	assert_string_equal(ia, "pkg:pypi/django-rest");
	assert_string_equal(ia, ib);
	free(ia);
	free(ib);
	purl_release(&a);
	purl_release(&b);

	assert_int_equal(purl_parse("pkg:npm/%40scope/pkg@1.0.0", 0, &a, NULL), VG_OK);
	ia = purl_identity(&a);
	assert_string_equal(ia, "pkg:npm/%40scope/pkg");
	free(ia);
	purl_release(&a);
}

struct osv_case {
	const char *purl, *ecosystem, *name;
};

static void test_osv(void **state)
{
	static const struct osv_case cases[] = {
	    {"pkg:npm/%40angular/core@1", "npm", "@angular/core"},
	    {"pkg:npm/lodash@4", "npm", "lodash"},
	    {"pkg:pypi/Django@4", "PyPI", "django"},
	    {"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven",
	     "org.apache.logging.log4j:log4j-core"},
	    {"pkg:golang/golang.org/x/crypto@v0.1.0", "Go", "golang.org/x/crypto"},
	    {"pkg:cargo/rand@0.8", "crates.io", "rand"},
	    {"pkg:gem/rails@7", "RubyGems", "rails"},
	    {"pkg:composer/laravel/framework@9", "Packagist", "laravel/framework"},
	    {"pkg:nuget/Newtonsoft.Json@13", "NuGet", "Newtonsoft.Json"},
	    {"pkg:hex/phoenix@1", "Hex", "phoenix"},
	    {"pkg:pub/http@1", "Pub", "http"},
	    {"pkg:cran/ggplot2@3", "CRAN", "ggplot2"},
	    {"pkg:hackage/aeson@2", "Hackage", "aeson"},
	    {"pkg:swift/github.com/Alamofire/Alamofire@5", "SwiftURL",
	     "github.com/Alamofire/Alamofire"},
	    {"pkg:deb/debian/openssl@3", "Debian", "openssl"},
	    {"pkg:deb/ubuntu/openssl@3", "Ubuntu", "openssl"},
	    {"pkg:rpm/redhat/openssl@3", "Red Hat", "openssl"},
	    {"pkg:rpm/almalinux/openssl@3", "AlmaLinux", "openssl"},
	    {"pkg:rpm/opensuse/openssl@3", "openSUSE", "openssl"},
	    {"pkg:apk/alpine/musl@1.2", "Alpine", "musl"},
	    {"pkg:bitnami/wordpress@6", "Bitnami", "wordpress"},
	    {"pkg:rpm/fedora/curl@7", NULL, "curl"},
	    {"pkg:generic/openssl@3", NULL, "openssl"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct purl p;
		char *name;
		assert_int_equal(purl_parse(cases[i].purl, 0, &p, NULL), VG_OK);
		if (cases[i].ecosystem)
			assert_string_equal(purl_osv_ecosystem(&p), cases[i].ecosystem);
		else
			assert_null(purl_osv_ecosystem(&p));
		name = purl_osv_name(&p);
		assert_string_equal(name, cases[i].name);
		free(name);
		purl_release(&p);
	}
}

static void expect_error(const char *in, int code, const char *part)
{
	struct purl p;
	struct vg_error err = {0};
	int rc = purl_parse(in, 0, &p, &err);
	if (rc != code || !strstr(err.msg, part))
		fprintf(stderr, "%s: rc %d msg '%s', want %d '%s'\n", in, rc, err.msg, code, part);
	assert_int_equal(rc, code);
	assert_non_null(strstr(err.msg, part));
	/* a failed parse leaves nothing to free but is safe to release */
	assert_null(p.type);
	purl_release(&p);
}

static void test_errors(void **state)
{
	char *big;
	(void)state;
	expect_error("npm/foo", VG_EPARSE, "no scheme");
	expect_error("http://example.com/x", VG_EPARSE, "not 'pkg'");
	expect_error("pkg:npm", VG_EPARSE, "no '/' after the type");
	expect_error("pkg:npm/foo%zz", VG_EPARSE, "two hex digits");
	expect_error("pkg:npm/foo%", VG_EPARSE, "two hex digits");
	expect_error("pkg:npm/foo%00bar", VG_EPARSE, "NUL");
	expect_error("pkg:npm/foo%C3%28", VG_EPARSE, "UTF-8");
	expect_error("pkg:npm/a%2Fb/c", VG_EPARSE, "encoded '/'");
	expect_error("pkg:npm/foo#a%2Fb", VG_EPARSE, "encoded '/'");
	expect_error("pkg:npm/foo?a=1&a=2", VG_EPARSE, "appears twice");
	expect_error("pkg:npm/foo?novalue", VG_EPARSE, "has no '='");
	expect_error("pkg:npm/foo?1a=x", VG_EPARSE, "start with an ASCII letter");
	expect_error("pkg:maven/io@1", VG_EPARSE, "requires a namespace");
	expect_error("pkg:pypi/a/b@1", VG_EPARSE, "does not allow a namespace");
	expect_error("pkg:julia/Dates", VG_EPARSE, "requires the qualifier 'uuid'");
	expect_error("pkg:npm/ns/@1.0", VG_EPARSE, "name is missing");
	expect_error("pkg:git/host/%2F", VG_EPARSE, "name is missing");
	/* the message quotes the purl it is about */
	expect_error("pkg:3d/x", VG_EPARSE, "purl 'pkg:3d/x'");

	big = malloc(PURL_MAX_LEN + 16);
	assert_non_null(big);
	memcpy(big, "pkg:npm/", 8);
	memset(big + 8, 'a', PURL_MAX_LEN + 4);
	big[PURL_MAX_LEN + 12] = '\0';
	expect_error(big, VG_ETOOBIG, "longer than");
	free(big);
}

static void test_strict(void **state)
{
	struct purl p;
	(void)state;
	assert_int_equal(purl_parse("pkg:rpm/fedora/curl@7?Arch=i386", PURL_STRICT, &p, NULL),
			 VG_EPARSE);
	assert_int_equal(purl_parse("pkg:rpm/fedora/curl@7?Arch=i386", 0, &p, NULL), VG_OK);
	assert_string_equal(purl_qualifier(&p, "arch"), "i386");
	purl_release(&p);
}

static void test_build_api(void **state)
{
	struct purl_qualifier q[] = {{(char *)"Repository_URL", (char *)"https://r.example/x"},
				     {(char *)"classifier", (char *)""}};
	struct purl in = {0}, out;
	struct vg_error err = {0};
	char *s;
	(void)state;

	in.type = (char *)"MAVEN";
	in.namespace = (char *)"/org.example/";
	in.name = (char *)"lib";
	in.version = (char *)"1.0 final";
	in.quals = q;
	in.nquals = 2;
	in.subpath = (char *)"/a/./b/";
	assert_int_equal(purl_build(&in, &out, &err), VG_OK);
	s = purl_to_string(&out);
	assert_string_equal(
	    s,
	    "pkg:maven/org.example/lib@1.0%20final?repository_url=https:%2F%2Fr.example%2Fx#a/b");
	free(s);
	purl_release(&out);

	in.type = (char *)"npm";
	in.name = NULL;
	assert_int_equal(purl_build(&in, &out, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "name is missing"));
}

/* Bytes that are not a purl must be refused or parsed, never crash. */
static void test_hostile(void **state)
{
	static const char *const inputs[] = {
	    "pkg:",     "pkg:/",       "pkg://///", "pkg:a/",       "pkg:a/@",    "pkg:a/b@@@",
	    "pkg:a/b?", "pkg:a/b?&&&", "pkg:a/b#",  "pkg:a/b#////", "pkg:a/b?=x", "pkg:a/b?a==",
	    ":",        "#?@/",        "pkg:a/%",   "pkg:a/%4",     "pkg:\xff/x", "pkg:a/\xff",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct purl p;
		if (purl_parse(inputs[i], 0, &p, NULL) == VG_OK) {
			char *s = purl_to_string(&p);
			assert_non_null(s);
			free(s);
		}
		purl_release(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spec_suite), cmocka_unit_test(test_canonical_forms),
	    cmocka_unit_test(test_identity),   cmocka_unit_test(test_osv),
	    cmocka_unit_test(test_errors),     cmocka_unit_test(test_strict),
	    cmocka_unit_test(test_build_api),  cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
