/*
 * api_system.c - the server's own routes: Prometheus metrics and the
 * OpenAPI document of every route it serves (the program's version in it
 * only for callers with credentials).
 */
#include "core/error.h"
#include "http/http.h"

#include "core/banned.h"

static int metrics(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	resp->status = 200;
	resp->ctype = "text/plain; version=0.0.4; charset=utf-8";
	return http_metrics_render(&resp->body);
}

/* Public, but like /api/v1/health it names the program's version only to
 * callers with credentials: anonymous ones get the API's version. */
static int openapi(struct http_req *req, struct http_resp *resp)
{
	json_t *doc = http_openapi(http_routes());
	if (doc && req->who.role == ROLE_NONE)
		json_object_set_new(json_object_get(doc, "info"), "version", json_string("v1"));
	return http_json(resp, 200, doc);
}

const struct http_route http_system_routes[] = {
    {"GET", "/metrics", ROLE_ADMIN | ROLE_AUDITOR, 0, metrics, "Prometheus metrics", "system"},
    {"GET", "/api/v1/openapi.json", ROLE_PUBLIC, 0, openapi, "This OpenAPI document", "system"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
