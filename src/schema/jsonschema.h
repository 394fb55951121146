/*
 * jsonschema.h - the schema room (floor 0, beside core; includes only core):
 * JSON Schema validation over jansson values (core/json.h) or JSON text.
 * How the room is laid out is in schema_int.h.
 *
 * Drafts 4, 6 and 7 are supported in full (the keywords of the official test
 * suite outside its optional/ folder). Drafts 2019-09 and 2020-12 are
 * supported for the keywords they share with draft 7 plus $defs, $anchor,
 * dependentRequired, dependentSchemas, prefixItems, minContains and
 * maxContains, $ref beside other keywords, and unevaluatedProperties (the
 * members evaluated by properties, patternProperties, additionalProperties
 * and unevaluatedProperties of every schema applied in place that passed).
 * unevaluatedItems and dynamic references
 * ($recursiveRef / $dynamicRef to a dynamic anchor) are not implemented: a
 * schema that needs them makes validation fail with VG_EINVAL instead of
 * silently passing.
 *
 * Rules:
 *  - A struct vg_jsonschema is a set of schema documents, each known by a URI
 *    (the one it was added under, and its $id / id). $ref is resolved across
 *    all documents of the set by RFC 3986 reference resolution; nothing is
 *    fetched from a network or a disk at validation time.
 *  - The set is filled once, then only read: vg_jsonschema_validate() may be
 *    called from several threads at once on one set.
 *  - A draft comes from a document's "$schema"; a document without one gets
 *    the set's default draft.
 *  - Regular expressions (pattern, patternProperties, format "regex") are
 *    ECMA-262 in the schemas; they run on PCRE2 in UTF mode with \u escapes,
 *    under a match limit, so a hostile instance cannot make matching explode.
 *  - Validation recursion is bounded (max_depth schema levels, $ref included),
 *    so a schema that refers to itself without consuming the instance fails
 *    with VG_ETOOBIG instead of exhausting the stack.
 *  - "format" is an annotation unless opts->assert_format is set; then the
 *    formats date-time, date, time, email, idn-email, hostname, ipv4, ipv6,
 *    uri, uri-reference, iri, iri-reference, uuid, json-pointer and regex are
 *    checked (best effort for the idn/iri forms); other formats pass.
 */
#ifndef VIGIL_SCHEMA_JSONSCHEMA_H
#define VIGIL_SCHEMA_JSONSCHEMA_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

struct vg_error;
struct vg_jsonschema;

enum vg_jsonschema_draft {
	VG_JSONSCHEMA_DRAFT4 = 4,
	VG_JSONSCHEMA_DRAFT6 = 6,
	VG_JSONSCHEMA_DRAFT7 = 7,
	VG_JSONSCHEMA_DRAFT2019_09 = 2019,
	VG_JSONSCHEMA_DRAFT2020_12 = 2020,
};

#define VG_JSONSCHEMA_MAX_ERRORS 100
#define VG_JSONSCHEMA_MAX_DEPTH  1000

/* One reason an instance does not validate. All strings are owned by the result. */
struct vg_jsonschema_error {
	char *instance; /* JSON pointer into the instance ("" is the root) */
	char *schema;   /* keyword location: JSON pointer through the schema, $ref included */
	char *message;  /* what was expected ("expected type string, got integer") */
};

struct vg_jsonschema_result {
	int valid;                          /* 1 when the instance validates */
	struct vg_jsonschema_error *errors; /* at most max_errors of them */
	size_t n_errors;
	size_t n_dropped; /* errors past the cap, counted but not kept */
};

struct vg_jsonschema_opts {
	size_t max_errors; /* 0: VG_JSONSCHEMA_MAX_ERRORS */
	int max_depth;     /* 0: VG_JSONSCHEMA_MAX_DEPTH */
	int assert_format; /* 1: "format" is an assertion */
	/* prepended to every instance pointer reported (NULL: none); for an
	 * instance that is a part of a larger document ("/components/12") */
	const char *instance_prefix;
};

/*
 * A new, empty set whose documents without "$schema" follow default_draft
 * (one of enum vg_jsonschema_draft). *out is freed with vg_jsonschema_free().
 */
int vg_jsonschema_new(int default_draft, struct vg_jsonschema **out,
		      struct vg_error *err) VG_MUST_CHECK;
void vg_jsonschema_free(struct vg_jsonschema *s);

/*
 * Add a schema document known as uri (an absolute URI; NULL: its $id, which
 * must then be absolute). The set takes its own reference to doc. Every
 * "$id"/"id" and "$anchor" inside becomes a name too. Fails with VG_EEXIST
 * when a name is already taken by another document, VG_EINVAL when the
 * document is not a schema (not an object or boolean) or has no name.
 */
int vg_jsonschema_add(struct vg_jsonschema *s, const char *uri, json_t *doc,
		      struct vg_error *err) VG_MUST_CHECK;

/* Read, parse and add the file at path (at most 16 MiB); uri as above. */
int vg_jsonschema_add_file(struct vg_jsonschema *s, const char *path, const char *uri,
			   struct vg_error *err) VG_MUST_CHECK;

/*
 * Validate instance against the schema named uri (a document URI, optionally
 * with a fragment: "http://x/s.json#/definitions/a"). res is filled in (call
 * vg_jsonschema_result_release() afterwards, whatever the return code).
 * Returns VG_OK when validation ran (res->valid says the verdict), or an error
 * when it could not run: VG_ENOTFOUND (uri or a $ref target is not in the
 * set), VG_EINVAL (broken schema: bad regex, unsupported keyword), VG_ETOOBIG
 * (recursion past max_depth), VG_ENOMEM. opts may be NULL.
 */
int vg_jsonschema_validate(const struct vg_jsonschema *s, const char *uri, const json_t *instance,
			   const struct vg_jsonschema_opts *opts, struct vg_jsonschema_result *res,
			   struct vg_error *err) VG_MUST_CHECK;

void vg_jsonschema_result_release(struct vg_jsonschema_result *res);

/*
 * What one thread keeps between validations (an arena for instance trees,
 * regex match data, the last schema looked up by URI), so that validating
 * many small instances, the items of a large document, allocates nearly
 * nothing. One scratch serves one thread at a time; any set.
 */
struct vg_jsonschema_scratch;
struct vg_jsonschema_scratch *vg_jsonschema_scratch_new(void); /* NULL: out of memory */
void vg_jsonschema_scratch_free(struct vg_jsonschema_scratch *x);

/*
 * As vg_jsonschema_validate(), for the JSON text of an instance (n bytes,
 * UTF-8 already checked by the caller), without building a jansson tree.
 * The text is held to what the jansson parser of core/json.h accepts:
 * duplicate keys, NUL in keys, unpaired \u surrogates, integers out of
 * range and overflowing reals are refused with VG_EPARSE and a message
 * "byte N, line L: what" (offsets from text). scratch may be NULL; hash, when
 * not NULL, gets vg_jsonschema_hash() of the instance.
 */
int vg_jsonschema_validate_text(const struct vg_jsonschema *s, const char *uri, const char *text,
				size_t n, const struct vg_jsonschema_opts *opts,
				struct vg_jsonschema_scratch *scratch, uint64_t *hash,
				struct vg_jsonschema_result *res,
				struct vg_error *err) VG_MUST_CHECK;

/*
 * The schema node named uri (as in vg_jsonschema_validate()), borrowed from
 * the set; NULL when there is none (or out of memory). Lets a caller look at
 * a schema before splitting an instance along it.
 */
const json_t *vg_jsonschema_node(const struct vg_jsonschema *s, const char *uri);

/*
 * Equality of instances as the validator sees it (enum, const, uniqueItems:
 * 1 and 1.0 are equal, object member order does not count; -1 when out of
 * memory), and a hash that agrees with it: equal values hash equal.
 */
int vg_jsonschema_equal(const json_t *a, const json_t *b);
uint64_t vg_jsonschema_hash(const json_t *v);

/*
 * The directory of the schema files of kind ("cyclonedx", "spdx") that vigil
 * ships, into buf (size bytes): <prefix>/share/vigil/schemas/<kind>, where
 * <prefix> is the install of the running binary (found from /proc/self/exe:
 * <prefix>/bin/vigil, so a moved install works), else the binary's own
 * directory when it has share/vigil/schemas beside it (the build tree: the
 * build copies the schemas there from their package), else the install
 * prefix compiled in. Never the source tree. Returns buf, or NULL when none
 * of them exists (buf then names the compiled-in one, for messages).
 * Configuration that names a directory (sbom.schema_dir) comes first; that
 * is the caller's business.
 */
const char *vg_jsonschema_dir(const char *kind, char *buf, size_t size);

/*
 * Resolve reference ref against base (RFC 3986 section 5.2). Returns a
 * malloc'ed string or NULL (out of memory).
 */
char *vg_uri_resolve(const char *base, const char *ref);

#endif
