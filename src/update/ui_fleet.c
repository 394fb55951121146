/*
 * ui_fleet.c - the fleet page and API (fleet.h): the version distribution
 * of the devices in the field as a chart and a table, the open
 * vulnerabilities by the devices they reach, and one vulnerability's
 * exposure by product version and channel.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/error.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "update/fleet.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define TOP 100 /* vulnerabilities on the fleet page */

static const struct html_label severities[] = {
    {"critical", "Critical"}, {"high", "High"}, {"medium", "Medium"}, {"low", "Low"}, {0}};

/* ---- API ---- */

static int api_exposure(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct fleet_exposure e;
	const char *vuln = http_param(req, "vuln");
	int rc;
	if (fleet_exposure(req->db, vuln, &e, &err)) {
		fleet_exposure_release(&e);
		return http_fail(resp, &err);
	}
	rc = http_json(resp, 200, fleet_exposure_to_json(&e));
	fleet_exposure_release(&e);
	return rc;
}

static int api_versions(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct fleet_versions v;
	int rc;
	if (fleet_versions(req->db, http_query(req, "product"), &v, &err)) {
		fleet_versions_release(&v);
		return http_fail(resp, &err);
	}
	rc = http_json(resp, 200, fleet_versions_to_json(&v));
	fleet_versions_release(&v);
	return rc;
}

static int api_top(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct fleet_vuln_list l;
	int64_t limit;
	int rc;
	if ((rc = http_query_int(req, resp, "limit", 1, 10000, 100, &limit)))
		return rc;
	if (fleet_exposed_vulns(req->db, limit, &l, &err)) {
		fleet_vuln_list_release(&l);
		return http_fail(resp, &err);
	}
	rc = http_json(resp, 200,
		       json_pack("{s:o}", "vulnerabilities", fleet_vuln_list_to_json(&l)));
	fleet_vuln_list_release(&l);
	return rc;
}

/* ---- pages ---- */

static int error_page(struct http_req *req, struct http_resp *resp, const struct vg_error *err)
{
	return ui_error_page(req, resp, vg_code_http_status(err->code), vg_error_msg(err));
}

/* The devices of each product version (channels together), as horizontal
 * bars: the chart a release manager looks at to see what runs where. */
static void versions_svg(struct vg_buf *b, const struct fleet_versions *v)
{
	enum { W = 400, BAR = 340, ROW = 40, MAXROWS = 20 };
	struct {
		const char *product, *version;
		int64_t devices;
	} rows[MAXROWS];
	size_t n = 0;
	int64_t max = 1, other = 0;

	for (size_t i = 0; i < v->n; i++) {
		size_t j = 0;
		while (j < n && (strcmp(rows[j].product, v->items[i].product) ||
				 strcmp(rows[j].version, v->items[i].version)))
			j++;
		if (j < n) {
			rows[j].devices += v->items[i].devices;
		} else if (n < MAXROWS) {
			rows[n].product = v->items[i].product;
			rows[n].version = v->items[i].version;
			rows[n++].devices = v->items[i].devices;
		} else {
			other += v->items[i].devices;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (rows[i].devices > max)
			max = rows[i].devices;
	/* each version: its name above its bar, the count after the bar */
	html(b,
	     "<svg id=\"chart-versions\" class=\"chart\" role=\"img\" "
	     "aria-labelledby=\"chart-versions-t\" viewBox=\"0 0 %d %d\" "
	     "preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">"
	     "<title id=\"chart-versions-t\">Devices by product version: %lld device(s) in "
	     "all%s</title>",
	     W, (int)(n + (other ? 1 : 0)) * ROW + 4, (long long)v->devices,
	     other ? ", the largest versions shown" : "");
	for (size_t i = 0; i < n; i++) {
		int y = (int)i * ROW;
		int w = (int)(BAR * rows[i].devices / max);
		if (w < 1)
			w = 1;
		html(b,
		     "<text x=\"0\" y=\"%d\" font-size=\"13\">%s %s</text>"
		     "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"#1c5d99\">"
		     "<title>%s %s: %lld device(s)</title></rect>"
		     "<text x=\"%d\" y=\"%d\" font-size=\"13\">%lld</text>",
		     y + 13, rows[i].product, *rows[i].version ? rows[i].version : "(none)", y + 18,
		     w, rows[i].product, rows[i].version, (long long)rows[i].devices, w + 5, y + 30,
		     (long long)rows[i].devices);
	}
	if (other)
		html(b, "<text x=\"0\" y=\"%d\" font-size=\"13\">other versions: %lld</text>",
		     (int)n * ROW + 13, (long long)other);
	html_raw(b, "</svg>");
}

static void severity_cell(struct vg_buf *b, const char *sev)
{
	if (sev)
		html(b, "<td><span class=\"sev sev-%s\">%s</span></td>", sev,
		     html_label(severities, sev));
	else
		html_raw(b, "<td>unknown</td>");
}

static int fleet_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct fleet_versions v;
	struct fleet_vuln_list l;
	const char *product = http_query(req, "product");

	if (product && !*product)
		product = NULL;
	if (fleet_versions(req->db, product, &v, &err)) {
		fleet_versions_release(&v);
		return error_page(req, resp, &err);
	}
	if (fleet_exposed_vulns(req->db, TOP, &l, &err)) {
		fleet_versions_release(&v);
		fleet_vuln_list_release(&l);
		return error_page(req, resp, &err);
	}
	ui_page_begin(req, resp, "Fleet", "fleet");
	html(b,
	     "<p id=\"fleet-total\">%lld active device(s)%s%s%s. Devices report their version when "
	     "they check in; revoked devices are not counted.</p>",
	     (long long)v.devices, product ? " of " : "", product ? product : "",
	     product ? " (<a href=\"/ui/fleet\">all products</a>)" : "");
	html(b,
	     "<form class=\"filters\" method=\"get\" action=\"/ui/fleet\">"
	     "<label for=\"fleet-product\">Product</label> "
	     "<input id=\"fleet-product\" name=\"product\" value=\"%s\"> "
	     "<button type=\"submit\">Show</button></form>",
	     product ? product : "");
	html_raw(b, "<h2 id=\"exposed\">Open vulnerabilities by devices reached</h2>");
	if (!l.n) {
		html_raw(b, "<p id=\"no-exposure\">No open finding is on a version that a device "
			    "runs.</p>");
	} else {
		html_raw(b,
			 "<table id=\"fleet-vulns\" aria-labelledby=\"exposed\" "
			 "tabindex=\"0\"><thead><tr><th scope=\"col\">Vulnerability</th>"
			 "<th scope=\"col\">Severity</th><th scope=\"col\">Exploited</th>"
			 "<th scope=\"col\" class=\"num\">Devices</th>"
			 "<th scope=\"col\" class=\"num\">Versions</th>"
			 "<th scope=\"col\" class=\"num\">Open findings</th></tr></thead><tbody>");
		for (size_t i = 0; i < l.n; i++) {
			const struct fleet_vuln *x = &l.items[i];
			html_raw(b, "<tr><td><a href=\"/ui/fleet/exposure/");
			html_url(b, x->vuln_id);
			html(b, "\">%s</a></td>", x->vuln_id);
			severity_cell(b, x->severity);
			html(b,
			     "<td>%s</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
			     "<td class=\"num\">%lld</td></tr>",
			     x->kev ? "Yes (KEV)" : "No", (long long)x->devices,
			     (long long)x->versions, (long long)x->findings);
		}
		html_raw(b, "</tbody></table>");
	}
	html_raw(b, "<h2 id=\"versions\">Versions in the field</h2>");
	if (!v.n) {
		html_raw(b, "<p id=\"no-devices\">No device has checked in yet. Enrol devices with "
			    "<code>vigil device enroll --product P</code>.</p>");
	} else {
		versions_svg(b, &v);
		html_raw(b, "<table id=\"fleet-versions\" aria-labelledby=\"versions\" "
			    "tabindex=\"0\"><thead><tr><th scope=\"col\">Product</th>"
			    "<th scope=\"col\">Version</th><th scope=\"col\">Channel</th>"
			    "<th scope=\"col\" class=\"num\">Devices</th><th scope=\"col\">Last "
			    "check-in</th>"
			    "</tr></thead><tbody>");
		for (size_t i = 0; i < v.n; i++) {
			const struct fleet_row *r = &v.items[i];
			html(b,
			     "<tr><td>%s</td><td>%s%s</td><td>%s</td><td "
			     "class=\"num\">%lld</td><td>",
			     r->product, *r->version ? r->version : "(none)",
			     r->version_id ? "" : " (not a version of the product)",
			     *r->channel ? r->channel : "none", (long long)r->devices);
			html_time(b, r->last_seen, "never");
			html_raw(b, "</td></tr>");
		}
		html_raw(b, "</tbody></table>");
	}
	fleet_versions_release(&v);
	fleet_vuln_list_release(&l);
	return ui_page_end(resp);
}

static int exposure_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct fleet_exposure e;
	const char *vuln = http_param(req, "vuln");

	if (fleet_exposure(req->db, vuln, &e, &err)) {
		fleet_exposure_release(&e);
		return error_page(req, resp, &err);
	}
	ui_page_begin(req, resp, "Fleet exposure", "fleet");
	html(b,
	     "<p id=\"exposure-total\"><strong>%lld device(s)</strong> run one of %lld product "
	     "version(s) with an open finding of <a href=\"/ui/vulnerabilities/",
	     (long long)e.devices, (long long)e.versions);
	html_url(b, vuln);
	html(b, "\">%s</a>.</p>", vuln);
	if (!e.n) {
		html_raw(b, "<p>No open finding of this vulnerability: no product version is "
			    "affected.</p>");
	} else {
		html_raw(b, "<table id=\"exposure\" aria-label=\"Exposure by version\" "
			    "tabindex=\"0\"><thead><tr><th scope=\"col\">Product</th>"
			    "<th scope=\"col\">Version</th><th scope=\"col\">Channel</th>"
			    "<th scope=\"col\" class=\"num\">Devices</th>"
			    "<th scope=\"col\" class=\"num\">Open findings</th>"
			    "<th scope=\"col\">Last check-in</th></tr></thead><tbody>");
		for (size_t i = 0; i < e.n; i++) {
			const struct fleet_row *r = &e.items[i];
			html_raw(b, "<tr><td>");
			html(b, "%s</td><td><a href=\"/ui/findings?product=", r->product);
			html_url(b, r->product);
			html_raw(b, "&amp;version=");
			html_url(b, r->version);
			html_raw(b, "&amp;vuln=");
			html_url(b, vuln);
			html(b,
			     "\">%s</a></td><td>%s</td><td class=\"num\">%lld</td><td "
			     "class=\"num\">%lld</td><td>",
			     r->version, *r->channel ? r->channel : (r->devices ? "none" : "-"),
			     (long long)r->devices, (long long)r->findings);
			html_time(b, r->last_seen, "-");
			html_raw(b, "</td></tr>");
		}
		html_raw(b, "</tbody></table>");
	}
	html_raw(b, "<p><a href=\"/ui/fleet\">The fleet</a></p>");
	fleet_exposure_release(&e);
	return ui_page_end(resp);
}

const struct http_route fleet_routes[] = {
    {"GET", "/api/v1/fleet/exposure/{vuln}", ROLE_READ, 0, api_exposure,
     "Devices running a version affected by a vulnerability (an id or alias), by version and "
     "channel",
     "update"},
    {"GET", "/api/v1/fleet/versions", ROLE_READ, 0, api_versions,
     "Active devices by product version and channel (product)", "update"},
    {"GET", "/api/v1/fleet/vulnerabilities", ROLE_READ, 0, api_top,
     "Open vulnerabilities by the devices they reach (limit)", "update"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};

const struct http_route fleet_ui_routes[] = {
    {"GET", "/ui/fleet", ROLE_READ, HTTP_UI, fleet_page,
     "The fleet: versions in the field, open vulnerabilities by devices reached", "ui"},
    {"GET", "/ui/fleet/exposure/{vuln}", ROLE_READ, HTTP_UI, exposure_page,
     "One vulnerability's exposure by product version and channel", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
