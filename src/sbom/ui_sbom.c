/*
 * ui_sbom.c - the Products pages: products, a product's versions and SBOM
 * revisions with upload metadata, a version's components with search, and
 * the diff between two versions. Server-rendered; no JavaScript needed.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "http/html.h"
#include "http/multipart.h"
#include "http/ui.h"
#include "sbom/support_hook.h"
#include "sbom/validate.h"
#include "sbom/inventory.h"
#include "sbom/product.h"
#include "sbom/quality.h"
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

/* ---- plain words for the room's codes (html_label) ---- */

static const struct html_label cra_class_labels[] = {
    {"default", "Default (self-assessment)"},
    {"important-1", "Important, class I"},
    {"important-2", "Important, class II"},
    {"critical", "Critical"},
    {NULL, NULL},
};

static const struct html_label format_labels[] = {
    {"cyclonedx", "CycloneDX"},
    {"spdx", "SPDX"},
    {NULL, NULL},
};

static const struct html_label encoding_labels[] = {
    {"json", "JSON"},       {"xml", "XML"}, {"tag-value", "tag-value"},
    {"json-ld", "JSON-LD"}, {NULL, NULL},
};

static const struct html_label component_type_labels[] = {
    {"application", "Application"},
    {"framework", "Framework"},
    {"library", "Library"},
    {"container", "Container image"},
    {"platform", "Platform"},
    {"operating-system", "Operating system"},
    {"device", "Device"},
    {"device-driver", "Device driver"},
    {"firmware", "Firmware"},
    {"file", "File"},
    {"machine-learning-model", "Machine-learning model"},
    {"data", "Data"},
    {"cryptographic-asset", "Cryptographic asset"},
    {NULL, NULL},
};

/* ---- the product form (create and edit) ----
 *
 * A form sent back with an error is a page like any other (200), the
 * error at its field and in a summary at the top, what was typed kept
 * (GOV.UK's pattern): nothing was stored. */

/* What was typed, kept when the form comes back with an error. */
struct product_form {
	char name[256], vendor[256], cls[32], su[16], pm[16], pol[16], qp[32];
	int is_public;
	const char *bad_field; /* the field in error, or NULL */
	struct vg_error err;
};

static void form_from_product(struct product_form *f, const struct product *p)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", p->name ? p->name : "");
	snprintf(f->vendor, sizeof(f->vendor), "%s", p->vendor ? p->vendor : "");
	snprintf(f->cls, sizeof(f->cls), "%s", p->cra_class ? p->cra_class : "default");
	snprintf(f->su, sizeof(f->su), "%s", p->support_until ? p->support_until : "");
	snprintf(f->pm, sizeof(f->pm), "%s", p->placed_on_market ? p->placed_on_market : "");
	f->is_public = p->is_public;
	snprintf(f->pol, sizeof(f->pol), "%s", p->sbom_policy ? p->sbom_policy : "default");
	snprintf(f->qp, sizeof(f->qp), "%s",
		 p->sbom_quality_profile ? p->sbom_quality_profile : "none");
}

/* The import policies and quality profiles a product may choose. */
static const struct html_label policy_labels[] = {
    {"default", "Default (the setting sbom.policy)"},
    {"standard", "Standard: import with violations that do not change what is read, listed"},
    {"strict", "Strict: refuse any violation of the official schema"},
    {NULL, NULL},
};
static const struct html_label profile_labels[] = {
    {"none", "None"},
    {"ntia", "NTIA minimum elements"},
    {"bsi-tr-03183-2", "BSI TR-03183-2 v2.0.0"},
    {NULL, NULL},
};

/* The field's error message, when it is the field in error. */
static void field_error(struct vg_buf *b, const struct product_form *f, const char *field)
{
	if (f->bad_field && strcmp(f->bad_field, field) == 0)
		html(b, "<span class=\"field-error\" id=\"pf-%s-error\">%s</span>", field,
		     vg_error_msg(&f->err));
}

static const char *invalid_attr(const struct product_form *f, const char *field)
{
	if (!f->bad_field || strcmp(f->bad_field, field))
		return "";
	if (strcmp(field, "name") == 0)
		return " aria-invalid=\"true\" aria-describedby=\"pf-name-error\"";
	if (strcmp(field, "vendor") == 0)
		return " aria-invalid=\"true\" aria-describedby=\"pf-vendor-error\"";
	if (strcmp(field, "cra_class") == 0)
		return " aria-invalid=\"true\" aria-describedby=\"pf-cra_class-error\"";
	if (strcmp(field, "support_until") == 0)
		return " aria-invalid=\"true\" aria-describedby=\"pf-support_until-error\"";
	if (strcmp(field, "sbom_policy") == 0)
		return " aria-invalid=\"true\" aria-describedby=\"pf-sbom_policy-error\"";
	if (strcmp(field, "quality_profile") == 0)
		return " aria-invalid=\"true\" aria-describedby=\"pf-quality_profile-error\"";
	return " aria-invalid=\"true\" aria-describedby=\"pf-placed_on_market-error\"";
}

/*
 * The product form: new (action /ui/products) or edit (action
 * /ui/products/{name}, the name fixed). Every field is labelled; an error
 * sits at its field with what was typed kept.
 */
static void product_form_html(struct http_req *req, struct http_resp *resp,
			      const struct product_form *f, int editing)
{
	struct vg_buf *b = &resp->body;
	if (editing) {
		html_raw(b, "<form method=\"post\" class=\"card product-form\" id=\"edit-product\" "
			    "action=\"/ui/products/");
		html_url(b, f->name);
		html_raw(b, "\">");
	} else
		html_raw(b, "<form method=\"post\" action=\"/ui/products\" class=\"card "
			    "product-form\" id=\"new-product\">");
	ui_csrf_field(req, resp);
	if (f->bad_field)
		html(b,
		     "<div class=\"error-summary\" role=\"alert\" id=\"error\"><p>The product was "
		     "not saved:</p><p><a href=\"#pf-%s\">%s</a></p></div>",
		     f->bad_field, vg_error_msg(&f->err));
	if (!editing) {
		html_raw(b, "<div class=\"field\"><label for=\"pf-name\">Name</label>"
			    "<span class=\"hint\" id=\"pf-name-hint\">Used in addresses and file "
			    "names: no '/', '\\' or control characters; it cannot be changed "
			    "later.</span>");
		field_error(b, f, "name");
		html(b,
		     "<input id=\"pf-name\" name=\"name\" required maxlength=\"200\" value=\"%s\"",
		     f->name);
		html_raw(b, invalid_attr(f, "name"));
		html_raw(b, "></div>");
	}
	html_raw(b, "<div class=\"field\"><label for=\"pf-vendor\">Vendor</label>");
	field_error(b, f, "vendor");
	html(b, "<input id=\"pf-vendor\" name=\"vendor\" maxlength=\"200\" value=\"%s\"",
	     f->vendor);
	html_raw(b, invalid_attr(f, "vendor"));
	html_raw(b, "></div>");
	html_raw(b, "<div class=\"field\"><label for=\"pf-cra_class\">CRA class</label>");
	field_error(b, f, "cra_class");
	html_raw(b, "<select id=\"pf-cra_class\" name=\"cra_class\"");
	html_raw(b, invalid_attr(f, "cra_class"));
	html_raw(b, ">");
	for (const struct html_label *l = cra_class_labels; l->code; l++)
		html(b, "<option value=\"%s\"%s>%s</option>", l->code,
		     strcmp(f->cls, l->code) == 0 ? " selected" : "", l->text);
	html_raw(b, "</select></div><div class=\"field\"><label for=\"pf-support_until\">Support "
		    "until</label><span class=\"hint\">Year and month, YYYY-MM: the end of the "
		    "support period (originals are kept 10 years, or to this date if "
		    "later)</span>");
	field_error(b, f, "support_until");
	html(b,
	     "<input id=\"pf-support_until\" name=\"support_until\" placeholder=\"YYYY-MM\" "
	     "value=\"%s\"",
	     f->su);
	html_raw(b, invalid_attr(f, "support_until"));
	html_raw(b, "></div>");
	html_raw(b, "<div class=\"field\"><label for=\"pf-placed_on_market\">Placed on "
		    "market</label><span class=\"hint\">A date, YYYY-MM-DD</span>");
	field_error(b, f, "placed_on_market");
	html(b,
	     "<input id=\"pf-placed_on_market\" name=\"placed_on_market\" "
	     "placeholder=\"YYYY-MM-DD\" value=\"%s\"",
	     f->pm);
	html_raw(b, invalid_attr(f, "placed_on_market"));
	html_raw(b, "></div>");
	html_raw(b, "<div class=\"field\"><label for=\"pf-sbom_policy\">SBOM policy</label><span "
		    "class=\"hint\">What an upload that breaks its official schema gets. Documents "
		    "without a creation time, creator, identity or element ids are refused "
		    "under every policy.</span>");
	field_error(b, f, "sbom_policy");
	html_raw(b, "<select id=\"pf-sbom_policy\" name=\"sbom_policy\"");
	html_raw(b, invalid_attr(f, "sbom_policy"));
	html_raw(b, ">");
	for (const struct html_label *l = policy_labels; l->code; l++)
		html(b, "<option value=\"%s\"%s>%s</option>", l->code,
		     strcmp(f->pol, l->code) == 0 ? " selected" : "", l->text);
	html_raw(b, "</select></div><div class=\"field\"><label for=\"pf-quality_profile\">SBOM "
		    "quality profile</label><span class=\"hint\">A version whose newest SBOM does "
		    "not meet it is marked below the profile.</span>");
	field_error(b, f, "quality_profile");
	html_raw(b, "<select id=\"pf-quality_profile\" name=\"quality_profile\"");
	html_raw(b, invalid_attr(f, "quality_profile"));
	html_raw(b, ">");
	for (const struct html_label *l = profile_labels; l->code; l++)
		html(b, "<option value=\"%s\"%s>%s</option>", l->code,
		     strcmp(f->qp, l->code) == 0 ? " selected" : "", l->text);
	html_raw(b, "</select></div>");
	html(b,
	     "<div class=\"field check\"><input type=\"checkbox\" id=\"pf-public\" name=\"public\" "
	     "value=\"yes\"%s><label for=\"pf-public\">Public: named on the vulnerability "
	     "report form (/report)</label></div><input type=\"hidden\" name=\"public_shown\" "
	     "value=\"1\"><button type=\"submit\">%s</button>",
	     f->is_public ? " checked" : "", editing ? "Save changes" : "Create product");
	if (editing) {
		html_raw(b, " <a href=\"/ui/products/");
		html_url(b, f->name);
		html_raw(b, "\">Cancel</a>");
	}
	html_raw(b, "</form>");
}

/* The form's fields into f and p (p's strings point into f). */
static void read_product_form(struct http_req *req, struct product_form *f, struct product_info *p,
			      int editing)
{
	char pub[8];
	memset(f, 0, sizeof(*f));
	if (!editing && http_form(req, "name", f->name, sizeof(f->name)) == VG_ETOOBIG) {
		f->bad_field = "name";
		vg_error_set(&f->err, VG_EINVAL, "product name must be 1 to 200 characters");
	}
	(void)http_form(req, "vendor", f->vendor, sizeof(f->vendor));
	(void)http_form(req, "cra_class", f->cls, sizeof(f->cls));
	(void)http_form(req, "support_until", f->su, sizeof(f->su));
	(void)http_form(req, "placed_on_market", f->pm, sizeof(f->pm));
	(void)http_form(req, "sbom_policy", f->pol, sizeof(f->pol));
	(void)http_form(req, "quality_profile", f->qp, sizeof(f->qp));
	f->is_public =
	    http_form(req, "public", pub, sizeof(pub)) == VG_OK && strcmp(pub, "yes") == 0;
	p->name = editing ? http_param(req, "p") : f->name;
	if (editing)
		snprintf(f->name, sizeof(f->name), "%s", p->name);
	/* an emptied field is left as it was: the store keeps no "unset" */
	p->vendor = *f->vendor ? f->vendor : NULL;
	p->cra_class = *f->cls ? f->cls : NULL;
	p->support_until = *f->su ? f->su : NULL;
	p->placed_on_market = *f->pm ? f->pm : NULL;
	p->sbom_policy = *f->pol ? f->pol : NULL;
	p->quality_profile = *f->qp ? f->qp : NULL;
	p->public_set = 1;
	p->is_public = f->is_public;
}

static void products_table(struct vg_buf *b, const struct product_list *l)
{
	html_raw(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"Products\"><table id=\"products\"><thead><tr><th "
		    "scope=\"col\">Product</th><th scope=\"col\">Vendor</th><th scope=\"col\">CRA "
		    "class</th><th scope=\"col\">Support until</th><th scope=\"col\">Placed on "
		    "market</th><th scope=\"col\">Public</th><th scope=\"col\">Versions</th>"
		    "</tr></thead><tbody>");
	for (size_t i = 0; i < l->n; i++) {
		const struct product *p = &l->items[i];
		html_raw(b, "<tr><td><a href=\"/ui/products/");
		html_url(b, p->name);
		html(b,
		     "\">%s</a></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
		     "<td>%lld</td></tr>",
		     p->name, p->vendor, html_label(cra_class_labels, p->cra_class),
		     p->support_until, p->placed_on_market, p->is_public ? "yes" : "no",
		     (long long)p->version_count);
	}
	if (!l->n)
		html_raw(b, "<tr><td colspan=\"7\">No products yet.</td></tr>");
	html_raw(b, "</tbody></table></div>");
}

/* The products page; f is the new-product form as typed (NULL: empty). */
static int products_render(struct http_req *req, struct http_resp *resp,
			   const struct product_form *f)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct product_list l;
	struct product_form empty;

	if (product_list(req->db, &l, &err))
		return error_page(req, resp, "Products", &err);
	ui_page_begin(req, resp, "Products", "products");
	if (req->who.role & (ROLE_ADMIN | ROLE_PSIRT))
		html_raw(b,
			 "<p class=\"page-actions\"><a class=\"button\" href=\"#new-product\">New "
			 "product</a></p>");
	products_table(b, &l);
	product_list_release(&l);
	if (req->who.role & (ROLE_ADMIN | ROLE_PSIRT)) {
		if (!f) {
			memset(&empty, 0, sizeof(empty));
			snprintf(empty.cls, sizeof(empty.cls), "default");
			snprintf(empty.pol, sizeof(empty.pol), "default");
			snprintf(empty.qp, sizeof(empty.qp), "none");
			f = &empty;
		}
		html_raw(b, "<h2 id=\"new\">New product</h2>");
		product_form_html(req, resp, f, 0);
	}
	return ui_page_end(resp);
}

static int products_page(struct http_req *req, struct http_resp *resp)
{
	return products_render(req, resp, NULL);
}

static int redirect_product(struct http_resp *resp, const char *name, const char *suffix)
{
	struct vg_buf loc = VG_BUF_INIT;
	int rc;
	vg_buf_adds(&loc, "/ui/products/");
	html_url(&loc, name);
	if (suffix)
		vg_buf_adds(&loc, suffix);
	rc = loc.data ? http_redirect(resp, loc.data) : VG_ENOMEM;
	vg_buf_release(&loc);
	return rc;
}

static int products_post(struct http_req *req, struct http_resp *resp)
{
	struct product_form f;
	struct product_info p = {0};
	const char *field = NULL;

	read_product_form(req, &f, &p, 0);
	if (f.bad_field)
		return products_render(req, resp, &f);
	if (product_check(&p, 1, &field, &f.err)) {
		f.bad_field = field ? field : "name";
		return products_render(req, resp, &f);
	}
	if (product_create(req->db, &p, &f.err)) {
		/* the one error left after the checks: the name is taken */
		f.bad_field = "name";
		return products_render(req, resp, &f);
	}
	return redirect_product(resp, f.name, "?created=1");
}

/* GET /ui/products/{p}/edit, or the edit form again with f's error. */
static int edit_render(struct http_req *req, struct http_resp *resp, const struct product_form *f)
{
	struct vg_error err = {0};
	struct product p;
	struct product_form from_db;
	char title[300];

	if (product_get(req->db, http_param(req, "p"), &p, &err))
		return error_page(req, resp, "Edit product", &err);
	if (!f) {
		form_from_product(&from_db, &p);
		f = &from_db;
	}
	snprintf(title, sizeof(title), "Edit product %s", p.name);
	ui_page_begin(req, resp, title, "products");
	product_form_html(req, resp, f, 1);
	product_release(&p);
	return ui_page_end(resp);
}

static int edit_page(struct http_req *req, struct http_resp *resp)
{
	return edit_render(req, resp, NULL);
}

/* POST /ui/products/{p}: save the edit form. */
static int edit_post(struct http_req *req, struct http_resp *resp)
{
	struct product_form f;
	struct product_info p = {0};
	struct product cur;
	const char *field = NULL;

	if (product_get(req->db, http_param(req, "p"), &cur, &f.err))
		return error_page(req, resp, "Edit product", &f.err);
	product_release(&cur);
	read_product_form(req, &f, &p, 1);
	if (product_check(&p, 0, &field, &f.err)) {
		f.bad_field = field ? field : "vendor";
		return edit_render(req, resp, &f);
	}
	if (product_update(req->db, &p, &f.err))
		return error_page(req, resp, "Edit product", &f.err);
	return redirect_product(resp, p.name, "?saved=1");
}

static void version_options(struct vg_buf *b, const struct product_version_list *v, size_t sel)
{
	for (size_t i = 0; i < v->n; i++)
		html(b, "<option%s>%s</option>", i == sel ? " selected" : "", v->items[i].version);
}

/* ---- SBOM upload from the browser ---- */

/* The upload form as typed, and what was wrong with the file. */
struct upload_form {
	char version[256];
	char filename[MP_FILENAME_MAX];
	const char *bad_field; /* "version", "file", or NULL */
	struct vg_error err;
	const struct sbom_violation_list *v; /* the refused file's violations, or NULL */
	const char *policy;                  /* the policy that refused it */
};

/* Violations of a file: the place (JSON pointer, and the line where known:
 * XML, tag-value), what was expected, and (refused files) whether it is
 * one no policy lets through. id: the table's id; caption: its caption. */
static void violation_table(struct vg_buf *b, const struct sbom_violation_list *v, const char *id,
			    const char *caption, int show_fatal)
{
	int lines = 0;
	for (size_t i = 0; i < v->n; i++)
		lines |= v->items[i].line != 0;
	html(b,
	     "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
	     "aria-label=\"%s\"><table class=\"validation-errors\" "
	     "id=\"%s\"><caption>%s</caption><thead><tr><th "
	     "scope=\"col\">Place</th>",
	     caption, id, caption);
	if (lines)
		html_raw(b, "<th scope=\"col\">Line</th>");
	html_raw(b, "<th scope=\"col\">Expected</th>");
	if (show_fatal)
		html_raw(b, "<th scope=\"col\">Refused under</th>");
	html_raw(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < v->n; i++) {
		const struct sbom_validation_error *e = &v->items[i];
		html(b, "<tr><td><code>%s</code></td>", e->pointer ? e->pointer : "(the document)");
		if (lines && e->line)
			html(b, "<td>%d</td>", e->line);
		else if (lines)
			html_raw(b, "<td></td>");
		html(b, "<td>%s</td>", e->message);
		if (show_fatal)
			html_raw(b, e->fatal ? "<td>every policy</td>" : "<td>strict</td>");
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
	if (v->n_dropped)
		html(b, "<p>and %zu more violations.</p>", v->n_dropped);
}

static void validation_table(struct vg_buf *b, const struct upload_form *u)
{
	char cap[400];
	snprintf(cap, sizeof(cap), "Violations in %s (policy %s)",
		 *u->filename ? u->filename : "the file", u->policy ? u->policy : "");
	violation_table(b, u->v, "validation-errors", cap, 1);
}

static void upload_form_html(struct http_req *req, struct http_resp *resp, const char *product,
			     const struct upload_form *u)
{
	struct vg_buf *b = &resp->body;
	int badv = u && u->bad_field && strcmp(u->bad_field, "version") == 0;
	int badf = u && u->bad_field && strcmp(u->bad_field, "file") == 0;

	html_raw(b, "<h2 id=\"upload\">Upload an SBOM</h2><form method=\"post\" "
		    "enctype=\"multipart/form-data\" class=\"card upload-form\" id=\"upload-sbom\" "
		    "action=\"/ui/products/");
	html_url(b, product);
	html_raw(b, "/sboms\">");
	ui_csrf_field(req, resp);
	if (u && u->bad_field)
		html(b,
		     "<div class=\"error-summary\" role=\"alert\" id=\"error\"><p>The SBOM was not "
		     "stored:</p><p><a href=\"#up-%s\">%s</a></p></div>",
		     u->bad_field, vg_error_msg(&u->err));
	html_raw(b, "<div class=\"field\"><label for=\"up-version\">Product version</label>"
		    "<span class=\"hint\">A new version is created; an existing one gets a new "
		    "revision.</span>");
	if (badv)
		html(b, "<span class=\"field-error\" id=\"up-version-error\">%s</span>",
		     vg_error_msg(&u->err));
	html(b, "<input id=\"up-version\" name=\"version\" required maxlength=\"200\" value=\"%s\"",
	     u ? u->version : "");
	html_raw(b, badv ? " aria-invalid=\"true\" aria-describedby=\"up-version-error\"></div>"
			 : "></div>");
	html_raw(b, "<div class=\"field\"><label for=\"up-file\">SBOM file</label><span "
		    "class=\"hint\">CycloneDX (JSON or XML) or SPDX (JSON, tag-value); it is "
		    "checked against the official schema under the product's SBOM policy before "
		    "anything is stored.</span>");
	if (badf) {
		html(b, "<div class=\"field-error\" id=\"up-file-error\"><p>%s%s%s</p>",
		     *u->filename ? u->filename : "", *u->filename ? ": " : "",
		     u->v && u->v->n > 1 ? "the document breaks its official schema or spec "
					   "as listed below"
					 : vg_error_msg(&u->err));
		if (u->v && u->v->n > 1)
			validation_table(b, u);
		html_raw(b, "<p>Choose the corrected file again: browsers do not keep a chosen "
			    "file.</p></div>");
	}
	html_raw(b, "<input id=\"up-file\" name=\"file\" type=\"file\" required "
		    "accept=\".json,.xml,.spdx,.cdx,application/json,application/xml\"");
	html_raw(b, badf ? " aria-invalid=\"true\" aria-describedby=\"up-file-error\"" : "");
	html_raw(b, "></div><button type=\"submit\">Upload and check</button></form>");
}

/* Quality scores of a revision as a table cell: "NTIA 86, BSI 40", with
 * "below profile" when the product's profile is not met (meets 0). */
static void quality_cell(struct vg_buf *b, int64_t ntia, int64_t bsi, int meets)
{
	if (ntia < 0) {
		html_raw(b, "<td class=\"muted\">not measured</td>");
		return;
	}
	html(b, "<td class=\"quality\">NTIA %lld, BSI %lld", (long long)ntia, (long long)bsi);
	if (meets == 0)
		html_raw(b, " <strong class=\"error below-profile\">below profile</strong>");
	html_raw(b, "</td>");
}

/* The product page; u is the upload form as posted (NULL: empty). */
static int product_render(struct http_req *req, struct http_resp *resp, const struct upload_form *u)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	const char *pname = http_param(req, "p");
	struct product p;
	struct product_version_list vers;
	struct sbom_revision_list sboms;
	char title[300];
	int writer = (req->who.role & (ROLE_ADMIN | ROLE_PSIRT)) != 0;

	if (product_show(req->db, pname, &p, &vers, &err))
		return error_page(req, resp, "Product", &err);
	if (sbom_revision_list(req->db, pname, NULL, &sboms, &err)) {
		product_release(&p);
		product_version_list_release(&vers);
		return error_page(req, resp, "Product", &err);
	}
	snprintf(title, sizeof(title), "Product %s", pname);
	ui_page_begin(req, resp, title, "products");
	if (http_query(req, "created"))
		html_raw(b, "<p class=\"ok\" id=\"flash\" role=\"status\">Product created. Upload "
			    "its first SBOM below.</p>");
	else if (http_query(req, "saved"))
		html_raw(b, "<p class=\"ok\" id=\"flash\" role=\"status\">Changes saved.</p>");
	html_raw(b, "<p class=\"page-actions\">");
	if (writer) {
		html_raw(b, "<a class=\"button\" id=\"edit-link\" href=\"/ui/products/");
		html_url(b, pname);
		html_raw(b, "/edit\">Edit product</a> <a class=\"button\" href=\"#upload\">Upload "
			    "SBOM</a> ");
	}
	html_raw(b, "<a href=\"/ui/findings?product=");
	html_url(b, pname);
	html_raw(b, "\">Findings of this product</a></p>");
	html(b,
	     "<dl class=\"facts\"><dt>Vendor</dt><dd>%s</dd><dt>CRA class</dt><dd>%s</dd>"
	     "<dt>Support until</dt><dd>%s</dd><dt>Placed on market</dt><dd>%s</dd>"
	     "<dt>Public</dt><dd id=\"product-public\">%s</dd><dt>SBOM policy</dt><dd "
	     "id=\"product-policy\">%s</dd><dt>Quality profile</dt><dd "
	     "id=\"product-profile\">%s</dd></dl>",
	     p.vendor, html_label(cra_class_labels, p.cra_class), p.support_until,
	     p.placed_on_market,
	     p.is_public ? "yes: offered on the reporting portal (/report)"
			 : "no: not named on the reporting portal",
	     html_label(policy_labels, p.sbom_policy ? p.sbom_policy : "default"),
	     html_label(profile_labels, p.sbom_quality_profile ? p.sbom_quality_profile : "none"));
	sbom_support_html(b, req->db, p.id); /* the programme record's support period */
	html_raw(b, "<h2>Versions</h2><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"Versions\"><table id=\"versions\"><thead><tr>"
		    "<th scope=\"col\">Version</th><th scope=\"col\">SBOM revisions</th><th "
		    "scope=\"col\">Last upload</th><th scope=\"col\">SBOM quality</th><th "
		    "scope=\"col\">Findings</th></tr></thead><tbody>");
	for (size_t i = 0; i < vers.n; i++) {
		const struct product_version *v = &vers.items[i];
		html_raw(b, "<tr><td><a href=\"/ui/products/");
		html_url(b, pname);
		html_raw(b, "/versions/");
		html_url(b, v->version);
		html(b, "\">%s</a></td><td>%lld</td><td>", v->version, (long long)v->revisions);
		html_time(b, v->last_upload_at, "");
		html_raw(b, "</td>");
		if (v->latest_sbom_id)
			quality_cell(b, v->quality_ntia, v->quality_bsi, v->meets_profile);
		else
			html_raw(b, "<td></td>");
		html_raw(b, "<td><a href=\"/ui/findings?product=");
		html_url(b, pname);
		html_raw(b, "&amp;version=");
		html_url(b, v->version);
		html(b, "\">findings of %s</a></td></tr>", v->version);
	}
	if (!vers.n)
		html_raw(b, "<tr><td colspan=\"5\">No versions yet: upload an SBOM.</td></tr>");
	html_raw(b, "</tbody></table></div>");
	if (vers.n >= 2) {
		html_raw(b, "<h2>Compare versions</h2><form method=\"get\" action=\"/ui/products/");
		html_url(b, pname);
		html_raw(b, "/diff\" id=\"diff-form\"><label>from <select name=\"from\">");
		version_options(b, &vers, 0);
		html_raw(b, "</select></label> <label>to <select name=\"to\">");
		version_options(b, &vers, vers.n - 1);
		html_raw(b, "</select></label> <button type=\"submit\">Show diff</button></form>");
	}
	if (writer)
		upload_form_html(req, resp, pname, u);
	html_raw(b, "<h2>SBOM revisions</h2><div class=\"table-wrap\" tabindex=\"0\" "
		    "role=\"region\" aria-label=\"SBOM revisions\"><table id=\"revisions\">"
		    "<thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Version</th><th "
		    "scope=\"col\">Rev.</th><th scope=\"col\">Format</th><th "
		    "scope=\"col\">Components</th><th scope=\"col\">Policy</th><th "
		    "scope=\"col\">Violations</th><th scope=\"col\">Quality</th><th "
		    "scope=\"col\">Held</th><th "
		    "scope=\"col\">Uploaded (UTC)</th><th scope=\"col\">By</th><th "
		    "scope=\"col\">Kept until</th><th scope=\"col\">Original</th></tr></thead>"
		    "<tbody>");
	for (size_t i = 0; i < sboms.n; i++) {
		const struct sbom_revision *r = &sboms.items[i];
		html(b, "<tr><td>%lld</td><td>%s</td><td>%lld</td><td>%s %s (%s)</td><td>%lld</td>",
		     (long long)r->id, r->version, (long long)r->revision,
		     html_label(format_labels, r->format), r->spec_version,
		     html_label(encoding_labels, r->encoding), (long long)r->component_count);
		html(b, "<td>%s</td><td>%lld</td>", r->policy ? r->policy : "strict",
		     (long long)r->violation_count);
		quality_cell(b, r->quality_ntia, r->quality_bsi,
			     !p.sbom_quality_profile                       ? -1
			     : strcmp(p.sbom_quality_profile, "ntia") == 0 ? r->ntia_ok
									   : r->bsi_ok);
		/* held for a person: the flag, with the reason on hover */
		if (SBOM_REVISION_HELD(r))
			html(b, "<td class=\"error held\" title=\"%s\">held</td>", r->held_reason);
		else if (r->held_reason)
			html(b, "<td title=\"%s\">approved by %s</td>", r->held_reason,
			     r->approved_by);
		else
			html_raw(b, "<td></td>");
		html_raw(b, "<td>");
		html_time(b, r->uploaded_at, "");
		html(b, "</td><td>%s<br><small class=\"muted\">%s</small></td><td>", r->uploaded_by,
		     r->uploaded_from);
		html_time(b, r->retain_until, "");
		html(b,
		     "</td><td><a href=\"/api/v1/sboms/%lld/original\" download title=\"%s, "
		     "sha256 %s\">download</a></td></tr>",
		     (long long)r->id, r->filename ? r->filename : "uploaded file", r->sha256);
	}
	if (!sboms.n)
		html_raw(b, "<tr><td colspan=\"13\">No SBOM uploaded yet.</td></tr>");
	html_raw(b, "</tbody></table></div>");
	product_release(&p);
	product_version_list_release(&vers);
	sbom_revision_list_release(&sboms);
	return ui_page_end(resp);
}

static int product_page(struct http_req *req, struct http_resp *resp)
{
	return product_render(req, resp, NULL);
}

/*
 * POST /ui/products/{p}/sboms (multipart/form-data: csrf, version, file):
 * the browser's SBOM upload, the same import as the API (a revision that
 * drops most components is still held). The file is checked against its
 * schema first: a refused file shows each error (JSON pointer or line and
 * what was expected) at the file field, the version kept, nothing stored.
 * The CSRF field is a part of the multipart body, which the server's
 * check does not read: it is checked here (the route is HTTP_NO_CSRF).
 */
static int upload_post(struct http_req *req, struct http_resp *resp)
{
	struct mp_part parts[8];
	const struct mp_part *pt;
	struct upload_form u;
	struct sbom_violation_list viol = {0};
	struct sbom_import_req r = {0};
	struct sbom_import_result res;
	struct vg_error err = {0};
	struct vg_buf loc = VG_BUF_INIT;
	int n = 0, rc;

	memset(&u, 0, sizeof(u));
	if (mp_parse(http_header(req, "Content-Type"), req->body.data ? req->body.data : "",
		     req->body.len, parts, 8, &n, &err)) {
		vg_error_prefix(&err, "the upload form");
		return error_page(req, resp, "Upload an SBOM", &err);
	}
	if (req->who.via_session) {
		char tok[96];
		pt = mp_find(parts, n, "csrf");
		snprintf(tok, sizeof(tok), "%.*s", pt ? (int)pt->n : 0, pt ? pt->data : "");
		if (!pt || pt->n >= sizeof(tok) || !vg_ct_streq(tok, req->who.csrf)) {
			vg_error_set(&err, VG_EPERM,
				     "The form expired; reload the page and try again.");
			return error_page(req, resp, "Upload an SBOM", &err);
		}
	}
	if ((pt = mp_find(parts, n, "version")))
		snprintf(u.version, sizeof(u.version), "%.*s", (int)pt->n, pt->data);
	pt = mp_find(parts, n, "file");
	if (pt)
		snprintf(u.filename, sizeof(u.filename), "%s", pt->filename);
	if (!*u.version) {
		u.bad_field = "version";
		vg_error_set(&u.err, VG_EINVAL, "give the product version this SBOM describes");
		return product_render(req, resp, &u);
	}
	if ((rc = vg_text_check("version", u.version, 200, 0, 1, &u.err))) {
		u.bad_field = "version";
		return product_render(req, resp, &u);
	}
	if (!pt || !pt->is_file || !pt->n) {
		u.bad_field = "file";
		vg_error_set(&u.err, VG_EINVAL,
			     pt && pt->is_file && *pt->filename
				 ? "the file is empty"
				 : "choose an SBOM file (CycloneDX or SPDX)");
		return product_render(req, resp, &u);
	}
	r.product = http_param(req, "p");
	r.version = u.version;
	r.data = pt->data;
	r.n = pt->n;
	r.filename = *u.filename ? u.filename : "upload";
	/* the product's policy decides: refused files show every violation */
	if (sbom_import_ex(req->db, &r, &res, &viol, &u.err)) {
		u.bad_field = u.err.code == VG_ENOTFOUND ? NULL : "file";
		if (!u.bad_field) {
			sbom_violation_list_release(&viol);
			return error_page(req, resp, "Upload an SBOM", &u.err);
		}
		u.v = &viol;
		u.policy = res.policy;
		rc = product_render(req, resp, &u);
		sbom_violation_list_release(&viol);
		return rc;
	}
	sbom_violation_list_release(&viol);
	vg_buf_adds(&loc, "/ui/products/");
	html_url(&loc, r.product);
	vg_buf_adds(&loc, "/versions/");
	html_url(&loc, r.version);
	vg_buf_addf(&loc, "?uploaded=%lld", (long long)res.sbom_id);
	rc = loc.data ? http_redirect(resp, loc.data) : VG_ENOMEM;
	vg_buf_release(&loc);
	return rc;
}

/*
 * After an upload from the browser (?uploaded=ID): what was stored, looked
 * up by the id (never text from the URL), and whether it is held.
 */
static void uploaded_notice(struct http_req *req, struct vg_buf *b, const struct sbom_contents *c)
{
	struct sbom_revision r;
	struct vg_error err = {0};
	int64_t id;
	const char *q = http_query(req, "uploaded");
	if (!q || vg_id_parse(q, "uploaded", &id, NULL) || sbom_revision_get(req->db, id, &r, &err))
		return;
	if (r.version_id == c->rev.version_id)
		html(b,
		     "<div class=\"ok\" id=\"flash\" role=\"status\"><p>SBOM %lld stored: %s "
		     "revision %lld, %s %s, %lld components. %s %s</p></div>",
		     (long long)r.id, r.version, (long long)r.revision,
		     html_label(format_labels, r.format), r.spec_version,
		     (long long)r.component_count,
		     r.violation_count ? "Imported under the standard policy with the "
					 "violations listed below."
				       : "",
		     SBOM_REVISION_HELD(&r)
			 ? "It is held for a person: its findings wait for an approval."
			 : "Its findings are matched against the vulnerability database now.");
	sbom_revision_release(&r);
}

/*
 * The newest revision's quality (every rule with its source, how many
 * components passed, the first failing ones) and the violations kept with
 * it under the standard policy.
 */
static void revision_checks(struct http_req *req, struct vg_buf *b, const struct sbom_revision *r)
{
	struct vg_error err = {0};
	struct sbom_quality q;
	struct sbom_violation_list v;

	html(b, "<h2 id=\"quality\">SBOM quality (revision %lld)</h2>", (long long)r->revision);
	if (sbom_quality_get(req->db, r->id, &q, &err)) {
		html(b, "<p class=\"muted\">%s</p>", vg_error_msg(&err));
	} else {
		html(
		    b,
		    "<p id=\"quality-summary\">NTIA minimum elements: %d/100, <strong>%s</strong>. "
		    "BSI TR-03183-2 v2.0.0: %d/100, <strong>%s</strong>.</p>",
		    q.score[SBOM_PROFILE_NTIA], q.ok[SBOM_PROFILE_NTIA] ? "met" : "not met",
		    q.score[SBOM_PROFILE_BSI], q.ok[SBOM_PROFILE_BSI] ? "met" : "not met");
		html_raw(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
			    "aria-label=\"Quality checks\"><table id=\"quality-checks\"><thead><tr>"
			    "<th scope=\"col\">Check</th><th scope=\"col\">Passed</th><th "
			    "scope=\"col\">Expected</th><th scope=\"col\">Failing (first "
			    "20)</th><th scope=\"col\">Source</th></tr></thead><tbody>");
		for (size_t i = 0; i < q.n; i++) {
			const struct sbom_quality_check *ck = &q.checks[i];
			int pass = ck->total && ck->passed == ck->total;
			html(b,
			     "<tr class=\"%s\"><td><code>%s</code></td><td>%s %lld of "
			     "%lld</td><td>%s</td><td>%s</td><td>%s%s</td></tr>",
			     pass ? "pass" : "fail", ck->rule->id, pass ? "yes," : "no,",
			     (long long)ck->passed, (long long)ck->total, ck->rule->expect,
			     ck->failing ? ck->failing : "", ck->rule->source,
			     ck->rule->required ? "" : " (scored, not required)");
		}
		html_raw(b, "</tbody></table></div>");
		sbom_quality_release(&q);
	}
	html(b, "<h2 id=\"violations\">Violations kept (policy %s)</h2>",
	     r->policy ? r->policy : "strict");
	if (sbom_violations(req->db, r->id, &v, &err)) {
		html(b, "<p class=\"error\">%s</p>", vg_error_msg(&err));
		return;
	}
	if (!v.n)
		html_raw(b, "<p id=\"no-violations\">None: the document matched its official "
			    "schema.</p>");
	else
		violation_table(b, &v, "violation-list",
				"Violations of the official schema or spec, kept with the revision",
				0);
	sbom_violation_list_release(&v);
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
	uploaded_notice(req, b, &c);
	html_raw(b, "<p class=\"page-actions\"><a href=\"/ui/products/");
	html_url(b, pname);
	html_raw(b, "\">Back to the product</a> <a href=\"/ui/findings?product=");
	html_url(b, pname);
	html_raw(b, "&amp;version=");
	html_url(b, ver);
	html_raw(b, "\" id=\"findings-link\">Findings of this version</a></p><p "
		    "class=\"downloads\" id=\"downloads\">Download: ");
	html(b, "<a download href=\"/api/v1/sboms/%lld/original\">original (%s)</a>",
	     (long long)c.rev.id, html_label(format_labels, c.rev.format));
	static const char *const exports[][2] = {{"cyclonedx-1.6", "CycloneDX 1.6"},
						 {"cyclonedx-1.7", "CycloneDX 1.7"},
						 {"spdx-2.3", "SPDX 2.3"}};
	for (size_t i = 0; i < sizeof(exports) / sizeof(exports[0]); i++) {
		html_raw(b, ", <a download href=\"/api/v1/products/");
		html_url(b, pname);
		html_raw(b, "/versions/");
		html_url(b, ver);
		html(b, "/export?format=%s\">%s</a>", exports[i][0], exports[i][1]);
	}
	html(b,
	     "</p><form method=\"get\" id=\"search\">"
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
	revision_checks(req, b, &c.rev);
	html(b,
	     "<h2 id=\"components-heading\">Components</h2><p id=\"component-count\">%zu "
	     "components%s</p>",
	     c.n_components, c.n_components == 1000 ? " (first 1000)" : "");
	html_raw(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"Components\"><table "
		    "id=\"components\"><thead><tr><th>name</th><th>version</th>"
		    "<th>type</th><th>purl</th><th>licenses</th><th>supplier</th></tr></thead>"
		    "<tbody>");
	for (size_t i = 0; i < c.n_components; i++) {
		const struct sbom_stored_component *e = &c.components[i];
		html(b,
		     "<tr><td>%s%s%s</td><td>%s</td><td>%s</td><td><code>%s</code></td><td>%s</td>"
		     "<td>%s</td></tr>",
		     e->group, e->group ? "/" : "", e->name, e->version,
		     html_label(component_type_labels, e->type), e->purl, e->licenses, e->supplier);
	}
	html_raw(b, "</tbody></table></div>");
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
	html(b,
	     "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table "
	     "id=\"diff-%s\"><thead><tr><th>component</th>",
	     title, sbom_change_kind_name(k));
	html_raw(b, pair ? "<th>from</th><th>to</th>" : "<th>version</th><th>licenses</th>");
	html_raw(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < d->n[k]; i++) {
		const struct sbom_change *e = &d->changes[k][i];
		html(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>",
		     e->name ? e->name : e->identity, pair ? e->from : e->version,
		     pair ? e->to : e->licenses);
	}
	html_raw(b, "</tbody></table></div>");
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
    {"POST", "/ui/products/{p}", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, edit_post,
     "Change a product (form: vendor, cra_class, support_until, placed_on_market, public)", "ui"},
    {"GET", "/ui/products/{p}/edit", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, edit_page,
     "Edit a product (form)", "ui"},
    {"POST", "/ui/products/{p}/sboms", ROLE_ADMIN | ROLE_PSIRT,
     HTTP_UI | HTTP_NO_CSRF | HTTP_BODY_UPLOAD, upload_post,
     "Upload an SBOM (multipart form: csrf, version, file); checked against its schema first",
     "ui"},
    {"GET", "/ui/products/{p}/versions/{v}", ROLE_READ, HTTP_UI, version_page,
     "Components of a version, with search", "ui"},
    {"POST", "/ui/sboms/{id}/approve", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, approve_post,
     "Approve a held revision (form)", "ui"},
    {"GET", "/ui/products/{p}/diff", ROLE_READ, HTTP_UI, diff_page, "Diff between two versions",
     "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
