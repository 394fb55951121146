/*
 * html.c - the one HTML writer (see html.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "http/html.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "core/text.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/*
 * Append n bytes of text escaped: the five HTML specials as entities, and
 * each Unicode direction control (core/text.h vg_text_is_bidi) as the
 * visible text \u202E, so that a stored value that predates the input check
 * cannot reorder what a page shows (a character reference would be decoded
 * back into the control by the browser).
 */
static int html_text(struct vg_buf *b, const char *s, size_t n)
{
	size_t run = 0, i = 0;
	int rc = VG_OK;

	while (i < n && !rc) {
		const char *rep = NULL;
		char u[8];
		size_t skip = 1, bl;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			if ((bl = vg_text_bidi_at(s + i, n - i))) {
				const unsigned char *p = (const unsigned char *)s + i;
				unsigned cp = bl == 2 ? ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu)
						      : ((p[0] & 0x0fu) << 12) |
							    ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
				snprintf(u, sizeof(u), "\\u%04X", cp);
				rep = u;
				skip = bl;
			}
			break;
		}
		if (!rep) {
			i++;
			continue;
		}
		if (i > run)
			rc = vg_buf_add(b, s + run, i - run);
		if (!rc)
			rc = vg_buf_adds(b, rep);
		i += skip;
		run = i;
	}
	if (!rc && i > run)
		rc = vg_buf_add(b, s + run, i - run);
	return rc;
}

/* Append the conversion spec[0..n) (one printf conversion) with its argument. */
static int one(struct vg_buf *b, const char *spec, size_t n, va_list *ap)
{
	char f[32];
	char conv = spec[n - 1];
	const char *lm;
	int star[2], nstar = 0;

	if (n >= sizeof(f))
		return VG_EINVAL;
	memcpy(f, spec, n);
	f[n] = '\0';
	for (size_t i = 1; i < n - 1; i++)
		if (spec[i] == '*' && nstar < 2)
			star[nstar++] = va_arg(*ap, int);
	/* length modifier: the letters between the last digit/flag and conv */
	lm = spec + n - 1;
	while (lm > spec + 1 && strchr("hlLjzt", lm[-1]))
		lm--;
	if (conv == 's') {
		const char *s = va_arg(*ap, const char *);
		int prec = -1;
		const char *dot = memchr(spec, '.', n);
		if (dot)
			prec = dot[1] == '*' ? star[nstar - 1] : (int)strtol(dot + 1, NULL, 10);
		if (!s)
			return VG_OK;
		return html_text(b, s, prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s));
	}
#define ADD(T)                                                          \
	do {                                                            \
		T v_ = va_arg(*ap, T);                                  \
		if (nstar == 2)                                         \
			return vg_buf_addf(b, f, star[0], star[1], v_); \
		if (nstar == 1)                                         \
			return vg_buf_addf(b, f, star[0], v_);          \
		return vg_buf_addf(b, f, v_);                           \
	} while (0)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	switch (conv) {
	case 'd':
	case 'i':
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		if (lm[0] == 'l' && lm[1] == 'l')
			ADD(long long);
		else if (lm[0] == 'l')
			ADD(long);
		else if (lm[0] == 'z')
			ADD(size_t);
		else if (lm[0] == 'j')
			ADD(intmax_t);
		else if (lm[0] == 't')
			ADD(ptrdiff_t);
		else
			ADD(int);
		break;
	case 'c':
		ADD(int);
		break;
	case 'f':
	case 'F':
	case 'g':
	case 'G':
	case 'e':
	case 'E':
		if (lm[0] == 'L')
			ADD(long double);
		else
			ADD(double);
		break;
	case 'p':
		ADD(void *);
		break;
	default:
		break;
	}
#pragma GCC diagnostic pop
#undef ADD
	return VG_EINVAL;
}

int html_v(struct vg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	const char *p = fmt, *lit = fmt;
	int rc = VG_OK;

	va_copy(cp, ap);
	while (*p) {
		size_t n;
		if (*p != '%') {
			p++;
			continue;
		}
		if (p > lit && (rc = vg_buf_add(b, lit, (size_t)(p - lit))))
			break;
		if (p[1] == '%') {
			if ((rc = vg_buf_addc(b, '%')))
				break;
			p += 2;
			lit = p;
			continue;
		}
		n = 1 + strspn(p + 1, "-+ #0123456789.*hlLjzt");
		if (!p[n]) {
			rc = VG_EINVAL;
			break;
		}
		n++;
		if ((rc = one(b, p, n, &cp)))
			break;
		p += n;
		lit = p;
	}
	if (!rc && p > lit)
		rc = vg_buf_add(b, lit, (size_t)(p - lit));
	va_end(cp);
	return rc;
}

int html(struct vg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = html_v(b, fmt, ap);
	va_end(ap);
	return rc;
}

int html_raw(struct vg_buf *b, const char *markup)
{
	return markup ? vg_buf_adds(b, markup) : VG_OK;
}

int html_url(struct vg_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		int rc;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~')
			rc = vg_buf_addc(b, (char)*p);
		else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			rc = vg_buf_add(b, e, 3);
		}
		if (rc)
			return rc;
	}
	return VG_OK;
}

int html_time(struct vg_buf *b, int64_t t, const char *none)
{
	char ts[VG_TIME_BUFSZ];
	if (!t)
		return html_text(b, none ? none : "", none ? strlen(none) : 0);
	vg_time_format(t, ts, sizeof(ts));
	return html(b, "<time datetime=\"%s\">%s</time>", ts, ts);
}

const char *html_label(const struct html_label *table, const char *code)
{
	if (!code)
		return NULL;
	for (const struct html_label *l = table; l && l->code; l++)
		if (!strcmp(l->code, code))
			return l->text;
	return code;
}

int html_label_code(struct vg_buf *b, const struct html_label *table, const char *code)
{
	const char *text = html_label(table, code);
	if (!code)
		return VG_OK;
	if (text == code)
		return html(b, "<code>%s</code>", code);
	return html(b, "%s <code>%s</code>", text, code);
}

/* Append one value of a change: a string as text, NULL as nothing, any
 * other JSON value compact. */
static int change_value(struct vg_buf *b, const char *tag, const json_t *v)
{
	int rc;
	if (!v || json_is_null(v))
		return VG_OK;
	if ((rc = html(b, "<%s>", tag)))
		return rc;
	if (json_is_string(v)) {
		rc = html(b, "%s", json_string_value(v));
	} else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		if (!s)
			return VG_ENOMEM;
		rc = html(b, "%s", s);
		free(s);
	}
	return rc ? rc : html(b, "</%s>", tag);
}

static int change_row(struct vg_buf *b, const char *key, const json_t *old, const json_t *new,
		      const struct html_label *labels)
{
	int rc = html(b, "<dt>%s</dt><dd>", key ? html_label(labels, key) : "value");
	if (!rc)
		rc = change_value(b, "del", old);
	if (!rc && old && !json_is_null(old) && new && !json_is_null(new))
		rc = html_raw(b, " ");
	if (!rc)
		rc = change_value(b, "ins", new);
	return rc ? rc : html_raw(b, "</dd>");
}

int html_change(struct vg_buf *b, const json_t *before, const json_t *after,
		const struct html_label *labels)
{
	int rc = html_raw(b, "<dl class=\"change\">");
	if (rc)
		return rc;
	if (json_is_object(before) && json_is_object(after)) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)before, k, v)
		{
			json_t *w = json_object_get(after, k);
			if (!w || !json_equal(v, w))
				if ((rc = change_row(b, k, v, w, labels)))
					return rc;
		}
		json_object_foreach((json_t *)after, k, v)
		{
			if (!json_object_get(before, k))
				if ((rc = change_row(b, k, NULL, v, labels)))
					return rc;
		}
	} else if (json_is_object(after) && (!before || json_is_null(before))) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)after, k, v)
		{
			if ((rc = change_row(b, k, NULL, v, labels)))
				return rc;
		}
	} else if (json_is_object(before) && (!after || json_is_null(after))) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)before, k, v)
		{
			if ((rc = change_row(b, k, v, NULL, labels)))
				return rc;
		}
	} else if ((before && !json_is_null(before)) || (after && !json_is_null(after))) {
		if (before && after && json_equal((json_t *)before, (json_t *)after))
			return html_raw(b, "</dl>");
		if ((rc = change_row(b, NULL, before, after, labels)))
			return rc;
	}
	return html_raw(b, "</dl>");
}
