/*
 * test_sbom_validate.c - SBOM schema validation (src/sbom/validate.h) on the
 * official CycloneDX conformance suite and the SPDX documents of
 * $VIGIL_SHARED_DATA/sbom, plus malformed input.
 *
 * CycloneDX: every valid-* file of test-resources/1.0 to 1.7 (JSON and XML)
 * must validate, every invalid-* file must be refused. The counts per
 * version were taken with `ls <v> | grep -c '^valid-.*\.json$'` (and the same
 * for xml / invalid-) and agree with SOURCES.md. Not asserted, by name:
 *  - 1.2/skip_invalid-empty-component-1.2.json,
 *    1.2/skip_invalid-missing-component-type-1.2.json: upstream skips them
 *    too (the 1.2 JSON schema does not forbid what they test).
 *  - 1.7/informal-invalid-component-versionRange-non-external-{explicit,
 *    implicit}.xml: invalid by the spec text only; no schema can catch them
 *    (SOURCES.md). They are checked to pass the XSD, which documents that.
 * SPDX: spdx-tools-java's SPDXJSONExample-wrongversion.spdx.json (a 2.3
 * document labelled SPDX-2.2) cannot be refused by the 2.3 schema; see
 * test_spdx_invalid.
 *
 * CycloneDX schemas come from the build tree's copy (<build>/share/vigil/schemas,
 * taken from the npm package @cyclonedx/cyclonedx-library at build time)
 * unless VIGIL_SBOM_SCHEMA_DIR is set; the SPDX
 * 2.3 schema from $VIGIL_SHARED_DATA/sbom/spdx-spec/v2.3.1/schemas (no
 * package ships it).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/buf.h"
#include "core/config.h"
#include "sbom/validate.h"

static const char *shared(void)
{
	const char *base = getenv("VIGIL_SHARED_DATA");
	return base ? base : "../shared/data";
}

static char *data_path(const char *rel)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/sbom/%s", shared(), rel);
	return path;
}

/* Validate the file at path; returns the code, *v filled (caller releases). */
static int validate_path(const char *path, const char *name, struct sbom_validation *v,
			 struct vg_error *err)
{
	struct vg_buf b;
	int rc;
	vg_buf_init(&b, 0);
	if (vg_buf_read_file(&b, path, 0, err) != VG_OK)
		fail_msg("cannot read %s: %s", path, err->msg);
	rc = sbom_validate(b.data, b.len, name, v, err);
	vg_buf_release(&b);
	return rc;
}

static int validate_rel(const char *rel, struct sbom_validation *v, struct vg_error *err)
{
	return validate_path(data_path(rel), rel, v, err);
}

static int validate_str(const char *s, struct sbom_validation *v, struct vg_error *err)
{
	return sbom_validate(s, strlen(s), "mem.json", v, err);
}

static int ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

struct counts {
	size_t valid_json, valid_xml, invalid_json, invalid_xml;
};

static void run_version(const char *ver, struct counts *c)
{
	char dir[4096];
	DIR *d;
	struct dirent *e;
	size_t wrong = 0;

	snprintf(dir, sizeof(dir), "%s", data_path("cyclonedx-specification/test-resources/"));
	strncat(dir, ver, sizeof(dir) - strlen(dir) - 1);
	d = opendir(dir);
	assert_non_null(d);
	memset(c, 0, sizeof(*c));
	while ((e = readdir(d))) {
		char path[8192];
		struct sbom_validation v;
		struct vg_error err = {0};
		int valid = !strncmp(e->d_name, "valid-", 6);
		int invalid = !strncmp(e->d_name, "invalid-", 8);
		int xml = ends_with(e->d_name, ".xml");
		int rc;
		if (!valid && !invalid)
			continue;
		if (!xml && !ends_with(e->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		rc = validate_path(path, e->d_name, &v, &err);
		if (valid && rc != VG_OK) {
			print_message("%s/%s should be valid: %s\n", ver, e->d_name, err.msg);
			wrong++;
		} else if (invalid && rc != VG_EPARSE) {
			print_message("%s/%s should be refused: rc=%d %s\n", ver, e->d_name, rc,
				      err.msg);
			wrong++;
		} else if (invalid) {
			/* a refusal always says where and what */
			assert_true(v.n_errors > 0);
			assert_non_null(strstr(err.msg, e->d_name));
			if (xml)
				assert_null(v.errors[0].pointer);
			else
				assert_non_null(v.errors[0].pointer);
			assert_non_null(strstr(v.errors[0].message, "expected"));
		}
		if (rc == VG_OK || rc == VG_EPARSE) {
			/* the detected version is the folder's (invalid-namespace-*: none) */
			if (!(invalid && !v.spec_version[0]))
				assert_string_equal(v.spec_version, ver);
			if (v.format != SBOM_FORMAT_CYCLONEDX &&
			    !(invalid && !strncmp(e->d_name, "invalid-namespace-", 18)))
				fail_msg("%s/%s: format %d: %s", ver, e->d_name, (int)v.format,
					 err.msg);
		}
		if (valid)
			xml ? c->valid_xml++ : c->valid_json++;
		else
			xml ? c->invalid_xml++ : c->invalid_json++;
		sbom_validation_release(&v);
	}
	closedir(d);
	assert_int_equal(wrong, 0);
}

static void check_counts(const char *ver, size_t vj, size_t vx, size_t ij, size_t ix)
{
	struct counts c;
	run_version(ver, &c);
	assert_int_equal(c.valid_json, vj);
	assert_int_equal(c.valid_xml, vx);
	assert_int_equal(c.invalid_json, ij);
	assert_int_equal(c.invalid_xml, ix);
}

static void test_cdx_1_0_and_1_1_xml(void **state)
{
	(void)state;
	check_counts("1.0", 0, 2, 0, 0);
	check_counts("1.1", 0, 12, 0, 17);
}

static void test_cdx_1_2(void **state)
{
	(void)state;
	check_counts("1.2", 21, 24, 19, 23);
}

static void test_cdx_1_3(void **state)
{
	(void)state;
	check_counts("1.3", 26, 29, 22, 24);
}

static void test_cdx_1_4(void **state)
{
	(void)state;
	check_counts("1.4", 29, 31, 22, 24);
}

static void test_cdx_1_5(void **state)
{
	(void)state;
	check_counts("1.5", 36, 38, 22, 24);
}

static void test_cdx_1_6(void **state)
{
	(void)state;
	check_counts("1.6", 45, 47, 25, 27);
}

static void test_cdx_1_7(void **state)
{
	(void)state;
	struct sbom_validation v;
	struct vg_error err = {0};
	check_counts("1.7", 61, 63, 29, 28);
	/* informal-invalid: the XSD cannot see what makes them invalid */
	assert_int_equal(
	    validate_rel("cyclonedx-specification/test-resources/1.7/"
			 "informal-invalid-component-versionRange-non-external-explicit.xml",
			 &v, &err),
	    VG_OK);
	sbom_validation_release(&v);
}

static void test_cdx_error_details(void **state)
{
	(void)state;
	struct sbom_validation v;
	struct vg_error err = {0};
	struct vg_buf b = VG_BUF_INIT;

	/* bomFormat is an enum of one value */
	assert_int_equal(validate_rel("cyclonedx-specification/test-resources/1.6/"
				      "invalid-bomformat-1.6.json",
				      &v, &err),
			 VG_EPARSE);
	assert_int_equal(v.encoding, SBOM_ENC_JSON);
	assert_true(v.schema_checked);
	assert_non_null(strstr(v.schema, "bom-1.6"));
	/* named by its name, never by the server's folder */
	assert_int_equal(strncmp(v.schema, "http://cyclonedx.org/schema/bom-1.6.", 36), 0);
	assert_string_equal(v.errors[0].pointer, "/bomFormat");
	assert_non_null(strstr(v.errors[0].message, "expected"));
	assert_int_equal(sbom_validation_error_text(&v, 0, &b), VG_OK);
	assert_non_null(strstr(b.data, "invalid-bomformat-1.6.json: /bomFormat: expected"));
	vg_buf_release(&b);

	json_t *j = sbom_validation_to_json(&v);
	assert_non_null(j);
	assert_string_equal(vg_json_str(j, "format"), "cyclonedx");
	assert_string_equal(vg_json_str(j, "spec_version"), "1.6");
	assert_true(json_is_false(json_object_get(j, "valid")));
	assert_string_equal(vg_json_str(json_array_get(json_object_get(j, "errors"), 0), "pointer"),
			    "/bomFormat");
	json_decref(j);
	sbom_validation_release(&v);

	/* XML errors carry a line */
	assert_int_equal(validate_rel("cyclonedx-specification/test-resources/1.6/"
				      "invalid-component-type-1.6.xml",
				      &v, &err),
			 VG_EPARSE);
	assert_int_equal(v.encoding, SBOM_ENC_XML);
	assert_true(v.errors[0].line > 1);
	assert_non_null(strstr(err.msg, "line "));
	sbom_validation_release(&v);
}

static void test_real_sboms(void **state)
{
	(void)state;
	struct sbom_validation v;
	struct vg_error err = {0};
	const char *ok[] = {
	    "cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json",
	    "cyclonedx-node-npm/sbom_demo-results/bare/"
	    "juice-shop_npm12_node24_ubuntu-latest.snap.json",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (validate_rel(ok[i], &v, &err) != VG_OK)
			fail_msg("%s", err.msg);
		sbom_validation_release(&v);
	}
	/* SOURCES.md: metadata.component without name; element order (253 errors) */
	assert_int_equal(validate_rel("dependency-track/unit/bom-issue3371.json", &v, &err),
			 VG_EPARSE);
	sbom_validation_release(&v);
	assert_int_equal(validate_rel("dependency-track/unit/bom-issue2519.xml", &v, &err),
			 VG_EPARSE);
	assert_int_equal(v.n_errors, 253); /* every violation is listed */
	assert_int_equal(v.n_dropped, 0);
	sbom_validation_release(&v);
	/* guac: bomFormat "CDX", truncated XML */
	assert_int_equal(validate_rel("guac/exampledata/invalid-cyclonedx.json", &v, &err),
			 VG_EPARSE);
	sbom_validation_release(&v);
	assert_int_equal(validate_rel("guac/exampledata/invalid-cyclonedx.xml", &v, &err),
			 VG_EPARSE);
	assert_non_null(strstr(err.msg, "well-formed"));
	sbom_validation_release(&v);
}

/* ------------------------------------------------------------------ SPDX */

/* The SPDX 2.3 and 3.0.1 schemas the build copies beside the CycloneDX ones
 * (the default when sbom.spdx_schema_dir is not set). */
static int setup_spdx(void **state)
{
	(void)state;
	vg_config_set("sbom.spdx_schema_dir", VIGIL_SCHEMA_DIR "/../spdx");
	return 0;
}

/* Every SPDX 2 JSON / tag-value / SPDX 3 JSON-LD file under dir must validate. */
static size_t walk_valid(const char *dir, const char *rel, size_t *n3)
{
	char path[4096];
	DIR *d;
	struct dirent *e;
	size_t n = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	d = opendir(path);
	assert_non_null(d);
	while ((e = readdir(d))) {
		char sub[4096], full[8192];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		snprintf(full, sizeof(full), "%s/%s", dir, sub);
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			n += walk_valid(dir, sub, n3);
			continue;
		}
		if (!ends_with(e->d_name, ".json") && !ends_with(e->d_name, ".spdx") &&
		    !ends_with(e->d_name, ".jsonld"))
			continue;
		struct sbom_validation v;
		struct vg_error err = {0};
		if (validate_path(full, sub, &v, &err) != VG_OK)
			fail_msg("%s should be valid: %s", sub, err.msg);
		assert_int_equal(v.format, SBOM_FORMAT_SPDX);
		if (!strcmp(v.spec_version, "3.0.1"))
			(*n3)++;
		else if (v.encoding == SBOM_ENC_JSON)
			assert_true(v.schema_checked);
		n++;
		sbom_validation_release(&v);
	}
	closedir(d);
	return n;
}

static void test_spdx_valid(void **state)
{
	(void)state;
	char dir[4096];
	size_t n3 = 0, n;
	/* SOURCES.md: 12 + 7 + 10 SPDX 2 files and 25 SPDX 3.0.1 files; all pass */
	snprintf(dir, sizeof(dir), "%s/sbom/spdx-examples", shared());
	n = walk_valid(dir, "", &n3);
	assert_int_equal(n, 12 + 7 + 10 + 25);
	assert_int_equal(n3, 25);
	/* SOURCES.md: all 45 bsi/spdx files pass the SPDX 2.3 schema */
	snprintf(dir, sizeof(dir), "%s/sbom/sbomqs/testdata/bsi/spdx", shared());
	n3 = 0;
	assert_int_equal(walk_valid(dir, "", &n3), 45);
	assert_int_equal(n3, 0);
	/* the official example, JSON and tag-value */
	snprintf(dir, sizeof(dir), "%s/sbom/spdx-spec/v2.3.1/examples", shared());
	assert_int_equal(walk_valid(dir, "", &n3), 2);
}

static void test_spdx_invalid(void **state)
{
	(void)state;
	struct sbom_validation v;
	struct vg_error err = {0};
	static const struct {
		const char *rel, *pointer;
	} bad[] = {
	    /* creators given as a string, filesAnalyzed as a string */
	    {"spdx-tools-java/testResources/BadJSON.spdx.json", NULL},
	    /* spdxVersion "SPDX-2.2.1" */
	    {"spdx-tools-java/testResources/SPDXWrongVersion.spdx.json", "/spdxVersion"},
	    /* spdxVersion: 2 */
	    {"guac/exampledata/invalid-spdx.json", "/spdxVersion"},
	    /* a package without downloadLocation (SOURCES.md: schema-invalid) */
	    {"bom-shelter/in-the-lab/spdx-popular-containers/spdx-trivy-bitnami_laravel.spdx.json",
	     NULL},
	    {"spdx-tools-python/tests/spdx/data/invalid/"
	     "spdx-trivy-vmware_log-intelligence-fluentd-sha256_"
	     "086af034f561f343f633be9d9f9e95f65ae6c61b8ddb2c6755ef5bb25b40f53a.json",
	     NULL},
	    /* old Syft output: files without checksums */
	    {"guac/exampledata/alpine-spdx.json", NULL},
	    {"guac/exampledata/oci-spdx.json", NULL},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = validate_rel(bad[i].rel, &v, &err);
		if (rc != VG_EPARSE)
			fail_msg("%s should be refused, rc=%d", bad[i].rel, rc);
		assert_true(v.n_errors > 0);
		if (bad[i].pointer)
			assert_string_equal(v.errors[0].pointer, bad[i].pointer);
		sbom_validation_release(&v);
	}
	/* BadJSON: the schema names both places */
	assert_int_equal(validate_rel("spdx-tools-java/testResources/BadJSON.spdx.json", &v, &err),
			 VG_EPARSE);
	int creators = 0, analyzed = 0;
	for (size_t i = 0; i < v.n_errors; i++) {
		if (v.errors[i].pointer && !strcmp(v.errors[i].pointer, "/creationInfo/creators"))
			creators = 1;
		if (v.errors[i].pointer && strstr(v.errors[i].pointer, "/filesAnalyzed"))
			analyzed = 1;
	}
	assert_true(creators && analyzed);
	sbom_validation_release(&v);

	/*
	 * SPDXJSONExample-wrongversion.spdx.json says SPDX-2.2 but is the 2.3
	 * example (2.3-only fields). With the official 2.2 schema installed it
	 * is refused; without it (shared data has none) the 2.3 schema checks
	 * it and accepts it, and the result names that schema, so the gap
	 * stays visible.
	 */
	int has22 = access(VIGIL_SCHEMA_DIR "/../spdx/spdx-2.2-schema.json", F_OK) == 0;
	assert_int_equal(
	    validate_rel("spdx-tools-java/testResources/SPDXJSONExample-wrongversion.spdx.json", &v,
			 &err),
	    has22 ? VG_EPARSE : VG_OK);
	assert_string_equal(v.spec_version, "2.2");
	if (has22) {
		assert_false(v.valid);
		assert_string_equal(v.schema, "spdx-2.2-schema.json");
	} else {
		assert_true(v.valid);
		assert_string_equal(v.schema, "spdx-schema.json");
	}
	sbom_validation_release(&v);

	/* UTF-16 is not UTF-8: refused before any parsing, in all encodings */
	const char *utf16[] = {"SPDXJSONExample-UTF-16.spdx.json", "SPDXTagExample-UTF-16.spdx",
			       "SPDXXMLExample-UTF-16.spdx.xml"};
	for (size_t i = 0; i < 3; i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "spdx-tools-python/tests/spdx/data/%s", utf16[i]);
		assert_int_equal(validate_rel(rel, &v, &err), VG_EPARSE);
		assert_non_null(strstr(err.msg, "UTF"));
		sbom_validation_release(&v);
	}
}

/*
 * A 2.2 document goes to spdx-2.2-schema.json when the schema folder has one,
 * a 2.3 document to spdx-schema.json: a folder whose 2.2 schema requires a
 * property no document has shows which one ran.
 */
static void test_spdx22_schema_routing(void **state)
{
	char dir[] = "/tmp/vigil-spdx22-XXXXXX", path[512];
	struct sbom_validation v = {0};
	struct vg_error err = {0};
	FILE *f;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/spdx-schema.json", dir);
	assert_int_equal(symlink(VIGIL_SCHEMA_DIR "/../spdx/spdx-schema.json", path), 0);
	snprintf(path, sizeof(path), "%s/spdx-2.2-schema.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\",\n"
	      " \"required\": [\"onlyInThisTest\"]}\n",
	      f);
	assert_int_equal(fclose(f), 0);
	vg_config_set("sbom.spdx_schema_dir", dir);
	sbom_validate_cleanup();

	assert_int_equal(
	    validate_rel("spdx-tools-java/testResources/SPDXJSONExample-v2.2.spdx.json", &v, &err),
	    VG_EPARSE);
	assert_false(v.valid);
	assert_string_equal(v.schema, "spdx-2.2-schema.json");
	assert_int_equal(v.n_errors, 1);
	assert_string_equal(v.errors[0].message, "expected property \"onlyInThisTest\"");
	sbom_validation_release(&v);
	assert_int_equal(
	    validate_rel("spdx-spec/v2.3.1/examples/SPDXJSONExample-v2.3.spdx.json", &v, &err),
	    VG_OK);
	assert_true(v.valid);
	assert_string_equal(v.schema, "spdx-schema.json");
	sbom_validation_release(&v);

	unlink(path);
	snprintf(path, sizeof(path), "%s/spdx-schema.json", dir);
	unlink(path);
	rmdir(dir);
	vg_config_set("sbom.spdx_schema_dir", VIGIL_SCHEMA_DIR "/../spdx");
	sbom_validate_cleanup();
}

/* ------------------------------------------------------------- bad input */

static void test_malformed(void **state)
{
	(void)state;
	struct sbom_validation v;
	struct vg_error err = {0};
	struct vg_buf b;

	/* truncated: the first half of a valid document */
	vg_buf_init(&b, 0);
	assert_int_equal(vg_buf_read_file(&b,
					  data_path("cyclonedx-specification/test-resources/1.6/"
						    "valid-metadata-tool-1.6.json"),
					  0, &err),
			 VG_OK);
	assert_int_equal(sbom_validate(b.data, b.len / 2, "half.json", &v, &err), VG_EPARSE);
	assert_int_equal(v.n_errors, 1);
	assert_non_null(strstr(err.msg, "half.json"));
	assert_non_null(strstr(err.msg, "line "));
	sbom_validation_release(&v);
	vg_buf_release(&b);

	/* unknown spec versions, JSON and XML */
	assert_int_equal(
	    validate_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.9\"}", &v, &err),
	    VG_EPARSE);
	assert_string_equal(v.errors[0].pointer, "/specVersion");
	assert_non_null(strstr(v.errors[0].message, "1.2 to 1.7"));
	sbom_validation_release(&v);
	assert_int_equal(
	    validate_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":1.5}", &v, &err), VG_EPARSE);
	sbom_validation_release(&v);
	assert_int_equal(validate_str("<?xml version=\"1.0\"?>\n<bom "
				      "xmlns=\"http://cyclonedx.org/schema/bom/1.9\"/>",
				      &v, &err),
			 VG_EPARSE);
	assert_int_equal(v.errors[0].line, 2);
	sbom_validation_release(&v);
	assert_int_equal(validate_str("@context nothing", &v, &err), VG_EPARSE);
	sbom_validation_release(&v);
	assert_int_equal(validate_str("{\"@context\":\"https://spdx.org/rdf/3.0.0/"
				      "spdx-context.jsonld\",\"@graph\":[]}",
				      &v, &err),
			 VG_EPARSE);
	sbom_validation_release(&v);
	assert_int_equal(validate_str("SPDXVersion: SPDX-2.9\nDataLicense: CC0-1.0\n", &v, &err),
			 VG_EPARSE);
	assert_int_equal(v.errors[0].line, 1);
	sbom_validation_release(&v);

	/* not UTF-8 */
	assert_int_equal(
	    validate_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"x\":\"\xff\"}", &v,
			 &err),
	    VG_EPARSE);
	assert_non_null(strstr(err.msg, "UTF-8"));
	sbom_validation_release(&v);

	/* DOCTYPE (entities) refused */
	assert_int_equal(
	    validate_str("<?xml version=\"1.0\"?><!DOCTYPE bom [<!ENTITY x "
			 "\"y\">]><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>",
			 &v, &err),
	    VG_EPARSE);
	sbom_validation_release(&v);

	/* too deep */
	{
		struct vg_buf deep;
		vg_buf_init(&deep, 0);
		vg_buf_adds(&deep, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"x\":");
		for (int i = 0; i < 300; i++)
			vg_buf_addc(&deep, '[');
		for (int i = 0; i < 300; i++)
			vg_buf_addc(&deep, ']');
		vg_buf_addc(&deep, '}');
		assert_int_equal(sbom_validate(deep.data, deep.len, "deep.json", &v, &err),
				 VG_EPARSE);
		assert_non_null(strstr(err.msg, "nesting"));
		sbom_validation_release(&v);
		vg_buf_release(&deep);
	}

	/* over the size limit */
	vg_config_set("sbom.max_bytes", "64");
	assert_int_equal(validate_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
				      "\"version\":1,\"serialNumber\":\"urn:uuid:x\"}",
				      &v, &err),
			 VG_ETOOBIG);
	sbom_validation_release(&v);
	vg_config_set("sbom.max_bytes", "268435456");

	/* a minimal document: valid; a missing schema folder: VG_ENOTFOUND */
	assert_int_equal(
	    validate_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}", &v, &err), VG_OK);
	assert_true(v.valid);
	sbom_validation_release(&v);
	sbom_validate_cleanup();
	vg_config_set("sbom.schema_dir", "/nonexistent");
	assert_int_equal(
	    validate_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}", &v, &err),
	    VG_ENOTFOUND);
	assert_non_null(strstr(err.msg, "sbom.schema_dir"));
	assert_null(strstr(err.msg, "/nonexistent")); /* the folder goes to the log only */
	sbom_validation_release(&v);
	sbom_validate_cleanup();
	vg_config_set("sbom.schema_dir", getenv("VIGIL_SBOM_SCHEMA_DIR")
					     ? getenv("VIGIL_SBOM_SCHEMA_DIR")
					     : VIGIL_SCHEMA_DIR);
}

static int teardown(void **state)
{
	(void)state;
	sbom_validate_cleanup();
	vg_config_free();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cdx_1_0_and_1_1_xml),
	    cmocka_unit_test(test_cdx_1_2),
	    cmocka_unit_test(test_cdx_1_3),
	    cmocka_unit_test(test_cdx_1_4),
	    cmocka_unit_test(test_cdx_1_5),
	    cmocka_unit_test(test_cdx_1_6),
	    cmocka_unit_test(test_cdx_1_7),
	    cmocka_unit_test(test_cdx_error_details),
	    cmocka_unit_test(test_real_sboms),
	    cmocka_unit_test(test_spdx_valid),
	    cmocka_unit_test(test_spdx_invalid),
	    cmocka_unit_test(test_spdx22_schema_routing),
	    cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, setup_spdx, teardown);
}
