/*
 * compile.c - a schema set: its documents, the name index (every $id,
 * anchor and document URI, built when a document is added), the $ref sites
 * resolved once, and the compiled form of every schema object (a keyword
 * table, see struct cnode) found by the address of its object.
 */
#define _POSIX_C_SOURCE       200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema/schema_int.h"
#include "core/buf.h"
#include "core/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

const char *const js_kw_name[K_N] = {
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

void js_cnode_free(struct cnode *cn)
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
	vg_arena_release(&cn->ar);
	free(cn);
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
			size_t j = js_ptr_slot(s->cmap[i].node, nc);
			while (t[j].node)
				j = (j + 1) & (nc - 1);
			t[j] = s->cmap[i];
		}
		free(s->cmap);
		s->cmap = t;
		s->cap_cmap = nc;
	}
	size_t j = js_ptr_slot(cn->node, s->cap_cmap);
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
		js_cnode_free(s->cmap[i].cn);
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

const struct name *js_find_name(const struct vg_jsonschema *s, const char *uri)
{
	for (size_t i = 0; i < s->n_names; i++)
		if (!strcmp(s->names[i].uri, uri))
			return &s->names[i];
	return NULL;
}

static int add_name(struct vg_jsonschema *s, const char *uri, json_t *node, const char *base,
		    int draft, struct vg_error *err)
{
	const struct name *old = js_find_name(s, uri);
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

const char *js_id_keyword(int draft)
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
	id = json_string_value(json_object_get(node, js_id_keyword(draft)));
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
			js_strip_empty_frag(own);
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
	if (!js_cmap_get(s, node)) {
		/* compiled under the base it is reached with (before its own $id) */
		struct cnode *cn = js_cnode_compile(node, outer, draft);
		if (!cn || cmap_put(s, cn)) {
			js_cnode_free(cn);
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
		js_strip_empty_frag(abs);
		r->target = js_resolve(s, abs, &r->tbase, &r->tdraft, &oom);
		free(abs);
		if (oom)
			return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	}
	if (s->n_refs)
		qsort(s->refs, s->n_refs, sizeof(*s->refs), refsite_cmp);
	return VG_OK;
}

const struct refsite *js_find_refsite(const struct vg_jsonschema *s, const json_t *node,
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
		const char *id = json_string_value(json_object_get(doc, js_id_keyword(draft)));
		if (!id || !strchr(id, ':'))
			return vg_error_set(
			    err, VG_EINVAL,
			    "json schema: document without an absolute $id needs a URI");
		base = strdup(id);
	}
	if (!base)
		return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
	js_strip_empty_frag(base);
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
		const char *id = json_string_value(json_object_get(doc, js_id_keyword(draft)));
		char *eff = NULL;
		if (id && id[0] != '#' && (draft >= 2019 || !json_object_get(doc, "$ref"))) {
			eff = vg_uri_resolve(base, id);
			if (!eff) {
				free(base);
				return vg_error_set(err, VG_ENOMEM, "json schema: out of memory");
			}
			js_strip_empty_frag(eff);
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
	return js_key_cmp(x->k, x->kn, y->k, y->kn);
}

static int enumhash_cmp(const void *a, const void *b)
{
	const struct enumhash *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The compiled form of schema object node, reached under base with draft; NULL: no memory. */
struct cnode *js_cnode_compile(const json_t *node, const char *base, int draft)
{
	struct cnode *cn = calloc(1, sizeof(*cn));
	const json_t *v;
	const char *k;

	if (!cn || !(cn->base = strdup(base)))
		goto oom;
	cn->node = node;
	cn->draft = draft;
	/* only "enum" and "const" trees live here: small blocks */
	vg_arena_init_block(&cn->ar, 0, 2048);
	json_object_foreach((json_t *)node, k, v)
	{
		for (int i = 0; i < K_N; i++)
			if (!strcmp(js_kw_name[i], k)) {
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
		cn->pattern = js_regex_compile(json_string_value(v), json_string_length(v));
	if (json_is_string(v = cn->kw[K_FORMAT]))
		cn->fmt = js_format_id(json_string_value(v));
	if (json_is_array(v = cn->kw[K_ENUM]) && (cn->n_en = json_array_size(v))) {
		if (!(cn->en = vg_arena_alloc_raw(&cn->ar, cn->n_en * sizeof(*cn->en))))
			goto oom;
		for (size_t i = 0; i < cn->n_en; i++)
			if (js_jv_from_json(&cn->ar, json_array_get(v, i), &cn->en[i], 0))
				goto oom;
		if (cn->n_en >= ENUMSET_MIN) {
			if (!(cn->eh = malloc(cn->n_en * sizeof(*cn->eh))))
				goto oom;
			for (size_t i = 0; i < cn->n_en; i++) {
				cn->eh[i].h = js_jv_hash(&cn->en[i]);
				cn->eh[i].i = i;
			}
			qsort(cn->eh, cn->n_en, sizeof(*cn->eh), enumhash_cmp);
		}
	}
	if ((v = cn->kw[K_CONST]) && js_jv_from_json(&cn->ar, v, &cn->cv, 0))
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
			cn->pp[cn->n_pp].code = js_regex_compile(k, strlen(k));
			cn->pp[cn->n_pp].sch = ps;
			cn->n_pp++;
		}
	}
	{
		const char *id = json_string_value(cn->kw[draft == 4 ? K_ID4 : K_ID]);
		if (id && id[0] != '#' && (draft >= 2019 || !cn->kw[K_REF])) {
			if (!(cn->own = vg_uri_resolve(base, id)))
				goto oom;
			js_strip_empty_frag(cn->own);
		}
	}
	return cn;
oom:
	js_cnode_free(cn);
	return NULL;
}

/* 1 when inst is one of the "enum" values of cn, else 0. */
int js_enum_has(const struct cnode *cn, const struct jv *inst)
{
	size_t lo = 0, hi = cn->n_en;
	uint64_t h;
	if (!cn->eh) {
		for (size_t i = 0; i < cn->n_en; i++)
			if (js_jv_eq(&cn->en[i], inst))
				return 1;
		return 0;
	}
	/* the first entry with hash h, then each entry with it: equal values hash equal */
	h = js_jv_hash(inst);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cn->eh[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < cn->n_en && cn->eh[lo].h == h; lo++)
		if (js_jv_eq(&cn->en[cn->eh[lo].i], inst))
			return 1;
	return 0;
}
