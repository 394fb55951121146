/*
 * api.c - the notifier's HTTP routes: channels (secrets masked), rules and
 * the delivery log.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/arena.h"
#include "core/error.h"
#include "http/http.h"
#include "notify/notify.h"

#include "core/banned.h"

static int channels(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct notify_channel_list l;
	json_t *rows = NULL;
	int rc;

	vg_arena_init(&mem, 0);
	rc = notify_channels(req->db, &mem, &l, &err);
	if (!rc)
		rows = notify_channel_list_to_json(&l);
	vg_arena_release(&mem);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "channels", rows));
}

static int rules(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct notify_rule_list l;
	json_t *rows = NULL;
	int rc;

	vg_arena_init(&mem, 0);
	rc = notify_rules(req->db, &mem, &l, &err);
	if (!rc)
		rows = notify_rule_list_to_json(&l);
	vg_arena_release(&mem);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "rules", rows));
}

static int log_route(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct notify_delivery_list l;
	json_t *rows = NULL;
	int64_t limit;
	int rc;

	if ((rc = http_query_int(req, resp, "limit", 1, 1000, 100, &limit)))
		return rc;
	vg_arena_init(&mem, 0);
	rc = notify_log(req->db, limit, &mem, &l, &err);
	if (!rc)
		rows = notify_delivery_list_to_json(&l);
	vg_arena_release(&mem);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:o}", "deliveries", rows));
}

static int add_channel(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b = http_body_json(req, resp);
	int rc;
	if (!b)
		return VG_EPARSE;
	rc = notify_channel_add(req->db, vg_json_str(b, "name"), vg_json_str(b, "kind"),
				json_object_get(b, "config"), &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 201, json_pack("{s:b}", "created", 1));
}

static int add_rule(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *b = http_body_json(req, resp);
	int rc;
	if (!b)
		return VG_EPARSE;
	rc = notify_rule_add(req->db, vg_json_str(b, "event"), vg_json_str(b, "min_severity"),
			     vg_json_str(b, "channel"), &err);
	json_decref(b);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 201, json_pack("{s:b}", "created", 1));
}

const struct http_route notify_routes[] = {
    {"GET", "/api/v1/notify/channels", ROLE_READ, 0, channels,
     "Notification channels (secrets masked)", "notify"},
    {"POST", "/api/v1/notify/channels", ROLE_ADMIN, 0, add_channel,
     "Add a channel {name, kind, config}", "notify"},
    {"GET", "/api/v1/notify/rules", ROLE_READ, 0, rules, "Notification rules", "notify"},
    {"POST", "/api/v1/notify/rules", ROLE_ADMIN | ROLE_PSIRT, 0, add_rule,
     "Add a rule {event, min_severity, channel}", "notify"},
    {"GET", "/api/v1/notify/log", ROLE_READ, 0, log_route, "The delivery log (limit)", "notify"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
