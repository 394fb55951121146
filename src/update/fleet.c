/*
 * fleet.c - the fleet exposure (fleet.h): devices joined to product
 * versions and to open findings, and the provider of sbom_version_fleet().
 */
#include "update/fleet.h"
#include "core/text.h"
#include "sbom/product.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define FLEET_ARENA (64u << 20)
#define VULN_ID_MAX 256

/* A device counts while its credential is not revoked. */
#define ACTIVE "(d.revoked_at IS NULL OR d.revoked_at = 0)"

static int finish(int rc, int oom, struct vg_error *err)
{
	if (rc == STORE_DONE)
		rc = VG_OK;
	if (!rc && oom)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	return rc;
}

/* ---- the provider of sbom_version_fleet() ---- */

static int version_fleet(struct store *s, int64_t version_id, struct sbom_fleet *out,
			 struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare_cached(s,
				      "SELECT COALESCE(d.channel, ''), COUNT(*) FROM devices d "
				      "WHERE d.version_id = ? AND " ACTIVE " GROUP BY 1 "
				      "ORDER BY 2 DESC, 1",
				      &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, version_id);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		int64_t n = store_col_int64(st, 1);
		const char *ch = store_col_text(st, 0);
		out->devices += n;
		if (out->n_channels < SBOM_FLEET_CHANNELS - 1 || !out->n_channels) {
			snprintf(out->channels[out->n_channels].channel,
				 sizeof(out->channels[0].channel), "%s", ch ? ch : "");
			out->channels[out->n_channels++].devices = n;
		} else if (out->n_channels == SBOM_FLEET_CHANNELS - 1) {
			snprintf(out->channels[out->n_channels].channel,
				 sizeof(out->channels[0].channel), "other");
			out->channels[out->n_channels++].devices = n;
		} else {
			out->channels[SBOM_FLEET_CHANNELS - 1].devices += n;
		}
	}
	store_finalize(st);
	return finish(rc, 0, err);
}

void fleet_init(void)
{
	sbom_set_fleet_provider(version_fleet);
}

/* ---- rows ---- */

static struct fleet_row *add_row(struct vg_arena *a, struct fleet_row **items, size_t *n,
				 size_t *cap)
{
	struct fleet_row *v = vg_arena_grow(a, *items, *n, cap, sizeof(**items), 16);
	if (!v)
		return NULL;
	*items = v;
	memset(&v[*n], 0, sizeof(v[0]));
	return &v[(*n)++];
}

/*
 * Read the rows of st (product, version, version_id, channel, devices,
 * last_seen[, findings]) into items; *devices sums them. Returns the last
 * store_step() code (STORE_DONE at the end) with *oom set on no memory.
 */
static int read_rows(struct store_stmt *st, struct vg_arena *mem, struct fleet_row **items,
		     size_t *n, int with_findings, int64_t *devices, int *oom, struct vg_error *err)
{
	size_t cap = 0;
	int rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct fleet_row *r = add_row(mem, items, n, &cap);
		if (!r) {
			*oom = 1;
			break;
		}
		r->product = store_col_adup(st, 0, mem, oom);
		r->version = store_col_adup(st, 1, mem, oom);
		r->version_id = store_col_int64(st, 2);
		r->channel = store_col_adup(st, 3, mem, oom);
		r->devices = store_col_int64(st, 4);
		r->last_seen = store_col_int64(st, 5);
		if (with_findings)
			r->findings = store_col_int64(st, 6);
		*devices += r->devices;
	}
	return rc;
}

static json_t *row_to_json(const struct fleet_row *r, int with_findings)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "product", json_string(r->product ? r->product : ""));
	json_object_set_new(o, "version", json_string(r->version ? r->version : ""));
	json_object_set_new(o, "known_version", json_boolean(r->version_id != 0));
	json_object_set_new(o, "channel",
			    r->channel && *r->channel ? json_string(r->channel) : json_null());
	json_object_set_new(o, "devices", json_integer(r->devices));
	json_object_set_new(o, "last_seen",
			    r->last_seen ? vg_json_time(r->last_seen) : json_null());
	if (with_findings)
		json_object_set_new(o, "open_findings", json_integer(r->findings));
	return o;
}

/* ---- the version distribution ---- */

void fleet_versions_release(struct fleet_versions *v)
{
	vg_arena_release(&v->mem);
	memset(v, 0, sizeof(*v));
}

int fleet_versions(struct store *s, const char *product, struct fleet_versions *out,
		   struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int oom = 0, rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, FLEET_ARENA);
	if (product) {
		struct product p;
		rc = product_get(s, product, &p, err);
		if (rc)
			return rc;
		product_release(&p);
	}
	rc = store_prepare(s,
			   "SELECT p.product, COALESCE(v.version, d.installed_version, ''), "
			   "COALESCE(v.version_id, 0), COALESCE(d.channel, ''), COUNT(*), "
			   "COALESCE(MAX(d.last_seen), 0) FROM devices d "
			   "JOIN sbom_product_view p ON p.product_id = d.product_id "
			   "LEFT JOIN sbom_version_view v ON v.version_id = d.version_id "
			   "WHERE " ACTIVE " AND (CAST(? AS TEXT) IS NULL OR p.product = ?) "
			   "GROUP BY p.product, COALESCE(v.version, d.installed_version, ''), "
			   "COALESCE(v.version_id, 0), COALESCE(d.channel, '') "
			   "ORDER BY p.product, 5 DESC, 2, 4",
			   &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, product);
	store_bind_text(st, 2, product);
	rc = read_rows(st, &out->mem, &out->items, &out->n, 0, &out->devices, &oom, err);
	store_finalize(st);
	return finish(rc, oom, err);
}

json_t *fleet_versions_to_json(const struct fleet_versions *v)
{
	json_t *o = json_object(), *a = json_array();
	if (!o || !a) {
		json_decref(o);
		json_decref(a);
		return NULL;
	}
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, row_to_json(&v->items[i], 0));
	json_object_set_new(o, "devices", json_integer(v->devices));
	json_object_set_new(o, "versions", a);
	return o;
}

/* ---- one vulnerability ---- */

void fleet_exposure_release(struct fleet_exposure *e)
{
	vg_arena_release(&e->mem);
	memset(e, 0, sizeof(*e));
}

/* Open findings of the vulnerability known as id (or by an alias). */
#define VULN_MATCH                                                                               \
	"(f.vuln_id = ? OR f.vuln_id IN (SELECT vuln_id FROM vuln_alias_view WHERE alias = ?)) " \
	"AND f.open = 1"

int fleet_exposure(struct store *s, const char *vuln, struct fleet_exposure *out,
		   struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int oom = 0, rc;
	int64_t known = 0;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, FLEET_ARENA);
	if ((rc = vg_text_check("vulnerability id", vuln, VULN_ID_MAX, 0, 1, err)))
		return rc;
	out->vuln_id = vg_arena_strdup(&out->mem, vuln);
	rc = store_prepare(s, "SELECT COUNT(*) FROM vuln_alias_view WHERE alias = ? OR vuln_id = ?",
			   &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, vuln);
	store_bind_text(st, 2, vuln);
	if ((rc = store_step(st, err)) == STORE_ROW)
		known = store_col_int64(st, 0);
	store_finalize(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return rc;
	if (!known) {
		/* findings name a vulnerability the feeds may not hold any more */
		rc = store_prepare(s, "SELECT COUNT(*) FROM triage_finding_view WHERE vuln_id = ?",
				   &st, err);
		if (rc)
			return rc;
		store_bind_text(st, 1, vuln);
		if ((rc = store_step(st, err)) == STORE_ROW)
			known = store_col_int64(st, 0);
		store_finalize(st);
		if (rc != STORE_ROW && rc != STORE_DONE)
			return rc;
	}
	if (!known)
		return vg_error_set(err, VG_ENOTFOUND, "no vulnerability %s", vuln);

	rc = store_prepare(
	    s,
	    "SELECT v.product, v.version, v.version_id, COALESCE(d.channel, ''), COUNT(d.id), "
	    "COALESCE(MAX(d.last_seen), 0), x.findings FROM "
	    "(SELECT f.version_id, COUNT(*) AS findings FROM triage_finding_view f "
	    "WHERE " VULN_MATCH " GROUP BY f.version_id) x "
	    "JOIN sbom_version_view v ON v.version_id = x.version_id "
	    "LEFT JOIN devices d ON d.version_id = x.version_id AND " ACTIVE " "
	    "GROUP BY v.product, v.version, v.version_id, COALESCE(d.channel, ''), x.findings "
	    "ORDER BY 5 DESC, v.product, v.version, 4",
	    &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, vuln);
	store_bind_text(st, 2, vuln);
	rc = read_rows(st, &out->mem, &out->items, &out->n, 1, &out->devices, &oom, err);
	store_finalize(st);
	rc = finish(rc, oom, err);
	/* versions counted once whatever their channels */
	for (size_t i = 0; !rc && i < out->n; i++) {
		size_t j = 0;
		while (j < i && out->items[j].version_id != out->items[i].version_id)
			j++;
		if (j == i)
			out->versions++;
	}
	return rc;
}

json_t *fleet_exposure_to_json(const struct fleet_exposure *e)
{
	json_t *o = json_object(), *a = json_array();
	if (!o || !a) {
		json_decref(o);
		json_decref(a);
		return NULL;
	}
	for (size_t i = 0; i < e->n; i++)
		json_array_append_new(a, row_to_json(&e->items[i], 1));
	json_object_set_new(o, "vulnerability", json_string(e->vuln_id ? e->vuln_id : ""));
	json_object_set_new(o, "devices", json_integer(e->devices));
	json_object_set_new(o, "affected_versions", json_integer(e->versions));
	json_object_set_new(o, "exposure", a);
	return o;
}

/* ---- open vulnerabilities by devices reached ---- */

void fleet_vuln_list_release(struct fleet_vuln_list *l)
{
	vg_arena_release(&l->mem);
	memset(l, 0, sizeof(*l));
}

int fleet_exposed_vulns(struct store *s, int64_t limit, struct fleet_vuln_list *out,
			struct vg_error *err)
{
	static const char *const sev[] = {NULL, "low", "medium", "high", "critical"};
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int oom = 0, rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, FLEET_ARENA);
	if (limit < 1 || limit > 10000)
		return vg_error_set(err, VG_EINVAL, "limit: expected 1 to 10000, got %lld",
				    (long long)limit);
	rc = store_prepare(
	    s,
	    "SELECT f.vuln_id, MAX(CASE LOWER(f.severity) WHEN 'critical' THEN 4 WHEN 'high' "
	    "THEN 3 WHEN 'medium' THEN 2 WHEN 'moderate' THEN 2 WHEN 'low' THEN 1 ELSE 0 END), "
	    "MAX(f.kev), COUNT(DISTINCT d.id), COUNT(DISTINCT f.version_id), "
	    "COUNT(DISTINCT f.finding_id) FROM triage_finding_view f "
	    "JOIN devices d ON d.version_id = f.version_id AND " ACTIVE " "
	    "WHERE f.open = 1 GROUP BY f.vuln_id ORDER BY 4 DESC, 3 DESC, 2 DESC, f.vuln_id "
	    "LIMIT ?",
	    &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, limit);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct fleet_vuln *v =
		    vg_arena_grow(&out->mem, out->items, out->n, &cap, sizeof(*v), 16);
		int64_t rank;
		if (!v) {
			oom = 1;
			break;
		}
		out->items = v;
		v = &v[out->n++];
		memset(v, 0, sizeof(*v));
		v->vuln_id = store_col_adup(st, 0, &out->mem, &oom);
		rank = store_col_int64(st, 1);
		v->severity = rank >= 1 && rank <= 4 ? sev[rank] : NULL;
		v->kev = store_col_int64(st, 2) != 0;
		v->devices = store_col_int64(st, 3);
		v->versions = store_col_int64(st, 4);
		v->findings = store_col_int64(st, 5);
	}
	store_finalize(st);
	return finish(rc, oom, err);
}

json_t *fleet_vuln_list_to_json(const struct fleet_vuln_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++) {
		const struct fleet_vuln *v = &l->items[i];
		json_t *o = json_object();
		json_object_set_new(o, "vulnerability", json_string(v->vuln_id ? v->vuln_id : ""));
		json_object_set_new(o, "severity",
				    v->severity ? json_string(v->severity) : json_null());
		json_object_set_new(o, "kev", json_boolean(v->kev));
		json_object_set_new(o, "devices", json_integer(v->devices));
		json_object_set_new(o, "affected_versions", json_integer(v->versions));
		json_object_set_new(o, "open_findings", json_integer(v->findings));
		json_array_append_new(a, o);
	}
	return a;
}
