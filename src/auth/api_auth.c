/*
 * api_auth.c - the auth room's web edge: the server's authenticate hook,
 * and the routes who am I, users and API tokens.
 */
#define _POSIX_C_SOURCE 200809L
#include "auth/auth.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "http/http.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static auth_device_check_fn device_check;

void auth_set_device_check(auth_device_check_fn fn)
{
	device_check = fn;
}

/* A device token ("vgd_..."): the principal "device:<id>", role device. */
static int device_token(struct http_req *req, const char *tok)
{
	struct vg_error err = {0};
	char id[32];
	if (strncmp(tok, "vgd_", 4) != 0)
		return 0;
	memset(&req->who, 0, sizeof(req->who));
	if (device_check && device_check(req->db, tok, id, &err) == VG_OK) {
		req->who.role = ROLE_DEVICE;
		snprintf(req->who.name, sizeof(req->who.name), "device:%s", id);
	}
	return 1;
}

void auth_http_authenticate(struct http_req *req)
{
	const char *h = http_header(req, "Authorization");
	const char *key = http_header(req, "X-Api-Key");
	const char *sid = http_cookie(req, "vigil_session");
	struct vg_error err = {0};

	/* a credential that does not check leaves the request anonymous: the
	 * server then answers 401 on any route that needs a role */
	if (h && strncasecmp(h, "Bearer ", 7) == 0) {
		if (device_token(req, h + 7))
			return;
		if (auth_token_check(req->db, h + 7, &req->who, &err))
			memset(&req->who, 0, sizeof(req->who));
	} else if (key && *key) {
		if (device_token(req, key))
			return;
		if (auth_token_check(req->db, key, &req->who, &err))
			memset(&req->who, 0, sizeof(req->who));
	} else if (sid && *sid) {
		if (auth_session_check(req->db, sid, &req->who, &err) == VG_OK)
			snprintf(req->session_id, sizeof(req->session_id), "%s", sid);
	}
}

static int whoami(struct http_req *req, struct http_resp *resp)
{
	return http_json(resp, 200,
			 json_pack("{s:s, s:s, s:s, s:s?}", "name", req->who.name, "role",
				   vg_role_name(req->who.role), "via",
				   req->who.via_session ? "session" : "token", "products",
				   req->who.products[0] ? req->who.products : NULL));
}

static int users_list(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct auth_user_list l;
	json_t *rows;

	if (auth_user_list(req->db, &l, &err))
		return http_fail(resp, &err);
	rows = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(rows, auth_user_to_json(&l.items[i]));
	auth_user_list_release(&l);
	return http_json(resp, 200, json_pack("{s:o}", "users", rows));
}

static int users_create(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b = http_body_json(req, resp);
	const char *name, *role, *pw;
	int rc;

	if (!b)
		return VG_EPARSE;
	name = vg_json_str(b, "name");
	role = vg_json_str(b, "role");
	pw = vg_json_str(b, "password");
	if (!name || !role || !pw) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: expected {\"name\", \"role\", \"password\"}");
	}
	rc = auth_user_add(req->db, name, role, pw, &err);
	if (rc) {
		json_decref(b);
		return http_fail(resp, &err);
	}
	rc = http_json(resp, 201, json_pack("{s:s, s:s}", "name", name, "role", role));
	json_decref(b);
	return rc;
}

static int tokens_list(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct auth_token_list l;
	json_t *rows;

	if (auth_token_list(req->db, &l, &err))
		return http_fail(resp, &err);
	rows = json_array();
	for (size_t i = 0; i < l.n; i++) {
		json_t *t = auth_token_to_json(&l.items[i]);
		/* the API has never listed the last use (the CLI does) */
		json_object_del(t, "last_used_at");
		json_array_append_new(rows, t);
	}
	auth_token_list_release(&l);
	return http_json(resp, 200, json_pack("{s:o}", "tokens", rows));
}

static int tokens_create(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b = http_body_json(req, resp);
	const char *name, *role, *exp;
	json_t *pj;
	int64_t expires = 0;
	char tok[96], products[VG_SCOPE_MAX] = "";
	int rc;

	if (!b)
		return VG_EPARSE;
	name = vg_json_str(b, "name");
	role = vg_json_str(b, "role");
	exp = vg_json_str(b, "expires");
	if (!name || !role) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: expected {\"name\", \"role\"[, \"products\"][, "
				  "\"expires\"]}");
	}
	/* "products": "P,Q" or ["P", "acme-*"] */
	pj = json_object_get(b, "products");
	if (json_is_string(pj)) {
		snprintf(products, sizeof(products), "%s", json_string_value(pj));
	} else if (json_is_array(pj) && json_array_size(pj)) {
		size_t i, o = 0;
		json_t *e;
		json_array_foreach(pj, i, e)
		{
			const char *v = json_string_value(e);
			int w;
			if (!v || strchr(v, ',') || !*v) {
				json_decref(b);
				return http_error(resp, VG_EINVAL,
						  "request body: /products/%zu: expected a product "
						  "name or pattern",
						  i);
			}
			w = snprintf(products + o, sizeof(products) - o, "%s%s", i ? "," : "", v);
			if (w < 0 || (size_t)w >= sizeof(products) - o) {
				json_decref(b);
				return http_error(
				    resp, VG_EINVAL,
				    "request body: /products: longer than %d characters",
				    VG_SCOPE_MAX - 1);
			}
			o += (size_t)w;
		}
	} else if (pj && !json_is_null(pj)) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: /products: expected a string or an array of "
				  "product names and patterns");
	}
	if (exp && vg_time_parse(exp, &expires, &err)) {
		json_decref(b);
		return http_error(resp, VG_EINVAL, "request body: /expires: %s",
				  vg_error_msg(&err));
	}
	rc = auth_token_create_scoped(req->db, name, role, products[0] ? products : NULL, expires,
				      tok, sizeof(tok), &err);
	if (rc) {
		json_decref(b);
		return http_fail(resp, &err);
	}
	rc = http_json(resp, 201,
		       json_pack("{s:s, s:s, s:s?, s:s}", "name", name, "role", role, "products",
				 products[0] ? products : NULL, "token", tok));
	vg_wipe(tok, sizeof(tok));
	json_decref(b);
	return rc;
}

static int tokens_revoke(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	if (auth_token_revoke(req->db, http_param(req, "name"), &err))
		return http_fail(resp, &err);
	return http_json(resp, 200,
			 json_pack("{s:s, s:b}", "name", http_param(req, "name"), "revoked", 1));
}

const struct http_route auth_routes[] = {
    {"GET", "/api/v1/whoami", ROLE_ANY, 0, whoami, "The authenticated principal", "auth"},
    {"GET", "/api/v1/users", ROLE_ADMIN | ROLE_AUDITOR, 0, users_list, "List users", "auth"},
    {"POST", "/api/v1/users", ROLE_ADMIN, 0, users_create, "Create a user", "auth"},
    {"GET", "/api/v1/tokens", ROLE_ADMIN | ROLE_AUDITOR, 0, tokens_list,
     "List API tokens (never their values)", "auth"},
    {"POST", "/api/v1/tokens", ROLE_ADMIN, 0, tokens_create, "Create an API token (returned once)",
     "auth"},
    {"DELETE", "/api/v1/tokens/{name}", ROLE_ADMIN, 0, tokens_revoke, "Revoke an API token",
     "auth"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
