/*
 * ui_sbom.c - the Products pages: products, a product's versions and SBOM
 * revisions with upload metadata, a version's components with search, and
 * the diff between two versions. Server-rendered; no JavaScript needed.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/error.h"
#include "http/ui.h"
#include "sbom/inventory.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void esc(struct vg_buf *b, const char *s)
{
	vg_buf_add_html(b, s ? s : "");
}

/* Append s percent-encoded for a URL path segment or query value. */
static void url(struct vg_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~')
			vg_buf_addc(b, (char)*p);
		else
			vg_buf_addf(b, "%%%02X", *p);
	}
}

static int error_page(struct http_req *req, struct http_resp *resp, const char *title,
		      const struct vg_error *err)
{
	ui_page_begin(req, resp, title, "products");
	resp->status = vg_code_http_status(err->code);
	vg_buf_adds(&resp->body, "<p class=\"error\" role=\"alert\">");
	esc(&resp->body, vg_error_msg(err));
	vg_buf_adds(&resp->body, "</p><p><a href=\"/ui/products\">All products</a></p>");
	return ui_page_end(resp);
}

static int products_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	json_t *rows = NULL, *r;
	size_t i;

	if (product_list_json(req->db, &rows, &err))
		return error_page(req, resp, "Products", &err);
	ui_page_begin(req, resp, "Products", "products");
	vg_buf_adds(b, "<table id=\"products\"><thead><tr><th>product</th><th>vendor</th>"
		       "<th>CRA class</th><th>support until</th><th>placed on market</th>"
		       "<th>versions</th></tr></thead><tbody>");
	json_array_foreach(rows, i, r)
	{
		vg_buf_adds(b, "<tr><td><a href=\"/ui/products/");
		url(b, vg_json_str(r, "name"));
		vg_buf_adds(b, "\">");
		esc(b, vg_json_str(r, "name"));
		vg_buf_adds(b, "</a></td><td>");
		esc(b, vg_json_str(r, "vendor"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(r, "cra_class"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(r, "support_until"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(r, "placed_on_market"));
		vg_buf_addf(b, "</td><td>%lld</td></tr>", (long long)vg_json_int(r, "versions", 0));
	}
	if (!json_array_size(rows))
		vg_buf_adds(b, "<tr><td colspan=\"6\">No products yet.</td></tr>");
	vg_buf_adds(b, "</tbody></table>");
	json_decref(rows);
	if (req->who.role & (ROLE_ADMIN | ROLE_PSIRT)) {
		vg_buf_adds(b, "<h2>New product</h2><form method=\"post\" action=\"/ui/products\" "
			       "class=\"card\" id=\"new-product\">");
		ui_csrf_field(req, resp);
		vg_buf_adds(b,
			    "<label>Name <input name=\"name\" required maxlength=\"200\"></label> "
			    "<label>Vendor <input name=\"vendor\" maxlength=\"200\"></label> "
			    "<label>CRA class <select name=\"cra_class\"><option>default</option>"
			    "<option>important-1</option><option>important-2</option>"
			    "<option>critical</option></select></label> "
			    "<label>Support until <input name=\"support_until\" "
			    "placeholder=\"YYYY-MM\" pattern=\"[0-9]{4}-[0-9]{2}\"></label> "
			    "<label>Placed on market <input name=\"placed_on_market\" "
			    "placeholder=\"YYYY-MM-DD\"></label> "
			    "<button type=\"submit\">Create</button></form>");
	}
	return ui_page_end(resp);
}

static int products_post(struct http_req *req, struct http_resp *resp)
{
	char name[256], vendor[256], cls[32], su[16], pm[16];
	struct product_info p = {0};
	struct vg_error err = {0};
	struct vg_buf loc = VG_BUF_INIT;
	int rc;

	if (http_form(req, "name", name, sizeof(name)) || !*name) {
		vg_error_set(&err, VG_EINVAL, "a product needs a name");
		return error_page(req, resp, "Products", &err);
	}
	p.name = name;
	if (http_form(req, "vendor", vendor, sizeof(vendor)) == VG_OK && *vendor)
		p.vendor = vendor;
	if (http_form(req, "cra_class", cls, sizeof(cls)) == VG_OK && *cls)
		p.cra_class = cls;
	if (http_form(req, "support_until", su, sizeof(su)) == VG_OK && *su)
		p.support_until = su;
	if (http_form(req, "placed_on_market", pm, sizeof(pm)) == VG_OK && *pm)
		p.placed_on_market = pm;
	if (product_create(req->db, &p, &err))
		return error_page(req, resp, "Products", &err);
	vg_buf_adds(&loc, "/ui/products/");
	url(&loc, name);
	rc = http_redirect(resp, loc.data);
	vg_buf_release(&loc);
	return rc;
}

static int product_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	const char *pname = http_param(req, "p");
	json_t *p = NULL, *sboms = NULL, *v, *r, *vers;
	size_t i;
	char title[300];

	if (product_show_json(req->db, pname, &p, &err) ||
	    sbom_list_json(req->db, pname, NULL, &sboms, &err)) {
		json_decref(p);
		return error_page(req, resp, "Product", &err);
	}
	snprintf(title, sizeof(title), "Product %s", pname);
	ui_page_begin(req, resp, title, "products");
	vg_buf_adds(b, "<dl class=\"facts\"><dt>vendor</dt><dd>");
	esc(b, vg_json_str(p, "vendor"));
	vg_buf_adds(b, "</dd><dt>CRA class</dt><dd>");
	esc(b, vg_json_str(p, "cra_class"));
	vg_buf_adds(b, "</dd><dt>support until</dt><dd>");
	esc(b, vg_json_str(p, "support_until"));
	vg_buf_adds(b, "</dd><dt>placed on market</dt><dd>");
	esc(b, vg_json_str(p, "placed_on_market"));
	vg_buf_adds(b, "</dd></dl><h2>Versions</h2><table id=\"versions\"><thead><tr>"
		       "<th>version</th><th>SBOM revisions</th><th>last upload</th></tr></thead>"
		       "<tbody>");
	vers = json_object_get(p, "versions");
	json_array_foreach(vers, i, v)
	{
		vg_buf_adds(b, "<tr><td><a href=\"/ui/products/");
		url(b, pname);
		vg_buf_adds(b, "/versions/");
		url(b, vg_json_str(v, "version"));
		vg_buf_adds(b, "\">");
		esc(b, vg_json_str(v, "version"));
		vg_buf_addf(b, "</a></td><td>%lld</td><td>",
			    (long long)vg_json_int(v, "revisions", 0));
		esc(b, vg_json_str(v, "last_upload_at"));
		vg_buf_adds(b, "</td></tr>");
	}
	vg_buf_adds(b, "</tbody></table>");
	if (json_array_size(vers) >= 2) {
		vg_buf_adds(b,
			    "<h2>Compare versions</h2><form method=\"get\" action=\"/ui/products/");
		url(b, pname);
		vg_buf_adds(b, "/diff\" id=\"diff-form\"><label>from <select name=\"from\">");
		json_array_foreach(vers, i, v)
		{
			vg_buf_addf(b, "<option%s>", i == 0 ? " selected" : "");
			esc(b, vg_json_str(v, "version"));
			vg_buf_adds(b, "</option>");
		}
		vg_buf_adds(b, "</select></label> <label>to <select name=\"to\">");
		json_array_foreach(vers, i, v)
		{
			vg_buf_addf(b, "<option%s>",
				    i + 1 == json_array_size(vers) ? " selected" : "");
			esc(b, vg_json_str(v, "version"));
			vg_buf_adds(b, "</option>");
		}
		vg_buf_adds(b,
			    "</select></label> <button type=\"submit\">Show diff</button></form>");
	}
	vg_buf_adds(b, "<h2>SBOM revisions</h2><table id=\"revisions\"><thead><tr><th>id</th>"
		       "<th>version</th><th>rev</th><th>format</th><th>components</th>"
		       "<th>uploaded (UTC)</th><th>by</th><th>from</th><th>keep until</th>"
		       "<th>original</th></tr></thead><tbody>");
	json_array_foreach(sboms, i, r)
	{
		vg_buf_addf(b, "<tr><td>%lld</td><td>", (long long)vg_json_int(r, "id", 0));
		esc(b, vg_json_str(r, "version"));
		vg_buf_addf(b, "</td><td>%lld</td><td>", (long long)vg_json_int(r, "revision", 0));
		esc(b, vg_json_str(r, "format"));
		vg_buf_adds(b, " ");
		esc(b, vg_json_str(r, "spec_version"));
		vg_buf_adds(b, " ");
		esc(b, vg_json_str(r, "encoding"));
		vg_buf_addf(b, "</td><td>%lld</td><td>",
			    (long long)vg_json_int(r, "components", 0));
		esc(b, vg_json_str(r, "uploaded_at"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(r, "uploaded_by"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(r, "uploaded_from"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(r, "retain_until_at"));
		vg_buf_addf(b, "</td><td><a href=\"/api/v1/sboms/%lld/original\" title=\"sha256 ",
			    (long long)vg_json_int(r, "id", 0));
		esc(b, vg_json_str(r, "sha256"));
		vg_buf_adds(b, "\">download</a></td></tr>");
	}
	if (!json_array_size(sboms))
		vg_buf_adds(b,
			    "<tr><td colspan=\"10\">No SBOM uploaded yet: <code>vigil sbom import "
			    "FILE --product P --version V</code></td></tr>");
	vg_buf_adds(b, "</tbody></table>");
	json_decref(p);
	json_decref(sboms);
	return ui_page_end(resp);
}

static int version_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	const char *pname = http_param(req, "p"), *ver = http_param(req, "v");
	const char *q = http_query(req, "q");
	json_t *rows = NULL, *r;
	size_t i;
	char title[600];

	if (q && strlen(q) > 200)
		q = NULL;
	if (sbom_components_json(req->db, pname, ver, q, 1000, 0, &rows, &err))
		return error_page(req, resp, "Version", &err);
	snprintf(title, sizeof(title), "%s %s", pname, ver);
	ui_page_begin(req, resp, title, "products");
	vg_buf_adds(b, "<p><a href=\"/ui/products/");
	url(b, pname);
	vg_buf_adds(b, "\">back to the product</a></p><form method=\"get\" id=\"search\">"
		       "<label>Search components <input type=\"search\" name=\"q\" value=\"");
	esc(b, q);
	vg_buf_adds(b, "\" placeholder=\"name, purl or license\"></label> <button "
		       "type=\"submit\">Search</button></form>");
	vg_buf_addf(b, "<p id=\"component-count\">%zu components%s</p>", json_array_size(rows),
		    json_array_size(rows) == 1000 ? " (first 1000)" : "");
	vg_buf_adds(b, "<table id=\"components\"><thead><tr><th>name</th><th>version</th>"
		       "<th>type</th><th>purl</th><th>licenses</th><th>supplier</th></tr></thead>"
		       "<tbody>");
	json_array_foreach(rows, i, r)
	{
		vg_buf_adds(b, "<tr><td>");
		if (vg_json_str(r, "group")) {
			esc(b, vg_json_str(r, "group"));
			vg_buf_adds(b, "/");
		}
		esc(b, vg_json_str(r, "name"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(r, "version"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(r, "type"));
		vg_buf_adds(b, "</td><td><code>");
		esc(b, vg_json_str(r, "purl"));
		vg_buf_adds(b, "</code></td><td>");
		esc(b, vg_json_str(r, "licenses"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(r, "supplier"));
		vg_buf_adds(b, "</td></tr>");
	}
	vg_buf_adds(b, "</tbody></table>");
	json_decref(rows);
	return ui_page_end(resp);
}

static void diff_table(struct vg_buf *b, json_t *o, const char *key, const char *title, int pair)
{
	json_t *arr = json_object_get(o, key), *e;
	size_t i;
	vg_buf_addf(b, "<h2>%s (%zu)</h2>", title, json_array_size(arr));
	if (!json_array_size(arr))
		return;
	vg_buf_addf(b, "<table id=\"diff-%s\"><thead><tr><th>component</th>", key);
	vg_buf_adds(b, pair ? "<th>from</th><th>to</th>" : "<th>version</th><th>licenses</th>");
	vg_buf_adds(b, "</tr></thead><tbody>");
	json_array_foreach(arr, i, e)
	{
		vg_buf_adds(b, "<tr><td>");
		esc(b,
		    vg_json_str(e, "name") ? vg_json_str(e, "name") : vg_json_str(e, "identity"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(e, pair ? "from" : "version"));
		vg_buf_adds(b, "</td><td>");
		esc(b, vg_json_str(e, pair ? "to" : "licenses"));
		vg_buf_adds(b, "</td></tr>");
	}
	vg_buf_adds(b, "</tbody></table>");
}

static int diff_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	const char *pname = http_param(req, "p");
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	json_t *o = NULL;
	char title[600];

	if (!from || !to) {
		vg_error_set(&err, VG_EINVAL, "choose two versions to compare");
		return error_page(req, resp, "Diff", &err);
	}
	if (sbom_diff_json(req->db, pname, from, to, &o, &err))
		return error_page(req, resp, "Diff", &err);
	snprintf(title, sizeof(title), "%s: %s to %s", pname, from, to);
	ui_page_begin(req, resp, title, "products");
	vg_buf_adds(b, "<p><a href=\"/ui/products/");
	url(b, pname);
	vg_buf_adds(b, "\">back to the product</a></p>");
	diff_table(b, o, "added", "Added", 0);
	diff_table(b, o, "removed", "Removed", 0);
	diff_table(b, o, "upgraded", "Upgraded", 1);
	diff_table(b, o, "downgraded", "Downgraded", 1);
	diff_table(b, o, "changed", "Other version", 1);
	diff_table(b, o, "license_changes", "License changes", 1);
	json_decref(o);
	return ui_page_end(resp);
}

const struct http_route sbom_ui_routes[] = {
    {"GET", "/ui/products", ROLE_READ, HTTP_UI, products_page, "Products page", "ui"},
    {"POST", "/ui/products", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, products_post,
     "Create a product (form)", "ui"},
    {"GET", "/ui/products/{p}", ROLE_READ, HTTP_UI, product_page,
     "A product: versions and SBOM revisions", "ui"},
    {"GET", "/ui/products/{p}/versions/{v}", ROLE_READ, HTTP_UI, version_page,
     "Components of a version, with search", "ui"},
    {"GET", "/ui/products/{p}/diff", ROLE_READ, HTTP_UI, diff_page, "Diff between two versions",
     "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
