/*
 * oncall_web.c - HTTP routes and pages of on-call paging and PSIRT
 * reachability: the API (who, pages, ack, drills, watched security.txt,
 * the PSIRT key), the public acknowledgement link /oncall/ack/{token}
 * (GET confirms, POST acknowledges; the token is the credential, so no login
 * and no CSRF token), and the pages /ui/oncall and /ui/reachability.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/arena.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "core/log.h"
#include "http/html.h"
#include "http/http.h"
#include "http/ui.h"
#include "notify/notify.h"
#include "reach/oncall.h"
#include "reach/reach.h"
#include "reach/stpublish.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Text for a table cell: "-" when there is none. */
static const char *str(const char *v)
{
	return v ? v : "-";
}

/* A time as RFC 3339 text, "-" when none (pages show times as plain text). */
static const char *tm(int64_t t, char buf[VG_TIME_BUFSZ])
{
	return t ? vg_time_format(t, buf, VG_TIME_BUFSZ) : "-";
}

/* Start an error page with the message of err. */
static int error_page(struct http_req *req, struct http_resp *resp, const char *title,
		      const struct vg_error *err)
{
	ui_page_begin(req, resp, title, "");
	resp->status = vg_code_http_status(err->code);
	html(&resp->body, "<p class=\"error\" role=\"alert\">%s</p>", vg_error_msg(err));
	return ui_page_end(resp);
}

/* ---- API ---- */

static int api_who(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct oncall_shift_list l;
	json_t *rows = NULL;
	int rc;

	vg_arena_init(&mem, 0);
	rc = oncall_who(req->db, vg_now(), &mem, &l, &err);
	if (!rc)
		rows = oncall_shift_list_to_json(&l);
	vg_arena_release(&mem);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "rotations", rows));
}

static int api_pages(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct oncall_page_list l;
	json_t *rows = NULL;
	int64_t limit;
	int rc;

	if ((rc = http_query_int(req, resp, "limit", 1, 10000, 100, &limit)))
		return rc;
	vg_arena_init(&mem, 0);
	rc = oncall_pages(req->db, limit, &mem, &l, &err);
	if (!rc)
		rows = oncall_page_list_to_json(&l);
	vg_arena_release(&mem);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "pages", rows));
}

/* Reply with page id as JSON. */
static int page_reply(struct http_req *req, struct http_resp *resp, int status, int64_t id)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct oncall_page p;
	json_t *o = NULL;
	int rc;

	vg_arena_init(&mem, 0);
	rc = oncall_page_get(req->db, id, &mem, &p, &err);
	if (!rc)
		o = oncall_page_to_json(&p);
	vg_arena_release(&mem);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, status, o);
}

static int api_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id;
	if (vg_id_parse(http_param(req, "id"), "page id", &id, &err))
		return http_fail(resp, &err);
	return page_reply(req, resp, 200, id);
}

static int api_page_open(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b = http_body_json(req, resp);
	int64_t id = 0;
	int created = 0, rc;
	if (!b)
		return VG_EPARSE;
	rc = oncall_page(req->db, vg_json_str(b, "policy"), vg_json_str(b, "summary"),
			 vg_json_str(b, "severity"), "api", vg_json_str(b, "dedup_key"), 0, &id,
			 &created, &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return page_reply(req, resp, created ? 201 : 200, id);
}

static int api_ack(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id;
	if (vg_id_parse(http_param(req, "id"), "page id", &id, &err) ||
	    oncall_ack(req->db, id, req->who.name, &err))
		return http_fail(resp, &err);
	return page_reply(req, resp, 200, id);
}

static int api_drills(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct oncall_drill_list l;
	json_t *rows = NULL;
	int rc;

	vg_arena_init(&mem, 0);
	rc = oncall_drills(req->db, &mem, &l, &err);
	if (!rc)
		rows = oncall_drill_list_to_json(&l);
	vg_arena_release(&mem);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "drills", rows));
}

static int api_watches(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct stwatch_list l;
	json_t *rows = NULL;
	int rc;

	vg_arena_init(&mem, 0);
	rc = stwatch_list(req->db, 10, &mem, &l, &err);
	if (!rc)
		rows = stwatch_list_to_json(&l);
	vg_arena_release(&mem);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "watches", rows));
}

static int api_pgp(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct pgp_key_status k;
	struct pgp_key_list keys;
	json_t *o = NULL;
	int rc;

	vg_arena_init(&mem, 0);
	rc = pgp_status(req->db, NULL, NULL, &mem, &k, &err);
	/* no PSIRT key is a state to show, not a missing resource */
	if (rc == VG_ENOTFOUND)
		o = json_pack("{s:n, s:s}", "fingerprint", "problem", vg_error_msg(&err));
	else if (!rc)
		o = pgp_key_status_to_json(&k);
	if (rc && rc != VG_ENOTFOUND) {
		vg_arena_release(&mem);
		return http_fail(resp, &err);
	}
	if (o && pgp_keys(req->db, &mem, &keys, &err) == VG_OK)
		json_object_set_new(o, "history", pgp_key_list_to_json(&keys));
	vg_arena_release(&mem);
	return http_json(resp, 200, o);
}

/* ---- the acknowledgement link ---- */

static int ack_page_begin(struct http_req *req, struct http_resp *resp, const char *title)
{
	ui_page_begin(req, resp, title, "");
	return VG_OK;
}

static void page_summary(struct vg_buf *b, const struct oncall_page *p)
{
	char t[VG_TIME_BUFSZ];
	html(b, "<dl class=\"card\" id=\"page-summary\"><dt>page</dt><dd>%lld", (long long)p->id);
	if (p->drill)
		html_raw(b, " <strong class=\"drill\">DRILL</strong>");
	html(b,
	     "</dd><dt>summary</dt><dd>%s</dd><dt>severity</dt><dd>%s</dd><dt>paged</dt><dd>%s"
	     "</dd><dt>status</dt><dd id=\"page-status\">%s</dd></dl>",
	     p->summary, p->severity,
	     p->created_at ? vg_time_format(p->created_at, t, sizeof(t)) : "", p->status);
}

static int ack_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_buf *b = &resp->body;
	struct vg_arena mem;
	struct oncall_page p;
	const char *token = http_param(req, "token");
	char t[VG_TIME_BUFSZ];

	vg_arena_init(&mem, 0);
	if (oncall_token_page(req->db, token, &mem, &p, &err)) {
		vg_arena_release(&mem);
		ack_page_begin(req, resp, "Acknowledge a page");
		resp->status = 404;
		html_raw(b, "<p class=\"error\" role=\"alert\">This acknowledgement link is not "
			    "known.</p>");
		return ui_page_end(resp);
	}
	ack_page_begin(req, resp, "Acknowledge a page");
	page_summary(b, &p);
	if (strcmp(p.status, "acknowledged") == 0) {
		html(b, "<p id=\"ack-done\">Already acknowledged by %s at %s.</p>",
		     p.acknowledged_by,
		     p.acknowledged_at ? vg_time_format(p.acknowledged_at, t, sizeof(t)) : "");
	} else {
		html(b,
		     "<form method=\"post\" action=\"/oncall/ack/%s\" id=\"ack-form\"><p>"
		     "Acknowledging stops the escalation: you take this page.</p><button "
		     "type=\"submit\" id=\"ack\">Acknowledge</button></form>",
		     token);
	}
	vg_arena_release(&mem);
	return ui_page_end(resp);
}

static int ack_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_buf *b = &resp->body;
	struct vg_arena mem;
	struct oncall_page p;
	int64_t id = 0;
	int rc = oncall_ack_token(req->db, http_param(req, "token"), &id, &err);

	ack_page_begin(req, resp, "Acknowledge a page");
	if (rc) {
		resp->status = vg_code_http_status(rc);
		html(b, "<p class=\"error\" role=\"alert\" id=\"ack-error\">%s</p>",
		     rc == VG_ENOTFOUND ? "This acknowledgement link is not known."
					: vg_error_msg(&err));
		return ui_page_end(resp);
	}
	vg_arena_init(&mem, 0);
	if (oncall_page_get(req->db, id, &mem, &p, &err) == VG_OK)
		page_summary(b, &p);
	vg_arena_release(&mem);
	html_raw(b, "<p id=\"ack-done\" role=\"status\">Acknowledged. The escalation has "
		    "stopped.</p>");
	return ui_page_end(resp);
}

/* ---- pages ---- */

static void rota_table(struct vg_buf *b, const struct oncall_shift_list *who)
{
	char t1[VG_TIME_BUFSZ], t2[VG_TIME_BUFSZ];
	html_raw(b, "<h2>Rota</h2><table id=\"rota\"><thead><tr><th>rotation</th><th>on call "
		    "now</th><th>since</th><th>until</th><th>next</th><th>time zone</th>"
		    "</tr></thead><tbody>");
	for (size_t i = 0; i < who->n; i++) {
		const struct oncall_shift *r = &who->v[i];
		html(b,
		     "<tr><td>%s</td><td class=\"on-call\">%s</td><td>%s</td><td>%s</td><td>%s</td>"
		     "<td>%s</td></tr>",
		     str(r->rotation), str(r->on_call), tm(r->since, t1), tm(r->until, t2),
		     str(r->next), str(r->tz));
	}
	if (!who->n)
		html_raw(b, "<tr><td colspan=\"6\">No rotations yet.</td></tr>");
	html_raw(b, "</tbody></table>");
}

static void policy_list(struct vg_buf *b, const struct oncall_policy_list *pol)
{
	html_raw(b, "<h2>Escalation policies</h2><ul id=\"policies\">");
	for (size_t i = 0; i < pol->n; i++) {
		const struct oncall_policy *r = &pol->v[i];
		html(b, "<li><strong>%s</strong> (repeat %lld): ", str(r->name),
		     (long long)r->repeat_limit);
		for (size_t j = 0; j < r->nlevels; j++) {
			const struct oncall_level *lv = &r->levels[j];
			html(b, "%s%zu. %s %s via %s, wait %lld min", j ? "; " : "", j + 1,
			     str(lv->kind), str(lv->target), str(lv->channel),
			     (long long)lv->after_minutes);
		}
		html_raw(b, "</li>");
	}
	html_raw(b, "</ul>");
}

static void pages_table(struct http_req *req, struct http_resp *resp,
			const struct oncall_page_list *pages, int psirt)
{
	struct vg_buf *b = &resp->body;
	char t[VG_TIME_BUFSZ];
	html_raw(b, "<h2>Pages</h2><table id=\"pages\"><thead><tr><th>id</th><th>summary</th>"
		    "<th>severity</th><th>status</th><th>level</th><th>paged</th>"
		    "<th>acknowledged</th><th></th></tr></thead><tbody>");
	for (size_t i = 0; i < pages->n; i++) {
		const struct oncall_page *r = &pages->v[i];
		html(b, "<tr id=\"page-%lld\"><td>%lld</td><td>", (long long)r->id,
		     (long long)r->id);
		if (r->drill)
			html_raw(b, "<strong>DRILL</strong> ");
		html(b,
		     "%s</td><td>%s</td><td class=\"status\">%s</td><td>%lld/%lld</td><td>%s"
		     "</td><td>",
		     str(r->summary), str(r->severity), str(r->status), (long long)r->level,
		     (long long)r->round, tm(r->created_at, t));
		if (r->acknowledged_by)
			html(b, "%s %s", r->acknowledged_by, tm(r->acknowledged_at, t));
		html_raw(b, "</td><td>");
		if (psirt && strcmp(r->status, "acknowledged") != 0) {
			html(b, "<form method=\"post\" action=\"/ui/oncall/pages/%lld/ack\">",
			     (long long)r->id);
			ui_csrf_field(req, resp);
			html_raw(b, "<button type=\"submit\">Acknowledge</button></form>");
		}
		html_raw(b, "</td></tr>");
	}
	if (!pages->n)
		html_raw(b, "<tr><td colspan=\"8\">No pages.</td></tr>");
	html_raw(b, "</tbody></table>");
}

static void drills_table(struct vg_buf *b, const struct oncall_drill_list *drills)
{
	char t[VG_TIME_BUFSZ];
	html_raw(b, "<h2>Drills</h2><p>A drill passes when acknowledged within 30 minutes; "
		    "one should pass every quarter.</p><table id=\"drills\"><thead><tr>"
		    "<th>id</th><th>started</th><th>result</th><th>time to acknowledge</th>"
		    "<th>level</th><th>by</th></tr></thead><tbody>");
	for (size_t i = 0; i < drills->n; i++) {
		const struct oncall_drill *r = &drills->v[i];
		html(b, "<tr><td>%lld</td><td>%s</td><td class=\"result\">%s</td><td>",
		     (long long)r->id, tm(r->started_at, t), str(r->result));
		if (r->ack_seconds >= 0)
			html(b, "%lld min %lld s", (long long)r->ack_seconds / 60,
			     (long long)r->ack_seconds % 60);
		html_raw(b, "</td><td>");
		if (r->ack_level >= 0)
			html(b, "%lld", (long long)r->ack_level);
		html_raw(b, "</td><td>");
		if (r->ack_seconds >= 0)
			html(b, "%s", str(r->acknowledged_by));
		html_raw(b, "</td></tr>");
	}
	if (!drills->n)
		html_raw(b, "<tr><td colspan=\"6\">No drills yet.</td></tr>");
	html_raw(b, "</tbody></table>");
}

static int oncall_ui(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct oncall_shift_list who;
	struct oncall_page_list pages;
	struct oncall_drill_list drills;
	struct oncall_policy_list pol;
	int psirt = req->who.role & (ROLE_ADMIN | ROLE_PSIRT);

	vg_arena_init(&mem, 0);
	if (oncall_who(req->db, vg_now(), &mem, &who, &err) ||
	    oncall_pages(req->db, 50, &mem, &pages, &err) ||
	    oncall_drills(req->db, &mem, &drills, &err) ||
	    oncall_policies(req->db, &mem, &pol, &err)) {
		vg_arena_release(&mem);
		return error_page(req, resp, "On call", &err);
	}
	ui_page_begin(req, resp, "On call", "");
	if (psirt)
		html_raw(&resp->body,
			 "<p><a href=\"/ui/oncall/setup\" id=\"oncall-setup-link\">Set "
			 "up people, rotations, escalation policies and drills</a></p>");
	rota_table(&resp->body, &who);
	policy_list(&resp->body, &pol);
	pages_table(req, resp, &pages, psirt);
	drills_table(&resp->body, &drills);
	vg_arena_release(&mem);
	return ui_page_end(resp);
}

static int oncall_ui_ack(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	int64_t id;
	if (vg_id_parse(http_param(req, "id"), "page id", &id, &err) ||
	    oncall_ack(req->db, id, req->who.name, &err)) {
		ui_page_begin(req, resp, "On call", "");
		resp->status = vg_code_http_status(err.code);
		html(&resp->body,
		     "<p class=\"error\" role=\"alert\">%s</p><p><a "
		     "href=\"/ui/oncall\">Back</a></p>",
		     vg_error_msg(&err));
		return ui_page_end(resp);
	}
	return http_redirect(resp, "/ui/oncall");
}

static void watches_section(struct vg_buf *b, const struct stwatch_list *w)
{
	char t1[VG_TIME_BUFSZ], t2[VG_TIME_BUFSZ];
	html_raw(b, "<h2>security.txt</h2>");
	for (size_t i = 0; i < w->n; i++) {
		const struct stwatch_entry *r = &w->v[i];
		html(b,
		     "<section class=\"card watch\"><h3>%s</h3><table><thead><tr><th>checked</th>"
		     "<th>status</th><th>errors</th><th>warnings</th><th>expires</th></tr></thead>"
		     "<tbody>",
		     str(r->url));
		for (size_t j = 0; j < r->nchecks; j++) {
			const struct stwatch_check *c = &r->checks[j];
			html(b,
			     "<tr><td>%s</td><td class=\"status\">%s</td><td>%lld</td><td>%lld</td>"
			     "<td>%s</td></tr>",
			     tm(c->checked_at, t1), str(c->status), (long long)c->errors,
			     (long long)c->warnings, tm(c->expires_at, t2));
		}
		if (!r->nchecks)
			html_raw(b, "<tr><td colspan=\"5\">Not checked yet.</td></tr>");
		html_raw(b, "</tbody></table></section>");
	}
	if (!w->n)
		html_raw(b, "<p>No watched security.txt (vigil securitytxt watch add URL).</p>");
}

static void probes_table(struct vg_buf *b, const struct stprobe_list *probes)
{
	char t1[VG_TIME_BUFSZ], t2[VG_TIME_BUFSZ];
	html_raw(b, "<h2>Contact probes</h2><table id=\"probes\"><thead><tr><th>contact</th>"
		    "<th>status</th><th>sent</th><th>confirmed</th></tr></thead><tbody>");
	for (size_t i = 0; i < probes->n; i++) {
		const struct stprobe *r = &probes->v[i];
		html(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", str(r->contact),
		     str(r->status), tm(r->sent_at, t1), tm(r->confirmed_at, t2));
	}
	html_raw(b, "</tbody></table>");
}

/* The PSIRT key and the recorded keys. The key page does not fetch the
 * Encryption URI: a slow server must not slow this page; `vigil pgp
 * status` and the API do. */
static void key_section(struct http_req *req, struct vg_buf *b, struct vg_arena *mem)
{
	struct vg_error kerr = {0};
	struct pgp_key_status k;
	struct pgp_key_list keys;
	char t[VG_TIME_BUFSZ];

	html_raw(b, "<h2>PSIRT OpenPGP key</h2>");
	if (pgp_status(req->db, "", NULL, mem, &k, &kerr) == VG_OK) {
		html(
		    b,
		    "<dl class=\"card\" id=\"pgp-key\"><dt>fingerprint</dt><dd><code>%s</code></dd>"
		    "<dt>algorithm</dt><dd>%s, %u bits",
		    k.fingerprint, k.algorithm, k.bits);
		if (k.weak)
			html_raw(b, " <strong>weak</strong>");
		html(b, "</dd><dt>expires</dt><dd>%s",
		     k.expires ? vg_time_format(k.expires, t, sizeof(t)) : "never");
		if (k.expiring)
			html_raw(b, " <strong>within 60 days</strong>");
		html_raw(b, "</dd></dl>");
	} else {
		html(b, "<p class=\"error\">%s</p>", vg_error_msg(&kerr));
	}
	vg_error_clear(&kerr);
	if (pgp_keys(req->db, mem, &keys, &kerr) == VG_OK && keys.n) {
		html_raw(b, "<table id=\"pgp-keys\"><thead><tr><th>fingerprint</th><th>state</th>"
			    "<th>algorithm</th><th>expires</th><th>cross-signed</th>"
			    "<th>published</th></tr></thead><tbody>");
		for (size_t i = 0; i < keys.n; i++) {
			const struct pgp_key *r = &keys.v[i];
			char t2[VG_TIME_BUFSZ];
			html(b,
			     "<tr><td><code>%s</code></td><td>%s</td><td>%lld bits</td><td>%s</td>"
			     "<td>%s</td><td>%s</td></tr>",
			     str(r->fingerprint), str(r->state),
			     (long long)(r->bits > 0 ? r->bits : 0), tm(r->expires_at, t),
			     r->cross_signed ? "yes" : "", tm(r->published_at, t2));
		}
		html_raw(b, "</tbody></table>");
	} else {
		html_raw(b, "<p>No key rotation recorded yet; <code>vigil pgp status</code> shows "
			    "the key in use.</p>");
	}
}

static int reach_ui(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct stwatch_list w;
	struct stprobe_list probes;

	vg_arena_init(&mem, 0);
	if (stwatch_list(req->db, 10, &mem, &w, &err) ||
	    stprobe_list(req->db, &mem, &probes, &err)) {
		vg_arena_release(&mem);
		return error_page(req, resp, "Reachability", &err);
	}
	ui_page_begin(req, resp, "Reachability", "");
	if (req->who.role & (ROLE_ADMIN | ROLE_PSIRT))
		html_raw(&resp->body, "<p><a href=\"/ui/securitytxt\" id=\"st-setup-link\">Set up "
				      "and publish our security.txt</a></p>");
	watches_section(&resp->body, &w);
	probes_table(&resp->body, &probes);
	key_section(req, &resp->body, &mem);
	vg_arena_release(&mem);
	return ui_page_end(resp);
}

/* GET /.well-known/security.txt: the published file (RFC 9116 3), made on
 * first use when the job has not run yet or the file expired. */
static int securitytxt_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct stpublish_record rec;
	char *body = NULL;
	int changed = 0, rc;

	rc = stpublish_current(req->db, &body, &rec, &err);
	if (!rc && (!rec.expires_at || rec.expires_at <= vg_now())) {
		free(body);
		body = NULL;
		rc = VG_ENOTFOUND;
	}
	if (rc) {
		vg_error_clear(&err);
		if (stpublish_refresh(req->db, 0, &changed, &err) ||
		    stpublish_current(req->db, &body, NULL, &err)) {
			vg_warn("security.txt: %s", vg_error_msg(&err));
			static const char none[] = "No security.txt is published here.\n";
			return http_text(resp, 404, "text/plain; charset=utf-8", none,
					 sizeof(none) - 1);
		}
	}
	http_set_header(resp, "Cache-Control", "max-age=3600");
	rc = http_text(resp, 200, "text/plain; charset=utf-8", body, strlen(body));
	free(body);
	return rc;
}

/* GET /security.txt: the legacy location redirects (RFC 9116 3). */
static int securitytxt_legacy(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	http_redirect(resp, "/.well-known/security.txt");
	resp->status = 301;
	return VG_OK;
}

/* GET /api/v1/securitytxt/published: the record of the published file. */
static int api_published(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct stpublish_record rec;
	if (stpublish_current(req->db, NULL, &rec, &err))
		return http_fail(resp, &err);
	return http_json(resp, 200, stpublish_record_to_json(&rec));
}

/* clang-format off */
const struct http_route oncall_routes[] = {
    {"GET", "/api/v1/oncall/who", ROLE_READ, 0, api_who, "Who is on call now, per rotation", "psirt"},
    {"GET", "/api/v1/oncall/pages", ROLE_READ, 0, api_pages, "Pages, newest first", "psirt"},
    {"POST", "/api/v1/oncall/pages", ROLE_ADMIN | ROLE_PSIRT, 0, api_page_open, "Page the on-call (summary, severity, policy)", "psirt"},
    {"GET", "/api/v1/oncall/pages/{id}", ROLE_READ, 0, api_page, "One page with its notifications", "psirt"},
    {"POST", "/api/v1/oncall/pages/{id}/ack", ROLE_ADMIN | ROLE_PSIRT, 0, api_ack, "Acknowledge a page", "psirt"},
    {"GET", "/api/v1/oncall/drills", ROLE_READ, 0, api_drills, "On-call drills and their results", "psirt"},
    {"GET", "/api/v1/securitytxt/watches", ROLE_READ, 0, api_watches, "Watched security.txt URLs and their checks", "psirt"},
    {"GET", "/api/v1/pgp/status", ROLE_READ, 0, api_pgp, "The PSIRT OpenPGP key status", "psirt"},
    {"GET", "/oncall/ack/{token}", ROLE_PUBLIC, HTTP_UI, ack_get, "Acknowledgement link: confirm page", "psirt"},
    {"POST", "/oncall/ack/{token}", ROLE_PUBLIC, HTTP_UI | HTTP_NO_CSRF, ack_post, "Acknowledgement link: acknowledge", "psirt"},
    {"GET", "/ui/oncall", ROLE_READ, HTTP_UI, oncall_ui, "On-call page: rota, pages, drills", "ui"},
    {"POST", "/ui/oncall/pages/{id}/ack", ROLE_ADMIN | ROLE_PSIRT, HTTP_UI, oncall_ui_ack, "Acknowledge a page (form)", "ui"},
    {"GET", "/.well-known/security.txt", ROLE_PUBLIC, HTTP_PUBLIC_FACE, securitytxt_get, "The published security.txt (RFC 9116)", "psirt"},
    {"GET", "/security.txt", ROLE_PUBLIC, HTTP_HIDDEN | HTTP_PUBLIC_FACE, securitytxt_legacy, "Legacy location: redirects to /.well-known/security.txt", "psirt"},
    {"GET", "/api/v1/securitytxt/published", ROLE_READ, 0, api_published, "The published security.txt's record (hash, expiry, signer)", "psirt"},
    {"GET", "/ui/reachability", ROLE_READ, HTTP_UI, reach_ui, "security.txt checks, contact probes, PSIRT key", "ui"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
/* clang-format on */
