/*
 * ver_misc.c - RubyGems (Gem::Version), Packagist (PHP version_compare
 * after stripping a leading v, as OSV does), CRAN (R package_version),
 * Hackage (PVP), and the vers generic types intdot, lexicographic and
 * datetime.
 */
#include "ident/version.h"
#include "ident/version_int.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* ---- RubyGems ------------------------------------------------------ */

#define GEM_MAX_SEG 520

struct gtok {
	const char *p;
	unsigned short n;
	unsigned char num;
};

struct gem {
	struct gtok t[GEM_MAX_SEG];
	int n;
};

static int gem_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* \A\s*([0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z */
static int gem_valid(const char *p, const char *e)
{
	if (p == e)
		return 1;
	if (!ver_isdigit((unsigned char)*p))
		return 0;
	while (p < e && ver_isdigit((unsigned char)*p))
		p++;
	while (p < e && *p == '.') {
		const char *s = ++p;
		while (p < e && ver_isalnum((unsigned char)*p))
			p++;
		if (p == s)
			return 0;
	}
	if (p < e && *p == '-') {
		do {
			const char *s = ++p;
			while (p < e && (ver_isalnum((unsigned char)*p) || *p == '-'))
				p++;
			if (p == s)
				return 0;
		} while (p < e && *p == '.');
	}
	return p == e;
}

static int gem_parse(const char *eco, const char *v, struct gem *g, struct vg_error *err)
{
	const char *p = v, *e = v + strlen(v);
	int first_str, end;

	while (p < e && gem_space((unsigned char)*p))
		p++;
	while (e > p && gem_space((unsigned char)e[-1]))
		e--;
	if (!gem_valid(p, e))
		return ver_bad(err, eco, v, "malformed version number string");
	g->n = 0;
	while (p < e) {
		const char *s = p;
		int num;
		if (*p == '-') {
			/* Gem::Version turns "-" into ".pre." */
			p++;
			if (g->n >= GEM_MAX_SEG)
				return ver_bad(err, eco, v, "too many segments");
			g->t[g->n++] = (struct gtok){"pre", 3, 0};
			continue;
		}
		if (!ver_isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		num = ver_isdigit((unsigned char)*p);
		while (p < e &&
		       (num ? ver_isdigit((unsigned char)*p) : ver_isalpha((unsigned char)*p)))
			p++;
		if (g->n >= GEM_MAX_SEG)
			return ver_bad(err, eco, v, "too many segments");
		g->t[g->n++] = (struct gtok){s, (unsigned short)(p - s), (unsigned char)num};
	}
	if (g->n == 0)
		g->t[g->n++] = (struct gtok){"0", 1, 1};
	/* canonical_segments: drop trailing zeros of the release part and of
	 * the pre-release part */
	first_str = g->n;
	for (int i = 0; i < g->n; i++)
		if (!g->t[i].num) {
			first_str = i;
			break;
		}
	end = g->n;
	while (end > first_str && g->t[end - 1].num &&
	       ver_numcmp(g->t[end - 1].p, g->t[end - 1].n, "0", 1) == 0)
		end--;
	{
		int rel_end = first_str;
		while (rel_end > 0 &&
		       ver_numcmp(g->t[rel_end - 1].p, g->t[rel_end - 1].n, "0", 1) == 0)
			rel_end--;
		if (rel_end < first_str) {
			memmove(&g->t[rel_end], &g->t[first_str],
				(size_t)(end - first_str) * sizeof(g->t[0]));
			end -= first_str - rel_end;
		}
	}
	g->n = end;
	return VG_OK;
}

int ver_gem_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	static _Thread_local struct gem x, y;
	int rc, n;

	rc = gem_parse(eco, a, &x, err);
	if (rc == VG_OK)
		rc = gem_parse(eco, b, &y, err);
	if (rc != VG_OK)
		return rc;
	n = x.n > y.n ? x.n : y.n;
	*out = 0;
	for (int i = 0; i < n; i++) {
		struct gtok l = i < x.n ? x.t[i] : (struct gtok){"0", 1, 1};
		struct gtok r = i < y.n ? y.t[i] : (struct gtok){"0", 1, 1};
		int c;
		if (l.num && r.num)
			c = ver_numcmp(l.p, l.n, r.p, r.n);
		else if (l.num != r.num)
			c = l.num ? 1 : -1;
		else
			c = ver_memcmp(l.p, l.n, r.p, r.n);
		if (c) {
			*out = c;
			break;
		}
	}
	return VG_OK;
}

/* ---- PHP version_compare ------------------------------------------- */

static int php_isdig(int c)
{
	return ver_isdigit(c);
}

/* php_canonicalize_version: [-_+] and other non-alphanumerics become '.',
 * a '.' goes between digit/non-digit switches, no doubled dots. */
static void php_canon(const char *v, char *buf)
{
	const char *p = v;
	char *q = buf;
	int lp;

	if (!*p) {
		*buf = 0;
		return;
	}
	*q++ = *p;
	lp = (unsigned char)*p++;
	while (*p) {
		int c = (unsigned char)*p;
		int lq = (unsigned char)q[-1];
		if (c == '-' || c == '_' || c == '+') {
			if (lq != '.')
				*q++ = '.';
		} else if ((!php_isdig(lp) && lp != '.' && php_isdig(c)) ||
			   (php_isdig(lp) && !php_isdig(c) && c != '.')) {
			if (lq != '.')
				*q++ = '.';
			*q++ = (char)c;
		} else if (!ver_isalnum(c)) {
			if (lq != '.')
				*q++ = '.';
		} else {
			*q++ = (char)c;
		}
		lp = c;
		p++;
	}
	*q = 0;
}

static int php_special(const char *f, size_t fn)
{
	static const struct {
		const char *name;
		int order;
	} forms[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
		     {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t l = strlen(forms[i].name);
		/* strncmp(form, name, strlen(name)) on a NUL-terminated element */
		if (fn >= l && strncmp(f, forms[i].name, l) == 0)
			return forms[i].order;
	}
	return -1;
}

static long long php_strtol(const char *p, size_t n)
{
	long long v = 0;
	for (size_t i = 0; i < n && ver_isdigit((unsigned char)p[i]); i++) {
		if (v > (0x7fffffffffffffffLL - 9) / 10)
			return 0x7fffffffffffffffLL; /* strtol saturates */
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* version_compare(rest, "#N#"): the rest of a longer version against
 * "a number"; one element per recursion level of PHP's code. */
static int php_rest(const char *p)
{
	for (;;) {
		const char *dot;
		size_t n;
		int c;
		if (!*p)
			return -1;
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		c = ver_isdigit((unsigned char)*p) ? 0 : ver_sign(php_special(p, n) - 4);
		if (c || !dot)
			return c;
		p = dot + 1;
		if (ver_isdigit((unsigned char)*p))
			return 1;
	}
}

static int php_cmp(const char *a, const char *b)
{
	char ba[2 * VERSION_MAX_LEN + 2], bb[2 * VERSION_MAX_LEN + 2];
	const char *p1, *p2, *n1, *n2;
	int compare = 0;

	if (!*a || !*b) {
		if (!*a && !*b)
			return 0;
		return *a ? 1 : -1;
	}
	if (a[0] == '#')
		snprintf(ba, sizeof(ba), "%s", a);
	else
		php_canon(a, ba);
	if (b[0] == '#')
		snprintf(bb, sizeof(bb), "%s", b);
	else
		php_canon(b, bb);
	p1 = n1 = ba;
	p2 = n2 = bb;
	while (*p1 && *p2 && n1 && n2) {
		size_t l1, l2;
		n1 = strchr(p1, '.');
		n2 = strchr(p2, '.');
		l1 = n1 ? (size_t)(n1 - p1) : strlen(p1);
		l2 = n2 ? (size_t)(n2 - p2) : strlen(p2);
		if (ver_isdigit((unsigned char)*p1) && ver_isdigit((unsigned char)*p2)) {
			long long x = php_strtol(p1, l1), y = php_strtol(p2, l2);
			compare = (x > y) - (x < y);
		} else if (!ver_isdigit((unsigned char)*p1) && !ver_isdigit((unsigned char)*p2)) {
			compare = ver_sign(php_special(p1, l1) - php_special(p2, l2));
		} else if (ver_isdigit((unsigned char)*p1)) {
			compare = ver_sign(4 - php_special(p2, l2));
		} else {
			compare = ver_sign(php_special(p1, l1) - 4);
		}
		if (compare != 0)
			break;
		if (n1)
			p1 = n1 + 1;
		if (n2)
			p2 = n2 + 1;
	}
	if (compare == 0) {
		if (n1) {
			compare = ver_isdigit((unsigned char)*p1) ? 1 : php_rest(p1);
		} else if (n2) {
			compare = ver_isdigit((unsigned char)*p2) ? -1 : -php_rest(p2);
		}
	}
	return compare;
}

int ver_php_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	(void)eco;
	(void)err;
	/* OSV compares Packagist versions with version_compare() after
	 * stripping leading "v"/"V" */
	while (*a == 'v' || *a == 'V')
		a++;
	while (*b == 'v' || *b == 'V')
		b++;
	*out = php_cmp(a, b);
	return VG_OK;
}

/* ---- dotted numbers: CRAN, Hackage, intdot -------------------------- */

/* Split on any of seps; every component must be digits. Returns the
 * number of components or -1. */
static int dotted_check(const char *v, const char *seps)
{
	int n = 0;
	const char *p = v;

	for (;;) {
		const char *s = p;
		while (ver_isdigit((unsigned char)*p))
			p++;
		if (p == s)
			return -1;
		n++;
		if (!*p)
			return n;
		if (!strchr(seps, *p))
			return -1;
		p++;
	}
}

/* Lexicographic over numbers; pad: missing components are 0 (else a
 * longer list is greater). */
static int dotted_cmp(const char *a, const char *b, const char *seps, int pad)
{
	for (;;) {
		const char *sa = a, *sb = b;
		int c;
		if (!*a && !*b)
			return 0;
		if (!pad && (!*a || !*b))
			return *a ? 1 : -1;
		while (ver_isdigit((unsigned char)*a))
			a++;
		while (ver_isdigit((unsigned char)*b))
			b++;
		c = ver_numcmp(sa == a ? "0" : sa, sa == a ? 1 : (size_t)(a - sa),
			       sb == b ? "0" : sb, sb == b ? 1 : (size_t)(b - sb));
		if (c)
			return c;
		if (*a && strchr(seps, *a))
			a++;
		if (*b && strchr(seps, *b))
			b++;
	}
}

int ver_cran_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	/* R: ^([[:digit:]]+[.-]){1,}[[:digit:]]+$ */
	if (dotted_check(a, ".-") < 2)
		return ver_bad(err, eco, a,
			       "expected numbers separated by '.' or '-', at least two");
	if (dotted_check(b, ".-") < 2)
		return ver_bad(err, eco, b,
			       "expected numbers separated by '.' or '-', at least two");
	*out = dotted_cmp(a, b, ".-", 0);
	return VG_OK;
}

int ver_hackage_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	if (dotted_check(a, ".") < 1)
		return ver_bad(err, eco, a, "expected numbers separated by '.'");
	if (dotted_check(b, ".") < 1)
		return ver_bad(err, eco, b, "expected numbers separated by '.'");
	*out = dotted_cmp(a, b, ".", 0);
	return VG_OK;
}

/* intdot: digits and dots; interpretation stops at anything else. */
static size_t intdot_len(const char *v)
{
	size_t n = 0;
	while (ver_isdigit((unsigned char)v[n]) || v[n] == '.')
		n++;
	return n;
}

int ver_intdot_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	char x[VERSION_MAX_LEN + 1], y[VERSION_MAX_LEN + 1];
	size_t an = intdot_len(a), bn = intdot_len(b);

	if (an == 0 || !ver_isdigit((unsigned char)a[0]))
		return ver_bad(err, eco, a, "expected integers separated by '.'");
	if (bn == 0 || !ver_isdigit((unsigned char)b[0]))
		return ver_bad(err, eco, b, "expected integers separated by '.'");
	memcpy(x, a, an);
	x[an] = 0;
	memcpy(y, b, bn);
	y[bn] = 0;
	*out = dotted_cmp(x, y, ".", 1);
	return VG_OK;
}

int ver_lex_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	int r;
	(void)eco;
	(void)err;
	r = strcmp(a, b);
	*out = (r > 0) - (r < 0);
	return VG_OK;
}

/* ---- datetime (RFC 3339 section 5.6) --------------------------------- */

static int num(const char *p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!ver_isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Seconds since 1970 and the fraction as 18 digits. */
static int rfc3339(const char *v, long long *secs, long long *frac)
{
	int Y, M, D, h, m, s, oh = 0, om = 0, sign = 0;
	const char *p = v;
	long long f = 0;
	int fd = 0;

	if (strlen(v) < 20 || num(p, 4, &Y) || p[4] != '-' || num(p + 5, 2, &M) || p[7] != '-' ||
	    num(p + 8, 2, &D) || (p[10] != 'T' && p[10] != 't') || num(p + 11, 2, &h) ||
	    p[13] != ':' || num(p + 14, 2, &m) || p[16] != ':' || num(p + 17, 2, &s))
		return -1;
	if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || s > 60)
		return -1;
	p += 19;
	if (*p == '.') {
		p++;
		if (!ver_isdigit((unsigned char)*p))
			return -1;
		while (ver_isdigit((unsigned char)*p)) {
			if (fd < 18) {
				f = f * 10 + (*p - '0');
				fd++;
			}
			p++;
		}
		while (fd < 18) {
			f *= 10;
			fd++;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (num(p + 1, 2, &oh) || p[3] != ':' || num(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	*secs =
	    days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + s - sign * (oh * 3600 + om * 60);
	*frac = f;
	return 0;
}

int ver_datetime_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	long long sa, fa, sb, fb;

	if (rfc3339(a, &sa, &fa))
		return ver_bad(err, eco, a, "expected an RFC 3339 date-time");
	if (rfc3339(b, &sb, &fb))
		return ver_bad(err, eco, b, "expected an RFC 3339 date-time");
	*out = sa != sb ? (sa > sb) - (sa < sb) : (fa > fb) - (fa < fb);
	return VG_OK;
}
