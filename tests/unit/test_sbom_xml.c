/*
 * test_sbom_xml.c - the one reader of XML (src/sbom/xml.h) through every entry
 * that reaches it: sbom_parse(), sbom_cyclonedx_parse_xml() and
 * sbom_validate().
 *
 * The hostile documents are the fuzz seeds that tests/fuzz/gen_xml_hostile.py
 * wrote into tests/fuzz/corpus/sbom_cyclonedx_xml/ (their names say what must
 * happen: hostile-dtd-*, hostile-enc-*, hostile-mix-* refused with their
 * reason, good-* accepted). The rest is generated here: a real CycloneDX XML
 * turned into UTF-16, broken UTF-16, and the byte patterns of appendix F.
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

#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "sbom/model.h"
#include "sbom/parse.h"
#include "sbom/validate.h"
#include "sbom/xml.h"

#define assert_contains(hay, needle)                                   \
	do {                                                           \
		if (!strstr((hay), (needle)))                          \
			fail_msg("'%s' not in '%s'", (needle), (hay)); \
	} while (0)

static void read_path(const char *path, struct vg_buf *b)
{
	struct vg_error err = {0};
	vg_buf_init(b, 0);
	if (vg_buf_read_file(b, path, 0, &err) != VG_OK)
		fail_msg("cannot read %s: %s", path, err.msg);
}

static const char *corpus_dir(void)
{
	static char dir[4096];
	const char *src = getenv("VIGIL_SOURCE_DIR");
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/sbom_cyclonedx_xml", src ? src : ".");
	return dir;
}

static const char *expected_refusal(const char *name)
{
	if (!strncmp(name, "hostile-dtd-", 12))
		return "document type declarations (DTD) are not accepted";
	if (!strncmp(name, "hostile-enc-", 12))
		return "only UTF-8 and UTF-16 are accepted";
	if (!strncmp(name, "hostile-mix-", 12))
		return "but is written in";
	return NULL;
}

/* Every seed, through the three entries; returns how many were hostile. */
static void test_corpus(void **state)
{
	(void)state;
	DIR *d = opendir(corpus_dir());
	struct dirent *e;
	size_t hostile = 0, good = 0, dtd16 = 0, utf7 = 0, ebcdic = 0, utf32 = 0;

	if (!d)
		fail_msg("cannot open %s", corpus_dir());
	while ((e = readdir(d))) {
		const char *want = expected_refusal(e->d_name);
		char path[4400];
		struct vg_buf b;
		struct vg_error err = {0};
		struct sbom_doc *doc = NULL;
		struct sbom_validation v;

		if (!want && strncmp(e->d_name, "good-", 5))
			continue;
		snprintf(path, sizeof(path), "%s/%s", corpus_dir(), e->d_name);
		read_path(path, &b);
		if (want) {
			hostile++;
			dtd16 += strstr(e->d_name, "dtd-") && strstr(e->d_name, "utf16");
			utf7 += strstr(e->d_name, "utf7") != NULL;
			ebcdic += strstr(e->d_name, "cp037") != NULL;
			utf32 += strstr(e->d_name, "utf32") != NULL;
			if (sbom_parse(b.data, b.len, e->d_name, &doc, &err) != VG_EPARSE || doc)
				fail_msg("%s: sbom_parse did not refuse it: %s", e->d_name,
					 err.msg);
			assert_contains(err.msg, want);
			assert_contains(err.msg, e->d_name);
			assert_contains(err.msg, ": line ");
			assert_int_equal(
			    sbom_cyclonedx_parse_xml(b.data, b.len, e->d_name, NULL, &doc, &err),
			    VG_EPARSE);
			assert_contains(err.msg, want);
			if (sbom_validate(b.data, b.len, e->d_name, &v, &err) != VG_EPARSE)
				fail_msg("%s: sbom_validate did not refuse it", e->d_name);
			assert_false(v.valid);
			assert_int_equal(v.n_errors, 1);
			assert_contains(v.errors[0].message, want);
			assert_true(v.errors[0].line >= 1);
			sbom_validation_release(&v);
		} else {
			good++;
			if (sbom_parse(b.data, b.len, e->d_name, &doc, &err) != VG_OK)
				fail_msg("%s: %s", e->d_name, err.msg);
			assert_int_equal(doc->n_components, strstr(e->d_name, "cdata") ? 2 : 1);
			if (strstr(e->d_name, "utf16"))
				assert_string_equal(doc->components[0].name,
						    "a\xc3\xa9\xf0\x9f\x98\x80");
			if (strstr(e->d_name, "cdata")) {
				assert_string_equal(doc->components[0].name,
						    "<!DOCTYPE x [<!ENTITY y 'z'>]>");
				assert_string_equal(doc->components[1].name, "<!ENTITY b>");
			}
			sbom_doc_free(doc);
			if (sbom_validate(b.data, b.len, e->d_name, &v, &err) != VG_OK)
				fail_msg("%s: %s", e->d_name, err.msg);
			assert_true(v.valid);
			assert_true(v.schema_checked);
			sbom_validation_release(&v);
		}
		vg_buf_release(&b);
	}
	closedir(d);
	/* the generator's set, all of it: see tests/fuzz/gen_xml_hostile.py */
	assert_true(hostile >= 100);
	assert_int_equal(good, 6);
	assert_int_equal(dtd16, 28); /* 7 DTD cases x 4 UTF-16 forms */
	assert_true(utf7 >= 8 && ebcdic == 7 && utf32 == 28);
}

/* ------------------------------------------------------------ UTF-16 */

/* UTF-8 (valid) into UTF-16, with or without a byte-order mark. */
static void to_utf16(const char *s, size_t n, int be, int bom, struct vg_buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	vg_buf_init(out, 0);
	if (bom)
		vg_buf_add(out, be ? "\xfe\xff" : "\xff\xfe", 2);
	for (size_t i = 0; i < n;) {
		unsigned long c = p[i];
		size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (len > 1)
			c &= 0x3fUL >> (len - 1);
		for (size_t j = 1; j < len; j++)
			c = c << 6 | (p[i + j] & 0x3f);
		i += len;
		unsigned long u[2] = {c, 0};
		int k = 1;
		if (c >= 0x10000) {
			u[0] = 0xd800 + ((c - 0x10000) >> 10);
			u[1] = 0xdc00 + ((c - 0x10000) & 0x3ff);
			k = 2;
		}
		for (int j = 0; j < k; j++) {
			char two[2] = {(char)(be ? u[j] >> 8 : u[j] & 0xff),
				       (char)(be ? u[j] & 0xff : u[j] >> 8)};
			vg_buf_add(out, two, 2);
		}
	}
}

/* A real CycloneDX XML (proton-bridge 1.8.0: 202 components, counted with
 * ElementTree) reads the same in UTF-8 and in all four UTF-16 forms. */
static void test_real_bom_in_utf16(void **state)
{
	(void)state;
	char path[4096];
	const char *base = getenv("VIGIL_SHARED_DATA");
	struct vg_buf b, text, w;
	struct vg_error err = {0};
	struct sbom_doc *d8 = NULL, *d16 = NULL;
	struct sbom_validation v;
	const char *decl;

	snprintf(path, sizeof(path),
		 "%s/sbom/cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.xml",
		 base ? base : "../shared/data");
	read_path(path, &b);
	assert_int_equal(sbom_parse(b.data, b.len, "bridge.xml", &d8, &err), VG_OK);
	assert_int_equal(d8->n_components, 202);
	/* the declaration says UTF-8: say UTF-16 for the UTF-16 copies */
	decl = strstr(b.data, "encoding=\"UTF-8\"");
	assert_non_null(decl);
	vg_buf_init(&text, 0);
	vg_buf_add(&text, b.data, (size_t)(decl - b.data));
	vg_buf_adds(&text, "encoding=\"UTF-16\"");
	vg_buf_adds(&text, decl + 16);
	for (int form = 0; form < 4; form++) {
		to_utf16(text.data, text.len, form & 1, form & 2, &w);
		assert_true(sbom_xml_foreign(w.data, w.len));
		if (sbom_parse(w.data, w.len, "bridge16.xml", &d16, &err) != VG_OK)
			fail_msg("form %d: %s", form, err.msg);
		assert_int_equal(d16->n_components, d8->n_components);
		for (size_t i = 0; i < d8->n_components; i++) {
			assert_string_equal(d16->components[i].name, d8->components[i].name);
			if (d8->components[i].purl)
				assert_string_equal(d16->components[i].purl,
						    d8->components[i].purl);
		}
		sbom_doc_free(d16);
		if (sbom_validate(w.data, w.len, "bridge16.xml", &v, &err) != VG_OK)
			fail_msg("form %d: %s", form, err.msg);
		assert_true(v.schema_checked);
		sbom_validation_release(&v);
		/* the size limit counts the text: 20 bytes is too small for it */
		assert_int_equal(vg_config_set("sbom.max_bytes", "20"), VG_OK);
		assert_int_equal(sbom_parse(w.data, w.len, "bridge16.xml", &d16, &err), VG_ETOOBIG);
		assert_null(d16);
		assert_int_equal(sbom_validate(w.data, w.len, "bridge16.xml", &v, &err),
				 VG_ETOOBIG);
		sbom_validation_release(&v);
		assert_int_equal(vg_config_set("sbom.max_bytes", "0"), VG_OK);
		vg_buf_release(&w);
	}
	/* the same document labelled UTF-16 but left in UTF-8 bytes */
	assert_int_equal(sbom_parse(text.data, text.len, "label.xml", &d16, &err), VG_EPARSE);
	assert_contains(err.msg, "label.xml: line 1: XML declares encoding 'UTF-16' but is "
				 "written in UTF-8");
	sbom_doc_free(d8);
	vg_buf_release(&text);
	vg_buf_release(&b);
}

static const char *refuse_bytes(const char *s, size_t n, int code)
{
	static struct vg_error err;
	struct sbom_doc *doc = NULL;
	int rc = sbom_parse(s, n, "b.xml", &doc, &err);
	if (doc)
		fail_msg("accepted: %.80s", s);
	assert_int_equal(rc, code);
	return err.msg;
}

#define LIT(s) s, sizeof(s) - 1

static void test_broken_utf16(void **state)
{
	(void)state;
	const char *m;
	/* odd length */
	m = refuse_bytes(LIT("\xff\xfe<\0b\0o\0m\0/\0>"), VG_EPARSE);
	assert_contains(m, "ends in the middle of a character");
	/* a high surrogate followed by '/' */
	m = refuse_bytes(LIT("\xff\xfe<\0b\0\x00\xd8/\0>\0"), VG_EPARSE);
	assert_contains(m, "b.xml: line 1: byte 6: unpaired UTF-16 surrogate");
	/* a lone low surrogate on line 2 */
	m = refuse_bytes(LIT("\xfe\xff\0<\0b\0\n\xdc\x00\0/\0>"), VG_EPARSE);
	assert_contains(m, "line 2: byte 8: unpaired UTF-16 surrogate");
	/* U+0000 */
	m = refuse_bytes(LIT("<\0b\0\0\0/\0>\0"), VG_EPARSE);
	assert_contains(m, "U+0000 is not allowed");
	/* UTF-16 JSON is still not an SBOM: its own message */
	m = refuse_bytes(LIT("\xff\xfe{\0}\0"), VG_EPARSE);
	assert_contains(m, "UTF-16 byte-order mark; the document must be UTF-8");
}

static void test_foreign(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t n;
		int want;
	} cases[] = {
	    {LIT("<bom/>"), 0},
	    {LIT("\xef\xbb\xbf<bom/>"), 0},
	    {LIT("{}"), 0},
	    {LIT(""), 0},
	    {LIT("\xff\xfe<\0"), 1},
	    {LIT("\xfe\xff\0<"), 1},
	    {LIT("\xff\xfe{\0"), 0},
	    {LIT("<\0?\0x\0m\0"), 1},
	    {LIT("\0<\0?\0x\0m"), 1},
	    {LIT(" \0\n\0<\0"), 1},
	    {LIT("{\0\"\0"), 0},
	    {LIT("\0\0\0<"), 1},
	    {LIT("<\0\0\0"), 1},
	    {LIT("\0\0\xfe\xff\0\0\0<"), 1},
	    {LIT("\xff\xfe\0\0<\0\0\0"), 1},
	    {LIT("\x4c\x6f\xa7\x94"), 1},
	    {LIT("+/v8-<?xml"), 1},
	    {LIT("+/v8-{}"), 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sbom_xml_foreign(cases[i].s, cases[i].n) != cases[i].want)
			fail_msg("case %zu: expected %d", i, cases[i].want);
	assert_int_equal(sbom_xml_foreign(NULL, 0), 0);
}

/* Without a DTD an entity reference is an error, never text. */
static void test_no_entities_without_dtd(void **state)
{
	(void)state;
	struct vg_error err = {0};
	struct sbom_doc *d = NULL;
	const char *m;
	const char *ok = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components>"
			 "<component type=\"library\" bom-ref=\"&#x26;x;&amp;&lt;\">"
			 "<name>&#60;a&gt;</name></component></components></bom>";

	m = refuse_bytes(LIT("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components>"
			     "<component type=\"library\" bom-ref=\"&x;\"><name>a</name>"
			     "</component></components></bom>"),
			 VG_EPARSE);
	assert_contains(m, "b.xml: line 1");
	assert_contains(m, "Entity 'x' not defined");
	/* character references and the five predefined entities are text */
	assert_int_equal(sbom_parse(ok, strlen(ok), "ok.xml", &d, &err), VG_OK);
	assert_string_equal(d->components[0].ref, "&x;&<");
	assert_string_equal(d->components[0].name, "<a>");
	sbom_doc_free(d);
	/* a DOCTYPE after the root element is no DTD: just not well-formed */
	m = refuse_bytes(LIT("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>\n"
			     "<!DOCTYPE bom [<!ENTITY x \"y\">]>"),
			 VG_EPARSE);
	assert_contains(m, "b.xml: line 2");
	/* XInclude is never processed: the element stays an element, nothing is read */
	const char *xi = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components>"
			 "<component type=\"library\"><name><xi:include "
			 "xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" "
			 "parse=\"text\"/></name></component></components></bom>";
	assert_int_equal(sbom_parse(xi, strlen(xi), "xi.xml", &d, &err), VG_OK);
	assert_string_equal(d->components[0].name, "");
	sbom_doc_free(d);
	/* declared encodings are compared without regard to case */
	const char *lower = "<?xml version='1.0' encoding='utf-8' ?><bom "
			    "xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>";
	assert_int_equal(sbom_parse(lower, strlen(lower), "l.xml", &d, &err), VG_OK);
	sbom_doc_free(d);
	/* a long hostile label is cut, and shown printable */
	m = refuse_bytes(LIT("<?xml version=\"1.0\" encoding=\"x\x01yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
			     "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\"?><bom/>"),
			 VG_EPARSE);
	assert_contains(m, "XML declares encoding 'x?yyy");
	assert_contains(m, "...'; only UTF-8 and UTF-16 are accepted");
}

static int setup(void **state)
{
	(void)state;
	vg_config_set("sbom.schema_dir", getenv("VIGIL_SBOM_SCHEMA_DIR")
					     ? getenv("VIGIL_SBOM_SCHEMA_DIR")
					     : VIGIL_SCHEMA_DIR);
	return 0;
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
	    cmocka_unit_test(test_corpus),
	    cmocka_unit_test(test_real_bom_in_utf16),
	    cmocka_unit_test(test_broken_utf16),
	    cmocka_unit_test(test_foreign),
	    cmocka_unit_test(test_no_entities_without_dtd),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
