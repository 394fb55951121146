/*
 * home.c - "what needs me now" read from every room for one role (home.h).
 */
#include "app/home.h"

#include "core/clock.h"
#include "core/error.h"
#include "core/principal.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static const struct {
	const char *stage, *label;
} stage_labels[] = {
    {"early-warning", "Early warning (24 h)"},
    {"notification", "Notification (72 h)"},
    {"intermediate", "Intermediate report"},
    {"final", "Final report"},
};

const char *home_stage_label(const char *stage)
{
	for (size_t i = 0; stage && i < sizeof(stage_labels) / sizeof(stage_labels[0]); i++)
		if (strcmp(stage_labels[i].stage, stage) == 0)
			return stage_labels[i].label;
	return stage ? stage : "";
}

const char *home_clock_href(const struct psirt_clock *c, char *out, size_t n)
{
	if (c->case_id)
		snprintf(out, n, "/ui/cases/%lld#exposure-%lld", (long long)c->case_id,
			 (long long)c->exposure_id);
	else if (c->finding && c->finding[0] &&
		 strspn(c->finding, "0123456789") == strlen(c->finding))
		snprintf(out, n, "/ui/findings/%s", c->finding);
	else
		snprintf(out, n, "/ui/cases");
	return out;
}

void home_release(struct home *h)
{
	finding_list_release(&h->overdue);
	finding_list_release(&h->kev);
	triage_history_release(&h->history);
	vg_arena_release(&h->mem);
}

static int load_findings(struct store *s, struct home *h, struct vg_error *err)
{
	struct findings_filter f;
	int64_t lim = h->can_act ? HOME_LIST_MAX : 1;
	int rc;

	memset(&f, 0, sizeof(f));
	f.state = "open";
	f.overdue = 1;
	f.sort_due = 1;
	f.limit = lim;
	f.count_cap = findings_count_cap();
	if ((rc = findings_list(s, &f, &h->overdue, err)))
		return rc;
	memset(&f, 0, sizeof(f));
	f.state = "new";
	f.kev_only = 1;
	f.limit = lim;
	f.count_cap = findings_count_cap();
	if ((rc = findings_list(s, &f, &h->kev, err)))
		return rc;
	if (!h->can_act) {
		h->overdue.n = 0;
		h->kev.n = 0;
	}
	return VG_OK;
}

static int load_reach(struct store *s, struct home *h, struct vg_error *err)
{
	struct oncall_page_list pages;
	struct oncall_drill_list drills;
	struct pgp_key_list keys;
	int rc;

	if ((rc = oncall_who(s, h->now, &h->mem, &h->shifts, err)))
		return rc;
	if ((rc = oncall_pages(s, 50, &h->mem, &pages, err)))
		return rc;
	for (size_t i = 0; i < pages.n && h->n_open_pages < HOME_LIST_MAX; i++)
		if (pages.v[i].status && strcmp(pages.v[i].status, "open") == 0)
			h->open_pages[h->n_open_pages++] = &pages.v[i];
	if ((rc = oncall_drills(s, &h->mem, &drills, err)))
		return rc;
	h->last_drill = drills.n ? &drills.v[0] : NULL;

	rc = stpublish_current(s, NULL, &h->securitytxt, err);
	if (rc == VG_ENOTFOUND) {
		vg_error_clear(err);
		rc = VG_OK;
	} else if (!rc) {
		h->has_securitytxt = 1;
	}
	if (rc)
		return rc;
	if ((rc = pgp_keys(s, &h->mem, &keys, err)))
		return rc;
	h->pgp.v = keys.v;
	h->pgp.n = 0;
	for (size_t i = 0; i < keys.n; i++)
		if (keys.v[i].state && strcmp(keys.v[i].state, "current") == 0)
			h->pgp.v[h->pgp.n++] = keys.v[i];
	return stwatch_list(s, 1, &h->mem, &h->watched, err);
}

int home_load(struct store *s, int role, int charts, struct home *out, struct vg_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	out->role = role;
	out->now = vg_now();
	out->can_act = (role & (ROLE_ADMIN | ROLE_PSIRT)) != 0;
	out->reads = (role & ROLE_READ) != 0;
	if (!out->reads)
		return VG_OK;
	if ((rc = psirt_home_clocks(s, out->can_act ? HOME_LIST_MAX : 1, &out->mem, &out->clocks,
				    err)) ||
	    (rc = psirt_home_acks(s, out->can_act ? HOME_LIST_MAX : 1, &out->mem, &out->acks,
				  err)) ||
	    (rc = load_findings(s, out, err)))
		return rc;
	if (!out->can_act) {
		out->clocks.n = 0;
		out->acks.n = 0;
	} else if ((rc = load_reach(s, out, err))) {
		return rc;
	}
	if (!charts)
		return VG_OK;
	out->has_charts = 1;
	if ((rc = triage_history(s, HOME_HISTORY_DAYS, &out->history, err)) ||
	    (rc = triage_home_burndown(s, out->now, &out->burn, err)) ||
	    (rc = triage_home_mttr(s, HOME_MTTR_DAYS, 8, &out->mem, &out->mttr, err)) ||
	    (rc = triage_home_exposed(s, 8, &out->mem, &out->exposed, err)))
		return rc;
	return VG_OK;
}

/* ---- the API's view ---- */

static json_t *jtime(int64_t t)
{
	char buf[32];
	return t ? json_string(vg_time_format(t, buf, sizeof(buf))) : json_null();
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *clocks_json(const struct home *h)
{
	json_t *items = json_array();
	char href[128];
	for (size_t i = 0; items && i < h->clocks.n; i++) {
		const struct psirt_clock *c = &h->clocks.v[i];
		enum art14_state st = art14_state_at(c->starts_at, c->due_at, 0, h->now);
		json_array_append_new(
		    items,
		    json_pack(
			"{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, "
			"s:s, s:s}",
			"exposure_id", (json_int_t)c->exposure_id, "case_id",
			c->case_id ? json_integer(c->case_id) : json_null(), "kind", jstr(c->kind),
			"title", jstr(c->title), "stage", jstr(c->stage), "finding",
			jstr(c->finding), "vuln_id", jstr(c->vuln_id), "product", jstr(c->product),
			"assignee", jstr(c->assignee), "starts_at", jtime(c->starts_at), "due_at",
			jtime(c->due_at), "seconds_left", (json_int_t)(c->due_at - h->now),
			"draft_version", (json_int_t)c->draft_version, "approvals",
			(json_int_t)c->approvals, "state", art14_state_name(st), "act",
			home_clock_href(c, href, sizeof(href))));
	}
	return json_pack("{s:I, s:o}", "total", (json_int_t)h->clocks.total, "items", items);
}

static json_t *acks_json(const struct home *h)
{
	json_t *items = json_array();
	char href[64];
	for (size_t i = 0; items && i < h->acks.n; i++) {
		const struct psirt_ack_due *a = &h->acks.v[i];
		snprintf(href, sizeof(href), "/ui/cases/%lld", (long long)a->case_id);
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:s}", "case_id",
			      (json_int_t)a->case_id, "title", jstr(a->title), "product",
			      jstr(a->product), "assignee", jstr(a->assignee), "received_at",
			      jtime(a->received_at), "ack_due_at", jtime(a->ack_due_at),
			      "seconds_left", (json_int_t)(a->ack_due_at - h->now), "act", href));
	}
	return json_pack("{s:I, s:o}", "total", (json_int_t)h->acks.total, "items", items);
}

static json_t *findings_json(const struct finding_list *l)
{
	json_t *items = json_array();
	char href[64];
	for (size_t i = 0; items && i < l->n; i++) {
		json_t *f = finding_to_json(&l->v[i]);
		snprintf(href, sizeof(href), "/ui/findings/%lld", (long long)l->v[i].id);
		if (f)
			json_object_set_new(f, "act", json_string(href));
		json_array_append_new(items, f);
	}
	return json_pack("{s:I, s:b, s:o}", "total", (json_int_t)l->total, "total_exact",
			 l->total_exact, "items", items);
}

static json_t *oncall_json(const struct home *h)
{
	json_t *pages = json_array();
	for (size_t i = 0; pages && i < h->n_open_pages; i++)
		json_array_append_new(pages, oncall_page_to_json(h->open_pages[i]));
	return json_pack("{s:o, s:o, s:o}", "shifts", oncall_shift_list_to_json(&h->shifts),
			 "open_pages", pages, "last_drill",
			 h->last_drill ? oncall_drill_to_json(h->last_drill) : json_null());
}

static json_t *expiries_json(const struct home *h)
{
	json_t *pgp = json_array(), *watched = json_array(), *st;
	for (size_t i = 0; pgp && i < h->pgp.n; i++)
		json_array_append_new(pgp, json_pack("{s:s, s:o}", "fingerprint",
						     h->pgp.v[i].fingerprint, "expires_at",
						     jtime(h->pgp.v[i].expires_at)));
	for (size_t i = 0; watched && i < h->watched.n; i++) {
		const struct stwatch_entry *w = &h->watched.v[i];
		const struct stwatch_check *c = w->nchecks ? &w->checks[0] : NULL;
		json_array_append_new(watched, json_pack("{s:s, s:o, s:o}", "url", w->url, "status",
							 jstr(c ? c->status : NULL), "expires_at",
							 jtime(c ? c->expires_at : 0)));
	}
	st = h->has_securitytxt
		 ? json_pack("{s:o, s:I}", "expires_at", jtime(h->securitytxt.expires_at),
			     "seconds_left", (json_int_t)(h->securitytxt.expires_at - h->now))
		 : json_null();
	return json_pack("{s:o, s:o, s:o}", "securitytxt", st, "pgp", pgp, "watched", watched);
}

static json_t *charts_json(const struct home *h)
{
	json_t *burn = json_array(), *mttr = json_array(), *exp = json_array();
	for (int i = 0; burn && i < TRIAGE_BURN_DAYS; i++)
		json_array_append_new(burn, json_integer(h->burn.day[i]));
	for (size_t i = 0; mttr && i < h->mttr.n; i++)
		json_array_append_new(
		    mttr, json_pack("{s:s, s:I, s:I}", "product", h->mttr.v[i].product, "fixed",
				    (json_int_t)h->mttr.v[i].fixed, "mean_seconds",
				    (json_int_t)h->mttr.v[i].mean_seconds));
	for (size_t i = 0; exp && i < h->exposed.n; i++) {
		const struct triage_exposed *e = &h->exposed.v[i];
		json_array_append_new(
		    exp, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "product",
				   e->product, "kev", (json_int_t)e->kev, "critical",
				   (json_int_t)e->critical, "high", (json_int_t)e->high, "medium",
				   (json_int_t)e->medium, "low", (json_int_t)e->low, "none",
				   (json_int_t)e->none, "total", (json_int_t)e->total));
	}
	return json_pack("{s:o, s:{s:I, s:o, s:I, s:I}, s:o, s:o}", "open_by_severity",
			 triage_history_to_json(&h->history), "sla_burndown", "overdue",
			 (json_int_t)h->burn.overdue, "due_by_day", burn, "later",
			 (json_int_t)h->burn.later, "no_policy", (json_int_t)h->burn.nodue, "mttr",
			 mttr, "exposed", exp);
}

json_t *home_to_json(const struct home *h)
{
	json_t *o = json_pack("{s:s, s:o, s:b}", "role", vg_role_name(h->role), "now",
			      jtime(h->now), "can_act", h->can_act);
	if (!o)
		return NULL;
	if (h->reads) {
		json_object_set_new(o, "clocks", clocks_json(h));
		json_object_set_new(o, "acks", acks_json(h));
		json_object_set_new(o, "overdue_findings", findings_json(&h->overdue));
		json_object_set_new(o, "kev_findings", findings_json(&h->kev));
		json_object_set_new(o, "charts", h->has_charts ? charts_json(h) : json_null());
	}
	json_object_set_new(o, "oncall", h->can_act ? oncall_json(h) : json_null());
	json_object_set_new(o, "expiries", h->can_act ? expiries_json(h) : json_null());
	return o;
}
