/*
 * ui_advisory.c - the advisory pages and API (issue 22 items 2 and 6): the
 * editor (/ui/advisories, /ui/advisories/{id}) with the document rendered
 * as users will read it, the result of every CSAF check, the edit, approve,
 * publish and withdraw forms (CSRF); the public pages (/advisories,
 * /advisories/{tracking id}) linking to the CSAF file the provider serves;
 * the JSON API (/api/v1/advisories...).
 */
#define _POSIX_C_SOURCE 200809L
#include "advisory/csaf_adv.h"
#include "advisory/csaf_check.h"
#include "advisory/provider.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/principal.h"
#include "http/html.h"
#include "http/ui.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* ---- the document as users read it ---- */

static const struct html_label adv_states[] = {
    {"draft", "Draft"},
    {"approved", "Approved, not yet published"},
    {"published", "Published"},
    {"withdrawn", "Withdrawn (still published)"},
    {NULL, NULL},
};

static const struct html_label status_groups[] = {
    {"known_affected", "Affected"},
    {"first_affected", "First affected"},
    {"last_affected", "Last affected"},
    {"fixed", "Fixed"},
    {"first_fixed", "First fixed"},
    {"recommended", "Recommended"},
    {"known_not_affected", "Not affected"},
    {"under_investigation", "Under investigation"},
    {NULL, NULL},
};

static const struct html_label remediation_words[] = {
    {"vendor_fix", "Fix from the vendor"},
    {"workaround", "Workaround"},
    {"mitigation", "Mitigation"},
    {"no_fix_planned", "No fix planned"},
    {"none_available", "No fix available yet"},
    {NULL, NULL},
};

static const struct html_label justification_words[] = {
    {"component_not_present", "the component is not present"},
    {"vulnerable_code_not_present", "the vulnerable code is not present"},
    {"vulnerable_code_not_in_execute_path", "the vulnerable code is never run"},
    {"vulnerable_code_cannot_be_controlled_by_adversary",
     "an attacker cannot control the vulnerable code"},
    {"inline_mitigations_already_exist", "mitigations are built in"},
    {NULL, NULL},
};

static void names_of(const json_t *branches, json_t *map)
{
	json_t *b;
	size_t i;
	json_array_foreach(branches, i, b)
	{
		json_t *p = json_object_get(b, "product");
		if (vg_json_str(p, "product_id") && vg_json_str(p, "name"))
			json_object_set_new(map, vg_json_str(p, "product_id"),
					    json_string(vg_json_str(p, "name")));
		names_of(json_object_get(b, "branches"), map);
	}
}

/* product id -> its name, from every place of the product tree. */
static json_t *product_names(const json_t *doc)
{
	json_t *pt = json_object_get(doc, "product_tree"), *map = json_object(), *x;
	size_t i;
	names_of(json_object_get(pt, "branches"), map);
	json_array_foreach(json_object_get(pt, "full_product_names"), i, x)
	{
		if (vg_json_str(x, "product_id") && vg_json_str(x, "name"))
			json_object_set_new(map, vg_json_str(x, "product_id"),
					    json_string(vg_json_str(x, "name")));
	}
	json_array_foreach(json_object_get(pt, "relationships"), i, x)
	{
		json_t *f = json_object_get(x, "full_product_name");
		if (vg_json_str(f, "product_id") && vg_json_str(f, "name"))
			json_object_set_new(map, vg_json_str(f, "product_id"),
					    json_string(vg_json_str(f, "name")));
	}
	return map;
}

/* Text with its line breaks kept, escaped. */
static void para(struct vg_buf *b, const char *text)
{
	const char *p = text ? text : "";
	html_raw(b, "<p>");
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		html(b, "%.*s", (int)n, p);
		if (!nl)
			break;
		html_raw(b, "<br>");
		p = nl + 1;
	}
	html_raw(b, "</p>");
}

static void product_list(struct vg_buf *b, const json_t *ids, const json_t *names)
{
	json_t *x;
	size_t i;
	html_raw(b, "<ul class=\"csaf-products\">");
	json_array_foreach(ids, i, x)
	{
		const char *id = json_string_value(x);
		const char *n = id ? json_string_value(json_object_get(names, id)) : NULL;
		html(b, "<li>%s</li>", n ? n : (id ? id : ""));
	}
	html_raw(b, "</ul>");
}

static void notes_html(struct vg_buf *b, const json_t *notes, const char *h)
{
	json_t *n;
	size_t i;
	json_array_foreach(notes, i, n)
	{
		html(b, "<%s>%s</%s>", h,
		     vg_json_str(n, "title") ? vg_json_str(n, "title") : vg_json_str(n, "category"),
		     h);
		para(b, vg_json_str(n, "text"));
	}
}

static void refs_html(struct vg_buf *b, const json_t *refs)
{
	json_t *r;
	size_t i;
	if (!json_array_size(refs))
		return;
	html_raw(b, "<ul class=\"csaf-refs\">");
	json_array_foreach(refs, i, r)
	{
		const char *u = vg_json_str(r, "url");
		if (u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0))
			html(b, "<li><a href=\"%s\" rel=\"noopener\">%s</a></li>", u,
			     vg_json_str(r, "summary") ? vg_json_str(r, "summary") : u);
		else
			html(b, "<li>%s: %s</li>",
			     vg_json_str(r, "summary") ? vg_json_str(r, "summary") : "",
			     u ? u : "");
	}
	html_raw(b, "</ul>");
}

/* The CSAF document as users read it (server-rendered; like Secvisogram's
 * preview). csaf_url: the link to the JSON file, or NULL. */
static void csaf_html(struct vg_buf *b, const char *json, const char *csaf_url)
{
	json_t *doc = json ? json_loads(json, 0, NULL) : NULL, *d, *t, *names, *v, *x;
	size_t i, j;
	if (!doc) {
		html_raw(b, "<p class=\"error\">The document is not JSON.</p>");
		return;
	}
	d = json_object_get(doc, "document");
	t = json_object_get(d, "tracking");
	names = product_names(doc);
	html_raw(b, "<article class=\"csaf-doc\" id=\"csaf-doc\">");
	html(b, "<h2 id=\"doc-title\">%s</h2>",
	     vg_json_str(d, "title") ? vg_json_str(d, "title") : "(no title)");
	html(b,
	     "<dl class=\"facts csaf-meta\"><dt>Advisory</dt><dd "
	     "id=\"doc-id\">%s</dd><dt>Version</dt>"
	     "<dd>%s (%s)</dd><dt>Publisher</dt><dd>%s</dd><dt>First published</dt><dd>%s</dd>"
	     "<dt>Last updated</dt><dd>%s</dd><dt>Sharing</dt><dd>TLP:%s</dd>",
	     vg_json_str(t, "id") ? vg_json_str(t, "id") : "", vg_json_str(t, "version"),
	     vg_json_str(t, "status"), vg_json_str(json_object_get(d, "publisher"), "name"),
	     vg_json_str(t, "initial_release_date"), vg_json_str(t, "current_release_date"),
	     vg_json_str(json_object_get(json_object_get(d, "distribution"), "tlp"), "label")
		 ? vg_json_str(json_object_get(json_object_get(d, "distribution"), "tlp"), "label")
		 : "-");
	if (csaf_url)
		html(b,
		     "<dt>Machine-readable</dt><dd><a id=\"csaf-link\" href=\"%s\">CSAF 2.0 "
		     "document (JSON)</a></dd>",
		     csaf_url);
	html_raw(b, "</dl>");
	notes_html(b, json_object_get(d, "notes"), "h3");
	json_array_foreach(json_object_get(doc, "vulnerabilities"), i, v)
	{
		const char *name = vg_json_str(v, "cve");
		json_t *ps = json_object_get(v, "product_status"), *cwe = json_object_get(v, "cwe");
		if (!name)
			name = vg_json_str(json_array_get(json_object_get(v, "ids"), 0), "text");
		html(b, "<section class=\"csaf-vuln\" id=\"vuln-%zu\"><h3>%s%s%s</h3>", i,
		     name ? name : "Vulnerability", vg_json_str(v, "title") ? ": " : "",
		     vg_json_str(v, "title") ? vg_json_str(v, "title") : "");
		html_raw(b, "<dl class=\"facts csaf-facts\">");
		if (vg_json_str(cwe, "id"))
			html(b, "<dt>Weakness</dt><dd>%s %s</dd>", vg_json_str(cwe, "id"),
			     vg_json_str(cwe, "name") ? vg_json_str(cwe, "name") : "");
		json_array_foreach(json_object_get(v, "scores"), j, x)
		{
			json_t *c3 = json_object_get(x, "cvss_v3");
			if (c3)
				html(b,
				     "<dt>Severity (CVSS %s)</dt><dd>%.1f %s <code "
				     "class=\"vector\">%s</code></dd>",
				     vg_json_str(c3, "version"),
				     json_number_value(json_object_get(c3, "baseScore")),
				     vg_json_str(c3, "baseSeverity"),
				     vg_json_str(c3, "vectorString"));
		}
		json_array_foreach(json_object_get(v, "threats"), j, x)
		{
			if (vg_json_str(x, "category") &&
			    strcmp(vg_json_str(x, "category"), "exploit_status") == 0)
				html(b, "<dt>Exploitation</dt><dd>%s</dd>",
				     vg_json_str(x, "details"));
		}
		html_raw(b, "</dl>");
		notes_html(b, json_object_get(v, "notes"), "h4");
		for (size_t g = 0; status_groups[g].code; g++) {
			json_t *ids = json_object_get(ps, status_groups[g].code);
			if (!json_array_size(ids))
				continue;
			html(b, "<h4>%s</h4>", status_groups[g].text);
			product_list(b, ids, names);
		}
		json_array_foreach(json_object_get(v, "flags"), j, x)
		{
			html(b, "<p class=\"csaf-flag\">Not affected because %s:</p>",
			     html_label(justification_words, vg_json_str(x, "label")));
			product_list(b, json_object_get(x, "product_ids"), names);
		}
		if (json_array_size(json_object_get(v, "remediations")))
			html_raw(b, "<h4>What to do</h4>");
		json_array_foreach(json_object_get(v, "remediations"), j, x)
		{
			html(b, "<p class=\"csaf-remediation\"><strong>%s</strong>: %s</p>",
			     html_label(remediation_words, vg_json_str(x, "category")),
			     vg_json_str(x, "details"));
			product_list(b, json_object_get(x, "product_ids"), names);
		}
		if (json_array_size(json_object_get(v, "references")))
			html_raw(b, "<h4>References</h4>");
		refs_html(b, json_object_get(v, "references"));
		html_raw(b, "</section>");
	}
	if (json_array_size(json_object_get(d, "acknowledgments"))) {
		html_raw(b, "<h3>Acknowledgments</h3><ul>");
		json_array_foreach(json_object_get(d, "acknowledgments"), i, x)
		{
			json_t *n;
			size_t k;
			html_raw(b, "<li>");
			json_array_foreach(json_object_get(x, "names"), k, n)
			    html(b, "%s%s", k ? ", " : "", json_string_value(n));
			if (vg_json_str(x, "summary"))
				html(b, " for %s", vg_json_str(x, "summary"));
			html_raw(b, "</li>");
		}
		html_raw(b, "</ul>");
	}
	if (json_array_size(json_object_get(d, "references"))) {
		html_raw(b, "<h3>References</h3>");
		refs_html(b, json_object_get(d, "references"));
	}
	html_raw(b, "<h3>Revision history</h3>");
	ui_table_begin(b, "Revision history");
	html_raw(b, "<table class=\"csaf-history\"><thead><tr><th>Version</th><th>Date "
		    "(UTC)</th><th>Change</th></tr></thead><tbody>");
	json_array_foreach(json_object_get(t, "revision_history"), i, x)
	    html(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", vg_json_str(x, "number"),
		 vg_json_str(x, "date"), vg_json_str(x, "summary"));
	html_raw(b, "</tbody></table>");
	ui_table_end(b);
	html_raw(b, "</article>");
	json_decref(names);
	json_decref(doc);
}

/* ---- the editor ---- */

static int load(struct http_req *req, struct http_resp *resp, struct csaf_adv *a)
{
	struct vg_error err = {0};
	int64_t id = 0;
	if (advisory_resolve(req->db, http_param(req, "id"), &id, &err) ||
	    advisory_get(req->db, id, a, &err))
		return ui_error_page(req, resp, vg_code_http_status(err.code), vg_error_msg(&err));
	return VG_OK;
}

static int list_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct csaf_adv_list l = {0};
	struct vg_error err = {0};
	if (advisory_list(req->db, 0, &l, &err))
		return ui_error_page(req, resp, 500, vg_error_msg(&err));
	ui_page_begin(req, resp, "Advisories", "advisories");
	ui_flash(req, b, "advisory");
	html_raw(b, "<p>CSAF 2.0 security advisories drafted from PSIRT cases, reviewed and "
		    "published through the trusted provider. The <a href=\"/advisories\">public "
		    "list</a> shows what users see.</p>");
	if (req->who.role & (ROLE_PSIRT | ROLE_ADMIN)) {
		html_raw(b, "<form method=\"post\" action=\"/ui/advisories\" id=\"draft-form\" "
			    "class=\"inline\">");
		ui_csrf_field(req, resp);
		ui_field(b, NULL,
			 &(struct ui_field){
			     .name = "case",
			     .label = "Draft from case number",
			     .attrs = "inputmode=\"numeric\" required pattern=\"#?[0-9]+\""});
		html_raw(b, "<button type=\"submit\">Draft advisory</button></form>");
	}
	if (!l.n) {
		html_raw(b, "<p id=\"empty\">No advisories yet.</p>");
	} else {
		ui_table_begin(b, "Advisories");
		html_raw(b, "<table id=\"advisories\"><thead><tr><th>Tracking id</th><th>Title</th>"
			    "<th>Case</th><th>State</th><th>Published version</th><th>Updated "
			    "(UTC)</th></tr></thead><tbody>");
		for (size_t i = 0; i < l.n; i++) {
			const struct csaf_adv *a = &l.items[i];
			html(b,
			     "<tr><td><a href=\"/ui/advisories/%lld\">%s</a></td><td>%s</td><td><a "
			     "href=\"/ui/cases/%lld\">#%lld</a></td><td>%s</td><td>%lld</td><td>",
			     (long long)a->id, a->tracking_id, a->title, (long long)a->case_id,
			     (long long)a->case_id, html_label(adv_states, a->state),
			     (long long)a->csaf_version);
			html_time(b, a->updated_at, "-");
			html_raw(b, "</td></tr>");
		}
		html_raw(b, "</tbody></table>");
		ui_table_end(b);
	}
	csaf_adv_list_release(&l);
	return ui_page_end(resp);
}

static void check_html(struct vg_buf *b, const struct csaf_check_result *r)
{
	static const char *kinds[] = {"Schema", "Mandatory", "Recommended"};
	html(
	    b,
	    "<section id=\"validation\"><h2>Validation</h2><p id=\"check-result\" class=\"%s\">%s: "
	    "%zu schema and %zu mandatory test failures, %zu recommended-test warnings.</p>",
	    csaf_check_passes(r) ? "ok" : "error",
	    csaf_check_passes(r) ? "Passes the CSAF 2.0 checks" : "Cannot be published",
	    r->schema_failures, r->mandatory_failures, r->recommended_warnings);
	if (r->n) {
		ui_table_begin(b, "Validation issues");
		html_raw(
		    b, "<table id=\"check-issues\"><thead><tr><th>Kind</th><th>Test</th>"
		       "<th>Where (JSON path)</th><th>What was expected</th></tr></thead><tbody>");
		for (size_t i = 0; i < r->n; i++)
			html(b,
			     "<tr "
			     "class=\"%s\"><td>%s</td><td>%s</td><td><code>%s</code></td><td>%s</"
			     "td></tr>",
			     r->issues[i].kind == CSAF_CHECK_RECOMMENDED ? "warn" : "error",
			     kinds[r->issues[i].kind], r->issues[i].test,
			     r->issues[i].path[0] ? r->issues[i].path : "/", r->issues[i].message);
		html_raw(b, "</tbody></table>");
		ui_table_end(b);
	}
	html_raw(b, "</section>");
}

static void action_form(struct http_req *req, struct http_resp *resp, const struct csaf_adv *a,
			const char *action)
{
	html(&resp->body,
	     "<form method=\"post\" action=\"/ui/advisories/%lld/%s\" id=\"%s-form\" "
	     "class=\"action\">",
	     (long long)a->id, action, action);
	ui_csrf_field(req, resp);
}

/* What the PSIRT typed in the edit form, kept when it comes back. */
struct typed {
	const char *doc, *path, *value;
};

/* The editor of a. error: why the last action was refused; t: what was typed
 * (kept in the boxes; may be NULL); preview: show and check t->doc instead
 * of the stored revision (nothing is stored). */
static int editor(struct http_req *req, struct http_resp *resp, struct csaf_adv *a,
		  const char *error, const struct typed *t, int preview)
{
	const char *typed = t ? t->doc : NULL;
	struct vg_buf *b = &resp->body;
	struct csaf_check_result r = {0};
	struct vg_error err = {0};
	char title[300], path[600] = "";
	int may = (req->who.role & (ROLE_PSIRT | ROLE_ADMIN)) != 0;
	const char *shown = preview && typed ? typed : a->doc;
	if (csaf_check(shown, strlen(shown), &r, &err))
		return ui_error_page(req, resp, 500, vg_error_msg(&err));
	(void)advisory_csaf_path(a, path, sizeof(path));
	snprintf(title, sizeof(title), "Advisory %s", a->tracking_id);
	ui_page_begin(req, resp, title, "advisories");
	ui_flash(req, b, "advisory");
	if (error)
		html(b, "<p class=\"error\" role=\"alert\" id=\"error\">%s</p>", error);
	html(b,
	     "<dl class=\"facts\" id=\"facts\"><dt>Case</dt><dd><a href=\"/ui/cases/%lld\">#%lld"
	     "</a></dd><dt>State</dt><dd id=\"state\">%s</dd><dt>Revision</dt><dd>%lld</dd>"
	     "<dt>Published version</dt><dd>%lld</dd><dt>Approvals</dt><dd id=\"approvals\">%zu "
	     "of %d%s</dd>",
	     (long long)a->case_id, (long long)a->case_id, html_label(adv_states, a->state),
	     (long long)a->revision, (long long)a->csaf_version, a->napprovers, a->approvals_needed,
	     a->four_eyes ? " (four-eyes: by someone other than the revision's author)" : "");
	if (path[0])
		html(b,
		     "<dt>CSAF file</dt><dd><a id=\"csaf-file\" href=\"%s\">%s</a></dd><dt>Public "
		     "page</dt><dd><a href=\"/advisories/%s\">/advisories/%s</a></dd>",
		     path, path, a->tracking_id, a->tracking_id);
	html_raw(b, "</dl>");
	if (may) {
		html_raw(b, "<section id=\"actions\"><h2>Review and publish</h2>");
		if (!strcmp(a->state, "draft")) {
			action_form(req, resp, a, "approve");
			html_raw(b,
				 "<button type=\"submit\">Approve this revision</button></form>");
		}
		if (!strcmp(a->state, "approved")) {
			action_form(req, resp, a, "publish");
			ui_field(
			    b, NULL,
			    &(struct ui_field){.name = "summary",
					       .label = "Revision history line",
					       .hint = "Empty: \"Initial version.\" or \"Update.\"",
					       .attrs = "maxlength=\"500\""});
			html_raw(b, "<div class=\"field\"><label><input type=\"checkbox\" "
				    "name=\"interim\" value=\"1\"> Interim (more updates "
				    "expected)</label></div><button type=\"submit\" "
				    "class=\"primary\">Publish</button></form>");
		}
		if (a->csaf_version && strcmp(a->state, "withdrawn") != 0) {
			action_form(req, resp, a, "withdraw");
			ui_field(b, NULL,
				 &(struct ui_field){.name = "reason",
						    .label = "Reason for withdrawal",
						    .attrs = "required maxlength=\"500\""});
			html_raw(
			    b, "<button type=\"submit\" class=\"danger\">Withdraw</button></form>");
		}
		html_raw(b, "</section>");
	}
	check_html(b, &r);
	html_raw(b, "<section id=\"preview\" aria-live=\"polite\"><h2>Preview: the advisory as "
		    "users will read it</h2>");
	if (preview && typed)
		html_raw(b, "<p class=\"notice\" id=\"preview-unsaved\">Preview of the document "
			    "in the edit box below: not saved yet.</p>");
	csaf_html(b, shown, NULL);
	html_raw(b, "</section>");
	if (may && strcmp(a->state, "withdrawn") != 0) {
		html_raw(b, "<section id=\"edit\"><h2>Edit</h2>");
		action_form(req, resp, a, "edit");
		ui_field(b, NULL,
			 &(struct ui_field){.name = "path",
					    .label = "Path (JSON pointer)",
					    .hint = "For example /document/title or "
						    "/vulnerabilities/0/notes/0/text; "
						    "/document/tracking is vigil's",
					    .value = t && t->path && *t->path ? t->path : NULL,
					    .attrs = "maxlength=\"500\""});
		ui_field(b, NULL,
			 &(struct ui_field){.name = "value",
					    .label = "Value",
					    .type = "textarea",
					    .hint = "Text, or JSON (an object, array or number)",
					    .value = t && t->value && *t->value ? t->value : NULL,
					    .attrs = "rows=\"3\" maxlength=\"60000\""});
		ui_field(
		    b, NULL,
		    &(struct ui_field){.name = "document",
				       .label = "Or the whole document (CSAF JSON)",
				       .type = "textarea",
				       .value = typed ? typed : a->doc,
				       .attrs = "rows=\"16\" spellcheck=\"false\" class=\"code\""});
		html_raw(b,
			 "<div class=\"buttons\"><button type=\"submit\">Save a new "
			 "revision</button> <button type=\"submit\" name=\"preview\" value=\"1\" "
			 "id=\"preview-button\">Preview without saving</button></div></form>"
			 "</section><script src=\"/static/advisory.js\" defer></script>");
	}
	html_raw(b, "<section id=\"revisions\"><h2>Revisions</h2>");
	ui_table_begin(b, "Revisions");
	html_raw(b, "<table><thead><tr><th>#</th><th>Kind</th><th>By</th><th>When "
		    "(UTC)</th><th>Summary</th></tr></thead><tbody>");
	for (size_t i = a->nrevs; i-- > 0;) {
		html(b, "<tr><td>%lld</td><td>%s</td><td>%s</td><td>", (long long)a->revs[i].n,
		     a->revs[i].kind, a->revs[i].created_by);
		html_time(b, a->revs[i].created_at, "-");
		html(b, "</td><td>%s</td></tr>", a->revs[i].summary ? a->revs[i].summary : "");
	}
	html_raw(b, "</tbody></table>");
	ui_table_end(b);
	html_raw(b, "</section>");
	csaf_check_result_free(&r);
	return ui_page_end(resp);
}

static int advisory_page(struct http_req *req, struct http_resp *resp)
{
	struct csaf_adv a = {0};
	int rc = load(req, resp, &a);
	if (rc || !a.id)
		return rc;
	rc = editor(req, resp, &a, NULL, NULL, 0);
	csaf_adv_release(&a);
	return rc;
}

static int redirect_done(struct http_resp *resp, int64_t id, const char *done)
{
	char loc[96];
	snprintf(loc, sizeof(loc), "/ui/advisories/%lld?done=%s", (long long)id, done);
	return http_redirect(resp, loc);
}

static int draft_post(struct http_req *req, struct http_resp *resp)
{
	char v[32];
	struct vg_error err = {0};
	int64_t case_id, id = 0;
	char *end = NULL;
	http_form(req, "case", v, sizeof(v));
	case_id = strtoll(v[0] == '#' ? v + 1 : v, &end, 10);
	if (!v[0] || !end || *end || case_id <= 0)
		return ui_error_page(req, resp, 400,
				     "Case: enter the number of a case (such as 12).");
	if (advisory_draft(req->db, case_id, &id, &err))
		return ui_error_page(req, resp, vg_code_http_status(err.code), vg_error_msg(&err));
	return redirect_done(resp, id, "draft");
}

/* A refused action: the editor again with the reason (status of the code). */
static int refused(struct http_req *req, struct http_resp *resp, int64_t id,
		   const struct vg_error *err, const struct typed *typed)
{
	struct csaf_adv a = {0};
	struct vg_error e2 = {0};
	int rc;
	if (advisory_get(req->db, id, &a, &e2))
		return ui_error_page(req, resp, vg_code_http_status(err->code), vg_error_msg(err));
	rc = editor(req, resp, &a, vg_error_msg(err), typed, 0);
	resp->status = err->code == VG_ESTATE || err->code == VG_EEXIST ? 409 : 422;
	csaf_adv_release(&a);
	return rc;
}

static int edit_post(struct http_req *req, struct http_resp *resp)
{
	struct csaf_adv a = {0};
	struct vg_error err = {0};
	char path[512];
	char *value = NULL, *docb = NULL;
	size_t cap = req->body.len + 1;
	int rc = load(req, resp, &a);
	if (rc || !a.id)
		return rc;
	value = malloc(cap);
	docb = malloc(cap);
	if (!value || !docb) {
		free(value);
		free(docb);
		csaf_adv_release(&a);
		return ui_error_page(req, resp, 500, "out of memory");
	}
	http_form(req, "path", path, sizeof(path));
	http_form(req, "value", value, cap);
	http_form(req, "document", docb, cap);
	{
		char pv[8];
		http_form(req, "preview", pv, sizeof(pv));
		if (pv[0] == '1') { /* the typed document previewed and checked, not stored */
			struct typed t = {docb[0] ? docb : a.doc, path, value};
			rc = editor(req, resp, &a, NULL, &t, 1);
			free(value);
			free(docb);
			csaf_adv_release(&a);
			return rc;
		}
	}
	{
		const char *paths[1] = {path}, *values[1] = {value};
		int whole = docb[0] && strcmp(docb, a.doc) != 0;
		if (!path[0] && !whole)
			vg_error_set(&err, VG_EUSAGE,
				     "Nothing changed: give a path and a value, or change the "
				     "document.");
		else
			rc = advisory_edit(req->db, a.id, path[0] ? 1 : 0, paths, values,
					   whole ? docb : NULL, whole ? strlen(docb) : 0, NULL,
					   &err);
	}
	if (err.code) {
		struct typed t = {docb[0] ? docb : NULL, path, value};
		rc = refused(req, resp, a.id, &err, &t);
	} else
		rc = redirect_done(resp, a.id, "edit");
	free(value);
	free(docb);
	csaf_adv_release(&a);
	return rc;
}

static int act_post(struct http_req *req, struct http_resp *resp, const char *what)
{
	struct csaf_adv a = {0};
	struct vg_error err = {0};
	int rc = load(req, resp, &a), approved = 0;
	if (rc || !a.id)
		return rc;
	if (!strcmp(what, "approve")) {
		rc = advisory_approve(req->db, a.id, &approved, &err);
	} else if (!strcmp(what, "publish")) {
		char summary[600], interim[8];
		http_form(req, "summary", summary, sizeof(summary));
		http_form(req, "interim", interim, sizeof(interim));
		rc = advisory_publish(req->db, a.id, summary[0] ? summary : NULL, interim[0] == '1',
				      &err);
	} else {
		char reason[600];
		http_form(req, "reason", reason, sizeof(reason));
		rc = advisory_withdraw(req->db, a.id, reason, &err);
	}
	rc = err.code ? refused(req, resp, a.id, &err, NULL) : redirect_done(resp, a.id, what);
	csaf_adv_release(&a);
	return rc;
}

static int approve_post(struct http_req *req, struct http_resp *resp)
{
	return act_post(req, resp, "approve");
}
static int publish_post(struct http_req *req, struct http_resp *resp)
{
	return act_post(req, resp, "publish");
}
static int withdraw_post(struct http_req *req, struct http_resp *resp)
{
	return act_post(req, resp, "withdraw");
}

/* ---- public pages ---- */

static const char *pub_org(void)
{
	const char *n = vg_config_get("org.name", NULL);
	if (!n || !*n)
		n = vg_config_get("psirt.org_name", NULL);
	return n && *n ? n : NULL;
}

static void pub_begin(struct http_resp *resp, int status, const char *title)
{
	struct vg_buf *b = &resp->body;
	const char *org = pub_org();
	resp->status = status;
	resp->ctype = "text/html; charset=utf-8";
	vg_buf_reset(b);
	html(b,
	     "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	     "<title>%s%s%s</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" "
	     "href=\"/static/app.css\"><script src=\"/static/app.js\" defer></script></head>\n"
	     "<body class=\"portal\"><a class=\"skip\" href=\"#main\">Skip to the content</a>"
	     "<header class=\"top\"><a class=\"brand org\" href=\"/advisories\"><span>%s</span> "
	     "<span class=\"org-sub\">Security</span></a><nav aria-label=\"Security\"><ul>"
	     "<li><a href=\"/advisories\">Security advisories</a></li>"
	     "<li><a href=\"/report\">Report a vulnerability</a></li></ul></nav></header>\n"
	     "<main id=\"main\"><h1>%s</h1>\n",
	     title, org ? " \xc2\xb7 " : "", org ? org : "", org ? org : "Product", title);
}

static int pub_end(struct http_resp *resp)
{
	return html_raw(&resp->body,
			"</main>\n<footer>Security advisories in CSAF 2.0 &middot; EU Cyber "
			"Resilience Act Annex I Part II (4), (8) and Article 14(8)</footer></body>"
			"</html>\n");
}

static int public_list(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct csaf_adv_list l = {0};
	struct vg_error err = {0};
	if (advisory_list(req->db, 1, &l, &err)) {
		pub_begin(resp, 500, "Security advisories");
		html_raw(b, "<p class=\"error\" role=\"alert\">The advisories cannot be shown at "
			    "the moment. Please try again later.</p>");
		return pub_end(resp);
	}
	pub_begin(resp, 200, "Security advisories");
	html_raw(b,
		 "<p>Published advisories about vulnerabilities in our products, with the "
		 "affected and fixed versions and what to do. Each is also a machine-readable "
		 "<a href=\"https://docs.oasis-open.org/csaf/csaf/v2.0/csaf-v2.0.html\">CSAF "
		 "2.0</a> document (<a href=\"/.well-known/csaf/provider-metadata.json\">provider "
		 "metadata</a>).</p>");
	if (!l.n) {
		html_raw(b, "<p id=\"empty\">No advisories have been published.</p>");
	} else {
		ui_table_begin(b, "Security advisories");
		html_raw(b, "<table id=\"public-advisories\"><thead><tr><th>Advisory</th><th>Title"
			    "</th><th>Last updated (UTC)</th><th>CSAF</th></tr></thead><tbody>");
		for (size_t i = 0; i < l.n; i++) {
			char path[600];
			const struct csaf_adv *a = &l.items[i];
			(void)advisory_csaf_path(a, path, sizeof(path));
			html_raw(b, "<tr><td><a href=\"/advisories/");
			html_url(b, a->tracking_id);
			html(b, "\">%s</a></td><td>%s%s</td><td>", a->tracking_id, a->title,
			     strcmp(a->state, "withdrawn") == 0 ? " (withdrawn)" : "");
			html_time(b, a->current_release_at, "-");
			html(b, "</td><td><a href=\"%s\">JSON</a></td></tr>", path);
		}
		html_raw(b, "</tbody></table>");
		ui_table_end(b);
	}
	csaf_adv_list_release(&l);
	return pub_end(resp);
}

static void notice_html(struct vg_buf *b, const char *notice)
{
	json_t *n = notice ? json_loads(notice, 0, NULL) : NULL, *f = json_object_get(n, "fields");
	static const char *const fields[] = {"summary", "impact", "user_measures",
					     "security_update", NULL};
	static const char *const words[] = {"What happened", "Impact", "What you should do",
					    "Security update"};
	if (!n)
		return;
	html_raw(b, "<section id=\"user-notice\"><h2>Information for users</h2><p "
		    "class=\"hint\">Under Article 14(8) of the EU Cyber Resilience Act.</p>");
	for (int i = 0; fields[i]; i++) {
		if (!vg_json_str(f, fields[i]))
			continue;
		html(b, "<h3>%s</h3>", words[i]);
		para(b, vg_json_str(f, fields[i]));
	}
	html_raw(b, "</section>");
	json_decref(n);
}

static int public_page(struct http_req *req, struct http_resp *resp)
{
	struct csaf_adv a = {0};
	struct vg_error err = {0};
	int64_t id = 0;
	char path[600] = "";
	const char *ref = http_param(req, "tracking");
	if (!ref || advisory_resolve(req->db, ref, &id, &err) ||
	    advisory_get(req->db, id, &a, &err) || !a.published_doc ||
	    strcmp(a.tlp, "WHITE") != 0 || strspn(ref, "0123456789") == strlen(ref)) {
		csaf_adv_release(&a);
		pub_begin(resp, 404, "Advisory not found");
		html_raw(&resp->body, "<p>There is no published advisory with this id. See <a "
				      "href=\"/advisories\">all advisories</a>.</p>");
		return pub_end(resp);
	}
	(void)advisory_csaf_path(&a, path, sizeof(path));
	pub_begin(resp, 200, a.tracking_id);
	if (!strcmp(a.state, "withdrawn"))
		html_raw(&resp->body, "<p class=\"error\" id=\"withdrawn\">This advisory is "
				      "withdrawn: see the note below.</p>");
	csaf_html(&resp->body, a.published_doc, path);
	notice_html(&resp->body, a.notice);
	html_raw(&resp->body, "<p><a href=\"/advisories\">All advisories</a></p>");
	csaf_adv_release(&a);
	return pub_end(resp);
}

/* ---- API ---- */

static int api_fail(struct http_resp *resp, const struct vg_error *err)
{
	return http_fail(resp, err);
}

static int api_detail(struct http_req *req, struct http_resp *resp, int64_t id, int status)
{
	struct csaf_adv a = {0};
	struct csaf_check_result r = {0};
	struct vg_error err = {0};
	json_t *o;
	if (advisory_get(req->db, id, &a, &err) || csaf_check(a.doc, strlen(a.doc), &r, &err)) {
		csaf_adv_release(&a);
		return api_fail(resp, &err);
	}
	o = csaf_adv_to_json(&a);
	json_object_set_new(o, "check", csaf_check_result_to_json(&r));
	csaf_check_result_free(&r);
	csaf_adv_release(&a);
	return http_json(resp, status, o);
}

static int api_id(struct http_req *req, struct http_resp *resp, int64_t *id)
{
	struct vg_error err = {0};
	if (advisory_resolve(req->db, http_param(req, "id"), id, &err))
		return api_fail(resp, &err);
	return VG_OK;
}

static int api_list(struct http_req *req, struct http_resp *resp)
{
	struct csaf_adv_list l = {0};
	struct vg_error err = {0};
	json_t *o;
	if (advisory_list(req->db, 0, &l, &err))
		return api_fail(resp, &err);
	o = csaf_adv_list_to_json(&l);
	csaf_adv_list_release(&l);
	return http_json(resp, 200, o);
}

static int api_get(struct http_req *req, struct http_resp *resp)
{
	int64_t id = 0;
	int rc = api_id(req, resp, &id);
	return rc ? rc : (id ? api_detail(req, resp, id, 200) : VG_OK);
}

static int api_draft(struct http_req *req, struct http_resp *resp)
{
	json_t *body = http_body_json(req, resp), *c;
	struct vg_error err = {0};
	int64_t id = 0;
	if (!body)
		return VG_OK;
	c = json_object_get(body, "case_id");
	if (!json_is_integer(c) || json_integer_value(c) <= 0) {
		json_decref(body);
		return http_error(resp, VG_EINVAL,
				  "request body: /case_id: expected a case number");
	}
	if (advisory_draft(req->db, json_integer_value(c), &id, &err)) {
		json_decref(body);
		return api_fail(resp, &err);
	}
	json_decref(body);
	return api_detail(req, resp, id, 201);
}

static int api_edit(struct http_req *req, struct http_resp *resp)
{
	json_t *body, *set, *doc, *v;
	const char *paths[64], *k;
	char *values[64];
	char *file = NULL;
	size_t n = 0;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc = api_id(req, resp, &id);
	if (rc || !id)
		return rc;
	if (!(body = http_body_json(req, resp)))
		return VG_OK;
	set = json_object_get(body, "set");
	doc = json_object_get(body, "document");
	if ((set && !json_is_object(set)) || (doc && !json_is_object(doc)) || (!set && !doc)) {
		json_decref(body);
		return http_error(resp, VG_EINVAL,
				  "request body: expected {\"set\": {PATH: VALUE}} and/or "
				  "{\"document\": CSAF document}");
	}
	json_object_foreach(set, k, v)
	{
		if (n == 64)
			break;
		paths[n] = k;
		values[n++] = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	}
	if (doc)
		file = json_dumps(doc, JSON_COMPACT);
	rc = advisory_edit(req->db, id, n, paths, (const char *const *)values, file,
			   file ? strlen(file) : 0, NULL, &err);
	for (size_t i = 0; i < n; i++)
		free(values[i]);
	free(file);
	json_decref(body);
	if (rc)
		return api_fail(resp, &err);
	return api_detail(req, resp, id, 200);
}

static int api_act(struct http_req *req, struct http_resp *resp, const char *what)
{
	json_t *body = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int approved = 0, rc = api_id(req, resp, &id);
	if (rc || !id)
		return rc;
	if (req->body.len && !(body = http_body_json(req, resp)))
		return VG_OK;
	if (!strcmp(what, "approve"))
		rc = advisory_approve(req->db, id, &approved, &err);
	else if (!strcmp(what, "publish"))
		rc = advisory_publish(req->db, id, vg_json_str(body, "summary"),
				      json_is_true(json_object_get(body, "interim")), &err);
	else
		rc = advisory_withdraw(req->db, id, vg_json_str(body, "reason"), &err);
	json_decref(body);
	if (rc)
		return api_fail(resp, &err);
	return api_detail(req, resp, id, 200);
}

static int api_approve(struct http_req *req, struct http_resp *resp)
{
	return api_act(req, resp, "approve");
}
static int api_publish(struct http_req *req, struct http_resp *resp)
{
	return api_act(req, resp, "publish");
}
static int api_withdraw(struct http_req *req, struct http_resp *resp)
{
	return api_act(req, resp, "withdraw");
}

#define WRITE (ROLE_PSIRT | ROLE_ADMIN)

/* clang-format off */
const struct http_route advisory_routes[] = {
    {"GET", "/api/v1/advisories", ROLE_READ, 0, api_list, "CSAF advisories drafted from cases", "advisory"},
    {"POST", "/api/v1/advisories", WRITE, 0, api_draft, "Draft (or rebuild) the advisory of a case {case_id}", "advisory"},
    {"GET", "/api/v1/advisories/{id}", ROLE_READ, 0, api_get, "One advisory: document, revisions, approvals, CSAF checks", "advisory"},
    {"POST", "/api/v1/advisories/{id}/edit", WRITE, 0, api_edit, "Edit: {set: {path: value}} and/or {document}", "advisory"},
    {"POST", "/api/v1/advisories/{id}/approve", WRITE, 0, api_approve, "Approve the latest revision", "advisory"},
    {"POST", "/api/v1/advisories/{id}/publish", WRITE, 0, api_publish, "Publish an approved advisory {summary, interim}", "advisory"},
    {"POST", "/api/v1/advisories/{id}/withdraw", WRITE, 0, api_withdraw, "Withdraw a published advisory {reason}", "advisory"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};

const struct http_route advisory_ui_routes[] = {
    {"GET", "/ui/advisories", ROLE_READ, HTTP_UI, list_page, "Advisories: list and draft from a case", "ui"},
    {"POST", "/ui/advisories", WRITE, HTTP_UI, draft_post, "Draft the advisory of a case", "ui"},
    {"GET", "/ui/advisories/{id}", ROLE_READ, HTTP_UI, advisory_page, "The advisory editor: preview, validation, review", "ui"},
    {"POST", "/ui/advisories/{id}/edit", WRITE, HTTP_UI | HTTP_BODY_TEXT, edit_post, "Save an edit as a new revision (preview=1: preview and check it, nothing stored)", "ui"},
    {"POST", "/ui/advisories/{id}/approve", WRITE, HTTP_UI, approve_post, "Approve the latest revision", "ui"},
    {"POST", "/ui/advisories/{id}/publish", WRITE, HTTP_UI, publish_post, "Publish an approved advisory", "ui"},
    {"POST", "/ui/advisories/{id}/withdraw", WRITE, HTTP_UI, withdraw_post, "Withdraw a published advisory", "ui"},
    {"GET", "/advisories", ROLE_PUBLIC, HTTP_PUBLIC_FACE, public_list, "Published security advisories (public)", "advisory"},
    {"GET", "/advisories/{tracking}", ROLE_PUBLIC, HTTP_PUBLIC_FACE, public_page, "One published advisory (public)", "advisory"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
