/*
 * csaf.h - CSAF 2.0 documents (security advisories and VEX): parsing, and
 * for each vulnerability the products it affects, fixes or does not
 * affect, resolved through the product tree.
 *
 * Rules:
 *  - Basic structure only: the members this module reads must have their
 *    schema types, and /document with category, csaf_version "2.0",
 *    publisher, title and tracking (id, status, version, dates, revision
 *    history) must be there. Anything else is ignored; full schema and the
 *    mandatory tests of CSAF section 6 are the validator's job. A document
 *    that fails is refused with "<file>: <JSON pointer>: <what was
 *    expected>".
 *  - Product ids are resolved, never guessed. References to products or
 *    groups that the tree does not define, ids defined twice and
 *    relationships that lead back to themselves (CSAF 6.1.1 - 6.1.5) do not
 *    refuse the document: they are listed in doc->problems with their
 *    pointers, and an unknown id comes back with product == NULL.
 *  - A product made by a relationship ("A as a component of B") is its own
 *    product id; its identification (purl, CPE) is that of the component
 *    (product_reference), and the platform (relates_to_product_reference)
 *    is named beside it, so a component purl can be matched while knowing
 *    which product version contains it.
 *  - Bounds: documents of at most CSAF_MAX_BYTES, branch nesting at most
 *    CSAF_MAX_BRANCH_DEPTH, relationship chains at most CSAF_MAX_REL_DEPTH,
 *    parsed form at most CSAF_MAX_MEM bytes.
 *  - Everything a struct csaf_doc points to is owned by it
 *    (csaf_doc_free()).
 */
#ifndef VIGIL_VULN_CSAF_H
#define VIGIL_VULN_CSAF_H

#include "core/error.h"

#include "core/arena.h"

#include <stddef.h>

struct vg_error;

#define CSAF_MAX_BYTES        (64u << 20)
#define CSAF_MAX_BRANCH_DEPTH 30
#define CSAF_MAX_REL_DEPTH    16
#define CSAF_MAX_MEM          (512u << 20)
#define CSAF_MAX_PROBLEMS     100

struct csaf_note {
	const char *category, *text, *title, *audience;
};

struct csaf_reference {
	const char *category, *summary, *url;
};

struct csaf_revision {
	const char *date, *number, *summary;
};

struct csaf_hash {
	const char *algorithm, *value;
};

struct csaf_file_hashes {
	const char *filename;
	struct csaf_hash *hashes;
	size_t n_hashes;
};

struct csaf_generic_uri {
	const char *namespace_, *uri;
};

/* product_identification_helper */
struct csaf_pih {
	const char *cpe;
	const char *purl;
	struct csaf_file_hashes *hashes;
	size_t n_hashes;
	const char **model_numbers, **sbom_urls, **serial_numbers, **skus;
	size_t n_model_numbers, n_sbom_urls, n_serial_numbers, n_skus;
	struct csaf_generic_uri *x_generic_uris;
	size_t n_x_generic_uris;
};

struct csaf_relationship;

struct csaf_product {
	const char *product_id;
	const char *name;
	struct csaf_pih pih; /* all NULL / 0 when the product has none */
	const char *ptr;     /* JSON pointer of its definition */
	/* from the enclosing branches, when defined in /product_tree/branches */
	const char *vendor, *product_name, *product_version, *product_version_range,
	    *product_family, *architecture, *patch_level, *service_pack, *language, *host_name,
	    *legacy, *specification;
	/* set when a relationship defined this product */
	const struct csaf_relationship *rel;
};

struct csaf_relationship {
	const char *category; /* default_component_of, installed_on, ... */
	const char *product_reference, *relates_to_product_reference;
	struct csaf_product *product; /* the full_product_name it defines */
	/* resolved; NULL when the tree does not define them */
	const struct csaf_product *component, *platform;
};

struct csaf_group {
	const char *group_id, *summary;
	const char **product_ids;
	size_t n_product_ids;
};

/* A list of products as a document names them: product ids, and group ids
 * (remediations, threats, flags) expanded by csaf_vuln_foreach(). */
struct csaf_ids {
	const char **product_ids;
	size_t n_product_ids;
	const char **group_ids;
	size_t n_group_ids;
};

enum csaf_status {
	CSAF_FIRST_AFFECTED,
	CSAF_FIRST_FIXED,
	CSAF_FIXED,
	CSAF_KNOWN_AFFECTED,
	CSAF_KNOWN_NOT_AFFECTED,
	CSAF_LAST_AFFECTED,
	CSAF_RECOMMENDED,
	CSAF_UNDER_INVESTIGATION,
	CSAF_NSTATUS
};

#define CSAF_MASK(s) (1u << (s))
#define CSAF_MASK_AFFECTED                                                 \
	(CSAF_MASK(CSAF_FIRST_AFFECTED) | CSAF_MASK(CSAF_KNOWN_AFFECTED) | \
	 CSAF_MASK(CSAF_LAST_AFFECTED))
#define CSAF_MASK_FIXED        (CSAF_MASK(CSAF_FIRST_FIXED) | CSAF_MASK(CSAF_FIXED))
#define CSAF_MASK_NOT_AFFECTED CSAF_MASK(CSAF_KNOWN_NOT_AFFECTED)
#define CSAF_MASK_ALL          ((1u << CSAF_NSTATUS) - 1)

struct csaf_cvss {
	int present;
	const char *version; /* "3.0", "3.1", "2.0" */
	const char *vector;
	double base_score;
	const char *base_severity; /* v3 only */
};

struct csaf_score {
	const char **products;
	size_t n_products;
	struct csaf_cvss cvss_v3, cvss_v2;
};

struct csaf_remediation {
	const char *category, *details, *url, *date;
	struct csaf_ids ids;
};

struct csaf_threat {
	const char *category, *details, *date;
	struct csaf_ids ids;
};

struct csaf_flag {
	const char *label, *date; /* label: VEX justification, e.g. component_not_present */
	struct csaf_ids ids;
};

struct csaf_vuln_id {
	const char *system_name, *text;
};

struct csaf_vuln {
	const char *cve;
	const char *title;
	const char *cwe_id, *cwe_name;
	const char *discovery_date, *release_date;
	struct csaf_vuln_id *ids;
	size_t n_ids;
	struct csaf_note *notes;
	size_t n_notes;
	struct csaf_reference *refs;
	size_t n_refs;
	struct csaf_ids status[CSAF_NSTATUS]; /* product ids only */
	struct csaf_score *scores;
	size_t n_scores;
	struct csaf_remediation *remediations;
	size_t n_remediations;
	struct csaf_threat *threats;
	size_t n_threats;
	struct csaf_flag *flags;
	size_t n_flags;
};

struct csaf_problem {
	const char *test; /* "6.1.1" ... "6.1.5" */
	const char *msg;  /* names the pointer */
};

struct csaf_doc {
	const char *category; /* csaf_security_advisory, csaf_vex, csaf_base, ... */
	const char *csaf_version;
	const char *title, *lang, *aggregate_severity, *tlp;
	const char *publisher_category, *publisher_name, *publisher_namespace;
	/* tracking */
	const char *id, *status, *version, *current_release_date, *initial_release_date;
	struct csaf_revision *revisions;
	size_t n_revisions;
	struct csaf_note *notes;
	size_t n_notes;
	struct csaf_reference *refs;
	size_t n_refs;
	/* product tree: every defined product (branches, full_product_names,
	 * relationships, in that order) */
	struct csaf_product **products;
	size_t n_products;
	struct csaf_relationship *rels;
	size_t n_rels;
	struct csaf_group *groups;
	size_t n_groups;
	struct csaf_vuln *vulns;
	size_t n_vulns;
	struct csaf_problem *problems;
	size_t n_problems;     /* kept (at most CSAF_MAX_PROBLEMS) */
	size_t n_problems_all; /* found */
	/* private */
	struct vg_arena arena;
	const struct csaf_product **index; /* products sorted by id */
	size_t n_index;
};

/*
 * Parse n bytes of a CSAF 2.0 document. file names it in messages. On
 * success *out is a new document owned by the caller (csaf_doc_free()). On
 * failure returns VG_EPARSE (message "<file>: <pointer>: ..."), VG_ETOOBIG
 * or VG_ENOMEM and *out is NULL.
 */
int csaf_parse(const char *data, size_t n, const char *file, struct csaf_doc **out,
	       struct vg_error *err) VG_MUST_CHECK;

void csaf_doc_free(struct csaf_doc *d);

/* Product of an id (the first definition when there are several); NULL when
 * the document does not define it. */
const struct csaf_product *csaf_product_find(const struct csaf_doc *d, const char *product_id);

/* Group of an id; NULL when not defined. */
const struct csaf_group *csaf_group_find(const struct csaf_doc *d, const char *group_id);

/*
 * Identification of a product: its own purl / CPE, or for a product made by
 * a relationship, the component's (followed through chains of
 * relationships). NULL when there is none.
 */
const char *csaf_product_purl(const struct csaf_product *p);
const char *csaf_product_cpe(const struct csaf_product *p);

/* The product a relationship-made product sits in or on (NULL otherwise). */
const struct csaf_product *csaf_product_platform(const struct csaf_product *p);

/* Name of a status ("known_affected") / a status from its name (-1 if none). */
const char *csaf_status_name(enum csaf_status s);
int csaf_status_from_name(const char *name);

/*
 * Call cb for every product id listed under the statuses in mask (a
 * CSAF_MASK_* combination) of vulnerability v, in status order and then
 * document order, with its product (NULL when the tree does not define
 * the id). A non-zero return from cb stops the walk and is returned.
 */
typedef int (*csaf_product_cb)(void *ctx, enum csaf_status status, const char *product_id,
			       const struct csaf_product *product);
int csaf_vuln_foreach(const struct csaf_doc *d, const struct csaf_vuln *v, unsigned mask,
		      csaf_product_cb cb, void *ctx);

/*
 * Call cb for every product id of ids: its product ids, then the product ids
 * of each of its groups, in document order (duplicates are passed on).
 * Stops at and returns cb's first non-zero return.
 */
typedef int (*csaf_id_cb)(void *ctx, const char *product_id, const struct csaf_product *product);
int csaf_ids_foreach(const struct csaf_doc *d, const struct csaf_ids *ids, csaf_id_cb cb,
		     void *ctx);

#endif
