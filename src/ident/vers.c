/*
 * vers.c - parse, check and evaluate vers: range specifiers.
 */
#include "ident/vers.h"
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char must_encode[] = "><=!*|%";

static int perr(struct vg_error *err, const char *s, const char *why)
{
	return vg_error_set(err, VG_EPARSE, "non-canonical VERS: %s (in \"%.200s\")", why, s);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode p[0..n) once into a new string. */
static int decode(const char *s, const char *p, size_t n, int datetime, char **out,
		  struct vg_error *err)
{
	char *d = malloc(n + 1), *q = d;

	*out = NULL;
	if (!d)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%') {
			int h, l, c;
			h = i + 1 < n ? hexval((unsigned char)p[i + 1]) : -1;
			l = i + 2 < n ? hexval((unsigned char)p[i + 2]) : -1;
			if (h < 0 || l < 0) {
				free(d);
				return perr(err, s, "invalid percent-encoding in version");
			}
			c = h * 16 + l;
			if ((p[i + 1] >= 'a' && p[i + 1] <= 'f') ||
			    (p[i + 2] >= 'a' && p[i + 2] <= 'f')) {
				free(d);
				return perr(err, s, "percent-encoding in version is not canonical");
			}
			if (datetime && c == ':') {
				free(d);
				return perr(err, s, "datetime time colons must be unencoded");
			}
			if (c == 0 || !strchr(must_encode, c)) {
				free(d);
				return perr(err, s, "percent-encoding in version is not canonical");
			}
			*q++ = (char)c;
			i += 2;
		} else {
			if (strchr(must_encode, p[i])) {
				free(d);
				return perr(
				    err, s,
				    "reserved character in version must be percent-encoded");
			}
			*q++ = p[i];
		}
	}
	*q = 0;
	*out = d;
	return VG_OK;
}

static int is_lt(enum vers_op o)
{
	return o == VERS_LT || o == VERS_LE;
}
static int is_gt(enum vers_op o)
{
	return o == VERS_GT || o == VERS_GE;
}

static int check_canonical(const char *s, const struct vers *v, struct vg_error *err)
{
	int prev = -1; /* last comparator ignoring != */
	int prev_range = -1;

	for (size_t i = 0; i < v->n; i++) {
		enum vers_op o = v->c[i].op;
		if (i > 0) {
			int c;
			int rc = version_compare_scheme(v->scheme, v->c[i - 1].version,
							v->c[i].version, &c, err);
			if (rc != VG_OK)
				return rc;
			if (c == 0)
				return perr(err, s, "versions must be unique");
			if (c > 0)
				return perr(err, s, "constraints are not sorted by version");
		}
		if (o == VERS_NE)
			continue;
		if (prev == VERS_EQ && !(o == VERS_EQ || is_gt(o)))
			return perr(err, s, "'=' may be followed only by '=', '>' or '>='");
		prev = (int)o;
		if (o == VERS_EQ)
			continue;
		if (prev_range >= 0 && ((is_lt((enum vers_op)prev_range) && is_lt(o)) ||
					(is_gt((enum vers_op)prev_range) && is_gt(o))))
			return perr(err, s, "'<' and '>' comparators must alternate");
		prev_range = (int)o;
	}
	return VG_OK;
}

int vers_parse(const char *s, int flags, struct vers *out, struct vg_error *err)
{
	const char *p, *colon, *slash, *e;
	size_t len, tn, cap = 0;
	int rc = VG_OK, datetime;

	memset(out, 0, sizeof(*out));
	if (!s)
		return vg_error_set(err, VG_EINVAL, "no vers string");
	len = strlen(s);
	if (len > VERS_MAX_LEN)
		return vg_error_set(err, VG_ETOOBIG, "vers string longer than %d bytes",
				    VERS_MAX_LEN);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
			return perr(err, s, "whitespace is not permitted");
		if (c < 0x21 || c > 0x7e)
			return perr(err, s, "only printable ASCII is permitted");
	}
	colon = strchr(s, ':');
	if (!colon || (size_t)(colon - s) != 4 || strncmp(s, "vers", 4) != 0) {
		if (colon && (size_t)(colon - s) == 4 && (s[0] | 32) == 'v' && (s[1] | 32) == 'e' &&
		    (s[2] | 32) == 'r' && (s[3] | 32) == 's')
			return perr(err, s, "the scheme must be lowercase \"vers\"");
		return vg_error_set(err, VG_EPARSE, "\"%.200s\" is not a vers: expected \"vers:\"",
				    s);
	}
	p = colon + 1;
	slash = strchr(p, '/');
	if (!slash)
		return vg_error_set(err, VG_EPARSE, "vers \"%.200s\": expected '/' after the type",
				    s);
	tn = (size_t)(slash - p);
	if (tn == 0 || tn >= sizeof(out->type))
		return vg_error_set(err, VG_EPARSE, "vers \"%.200s\": empty or too long type", s);
	for (size_t i = 0; i < tn; i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z')
			return perr(err, s, "the type must be lowercase");
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-') ||
		    (i == 0 && !(c >= 'a' && c <= 'z')))
			return vg_error_set(err, VG_EPARSE,
					    "vers \"%.200s\": the type must be a letter then "
					    "letters, digits, '.' or '-'",
					    s);
	}
	memcpy(out->type, p, tn);
	out->type[tn] = 0;
	p = slash + 1;
	e = s + len;
	if (p == e)
		return vg_error_set(err, VG_EPARSE, "vers \"%.200s\": no constraints", s);
	if (strcmp(p, "*") == 0) {
		out->star = 1;
		if (strcmp(out->type, "all") == 0 || strcmp(out->type, "none") == 0)
			return VG_OK;
	} else if (strcmp(out->type, "all") == 0 || strcmp(out->type, "none") == 0) {
		return vg_error_set(err, VG_EPARSE, "vers \"%.200s\": type %s takes only '*'", s,
				    out->type);
	}
	rc = version_scheme_lookup(out->type, &out->scheme, err);
	if (rc != VG_OK) {
		vg_error_prefix(err, "vers \"%.200s\"", s);
		return rc;
	}
	if (out->star)
		return VG_OK;
	if (*p == '|')
		return perr(err, s, "leading pipe is not permitted");
	if (e[-1] == '|')
		return perr(err, s, "trailing pipe is not permitted");
	datetime = strcmp(out->type, "datetime") == 0;
	while (p < e) {
		const char *q = p;
		struct vers_constraint c;
		while (q < e && *q != '|')
			q++;
		if (q == p) {
			rc = perr(err, s, "consecutive pipes are not permitted");
			goto fail;
		}
		if (q - p >= 2 && p[0] == '>' && p[1] == '=')
			c.op = VERS_GE, p += 2;
		else if (q - p >= 2 && p[0] == '<' && p[1] == '=')
			c.op = VERS_LE, p += 2;
		else if (q - p >= 2 && p[0] == '!' && p[1] == '=')
			c.op = VERS_NE, p += 2;
		else if (p[0] == '<')
			c.op = VERS_LT, p += 1;
		else if (p[0] == '>')
			c.op = VERS_GT, p += 1;
		else if (p[0] == '*') {
			rc = perr(err, s, "'*' must stand alone");
			goto fail;
		} else
			c.op = VERS_EQ;
		if (p == q) {
			rc = vg_error_set(err, VG_EPARSE, "vers \"%.200s\": empty version", s);
			goto fail;
		}
		rc = decode(s, p, (size_t)(q - p), datetime, &c.version, err);
		if (rc != VG_OK)
			goto fail;
		if (datetime && (strchr(c.version, 't') || strchr(c.version, 'z'))) {
			free(c.version);
			rc = perr(err, s, "datetime must use uppercase T and Z");
			goto fail;
		}
		if (out->n >= VERS_MAX_CONSTRAINTS) {
			free(c.version);
			rc = vg_error_set(err, VG_ETOOBIG,
					  "vers \"%.200s\": more than %d constraints", s,
					  VERS_MAX_CONSTRAINTS);
			goto fail;
		}
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct vers_constraint *nc = realloc(out->c, ncap * sizeof(*nc));
			if (!nc) {
				free(c.version);
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				goto fail;
			}
			out->c = nc;
			cap = ncap;
		}
		/* versions are checked where they are compared (the order
		 * check, vers_contains()): a lone constraint keeps any text */
		out->c[out->n++] = c;
		p = q < e ? q + 1 : q;
	}
	if (!(flags & VERS_LENIENT)) {
		rc = check_canonical(s, out, err);
		if (rc != VG_OK)
			goto fail;
	}
	return VG_OK;
fail:
	return rc;
}

int vers_contains(const struct vers *v, const char *version, int *out, struct vg_error *err)
{
	int rc, c;
	size_t i, prev;

	*out = 0;
	if (v->star) {
		*out = strcmp(v->type, "none") != 0;
		return VG_OK;
	}
	rc = version_validate(v->scheme, version, err);
	if (rc != VG_OK)
		return rc;
	/* equal to a version under =, <=, >= : in; under != : out */
	for (i = 0; i < v->n; i++) {
		rc = version_compare_scheme(v->scheme, version, v->c[i].version, &c, err);
		if (rc != VG_OK)
			return rc;
		if (c == 0) {
			enum vers_op o = v->c[i].op;
			*out = o == VERS_EQ || o == VERS_LE || o == VERS_GE;
			if (o != VERS_NE && !*out)
				continue; /* < or > at the very version: keep looking */
			return VG_OK;
		}
	}
	/* walk the range comparators pairwise */
	prev = (size_t)-1;
	for (i = 0; i < v->n; i++) {
		enum vers_op o = v->c[i].op;
		if (o == VERS_EQ || o == VERS_NE)
			continue;
		if (prev == (size_t)-1) {
			prev = i;
			if (is_lt(o)) {
				rc = version_compare_scheme(v->scheme, version, v->c[i].version, &c,
							    err);
				if (rc != VG_OK)
					return rc;
				if (c < 0) {
					*out = 1;
					return VG_OK;
				}
			}
			continue;
		}
		if (is_gt(v->c[prev].op) && is_lt(o)) {
			int c1, c2;
			rc = version_compare_scheme(v->scheme, version, v->c[prev].version, &c1,
						    err);
			if (rc == VG_OK)
				rc = version_compare_scheme(v->scheme, version, v->c[i].version,
							    &c2, err);
			if (rc != VG_OK)
				return rc;
			if (c1 > 0 && c2 < 0) {
				*out = 1;
				return VG_OK;
			}
		}
		prev = i;
	}
	if (prev != (size_t)-1 && is_gt(v->c[prev].op)) {
		rc = version_compare_scheme(v->scheme, version, v->c[prev].version, &c, err);
		if (rc != VG_OK)
			return rc;
		if (c > 0)
			*out = 1;
	}
	return VG_OK;
}

void vers_sort(struct vers *v)
{
	/* insertion sort: stable, and ranges are short */
	for (size_t i = 1; i < v->n; i++) {
		struct vers_constraint t = v->c[i];
		size_t j = i;
		while (j > 0) {
			int c = 0;
			struct vg_error e;
			if (version_compare_scheme(v->scheme, v->c[j - 1].version, t.version, &c,
						   &e) != VG_OK)
				c = strcmp(v->c[j - 1].version, t.version);
			if (c <= 0)
				break;
			v->c[j] = v->c[j - 1];
			j--;
		}
		v->c[j] = t;
	}
}

char *vers_format(const struct vers *v)
{
	static const char *const ops[] = {"", "!=", "<", "<=", ">", ">="};
	struct vg_buf b;
	int rc;

	vg_buf_init(&b, 0);
	rc = vg_buf_addf(&b, "vers:%s/", v->type);
	if (!rc && v->star)
		rc = vg_buf_addc(&b, '*');
	for (size_t i = 0; !rc && !v->star && i < v->n; i++) {
		if (i)
			rc = vg_buf_addc(&b, '|');
		if (!rc)
			rc = vg_buf_adds(&b, ops[v->c[i].op]);
		for (const char *p = v->c[i].version; !rc && *p; p++) {
			if (strchr(must_encode, *p))
				rc = vg_buf_addf(&b, "%%%02X", (unsigned char)*p);
			else
				rc = vg_buf_addc(&b, *p);
		}
	}
	if (rc) {
		vg_buf_release(&b);
		return NULL;
	}
	return vg_buf_detach(&b, NULL);
}

void vers_release(struct vers *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		free(v->c[i].version);
	free(v->c);
	v->c = NULL;
	v->n = 0;
}
