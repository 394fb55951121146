/*
 * tuf_http.c - the TUF repository served to the public: GET and HEAD of
 * /tuf/metadata/{file} and /tuf/targets/{path...}, with a strong ETag (the
 * file's SHA-256), If-None-Match, one byte range (Range: bytes=...), and a
 * Cache-Control for each kind: timestamp.json and the unversioned names
 * change, so they are kept briefly; versioned metadata and hash-prefixed
 * targets never change.
 */
#include "update/tuf.h"
#include "update/release.h"
#include "core/error.h"
#include "core/log.h"
#include "http/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int send_file(struct http_req *req, struct http_resp *resp, char *data, size_t n,
		     const char *sha, const char *ctype, const char *cache)
{
	char etag[80], cr[96];
	const char *inm = http_header(req, "If-None-Match");
	size_t from = 0, to = 0;
	int r, rc;

	snprintf(etag, sizeof(etag), "\"%s\"", sha);
	http_set_header(resp, "ETag", etag);
	http_set_header(resp, "Cache-Control", cache);
	http_set_header(resp, "Accept-Ranges", "bytes");
	if (inm && (strstr(inm, etag) || strcmp(inm, "*") == 0)) {
		free(data);
		return http_text(resp, 304, ctype, "", 0);
	}
	r = tuf_range_parse(http_header(req, "Range"), n, &from, &to);
	if (r < 0) {
		snprintf(cr, sizeof(cr), "bytes */%zu", n);
		http_set_header(resp, "Content-Range", cr);
		free(data);
		return http_text(resp, 416, "text/plain; charset=utf-8", "range not satisfiable\n",
				 22);
	}
	if (r > 0) {
		snprintf(cr, sizeof(cr), "bytes %zu-%zu/%zu", from, to, n);
		http_set_header(resp, "Content-Range", cr);
		rc = http_text(resp, 206, ctype, data + from, to - from + 1);
	} else {
		rc = http_text(resp, 200, ctype, data, n);
	}
	free(data);
	return rc;
}

static const char *rest_of(const struct http_req *req, const char *prefix)
{
	size_t l = strlen(prefix);
	return strncmp(req->path, prefix, l) == 0 ? req->path + l : "";
}

static int not_found(struct http_resp *resp)
{
	http_set_header(resp, "Cache-Control", "no-store");
	return http_error(resp, VG_ENOTFOUND, "no such file in the TUF repository");
}

/* GET /tuf/metadata/{file} */
static int tuf_metadata_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	const char *file = rest_of(req, "/tuf/metadata/");
	char *data = NULL, sha[65];
	size_t n = 0;
	int is_ts = 0, versioned = file[0] >= '0' && file[0] <= '9';

	if (tuf_metadata_file(req->db, file, &data, &n, sha, &is_ts, &err)) {
		if (err.code != VG_ENOTFOUND)
			vg_warn("tuf: %s", vg_error_msg(&err));
		return not_found(resp);
	}
	return send_file(req, resp, data, n, sha, "application/json",
			 versioned ? "public, max-age=31536000, immutable"
			 : is_ts   ? "public, max-age=60"
				   : "public, max-age=300");
}

/* GET /tuf/targets/{path...}: streamed from the artifact store (a Range as
 * a part of it), never read whole into memory. */
static int tuf_targets_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct artifact_reader *r = NULL;
	const char *inm = http_header(req, "If-None-Match");
	char sha[65], etag[80], cr[96];
	uint64_t size;
	size_t from = 0, to = 0;
	int part, rc;

	if (tuf_target_open(req->db, rest_of(req, "/tuf/targets/"), &r, sha, &err)) {
		if (err.code != VG_ENOTFOUND)
			vg_warn("tuf: %s", vg_error_msg(&err));
		return not_found(resp);
	}
	{ /* the access event names the product: targets are PRODUCT/... */
		const char *t = rest_of(req, "/tuf/targets/"), *slash = t ? strchr(t, '/') : NULL;
		char product[128];
		if (slash && (size_t)(slash - t) < sizeof(product)) {
			memcpy(product, t, (size_t)(slash - t));
			product[slash - t] = '\0';
			http_log_context(req, product, "");
		}
	}
	size = artifact_reader_size(r);
	snprintf(etag, sizeof(etag), "\"%s\"", sha);
	if ((rc = http_set_header(resp, "ETag", etag)) ||
	    (rc = http_set_header(resp, "Cache-Control", "public, max-age=31536000, immutable")) ||
	    (rc = http_set_header(resp, "Accept-Ranges", "bytes"))) {
		artifact_close(r);
		return rc;
	}
	if (inm && (strstr(inm, etag) || strcmp(inm, "*") == 0)) {
		artifact_close(r);
		return http_text(resp, 304, "application/octet-stream", "", 0);
	}
	part = tuf_range_parse(http_header(req, "Range"), (size_t)size, &from, &to);
	if (part < 0) {
		artifact_close(r);
		snprintf(cr, sizeof(cr), "bytes */%llu", (unsigned long long)size);
		http_set_header(resp, "Content-Range", cr);
		return http_text(resp, 416, "text/plain; charset=utf-8", "range not satisfiable\n",
				 22);
	}
	if (part > 0) {
		snprintf(cr, sizeof(cr), "bytes %zu-%zu/%llu", from, to, (unsigned long long)size);
		if ((rc = http_set_header(resp, "Content-Range", cr))) {
			artifact_close(r);
			return rc;
		}
		rc = artifact_send_part(r, resp, 206, "application/octet-stream", from,
					to - from + 1, &err);
	} else {
		rc = artifact_send(r, resp, "application/octet-stream", &err);
	}
	if (rc)
		vg_warn("tuf: %s", vg_error_msg(&err));
	return rc;
}

/* clang-format off */
const struct http_route tuf_routes[] = {
    {"GET", "/tuf/metadata/*", ROLE_PUBLIC, HTTP_PUBLIC_FACE, tuf_metadata_get, "TUF metadata (timestamp.json, VERSION.ROLE.json); ETag, Range", "update"},
    {"GET", "/tuf/targets/*", ROLE_PUBLIC, HTTP_PUBLIC_FACE, tuf_targets_get, "TUF target files (PRODUCT/SHA256.NAME); ETag, Range", "update"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
