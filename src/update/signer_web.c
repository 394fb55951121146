/*
 * signer_web.c - the signers as a page (/ui/signers) and as JSON
 * (GET /api/v1/signers): name, kind, algorithm, key id, the URI or key file
 * and where the PIN comes from; never a secret (none is stored). Software
 * signers are marked development only.
 */
#include "core/error.h"
#include "core/json.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "update/signer.h"
#include "update/signer_admin.h"

#include "core/banned.h"

static int api_signers(struct http_req *req, struct http_resp *resp)
{
	struct update_signer_list l;
	struct vg_error err = {0};
	json_t *a;

	if (update_signer_list(req->db, &l, &err))
		return http_fail(resp, &err);
	a = update_signer_list_to_json(&l);
	update_signer_list_release(&l);
	if (!a)
		return http_error(resp, VG_ENOMEM, "out of memory");
	return http_json(resp, 200, json_pack("{s:o}", "signers", a));
}

static int ui_signers(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct update_signer_list l = {0};
	struct vg_error err = {0};
	int rc = update_signer_list(req->db, &l, &err);

	ui_page_begin(req, resp, "Signers", "signers");
	if (rc) {
		html(b, "<p class=\"error\" role=\"alert\">%s</p>", vg_error_msg(&err));
		return ui_page_end(resp);
	}
	html_raw(b, "<p>Keys that sign update metadata: in a PKCS#11 token (the private key "
		    "never leaves it), or a software key file for development only. Add them "
		    "with <code>vigil signer add</code> or <code>vigil signer keygen</code>.</p>");
	if (!l.n) {
		html_raw(b, "<p id=\"no-signers\">No signers yet.</p>");
		return ui_page_end(resp);
	}
	html_raw(b, "<table id=\"signers\"><thead><tr><th>name</th><th>kind</th>"
		    "<th>algorithm</th><th>key id</th><th>key</th><th>PIN from</th>"
		    "<th>added</th></tr></thead><tbody>");
	for (size_t k = 0; k < l.n; k++) {
		const struct update_signer_info *i = &l.items[k];
		json_t *j = update_signer_info_to_json(i);
		const char *kid = j ? vg_json_str(j, "key_id") : NULL;
		html(b, "<tr><td>%s</td><td>%s", i->name, i->kind);
		if (i->development_only)
			html_raw(b, " <strong class=\"warn\">(development only)</strong>");
		html(b,
		     "</td><td>%s</td><td><code title=\"%s\">%.16s</code></td><td><code>%s</code>"
		     "</td><td>%s</td><td>",
		     i->algorithm, kid ? kid : "", kid ? kid : "", i->uri,
		     i->development_only ? "-"
		     : i->pin_file       ? i->pin_file
					 : "VIGIL_PKCS11_PIN");
		html_time(b, i->created_at, "-");
		html(b, " by %s</td></tr>", i->created_by ? i->created_by : "");
		json_decref(j);
	}
	html_raw(b, "</tbody></table>");
	update_signer_list_release(&l);
	return ui_page_end(resp);
}

const struct http_route signer_routes[] = {
    {"GET", "/api/v1/signers", ROLE_READ, 0, api_signers,
     "The signers (no secret: PIN file paths, never PINs)", "update"},
    {"GET", "/ui/signers", ROLE_READ, HTTP_UI, ui_signers, "Signers", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
