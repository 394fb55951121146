/*
 * cpe.c - CPE 2.3 naming (NISTIR 7695: unbinding the formatted string and
 * URI bindings to a WFN, binding back) and name matching (NISTIR 7696).
 */
#define _POSIX_C_SOURCE 200809L
#include "ident/cpe.h"

#include "core/buf.h"
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static const char *const attr_names[CPE_NATTR] = {
    "part",     "vendor",     "product",   "version",   "update", "edition",
    "language", "sw_edition", "target_sw", "target_hw", "other",
};

const char *cpe_attr_name(enum cpe_attr i)
{
	return (unsigned)i < CPE_NATTR ? attr_names[i] : "?";
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Printable ASCII other than the space: all a CPE may hold. */
static int is_printable(int c)
{
	return c > 0x20 && c < 0x7f;
}

static int cerr(struct vg_error *err, int code, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int cerr(struct vg_error *err, int code, const char *name, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t n = strlen(name);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vg_error_set(err, code, "cpe '%.*s%s': %s", n > 200 ? 200 : (int)n, name,
			    n > 200 ? "..." : "", msg);
}

void cpe_release(struct cpe *c)
{
	if (!c)
		return;
	for (int i = 0; i < CPE_NATTR; i++)
		free(c->attr[i].v);
	memset(c, 0, sizeof(*c));
}

/*
 * Wildcards may only stand at the ends of a value: '*' as its first and/or
 * last character, '?' in a run that starts or ends the value. b holds the
 * WFN being built; at is the index in b of the unquoted wildcard, raw_pos
 * and raw_len locate it in the raw component.
 */
static int wildcard_ok(char w, size_t raw_pos, size_t raw_len, const char *raw, int quoted_before)
{
	if (w == '*')
		return raw_pos == 0 || raw_pos == raw_len - 1;
	/* '?': everything before it is '?', or everything after it is '?' */
	int all_before = !quoted_before, all_after = 1;
	for (size_t i = 0; i < raw_pos && all_before; i++)
		if (raw[i] != '?')
			all_before = 0;
	for (size_t i = raw_pos + 1; i < raw_len && all_after; i++)
		if (raw[i] != '?')
			all_after = 0;
	return all_before || all_after;
}

/* Formatted-string component raw[0..n) -> attribute (NISTIR 7695 6.2.3). */
static int unbind_fs_value(const char *name, enum cpe_attr a, const char *raw, size_t n,
			   struct cpe_value *out, struct vg_error *err)
{
	struct vg_buf b;
	int rc = VG_OK, quoted_seen = 0;

	if (n == 0)
		return cerr(err, VG_EPARSE, name, "%s is empty (use '*' for ANY, '-' for NA)",
			    attr_names[a]);
	if (n == 1 && raw[0] == '*') {
		out->kind = CPE_ANY;
		return VG_OK;
	}
	if (n == 1 && raw[0] == '-') {
		out->kind = CPE_NA;
		return VG_OK;
	}
	vg_buf_init(&b, CPE_MAX_LEN);
	for (size_t i = 0; i < n && rc == VG_OK; i++) {
		int c = (unsigned char)raw[i];
		if (!is_printable(c)) {
			rc = cerr(err, VG_EPARSE, name, "%s holds byte 0x%02x at offset %zu",
				  attr_names[a], (unsigned)c, i);
		} else if (c == '\\') {
			if (i + 1 >= n) {
				rc = cerr(err, VG_EPARSE, name, "%s ends in a lone backslash",
					  attr_names[a]);
				break;
			}
			c = (unsigned char)raw[++i];
			if (!is_printable(c)) {
				rc = cerr(err, VG_EPARSE, name,
					  "%s quotes byte 0x%02x at offset %zu", attr_names[a],
					  (unsigned)c, i);
			} else if (is_alnum(c) || c == '_') {
				/* quoting a letter is pointless; keep the letter */
				rc = vg_buf_addc(&b, (char)lower(c));
			} else {
				rc = vg_buf_addc(&b, '\\');
				if (rc == VG_OK)
					rc = vg_buf_addc(&b, (char)c);
			}
			quoted_seen = 1;
		} else if (c == '*' || c == '?') {
			if (!wildcard_ok((char)c, i, n, raw, quoted_seen))
				rc = cerr(err, VG_EPARSE, name,
					  "%s has an unquoted '%c' inside the value (wildcards "
					  "stand only at its start or end; quote a literal as "
					  "'\\%c')",
					  attr_names[a], c, c);
			else
				rc = vg_buf_addc(&b, (char)c);
		} else if (is_alnum(c) || c == '_') {
			rc = vg_buf_addc(&b, (char)lower(c));
		} else {
			/* '.', '-' and any other punctuation: quoted in the WFN */
			rc = vg_buf_addc(&b, '\\');
			if (rc == VG_OK)
				rc = vg_buf_addc(&b, (char)c);
		}
	}
	if (rc == VG_ETOOBIG || rc == VG_ENOMEM)
		rc = cerr(err, rc, name, "%s: %s", attr_names[a], vg_code_message(rc));
	if (rc) {
		vg_buf_release(&b);
		return rc;
	}
	out->kind = CPE_VALUE;
	out->v = vg_buf_detach(&b, NULL);
	return VG_OK;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* URI component raw[0..n) -> attribute (NISTIR 7695 6.1.3). */
static int unbind_uri_value(const char *name, enum cpe_attr a, const char *raw, size_t n,
			    struct cpe_value *out, struct vg_error *err)
{
	struct vg_buf b;
	char dec[CPE_MAX_LEN];
	size_t dn = 0;
	unsigned char kind[CPE_MAX_LEN]; /* 0 literal, 1 wildcard */
	int rc = VG_OK;

	if (n == 0) {
		out->kind = CPE_ANY;
		return VG_OK;
	}
	if (n == 1 && raw[0] == '-') {
		out->kind = CPE_NA;
		return VG_OK;
	}
	/* first decode, marking %01 / %02 as wildcards */
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)raw[i];
		if (dn >= sizeof(dec))
			return cerr(err, VG_ETOOBIG, name, "%s too long", attr_names[a]);
		if (c == '%') {
			int hi = i + 1 < n ? hexval((unsigned char)raw[i + 1]) : -1;
			int lo = i + 2 < n ? hexval((unsigned char)raw[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return cerr(err, VG_EPARSE, name,
					    "%s has a '%%' not followed by two hex digits",
					    attr_names[a]);
			c = hi * 16 + lo;
			i += 2;
			if (c == 1 || c == 2) {
				dec[dn] = c == 1 ? '?' : '*';
				kind[dn++] = 1;
				continue;
			}
		}
		if (!is_printable(c))
			return cerr(err, VG_EPARSE, name, "%s holds byte 0x%02x", attr_names[a],
				    (unsigned)c);
		dec[dn] = (char)c;
		kind[dn++] = 0;
	}
	vg_buf_init(&b, CPE_MAX_LEN);
	for (size_t i = 0; i < dn && rc == VG_OK; i++) {
		int c = (unsigned char)dec[i];
		if (kind[i]) {
			int ok = 1;
			if (c == '*')
				ok = i == 0 || i == dn - 1;
			else {
				int before = 1, after = 1;
				for (size_t k = 0; k < i; k++)
					before &= kind[k] && dec[k] == '?';
				for (size_t k = i + 1; k < dn; k++)
					after &= kind[k] && dec[k] == '?';
				ok = before || after;
			}
			if (!ok)
				rc = cerr(err, VG_EPARSE, name,
					  "%s has a wildcard (%%01/%%02) inside the value",
					  attr_names[a]);
			else
				rc = vg_buf_addc(&b, (char)c);
		} else if (is_alnum(c) || c == '_') {
			rc = vg_buf_addc(&b, (char)lower(c));
		} else {
			rc = vg_buf_addc(&b, '\\');
			if (rc == VG_OK)
				rc = vg_buf_addc(&b, (char)c);
		}
	}
	if (rc == VG_ETOOBIG || rc == VG_ENOMEM)
		rc = cerr(err, rc, name, "%s: %s", attr_names[a], vg_code_message(rc));
	if (rc) {
		vg_buf_release(&b);
		return rc;
	}
	out->kind = CPE_VALUE;
	out->v = vg_buf_detach(&b, NULL);
	return VG_OK;
}

static int check_part(const char *name, const struct cpe_value *v, struct vg_error *err)
{
	if (v->kind == CPE_ANY)
		return VG_OK;
	if (v->kind == CPE_VALUE && v->v[1] == '\0' &&
	    (v->v[0] == 'a' || v->v[0] == 'o' || v->v[0] == 'h'))
		return VG_OK;
	return cerr(err, VG_EPARSE, name,
		    "part must be 'a' (application), 'o' (operating system) or 'h' (hardware)");
}

static int parse_fs(const char *s, struct cpe *out, struct vg_error *err)
{
	const char *p = s + 8; /* after "cpe:2.3:" */
	int a = 0, rc;

	for (;;) {
		const char *q = p;
		while (*q && *q != ':') {
			if (*q == '\\' && q[1])
				q++;
			q++;
		}
		if (a >= CPE_NATTR)
			return cerr(err, VG_EPARSE, s,
				    "more than 11 attributes after 'cpe:2.3:' (quote a literal "
				    "':' as '\\:')");
		rc = unbind_fs_value(s, (enum cpe_attr)a, p, (size_t)(q - p), &out->attr[a], err);
		if (rc)
			return rc;
		a++;
		if (!*q)
			break;
		p = q + 1;
	}
	if (a != CPE_NATTR)
		return cerr(err, VG_EPARSE, s,
			    "%d attributes after 'cpe:2.3:', expected 11 "
			    "(part:vendor:product:version:update:edition:language:sw_edition:"
			    "target_sw:target_hw:other)",
			    a);
	return check_part(s, &out->attr[CPE_PART], err);
}

static int parse_uri(const char *s, struct cpe *out, struct vg_error *err)
{
	const char *p = s + 5; /* after "cpe:/" */
	int a = 0, rc;

	for (;;) {
		const char *q = strchr(p, ':');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		if (a > CPE_LANGUAGE)
			return cerr(err, VG_EPARSE, s, "more than 7 components after 'cpe:/'");
		if (a == CPE_EDITION && n > 0 && p[0] == '~') {
			/* packed: ~edition~sw_edition~target_sw~target_hw~other */
			static const enum cpe_attr packed[] = {
			    CPE_EDITION, CPE_SW_EDITION, CPE_TARGET_SW, CPE_TARGET_HW, CPE_OTHER};
			const char *f = p + 1, *end = p + n;
			for (int k = 0; k < 5; k++) {
				const char *t = memchr(f, '~', (size_t)(end - f));
				if ((k < 4 && !t) || (k == 4 && t))
					return cerr(
					    err, VG_EPARSE, s,
					    "packed edition '%.*s' must have 5 '~'-separated "
					    "fields",
					    (int)(n > 100 ? 100 : n), p);
				if (!t)
					t = end;
				rc = unbind_uri_value(s, packed[k], f, (size_t)(t - f),
						      &out->attr[packed[k]], err);
				if (rc)
					return rc;
				f = t + 1;
			}
		} else {
			rc = unbind_uri_value(s, (enum cpe_attr)a, p, n, &out->attr[a], err);
			if (rc)
				return rc;
		}
		a++;
		if (!q)
			break;
		p = q + 1;
	}
	return check_part(s, &out->attr[CPE_PART], err);
}

int cpe_parse(const char *s, struct cpe *out, struct vg_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s || !*s)
		return vg_error_set(err, VG_EPARSE, "cpe: empty string");
	if (strnlen(s, CPE_MAX_LEN + 1) > CPE_MAX_LEN)
		return cerr(err, VG_ETOOBIG, s, "longer than %d bytes", CPE_MAX_LEN);
	if (strncasecmp(s, "cpe:2.3:", 8) == 0)
		rc = parse_fs(s, out, err);
	else if (strncasecmp(s, "cpe:/", 5) == 0)
		rc = parse_uri(s, out, err);
	else
		rc = cerr(err, VG_EPARSE, s,
			  "not a CPE name: expected 'cpe:2.3:' (formatted string) or 'cpe:/' "
			  "(URI)");
	if (rc)
		cpe_release(out);
	return rc;
}

/* ---- binding ---- */

static int bind_fs_value(struct vg_buf *b, const struct cpe_value *v)
{
	if (v->kind == CPE_ANY)
		return vg_buf_addc(b, '*');
	if (v->kind == CPE_NA)
		return vg_buf_addc(b, '-');
	/* a value of just '-' stays quoted, or it would read back as NA */
	if (strcmp(v->v, "\\-") == 0)
		return vg_buf_adds(b, "\\-");
	for (const char *c = v->v; *c; c++) {
		int rc;
		if (*c == '\\' && c[1]) {
			c++;
			/* '.', '-' and '_' need no quoting in a formatted string */
			if (*c == '.' || *c == '-' || *c == '_')
				rc = vg_buf_addc(b, *c);
			else {
				char t[2] = {'\\', *c};
				rc = vg_buf_add(b, t, 2);
			}
		} else {
			rc = vg_buf_addc(b, *c);
		}
		if (rc)
			return rc;
	}
	return VG_OK;
}

char *cpe_to_fs(const struct cpe *c)
{
	struct vg_buf b;
	int rc;

	vg_buf_init(&b, 0);
	rc = vg_buf_adds(&b, "cpe:2.3");
	for (int i = 0; i < CPE_NATTR && rc == VG_OK; i++) {
		rc = vg_buf_addc(&b, ':');
		if (rc == VG_OK)
			rc = bind_fs_value(&b, &c->attr[i]);
	}
	if (rc) {
		vg_buf_release(&b);
		return NULL;
	}
	return vg_buf_detach(&b, NULL);
}

static int bind_uri_value(struct vg_buf *b, const struct cpe_value *v)
{
	static const char hex[] = "0123456789abcdef";
	if (v->kind == CPE_ANY)
		return VG_OK;
	if (v->kind == CPE_NA)
		return vg_buf_addc(b, '-');
	if (strcmp(v->v, "\\-") == 0)
		return vg_buf_adds(b, "%2d");
	for (const char *c = v->v; *c; c++) {
		int rc;
		if (*c == '\\' && c[1]) {
			unsigned char q = (unsigned char)*++c;
			if (q == '.' || q == '-')
				rc = vg_buf_addc(b, (char)q);
			else {
				char t[3] = {'%', hex[q >> 4], hex[q & 15]};
				rc = vg_buf_add(b, t, 3);
			}
		} else if (*c == '?') {
			rc = vg_buf_adds(b, "%01");
		} else if (*c == '*') {
			rc = vg_buf_adds(b, "%02");
		} else {
			rc = vg_buf_addc(b, *c);
		}
		if (rc)
			return rc;
	}
	return VG_OK;
}

char *cpe_to_uri(const struct cpe *c)
{
	struct vg_buf b;
	int rc, packed = 0;
	size_t keep;

	for (int i = CPE_SW_EDITION; i < CPE_NATTR; i++)
		packed |= c->attr[i].kind != CPE_ANY;
	vg_buf_init(&b, 0);
	rc = vg_buf_adds(&b, "cpe:/");
	keep = b.len;
	for (int i = 0; i <= CPE_LANGUAGE && rc == VG_OK; i++) {
		if (i)
			rc = vg_buf_addc(&b, ':');
		if (rc == VG_OK && i == CPE_EDITION && packed) {
			static const enum cpe_attr order[] = {
			    CPE_EDITION, CPE_SW_EDITION, CPE_TARGET_SW, CPE_TARGET_HW, CPE_OTHER};
			for (int k = 0; k < 5 && rc == VG_OK; k++) {
				rc = vg_buf_addc(&b, '~');
				if (rc == VG_OK)
					rc = bind_uri_value(&b, &c->attr[order[k]]);
			}
		} else if (rc == VG_OK) {
			rc = bind_uri_value(&b, &c->attr[i]);
		}
		/* trailing ANY components are left off */
		if (c->attr[i].kind != CPE_ANY || (i == CPE_EDITION && packed))
			keep = b.len;
	}
	if (rc) {
		vg_buf_release(&b);
		return NULL;
	}
	b.len = keep;
	b.data[keep] = '\0';
	return vg_buf_detach(&b, NULL);
}

char *cpe_attr_plain(const struct cpe *c, enum cpe_attr i)
{
	const char *v;
	char *out, *o;

	if ((unsigned)i >= CPE_NATTR || c->attr[i].kind != CPE_VALUE)
		return NULL;
	v = c->attr[i].v;
	out = malloc(strlen(v) + 1);
	if (!out)
		return NULL;
	for (o = out; *v; v++) {
		if (*v == '\\' && v[1])
			v++;
		*o++ = *v;
	}
	*o = '\0';
	return out;
}

/* ---- matching (NISTIR 7696) ---- */

/* Does s hold an unquoted wildcard? */
static int has_wildcard(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == '*' || *s == '?')
			return 1;
	}
	return 0;
}

/* Is s[idx] unquoted, i.e. preceded by an even run of backslashes? */
static int unquoted_at(const char *s, size_t idx)
{
	size_t n = 0;
	while (idx > 0 && s[idx - 1] == '\\') {
		n++;
		idx--;
	}
	return n % 2 == 0;
}

/* Backslashes acting as escapes in s[from..to). */
static long count_escapes(const char *s, size_t from, size_t to)
{
	long n = 0;
	for (size_t i = from; i < to; i++)
		if (s[i] == '\\') {
			n++;
			i++;
		}
	return n;
}

static long find_from(const char *hay, size_t hlen, const char *needle, size_t nlen, size_t from)
{
	if (nlen > hlen)
		return -1;
	for (size_t i = from; i + nlen <= hlen; i++)
		if (memcmp(hay + i, needle, nlen) == 0)
			return (long)i;
	return -1;
}

/*
 * A source value with wildcards at its ends against a literal target
 * (NISTIR 7696 6.1.3, compareStrings): '*' at an end admits any number of
 * characters there, a run of k '?' admits up to k (the reference
 * algorithm's reading); quoted characters count as one.
 */
static enum cpe_relation compare_strings(const char *src, const char *tgt)
{
	size_t slen = strlen(src), tlen = strlen(tgt), start = 0, end = slen, blen;
	long begins = 0, ends = 0, index = -1, leftover = (long)tlen;

	if (slen && src[0] == '*') {
		start = 1;
		begins = -1;
	} else {
		while (start < slen && src[start] == '?') {
			start++;
			begins++;
		}
	}
	if (end > start && src[end - 1] == '*' && unquoted_at(src, end - 1)) {
		end--;
		ends = -1;
	} else {
		while (end > start && src[end - 1] == '?' && unquoted_at(src, end - 1)) {
			end--;
			ends++;
		}
	}
	blen = end - start;
	while (leftover > 0) {
		long esc;
		index = find_from(tgt, tlen, src + start, blen, (size_t)(index + 1));
		if (index < 0)
			break;
		esc = count_escapes(tgt, 0, (size_t)index);
		if (index > 0 && begins != -1 && begins < index - esc)
			break;
		esc = count_escapes(tgt, (size_t)index + 1, tlen);
		leftover = (long)tlen - index - esc - (long)blen;
		if (leftover > 0 && ends != -1 && leftover > ends)
			continue;
		return CPE_SUPERSET;
	}
	return CPE_DISJOINT;
}

enum cpe_relation cpe_compare_attr(const struct cpe_value *source, const struct cpe_value *target)
{
	if (target->kind == CPE_VALUE && has_wildcard(target->v))
		return CPE_UNDEFINED;
	if (source->kind == target->kind &&
	    (source->kind != CPE_VALUE || strcmp(source->v, target->v) == 0))
		return CPE_EQUAL;
	if (source->kind == CPE_ANY)
		return CPE_SUPERSET;
	if (target->kind == CPE_ANY)
		return CPE_SUBSET;
	if (source->kind == CPE_NA || target->kind == CPE_NA)
		return CPE_DISJOINT;
	return compare_strings(source->v, target->v);
}

int cpe_match(const struct cpe *source, const struct cpe *target)
{
	for (int i = 0; i < CPE_NATTR; i++) {
		enum cpe_relation r = cpe_compare_attr(&source->attr[i], &target->attr[i]);
		if (r != CPE_SUPERSET && r != CPE_EQUAL)
			return 0;
	}
	return 1;
}

int cpe_is_disjoint(const struct cpe *source, const struct cpe *target)
{
	for (int i = 0; i < CPE_NATTR; i++)
		if (cpe_compare_attr(&source->attr[i], &target->attr[i]) == CPE_DISJOINT)
			return 1;
	return 0;
}

int cpe_is_equal(const struct cpe *source, const struct cpe *target)
{
	for (int i = 0; i < CPE_NATTR; i++)
		if (cpe_compare_attr(&source->attr[i], &target->attr[i]) != CPE_EQUAL)
			return 0;
	return 1;
}

int cpe_is_subset(const struct cpe *source, const struct cpe *target)
{
	for (int i = 0; i < CPE_NATTR; i++) {
		enum cpe_relation r = cpe_compare_attr(&source->attr[i], &target->attr[i]);
		if (r != CPE_SUBSET && r != CPE_EQUAL)
			return 0;
	}
	return 1;
}
