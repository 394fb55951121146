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

/* Confirmations after a successful form (?done=KEY); only these are shown. */
static const struct {
	const char *key;
	const char *text;
} done_texts[] = {
    {"ack", "Acknowledged: the 48-hour clock is stopped."},
    {"state", "State changed."},
    {"assign", "Assignee set."},
    {"note", "Internal note added."},
    {"message", "Message to the reporter added."},
    {"exploited", "Marked actively exploited: the Article 14 clocks are running."},
    {"draft", "New draft version built."},
    {"edit", "Draft field set; a new draft version was built."},
    {"approve", "Approval recorded."},
    {"submitted", "Filing recorded."},
};

static void esc(struct vg_buf *b, const char *s)
{
	vg_buf_add_html(b, s ? s : "");
}

static const char *str(const json_t *o, const char *k)
{
	const char *v = vg_json_str(o, k);
	return v ? v : "";
}

static int64_t tparse(const char *s)
{
	int64_t t = 0;
	if (!s || vg_time_parse(s, &t, NULL) != VG_OK)
		return 0;
	return t;
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

static void time_el(struct vg_buf *b, const char *t)
{
	vg_buf_adds(b, "<time datetime=\"");
	esc(b, t);
	vg_buf_adds(b, "\">");
	esc(b, t);
	vg_buf_adds(b, "</time>");
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
	char ts[VG_TIME_BUFSZ], left[64];
	enum art14_state st = art14_state_at(starts, due, done, now);
	const char *name = done ? done_what : art14_state_name(st);

	vg_buf_adds(b, "<li class=\"clock clock-");
	esc(b, st == ART14_SUBMITTED ? "done" : art14_state_name(st));
	vg_buf_adds(b, "\" id=\"");
	esc(b, id);
	vg_buf_adds(b, "\"><span class=\"clock-label\">");
	esc(b, label);
	vg_buf_adds(b, "</span> <span class=\"clock-state\">");
	esc(b, name);
	if (st == ART14_OVERDUE)
		vg_buf_adds(b, " &mdash; deadline breached");
	vg_buf_adds(b, "</span> ");
	if (!due) {
		vg_buf_adds(b, "<span class=\"clock-when\">no due time yet: ");
		esc(b, why);
		vg_buf_adds(b, "</span>");
	} else {
		vg_buf_adds(b, "<span class=\"clock-when\">due ");
		time_el(b, vg_time_format(due, ts, sizeof(ts)));
		vg_buf_adds(b, " UTC</span> ");
		if (done) {
			vg_buf_adds(b, "<span class=\"clock-done\">");
			esc(b, done_what);
			vg_buf_adds(b, " ");
			time_el(b, vg_time_format(done, ts, sizeof(ts)));
			vg_buf_addf(b, "%s</span>", done > due ? " (late)" : " (in time)");
		} else {
			vg_buf_addf(b,
				    "<span class=\"countdown\" data-due=\"%lld\" data-now=\"%lld\" "
				    "data-starts=\"%lld\">",
				    (long long)due, (long long)now, (long long)starts);
			if (due - now >= 0)
				vg_buf_addf(b, "%s left", fmt_left(due - now, left, sizeof(left)));
			else
				vg_buf_addf(b, "overdue by %s",
					    fmt_left(now - due, left, sizeof(left)));
			vg_buf_adds(b, "</span>");
		}
	}
	vg_buf_adds(b, "</li>\n");
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
	vg_buf_adds(&resp->body, "<p class=\"error\" role=\"alert\" id=\"error\">");
	esc(&resp->body, msg);
	vg_buf_adds(&resp->body, "</p><p><a href=\"/ui/cases\">All cases</a></p>");
	return ui_page_end(resp);
}

static int cases_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_buf *b = &resp->body;
	const char *filter = http_query(req, "state");
	json_t *rows = NULL, *r;
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
	if (case_list_json(req->db, NULL, &rows, &err))
		return error_page(req, resp, "Cases", err.code, vg_error_msg(&err));
	ui_page_begin(req, resp, "Cases", "cases");

	vg_buf_adds(b, "<ul class=\"state-counts\" id=\"state-counts\">");
	vg_buf_addf(b, "<li><a href=\"/ui/cases\"%s>all <span class=\"count\">%zu</span></a></li>",
		    filter ? "" : " aria-current=\"true\"", json_array_size(rows));
	for (int k = 0; case_states[k]; k++) {
		size_t n = 0;
		json_array_foreach(rows, i, r) n += strcmp(str(r, "state"), case_states[k]) == 0;
		vg_buf_addf(b,
			    "<li><a href=\"/ui/cases?state=%s\" data-state=\"%s\"%s>%s <span "
			    "class=\"count\">%zu</span></a></li>",
			    case_states[k], case_states[k],
			    filter && strcmp(filter, case_states[k]) == 0 ? " aria-current=\"true\""
									  : "",
			    case_states[k], n);
	}
	vg_buf_adds(b, "</ul>");

	vg_buf_adds(b, "<form method=\"get\" action=\"/ui/cases\" id=\"case-filter\"><label>State "
		       "<select name=\"state\"><option value=\"\">all</option>");
	for (int k = 0; case_states[k]; k++)
		vg_buf_addf(b, "<option%s>%s</option>",
			    filter && strcmp(filter, case_states[k]) == 0 ? " selected" : "",
			    case_states[k]);
	vg_buf_adds(b, "</select></label> <button type=\"submit\">Show</button></form>");

	vg_buf_adds(b, "<table id=\"cases\"><thead><tr><th>#</th><th>title</th><th>state</th>"
		       "<th>product</th><th>received (UTC)</th><th>acknowledgement</th>"
		       "<th>assignee</th></tr></thead><tbody>");
	json_array_foreach(rows, i, r)
	{
		int64_t id = vg_json_int(r, "id", 0);
		const char *st = str(r, "state");
		if (filter && strcmp(filter, st) != 0)
			continue;
		shown++;
		vg_buf_addf(b, "<tr id=\"case-%lld\" data-state=\"", (long long)id);
		esc(b, st);
		vg_buf_addf(b,
			    "\"><td><a href=\"/ui/cases/%lld\">%lld</a></td><td>"
			    "<a href=\"/ui/cases/%lld\">",
			    (long long)id, (long long)id, (long long)id);
		esc(b, str(r, "title"));
		vg_buf_adds(b, "</a></td><td class=\"state\">");
		esc(b, st);
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "product"));
		if (vg_json_str(r, "product_version")) {
			vg_buf_adds(b, " ");
			esc(b, str(r, "product_version"));
		}
		vg_buf_adds(b, "</td><td>");
		time_el(b, str(r, "received_at"));
		vg_buf_adds(b, "</td>");
		if (vg_json_str(r, "acknowledged_at")) {
			vg_buf_adds(b, "<td class=\"ack-done\">acknowledged ");
			time_el(b, str(r, "acknowledged_at"));
		} else {
			int64_t due = tparse(vg_json_str(r, "ack_due_at"));
			enum art14_state cs =
			    art14_state_at(tparse(vg_json_str(r, "received_at")), due, 0, now);
			if (strcmp(st, "received") != 0) {
				vg_buf_adds(b, "<td>");
			} else {
				vg_buf_addf(b, "<td class=\"ack-%s\">", art14_state_name(cs));
				if (cs == ART14_OVERDUE)
					vg_buf_addf(b, "<strong>overdue</strong> by %s (due %s)",
						    fmt_left(now - due, left, sizeof(left)),
						    vg_time_format(due, ts, sizeof(ts)));
				else
					vg_buf_addf(b, "%s: %s left (due %s)",
						    cs == ART14_DUE ? "<strong>due</strong>"
								    : "pending",
						    fmt_left(due - now, left, sizeof(left)),
						    vg_time_format(due, ts, sizeof(ts)));
			}
		}
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "assignee"));
		vg_buf_adds(b, "</td></tr>");
	}
	if (!shown)
		vg_buf_adds(b, "<tr><td colspan=\"7\">No cases.</td></tr>");
	vg_buf_adds(b, "</tbody></table>");
	json_decref(rows);
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
	esc(b, buf);
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
	vg_buf_adds(b, "<ul class=\"change\">");
	json_object_foreach((json_t *)after, k, v)
	{
		json_t *old = json_is_object(before) ? json_object_get(before, k) : NULL;
		if (++n > 12) {
			vg_buf_adds(b, "<li>&hellip;</li>");
			break;
		}
		vg_buf_adds(b, "<li><span class=\"key\">");
		esc(b, k);
		vg_buf_adds(b, "</span>: ");
		if (old && !json_equal(old, v)) {
			short_value(b, old);
			vg_buf_adds(b, " &rarr; ");
		}
		short_value(b, v);
		vg_buf_adds(b, "</li>");
	}
	vg_buf_adds(b, "</ul>");
}

static int by_seq(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "seq"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "seq"));
	return x < y ? -1 : x > y;
}

/* Every audit record of the case and its exposures, oldest first. */
static int timeline(struct store *s, int64_t id, const json_t *exposures, json_t **out,
		    struct vg_error *err)
{
	struct audit_filter f = {0};
	json_t *all = json_array(), *part = NULL, *x;
	char oid[32];
	size_t i, j, n;
	int rc;

	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	f.otype = "case";
	f.oid = oid;
	rc = audit_query_json(s, &f, &part, err);
	if (!rc)
		json_array_extend(all, part);
	json_decref(part);
	json_array_foreach(exposures, i, x)
	{
		if (rc)
			break;
		snprintf(oid, sizeof(oid), "%lld", (long long)vg_json_int(x, "id", 0));
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

	vg_buf_adds(b, "<section id=\"timeline\"><h2>Timeline</h2><p class=\"hint\">From the "
		       "audit trail (hash-chained): who did what, when.</p><table "
		       "id=\"timeline-table\"><thead><tr><th>#</th><th>time (UTC)</th><th>who</th>"
		       "<th>what</th><th>object</th><th>change</th></tr></thead><tbody>");
	json_array_foreach(recs, i, r)
	{
		vg_buf_adds(b, "<tr data-action=\"");
		esc(b, str(r, "action"));
		vg_buf_addf(b, "\"><td>%lld</td><td>",
			    (long long)json_integer_value(json_object_get(r, "seq")));
		time_el(b, str(r, "at"));
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "actor"));
		vg_buf_adds(b, "</td><td>");
		esc(b, action_label(vg_json_str(r, "action")));
		vg_buf_adds(b, " <code>");
		esc(b, str(r, "action"));
		vg_buf_adds(b, "</code></td><td>");
		esc(b, str(r, "object_type"));
		vg_buf_adds(b, ":");
		esc(b, str(r, "object_id"));
		vg_buf_adds(b, "</td><td>");
		summarise(b, json_object_get(r, "before"), json_object_get(r, "after"));
		vg_buf_adds(b, "</td></tr>");
	}
	if (!json_array_size(recs))
		vg_buf_adds(b, "<tr><td colspan=\"6\">Nothing recorded.</td></tr>");
	vg_buf_adds(b, "</tbody></table></section>");
}

/* ---- one case ---- */

static void fact_row(struct vg_buf *b, const char *id, const char *label, const char *v, int pre)
{
	vg_buf_adds(b, "<dt>");
	esc(b, label);
	vg_buf_adds(b, "</dt><dd");
	if (*id)
		vg_buf_addf(b, " id=\"%s\"", id);
	vg_buf_adds(b, ">");
	if (!v || !*v) {
		vg_buf_adds(b, "<span class=\"none\">&mdash;</span>");
	} else if (pre) {
		vg_buf_adds(b, "<pre class=\"report-text\">");
		esc(b, v);
		vg_buf_adds(b, "</pre>");
	} else {
		esc(b, v);
	}
	vg_buf_adds(b, "</dd>");
}

static void form_open(struct http_req *req, struct http_resp *resp, int64_t id, const char *action,
		      const char *form_id, const char *cls)
{
	struct vg_buf *b = &resp->body;
	vg_buf_addf(b, "<form method=\"post\" action=\"/ui/cases/%lld/%s\"", (long long)id, action);
	if (form_id)
		vg_buf_addf(b, " id=\"%s\"", form_id);
	if (cls)
		vg_buf_addf(b, " class=\"%s\"", cls);
	vg_buf_adds(b, ">");
	ui_csrf_field(req, resp);
}

static void hidden_art14(struct vg_buf *b, int64_t exposure, const char *stage)
{
	vg_buf_addf(b, "<input type=\"hidden\" name=\"exposure\" value=\"%lld\">",
		    (long long)exposure);
	if (stage)
		vg_buf_addf(b, "<input type=\"hidden\" name=\"stage\" value=\"%s\">", stage);
}

static void case_facts(struct vg_buf *b, const json_t *c)
{
	json_t *l;
	size_t i;
	char prodver[400];

	snprintf(prodver, sizeof(prodver), "%s%s%s", str(c, "product"),
		 vg_json_str(c, "product_version") ? " " : "", str(c, "product_version"));
	vg_buf_adds(b, "<section id=\"case-facts\" class=\"card\"><h2>Report</h2><dl "
		       "class=\"facts\">");
	fact_row(b, "case-state", "State", str(c, "state"), 0);
	fact_row(b, "case-product", "Product and version", prodver, 0);
	fact_row(b, "case-source", "Received through", str(c, "source"), 0);
	fact_row(b, "case-received", "Received (UTC)", str(c, "received_at"), 0);
	fact_row(b, "case-assignee", "Assignee", str(c, "assignee"), 0);
	fact_row(b, "case-contact", "Reporter contact",
		 vg_json_str(c, "reporter_contact") ? str(c, "reporter_contact")
						    : "anonymous report",
		 0);
	fact_row(b, "case-description", "Description", str(c, "description"), 1);
	fact_row(b, "case-impact", "Impact", str(c, "impact"), 1);
	fact_row(b, "case-poc", "Proof of concept", str(c, "poc"), 1);
	fact_row(b, "case-embargo", "Embargo until (UTC)", str(c, "embargo_until_at"), 0);
	fact_row(b, "case-credit", "Credit",
		 json_is_true(json_object_get(c, "credit_consent"))
		     ? (vg_json_str(c, "credit") ? str(c, "credit") : "consented, no name given")
		     : "no consent to be credited",
		 0);
	vg_buf_adds(b, "<dt>Links</dt><dd id=\"case-links\">");
	if (!json_array_size(json_object_get(c, "links")))
		vg_buf_adds(b, "<span class=\"none\">&mdash;</span>");
	else
		vg_buf_adds(b, "<ul>");
	json_array_foreach(json_object_get(c, "links"), i, l)
	{
		vg_buf_adds(b, "<li>");
		esc(b, str(l, "kind"));
		vg_buf_adds(b, " <strong>");
		esc(b, str(l, "value"));
		vg_buf_adds(b, "</strong></li>");
	}
	if (json_array_size(json_object_get(c, "links")))
		vg_buf_adds(b, "</ul>");
	vg_buf_adds(b, "</dd></dl></section>\n");
}

/* The reporter's attachments, each a download (checked against its SHA-256
 * and audited as case.read_attachment by the API route). */
static void attachments_html(struct vg_buf *b, struct store *db, int64_t id, int can_read)
{
	struct vg_error err = {0};
	json_t *list = NULL, *a;
	size_t i;

	vg_buf_adds(b, "<section id=\"attachments\"><h2>Attachments</h2>");
	if (case_attachments_json(db, id, &list, &err)) {
		vg_buf_adds(b, "<p class=\"error\">The attachments could not be read: ");
		esc(b, vg_error_msg(&err));
		vg_buf_adds(b, "</p></section>\n");
		return;
	}
	if (!json_array_size(list)) {
		vg_buf_adds(b, "<p class=\"none\">No attachments.</p></section>\n");
		json_decref(list);
		return;
	}
	vg_buf_adds(b, "<table id=\"attachment-list\"><thead><tr><th>#</th><th>file</th>"
		       "<th>type</th><th>size (bytes)</th><th>SHA-256</th><th>received "
		       "(UTC)</th></tr></thead><tbody>");
	json_array_foreach(list, i, a)
	{
		long long n = (long long)vg_json_int(a, "n", 0);
		vg_buf_addf(b, "<tr><td>%lld</td><td>", n);
		if (can_read)
			vg_buf_addf(b, "<a href=\"/api/v1/cases/%lld/attachments/%lld\" download>",
				    (long long)id, n);
		esc(b, str(a, "filename"));
		vg_buf_adds(b, can_read ? "</a></td><td>" : "</td><td>");
		esc(b, str(a, "content_type"));
		vg_buf_addf(b, "</td><td>%lld</td><td><code>",
			    (long long)vg_json_int(a, "size", 0));
		esc(b, str(a, "sha256"));
		vg_buf_adds(b, "</code></td><td>");
		esc(b, str(a, "created_at"));
		vg_buf_adds(b, "</td></tr>");
	}
	vg_buf_adds(b, "</tbody></table><p class=\"hint\">Reporters' files are never opened "
		       "in the browser: each downloads as a file, checked against its "
		       "SHA-256.</p></section>\n");
	json_decref(list);
}

/* The clocks: acknowledgement, then every obligation of every exposure. */
static void clocks_html(struct vg_buf *b, const json_t *c, json_t *const *exps, size_t nexp,
			int64_t now)
{
	char id[96], label[160];
	json_t *o;
	size_t i, k;

	vg_buf_adds(b, "<section id=\"clocks\"><h2>Clocks</h2><p class=\"hint\">Due times in UTC; "
		       "time left counts down while this page is open.</p><ul class=\"clocks\">");
	clock_item(b, "clock-ack", "Acknowledgement (48 hours from receipt)",
		   tparse(vg_json_str(c, "received_at")), tparse(vg_json_str(c, "ack_due_at")),
		   tparse(vg_json_str(c, "acknowledged_at")), "acknowledged", "", now);
	for (k = 0; k < nexp; k++) {
		int64_t eid = vg_json_int(exps[k], "id", 0);
		json_array_foreach(json_object_get(exps[k], "obligations"), i, o)
		{
			const char *stage = str(o, "stage");
			const char *why = strcmp(stage, "final") != 0 ? "not started"
					  : strcmp(str(exps[k], "kind"), "incident") == 0
					      ? "one month after the notification is submitted"
					      : "14 days after a fix or mitigation is available";
			snprintf(id, sizeof(id), "clock-%lld-%s", (long long)eid, stage);
			snprintf(label, sizeof(label), "Art. 14 %s (exposure %lld)",
				 stage_label(stage), (long long)eid);
			clock_item(b, id, label, tparse(vg_json_str(o, "starts_at")),
				   tparse(vg_json_str(o, "due_at")),
				   tparse(vg_json_str(o, "submitted_at")), "submitted", why, now);
		}
	}
	vg_buf_adds(b, "</ul>");
	if (!nexp)
		vg_buf_adds(b, "<p id=\"no-exposure\">Not marked actively exploited: no Article 14 "
			       "clock runs for this case.</p>");
	vg_buf_adds(b, "</section>\n");
}

static void workflow_forms(struct http_req *req, struct http_resp *resp, const json_t *c,
			   int64_t id)
{
	struct vg_buf *b = &resp->body;
	const char *st = str(c, "state");
	const char *const *next;

	vg_buf_adds(b, "<section id=\"workflow\"><h2>Handling</h2><div class=\"forms\">");
	if (strcmp(st, "received") == 0) {
		form_open(req, resp, id, "ack", "ack-form", "card");
		vg_buf_adds(b, "<h3>Acknowledge</h3><p>Tells the reporter the report arrived and "
			       "stops the 48-hour clock.</p><button type=\"submit\" "
			       "id=\"ack\">Acknowledge</button></form>");
	}
	next = case_next_states(st);
	if (next && next[0]) {
		/* only the moves the workflow allows from here */
		form_open(req, resp, id, "state", "state-form", "card");
		vg_buf_adds(b, "<h3>Move</h3><label>To state <select name=\"to\" id=\"state-to\">");
		for (int k = 0; next[k]; k++)
			vg_buf_addf(b, "<option>%s</option>", next[k]);
		vg_buf_adds(
		    b, "</select></label><label>Note (internal, optional) <textarea "
		       "name=\"note\" rows=\"2\" maxlength=\"65536\"></textarea></label><button "
		       "type=\"submit\">Move</button></form>");
	}
	form_open(req, resp, id, "assign", "assign-form", "card");
	vg_buf_adds(b, "<h3>Assign</h3><label>Person <input name=\"assignee\" required "
		       "maxlength=\"128\" value=\"");
	esc(b, str(c, "assignee"));
	vg_buf_adds(b, "\"></label><button type=\"submit\">Assign</button></form>");
	vg_buf_adds(b, "</div></section>\n");
}

static void checklist(struct vg_buf *b, const json_t *d)
{
	const json_t *req = json_object_get(d, "required"), *miss = json_object_get(d, "missing");
	json_t *x, *m;
	size_t i, j;

	vg_buf_adds(b, "<ul class=\"checklist\">");
	json_array_foreach(req, i, x)
	{
		int missing = 0;
		json_array_foreach(miss, j, m) missing |= json_equal(m, x);
		vg_buf_addf(b, "<li class=\"%s\" data-field=\"", missing ? "missing" : "have");
		esc(b, json_string_value(x));
		vg_buf_addf(b, "\">%s ", missing ? "&#10007;" : "&#10003;");
		esc(b, json_string_value(x));
		vg_buf_addf(b, "%s</li>", missing ? " <strong>missing</strong>" : "");
	}
	vg_buf_adds(b, "</ul>");
	if (json_array_size(miss)) {
		vg_buf_adds(b, "<p class=\"missing-list\">Still missing: ");
		json_array_foreach(miss, i, x)
		{
			if (i)
				vg_buf_adds(b, ", ");
			esc(b, json_string_value(x));
		}
		vg_buf_adds(b, "</p>");
	} else {
		vg_buf_adds(b, "<p class=\"ok\">Every required field has a value.</p>");
	}
}

/* One column: the latest draft of stage, its review and filing, and forms. */
static void draft_column(struct http_req *req, struct http_resp *resp, int64_t case_id, int64_t eid,
			 const char *stage, const json_t *ob, int64_t now)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	json_t *d = NULL, *a;
	size_t i;
	int have = art14_draft_get(req->db, eid, stage, 0, &d, &err) == VG_OK;
	int submitted = ob && vg_json_str(ob, "submitted_at");
	char ts[VG_TIME_BUFSZ];

	vg_buf_addf(b,
		    "<section class=\"draft-col card\" id=\"draft-%lld-%s\" data-stage=\"%s\"><h4>",
		    (long long)eid, stage, stage);
	esc(b, stage_label(stage));
	vg_buf_adds(b, "</h4>");
	if (ob) {
		vg_buf_adds(b, "<p class=\"obligation\">");
		if (vg_json_str(ob, "due_at")) {
			vg_buf_adds(b, "due ");
			time_el(b, str(ob, "due_at"));
			vg_buf_adds(b, " &middot; ");
		}
		esc(b, str(ob, "state"));
		vg_buf_adds(b, "</p>");
	}
	if (have) {
		vg_buf_addf(b, "<p class=\"draft-version\">Version <strong>%lld</strong> (",
			    (long long)vg_json_int(d, "version", 0));
		esc(b, str(d, "article"));
		vg_buf_adds(b, "), prepared ");
		time_el(b, str(d, "created_at"));
		vg_buf_adds(b, " by ");
		esc(b, str(d, "created_by"));
		vg_buf_addf(b,
			    ". <a href=\"/ui/art14/%lld/%s\">Printable page</a> &middot; <a "
			    "href=\"/api/v1/art14/%lld/drafts/%s\">JSON</a></p>",
			    (long long)eid, stage, (long long)eid, stage);
		checklist(b, d);
		vg_buf_adds(b, "<h5>Review</h5><ul class=\"approvals\">");
		json_array_foreach(json_object_get(d, "approvals"), i, a)
		{
			vg_buf_adds(b, "<li>approved by ");
			esc(b, str(a, "approved_by"));
			vg_buf_adds(b, " ");
			time_el(b, str(a, "approved_at"));
			vg_buf_adds(b, "</li>");
		}
		vg_buf_addf(b, "</ul><p class=\"approval-state\">%s (%zu of %lld approval%s)</p>",
			    json_is_true(json_object_get(d, "approved")) ? "Approved"
									 : "Not yet approved",
			    json_array_size(json_object_get(d, "approvals")),
			    (long long)vg_json_int(d, "approvals_needed", 1),
			    vg_json_int(d, "approvals_needed", 1) == 1 ? "" : "s");
	} else {
		vg_buf_adds(b, "<p class=\"no-draft\">No draft yet.</p>");
	}
	vg_buf_adds(b, "<h5>Filing</h5><p class=\"submission\">");
	if (submitted) {
		vg_buf_adds(b, "Filed on the ENISA single reporting platform ");
		time_el(b, str(ob, "submitted_at"));
		vg_buf_adds(b, ", receipt <strong class=\"reference\">");
		esc(b, str(ob, "reference"));
		vg_buf_adds(b, "</strong>, recorded by ");
		esc(b, str(ob, "submitted_by"));
		if (json_is_true(json_object_get(ob, "late")))
			vg_buf_adds(b, " <strong>(late)</strong>");
		vg_buf_adds(b, ".");
	} else {
		vg_buf_adds(b, "Not recorded as submitted.");
	}
	vg_buf_adds(b, "</p>");
	if (can_act(req) && ob) {
		form_open(req, resp, case_id, "draft", NULL, "draft-form");
		hidden_art14(b, eid, stage);
		vg_buf_adds(b, "<button type=\"submit\">Draft new version</button></form>");
		if (have) {
			form_open(req, resp, case_id, "approve", NULL, "approve-form");
			hidden_art14(b, eid, stage);
			vg_buf_adds(b, "<button type=\"submit\">Approve</button></form>");
		}
		if (!submitted) {
			form_open(req, resp, case_id, "submitted", NULL, "submitted-form");
			hidden_art14(b, eid, stage);
			vg_buf_addf(
			    b,
			    "<label>Filed at (UTC) <input name=\"at\" required "
			    "maxlength=\"40\" value=\"%s\"></label><label>Receipt reference "
			    "<input name=\"reference\" required maxlength=\"200\"></label>"
			    "<button type=\"submit\">Record submission</button></form>",
			    vg_time_format(now, ts, sizeof(ts)));
		}
	}
	vg_buf_adds(b, "</section>");
	json_decref(d);
}

static void exposure_html(struct http_req *req, struct http_resp *resp, int64_t case_id,
			  const json_t *e, int64_t now)
{
	struct vg_buf *b = &resp->body;
	int64_t eid = vg_json_int(e, "id", 0);
	json_t *obl = json_object_get(e, "obligations"), *o;
	size_t i;

	vg_buf_addf(b, "<article class=\"exposure\" id=\"exposure-%lld\"><h3>Exposure %lld: ",
		    (long long)eid, (long long)eid);
	esc(b, str(e, "kind"));
	vg_buf_adds(b, "</h3><dl class=\"facts\">");
	fact_row(b, "", "Aware since (UTC)", str(e, "aware_at"), 0);
	fact_row(b, "", "Recorded by", str(e, "aware_by"), 0);
	fact_row(b, "", "Recorded at (UTC)", str(e, "aware_recorded_at"), 0);
	fact_row(b, "", "Evidence", str(e, "evidence"), 1);
	fact_row(b, "", "Member States", str(e, "member_states"), 0);
	fact_row(b, "", "Fix available (UTC)", str(e, "fix_available_at"), 0);
	vg_buf_adds(b, "</dl><div class=\"drafts\">");
	for (int k = 0; draft_stages[k]; k++) {
		const json_t *ob = NULL;
		json_array_foreach(obl, i, o) if (strcmp(str(o, "stage"), draft_stages[k]) == 0)
		    ob = o;
		/* intermediate reports exist only when the CSIRT asked for one */
		if (!ob && strcmp(draft_stages[k], "intermediate") == 0)
			continue;
		draft_column(req, resp, case_id, eid, draft_stages[k], ob, now);
	}
	vg_buf_adds(b, "</div>");
	if (can_act(req)) {
		char fid[48];
		snprintf(fid, sizeof(fid), "edit-form-%lld", (long long)eid);
		form_open(req, resp, case_id, "edit", fid, "card edit-form");
		hidden_art14(b, eid, NULL);
		vg_buf_adds(b, "<h4>Set a draft field</h4><p class=\"hint\">Sets the fact on the "
			       "exposure and builds a new version of the chosen stage.</p><label>"
			       "Stage <select name=\"stage\">");
		for (int k = 0; draft_stages[k]; k++)
			vg_buf_addf(b, "<option value=\"%s\">%s</option>", draft_stages[k],
				    stage_label(draft_stages[k]));
		vg_buf_adds(b, "</select></label><label>Field <select name=\"field\">");
		for (int k = 0; edit_fields[k]; k++)
			if (art14_field_known(edit_fields[k]))
				vg_buf_addf(b, "<option>%s</option>", edit_fields[k]);
		vg_buf_adds(b, "</select></label><label>Value (empty clears) <textarea "
			       "name=\"value\" rows=\"3\" maxlength=\"16384\"></textarea></label>"
			       "<button type=\"submit\">Set</button></form>");
	}
	vg_buf_adds(b, "</article>\n");
}

static void exploited_form(struct http_req *req, struct http_resp *resp, int64_t id, size_t nexp,
			   int64_t now)
{
	struct vg_buf *b = &resp->body;
	char ts[VG_TIME_BUFSZ];

	form_open(req, resp, id, "exploited", "exploited-form", "card");
	vg_buf_addf(b,
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

static void notice_html(struct vg_buf *b, int64_t id, const json_t *n)
{
	struct vg_buf t = VG_BUF_INIT;
	json_t *x;
	size_t i;

	vg_buf_adds(b, "<section id=\"user-notice\"><h2>Information to users (Art. 14(8))</h2>");
	if (!n) {
		vg_buf_adds(b, "<p class=\"error\">The user notification could not be built.</p>"
			       "</section>");
		return;
	}
	vg_buf_addf(b,
		    "<p class=\"hint\">Draft for publication with the advisory; <a "
		    "href=\"/api/v1/cases/%lld/user-notification\">JSON "
		    "(" USER_NOTICE_SCHEMA ")</a>. %s</p>",
		    (long long)id,
		    json_is_true(json_object_get(n, "publishable")) ? "Ready after review."
								    : "Not ready to publish.");
	if (json_array_size(json_object_get(n, "missing"))) {
		vg_buf_adds(b, "<p class=\"missing-list\" id=\"user-notice-missing\">Missing: ");
		json_array_foreach(json_object_get(n, "missing"), i, x)
		{
			if (i)
				vg_buf_adds(b, ", ");
			esc(b, user_notice_label(json_string_value(x)));
			vg_buf_adds(b, " (");
			esc(b, json_string_value(x));
			vg_buf_adds(b, ")");
		}
		vg_buf_adds(b, "</p>");
	}
	user_notice_text(n, &t);
	vg_buf_adds(b, "<pre id=\"user-notice-text\" class=\"report-text\">");
	esc(b, t.data ? t.data : "");
	vg_buf_adds(b, "</pre></section>\n");
	vg_buf_release(&t);
}

static void messages_html(struct http_req *req, struct http_resp *resp, const json_t *c, int64_t id)
{
	struct vg_buf *b = &resp->body;
	json_t *m;
	size_t i;

	vg_buf_adds(b, "<section id=\"messages\"><h2>Messages and notes</h2><ol "
		       "class=\"messages\">");
	json_array_foreach(json_object_get(c, "messages"), i, m)
	{
		const char *k = str(m, "kind");
		const char *who = strcmp(k, "from_reporter") == 0 ? "from the reporter"
				  : strcmp(k, "to_reporter") == 0 ? "to the reporter"
								  : "internal note";
		vg_buf_adds(b, "<li class=\"msg msg-");
		esc(b, k);
		vg_buf_adds(b, "\"><p class=\"meta\"><strong>");
		esc(b, who);
		vg_buf_adds(b, "</strong> &middot; ");
		esc(b, str(m, "author"));
		vg_buf_adds(b, " &middot; ");
		time_el(b, str(m, "created_at"));
		vg_buf_adds(b, "</p><pre class=\"report-text\">");
		esc(b, str(m, "body"));
		vg_buf_adds(b, "</pre></li>");
	}
	if (!json_array_size(json_object_get(c, "messages")))
		vg_buf_adds(b, "<li class=\"none\">No messages yet.</li>");
	vg_buf_adds(b, "</ol>");
	if (can_act(req)) {
		vg_buf_adds(b, "<div class=\"forms\">");
		form_open(req, resp, id, "message", "message-form", "card");
		vg_buf_adds(b,
			    "<h3>Message to the reporter</h3><p class=\"hint\">The reporter "
			    "sees it on their tracking page.</p><textarea name=\"body\" rows=\"4\" "
			    "required maxlength=\"65536\"></textarea><button "
			    "type=\"submit\">Send</button></form>");
		form_open(req, resp, id, "note", "note-form", "card");
		vg_buf_adds(b, "<h3>Internal note</h3><p class=\"hint\">Never shown to the "
			       "reporter.</p><textarea name=\"body\" rows=\"4\" required "
			       "maxlength=\"65536\"></textarea><button type=\"submit\">Add "
			       "note</button></form>");
		vg_buf_adds(b, "</div>");
	}
	vg_buf_adds(b, "</section>\n");
}

/* Draw the case page; error (may be NULL) is shown on top with status. */
static int render_case(struct http_req *req, struct http_resp *resp, int64_t id, const char *error,
		       int status)
{
	struct vg_error err = {0};
	struct vg_buf *b = &resp->body;
	json_t *c = NULL, *exps[32], *recs = NULL, *notice = NULL, *list;
	size_t nexp = 0, i;
	int64_t now = vg_now();
	char title[400];
	const char *done = error ? NULL : http_query(req, "done");

	if (case_show_json(req->db, id, &c, &err))
		return error_page(req, resp, "Case", err.code, vg_error_msg(&err));
	list = json_object_get(c, "exposures");
	for (i = 0; i < json_array_size(list) && nexp < 32; i++) {
		if (art14_show_json(req->db, vg_json_int(json_array_get(list, i), "id", 0),
				    &exps[nexp], &err)) {
			for (size_t k = 0; k < nexp; k++)
				json_decref(exps[k]);
			json_decref(c);
			return error_page(req, resp, "Case", err.code, vg_error_msg(&err));
		}
		nexp++;
	}
	if (timeline(req->db, id, list, &recs, &err))
		recs = NULL;
	if (user_notice_build(req->db, id, &notice, &err))
		notice = NULL;

	snprintf(title, sizeof(title), "Case %lld: %s", (long long)id, str(c, "title"));
	ui_page_begin(req, resp, title, "cases");
	if (status)
		resp->status = status;
	vg_buf_adds(b, "<p><a href=\"/ui/cases\">&larr; All cases</a></p>");
	if (error) {
		vg_buf_adds(b, "<p class=\"error\" role=\"alert\" id=\"error\">");
		esc(b, error);
		vg_buf_adds(b, "</p>");
	}
	for (size_t k = 0; done && k < sizeof(done_texts) / sizeof(done_texts[0]); k++)
		if (strcmp(done, done_texts[k].key) == 0) {
			vg_buf_addf(b, "<p class=\"ok\" role=\"status\" id=\"flash\">%s</p>",
				    done_texts[k].text);
			break;
		}
	case_facts(b, c);
	attachments_html(b, req->db, id, can_act(req));
	clocks_html(b, c, exps, nexp, now);
	if (can_act(req))
		workflow_forms(req, resp, c, id);

	vg_buf_adds(b, "<section id=\"art14\"><h2>Article 14 reporting</h2><p class=\"hint\">"
		       "vigil prepares the drafts; a person files them on the ENISA single "
		       "reporting platform and records the filing here.</p>");
	if (json_array_size(list) > nexp)
		vg_buf_addf(
		    b,
		    "<p class=\"error\">This case has %zu exposures; the first %zu are shown "
		    "(vigil art14 list shows all).</p>",
		    json_array_size(list), nexp);
	for (i = 0; i < nexp; i++)
		exposure_html(req, resp, id, exps[i], now);
	if (can_act(req))
		exploited_form(req, resp, id, nexp, now);
	vg_buf_adds(b, "</section>\n");
	notice_html(b, id, notice);
	messages_html(req, resp, c, id);
	if (recs)
		timeline_html(b, recs);
	else
		vg_buf_adds(b, "<p class=\"error\">The timeline could not be read.</p>");
	vg_buf_adds(b, "<script src=\"/static/countdown.js\" defer></script>");

	for (i = 0; i < nexp; i++)
		json_decref(exps[i]);
	json_decref(recs);
	json_decref(notice);
	json_decref(c);
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
	json_t *c = NULL;
	if (case_id_of(req, id, &err))
		return error_page(req, resp, "Case", VG_EINVAL, vg_error_msg(&err));
	if (case_show_json(req->db, *id, &c, &err))
		return error_page(req, resp, "Case", err.code, vg_error_msg(&err));
	json_decref(c);
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
	json_t *d = NULL;
	int rc;
	if (action_case(req, resp, &id))
		return VG_OK;
	rc = art14_target(req, id, &eid, stage, sizeof(stage), &err);
	if (!rc)
		rc = art14_draft(req->db, eid, stage, &d, &err);
	json_decref(d);
	return finish_action(req, resp, id, rc, &err, "draft");
}

static int act_edit(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char stage[32], field[64];
	char *value = NULL;
	int64_t id, eid = 0;
	json_t *d = NULL;
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
	json_decref(d);
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
	json_t *n = NULL;
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
		user_notice_text(n, &t);
		json_decref(n);
		rc = http_text(resp, 200, "text/plain; charset=utf-8", t.data ? t.data : "", t.len);
		vg_buf_release(&t);
		return rc;
	}
	return http_json(resp, 200, n);
}

/* clang-format off */
const struct http_route cases_ui_routes[] = {
    {"GET", "/ui/cases", ROLE_READ, HTTP_UI, cases_page, "Cases page: state filter, counts, acknowledgement clocks", "ui"},
    {"GET", "/ui/cases/{id}", ROLE_READ, HTTP_UI, case_page, "One case: report, clocks, Art. 14 drafts, user notification, messages, timeline", "ui"},
    {"POST", "/ui/cases/{id}/ack", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_ack, "Acknowledge a case (form)", "ui"},
    {"POST", "/ui/cases/{id}/state", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_state, "Move a case (form: to, note)", "ui"},
    {"POST", "/ui/cases/{id}/assign", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_assign, "Assign a case (form: assignee)", "ui"},
    {"POST", "/ui/cases/{id}/note", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_note, "Internal note (form: body)", "ui"},
    {"POST", "/ui/cases/{id}/message", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_message, "Message to the reporter (form: body)", "ui"},
    {"POST", "/ui/cases/{id}/exploited", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_exploited, "Mark actively exploited (form: aware_at, evidence, member_states)", "ui"},
    {"POST", "/ui/cases/{id}/draft", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_draft, "Build a new Art. 14 draft version (form: exposure, stage)", "ui"},
    {"POST", "/ui/cases/{id}/edit", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_edit, "Set an Art. 14 draft field (form: exposure, stage, field, value)", "ui"},
    {"POST", "/ui/cases/{id}/approve", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_approve, "Approve the latest Art. 14 draft (form: exposure, stage)", "ui"},
    {"POST", "/ui/cases/{id}/submitted", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, act_submitted, "Record an Art. 14 filing (form: exposure, stage, at, reference)", "ui"},
    {"GET", "/api/v1/cases/{id}/user-notification", ROLE_READ, 0, api_user_notice, "Art. 14(8) user notification of a case (schema vigil-user-notification/1; format=text for the wording)", "psirt"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
