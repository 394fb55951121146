/*
 * ui_programme.c - the programme pages: the readiness score with its
 * history and gap report (/ui/programme), the scope map (list with filters,
 * sort and pages; a system; the add and edit forms; vigil's proposals),
 * the printable programme record, and the programme API.
 */
#define _POSIX_C_SOURCE 200809L
#include "programme/programme.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "http/attach.h"
#include "http/chart.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "sbom/product.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define WRITERS    (ROLE_ADMIN | ROLE_PSIRT)
#define PAGE_SIZES "25, 50 or 100"

static int writer(const struct http_req *req)
{
	return (req->who.role & WRITERS) != 0;
}

static int error_page(struct http_req *req, struct http_resp *resp, const struct vg_error *err)
{
	int st = vg_code_http_status(err->code);
	return ui_error_page(req, resp, st >= 400 ? st : 500, vg_error_msg(err));
}

static const char *q(const struct http_req *req, const char *name)
{
	const char *v = http_query(req, name);
	return v && *v ? v : NULL;
}

static const char *dash(const char *v)
{
	return v && *v ? v : "-";
}

static void day_text(int64_t t, char out[11])
{
	char ts[VG_TIME_BUFSZ];
	vg_time_format(t, ts, sizeof(ts));
	memcpy(out, ts, 10);
	out[10] = '\0';
}

/* A day as <time>, or none when t is 0. */
static int day_html(struct vg_buf *b, int64_t t, const char *none)
{
	char d[11];
	if (!t)
		return html(b, "%s", none);
	day_text(t, d);
	return html(b, "<time datetime=\"%s\">%s</time>", d, d);
}

/* ---- the readiness page ---- */

static const struct html_label status_labels[] = {
    {"pass", "Pass"}, {"fail", "Gap"}, {"not available", "Not available"}, {NULL, NULL}};

static int readiness_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct readiness r;
	struct readiness_point *p = NULL;
	size_t np = 0, idx[READINESS_MAX_CHECKS], ng;

	if (readiness_compute(req->db, vg_now(), &r, &err) ||
	    readiness_history(req->db, 90, &p, &np, &err))
		return error_page(req, resp, &err);
	ui_page_begin(req, resp, "Programme: CRA readiness", "programme");
	html_raw(b, "<p class=\"page-actions\"><a href=\"/ui/programme/scope\">Scope map</a> "
		    "<a href=\"/ui/programme/support\">Support periods</a> "
		    "<a href=\"/ui/programme/record\">Programme record (printable)</a></p>");
	html(b,
	     "<p id=\"readiness-score\" class=\"score\"><strong>%d of %d</strong> points: %d "
	     "measured, %d not available yet. Computed from vigil's live state, not from a "
	     "questionnaire.</p>",
	     r.score, r.max, r.max - r.na_weight, r.na_weight);
	if (np) {
		const char **labels = calloc(np, sizeof(*labels));
		int64_t *sv = calloc(np, sizeof(*sv)), *mv = calloc(np, sizeof(*mv));
		if (labels && sv && mv) {
			struct chart_series series[2] = {{"Score", "#1d6b35", sv},
							 {"Maximum", "#6b6b6b", mv}};
			struct chart ch = {.id = "readiness-history",
					   .title = "Readiness score by day",
					   .unit = "points",
					   .label_head = "day",
					   .n = np,
					   .labels = labels,
					   .nseries = 2,
					   .series = series,
					   .note =
					       "One snapshot a day (the job readiness.snapshot)."};
			for (size_t i = 0; i < np; i++) {
				labels[i] = p[i].day;
				sv[i] = p[i].score;
				mv[i] = p[i].max;
			}
			/* one day is no line: its score as a column until the second */
			if (np < 2) {
				ch.nseries = 1;
				chart_columns(b, &ch);
			} else {
				chart_lines(b, &ch);
			}
		}
		free(labels);
		free(sv);
		free(mv);
	} else {
		html_raw(b, "<p id=\"no-history\">No daily snapshot yet: the job "
			    "readiness.snapshot keeps one a day (or <code>vigil readiness "
			    "snapshot</code>).</p>");
	}
	free(p);
	ng = readiness_gaps(&r, idx);
	html_raw(b, "<h2 id=\"gaps\">Gap report: fixes by compliance impact</h2>");
	if (!ng) {
		html_raw(b, "<p id=\"no-gaps\">No gaps: every measured check passes.</p>");
	} else {
		html_raw(b, "<ol id=\"gap-list\" class=\"gaps\">");
		for (size_t i = 0; i < ng; i++) {
			const struct readiness_check *c = &r.checks[idx[i]];
			html(b, "<li><strong>%s</strong> (%d points, %s)<br>%s<br>Fix: %s",
			     c->title, c->weight, c->duty, c->fact, c->fix);
			if (c->command)
				html(b, " <code>%s</code>", c->command);
			html(b, " <a href=\"%s\">Evidence</a></li>", c->link);
		}
		html_raw(b, "</ol>");
	}
	html_raw(b, "<h2 id=\"checks\">Every check</h2>");
	ui_table_begin(b, "Readiness checks");
	html_raw(b, "<table id=\"readiness-checks\"><thead><tr><th scope=\"col\">Check</th>"
		    "<th scope=\"col\" class=\"num\">Weight</th><th scope=\"col\">Result</th>"
		    "<th scope=\"col\">Measured fact</th><th scope=\"col\">Evidence</th>"
		    "<th scope=\"col\">Fix</th></tr></thead><tbody>");
	for (size_t i = 0; i < r.n; i++) {
		const struct readiness_check *c = &r.checks[i];
		const char *st = readiness_status_name(c->status);
		html(b,
		     "<tr data-check=\"%s\"><th scope=\"row\">%s<br><small>%s</small></th>"
		     "<td class=\"num\">%d</td><td class=\"status-%s\">%s</td><td>%s</td>"
		     "<td><a href=\"%s\">Evidence</a></td><td>%s</td></tr>",
		     c->key, c->title, c->duty, c->weight,
		     c->status == READY_PASS   ? "pass"
		     : c->status == READY_FAIL ? "fail"
					       : "na",
		     html_label(status_labels, st), c->fact, c->link,
		     c->status == READY_PASS ? "" : c->fix);
	}
	html_raw(b, "</tbody></table>");
	ui_table_end(b);
	return ui_page_end(resp);
}

/* ---- the scope map list ---- */

struct view {
	struct scope_filter f;
	const char *q, *cls, *assessment, *sort;
	int overdue, retired;
};

static int read_view(struct http_req *req, struct view *v, struct vg_error *err)
{
	const char *dir = q(req, "dir");
	memset(v, 0, sizeof(*v));
	v->f.q = v->q = q(req, "q");
	v->f.cls = v->cls = q(req, "class");
	v->f.assessment = v->assessment = q(req, "assessment");
	v->f.overdue = v->overdue = q(req, "overdue") != NULL;
	v->retired = q(req, "retired") && strcmp(q(req, "retired"), "1") == 0;
	v->f.retired = v->retired ? 2 : 0;
	v->f.sort = v->sort = q(req, "sort") ? q(req, "sort") : "name";
	if (!scope_sort_valid(v->sort))
		return vg_error_set(err, VG_EINVAL, "sort '%s': expected " SCOPE_SORT_KEYS,
				    v->sort);
	v->f.desc = dir && strcmp(dir, "desc") == 0;
	if (vg_parse_int64_opt(q(req, "limit"), "limit", 25, 100, 25, &v->f.limit, err) ||
	    (v->f.limit != 25 && v->f.limit != 50 && v->f.limit != 100))
		return err->code ? err->code
				 : vg_error_set(err, VG_EINVAL, "limit %lld: expected " PAGE_SIZES,
						(long long)v->f.limit);
	return vg_parse_int64_opt(q(req, "offset"), "offset", 0, 1000000, 0, &v->f.offset, err);
}

/* An href to the list as v shows it with another sort or page. */
static void list_href(struct vg_buf *b, const struct view *v, const char *sort, int desc,
		      int64_t offset)
{
	html_raw(b, "/ui/programme/scope?sort=");
	html_url(b, sort);
	html(b, "&amp;dir=%s&amp;limit=%lld", desc ? "desc" : "asc", (long long)v->f.limit);
	if (offset)
		html(b, "&amp;offset=%lld", (long long)offset);
	if (v->q) {
		html_raw(b, "&amp;q=");
		html_url(b, v->q);
	}
	if (v->cls) {
		html_raw(b, "&amp;class=");
		html_url(b, v->cls);
	}
	if (v->assessment) {
		html_raw(b, "&amp;assessment=");
		html_url(b, v->assessment);
	}
	if (v->overdue)
		html_raw(b, "&amp;overdue=1");
	if (v->retired)
		html_raw(b, "&amp;retired=1");
}

static void th_sort(struct vg_buf *b, const struct view *v, const char *key, const char *label)
{
	int cur = strcmp(v->sort, key) == 0;
	html_raw(b, "<th scope=\"col\"");
	if (cur)
		html(b, " aria-sort=\"%s\"", v->f.desc ? "descending" : "ascending");
	html_raw(b, "><a href=\"");
	list_href(b, v, key, cur ? !v->f.desc : 0, 0);
	html(b, "\">%s</a></th>", label);
}

static void select_opts(struct vg_buf *b, const struct html_label *t, const char *cur)
{
	html_raw(b, "<option value=\"\">Any</option>");
	for (size_t i = 0; t[i].code; i++)
		html(b, "<option value=\"%s\"%s>%s</option>", t[i].code,
		     cur && strcmp(cur, t[i].code) == 0 ? " selected" : "", t[i].text);
}

static void proposals_section(struct http_req *req, struct http_resp *resp, struct vg_buf *b)
{
	const struct scope_proposal *p[8];
	size_t n = 0;
	struct vg_error err = {0};
	char min[11];

	if (scope_proposals_open(req->db, p, 8, &n, &err) || !n)
		return;
	day_text(vg_time_add_months(vg_now(), 12), min);
	html_raw(b, "<section id=\"proposals\" aria-labelledby=\"proposals-h\"><h2 "
		    "id=\"proposals-h\">vigil proposes its own systems</h2><p>vigil itself is part "
		    "of your CRA programme. Confirm each entry with its owner and the date of its "
		    "next review.</p>");
	for (size_t i = 0; i < n; i++) {
		html(b,
		     "<div class=\"proposal\" id=\"proposal-%s\"><h3>%s</h3><p>%s</p><p>Class: "
		     "<strong>%s</strong>. %s</p>",
		     p[i]->key, p[i]->name, p[i]->description,
		     html_label(scope_class_labels, p[i]->cls), p[i]->rationale);
		if (writer(req)) {
			html(b,
			     "<form method=\"post\" action=\"/ui/programme/proposals/%s\" "
			     "class=\"inline-form\">",
			     p[i]->key);
			ui_csrf_field(req, resp);
			html(b,
			     "<label for=\"owner-%s\">Owner</label> <input id=\"owner-%s\" "
			     "name=\"owner\" required maxlength=\"200\"> <label "
			     "for=\"review-%s\">Next review</label> <input id=\"review-%s\" "
			     "name=\"review\" type=\"date\" required value=\"%s\"> <button "
			     "type=\"submit\">Confirm</button></form>",
			     p[i]->key, p[i]->key, p[i]->key, p[i]->key, min);
		}
		html_raw(b, "</div>");
	}
	html_raw(b, "</section>");
}

static int scope_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct scope_list l;
	struct view v;
	int64_t total = 0, now = vg_now();

	if (read_view(req, &v, &err) || scope_list(req->db, &v.f, &l, &total, &err))
		return error_page(req, resp, &err);
	ui_page_begin(req, resp, "Scope map", "programme");
	ui_flash(req, b, "scope");
	html_raw(b, "<p class=\"page-actions\">");
	if (writer(req))
		html_raw(b, "<a class=\"button secondary\" id=\"add-link\" "
			    "href=\"/ui/programme/scope/new\">Add "
			    "a system</a> ");
	html_raw(b, "<a href=\"/ui/programme/record\">Programme record (printable)</a> "
		    "<a href=\"/api/v1/scope/export?format=csv\">Export CSV</a> "
		    "<a href=\"/api/v1/scope/export?format=json\">Export JSON</a></p>");
	html_raw(b,
		 "<p>Every internal system, classified as out-of-scope business IT, CRA-critical "
		 "support infrastructure or potentially in-scope product infrastructure.</p>");
	/* the filter bar */
	html(b,
	     "<form class=\"filterbar\" method=\"get\" action=\"/ui/programme/scope\">"
	     "<label for=\"f-q\">Search</label><input id=\"f-q\" name=\"q\" value=\"%s\">"
	     "<label for=\"f-class\">Class</label><select id=\"f-class\" name=\"class\">",
	     v.q ? v.q : "");
	select_opts(b, scope_class_labels, v.cls);
	html_raw(b, "</select><label for=\"f-assessment\">Assessment</label><select "
		    "id=\"f-assessment\" name=\"assessment\">");
	select_opts(b, scope_assessment_labels, v.assessment);
	html(b,
	     "</select><label><input type=\"checkbox\" name=\"overdue\" value=\"1\"%s> Review "
	     "overdue</label><label><input type=\"checkbox\" name=\"retired\" value=\"1\"%s> "
	     "Include retired</label><label for=\"f-limit\">Per page</label><select "
	     "id=\"f-limit\" name=\"limit\"><option%s>25</option><option%s>50</option>"
	     "<option%s>100</option></select><input type=\"hidden\" name=\"sort\" value=\"%s\">"
	     "<span class=\"actions\"><button type=\"submit\">Show</button> <a "
	     "href=\"/ui/programme/scope\">Clear</a></span></form>",
	     v.overdue ? " checked" : "", v.retired ? " checked" : "",
	     v.f.limit == 25 ? " selected" : "", v.f.limit == 50 ? " selected" : "",
	     v.f.limit == 100 ? " selected" : "", v.sort);
	html(b, "<p id=\"scope-count\">%lld system(s)%s.</p>", (long long)total,
	     v.q || v.cls || v.assessment || v.overdue ? " match" : "");
	if (l.n) {
		ui_table_begin(b, "Scope map");
		html_raw(b, "<table id=\"scope-table\"><thead><tr>");
		th_sort(b, &v, "name", "System");
		th_sort(b, &v, "class", "Class");
		th_sort(b, &v, "owner", "Owner");
		th_sort(b, &v, "assessment", "Assessment");
		th_sort(b, &v, "review", "Next review");
		html_raw(b, "<th scope=\"col\">Products</th></tr></thead><tbody>");
		for (size_t i = 0; i < l.n; i++) {
			const struct scope_system *x = &l.items[i];
			char d[11];
			day_text(x->review_at, d);
			html_raw(b, "<tr><th scope=\"row\"><a href=\"/ui/programme/scope/");
			html_url(b, x->name);
			html(b,
			     "\">%s</a>%s</th><td>%s</td><td>%s</td><td>%s</td><td>%s%s</td>"
			     "<td>%s</td></tr>",
			     x->name, x->retired_at ? " (retired)" : "",
			     html_label(scope_class_labels, x->cls), x->owner,
			     html_label(scope_assessment_labels, x->assessment), d,
			     scope_overdue(x, now) ? " <strong class=\"overdue\">overdue</strong>"
						   : "",
			     x->products && *x->products ? x->products : "-");
		}
		html_raw(b, "</tbody></table>");
		ui_table_end(b);
		if (v.f.offset > 0 || v.f.offset + (int64_t)l.n < total) {
			html_raw(b, "<nav class=\"pager\" aria-label=\"Pages\">");
			if (v.f.offset > 0) {
				html_raw(b, "<a rel=\"prev\" href=\"");
				list_href(b, &v, v.sort, v.f.desc,
					  v.f.offset > v.f.limit ? v.f.offset - v.f.limit : 0);
				html_raw(b, "\">Previous</a> ");
			}
			html(b, "<span>%lld-%lld of %lld</span>", (long long)v.f.offset + 1,
			     (long long)(v.f.offset + (int64_t)l.n), (long long)total);
			if (v.f.offset + (int64_t)l.n < total) {
				html_raw(b, " <a rel=\"next\" href=\"");
				list_href(b, &v, v.sort, v.f.desc, v.f.offset + v.f.limit);
				html_raw(b, "\">Next</a>");
			}
			html_raw(b, "</nav>");
		}
	} else {
		html_raw(b, "<p id=\"scope-empty\">No system matches.</p>");
	}
	proposals_section(req, resp, b);
	scope_list_release(&l);
	return ui_page_end(resp);
}

/* ---- one system, the forms ---- */

static const struct html_label field_labels[] = {
    {"name", "Name"},
    {"description", "Description"},
    {"owner", "Owner"},
    {"class", "Class"},
    {"rationale", "Rationale"},
    {"assessment", "Assessment"},
    {"review", "Next review"},
    {"products", "Products it serves"},
    {"data_held", "Data it holds"},
    {"network_zone", "Network zone"},
    {"revision", "Revision"},
    {"reason", "Reason"},
    {NULL, NULL},
};

static int system_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct scope_list l;
	const struct scope_system *x;
	char title[300], d[11];
	const char *name = http_param(req, "name");

	if (scope_get(req->db, name, &l, &err))
		return error_page(req, resp, &err);
	x = &l.items[0];
	snprintf(title, sizeof(title), "System %s", x->name);
	ui_page_begin(req, resp, title, "programme");
	ui_flash(req, b, "scope");
	day_text(x->review_at, d);
	if (writer(req) && !x->retired_at) {
		html_raw(b,
			 "<p class=\"page-actions\"><a class=\"button secondary\" id=\"edit-link\" "
			 "href=\"/ui/programme/scope/");
		html_url(b, x->name);
		html_raw(b, "/edit\">Edit</a></p>");
	}
	html(b,
	     "<dl class=\"facts\" id=\"system-facts\"><dt>Class</dt><dd>%s</dd><dt>Assessment</dt>"
	     "<dd>%s</dd><dt>Owner</dt><dd>%s</dd><dt>Next review</dt><dd>%s%s</dd>"
	     "<dt>Products it serves</dt><dd>%s</dd><dt>Data it holds</dt><dd>%s</dd>"
	     "<dt>Network zone</dt><dd>%s</dd><dt>Description</dt><dd>%s</dd>"
	     "<dt>Rationale</dt><dd>%s</dd><dt>Revision</dt><dd>%lld</dd>",
	     html_label(scope_class_labels, x->cls),
	     html_label(scope_assessment_labels, x->assessment), x->owner, d,
	     scope_overdue(x, vg_now()) ? " (overdue)" : "", dash(x->products), dash(x->data_held),
	     dash(x->network_zone), dash(x->description), dash(x->rationale),
	     (long long)x->revision);
	if (x->proposal)
		html(b, "<dt>Origin</dt><dd>proposed by vigil (%s), confirmed by %s</dd>",
		     x->proposal, x->created_by);
	if (x->retired_at) {
		html_raw(b, "<dt>Retired</dt><dd>");
		html_time(b, x->retired_at, "-");
		html(b, " by %s</dd>", x->retired_by);
	}
	html_raw(b, "</dl>");
	if (writer(req) && !x->retired_at) {
		char next[11];
		day_text(vg_time_add_months(vg_now(), 12), next);
		html_raw(b, "<h2 id=\"review-h\">Record a review</h2><form method=\"post\" "
			    "action=\"/ui/programme/scope/");
		html_url(b, x->name);
		html_raw(b, "/review\">");
		ui_csrf_field(req, resp);
		html(b,
		     "<div class=\"field\"><label for=\"next\">Next review</label><input "
		     "id=\"next\" "
		     "name=\"next\" type=\"date\" required value=\"%s\"></div><button "
		     "type=\"submit\">Reviewed</button></form>",
		     next);
		html_raw(b, "<h2 id=\"retire-h\">Retire</h2><form method=\"post\" "
			    "action=\"/ui/programme/scope/");
		html_url(b, x->name);
		html_raw(b, "/retire\">");
		ui_csrf_field(req, resp);
		html_raw(b, "<div class=\"field\"><label for=\"reason\">Reason</label><input "
			    "id=\"reason\" name=\"reason\" maxlength=\"1000\"></div><button "
			    "type=\"submit\" class=\"danger\">Retire</button></form>");
	}
	html_raw(b, "<p><a href=\"/ui/audit?object=");
	html_url(b, x->name);
	html_raw(b, "\">Its changes in the audit trail</a></p>");
	scope_list_release(&l);
	return ui_page_end(resp);
}

/* The form's values as typed. */
struct form {
	char v[SCOPE_NFIELDS][4001];
};

static void form_read(const struct http_req *req, struct form *f)
{
	for (int i = 0; i < SCOPE_NFIELDS; i++)
		http_form(req, scope_fields[i], f->v[i], sizeof(f->v[i]));
}

static void form_input(const struct form *f, struct scope_input *in)
{
	const char **dst[SCOPE_NFIELDS] = {
	    &in->name,       &in->description, &in->owner,    &in->cls,       &in->rationale,
	    &in->assessment, &in->review,      &in->products, &in->data_held, &in->network_zone};
	memset(in, 0, sizeof(*in));
	for (int i = 0; i < SCOPE_NFIELDS; i++)
		*dst[i] = f->v[i];
}

static const char *options_of(const struct html_label *t, struct vg_buf *o)
{
	vg_buf_reset(o);
	for (size_t i = 0; t[i].code; i++)
		vg_buf_addf(o, "%s|%s\n", t[i].code, t[i].text);
	return o->data ? (const char *)o->data : "";
}

static int form_page(struct http_req *req, struct http_resp *resp, const char *name,
		     const struct form *f, const struct ui_form_errors *fe)
{
	struct vg_buf *b = &resp->body, o1 = VG_BUF_INIT, o2 = VG_BUF_INIT;
	char title[300];
	const char *hints[SCOPE_NFIELDS] = {NULL,
					    NULL,
					    "The person or team answerable for it.",
					    NULL,
					    "Why it is in this class.",
					    NULL,
					    "Not in the past.",
					    "Product names as in vigil, separated by commas.",
					    NULL,
					    "For example internal, DMZ, internet-facing."};

	if (fe && fe->n)
		resp->status = 422;
	snprintf(title, sizeof(title), name ? "Edit %s" : "Add a system to the scope map",
		 name ? name : "");
	ui_page_begin(req, resp, title, "programme");
	ui_error_summary(b, fe);
	html_raw(b, "<form method=\"post\" action=\"");
	if (name) {
		html_raw(b, "/ui/programme/scope/");
		html_url(b, name);
		html_raw(b, "/edit");
	} else {
		html_raw(b, "/ui/programme/scope");
	}
	html_raw(b, "\">");
	ui_csrf_field(req, resp);
	for (int i = 0; i < SCOPE_NFIELDS; i++) {
		const char *fn = scope_fields[i];
		struct ui_field uf = {.name = fn,
				      .label = html_label(field_labels, fn),
				      .value = f->v[i],
				      .hint = hints[i]};
		if (name && i == 0)
			continue; /* the name is the key */
		if (strcmp(fn, "class") == 0) {
			uf.type = "select";
			uf.options = options_of(scope_class_labels, &o1);
		} else if (strcmp(fn, "assessment") == 0) {
			uf.type = "select";
			uf.options = options_of(scope_assessment_labels, &o2);
		} else if (strcmp(fn, "review") == 0) {
			uf.type = "date";
			uf.attrs = "required";
		} else if (strcmp(fn, "description") == 0 || strcmp(fn, "rationale") == 0 ||
			   strcmp(fn, "data_held") == 0) {
			uf.type = "textarea";
			uf.attrs = "maxlength=\"4000\"";
		} else if (strcmp(fn, "name") == 0 || strcmp(fn, "owner") == 0) {
			uf.attrs = "required maxlength=\"200\"";
		}
		ui_field(b, fe, &uf);
	}
	html(b, "<button type=\"submit\">%s</button></form>", name ? "Save" : "Add");
	vg_buf_release(&o1);
	vg_buf_release(&o2);
	return ui_page_end(resp);
}

static int new_page(struct http_req *req, struct http_resp *resp)
{
	struct form *f = calloc(1, sizeof(*f));
	int rc;
	if (!f)
		return http_error(resp, VG_ENOMEM, "out of memory");
	snprintf(f->v[3], sizeof(f->v[3]), "business-it");
	snprintf(f->v[5], sizeof(f->v[5]), "assumed");
	rc = form_page(req, resp, NULL, f, NULL);
	free(f);
	return rc;
}

static int redirect_system(struct http_resp *resp, const char *name, const char *done)
{
	struct vg_buf u = VG_BUF_INIT;
	int rc;
	vg_buf_adds(&u, "/ui/programme/scope/");
	html_url(&u, name);
	vg_buf_addf(&u, "?done=%s", done);
	rc = http_redirect(resp, u.data ? (const char *)u.data : "/ui/programme/scope");
	vg_buf_release(&u);
	return rc;
}

static int save_post(struct http_req *req, struct http_resp *resp, const char *name)
{
	struct form *f = calloc(1, sizeof(*f));
	struct ui_form_errors fe = {0};
	struct scope_input in;
	struct vg_error err = {0};
	const char *field = NULL;
	int rc;

	if (!f)
		return http_error(resp, VG_ENOMEM, "out of memory");
	form_read(req, f);
	form_input(f, &in);
	if (name)
		in.name = name;
	if (scope_check(req->db, &in, !name, &field, &err) ||
	    (name ? scope_edit(req->db, name, &in, &err) : scope_add(req->db, &in, &err))) {
		if (err.code == VG_ENOTFOUND && name) {
			free(f);
			return error_page(req, resp, &err);
		}
		ui_form_error(&fe, field ? (strcmp(field, "class") == 0 ? "class" : field) : "name",
			      "%s", vg_error_msg(&err));
		/* field names are ours: map back to the literal of scope_fields */
		for (int i = 0; i < SCOPE_NFIELDS; i++)
			if (strcmp(fe.e[0].field, scope_fields[i]) == 0)
				fe.e[0].field = scope_fields[i];
		rc = form_page(req, resp, name, f, &fe);
		free(f);
		return rc;
	}
	rc = redirect_system(resp, name ? name : in.name, name ? "saved" : "added");
	free(f);
	return rc;
}

static int add_post(struct http_req *req, struct http_resp *resp)
{
	return save_post(req, resp, NULL);
}

static int edit_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct scope_list l;
	struct form *f;
	const struct scope_system *x;
	int rc;

	if (scope_get(req->db, http_param(req, "name"), &l, &err))
		return error_page(req, resp, &err);
	if (!(f = calloc(1, sizeof(*f)))) {
		scope_list_release(&l);
		return http_error(resp, VG_ENOMEM, "out of memory");
	}
	x = &l.items[0];
	{
		char d[11];
		const char *v[SCOPE_NFIELDS] = {x->name,      x->description, x->owner, x->cls,
						x->rationale, x->assessment,  d,        x->products,
						x->data_held, x->network_zone};
		day_text(x->review_at, d);
		for (int i = 0; i < SCOPE_NFIELDS; i++)
			snprintf(f->v[i], sizeof(f->v[i]), "%s", v[i] ? v[i] : "");
	}
	rc = form_page(req, resp, x->name, f, NULL);
	free(f);
	scope_list_release(&l);
	return rc;
}

static int edit_post(struct http_req *req, struct http_resp *resp)
{
	return save_post(req, resp, http_param(req, "name"));
}

static int review_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char next[32];
	const char *name = http_param(req, "name");
	http_form(req, "next", next, sizeof(next));
	if (scope_reviewed(req->db, name, next, &err))
		return error_page(req, resp, &err);
	return redirect_system(resp, name, "reviewed");
}

static int retire_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char reason[1001];
	const char *name = http_param(req, "name");
	http_form(req, "reason", reason, sizeof(reason));
	if (scope_retire(req->db, name, reason, &err))
		return error_page(req, resp, &err);
	return redirect_system(resp, name, "retired");
}

static int confirm_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char owner[201], review[32];
	http_form(req, "owner", owner, sizeof(owner));
	http_form(req, "review", review, sizeof(review));
	if (scope_confirm(req->db, http_param(req, "key"), owner, review, &err))
		return error_page(req, resp, &err);
	return http_redirect(resp, "/ui/programme/scope?done=confirmed");
}

/* ---- support periods ---- */

static int support_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct product_list pl;

	if (product_list(req->db, &pl, &err))
		return error_page(req, resp, &err);
	ui_page_begin(req, resp, "Support periods", "programme");
	html_raw(b, "<p>When each product was placed on the market and when its support period "
		    "ends (Art. 13(8), 13(19)); the technical file is kept until the later of 10 "
		    "years after placing on the market and the end of support (Art. 13(13)); each "
		    "security update stays available at least 10 years (Art. 13(9)). Set with "
		    "<code>vigil support set PRODUCT --placed YYYY-MM --support-end "
		    "YYYY-MM</code>.</p>");
	ui_table_begin(b, "Support periods");
	html_raw(b,
		 "<table id=\"support-table\"><thead><tr><th scope=\"col\">Product</th>"
		 "<th scope=\"col\">Placed on the market</th><th scope=\"col\">Support ends</th>"
		 "<th scope=\"col\">Technical file kept until</th><th scope=\"col\">Updates "
		 "available until at least</th><th scope=\"col\">Source</th></tr></thead><tbody>");
	for (size_t i = 0; i < pl.n; i++) {
		struct support_period p;
		if (support_get(req->db, pl.items[i].name, &p, &err))
			continue;
		html_raw(b, "<tr><th scope=\"row\"><a href=\"/ui/products/");
		html_url(b, p.product);
		html(b, "\">%s</a></th><td>%s</td><td>%s</td><td>", p.product,
		     p.placed_on_market[0] ? p.placed_on_market : "-",
		     p.support_end[0] ? p.support_end : "not set");
		day_html(b, p.retention_end, "-");
		html_raw(b, "</td><td>");
		day_html(b, p.updates_until, "-");
		html(b, "</td><td>%s</td></tr>",
		     p.from_product ? "product fields" : "programme record");
	}
	html_raw(b, "</tbody></table>");
	ui_table_end(b);
	product_list_release(&pl);
	return ui_page_end(resp);
}

/* ---- the printable programme record ---- */

static int record_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct scope_filter f = {0};
	struct scope_list l;
	struct readiness r;
	int64_t now = vg_now(), version = 0;
	char day[11];

	f.sort = "class";
	if (scope_list(req->db, &f, &l, NULL, &err))
		return error_page(req, resp, &err);
	if (readiness_compute(req->db, now, &r, &err) ||
	    store_query_int64(req->db, &version, &err,
			      "SELECT COALESCE(SUM(revision), 0) FROM scope_systems", NULL)) {
		scope_list_release(&l);
		return error_page(req, resp, &err);
	}
	day_text(now, day);
	ui_page_begin(req, resp, "Programme record", "programme");
	html(b,
	     "<div class=\"record-head\" id=\"record-meta\"><p>Date: <strong>%s</strong>. Scope "
	     "map version: <strong>%lld</strong> (the sum of the revisions of its entries; every "
	     "change is in the audit trail). Readiness: <strong>%d of %d</strong>. Made by vigil "
	     "%s.</p>"
	     "<p class=\"no-print\">Print this page (Ctrl+P) to keep it as part of the programme "
	     "record.</p></div>",
	     day, (long long)version, r.score, r.max, VIGIL_VERSION);
	html_raw(b, "<h2>Scope map of internal systems</h2>");
	for (size_t k = 0; scope_class_labels[k].code; k++) {
		size_t n = 0;
		html(b, "<h3>%s</h3>", scope_class_labels[k].text);
		for (size_t i = 0; i < l.n; i++) {
			const struct scope_system *x = &l.items[i];
			char d[11];
			if (strcmp(x->cls, scope_class_labels[k].code) != 0)
				continue;
			n++;
			day_text(x->review_at, d);
			html(b,
			     "<div class=\"record-entry\"><h4>%s</h4><dl "
			     "class=\"facts\"><dt>Owner</dt>"
			     "<dd>%s</dd><dt>Assessment</dt><dd>%s</dd><dt>Next "
			     "review</dt><dd>%s</dd>"
			     "<dt>Products</dt><dd>%s</dd><dt>Data held</dt><dd>%s</dd><dt>Network "
			     "zone</dt><dd>%s</dd><dt>Description</dt><dd>%s</dd><dt>Rationale</dt>"
			     "<dd>%s</dd><dt>Revision</dt><dd>%lld</dd></dl></div>",
			     x->name, x->owner, html_label(scope_assessment_labels, x->assessment),
			     d, dash(x->products), dash(x->data_held), dash(x->network_zone),
			     dash(x->description), dash(x->rationale), (long long)x->revision);
		}
		if (!n)
			html_raw(b, "<p>None.</p>");
	}
	html_raw(b, "<h2>Readiness at this date</h2><ul class=\"record-checks\">");
	for (size_t i = 0; i < r.n; i++)
		html(b, "<li><strong>%s</strong> (%d): %s: %s</li>", r.checks[i].title,
		     r.checks[i].weight,
		     html_label(status_labels, readiness_status_name(r.checks[i].status)),
		     r.checks[i].fact);
	html_raw(b, "</ul>");
	scope_list_release(&l);
	return ui_page_end(resp);
}

/* ---- API ---- */

static int api_scope_list(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct view v;
	struct scope_list l;
	int64_t total = 0, now = vg_now();
	json_t *arr;

	if (read_view(req, &v, &err) || scope_list(req->db, &v.f, &l, &total, &err))
		return http_fail(resp, &err);
	arr = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(arr, scope_system_to_json(&l.items[i], now));
	scope_list_release(&l);
	return http_json(resp, 200,
			 json_pack("{s:o, s:I}", "systems", arr, "total", (json_int_t)total));
}

static int api_scope_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct scope_list l;
	json_t *o;
	if (scope_get(req->db, http_param(req, "name"), &l, &err))
		return http_fail(resp, &err);
	o = scope_system_to_json(&l.items[0], vg_now());
	scope_list_release(&l);
	return http_json(resp, 200, o);
}

static int api_scope_write(struct http_req *req, struct http_resp *resp, const char *name)
{
	struct vg_error err = {0};
	struct scope_input in = {0};
	const char *field = NULL;
	json_t *body = vg_json_parse(req->body.data ? (const char *)req->body.data : "",
				     req->body.len, "request body", &err);
	int rc;

	if (!body)
		return http_fail(resp, &err);
	in.name = name ? name : vg_json_str(body, "name");
	in.description = vg_json_str(body, "description");
	in.owner = vg_json_str(body, "owner");
	in.cls = vg_json_str(body, "class");
	in.rationale = vg_json_str(body, "rationale");
	in.assessment = vg_json_str(body, "assessment");
	in.review = vg_json_str(body, "review");
	in.products = vg_json_str(body, "products");
	in.data_held = vg_json_str(body, "data_held");
	in.network_zone = vg_json_str(body, "network_zone");
	rc = scope_check(req->db, &in, !name, &field, &err);
	if (rc)
		vg_error_prefix(&err, "request body: /%s", field ? field : "");
	else
		rc = name ? scope_edit(req->db, name, &in, &err) : scope_add(req->db, &in, &err);
	if (!rc) {
		char nm[256];
		snprintf(nm, sizeof(nm), "%s", in.name ? in.name : "");
		json_decref(body);
		{
			struct scope_list l;
			json_t *o;
			if (scope_get(req->db, nm, &l, &err))
				return http_fail(resp, &err);
			o = scope_system_to_json(&l.items[0], vg_now());
			scope_list_release(&l);
			return http_json(resp, name ? 200 : 201, o);
		}
	}
	json_decref(body);
	return http_fail(resp, &err);
}

static int api_scope_add(struct http_req *req, struct http_resp *resp)
{
	return api_scope_write(req, resp, NULL);
}

static int api_scope_edit(struct http_req *req, struct http_resp *resp)
{
	char name[256];
	snprintf(name, sizeof(name), "%s", http_param(req, "name") ? http_param(req, "name") : "");
	return api_scope_write(req, resp, name);
}

static int api_scope_retire(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *body = req->body.len ? vg_json_parse((const char *)req->body.data, req->body.len,
						     "request body", &err)
				     : json_object();
	int rc;
	if (!body)
		return http_fail(resp, &err);
	rc = scope_retire(req->db, http_param(req, "name"), vg_json_str(body, "reason"), &err);
	json_decref(body);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:s}", "retired", http_param(req, "name")));
}

static int api_scope_import(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	const char *fmt = q(req, "format");
	int added = 0, changed = 0;
	enum scope_format f;
	if (!fmt) {
		const char *ct = http_header(req, "Content-Type");
		fmt = ct && strstr(ct, "json") ? "json" : "csv";
	}
	if (strcmp(fmt, "csv") && strcmp(fmt, "json"))
		return http_error(resp, VG_EINVAL, "format '%s': expected csv or json", fmt);
	f = strcmp(fmt, "json") == 0 ? SCOPE_JSON : SCOPE_CSV;
	if (scope_import(req->db, f, req->body.data ? (const char *)req->body.data : "",
			 req->body.len, "request body", &added, &changed, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:i, s:i}", "added", added, "changed", changed));
}

static int api_scope_export(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_buf b = VG_BUF_INIT;
	const char *fmt = q(req, "format") ? q(req, "format") : "csv";
	int json = strcmp(fmt, "json") == 0, rc;
	if (!json && strcmp(fmt, "csv"))
		return http_error(resp, VG_EINVAL, "format '%s': expected csv or json", fmt);
	if (scope_export(req->db, json ? SCOPE_JSON : SCOPE_CSV, q(req, "all") != NULL, &b, &err)) {
		vg_buf_release(&b);
		return http_fail(resp, &err);
	}
	rc = http_attachment(resp, b.data ? (const char *)b.data : "", b.len,
			     json ? "application/json" : "text/csv",
			     json ? "scope-map.json" : "scope-map.csv", "scope-map");
	vg_buf_release(&b);
	return rc;
}

static int api_support_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct support_period p;
	if (support_get(req->db, http_param(req, "product"), &p, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, support_period_to_json(&p));
}

static int api_support_put(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct support_period p;
	json_t *body = vg_json_parse(req->body.data ? (const char *)req->body.data : "",
				     req->body.len, "request body", &err);
	int rc;
	if (!body)
		return http_fail(resp, &err);
	rc = support_set(req->db, http_param(req, "product"), vg_json_str(body, "placed_on_market"),
			 vg_json_str(body, "support_end"), &err);
	json_decref(body);
	if (!rc)
		rc = support_get(req->db, http_param(req, "product"), &p, &err);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, support_period_to_json(&p));
}

static int api_readiness(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct readiness r;
	if (readiness_compute(req->db, vg_now(), &r, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, readiness_to_json(&r));
}

static int api_readiness_history(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct readiness_point *p = NULL;
	size_t n = 0;
	int64_t days = 90;
	json_t *arr;
	if (http_query_int(req, resp, "days", 1, 3660, 90, &days))
		return VG_EINVAL;
	if (readiness_history(req->db, days, &p, &n, &err))
		return http_fail(resp, &err);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:I, s:I}", "day", p[i].day, "score",
						     (json_int_t)p[i].score, "max",
						     (json_int_t)p[i].max));
	free(p);
	return http_json(resp, 200, arr);
}

const struct http_route programme_routes[] = {
    {"GET", "/api/v1/scope", ROLE_READ, 0, api_scope_list,
     "The scope map (q, class, assessment, overdue, retired, sort, dir, limit, offset)",
     "programme"},
    {"POST", "/api/v1/scope", WRITERS, 0, api_scope_add, "Add a system to the scope map",
     "programme"},
    {"POST", "/api/v1/scope/import", WRITERS, HTTP_BODY_TEXT, api_scope_import,
     "Import the scope map (CSV or JSON; all or nothing)", "programme"},
    {"GET", "/api/v1/scope/export", ROLE_READ, 0, api_scope_export,
     "Export the scope map (format=csv|json, all)", "programme"},
    {"GET", "/api/v1/scope/{name}", ROLE_READ, 0, api_scope_get, "One system of the scope map",
     "programme"},
    {"PATCH", "/api/v1/scope/{name}", WRITERS, 0, api_scope_edit, "Change a system", "programme"},
    {"POST", "/api/v1/scope/{name}/retire", WRITERS, 0, api_scope_retire, "Retire a system",
     "programme"},
    {"GET", "/api/v1/support/{product}", ROLE_READ, 0, api_support_get,
     "A product's support period, retention end and update availability", "programme"},
    {"PUT", "/api/v1/support/{product}", WRITERS, 0, api_support_put,
     "Set a product's support period (placed_on_market, support_end)", "programme"},
    {"GET", "/api/v1/readiness", ROLE_READ, 0, api_readiness,
     "The readiness score: one line per check, and the gaps by impact", "programme"},
    {"GET", "/api/v1/readiness/history", ROLE_READ, 0, api_readiness_history,
     "The daily readiness snapshots (days)", "programme"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};

const struct http_route programme_ui_routes[] = {
    {"GET", "/ui/programme", ROLE_READ, HTTP_UI, readiness_page,
     "The readiness score, its history and the gap report", "ui"},
    {"GET", "/ui/programme/scope", ROLE_READ, HTTP_UI, scope_page,
     "The scope map of internal systems", "ui"},
    {"POST", "/ui/programme/scope", WRITERS, HTTP_UI, add_post, "Add a system", "ui"},
    {"GET", "/ui/programme/scope/new", WRITERS, HTTP_UI, new_page, "The form to add a system",
     "ui"},
    {"GET", "/ui/programme/scope/{name}", ROLE_READ, HTTP_UI, system_page, "One system", "ui"},
    {"GET", "/ui/programme/scope/{name}/edit", WRITERS, HTTP_UI, edit_page,
     "The form to change a system", "ui"},
    {"POST", "/ui/programme/scope/{name}/edit", WRITERS, HTTP_UI, edit_post, "Change a system",
     "ui"},
    {"POST", "/ui/programme/scope/{name}/review", WRITERS, HTTP_UI, review_post, "Record a review",
     "ui"},
    {"POST", "/ui/programme/scope/{name}/retire", WRITERS, HTTP_UI, retire_post, "Retire a system",
     "ui"},
    {"POST", "/ui/programme/proposals/{key}", WRITERS, HTTP_UI, confirm_post,
     "Confirm one of vigil's proposed systems", "ui"},
    {"GET", "/ui/programme/support", ROLE_READ, HTTP_UI, support_page,
     "Support periods of every product", "ui"},
    {"GET", "/ui/programme/record", ROLE_READ, HTTP_UI, record_page,
     "The printable programme record", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
