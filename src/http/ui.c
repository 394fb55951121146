/*
 * ui.c - the web shell: the document head, the layout with the navigation
 * bar the program gives the server, error pages, forms kept across a lost
 * session, the form helpers (fields with their errors, the date parser),
 * the root redirect, and the embedded static assets. Rooms draw their
 * pages inside it (http/ui.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "http/ui.h"
#include "core/asset.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/log.h"
#include "http/html.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

int ui_skip_link(struct vg_buf *b)
{
	return html_raw(b, "<a class=\"skip\" href=\"#main\">Skip to the main content</a>");
}

int ui_page_begin(struct http_req *req, struct http_resp *resp, const char *title,
		  const char *active)
{
	struct vg_buf *b = &resp->body;

	resp->status = 200;
	resp->ctype = "text/html; charset=utf-8";
	vg_buf_reset(b);
	ui_head(b, title);
	html_raw(b, "<body>");
	ui_skip_link(b);
	if (req->public_face) {
		/* the public listener serves no UI: no way in from here */
		html_raw(b, "<header class=\"top\"><a class=\"brand\" href=\"/report\">vigil</a>"
			    "</header>\n");
		return html(b, "<main id=\"main\"><h1>%s</h1>\n", title);
	}
	html_raw(b, "<header class=\"top\"><a class=\"brand\" href=\"/ui/\">vigil</a>");
	if (req->who.role == ROLE_NONE) {
		/* an error page for someone not logged in: no rooms, a way in */
		html_raw(b, "<div class=\"who\"><a href=\"/ui/login\" id=\"login-link\">Log "
			    "in</a></div></header>\n");
		return html(b, "<main id=\"main\"><h1>%s</h1>\n", title);
	}
	html_raw(b, "<nav aria-label=\"Rooms\"><ul>");
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
    /* programme: the scope map */
    {"scope", "done", "added", "System added to the scope map."},
    {"scope", "done", "confirmed", "Proposal confirmed: the system is in the scope map."},
    {"scope", "done", "reviewed", "Review recorded; the next review date is set."},
    {"scope", "done", "retired", "System retired; it stays in the programme record."},
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
    {"advisory", "done", "draft", "Advisory drafted from the case."},
    {"advisory", "done", "edit", "Saved as a new revision: it needs approval again."},
    {"advisory", "done", "approve", "Approved."},
    {"advisory", "done", "publish", "Published through the CSAF provider."},
    {"advisory", "done", "withdraw", "Withdrawn: published again with a note saying so."},
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

int ui_table_begin(struct vg_buf *b, const char *label)
{
	return html(b,
		    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"%s\">",
		    label);
}

int ui_table_end(struct vg_buf *b)
{
	return html_raw(b, "</div>");
}

/* ---- error pages ---- */

int ui_is_path(const char *path)
{
	return path && strncmp(path, "/ui", 3) == 0 && (path[3] == '\0' || path[3] == '/');
}

static const struct {
	int status;
	const char *title;
	const char *text;
} statuses[] = {
    {400, "The request was not understood",
     "The request could not be read. Go back and try again."},
    {401, "Log in to continue", "You are not logged in, or your session has ended."},
    {403, "Not allowed", "Your role may not do this. Ask an administrator if you need to."},
    {404, "Page not found",
     "There is no page at this address. Check the address, or start again from the overview."},
    {405, "Not possible here", "This address does not take that kind of request."},
    {409, "Not possible now", "This cannot be done in the current state."},
    {413, "Too large", "What was sent is larger than this form takes."},
    {422, "Not accepted", "The values were not accepted. Go back, check them and try again."},
    {429, "Too many attempts", "Too many attempts in a short time. Wait a little and try again."},
    {500, "Something went wrong",
     "The server could not finish this, and nothing was changed. Try again; if it keeps "
     "happening, tell the administrator (the server log has the details)."},
    {503, "Busy", "The server is busy or cannot reach its database. Try again in a few seconds."},
};

int ui_error_page(struct http_req *req, struct http_resp *resp, int status, const char *text)
{
	const char *title = status >= 500 ? "Something went wrong" : "The request was refused";
	const char *dflt = NULL;
	struct vg_buf *b = &resp->body;

	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].status == status) {
			title = statuses[i].title;
			dflt = statuses[i].text;
		}
	ui_page_begin(req, resp, title, "");
	resp->status = status;
	html(b, "<div class=\"card error-page\" id=\"error-page\"><p class=\"error-text\">%s</p>",
	     text && *text ? text : dflt);
	html(b, "<p class=\"hint\">Status %d.</p><ul class=\"next\">", status);
	if (req->public_face)
		html_raw(b, "<li><a href=\"/report\">Report a vulnerability</a></li>");
	else if (req->who.role == ROLE_NONE)
		html_raw(b, "<li><a href=\"/ui/login\">Log in</a></li>");
	else
		html_raw(b, "<li><a href=\"/ui/\">Go to the overview</a></li>");
	html_raw(b, "</ul></div>");
	return ui_page_end(resp);
}

/* ---- forms kept across a lost session, and stale CSRF tokens ---- */

#define PENDING_COOKIE "vigil_pending"

/* A url-encoded form is printable ASCII: browsers percent-encode the rest.
 * Anything else (a file upload, a JSON body) is never kept. */
static int is_urlencoded(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7e)
			return 0;
	return 1;
}

static void pending_cookie(struct http_req *req, struct http_resp *resp, const char *value,
			   int64_t max_age)
{
	char c[256];
	int secure = req->secure || vg_config_int("server.secure_cookies", 0);
	snprintf(c, sizeof(c),
		 PENDING_COOKIE "=%s; Path=/ui/; HttpOnly; SameSite=Strict%s; Max-Age=%lld", value,
		 secure ? "; Secure" : "", (long long)max_age);
	http_set_header(resp, "Set-Cookie", c);
	vg_wipe(c, sizeof(c));
}

static int next_pair(const char *body, size_t len, size_t *pos, char **name, char **value);

/* A form with a secret in it (a password, a PIN, a key) is never stored. */
static int has_secret(const char *body, size_t len)
{
	static const char *const words[] = {"password", "passwd", "secret", "pin", "key", "token"};
	char *name, *value;
	int found = 0;

	for (size_t pos = 0; !found && next_pair(body, len, &pos, &name, &value) > 0;) {
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]) && !found; i++)
			found = strstr(name, words[i]) != NULL;
		free(name);
		free(value);
	}
	return found;
}

static int64_t pending_ttl(void)
{
	int64_t t = vg_config_int("ui.pending_ttl", 900);
	return t < 60 ? 60 : t > 86400 ? 86400 : t;
}

int ui_pending_keep(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	const char *old = http_cookie(req, PENDING_COOKIE);
	char id[96], hash[VG_SHA256_HEX], who[VG_SHA256_HEX];
	int64_t now = vg_now(), ttl = pending_ttl(), total = 0, mine = 0;
	char *body = NULL;
	int rc;

	if (strcmp(req->path, "/ui/logout") == 0) /* nothing to keep */
		return ui_error_page(req, resp, 401, "You are logged out already.");
	if (!req->body.len || req->body.len > UI_PENDING_MAX ||
	    !is_urlencoded(req->body.data, req->body.len) ||
	    has_secret(req->body.data, req->body.len))
		goto not_kept;
	vg_sha256_hex(req->remote, strlen(req->remote), who);
	/* bookkeeping rows (store.c), no audit record: nothing changes until a
	 * person sends the form again */
	rc = store_exec(req->db, &err, "DELETE FROM ui_pending WHERE expires_at <= ?", "i", now);
	if (!rc && old && *old && strlen(old) < 100) {
		vg_sha256_hex(old, strlen(old), hash);
		rc = store_exec(req->db, &err, "DELETE FROM ui_pending WHERE id_hash = ?", "t",
				hash);
	}
	if (!rc)
		rc = store_query_int64(req->db, &total, &err, "SELECT COUNT(*) FROM ui_pending",
				       NULL);
	if (!rc)
		rc = store_query_int64(req->db, &mine, &err,
				       "SELECT COUNT(*) FROM ui_pending WHERE remote_hash = ?", "t",
				       who);
	if (rc) {
		vg_warn("%s %s: the form was not kept: %s", req->method, req->path,
			vg_error_msg(&err));
		goto not_kept;
	}
	if (total >= vg_config_int("ui.pending_max", 10000) ||
	    mine >= vg_config_int("ui.pending_per_address", 20))
		goto not_kept;
	if (vg_random_token(id, sizeof(id), 32))
		goto not_kept;
	vg_sha256_hex(id, strlen(id), hash);
	body = strndup(req->body.data, req->body.len);
	if (!body || store_exec(req->db, &err,
				"INSERT INTO ui_pending (id_hash, path, body, remote_hash, "
				"created_at, expires_at) VALUES (?,?,?,?,?,?)",
				"ttttii", hash, req->path, body, who, now, now + ttl)) {
		vg_warn("%s %s: the form was not kept: %s", req->method, req->path,
			body ? vg_error_msg(&err) : "out of memory");
		free(body);
		goto not_kept;
	}
	free(body);
	goto kept;
not_kept:
	return ui_error_page(
	    req, resp, 401,
	    "Your session ended before this was sent, and what was sent could not "
	    "be kept (file uploads, large forms and forms with a password or a key are "
	    "not kept). Log in and send it again.");
kept:
	pending_cookie(req, resp, id, ttl);
	vg_wipe(id, sizeof(id));
	return http_redirect(resp, "/ui/login");
}

int ui_pending_waiting(struct http_req *req)
{
	const char *id = http_cookie(req, PENDING_COOKIE);
	char hash[VG_SHA256_HEX];
	struct vg_error err = {0};
	int64_t n = 0;

	if (!id || !*id || strlen(id) > 100 || !req->db)
		return 0;
	vg_sha256_hex(id, strlen(id), hash);
	if (store_query_int64(
		req->db, &n, &err,
		"SELECT COUNT(*) FROM ui_pending WHERE id_hash = ? AND expires_at > ?", "ti", hash,
		vg_now()))
		return 0;
	return n > 0;
}

/* One name=value pair of a url-encoded body, decoded into malloc'ed
 * strings; the next pair's start in *pos. 0 at the end, -1 on a bad pair. */
static int next_pair(const char *body, size_t len, size_t *pos, char **name, char **value)
{
	const char *p = body + *pos, *end = body + len, *amp, *eq, *e;
	size_t nn, vn;

	*name = *value = NULL;
	while (p < end && *p == '&')
		p++;
	if (p >= end)
		return 0;
	amp = memchr(p, '&', (size_t)(end - p));
	e = amp ? amp : end;
	eq = memchr(p, '=', (size_t)(e - p));
	nn = (size_t)((eq ? eq : e) - p);
	vn = eq ? (size_t)(e - eq - 1) : 0;
	*name = malloc(nn + 1);
	*value = malloc(vn + 1);
	*pos = (size_t)(e - body) + (amp ? 1 : 0);
	if (!*name || !*value || http_url_decode(p, nn, *name, nn + 1) < 0 ||
	    (eq ? http_url_decode(eq + 1, vn, *value, vn + 1) : 0) < 0) {
		free(*name);
		free(*value);
		*name = *value = NULL;
		return -1;
	}
	if (!eq)
		(*value)[0] = '\0';
	return 1;
}

/* A field's name as a person reads it: "due_date" -> "Due date". */
static void field_words(const char *name, char *out, size_t outsz)
{
	size_t i = 0;
	for (; name[i] && i + 1 < outsz; i++)
		out[i] = name[i] == '_' || name[i] == '-' ? ' ' : name[i];
	out[i] = '\0';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

int ui_resend_page(struct http_req *req, struct http_resp *resp, int status, const char *title,
		   const char *intro, const char *action, const char *body, size_t len)
{
	struct vg_buf *b = &resp->body;
	char *name, *value, words[140];
	int shown = 0;

	ui_page_begin(req, resp, title, "");
	resp->status = status;
	html(b, "<p class=\"lead\">%s</p>", intro);
	html(b, "<form method=\"post\" action=\"%s\" class=\"card resend\" id=\"resend-form\">",
	     action);
	ui_csrf_field(req, resp);
	/* the values go back as they came, in hidden fields; then shown */
	for (size_t pos = 0; next_pair(body, len, &pos, &name, &value) > 0;) {
		if (strcmp(name, "csrf") != 0)
			html(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", name, value);
		free(name);
		free(value);
	}
	html_raw(b, "<h2>What was typed</h2><dl class=\"facts kept\">");
	for (size_t pos = 0; next_pair(body, len, &pos, &name, &value) > 0;) {
		if (strcmp(name, "csrf") != 0) {
			field_words(name, words, sizeof(words));
			html(b, "<dt>%s</dt><dd>%s</dd>", words, value[0] ? value : "(empty)");
			shown++;
		}
		free(name);
		free(value);
	}
	if (!shown)
		html_raw(b, "<dt>Fields</dt><dd>(none)</dd>");
	html(b,
	     "</dl><p class=\"hint\">It will be sent to <code>%s</code> as you, now.</p>"
	     "<p class=\"actions\"><button type=\"submit\" id=\"send-now\">Send now</button> "
	     "<a href=\"/ui/\" id=\"do-not-send\">Do not send it</a></p></form>",
	     action);
	return ui_page_end(resp);
}

/* GET /ui/resume: the form kept when the session ended, offered once. */
static int resume(struct http_req *req, struct http_resp *resp)
{
	const char *id = http_cookie(req, PENDING_COOKIE);
	char hash[VG_SHA256_HEX];
	struct vg_error err = {0};
	char *path = NULL, *body = NULL;
	int rc = VG_ENOTFOUND;

	if (id && *id && strlen(id) <= 100) {
		vg_sha256_hex(id, strlen(id), hash);
		rc = store_query_text(
		    req->db, &path, &err,
		    "SELECT path FROM ui_pending WHERE id_hash = ? AND expires_at > ?", "ti", hash,
		    vg_now());
		if (!rc)
			rc = store_query_text(req->db, &body, &err,
					      "SELECT body FROM ui_pending WHERE id_hash = ?", "t",
					      hash);
		/* used once: deleted whether or not it is sent */
		if (store_exec(req->db, &err, "DELETE FROM ui_pending WHERE id_hash = ?", "t",
			       hash))
			vg_warn("a kept form was not deleted: %s", vg_error_msg(&err));
		pending_cookie(req, resp, "", 0);
	}
	if (rc || !path || !body || !ui_is_path(path)) {
		free(path);
		free(body);
		ui_page_begin(req, resp, "Nothing waiting to be sent", "");
		html(&resp->body,
		     "<p>No form is waiting for this browser: it was offered already, or it was "
		     "kept longer than %lld minutes and dropped.</p><p><a href=\"/ui/\">Go to the "
		     "overview</a></p>",
		     (long long)(pending_ttl() / 60));
		return ui_page_end(resp);
	}
	ui_resend_page(req, resp, 200, "You were logged out before this was sent",
		       "Your session had ended when this form was sent, so nothing was done. Check "
		       "what was typed and send it now.",
		       path, body, strlen(body));
	free(path);
	free(body);
	return VG_OK;
}

/* ---- form fields with their errors ---- */

void ui_form_error(struct ui_form_errors *fe, const char *field, const char *fmt, ...)
{
	va_list ap;
	if (!fe || fe->n >= UI_FORM_MAX_ERRORS || ui_form_error_of(fe, field))
		return;
	fe->e[fe->n].field = field;
	va_start(ap, fmt);
	vsnprintf(fe->e[fe->n].msg, sizeof(fe->e[fe->n].msg), fmt, ap);
	va_end(ap);
	fe->n++;
}

const char *ui_form_error_of(const struct ui_form_errors *fe, const char *field)
{
	for (int i = 0; fe && field && i < fe->n; i++)
		if (strcmp(fe->e[i].field, field) == 0)
			return fe->e[i].msg;
	return NULL;
}

int ui_error_summary(struct vg_buf *b, const struct ui_form_errors *fe)
{
	if (!fe || !fe->n)
		return VG_OK;
	html_raw(b, "<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" "
		    "tabindex=\"-1\" aria-labelledby=\"error-summary-title\"><h2 "
		    "id=\"error-summary-title\">There is a problem</h2><ul>");
	for (int i = 0; i < fe->n; i++)
		html(b, "<li><a href=\"#%s\">%s</a></li>", fe->e[i].field, fe->e[i].msg);
	return html_raw(b, "</ul></div>");
}

int ui_field(struct vg_buf *b, const struct ui_form_errors *fe, const struct ui_field *f)
{
	const char *msg = ui_form_error_of(fe, f->name);
	const char *type = f->type ? f->type : "text";
	const char *v = f->value ? f->value : "";
	char described[200] = "";

	if (f->hint && msg)
		snprintf(described, sizeof(described), " aria-describedby=\"%s-hint %s-error\"",
			 f->name, f->name);
	else if (f->hint || msg)
		snprintf(described, sizeof(described), " aria-describedby=\"%s-%s\"", f->name,
			 f->hint ? "hint" : "error");
	html(b, "<div class=\"field%s\"><label for=\"%s\">%s</label>", msg ? " field-invalid" : "",
	     f->name, f->label);
	if (f->hint)
		html(b, "<span class=\"hint\" id=\"%s-hint\">%s</span>", f->name, f->hint);
	if (msg)
		html(b,
		     "<span class=\"field-error\" id=\"%s-error\"><span class=\"visually-hidden\">"
		     "Error: </span>%s</span>",
		     f->name, msg);
	/* described and attrs are ours (names, literal attributes) */
	if (strcmp(type, "textarea") == 0) {
		html(b, "<textarea id=\"%s\" name=\"%s\"", f->name, f->name);
		html_raw(b, described);
		if (msg)
			html_raw(b, " aria-invalid=\"true\"");
		if (f->attrs) {
			html_raw(b, " ");
			html_raw(b, f->attrs);
		}
		html(b, ">%s</textarea></div>", v);
		return VG_OK;
	}
	if (strcmp(type, "select") == 0) {
		const char *o = f->options ? f->options : "";
		html(b, "<select id=\"%s\" name=\"%s\"", f->name, f->name);
		html_raw(b, described);
		if (msg)
			html_raw(b, " aria-invalid=\"true\"");
		if (f->attrs) {
			html_raw(b, " ");
			html_raw(b, f->attrs);
		}
		html_raw(b, ">");
		while (*o) {
			const char *nl = strchr(o, '\n'), *end = nl ? nl : o + strlen(o);
			const char *bar = memchr(o, '|', (size_t)(end - o));
			char val[256], lab[256];
			snprintf(val, sizeof(val), "%.*s", (int)((bar ? bar : end) - o), o);
			snprintf(lab, sizeof(lab), "%.*s", (int)(end - (bar ? bar + 1 : o)),
				 bar ? bar + 1 : o);
			html(b, "<option value=\"%s\"%s>%s</option>", val,
			     strcmp(val, v) == 0 ? " selected" : "", lab);
			o = nl ? nl + 1 : end;
		}
		return html_raw(b, "</select></div>");
	}
	html(b, "<input type=\"%s\" id=\"%s\" name=\"%s\" value=\"%s\"", type, f->name, f->name, v);
	html_raw(b, described);
	if (msg)
		html_raw(b, " aria-invalid=\"true\"");
	if (f->attrs) {
		html_raw(b, " ");
		html_raw(b, f->attrs);
	}
	return html_raw(b, "></div>");
}

int ui_parse_date(const char *s, int64_t *out)
{
	struct vg_error err = {0};
	char full[40];
	size_t n = s ? strlen(s) : 0;

	if (n == 16 && s[10] == 'T') { /* datetime-local: no seconds, no zone */
		snprintf(full, sizeof(full), "%s:00Z", s);
		s = full;
	} else if (n != 10 && n < 20) {
		return VG_EINVAL;
	}
	if (vg_time_parse(s, out, &err))
		return VG_EINVAL;
	return VG_OK;
}

int ui_form_date(const struct http_req *req, const char *name, const char *label, int64_t *out,
		 struct ui_form_errors *fe)
{
	char v[64];
	int rc = http_form(req, name, v, sizeof(v));

	*out = 0;
	if (rc == VG_ENOTFOUND || (rc == VG_OK && !v[0]))
		return VG_OK;
	if (rc == VG_OK && ui_parse_date(v, out) == VG_OK)
		return VG_OK;
	*out = 0;
	ui_form_error(fe, name, "%s must be a real date, like 2026-09-11", label);
	return VG_EINVAL;
}

/* "/": the web UI; on the public listener, the CVD portal. */
static int root(struct http_req *req, struct http_resp *resp)
{
	return http_redirect(resp, req->public_face ? "/report" : "/ui/");
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
    {"GET", "/", ROLE_PUBLIC, HTTP_HIDDEN | HTTP_PUBLIC_FACE, root, "Redirect to the web UI", "ui"},
    {"GET", "/static/{file}", ROLE_PUBLIC, HTTP_HIDDEN | HTTP_PUBLIC_FACE, static_file,
     "Embedded web assets", "ui"},
    {"GET", "/favicon.ico", ROLE_PUBLIC, HTTP_HIDDEN | HTTP_PUBLIC_FACE, favicon,
     "The site icon (SVG)", "ui"},
    {"GET", "/ui/resume", ROLE_ANY, HTTP_UI, resume,
     "The form kept when the session ended, offered once to be sent", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
