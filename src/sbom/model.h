/*
 * model.h - the in-memory model of one SBOM document (CycloneDX or SPDX),
 * whatever its format and encoding, as the parsers produce it and storage,
 * diff and export consume it.
 *
 * Rules:
 *  - One document owns all of its memory. Strings and small lists live in the
 *    document's arena (core/arena.h, blocks of SBOM_ARENA_BLOCK bytes);
 *    components, edges and the ref index are three growable arrays.
 *    sbom_doc_free() releases everything at once, so a 50,000-component
 *    document costs a handful of free() calls.
 *  - Every string is NUL-terminated UTF-8 and owned by the document. Optional
 *    fields are NULL when the input does not carry them; component name is
 *    never NULL ("" when absent).
 *  - Components are addressed by index (uint32_t). Pointers into
 *    doc->components are invalidated by sbom_doc_add_component(): parsers keep
 *    indices, not pointers, across additions.
 *  - ref is the CycloneDX bom-ref or the SPDX identifier (SPDXID / spdxId).
 *    Refs are unique within a document; sbom_doc_find() maps a ref to its index.
 *  - The document's primary component (CycloneDX metadata.component, the
 *    package an SPDX document DESCRIBES, the rootElement of an SPDX 3 SBOM) is
 *    one of the components, at index doc->primary (SBOM_NONE when there is
 *    none). So n_components of a CycloneDX BOM is the number of components,
 *    nested ones included, plus one when metadata.component is present.
 *  - Edges point from a component to a component. Relationships whose other
 *    end is not a component (SPDX files and snippets, CycloneDX services, the
 *    SPDX document itself, elements of other documents) are counted in
 *    n_dropped_edges and not stored.
 */
#ifndef VIGIL_SBOM_MODEL_H
#define VIGIL_SBOM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

#define SBOM_NONE UINT32_MAX

/* The block size of a document's arena: large, as documents are read whole
 * and freed whole (untouched pages of a block cost no memory). */
#define SBOM_ARENA_BLOCK (256u * 1024u)

enum sbom_format {
	SBOM_FORMAT_CYCLONEDX = 1,
	SBOM_FORMAT_SPDX = 2, /* SPDX 2.x and 3.x; spec_version tells which */
};

enum sbom_encoding {
	SBOM_ENC_JSON = 1,
	SBOM_ENC_XML = 2,
	SBOM_ENC_TAGVALUE = 3,
	SBOM_ENC_JSONLD = 4,
};

enum sbom_edge_kind {
	SBOM_EDGE_DEPENDS_ON = 1, /* from needs to (CycloneDX dependsOn, SPDX DEPENDS_ON, ...) */
	SBOM_EDGE_CONTAINS = 2,   /* from includes to (SPDX CONTAINS) */
	SBOM_EDGE_PROVIDES = 3,   /* from implements to (CycloneDX 1.6 provides) */
	SBOM_EDGE_OTHER = 4,      /* any other SPDX relationship; see spdx_type */
};

struct sbom_hash {
	const char *alg; /* CycloneDX spelling: "SHA-256", "SHA-1", "MD5", "SHA3-512", ... */
	const char *value;
};

struct sbom_extref {
	const char *type; /* CycloneDX type ("website", "vcs", "distribution") or SPDX
			     referenceType */
	const char *url;
	const char *comment; /* may be NULL */
	const char *sha512;  /* the SHA-512 of what url names (CycloneDX
			      * externalReferences[].hashes), NULL when none */
};

struct sbom_property {
	const char *name;
	const char *value; /* may be NULL */
};

struct sbom_tool {
	const char *vendor; /* may be NULL */
	const char *name;
	const char *version; /* may be NULL */
};

struct sbom_component {
	const char *ref;   /* bom-ref / SPDX id; NULL when the CycloneDX input has none */
	const char *name;  /* never NULL */
	const char *group; /* CycloneDX group (e.g. Maven groupId) */
	const char *version;
	const char *type;     /* CycloneDX type; SPDX purpose mapped to it ("library") */
	const char *purl;     /* as given, not canonicalised (see purl.h) */
	const char *cpe;      /* first CPE (2.2 or 2.3) */
	const char *supplier; /* supplier name ("Organization: " prefix removed) */
	const char *licenses; /* one SPDX license expression, see below */
	const char *description;
	const char *scope; /* CycloneDX scope: required, optional, excluded */
	uint32_t parent;   /* enclosing component of a nested one, or SBOM_NONE */
	uint32_t n_hashes, n_extrefs, n_properties;
	struct sbom_hash *hashes;
	struct sbom_extref *extrefs;
	struct sbom_property *properties;
};

struct sbom_edge {
	uint32_t from, to;
	enum sbom_edge_kind kind;
	const char *spdx_type; /* original SPDX relationship type, NULL for CycloneDX */
};

struct sbom_refmap_slot {
	const char *key;
	uint32_t hash;
	uint32_t val;
};

struct sbom_doc {
	enum sbom_format format;
	enum sbom_encoding encoding;
	const char *spec_version; /* "1.6", "2.3", "3.0.1" */
	const char *serial;       /* serialNumber / documentNamespace / SpdxDocument id */
	const char *name;         /* SPDX document name; NULL for CycloneDX */
	long long bom_version;    /* CycloneDX version attribute, 0 when absent */
	const char *created;      /* metadata.timestamp / creationInfo.created, as given */
	/* The SBOM's author (a person or organisation, not a tool), as given:
	 * CycloneDX metadata.authors[0], else metadata.manufacturer /
	 * manufacture / supplier, as "name <email>" or "name (url)"; SPDX 2 the
	 * first Person: / Organization: creator without its prefix; SPDX 3
	 * the name of the first createdBy agent. NULL when none. */
	const char *author;
	struct sbom_tool *tools;
	size_t n_tools;
	uint32_t primary;

	struct sbom_component *components;
	size_t n_components;
	struct sbom_edge *edges;
	size_t n_edges;
	size_t n_dropped_edges;

	/* private to model.c */
	size_t cap_components, cap_edges, cap_tools;
	struct vg_arena arena;
	struct sbom_refmap_slot *map;
	size_t map_cap, map_len;
};

/*
 * licenses: CycloneDX license entries are combined into one SPDX expression:
 * each id as is, each expression as is, each name as "LicenseRef-" followed by
 * the name with every character outside [A-Za-z0-9.-] replaced by '-'; several
 * entries are joined with " AND " (compound ones in parentheses). SPDX: the
 * concluded license unless NOASSERTION, else the declared one unless
 * NOASSERTION, else NULL ("NONE" is kept).
 */

/* A new empty document, or NULL when out of memory. Free with sbom_doc_free(). */
struct sbom_doc *sbom_doc_new(enum sbom_format format, enum sbom_encoding encoding);

/* Free the document and everything it owns. NULL is allowed. */
void sbom_doc_free(struct sbom_doc *doc);

/* n zeroed bytes from the document's arena (aligned for any type); NULL on OOM. */
void *sbom_doc_alloc(struct sbom_doc *doc, size_t n);
/* The same, not zeroed: for arrays the caller fills whole. */
void *sbom_doc_alloc_raw(struct sbom_doc *doc, size_t n);

/* Copies of strings into the arena; NULL on OOM (and for s == NULL). */
const char *sbom_doc_strdup(struct sbom_doc *doc, const char *s);
const char *sbom_doc_strndup(struct sbom_doc *doc, const char *s, size_t n);

/*
 * Append a zeroed component (parent = SBOM_NONE, name = "") and register ref
 * (may be NULL: not indexed). *idx receives its index. Returns VG_OK,
 * VG_EEXIST when ref is already registered (nothing added), VG_ENOMEM or
 * VG_ETOOBIG (more than 2^32-2 components). ref is copied.
 */
int sbom_doc_add_component(struct sbom_doc *doc, const char *ref, uint32_t *idx);

/*
 * Register a ref that names something other than a component (an SPDX file,
 * a CycloneDX service), so relationships to it are recognised and dropped
 * instead of being called dangling. VG_EEXIST when ref is taken.
 */
int sbom_doc_add_other_ref(struct sbom_doc *doc, const char *ref);

/*
 * Give component idx (added with ref NULL) its ref, for parsers that learn
 * the ref after the component's other fields. VG_EEXIST when ref is taken
 * (the component keeps ref NULL), VG_ENOMEM. ref is copied.
 */
int sbom_doc_set_ref(struct sbom_doc *doc, uint32_t idx, const char *ref);

/* Index of the component with this ref, or SBOM_NONE. */
uint32_t sbom_doc_find(const struct sbom_doc *doc, const char *ref);

/* The same for the n bytes at ref (need not be NUL-terminated); *known (may
 * be NULL) is set to 1 when ref is registered at all, component or not. */
uint32_t sbom_doc_findn(const struct sbom_doc *doc, const char *ref, size_t n, int *known);

/* 1 when ref is registered at all (component or other), else 0. */
int sbom_doc_ref_known(const struct sbom_doc *doc, const char *ref);

/* Append an edge. spdx_type is copied. VG_OK or VG_ENOMEM. */
int sbom_doc_add_edge(struct sbom_doc *doc, uint32_t from, uint32_t to, enum sbom_edge_kind kind,
		      const char *spdx_type);

/* Append a tool (strings copied, any may be NULL). VG_OK or VG_ENOMEM. */
int sbom_doc_add_tool(struct sbom_doc *doc, const char *vendor, const char *name,
		      const char *version);

/* "cyclonedx" / "spdx"; "json" / "xml" / "tag-value" / "json-ld"; "depends-on", ... */
const char *sbom_format_name(enum sbom_format f);
const char *sbom_encoding_name(enum sbom_encoding e);
const char *sbom_edge_kind_name(enum sbom_edge_kind k);

/*
 * The CycloneDX spelling of a hash algorithm name given in SPDX spelling
 * ("SHA256" -> "SHA-256", "sha3_256" -> "SHA3-256", "blake2b256" ->
 * "BLAKE2b-256"); a name it does not know is returned as is. Static strings or
 * alg itself.
 */
const char *sbom_hash_alg_normalise(const char *alg);

#endif
