#define _POSIX_C_SOURCE 200809L
#include "sbom/product.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* ---- lifecycle ---- */

void product_release(struct product *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->vendor);
	free(p->cra_class);
	free(p->support_until);
	free(p->placed_on_market);
	free(p->sbom_policy);
	free(p->sbom_quality_profile);
	memset(p, 0, sizeof(*p));
}

void product_list_release(struct product_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		product_release(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void product_version_release(struct product_version *v)
{
	if (!v)
		return;
	free(v->product);
	free(v->vendor);
	free(v->version);
	memset(v, 0, sizeof(*v));
}

void product_version_list_release(struct product_version_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		product_version_release(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void sbom_revision_release(struct sbom_revision *r)
{
	if (!r)
		return;
	free(r->product);
	free(r->version);
	free(r->format);
	free(r->encoding);
	free(r->spec_version);
	free(r->serial);
	free(r->sha256);
	free(r->filename);
	free(r->uploaded_by);
	free(r->uploaded_from);
	free(r->held_reason);
	free(r->approved_by);
	free(r->policy);
	memset(r, 0, sizeof(*r));
}

void sbom_revision_list_release(struct sbom_revision_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		sbom_revision_release(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* ---- reading rows ---- */

/*
 * Run sql with binds of types ("t": the next of tv[], "i": iv) and hand each
 * row to fill(), which fills a zeroed element of size sz of a growing
 * array. *items and *n receive the array. On error nothing is returned.
 */
typedef int (*row_fill_fn)(struct store_stmt *st, void *elem);
typedef void (*elem_release_fn)(void *elem);

static int query_list(struct store *s, const char *sql, const char *types, const char *const *tv,
		      int64_t iv, size_t sz, row_fill_fn fill, elem_release_fn rel, void **items,
		      size_t *n, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	char *arr = NULL;
	size_t cnt = 0, cap = 0;
	int rc = store_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	for (int i = 0, t = 0; types[i]; i++) {
		if (types[i] == 't')
			store_bind_text(st, i + 1, tv[t++]);
		else
			store_bind_int64(st, i + 1, iv);
	}
	while ((rc = store_step(st, err)) == STORE_ROW) {
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 8;
			char *na = realloc(arr, nc * sz);
			if (!na) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			arr = na;
			cap = nc;
		}
		memset(arr + cnt * sz, 0, sz);
		cnt++;
		if (fill(st, arr + (cnt - 1) * sz)) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
	}
	store_finalize(st);
	if (rc != STORE_DONE) {
		for (size_t i = 0; i < cnt; i++)
			rel(arr + i * sz);
		free(arr);
		return rc;
	}
	*items = arr;
	*n = cnt;
	return VG_OK;
}

/* ---- products ---- */

#define PRODUCT_COLS                                                                          \
	"p.id, p.name, p.vendor, p.cra_class, p.support_until, p.placed_on_market, "          \
	"p.created_at, (SELECT COUNT(*) FROM product_versions v WHERE v.product_id = p.id), " \
	"p.public, p.sbom_policy, p.sbom_quality_profile FROM products p "

static int fill_product(struct store_stmt *st, void *elem)
{
	struct product *p = elem;
	int oom = 0;
	p->id = store_col_int64(st, 0);
	p->name = store_col_dup(st, 1, &oom);
	p->vendor = store_col_dup(st, 2, &oom);
	p->cra_class = store_col_dup(st, 3, &oom);
	p->support_until = store_col_dup(st, 4, &oom);
	p->placed_on_market = store_col_dup(st, 5, &oom);
	p->created_at = store_col_int64(st, 6);
	p->version_count = store_col_int64(st, 7);
	p->is_public = store_col_int64(st, 8) != 0;
	p->sbom_policy = store_col_dup(st, 9, &oom);
	p->sbom_quality_profile = store_col_dup(st, 10, &oom);
	return oom;
}

static void rel_product(void *elem)
{
	product_release(elem);
}

static int product_one(struct store *s, const char *sql, const char *name, int64_t id,
		       struct product *out, struct vg_error *err)
{
	struct product *items = NULL;
	size_t n = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	rc = query_list(s, sql, name ? "t" : "i", &name, id, sizeof(*items), fill_product,
			rel_product, (void **)&items, &n, err);
	if (rc)
		return rc;
	if (!n) {
		free(items);
		if (name)
			return vg_error_set(
			    err, VG_ENOTFOUND,
			    "no product '%s' (create it with 'vigil product create')", name);
		return vg_error_set(err, VG_ENOTFOUND, "no product with id %lld", (long long)id);
	}
	*out = items[0];
	for (size_t i = 1; i < n; i++)
		product_release(&items[i]);
	free(items);
	return VG_OK;
}

int product_get(struct store *s, const char *name, struct product *out, struct vg_error *err)
{
	if (!name) {
		memset(out, 0, sizeof(*out));
		return vg_error_set(err, VG_EINVAL, "no product name given");
	}
	return product_one(s, "SELECT " PRODUCT_COLS "WHERE p.name = ?", name, 0, out, err);
}

int product_get_by_id(struct store *s, int64_t id, struct product *out, struct vg_error *err)
{
	return product_one(s, "SELECT " PRODUCT_COLS "WHERE p.id = ?", NULL, id, out, err);
}

int product_list(struct store *s, struct product_list *out, struct vg_error *err)
{
	memset(out, 0, sizeof(*out));
	return query_list(s, "SELECT " PRODUCT_COLS "ORDER BY p.name", "", NULL, 0,
			  sizeof(*out->items), fill_product, rel_product, (void **)&out->items,
			  &out->n, err);
}

/* ---- versions ---- */

#define VERSION_COLS                                                                             \
	"v.id, v.product_id, p.name, p.vendor, v.version, v.created_at, (SELECT COUNT(*) FROM "  \
	"sboms b WHERE b.version_id = v.id), (SELECT MAX(b.uploaded_at) FROM sboms b WHERE "     \
	"b.version_id = v.id), (SELECT MAX(b.id) FROM sboms b WHERE b.version_id = v.id), "      \
	"q.quality_ntia, q.quality_bsi, CASE p.sbom_quality_profile WHEN 'ntia' THEN q.ntia_ok " \
	"WHEN 'bsi-tr-03183-2' THEN q.bsi_ok END FROM product_versions v JOIN products p ON "    \
	"p.id = v.product_id LEFT JOIN sboms q ON q.id = (SELECT MAX(l.id) FROM sboms l WHERE "  \
	"l.version_id = v.id) "

static int fill_version(struct store_stmt *st, void *elem)
{
	struct product_version *v = elem;
	int oom = 0;
	v->id = store_col_int64(st, 0);
	v->product_id = store_col_int64(st, 1);
	v->product = store_col_dup(st, 2, &oom);
	v->vendor = store_col_dup(st, 3, &oom);
	v->version = store_col_dup(st, 4, &oom);
	v->created_at = store_col_int64(st, 5);
	v->revisions = store_col_int64(st, 6);
	v->last_upload_at = store_col_int64_or(st, 7, 0);
	v->latest_sbom_id = store_col_int64_or(st, 8, 0);
	v->quality_ntia = store_col_int64_or(st, 9, -1);
	v->quality_bsi = store_col_int64_or(st, 10, -1);
	v->meets_profile = (int)store_col_int64_or(st, 11, -1);
	return oom;
}

static void rel_version(void *elem)
{
	product_version_release(elem);
}

static int version_one(struct store *s, const char *sql, const char *product, int64_t id,
		       const char *version, struct product_version *out, struct vg_error *err)
{
	struct product_version *items = NULL;
	size_t n = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	const char *tv[2] = {product, version};
	rc = query_list(s, sql, product ? "tt" : "i", tv, id, sizeof(*items), fill_version,
			rel_version, (void **)&items, &n, err);
	if (rc)
		return rc;
	if (!n) {
		free(items);
		if (product)
			return vg_error_set(err, VG_ENOTFOUND,
					    "product '%s' version '%s' not found", product,
					    version);
		return vg_error_set(err, VG_ENOTFOUND, "no product version with id %lld",
				    (long long)id);
	}
	*out = items[0];
	for (size_t i = 1; i < n; i++)
		product_version_release(&items[i]);
	free(items);
	return VG_OK;
}

int product_version_get(struct store *s, const char *product, const char *version,
			struct product_version *out, struct vg_error *err)
{
	if (!product || !version) {
		memset(out, 0, sizeof(*out));
		return vg_error_set(err, VG_EINVAL, "a product and a version are needed");
	}
	return version_one(s, "SELECT " VERSION_COLS "WHERE p.name = ? AND v.version = ?", product,
			   0, version, out, err);
}

int product_version_get_by_id(struct store *s, int64_t id, struct product_version *out,
			      struct vg_error *err)
{
	return version_one(s, "SELECT " VERSION_COLS "WHERE v.id = ?", NULL, id, NULL, out, err);
}

int product_version_list(struct store *s, int64_t product_id, struct product_version_list *out,
			 struct vg_error *err)
{
	memset(out, 0, sizeof(*out));
	return query_list(
	    s, "SELECT " VERSION_COLS "WHERE v.product_id = ? ORDER BY v.created_at, v.id", "i",
	    NULL, product_id, sizeof(*out->items), fill_version, rel_version, (void **)&out->items,
	    &out->n, err);
}

int product_show(struct store *s, const char *name, struct product *p,
		 struct product_version_list *versions, struct vg_error *err)
{
	int rc = product_get(s, name, p, err);
	memset(versions, 0, sizeof(*versions));
	if (!rc)
		rc = product_version_list(s, p->id, versions, err);
	if (rc)
		product_release(p);
	return rc;
}

/* ---- SBOM revisions ---- */

#define REVISION_COLS                                                                             \
	"b.id, b.version_id, v.product_id, p.name, v.version, b.revision, b.format, b.encoding, " \
	"b.spec_version, b.serial, b.original_sha256, b.filename, b.uploaded_by, "                \
	"b.uploaded_from, b.uploaded_at, b.retain_until, b.component_count, b.edge_count, "       \
	"b.primary_idx, (SELECT MAX(l.id) FROM sboms l WHERE l.version_id = b.version_id), "      \
	"b.held_reason, b.held_at, b.approved_at, b.approved_by, b.policy, b.violation_count, "   \
	"b.quality_ntia, b.quality_bsi, b.ntia_ok, b.bsi_ok FROM "                                \
	"sboms b JOIN product_versions v ON v.id = b.version_id JOIN products p ON p.id = "       \
	"v.product_id "

static int fill_revision(struct store_stmt *st, void *elem)
{
	struct sbom_revision *r = elem;
	int oom = 0;
	r->id = store_col_int64(st, 0);
	r->version_id = store_col_int64(st, 1);
	r->product_id = store_col_int64(st, 2);
	r->product = store_col_dup(st, 3, &oom);
	r->version = store_col_dup(st, 4, &oom);
	r->revision = store_col_int64(st, 5);
	r->format = store_col_dup(st, 6, &oom);
	r->encoding = store_col_dup(st, 7, &oom);
	r->spec_version = store_col_dup(st, 8, &oom);
	r->serial = store_col_dup(st, 9, &oom);
	r->sha256 = store_col_dup(st, 10, &oom);
	r->filename = store_col_dup(st, 11, &oom);
	r->uploaded_by = store_col_dup(st, 12, &oom);
	r->uploaded_from = store_col_dup(st, 13, &oom);
	r->uploaded_at = store_col_int64(st, 14);
	r->retain_until = store_col_int64(st, 15);
	r->component_count = store_col_int64(st, 16);
	r->edge_count = store_col_int64(st, 17);
	r->primary_idx = store_col_int64_or(st, 18, -1);
	r->latest_sbom_id = store_col_int64_or(st, 19, 0);
	r->held_reason = store_col_dup(st, 20, &oom);
	r->held_at = store_col_int64_or(st, 21, 0);
	r->approved_at = store_col_int64_or(st, 22, 0);
	r->approved_by = store_col_dup(st, 23, &oom);
	r->policy = store_col_dup(st, 24, &oom);
	r->violation_count = store_col_int64_or(st, 25, 0);
	r->quality_ntia = store_col_int64_or(st, 26, -1);
	r->quality_bsi = store_col_int64_or(st, 27, -1);
	r->ntia_ok = (int)store_col_int64_or(st, 28, -1);
	r->bsi_ok = (int)store_col_int64_or(st, 29, -1);
	return oom;
}

static void rel_revision(void *elem)
{
	sbom_revision_release(elem);
}

int sbom_revision_get(struct store *s, int64_t id, struct sbom_revision *out, struct vg_error *err)
{
	struct sbom_revision *items = NULL;
	size_t n = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	rc = query_list(s, "SELECT " REVISION_COLS "WHERE b.id = ?", "i", NULL, id, sizeof(*items),
			fill_revision, rel_revision, (void **)&items, &n, err);
	if (rc)
		return rc;
	if (!n) {
		free(items);
		return vg_error_set(err, VG_ENOTFOUND, "no SBOM with id %lld", (long long)id);
	}
	*out = items[0];
	free(items);
	return VG_OK;
}

int sbom_revision_list(struct store *s, const char *product, const char *version,
		       struct sbom_revision_list *out, struct vg_error *err)
{
	struct product p;
	const char *tv[3] = {product, version, version};
	int rc = product_get(s, product, &p, err);
	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	product_release(&p);
	return query_list(s,
			  "SELECT " REVISION_COLS "WHERE p.name = ? AND (CAST(? AS TEXT) IS NULL "
			  "OR v.version = ?) ORDER BY b.uploaded_at DESC, b.id DESC",
			  "ttt", tv, 0, sizeof(*out->items), fill_revision, rel_revision,
			  (void **)&out->items, &out->n, err);
}

/* ---- JSON at the edges ---- */

json_t *product_to_json(const struct product *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", vg_json_text(p->name));
	json_object_set_new(o, "vendor", vg_json_text(p->vendor));
	json_object_set_new(o, "cra_class", vg_json_text(p->cra_class));
	json_object_set_new(o, "support_until", vg_json_text(p->support_until));
	json_object_set_new(o, "placed_on_market", vg_json_text(p->placed_on_market));
	json_object_set_new(o, "created_at", vg_json_time(p->created_at));
	json_object_set_new(o, "public", json_boolean(p->is_public));
	json_object_set_new(o, "sbom_policy", vg_json_text(p->sbom_policy));
	json_object_set_new(o, "sbom_quality_profile", vg_json_text(p->sbom_quality_profile));
	if (p->version_count >= 0)
		json_object_set_new(o, "versions", json_integer(p->version_count));
	return o;
}

json_t *product_version_to_json(const struct product_version *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "version", vg_json_text(v->version));
	json_object_set_new(o, "created_at", vg_json_time(v->created_at));
	json_object_set_new(o, "revisions", json_integer(v->revisions));
	json_object_set_new(o, "last_upload_at", vg_json_time(v->last_upload_at));
	json_object_set_new(o, "quality",
			    v->quality_ntia < 0
				? json_null()
				: json_pack("{s:I, s:I}", "ntia", (json_int_t)v->quality_ntia,
					    "bsi", (json_int_t)v->quality_bsi));
	json_object_set_new(o, "meets_quality_profile",
			    v->meets_profile < 0 ? json_null() : json_boolean(v->meets_profile));
	return o;
}

json_t *product_show_to_json(const struct product *p, const struct product_version_list *v)
{
	struct product q = *p;
	json_t *o, *arr = json_array();
	q.version_count = -1;
	o = product_to_json(&q);
	for (size_t i = 0; v && i < v->n; i++)
		json_array_append_new(arr, product_version_to_json(&v->items[i]));
	json_object_set_new(o, "versions", arr);
	return o;
}

json_t *sbom_revision_to_json(const struct sbom_revision *r)
{
	char ts[VG_TIME_BUFSZ];
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "product", vg_json_text(r->product));
	json_object_set_new(o, "version", vg_json_text(r->version));
	json_object_set_new(o, "revision", json_integer(r->revision));
	json_object_set_new(o, "format", vg_json_text(r->format));
	json_object_set_new(o, "encoding", vg_json_text(r->encoding));
	json_object_set_new(o, "spec_version", vg_json_text(r->spec_version));
	json_object_set_new(o, "serial", vg_json_text(r->serial));
	json_object_set_new(o, "filename", vg_json_text(r->filename));
	json_object_set_new(o, "sha256", vg_json_text(r->sha256));
	json_object_set_new(o, "uploaded_by", vg_json_text(r->uploaded_by));
	json_object_set_new(o, "uploaded_from", vg_json_text(r->uploaded_from));
	json_object_set_new(o, "uploaded_at",
			    json_string(vg_time_format(r->uploaded_at, ts, sizeof(ts))));
	json_object_set_new(o, "retain_until_at",
			    json_string(vg_time_format(r->retain_until, ts, sizeof(ts))));
	json_object_set_new(o, "components", json_integer(r->component_count));
	json_object_set_new(o, "dependencies", json_integer(r->edge_count));
	json_object_set_new(o, "held", json_boolean(SBOM_REVISION_HELD(r)));
	json_object_set_new(o, "held_reason", vg_json_text(r->held_reason));
	json_object_set_new(o, "held_at", vg_json_time(r->held_at));
	json_object_set_new(o, "approved_at", vg_json_time(r->approved_at));
	json_object_set_new(o, "approved_by", vg_json_text(r->approved_by));
	json_object_set_new(o, "policy", vg_json_text(r->policy));
	json_object_set_new(o, "violations", json_integer(r->violation_count));
	json_object_set_new(o, "quality",
			    r->quality_ntia < 0
				? json_null()
				: json_pack("{s:I, s:I, s:b, s:b}", "ntia",
					    (json_int_t)r->quality_ntia, "bsi",
					    (json_int_t)r->quality_bsi, "ntia_ok", r->ntia_ok == 1,
					    "bsi_ok", r->bsi_ok == 1));
	return o;
}
