/*
 * api_psirt.c - the PSIRT room's HTTP routes: the public report intake for
 * tools (POST /api/v1/reports) and the reporter's status view by tracking
 * token, cases, Article 14 obligations and drafts (JSON and a printable
 * page).
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "http/http.h"
#include "http/ui.h"
#include "psirt/art14.h"
#include "psirt/cases.h"
#include "psirt/psirt_int.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int report_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct case_report r;
	json_t *hold = NULL;
	char token[CASE_TOKEN_BUFSZ], url[160];
	int64_t id = 0;
	int rc;

	rc =
	    case_report_parse(req->body.data ? req->body.data : "", req->body.len, &r, &hold, &err);
	if (!rc)
		rc = case_create(req->db, &r, "api", req->remote, token, sizeof(token), &id, &err);
	json_decref(hold);
	if (rc)
		return http_fail(resp, &err);
	snprintf(url, sizeof(url), "/api/v1/reports/%s", token);
	rc = http_json(resp, 201,
		       json_pack("{s:s, s:s, s:s, s:s}", "token", token, "status_url", url, "state",
				 "received", "note",
				 "Keep this token: it is shown once and is the only way to see "
				 "the status of your report."));
	memset(token, 0, sizeof(token));
	return rc;
}

static int report_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct psirt_case c;
	json_t *o;
	if (case_status_by_token(req->db, http_param(req, "token"), &c, &err))
		return http_fail(resp, &err);
	o = psirt_case_status_to_json(&c);
	psirt_case_release(&c);
	return http_json(resp, 200, o);
}

static int report_message(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b;
	int rc;
	if (req->body.len > CASE_REPORT_MAX)
		return http_error(resp, VG_ETOOBIG, "request body: at most %d bytes",
				  CASE_REPORT_MAX);
	b = http_body_json(req, resp);
	if (!b)
		return VG_EPARSE;
	rc = case_reporter_message(req->db, http_param(req, "token"), vg_json_str(b, "body"), &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 201, json_pack("{s:b}", "created", 1));
}

static int cases_list(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct psirt_case_list l;
	json_t *rows;
	if (case_list(req->db, http_query(req, "state"), &l, &err))
		return http_fail(resp, &err);
	rows = psirt_case_list_to_json(&l);
	psirt_case_list_release(&l);
	return http_json(resp, 200, json_pack("{s:o}", "cases", rows));
}

static int id_param(struct http_req *req, struct http_resp *resp, const char *name, int64_t *id)
{
	struct vg_error err = {0};
	if (vg_id_parse(http_param(req, name), name, id, &err))
		return http_error(resp, VG_EINVAL, "%s", vg_error_msg(&err));
	return VG_OK;
}

static int case_show(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct psirt_case c;
	json_t *o;
	int64_t id;
	if (id_param(req, resp, "id", &id))
		return VG_EINVAL;
	if (case_get(req->db, id, &c, &err))
		return http_fail(resp, &err);
	o = psirt_case_to_json(&c);
	psirt_case_release(&c);
	return http_json(resp, 200, o);
}

static int reply_case(struct http_req *req, struct http_resp *resp, int64_t id, int status)
{
	struct vg_error err = {0};
	struct psirt_case c;
	json_t *o;
	if (case_get(req->db, id, &c, &err))
		return http_fail(resp, &err);
	o = psirt_case_to_json(&c);
	psirt_case_release(&c);
	return http_json(resp, status, o);
}

/* A string member of a request body: NULL when absent or null; any other
 * type is refused naming it (*bad set). */
static const char *body_str(json_t *b, const char *key, struct http_resp *resp, int *bad)
{
	json_t *v = json_object_get(b, key);
	if (!v || json_is_null(v) || *bad)
		return NULL;
	if (!json_is_string(v)) {
		http_error(resp, VG_EINVAL, "request body: /%s: expected a string", key);
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

/* POST /api/v1/cases {title, product, version, severity, description,
 * assignee, findings [ids], vulns [CVE/GHSA ids]} */
static int case_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct case_open in = {0};
	json_t *b = http_body_json(req, resp), *f, *v, *x;
	int64_t *fids = NULL, id = 0;
	const char **vulns = NULL;
	int bad = 0, rc;
	size_t i;

	if (!b)
		return VG_EPARSE;
	in.title = body_str(b, "title", resp, &bad);
	in.product = body_str(b, "product", resp, &bad);
	in.version = body_str(b, "version", resp, &bad);
	in.severity = body_str(b, "severity", resp, &bad);
	in.description = body_str(b, "description", resp, &bad);
	in.assignee = body_str(b, "assignee", resp, &bad);
	f = json_object_get(b, "findings");
	v = json_object_get(b, "vulns");
	if (!bad && f && !json_is_array(f)) {
		http_error(resp, VG_EINVAL, "request body: /findings: expected an array of ids");
		bad = 1;
	}
	if (!bad && v && !json_is_array(v)) {
		http_error(resp, VG_EINVAL, "request body: /vulns: expected an array of ids");
		bad = 1;
	}
	if (!bad && json_array_size(f) > CASE_OPEN_MAX_FINDINGS) {
		http_error(resp, VG_EINVAL, "request body: /findings: at most %d",
			   CASE_OPEN_MAX_FINDINGS);
		bad = 1;
	}
	if (!bad && json_array_size(v) > 100) {
		http_error(resp, VG_EINVAL, "request body: /vulns: at most 100");
		bad = 1;
	}
	if (!bad && json_array_size(f))
		fids = calloc(json_array_size(f), sizeof(*fids));
	if (!bad && json_array_size(v))
		vulns = calloc(json_array_size(v), sizeof(*vulns));
	json_array_foreach(f, i, x)
	{
		if (bad || !fids)
			break;
		if (!json_is_integer(x) || json_integer_value(x) <= 0) {
			{
				http_error(resp, VG_EINVAL,
					   "request body: /findings/%zu: expected a finding id", i);
				bad = 1;
			}
			break;
		}
		fids[in.nfindings++] = json_integer_value(x);
	}
	json_array_foreach(v, i, x)
	{
		if (bad || !vulns)
			break;
		if (!json_is_string(x)) {
			{
				http_error(resp, VG_EINVAL,
					   "request body: /vulns/%zu: expected a CVE or GHSA id",
					   i);
				bad = 1;
			}
			break;
		}
		vulns[in.nvulns++] = json_string_value(x);
	}
	if (bad) {
		free(fids);
		free(vulns);
		json_decref(b);
		return VG_EINVAL;
	}
	in.findings = fids;
	in.vulns = vulns;
	rc = case_open(req->db, &in, "api", &id, &err);
	free(fids);
	free(vulns);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return reply_case(req, resp, id, 201);
}

/* POST /api/v1/cases/{id}/links {kind, value, remove} */
static int case_links_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b;
	int64_t id;
	int bad = 0, rc;
	const char *kind, *value;

	if (id_param(req, resp, "id", &id))
		return VG_EINVAL;
	if (!(b = http_body_json(req, resp)))
		return VG_EPARSE;
	kind = body_str(b, "kind", resp, &bad);
	value = body_str(b, "value", resp, &bad);
	if (bad) {
		json_decref(b);
		return VG_EINVAL;
	}
	rc = json_is_true(json_object_get(b, "remove"))
		 ? case_unlink(req->db, id, kind, value, &err)
		 : case_link(req->db, id, kind, value, &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return reply_case(req, resp, id, 200);
}

/* POST /api/v1/cases/{id}/assign {to} */
static int case_assign_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b;
	int64_t id;
	int bad = 0, rc;
	const char *to;

	if (id_param(req, resp, "id", &id))
		return VG_EINVAL;
	if (!(b = http_body_json(req, resp)))
		return VG_EPARSE;
	to = body_str(b, "to", resp, &bad);
	if (bad) {
		json_decref(b);
		return VG_EINVAL;
	}
	rc = case_assign(req->db, id, to, &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return reply_case(req, resp, id, 200);
}

/* POST /api/v1/art14/{id}/approve {stage} */
static int art14_approve_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b;
	int64_t id;
	int bad = 0, rc, approved = 0;
	const char *stage;

	if (id_param(req, resp, "id", &id))
		return VG_EINVAL;
	if (!(b = http_body_json(req, resp)))
		return VG_EPARSE;
	stage = body_str(b, "stage", resp, &bad);
	if (bad) {
		json_decref(b);
		return VG_EINVAL;
	}
	rc = art14_approve(req->db, id, stage, &approved, &err);
	if (rc) {
		json_decref(b);
		return http_fail(resp, &err);
	}
	rc = http_json(resp, 200,
		       json_pack("{s:I, s:s, s:b, s:s}", "exposure_id", (json_int_t)id, "stage",
				 stage, "approved", approved, "approved_by", req->who.name));
	json_decref(b);
	return rc;
}

/* POST /api/v1/art14/{id}/submitted {stage, at, reference, reason} */
static int art14_submitted_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b, *o;
	int64_t id, at = 0;
	int bad = 0, rc, approved = 0;
	const char *stage, *ats, *ref, *reason;

	if (id_param(req, resp, "id", &id))
		return VG_EINVAL;
	if (!(b = http_body_json(req, resp)))
		return VG_EPARSE;
	stage = body_str(b, "stage", resp, &bad);
	ats = body_str(b, "at", resp, &bad);
	ref = body_str(b, "reference", resp, &bad);
	reason = body_str(b, "reason", resp, &bad);
	if (!bad && (!ats || vg_time_parse(ats, &at, &err))) {
		http_error(resp, VG_EINVAL, "request body: /at: expected an RFC 3339 time");
		bad = 1;
	}
	if (bad) {
		json_decref(b);
		return VG_EINVAL;
	}
	rc = art14_submitted_ex(req->db, id, stage, at, ref, reason, &approved, &err);
	o = rc ? NULL
	       : json_pack("{s:I, s:s, s:b}", "exposure_id", (json_int_t)id, "stage", stage,
			   "approved_draft", approved);
	json_decref(b); /* stage points into it */
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, o);
}

static int art14_obligations(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct art14_report_list l;
	json_t *rows;
	if (art14_list(req->db, 0, vg_now(), &l, &err))
		return http_fail(resp, &err);
	rows = art14_report_list_to_json(&l);
	art14_report_list_release(&l);
	return http_json(resp, 200, json_pack("{s:o}", "obligations", rows));
}

static int art14_show(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct art14_exposure e;
	json_t *o;
	int64_t id;
	if (id_param(req, resp, "id", &id))
		return VG_EINVAL;
	if (art14_get(req->db, id, &e, &err))
		return http_fail(resp, &err);
	o = art14_exposure_to_json(&e);
	art14_exposure_release(&e);
	return http_json(resp, 200, o);
}

static int draft_fetch(struct http_req *req, struct http_resp *resp, struct art14_draft *d)
{
	struct vg_error err = {0};
	int64_t id, version;
	int rc;
	memset(d, 0, sizeof(*d));
	if (id_param(req, resp, "id", &id))
		return VG_EINVAL;
	if ((rc = http_query_int(req, resp, "version", 0, INT64_MAX, 0, &version)))
		return rc;
	if (art14_draft_get(req->db, id, http_param(req, "stage"), version, d, &err))
		return http_fail(resp, &err);
	return VG_OK;
}

static int draft_json(struct http_req *req, struct http_resp *resp)
{
	struct art14_draft d;
	json_t *o;
	int rc = draft_fetch(req, resp, &d);
	if (rc)
		return rc;
	o = art14_draft_to_json(&d);
	art14_draft_release(&d);
	return http_json(resp, 200, o);
}

static int draft_page(struct http_req *req, struct http_resp *resp)
{
	struct art14_draft d;
	char title[96];
	int rc = draft_fetch(req, resp, &d);
	if (rc)
		return rc;
	snprintf(title, sizeof(title), "Art. 14 %s draft, exposure %lld", art14_stage_name(d.stage),
		 (long long)d.exposure_id);
	ui_page_begin(req, resp, title, "cases");
	art14_draft_html(&d, &resp->body);
	art14_draft_release(&d);
	return ui_page_end(resp);
}

const struct http_route psirt_routes[] = {
    {"POST", "/api/v1/reports", ROLE_PUBLIC, HTTP_NO_CSRF | HTTP_BODY_TEXT | HTTP_PUBLIC_FACE,
     report_post,
     "Report a vulnerability {title, product, version, description, impact, poc, contact, "
     "credit_consent, credit_name, encrypted (an ASCII-armoured OpenPGP message)}; returns "
     "a private tracking token",
     "psirt"},
    {"GET", "/api/v1/reports/{token}", ROLE_PUBLIC, HTTP_PUBLIC_FACE, report_get,
     "The reporter's view of a report by its tracking token", "psirt"},
    {"POST", "/api/v1/reports/{token}/messages", ROLE_PUBLIC,
     HTTP_NO_CSRF | HTTP_BODY_TEXT | HTTP_PUBLIC_FACE, report_message,
     "A message from the reporter {body}", "psirt"},
    {"GET", "/api/v1/cases", ROLE_READ, 0, cases_list, "PSIRT cases (state filter)", "psirt"},
    {"GET", "/api/v1/cases/{id}", ROLE_READ, 0, case_show, "One case", "psirt"},
    {"POST", "/api/v1/cases", ROLE_ADMIN | ROLE_PSIRT, 0, case_post,
     "Open a case {title, product, version, severity, description, assignee, findings [ids], "
     "vulns [CVE/GHSA ids]}",
     "psirt"},
    {"POST", "/api/v1/cases/{id}/links", ROLE_ADMIN | ROLE_PSIRT, 0, case_links_post,
     "Link a case {kind (cve, ghsa, finding, ...), value, remove (true unlinks)}", "psirt"},
    {"POST", "/api/v1/cases/{id}/assign", ROLE_ADMIN | ROLE_PSIRT, 0, case_assign_post,
     "Assign a case {to: a user with the role psirt or admin}", "psirt"},
    {"POST", "/api/v1/art14/{id}/approve", ROLE_ADMIN | ROLE_PSIRT, 0, art14_approve_post,
     "Approve the latest draft of a stage {stage} (four-eyes: not its author)", "psirt"},
    {"POST", "/api/v1/art14/{id}/submitted", ROLE_ADMIN | ROLE_PSIRT, 0, art14_submitted_post,
     "Record a filing {stage, at, reference, reason (needed out of order or without an "
     "approved draft)}",
     "psirt"},
    {"GET", "/api/v1/art14", ROLE_READ, 0, art14_obligations,
     "Article 14 obligations: due time, state, time left", "psirt"},
    {"GET", "/api/v1/art14/{id}", ROLE_READ, 0, art14_show,
     "One exposure with its obligations and drafts", "psirt"},
    {"GET", "/api/v1/art14/{id}/drafts/{stage}", ROLE_READ, 0, draft_json,
     "A draft (schema vigil-art14-draft/1; version query)", "psirt"},
    {"GET", "/ui/art14/{id}/{stage}", ROLE_READ, HTTP_UI, draft_page, "Printable page of a draft",
     "psirt"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
