/*
 * parse.h - reading SBOM documents into the model (model.h).
 *
 * Formats, detected from the content, never from the file name:
 *   CycloneDX 1.2-1.7 JSON, CycloneDX 1.0-1.7 XML (cyclonedx.c),
 *   SPDX 2.2 / 2.3 JSON and tag-value (spdx.c), SPDX 3.0.x JSON-LD (spdx3.c).
 *
 * Rules:
 *  - Input is untrusted. It is refused, with nothing returned, when it is
 *    larger than the limit (config sbom.max_bytes, default 256 MiB), not UTF-8
 *    (UTF-16 only for XML), truncated or malformed, nested deeper than
 *    VG_JSON_MAX_DEPTH levels (JSON) / SBOM_MAX_NESTING nested components,
 *    of an unknown spec version, has two objects with the same bom-ref / SPDX
 *    id, or a dependency / relationship that names a ref the document does not
 *    define (dangling; SPDX "DocumentRef-..." refs and NONE / NOASSERTION are
 *    not dangling). XML is read by sbom_xml_read() (xml.h): UTF-8 or UTF-16
 *    only, no DTD, no entities, nothing loaded.
 *  - Error messages start with the file name, then the place: a JSON pointer
 *    ("/components/12/bom-ref"), "line N" for XML and tag-value, or a byte
 *    offset, then what was expected.
 *  - This is not schema validation: fields the model does not keep are not
 *    looked at, and a missing name becomes "". Fields the model keeps must
 *    have the right JSON type.
 *  - SPDX files and snippets are not components (SPDX 2 files carry no
 *    version or purl; a file-level inventory belongs to the file list, not
 *    the dependency graph). Their ids are known, so relationships to them are
 *    dropped and counted, never dangling.
 */
#ifndef VIGIL_SBOM_PARSE_H
#define VIGIL_SBOM_PARSE_H

#include "core/error.h"

#include <stddef.h>

#include "sbom/model.h"

struct vg_error;

#define SBOM_MAX_BYTES_DEFAULT ((size_t)256 * 1024 * 1024)
/* Components inside components, deeper than this, are refused. */
#define SBOM_MAX_NESTING 64

struct sbom_parse_opts {
	size_t max_bytes;   /* 0: config "sbom.max_bytes", default SBOM_MAX_BYTES_DEFAULT */
	int allow_dangling; /* 1: drop dangling relationships (counted) instead of refusing */
	/* With allow_dangling, called (when set) for each dangling reference
	 * dropped: where is the JSON pointer (NULL for XML and tag-value), line
	 * the line (0 for JSON), ref the name that no element has. */
	void (*dangling)(void *arg, const char *where, long line, const char *ref);
	void *dangling_arg;
};

/*
 * Parse n bytes (no NUL needed) named filename (used in messages only) into
 * *out (caller frees with sbom_doc_free()). On failure *out is NULL and the
 * code is VG_EPARSE (malformed, unknown version, duplicate or dangling ref),
 * VG_ETOOBIG (over the size limit) or VG_ENOMEM.
 */
int sbom_parse(const char *data, size_t n, const char *filename, struct sbom_doc **out,
	       struct vg_error *err) VG_MUST_CHECK;
/* The same with options (opts may be NULL). */
int sbom_parse_ex(const char *data, size_t n, const char *filename,
		  const struct sbom_parse_opts *opts, struct sbom_doc **out,
		  struct vg_error *err) VG_MUST_CHECK;

/*
 * One format each, for callers (and fuzz targets) that know the format: same
 * contract as sbom_parse_ex(); input of another format is refused.
 */
int sbom_cyclonedx_parse_json(const char *data, size_t n, const char *filename,
			      const struct sbom_parse_opts *opts, struct sbom_doc **out,
			      struct vg_error *err) VG_MUST_CHECK;
int sbom_cyclonedx_parse_xml(const char *data, size_t n, const char *filename,
			     const struct sbom_parse_opts *opts, struct sbom_doc **out,
			     struct vg_error *err) VG_MUST_CHECK;
int sbom_spdx_parse_json(const char *data, size_t n, const char *filename,
			 const struct sbom_parse_opts *opts, struct sbom_doc **out,
			 struct vg_error *err) VG_MUST_CHECK;
int sbom_spdx_parse_tagvalue(const char *data, size_t n, const char *filename,
			     const struct sbom_parse_opts *opts, struct sbom_doc **out,
			     struct vg_error *err) VG_MUST_CHECK;
int sbom_spdx3_parse(const char *data, size_t n, const char *filename,
		     const struct sbom_parse_opts *opts, struct sbom_doc **out,
		     struct vg_error *err) VG_MUST_CHECK;

#endif
