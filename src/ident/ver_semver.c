/*
 * ver_semver.c - the SemVer family: generic SemVer (OSV SEMVER), npm
 * (node-semver, strict), Go modules, crates.io / Hex (SemVer 2.0 strict),
 * Pub (build metadata ordered too) and NuGet (up to four numbers,
 * case-insensitive labels).
 *
 * One parser with per-ecosystem rules; versions are sliced in place, so
 * comparing allocates nothing and numbers may have any length.
 */
#include "ident/version_int.h"

#include <string.h>

#include "core/banned.h"

struct sv_rules {
	int v_prefix;     /* 0 no, 1 optional 'v', 2 optional 'v'/'V' */
	int min_parts;    /* numbers required */
	int max_parts;    /* numbers allowed before pre/build */
	int extra_build;  /* parts beyond 3 are build metadata (lenient) */
	int zeros_ok;     /* leading zeros allowed in numbers */
	int short_pre_ok; /* a prerelease may follow fewer than 3 numbers */
	int max_digits;   /* 0: any; else numbers longer are invalid */
	int js_safe;      /* numbers above 2^53-1 are invalid (node-semver) */
	size_t max_len;   /* 0: any */
	int trim;         /* surrounding whitespace ignored */
	int pre_nocase;   /* prerelease compared case-insensitively */
	int order_build;  /* build metadata orders (pub) */
	int empty_pre_ok; /* "1.0.0-" tolerated */
};

struct sv_slice {
	const char *p;
	size_t n;
};

struct sv {
	struct sv_slice num[4];
	int nnum;
	struct sv_slice pre;
	int has_pre;
	struct sv_slice build;
	int has_build;
};

static int isident(int c)
{
	return ver_isalnum(c) || c == '-';
}

static int alldigits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ver_isdigit((unsigned char)p[i]))
			return 0;
	return n > 0;
}

/* Validate dot-separated identifiers [0-9A-Za-z-]+; numeric ones without
 * leading zeros unless zeros_ok. */
static const char *check_idents(const char *p, size_t n, int zeros_ok)
{
	size_t i = 0;

	if (n == 0)
		return "empty pre-release or build identifier";
	while (i <= n) {
		size_t s = i;
		while (i < n && p[i] != '.') {
			if (!isident((unsigned char)p[i]))
				return "pre-release and build identifiers allow only [0-9A-Za-z-]";
			i++;
		}
		if (i == s)
			return "empty pre-release or build identifier";
		if (!zeros_ok && i - s > 1 && p[s] == '0' && alldigits(p + s, i - s))
			return "numeric pre-release identifier with a leading zero";
		i++;
	}
	return NULL;
}

static int sv_parse(const struct sv_rules *r, const char *eco, const char *v, struct sv *o,
		    struct vg_error *err)
{
	const char *p = v, *end = v + strlen(v);
	const char *why;

	memset(o, 0, sizeof(*o));
	if (r->max_len && (size_t)(end - p) > r->max_len)
		return ver_bad(err, eco, v, "longer than 256 characters");
	if (r->trim) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		while (end > p &&
		       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
			end--;
	}
	if (r->v_prefix && p < end && (*p == 'v' || (r->v_prefix == 2 && *p == 'V')))
		p++;
	while (p < end && ver_isdigit((unsigned char)*p)) {
		const char *s = p;
		while (p < end && ver_isdigit((unsigned char)*p))
			p++;
		if (!r->zeros_ok && p - s > 1 && *s == '0')
			return ver_bad(err, eco, v, "number with a leading zero");
		if (r->max_digits && p - s > r->max_digits)
			return ver_bad(err, eco, v, "number too large");
		if (r->js_safe && ver_numcmp(s, (size_t)(p - s), "9007199254740991", 16) > 0)
			return ver_bad(err, eco, v, "number larger than 2^53-1");
		if (o->nnum < 4 && o->nnum < r->max_parts) {
			o->num[o->nnum].p = s;
			o->num[o->nnum].n = (size_t)(p - s);
		}
		o->nnum++;
		if (r->extra_build && o->nnum == 3 && p < end && *p == '.') {
			/* lenient: "1.2.3.4.5" keeps 4.5 as build metadata */
			o->build.p = p + 1;
			o->build.n = (size_t)(end - p - 1);
			o->has_build = 1;
			if (o->build.n == 0 || check_idents(o->build.p, o->build.n, 1) != NULL)
				return ver_bad(err, eco, v,
					       "malformed components after major.minor.patch");
			p = end;
			break;
		}
		if (p < end && *p == '.') {
			p++;
			if (p >= end || !ver_isdigit((unsigned char)*p))
				return ver_bad(err, eco, v, "expected a number after '.'");
			continue;
		}
		break;
	}
	if (o->nnum == 0)
		return ver_bad(err, eco, v, "expected a number at the start");
	if (o->nnum < r->min_parts)
		return ver_bad(err, eco, v,
			       r->min_parts == 3 ? "expected MAJOR.MINOR.PATCH"
						 : "too few numeric components");
	if (o->nnum > r->max_parts)
		return ver_bad(err, eco, v, "too many numeric components");
	if (p < end && *p == '-') {
		if (!r->short_pre_ok && o->nnum < 3)
			return ver_bad(err, eco, v, "a pre-release needs MAJOR.MINOR.PATCH");
		p++;
		o->pre.p = p;
		while (p < end && *p != '+')
			p++;
		o->pre.n = (size_t)(p - o->pre.p);
		o->has_pre = 1;
		if (o->pre.n == 0 && r->empty_pre_ok) {
			o->has_pre = 0;
		} else if ((why = check_idents(o->pre.p, o->pre.n, r->zeros_ok)) != NULL) {
			return ver_bad(err, eco, v, why);
		}
	}
	if (p < end && *p == '+') {
		if (!r->short_pre_ok && o->nnum < 3)
			return ver_bad(err, eco, v, "build metadata needs MAJOR.MINOR.PATCH");
		p++;
		o->build.p = p;
		o->build.n = (size_t)(end - p);
		o->has_build = 1;
		if ((why = check_idents(o->build.p, o->build.n, 1)) != NULL)
			return ver_bad(err, eco, v, why);
		p = end;
	}
	if (p != end)
		return ver_bad(err, eco, v, "unexpected character after the version numbers");
	return VG_OK;
}

static int ident_cmp(const char *a, size_t an, const char *b, size_t bn, int nocase)
{
	int ad = alldigits(a, an), bd = alldigits(b, bn);

	if (ad && bd)
		return ver_numcmp(a, an, b, bn);
	if (ad != bd)
		return ad ? -1 : 1;
	if (nocase) {
		size_t n = an < bn ? an : bn;
		for (size_t i = 0; i < n; i++) {
			int x = ver_tolower((unsigned char)a[i]),
			    y = ver_tolower((unsigned char)b[i]);
			if (x != y)
				return x < y ? -1 : 1;
		}
		return (an > bn) - (an < bn);
	}
	return ver_memcmp(a, an, b, bn);
}

/* Compare dot-separated identifier lists; a shorter list is lower when it
 * is a prefix of the other. */
static int idents_cmp(struct sv_slice a, struct sv_slice b, int nocase)
{
	size_t i = 0, j = 0;

	for (;;) {
		size_t si = i, sj = j;
		int r;
		if (i > a.n && j > b.n)
			return 0;
		if (i > a.n)
			return -1;
		if (j > b.n)
			return 1;
		while (i < a.n && a.p[i] != '.')
			i++;
		while (j < b.n && b.p[j] != '.')
			j++;
		r = ident_cmp(a.p + si, i - si, b.p + sj, j - sj, nocase);
		if (r)
			return r;
		i++;
		j++;
	}
}

static int sv_cmp(const struct sv_rules *r, const struct sv *a, const struct sv *b)
{
	int n = a->nnum > b->nnum ? a->nnum : b->nnum, c;

	if (n > 4)
		n = 4;
	for (int i = 0; i < n && i < r->max_parts; i++) {
		struct sv_slice x = i < a->nnum ? a->num[i] : (struct sv_slice){"0", 1};
		struct sv_slice y = i < b->nnum ? b->num[i] : (struct sv_slice){"0", 1};
		c = ver_numcmp(x.p, x.n, y.p, y.n);
		if (c)
			return c;
	}
	if (a->has_pre != b->has_pre)
		return a->has_pre ? -1 : 1;
	if (a->has_pre) {
		c = idents_cmp(a->pre, b->pre, r->pre_nocase);
		if (c)
			return c;
	}
	if (r->order_build) {
		if (a->has_build != b->has_build)
			return a->has_build ? 1 : -1;
		if (a->has_build)
			return idents_cmp(a->build, b->build, 0);
	}
	return 0;
}

static int sv_run(const struct sv_rules *r, const char *eco, const char *a, const char *b, int *out,
		  struct vg_error *err)
{
	struct sv x, y;
	int rc;

	rc = sv_parse(r, eco, a, &x, err);
	if (rc == VG_OK)
		rc = sv_parse(r, eco, b, &y, err);
	if (rc != VG_OK)
		return rc;
	*out = sv_cmp(r, &x, &y);
	return VG_OK;
}

int ver_semver_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	static const struct sv_rules r = {.v_prefix = 2,
					  .min_parts = 1,
					  .max_parts = 3,
					  .extra_build = 1,
					  .zeros_ok = 1,
					  .short_pre_ok = 1,
					  .trim = 1};
	return sv_run(&r, eco, a, b, out, err);
}

int ver_npm_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	static const struct sv_rules r = {
	    .v_prefix = 1, .min_parts = 3, .max_parts = 3, .js_safe = 1, .max_len = 256, .trim = 1};
	return sv_run(&r, eco, a, b, out, err);
}

int ver_go_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	/* x/mod/semver needs the "v"; OSV's Go versions omit it. "v1" and
	 * "v1.2" are shorthands without pre-release or build. */
	static const struct sv_rules r = {.v_prefix = 1, .min_parts = 1, .max_parts = 3};
	return sv_run(&r, eco, a, b, out, err);
}

int ver_cargo_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	static const struct sv_rules r = {.min_parts = 3, .max_parts = 3};
	return sv_run(&r, eco, a, b, out, err);
}

int ver_pub_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	static const struct sv_rules r = {
	    .v_prefix = 1, .min_parts = 3, .max_parts = 3, .zeros_ok = 1, .order_build = 1};
	return sv_run(&r, eco, a, b, out, err);
}

int ver_nuget_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	static const struct sv_rules r = {.min_parts = 1,
					  .max_parts = 4,
					  .zeros_ok = 1,
					  .short_pre_ok = 1,
					  .trim = 1,
					  .pre_nocase = 1};
	return sv_run(&r, eco, a, b, out, err);
}
