/*
 * text.c - checks for text and numbers from outside (see text.h).
 */
#include "core/text.h"
#include "core/error.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Length of the UTF-8 sequence at p (at most n bytes), 0 when invalid; its
 * code point into *out. */
static size_t utf8_len(const unsigned char *p, size_t n, uint32_t *out)
{
	uint32_t cp;
	size_t len;

	*out = p[0];
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*out = cp;
	return len;
}

size_t vg_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	return n ? utf8_len((const unsigned char *)s, n, cp) : 0;
}

int vg_text_is_bidi(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

size_t vg_text_bidi_at(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t l;

	/* every direction control is 2 (U+061C) or 3 bytes long */
	if (n < 2 || (p[0] != 0xd8 && p[0] != 0xe2))
		return 0;
	l = utf8_len(p, n, &cp);
	return l && vg_text_is_bidi(cp) ? l : 0;
}

int vg_text_check(const char *what, const char *v, size_t max, int multiline, int required,
		  struct vg_error *err)
{
	size_t n = v ? strlen(v) : 0;
	const unsigned char *p = (const unsigned char *)v;

	if (!n)
		return required ? vg_error_set(err, VG_EINVAL, "%s: required, expected text", what)
				: VG_OK;
	if (n > max)
		return vg_error_set(err, VG_ETOOBIG, "%s: %zu bytes, at most %zu allowed", what, n,
				    max);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = utf8_len(p + i, n - i, &cp);
		if (!l)
			return vg_error_set(err, VG_EINVAL, "%s: byte %zu: expected UTF-8 text",
					    what, i);
		if (vg_text_is_bidi(cp))
			return vg_error_set(err, VG_EINVAL,
					    "%s: byte %zu: Unicode direction control U+%04X not "
					    "allowed (it can make text read in another order than "
					    "it is stored)",
					    what, i, (unsigned)cp);
		if (l == 1 && (p[i] < 0x20 || p[i] == 0x7f) &&
		    !(multiline && (p[i] == '\n' || p[i] == '\r' || p[i] == '\t')) &&
		    !(!multiline && p[i] == '\t'))
			return vg_error_set(err, VG_EINVAL,
					    "%s: byte %zu: control character 0x%02x not allowed",
					    what, i, p[i]);
		i += l;
	}
	return VG_OK;
}

int vg_parse_int64(const char *s, const char *what, int64_t min, int64_t max, int64_t *out,
		   struct vg_error *err)
{
	const char *p = s ? s : "";
	char *end;
	long long v;

	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		goto bad;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = v;
	return VG_OK;
bad:
	if (max == INT64_MAX)
		return vg_error_set(err, VG_EINVAL,
				    "%s '%.64s': expected an integer of at least %" PRId64, what,
				    s ? s : "", min);
	return vg_error_set(err, VG_EINVAL,
			    "%s '%.64s': expected an integer from %" PRId64 " to %" PRId64, what,
			    s ? s : "", min, max);
}

int vg_parse_int64_opt(const char *s, const char *what, int64_t min, int64_t max, int64_t dflt,
		       int64_t *out, struct vg_error *err)
{
	if (!s) {
		*out = dflt;
		return VG_OK;
	}
	return vg_parse_int64(s, what, min, max, out, err);
}

int vg_id_parse(const char *s, const char *what, int64_t *id, struct vg_error *err)
{
	char *end;
	long long v;

	if (!s || !isdigit((unsigned char)s[0]))
		return vg_error_set(err, VG_EINVAL, "%s '%.64s': expected a number", what,
				    s ? s : "");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return vg_error_set(err, VG_EINVAL, "%s '%.64s': expected a positive number", what,
				    s);
	*id = v;
	return VG_OK;
}
