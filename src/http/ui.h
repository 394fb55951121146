/*
 * ui.h - the web shell: the page layout every room's pages are drawn in.
 * Pages are rendered on the server as HTML (they work without JavaScript);
 * all text from data goes through http/html.h, which escapes every %s. The
 * strict Content-Security-Policy allows only our own /static/ scripts and
 * styles, so no inline script or style may be written.
 */
#ifndef VIGIL_HTTP_UI_H
#define VIGIL_HTTP_UI_H

#include "http/http.h"

/* Start a page: doctype, head, the navigation bar given to http_serve()
 * (active = the key of the entry to mark current, "" for none), the
 * principal, opening <main> and the <h1> title. */
int ui_page_begin(struct http_req *req, struct http_resp *resp, const char *title,
		  const char *active);
/* Close <main> and the document. */
int ui_page_end(struct http_resp *resp);
/* A hidden CSRF input for forms posted with the session cookie. */
int ui_csrf_field(struct http_req *req, struct http_resp *resp);
/* Only the doctype and <head> (title escaped), for pages outside the
 * layout such as the login page. ui_skip_link() is the "Skip to the main
 * content" link every page starts its <body> with (to <main id="main">). */
int ui_head(struct vg_buf *b, const char *title);
int ui_skip_link(struct vg_buf *b);

/*
 * Banners after a post-redirect-get come from codes, never from text in the
 * URL: the redirect adds ?error=CODE or ?done=CODE, and ui_flash() shows the
 * fixed text of the code from the one table in ui.c (an alert with
 * id="error", or a confirmation with id="flash"); an unknown code or any
 * other text shows nothing. page names the page's entries of the table
 * ("findings", "case"); entries for every page are always looked at.
 * ui_message() is the lookup (param "error" or "done"; NULL when unknown).
 * Add a code to the table to use it.
 */
int ui_flash(struct http_req *req, struct vg_buf *b, const char *page);
const char *ui_message(const char *page, const char *param, const char *code);

/*
 * A table that may be wider than the screen scrolls inside a region a
 * keyboard can reach (tabindex 0, named by label): write
 * ui_table_begin(b, "Findings"), then the <table>, then ui_table_end(b).
 * (app.js puts other tables of <main> in one; this works without it.)
 */
int ui_table_begin(struct vg_buf *b, const char *label);
int ui_table_end(struct vg_buf *b);

/*
 * Error pages. Every answer of 400 or more on a /ui/ path is a page in the
 * layout, never JSON (/api/ stays JSON): the server calls ui_error_page()
 * for its own refusals (404, 405, 403, 413, 503 ...) and turns a handler's
 * JSON error on a /ui/ path into one. status sets the heading ("Page not
 * found"); text (escaped) says what happened in plain words; NULL for the
 * status's standard sentence. ui_is_path() is 1 for "/ui" and "/ui/...".
 */
int ui_is_path(const char *path);
int ui_error_page(struct http_req *req, struct http_resp *resp, int status, const char *text);

/*
 * Forms posted after the session ended, and forms with a stale CSRF token
 * (docs/security.md, "Forms that outlive their session"):
 *
 *  - An anonymous POST to a page route (HTTP_UI) with an
 *    application/x-www-form-urlencoded body of at most UI_PENDING_MAX bytes
 *    is kept server-side (table ui_pending, migration 0034) under the hash
 *    of a random id that only this browser holds, in the cookie
 *    vigil_pending (HttpOnly, SameSite=Strict, Path=/ui/), for
 *    ui.pending_ttl seconds (default 900); the answer sends the browser to
 *    the login page. Anything else (a file upload, a larger form) is not
 *    kept: a 401 page says so and links to the login.
 *  - After the login, GET /ui/resume takes the kept form (deleting it: it
 *    is used once) and shows "You were logged out before this was sent" with
 *    the values and a "Send now" button that posts them with a fresh CSRF
 *    token. Nothing is replayed without that click, so a form an attacker
 *    made a browser post cannot act through the victim's login.
 *  - A logged-in POST whose CSRF token is stale gets the same page (values
 *    kept, "Send again"), from the posted body; nothing is stored.
 *
 * ui_pending_keep() is called by the server; ui_pending_waiting() by the
 * login page (1 when this browser has a kept form that has not expired).
 */
#define UI_PENDING_MAX 16384
int ui_pending_keep(struct http_req *req, struct http_resp *resp);
int ui_pending_waiting(struct http_req *req);
/* The page that offers a form's values to be sent again (status 403 for a
 * stale CSRF token); body is the url-encoded form as it was posted. */
int ui_resend_page(struct http_req *req, struct http_resp *resp, int status, const char *title,
		   const char *intro, const char *action, const char *body, size_t len);

/*
 * Forms with errors next to their fields (GOV.UK style). A handler that
 * refuses a form draws it again with what was typed and a struct
 * ui_form_errors:
 *
 *     struct ui_form_errors fe = {0};
 *     int64_t due;
 *     char name[200];
 *     http_form(req, "name", name, sizeof(name));
 *     if (!name[0])
 *         ui_form_error(&fe, "name", "Enter the product's name");
 *     ui_form_date(req, "due", "Due date", &due, &fe);   (field error when bad)
 *     if (fe.n) {
 *         resp->status = 422;              (the page is drawn again, not redirected)
 *         ui_page_begin(req, resp, "New product", "products");
 *         ui_error_summary(&resp->body, &fe); (a box at the top linking to each field)
 *         html_raw(&resp->body, "<form method=\"post\" ...>");
 *         ui_csrf_field(req, resp);
 *         ui_field(&resp->body, &fe, &(struct ui_field){.name = "name",
 *                  .label = "Name", .value = name, .attrs = "required maxlength=\"200\""});
 *         ...
 *     }
 *
 * ui_field() writes <div class="field"> with the <label for>, the hint, the
 * error (id "NAME-error", role none: the summary announces) and the input
 * (id = name, value kept, aria-describedby naming the hint and the error,
 * aria-invalid="true" when in error). type "textarea" and "select" are
 * drawn as such (select: options is "value|label\n..." and value selects
 * one). Field names and ids are ours (not user text); labels, hints, values
 * and messages are escaped. At most UI_FORM_MAX_ERRORS errors are kept; the
 * first error of a field wins.
 */
#define UI_FORM_MAX_ERRORS 16
struct ui_form_errors {
	int n;
	struct {
		const char *field; /* the input's name and id (a literal of ours) */
		char msg[240];
	} e[UI_FORM_MAX_ERRORS];
};
struct ui_field {
	const char *name;    /* name and id of the input */
	const char *label;   /* visible label */
	const char *type;    /* "text" when NULL; "textarea", "select", "date", ... */
	const char *value;   /* what was typed, kept; NULL for none */
	const char *hint;    /* a line under the label, or NULL */
	const char *attrs;   /* trusted extra attributes ("required maxlength=\"64\""), or NULL */
	const char *options; /* select only: "value|label" lines */
};
void ui_form_error(struct ui_form_errors *fe, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The message of field, or NULL. */
const char *ui_form_error_of(const struct ui_form_errors *fe, const char *field);
/* "There is a problem" box with a link to each field in error; nothing when none. */
int ui_error_summary(struct vg_buf *b, const struct ui_form_errors *fe);
int ui_field(struct vg_buf *b, const struct ui_form_errors *fe, const struct ui_field *f);
/*
 * The one parser of a date field: the form value name as YYYY-MM-DD (input
 * type=date), YYYY-MM-DDTHH:MM (datetime-local, read as UTC) or RFC 3339,
 * into *out (UTC seconds). Empty or absent: *out = 0 and VG_OK (the caller
 * decides whether the field is required). A bad value adds a field error
 * to fe naming label and the expected form and returns VG_EINVAL.
 */
int ui_form_date(const struct http_req *req, const char *name, const char *label, int64_t *out,
		 struct ui_form_errors *fe);
/* The same on a string (for tests and non-form callers). */
int ui_parse_date(const char *s, int64_t *out);

#endif
