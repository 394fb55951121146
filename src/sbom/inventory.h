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
 *  - JSON results are owned by the caller (json_decref).
 */
#ifndef VIGIL_SBOM_INVENTORY_H
#define VIGIL_SBOM_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;

struct product_info {
	const char *name;
	const char *vendor;           /* NULL: none / unchanged */
	const char *cra_class;        /* default, important-1, important-2, critical */
	const char *support_until;    /* YYYY-MM */
	const char *placed_on_market; /* YYYY-MM-DD */
};

int product_create(struct store *s, const struct product_info *p, struct vg_error *err);
/* Change the non-NULL fields of product p->name. */
int product_update(struct store *s, const struct product_info *p, struct vg_error *err);
int product_list_json(struct store *s, json_t **out, struct vg_error *err);
/* One product with its versions and the number of SBOM revisions of each. */
int product_show_json(struct store *s, const char *name, json_t **out, struct vg_error *err);

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
};

struct sbom_doc;
/*
 * Check a document without storing it: detect the format, validate it against
 * the official schema of its specification version (sbom/validate.h), then
 * parse it (duplicate refs, dangling dependencies). *out (may be NULL)
 * receives the parsed model (sbom_doc_free()); *report (may be NULL) the
 * validation result as JSON (caller owns; set even on failure).
 */
int sbom_check(const char *data, size_t n, const char *filename, struct sbom_doc **out,
	       json_t **report, struct vg_error *err);

/* Parse, validate and store one SBOM. The uploader is the store's actor. */
int sbom_import(struct store *s, const struct sbom_import_req *r, struct sbom_import_result *out,
		struct vg_error *err);

/* Revisions of a product (and version, when not NULL), newest first. */
int sbom_list_json(struct store *s, const char *product, const char *version, json_t **out,
		   struct vg_error *err);
/* One revision: metadata, components and dependencies. */
int sbom_show_json(struct store *s, int64_t id, json_t **out, struct vg_error *err);
/* The original bytes (malloc'ed into *data), checked against their SHA-256. The read is
 * audited. */
int sbom_original(struct store *s, int64_t id, char **data, size_t *n, struct vg_error *err);
/* Delete a revision; VG_ERETAIN (audited) before its retention end. */
int sbom_delete(struct store *s, int64_t id, struct vg_error *err);
/* The newest revision of product/version, in *id. VG_ENOTFOUND when none. */
int sbom_latest(struct store *s, const char *product, const char *version, int64_t *id,
		struct vg_error *err);

/*
 * Components of the newest revision of product/version: filtered by q (a
 * substring of name, purl or license, case-insensitive), paged.
 */
int sbom_components_json(struct store *s, const char *product, const char *version, const char *q,
			 int64_t limit, int64_t offset, json_t **out, struct vg_error *err);

/*
 * Diff of the newest revisions of two versions: added, removed, upgraded,
 * downgraded, changed (other version, order unknown) and license changes.
 * Identity is the purl without version (fallback: group/name + supplier).
 */
int sbom_diff_json(struct store *s, const char *product, const char *from, const char *to,
		   json_t **out, struct vg_error *err);

/* `vigil product` and `vigil sbom` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_product(struct cli *c, int argc, char **argv);
int cmd_sbom(struct cli *c, int argc, char **argv);

#endif
