/*
 * multipart.h - a bounded parser for multipart/form-data bodies (RFC 7578,
 * framing of RFC 2046 section 5.1.1), shared by every room that accepts
 * uploads (the Dependency-Track compatible SBOM upload, the public CVD
 * portal).
 *
 * Rules:
 *  - The body is parsed in place: a part's data points into the caller's
 *    body and is valid as long as the body is. Nothing is allocated.
 *  - Every size is bounded: at most max parts (more is an error, never a
 *    silent cut), MP_HEADER_MAX bytes of headers per part, field and file
 *    names cut to their buffers is an error too (a name that does not fit
 *    cannot be matched safely).
 *  - A delimiter only counts at the start of a line; the closing delimiter
 *    is required (a truncated upload is refused, not half-accepted).
 *  - Errors are VG_EINVAL (VG_ETOOBIG for too many parts) with a message
 *    naming the part number and what was expected.
 *  - Fuzzed: tests/fuzz/fuzz_multipart.c.
 */
#ifndef VIGIL_HTTP_MULTIPART_H
#define VIGIL_HTTP_MULTIPART_H

#include "core/error.h"

#include <stddef.h>

struct vg_error;

#define MP_NAME_MAX     64   /* bytes of a field name, with the NUL */
#define MP_FILENAME_MAX 256  /* bytes of a file name, with the NUL */
#define MP_CTYPE_MAX    128  /* bytes of a part's Content-Type, with the NUL */
#define MP_HEADER_MAX   8192 /* bytes of one part's header block */
#define MP_BOUNDARY_MAX 70   /* RFC 2046 */

struct mp_part {
	char name[MP_NAME_MAX];         /* the form field name ("" when absent) */
	char filename[MP_FILENAME_MAX]; /* the file name; "" when not given */
	int is_file;                    /* a filename parameter was present (even empty) */
	char ctype[MP_CTYPE_MAX];       /* the part's Content-Type; "" when absent */
	const char *data;               /* OUT: points into the body */
	size_t n;
};

/*
 * The boundary of a Content-Type header value ("multipart/form-data;
 * boundary=xyz", quoted or not) into out (MP_BOUNDARY_MAX + 1 bytes).
 * VG_EINVAL naming what is wrong when the type is not multipart/form-data or
 * the boundary is missing, empty, too long or has characters RFC 2046 does
 * not allow.
 */
int mp_boundary(const char *content_type, char *out, size_t outsz,
		struct vg_error *err) VG_MUST_CHECK;

/*
 * Parse body (n bytes) of the given Content-Type into parts[0..max-1];
 * *nparts is the number found. On error *nparts is 0 and nothing in parts
 * may be used.
 */
int mp_parse(const char *content_type, const char *body, size_t n, struct mp_part *parts, int max,
	     int *nparts, struct vg_error *err) VG_MUST_CHECK;

/* The first part named name, or NULL. */
const struct mp_part *mp_find(const struct mp_part *parts, int nparts, const char *name);

#endif
