#define _POSIX_C_SOURCE 200809L
/*
 * test_provider_check.c - provider_check() (advisory/provider_check.c) on
 * trees served through the fetch hook: each requirement of CSAF 2.0 section
 * 7.1 that a tree breaks is named with its URL (7.1.2 file name, 7.1.3 TLS,
 * 7.1.5 AMBER served openly or access protected, 7.1.6 redirects, 7.1.7
 * role, 7.1.11 year folder, 7.1.13 changes.csv, 7.1.18 hashes). GnuPG is
 * left out (no_openpgp): t9401 checks signatures and keys end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "advisory/provider_int.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define B "https://p.example/.well-known/csaf/"

struct file {
	const char *url; /* after B */
	int status;
	char *body;
};

static struct file tree[16];
static size_t ntree;
static char *doc;

static void serve(const char *url, int status, const char *body)
{
	for (size_t i = 0; i < ntree; i++)
		if (!strcmp(tree[i].url, url)) {
			free(tree[i].body);
			tree[i].status = status;
			tree[i].body = strdup(body);
			return;
		}
	tree[ntree].url = url;
	tree[ntree].status = status;
	tree[ntree++].body = strdup(body);
}

static int fetch(void *arg, const char *url, struct vg_buf *out)
{
	(void)arg;
	if (strncmp(url, B, strlen(B)) != 0)
		return 404;
	for (size_t i = 0; i < ntree; i++)
		if (!strcmp(tree[i].url, url + strlen(B))) {
			if (tree[i].status != 200)
				return tree[i].status;
			return vg_buf_adds(out, tree[i].body) == VG_OK ? 0 : 500;
		}
	return 404;
}

static void metadata(const char *role, int amber)
{
	char m[2048];
	snprintf(m, sizeof(m),
		 "{\"canonical_url\": \"" B "provider-metadata.json\", \"distributions\": "
		 "[{\"directory_url\": \"" B "white/\", \"rolie\": {\"feeds\": [{\"summary\": "
		 "\"w\", \"tlp_label\": \"WHITE\", \"url\": \"" B "feed-tlp-white.json\"}]}}%s], "
		 "\"last_updated\": \"2022-04-01T10:00:00Z\", \"list_on_CSAF_aggregators\": true, "
		 "\"metadata_version\": \"2.0\", \"mirror_on_CSAF_aggregators\": true, "
		 "\"public_openpgp_keys\": [], \"publisher\": {\"category\": \"vendor\", \"name\": "
		 "\"Example\", \"namespace\": \"https://p.example\"}, \"role\": \"%s\"}",
		 amber ? ", {\"directory_url\": \"" B "amber/\", \"rolie\": {\"feeds\": "
			 "[{\"summary\": \"a\", \"tlp_label\": \"AMBER\", \"url\": \"" B
			 "feed-tlp-amber.json\"}]}}"
		       : "",
		 role);
	serve("provider-metadata.json", 200, m);
}

/* A good TLP:WHITE tree holding the OASIS example BSI-2022-0001 under
 * folder/name; the hash files right for the served bytes. */
static void good_tree(const char *rel)
{
	char path[256], h[VG_SHA256_HEX + 64], h512[129 + 64], feed[2048], csv[256];
	static char urls[4][256];
	for (size_t i = 0; i < ntree; i++)
		free(tree[i].body);
	ntree = 0;
	metadata("csaf_trusted_provider", 0);
	snprintf(urls[0], sizeof(urls[0]), "white/%s", rel);
	snprintf(urls[1], sizeof(urls[1]), "white/%s.sha256", rel);
	snprintf(urls[2], sizeof(urls[2]), "white/%s.sha512", rel);
	snprintf(urls[3], sizeof(urls[3]), "white/%s.asc", rel);
	serve(urls[0], 200, doc);
	char hex[VG_SHA256_HEX], hex512[129];
	vg_sha256_hex(doc, strlen(doc), hex);
	provider_sha512_hex(doc, strlen(doc), hex512);
	snprintf(h, sizeof(h), "%s  %s\n", hex, strrchr(rel, '/') + 1);
	snprintf(h512, sizeof(h512), "%s  %s\n", hex512, strrchr(rel, '/') + 1);
	serve(urls[1], 200, h);
	serve(urls[2], 200, h512);
	serve(urls[3], 200, "not checked here");
	snprintf(path, sizeof(path), "%s\n", rel);
	serve("white/index.txt", 200, path);
	snprintf(csv, sizeof(csv), "\"%s\",\"2022-03-17T13:03:42Z\"\n", rel);
	serve("white/changes.csv", 200, csv);
	snprintf(feed, sizeof(feed),
		 "{\"feed\": {\"id\": \"f\", \"entry\": [{\"id\": \"BSI-2022-0001\", \"link\": "
		 "[{\"rel\": \"self\", \"href\": \"" B "white/%s\"}, {\"rel\": \"hash\", \"href\": "
		 "\"" B "white/%s.sha256\"}, {\"rel\": \"signature\", \"href\": \"" B
		 "white/%s.asc\"}], \"content\": {\"src\": \"" B "white/%s\"}}]}}",
		 rel, rel, rel, rel);
	serve("feed-tlp-white.json", 200, feed);
}

static struct provider_report run(const char *base, int allow_http)
{
	struct provider_source src = {
	    .base_url = base, .fetch = fetch, .no_openpgp = 1, .allow_http = allow_http};
	struct provider_report r;
	struct vg_error err = {0};
	assert_int_equal(provider_check(&src, &r, &err), VG_OK);
	return r;
}

/* The finding of requirement req at url (NULL: any url) of that severity. */
static int has(const struct provider_report *r, const char *req, const char *url, int warning)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].requirement, req) && r->v[i].warning == warning &&
		    (!url || !strcmp(r->v[i].url, url)))
			return 1;
	return 0;
}

/* Failures other than the signature and key ones GnuPG would settle. */
static size_t other_failures(const struct provider_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		if (!r->v[i].warning && strcmp(r->v[i].requirement, "7.1.19") &&
		    strcmp(r->v[i].requirement, "7.1.20")) {
			fprintf(stderr, "  %s %s: %s\n", r->v[i].requirement, r->v[i].url,
				r->v[i].message);
			n++;
		}
	return n;
}

static int setup(void **state)
{
	(void)state;
	const char *data = getenv("VIGIL_SHARED_DATA");
	char path[512];
	struct vg_buf b;
	struct vg_error err = {0};
	if (!data)
		return 0;
	snprintf(path, sizeof(path), "%s/csaf/csaf_2.0/examples/csaf/bsi-2022-0001.json", data);
	vg_buf_init(&b, 1 << 20);
	if (vg_buf_read_file(&b, path, 1 << 20, &err) == VG_OK)
		doc = strndup(b.data, b.len);
	vg_buf_release(&b);
	return 0;
}

static void test_good_tree(void **state)
{
	(void)state;
	if (!doc) {
		skip();
		return;
	}
	good_tree("2022/bsi-2022-0001.json");
	struct provider_report r = run("https://p.example", 0);
	assert_int_equal(r.documents, 1);
	assert_int_equal(other_failures(&r), 0);
	assert_true(has(&r, "7.1.19", B "white/2022/bsi-2022-0001.json.asc", 0));
	provider_report_free(&r);
	/* plain HTTP: 7.1.3, a failure unless allowed */
	r = run("http://p.example", 0);
	assert_true(has(&r, "7.1.3", "http://p.example", 0));
	provider_report_free(&r);
	r = run("http://p.example", 1);
	assert_true(has(&r, "7.1.3", "http://p.example", 1));
	provider_report_free(&r);
}

static void test_broken_trees(void **state)
{
	(void)state;
	if (!doc) {
		skip();
		return;
	}
	struct provider_report r;
	/* 7.1.2 and 7.1.11: wrong name, wrong year */
	good_tree("2021/bsi_2022_0001.json");
	r = run("https://p.example", 0);
	assert_true(has(&r, "7.1.2", B "white/2021/bsi_2022_0001.json", 0));
	assert_true(has(&r, "7.1.11", B "white/2021/bsi_2022_0001.json", 0));
	provider_report_free(&r);
	/* 7.1.18: a hash of other bytes */
	good_tree("2022/bsi-2022-0001.json");
	serve("white/2022/bsi-2022-0001.json.sha256", 200,
	      "0000000000000000000000000000000000000000000000000000000000000000  x.json\n");
	r = run("https://p.example", 0);
	assert_true(has(&r, "7.1.18", B "white/2022/bsi-2022-0001.json.sha256", 0));
	assert_false(has(&r, "7.1.18", B "white/2022/bsi-2022-0001.json.sha512", 0));
	provider_report_free(&r);
	/* 7.1.6: a redirect; 7.1.13: a line not in index.txt */
	good_tree("2022/bsi-2022-0001.json");
	serve("white/changes.csv", 301, "");
	r = run("https://p.example", 0);
	assert_true(has(&r, "7.1.6", B "white/changes.csv", 0));
	provider_report_free(&r);
	serve("white/changes.csv", 200, "\"2022/other.json\",\"2022-03-17T13:03:42Z\"\n");
	r = run("https://p.example", 0);
	assert_true(has(&r, "7.1.13", B "white/changes.csv", 0));
	provider_report_free(&r);
	/* 7.1.7: another role */
	good_tree("2022/bsi-2022-0001.json");
	metadata("csaf_publisher", 0);
	r = run("https://p.example", 0);
	assert_true(has(&r, "7.1.7", B "provider-metadata.json", 0));
	provider_report_free(&r);
}

static void test_amber(void **state)
{
	(void)state;
	if (!doc) {
		skip();
		return;
	}
	struct provider_report r;
	good_tree("2022/bsi-2022-0001.json");
	metadata("csaf_trusted_provider", 1);
	/* access protected: warnings, no failure */
	serve("amber/index.txt", 401, "");
	serve("feed-tlp-amber.json", 401, "");
	r = run("https://p.example", 0);
	assert_true(has(&r, "7.1.5", B "amber/index.txt", 1));
	assert_true(has(&r, "7.1.5", B "feed-tlp-amber.json", 1));
	assert_false(has(&r, "7.1.5", NULL, 0));
	assert_int_equal(other_failures(&r), 0);
	provider_report_free(&r);
	/* served to anyone: 7.1.5 failures */
	serve("amber/index.txt", 200, "");
	serve("amber/changes.csv", 200, "");
	serve("feed-tlp-amber.json", 200, "{\"feed\": {\"entry\": []}}");
	r = run("https://p.example", 0);
	assert_true(has(&r, "7.1.5", B "amber/index.txt", 0));
	assert_true(has(&r, "7.1.5", B "feed-tlp-amber.json", 0));
	provider_report_free(&r);
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < ntree; i++)
		free(tree[i].body);
	ntree = 0;
	free(doc);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_tree),
	    cmocka_unit_test(test_broken_trees),
	    cmocka_unit_test(test_amber),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
