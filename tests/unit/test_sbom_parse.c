/*
 * test_sbom_parse.c - the SBOM parsers (src/sbom/parse.h) on real documents
 * from $VIGIL_SHARED_DATA/sbom and on malformed input.
 *
 * Expected counts were derived independently of this code, with jq, awk or
 * Python's ElementTree over the files; each number says how it was counted.
 */
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
#include "core/config.h"
#include "sbom/model.h"
#include "sbom/parse.h"

static char *data_path(const char *rel)
{
	static char path[4096];
	const char *base = getenv("VIGIL_SHARED_DATA");
	snprintf(path, sizeof(path), "%s/sbom/%s", base ? base : "../shared/data", rel);
	return path;
}

static void read_rel(const char *rel, struct vg_buf *b)
{
	struct vg_error err = {0};
	vg_buf_init(b, 0);
	if (vg_buf_read_file(b, data_path(rel), 0, &err) != VG_OK)
		fail_msg("cannot read %s: %s", rel, err.msg);
}

static struct sbom_doc *load(const char *rel)
{
	struct vg_buf b;
	struct vg_error err = {0};
	struct sbom_doc *doc = NULL;
	read_rel(rel, &b);
	int rc = sbom_parse(b.data, b.len, rel, &doc, &err);
	vg_buf_release(&b);
	if (rc != VG_OK)
		fail_msg("%s: %s", rel, err.msg);
	return doc;
}

/* Parse a file that must be refused; returns the message for checks. */
static const char *refuse_file(const char *rel, int code)
{
	static struct vg_error err;
	struct vg_buf b;
	struct sbom_doc *doc = NULL;
	read_rel(rel, &b);
	int rc = sbom_parse(b.data, b.len, rel, &doc, &err);
	vg_buf_release(&b);
	assert_null(doc);
	assert_int_equal(rc, code);
	return err.msg;
}

static const char *refuse_str(const char *s, int code)
{
	static struct vg_error err;
	struct sbom_doc *doc = NULL;
	int rc = sbom_parse(s, strlen(s), "t.json", &doc, &err);
	if (doc)
		fail_msg("accepted: %.200s", s);
	assert_int_equal(rc, code);
	return err.msg;
}

static struct sbom_doc *accept_str(const char *s)
{
	struct vg_error err = {0};
	struct sbom_doc *doc = NULL;
	if (sbom_parse(s, strlen(s), "t", &doc, &err) != VG_OK)
		fail_msg("refused: %s", err.msg);
	return doc;
}

#define assert_contains(hay, needle)                                                 \
	do {                                                                         \
		if (!strstr((hay), (needle)))                                        \
			fail_msg("\"%s\" does not contain \"%s\"", (hay), (needle)); \
	} while (0)

static const struct sbom_component *by_ref(const struct sbom_doc *d, const char *ref)
{
	uint32_t i = sbom_doc_find(d, ref);
	if (i == SBOM_NONE)
		fail_msg("no component %s", ref);
	return &d->components[i];
}

static const char *hash_of(const struct sbom_component *c, const char *alg)
{
	for (uint32_t i = 0; i < c->n_hashes; i++)
		if (strcmp(c->hashes[i].alg, alg) == 0)
			return c->hashes[i].value;
	return NULL;
}

/* ----------------------------------------------------- CycloneDX, real */

static void test_keycloak(void **state)
{
	(void)state;
	/* jq 'def all(c): c[]? | (., all(.components)); [all(.components)] | length'
	 * = 903, plus metadata.component = 904. Edges: jq
	 * '[.dependencies[] | .dependsOn[]] | length' = 994 (899 entries). */
	struct sbom_doc *d = load("cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json");
	assert_int_equal(d->format, SBOM_FORMAT_CYCLONEDX);
	assert_int_equal(d->encoding, SBOM_ENC_JSON);
	assert_string_equal(d->spec_version, "1.2");
	assert_int_equal(d->n_components, 904);
	assert_int_equal(d->n_edges, 994);
	assert_int_equal(d->n_dropped_edges, 0);
	assert_int_not_equal(d->primary, SBOM_NONE);
	const struct sbom_component *c =
	    by_ref(d, "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1?type=jar");
	assert_string_equal(c->name, "jackson-databind");
	assert_string_equal(c->group, "com.fasterxml.jackson.core");
	assert_string_equal(c->version, "2.10.1");
	assert_string_equal(
	    c->purl, "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1?type=jar");
	assert_string_equal(c->licenses, "Apache-2.0");
	assert_string_equal(hash_of(c, "SHA-256"),
			    "2d23f47001492233565adf5a34f225f2ae89564cee08024873ec36b7842ede46");
	/* Two license ids on one component become one AND expression. */
	c = by_ref(d, "pkg:maven/org.jboss.spec.javax.transaction/"
		      "jboss-transaction-api_1.3_spec@2.0.0.Final?type=jar");
	assert_string_equal(c->licenses, "EPL-2.0 AND GPL-2.0-with-classpath-exception");
	sbom_doc_free(d);
}

static void test_juice_shop_nested(void **state)
{
	(void)state;
	/* Same jq recursion: 1115 components + metadata.component = 1116;
	 * dependsOn total 1775. */
	struct sbom_doc *d =
	    load("cyclonedx-bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.4.json");
	assert_string_equal(d->spec_version, "1.4");
	assert_int_equal(d->n_components, 1116);
	assert_int_equal(d->n_edges, 1775);
	/* jq: "@mapbox/node-pre-gyp@1.0.10" has 11 nested components, the first
	 * "@mapbox/node-pre-gyp@1.0.10|ansi-regex@5.0.1". */
	uint32_t parent = sbom_doc_find(d, "@mapbox/node-pre-gyp@1.0.10");
	assert_int_not_equal(parent, SBOM_NONE);
	const struct sbom_component *c = by_ref(d, "@mapbox/node-pre-gyp@1.0.10|ansi-regex@5.0.1");
	assert_int_equal(c->parent, parent);
	size_t kids = 0;
	for (size_t i = 0; i < d->n_components; i++)
		kids += d->components[i].parent == parent;
	assert_int_equal(kids, 11);
	sbom_doc_free(d);

	/* CycloneDX 1.7 from cyclonedx-npm: 1116 + 1 = 1117 components, 1821
	 * dependsOn (same jq). */
	d = load("cyclonedx-node-npm/sbom_demo-results/bare/"
		 "juice-shop_npm12_node24_ubuntu-latest.snap.json");
	assert_string_equal(d->spec_version, "1.7");
	assert_int_equal(d->n_components, 1117);
	assert_int_equal(d->n_edges, 1821);
	sbom_doc_free(d);

	/* Spec 1.2 without dependencies: 840 + 1. */
	d = load("cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json");
	assert_int_equal(d->n_components, 841);
	assert_int_equal(d->n_edges, 0);
	sbom_doc_free(d);
}

static void test_json_and_xml_agree(void **state)
{
	(void)state;
	/* ElementTree and jq agree: 201 components + metadata.component, 232
	 * dependency children, in both encodings of both versions. */
	static const char *const files[] = {
	    "cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.6.3.bom.json",
	    "cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.6.3.bom.xml",
	    "cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json",
	    "cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.xml",
	};
	struct sbom_doc *first = NULL;
	for (size_t i = 0; i < 4; i++) {
		struct sbom_doc *d = load(files[i]);
		assert_int_equal(d->n_components, 202);
		assert_int_equal(d->n_edges, 232);
		assert_int_equal(d->encoding, i % 2 ? SBOM_ENC_XML : SBOM_ENC_JSON);
		if (i == 0) {
			first = d;
			continue;
		}
		if (i == 1) {
			/* Same content, field by field. */
			for (size_t k = 0; k < d->n_components; k++) {
				const struct sbom_component *a = &first->components[k],
							    *b = &d->components[k];
				assert_string_equal(a->name, b->name);
				assert_true((!a->purl && !b->purl) ||
					    strcmp(a->purl, b->purl) == 0);
				assert_true((!a->licenses && !b->licenses) ||
					    strcmp(a->licenses, b->licenses) == 0);
				assert_int_equal(a->n_hashes, b->n_hashes);
			}
			for (size_t k = 0; k < d->n_edges; k++) {
				assert_int_equal(first->edges[k].from, d->edges[k].from);
				assert_int_equal(first->edges[k].to, d->edges[k].to);
			}
		}
		sbom_doc_free(d);
	}
	sbom_doc_free(first);

	/* laravel: spec 1.1 XML has 62 components, no metadata and no graph;
	 * 1.4 XML 62 + 1 and 113 edges (ElementTree). */
	struct sbom_doc *d = load("cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.1.xml");
	assert_string_equal(d->spec_version, "1.1");
	assert_int_equal(d->n_components, 62);
	assert_int_equal(d->primary, SBOM_NONE);
	sbom_doc_free(d);
	d = load("cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml");
	assert_int_equal(d->n_components, 63);
	assert_int_equal(d->n_edges, 113);
	sbom_doc_free(d);
}

static void test_metadata_nested_and_tools(void **state)
{
	(void)state;
	/* guac quarkus: 94 components + 1 metadata, 206 dependsOn (jq). */
	struct sbom_doc *d = load("guac/exampledata/quarkus-deps-cyclonedx.json");
	assert_int_equal(d->n_components, 95);
	assert_int_equal(d->n_edges, 206);
	assert_true(d->n_tools >= 1);
	sbom_doc_free(d);
}

/* Every valid-* conformance file of 1.2 to 1.7 (JSON and XML) parses. */
static void test_conformance_valid(void **state)
{
	(void)state;
	static const char *const vers[] = {"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"};
	size_t n = 0;
	for (size_t v = 0; v < 6; v++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "cyclonedx-specification/test-resources/%s", vers[v]);
		DIR *dir = opendir(data_path(rel));
		struct dirent *de;
		assert_non_null(dir);
		while ((de = readdir(dir))) {
			if (strncmp(de->d_name, "valid-", 6) != 0)
				continue;
			char f[512];
			snprintf(f, sizeof(f), "%s/%s", rel, de->d_name);
			struct sbom_doc *d = load(f);
			assert_string_equal(d->spec_version, vers[v]);
			sbom_doc_free(d);
			n++;
		}
		closedir(dir);
	}
	/* SOURCES.md: 45 + 55 + 60 + 74 + 92 + 124 valid files. */
	assert_int_equal(n, 45 + 55 + 60 + 74 + 92 + 124);
}

/* ------------------------------------------------------------ SPDX 2 */

static void test_istio_tagvalue(void **state)
{
	(void)state;
	/* awk over the file: 3461 PackageName sections; 3501 Relationship lines
	 * of which 33 DESCRIBES, 3428 between two packages and 40 from a package
	 * to a file. */
	struct sbom_doc *d = load("bom-shelter/in-the-wild/spdx/istio-release.spdx");
	assert_int_equal(d->format, SBOM_FORMAT_SPDX);
	assert_int_equal(d->encoding, SBOM_ENC_TAGVALUE);
	assert_string_equal(d->spec_version, "2.2");
	assert_int_equal(d->n_components, 3461);
	assert_int_equal(d->n_edges, 3428);
	assert_int_equal(d->n_dropped_edges, 40);
	assert_int_not_equal(d->primary, SBOM_NONE);
	const struct sbom_component *c =
	    by_ref(d, "SPDXRef-Package-istio-app-1.13.1-debug-blobs-sha256-"
		      "08c01a0ec47e82ebe2bec112f373d160983a6d1e9e66627f66a3322bc403221b");
	assert_int_equal(c->n_hashes, 3);
	assert_string_equal(hash_of(c, "SHA-1"), "d8bff18d6a2873157d1333e81286c8338883c2f6");
	assert_string_equal(hash_of(c, "SHA-256"),
			    "08c01a0ec47e82ebe2bec112f373d160983a6d1e9e66627f66a3322bc403221b");
	assert_null(c->licenses); /* NOASSERTION both */
	for (size_t i = 0; i < d->n_edges; i++)
		assert_int_equal(d->edges[i].kind, SBOM_EDGE_CONTAINS);
	sbom_doc_free(d);
}

static void test_syft_kubectl(void **state)
{
	(void)state;
	/* jq: 183 packages, 3042 files, 3042 CONTAINS relationships, none of
	 * them between two packages. */
	struct sbom_doc *d = load("guac/exampledata/oci-kubectl-linux-arm-v7-spdx.json");
	assert_string_equal(d->spec_version, "2.2");
	assert_int_equal(d->n_components, 183);
	assert_int_equal(d->n_edges, 0);
	assert_int_equal(d->n_dropped_edges, 3042);
	sbom_doc_free(d);

	/* jq: 89 packages; 1382 relationships: 1 DESCRIBES, 1293 CONTAINS and 88
	 * OTHER; the 88 between two packages are all CONTAINS, the other 1293
	 * have a file at one end. */
	d = load("guac/exampledata/oci-kubectl-linux-amd64-spdx-1.json");
	assert_string_equal(d->spec_version, "2.3");
	assert_int_equal(d->n_components, 89);
	assert_int_equal(d->n_edges, 88);
	assert_int_equal(d->n_dropped_edges, 1293);
	assert_int_not_equal(d->primary, SBOM_NONE);
	for (size_t i = 0; i < d->n_edges; i++) {
		assert_int_equal(d->edges[i].kind, SBOM_EDGE_CONTAINS);
		assert_string_equal(d->edges[i].spdx_type, "CONTAINS");
	}
	const struct sbom_component *c =
	    by_ref(d, "SPDXRef-Package-go-module-.-staging-src-k8s.io-api-bb0cce34a6e3a075");
	assert_string_equal(c->purl, "pkg:golang/./staging/src/k8s.io/api@(devel)");
	assert_string_equal(c->cpe,
			    "cpe:2.3:a:staging:src\\/k8s.io\\/api:\\(devel\\):*:*:*:*:*:*:*");
	assert_string_equal(c->version, "(devel)");
	assert_null(c->supplier); /* NOASSERTION */
	sbom_doc_free(d);
}

static void test_spdx_json_vs_tagvalue(void **state)
{
	(void)state;
	/* flux: jq '.packages|length' = 244 and grep -c '^PackageName:' = 244. */
	struct sbom_doc *a = load("bom-shelter/in-the-wild/spdx/flux_0.26.3_sbom.spdx.json");
	struct sbom_doc *b = load("bom-shelter/in-the-wild/spdx/flux_0.26.3_sbom.spdx");
	assert_int_equal(a->n_components, 244);
	assert_int_equal(b->n_components, 244);
	/* Same packages (the two files list them in other orders). */
	for (size_t i = 0; i < a->n_components; i++) {
		const struct sbom_component *t = by_ref(b, a->components[i].ref);
		assert_string_equal(a->components[i].name, t->name);
		assert_true((!a->components[i].version && !t->version) ||
			    strcmp(a->components[i].version, t->version) == 0);
	}
	sbom_doc_free(a);
	sbom_doc_free(b);

	/* The official SPDX 2.3 example: 4 packages, 5 files; 7 relationships of
	 * which one (DYNAMIC_LINK) is between two packages (jq). */
	a = load("spdx-spec/v2.3.1/examples/SPDXJSONExample-v2.3.spdx.json");
	b = load("spdx-spec/v2.3.1/examples/SPDXTagExample-v2.3.spdx");
	assert_string_equal(a->spec_version, "2.3");
	assert_string_equal(b->spec_version, "2.3");
	assert_int_equal(a->n_components, 4);
	assert_int_equal(b->n_components, 4);
	assert_int_equal(a->n_edges, 1);
	assert_int_equal(b->n_edges, 1);
	assert_string_equal(a->edges[0].spdx_type, "DYNAMIC_LINK");
	const struct sbom_component *c = by_ref(a, "SPDXRef-Package");
	const struct sbom_component *t = by_ref(b, "SPDXRef-Package");
	assert_string_equal(c->name, "glibc");
	assert_string_equal(t->name, "glibc");
	assert_string_equal(c->licenses, "(LGPL-2.0-only OR LicenseRef-3)");
	assert_string_equal(t->licenses, c->licenses);
	assert_string_equal(c->supplier, "Jane Doe"); /* "Person: Jane Doe (jane.doe@...)" */
	assert_string_equal(t->supplier, "Jane Doe");
	assert_string_equal(hash_of(c, "SHA-256"), hash_of(t, "SHA-256"));
	assert_string_equal(c->cpe, t->cpe);
	assert_string_equal(a->serial, b->serial);
	sbom_doc_free(a);
	sbom_doc_free(b);
}

static void test_spdx_examples_22(void **state)
{
	(void)state;
	/* Tag-value examples of spdx-examples parse; example1: 1 package. */
	struct sbom_doc *d = load("spdx-examples/software/example1/spdx2.2/example1.spdx");
	assert_int_equal(d->n_components, 1);
	assert_string_equal(d->components[0].licenses, "GPL-3.0-or-later");
	sbom_doc_free(d);
	d = load("spdx-examples/software/example7/spdx2.2/example7-golang.spdx.json");
	assert_string_equal(d->spec_version, "2.2");
	sbom_doc_free(d);
}

/* ------------------------------------------------------------ SPDX 3 */

static void test_spdx3(void **state)
{
	(void)state;
	/* jq over @graph: 1 software_Package; its one relationship contains a
	 * software_File (dropped). */
	struct sbom_doc *d = load("spdx-spec/v3.0.1/examples/jsonld/package_sbom.json");
	assert_int_equal(d->encoding, SBOM_ENC_JSONLD);
	assert_string_equal(d->spec_version, "3.0.1");
	assert_int_equal(d->n_components, 1);
	assert_int_equal(d->n_edges, 0);
	assert_int_equal(d->n_dropped_edges, 1);
	assert_int_equal(d->primary, 0);
	assert_string_equal(d->components[0].name, "my-package");
	assert_string_equal(d->components[0].version, "1.0");
	assert_string_equal(d->serial, "http://spdx.example.com/Document1");
	sbom_doc_free(d);

	/* example14: 6 packages, 5 relationships (not describes / license)
	 * between two packages (jq). */
	d = load("spdx-examples/software/example14/spdx3.0/examplemaven-0.0.1-enriched.spdx3.json");
	assert_int_equal(d->n_components, 6);
	assert_int_equal(d->n_edges, 5);
	assert_int_not_equal(d->primary, SBOM_NONE);
	sbom_doc_free(d);

	/* example13: 4 packages, 3 package-to-package relationships; suppliers
	 * are Organization elements (jq). */
	d = load("spdx-examples/software/example13/spdx3.0/example13.spdx3.json");
	assert_int_equal(d->n_components, 4);
	assert_int_equal(d->n_edges, 3);
	const struct sbom_component *c =
	    by_ref(d, "urn:npm-elliptic-6.5.2-4fe40e24-20e3-11ee-be56-0242ac120002");
	assert_string_equal(c->version, "6.5.2");
	assert_non_null(c->supplier);
	assert_string_equal(c->type, "library");
	sbom_doc_free(d);

	/* AI example: 13 packages (software, AI, dataset), 18 package-to-package
	 * relationships (jq). It reuses one Relationship id twice, which JSON-LD
	 * merges; accepted. */
	d = load("spdx-examples/ai/example01/spdx3.0/simplehtr-example.json");
	assert_int_equal(d->n_components, 13);
	assert_int_equal(d->n_edges, 18);
	sbom_doc_free(d);

	/* Licenses from hasConcludedLicense / LicenseExpression elements. */
	d = load("spdx-examples/software/example6/spdx3.0/example6-bin.json");
	int found = 0;
	for (size_t i = 0; i < d->n_components; i++)
		found += d->components[i].licenses &&
			 strstr(d->components[i].licenses, "GPL-3.0-or-later") != NULL;
	assert_true(found > 0);
	sbom_doc_free(d);

	/* Types and vocabulary values by full IRI (JSON-LD expands the compact
	 * terms of the official context to these): the same two packages, the
	 * dependsOn edge, the purl and the SHA-512 as with compact terms. */
#define T3 "https://spdx.org/rdf/3.0.1/terms/"
	d = accept_str(
	    "{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\"@graph\":["
	    "{\"type\":\"" T3 "Core/CreationInfo\",\"@id\":\"_:c\",\"specVersion\":\"3.0.1\","
	    "\"created\":\"2026-01-01T00:00:00Z\"},"
	    "{\"type\":\"" T3 "Software/Package\",\"spdxId\":\"urn:a\",\"name\":\"a\","
	    "\"software_packageVersion\":\"1\",\"externalIdentifier\":[{\"type\":\"" T3
	    "Core/ExternalIdentifier\",\"externalIdentifierType\":\"" T3
	    "Core/ExternalIdentifierType/packageUrl\",\"identifier\":\"pkg:generic/a@1\"}],"
	    "\"verifiedUsing\":[{\"type\":\"" T3 "Core/Hash\",\"algorithm\":\"" T3
	    "Core/HashAlgorithm/sha512\",\"hashValue\":\"00\"}]},"
	    "{\"type\":\"software_Package\",\"spdxId\":\"urn:b\",\"name\":\"b\"},"
	    "{\"type\":\"" T3 "Core/Relationship\",\"spdxId\":\"urn:r\",\"from\":\"urn:a\","
	    "\"relationshipType\":\"" T3 "Core/RelationshipType/dependsOn\",\"to\":[\"urn:b\"]},"
	    "{\"type\":\"Relationship\",\"spdxId\":\"urn:r2\",\"from\":\"urn:b\","
	    "\"relationshipType\":\"dependsOn\",\"to\":[\"" T3 "Core/NoneElement\"]}]}");
#undef T3
	assert_int_equal(d->n_components, 2);
	assert_int_equal(d->n_edges, 1);
	assert_int_equal(d->edges[0].kind, SBOM_EDGE_DEPENDS_ON);
	/* b dependsOn NoneElement (none, by full IRI) is no dangling
	 * relationship (the document is accepted), and no component edge */
	assert_int_equal(d->n_dropped_edges, 1);
	c = by_ref(d, "urn:a");
	assert_string_equal(c->purl, "pkg:generic/a@1");
	assert_int_equal(c->n_hashes, 1);
	assert_string_equal(c->hashes[0].alg, "SHA-512");
	sbom_doc_free(d);
}

/* ------------------------------------------------------ malformed input */

static void test_truncated(void **state)
{
	(void)state;
	struct vg_buf b;
	struct vg_error err = {0};
	struct sbom_doc *doc = NULL;
	read_rel("cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json", &b);
	assert_int_equal(sbom_parse(b.data, b.len / 2, "keycloak.json", &doc, &err), VG_EPARSE);
	assert_null(doc);
	assert_contains(err.msg, "keycloak.json");
	assert_contains(err.msg, "byte");
	vg_buf_release(&b);

	read_rel("cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.6.3.bom.xml", &b);
	assert_int_equal(sbom_parse(b.data, b.len / 2, "bridge.xml", &doc, &err), VG_EPARSE);
	assert_contains(err.msg, "bridge.xml: line ");
	vg_buf_release(&b);

	/* guac's truncated XML. */
	refuse_file("guac/exampledata/invalid-cyclonedx.xml", VG_EPARSE);

	/* A tag-value <text> that never closes. */
	const char *tv = "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n"
			 "PackageName: a\nSPDXID: SPDXRef-a\nPackageCopyrightText: <text>abc\n";
	const char *m = refuse_str(tv, VG_EPARSE);
	assert_contains(m, "line 6");
	assert_contains(m, "</text>");
}

static void test_not_utf8(void **state)
{
	(void)state;
	const char *m = refuse_str("{\"bomFormat\":\"CycloneDX\",\n\"specVersion\":\"1.6\",\n"
				   "\"components\":[{\"name\":\"a\xff\"}]}",
				   VG_EPARSE);
	assert_contains(m, "t.json: line 3");
	assert_contains(m, "invalid UTF-8");
	/* Overlong encoding of '/' and a UTF-16 surrogate are not UTF-8 either. */
	refuse_str("{\"bomFormat\":\"CycloneDX\",\"x\":\"\xc0\xaf\"}", VG_EPARSE);
	refuse_str("{\"bomFormat\":\"CycloneDX\",\"x\":\"\xed\xa0\x80\"}", VG_EPARSE);
	/* NUL byte. */
	struct sbom_doc *doc = NULL;
	struct vg_error err = {0};
	assert_int_equal(sbom_parse("{\"a\":\0}", 7, "nul.json", &doc, &err), VG_EPARSE);
	assert_contains(err.msg, "NUL");
	/* The UTF-16 variant of a valid SPDX example. */
	m = refuse_file("spdx-tools-python/tests/spdx/data/SPDXJSONExample-UTF-16.spdx.json",
			VG_EPARSE);
	assert_contains(m, "UTF-16");
}

static void test_nesting(void **state)
{
	(void)state;
	struct vg_buf b;
	vg_buf_init(&b, 0);
	/* JSON nested deeper than the JSON limit. */
	vg_buf_adds(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"x\":");
	for (int i = 0; i < 300; i++)
		vg_buf_addc(&b, '[');
	for (int i = 0; i < 300; i++)
		vg_buf_addc(&b, ']');
	vg_buf_addc(&b, '}');
	const char *m = refuse_str(b.data, VG_EPARSE);
	assert_contains(m, "nesting");
	/* Components nested 70 deep: within the JSON limit, over the component
	 * limit (64). */
	vg_buf_reset(&b);
	vg_buf_adds(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[");
	for (int i = 0; i < 70; i++)
		vg_buf_addf(&b, "{\"type\":\"library\",\"name\":\"c%d\",\"components\":[", i);
	for (int i = 0; i < 70; i++)
		vg_buf_adds(&b, "]}");
	vg_buf_adds(&b, "]}");
	m = refuse_str(b.data, VG_EPARSE);
	assert_contains(m, "nested deeper than 64");
	assert_contains(m, "/components/0/components/0/components/0");
	/* The same in XML. */
	vg_buf_reset(&b);
	vg_buf_adds(&b, "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components>");
	for (int i = 0; i < 70; i++)
		vg_buf_addf(&b, "<component type=\"library\"><name>c%d</name><components>", i);
	for (int i = 0; i < 70; i++)
		vg_buf_adds(&b, "</components></component>");
	vg_buf_adds(&b, "</components></bom>");
	m = refuse_str(b.data, VG_EPARSE);
	assert_contains(m, "nested deeper than 64");
	vg_buf_release(&b);
}

static void test_duplicate_refs(void **state)
{
	(void)state;
	const char *m = refuse_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\","
				   "\"components\":[{\"type\":\"library\",\"name\":\"a\","
				   "\"bom-ref\":\"x\"},{\"type\":\"library\",\"name\":\"b\","
				   "\"bom-ref\":\"x\"}]}",
				   VG_EPARSE);
	assert_contains(m, "/components/1/bom-ref");
	assert_contains(m, "duplicate bom-ref \"x\"");
	/* A service may not take a component's bom-ref either. */
	refuse_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\","
		   "\"components\":[{\"type\":\"library\",\"name\":\"a\",\"bom-ref\":\"x\"}],"
		   "\"services\":[{\"name\":\"s\",\"bom-ref\":\"x\"}]}",
		   VG_EPARSE);
	/* Real world: Dependency-Track issue 2519, a merged BOM. */
	m = refuse_file("dependency-track/unit/bom-issue2519.xml", VG_EPARSE);
	assert_contains(m, "line 49630");
	assert_contains(m, "duplicate bom-ref \"@cyclonedx/cyclonedx-npm@1.7.2\"");
	/* SPDX JSON and tag-value. */
	m = refuse_str("{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\","
		       "\"packages\":[{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\"},"
		       "{\"SPDXID\":\"SPDXRef-a\",\"name\":\"b\"}]}",
		       VG_EPARSE);
	assert_contains(m, "/packages/1/SPDXID");
	m = refuse_str("SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nPackageName: a\n"
		       "SPDXID: SPDXRef-a\n\nPackageName: b\nSPDXID: SPDXRef-a\n",
		       VG_EPARSE);
	assert_contains(m, "line 7");
	assert_contains(m, "duplicate SPDXID");
	/* SPDX 3: two packages with one id. */
	m = refuse_str("{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\","
		       "\"@graph\":[{\"type\":\"CreationInfo\",\"@id\":\"_:c\",\"specVersion\":"
		       "\"3.0.1\"},{\"type\":\"software_Package\",\"spdxId\":\"p\",\"name\":\"a\"},"
		       "{\"type\":\"software_Package\",\"spdxId\":\"p\",\"name\":\"b\"}]}",
		       VG_EPARSE);
	assert_contains(m, "/@graph/2/spdxId");
}

static void test_dangling(void **state)
{
	(void)state;
	const char *doc =
	    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
	    "\"components\":[{\"type\":\"library\",\"name\":\"a\",\"bom-ref\":\"a\"}],"
	    "\"dependencies\":[{\"ref\":\"a\",\"dependsOn\":[\"a\",\"nope\"]}]}";
	const char *m = refuse_str(doc, VG_EPARSE);
	assert_contains(m, "t.json: /dependencies/0/dependsOn/1: dangling dependency");
	assert_contains(m, "\"nope\"");
	/* allow_dangling drops and counts instead. */
	struct sbom_parse_opts o = {.allow_dangling = 1};
	struct sbom_doc *d = NULL;
	struct vg_error err = {0};
	assert_int_equal(sbom_parse_ex(doc, strlen(doc), "t", &o, &d, &err), VG_OK);
	assert_int_equal(d->n_edges, 1);
	assert_int_equal(d->n_dropped_edges, 1);
	sbom_doc_free(d);
	/* Real files (sbomqs BSI test cases, syft's constellation SBOM). */
	m = refuse_file("sbomqs/testdata/bsi/cdx/brokenTargetComponentDependencies.cdx16.json",
			VG_EPARSE);
	assert_contains(m, "/dependencies/1/dependsOn/0");
	m = refuse_file("sbomqs/testdata/bsi/spdx/brokenTargetComponentDependencies.spdx23.json",
			VG_EPARSE);
	assert_contains(m, "/relationships/1/relatedSpdxElement");
	m = refuse_file("bom-shelter/in-the-wild/spdx/constellation-spdx.json", VG_EPARSE);
	assert_contains(m, "dangling relationship");
	/* XML and tag-value. */
	m = refuse_str("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components>"
		       "<component type=\"library\" bom-ref=\"a\"><name>a</name></component>"
		       "</components><dependencies>\n<dependency ref=\"a\"><dependency ref=\"b\"/>"
		       "</dependency></dependencies></bom>",
		       VG_EPARSE);
	assert_contains(m, "line 2");
	assert_contains(m, "dangling dependency");
	m = refuse_str("SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nPackageName: a\n"
		       "SPDXID: SPDXRef-a\nRelationship: SPDXRef-a DEPENDS_ON SPDXRef-b\n",
		       VG_EPARSE);
	assert_contains(m, "line 5: dangling relationship");
	/* DocumentRef-, NONE and NOASSERTION are not dangling. */
	d = accept_str("SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nPackageName: a\n"
		       "SPDXID: SPDXRef-a\nRelationship: SPDXRef-a DEPENDS_ON NONE\n"
		       "Relationship: SPDXRef-a DEPENDS_ON DocumentRef-x:SPDXRef-b\n");
	assert_int_equal(d->n_edges, 0);
	assert_int_equal(d->n_dropped_edges, 2);
	sbom_doc_free(d);
	/* SPDX 3. */
	m = refuse_file("sbomqs/testdata/fixtures/spdx3-no-original-license.json", VG_EPARSE);
	assert_contains(m, "dangling relationship");
}

static void test_unknown_versions(void **state)
{
	(void)state;
	const char *m =
	    refuse_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.8\"}", VG_EPARSE);
	assert_contains(m, "/specVersion: unknown CycloneDX spec version \"1.8\"");
	refuse_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.1\"}", VG_EPARSE);
	refuse_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":1.6}", VG_EPARSE);
	m = refuse_file("guac/exampledata/invalid-cyclonedx.json", VG_EPARSE);
	assert_contains(m, "/bomFormat");
	m = refuse_str("<bom xmlns=\"http://cyclonedx.org/schema/bom/2.0\"/>", VG_EPARSE);
	assert_contains(m, "unknown CycloneDX spec version \"2.0\"");
	m = refuse_file("spdx-tools-java/testResources/SPDXWrongVersion.spdx.json", VG_EPARSE);
	assert_contains(m, "SPDX-2.2.1");
	m = refuse_file("bom-shelter/in-the-wild/spdx/usbutils.spdx", VG_EPARSE);
	assert_contains(m, "line 1: unknown SPDX version \"SPDX-2.1\"");
	refuse_file("guac/exampledata/invalid-spdx.json", VG_EPARSE);
	m = refuse_str("{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\","
		       "\"@graph\":[{\"type\":\"CreationInfo\",\"@id\":\"_:c\",\"specVersion\":"
		       "\"3.1.0\"}]}",
		       VG_EPARSE);
	assert_contains(m, "3.1.0");
	/* Not an SBOM at all. */
	refuse_file("guac/exampledata/rhsa-csaf.json", VG_EPARSE);
	refuse_str("hello", VG_EPARSE);
	refuse_str("", VG_EPARSE);
}

static void test_size_limit(void **state)
{
	(void)state;
	const char *s = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}";
	struct sbom_parse_opts o = {.max_bytes = 10};
	struct sbom_doc *d = NULL;
	struct vg_error err = {0};
	assert_int_equal(sbom_parse_ex(s, strlen(s), "big.json", &o, &d, &err), VG_ETOOBIG);
	assert_null(d);
	assert_contains(err.msg, "big.json");
	assert_contains(err.msg, "sbom.max_bytes");
	/* The configuration key. */
	assert_int_equal(vg_config_set("sbom.max_bytes", "20"), VG_OK);
	assert_int_equal(sbom_parse(s, strlen(s), "big.json", &d, &err), VG_ETOOBIG);
	assert_int_equal(vg_config_set("sbom.max_bytes", "1000"), VG_OK);
	assert_int_equal(sbom_parse(s, strlen(s), "ok.json", &d, &err), VG_OK);
	sbom_doc_free(d);
	vg_config_free();
}

static void test_xml_no_doctype(void **state)
{
	(void)state;
	const char *m = refuse_str("<?xml version=\"1.0\"?><!DOCTYPE bom [<!ENTITY x \"y\">]>"
				   "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>",
				   VG_EPARSE);
	assert_contains(m, "t.json: line 1: document type declarations (DTD) are not accepted");
	m = refuse_file("spdx-spec/v2.3.1/examples/SPDXRdfExample-v2.3.spdx.rdf.xml", VG_EPARSE);
	assert_contains(m, "RDF/XML is not supported");
}

static void test_wrong_types(void **state)
{
	(void)state;
	const char *m = refuse_str("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
				   "\"components\":[{\"type\":\"library\",\"name\":42}]}",
				   VG_EPARSE);
	assert_contains(m, "t.json: /components/0/name: byte 84, line 1: expected a string");
	m = refuse_file("spdx-tools-java/testResources/BadJSON.spdx.json", VG_EPARSE);
	assert_contains(m, "/creationInfo/creators");
}

static void test_licenses_combined(void **state)
{
	(void)state;
	struct sbom_doc *d = accept_str(
	    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{\"type\":"
	    "\"library\",\"name\":\"a\",\"licenses\":[{\"license\":{\"id\":\"MIT\"}},"
	    "{\"license\":{\"name\":\"My License, v2\"}},{\"expression\":\"Apache-2.0 OR "
	    "BSD-3-Clause\"}]},{\"type\":\"library\",\"name\":\"b\",\"licenses\":[{\"expression\":"
	    "\"Apache-2.0 OR MIT\"},{\"license\":{\"id\":\"ISC\"}}]},{\"type\":\"library\","
	    "\"name\":\"c\",\"licenses\":[{\"expression\":\"GPL-2.0-only WITH "
	    "Classpath-exception-2.0\"}]}]}");
	assert_int_equal(d->n_components, 3);
	assert_string_equal(d->components[0].licenses,
			    "MIT AND LicenseRef-My-License--v2 AND (Apache-2.0 OR BSD-3-Clause)");
	assert_string_equal(d->components[1].licenses, "(Apache-2.0 OR MIT) AND ISC");
	assert_string_equal(d->components[2].licenses, "GPL-2.0-only WITH Classpath-exception-2.0");
	sbom_doc_free(d);
}

static void test_model(void **state)
{
	(void)state;
	struct sbom_doc *d = sbom_doc_new(SBOM_FORMAT_CYCLONEDX, SBOM_ENC_JSON);
	uint32_t idx;
	char ref[32];
	assert_non_null(d);
	/* Many components and a big string: the arena and the map grow. */
	for (int i = 0; i < 20000; i++) {
		snprintf(ref, sizeof(ref), "r%d", i);
		assert_int_equal(sbom_doc_add_component(d, ref, &idx), VG_OK);
		assert_int_equal(idx, (uint32_t)i);
	}
	assert_int_equal(sbom_doc_add_component(d, "r77", &idx), VG_EEXIST);
	assert_int_equal(sbom_doc_add_other_ref(d, "svc"), VG_OK);
	assert_int_equal(sbom_doc_add_other_ref(d, "r1"), VG_EEXIST);
	assert_int_equal(sbom_doc_find(d, "r19999"), 19999);
	assert_int_equal(sbom_doc_find(d, "svc"), SBOM_NONE);
	assert_true(sbom_doc_ref_known(d, "svc"));
	assert_false(sbom_doc_ref_known(d, "nothing"));
	char *big = malloc(3 * 1024 * 1024);
	memset(big, 'x', 3 * 1024 * 1024 - 1);
	big[3 * 1024 * 1024 - 1] = '\0';
	const char *copy = sbom_doc_strdup(d, big);
	assert_int_equal(strlen(copy), 3 * 1024 * 1024 - 1);
	free(big);
	uint64_t *aligned = sbom_doc_alloc(d, sizeof(uint64_t) * 3);
	assert_int_equal((uintptr_t)aligned % 16, 0);
	assert_string_equal(sbom_hash_alg_normalise("SHA256"), "SHA-256");
	assert_string_equal(sbom_hash_alg_normalise("sha3_512"), "SHA3-512");
	assert_string_equal(sbom_hash_alg_normalise("blake2b256"), "BLAKE2b-256");
	assert_string_equal(sbom_hash_alg_normalise("WEIRD"), "WEIRD");
	sbom_doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keycloak),
	    cmocka_unit_test(test_juice_shop_nested),
	    cmocka_unit_test(test_json_and_xml_agree),
	    cmocka_unit_test(test_metadata_nested_and_tools),
	    cmocka_unit_test(test_conformance_valid),
	    cmocka_unit_test(test_istio_tagvalue),
	    cmocka_unit_test(test_syft_kubectl),
	    cmocka_unit_test(test_spdx_json_vs_tagvalue),
	    cmocka_unit_test(test_spdx_examples_22),
	    cmocka_unit_test(test_spdx3),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_not_utf8),
	    cmocka_unit_test(test_nesting),
	    cmocka_unit_test(test_duplicate_refs),
	    cmocka_unit_test(test_dangling),
	    cmocka_unit_test(test_unknown_versions),
	    cmocka_unit_test(test_size_limit),
	    cmocka_unit_test(test_xml_no_doctype),
	    cmocka_unit_test(test_wrong_types),
	    cmocka_unit_test(test_licenses_combined),
	    cmocka_unit_test(test_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
