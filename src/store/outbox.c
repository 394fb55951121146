/*
 * outbox.c - durable events (core/events.h): recorded in the emitter's
 * transaction, delivered after its commit, delivered again by the job
 * "events.redeliver" to the subscribers that failed or were never called
 * (the process died between the commit and the delivery).
 */
#define _POSIX_C_SOURCE 200809L
#include "store/store_int.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/events.h"
#include "core/json.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* The emitter delivers right after its commit; the job leaves a new event
 * alone this long, so both do not call the same subscriber at once. */
#define OUTBOX_GRACE 300
/* Pause after a failed attempt: 60 s doubled per attempt, at most an hour. */
#define OUTBOX_RETRY_MIN 60
#define OUTBOX_RETRY_MAX 3600

static void add_who(const char *who, void *arg)
{
	json_t *list = arg;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) if (strcmp(json_string_value(v), who) == 0) return;
	json_array_append_new(list, json_string(who));
}

int store_event_record(struct store *s, const char *name, const json_t *payload, int64_t *id,
		       struct vg_error *err)
{
	json_t *pending = json_array();
	char *p = NULL, *w = NULL;
	int64_t now = vg_now();
	int rc;

	*id = 0;
	if (!s->in_tx) {
		json_decref(pending);
		return vg_error_set(err, VG_EINTERNAL,
				    "event %s: recorded outside the transaction that causes it",
				    name);
	}
	if (!pending)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_event_each(name, add_who, pending);
	if (json_array_size(pending) == 0) { /* nobody listens: nothing to keep */
		json_decref(pending);
		return VG_OK;
	}
	p = json_dumps(payload, JSON_COMPACT);
	w = json_dumps(pending, JSON_COMPACT);
	json_decref(pending);
	if (!p || !w) {
		free(p);
		free(w);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	rc = store_query_int64(s, id, err,
			       "INSERT INTO event_outbox (name, payload, pending, created_at, "
			       "next_at) VALUES (?,?,?,?,?) RETURNING id",
			       "tttii", name, p, w, now, now + OUTBOX_GRACE);
	free(p);
	free(w);
	return rc;
}

/* Call the subscribers named in pending (all of name's when NULL); the
 * names of those that failed go into failed, the first error into err. */
static void call_all(struct store *s, const char *name, const json_t *payload,
		     const json_t *pending, json_t *failed, struct vg_error *err)
{
	json_t *list = pending ? json_incref((json_t *)pending) : json_array();
	size_t i;
	json_t *v;

	if (!pending && list)
		vg_event_each(name, add_who, list);
	if (!list) {
		vg_error_set(err, VG_ENOMEM, "out of memory");
		return;
	}
	json_array_foreach(list, i, v)
	{
		const char *who = json_string_value(v);
		int rc;
		if (!who)
			continue;
		rc = vg_event_call(s, name, payload, who);
		if (rc == VG_ENOTFOUND) /* a subscriber this program no longer has */
			continue;
		if (rc) {
			if (json_array_append_new(failed, json_string(who)) && !err->code)
				vg_error_set(err, VG_ENOMEM, "out of memory");
			if (!err->code)
				vg_error_set(err, rc, "%s: %s", who, vg_code_message(rc));
		}
	}
	json_decref(list);
}

/* Forget event id, or keep failed for later, in a transaction of its own;
 * attempts: the failed attempts before this one. */
static int settle(struct store *s, int64_t id, int64_t attempts, const json_t *failed,
		  const struct vg_error *why, struct vg_error *err)
{
	int rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	if (json_array_size(failed) == 0 && !why->code) {
		rc = store_exec(s, err, "DELETE FROM event_outbox WHERE id = ?", "i", id);
	} else {
		int64_t pause = OUTBOX_RETRY_MIN;
		char *w = json_dumps(failed, JSON_COMPACT);
		for (int64_t a = 0; a < attempts && pause < OUTBOX_RETRY_MAX; a++)
			pause *= 2;
		if (pause > OUTBOX_RETRY_MAX)
			pause = OUTBOX_RETRY_MAX;
		rc = w ? store_exec(
			     s, err,
			     "UPDATE event_outbox SET pending = ?, attempts = ?, next_at = ?, "
			     "last_error = ? WHERE id = ?",
			     "tiiti", w, attempts + 1, vg_now() + pause, why->msg, id)
		       : vg_error_set(err, VG_ENOMEM, "out of memory");
		free(w);
	}
	return store_tx_end(s, rc, err);
}

void store_event_deliver(struct store *s, int64_t id, const char *name, const json_t *payload)
{
	struct vg_error why = {0}, err = {0};
	json_t *failed;

	if (!id) {
		vg_event_emit(s, name, payload);
		return;
	}
	failed = json_array();
	if (!failed) {
		/* the event stays stored with every subscriber: the job calls them */
		vg_warn("event %s (%lld): out of memory; delivered later", name, (long long)id);
		return;
	}
	call_all(s, name, payload, NULL, failed, &why);
	if (why.code)
		vg_warn("event %s (%lld): %s; tried again later", name, (long long)id,
			vg_error_msg(&why));
	if (settle(s, id, 0, failed, &why, &err))
		vg_warn("event %s (%lld): %s; delivered again later", name, (long long)id,
			vg_error_msg(&err));
	json_decref(failed);
}

struct due {
	int64_t id, attempts;
	char *name, *payload, *pending;
};

int store_event_redeliver(struct store *s, int64_t now, long max, long *done, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	struct due *d = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*done = 0;
	rc = store_prepare(s,
			   "SELECT id, name, payload, pending, attempts FROM event_outbox WHERE "
			   "next_at <= ? ORDER BY id LIMIT ?",
			   &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, now);
	store_bind_int64(st, 2, max > 0 ? max : 100);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		int oom = 0;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct due *g = realloc(d, nc * sizeof(*d));
			if (!g) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			d = g;
			cap = nc;
		}
		d[n].id = store_col_int64(st, 0);
		d[n].attempts = store_col_int64(st, 4);
		d[n].name = store_col_dup(st, 1, &oom);
		d[n].payload = store_col_dup(st, 2, &oom);
		d[n].pending = store_col_dup(st, 3, &oom);
		n++;
		if (oom) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
	}
	store_finalize(st);
	if (rc == STORE_DONE)
		rc = VG_OK;
	for (size_t i = 0; i < n; i++) {
		struct vg_error why = {0}, e = {0};
		json_t *payload = NULL, *pending = NULL, *failed = NULL;
		if (!rc) {
			payload = d[i].payload ? vg_json_parse(d[i].payload, strlen(d[i].payload),
							       "event_outbox.payload", &e)
					       : NULL;
			pending = d[i].pending ? vg_json_parse(d[i].pending, strlen(d[i].pending),
							       "event_outbox.pending", &e)
					       : NULL;
			failed = json_array();
			if (!payload || !json_is_array(pending) || !failed) {
				rc = e.code ? e.code : VG_ENOMEM;
				vg_error_set(err, rc, "event %lld: %s", (long long)d[i].id,
					     e.code ? e.msg : "out of memory");
			}
		}
		if (!rc) {
			call_all(s, d[i].name, payload, pending, failed, &why);
			if (why.code)
				vg_warn("event %s (%lld), attempt %lld: %s", d[i].name,
					(long long)d[i].id, (long long)d[i].attempts + 1,
					vg_error_msg(&why));
			rc = settle(s, d[i].id, d[i].attempts, failed, &why, err);
			if (!rc && !why.code)
				(*done)++;
		}
		json_decref(payload);
		json_decref(pending);
		json_decref(failed);
		free(d[i].name);
		free(d[i].payload);
		free(d[i].pending);
	}
	free(d);
	return rc;
}

int store_event_job(struct store *s, struct vg_error *err)
{
	long n = 0;
	int rc = store_event_redeliver(s, vg_now(), 100, &n, err);
	if (n)
		vg_info("events: %ld event(s) delivered again", n);
	return rc;
}
