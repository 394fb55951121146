/*
 * ui.h - the web shell: the page layout every room's pages are drawn in.
 * Pages are rendered on the server as HTML (they work without JavaScript);
 * all text from data goes through vg_buf_add_html(). The strict
 * Content-Security-Policy allows only our own /static/ scripts and styles,
 * so no inline script or style may be written.
 */
#ifndef VIGIL_HTTP_UI_H
#define VIGIL_HTTP_UI_H

#include "http/http.h"

/* Start a page: doctype, head, navigation (active = "products", "findings",
 * "cases", "releases", "evidence" or "" for home), opening <main>. */
int ui_page_begin(struct http_req *req, struct http_resp *resp, const char *title,
		  const char *active);
/* Close <main> and the document. */
int ui_page_end(struct http_resp *resp);
/* A hidden CSRF input for forms posted with the session cookie. */
int ui_csrf_field(struct http_req *req, struct http_resp *resp);

#endif
