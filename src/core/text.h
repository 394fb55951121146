/*
 * text.h - checks for text and numbers that come from outside: request
 * bodies, query parameters, command-line options. One helper per job, so a
 * bad value gives the same clear error everywhere (a usage error in the
 * CLI, a 400 on the API), naming the parameter.
 */
#ifndef VIGIL_CORE_TEXT_H
#define VIGIL_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct vg_error;

/*
 * Check a text field from outside: valid UTF-8, at most max bytes, no
 * control characters other than tab, CR and LF (multiline) or none but tab
 * (single line), and no Unicode direction controls (vg_text_is_bidi: they
 * make a name or title display in another order than it is stored, the
 * "Trojan Source" trick). required: empty or NULL is an error. what names
 * the field in the message ("request body: /description").
 */
int vg_text_check(const char *what, const char *v, size_t max, int multiline, int required,
		  struct vg_error *err) __attribute__((warn_unused_result));

/* Decode the UTF-8 sequence at s (n bytes available): its length (1 to 4)
 * and code point, or 0 when it is not valid UTF-8 (overlong, surrogate,
 * truncated). */
size_t vg_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* 1 when cp is a Unicode direction control: the embeddings and overrides
 * U+202A-U+202E, the isolates U+2066-U+2069, the marks U+200E, U+200F and
 * U+061C. */
int vg_text_is_bidi(uint32_t cp);
/* The length in bytes (2 or 3) of the direction control UTF-8-encoded at s
 * (n bytes available), 0 when s does not start with one. For writers that
 * show stored text (http/html.h). */
size_t vg_text_bidi_at(const char *s, size_t n);

/*
 * Parse a whole decimal integer in [min, max]. VG_EINVAL naming what and
 * the range when s is empty, has trailing characters, overflows or is out
 * of range ("limit 'abc': expected an integer from 1 to 10000").
 */
int vg_parse_int64(const char *s, const char *what, int64_t min, int64_t max, int64_t *out,
		   struct vg_error *err) __attribute__((warn_unused_result));

/*
 * Like vg_parse_int64, but s may be NULL (absent): then *out = dflt and
 * VG_OK. For optional query parameters and options.
 */
int vg_parse_int64_opt(const char *s, const char *what, int64_t min, int64_t max, int64_t dflt,
		       int64_t *out, struct vg_error *err) __attribute__((warn_unused_result));

/* Parse a positive decimal id ("12"); VG_EINVAL naming what otherwise. */
int vg_id_parse(const char *s, const char *what, int64_t *id, struct vg_error *err)
    __attribute__((warn_unused_result));

#endif
