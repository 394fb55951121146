/*
 * xml.h - the one way XML comes into vigil; not for use outside src/sbom/.
 *
 * Every CycloneDX XML document (sbom_parse_ex(), sbom_validate(), so every
 * import, validate and upload route, and the fuzz target) is read by
 * sbom_xml_read(), which:
 *
 *  - refuses, before libxml2 decodes a byte, every encoding but UTF-8 and
 *    UTF-16: whether the first bytes say so (UTF-32 and UCS-4, EBCDIC, UTF-7
 *    and the other byte-order marks of XML 1.0 appendix F) or the XML
 *    declaration does (encoding="UTF-7"), and a declaration that contradicts
 *    the bytes (UTF-16 labelled UTF-8, or the other way round);
 *  - turns UTF-16 (either byte order, with or without a byte-order mark) into
 *    UTF-8 itself, so libxml2 only ever reads UTF-8 and is told to ignore the
 *    declared encoding;
 *  - parses with options that load nothing (no DTD loading, no entity
 *    substitution, no network, no XInclude) and with the parser's default
 *    limits (never XML_PARSE_HUGE);
 *  - stops the parser at the first document type declaration (internal or
 *    external subset), entity, element, attribute list or notation
 *    declaration the parser reports, as the parser sees it after decoding,
 *    and refuses the document: nothing is ever expanded or fetched, and the
 *    refusal costs one pass over the prolog.
 *
 * Process-wide, libxml2's external entity loader refuses every load except
 * the schema files read through sbom_xml_schema_load().
 */
#ifndef VIGIL_SBOM_XML_H
#define VIGIL_SBOM_XML_H

#include "core/error.h"

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <stddef.h>

#include "sbom/parse.h"

struct vg_error;

/*
 * 1 when the first bytes are XML (a '<' after white space) in an encoding
 * that is not ASCII-compatible: UTF-16, UTF-32, UCS-4, EBCDIC, or a UTF-7
 * byte-order mark. Format detection sends such input to sbom_xml_read()
 * (which accepts only the UTF-16 among them) instead of refusing it as not
 * UTF-8.
 */
int sbom_xml_foreign(const char *data, size_t n);

/* Why sbom_xml_read() refused a document, without the file name. */
struct sbom_xml_fault {
	long line;     /* 0 when no line applies */
	int column;    /* 0 when not known */
	int malformed; /* 1: libxml2 found it not well-formed; 0: refused by the rules above,
			  not UTF-8/UTF-16, or too big */
	char what[480];
};

/*
 * Read n bytes named filename (used in messages only) into *out (the caller
 * frees it with xmlFreeDoc()). opts may be NULL (sbom.max_bytes). On failure
 * *out is NULL, f says why, err holds "FILE: line L: what", and the code is
 * VG_EPARSE, VG_ETOOBIG or VG_ENOMEM. Messages include
 *   "XML declares encoding 'UTF-7'; only UTF-8 and UTF-16 are accepted" and
 *   "document type declarations (DTD) are not accepted".
 */
int sbom_xml_read(const char *data, size_t n, const char *filename,
		  const struct sbom_parse_opts *opts, xmlDocPtr *out, struct sbom_xml_fault *f,
		  struct vg_error *err) VG_MUST_CHECK;

/*
 * Compile the XSD at path (a trusted file shipped with vigil: its imports are
 * read from the same directory, never from the network). NULL when it cannot
 * be read or is not a schema. Diagnostics are not printed.
 */
xmlSchemaPtr sbom_xml_schema_load(const char *path);

#endif
