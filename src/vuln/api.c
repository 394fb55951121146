/*
 * api.c - the vuln room's HTTP routes: findings (filtered, paged) and one
 * vulnerability by id or alias.
 */
#include "core/clock.h"
#include "core/error.h"
#include "http/http.h"
#include "vuln/vulndb.h"

#include <stdlib.h>
#include <string.h>

static int num(const char *s, int64_t *out)
{
	char *end;
	long long v;
	if (!s)
		return 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

static int findings(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct findings_filter f = {0};
	const char *kev = http_query(req, "kev"), *all = http_query(req, "retracted");
	json_t *o;
	f.product = http_query(req, "product");
	f.version = http_query(req, "version");
	f.severity = http_query(req, "severity");
	f.vuln = http_query(req, "vuln");
	f.kev_only = kev && (strcmp(kev, "true") == 0 || strcmp(kev, "1") == 0);
	f.include_retracted = all && (strcmp(all, "true") == 0 || strcmp(all, "1") == 0);
	f.state = http_query(req, "state");
	f.assignee = http_query(req, "assignee");
	f.overdue =
	    http_query(req, "overdue") && (strcmp(http_query(req, "overdue"), "true") == 0 ||
					   strcmp(http_query(req, "overdue"), "1") == 0);
	f.sort_due = http_query(req, "sort") && strcmp(http_query(req, "sort"), "due") == 0;
	if (http_query(req, "due_within") &&
	    (vg_duration_parse(http_query(req, "due_within"), &f.due_within, &err) ||
	     f.due_within <= 0))
		return http_error(resp, VG_EINVAL,
				  "due_within: expected a duration like 48h or 7d");
	f.limit = 100;
	if (num(http_query(req, "limit"), &f.limit) || num(http_query(req, "offset"), &f.offset))
		return http_error(resp, VG_EINVAL,
				  "limit and offset: expected non-negative integers");
	if (f.limit > 1000)
		f.limit = 1000;
	/* total: exact up to offset + 10,000, else "total_exact": false, unless
	 * count=exact asks for the full count */
	f.count_cap = http_query(req, "count") && strcmp(http_query(req, "count"), "exact") == 0
			  ? 0
			  : findings_count_cap();
	if (findings_list_json(req->db, &f, &o, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, o);
}

static int vulnerability(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *o;
	if (vuln_show_json(req->db, http_param(req, "id"), &o, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, o);
}

const struct http_route vuln_routes[] = {
    {"GET", "/api/v1/findings", ROLE_READ, 0, findings,
     "Findings (product, version, severity, vuln, kev, retracted, state, assignee, overdue, "
     "due_within, sort=due, limit, offset, count=exact; total is exact up to offset + 10000, "
     "see total_exact)",
     "vuln"},
    {"GET", "/api/v1/vulnerabilities/{id}", ROLE_READ, 0, vulnerability,
     "A vulnerability by id or alias: aliases, severity, KEV, advisories, affected versions",
     "vuln"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
