#include "sbom/model.h"
#include "core/error.h"
#include "core/hash.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

/* The map stores component indices; other refs carry this bit. */
#define REF_OTHER 0x80000000u
#define REF_EMPTY UINT32_MAX

struct sbom_doc *sbom_doc_new(enum sbom_format format, enum sbom_encoding encoding)
{
	struct sbom_doc *doc = calloc(1, sizeof(*doc));
	if (!doc)
		return NULL;
	doc->format = format;
	doc->encoding = encoding;
	doc->primary = SBOM_NONE;
	vg_arena_init_block(&doc->arena, 0, SBOM_ARENA_BLOCK);
	return doc;
}

void sbom_doc_free(struct sbom_doc *doc)
{
	if (!doc)
		return;
	vg_arena_release(&doc->arena);
	free(doc->components);
	free(doc->edges);
	free(doc->map);
	free(doc->tools);
	free(doc);
}

void *sbom_doc_alloc(struct sbom_doc *doc, size_t n)
{
	return vg_arena_alloc(&doc->arena, n);
}

void *sbom_doc_alloc_raw(struct sbom_doc *doc, size_t n)
{
	return vg_arena_alloc_raw(&doc->arena, n);
}

const char *sbom_doc_strndup(struct sbom_doc *doc, const char *s, size_t n)
{
	return vg_arena_strndup(&doc->arena, s, n);
}

const char *sbom_doc_strdup(struct sbom_doc *doc, const char *s)
{
	return vg_arena_strdup(&doc->arena, s);
}

/*
 * FNV-1a over 64 bits with a per-process random basis, so that a hostile
 * document cannot be prepared offline to make every ref collide.
 */
static uint64_t hash_seed;

static uint32_t ref_hashn(const char *s, size_t n)
{
	if (!hash_seed) {
		uint64_t seed = 0;
		if (vg_random(&seed, sizeof(seed)) != VG_OK || !seed)
			seed = 0xcbf29ce484222325ull;
		hash_seed = seed;
	}
	uint64_t h = hash_seed;
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

static uint32_t ref_hash(const char *s)
{
	return ref_hashn(s, strlen(s));
}

static int map_grow(struct sbom_doc *doc)
{
	size_t cap = doc->map_cap ? doc->map_cap * 2 : 64;
	struct sbom_refmap_slot *m = malloc(cap * sizeof(*m));
	if (!m)
		return VG_ENOMEM;
	for (size_t i = 0; i < cap; i++) {
		m[i].key = NULL;
		m[i].val = REF_EMPTY;
	}
	for (size_t i = 0; i < doc->map_cap; i++) {
		struct sbom_refmap_slot *s = &doc->map[i];
		if (!s->key)
			continue;
		size_t j = s->hash & (cap - 1);
		while (m[j].key)
			j = (j + 1) & (cap - 1);
		m[j] = *s;
	}
	free(doc->map);
	doc->map = m;
	doc->map_cap = cap;
	return VG_OK;
}

static struct sbom_refmap_slot *map_slot(const struct sbom_doc *doc, const char *key, uint32_t h)
{
	size_t mask = doc->map_cap - 1;
	size_t j = h & mask;
	for (;;) {
		struct sbom_refmap_slot *s = &doc->map[j];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
		j = (j + 1) & mask;
	}
}

static int map_put(struct sbom_doc *doc, const char *key, uint32_t val)
{
	if ((doc->map_len + 1) * 2 > doc->map_cap && map_grow(doc) != VG_OK)
		return VG_ENOMEM;
	uint32_t h = ref_hash(key);
	struct sbom_refmap_slot *s = map_slot(doc, key, h);
	if (s->key)
		return VG_EEXIST;
	s->key = key;
	s->hash = h;
	s->val = val;
	doc->map_len++;
	return VG_OK;
}

static uint32_t map_get(const struct sbom_doc *doc, const char *key)
{
	if (!doc->map_cap || !key)
		return REF_EMPTY;
	struct sbom_refmap_slot *s = map_slot(doc, key, ref_hash(key));
	return s->key ? s->val : REF_EMPTY;
}

int sbom_doc_add_component(struct sbom_doc *doc, const char *ref, uint32_t *idx)
{
	const char *r = NULL;
	if (doc->n_components >= REF_OTHER - 1)
		return VG_ETOOBIG;
	if (ref) {
		if (map_get(doc, ref) != REF_EMPTY)
			return VG_EEXIST;
		if (!(r = sbom_doc_strdup(doc, ref)))
			return VG_ENOMEM;
	}
	if (doc->n_components == doc->cap_components) {
		size_t cap = doc->cap_components ? doc->cap_components * 2 : 64;
		struct sbom_component *c = realloc(doc->components, cap * sizeof(*c));
		if (!c)
			return VG_ENOMEM;
		doc->components = c;
		doc->cap_components = cap;
	}
	uint32_t i = (uint32_t)doc->n_components;
	if (r && map_put(doc, r, i) != VG_OK)
		return VG_ENOMEM;
	struct sbom_component *c = &doc->components[i];
	memset(c, 0, sizeof(*c));
	c->ref = r;
	c->name = "";
	c->parent = SBOM_NONE;
	doc->n_components++;
	*idx = i;
	return VG_OK;
}

int sbom_doc_add_other_ref(struct sbom_doc *doc, const char *ref)
{
	if (map_get(doc, ref) != REF_EMPTY)
		return VG_EEXIST;
	const char *r = sbom_doc_strdup(doc, ref);
	if (!r)
		return VG_ENOMEM;
	return map_put(doc, r, REF_OTHER);
}

uint32_t sbom_doc_find(const struct sbom_doc *doc, const char *ref)
{
	uint32_t v = map_get(doc, ref);
	return (v == REF_EMPTY || (v & REF_OTHER)) ? SBOM_NONE : v;
}

uint32_t sbom_doc_findn(const struct sbom_doc *doc, const char *ref, size_t n, int *known)
{
	uint32_t v = REF_EMPTY;
	/* Without a NUL among the n bytes, a key equal in its first n bytes is
	 * at least n long, so key[n] can be read. */
	if (doc->map_cap && !memchr(ref, '\0', n)) {
		uint32_t h = ref_hashn(ref, n);
		size_t mask = doc->map_cap - 1, j = h & mask;
		for (;;) {
			const struct sbom_refmap_slot *s = &doc->map[j];
			if (!s->key)
				break;
			if (s->hash == h && strncmp(s->key, ref, n) == 0 && s->key[n] == '\0') {
				v = s->val;
				break;
			}
			j = (j + 1) & mask;
		}
	}
	if (known)
		*known = v != REF_EMPTY;
	return (v == REF_EMPTY || (v & REF_OTHER)) ? SBOM_NONE : v;
}

int sbom_doc_set_ref(struct sbom_doc *doc, uint32_t idx, const char *ref)
{
	const char *r;
	if (map_get(doc, ref) != REF_EMPTY)
		return VG_EEXIST;
	if (!(r = sbom_doc_strdup(doc, ref)) || map_put(doc, r, idx) != VG_OK)
		return VG_ENOMEM;
	doc->components[idx].ref = r;
	return VG_OK;
}

int sbom_doc_ref_known(const struct sbom_doc *doc, const char *ref)
{
	return map_get(doc, ref) != REF_EMPTY;
}

int sbom_doc_add_edge(struct sbom_doc *doc, uint32_t from, uint32_t to, enum sbom_edge_kind kind,
		      const char *spdx_type)
{
	if (doc->n_edges == doc->cap_edges) {
		size_t cap = doc->cap_edges ? doc->cap_edges * 2 : 64;
		struct sbom_edge *e = realloc(doc->edges, cap * sizeof(*e));
		if (!e)
			return VG_ENOMEM;
		doc->edges = e;
		doc->cap_edges = cap;
	}
	const char *t = NULL;
	if (spdx_type && !(t = sbom_doc_strdup(doc, spdx_type)))
		return VG_ENOMEM;
	struct sbom_edge *e = &doc->edges[doc->n_edges++];
	e->from = from;
	e->to = to;
	e->kind = kind;
	e->spdx_type = t;
	return VG_OK;
}

int sbom_doc_add_tool(struct sbom_doc *doc, const char *vendor, const char *name,
		      const char *version)
{
	if (doc->n_tools == doc->cap_tools) {
		size_t cap = doc->cap_tools ? doc->cap_tools * 2 : 4;
		struct sbom_tool *t = realloc(doc->tools, cap * sizeof(*t));
		if (!t)
			return VG_ENOMEM;
		doc->tools = t;
		doc->cap_tools = cap;
	}
	struct sbom_tool *t = &doc->tools[doc->n_tools];
	t->vendor = sbom_doc_strdup(doc, vendor);
	t->name = sbom_doc_strdup(doc, name ? name : "");
	t->version = sbom_doc_strdup(doc, version);
	if ((vendor && !t->vendor) || !t->name || (version && !t->version))
		return VG_ENOMEM;
	doc->n_tools++;
	return VG_OK;
}

const char *sbom_format_name(enum sbom_format f)
{
	switch (f) {
	case SBOM_FORMAT_CYCLONEDX:
		return "cyclonedx";
	case SBOM_FORMAT_SPDX:
		return "spdx";
	}
	return "unknown";
}

const char *sbom_encoding_name(enum sbom_encoding e)
{
	switch (e) {
	case SBOM_ENC_JSON:
		return "json";
	case SBOM_ENC_XML:
		return "xml";
	case SBOM_ENC_TAGVALUE:
		return "tag-value";
	case SBOM_ENC_JSONLD:
		return "json-ld";
	}
	return "unknown";
}

const char *sbom_edge_kind_name(enum sbom_edge_kind k)
{
	switch (k) {
	case SBOM_EDGE_DEPENDS_ON:
		return "depends-on";
	case SBOM_EDGE_CONTAINS:
		return "contains";
	case SBOM_EDGE_PROVIDES:
		return "provides";
	case SBOM_EDGE_OTHER:
		return "other";
	}
	return "unknown";
}

const char *sbom_hash_alg_normalise(const char *alg)
{
	/* SPDX 2 spells SHA256 / SHA3-256 / BLAKE2b-256, SPDX 3 sha256 / sha3_256 /
	 * blake2b256; compare with separators removed. */
	static const char *const names[] = {
	    "MD2",         "MD4",      "MD5",      "MD6",         "SHA-1",
	    "SHA-224",     "SHA-256",  "SHA-384",  "SHA-512",     "SHA3-224",
	    "SHA3-256",    "SHA3-384", "SHA3-512", "BLAKE2b-256", "BLAKE2b-384",
	    "BLAKE2b-512", "BLAKE3",   "ADLER32",  "SM3",         "CRYSTALS-KYBER",
	};
	char a[32], b[32];
	size_t n = 0;
	if (!alg)
		return NULL;
	for (const char *p = alg; *p && n < sizeof(a) - 1; p++)
		if (*p != '-' && *p != '_')
			a[n++] = *p;
	a[n] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t m = 0;
		for (const char *p = names[i]; *p && m < sizeof(b) - 1; p++)
			if (*p != '-' && *p != '_')
				b[m++] = *p;
		b[m] = '\0';
		if (strcasecmp(a, b) == 0)
			return names[i];
	}
	return alg;
}
