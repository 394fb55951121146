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
    {"POST", "/api/v1/reports", ROLE_PUBLIC, HTTP_NO_CSRF | HTTP_BODY_TEXT, report_post,
     "Report a vulnerability {title, product, version, description, impact, poc, contact, "
     "credit_consent, credit_name, encrypted (an ASCII-armoured OpenPGP message)}; returns "
     "a private tracking token",
     "psirt"},
    {"GET", "/api/v1/reports/{token}", ROLE_PUBLIC, 0, report_get,
     "The reporter's view of a report by its tracking token", "psirt"},
    {"POST", "/api/v1/reports/{token}/messages", ROLE_PUBLIC, HTTP_NO_CSRF | HTTP_BODY_TEXT,
     report_message, "A message from the reporter {body}", "psirt"},
    {"GET", "/api/v1/cases", ROLE_READ, 0, cases_list, "PSIRT cases (state filter)", "psirt"},
    {"GET", "/api/v1/cases/{id}", ROLE_READ, 0, case_show, "One case", "psirt"},
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
