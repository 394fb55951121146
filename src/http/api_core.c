/*
 * api_core.c - the foundation's own API: health, metrics, OpenAPI, who am I,
 * users, tokens and the audit trail.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

static int health(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int ver = 0;
	int ok = store_schema_version(req->db, &ver, &err) == VG_OK;

	return http_json(resp, ok ? 200 : 503,
			 json_pack("{s:s, s:s, s:s, s:i, s:s, s:b}", "status",
				   ok ? "ok" : "degraded", "version", VIGIL_VERSION, "database",
				   ok ? "ok" : "unavailable", "schema_version", ver, "backend",
				   store_kind(req->db) == STORE_PG ? "postgresql" : "sqlite",
				   "leader", jobs_is_leader()));
}

static int metrics(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	resp->status = 200;
	resp->ctype = "text/plain; version=0.0.4; charset=utf-8";
	return http_metrics_render(&resp->body);
}

static int openapi(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	return http_json(resp, 200, http_openapi());
}

static int whoami(struct http_req *req, struct http_resp *resp)
{
	return http_json(resp, 200,
			 json_pack("{s:s, s:s, s:s}", "name", req->who.name, "role",
				   auth_role_name(req->who.role), "via",
				   req->who.via_session ? "session" : "token"));
}

static int users_list(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *rows;
	if (store_query_json(req->db, &rows, &err,
			     "SELECT name, role, created_at, disabled FROM users ORDER BY name",
			     NULL))
		return http_fail(resp, &err);
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
	json_t *rows;
	if (store_query_json(req->db, &rows, &err,
			     "SELECT name, role, prefix, created_at, created_by, expires_at, "
			     "revoked_at FROM api_tokens ORDER BY name",
			     NULL))
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "tokens", rows));
}

static int tokens_create(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b = http_body_json(req, resp);
	const char *name, *role, *exp;
	int64_t expires = 0;
	char tok[96];
	int rc;

	if (!b)
		return VG_EPARSE;
	name = vg_json_str(b, "name");
	role = vg_json_str(b, "role");
	exp = vg_json_str(b, "expires");
	if (!name || !role) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: expected {\"name\", \"role\"[, \"expires\"]}");
	}
	if (exp && vg_time_parse(exp, &expires, &err)) {
		json_decref(b);
		return http_error(resp, VG_EINVAL, "request body: /expires: %s",
				  vg_error_msg(&err));
	}
	rc = auth_token_create(req->db, name, role, expires, tok, sizeof(tok), &err);
	if (rc) {
		json_decref(b);
		return http_fail(resp, &err);
	}
	rc = http_json(resp, 201,
		       json_pack("{s:s, s:s, s:s}", "name", name, "role", role, "token", tok));
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

static int time_query(struct http_req *req, struct http_resp *resp, const char *name, int64_t *out)
{
	const char *v = http_query(req, name);
	struct vg_error err = {0};
	if (!v)
		return VG_OK;
	if (vg_time_parse(v, out, &err))
		return http_error(resp, VG_EINVAL, "query parameter %s: %s", name,
				  vg_error_msg(&err));
	return VG_OK;
}

static int audit_list(struct http_req *req, struct http_resp *resp)
{
	struct audit_filter f = {0};
	struct vg_error err = {0};
	json_t *rows;
	char otype[128];
	const char *obj = http_query(req, "object"), *lim = http_query(req, "limit");
	const char *after = http_query(req, "after");

	if (time_query(req, resp, "since", &f.since) || time_query(req, resp, "until", &f.until))
		return VG_EINVAL;
	f.actor = http_query(req, "actor");
	if (obj) {
		const char *colon = strchr(obj, ':');
		snprintf(otype, sizeof(otype), "%.*s",
			 colon ? (int)(colon - obj) : (int)strlen(obj), obj);
		f.otype = otype;
		f.oid = colon ? colon + 1 : NULL;
	}
	f.limit = lim ? atoll(lim) : 100;
	if (f.limit <= 0 || f.limit > 1000)
		f.limit = 1000;
	f.after_seq = after ? atoll(after) : 0;
	if (audit_query(req->db, &f, &rows, &err))
		return http_fail(resp, &err);
	/* Reading the audit trail is itself recorded. */
	{
		json_t *q =
		    json_pack("{s:s?, s:s?, s:s?, s:s?, s:I}", "since", http_query(req, "since"),
			      "until", http_query(req, "until"), "actor", f.actor, "object", obj,
			      "returned", (json_int_t)json_array_size(rows));
		store_audit(req->db, "audit.read", "audit", "log", NULL, q, NULL);
		json_decref(q);
	}
	return http_json(resp, 200, json_pack("{s:o}", "records", rows));
}

static int audit_verify_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t count = 0, bad = 0;
	int rc = audit_verify(req->db, &count, &bad, &err);
	json_t *o;

	if (rc && rc != VG_EAUDIT)
		return http_fail(resp, &err);
	o = json_pack("{s:b, s:I}", "intact", rc == VG_OK, "records", (json_int_t)count);
	if (rc) {
		json_object_set_new(o, "first_bad_seq", json_integer(bad));
		json_object_set_new(o, "reason", json_string(vg_error_msg(&err)));
	}
	return http_json(resp, 200, o);
}

const struct http_route core_routes[] = {
    {"GET", "/api/v1/health", ROLE_PUBLIC, 0, health, "Liveness and database status", "system"},
    {"GET", "/metrics", ROLE_ADMIN | ROLE_AUDITOR, 0, metrics, "Prometheus metrics", "system"},
    {"GET", "/api/v1/openapi.json", ROLE_PUBLIC, 0, openapi, "This OpenAPI document", "system"},
    {"GET", "/api/v1/whoami", ROLE_ANY, 0, whoami, "The authenticated principal", "auth"},
    {"GET", "/api/v1/users", ROLE_ADMIN | ROLE_AUDITOR, 0, users_list, "List users", "auth"},
    {"POST", "/api/v1/users", ROLE_ADMIN, 0, users_create, "Create a user", "auth"},
    {"GET", "/api/v1/tokens", ROLE_ADMIN | ROLE_AUDITOR, 0, tokens_list,
     "List API tokens (never their values)", "auth"},
    {"POST", "/api/v1/tokens", ROLE_ADMIN, 0, tokens_create, "Create an API token (returned once)",
     "auth"},
    {"DELETE", "/api/v1/tokens/{name}", ROLE_ADMIN, 0, tokens_revoke, "Revoke an API token",
     "auth"},
    {"GET", "/api/v1/audit", ROLE_READ, 0, audit_list,
     "Audit records (since, until, actor, object=TYPE:ID, after, limit)", "audit"},
    {"GET", "/api/v1/audit/verify", ROLE_ADMIN | ROLE_AUDITOR, 0, audit_verify_route,
     "Verify the audit hash chain", "audit"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
