/*
 * rollout.c - phased rollouts: create, the verbs, the leader's evaluation
 * (soak clock on the deadline engine, auto-advance, auto-halt), and the
 * in-memory snapshot of active rollouts the check-in reads.
 */
#define _GNU_SOURCE
#include "update/rollout.h"

#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/events.h"
#include "core/log.h"
#include "core/text.h"
#include "jobs/deadline.h"
#include "store/reader.h"
#include "store/store.h"
#include "update/release.h"
#include "update/tuf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

void rollout_list_release(struct rollout_list *l)
{
	if (!l)
		return;
	vg_arena_release(&l->mem);
	memset(l, 0, sizeof(*l));
}

static const char *const action_names[] = {NULL,      "start", "pause",   "resume",
					   "advance", "halt",  "rollback"};

int rollout_action_parse(const char *s)
{
	for (int i = 1; s && i <= ROLLOUT_ROLLBACK; i++)
		if (strcmp(s, action_names[i]) == 0)
			return i;
	return 0;
}

const char *rollout_action_name(int a)
{
	return a >= 1 && a <= ROLLOUT_ROLLBACK ? action_names[a] : "unknown";
}

/* Take the rollout's row lock at the start of a change, so that two
 * servers (or the leader's job and a person) deciding at once see each
 * other's result instead of both acting on the same state. A write: the
 * transaction must end with an audit record or be rolled back. */
static int lock_rollout(struct store *s, int64_t id, struct vg_error *err)
{
	return store_exec(s, err, "UPDATE rollouts SET updated_at = updated_at WHERE id = ?", "i",
			  id);
}

static int bump_epoch(struct store *s, struct vg_error *err)
{
	rollout_cache_invalidate();
	return rollout_epoch_bump(s, err);
}

int rollout_stages_parse(const char *s, int *out, int *n, struct vg_error *err)
{
	const char *p = s;
	*n = 0;
	if (!s || !*s)
		return vg_error_set(err, VG_EINVAL,
				    "--stages: expected percentages like 1,10,50,100");
	while (*p) {
		char *end;
		long v;
		if (*p < '0' || *p > '9')
			return vg_error_set(err, VG_EINVAL,
					    "--stages '%s' at byte %d: expected a whole percentage",
					    s, (int)(p - s) + 1);
		v = strtol(p, &end, 10);
		if (v < 1 || v > 100)
			return vg_error_set(err, VG_EINVAL,
					    "--stages '%s': %ld is not a percentage from 1 to 100",
					    s, v);
		if (*n >= ROLLOUT_MAX_STAGES)
			return vg_error_set(err, VG_EINVAL, "--stages '%s': at most %d stages", s,
					    ROLLOUT_MAX_STAGES);
		if (*n && v <= out[*n - 1])
			return vg_error_set(err, VG_EINVAL,
					    "--stages '%s': each stage must be larger than the one "
					    "before (%ld after %d)",
					    s, v, out[*n - 1]);
		out[(*n)++] = (int)v;
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return vg_error_set(err, VG_EINVAL,
					    "--stages '%s' at byte %d: expected ',' between stages",
					    s, (int)(p - s) + 1);
	}
	if (!*n)
		return vg_error_set(err, VG_EINVAL, "--stages: expected at least one stage");
	return VG_OK;
}

int rollout_create(struct store *s, const struct rollout_create_req *r, int64_t *id,
		   struct vg_error *err)
{
	int stages[ROLLOUT_MAX_STAGES], n = 0, rc;
	int64_t rel = 0, pid = 0, prev = 0, published = 0, now = vg_now();
	char *product = NULL, *channel = NULL;

	*id = 0;
	if ((rc = rollout_stages_parse(r->stages, stages, &n, err)))
		return rc;
	if (r->success_min < 0 || r->success_min > 100)
		return vg_error_set(err, VG_EINVAL, "--success-min %lld: expected 0 to 100",
				    (long long)r->success_min);
	if (r->max_failure < 0 || r->max_failure > 100)
		return vg_error_set(err, VG_EINVAL, "--max-failure %lld: expected 0 to 100",
				    (long long)r->max_failure);
	if (r->min_sample < 1)
		return vg_error_set(err, VG_EINVAL, "--min-sample %lld: expected 1 or more",
				    (long long)r->min_sample);
	if (r->soak < 0)
		return vg_error_set(err, VG_EINVAL, "--soak: expected a duration like 24h");
	if (r->filter) {
		if (strncmp(r->filter, "channel=", 8) != 0 || !r->filter[8])
			return vg_error_set(err, VG_EINVAL, "--filter '%s': expected channel=NAME",
					    r->filter);
		if ((rc = vg_text_check("--filter channel", r->filter + 8, 64, 0, 1, err)))
			return rc;
		channel = (char *)r->filter + 8;
	}
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = release_resolve(s, r->release, &rel, err);
	if (!rc)
		rc = store_query_int64(s, &published, err,
				       "SELECT published_at FROM releases WHERE id = ?", "i", rel);
	if (!rc && !published)
		rc = vg_error_set(err, VG_ESTATE,
				  "release %s is not published: publish it first (vigil release "
				  "publish)",
				  r->release);
	if (!rc)
		rc = store_query_text(s, &product, err, "SELECT product FROM releases WHERE id = ?",
				      "i", rel);
	if (!rc)
		rc = store_query_int64(s, &pid, err,
				       "SELECT product_id FROM sbom_product_view WHERE product = ?",
				       "t", product);
	if (!rc) {
		/* the release it replaces: the newest published before it */
		int x =
		    store_query_int64(s, &prev, err,
				      "SELECT id FROM releases WHERE product = ? AND id <> ? AND "
				      "published_at > 0 AND published_at <= ? AND yanked_at = 0 "
				      "ORDER BY published_at DESC, id DESC LIMIT 1",
				      "tii", product, rel, published);
		if (x == VG_ENOTFOUND) {
			prev = 0;
			vg_error_clear(err);
		} else {
			rc = x;
		}
	}
	if (!rc) {
		char list[128] = "";
		size_t off = 0;
		for (int i = 0; i < n; i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%d",
						i ? "," : "", stages[i]);
		rc = store_exec(
		    s, err,
		    "INSERT INTO rollouts (release_id, product_id, stages, nstages, soak, "
		    "success_min, max_failure, min_sample, filter_channel, state, stage, "
		    "stage_started_at, previous_release_id, created_at, created_by, "
		    "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', 0, "
		    "0, ?, ?, ?, ?, ?)",
		    "iitiiiiitiitit", rel, pid, list, (int64_t)n, r->soak, r->success_min,
		    r->max_failure, r->min_sample, channel, prev ? prev : 0, now, store_actor(s),
		    now, store_actor(s));
		if (!rc)
			rc = store_query_int64(s, id, err,
					       "SELECT MAX(id) FROM rollouts WHERE release_id = ?",
					       "i", rel);
		for (int i = 0; !rc && i < n; i++)
			rc = store_exec(
			    s, err,
			    "INSERT INTO rollout_stages (rollout_id, idx, percent) VALUES "
			    "(?, ?, ?)",
			    "iii", *id, (int64_t)i, (int64_t)stages[i]);
		if (!rc) {
			char oid[32];
			json_t *after = json_pack(
			    "{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s?, s:o}", "release", r->release,
			    "product", product, "stages", list, "soak", (json_int_t)r->soak,
			    "success_min", (json_int_t)r->success_min, "max_failure",
			    (json_int_t)r->max_failure, "min_sample", (json_int_t)r->min_sample,
			    "filter", r->filter, "previous_release",
			    prev ? json_integer(prev) : json_null());
			snprintf(oid, sizeof(oid), "%lld", (long long)*id);
			rc = store_audit(s, "rollout.create", "rollout", oid, NULL, after, err);
			json_decref(after);
		}
	}
	free(product);
	rc = store_tx_end(s, rc, err);
	if (rc)
		*id = 0;
	return rc;
}

/* ---- reading ---- */

#define RO_COLS                                                                             \
	"r.id, r.release_id, rel.product, rel.version, r.product_id, r.stages, r.nstages, " \
	"r.soak, r.success_min, r.max_failure, r.min_sample, r.filter_channel, r.state, "   \
	"r.stage, r.stage_started_at, COALESCE(r.previous_release_id, 0), pr.version, "     \
	"r.reason, r.created_at, r.created_by, r.updated_at, r.updated_by FROM rollouts r " \
	"JOIN releases rel ON rel.id = r.release_id LEFT JOIN releases pr ON pr.id = "      \
	"r.previous_release_id "

static int read_rollouts(struct store_stmt *st, struct rollout_list *out, struct vg_error *err)
{
	struct store_reader r = {st, &out->mem, 0};
	struct rollout *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		const char *stages;
		struct rollout *x;
		if (!(v = store_reader_grow(&r, v, n, &cap, sizeof(*v))))
			break;
		x = &v[n];
		memset(x, 0, sizeof(*x));
		x->id = store_reader_int(&r, 0, 0);
		x->release_id = store_reader_int(&r, 1, 0);
		x->product = store_reader_str(&r, 2);
		x->version = store_reader_str(&r, 3);
		x->product_id = store_reader_int(&r, 4, 0);
		stages = store_col_text(st, 5);
		for (const char *p = stages; p && *p && x->nstages < ROLLOUT_MAX_STAGES;) {
			char *end;
			x->stages[x->nstages++] = (int)strtol(p, &end, 10);
			p = *end == ',' ? end + 1 : end;
			if (end == p && !*end)
				break;
		}
		x->soak = store_reader_int(&r, 7, 0);
		x->success_min = (int)store_reader_int(&r, 8, 0);
		x->max_failure = (int)store_reader_int(&r, 9, 0);
		x->min_sample = store_reader_int(&r, 10, 1);
		x->filter_channel = store_reader_str(&r, 11);
		x->state = store_reader_str(&r, 12);
		x->stage = (int)store_reader_int(&r, 13, 0);
		x->stage_started_at = store_reader_int(&r, 14, 0);
		x->previous_release_id = store_reader_int(&r, 15, 0);
		x->previous_version = store_reader_str(&r, 16);
		x->reason = store_reader_str(&r, 17);
		x->created_at = store_reader_int(&r, 18, 0);
		x->created_by = store_reader_str(&r, 19);
		x->updated_at = store_reader_int(&r, 20, 0);
		x->updated_by = store_reader_str(&r, 21);
		n++;
	}
	rc = store_reader_done(&r, rc, err);
	out->items = v;
	out->n = n;
	return rc;
}

int rollout_list(struct store *s, const char *product, struct rollout_list *out,
		 struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	rc = store_prepare(s,
			   "SELECT " RO_COLS
			   "WHERE (CAST(? AS TEXT) IS NULL OR rel.product = ?) ORDER BY r.id DESC",
			   &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, product);
	store_bind_text(st, 2, product);
	rc = read_rollouts(st, out, err);
	if (rc)
		rollout_list_release(out);
	return rc;
}

/* Devices of the rollout's product and filter with cohort in [lo, hi). */
static int count_band(struct store *s, const struct rollout *r, int lo, int hi, int64_t *n,
		      struct vg_error *err)
{
	return store_query_int64(
	    s, n, err,
	    "SELECT COUNT(*) FROM devices WHERE product_id = ? AND cohort >= ? "
	    "AND cohort < ? AND COALESCE(revoked_at, 0) = 0 AND (CAST(? AS TEXT) IS NULL OR "
	    "channel = ?)",
	    "iiitt", r->product_id, (int64_t)lo, (int64_t)hi, r->filter_channel, r->filter_channel);
}

static int load_stages(struct store *s, struct rollout_list *l, struct rollout *r,
		       struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	r->stage_info = vg_arena_array(&l->mem, (size_t)r->nstages, sizeof(*r->stage_info));
	if (!r->stage_info)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	memset(r->stage_info, 0, sizeof(*r->stage_info) * (size_t)r->nstages);
	rc = store_prepare(s,
			   "SELECT idx, percent, started_at, due_at, soaked_at, ended_at FROM "
			   "rollout_stages WHERE rollout_id = ? ORDER BY idx",
			   &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, r->id);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		int i = (int)store_col_int64(st, 0);
		if (i < 0 || i >= r->nstages)
			continue;
		r->stage_info[i].idx = i;
		r->stage_info[i].percent = (int)store_col_int64(st, 1);
		r->stage_info[i].started_at = store_col_int64(st, 2);
		r->stage_info[i].due_at = store_col_int64(st, 3);
		r->stage_info[i].soaked_at = store_col_int64(st, 4);
		r->stage_info[i].ended_at = store_col_int64(st, 5);
	}
	store_finalize(st);
	if (rc != STORE_DONE)
		return rc;
	for (int i = 0; i < r->nstages; i++) {
		struct rollout_stage *g = &r->stage_info[i];
		int lo = i ? r->stages[i - 1] * 100 : 0, hi = r->stages[i] * 100;
		if ((rc = count_band(s, r, lo, hi, &g->devices, err)))
			return rc;
		/* offered: the devices of the band the rollout really answered
		 * "install" (written by the servers' flush, and by status reports) */
		if ((rc = store_query_int64(
			 s, &g->offered, err,
			 "SELECT COUNT(*) FROM rollout_offers o JOIN devices d ON d.id = "
			 "o.device_id WHERE o.rollout_id = ? AND d.cohort >= ? AND d.cohort < ?",
			 "iii", r->id, (int64_t)lo, (int64_t)hi)))
			return rc;
		rc = store_prepare(
		    s,
		    "SELECT rd.state, COUNT(*) FROM rollout_devices rd JOIN devices d "
		    "ON d.id = rd.device_id WHERE rd.rollout_id = ? AND d.cohort >= ? "
		    "AND d.cohort < ? GROUP BY rd.state",
		    &st, err);
		if (rc)
			return rc;
		store_bind_int64(st, 1, r->id);
		store_bind_int64(st, 2, lo);
		store_bind_int64(st, 3, hi);
		while ((rc = store_step(st, err)) == STORE_ROW) {
			const char *k = store_col_text(st, 0);
			int64_t c = store_col_int64(st, 1);
			if (strcmp(k, "downloading") == 0)
				g->downloading = c;
			else if (strcmp(k, "installing") == 0)
				g->installing = c;
			else if (strcmp(k, "installed") == 0)
				g->installed = c;
			else if (strcmp(k, "failed") == 0)
				g->failed = c;
		}
		store_finalize(st);
		if (rc != STORE_DONE)
			return rc;
	}
	return VG_OK;
}

int rollout_get(struct store *s, int64_t id, struct rollout_list *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	rc = store_prepare(s, "SELECT " RO_COLS "WHERE r.id = ?", &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = read_rollouts(st, out, err);
	if (!rc && !out->n)
		rc = vg_error_set(err, VG_ENOTFOUND, "rollout %lld not found", (long long)id);
	if (!rc)
		rc = load_stages(s, out, &out->items[0], err);
	if (rc)
		rollout_list_release(out);
	return rc;
}

json_t *rollout_to_json(const struct rollout *r)
{
	json_t *st = json_array(), *o;
	for (int i = 0; i < r->nstages; i++) {
		json_t *g;
		if (!r->stage_info) {
			json_array_append_new(st, json_integer(r->stages[i]));
			continue;
		}
		g = json_pack(
		    "{s:i, s:i, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "index", i,
		    "percent", r->stages[i], "started_at",
		    r->stage_info[i].started_at ? vg_json_time(r->stage_info[i].started_at)
						: json_null(),
		    "due_at",
		    r->stage_info[i].due_at ? vg_json_time(r->stage_info[i].due_at) : json_null(),
		    "soaked_at",
		    r->stage_info[i].soaked_at ? vg_json_time(r->stage_info[i].soaked_at)
					       : json_null(),
		    "ended_at",
		    r->stage_info[i].ended_at ? vg_json_time(r->stage_info[i].ended_at)
					      : json_null(),
		    "devices", (json_int_t)r->stage_info[i].devices, "offered",
		    (json_int_t)r->stage_info[i].offered, "downloading",
		    (json_int_t)r->stage_info[i].downloading, "installing",
		    (json_int_t)r->stage_info[i].installing, "installed",
		    (json_int_t)r->stage_info[i].installed, "failed",
		    (json_int_t)r->stage_info[i].failed);
		json_array_append_new(st, g);
	}
	o = json_pack(
	    "{s:I, s:I, s:s, s:s, s:o, s:I, s:i, s:i, s:I, s:o, s:s, s:i, s:i, s:o, "
	    "s:o, s:o, s:o, s:o, s:s, s:o, s:s}",
	    "id", (json_int_t)r->id, "release_id", (json_int_t)r->release_id, "product",
	    r->product ? r->product : "", "version", r->version ? r->version : "", "stages", st,
	    "soak", (json_int_t)r->soak, "success_min", r->success_min, "max_failure",
	    r->max_failure, "min_sample", (json_int_t)r->min_sample, "filter",
	    r->filter_channel ? json_pack("{s:s}", "channel", r->filter_channel) : json_null(),
	    "state", r->state ? r->state : "", "stage", r->stage, "percent",
	    r->nstages ? r->stages[r->stage < r->nstages ? r->stage : r->nstages - 1] : 0,
	    "stage_started_at",
	    r->stage_started_at ? vg_json_time(r->stage_started_at) : json_null(),
	    "previous_release",
	    r->previous_release_id ? json_integer(r->previous_release_id) : json_null(),
	    "previous_version", vg_json_text(r->previous_version), "reason",
	    vg_json_text(r->reason), "created_at", vg_json_time(r->created_at), "created_by",
	    r->created_by ? r->created_by : "", "updated_at", vg_json_time(r->updated_at),
	    "updated_by", r->updated_by ? r->updated_by : "");
	return o;
}

/* ---- actions ---- */

static int start_stage(struct store *s, const struct rollout *r, int idx, int64_t now,
		       struct vg_error *err)
{
	int rc =
	    store_exec(s, err,
		       "UPDATE rollout_stages SET ended_at = ? WHERE rollout_id = ? AND idx < ? "
		       "AND ended_at = 0",
		       "iii", now, r->id, (int64_t)idx);
	if (!rc)
		rc = store_exec(
		    s, err,
		    "UPDATE rollout_stages SET started_at = ?, due_at = ?, soaked_at = 0, "
		    "ended_at = 0 WHERE rollout_id = ? AND idx = ?",
		    "iiii", now, now + r->soak, r->id, (int64_t)idx);
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE rollouts SET stage_window = stage_window + 1 WHERE id = ?",
				"i", r->id);
	return rc;
}

static int set_state(struct store *s, const struct rollout *r, const char *state, int stage,
		     int64_t started, const char *reason, int64_t now, struct vg_error *err)
{
	return store_exec(
	    s, err,
	    "UPDATE rollouts SET state = ?, stage = ?, stage_started_at = ?, reason = "
	    "?, updated_at = ?, updated_by = ? WHERE id = ?",
	    "tiititi", state, (int64_t)stage, started, reason, now, store_actor(s), r->id);
}

static int audit_action(struct store *s, const struct rollout *r, const char *action,
			const char *from, const char *to, int stage_from, int stage_to,
			const char *reason, struct vg_error *err)
{
	char oid[32], name[48];
	json_t *before = json_pack("{s:s, s:i, s:i}", "state", from, "stage", stage_from, "percent",
				   r->stages[stage_from]);
	json_t *after = json_pack("{s:s, s:i, s:i, s:s?, s:s, s:s}", "state", to, "stage", stage_to,
				  "percent", r->stages[stage_to], "reason", reason, "product",
				  r->product, "version", r->version);
	int rc;
	snprintf(oid, sizeof(oid), "%lld", (long long)r->id);
	snprintf(name, sizeof(name), "rollout.%s", action);
	rc = store_audit(s, name, "rollout", oid, before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

static json_t *halt_payload(const struct rollout *r, const char *reason, const char *who,
			    int automatic)
{
	char summary[700], dedup[64];
	snprintf(summary, sizeof(summary), "Rollout %lld of %s %s %s at stage %d (%d %%): %s",
		 (long long)r->id, r->product, r->version,
		 automatic ? "halted automatically" : "halted", r->stage + 1, r->stages[r->stage],
		 reason ? reason : "");
	snprintf(dedup, sizeof(dedup), "rollout-%lld-halt", (long long)r->id);
	return json_pack("{s:s, s:I, s:s, s:s, s:i, s:i, s:s?, s:s, s:b, s:s, s:s, s:s}", "event",
			 ROLLOUT_EVENT_HALTED, "rollout_id", (json_int_t)r->id, "product",
			 r->product, "version", r->version, "stage", r->stage + 1, "percent",
			 r->stages[r->stage], "reason", reason, "by", who ? who : "", "automatic",
			 automatic, "severity", "critical", "summary", summary, "dedup_key", dedup);
}

/* The rollback: the previous release's artifacts as new TUF target
 * versions, the state changed inside the same transaction. */
struct rb_ctx {
	const struct rollout *r;
	const char *reason;
	int64_t now;
};

static int rb_inside(struct store *s, int64_t version, void *arg, struct vg_error *err)
{
	struct rb_ctx *c = arg;
	int rc = set_state(s, c->r, "rolled_back", c->r->stage, c->r->stage_started_at, c->reason,
			   c->now, err);
	if (!rc)
		rc = bump_epoch(s, err);
	if (!rc) {
		char oid[32];
		json_t *after = json_pack(
		    "{s:s, s:s?, s:s, s:s, s:s?, s:I, s:I}", "state", "rolled_back", "reason",
		    c->reason, "product", c->r->product, "version", c->r->version,
		    "previous_version", c->r->previous_version, "previous_release",
		    (json_int_t)c->r->previous_release_id, "tuf_version", (json_int_t)version);
		json_t *before =
		    json_pack("{s:s, s:i}", "state", c->r->state, "stage", c->r->stage);
		snprintf(oid, sizeof(oid), "%lld", (long long)c->r->id);
		rc = store_audit(s, "rollout.rollback", "rollout", oid, before, after, err);
		json_decref(after);
		json_decref(before);
	}
	return rc;
}

static int do_rollback(struct store *s, const struct rollout *r, const char *reason,
		       struct vg_error *err)
{
	struct release_detail d;
	struct update_tuf_target *t;
	struct rb_ctx c = {r, reason, vg_now()};
	int rc;

	if (!r->previous_release_id)
		return vg_error_set(err, VG_ESTATE,
				    "rollout %lld: %s has no earlier published release to roll "
				    "back to",
				    (long long)r->id, r->product);
	rc = release_get(s, r->previous_release_id, &d, err);
	if (rc)
		return rc;
	if (!d.n) {
		release_detail_release(&d);
		return vg_error_set(err, VG_ESTATE, "rollout %lld: release %s %s has no artifacts",
				    (long long)r->id, r->product, r->previous_version);
	}
	t = calloc(d.n, sizeof(*t));
	if (!t) {
		release_detail_release(&d);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < d.n; i++) {
		t[i].name = d.artifacts[i].name;
		t[i].sha256 = d.artifacts[i].sha256;
		t[i].length = (size_t)d.artifacts[i].size;
	}
	rc = update_tuf_add_targets_then(s, r->product, t, d.n, rb_inside, &c, NULL, err);
	free(t);
	release_detail_release(&d);
	return rc;
}

static int act_locked(struct store *s, struct rollout *r, int action, const char *reason,
		      const char *who, int automatic, int *halted, struct vg_error *err)
{
	int64_t now = vg_now();
	const char *st = r->state;
	int rc;

	(void)who;
	(void)automatic;
	switch (action) {
	case ROLLOUT_START: {
		int64_t other = 0;
		if (strcmp(st, "draft") != 0)
			return vg_error_set(err, VG_ESTATE,
					    "rollout %lld is %s: only a draft can be started",
					    (long long)r->id, st);
		rc = store_query_int64(
		    s, &other, err,
		    "SELECT COUNT(*) FROM rollouts WHERE product_id = ? AND id <> "
		    "? AND state IN ('running', 'paused')",
		    "ii", r->product_id, r->id);
		if (!rc && other)
			rc = vg_error_set(err, VG_ESTATE,
					  "rollout %lld: another rollout of %s is running; pause, "
					  "halt or finish it first",
					  (long long)r->id, r->product);
		if (!rc)
			rc = start_stage(s, r, 0, now, err);
		if (!rc)
			rc = set_state(s, r, "running", 0, now, reason, now, err);
		if (!rc)
			rc = audit_action(s, r, "start", st, "running", 0, 0, reason, err);
		break;
	}
	case ROLLOUT_PAUSE:
		if (strcmp(st, "running") != 0)
			return vg_error_set(
			    err, VG_ESTATE,
			    "rollout %lld is %s: only a running rollout can be paused",
			    (long long)r->id, st);
		rc = set_state(s, r, "paused", r->stage, r->stage_started_at, reason, now, err);
		if (!rc)
			rc = audit_action(s, r, "pause", st, "paused", r->stage, r->stage, reason,
					  err);
		break;
	case ROLLOUT_RESUME:
		if (strcmp(st, "paused") != 0 && strcmp(st, "halted") != 0)
			return vg_error_set(
			    err, VG_ESTATE,
			    "rollout %lld is %s: only a paused or halted rollout can "
			    "be resumed",
			    (long long)r->id, st);
		/* after a halt the stage soaks again from now, and its failures are
		 * counted from now */
		if (strcmp(st, "halted") == 0) {
			rc = start_stage(s, r, r->stage, now, err);
			if (!rc)
				rc = set_state(s, r, "running", r->stage, now, reason, now, err);
		} else {
			rc = set_state(s, r, "running", r->stage, r->stage_started_at, reason, now,
				       err);
		}
		if (!rc)
			rc = audit_action(s, r, "resume", st, "running", r->stage, r->stage, reason,
					  err);
		break;
	case ROLLOUT_ADVANCE: {
		int next = r->stage + 1;
		if (strcmp(st, "running") != 0 && strcmp(st, "paused") != 0)
			return vg_error_set(err, VG_ESTATE,
					    "rollout %lld is %s: only a running or paused rollout "
					    "can advance",
					    (long long)r->id, st);
		if (next >= r->nstages) {
			rc = store_exec(
			    s, err,
			    "UPDATE rollout_stages SET ended_at = ? WHERE rollout_id = ? "
			    "AND ended_at = 0 AND started_at > 0",
			    "ii", now, r->id);
			if (!rc)
				rc = set_state(s, r, "done", r->stage, r->stage_started_at, reason,
					       now, err);
			if (!rc)
				rc = audit_action(s, r, "advance", st, "done", r->stage, r->stage,
						  reason, err);
		} else {
			rc = start_stage(s, r, next, now, err);
			if (!rc)
				rc = set_state(s, r, st, next, now, reason, now, err);
			if (!rc)
				rc = audit_action(s, r, "advance", st, st, r->stage, next, reason,
						  err);
		}
		break;
	}
	case ROLLOUT_HALT:
		if (strcmp(st, "running") != 0 && strcmp(st, "paused") != 0)
			return vg_error_set(err, VG_ESTATE,
					    "rollout %lld is %s: only a running or paused rollout "
					    "can be halted",
					    (long long)r->id, st);
		rc = set_state(s, r, "halted", r->stage, r->stage_started_at, reason, now, err);
		if (!rc)
			rc = audit_action(s, r, automatic ? "auto_halt" : "halt", st, "halted",
					  r->stage, r->stage, reason, err);
		if (!rc && halted)
			*halted = 1;
		break;
	default:
		return vg_error_set(err, VG_EINVAL, "unknown rollout action");
	}
	if (!rc)
		rc = bump_epoch(s, err);
	return rc;
}

int rollout_act(struct store *s, int64_t id, int action, const char *reason, struct vg_error *err)
{
	struct rollout_list l;
	int rc, halted = 0;

	if (reason && (rc = vg_text_check("reason", reason, 1000, 1, 0, err)))
		return rc;
	if ((action == ROLLOUT_HALT || action == ROLLOUT_ROLLBACK) && (!reason || !*reason))
		return vg_error_set(err, VG_EINVAL, "%s needs a reason (--reason TEXT)",
				    rollout_action_name(action));
	if (action == ROLLOUT_ROLLBACK) {
		rc = rollout_get(s, id, &l, err);
		if (rc)
			return rc;
		if (strcmp(l.items[0].state, "draft") == 0 ||
		    strcmp(l.items[0].state, "rolled_back") == 0)
			rc =
			    vg_error_set(err, VG_ESTATE, "rollout %lld is %s: nothing to roll back",
					 (long long)id, l.items[0].state);
		else
			rc = do_rollback(s, &l.items[0], reason, err);
		rollout_list_release(&l);
		return rc;
	}
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = lock_rollout(s, id, err);
	if (!rc)
		rc = rollout_get(s, id, &l, err);
	if (rc)
		return store_tx_end(s, rc, err);
	rc = act_locked(s, &l.items[0], action, reason, store_actor(s), 0, &halted, err);
	rc = store_tx_end(s, rc, err);
	if (!rc && halted) {
		json_t *p = halt_payload(&l.items[0], reason, store_actor(s), 0);
		vg_event_emit(s, ROLLOUT_EVENT_HALTED, p);
		json_decref(p);
	}
	rollout_list_release(&l);
	return rc;
}

/* ---- the soak clock and the evaluation ---- */

static int soak_record(struct store *s, const struct deadline_clock *c,
		       const struct deadline_item *it, int64_t now, void *arg, struct vg_error *err)
{
	char oid[32];
	json_t *after;
	int rc;
	(void)c;
	(void)arg;
	rc = store_exec(s, err, "UPDATE rollout_stages SET soaked_at = ? WHERE id = ?", "ii", now,
			it->subject);
	if (rc)
		return rc;
	snprintf(oid, sizeof(oid), "%lld", (long long)(intptr_t)it->row);
	after = json_pack("{s:I, s:o}", "stage_row", (json_int_t)it->subject, "due_at",
			  vg_json_time(it->due_at));
	rc = store_audit(s, "rollout.soaked", "rollout", oid, NULL, after, err);
	json_decref(after);
	return rc;
}

static const struct deadline_threshold soak_thresholds[] = {
    {"soaked", DEADLINE_FROM_START, 1000, 0},
};
static const struct deadline_clock soak_clock = {
    "rollout.soak", soak_thresholds, 1, 0, soak_record, NULL, NULL};

static int soak_fetch(struct store *s, int64_t after, int64_t now, size_t max,
		      struct deadline_batch *b, void *arg, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;
	(void)arg;
	rc = store_prepare(s,
			   "SELECT g.id, g.started_at, g.due_at, g.rollout_id FROM rollout_stages "
			   "g JOIN rollouts r ON r.id = g.rollout_id AND r.stage = g.idx WHERE "
			   "g.id > ? AND r.state IN ('running', 'paused') AND g.started_at > 0 AND "
			   "g.soaked_at = 0 AND g.due_at <= ? AND " DEADLINE_SQL_NOT_FIRED(
			       "g.id", "g.due_at", "'soaked'") " ORDER BY g.id LIMIT ?",
			   &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, after);
	store_bind_int64(st, 2, now);
	store_bind_text(st, 3, soak_clock.name);
	store_bind_int64(st, 4, (int64_t)max);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		int64_t rid = store_col_int64(st, 3);
		if (deadline_batch_add(b, &soak_clock, store_col_int64(st, 0),
				       store_col_int64(st, 1), store_col_int64(st, 2),
				       (void *)(intptr_t)rid)) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

/* Reports of the current window (since the stage started, or the rollout
 * was resumed after a halt): installed and failed over every device. */
static int window_counts(struct store *s, const struct rollout *r, int64_t *installed,
			 int64_t *failed, struct vg_error *err)
{
	int rc = store_query_int64(
	    s, installed, err,
	    "SELECT COUNT(*) FROM rollout_devices WHERE rollout_id = ? AND "
	    "state = 'installed' AND stage_window = (SELECT stage_window FROM rollouts "
	    "WHERE id = ?)",
	    "ii", r->id, r->id);
	if (!rc)
		rc = store_query_int64(
		    s, failed, err,
		    "SELECT COUNT(*) FROM rollout_devices WHERE rollout_id = ? AND "
		    "state = 'failed' AND stage_window = (SELECT stage_window FROM rollouts "
		    "WHERE id = ?)",
		    "ii", r->id, r->id);
	return rc;
}

static int evaluate_one(struct store *s, int64_t id, int64_t now, int *changed,
			struct vg_error *err)
{
	struct rollout_list l;
	struct rollout *r;
	int64_t inst = 0, fail = 0;
	int rc, halted = 0, action = 0;
	char reason[300] = "";

	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = lock_rollout(s, id, err);
	if (!rc)
		rc = rollout_get(s, id, &l, err);
	if (rc)
		return store_tx_end(s, rc, err);
	r = &l.items[0];
	if (strcmp(r->state, "running") != 0 && strcmp(r->state, "paused") != 0)
		goto out;
	rc = window_counts(s, r, &inst, &fail, err);
	if (rc)
		goto out;
	if (inst + fail >= r->min_sample && fail * 100 > (int64_t)r->max_failure * (inst + fail)) {
		action = ROLLOUT_HALT;
		snprintf(reason, sizeof(reason),
			 "failure ratio %lld of %lld reports (%.1f %%) exceeds %d %% at stage %d",
			 (long long)fail, (long long)(inst + fail),
			 100.0 * (double)fail / (double)(inst + fail), r->max_failure,
			 r->stage + 1);
	} else if (strcmp(r->state, "running") == 0 && r->stage_info[r->stage].soaked_at) {
		int64_t devs = 0, ok = 0;
		for (int i = 0; i <= r->stage; i++) {
			devs += r->stage_info[i].devices;
			ok += r->stage_info[i].installed;
		}
		if (devs > 0 && ok * 100 >= (int64_t)r->success_min * devs) {
			action = ROLLOUT_ADVANCE;
			snprintf(reason, sizeof(reason),
				 "stage %d (%d %%) soaked; %lld of %lld devices installed "
				 "(%.1f %%, at least %d %% needed)",
				 r->stage + 1, r->stages[r->stage], (long long)ok, (long long)devs,
				 100.0 * (double)ok / (double)devs, r->success_min);
		}
	}
	(void)now;
	if (action) {
		char actor[128], remote[64];
		snprintf(actor, sizeof(actor), "%s", store_actor(s) ? store_actor(s) : "");
		snprintf(remote, sizeof(remote), "%s", store_remote(s) ? store_remote(s) : "");
		store_set_actor(s, "system:rollout", NULL);
		rc = act_locked(s, r, action, reason, "system:rollout", 1, &halted, err);
		store_set_actor(s, actor, remote[0] ? remote : NULL);
		if (!rc)
			(*changed)++;
	}
out:
	if (!rc && !action) {
		/* nothing decided: the lock's no-op write goes, no record needed */
		store_tx_rollback(s);
		rollout_list_release(&l);
		return VG_OK;
	}
	rc = store_tx_end(s, rc, err);
	if (!rc && halted) {
		json_t *p = halt_payload(r, reason, "system:rollout", 1);
		vg_event_emit(s, ROLLOUT_EVENT_HALTED, p);
		json_decref(p);
	}
	rollout_list_release(&l);
	return rc;
}

int rollout_evaluate(struct store *s, int64_t now, int *changed, struct vg_error *err)
{
	struct deadline_stats stats;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	struct store_stmt *st = NULL;
	int rc;

	*changed = 0;
	rc = deadline_tick(s, &soak_clock, soak_fetch, NULL, now, &stats, err);
	if (rc)
		return rc;
	rc = store_prepare(
	    s, "SELECT id FROM rollouts WHERE state IN ('running', 'paused') ORDER BY id", &st,
	    err);
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			int64_t *ni = realloc(ids, nc * sizeof(*ids));
			if (!ni) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			ids = ni;
			cap = nc;
		}
		ids[n++] = store_col_int64(st, 0);
	}
	store_finalize(st);
	if (rc != STORE_DONE) {
		free(ids);
		return rc;
	}
	rc = VG_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		/* a healthy rollout may pass several soaked stages in one run only
		 * when each soaked: one step per run is what a person sees */
		rc = evaluate_one(s, ids[i], now, changed, err);
	}
	free(ids);
	return rc;
}

/* ---- the snapshot the check-in reads ---- */

struct snap_item {
	int64_t id, product_id, release_id;
	int halted;
	char channel[72];
	int has_channel;
	int percent;
	int rolled_back;
	struct rollout_offer offer; /* the release (or, rolled back, the previous one) */
	char version[128];          /* the rollout's release version */
};
struct snapshot {
	struct snap_item *items;
	size_t n;
};

static pthread_rwlock_t snap_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t snap_check = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot snap;
static _Atomic int64_t snap_epoch = -1;
static atomic_int snap_valid;

void rollout_cache_invalidate(void)
{
	atomic_store(&snap_valid, 0);
}

/* The epoch this thread read last, and when (monotonic microseconds):
 * update.epoch_poll_ms = 0. */
static _Thread_local int64_t tl_epoch = -1, tl_epoch_us;
/* The epoch this process read last, and when: update.epoch_poll_ms > 0.
 * -1: read it anew. */
static _Atomic int64_t g_epoch = -1, g_epoch_us;

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t poll_us(const struct store *s)
{
	static _Atomic int64_t cached = -1;
	int64_t v = atomic_load(&cached);
	if (v < 0) {
		int64_t dflt = store_kind(s) == STORE_PG ? ROLLOUT_EPOCH_POLL_PG : 0;
		v = vg_config_int("update.epoch_poll_ms", dflt);
		v = v < 0 ? 0 : (v > 1000 ? 1000 : v);
		v *= 1000;
		atomic_store(&cached, v);
	}
	return v;
}

int rollout_epoch_now(struct store *s, int64_t *epoch, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int64_t now = mono_us(), poll = poll_us(s), g;
	int rc;

	if (poll > 0) {
		g = atomic_load(&g_epoch);
		if (g >= 0 && now - atomic_load(&g_epoch_us) < poll) {
			*epoch = g;
			return VG_OK;
		}
	} else if (tl_epoch >= 0 && now - tl_epoch_us < ROLLOUT_EPOCH_REUSE_US) {
		*epoch = tl_epoch;
		return VG_OK;
	}
	rc = store_prepare_cached(s, "SELECT epoch FROM rollout_epoch WHERE id = 1", &st, err);
	if (rc)
		return rc;
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		*epoch = store_col_int64(st, 0);
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_EINTERNAL, "rollout_epoch: the row is missing");
	}
	store_finalize(st);
	if (!rc && poll > 0) {
		atomic_store(&g_epoch_us, now);
		atomic_store(&g_epoch, *epoch);
	} else if (!rc) {
		tl_epoch = *epoch;
		tl_epoch_us = now;
	}
	return rc;
}

void rollout_epoch_forget(void)
{
	tl_epoch = -1;
}

int rollout_epoch_bump(struct store *s, struct vg_error *err)
{
	/* this process reads it anew at its next check-in */
	tl_epoch = -1;
	atomic_store(&g_epoch, -1);
	return store_exec(s, err, "UPDATE rollout_epoch SET epoch = epoch + 1 WHERE id = 1", "");
}

static int snap_load(struct store *s, struct snapshot *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	struct snap_item *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(
	    s,
	    "SELECT r.id, r.product_id, r.filter_channel, r.state, g.percent, "
	    "CASE WHEN r.state = 'rolled_back' THEN r.previous_release_id ELSE r.release_id END, "
	    "rel.version, rel.product, "
	    "(SELECT a.name FROM release_artifacts a WHERE a.release_id = CASE WHEN r.state = "
	    "'rolled_back' THEN r.previous_release_id ELSE r.release_id END ORDER BY a.id LIMIT "
	    "1), "
	    "(SELECT a.sha256 FROM release_artifacts a WHERE a.release_id = CASE WHEN r.state = "
	    "'rolled_back' THEN r.previous_release_id ELSE r.release_id END ORDER BY a.id LIMIT "
	    "1), "
	    "(SELECT a.size FROM release_artifacts a WHERE a.release_id = CASE WHEN r.state = "
	    "'rolled_back' THEN r.previous_release_id ELSE r.release_id END ORDER BY a.id LIMIT "
	    "1), pr.version, r.stage "
	    "FROM rollouts r JOIN releases rel ON rel.id = r.release_id JOIN rollout_stages g ON "
	    "g.rollout_id = r.id AND g.idx = r.stage LEFT JOIN releases pr ON pr.id = "
	    "r.previous_release_id WHERE r.state IN ('running', 'paused', 'done', 'rolled_back', "
	    "'halted') "
	    "ORDER BY r.id DESC",
	    &st, err);
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct snap_item *x;
		const char *state = store_col_text(st, 3);
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct snap_item *nv = realloc(v, nc * sizeof(*v));
			if (!nv) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			v = nv;
			cap = nc;
		}
		x = &v[n];
		memset(x, 0, sizeof(*x));
		x->halted = strcmp(state, "halted") == 0;
		if (store_col_isnull(st, 8))
			x->halted = 1; /* no artifact: nothing to offer */
		x->id = store_col_int64(st, 0);
		x->product_id = store_col_int64(st, 1);
		x->has_channel = !store_col_isnull(st, 2);
		if (x->has_channel)
			snprintf(x->channel, sizeof(x->channel), "%s", store_col_text(st, 2));
		x->rolled_back = strcmp(state, "rolled_back") == 0;
		x->percent = strcmp(state, "done") == 0 ? 100 : (int)store_col_int64(st, 4);
		x->release_id = store_col_int64(st, 5);
		snprintf(x->version, sizeof(x->version), "%s", store_col_text(st, 6));
		x->offer.rollout_id = x->id;
		x->offer.release_id = x->release_id;
		snprintf(x->offer.version, sizeof(x->offer.version), "%s",
			 x->rolled_back ? (store_col_isnull(st, 11) ? "" : store_col_text(st, 11))
					: store_col_text(st, 6));
		snprintf(x->offer.target, sizeof(x->offer.target), "%s/%s", store_col_text(st, 7),
			 store_col_text(st, 8));
		snprintf(x->offer.full_target, sizeof(x->offer.full_target), "%s",
			 store_col_text(st, 8));
		snprintf(x->offer.sha256, sizeof(x->offer.sha256), "%s", store_col_text(st, 9));
		x->offer.length = (uint64_t)store_col_int64(st, 10);
		x->offer.stage = (int)store_col_int64(st, 12);
		n++;
	}
	store_finalize(st);
	if (rc != STORE_DONE) {
		free(v);
		return rc;
	}
	out->items = v;
	out->n = n;
	return VG_OK;
}

/* Reload the snapshot when the epoch moved: the epoch is read at every
 * check-in (rollout_epoch_now(): one indexed read of one row, shared with
 * the token check of the same request), so a halt or any other change of a
 * rollout, by this server or any other on the database, is honoured by the
 * next check-in. One thread reloads; the others wait for it. */
static int snap_refresh(struct store *s, struct vg_error *err)
{
	int64_t epoch = 0;
	int rc = rollout_epoch_now(s, &epoch, err);

	if (rc)
		return rc;
	if (atomic_load(&snap_valid) && atomic_load(&snap_epoch) >= epoch)
		return VG_OK;
	pthread_mutex_lock(&snap_check);
	if (!atomic_load(&snap_valid) || atomic_load(&snap_epoch) < epoch) {
		struct snapshot fresh, old;
		/* the epoch before the rows: a change committed in between
		 * moves the epoch past this one and reloads again */
		rollout_epoch_forget();
		rc = rollout_epoch_now(s, &epoch, err);
		if (!rc)
			rc = snap_load(s, &fresh, err);
		if (!rc) {
			pthread_rwlock_wrlock(&snap_lock);
			old = snap;
			snap = fresh;
			pthread_rwlock_unlock(&snap_lock);
			free(old.items);
			atomic_store(&snap_epoch, epoch);
			atomic_store(&snap_valid, 1);
		}
	}
	pthread_mutex_unlock(&snap_check);
	return rc;
}

int rollout_offer_for(struct store *s, int64_t product_id, const char *channel, int cohort,
		      const char *installed, struct rollout_offer *out, int *found,
		      struct vg_error *err)
{
	int rc = snap_refresh(s, err);
	*found = 0;
	if (rc)
		return rc;
	pthread_rwlock_rdlock(&snap_lock);
	for (size_t i = 0; i < snap.n; i++) {
		const struct snap_item *x = &snap.items[i];
		if (x->product_id != product_id)
			continue;
		if (x->has_channel && (!channel || strcmp(channel, x->channel) != 0))
			continue;
		/* the newest rollout of the product (and the device's channel)
		 * decides alone: halted, it offers nothing; rolled back, the
		 * previous release to the devices that installed this one;
		 * otherwise its release to the cohorts of its current stage */
		if (x->halted)
			break;
		if (x->rolled_back) {
			if (installed && strcmp(installed, x->version) == 0 &&
			    x->offer.version[0]) {
				*out = x->offer;
				*found = 1;
			}
			break;
		}
		if (cohort >= x->percent * 100)
			break;
		if (!installed || strcmp(installed, x->offer.version) != 0) {
			*out = x->offer;
			*found = 1;
		}
		break;
	}
	pthread_rwlock_unlock(&snap_lock);
	return VG_OK;
}

int rollout_has_device(struct store *s, int64_t id, int64_t product_id, const char *channel,
		       int cohort, int *stage, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc, in = 0;

	*stage = 0;
	rc = store_prepare_cached(
	    s,
	    "SELECT r.product_id, r.filter_channel, r.state, r.stage, g.percent "
	    "FROM rollouts r JOIN rollout_stages g ON g.rollout_id = r.id AND "
	    "g.idx = r.stage WHERE r.id = ?",
	    &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		const char *state = store_col_text(st, 2);
		int pct = strcmp(state, "done") == 0 ? 100 : (int)store_col_int64(st, 4);
		in = store_col_int64(st, 0) == product_id && strcmp(state, "draft") != 0 &&
		     cohort < pct * 100 &&
		     (store_col_isnull(st, 1) ||
		      (channel && strcmp(channel, store_col_text(st, 1)) == 0));
		*stage = (int)store_col_int64(st, 3);
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = VG_OK;
	}
	store_reset(st);
	if (!rc && !in)
		rc = vg_error_set(err, VG_ENOTFOUND, "rollout %lld: this device is not in it",
				  (long long)id);
	return rc;
}
