/*
 * log_api.c - POST /api/v1/logs (JSON lines, token role ingest) and
 * GET /api/v1/logs (the query of logs.h), and the jobs of the log store.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "evidence/log_api.h"
#include "evidence/log_parse.h"
#include "evidence/logs.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static atomic_int inflight;
static atomic_llong refused_busy;

int64_t logs_api_refused_busy(void)
{
	return (int64_t)atomic_load(&refused_busy);
}

static int busy(struct http_resp *resp, const char *why)
{
	atomic_fetch_add(&refused_busy, 1);
	http_set_header(resp, "Retry-After", "1");
	return http_error_status(resp, 503, "busy",
				 "the log store cannot keep up (%s): nothing of this request was "
				 "stored, send it again",
				 why);
}

static int logs_post(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct vg_arena mem;
	struct log_event *ev = NULL;
	size_t n = 0, cap = 0;
	const char *p = req->body.data, *end = req->body.data + req->body.len;
	int64_t now = vg_now(), line = 0;
	int64_t maxin = vg_config_int("logs.ingest_concurrency", 2);
	int rc = VG_OK;

	if (!p || !req->body.len)
		return http_error(resp, VG_EINVAL,
				  "request body: expected JSON lines, one event "
				  "a line");
	if (atomic_fetch_add(&inflight, 1) >= maxin) {
		atomic_fetch_sub(&inflight, 1);
		return busy(resp, "too many ingest requests at once");
	}
	vg_arena_init_block(&mem, 0, 1 << 20);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct log_event *g;
		line++;
		while (len && p[len - 1] == '\r')
			len--;
		if (!len) {
			p = nl ? nl + 1 : end;
			continue;
		}
		g = vg_arena_grow(&mem, ev, n, &cap, sizeof(*ev), 256);
		if (!g) {
			rc = vg_error_set(&err, VG_ENOMEM, "out of memory");
			break;
		}
		ev = g;
		rc = log_json_line(p, len, now, &ev[n], &mem, &err);
		if (rc) {
			vg_error_prefix(&err, "request body: line %" PRId64, line);
			if (rc != VG_ETOOBIG && rc != VG_ENOMEM)
				rc = err.code = VG_EINVAL;
			break;
		}
		n++;
		p = nl ? nl + 1 : end;
	}
	if (!rc)
		rc = logs_ingest(req->db, ev, n, &err);
	atomic_fetch_sub(&inflight, 1);
	vg_arena_release(&mem);
	if (rc == VG_ERATE)
		return busy(resp, err.msg);
	if (rc)
		return http_fail(resp, &err);
	return http_json(resp, 200, json_pack("{s:I}", "accepted", (json_int_t)n));
}

/* Time query parameter: absent 0, else RFC 3339; 400 naming it. */
int logs_query_time(struct http_req *req, struct http_resp *resp, const char *name, int64_t *out)
{
	const char *v = http_query(req, name);
	struct vg_error e = {0};
	*out = 0;
	if (!v || !*v)
		return VG_OK;
	if (vg_time_parse(v, out, &e)) {
		http_error(resp, VG_EINVAL,
			   "query parameter %s '%.64s': expected an RFC 3339 time "
			   "or a date (2026-09-11)",
			   name, v);
		return VG_EINVAL;
	}
	return VG_OK;
}

int logs_filter_from_query(struct http_req *req, struct http_resp *resp, struct logs_filter *f)
{
	int rc;
	memset(f, 0, sizeof(*f));
	if ((rc = logs_query_time(req, resp, "since", &f->since)) ||
	    (rc = logs_query_time(req, resp, "until", &f->until)) ||
	    (rc = http_query_int(req, resp, "limit", 1, LOGS_QUERY_LIMIT_MAX, 100, &f->limit)) ||
	    (rc = http_query_int(req, resp, "offset", 0, 10000000, 0, &f->offset)))
		return rc;
	f->product = http_query(req, "product");
	f->version = http_query(req, "version");
	f->source = http_query(req, "source");
	f->grep = http_query(req, "grep");
	if (f->since && f->until && f->until < f->since) {
		http_error(resp, VG_EINVAL, "query parameter until: before since");
		return VG_EINVAL;
	}
	return VG_OK;
}

static int to_array(const struct log_event *ev, void *arg)
{
	json_array_append_new(arg, logs_event_to_json(ev));
	return 0;
}

static int logs_get(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	struct logs_filter f;
	struct logs_query_stats st;
	json_t *arr;
	int rc = logs_filter_from_query(req, resp, &f);
	if (rc)
		return rc;
	arr = json_array();
	if (logs_query(req->db, &f, to_array, arr, &st, &err)) {
		json_decref(arr);
		return http_fail(resp, &err);
	}
	return http_json(resp, 200,
			 json_pack("{s:o, s:I, s:I, s:I}", "events", arr, "blocks_read",
				   (json_int_t)st.blocks_read, "events_scanned",
				   (json_int_t)st.events_scanned, "matched",
				   (json_int_t)st.matched));
}

/* ---- jobs ---- */

static int job_seal(struct store *s, struct vg_error *err)
{
	struct logs_seal_result r;
	int rc = logs_seal(s, 0, &r, err);
	if (!rc && r.segments)
		vg_info("logs: sealed %" PRId64 " segments (%" PRId64 " events)", r.segments,
			r.events);
	return rc;
}

static int job_expire(struct store *s, struct vg_error *err)
{
	int64_t n = 0;
	int rc = logs_expire(s, &n, err);
	if (!rc && n)
		vg_info("logs: %" PRId64 " segments past retention deleted", n);
	return rc;
}

static int job_audit(struct store *s, struct vg_error *err)
{
	return logs_audit_copy(s, NULL, err);
}

const struct vg_job logs_jobs[] = {
    {"logs.audit", 10, job_audit, NULL},
    {"logs.seal", 60, job_seal, NULL},
    {"logs.expire", 3600, job_expire, NULL},
    {NULL, 0, NULL, NULL},
};

const struct vg_job logs_jobs_every_server[] = {
    {"logs.flush", 5, logs_own_flush, NULL},
    {NULL, 0, NULL, NULL},
};

extern int logs_ui_page(struct http_req *req, struct http_resp *resp);

const struct http_route logs_routes[] = {
    {"POST", "/api/v1/logs", ROLE_INGEST | ROLE_ADMIN, HTTP_BODY_LOG2(24), logs_post,
     "store log events: JSON lines (time, source, message; product, version, host, any "
     "other fields kept); 503 when the store cannot keep up",
     "logs"},
    {"GET", "/api/v1/logs", ROLE_READ, 0, logs_get,
     "find log events by since, until, product, version, source, grep (limit, offset)", "logs"},
    {"GET", "/ui/logs", ROLE_READ, HTTP_UI, logs_ui_page,
     "the logs: a histogram over time and the matching lines, paged", "logs"},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};
