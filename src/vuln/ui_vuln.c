/*
 * ui_vuln.c - one vulnerability's page (the findings queue is the triage
 * room's, src/triage/ui_triage.c): one vulnerability with its
 * aliases, severity, KEV entry, affected ranges and affected product
 * versions. Server-rendered; no JavaScript needed.
 */
#include "core/clock.h"
#include "core/error.h"
#include "http/html.h"
#include "http/ui.h"
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
	html(b, "%s", v.severity ? v.severity : "unknown");
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
		       "<th>state</th></tr></thead><tbody>");
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
		vg_buf_adds(b, "</td></tr>");
	}
	if (!v.n_affected)
		vg_buf_adds(b, "<tr><td colspan=\"5\">No product version is affected.</td></tr>");
	vg_buf_adds(b, "</tbody></table><h2>Advisories</h2>");
	for (size_t i = 0; i < v.n_advisories; i++) {
		const struct vuln_advisory *x = &v.advisories[i];
		json_t *rec = x->record_json ? json_loads(x->record_json, 0, NULL) : NULL;
		vg_buf_adds(b, "<section class=\"card advisory\"><h3>");
		html(b, "%s", x->source);
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

const struct http_route vuln_ui_routes[] = {
    {"GET", "/ui/vulnerabilities/{id}", ROLE_READ, HTTP_UI, vuln_page,
     "A vulnerability: aliases, severity, KEV, ranges, affected product versions", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
