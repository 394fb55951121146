/*
 * ui_vuln.c - one vulnerability's page (the findings queue is the triage
 * room's, src/triage/ui_triage.c): one vulnerability with its
 * aliases, severity, KEV entry, affected ranges and affected product
 * versions; and the feed status page (/ui/feeds) with "sync now".
 * Server-rendered; no JavaScript needed.
 */
#include "core/clock.h"
#include "core/error.h"
#include "http/html.h"
#include "http/ui.h"
#include "sbom/product.h"
#include "vuln/feeds.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int error_page(struct http_req *req, struct http_resp *resp, const char *title,
		      const struct vg_error *err)
{
	ui_page_begin(req, resp, title, "findings");
	resp->status = vg_code_http_status(err->code);
	vg_buf_adds(&resp->body, "<p class=\"error\" role=\"alert\">");
	html(&resp->body, "%s", vg_error_msg(err));
	vg_buf_adds(&resp->body, "</p><p><a href=\"/ui/findings\">All findings</a></p>");
	return ui_page_end(resp);
}

static void ranges_html(struct vg_buf *b, const json_t *affected)
{
	size_t i, j, k;
	json_t *af, *rg, *ev;
	vg_buf_adds(b, "<table class=\"ranges\"><thead><tr><th>ecosystem</th><th>package</th>"
		       "<th>ranges</th><th>listed versions</th></tr></thead><tbody>");
	json_array_foreach(affected, i, af)
	{
		json_t *pkg = json_object_get(af, "package");
		vg_buf_adds(b, "<tr><td>");
		html(b, "%s", vg_json_str(pkg, "ecosystem"));
		vg_buf_adds(b, "</td><td>");
		html(b, "%s", vg_json_str(pkg, "name"));
		vg_buf_adds(b, "</td><td>");
		json_array_foreach(json_object_get(af, "ranges"), j, rg)
		{
			html(b, "%s", vg_json_str(rg, "type"));
			vg_buf_adds(b, ":");
			json_array_foreach(json_object_get(rg, "events"), k, ev)
			{
				const char *key;
				json_t *val;
				json_object_foreach(ev, key, val)
				{
					vg_buf_adds(b, " ");
					html(b, "%s", key);
					vg_buf_adds(b, " ");
					html(b, "%s", json_string_value(val));
				}
			}
			vg_buf_adds(b, "<br>");
		}
		vg_buf_addf(b, "</td><td>%zu</td></tr>",
			    json_array_size(json_object_get(af, "versions")));
	}
	vg_buf_adds(b, "</tbody></table>");
}

/* ---- plain words for the room's codes (html_label) ---- */

static const struct html_label feed_kind_labels[] = {
    {"osv", "OSV"},
    {"nvd", "NVD (CVE API 2.0)"},
    {"csaf", "CSAF 2.0 advisories"},
    {"kev", "CISA KEV catalogue"},
    {NULL, NULL},
};

/* an advisory's source: the feed kinds, and the sources OSV records name */
static const struct html_label source_labels[] = {
    {"osv", "OSV"},      {"nvd", "NVD"},     {"csaf", "CSAF advisory"},
    {"kev", "CISA KEV"}, {"ghsa", "GitHub"}, {"demo", "Demo data"},
    {NULL, NULL},
};

static const struct html_label severity_labels[] = {
    {"critical", "Critical"}, {"high", "High"}, {"medium", "Medium"},   {"moderate", "Moderate"},
    {"low", "Low"},           {"none", "None"}, {"unknown", "Unknown"}, {NULL, NULL},
};

static int vuln_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct vulnerability v;
	char ts[VG_TIME_BUFSZ];

	if (vuln_get(req->db, http_param(req, "id"), &v, &err)) {
		vulnerability_release(&v);
		return error_page(req, resp, "Vulnerability", &err);
	}
	ui_page_begin(req, resp, v.id, "findings");
	vg_buf_adds(b, "<dl class=\"card\" id=\"vuln\"><dt>id</dt><dd>");
	html(b, "%s", v.id);
	vg_buf_adds(b, "</dd><dt>aliases</dt><dd>");
	for (size_t i = 0; i < v.n_aliases; i++) {
		if (i)
			vg_buf_adds(b, ", ");
		html(b, "%s", v.aliases[i]);
	}
	vg_buf_adds(b, "</dd><dt>summary</dt><dd>");
	html(b, "%s", v.summary);
	vg_buf_adds(b, "</dd><dt>severity</dt><dd>");
	html(b, "%s", html_label(severity_labels, v.severity ? v.severity : "unknown"));
	if (v.score) {
		vg_buf_adds(b, " (");
		html(b, "%s", v.score);
		vg_buf_adds(b, ")");
	}
	vg_buf_adds(b, "</dd><dt>actively exploited</dt><dd>");
	if (v.exploited) {
		vg_buf_adds(b, "<strong class=\"kev\">yes</strong>: CISA KEV since ");
		html(b, "%s", v.kev.date_added);
		vg_buf_adds(b, ", due ");
		html(b, "%s", v.kev.due_date);
		vg_buf_adds(b, ", ransomware use ");
		html(b, "%s", v.kev.ransomware);
	} else {
		vg_buf_adds(b, "not in CISA KEV");
	}
	vg_buf_adds(b, "</dd></dl><h2>Affected product versions</h2><table id=\"affected\"><thead>"
		       "<tr><th>product</th><th>version</th><th>component</th><th>first seen</th>"
		       "<th>state</th><th>devices</th></tr></thead><tbody>");
	for (size_t i = 0; i < v.n_affected; i++) {
		const struct vuln_affected *x = &v.affected[i];
		vg_buf_adds(b, "<tr><td><a href=\"/ui/products/");
		html_url(b, x->product);
		vg_buf_adds(b, "\">");
		html(b, "%s", x->product);
		vg_buf_addf(b, "</a></td><td><a href=\"/ui/findings/%lld\">",
			    (long long)x->finding_id);
		html(b, "%s", x->version);
		vg_buf_adds(b, "</a>");
		vg_buf_adds(b, "</td><td><code>");
		html(b, "%s", x->purl);
		vg_buf_adds(b, "</code></td><td>");
		html(b, "%s",
		     x->first_seen_at != VULN_NO_TIME
			 ? vg_time_format(x->first_seen_at, ts, sizeof(ts))
			 : NULL);
		vg_buf_adds(b, "</td><td>");
		html(b, "%s", x->retracted_at == VULN_NO_TIME ? x->state : "retracted");
		vg_buf_adds(b, "</td><td class=\"num\">");
		{
			/* devices in the field running the version (update/fleet.h) */
			struct sbom_fleet fl;
			struct vg_error ferr = {0};
			if (sbom_version_fleet_by_name(req->db, x->product, x->version, &fl,
						       &ferr) == VG_OK)
				vg_buf_addf(b, "%lld", (long long)fl.devices);
		}
		vg_buf_adds(b, "</td></tr>");
	}
	if (!v.n_affected)
		vg_buf_adds(b, "<tr><td colspan=\"6\">No product version is affected.</td></tr>");
	else {
		vg_buf_adds(b, "<tr><td colspan=\"6\"><a href=\"/ui/fleet/exposure/");
		html_url(b, v.id);
		vg_buf_adds(b, "\">Devices in the field by version and channel</a></td></tr>");
	}
	vg_buf_adds(b, "</tbody></table><h2>Advisories</h2>");
	for (size_t i = 0; i < v.n_advisories; i++) {
		const struct vuln_advisory *x = &v.advisories[i];
		json_t *rec = x->record_json ? json_loads(x->record_json, 0, NULL) : NULL;
		vg_buf_adds(b, "<section class=\"card advisory\"><h3>");
		html(b, "%s", html_label(source_labels, x->source));
		vg_buf_adds(b, " ");
		html(b, "%s", x->id);
		if (x->withdrawn)
			vg_buf_adds(b, " (withdrawn)");
		vg_buf_adds(b, "</h3><p>");
		html(b, "%s",
		     vg_json_str(rec, "details") ? vg_json_str(rec, "details")
						 : vg_json_str(rec, "summary"));
		vg_buf_adds(b, "</p>");
		ranges_html(b, json_object_get(rec, "affected"));
		vg_buf_adds(b, "</section>");
		json_decref(rec);
	}
	vulnerability_release(&v);
	return ui_page_end(resp);
}

static void run_html(struct vg_buf *b, const struct feed_run *r)
{
	html_raw(b, "<section class=\"card\" id=\"sync-run\"><h2>Last sync run</h2>");
	if (!r->requested_at && !r->started_at) {
		html_raw(b,
			 "<p id=\"run-state\">No sync has run from vigil serve yet.</p></section>");
		return;
	}
	if (FEED_RUN_PENDING(r)) {
		html(b,
		     "<p id=\"run-state\" class=\"pending\" role=\"status\">Waiting to run: asked "
		     "by %s at ",
		     r->requested_by);
		html_time(b, r->requested_at, "");
		html_raw(b, ". The background job picks it up within a few seconds; reload this "
			    "page to follow it.</p>");
	} else if (FEED_RUN_RUNNING(r)) {
		html(b, "<p id=\"run-state\" class=\"pending\" role=\"status\">Running since ");
		html_time(b, r->started_at, "");
		html(b, " (asked by %s). Reload this page to see the result.</p>", r->requested_by);
	} else {
		html(b, "<p id=\"run-state\" class=\"%s\">%s: finished ", r->ok ? "ok" : "error",
		     r->ok ? "Succeeded" : "Failed");
		html_time(b, r->finished_at, "");
		html(b,
		     " (asked by %s). %lld fetched, %lld not modified, %lld records imported, "
		     "%lld updated.</p>",
		     r->requested_by, (long long)r->fetched, (long long)r->not_modified,
		     (long long)r->imported, (long long)r->updated);
		if (r->message)
			html(b, "<p class=\"error\" id=\"run-error\">%s</p>", r->message);
	}
	html_raw(b, "</section>");
}

static int feeds_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct feed_status st;

	if (feed_status_get(req->db, &st, &err)) {
		feed_status_release(&st);
		return error_page(req, resp, "Feeds", &err);
	}
	ui_page_begin(req, resp, "Vulnerability feeds", "feeds");
	if (http_query(req, "asked"))
		html_raw(b, "<p class=\"ok\" id=\"flash\" role=\"status\">Sync asked for: it runs "
			    "in the background.</p>");
	else if (http_query(req, "busy"))
		html_raw(b, "<p class=\"error\" id=\"error\" role=\"alert\">A sync is already "
			    "waiting to run.</p>");
	html_raw(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"Feeds\"><table id=\"feeds\"><thead><tr><th "
		    "scope=\"col\">Feed</th><th scope=\"col\">URL</th><th scope=\"col\">Last "
		    "sync</th><th scope=\"col\">Result</th><th scope=\"col\">Records</th><th "
		    "scope=\"col\">Errors</th><th scope=\"col\">Next scheduled</th></tr></thead>"
		    "<tbody>");
	for (size_t i = 0; i < st.n; i++) {
		const struct feed_url *f = &st.feeds[i];
		html(b,
		     "<tr data-kind=\"%s\"><td>%s</td><td class=\"url\"><code>%s</code></td><td>",
		     f->kind, html_label(feed_kind_labels, f->kind), f->url);
		html_time(b, f->synced_at, "never");
		html_raw(b, "</td><td>");
		if (f->http_status == 200)
			html_raw(b, "new data imported (HTTP 200)");
		else if (f->http_status == 304)
			html_raw(b, "unchanged (HTTP 304)");
		else if (f->http_status)
			html(b, "HTTP %lld", (long long)f->http_status);
		html_raw(b, "</td><td>");
		if (f->records >= 0)
			html(b, "%lld", (long long)f->records);
		html(b, "</td><td class=\"%s\">%s</td><td>", f->error ? "error" : "",
		     f->error ? f->error : "none");
		if (st.next_at)
			html_time(b, st.next_at, "");
		else
			html_raw(b, "only when asked");
		html_raw(b, "</td></tr>");
	}
	if (!st.n)
		html_raw(b, "<tr><td colspan=\"7\">No feed is configured: set feeds.osv_url, "
			    "feeds.nvd_url, feeds.csaf_url or feeds.kev_url (docs/operator.md), or "
			    "import files with <code>vigil feed import</code>.</td></tr>");
	html_raw(b, "</tbody></table></div>");
	run_html(b, &st.run);
	if ((req->who.role & ROLE_ADMIN) && st.n) {
		html_raw(b, "<form method=\"post\" action=\"/ui/feeds/sync\" id=\"sync-now\">");
		ui_csrf_field(req, resp);
		html(b, "<button type=\"submit\"%s>Sync now</button></form>",
		     FEED_RUN_PENDING(&st.run) || FEED_RUN_RUNNING(&st.run) ? " disabled" : "");
	}
	if (st.interval > 0)
		html(b, "<p>Feeds are synced every %lld minutes (feeds.sync_interval).</p>",
		     (long long)(st.interval / 60));
	else
		html_raw(b, "<p>Feeds are synced only when asked (set feeds.sync_interval to sync "
			    "on a schedule).</p>");
	feed_status_release(&st);
	return ui_page_end(resp);
}

/* POST /ui/feeds/sync: ask the background job for a sync; back to the page. */
static int feeds_sync_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int rc = feeds_request_sync(req->db, &err);
	if (rc == VG_ESTATE)
		return http_redirect(resp, "/ui/feeds?busy=1");
	if (rc)
		return error_page(req, resp, "Feeds", &err);
	return http_redirect(resp, "/ui/feeds?asked=1");
}

const struct http_route vuln_ui_routes[] = {
    {"GET", "/ui/vulnerabilities/{id}", ROLE_READ, HTTP_UI, vuln_page,
     "A vulnerability: aliases, severity, KEV, ranges, affected product versions", "ui"},
    {"GET", "/ui/feeds", ROLE_READ, HTTP_UI, feeds_page,
     "Feed status: every configured feed, its last sync, result, records and errors", "ui"},
    {"POST", "/ui/feeds/sync", ROLE_ADMIN, HTTP_UI, feeds_sync_post,
     "Sync the feeds now (run by the background job; form)", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
