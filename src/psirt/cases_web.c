/*
 * cases_web.c - the PSIRT's case pages: the case list and one case with its
 * Article 14 clocks, timeline and drafts.
 *
 * GET /ui/cases lists the cases (state filter, counts per state, the
 * acknowledgement clock of unacknowledged ones highlighted). GET
 * /ui/cases/{id} shows one case: the report (everything the reporter sent is
 * escaped text), the acknowledgement clock and every Article 14 obligation
 * as countdowns (rendered on the server; /static/countdown.js only keeps
 * them ticking), the drafts of each exposure side by side with their
 * required-field checklist, approvals and filing record, the Article 14(8)
 * user notification, messages and notes, and the timeline read from the
 * audit trail of case:<id> and its art14_exposure:<id> objects.
 *
 * The forms POST to /ui/cases/{id}/<action> (roles admin and psirt, CSRF
 * token checked by the server). Each calls the function of cases.c or
 * art14*.c that does the work; on success the browser is sent back to the
 * case page (303) with a fixed confirmation, on failure the case page is
 * drawn again with the error and the status of its code. Nothing here
 * decides a workflow rule.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "sbom/product.h"
#include "psirt/art14.h"
#include "psirt/cases.h"
#include "psirt/psirt_int.h"
#include "psirt/usernotice.h"
#include "store/store.h"
#include "triage/findings.h"
#include "triage/triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define FORM_TEXT_MAX 65536 /* the longest text a form field may carry */

static const char *const case_states[] = {
    "received",  "acknowledged", "triaged",   "accepted", "rejected",
    "duplicate", "remediation",  "disclosed", "closed",   NULL,
};

/* Draft stages shown side by side (intermediate only when requested). */
static const char *const draft_stages[] = {"early-warning", "notification", "intermediate", "final",
					   NULL};

/* Plain words for the codes a case page shows (html_label()). */
static const struct html_label state_words[] = {
    {"received", "Received"},
    {"acknowledged", "Acknowledged"},
    {"triaged", "Triaged"},
    {"accepted", "Accepted"},
    {"rejected", "Rejected"},
    {"duplicate", "Duplicate"},
    {"remediation", "In remediation"},
    {"disclosed", "Disclosed"},
    {"closed", "Closed"},
    {NULL, NULL},
};
static const struct html_label severity_words[] = {
    {"critical", "Critical"}, {"high", "High"}, {"medium", "Medium"}, {"low", "Low"}, {NULL, NULL},
};
static const struct html_label source_words[] = {
    {"form", "Public report form"},
    {"api", "API"},
    {"cli", "Command line"},
    {"ui", "Opened by the PSIRT in the browser"},
    {NULL, NULL},
};
static const struct html_label link_words[] = {
    {"cve", "CVE"},         {"ghsa", "GitHub advisory"},
    {"finding", "Finding"}, {"product", "Product"},
    {"version", "Version"}, {"advisory", "Advisory"},
    {"release", "Release"}, {NULL, NULL},
};
static const struct html_label kind_words[] = {
    {"vulnerability", "Actively exploited vulnerability"},
    {"incident", "Severe incident"},
    {NULL, NULL},
};
/* Article 14 clock states as urgency words (colour comes with the class). */
static const struct html_label urgency_words[] = {
    {"undetermined", "No due time yet"},
    {"pending", "On track"},
    {"due", "Due soon \xe2\x80\x94 act now"},
    {"overdue", "Overdue \xe2\x80\x94 deadline breached"},
    {"submitted", "Filed"},
    {NULL, NULL},
};
/* Keys of audit before/after shown by html_change(). */
static const struct html_label change_words[] = {
    {"state", "State"},
    {"assignee", "Assignee"},
    {"kind", "Kind"},
    {"value", "Value"},
    {"linked", "Linked"},
    {"title", "Title"},
    {"product", "Product"},
    {"version", "Version"},
    {"severity", "Severity"},
    {"source", "Received through"},
    {"stage", "Stage"},
    {"reference", "Receipt reference"},
    {"submitted_at", "Filed at"},
    {"reason", "Reason given"},
    {"guard", "Recorded although"},
    {"approved_by", "Approved by"},
    {"approved", "Approved"},
    {"aware_at", "Aware since"},
    {"evidence", "Evidence"},
    {"at", "At"},
    {NULL, NULL},
};

/* A string member of an audit record or a draft document (JSON by nature). */
static const char *str(const json_t *o, const char *k)
{
	const char *v = vg_json_str(o, k);
	return v ? v : "";
}

/* A time as RFC 3339 text into out; "" for 0. */
static const char *tfmt(int64_t t, char *out, size_t n)
{
	if (!t) {
		out[0] = '\0';
		return out;
	}
	return vg_time_format(t, out, n);
}

static int can_act(const struct http_req *req)
{
	return (req->who.role & (ROLE_ADMIN | ROLE_PSIRT)) != 0;
}

/* "1d 02h 03m 04s" / "2h 03m 04s" (also written by countdown.js). */
static char *fmt_left(int64_t s, char *out, size_t n)
{
	int64_t a = s < 0 ? -s : s;
	int64_t d = a / 86400, h = a % 86400 / 3600, m = a % 3600 / 60, sec = a % 60;
	if (d)
		snprintf(out, n, "%lldd %02lldh %02lldm %02llds", (long long)d, (long long)h,
			 (long long)m, (long long)sec);
	else
		snprintf(out, n, "%lldh %02lldm %02llds", (long long)h, (long long)m,
			 (long long)sec);
	return out;
}

/* <time> of a text time (audit records and draft documents carry RFC 3339). */
static void time_el(struct vg_buf *b, const char *t)
{
	html(b, "<time datetime=\"%s\">%s</time>", t, t);
}

static const struct html_label stage_words[] = {
    {"early-warning", "Early warning"},
    {"notification", "Notification"},
    {"intermediate", "Intermediate report"},
    {"final", "Final report"},
    {NULL, NULL},
};

static const char *stage_label(const char *stage)
{
	return html_label(stage_words, stage);
}

/*
 * One clock as a list item. starts/due 0: undetermined (why says until
 * when). done: when the obligation was met (0: not yet), done_what says how.
 * The countdown span carries the due time and the server's now, so the
 * script counts from the server's clock, not the browser's.
 */
static void clock_item(struct vg_buf *b, const char *id, const char *label, int64_t starts,
		       int64_t due, int64_t done, const char *done_what, const char *why,
		       int64_t now)
{
	char left[64];
	enum art14_state st = art14_state_at(starts, due, done, now);
	const char *name = done ? done_what : art14_state_name(st);

	html(b,
	     "<li class=\"clock clock-%s\" id=\"%s\" data-label-pending=\"%s\" "
	     "data-label-due=\"%s\" data-label-overdue=\"%s\"><span "
	     "class=\"clock-label\">%s</span> <span class=\"clock-state\">%s</span> ",
	     st == ART14_SUBMITTED ? "done" : art14_state_name(st), id,
	     html_label(urgency_words, "pending"), html_label(urgency_words, "due"),
	     html_label(urgency_words, "overdue"), label,
	     done ? done_what : html_label(urgency_words, name));
	if (!due) {
		html(b, "<span class=\"clock-when\">no due time yet: %s</span>", why);
	} else {
		html_raw(b, "<span class=\"clock-when\">due ");
		html_time(b, due, NULL);
		html_raw(b, " UTC</span> ");
		if (done) {
			html(b, "<span class=\"clock-done\">%s ", done_what);
			html_time(b, done, NULL);
			html(b, "%s</span>", done > due ? " (late)" : " (in time)");
		} else {
			html(b,
			     "<span class=\"countdown\" data-due=\"%lld\" data-now=\"%lld\" "
			     "data-starts=\"%lld\">",
			     (long long)due, (long long)now, (long long)starts);
			if (due - now >= 0)
				html(b, "%s left", fmt_left(due - now, left, sizeof(left)));
			else
				html(b, "overdue by %s", fmt_left(now - due, left, sizeof(left)));
			html_raw(b, "</span>");
		}
	}
	html_raw(b, "</li>\n");
}

/* ---- errors at their field ---- */

/* A refused form: which form (its id), which field, and the message. The
 * page is drawn again with the message beside that field, the typed values
 * kept, and a summary on top linking to the field. */
struct form_err {
	const char *form, *field, *msg;
};

static int fe_is(const struct form_err *fe, const char *form)
{
	return fe && fe->form && form && strcmp(fe->form, form) == 0;
}

static int fe_at(const struct form_err *fe, const char *form, const char *field)
{
	return fe_is(fe, form) && fe->field && strcmp(fe->field, field) == 0;
}

/* The attributes of a field: its id (for the label and the summary's link)
 * and, when it is the one in error, aria-invalid and the message's id. */
static void field_attrs(struct vg_buf *b, const struct form_err *fe, const char *form,
			const char *field)
{
	html(b, " id=\"f-%s-%s\"", form, field);
	if (fe_at(fe, form, field))
		html(b, " aria-invalid=\"true\" aria-describedby=\"err-%s-%s\"", form, field);
}

/* The message beside the field in error. */
static void field_error(struct vg_buf *b, const struct form_err *fe, const char *form,
			const char *field)
{
	if (fe_at(fe, form, field))
		html(b, "<p class=\"field-error\" id=\"err-%s-%s\"><strong>Error:</strong> %s</p>",
		     form, field, fe->msg);
}

/* The summary on top of the page: the message with a link to its field. */
static void error_summary(struct vg_buf *b, const struct form_err *fe)
{
	if (!fe)
		return;
	html(b, "<div class=\"error-summary\" role=\"alert\"><p class=\"error\" id=\"error\">%s",
	     fe->msg);
	if (fe->form && fe->field)
		html(b, " <a href=\"#f-%s-%s\">Go to the field</a>", fe->form, fe->field);
	html_raw(b, "</p></div>");
}

/* What was typed into field of form when that form was refused (malloc'ed,
 * caller frees); NULL otherwise. */
static char *typed(struct http_req *req, const struct form_err *fe, const char *form,
		   const char *field)
{
	char *v;
	size_t max = 65536;
	if (!fe_is(fe, form) || !(v = malloc(max + 1)))
		return NULL;
	if (http_form(req, field, v, max + 1) != VG_OK) {
		free(v);
		return NULL;
	}
	return v;
}

/* The field an error message is about, from its leading "name:" (the
 * checks of cases.c and art14*.c name the field first), else dflt. */
static const char *field_of(const char *msg, const char *const *fields, const char *dflt)
{
	for (int i = 0; msg && fields && fields[i]; i++) {
		size_t n = strlen(fields[i]);
		const char *m = msg;
		if (m[0] == '-' && m[1] == '-')
			m += 2;
		if (strncmp(m, fields[i], n) == 0 && (m[n] == ':' || m[n] == ' ' || m[n] == '\''))
			return fields[i];
	}
	return dflt;
}

/* The people who may act (enabled psirt and admin users) as a select named
 * name; the current value (may be NULL) selected. */
static void people_select(struct http_req *req, struct vg_buf *b, const struct form_err *fe,
			  const char *form, const char *name, const char *current, int optional)
{
	struct vg_error err = {0};
	char **v = NULL;
	size_t n = 0;
	int have = psirt_people(req->db, &v, &n, &err) == VG_OK;

	html_raw(b, "<select name=\"");
	html(b, "%s\"", name);
	field_attrs(b, fe, form, name);
	html_raw(b, ">");
	if (optional)
		html_raw(b, "<option value=\"\">nobody yet</option>");
	for (size_t i = 0; have && i < n; i++)
		html(b, "<option%s>%s</option>",
		     current && strcmp(current, v[i]) == 0 ? " selected" : "", v[i]);
	html_raw(b, "</select>");
	psirt_people_free(v, n);
}

/* ---- the case list ---- */

static int known_state(const char *s)
{
	for (int i = 0; s && case_states[i]; i++)
		if (strcmp(case_states[i], s) == 0)
			return 1;
	return 0;
}

static int error_page(struct http_req *req, struct http_resp *resp, const char *title, int code,
		      const char *msg)
{
	ui_page_begin(req, resp, title, "cases");
	resp->status = vg_code_http_status(code);
	html(&resp->body,
	     "<p class=\"error\" role=\"alert\" id=\"error\">%s</p><p><a "
	     "href=\"/ui/cases\">All cases</a></p>",
	     msg);
	return ui_page_end(resp);
}

static int cases_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_buf *b = &resp->body;
	const char *filter = http_query(req, "state");
	struct psirt_case_list l;
	int64_t now = vg_now();
	size_t i, shown = 0;
	char ts[VG_TIME_BUFSZ], left[64];

	if (filter && !*filter)
		filter = NULL;
	if (filter && !known_state(filter))
		return error_page(
		    req, resp, "Cases", VG_EINVAL,
		    "state filter: expected received, acknowledged, triaged, "
		    "accepted, rejected, duplicate, remediation, disclosed or closed");
	if (case_list(req->db, NULL, &l, &err))
		return error_page(req, resp, "Cases", err.code, vg_error_msg(&err));
	ui_page_begin(req, resp, "Cases", "cases");
	if (can_act(req))
		html_raw(b, "<p class=\"actions\" id=\"case-actions\"><a class=\"button\" "
			    "href=\"/ui/cases/new\" id=\"new-case\">New case</a> <a "
			    "class=\"button\" href=\"/ui/cases/from-findings\" "
			    "id=\"case-from-findings\">Open a case from findings</a></p>");

	html_raw(b, "<ul class=\"state-counts\" id=\"state-counts\"><li><a href=\"/ui/cases\"");
	if (!filter)
		html_raw(b, " aria-current=\"true\"");
	html(b, ">all <span class=\"count\">%zu</span></a></li>", l.n);
	for (int k = 0; case_states[k]; k++) {
		size_t n = 0;
		for (i = 0; i < l.n; i++)
			n += l.items[i].state && strcmp(l.items[i].state, case_states[k]) == 0;
		html(b, "<li><a href=\"/ui/cases?state=%s\" data-state=\"%s\"", case_states[k],
		     case_states[k]);
		if (filter && strcmp(filter, case_states[k]) == 0)
			html_raw(b, " aria-current=\"true\"");
		html(b, ">%s <span class=\"count\">%zu</span></a></li>",
		     html_label(state_words, case_states[k]), n);
	}
	html_raw(b, "</ul>");

	html_raw(b, "<form method=\"get\" action=\"/ui/cases\" id=\"case-filter\"><label>State "
		    "<select name=\"state\"><option value=\"\">all</option>");
	for (int k = 0; case_states[k]; k++) {
		html(b, "<option value=\"%s\"%s>%s</option>", case_states[k],
		     filter && strcmp(filter, case_states[k]) == 0 ? " selected" : "",
		     html_label(state_words, case_states[k]));
	}
	html_raw(b, "</select></label> <button type=\"submit\">Show</button></form>");

	html_raw(b, "<div class=\"table-wrap\"><table id=\"cases\"><thead><tr><th>#</th>"
		    "<th>title</th><th>state</th><th>severity</th><th>product</th><th>received "
		    "(UTC)</th><th>acknowledgement</th><th>assignee</th></tr></thead><tbody>");
	for (i = 0; i < l.n; i++) {
		const struct psirt_case *c = &l.items[i];
		const char *st = c->state ? c->state : "";
		if (filter && strcmp(filter, st) != 0)
			continue;
		shown++;
		html(
		    b,
		    "<tr id=\"case-%lld\" data-state=\"%s\"><td><a href=\"/ui/cases/%lld\">%lld</a>"
		    "</td><td><a href=\"/ui/cases/%lld\">%s</a></td><td class=\"state\">%s</td>"
		    "<td class=\"sev sev-%s\">%s</td><td>%s",
		    (long long)c->id, st, (long long)c->id, (long long)c->id, (long long)c->id,
		    c->title, html_label(state_words, st), c->severity ? c->severity : "none",
		    c->severity ? html_label(severity_words, c->severity) : "\xe2\x80\x94",
		    c->product);
		if (c->product_version)
			html(b, " %s", c->product_version);
		html_raw(b, "</td><td>");
		html_time(b, c->received_at, NULL);
		html_raw(b, "</td>");
		if (c->acknowledged_at) {
			html_raw(b, "<td class=\"ack-done\">acknowledged ");
			html_time(b, c->acknowledged_at, NULL);
		} else {
			int64_t due = c->ack_due_at;
			enum art14_state cs = art14_state_at(c->received_at, due, 0, now);
			if (strcmp(st, "received") != 0) {
				html_raw(b, "<td>");
			} else {
				html(b, "<td class=\"ack-%s\">", art14_state_name(cs));
				if (cs == ART14_OVERDUE)
					html(b, "<strong>overdue</strong> by %s (due %s)",
					     fmt_left(now - due, left, sizeof(left)),
					     vg_time_format(due, ts, sizeof(ts)));
				else {
					html_raw(b, cs == ART14_DUE ? "<strong>due</strong>"
								    : "pending");
					html(b, ": %s left (due %s)",
					     fmt_left(due - now, left, sizeof(left)),
					     vg_time_format(due, ts, sizeof(ts)));
				}
			}
		}
		html(b, "</td><td>%s</td></tr>", c->assignee);
	}
	if (!shown)
		html_raw(b, "<tr><td colspan=\"8\">No cases.</td></tr>");
	html_raw(b, "</tbody></table></div>");
	psirt_case_list_release(&l);
	return ui_page_end(resp);
}

/* ---- the timeline ---- */

static const struct html_label action_words[] = {
    {"case.received", "Report received"},
    {"case.opened", "Case opened by the PSIRT"},
    {"case.ack", "Acknowledged"},
    {"case.state", "State changed"},
    {"case.assign", "Assigned"},
    {"case.note", "Internal note"},
    {"case.message", "Message"},
    {"case.link", "Linked"},
    {"case.unlink", "Link removed"},
    {"case.update", "Embargo or credit changed"},
    {"case.ack_alert", "Acknowledgement alert sent"},
    {"case.fix_available", "Corrective measure released"},
    {"case.read_attachment", "Attachment downloaded"},
    {"art14.aware", "Awareness recorded: Article 14 clocks started"},
    {"art14.draft", "Draft built"},
    {"art14.draft_edit", "Draft edited"},
    {"art14.approve", "Draft approved"},
    {"art14.submitted", "Filing recorded"},
    {"art14.alert", "Article 14 alert sent"},
    {"art14.fix_available", "Fix or mitigation available"},
    {"art14.intermediate_requested", "Intermediate report requested"},
    {NULL, NULL},
};

static int by_seq(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "seq"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "seq"));
	return x < y ? -1 : x > y;
}

/* Every audit record of the case and its exposures, oldest first (the
 * audit room's records, JSON at its edge). */
static int timeline(struct store *s, const struct psirt_case *c, json_t **out, struct vg_error *err)
{
	struct audit_filter f = {0};
	json_t *all = json_array(), *part = NULL;
	char oid[32];
	size_t i, j, n;
	int rc;

	snprintf(oid, sizeof(oid), "%lld", (long long)c->id);
	f.otype = "case";
	f.oid = oid;
	rc = audit_query_json(s, &f, &part, err);
	if (!rc)
		json_array_extend(all, part);
	json_decref(part);
	for (i = 0; i < c->nexposures; i++) {
		if (rc)
			break;
		snprintf(oid, sizeof(oid), "%lld", (long long)c->exposures[i].id);
		f.otype = "art14_exposure";
		f.oid = oid;
		part = NULL;
		rc = audit_query_json(s, &f, &part, err);
		if (!rc)
			json_array_extend(all, part);
		json_decref(part);
	}
	if (rc) {
		json_decref(all);
		return rc;
	}
	n = json_array_size(all);
	if (n > 1) {
		json_t **v = malloc(n * sizeof(*v)), *sorted;
		if (!v) {
			json_decref(all);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		for (j = 0; j < n; j++)
			v[j] = json_array_get(all, j);
		qsort(v, n, sizeof(*v), by_seq);
		sorted = json_array();
		for (j = 0; j < n; j++)
			json_array_append(sorted, v[j]);
		free(v);
		json_decref(all);
		all = sorted;
	}
	*out = all;
	return VG_OK;
}

static void timeline_html(struct vg_buf *b, const json_t *recs)
{
	json_t *r;
	size_t i;

	html_raw(
	    b,
	    "<section id=\"timeline\"><h2>Timeline</h2><p class=\"hint\">From the "
	    "audit trail (hash-chained): who did what, when.</p><div class=\"table-wrap\"><table "
	    "id=\"timeline-table\"><thead><tr><th>#</th><th>time (UTC)</th><th>who</th>"
	    "<th>what</th><th>object</th><th>change</th></tr></thead><tbody>");
	json_array_foreach(recs, i, r)
	{
		html(b, "<tr data-action=\"%s\"><td>%lld</td><td>", str(r, "action"),
		     (long long)json_integer_value(json_object_get(r, "seq")));
		time_el(b, str(r, "at"));
		html(b, "</td><td>%s</td><td>%s</td><td>%s %s</td><td>", str(r, "actor"),
		     html_label(action_words, str(r, "action")),
		     strcmp(str(r, "object_type"), "case") == 0 ? "case" : "exposure",
		     str(r, "object_id"));
		html_change(b, json_object_get(r, "before"), json_object_get(r, "after"),
			    change_words);
		html_raw(b, "</td></tr>");
	}
	if (!json_array_size(recs))
		html_raw(b, "<tr><td colspan=\"6\">Nothing recorded.</td></tr>");
	html_raw(b, "</tbody></table></div></section>");
}

/* ---- one case ---- */

static void fact_row(struct vg_buf *b, const char *id, const char *label, const char *v, int pre)
{
	html(b, "<dt>%s</dt><dd", label);
	if (*id)
		html(b, " id=\"%s\"", id);
	html_raw(b, ">");
	if (!v || !*v)
		html_raw(b, "<span class=\"none\">&mdash;</span>");
	else if (pre)
		html(b, "<pre class=\"report-text\">%s</pre>", v);
	else
		html(b, "%s", v);
	html_raw(b, "</dd>");
}

static void form_open(struct http_req *req, struct http_resp *resp, int64_t id, const char *action,
		      const char *form_id, const char *cls)
{
	struct vg_buf *b = &resp->body;
	html(b, "<form method=\"post\" action=\"/ui/cases/%lld/%s\"", (long long)id, action);
	if (form_id)
		html(b, " id=\"%s\"", form_id);
	if (cls)
		html(b, " class=\"%s\"", cls);
	html_raw(b, ">");
	ui_csrf_field(req, resp);
}

static void hidden_art14(struct vg_buf *b, int64_t exposure, const char *stage)
{
	html(b, "<input type=\"hidden\" name=\"exposure\" value=\"%lld\">", (long long)exposure);
	if (stage)
		html(b, "<input type=\"hidden\" name=\"stage\" value=\"%s\">", stage);
}

static void case_facts(struct http_req *req, struct http_resp *resp, const struct psirt_case *c,
		       const struct form_err *fe)
{
	struct vg_buf *b = &resp->body;
	char prodver[400], ts[VG_TIME_BUFSZ];
	char *tv;

	snprintf(prodver, sizeof(prodver), "%s%s%s", c->product ? c->product : "",
		 c->product_version ? " " : "", c->product_version ? c->product_version : "");
	html_raw(b, "<section id=\"case-facts\" class=\"card\"><h2>Report</h2><dl "
		    "class=\"facts\">");
	fact_row(b, "case-state", "State", c->state ? html_label(state_words, c->state) : NULL, 0);
	fact_row(b, "case-severity", "Severity",
		 c->severity ? html_label(severity_words, c->severity) : NULL, 0);
	fact_row(b, "case-product", "Product and version", prodver, 0);
	if (c->product && c->product_version) {
		/* the devices in the field running that version (update/fleet.h) */
		struct sbom_fleet fl;
		struct vg_buf t = VG_BUF_INIT;
		struct vg_error ferr = {0};
		if (sbom_version_fleet_by_name(req->db, c->product, c->product_version, &fl,
					       &ferr) == VG_OK &&
		    sbom_fleet_text(&t, &fl) == VG_OK)
			fact_row(b, "case-fleet", "Devices in the field on this version",
				 t.data ? t.data : "0 devices", 0);
		vg_buf_release(&t);
	}
	fact_row(b, "case-source", "Received through",
		 c->source ? html_label(source_words, c->source) : NULL, 0);
	fact_row(b, "case-received", "Received (UTC)", tfmt(c->received_at, ts, sizeof(ts)), 0);
	fact_row(b, "case-assignee", "Assignee", c->assignee, 0);
	fact_row(b, "case-contact", "Reporter contact",
		 c->reporter_contact ? c->reporter_contact : "anonymous report", 0);
	fact_row(b, "case-description", "Description", c->description, 1);
	fact_row(b, "case-impact", "Impact", c->impact, 1);
	fact_row(b, "case-poc", "Proof of concept", c->poc, 1);
	fact_row(b, "case-embargo", "Embargo until (UTC)", tfmt(c->embargo_until, ts, sizeof(ts)),
		 0);
	fact_row(b, "case-credit", "Credit",
		 c->credit_consent ? (c->credit ? c->credit : "consented, no name given")
				   : "no consent to be credited",
		 0);
	html_raw(b, "</dl></section>\n");

	/* links: vulnerabilities and findings, each removable */
	html_raw(b, "<section id=\"links\" class=\"card\"><h2>Vulnerabilities and findings</h2>"
		    "<ul id=\"case-links\" class=\"links\">");
	if (!c->nlinks)
		html_raw(b,
			 "<li class=\"none\">Not linked to a vulnerability or finding yet.</li>");
	for (size_t i = 0; i < c->nlinks; i++) {
		const struct psirt_case_link *l = &c->links[i];
		const char *k = l->kind ? l->kind : "";
		html(b,
		     "<li data-kind=\"%s\" data-value=\"%s\"><span class=\"link-kind\">%s</span> ",
		     k, l->value, html_label(link_words, k));
		if (strcmp(k, "finding") == 0)
			html(b, "<a href=\"/ui/findings/%s\"><strong>#%s</strong></a>", l->value,
			     l->value);
		else
			html(b, "<strong>%s</strong>", l->value);
		if (can_act(req) && strcmp(k, "release") != 0) {
			html(b,
			     "<form method=\"post\" action=\"/ui/cases/%lld/unlink\" "
			     "class=\"inline\">",
			     (long long)c->id);
			ui_csrf_field(req, resp);
			html(b,
			     "<input type=\"hidden\" name=\"kind\" value=\"%s\"><input "
			     "type=\"hidden\" name=\"value\" value=\"%s\"><button type=\"submit\" "
			     "class=\"link-remove\" aria-label=\"Remove the link to %s %s\">Remove"
			     "</button></form>",
			     k, l->value, html_label(link_words, k), l->value);
		}
		html_raw(b, "</li>");
	}
	html_raw(b, "</ul>");
	if (can_act(req)) {
		html(b,
		     "<form method=\"post\" action=\"/ui/cases/%lld/link\" id=\"link-form\" "
		     "class=\"inline-form\" novalidate>",
		     (long long)c->id);
		ui_csrf_field(req, resp);
		tv = typed(req, fe, "link-form", "vuln");
		html_raw(b, "<div class=\"field\"><label for=\"f-link-form-vuln\">Vulnerability "
			    "(CVE-YYYY-NNNN or GHSA-xxxx-xxxx-xxxx)</label>");
		field_error(b, fe, "link-form", "vuln");
		html_raw(b, "<input name=\"vuln\" maxlength=\"200\" autocomplete=\"off\"");
		field_attrs(b, fe, "link-form", "vuln");
		html(b, " value=\"%s\"></div>", tv ? tv : "");
		free(tv);
		tv = typed(req, fe, "link-form", "finding");
		html_raw(b, "<div class=\"field\"><label for=\"f-link-form-finding\">Finding "
			    "(its number)</label>");
		field_error(b, fe, "link-form", "finding");
		html_raw(b, "<input name=\"finding\" maxlength=\"40\" inputmode=\"numeric\" "
			    "autocomplete=\"off\"");
		field_attrs(b, fe, "link-form", "finding");
		html(b, " value=\"%s\"></div><button type=\"submit\">Link</button></form>",
		     tv ? tv : "");
		free(tv);
	}
	html_raw(b, "</section>\n");
}

/* The reporter's attachments, each a download (checked against its SHA-256
 * and audited as case.read_attachment by the API route). */
static void attachments_html(struct vg_buf *b, const struct psirt_case *c, int can_read)
{
	html_raw(b, "<section id=\"attachments\"><h2>Attachments</h2>");
	if (!c->nfiles) {
		html_raw(b, "<p class=\"none\">No attachments.</p></section>\n");
		return;
	}
	html_raw(b, "<table id=\"attachment-list\"><thead><tr><th>#</th><th>file</th>"
		    "<th>type</th><th>size (bytes)</th><th>SHA-256</th><th>received "
		    "(UTC)</th></tr></thead><tbody>");
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct psirt_case_file *f = &c->files[i];
		char ts[VG_TIME_BUFSZ];
		html(b, "<tr><td>%lld</td><td>", (long long)f->n);
		if (can_read)
			html(b, "<a href=\"/api/v1/cases/%lld/attachments/%lld\" download>",
			     (long long)c->id, (long long)f->n);
		html(b, "%s", f->filename);
		html_raw(b, can_read ? "</a></td><td>" : "</td><td>");
		html(b, "%s</td><td>%lld</td><td><code>%s</code></td><td>%s</td></tr>",
		     f->content_type, (long long)f->size, f->sha256,
		     tfmt(f->created_at, ts, sizeof(ts)));
	}
	html_raw(b, "</tbody></table><p class=\"hint\">Reporters' files are never opened "
		    "in the browser: each downloads as a file, checked against its "
		    "SHA-256.</p></section>\n");
}

/* The clocks: acknowledgement, then every obligation of every exposure. */
static void clocks_html(struct vg_buf *b, const struct psirt_case *c,
			const struct art14_exposure *exps, size_t nexp, int64_t now)
{
	char id[96], label[160];

	html_raw(b, "<section id=\"clocks\"><h2>Clocks</h2>");
	for (size_t k = 0; k < c->nfixes; k++) {
		const struct psirt_case_fix *x = &c->fixes[k];
		html(b,
		     "<p class=\"fix-available\" id=\"fix-%lld\">Corrective measure available: "
		     "release <a href=\"/ui/releases/%lld\">%s %s</a> (",
		     (long long)x->release_id, (long long)x->release_id, x->product, x->version);
		html_time(b, x->published_at, NULL);
		html(b, " UTC), fixes %s</p>", x->vulns);
	}
	html_raw(b, "<p class=\"hint\">Due times in UTC; "
		    "time left counts down while this page is open.</p><ul class=\"clocks\">");
	clock_item(b, "clock-ack", "Acknowledgement (48 hours from receipt)", c->received_at,
		   c->ack_due_at, c->acknowledged_at, "acknowledged", "", now);
	for (size_t k = 0; k < nexp; k++) {
		const struct art14_exposure *e = &exps[k];
		for (size_t i = 0; i < e->reports.n; i++) {
			const struct art14_report *o = &e->reports.items[i];
			const char *stage = art14_stage_name(o->stage);
			const char *why = o->stage != ART14_FINAL ? "not started"
					  : e->kind && strcmp(e->kind, ART14_KIND_INCIDENT) == 0
					      ? "one month after the notification is submitted"
					      : "14 days after a fix or mitigation is available";
			snprintf(id, sizeof(id), "clock-%lld-%s", (long long)e->id, stage);
			snprintf(label, sizeof(label), "Art. 14 %s (exposure %lld)",
				 stage_label(stage), (long long)e->id);
			clock_item(b, id, label, o->starts_at, o->due_at, o->submitted_at,
				   "submitted", why, now);
		}
	}
	html_raw(b, "</ul>");
	if (!nexp)
		html_raw(b, "<p id=\"no-exposure\">Not marked actively exploited: no Article 14 "
			    "clock runs for this case.</p>");
	html_raw(b, "</section>\n");
}

static void workflow_forms(struct http_req *req, struct http_resp *resp, const struct psirt_case *c,
			   const struct form_err *fe)
{
	struct vg_buf *b = &resp->body;
	const char *st = c->state ? c->state : "";
	const char *const *next;

	html_raw(b, "<section id=\"workflow\"><h2>Handling</h2><div class=\"forms\">");
	if (strcmp(st, "received") == 0) {
		form_open(req, resp, c->id, "ack", "ack-form", "card");
		html_raw(b, "<h3>Acknowledge</h3><p>Tells the reporter the report arrived and "
			    "stops the 48-hour clock.</p><button type=\"submit\" "
			    "id=\"ack\">Acknowledge</button></form>");
	}
	next = case_next_states(st);
	if (next && next[0]) {
		/* only the moves the workflow allows from here */
		form_open(req, resp, c->id, "state", "state-form", "card");
		html_raw(b, "<h3>Move</h3><label>To state <select name=\"to\" id=\"state-to\">");
		for (int k = 0; next[k]; k++)
			html(b, "<option value=\"%s\">%s</option>", next[k],
			     html_label(state_words, next[k]));
		html_raw(b,
			 "</select></label><label>Note (internal, optional) <textarea "
			 "name=\"note\" rows=\"2\" maxlength=\"65536\"></textarea></label><button "
			 "type=\"submit\">Move</button></form>");
	}
	form_open(req, resp, c->id, "assign", "assign-form", "card");
	html_raw(b, "<h3>Assign</h3><p class=\"hint\">People who may act on cases (the roles "
		    "psirt and admin).</p><label for=\"f-assign-form-assignee\">Person</label>");
	field_error(b, fe, "assign-form", "assignee");
	people_select(req, b, fe, "assign-form", "assignee", c->assignee, !c->assignee);
	html_raw(b, "<button type=\"submit\">Assign</button></form>");
	html_raw(b, "</div></section>\n");
}

/* The required fields of a draft document (JSON by nature) with what is missing. */
static void checklist(struct vg_buf *b, const json_t *d)
{
	const json_t *req = json_object_get(d, "required"), *miss = json_object_get(d, "missing");
	json_t *x, *m;
	size_t i, j;

	html_raw(b, "<ul class=\"checklist\">");
	json_array_foreach(req, i, x)
	{
		int missing = 0;
		json_array_foreach(miss, j, m) missing |= json_equal(m, x);
		html(b, "<li class=\"%s\" data-field=\"%s\">", missing ? "missing" : "have",
		     json_string_value(x));
		html_raw(b, missing ? "&#10007; " : "&#10003; ");
		html(b, "%s", art14_field_label(json_string_value(x)));
		html_raw(b, missing ? " <strong>missing</strong></li>" : "</li>");
	}
	html_raw(b, "</ul>");
	if (json_array_size(miss)) {
		html_raw(b, "<p class=\"missing-list\">Still missing: ");
		json_array_foreach(miss, i, x)
		    html(b, "%s%s", i ? ", " : "", art14_field_label(json_string_value(x)));
		html_raw(b, "</p>");
	} else {
		html_raw(b, "<p class=\"ok\">Every required field has a value.</p>");
	}
}

/* A draft field's value as the edit form shows it (JSON by nature). */
static void field_text(const json_t *v, char *out, size_t n)
{
	out[0] = '\0';
	if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(out, n, "%s", json_is_true(v) ? "true" : "false");
	else if (json_is_array(v)) {
		size_t i, o = 0;
		json_t *x;
		json_array_foreach(v, i, x) if (json_is_string(x) && o < n) o +=
		    (size_t)snprintf(out + o, n - o, "%s%s", o ? "," : "", json_string_value(x));
	}
}

/* Who may act next on a stage, in words (the "next" line of a column). */
static void next_actor(struct http_req *req, struct vg_buf *b, const json_t *d, int have,
		       int approved, int submitted, const char *earlier)
{
	const char *me = req->who.name, *author = have ? str(d, "created_by") : "";
	int four = have && json_is_true(json_object_get(d, "four_eyes"));
	int mine = four && strcmp(author, me) == 0, approved_by_me = 0;
	json_t *a;
	size_t i;

	if (have)
		json_array_foreach(json_object_get(d, "approvals"), i, a) approved_by_me |=
		    strcmp(str(a, "approved_by"), me) == 0;
	html_raw(b, "<p class=\"next-actor\" role=\"status\">");
	if (submitted)
		html_raw(b, "<strong>Filed.</strong> Nothing left to do for this report.");
	else if (!have)
		html_raw(b, "<strong>Next:</strong> any PSIRT member builds a draft.");
	else if (json_array_size(json_object_get(d, "missing")))
		html_raw(b, "<strong>Next:</strong> fill in the missing fields (any PSIRT member), "
			    "then it can be approved.");
	else if (!approved && mine)
		html(
		    b,
		    "<strong>Waiting for approval by another PSIRT member.</strong> You built this "
		    "version (%s), so four-eyes review needs someone else.",
		    author);
	else if (!approved && approved_by_me)
		html_raw(b, "<strong>Waiting for approval by another PSIRT member.</strong>");
	else if (!approved && four)
		html(b,
		     "<strong>Waiting for approval</strong> by a PSIRT member other than %s "
		     "(four-eyes review): you may approve it.",
		     author);
	else if (!approved)
		html_raw(b, "<strong>Waiting for approval</strong> by any PSIRT member (four-eyes "
			    "review is off).");
	else
		html(
		    b,
		    "<strong>Ready to file by any PSIRT member</strong> (%s, or a colleague): file "
		    "it on the ENISA single reporting platform, then record the receipt below.",
		    me);
	if (!submitted && earlier)
		html(b,
		     " <span class=\"order-warning\">The %s is not recorded as filed yet: record "
		     "it first, or give a reason.</span>",
		     earlier);
	html_raw(b, "</p>");
}

/* One column: the latest draft of stage, who acts next, its review and
 * filing, and forms. ob: the report obligation of that stage (NULL when
 * there is none). */
static void draft_column(struct http_req *req, struct http_resp *resp, int64_t case_id,
			 const struct art14_exposure *e, const char *stage,
			 const struct art14_report *ob, int64_t now, const struct form_err *fe)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct art14_draft dr;
	const json_t *d;
	json_t *a;
	size_t i;
	int64_t eid = e->id;
	int have = art14_draft_get(req->db, eid, stage, 0, &dr, &err) == VG_OK;
	int submitted = ob && ob->submitted_at, st = art14_stage_parse(stage);
	int four = 0, mine = 0, approved_by_me = 0;
	const char *earlier = NULL;
	char ts[VG_TIME_BUFSZ], fid[96], *tv;

	/* the first earlier stage not yet filed (early warning, notification) */
	for (int k = ART14_EARLY_WARNING; !earlier && k <= ART14_NOTIFICATION && k < st; k++)
		for (size_t j = 0; j < e->reports.n; j++)
			if (e->reports.items[j].stage == k && !e->reports.items[j].submitted_at)
				earlier = html_label(stage_words, art14_stage_name(k));
	html(b,
	     "<section class=\"draft-col card\" id=\"draft-%lld-%s\" data-stage=\"%s\"><h4>%s</h4>",
	     (long long)eid, stage, stage, stage_label(stage));
	if (ob) {
		html(b, "<p class=\"obligation urgency urgency-%s\">",
		     submitted ? "submitted" : art14_state_name(ob->state));
		html(b, "<strong>%s</strong>",
		     html_label(urgency_words,
				submitted ? "submitted" : art14_state_name(ob->state)));
		if (ob->due_at) {
			html_raw(b, " &middot; due ");
			html_time(b, ob->due_at, NULL);
			html_raw(b, " UTC");
		}
		html_raw(b, "</p>");
	}
	d = dr.doc; /* the draft document (JSON by nature) */
	if (have) {
		four = json_is_true(json_object_get(d, "four_eyes"));
		mine = strcmp(str(d, "created_by"), req->who.name) == 0;
		json_array_foreach(json_object_get(d, "approvals"), i, a) approved_by_me |=
		    strcmp(str(a, "approved_by"), req->who.name) == 0;
	}
	next_actor(req, b, d, have, have && dr.approved, submitted, earlier);
	if (have) {
		html(b,
		     "<p class=\"draft-version\">Version <strong>%lld</strong> (Art. %s), built ",
		     (long long)dr.version, str(d, "article"));
		time_el(b, str(d, "created_at"));
		html(b,
		     " by %s. <a href=\"/ui/art14/%lld/%s\">Printable page</a> &middot; <a "
		     "href=\"/api/v1/art14/%lld/drafts/%s\">JSON</a></p>",
		     str(d, "created_by"), (long long)eid, stage, (long long)eid, stage);
		checklist(b, d);
		html_raw(b, "<h5>Review</h5><ul class=\"approvals\">");
		json_array_foreach(json_object_get(d, "approvals"), i, a)
		{
			html(b, "<li>approved by %s ", str(a, "approved_by"));
			time_el(b, str(a, "approved_at"));
			html_raw(b, "</li>");
		}
		html(b, "</ul><p class=\"approval-state\">%s%s</p>",
		     dr.approved ? "Approved" : "Not yet approved",
		     four ? " (four-eyes review: the author cannot approve)" : "");
	} else {
		html_raw(b, "<p class=\"no-draft\">No draft yet.</p>");
	}
	html_raw(b, "<h5>Filing</h5><p class=\"submission\">");
	if (submitted) {
		html_raw(b, "Filed on the ENISA single reporting platform ");
		html_time(b, ob->submitted_at, NULL);
		html(b, ", receipt <strong class=\"reference\">%s</strong>, recorded by %s",
		     ob->reference, ob->submitted_by);
		if (ob->due_at && ob->submitted_at > ob->due_at)
			html_raw(b, " <strong>(late)</strong>");
		html_raw(b, ".");
		if (ob->reason)
			html(b,
			     " <span class=\"filing-reason\">Recorded with the reason: %s</span>",
			     ob->reason);
	} else {
		html_raw(b, "Not recorded as submitted.");
	}
	html_raw(b, "</p>");
	if (can_act(req) && ob && !submitted) {
		form_open(req, resp, case_id, "draft", NULL, "draft-form");
		hidden_art14(b, eid, stage);
		html(b, "<button type=\"submit\">%s</button></form>",
		     have ? "Rebuild the draft from the case" : "Build the draft");
		/* approval: never offered to the author under four-eyes, nor twice */
		if (have && !dr.approved && !approved_by_me && !(four && mine) && !dr.nmissing) {
			form_open(req, resp, case_id, "approve", NULL, "approve-form");
			hidden_art14(b, eid, stage);
			html_raw(
			    b, "<button type=\"submit\" class=\"approve\">Approve</button></form>");
		}
		snprintf(fid, sizeof(fid), "submitted-%lld-%s", (long long)eid, stage);
		form_open(req, resp, case_id, "submitted", fid, "submitted-form");
		hidden_art14(b, eid, stage);
		tv = typed(req, fe, fid, "at");
		html(b, "<div class=\"field\"><label for=\"f-%s-at\">Filed at (UTC)</label>", fid);
		field_error(b, fe, fid, "at");
		html_raw(b, "<input name=\"at\" maxlength=\"40\"");
		field_attrs(b, fe, fid, "at");
		html(b, " value=\"%s\"></div>", tv ? tv : vg_time_format(now, ts, sizeof(ts)));
		free(tv);
		tv = typed(req, fe, fid, "reference");
		html(b,
		     "<div class=\"field\"><label for=\"f-%s-reference\">Receipt reference</label>",
		     fid);
		field_error(b, fe, fid, "reference");
		html_raw(b, "<input name=\"reference\" maxlength=\"200\"");
		field_attrs(b, fe, fid, "reference");
		html(b, " value=\"%s\"></div>", tv ? tv : "");
		free(tv);
		tv = typed(req, fe, fid, "reason");
		html(
		    b, "<div class=\"field\"><label for=\"f-%s-reason\">Reason%s</label>", fid,
		    earlier || !(have && dr.approved)
			? " (needed: recorded before an earlier stage or without an approved draft)"
			: " (only needed out of order or without an approved draft)");
		field_error(b, fe, fid, "reason");
		html_raw(b, "<textarea name=\"reason\" rows=\"2\" maxlength=\"4000\"");
		field_attrs(b, fe, fid, "reason");
		html(
		    b,
		    ">%s</textarea></div><button type=\"submit\">Record submission</button></form>",
		    tv ? tv : "");
		free(tv);
	}
	/* every field of the draft, edited at once: one new version */
	if (can_act(req) && ob && have && !submitted) {
		json_t *fields = json_object_get(d, "fields"), *v;
		const char *k;
		snprintf(fid, sizeof(fid), "edit-%lld-%s", (long long)eid, stage);
		html(b, "<details class=\"edit-draft\"%s><summary>Edit the fields</summary>",
		     fe_is(fe, fid) || dr.nmissing ? " open" : "");
		form_open(req, resp, case_id, "edit", fid, "edit-fields");
		hidden_art14(b, eid, stage);
		json_object_foreach(fields, k, v)
		{
			char val[16384];
			if (!art14_field_known(k) || strcmp(k, "vulnerability") == 0)
				continue;
			field_text(v, val, sizeof(val));
			tv = typed(req, fe, fid, k);
			html(b, "<div class=\"field\"><label for=\"f-%s-%s\">%s</label>", fid, k,
			     art14_field_label(k));
			field_error(b, fe, fid, k);
			if (strcmp(k, "suspected_malicious") == 0) {
				const char *cur = tv ? tv : val;
				html(b, "<select name=\"%s\"", k);
				field_attrs(b, fe, fid, k);
				html(b,
				     "><option value=\"false\"%s>No</option><option "
				     "value=\"true\"%s>Yes</option></select></div>",
				     strcmp(cur, "true") ? " selected" : "",
				     strcmp(cur, "true") ? "" : " selected");
			} else {
				html(b, "<textarea name=\"%s\" rows=\"2\" maxlength=\"16384\"", k);
				field_attrs(b, fe, fid, k);
				html(b, ">%s</textarea></div>", tv ? tv : val);
			}
			free(tv);
		}
		html_raw(b,
			 "<button type=\"submit\">Save as a new version</button></form></details>");
	}
	html_raw(b, "</section>");
	art14_draft_release(&dr);
}

static void exposure_html(struct http_req *req, struct http_resp *resp, int64_t case_id,
			  const struct art14_exposure *e, int64_t now, const struct form_err *fe)
{
	struct vg_buf *b = &resp->body;
	char t1[VG_TIME_BUFSZ];

	html(b, "<article class=\"exposure\" id=\"exposure-%lld\"><h3>Exposure %lld: %s</h3>",
	     (long long)e->id, (long long)e->id, html_label(kind_words, e->kind));
	html_raw(b, "<dl class=\"facts\">");
	fact_row(b, "", "Aware since (UTC)", tfmt(e->aware_at, t1, sizeof(t1)), 0);
	fact_row(b, "", "Recorded by", e->aware_by, 0);
	fact_row(b, "", "Recorded at (UTC)", tfmt(e->aware_recorded_at, t1, sizeof(t1)), 0);
	fact_row(b, "", "Evidence", e->evidence, 1);
	fact_row(b, "", "Member States", e->member_states, 0);
	fact_row(b, "", "Fix available (UTC)", tfmt(e->fix_available_at, t1, sizeof(t1)), 0);
	fact_row(b, "", "Corrective measure (release)", e->fix_release, 0);
	html_raw(b, "</dl><div class=\"drafts\">");
	for (int k = 0; draft_stages[k]; k++) {
		const struct art14_report *ob = NULL;
		int st = art14_stage_parse(draft_stages[k]);
		for (size_t i = 0; i < e->reports.n; i++)
			if (e->reports.items[i].stage == st)
				ob = &e->reports.items[i];
		/* intermediate reports exist only when the CSIRT asked for one */
		if (!ob && st == ART14_INTERMEDIATE)
			continue;
		draft_column(req, resp, case_id, e, draft_stages[k], ob, now, fe);
	}
	html_raw(b, "</div></article>\n");
}

static void exploited_form(struct http_req *req, struct http_resp *resp, int64_t id, size_t nexp,
			   int64_t now)
{
	struct vg_buf *b = &resp->body;
	char ts[VG_TIME_BUFSZ];

	form_open(req, resp, id, "exploited", "exploited-form", "card");
	html(b,
	     "<h3>%s</h3><p>Records when you became aware (who, when, from what "
	     "evidence) and starts the early warning (24 h) and notification (72 h) "
	     "clocks.</p><label>Aware since (UTC, RFC 3339) <input name=\"aware_at\" "
	     "id=\"aware-at\" required maxlength=\"40\" value=\"%s\"></label>"
	     "<label>Evidence <textarea name=\"evidence\" id=\"evidence\" rows=\"3\" "
	     "required maxlength=\"8192\"></textarea></label><label>Member States where "
	     "the product is available (optional, e.g. DE,FR) <input "
	     "name=\"member_states\" maxlength=\"200\"></label><button type=\"submit\" "
	     "id=\"mark-exploited\">Mark actively exploited</button></form>",
	     nexp ? "Record another awareness" : "Mark actively exploited",
	     vg_time_format(now, ts, sizeof(ts)));
}

/* The Art. 14(8) notice: a document of its own schema (JSON by nature). */
static void notice_html(struct vg_buf *b, int64_t id, const struct user_notice *un)
{
	struct vg_buf t = VG_BUF_INIT;
	const json_t *n = un ? un->doc : NULL;
	json_t *x;
	size_t i;

	html_raw(b, "<section id=\"user-notice\"><h2>Information to users (Art. 14(8))</h2>");
	if (!n) {
		html_raw(b, "<p class=\"error\">The user notification could not be built.</p>"
			    "</section>");
		return;
	}
	html(b,
	     "<p class=\"hint\">Draft for publication with the advisory; <a "
	     "href=\"/api/v1/cases/%lld/user-notification\">JSON (%s)</a>. %s</p>",
	     (long long)id, USER_NOTICE_SCHEMA,
	     un->publishable ? "Ready after review." : "Not ready to publish.");
	if (un->nmissing) {
		html_raw(b, "<p class=\"missing-list\" id=\"user-notice-missing\">Missing: ");
		json_array_foreach(json_object_get(n, "missing"), i, x)
		    html(b, "%s%s (%s)", i ? ", " : "", user_notice_label(json_string_value(x)),
			 json_string_value(x));
		html_raw(b, "</p>");
	}
	user_notice_text(un, &t);
	html(b, "<pre id=\"user-notice-text\" class=\"report-text\">%s</pre></section>\n",
	     t.data ? t.data : "");
	vg_buf_release(&t);
}

static void messages_html(struct http_req *req, struct http_resp *resp, const struct psirt_case *c)
{
	struct vg_buf *b = &resp->body;

	html_raw(b, "<section id=\"messages\"><h2>Messages and notes</h2><ol "
		    "class=\"messages\">");
	for (size_t i = 0; i < c->nmessages; i++) {
		const struct psirt_case_message *m = &c->messages[i];
		const char *k = m->kind ? m->kind : "";
		const char *who = strcmp(k, "from_reporter") == 0 ? "from the reporter"
				  : strcmp(k, "to_reporter") == 0 ? "to the reporter"
								  : "internal note";
		html(b,
		     "<li class=\"msg msg-%s\"><p class=\"meta\"><strong>%s</strong> &middot; %s "
		     "&middot; ",
		     k, who, m->author);
		html_time(b, m->created_at, NULL);
		html(b, "</p><pre class=\"report-text\">%s</pre></li>", m->body);
	}
	if (!c->nmessages)
		html_raw(b, "<li class=\"none\">No messages yet.</li>");
	html_raw(b, "</ol>");
	if (can_act(req)) {
		html_raw(b, "<div class=\"forms\">");
		form_open(req, resp, c->id, "message", "message-form", "card");
		html_raw(b, "<h3>Message to the reporter</h3><p class=\"hint\">The reporter "
			    "sees it on their tracking page.</p><label for=\"message-body\" "
			    "class=\"visually-hidden\">Message to the reporter</label><textarea "
			    "name=\"body\" id=\"message-body\" rows=\"4\" required "
			    "maxlength=\"65536\"></textarea><button "
			    "type=\"submit\">Send</button></form>");
		form_open(req, resp, c->id, "note", "note-form", "card");
		html_raw(b,
			 "<h3>Internal note</h3><p class=\"hint\">Never shown to the "
			 "reporter.</p><label for=\"note-body\" class=\"visually-hidden\">Internal "
			 "note</label><textarea name=\"body\" id=\"note-body\" rows=\"4\" required "
			 "maxlength=\"65536\"></textarea><button type=\"submit\">Add "
			 "note</button></form>");
		html_raw(b, "</div>");
	}
	html_raw(b, "</section>\n");
}

/* The texts after the forms of this file that the shared banner table
 * (http/ui.c) does not know yet. */
static const struct html_label done_words[] = {
    {"opened", "Case opened."},
    {"link", "Link added."},
    {"unlink", "Link removed."},
    {"edit", "Draft saved as a new version."},
    {NULL, NULL},
};

/* The soonest Article 14 deadline not yet met, as a banner on top. */
static void next_deadline(struct vg_buf *b, const struct art14_exposure *exps, size_t nexp,
			  int64_t now)
{
	const struct art14_report *best = NULL;
	char left[64];

	for (size_t k = 0; k < nexp; k++)
		for (size_t i = 0; i < exps[k].reports.n; i++) {
			const struct art14_report *o = &exps[k].reports.items[i];
			if (o->submitted_at || !o->due_at)
				continue;
			if (!best || o->due_at < best->due_at)
				best = o;
		}
	if (!best)
		return;
	html(b,
	     "<div class=\"next-deadline clock clock-%s\" id=\"next-deadline\" "
	     "data-label-pending=\"%s\" data-label-due=\"%s\" data-label-overdue=\"%s\"><p>"
	     "<span class=\"clock-state\">%s</span> <span class=\"clock-label\">Art. 14 %s "
	     "(exposure %lld)</span> due ",
	     art14_state_name(best->state), html_label(urgency_words, "pending"),
	     html_label(urgency_words, "due"), html_label(urgency_words, "overdue"),
	     html_label(urgency_words, art14_state_name(best->state)),
	     html_label(stage_words, art14_stage_name(best->stage)), (long long)best->exposure_id);
	html_time(b, best->due_at, NULL);
	html(b,
	     " UTC: <strong class=\"countdown\" data-due=\"%lld\" data-now=\"%lld\" "
	     "data-starts=\"%lld\">",
	     (long long)best->due_at, (long long)now, (long long)best->starts_at);
	if (best->due_at >= now)
		html(b, "%s left", fmt_left(best->due_at - now, left, sizeof(left)));
	else
		html(b, "overdue by %s", fmt_left(now - best->due_at, left, sizeof(left)));
	html(b, "</strong> <a href=\"#draft-%lld-%s\">Go to the report</a></p></div>",
	     (long long)best->exposure_id, art14_stage_name(best->stage));
}

#define MAX_EXPOSURES 32 /* shown on one case page */

/* Draw the case page; fe (may be NULL) is a refused form, drawn again at
 * its field with what was typed, with status. */
static int render_case(struct http_req *req, struct http_resp *resp, int64_t id,
		       const struct form_err *fe, int status)
{
	struct vg_error err = {0};
	struct vg_buf *b = &resp->body;
	struct psirt_case c;
	struct art14_exposure exps[MAX_EXPOSURES];
	struct user_notice notice;
	json_t *recs = NULL;
	int have_notice;
	size_t nexp = 0, i;
	int64_t now = vg_now();
	char title[400];
	const char *done = http_query(req, "done");

	if (case_get(req->db, id, &c, &err))
		return error_page(req, resp, "Case", err.code, vg_error_msg(&err));
	for (i = 0; i < c.nexposures && nexp < MAX_EXPOSURES; i++) {
		if (art14_get(req->db, c.exposures[i].id, &exps[nexp], &err)) {
			for (size_t k = 0; k < nexp; k++)
				art14_exposure_release(&exps[k]);
			psirt_case_release(&c);
			return error_page(req, resp, "Case", err.code, vg_error_msg(&err));
		}
		nexp++;
	}
	if (timeline(req->db, &c, &recs, &err))
		recs = NULL;
	have_notice = user_notice_build(req->db, id, &notice, &err) == VG_OK;

	snprintf(title, sizeof(title), "Case %lld: %s", (long long)id, c.title ? c.title : "");
	ui_page_begin(req, resp, title, "cases");
	if (status)
		resp->status = status;
	html_raw(b, "<p><a href=\"/ui/cases\">&larr; All cases</a></p>");
	if (fe)
		error_summary(b, fe);
	else if (done && !fe && html_label(done_words, done) != done)
		html(b, "<p class=\"ok\" role=\"status\" id=\"flash\">%s</p>",
		     html_label(done_words, done));
	else /* ?done=CODE after a form: a text of the one banner table (http/ui.h) */
		ui_flash(req, b, "case");
	next_deadline(b, exps, nexp, now);
	clocks_html(b, &c, exps, nexp, now);
	case_facts(req, resp, &c, fe);
	attachments_html(b, &c, can_act(req));
	if (can_act(req))
		workflow_forms(req, resp, &c, fe);

	html_raw(b, "<section id=\"art14\"><h2>Article 14 reporting</h2><p class=\"hint\">"
		    "vigil prepares the drafts; a person files them on the ENISA single "
		    "reporting platform and records the filing here. Order: early warning "
		    "(24 h), notification (72 h), final report.</p>");
	if (c.nexposures > nexp)
		html(b,
		     "<p class=\"error\">This case has %zu exposures; the first %zu are shown "
		     "(vigil art14 list shows all).</p>",
		     c.nexposures, nexp);
	for (i = 0; i < nexp; i++)
		exposure_html(req, resp, id, &exps[i], now, fe);
	if (can_act(req))
		exploited_form(req, resp, id, nexp, now);
	html_raw(b, "</section>\n");
	notice_html(b, id, have_notice ? &notice : NULL);
	messages_html(req, resp, &c);
	if (recs)
		timeline_html(b, recs);
	else
		html_raw(b, "<p class=\"error\">The timeline could not be read.</p>");
	html_raw(b, "<script src=\"/static/countdown.js\" defer></script>");

	for (i = 0; i < nexp; i++)
		art14_exposure_release(&exps[i]);
	json_decref(recs);
	user_notice_release(&notice);
	psirt_case_release(&c);
	return ui_page_end(resp);
}

static int case_id_of(struct http_req *req, int64_t *id, struct vg_error *err)
{
	return vg_id_parse(http_param(req, "id"), "case id", id, err);
}

static int case_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id;
	if (case_id_of(req, &id, &err))
		return error_page(req, resp, "Case", VG_EINVAL, vg_error_msg(&err));
	return render_case(req, resp, id, NULL, 0);
}

/* ---- forms ---- */

/*
 * A form field as a new string (caller frees) of at most max bytes.
 * VG_ENOTFOUND (out NULL) when absent, VG_ETOOBIG naming the field.
 */
static int form_str(struct http_req *req, const char *name, size_t max, char **out,
		    struct vg_error *err)
{
	char *v = malloc(max + 1);
	int rc;
	*out = NULL;
	if (!v)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = http_form(req, name, v, max + 1);
	if (rc == VG_ETOOBIG) {
		free(v);
		return vg_error_set(err, rc, "%s: at most %zu bytes", name, max);
	}
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	return VG_OK;
}

/* A required form field: absent or empty is VG_EINVAL naming it. */
static int form_need(struct http_req *req, const char *name, const char *label, size_t max,
		     char **out, struct vg_error *err)
{
	int rc = form_str(req, name, max, out, err);
	if (rc == VG_ENOTFOUND || (!rc && !**out)) {
		free(*out);
		*out = NULL;
		return vg_error_set(err, VG_EINVAL, "%s: required", label);
	}
	return rc;
}

static int finish_form(struct http_req *req, struct http_resp *resp, int64_t id, int rc,
		       const struct vg_error *err, const char *done, const char *form,
		       const char *field)
{
	char loc[96];
	if (rc) {
		struct form_err fe = {form, field, vg_error_msg(err)};
		return render_case(req, resp, id, &fe, vg_code_http_status(rc));
	}
	snprintf(loc, sizeof(loc), "/ui/cases/%lld?done=%s", (long long)id, done);
	return http_redirect(resp, loc);
}

static int finish_action(struct http_req *req, struct http_resp *resp, int64_t id, int rc,
			 const struct vg_error *err, const char *done)
{
	return finish_form(req, resp, id, rc, err, done, NULL, NULL);
}

/* The case of the URL must exist: a missing one is a 404 page. */
static int action_case(struct http_req *req, struct http_resp *resp, int64_t *id)
{
	struct vg_error err = {0};
	struct psirt_case c;
	if (case_id_of(req, id, &err))
		return error_page(req, resp, "Case", VG_EINVAL, vg_error_msg(&err));
	if (case_get(req->db, *id, &c, &err))
		return error_page(req, resp, "Case", err.code, vg_error_msg(&err));
	psirt_case_release(&c);
	return VG_OK;
}

static int act_ack(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id;
	if (action_case(req, resp, &id))
		return VG_OK;
	return finish_action(req, resp, id,
			     case_transition(req->db, id, "acknowledged", NULL, &err), &err, "ack");
}

static int act_state(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char *to = NULL, *note = NULL;
	int64_t id;
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = form_need(req, "to", "To state", 32, &to, &err);
	if (!rc) {
		rc = form_str(req, "note", FORM_TEXT_MAX, &note, &err);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
	}
	if (!rc)
		rc = case_transition(req->db, id, to, note, &err);
	free(to);
	free(note);
	return finish_action(req, resp, id, rc, &err, "state");
}

static int act_assign(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char *who = NULL;
	int64_t id;
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = form_need(req, "assignee", "assignee", 128, &who, &err);
	if (!rc)
		rc = case_assign(req->db, id, who, &err);
	free(who);
	return finish_form(req, resp, id, rc, &err, "assign", "assign-form", "assignee");
}

static int act_text(struct http_req *req, struct http_resp *resp, const char *kind,
		    const char *done)
{
	struct vg_error err = {0};
	char *body = NULL;
	int64_t id;
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = form_need(req, "body", strcmp(kind, "note") == 0 ? "Note" : "Message", FORM_TEXT_MAX,
		       &body, &err);
	if (!rc)
		rc = case_message(req->db, id, kind, body, &err);
	free(body);
	return finish_action(req, resp, id, rc, &err, done);
}

static int act_note(struct http_req *req, struct http_resp *resp)
{
	return act_text(req, resp, "note", "note");
}

static int act_message(struct http_req *req, struct http_resp *resp)
{
	return act_text(req, resp, "to_reporter", "message");
}

static int act_exploited(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char *at = NULL, *evidence = NULL, *ms = NULL;
	int64_t id, aware = 0, exposure = 0;
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = form_need(req, "aware_at", "Aware since", 40, &at, &err);
	if (!rc && vg_time_parse(at, &aware, &err))
		rc = vg_error_set(&err, VG_EINVAL,
				  "Aware since: '%s' is not an RFC 3339 time "
				  "(2026-09-20T08:00:00Z)",
				  at);
	if (!rc)
		rc = form_need(req, "evidence", "Evidence (what shows active exploitation)", 8192,
			       &evidence, &err);
	if (!rc) {
		rc = form_str(req, "member_states", 200, &ms, &err);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
	}
	if (!rc)
		rc = case_exploited(req->db, id, aware, evidence, ms && *ms ? ms : NULL, &exposure,
				    &err);
	free(at);
	free(evidence);
	free(ms);
	return finish_action(req, resp, id, rc, &err, "exploited");
}

/* The exposure and stage of an Article 14 form; the exposure must belong to
 * the case of the URL. */
static int art14_target(struct http_req *req, int64_t id, int64_t *exposure, char *stage,
			size_t stagesz, struct vg_error *err)
{
	char buf[32];
	int64_t n = 0;
	int rc;

	if (http_form(req, "exposure", buf, sizeof(buf)) != VG_OK)
		return vg_error_set(err, VG_EINVAL, "exposure: required");
	if ((rc = vg_id_parse(buf, "exposure", exposure, err)))
		return rc;
	if (http_form(req, "stage", stage, stagesz) != VG_OK || art14_stage_parse(stage) < 0)
		return vg_error_set(err, VG_EINVAL,
				    "stage: expected early-warning, notification, intermediate "
				    "or final");
	rc = store_query_int64(req->db, &n, err,
			       "SELECT COUNT(*) FROM art14_exposures WHERE id = ? AND case_id = ?",
			       "ii", *exposure, id);
	if (!rc && !n)
		rc = vg_error_set(err, VG_ENOTFOUND, "case %lld has no exposure %lld",
				  (long long)id, (long long)*exposure);
	return rc;
}

static int act_draft(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char stage[32];
	int64_t id, eid = 0;
	struct art14_draft d = {0};
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = art14_target(req, id, &eid, stage, sizeof(stage), &err);
	if (!rc)
		rc = art14_draft(req->db, eid, stage, &d, &err);
	art14_draft_release(&d);
	return finish_action(req, resp, id, rc, &err, "draft");
}

/* Every field of the edit form whose value differs from the latest draft's,
 * set at once (one new version). The single-field form (field, value) of
 * earlier pages still works. */
static int act_edit(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char stage[32], field[64], fid[96];
	char *value = NULL;
	int64_t id, eid = 0;
	struct art14_draft d = {0}, cur = {0};
	const char *names[64], *bad = NULL;
	char *values[64];
	size_t n = 0;
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = art14_target(req, id, &eid, stage, sizeof(stage), &err);
	snprintf(fid, sizeof(fid), "edit-%lld-%s", (long long)eid, stage);
	if (!rc && http_form(req, "field", field, sizeof(field)) == VG_OK) {
		rc = form_str(req, "value", 16384, &value, &err);
		if (rc == VG_ENOTFOUND)
			rc = vg_error_set(&err, VG_EINVAL, "value: required (empty clears)");
		if (!rc) {
			const char *nm[1] = {field}, *vl[1] = {value};
			rc = art14_edit(req->db, eid, stage, 1, nm, vl, &d, &err);
		}
		art14_draft_release(&d);
		free(value);
		return finish_action(req, resp, id, rc, &err, "edit");
	}
	if (!rc)
		rc = art14_draft_get(req->db, eid, stage, 0, &cur, &err);
	if (!rc) {
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(cur.doc, "fields"), k, v)
		{
			char was[16384];
			char *now = NULL;
			if (!art14_field_known(k) || strcmp(k, "vulnerability") == 0 ||
			    n >= sizeof(names) / sizeof(names[0]))
				continue;
			if (form_str(req, k, 16384, &now, &err) != VG_OK) {
				if (err.code == VG_ETOOBIG) {
					rc = VG_ETOOBIG;
					bad = k;
					break;
				}
				continue;
			}
			field_text(v, was, sizeof(was));
			if (strcmp(was, now) == 0) {
				free(now);
				continue;
			}
			names[n] = k;
			values[n++] = now;
		}
	}
	if (!rc && n) {
		rc = art14_edit(req->db, eid, stage, n, names, (const char *const *)values, &d,
				&err);
		if (rc) {
			bad = names[0];
			for (size_t i = 0; i < n; i++)
				if (strncmp(vg_error_msg(&err), names[i], strlen(names[i])) == 0 ||
				    (strcmp(names[i], "member_states") == 0 &&
				     strncmp(vg_error_msg(&err), "member states", 13) == 0))
					bad = names[i];
		}
	}
	for (size_t i = 0; i < n; i++)
		free(values[i]);
	art14_draft_release(&d);
	art14_draft_release(&cur);
	return finish_form(req, resp, id, rc, &err, "edit", bad ? fid : NULL, bad);
}

static int act_approve(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char stage[32];
	int64_t id, eid = 0;
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = art14_target(req, id, &eid, stage, sizeof(stage), &err);
	if (!rc)
		rc = art14_approve(req->db, eid, stage, NULL, &err);
	return finish_action(req, resp, id, rc, &err, "approve");
}

static int act_submitted(struct http_req *req, struct http_resp *resp)
{
	static const char *const fields[] = {"at", "reference", "reason", NULL};
	struct vg_error err = {0};
	char stage[32], at[48], fid[96];
	char *ref = NULL, *reason = NULL;
	const char *field = NULL;
	int64_t id, eid = 0, t = 0;
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = art14_target(req, id, &eid, stage, sizeof(stage), &err);
	snprintf(fid, sizeof(fid), "submitted-%lld-%s", (long long)eid, stage);
	if (!rc && (http_form(req, "at", at, sizeof(at)) != VG_OK || !*at)) {
		rc = vg_error_set(&err, VG_EINVAL, "Filed at: required (RFC 3339, UTC)");
		field = "at";
	}
	if (!rc && vg_time_parse(at, &t, &err)) {
		rc = vg_error_set(&err, VG_EINVAL,
				  "Filed at: '%s' is not an RFC 3339 time (2026-09-20T08:00:00Z)",
				  at);
		field = "at";
	}
	if (!rc && (rc = form_need(req, "reference", "Receipt reference", 200, &ref, &err)))
		field = "reference";
	if (!rc) {
		rc = form_str(req, "reason", 4000, &reason, &err);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
		else if (rc)
			field = "reason";
	}
	if (!rc) {
		rc = art14_submitted_ex(req->db, eid, stage, t, ref, reason, NULL, &err);
		if (rc)
			field = field_of(vg_error_msg(&err), fields, "reference");
	}
	free(ref);
	free(reason);
	return finish_form(req, resp, id, rc, &err, "submitted", field ? fid : NULL, field);
}

static int act_link(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char *vuln = NULL, *finding = NULL;
	const char *field = "vuln";
	int64_t id;
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = form_str(req, "vuln", 200, &vuln, &err);
	if (rc == VG_ENOTFOUND)
		rc = VG_OK;
	if (!rc) {
		rc = form_str(req, "finding", 40, &finding, &err);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
	}
	if (!rc && (!vuln || !*vuln) && (!finding || !*finding))
		rc = vg_error_set(&err, VG_EINVAL,
				  "vulnerability: give a CVE or GHSA id, or a finding number");
	if (!rc && vuln && *vuln) {
		const char *k = case_vuln_kind(vuln);
		rc = k ? case_link(req->db, id, k, vuln, &err)
		       : vg_error_set(&err, VG_EINVAL,
				      "vulnerability '%s': expected a CVE id (CVE-2026-12345) or a "
				      "GitHub advisory id (GHSA-xxxx-xxxx-xxxx)",
				      vuln);
	}
	if (!rc && finding && *finding) {
		field = "finding";
		rc = case_link(req->db, id, "finding", finding, &err);
	}
	free(vuln);
	free(finding);
	return finish_form(req, resp, id, rc, &err, "link", "link-form", field);
}

static int act_unlink(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char kind[32], value[256];
	int64_t id;
	int rc = VG_OK;
	if (action_case(req, resp, &id))
		return VG_OK;
	if (http_form(req, "kind", kind, sizeof(kind)) != VG_OK ||
	    http_form(req, "value", value, sizeof(value)) != VG_OK)
		rc = vg_error_set(&err, VG_EINVAL, "kind and value: required");
	if (!rc)
		rc = case_unlink(req->db, id, kind, value, &err);
	return finish_action(req, resp, id, rc, &err, "unlink");
}

/* ---- a new case, and a case from findings ---- */

/* A text input (or textarea when rows > 0) of form with its label, error
 * and the value typed (or dflt). */
static void text_field(struct http_req *req, struct vg_buf *b, const struct form_err *fe,
		       const char *form, const char *name, const char *label, const char *hint,
		       size_t max, int rows, const char *dflt)
{
	char *tv = typed(req, fe, form, name);
	const char *v = tv ? tv : dflt ? dflt : "";

	html(b, "<div class=\"field\"><label for=\"f-%s-%s\">%s</label>", form, name, label);
	if (hint)
		html(b, "<p class=\"hint\">%s</p>", hint);
	field_error(b, fe, form, name);
	if (rows) {
		html(b, "<textarea name=\"%s\" rows=\"%d\" maxlength=\"%zu\"", name, rows, max);
		field_attrs(b, fe, form, name);
		html(b, ">%s</textarea></div>", v);
	} else {
		html(b, "<input name=\"%s\" maxlength=\"%zu\" autocomplete=\"off\"", name, max);
		field_attrs(b, fe, form, name);
		html(b, " value=\"%s\"></div>", v);
	}
	free(tv);
}

static void severity_field(struct http_req *req, struct vg_buf *b, const struct form_err *fe,
			   const char *form, const char *none)
{
	char *tv = typed(req, fe, form, "severity");
	html(b, "<div class=\"field\"><label for=\"f-%s-severity\">Severity</label>", form);
	field_error(b, fe, form, "severity");
	html_raw(b, "<select name=\"severity\"");
	field_attrs(b, fe, form, "severity");
	html(b, "><option value=\"\">%s</option>", none);
	for (int k = 0; severity_words[k].code; k++)
		html(b, "<option value=\"%s\"%s>%s</option>", severity_words[k].code,
		     tv && strcmp(tv, severity_words[k].code) == 0 ? " selected" : "",
		     severity_words[k].text);
	html_raw(b, "</select></div>");
	free(tv);
}

static void assignee_field(struct http_req *req, struct vg_buf *b, const struct form_err *fe,
			   const char *form)
{
	char *tv = typed(req, fe, form, "assignee");
	html(b, "<div class=\"field\"><label for=\"f-%s-assignee\">Assignee</label>", form);
	field_error(b, fe, form, "assignee");
	people_select(req, b, fe, form, "assignee", tv, 1);
	html_raw(b, "</div>");
	free(tv);
}

static const char *const new_fields[] = {"title",           "product",     "version",
					 "severity",        "description", "assignee",
					 "vulnerabilities", "findings",    NULL};

static int new_case_page_fe(struct http_req *req, struct http_resp *resp, const struct form_err *fe,
			    int status)
{
	struct vg_buf *b = &resp->body;

	ui_page_begin(req, resp, "New case", "cases");
	if (status)
		resp->status = status;
	html_raw(b, "<p><a href=\"/ui/cases\">&larr; All cases</a></p>");
	error_summary(b, fe);
	html_raw(b, "<p class=\"hint\">A case the PSIRT opens itself (a report that reached you "
		    "another way, or something you found). It starts acknowledged: no "
		    "acknowledgement clock runs. To start from findings, use <a "
		    "href=\"/ui/cases/from-findings\">Open a case from findings</a>.</p>");
	html_raw(b, "<form method=\"post\" action=\"/ui/cases\" id=\"new-case\" class=\"card "
		    "form-page\" novalidate>");
	ui_csrf_field(req, resp);
	text_field(req, b, fe, "new-case", "title", "Title", NULL, 300, 0, NULL);
	text_field(req, b, fe, "new-case", "product", "Product", NULL, 200, 0, NULL);
	text_field(req, b, fe, "new-case", "version", "Version (optional)", NULL, 100, 0, NULL);
	severity_field(req, b, fe, "new-case", "not set yet");
	text_field(req, b, fe, "new-case", "description", "Description",
		   "What is known: the weakness, how it was found, what it affects.", 65536, 6,
		   NULL);
	assignee_field(req, b, fe, "new-case");
	text_field(req, b, fe, "new-case", "vulnerabilities", "Vulnerabilities (optional)",
		   "CVE or GHSA ids, separated by commas or spaces.", 4000, 0, NULL);
	html_raw(b, "<button type=\"submit\" id=\"open-case\">Open case</button></form>");
	return ui_page_end(resp);
}

static int new_case_page(struct http_req *req, struct http_resp *resp)
{
	return new_case_page_fe(req, resp, NULL, 0);
}

/* The ids of the repeated checkbox field name (finding=1&finding=2), plus
 * those of the text field "findings" (ids, or CVE/GHSA ids whose open
 * findings are taken), de-duplicated, at most CASE_OPEN_MAX_FINDINGS. */
static int picked_findings(struct http_req *req, int64_t **ids, size_t *n, struct vg_error *err)
{
	const char *p = req->body.data, *end = p ? p + req->body.len : NULL;
	char *text = NULL;
	int rc = VG_OK;
	size_t cap = CASE_OPEN_MAX_FINDINGS;
	int64_t *v = calloc(cap, sizeof(*v));
	size_t k = 0;

	*ids = NULL;
	*n = 0;
	if (!v)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *e = amp ? amp : end;
		if ((size_t)(e - p) > 8 && memcmp(p, "finding=", 8) == 0) {
			char num[24];
			size_t len = (size_t)(e - p - 8);
			int64_t id = 0;
			snprintf(num, sizeof(num), "%.*s", (int)(len < 23 ? len : 23), p + 8);
			if (vg_id_parse(num, "findings", &id, err)) {
				rc = VG_EINVAL;
				break;
			}
			for (size_t i = 0; i < k; i++)
				if (v[i] == id)
					id = 0;
			if (id && k < cap)
				v[k++] = id;
		}
		p = amp ? amp + 1 : end;
	}
	if (!rc) {
		rc = form_str(req, "findings", 16384, &text, err);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
	}
	if (!rc && text && *text) {
		char **w = NULL;
		size_t nw = 0;
		rc = psirt_words(text, "findings", CASE_OPEN_MAX_FINDINGS, &w, &nw, err);
		for (size_t i = 0; !rc && i < nw; i++) {
			if (case_vuln_kind(w[i])) {
				struct findings_filter f = {0};
				struct finding_list l = {0};
				f.vuln = w[i];
				f.state = "open";
				f.limit = CASE_OPEN_MAX_FINDINGS;
				rc = findings_list(req->db, &f, &l, err);
				if (!rc && !l.n)
					rc = vg_error_set(err, VG_ENOTFOUND,
							  "findings: no open finding of %s", w[i]);
				for (size_t j = 0; !rc && j < l.n; j++) {
					int dup = 0;
					for (size_t x = 0; x < k; x++)
						dup |= v[x] == l.v[j].id;
					if (!dup && k < cap)
						v[k++] = l.v[j].id;
				}
				finding_list_release(&l);
			} else {
				int64_t id = 0;
				const char *x = w[i][0] == '#' ? w[i] + 1 : w[i];
				int dup = 0;
				if (vg_id_parse(x, "findings", &id, err)) {
					rc = vg_error_set(
					    err, VG_EINVAL,
					    "findings: '%s' is neither a finding number nor "
					    "a CVE or GHSA id",
					    w[i]);
					break;
				}
				for (size_t y = 0; y < k; y++)
					dup |= v[y] == id;
				if (!dup && k < cap)
					v[k++] = id;
			}
		}
		psirt_people_free(w, nw);
	}
	free(text);
	if (rc) {
		free(v);
		return rc;
	}
	*ids = v;
	*n = k;
	return VG_OK;
}

static int from_findings_page_fe(struct http_req *req, struct http_resp *resp,
				 const struct form_err *fe, int status);

/* POST /ui/cases and POST /ui/cases/from-findings: open the case. */
static int open_case(struct http_req *req, struct http_resp *resp, int from_findings)
{
	static const char *const text[] = {"title",    "product",     "version",
					   "severity", "description", "assignee"};
	const char *form = from_findings ? "from-findings" : "new-case";
	struct vg_error err = {0};
	struct case_open in = {0};
	char *val[6] = {0}, *vulns = NULL, **vw = NULL, loc[64];
	const char **slot[6] = {&in.title,    &in.product,     &in.version,
				&in.severity, &in.description, &in.assignee};
	int64_t *fids = NULL, id = 0;
	size_t nf = 0, nv = 0;
	const char *field = NULL;
	int rc = VG_OK;

	for (int i = 0; !rc && i < 6; i++) {
		rc = form_str(req, text[i], i == 4 ? 65536 : 400, &val[i], &err);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
		else if (rc)
			field = text[i];
		*slot[i] = val[i];
	}
	if (!rc) {
		rc = form_str(req, "vulnerabilities", 4000, &vulns, &err);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
		if (!rc)
			rc = psirt_words(vulns, "vulnerabilities", 100, &vw, &nv, &err);
		if (rc)
			field = "vulnerabilities";
	}
	if (!rc && from_findings) {
		rc = picked_findings(req, &fids, &nf, &err);
		if (!rc && !nf)
			rc = vg_error_set(&err, VG_EINVAL,
					  "findings: pick at least one finding (its number, or a "
					  "CVE or GHSA id)");
		if (rc)
			field = "findings";
	}
	if (!rc) {
		in.findings = fids;
		in.nfindings = nf;
		in.vulns = (const char *const *)vw;
		in.nvulns = nv;
		rc = case_open(req->db, &in, "ui", &id, &err);
		if (rc)
			field = field_of(vg_error_msg(&err), new_fields,
					 from_findings ? "findings" : "title");
		if (rc && (!strncmp(vg_error_msg(&err), "link value", 10) ||
			   !strncmp(vg_error_msg(&err), "cve", 3) ||
			   !strncmp(vg_error_msg(&err), "ghsa", 4)))
			field = "vulnerabilities";
	}
	for (int i = 0; i < 6; i++)
		free(val[i]);
	free(vulns);
	psirt_people_free(vw, nv);
	free(fids);
	if (rc) {
		struct form_err fe = {form, field, vg_error_msg(&err)};
		return from_findings
			   ? from_findings_page_fe(req, resp, &fe, vg_code_http_status(rc))
			   : new_case_page_fe(req, resp, &fe, vg_code_http_status(rc));
	}
	snprintf(loc, sizeof(loc), "/ui/cases/%lld?done=opened", (long long)id);
	return http_redirect(resp, loc);
}

static int act_new_case(struct http_req *req, struct http_resp *resp)
{
	return open_case(req, resp, 0);
}

static int act_from_findings(struct http_req *req, struct http_resp *resp)
{
	return open_case(req, resp, 1);
}

/* The findings named by the query's "findings" (ids or CVE/GHSA ids) as a
 * table of checkboxes, all ticked. */
static void findings_table(struct http_req *req, struct vg_buf *b, const char *q)
{
	struct vg_error err = {0};
	char **w = NULL;
	size_t nw = 0, shown = 0;

	if (psirt_words(q, "findings", CASE_OPEN_MAX_FINDINGS, &w, &nw, &err)) {
		html(b, "<p class=\"field-error\">%s</p>", vg_error_msg(&err));
		return;
	}
	html_raw(b, "<fieldset id=\"picked\"><legend>Findings to put in the case</legend><div "
		    "class=\"table-wrap\"><table id=\"picked-findings\"><thead><tr><th>use</th>"
		    "<th>#</th><th>vulnerability</th><th>product</th><th>component</th>"
		    "<th>severity</th><th>state</th></tr></thead><tbody>");
	for (size_t i = 0; i < nw; i++) {
		struct findings_filter f = {0};
		struct finding_list l = {0};
		struct finding_detail d;
		int64_t id = 0;
		const char *x = w[i][0] == '#' ? w[i] + 1 : w[i];
		const struct finding *rows[CASE_OPEN_MAX_FINDINGS];
		size_t nr = 0, have_d = 0;

		memset(&d, 0, sizeof(d));
		if (case_vuln_kind(w[i])) {
			f.vuln = w[i];
			f.state = "open";
			f.limit = CASE_OPEN_MAX_FINDINGS;
			if (findings_list(req->db, &f, &l, &err) == VG_OK)
				for (size_t j = 0; j < l.n; j++)
					rows[nr++] = &l.v[j];
		} else if (vg_id_parse(x, "finding", &id, &err) == VG_OK) {
			have_d = 1;
			if (triage_finding_get(req->db, id, &d, &err) == VG_OK)
				rows[nr++] = &d.f;
		}
		if (!nr)
			html(b,
			     "<tr class=\"not-found\"><td></td><td colspan=\"6\">%s: no such open "
			     "finding</td></tr>",
			     w[i]);
		for (size_t j = 0; j < nr; j++, shown++) {
			const struct finding *r = rows[j];
			html(b,
			     "<tr><td><input type=\"checkbox\" name=\"finding\" value=\"%lld\" "
			     "id=\"pick-%lld\" checked><label for=\"pick-%lld\" "
			     "class=\"visually-hidden\">Use finding %lld</label></td><td><a "
			     "href=\"/ui/findings/%lld\">%lld</a></td><td>%s%s</td><td>%s %s</td>"
			     "<td><code>%s</code></td><td>%s</td><td>%s</td></tr>",
			     (long long)r->id, (long long)r->id, (long long)r->id, (long long)r->id,
			     (long long)r->id, (long long)r->id, r->vuln_id,
			     r->kev ? " (known exploited)" : "", r->product, r->version, r->purl,
			     r->severity ? r->severity : "", r->state);
		}
		finding_list_release(&l);
		if (have_d)
			finding_detail_release(&d);
	}
	if (!nw)
		html_raw(b,
			 "<tr><td colspan=\"7\">Name findings above to see them here.</td></tr>");
	html_raw(b, "</tbody></table></div></fieldset>");
	(void)shown;
	psirt_people_free(w, nw);
}

static int from_findings_page_fe(struct http_req *req, struct http_resp *resp,
				 const struct form_err *fe, int status)
{
	struct vg_buf *b = &resp->body;
	const char *q = http_query(req, "findings");
	char *tq = typed(req, fe, "from-findings", "q");

	ui_page_begin(req, resp, "Open a case from findings", "cases");
	if (status)
		resp->status = status;
	html_raw(b, "<p><a href=\"/ui/cases\">&larr; All cases</a></p>");
	error_summary(b, fe);
	if (tq)
		q = tq;
	html_raw(b, "<form method=\"get\" action=\"/ui/cases/from-findings\" id=\"find-findings\" "
		    "class=\"card\"><div class=\"field\"><label "
		    "for=\"f-find-findings-findings\">Findings</label><p class=\"hint\">Finding "
		    "numbers, or CVE / GHSA ids to take every open finding of them; separated by "
		    "commas or spaces.</p><input name=\"findings\" id=\"f-find-findings-findings\" "
		    "maxlength=\"4000\" autocomplete=\"off\"");
	html(b, " value=\"%s\"></div><button type=\"submit\">Show findings</button></form>",
	     q ? q : "");
	html_raw(b, "<form method=\"post\" action=\"/ui/cases/from-findings\" id=\"from-findings\" "
		    "class=\"card form-page\" novalidate>");
	ui_csrf_field(req, resp);
	if (fe_at(fe, "from-findings", "findings"))
		html(b,
		     "<p class=\"field-error\" id=\"err-from-findings-findings\"><strong>Error:"
		     "</strong> %s</p>",
		     fe->msg);
	html(b,
	     "<input type=\"hidden\" name=\"q\" id=\"f-from-findings-findings\" "
	     "value=\"%s\">",
	     q ? q : "");
	findings_table(req, b, q);
	html_raw(b, "<p class=\"hint\">Product, version, title and severity come from the "
		    "findings unless you set them; every finding and its vulnerability are "
		    "linked to the case.</p>");
	text_field(req, b, fe, "from-findings", "title", "Title (optional)", NULL, 300, 0, NULL);
	severity_field(req, b, fe, "from-findings", "the highest of the findings");
	assignee_field(req, b, fe, "from-findings");
	text_field(req, b, fe, "from-findings", "description", "Description (optional)",
		   "Added after the list of findings.", 65536, 4, NULL);
	html_raw(b, "<button type=\"submit\" id=\"open-from-findings\">Open case</button></form>");
	free(tq);
	return ui_page_end(resp);
}

static int from_findings_page(struct http_req *req, struct http_resp *resp)
{
	return from_findings_page_fe(req, resp, NULL, 0);
}

/* ---- API: the user notification ---- */

static int api_user_notice(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	const char *fmt = http_query(req, "format");
	struct user_notice n;
	json_t *o;
	int64_t id;

	if (case_id_of(req, &id, &err))
		return http_fail(resp, &err);
	if (fmt && strcmp(fmt, "json") && strcmp(fmt, "text"))
		return http_error(resp, VG_EINVAL, "format '%.20s': expected json or text", fmt);
	if (user_notice_build(req->db, id, &n, &err))
		return http_fail(resp, &err);
	if (fmt && strcmp(fmt, "text") == 0) {
		struct vg_buf t = VG_BUF_INIT;
		int rc;
		user_notice_text(&n, &t);
		user_notice_release(&n);
		rc = http_text(resp, 200, "text/plain; charset=utf-8", t.data ? t.data : "", t.len);
		vg_buf_release(&t);
		return rc;
	}
	o = user_notice_to_json(&n);
	user_notice_release(&n);
	return http_json(resp, 200, o);
}

/* clang-format off */
const struct http_route cases_ui_routes[] = {
    {"GET", "/ui/cases", ROLE_READ, HTTP_UI, cases_page, "Cases page: state filter, counts, acknowledgement clocks", "ui"},
    {"GET", "/ui/cases/new", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, new_case_page, "New case form (title, product, version, severity, description, assignee, vulnerabilities)", "ui"},
    {"POST", "/ui/cases", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI | HTTP_BODY_TEXT, act_new_case, "Open a case (form of /ui/cases/new)", "ui"},
    {"GET", "/ui/cases/from-findings", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, from_findings_page, "Pick findings (ids or CVE/GHSA ids) to open a case from", "ui"},
    {"POST", "/ui/cases/from-findings", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI | HTTP_BODY_TEXT, act_from_findings, "Open a case from findings (form: finding=ID repeated and/or findings=\"ids or CVE ids\"; title, severity, assignee, description optional)", "ui"},
    {"GET", "/ui/cases/{id}", ROLE_READ, HTTP_UI, case_page, "One case: report, clocks, Art. 14 drafts, user notification, messages, timeline", "ui"},
    {"POST", "/ui/cases/{id}/ack", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_ack, "Acknowledge a case (form)", "ui"},
    {"POST", "/ui/cases/{id}/state", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_state, "Move a case (form: to, note)", "ui"},
    {"POST", "/ui/cases/{id}/assign", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_assign, "Assign a case (form: assignee)", "ui"},
    {"POST", "/ui/cases/{id}/note", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI | HTTP_BODY_TEXT, act_note, "Internal note (form: body)", "ui"},
    {"POST", "/ui/cases/{id}/message", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI | HTTP_BODY_TEXT, act_message, "Message to the reporter (form: body)", "ui"},
    {"POST", "/ui/cases/{id}/exploited", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_exploited, "Mark actively exploited (form: aware_at, evidence, member_states)", "ui"},
    {"POST", "/ui/cases/{id}/draft", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_draft, "Build a new Art. 14 draft version (form: exposure, stage)", "ui"},
    {"POST", "/ui/cases/{id}/link", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_link, "Link a case to a vulnerability (vuln: CVE/GHSA id) or a finding (finding: its number)", "ui"},
    {"POST", "/ui/cases/{id}/unlink", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_unlink, "Remove a link (form: kind, value)", "ui"},
    {"POST", "/ui/cases/{id}/edit", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_edit, "Edit an Art. 14 draft: every changed field at once (or field, value) as a new version", "ui"},
    {"POST", "/ui/cases/{id}/approve", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_approve, "Approve the latest Art. 14 draft (form: exposure, stage)", "ui"},
    {"POST", "/ui/cases/{id}/submitted", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_submitted, "Record an Art. 14 filing (form: exposure, stage, at, reference, reason when out of order or without an approved draft)", "ui"},
    {"GET", "/api/v1/cases/{id}/user-notification", ROLE_READ, 0, api_user_notice, "Art. 14(8) user notification of a case (schema vigil-user-notification/1; format=text for the wording)", "psirt"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
