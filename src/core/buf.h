/*
 * buf.h - a growable byte buffer with a hard size cap (after curl's dynbuf).
 *
 * Rules:
 *  - data is always NUL-terminated (the NUL is not counted in len), so a
 *    buffer of text can be passed to C string functions.
 *  - max is the largest len allowed; an append past it fails with
 *    VG_ETOOBIG and frees nothing: the caller decides. max 0 = no cap.
 *  - VG_ENOMEM is sticky: the buffer is emptied (data NULL, len 0) and every
 *    later append fails with VG_ENOMEM too, until vg_buf_release() or
 *    vg_buf_reset(). So text built by many appends whose results are not
 *    each checked (SQL, a document) is whole or absent, never missing a
 *    piece in the middle; check data (or vg_buf_failed()) once at the end.
 *  - vg_buf_release() frees data and resets; vg_buf_detach() hands data to the
 *    caller (who frees it with free()).
 */
#ifndef VIGIL_CORE_BUF_H
#define VIGIL_CORE_BUF_H

#include "core/error.h"

#include <stdarg.h>
#include <stddef.h>

struct vg_error;

struct vg_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	int failed; /* VG_ENOMEM once an append could not allocate */
};

#define VG_BUF_INIT              \
	{                        \
		NULL, 0, 0, 0, 0 \
	}

void vg_buf_init(struct vg_buf *b, size_t max);
void vg_buf_release(struct vg_buf *b);
/* Keep the allocation, set len to 0 (and forget an earlier VG_ENOMEM). */
void vg_buf_reset(struct vg_buf *b);
/* Returns data (an empty buffer gives a fresh ""), caller frees; NULL when
 * an append failed with VG_ENOMEM or the "" cannot be allocated. */
char *vg_buf_detach(struct vg_buf *b, size_t *len);
/* VG_ENOMEM when an append failed for memory since the last reset. */
int vg_buf_failed(const struct vg_buf *b);

int vg_buf_add(struct vg_buf *b, const void *p, size_t n);
int vg_buf_adds(struct vg_buf *b, const char *s);
int vg_buf_addc(struct vg_buf *b, char c);
int vg_buf_addf(struct vg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vg_buf_vaddf(struct vg_buf *b, const char *fmt, va_list ap);

/* Read a whole file (or "-" for stdin) into b, at most max bytes. Error names the path. */
int vg_buf_read_file(struct vg_buf *b, const char *path, size_t max,
		     struct vg_error *err) VG_MUST_CHECK;

#endif
