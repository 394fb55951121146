/*
 * instance.c - instances as a compact tree in an arena (see schema_int.h),
 * built from a jansson value or straight from JSON text by the pull scanner
 * (core/jscan.h) with the checks jansson makes; equality and hashing as
 * enum, const and uniqueItems see them.
 */
#define _POSIX_C_SOURCE       200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema/schema_int.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/jscan.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* The tree of a jansson value; strings and keys are borrowed from it. */
int js_jv_from_json(struct vg_arena *a, const json_t *v, struct jv *out, int depth)
{
	memset(out, 0, sizeof(*out));
	if (depth > VG_JSON_MAX_DEPTH * 4)
		return VG_ETOOBIG;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), i = 0;
		struct jmem *m = n ? vg_arena_alloc_raw(a, n * sizeof(*m)) : NULL;
		if (n && !m)
			return VG_ENOMEM;
		for (void *it = json_object_iter((json_t *)v); it && i < n;
		     it = json_object_iter_next((json_t *)v, it), i++) {
			int rc;
			m[i].k = json_object_iter_key(it);
			m[i].kn = json_object_iter_key_len(it);
			if ((rc = js_jv_from_json(a, json_object_iter_value(it), &m[i].v,
						  depth + 1)))
				return rc;
		}
		out->t = JV_OBJECT;
		out->n = i;
		out->u.o = m;
		return VG_OK;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);
		struct jv *it = n ? vg_arena_alloc_raw(a, n * sizeof(*it)) : NULL;
		if (n && !it)
			return VG_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			int rc = js_jv_from_json(a, json_array_get(v, i), &it[i], depth + 1);
			if (rc)
				return rc;
		}
		out->t = JV_ARRAY;
		out->n = n;
		out->u.a = it;
		return VG_OK;
	}
	case JSON_STRING:
		out->t = JV_STRING;
		out->n = json_string_length(v);
		out->u.s = json_string_value(v);
		return VG_OK;
	case JSON_INTEGER:
		out->t = JV_INT;
		out->u.i = (long long)json_integer_value(v);
		return VG_OK;
	case JSON_REAL:
		out->t = JV_REAL;
		out->u.d = json_real_value(v);
		return VG_OK;
	case JSON_TRUE:
		out->t = JV_TRUE;
		return VG_OK;
	case JSON_FALSE:
		out->t = JV_FALSE;
		return VG_OK;
	default:
		out->t = JV_NULL;
		return VG_OK;
	}
}

static int jb_fail(struct jbuild *b, const char *what)
{
	vg_jscan_fail(&b->js, what);
	return -1;
}

static int jb_oom(struct jbuild *b)
{
	b->oom = 1;
	return jb_fail(b, "out of memory");
}

static unsigned hex4u(const char *p)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

/* 1 when every \u surrogate escape of an (escaped, grammar-checked) string is paired. */
static int surrogates_paired(const struct vg_jstr *j)
{
	const char *p = j->raw, *e = j->raw + j->len;
	int want_low = 0;
	while (p < e) {
		if (*p != '\\') {
			if (want_low)
				return 0;
			p++;
			continue;
		}
		if (p[1] != 'u') {
			if (want_low)
				return 0;
			p += 2;
			continue;
		}
		unsigned cp = hex4u(p + 2);
		if (want_low) {
			if (cp < 0xDC00 || cp > 0xDFFF)
				return 0;
			want_low = 0;
		} else if (cp >= 0xD800 && cp <= 0xDBFF) {
			want_low = 1;
		} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
			return 0;
		}
		p += 6;
	}
	return !want_low;
}

static int jb_string(struct jbuild *b, const struct vg_jstr *j, const char **out, size_t *n)
{
	char *o;
	if (j->escaped && !surrogates_paired(j))
		return jb_fail(b, "invalid \\u escape (unpaired surrogate)");
	if (!(o = vg_arena_alloc_raw(b->a, j->len + 1)))
		return jb_oom(b);
	if (j->escaped) {
		*n = vg_jstr_decode(j, o);
	} else {
		memcpy(o, j->raw, j->len);
		o[j->len] = '\0';
		*n = j->len;
	}
	*out = o;
	return 0;
}

static int jb_number(struct jbuild *b, const struct vg_jstr *j, int integral, struct jv *out)
{
	if (integral) {
		unsigned long long v = 0;
		int neg = j->raw[0] == '-';
		unsigned long long lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
		for (size_t i = (size_t)neg; i < j->len; i++) {
			unsigned d = (unsigned)(j->raw[i] - '0');
			if (v > (lim - d) / 10)
				return jb_fail(b, "integer out of range");
			v = v * 10 + d;
		}
		out->t = JV_INT;
		out->u.i = neg ? (long long)(0 - v) : (long long)v;
		return 0;
	}
	char tmp[64], *txt = j->len < sizeof(tmp) ? tmp : malloc(j->len + 1);
	double d;
	if (!txt)
		return jb_oom(b);
	memcpy(txt, j->raw, j->len);
	txt[j->len] = '\0';
	errno = 0;
	d = strtod(txt, NULL);
	if (txt != tmp)
		free(txt);
	if ((d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE)
		return jb_fail(b, "real number overflow");
	out->t = JV_REAL;
	out->u.d = d;
	return 0;
}

static int jmem_cmp(const void *x, const void *y)
{
	const struct jmem *a = *(const struct jmem *const *)x, *b = *(const struct jmem *const *)y;
	return js_key_cmp(a->k, a->kn, b->k, b->kn);
}

/* 1 when two members share a key, 0 not, -1 out of memory. */
static int dup_keys(const struct jmem *m, size_t n)
{
	if (n <= 24) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (m[i].kn == m[j].kn && !memcmp(m[i].k, m[j].k, m[i].kn))
					return 1;
		return 0;
	}
	const struct jmem **p = malloc(n * sizeof(*p));
	int dup = 0;
	if (!p)
		return -1;
	for (size_t i = 0; i < n; i++)
		p[i] = &m[i];
	qsort(p, n, sizeof(*p), jmem_cmp);
	for (size_t i = 1; i < n && !dup; i++)
		dup = !jmem_cmp(&p[i - 1], &p[i]);
	free(p);
	return dup;
}

int js_jb_value(struct jbuild *b, struct jv *out)
{
	struct vg_jstr j;
	int integral, r;
	memset(out, 0, sizeof(*out));
	switch (vg_jscan_peek(&b->js)) {
	case VG_JT_STRING:
		out->t = JV_STRING;
		if (vg_jscan_string(&b->js, &j))
			return -1;
		return jb_string(b, &j, &out->u.s, &out->n);
	case VG_JT_NUMBER:
		if (vg_jscan_number(&b->js, &j, &integral))
			return -1;
		return jb_number(b, &j, integral, out);
	case VG_JT_TRUE:
		out->t = JV_TRUE;
		return vg_jscan_skip(&b->js);
	case VG_JT_FALSE:
		out->t = JV_FALSE;
		return vg_jscan_skip(&b->js);
	case VG_JT_NULL:
		out->t = JV_NULL;
		return vg_jscan_skip(&b->js);
	case VG_JT_ARRAY: {
		size_t base = b->nv;
		struct jv *it = NULL;
		if (vg_jscan_array(&b->js))
			return -1;
		while ((r = vg_jscan_item(&b->js)) == 1) {
			struct jv v;
			if (js_jb_value(b, &v))
				return -1;
			if (b->nv == b->capv) {
				size_t nc = b->capv ? b->capv * 2 : 256;
				struct jv *g = realloc(b->vs, nc * sizeof(*g));
				if (!g)
					return jb_oom(b);
				b->vs = g;
				b->capv = nc;
			}
			b->vs[b->nv++] = v;
		}
		if (r < 0)
			return -1;
		out->t = JV_ARRAY;
		out->n = b->nv - base;
		if (out->n && !(it = vg_arena_alloc_raw(b->a, out->n * sizeof(*it))))
			return jb_oom(b);
		if (out->n)
			memcpy(it, b->vs + base, out->n * sizeof(*it));
		out->u.a = it;
		b->nv = base;
		return 0;
	}
	case VG_JT_OBJECT: {
		size_t base = b->nm;
		struct jmem *m = NULL;
		struct vg_jstr k;
		if (vg_jscan_object(&b->js))
			return -1;
		while ((r = vg_jscan_key(&b->js, &k)) == 1) {
			struct jmem mem;
			if (jb_string(b, &k, &mem.k, &mem.kn))
				return -1;
			if (memchr(mem.k, '\0', mem.kn))
				return jb_fail(b, "NUL byte in object key");
			if (b->nm - base < 24) /* a small object: named at the key */
				for (size_t i = base; i < b->nm; i++)
					if (b->ms[i].kn == mem.kn &&
					    !memcmp(b->ms[i].k, mem.k, mem.kn))
						return jb_fail(b, "duplicate object key");
			if (js_jb_value(b, &mem.v))
				return -1;
			if (b->nm == b->capm) {
				size_t nc = b->capm ? b->capm * 2 : 256;
				struct jmem *g = realloc(b->ms, nc * sizeof(*g));
				if (!g)
					return jb_oom(b);
				b->ms = g;
				b->capm = nc;
			}
			b->ms[b->nm++] = mem;
		}
		if (r < 0)
			return -1;
		out->t = JV_OBJECT;
		out->n = b->nm - base;
		if (out->n && !(m = vg_arena_alloc_raw(b->a, out->n * sizeof(*m))))
			return jb_oom(b);
		if (out->n)
			memcpy(m, b->ms + base, out->n * sizeof(*m));
		out->u.o = m;
		b->nm = base;
		r = out->n > 24 ? dup_keys(m, out->n) : 0;
		if (r < 0)
			return jb_oom(b);
		if (r)
			return jb_fail(b, "duplicate object key");
		return 0;
	}
	default:
		return -1;
	}
}

/* ------------------------------------------------- equality and hashing */

int js_jv_eq(const struct jv *a, const struct jv *b)
{
	if (js_jv_isnum(a) && js_jv_isnum(b)) {
		if (a->t == JV_INT && b->t == JV_INT)
			return a->u.i == b->u.i;
		return js_jv_num(a) == js_jv_num(b);
	}
	if (a->t != b->t)
		return 0;
	switch (a->t) {
	case JV_STRING:
		return a->n == b->n && !memcmp(a->u.s, b->u.s, a->n);
	case JV_ARRAY:
		if (a->n != b->n)
			return 0;
		for (size_t i = 0; i < a->n; i++)
			if (!js_jv_eq(&a->u.a[i], &b->u.a[i]))
				return 0;
		return 1;
	case JV_OBJECT:
		if (a->n != b->n)
			return 0;
		for (size_t i = 0; i < a->n; i++) {
			const struct jv *w = js_jv_get(b, a->u.o[i].k, a->u.o[i].kn);
			if (!w || !js_jv_eq(&a->u.o[i].v, w))
				return 0;
		}
		return 1;
	default:
		return 1; /* true, false, null: same type is enough */
	}
}

static uint64_t bytes_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Equal values (jv_eq) hash equal: numbers by value, objects order-free. */
uint64_t js_jv_hash(const struct jv *v)
{
	switch (v->t) {
	case JV_INT:
	case JV_REAL: {
		double d = js_jv_num(v);
		uint64_t u;
		if (d == 0)
			d = 0; /* -0 == 0 */
		memcpy(&u, &d, sizeof(u));
		return js_mix(u ^ 0x1234);
	}
	case JV_STRING:
		return bytes_hash(v->u.s, v->n);
	case JV_ARRAY: {
		uint64_t h = 0xabc;
		for (size_t i = 0; i < v->n; i++)
			h = js_mix(h ^ js_jv_hash(&v->u.a[i]));
		return h;
	}
	case JV_OBJECT: {
		uint64_t h = 0xdef;
		for (size_t i = 0; i < v->n; i++)
			h += js_mix(bytes_hash(v->u.o[i].k, v->u.o[i].kn) ^
				    (js_jv_hash(&v->u.o[i].v) * 31));
		return h;
	}
	case JV_TRUE:
		return 1;
	case JV_FALSE:
		return 2;
	default:
		return 3;
	}
}

struct hitem {
	uint64_t h;
	size_t i;
};

static int hitem_cmp(const void *a, const void *b)
{
	const struct hitem *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* 1 if all items differ, 0 if two are equal (*di < *dj set), -1 out of memory. */
int js_all_unique(const struct jv *arr, size_t *di, size_t *dj)
{
	size_t n = arr->n;
	struct hitem *h;
	int ok = 1;
	if (n < 2)
		return 1;
	if (n <= 8) {
		for (size_t j = 1; j < n; j++)
			for (size_t i = 0; i < j; i++)
				if (js_jv_eq(&arr->u.a[i], &arr->u.a[j])) {
					*di = i;
					*dj = j;
					return 0;
				}
		return 1;
	}
	if (!(h = malloc(n * sizeof(*h))))
		return -1;
	for (size_t i = 0; i < n; i++) {
		h[i].h = js_jv_hash(&arr->u.a[i]);
		h[i].i = i;
	}
	qsort(h, n, sizeof(*h), hitem_cmp);
	for (size_t a = 0; a < n && ok; a++)
		for (size_t b = a + 1; b < n && h[b].h == h[a].h; b++)
			if (js_jv_eq(&arr->u.a[h[a].i], &arr->u.a[h[b].i])) {
				*di = h[a].i < h[b].i ? h[a].i : h[b].i;
				*dj = h[a].i < h[b].i ? h[b].i : h[a].i;
				ok = 0;
				break;
			}
	free(h);
	return ok;
}

/* Equality and hash of two jansson values, through their trees. */
int vg_jsonschema_equal(const json_t *a, const json_t *b)
{
	struct vg_arena ar;
	struct jv x, y;
	int eq = -1;

	vg_arena_init(&ar, 0);
	if (!js_jv_from_json(&ar, a, &x, 0) && !js_jv_from_json(&ar, b, &y, 0))
		eq = js_jv_eq(&x, &y);
	vg_arena_release(&ar);
	return eq;
}

uint64_t vg_jsonschema_hash(const json_t *v)
{
	struct vg_arena ar;
	struct jv x;
	uint64_t h = 0;

	vg_arena_init(&ar, 0);
	if (!js_jv_from_json(&ar, v, &x, 0))
		h = js_jv_hash(&x);
	vg_arena_release(&ar);
	return h;
}
