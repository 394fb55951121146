/*
 * ui.c - the web shell: login and logout, the layout with navigation for
 * every room, the home page, the evidence (audit trail) page, and the
 * embedded static assets.
 */
#define _POSIX_C_SOURCE 200809L
#include "http/ui.h"
#include "audit/audit.h"
#include "core/asset.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *key;
	const char *label;
	const char *path;
} nav[] = {
    {"products", "Products", "/ui/products"}, {"findings", "Findings", "/ui/findings"},
    {"cases", "Cases", "/ui/cases"},          {"releases", "Releases", "/ui/releases"},
    {"evidence", "Evidence", "/ui/evidence"},
};

static int route_exists(const char *path)
{
	for (int t = 0; http_route_tables[t]; t++)
		for (const struct http_route *r = http_route_tables[t]; r->method; r++)
			if (strcmp(r->method, "GET") == 0 && strcmp(r->pattern, path) == 0)
				return 1;
	return 0;
}

int ui_csrf_field(struct http_req *req, struct http_resp *resp)
{
	vg_buf_adds(&resp->body, "<input type=\"hidden\" name=\"csrf\" value=\"");
	vg_buf_add_html(&resp->body, req->who.csrf);
	return vg_buf_adds(&resp->body, "\">");
}

static void head(struct vg_buf *b, const char *title)
{
	vg_buf_adds(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		       "<title>");
	vg_buf_add_html(b, title);
	vg_buf_adds(b, " - vigil</title><link rel=\"icon\" href=\"data:,\">"
		       "<link rel=\"stylesheet\" href=\"/static/app.css\">"
		       "<script src=\"/static/app.js\" defer></script></head>\n");
}

int ui_page_begin(struct http_req *req, struct http_resp *resp, const char *title,
		  const char *active)
{
	struct vg_buf *b = &resp->body;

	resp->status = 200;
	resp->ctype = "text/html; charset=utf-8";
	vg_buf_reset(b);
	head(b, title);
	vg_buf_adds(b, "<body><header class=\"top\"><a class=\"brand\" href=\"/ui/\">vigil</a>"
		       "<nav aria-label=\"Rooms\"><ul>");
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		int on = active && strcmp(active, nav[i].key) == 0;
		if (route_exists(nav[i].path))
			vg_buf_addf(b, "<li><a href=\"%s\"%s>%s</a></li>", nav[i].path,
				    on ? " aria-current=\"page\"" : "", nav[i].label);
		else
			vg_buf_addf(b,
				    "<li><span class=\"soon\" aria-disabled=\"true\" "
				    "title=\"not available yet\">%s</span></li>",
				    nav[i].label);
	}
	vg_buf_adds(b, "</ul></nav><div class=\"who\"><span class=\"user\">");
	vg_buf_add_html(b, req->who.name);
	vg_buf_adds(b, "</span> <span class=\"role\">");
	vg_buf_add_html(b, auth_role_name(req->who.role));
	vg_buf_adds(b, "</span>");
	if (req->who.via_session) {
		vg_buf_adds(b, "<form method=\"post\" action=\"/ui/logout\" class=\"inline\">");
		ui_csrf_field(req, resp);
		vg_buf_adds(b, "<button type=\"submit\" id=\"logout\">Log out</button></form>");
	}
	vg_buf_adds(b, "</div></header>\n<main id=\"main\"><h1>");
	vg_buf_add_html(b, title);
	return vg_buf_adds(b, "</h1>\n");
}

int ui_page_end(struct http_resp *resp)
{
	return vg_buf_adds(&resp->body, "</main>\n<footer>vigil " VIGIL_VERSION
					" &middot; EU Cyber Resilience Act operations</footer>"
					"</body></html>\n");
}

/* ---- login / logout ---- */

static void login_page(struct http_resp *resp, const char *message, const char *user)
{
	struct vg_buf *b = &resp->body;
	char tok[64];

	vg_random_token(tok, sizeof(tok), 24);
	resp->ctype = "text/html; charset=utf-8";
	vg_buf_reset(b);
	head(b, "Log in");
	vg_buf_adds(b,
		    "<body class=\"login\"><main id=\"main\"><h1>vigil</h1>"
		    "<form method=\"post\" action=\"/ui/login\" class=\"card\" id=\"login-form\">");
	if (message) {
		vg_buf_adds(b, "<p class=\"error\" role=\"alert\">");
		vg_buf_add_html(b, message);
		vg_buf_adds(b, "</p>");
	}
	vg_buf_addf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", tok);
	vg_buf_adds(b,
		    "<label>User name <input name=\"user\" id=\"user\" autocomplete=\"username\" "
		    "required maxlength=\"64\" value=\"");
	vg_buf_add_html(b, user ? user : "");
	vg_buf_adds(b, "\"></label><label>Password <input type=\"password\" name=\"password\" "
		       "id=\"password\" autocomplete=\"current-password\" required "
		       "maxlength=\"1024\"></label><button type=\"submit\" id=\"login\">Log "
		       "in</button></form></main></body></html>\n");
	{
		char cookie[160];
		snprintf(cookie, sizeof(cookie),
			 "vigil_login=%s; Path=/ui/login; HttpOnly; SameSite=Strict%s", tok,
			 vg_config_int("server.secure_cookies", 0) ? "; Secure" : "");
		http_set_header(resp, "Set-Cookie", cookie);
	}
}

static int login_get(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	resp->status = 200;
	login_page(resp, NULL, NULL);
	return VG_OK;
}

static int login_post(struct http_req *req, struct http_resp *resp)
{
	char user[80], pw[1100], csrf[96], sid[96];
	const char *cookie = http_cookie(req, "vigil_login");
	struct auth_principal p;
	struct vg_error err = {0};
	int rc;

	if (http_form(req, "csrf", csrf, sizeof(csrf)) || !cookie || !vg_ct_streq(csrf, cookie)) {
		resp->status = 400;
		login_page(resp, "The form expired or was replayed; please log in again.", NULL);
		return VG_OK;
	}
	if (http_form(req, "user", user, sizeof(user)) ||
	    http_form(req, "password", pw, sizeof(pw))) {
		resp->status = 400;
		login_page(resp, "Enter a user name and a password.", NULL);
		return VG_OK;
	}
	rc = auth_login(req->db, user, pw, req->remote, &p, &err);
	vg_wipe(pw, sizeof(pw));
	if (rc) {
		resp->status = rc == VG_ERATE ? 429 : 401;
		login_page(resp, vg_error_msg(&err), user);
		return VG_OK;
	}
	if (auth_session_create(req->db, &p, req->remote, sid, sizeof(sid), &err)) {
		resp->status = 500;
		login_page(resp, "Could not start a session.", user);
		return VG_OK;
	}
	{
		char c[200];
		snprintf(c, sizeof(c), "vigil_session=%s; Path=/; HttpOnly; SameSite=Strict%s", sid,
			 vg_config_int("server.secure_cookies", 0) ? "; Secure" : "");
		http_set_header(resp, "Set-Cookie", c);
	}
	vg_wipe(sid, sizeof(sid));
	return http_redirect(resp, "/ui/");
}

static int logout_post(struct http_req *req, struct http_resp *resp)
{
	if (req->session_id[0])
		auth_session_delete(req->db, req->session_id, NULL);
	store_audit(req->db, "auth.logout", "user", req->who.name, NULL, NULL, NULL);
	http_set_header(resp, "Set-Cookie",
			"vigil_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	return http_redirect(resp, "/ui/login");
}

/* ---- pages ---- */

static int home(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	int64_t n = 0;
	int ver = 0;

	store_query_int64(req->db, &n, NULL, "SELECT COUNT(*) FROM audit_log", NULL);
	store_schema_version(req->db, &ver, NULL);
	ui_page_begin(req, resp, "Overview", "");
	vg_buf_adds(b, "<section class=\"cards\">");
	vg_buf_addf(b,
		    "<div class=\"card\"><h2>Audit trail</h2><p><span class=\"big\" "
		    "id=\"audit-count\">%lld</span> records, hash-chained.</p>"
		    "<p><a href=\"/ui/evidence\">Open the evidence room</a></p></div>",
		    (long long)n);
	vg_buf_addf(b, "<div class=\"card\"><h2>Database</h2><p>%s, schema version %d.</p></div>",
		    store_kind(req->db) == STORE_PG ? "PostgreSQL" : "SQLite", ver);
	vg_buf_adds(b, "<div class=\"card\"><h2>Article 14</h2><p>Early warning within 24 hours "
		       "and notification within 72 hours of becoming aware of an actively "
		       "exploited vulnerability (applies since 11 September 2026).</p></div>");
	vg_buf_adds(b, "<div class=\"card\" id=\"reachability\"><h2>PSIRT reachability</h2>"
		       "<ul><li><a href=\"/ui/oncall\">On-call rota, pages and drills</a></li>"
		       "<li><a href=\"/ui/reachability\">security.txt checks and the PSIRT "
		       "key</a></li><li><a href=\"/.well-known/security.txt\">Our published "
		       "security.txt</a></li><li><a href=\"/report\">Public vulnerability "
		       "report form</a></li></ul></div>");
	vg_buf_adds(b, "</section>");
	return ui_page_end(resp);
}

static int evidence(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct audit_filter f = {0};
	struct vg_error err = {0};
	int64_t count = 0, bad = 0, total = 0;
	json_t *rows = NULL, *r;
	size_t i;
	int vr;

	vr = audit_verify(req->db, &count, &bad, &err);
	store_query_int64(req->db, &total, NULL, "SELECT COALESCE(MAX(seq), 0) FROM audit_log",
			  NULL);
	f.after_seq = total > 200 ? total - 200 : 0;
	audit_query(req->db, &f, &rows, NULL);
	ui_page_begin(req, resp, "Evidence", "evidence");
	if (vr == VG_OK)
		vg_buf_addf(b,
			    "<p class=\"ok\" id=\"chain-status\">Audit chain intact: %lld records "
			    "verified.</p>",
			    (long long)count);
	else {
		vg_buf_adds(b, "<p class=\"error\" id=\"chain-status\" role=\"alert\">");
		vg_buf_add_html(b, vg_error_msg(&err));
		vg_buf_adds(b, "</p>");
	}
	vg_buf_adds(b, "<h2>Latest records</h2><table id=\"audit\"><thead><tr><th>#</th>"
		       "<th>time (UTC)</th><th>actor</th><th>from</th><th>action</th>"
		       "<th>object</th><th>after</th></tr></thead><tbody>");
	for (i = json_array_size(rows); i-- > 0;) {
		char *after;
		r = json_array_get(rows, i);
		after = json_dumps(json_object_get(r, "after"), JSON_ENCODE_ANY | JSON_COMPACT);
		vg_buf_addf(b, "<tr><td>%lld</td><td>",
			    (long long)json_integer_value(json_object_get(r, "seq")));
		vg_buf_add_html(b, vg_json_str(r, "at"));
		vg_buf_adds(b, "</td><td>");
		vg_buf_add_html(b, vg_json_str(r, "actor"));
		vg_buf_adds(b, "</td><td>");
		vg_buf_add_html(b, vg_json_str(r, "remote"));
		vg_buf_adds(b, "</td><td>");
		vg_buf_add_html(b, vg_json_str(r, "action"));
		vg_buf_adds(b, "</td><td>");
		vg_buf_add_html(b, vg_json_str(r, "object_type"));
		vg_buf_adds(b, ":");
		vg_buf_add_html(b, vg_json_str(r, "object_id"));
		vg_buf_adds(b, "</td><td><code>");
		vg_buf_add_html(b, after ? after : "");
		vg_buf_adds(b, "</code></td></tr>");
		free(after);
	}
	vg_buf_adds(b, "</tbody></table>");
	json_decref(rows);
	return ui_page_end(resp);
}

static int root(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	return http_redirect(resp, "/ui/");
}

static int static_file(struct http_req *req, struct http_resp *resp)
{
	const char *name = http_param(req, "file");
	const struct vg_asset *a =
	    name ? vg_asset_find(vg_web_assets, vg_web_assets_count, name) : NULL;
	const char *ct = "application/octet-stream";
	size_t n;

	if (!a)
		return http_error(resp, VG_ENOTFOUND, "no such asset");
	n = strlen(a->path);
	if (n > 4 && strcmp(a->path + n - 4, ".css") == 0)
		ct = "text/css; charset=utf-8";
	else if (n > 3 && strcmp(a->path + n - 3, ".js") == 0)
		ct = "text/javascript; charset=utf-8";
	else if (n > 4 && strcmp(a->path + n - 4, ".svg") == 0)
		ct = "image/svg+xml";
	return http_text(resp, 200, ct, (const char *)a->data, a->len);
}

/* GET /favicon.ico: browsers ask for it on pages that are not ours (text/plain
 * security.txt); the embedded SVG answers. */
static int favicon(struct http_req *req, struct http_resp *resp)
{
	const struct vg_asset *a = vg_asset_find(vg_web_assets, vg_web_assets_count, "favicon.svg");
	(void)req;
	if (!a)
		return http_error(resp, VG_ENOTFOUND, "no such asset");
	http_set_header(resp, "Cache-Control", "max-age=86400");
	return http_text(resp, 200, "image/svg+xml", (const char *)a->data, a->len);
}

const struct http_route ui_routes[] = {
    {"GET", "/", ROLE_PUBLIC, HTTP_HIDDEN, root, "Redirect to the web UI", "ui"},
    {"GET", "/static/{file}", ROLE_PUBLIC, HTTP_HIDDEN, static_file, "Embedded web assets", "ui"},
    {"GET", "/favicon.ico", ROLE_PUBLIC, HTTP_HIDDEN, favicon, "The site icon (SVG)", "ui"},
    {"GET", "/ui/login", ROLE_PUBLIC, HTTP_UI, login_get, "Login page", "ui"},
    {"POST", "/ui/login", ROLE_PUBLIC, HTTP_UI | HTTP_NO_CSRF, login_post,
     "Log in (form: user, password, csrf)", "ui"},
    {"POST", "/ui/logout", ROLE_ANY, HTTP_UI, logout_post, "Log out", "ui"},
    {"GET", "/ui/", ROLE_ANY, HTTP_UI, home, "Overview page", "ui"},
    {"GET", "/ui/evidence", ROLE_READ, HTTP_UI, evidence, "Evidence: the audit trail", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
