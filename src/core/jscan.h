/*
 * jscan.h - a pull scanner over JSON text, for bulk ingest where building a
 * jansson tree costs more than the work itself (a 40 MB SBOM: jansson
 * ~1.5 s to parse and free, this scanner ~0.1 s). Small documents and
 * anything that needs a tree keep using core/json.h.
 *
 * Rules:
 *  - The scanner never allocates. Strings come back as a view into the input
 *   (struct vg_jstr); vg_jstr_decode() writes the unescaped bytes where the
 *   caller wants them. The input must outlive the views.
 *  - The caller drives: vg_jscan_peek() says what comes next, then the caller
 *   reads it (vg_jscan_string(), vg_jscan_int()), walks into it
 *   (vg_jscan_object() + vg_jscan_key(), vg_jscan_array() + vg_jscan_item())
 *   or skips it (vg_jscan_skip()).
 *  - The full RFC 8259 grammar is checked on everything read or skipped,
 *   nesting is bounded by max_depth, and vg_jscan_end() checks that nothing
 *   but white space follows the document. UTF-8 validity is the caller's
 *   job (check the whole input once).
 *  - The first error sticks: every later call fails. vg_jscan_error() gives
 *   "byte N, line L: <what was expected>".
 */
#ifndef VIGIL_CORE_JSCAN_H
#define VIGIL_CORE_JSCAN_H

#include <stddef.h>

enum vg_jtype {
	VG_JT_ERROR = 0,
	VG_JT_OBJECT,
	VG_JT_ARRAY,
	VG_JT_STRING,
	VG_JT_NUMBER,
	VG_JT_TRUE,
	VG_JT_FALSE,
	VG_JT_NULL,
};

struct vg_jscan {
	const char *start, *p, *end;
	int depth, max_depth;
	int first; /* just entered a container: no comma before the next member */
	int failed;
	size_t err_at;
	char err[160];
};

/* A string as it appears in the input, without the quotes. */
struct vg_jstr {
	const char *raw;
	size_t len;
	int escaped; /* raw contains backslash escapes */
};

void vg_jscan_init(struct vg_jscan *s, const char *data, size_t n, int max_depth);

/* Type of the next value (white space skipped); VG_JT_ERROR on error. */
enum vg_jtype vg_jscan_peek(struct vg_jscan *s);

/* Enter an object / array (the next value must be one). 0 ok, -1 error. */
int vg_jscan_object(struct vg_jscan *s);
int vg_jscan_array(struct vg_jscan *s);

/*
 * Next member of the current object: 1 with *key set and the ':' consumed
 * (read or skip the value next), 0 at the closing brace (consumed), -1 error.
 */
int vg_jscan_key(struct vg_jscan *s, struct vg_jstr *key);

/* Next element of the current array: 1 when one follows, 0 at ']', -1 error. */
int vg_jscan_item(struct vg_jscan *s);

/* Read a string / an integer value (a number with fraction or exponent, or
 * out of range, is an error). 0 ok, -1 error. */
int vg_jscan_string(struct vg_jscan *s, struct vg_jstr *out);
int vg_jscan_int(struct vg_jscan *s, long long *out);

/* Read a number as its text (the grammar checked); *integral is 1 when it
 * has neither fraction nor exponent. 0 ok, -1 error. */
int vg_jscan_number(struct vg_jscan *s, struct vg_jstr *raw, int *integral);

/* Skip the next value, whatever it is. 0 ok, -1 error. */
int vg_jscan_skip(struct vg_jscan *s);

/* After the top-level value: only white space may remain. 0 ok, -1 error. */
int vg_jscan_end(struct vg_jscan *s);

/* Record an error of the caller's at the current position (first one wins). */
void vg_jscan_fail(struct vg_jscan *s, const char *what);

/* "byte N, line L: what" of the first error. */
const char *vg_jscan_error(const struct vg_jscan *s, char *buf, size_t bufsz);

/* 1 when the string equals the NUL-terminated lit. */
int vg_jstr_eq(const struct vg_jstr *j, const char *lit);

/*
 * Unescape j into out, which must hold j->len + 1 bytes; NUL-terminates and
 * returns the decoded length. \u0000 decodes to a NUL byte; an unpaired
 * surrogate decodes to U+FFFD.
 */
size_t vg_jstr_decode(const struct vg_jstr *j, char *out);

#endif
