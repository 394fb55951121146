/*
 * api.c - the SBOM room's HTTP routes: products, SBOM upload (raw body),
 * revisions, originals, components, diff, export, and the Dependency-Track
 * compatible upload endpoints (PUT and POST /api/v1/bom).
 */
#define _POSIX_C_SOURCE 200809L
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "http/attach.h"
#include "http/http.h"
#include "http/multipart.h"
#include "sbom/export.h"
#include "sbom/inventory.h"
#include "sbom/model.h"
#include "sbom/product.h"
#include "sbom/quality.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

/* The roles that may create products (POST /api/v1/products), and with it
 * create one through an upload (Dependency-Track autoCreate). */
#define PRODUCT_WRITE (ROLE_ADMIN | ROLE_PSIRT)

/*
 * A 403 naming the product when the caller's product scope (a ci token's
 * --product) does not cover it; VG_OK when it does. Every route that reads
 * or writes one product by name goes through here.
 */
static int check_scope(struct http_req *req, struct http_resp *resp, const char *product)
{
	if (vg_principal_may_product(&req->who, product ? product : ""))
		return VG_OK;
	(void)http_error(resp, VG_EPERM,
			 "product '%s' is outside the product scope of this token (%s)",
			 product ? product : "", req->who.name);
	return VG_EPERM;
}

static int products_list(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct product_list l;
	json_t *rows;
	if (product_list(req->db, &l, &err))
		return http_fail(resp, &err);
	rows = json_array();
	for (size_t i = 0; i < l.n; i++)
		if (vg_principal_may_product(&req->who, l.items[i].name))
			json_array_append_new(rows, product_to_json(&l.items[i]));
	product_list_release(&l);
	return http_json(resp, 200, json_pack("{s:o}", "products", rows));
}

/* The product called name with its versions, as JSON, into *out. */
static int product_show_json(struct store *s, const char *name, json_t **out, struct vg_error *err)
{
	struct product p;
	struct product_version_list v;
	int rc = product_show(s, name, &p, &v, err);
	if (rc)
		return rc;
	*out = product_show_to_json(&p, &v);
	product_release(&p);
	product_version_list_release(&v);
	return VG_OK;
}

static int product_from_body(json_t *b, struct product_info *p, struct vg_error *err)
{
	json_t *pub = json_object_get(b, "public");

	p->vendor = vg_json_str(b, "vendor");
	p->cra_class = vg_json_str(b, "cra_class");
	p->support_until = vg_json_str(b, "support_until");
	p->placed_on_market = vg_json_str(b, "placed_on_market");
	if (pub && !json_is_boolean(pub))
		return vg_error_set(err, VG_EINVAL,
				    "request body: /public: expected true or false");
	p->public_set = pub != NULL;
	p->is_public = json_is_true(pub);
	/* null sets back the default */
	p->sbom_policy = vg_json_str(b, "sbom_policy");
	if (!p->sbom_policy && json_is_null(json_object_get(b, "sbom_policy")))
		p->sbom_policy = "default";
	p->quality_profile = vg_json_str(b, "sbom_quality_profile");
	if (!p->quality_profile && json_is_null(json_object_get(b, "sbom_quality_profile")))
		p->quality_profile = "none";
	return VG_OK;
}

static int products_create(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct product_info p = {0};
	json_t *b = http_body_json(req, resp), *o = NULL;
	int rc;
	if (!b)
		return VG_EPARSE;
	p.name = vg_json_str(b, "name");
	if (!p.name) {
		json_decref(b);
		return http_error(resp, VG_EINVAL, "request body: /name: expected a string");
	}
	if (check_scope(req, resp, p.name)) {
		json_decref(b);
		return VG_EPERM;
	}
	rc = product_from_body(b, &p, &err);
	if (!rc)
		rc = product_create(req->db, &p, &err);
	if (!rc)
		rc = product_show_json(req->db, p.name, &o, &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 201, o);
}

static int product_get_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *o;
	if (check_scope(req, resp, http_param(req, "p")))
		return VG_EPERM;
	if (product_show_json(req->db, http_param(req, "p"), &o, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, o);
}

static int product_patch(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct product_info p = {0};
	json_t *b = http_body_json(req, resp), *o = NULL;
	int rc;
	if (!b)
		return VG_EPARSE;
	p.name = http_param(req, "p");
	rc = product_from_body(b, &p, &err);
	if (!rc)
		rc = product_update(req->db, &p, &err);
	if (!rc)
		rc = product_show_json(req->db, p.name, &o, &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, o);
}

static void import_json_add(json_t *o, const struct sbom_import_result *res,
			    const struct sbom_violation_list *viol);

static json_t *import_json(const struct sbom_import_req *r, const struct sbom_import_result *res,
			   const struct sbom_violation_list *viol)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:s}", "id",
			      (json_int_t)res->sbom_id, "product", r->product, "version",
			      r->version, "revision", (json_int_t)res->revision, "format",
			      res->format, "encoding", res->encoding, "spec_version",
			      res->spec_version, "components", (json_int_t)res->components,
			      "dependencies", (json_int_t)res->edges, "sha256", res->sha256);
	import_json_add(o, res, viol);
	return o;
}

/*
 * Answer an import with o: 202 with "held": true and "held_reason" when the
 * revision waits for a person (held by the import for dropping most
 * components, or by the reconciliation for retracting findings of actively
 * exploited vulnerabilities), else status with "held": false.
 */
static int import_answer(struct http_req *req, struct http_resp *resp, int status, json_t *o,
			 int64_t sbom_id)
{
	struct vg_error err = {0};
	struct sbom_revision rev;
	int held = 0;
	if (sbom_revision_get(req->db, sbom_id, &rev, &err) == VG_OK) {
		held = SBOM_REVISION_HELD(&rev);
		if (held)
			json_object_set_new(o, "held_reason", json_string(rev.held_reason));
		sbom_revision_release(&rev);
	}
	json_object_set_new(o, "held", json_boolean(held));
	return http_json(resp, held ? 202 : status, o);
}

/* What every import answer carries: the policy, the violations kept, the
 * quality measured. */
static void import_json_add(json_t *o, const struct sbom_import_result *res,
			    const struct sbom_violation_list *viol)
{
	json_object_set_new(o, "policy", json_string(res->policy));
	json_object_set_new(o, "violations", json_integer((json_int_t)(viol->n + viol->n_dropped)));
	json_object_set_new(o, "violation_list", sbom_violations_to_json(viol));
	json_object_set_new(o, "violations_dropped", json_integer((json_int_t)viol->n_dropped));
	json_object_set_new(o, "quality",
			    json_pack("{s:i, s:i, s:b, s:b}", "ntia", res->quality_ntia,
				      "bsi-tr-03183-2", res->quality_bsi, "ntia_ok", res->ntia_ok,
				      "bsi_ok", res->bsi_ok));
}

/*
 * A refused import: the error as http_fail() words it, with the policy and
 * every violation (each with its JSON pointer or line) beside the message.
 */
static int import_refused(struct http_resp *resp, const struct vg_error *err,
			  const struct sbom_import_result *res,
			  const struct sbom_violation_list *viol)
{
	int code = err->code ? err->code : VG_EINTERNAL;
	if (!viol->n)
		return http_fail(resp, err);
	http_json(resp, vg_code_http_status(code),
		  json_pack("{s:{s:s, s:s, s:s, s:o, s:I}}", "error", "code", vg_code_name(code),
			    "message", vg_error_msg(err), "policy", res->policy, "violation_list",
			    sbom_violations_to_json(viol), "violations_dropped",
			    (json_int_t)viol->n_dropped));
	return code;
}

static int sbom_upload(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct sbom_import_req r = {0};
	struct sbom_import_result res;
	struct sbom_violation_list viol = {0};
	int rc;

	if (check_scope(req, resp, http_param(req, "p")))
		return VG_EPERM;
	r.product = http_param(req, "p");
	r.version = http_param(req, "v");
	r.data = req->body.data ? req->body.data : "";
	r.n = req->body.len;
	r.filename = http_query(req, "filename") ? http_query(req, "filename") : "request body";
	if (sbom_import_ex(req->db, &r, &res, &viol, &err)) {
		rc = import_refused(resp, &err, &res, &viol);
		sbom_violation_list_release(&viol);
		return rc;
	}
	rc = import_answer(req, resp, 201, import_json(&r, &res, &viol), res.sbom_id);
	sbom_violation_list_release(&viol);
	return rc;
}

static int sboms_list(struct http_req *req, struct http_resp *resp, const char *version)
{
	struct vg_error err = {0};
	struct sbom_revision_list l;
	json_t *rows;
	if (sbom_revision_list(req->db, http_param(req, "p"), version, &l, &err))
		return http_fail(resp, &err);
	rows = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(rows, sbom_revision_to_json(&l.items[i]));
	sbom_revision_list_release(&l);
	return http_json(resp, 200, json_pack("{s:o}", "sboms", rows));
}

static int sboms_of_version(struct http_req *req, struct http_resp *resp)
{
	if (check_scope(req, resp, http_param(req, "p")))
		return VG_EPERM;
	return sboms_list(req, resp, http_param(req, "v"));
}

static int sboms_of_product(struct http_req *req, struct http_resp *resp)
{
	return sboms_list(req, resp, NULL);
}

static int id_param(struct http_req *req, struct http_resp *resp, int64_t *id)
{
	struct vg_error err = {0};
	if (vg_id_parse(http_param(req, "id"), "SBOM id", id, &err))
		return http_fail(resp, &err);
	return VG_OK;
}

static int sbom_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct sbom_contents c;
	int64_t id;
	if (id_param(req, resp, &id))
		return VG_EINVAL;
	if (sbom_show(req->db, id, &c, &err))
		return http_fail(resp, &err);
	{
		struct sbom_quality q;
		json_t *o = sbom_contents_to_json(&c);
		sbom_contents_release(&c);
		if (sbom_quality_get(req->db, id, &q, &err) == VG_OK) {
			json_object_set_new(o, "quality_checks", sbom_quality_to_json(&q));
			sbom_quality_release(&q);
		}
		return http_json(resp, 200, o);
	}
}

/*
 * A download's name after what it is: "<product>-<version>.<kind>.<ext>"
 * ("acme-gateway-1.0.0.cdx.json", ".spdx.json", ".cdx.xml", ".spdx" for
 * tag-value). Blanks become '-'; http_content_disposition() cleans the rest.
 */
static void download_name(char *out, size_t n, const char *product, const char *version,
			  const char *format, const char *encoding)
{
	const char *kind = format && strncmp(format, "spdx", 4) == 0 ? "spdx" : "cdx";
	const char *ext = ".json";
	if (encoding && strcmp(encoding, "xml") == 0)
		ext = ".xml";
	else if (encoding && strcmp(encoding, "tag-value") == 0)
		ext = "";
	else if (encoding && strcmp(encoding, "json-ld") == 0)
		ext = ".jsonld";
	snprintf(out, n, "%s-%s.%s%s", product ? product : "sbom", version ? version : "", kind,
		 ext);
	for (char *c = out; *c; c++)
		if (*c == ' ' || *c == '\t')
			*c = '-';
}

static int sbom_get_original(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct sbom_revision r = {0};
	char *data = NULL, sha[VG_SHA256_HEX], fallback[64], name[600];
	size_t n = 0;
	int64_t id;
	int rc;
	if (id_param(req, resp, &id))
		return VG_EINVAL;
	if (sbom_revision_get(req->db, id, &r, &err))
		return http_fail(resp, &err);
	if (sbom_original(req->db, id, &data, &n, &err)) {
		sbom_revision_release(&r);
		return http_fail(resp, &err);
	}
	vg_sha256_hex(data, n, sha);
	/* uploaded bytes: a download, never a page (http/attach.h) */
	snprintf(fallback, sizeof(fallback), "sbom-%lld.%s", (long long)id,
		 r.encoding && strcmp(r.encoding, "xml") == 0 ? "xml" : "json");
	download_name(name, sizeof(name), r.product, r.version, r.format, r.encoding);
	rc = http_attachment(resp, data, n, NULL, name, fallback);
	if (!rc)
		rc = http_set_header(resp, "X-Content-SHA256", sha);
	sbom_revision_release(&r);
	free(data);
	return rc;
}

static int sbom_del(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id;
	if (id_param(req, resp, &id))
		return VG_EINVAL;
	if (sbom_delete(req->db, id, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1));
}

/* A person approves a held revision: its findings are reconciled now. */
static int sbom_approve_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct sbom_revision rev;
	json_t *o;
	int64_t id;
	if (id_param(req, resp, &id))
		return VG_EINVAL;
	if (sbom_approve(req->db, id, &err))
		return http_fail(resp, &err);
	if (sbom_revision_get(req->db, id, &rev, &err))
		return http_fail(resp, &err);
	o = sbom_revision_to_json(&rev);
	sbom_revision_release(&rev);
	return http_json(resp, 200, o);
}

static int components(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct sbom_contents c;
	json_t *rows;
	int64_t limit, offset;
	int rc;
	if ((rc = http_query_int(req, resp, "limit", 1, 1000, 100, &limit)) ||
	    (rc = http_query_int(req, resp, "offset", 0, INT64_MAX, 0, &offset)))
		return rc;
	if (sbom_components(req->db, http_param(req, "p"), http_param(req, "v"),
			    http_query(req, "q"), limit, offset, &c, &err))
		return http_fail(resp, &err);
	rows = json_array();
	for (size_t i = 0; i < c.n_components; i++)
		json_array_append_new(rows, sbom_component_to_json(&c.components[i], 0));
	sbom_contents_release(&c);
	return http_json(resp, 200,
			 json_pack("{s:o, s:I, s:I}", "components", rows, "limit",
				   (json_int_t)limit, "offset", (json_int_t)offset));
}

static int diff(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct sbom_diff d;
	json_t *o;
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	if (!from || !to)
		return http_error(resp, VG_EINVAL,
				  "query parameters from and to (versions) are "
				  "required");
	if (sbom_diff(req->db, http_param(req, "p"), from, to, &d, &err))
		return http_fail(resp, &err);
	o = sbom_diff_to_json(&d);
	sbom_diff_release(&d);
	return http_json(resp, 200, o);
}

static int export_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	const char *fmt = http_query(req, "format");
	char *out = NULL;
	int rc;
	if (check_scope(req, resp, http_param(req, "p")))
		return VG_EPERM;
	if (!fmt)
		fmt = "cyclonedx-1.6";
	if (sbom_export(req->db, http_param(req, "p"), http_param(req, "v"), fmt, &out, &err))
		return http_fail(resp, &err);
	rc = http_text(resp, 200,
		       strncmp(fmt, "spdx", 4) == 0 ? "application/spdx+json"
						    : "application/vnd.cyclonedx+json",
		       out, strlen(out));
	free(out);
	if (!rc) {
		char name[600], cd[800];
		download_name(name, sizeof(name), http_param(req, "p"), http_param(req, "v"), fmt,
			      "json");
		rc = http_set_header(
		    resp, "Content-Disposition",
		    http_content_disposition(name, "sbom-export.json", cd, sizeof(cd)));
	}
	return rc;
}

/*
 * POST /api/v1/sbom/validate[?policy=strict|standard]: without policy, the
 * official schema alone (valid or not, every error); with it, whether an
 * import under that policy would take the document ("accepted") and the
 * violations it would keep or refuse it for.
 */
static int validate_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct sbom_doc *doc = NULL;
	json_t *report = NULL;
	const char *pol = http_query(req, "policy");
	int rc;
	if (pol) {
		enum sbom_policy policy;
		struct sbom_violation_list viol = {0};
		if (sbom_policy_parse(pol, &policy, &err))
			return http_error(resp, VG_EINVAL, "query parameter policy: %s",
					  vg_error_msg(&err));
		rc = sbom_check_policy(req->body.data ? req->body.data : "", req->body.len,
				       "request body", policy, &doc, &viol, &err);
		report = json_pack("{s:s, s:b, s:b, s:o, s:I}", "policy", sbom_policy_name(policy),
				   "accepted", rc == VG_OK, "valid", rc == VG_OK && !viol.n,
				   "violation_list", sbom_violations_to_json(&viol),
				   "violations_dropped", (json_int_t)viol.n_dropped);
		sbom_violation_list_release(&viol);
		if (rc)
			json_object_set_new(report, "message", json_string(vg_error_msg(&err)));
		else
			json_object_set_new(report, "components",
					    json_integer((json_int_t)doc->n_components));
		sbom_doc_free(doc);
		return http_json(resp, rc ? 422 : 200, report);
	}
	rc = sbom_check(req->body.data ? req->body.data : "", req->body.len, "request body", &doc,
			&report, &err);
	if (!report)
		report = json_object();
	json_object_set_new(report, "valid", json_boolean(rc == VG_OK));
	if (rc) {
		if (!json_array_size(json_object_get(report, "errors")))
			json_object_set_new(report, "errors",
					    json_pack("[{s:s}]", "message", vg_error_msg(&err)));
		return http_json(resp, 422, report);
	}
	json_object_set_new(report, "components", json_integer((json_int_t)doc->n_components));
	sbom_doc_free(doc);
	return http_json(resp, 200, report);
}

/* ---- Dependency-Track compatibility ---- */

static int dt_import(struct http_req *req, struct http_resp *resp, const char *name,
		     const char *version, int autocreate, const char *data, size_t n)
{
	struct vg_error err = {0};
	struct sbom_import_req r = {0};
	struct sbom_import_result res;
	struct sbom_violation_list viol = {0};
	json_t *o;
	char token[37];

	if (!name || !*name || !version || !*version)
		return http_error(resp, VG_EINVAL,
				  "projectName and projectVersion are required (project UUIDs are "
				  "not used by vigil)");
	if (check_scope(req, resp, name))
		return VG_EPERM;
	/* autoCreate creates a product only for those who may create products;
	 * for others it is moot when the product exists, refused when not */
	if (autocreate && !(req->who.role & PRODUCT_WRITE)) {
		struct product p;
		int rc = product_get(req->db, name, &p, &err);
		if (rc == VG_ENOTFOUND)
			return http_error(resp, VG_EPERM,
					  "autoCreate: product '%s' does not exist and role %s may "
					  "not create products (admin or psirt: POST "
					  "/api/v1/products)",
					  name, vg_role_name(req->who.role));
		if (rc)
			return http_fail(resp, &err);
		product_release(&p);
		autocreate = 0;
	}
	r.product = name;
	r.version = version;
	r.data = data;
	r.n = n;
	r.filename = "bom";
	r.create_product = autocreate;
	if (sbom_import_ex(req->db, &r, &res, &viol, &err)) {
		int rc = import_refused(resp, &err, &res, &viol);
		sbom_violation_list_release(&viol);
		return rc;
	}
	vg_uuid4(token);
	o = json_pack("{s:s, s:I, s:I}", "token", token, "id", (json_int_t)res.sbom_id,
		      "components", (json_int_t)res.components);
	import_json_add(o, &res, &viol);
	sbom_violation_list_release(&viol);
	return import_answer(req, resp, 200, o, res.sbom_id);
}

static int dt_put(struct http_req *req, struct http_resp *resp)
{
	json_t *b = http_body_json(req, resp);
	const char *bom;
	unsigned char *raw;
	size_t n = 0;
	int rc, autoc;
	if (!b)
		return VG_EPARSE;
	bom = vg_json_str(b, "bom");
	autoc = json_is_true(json_object_get(b, "autoCreate"));
	if (!bom) {
		json_decref(b);
		return http_error(resp, VG_EINVAL, "request body: /bom: expected a base64 string");
	}
	raw = vg_base64_decode(bom, strlen(bom), &n);
	if (!raw) {
		json_decref(b);
		return http_error(resp, VG_EINVAL, "request body: /bom: not valid base64");
	}
	rc = dt_import(req, resp, vg_json_str(b, "projectName"), vg_json_str(b, "projectVersion"),
		       autoc, (const char *)raw, n);
	free(raw);
	json_decref(b);
	return rc;
}

static int dt_post(struct http_req *req, struct http_resp *resp)
{
	struct mp_part parts[16];
	struct vg_error err = {0};
	const struct mp_part *pt;
	int n = 0, autoc = 0;
	char name[256] = "", version[256] = "";

	if (mp_parse(http_header(req, "Content-Type"), req->body.data, req->body.len, parts, 16, &n,
		     &err))
		return http_fail(resp, &err);
	if ((pt = mp_find(parts, n, "projectName")))
		snprintf(name, sizeof(name), "%.*s", (int)pt->n, pt->data);
	if ((pt = mp_find(parts, n, "projectVersion")))
		snprintf(version, sizeof(version), "%.*s", (int)pt->n, pt->data);
	if ((pt = mp_find(parts, n, "autoCreate")))
		autoc = pt->n == 4 && strncasecmp(pt->data, "true", 4) == 0;
	pt = mp_find(parts, n, "bom");
	if (!pt)
		return http_error(resp, VG_EINVAL, "request body: the part 'bom' is missing");
	return dt_import(req, resp, name, version, autoc, pt->data, pt->n);
}

#define UPLOAD  (ROLE_ADMIN | ROLE_PSIRT | ROLE_CI)
#define READ_CI (ROLE_READ | ROLE_CI)

const struct http_route sbom_routes[] = {
    {"GET", "/api/v1/products", READ_CI, 0, products_list, "List products", "sbom"},
    {"POST", "/api/v1/products", PRODUCT_WRITE, 0, products_create,
     "Create a product {name, vendor, cra_class, support_until, placed_on_market, public, "
     "sbom_policy, sbom_quality_profile}",
     "sbom"},
    {"GET", "/api/v1/products/{p}", READ_CI, 0, product_get_route, "A product and its versions",
     "sbom"},
    {"PATCH", "/api/v1/products/{p}", ROLE_ADMIN | ROLE_PSIRT, 0, product_patch,
     "Change a product (the fields of create but name; public: listed on /report; "
     "sbom_policy strict|standard|null, sbom_quality_profile ntia|bsi-tr-03183-2|null)",
     "sbom"},
    {"GET", "/api/v1/products/{p}/sboms", ROLE_READ, 0, sboms_of_product,
     "Every SBOM revision of a product", "sbom"},
    {"POST", "/api/v1/products/{p}/versions/{v}/sboms", UPLOAD, HTTP_BODY_UPLOAD, sbom_upload,
     "Upload an SBOM (raw CycloneDX or SPDX body) as a new revision", "sbom"},
    {"GET", "/api/v1/products/{p}/versions/{v}/sboms", READ_CI, 0, sboms_of_version,
     "SBOM revisions of a version", "sbom"},
    {"GET", "/api/v1/products/{p}/versions/{v}/components", ROLE_READ, 0, components,
     "Components of the newest revision (q, limit, offset)", "sbom"},
    {"GET", "/api/v1/products/{p}/versions/{v}/export", READ_CI, 0, export_route,
     "Export (format=cyclonedx-1.6|cyclonedx-1.7|spdx-2.3)", "sbom"},
    {"GET", "/api/v1/products/{p}/diff", ROLE_READ, 0, diff, "Diff between two versions (from, to)",
     "sbom"},
    {"GET", "/api/v1/sboms/{id}", ROLE_READ, 0, sbom_get,
     "One SBOM revision, with the violations kept (violation_list) and its quality checks", "sbom"},
    {"GET", "/api/v1/sboms/{id}/original", ROLE_READ, 0, sbom_get_original,
     "The original document, byte for byte", "sbom"},
    {"DELETE", "/api/v1/sboms/{id}", ROLE_ADMIN, 0, sbom_del,
     "Delete a revision after its retention end", "sbom"},
    {"POST", "/api/v1/sboms/{id}/approve", ROLE_ADMIN | ROLE_PSIRT, 0, sbom_approve_route,
     "Approve a held revision: its findings are reconciled (retracted) now", "sbom"},
    {"POST", "/api/v1/sbom/validate", READ_CI, HTTP_BODY_UPLOAD, validate_route,
     "Validate a document without storing it (policy=strict|standard: as an import would)", "sbom"},
    {"PUT", "/api/v1/bom", UPLOAD, HTTP_BODY_UPLOAD, dt_put,
     "Dependency-Track compatible upload {projectName, projectVersion, autoCreate, bom}", "sbom"},
    {"POST", "/api/v1/bom", UPLOAD, HTTP_BODY_UPLOAD, dt_post,
     "Dependency-Track compatible multipart upload", "sbom"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
