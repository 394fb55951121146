/*
 * ui_sbom.c - the Products pages: products, a product's versions and SBOM
 * revisions with upload metadata, a version's components with search, and
 * the diff between two versions. Server-rendered; no JavaScript needed.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "http/html.h"
#include "http/ui.h"
#include "sbom/inventory.h"
#include "sbom/product.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int error_page(struct http_req *req, struct http_resp *resp, const char *title,
		      const struct vg_error *err)
{
	ui_page_begin(req, resp, title, "products");
	resp->status = vg_code_http_status(err->code);
	html(&resp->body,
	     "<p class=\"error\" role=\"alert\">%s</p><p><a href=\"/ui/products\">All "
	     "products</a></p>",
	     vg_error_msg(err));
	return ui_page_end(resp);
}

/* t as RFC 3339 text, "" for 0. */
static const char *when(int64_t t, char *buf, size_t n)
{
	if (!t) {
		buf[0] = '\0';
		return buf;
	}
	return vg_time_format(t, buf, n);
}

static int products_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct product_list l;

	if (product_list(req->db, &l, &err))
		return error_page(req, resp, "Products", &err);
	ui_page_begin(req, resp, "Products", "products");
	html_raw(b, "<table id=\"products\"><thead><tr><th>product</th><th>vendor</th>"
		    "<th>CRA class</th><th>support until</th><th>placed on market</th>"
		    "<th>versions</th></tr></thead><tbody>");
	for (size_t i = 0; i < l.n; i++) {
		const struct product *p = &l.items[i];
		html_raw(b, "<tr><td><a href=\"/ui/products/");
		html_url(b, p->name);
		html(b,
		     "\">%s</a></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%lld</td></tr>",
		     p->name, p->vendor, p->cra_class, p->support_until, p->placed_on_market,
		     (long long)p->version_count);
	}
	if (!l.n)
		html_raw(b, "<tr><td colspan=\"6\">No products yet.</td></tr>");
	html_raw(b, "</tbody></table>");
	product_list_release(&l);
	if (req->who.role & (ROLE_ADMIN | ROLE_PSIRT)) {
		html_raw(b, "<h2>New product</h2><form method=\"post\" action=\"/ui/products\" "
			    "class=\"card\" id=\"new-product\">");
		ui_csrf_field(req, resp);
		html_raw(b, "<label>Name <input name=\"name\" required maxlength=\"200\"></label> "
			    "<label>Vendor <input name=\"vendor\" maxlength=\"200\"></label> "
			    "<label>CRA class <select name=\"cra_class\"><option>default</option>"
			    "<option>important-1</option><option>important-2</option>"
			    "<option>critical</option></select></label> "
			    "<label>Support until <input name=\"support_until\" "
			    "placeholder=\"YYYY-MM\" pattern=\"[0-9]{4}-[0-9]{2}\"></label> "
			    "<label>Placed on market <input name=\"placed_on_market\" "
			    "placeholder=\"YYYY-MM-DD\"></label> "
			    "<label><input type=\"checkbox\" name=\"public\" value=\"yes\"> "
			    "Public: offered on the vulnerability report form</label> "
			    "<button type=\"submit\">Create</button></form>");
	}
	return ui_page_end(resp);
}

static int products_post(struct http_req *req, struct http_resp *resp)
{
	char name[256], vendor[256], cls[32], su[16], pm[16], pub[8];
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
	p.public_set = 1;
	p.is_public =
	    http_form(req, "public", pub, sizeof(pub)) == VG_OK && strcmp(pub, "yes") == 0;
	if (product_create(req->db, &p, &err))
		return error_page(req, resp, "Products", &err);
	vg_buf_adds(&loc, "/ui/products/");
	html_url(&loc, name);
	rc = http_redirect(resp, loc.data);
	vg_buf_release(&loc);
	return rc;
}

static void version_options(struct vg_buf *b, const struct product_version_list *v, size_t sel)
{
	for (size_t i = 0; i < v->n; i++)
		html(b, "<option%s>%s</option>", i == sel ? " selected" : "", v->items[i].version);
}

static int product_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	const char *pname = http_param(req, "p");
	struct product p;
	struct product_version_list vers;
	struct sbom_revision_list sboms;
	char title[300], t1[VG_TIME_BUFSZ], t2[VG_TIME_BUFSZ];

	if (product_show(req->db, pname, &p, &vers, &err))
		return error_page(req, resp, "Product", &err);
	if (sbom_revision_list(req->db, pname, NULL, &sboms, &err)) {
		product_release(&p);
		product_version_list_release(&vers);
		return error_page(req, resp, "Product", &err);
	}
	snprintf(title, sizeof(title), "Product %s", pname);
	ui_page_begin(req, resp, title, "products");
	html(b,
	     "<dl class=\"facts\"><dt>vendor</dt><dd>%s</dd><dt>CRA class</dt><dd>%s</dd>"
	     "<dt>support until</dt><dd>%s</dd><dt>placed on market</dt><dd>%s</dd>"
	     "<dt>public</dt><dd id=\"product-public\">%s</dd></dl>",
	     p.vendor, p.cra_class, p.support_until, p.placed_on_market,
	     p.is_public ? "yes: offered on the reporting portal (/report)"
			 : "no: not named on the reporting portal");
	html_raw(b, "<h2>Versions</h2><table id=\"versions\"><thead><tr>"
		    "<th>version</th><th>SBOM revisions</th><th>last upload</th></tr></thead>"
		    "<tbody>");
	for (size_t i = 0; i < vers.n; i++) {
		const struct product_version *v = &vers.items[i];
		html_raw(b, "<tr><td><a href=\"/ui/products/");
		html_url(b, pname);
		html_raw(b, "/versions/");
		html_url(b, v->version);
		html(b, "\">%s</a></td><td>%lld</td><td>%s</td></tr>", v->version,
		     (long long)v->revisions, when(v->last_upload_at, t1, sizeof(t1)));
	}
	html_raw(b, "</tbody></table>");
	if (vers.n >= 2) {
		html_raw(b, "<h2>Compare versions</h2><form method=\"get\" action=\"/ui/products/");
		html_url(b, pname);
		html_raw(b, "/diff\" id=\"diff-form\"><label>from <select name=\"from\">");
		version_options(b, &vers, 0);
		html_raw(b, "</select></label> <label>to <select name=\"to\">");
		version_options(b, &vers, vers.n - 1);
		html_raw(b, "</select></label> <button type=\"submit\">Show diff</button></form>");
	}
	html_raw(b, "<h2>SBOM revisions</h2><table id=\"revisions\"><thead><tr><th>id</th>"
		    "<th>version</th><th>rev</th><th>format</th><th>components</th>"
		    "<th>held</th><th>uploaded (UTC)</th><th>by</th><th>from</th>"
		    "<th>keep until</th><th>original</th></tr></thead><tbody>");
	for (size_t i = 0; i < sboms.n; i++) {
		const struct sbom_revision *r = &sboms.items[i];
		html(b, "<tr><td>%lld</td><td>%s</td><td>%lld</td><td>%s %s %s</td><td>%lld</td>",
		     (long long)r->id, r->version, (long long)r->revision, r->format,
		     r->spec_version, r->encoding, (long long)r->component_count);
		/* held for a person: the flag, with the reason on hover */
		if (SBOM_REVISION_HELD(r))
			html(b, "<td class=\"error held\" title=\"%s\">held</td>", r->held_reason);
		else if (r->held_reason)
			html(b, "<td title=\"%s\">approved by %s</td>", r->held_reason,
			     r->approved_by);
		else
			html_raw(b, "<td></td>");
		html(b,
		     "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td><a "
		     "href=\"/api/v1/sboms/%lld/original\" title=\"sha256 %s\">download</a></td>"
		     "</tr>",
		     when(r->uploaded_at, t1, sizeof(t1)), r->uploaded_by, r->uploaded_from,
		     when(r->retain_until, t2, sizeof(t2)), (long long)r->id, r->sha256);
	}
	if (!sboms.n)
		html_raw(b, "<tr><td colspan=\"11\">No SBOM uploaded yet: <code>vigil sbom import "
			    "FILE --product P --version V</code></td></tr>");
	html_raw(b, "</tbody></table>");
	product_release(&p);
	product_version_list_release(&vers);
	sbom_revision_list_release(&sboms);
	return ui_page_end(resp);
}

static int version_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	const char *pname = http_param(req, "p"), *ver = http_param(req, "v");
	const char *q = http_query(req, "q");
	struct sbom_contents c;
	char title[600];

	if (q && strlen(q) > 200)
		q = NULL;
	if (sbom_components(req->db, pname, ver, q, 1000, 0, &c, &err))
		return error_page(req, resp, "Version", &err);
	snprintf(title, sizeof(title), "%s %s", pname, ver);
	ui_page_begin(req, resp, title, "products");
	html_raw(b, "<p><a href=\"/ui/products/");
	html_url(b, pname);
	html(b,
	     "\">back to the product</a></p><form method=\"get\" id=\"search\">"
	     "<label>Search components <input type=\"search\" name=\"q\" value=\"%s\" "
	     "placeholder=\"name, purl or license\"></label> <button "
	     "type=\"submit\">Search</button></form>",
	     q);
	if (SBOM_REVISION_HELD(&c.rev))
		html(b,
		     "<p class=\"error\" id=\"held\">Revision %lld (SBOM %lld) is held. Why: %s. "
		     "Its findings are not reconciled until an admin or psirt approves it (here, "
		     "with <code>vigil sbom approve %lld</code>, or POST "
		     "/api/v1/sboms/%lld/approve).</p>",
		     (long long)c.rev.revision, (long long)c.rev.id, c.rev.held_reason,
		     (long long)c.rev.id, (long long)c.rev.id);
	if (SBOM_REVISION_HELD(&c.rev) && (req->who.role & (ROLE_ADMIN | ROLE_PSIRT))) {
		html(b, "<form method=\"post\" id=\"approve\" action=\"/ui/sboms/%lld/approve\">",
		     (long long)c.rev.id);
		ui_csrf_field(req, resp);
		html_raw(b, "<button type=\"submit\">Approve revision and reconcile its "
			    "findings</button></form>");
	}
	ui_flash(req, b, "version");
	html(b, "<p id=\"component-count\">%zu components%s</p>", c.n_components,
	     c.n_components == 1000 ? " (first 1000)" : "");
	html_raw(b, "<table id=\"components\"><thead><tr><th>name</th><th>version</th>"
		    "<th>type</th><th>purl</th><th>licenses</th><th>supplier</th></tr></thead>"
		    "<tbody>");
	for (size_t i = 0; i < c.n_components; i++) {
		const struct sbom_stored_component *e = &c.components[i];
		html(b,
		     "<tr><td>%s%s%s</td><td>%s</td><td>%s</td><td><code>%s</code></td><td>%s</td>"
		     "<td>%s</td></tr>",
		     e->group, e->group ? "/" : "", e->name, e->version, e->type, e->purl,
		     e->licenses, e->supplier);
	}
	html_raw(b, "</tbody></table>");
	sbom_contents_release(&c);
	return ui_page_end(resp);
}

/* POST /ui/sboms/{id}/approve: a person approves a held revision; back to
 * its version page with a confirmation. */
static int approve_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct sbom_revision r = {0};
	struct vg_buf loc = VG_BUF_INIT;
	int64_t id;
	int rc;

	if (vg_id_parse(http_param(req, "id"), "SBOM id", &id, &err) ||
	    sbom_approve(req->db, id, &err) || sbom_revision_get(req->db, id, &r, &err))
		return error_page(req, resp, "Approve revision", &err);
	vg_buf_adds(&loc, "/ui/products/");
	html_url(&loc, r.product);
	vg_buf_adds(&loc, "/versions/");
	html_url(&loc, r.version);
	vg_buf_adds(&loc, "?done=approved");
	rc = http_redirect(resp, loc.data);
	vg_buf_release(&loc);
	sbom_revision_release(&r);
	return rc;
}

static void diff_table(struct vg_buf *b, const struct sbom_diff *d, enum sbom_change_kind k,
		       const char *title)
{
	int pair = k != SBOM_ADDED && k != SBOM_REMOVED;
	html(b, "<h2>%s (%zu)</h2>", title, d->n[k]);
	if (!d->n[k])
		return;
	html(b, "<table id=\"diff-%s\"><thead><tr><th>component</th>", sbom_change_kind_name(k));
	html_raw(b, pair ? "<th>from</th><th>to</th>" : "<th>version</th><th>licenses</th>");
	html_raw(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < d->n[k]; i++) {
		const struct sbom_change *e = &d->changes[k][i];
		html(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>",
		     e->name ? e->name : e->identity, pair ? e->from : e->version,
		     pair ? e->to : e->licenses);
	}
	html_raw(b, "</tbody></table>");
}

static int diff_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	const char *pname = http_param(req, "p");
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	struct sbom_diff d;
	char title[600];

	if (!from || !to) {
		vg_error_set(&err, VG_EINVAL, "choose two versions to compare");
		return error_page(req, resp, "Diff", &err);
	}
	if (sbom_diff(req->db, pname, from, to, &d, &err))
		return error_page(req, resp, "Diff", &err);
	snprintf(title, sizeof(title), "%s: %s to %s", pname, from, to);
	ui_page_begin(req, resp, title, "products");
	html_raw(b, "<p><a href=\"/ui/products/");
	html_url(b, pname);
	html_raw(b, "\">back to the product</a></p>");
	diff_table(b, &d, SBOM_ADDED, "Added");
	diff_table(b, &d, SBOM_REMOVED, "Removed");
	diff_table(b, &d, SBOM_UPGRADED, "Upgraded");
	diff_table(b, &d, SBOM_DOWNGRADED, "Downgraded");
	diff_table(b, &d, SBOM_CHANGED, "Other version");
	diff_table(b, &d, SBOM_LICENSE_CHANGED, "License changes");
	sbom_diff_release(&d);
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
    {"POST", "/ui/sboms/{id}/approve", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, approve_post,
     "Approve a held revision (form)", "ui"},
    {"GET", "/ui/products/{p}/diff", ROLE_READ, HTTP_UI, diff_page, "Diff between two versions",
     "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
