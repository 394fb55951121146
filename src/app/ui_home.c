/*
 * ui_home.c - what spans the rooms on the web: the health route (database,
 * schema, job leader), the home page "what needs you now" and its API
 * (GET /api/v1/home), both from home_load() (home.h).
 *
 * The page, per role: admin and PSIRT users see what waits for them, most
 * urgent first, each item with the button or link that acts on it (running
 * Article 14 clocks with a countdown the server writes and
 * /static/countdown.js keeps ticking, owed acknowledgements, findings past
 * their SLA, new actively exploited findings, on-call, expiries); the
 * auditor sees the numbers only; below, for every reader, the portfolio
 * charts (http/chart.h), drawn at most once a minute. Urgency is said in
 * words as well as colour.
 */
#define _POSIX_C_SOURCE 200809L
#include "app/app.h"
#include "app/home.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/chart.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "jobs/jobs.h"
#include "psirt/art14.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

/* Anonymous callers (load balancers, probes) learn only whether the server
 * works; the version and the details, which tell an attacker what to try,
 * are for callers with credentials. */
static int health(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int ver = 0;
	int ok = store_schema_version(req->db, &ver, &err) == VG_OK;

	if (req->who.role == ROLE_NONE)
		return http_json(resp, ok ? 200 : 503,
				 json_pack("{s:s}", "status", ok ? "ok" : "degraded"));
	return http_json(resp, ok ? 200 : 503,
			 json_pack("{s:s, s:s, s:s, s:i, s:s, s:b}", "status",
				   ok ? "ok" : "degraded", "version", VIGIL_VERSION, "database",
				   ok ? "ok" : "unavailable", "schema_version", ver, "backend",
				   store_kind(req->db) == STORE_PG ? "postgresql" : "sqlite",
				   "leader", jobs_is_leader()));
}

static int api_home(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct home h;
	json_t *o;
	if (home_load(req->db, req->who.role, 1, &h, &err)) {
		home_release(&h);
		return http_fail(resp, &err);
	}
	o = home_to_json(&h);
	home_release(&h);
	if (!o)
		return http_error(resp, VG_ENOMEM, "out of memory");
	return http_json(resp, 200, o);
}

/* ---- pieces ---- */

/* "2d 03h" / "3h 04m" / "12m": a duration for people. */
static const char *span_text(int64_t s, char *out, size_t n)
{
	int64_t a = s < 0 ? -s : s;
	if (a >= 86400)
		snprintf(out, n, "%lldd %02lldh", (long long)(a / 86400),
			 (long long)(a % 86400 / 3600));
	else if (a >= 3600)
		snprintf(out, n, "%lldh %02lldm", (long long)(a / 3600),
			 (long long)(a % 3600 / 60));
	else
		snprintf(out, n, "%lldm", (long long)(a / 60));
	return out;
}

/* "1d 02h 03m 04s" / "2h 03m 04s", as /static/countdown.js writes it. */
static const char *left_text(int64_t s, char *out, size_t n)
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

static const char *urgency_word(enum art14_state st)
{
	switch (st) {
	case ART14_OVERDUE:
		return "overdue \xe2\x80\x94 deadline breached";
	case ART14_DUE:
		return "act now";
	default:
		return "on track";
	}
}

/* The opening of a clock item: the class says the urgency to the eye, the
 * state text to everyone; countdown.js swaps the words with the class. */
static void clock_open(struct vg_buf *b, const char *id, enum art14_state st, const char *label)
{
	html(b,
	     "<li class=\"clock clock-%s\" id=\"%s\" data-label-pending=\"on track\" "
	     "data-label-due=\"act now\" data-label-overdue=\"overdue \xe2\x80\x94 deadline "
	     "breached\"><div class=\"clock-body\"><div class=\"clock-head\"><span "
	     "class=\"clock-label\">%s</span> "
	     "<span class=\"clock-state\">%s</span></div>",
	     art14_state_name(st), id, label, urgency_word(st));
}

/* due time and the countdown from the server's now */
static void clock_when(struct vg_buf *b, int64_t starts, int64_t due, int64_t now)
{
	char t[64];
	html_raw(b, "<div class=\"clock-when\">due ");
	html_time(b, due, NULL);
	html(b,
	     " UTC &middot; <span class=\"countdown\" data-due=\"%lld\" data-now=\"%lld\" "
	     "data-starts=\"%lld\">",
	     (long long)due, (long long)now, (long long)starts);
	if (due >= now)
		html(b, "%s left", left_text(due - now, t, sizeof(t)));
	else
		html(b, "overdue by %s", left_text(now - due, t, sizeof(t)));
	html_raw(b, "</span></div></div>");
}

static void more_link(struct vg_buf *b, int64_t total, size_t shown, const char *href,
		      const char *what)
{
	if (total > (int64_t)shown)
		html(b, "<p class=\"more\"><a href=\"%s\">All %lld %s</a></p>", href,
		     (long long)total, what);
}

/* ---- what needs you now (admin, psirt) ---- */

static void tiles(struct vg_buf *b, const struct home *h, int links)
{
	int64_t overdue_clocks = 0, due_clocks = 0;
	for (size_t i = 0; i < h->clocks.n; i++) {
		enum art14_state st =
		    art14_state_at(h->clocks.v[i].starts_at, h->clocks.v[i].due_at, 0, h->now);
		overdue_clocks += st == ART14_OVERDUE;
		due_clocks += st == ART14_DUE;
	}
	struct {
		const char *id, *href;
		int64_t n;
		const char *one, *many, *urgent;
	} t[] = {
	    {"tile-clocks", links ? "#clocks" : "/ui/cases", h->clocks.total,
	     "Article 14 clock running", "Article 14 clocks running",
	     overdue_clocks ? "deadline breached"
	     : due_clocks   ? "act now"
			    : NULL},
	    {"tile-acks", links ? "#acks" : "/ui/cases?state=received", h->acks.total,
	     "acknowledgement owed", "acknowledgements owed", "reporters waiting"},
	    {"tile-overdue", links ? "#overdue" : "/ui/findings?overdue=1&state=open",
	     h->overdue.total, "finding past its SLA", "findings past their SLA", "past due"},
	    {"tile-kev", links ? "#kev" : "/ui/findings?kev=1&state=new", h->kev.total,
	     "new actively exploited finding", "new actively exploited findings",
	     "actively exploited"},
	};
	html_raw(b, "<ul class=\"tiles\" id=\"tiles\">");
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int hot = t[i].n > 0 && t[i].urgent;
		html(b,
		     "<li class=\"tile %s\" id=\"%s\"><a href=\"%s\"><span "
		     "class=\"big\">%lld</span> "
		     "<span class=\"tile-what\">%s</span>",
		     hot ? "tile-hot" : "tile-calm", t[i].id, t[i].href, (long long)t[i].n,
		     t[i].n == 1 ? t[i].one : t[i].many);
		if (t[i].n && t[i].urgent)
			html(b, " <span class=\"tile-state\">%s</span>", t[i].urgent);
		else if (!t[i].n)
			html_raw(b, " <span class=\"tile-state\">none</span>");
		html_raw(b, "</a></li>");
	}
	html_raw(b, "</ul>");
}

static void clocks_section(struct vg_buf *b, const struct home *h)
{
	char id[48], href[128];
	html_raw(b, "<section id=\"clocks\" class=\"home-block\"><h2>Article 14 clocks</h2>");
	if (!h->clocks.n) {
		html_raw(b,
			 "<p class=\"empty\">No Article 14 clock is running. When a case or a "
			 "finding is marked actively exploited, its 24-hour early warning and "
			 "72-hour notification appear here, the soonest due first.</p></section>");
		return;
	}
	html_raw(b, "<ul class=\"clocks home-clocks\">");
	for (size_t i = 0; i < h->clocks.n; i++) {
		const struct psirt_clock *c = &h->clocks.v[i];
		enum art14_state st = art14_state_at(c->starts_at, c->due_at, 0, h->now);
		snprintf(id, sizeof(id), "clock-%lld-%s", (long long)c->exposure_id, c->stage);
		clock_open(b, id, st, home_stage_label(c->stage));
		html_raw(b, "<div class=\"clock-what\">");
		if (c->case_id)
			html(b, "Case %lld: ", (long long)c->case_id);
		else
			html(b, "Exposure %lld: ", (long long)c->exposure_id);
		html(b, "<strong>%s</strong>", c->title);
		if (c->product)
			html(b, " &middot; %s", c->product);
		if (c->vuln_id)
			html(b, " &middot; %s", c->vuln_id);
		if (c->case_id)
			html(b, " &middot; %s", c->assignee ? c->assignee : "nobody assigned");
		if (!c->draft_version)
			html_raw(b, " &middot; <span class=\"late\">no draft yet</span>");
		else
			html(b, " &middot; draft v%lld, %lld approval%s",
			     (long long)c->draft_version, (long long)c->approvals,
			     c->approvals == 1 ? "" : "s");
		html_raw(b, "</div>");
		clock_when(b, c->starts_at, c->due_at, h->now);
		html(b, "<a class=\"button act\" href=\"%s\">%s</a></li>",
		     home_clock_href(c, href, sizeof(href)),
		     c->case_id ? "Open the case's Article 14 section"
		     : strncmp(home_clock_href(c, href, sizeof(href)), "/ui/findings/", 13) == 0
			 ? "Triage the finding"
			 : "Open the cases");
	}
	html_raw(b, "</ul>");
	more_link(b, h->clocks.total, h->clocks.n, "/ui/cases", "clocks (on their cases)");
	html_raw(b, "</section>");
}

static void acks_section(struct http_req *req, struct http_resp *resp, const struct home *h)
{
	struct vg_buf *b = &resp->body;
	char id[48];
	html_raw(b, "<section id=\"acks\" class=\"home-block\"><h2>Acknowledgements owed "
		    "(48 h)</h2>");
	if (!h->acks.n) {
		html_raw(b, "<p class=\"empty\">Every report is acknowledged.</p></section>");
		return;
	}
	html_raw(b, "<ul class=\"clocks home-clocks\">");
	for (size_t i = 0; i < h->acks.n; i++) {
		const struct psirt_ack_due *a = &h->acks.v[i];
		enum art14_state st = art14_state_at(a->received_at, a->ack_due_at, 0, h->now);
		snprintf(id, sizeof(id), "ack-%lld", (long long)a->case_id);
		clock_open(b, id, st, "Acknowledge the reporter");
		html(b, "<div class=\"clock-what\"><a href=\"/ui/cases/%lld\">Case %lld</a>: %s",
		     (long long)a->case_id, (long long)a->case_id, a->title);
		if (a->product)
			html(b, " &middot; %s", a->product);
		html(b, " &middot; %s</div>", a->assignee ? a->assignee : "nobody assigned");
		clock_when(b, a->received_at, a->ack_due_at, h->now);
		html(b, "<form method=\"post\" action=\"/ui/cases/%lld/ack\" class=\"inline act\">",
		     (long long)a->case_id);
		ui_csrf_field(req, resp);
		html(b,
		     "<button type=\"submit\" aria-label=\"Acknowledge case %lld\">Acknowledge"
		     "</button></form></li>",
		     (long long)a->case_id);
	}
	html_raw(b, "</ul>");
	more_link(b, h->acks.total, h->acks.n, "/ui/cases?state=received", "unacknowledged cases");
	html_raw(b, "</section>");
}

static void finding_item(struct vg_buf *b, const struct finding *f, int64_t now, int overdue)
{
	char t[32];
	html(b,
	     "<li class=\"todo\" id=\"%s-%lld\"><div class=\"todo-what\"><a "
	     "href=\"/ui/findings/%lld\">Finding %lld</a> <strong>",
	     overdue ? "overdue" : "kev", (long long)f->id, (long long)f->id, (long long)f->id);
	html(b, "%s</strong> in %s %s", f->vuln_id, f->product, f->version ? f->version : "");
	html(b, " <span class=\"sev sev-%s\">%s</span>", f->severity ? f->severity : "none",
	     f->severity ? f->severity : "no severity");
	if (f->kev)
		html_raw(b, " <span class=\"badge-kev\">actively exploited</span>");
	if (overdue && f->due_at)
		html(b, " <span class=\"late\">past its SLA by %s</span>",
		     span_text(now - f->due_at, t, sizeof(t)));
	else if (!overdue)
		html(b, " <span class=\"hint\">state %s</span>", f->state);
	html(b,
	     "</div><a class=\"button act\" href=\"/ui/findings/%lld\" aria-label=\"Triage "
	     "finding %lld\">Triage</a></li>",
	     (long long)f->id, (long long)f->id);
}

static void findings_section(struct vg_buf *b, const struct home *h, int overdue)
{
	const struct finding_list *l = overdue ? &h->overdue : &h->kev;
	html(b, "<section id=\"%s\" class=\"home-block\"><h2>%s</h2>", overdue ? "overdue" : "kev",
	     overdue ? "Findings past their SLA" : "New actively exploited findings");
	if (!l->n) {
		html(b, "<p class=\"empty\">%s</p></section>",
		     overdue ? "No open finding is past its SLA."
			     : "No actively exploited (CISA KEV) finding waits for triage.");
		return;
	}
	html_raw(b, "<ul class=\"todos\">");
	for (size_t i = 0; i < l->n; i++)
		finding_item(b, &l->v[i], h->now, overdue);
	html_raw(b, "</ul>");
	more_link(b, l->total, l->n,
		  overdue ? "/ui/findings?overdue=1&state=open&sort=due"
			  : "/ui/findings?kev=1&state=new",
		  overdue ? "overdue findings" : "new actively exploited findings");
	html_raw(b, "</section>");
}

static void oncall_section(struct http_req *req, struct http_resp *resp, const struct home *h)
{
	struct vg_buf *b = &resp->body;
	char t[32];
	html_raw(b, "<section id=\"oncall\" class=\"home-block\"><h2>On call</h2>");
	if (!h->shifts.n)
		html_raw(b,
			 "<p class=\"empty warn\">No on-call rotation is set up: nobody is paged "
			 "when a clock runs. <a href=\"/ui/oncall\">Set up on-call</a></p>");
	else
		html_raw(b, "<ul class=\"plain\">");
	for (size_t i = 0; i < h->shifts.n; i++) {
		const struct oncall_shift *s = &h->shifts.v[i];
		html(b, "<li id=\"shift-%zu\"><strong>%s</strong> (%s): ", i,
		     s->on_call ? s->on_call : "nobody yet", s->rotation);
		if (s->on_call) {
			html_raw(b, "on call until ");
			html_time(b, s->until, NULL);
			html_raw(b, " UTC");
		} else {
			html_raw(b, "the rotation starts ");
			html_time(b, s->until, NULL);
		}
		if (s->next)
			html(b, "; next %s", s->next);
		html_raw(b, "</li>");
	}
	if (h->shifts.n)
		html_raw(b, "</ul>");
	for (size_t i = 0; i < h->n_open_pages; i++) {
		const struct oncall_page *p = h->open_pages[i];
		html(
		    b,
		    "<div class=\"todo page-open\" id=\"page-%lld\"><div class=\"todo-what\"><span "
		    "class=\"late\">Page not acknowledged</span> %s%s, sent ",
		    (long long)p->id, p->drill ? "(drill) " : "", p->summary);
		html_time(b, p->created_at, NULL);
		html(b,
		     "</div><form method=\"post\" action=\"/ui/oncall/pages/%lld/ack\" "
		     "class=\"inline act\">",
		     (long long)p->id);
		ui_csrf_field(req, resp);
		html(b,
		     "<button type=\"submit\" aria-label=\"Acknowledge page %lld\">Acknowledge"
		     "</button></form></div>",
		     (long long)p->id);
	}
	if (h->last_drill) {
		const struct oncall_drill *d = h->last_drill;
		html(b,
		     "<p id=\"last-drill\">Last drill: <strong class=\"drill-%s\">%s</strong>, "
		     "started ",
		     d->result,
		     strcmp(d->result, "pass") == 0   ? "passed"
		     : strcmp(d->result, "fail") == 0 ? "failed"
						      : "waiting for an acknowledgement");
		html_time(b, d->started_at, NULL);
		if (d->ack_seconds >= 0)
			html(b, ", acknowledged after %s%s%s",
			     span_text(d->ack_seconds, t, sizeof(t)),
			     d->acknowledged_by ? " by " : "",
			     d->acknowledged_by ? d->acknowledged_by : "");
		html_raw(b, ".</p>");
	} else {
		html_raw(b,
			 "<p id=\"last-drill\" class=\"warn\">No drill has been run: a drill pages "
			 "the rota to prove someone answers.</p>");
	}
	html_raw(b, "<p><a class=\"button secondary\" href=\"/ui/oncall\">Open on-call</a></p>"
		    "</section>");
}

/* One expiry line: what, when, and in words how soon. */
static void expiry(struct vg_buf *b, const char *id, const char *what, int64_t at, int64_t now,
		   int64_t warn)
{
	char t[32];
	const char *cls = !at ? "calm" : at <= now ? "hot" : at - now < warn ? "warm" : "calm";
	html(b, "<li class=\"expiry expiry-%s\" id=\"%s\">%s: ", cls, id, what);
	if (!at) {
		html_raw(b, "never expires</li>");
		return;
	}
	if (at <= now)
		html(b, "<strong>expired %s ago</strong> (", span_text(now - at, t, sizeof(t)));
	else if (at - now < warn)
		html(b, "<strong>expires in %s</strong>, renew it (",
		     span_text(at - now, t, sizeof(t)));
	else
		html(b, "expires in %s (", span_text(at - now, t, sizeof(t)));
	html_time(b, at, NULL);
	html_raw(b, ")</li>");
}

static void expiries_section(struct vg_buf *b, const struct home *h)
{
	char id[32];
	html_raw(b, "<section id=\"expiries\" class=\"home-block\"><h2>security.txt and PGP "
		    "key</h2><ul class=\"plain\">");
	if (h->has_securitytxt)
		expiry(b, "exp-securitytxt", "Our published security.txt",
		       h->securitytxt.expires_at, h->now, STWATCH_EXPIRING_SECONDS);
	else
		html_raw(b,
			 "<li class=\"expiry expiry-hot\" id=\"exp-securitytxt\"><strong>No "
			 "security.txt is published</strong>: researchers cannot find the PSIRT. "
			 "Set <code>securitytxt.contact</code> (operator's guide).</li>");
	for (size_t i = 0; i < h->pgp.n; i++) {
		char what[96];
		snprintf(what, sizeof(what), "PSIRT OpenPGP key %.16s", h->pgp.v[i].fingerprint);
		snprintf(id, sizeof(id), "exp-pgp-%zu", i);
		expiry(b, id, what, h->pgp.v[i].expires_at, h->now, PGP_EXPIRING_SECONDS);
	}
	if (!h->pgp.n)
		html_raw(b,
			 "<li class=\"expiry expiry-calm\" id=\"exp-pgp\">No PSIRT OpenPGP key is "
			 "recorded: reporters cannot encrypt to you.</li>");
	for (size_t i = 0; i < h->watched.n; i++) {
		const struct stwatch_entry *w = &h->watched.v[i];
		const struct stwatch_check *c = w->nchecks ? &w->checks[0] : NULL;
		html(b, "<li class=\"expiry expiry-%s\" id=\"watch-%zu\">Watched %s: %s</li>",
		     !c                             ? "calm"
		     : strcmp(c->status, "ok") == 0 ? "calm"
						    : "hot",
		     i, w->url,
		     !c                             ? "not checked yet"
		     : strcmp(c->status, "ok") == 0 ? "fine"
						    : c->status);
	}
	html_raw(b, "</ul><p><a class=\"button secondary\" href=\"/ui/reachability\">Open "
		    "reachability</a></p></section>");
}

/* ---- the auditor's numbers ---- */

static void oversight(struct vg_buf *b, const struct home *h)
{
	html_raw(b, "<p class=\"lead\" id=\"read-only\">You read: nothing here waits for you. "
		    "These are the PSIRT's open obligations, for oversight; every decision is in "
		    "the <a href=\"/ui/evidence\">evidence room</a>.</p>");
	tiles(b, h, 0);
}

/* ---- the portfolio charts ---- */

static const char *const sev_names[] = {"critical", "high", "medium", "low", "none"};
static const char *const sev_colors[] = {"#a4161a", "#d9480f", "#b08900", "#1f5fbf", "#6c757d"};

static const char *days_text(int64_t v, char *out, size_t n)
{
	return span_text(v, out, n);
}

static void charts(struct vg_buf *b, const struct home *h)
{
	int64_t sev[5][HOME_HISTORY_DAYS], burn_over[TRIAGE_BURN_DAYS + 1],
	    burn_due[TRIAGE_BURN_DAYS + 1];
	const char *labels[HOME_HISTORY_DAYS];
	char burn_lbl[TRIAGE_BURN_DAYS + 1][16], row_lbl[8][300];
	const char *burn_labels[TRIAGE_BURN_DAYS + 1], *rows[8];
	struct chart_series ser[5];
	int64_t mttr_v[8], exp_v[5][8], open_now = 0;
	size_t n = h->history.n < HOME_HISTORY_DAYS ? h->history.n : HOME_HISTORY_DAYS;

	html_raw(b, "<section id=\"portfolio\"><h2>Portfolio</h2><div class=\"charts\">");
	for (size_t i = 0; i < n; i++) {
		labels[i] = h->history.days[i].day;
		for (int s = 0; s < 5; s++)
			sev[s][i] = h->history.days[i].open[s];
	}
	for (int s = 0; s < 5 && n; s++)
		open_now += sev[s][n - 1];
	for (int s = 0; s < 5; s++)
		ser[s] = (struct chart_series){sev_names[s], sev_colors[s], sev[s]};
	if (!open_now && !h->mttr.n) {
		html_raw(b, "<p class=\"empty\" id=\"no-findings\">No open findings and nothing "
			    "fixed lately: upload an SBOM on <a href=\"/ui/products\">Products</a> "
			    "and the findings the feeds match show up here.</p>");
	}
	chart_lines(b, &(struct chart){"chart-open", "Open findings by severity, last 30 days",
				       "open findings", "day", n, labels, 5, ser, NULL, NULL});

	/* SLA burn-down: overdue now, then what falls due each day */
	burn_labels[0] = "late";
	burn_over[0] = h->burn.overdue;
	burn_due[0] = 0;
	for (int i = 0; i < TRIAGE_BURN_DAYS; i++) {
		int64_t y;
		unsigned m, d;
		vg_civil_from_days(h->now / 86400 + i, &y, &m, &d);
		if (i == 0)
			snprintf(burn_lbl[i + 1], sizeof(burn_lbl[i + 1]), "today");
		else
			snprintf(burn_lbl[i + 1], sizeof(burn_lbl[i + 1]), "%02u-%02u", m, d);
		burn_labels[i + 1] = burn_lbl[i + 1];
		burn_over[i + 1] = 0;
		burn_due[i + 1] = h->burn.day[i];
	}
	{
		char note[200];
		struct chart_series bs[2] = {{"past due", "#a61e1e", burn_over},
					     {"falls due", "#1f5fbf", burn_due}};
		snprintf(note, sizeof(note),
			 "Due after two weeks: %lld. Open findings without an SLA policy: %lld.",
			 (long long)h->burn.later, (long long)h->burn.nodue);
		chart_columns(b,
			      &(struct chart){"chart-burn",
					      "SLA burn-down: open findings by the day their SLA "
					      "runs out",
					      "open findings", "due", TRIAGE_BURN_DAYS + 1,
					      burn_labels, 2, bs, note, NULL});
	}

	/* mean time to remediate per product */
	for (size_t i = 0; i < h->mttr.n && i < 8; i++) {
		snprintf(row_lbl[i], sizeof(row_lbl[i]), "%s (%lld fixed)", h->mttr.v[i].product,
			 (long long)h->mttr.v[i].fixed);
		rows[i] = row_lbl[i];
		mttr_v[i] = h->mttr.v[i].mean_seconds;
	}
	if (h->mttr.n) {
		struct chart_series ms = {"mean time to remediate", "#1d7a3a", mttr_v};
		chart_rows(b, &(struct chart){"chart-mttr",
					      "Mean time to remediate per product, last 90 days",
					      "mean time from first seen to fixed", "product",
					      h->mttr.n < 8 ? h->mttr.n : 8, rows, 1, &ms,
					      "Slowest first.", days_text});
	} else {
		html_raw(b,
			 "<figure class=\"chart-fig\" id=\"chart-mttr\"><figcaption>Mean time to "
			 "remediate per product, last 90 days</figcaption><p class=\"empty\">No "
			 "finding was fixed in the last 90 days.</p></figure>");
	}

	/* top exposed products */
	for (size_t i = 0; i < h->exposed.n && i < 8; i++) {
		const struct triage_exposed *e = &h->exposed.v[i];
		if (e->kev)
			snprintf(row_lbl[i], sizeof(row_lbl[i]), "%s (%lld exploited)", e->product,
				 (long long)e->kev);
		else
			snprintf(row_lbl[i], sizeof(row_lbl[i]), "%s", e->product);
		rows[i] = row_lbl[i];
		exp_v[0][i] = e->critical;
		exp_v[1][i] = e->high;
		exp_v[2][i] = e->medium;
		exp_v[3][i] = e->low;
		exp_v[4][i] = e->none;
	}
	if (h->exposed.n) {
		for (int s = 0; s < 5; s++)
			ser[s] = (struct chart_series){sev_names[s], sev_colors[s], exp_v[s]};
		chart_rows(
		    b, &(struct chart){
			   "chart-exposed", "Most exposed products: open findings by severity",
			   "open findings", "product", h->exposed.n < 8 ? h->exposed.n : 8, rows, 5,
			   ser, "Actively exploited first, then critical, then high.", NULL});
	} else {
		html_raw(
		    b, "<figure class=\"chart-fig\" id=\"chart-exposed\"><figcaption>Most exposed "
		       "products</figcaption><p class=\"empty\">No product has an open "
		       "finding.</p></figure>");
	}
	html_raw(b, "</div></section>");
}

/* ---- the charts, drawn at most once a minute ---- */

/*
 * The charts are over every finding of every product: at a million
 * findings each is a pass over the table. The page keeps its drawing for
 * CHARTS_TTL seconds per database in this process (the page says as of
 * when); the lists above them are read fresh on every request.
 */
#define CHARTS_TTL 60

static struct {
	pthread_mutex_t mu;
	char db[512];
	char *html;
	int64_t drawn; /* monotonic seconds */
} drawing = {PTHREAD_MUTEX_INITIALIZER, "", NULL, 0};

static int64_t mono_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* A copy of the fresh drawing for db (caller frees), or NULL. */
static char *charts_cached(const char *db, int64_t t)
{
	char *copy = NULL;
	pthread_mutex_lock(&drawing.mu);
	if (drawing.html && strcmp(drawing.db, db) == 0 && t - drawing.drawn < CHARTS_TTL)
		copy = strdup(drawing.html);
	pthread_mutex_unlock(&drawing.mu);
	return copy;
}

static void charts_keep(const char *db, const char *html, int64_t t)
{
	char *copy = strdup(html);
	if (!copy)
		return;
	pthread_mutex_lock(&drawing.mu);
	free(drawing.html);
	drawing.html = copy;
	snprintf(drawing.db, sizeof(drawing.db), "%s", db);
	drawing.drawn = t;
	pthread_mutex_unlock(&drawing.mu);
}

/* ---- the page ---- */

static int home(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct home h;
	const char *key = store_url_safe(req->db);
	int64_t t = mono_seconds();
	char *drawn = (req->who.role & ROLE_READ) ? charts_cached(key, t) : NULL;
	int rc = home_load(req->db, req->who.role, drawn == NULL, &h, &err);

	ui_page_begin(req, resp, h.can_act ? "What needs you now" : "Overview", "");
	if (rc) {
		html(b,
		     "<p class=\"error\" role=\"alert\" id=\"error\">The home page could not be "
		     "read: %s</p>",
		     err.msg);
		home_release(&h);
		free(drawn);
		return ui_page_end(resp);
	}
	ui_flash(req, b, "home");
	html_raw(b, "<p class=\"asof\">As of ");
	html_time(b, h.now, NULL);
	html_raw(b,
		 h.can_act ? " UTC. The clocks keep counting down on this page.</p>" : " UTC.</p>");
	if (!h.reads) {
		html(b,
		     "<p class=\"lead\" id=\"machine\">This account is for a machine (role %s): "
		     "it has no pages to work in. The API is described at "
		     "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p>",
		     vg_role_name(h.role));
		home_release(&h);
		return ui_page_end(resp);
	}
	if (h.can_act) {
		tiles(b, &h, 1);
		html_raw(b, "<div class=\"home-grid\">");
		clocks_section(b, &h);
		acks_section(req, resp, &h);
		findings_section(b, &h, 0);
		findings_section(b, &h, 1);
		oncall_section(req, resp, &h);
		expiries_section(b, &h);
		html_raw(b, "</div>");
	} else {
		oversight(b, &h);
	}
	if (drawn) {
		vg_buf_adds(b, drawn);
		free(drawn);
	} else if (h.has_charts) {
		struct vg_buf fresh = VG_BUF_INIT;
		char asof[32];
		charts(&fresh, &h);
		vg_buf_addf(
		    &fresh,
		    "<p class=\"hint\" id=\"charts-asof\">Charts as of %s UTC, redrawn every "
		    "minute.</p>",
		    vg_time_format(h.now, asof, sizeof(asof)));
		if (fresh.data) {
			charts_keep(key, fresh.data, t);
			vg_buf_adds(b, fresh.data);
		}
		vg_buf_release(&fresh);
	}
	if (h.role == ROLE_ADMIN) {
		int64_t n = 0;
		int ver = 0;
		if (audit_count(req->db, &n, NULL))
			n = 0;
		if (store_schema_version(req->db, &ver, NULL))
			ver = 0;
		html(b,
		     "<section id=\"system\" class=\"home-block\"><h2>System</h2><p>%s, schema "
		     "version %d. <span id=\"audit-count\">%lld</span> audit records, "
		     "hash-chained: <a href=\"/ui/evidence\">evidence room</a>.</p></section>",
		     store_kind(req->db) == STORE_PG ? "PostgreSQL" : "SQLite", ver, (long long)n);
	}
	html_raw(b, "<script src=\"/static/countdown.js\" defer></script>");
	home_release(&h);
	return ui_page_end(resp);
}

const struct http_route app_routes[] = {
    {"GET", "/api/v1/health", ROLE_PUBLIC, HTTP_PUBLIC_FACE, health,
     "Liveness (anonymous: status only; with credentials: version, database, schema, leader)",
     "system"},
    {"GET", "/api/v1/home", ROLE_ANY, 0, api_home,
     "What needs the caller now: Article 14 clocks, owed acknowledgements, findings past "
     "their SLA, new actively exploited findings, on-call, expiries (admin, psirt), totals "
     "(auditor), portfolio charts",
     "system"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};

const struct http_route app_ui_routes[] = {
    {"GET", "/ui/", ROLE_ANY, HTTP_UI, home, "Home: what needs you now, portfolio charts", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
