/*
 * export.h - SBOM export from what is stored: CycloneDX 1.6 / 1.7 JSON and
 * SPDX 2.3 JSON, complete (components, hashes, licenses, dependencies,
 * properties, external references) and valid against the format's schema.
 */
#ifndef VIGIL_SBOM_EXPORT_H
#define VIGIL_SBOM_EXPORT_H

#include "core/error.h"

#include <stddef.h>

struct store;
struct vg_error;

/* VG_OK when format is one of "cyclonedx-1.6", "cyclonedx-1.7", "spdx-2.3". */
int sbom_export_format_ok(const char *format);

/*
 * The newest revision of product/version as a document of format, into *out
 * (malloc'ed JSON text, caller frees). The export is audited.
 */
int sbom_export(struct store *s, const char *product, const char *version, const char *format,
		char **out, struct vg_error *err) VG_MUST_CHECK;

/* Where a streamed export goes: write n bytes; 0 ok, non-zero failure. */
typedef int (*sbom_export_write_fn)(void *arg, const char *p, size_t n);

/*
 * As sbom_export(), written piece by piece to write(arg, ...) as the
 * components are read from the store: memory stays small whatever the
 * number of components. The text is the same as sbom_export() gives. On
 * failure part of the document may have been written already.
 */
int sbom_export_stream(struct store *s, const char *product, const char *version,
		       const char *format, sbom_export_write_fn write, void *arg,
		       struct vg_error *err) VG_MUST_CHECK;

#endif
