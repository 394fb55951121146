/*
 * api_triage.c - the triage queue's HTTP routes: findings (filtered,
 * paged), one finding with its history, state changes, assignment and
 * comments (one or in bulk over a filter), counts per state, SLA policies,
 * VEX export and import.
 */
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "http/attach.h"
#include "http/http.h"
#include "store/store.h"
#include "triage/triage.h"
#include "triage/findings.h"
#include "triage/vex.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define TRIAGE_WRITE (ROLE_ADMIN | ROLE_PSIRT)

static int finding_id(struct http_req *req, struct http_resp *resp, int64_t *id)
{
	const char *s = http_param(req, "id");
	if (vg_id_parse(s, "finding id", id, NULL))
		return http_error(resp, VG_EINVAL, "finding id '%s': expected a positive integer",
				  s ? s : "");
	return VG_OK;
}

/* A JSON string member or NULL; a member of another type is an error. */
static int str_member(const json_t *o, const char *key, const char **out, struct http_resp *resp)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return VG_OK;
	if (!json_is_string(v))
		return http_error(resp, VG_EINVAL, "request body: /%s: expected a string", key);
	*out = json_string_value(v);
	return VG_OK;
}

static int change_from(const json_t *b, struct triage_change *c, struct http_resp *resp)
{
	if (str_member(b, "state", &c->state, resp) ||
	    str_member(b, "justification", &c->justification, resp) ||
	    str_member(b, "comment", &c->comment, resp) || str_member(b, "scope", &c->scope, resp))
		return VG_EINVAL;
	return VG_OK;
}

/* 200 with finding id as finding_detail_to_json() makes it. */
static int reply_finding(struct http_req *req, struct http_resp *resp, int64_t id)
{
	struct vg_error err = {0};
	struct finding_detail d;
	json_t *o;
	int rc = triage_finding_get(req->db, id, &d, &err);
	o = rc ? NULL : finding_detail_to_json(&d);
	finding_detail_release(&d);
	if (rc)
		return http_fail(resp, &err);
	if (!o)
		return http_error(resp, VG_ENOMEM, "out of memory");
	return http_json(resp, 200, o);
}

static int one_change(struct http_req *req, struct http_resp *resp, struct triage_change *c)
{
	struct vg_error err = {0};
	int64_t id;
	if (finding_id(req, resp, &id))
		return VG_EINVAL;
	if (triage_apply(req->db, id, c, &err))
		return http_fail(resp, &err);
	return reply_finding(req, resp, id);
}

static int post_triage(struct http_req *req, struct http_resp *resp)
{
	struct triage_change c = {0};
	json_t *b = http_body_json(req, resp);
	int rc;
	if (!b)
		return VG_EPARSE;
	if (change_from(b, &c, resp)) {
		json_decref(b);
		return VG_EINVAL;
	}
	if (!c.state) {
		json_decref(b);
		return http_error(resp, VG_EINVAL, "request body: /state: expected a state");
	}
	rc = one_change(req, resp, &c);
	json_decref(b);
	return rc;
}

static int post_assign(struct http_req *req, struct http_resp *resp)
{
	struct triage_change c = {0};
	json_t *b = http_body_json(req, resp);
	int rc;
	if (!b)
		return VG_EPARSE;
	if (str_member(b, "to", &c.assignee, resp) || str_member(b, "comment", &c.comment, resp)) {
		json_decref(b);
		return VG_EINVAL;
	}
	if (!c.assignee) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: /to: expected a user name (\"\" unassigns)");
	}
	rc = one_change(req, resp, &c);
	json_decref(b);
	return rc;
}

static int post_comment(struct http_req *req, struct http_resp *resp)
{
	struct triage_change c = {0};
	json_t *b = http_body_json(req, resp);
	int rc;
	if (!b)
		return VG_EPARSE;
	if (str_member(b, "text", &c.comment, resp)) {
		json_decref(b);
		return VG_EINVAL;
	}
	if (!c.comment || !*c.comment) {
		json_decref(b);
		return http_error(resp, VG_EINVAL, "request body: /text: expected a comment");
	}
	rc = one_change(req, resp, &c);
	json_decref(b);
	return rc;
}

/* sort (a column, FINDINGS_SORT_KEYS) and dir (asc, desc; the column's
 * natural direction when absent) into f; a 400 naming the parameter. */
static int sort_params(struct http_req *req, struct http_resp *resp, struct findings_filter *f)
{
	const char *sort = http_query(req, "sort"), *dir = http_query(req, "dir");
	if (sort && !findings_sort_valid(sort))
		return http_error(resp, VG_EINVAL,
				  "query parameter sort '%s': expected " FINDINGS_SORT_KEYS, sort);
	if (dir && strcmp(dir, "asc") != 0 && strcmp(dir, "desc") != 0)
		return http_error(resp, VG_EINVAL, "query parameter dir '%s': expected asc or desc",
				  dir);
	f->sort = sort;
	f->sort_desc = dir ? strcmp(dir, "desc") == 0 : findings_sort_desc_default(sort);
	f->sort_due = sort && strcmp(sort, "due") == 0;
	return VG_OK;
}

static int get_findings(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct findings_filter f = {0};
	struct finding_list l;
	const char *kev = http_query(req, "kev"), *all = http_query(req, "retracted");
	json_t *o;
	int rc;
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
	if ((rc = sort_params(req, resp, &f)))
		return rc;
	if (http_query(req, "due_within") &&
	    (vg_duration_parse(http_query(req, "due_within"), &f.due_within, &err) ||
	     f.due_within <= 0))
		return http_error(resp, VG_EINVAL,
				  "due_within: expected a duration like 48h or 7d");
	if ((rc = http_query_int(req, resp, "limit", 1, 1000, 100, &f.limit)) ||
	    (rc = http_query_int(req, resp, "offset", 0, INT64_MAX, 0, &f.offset)))
		return rc;
	/* total: exact up to offset + 10,000, else "total_exact": false, unless
	 * count=exact asks for the full count */
	f.count_cap = http_query(req, "count") && strcmp(http_query(req, "count"), "exact") == 0
			  ? 0
			  : findings_count_cap();
	rc = findings_list(req->db, &f, &l, &err);
	o = rc ? NULL : finding_list_to_json(&l);
	finding_list_release(&l);
	if (rc)
		return http_fail(resp, &err);
	if (!o)
		return http_error(resp, VG_ENOMEM, "out of memory");
	return http_json(resp, 200, o);
}

static int get_finding(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	if (finding_id(req, resp, &id))
		return VG_EINVAL;
	return reply_finding(req, resp, id);
}

/* POST /api/v1/triage/bulk {"filter": {...}, "state", "justification",
 * "comment", "scope", "assignee"} or {"ids": [..], ...}. */
static int post_bulk(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct triage_change c = {0};
	struct findings_filter f = {0};
	json_t *b = http_body_json(req, resp), *flt, *ids;
	int64_t n = 0;
	int rc;
	if (!b)
		return VG_EPARSE;
	flt = json_object_get(b, "filter");
	ids = json_object_get(b, "ids");
	if (change_from(b, &c, resp) || str_member(b, "assignee", &c.assignee, resp)) {
		json_decref(b);
		return VG_EINVAL;
	}
	if (!json_is_object(flt) == !json_is_array(ids)) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: expected /filter (an object) or /ids (an array), "
				  "one of them");
	}
	if (json_is_object(flt)) {
		static const char *const known[] = {"product",    "version",  "severity", "vuln",
						    "state",      "assignee", "kev",      "overdue",
						    "due_within", NULL};
		const char *key;
		json_t *x;
		json_object_foreach(flt, key, x)
		{
			int ok = 0;
			for (int i = 0; known[i] && !ok; i++)
				ok = strcmp(known[i], key) == 0;
			if (!ok) {
				rc =
				    http_error(resp, VG_EINVAL,
					       "request body: /filter/%s: unknown filter; expected "
					       "product, version, severity, vuln, state, assignee, "
					       "kev, overdue or due_within",
					       key);
				json_decref(b);
				return rc;
			}
			if (strcmp(key, "kev") == 0 || strcmp(key, "overdue") == 0
				? !json_is_boolean(x)
				: !json_is_string(x)) {
				rc = http_error(
				    resp, VG_EINVAL, "request body: /filter/%s: expected %s", key,
				    strcmp(key, "kev") == 0 || strcmp(key, "overdue") == 0
					? "true or false"
					: "a string");
				json_decref(b);
				return rc;
			}
		}
		if (vg_json_str(flt, "state") && strcmp(vg_json_str(flt, "state"), "open") != 0 &&
		    !triage_state_valid(vg_json_str(flt, "state"))) {
			rc =
			    http_error(resp, VG_EINVAL,
				       "request body: /filter/state '%s': expected a finding state "
				       "or open",
				       vg_json_str(flt, "state"));
			json_decref(b);
			return rc;
		}
	}
	if (json_is_array(ids)) {
		size_t i;
		json_t *x;
		int64_t *v;
		json_array_foreach(ids, i, x) if (!json_is_integer(x) || json_integer_value(x) <= 0)
		{
			json_decref(b);
			return http_error(
			    resp, VG_EINVAL,
			    "request body: /ids/%zu: expected a finding id (a positive "
			    "integer)",
			    i);
		}
		v = calloc(json_array_size(ids) + 1, sizeof(*v));
		if (!v) {
			json_decref(b);
			return http_error(resp, VG_ENOMEM, "out of memory");
		}
		json_array_foreach(ids, i, x) v[i] = json_integer_value(x);
		rc = triage_apply_ids(req->db, v, json_array_size(ids), &c, &n, &err);
		free(v);
	} else {
		const char *dw = vg_json_str(flt, "due_within");
		f.product = vg_json_str(flt, "product");
		f.version = vg_json_str(flt, "version");
		f.severity = vg_json_str(flt, "severity");
		f.vuln = vg_json_str(flt, "vuln");
		f.state = vg_json_str(flt, "state");
		f.assignee = vg_json_str(flt, "assignee");
		f.kev_only = json_is_true(json_object_get(flt, "kev"));
		f.overdue = json_is_true(json_object_get(flt, "overdue"));
		if (dw && (vg_duration_parse(dw, &f.due_within, &err) || f.due_within <= 0)) {
			json_decref(b);
			return http_error(resp, VG_EINVAL,
					  "request body: /filter/due_within: expected a duration");
		}
		rc = triage_apply_bulk(req->db, &f, &c, &n, &err);
	}
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:I}", "changed", (json_int_t)n));
}

static int get_counts(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct findings_filter f = {0};
	struct finding_counts n;
	json_t *o;
	f.product = http_query(req, "product");
	f.version = http_query(req, "version");
	f.severity = http_query(req, "severity");
	f.assignee = http_query(req, "assignee");
	f.kev_only = http_query(req, "kev") != NULL;
	if (triage_counts(req->db, &f, &n, &err))
		return http_fail(resp, &err);
	if (!(o = finding_counts_to_json(&n)))
		return http_error(resp, VG_ENOMEM, "out of memory");
	return http_json(resp, 200, o);
}

static int get_history(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct triage_history h;
	int64_t days;
	json_t *o;
	int rc;
	/* days outside 1..366 give the default 30, as they always did */
	if ((rc = http_query_int(req, resp, "days", INT_MIN, INT_MAX, 30, &days)))
		return rc;
	if (triage_history(req->db, (int)days, &h, &err))
		return http_fail(resp, &err);
	o = triage_history_to_json(&h);
	triage_history_release(&h);
	if (!o)
		return http_error(resp, VG_ENOMEM, "out of memory");
	return http_json(resp, 200, o);
}

static int get_policies(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct sla_policy_list l;
	json_t *o;
	if (sla_policy_list(req->db, &l, &err))
		return http_fail(resp, &err);
	o = sla_policy_list_to_json(&l);
	sla_policy_list_release(&l);
	if (!o)
		return http_error(resp, VG_ENOMEM, "out of memory");
	return http_json(resp, 200, o);
}

static int put_policy(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b = http_body_json(req, resp), *t, *f;
	const char *sev, *product;
	int64_t ts = -1, fs = -1;
	int rc;
	if (!b)
		return VG_EPARSE;
	if (str_member(b, "severity", &sev, resp) || str_member(b, "product", &product, resp)) {
		json_decref(b);
		return VG_EINVAL;
	}
	t = json_object_get(b, "triage_days");
	f = json_object_get(b, "fix_days");
	if ((t && !json_is_null(t) && !json_is_integer(t)) ||
	    (f && !json_is_null(f) && !json_is_integer(f))) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: /triage_days and /fix_days: expected integers");
	}
	if (json_is_integer(t))
		ts = json_integer_value(t) * 86400;
	if (json_is_integer(f))
		fs = json_integer_value(f) * 86400;
	rc = sla_policy_set(req->db, product, sev, ts, fs, &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return get_policies(req, resp);
}

static int get_vex(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *o = NULL;
	const char *fs = http_query(req, "format");
	int fmt = vex_format_from_name(fs ? fs : "cyclonedx");
	if (!fmt)
		return http_error(resp, VG_EINVAL,
				  "format '%s': expected cyclonedx, csaf or openvex", fs);
	static const char *const ext[] = {"", "vex.cdx.json", "csaf.json", "openvex.json"};
	char name[600];
	char *text;
	int rc;
	if (vex_export(req->db, http_param(req, "product"), http_param(req, "version"), fmt, &o,
		       &err))
		return http_fail(resp, &err);
	/* a download named after what it is: acme-gateway-1.0.0.vex.cdx.json */
	snprintf(name, sizeof(name), "%s-%s.%s", http_param(req, "product"),
		 http_param(req, "version"), ext[fmt >= 1 && fmt <= 3 ? fmt : 0]);
	text = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(o);
	if (!text)
		return http_error(resp, VG_ENOMEM, "out of memory");
	rc = http_attachment(resp, text, strlen(text), "application/json", name, "vex.json");
	free(text);
	return rc;
}

static int post_vex(struct http_req *req, struct http_resp *resp)
{
	static const char *const names[] = {"", "cyclonedx", "csaf", "openvex"};
	struct vg_error err = {0};
	struct vex_import_stats st;
	if (vex_import(req->db, req->body.data ? req->body.data : "", req->body.len, "request body",
		       http_param(req, "product"), http_param(req, "version"), &st, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200,
			 json_pack("{s:s, s:I, s:I, s:I, s:I}", "format", names[st.format],
				   "statements", (json_int_t)st.statements, "applied",
				   (json_int_t)st.applied, "unchanged", (json_int_t)st.unchanged,
				   "unmatched", (json_int_t)st.unmatched));
}

const struct http_route triage_routes[] = {
    {"GET", "/api/v1/findings", ROLE_READ, 0, get_findings,
     "Findings (product, version, severity, vuln, kev, retracted, state, assignee, overdue, "
     "due_within, sort (due, new, seen, id, product, version, vuln, component, severity, "
     "score, state, assignee), dir (asc, desc), limit (1-1000), offset, count=exact; total "
     "is exact up to offset + 10000, see total_exact)",
     "vuln"},
    {"GET", "/api/v1/findings/{id}", ROLE_READ, 0, get_finding,
     "One finding: state, due times, comments, audit history", "triage"},
    {"POST", "/api/v1/findings/{id}/triage", TRIAGE_WRITE, 0, post_triage,
     "Change a finding's state (state, justification, comment, scope)", "triage"},
    {"POST", "/api/v1/findings/{id}/assign", TRIAGE_WRITE, 0, post_assign,
     "Assign a finding (to, comment)", "triage"},
    {"POST", "/api/v1/findings/{id}/comments", TRIAGE_WRITE, 0, post_comment,
     "Comment on a finding (text)", "triage"},
    {"POST", "/api/v1/findings/bulk", TRIAGE_WRITE, 0, post_bulk,
     "One decision on many findings: {\"ids\": [..]} or {\"filter\": {product, version, "
     "severity, vuln, state, assignee, kev, overdue, due_within}} with state, justification, "
     "comment, scope, assignee; one transaction, one audit record per finding, all or "
     "nothing; answers {\"changed\": n}",
     "triage"},
    {"POST", "/api/v1/triage/bulk", TRIAGE_WRITE, 0, post_bulk,
     "Change every finding of a filter or id list (all or nothing; the same as "
     "/api/v1/findings/bulk)",
     "triage"},
    {"GET", "/api/v1/triage/counts", ROLE_READ, 0, get_counts,
     "Findings per state (product, version, severity, assignee, kev)", "triage"},
    {"GET", "/api/v1/triage/history", ROLE_READ, 0, get_history,
     "Open findings per severity per day (days)", "triage"},
    {"GET", "/api/v1/sla/policies", ROLE_READ, 0, get_policies, "SLA policies", "triage"},
    {"PUT", "/api/v1/sla/policies", TRIAGE_WRITE, 0, put_policy,
     "Set an SLA policy (severity, product, triage_days, fix_days)", "triage"},
    {"GET", "/api/v1/vex/{product}/{version}", ROLE_READ, 0, get_vex,
     "VEX of a product version (format: cyclonedx (default), csaf, openvex)", "triage"},
    {"POST", "/api/v1/vex/{product}/{version}", TRIAGE_WRITE, HTTP_BODY_UPLOAD, post_vex,
     "Apply a VEX document (the body) as decisions on a product version", "triage"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
