/*
 * sbom_int.h - helpers shared by the SBOM parsers; not for use outside
 * src/sbom/.
 */
#ifndef VIGIL_SBOM_SBOM_INT_H
#define VIGIL_SBOM_SBOM_INT_H

#include "core/error.h"

#include <stddef.h>

#include "core/buf.h"
#include "core/json.h"
#include "sbom/model.h"
#include "sbom/parse.h"

struct vg_error;

/* A JSON pointer built while walking a document, for error messages. */
struct sbom_jptr {
	char buf[512];
	size_t len;
};

void sbom_jptr_init(struct sbom_jptr *p);
/* Push "/key" or "/index"; returns the length to pop back to. */
size_t sbom_jptr_key(struct sbom_jptr *p, const char *key);
size_t sbom_jptr_idx(struct sbom_jptr *p, size_t i);
void sbom_jptr_pop(struct sbom_jptr *p, size_t len);
/* The pointer text; "" is shown as "/" (the root). */
const char *sbom_jptr_str(const struct sbom_jptr *p);

/*
 * Input checks every parser runs first: size against the limit, then UTF-8
 * (no NUL bytes, no byte-order mark other than UTF-8's). Error names the file
 * and the line and byte of the first bad byte.
 */
int sbom_input_check(const char *data, size_t n, const char *filename,
		     const struct sbom_parse_opts *opts, struct vg_error *err) VG_MUST_CHECK;

/*
 * Builder of one SPDX expression out of several license terms (CycloneDX
 * licenses array): terms joined with " AND ", compound terms parenthesised.
 */
struct sbom_lic {
	struct vg_buf buf;
	size_t nterms;
	int first_compound;
};

void sbom_lic_init(struct sbom_lic *l);
int sbom_lic_add_id(struct sbom_lic *l, const char *id);
int sbom_lic_add_name(struct sbom_lic *l, const char *name); /* LicenseRef-<name> */
int sbom_lic_add_expr(struct sbom_lic *l, const char *expr);
/* The expression copied into doc (NULL when no terms; *out set), then release. */
int sbom_lic_finish(struct sbom_lic *l, struct sbom_doc *doc, const char **out);
void sbom_lic_release(struct sbom_lic *l);
/* Start a new expression, keeping the buffer (one builder for many components). */
void sbom_lic_reset(struct sbom_lic *l);
/* Like sbom_lic_finish() but keeps the buffer for the next sbom_lic_reset(). */
int sbom_lic_take(struct sbom_lic *l, struct sbom_doc *doc, const char **out);

/* Strip "Organization: " / "Person: " / "Tool: " and a trailing " (email)". */
const char *sbom_spdx_actor_name(struct sbom_doc *doc, const char *s);

/* An SPDX 2 creator "Person: ..." / "Organization: ..." as doc->author. */
int sbom_spdx_creator_author(struct sbom_doc *doc, const char *creator) VG_MUST_CHECK;

/* SPDX primaryPackagePurpose ("OPERATING_SYSTEM") to CycloneDX type
 * ("operating-system"); NULL for NULL. Copied into doc. */
const char *sbom_spdx_purpose_type(struct sbom_doc *doc, const char *purpose);

/*
 * Map an SPDX 2 relationship type to an edge: *kind, *reverse (1 when the
 * edge points from the related element to the element, e.g. DEPENDENCY_OF).
 * Returns 0 for types that make no edge (DESCRIBES, DESCRIBED_BY handled by
 * the caller).
 */
int sbom_spdx_rel_edge(const char *type, enum sbom_edge_kind *kind, int *reverse);

/* SPDX builders over an already parsed JSON root (parse.c dispatches). */
int sbom_spdx_from_json(json_t *root, const char *filename, const struct sbom_parse_opts *opts,
			struct sbom_doc **out, struct vg_error *err) VG_MUST_CHECK;
int sbom_spdx3_from_json(json_t *root, const char *filename, const struct sbom_parse_opts *opts,
			 struct sbom_doc **out, struct vg_error *err) VG_MUST_CHECK;

/* Parse JSON after sbom_input_check(); messages name filename. */
json_t *sbom_json_load(const char *data, size_t n, const char *filename, struct vg_error *err);

#endif
