/*
 * buf.h - a growable byte buffer with a hard size cap (after curl's dynbuf).
 *
 * Rules:
 *  - data is always NUL-terminated (the NUL is not counted in len), so a
 *    buffer of text can be passed to C string functions.
 *  - max is the largest len allowed; an append past it fails with
 *    VG_ETOOBIG and frees nothing: the caller decides. max 0 = no cap.
 *  - On VG_ENOMEM the buffer keeps its previous contents.
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
};

#define VG_BUF_INIT           \
	{                     \
		NULL, 0, 0, 0 \
	}

void vg_buf_init(struct vg_buf *b, size_t max);
void vg_buf_release(struct vg_buf *b);
/* Keep the allocation, set len to 0. */
void vg_buf_reset(struct vg_buf *b);
/* Returns data (never NULL: an empty buffer gives a fresh ""), caller frees. */
char *vg_buf_detach(struct vg_buf *b, size_t *len);

int vg_buf_add(struct vg_buf *b, const void *p, size_t n);
int vg_buf_adds(struct vg_buf *b, const char *s);
int vg_buf_addc(struct vg_buf *b, char c);
int vg_buf_addf(struct vg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vg_buf_vaddf(struct vg_buf *b, const char *fmt, va_list ap);

/* Read a whole file (or "-" for stdin) into b, at most max bytes. Error names the path. */
int vg_buf_read_file(struct vg_buf *b, const char *path, size_t max,
		     struct vg_error *err) VG_MUST_CHECK;

#endif
