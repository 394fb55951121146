/*
 * ver_maven.c - Maven versions in the order of ComparableVersion as
 * shipped with Maven 3.8.7 (Debian 12's maven3-artifact, the oracle named
 * in ORACLES.md). 3.9 changed a few cases (MNG-7559: "1.0.0.RC1" vs
 * "1.0.0-RC2", "1-1" vs "1-ga-1"); we follow 3.8.7, whose parser also
 * opens a sub-list before a qualifier that is followed by a number or
 * ends the version; the test suite lists the vectors that encode 3.9.
 *
 * The version is split into a tree of items (numbers, qualifiers, and a
 * sub-list at every '-' and at every digit/letter switch), trailing null
 * items of each list are dropped, and trees are compared item by item.
 * The tree lives in a fixed array: no allocation.
 */
#include "ident/version_int.h"

#include <string.h>

#include "core/banned.h"

#define MV_MAX 512

enum { MV_INT, MV_STR, MV_LIST };

struct mnode {
	int type;
	int first, last, prev, next; /* children (lists) and siblings; -1 none */
	const char *p;               /* MV_INT: digits (leading zeros dropped); MV_STR: text */
	int n;
	int rank; /* MV_STR: index in the qualifier list, 7 = unknown */
};

struct mv {
	struct mnode node[MV_MAX];
	int count;
	int overflow;
};

/* alpha beta milestone rc snapshot "" sp; 7 = anything else */
static int qual_rank(const char *p, int n)
{
	static const char *const q[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
	for (int i = 0; i < 7; i++) {
		int l = (int)strlen(q[i]);
		if (l != n)
			continue;
		int k = 0;
		while (k < n && ver_tolower((unsigned char)p[k]) == q[i][k])
			k++;
		if (k == n)
			return i;
	}
	return 7;
}

static int add(struct mv *m, int list, int type, const char *p, int n)
{
	struct mnode *x;
	int id;

	if (m->count >= MV_MAX) {
		m->overflow = 1;
		return -1;
	}
	id = m->count++;
	x = &m->node[id];
	x->type = type;
	x->first = x->last = x->next = -1;
	x->prev = list >= 0 ? m->node[list].last : -1;
	x->p = p;
	x->n = n;
	x->rank = 0;
	if (list >= 0) {
		if (m->node[list].last >= 0)
			m->node[m->node[list].last].next = id;
		else
			m->node[list].first = id;
		m->node[list].last = id;
	}
	return id;
}

static int eqi(const char *p, int n, const char *w)
{
	int k = 0;

	if ((int)strlen(w) != n)
		return 0;
	while (k < n && ver_tolower((unsigned char)p[k]) == w[k])
		k++;
	return k == n;
}

static void add_str(struct mv *m, int list, const char *p, int n, int followed_by_digit)
{
	int id;
	const char *v = p;
	int vn = n;

	if (followed_by_digit && n == 1) {
		switch (ver_tolower((unsigned char)*p)) {
		case 'a':
			v = "alpha", vn = 5;
			break;
		case 'b':
			v = "beta", vn = 4;
			break;
		case 'm':
			v = "milestone", vn = 9;
			break;
		default:
			break;
		}
	}
	if (eqi(v, vn, "ga") || eqi(v, vn, "final") || eqi(v, vn, "release"))
		v = "", vn = 0;
	else if (eqi(v, vn, "cr"))
		v = "rc", vn = 2;
	id = add(m, list, MV_STR, v, vn);
	if (id >= 0)
		m->node[id].rank = qual_rank(v, vn);
}

static void add_item(struct mv *m, int list, int is_digit, const char *p, int n)
{
	if (is_digit) {
		while (n > 1 && *p == '0')
			p++, n--;
		add(m, list, MV_INT, p, n);
	} else {
		add_str(m, list, p, n, 0);
	}
}

static int is_null(const struct mv *m, int id)
{
	const struct mnode *x = &m->node[id];
	switch (x->type) {
	case MV_INT:
		return x->n == 1 && x->p[0] == '0';
	case MV_STR:
		return x->n == 0;
	default:
		return x->first < 0;
	}
}

static void normalize(struct mv *m, int list)
{
	struct mnode *l = &m->node[list];
	int id = l->last;

	while (id >= 0) {
		int prev = m->node[id].prev;
		if (is_null(m, id)) {
			int next = m->node[id].next;
			if (prev >= 0)
				m->node[prev].next = next;
			else
				l->first = next;
			if (next >= 0)
				m->node[next].prev = prev;
			else
				l->last = prev;
		} else if (m->node[id].type != MV_LIST) {
			break;
		}
		id = prev;
	}
}

static int mv_parse(const char *eco, const char *v, struct mv *m, struct vg_error *err)
{
	int len = (int)strlen(v), start = 0, is_digit = 0, list;

	m->count = 0;
	m->overflow = 0;
	list = add(m, -1, MV_LIST, NULL, 0);
	for (int i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '.') {
			if (i == start)
				add(m, list, MV_INT, "0", 1);
			else
				add_item(m, list, is_digit, v + start, i - start);
			start = i + 1;
		} else if (c == '-') {
			if (i == start)
				add(m, list, MV_INT, "0", 1);
			else
				add_item(m, list, is_digit, v + start, i - start);
			start = i + 1;
			list = add(m, list, MV_LIST, NULL, 0);
		} else if (ver_isdigit(c)) {
			if (!is_digit && i > start) {
				/* 3.8.7: a qualifier followed by a number opens
				 * a sub-list of its own ("1.0.0.RC8" = 1-rc-8) */
				if (m->node[list].first >= 0)
					list = add(m, list, MV_LIST, NULL, 0);
				if (list < 0)
					return ver_bad(err, eco, v, "more than 512 components");
				add_str(m, list, v + start, i - start, 1);
				start = i;
				list = add(m, list, MV_LIST, NULL, 0);
			}
			is_digit = 1;
		} else {
			if (is_digit && i > start) {
				add_item(m, list, 1, v + start, i - start);
				start = i;
				list = add(m, list, MV_LIST, NULL, 0);
			}
			is_digit = 0;
		}
		if (m->overflow || list < 0)
			return ver_bad(err, eco, v, "more than 512 components");
	}
	if (len > start) {
		/* 3.8.7: so does a trailing qualifier ("2.0.x.y" = 2.0.x-y) */
		if (!is_digit && m->node[list].first >= 0)
			list = add(m, list, MV_LIST, NULL, 0);
		if (list >= 0)
			add_item(m, list, is_digit, v + start, len - start);
	}
	if (m->overflow)
		return ver_bad(err, eco, v, "more than 512 components");
	/* lists were created in order, each after its parent: normalise
	 * children before parents, as Maven's stack does */
	for (int id = m->count - 1; id >= 0; id--)
		if (m->node[id].type == MV_LIST)
			normalize(m, id);
	return VG_OK;
}

static int str_key_cmp(const struct mnode *a, const struct mnode *b)
{
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank != 7)
		return 0;
	for (int i = 0; i < a->n && i < b->n; i++) {
		int x = ver_tolower((unsigned char)a->p[i]),
		    y = ver_tolower((unsigned char)b->p[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return (a->n > b->n) - (a->n < b->n);
}

/* item.compareTo(null) */
static int cmp_null(const struct mv *m, int id)
{
	const struct mnode *x = &m->node[id];
	switch (x->type) {
	case MV_INT:
		return (x->n == 1 && x->p[0] == '0') ? 0 : 1;
	case MV_STR:
		return x->rank == 5 ? 0 : (x->rank < 5 ? -1 : 1);
	default:
		if (x->first < 0)
			return 0;
		return cmp_null(m, x->first);
	}
}

static int cmp_item(const struct mv *ma, int a, const struct mv *mb, int b, int depth)
{
	const struct mnode *x = &ma->node[a], *y = &mb->node[b];

	switch (x->type) {
	case MV_INT:
		if (y->type == MV_INT)
			return ver_numcmp(x->p, (size_t)x->n, y->p, (size_t)y->n);
		return 1; /* int > string, int > list */
	case MV_STR:
		if (y->type == MV_STR)
			return str_key_cmp(x, y);
		return -1;
	default:
		if (y->type == MV_INT)
			return -1;
		if (y->type == MV_STR)
			return 1;
		{
			int l = x->first, r = y->first;
			while (l >= 0 || r >= 0) {
				int c;
				if (l < 0)
					c = -cmp_null(mb, r);
				else if (r < 0)
					c = cmp_null(ma, l);
				else
					c = cmp_item(ma, l, mb, r, depth + 1);
				if (c)
					return c;
				if (l >= 0)
					l = ma->node[l].next;
				if (r >= 0)
					r = mb->node[r].next;
			}
		}
		return 0;
	}
}

int ver_maven_cmp(const char *eco, const char *a, const char *b, int *out, struct vg_error *err)
{
	static _Thread_local struct mv x, y;
	int rc;

	rc = mv_parse(eco, a, &x, err);
	if (rc == VG_OK)
		rc = mv_parse(eco, b, &y, err);
	if (rc != VG_OK)
		return rc;
	*out = cmp_item(&x, 0, &y, 0, 0);
	return VG_OK;
}
