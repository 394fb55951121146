/*
 * ver_pkg.c - Linux distribution package versions: Debian/Ubuntu (dpkg),
 * RPM distributions (rpmvercmp over [E:]V[-R], with '~' and '^', as
 * rpm 4.18's rpm.vercmp()) and Arch Linux (libalpm's vercmp).
 *
 * All three walk both strings in place; epochs and numbers of any length
 * compare as digit strings.
 */
#include "ident/version_int.h"

#include <string.h>

#include "core/banned.h"

struct seg {
	const char *p, *e;
};

/* ---- dpkg ---------------------------------------------------------- */

static int dpkg_order(const char *p, const char *e)
{
	int c = p < e ? (unsigned char)*p : 0;
	if (ver_isdigit(c))
		return 0;
	if (ver_isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

static int verrevcmp(struct seg a, struct seg b)
{
	const char *x = a.p, *y = b.p;

	while (x < a.e || y < b.e) {
		int first_diff = 0;
		while ((x < a.e && !ver_isdigit((unsigned char)*x)) ||
		       (y < b.e && !ver_isdigit((unsigned char)*y))) {
			int ac = dpkg_order(x, a.e), bc = dpkg_order(y, b.e);
			if (ac != bc)
				return ver_sign(ac - bc);
			x++;
			y++;
		}
		while (x < a.e && *x == '0')
			x++;
		while (y < b.e && *y == '0')
			y++;
		while (x < a.e && y < b.e && ver_isdigit((unsigned char)*x) &&
		       ver_isdigit((unsigned char)*y)) {
			if (!first_diff)
				first_diff = *x - *y;
			x++;
			y++;
		}
		if (x < a.e && ver_isdigit((unsigned char)*x))
			return 1;
		if (y < b.e && ver_isdigit((unsigned char)*y))
			return -1;
		if (first_diff)
			return ver_sign(first_diff);
	}
	return 0;
}

struct deb {
	struct seg epoch, version, revision;
};

static int deb_parse(const char *eco, const char *v, struct deb *o, struct vg_error *err)
{
	const char *p = v, *e = v + strlen(v), *colon, *hyphen;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (p == e)
		return ver_bad(err, eco, v, "version string is empty");
	for (const char *q = p; q < e; q++)
		if (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			return ver_bad(err, eco, v, "version string has embedded spaces");
	o->epoch.p = o->epoch.e = NULL;
	colon = memchr(p, ':', (size_t)(e - p));
	if (colon) {
		if (colon == p)
			return ver_bad(err, eco, v, "epoch in version is empty");
		for (const char *q = p; q < colon; q++)
			if (!ver_isdigit((unsigned char)*q))
				return ver_bad(err, eco, v, "epoch in version is not a number");
		if (ver_numcmp(p, (size_t)(colon - p), "2147483647", 10) > 0)
			return ver_bad(err, eco, v, "epoch in version is too big");
		o->epoch.p = p;
		o->epoch.e = colon;
		p = colon + 1;
		if (p == e)
			return ver_bad(err, eco, v, "nothing after colon in version number");
	}
	hyphen = NULL;
	for (const char *q = e; q > p; q--)
		if (q[-1] == '-') {
			hyphen = q - 1;
			break;
		}
	o->version.p = p;
	if (hyphen) {
		o->version.e = hyphen;
		o->revision.p = hyphen + 1;
		o->revision.e = e;
		if (o->revision.p == e)
			return ver_bad(err, eco, v, "revision number is empty");
	} else {
		o->version.e = e;
		o->revision.p = o->revision.e = e;
	}
	if (o->version.p == o->version.e)
		return ver_bad(err, eco, v, "version number is empty");
	return VG_OK;
}

int ver_debian_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	struct deb x, y;
	int rc, r;

	rc = deb_parse(eco, a, &x, err);
	if (rc == VG_OK)
		rc = deb_parse(eco, b, &y, err);
	if (rc != VG_OK)
		return rc;
	r = ver_numcmp(x.epoch.p ? x.epoch.p : "0", x.epoch.p ? (size_t)(x.epoch.e - x.epoch.p) : 1,
		       y.epoch.p ? y.epoch.p : "0",
		       y.epoch.p ? (size_t)(y.epoch.e - y.epoch.p) : 1);
	if (!r)
		r = verrevcmp(x.version, y.version);
	if (!r)
		r = verrevcmp(x.revision, y.revision);
	*out = r;
	return VG_OK;
}

/* ---- rpm ----------------------------------------------------------- */

static int rpmvercmp(struct seg a, struct seg b)
{
	const char *one = a.p, *two = b.p;

	if (a.e - a.p == b.e - b.p && memcmp(a.p, b.p, (size_t)(a.e - a.p)) == 0)
		return 0;
	while (one < a.e || two < b.e) {
		const char *s1, *s2;
		int isnum, r;

		while (one < a.e && !ver_isalnum((unsigned char)*one) && *one != '~' && *one != '^')
			one++;
		while (two < b.e && !ver_isalnum((unsigned char)*two) && *two != '~' && *two != '^')
			two++;
		/* '~' sorts before everything, even the end */
		if ((one < a.e && *one == '~') || (two < b.e && *two == '~')) {
			if (!(one < a.e && *one == '~'))
				return 1;
			if (!(two < b.e && *two == '~'))
				return -1;
			one++;
			two++;
			continue;
		}
		/* '^' sorts after the end, before anything else */
		if ((one < a.e && *one == '^') || (two < b.e && *two == '^')) {
			if (one >= a.e)
				return -1;
			if (two >= b.e)
				return 1;
			if (*one != '^')
				return 1;
			if (*two != '^')
				return -1;
			one++;
			two++;
			continue;
		}
		if (!(one < a.e && two < b.e))
			break;
		s1 = one;
		s2 = two;
		if (ver_isdigit((unsigned char)*s1)) {
			while (s1 < a.e && ver_isdigit((unsigned char)*s1))
				s1++;
			while (s2 < b.e && ver_isdigit((unsigned char)*s2))
				s2++;
			isnum = 1;
		} else {
			while (s1 < a.e && ver_isalpha((unsigned char)*s1))
				s1++;
			while (s2 < b.e && ver_isalpha((unsigned char)*s2))
				s2++;
			isnum = 0;
		}
		if (one == s1)
			return -1;
		if (two == s2)
			return isnum ? 1 : -1;
		if (isnum)
			r = ver_numcmp(one, (size_t)(s1 - one), two, (size_t)(s2 - two));
		else
			r = ver_memcmp(one, (size_t)(s1 - one), two, (size_t)(s2 - two));
		if (r)
			return r;
		one = s1;
		two = s2;
	}
	if (one >= a.e && two >= b.e)
		return 0;
	return one >= a.e ? -1 : 1;
}

struct evr {
	struct seg e, v, r;
	int has_e, has_r;
};

static void evr_split(const char *p, const char *end, struct evr *o)
{
	const char *s = p, *se = NULL;

	while (s < end && ver_isdigit((unsigned char)*s))
		s++;
	for (const char *q = end; q > s; q--)
		if (q[-1] == '-') {
			se = q - 1;
			break;
		}
	o->has_e = 0;
	o->e.p = "0";
	o->e.e = o->e.p + 1;
	if (s < end && *s == ':') {
		o->has_e = 1;
		if (s > p) {
			o->e.p = p;
			o->e.e = s;
		}
		o->v.p = s + 1;
	} else {
		o->v.p = p;
	}
	if (se) {
		o->v.e = se;
		o->r.p = se + 1;
		o->r.e = end;
		o->has_r = 1;
	} else {
		o->v.e = end;
		o->r.p = o->r.e = end;
		o->has_r = 0;
	}
}

static int pkg_check(const char *eco, const char *v, struct vg_error *err)
{
	if (!*v)
		return ver_bad(err, eco, v, "empty version");
	for (const char *q = v; *q; q++)
		if ((unsigned char)*q <= ' ' || *q == 0x7f)
			return ver_bad(err, eco, v, "whitespace or control character");
	return VG_OK;
}

int ver_rpm_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	struct evr x, y;
	int r;

	if (pkg_check(eco, a, err) || pkg_check(eco, b, err))
		return VG_EINVAL;
	evr_split(a, a + strlen(a), &x);
	evr_split(b, b + strlen(b), &y);
	/* as rpm 4.18's rpm.vercmp(): a missing epoch is 0; with equal
	 * versions, a side without release is older than one with ("1" <
	 * "1-0" < "1-1") */
	r = rpmvercmp(x.e, y.e);
	if (!r)
		r = rpmvercmp(x.v, y.v);
	if (!r && x.has_r && y.has_r)
		r = rpmvercmp(x.r, y.r);
	else if (!r && x.has_r != y.has_r)
		r = x.has_r ? 1 : -1;
	*out = r;
	return VG_OK;
}

/* ---- alpm ---------------------------------------------------------- */

static int alpm_rpmvercmp(struct seg a, struct seg b)
{
	const char *one = a.p, *two = b.p, *p1 = a.p, *p2 = b.p;

	if (a.e - a.p == b.e - b.p && memcmp(a.p, b.p, (size_t)(a.e - a.p)) == 0)
		return 0;
	while (one < a.e && two < b.e) {
		int isnum, r;
		while (one < a.e && !ver_isalnum((unsigned char)*one))
			one++;
		while (two < b.e && !ver_isalnum((unsigned char)*two))
			two++;
		if (!(one < a.e && two < b.e))
			break;
		/* different separator lengths decide */
		if ((one - p1) != (two - p2))
			return (one - p1) < (two - p2) ? -1 : 1;
		p1 = one;
		p2 = two;
		if (ver_isdigit((unsigned char)*p1)) {
			while (p1 < a.e && ver_isdigit((unsigned char)*p1))
				p1++;
			while (p2 < b.e && ver_isdigit((unsigned char)*p2))
				p2++;
			isnum = 1;
		} else {
			while (p1 < a.e && ver_isalpha((unsigned char)*p1))
				p1++;
			while (p2 < b.e && ver_isalpha((unsigned char)*p2))
				p2++;
			isnum = 0;
		}
		if (one == p1)
			return -1;
		if (two == p2)
			return isnum ? 1 : -1;
		if (isnum)
			r = ver_numcmp(one, (size_t)(p1 - one), two, (size_t)(p2 - two));
		else
			r = ver_memcmp(one, (size_t)(p1 - one), two, (size_t)(p2 - two));
		if (r)
			return r;
		one = p1;
		two = p2;
	}
	if (one >= a.e && two >= b.e)
		return 0;
	/* a remaining alpha part never beats the end */
	if ((one >= a.e && !(two < b.e && ver_isalpha((unsigned char)*two))) ||
	    (one < a.e && ver_isalpha((unsigned char)*one)))
		return -1;
	return 1;
}

int ver_alpm_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	struct evr x, y;
	int r;

	if (pkg_check(eco, a, err) || pkg_check(eco, b, err))
		return VG_EINVAL;
	if (strcmp(a, b) == 0) {
		*out = 0;
		return VG_OK;
	}
	evr_split(a, a + strlen(a), &x);
	evr_split(b, b + strlen(b), &y);
	r = alpm_rpmvercmp(x.e, y.e);
	if (!r)
		r = alpm_rpmvercmp(x.v, y.v);
	if (!r && x.has_r && y.has_r)
		r = alpm_rpmvercmp(x.r, y.r);
	*out = r;
	return VG_OK;
}
