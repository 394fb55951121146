/*
 * oncall_web.c - HTTP routes and pages of on-call paging and PSIRT
 * reachability: the API (who, pages, ack, drills, watched security.txt,
 * the PSIRT key), the public acknowledgement link /oncall/ack/{token}
 * (GET confirms, POST acknowledges; the token is the credential, so no login
 * and no CSRF token), and the pages /ui/oncall and /ui/reachability.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "core/log.h"
#include "http/http.h"
#include "http/ui.h"
#include "notify/notify.h"
#include "reach/oncall.h"
#include "reach/reach.h"
#include "reach/stpublish.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void esc(struct vg_buf *b, const char *s)
{
	vg_buf_add_html(b, s ? s : "");
}

static const char *str(const json_t *o, const char *k)
{
	const char *v = vg_json_str(o, k);
	return v ? v : "-";
}

/* ---- API ---- */

static int api_who(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *rows;
	if (oncall_who_json(req->db, vg_now(), &rows, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "rotations", rows));
}

static int api_pages(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	const char *lim = http_query(req, "limit");
	json_t *rows;
	if (oncall_pages_json(req->db, lim ? atoll(lim) : 100, &rows, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "pages", rows));
}

static int api_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id;
	json_t *p;
	if (vg_id_parse(http_param(req, "id"), "page id", &id, &err) ||
	    oncall_page_json(req->db, id, &p, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, p);
}

static int api_page_open(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b = http_body_json(req, resp), *p = NULL;
	int64_t id = 0;
	int created = 0, rc;
	if (!b)
		return VG_EPARSE;
	rc = oncall_page(req->db, vg_json_str(b, "policy"), vg_json_str(b, "summary"),
			 vg_json_str(b, "severity"), "api", vg_json_str(b, "dedup_key"), 0, &id,
			 &created, &err);
	json_decref(b);
	if (!rc)
		rc = oncall_page_json(req->db, id, &p, &err);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, created ? 201 : 200, p);
}

static int api_ack(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id;
	json_t *p;
	if (vg_id_parse(http_param(req, "id"), "page id", &id, &err) ||
	    oncall_ack(req->db, id, req->who.name, &err) || oncall_page_json(req->db, id, &p, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, p);
}

static int api_drills(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *rows;
	if (oncall_drills_json(req->db, &rows, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "drills", rows));
}

static int api_watches(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *rows;
	if (stwatch_list_json(req->db, 10, &rows, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "watches", rows));
}

static int api_pgp(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *o, *keys;
	int rc = pgp_status_json(req->db, NULL, NULL, &o, &err);
	/* no PSIRT key is a state to show, not a missing resource */
	if (rc == VG_ENOTFOUND)
		o = json_pack("{s:n, s:s}", "fingerprint", "problem", vg_error_msg(&err));
	else if (rc)
		return http_fail(resp, &err);
	if (pgp_keys_json(req->db, &keys, &err) == VG_OK)
		json_object_set_new(o, "history", keys);
	return http_json(resp, 200, o);
}

/* ---- the acknowledgement link ---- */

static int ack_page_begin(struct http_req *req, struct http_resp *resp, const char *title)
{
	ui_page_begin(req, resp, title, "");
	return VG_OK;
}

static void page_summary(struct vg_buf *b, const json_t *p)
{
	vg_buf_adds(b, "<dl class=\"card\" id=\"page-summary\"><dt>page</dt><dd>");
	vg_buf_addf(b, "%lld", (long long)vg_json_int(p, "id", 0));
	if (json_is_true(json_object_get(p, "drill")))
		vg_buf_adds(b, " <strong class=\"drill\">DRILL</strong>");
	vg_buf_adds(b, "</dd><dt>summary</dt><dd>");
	esc(b, vg_json_str(p, "summary"));
	vg_buf_adds(b, "</dd><dt>severity</dt><dd>");
	esc(b, vg_json_str(p, "severity"));
	vg_buf_adds(b, "</dd><dt>paged</dt><dd>");
	esc(b, vg_json_str(p, "created_at"));
	vg_buf_adds(b, "</dd><dt>status</dt><dd id=\"page-status\">");
	esc(b, vg_json_str(p, "status"));
	vg_buf_adds(b, "</dd></dl>");
}

static int ack_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_buf *b = &resp->body;
	json_t *p = NULL;
	const char *token = http_param(req, "token");

	if (oncall_token_page_json(req->db, token, &p, &err)) {
		ack_page_begin(req, resp, "Acknowledge a page");
		resp->status = 404;
		vg_buf_adds(b, "<p class=\"error\" role=\"alert\">This acknowledgement link is not "
			       "known.</p>");
		return ui_page_end(resp);
	}
	ack_page_begin(req, resp, "Acknowledge a page");
	page_summary(b, p);
	if (strcmp(vg_json_str(p, "status"), "acknowledged") == 0) {
		vg_buf_adds(b, "<p id=\"ack-done\">Already acknowledged by ");
		esc(b, vg_json_str(p, "acknowledged_by"));
		vg_buf_adds(b, " at ");
		esc(b, vg_json_str(p, "acknowledged_at"));
		vg_buf_adds(b, ".</p>");
	} else {
		vg_buf_adds(b, "<form method=\"post\" action=\"/oncall/ack/");
		esc(b, token);
		vg_buf_adds(b,
			    "\" id=\"ack-form\"><p>Acknowledging stops the escalation: you take "
			    "this page.</p><button type=\"submit\" id=\"ack\">Acknowledge</button>"
			    "</form>");
	}
	json_decref(p);
	return ui_page_end(resp);
}

static int ack_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_buf *b = &resp->body;
	json_t *p = NULL;
	int64_t id = 0;
	int rc = oncall_ack_token(req->db, http_param(req, "token"), &id, &err);

	ack_page_begin(req, resp, "Acknowledge a page");
	if (rc) {
		resp->status = vg_code_http_status(rc);
		vg_buf_adds(b, "<p class=\"error\" role=\"alert\" id=\"ack-error\">");
		esc(b, rc == VG_ENOTFOUND ? "This acknowledgement link is not known."
					  : vg_error_msg(&err));
		vg_buf_adds(b, "</p>");
		return ui_page_end(resp);
	}
	if (oncall_page_json(req->db, id, &p, &err) == VG_OK)
		page_summary(b, p);
	json_decref(p);
	vg_buf_adds(b, "<p id=\"ack-done\" role=\"status\">Acknowledged. The escalation has "
		       "stopped.</p>");
	return ui_page_end(resp);
}

/* ---- pages ---- */

static int oncall_ui(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_buf *b = &resp->body;
	json_t *who = NULL, *pages = NULL, *drills = NULL, *pol = NULL, *r;
	size_t i;
	int psirt = req->who.role & (ROLE_ADMIN | ROLE_PSIRT);

	if (oncall_who_json(req->db, vg_now(), &who, &err) ||
	    oncall_pages_json(req->db, 50, &pages, &err) ||
	    oncall_drills_json(req->db, &drills, &err) ||
	    oncall_policies_json(req->db, &pol, &err)) {
		json_decref(who);
		json_decref(pages);
		json_decref(drills);
		ui_page_begin(req, resp, "On call", "");
		resp->status = vg_code_http_status(err.code);
		vg_buf_adds(b, "<p class=\"error\" role=\"alert\">");
		esc(b, vg_error_msg(&err));
		vg_buf_adds(b, "</p>");
		return ui_page_end(resp);
	}
	ui_page_begin(req, resp, "On call", "");
	vg_buf_adds(b, "<h2>Rota</h2><table id=\"rota\"><thead><tr><th>rotation</th><th>on call "
		       "now</th><th>since</th><th>until</th><th>next</th><th>time zone</th>"
		       "</tr></thead><tbody>");
	json_array_foreach(who, i, r)
	{
		vg_buf_adds(b, "<tr><td>");
		esc(b, str(r, "rotation"));
		vg_buf_adds(b, "</td><td class=\"on-call\">");
		esc(b, str(r, "on_call"));
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "since"));
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "until"));
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "next"));
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "tz"));
		vg_buf_adds(b, "</td></tr>");
	}
	if (!json_array_size(who))
		vg_buf_adds(b, "<tr><td colspan=\"6\">No rotations yet.</td></tr>");
	vg_buf_adds(b, "</tbody></table>");

	vg_buf_adds(b, "<h2>Escalation policies</h2><ul id=\"policies\">");
	json_array_foreach(pol, i, r)
	{
		json_t *lv;
		size_t j;
		vg_buf_adds(b, "<li><strong>");
		esc(b, str(r, "name"));
		vg_buf_addf(
		    b, "</strong> (repeat %lld): ", (long long)vg_json_int(r, "repeat_limit", 0));
		json_array_foreach(json_object_get(r, "levels"), j, lv)
		{
			vg_buf_addf(b, "%s%zu. ", j ? "; " : "", j + 1);
			esc(b, str(lv, "kind"));
			vg_buf_adds(b, " ");
			esc(b, str(lv, "target"));
			vg_buf_adds(b, " via ");
			esc(b, str(lv, "channel"));
			vg_buf_addf(b, ", wait %lld min",
				    (long long)vg_json_int(lv, "after_minutes", 0));
		}
		vg_buf_adds(b, "</li>");
	}
	vg_buf_adds(b, "</ul>");

	vg_buf_adds(b, "<h2>Pages</h2><table id=\"pages\"><thead><tr><th>id</th><th>summary</th>"
		       "<th>severity</th><th>status</th><th>level</th><th>paged</th>"
		       "<th>acknowledged</th><th></th></tr></thead><tbody>");
	json_array_foreach(pages, i, r)
	{
		const char *st = str(r, "status");
		vg_buf_addf(b, "<tr id=\"page-%lld\"><td>%lld</td><td>",
			    (long long)vg_json_int(r, "id", 0), (long long)vg_json_int(r, "id", 0));
		if (json_is_true(json_object_get(r, "drill")))
			vg_buf_adds(b, "<strong>DRILL</strong> ");
		esc(b, str(r, "summary"));
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "severity"));
		vg_buf_adds(b, "</td><td class=\"status\">");
		esc(b, st);
		vg_buf_addf(b, "</td><td>%lld/%lld</td><td>", (long long)vg_json_int(r, "level", 0),
			    (long long)vg_json_int(r, "round", 0));
		esc(b, str(r, "created_at"));
		vg_buf_adds(b, "</td><td>");
		if (vg_json_str(r, "acknowledged_by")) {
			esc(b, str(r, "acknowledged_by"));
			vg_buf_adds(b, " ");
			esc(b, str(r, "acknowledged_at"));
		}
		vg_buf_adds(b, "</td><td>");
		if (psirt && strcmp(st, "acknowledged") != 0) {
			vg_buf_addf(b,
				    "<form method=\"post\" action=\"/ui/oncall/pages/%lld/ack\">",
				    (long long)vg_json_int(r, "id", 0));
			ui_csrf_field(req, resp);
			vg_buf_adds(b, "<button type=\"submit\">Acknowledge</button></form>");
		}
		vg_buf_adds(b, "</td></tr>");
	}
	if (!json_array_size(pages))
		vg_buf_adds(b, "<tr><td colspan=\"8\">No pages.</td></tr>");
	vg_buf_adds(b, "</tbody></table>");

	vg_buf_adds(b, "<h2>Drills</h2><p>A drill passes when acknowledged within 30 minutes; "
		       "one should pass every quarter.</p><table id=\"drills\"><thead><tr>"
		       "<th>id</th><th>started</th><th>result</th><th>time to acknowledge</th>"
		       "<th>level</th><th>by</th></tr></thead><tbody>");
	json_array_foreach(drills, i, r)
	{
		json_t *sec = json_object_get(r, "ack_seconds");
		vg_buf_addf(b, "<tr><td>%lld</td><td>", (long long)vg_json_int(r, "id", 0));
		esc(b, str(r, "started_at"));
		vg_buf_adds(b, "</td><td class=\"result\">");
		esc(b, str(r, "result"));
		vg_buf_adds(b, "</td><td>");
		if (json_is_integer(sec))
			vg_buf_addf(b, "%lld min %lld s", (long long)json_integer_value(sec) / 60,
				    (long long)json_integer_value(sec) % 60);
		vg_buf_adds(b, "</td><td>");
		if (json_is_integer(json_object_get(r, "ack_level")))
			vg_buf_addf(b, "%lld", (long long)vg_json_int(r, "ack_level", 0));
		vg_buf_adds(b, "</td><td>");
		if (json_is_integer(sec))
			esc(b, str(r, "acknowledged_by"));
		vg_buf_adds(b, "</td></tr>");
	}
	if (!json_array_size(drills))
		vg_buf_adds(b, "<tr><td colspan=\"6\">No drills yet.</td></tr>");
	vg_buf_adds(b, "</tbody></table>");
	json_decref(who);
	json_decref(pages);
	json_decref(drills);
	json_decref(pol);
	return ui_page_end(resp);
}

static int oncall_ui_ack(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id;
	if (vg_id_parse(http_param(req, "id"), "page id", &id, &err) ||
	    oncall_ack(req->db, id, req->who.name, &err)) {
		ui_page_begin(req, resp, "On call", "");
		resp->status = vg_code_http_status(err.code);
		vg_buf_adds(&resp->body, "<p class=\"error\" role=\"alert\">");
		esc(&resp->body, vg_error_msg(&err));
		vg_buf_adds(&resp->body, "</p><p><a href=\"/ui/oncall\">Back</a></p>");
		return ui_page_end(resp);
	}
	return http_redirect(resp, "/ui/oncall");
}

static int reach_ui(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0}, kerr = {0};
	struct vg_buf *b = &resp->body;
	json_t *w = NULL, *key = NULL, *probes = NULL, *r, *c;
	size_t i, j;

	if (stwatch_list_json(req->db, 10, &w, &err) || stprobe_list_json(req->db, &probes, &err)) {
		json_decref(w);
		ui_page_begin(req, resp, "Reachability", "");
		resp->status = vg_code_http_status(err.code);
		vg_buf_adds(b, "<p class=\"error\" role=\"alert\">");
		esc(b, vg_error_msg(&err));
		vg_buf_adds(b, "</p>");
		return ui_page_end(resp);
	}
	ui_page_begin(req, resp, "Reachability", "");
	vg_buf_adds(b, "<h2>security.txt</h2>");
	json_array_foreach(w, i, r)
	{
		vg_buf_adds(b, "<section class=\"card watch\"><h3>");
		esc(b, str(r, "url"));
		vg_buf_adds(b,
			    "</h3><table><thead><tr><th>checked</th><th>status</th><th>errors</th>"
			    "<th>warnings</th><th>expires</th></tr></thead><tbody>");
		json_array_foreach(json_object_get(r, "checks"), j, c)
		{
			vg_buf_adds(b, "<tr><td>");
			esc(b, str(c, "checked_at"));
			vg_buf_adds(b, "</td><td class=\"status\">");
			esc(b, str(c, "status"));
			vg_buf_addf(b, "</td><td>%lld</td><td>%lld</td><td>",
				    (long long)vg_json_int(c, "errors", 0),
				    (long long)vg_json_int(c, "warnings", 0));
			esc(b, str(c, "expires_at"));
			vg_buf_adds(b, "</td></tr>");
		}
		if (!json_array_size(json_object_get(r, "checks")))
			vg_buf_adds(b, "<tr><td colspan=\"5\">Not checked yet.</td></tr>");
		vg_buf_adds(b, "</tbody></table></section>");
	}
	if (!json_array_size(w))
		vg_buf_adds(b, "<p>No watched security.txt (vigil securitytxt watch add URL).</p>");

	vg_buf_adds(b, "<h2>Contact probes</h2><table id=\"probes\"><thead><tr><th>contact</th>"
		       "<th>status</th><th>sent</th><th>confirmed</th></tr></thead><tbody>");
	json_array_foreach(probes, i, r)
	{
		vg_buf_adds(b, "<tr><td>");
		esc(b, str(r, "contact"));
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "status"));
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "sent_at"));
		vg_buf_adds(b, "</td><td>");
		esc(b, str(r, "confirmed_at"));
		vg_buf_adds(b, "</td></tr>");
	}
	vg_buf_adds(b, "</tbody></table>");

	/* the key page does not fetch the Encryption URI: a slow server must not
	 * slow this page; `vigil pgp status` and the API do */
	vg_buf_adds(b, "<h2>PSIRT OpenPGP key</h2>");
	if (pgp_status_json(req->db, "", NULL, &key, &kerr) == VG_OK) {
		vg_buf_adds(b, "<dl class=\"card\" id=\"pgp-key\"><dt>fingerprint</dt><dd><code>");
		esc(b, str(key, "fingerprint"));
		vg_buf_adds(b, "</code></dd><dt>algorithm</dt><dd>");
		esc(b, str(key, "algorithm"));
		vg_buf_addf(b, ", %lld bits%s</dd><dt>expires</dt><dd>",
			    (long long)vg_json_int(key, "bits", 0),
			    json_is_true(json_object_get(key, "weak")) ? " <strong>weak</strong>"
								       : "");
		esc(b, vg_json_str(key, "expires") ? vg_json_str(key, "expires") : "never");
		if (json_is_true(json_object_get(key, "expiring")))
			vg_buf_adds(b, " <strong>within 60 days</strong>");
		vg_buf_adds(b, "</dd></dl>");
	} else {
		vg_buf_adds(b, "<p class=\"error\">");
		esc(b, vg_error_msg(&kerr));
		vg_buf_adds(b, "</p>");
	}
	json_decref(key);
	key = NULL;
	vg_error_clear(&kerr);
	if (pgp_keys_json(req->db, &key, &kerr) == VG_OK && json_array_size(key)) {
		vg_buf_adds(b,
			    "<table id=\"pgp-keys\"><thead><tr><th>fingerprint</th><th>state</th>"
			    "<th>algorithm</th><th>expires</th><th>cross-signed</th>"
			    "<th>published</th></tr></thead><tbody>");
		json_array_foreach(key, i, r)
		{
			vg_buf_adds(b, "<tr><td><code>");
			esc(b, str(r, "fingerprint"));
			vg_buf_adds(b, "</code></td><td>");
			esc(b, str(r, "state"));
			vg_buf_addf(b, "</td><td>%lld bits</td><td>",
				    (long long)vg_json_int(r, "bits", 0));
			esc(b, str(r, "expires_at"));
			vg_buf_addf(b, "</td><td>%s</td><td>",
				    json_is_true(json_object_get(r, "cross_signed")) ? "yes" : "");
			esc(b, str(r, "published_at"));
			vg_buf_adds(b, "</td></tr>");
		}
		vg_buf_adds(b, "</tbody></table>");
	} else {
		vg_buf_adds(b,
			    "<p>No key rotation recorded yet; <code>vigil pgp status</code> shows "
			    "the key in use.</p>");
	}
	json_decref(key);
	json_decref(w);
	json_decref(probes);
	return ui_page_end(resp);
}

/* GET /.well-known/security.txt: the published file (RFC 9116 3), made on
 * first use when the job has not run yet or the file expired. */
static int securitytxt_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char *body = NULL;
	json_t *meta = NULL;
	int changed = 0, rc;
	const char *exp;
	int64_t expires = 0;

	rc = stpublish_current(req->db, &body, &meta, &err);
	exp = meta ? json_string_value(json_object_get(meta, "expires_at")) : NULL;
	if (!rc && (!exp || vg_time_parse(exp, &expires, NULL) || expires <= vg_now())) {
		free(body);
		body = NULL;
		json_decref(meta);
		meta = NULL;
		rc = VG_ENOTFOUND;
	}
	if (rc) {
		vg_error_clear(&err);
		if (stpublish_refresh(req->db, 0, &changed, &err) ||
		    stpublish_current(req->db, &body, &meta, &err)) {
			vg_warn("security.txt: %s", vg_error_msg(&err));
			static const char none[] = "No security.txt is published here.\n";
			return http_text(resp, 404, "text/plain; charset=utf-8", none,
					 sizeof(none) - 1);
		}
	}
	http_set_header(resp, "Cache-Control", "max-age=3600");
	rc = http_text(resp, 200, "text/plain; charset=utf-8", body, strlen(body));
	free(body);
	json_decref(meta);
	return rc;
}

/* GET /security.txt: the legacy location redirects (RFC 9116 3). */
static int securitytxt_legacy(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	http_redirect(resp, "/.well-known/security.txt");
	resp->status = 301;
	return VG_OK;
}

/* GET /api/v1/securitytxt/published: the record of the published file. */
static int api_published(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *meta = NULL;
	if (stpublish_current(req->db, NULL, &meta, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, meta);
}

/* clang-format off */
const struct http_route oncall_routes[] = {
    {"GET", "/api/v1/oncall/who", ROLE_READ, 0, api_who, "Who is on call now, per rotation", "psirt"},
    {"GET", "/api/v1/oncall/pages", ROLE_READ, 0, api_pages, "Pages, newest first", "psirt"},
    {"POST", "/api/v1/oncall/pages", ROLE_ADMIN | ROLE_PSIRT, 0, api_page_open, "Page the on-call (summary, severity, policy)", "psirt"},
    {"GET", "/api/v1/oncall/pages/{id}", ROLE_READ, 0, api_page, "One page with its notifications", "psirt"},
    {"POST", "/api/v1/oncall/pages/{id}/ack", ROLE_ADMIN | ROLE_PSIRT, 0, api_ack, "Acknowledge a page", "psirt"},
    {"GET", "/api/v1/oncall/drills", ROLE_READ, 0, api_drills, "On-call drills and their results", "psirt"},
    {"GET", "/api/v1/securitytxt/watches", ROLE_READ, 0, api_watches, "Watched security.txt URLs and their checks", "psirt"},
    {"GET", "/api/v1/pgp/status", ROLE_READ, 0, api_pgp, "The PSIRT OpenPGP key status", "psirt"},
    {"GET", "/oncall/ack/{token}", ROLE_PUBLIC, HTTP_UI, ack_get, "Acknowledgement link: confirm page", "psirt"},
    {"POST", "/oncall/ack/{token}", ROLE_PUBLIC, HTTP_UI | HTTP_NO_CSRF, ack_post, "Acknowledgement link: acknowledge", "psirt"},
    {"GET", "/ui/oncall", ROLE_READ, HTTP_UI, oncall_ui, "On-call page: rota, pages, drills", "ui"},
    {"POST", "/ui/oncall/pages/{id}/ack", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, oncall_ui_ack, "Acknowledge a page (form)", "ui"},
    {"GET", "/.well-known/security.txt", ROLE_PUBLIC, 0, securitytxt_get, "The published security.txt (RFC 9116)", "psirt"},
    {"GET", "/security.txt", ROLE_PUBLIC, HTTP_HIDDEN, securitytxt_legacy, "Legacy location: redirects to /.well-known/security.txt", "psirt"},
    {"GET", "/api/v1/securitytxt/published", ROLE_READ, 0, api_published, "The published security.txt's record (hash, expiry, signer)", "psirt"},
    {"GET", "/ui/reachability", ROLE_READ, HTTP_UI, reach_ui, "security.txt checks, contact probes, PSIRT key", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
