/*
 * product.h - products and their versions as typed objects, and the sbom
 * room's public read interface for every other room.
 *
 * WHAT OTHER ROOMS MAY USE (vuln, triage, notify, psirt, reach, app ...):
 * the sbom room owns the tables products, product_versions, sboms,
 * components, dependencies. Other rooms never name those tables in SQL.
 * They read them through:
 *
 *  1. The functions below (a product by name or id, a version by (product,
 *     version) or id, the list of products, one SBOM revision), which
 *     return typed structs.
 *
 *  2. These SQL views (migration 0013), which other rooms may SELECT from
 *     and JOIN in their own queries (the findings queue joins
 *     sbom_version_view on every page, so the views stay plain: SQLite and
 *     PostgreSQL both inline them and use the tables' indexes):
 *
 *     sbom_version_view    one row per product version
 *        version_id, product_id, product (name), vendor, version,
 *        created_at, latest_sbom_id (newest revision; NULL when none)
 *     sbom_product_view    one row per product (single table: safe as the
 *                          right side of a LEFT JOIN)
 *        product_id, product (name), vendor, cra_class, support_until,
 *        placed_on_market, created_at, public (1: the product may be named
 *        to the public, e.g. on the CVD portal's product list; 0018)
 *     sbom_revision_view   one row per SBOM revision (single table)
 *        sbom_id, version_id, revision, format, spec_version,
 *        uploaded_at, component_count, primary_idx
 *     sbom_component_view  one row per component of a revision (single
 *                          table: safe as the right side of a LEFT JOIN)
 *        component_id, sbom_id, idx, ref, name, grp, version, type, purl,
 *        cpe, supplier, licenses
 *
 *     Typical joins:
 *       findings f JOIN sbom_version_view v ON v.version_id = f.version_id
 *       ... f.version_id IN (SELECT version_id FROM sbom_version_view
 *                            WHERE product = ?)
 *       sla_policies sp LEFT JOIN sbom_product_view p
 *                            ON p.product_id = sp.product_id
 *       findings f LEFT JOIN sbom_component_view c
 *                            ON c.component_id = f.component_id
 *       sbom_component_view c JOIN sbom_revision_view s
 *                            ON s.sbom_id = c.sbom_id
 *
 *     Columns are only ever added to these views, never renamed or removed.
 *
 * Rules:
 *  - Structs filled by these functions own their strings (malloc'ed); free
 *    them with the matching *_release(). A released struct is zeroed and can
 *    be filled again. On failure the out struct is left released (zeroed).
 *  - Lookups that find nothing return VG_ENOTFOUND with a message naming
 *    what was asked for.
 *  - JSON is made from these structs only at the edges (API, CLI --json,
 *    pages) by product_to_json(), product_show_to_json(),
 *    product_version_to_json() and sbom_revision_to_json().
 */
#ifndef VIGIL_SBOM_PRODUCT_H
#define VIGIL_SBOM_PRODUCT_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;

struct product {
	int64_t id;
	char *name;
	char *vendor;               /* NULL: none */
	char *cra_class;            /* default, important-1, important-2, critical */
	char *support_until;        /* YYYY-MM; NULL: not set */
	char *placed_on_market;     /* YYYY-MM-DD; NULL: not set */
	int64_t created_at;         /* epoch seconds */
	int64_t version_count;      /* number of versions; -1 when not counted */
	int is_public;              /* 1: offered on the public portal's product list */
	char *sbom_policy;          /* strict, standard; NULL: the global default sbom.policy */
	char *sbom_quality_profile; /* ntia, bsi-tr-03183-2; NULL: none (issue 14) */
};

struct product_list {
	struct product *items;
	size_t n;
};

struct product_version {
	int64_t id;
	int64_t product_id;
	char *product; /* the product's name */
	char *vendor;  /* the product's vendor; NULL: none */
	char *version;
	int64_t created_at;     /* epoch seconds */
	int64_t revisions;      /* number of SBOM revisions */
	int64_t last_upload_at; /* epoch seconds of the newest revision; 0: none */
	int64_t latest_sbom_id; /* id of the newest revision; 0: none */
	/* quality of the newest revision (sbom/quality.h): scores 0-100, -1 when
	 * not measured; meets_profile 1/0 against the product's
	 * sbom_quality_profile, -1 when there is no profile or no measure */
	int64_t quality_ntia, quality_bsi;
	int meets_profile;
};

struct product_version_list {
	struct product_version *items;
	size_t n;
};

/* One SBOM revision's metadata (no components). */
struct sbom_revision {
	int64_t id;
	int64_t version_id;
	int64_t product_id;
	char *product; /* the product's name */
	char *version; /* the product version */
	int64_t revision;
	char *format;       /* cyclonedx, spdx */
	char *encoding;     /* json, xml, tag-value ... */
	char *spec_version; /* "1.6", "SPDX-2.3" ... */
	char *serial;       /* NULL: none */
	char *sha256;       /* of the original */
	char *filename;     /* NULL: none */
	char *uploaded_by;
	char *uploaded_from;
	int64_t uploaded_at;
	int64_t retain_until;
	int64_t component_count;
	int64_t edge_count;
	int64_t primary_idx;    /* index of the primary component; -1: none */
	int64_t latest_sbom_id; /* newest revision of the same version */
	/* A revision held for a person (sbom_hold(), sbom_approve() in
	 * sbom/inventory.h): its findings are not reconciled while held. */
	char *held_reason;   /* NULL: never held */
	int64_t held_at;     /* 0: never held */
	int64_t approved_at; /* 0: not approved */
	char *approved_by;   /* NULL: not approved */
	/* issue 14: the policy it was imported under (NULL: before policies),
	 * its violations kept (sbom_violations()), quality scores 0-100 and
	 * whether every check of the profile passed (-1: not measured) */
	char *policy;
	int64_t violation_count;
	int64_t quality_ntia, quality_bsi;
	int ntia_ok, bsi_ok;
};
/* 1 when r is held and not yet approved. */
#define SBOM_REVISION_HELD(r) ((r)->held_reason && !(r)->approved_at)

struct sbom_revision_list {
	struct sbom_revision *items;
	size_t n;
};

void product_release(struct product *p);
void product_list_release(struct product_list *l);
void product_version_release(struct product_version *v);
void product_version_list_release(struct product_version_list *l);
void sbom_revision_release(struct sbom_revision *r);
void sbom_revision_list_release(struct sbom_revision_list *l);

/* The product called name (version_count is counted). VG_ENOTFOUND when none. */
/* (The import policy of a product: sbom_product_policy() in sbom/inventory.h.) */
int product_get(struct store *s, const char *name, struct product *out,
		struct vg_error *err) VG_MUST_CHECK;
/* The product with this id (version_count is counted). VG_ENOTFOUND when none. */
int product_get_by_id(struct store *s, int64_t id, struct product *out,
		      struct vg_error *err) VG_MUST_CHECK;
/* Every product, by name, with version_count. *out owned by the caller. */
int product_list(struct store *s, struct product_list *out, struct vg_error *err) VG_MUST_CHECK;

/* Version `version` of product `product`. VG_ENOTFOUND when either is missing. */
int product_version_get(struct store *s, const char *product, const char *version,
			struct product_version *out, struct vg_error *err) VG_MUST_CHECK;
/* The product version with this id. VG_ENOTFOUND when none. */
int product_version_get_by_id(struct store *s, int64_t id, struct product_version *out,
			      struct vg_error *err) VG_MUST_CHECK;
/* The versions of a product, oldest first. *out owned by the caller. */
int product_version_list(struct store *s, int64_t product_id, struct product_version_list *out,
			 struct vg_error *err) VG_MUST_CHECK;

/* A product (*p) with its versions (*versions), for product show. Both
 * owned by the caller; on failure both are released. */
int product_show(struct store *s, const char *name, struct product *p,
		 struct product_version_list *versions, struct vg_error *err) VG_MUST_CHECK;

/* One SBOM revision's metadata. VG_ENOTFOUND when none. */
int sbom_revision_get(struct store *s, int64_t id, struct sbom_revision *out,
		      struct vg_error *err) VG_MUST_CHECK;
/* Revisions of a product (and version, when not NULL), newest first.
 * VG_ENOTFOUND when the product does not exist. */
int sbom_revision_list(struct store *s, const char *product, const char *version,
		       struct sbom_revision_list *out, struct vg_error *err) VG_MUST_CHECK;

/*
 * JSON at the edges. product_to_json: name, vendor, cra_class,
 * support_until, placed_on_market, created_at (RFC 3339), public (boolean),
 * and "versions"
 * (the count) when version_count >= 0. product_version_to_json: version,
 * created_at, revisions, last_upload_at (null when none). New references.
 */
json_t *product_to_json(const struct product *p);
json_t *product_version_to_json(const struct product_version *v);
/* A product with its versions (product show): product_to_json() with
 * "versions" the array of product_version_to_json(). */
json_t *product_show_to_json(const struct product *p, const struct product_version_list *v);
/* A revision as listed: id, product, version, revision, format, encoding,
 * spec_version, serial, filename, sha256, uploaded_by, uploaded_from,
 * uploaded_at, retain_until_at, components, dependencies, held (bool: held
 * and not approved), held_reason, held_at, approved_at, approved_by (null
 * when not set), policy, violations (the count), quality {ntia, bsi: score,
 * ntia_ok, bsi_ok} (null when not measured). */
json_t *sbom_revision_to_json(const struct sbom_revision *r);

/*
 * The devices in the field that run a product version, by channel (the
 * fleet exposure of issue 19). Devices belong to the update room, which
 * registers the provider at start-up (fleet_init()); rooms that show a
 * version's exposure (a finding, a vulnerability, a case, an Article 14
 * draft) ask here without knowing about devices. Without a provider every
 * version has none.
 */
#define SBOM_FLEET_CHANNELS 16 /* channels counted one by one; the rest are "other" */
struct sbom_fleet {
	int64_t devices; /* active devices that last reported this version */
	size_t n_channels;
	struct {
		char channel[64]; /* "" for devices without a channel */
		int64_t devices;
	} channels[SBOM_FLEET_CHANNELS];
};
typedef int (*sbom_fleet_fn)(struct store *s, int64_t version_id, struct sbom_fleet *out,
			     struct vg_error *err);
void sbom_set_fleet_provider(sbom_fleet_fn fn);
/* The devices running version_id into *out (zeroed first). */
int sbom_version_fleet(struct store *s, int64_t version_id, struct sbom_fleet *out,
		       struct vg_error *err) VG_MUST_CHECK;
/* The same for a product version by names; a version the product does not
 * have (or no provider) has none: VG_OK with zero devices. */
int sbom_version_fleet_by_name(struct store *s, const char *product, const char *version,
			       struct sbom_fleet *out, struct vg_error *err) VG_MUST_CHECK;
/* Appends "N devices (beta 3, stable 5)" as plain text to b. */
struct vg_buf;
int sbom_fleet_text(struct vg_buf *b, const struct sbom_fleet *f);

#endif
