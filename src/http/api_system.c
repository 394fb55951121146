/*
 * api_system.c - the server's own routes: Prometheus metrics and the
 * OpenAPI document of every route it serves.
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

static int openapi(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	return http_json(resp, 200, http_openapi(http_routes()));
}

const struct http_route http_system_routes[] = {
    {"GET", "/metrics", ROLE_ADMIN | ROLE_AUDITOR, 0, metrics, "Prometheus metrics", "system"},
    {"GET", "/api/v1/openapi.json", ROLE_PUBLIC, 0, openapi, "This OpenAPI document", "system"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
