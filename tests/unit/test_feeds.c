/*
 * test_feeds.c - NVD and CSAF documents into the vulnerability database:
 * the CPE keys NVD criteria are filed under, what is kept of an NVD record,
 * CSAF product status to affected entries (relationships, fixed wins over
 * a contradicting known_affected, CPE-only products never guessed), and
 * CPE-only components matched against stored NVD configurations.
 * Regressions from shared/data/vuln/PITFALLS.md are named.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/events.h"
#include "core/json.h"
#include "sbom/inventory.h"
#include "store/store.h"
#include "testdb.h"
#include "triage/findings.h"
#include "ident/cpe.h"
#include "vuln/feeds.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;
	struct vg_error err = {0};
	if (store_query_int64(s, &n, &err, sql, NULL) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
	return n;
}

static int skips;
static char last_skip[1024];

static void on_skip(void *arg, const char *msg)
{
	(void)arg;
	skips++;
	snprintf(last_skip, sizeof(last_skip), "%s", msg);
}

static void import(struct store *s, const char *kind, const char *doc, struct vulndb_stats *st)
{
	struct vulndb_import *im;
	struct vg_error err = {0};
	int rc = vulndb_import_begin(s, kind, "test", &im, &err);
	assert_int_equal(rc, VG_OK);
	if (strcmp(kind, "nvd") == 0)
		rc = feeds_import_nvd_buffer(im, doc, strlen(doc), "test.json", on_skip, NULL, NULL,
					     &err);
	else
		rc = feeds_import_csaf_buffer(im, doc, strlen(doc), "test.json", on_skip, NULL,
					      &err);
	if (rc)
		fail_msg("%s", vg_error_msg(&err));
	rc = vulndb_import_end(im, st, &err);
	if (rc)
		fail_msg("%s", vg_error_msg(&err));
}

static void key_of(const char *cpe, const char *want)
{
	struct cpe c;
	char key[600];
	assert_int_equal(cpe_parse(cpe, &c, NULL), VG_OK);
	assert_int_equal(vulndb_cpe_key(&c, key, sizeof(key)), 0);
	for (char *p = key; *p; p++)
		if (*p == '\037')
			*p = '|';
	assert_string_equal(key, want);
	cpe_release(&c);
}

static void test_cpe_keys(void **state)
{
	(void)state;
	key_of("cpe:2.3:a:espressif:esp-idf:*:*:*:*:*:*:*:*", "espressif|esp\\-idf");
	/* fkie-cad/nvd-json-data-feeds#27: escaped punctuation stays one value. */
	key_of("cpe:2.3:o:avm:fritz\\!_os:7.5:*:*:*:*:*:*:*", "avm|fritz\\!_os");
	key_of("cpe:2.3:a:oracle:mysql_connector\\/j:8.0:*:*:*:*:*:*:*",
	       "oracle|mysql_connector\\/j");
	/* nvdtools#188, DependencyTrack#3178: ANY or wildcard vendor/product
	 * are filed apart, never under a real product. */
	key_of("cpe:2.3:a:*:core:1.0:*:*:*:*:*:*:*", "*|*");
	key_of("cpe:2.3:a:apache:*:1.0:*:*:*:*:*:*:*", "*|*");
	key_of("cpe:2.3:a:apache:tomcat*:*:*:*:*:*:*:*:*", "*|*");
	/* A quoted star is a literal character, not a wildcard. */
	key_of("cpe:2.3:a:acme:star\\*:1:*:*:*:*:*:*:*", "acme|star\\*");
}

#define NVD_REC(id, status, mod, crit, extra)                                                      \
	"{\"vulnerabilities\":[{\"cve\":{\"id\":\"" id                                             \
	"\",\"published\":\"2024-01-01T00:00:00.000\","                                            \
	"\"lastModified\":\"" mod "\",\"vulnStatus\":\"" status "\",\"descriptions\":[{\"lang\":"  \
	"\"en\",\"value\":\"A flaw. More text.\"}],\"metrics\":{\"cvssMetricV31\":[{\"source\":"   \
	"\"nvd@nist.gov\",\"type\":\"Primary\",\"cvssData\":{\"version\":\"3.1\","                 \
	"\"vectorString\":"                                                                        \
	"\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N\",\"baseScore\":5.3,\"baseSeverity\":"     \
	"\"MEDIUM\"}},{\"source\":\"cna@example\",\"type\":\"Secondary\",\"cvssData\":{"           \
	"\"version\":"                                                                             \
	"\"3.1\",\"vectorString\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\",\"baseScore\":" \
	"9.8,\"baseSeverity\":\"CRITICAL\"}}]},\"configurations\":[{\"operator\":\"AND\","         \
	"\"nodes\":"                                                                               \
	"[{\"operator\":\"OR\",\"cpeMatch\":[{\"vulnerable\":true,\"criteria\":\"" crit "\"" extra \
	"}]},{\"operator\":\"OR\",\"cpeMatch\":[{\"vulnerable\":false,\"criteria\":"               \
	"\"cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*\"}]}]}]}}]}"

static void test_nvd_stored(void **state)
{
	struct fx *f = *state;
	struct vulndb_stats st = {0};
	const char *rec = NVD_REC("CVE-2024-1000", "Analyzed", "2024-02-01T10:00:00.123",
				  "cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*",
				  ",\"versionStartIncluding\":\"9.0.0\",\"versionEndExcluding\":"
				  "\"9.0.50\"");
	import(f->s, "nvd", rec, &st);
	assert_int_equal(st.imported, 1);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM advisory_configs WHERE advisory_id = "
				     "'CVE-2024-1000'"),
			 1);
	/* Both the vulnerable product and the platform are keys. */
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM advisory_cpes WHERE advisory_id = "
				     "'CVE-2024-1000'"),
			 2);
	/* Severity from NVD's own (Primary) metric, not the CNA's higher one. */
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM vulnerabilities WHERE id = "
				     "'CVE-2024-1000' AND severity = 'medium' AND score = '5.3'"),
			 1);
	/* lastModified without a zone is UTC: 2024-02-01T10:00:00Z. */
	assert_int_equal(count(f->s, "SELECT modified FROM advisories WHERE id = 'CVE-2024-1000'"),
			 1706781600);

	/* Same lastModified: unchanged; an older one never wins. */
	memset(&st, 0, sizeof(st));
	import(f->s, "nvd", rec, &st);
	assert_int_equal(st.unchanged, 1);
	memset(&st, 0, sizeof(st));
	import(f->s, "nvd",
	       NVD_REC("CVE-2024-1000", "Rejected", "2023-01-01T00:00:00.000",
		       "cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*", ""),
	       &st);
	assert_int_equal(st.unchanged, 1);
	assert_int_equal(st.withdrawn, 0);
	/* A newer Rejected one withdraws it. */
	memset(&st, 0, sizeof(st));
	import(f->s, "nvd",
	       NVD_REC("CVE-2024-1000", "Rejected", "2024-03-01T00:00:00.000",
		       "cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*", ""),
	       &st);
	assert_int_equal(st.updated, 1);
	assert_int_equal(st.withdrawn, 1);

	/* A record NVD's parser refuses is skipped with file and id. */
	skips = 0;
	memset(&st, 0, sizeof(st));
	import(f->s, "nvd",
	       NVD_REC("CVE-2024-1001", "Analyzed", "2024-02-01T10:00:00.123",
		       "cpe:2.3:a:bad*name:x:*:*:*:*:*:*:*:*", ""),
	       &st);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.imported, 0);
	assert_non_null(strstr(last_skip, "test.json"));
	assert_non_null(strstr(last_skip, "CVE-2024-1001"));
}

static void sbom(struct store *s, const char *product, const char *version, const char *doc)
{
	struct sbom_import_req r = {0};
	struct sbom_import_result res;
	struct vg_error err = {0};
	r.product = product;
	r.version = version;
	r.data = doc;
	r.n = strlen(doc);
	r.filename = "bom.json";
	r.create_product = 1;
	if (sbom_import(s, &r, &res, &err) != VG_OK)
		fail_msg("%s", vg_error_msg(&err));
}

#define BOM(comps)                                                                           \
	"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":" \
	"[" comps "]}"
#define COMP(type, name, ver, cpe)                                                                 \
	"{\"type\":\"" type "\",\"name\":\"" name "\",\"version\":\"" ver "\",\"cpe\":\"" cpe "\"" \
	"}"

static void test_cpe_findings(void **state)
{
	struct fx *f = *state;
	struct vulndb_stats st = {0};
	/* CVE-2016-5425 class (grype#1349, DependencyTrack PR#5304): tomcat AND
	 * running on RHEL; the platform alone never makes anything vulnerable. */
	const char *rec = NVD_REC("CVE-2024-2000", "Analyzed", "2024-02-01T10:00:00.000",
				  "cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*",
				  ",\"versionStartIncluding\":\"9.0.0\",\"versionEndExcluding\":"
				  "\"9.0.50\"");
	sbom(f->s, "srv", "1",
	     BOM(COMP(
		 "operating-system", "rhel", "8",
		 "cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*") "," COMP("application",
									       "tomcat", "9.0.41",
									       "cpe:2.3:a:apache:"
									       "tomcat:9.0.41:*:*:*"
									       ":*:*:*:*")));
	sbom(f->s, "srv", "2",
	     BOM(COMP("application", "tomcat", "9.0.41",
		      "cpe:2.3:a:apache:tomcat:9.0.41:*:*:*:*:*:*:*")));
	sbom(f->s, "srv", "3",
	     BOM(COMP(
		 "operating-system", "rhel", "8",
		 "cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*") "," COMP("application",
									       "tomcat", "9.0.50",
									       "cpe:2.3:a:apache:"
									       "tomcat:9.0.50:*:*:*"
									       ":*:*:*:*")));
	/* DependencyTrack#3178: a component CPE with vendor ANY must not match. */
	sbom(f->s, "srv", "4",
	     BOM(COMP(
		 "operating-system", "rhel", "8",
		 "cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*") "," COMP("application",
									       "tomcat", "9.0.41",
									       "cpe:2.3:a:*:tomcat:"
									       "9.0.41:*:*:*:*:*:*:"
									       "*")));
	/* A component with a purl is never CPE-matched (grype#580 and kin). */
	sbom(f->s, "srv", "5",
	     BOM(COMP(
		 "operating-system", "rhel", "8",
		 "cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*") ","
								      "{\"type\":\"library\","
								      "\"name\":\"tomcat-embed-"
								      "core\",\"version\":\"9.0."
								      "41\","
								      "\"purl\":\"pkg:maven/"
								      "org.apache.tomcat.embed/"
								      "tomcat-embed-core@9.0.41\","
								      "\"cpe\":\"cpe:2.3:a:apache:"
								      "tomcat:9.0.41:*:*:*:*:*:*:*"
								      "\"}"));
	/* scanoss/purl2cpe#7: a component CPE of version ANY is a pattern, not a
	 * name; it cannot be placed in a range and is never flagged. */
	sbom(f->s, "srv", "6",
	     BOM(COMP(
		 "operating-system", "rhel", "8",
		 "cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*") "," COMP("application",
									       "tomcat", "9",
									       "cpe:2.3:a:apache:"
									       "tomcat:*:*:*:*:*:*:"
									       "*:*")));
	/* Feed after the SBOMs: findings come by themselves. */
	import(f->s, "nvd", rec, &st);
	assert_int_equal(st.findings_new, 1);
	assert_int_equal(
	    count(f->s, "SELECT COUNT(*) FROM findings f JOIN product_versions v ON v.id = "
			"f.version_id WHERE v.version = '1' AND f.vuln_id = 'CVE-2024-2000' AND "
			"f.purl = 'cpe:2.3:a:apache:tomcat:9.0.41:*:*:*:*:*:*:*' AND "
			"f.retracted_at IS NULL"),
	    1);
	/* SBOM after the feed: the same. */
	sbom(f->s, "srv2", "1",
	     BOM(COMP(
		 "firmware", "rhel", "8",
		 "cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*") "," COMP("application",
									       "tomcat", "9.0.0",
									       "cpe:2.3:a:apache:"
									       "tomcat:9.0.0:*:*:*:"
									       "*:*:*:*")));
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM findings WHERE vuln_id = "
				     "'CVE-2024-2000' AND retracted_at IS NULL"),
			 2);
	/* Withdrawn by NVD: both retracted. */
	memset(&st, 0, sizeof(st));
	import(f->s, "nvd",
	       NVD_REC("CVE-2024-2000", "Rejected", "2024-03-01T00:00:00.000",
		       "cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*", ""),
	       &st);
	assert_int_equal(st.findings_retracted, 2);
	/* Criteria with a wildcard product are filed under "*": every CPE-only
	 * component is a candidate, the name matching decides. */
	memset(&st, 0, sizeof(st));
	import(f->s, "nvd",
	       NVD_REC("CVE-2024-2001", "Analyzed", "2024-02-01T10:00:00.000",
		       "cpe:2.3:a:apache:tomcat*:*:*:*:*:*:*:*:*",
		       ",\"versionEndExcluding\":\"9.0.50\""),
	       &st);
	assert_int_equal(st.findings_new, 2);
}

#define CSAF_DOC(date, status)                                                                     \
	"{\"document\":{\"category\":\"csaf_security_advisory\",\"csaf_version\":\"2.0\","         \
	"\"title\":\"t\",\"publisher\":{\"category\":\"vendor\",\"name\":\"V\",\"namespace\":"     \
	"\"https://v.example\"},\"tracking\":{\"id\":\"V-1\",\"status\":\"final\",\"version\":"    \
	"\"1\",\"initial_release_date\":\"2024-01-01T00:00:00Z\",\"current_release_date\":\"" date \
	"\",\"revision_history\":[{\"date\":\"" date "\",\"number\":\"1\",\"summary\":\"s\"}]}},"  \
	"\"product_tree\":{\"full_product_names\":["                                               \
	"{\"product_id\":\"APP\",\"name\":\"app 2\"},"                                             \
	"{\"product_id\":\"LIB\",\"name\":\"lib 1.2.3\",\"product_identification_helper\":"        \
	"{\"purl\":\"pkg:pypi/Some_Lib@1.2.3\"}},"                                                 \
	"{\"product_id\":\"NOVER\",\"name\":\"lib\",\"product_identification_helper\":"            \
	"{\"purl\":\"pkg:pypi/some-lib\"}}],"                                                      \
	"\"relationships\":[{\"category\":\"default_component_of\",\"product_reference\":\"LIB\"," \
	"\"relates_to_product_reference\":\"APP\",\"full_product_name\":{\"product_id\":"          \
	"\"APP:LIB\",\"name\":\"lib in app\"}}]},"                                                 \
	"\"vulnerabilities\":[{\"cve\":\"CVE-2024-3000\",\"ids\":[{\"system_name\":\"GHSA\","      \
	"\"text\":\"GHSA-aaaa-bbbb-cccc\"},{\"system_name\":\"bugzilla\",\"text\":\"12345\"}],"    \
	"\"product_status\":" status "}]}"

static void test_csaf(void **state)
{
	struct fx *f = *state;
	struct vulndb_stats st = {0};
	sbom(f->s, "py", "1",
	     BOM("{\"type\":\"library\",\"name\":\"some.lib\",\"version\":\"1.2.3\",\"purl\":"
		 "\"pkg:pypi/some.lib@1.2.3\"}"));
	/* Through the relationship, the component's purl; PEP 503 names. */
	skips = 0;
	import(f->s, "csaf",
	       CSAF_DOC("2024-01-01T00:00:00Z", "{\"known_affected\":[\"APP:LIB\",\"NOVER\"]}"),
	       &st);
	assert_int_equal(st.imported, 1);
	assert_int_equal(st.findings_new, 1);
	/* The purl without a version is reported, not matched as "every version". */
	assert_int_equal(skips, 1);
	assert_non_null(strstr(last_skip, "1 affected product(s)"));
	/* Aliases: the CVE and OSV-style ids; never a bare bug number. */
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM vuln_aliases WHERE vuln_id = "
				     "'CVE-2024-3000'"),
			 3);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM vuln_aliases WHERE alias = '12345'"), 0);
	/* A product both known_affected and fixed: no finding. */
	memset(&st, 0, sizeof(st));
	import(f->s, "csaf",
	       CSAF_DOC("2024-02-01T00:00:00Z",
			"{\"known_affected\":[\"APP:LIB\"],\"fixed\":[\"APP:LIB\"]}"),
	       &st);
	assert_int_equal(st.updated, 1);
	assert_int_equal(st.findings_retracted, 1);
	/* known_not_affected: none either. */
	memset(&st, 0, sizeof(st));
	import(f->s, "csaf",
	       CSAF_DOC("2024-03-01T00:00:00Z", "{\"known_not_affected\":[\"APP:LIB\"]}"), &st);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM findings WHERE retracted_at IS NULL"),
			 0);
	/* A broken document is skipped, named. */
	skips = 0;
	memset(&st, 0, sizeof(st));
	import(f->s, "csaf", "{\"document\":{\"category\":\"csaf_base\"}}", &st);
	assert_int_equal(st.skipped, 1);
	assert_non_null(strstr(last_skip, "test.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cpe_keys),
	    cmocka_unit_test_setup_teardown(test_nvd_stored, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_cpe_findings, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_csaf, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
