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
#include "psirt/art14.h"
#include "psirt/cases.h"
#include "psirt/psirt_int.h"
#include "psirt/usernotice.h"
#include "store/store.h"

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

/* Draft fields offered by the edit form; each is checked with
 * art14_field_known() before it is shown. */
static const char *const edit_fields[] = {
    "summary",
    "nature",
    "initial_assessment",
    "measures_taken",
    "user_measures",
    "sensitivity",
    "member_states",
    "status_update",
    "severity_impact",
    "security_update",
    "malicious_actor",
    "root_cause",
    "mitigation",
    "suspected_malicious",
    "title",
    "product",
    "product_version",
    NULL,
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

static const char *stage_label(const char *stage)
{
	if (strcmp(stage, "early-warning") == 0)
		return "Early warning";
	if (strcmp(stage, "notification") == 0)
		return "Notification";
	if (strcmp(stage, "intermediate") == 0)
		return "Intermediate report";
	if (strcmp(stage, "final") == 0)
		return "Final report";
	return stage;
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
	     "<li class=\"clock clock-%s\" id=\"%s\"><span class=\"clock-label\">%s</span> "
	     "<span class=\"clock-state\">%s",
	     st == ART14_SUBMITTED ? "done" : art14_state_name(st), id, label, name);
	if (st == ART14_OVERDUE)
		html_raw(b, " &mdash; deadline breached");
	html_raw(b, "</span> ");
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
		html(b, ">%s <span class=\"count\">%zu</span></a></li>", case_states[k], n);
	}
	html_raw(b, "</ul>");

	html_raw(b, "<form method=\"get\" action=\"/ui/cases\" id=\"case-filter\"><label>State "
		    "<select name=\"state\"><option value=\"\">all</option>");
	for (int k = 0; case_states[k]; k++) {
		html_raw(b, filter && strcmp(filter, case_states[k]) == 0 ? "<option selected>"
									  : "<option>");
		html(b, "%s</option>", case_states[k]);
	}
	html_raw(b, "</select></label> <button type=\"submit\">Show</button></form>");

	html_raw(b, "<table id=\"cases\"><thead><tr><th>#</th><th>title</th><th>state</th>"
		    "<th>product</th><th>received (UTC)</th><th>acknowledgement</th>"
		    "<th>assignee</th></tr></thead><tbody>");
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
		    "<td>%s",
		    (long long)c->id, st, (long long)c->id, (long long)c->id, (long long)c->id,
		    c->title, st, c->product);
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
		html_raw(b, "<tr><td colspan=\"7\">No cases.</td></tr>");
	html_raw(b, "</tbody></table>");
	psirt_case_list_release(&l);
	return ui_page_end(resp);
}

/* ---- the timeline ---- */

static const struct {
	const char *action;
	const char *label;
} action_labels[] = {
    {"case.received", "Report received"},
    {"case.ack", "Acknowledged"},
    {"case.state", "State changed"},
    {"case.assign", "Assigned"},
    {"case.note", "Internal note"},
    {"case.message", "Message"},
    {"case.link", "Linked"},
    {"case.update", "Embargo or credit changed"},
    {"case.ack_alert", "Acknowledgement alert sent"},
    {"art14.aware", "Awareness recorded: Article 14 clocks started"},
    {"art14.draft", "Draft built"},
    {"art14.draft_edit", "Draft edited"},
    {"art14.approve", "Draft approved"},
    {"art14.submitted", "Filing recorded"},
    {"art14.alert", "Article 14 alert sent"},
    {"art14.fix_available", "Fix or mitigation available"},
    {"art14.intermediate_requested", "Intermediate report requested"},
};

static const char *action_label(const char *a)
{
	for (size_t i = 0; a && i < sizeof(action_labels) / sizeof(action_labels[0]); i++)
		if (strcmp(action_labels[i].action, a) == 0)
			return action_labels[i].label;
	return a ? a : "";
}

/* A value, cut to about 100 bytes (never inside a UTF-8 sequence), escaped. */
static void short_value(struct vg_buf *b, const json_t *v)
{
	char *t = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	const char *s = json_is_string(v) ? json_string_value(v) : t ? t : "";
	size_t n = strlen(s), cut = n > 100 ? 100 : n;
	char buf[112];

	while (cut < n && cut && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	snprintf(buf, sizeof(buf), "%.*s%s", (int)cut, s, cut < n ? "\xe2\x80\xa6" : "");
	html(b, "%s", buf);
	free(t);
}

/* before/after of an audit record in a few words: "state: received -> acknowledged". */
static void summarise(struct vg_buf *b, const json_t *before, const json_t *after)
{
	const char *k;
	json_t *v;
	int n = 0;

	if (!json_is_object(after)) {
		if (!json_is_null(after) && after)
			short_value(b, after);
		return;
	}
	html_raw(b, "<ul class=\"change\">");
	json_object_foreach((json_t *)after, k, v)
	{
		json_t *old = json_is_object(before) ? json_object_get(before, k) : NULL;
		if (++n > 12) {
			html_raw(b, "<li>&hellip;</li>");
			break;
		}
		html(b, "<li><span class=\"key\">%s</span>: ", k);
		if (old && !json_equal(old, v)) {
			short_value(b, old);
			html_raw(b, " &rarr; ");
		}
		short_value(b, v);
		html_raw(b, "</li>");
	}
	html_raw(b, "</ul>");
}

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

	html_raw(b, "<section id=\"timeline\"><h2>Timeline</h2><p class=\"hint\">From the "
		    "audit trail (hash-chained): who did what, when.</p><table "
		    "id=\"timeline-table\"><thead><tr><th>#</th><th>time (UTC)</th><th>who</th>"
		    "<th>what</th><th>object</th><th>change</th></tr></thead><tbody>");
	json_array_foreach(recs, i, r)
	{
		html(b, "<tr data-action=\"%s\"><td>%lld</td><td>", str(r, "action"),
		     (long long)json_integer_value(json_object_get(r, "seq")));
		time_el(b, str(r, "at"));
		html(b, "</td><td>%s</td><td>%s <code>%s</code></td><td>%s:%s</td><td>",
		     str(r, "actor"), action_label(vg_json_str(r, "action")), str(r, "action"),
		     str(r, "object_type"), str(r, "object_id"));
		summarise(b, json_object_get(r, "before"), json_object_get(r, "after"));
		html_raw(b, "</td></tr>");
	}
	if (!json_array_size(recs))
		html_raw(b, "<tr><td colspan=\"6\">Nothing recorded.</td></tr>");
	html_raw(b, "</tbody></table></section>");
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

static void case_facts(struct vg_buf *b, const struct psirt_case *c)
{
	char prodver[400], ts[VG_TIME_BUFSZ];

	snprintf(prodver, sizeof(prodver), "%s%s%s", c->product ? c->product : "",
		 c->product_version ? " " : "", c->product_version ? c->product_version : "");
	html_raw(b, "<section id=\"case-facts\" class=\"card\"><h2>Report</h2><dl "
		    "class=\"facts\">");
	fact_row(b, "case-state", "State", c->state, 0);
	fact_row(b, "case-product", "Product and version", prodver, 0);
	fact_row(b, "case-source", "Received through", c->source, 0);
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
	html_raw(b, "<dt>Links</dt><dd id=\"case-links\">");
	if (!c->nlinks)
		html_raw(b, "<span class=\"none\">&mdash;</span>");
	else
		html_raw(b, "<ul>");
	for (size_t i = 0; i < c->nlinks; i++)
		html(b, "<li>%s <strong>%s</strong></li>", c->links[i].kind, c->links[i].value);
	if (c->nlinks)
		html_raw(b, "</ul>");
	html_raw(b, "</dd></dl></section>\n");
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

static void workflow_forms(struct http_req *req, struct http_resp *resp, const struct psirt_case *c)
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
			html(b, "<option>%s</option>", next[k]);
		html_raw(b,
			 "</select></label><label>Note (internal, optional) <textarea "
			 "name=\"note\" rows=\"2\" maxlength=\"65536\"></textarea></label><button "
			 "type=\"submit\">Move</button></form>");
	}
	form_open(req, resp, c->id, "assign", "assign-form", "card");
	html(
	    b,
	    "<h3>Assign</h3><label>Person <input name=\"assignee\" required "
	    "maxlength=\"128\" value=\"%s\"></label><button type=\"submit\">Assign</button></form>",
	    c->assignee);
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
		html(b, "%s", json_string_value(x));
		html_raw(b, missing ? " <strong>missing</strong></li>" : "</li>");
	}
	html_raw(b, "</ul>");
	if (json_array_size(miss)) {
		html_raw(b, "<p class=\"missing-list\">Still missing: ");
		json_array_foreach(miss, i, x) html(b, "%s%s", i ? ", " : "", json_string_value(x));
		html_raw(b, "</p>");
	} else {
		html_raw(b, "<p class=\"ok\">Every required field has a value.</p>");
	}
}

/* One column: the latest draft of stage, its review and filing, and forms.
 * ob: the report obligation of that stage (NULL when there is none). */
static void draft_column(struct http_req *req, struct http_resp *resp, int64_t case_id, int64_t eid,
			 const char *stage, const struct art14_report *ob, int64_t now)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct art14_draft dr;
	const json_t *d;
	json_t *a;
	size_t i;
	int have = art14_draft_get(req->db, eid, stage, 0, &dr, &err) == VG_OK;
	int submitted = ob && ob->submitted_at;
	char ts[VG_TIME_BUFSZ];

	html(b,
	     "<section class=\"draft-col card\" id=\"draft-%lld-%s\" data-stage=\"%s\"><h4>%s</h4>",
	     (long long)eid, stage, stage, stage_label(stage));
	if (ob) {
		html_raw(b, "<p class=\"obligation\">");
		if (ob->due_at) {
			html_raw(b, "due ");
			html_time(b, ob->due_at, NULL);
			html_raw(b, " &middot; ");
		}
		html(b, "%s</p>", art14_state_name(ob->state));
	}
	d = dr.doc; /* the draft document (JSON by nature) */
	if (have) {
		html(b, "<p class=\"draft-version\">Version <strong>%lld</strong> (%s), prepared ",
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
		html(b, "</ul><p class=\"approval-state\">%s (%zu of %lld approval%s)</p>",
		     dr.approved ? "Approved" : "Not yet approved",
		     json_array_size(json_object_get(d, "approvals")),
		     (long long)vg_json_int(d, "approvals_needed", 1),
		     vg_json_int(d, "approvals_needed", 1) == 1 ? "" : "s");
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
	} else {
		html_raw(b, "Not recorded as submitted.");
	}
	html_raw(b, "</p>");
	if (can_act(req) && ob) {
		form_open(req, resp, case_id, "draft", NULL, "draft-form");
		hidden_art14(b, eid, stage);
		html_raw(b, "<button type=\"submit\">Draft new version</button></form>");
		if (have) {
			form_open(req, resp, case_id, "approve", NULL, "approve-form");
			hidden_art14(b, eid, stage);
			html_raw(b, "<button type=\"submit\">Approve</button></form>");
		}
		if (!submitted) {
			form_open(req, resp, case_id, "submitted", NULL, "submitted-form");
			hidden_art14(b, eid, stage);
			html(b,
			     "<label>Filed at (UTC) <input name=\"at\" required "
			     "maxlength=\"40\" value=\"%s\"></label><label>Receipt reference "
			     "<input name=\"reference\" required maxlength=\"200\"></label>"
			     "<button type=\"submit\">Record submission</button></form>",
			     vg_time_format(now, ts, sizeof(ts)));
		}
	}
	html_raw(b, "</section>");
	art14_draft_release(&dr);
}

static void exposure_html(struct http_req *req, struct http_resp *resp, int64_t case_id,
			  const struct art14_exposure *e, int64_t now)
{
	struct vg_buf *b = &resp->body;
	char t1[VG_TIME_BUFSZ];

	html(b, "<article class=\"exposure\" id=\"exposure-%lld\"><h3>Exposure %lld: %s</h3>",
	     (long long)e->id, (long long)e->id, e->kind);
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
		draft_column(req, resp, case_id, e->id, draft_stages[k], ob, now);
	}
	html_raw(b, "</div>");
	if (can_act(req)) {
		char fid[48];
		snprintf(fid, sizeof(fid), "edit-form-%lld", (long long)e->id);
		form_open(req, resp, case_id, "edit", fid, "card edit-form");
		hidden_art14(b, e->id, NULL);
		html_raw(b, "<h4>Set a draft field</h4><p class=\"hint\">Sets the fact on the "
			    "exposure and builds a new version of the chosen stage.</p><label>"
			    "Stage <select name=\"stage\">");
		for (int k = 0; draft_stages[k]; k++)
			html(b, "<option value=\"%s\">%s</option>", draft_stages[k],
			     stage_label(draft_stages[k]));
		html_raw(b, "</select></label><label>Field <select name=\"field\">");
		for (int k = 0; edit_fields[k]; k++)
			if (art14_field_known(edit_fields[k]))
				html(b, "<option>%s</option>", edit_fields[k]);
		html_raw(b, "</select></label><label>Value (empty clears) <textarea "
			    "name=\"value\" rows=\"3\" maxlength=\"16384\"></textarea></label>"
			    "<button type=\"submit\">Set</button></form>");
	}
	html_raw(b, "</article>\n");
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
			    "sees it on their tracking page.</p><textarea name=\"body\" rows=\"4\" "
			    "required maxlength=\"65536\"></textarea><button "
			    "type=\"submit\">Send</button></form>");
		form_open(req, resp, c->id, "note", "note-form", "card");
		html_raw(b, "<h3>Internal note</h3><p class=\"hint\">Never shown to the "
			    "reporter.</p><textarea name=\"body\" rows=\"4\" required "
			    "maxlength=\"65536\"></textarea><button type=\"submit\">Add "
			    "note</button></form>");
		html_raw(b, "</div>");
	}
	html_raw(b, "</section>\n");
}

#define MAX_EXPOSURES 32 /* shown on one case page */

/* Draw the case page; error (may be NULL) is shown on top with status. */
static int render_case(struct http_req *req, struct http_resp *resp, int64_t id, const char *error,
		       int status)
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
	if (error)
		html(b, "<p class=\"error\" role=\"alert\" id=\"error\">%s</p>", error);
	else /* ?done=CODE after a form: a text of the one banner table (http/ui.h) */
		ui_flash(req, b, "case");
	case_facts(b, &c);
	attachments_html(b, &c, can_act(req));
	clocks_html(b, &c, exps, nexp, now);
	if (can_act(req))
		workflow_forms(req, resp, &c);

	html_raw(b, "<section id=\"art14\"><h2>Article 14 reporting</h2><p class=\"hint\">"
		    "vigil prepares the drafts; a person files them on the ENISA single "
		    "reporting platform and records the filing here.</p>");
	if (c.nexposures > nexp)
		html(b,
		     "<p class=\"error\">This case has %zu exposures; the first %zu are shown "
		     "(vigil art14 list shows all).</p>",
		     c.nexposures, nexp);
	for (i = 0; i < nexp; i++)
		exposure_html(req, resp, id, &exps[i], now);
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

static int finish_action(struct http_req *req, struct http_resp *resp, int64_t id, int rc,
			 const struct vg_error *err, const char *done)
{
	char loc[96];
	if (rc)
		return render_case(req, resp, id, vg_error_msg(err), vg_code_http_status(rc));
	snprintf(loc, sizeof(loc), "/ui/cases/%lld?done=%s", (long long)id, done);
	return http_redirect(resp, loc);
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
	rc = form_need(req, "assignee", "Person", 128, &who, &err);
	if (!rc)
		rc = case_assign(req->db, id, who, &err);
	free(who);
	return finish_action(req, resp, id, rc, &err, "assign");
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

static int act_edit(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char stage[32], field[64];
	char *value = NULL;
	int64_t id, eid = 0;
	struct art14_draft d = {0};
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = art14_target(req, id, &eid, stage, sizeof(stage), &err);
	if (!rc && http_form(req, "field", field, sizeof(field)) != VG_OK)
		rc = vg_error_set(&err, VG_EINVAL, "field: required");
	if (!rc) {
		rc = form_str(req, "value", 16384, &value, &err);
		if (rc == VG_ENOTFOUND)
			rc = vg_error_set(&err, VG_EINVAL, "value: required (empty clears)");
	}
	if (!rc) {
		const char *names[1] = {field}, *values[1] = {value};
		rc = art14_edit(req->db, eid, stage, 1, names, values, &d, &err);
	}
	art14_draft_release(&d);
	free(value);
	return finish_action(req, resp, id, rc, &err, "edit");
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
	struct vg_error err = {0};
	char stage[32], at[48];
	char *ref = NULL;
	int64_t id, eid = 0, t = 0;
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = art14_target(req, id, &eid, stage, sizeof(stage), &err);
	if (!rc && (http_form(req, "at", at, sizeof(at)) != VG_OK || !*at))
		rc = vg_error_set(&err, VG_EINVAL, "Filed at: required (RFC 3339, UTC)");
	if (!rc && vg_time_parse(at, &t, &err))
		rc = vg_error_set(&err, VG_EINVAL,
				  "Filed at: '%s' is not an RFC 3339 time (2026-09-20T08:00:00Z)",
				  at);
	if (!rc)
		rc = form_need(req, "reference", "Receipt reference", 200, &ref, &err);
	if (!rc)
		rc = art14_submitted(req->db, eid, stage, t, ref, NULL, &err);
	free(ref);
	return finish_action(req, resp, id, rc, &err, "submitted");
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
    {"GET", "/ui/cases/{id}", ROLE_READ, HTTP_UI, case_page, "One case: report, clocks, Art. 14 drafts, user notification, messages, timeline", "ui"},
    {"POST", "/ui/cases/{id}/ack", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_ack, "Acknowledge a case (form)", "ui"},
    {"POST", "/ui/cases/{id}/state", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_state, "Move a case (form: to, note)", "ui"},
    {"POST", "/ui/cases/{id}/assign", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_assign, "Assign a case (form: assignee)", "ui"},
    {"POST", "/ui/cases/{id}/note", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI | HTTP_BODY_TEXT, act_note, "Internal note (form: body)", "ui"},
    {"POST", "/ui/cases/{id}/message", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI | HTTP_BODY_TEXT, act_message, "Message to the reporter (form: body)", "ui"},
    {"POST", "/ui/cases/{id}/exploited", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_exploited, "Mark actively exploited (form: aware_at, evidence, member_states)", "ui"},
    {"POST", "/ui/cases/{id}/draft", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_draft, "Build a new Art. 14 draft version (form: exposure, stage)", "ui"},
    {"POST", "/ui/cases/{id}/edit", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_edit, "Set an Art. 14 draft field (form: exposure, stage, field, value)", "ui"},
    {"POST", "/ui/cases/{id}/approve", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_approve, "Approve the latest Art. 14 draft (form: exposure, stage)", "ui"},
    {"POST", "/ui/cases/{id}/submitted", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_submitted, "Record an Art. 14 filing (form: exposure, stage, at, reference)", "ui"},
    {"GET", "/api/v1/cases/{id}/user-notification", ROLE_READ, 0, api_user_notice, "Art. 14(8) user notification of a case (schema vigil-user-notification/1; format=text for the wording)", "psirt"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
