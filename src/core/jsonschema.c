/*
 * jsonschema.c - JSON Schema validation (see jsonschema.h for the rules).
 *
 * Layout: URI resolution, the name index of a schema set (built once when a
 * document is added, together with the compiled regular expressions), the
 * instance equality and hashing used by enum/const/uniqueItems, formats, and
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

#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <pcre2.h>
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

struct regex {
	const char *src; /* borrowed: the string inside a schema document */
	pcre2_code *code;
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

/* The hashes of a long "enum" (json_hash, sorted): most misses need no comparison. */
struct enumhash {
	uint64_t h;
	size_t i; /* index in the enum array */
};

struct enumset {
	const json_t *node; /* the enum array */
	struct enumhash *h;
	size_t n;
};

#define ENUMSET_MIN 16

struct vg_jsonschema {
	int default_draft;
	struct enumset *enums; /* sorted by node pointer */
	size_t n_enums, cap_enums;
	struct refsite *refs; /* sorted by node pointer once the set is filled */
	size_t n_refs, cap_refs;
	json_t **docs;
	size_t n_docs, cap_docs;
	struct name *names;
	size_t n_names, cap_names;
	struct regex *rx; /* sorted by src pointer */
	size_t n_rx, cap_rx;
	int rx_sorted;
};

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
	for (size_t i = 0; i < s->n_docs; i++)
		json_decref(s->docs[i]);
	for (size_t i = 0; i < s->n_names; i++) {
		free(s->names[i].uri);
		free(s->names[i].base);
	}
	for (size_t i = 0; i < s->n_rx; i++)
		pcre2_code_free(s->rx[i].code);
	for (size_t i = 0; i < s->n_refs; i++) {
		free(s->refs[i].base);
		free(s->refs[i].tbase);
	}
	free(s->refs);
	for (size_t i = 0; i < s->n_enums; i++)
		free(s->enums[i].h);
	free(s->enums);
	free(s->docs);
	free(s->names);
	free(s->rx);
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

static int add_regex(struct vg_jsonschema *s, const char *src)
{
	for (size_t i = 0; i < s->n_rx; i++)
		if (s->rx[i].src == src)
			return VG_OK;
	if (s->n_rx == s->cap_rx) {
		size_t nc = s->cap_rx ? s->cap_rx * 2 : 32;
		struct regex *r = realloc(s->rx, nc * sizeof(*r));
		if (!r)
			return VG_ENOMEM;
		s->rx = r;
		s->cap_rx = nc;
	}
	/* A pattern that does not compile stays NULL and fails when used. */
	s->rx[s->n_rx].src = src;
	s->rx[s->n_rx].code = regex_compile(src, strlen(src));
	s->n_rx++;
	s->rx_sorted = 0;
	return VG_OK;
}

static int rx_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct regex *)a)->src;
	uintptr_t y = (uintptr_t)((const struct regex *)b)->src;
	return x < y ? -1 : x > y;
}

static const struct regex *find_regex(const struct vg_jsonschema *s, const char *src)
{
	struct regex key = {src, NULL};
	if (!s->n_rx)
		return NULL;
	return bsearch(&key, s->rx, s->n_rx, sizeof(key), rx_cmp);
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

static uint64_t json_hash(const json_t *v);

static int enumhash_cmp(const void *a, const void *b)
{
	const struct enumhash *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int add_enumset(struct vg_jsonschema *s, const json_t *arr)
{
	size_t n = json_array_size(arr);
	struct enumhash *h;
	if (s->n_enums == s->cap_enums) {
		size_t nc = s->cap_enums ? s->cap_enums * 2 : 16;
		struct enumset *e = realloc(s->enums, nc * sizeof(*e));
		if (!e)
			return VG_ENOMEM;
		s->enums = e;
		s->cap_enums = nc;
	}
	if (!(h = malloc(n * sizeof(*h))))
		return VG_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		h[i].h = json_hash(json_array_get(arr, i));
		h[i].i = i;
	}
	qsort(h, n, sizeof(*h), enumhash_cmp);
	s->enums[s->n_enums].node = arr;
	s->enums[s->n_enums].h = h;
	s->enums[s->n_enums].n = n;
	s->n_enums++;
	return VG_OK;
}

static int enumset_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct enumset *)a)->node;
	uintptr_t y = (uintptr_t)((const struct enumset *)b)->node;
	return x < y ? -1 : x > y;
}

static int json_eq(const json_t *a, const json_t *b);

/* 1 when inst is one of the values of the enum array arr, else 0. */
static int enum_has(const struct vg_jsonschema *s, const json_t *arr, const json_t *inst)
{
	struct enumset key;
	const struct enumset *e = NULL;
	size_t lo = 0, hi;
	uint64_t h;
	if (json_array_size(arr) >= ENUMSET_MIN && s->n_enums) {
		key.node = arr;
		e = bsearch(&key, s->enums, s->n_enums, sizeof(key), enumset_cmp);
	}
	if (!e) {
		for (size_t i = 0; i < json_array_size(arr); i++)
			if (json_eq(json_array_get(arr, i), inst))
				return 1;
		return 0;
	}
	/* the first entry with hash h, then each entry with it: equal values hash equal */
	h = json_hash(inst);
	hi = e->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->h[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < e->n && e->h[lo].h == h; lo++)
		if (json_eq(json_array_get(arr, e->h[lo].i), inst))
			return 1;
	return 0;
}

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
	const char *id;
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
	{
		const json_t *en = json_object_get(node, "enum");
		if (json_is_array(en) && json_array_size(en) >= ENUMSET_MIN && add_enumset(s, en)) {
			rc = vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
			goto out;
		}
	}
	if (json_is_string(json_object_get(node, "$ref")) && add_refsite(s, node, base, draft)) {
		rc = vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
		goto out;
	}
	{
		const char *pat = json_string_value(json_object_get(node, "pattern"));
		if (pat && add_regex(s, pat)) {
			rc = vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
			goto out;
		}
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
			if (!strcmp(KW_OBJECT[i], "patternProperties") && add_regex(s, k)) {
				rc = vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
				goto out;
			}
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
	if (s->n_enums)
		qsort(s->enums, s->n_enums, sizeof(*s->enums), enumset_cmp);
	if (!s->rx_sorted && s->n_rx) {
		qsort(s->rx, s->n_rx, sizeof(*s->rx), rx_cmp);
		s->rx_sorted = 1;
	}
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

/* ------------------------------------------------- equality and hashing */

static int is_number(const json_t *v)
{
	return json_is_integer(v) || json_is_real(v);
}

static int json_eq(const json_t *a, const json_t *b)
{
	if (is_number(a) && is_number(b)) {
		if (json_is_integer(a) && json_is_integer(b))
			return json_integer_value(a) == json_integer_value(b);
		return json_number_value(a) == json_number_value(b);
	}
	if (json_typeof(a) != json_typeof(b))
		return 0;
	switch (json_typeof(a)) {
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       !memcmp(json_string_value(a), json_string_value(b), json_string_length(a));
	case JSON_ARRAY: {
		size_t n = json_array_size(a);
		if (n != json_array_size(b))
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!json_eq(json_array_get(a, i), json_array_get(b, i)))
				return 0;
		return 1;
	}
	case JSON_OBJECT: {
		const char *k;
		json_t *v;
		if (json_object_size(a) != json_object_size(b))
			return 0;
		json_object_foreach((json_t *)a, k, v)
		{
			json_t *w = json_object_get(b, k);
			if (!w || !json_eq(v, w))
				return 0;
		}
		return 1;
	}
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

/* Equal values (json_eq) hash equal: numbers by value, objects order-free. */
static uint64_t json_hash(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_INTEGER:
	case JSON_REAL: {
		double d = json_number_value(v);
		uint64_t u;
		if (d == 0)
			d = 0; /* -0 == 0 */
		memcpy(&u, &d, sizeof(u));
		return mix(u ^ 0x1234);
	}
	case JSON_STRING:
		return bytes_hash(json_string_value(v), json_string_length(v));
	case JSON_ARRAY: {
		uint64_t h = 0xabc;
		for (size_t i = 0; i < json_array_size(v); i++)
			h = mix(h ^ json_hash(json_array_get(v, i)));
		return h;
	}
	case JSON_OBJECT: {
		uint64_t h = 0xdef;
		const char *k;
		json_t *x;
		json_object_foreach((json_t *)v, k, x) h +=
		    mix(bytes_hash(k, strlen(k)) ^ (json_hash(x) * 31));
		return h;
	}
	case JSON_TRUE:
		return 1;
	case JSON_FALSE:
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

/* 1 if all items differ, 0 if two are equal (*i, *j set), -1 out of memory. */
static int all_unique(const json_t *arr, size_t *di, size_t *dj)
{
	size_t n = json_array_size(arr);
	struct hitem *h;
	int ok = 1;
	if (n < 2)
		return 1;
	h = malloc(n * sizeof(*h));
	if (!h)
		return -1;
	for (size_t i = 0; i < n; i++) {
		h[i].h = json_hash(json_array_get(arr, i));
		h[i].i = i;
	}
	qsort(h, n, sizeof(*h), hitem_cmp);
	for (size_t a = 0; a < n && ok; a++)
		for (size_t b = a + 1; b < n && h[b].h == h[a].h; b++)
			if (json_eq(json_array_get(arr, h[a].i), json_array_get(arr, h[b].i))) {
				*di = h[a].i;
				*dj = h[b].i;
				ok = 0;
				break;
			}
	free(h);
	return ok;
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

/* 1 ok or unknown format, 0 not of the format. */
static int format_ok(const char *fmt, const char *p, size_t n)
{
	if (!strcmp(fmt, "date-time"))
		return is_datetime(p, n);
	if (!strcmp(fmt, "date"))
		return is_date(p, n);
	if (!strcmp(fmt, "time"))
		return is_time(p, n);
	if (!strcmp(fmt, "email"))
		return is_email(p, n, 0);
	if (!strcmp(fmt, "idn-email"))
		return is_email(p, n, 1);
	if (!strcmp(fmt, "hostname") || !strcmp(fmt, "idn-hostname"))
		return is_hostname(p, n);
	if (!strcmp(fmt, "ipv4"))
		return is_ipv4(p, n);
	if (!strcmp(fmt, "ipv6"))
		return is_ipv6(p, n);
	if (!strcmp(fmt, "uri"))
		return is_uri_ref(p, n, 0, 1);
	if (!strcmp(fmt, "uri-reference"))
		return is_uri_ref(p, n, 0, 0);
	if (!strcmp(fmt, "iri"))
		return is_uri_ref(p, n, 1, 1);
	if (!strcmp(fmt, "iri-reference"))
		return is_uri_ref(p, n, 1, 0);
	if (!strcmp(fmt, "uuid"))
		return is_uuid(p, n);
	if (!strcmp(fmt, "json-pointer"))
		return is_json_pointer(p, n);
	if (!strcmp(fmt, "regex")) {
		pcre2_code *c = regex_compile(p, n);
		pcre2_code_free(c);
		return c != NULL;
	}
	return 1;
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

struct ctx {
	const struct vg_jsonschema *s;
	struct vg_jsonschema_result *res;
	size_t max_errors;
	int max_depth;
	int assert_format;
	int depth;
	int quiet;          /* > 0 inside trial branches: no errors kept, stop at the first */
	struct path ip, sp; /* instance pointer, keyword location: rendered only for errors */
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
		int oom = path_render(&c->sp, NULL, &sb) | path_render(&c->ip, c->ip_prefix, &ib);
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
	rc |= path_render(&c->sp, NULL, &s);
	rc |= vg_buf_addc(&s, '/');
	rc |= vg_buf_adds(&s, kw);
	rc |= path_render(&c->ip, c->ip_prefix, &in);
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

static const char *type_name(const json_t *v)
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

static int has_type(const json_t *v, const char *t, int draft)
{
	if (!strcmp(t, "integer")) {
		if (json_is_integer(v))
			return 1;
		if (json_is_real(v) && draft >= 6) {
			double d = json_real_value(v);
			return isfinite(d) && d == floor(d);
		}
		return 0;
	}
	if (!strcmp(t, "number"))
		return is_number(v);
	return !strcmp(type_name(v), t);
}

/* a < b: -1, equal 0, a > b: 1; exact for two integers. */
static int num_cmp(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);
		return x < y ? -1 : x > y;
	}
	double x = json_number_value(a), y = json_number_value(b);
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

/* 1 match, 0 no match, -1 cannot run. */
static int regex_search(struct ctx *c, const char *pat, const char *subj, size_t n)
{
	const struct regex *r = find_regex(c->s, pat);
	pcre2_code *code = r ? r->code : NULL;
	pcre2_code *own = NULL;
	int rc;
	if (!r)
		code = own = regex_compile(pat, strlen(pat));
	if (!code)
		return hard(c, VG_EINVAL, "pattern /%s/ is not a valid regular expression", pat);
	rc = pcre2_match(code, (PCRE2_SPTR)subj, n, 0, 0, c->md, c->mc);
	pcre2_code_free(own);
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

static int eval(struct ctx *c, const json_t *sch, const char *base, int draft, const json_t *inst);

/*
 * Evaluate sch found inside a schema whose base URI is base: the base of sch
 * is changed by its own $id first ($ref beside it wins in draft 4-7).
 */
static int with_id(struct ctx *c, const json_t *sch, const char *base, int draft,
		   const json_t *inst)
{
	const char *id = json_string_value(json_object_get(sch, id_keyword(draft)));
	char *own;
	int rc;
	if (!id || id[0] == '#' || (draft < 2019 && json_object_get(sch, "$ref")))
		return eval(c, sch, base, draft, inst);
	own = vg_uri_resolve(base, id);
	if (!own)
		return hard(c, VG_ENOMEM, "out of memory");
	strip_empty_frag(own);
	rc = eval(c, sch, own, draft, inst);
	free(own);
	return rc;
}

/* Evaluate sub-schema sch under keyword path kw (and optional second token). */
static int sub(struct ctx *c, const json_t *sch, const char *base, int draft, const json_t *inst,
	       const char *kw, const char *tok, size_t idx, int use_idx)
{
	size_t sl = c->sp.n;
	int rc = path_push(&c->sp, kw, 0);
	if (!rc && tok)
		rc = path_push(&c->sp, tok, 0);
	if (!rc && use_idx)
		rc = path_push(&c->sp, NULL, idx);
	if (rc)
		return hard(c, VG_ENOMEM, "out of memory");
	rc = with_id(c, sch, base, draft, inst);
	c->sp.n = sl;
	return rc;
}

/* As sub(), moving into member key (or index i) of the instance. */
static int sub_in(struct ctx *c, const json_t *sch, const char *base, int draft, const json_t *inst,
		  const char *key, size_t i, const char *kw, const char *tok, size_t idx,
		  int use_idx)
{
	size_t il = c->ip.n;
	if (path_push(&c->ip, key, i))
		return hard(c, VG_ENOMEM, "out of memory");
	int rc = sub(c, sch, base, draft, inst, kw, tok, idx, use_idx);
	c->ip.n = il;
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
		    const char *base, int draft, const json_t *inst)
{
	const struct refsite *site = sch ? find_refsite(c->s, sch, base, draft) : NULL;
	char *abs, *nbase = NULL;
	const json_t *target;
	int ndraft = draft, oom, rc;
	if (site) {
		size_t sl = c->sp.n;
		if (path_push(&c->sp, kw, 0))
			return hard(c, VG_ENOMEM, "out of memory");
		rc = eval(c, site->target, site->tbase, site->tdraft, inst);
		c->sp.n = sl;
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
		size_t sl = c->sp.n;
		if (path_push(&c->sp, kw, 0))
			rc = hard(c, VG_ENOMEM, "out of memory");
		else
			rc = eval(c, target, nbase, ndraft, inst);
		c->sp.n = sl;
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

static int eval_object(struct ctx *c, const json_t *sch, const char *base, int draft,
		       const json_t *inst)
{
	const json_t *props = json_object_get(sch, "properties");
	const json_t *pprops = json_object_get(sch, "patternProperties");
	const json_t *addl = json_object_get(sch, "additionalProperties");
	const json_t *v, *kwv;
	const char *k;
	int ok = 1;

	if ((kwv = json_object_get(sch, "required")) && json_is_array(kwv)) {
		size_t i;
		json_array_foreach(kwv, i, v)
		{
			const char *name = json_string_value(v);
			if (name && !json_object_get(inst, name)) {
				fail(c, "required", "expected property \"%s\"", name);
				ok = 0;
				if (c->quiet)
					return 0;
			}
		}
	}
	if ((kwv = json_object_get(sch, "minProperties")) && json_is_integer(kwv) &&
	    (json_int_t)json_object_size(inst) < json_integer_value(kwv)) {
		fail(c, "minProperties", "expected at least %lld properties, got %zu",
		     (long long)json_integer_value(kwv), json_object_size(inst));
		TRY(0);
	}
	if ((kwv = json_object_get(sch, "maxProperties")) && json_is_integer(kwv) &&
	    (json_int_t)json_object_size(inst) > json_integer_value(kwv)) {
		fail(c, "maxProperties", "expected at most %lld properties, got %zu",
		     (long long)json_integer_value(kwv), json_object_size(inst));
		TRY(0);
	}
	json_object_foreach((json_t *)inst, k, v)
	{
		int matched = 0;
		const json_t *ps = json_is_object(props) ? json_object_get(props, k) : NULL;
		if (ps) {
			matched = 1;
			TRY(sub_in(c, ps, base, draft, v, k, 0, "properties", k, 0, 0));
		}
		if (json_is_object(pprops)) {
			const char *pat;
			const json_t *psch;
			json_object_foreach((json_t *)pprops, pat, psch)
			{
				int m = regex_search(c, pat, k, strlen(k));
				if (m < 0)
					return -1;
				if (m) {
					matched = 1;
					TRY(sub_in(c, psch, base, draft, v, k, 0,
						   "patternProperties", pat, 0, 0));
				}
			}
		}
		if (!matched && addl) {
			if (json_is_false(addl)) {
				size_t il = c->ip.n;
				if (path_push(&c->ip, k, 0))
					return hard(c, VG_ENOMEM, "out of memory");
				fail(c, "additionalProperties",
				     "expected no property \"%s\" (not allowed here)", k);
				c->ip.n = il;
				TRY(0);
			} else {
				TRY(sub_in(c, addl, base, draft, v, k, 0, "additionalProperties",
					   NULL, 0, 0));
			}
		}
	}
	if ((kwv = json_object_get(sch, "propertyNames")) && draft >= 6) {
		json_object_foreach((json_t *)inst, k, v)
		{
			json_t *name = json_string(k);
			int r;
			if (!name)
				return hard(c, VG_ENOMEM, "out of memory");
			r = sub_in(c, kwv, base, draft, name, k, 0, "propertyNames", NULL, 0, 0);
			json_decref(name);
			TRY(r);
		}
	}
	/* dependencies (draft 4-7), dependentRequired / dependentSchemas (2019+) */
	{
		const char *kws[] = {"dependencies", "dependentRequired", "dependentSchemas"};
		for (size_t t = 0; t < 3; t++) {
			const json_t *dep = json_object_get(sch, kws[t]);
			const json_t *dv;
			if (!json_is_object(dep))
				continue;
			if (t == 0 && draft >= 2019)
				continue;
			json_object_foreach((json_t *)dep, k, dv)
			{
				if (!json_object_get(inst, k))
					continue;
				if (json_is_array(dv) && t != 2) {
					size_t i;
					json_array_foreach(dv, i, v)
					{
						const char *name = json_string_value(v);
						if (name && !json_object_get(inst, name)) {
							fail(c, kws[t],
							     "expected property \"%s\" (required "
							     "when \"%s\" is present)",
							     name, k);
							TRY(0);
						}
					}
				} else if ((json_is_object(dv) || json_is_boolean(dv)) && t != 1) {
					TRY(sub(c, dv, base, draft, inst, kws[t], k, 0, 0));
				}
			}
		}
	}
	return ok;
}

static int eval_array(struct ctx *c, const json_t *sch, const char *base, int draft,
		      const json_t *inst)
{
	size_t n = json_array_size(inst), i, done = 0;
	const json_t *items = json_object_get(sch, "items");
	const json_t *kwv, *v;
	int ok = 1;

	if ((kwv = json_object_get(sch, "minItems")) && json_is_integer(kwv) &&
	    (json_int_t)n < json_integer_value(kwv)) {
		fail(c, "minItems", "expected at least %lld items, got %zu",
		     (long long)json_integer_value(kwv), n);
		TRY(0);
	}
	if ((kwv = json_object_get(sch, "maxItems")) && json_is_integer(kwv) &&
	    (json_int_t)n > json_integer_value(kwv)) {
		fail(c, "maxItems", "expected at most %lld items, got %zu",
		     (long long)json_integer_value(kwv), n);
		TRY(0);
	}
	if ((kwv = json_object_get(sch, "uniqueItems")) && json_is_true(kwv)) {
		size_t a = 0, b = 0;
		int u = all_unique(inst, &a, &b);
		if (u < 0)
			return hard(c, VG_ENOMEM, "out of memory");
		if (!u) {
			fail(c, "uniqueItems", "expected unique items, items %zu and %zu are equal",
			     a < b ? a : b, a < b ? b : a);
			TRY(0);
		}
	}
	if (draft >= 2020) {
		const json_t *pre = json_object_get(sch, "prefixItems");
		if (json_is_array(pre)) {
			for (i = 0; i < n && i < json_array_size(pre); i++)
				TRY(sub_in(c, json_array_get(pre, i), base, draft,
					   json_array_get(inst, i), NULL, i, "prefixItems", NULL, i,
					   1));
			done = i;
		}
		if (items)
			for (i = done; i < n; i++)
				TRY(sub_in(c, items, base, draft, json_array_get(inst, i), NULL, i,
					   "items", NULL, 0, 0));
	} else if (json_is_array(items)) {
		const json_t *addi = json_object_get(sch, "additionalItems");
		for (i = 0; i < n && i < json_array_size(items); i++)
			TRY(sub_in(c, json_array_get(items, i), base, draft,
				   json_array_get(inst, i), NULL, i, "items", NULL, i, 1));
		if (addi) {
			for (; i < n; i++) {
				if (json_is_false(addi)) {
					fail(c, "additionalItems",
					     "expected at most %zu items, got %zu",
					     json_array_size(items), n);
					TRY(0);
					break;
				}
				TRY(sub_in(c, addi, base, draft, json_array_get(inst, i), NULL, i,
					   "additionalItems", NULL, 0, 0));
			}
		}
	} else if (items) {
		json_array_foreach(inst, i, v)
		    TRY(sub_in(c, items, base, draft, v, NULL, i, "items", NULL, 0, 0));
	}
	if ((kwv = json_object_get(sch, "contains")) && draft >= 6) {
		const json_t *minc = draft >= 2019 ? json_object_get(sch, "minContains") : NULL;
		const json_t *maxc = draft >= 2019 ? json_object_get(sch, "maxContains") : NULL;
		long long lo = json_is_integer(minc) ? json_integer_value(minc) : 1;
		long long hi = json_is_integer(maxc) ? json_integer_value(maxc) : -1;
		long long hits = 0;
		c->quiet++;
		json_array_foreach(inst, i, v)
		{
			int r = sub_in(c, kwv, base, draft, v, NULL, i, "contains", NULL, 0, 0);
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

static int eval_number(struct ctx *c, const json_t *sch, int draft, const json_t *inst)
{
	const json_t *kwv;
	int ok = 1;
	char buf[64];

	if ((kwv = json_object_get(sch, "multipleOf")) && is_number(kwv)) {
		int mult;
		if (json_is_integer(kwv) && json_is_integer(inst) && json_integer_value(kwv) > 0) {
			mult = json_integer_value(inst) % json_integer_value(kwv) == 0;
		} else {
			double q = json_number_value(inst) / json_number_value(kwv);
			mult = isfinite(q) && fabs(q - nearbyint(q)) <= 1e-9 * fmax(1.0, fabs(q));
		}
		if (!mult) {
			snprintf(buf, sizeof(buf), "%.17g", json_number_value(kwv));
			fail(c, "multipleOf", "expected a multiple of %s", buf);
			TRY(0);
		}
	}
	const json_t *mx = json_object_get(sch, "maximum");
	const json_t *mn = json_object_get(sch, "minimum");
	const json_t *xmx = json_object_get(sch, "exclusiveMaximum");
	const json_t *xmn = json_object_get(sch, "exclusiveMinimum");
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

static int eval_string(struct ctx *c, const json_t *sch, const json_t *inst)
{
	const char *s = json_string_value(inst);
	size_t n = json_string_length(inst), len = (size_t)-1;
	const json_t *kwv;
	int ok = 1;

	if ((kwv = json_object_get(sch, "minLength")) && json_is_integer(kwv)) {
		len = utf8_len(s, n);
		if ((json_int_t)len < json_integer_value(kwv)) {
			fail(c, "minLength", "expected at least %lld characters, got %zu",
			     (long long)json_integer_value(kwv), len);
			TRY(0);
		}
	}
	if ((kwv = json_object_get(sch, "maxLength")) && json_is_integer(kwv)) {
		if (len == (size_t)-1)
			len = utf8_len(s, n);
		if ((json_int_t)len > json_integer_value(kwv)) {
			fail(c, "maxLength", "expected at most %lld characters, got %zu",
			     (long long)json_integer_value(kwv), len);
			TRY(0);
		}
	}
	if ((kwv = json_object_get(sch, "pattern")) && json_is_string(kwv)) {
		int m = regex_search(c, json_string_value(kwv), s, n);
		if (m < 0)
			return -1;
		if (!m) {
			fail(c, "pattern", "expected a string matching /%s/",
			     json_string_value(kwv));
			TRY(0);
		}
	}
	if (c->assert_format && (kwv = json_object_get(sch, "format")) && json_is_string(kwv) &&
	    !format_ok(json_string_value(kwv), s, n)) {
		fail(c, "format", "expected a string of format %s", json_string_value(kwv));
		TRY(0);
	}
	return ok;
}

static int eval_logic(struct ctx *c, const json_t *sch, const char *base, int draft,
		      const json_t *inst)
{
	const json_t *kwv, *v;
	size_t i;
	int ok = 1;

	if ((kwv = json_object_get(sch, "allOf")) && json_is_array(kwv))
		json_array_foreach(kwv, i, v)
		    TRY(sub(c, v, base, draft, inst, "allOf", NULL, i, 1));
	if ((kwv = json_object_get(sch, "anyOf")) && json_is_array(kwv)) {
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
	if ((kwv = json_object_get(sch, "oneOf")) && json_is_array(kwv)) {
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
	if ((kwv = json_object_get(sch, "not"))) {
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
	if (draft >= 7 && (kwv = json_object_get(sch, "if"))) {
		const json_t *th = json_object_get(sch, "then"), *el = json_object_get(sch, "else");
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

static int eval(struct ctx *c, const json_t *sch, const char *base, int draft, const json_t *inst)
{
	const json_t *kwv;
	int ok = 1, r;

	if (json_is_true(sch))
		return 1;
	if (json_is_false(sch)) {
		fail(c, "false", "expected nothing here (the schema is false)");
		return 0;
	}
	if (!json_is_object(sch))
		return hard(c, VG_EINVAL, "expected a schema (object or boolean), got %s",
			    type_name(sch));
	if (++c->depth > c->max_depth) {
		c->depth--;
		return hard(c, VG_ETOOBIG, "schema recursion deeper than %d levels", c->max_depth);
	}

	/* draft 4-7: $ref replaces the whole schema, $id beside it included */
	kwv = json_object_get(sch, "$ref");
	if (json_is_string(kwv) && draft < 2019) {
		r = eval_ref(c, sch, json_string_value(kwv), "$ref", base, draft, inst);
		c->depth--;
		return r;
	}
	if (draft >= 2019) {
		static const char *const unsupported[] = {"unevaluatedProperties",
							  "unevaluatedItems", NULL};
		for (size_t i = 0; unsupported[i]; i++)
			if (json_object_get(sch, unsupported[i])) {
				ok = hard(c, VG_EINVAL, "keyword %s is not supported",
					  unsupported[i]);
				goto out;
			}
		if (json_is_string(kwv)) {
			r = eval_ref(c, sch, json_string_value(kwv), "$ref", base, draft, inst);
			if (r < 0) {
				ok = -1;
				goto out;
			}
			if (!r) {
				ok = 0;
				if (c->quiet)
					goto out;
			}
		}
		/* without dynamic anchors these are plain references */
		const char *dk[] = {"$recursiveRef", "$dynamicRef"};
		for (size_t i = 0; i < 2; i++) {
			const char *ref = json_string_value(json_object_get(sch, dk[i]));
			if (!ref)
				continue;
			char *abs = vg_uri_resolve(base, ref), *nb = NULL;
			int nd, oom;
			const json_t *t;
			if (!abs) {
				ok = hard(c, VG_ENOMEM, "out of memory");
				goto out;
			}
			strip_empty_frag(abs);
			t = resolve(c->s, abs, &nb, &nd, &oom);
			free(abs);
			free(nb);
			if (t && (json_is_true(json_object_get(t, "$recursiveAnchor")) ||
				  json_object_get(t, "$dynamicAnchor"))) {
				ok = hard(c, VG_EINVAL,
					  "keyword %s to a dynamic anchor is not supported", dk[i]);
				goto out;
			}
			r = eval_ref(c, NULL, ref, dk[i], base, draft, inst);
			if (r < 0) {
				ok = -1;
				goto out;
			}
			if (!r) {
				ok = 0;
				if (c->quiet)
					goto out;
			}
		}
	}

	if ((kwv = json_object_get(sch, "type"))) {
		int match = 0;
		if (json_is_string(kwv)) {
			match = has_type(inst, json_string_value(kwv), draft);
		} else if (json_is_array(kwv)) {
			size_t i;
			const json_t *t;
			json_array_foreach(
			    kwv, i, t) if (json_is_string(t) &&
					   has_type(inst, json_string_value(t), draft)) match = 1;
		} else {
			match = 1;
		}
		if (!match) {
			if (json_is_string(kwv)) {
				fail(c, "type", "expected type %s, got %s", json_string_value(kwv),
				     type_name(inst));
			} else {
				char *t = vg_json_canonical(kwv);
				fail(c, "type", "expected one of the types %s, got %s",
				     t ? t : "[...]", type_name(inst));
				free(t);
			}
			ok = 0;
			goto out; /* the other keywords would only repeat the mismatch */
		}
	}
	if ((kwv = json_object_get(sch, "enum")) && json_is_array(kwv)) {
		if (!enum_has(c->s, kwv, inst)) {
			char *t = vg_json_canonical(kwv);
			if (t && strlen(t) > 200)
				strcpy(t + 190, "...]");
			fail(c, "enum", "expected one of %s", t ? t : "the enum values");
			free(t);
			ok = 0;
			if (c->quiet)
				goto out;
		}
	}
	if (draft >= 6 && (kwv = json_object_get(sch, "const")) && !json_eq(kwv, inst)) {
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
	if (json_is_object(inst))
		r = eval_object(c, sch, base, draft, inst);
	else if (json_is_array(inst))
		r = eval_array(c, sch, base, draft, inst);
	else if (is_number(inst))
		r = eval_number(c, sch, draft, inst);
	else if (json_is_string(inst))
		r = eval_string(c, sch, inst);
	if (r < 0) {
		ok = -1;
		goto out;
	}
	if (!r) {
		ok = 0;
		if (c->quiet)
			goto out;
	}
	r = eval_logic(c, sch, base, draft, inst);
	if (r <= 0)
		ok = r;
out:
	c->depth--;
	return ok;
}

int vg_jsonschema_validate(const struct vg_jsonschema *s, const char *uri, const json_t *instance,
			   const struct vg_jsonschema_opts *opts, struct vg_jsonschema_result *res,
			   struct vg_error *err)
{
	struct ctx c;
	char *abs = NULL, *nbase = NULL;
	const json_t *root;
	int draft = s->default_draft, oom, r;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.res = res;
	c.err = err;
	c.max_errors = opts && opts->max_errors ? opts->max_errors : VG_JSONSCHEMA_MAX_ERRORS;
	c.max_depth = opts && opts->max_depth > 0 ? opts->max_depth : VG_JSONSCHEMA_MAX_DEPTH;
	c.assert_format = opts ? opts->assert_format : 0;
	c.ip_prefix = opts ? opts->instance_prefix : NULL;

	abs = strdup(uri);
	if (!abs)
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	strip_empty_frag(abs);
	root = resolve(s, abs, &nbase, &draft, &oom);
	if (!root) {
		r = oom ? vg_error_set(err, VG_ENOMEM, "json schema: out of memory")
			: vg_error_set(err, VG_ENOTFOUND, "json schema: %s: no such schema", uri);
		free(abs);
		return r;
	}
	free(abs);
	c.md = pcre2_match_data_create(1, NULL);
	c.mc = pcre2_match_context_create(NULL);
	if (!c.md || !c.mc) {
		r = vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
		goto out;
	}
	pcre2_set_match_limit(c.mc, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(c.mc, REGEX_DEPTH_LIMIT);
	/* The keyword location starts empty so messages read "/properties/x/type". */
	r = eval(&c, root, nbase, draft, instance);
	if (r < 0) {
		r = c.code ? c.code : VG_EINTERNAL;
		goto out;
	}
	res->valid = r == 1;
	r = VG_OK;
out:
	pcre2_match_data_free(c.md);
	pcre2_match_context_free(c.mc);
	free(c.ip.t);
	free(c.sp.t);
	free(nbase);
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

int vg_jsonschema_equal(const json_t *a, const json_t *b)
{
	return json_eq(a, b);
}

uint64_t vg_jsonschema_hash(const json_t *v)
{
	return json_hash(v);
}
