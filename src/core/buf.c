#include "core/error.h"
#include "core/buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void vg_buf_init(struct vg_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->failed = 0;
}

void vg_buf_release(struct vg_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

void vg_buf_reset(struct vg_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data)
		b->data[0] = '\0';
}

int vg_buf_failed(const struct vg_buf *b)
{
	return b->failed;
}

char *vg_buf_detach(struct vg_buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	if (!p && !b->failed)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
	return p;
}

static int grow(struct vg_buf *b, size_t n)
{
	size_t need, ncap;
	char *p;

	if (b->failed)
		return b->failed;
	if (n > SIZE_MAX - b->len - 1)
		return VG_ETOOBIG;
	need = b->len + n;
	if (b->max && need > b->max)
		return VG_ETOOBIG;
	if (need + 1 <= b->cap)
		return VG_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need + 1) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need + 1;
			break;
		}
		ncap *= 2;
	}
	p = realloc(b->data, ncap);
	if (!p) {
		/* sticky (buf.h): never hand out text with a piece missing */
		free(b->data);
		b->data = NULL;
		b->len = 0;
		b->cap = 0;
		b->failed = VG_ENOMEM;
		return VG_ENOMEM;
	}
	b->data = p;
	b->cap = ncap;
	return VG_OK;
}

int vg_buf_add(struct vg_buf *b, const void *p, size_t n)
{
	int rc = grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return VG_OK;
}

int vg_buf_adds(struct vg_buf *b, const char *s)
{
	return vg_buf_add(b, s, strlen(s));
}

int vg_buf_addc(struct vg_buf *b, char c)
{
	return vg_buf_add(b, &c, 1);
}

int vg_buf_vaddf(struct vg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return VG_EINVAL;
	rc = grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return VG_OK;
}

int vg_buf_addf(struct vg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = vg_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int vg_buf_read_file(struct vg_buf *b, const char *path, size_t max, struct vg_error *err)
{
	FILE *f;
	char chunk[65536];
	size_t n;
	int rc = VG_OK;
	size_t oldmax = b->max;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else
		f = fopen(path, "rb");
	if (!f)
		return vg_error_set(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
				    "%s: cannot open: %s", path, strerror(errno));
	b->max = max;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		rc = vg_buf_add(b, chunk, n);
		if (rc == VG_ETOOBIG) {
			vg_error_set(err, rc, "%s: larger than the limit of %zu bytes", path, max);
			goto out;
		} else if (rc) {
			vg_error_set(err, rc, "%s: out of memory", path);
			goto out;
		}
	}
	if (ferror(f))
		rc = vg_error_set(err, VG_EIO, "%s: read error: %s", path, strerror(errno));
	if (!b->data)
		rc = rc ? rc : vg_buf_add(b, "", 0);
out:
	b->max = oldmax;
	if (f != stdin)
		fclose(f);
	return rc;
}
