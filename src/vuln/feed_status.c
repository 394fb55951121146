/*
 * feed_status.c - what the feed status page shows, and "sync now": a
 * person asks for a sync (feeds_request_sync()), the leader's job
 * "feeds.sync" runs feeds_sync() outside any request and records the
 * result (feeds.h). The job also runs the sync every feeds.sync_interval
 * seconds when that is set (0, the default: only when asked).
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/redact.h"
#include "jobs/jobs.h"
#include "store/store.h"
#include "vuln/feeds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define MAX_MESSAGES 50

static const char *const kinds[] = {"osv", "nvd", "csaf", "kev"};

void feed_status_release(struct feed_status *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++) {
		free(st->feeds[i].url);
		free(st->feeds[i].error);
	}
	free(st->feeds);
	free(st->run.requested_by);
	free(st->run.message);
	free(st->run.messages_json);
	memset(st, 0, sizeof(*st));
}

static int load_run(struct store *s, struct feed_run *r, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc, oom = 0;
	memset(r, 0, sizeof(*r));
	rc = store_prepare(s,
			   "SELECT requested_at, requested_by, started_at, finished_at, ok, "
			   "message, fetched, not_modified, imported, updated, messages FROM "
			   "feed_sync_now WHERE name = 'feeds'",
			   &st, err);
	if (rc)
		return rc;
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		r->requested_at = store_col_int64_or(st, 0, 0);
		r->requested_by = store_col_dup(st, 1, &oom);
		r->started_at = store_col_int64_or(st, 2, 0);
		r->finished_at = store_col_int64_or(st, 3, 0);
		r->ok = (int)store_col_int64_or(st, 4, 0);
		r->message = store_col_dup(st, 5, &oom);
		r->fetched = store_col_int64_or(st, 6, 0);
		r->not_modified = store_col_int64_or(st, 7, 0);
		r->imported = store_col_int64_or(st, 8, 0);
		r->updated = store_col_int64_or(st, 9, 0);
		r->messages_json = store_col_dup(st, 10, &oom);
		rc = VG_OK;
	} else if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	if (oom)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	return rc;
}

/* The records a feed kind has in the database (advisories, or KEV entries). */
static int64_t records_of(struct store *s, const char *kind)
{
	int64_t n = 0;
	if (strcmp(kind, "kev") == 0) {
		if (store_query_int64(s, &n, NULL, "SELECT COUNT(*) FROM vuln_kev_view", NULL))
			n = -1;
	} else if (store_query_int64(s, &n, NULL,
				     "SELECT COUNT(*) FROM advisories WHERE source = ?", "t", kind))
		n = -1;
	return n;
}

/* The last run's message about this kind of feed ("nvd feed URL: ..."), or NULL. */
static char *error_of(const struct feed_run *r, const char *kind)
{
	json_t *a = r->messages_json ? json_loads(r->messages_json, 0, NULL) : NULL, *m;
	char pre[16];
	char *out = NULL;
	size_t i;
	snprintf(pre, sizeof(pre), "%s feed ", kind);
	json_array_foreach(a, i, m)
	{
		const char *t = json_string_value(m);
		if (t && strncmp(t, pre, strlen(pre)) == 0) {
			out = strdup(t);
			break;
		}
	}
	json_decref(a);
	return out;
}

static int add_feed(struct store *s, struct feed_status *out, const char *kind, const char *url,
		    struct vg_error *err)
{
	struct feed_url *f;
	struct store_stmt *st = NULL;
	char shown[1024];
	int rc;
	void *v = realloc(out->feeds, (out->n + 1) * sizeof(*out->feeds));
	if (!v)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	out->feeds = v;
	f = &out->feeds[out->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
	vg_redact_url(url, shown, sizeof(shown));
	f->url = strdup(shown);
	f->records = records_of(s, kind);
	f->error = error_of(&out->run, kind);
	rc = store_prepare(s, "SELECT synced_at, status FROM feed_sync WHERE url = ?", &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, url);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		f->synced_at = store_col_int64_or(st, 0, 0);
		f->http_status = store_col_int64_or(st, 1, 0);
		rc = VG_OK;
	} else if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	return f->url ? rc : vg_error_set(err, VG_ENOMEM, "out of memory");
}

int feed_status_get(struct store *s, struct feed_status *out, struct vg_error *err)
{
	int rc;
	memset(out, 0, sizeof(*out));
	out->interval = vg_config_int("feeds.sync_interval", 0);
	if ((rc = load_run(s, &out->run, err)))
		return rc;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		char key[32], *list, *save = NULL, *tok;
		const char *v;
		snprintf(key, sizeof(key), "feeds.%s_url", kinds[k]);
		v = vg_config_get(key, NULL);
		if (!v || !*v)
			continue;
		if (!(list = strdup(v))) {
			feed_status_release(out);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		for (tok = strtok_r(list, " \t,", &save); tok && !rc;
		     tok = strtok_r(NULL, " \t,", &save))
			rc = add_feed(s, out, kinds[k], tok, err);
		free(list);
		if (rc) {
			feed_status_release(out);
			return rc;
		}
	}
	if (out->interval > 0)
		out->next_at = out->run.started_at ? out->run.started_at + out->interval : vg_now();
	return VG_OK;
}

int feeds_request_sync(struct store *s, struct vg_error *err)
{
	struct feed_run r;
	int64_t now = vg_now();
	json_t *after;
	int rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = load_run(s, &r, err);
	if (!rc && FEED_RUN_PENDING(&r))
		rc = vg_error_set(err, VG_ESTATE,
				  "a sync is already waiting to run (asked at %lld by %s)",
				  (long long)r.requested_at, r.requested_by ? r.requested_by : "");
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM feed_sync_now WHERE name = 'feeds'", NULL);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO feed_sync_now (name, requested_at, requested_by, "
				"started_at, finished_at, ok, message, fetched, not_modified, "
				"imported, updated, messages) VALUES ('feeds', ?, "
				"?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				"itiiitiiiit", now, store_actor(s), r.started_at, r.finished_at,
				(int64_t)r.ok, r.message, r.fetched, r.not_modified, r.imported,
				r.updated, r.messages_json);
	if (!rc) {
		after = json_pack("{s:I}", "requested_at", (json_int_t)now);
		rc = store_audit(s, "feed.sync_requested", "feed", "all", NULL, after, err);
		json_decref(after);
	}
	free(r.requested_by);
	free(r.message);
	free(r.messages_json);
	return store_tx_end(s, rc, err);
}

struct collect {
	json_t *messages;
};

static void collect_skip(void *arg, const char *msg)
{
	struct collect *c = arg;
	if (json_array_size(c->messages) < MAX_MESSAGES)
		json_array_append_new(c->messages, json_string(msg));
}

/* Claim the pending request (or the scheduled run): 1 when claimed. */
static int claim(struct store *s, int64_t now, struct vg_error *err)
{
	struct feed_run r;
	int64_t interval = vg_config_int("feeds.sync_interval", 0);
	int rc, due;
	json_t *after;

	if ((rc = store_tx_begin(s, err)))
		return -1;
	if ((rc = load_run(s, &r, err))) {
		store_tx_rollback(s);
		return -1;
	}
	due = FEED_RUN_PENDING(&r) || (interval > 0 && !FEED_RUN_RUNNING(&r) &&
				       (!r.started_at || now >= r.started_at + interval));
	if (due && !r.requested_at)
		rc = store_exec(s, err,
				"INSERT INTO feed_sync_now (name, requested_at, requested_by, "
				"started_at) VALUES ('feeds', ?, 'schedule', ?)",
				"ii", now, now);
	else if (due && !FEED_RUN_PENDING(&r))
		rc = store_exec(
		    s, err,
		    "UPDATE feed_sync_now SET requested_at = ?, requested_by = "
		    "'schedule', started_at = ?, finished_at = NULL WHERE name = 'feeds'",
		    "ii", now, now);
	else if (due)
		rc = store_exec(s, err,
				"UPDATE feed_sync_now SET started_at = ?, finished_at = NULL WHERE "
				"name = 'feeds'",
				"i", now);
	if (due && !rc) {
		after =
		    json_pack("{s:s}", "requested_by",
			      FEED_RUN_PENDING(&r) && r.requested_by ? r.requested_by : "schedule");
		rc = store_audit(s, "feed.sync_started", "feed", "all", NULL, after, err);
		json_decref(after);
	}
	free(r.requested_by);
	free(r.message);
	free(r.messages_json);
	if (!due) {
		store_tx_rollback(s);
		return 0;
	}
	rc = store_tx_end(s, rc, err);
	return rc ? -1 : 1;
}

static int sync_job(struct store *s, struct vg_error *err)
{
	struct vulndb_stats st = {0};
	struct collect c = {json_array()};
	struct vg_error e = {0};
	long fetched = 0, not_modified = 0;
	char *messages;
	json_t *after;
	int rc, claimed = claim(s, vg_now(), err);

	if (claimed <= 0) {
		json_decref(c.messages);
		return claimed < 0 ? err->code : VG_OK;
	}
	rc = feeds_sync(s, collect_skip, &c, &st, &fetched, &not_modified, &e);
	messages = json_dumps(c.messages, JSON_COMPACT);
	json_decref(c.messages);
	{
		int wrc = store_tx_begin(s, err);
		if (!wrc)
			wrc = store_exec(
			    s, err,
			    "UPDATE feed_sync_now SET finished_at = ?, ok = ?, message = "
			    "?, fetched = ?, not_modified = ?, imported = ?, updated = ?, "
			    "messages = ? WHERE name = 'feeds'",
			    "iitiiiit", vg_now(), (int64_t)(rc == VG_OK),
			    rc ? vg_error_msg(&e) : NULL, (int64_t)fetched, (int64_t)not_modified,
			    (int64_t)st.imported, (int64_t)st.updated, messages);
		if (!wrc) {
			after =
			    json_pack("{s:b, s:s?, s:I, s:I, s:I, s:I}", "ok", rc == VG_OK, "error",
				      rc ? vg_error_msg(&e) : NULL, "fetched", (json_int_t)fetched,
				      "not_modified", (json_int_t)not_modified, "imported",
				      (json_int_t)st.imported, "updated", (json_int_t)st.updated);
			wrc = store_audit(s, "feed.sync_finished", "feed", "all", NULL, after, err);
			json_decref(after);
		}
		free(messages);
		return store_tx_end(s, wrc, err);
	}
}

const struct vg_job vuln_jobs[] = {
    /* every tick: it only works when a sync was asked for or is due */
    {"feeds.sync", 0, sync_job, NULL},
    {NULL, 0, NULL, NULL},
};
