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
#include "triage/findings.h"
#include "http/html.h"
#include "http/ui.h"
#include "sbom/product.h"
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

/* the value of "unassign" in the bulk form (not a user name: they have no brackets) */
#define NOBODY "(nobody)"

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

/* ---- plain words for the codes (http/html.h html_label) ---- */

static const struct html_label state_words[] = {
    {"new", "New"},
    {"in_triage", "In triage"},
    {"affected", "Affected"},
    {"in_remediation", "In remediation"},
    {"fixed", "Fixed"},
    {"not_affected", "Not affected"},
    {"false_positive", "False positive"},
    {"open", "Open (new to in remediation)"},
    {"retracted", "Retracted (no longer matches)"},
    {NULL, NULL},
};
/* VEX justifications: the words, and the code beside them where it matters
 * (html_label_code), since the code is what a VEX document carries. */
static const struct html_label just_words[] = {
    {"component_not_present", "The component is not present"},
    {"vulnerable_code_not_present", "The vulnerable code is not present"},
    {"vulnerable_code_not_in_execute_path", "The vulnerable code is never run"},
    {"vulnerable_code_cannot_be_controlled_by_adversary",
     "An attacker cannot reach or control the vulnerable code"},
    {"inline_mitigations_already_exist", "Mitigations in the product already block it"},
    {NULL, NULL},
};
static const struct html_label sev_words[] = {
    {"critical", "Critical"}, {"high", "High"}, {"medium", "Medium"},
    {"low", "Low"},           {"none", "None"}, {NULL, NULL},
};
static const struct html_label scope_words[] = {
    {"version", "this version only"},
    {"product", "this version and later versions of the product"},
    {NULL, NULL},
};
static const struct html_label action_words[] = {
    {"finding.triage", "Decision"},
    {"finding.assign", "Assignment"},
    {"finding.comment", "Comment"},
    {"finding.reopen", "Reopened (the evidence changed)"},
    {"finding.carry_over", "Decision carried over from an earlier revision"},
    {"finding.vex_import", "Decision from an imported VEX document"},
    {"finding.fix_release", "Fixed by a release of another version"},
    {NULL, NULL},
};
/* the keys of a finding's audit before/after */
static const struct html_label key_words[] = {
    {"state", "State"},     {"justification", "Justification"}, {"assignee", "Assignee"},
    {"comment", "Comment"}, {"scope", "Decision holds for"},    {NULL, NULL},
};

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
	vg_buf_adds(&resp->body, "\">Back to the findings</a></p>");
	return ui_page_end(resp);
}

static void option(struct vg_buf *b, const char *value, const char *label, const char *cur)
{
	vg_buf_adds(b, "<option value=\"");
	html(b, "%s", value);
	vg_buf_addf(b, "\"%s>", cur && strcmp(cur, value) == 0 ? " selected" : "");
	html(b, "%s", label);
	vg_buf_adds(b, "</option>");
}

/* The justification select: the words, the code in brackets (an option
 * holds text only). */
static void justification_select(struct vg_buf *b, const char *id, const char *label,
				 const char *cur)
{
	vg_buf_adds(b, "<select name=\"justification\"");
	if (id)
		html(b, " id=\"%s\"", id);
	if (label)
		html(b, " aria-label=\"%s\"", label);
	vg_buf_adds(b, ">");
	option(b, "", "(only for not affected)", cur);
	for (int i = 0; all_justifications[i]; i++) {
		char t[200];
		snprintf(t, sizeof(t), "%s (%s)", html_label(just_words, all_justifications[i]),
			 all_justifications[i]);
		option(b, all_justifications[i], t, cur);
	}
	vg_buf_adds(b, "</select>");
}

/* The states a finding may move to (all of them when from is NULL). */
static void state_select(struct vg_buf *b, const char *from, const char *elid, const char *label,
			 const char *keep, const char *cur)
{
	vg_buf_adds(b, "<select name=\"state\"");
	if (elid)
		html(b, " id=\"%s\"", elid);
	if (label)
		html(b, " aria-label=\"%s\"", label);
	vg_buf_adds(b, ">");
	option(b, "", keep, cur);
	for (int i = 0; all_states[i]; i++)
		if (!from || triage_transition_ok(from, all_states[i]))
			option(b, all_states[i], html_label(state_words, all_states[i]), cur);
	vg_buf_adds(b, "</select>");
}

/* The users a finding may be assigned to: admin and psirt users. */
static void assignee_options(struct http_req *req, struct vg_buf *b, const char *cur)
{
	char **users = NULL;
	size_t n = 0;
	int seen = 0;
	if (auth_user_names_role(req->db, WRITERS, &users, &n, NULL) != VG_OK)
		return;
	for (size_t k = 0; k < n; k++) {
		option(b, users[k], users[k], cur);
		seen |= cur && strcmp(cur, users[k]) == 0;
	}
	/* a filter on someone who may no longer act still shows */
	if (cur && *cur && !seen && strcmp(cur, NOBODY) != 0)
		option(b, cur, cur, cur);
	auth_names_free(users, n);
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

#define PAGE_DEFAULT 50
static const int64_t page_sizes[] = {25, 50, 100, 500, 0};

/* What the list shows: its filters, sort and page, read from the query
 * string of the list or of a form's action (the forms on the list post to
 * an action that carries the list's query, so a refusal can show the same
 * list with the error at the row). */
struct view {
	struct findings_filter f;
	const char *sort; /* a FINDINGS_SORT_KEYS key; "due" by default */
	int desc;
	int64_t limit, offset;
};

static int view_read(struct http_req *req, struct view *v, struct vg_error *err)
{
	const char *sort = q(req, "sort"), *dir = q(req, "dir"), *sev = q(req, "severity");
	int ok = 0;
	memset(v, 0, sizeof(*v));
	v->f.product = q(req, "product");
	v->f.version = q(req, "version");
	v->f.severity = sev;
	v->f.state = q(req, "state");
	v->f.assignee = q(req, "assignee");
	v->f.kev_only = q(req, "kev") != NULL;
	v->f.overdue = q(req, "overdue") != NULL;
	if (sev) {
		for (int k = 0; sevs[k] && !ok; k++)
			ok = strcmp(sevs[k], sev) == 0;
		if (!ok)
			return vg_error_set(
			    err, VG_EINVAL,
			    "severity '%s': expected critical, high, medium, low or "
			    "none",
			    sev);
	}
	if (v->f.state && strcmp(v->f.state, "open") != 0 && !triage_state_valid(v->f.state))
		return vg_error_set(err, VG_EINVAL,
				    "state '%s': expected open, new, in_triage, affected, "
				    "in_remediation, fixed, not_affected or false_positive",
				    v->f.state);
	if (sort && !findings_sort_valid(sort))
		return vg_error_set(err, VG_EINVAL, "sort '%s': expected " FINDINGS_SORT_KEYS,
				    sort);
	if (dir && strcmp(dir, "asc") != 0 && strcmp(dir, "desc") != 0)
		return vg_error_set(err, VG_EINVAL, "dir '%s': expected asc or desc", dir);
	v->sort = sort ? sort : "due";
	v->desc = dir ? strcmp(dir, "desc") == 0 : findings_sort_desc_default(v->sort);
	if (vg_parse_int64_opt(q(req, "limit"), "limit", 1, 500, PAGE_DEFAULT, &v->limit, err))
		return err->code;
	ok = 0;
	for (int k = 0; page_sizes[k] && !ok; k++)
		ok = page_sizes[k] == v->limit;
	if (!ok)
		return vg_error_set(err, VG_EINVAL, "limit %lld: expected 25, 50, 100 or 500",
				    (long long)v->limit);
	if (vg_parse_int64_opt(q(req, "offset"), "offset", 0, INT64_MAX / 2, 0, &v->offset, err))
		return err->code;
	v->f.sort = v->sort;
	v->f.sort_desc = v->desc;
	v->f.sort_due = strcmp(v->sort, "due") == 0;
	v->f.limit = v->limit;
	v->f.offset = v->offset;
	return VG_OK;
}

/* The query string of the view with sort, dir, limit and offset replaced
 * (defaults left out); URL-safe, to be escaped in an attribute. */
static void view_query(struct vg_buf *b, const struct view *v, const char *sort, int desc,
		       int64_t limit, int64_t offset)
{
	const struct {
		const char *key, *val;
	} kv[] = {{"product", v->f.product},
		  {"version", v->f.version},
		  {"severity", v->f.severity},
		  {"state", v->f.state},
		  {"assignee", v->f.assignee},
		  {"kev", v->f.kev_only ? "1" : NULL},
		  {"overdue", v->f.overdue ? "1" : NULL}};
	const char *sep = "";
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		if (!kv[i].val)
			continue;
		vg_buf_addf(b, "%s%s=", sep, kv[i].key);
		html_url(b, kv[i].val);
		sep = "&";
	}
	if (strcmp(sort, "due") != 0 || desc != findings_sort_desc_default(sort)) {
		vg_buf_addf(b, "%ssort=%s&dir=%s", sep, sort, desc ? "desc" : "asc");
		sep = "&";
	}
	if (limit != PAGE_DEFAULT) {
		vg_buf_addf(b, "%slimit=%lld", sep, (long long)limit);
		sep = "&";
	}
	if (offset > 0)
		vg_buf_addf(b, "%soffset=%lld", sep, (long long)offset);
}

/* An href to the list as v shows it but with another sort or page. */
static void list_href(struct vg_buf *b, const struct view *v, const char *sort, int desc,
		      int64_t limit, int64_t offset)
{
	struct vg_buf qs = VG_BUF_INIT;
	view_query(&qs, v, sort, desc, limit, offset);
	vg_buf_adds(b, "/ui/findings");
	if (qs.data && qs.data[0])
		html(b, "?%s", qs.data);
	vg_buf_release(&qs);
}

/* A sortable column's header: a link that sorts by it (or turns the order
 * round when it is the sort), aria-sort on the sorted one. */
static void th_sort(struct vg_buf *b, const struct view *v, const char *key, const char *label,
		    const char *cls)
{
	int cur = strcmp(v->sort, key) == 0;
	int desc = cur ? !v->desc : findings_sort_desc_default(key);
	vg_buf_adds(b, "<th scope=\"col\"");
	if (cls)
		html(b, " class=\"%s\"", cls);
	if (cur)
		vg_buf_addf(b, " aria-sort=\"%s\"", v->desc ? "descending" : "ascending");
	html(b, " data-sort=\"%s\"><a href=\"", key);
	list_href(b, v, key, desc, v->limit, 0);
	html(b, "\">%s", label);
	if (cur)
		vg_buf_addf(b, " <span aria-hidden=\"true\">%s</span>", v->desc ? "▼" : "▲");
	vg_buf_adds(b, "</a></th>");
}

/* A refused change of one row, shown at the row with what was typed. */
struct row_err {
	int64_t id;
	const char *msg, *state, *just, *comment;
};

/* The bulk form as it was posted (to show it again with its error). */
struct bulk_form {
	const char *msg, *target, *state, *just, *assignee, *comment;
	const int64_t *ids;
	size_t n_ids;
};

static int selected(const struct bulk_form *bf, int64_t id)
{
	for (size_t i = 0; bf && i < bf->n_ids; i++)
		if (bf->ids[i] == id)
			return 1;
	return 0;
}

/* The CVSS vector with a break opportunity after each '/'. */
static void vector_cell(struct vg_buf *b, const char *vec)
{
	const char *p = vec;
	if (!vec) {
		vg_buf_adds(b, "<span class=\"none\">-</span>");
		return;
	}
	vg_buf_adds(b, "<code class=\"vector\">");
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
		char part[128];
		snprintf(part, sizeof(part), "%.*s", (int)(n < sizeof(part) ? n : sizeof(part) - 1),
			 p);
		html(b, "%s", part);
		if (e)
			vg_buf_adds(b, "<wbr>");
		p += n;
	}
	vg_buf_adds(b, "</code>");
}

static void sev_badge(struct vg_buf *b, const char *sev)
{
	html(b, "<span class=\"sev sev-%s\">%s</span>", sev ? sev : "unknown",
	     sev ? html_label(sev_words, sev) : "Unknown");
}

static void row_form(struct http_req *req, struct http_resp *resp, const struct view *v,
		     const struct finding *r, const struct row_err *re)
{
	struct vg_buf *b = &resp->body;
	struct vg_buf qs = VG_BUF_INIT;
	long long id = (long long)r->id;
	int err = re && re->id == r->id;
	char elid[48], lab[96];
	view_query(&qs, v, v->sort, v->desc, v->limit, v->offset);
	vg_buf_addf(b,
		    "<details class=\"rowtriage\"%s><summary>Triage<span class=\"vh\"> finding "
		    "%lld</span></summary>",
		    err ? " open" : "", id);
	vg_buf_addf(b, "<form method=\"post\" action=\"/ui/findings/%lld/triage?", id);
	html(b, "%s", qs.data ? qs.data : "");
	vg_buf_addf(b, "#f%lld\" class=\"triage\">", id);
	vg_buf_release(&qs);
	ui_csrf_field(req, resp);
	snprintf(elid, sizeof(elid), "state-%lld", id);
	snprintf(lab, sizeof(lab), "New state of finding %lld", id);
	vg_buf_addf(b, "<label for=\"%s\">New state</label>", elid);
	state_select(b, r->state, elid, NULL, "keep the state", err ? re->state : NULL);
	snprintf(elid, sizeof(elid), "just-%lld", id);
	vg_buf_addf(b, "<label for=\"%s\">Justification</label>", elid);
	justification_select(b, elid, NULL, err ? re->just : NULL);
	vg_buf_addf(b,
		    "<label for=\"comment-%lld\">Comment</label><input id=\"comment-%lld\" "
		    "name=\"comment\" maxlength=\"4000\" value=\"",
		    id, id);
	html(b, "%s", err && re->comment ? re->comment : "");
	vg_buf_addf(b, "\"%s>", err ? " autofocus" : "");
	if (err) {
		vg_buf_addf(b, "<p class=\"error\" role=\"alert\" id=\"row-error\">");
		html(b, "%s", re->msg);
		vg_buf_adds(b, "</p>");
	}
	vg_buf_adds(b, "<button>Save</button></form></details>");
}

static void bulk_bar(struct http_req *req, struct http_resp *resp, const struct view *v,
		     long long total, int exact, const struct bulk_form *bf)
{
	struct vg_buf *b = &resp->body;
	struct vg_buf qs = VG_BUF_INIT;
	int all = bf && bf->target && strcmp(bf->target, "filter") == 0;
	view_query(&qs, v, v->sort, v->desc, v->limit, v->offset);
	vg_buf_adds(b, "<form method=\"post\" action=\"/ui/findings/bulk");
	if (qs.data && qs.data[0])
		html(b, "?%s", qs.data);
	vg_buf_adds(b, "#bulk\" id=\"bulk\" class=\"bulkbar\">");
	vg_buf_release(&qs);
	ui_csrf_field(req, resp);
	vg_buf_adds(b, "<fieldset><legend>One decision for many findings</legend>"
		       "<span class=\"target\"><label><input type=\"radio\" name=\"target\" "
		       "value=\"selected\"");
	vg_buf_addf(b,
		    "%s> the selected rows <span id=\"n-selected\"></span></label> "
		    "<label><input type=\"radio\" name=\"target\" value=\"filter\"%s> all "
		    "<strong id=\"n-matching\">%lld%s</strong> matching the filter</label></span>",
		    all ? "" : " checked", all ? " checked" : "", total, exact ? "" : "+");
	vg_buf_adds(b, "<label>State ");
	state_select(b, NULL, "bulk-state", NULL, "keep", bf ? bf->state : NULL);
	vg_buf_adds(b, "</label><label>Justification ");
	justification_select(b, "bulk-just", NULL, bf ? bf->just : NULL);
	vg_buf_adds(b, "</label><label>Assignee <select name=\"assignee\" id=\"bulk-assignee\">");
	option(b, "", "keep", bf ? bf->assignee : NULL);
	option(b, NOBODY, "nobody", bf ? bf->assignee : NULL);
	assignee_options(req, b, bf && bf->assignee && *bf->assignee ? bf->assignee : NULL);
	vg_buf_adds(b,
		    "</select></label><label>Comment <input name=\"comment\" id=\"bulk-comment\" "
		    "maxlength=\"4000\" value=\"");
	html(b, "%s", bf && bf->comment ? bf->comment : "");
	vg_buf_addf(b, "\"%s></label><button id=\"bulk-review\">Review the change</button>",
		    bf && bf->msg ? " autofocus" : "");
	if (bf && bf->msg) {
		vg_buf_adds(b, "<p class=\"error\" role=\"alert\" id=\"bulk-error\">");
		html(b, "%s", bf->msg);
		vg_buf_adds(b, "</p>");
	}
	vg_buf_adds(b, "</fieldset></form>");
}

static void filter_bar(struct http_req *req, struct vg_buf *b, const struct view *v)
{
	const struct findings_filter *f = &v->f;
	vg_buf_adds(b, "<form method=\"get\" action=\"/ui/findings\" id=\"filter\" "
		       "class=\"filterbar\" role=\"search\" aria-label=\"filter the findings\">");
	vg_buf_adds(b, "<label>Product <input name=\"product\" size=\"12\" value=\"");
	html(b, "%s", f->product);
	vg_buf_adds(b, "\"></label><label>Version <input name=\"version\" size=\"7\" value=\"");
	html(b, "%s", f->version);
	vg_buf_adds(b, "\"></label><label>Severity <select name=\"severity\"><option "
		       "value=\"\">any</option>");
	for (int k = 0; sevs[k]; k++)
		option(b, sevs[k], html_label(sev_words, sevs[k]), f->severity);
	vg_buf_adds(b, "</select></label><label>State <select name=\"state\"><option "
		       "value=\"\">any</option>");
	option(b, "open", "Open", f->state);
	for (int k = 0; all_states[k]; k++)
		option(b, all_states[k], html_label(state_words, all_states[k]), f->state);
	vg_buf_adds(b, "</select></label><label>Assignee <select name=\"assignee\"><option "
		       "value=\"\">anyone</option>");
	assignee_options(req, b, f->assignee);
	vg_buf_addf(b,
		    "</select></label><label class=\"check\"><input type=\"checkbox\" name=\"kev\" "
		    "value=\"1\"%s> Actively exploited</label><label class=\"check\"><input "
		    "type=\"checkbox\" name=\"overdue\" value=\"1\"%s> Overdue</label>",
		    f->kev_only ? " checked" : "", f->overdue ? " checked" : "");
	/* the sort and page size stay when the filter changes */
	if (strcmp(v->sort, "due") != 0 || v->desc != findings_sort_desc_default(v->sort))
		html(b,
		     "<input type=\"hidden\" name=\"sort\" value=\"%s\"><input type=\"hidden\" "
		     "name=\"dir\" value=\"%s\">",
		     v->sort, v->desc ? "desc" : "asc");
	if (v->limit != PAGE_DEFAULT)
		vg_buf_addf(b, "<input type=\"hidden\" name=\"limit\" value=\"%lld\">",
			    (long long)v->limit);
	vg_buf_adds(b, "<span class=\"actions\"><button id=\"apply\">Filter</button> <a "
		       "id=\"clear\" href=\"/ui/findings");
	if (strcmp(v->sort, "due") != 0 || v->desc != findings_sort_desc_default(v->sort) ||
	    v->limit != PAGE_DEFAULT) {
		struct view none = *v;
		struct vg_buf qs = VG_BUF_INIT;
		memset(&none.f, 0, sizeof(none.f));
		view_query(&qs, &none, v->sort, v->desc, v->limit, 0);
		html(b, "?%s", qs.data ? qs.data : "");
		vg_buf_release(&qs);
	}
	vg_buf_adds(b, "\">Clear filters</a></span></form>");
}

/* Page size links and the pager. */
static void pager(struct vg_buf *b, const struct view *v, long long total, int exact, int end)
{
	long long last = v->offset + v->limit;
	const char *sfx = end ? "-end" : "";
	vg_buf_addf(b, "<div class=\"listbar\"><p id=\"total%s\">", sfx);
	if (total == 0)
		vg_buf_adds(b, "No finding matches.");
	else
		vg_buf_addf(b, "Findings %lld&ndash;%lld of %lld%s", (long long)v->offset + 1,
			    last < total ? last : total, total, exact ? "" : "+");
	vg_buf_addf(b, "</p><nav aria-label=\"page size%s\" id=\"page-size%s\">Per page:",
		    end ? " (end)" : "", sfx);
	for (int k = 0; page_sizes[k]; k++) {
		vg_buf_adds(b, " <a href=\"");
		list_href(b, v, v->sort, v->desc, page_sizes[k], 0);
		vg_buf_addf(b, "\"%s>%lld</a>",
			    page_sizes[k] == v->limit ? " aria-current=\"true\"" : "",
			    (long long)page_sizes[k]);
	}
	vg_buf_addf(b, "</nav><nav aria-label=\"pages%s\" id=\"pages%s\">", end ? " (end)" : "",
		    sfx);
	if (v->offset > 0) {
		vg_buf_adds(b, "<a rel=\"prev\" href=\"");
		list_href(b, v, v->sort, v->desc, v->limit,
			  v->offset > v->limit ? v->offset - v->limit : 0);
		vg_buf_adds(b, "\">&lsaquo; Previous</a> ");
	}
	if (total > 0)
		vg_buf_addf(
		    b, "<span>page %lld of %lld%s</span>", (long long)(v->offset / v->limit) + 1,
		    (total + (long long)v->limit - 1) / (long long)v->limit, exact ? "" : "+");
	if (last < total) {
		vg_buf_adds(b, " <a rel=\"next\" href=\"");
		list_href(b, v, v->sort, v->desc, v->limit, last);
		vg_buf_adds(b, "\">Next &rsaquo;</a>");
	}
	vg_buf_adds(b, "</nav></div>");
}

static int queue_render(struct http_req *req, struct http_resp *resp, const struct view *v,
			const struct row_err *re, const struct bulk_form *bf, int status)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct findings_filter fl = v->f;
	struct finding_list l;
	struct finding_counts counts;
	long long total;
	int exact, write = can_write(req);
	int64_t changed = 0;

	/* counts of broad filters stop at 10,000 ("10000+"): exact counts of a
	 * million findings cost a second a page */
	fl.count_cap = findings_count_cap();
	/* a capped total still tells whether there is a next page */
	if (fl.count_cap < v->limit)
		fl.count_cap = v->limit;
	{
		struct findings_filter fc = v->f;
		fc.count_cap = findings_count_cap();
		if (findings_list(req->db, &fl, &l, &err) ||
		    counts_cached(req->db, &fc, &counts, &err)) {
			finding_list_release(&l);
			return error_page(req, resp, &err, NULL);
		}
	}
	total = (long long)l.total;
	exact = l.total_exact;
	ui_page_begin(req, resp, "Findings", "findings");
	if (status)
		resp->status = status;
	ui_flash(req, b, "findings");
	if (q(req, "done") && strcmp(q(req, "done"), "bulk") == 0 &&
	    vg_parse_int64_opt(q(req, "changed"), "changed", 0, INT64_MAX, 0, &changed, NULL) ==
		VG_OK)
		vg_buf_addf(b,
			    "<p class=\"ok banner\" role=\"status\" id=\"flash\">The decision was "
			    "applied to %lld finding(s), each with its own audit record.</p>",
			    (long long)changed);

	vg_buf_adds(b, "<nav aria-label=\"findings per state\" id=\"counts\"><ul>");
	for (int k = 0; k < FINDING_N_STATES; k++) {
		const char *st = finding_states[k];
		long long n = (long long)counts.n[k];
		int cur = v->f.state && strcmp(v->f.state, st) == 0;
		vg_buf_addf(b, "<li><a href=\"/ui/findings?state=%s\" data-state=\"%s\"%s>", st, st,
			    cur ? " aria-current=\"true\"" : "");
		html(b, "%s", html_label(state_words, st));
		vg_buf_addf(b, " <strong>%lld%s</strong></a></li>",
			    n > findings_count_cap() ? (long long)findings_count_cap() : n,
			    n > findings_count_cap() ? "+" : "");
	}
	vg_buf_adds(b, "</ul></nav>");

	if (re) {
		/* the row is not on this page any more: the error at the top */
		int here = 0;
		for (size_t i = 0; i < l.n && !here; i++)
			here = l.v[i].id == re->id;
		if (!here) {
			vg_buf_addf(b,
				    "<p class=\"error\" role=\"alert\" id=\"row-error\">Finding <a "
				    "href=\"/ui/findings/%lld\">%lld</a>: ",
				    (long long)re->id, (long long)re->id);
			html(b, "%s", re->msg);
			vg_buf_adds(b, "</p>");
		}
	}
	filter_bar(req, b, v);
	if (write)
		bulk_bar(req, resp, v, total, exact, bf);
	pager(b, v, total, exact, 0);

	vg_buf_adds(b, "<table id=\"findings\" class=\"queue\"><caption class=\"vh\">Findings, ");
	html(b, "sorted by %s %s", v->sort, v->desc ? "descending" : "ascending");
	vg_buf_adds(b, "</caption><thead><tr>");
	if (write)
		vg_buf_adds(b, "<th scope=\"col\" class=\"sel\"><input type=\"checkbox\" "
			       "id=\"select-page\" aria-label=\"select every finding on this "
			       "page\" hidden></th>");
	th_sort(b, v, "id", "ID", NULL);
	th_sort(b, v, "vuln", "Vulnerability", NULL);
	th_sort(b, v, "severity", "Severity", NULL);
	th_sort(b, v, "score", "CVSS", "num");
	vg_buf_adds(b, "<th scope=\"col\" class=\"vec\">Vector</th>");
	th_sort(b, v, "product", "Product", NULL);
	th_sort(b, v, "version", "Version", NULL);
	th_sort(b, v, "component", "Component", "col2");
	th_sort(b, v, "state", "State", NULL);
	th_sort(b, v, "assignee", "Assignee", NULL);
	th_sort(b, v, "due", "Due", NULL);
	if (write)
		vg_buf_adds(b, "<th scope=\"col\"><span class=\"vh\">Triage</span></th>");
	vg_buf_adds(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < l.n; i++) {
		const struct finding *r = &l.v[i];
		long long id = (long long)r->id;
		int retracted = r->retracted_at != 0;
		vg_buf_addf(b, "<tr id=\"f%lld\" data-id=\"%lld\" data-state=\"", id, id);
		html(b, "%s\"", r->state);
		vg_buf_adds(b, re && re->id == r->id ? " class=\"has-error\">" : ">");
		if (write)
			vg_buf_addf(b,
				    "<td class=\"sel\"><input type=\"checkbox\" name=\"id\" "
				    "value=\"%lld\" form=\"bulk\" aria-label=\"select finding "
				    "%lld\"%s></td>",
				    id, id, selected(bf, r->id) ? " checked" : "");
		vg_buf_addf(b,
			    "<td data-label=\"ID\"><a href=\"/ui/findings/%lld\">%lld</a></td>"
			    "<td data-label=\"Vulnerability\"><a href=\"/ui/vulnerabilities/",
			    id, id);
		html_url(b, r->vuln_id);
		html(b, "\">%s</a>", r->vuln_id);
		if (r->kev)
			vg_buf_adds(b, " <strong class=\"kev\">exploited</strong>");
		vg_buf_adds(b, "</td><td data-label=\"Severity\">");
		sev_badge(b, r->severity);
		html(b, "</td><td data-label=\"CVSS\" class=\"num\">%s</td>",
		     r->score ? r->score : "-");
		vg_buf_adds(b, "<td data-label=\"Vector\" class=\"vec\">");
		vector_cell(b, r->vector);
		html(b, "</td><td data-label=\"Product\">%s</td><td data-label=\"Version\">%s</td>",
		     r->product, r->version);
		html(b,
		     "<td data-label=\"Component\" class=\"col2\"><code class=\"purl\">%s</code>"
		     "</td><td data-label=\"State\" class=\"state\">",
		     r->purl);
		html(b, "%s", html_label(state_words, retracted ? "retracted" : r->state));
		if (r->justification) {
			vg_buf_adds(b, "<br><small class=\"just\">");
			html_label_code(b, just_words, r->justification);
			vg_buf_adds(b, "</small>");
		}
		html(b, "</td><td data-label=\"Assignee\">%s</td><td data-label=\"Due\">",
		     r->assignee ? r->assignee : "");
		if (r->due_at) {
			char due[VG_TIME_BUFSZ];
			vg_time_format(r->due_at, due, sizeof(due));
			/* the date is what a queue compares; the time is in the tooltip */
			html(b, "<time datetime=\"%s\" title=\"%s\">%.10s</time>", due, due, due);
		} else
			vg_buf_adds(b, "<span class=\"none\">none</span>");
		if (r->overdue)
			vg_buf_adds(b, " <strong class=\"overdue\">overdue</strong>");
		vg_buf_adds(b, "</td>");
		if (write) {
			vg_buf_adds(b, "<td class=\"act\">");
			if (!retracted)
				row_form(req, resp, v, r, re);
			vg_buf_adds(b, "</td>");
		}
		vg_buf_adds(b, "</tr>");
	}
	if (l.n == 0)
		vg_buf_addf(b,
			    "<tr><td colspan=\"%d\">No finding matches the filter. <a "
			    "href=\"/ui/findings\">Clear filters</a></td></tr>",
			    write ? 13 : 11);
	vg_buf_adds(b, "</tbody></table>");
	if (l.n > 10)
		pager(b, v, total, exact, 1);
	if (write)
		vg_buf_adds(b, "<script src=\"/static/queue.js\" defer></script>");

	if (charts(req->db, b, &err)) {
		vg_buf_adds(b, "<p class=\"error\" role=\"alert\">charts: ");
		html(b, "%s", vg_error_msg(&err));
		vg_buf_adds(b, "</p>");
	}
	finding_list_release(&l);
	return ui_page_end(resp);
}

static int queue_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct view v;
	if (view_read(req, &v, &err))
		return error_page(req, resp, &err, NULL);
	return queue_render(req, resp, &v, NULL, NULL, 0);
}

/* ---- posts ---- */

static int finding_param(struct http_req *req, int64_t *id)
{
	return vg_id_parse(http_param(req, "id"), "finding id", id, NULL) ? -1 : 0;
}

static const char *form(struct http_req *req, const char *name, char *buf, size_t n)
{
	if (http_form(req, name, buf, n) != VG_OK || !buf[0])
		return NULL;
	return buf;
}

/* A refused change in plain words (the domain's message names codes). */
static void refusal(struct http_req *req, const struct triage_change *c, const struct vg_error *err,
		    int64_t id, char *out, size_t n)
{
	vg_info("triage: change refused: %s", vg_error_msg(err));
	if (err->code == VG_ESTATE && c->state) {
		struct finding_detail d;
		struct vg_error e2 = {0};
		if (triage_finding_get(req->db, id, &d, &e2) == VG_OK) {
			size_t k = (size_t)snprintf(out, n,
						    "A finding that is %s cannot become %s. It can "
						    "become: ",
						    html_label(state_words, d.f.state),
						    html_label(state_words, c->state));
			for (int i = 0; d.allowed_states[i] && k < n; i++)
				k += (size_t)snprintf(out + k, n - k, "%s%s", i ? ", " : "",
						      html_label(state_words, d.allowed_states[i]));
			if (k < n)
				snprintf(out + k, n - k, ".");
			finding_detail_release(&d);
			return;
		}
		finding_detail_release(&d);
	}
	if (c->state && strcmp(c->state, "not_affected") == 0 && !c->justification &&
	    err->code == VG_EINVAL) {
		snprintf(out, n,
			 "Not affected needs a justification: choose why the product is not "
			 "affected (the reason goes into the VEX document).");
		return;
	}
	if (c->justification && (!c->state || strcmp(c->state, "not_affected") != 0)) {
		snprintf(out, n,
			 "A justification goes with the state Not affected only: choose Not "
			 "affected, or leave the justification empty.");
		return;
	}
	if (err->code == VG_ETOOBIG && c->comment) {
		snprintf(out, n, "The comment is too long: at most 4000 characters.");
		return;
	}
	snprintf(out, n, "%s", vg_error_msg(err));
}

static void redirect_list(struct http_resp *resp, const struct view *v, const char *extra,
			  const char *frag)
{
	struct vg_buf loc = VG_BUF_INIT, qs = VG_BUF_INIT;
	view_query(&qs, v, v->sort, v->desc, v->limit, v->offset);
	vg_buf_adds(&loc, "/ui/findings");
	if ((qs.data && qs.data[0]) || extra)
		vg_buf_addf(&loc, "?%s%s%s", qs.data ? qs.data : "",
			    qs.data && qs.data[0] && extra ? "&" : "", extra ? extra : "");
	if (frag)
		vg_buf_addf(&loc, "#%s", frag);
	http_redirect(resp, loc.data);
	vg_buf_release(&loc);
	vg_buf_release(&qs);
}

struct form_err;
static int finding_render(struct http_req *req, struct http_resp *resp, int64_t id,
			  const struct form_err *fe, int status);

/* What a finding's forms were posted with, to show them again. */
struct form_err {
	const char *which; /* "triage" or "assign" */
	const char *msg, *state, *just, *comment, *scope, *assignee;
};

static int post_triage(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct triage_change c = {0};
	char state[32], just[64], comment[4100], scope[16], to[16], why[600];
	int64_t id;
	struct view v;
	int on_page;
	if (finding_param(req, &id)) {
		vg_error_set(&err, VG_EINVAL, "finding id: expected a positive integer");
		return error_page(req, resp, &err, NULL);
	}
	on_page = http_form(req, "to", to, sizeof(to)) == VG_OK && strcmp(to, "finding") == 0;
	if (view_read(req, &v, &err)) {
		/* a list address that no longer reads: back to the default list */
		memset(&err, 0, sizeof(err));
		memset(&v, 0, sizeof(v));
		v.sort = "due";
		v.limit = v.f.limit = PAGE_DEFAULT;
		v.f.sort = "due";
		v.f.sort_due = 1;
	}
	c.state = form(req, "state", state, sizeof(state));
	c.comment = form(req, "comment", comment, sizeof(comment));
	c.scope = form(req, "scope", scope, sizeof(scope));
	c.justification = form(req, "justification", just, sizeof(just));
	if (!c.state)
		c.scope = NULL;
	if (!c.state && !c.justification && !c.comment) {
		snprintf(why, sizeof(why),
			 "Nothing to save: choose a new state or write a comment.");
		err.code = VG_EINVAL;
	} else if (triage_apply(req->db, id, &c, &err) == VG_OK) {
		char frag[32];
		if (on_page) {
			char loc[64];
			snprintf(loc, sizeof(loc), "/ui/findings/%lld?done=triage", (long long)id);
			return http_redirect(resp, loc);
		}
		snprintf(frag, sizeof(frag), "f%lld", (long long)id);
		redirect_list(resp, &v, NULL, frag);
		return VG_OK;
	} else {
		refusal(req, &c, &err, id, why, sizeof(why));
	}
	if (err.code == VG_ENOTFOUND)
		return error_page(req, resp, &err, NULL);
	if (on_page) {
		struct form_err fe = {"triage",  why,     c.state, c.justification,
				      c.comment, c.scope, NULL};
		return finding_render(req, resp, id, &fe, vg_code_http_status(err.code));
	}
	{
		struct row_err re = {id, why, c.state, c.justification, c.comment};
		return queue_render(req, resp, &v, &re, NULL, vg_code_http_status(err.code));
	}
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
	if (triage_apply(req->db, id, &c, &err)) {
		struct form_err fe = {"assign", vg_error_msg(&err), NULL, NULL, NULL, NULL, to};
		if (err.code == VG_ENOTFOUND)
			return error_page(req, resp, &err, NULL);
		return finding_render(req, resp, id, &fe, vg_code_http_status(err.code));
	}
	{
		char loc[64];
		snprintf(loc, sizeof(loc), "/ui/findings/%lld?done=assign", (long long)id);
		return http_redirect(resp, loc);
	}
}

/* The values of every field named name in the form body: ids (digits). */
static int form_ids(struct http_req *req, const char *name, int64_t **out, size_t *n)
{
	const char *p = req->body.data, *end = p ? p + req->body.len : NULL;
	size_t nl = strlen(name), cnt = 0, cap = 0;
	int64_t *v = NULL;
	*out = NULL;
	*n = 0;
	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *e = amp ? amp : end;
		if ((size_t)(e - p) > nl + 1 && memcmp(p, name, nl) == 0 && p[nl] == '=') {
			char num[24];
			int64_t id;
			size_t len = (size_t)(e - p) - nl - 1;
			if (len >= sizeof(num)) {
				free(v);
				return -1;
			}
			memcpy(num, p + nl + 1, len);
			num[len] = '\0';
			if (vg_id_parse(num, "finding id", &id, NULL)) {
				free(v);
				return -1;
			}
			if (cnt == cap) {
				size_t nc = cap ? cap * 2 : 64;
				int64_t *nv = realloc(v, nc * sizeof(*nv));
				if (!nv) {
					free(v);
					return -1;
				}
				v = nv;
				cap = nc;
			}
			v[cnt++] = id;
		}
		p = e + 1;
	}
	*out = v;
	*n = cnt;
	return 0;
}

/* The confirmation of a bulk change: how many findings will change and
 * how, with the same fields posted again and confirm=N. */
static int bulk_confirm(struct http_req *req, struct http_resp *resp, const struct view *v,
			const struct bulk_form *bf, const struct triage_change *c, int64_t n,
			int moved)
{
	struct vg_buf *b = &resp->body;
	struct vg_buf qs = VG_BUF_INIT;
	int all = strcmp(bf->target, "filter") == 0;
	ui_page_begin(req, resp, "Confirm the decision", "findings");
	if (moved)
		vg_buf_adds(b, "<p class=\"error\" role=\"alert\" id=\"bulk-moved\">The findings "
			       "matching the filter changed since the review: look at the "
			       "number again.</p>");
	vg_buf_addf(b,
		    "<section class=\"card confirm\" id=\"confirm\"><p id=\"confirm-count\" "
		    "class=\"big\">%lld finding(s) will change</p><dl class=\"facts\">",
		    (long long)n);
	vg_buf_adds(b, "<dt>Findings</dt><dd>");
	if (all) {
		vg_buf_adds(b, "every finding matching the filter");
		if (v->f.product || v->f.version || v->f.severity || v->f.state || v->f.assignee ||
		    v->f.kev_only || v->f.overdue) {
			html(b, " (%s%s%s%s%s%s%s%s%s%s%s)", v->f.product ? "product " : "",
			     v->f.product ? v->f.product : "", v->f.version ? " version " : "",
			     v->f.version ? v->f.version : "", v->f.severity ? " severity " : "",
			     v->f.severity ? v->f.severity : "", v->f.state ? " state " : "",
			     v->f.state ? html_label(state_words, v->f.state) : "",
			     v->f.assignee ? " assignee " : "", v->f.assignee ? v->f.assignee : "",
			     v->f.kev_only ? " actively exploited" : "");
			if (v->f.overdue)
				vg_buf_adds(b, " overdue");
		}
	} else {
		vg_buf_adds(b, "the selected rows: ");
		for (size_t i = 0; i < bf->n_ids && i < 30; i++)
			vg_buf_addf(b, "%s<a href=\"/ui/findings/%lld\">%lld</a>", i ? ", " : "",
				    (long long)bf->ids[i], (long long)bf->ids[i]);
		if (bf->n_ids > 30)
			vg_buf_addf(b, " and %zu more", bf->n_ids - 30);
	}
	vg_buf_adds(b, "</dd>");
	if (c->state) {
		html(b, "<dt>New state</dt><dd>%s</dd>", html_label(state_words, c->state));
	}
	if (c->justification) {
		vg_buf_adds(b, "<dt>Justification</dt><dd>");
		html_label_code(b, just_words, c->justification);
		vg_buf_adds(b, "</dd>");
	}
	if (c->assignee)
		html(b, "<dt>Assignee</dt><dd>%s</dd>", *c->assignee ? c->assignee : "nobody");
	if (c->comment)
		html(b, "<dt>Comment</dt><dd>%s</dd>", c->comment);
	vg_buf_adds(b, "</dl><p class=\"hint\">One transaction: every finding changes or none "
		       "does; each gets its own audit record.</p>");
	view_query(&qs, v, v->sort, v->desc, v->limit, v->offset);
	vg_buf_adds(b, "<form method=\"post\" action=\"/ui/findings/bulk");
	if (qs.data && qs.data[0])
		html(b, "?%s", qs.data);
	vg_buf_adds(b, "#bulk\" id=\"confirm-form\">");
	ui_csrf_field(req, resp);
	html(b, "<input type=\"hidden\" name=\"target\" value=\"%s\">", bf->target);
	if (bf->state)
		html(b, "<input type=\"hidden\" name=\"state\" value=\"%s\">", bf->state);
	if (bf->just)
		html(b, "<input type=\"hidden\" name=\"justification\" value=\"%s\">", bf->just);
	if (bf->assignee)
		html(b, "<input type=\"hidden\" name=\"assignee\" value=\"%s\">", bf->assignee);
	if (bf->comment)
		html(b, "<input type=\"hidden\" name=\"comment\" value=\"%s\">", bf->comment);
	for (size_t i = 0; !all && i < bf->n_ids; i++)
		vg_buf_addf(b, "<input type=\"hidden\" name=\"id\" value=\"%lld\">",
			    (long long)bf->ids[i]);
	vg_buf_addf(b,
		    "<input type=\"hidden\" name=\"confirm\" value=\"%lld\"><button "
		    "id=\"confirm-apply\">Change %lld finding(s)</button> <a href=\"",
		    (long long)n, (long long)n);
	list_href(b, v, v->sort, v->desc, v->limit, v->offset);
	vg_buf_adds(b, "\" id=\"confirm-cancel\">Cancel</a></form></section>");
	vg_buf_release(&qs);
	return ui_page_end(resp);
}

/* Why a bulk change would be refused for some of ids (a state they cannot
 * take), in words into why; why untouched when none would. */
static void blocked_why(struct http_req *req, const int64_t *ids, size_t n,
			const struct triage_change *c, char *why, size_t wsz)
{
	struct vg_error err = {0};
	int64_t blocked = 0, first = 0;
	char from[32];
	if (triage_bulk_blocked(req->db, ids, n, c, &blocked, &first, from, sizeof(from), &err) ||
	    !blocked)
		return;
	snprintf(why, wsz,
		 "%lld of these %zu finding(s) cannot become %s from their state (finding %lld "
		 "is %s); nothing would change. Untick them, narrow the filter or choose "
		 "another state.",
		 (long long)blocked, n, html_label(state_words, c->state), (long long)first,
		 html_label(state_words, from));
}

static int post_bulk(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct triage_change c = {0};
	struct bulk_form bf = {0};
	struct view v;
	char target[16], state[32], just[64], assignee[130], comment[4100], confirm[24], why[600];
	int64_t *ids = NULL, n = 0, expect = 0;
	size_t n_ids = 0;
	int rc, all;
	if (view_read(req, &v, &err))
		return error_page(req, resp, &err, NULL);
	bf.target = form(req, "target", target, sizeof(target));
	if (!bf.target)
		bf.target = "selected";
	all = strcmp(bf.target, "filter") == 0;
	bf.state = form(req, "state", state, sizeof(state));
	bf.just = form(req, "justification", just, sizeof(just));
	bf.assignee = form(req, "assignee", assignee, sizeof(assignee));
	bf.comment = form(req, "comment", comment, sizeof(comment));
	if (form_ids(req, "id", &ids, &n_ids)) {
		vg_error_set(&err, VG_EINVAL, "id: expected finding ids (positive integers)");
		return error_page(req, resp, &err, NULL);
	}
	bf.ids = ids;
	bf.n_ids = n_ids;
	c.state = bf.state;
	c.justification = bf.just;
	c.comment = bf.comment;
	c.assignee = bf.assignee ? (strcmp(bf.assignee, NOBODY) == 0 ? "" : bf.assignee) : NULL;
	why[0] = '\0';
	if (!all && strcmp(bf.target, "selected") != 0)
		snprintf(why, sizeof(why),
			 "Choose the selected rows or all findings matching "
			 "the filter.");
	else if (!c.state && !c.assignee && !c.comment)
		snprintf(why, sizeof(why),
			 "Nothing to change: choose a state, an assignee or write a comment.");
	else if (!all && n_ids == 0)
		snprintf(why, sizeof(why),
			 "No finding selected: tick the rows to change, or choose all findings "
			 "matching the filter.");
	else if (triage_change_check(req->db, &c, &err))
		refusal(req, &c, &err, 0, why, sizeof(why));
	if (!why[0] && all) {
		int64_t *m = NULL;
		size_t nm = 0;
		if ((rc = findings_ids(req->db, &v.f, &m, &nm, &err)) == VG_OK)
			n = (int64_t)nm;
		if (!rc && n > 0 && n <= triage_bulk_max())
			blocked_why(req, m, nm, &c, why, sizeof(why));
		free(m);
		if (rc)
			refusal(req, &c, &err, 0, why, sizeof(why));
		else if (n == 0)
			snprintf(why, sizeof(why),
				 "No finding matches the filter: nothing would change.");
		else if (n > triage_bulk_max())
			snprintf(why, sizeof(why),
				 "%lld findings match: one decision takes at most %lld. Narrow the "
				 "filter.",
				 (long long)n, (long long)triage_bulk_max());
	} else if (!why[0]) {
		n = (int64_t)n_ids;
		blocked_why(req, ids, n_ids, &c, why, sizeof(why));
	}
	if (why[0]) {
		bf.msg = why;
		rc = queue_render(req, resp, &v, NULL, &bf, 422);
		free(ids);
		return rc;
	}
	if (!form(req, "confirm", confirm, sizeof(confirm)) ||
	    vg_parse_int64_opt(confirm, "confirm", 0, INT64_MAX, 0, &expect, NULL) || expect != n) {
		rc = bulk_confirm(req, resp, &v, &bf, &c, n,
				  form(req, "confirm", confirm, sizeof(confirm)) != NULL);
		free(ids);
		return rc;
	}
	rc = all ? triage_apply_bulk(req->db, &v.f, &c, &n, &err)
		 : triage_apply_ids(req->db, ids, n_ids, &c, &n, &err);
	if (rc) {
		refusal(req, &c, &err, 0, why, sizeof(why));
		if (err.code == VG_ESTATE || err.code == VG_ENOTFOUND)
			snprintf(why, sizeof(why), "Nothing changed: %s", vg_error_msg(&err));
		bf.msg = why;
		rc = queue_render(req, resp, &v, NULL, &bf, vg_code_http_status(err.code));
		free(ids);
		return rc;
	}
	free(ids);
	{
		char extra[64];
		snprintf(extra, sizeof(extra), "done=bulk&changed=%lld", (long long)n);
		redirect_list(resp, &v, extra, NULL);
	}
	return VG_OK;
}

/* ---- one finding ---- */

static void dt(struct vg_buf *b, const char *term, const char *val)
{
	vg_buf_adds(b, "<dt>");
	html(b, "%s", term);
	vg_buf_adds(b, "</dt><dd>");
	html(b, "%s", val ? val : "-");
	vg_buf_adds(b, "</dd>");
}

/* A copy of an audit before/after with the state and justification codes
 * in words (the justification keeps its code, which VEX documents carry). */
static json_t *in_words(const json_t *x)
{
	json_t *c;
	const char *st, *j;
	if (!json_is_object(x))
		return json_incref((json_t *)x);
	c = json_deep_copy(x);
	st = vg_json_str(c, "state");
	j = vg_json_str(c, "justification");
	if (st)
		json_object_set_new(c, "state", json_string(html_label(state_words, st)));
	if (j) {
		char t[200];
		snprintf(t, sizeof(t), "%s (%s)", html_label(just_words, j), j);
		json_object_set_new(c, "justification", json_string(t));
	}
	if (vg_json_str(c, "scope"))
		json_object_set_new(c, "scope",
				    json_string(html_label(scope_words, vg_json_str(c, "scope"))));
	return c;
}

static int finding_render(struct http_req *req, struct http_resp *resp, int64_t id,
			  const struct form_err *fe, int status)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct finding_detail d;
	const struct finding *f = &d.f;
	json_t *x, *ev, *m;
	char ts[VG_TIME_BUFSZ];
	size_t i;
	char title[64];
	int terr = fe && strcmp(fe->which, "triage") == 0,
	    aerr = fe && strcmp(fe->which, "assign") == 0;
	if (triage_finding_get(req->db, id, &d, &err)) {
		finding_detail_release(&d);
		return error_page(req, resp, &err, NULL);
	}
	snprintf(title, sizeof(title), "Finding %lld", (long long)id);
	ui_page_begin(req, resp, title, "findings");
	if (status)
		resp->status = status;
	ui_flash(req, b, "findings");
	if (q(req, "done") && strcmp(q(req, "done"), "triage") == 0)
		vg_buf_adds(b, "<p class=\"ok banner\" role=\"status\" id=\"flash\">The decision "
			       "was saved.</p>");
	else if (q(req, "done") && strcmp(q(req, "done"), "assign") == 0)
		vg_buf_adds(b, "<p class=\"ok banner\" role=\"status\" id=\"flash\">The "
			       "assignment was saved.</p>");
	vg_buf_adds(b, "<dl class=\"card facts\" id=\"finding\">");
	dt(b, "Product", f->product);
	dt(b, "Version", f->version);
	{
		/* the devices in the field running this version (update/fleet.h) */
		struct sbom_fleet fl;
		struct vg_buf t = VG_BUF_INIT;
		struct vg_error ferr = {0};
		if (sbom_version_fleet_by_name(req->db, f->product, f->version, &fl, &ferr) ==
			VG_OK &&
		    sbom_fleet_text(&t, &fl) == VG_OK) {
			vg_buf_adds(b, "<dt>Devices in the field</dt><dd id=\"fleet\">");
			html(b, "%s", t.data ? t.data : "0 devices");
			html(b, " run this version (<a href=\"/ui/fleet/exposure/");
			html_url(b, f->vuln_id);
			vg_buf_adds(b, "\">fleet exposure</a>)</dd>");
		}
		vg_buf_release(&t);
	}
	vg_buf_adds(b, "<dt>Vulnerability</dt><dd><a href=\"/ui/vulnerabilities/");
	html_url(b, f->vuln_id);
	vg_buf_adds(b, "\">");
	html(b, "%s", f->vuln_id);
	vg_buf_adds(b, "</a> ");
	html(b, "%s", d.summary);
	vg_buf_adds(b, "</dd><dt>Severity</dt><dd>");
	sev_badge(b, f->severity);
	if (f->score)
		html(b, " CVSS %s", f->score);
	vg_buf_adds(b, "</dd>");
	dt(b, "Actively exploited", f->kev ? "yes (CISA KEV)" : "no");
	vg_buf_adds(b, "<dt>Component</dt><dd><code class=\"purl\">");
	html(b, "%s", f->purl);
	vg_buf_adds(b, "</code></dd>");
	ev = f->evidence_json ? json_loads(f->evidence_json, 0, NULL) : NULL;
	m = json_array_get(json_object_get(ev, "matches"), 0);
	dt(b, "Matched range", vg_json_str(m, "matched"));
	dt(b, "Fixed in", vg_json_str(m, "fixed"));
	json_decref(ev);
	if (d.n_fix_releases) {
		vg_buf_adds(b, "<dt>Fixed by release</dt><dd id=\"fix-releases\">");
		for (i = 0; i < d.n_fix_releases; i++) {
			const struct finding_fix_release *r = &d.fix_releases[i];
			html(b, "%s<a href=\"/ui/releases/%lld\">%s %s</a> (%s, published %s)",
			     i ? "; " : "", (long long)r->release_id, f->product, r->version,
			     r->fixes, vg_time_format(r->published_at, ts, sizeof(ts)));
		}
		vg_buf_adds(b, "</dd>");
	}
	vg_buf_adds(b, "<dt>State</dt><dd id=\"state\">");
	html(b, "%s", html_label(state_words, f->retracted_at ? "retracted" : f->state));
	if (f->justification) {
		vg_buf_adds(b, ": ");
		html_label_code(b, just_words, f->justification);
	}
	vg_buf_adds(b, "</dd>");
	dt(b, "Assignee", f->assignee ? f->assignee : "nobody");
	dt(b, "First seen",
	   f->first_seen_at ? vg_time_format(f->first_seen_at, ts, sizeof(ts)) : NULL);
	dt(b, "Triage due",
	   f->triage_due_at ? vg_time_format(f->triage_due_at, ts, sizeof(ts)) : NULL);
	dt(b, "Fix due", f->fix_due_at ? vg_time_format(f->fix_due_at, ts, sizeof(ts)) : NULL);
	dt(b, "Overdue", f->overdue ? "yes" : "no");
	vg_buf_adds(b, "</dl>");

	if (can_write(req)) {
		vg_buf_addf(b,
			    "<div class=\"forms\"><form method=\"post\" "
			    "action=\"/ui/findings/%lld/triage#triage\" class=\"card\" "
			    "id=\"triage\"><h2>Decision</h2>",
			    (long long)id);
		ui_csrf_field(req, resp);
		vg_buf_adds(b, "<input type=\"hidden\" name=\"to\" value=\"finding\">");
		if (terr) {
			vg_buf_adds(b, "<p class=\"error\" role=\"alert\" id=\"error\">");
			html(b, "%s", fe->msg);
			vg_buf_adds(b, "</p>");
		}
		vg_buf_adds(b, "<label for=\"state-select\">New state</label>");
		state_select(b, f->state, "state-select", NULL, "keep the state",
			     terr ? fe->state : NULL);
		vg_buf_adds(b, "<label for=\"justification\">Justification (for not "
			       "affected)</label>");
		justification_select(b, "justification", NULL, terr ? fe->just : NULL);
		vg_buf_adds(b, "<label for=\"scope\">Decision holds for</label><select "
			       "name=\"scope\" id=\"scope\">");
		option(b, "version", "this version only", terr ? fe->scope : NULL);
		option(b, "product", "this version and later versions of the product",
		       terr ? fe->scope : NULL);
		vg_buf_adds(b, "</select><label for=\"comment\">Comment</label><input "
			       "name=\"comment\" id=\"comment\" maxlength=\"4000\" value=\"");
		html(b, "%s", terr && fe->comment ? fe->comment : "");
		vg_buf_addf(b, "\"%s><button>Save the decision</button></form>",
			    terr ? " autofocus" : "");
		vg_buf_addf(b,
			    "<form method=\"post\" action=\"/ui/findings/%lld/assign#assign\" "
			    "class=\"card\" id=\"assign\"><h2>Assignment</h2>",
			    (long long)id);
		ui_csrf_field(req, resp);
		if (aerr) {
			vg_buf_adds(b, "<p class=\"error\" role=\"alert\" id=\"error\">");
			html(b, "%s", fe->msg);
			vg_buf_adds(b, "</p>");
		}
		vg_buf_adds(b,
			    "<input type=\"hidden\" name=\"to\" value=\"finding\"><label "
			    "for=\"assignee\">Assignee (admin and PSIRT users)</label><select "
			    "name=\"assignee\" id=\"assignee\"><option value=\"\">nobody</option>");
		assignee_options(req, b, aerr ? fe->assignee : f->assignee);
		vg_buf_adds(b, "</select><button>Assign</button></form>");
		/* a PSIRT case from this finding (psirt's route, issue 17) */
		vg_buf_adds(b, "<form method=\"post\" action=\"/ui/cases/from-findings\" "
			       "class=\"card\" id=\"open-case\"><h2>Case</h2>");
		ui_csrf_field(req, resp);
		vg_buf_addf(b,
			    "<input type=\"hidden\" name=\"finding\" value=\"%lld\"><p>Track "
			    "the response to this finding, and its Article 14 reporting, in a "
			    "PSIRT case.</p><button>Open a case</button></form></div>",
			    (long long)id);
	}

	vg_buf_adds(b, "<h2>Comments</h2><ul id=\"comments\">");
	for (i = 0; i < d.n_comments; i++) {
		const struct finding_comment *cm = &d.comments[i];
		vg_buf_adds(b, "<li>");
		html_time(b, cm->created_at, "");
		vg_buf_adds(b, " <strong>");
		html(b, "%s", cm->actor);
		vg_buf_adds(b, "</strong>: ");
		html(b, "%s", cm->body);
		vg_buf_adds(b, "</li>");
	}
	if (!d.n_comments)
		vg_buf_adds(b, "<li class=\"none\">No comments.</li>");
	vg_buf_adds(b, "</ul><h2>History</h2><table id=\"history\"><thead><tr><th "
		       "scope=\"col\">When</th><th scope=\"col\">Who</th><th "
		       "scope=\"col\">What</th><th scope=\"col\">Change</th></tr></thead><tbody>");
	json_array_foreach(d.history, i, x)
	{
		const char *action = vg_json_str(x, "action");
		json_t *bw, *aw;
		/* sign-ins and other people's business are not the finding's */
		if (action && strncmp(action, "finding", 7) != 0)
			continue;
		html(b, "<tr data-action=\"%s\" data-seq=\"%lld\"><td>", action ? action : "",
		     (long long)json_integer_value(json_object_get(x, "seq")));
		html(b, "%s", vg_json_str(x, "at"));
		vg_buf_adds(b, "</td><td>");
		html(b, "%s", vg_json_str(x, "actor"));
		vg_buf_adds(b, "</td><td>");
		html(b, "%s", html_label(action_words, action));
		vg_buf_adds(b, "</td><td>");
		bw = in_words(json_object_get(x, "before"));
		aw = in_words(json_object_get(x, "after"));
		html_change(b, bw, aw, key_words);
		json_decref(bw);
		json_decref(aw);
		vg_buf_adds(b, "</td></tr>");
	}
	vg_buf_adds(b, "</tbody></table><p><a href=\"/ui/findings\">All findings</a></p>");
	finding_detail_release(&d);
	return ui_page_end(resp);
}

static int finding_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id;
	if (finding_param(req, &id)) {
		vg_error_set(&err, VG_ENOTFOUND, "finding '%s' not found", http_param(req, "id"));
		return error_page(req, resp, &err, NULL);
	}
	return finding_render(req, resp, id, NULL, 0);
}

const struct http_route triage_ui_routes[] = {
    {"GET", "/ui/findings", ROLE_READ, HTTP_UI, queue_page,
     "The triage queue (product, version, severity, state, assignee, kev, overdue, sort, dir, "
     "limit 25/50/100/500, offset)",
     "ui"},
    {"GET", "/ui/findings/{id}", ROLE_READ, HTTP_UI, finding_page,
     "A finding: state, due times, triage and assignment forms, comments, audit history", "ui"},
    {"POST", "/ui/findings/bulk", WRITERS, HTTP_UI, post_bulk,
     "One decision for the selected findings (id) or all matching the list's filter "
     "(target=filter): a confirmation first, then one transaction",
     "ui"},
    {"POST", "/ui/findings/{id}/triage", WRITERS, HTTP_UI, post_triage,
     "Triage a finding from the web (state, justification, comment, scope)", "ui"},
    {"POST", "/ui/findings/{id}/assign", WRITERS, HTTP_UI, post_assign,
     "Assign a finding from the web (assignee)", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* The charts are a cache of each server's pages: every server redraws its
 * own, once a minute (listed in src/app/tables.c). */
const struct vg_job triage_jobs_every_server[] = {
    {"triage.charts", 60, triage_charts_redraw, NULL},
    {NULL, 0, NULL, NULL},
};
