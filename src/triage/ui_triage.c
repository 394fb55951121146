/*
 * ui_triage.c - the triage queue in the web shell: /ui/findings with
 * filters, counts per state, a triage form on every row (works without
 * JavaScript: POST, then back to the same filtered list), a chart of open
 * findings by severity over time and the SLA picture (inline SVG drawn
 * here: the CSP allows no inline style, so only presentation attributes),
 * and a finding's page with its comments and full audit history.
 */
#define _POSIX_C_SOURCE 200809L
#include "auth/auth.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "core/text.h"
#include "http/html.h"
#include "http/ui.h"
#include "store/store.h"
#include "triage/triage.h"
#include "triage/triage_ui.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

#define WRITERS (ROLE_ADMIN | ROLE_PSIRT)

static const char *const all_states[] = {
    "new",   "in_triage",    "affected",       "in_remediation",
    "fixed", "not_affected", "false_positive", NULL};
static const char *const all_justifications[] = {
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
    NULL};
/* in the order of triage_severities */
static const char *const *const sevs = triage_severities;
static const char *const sev_color[] = {"#a61e1e", "#d9480f", "#c98a00", "#2b8a3e", "#868e96"};

static const char *q(struct http_req *req, const char *name)
{
	const char *v = http_query(req, name);
	return v && *v ? v : NULL;
}

static int can_write(const struct http_req *req)
{
	return (req->who.role & WRITERS) != 0;
}

static int error_page(struct http_req *req, struct http_resp *resp, const struct vg_error *err,
		      const char *back)
{
	ui_page_begin(req, resp, "Findings", "findings");
	resp->status = vg_code_http_status(err->code ? err->code : VG_EINTERNAL);
	vg_buf_adds(&resp->body, "<p class=\"error\" role=\"alert\" id=\"error\">");
	html(&resp->body, "%s", vg_error_msg(err));
	vg_buf_adds(&resp->body, "</p><p><a href=\"");
	html(&resp->body, "%s", back ? back : "/ui/findings");
	vg_buf_adds(&resp->body, "\">Back</a></p>");
	return ui_page_end(resp);
}

/* The filters of the list as a query string (for links and the way back). */
static void filter_query(struct vg_buf *b, struct http_req *req)
{
	static const char *const keys[] = {"product", "version", "severity", "state",  "assignee",
					   "kev",     "overdue", "sort",     "offset", NULL};
	int first = 1;
	for (int i = 0; keys[i]; i++) {
		const char *v = q(req, keys[i]);
		if (!v)
			continue;
		vg_buf_addf(b, "%s%s=", first ? "" : "&", keys[i]);
		html_url(b, v);
		first = 0;
	}
}

static void option(struct vg_buf *b, const char *value, const char *label, const char *cur)
{
	vg_buf_adds(b, "<option value=\"");
	html(b, "%s", value);
	vg_buf_addf(b, "\"%s>", cur && strcmp(cur, value) == 0 ? " selected" : "");
	html(b, "%s", label);
	vg_buf_adds(b, "</option>");
}

static void text_input(struct vg_buf *b, const char *name, const char *label, const char *value)
{
	vg_buf_addf(b, "<label>%s <input name=\"%s\" value=\"", label, name);
	html(b, "%s", value);
	vg_buf_adds(b, "\"></label> ");
}

static void justification_select(struct vg_buf *b, const char *id, const char *cur)
{
	vg_buf_addf(
	    b,
	    "<select name=\"justification\" aria-label=\"justification (for not_affected)\"%s%s%s>",
	    id ? " id=\"" : "", id ? id : "", id ? "\"" : "");
	option(b, "", "justification…", cur);
	for (int i = 0; all_justifications[i]; i++)
		option(b, all_justifications[i], all_justifications[i], cur);
	vg_buf_adds(b, "</select>");
}

/* The states a finding may move to, as a select. */
static void state_select(struct vg_buf *b, const char *from, long long id, const char *elid)
{
	vg_buf_addf(b, "<select name=\"state\" aria-label=\"new state of finding %lld\"%s%s%s>", id,
		    elid ? " id=\"" : "", elid ? elid : "", elid ? "\"" : "");
	vg_buf_adds(b, "<option value=\"\">keep state</option>");
	for (int i = 0; all_states[i]; i++)
		if (triage_transition_ok(from, all_states[i]))
			option(b, all_states[i], all_states[i], NULL);
	vg_buf_adds(b, "</select> ");
}

/* ---- the chart ---- */

static void history_svg(struct vg_buf *b, const struct triage_history *h)
{
	const int W = 640, H = 220, L = 40, R = 110, T = 14, B = 30;
	size_t n = h->n;
	long long max = 1;
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < TRIAGE_N_SEVERITIES; s++)
			if (h->days[i].open[s] > max)
				max = h->days[i].open[s];
	vg_buf_addf(
	    b,
	    "<svg id=\"chart-open\" class=\"chart\" role=\"img\" aria-labelledby=\"chart-open-t\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">"
	    "<title id=\"chart-open-t\">Open findings by severity, last %zu days</title>",
	    W, H, W, H, n);
	vg_buf_addf(b,
		    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>"
		    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>"
		    "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%lld</text>"
		    "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>",
		    L, T, L, H - B, L, H - B, W - R, H - B, L - 4, T + 4, max, L - 4, H - B);
	if (n) {
		vg_buf_adds(b, "<text x=\"");
		vg_buf_addf(b, "%d\" y=\"%d\" font-size=\"11\">", L, H - B + 16);
		html(b, "%s", h->days[0].day);
		vg_buf_addf(b,
			    "</text><text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">",
			    W - R, H - B + 16);
		html(b, "%s", h->days[n - 1].day);
		vg_buf_adds(b, "</text>");
	}
	for (int s = 0; sevs[s]; s++) {
		vg_buf_addf(b,
			    "<polyline class=\"sev-%s\" fill=\"none\" stroke=\"%s\" "
			    "stroke-width=\"2\" points=\"",
			    sevs[s], sev_color[s]);
		for (size_t i = 0; i < n; i++) {
			long long v = h->days[i].open[s];
			int x = L + (n > 1 ? (int)((long long)(W - L - R) * (long long)i /
						   (long long)(n - 1))
					   : 0);
			int y = (H - B) - (int)((long long)(H - B - T) * v / max);
			vg_buf_addf(b, "%s%d,%d", i ? " " : "", x, y);
		}
		vg_buf_addf(b, "\"><title>%s</title></polyline>", sevs[s]);
		vg_buf_addf(b,
			    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			    "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s %lld</text>",
			    W - R + 10, T + s * 20, sev_color[s], W - R + 28, T + s * 20 + 11,
			    sevs[s], n ? (long long)h->days[n - 1].open[s] : 0LL);
	}
	vg_buf_adds(b, "</svg>");
}

static void sla_svg(struct vg_buf *b, long long within, long long overdue, long long nodue)
{
	const int W = 640, BW = 500;
	long long total = within + overdue + nodue;
	int w1 = total ? (int)(BW * within / total) : 0,
	    w2 = total ? (int)(BW * overdue / total) : 0;
	vg_buf_addf(
	    b,
	    "<svg id=\"chart-sla\" class=\"chart\" role=\"img\" aria-labelledby=\"chart-sla-t\" "
	    "viewBox=\"0 0 %d 60\" width=\"%d\" height=\"60\" xmlns=\"http://www.w3.org/2000/svg\">"
	    "<title id=\"chart-sla-t\">SLA compliance of open findings: %lld within, %lld "
	    "overdue, %lld without a policy</title>"
	    "<rect x=\"0\" y=\"4\" width=\"%d\" height=\"20\" fill=\"#2b8a3e\"/>"
	    "<rect x=\"%d\" y=\"4\" width=\"%d\" height=\"20\" fill=\"#a61e1e\"/>"
	    "<rect x=\"%d\" y=\"4\" width=\"%d\" height=\"20\" fill=\"#adb5bd\"/>"
	    "<text x=\"0\" y=\"44\" font-size=\"12\">within SLA %lld</text>"
	    "<text x=\"180\" y=\"44\" font-size=\"12\">overdue %lld</text>"
	    "<text x=\"340\" y=\"44\" font-size=\"12\">no policy %lld</text></svg>",
	    W, W, within, overdue, nodue, w1, w1, w2, w1 + w2, BW - w1 - w2, within, overdue,
	    nodue);
}

/* ---- the all-products charts, computed at most once a minute ---- */

/*
 * The charts under the queue are over every finding of every product: at a
 * million findings they cost a pass over the table each (about half a
 * second), far more than the filtered page above them. They are drawn once
 * and reused for DASH_TTL seconds per database (the page says as of when);
 * while one request redraws them, the others reuse the previous drawing.
 */
#define DASH_TTL 60

static struct {
	pthread_mutex_t mu;
	char db[512];
	char *html;    /* both charts with their headings */
	int64_t drawn; /* monotonic seconds */
	int busy;
	int by_job; /* the job keeps the drawing fresh */
} dash = {PTHREAD_MUTEX_INITIALIZER, "", NULL, 0, 0, 0};

static int64_t mono_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

static int draw_charts(struct store *db, struct vg_buf *b, struct vg_error *err)
{
	struct triage_history hist;
	json_t *rows = NULL, *r;
	long long open, overdue, nodue;
	char asof[32];
	int rc = triage_history(db, 30, &hist, err);
	if (!rc)
		rc = store_query_json(
		    db, &rows, err,
		    "SELECT COUNT(*) AS open, COALESCE(SUM(CASE WHEN sla_due_key < ? THEN 1 ELSE 0 "
		    "END), 0) AS overdue, COALESCE(SUM(CASE WHEN sla_due_at IS NULL THEN 1 ELSE 0 "
		    "END), 0) AS nodue FROM findings WHERE retracted_at IS NULL AND state IN "
		    "('new', 'in_triage', 'affected', 'in_remediation')",
		    "i", vg_now());
	if (rc) {
		triage_history_release(&hist);
		return rc;
	}
	r = json_array_get(rows, 0);
	open = (long long)json_integer_value(json_object_get(r, "open"));
	overdue = (long long)json_integer_value(json_object_get(r, "overdue"));
	nodue = (long long)json_integer_value(json_object_get(r, "nodue"));
	vg_time_format(vg_now(), asof, sizeof(asof));
	vg_buf_adds(b, "<h2>Open findings by severity, all products</h2>");
	history_svg(b, &hist);
	vg_buf_adds(b, "<h2>SLA, all products</h2>");
	sla_svg(b, open - overdue - nodue > 0 ? open - overdue - nodue : 0, overdue, nodue);
	vg_buf_addf(b,
		    "<p id=\"charts-asof\"><small>charts as of %s (redrawn every minute)"
		    "</small></p>",
		    asof);
	triage_history_release(&hist);
	json_decref(rows);
	return VG_OK;
}

/* Keep a new drawing of the charts for the database named key. */
static void charts_keep(const char *key, const char *html, int64_t t)
{
	char *copy = strdup(html);
	if (!copy)
		return;
	pthread_mutex_lock(&dash.mu);
	free(dash.html);
	dash.html = copy;
	snprintf(dash.db, sizeof(dash.db), "%s", key);
	dash.drawn = t;
	pthread_mutex_unlock(&dash.mu);
}

/*
 * The job "triage.charts" (triage_jobs, run once a minute on every server:
 * the drawing is a cache of this process) redraws them on the scheduler's
 * connection, so no page waits for a pass over a million findings.
 */
int triage_charts_redraw(struct store *s, struct vg_error *err)
{
	struct vg_buf fresh = VG_BUF_INIT;
	int rc = draw_charts(s, &fresh, err);
	if (!rc && fresh.data) {
		charts_keep(store_url_safe(s), fresh.data, mono_seconds());
		pthread_mutex_lock(&dash.mu);
		dash.by_job = 1;
		pthread_mutex_unlock(&dash.mu);
	}
	vg_buf_release(&fresh);
	return rc;
}

/* Append the charts for db to b: the cached drawing when it is fresh, kept
 * fresh by the redraw job, or another request is redrawing it; else a new
 * one (tests, servers without the job). */
static int charts(struct store *db, struct vg_buf *b, struct vg_error *err)
{
	const char *key = store_url_safe(db);
	int64_t t = mono_seconds();
	struct vg_buf fresh = VG_BUF_INIT;
	int rc;
	pthread_mutex_lock(&dash.mu);
	/* the job's drawing is at most a minute and a draw old */
	if (dash.html && strcmp(dash.db, key) == 0 &&
	    (t - dash.drawn < DASH_TTL || dash.busy ||
	     (dash.by_job && t - dash.drawn < 5 * DASH_TTL))) {
		vg_buf_adds(b, dash.html);
		pthread_mutex_unlock(&dash.mu);
		return VG_OK;
	}
	dash.busy++;
	pthread_mutex_unlock(&dash.mu);
	rc = draw_charts(db, &fresh, err);
	pthread_mutex_lock(&dash.mu);
	dash.busy--;
	pthread_mutex_unlock(&dash.mu);
	if (!rc && fresh.data)
		charts_keep(key, fresh.data, t);
	if (!rc)
		vg_buf_adds(b, fresh.data ? fresh.data : "");
	vg_buf_release(&fresh);
	return rc;
}

/* ---- counts per state, reused for a few seconds ---- */

/*
 * The counts per state of a broad filter read up to seven times
 * triage.count_cap index entries: a third of the page's time at a million
 * findings. They are reused for COUNTS_TTL seconds per filter, and only
 * while this server has handled no write (http_write_generation): a
 * decision made here shows at once; one made by another process or server
 * within seconds. A product's or version's counts are exact and cheap:
 * never cached.
 */
#define COUNTS_TTL   10
#define COUNTS_SLOTS 16

static struct {
	pthread_mutex_t mu;
	struct {
		char key[600];
		unsigned long gen;
		int64_t at;
		int used;
		struct finding_counts counts;
	} e[COUNTS_SLOTS];
} ccache = {PTHREAD_MUTEX_INITIALIZER, {{"", 0, 0, 0, {{0}}}}};

static int counts_cached(struct store *db, const struct findings_filter *f,
			 struct finding_counts *out, struct vg_error *err)
{
	char key[600];
	unsigned long gen = http_write_generation();
	int64_t t = mono_seconds();
	int n, slot = 0, rc;

	n = snprintf(key, sizeof(key), "%s\037%s\037%s\037%d\037%lld", store_url_safe(db),
		     f->severity ? f->severity : "", f->assignee ? f->assignee : "",
		     f->kev_only != 0, (long long)f->count_cap);
	if (f->product || f->version || n < 0 || (size_t)n >= sizeof(key))
		return triage_counts(db, f, out, err);
	pthread_mutex_lock(&ccache.mu);
	for (int i = 0; i < COUNTS_SLOTS; i++) {
		if (ccache.e[i].used && strcmp(ccache.e[i].key, key) == 0 &&
		    ccache.e[i].gen == gen && t - ccache.e[i].at < COUNTS_TTL) {
			*out = ccache.e[i].counts;
			pthread_mutex_unlock(&ccache.mu);
			return VG_OK;
		}
	}
	pthread_mutex_unlock(&ccache.mu);
	if ((rc = triage_counts(db, f, out, err)))
		return rc;
	pthread_mutex_lock(&ccache.mu);
	/* the slot of the same filter, else the oldest (an empty one is) */
	for (int i = 0; i < COUNTS_SLOTS; i++) {
		if (strcmp(ccache.e[i].key, key) == 0) {
			slot = i;
			break;
		}
		if (ccache.e[i].at < ccache.e[slot].at)
			slot = i;
	}
	ccache.e[slot].used = 1;
	ccache.e[slot].counts = *out;
	snprintf(ccache.e[slot].key, sizeof(ccache.e[slot].key), "%s", key);
	ccache.e[slot].gen = gen;
	ccache.e[slot].at = t;
	pthread_mutex_unlock(&ccache.mu);
	return VG_OK;
}

/* ---- the queue ---- */

#define QUEUE_PAGE 50

/* Links to the previous and next page of the list, keeping its filters. */
static void pager(struct vg_buf *b, struct http_req *req, long long offset, long long total)
{
	static const char *const keys[] = {"product", "version", "severity", "state", "assignee",
					   "kev",     "overdue", "sort",     NULL};
	struct vg_buf qs = VG_BUF_INIT;
	for (int i = 0; keys[i]; i++) {
		const char *v = q(req, keys[i]);
		if (!v)
			continue;
		vg_buf_addf(&qs, "%s=", keys[i]);
		html_url(&qs, v);
		vg_buf_adds(&qs, "&");
	}
	vg_buf_adds(b, "<nav aria-label=\"pages\" id=\"pages\">");
	if (offset > 0) {
		vg_buf_adds(b, "<a rel=\"prev\" href=\"/ui/findings?");
		html(b, "%s", qs.data ? qs.data : "");
		vg_buf_addf(b, "offset=%lld\">previous %d</a> ",
			    offset > QUEUE_PAGE ? offset - QUEUE_PAGE : 0, QUEUE_PAGE);
	}
	if (offset + QUEUE_PAGE < total) {
		vg_buf_adds(b, "<a rel=\"next\" href=\"/ui/findings?");
		html(b, "%s", qs.data ? qs.data : "");
		vg_buf_addf(b, "offset=%lld\">next %d</a>", offset + QUEUE_PAGE, QUEUE_PAGE);
	}
	vg_buf_adds(b, "</nav>");
	vg_buf_release(&qs);
}

static int queue_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_buf back = VG_BUF_INIT;
	struct vg_error err = {0};
	struct findings_filter f = {0}, fl;
	struct finding_list l;
	struct finding_counts counts;
	long long total;
	int exact, write = can_write(req), rc;

	f.product = q(req, "product");
	f.version = q(req, "version");
	f.severity = q(req, "severity");
	f.state = q(req, "state");
	f.assignee = q(req, "assignee");
	f.kev_only = q(req, "kev") != NULL;
	f.overdue = q(req, "overdue") != NULL;
	f.sort_due = !q(req, "sort") || strcmp(q(req, "sort"), "due") == 0;
	f.limit = QUEUE_PAGE;
	/* a negative offset was always the first page */
	if (q(req, "offset") &&
	    (rc = http_query_int(req, resp, "offset", INT64_MIN, INT64_MAX, 0, &f.offset)))
		return rc;
	if (f.offset < 0)
		f.offset = 0;
	/* counts of broad filters stop at 10,000 ("10000+"): exact counts of a
	 * million findings cost a second a page */
	f.count_cap = findings_count_cap();
	fl = f;
	/* a capped total still tells whether there is a next page */
	if (fl.count_cap < QUEUE_PAGE)
		fl.count_cap = QUEUE_PAGE;
	if (f.state && strcmp(f.state, "open") != 0 && !triage_state_valid(f.state)) {
		vg_error_set(&err, VG_EINVAL, "state '%s': expected a finding state or open",
			     f.state);
		return error_page(req, resp, &err, NULL);
	}
	if (findings_list(req->db, &fl, &l, &err) || counts_cached(req->db, &f, &counts, &err)) {
		finding_list_release(&l);
		return error_page(req, resp, &err, NULL);
	}
	total = (long long)l.total;
	exact = l.total_exact;
	filter_query(&back, req);
	ui_page_begin(req, resp, "Findings", "findings");
	ui_flash(req, b, "findings");

	vg_buf_adds(b, "<nav aria-label=\"findings per state\" id=\"counts\"><ul>");
	for (int k = 0; k < FINDING_N_STATES; k++) {
		{
			const char *st = finding_states[k];
			long long n = (long long)counts.n[k];
			vg_buf_addf(b,
				    "<li><a href=\"/ui/findings?state=%s\" data-state=\"%s\">%s "
				    "<strong>%lld%s</strong></a></li>",
				    st, st, st,
				    n > findings_count_cap() ? (long long)findings_count_cap() : n,
				    n > findings_count_cap() ? "+" : "");
		}
	}
	vg_buf_adds(b, "</ul></nav>");

	vg_buf_adds(b,
		    "<form method=\"get\" action=\"/ui/findings\" class=\"card\" id=\"filter\">");
	text_input(b, "product", "product", f.product);
	text_input(b, "version", "version", f.version);
	vg_buf_adds(b, "<label>severity <select name=\"severity\"><option value=\"\">any</option>");
	for (int k = 0; sevs[k]; k++)
		option(b, sevs[k], sevs[k], f.severity);
	vg_buf_adds(b, "</select></label> <label>state <select name=\"state\"><option "
		       "value=\"\">any</option>");
	option(b, "open", "open", f.state);
	for (int k = 0; all_states[k]; k++)
		option(b, all_states[k], all_states[k], f.state);
	vg_buf_adds(b, "</select></label> ");
	text_input(b, "assignee", "assignee", f.assignee);
	vg_buf_addf(b,
		    "<label><input type=\"checkbox\" name=\"kev\" value=\"1\"%s> actively "
		    "exploited</label> <label><input type=\"checkbox\" name=\"overdue\" "
		    "value=\"1\"%s> overdue</label> <label>sort <select name=\"sort\">",
		    f.kev_only ? " checked" : "", f.overdue ? " checked" : "");
	option(b, "due", "due time", f.sort_due ? "due" : "new");
	option(b, "new", "newest", f.sort_due ? "due" : "new");
	vg_buf_adds(b, "</select></label> <button id=\"apply\">Filter</button></form>");

	vg_buf_addf(b, "<p id=\"total\">%lld%s finding(s)</p>", total, exact ? "" : "+");
	vg_buf_adds(b,
		    "<table id=\"findings\"><thead><tr><th>id</th><th>product</th><th>version</th>"
		    "<th>vulnerability</th><th>severity</th><th>component</th><th>matched</th>"
		    "<th>state</th><th>assignee</th><th>due</th>");
	if (write)
		vg_buf_adds(b, "<th>triage</th>");
	vg_buf_adds(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < l.n; i++) {
		const struct finding *r = &l.v[i];
		long long id = (long long)r->id;
		json_t *ev = r->evidence_json ? json_loads(r->evidence_json, 0, NULL) : NULL;
		json_t *m = json_array_get(json_object_get(ev, "matches"), 0);
		const char *st = r->state;
		int retracted = r->retracted_at != 0;
		char due[VG_TIME_BUFSZ];
		vg_buf_addf(b, "<tr id=\"f%lld\" data-id=\"%lld\" data-state=\"", id, id);
		html(b, "%s", st);
		vg_buf_addf(b, "\"><td><a href=\"/ui/findings/%lld\">%lld</a></td><td>", id, id);
		html(b, "%s", r->product);
		vg_buf_adds(b, "</td><td>");
		html(b, "%s", r->version);
		vg_buf_adds(b, "</td><td><a href=\"/ui/vulnerabilities/");
		html_url(b, r->vuln_id);
		vg_buf_adds(b, "\">");
		html(b, "%s", r->vuln_id);
		vg_buf_adds(b, "</a>");
		if (r->kev)
			vg_buf_adds(b, " <strong class=\"kev\">exploited</strong>");
		vg_buf_adds(b, "</td><td>");
		html(b, "%s", r->severity ? r->severity : "unknown");
		vg_buf_adds(b, "</td><td><code>");
		html(b, "%s", r->purl);
		vg_buf_adds(b, "</code></td><td>");
		html(b, "%s", vg_json_str(m, "matched"));
		json_decref(ev);
		vg_buf_adds(b, "</td><td class=\"state\">");
		html(b, "%s", retracted ? "retracted" : st);
		if (r->justification) {
			vg_buf_adds(b, "<br><small>");
			html(b, "%s", r->justification);
			vg_buf_adds(b, "</small>");
		}
		vg_buf_adds(b, "</td><td>");
		html(b, "%s", r->assignee);
		vg_buf_adds(b, "</td><td>");
		html(b, "%s", r->due_at ? vg_time_format(r->due_at, due, sizeof(due)) : "-");
		if (r->overdue)
			vg_buf_adds(b, " <strong class=\"overdue\">overdue</strong>");
		vg_buf_adds(b, "</td>");
		if (write) {
			char sid[32];
			vg_buf_adds(b, "<td>");
			if (!retracted) {
				snprintf(sid, sizeof(sid), "state-%lld", id);
				vg_buf_addf(
				    b,
				    "<form method=\"post\" action=\"/ui/findings/%lld/triage\" "
				    "class=\"triage\">",
				    id);
				ui_csrf_field(req, resp);
				vg_buf_adds(b, "<input type=\"hidden\" name=\"back\" value=\"");
				html(b, "%s", back.data ? back.data : "");
				vg_buf_adds(b, "\">");
				state_select(b, st, id, sid);
				justification_select(b, NULL, NULL);
				vg_buf_addf(
				    b,
				    " <input name=\"comment\" aria-label=\"comment on finding "
				    "%lld\" placeholder=\"comment\" maxlength=\"4000\"> "
				    "<button>Save</button></form>",
				    id);
			}
			vg_buf_adds(b, "</td>");
		}
		vg_buf_adds(b, "</tr>");
	}
	if (total == 0)
		vg_buf_addf(b, "<tr><td colspan=\"%d\">No findings.</td></tr>", write ? 11 : 10);
	vg_buf_adds(b, "</tbody></table>");
	pager(b, req, (long long)f.offset, exact ? total : total + 1);
	/* (not exact: more than offset + QUEUE_PAGE findings match) */

	if (charts(req->db, b, &err)) {
		vg_buf_adds(b, "<p class=\"error\" role=\"alert\">charts: ");
		html(b, "%s", vg_error_msg(&err));
		vg_buf_adds(b, "</p>");
	}
	vg_buf_release(&back);
	finding_list_release(&l);
	return ui_page_end(resp);
}

/* ---- posts ---- */

static int finding_param(struct http_req *req, int64_t *id)
{
	return vg_id_parse(http_param(req, "id"), "finding id", id, NULL) ? -1 : 0;
}

/* Where to go after a post: the finding's page, or the list with its
 * filters (only query-string characters are kept: no header injection, no
 * other site). */
static int go_back(struct http_req *req, struct http_resp *resp, int64_t id, const char *code)
{
	char back[1024], to[16];
	struct vg_buf loc = VG_BUF_INIT;
	int rc, page = http_form(req, "to", to, sizeof(to)) == VG_OK && strcmp(to, "finding") == 0;
	char sep = '?';
	if (page) {
		vg_buf_addf(&loc, "/ui/findings/%lld", (long long)id);
	} else {
		vg_buf_adds(&loc, "/ui/findings");
		if (http_form(req, "back", back, sizeof(back)) == VG_OK && back[0]) {
			vg_buf_addc(&loc, '?');
			sep = '&';
			for (const char *p = back; *p; p++)
				if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				    (*p >= '0' && *p <= '9') || strchr("&=%._~-+", *p))
					vg_buf_addc(&loc, *p);
		}
	}
	/* Post, redirect, get: a refusal is shown on the page the form came from,
	 * as a code of the banner table (http/ui.h ui_flash), never as text. */
	if (code)
		vg_buf_addf(&loc, "%cerror=%s", sep, code);
	if (!page)
		vg_buf_addf(&loc, "#f%lld", (long long)id);
	rc = http_redirect(resp, loc.data);
	vg_buf_release(&loc);
	return rc;
}

static const char *form(struct http_req *req, const char *name, char *buf, size_t n)
{
	if (http_form(req, name, buf, n) != VG_OK || !buf[0])
		return NULL;
	return buf;
}

/* The banner code (http/ui.c) of a refused change; the detail goes to the
 * log. */
static const char *refusal(const struct triage_change *c, const struct vg_error *err)
{
	vg_info("triage: change refused: %s", vg_error_msg(err));
	if (err->code == VG_ENOTFOUND)
		return "finding";
	if (err->code == VG_ESTATE)
		return "transition";
	if (err->code == VG_ETOOBIG && c->comment)
		return "comment";
	if (c->state && strcmp(c->state, "not_affected") == 0 && !c->justification)
		return "justification";
	if (c->assignee && !c->state && err->code == VG_EINVAL)
		return "assignee";
	return err->code == VG_EINVAL ? "invalid" : "failed";
}

static int post_triage(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct triage_change c = {0};
	char state[32], just[64], comment[4100], scope[16];
	int64_t id;
	if (finding_param(req, &id)) {
		vg_error_set(&err, VG_EINVAL, "finding id: expected a positive integer");
		return error_page(req, resp, &err, NULL);
	}
	c.state = form(req, "state", state, sizeof(state));
	c.comment = form(req, "comment", comment, sizeof(comment));
	c.scope = form(req, "scope", scope, sizeof(scope));
	/* The row form always sends a justification select: it counts only for
	 * not_affected. */
	if (c.state && strcmp(c.state, "not_affected") == 0)
		c.justification = form(req, "justification", just, sizeof(just));
	if (!c.state)
		c.scope = NULL;
	if (triage_apply(req->db, id, &c, &err))
		return go_back(req, resp, id, refusal(&c, &err));
	return go_back(req, resp, id, NULL);
}

static int post_assign(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct triage_change c = {0};
	char to[130];
	int64_t id;
	if (finding_param(req, &id)) {
		vg_error_set(&err, VG_EINVAL, "finding id: expected a positive integer");
		return error_page(req, resp, &err, NULL);
	}
	if (http_form(req, "assignee", to, sizeof(to)) != VG_OK)
		to[0] = '\0';
	c.assignee = to;
	if (triage_apply(req->db, id, &c, &err))
		return go_back(req, resp, id, refusal(&c, &err));
	return go_back(req, resp, id, NULL);
}

/* ---- one finding ---- */

static void json_cell(struct vg_buf *b, const json_t *v)
{
	char *t = v && !json_is_null(v) ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	vg_buf_adds(b, "<td><code>");
	html(b, "%s", t ? t : "-");
	vg_buf_adds(b, "</code></td>");
	free(t);
}

static void dt(struct vg_buf *b, const char *term, const char *val)
{
	vg_buf_adds(b, "<dt>");
	html(b, "%s", term);
	vg_buf_adds(b, "</dt><dd>");
	html(b, "%s", val ? val : "-");
	vg_buf_adds(b, "</dd>");
}

static int finding_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct finding_detail d;
	const struct finding *f = &d.f;
	json_t *x, *ev, *m;
	char ts[VG_TIME_BUFSZ];
	char **users = NULL;
	size_t n_users = 0;
	int64_t id;
	size_t i;
	char title[64];
	if (finding_param(req, &id)) {
		vg_error_set(&err, VG_ENOTFOUND, "finding '%s' not found", http_param(req, "id"));
		return error_page(req, resp, &err, NULL);
	}
	if (triage_finding_get(req->db, id, &d, &err)) {
		finding_detail_release(&d);
		return error_page(req, resp, &err, NULL);
	}
	snprintf(title, sizeof(title), "Finding %lld", (long long)id);
	ui_page_begin(req, resp, title, "findings");
	ui_flash(req, b, "findings");
	vg_buf_adds(b, "<dl class=\"card\" id=\"finding\">");
	dt(b, "product", f->product);
	dt(b, "version", f->version);
	vg_buf_adds(b, "<dt>vulnerability</dt><dd><a href=\"/ui/vulnerabilities/");
	html_url(b, f->vuln_id);
	vg_buf_adds(b, "\">");
	html(b, "%s", f->vuln_id);
	vg_buf_adds(b, "</a> ");
	html(b, "%s", d.summary);
	vg_buf_adds(b, "</dd>");
	dt(b, "severity", f->severity);
	dt(b, "actively exploited", f->kev ? "yes (CISA KEV)" : "no");
	dt(b, "component", f->purl);
	ev = f->evidence_json ? json_loads(f->evidence_json, 0, NULL) : NULL;
	m = json_array_get(json_object_get(ev, "matches"), 0);
	dt(b, "matched", vg_json_str(m, "matched"));
	dt(b, "fixed in", vg_json_str(m, "fixed"));
	json_decref(ev);
	if (d.n_fix_releases) {
		vg_buf_adds(b, "<dt>fixed by release</dt><dd id=\"fix-releases\">");
		for (i = 0; i < d.n_fix_releases; i++) {
			const struct finding_fix_release *r = &d.fix_releases[i];
			html(b, "%s<a href=\"/ui/releases/%lld\">%s %s</a> (%s, published %s)",
			     i ? "; " : "", (long long)r->release_id, f->product, r->version,
			     r->fixes, vg_time_format(r->published_at, ts, sizeof(ts)));
		}
		vg_buf_adds(b, "</dd>");
	}
	vg_buf_adds(b, "<dt>state</dt><dd id=\"state\">");
	html(b, "%s", f->state);
	if (f->justification) {
		vg_buf_adds(b, " (");
		html(b, "%s", f->justification);
		vg_buf_adds(b, ")");
	}
	vg_buf_adds(b, "</dd>");
	dt(b, "assignee", f->assignee);
	dt(b, "first seen",
	   f->first_seen_at ? vg_time_format(f->first_seen_at, ts, sizeof(ts)) : NULL);
	dt(b, "triage due",
	   f->triage_due_at ? vg_time_format(f->triage_due_at, ts, sizeof(ts)) : NULL);
	dt(b, "fix due", f->fix_due_at ? vg_time_format(f->fix_due_at, ts, sizeof(ts)) : NULL);
	dt(b, "overdue", f->overdue ? "yes" : "no");
	vg_buf_adds(b, "</dl>");

	if (can_write(req)) {
		vg_buf_addf(
		    b,
		    "<h2>Triage</h2><form method=\"post\" action=\"/ui/findings/%lld/triage\" "
		    "class=\"card\" id=\"triage\">",
		    (long long)id);
		ui_csrf_field(req, resp);
		vg_buf_adds(b,
			    "<input type=\"hidden\" name=\"to\" value=\"finding\"><label>state ");
		state_select(b, f->state, (long long)id, "state-select");
		vg_buf_adds(b, "</label><label>justification ");
		justification_select(b, "justification", NULL);
		vg_buf_adds(b, "</label> <label>decision holds for <select name=\"scope\">"
			       "<option value=\"version\">this version</option><option "
			       "value=\"product\">later versions too</option></select></label> "
			       "<label>comment <input name=\"comment\" maxlength=\"4000\"></label> "
			       "<button>Save</button></form>");
		vg_buf_addf(
		    b,
		    "<form method=\"post\" action=\"/ui/findings/%lld/assign\" class=\"card\" "
		    "id=\"assign\">",
		    (long long)id);
		ui_csrf_field(req, resp);
		vg_buf_adds(b,
			    "<input type=\"hidden\" name=\"to\" value=\"finding\"><label>assignee "
			    "<select name=\"assignee\"><option value=\"\">nobody</option>");
		if (auth_user_names(req->db, &users, &n_users, NULL) == VG_OK) {
			for (size_t k = 0; k < n_users; k++)
				option(b, users[k], users[k], f->assignee);
			auth_names_free(users, n_users);
		}
		vg_buf_adds(b, "</select></label> <button>Assign</button></form>");
	}

	vg_buf_adds(b, "<h2>Comments</h2><ul id=\"comments\">");
	for (i = 0; i < d.n_comments; i++) {
		const struct finding_comment *cm = &d.comments[i];
		vg_buf_adds(b, "<li>");
		html(b, "%s",
		     cm->created_at ? vg_time_format(cm->created_at, ts, sizeof(ts)) : NULL);
		vg_buf_adds(b, " <strong>");
		html(b, "%s", cm->actor);
		vg_buf_adds(b, "</strong>: ");
		html(b, "%s", cm->body);
		vg_buf_adds(b, "</li>");
	}
	if (!d.n_comments)
		vg_buf_adds(b, "<li>No comments.</li>");
	vg_buf_adds(b, "</ul><h2>History</h2><table id=\"history\"><thead><tr><th>#</th>"
		       "<th>when</th><th>who</th><th>what</th><th>before</th><th>after</th></tr>"
		       "</thead><tbody>");
	json_array_foreach(d.history, i, x)
	{
		vg_buf_addf(b, "<tr><td>%lld</td><td>",
			    (long long)json_integer_value(json_object_get(x, "seq")));
		html(b, "%s", vg_json_str(x, "at"));
		vg_buf_adds(b, "</td><td>");
		html(b, "%s", vg_json_str(x, "actor"));
		vg_buf_adds(b, "</td><td>");
		html(b, "%s", vg_json_str(x, "action"));
		vg_buf_adds(b, "</td>");
		json_cell(b, json_object_get(x, "before"));
		json_cell(b, json_object_get(x, "after"));
		vg_buf_adds(b, "</tr>");
	}
	vg_buf_adds(b, "</tbody></table><p><a href=\"/ui/findings\">All findings</a></p>");
	finding_detail_release(&d);
	return ui_page_end(resp);
}

const struct http_route triage_ui_routes[] = {
    {"GET", "/ui/findings", ROLE_READ, HTTP_UI, queue_page,
     "The triage queue (product, version, severity, state, assignee, kev, overdue, sort)", "ui"},
    {"GET", "/ui/findings/{id}", ROLE_READ, HTTP_UI, finding_page,
     "A finding: state, due times, triage and assignment forms, comments, audit history", "ui"},
    {"POST", "/ui/findings/{id}/triage", WRITERS, HTTP_UI, post_triage,
     "Triage a finding from the web (state, justification, comment, scope)", "ui"},
    {"POST", "/ui/findings/{id}/assign", WRITERS, HTTP_UI, post_assign,
     "Assign a finding from the web (assignee)", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* The charts are a cache of each server's pages: every server redraws its
 * own, once a minute (listed in src/app/tables.c). */
const struct vg_job triage_jobs_every_server[] = {
    {"triage.charts", 60, triage_charts_redraw},
    {NULL, 0, NULL},
};
