/*
 * api.c - the vuln room's HTTP routes: one vulnerability by id or alias
 * (the findings are the triage room's: src/triage/api_triage.c).
 */
#include "core/error.h"
#include "http/http.h"
#include "vuln/vulndb.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int vulnerability(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vulnerability v;
	json_t *o;
	int rc = vuln_get(req->db, http_param(req, "id"), &v, &err);
	o = rc ? NULL : vulnerability_to_json(&v);
	vulnerability_release(&v);
	if (rc)
		return http_fail(resp, &err);
	if (!o)
		return http_error(resp, VG_ENOMEM, "out of memory");
	return http_json(resp, 200, o);
}

const struct http_route vuln_routes[] = {
    {"GET", "/api/v1/vulnerabilities/{id}", ROLE_READ, 0, vulnerability,
     "A vulnerability by id or alias: aliases, severity, KEV, advisories, affected versions",
     "vuln"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
