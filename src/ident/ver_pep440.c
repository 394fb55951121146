/*
 * ver_pep440.c - PyPI versions (PEP 440, as the `packaging` library parses
 * and orders them): epochs, release, a/b/rc pre-releases with their
 * spellings, post and dev releases, local labels, case and separator
 * normalisation. Non-PEP 440 ("legacy") versions are invalid, as in
 * packaging >= 22.
 */
#include "ident/version_int.h"

#include <string.h>

#include "core/banned.h"

struct sl {
	const char *p;
	size_t n;
};

struct pep {
	struct sl epoch;   /* n == 0: 0 */
	struct sl release; /* "1.2.3" */
	int pre;           /* 0 none, 1 a, 2 b, 3 rc */
	struct sl pre_n;
	int post;
	struct sl post_n;
	int dev;
	struct sl dev_n;
	int local;
	struct sl local_s;
};

/* Case-insensitive match of word at p (which has n bytes left). */
static size_t word(const char *p, size_t n, const char *w)
{
	size_t l = strlen(w);
	if (n < l)
		return 0;
	for (size_t i = 0; i < l; i++)
		if (ver_tolower((unsigned char)p[i]) != w[i])
			return 0;
	return l;
}

static int issep(int c)
{
	return c == '-' || c == '_' || c == '.';
}

static size_t digits(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && ver_isdigit((unsigned char)p[i]))
		i++;
	return i;
}

/* Optional separator, then an optional number; returns bytes consumed. */
static size_t opt_num(const char *p, size_t n, struct sl *num)
{
	size_t i = 0, d;

	num->p = "0";
	num->n = 1;
	if (i < n && issep((unsigned char)p[i]) && i + 1 < n &&
	    ver_isdigit((unsigned char)p[i + 1]))
		i++;
	d = digits(p + i, n - i);
	if (d) {
		num->p = p + i;
		num->n = d;
		return i + d;
	}
	return 0;
}

/* Length of the whitespace character (UTF-8) at p, or 0. */
static size_t ws_at(const char *p, const char *e)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = (size_t)(e - p);

	if (*u == ' ' || (*u >= 0x09 && *u <= 0x0d) || (*u >= 0x1c && *u <= 0x1f))
		return 1;
	if (n >= 2 && u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0))
		return 2;
	if (n >= 3 && u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80)
		return 3;
	if (n >= 3 && u[0] == 0xe2 && u[1] == 0x80 &&
	    (u[2] <= 0x8a || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf))
		return 3;
	if (n >= 3 && u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f)
		return 3;
	if (n >= 3 && u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

static int pep_parse(const char *eco, const char *v, struct pep *o, struct vg_error *err)
{
	const char *p = v, *e = v + strlen(v);
	size_t d, k;

	memset(o, 0, sizeof(*o));
	/* packaging strips Python's \s: ASCII and Unicode whitespace */
	for (size_t w; p < e && (w = ws_at(p, e)) > 0;)
		p += w;
	for (int again = 1; again && e > p;) {
		again = 0;
		for (size_t w = 1; w <= 3 && (size_t)(e - p) >= w; w++)
			if (ws_at(e - w, e) == w) {
				e -= w;
				again = 1;
				break;
			}
	}
	if (p < e && (*p == 'v' || *p == 'V'))
		p++;
	d = digits(p, (size_t)(e - p));
	if (d == 0)
		return ver_bad(err, eco, v, "expected a release number such as 1.0");
	if (p + d < e && p[d] == '!') {
		o->epoch.p = p;
		o->epoch.n = d;
		p += d + 1;
		d = digits(p, (size_t)(e - p));
		if (d == 0)
			return ver_bad(err, eco, v, "expected a release number after the epoch");
	}
	o->release.p = p;
	p += d;
	while (p + 1 < e && *p == '.' && ver_isdigit((unsigned char)p[1])) {
		p++;
		p += digits(p, (size_t)(e - p));
	}
	o->release.n = (size_t)(p - o->release.p);

	/* pre-release: [-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?N? */
	{
		const char *q = p;
		static const struct {
			const char *w;
			int kind;
		} pres[] = {{"alpha", 1},   {"a", 1},   {"beta", 2}, {"b", 2},
			    {"preview", 3}, {"pre", 3}, {"rc", 3},   {"c", 3}};
		if (q < e && issep((unsigned char)*q))
			q++;
		for (size_t i = 0; i < sizeof(pres) / sizeof(pres[0]); i++) {
			k = word(q, (size_t)(e - q), pres[i].w);
			if (k) {
				o->pre = pres[i].kind;
				q += k;
				q += opt_num(q, (size_t)(e - q), &o->pre_n);
				p = q;
				break;
			}
		}
	}
	/* post-release: -N | [-_.]?(post|rev|r)[-_.]?N? */
	if (p + 1 < e && *p == '-' && ver_isdigit((unsigned char)p[1])) {
		o->post = 1;
		o->post_n.p = p + 1;
		o->post_n.n = digits(p + 1, (size_t)(e - p - 1));
		p += 1 + o->post_n.n;
	} else {
		const char *q = p;
		static const char *const posts[] = {"post", "rev", "r"};
		if (q < e && issep((unsigned char)*q))
			q++;
		for (size_t i = 0; i < 3; i++) {
			k = word(q, (size_t)(e - q), posts[i]);
			if (k) {
				o->post = 1;
				q += k;
				q += opt_num(q, (size_t)(e - q), &o->post_n);
				p = q;
				break;
			}
		}
	}
	/* dev release: [-_.]?dev[-_.]?N? */
	{
		const char *q = p;
		if (q < e && issep((unsigned char)*q))
			q++;
		k = word(q, (size_t)(e - q), "dev");
		if (k) {
			o->dev = 1;
			q += k;
			q += opt_num(q, (size_t)(e - q), &o->dev_n);
			p = q;
		}
	}
	/* local: +[a-z0-9]+([-_.][a-z0-9]+)* */
	if (p < e && *p == '+') {
		p++;
		o->local = 1;
		o->local_s.p = p;
		for (;;) {
			const char *s = p;
			while (p < e && ver_isalnum((unsigned char)*p))
				p++;
			if (p == s)
				return ver_bad(err, eco, v,
					       "empty segment in the local version label");
			if (p < e && issep((unsigned char)*p)) {
				p++;
				continue;
			}
			break;
		}
		o->local_s.n = (size_t)(p - o->local_s.p);
	}
	if (p != e)
		return ver_bad(err, eco, v, "not a PEP 440 version (unexpected text)");
	return VG_OK;
}

/* Compare dotted release numbers, missing components being 0. */
static int release_cmp(struct sl a, struct sl b)
{
	size_t i = 0, j = 0;

	while (i < a.n || j < b.n) {
		size_t si = i, sj = j;
		int r;
		while (i < a.n && a.p[i] != '.')
			i++;
		while (j < b.n && b.p[j] != '.')
			j++;
		r = ver_numcmp(si < a.n ? a.p + si : "0", si < a.n ? i - si : 1,
			       sj < b.n ? b.p + sj : "0", sj < b.n ? j - sj : 1);
		if (r)
			return r;
		i++;
		j++;
	}
	return 0;
}

static int local_part_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int ad = 1, bd = 1;
	for (size_t i = 0; i < an; i++)
		ad &= ver_isdigit((unsigned char)a[i]);
	for (size_t i = 0; i < bn; i++)
		bd &= ver_isdigit((unsigned char)b[i]);
	if (ad && bd)
		return ver_numcmp(a, an, b, bn);
	if (ad != bd)
		return ad ? 1 : -1; /* numbers sort above strings */
	for (size_t i = 0; i < an && i < bn; i++) {
		int x = ver_tolower((unsigned char)a[i]), y = ver_tolower((unsigned char)b[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return (an > bn) - (an < bn);
}

static int local_cmp(struct sl a, struct sl b)
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
		while (i < a.n && !issep((unsigned char)a.p[i]))
			i++;
		while (j < b.n && !issep((unsigned char)b.p[j]))
			j++;
		r = local_part_cmp(a.p + si, i - si, b.p + sj, j - sj);
		if (r)
			return r;
		i++;
		j++;
	}
}

/* The pre-release key of packaging's _cmpkey: a dev-only release sorts
 * before every pre-release, a final release after them. */
static int pre_rank(const struct pep *v)
{
	if (!v->pre && !v->post && v->dev)
		return -1;
	if (!v->pre)
		return 4;
	return v->pre;
}

static int pep_cmp(const struct pep *a, const struct pep *b)
{
	int r;

	r = ver_numcmp(a->epoch.n ? a->epoch.p : "0", a->epoch.n ? a->epoch.n : 1,
		       b->epoch.n ? b->epoch.p : "0", b->epoch.n ? b->epoch.n : 1);
	if (r)
		return r;
	r = release_cmp(a->release, b->release);
	if (r)
		return r;
	r = pre_rank(a) - pre_rank(b);
	if (r)
		return ver_sign(r);
	if (a->pre) {
		r = ver_numcmp(a->pre_n.p, a->pre_n.n, b->pre_n.p, b->pre_n.n);
		if (r)
			return r;
	}
	if (a->post != b->post)
		return a->post ? 1 : -1;
	if (a->post) {
		r = ver_numcmp(a->post_n.p, a->post_n.n, b->post_n.p, b->post_n.n);
		if (r)
			return r;
	}
	if (a->dev != b->dev)
		return a->dev ? -1 : 1;
	if (a->dev) {
		r = ver_numcmp(a->dev_n.p, a->dev_n.n, b->dev_n.p, b->dev_n.n);
		if (r)
			return r;
	}
	if (a->local != b->local)
		return a->local ? 1 : -1;
	if (a->local)
		return local_cmp(a->local_s, b->local_s);
	return 0;
}

int ver_pep440_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	struct pep x, y;
	int rc;

	rc = pep_parse(eco, a, &x, err);
	if (rc == VG_OK)
		rc = pep_parse(eco, b, &y, err);
	if (rc != VG_OK)
		return rc;
	*out = pep_cmp(&x, &y);
	return VG_OK;
}
