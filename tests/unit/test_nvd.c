/*
 * test_nvd.c - NVD CVE API 2.0 parsing and configuration evaluation on the
 * real records in $VIGIL_SHARED_DATA/vuln/nvd: every file parses with exact
 * counts, and chosen records (AND with vulnerable:false platforms, every
 * kind of version bound, NA versions, update attributes, escaped criteria,
 * duplicated configurations) give exact match / no-match outcomes for CPE
 * sets built here. negate does not occur in the data; it is tested on a real
 * record with its platform node negated. The NVD/CPE entries of PITFALLS.md
 * that the data can reproduce are named at their tests.
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
#include "vuln/nvd.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static void load(const char *rel, struct nvd_feed *f)
{
	const char *root = getenv("VIGIL_SHARED_DATA");
	char path[4096];
	struct vg_buf b;
	struct vg_error err = {0};
	int rc;

	assert_non_null(root);
	snprintf(path, sizeof(path), "%s/vuln/nvd/%s", root, rel);
	vg_buf_init(&b, 0);
	assert_int_equal(vg_buf_read_file(&b, path, 64 << 20, &err), VG_OK);
	rc = nvd_feed_parse(b.data, b.len, rel, f, &err);
	if (rc)
		fprintf(stderr, "%s\n", err.msg);
	assert_int_equal(rc, VG_OK);
	for (size_t i = 0; i < f->n_skipped && i < NVD_MAX_SKIP_MSGS; i++)
		fprintf(stderr, "skipped: %s\n", f->skipped[i]);
	vg_buf_release(&b);
}

static const struct nvd_cve *find(const struct nvd_feed *f, const char *id)
{
	for (size_t i = 0; i < f->n_cves; i++)
		if (strcmp(f->cves[i]->id, id) == 0)
			return f->cves[i];
	fail_msg("%s not found", id);
	return NULL;
}

/* Evaluate a NULL-terminated list of CPEs; *m gets the details. */
static int vuln_v(const struct nvd_cve *cve, struct nvd_match *m, va_list ap)
{
	const char *cpes[16];
	size_t n = 0;
	struct vg_error err = {0};
	int rc;

	while (n < 16 && (cpes[n] = va_arg(ap, const char *)) != NULL)
		n++;
	rc = nvd_config_match(cve, cpes, n, m, &err);
	if (rc)
		fprintf(stderr, "%s\n", err.msg);
	assert_int_equal(rc, VG_OK);
	return m->vulnerable;
}

static int vuln_m(const struct nvd_cve *cve, struct nvd_match *m, ...)
{
	va_list ap;
	int r;
	va_start(ap, m);
	r = vuln_v(cve, m, ap);
	va_end(ap);
	return r;
}

static int vuln(const struct nvd_cve *cve, ...)
{
	struct nvd_match m;
	va_list ap;
	int r;
	va_start(ap, cve);
	r = vuln_v(cve, &m, ap);
	va_end(ap);
	return r;
}

#define VULN(cve, ...) vuln(cve, __VA_ARGS__, (const char *)NULL)

/* ---- every file ---- */

static void walk(const char *dir, const char *rel, size_t *files, size_t *records, size_t *matches,
		 size_t *platforms, size_t *start_incl, size_t *end_excl, size_t *metric[4],
		 size_t *cwes, size_t *refs, size_t *rejected, size_t *en)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[4096], r[2048];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		if (strcmp(e->d_name, "schema") == 0)
			continue;
		if (!strstr(e->d_name, ".json")) {
			walk(path, r, files, records, matches, platforms, start_incl, end_excl,
			     metric, cwes, refs, rejected, en);
			continue;
		}
		/* CPE Match API and CVE history pages are other APIs */
		if (strncmp(e->d_name, "cpe", 3) == 0 || strncmp(e->d_name, "cvehistory", 10) == 0)
			continue;
		struct nvd_feed f;
		load(r, &f);
		assert_int_equal(f.n_skipped, 0);
		(*files)++;
		*records += f.n_cves;
		for (size_t i = 0; i < f.n_cves; i++) {
			const struct nvd_cve *c = f.cves[i];
			for (size_t a = 0; a < c->n_configs; a++)
				for (size_t b = 0; b < c->configs[a].n_nodes; b++)
					for (size_t k = 0; k < c->configs[a].nodes[b].n_matches;
					     k++) {
						const struct nvd_cpe_match *m =
						    &c->configs[a].nodes[b].matches[k];
						(*matches)++;
						*platforms += !m->vulnerable;
						*start_incl += m->start_incl != NULL;
						*end_excl += m->end_excl != NULL;
					}
			for (size_t k = 0; k < c->n_metrics; k++)
				(*metric[c->metrics[k].version])++;
			*cwes += c->n_weaknesses;
			*refs += c->n_refs;
			*rejected += c->withdrawn;
			*en += c->description != NULL;
		}
		nvd_feed_release(&f);
	}
	closedir(d);
}

static void test_all_files(void **state)
{
	const char *root = getenv("VIGIL_SHARED_DATA");
	char dir[4096];
	size_t files = 0, records = 0, matches = 0, platforms = 0, start_incl = 0, end_excl = 0;
	size_t v2 = 0, v30 = 0, v31 = 0, v40 = 0, cwes = 0, refs = 0, rejected = 0, en = 0;
	size_t *metric[4];

	(void)state;
	metric[NVD_CVSS_V2] = &v2;
	metric[NVD_CVSS_V30] = &v30;
	metric[NVD_CVSS_V31] = &v31;
	metric[NVD_CVSS_V40] = &v40;
	snprintf(dir, sizeof(dir), "%s/vuln/nvd", root);
	walk(dir, "", &files, &records, &matches, &platforms, &start_incl, &end_excl, metric, &cwes,
	     &refs, &rejected, &en);
	/* counted independently with jq over the same files */
	assert_int_equal(files, 36);
	assert_int_equal(records, 483);
	assert_int_equal(matches, 1827);
	assert_int_equal(platforms, 116);
	assert_int_equal(start_incl, 221);
	assert_int_equal(end_excl, 354);
	assert_int_equal(v31, 427);
	assert_int_equal(v30, 9);
	assert_int_equal(v2, 215);
	assert_int_equal(v40, 2);
	assert_int_equal(cwes, 610);
	assert_int_equal(refs, 1161);
	assert_int_equal(rejected, 4);
	assert_int_equal(en, 483);
}

/* Every entry of the data, evaluated against CPEs made from itself: an exact
 * criterion matches its own name; an including bound lies in its range and an
 * excluding one does not. */
static void test_self_consistency(void **state)
{
	static const char *const pages[] = {
	    "nvd-go-api-responses/cves-1999.json", "nvd-go-api-responses/cves-2023.json",
	    "vunnel-fixtures/full-page.json", "osv.dev-vulnfeeds/conversion-testdata/test.json"};
	size_t exact = 0, bounds = 0;

	(void)state;
	for (size_t p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
		struct nvd_feed f;
		load(pages[p], &f);
		for (size_t i = 0; i < f.n_cves; i++) {
			const struct nvd_cve *c = f.cves[i];
			for (size_t a = 0; a < c->n_configs; a++)
				for (size_t b = 0; b < c->configs[a].n_nodes; b++)
					for (size_t k = 0; k < c->configs[a].nodes[b].n_matches;
					     k++) {
						const struct nvd_cpe_match *m =
						    &c->configs[a].nodes[b].matches[k];
						struct cpe t;
						struct vg_error err = {0};
						const char *bound;
						int in;

						if (m->cpe.attr[CPE_VERSION].kind == CPE_VALUE &&
						    !m->start_incl && !m->start_excl &&
						    !m->end_incl && !m->end_excl) {
							assert_int_equal(
							    cpe_parse(m->criteria, &t, &err), 0);
							assert_true(cpe_match(&m->cpe, &t));
							assert_int_equal(nvd_match_version(m, &t),
									 1);
							cpe_release(&t);
							exact++;
							continue;
						}
						bound = m->start_incl   ? m->start_incl
							: m->end_incl   ? m->end_incl
							: m->start_excl ? m->start_excl
									: m->end_excl;
						if (!bound || strcmp(bound, "-") == 0)
							continue; /* CVE-2022-4064: see
								     test_dash_bound */
						in = m->start_incl || m->end_incl;
						/* a target with the bound as its version */
						char name[1024];
						snprintf(name, sizeof(name),
							 "cpe:2.3:a:v:p:%s:*:*:*:*:*:*:*", bound);
						if (cpe_parse(name, &t, &err) != VG_OK)
							continue; /* a bound with ':' or spaces */
						struct nvd_cpe_match only = *m;
						if (m->start_incl ||
						    (!m->end_incl && m->start_excl))
							only.end_incl = only.end_excl = NULL;
						else
							only.start_incl = only.start_excl = NULL;
						if (nvd_match_version(&only, &t) != in)
							fail_msg("%s %s: bound %s", c->id,
								 m->criteria, bound);
						cpe_release(&t);
						bounds++;
					}
		}
		nvd_feed_release(&f);
	}
	assert_true(exact > 300);
	assert_true(bounds > 300);
}

/* ---- chosen records ---- */

/* CVE-2020-13595: esp-idf 4.0.0 <= v <= 4.2 AND running on esp32 hardware
 * (vulnerable:false). anchore/grype#1349, DependencyCheck#1827: AND read as
 * OR; DependencyTrack PR#5304: platform nodes ignored. */
static void test_and_platform(void **state)
{
	struct nvd_feed f;
	const struct nvd_cve *c;
	struct nvd_match m;
	char range[128];

	(void)state;
	load("osv.dev-vulnfeeds/nvdcve-2.0/CVE-2020-13595.json", &f);
	c = find(&f, "CVE-2020-13595");
	const char *hw = "cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*";

	assert_true(vuln_m(c, &m, "cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*", hw, NULL));
	assert_int_equal(m.n_configs, 1);
	assert_int_equal(m.first_config, 0);
	assert_int_equal(m.n_evidence, 2);
	assert_int_equal(m.evidence[0].m->vulnerable, 1);
	assert_int_equal(m.evidence[0].cpe, 0);
	assert_string_equal(nvd_range_str(m.evidence[0].m, range, sizeof(range)), ">=4.0.0, <=4.2");
	assert_int_equal(m.evidence[1].m->vulnerable, 0);
	assert_int_equal(m.evidence[1].node, 1);
	assert_int_equal(m.evidence[1].cpe, 1);
	assert_string_equal(m.evidence[1].m->criteria, hw);

	/* without the platform: not vulnerable (AND, not OR) */
	assert_false(VULN(c, "cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*"));
	/* the platform alone never makes anything vulnerable */
	assert_false(VULN(c, hw));
	/* inclusive bounds on both sides */
	assert_true(VULN(c, "cpe:2.3:a:espressif:esp-idf:4.0.0:*:*:*:*:*:*:*", hw));
	assert_true(VULN(c, "cpe:2.3:a:espressif:esp-idf:4.2:*:*:*:*:*:*:*", hw));
	assert_true(VULN(c, "cpe:2.3:a:espressif:esp-idf:4.2.0:*:*:*:*:*:*:*", hw));
	assert_false(VULN(c, "cpe:2.3:a:espressif:esp-idf:4.2.1:*:*:*:*:*:*:*", hw));
	assert_false(VULN(c, "cpe:2.3:a:espressif:esp-idf:3.3.4:*:*:*:*:*:*:*", hw));
	assert_false(VULN(c, "cpe:2.3:a:espressif:esp-idf:4.0.0-rc1:*:*:*:*:*:*:*", hw));
	/* the hardware criterion says version NA: a versioned board is not it */
	assert_false(VULN(c, "cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*",
			  "cpe:2.3:h:espressif:esp32:1.0:*:*:*:*:*:*:*"));
	/* grype#342: same product, other vendor */
	assert_false(VULN(c, "cpe:2.3:a:other:esp-idf:4.1:*:*:*:*:*:*:*", hw));
	/* DependencyTrack#3178: a component CPE with vendor ANY is a SUBSET, not a match */
	assert_false(VULN(c, "cpe:2.3:a:*:esp-idf:4.1:*:*:*:*:*:*:*", hw));
	/* version ANY: cannot be placed in the range */
	assert_false(vuln_m(c, &m, "cpe:2.3:a:espressif:esp-idf:*:*:*:*:*:*:*:*", hw, NULL));
	assert_true(m.undecided);
	nvd_feed_release(&f);
}

/* negate: the same record with the platform node negated means "esp-idf,
 * when NOT on esp32" (no record in the data uses negate). */
static void test_negate(void **state)
{
	struct nvd_feed f;
	struct nvd_cve *c;
	const char *hw = "cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*";
	const char *app = "cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*";

	(void)state;
	load("osv.dev-vulnfeeds/nvdcve-2.0/CVE-2020-13595.json", &f);
	c = f.cves[0];
	assert_int_equal(c->n_configs, 1);
	assert_int_equal(c->configs[0].n_nodes, 2);
	assert_int_equal(c->configs[0].op, NVD_AND);
	assert_false(c->configs[0].nodes[1].negate);
	c->configs[0].nodes[1].negate = 1;
	assert_true(VULN(c, app));
	assert_false(VULN(c, app, hw));
	assert_false(VULN(c, hw));
	/* negating the vulnerable node leaves nothing vulnerable */
	c->configs[0].nodes[1].negate = 0;
	c->configs[0].nodes[0].negate = 1;
	assert_false(VULN(c, hw));
	assert_false(VULN(c, app, hw));
	nvd_feed_release(&f);

	/* and parsed from JSON */
	const char *doc =
	    "{\"id\":\"CVE-0000-0001\",\"configurations\":[{\"operator\":\"AND\",\"nodes\":["
	    "{\"operator\":\"OR\",\"negate\":false,\"cpeMatch\":[{\"vulnerable\":true,"
	    "\"criteria\":\"cpe:2.3:a:x:lib:*:*:*:*:*:*:*:*\",\"versionEndExcluding\":\"2.0\","
	    "\"matchCriteriaId\":\"A\"}]},"
	    "{\"operator\":\"OR\",\"negate\":true,\"cpeMatch\":[{\"vulnerable\":false,"
	    "\"criteria\":\"cpe:2.3:o:x:safe_os:*:*:*:*:*:*:*:*\",\"matchCriteriaId\":\"B\"}]}]}]}";
	struct vg_error err = {0};
	assert_int_equal(nvd_feed_parse(doc, strlen(doc), "inline", &f, &err), VG_OK);
	assert_int_equal(f.n_cves, 1);
	assert_true(f.cves[0]->configs[0].nodes[1].negate);
	assert_true(VULN(f.cves[0], "cpe:2.3:a:x:lib:1.9:*:*:*:*:*:*:*",
			 "cpe:2.3:o:y:other_os:1:*:*:*:*:*:*:*"));
	assert_false(VULN(f.cves[0], "cpe:2.3:a:x:lib:1.9:*:*:*:*:*:*:*",
			  "cpe:2.3:o:x:safe_os:1:*:*:*:*:*:*:*"));
	assert_false(VULN(f.cves[0], "cpe:2.3:a:x:lib:2.0:*:*:*:*:*:*:*"));
	nvd_feed_release(&f);
}

/* CVE-1999-1341: startIncluding/endIncluding, startExcluding/endExcluding and a
 * version-NA criterion in one node. */
static void test_bound_kinds(void **state)
{
	struct nvd_feed f;
	const struct nvd_cve *c;
	struct nvd_match m;

	(void)state;
	load("dependency-track-fixtures/cve-vuln.json", &f);
	c = find(&f, "CVE-1999-1341");
#define K(v) "cpe:2.3:o:linux:linux_kernel:" v ":*:*:*:*:*:*:*"
	assert_false(VULN(c, K("2.1.9")));
	assert_true(VULN(c, K("2.2.0")));
	assert_true(VULN(c, K("2.2.13")));
	assert_false(VULN(c, K("2.2.14")));
	assert_false(VULN(c, K("2.3.0"))); /* start excluding */
	assert_true(VULN(c, K("2.3.1")));
	assert_true(VULN(c, K("2.3.17")));
	assert_false(VULN(c, K("2.3.18"))); /* end excluding */
	assert_false(VULN(c, K("2.4")));
	/* version NA matches the "-" criterion only */
	assert_true(vuln_m(c, &m, K("-"), NULL));
	assert_int_equal(m.n_evidence, 1);
	assert_int_equal(m.evidence[0].match, 2);
	/* version ANY: no criterion can decide */
	assert_false(vuln_m(c, &m, K("*"), NULL));
	assert_true(m.undecided);
	/* another vendor's linux_kernel */
	assert_false(VULN(c, "cpe:2.3:o:other:linux_kernel:2.2.1:*:*:*:*:*:*:*"));
	/* a part mismatch: an application called linux_kernel */
	assert_false(VULN(c, "cpe:2.3:a:linux:linux_kernel:2.2.1:*:*:*:*:*:*:*"));
#undef K
	nvd_feed_release(&f);
}

/* CVE-2022-29194 (TensorFlow): three ranges plus pre-releases listed by update. */
static void test_update_attribute(void **state)
{
	struct nvd_feed f;
	const struct nvd_cve *c;

	(void)state;
	load("osv.dev-vulnfeeds/nvdcve-2.0/CVE-2022-29194.json", &f);
	c = find(&f, "CVE-2022-29194");
#define T(v, u) "cpe:2.3:a:google:tensorflow:" v ":" u ":*:*:*:*:*:*"
	assert_true(VULN(c, T("2.6.3", "*")));
	assert_false(VULN(c, T("2.6.4", "*")));
	assert_false(VULN(c, T("2.6.5", "*")));
	assert_true(VULN(c, T("2.7.0", "*")));
	assert_true(VULN(c, T("2.7.1", "*")));
	assert_false(VULN(c, T("2.7.2", "*")));
	assert_true(VULN(c, T("2.8.0", "*")));
	assert_true(VULN(c, T("2.8.0", "-")));
	assert_false(VULN(c, T("2.8.1", "*")));
	assert_true(VULN(c, T("2.9.0", "rc1")));
	assert_true(VULN(c, T("2.9.0", "rc2")));
	assert_false(VULN(c, T("2.9.0", "rc3")));
	assert_false(VULN(c, T("2.9.0", "*")));
	assert_false(VULN(c, T("2.9.0", "-")));
	/* 2.8.0rc1 is below 2.8.0: outside [2.8.0, 2.8.1) */
	assert_false(VULN(c, T("2.8.0", "rc1")));
#undef T
	nvd_feed_release(&f);

	/* CVE-2023-27314 (ONTAP): versions with and without patch updates */
	load("vunnel-fixtures/full-page.json", &f);
	c = find(&f, "CVE-2023-27314");
#define O(v, u) "cpe:2.3:a:netapp:clustered_data_ontap:" v ":" u ":*:*:*:*:*:*"
	assert_true(VULN(c, O("9.7", "*")));
	assert_true(VULN(c, O("9.7", "p5"))); /* 9.7p5 < 9.8 */
	assert_true(VULN(c, O("9.0", "*")));
	assert_false(VULN(c, O("8.3", "*")));
	assert_true(VULN(c, O("9.8", "-")));
	assert_true(VULN(c, O("9.8", "p7")));
	assert_false(VULN(c, O("9.8", "p8"))); /* not listed; 9.8p8 >= 9.8 */
	assert_false(VULN(c, O("9.9.1", "p4")));
	assert_true(VULN(c, O("9.9.1", "p3")));
	assert_true(VULN(c, O("9.13.0", "-")));
	assert_false(VULN(c, O("9.14.0", "-")));
#undef O
	nvd_feed_release(&f);
}

/* grype PR#2844: ntp "4.2.8p18" written as version 4.2.8 update p18 must not fall
 * below a range ending at 4.2.8p15 (a record in NVD's spelling of ntp). */
static void test_ntp_update(void **state)
{
	const char *doc =
	    "{\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2020-11868\",\"configurations\":[{"
	    "\"nodes\":[{\"operator\":\"OR\",\"negate\":false,\"cpeMatch\":[{\"vulnerable\":true,"
	    "\"criteria\":\"cpe:2.3:a:ntp:ntp:*:*:*:*:*:*:*:*\",\"versionEndExcluding\":"
	    "\"4.2.8\",\"matchCriteriaId\":\"1\"},{\"vulnerable\":true,\"criteria\":"
	    "\"cpe:2.3:a:ntp:ntp:4.2.8:-:*:*:*:*:*:*\",\"matchCriteriaId\":\"2\"},{"
	    "\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:ntp:ntp:4.2.8:p1:*:*:*:*:*:*\","
	    "\"matchCriteriaId\":\"3\"},{\"vulnerable\":true,\"criteria\":"
	    "\"cpe:2.3:a:ntp:ntp:*:*:*:*:*:*:*:*\",\"versionStartIncluding\":\"4.2.8p2\","
	    "\"versionEndExcluding\":\"4.2.8p15\",\"matchCriteriaId\":\"4\"}]}]}]}}],"
	    "\"totalResults\":1,\"startIndex\":0,\"resultsPerPage\":1}";
	struct nvd_feed f;
	struct vg_error err = {0};
	const struct nvd_cve *c;

	(void)state;
	assert_int_equal(nvd_feed_parse(doc, strlen(doc), "inline", &f, &err), VG_OK);
	assert_int_equal(f.total_results, 1);
	c = f.cves[0];
#define N(v, u) "cpe:2.3:a:ntp:ntp:" v ":" u ":*:*:*:*:*:*"
	assert_false(VULN(c, N("4.2.8", "p18")));
	assert_false(VULN(c, N("4.2.8", "p15")));
	assert_true(VULN(c, N("4.2.8", "p14")));
	assert_true(VULN(c, N("4.2.8", "p2")));
	assert_true(VULN(c, N("4.2.8", "p1")));
	assert_true(VULN(c, N("4.2.8", "-")));
	assert_true(VULN(c, N("4.2.7", "p411")));
	assert_false(VULN(c, N("4.2.9", "*")));
#undef N
	nvd_feed_release(&f);
}

/* CVE-2021-0002: AND of firmware (target_sw linux) and hardware, plus two
 * configurations naming fedora 35 twice ("duplicate exact version matches"). */
static void test_several_configs(void **state)
{
	struct nvd_feed f;
	const struct nvd_cve *c;
	struct nvd_match m;
	const char *hw = "cpe:2.3:h:intel:ethernet_controller_e810:-:*:*:*:*:*:*:*";

	(void)state;
	load("dependency-track-fixtures/CVE-2021-0002-duplicate-exact-version-matches.json", &f);
	c = find(&f, "CVE-2021-0002");
	assert_int_equal(c->n_configs, 3);
	assert_true(vuln_m(
	    c, &m, "cpe:2.3:o:intel:ethernet_controller_e810_firmware:1.4.10:*:*:*:*:linux:*:*", hw,
	    NULL));
	assert_int_equal(m.n_configs, 1);
	assert_false(VULN(
	    c, "cpe:2.3:o:intel:ethernet_controller_e810_firmware:1.4.11:*:*:*:*:linux:*:*", hw));
	/* target_sw differs */
	assert_false(VULN(
	    c, "cpe:2.3:o:intel:ethernet_controller_e810_firmware:1.4.10:*:*:*:*:windows:*:*", hw));
	assert_true(vuln_m(c, &m, "cpe:2.3:o:fedoraproject:fedora:35:*:*:*:*:*:*:*", NULL));
	assert_int_equal(m.n_configs, 2);
	assert_int_equal(m.first_config, 1);
	assert_int_equal(m.n_evidence, 2);
	assert_int_equal(m.evidence[0].config, 1);
	assert_int_equal(m.evidence[0].match, 2);
	assert_int_equal(m.evidence[1].config, 2);
	assert_true(VULN(c, "cpe:2.3:o:fedoraproject:fedora:33:*:*:*:*:*:*:*"));
	assert_false(VULN(c, "cpe:2.3:o:fedoraproject:fedora:36:*:*:*:*:*:*:*"));
	nvd_feed_release(&f);
}

/* CVE-2022-43308: firmware "-" AND hardware "-", two devices. A firmware and
 * the other device's hardware satisfy neither configuration. DependencyTrack#3268:
 * a "-" criterion is not "every version". */
static void test_devices(void **state)
{
	struct nvd_feed f;
	const struct nvd_cve *c;
	struct nvd_match m;

	(void)state;
	load("nvd-go-api-responses/cves-2023.json", &f);
	c = find(&f, "CVE-2022-43308");
	assert_true(vuln_m(c, &m, "cpe:2.3:o:intelbras:sg_2404_poe_firmware:-:*:*:*:*:*:*:*",
			   "cpe:2.3:h:intelbras:sg_2404_poe:-:*:*:*:*:*:*:*", NULL));
	assert_int_equal(m.first_config, 0);
	assert_true(vuln_m(c, &m, "cpe:2.3:o:intelbras:sg_2404_mr_firmware:-:*:*:*:*:*:*:*",
			   "cpe:2.3:h:intelbras:sg_2404_mr:-:*:*:*:*:*:*:*", NULL));
	assert_int_equal(m.first_config, 1);
	assert_false(VULN(c, "cpe:2.3:o:intelbras:sg_2404_mr_firmware:-:*:*:*:*:*:*:*",
			  "cpe:2.3:h:intelbras:sg_2404_poe:-:*:*:*:*:*:*:*"));
	assert_false(VULN(c, "cpe:2.3:o:intelbras:sg_2404_poe_firmware:1.0:*:*:*:*:*:*:*",
			  "cpe:2.3:h:intelbras:sg_2404_poe:-:*:*:*:*:*:*:*"));
	nvd_feed_release(&f);

	/* CVE-1999-0234: two vulnerable nodes under AND, and an AND over one node */
	load("nvd-go-api-responses/cves-1999.json", &f);
	c = find(&f, "CVE-1999-0234");
	assert_false(VULN(c, "cpe:2.3:o:yggdrasil:linux:1.0:*:*:*:*:*:*:*"));
	assert_true(VULN(c, "cpe:2.3:o:yggdrasil:linux:1.0:*:*:*:*:*:*:*",
			 "cpe:2.3:o:sgi:irix:6.5:*:*:*:*:*:*:*"));
	assert_true(VULN(c, "cpe:2.3:o:redhat:linux:3.0.3:*:*:*:*:*:*:*"));
	assert_false(VULN(c, "cpe:2.3:o:redhat:linux:3.0.4:*:*:*:*:*:*:*"));
	nvd_feed_release(&f);
}

/* CVE-2023-0001: software edition in the criteria, AND Windows. */
static void test_sw_edition(void **state)
{
	struct nvd_feed f;
	const struct nvd_cve *c;
	const char *win = "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*";

	(void)state;
	load("nvd-go-api-responses/cves-CVE-2023-0001.json", &f);
	c = find(&f, "CVE-2023-0001");
#define X(v, e) "cpe:2.3:a:paloaltonetworks:cortex_xdr_agent:" v ":*:*:*:" e ":*:*:*"
	assert_true(VULN(c, X("7.5.100", "critical_environment"), win));
	assert_true(VULN(c, X("7.5", "critical_environment"), win));
	assert_false(VULN(c, X("7.5.101", "critical_environment"), win));
	assert_false(VULN(c, X("7.4.9", "critical_environment"), win));
	assert_false(VULN(c, X("7.5.100", "standard"), win));
	assert_false(VULN(c, X("7.5.100", "*"), win)); /* ANY is a SUBSET */
	assert_false(VULN(c, X("7.5.100", "critical_environment"),
			  "cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*"));
#undef X
	nvd_feed_release(&f);
}

/* fkie-cad/nvd-json-data-feeds#27: escaped characters in criteria
 * (CVE-2022-43138, "dolibarr_erp\/crm"). */
static void test_escapes(void **state)
{
	struct nvd_feed f;
	const struct nvd_cve *c;

	(void)state;
	load("nvd-go-api-responses/cves-2023.json", &f);
	c = find(&f, "CVE-2022-43138");
	assert_string_equal(c->configs[0].nodes[0].matches[0].criteria,
			    "cpe:2.3:a:dolibarr:dolibarr_erp\\/crm:*:*:*:*:*:*:*:*");
	assert_true(VULN(c, "cpe:2.3:a:dolibarr:dolibarr_erp\\/crm:14.0.0:*:*:*:*:*:*:*"));
	assert_true(VULN(c, "cpe:/a:dolibarr:dolibarr_erp%2fcrm:13.0.2"));
	assert_false(VULN(c, "cpe:2.3:a:dolibarr:dolibarr_erp\\/crm:14.0.1:*:*:*:*:*:*:*"));
	assert_false(VULN(c, "cpe:2.3:a:dolibarr:dolibarr_erp_crm:14.0.0:*:*:*:*:*:*:*"));
	assert_false(VULN(c, "cpe:2.3:a:dolibarr:dolibarr_erp:14.0.0:*:*:*:*:*:*:*"));
	nvd_feed_release(&f);

	/* Cisco IOS versions with escaped parentheses: exact criteria */
	load("nvd-go-api-responses/cves-1999.json", &f);
	size_t found = 0;
	for (size_t i = 0; i < f.n_cves; i++)
		for (size_t a = 0; a < f.cves[i]->n_configs; a++)
			for (size_t b = 0; b < f.cves[i]->configs[a].n_nodes; b++)
				for (size_t k = 0; k < f.cves[i]->configs[a].nodes[b].n_matches;
				     k++)
					if (strcmp(
						f.cves[i]->configs[a].nodes[b].matches[k].criteria,
						"cpe:2.3:o:cisco:ios:10.3\\(3.4\\):*:*:*:*:*:*:"
						"*") == 0) {
						assert_true(VULN(
						    f.cves[i], "cpe:2.3:o:cisco:ios:10.3\\(3.4\\):"
							       "*:*:*:*:*:*:*"));
						found++;
					}
	assert_true(found >= 1);
	nvd_feed_release(&f);
}

/* CVE-2022-4064: NVD wrote versionStartIncluding "-" (no lower bound). */
static void test_dash_bound(void **state)
{
	struct nvd_feed f;
	const struct nvd_cve *c;

	(void)state;
	load("nvd-go-api-responses/cves-2023.json", &f);
	c = find(&f, "CVE-2022-4064");
	assert_string_equal(c->configs[0].nodes[0].matches[0].start_incl, "-");
#define D(v) "cpe:2.3:a:dalli_project:dalli:" v ":*:*:*:*:ruby:*:*"
	assert_true(VULN(c, D("0.1")));
	assert_true(VULN(c, D("3.2.2")));
	assert_false(VULN(c, D("3.2.3")));
	assert_false(VULN(c, D("-")));
	assert_false(VULN(c, "cpe:2.3:a:dalli_project:dalli:3.2.2:*:*:*:*:python:*:*"));
#undef D
	nvd_feed_release(&f);
}

/* CVE-2022-31022: every version vulnerable (criteria version ANY, no bounds). */
static void test_all_versions(void **state)
{
	struct nvd_feed f;
	const struct nvd_cve *c;
	struct nvd_match m;

	(void)state;
	load("dependency-track-fixtures/CVE-2022-31022-all-versions-vulnerable.json", &f);
	c = find(&f, "CVE-2022-31022");
	assert_true(VULN(c, "cpe:2.3:a:couchbase:bleve:2.3.2:*:*:*:*:*:*:*"));
	assert_true(VULN(c, "cpe:2.3:a:couchbase:bleve:-:*:*:*:*:*:*:*"));
	assert_true(vuln_m(c, &m, "cpe:2.3:a:couchbase:bleve:*:*:*:*:*:*:*:*", NULL));
	assert_false(m.undecided);
	/* nvdtools#188: a query with vendor ANY is not a match */
	assert_false(VULN(c, "cpe:2.3:a:*:bleve:2.3.2:*:*:*:*:*:*:*"));
	assert_false(VULN(c, "cpe:2.3:a:couchbase:bleve_search:2.3.2:*:*:*:*:*:*:*"));
	nvd_feed_release(&f);
}

/* Fields of one record, checked exactly. */
static void test_fields(void **state)
{
	struct nvd_feed f;
	const struct nvd_cve *c;
	size_t i, v31 = 0, v40 = 0;

	(void)state;
	load("dependency-track-fixtures/CVE-2017-5638-cvssv4-rating.json", &f);
	assert_int_equal(f.n_cves, 1);
	assert_int_equal(f.total_results, -1);
	c = f.cves[0];
	assert_string_equal(c->id, "CVE-2017-5638");
	assert_non_null(c->description);
	assert_true(strstr(c->description, "Jakarta Multipart parser") != NULL);
	for (i = 0; i < c->n_metrics; i++) {
		if (c->metrics[i].version == NVD_CVSS_V40) {
			v40++;
			assert_true(strncmp(c->metrics[i].vector, "CVSS:4.0/", 9) == 0);
		}
		if (c->metrics[i].version == NVD_CVSS_V31) {
			v31++;
			if (c->metrics[i].primary) {
				assert_string_equal(c->metrics[i].vector,
						    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
				assert_true(c->metrics[i].base_score == 10.0 ||
					    c->metrics[i].base_score == 9.8);
				assert_non_null(c->metrics[i].base_severity);
			}
		}
	}
	assert_int_equal(v40, 1);
	assert_int_equal(v31, 0);
	assert_int_equal(c->n_metrics, 1);
	assert_string_equal(c->metrics[0].vector,
			    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H");
	assert_true(c->metrics[0].base_score == 10.0);
	assert_string_equal(c->metrics[0].base_severity, "CRITICAL");
	assert_string_equal(c->metrics[0].source, "nvd@nist.gov");
	assert_true(c->metrics[0].primary);
	assert_true(c->n_weaknesses >= 1);
	assert_string_equal(c->weaknesses[0].cwe, "CWE-20");
	assert_int_equal(c->n_refs, 1);
	assert_string_equal(c->cisa_exploit_add, "2021-11-03");
	assert_string_equal(c->cisa_action_due, "2022-05-03");
	assert_string_equal(c->published, "2017-03-11T02:59:00.150");
	assert_string_equal(c->last_modified, "2021-02-24T12:15:16.283");
	assert_false(c->withdrawn);
	nvd_feed_release(&f);

	/* rejected records are withdrawn */
	load("nvd-go-api-responses/cves-2023.json", &f);
	assert_int_equal(f.n_cves, 200);
	assert_int_equal(f.total_results, 220499);
	assert_int_equal(f.start_index, 200000);
	assert_string_equal(f.timestamp, "2023-07-18T06:46:32.267");
	c = find(&f, "CVE-2022-44577");
	assert_true(c->withdrawn);
	assert_string_equal(c->vuln_status, "Rejected");
	assert_int_equal(c->n_configs, 0);
	c = find(&f, "CVE-2022-43138");
	assert_false(c->withdrawn);
	nvd_feed_release(&f);
}

/* Version order for CPE versions. */
static void test_version_order(void **state)
{
	static const struct {
		const char *a, *b;
		int r;
	} v[] = {
	    {"1.0", "1.0.0", 0},
	    {"7.5", "7.5.0", 0},
	    {"v1.2.3", "1.2.3", 0},
	    {"2.8.123e", "2.8.75", 1},    /* DependencyTrack#2803 */
	    {"6.0.3.4", "6.0.3.1", 1},    /* trivy#702: not SemVer build metadata */
	    {"1.8.0_241", "1.8.0_31", 1}, /* Java updates */
	    {"1.8.0.241", "1.8.0_241", 0},
	    {"11.0.28+6", "1.8.0_241", 1}, /* grype#2866 */
	    {"4.2.8p18", "4.2.8p15", 1},
	    {"4.2.8p1", "4.2.8", 1},
	    {"4.2.8", "4.2.7p411", 1},
	    {"1.0.2k", "1.0.2", 1}, /* OpenSSL letters are releases */
	    {"1.0.2zh", "1.0.2k", 1},
	    {"1.1.0", "1.0.2zh", 1},
	    {"1.0rc1", "1.0", -1},
	    {"1.0-rc1", "1.0", -1},
	    {"1.0.0-beta.2", "1.0.0-beta.11", -1}, /* SemVer order */
	    {"1.0.0-alpha", "1.0.0-beta", -1},
	    {"1.0rc1", "1.0a", -1},
	    {"2.0.0-1", "2.0.0", 1}, /* a package revision, not a pre-release */
	    {"10.3(3.4)", "10.3(4.2)", -1},
	    {"9.10.1", "9.9.1", 1},
	    {"2021.03.01", "2021.3.1", 0},
	    {"0001", "1", 0},
	    {"12345678901234567890123", "12345678901234567890124", -1},
	    {"", "0", 0},
	    {"1.0", "1.0.0.0.1", -1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int r = nvd_version_cmp(v[i].a, v[i].b);
		int back = nvd_version_cmp(v[i].b, v[i].a);
		if (r != v[i].r || back != -v[i].r)
			fail_msg("%s vs %s: %d/%d, expected %d", v[i].a, v[i].b, r, back, v[i].r);
	}
}

/* Bad input: a bad record is skipped and named; the rest of the page stays. */
static void test_bad_records(void **state)
{
	const char *page =
	    "{\"vulnerabilities\":["
	    "{\"cve\":{\"id\":\"CVE-1\",\"configurations\":[{\"nodes\":[{\"operator\":\"OR\","
	    "\"cpeMatch\":[{\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:x:y:*:*:*:*:*:*:*\","
	    "\"matchCriteriaId\":\"M\"}]}]}]}},"
	    "{\"cve\":{\"id\":\"CVE-2\",\"configurations\":[{\"nodes\":[{\"operator\":\"XOR\","
	    "\"cpeMatch\":[]}]}]}},"
	    "{\"cve\":{\"id\":\"CVE-3\",\"metrics\":{\"cvssMetricV31\":[{\"cvssData\":{"
	    "\"vectorString\":\"CVSS:3.1/AV:N\",\"baseScore\":\"9\"}}]}}},"
	    "{\"cve\":{\"id\":\"CVE-4\",\"descriptions\":[{\"lang\":\"en\",\"value\":\"ok\"}]}},"
	    "{\"nocve\":1},"
	    "{\"cve\":{\"configurations\":[]}}"
	    "]}";
	struct nvd_feed f;
	struct vg_error err = {0};

	(void)state;
	assert_int_equal(nvd_feed_parse(page, strlen(page), "page.json", &f, &err), VG_OK);
	assert_int_equal(f.n_cves, 1);
	assert_string_equal(f.cves[0]->id, "CVE-4");
	assert_string_equal(f.cves[0]->description, "ok");
	assert_int_equal(f.n_skipped, 5);
	assert_non_null(strstr(f.skipped[0], "page.json"));
	assert_non_null(strstr(f.skipped[0], "CVE-1"));
	assert_non_null(strstr(f.skipped[0],
			       "/vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0"
			       "/criteria"));
	assert_non_null(strstr(f.skipped[1], "CVE-2"));
	assert_non_null(strstr(f.skipped[1], "/vulnerabilities/1/cve/configurations/0/nodes/0"
					     "/operator: expected \"AND\" or \"OR\""));
	assert_non_null(strstr(f.skipped[2], "/vulnerabilities/2/cve/metrics/cvssMetricV31/0"
					     "/cvssData/baseScore: expected a number"));
	assert_non_null(strstr(f.skipped[3], "/vulnerabilities/4: expected an object with"));
	assert_non_null(strstr(f.skipped[4], "/vulnerabilities/5/cve: required member \"id\""));
	nvd_feed_release(&f);

	/* whole-document failures */
	static const char *const bad[] = {"",           "[]",
					  "{\"x\":1}",  "{\"vulnerabilities\":{}}",
					  "{\"id\":5}", "{\"vulnerabilities\":[",
					  "\"str\""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vg_error_clear(&err);
		assert_int_equal(nvd_feed_parse(bad[i], strlen(bad[i]), "bad.json", &f, &err),
				 VG_EPARSE);
		assert_non_null(strstr(err.msg, "bad.json"));
		nvd_feed_release(&f);
	}

	/* a CPE given to the matcher that does not parse */
	const char *one = "{\"id\":\"CVE-5\"}";
	assert_int_equal(nvd_feed_parse(one, strlen(one), "one.json", &f, &err), VG_OK);
	const char *cpes[] = {"cpe:2.3:a:x"};
	struct nvd_match m;
	assert_int_equal(nvd_config_match(f.cves[0], cpes, 1, &m, &err), VG_EPARSE);
	assert_false(m.vulnerable);
	nvd_feed_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_files),     cmocka_unit_test(test_self_consistency),
	    cmocka_unit_test(test_and_platform),  cmocka_unit_test(test_negate),
	    cmocka_unit_test(test_bound_kinds),   cmocka_unit_test(test_update_attribute),
	    cmocka_unit_test(test_ntp_update),    cmocka_unit_test(test_several_configs),
	    cmocka_unit_test(test_devices),       cmocka_unit_test(test_sw_edition),
	    cmocka_unit_test(test_escapes),       cmocka_unit_test(test_dash_bound),
	    cmocka_unit_test(test_all_versions),  cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_version_order), cmocka_unit_test(test_bad_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
