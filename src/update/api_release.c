/*
 * api_release.c - the release routes: list, create, show, yank, the gate's
 * check, the streamed artifact upload for CI and the streamed download.
 *
 * Upload: POST /api/v1/releases/{id}/artifacts?name=TARGET with the raw
 * bytes as the body (HTTP_BODY_FILE: spooled to a temporary file, read
 * from its descriptor, never mapped whole), and
 *   X-Vigil-Signature: base64 of the detached signature file
 *   X-Vigil-Provenance: base64 of the provenance document (optional)
 *   Content-Digest: sha-256=:BASE64:  or the query parameter sha256=HEX
 * An upload must state its SHA-256 or carry a signature, so that a body cut
 * short or sent with a wrong Content-Length is refused, not stored.
 */
#define _GNU_SOURCE
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "http/attach.h"
#include "http/http.h"
#include "store/store.h"
#include "update/release.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define WRITE    (ROLE_ADMIN | ROLE_PSIRT)
#define WRITE_CI (ROLE_ADMIN | ROLE_PSIRT | ROLE_CI)
#define READ_CI  (ROLE_READ | ROLE_CI)

static int scope_ok(struct http_req *req, struct http_resp *resp, const char *product)
{
	if (vg_principal_may_product(&req->who, product ? product : ""))
		return VG_OK;
	(void)http_error(resp, VG_EPERM,
			 "product '%s' is outside the product scope of this token (%s)",
			 product ? product : "", req->who.name);
	return VG_EPERM;
}

static int release_param(struct http_req *req, struct http_resp *resp, int64_t *id)
{
	struct vg_error err = {0};
	if (vg_id_parse(http_param(req, "id"), "release id", id, &err))
		return http_fail(resp, &err);
	return VG_OK;
}

static int releases_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct release_filter f = {0};
	struct release_list l;
	json_t *rows;
	int rc;

	f.product = http_query(req, "product");
	if ((rc = http_query_int(req, resp, "limit", 1, 1000, 100, &f.limit)) ||
	    (rc = http_query_int(req, resp, "offset", 0, INT64_MAX, 0, &f.offset)))
		return rc;
	if (http_query(req, "sort") && strcmp(http_query(req, "sort"), "product") == 0)
		f.sort = RELEASE_SORT_PRODUCT;
	if (release_list(req->db, &f, &l, &err))
		return http_fail(resp, &err);
	rows = json_array();
	for (size_t i = 0; i < l.n; i++)
		if (vg_principal_may_product(&req->who, l.items[i].product))
			json_array_append_new(rows, release_to_json(&l.items[i]));
	rc = http_json(resp, 200,
		       json_pack("{s:o, s:I}", "releases", rows, "total", (json_int_t)l.total));
	release_list_release(&l);
	return rc;
}

static int releases_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct release_create_req r = {0};
	struct release_detail d;
	json_t *b = http_body_json(req, resp), *fx;
	char *fixes = NULL;
	int64_t id = 0;
	int rc;

	if (!b)
		return VG_EPARSE;
	r.product = vg_json_str(b, "product");
	r.version = vg_json_str(b, "version");
	r.notes = vg_json_str(b, "notes");
	r.security = json_is_true(json_object_get(b, "security"));
	if (!r.product || !r.version) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: expected {product, version, notes, security, "
				  "fixes}");
	}
	if (scope_ok(req, resp, r.product)) {
		json_decref(b);
		return VG_EPERM;
	}
	fx = json_object_get(b, "fixes");
	if (json_is_array(fx)) {
		struct vg_buf l = VG_BUF_INIT;
		for (size_t i = 0; i < json_array_size(fx); i++) {
			const char *v = json_string_value(json_array_get(fx, i));
			if (!v || strchr(v, ',')) {
				vg_buf_release(&l);
				json_decref(b);
				return http_error(resp, VG_EINVAL,
						  "request body: /fixes/%zu: expected a "
						  "vulnerability id",
						  i);
			}
			vg_buf_addf(&l, "%s%s", i ? "," : "", v);
		}
		fixes = vg_buf_detach(&l, NULL);
		if (!fixes) {
			json_decref(b);
			return http_error(resp, VG_ENOMEM, "out of memory");
		}
		r.fixes = fixes;
	}
	rc = release_create(req->db, &r, &id, &err);
	free(fixes);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	if (release_get(req->db, id, &d, &err))
		return http_fail(resp, &err);
	rc = http_json(resp, 201, release_detail_to_json(&d));
	release_detail_release(&d);
	return rc;
}

static int release_show(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct release_detail d;
	int64_t id;
	int rc;
	if (release_param(req, resp, &id))
		return VG_EINVAL;
	if (release_get(req->db, id, &d, &err))
		return http_fail(resp, &err);
	if (scope_ok(req, resp, d.r.product)) {
		release_detail_release(&d);
		return VG_EPERM;
	}
	rc = http_json(resp, 200, release_detail_to_json(&d));
	release_detail_release(&d);
	return rc;
}

static int release_yank_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b = http_body_json(req, resp);
	int64_t id;
	int rc;
	if (!b)
		return VG_EPARSE;
	if (release_param(req, resp, &id)) {
		json_decref(b);
		return VG_EINVAL;
	}
	rc = release_yank(req->db, id, vg_json_str(b, "reason") ? vg_json_str(b, "reason") : "",
			  &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "yanked", 1));
}

static int release_check_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct update_gate_report g;
	int64_t id;
	int rc;
	if (release_param(req, resp, &id))
		return VG_EINVAL;
	if (update_release_check(req->db, id, &g, &err))
		return http_fail(resp, &err);
	rc = http_json(resp, 200, update_gate_report_to_json(&g));
	update_gate_report_release(&g);
	return rc;
}

/* POST /api/v1/releases/{id}/publish: the gate, then TUF (no way to skip a
 * check). 200 with the result; a refusal is 422 with the gate's report. */
static int release_publish_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct update_publish_result p;
	int64_t id;
	int rc;
	if (release_param(req, resp, &id))
		return VG_EINVAL;
	rc = update_release_publish(req->db, id, &p, &err);
	if (rc && !p.reason)
		return http_fail(resp, &err);
	{
		json_t *o = update_publish_result_to_json(&p);
		if (rc)
			json_object_set_new(o, "error", json_string(vg_error_msg(&err)));
		rc = http_json(resp, rc ? 422 : 200, o);
	}
	update_publish_result_release(&p);
	return rc;
}

/* The SHA-256 the client states: ?sha256=HEX or Content-Digest: sha-256=:B64:. */
static int stated_sha(struct http_req *req, struct http_resp *resp, char out[65], int *given)
{
	const char *q = http_query(req, "sha256"), *cd = http_header(req, "Content-Digest");
	*given = 0;
	if (q) {
		if (strlen(q) != 64 || strspn(q, "0123456789abcdefABCDEF") != 64)
			return http_error(resp, VG_EINVAL,
					  "query parameter sha256 '%s': expected 64 hex digits", q);
		for (int i = 0; i < 65; i++)
			out[i] = (char)((q[i] >= 'A' && q[i] <= 'F') ? q[i] + 32 : q[i]);
		*given = 1;
		return VG_OK;
	}
	if (cd) {
		const char *p = strcasestr(cd, "sha-256=:");
		const char *e = p ? strchr(p + 9, ':') : NULL;
		size_t n = 0;
		unsigned char *raw = e ? vg_base64_decode(p + 9, (size_t)(e - p - 9), &n) : NULL;
		if (!raw || n != 32) {
			free(raw);
			return http_error(resp, VG_EINVAL,
					  "header Content-Digest: expected sha-256=:BASE64: (RFC "
					  "9530) with a 32-byte digest");
		}
		vg_hex(raw, 32, out);
		free(raw);
		*given = 1;
	}
	return VG_OK;
}

/* A base64 header decoded (malloc'ed) or NULL when absent; -1 on bad base64. */
static int b64_header(struct http_req *req, struct http_resp *resp, const char *name,
		      unsigned char **out, size_t *n)
{
	const char *v = http_header(req, name);
	*out = NULL;
	*n = 0;
	if (!v)
		return VG_OK;
	*out = vg_base64_decode(v, strlen(v), n);
	if (!*out)
		return http_error(resp, VG_EINVAL, "header %s: expected base64", name);
	return VG_OK;
}

static int artifact_upload_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct release_upload_req r = {0};
	struct release_detail d;
	unsigned char *sig = NULL, *prov = NULL;
	size_t siglen = 0, provlen = 0;
	char sha[65];
	int given = 0, rc;

	if (release_param(req, resp, &r.release_id))
		return VG_EINVAL;
	if (release_get(req->db, r.release_id, &d, &err))
		return http_fail(resp, &err);
	rc = scope_ok(req, resp, d.r.product);
	release_detail_release(&d);
	if (rc)
		return rc;
	r.name = http_query(req, "name");
	if (!r.name)
		return http_error(resp, VG_EINVAL,
				  "query parameter name: expected the artifact's target name");
	if ((rc = stated_sha(req, resp, sha, &given)) ||
	    (rc = b64_header(req, resp, "X-Vigil-Signature", &sig, &siglen)) ||
	    (rc = b64_header(req, resp, "X-Vigil-Provenance", &prov, &provlen))) {
		free(sig);
		return rc;
	}
	if (!given && !sig) {
		free(prov);
		return http_error(
		    resp, VG_EINVAL,
		    "artifact '%s': state its SHA-256 (query parameter sha256 or "
		    "Content-Digest) or send its CI signature (X-Vigil-Signature), so "
		    "that a body cut short is not stored",
		    r.name);
	}
	r.expect_sha256 = given ? sha : NULL;
	r.src.fd = req->body_fd;
	r.src.mem = req->body.data ? req->body.data : "";
	r.src.len = req->body.len;
	r.src.what = "request body";
	if (sig) {
		r.signature = sig;
		r.siglen = siglen;
	}
	if (prov) {
		r.provenance = (const char *)prov;
		r.provlen = provlen;
	}
	rc = release_upload(req->db, &r, &d, &err);
	free(sig);
	free(prov);
	if (rc)
		return http_fail(resp, &err);
	rc = http_json(resp, 201, release_artifact_to_json(&d.artifacts[0]));
	release_detail_release(&d);
	return rc;
}

/*
 * A Range header of size bytes (RFC 9110 14.2): 1 with [*off, *off + *len)
 * for a single "bytes=A-B", "bytes=A-" or "bytes=-N"; 0 when absent or not
 * one byte range (the whole is sent); -1 when unsatisfiable (416).
 */
static int parse_range(const char *h, uint64_t size, uint64_t *off, uint64_t *len)
{
	const char *p, *dash;
	unsigned long long a = 0, b = 0;
	char *end;

	if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0;
	p = h + 6;
	dash = strchr(p, '-');
	if (!dash)
		return 0;
	if (dash == p) { /* the last N bytes */
		if (!dash[1] || strspn(dash + 1, "0123456789") != strlen(dash + 1))
			return 0;
		b = strtoull(dash + 1, &end, 10);
		if (!b || !size)
			return -1;
		if (b > size)
			b = size;
		*off = size - b;
		*len = b;
		return 1;
	}
	if (strspn(p, "0123456789") != (size_t)(dash - p) ||
	    strspn(dash + 1, "0123456789") != strlen(dash + 1))
		return 0;
	a = strtoull(p, &end, 10);
	b = dash[1] ? strtoull(dash + 1, &end, 10) : (size ? size - 1 : 0);
	if (dash[1] && b < a)
		return 0;
	if (a >= size)
		return -1;
	if (b >= size)
		b = size - 1;
	*off = a;
	*len = b - a + 1;
	return 1;
}

/* The stored bytes of r (handed over) as the answer: whole, a Range of
 * them (206), 416, or 304 for an If-None-Match of the ETag (the SHA-256). */
static int send_body(struct http_req *req, struct http_resp *resp, struct artifact_reader *r,
		     const char *sha, struct vg_error *err)
{
	uint64_t size = artifact_reader_size(r), off = 0, len = 0;
	const char *inm = http_header(req, "If-None-Match");
	char etag[72], cr[96];
	int rc, part;

	snprintf(etag, sizeof(etag), "\"%s\"", sha);
	if ((rc = http_set_header(resp, "ETag", etag)) ||
	    (rc = http_set_header(resp, "Accept-Ranges", "bytes"))) {
		artifact_close(r);
		return vg_error_set(err, rc, "out of memory");
	}
	if (inm && strstr(inm, etag)) {
		artifact_close(r);
		return http_text(resp, 304, "application/octet-stream", "", 0);
	}
	part = parse_range(http_header(req, "Range"), size, &off, &len);
	if (part < 0) {
		artifact_close(r);
		snprintf(cr, sizeof(cr), "bytes */%llu", (unsigned long long)size);
		rc = http_set_header(resp, "Content-Range", cr);
		(void)http_error_status(resp, 416, "range_not_satisfiable",
					"Range: outside the %llu bytes of the artifact",
					(unsigned long long)size);
		return VG_OK;
	}
	if (!part)
		return artifact_send(r, resp, "application/octet-stream", err);
	snprintf(cr, sizeof(cr), "bytes %llu-%llu/%llu", (unsigned long long)off,
		 (unsigned long long)(off + len - 1), (unsigned long long)size);
	if ((rc = http_set_header(resp, "Content-Range", cr))) {
		artifact_close(r);
		return vg_error_set(err, rc, "out of memory");
	}
	return artifact_send_part(r, resp, 206, "application/octet-stream", off, len, err);
}

static int artifact_download_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct release_detail d;
	struct artifact_reader *r = NULL;
	char cd[600];
	int64_t id;
	int rc;

	if (vg_id_parse(http_param(req, "id"), "artifact id", &id, &err))
		return http_fail(resp, &err);
	if (release_artifact_get(req->db, id, &d, &err))
		return http_fail(resp, &err);
	if (scope_ok(req, resp, d.r.product)) {
		release_detail_release(&d);
		return VG_EPERM;
	}
	rc = artifact_open(req->db, d.artifacts[0].sha256, &r, &err);
	if (!rc) {
		const char *base = strrchr(d.artifacts[0].name, '/');
		http_content_disposition(base ? base + 1 : d.artifacts[0].name, "artifact", cd,
					 sizeof(cd));
		rc = http_set_header(resp, "Content-Disposition", cd);
		if (!rc)
			rc = http_set_header(resp, "Content-Security-Policy", HTTP_ATTACHMENT_CSP);
		if (!rc)
			rc = http_set_header(resp, "X-Content-SHA256", d.artifacts[0].sha256);
		if (!rc)
			rc = send_body(req, resp, r, d.artifacts[0].sha256, &err);
		else
			artifact_close(r);
	}
	release_detail_release(&d);
	if (rc)
		return http_fail(resp, &err);
	return VG_OK;
}

/* clang-format off */
const struct http_route update_routes[] = {
    {"GET", "/api/v1/releases", READ_CI, 0, releases_get,
     "Releases (product, sort=new|product, limit, offset) with their last gate result", "update"},
    {"POST", "/api/v1/releases", WRITE_CI, 0, releases_post,
     "Create the release of a product version {product, version, notes, security, fixes}", "update"},
    {"GET", "/api/v1/releases/{id}", READ_CI, 0, release_show,
     "A release with its artifacts", "update"},
    {"POST", "/api/v1/releases/{id}/yank", WRITE, 0, release_yank_route,
     "Yank a release {reason}", "update"},
    {"POST", "/api/v1/releases/{id}/check", WRITE, 0, release_check_route,
     "Run the gate's checks (hashes, CI signatures, product version); recorded", "update"},
    {"POST", "/api/v1/releases/{id}/publish", WRITE, 0, release_publish_route,
     "Publish: the gate's checks, then the artifacts signed as TUF targets of the product's role", "update"},
    {"POST", "/api/v1/releases/{id}/artifacts", WRITE_CI, HTTP_BODY_FILE, artifact_upload_route,
     "Upload an artifact (raw body; name, sha256 or Content-Digest, X-Vigil-Signature, "
     "X-Vigil-Provenance), streamed to the artifact store", "update"},
    {"GET", "/api/v1/artifacts/{id}/content", READ_CI, 0, artifact_download_route,
     "An artifact's bytes, streamed (Range, ETag: its SHA-256)", "update"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
