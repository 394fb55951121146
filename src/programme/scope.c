/*
 * scope.c - the scope map of internal systems (programme.h): checks, the
 * audited writes, listing, vigil's own proposals and the review clock.
 * Import and export are in scope_io.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "programme/programme.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "http/html.h"
#include "jobs/deadline.h"
#include "sbom/product.h"
#include "store/reader.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

const char *const scope_fields[] = {"name",      "description",  "owner",  "class",
				    "rationale", "assessment",   "review", "products",
				    "data_held", "network_zone", NULL};

const struct html_label scope_class_labels[] = {
    {"business-it", "Business IT (out of scope)"},
    {"support-infrastructure", "CRA-critical support infrastructure"},
    {"product-infrastructure", "Product infrastructure (potentially in scope)"},
    {NULL, NULL},
};

const struct html_label scope_assessment_labels[] = {
    {"assumed", "Assumed"},
    {"assessed", "Assessed"},
    {"needs-assessment", "Needs assessment"},
    {NULL, NULL},
};

static int in_labels(const struct html_label *t, const char *code)
{
	for (size_t i = 0; t[i].code; i++)
		if (strcmp(t[i].code, code) == 0)
			return 1;
	return 0;
}

void scope_list_release(struct scope_list *l)
{
	if (!l)
		return;
	vg_arena_release(&l->mem);
	memset(l, 0, sizeof(*l));
}

/* "YYYY-MM-DD" into *t (00:00 UTC). */
static int parse_day(const char *v, int64_t *t)
{
	if (!v || strlen(v) != 10 || v[4] != '-' || v[7] != '-')
		return VG_EINVAL;
	return vg_time_parse(v, t, NULL) ? VG_EINVAL : VG_OK;
}

/* Each comma-separated product name of list (trimmed) must exist. */
static int check_products(struct store *s, const char *list, struct vg_error *err)
{
	const char *p = list;
	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char name[256];
		struct product prod = {0};
		int rc;
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n >= sizeof(name))
			return vg_error_set(err, VG_EINVAL, "a product name longer than 255 bytes");
		memcpy(name, p, n);
		name[n] = '\0';
		if (n) {
			rc = product_get(s, name, &prod, err);
			product_release(&prod);
			if (rc == VG_ENOTFOUND)
				return vg_error_set(err, VG_EINVAL,
						    "unknown product '%s': expected the name of a "
						    "product (vigil product list)",
						    name);
			if (rc)
				return rc;
		}
		p = e ? e + 1 : NULL;
	}
	return VG_OK;
}

/* products as kept: names trimmed, joined by ", " (malloc'ed). */
static char *norm_products(const char *list)
{
	size_t cap = (list ? strlen(list) : 0) * 2 + 1, o = 0;
	char *out = malloc(cap);
	const char *p = list;
	if (!out)
		return NULL;
	out[0] = '\0';
	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n) {
			if (o) {
				memcpy(out + o, ", ", 2);
				o += 2;
			}
			memcpy(out + o, p, n);
			o += n;
			out[o] = '\0';
		}
		p = e ? e + 1 : NULL;
	}
	return out;
}

int scope_check(struct store *s, const struct scope_input *in, int creating, const char **field,
		struct vg_error *err)
{
	const char *dummy;
	int64_t t;
	int rc;
	struct {
		const char *f, *v;
		size_t max;
		int multi, req;
	} texts[] = {
	    {"name", in->name, 200, 0, creating},
	    {"description", in->description, 4000, 1, 0},
	    {"owner", in->owner, 200, 0, creating},
	    {"rationale", in->rationale, 4000, 1, 0},
	    {"products", in->products, 4000, 0, 0},
	    {"data_held", in->data_held, 2000, 1, 0},
	    {"network_zone", in->network_zone, 200, 0, 0},
	};

	if (!field)
		field = &dummy;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		*field = texts[i].f;
		if (!texts[i].req && !texts[i].v)
			continue;
		rc = vg_text_check(texts[i].f, texts[i].v, texts[i].max, texts[i].multi,
				   texts[i].req, err);
		if (rc)
			return rc;
	}
	*field = "class";
	if (creating && (!in->cls || !*in->cls))
		return vg_error_set(err, VG_EINVAL,
				    "class: required; expected business-it, "
				    "support-infrastructure or product-infrastructure");
	if (in->cls && !in_labels(scope_class_labels, in->cls))
		return vg_error_set(err, VG_EINVAL,
				    "class '%s': expected business-it, support-infrastructure or "
				    "product-infrastructure",
				    in->cls);
	*field = "assessment";
	if (in->assessment && *in->assessment &&
	    !in_labels(scope_assessment_labels, in->assessment))
		return vg_error_set(err, VG_EINVAL,
				    "assessment '%s': expected assumed, assessed or "
				    "needs-assessment",
				    in->assessment);
	*field = "review";
	if (creating && (!in->review || !*in->review))
		return vg_error_set(err, VG_EINVAL,
				    "review: required; expected the date of the next review, "
				    "YYYY-MM-DD");
	if (in->review && *in->review) {
		if (parse_day(in->review, &t))
			return vg_error_set(err, VG_EINVAL,
					    "review '%s': expected a date, YYYY-MM-DD", in->review);
		if (creating && t + 86400 <= vg_now())
			return vg_error_set(err, VG_EINVAL,
					    "review '%s': the date is in the past; expected today "
					    "or a later date",
					    in->review);
	}
	*field = "products";
	if (in->products && (rc = check_products(s, in->products, err)))
		return rc;
	*field = NULL;
	return VG_OK;
}

#define SCOPE_COLS                                                                             \
	"id, name, description, owner, class, rationale, assessment, review_at, reviewed_at, " \
	"products, data_held, network_zone, proposal, revision, created_at, updated_at, "      \
	"retired_at, created_by, updated_by, retired_by"

static void read_row(struct store_reader *r, struct scope_system *x)
{
	x->id = store_reader_int(r, 0, 0);
	x->name = store_reader_str(r, 1);
	x->description = store_reader_str(r, 2);
	x->owner = store_reader_str(r, 3);
	x->cls = store_reader_str(r, 4);
	x->rationale = store_reader_str(r, 5);
	x->assessment = store_reader_str(r, 6);
	x->review_at = store_reader_int(r, 7, 0);
	x->reviewed_at = store_reader_int(r, 8, 0);
	x->products = store_reader_str(r, 9);
	x->data_held = store_reader_str(r, 10);
	x->network_zone = store_reader_str(r, 11);
	x->proposal = store_reader_str(r, 12);
	x->revision = store_reader_int(r, 13, 1);
	x->created_at = store_reader_int(r, 14, 0);
	x->updated_at = store_reader_int(r, 15, 0);
	x->retired_at = store_reader_int(r, 16, 0);
	x->created_by = store_reader_str(r, 17);
	x->updated_by = store_reader_str(r, 18);
	x->retired_by = store_reader_str(r, 19);
}

int scope_sort_valid(const char *key)
{
	static const char *const keys[] = {"name",   "class",   "owner", "assessment",
					   "review", "updated", NULL};
	for (int i = 0; keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

static const char *sort_col(const char *key)
{
	if (!key || strcmp(key, "name") == 0)
		return "name";
	if (strcmp(key, "review") == 0)
		return "review_at";
	if (strcmp(key, "updated") == 0)
		return "updated_at";
	return key; /* class, owner, assessment: checked by scope_sort_valid */
}

/* 1 when the comma-separated list names product. */
static int serves(const char *list, const char *product)
{
	size_t pl = strlen(product);
	const char *p = list;
	while (p && *p) {
		const char *e = strstr(p, ", ");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == pl && strncmp(p, product, n) == 0)
			return 1;
		p = e ? e + 2 : NULL;
	}
	return 0;
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!hay)
		return 0;
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] &&
		       (hay[i] | 0x20) == (needle[i] | 0x20) /* ASCII case folding */)
			i++;
		if (i == n)
			return 1;
	}
	return !n;
}

int scope_list(struct store *s, const struct scope_filter *f, struct scope_list *out,
	       int64_t *total, struct vg_error *err)
{
	static const struct scope_filter none = {0};
	struct store_reader r = {NULL, NULL, 0};
	struct scope_system *v = NULL, x;
	size_t n = 0, cap = 0;
	int64_t now = vg_now(), seen = 0;
	char sql[512];
	int rc;

	if (!f)
		f = &none;
	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	r.mem = &out->mem;
	if (f->sort && !scope_sort_valid(f->sort))
		return vg_error_set(err, VG_EINVAL, "sort '%s': expected " SCOPE_SORT_KEYS,
				    f->sort);
	snprintf(sql, sizeof(sql),
		 "SELECT " SCOPE_COLS " FROM scope_systems WHERE %s ORDER BY %s %s, name",
		 f->retired == 1   ? "retired_at <> 0"
		 : f->retired == 2 ? "1 = 1"
				   : "retired_at = 0",
		 sort_col(f->sort), f->desc ? "DESC" : "ASC");
	rc = store_prepare(s, sql, &r.st, err);
	if (rc)
		return rc;
	/* the register is small (hundreds of systems): filtered here, paged here */
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		read_row(&r, &x);
		if (r.oom)
			break;
		if ((f->cls && strcmp(f->cls, x.cls ? x.cls : "")) ||
		    (f->assessment && strcmp(f->assessment, x.assessment ? x.assessment : "")) ||
		    (f->product && !serves(x.products, f->product)) ||
		    (f->overdue && !scope_overdue(&x, now)) ||
		    (f->q && !contains_ci(x.name, f->q) && !contains_ci(x.owner, f->q) &&
		     !contains_ci(x.description, f->q)))
			continue;
		seen++;
		if (seen <= f->offset || (f->limit && (int64_t)n >= f->limit))
			continue;
		if (!(v = store_reader_grow(&r, v, n, &cap, sizeof(*v))))
			break;
		v[n++] = x;
	}
	rc = store_reader_done(&r, rc, err);
	if (rc) {
		scope_list_release(out);
		return rc;
	}
	out->items = v;
	out->n = n;
	if (total)
		*total = seen;
	return VG_OK;
}

int scope_get(struct store *s, const char *name, struct scope_list *out, struct vg_error *err)
{
	struct store_reader r = {NULL, NULL, 0};
	struct scope_system *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	r.mem = &out->mem;
	rc =
	    store_prepare(s, "SELECT " SCOPE_COLS " FROM scope_systems WHERE name = ?", &r.st, err);
	if (rc)
		return rc;
	store_bind_text(r.st, 1, name);
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(v = store_reader_grow(&r, v, n, &cap, sizeof(*v))))
			break;
		read_row(&r, &v[n++]);
	}
	rc = store_reader_done(&r, rc, err);
	if (!rc && !n)
		rc = vg_error_set(err, VG_ENOTFOUND, "system '%s': not in the scope map", name);
	if (rc) {
		scope_list_release(out);
		return rc;
	}
	out->items = v;
	out->n = n;
	return VG_OK;
}

int scope_overdue(const struct scope_system *x, int64_t now)
{
	return !x->retired_at && x->review_at && x->review_at + 86400 <= now;
}

static json_t *products_json(const char *list)
{
	json_t *a = json_array();
	const char *p = list;
	while (a && p && *p) {
		const char *e = strstr(p, ", ");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		json_array_append_new(a, json_stringn(p, n));
		p = e ? e + 2 : NULL;
	}
	return a;
}

static json_t *day_json(int64_t t)
{
	char d[VG_TIME_BUFSZ];
	if (!t)
		return json_null();
	vg_time_format(t, d, sizeof(d));
	d[10] = '\0';
	return json_string(d);
}

json_t *scope_system_to_json(const struct scope_system *x, int64_t now)
{
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s?, s:I, s:b, s:o, s:o, "
	    "s:s?, s:o, s:s?, s:s?}",
	    "name", x->name ? x->name : "", "description", x->description ? x->description : "",
	    "owner", x->owner ? x->owner : "", "class", x->cls ? x->cls : "", "rationale",
	    x->rationale ? x->rationale : "", "assessment", x->assessment ? x->assessment : "",
	    "review", day_json(x->review_at), "reviewed_at",
	    x->reviewed_at ? vg_json_time(x->reviewed_at) : json_null(), "products",
	    products_json(x->products), "data_held", x->data_held ? x->data_held : "",
	    "network_zone", x->network_zone ? x->network_zone : "", "proposal", x->proposal,
	    "revision", (json_int_t)x->revision, "overdue", scope_overdue(x, now), "created_at",
	    vg_json_time(x->created_at), "updated_at", vg_json_time(x->updated_at), "updated_by",
	    x->updated_by, "retired_at", x->retired_at ? vg_json_time(x->retired_at) : json_null(),
	    "retired_by", x->retired_by, "created_by", x->created_by);
	return o;
}

/* The record of system name as audit records show it (before/after). */
static int audit_json(struct store *s, const char *name, json_t **out, struct vg_error *err)
{
	struct scope_list l;
	int rc = scope_get(s, name, &l, err);
	json_t *o;
	if (rc)
		return rc;
	o = scope_system_to_json(&l.items[0], 0);
	/* the state at the time, without what the moment of reading adds */
	json_object_del(o, "overdue");
	json_object_del(o, "updated_at");
	json_object_del(o, "created_at");
	json_object_del(o, "created_by");
	*out = o;
	scope_list_release(&l);
	return VG_OK;
}

static const char *or_empty(const char *v)
{
	return v ? v : "";
}

/* Inside the caller's transaction. proposal may be NULL. */
static int add_in_tx(struct store *s, const struct scope_input *in, const char *proposal,
		     const char *action, struct vg_error *err)
{
	int64_t review = 0, now = vg_now();
	char *prods = norm_products(in->products);
	json_t *after = NULL;
	int rc;

	if (!prods)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (parse_day(in->review, &review)) {
		free(prods);
		return vg_error_set(err, VG_EINVAL, "review: expected YYYY-MM-DD");
	}
	rc = store_exec(s, err,
			"INSERT INTO scope_systems (name, description, owner, class, rationale, "
			"assessment, review_at, products, data_held, network_zone, proposal, "
			"created_at, created_by, updated_at, updated_by) VALUES "
			"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			"ttttttittttitit", in->name, or_empty(in->description), in->owner, in->cls,
			or_empty(in->rationale),
			in->assessment && *in->assessment ? in->assessment : "assumed", review,
			prods, or_empty(in->data_held), or_empty(in->network_zone), proposal, now,
			store_actor(s), now, store_actor(s));
	free(prods);
	if (rc == VG_EEXIST)
		return vg_error_set(err, VG_EEXIST, "system '%s' is in the scope map already",
				    in->name);
	if (!rc)
		rc = audit_json(s, in->name, &after, err);
	if (!rc)
		rc = store_audit(s, action, "scope_system", in->name, NULL, after, err);
	json_decref(after);
	return rc;
}

int scope_add(struct store *s, const struct scope_input *in, struct vg_error *err)
{
	int rc = scope_check(s, in, 1, NULL, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = add_in_tx(s, in, NULL, "scope.add", err);
	return store_tx_end(s, rc, err);
}

/* Inside the caller's transaction. */
static int edit_in_tx(struct store *s, const char *name, const struct scope_input *in,
		      int64_t reviewed_at, const char *action, struct vg_error *err)
{
	json_t *before = NULL, *after = NULL;
	int64_t id = 0, review = 0;
	int rc;
	struct {
		const char *col, *v;
	} sets[] = {
	    {"description", in->description},
	    {"owner", in->owner},
	    {"class", in->cls},
	    {"rationale", in->rationale},
	    {"assessment", in->assessment},
	    {"data_held", in->data_held},
	    {"network_zone", in->network_zone},
	};

	rc = store_query_int64(s, &id, err,
			       "SELECT id FROM scope_systems WHERE name = ? AND retired_at = 0",
			       "t", name);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND,
				    "system '%s': not in the scope map (or retired)", name);
	if (!rc)
		rc = audit_json(s, name, &before, err);
	for (size_t i = 0; !rc && i < sizeof(sets) / sizeof(sets[0]); i++) {
		char sql[128];
		if (!sets[i].v || (!*sets[i].v && (strcmp(sets[i].col, "owner") == 0 ||
						   strcmp(sets[i].col, "class") == 0 ||
						   strcmp(sets[i].col, "assessment") == 0)))
			continue;
		snprintf(sql, sizeof(sql), "UPDATE scope_systems SET %s = ? WHERE id = ?",
			 sets[i].col);
		rc = store_exec(s, err, sql, "ti", sets[i].v, id);
	}
	if (!rc && in->products) {
		char *p = norm_products(in->products);
		rc = p ? store_exec(s, err, "UPDATE scope_systems SET products = ? WHERE id = ?",
				    "ti", p, id)
		       : vg_error_set(err, VG_ENOMEM, "out of memory");
		free(p);
	}
	if (!rc && in->review && *in->review) {
		if (parse_day(in->review, &review))
			rc = vg_error_set(err, VG_EINVAL, "review: expected YYYY-MM-DD");
		else
			rc = store_exec(s, err,
					"UPDATE scope_systems SET review_at = ? WHERE id = ?", "ii",
					review, id);
	}
	if (!rc && reviewed_at)
		rc = store_exec(s, err, "UPDATE scope_systems SET reviewed_at = ? WHERE id = ?",
				"ii", reviewed_at, id);
	if (!rc)
		rc = audit_json(s, name, &after, err);
	if (!rc && json_equal(before, after)) {
		json_decref(before);
		json_decref(after);
		return VG_OK; /* nothing changed: no new revision */
	}
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE scope_systems SET revision = revision + 1, updated_at = ?, "
				"updated_by = ? WHERE id = ?",
				"iti", vg_now(), store_actor(s), id);
	json_decref(after);
	after = NULL;
	if (!rc)
		rc = audit_json(s, name, &after, err);
	if (!rc)
		rc = store_audit(s, action, "scope_system", name, before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* 1 when system name exists (active or retired). */
static int scope_exists(struct store *s, const char *name, int *exists, struct vg_error *err)
{
	int64_t n = 0;
	int rc = store_query_int64(s, &n, err, "SELECT COUNT(*) FROM scope_systems WHERE name = ?",
				   "t", name);
	*exists = n > 0;
	return rc;
}

int scope_edit(struct store *s, const char *name, const struct scope_input *in,
	       struct vg_error *err)
{
	int rc = scope_check(s, in, 0, NULL, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = edit_in_tx(s, name, in, 0, "scope.edit", err);
	return store_tx_end(s, rc, err);
}

int scope_reviewed(struct store *s, const char *name, const char *next, struct vg_error *err)
{
	struct scope_input in = {0};
	int rc;
	in.review = next;
	if (!next || !*next)
		return vg_error_set(err, VG_EINVAL,
				    "--next: required; the date of the next review, YYYY-MM-DD");
	/* the next review is checked like a new one: not in the past */
	rc = scope_check(s, &in, 0, NULL, err);
	if (!rc) {
		int64_t t = 0;
		if (parse_day(next, &t) == VG_OK && t + 86400 <= vg_now())
			return vg_error_set(err, VG_EINVAL,
					    "--next '%s': the date is in the past; expected today "
					    "or a later date",
					    next);
	}
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = edit_in_tx(s, name, &in, vg_now(), "scope.review", err);
	return store_tx_end(s, rc, err);
}

int scope_retire(struct store *s, const char *name, const char *reason, struct vg_error *err)
{
	json_t *before = NULL, *after = NULL;
	int64_t id = 0;
	int rc = vg_text_check("reason", reason, 1000, 1, 0, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &id, err,
			       "SELECT id FROM scope_systems WHERE name = ? AND retired_at = 0",
			       "t", name);
	if (rc == VG_ENOTFOUND)
		rc = vg_error_set(err, VG_ENOTFOUND,
				  "system '%s': not in the scope map (or retired already)", name);
	if (!rc)
		rc = audit_json(s, name, &before, err);
	if (!rc)
		rc = store_exec(
		    s, err,
		    "UPDATE scope_systems SET retired_at = ?, retired_by = ?, revision = "
		    "revision + 1 WHERE id = ?",
		    "iti", vg_now(), store_actor(s), id);
	if (!rc)
		rc = audit_json(s, name, &after, err);
	if (!rc && reason && *reason)
		json_object_set_new(after, "reason", json_string(reason));
	if (!rc)
		rc = store_audit(s, "scope.retire", "scope_system", name, before, after, err);
	json_decref(before);
	json_decref(after);
	return store_tx_end(s, rc, err);
}

/* ---- for scope_io.c: one row of an import, in the caller's transaction ---- */

int scope_upsert_in_tx(struct store *s, const struct scope_input *in, int *added,
		       struct vg_error *err);
int scope_upsert_in_tx(struct store *s, const struct scope_input *in, int *added,
		       struct vg_error *err)
{
	int exists = 0;
	int rc = scope_exists(s, in->name, &exists, err);
	*added = 0;
	if (rc)
		return rc;
	if (!exists) {
		*added = 1;
		return add_in_tx(s, in, NULL, "scope.add", err);
	}
	return edit_in_tx(s, in->name, in, 0, "scope.edit", err);
}

/* ---- vigil's own entries, proposed ---- */

const struct scope_proposal scope_proposals[] = {
    {"update-server", "vigil update server",
     "The TUF repository, releases and rollouts vigil serves to devices in the field.",
     "product-infrastructure",
     "It delivers security updates to products (Annex I Part II (7), (8)); a compromise "
     "reaches every device, so it is treated as part of the products' attack surface.",
     "release artifacts, TUF metadata, device identities and check-ins",
     "internet-facing (devices reach it)"},
    {"signing", "vigil signing infrastructure",
     "The update signers (PKCS#11 tokens) that sign TUF metadata and the trusted CI keys.",
     "product-infrastructure",
     "Its keys decide what devices accept as an update (Annex I Part I (2)(c)); a stolen key "
     "lets an attacker ship code to products.",
     "signing keys (in hardware tokens), CI public keys", "restricted signing network"},
    {"platform", "vigil SBOM and vulnerability platform",
     "SBOMs, vulnerability feeds, findings, PSIRT cases and Article 14 records.",
     "support-infrastructure",
     "It supports vulnerability handling (Annex I Part II (1), (2), (5)) and keeps the "
     "technical file (Art. 13(13)) but ships nothing to products.",
     "SBOMs, findings, vulnerability reports and reporters' contact data, audit trail", "internal"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

int scope_proposals_open(struct store *s, const struct scope_proposal **out, size_t max, size_t *n,
			 struct vg_error *err)
{
	*n = 0;
	for (size_t i = 0; scope_proposals[i].key; i++) {
		int64_t c = 0;
		int rc = store_query_int64(
		    s, &c, err, "SELECT COUNT(*) FROM scope_systems WHERE proposal = ? OR name = ?",
		    "tt", scope_proposals[i].key, scope_proposals[i].name);
		if (rc)
			return rc;
		if (!c && *n < max)
			out[(*n)++] = &scope_proposals[i];
	}
	return VG_OK;
}

int scope_confirm(struct store *s, const char *key, const char *owner, const char *review,
		  struct vg_error *err)
{
	const struct scope_proposal *p = NULL;
	struct scope_input in = {0};
	int rc;

	for (size_t i = 0; key && scope_proposals[i].key; i++)
		if (strcmp(scope_proposals[i].key, key) == 0)
			p = &scope_proposals[i];
	if (!p)
		return vg_error_set(err, VG_ENOTFOUND,
				    "proposal '%s': expected update-server, signing or platform",
				    key ? key : "");
	in.name = p->name;
	in.description = p->description;
	in.cls = p->cls;
	in.rationale = p->rationale;
	in.assessment = "assessed";
	in.data_held = p->data_held;
	in.network_zone = p->network_zone;
	in.owner = owner;
	in.review = review;
	rc = scope_check(s, &in, 1, NULL, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	{
		int64_t c = 0;
		rc = store_query_int64(
		    s, &c, err, "SELECT COUNT(*) FROM scope_systems WHERE proposal = ?", "t", key);
		if (!rc && c)
			rc =
			    vg_error_set(err, VG_EEXIST, "proposal '%s' is confirmed already", key);
	}
	if (!rc)
		rc = add_in_tx(s, &in, p->key, "scope.confirm", err);
	return store_tx_end(s, rc, err);
}

/* ---- the review clock ---- */

static const struct deadline_threshold review_thresholds[] = {
    {"overdue", DEADLINE_BEFORE_DUE, 0, 1},
};

static int review_record(struct store *s, const struct deadline_clock *c,
			 const struct deadline_item *it, int64_t now, void *arg,
			 struct vg_error *err)
{
	char due[VG_TIME_BUFSZ];
	json_t *a;
	int rc;
	(void)c;
	(void)arg;
	vg_time_format(it->due_at - 86400, due, sizeof(due));
	due[10] = '\0';
	a = json_pack("{s:s, s:s, s:o}", "review", due, "alert", "overdue", "at",
		      vg_json_time(now));
	rc = store_audit(s, "scope.review_overdue", "scope_system", (const char *)it->row, NULL, a,
			 err);
	json_decref(a);
	return rc;
}

static json_t *review_event(const struct deadline_clock *c, const struct deadline_item *it, int i,
			    int64_t now, const char **name, void *arg)
{
	char due[VG_TIME_BUFSZ], summary[600], key[64];
	(void)c;
	(void)i;
	(void)arg;
	vg_time_format(it->due_at - 86400, due, sizeof(due));
	due[10] = '\0';
	snprintf(summary, sizeof(summary),
		 "Scope map: the review of '%s' was due on %s and has not been done",
		 (const char *)it->row, due);
	snprintf(key, sizeof(key), "scope-review-%lld", (long long)it->subject);
	*name = "scope.review_overdue";
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "summary", summary, "severity", "medium",
			 "dedup_key", key, "system", (const char *)it->row, "review", due, "at",
			 vg_json_time(now));
}

static const struct deadline_clock review_clock = {
    .name = "scope.review",
    .thresholds = review_thresholds,
    .nthresholds = 1,
    .record = review_record,
    .event = review_event,
    .row_free = free,
};

/* Candidates: active systems whose review day has ended; row = the name.
 * The due time is the end of the review day. */
static int review_fetch(struct store *s, int64_t after, int64_t now, size_t max,
			struct deadline_batch *b, void *arg, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;
	(void)arg;
	rc = store_prepare(
	    s,
	    "SELECT id, name, updated_at, review_at FROM scope_systems WHERE "
	    "retired_at = 0 AND review_at + 86400 <= ? AND id > ? ORDER BY id LIMIT ?",
	    &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, now);
	store_bind_int64(st, 2, after);
	store_bind_int64(st, 3, (int64_t)max);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		char *name = strdup(store_col_text(st, 1) ? store_col_text(st, 1) : "");
		int64_t due = store_col_int64(st, 3) + 86400, start = store_col_int64(st, 2);
		if (!name) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		if (start > due)
			start = due;
		rc = deadline_batch_add(b, NULL, store_col_int64(st, 0), start, due, name);
		if (rc) {
			rc = vg_error_set(err, rc, "out of memory");
			break;
		}
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

int scope_review_tick(struct store *s, int64_t now, int *sent, struct vg_error *err)
{
	struct deadline_stats st;
	int rc = deadline_tick(s, &review_clock, review_fetch, NULL, now, &st, err);
	if (sent)
		*sent = (int)st.fired;
	return rc;
}
