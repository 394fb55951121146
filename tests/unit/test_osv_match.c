/*
 * test_osv_match.c - OSV records (JSON, YAML, feeds) into the advisory
 * model, OSV range semantics, name and ecosystem rules of matching, and the
 * stored side: alias joining, idempotent re-import, withdrawn advisories and
 * findings; the stored form written without a tree equals the tree's.
 * Regressions from shared/data/vuln/PITFALLS.md are named.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/events.h"
#include "core/json.h"
#include "sbom/inventory.h"
#include "store/store.h"
#include "testdb.h"
#include "triage/findings.h"
#include "vuln/advisory.h"
#include "vuln/match.h"
#include "vuln/osv.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *shared(void)
{
	const char *d = getenv("VIGIL_SHARED_DATA");
	return d && *d ? d : "/work/shared/data";
}

/* Parse a JSON record text into a (caller-released) advisory. */
static void parse_rec(const char *text, struct advisory *a)
{
	struct vg_error err = {0};
	json_t *j = vg_json_parse(text, strlen(text), "test", &err);
	assert_non_null(j);
	advisory_init(a);
	if (osv_from_json(j, "test", a, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	json_decref(j);
}

static struct match_index *index_of(const char *const *recs, size_t n)
{
	struct match_index *ix = match_index_new();
	struct vg_error err = {0};
	assert_non_null(ix);
	for (size_t i = 0; i < n; i++) {
		struct advisory a;
		parse_rec(recs[i], &a);
		assert_int_equal(match_index_add(ix, &a, NULL, &err), VG_OK);
		advisory_release(&a);
	}
	return ix;
}

/* Hits for (ecosystem, name, version) in ix. */
static size_t hits_key(const struct match_index *ix, const char *eco, const char *name,
		       const char *version)
{
	struct match_key k;
	memset(&k, 0, sizeof(k));
	snprintf(k.eco, sizeof(k.eco), "%s", eco);
	assert_int_equal(advisory_norm_name(eco, name, k.name, sizeof(k.name)), 0);
	snprintf(k.version, sizeof(k.version), "%s", version);
	return match_index_query(ix, &k, NULL, NULL);
}

/* Hits for purl in ix. */
static size_t hits(const struct match_index *ix, const char *purl)
{
	struct match_key k;
	struct vg_error err = {0};
	if (match_key_from_purl(purl, &k, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	return match_index_query(ix, &k, NULL, NULL);
}

/* One-record index with the given affected array. */
static struct match_index *one(const char *affected)
{
	char buf[8192];
	const char *recs[1] = {buf};
	snprintf(buf, sizeof(buf),
		 "{\"id\":\"T-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":%s}",
		 affected);
	return index_of(recs, 1);
}

struct collect {
	char matched[256];
	char fixed[512];
	size_t n;
};

static void on_hit(void *arg, const struct match_adv *adv, const struct match_pkg *pkg,
		   const struct match_why *why)
{
	struct collect *c = arg;
	(void)adv;
	c->n++;
	snprintf(c->matched, sizeof(c->matched), "%s", why->text);
	match_pkg_fixed(pkg, c->fixed, sizeof(c->fixed));
}

/* ---- records ---- */

static int add_cb(void *arg, const struct advisory *a, struct vg_error *err)
{
	return match_index_add(arg, a, NULL, err);
}

static struct match_index *load(const char *rel, struct osv_read_stats *st)
{
	char path[1024];
	struct match_index *ix = match_index_new();
	struct vg_error err = {0};
	snprintf(path, sizeof(path), "%s/vuln/osv/%s", shared(), rel);
	if (osv_read_path(path, add_cb, NULL, ix, st, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	return ix;
}

/* ---- the stored form written without a tree (issue 15) ---- */

static void same_canonical(const struct advisory *a)
{
	json_t *j = advisory_to_json(a);
	char *tree = j ? vg_json_canonical(j) : NULL, *direct = advisory_canonical_json(a);
	assert_non_null(tree);
	assert_non_null(direct);
	if (strcmp(tree, direct) != 0)
		fail_msg("%s: canonical forms differ:\n tree   %s\n direct %s", a->id, tree,
			 direct);
	free(tree);
	free(direct);
	json_decref(j);
}

static int canonical_cb(void *arg, const struct advisory *a, struct vg_error *err)
{
	(void)err;
	same_canonical(a);
	(*(long *)arg)++;
	return VG_OK;
}

/* advisory_canonical_json() is vg_json_canonical(advisory_to_json()) byte for
 * byte: on every record of the shared OSV data, and on strings with every
 * escape, NULL members and empty lists. */
static void test_canonical_direct(void **state)
{
	char path[1024];
	struct vg_error err = {0};
	struct advisory a;
	long n = 0;
	const char *aliases[] = {"CVE-2024-1", NULL, "GHSA-x\"y"};
	struct adv_event ev[] = {{ADV_INTRODUCED, "0"}, {ADV_FIXED, NULL}, {ADV_LIMIT, "9\t"}};
	struct adv_range rg[] = {{ADV_RANGE_GIT, NULL, ev, 3}, {ADV_RANGE_SEMVER, "r", ev, 0}};
	struct adv_affected af[] = {{NULL, NULL, "pkg:x/y", rg, 2, aliases, 3},
				    {"PyPI", "a\x01b\x1f\x7f", NULL, NULL, 0, NULL, 0}};
	struct adv_severity sv[] = {{NULL, NULL}, {"CVSS_V3", "\\/\b\f\n\r"}};
	struct adv_reference rf[] = {{NULL, "https://x/\u00e9\u2028"}, {"WEB", NULL}};
	(void)state;
	snprintf(path, sizeof(path), "%s/vuln/osv", shared());
	if (osv_read_path(path, canonical_cb, NULL, &n, NULL, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	assert_true(n > 10000);

	advisory_init(&a);
	a.id = "X-1";
	a.source = "nvd";
	a.aliases = aliases;
	a.n_aliases = 3;
	a.related = aliases;
	a.n_related = 1;
	a.summary = "\xc3\xa9t\xc3\xa9 \"quoted\"";
	a.details = "";
	a.modified = 1700000000;
	a.published = 1600000000;
	a.withdrawn = 1710000000;
	a.severity = sv;
	a.n_severity = 2;
	a.affected = af;
	a.n_affected = 2;
	a.refs = rf;
	a.n_refs = 2;
	same_canonical(&a);
	memset(&a, 0, sizeof(a));
	a.id = "EMPTY";
	same_canonical(&a);
	/* not UTF-8: no direct form, the tree decides */
	a.summary = "\xff";
	{
		char *d = advisory_canonical_json(&a);
		assert_null(d);
	}
}

/* ---- the scanner's way equals the tree's way (issue 15) ---- */

struct scan_cmp {
	long files, scanned, records;
};

/* The records of one file both ways: the scanner gives the same stored
 * form for each record the tree's way reads, or declines the file. */
static void scan_file(const char *path, struct scan_cmp *sc)
{
	struct vg_buf b;
	struct vg_error err = {0};
	struct advisory *v = NULL;
	size_t nv = 0;
	json_t *doc;
	vg_buf_init(&b, 64u << 20);
	assert_int_equal(vg_buf_read_file(&b, path, 64u << 20, &err), VG_OK);
	sc->files++;
	doc = vg_json_parse(b.data ? b.data : "", b.len, path, &err);
	if (!osv_scan(b.data ? b.data : "", b.len, path, &v, &nv)) {
		json_decref(doc);
		vg_buf_release(&b);
		return;
	}
	sc->scanned++;
	assert_non_null(doc); /* the scanner never takes what the tree refuses */
	assert_int_equal(nv, json_is_array(doc) ? json_array_size(doc) : 1);
	for (size_t i = 0; i < nv; i++) {
		struct advisory a;
		char *x, *y;
		advisory_init(&a);
		if (osv_from_json(json_is_array(doc) ? json_array_get(doc, i) : doc, path, &a,
				  &err) != VG_OK)
			fail_msg("%s: the scanner read a record the tree refuses: %s", path,
				 vg_error_msg(&err));
		x = advisory_canonical_json(&a);
		y = advisory_canonical_json(&v[i]);
		assert_non_null(x);
		assert_non_null(y);
		if (strcmp(x, y) != 0 || strcmp(a.file, v[i].file) != 0)
			fail_msg("%s #%zu differs:\n tree    %s\n scanner %s", path, i, x, y);
		free(x);
		free(y);
		advisory_release(&a);
		sc->records++;
	}
	osv_scan_free(v, nv);
	json_decref(doc);
	vg_buf_release(&b);
}

static void scan_tree(const char *dir, struct scan_cmp *sc)
{
	char cmd[1200], line[4096];
	FILE *f;
	snprintf(cmd, sizeof(cmd), "find '%s' -name '*.json' | sort", dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		scan_file(line, sc);
	}
	pclose(f);
}

/* Documents the scanner must leave to the tree's way (it refuses them or
 * names what is wrong), and ones it reads like it. */
static void test_scan_declines(void **state)
{
	static const char *const declined[] = {
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"id\":\"B\"}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"x\":{\"k\":1,\"k\":2}}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"x\":99999999999999999999}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"x\":1e999}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"x\":\"\\ud800\"}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"x\":\"\\udc00\\ud800\"}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"x\":\"\\ud800x\\udc00\"}",
	    "{\"id\":\"A\\u0000\",\"modified\":\"2024-01-01T00:00:00Z\"}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"summary\":\"\xff\"}",
	    "{\"id\":\"\",\"modified\":\"2024-01-01T00:00:00Z\"}",
	    "{\"id\":\"A\"}",
	    "{\"id\":\"A\",\"modified\":\"yesterday\"}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[null]}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":"
	    "{\"name\":\"x\"}}]}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":[{"
	    "\"type\":\"SEMVER\",\"events\":[]}]}]}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":[{"
	    "\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1\"}]}]}]}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":[{"
	    "\"type\":\"SEMVER\",\"events\":[{\"fixed\":null}]}]}]}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":[{"
	    "\"type\":\"RANGE\",\"events\":[{\"fixed\":\"1\"}]}]}]}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"severity\":[{\"type\":\"x\"}]}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"database_specific\":\"x\"}",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\",\"references\":[{\"type\":\"W\"}]"
	    "}",
	    "[{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\"}, 3]",
	    "{\"id\":\"A\",\"modified\":\"2024-01-01T00:00:00Z\"} x",
	    "\"just a string\"",
	    "",
	};
	static const char *const read_alike[] = {
	    "[]",
	    "{\"id\":\"A\",\"modified\":\"0001-01-01T00:00:00Z\",\"published\":null,\"x\":[1,-0,"
	    "2.5e-400,true,null,{\"a\":{}}],\"database_specific\":{\"severity\":\"HIGH\"},"
	    "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/"
	    "C:H/I:H/A:H\"}],\"affected\":[{\"package\":null,\"ranges\":[{\"type\":\"GIT\","
	    "\"repo\":\"r\",\"events\":[{\"introduced\":\"0\",\"x\":1},{\"limit\":\"9\"}]}],"
	    "\"versions\":[\"1\\t\\u00e9\"]}],\"summary\":\"\\\"q\\\" \\ud83d\\ude00\"}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(declined) / sizeof(declined[0]); i++) {
		struct advisory *v = NULL;
		size_t nv = 9;
		if (osv_scan(declined[i], strlen(declined[i]), "t.json", &v, &nv))
			fail_msg("the scanner read %s", declined[i]);
		assert_null(v);
		assert_int_equal(nv, 0);
	}
	for (size_t i = 0; i < sizeof(read_alike) / sizeof(read_alike[0]); i++) {
		struct advisory *v = NULL;
		size_t nv = 0;
		if (!osv_scan(read_alike[i], strlen(read_alike[i]), "t.json", &v, &nv))
			fail_msg("the scanner declined %s", read_alike[i]);
		if (nv) {
			struct advisory a;
			char *x, *y;
			parse_rec(read_alike[i], &a);
			x = advisory_canonical_json(&a);
			y = advisory_canonical_json(&v[0]);
			assert_string_equal(x, y);
			free(x);
			free(y);
			advisory_release(&a);
		}
		osv_scan_free(v, nv);
	}
}

/* Every JSON file of the shared OSV data read both ways. */
static void test_scan_shared(void **state)
{
	char dir[1024];
	struct scan_cmp sc = {0};
	(void)state;
	snprintf(dir, sizeof(dir), "%s/vuln/osv", shared());
	scan_tree(dir, &sc);
	printf("scanner: %ld of %ld files read without the tree, %ld records alike\n", sc.scanned,
	       sc.files, sc.records);
	assert_true(sc.files > 5000);
	assert_true(sc.scanned * 10 > sc.files * 9);
}

/* DependencyTrack#6989: one range, two introduced/fixed pairs (YAML record). */
static void test_pysec_2019_16(void **state)
{
	struct osv_read_stats st = {0};
	struct match_index *ix =
	    load("pypa-advisory-database/vulns/django/PYSEC-2019-16.yaml", &st);
	struct collect c = {0};
	struct match_key k;
	(void)state;
	assert_int_equal(st.records, 1);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(hits(ix, "pkg:pypi/django@6.0.4"), 0);
	assert_int_equal(hits(ix, "pkg:pypi/django@2.2.9"), 0);
	assert_int_equal(hits(ix, "pkg:pypi/django@2.1.5"), 0);
	assert_int_equal(hits(ix, "pkg:pypi/django@1.11.27"), 0);
	assert_int_equal(hits(ix, "pkg:pypi/django@1.11.26"), 1);
	assert_int_equal(hits(ix, "pkg:pypi/Django@2.2.8"), 1);
	assert_int_equal(match_key_from_purl("pkg:pypi/django@2.2.5", &k, NULL), VG_OK);
	assert_int_equal(match_index_query(ix, &k, on_hit, &c), 1);
	assert_string_equal(c.matched, "ECOSYSTEM introduced 2.2, fixed 2.2.9");
	assert_string_equal(c.fixed, "1.11.27, 2.2.9");
	match_index_free(ix);
}

/* DependencyTrack#6764: x/crypto fixed at a pseudo-version below every tag. */
static void test_go_2022_0229(void **state)
{
	struct osv_read_stats st = {0};
	struct match_index *ix = load("go-vulndb/GO-2022-0229.json", &st);
	(void)state;
	assert_int_equal(st.records, 1);
	assert_int_equal(hits(ix, "pkg:golang/golang.org/x/crypto@v0.53.0"), 0);
	assert_int_equal(
	    hits(ix, "pkg:golang/golang.org/x/crypto@v0.0.0-20200124225646-8b5121be2f68"), 0);
	assert_int_equal(
	    hits(ix, "pkg:golang/golang.org/x/crypto@v0.0.0-20191011191535-87dc89f01550"), 1);
	/* stdlib: two pairs; 1.13.0-0 as introduced. */
	assert_int_equal(hits_key(ix, "Go", "stdlib", "1.12.15"), 1);
	assert_int_equal(hits_key(ix, "Go", "stdlib", "1.12.16"), 0);
	assert_int_equal(hits_key(ix, "Go", "go", "v1.13.6"), 1);
	assert_int_equal(hits_key(ix, "Go", "toolchain", "1.13.7"), 0);
	match_index_free(ix);
}

static void test_yaml(void **state)
{
	const char *y =
	    "id: X-1\nmodified: 2024-01-02T03:04:05Z\naliases: [CVE-2024-1]\n"
	    "affected:\n- package: {ecosystem: PyPI, name: Foo_Bar}\n  ranges:\n"
	    "  - type: ECOSYSTEM\n    events:\n    - introduced: '0'\n    - fixed: 1.0\n"
	    "withdrawn: ~\n";
	json_t *j = NULL;
	struct vg_error err = {0};
	(void)state;
	assert_int_equal(osv_yaml_to_json(y, strlen(y), "x.yaml", &j, &err), VG_OK);
	assert_string_equal(vg_json_str(j, "id"), "X-1");
	assert_true(json_is_null(json_object_get(j, "withdrawn")));
	{
		json_t *af = json_array_get(json_object_get(j, "affected"), 0);
		json_t *rg = json_array_get(json_object_get(af, "ranges"), 0);
		json_t *ev = json_array_get(json_object_get(rg, "events"), 1);
		assert_string_equal(vg_json_str(ev, "fixed"), "1.0");
	}
	json_decref(j);
	/* Aliases (anchors) and broken YAML are refused with line and column. */
	assert_int_equal(osv_yaml_to_json("a: &x 1\nb: *x\n", 14, "bad.yaml", &j, &err), VG_EPARSE);
	assert_non_null(strstr(vg_error_msg(&err), "bad.yaml: line 2"));
	assert_int_equal(osv_yaml_to_json("a: [1, 2\n", 9, "bad2.yaml", &j, &err), VG_EPARSE);
	assert_non_null(strstr(vg_error_msg(&err), "bad2.yaml"));
}

struct skipctx {
	int n;
	char last[1024];
};

static void on_skip(void *arg, const char *msg)
{
	struct skipctx *s = arg;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%s", msg);
}

static int count_cb(void *arg, const struct advisory *a, struct vg_error *err)
{
	(void)a;
	(void)err;
	(*(int *)((struct skipctx *)arg + 1))++;
	return VG_OK;
}

/* Malformed records are skipped with the file and record id; the rest import. */
static void test_malformed_skipped(void **state)
{
	const char *doc =
	    "[{\"id\":\"OK-1\",\"modified\":\"2024-01-01T00:00:00Z\"},"
	    "{\"id\":\"BAD-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":"
	    "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fixed\":\"1\",\"introduced\":\"0\"}]}]}]},"
	    "{\"id\":\"BAD-2\",\"modified\":\"yesterday\"},"
	    "{\"id\":\"BAD-3\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"ranges\":"
	    "[{\"type\":\"FOO\",\"events\":[{\"introduced\":\"0\"}]}]}]},"
	    "{\"modified\":\"2024-01-01T00:00:00Z\"},"
	    "{\"id\":\"OK-2\",\"modified\":\"2024-01-01T00:00:00Z\"}]";
	struct {
		struct skipctx s;
		int n;
	} c = {{0, ""}, 0};
	struct osv_read_stats st = {0};
	struct vg_error err = {0};
	(void)state;
	assert_int_equal(
	    osv_read_buffer(doc, strlen(doc), "feed.json", count_cb, on_skip, &c, &st, &err),
	    VG_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.s.n, 4);
	assert_int_equal(st.skipped, 4);
	assert_non_null(strstr(c.s.last, "feed.json: (record without id)"));
	c.s.n = 0;
	{
		const char *bad3 = "{\"id\":\"BAD-3\",\"modified\":\"2024-01-01T00:00:00Z\","
				   "\"affected\":[{\"ranges\":[{\"type\":\"FOO\",\"events\":"
				   "[{\"introduced\":\"0\"}]}]}]}";
		assert_int_equal(osv_read_buffer(bad3, strlen(bad3), "one.json", count_cb, on_skip,
						 &c, &st, &err),
				 VG_OK);
	}
	assert_non_null(strstr(c.s.last, "one.json: BAD-3: /affected/0/ranges/0/type"));
	assert_int_equal(
	    osv_read_buffer("{not json", 9, "junk.json", count_cb, on_skip, &c, &st, &err), VG_OK);
	assert_non_null(strstr(c.s.last, "junk.json"));
}

/* ---- range semantics ---- */

static void test_ranges(void **state)
{
	struct match_index *ix;
	(void)state;
	/* nscuro/versatile PR#358: events unsorted. */
	ix = one("[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},\"ranges\":[{\"type\":"
		 "\"SEMVER\",\"events\":[{\"fixed\":\"2.0.0\"},{\"introduced\":\"1.5.0\"},{"
		 "\"fixed\":\"1.2.0\"},{\"introduced\":\"1.0.0\"}]}]}]");
	assert_int_equal(hits(ix, "pkg:npm/a@0.9.0"), 0);
	assert_int_equal(hits(ix, "pkg:npm/a@1.0.0"), 1);
	assert_int_equal(hits(ix, "pkg:npm/a@1.2.0"), 0);
	assert_int_equal(hits(ix, "pkg:npm/a@1.4.9"), 0);
	assert_int_equal(hits(ix, "pkg:npm/a@1.5.0"), 1);
	assert_int_equal(hits(ix, "pkg:npm/a@2.0.0"), 0);
	/* osv.dev#1738: a pre-release is below introduced 1.0.0 */
	assert_int_equal(hits(ix, "pkg:npm/a@1.0.0-beta.1"), 0);
	match_index_free(ix);

	/* Homebrew PR#67: introduced "0" alone = every version; with limit. */
	ix = one("[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"b\"},\"ranges\":[{\"type\":"
		 "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]},"
		 "{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"c\"},\"ranges\":[{\"type\":"
		 "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"limit\":\"2.0.0\"}]}]}]");
	assert_int_equal(hits(ix, "pkg:pypi/b@0.0.1"), 1);
	assert_int_equal(hits(ix, "pkg:pypi/b@99.0"), 1);
	assert_int_equal(hits(ix, "pkg:pypi/c@1.9"), 1);
	assert_int_equal(hits(ix, "pkg:pypi/c@2.0.0"), 0);
	assert_int_equal(hits(ix, "pkg:pypi/c@2.1"), 0);
	match_index_free(ix);

	/* last_affected inclusive, fixed exclusive; ranges OR-ed. */
	ix = one("[{\"package\":{\"ecosystem\":\"Maven\",\"name\":\"g:a\"},\"ranges\":["
		 "{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0\"},{\"last_affected\":"
		 "\"1.5\"}]},{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"3.0\"},{"
		 "\"fixed\":\"3.2\"}]}]}]");
	assert_int_equal(hits(ix, "pkg:maven/g/a@1.5"), 1);
	assert_int_equal(hits(ix, "pkg:maven/g/a@1.5.1"), 0);
	assert_int_equal(hits(ix, "pkg:maven/g/a@3.1"), 1);
	assert_int_equal(hits(ix, "pkg:maven/g/a@3.2"), 0);
	assert_int_equal(hits(ix, "pkg:maven/g/a@2.0"), 0);
	/* Maven names are group:artifact, case-sensitive. */
	assert_int_equal(hits(ix, "pkg:maven/G/a@1.2"), 0);
	assert_int_equal(hits(ix, "pkg:maven/g/A@1.2"), 0);
	match_index_free(ix);

	/* osv-scalibr rangeAffectsVersion: a GIT range first must not hide the
	 * ECOSYSTEM range after it; the versions list counts too. */
	ix = one("[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"d\"},\"ranges\":["
		 "{\"type\":\"GIT\",\"repo\":\"https://x\",\"events\":[{\"introduced\":\"abc\"},{"
		 "\"fixed\":\"def\"}]},{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
		 "\"2.0\"},{\"fixed\":\"2.5\"}]}],\"versions\":[\"0.9-legacy\",\"1.0\"]}]");
	assert_int_equal(hits(ix, "pkg:pypi/d@2.1"), 1);
	assert_int_equal(hits(ix, "pkg:pypi/d@1.0"), 1);
	assert_int_equal(hits(ix, "pkg:pypi/d@0.9-legacy"), 1);
	assert_int_equal(hits(ix, "pkg:pypi/d@1.1"), 0);
	match_index_free(ix);

	/* An unparseable bound makes the range unusable, never "all versions"
	 * (grype#3707); aegis-ai PR#757: inverted backport events do not crash. */
	ix = one("[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"e\"},\"ranges\":[{\"type\":"
		 "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"not a version!\"}]}"
		 "]},{\"package\":{\"ecosystem\":\"npm\",\"name\":\"k\"},\"ranges\":[{\"type\":"
		 "\"SEMVER\",\"events\":[{\"introduced\":\"6.13.0\"},{\"fixed\":\"6.12.81\"},{"
		 "\"fixed\":\"6.16.5\"}]}]}]");
	assert_int_equal(hits(ix, "pkg:pypi/e@1.0"), 0);
	assert_int_equal(hits(ix, "pkg:npm/k@6.12.90"), 0);
	assert_int_equal(hits(ix, "pkg:npm/k@6.14.0"), 1);
	assert_int_equal(hits(ix, "pkg:npm/k@6.16.5"), 0);
	{
		size_t bad = 0;
		match_index_stats(ix, NULL, NULL, &bad);
		assert_int_equal(bad, 1);
	}
	match_index_free(ix);
}

/* ---- identity ---- */

static void test_names(void **state)
{
	struct match_index *ix;
	char out[64];
	(void)state;
	/* osv-scanner#2931, packageurl-js#60: PEP 503. */
	assert_int_equal(advisory_norm_name("PyPI", "Appium-Python_.Client", out, sizeof(out)), 0);
	assert_string_equal(out, "appium-python-client");
	assert_int_equal(advisory_norm_name("Go", "toolchain", out, sizeof(out)), 0);
	assert_string_equal(out, "stdlib");
	ix = one("[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Django_package\"},\"ranges\":"
		 "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]},"
		 "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"base64\"},\"ranges\":"
		 "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}]},"
		 "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"@scope/pkg\"},\"ranges\":"
		 "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}]},"
		 "{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"openssl\"},\"ranges\":"
		 "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":"
		 "\"3.0.15-1~deb12u1\"}]}]}]");
	assert_int_equal(hits(ix, "pkg:PYPI/Django_package@1.0"), 1);
	assert_int_equal(hits(ix, "pkg:pypi/django.package@1.0"), 1);
	/* purl-spec PR#872: npm names are case-sensitive. */
	assert_int_equal(hits(ix, "pkg:npm/base64@1.0.0"), 1);
	assert_int_equal(hits(ix, "pkg:npm/Base64@1.0.0"), 0);
	assert_int_equal(hits(ix, "pkg:npm/%40scope/pkg@1.0.0"), 1);
	/* grype#2618: no ecosystem, no match; a generic purl is never guessed. */
	{
		struct match_key k;
		assert_int_equal(match_key_from_purl("pkg:generic/base64@1.0.0", &k, NULL),
				 VG_ENOTFOUND);
		assert_int_equal(hits_key(ix, "", "base64", "1.0.0"), 0);
	}
	/* Ecosystem release suffix. */
	assert_int_equal(hits(ix, "pkg:deb/debian/openssl@3.0.14-1~deb12u1?distro=debian-12"), 1);
	assert_int_equal(hits(ix, "pkg:deb/debian/openssl@3.0.14-1~deb12u1?distro=bookworm"), 1);
	assert_int_equal(hits(ix, "pkg:deb/debian/openssl@3.0.14-1?distro=debian-11"), 0);
	assert_int_equal(hits(ix, "pkg:deb/debian/openssl@3.0.15-1~deb12u1?distro=debian-12"), 0);
	/* wazuh#24306: advisories are per source package. */
	assert_int_equal(
	    hits(ix, "pkg:deb/debian/libssl3@3.0.14-1?upstream=openssl&distro=debian-12"), 1);
	match_index_free(ix);
}

static void test_canonical_and_replace(void **state)
{
	struct advisory a;
	struct match_index *ix;
	const char *recs[2] = {
	    "{\"id\":\"GHSA-aaaa-bbbb-cccc\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":["
	    "\"CVE-2021-10000\",\"CVE-2021-9999\"],\"affected\":[{\"package\":{\"ecosystem\":"
	    "\"npm\",\"name\":\"z\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":"
	    "\"0\"}]}]}]}",
	    "{\"id\":\"GHSA-aaaa-bbbb-cccc\",\"modified\":\"2024-02-01T00:00:00Z\",\"withdrawn\":"
	    "\"2024-02-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":"
	    "\"z\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}]}]}"};
	(void)state;
	parse_rec(recs[0], &a);
	assert_string_equal(advisory_canonical_id(&a), "CVE-2021-9999");
	advisory_release(&a);
	ix = index_of(recs, 1);
	assert_int_equal(hits(ix, "pkg:npm/z@1.0.0"), 1);
	match_index_free(ix);
	/* The withdrawn copy replaces the first and matches nothing. */
	ix = index_of(recs, 2);
	assert_int_equal(hits(ix, "pkg:npm/z@1.0.0"), 0);
	match_index_free(ix);
}

/* ---- stored ---- */

struct fx {
	char *url;
	struct store *s;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vg_error err = {0};
	f->url = testdb_fresh();
	if (store_open(f->url, 1, &f->s, &err) != VG_OK) {
		fprintf(stderr, "%s\n", vg_error_msg(&err));
		return -1;
	}
	store_set_actor(f->s, "test", "local");
	vg_event_reset();
	triage_init();
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	vg_event_reset();
	store_close(f->s);
	testdb_drop(f->url);
	free(f);
	return 0;
}

static int import_text(struct store *s, const char *const *recs, size_t n, struct vulndb_stats *st)
{
	struct vulndb_import *im;
	struct vg_error err = {0};
	int rc = vulndb_import_begin(s, "osv", "test", &im, &err);
	assert_int_equal(rc, VG_OK);
	for (size_t i = 0; i < n; i++) {
		struct advisory a;
		parse_rec(recs[i], &a);
		rc = vulndb_import_add(im, &a, &err);
		advisory_release(&a);
		if (rc)
			fail_msg("%s", vg_error_msg(&err));
	}
	rc = vulndb_import_end(im, st, &err);
	if (rc)
		fail_msg("%s", vg_error_msg(&err));
	return rc;
}

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;
	struct vg_error err = {0};
	if (store_query_int64(s, &n, &err, sql, NULL) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	return n;
}

static int exploited_events;

static int on_exploited(struct store *s, const char *name, const json_t *p, void *arg)
{
	(void)s;
	(void)name;
	(void)arg;
	assert_non_null(vg_json_str(p, "vuln_id"));
	exploited_events++;
	return VG_OK;
}

static void test_store_aliases_findings(void **state)
{
	struct fx *f = *state;
	struct vulndb_stats st = {0};
	struct vg_error err = {0};
	struct sbom_import_req r = {0};
	struct sbom_import_result res;
	char *vid = NULL;
	const char *sbom =
	    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":["
	    "{\"type\":\"library\",\"name\":\"django\",\"version\":\"2.2.5\",\"purl\":\"pkg:pypi/"
	    "django@2.2.5\"},{\"type\":\"library\",\"name\":\"lodash\",\"version\":\"4.17.21\","
	    "\"purl\":\"pkg:npm/lodash@4.17.21\"}]}";
	const char *a1[] = {
	    "{\"id\":\"PYSEC-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[\"GHSA-1\"],"
	    "\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Django\"},\"ranges\":"
	    "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"2.2\"},{\"fixed\":\"2.2.9\"}]"
	    "}]}]}",
	    "{\"id\":\"OSV-2\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[\"CVE-2020-2\"],"
	    "\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"django\"},\"ranges\":"
	    "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.0\"}]}]}]"
	    "}"};
	/* Links PYSEC-1's vulnerability (GHSA-1) and OSV-2's (CVE-2020-2). */
	const char *a2[] = {"{\"id\":\"GHSA-1\",\"modified\":\"2024-01-02T00:00:00Z\",\"aliases\":"
			    "[\"CVE-2020-2\",\"CVE-2019-1\"],\"severity\":[{\"type\":\"CVSS_V3\","
			    "\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}]}"};
	const char *a3[] = {
	    "{\"id\":\"PYSEC-1\",\"modified\":\"2024-03-01T00:00:00Z\",\"withdrawn\":\"2024-03-01T"
	    "00:00:00Z\",\"aliases\":[\"GHSA-1\"],\"affected\":[{\"package\":{\"ecosystem\":"
	    "\"PyPI\",\"name\":\"Django\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{"
	    "\"introduced\":\"2.2\"},{\"fixed\":\"2.2.9\"}]}]}]}"};
	const char *kev =
	    "{\"vulnerabilities\":[{\"cveID\":\"CVE-2019-1\",\"dateAdded\":"
	    "\"2024-05-01\",\"dueDate\":\"2024-05-22\",\"knownRansomwareCampaignUse\":"
	    "\"Known\"},{\"cveID\":\"nonsense\"}]}";

	exploited_events = 0;
	vg_event_subscribe("vuln.exploited", "test.exploited", on_exploited, NULL);

	/* SBOM first, then the advisory: the finding appears by itself. */
	r.product = "app";
	r.version = "1.0";
	r.data = sbom;
	r.n = strlen(sbom);
	r.filename = "app.json";
	r.create_product = 1;
	if (sbom_import(f->s, &r, &res, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM vuln_components"), 2);
	import_text(f->s, a1, 2, &st);
	assert_int_equal(st.imported, 2);
	assert_int_equal(st.findings_new, 1);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM findings WHERE vuln_id = 'GHSA-1' AND "
				     "retracted_at IS NULL"),
			 1);

	/* Idempotent re-import. */
	memset(&st, 0, sizeof(st));
	import_text(f->s, a1, 2, &st);
	assert_int_equal(st.unchanged, 2);
	assert_int_equal(st.imported + st.updated + st.findings_new, 0);

	/* Alias joining merges both vulnerabilities under the smallest CVE. */
	memset(&st, 0, sizeof(st));
	import_text(f->s, a2, 1, &st);
	assert_int_equal(
	    store_query_text(f->s, &vid, &err,
			     "SELECT vuln_id FROM vuln_aliases WHERE alias = 'PYSEC-1'", NULL),
	    VG_OK);
	assert_string_equal(vid, "CVE-2019-1");
	free(vid);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM vulnerabilities"), 1);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM findings WHERE vuln_id = 'CVE-2019-1' "
				     "AND retracted_at IS NULL AND severity = 'critical'"),
			 1);

	/* KEV flags the finding and raises vuln.exploited once. */
	memset(&st, 0, sizeof(st));
	assert_int_equal(
	    vulndb_import_kev(f->s, kev, strlen(kev), "kev.json", NULL, NULL, &st, &err), VG_OK);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.exploited, 1);
	assert_int_equal(exploited_events, 1);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM findings WHERE kev = 1"), 1);
	assert_int_equal(
	    vulndb_import_kev(f->s, kev, strlen(kev), "kev.json", NULL, NULL, &st, &err), VG_OK);
	assert_int_equal(exploited_events, 1);

	/* Withdrawn: the only matching advisory goes, the finding is retracted. */
	memset(&st, 0, sizeof(st));
	import_text(f->s, a3, 1, &st);
	assert_int_equal(st.updated, 1);
	assert_int_equal(st.withdrawn, 1);
	assert_int_equal(st.findings_retracted, 1);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM findings WHERE retracted_at IS NULL"),
			 0);

	/* A new SBOM revision is matched at once (advisory first, then SBOM). */
	r.version = "2.0";
	{
		const char *sb2 =
		    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":"
		    "1,\"components\":[{\"type\":\"library\",\"name\":\"django\","
		    "\"version\":\"1.11\",\"purl\":\"pkg:pypi/django@1.11\"}]}";
		r.data = sb2;
		r.n = strlen(sb2);
		if (sbom_import(f->s, &r, &res, &err) != VG_OK)
			fail_msg("%s", vg_error_msg(&err));
	}
	assert_int_equal(count(f->s,
			       "SELECT COUNT(*) FROM findings f JOIN product_versions v ON "
			       "v.id = f.version_id WHERE v.version = '2.0' AND f.kev = 1 AND "
			       "f.retracted_at IS NULL"),
			 1);
	assert_int_equal(exploited_events, 2);
	{
		struct findings_filter ff = {0};
		struct finding_list l;
		json_t *o = NULL;
		ff.kev_only = 1;
		assert_int_equal(findings_list(f->s, &ff, &l, &err), VG_OK);
		assert_int_equal(l.total, 1);
		finding_list_release(&l);
		{
			struct vulnerability v;
			assert_int_equal(vuln_get(f->s, "PYSEC-1", &v, &err), VG_OK);
			o = vulnerability_to_json(&v);
			vulnerability_release(&v);
		}
		assert_string_equal(vg_json_str(o, "id"), "CVE-2019-1");
		assert_true(json_is_true(json_object_get(o, "exploited")));
		json_decref(o);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pysec_2019_16),
	    cmocka_unit_test(test_go_2022_0229),
	    cmocka_unit_test(test_yaml),
	    cmocka_unit_test(test_malformed_skipped),
	    cmocka_unit_test(test_ranges),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_canonical_and_replace),
	    cmocka_unit_test(test_canonical_direct),
	    cmocka_unit_test(test_scan_declines),
	    cmocka_unit_test(test_scan_shared),
	    cmocka_unit_test_setup_teardown(test_store_aliases_findings, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
