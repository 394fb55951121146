/*
 * support.c - support periods of products (Art. 13(8), 13(9), 13(13),
 * 13(19)) and the provider that gives them to the sbom room.
 */
#define _POSIX_C_SOURCE 200809L
#include "programme/programme.h"
#include "core/clock.h"
#include "core/error.h"
#include "sbom/product.h"
#include "sbom/support_hook.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* "YYYY-MM" or "YYYY-MM-DD": the first instant of the month or day into
 * *start, and the first instant after it into *after. */
static int parse_period(const char *v, int64_t *start, int64_t *after)
{
	char d[16];
	size_t n = v ? strlen(v) : 0;
	if (n == 7 && v[4] == '-') {
		snprintf(d, sizeof(d), "%s-01", v);
		if (vg_time_parse(d, start, NULL))
			return VG_EINVAL;
		*after = vg_time_add_months(*start, 1);
		return VG_OK;
	}
	if (n == 10 && v[4] == '-' && v[7] == '-') {
		if (vg_time_parse(v, start, NULL))
			return VG_EINVAL;
		*after = *start + 86400;
		return VG_OK;
	}
	return VG_EINVAL;
}

int support_derive(struct support_period *p, struct vg_error *err)
{
	int64_t a, b, c, d;
	p->placed_at = p->support_end_at = p->retention_end = p->updates_until = 0;
	if (!p->placed_on_market[0] && !p->support_end[0])
		return VG_OK;
	if (p->placed_on_market[0] && parse_period(p->placed_on_market, &a, &b))
		return vg_error_set(err, VG_EINVAL,
				    "--placed '%s': expected YYYY-MM or YYYY-MM-DD (the date the "
				    "product was placed on the market)",
				    p->placed_on_market);
	if (p->support_end[0] && parse_period(p->support_end, &c, &d))
		return vg_error_set(err, VG_EINVAL,
				    "--support-end '%s': expected YYYY-MM or YYYY-MM-DD (at least "
				    "the month and year the support period ends, Art. 13(19))",
				    p->support_end);
	if (p->placed_on_market[0])
		p->placed_at = a;
	if (p->support_end[0])
		p->support_end_at = d;
	if (p->placed_at && p->support_end_at && p->support_end_at <= p->placed_at)
		return vg_error_set(err, VG_EINVAL,
				    "--support-end '%s': before the product was placed on the "
				    "market (%s)",
				    p->support_end, p->placed_on_market);
	/* 13(13): the later of 10 years after placing on the market and the end
	 * of the support period */
	if (p->placed_at)
		p->retention_end = vg_time_add_months(p->placed_at, 120);
	if (p->support_end_at > p->retention_end)
		p->retention_end = p->support_end_at;
	/* 13(9): an update issued stays available 10 years or the rest of the
	 * support period, whichever is longer; the last one is issued at the end
	 * of support */
	if (p->support_end_at)
		p->updates_until = vg_time_add_months(p->support_end_at, 120);
	return VG_OK;
}

static int get_by_product(struct store *s, const struct product *prod, struct support_period *out,
			  struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->product_id = prod->id;
	snprintf(out->product, sizeof(out->product), "%s", prod->name);
	rc = store_prepare(s,
			   "SELECT placed_on_market, support_end, updated_at, updated_by FROM "
			   "support_periods WHERE product_id = ?",
			   &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, prod->id);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		snprintf(out->placed_on_market, sizeof(out->placed_on_market), "%s",
			 store_col_text(st, 0) ? store_col_text(st, 0) : "");
		snprintf(out->support_end, sizeof(out->support_end), "%s",
			 store_col_text(st, 1) ? store_col_text(st, 1) : "");
		out->updated_at = store_col_int64(st, 2);
		snprintf(out->updated_by, sizeof(out->updated_by), "%s",
			 store_col_text(st, 3) ? store_col_text(st, 3) : "");
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		/* the product's own fields, as the sbom room has them */
		out->from_product = 1;
		snprintf(out->placed_on_market, sizeof(out->placed_on_market), "%s",
			 prod->placed_on_market ? prod->placed_on_market : "");
		snprintf(out->support_end, sizeof(out->support_end), "%s",
			 prod->support_until ? prod->support_until : "");
		rc = VG_OK;
	}
	store_finalize(st);
	if (!rc)
		rc = support_derive(out, err);
	return rc;
}

int support_get(struct store *s, const char *product, struct support_period *out,
		struct vg_error *err)
{
	struct product prod = {0};
	int rc = product_get(s, product, &prod, err);
	if (!rc)
		rc = get_by_product(s, &prod, out, err);
	product_release(&prod);
	return rc;
}

int support_set(struct store *s, const char *product, const char *placed, const char *end,
		struct vg_error *err)
{
	struct support_period before, after;
	struct product prod = {0};
	json_t *jb = NULL, *ja = NULL;
	int rc;

	memset(&after, 0, sizeof(after));
	if (!placed || !*placed)
		return vg_error_set(err, VG_EINVAL,
				    "--placed: required; the date the product was placed on the "
				    "market, YYYY-MM or YYYY-MM-DD");
	if (!end || !*end)
		return vg_error_set(err, VG_EINVAL,
				    "--support-end: required; the end of the support period, "
				    "YYYY-MM or YYYY-MM-DD");
	snprintf(after.placed_on_market, sizeof(after.placed_on_market), "%.15s", placed);
	snprintf(after.support_end, sizeof(after.support_end), "%.15s", end);
	if (strlen(placed) > 10 || strlen(end) > 10)
		return vg_error_set(err, VG_EINVAL,
				    "--placed/--support-end: expected YYYY-MM or YYYY-MM-DD");
	rc = support_derive(&after, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = product_get(s, product, &prod, err);
	if (!rc)
		rc = get_by_product(s, &prod, &before, err);
	if (!rc) {
		if (before.from_product)
			rc =
			    store_exec(s, err,
				       "INSERT INTO support_periods (product_id, placed_on_market, "
				       "support_end, updated_at, updated_by) VALUES (?,?,?,?,?)",
				       "ittit", prod.id, placed, end, vg_now(), store_actor(s));
		else
			rc = store_exec(
			    s, err,
			    "UPDATE support_periods SET placed_on_market = ?, support_end "
			    "= ?, updated_at = ?, updated_by = ? WHERE product_id = ?",
			    "ttiti", placed, end, vg_now(), store_actor(s), prod.id);
	}
	if (!rc)
		rc = get_by_product(s, &prod, &after, err);
	if (!rc) {
		jb = before.from_product ? NULL : support_period_to_json(&before);
		ja = support_period_to_json(&after);
		rc = store_audit(s, "support.set", "product", prod.name, jb, ja, err);
	}
	json_decref(jb);
	json_decref(ja);
	product_release(&prod);
	return store_tx_end(s, rc, err);
}

json_t *support_period_to_json(const struct support_period *p)
{
	return json_pack("{s:s, s:s?, s:s?, s:o, s:o, s:b, s:s}", "product", p->product,
			 "placed_on_market", p->placed_on_market[0] ? p->placed_on_market : NULL,
			 "support_end", p->support_end[0] ? p->support_end : NULL, "retention_end",
			 p->retention_end ? vg_json_time(p->retention_end) : json_null(),
			 "updates_available_until",
			 p->updates_until ? vg_json_time(p->updates_until) : json_null(),
			 "from_product", p->from_product, "source",
			 p->from_product ? "product" : "programme");
}

/* The provider the sbom room asks (support_hook.h). */
static int provide(struct store *s, int64_t product_id, struct sbom_support *out,
		   struct vg_error *err)
{
	struct product prod = {0};
	struct support_period p;
	int rc = product_get_by_id(s, product_id, &prod, err);
	if (rc == VG_ENOTFOUND) {
		product_release(&prod);
		return VG_OK;
	}
	if (!rc)
		rc = get_by_product(s, &prod, &p, err);
	product_release(&prod);
	if (rc || (p.from_product && !p.placed_on_market[0] && !p.support_end[0]))
		return rc;
	out->set = 1;
	out->derived = p.from_product; /* the sbom room's own rule covers its own fields */
	out->retention_end = p.retention_end;
	out->updates_until = p.updates_until;
	snprintf(out->placed, sizeof(out->placed), "%s", p.placed_on_market);
	snprintf(out->support_end, sizeof(out->support_end), "%s", p.support_end);
	return VG_OK;
}

void programme_support_init(void);
void programme_support_init(void)
{
	sbom_set_support_provider(provide);
}
