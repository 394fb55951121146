/*
 * xml.c - the one way XML comes into vigil (see xml.h for the rules).
 *
 * The order matters: the encoding is decided from the bytes and the XML
 * declaration before libxml2 sees anything, UTF-16 is made UTF-8 here, and
 * libxml2 is then given UTF-8 only, told to ignore the declared encoding, so
 * what the checks saw is what the parser reads. The parser is stopped from
 * its SAX callbacks at the first declaration of a DTD, so no entity is ever
 * declared, let alone expanded, and nothing is loaded.
 */
#define _POSIX_C_SOURCE 200809L

#include "sbom/xml.h"
#include "core/error.h"
#include "sbom/sbom_int.h"

#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/valid.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* ------------------------------------------------------------ the bytes */

/* What the first bytes of a document say about its encoding. */
struct xml_form {
	const char *name; /* for messages */
	int unit;         /* bytes per code unit: 1, 2 (UTF-16) or 4 (UCS-4) */
	int be;           /* big-endian (unit 2 or 4) */
	int accepted;     /* UTF-8 or UTF-16 */
	size_t bom;       /* bytes of byte-order mark */
};

static int is_s(unsigned c)
{
	return c == 0x20 || c == 0x09 || c == 0x0d || c == 0x0a;
}

/*
 * XML 1.0 appendix F: byte-order marks first, then the first four bytes of
 * "<?xm" (or of any '<' or white space) in each encoding family. Anything
 * else is taken as UTF-8 and checked as such.
 */
static void sniff(const unsigned char *p, size_t n, struct xml_form *f)
{
	static const struct {
		unsigned char b[4];
		size_t len;
		struct xml_form f;
	} marks[] = {
	    {{0x00, 0x00, 0xfe, 0xff}, 4, {"UTF-32BE", 4, 1, 0, 4}},
	    {{0xff, 0xfe, 0x00, 0x00}, 4, {"UTF-32LE", 4, 0, 0, 4}},
	    {{0x00, 0x00, 0xff, 0xfe}, 4, {"UCS-4 (2143)", 4, 0, 0, 4}},
	    {{0xfe, 0xff, 0x00, 0x00}, 4, {"UCS-4 (3412)", 4, 0, 0, 4}},
	    {{0xdd, 0x73, 0x66, 0x73}, 4, {"UTF-EBCDIC", 1, 0, 0, 4}},
	    {{0x84, 0x31, 0x95, 0x33}, 4, {"GB18030", 1, 0, 0, 4}},
	    {{0x4c, 0x6f, 0xa7, 0x94}, 4, {"EBCDIC", 1, 0, 0, 0}},
	    {{0xfe, 0xff}, 2, {"UTF-16BE", 2, 1, 1, 2}},
	    {{0xff, 0xfe}, 2, {"UTF-16LE", 2, 0, 1, 2}},
	    {{0xef, 0xbb, 0xbf}, 3, {"UTF-8", 1, 0, 1, 3}},
	    {{0x2b, 0x2f, 0x76}, 3, {"UTF-7", 1, 0, 0, 3}},
	    {{0xf7, 0x64, 0x4c}, 3, {"UTF-1", 1, 0, 0, 3}},
	    {{0x0e, 0xfe, 0xff}, 3, {"SCSU", 1, 0, 0, 3}},
	    {{0xfb, 0xee, 0x28}, 3, {"BOCU-1", 1, 0, 0, 3}},
	};
	static const struct xml_form utf8 = {"UTF-8", 1, 0, 1, 0};
	unsigned char b[4] = {1, 1, 1, 1}; /* short input: not zero, so never "wide" */

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		if (n >= marks[i].len && memcmp(p, marks[i].b, marks[i].len) == 0) {
			*f = marks[i].f;
			return;
		}
	}
	memcpy(b, p, n < 4 ? n : 4);
	*f = utf8;
	if (n < 2)
		return;
	if (n >= 4) {
		int zeros = (b[0] == 0) + (b[1] == 0) + (b[2] == 0) + (b[3] == 0);
		if (zeros == 3) {
			*f = (struct xml_form){b[3]   ? "UTF-32BE"
					       : b[0] ? "UTF-32LE"
						      : "UCS-4 (unusual byte order)",
					       4, b[3] != 0, 0, 0};
			return;
		}
	}
	if (b[0] == 0 && b[1] != 0)
		*f = (struct xml_form){"UTF-16BE", 2, 1, 1, 0};
	else if (b[0] != 0 && b[1] == 0)
		*f = (struct xml_form){"UTF-16LE", 2, 0, 1, 0};
}

/* The code unit at byte offset i in form f (EBCDIC's '<' is 0x4c). */
static unsigned long unit_at(const unsigned char *p, const struct xml_form *f, size_t i)
{
	if (f->unit == 2)
		return f->be ? (unsigned long)p[i] << 8 | p[i + 1]
			     : (unsigned long)p[i + 1] << 8 | p[i];
	if (f->unit == 4)
		return f->be ? (unsigned long)p[i] << 24 | (unsigned long)p[i + 1] << 16 |
				   (unsigned long)p[i + 2] << 8 | p[i + 3]
			     : (unsigned long)p[i + 3] << 24 | (unsigned long)p[i + 2] << 16 |
				   (unsigned long)p[i + 1] << 8 | p[i];
	return p[i];
}

int sbom_xml_foreign(const char *data, size_t n)
{
	const unsigned char *p = (const unsigned char *)data;
	struct xml_form f;
	size_t i;

	if (!data)
		return 0;
	sniff(p, n, &f);
	if (!strcmp(f.name, "UTF-8"))
		return 0;
	if (!strcmp(f.name, "EBCDIC"))
		return 1;
	i = f.bom;
	if (!strcmp(f.name, "UTF-7")) {
		/* the mark's fourth byte, then '<' written directly or as "+ADw" */
		return n >= i + 2 && (p[i + 1] == '<' || (p[i + 1] == '-' && n > i + 2 &&
							  (p[i + 2] == '<' || p[i + 2] == '+')));
	}
	if (f.unit == 1) /* another 8-bit form after its mark: '<' in ASCII or EBCDIC */
		return i < n && (p[i] == 0x3c || p[i] == 0x4c);
	for (int k = 0; k < 256 && i + (size_t)f.unit <= n; k++, i += (size_t)f.unit) {
		unsigned long c = unit_at(p, &f, i);
		if (c == '<')
			return 1;
		if (!is_s((unsigned)c))
			return 0;
	}
	return 0;
}

/* ------------------------------------------------------------ faults */

static int fault(struct sbom_xml_fault *f, struct vg_error *err, const char *file, int code,
		 long line, int col, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static int fault(struct sbom_xml_fault *f, struct vg_error *err, const char *file, int code,
		 long line, int col, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(f->what, sizeof(f->what), fmt, ap);
	va_end(ap);
	len = strlen(f->what);
	while (len && (f->what[len - 1] == '\n' || f->what[len - 1] == ' '))
		f->what[--len] = '\0';
	f->line = line;
	f->column = col;
	if (line > 0 && col > 0)
		return vg_error_set(err, code, "%s: line %ld, column %d: %s", file, line, col,
				    f->what);
	if (line > 0)
		return vg_error_set(err, code, "%s: line %ld: %s", file, line, f->what);
	return vg_error_set(err, code, "%s: %s", file, f->what);
}

/* A message from sbom_input_check() (it names the file) as a fault. */
static int fault_from(struct sbom_xml_fault *f, const struct vg_error *e, const char *file,
		      int code)
{
	const char *m = e->msg;
	size_t fl = strlen(file);
	if (!strncmp(m, file, fl) && m[fl] == ':' && m[fl + 1] == ' ')
		m += fl + 2;
	snprintf(f->what, sizeof(f->what), "%s", m);
	f->line = 0;
	return code;
}

/* ------------------------------------------------------------ UTF-16 */

/*
 * UTF-16 after its byte-order mark into UTF-8 (NUL-terminated, malloc'd).
 * Refuses an odd length, an unpaired surrogate and U+0000, naming the line
 * and the byte of the original.
 */
static int utf16_to_utf8(const unsigned char *p, size_t n, const struct xml_form *form,
			 const char *file, char **out, size_t *outn, struct sbom_xml_fault *f,
			 struct vg_error *err)
{
	size_t need = 0, i;
	long line = 1;
	char *o;

	*out = NULL;
	if ((n - form->bom) % 2)
		return fault(f, err, file, VG_EPARSE, 0, 0,
			     "byte %zu: UTF-16 text ends in the middle of a character", n - 1);
	/* first pass: check and measure */
	for (i = form->bom; i < n; i += 2) {
		unsigned long c = unit_at(p, form, i);
		if (c == '\n')
			line++;
		if (c == 0)
			return fault(f, err, file, VG_EPARSE, line, 0,
				     "byte %zu: U+0000 is not allowed in XML", i);
		if (c >= 0xd800 && c <= 0xdbff) {
			unsigned long d = i + 3 < n ? unit_at(p, form, i + 2) : 0;
			if (d < 0xdc00 || d > 0xdfff)
				return fault(f, err, file, VG_EPARSE, line, 0,
					     "byte %zu: unpaired UTF-16 surrogate", i);
			need += 4;
			i += 2;
		} else if (c >= 0xdc00 && c <= 0xdfff) {
			return fault(f, err, file, VG_EPARSE, line, 0,
				     "byte %zu: unpaired UTF-16 surrogate", i);
		} else {
			need += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
		}
	}
	if (!(o = malloc(need + 1)))
		return fault(f, err, file, VG_ENOMEM, 0, 0, "out of memory");
	*out = o;
	*outn = need;
	for (i = form->bom; i < n; i += 2) {
		unsigned long c = unit_at(p, form, i);
		if (c >= 0xd800 && c <= 0xdbff) {
			c = 0x10000 + ((c - 0xd800) << 10) + (unit_at(p, form, i + 2) - 0xdc00);
			i += 2;
			*o++ = (char)(0xf0 | c >> 18);
			*o++ = (char)(0x80 | (c >> 12 & 0x3f));
			*o++ = (char)(0x80 | (c >> 6 & 0x3f));
			*o++ = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x80) {
			*o++ = (char)c;
		} else if (c < 0x800) {
			*o++ = (char)(0xc0 | c >> 6);
			*o++ = (char)(0x80 | (c & 0x3f));
		} else {
			*o++ = (char)(0xe0 | c >> 12);
			*o++ = (char)(0x80 | (c >> 6 & 0x3f));
			*o++ = (char)(0x80 | (c & 0x3f));
		}
	}
	*o = '\0';
	return VG_OK;
}

/* ------------------------------------------------------------ declaration */

/*
 * The encoding named by the XML declaration at the start of t: 1 with name
 * set (printable ASCII, '?' for anything else, cut at cap), 0 when there is
 * no declaration or it names none. A declaration too broken to read is left
 * to the parser, which refuses it; it never switches encodings either way.
 */
static int declared_encoding(const char *t, size_t n, char *name, size_t cap)
{
	size_t i = 5;

	name[0] = '\0';
	if (n < 6 || memcmp(t, "<?xml", 5) != 0 || !is_s((unsigned char)t[5]))
		return 0;
	for (;;) {
		size_t k, klen, v;
		char q;
		while (i < n && is_s((unsigned char)t[i]))
			i++;
		if (i >= n || t[i] == '?')
			return 0;
		for (k = i;
		     i < n && ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z'));)
			i++;
		klen = i - k;
		while (i < n && is_s((unsigned char)t[i]))
			i++;
		if (!klen || i >= n || t[i] != '=')
			return 0;
		i++;
		while (i < n && is_s((unsigned char)t[i]))
			i++;
		if (i >= n || (t[i] != '"' && t[i] != '\''))
			return 0;
		q = t[i++];
		for (v = i; i < n && t[i] != q && t[i] != '<' && t[i] != '>';)
			i++;
		if (i >= n || t[i] != q)
			return 0;
		if (klen == 8 && memcmp(t + k, "encoding", 8) == 0) {
			size_t len = i - v, j;
			for (j = 0; j < len && j + 4 < cap; j++) {
				unsigned char c = (unsigned char)t[v + j];
				name[j] = c >= 0x20 && c < 0x7f && c != '\'' ? (char)c : '?';
			}
			if (j < len) {
				memcpy(name + j, "...", 3);
				j += 3;
			}
			name[j] = '\0';
			return 1;
		}
		i++;
	}
}

static int name_is(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
		if (x != *b)
			return 0;
	}
	return *a == *b;
}

/*
 * The declared encoding against the bytes: UTF-8 bytes may declare UTF-8,
 * UTF-16 bytes UTF-16 (or UTF-16LE / UTF-16BE in their own byte order).
 */
static int check_declared(const char *t, size_t n, const struct xml_form *form, const char *file,
			  struct sbom_xml_fault *f, struct vg_error *err)
{
	char enc[64];
	int utf16 = form->unit == 2;

	if (!declared_encoding(t, n, enc, sizeof(enc)))
		return VG_OK;
	if (!name_is(enc, "UTF-8") && !name_is(enc, "UTF-16") && !name_is(enc, "UTF-16LE") &&
	    !name_is(enc, "UTF-16BE"))
		return fault(f, err, file, VG_EPARSE, 1, 0,
			     "XML declares encoding '%s'; only UTF-8 and UTF-16 are accepted", enc);
	if (utf16 ? name_is(enc, "UTF-8") || (name_is(enc, "UTF-16LE") && form->be) ||
			(name_is(enc, "UTF-16BE") && !form->be)
		  : !name_is(enc, "UTF-8"))
		return fault(f, err, file, VG_EPARSE, 1, 0,
			     "XML declares encoding '%s' but is written in %s", enc,
			     utf16 ? form->name : "UTF-8");
	return VG_OK;
}

/* ------------------------------------------------------------ libxml2 */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static xmlExternalEntityLoader default_loader;
static _Thread_local int loading_schema;

/*
 * Every external load in the process comes here: documents never reach it
 * (their DTDs are refused before anything could be loaded), and only the
 * files of a schema being compiled by sbom_xml_schema_load() are read.
 */
static xmlParserInputPtr entity_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	if (loading_schema && default_loader && url &&
	    (!strstr(url, "://") || !strncmp(url, "file://", 7)))
		return default_loader(url, id, ctxt);
	return NULL;
}

static void xml_init(void)
{
	xmlInitParser();
	default_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(entity_loader);
}

/* What the SAX hooks saw: the first refused declaration, and where. */
struct xml_stop {
	const char *what;
	long line;
};

static void stop(void *ctx, const char *what)
{
	xmlParserCtxtPtr c = ctx;
	struct xml_stop *st = c->_private;
	if (st && !st->what) {
		st->what = what;
		st->line = c->input ? c->input->line : 0;
	}
	xmlStopParser(c);
}

static const char no_dtd[] = "document type declarations (DTD) are not accepted";

static void on_subset(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
	(void)name;
	(void)eid;
	(void)sid;
	stop(ctx, no_dtd);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *pid,
			   const xmlChar *sid, xmlChar *content)
{
	(void)name;
	(void)type;
	(void)pid;
	(void)sid;
	(void)content;
	stop(ctx, "entity declarations are not accepted");
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name, const xmlChar *pid,
				    const xmlChar *sid, const xmlChar *notation)
{
	(void)name;
	(void)pid;
	(void)sid;
	(void)notation;
	stop(ctx, "entity declarations are not accepted");
}

static void on_notation_decl(void *ctx, const xmlChar *name, const xmlChar *pid, const xmlChar *sid)
{
	(void)name;
	(void)pid;
	(void)sid;
	stop(ctx, no_dtd);
}

static void on_element_decl(void *ctx, const xmlChar *name, int type, xmlElementContentPtr content)
{
	(void)name;
	(void)type;
	(void)content;
	stop(ctx, no_dtd);
}

static void on_attribute_decl(void *ctx, const xmlChar *elem, const xmlChar *name, int type,
			      int def, const xmlChar *dflt, xmlEnumerationPtr tree)
{
	(void)elem;
	(void)name;
	(void)type;
	(void)def;
	(void)dflt;
	xmlFreeEnumeration(tree); /* the handler owns it */
	stop(ctx, no_dtd);
}

/* No entity is known but the five predefined ones, which the parser knows. */
static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name)
{
	(void)ctx;
	return xmlGetPredefinedEntity(name);
}

static xmlEntityPtr on_get_parameter_entity(void *ctx, const xmlChar *name)
{
	(void)ctx;
	(void)name;
	return NULL;
}

static xmlParserInputPtr on_resolve_entity(void *ctx, const xmlChar *pid, const xmlChar *sid)
{
	(void)pid;
	(void)sid;
	stop(ctx, "external entities are not accepted");
	return NULL;
}

/*
 * No XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE, HUGE or
 * RECOVER; the declared encoding is ignored (the text is UTF-8 by now).
 */
#define XML_READ_OPTIONS                                                                   \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | \
	 XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC)

static int parse_utf8(const char *t, size_t n, const char *file, xmlDocPtr *out,
		      struct sbom_xml_fault *f, struct vg_error *err)
{
	struct xml_stop st = {NULL, 0};
	xmlParserCtxtPtr c;
	xmlDocPtr d;
	int rc = VG_OK;

	if (n > INT_MAX)
		return fault(f, err, file, VG_ETOOBIG, 0, 0,
			     "XML documents are limited to %d bytes", INT_MAX);
	if (!(c = xmlNewParserCtxt()))
		return fault(f, err, file, VG_ENOMEM, 0, 0, "out of memory");
	/* the context has its own copy of the SAX handler */
	c->sax->internalSubset = on_subset;
	c->sax->externalSubset = on_subset;
	c->sax->entityDecl = on_entity_decl;
	c->sax->unparsedEntityDecl = on_unparsed_entity_decl;
	c->sax->notationDecl = on_notation_decl;
	c->sax->elementDecl = on_element_decl;
	c->sax->attributeDecl = on_attribute_decl;
	c->sax->getEntity = on_get_entity;
	c->sax->getParameterEntity = on_get_parameter_entity;
	c->sax->resolveEntity = on_resolve_entity;
	c->_private = &st;
	d = xmlCtxtReadMemory(c, t, (int)n, NULL, "UTF-8", XML_READ_OPTIONS);
	if (st.what || (d && (d->intSubset || d->extSubset))) {
		rc = fault(f, err, file, VG_EPARSE, st.what ? st.line : 1, 0, "%s",
			   st.what ? st.what : no_dtd);
	} else if (!d || !c->wellFormed) {
		const xmlError *xe = xmlCtxtGetLastError(c);
		f->malformed = 1;
		rc =
		    fault(f, err, file, xe && xe->code == XML_ERR_NO_MEMORY ? VG_ENOMEM : VG_EPARSE,
			  xe && xe->line > 0 ? xe->line : 1, xe ? xe->int2 : 0, "%s",
			  xe && xe->message ? xe->message : "malformed XML");
	}
	if (rc) {
		xmlFreeDoc(d);
		d = NULL;
	}
	xmlFreeParserCtxt(c);
	*out = d;
	return rc;
}

int sbom_xml_read(const char *data, size_t n, const char *filename,
		  const struct sbom_parse_opts *opts, xmlDocPtr *out, struct sbom_xml_fault *f,
		  struct vg_error *err)
{
	const unsigned char *p = (const unsigned char *)data;
	struct vg_error ierr = {0};
	struct xml_form form;
	char *wide = NULL;
	const char *t = data;
	size_t tn = n;
	int rc;

	*out = NULL;
	memset(f, 0, sizeof(*f));
	pthread_once(&xml_once, xml_init);
	if (!data)
		n = 0;
	sniff(p, n, &form);
	if (!form.accepted)
		return fault(
		    f, err, filename, VG_EPARSE, 1, 0,
		    "the document is in %s (by its first bytes); only UTF-8 and UTF-16 are "
		    "accepted",
		    form.name);
	if (form.unit == 2) {
		if ((rc = utf16_to_utf8(p, n, &form, filename, &wide, &tn, f, err)))
			return rc;
		t = wide;
	}
	/* size, then UTF-8 (of the text libxml2 will read) */
	if ((rc = sbom_input_check(t, tn, filename, opts, &ierr))) {
		fault_from(f, &ierr, filename, rc);
		if (err)
			*err = ierr;
		goto out;
	}
	if (tn >= 3 && !memcmp(t, "\xef\xbb\xbf", 3)) {
		t += 3; /* lines are not moved */
		tn -= 3;
	}
	if ((rc = check_declared(t, tn, &form, filename, f, err)))
		goto out;
	rc = parse_utf8(t, tn, filename, out, f, err);
out:
	free(wide);
	return rc;
}

/* xmlStructuredErrorFunc's pointer type differs between libxml2 versions. */
static void quiet(void *ud, xmlErrorPtr e)
{
	(void)ud;
	(void)e;
}

xmlSchemaPtr sbom_xml_schema_load(const char *path)
{
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr s;

	pthread_once(&xml_once, xml_init);
	if (!(pc = xmlSchemaNewParserCtxt(path)))
		return NULL;
	/* the schema's own diagnostics would go to stderr: keep them out */
	xmlSchemaSetParserStructuredErrors(pc, quiet, NULL);
	loading_schema = 1;
	s = xmlSchemaParse(pc);
	loading_schema = 0;
	xmlSchemaFreeParserCtxt(pc);
	return s;
}
