/*
 * inventory.h - products, their versions and the SBOM revisions of each
 * version, stored: import (parse, keep the original, store components and
 * the dependency graph, audit, emit "sbom.imported"), history, originals,
 * retention, diff and the component list.
 *
 * Rules:
 *  - Every change is one transaction with its audit record; a refused import
 *    stores nothing.
 *  - Re-importing for a version adds a revision (1, 2, ...); nothing is
 *    overwritten. Originals are kept byte for byte (zstd, by SHA-256).
 *  - Nothing is deleted before its retention end: the later of the product's
 *    support end and placing on the market + 10 years (upload + 10 years when
 *    the product has no placing date). A refused deletion is audited too.
 *  - Domain functions fill typed structs (sbom/product.h for products,
 *    versions and revisions; below for stored components and diffs) that the
 *    caller releases with the matching *_release(). JSON is made from them
 *    only at the edges (API, CLI --json, pages) by the *_to_json() functions,
 *    which return new references.
 */
#ifndef VIGIL_SBOM_INVENTORY_H
#define VIGIL_SBOM_INVENTORY_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/json.h"
#include "sbom/product.h"
#include "sbom/validate.h"

struct store;
struct vg_error;

struct product_info {
	const char *name;
	const char *vendor;           /* NULL: none / unchanged */
	const char *cra_class;        /* default, important-1, important-2, critical */
	const char *support_until;    /* YYYY-MM */
	const char *placed_on_market; /* YYYY-MM-DD */
	int public_set;               /* 1: is_public is given (else unchanged; new: 0) */
	int is_public;                /* 1: offered on the public portal's product list */
	const char *sbom_policy;      /* strict, standard, or default (the setting
				       * sbom.policy); NULL: unchanged (new: default) */
	const char *quality_profile;  /* ntia, bsi-tr-03183-2, or none; NULL:
				       * unchanged (new: none) */
};

/*
 * The checks product_create() (creating = 1) and product_update() make,
 * without storing anything: VG_OK, or VG_EINVAL with *field (may be NULL)
 * the first field in error ("name", "vendor", "cra_class",
 * "support_until", "placed_on_market", "sbom_policy", "quality_profile"), for forms that show the
 * error beside it.
 */
int product_check(const struct product_info *p, int creating, const char **field,
		  struct vg_error *err) VG_MUST_CHECK;
int product_create(struct store *s, const struct product_info *p,
		   struct vg_error *err) VG_MUST_CHECK;
/* Change the non-NULL fields of product p->name. */
int product_update(struct store *s, const struct product_info *p,
		   struct vg_error *err) VG_MUST_CHECK;
/* (Reading products and versions: sbom/product.h.) */

struct sbom_import_req {
	const char *product;
	const char *version;
	const char *data;
	size_t n;
	const char *filename; /* for messages; "request body" for the API */
	int create_product;   /* create the product when missing (Dependency-Track autoCreate) */
};

struct sbom_import_result {
	int64_t sbom_id;
	int64_t revision;
	int64_t components;
	int64_t edges;
	char sha256[65];
	char format[16];
	char encoding[16];
	char spec_version[16];
	int held;                      /* 1 when held for dropping most components */
	char held_reason[256];         /* why, when held */
	char policy[16];               /* the policy applied: strict, standard */
	int64_t violations;            /* violations kept with the revision (standard) */
	int quality_ntia, quality_bsi; /* scores 0-100 (sbom/quality.h) */
	int ntia_ok, bsi_ok;           /* 1: every required rule of the profile passed */
};

/*
 * The violations of a document's official schema or spec: kept with a
 * revision imported under standard, or why a document was refused (then
 * some are fatal). Each has its place (JSON pointer, or line) and what was
 * expected. items are owned; release with sbom_violation_list_release().
 */
struct sbom_violation_list {
	struct sbom_validation_error *items;
	size_t n;
	size_t n_dropped; /* past SBOM_VALIDATE_MAX_ERRORS: counted, not kept */
};
void sbom_violation_list_release(struct sbom_violation_list *l);
/* [{"pointer" or "line", "schema", "message", "fatal"}]; new reference. */
json_t *sbom_violations_to_json(const struct sbom_violation_list *l);
/* The violations kept with revision sbom_id, in document order. */
int sbom_violations(struct store *s, int64_t sbom_id, struct sbom_violation_list *out,
		    struct vg_error *err) VG_MUST_CHECK;

/*
 * The import policy of product (its own, else the setting sbom.policy, else
 * standard; a product that does not exist yet gets the global one).
 * VG_EINVAL when the setting holds something else (err names it).
 */
int sbom_product_policy(struct store *s, const char *product, enum sbom_policy *out,
			struct vg_error *err) VG_MUST_CHECK;

/*
 * sbom_check() under a policy: the violations (kept or refusing) into *viol
 * (may be NULL; released by the caller whatever the result). Under standard
 * dangling relationships are dropped and listed as violations.
 */
int sbom_check_policy(const char *data, size_t n, const char *filename, enum sbom_policy policy,
		      struct sbom_doc **out, struct sbom_violation_list *viol,
		      struct vg_error *err) VG_MUST_CHECK;

struct sbom_doc;
/*
 * Check a document without storing it: detect the format, validate it against
 * the official schema of its specification version (sbom/validate.h), then
 * parse it (duplicate refs, dangling dependencies). *out (may be NULL)
 * receives the parsed model (sbom_doc_free()); *report (may be NULL) the
 * validation result as JSON (caller owns; set even on failure).
 */
int sbom_check(const char *data, size_t n, const char *filename, struct sbom_doc **out,
	       json_t **report, struct vg_error *err) VG_MUST_CHECK;

/*
 * Parse, validate and store one SBOM. The uploader is the store's actor.
 * A revision that drops more than half of the components (by identity) of
 * the version's newest revision in force is stored but held (out->held,
 * out->held_reason; "sbom.held" is emitted after "sbom.imported", whose
 * payload then has "held": true): its findings are not reconciled until a
 * person approves it (sbom_approve()).
 */
int sbom_import(struct store *s, const struct sbom_import_req *r, struct sbom_import_result *out,
		struct vg_error *err) VG_MUST_CHECK;
/*
 * sbom_import() under the product's policy (sbom_product_policy()): strict
 * refuses any violation, standard stores a document whose violations are
 * none fatal and keeps them with the revision (sbom_violations()). Every
 * import measures the document's quality (sbom/quality.h) and stores it.
 * *viol (may be NULL; the caller releases it whatever the result) receives
 * the violations: those kept, or every one that refused the document.
 */
int sbom_import_ex(struct store *s, const struct sbom_import_req *r, struct sbom_import_result *out,
		   struct sbom_violation_list *viol, struct vg_error *err) VG_MUST_CHECK;

/*
 * Hold revision id for a person, with the reason (audited "sbom.hold",
 * then the event "sbom.held"). The triage room holds a revision whose
 * reconciliation would retract findings of actively exploited
 * vulnerabilities. VG_OK when held already (the first reason stands).
 */
int sbom_hold(struct store *s, int64_t id, const char *reason, struct vg_error *err) VG_MUST_CHECK;
/*
 * A person (the store's actor; admin or psirt at the edges) approves held
 * revision id: audited "sbom.approve", then the event "sbom.approved", on
 * which the triage room reconciles the revision's findings (retracting
 * what it no longer has). VG_ESTATE when not held or approved already.
 */
int sbom_approve(struct store *s, int64_t id, struct vg_error *err) VG_MUST_CHECK;

/* (The revisions of a product: sbom_revision_list() in sbom/product.h.) */
/* The original bytes (malloc'ed into *data), checked against their SHA-256. The read is
 * audited. */
int sbom_original(struct store *s, int64_t id, char **data, size_t *n,
		  struct vg_error *err) VG_MUST_CHECK;
/* Delete a revision; VG_ERETAIN (audited) before its retention end. */
int sbom_delete(struct store *s, int64_t id, struct vg_error *err) VG_MUST_CHECK;
/* The newest revision of product/version, in *id. VG_ENOTFOUND when none. */
int sbom_latest(struct store *s, const char *product, const char *version, int64_t *id,
		struct vg_error *err) VG_MUST_CHECK;

/* One stored component of a revision. Strings are NULL when absent. */
struct sbom_stored_component {
	int64_t idx;
	const char *ref;
	const char *name;
	const char *group;
	const char *version;
	const char *type;
	const char *purl;
	const char *identity; /* the diff identity (purl without version, or group/name) */
	const char *cpe;
	const char *supplier;
	const char *licenses;
	const char *hashes_json; /* JSON text */
	const char *extra_json;  /* JSON text */
};

/* One dependency edge between two components (by idx). */
struct sbom_stored_edge {
	int64_t from;
	int64_t to;
	const char *kind;
};

/*
 * A revision with (some of) its components and edges. The arena owns the
 * arrays and their strings; rev owns its own (sbom/product.h). Release with
 * sbom_contents_release().
 */
struct sbom_contents {
	struct sbom_revision rev;
	struct sbom_violation_list violations; /* sbom_show() only */
	struct sbom_stored_component *components;
	size_t n_components;
	struct sbom_stored_edge *edges;
	size_t n_edges;
	struct vg_arena arena;
};
void sbom_contents_release(struct sbom_contents *c);

/* One revision: metadata, every component and dependency. */
int sbom_show(struct store *s, int64_t id, struct sbom_contents *out,
	      struct vg_error *err) VG_MUST_CHECK;

/*
 * Components of the newest revision of product/version (out->rev is that
 * revision; no edges): filtered by q (a substring of name, purl or license,
 * case-insensitive), ordered by name, version, paged.
 */
int sbom_components(struct store *s, const char *product, const char *version, const char *q,
		    int64_t limit, int64_t offset, struct sbom_contents *out,
		    struct vg_error *err) VG_MUST_CHECK;

/* What changed between the newest revisions of two versions. */
enum sbom_change_kind {
	SBOM_ADDED,
	SBOM_REMOVED,
	SBOM_UPGRADED,
	SBOM_DOWNGRADED,
	SBOM_CHANGED, /* another version, order unknown */
	SBOM_LICENSE_CHANGED,
	SBOM_CHANGE_KINDS
};
/* added/removed: identity, name, version, purl, licenses; upgraded,
 * downgraded, changed: identity, name, from, to (versions), purl; license
 * changes: identity, name, version, from, to (licenses). */
struct sbom_change {
	const char *identity, *name, *version, *purl, *licenses, *from, *to;
};
struct sbom_diff {
	const char *product, *from, *to;
	int64_t from_sbom, to_sbom;
	struct sbom_change *changes[SBOM_CHANGE_KINDS];
	size_t n[SBOM_CHANGE_KINDS];
	struct vg_arena arena; /* owns the strings */
};
void sbom_diff_release(struct sbom_diff *d);
/* The names of the kinds as in JSON: "added", ..., "license_changes". */
const char *sbom_change_kind_name(enum sbom_change_kind k);

/*
 * Diff of the newest revisions of two versions: added, removed, upgraded,
 * downgraded, changed (other version, order unknown) and license changes.
 * Identity is the purl without version (fallback: group/name + supplier).
 */
int sbom_diff(struct store *s, const char *product, const char *from, const char *to,
	      struct sbom_diff *out, struct vg_error *err) VG_MUST_CHECK;

/* ---- JSON at the edges (new references) ---- */

/* (Products, versions and revisions: sbom/product.h.) */
/* A component. SBOM_COMPONENT_FULL adds identity and extra (sbom show). */
enum { SBOM_COMPONENT_FULL = 1 };
json_t *sbom_component_to_json(const struct sbom_stored_component *c, int flags);
/* sbom show: the revision, primary_idx, component_list, dependency_list,
 * violation_list (the violations kept under standard). */
json_t *sbom_contents_to_json(const struct sbom_contents *c);
/* The diff: product, from, to, from_sbom, to_sbom, summary and one array per kind. */
json_t *sbom_diff_to_json(const struct sbom_diff *d);

/* `vigil product` and `vigil sbom` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_product(struct cli *c, int argc, char **argv);
int cmd_sbom(struct cli *c, int argc, char **argv);

#endif
