#include "core/jscan.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

void vg_jscan_init(struct vg_jscan *s, const char *data, size_t n, int max_depth)
{
	s->start = s->p = data;
	s->end = data + n;
	s->depth = 0;
	s->max_depth = max_depth;
	s->first = 0;
	s->failed = 0;
	s->err_at = 0;
	s->err[0] = '\0';
}

void vg_jscan_fail(struct vg_jscan *s, const char *what)
{
	if (s->failed)
		return;
	s->failed = 1;
	s->err_at = (size_t)(s->p - s->start);
	snprintf(s->err, sizeof(s->err), "%s", what);
}

static int fail(struct vg_jscan *s, const char *what)
{
	vg_jscan_fail(s, s->p >= s->end ? "unexpected end of input (truncated?)" : what);
	return -1;
}

const char *vg_jscan_error(const struct vg_jscan *s, char *buf, size_t bufsz)
{
	size_t line = 1;
	for (const char *q = s->start; q < s->start + s->err_at; q++) {
		q = memchr(q, '\n', (size_t)(s->start + s->err_at - q));
		if (!q)
			break;
		line++;
	}
	snprintf(buf, bufsz, "byte %zu, line %zu: %s", s->err_at, line, s->err);
	return buf;
}

static void ws(struct vg_jscan *s)
{
	const char *p = s->p;
	while (p < s->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	s->p = p;
}

enum vg_jtype vg_jscan_peek(struct vg_jscan *s)
{
	if (s->failed)
		return VG_JT_ERROR;
	ws(s);
	if (s->p >= s->end) {
		fail(s, "expected a value");
		return VG_JT_ERROR;
	}
	switch (*s->p) {
	case '{':
		return VG_JT_OBJECT;
	case '[':
		return VG_JT_ARRAY;
	case '"':
		return VG_JT_STRING;
	case 't':
		return VG_JT_TRUE;
	case 'f':
		return VG_JT_FALSE;
	case 'n':
		return VG_JT_NULL;
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return VG_JT_NUMBER;
	}
	fail(s, "expected a value");
	return VG_JT_ERROR;
}

static int enter(struct vg_jscan *s, char open, const char *what)
{
	if (vg_jscan_peek(s) == VG_JT_ERROR)
		return -1;
	if (*s->p != open)
		return fail(s, what);
	if (++s->depth > s->max_depth)
		return fail(s, "nesting deeper than the limit");
	s->p++;
	s->first = 1;
	return 0;
}

int vg_jscan_object(struct vg_jscan *s)
{
	return enter(s, '{', "expected an object");
}

int vg_jscan_array(struct vg_jscan *s)
{
	return enter(s, '[', "expected an array");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* At the opening quote. */
static int string_at(struct vg_jscan *s, struct vg_jstr *out)
{
	const char *p = s->p + 1, *end = s->end;
	int esc = 0;
	for (;;) {
		while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
			p++;
		if (p >= end) {
			s->p = p;
			return fail(s, "unterminated string");
		}
		if (*p == '"')
			break;
		if ((unsigned char)*p < 0x20) {
			s->p = p;
			return fail(s, "control character in string");
		}
		esc = 1;
		if (p + 1 >= end) {
			s->p = p + 1;
			return fail(s, "unterminated string");
		}
		switch (p[1]) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			p += 2;
			break;
		case 'u':
			if (end - p < 6 || hexval(p[2]) < 0 || hexval(p[3]) < 0 ||
			    hexval(p[4]) < 0 || hexval(p[5]) < 0) {
				s->p = p;
				return fail(s, "bad \\u escape");
			}
			p += 6;
			break;
		default:
			s->p = p;
			return fail(s, "bad escape in string");
		}
	}
	if (out) {
		out->raw = s->p + 1;
		out->len = (size_t)(p - (s->p + 1));
		out->escaped = esc;
	}
	s->p = p + 1;
	return 0;
}

int vg_jscan_key(struct vg_jscan *s, struct vg_jstr *key)
{
	if (s->failed)
		return -1;
	ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		s->depth--;
		s->first = 0;
		return 0;
	}
	if (!s->first) {
		if (s->p >= s->end || *s->p != ',')
			return fail(s, "expected ',' or '}'");
		s->p++;
		ws(s);
	}
	s->first = 0;
	if (s->p >= s->end || *s->p != '"')
		return fail(s, "expected a member name (a string)");
	if (string_at(s, key))
		return -1;
	ws(s);
	if (s->p >= s->end || *s->p != ':')
		return fail(s, "expected ':'");
	s->p++;
	return 1;
}

int vg_jscan_item(struct vg_jscan *s)
{
	if (s->failed)
		return -1;
	ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		s->depth--;
		s->first = 0;
		return 0;
	}
	if (!s->first) {
		if (s->p >= s->end || *s->p != ',')
			return fail(s, "expected ',' or ']'");
		s->p++;
	}
	s->first = 0;
	return 1;
}

int vg_jscan_string(struct vg_jscan *s, struct vg_jstr *out)
{
	enum vg_jtype t = vg_jscan_peek(s);
	if (t == VG_JT_ERROR)
		return -1;
	if (t != VG_JT_STRING)
		return fail(s, "expected a string");
	return string_at(s, out);
}

/* At '-' or a digit: check the number grammar, leave p after it. */
static int number_at(struct vg_jscan *s, int *integral)
{
	const char *p = s->p, *end = s->end;
	*integral = 1;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
	} else if (p < end && *p >= '1' && *p <= '9') {
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	} else {
		s->p = p;
		return fail(s, "bad number");
	}
	if (p < end && *p == '.') {
		*integral = 0;
		p++;
		if (p >= end || *p < '0' || *p > '9') {
			s->p = p;
			return fail(s, "bad number");
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		*integral = 0;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9') {
			s->p = p;
			return fail(s, "bad number");
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	s->p = p;
	return 0;
}

int vg_jscan_int(struct vg_jscan *s, long long *out)
{
	enum vg_jtype t = vg_jscan_peek(s);
	const char *p0;
	int integral;
	if (t == VG_JT_ERROR)
		return -1;
	if (t != VG_JT_NUMBER)
		return fail(s, "expected an integer");
	p0 = s->p;
	if (number_at(s, &integral))
		return -1;
	if (!integral) {
		s->p = p0;
		return fail(s, "expected an integer");
	}
	long long v = 0;
	int neg = *p0 == '-';
	for (const char *q = p0 + neg; q < s->p; q++) {
		int d = *q - '0';
		if (v > (LLONG_MAX - d) / 10) {
			s->p = p0;
			return fail(s, "integer out of range");
		}
		v = v * 10 + d;
	}
	*out = neg ? -v : v;
	return 0;
}

int vg_jscan_number(struct vg_jscan *s, struct vg_jstr *raw, int *integral)
{
	enum vg_jtype t = vg_jscan_peek(s);
	const char *p0;
	if (t == VG_JT_ERROR)
		return -1;
	if (t != VG_JT_NUMBER)
		return fail(s, "expected a number");
	p0 = s->p;
	if (number_at(s, integral))
		return -1;
	raw->raw = p0;
	raw->len = (size_t)(s->p - p0);
	raw->escaped = 0;
	return 0;
}

static int literal(struct vg_jscan *s, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
		return fail(s, "expected a value");
	s->p += n;
	return 0;
}

int vg_jscan_skip(struct vg_jscan *s)
{
	int integral, r;
	switch (vg_jscan_peek(s)) {
	case VG_JT_ERROR:
		return -1;
	case VG_JT_STRING:
		return string_at(s, NULL);
	case VG_JT_NUMBER:
		return number_at(s, &integral);
	case VG_JT_TRUE:
		return literal(s, "true");
	case VG_JT_FALSE:
		return literal(s, "false");
	case VG_JT_NULL:
		return literal(s, "null");
	case VG_JT_OBJECT:
		if (vg_jscan_object(s))
			return -1;
		while ((r = vg_jscan_key(s, NULL)) == 1)
			if (vg_jscan_skip(s))
				return -1;
		return r;
	case VG_JT_ARRAY:
		if (vg_jscan_array(s))
			return -1;
		while ((r = vg_jscan_item(s)) == 1)
			if (vg_jscan_skip(s))
				return -1;
		return r;
	}
	return -1;
}

int vg_jscan_end(struct vg_jscan *s)
{
	if (s->failed)
		return -1;
	ws(s);
	if (s->p != s->end) {
		vg_jscan_fail(s, "unexpected data after the document");
		return -1;
	}
	return 0;
}

int vg_jstr_eq(const struct vg_jstr *j, const char *lit)
{
	size_t n = strlen(lit);
	if (!j->escaped)
		return j->len == n && memcmp(j->raw, lit, n) == 0;
	char buf[256];
	if (j->len >= sizeof(buf))
		return 0;
	return vg_jstr_decode(j, buf) == n && memcmp(buf, lit, n) == 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static unsigned hex4(const char *p)
{
	return (unsigned)(hexval(p[0]) << 12 | hexval(p[1]) << 8 | hexval(p[2]) << 4 |
			  hexval(p[3]));
}

size_t vg_jstr_decode(const struct vg_jstr *j, char *out)
{
	const char *p = j->raw, *end = j->raw + j->len;
	char *o = out;
	if (!j->escaped) {
		memcpy(out, p, j->len);
		out[j->len] = '\0';
		return j->len;
	}
	/* The scanner checked the escapes; every output is no longer than its
	 * escape (\uXXXX: 6 bytes in, at most 3 out; a pair 12 in, 4 out). */
	while (p < end) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		char c = p[1];
		p += 2;
		switch (c) {
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u': {
			unsigned cp = hex4(p);
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 6 && p[0] == '\\' &&
			    p[1] == 'u') {
				unsigned lo = hex4(p + 2);
				if (lo >= 0xdc00 && lo <= 0xdfff) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					p += 6;
				}
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;
			o += put_utf8(o, cp);
			break;
		}
		default: /* " \ / */
			*o++ = c;
		}
	}
	*o = '\0';
	return (size_t)(o - out);
}
