/*
 * ui_release.c - the Releases pages: every release with its product,
 * version, security flag, artifacts and the last gate result per check
 * (sorted by time or product, paged), and one release with its artifacts
 * (name, size, SHA-256, signature key, provenance) and its yank state.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "http/html.h"
#include "http/ui.h"
#include "update/release.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define PAGE 50

static int error_page(struct http_req *req, struct http_resp *resp, const struct vg_error *err)
{
	ui_page_begin(req, resp, "Releases", "releases");
	resp->status = vg_code_http_status(err->code);
	html(&resp->body,
	     "<p class=\"error\" role=\"alert\">%s</p><p><a href=\"/ui/releases\">All "
	     "releases</a></p>",
	     vg_error_msg(err));
	return ui_page_end(resp);
}

/* A check's cell: passed, failed, or not checked. */
static void check_cell(struct vg_buf *b, const struct release *r, int ok, const char *name)
{
	if (!r->checked_at)
		html(b, "<td data-check=\"%s\">-</td>", name);
	else
		html(b, "<td data-check=\"%s\" class=\"%s\">%s</td>", name, ok ? "ok" : "error",
		     ok ? "ok" : "FAIL");
}

static int releases_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct release_filter f = {0};
	struct release_list l;
	const char *sort = http_query(req, "sort");
	int rc;

	if ((rc = http_query_int(req, resp, "offset", 0, INT64_MAX, 0, &f.offset)))
		return rc;
	f.sort = sort && strcmp(sort, "product") == 0 ? RELEASE_SORT_PRODUCT : RELEASE_SORT_NEW;
	f.limit = PAGE;
	if (release_list(req->db, &f, &l, &err))
		return error_page(req, resp, &err);
	ui_page_begin(req, resp, "Releases", "releases");
	html(b,
	     "<p id=\"total\">%lld release(s). Sort: <a href=\"/ui/releases?sort=new\">newest</a> "
	     "&middot; <a href=\"/ui/releases?sort=product\">product</a></p>",
	     (long long)l.total);
	html_raw(b, "<table id=\"releases\"><thead><tr><th>id</th><th>product</th><th>version</th>"
		    "<th>security</th><th>artifacts</th><th>created</th><th>version exists</th>"
		    "<th>hashes</th><th>signed</th><th>keys</th><th>signatures</th>"
		    "<th>gate</th></tr></thead><tbody>");
	for (size_t i = 0; i < l.n; i++) {
		const struct release *r = &l.items[i];
		char t[32];
		html(b,
		     "<tr id=\"r%lld\"%s><td><a href=\"/ui/releases/%lld\">%lld</a></td><td>%s</td>"
		     "<td>%s</td><td>%s</td><td>%lld</td><td>%s</td>",
		     (long long)r->id, r->yanked_at ? " class=\"yanked\"" : "", (long long)r->id,
		     (long long)r->id, r->product, r->version, r->security ? "security" : "",
		     (long long)r->artifact_count, vg_time_format(r->created_at, t, sizeof(t)));
		check_cell(b, r, r->version_ok, "version");
		check_cell(b, r, r->hashes_ok, "hashes");
		check_cell(b, r, r->signed_ok, "signed");
		check_cell(b, r, r->keys_ok, "keys");
		check_cell(b, r, r->signatures_ok, "signatures");
		html(b, "<td class=\"gate\">%s%s%s</td></tr>",
		     !r->checked_at ? "not checked"
		     : r->passed    ? "passed"
				    : "FAILED",
		     r->yanked_at ? " (yanked)" : "", r->published_at ? " (published)" : "");
	}
	if (!l.n)
		html_raw(b, "<tr><td colspan=\"12\">No releases.</td></tr>");
	html_raw(b, "</tbody></table><nav class=\"pages\" aria-label=\"pages\">");
	if (f.offset > 0)
		html(b,
		     "<a id=\"prev\" href=\"/ui/releases?sort=%s&amp;offset=%lld\">previous</a> ",
		     f.sort == RELEASE_SORT_PRODUCT ? "product" : "new",
		     (long long)(f.offset > PAGE ? f.offset - PAGE : 0));
	if (f.offset + (int64_t)l.n < l.total)
		html(b, "<a id=\"next\" href=\"/ui/releases?sort=%s&amp;offset=%lld\">next</a>",
		     f.sort == RELEASE_SORT_PRODUCT ? "product" : "new",
		     (long long)(f.offset + PAGE));
	html_raw(b, "</nav>");
	release_list_release(&l);
	return ui_page_end(resp);
}

static int release_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct release_detail d;
	char title[300], t[32];
	int64_t id;

	if (vg_id_parse(http_param(req, "id"), "release id", &id, &err) ||
	    release_get(req->db, id, &d, &err))
		return error_page(req, resp, &err);
	snprintf(title, sizeof(title), "Release %s %s", d.r.product, d.r.version);
	ui_page_begin(req, resp, title, "releases");
	html(b,
	     "<dl class=\"card\" id=\"release\"><dt>product</dt><dd>%s</dd><dt>version</dt>"
	     "<dd>%s</dd><dt>security release</dt><dd>%s</dd><dt>created</dt><dd>%s by %s</dd>",
	     d.r.product, d.r.version, d.r.security ? "yes" : "no",
	     vg_time_format(d.r.created_at, t, sizeof(t)), d.r.created_by);
	if (d.r.nfixes) {
		html_raw(b, "<dt>fixes</dt><dd id=\"fixes\">");
		for (size_t i = 0; i < d.r.nfixes; i++) {
			html_raw(b, i ? ", <a href=\"/ui/vulnerabilities/"
				      : "<a href=\"/ui/vulnerabilities/");
			html_url(b, d.r.fixes[i]);
			html(b, "\">%s</a>", d.r.fixes[i]);
		}
		html_raw(b, "</dd>");
	}
	if (d.r.yanked_at)
		html(b, "<dt>state</dt><dd id=\"yanked\" class=\"error\">yanked %s by %s: %s</dd>",
		     vg_time_format(d.r.yanked_at, t, sizeof(t)), d.r.yanked_by, d.r.yank_reason);
	else
		html_raw(b, "<dt>state</dt><dd id=\"state\">not yanked</dd>");
	if (d.r.published_at)
		html(
		    b,
		    "<dt>published</dt><dd id=\"published\" class=\"ok\">%s in TUF version %lld of "
		    "products/%s</dd>",
		    vg_time_format(d.r.published_at, t, sizeof(t)), (long long)d.r.tuf_version,
		    d.r.product);
	else
		html_raw(b, "<dt>published</dt><dd id=\"published\">not published</dd>");
	if (d.r.publish_refused_at && !d.r.published_at)
		html(b, "<dt>publish refused</dt><dd id=\"refused\" class=\"error\">%s: %s</dd>",
		     vg_time_format(d.r.publish_refused_at, t, sizeof(t)),
		     d.r.publish_refusal ? d.r.publish_refusal : "");
	html(b, "<dt>gate</dt><dd id=\"gate\">%s</dd></dl>",
	     !d.r.checked_at ? "not checked"
	     : d.r.passed    ? "passed"
			     : "FAILED");
	if (d.r.checked_at) {
		html(b,
		     "<h2>Gate</h2><table id=\"checks\"><caption>last run %s</caption><thead><tr>"
		     "<th>product version</th><th>hashes</th><th>signed</th><th>signatures</th>"
		     "<th>keys trusted</th></tr></thead><tbody><tr>",
		     vg_time_format(d.r.checked_at, t, sizeof(t)));
		check_cell(b, &d.r, d.r.version_ok, "product_version");
		check_cell(b, &d.r, d.r.hashes_ok, "hashes");
		check_cell(b, &d.r, d.r.signed_ok, "signed");
		check_cell(b, &d.r, d.r.signatures_ok, "signatures");
		check_cell(b, &d.r, d.r.keys_ok, "keys");
		html_raw(b, "</tr></tbody></table>");
	}
	if (d.r.notes)
		html(b, "<h2>Notes</h2><pre id=\"notes\">%s</pre>", d.r.notes);
	html_raw(b, "<h2>Artifacts</h2><table id=\"artifacts\"><thead><tr><th>name</th>"
		    "<th>size</th><th>sha256</th><th>signature key</th><th>provenance</th>"
		    "<th>uploaded</th></tr></thead><tbody>");
	for (size_t i = 0; i < d.n; i++) {
		const struct release_artifact *a = &d.artifacts[i];
		html(b,
		     "<tr><td><a href=\"/api/v1/artifacts/%lld/content\">%s</a></td><td>%lld</td>"
		     "<td><code>%s</code></td><td>%s</td><td>%s</td><td>%s by %s</td></tr>",
		     (long long)a->id, a->name, (long long)a->size, a->sha256,
		     a->key_name ? a->key_name : (a->is_signed ? "(unknown)" : "unsigned"),
		     a->provenance ? (a->provenance_type ? a->provenance_type : "yes") : "none",
		     vg_time_format(a->uploaded_at, t, sizeof(t)), a->uploaded_by);
	}
	if (!d.n)
		html_raw(b, "<tr><td colspan=\"6\">No artifacts.</td></tr>");
	html_raw(b, "</tbody></table>");
	release_detail_release(&d);
	return ui_page_end(resp);
}

/* clang-format off */
const struct http_route update_ui_routes[] = {
    {"GET", "/ui/releases", ROLE_READ, HTTP_UI, releases_page,
     "Releases: product, version, security, artifacts, gate result per check (sort, offset)", "ui"},
    {"GET", "/ui/releases/{id}", ROLE_READ, HTTP_UI, release_page,
     "One release: artifacts (size, sha256, signature key, provenance), yank state, published (TUF version) or why refused, gate per check", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
