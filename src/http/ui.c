/*
 * ui.c - the web shell: the document head, the layout with the navigation
 * bar the program gives the server, the root redirect, and the embedded
 * static assets. Rooms draw their pages inside it (http/ui.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "http/ui.h"
#include "core/asset.h"
#include "core/error.h"
#include "http/html.h"

#include <string.h>

#include "core/banned.h"

static int route_exists(const char *path)
{
	const struct http_route *const *tables = http_routes();
	for (int t = 0; tables && tables[t]; t++)
		for (const struct http_route *r = tables[t]; r->method; r++)
			if (strcmp(r->method, "GET") == 0 && strcmp(r->pattern, path) == 0)
				return 1;
	return 0;
}

int ui_csrf_field(struct http_req *req, struct http_resp *resp)
{
	return html(&resp->body, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
		    req->who.csrf);
}

int ui_head(struct vg_buf *b, const char *title)
{
	return html(b,
		    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>%s - vigil</title><link rel=\"icon\" href=\"data:,\">"
		    "<link rel=\"stylesheet\" href=\"/static/app.css\">"
		    "<script src=\"/static/app.js\" defer></script></head>\n",
		    title);
}

int ui_page_begin(struct http_req *req, struct http_resp *resp, const char *title,
		  const char *active)
{
	struct vg_buf *b = &resp->body;

	resp->status = 200;
	resp->ctype = "text/html; charset=utf-8";
	vg_buf_reset(b);
	ui_head(b, title);
	html_raw(b, "<body><header class=\"top\"><a class=\"brand\" href=\"/ui/\">vigil</a>"
		    "<nav aria-label=\"Rooms\"><ul>");
	for (const struct http_nav_item *n = http_nav(); n && n->key; n++) {
		if (!route_exists(n->path))
			html(b,
			     "<li><span class=\"soon\" aria-disabled=\"true\" "
			     "title=\"not available yet\">%s</span></li>",
			     n->label);
		else if (active && strcmp(active, n->key) == 0)
			html(b, "<li><a href=\"%s\" aria-current=\"page\">%s</a></li>", n->path,
			     n->label);
		else
			html(b, "<li><a href=\"%s\">%s</a></li>", n->path, n->label);
	}
	html(b,
	     "</ul></nav><div class=\"who\"><span class=\"user\">%s</span> <span "
	     "class=\"role\">%s</span>",
	     req->who.name, vg_role_name(req->who.role));
	if (req->who.via_session) {
		html_raw(b, "<form method=\"post\" action=\"/ui/logout\" class=\"inline\">");
		ui_csrf_field(req, resp);
		html_raw(b, "<button type=\"submit\" id=\"logout\">Log out</button></form>");
	}
	return html(b, "</div></header>\n<main id=\"main\"><h1>%s</h1>\n", title);
}

int ui_page_end(struct http_resp *resp)
{
	return html_raw(&resp->body, "</main>\n<footer>vigil " VIGIL_VERSION
				     " &middot; EU Cyber Resilience Act operations</footer>"
				     "</body></html>\n");
}

/*
 * The one table of banners a page shows after a redirect. A redirect names
 * a code (?error=csrf, ?done=ack), never text: text in a URL would let
 * anyone who can send a link put words on our pages ("Session expired, log
 * in at https://evil.example"). An unknown code shows nothing.
 */
static const struct {
	const char *page;  /* the page that shows it (ui_flash), "" for every page */
	const char *param; /* "error": an alert; "done": a confirmation */
	const char *code;
	const char *text;
} messages[] = {
    /* any page */
    {"", "error", "csrf", "The form expired; reload the page and try again."},
    {"", "error", "invalid", "The form was not accepted; check the values and try again."},
    {"", "error", "failed", "The change could not be saved; please try again later."},
    {"", "done", "saved", "Saved."},
    /* the findings queue and a finding's page */
    {"findings", "error", "transition",
     "That state change is not allowed from the finding's current state; the list offers the "
     "states it may move to."},
    {"findings", "error", "justification",
     "State not_affected needs a justification: choose one from the list."},
    {"findings", "error", "assignee", "No such user: assign the finding to a user of vigil."},
    {"findings", "error", "finding", "No such finding."},
    {"findings", "error", "comment", "The comment is too long: at most 4000 characters."},
    /* a case's page */
    {"version", "done", "approved",
     "Revision approved: its findings were reconciled against this SBOM."},
    {"rollout", "error", "state", "This action does not apply to the rollout in its state now."},
    {"rollout", "error", "reason", "Give a reason: every rollout action is recorded with why."},
    {"case", "done", "ack", "Acknowledged: the 48-hour clock is stopped."},
    {"case", "done", "state", "State changed."},
    {"case", "done", "assign", "Assignee set."},
    {"case", "done", "note", "Internal note added."},
    {"case", "done", "message", "Message to the reporter added."},
    {"case", "done", "exploited", "Marked actively exploited: the Article 14 clocks are running."},
    {"case", "done", "draft", "New draft version built."},
    {"case", "done", "edit", "Draft field set; a new draft version was built."},
    {"case", "done", "approve", "Approval recorded."},
    {"case", "done", "submitted", "Filing recorded."},
};

const char *ui_message(const char *page, const char *param, const char *code)
{
	for (size_t i = 0; param && code && i < sizeof(messages) / sizeof(messages[0]); i++)
		if ((!messages[i].page[0] || (page && strcmp(messages[i].page, page) == 0)) &&
		    strcmp(messages[i].param, param) == 0 && strcmp(messages[i].code, code) == 0)
			return messages[i].text;
	return NULL;
}

int ui_flash(struct http_req *req, struct vg_buf *b, const char *page)
{
	const char *e = ui_message(page, "error", http_query(req, "error"));
	const char *d = e ? NULL : ui_message(page, "done", http_query(req, "done"));
	if (e)
		return html(b, "<p class=\"error\" role=\"alert\" id=\"error\">%s</p>", e);
	if (d)
		return html(b, "<p class=\"ok\" role=\"status\" id=\"flash\">%s</p>", d);
	return VG_OK;
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

const struct http_route http_ui_routes[] = {
    {"GET", "/", ROLE_PUBLIC, HTTP_HIDDEN, root, "Redirect to the web UI", "ui"},
    {"GET", "/static/{file}", ROLE_PUBLIC, HTTP_HIDDEN, static_file, "Embedded web assets", "ui"},
    {"GET", "/favicon.ico", ROLE_PUBLIC, HTTP_HIDDEN, favicon, "The site icon (SVG)", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
