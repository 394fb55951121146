/*
 * schema_int.h - what the files of the schema room share; only src/schema/
 * includes it. The public interface is schema/jsonschema.h.
 *
 * Layout: uri.c (URI resolution), instance.c (the instance tree, equality
 * and hashing), format.c (formats), compile.c (the set: names, $ref sites,
 * compiled schema nodes), eval.c (the evaluator), validate.c (the public
 * validate calls and the scratch), schemadir.c (where the schema files
 * vigil ships are). Internal functions are prefixed js_; the small ones
 * every validation calls are inline here.
 */
#ifndef VIGIL_SCHEMA_INT_H
#define VIGIL_SCHEMA_INT_H

#include "core/error.h"

#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/jscan.h"
#include "core/json.h"
#include "schema/jsonschema.h"

struct vg_buf;

#define SCHEMA_FILE_MAX   ((size_t)16 * 1024 * 1024)
#define REGEX_MATCH_LIMIT 1000000u
#define REGEX_DEPTH_LIMIT 10000u
#define SCRATCH_BLOCK     ((size_t)64 * 1024) /* arena blocks of a scratch */

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

/*
 * The tree of JSON text, with the checks jansson makes when it parses a
 * document (core/json.h): duplicate keys, NUL in keys, unpaired surrogates,
 * integers out of range and reals that overflow are refused. The stacks
 * hold the members and items of the containers being read.
 */
struct jbuild {
	struct vg_jscan js;
	struct vg_arena *a;
	struct jv *vs;
	size_t nv, capv;
	struct jmem *ms;
	size_t nm, capm;
	int oom;
};

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

/* The keyword of each enum kw, as written in a schema. */
extern const char *const js_kw_name[K_N];

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
	struct vg_arena ar;
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

/* What one thread keeps between validations: see jsonschema.h. */
struct vg_jsonschema_scratch {
	struct vg_arena a;
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

/* ---------------------------------------------------------- uri.c */

/* The parts of a URI reference (RFC 3986 section 3), pointing into it. */
struct uri {
	const char *scheme, *auth, *path, *query, *frag;
	size_t scheme_n, auth_n, path_n, query_n, frag_n;
	int has_scheme, has_auth, has_query, has_frag;
};

void js_uri_parse(const char *s, struct uri *u);

/* Drop an empty fragment ("...schema#") in place: names are kept without it. */
void js_strip_empty_frag(char *u);
/*
 * Resolve uri (absolute) to a schema node of s. *nbase gets the node's base
 * URI (malloc'ed, the caller frees), *ndraft its draft. Returns NULL when
 * not found (or no memory: then *oom is set).
 */
const json_t *js_resolve(const struct vg_jsonschema *s, const char *uri, char **nbase, int *ndraft,
			 int *oom);

/* ----------------------------------------------------- instance.c */

/* The tree of a jansson value in a (strings and keys are borrowed from v):
 * VG_ENOMEM, or VG_ETOOBIG past the nesting limit. */
int js_jv_from_json(struct vg_arena *a, const json_t *v, struct jv *out, int depth);
/* The tree of the next value of b->js into *out: 0, or -1 with the failure
 * in b->js (b->oom set when it was memory). */
int js_jb_value(struct jbuild *b, struct jv *out);
/* Order of two keys by bytes, then length. */
static inline int js_key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);
	return r ? r : (an > bn) - (an < bn);
}

static inline int js_jv_isnum(const struct jv *v)
{
	return v->t == JV_INT || v->t == JV_REAL;
}

static inline double js_jv_num(const struct jv *v)
{
	return v->t == JV_INT ? (double)v->u.i : v->u.d;
}

/* Member k of object o, NULL when none. */
static inline const struct jv *js_jv_get(const struct jv *o, const char *k, size_t kn)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->u.o[i].kn == kn && !memcmp(o->u.o[i].k, k, kn))
			return &o->u.o[i].v;
	return NULL;
}
/* Equality as the validator sees it: 1 and 1.0 are equal, member order does not count. */
int js_jv_eq(const struct jv *a, const struct jv *b);
static inline uint64_t js_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}
/* Equal values (js_jv_eq) hash equal: numbers by value, objects order-free. */
uint64_t js_jv_hash(const struct jv *v);
/* 1 if all items differ, 0 if two are equal (*di < *dj set), -1 out of memory. */
int js_all_unique(const struct jv *arr, size_t *di, size_t *dj);

/* ------------------------------------------------------- format.c */

/* ECMA-262 pattern src (n bytes) for PCRE2; NULL when it does not compile. */
pcre2_code *js_regex_compile(const char *src, size_t n);
/* The F_ number of a format name (F_NONE: not checked). */
int js_format_id(const char *fmt);
/* 1 ok or unknown format, 0 not of the format. */
int js_format_check(int id, const char *p, size_t n);

/* ------------------------------------------------------ compile.c */

/* The compiled form of schema object node, reached under base with draft;
 * NULL: no memory. Freed with js_cnode_free (NULL is ignored). */
struct cnode *js_cnode_compile(const json_t *node, const char *base, int draft);
void js_cnode_free(struct cnode *cn);
/* The slot of pointer p in a table of cap (a power of 2) entries. */
static inline size_t js_ptr_slot(const void *p, size_t cap)
{
	return (size_t)(js_mix((uint64_t)(uintptr_t)p) & (cap - 1));
}

/* The compiled node of a schema object of s, NULL when it has none. */
static inline const struct cnode *js_cmap_get(const struct vg_jsonschema *s, const json_t *node)
{
	if (!s->cap_cmap)
		return NULL;
	for (size_t i = js_ptr_slot(node, s->cap_cmap);; i = (i + 1) & (s->cap_cmap - 1)) {
		if (s->cmap[i].node == node)
			return s->cmap[i].cn;
		if (!s->cmap[i].node)
			return NULL;
	}
}
const struct name *js_find_name(const struct vg_jsonschema *s, const char *uri);
/* "id" (draft 4) or "$id". */
const char *js_id_keyword(int draft);
/* The resolved $ref site of node as reached under base and draft; NULL:
 * resolve at use. */
const struct refsite *js_find_refsite(const struct vg_jsonschema *s, const json_t *node,
				      const char *base, int draft);
/* The schema of property k in "properties" of cn, NULL when none. */
static inline const json_t *js_prop_get(const struct cnode *cn, const char *k, size_t kn)
{
	size_t lo = 0, hi = cn->n_props;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = js_key_cmp(cn->props[mid].k, cn->props[mid].kn, k, kn);
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
int js_enum_has(const struct cnode *cn, const struct jv *inst);

/* --------------------------------------------------------- eval.c */

/* Validate inst against the root found in x (validate.c): VG_OK with
 * res->valid set, or the code of why it could not run (message in err). */
int js_run(const struct vg_jsonschema *s, struct vg_jsonschema_scratch *x, const struct jv *inst,
	   const struct vg_jsonschema_opts *opts, struct vg_jsonschema_result *res,
	   struct vg_error *err) VG_MUST_CHECK;

#endif
