/*
 * log_keep.c - what the log store keeps and for how long: mapping rules
 * (product and version for events that lack them), retention per source,
 * legal holds, expiry of whole segments, and vigil's own events (logs.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/events.h"
#include "core/log.h"
#include "core/principal.h"
#include "core/text.h"
#include "evidence/log_block.h"
#include "evidence/log_parse.h"
#include "store/store.h"
#include "update/release.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

/* ---- mapping rules ---- */

static const char *field_of(const struct log_event *ev, const char *name, json_t **parsed)
{
	json_t *v;
	if (!strcmp(name, "message"))
		return ev->message;
	if (!strcmp(name, "host"))
		return ev->host;
	if (!ev->fields)
		return NULL;
	if (!*parsed)
		*parsed = json_loads(ev->fields, 0, NULL);
	v = *parsed ? json_object_get(*parsed, name) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

void log_maps_apply(const struct log_maps_cache *c, struct log_event *ev)
{
	json_t *parsed = NULL;
	for (size_t i = 0; i < c->n; i++) {
		const struct logs_map *m = &c->m[i];
		const char *v;
		if (strcmp(m->source, ev->source) != 0)
			continue;
		v = field_of(ev, m->field, &parsed);
		if (v && vg_glob_match(m->match, v)) {
			ev->product = m->product;
			ev->version = m->version;
			break;
		}
	}
	json_decref(parsed);
}

void log_maps_release(struct log_maps_cache *c)
{
	free(c->m);
	c->m = NULL;
	c->n = 0;
}

int log_maps_load(struct store *s, struct log_maps_cache *c, struct vg_error *err)
{
	return logs_map_list(s, &c->m, &c->n, err);
}

int logs_map_list(struct store *s, struct logs_map **out, size_t *n, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	rc = store_prepare_cached(
	    s,
	    "SELECT id, source, field, pattern, product, version FROM log_maps "
	    "ORDER BY id",
	    &st, err);
	while (st && (rc = store_step(st, err)) == STORE_ROW) {
		struct logs_map *m;
		if (*n == cap) {
			struct logs_map *g = realloc(*out, (cap = cap ? cap * 2 : 8) * sizeof(*g));
			if (!g) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			*out = g;
		}
		m = &(*out)[(*n)++];
		memset(m, 0, sizeof(*m));
		m->id = store_col_int64(st, 0);
		snprintf(m->source, sizeof(m->source), "%s", store_col_text(st, 1));
		snprintf(m->field, sizeof(m->field), "%s", store_col_text(st, 2));
		snprintf(m->match, sizeof(m->match), "%s", store_col_text(st, 3));
		snprintf(m->product, sizeof(m->product), "%s", store_col_text(st, 4));
		snprintf(m->version, sizeof(m->version), "%s",
			 store_col_text(st, 5) ? store_col_text(st, 5) : "");
	}
	if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int logs_map_add(struct store *s, const char *source, const char *match, const char *product,
		 const char *version, int64_t *id, struct vg_error *err)
{
	char field[64];
	const char *eq = match ? strchr(match, '=') : NULL;
	int64_t newid = 0;
	json_t *after;
	char idbuf[32];
	int rc;

	if (vg_text_check("--source", source, LOGS_FIELD_MAX - 1, 0, 1, err) ||
	    vg_text_check("--product", product, LOGS_FIELD_MAX - 1, 0, 1, err) ||
	    vg_text_check("--version", version, LOGS_FIELD_MAX - 1, 0, 0, err) ||
	    vg_text_check("--match", match, 511, 0, 1, err))
		return VG_EINVAL;
	if (!eq || eq == match || (size_t)(eq - match) >= sizeof(field) || !eq[1])
		return vg_error_set(err, VG_EINVAL,
				    "--match '%s': expected FIELD=PATTERN (e.g. 'path=/api/v2/*')",
				    match);
	snprintf(field, sizeof(field), "%.*s", (int)(eq - match), match);
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_exec(
	    s, err,
	    "INSERT INTO log_maps (source, field, pattern, product, version, created_at, "
	    "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    "tttttit", source, field, eq + 1, product, version ? version : "", vg_now(),
	    store_actor(s));
	if (!rc)
		rc = store_query_int64(s, &newid, err, "SELECT MAX(id) FROM log_maps", "");
	if (!rc) {
		after = json_pack("{s:s, s:s, s:s, s:s, s:s}", "source", source, "field", field,
				  "pattern", eq + 1, "product", product, "version",
				  version ? version : "");
		snprintf(idbuf, sizeof(idbuf), "%" PRId64, newid);
		rc = store_audit(s, "logs.map.add", "log_map", idbuf, NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	if (!rc && id)
		*id = newid;
	return rc;
}

int logs_map_remove(struct store *s, int64_t id, struct vg_error *err)
{
	json_t *before = NULL;
	char idbuf[32];
	int rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_row(s, &before, err, "mapping rule", id, NULL,
		       "SELECT source, field, pattern, product, version FROM log_maps WHERE id = ?",
		       "i", id);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM log_maps WHERE id = ?", "i", id);
	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	if (!rc)
		rc = store_audit(s, "logs.map.remove", "log_map", idbuf, before, NULL, err);
	json_decref(before);
	return store_tx_end(s, rc, err);
}

json_t *logs_map_to_json(const struct logs_map *m)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id, "source",
			 m->source, "field", m->field, "pattern", m->match, "product", m->product,
			 "version", m->version);
}

/* ---- retention ---- */

int logs_retention_set(struct store *s, const char *source, int64_t years,
		       const char *override_reason, struct vg_error *err)
{
	json_t *before = NULL, *after;
	int64_t old = 0;
	int rc;

	if (vg_text_check("--source", source, LOGS_FIELD_MAX - 1, 0, 1, err))
		return VG_EINVAL;
	if (years < 1 || years > 100)
		return vg_error_set(err, VG_EINVAL, "--years %" PRId64 ": expected 1 to 100",
				    years);
	if (years < LOGS_RETENTION_MIN_YEARS &&
	    (!override_reason || vg_text_check("--override", override_reason, 1000, 0, 1, err)))
		return vg_error_set(err, VG_ERETAIN,
				    "retention of %" PRId64 " years for source %s is shorter than "
				    "the %d years of the technical file: give --override REASON "
				    "(audited) to set it anyway",
				    years, source, LOGS_RETENTION_MIN_YEARS);
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	if (store_query_int64(s, &old, NULL, "SELECT years FROM log_retention WHERE source = ?",
			      "t", source) == VG_OK)
		before = json_pack("{s:I}", "years", (json_int_t)old);
	rc = store_exec(s, err, "DELETE FROM log_retention WHERE source = ?", "t", source);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO log_retention (source, years, reason, set_at, set_by) "
				"VALUES (?, ?, ?, ?, ?)",
				"titit", source, years, override_reason, vg_now(), store_actor(s));
	after = json_pack("{s:I, s:s?}", "years", (json_int_t)years, "override",
			  years < LOGS_RETENTION_MIN_YEARS ? override_reason : NULL);
	if (!rc)
		rc = store_audit(s,
				 years < LOGS_RETENTION_MIN_YEARS ? "logs.retention.override"
								  : "logs.retention.set",
				 "log_source", source, before, after, err);
	json_decref(before);
	json_decref(after);
	return store_tx_end(s, rc, err);
}

/* ---- legal holds ---- */

int logs_hold_add(struct store *s, const struct logs_hold *h, int64_t *id, struct vg_error *err)
{
	int64_t newid = 0;
	char idbuf[32];
	json_t *after;
	int rc;

	if (vg_text_check("--reason", h->reason, sizeof(h->reason) - 1, 0, 1, err) ||
	    vg_text_check("--product", h->product, LOGS_FIELD_MAX - 1, 0, 0, err) ||
	    vg_text_check("--case", h->case_ref, sizeof(h->case_ref) - 1, 0, 0, err))
		return VG_EINVAL;
	if (h->since && h->until && h->until < h->since)
		return vg_error_set(err, VG_EINVAL, "--until is before --since");
	if (!h->since && !h->until && !h->product[0] && !h->case_ref[0])
		return vg_error_set(err, VG_EINVAL,
				    "a hold needs a time range (--since/--until), a --product or "
				    "a --case");
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_exec(
	    s, err,
	    "INSERT INTO log_holds (since, until, product, case_ref, reason, created_at, "
	    "created_by, released_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
	    "iitttit", h->since, h->until, h->product, h->case_ref, h->reason, vg_now(),
	    store_actor(s));
	if (!rc)
		rc = store_query_int64(s, &newid, err, "SELECT MAX(id) FROM log_holds", "");
	if (!rc) {
		after = json_pack("{s:o, s:o, s:s, s:s, s:s}", "since",
				  h->since ? vg_json_time(h->since) : json_null(), "until",
				  h->until ? vg_json_time(h->until) : json_null(), "product",
				  h->product, "case", h->case_ref, "reason", h->reason);
		snprintf(idbuf, sizeof(idbuf), "%" PRId64, newid);
		rc = store_audit(s, "logs.hold.add", "log_hold", idbuf, NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	if (!rc && id)
		*id = newid;
	return rc;
}

int logs_hold_release(struct store *s, int64_t id, struct vg_error *err)
{
	int64_t released = 0;
	char idbuf[32];
	int rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &released, err, "SELECT released_at FROM log_holds WHERE id = ?",
			       "i", id);
	if (rc == VG_ENOTFOUND)
		rc = vg_error_set(err, VG_ENOTFOUND, "hold %" PRId64 ": no such hold", id);
	else if (!rc && released)
		rc = vg_error_set(err, VG_ESTATE, "hold %" PRId64 " was released already", id);
	if (!rc)
		rc = store_exec(
		    s, err, "UPDATE log_holds SET released_at = ?, released_by = ? WHERE id = ?",
		    "iti", vg_now(), store_actor(s), id);
	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	if (!rc)
		rc = store_audit(s, "logs.hold.release", "log_hold", idbuf, NULL, NULL, err);
	return store_tx_end(s, rc, err);
}

int logs_hold_list(struct store *s, int all, struct logs_hold **out, size_t *n,
		   struct vg_error *err)
{
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	rc = store_prepare(s,
			   all ? "SELECT id, since, until, product, case_ref, reason, created_at, "
				 "created_by, released_at FROM log_holds ORDER BY id"
			       : "SELECT id, since, until, product, case_ref, reason, created_at, "
				 "created_by, released_at FROM log_holds WHERE released_at = 0 "
				 "ORDER BY id",
			   &st, err);
	while (st && (rc = store_step(st, err)) == STORE_ROW) {
		struct logs_hold *h;
		if (*n == cap) {
			struct logs_hold *g = realloc(*out, (cap = cap ? cap * 2 : 8) * sizeof(*g));
			if (!g) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			*out = g;
		}
		h = &(*out)[(*n)++];
		memset(h, 0, sizeof(*h));
		h->id = store_col_int64(st, 0);
		h->since = store_col_int64(st, 1);
		h->until = store_col_int64(st, 2);
		snprintf(h->product, sizeof(h->product), "%s", store_col_text(st, 3));
		snprintf(h->case_ref, sizeof(h->case_ref), "%s", store_col_text(st, 4));
		snprintf(h->reason, sizeof(h->reason), "%s", store_col_text(st, 5));
		h->created_at = store_col_int64(st, 6);
		snprintf(h->created_by, sizeof(h->created_by), "%s", store_col_text(st, 7));
		h->released_at = store_col_int64(st, 8);
	}
	if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

json_t *logs_hold_to_json(const struct logs_hold *h)
{
	return json_pack("{s:I, s:o, s:o, s:s, s:s, s:s, s:o, s:s, s:o}", "id", (json_int_t)h->id,
			 "since", h->since ? vg_json_time(h->since) : json_null(), "until",
			 h->until ? vg_json_time(h->until) : json_null(), "product", h->product,
			 "case", h->case_ref, "reason", h->reason, "created_at",
			 vg_json_time(h->created_at), "created_by", h->created_by, "released_at",
			 h->released_at ? vg_json_time(h->released_at) : json_null());
}

/* ---- expiry ---- */

struct seg_row {
	int64_t id, min_time, max_time, events, bytes, years;
	char source[LOGS_FIELD_MAX];
	char sha[65];
};

static int held(struct store *s, const struct seg_row *g, int *is_held, struct vg_error *err)
{
	int64_t n = 0;
	int rc = store_query_int64(
	    s, &n, err,
	    "SELECT COUNT(*) FROM log_holds h WHERE h.released_at = 0 AND (h.since = 0 OR h.since "
	    "<= ?) AND (h.until = 0 OR h.until >= ?) AND (h.product = '' OR EXISTS (SELECT 1 FROM "
	    "log_blocks b WHERE b.segment_id = ? AND b.product = h.product))",
	    "iii", g->max_time, g->min_time, g->id);
	*is_held = n > 0;
	return rc;
}

int logs_expire(struct store *s, int64_t *deleted, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	struct seg_row *rows = NULL;
	size_t n = 0, cap = 0;
	int64_t now = vg_now(), dflt = vg_config_int("logs.retention_years", 10), count = 0;
	int rc;

	if (dflt < LOGS_RETENTION_MIN_YEARS)
		return vg_error_set(err, VG_ERETAIN,
				    "setting logs.retention_years %" PRId64 ": at least %d (a "
				    "shorter retention is set per source with `vigil logs "
				    "retention set --override`, audited)",
				    dflt, LOGS_RETENTION_MIN_YEARS);
	rc = store_prepare(s,
			   "SELECT g.id, g.min_time, g.max_time, g.events, g.bytes, g.source, "
			   "g.sha256, COALESCE(r.years, 0) FROM log_segments g LEFT JOIN "
			   "log_retention r ON r.source = g.source WHERE g.expired_at = 0 ORDER BY "
			   "g.id",
			   &st, err);
	while (st && (rc = store_step(st, err)) == STORE_ROW) {
		struct seg_row *g;
		int64_t years = store_col_int64(st, 7);
		if (!years)
			years = dflt;
		if (vg_time_add_months(store_col_int64(st, 2), (int)(years * 12)) > now)
			continue;
		if (n == cap) {
			g = realloc(rows, (cap = cap ? cap * 2 : 16) * sizeof(*g));
			if (!g) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			rows = g;
		}
		g = &rows[n++];
		g->id = store_col_int64(st, 0);
		g->min_time = store_col_int64(st, 1);
		g->max_time = store_col_int64(st, 2);
		g->events = store_col_int64(st, 3);
		g->bytes = store_col_int64(st, 4);
		g->years = years;
		snprintf(g->source, sizeof(g->source), "%s", store_col_text(st, 5));
		snprintf(g->sha, sizeof(g->sha), "%s", store_col_text(st, 6));
	}
	if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct seg_row *g = &rows[i];
		char path[1200], idbuf[32];
		int is_held = 0;
		json_t *before;
		rc = store_tx_begin(s, err);
		if (rc)
			break;
		rc = held(s, g, &is_held, err);
		if (!rc && is_held) {
			store_tx_rollback(s);
			continue;
		}
		if (!rc)
			rc = store_exec(s, err, "DELETE FROM log_blocks WHERE segment_id = ?", "i",
					g->id);
		if (!rc)
			rc = store_exec(s, err,
					"UPDATE log_segments SET expired_at = ? WHERE id = ?", "ii",
					now, g->id);
		if (!rc)
			rc = artifact_remove(s, g->sha, path, sizeof(path), err);
		before =
		    json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:I}", "source", g->source, "sha256",
			      g->sha, "events", (json_int_t)g->events, "bytes",
			      (json_int_t)g->bytes, "oldest", vg_json_time(g->min_time), "newest",
			      vg_json_time(g->max_time), "retention_years", (json_int_t)g->years);
		snprintf(idbuf, sizeof(idbuf), "%" PRId64, g->id);
		if (!rc)
			rc = store_audit(s, "logs.segment.expire", "log_segment", idbuf, before,
					 NULL, err);
		json_decref(before);
		rc = store_tx_end(s, rc, err);
		if (!rc) {
			if (path[0])
				unlink(path);
			count++;
		}
	}
	free(rows);
	if (deleted)
		*deleted = count;
	return rc;
}

/* ---- vigil's own events ---- */

#define OWN_MAX 100000 /* events held between flushes; more are counted, not kept */

static pthread_mutex_t own_mu = PTHREAD_MUTEX_INITIALIZER;
static struct own {
	int64_t time;
	char *name, *payload;
} * own_q;
static size_t own_n, own_cap;
static int64_t own_dropped;

static int own_event(struct store *s, const char *name, const json_t *payload, void *arg)
{
	char *p = payload ? json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *nm = strdup(name);
	(void)s;
	(void)arg;
	pthread_mutex_lock(&own_mu);
	if (own_n == own_cap && own_cap < OWN_MAX) {
		size_t cap = own_cap ? own_cap * 2 : 256;
		struct own *g = realloc(own_q, cap * sizeof(*g));
		if (g) {
			own_q = g;
			own_cap = cap;
		}
	}
	if (own_n < own_cap && nm) {
		own_q[own_n].time = vg_now();
		own_q[own_n].name = nm;
		own_q[own_n].payload = p;
		own_n++;
		nm = p = NULL;
	} else {
		own_dropped++;
	}
	pthread_mutex_unlock(&own_mu);
	free(nm);
	free(p);
	return VG_OK;
}

void logs_init(void)
{
	if (vg_event_subscribe("*", "evidence.own_events", own_event, NULL))
		vg_warn("logs: cannot subscribe to vigil's own events");
}

int logs_own_flush(struct store *s, struct vg_error *err)
{
	struct own *q;
	size_t n;
	struct log_event *ev;
	int rc = VG_OK;

	pthread_mutex_lock(&own_mu);
	q = own_q;
	n = own_n;
	own_q = NULL;
	own_n = own_cap = 0;
	pthread_mutex_unlock(&own_mu);
	if (!n)
		return VG_OK;
	ev = calloc(n, sizeof(*ev));
	if (!ev) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *p = q[i].payload ? json_loads(q[i].payload, 0, NULL) : NULL;
		ev[i].time = ev[i].received = q[i].time;
		ev[i].source = "vigil";
		ev[i].host = "";
		ev[i].message = q[i].name;
		ev[i].product = p && json_is_string(json_object_get(p, "product"))
				    ? vg_json_str(p, "product")
				    : "";
		ev[i].version = ev[i].product[0] && json_is_string(json_object_get(p, "version"))
				    ? vg_json_str(p, "version")
				    : "";
		ev[i].fields = q[i].payload;
		/* product and version point into p, freed here: copy them */
		ev[i].product = ev[i].product[0] ? strdup(ev[i].product) : "";
		ev[i].version = ev[i].version[0] ? strdup(ev[i].version) : "";
		if (!ev[i].product)
			ev[i].product = "";
		if (!ev[i].version)
			ev[i].version = "";
		json_decref(p);
	}
	rc = logs_ingest(s, ev, n, err);
	if (rc)
		vg_warn("logs: %zu of vigil's own events not kept: %s", n, err->msg);
	for (size_t i = 0; i < n; i++) {
		if (ev[i].product[0])
			free((char *)ev[i].product);
		if (ev[i].version[0])
			free((char *)ev[i].version);
	}
	free(ev);
out:
	for (size_t i = 0; i < n; i++) {
		free(q[i].name);
		free(q[i].payload);
	}
	free(q);
	return rc;
}

/* ---- the audit trail as vigil's own events ---- */

struct audit_mark {
	int64_t from, to;
};

/* Move the mark from .from to .to; VG_ESTATE (all rolled back) when another
 * copier moved it meanwhile, so no record is copied twice. */
static int set_audit_mark(struct store *s, void *arg, struct vg_error *err)
{
	const struct audit_mark *m = arg;
	struct store_stmt *st = NULL;
	int rc = store_prepare(s, "UPDATE log_audit_mark SET seq = ? WHERE id = 1 AND seq = ?", &st,
			       err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, m->to);
	store_bind_int64(st, 2, m->from);
	rc = store_step(st, err);
	if (rc == STORE_DONE)
		rc = store_changes(st)
			 ? VG_OK
			 : vg_error_set(err, VG_ESTATE, "the audit records were copied meanwhile");
	store_finalize(st);
	return rc;
}

/* product and version of an audit state (JSON text), as far as they pass
 * the store's checks */
static void audit_product(const char *state, struct log_event *ev, struct vg_arena *a)
{
	struct vg_error e = {0};
	json_t *j = state ? json_loads(state, 0, NULL) : NULL;
	const char *p = j ? json_string_value(json_object_get(j, "product")) : NULL;
	const char *v = j ? json_string_value(json_object_get(j, "version")) : NULL;
	if (p && *p && !ev->product[0] && strlen(p) < LOGS_FIELD_MAX &&
	    !vg_text_check("product", p, LOGS_FIELD_MAX - 1, 0, 0, &e)) {
		ev->product = vg_arena_strdup(a, p);
		if (v && *v && strlen(v) < LOGS_FIELD_MAX &&
		    !vg_text_check("version", v, LOGS_FIELD_MAX - 1, 0, 0, &e))
			ev->version = vg_arena_strdup(a, v);
		if (!ev->product)
			ev->product = "";
		if (!ev->version || !ev->product[0])
			ev->version = "";
	}
	json_decref(j);
}

int logs_audit_copy(struct store *s, int64_t *copied, struct vg_error *err)
{
	int64_t mark = 0, count = 0;
	int rc =
	    store_query_int64(s, &mark, err, "SELECT seq FROM log_audit_mark WHERE id = 1", "");

	while (!rc) {
		struct audit_filter f = {0};
		struct audit_entry_list l = {0};
		struct log_event *ev;
		struct vg_arena a;
		size_t k = 0;
		struct audit_mark m;

		f.after_seq = mark;
		f.limit = 1000;
		rc = audit_query(s, &f, &l, err);
		if (rc || !l.n) {
			audit_entry_list_release(&l);
			break;
		}
		ev = calloc(l.n, sizeof(*ev));
		if (!ev) {
			audit_entry_list_release(&l);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		vg_arena_init(&a, 0);
		for (size_t i = 0; i < l.n; i++) {
			const struct audit_entry *e = &l.items[i];
			struct vg_error ce = {0};
			json_t *fj;
			char *ft, *msg = NULL;
			if (!strncmp(e->action, "logs.", 5))
				continue;
			ev[k].time = e->at;
			ev[k].source = "vigil";
			ev[k].host = "";
			ev[k].product = ev[k].version = "";
			audit_product(e->after_json, &ev[k], &a);
			audit_product(e->before_json, &ev[k], &a);
			{
				size_t need = strlen(e->action) + strlen(e->object_type) +
					      strlen(e->object_id) + strlen(e->actor) + 8;
				msg = malloc(need);
				if (msg)
					snprintf(msg, need, "%s %s:%s by %s", e->action,
						 e->object_type, e->object_id, e->actor);
			}
			ev[k].message = msg ? vg_arena_strdup(&a, msg) : NULL;
			free(msg);
			fj = json_pack("{s:I, s:s, s:s, s:s}", "audit_seq", (json_int_t)e->seq,
				       "actor", e->actor, "remote", e->remote, "action", e->action);
			ft = fj ? json_dumps(fj, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
			ev[k].fields = ft ? vg_arena_strdup(&a, ft) : NULL;
			free(ft);
			json_decref(fj);
			if (!ev[k].message || log_event_check(&ev[k], "audit", &ce))
				continue; /* cannot happen for what the trail holds; not kept */
			k++;
		}
		m.from = mark;
		m.to = l.items[l.n - 1].seq;
		audit_entry_list_release(&l);
		rc = logs_ingest_with(s, ev, k, set_audit_mark, &m, err);
		free(ev);
		vg_arena_release(&a);
		if (!rc) {
			mark = m.to;
			count += (int64_t)k;
		} else if (rc == VG_ESTATE) {
			rc = VG_OK; /* another copier is at it: leave the rest to it */
			break;
		}
	}
	if (copied)
		*copied = count;
	return rc;
}
