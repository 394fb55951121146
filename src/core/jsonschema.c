/*
 * jsonschema.c - JSON Schema validation (see jsonschema.h for the rules).
 *
 * Layout: URI resolution, the name index of a schema set (built once when a
 * document is added), instances as a compact tree in an arena (built from
 * JSON text by core/jscan.h or from a jansson value) with the equality and
 * hashing used by enum/const/uniqueItems, formats, the compiled schema nodes
 * (a keyword table per schema object, made when its document is added), and
 * the evaluator. The evaluator returns 1 (valid), 0 (invalid) or -1 (could
 * not run: the code and message are in the context). Errors are collected
 * only outside of trial branches (anyOf, oneOf, not, if, contains): those
 * report one summary error at their own keyword.
 */
#define _POSIX_C_SOURCE       200809L
#define PCRE2_CODE_UNIT_WIDTH 8

#include "core/jsonschema.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/jscan.h"
#include "core/json.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_FILE_MAX   ((size_t)16 * 1024 * 1024)
#define REGEX_MATCH_LIMIT 1000000u
#define REGEX_DEPTH_LIMIT 10000u

/* ---------------------------------------------------------------- URIs */

struct uri {
	const char *scheme, *auth, *path, *query, *frag;
	size_t scheme_n, auth_n, path_n, query_n, frag_n;
	int has_scheme, has_auth, has_query, has_frag;
};

static void uri_parse(const char *s, struct uri *u)
{
	const char *p = s;
	memset(u, 0, sizeof(*u));
	if (isalpha((unsigned char)*p)) {
		const char *q = p + 1;
		while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
			q++;
		if (*q == ':') {
			u->has_scheme = 1;
			u->scheme = p;
			u->scheme_n = (size_t)(q - p);
			p = q + 1;
		}
	}
	if (p[0] == '/' && p[1] == '/') {
		p += 2;
		u->has_auth = 1;
		u->auth = p;
		u->auth_n = strcspn(p, "/?#");
		p += u->auth_n;
	}
	u->path = p;
	u->path_n = strcspn(p, "?#");
	p += u->path_n;
	if (*p == '?') {
		p++;
		u->has_query = 1;
		u->query = p;
		u->query_n = strcspn(p, "#");
		p += u->query_n;
	}
	if (*p == '#') {
		p++;
		u->has_frag = 1;
		u->frag = p;
		u->frag_n = strlen(p);
	}
}

/* Cut b back to len bytes (a JSON pointer or path being unwound). */
static void ptr_pop(struct vg_buf *b, size_t len)
{
	b->len = len;
	if (b->data)
		b->data[len] = '\0';
}

/* RFC 3986 5.2.4, appending the result to out. */
static int remove_dots(struct vg_buf *out, const char *in, size_t n)
{
	struct vg_buf tmp = VG_BUF_INIT;
	size_t i = 0;
	int rc = VG_OK;
	while (i < n) {
		const char *p = in + i;
		size_t left = n - i;
		if (left >= 3 && !strncmp(p, "../", 3)) {
			i += 3;
		} else if (left >= 2 && !strncmp(p, "./", 2)) {
			i += 2;
		} else if ((left >= 3 && !strncmp(p, "/./", 3)) ||
			   (left == 2 && !strncmp(p, "/.", 2))) {
			i += 2;
			if (left == 2) {
				rc = vg_buf_addc(&tmp, '/');
				break;
			}
		} else if ((left >= 4 && !strncmp(p, "/../", 4)) ||
			   (left == 3 && !strncmp(p, "/..", 3))) {
			size_t k = tmp.len;
			i += 3;
			while (k > 0 && tmp.data[k - 1] != '/')
				k--;
			ptr_pop(&tmp, k > 0 ? k - 1 : 0);
			if (left == 3) {
				rc = vg_buf_addc(&tmp, '/');
				break;
			}
		} else if ((left == 1 && *p == '.') || (left == 2 && !strncmp(p, "..", 2))) {
			break;
		} else {
			size_t seg = *p == '/' ? 1 : 0;
			while (seg < left && p[seg] != '/')
				seg++;
			rc = vg_buf_add(&tmp, p, seg);
			i += seg;
		}
		if (rc)
			break;
	}
	if (!rc && tmp.len)
		rc = vg_buf_add(out, tmp.data, tmp.len);
	vg_buf_release(&tmp);
	return rc;
}

char *vg_uri_resolve(const char *base, const char *ref)
{
	struct uri b, r;
	struct vg_buf o = VG_BUF_INIT;
	int rc = 0;
	uri_parse(base ? base : "", &b);
	uri_parse(ref, &r);

	const struct uri *sch = r.has_scheme ? &r : &b;
	if (sch->has_scheme) {
		rc |= vg_buf_add(&o, sch->scheme, sch->scheme_n);
		rc |= vg_buf_addc(&o, ':');
	}
	if (r.has_scheme || r.has_auth) {
		if (r.has_auth) {
			rc |= vg_buf_adds(&o, "//");
			rc |= vg_buf_add(&o, r.auth, r.auth_n);
		}
		rc |= remove_dots(&o, r.path, r.path_n);
		if (r.has_query) {
			rc |= vg_buf_addc(&o, '?');
			rc |= vg_buf_add(&o, r.query, r.query_n);
		}
	} else {
		if (b.has_auth) {
			rc |= vg_buf_adds(&o, "//");
			rc |= vg_buf_add(&o, b.auth, b.auth_n);
		}
		if (r.path_n == 0) {
			rc |= vg_buf_add(&o, b.path, b.path_n);
			if (r.has_query || b.has_query) {
				rc |= vg_buf_addc(&o, '?');
				rc |= r.has_query ? vg_buf_add(&o, r.query, r.query_n)
						  : vg_buf_add(&o, b.query, b.query_n);
			}
		} else {
			if (r.path[0] == '/') {
				rc |= remove_dots(&o, r.path, r.path_n);
			} else {
				struct vg_buf m = VG_BUF_INIT;
				if (b.has_auth && b.path_n == 0) {
					rc |= vg_buf_addc(&m, '/');
				} else {
					const char *slash = NULL;
					for (size_t i = 0; i < b.path_n; i++)
						if (b.path[i] == '/')
							slash = b.path + i;
					if (slash)
						rc |= vg_buf_add(&m, b.path,
								 (size_t)(slash - b.path) + 1);
				}
				rc |= vg_buf_add(&m, r.path, r.path_n);
				if (!rc)
					rc |= remove_dots(&o, m.data, m.len);
				vg_buf_release(&m);
			}
			if (r.has_query) {
				rc |= vg_buf_addc(&o, '?');
				rc |= vg_buf_add(&o, r.query, r.query_n);
			}
		}
	}
	if (r.has_frag) {
		rc |= vg_buf_addc(&o, '#');
		rc |= vg_buf_add(&o, r.frag, r.frag_n);
	}
	if (rc) {
		vg_buf_release(&o);
		return NULL;
	}
	return vg_buf_detach(&o, NULL);
}

/* Drop an empty fragment ("...schema#") in place: names are kept without it. */
static void strip_empty_frag(char *u)
{
	size_t n = strlen(u);
	if (n && u[n - 1] == '#')
		u[n - 1] = '\0';
}

/* ------------------------------------------------------------ the set */

struct name {
	char *uri;    /* absolute, no empty fragment; anchors as "base#name" */
	char *base;   /* base URI in effect inside node (its own $id applied) */
	json_t *node; /* borrowed from a document of the set */
	int draft;
};

/*
 * A schema object with a "$ref", resolved once when the set changes, so that
 * evaluation follows a pointer instead of resolving URIs on every use. A
 * site whose target is not (yet) in the set keeps target NULL and is
 * resolved at use, which then reports the missing schema.
 */
struct refsite {
	const json_t *node; /* the object holding "$ref" */
	char *base;         /* base URI in effect at node */
	int draft;
	const json_t *target;
	char *tbase; /* base URI in effect at target (its own $id applied) */
	int tdraft;
};

/* ------------------------------------------------ instances: a compact tree */

/*
 * Instances are evaluated as a compact tree kept in an arena: one block of
 * members per object and of items per array, strings NUL-terminated with
 * their length. It is built straight from JSON text by the pull scanner
 * (core/jscan.h), so a large document validated item by item costs no
 * jansson tree per item, or from a jansson value for the json_t API.
 */
enum { JV_NULL, JV_FALSE, JV_TRUE, JV_INT, JV_REAL, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jmem;

struct jv {
	int t;
	size_t n; /* string length, number of items or of members */
	union {
		long long i;
		double d;
		const char *s;
		const struct jv *a;
		const struct jmem *o;
	} u;
};

struct jmem {
	const char *k; /* NUL-terminated, no NUL inside */
	size_t kn;
	struct jv v;
};

struct ablk {
	struct ablk *next;
	size_t cap, used;
	max_align_t data[];
};

/* Blocks that never move; a reset keeps them for the next instance. */
struct arena {
	struct ablk *head, *cur;
};

#define ARENA_BLOCK ((size_t)64 * 1024)

static void *arena_alloc(struct arena *a, size_t n)
{
	struct ablk *b = a->cur, *last = NULL;
	void *p;
	n = (n + 15) & ~(size_t)15;
	for (; b; last = b, b = b->next)
		if (b->used + n <= b->cap)
			break;
	if (!b) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->next = NULL;
		b->cap = cap;
		b->used = 0;
		if (last)
			last->next = b;
		else
			a->head = b;
	}
	a->cur = b;
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

static void arena_reset(struct arena *a)
{
	for (struct ablk *b = a->head; b; b = b->next)
		b->used = 0;
	a->cur = a->head;
}

static void arena_free(struct arena *a)
{
	struct ablk *b = a->head;
	while (b) {
		struct ablk *n = b->next;
		free(b);
		b = n;
	}
	a->head = a->cur = NULL;
}

/* The tree of a jansson value; strings and keys are borrowed from it. */
static int jv_from_json(struct arena *a, const json_t *v, struct jv *out, int depth)
{
	memset(out, 0, sizeof(*out));
	if (depth > VG_JSON_MAX_DEPTH * 4)
		return VG_ETOOBIG;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), i = 0;
		struct jmem *m = n ? arena_alloc(a, n * sizeof(*m)) : NULL;
		if (n && !m)
			return VG_ENOMEM;
		for (void *it = json_object_iter((json_t *)v); it && i < n;
		     it = json_object_iter_next((json_t *)v, it), i++) {
			int rc;
			m[i].k = json_object_iter_key(it);
			m[i].kn = json_object_iter_key_len(it);
			if ((rc = jv_from_json(a, json_object_iter_value(it), &m[i].v, depth + 1)))
				return rc;
		}
		out->t = JV_OBJECT;
		out->n = i;
		out->u.o = m;
		return VG_OK;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);
		struct jv *it = n ? arena_alloc(a, n * sizeof(*it)) : NULL;
		if (n && !it)
			return VG_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			int rc = jv_from_json(a, json_array_get(v, i), &it[i], depth + 1);
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

/*
 * The tree of JSON text, with the checks jansson makes when it parses a
 * document (core/json.h): duplicate keys, NUL in keys, unpaired surrogates,
 * integers out of range and reals that overflow are refused. The stacks
 * hold the members and items of the containers being read.
 */
struct jbuild {
	struct vg_jscan js;
	struct arena *a;
	struct jv *vs;
	size_t nv, capv;
	struct jmem *ms;
	size_t nm, capm;
	int oom;
};

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
	if (!(o = arena_alloc(b->a, j->len + 1)))
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

static int key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);
	return r ? r : (an > bn) - (an < bn);
}

static int jmem_cmp(const void *x, const void *y)
{
	const struct jmem *a = *(const struct jmem *const *)x, *b = *(const struct jmem *const *)y;
	return key_cmp(a->k, a->kn, b->k, b->kn);
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

static int jb_value(struct jbuild *b, struct jv *out)
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
			if (jb_value(b, &v))
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
		if (out->n && !(it = arena_alloc(b->a, out->n * sizeof(*it))))
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
			if (jb_value(b, &mem.v))
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
		if (out->n && !(m = arena_alloc(b->a, out->n * sizeof(*m))))
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

static int jv_isnum(const struct jv *v)
{
	return v->t == JV_INT || v->t == JV_REAL;
}

static double jv_num(const struct jv *v)
{
	return v->t == JV_INT ? (double)v->u.i : v->u.d;
}

static const struct jv *jv_get(const struct jv *o, const char *k, size_t kn)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->u.o[i].kn == kn && !memcmp(o->u.o[i].k, k, kn))
			return &o->u.o[i].v;
	return NULL;
}

static int jv_eq(const struct jv *a, const struct jv *b)
{
	if (jv_isnum(a) && jv_isnum(b)) {
		if (a->t == JV_INT && b->t == JV_INT)
			return a->u.i == b->u.i;
		return jv_num(a) == jv_num(b);
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
			if (!jv_eq(&a->u.a[i], &b->u.a[i]))
				return 0;
		return 1;
	case JV_OBJECT:
		if (a->n != b->n)
			return 0;
		for (size_t i = 0; i < a->n; i++) {
			const struct jv *w = jv_get(b, a->u.o[i].k, a->u.o[i].kn);
			if (!w || !jv_eq(&a->u.o[i].v, w))
				return 0;
		}
		return 1;
	default:
		return 1; /* true, false, null: same type is enough */
	}
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
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
static uint64_t jv_hash(const struct jv *v)
{
	switch (v->t) {
	case JV_INT:
	case JV_REAL: {
		double d = jv_num(v);
		uint64_t u;
		if (d == 0)
			d = 0; /* -0 == 0 */
		memcpy(&u, &d, sizeof(u));
		return mix(u ^ 0x1234);
	}
	case JV_STRING:
		return bytes_hash(v->u.s, v->n);
	case JV_ARRAY: {
		uint64_t h = 0xabc;
		for (size_t i = 0; i < v->n; i++)
			h = mix(h ^ jv_hash(&v->u.a[i]));
		return h;
	}
	case JV_OBJECT: {
		uint64_t h = 0xdef;
		for (size_t i = 0; i < v->n; i++)
			h += mix(bytes_hash(v->u.o[i].k, v->u.o[i].kn) ^
				 (jv_hash(&v->u.o[i].v) * 31));
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
static int all_unique(const struct jv *arr, size_t *di, size_t *dj)
{
	size_t n = arr->n;
	struct hitem *h;
	int ok = 1;
	if (n < 2)
		return 1;
	if (n <= 8) {
		for (size_t j = 1; j < n; j++)
			for (size_t i = 0; i < j; i++)
				if (jv_eq(&arr->u.a[i], &arr->u.a[j])) {
					*di = i;
					*dj = j;
					return 0;
				}
		return 1;
	}
	if (!(h = malloc(n * sizeof(*h))))
		return -1;
	for (size_t i = 0; i < n; i++) {
		h[i].h = jv_hash(&arr->u.a[i]);
		h[i].i = i;
	}
	qsort(h, n, sizeof(*h), hitem_cmp);
	for (size_t a = 0; a < n && ok; a++)
		for (size_t b = a + 1; b < n && h[b].h == h[a].h; b++)
			if (jv_eq(&arr->u.a[h[a].i], &arr->u.a[h[b].i])) {
				*di = h[a].i < h[b].i ? h[a].i : h[b].i;
				*dj = h[a].i < h[b].i ? h[b].i : h[a].i;
				ok = 0;
				break;
			}
	free(h);
	return ok;
}

/* ---------------------------------------------------- compiled schemas */

/*
 * Every schema object of a set is compiled once, when its document is added:
 * its keywords in a table indexed by enum kw (no lookup by name while
 * evaluating), "type" as a bit mask, "pattern" and "patternProperties"
 * compiled, "format" as a number, "properties" sorted for binary search,
 * "enum" and "const" as trees with the hashes of a long enum sorted. The
 * compiled nodes are found by the address of their object (a hash table).
 */
enum kw {
	K_REF,
	K_ID,
	K_ID4,
	K_TYPE,
	K_ENUM,
	K_CONST,
	K_REQUIRED, /* object keywords: K_REQUIRED .. K_DEPENDENTSCHEMAS */
	K_MINPROPERTIES,
	K_MAXPROPERTIES,
	K_PROPERTIES,
	K_PATTERNPROPERTIES,
	K_ADDITIONALPROPERTIES,
	K_PROPERTYNAMES,
	K_DEPENDENCIES,
	K_DEPENDENTREQUIRED,
	K_DEPENDENTSCHEMAS,
	K_ITEMS, /* array keywords: K_ITEMS .. K_MAXCONTAINS */
	K_ADDITIONALITEMS,
	K_PREFIXITEMS,
	K_MINITEMS,
	K_MAXITEMS,
	K_UNIQUEITEMS,
	K_CONTAINS,
	K_MINCONTAINS,
	K_MAXCONTAINS,
	K_MULTIPLEOF, /* number keywords: K_MULTIPLEOF .. K_EXCLUSIVEMINIMUM */
	K_MAXIMUM,
	K_MINIMUM,
	K_EXCLUSIVEMAXIMUM,
	K_EXCLUSIVEMINIMUM,
	K_MINLENGTH, /* string keywords: K_MINLENGTH .. K_FORMAT */
	K_MAXLENGTH,
	K_PATTERN,
	K_FORMAT,
	K_ALLOF, /* in-place applicators: K_ALLOF .. K_ELSE */
	K_ANYOF,
	K_ONEOF,
	K_NOT,
	K_IF,
	K_THEN,
	K_ELSE,
	K_UNEVALUATEDITEMS,
	K_UNEVALUATEDPROPERTIES,
	K_RECURSIVEREF,
	K_DYNAMICREF,
	K_N
};

static const char *const KW_NAME[K_N] = {
    "$ref",
    "$id",
    "id",
    "type",
    "enum",
    "const",
    "required",
    "minProperties",
    "maxProperties",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "items",
    "additionalItems",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "multipleOf",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "$recursiveRef",
    "$dynamicRef",
};

enum { G_OBJ = 1, G_ARR = 2, G_NUM = 4, G_STR = 8, G_LOGIC = 16, G_DRAFT2019 = 32 };

enum {
	T_NULL = 1,
	T_BOOL = 2,
	T_OBJECT = 4,
	T_ARRAY = 8,
	T_NUMBER = 16,
	T_STRING = 32,
	T_INTEGER = 64,
};

/* The hashes of a long "enum" (jv_hash, sorted): most misses need no comparison. */
struct enumhash {
	uint64_t h;
	size_t i; /* index in the enum array */
};

#define ENUMSET_MIN 16

struct prop {
	const char *k;
	size_t kn;
	const json_t *sch;
};

struct ppat {
	const char *pat;
	pcre2_code *code; /* NULL: does not compile (an error when used) */
	const json_t *sch;
};

struct cnode {
	const json_t *node;
	char *base; /* base URI in effect at node when it was compiled */
	int draft;
	char *own; /* base inside node when its own $id changes it; else NULL */
	const json_t *kw[K_N];
	unsigned groups;
	unsigned tmask; /* the types "type" names (when a string or an array) */
	int type_all;   /* "type" of another kind: every instance matches */
	pcre2_code *pattern;
	int fmt;
	struct jv *en; /* "enum" values */
	size_t n_en;
	struct enumhash *eh; /* when n_en >= ENUMSET_MIN */
	struct jv cv;        /* "const" value */
	struct prop *props;  /* sorted by key */
	size_t n_props;
	struct ppat *pp;
	size_t n_pp;
	struct arena ar;
};

struct cslot {
	const json_t *node;
	struct cnode *cn;
};

struct vg_jsonschema {
	int default_draft;
	struct refsite *refs; /* sorted by node pointer once the set is filled */
	size_t n_refs, cap_refs;
	json_t **docs;
	size_t n_docs, cap_docs;
	struct name *names;
	size_t n_names, cap_names;
	struct cslot *cmap; /* open addressing by node address; cap a power of 2 */
	size_t n_cmap, cap_cmap;
};

static void cnode_free(struct cnode *cn)
{
	if (!cn)
		return;
	free(cn->base);
	free(cn->own);
	pcre2_code_free(cn->pattern);
	free(cn->eh);
	free(cn->props);
	for (size_t i = 0; i < cn->n_pp; i++)
		pcre2_code_free(cn->pp[i].code);
	free(cn->pp);
	arena_free(&cn->ar);
	free(cn);
}

static size_t ptr_slot(const void *p, size_t cap)
{
	return (size_t)(mix((uint64_t)(uintptr_t)p) & (cap - 1));
}

static const struct cnode *cmap_get(const struct vg_jsonschema *s, const json_t *node)
{
	if (!s->cap_cmap)
		return NULL;
	for (size_t i = ptr_slot(node, s->cap_cmap);; i = (i + 1) & (s->cap_cmap - 1)) {
		if (s->cmap[i].node == node)
			return s->cmap[i].cn;
		if (!s->cmap[i].node)
			return NULL;
	}
}

static int cmap_put(struct vg_jsonschema *s, struct cnode *cn)
{
	if ((s->n_cmap + 1) * 2 > s->cap_cmap) {
		size_t nc = s->cap_cmap ? s->cap_cmap * 2 : 256;
		struct cslot *t = calloc(nc, sizeof(*t));
		if (!t)
			return VG_ENOMEM;
		for (size_t i = 0; i < s->cap_cmap; i++) {
			if (!s->cmap[i].node)
				continue;
			size_t j = ptr_slot(s->cmap[i].node, nc);
			while (t[j].node)
				j = (j + 1) & (nc - 1);
			t[j] = s->cmap[i];
		}
		free(s->cmap);
		s->cmap = t;
		s->cap_cmap = nc;
	}
	size_t j = ptr_slot(cn->node, s->cap_cmap);
	while (s->cmap[j].node)
		j = (j + 1) & (s->cap_cmap - 1);
	s->cmap[j].node = cn->node;
	s->cmap[j].cn = cn;
	s->n_cmap++;
	return VG_OK;
}

int vg_jsonschema_new(int default_draft, struct vg_jsonschema **out, struct vg_error *err)
{
	*out = NULL;
	if (default_draft != 4 && default_draft != 6 && default_draft != 7 &&
	    default_draft != 2019 && default_draft != 2020)
		return vg_error_set(err, VG_EINVAL, "json schema: unknown draft %d", default_draft);
	struct vg_jsonschema *s = calloc(1, sizeof(*s));
	if (!s)
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	s->default_draft = default_draft;
	*out = s;
	return VG_OK;
}

void vg_jsonschema_free(struct vg_jsonschema *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap_cmap; i++)
		cnode_free(s->cmap[i].cn);
	free(s->cmap);
	for (size_t i = 0; i < s->n_docs; i++)
		json_decref(s->docs[i]);
	for (size_t i = 0; i < s->n_names; i++) {
		free(s->names[i].uri);
		free(s->names[i].base);
	}
	for (size_t i = 0; i < s->n_refs; i++) {
		free(s->refs[i].base);
		free(s->refs[i].tbase);
	}
	free(s->refs);
	free(s->docs);
	free(s->names);
	free(s);
}

static int draft_of(const char *schema_uri, int dflt)
{
	if (!schema_uri)
		return dflt;
	if (strstr(schema_uri, "draft-04"))
		return 4;
	if (strstr(schema_uri, "draft-06"))
		return 6;
	if (strstr(schema_uri, "draft-07"))
		return 7;
	if (strstr(schema_uri, "2019-09"))
		return 2019;
	if (strstr(schema_uri, "2020-12"))
		return 2020;
	return dflt;
}

static const struct name *find_name(const struct vg_jsonschema *s, const char *uri)
{
	for (size_t i = 0; i < s->n_names; i++)
		if (!strcmp(s->names[i].uri, uri))
			return &s->names[i];
	return NULL;
}

static int add_name(struct vg_jsonschema *s, const char *uri, json_t *node, const char *base,
		    int draft, struct vg_error *err)
{
	const struct name *old = find_name(s, uri);
	if (old) {
		if (old->node == node)
			return VG_OK;
		return vg_error_set(err, VG_EEXIST, "json schema: %s: name defined twice", uri);
	}
	if (s->n_names == s->cap_names) {
		size_t nc = s->cap_names ? s->cap_names * 2 : 16;
		struct name *n = realloc(s->names, nc * sizeof(*n));
		if (!n)
			return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
		s->names = n;
		s->cap_names = nc;
	}
	char *u = strdup(uri), *b = strdup(base);
	if (!u || !b) {
		free(u);
		free(b);
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	}
	s->names[s->n_names].uri = u;
	s->names[s->n_names].base = b;
	s->names[s->n_names].node = node;
	s->names[s->n_names].draft = draft;
	s->n_names++;
	return VG_OK;
}

static pcre2_code *regex_compile(const char *src, size_t n)
{
	int ec;
	PCRE2_SIZE eo;
	return pcre2_compile((PCRE2_SPTR)src, n, PCRE2_UTF | PCRE2_ALT_BSUX, &ec, &eo, NULL);
}

static const char *id_keyword(int draft)
{
	return draft == 4 ? "id" : "$id";
}

/* Keywords whose value is one schema, an array of them, or an object of them. */
static const char *const KW_ONE[] = {"additionalItems",
				     "additionalProperties",
				     "contains",
				     "propertyNames",
				     "not",
				     "if",
				     "then",
				     "else",
				     "unevaluatedItems",
				     "unevaluatedProperties",
				     "contentSchema",
				     NULL};
static const char *const KW_ARRAY[] = {"allOf", "anyOf", "oneOf", "prefixItems", NULL};
static const char *const KW_OBJECT[] = {"properties", "patternProperties", "definitions",
					"$defs",      "dependentSchemas",  "dependencies",
					NULL};

static int add_refsite(struct vg_jsonschema *s, const json_t *node, const char *base, int draft)
{
	char *b;
	if (s->n_refs == s->cap_refs) {
		size_t nc = s->cap_refs ? s->cap_refs * 2 : 64;
		struct refsite *r = realloc(s->refs, nc * sizeof(*r));
		if (!r)
			return VG_ENOMEM;
		s->refs = r;
		s->cap_refs = nc;
	}
	if (!(b = strdup(base)))
		return VG_ENOMEM;
	memset(&s->refs[s->n_refs], 0, sizeof(s->refs[0]));
	s->refs[s->n_refs].node = node;
	s->refs[s->n_refs].base = b;
	s->refs[s->n_refs].draft = draft;
	s->n_refs++;
	return VG_OK;
}

static struct cnode *cnode_compile(const json_t *node, const char *base, int draft);

static int index_node(struct vg_jsonschema *s, json_t *node, const char *base, int draft, int depth,
		      struct vg_error *err);

static int index_child(struct vg_jsonschema *s, json_t *v, const char *base, int draft, int depth,
		       struct vg_error *err)
{
	if (json_is_object(v))
		return index_node(s, v, base, draft, depth + 1, err);
	return VG_OK;
}

static int index_node(struct vg_jsonschema *s, json_t *node, const char *base, int draft, int depth,
		      struct vg_error *err)
{
	char *own = NULL;
	const char *id, *outer = base;
	int rc = VG_OK;

	if (depth > VG_JSON_MAX_DEPTH)
		return vg_error_set(err, VG_ETOOBIG, "json schema: %s: nested too deep", base);
	id = json_string_value(json_object_get(node, id_keyword(draft)));
	if (id && (draft >= 2019 || !json_object_get(node, "$ref"))) {
		if (id[0] == '#') {
			/* draft 4-7 plain-name fragment; "#/..." ids are pointers, not names */
			if (id[1] && id[1] != '/') {
				char *a = vg_uri_resolve(base, id);
				if (!a)
					return vg_error_set(err, VG_ENOMEM,
							    "json schema: out of memory");
				rc = add_name(s, a, node, base, draft, err);
				free(a);
			}
		} else {
			own = vg_uri_resolve(base, id);
			if (!own)
				return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
			strip_empty_frag(own);
			base = own;
			rc = add_name(s, own, node, own, draft, err);
		}
		if (rc)
			goto out;
	}
	if (draft >= 2019) {
		const char *kw[] = {"$anchor", "$dynamicAnchor"};
		for (size_t i = 0; i < 2; i++) {
			const char *an = json_string_value(json_object_get(node, kw[i]));
			if (!an)
				continue;
			struct vg_buf a = VG_BUF_INIT;
			char *hash = strchr(base, '#');
			rc = vg_buf_add(&a, base, hash ? (size_t)(hash - base) : strlen(base));
			rc |= vg_buf_addf(&a, "#%s", an);
			if (!rc)
				rc = add_name(s, a.data, node, base, draft, err);
			else
				rc = vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
			vg_buf_release(&a);
			if (rc && rc != VG_EEXIST)
				goto out;
			rc = VG_OK; /* the same dynamic anchor may appear in several places */
		}
	}
	if (!cmap_get(s, node)) {
		/* compiled under the base it is reached with (before its own $id) */
		struct cnode *cn = cnode_compile(node, outer, draft);
		if (!cn || cmap_put(s, cn)) {
			cnode_free(cn);
			rc = vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
			goto out;
		}
	}
	if (json_is_string(json_object_get(node, "$ref")) && add_refsite(s, node, base, draft)) {
		rc = vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
		goto out;
	}
	for (size_t i = 0; KW_ONE[i]; i++)
		if ((rc =
			 index_child(s, json_object_get(node, KW_ONE[i]), base, draft, depth, err)))
			goto out;
	for (size_t i = 0; KW_ARRAY[i]; i++) {
		json_t *a = json_object_get(node, KW_ARRAY[i]), *v;
		size_t j;
		if (json_is_array(a))
			json_array_foreach(a, j, v) if ((rc = index_child(s, v, base, draft, depth,
									  err))) goto out;
	}
	{
		json_t *it = json_object_get(node, "items"), *v;
		size_t j;
		if (json_is_array(it)) {
			json_array_foreach(it, j, v) if ((rc = index_child(s, v, base, draft, depth,
									   err))) goto out;
		} else if ((rc = index_child(s, it, base, draft, depth, err))) {
			goto out;
		}
	}
	for (size_t i = 0; KW_OBJECT[i]; i++) {
		json_t *o = json_object_get(node, KW_OBJECT[i]), *v;
		const char *k;
		if (!json_is_object(o))
			continue;
		json_object_foreach(o, k, v)
		{
			if ((rc = index_child(s, v, base, draft, depth, err)))
				goto out;
		}
	}
out:
	free(own);
	return rc;
}

static const json_t *resolve(const struct vg_jsonschema *s, const char *uri, char **nbase,
			     int *ndraft, int *oom);

static int refsite_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct refsite *)a)->node;
	uintptr_t y = (uintptr_t)((const struct refsite *)b)->node;
	return x < y ? -1 : x > y;
}

/*
 * (Re)resolve every $ref of the set against the names known now: a document
 * added later may define a target, so all sites are done again each time.
 */
static int resolve_refsites(struct vg_jsonschema *s, struct vg_error *err)
{
	for (size_t i = 0; i < s->n_refs; i++) {
		struct refsite *r = &s->refs[i];
		const char *ref = json_string_value(json_object_get(r->node, "$ref"));
		char *abs = ref ? vg_uri_resolve(r->base, ref) : NULL;
		int oom = 0;
		free(r->tbase);
		r->tbase = NULL;
		r->target = NULL;
		if (!abs)
			return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
		strip_empty_frag(abs);
		r->target = resolve(s, abs, &r->tbase, &r->tdraft, &oom);
		free(abs);
		if (oom)
			return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	}
	if (s->n_refs)
		qsort(s->refs, s->n_refs, sizeof(*s->refs), refsite_cmp);
	return VG_OK;
}

static const struct refsite *find_refsite(const struct vg_jsonschema *s, const json_t *node,
					  const char *base, int draft)
{
	struct refsite key;
	const struct refsite *r;
	if (!s->n_refs)
		return NULL;
	key.node = node;
	r = bsearch(&key, s->refs, s->n_refs, sizeof(key), refsite_cmp);
	/* the same object under another base (a document added twice): resolve at use */
	if (!r || !r->target || r->draft != draft || strcmp(r->base, base))
		return NULL;
	return r;
}

int vg_jsonschema_add(struct vg_jsonschema *s, const char *uri, json_t *doc, struct vg_error *err)
{
	int draft, rc;
	char *base = NULL;

	if (!json_is_object(doc) && !json_is_boolean(doc))
		return vg_error_set(err, VG_EINVAL,
				    "json schema: %s: expected an object or boolean",
				    uri ? uri : "(unnamed)");
	draft = draft_of(json_string_value(json_object_get(doc, "$schema")), s->default_draft);
	if (uri) {
		base = strdup(uri);
	} else {
		const char *id = json_string_value(json_object_get(doc, id_keyword(draft)));
		if (!id || !strchr(id, ':'))
			return vg_error_set(
			    err, VG_EINVAL,
			    "json schema: document without an absolute $id needs a URI");
		base = strdup(id);
	}
	if (!base)
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	strip_empty_frag(base);
	if (s->n_docs == s->cap_docs) {
		size_t nc = s->cap_docs ? s->cap_docs * 2 : 8;
		json_t **d = realloc(s->docs, nc * sizeof(*d));
		if (!d) {
			free(base);
			return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
		}
		s->docs = d;
		s->cap_docs = nc;
	}
	s->docs[s->n_docs++] = json_incref(doc);
	{
		/* the name given is the retrieval URI; the document's own $id is its base */
		const char *id = json_string_value(json_object_get(doc, id_keyword(draft)));
		char *eff = NULL;
		if (id && id[0] != '#' && (draft >= 2019 || !json_object_get(doc, "$ref"))) {
			eff = vg_uri_resolve(base, id);
			if (!eff) {
				free(base);
				return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
			}
			strip_empty_frag(eff);
		}
		rc = add_name(s, base, doc, eff ? eff : base, draft, err);
		free(eff);
	}
	if (!rc && json_is_object(doc))
		rc = index_node(s, doc, base, draft, 0, err);
	if (!rc)
		rc = resolve_refsites(s, err);
	free(base);
	return rc;
}

int vg_jsonschema_add_file(struct vg_jsonschema *s, const char *path, const char *uri,
			   struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT;
	json_t *doc;
	int rc = vg_buf_read_file(&b, path, SCHEMA_FILE_MAX, err);
	if (rc)
		return rc;
	doc = vg_json_parse(b.data, b.len, path, err);
	vg_buf_release(&b);
	if (!doc)
		return err ? err->code : VG_EPARSE;
	rc = vg_jsonschema_add(s, uri, doc, err);
	json_decref(doc);
	if (rc)
		vg_error_prefix(err, "%s", path);
	return rc;
}

/* ------------------------------------------------------------- formats */

static int digits(const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

static int num(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

static int is_date(const char *p, size_t n)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;
	if (n != 10 || !digits(p, 4) || p[4] != '-' || !digits(p + 5, 2) || p[7] != '-' ||
	    !digits(p + 8, 2))
		return 0;
	y = num(p, 4);
	m = num(p + 5, 2);
	d = num(p + 8, 2);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

static int is_time(const char *p, size_t n)
{
	size_t i = 8;
	if (n < 9 || !digits(p, 2) || p[2] != ':' || !digits(p + 3, 2) || p[5] != ':' ||
	    !digits(p + 6, 2))
		return 0;
	if (num(p, 2) > 23 || num(p + 3, 2) > 59 || num(p + 6, 2) > 60)
		return 0;
	if (p[i] == '.') {
		size_t f = ++i;
		while (i < n && isdigit((unsigned char)p[i]))
			i++;
		if (i == f)
			return 0;
	}
	if (i < n && (p[i] == 'Z' || p[i] == 'z'))
		return i + 1 == n;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		return n - i == 6 && digits(p + i + 1, 2) && p[i + 3] == ':' &&
		       digits(p + i + 4, 2) && num(p + i + 1, 2) < 24 && num(p + i + 4, 2) < 60;
	return 0;
}

static int is_datetime(const char *p, size_t n)
{
	return n > 11 && (p[10] == 'T' || p[10] == 't' || p[10] == ' ') && is_date(p, 10) &&
	       is_time(p + 11, n - 11);
}

static int is_hostname(const char *p, size_t n)
{
	size_t lab = 0;
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '.') {
			if (lab == 0 || p[i - 1] == '-')
				return 0;
			lab = 0;
			continue;
		}
		if (!(isalnum(c) || c == '-' || c >= 0x80))
			return 0;
		if (c == '-' && lab == 0)
			return 0;
		if (++lab > 63)
			return 0;
	}
	return lab > 0 && p[n - 1] != '-';
}

static int is_email(const char *p, size_t n, int idn)
{
	const char *at = memchr(p, '@', n);
	size_t local;
	if (!at || memchr(at + 1, '@', n - (size_t)(at - p) - 1))
		return 0;
	local = (size_t)(at - p);
	if (local == 0 || local > 64 || p[0] == '.' || p[local - 1] == '.')
		return 0;
	for (size_t i = 0; i < local; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c <= ' ' || c == 0x7f || strchr("()<>[]:;,\\\"", c) || (!idn && c >= 0x80))
			return 0;
		if (c == '.' && p[i + 1] == '.')
			return 0;
	}
	if (n - local - 1 >= 2 && at[1] == '[' && p[n - 1] == ']')
		return 1; /* address literal, not checked further */
	if (!idn)
		for (size_t i = local + 1; i < n; i++)
			if ((unsigned char)p[i] >= 0x80)
				return 0;
	return is_hostname(at + 1, n - local - 1);
}

/* RFC 3986 / 3987 characters; iri allows non-ASCII (the ucschar ranges, roughly). */
static int uri_chars_ok(const char *p, size_t n, int iri)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x80) {
			if (!iri)
				return 0;
			continue;
		}
		if (c == '%') {
			if (i + 2 >= n)
				return 0;
			if (!isxdigit((unsigned char)p[i + 1]) ||
			    !isxdigit((unsigned char)p[i + 2]))
				return 0;
			i += 2;
			continue;
		}
		if (isalnum(c) || strchr("-._~:/?#[]@!$&'()*+,;=", c))
			continue;
		return 0;
	}
	return 1;
}

static int is_uri_ref(const char *p, size_t n, int iri, int absolute)
{
	struct uri u;
	if (memchr(p, '\0', n) || !uri_chars_ok(p, n, iri))
		return 0;
	uri_parse(p, &u);
	if (absolute && !u.has_scheme)
		return 0;
	/* '#' may appear once; '[' ']' only in the authority */
	if (u.has_frag && memchr(u.frag, '#', u.frag_n))
		return 0;
	for (size_t i = 0; i < u.path_n; i++)
		if (u.path[i] == '[' || u.path[i] == ']')
			return 0;
	if (u.has_auth && u.auth_n && memchr(u.auth, '[', u.auth_n)) {
		const char *lb = memchr(u.auth, '[', u.auth_n);
		const char *rb = memchr(u.auth, ']', u.auth_n);
		if (!rb || rb < lb)
			return 0;
	}
	return 1;
}

static int is_ipv4(const char *p, size_t n)
{
	char tmp[16];
	struct in_addr a;
	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	/* inet_pton refuses leading zeros on glibc only sometimes; be explicit */
	for (size_t i = 0; i < n; i++)
		if (tmp[i] == '0' && (i == 0 || tmp[i - 1] == '.') && i + 1 < n &&
		    isdigit((unsigned char)tmp[i + 1]))
			return 0;
	return inet_pton(AF_INET, tmp, &a) == 1;
}

static int is_ipv6(const char *p, size_t n)
{
	char tmp[64];
	struct in6_addr a;
	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return inet_pton(AF_INET6, tmp, &a) == 1;
}

static int is_uuid(const char *p, size_t n)
{
	if (n != 36)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (p[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)p[i])) {
			return 0;
		}
	}
	return 1;
}

static int is_json_pointer(const char *p, size_t n)
{
	if (n && p[0] != '/')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '~' && (i + 1 >= n || (p[i + 1] != '0' && p[i + 1] != '1')))
			return 0;
	return 1;
}

/* The formats checked when "format" is an assertion; F_NONE: any other (passes). */
enum {
	F_NONE,
	F_DATETIME,
	F_DATE,
	F_TIME,
	F_EMAIL,
	F_IDNEMAIL,
	F_HOSTNAME,
	F_IPV4,
	F_IPV6,
	F_URI,
	F_URIREF,
	F_IRI,
	F_IRIREF,
	F_UUID,
	F_JSONPTR,
	F_REGEX,
};

static int format_id(const char *fmt)
{
	static const struct {
		const char *name;
		int id;
	} fmts[] = {
	    {"date-time", F_DATETIME},
	    {"date", F_DATE},
	    {"time", F_TIME},
	    {"email", F_EMAIL},
	    {"idn-email", F_IDNEMAIL},
	    {"hostname", F_HOSTNAME},
	    {"idn-hostname", F_HOSTNAME},
	    {"ipv4", F_IPV4},
	    {"ipv6", F_IPV6},
	    {"uri", F_URI},
	    {"uri-reference", F_URIREF},
	    {"iri", F_IRI},
	    {"iri-reference", F_IRIREF},
	    {"uuid", F_UUID},
	    {"json-pointer", F_JSONPTR},
	    {"regex", F_REGEX},
	};
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (!strcmp(fmt, fmts[i].name))
			return fmts[i].id;
	return F_NONE;
}

/* 1 ok or unknown format, 0 not of the format. */
static int format_check(int id, const char *p, size_t n)
{
	switch (id) {
	case F_DATETIME:
		return is_datetime(p, n);
	case F_DATE:
		return is_date(p, n);
	case F_TIME:
		return is_time(p, n);
	case F_EMAIL:
		return is_email(p, n, 0);
	case F_IDNEMAIL:
		return is_email(p, n, 1);
	case F_HOSTNAME:
		return is_hostname(p, n);
	case F_IPV4:
		return is_ipv4(p, n);
	case F_IPV6:
		return is_ipv6(p, n);
	case F_URI:
		return is_uri_ref(p, n, 0, 1);
	case F_URIREF:
		return is_uri_ref(p, n, 0, 0);
	case F_IRI:
		return is_uri_ref(p, n, 1, 1);
	case F_IRIREF:
		return is_uri_ref(p, n, 1, 0);
	case F_UUID:
		return is_uuid(p, n);
	case F_JSONPTR:
		return is_json_pointer(p, n);
	case F_REGEX: {
		pcre2_code *c = regex_compile(p, n);
		pcre2_code_free(c);
		return c != NULL;
	}
	default:
		return 1;
	}
}

/* ------------------------------------------------------------- compiling */

static unsigned type_bit(const char *t)
{
	static const char *const names[] = {"null",   "boolean", "object", "array",
					    "number", "string",  "integer"};
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(t, names[i]))
			return 1u << i;
	return 0; /* an unknown type name matches nothing */
}

static int prop_cmp(const void *a, const void *b)
{
	const struct prop *x = a, *y = b;
	return key_cmp(x->k, x->kn, y->k, y->kn);
}

static int enumhash_cmp(const void *a, const void *b)
{
	const struct enumhash *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The compiled form of schema object node, reached under base with draft; NULL: no memory. */
static struct cnode *cnode_compile(const json_t *node, const char *base, int draft)
{
	struct cnode *cn = calloc(1, sizeof(*cn));
	const json_t *v;
	const char *k;

	if (!cn || !(cn->base = strdup(base)))
		goto oom;
	cn->node = node;
	cn->draft = draft;
	json_object_foreach((json_t *)node, k, v)
	{
		for (int i = 0; i < K_N; i++)
			if (!strcmp(KW_NAME[i], k)) {
				cn->kw[i] = v;
				break;
			}
	}
	for (int i = 0; i < K_N; i++) {
		if (!cn->kw[i])
			continue;
		if (i >= K_REQUIRED && i <= K_DEPENDENTSCHEMAS)
			cn->groups |= G_OBJ;
		else if (i >= K_ITEMS && i <= K_MAXCONTAINS)
			cn->groups |= G_ARR;
		else if (i >= K_MULTIPLEOF && i <= K_EXCLUSIVEMINIMUM)
			cn->groups |= G_NUM;
		else if (i >= K_MINLENGTH && i <= K_FORMAT)
			cn->groups |= G_STR;
		else if (i >= K_ALLOF && i <= K_ELSE)
			cn->groups |= G_LOGIC;
		else if (i >= K_UNEVALUATEDITEMS)
			cn->groups |= G_DRAFT2019;
	}
	if ((v = cn->kw[K_TYPE])) {
		if (json_is_string(v)) {
			cn->tmask = type_bit(json_string_value(v));
		} else if (json_is_array(v)) {
			size_t i;
			const json_t *t;
			json_array_foreach(v, i, t) if (json_is_string(t)) cn->tmask |=
			    type_bit(json_string_value(t));
		} else {
			cn->type_all = 1;
		}
	}
	if (json_is_string(v = cn->kw[K_PATTERN]))
		cn->pattern = regex_compile(json_string_value(v), json_string_length(v));
	if (json_is_string(v = cn->kw[K_FORMAT]))
		cn->fmt = format_id(json_string_value(v));
	if (json_is_array(v = cn->kw[K_ENUM]) && (cn->n_en = json_array_size(v))) {
		if (!(cn->en = arena_alloc(&cn->ar, cn->n_en * sizeof(*cn->en))))
			goto oom;
		for (size_t i = 0; i < cn->n_en; i++)
			if (jv_from_json(&cn->ar, json_array_get(v, i), &cn->en[i], 0))
				goto oom;
		if (cn->n_en >= ENUMSET_MIN) {
			if (!(cn->eh = malloc(cn->n_en * sizeof(*cn->eh))))
				goto oom;
			for (size_t i = 0; i < cn->n_en; i++) {
				cn->eh[i].h = jv_hash(&cn->en[i]);
				cn->eh[i].i = i;
			}
			qsort(cn->eh, cn->n_en, sizeof(*cn->eh), enumhash_cmp);
		}
	}
	if ((v = cn->kw[K_CONST]) && jv_from_json(&cn->ar, v, &cn->cv, 0))
		goto oom;
	if (json_is_object(v = cn->kw[K_PROPERTIES]) && json_object_size(v)) {
		size_t i = 0;
		if (!(cn->props = malloc(json_object_size(v) * sizeof(*cn->props))))
			goto oom;
		for (void *it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it), i++) {
			cn->props[i].k = json_object_iter_key(it);
			cn->props[i].kn = json_object_iter_key_len(it);
			cn->props[i].sch = json_object_iter_value(it);
		}
		cn->n_props = i;
		qsort(cn->props, cn->n_props, sizeof(*cn->props), prop_cmp);
	}
	if (json_is_object(v = cn->kw[K_PATTERNPROPERTIES]) && json_object_size(v)) {
		const json_t *ps;
		if (!(cn->pp = calloc(json_object_size(v), sizeof(*cn->pp))))
			goto oom;
		json_object_foreach((json_t *)v, k, ps)
		{
			cn->pp[cn->n_pp].pat = k;
			cn->pp[cn->n_pp].code = regex_compile(k, strlen(k));
			cn->pp[cn->n_pp].sch = ps;
			cn->n_pp++;
		}
	}
	{
		const char *id = json_string_value(cn->kw[draft == 4 ? K_ID4 : K_ID]);
		if (id && id[0] != '#' && (draft >= 2019 || !cn->kw[K_REF])) {
			if (!(cn->own = vg_uri_resolve(base, id)))
				goto oom;
			strip_empty_frag(cn->own);
		}
	}
	return cn;
oom:
	cnode_free(cn);
	return NULL;
}

static const json_t *prop_get(const struct cnode *cn, const char *k, size_t kn)
{
	size_t lo = 0, hi = cn->n_props;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = key_cmp(cn->props[mid].k, cn->props[mid].kn, k, kn);
		if (!r)
			return cn->props[mid].sch;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* 1 when inst is one of the "enum" values of cn, else 0. */
static int enum_has(const struct cnode *cn, const struct jv *inst)
{
	size_t lo = 0, hi = cn->n_en;
	uint64_t h;
	if (!cn->eh) {
		for (size_t i = 0; i < cn->n_en; i++)
			if (jv_eq(&cn->en[i], inst))
				return 1;
		return 0;
	}
	/* the first entry with hash h, then each entry with it: equal values hash equal */
	h = jv_hash(inst);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cn->eh[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < cn->n_en && cn->eh[lo].h == h; lo++)
		if (jv_eq(&cn->en[cn->eh[lo].i], inst))
			return 1;
	return 0;
}

/* ------------------------------------------------------------ evaluator */

/*
 * A JSON pointer kept as its tokens (borrowed strings: schema keywords,
 * instance keys) or array indexes, so walking costs a push and a pop; the
 * string is built only when an error is reported.
 */
struct ptok {
	const char *key; /* NULL: idx is an array index */
	size_t idx;
};

struct path {
	struct ptok *t;
	size_t n, cap;
};

static int path_push(struct path *p, const char *key, size_t idx)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 64;
		struct ptok *t = realloc(p->t, nc * sizeof(*t));
		if (!t)
			return VG_ENOMEM;
		p->t = t;
		p->cap = nc;
	}
	p->t[p->n].key = key;
	p->t[p->n].idx = idx;
	p->n++;
	return VG_OK;
}

static int ptr_push(struct vg_buf *b, const char *tok);

/* prefix (may be NULL) then the tokens of p, escaped, into b (NUL-terminated). */
static int path_render(const struct path *p, const char *prefix, struct vg_buf *b)
{
	int rc = vg_buf_adds(b, prefix ? prefix : "");
	for (size_t i = 0; i < p->n && !rc; i++)
		rc = p->t[i].key ? ptr_push(b, p->t[i].key) : vg_buf_addf(b, "/%zu", p->t[i].idx);
	return rc;
}

/* What one thread keeps between validations: see jsonschema.h. */
struct vg_jsonschema_scratch {
	struct arena a;
	struct jbuild jb;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	struct path ip, sp;
	/* the last schema resolved by URI */
	const struct vg_jsonschema *s;
	char *uri;
	const json_t *root;
	char *base;
	int draft;
};

struct vg_jsonschema_scratch *vg_jsonschema_scratch_new(void)
{
	struct vg_jsonschema_scratch *x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	x->md = pcre2_match_data_create(1, NULL);
	x->mc = pcre2_match_context_create(NULL);
	if (!x->md || !x->mc) {
		vg_jsonschema_scratch_free(x);
		return NULL;
	}
	pcre2_set_match_limit(x->mc, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(x->mc, REGEX_DEPTH_LIMIT);
	return x;
}

void vg_jsonschema_scratch_free(struct vg_jsonschema_scratch *x)
{
	if (!x)
		return;
	arena_free(&x->a);
	free(x->jb.vs);
	free(x->jb.ms);
	pcre2_match_data_free(x->md);
	pcre2_match_context_free(x->mc);
	free(x->ip.t);
	free(x->sp.t);
	free(x->uri);
	free(x->base);
	free(x);
}

struct ctx {
	const struct vg_jsonschema *s;
	struct vg_jsonschema_result *res;
	size_t max_errors;
	int max_depth;
	int assert_format;
	int depth;
	int quiet;            /* > 0 inside trial branches: no errors kept, stop at the first */
	struct path *ip, *sp; /* instance pointer, keyword location: rendered only for errors */
	const char *ip_prefix;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	int code; /* set when evaluation could not run */
	struct vg_error *err;
};

static int hard(struct ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int hard(struct ctx *c, int code, const char *fmt, ...)
{
	if (!c->code) {
		va_list ap;
		char msg[900];
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		struct vg_buf sb = VG_BUF_INIT, ib = VG_BUF_INIT;
		int oom = path_render(c->sp, NULL, &sb) | path_render(c->ip, c->ip_prefix, &ib);
		const char *at = !oom && sb.len ? sb.data : "/";
		const char *in = !oom && ib.len ? ib.data : "/";
		/* keep the tails: the places are cut to what the message can hold */
		int cut_at = strlen(at) > 200, cut_in = strlen(in) > 200;
		c->code = code;
		vg_error_set(c->err, code, "json schema: %s (schema %s%s, instance %s%s)", msg,
			     cut_at ? "..." : "", cut_at ? at + strlen(at) - 200 : at,
			     cut_in ? "..." : "", cut_in ? in + strlen(in) - 200 : in);
		vg_buf_release(&sb);
		vg_buf_release(&ib);
	}
	return -1;
}

static void fail(struct ctx *c, const char *kw, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct ctx *c, const char *kw, const char *fmt, ...)
{
	struct vg_jsonschema_result *r = c->res;
	struct vg_jsonschema_error *e;
	struct vg_buf m = VG_BUF_INIT, s = VG_BUF_INIT, in = VG_BUF_INIT;
	va_list ap;

	if (c->quiet)
		return;
	if (r->n_errors >= c->max_errors) {
		r->n_dropped++;
		return;
	}
	if (!r->errors) {
		r->errors = calloc(c->max_errors, sizeof(*r->errors));
		if (!r->errors) {
			hard(c, VG_ENOMEM, "out of memory");
			return;
		}
	}
	va_start(ap, fmt);
	int rc = vg_buf_vaddf(&m, fmt, ap);
	va_end(ap);
	rc |= path_render(c->sp, NULL, &s);
	rc |= vg_buf_addc(&s, '/');
	rc |= vg_buf_adds(&s, kw);
	rc |= path_render(c->ip, c->ip_prefix, &in);
	e = &r->errors[r->n_errors];
	e->instance = rc ? NULL : in.data ? vg_buf_detach(&in, NULL) : strdup("");
	if (rc || !e->instance) {
		free(e->instance);
		e->instance = NULL;
		vg_buf_release(&m);
		vg_buf_release(&s);
		vg_buf_release(&in);
		hard(c, VG_ENOMEM, "out of memory");
		return;
	}
	e->message = vg_buf_detach(&m, NULL);
	e->schema = vg_buf_detach(&s, NULL);
	r->n_errors++;
}

/* Append a JSON pointer token (escaped) to b. */
static int ptr_push(struct vg_buf *b, const char *tok)
{
	int rc = vg_buf_addc(b, '/');
	for (; *tok && !rc; tok++) {
		if (*tok == '~')
			rc = vg_buf_adds(b, "~0");
		else if (*tok == '/')
			rc = vg_buf_adds(b, "~1");
		else
			rc = vg_buf_addc(b, *tok);
	}
	return rc;
}

static const char *type_name(const struct jv *v)
{
	switch (v->t) {
	case JV_OBJECT:
		return "object";
	case JV_ARRAY:
		return "array";
	case JV_STRING:
		return "string";
	case JV_INT:
		return "integer";
	case JV_REAL:
		return "number";
	case JV_TRUE:
	case JV_FALSE:
		return "boolean";
	default:
		return "null";
	}
}

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	default:
		return "null";
	}
}

static int has_type(const struct jv *v, unsigned mask, int draft)
{
	switch (v->t) {
	case JV_NULL:
		return (mask & T_NULL) != 0;
	case JV_TRUE:
	case JV_FALSE:
		return (mask & T_BOOL) != 0;
	case JV_OBJECT:
		return (mask & T_OBJECT) != 0;
	case JV_ARRAY:
		return (mask & T_ARRAY) != 0;
	case JV_STRING:
		return (mask & T_STRING) != 0;
	case JV_INT:
		return (mask & (T_INTEGER | T_NUMBER)) != 0;
	default:
		if (mask & T_NUMBER)
			return 1;
		return (mask & T_INTEGER) && draft >= 6 && isfinite(v->u.d) &&
		       v->u.d == floor(v->u.d);
	}
}

static int is_number(const json_t *v)
{
	return json_is_integer(v) || json_is_real(v);
}

/* instance a < schema number b: -1, equal 0, a > b: 1; exact for two integers. */
static int num_cmp(const struct jv *a, const json_t *b)
{
	if (a->t == JV_INT && json_is_integer(b)) {
		long long x = a->u.i, y = (long long)json_integer_value(b);
		return x < y ? -1 : x > y;
	}
	double x = jv_num(a), y = json_number_value(b);
	return x < y ? -1 : x > y;
}

static size_t utf8_len(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			k++;
	return k;
}

/* 1 match, 0 no match, -1 cannot run (code NULL: pat does not compile). */
static int regex_search(struct ctx *c, const pcre2_code *code, const char *pat, const char *subj,
			size_t n)
{
	int rc;
	if (!code)
		return hard(c, VG_EINVAL, "pattern /%s/ is not a valid regular expression", pat);
	rc = pcre2_match(code, (PCRE2_SPTR)subj, n, 0, 0, c->md, c->mc);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT)
		return 0; /* too costly to decide: treated as not matching */
	if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
		return 0;
	return hard(c, VG_EINVAL, "pattern /%s/: matching failed (%d)", pat, rc);
}

static int eval_cn(struct ctx *c, const struct cnode *cn, const char *base, int draft,
		   const struct jv *inst);

/*
 * Evaluate schema sch with base URI base. With apply_id, sch was found inside
 * a schema whose base is base: its own $id changes the base first ($ref
 * beside it wins in draft 4-7). A schema object outside the compiled ones (a
 * $ref into a place no keyword leads to) is compiled for this use only.
 */
static int eval(struct ctx *c, const json_t *sch, const char *base, int draft,
		const struct jv *inst, int apply_id)
{
	const struct cnode *cn;
	struct cnode *tmp = NULL;
	char *own = NULL;
	int rc;

	if (json_is_true(sch))
		return 1;
	if (json_is_false(sch)) {
		fail(c, "false", "expected nothing here (the schema is false)");
		return 0;
	}
	if (!json_is_object(sch))
		return hard(c, VG_EINVAL, "expected a schema (object or boolean), got %s",
			    json_type_name(sch));
	if (!(cn = cmap_get(c->s, sch))) {
		if (!(tmp = cnode_compile(sch, base, draft)))
			return hard(c, VG_ENOMEM, "out of memory");
		cn = tmp;
	}
	if (apply_id) {
		const char *id = json_string_value(cn->kw[draft == 4 ? K_ID4 : K_ID]);
		if (id && id[0] != '#' && (draft >= 2019 || !cn->kw[K_REF])) {
			if (cn->own && cn->draft == draft &&
			    (cn->base == base || !strcmp(cn->base, base))) {
				base = cn->own;
			} else {
				if (!(own = vg_uri_resolve(base, id))) {
					cnode_free(tmp);
					return hard(c, VG_ENOMEM, "out of memory");
				}
				strip_empty_frag(own);
				base = own;
			}
		}
	}
	rc = eval_cn(c, cn, base, draft, inst);
	free(own);
	cnode_free(tmp);
	return rc;
}

/* Evaluate sub-schema sch under keyword path kw (and optional second token). */
static int sub(struct ctx *c, const json_t *sch, const char *base, int draft, const struct jv *inst,
	       const char *kw, const char *tok, size_t idx, int use_idx)
{
	size_t sl = c->sp->n;
	int rc = path_push(c->sp, kw, 0);
	if (!rc && tok)
		rc = path_push(c->sp, tok, 0);
	if (!rc && use_idx)
		rc = path_push(c->sp, NULL, idx);
	if (rc)
		return hard(c, VG_ENOMEM, "out of memory");
	rc = eval(c, sch, base, draft, inst, 1);
	c->sp->n = sl;
	return rc;
}

/* As sub(), moving into member key (or index i) of the instance. */
static int sub_in(struct ctx *c, const json_t *sch, const char *base, int draft,
		  const struct jv *inst, const char *key, size_t i, const char *kw, const char *tok,
		  size_t idx, int use_idx)
{
	size_t il = c->ip->n;
	if (path_push(c->ip, key, i))
		return hard(c, VG_ENOMEM, "out of memory");
	int rc = sub(c, sch, base, draft, inst, kw, tok, idx, use_idx);
	c->ip->n = il;
	return rc;
}

/* Decode %XX in a fragment (n bytes) into a new string. */
static char *pct_decode(const char *p, size_t n)
{
	char *o = malloc(n + 1), *q = o;
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%' && i + 2 < n && isxdigit((unsigned char)p[i + 1]) &&
		    isxdigit((unsigned char)p[i + 2])) {
			char hx[3] = {p[i + 1], p[i + 2], 0};
			*q++ = (char)strtol(hx, NULL, 16);
			i += 2;
		} else {
			*q++ = p[i];
		}
	}
	*q = '\0';
	return o;
}

/*
 * Resolve uri (absolute) to a schema node. *nbase gets the node's base URI
 * (malloc'ed), *ndraft its draft. Returns NULL when not found (or no memory:
 * then *oom is set).
 */
static const json_t *resolve(const struct vg_jsonschema *s, const char *uri, char **nbase,
			     int *ndraft, int *oom)
{
	const struct name *nm = find_name(s, uri);
	const char *hash;
	char *doc = NULL, *frag = NULL, *b = NULL;
	const json_t *node = NULL;
	int draft;

	*nbase = NULL;
	*oom = 0;
	if (nm) {
		/* whole document or anchor: the base is the URI without fragment */
		b = strdup(nm->base);
		if (!b) {
			*oom = 1;
			return NULL;
		}
		*nbase = b;
		*ndraft = nm->draft;
		return nm->node;
	}
	hash = strchr(uri, '#');
	if (!hash || (hash[1] && hash[1] != '/'))
		return NULL;
	doc = strndup(uri, (size_t)(hash - uri));
	frag = pct_decode(hash + 1, strlen(hash + 1));
	if (!doc || !frag) {
		*oom = 1;
		goto out;
	}
	nm = find_name(s, doc);
	if (!nm)
		goto out;
	node = nm->node;
	draft = nm->draft;
	b = strdup(nm->base);
	if (!b) {
		*oom = 1;
		node = NULL;
		goto out;
	}
	for (char *p = frag; *p == '/' && node;) {
		char *tok = p + 1, *end = strchr(tok, '/'), *w = tok;
		if (end)
			*end = '\0';
		for (char *r = tok; *r; r++) {
			if (*r == '~' && r[1] == '1')
				*w++ = '/', r++;
			else if (*r == '~' && r[1] == '0')
				*w++ = '~', r++;
			else
				*w++ = *r;
		}
		*w = '\0';
		if (json_is_object(node)) {
			node = json_object_get(node, tok);
		} else if (json_is_array(node)) {
			char *e;
			unsigned long long i = strtoull(tok, &e, 10);
			node = (*tok && !*e && isdigit((unsigned char)*tok))
				   ? json_array_get(node, (size_t)i)
				   : NULL;
		} else {
			node = NULL;
		}
		if (node && json_is_object(node)) {
			const char *id =
			    json_string_value(json_object_get(node, id_keyword(draft)));
			if (id && id[0] != '#' &&
			    (draft >= 2019 || !json_object_get(node, "$ref"))) {
				char *nb = vg_uri_resolve(b, id);
				if (!nb) {
					*oom = 1;
					node = NULL;
					break;
				}
				strip_empty_frag(nb);
				free(b);
				b = nb;
			}
		}
		if (!end)
			break;
		p = end;
		*p = '/';
	}
	if (node) {
		*nbase = b;
		*ndraft = draft;
		b = NULL;
	}
out:
	free(b);
	free(doc);
	free(frag);
	return node;
}

static int eval_ref(struct ctx *c, const json_t *sch, const char *ref, const char *kw,
		    const char *base, int draft, const struct jv *inst)
{
	const struct refsite *site = sch ? find_refsite(c->s, sch, base, draft) : NULL;
	char *abs, *nbase = NULL;
	const json_t *target;
	int ndraft = draft, oom, rc;
	if (site) {
		size_t sl = c->sp->n;
		if (path_push(c->sp, kw, 0))
			return hard(c, VG_ENOMEM, "out of memory");
		rc = eval(c, site->target, site->tbase, site->tdraft, inst, 0);
		c->sp->n = sl;
		return rc;
	}
	abs = vg_uri_resolve(base, ref);
	if (!abs)
		return hard(c, VG_ENOMEM, "out of memory");
	strip_empty_frag(abs);
	target = resolve(c->s, abs, &nbase, &ndraft, &oom);
	if (!target) {
		rc = oom ? hard(c, VG_ENOMEM, "out of memory")
			 : hard(c, VG_ENOTFOUND, "%s \"%s\" (%s) names no known schema", kw, ref,
				abs);
		free(abs);
		return rc;
	}
	free(abs);
	/* nbase already includes the target's own $id */
	{
		size_t sl = c->sp->n;
		if (path_push(c->sp, kw, 0))
			rc = hard(c, VG_ENOMEM, "out of memory");
		else
			rc = eval(c, target, nbase, ndraft, inst, 0);
		c->sp->n = sl;
	}
	free(nbase);
	return rc;
}

#define TRY(x)                            \
	do {                              \
		int r_ = (x);             \
		if (r_ < 0)               \
			return -1;        \
		if (!r_) {                \
			ok = 0;           \
			if (c->quiet)     \
				return 0; \
		}                         \
	} while (0)

static int eval_object(struct ctx *c, const struct cnode *cn, const char *base, int draft,
		       const struct jv *inst)
{
	const json_t *addl = cn->kw[K_ADDITIONALPROPERTIES];
	const json_t *v, *kwv;
	int ok = 1;

	if ((kwv = cn->kw[K_REQUIRED]) && json_is_array(kwv)) {
		size_t i;
		json_array_foreach(kwv, i, v)
		{
			const char *name = json_string_value(v);
			if (name && !jv_get(inst, name, strlen(name))) {
				fail(c, "required", "expected property \"%s\"", name);
				ok = 0;
				if (c->quiet)
					return 0;
			}
		}
	}
	if ((kwv = cn->kw[K_MINPROPERTIES]) && json_is_integer(kwv) &&
	    (json_int_t)inst->n < json_integer_value(kwv)) {
		fail(c, "minProperties", "expected at least %lld properties, got %zu",
		     (long long)json_integer_value(kwv), inst->n);
		TRY(0);
	}
	if ((kwv = cn->kw[K_MAXPROPERTIES]) && json_is_integer(kwv) &&
	    (json_int_t)inst->n > json_integer_value(kwv)) {
		fail(c, "maxProperties", "expected at most %lld properties, got %zu",
		     (long long)json_integer_value(kwv), inst->n);
		TRY(0);
	}
	if (cn->n_props || cn->n_pp || addl) {
		for (size_t m = 0; m < inst->n; m++) {
			const char *k = inst->u.o[m].k;
			size_t kn = inst->u.o[m].kn;
			const struct jv *mv = &inst->u.o[m].v;
			int matched = 0;
			const json_t *ps = cn->n_props ? prop_get(cn, k, kn) : NULL;
			if (ps) {
				matched = 1;
				TRY(sub_in(c, ps, base, draft, mv, k, 0, "properties", k, 0, 0));
			}
			for (size_t p = 0; p < cn->n_pp; p++) {
				int r = regex_search(c, cn->pp[p].code, cn->pp[p].pat, k, kn);
				if (r < 0)
					return -1;
				if (r) {
					matched = 1;
					TRY(sub_in(c, cn->pp[p].sch, base, draft, mv, k, 0,
						   "patternProperties", cn->pp[p].pat, 0, 0));
				}
			}
			if (!matched && addl) {
				if (json_is_false(addl)) {
					size_t il = c->ip->n;
					if (path_push(c->ip, k, 0))
						return hard(c, VG_ENOMEM, "out of memory");
					fail(c, "additionalProperties",
					     "expected no property \"%s\" (not allowed here)", k);
					c->ip->n = il;
					TRY(0);
				} else {
					TRY(sub_in(c, addl, base, draft, mv, k, 0,
						   "additionalProperties", NULL, 0, 0));
				}
			}
		}
	}
	if ((kwv = cn->kw[K_PROPERTYNAMES]) && draft >= 6) {
		for (size_t m = 0; m < inst->n; m++) {
			struct jv name = {.t = JV_STRING, .n = inst->u.o[m].kn};
			name.u.s = inst->u.o[m].k;
			TRY(sub_in(c, kwv, base, draft, &name, inst->u.o[m].k, 0, "propertyNames",
				   NULL, 0, 0));
		}
	}
	/* dependencies (draft 4-7), dependentRequired / dependentSchemas (2019+) */
	{
		static const int kws[] = {K_DEPENDENCIES, K_DEPENDENTREQUIRED, K_DEPENDENTSCHEMAS};
		for (size_t t = 0; t < 3; t++) {
			const json_t *dep = cn->kw[kws[t]];
			const json_t *dv;
			const char *k;
			if (!json_is_object(dep))
				continue;
			if (t == 0 && draft >= 2019)
				continue;
			json_object_foreach((json_t *)dep, k, dv)
			{
				if (!jv_get(inst, k, strlen(k)))
					continue;
				if (json_is_array(dv) && t != 2) {
					size_t i;
					json_array_foreach(dv, i, v)
					{
						const char *name = json_string_value(v);
						if (name && !jv_get(inst, name, strlen(name))) {
							fail(c, KW_NAME[kws[t]],
							     "expected property \"%s\" (required "
							     "when \"%s\" is present)",
							     name, k);
							TRY(0);
						}
					}
				} else if ((json_is_object(dv) || json_is_boolean(dv)) && t != 1) {
					TRY(sub(c, dv, base, draft, inst, KW_NAME[kws[t]], k, 0,
						0));
				}
			}
		}
	}
	return ok;
}

static int eval_array(struct ctx *c, const struct cnode *cn, const char *base, int draft,
		      const struct jv *inst)
{
	size_t n = inst->n, i, done = 0;
	const json_t *items = cn->kw[K_ITEMS];
	const json_t *kwv;
	int ok = 1;

	if ((kwv = cn->kw[K_MINITEMS]) && json_is_integer(kwv) &&
	    (json_int_t)n < json_integer_value(kwv)) {
		fail(c, "minItems", "expected at least %lld items, got %zu",
		     (long long)json_integer_value(kwv), n);
		TRY(0);
	}
	if ((kwv = cn->kw[K_MAXITEMS]) && json_is_integer(kwv) &&
	    (json_int_t)n > json_integer_value(kwv)) {
		fail(c, "maxItems", "expected at most %lld items, got %zu",
		     (long long)json_integer_value(kwv), n);
		TRY(0);
	}
	if ((kwv = cn->kw[K_UNIQUEITEMS]) && json_is_true(kwv)) {
		size_t a = 0, b = 0;
		int u = all_unique(inst, &a, &b);
		if (u < 0)
			return hard(c, VG_ENOMEM, "out of memory");
		if (!u) {
			fail(c, "uniqueItems", "expected unique items, items %zu and %zu are equal",
			     a, b);
			TRY(0);
		}
	}
	if (draft >= 2020) {
		const json_t *pre = cn->kw[K_PREFIXITEMS];
		if (json_is_array(pre)) {
			for (i = 0; i < n && i < json_array_size(pre); i++)
				TRY(sub_in(c, json_array_get(pre, i), base, draft, &inst->u.a[i],
					   NULL, i, "prefixItems", NULL, i, 1));
			done = i;
		}
		if (items)
			for (i = done; i < n; i++)
				TRY(sub_in(c, items, base, draft, &inst->u.a[i], NULL, i, "items",
					   NULL, 0, 0));
	} else if (json_is_array(items)) {
		const json_t *addi = cn->kw[K_ADDITIONALITEMS];
		for (i = 0; i < n && i < json_array_size(items); i++)
			TRY(sub_in(c, json_array_get(items, i), base, draft, &inst->u.a[i], NULL, i,
				   "items", NULL, i, 1));
		if (addi) {
			for (; i < n; i++) {
				if (json_is_false(addi)) {
					fail(c, "additionalItems",
					     "expected at most %zu items, got %zu",
					     json_array_size(items), n);
					TRY(0);
					break;
				}
				TRY(sub_in(c, addi, base, draft, &inst->u.a[i], NULL, i,
					   "additionalItems", NULL, 0, 0));
			}
		}
	} else if (items) {
		for (i = 0; i < n; i++)
			TRY(sub_in(c, items, base, draft, &inst->u.a[i], NULL, i, "items", NULL, 0,
				   0));
	}
	if ((kwv = cn->kw[K_CONTAINS]) && draft >= 6) {
		const json_t *minc = draft >= 2019 ? cn->kw[K_MINCONTAINS] : NULL;
		const json_t *maxc = draft >= 2019 ? cn->kw[K_MAXCONTAINS] : NULL;
		long long lo = json_is_integer(minc) ? json_integer_value(minc) : 1;
		long long hi = json_is_integer(maxc) ? json_integer_value(maxc) : -1;
		long long hits = 0;
		c->quiet++;
		for (i = 0; i < n; i++) {
			int r = sub_in(c, kwv, base, draft, &inst->u.a[i], NULL, i, "contains",
				       NULL, 0, 0);
			if (r < 0) {
				c->quiet--;
				return -1;
			}
			hits += r;
			if (hi < 0 && hits >= lo)
				break;
		}
		c->quiet--;
		if (hits < lo) {
			fail(c, "contains",
			     "expected at least %lld item(s) matching contains, got %lld", lo,
			     hits);
			TRY(0);
		}
		if (hi >= 0 && hits > hi) {
			fail(c, "maxContains",
			     "expected at most %lld item(s) matching contains, got %lld", hi, hits);
			TRY(0);
		}
	}
	return ok;
}

static int eval_number(struct ctx *c, const struct cnode *cn, int draft, const struct jv *inst)
{
	const json_t *kwv;
	int ok = 1;
	char buf[64];

	if ((kwv = cn->kw[K_MULTIPLEOF]) && is_number(kwv)) {
		int mult;
		if (json_is_integer(kwv) && inst->t == JV_INT && json_integer_value(kwv) > 0) {
			mult = inst->u.i % (long long)json_integer_value(kwv) == 0;
		} else {
			double q = jv_num(inst) / json_number_value(kwv);
			mult = isfinite(q) && fabs(q - nearbyint(q)) <= 1e-9 * fmax(1.0, fabs(q));
		}
		if (!mult) {
			snprintf(buf, sizeof(buf), "%.17g", json_number_value(kwv));
			fail(c, "multipleOf", "expected a multiple of %s", buf);
			TRY(0);
		}
	}
	const json_t *mx = cn->kw[K_MAXIMUM];
	const json_t *mn = cn->kw[K_MINIMUM];
	const json_t *xmx = cn->kw[K_EXCLUSIVEMAXIMUM];
	const json_t *xmn = cn->kw[K_EXCLUSIVEMINIMUM];
	if (mx && is_number(mx)) {
		int excl = draft == 4 && json_is_true(xmx);
		int cmp = num_cmp(inst, mx);
		if (cmp > 0 || (excl && cmp == 0)) {
			snprintf(buf, sizeof(buf), "%.17g", json_number_value(mx));
			fail(c, "maximum", "expected a number %s %s", excl ? "<" : "<=", buf);
			TRY(0);
		}
	}
	if (mn && is_number(mn)) {
		int excl = draft == 4 && json_is_true(xmn);
		int cmp = num_cmp(inst, mn);
		if (cmp < 0 || (excl && cmp == 0)) {
			snprintf(buf, sizeof(buf), "%.17g", json_number_value(mn));
			fail(c, "minimum", "expected a number %s %s", excl ? ">" : ">=", buf);
			TRY(0);
		}
	}
	if (draft >= 6 && xmx && is_number(xmx) && num_cmp(inst, xmx) >= 0) {
		snprintf(buf, sizeof(buf), "%.17g", json_number_value(xmx));
		fail(c, "exclusiveMaximum", "expected a number < %s", buf);
		TRY(0);
	}
	if (draft >= 6 && xmn && is_number(xmn) && num_cmp(inst, xmn) <= 0) {
		snprintf(buf, sizeof(buf), "%.17g", json_number_value(xmn));
		fail(c, "exclusiveMinimum", "expected a number > %s", buf);
		TRY(0);
	}
	return ok;
}

static int eval_string(struct ctx *c, const struct cnode *cn, const struct jv *inst)
{
	const char *s = inst->u.s;
	size_t n = inst->n, len = (size_t)-1;
	const json_t *kwv;
	int ok = 1;

	if ((kwv = cn->kw[K_MINLENGTH]) && json_is_integer(kwv)) {
		len = utf8_len(s, n);
		if ((json_int_t)len < json_integer_value(kwv)) {
			fail(c, "minLength", "expected at least %lld characters, got %zu",
			     (long long)json_integer_value(kwv), len);
			TRY(0);
		}
	}
	if ((kwv = cn->kw[K_MAXLENGTH]) && json_is_integer(kwv)) {
		if (len == (size_t)-1)
			len = utf8_len(s, n);
		if ((json_int_t)len > json_integer_value(kwv)) {
			fail(c, "maxLength", "expected at most %lld characters, got %zu",
			     (long long)json_integer_value(kwv), len);
			TRY(0);
		}
	}
	if ((kwv = cn->kw[K_PATTERN]) && json_is_string(kwv)) {
		int m = regex_search(c, cn->pattern, json_string_value(kwv), s, n);
		if (m < 0)
			return -1;
		if (!m) {
			fail(c, "pattern", "expected a string matching /%s/",
			     json_string_value(kwv));
			TRY(0);
		}
	}
	if (c->assert_format && cn->fmt && !format_check(cn->fmt, s, n)) {
		fail(c, "format", "expected a string of format %s",
		     json_string_value(cn->kw[K_FORMAT]));
		TRY(0);
	}
	return ok;
}

static int eval_logic(struct ctx *c, const struct cnode *cn, const char *base, int draft,
		      const struct jv *inst)
{
	const json_t *kwv, *v;
	size_t i;
	int ok = 1;

	if ((kwv = cn->kw[K_ALLOF]) && json_is_array(kwv))
		json_array_foreach(kwv, i, v)
		    TRY(sub(c, v, base, draft, inst, "allOf", NULL, i, 1));
	if ((kwv = cn->kw[K_ANYOF]) && json_is_array(kwv)) {
		int any = 0;
		c->quiet++;
		json_array_foreach(kwv, i, v)
		{
			int r = sub(c, v, base, draft, inst, "anyOf", NULL, i, 1);
			if (r < 0) {
				c->quiet--;
				return -1;
			}
			if (r) {
				any = 1;
				break;
			}
		}
		c->quiet--;
		if (!any) {
			fail(c, "anyOf", "expected a value matching at least one of %zu schemas",
			     json_array_size(kwv));
			TRY(0);
		}
	}
	if ((kwv = cn->kw[K_ONEOF]) && json_is_array(kwv)) {
		int hits = 0;
		size_t first = 0, second = 0;
		c->quiet++;
		json_array_foreach(kwv, i, v)
		{
			int r = sub(c, v, base, draft, inst, "oneOf", NULL, i, 1);
			if (r < 0) {
				c->quiet--;
				return -1;
			}
			if (r) {
				if (hits == 0)
					first = i;
				else
					second = i;
				if (++hits > 1)
					break;
			}
		}
		c->quiet--;
		if (hits == 0) {
			fail(c, "oneOf",
			     "expected a value matching exactly one of %zu schemas, none "
			     "matched",
			     json_array_size(kwv));
			TRY(0);
		} else if (hits > 1) {
			fail(c, "oneOf",
			     "expected a value matching exactly one of %zu schemas, %zu and %zu "
			     "matched",
			     json_array_size(kwv), first, second);
			TRY(0);
		}
	}
	if ((kwv = cn->kw[K_NOT])) {
		int r;
		c->quiet++;
		r = sub(c, kwv, base, draft, inst, "not", NULL, 0, 0);
		c->quiet--;
		if (r < 0)
			return -1;
		if (r) {
			fail(c, "not", "expected a value not matching the schema under \"not\"");
			TRY(0);
		}
	}
	if (draft >= 7 && (kwv = cn->kw[K_IF])) {
		const json_t *th = cn->kw[K_THEN], *el = cn->kw[K_ELSE];
		int r;
		if (th || el) {
			c->quiet++;
			r = sub(c, kwv, base, draft, inst, "if", NULL, 0, 0);
			c->quiet--;
			if (r < 0)
				return -1;
			if (r && th)
				TRY(sub(c, th, base, draft, inst, "then", NULL, 0, 0));
			else if (!r && el)
				TRY(sub(c, el, base, draft, inst, "else", NULL, 0, 0));
		}
	}
	return ok;
}

/* The draft 2019+ references beside other keywords. 1 / 0 / -1 as eval(). */
static int eval_refs2019(struct ctx *c, const struct cnode *cn, const char *base, int draft,
			 const struct jv *inst)
{
	static const int unsupported[] = {K_UNEVALUATEDPROPERTIES, K_UNEVALUATEDITEMS};
	static const int dk[] = {K_RECURSIVEREF, K_DYNAMICREF};
	const json_t *kwv = cn->kw[K_REF];
	int ok = 1, r;

	for (size_t i = 0; i < 2; i++)
		if (cn->kw[unsupported[i]])
			return hard(c, VG_EINVAL, "keyword %s is not supported",
				    KW_NAME[unsupported[i]]);
	if (json_is_string(kwv)) {
		r = eval_ref(c, cn->node, json_string_value(kwv), "$ref", base, draft, inst);
		if (r < 0)
			return -1;
		if (!r) {
			ok = 0;
			if (c->quiet)
				return 0;
		}
	}
	/* without dynamic anchors these are plain references */
	for (size_t i = 0; i < 2; i++) {
		const char *ref = json_string_value(cn->kw[dk[i]]);
		if (!ref)
			continue;
		char *abs = vg_uri_resolve(base, ref), *nb = NULL;
		int nd, oom;
		const json_t *t;
		if (!abs)
			return hard(c, VG_ENOMEM, "out of memory");
		strip_empty_frag(abs);
		t = resolve(c->s, abs, &nb, &nd, &oom);
		free(abs);
		free(nb);
		if (t && (json_is_true(json_object_get(t, "$recursiveAnchor")) ||
			  json_object_get(t, "$dynamicAnchor")))
			return hard(c, VG_EINVAL, "keyword %s to a dynamic anchor is not supported",
				    KW_NAME[dk[i]]);
		r = eval_ref(c, NULL, ref, KW_NAME[dk[i]], base, draft, inst);
		if (r < 0)
			return -1;
		if (!r) {
			ok = 0;
			if (c->quiet)
				return 0;
		}
	}
	return ok;
}

static int eval_cn(struct ctx *c, const struct cnode *cn, const char *base, int draft,
		   const struct jv *inst)
{
	const json_t *kwv;
	int ok = 1, r;

	if (++c->depth > c->max_depth) {
		c->depth--;
		return hard(c, VG_ETOOBIG, "schema recursion deeper than %d levels", c->max_depth);
	}

	/* draft 4-7: $ref replaces the whole schema, $id beside it included */
	kwv = cn->kw[K_REF];
	if (json_is_string(kwv) && draft < 2019) {
		r = eval_ref(c, cn->node, json_string_value(kwv), "$ref", base, draft, inst);
		c->depth--;
		return r;
	}
	if (draft >= 2019) {
		r = eval_refs2019(c, cn, base, draft, inst);
		if (r <= 0) {
			ok = r;
			if (r < 0 || c->quiet)
				goto out;
		}
	}

	if ((kwv = cn->kw[K_TYPE]) && !cn->type_all && !has_type(inst, cn->tmask, draft)) {
		if (json_is_string(kwv)) {
			fail(c, "type", "expected type %s, got %s", json_string_value(kwv),
			     type_name(inst));
		} else {
			char *t = vg_json_canonical(kwv);
			fail(c, "type", "expected one of the types %s, got %s", t ? t : "[...]",
			     type_name(inst));
			free(t);
		}
		ok = 0;
		goto out; /* the other keywords would only repeat the mismatch */
	}
	if ((kwv = cn->kw[K_ENUM]) && json_is_array(kwv) && !enum_has(cn, inst)) {
		char *t = vg_json_canonical(kwv);
		if (t && strlen(t) > 200)
			strcpy(t + 190, "...]");
		fail(c, "enum", "expected one of %s", t ? t : "the enum values");
		free(t);
		ok = 0;
		if (c->quiet)
			goto out;
	}
	if (draft >= 6 && (kwv = cn->kw[K_CONST]) && !jv_eq(&cn->cv, inst)) {
		char *t = vg_json_canonical(kwv);
		if (t && strlen(t) > 200)
			strcpy(t + 190, "...");
		fail(c, "const", "expected %s", t ? t : "the const value");
		free(t);
		ok = 0;
		if (c->quiet)
			goto out;
	}
	r = 1;
	if (inst->t == JV_OBJECT) {
		if (cn->groups & G_OBJ)
			r = eval_object(c, cn, base, draft, inst);
	} else if (inst->t == JV_ARRAY) {
		if (cn->groups & G_ARR)
			r = eval_array(c, cn, base, draft, inst);
	} else if (inst->t == JV_INT || inst->t == JV_REAL) {
		if (cn->groups & G_NUM)
			r = eval_number(c, cn, draft, inst);
	} else if (inst->t == JV_STRING) {
		if (cn->groups & G_STR)
			r = eval_string(c, cn, inst);
	}
	if (r < 0) {
		ok = -1;
		goto out;
	}
	if (!r) {
		ok = 0;
		if (c->quiet)
			goto out;
	}
	if (cn->groups & G_LOGIC) {
		r = eval_logic(c, cn, base, draft, inst);
		if (r <= 0)
			ok = r;
	}
out:
	c->depth--;
	return ok;
}

/* Find (or take from the scratch's last use) the schema named uri. */
static int find_root(const struct vg_jsonschema *s, const char *uri,
		     struct vg_jsonschema_scratch *x, struct vg_error *err)
{
	char *abs, *nbase = NULL;
	const json_t *root;
	int draft = s->default_draft, oom;

	if (x->s == s && x->uri && !strcmp(x->uri, uri))
		return VG_OK;
	free(x->uri);
	free(x->base);
	x->uri = x->base = NULL;
	x->s = NULL;
	if (!(abs = strdup(uri)))
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	strip_empty_frag(abs);
	root = resolve(s, abs, &nbase, &draft, &oom);
	free(abs);
	if (!root)
		return oom ? vg_error_set(err, VG_ENOMEM, "json schema: out of memory")
			   : vg_error_set(err, VG_ENOTFOUND, "json schema: %s: no such schema",
					  uri);
	if (!(x->uri = strdup(uri))) {
		free(nbase);
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	}
	x->s = s;
	x->root = root;
	x->base = nbase;
	x->draft = draft;
	return VG_OK;
}

/* Validate inst against the root found by find_root(). */
static int run(const struct vg_jsonschema *s, struct vg_jsonschema_scratch *x,
	       const struct jv *inst, const struct vg_jsonschema_opts *opts,
	       struct vg_jsonschema_result *res, struct vg_error *err)
{
	struct ctx c;
	int r;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.res = res;
	c.err = err;
	c.max_errors = opts && opts->max_errors ? opts->max_errors : VG_JSONSCHEMA_MAX_ERRORS;
	c.max_depth = opts && opts->max_depth > 0 ? opts->max_depth : VG_JSONSCHEMA_MAX_DEPTH;
	c.assert_format = opts ? opts->assert_format : 0;
	c.ip_prefix = opts ? opts->instance_prefix : NULL;
	c.md = x->md;
	c.mc = x->mc;
	x->ip.n = x->sp.n = 0;
	c.ip = &x->ip;
	c.sp = &x->sp;
	/* The keyword location starts empty so messages read "/properties/x/type". */
	r = eval(&c, x->root, x->base, x->draft, inst, 0);
	if (r < 0)
		return c.code ? c.code : VG_EINTERNAL;
	res->valid = r == 1;
	return VG_OK;
}

int vg_jsonschema_validate(const struct vg_jsonschema *s, const char *uri, const json_t *instance,
			   const struct vg_jsonschema_opts *opts, struct vg_jsonschema_result *res,
			   struct vg_error *err)
{
	struct vg_jsonschema_scratch *x;
	struct jv inst;
	int r;

	memset(res, 0, sizeof(*res));
	if (!(x = vg_jsonschema_scratch_new()))
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	if ((r = find_root(s, uri, x, err)))
		goto out;
	if ((r = jv_from_json(&x->a, instance, &inst, 0))) {
		r = r == VG_ENOMEM ? vg_error_set(err, r, "json schema: out of memory")
				   : vg_error_set(err, r, "json schema: instance nested too deep");
		goto out;
	}
	r = run(s, x, &inst, opts, res, err);
out:
	vg_jsonschema_scratch_free(x);
	return r;
}

int vg_jsonschema_validate_text(const struct vg_jsonschema *s, const char *uri, const char *text,
				size_t n, const struct vg_jsonschema_opts *opts,
				struct vg_jsonschema_scratch *scratch, uint64_t *hash,
				struct vg_jsonschema_result *res, struct vg_error *err)
{
	struct vg_jsonschema_scratch *x = scratch;
	struct jbuild *b;
	struct jv inst;
	int r;

	memset(res, 0, sizeof(*res));
	if (!x && !(x = vg_jsonschema_scratch_new()))
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	if ((r = find_root(s, uri, x, err)))
		goto out;
	arena_reset(&x->a);
	b = &x->jb;
	b->a = &x->a;
	b->nv = b->nm = 0;
	b->oom = 0;
	vg_jscan_init(&b->js, text, n, VG_JSON_MAX_DEPTH);
	if (jb_value(b, &inst) || vg_jscan_end(&b->js)) {
		char where[256];
		r = b->oom ? vg_error_set(err, VG_ENOMEM, "json schema: out of memory")
			   : vg_error_set(err, VG_EPARSE, "%s",
					  vg_jscan_error(&b->js, where, sizeof(where)));
		goto out;
	}
	if (hash)
		*hash = jv_hash(&inst);
	r = run(s, x, &inst, opts, res, err);
out:
	if (x != scratch)
		vg_jsonschema_scratch_free(x);
	return r;
}

void vg_jsonschema_result_release(struct vg_jsonschema_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n_errors; i++) {
		free(res->errors[i].instance);
		free(res->errors[i].schema);
		free(res->errors[i].message);
	}
	free(res->errors);
	memset(res, 0, sizeof(*res));
}

const json_t *vg_jsonschema_node(const struct vg_jsonschema *s, const char *uri)
{
	char *abs = strdup(uri), *nbase = NULL;
	const json_t *node;
	int draft, oom;
	if (!abs)
		return NULL;
	strip_empty_frag(abs);
	node = resolve(s, abs, &nbase, &draft, &oom);
	free(abs);
	free(nbase);
	return node;
}

/* Equality and hash of two jansson values, through their trees. */
int vg_jsonschema_equal(const json_t *a, const json_t *b)
{
	struct arena ar = {0};
	struct jv x, y;
	int eq = -1;
	if (!jv_from_json(&ar, a, &x, 0) && !jv_from_json(&ar, b, &y, 0))
		eq = jv_eq(&x, &y);
	arena_free(&ar);
	return eq;
}

uint64_t vg_jsonschema_hash(const json_t *v)
{
	struct arena ar = {0};
	struct jv x;
	uint64_t h = 0;
	if (!jv_from_json(&ar, v, &x, 0))
		h = jv_hash(&x);
	arena_free(&ar);
	return h;
}
