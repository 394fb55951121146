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
 * layout such as the login page. */
int ui_head(struct vg_buf *b, const char *title);

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

#endif
