/*
 * test_csaf.c - CSAF 2.0 parsing and product resolution on the OASIS
 * examples and test data in $VIGIL_SHARED_DATA/csaf/csaf_2.0: every
 * example and every file of the validator's testcases.json is read (the
 * "valid" ones without problems; the failures of 6.1.1-6.1.5 with exactly
 * their problem; the three of 6.1.8 that only the CVSS schemas reject are
 * refused), and the product status of a few documents is resolved exactly,
 * through branches, relationships and groups.
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
#include "vuln/csaf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_rc(const char *rel, struct csaf_doc **d, struct vg_error *err)
{
	const char *root = getenv("VIGIL_SHARED_DATA");
	char path[4096];
	struct vg_buf b;
	int rc;

	assert_non_null(root);
	snprintf(path, sizeof(path), "%s/csaf/%s", root, rel);
	vg_buf_init(&b, 0);
	assert_int_equal(vg_buf_read_file(&b, path, 64 << 20, err), VG_OK);
	rc = csaf_parse(b.data, b.len, rel, d, err);
	vg_buf_release(&b);
	return rc;
}

static struct csaf_doc *load(const char *rel)
{
	struct csaf_doc *d = NULL;
	struct vg_error err = {0};
	int rc = load_rc(rel, &d, &err);
	if (rc)
		fprintf(stderr, "%s\n", err.msg);
	assert_int_equal(rc, VG_OK);
	return d;
}

static int has_problem(const struct csaf_doc *d, const char *test)
{
	for (size_t i = 0; i < d->n_problems; i++)
		if (strcmp(d->problems[i].test, test) == 0)
			return 1;
	return 0;
}

/* ---- every example ---- */

static void test_examples(void **state)
{
	static const struct {
		const char *file;
		size_t products, vulns, statuses;
	} ex[] = {
	    /* counted with jq */
	    {"bsi-2022-0001.json", 6, 1, 7},
	    {"cisco-sa-20180328-smi2.json", 259, 1, 259},
	    {"rhsa-2019_1862.json", 1, 0, 0},
	    {"rhsa-2021_5186.json", 7, 2, 6},
	    {"rhsa-2021_5217.json", 1, 1, 1},
	    {"rhsa-2022_0011.json", 25, 1, 15},
	    {"csaf_vex/2022-evd-uc-01-a-001.json", 1, 1, 1},
	    {"csaf_vex/2022-evd-uc-01-f-001.json", 1, 1, 1},
	    {"csaf_vex/2022-evd-uc-01-na-001.json", 1, 1, 1},
	    {"csaf_vex/2022-evd-uc-01-ui-001.json", 1, 1, 1},
	    {"csaf_vex/2022-evd-uc-02-na-001.json", 1, 19, 19},
	    {"csaf_vex/2022-evd-uc-03-ms-001.json", 1, 19, 19},
	    {"csaf_vex/2022-evd-uc-04-001.json", 3, 1, 3},
	    {"csaf_vex/2022-evd-uc-05-001.json", 1, 1, 1},
	    {"csaf_vex/2022-evd-uc-06-001.json", 7, 1, 7},
	    {"csaf_vex/2022-evd-uc-07-001.json", 10, 1, 10},
	    {"csaf_vex/2022-evd-uc-08-001.json", 11, 2, 22},
	    {"csaf_vex/2022-evd-uc-09-001.json", 2, 2, 4},
	    {"csaf_vex/sec-vex-2022-0001.json", 1, 3, 3},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		char rel[256];
		size_t statuses = 0;
		snprintf(rel, sizeof(rel), "csaf_2.0/examples/csaf/%s", ex[i].file);
		struct csaf_doc *d = load(rel);
		assert_int_equal(d->n_products, ex[i].products);
		assert_int_equal(d->n_vulns, ex[i].vulns);
		for (size_t v = 0; v < d->n_vulns; v++)
			for (int s = 0; s < CSAF_NSTATUS; s++)
				statuses += d->vulns[v].status[s].n_product_ids;
		assert_int_equal(statuses, ex[i].statuses);
		assert_int_equal(d->n_problems_all, 0);
		assert_string_equal(d->csaf_version, "2.0");
		assert_true(d->n_revisions >= 1);
		csaf_doc_free(d);
	}
}

/* ---- the validator's test data ---- */

static void test_testcases(void **state)
{
	const char *root = getenv("VIGIL_SHARED_DATA");
	char path[4096];
	struct vg_buf b;
	struct vg_error err = {0};
	json_t *idx, *t;
	size_t i, valid = 0, failures = 0, problems = 0, refused = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/csaf/csaf_2.0/test/validator/data/testcases.json", root);
	vg_buf_init(&b, 0);
	assert_int_equal(vg_buf_read_file(&b, path, 1 << 22, &err), VG_OK);
	idx = vg_json_parse(b.data, b.len, path, &err);
	vg_buf_release(&b);
	assert_non_null(idx);

	json_array_foreach(json_object_get(idx, "tests"), i, t)
	{
		const char *id = vg_json_str(t, "id");
		const json_t *list, *f;
		size_t k;

		list = json_object_get(t, "valid");
		json_array_foreach(list, k, f)
		{
			char rel[512];
			snprintf(rel, sizeof(rel), "csaf_2.0/test/validator/data/%s",
				 vg_json_str(f, "name"));
			struct csaf_doc *d = load(rel);
			if (d->n_problems_all)
				fail_msg("%s: %s", rel, d->problems[0].msg);
			csaf_doc_free(d);
			valid++;
		}
		list = json_object_get(t, "failures");
		json_array_foreach(list, k, f)
		{
			char rel[512];
			struct csaf_doc *d = NULL;
			int rc;
			snprintf(rel, sizeof(rel), "csaf_2.0/test/validator/data/%s",
				 vg_json_str(f, "name"));
			vg_error_clear(&err);
			rc = load_rc(rel, &d, &err);
			failures++;
			if (strcmp(id, "6.1.8") == 0) {
				/* invalid CVSS objects: structure, refused with a pointer */
				assert_int_equal(rc, VG_EPARSE);
				assert_non_null(
				    strstr(err.msg, "/vulnerabilities/0/scores/0/cvss_v"));
				assert_non_null(strstr(err.msg, rel));
				refused++;
				continue;
			}
			if (rc)
				fail_msg("%s", err.msg);
			if (strcmp(id, "6.1.1") == 0 || strcmp(id, "6.1.2") == 0 ||
			    strcmp(id, "6.1.3") == 0 || strcmp(id, "6.1.4") == 0 ||
			    strcmp(id, "6.1.5") == 0) {
				if (!has_problem(d, id))
					fail_msg("%s: no %s problem", rel, id);
				problems++;
			} else if (d->n_problems_all) {
				fail_msg("%s: %s", rel, d->problems[0].msg);
			}
			csaf_doc_free(d);
		}
	}
	json_decref(idx);
	assert_int_equal(valid, 94);
	assert_int_equal(failures, 145);
	assert_int_equal(problems, 7);
	assert_int_equal(refused, 3);

	/* the template and the file-name test documents */
	static const char *const more[] = {
	    "csaf_2.0/test/validator/data/oasis_csaf_tc-csaf_2_0-2021-TEMPLATE.json",
	    "csaf_2.0/test/filenames/data/valid/oasis_csaf_tc-csaf_2_0-2021-5-1-11.json",
	    "csaf_2.0/test/filenames/data/valid/oasis_csaf_tc-csaf_2_0-2021-5-1-12.json",
	    "csaf_2.0/test/filenames/data/valid/oasis_csaf_tc-csaf_2_0-2021-5-1-13.json",
	    "csaf_2.0/test/filenames/data/invalid/OASIS_CSAF_TC-CSAF_2.0-2021-5-1-01.json",
	    "csaf_2.0/test/filenames/data/invalid/oasis-open_csaf_tc-csaf_20-2021-5-1-02.json",
	    "csaf_2.0/test/filenames/data/invalid/oasis____csaf_tc-csaf_2_0-2021-5-1-03.json",
	};
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		csaf_doc_free(load(more[i]));
}

/* The exact problems of the 6.1.1-6.1.5 failures, with their pointers. */
static void test_problems_exact(void **state)
{
	static const struct {
		const char *file;
		size_t n;
		const char *first;
	} p[] = {
	    {"01-01", 2,
	     "/product_tree/product_groups/0/product_ids/0: product id \"CSAFPID-9080700\" is "
	     "not defined in /product_tree (CSAF 6.1.1)"},
	    {"01-02", 2,
	     "/vulnerabilities/0/flags/0/product_ids/1: product id \"CSAFPID-9080701\" is not "
	     "defined"},
	    {"02-01", 1,
	     "/product_tree/full_product_names/1: product id \"CSAFPID-9080700\" is defined more "
	     "than once (CSAF 6.1.2)"},
	    {"03-01", 1,
	     "/product_tree/relationships/0: product id \"CSAFPID-9080701\" is defined in terms "
	     "of itself (CSAF 6.1.3)"},
	    {"04-01", 1,
	     "/vulnerabilities/0/threats/0/group_ids/0: group id \"CSAFGID-1020301\" is not "
	     "defined"},
	    {"04-02", 2, "/vulnerabilities/0/flags/0/group_ids/0: group id \"CSAFGID-1020300\""},
	    {"05-01", 1,
	     "/product_tree/product_groups/1/group_id: group id \"CSAFGID-1020300\" is defined "
	     "more than once (CSAF 6.1.5)"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		char rel[256];
		snprintf(rel, sizeof(rel),
			 "csaf_2.0/test/validator/data/mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-%s"
			 ".json",
			 p[i].file);
		struct csaf_doc *d = load(rel);
		assert_int_equal(d->n_problems, p[i].n);
		assert_non_null(strstr(d->problems[0].msg, rel));
		if (!strstr(d->problems[0].msg, p[i].first))
			fail_msg("%s: %s", rel, d->problems[0].msg);
		csaf_doc_free(d);
	}
	/* 6.1.1: the unknown id still comes back, with no product */
	struct csaf_doc *d = load(
	    "csaf_2.0/test/validator/data/mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-01-02.json");
	assert_null(csaf_product_find(d, "CSAFPID-9080701"));
	assert_non_null(csaf_product_find(d, "CSAFPID-9080700"));
	assert_int_equal(d->vulns[0].flags[0].ids.n_product_ids, 2);
	assert_string_equal(d->vulns[0].flags[0].label, "component_not_present");
	csaf_doc_free(d);
}

/* ---- resolution ---- */

struct seen {
	size_t n;
	const char *ids[64];
	enum csaf_status st[64];
	const struct csaf_product *prod[64];
};

static int collect(void *ctx, enum csaf_status s, const char *id, const struct csaf_product *p)
{
	struct seen *x = ctx;
	if (x->n < 64) {
		x->ids[x->n] = id;
		x->st[x->n] = s;
		x->prod[x->n] = p;
	}
	x->n++;
	return 0;
}

static int collect_ids(void *ctx, const char *id, const struct csaf_product *p)
{
	return collect(ctx, CSAF_FIXED, id, p);
}

/* RHSA-2022:0011: 15 fixed products, each "package as a component of RHEL". */
static void test_rhsa_relationships(void **state)
{
	struct csaf_doc *d = load("csaf_2.0/examples/csaf/rhsa-2022_0011.json");
	struct seen s = {0};
	const struct csaf_product *p, *c, *pl;
	size_t with_platform_cpe = 0;

	(void)state;
	assert_string_equal(d->id, "RHSA-2022:0011");
	assert_string_equal(d->category, "csaf_security_advisory");
	assert_string_equal(d->status, "final");
	assert_string_equal(d->publisher_name, "Red Hat Product Security");
	assert_int_equal(d->n_rels, 15);
	assert_int_equal(d->n_vulns, 1);
	assert_int_equal(csaf_vuln_foreach(d, &d->vulns[0], CSAF_MASK_AFFECTED, collect, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(csaf_vuln_foreach(d, &d->vulns[0], CSAF_MASK_FIXED, collect, &s), 0);
	assert_int_equal(s.n, 15);
	for (size_t i = 0; i < s.n; i++) {
		assert_int_equal(s.st[i], CSAF_FIXED);
		assert_non_null(s.prod[i]);
		assert_non_null(s.prod[i]->rel);
		assert_string_equal(s.prod[i]->rel->category, "default_component_of");
		pl = csaf_product_platform(s.prod[i]);
		assert_non_null(pl);
		assert_string_equal(pl->product_family, "Red Hat Enterprise Linux");
		assert_string_equal(pl->vendor, "Red Hat");
		with_platform_cpe += csaf_product_cpe(pl) != NULL;
		/* the package itself carries no helper: neither does the combination */
		assert_null(csaf_product_cpe(s.prod[i]));
		assert_null(csaf_product_purl(s.prod[i]));
	}
	assert_int_equal(with_platform_cpe, 15);

	p = csaf_product_find(d, "7Server-7.6.E4S:telnet-server-1:0.17-65.el7_6.ppc64le");
	assert_non_null(p);
	assert_string_equal(p->name, "telnet-server-1:0.17-65.el7_6.ppc64le as a component of Red "
				     "Hat Enterprise Linux Server E4S (v. 7.6)");
	c = p->rel->component;
	assert_non_null(c);
	assert_string_equal(c->product_id, "telnet-server-1:0.17-65.el7_6.ppc64le");
	assert_string_equal(c->architecture, "ppc64le");
	assert_string_equal(c->product_version, "telnet-server-1:0.17-65.el7_6.ppc64le");
	assert_string_equal(c->vendor, "Red Hat");
	assert_null(c->product_family);
	pl = csaf_product_platform(p);
	assert_string_equal(pl->product_id, "7Server-7.6.E4S");
	assert_string_equal(csaf_product_cpe(pl), "cpe:/o:redhat:rhel_e4s:7.6::server");
	assert_string_equal(pl->product_name, "Red Hat Enterprise Linux Server E4S (v. 7.6)");
	assert_string_equal(p->ptr, "/product_tree/relationships/9/full_product_name");

	/* remediation and threat */
	assert_int_equal(d->vulns[0].n_remediations, 1);
	assert_string_equal(d->vulns[0].remediations[0].category, "vendor_fix");
	assert_string_equal(d->vulns[0].remediations[0].url,
			    "https://access.redhat.com/errata/RHSA-2022:0011");
	memset(&s, 0, sizeof(s));
	csaf_ids_foreach(d, &d->vulns[0].remediations[0].ids, collect_ids, &s);
	assert_int_equal(s.n, 15);
	assert_int_equal(d->vulns[0].n_threats, 1);
	assert_string_equal(d->vulns[0].threats[0].category, "impact");
	assert_string_equal(d->vulns[0].threats[0].details, "Important");
	csaf_doc_free(d);
}

/* RHSA-2021:5186: fixed and known_not_affected through relationships. */
static void test_rhsa_not_affected(void **state)
{
	struct csaf_doc *d = load("csaf_2.0/examples/csaf/rhsa-2021_5186.json");
	struct seen s = {0};

	(void)state;
	assert_int_equal(d->n_vulns, 2);
	assert_string_equal(d->vulns[0].cve, "CVE-2021-4104");
	csaf_vuln_foreach(d, &d->vulns[0], CSAF_MASK_ALL, collect, &s);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.st[0], CSAF_FIXED);
	assert_string_equal(s.prod[0]->rel->component->product_id,
			    "openshift4/ose-metering-hive:v4.6.0-202112160147.p0.gf139e12.assembly."
			    "stream");
	assert_int_equal(s.st[1], CSAF_KNOWN_NOT_AFFECTED);
	assert_int_equal(s.st[2], CSAF_KNOWN_NOT_AFFECTED);
	assert_string_equal(csaf_product_cpe(csaf_product_platform(s.prod[1])),
			    "cpe:/a:redhat:openshift:4.6::el8");
	memset(&s, 0, sizeof(s));
	csaf_vuln_foreach(d, &d->vulns[0], CSAF_MASK_NOT_AFFECTED, collect, &s);
	assert_int_equal(s.n, 2);
	csaf_doc_free(d);
}

/* BSI-2022-0001: products from branches with CPE helpers. */
static void test_bsi(void **state)
{
	struct csaf_doc *d = load("csaf_2.0/examples/csaf/bsi-2022-0001.json");
	struct seen s = {0};
	const struct csaf_vuln *v;

	(void)state;
	assert_string_equal(d->id, "BSI-2022-0001");
	assert_string_equal(d->current_release_date, "2022-03-17T13:03:42.105Z");
	assert_string_equal(d->revisions[0].number, "1");
	v = &d->vulns[0];
	assert_string_equal(v->cve, "CVE-2022-27193");
	assert_string_equal(v->cwe_id, "CWE-611");
	assert_int_equal(v->n_ids, 1);
	assert_string_equal(v->ids[0].system_name, "Github Issue");
	csaf_vuln_foreach(d, v, CSAF_MASK_AFFECTED, collect, &s);
	assert_int_equal(s.n, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(s.st[i], CSAF_KNOWN_AFFECTED);
		assert_null(s.prod[i]->rel);
		assert_string_equal(s.prod[i]->vendor, "CSAF Tools");
	}
	assert_string_equal(s.ids[0], "CSAFPID-0001");
	assert_string_equal(csaf_product_cpe(s.prod[0]),
			    "cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha");
	assert_string_equal(s.prod[0]->product_version, "1.0.0-alpha");
	assert_string_equal(s.prod[4]->product_version, "1.0.0-rc1");
	memset(&s, 0, sizeof(s));
	csaf_vuln_foreach(d, v, CSAF_MASK_FIXED, collect, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.st[0], CSAF_FIRST_FIXED);
	assert_int_equal(s.st[1], CSAF_FIXED);
	assert_string_equal(csaf_product_cpe(s.prod[1]),
			    "cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-rc2");
	assert_int_equal(v->n_scores, 1);
	assert_true(v->scores[0].cvss_v3.present);
	assert_false(v->scores[0].cvss_v2.present);
	assert_string_equal(v->scores[0].cvss_v3.vector,
			    "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:L/E:F/RL:O/RC:C");
	assert_int_equal(v->scores[0].n_products, 5);
	csaf_doc_free(d);
}

/* VEX use case 03: one product, every status. */
static void test_vex(void **state)
{
	struct csaf_doc *d = load("csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-03-ms-001.json");
	size_t count[CSAF_NSTATUS] = {0};

	(void)state;
	assert_string_equal(d->category, "csaf_vex");
	for (size_t i = 0; i < d->n_vulns; i++)
		for (int s = 0; s < CSAF_NSTATUS; s++)
			count[s] += d->vulns[i].status[s].n_product_ids;
	assert_int_equal(count[CSAF_UNDER_INVESTIGATION], 5);
	assert_int_equal(count[CSAF_KNOWN_NOT_AFFECTED], 6);
	assert_int_equal(count[CSAF_KNOWN_AFFECTED], 5);
	assert_int_equal(count[CSAF_FIXED], 3);
	assert_string_equal(d->vulns[2].remediations[0].category, "none_available");
	assert_int_equal(csaf_status_from_name("under_investigation"), CSAF_UNDER_INVESTIGATION);
	assert_string_equal(csaf_status_name(CSAF_LAST_AFFECTED), "last_affected");
	assert_int_equal(csaf_status_from_name("affected"), -1);
	csaf_doc_free(d);
}

/* purl helpers through relationships and groups (no 2.0 example has purls). */
static void test_purl_helpers(void **state)
{
	const char *doc =
	    "{\"document\":{\"category\":\"csaf_vex\",\"csaf_version\":\"2.0\",\"title\":\"t\","
	    "\"publisher\":{\"category\":\"vendor\",\"name\":\"V\",\"namespace\":\"https://v\"},"
	    "\"tracking\":{\"id\":\"V-1\",\"status\":\"final\",\"version\":\"1\","
	    "\"current_release_date\":\"2024-01-01T00:00:00Z\",\"initial_release_date\":"
	    "\"2024-01-01T00:00:00Z\",\"revision_history\":[{\"date\":\"2024-01-01T00:00:00Z\","
	    "\"number\":\"1\",\"summary\":\"s\"}]}},"
	    "\"product_tree\":{\"branches\":[{\"category\":\"vendor\",\"name\":\"V\",\"branches\":"
	    "[{\"category\":\"product_name\",\"name\":\"Router\",\"branches\":[{\"category\":"
	    "\"product_version\",\"name\":\"2.1\",\"product\":{\"name\":\"Router 2.1\","
	    "\"product_id\":\"R21\",\"product_identification_helper\":{\"cpe\":"
	    "\"cpe:2.3:o:v:router:2.1:*:*:*:*:*:*:*\"}}}]}]}],"
	    "\"full_product_names\":[{\"name\":\"zlib 1.2.11\",\"product_id\":\"Z\","
	    "\"product_identification_helper\":{\"purl\":\"pkg:generic/zlib@1.2.11\","
	    "\"hashes\":[{\"filename\":\"libz.so\",\"file_hashes\":[{\"algorithm\":\"sha256\","
	    "\"value\":\"ab\"}]}],\"serial_numbers\":[\"S1\",\"S2\"]}},"
	    "{\"name\":\"openssl\",\"product_id\":\"O\",\"product_identification_helper\":{"
	    "\"purl\":\"pkg:generic/openssl@3.0.1\",\"cpe\":\"cpe:2.3:a:openssl:openssl:3.0.1:*:*:"
	    "*:*:*:*:*\"}}],"
	    "\"relationships\":[{\"category\":\"default_component_of\",\"product_reference\":\"Z\","
	    "\"relates_to_product_reference\":\"R21\",\"full_product_name\":{\"name\":\"zlib in "
	    "Router 2.1\",\"product_id\":\"R21-Z\"}},"
	    "{\"category\":\"installed_on\",\"product_reference\":\"R21-Z\","
	    "\"relates_to_product_reference\":\"O\",\"full_product_name\":{\"name\":\"chain\","
	    "\"product_id\":\"CHAIN\"}}],"
	    "\"product_groups\":[{\"group_id\":\"G\",\"product_ids\":[\"R21-Z\",\"O\"]}]},"
	    "\"vulnerabilities\":[{\"cve\":\"CVE-2022-37434\",\"product_status\":{"
	    "\"known_affected\":[\"R21-Z\",\"CHAIN\"],\"known_not_affected\":[\"O\"],"
	    "\"recommended\":[\"R21\"]},\"flags\":[{\"label\":\"vulnerable_code_not_in_execute_"
	    "path\","
	    "\"group_ids\":[\"G\"]}],\"remediations\":[{\"category\":\"vendor_fix\",\"details\":"
	    "\"update\",\"group_ids\":[\"G\"],\"product_ids\":[\"R21\"]}],"
	    "\"scores\":[{\"products\":[\"R21-Z\"],\"cvss_v3\":{\"version\":\"3.1\","
	    "\"vectorString\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\",\"baseScore\":9.8,"
	    "\"baseSeverity\":\"CRITICAL\"},\"cvss_v2\":{\"version\":\"2.0\",\"vectorString\":"
	    "\"AV:N/AC:L/Au:N/C:P/I:P/A:P\",\"baseScore\":7.5}}]}]}";
	struct csaf_doc *d = NULL;
	struct vg_error err = {0};
	struct seen s = {0};

	(void)state;
	assert_int_equal(csaf_parse(doc, strlen(doc), "inline.json", &d, &err), VG_OK);
	assert_int_equal(d->n_problems_all, 0);
	assert_int_equal(d->n_products, 5);
	csaf_vuln_foreach(d, &d->vulns[0], CSAF_MASK_AFFECTED, collect, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(csaf_product_purl(s.prod[0]), "pkg:generic/zlib@1.2.11");
	assert_null(csaf_product_cpe(s.prod[0]));
	assert_string_equal(csaf_product_platform(s.prod[0])->product_version, "2.1");
	assert_string_equal(csaf_product_cpe(csaf_product_platform(s.prod[0])),
			    "cpe:2.3:o:v:router:2.1:*:*:*:*:*:*:*");
	/* a chain: CHAIN -> R21-Z -> Z */
	assert_string_equal(csaf_product_purl(s.prod[1]), "pkg:generic/zlib@1.2.11");
	assert_string_equal(csaf_product_platform(s.prod[1])->product_id, "O");
	const struct csaf_product *z = csaf_product_find(d, "Z");
	assert_int_equal(z->pih.n_hashes, 1);
	assert_string_equal(z->pih.hashes[0].filename, "libz.so");
	assert_string_equal(z->pih.hashes[0].hashes[0].algorithm, "sha256");
	assert_int_equal(z->pih.n_serial_numbers, 2);
	assert_string_equal(z->pih.serial_numbers[1], "S2");
	memset(&s, 0, sizeof(s));
	csaf_vuln_foreach(d, &d->vulns[0], CSAF_MASK(CSAF_RECOMMENDED) | CSAF_MASK_NOT_AFFECTED,
			  collect, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.st[0], CSAF_KNOWN_NOT_AFFECTED);
	assert_string_equal(csaf_product_purl(s.prod[0]), "pkg:generic/openssl@3.0.1");
	assert_int_equal(s.st[1], CSAF_RECOMMENDED);
	/* groups expand: product ids first, then the group's */
	memset(&s, 0, sizeof(s));
	csaf_ids_foreach(d, &d->vulns[0].remediations[0].ids, collect_ids, &s);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.ids[0], "R21");
	assert_string_equal(s.ids[1], "R21-Z");
	assert_string_equal(s.ids[2], "O");
	memset(&s, 0, sizeof(s));
	csaf_ids_foreach(d, &d->vulns[0].flags[0].ids, collect_ids, &s);
	assert_int_equal(s.n, 2);
	assert_true(d->vulns[0].scores[0].cvss_v2.present);
	assert_true(d->vulns[0].scores[0].cvss_v2.base_score == 7.5);
	assert_null(d->vulns[0].scores[0].cvss_v2.base_severity);
	assert_string_equal(d->vulns[0].scores[0].cvss_v3.base_severity, "CRITICAL");
	csaf_doc_free(d);

	/* 6-1-13-01: a purl helper as written (its validity is the validator's job) */
	d = load(
	    "csaf_2.0/test/validator/data/mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-13-01.json");
	assert_non_null(csaf_product_purl(d->products[0]));
	assert_string_equal(csaf_product_purl(d->products[0]), d->products[0]->pih.purl);
	csaf_doc_free(d);
}

/* Bad documents: refused with the file and the JSON pointer. */
static void test_bad(void **state)
{
	static const struct {
		const char *doc, *msg;
	} bad[] = {
	    {"", "bad.json: byte 0"},
	    {"[]", "bad.json: (root): expected a CSAF document"},
	    {"{}", "bad.json: (root): required member \"document\" is missing"},
	    {"{\"document\":[]}", "bad.json: /document: expected an object, found an array"},
	    {"{\"document\":{\"category\":\"x\",\"csaf_version\":\"2.1\",\"title\":\"t\"}}",
	     "bad.json: /document/csaf_version: expected \"2.0\", found \"2.1\""},
	    {"{\"document\":{\"category\":\"x\",\"csaf_version\":\"2.0\",\"title\":\"t\","
	     "\"publisher\":{\"category\":\"vendor\",\"name\":\"n\",\"namespace\":\"https://n\"},"
	     "\"tracking\":{\"id\":7}}}",
	     "bad.json: /document/tracking/id: expected a string, found a number"},
	    {"{\"document\":{\"category\":\"x\",\"csaf_version\":\"2.0\",\"title\":\"t\","
	     "\"publisher\":{\"category\":\"vendor\",\"name\":\"n\",\"namespace\":\"https://n\"},"
	     "\"tracking\":{\"id\":\"i\",\"status\":\"final\",\"version\":\"1\","
	     "\"current_release_date\":\"d\",\"initial_release_date\":\"d\","
	     "\"revision_history\":[]}}}",
	     "bad.json: /document/tracking/revision_history: expected at least one revision"},
	};
	struct csaf_doc *d;
	struct vg_error err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vg_error_clear(&err);
		assert_int_equal(csaf_parse(bad[i].doc, strlen(bad[i].doc), "bad.json", &d, &err),
				 VG_EPARSE);
		assert_null(d);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("%zu: %s", i, err.msg);
	}

	/* a valid document made bad deep inside, and branches nested too deep */
	const char *head =
	    "{\"document\":{\"category\":\"x\",\"csaf_version\":\"2.0\",\"title\":\"t\","
	    "\"publisher\":{\"category\":\"vendor\",\"name\":\"n\",\"namespace\":\"https://n\"},"
	    "\"tracking\":{\"id\":\"i\",\"status\":\"final\",\"version\":\"1\","
	    "\"current_release_date\":\"d\",\"initial_release_date\":\"d\","
	    "\"revision_history\":[{\"date\":\"d\",\"number\":\"1\",\"summary\":\"s\"}]}},";
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_adds(&b, head);
	vg_buf_adds(&b, "\"vulnerabilities\":[{},{\"product_status\":{\"fixed\":[\"a\",3]}}]}");
	vg_error_clear(&err);
	assert_int_equal(csaf_parse(b.data, b.len, "deep.json", &d, &err), VG_EPARSE);
	assert_non_null(strstr(err.msg, "deep.json: /vulnerabilities/1/product_status/fixed/1: "
					"expected a string, found a number"));
	vg_buf_reset(&b);
	vg_buf_adds(&b, head);
	vg_buf_adds(&b, "\"product_tree\":{\"branches\":[");
	for (int i = 0; i < 40; i++)
		vg_buf_adds(&b, "{\"category\":\"vendor\",\"name\":\"n\",\"branches\":[");
	vg_buf_adds(&b, "{\"category\":\"vendor\",\"name\":\"n\"}");
	for (int i = 0; i < 40; i++)
		vg_buf_adds(&b, "]}");
	vg_buf_adds(&b, "]}}");
	vg_error_clear(&err);
	assert_int_equal(csaf_parse(b.data, b.len, "nest.json", &d, &err), VG_EPARSE);
	assert_non_null(strstr(err.msg, "branches nested deeper than 30 levels"));
	vg_buf_release(&b);

	/* a CSAF 2.1 draft document is refused at its version */
	vg_error_clear(&err);
	assert_int_equal(load_rc("csaf_2.1/test/validator/data/oasis_csaf_tc-csaf_2_1-2024-TEMPLATE"
				 ".json",
				 &d, &err),
			 VG_EPARSE);
	assert_non_null(strstr(err.msg, "/document/csaf_version: expected \"2.0\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_examples),
	    cmocka_unit_test(test_testcases),
	    cmocka_unit_test(test_problems_exact),
	    cmocka_unit_test(test_rhsa_relationships),
	    cmocka_unit_test(test_rhsa_not_affected),
	    cmocka_unit_test(test_bsi),
	    cmocka_unit_test(test_vex),
	    cmocka_unit_test(test_purl_helpers),
	    cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
