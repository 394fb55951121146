/*
 * api_rollout.c - the web edge of devices and rollouts: the device routes
 * (check-in, status: role device only), the devices and rollouts API, and
 * the Rollouts pages (a list, and one rollout with a chart per stage and
 * the buttons pause, resume, advance, halt, rollback, each with a reason).
 */
#define _GNU_SOURCE
#include "auth/auth.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "http/html.h"
#include "http/ui.h"
#include "jobs/jobs.h"
#include "store/store.h"
#include "update/device.h"
#include "update/rollout.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

/* The device id of a device principal ("device:<id>"). */
static const char *device_of(const struct http_req *req)
{
	return strncmp(req->who.name, "device:", 7) == 0 ? req->who.name + 7 : NULL;
}

/* The name of product id for the access event of a check-in: kept 60 s in
 * a small table, so the hot path reads it about once a minute. */
static void product_name_cached(struct store *s, int64_t id, char *out, size_t n)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static struct {
		int64_t id, at;
		char name[128];
	} cache[64];
	size_t k = (size_t)id % 64;
	int64_t now = vg_mono_ms();
	struct store_stmt *st = NULL;
	struct vg_error err = {0};

	*out = '\0';
	pthread_mutex_lock(&mu);
	if (cache[k].id == id && now - cache[k].at < 60000)
		snprintf(out, n, "%s", cache[k].name);
	pthread_mutex_unlock(&mu);
	if (*out || store_prepare_cached(s, "SELECT name FROM products WHERE id = ?", &st, &err))
		return;
	store_bind_int64(st, 1, id);
	if (store_step(st, &err) == STORE_ROW) {
		snprintf(out, n, "%s", store_col_text(st, 0));
		pthread_mutex_lock(&mu);
		cache[k].id = id;
		cache[k].at = now;
		snprintf(cache[k].name, sizeof(cache[k].name), "%s", out);
		pthread_mutex_unlock(&mu);
	}
	store_reset(st);
}

static int checkin_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct device_checkin_req r = {0};
	struct device_checkin_resp out;
	json_t *b;
	int rc;

	if (!device_of(req))
		return http_error(resp, VG_EINVAL,
				  "this token is not a device's own credential: enroll the device "
				  "(vigil device enroll) and use its token");
	if (!(b = http_body_json(req, resp)))
		return VG_EPARSE;
	r.device_id = device_of(req);
	rc = device_checkin_req_from_json(b, &r, &err);
	if (!rc)
		rc = device_checkin(req->db, &r, &out, &err);
	if (!rc) {
		char product[128];
		product_name_cached(req->db, out.product_id, product, sizeof(product));
		http_log_context(req, product, r.version);
	}
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, device_checkin_resp_to_json(&out));
}

/* A device exchanges its one-time enrollment token for its own credential
 * (public: the enrollment token is the credential). 400 malformed, 401
 * unknown, 409 used already, 410 expired or revoked. */
static int enroll_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct device_cred cred;
	const char *h = http_header(req, "Authorization"), *tok = NULL;
	json_t *b = NULL;
	int rc;

	if (h && strncasecmp(h, "Bearer " DEVICE_ENROLL_PREFIX, 11) == 0) {
		tok = h + 7;
	} else {
		if (!(b = http_body_json(req, resp)))
			return VG_EPARSE;
		tok = vg_json_str(b, "enrollment_token");
	}
	if (!tok) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: expected {\"enrollment_token\": \"vge_...\"} (or "
				  "Authorization: Bearer vge_...)");
	}
	rc = device_enrollment_exchange(req->db, tok, &cred, &err);
	json_decref(b);
	if (rc == VG_ESTATE)
		return http_error_status(resp, 410, "gone", "%s", vg_error_msg(&err));
	if (rc)
		return http_fail(resp, &err);
	rc = http_json(resp, 201, json_pack("{s:s, s:s}", "id", cred.id, "token", cred.token));
	vg_wipe(&cred, sizeof(cred));
	return rc;
}

static int status_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct device_status_req r = {0};
	json_t *b;
	int rc;

	if (!device_of(req))
		return http_error(resp, VG_EINVAL,
				  "this token is not a device's own credential: enroll the device "
				  "(vigil device enroll) and use its token");
	if (!(b = http_body_json(req, resp)))
		return VG_EPARSE;
	r.device_id = device_of(req);
	rc = device_status_req_from_json(b, &r, &err);
	if (!rc)
		rc = device_status(req->db, &r, &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:b}", "counted", 1));
}

/* ---- devices ---- */

static int devices_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct device_filter f = {0};
	struct device_list l;
	json_t *a;
	int rc;

	f.product = http_query(req, "product");
	f.version = http_query(req, "version");
	f.channel = http_query(req, "channel");
	if ((rc = http_query_int(req, resp, "limit", 1, 10000, 1000, &f.limit)) ||
	    (rc = http_query_int(req, resp, "offset", 0, INT64_MAX, 0, &f.offset)))
		return rc;
	if (device_list(req->db, &f, &l, &err))
		return http_fail(resp, &err);
	a = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(a, device_to_json(&l.items[i]));
	device_list_release(&l);
	return http_json(resp, 200, json_pack("{s:o}", "devices", a));
}

static int device_get_h(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct device_list l;
	json_t *o;

	if (device_get(req->db, http_param(req, "id"), &l, &err))
		return http_fail(resp, &err);
	o = device_to_json(&l.items[0]);
	device_list_release(&l);
	return http_json(resp, 200, o);
}

/* ---- rollouts ---- */

static int rollout_param(struct http_req *req, struct http_resp *resp, int64_t *id)
{
	struct vg_error err = {0};
	if (vg_id_parse(http_param(req, "id"), "rollout id", id, &err))
		return http_fail(resp, &err);
	return VG_OK;
}

static int rollouts_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct rollout_list l;
	json_t *a;

	if (rollout_list(req->db, http_query(req, "product"), &l, &err))
		return http_fail(resp, &err);
	a = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(a, rollout_to_json(&l.items[i]));
	rollout_list_release(&l);
	return http_json(resp, 200, json_pack("{s:o}", "rollouts", a));
}

static int rollout_show(struct http_req *req, struct http_resp *resp, int64_t id, int status)
{
	struct vg_error err = {0};
	struct rollout_list l;
	json_t *o;
	if (rollout_get(req->db, id, &l, &err))
		return http_fail(resp, &err);
	o = rollout_to_json(&l.items[0]);
	rollout_list_release(&l);
	return http_json(resp, status, o);
}

static int rollout_get_h(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	int rc = rollout_param(req, resp, &id);
	return rc ? rc : rollout_show(req, resp, id, 200);
}

static int json_int_field(const json_t *b, const char *k, int64_t dflt, int64_t *out)
{
	json_t *v = json_object_get(b, k);
	if (!v) {
		*out = dflt;
		return 0;
	}
	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return 0;
}

static int rollouts_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct rollout_create_req r = {0};
	json_t *b = http_body_json(req, resp), *rel;
	char relbuf[32];
	const char *soak;
	int64_t id = 0;
	int rc;

	if (!b)
		return VG_EPARSE;
	rel = json_object_get(b, "release");
	if (json_is_integer(rel)) {
		snprintf(relbuf, sizeof(relbuf), "%lld", (long long)json_integer_value(rel));
		r.release = relbuf;
	} else {
		r.release = vg_json_str(b, "release");
	}
	r.stages = vg_json_str(b, "stages");
	r.filter = vg_json_str(b, "filter");
	soak = vg_json_str(b, "soak");
	if (!r.release || !r.stages) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: expected {\"release\", \"stages\": \"1,10,100\", "
				  "\"soak\": \"24h\", \"success_min\", \"max_failure\", "
				  "\"min_sample\", \"filter\": \"channel=NAME\"}");
	}
	if (json_int_field(b, "success_min", 95, &r.success_min) ||
	    json_int_field(b, "max_failure", 2, &r.max_failure) ||
	    json_int_field(b, "min_sample", 50, &r.min_sample)) {
		json_decref(b);
		return http_error(resp, VG_EINVAL,
				  "request body: success_min, max_failure and min_sample are "
				  "whole numbers");
	}
	r.soak = 24 * 3600;
	if (soak && vg_duration_parse(soak, &r.soak, &err)) {
		json_decref(b);
		return http_fail(resp, &err);
	}
	rc = rollout_create(req->db, &r, &id, &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return rollout_show(req, resp, id, 201);
}

static int rollout_action_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int action = rollout_action_parse(http_param(req, "action"));
	json_t *b;
	int64_t id;
	int rc;

	if ((rc = rollout_param(req, resp, &id)))
		return rc;
	if (!action)
		return http_error(resp, VG_ENOTFOUND,
				  "action '%s': expected start, pause, resume, advance, halt or "
				  "rollback",
				  http_param(req, "action"));
	b = req->body.len ? http_body_json(req, resp) : json_object();
	if (!b)
		return VG_EPARSE;
	rc = rollout_act(req->db, id, action, vg_json_str(b, "reason"), &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return rollout_show(req, resp, id, 200);
}

/* ---- pages ---- */

static const struct html_label state_words[] = {
    {"draft", "Draft: offers nothing yet"},
    {"running", "Running"},
    {"paused", "Paused after this stage"},
    {"halted", "Halted: offers nothing"},
    {"done", "Done: every stage passed"},
    {"rolled_back", "Rolled back to the previous release"},
    {NULL, NULL},
};

static const struct html_label action_words[] = {
    {"rollout.create", "Created"},
    {"rollout.start", "Started"},
    {"rollout.pause", "Paused"},
    {"rollout.resume", "Resumed"},
    {"rollout.advance", "Advanced"},
    {"rollout.halt", "Halted"},
    {"rollout.auto_halt", "Halted automatically"},
    {"rollout.rollback", "Rolled back"},
    {"rollout.soaked", "Stage soaked"},
    {NULL, NULL},
};

static const struct html_label change_words[] = {
    {"max_failure", "halt above failed %"},
    {"min_sample", "minimum reports"},
    {"success_min", "advance at installed %"},
    {"soak", "soak (seconds)"},
    {"previous_release", "previous release id"},
    {"stage_row", "stage"},
    {NULL, NULL},
};

static int error_page(struct http_req *req, struct http_resp *resp, const struct vg_error *err)
{
	ui_page_begin(req, resp, "Rollouts", "rollouts");
	resp->status = vg_code_http_status(err->code);
	html(&resp->body,
	     "<p class=\"error\" role=\"alert\">%s</p><p><a href=\"/ui/rollouts\">All "
	     "rollouts</a></p>",
	     vg_error_msg(err));
	return ui_page_end(resp);
}

static int rollouts_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct rollout_list l;

	if (rollout_list(req->db, http_query(req, "product"), &l, &err))
		return error_page(req, resp, &err);
	ui_page_begin(req, resp, "Rollouts", "rollouts");
	html(b, "<p id=\"total\">%zu rollout(s).</p>", l.n);
	html_raw(b, "<div class=\"table-wrap\"><table id=\"rollouts\" tabindex=\"0\" "
		    "aria-label=\"Rollouts\"><thead><tr><th>id</th>"
		    "<th>product</th><th>version</th><th>state</th><th>stage</th>"
		    "<th>stages</th><th>updated</th></tr></thead><tbody>");
	for (size_t i = 0; i < l.n; i++) {
		const struct rollout *r = &l.items[i];
		char stages[96] = "";
		size_t off = 0;
		for (int k = 0; k < r->nstages; k++)
			off += (size_t)snprintf(stages + off, sizeof(stages) - off, "%s%d%%",
						k ? " " : "", r->stages[k]);
		html(b,
		     "<tr><td><a href=\"/ui/rollouts/%lld\">%lld</a></td><td>%s</td><td>%s</td>"
		     "<td class=\"state-%s\">%s</td><td>%d of %d</td><td>%s</td><td>",
		     (long long)r->id, (long long)r->id, r->product, r->version, r->state,
		     html_label(state_words, r->state), r->stage + 1, r->nstages, stages);
		html_time(b, r->updated_at, "-");
		html_raw(b, "</td></tr>");
	}
	if (!l.n)
		html_raw(b,
			 "<tr><td colspan=\"7\">No rollouts. Create one with <code>vigil rollout "
			 "create RELEASE --stages 1,10,50,100</code>.</td></tr>");
	html_raw(b, "</tbody></table></div>");
	rollout_list_release(&l);
	return ui_page_end(resp);
}

/* One stage's bars: offered, installed, failed, scaled to the largest. */
static void stage_chart(struct vg_buf *b, const struct rollout *r, int i)
{
	const struct rollout_stage *g = &r->stage_info[i];
	int64_t vals[3] = {g->offered, g->installed, g->failed}, max = 1;
	static const char *const names[3] = {"offered", "installed", "failed"};
	for (int k = 0; k < 3; k++)
		if (vals[k] > max)
			max = vals[k];
	html(b,
	     "<figure class=\"stage-chart\"><svg viewBox=\"0 0 300 96\" role=\"img\" "
	     "aria-labelledby=\"st%d-t\" class=\"chart\"><title id=\"st%d-t\">Stage %d (%d %%): "
	     "%lld offered, %lld installed, %lld failed</title>",
	     i, i, i + 1, r->stages[i], (long long)g->offered, (long long)g->installed,
	     (long long)g->failed);
	for (int k = 0; k < 3; k++) {
		int w = (int)(vals[k] * 200 / max);
		html(
		    b,
		    "<text x=\"0\" y=\"%d\" class=\"chart-label\">%s</text><rect x=\"80\" y=\"%d\" "
		    "width=\"%d\" height=\"20\" class=\"bar bar-%s\"></rect><text x=\"%d\" "
		    "y=\"%d\" "
		    "class=\"chart-label\">%lld</text>",
		    18 + k * 30, names[k], 4 + k * 30, w > 0 ? w : 1, names[k], 84 + w, 18 + k * 30,
		    (long long)vals[k]);
	}
	html(b, "</svg><figcaption>Stage %d: %d %%%s</figcaption></figure>", i + 1, r->stages[i],
	     i == r->stage ? " (current)" : "");
}

static void action_form(struct http_req *req, struct http_resp *resp, const struct rollout *r,
			const char *action, const char *label, int need_reason)
{
	struct vg_buf *b = &resp->body;
	html(b,
	     "<form method=\"post\" action=\"/ui/rollouts/%lld/action\" class=\"rollout-action\" "
	     "id=\"form-%s\">",
	     (long long)r->id, action);
	ui_csrf_field(req, resp);
	html(b,
	     "<input type=\"hidden\" name=\"action\" value=\"%s\"><label for=\"reason-%s\">Reason "
	     "for %s%s</label><input type=\"text\" id=\"reason-%s\" name=\"reason\" "
	     "maxlength=\"1000\"%s><button type=\"submit\" class=\"%s\">%s</button></form>",
	     action, action, action, need_reason ? " (required)" : "", action,
	     need_reason ? " required" : "", strcmp(action, "halt") == 0 ? "danger" : "", label);
}

static int rollout_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_buf *b = &resp->body;
	struct vg_error err = {0};
	struct rollout_list l;
	struct rollout *r;
	char title[300], oid[32];
	int64_t id;
	json_t *trail = NULL;

	if (vg_id_parse(http_param(req, "id"), "rollout id", &id, &err) ||
	    rollout_get(req->db, id, &l, &err))
		return error_page(req, resp, &err);
	r = &l.items[0];
	snprintf(title, sizeof(title), "Rollout %lld: %s %s", (long long)r->id, r->product,
		 r->version);
	ui_page_begin(req, resp, title, "rollouts");
	ui_flash(req, b, "rollout");
	html(b,
	     "<dl class=\"card\" id=\"rollout\"><dt>state</dt><dd id=\"state\" "
	     "class=\"state-%s\">%s</dd><dt>stage</dt><dd id=\"stage\">%d of %d (%d %%)</dd>"
	     "<dt>release</dt><dd><a href=\"/ui/releases/%lld\">%s %s</a></dd>",
	     r->state, html_label(state_words, r->state), r->stage + 1, r->nstages,
	     r->stages[r->stage], (long long)r->release_id, r->product, r->version);
	if (r->previous_release_id)
		html(b, "<dt>previous release</dt><dd><a href=\"/ui/releases/%lld\">%s %s</a></dd>",
		     (long long)r->previous_release_id, r->product,
		     r->previous_version ? r->previous_version : "");
	html(b,
	     "<dt>rules</dt><dd>soak %lld h; advance at %d %% installed; halt above %d %% "
	     "failed over at least %lld reports%s%s</dd>",
	     (long long)(r->soak / 3600), r->success_min, r->max_failure, (long long)r->min_sample,
	     r->filter_channel ? "; channel " : "", r->filter_channel ? r->filter_channel : "");
	if (r->reason)
		html(b, "<dt>last reason</dt><dd id=\"reason\">%s</dd>", r->reason);
	html_raw(b, "<dt>updated</dt><dd>");
	html_time(b, r->updated_at, "-");
	html(b, " by %s</dd></dl>", r->updated_by ? r->updated_by : "");
	html_raw(b, "<h2>Stages</h2><div class=\"stage-charts\" id=\"stages\">");
	for (int i = 0; i < r->nstages; i++)
		stage_chart(b, r, i);
	html_raw(b, "</div>");
	if (req->who.role & (ROLE_ADMIN | ROLE_PSIRT)) {
		html_raw(b, "<h2>Actions</h2><div class=\"rollout-actions\">");
		if (!strcmp(r->state, "draft"))
			action_form(req, resp, r, "start", "Start", 0);
		if (!strcmp(r->state, "running"))
			action_form(req, resp, r, "pause", "Pause after this stage", 1);
		if (!strcmp(r->state, "paused") || !strcmp(r->state, "halted"))
			action_form(req, resp, r, "resume", "Resume", 1);
		if (!strcmp(r->state, "running") || !strcmp(r->state, "paused"))
			action_form(req, resp, r, "advance", "Advance to the next stage", 1);
		if (!strcmp(r->state, "running") || !strcmp(r->state, "paused"))
			action_form(req, resp, r, "halt", "Halt now (emergency)", 1);
		if (strcmp(r->state, "draft") && strcmp(r->state, "rolled_back") &&
		    r->previous_release_id)
			action_form(req, resp, r, "rollback", "Roll back", 1);
		html_raw(b, "</div>");
	}
	snprintf(oid, sizeof(oid), "%lld", (long long)r->id);
	if (store_rows(req->db, &trail, &err, "ttTjj",
		       "SELECT action, actor, at, before_json, after_json FROM audit_log WHERE "
		       "object_type = 'rollout' AND object_id = ? ORDER BY seq",
		       "t", oid) == VG_OK) {
		size_t i;
		json_t *row;
		html_raw(b, "<h2>History</h2><div class=\"table-wrap\"><table id=\"history\" "
			    "tabindex=\"0\" aria-label=\"History of this rollout\"><thead>"
			    "<tr><th>when</th><th>action</th><th>who</th><th>change</th></tr>"
			    "</thead><tbody>");
		json_array_foreach(trail, i, row)
		{
			html(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>",
			     vg_json_str(row, "at") ? vg_json_str(row, "at") : "",
			     html_label(action_words, vg_json_str(row, "action")),
			     vg_json_str(row, "actor"));
			html_change(b, json_object_get(row, "before"),
				    json_object_get(row, "after"), change_words);
			html_raw(b, "</td></tr>");
		}
		html_raw(b, "</tbody></table></div>");
		json_decref(trail);
	}
	rollout_list_release(&l);
	return ui_page_end(resp);
}

static int rollout_action_form(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	char action[32] = "", reason[1100] = "", loc[96];
	int64_t id;
	int a, rc;

	if (vg_id_parse(http_param(req, "id"), "rollout id", &id, &err))
		return error_page(req, resp, &err);
	if (http_form(req, "action", action, sizeof(action)) != VG_OK ||
	    !(a = rollout_action_parse(action))) {
		snprintf(loc, sizeof(loc), "/ui/rollouts/%lld?error=invalid", (long long)id);
		return http_redirect(resp, loc);
	}
	if (http_form(req, "reason", reason, sizeof(reason)) != VG_OK)
		reason[0] = '\0';
	if (!reason[0]) {
		snprintf(loc, sizeof(loc), "/ui/rollouts/%lld?error=reason", (long long)id);
		return http_redirect(resp, loc);
	}
	rc = rollout_act(req->db, id, a, reason, &err);
	snprintf(loc, sizeof(loc), "/ui/rollouts/%lld?%s", (long long)id,
		 !rc               ? "done=saved"
		 : rc == VG_ESTATE ? "error=state"
		 : rc == VG_EINVAL ? "error=invalid"
				   : "error=failed");
	return http_redirect(resp, loc);
}

/* ---- wiring ---- */

static int device_check(struct store *s, const char *token, char id[32], struct vg_error *err)
{
	return device_authenticate(s, token, id, err);
}

void rollout_init(void)
{
	auth_set_device_check(device_check);
}

static int flush_job(struct store *s, struct vg_error *err)
{
	return device_flush_seen(s, err);
}

static int evaluate_job(struct store *s, struct vg_error *err)
{
	int changed = 0;
	return rollout_evaluate(s, vg_now(), &changed, err);
}

const struct vg_job rollout_jobs[] = {
    {"rollout.evaluate", 1, evaluate_job, NULL},
    {NULL, 0, NULL, NULL},
};
const struct vg_job device_jobs_every_server[] = {
    {"device.flush", 5, flush_job, NULL},
    {NULL, 0, NULL, NULL},
};

/* The last-seen times still in memory are written when the server stops. */
static char *seen_db_url;

int device_service_start(const char *db_url, struct vg_error *err)
{
	(void)err;
	free(seen_db_url);
	seen_db_url = strdup(db_url);
	return VG_OK;
}

void device_service_stop(void)
{
	struct store *s = NULL;
	struct vg_error err = {0};
	if (seen_db_url && store_open(seen_db_url, 0, &s, &err) == VG_OK) {
		store_set_actor(s, "system", NULL);
		if (device_flush_seen(s, &err))
			fprintf(stderr, "vigil: device last-seen times not written: %s\n",
				vg_error_msg(&err));
		store_close(s);
	}
	free(seen_db_url);
	seen_db_url = NULL;
}

/* clang-format off */
const struct http_route rollout_routes[] = {
    {"POST", "/api/v1/device/checkin", ROLE_DEVICE, HTTP_PUBLIC_FACE, checkin_post,
     "A device checks in with its installed version: none, or install (TUF target, rollout, delta)", "devices"},
    {"POST", "/api/v1/device/enroll", ROLE_PUBLIC, HTTP_PUBLIC_FACE, enroll_post,
     "A device exchanges its one-time enrollment token for its own credential ({\"enrollment_token\"})", "devices"},
    {"POST", "/api/v1/device/status", ROLE_DEVICE, HTTP_PUBLIC_FACE, status_post,
     "A device reports downloading, installing, installed or failed for a rollout", "devices"},
    {"GET", "/api/v1/devices", ROLE_READ, 0, devices_get,
     "Devices (product, version, channel filters)", "devices"},
    {"GET", "/api/v1/devices/{id}", ROLE_READ, 0, device_get_h, "One device", "devices"},
    {"GET", "/api/v1/rollouts", ROLE_READ, 0, rollouts_get, "Rollouts, newest first", "rollouts"},
    {"POST", "/api/v1/rollouts", ROLE_ADMIN | ROLE_PSIRT, 0, rollouts_post,
     "Create a rollout of a published release (stages, soak, thresholds, filter)", "rollouts"},
    {"GET", "/api/v1/rollouts/{id}", ROLE_READ, 0, rollout_get_h,
     "One rollout with its stages and counts", "rollouts"},
    {"POST", "/api/v1/rollouts/{id}/{action}", ROLE_ADMIN | ROLE_PSIRT, 0, rollout_action_post,
     "start, pause, resume, advance, halt or rollback a rollout ({\"reason\"})", "rollouts"},
    {"GET", "/ui/rollouts", ROLE_READ, HTTP_UI, rollouts_page, "Rollouts", "ui"},
    {"GET", "/ui/rollouts/{id}", ROLE_READ, HTTP_UI, rollout_page,
     "One rollout: a chart per stage (offered, installed, failed), actions, history", "ui"},
    {"POST", "/ui/rollouts/{id}/action", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, rollout_action_form,
     "A rollout action with its reason (form)", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
