/*
 * audit.c - reading the audit trail as typed records, and verifying its
 * hash chain.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void audit_entry_list_release(struct audit_entry_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		struct audit_entry *e = &l->items[i];
		free(e->actor);
		free(e->remote);
		free(e->action);
		free(e->object_type);
		free(e->object_id);
		free(e->before_json);
		free(e->after_json);
		free(e->prev_hash);
		free(e->hash);
	}
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/*
 * Records written before migration 0018 may hold an anonymous caller's
 * address in clear (remote) and a plain SHA-256 of it (a case.received's
 * "remote_sha256"). The chain covers them, so they stay as stored (audit
 * verify still checks them); every reader is shown the address keyed
 * (store_anon_remote, as new records are written) and not the plain hash.
 */
static int hide_legacy_address(struct audit_entry *e)
{
	if (e->actor && strcmp(e->actor, "anonymous") == 0 && e->remote && *e->remote &&
	    strncmp(e->remote, "anon", 4) != 0) {
		char anon[64];
		store_anon_remote(e->remote, anon, sizeof(anon));
		free(e->remote);
		if (!(e->remote = strdup(anon)))
			return VG_ENOMEM;
	}
	if (e->after_json && strstr(e->after_json, "\"remote_sha256\"")) {
		json_t *a = json_loads(e->after_json, JSON_DECODE_ANY, NULL);
		char *text;
		if (!a || !json_is_object(a)) {
			json_decref(a);
			return VG_OK;
		}
		json_object_del(a, "remote_sha256");
		text = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(a);
		if (!text)
			return VG_ENOMEM;
		free(e->after_json);
		e->after_json = text;
	}
	return VG_OK;
}

/* The WHERE clause of f (after "WHERE 1=1") into q. */
static void filter_where(const struct audit_filter *f, struct vg_buf *q)
{
	if (f->since)
		vg_buf_adds(q, " AND at >= ?");
	if (f->until)
		vg_buf_adds(q, " AND at <= ?");
	if (f->actor)
		vg_buf_adds(q, " AND actor = ?");
	if (f->otype)
		vg_buf_adds(q, " AND object_type = ?");
	if (f->oid)
		vg_buf_adds(q, " AND object_id = ?");
	if (f->action) {
		size_t n = strlen(f->action);
		/* a prefix is compared with substr(), not LIKE: '_' and '%' in
		 * action names stay literal on both backends */
		if (n && f->action[n - 1] == '*')
			vg_buf_addf(q, " AND substr(action, 1, %zu) = ?", n - 1);
		else
			vg_buf_adds(q, " AND action = ?");
	}
	if (f->hide_action_prefix)
		vg_buf_addf(q, " AND substr(action, 1, %zu) <> ?", strlen(f->hide_action_prefix));
	if (f->after_seq)
		vg_buf_adds(q, " AND seq > ?");
	if (f->before_seq)
		vg_buf_adds(q, " AND seq < ?");
}

/* Bind the parameters of filter_where(); returns the next index. */
static int filter_bind(const struct audit_filter *f, struct store_stmt *st)
{
	int n = 0;
	if (f->since)
		store_bind_int64(st, ++n, f->since);
	if (f->until)
		store_bind_int64(st, ++n, f->until);
	if (f->actor)
		store_bind_text(st, ++n, f->actor);
	if (f->otype)
		store_bind_text(st, ++n, f->otype);
	if (f->oid)
		store_bind_text(st, ++n, f->oid);
	if (f->action) {
		size_t len = strlen(f->action);
		if (len && f->action[len - 1] == '*') {
			char pre[256];
			snprintf(pre, sizeof(pre), "%.*s", (int)(len - 1), f->action);
			store_bind_text(st, ++n, pre);
		} else
			store_bind_text(st, ++n, f->action);
	}
	if (f->hide_action_prefix)
		store_bind_text(st, ++n, f->hide_action_prefix);
	if (f->after_seq)
		store_bind_int64(st, ++n, f->after_seq);
	if (f->before_seq)
		store_bind_int64(st, ++n, f->before_seq);
	return n;
}

int audit_count_matching(struct store *s, const struct audit_filter *f, int64_t *count,
			 struct vg_error *err)
{
	struct vg_buf q = VG_BUF_INIT;
	struct store_stmt *st = NULL;
	int rc;

	*count = 0;
	if (f->action && strlen(f->action) > 200)
		return vg_error_set(err, VG_EINVAL, "action: at most 200 characters");
	vg_buf_adds(&q, "SELECT COUNT(*) FROM audit_log WHERE 1=1");
	filter_where(f, &q);
	if (!q.data)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_prepare(s, q.data, &st, err);
	vg_buf_release(&q);
	if (rc)
		return rc;
	filter_bind(f, st);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		*count = store_col_int64(st, 0);
		rc = VG_OK;
	} else if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	return rc;
}

int audit_query(struct store *s, const struct audit_filter *f, struct audit_entry_list *out,
		struct vg_error *err)
{
	struct vg_buf q = VG_BUF_INIT;
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int rc, n, oom = 0;

	memset(out, 0, sizeof(*out));
	if (f->action && strlen(f->action) > 200)
		return vg_error_set(err, VG_EINVAL, "action: at most 200 characters");
	vg_buf_adds(&q, "SELECT seq, at, actor, remote, action, object_type, object_id, "
			"before_json, after_json, prev_hash, hash FROM audit_log WHERE 1=1");
	filter_where(f, &q);
	vg_buf_adds(&q, f->newest_first ? " ORDER BY seq DESC" : " ORDER BY seq");
	if (f->limit || f->offset)
		vg_buf_adds(&q, " LIMIT ? OFFSET ?");
	if (!q.data)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_prepare(s, q.data, &st, err);
	vg_buf_release(&q);
	if (rc)
		return rc;
	n = filter_bind(f, st);
	if (f->limit || f->offset) {
		/* LIMIT -1 is "no limit" on SQLite, refused by PostgreSQL: a large one */
		store_bind_int64(st, ++n, f->limit ? f->limit : INT64_MAX);
		store_bind_int64(st, ++n, f->offset);
	}
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct audit_entry *e;
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct audit_entry *v = realloc(out->items, ncap * sizeof(*v));
			if (!v) {
				oom = 1;
				break;
			}
			out->items = v;
			cap = ncap;
		}
		e = &out->items[out->n++];
		memset(e, 0, sizeof(*e));
		e->seq = store_col_int64(st, 0);
		e->at = store_col_int64(st, 1);
		e->actor = store_col_dup(st, 2, &oom);
		e->remote = store_col_dup(st, 3, &oom);
		e->action = store_col_dup(st, 4, &oom);
		e->object_type = store_col_dup(st, 5, &oom);
		e->object_id = store_col_dup(st, 6, &oom);
		e->before_json = store_col_dup(st, 7, &oom);
		e->after_json = store_col_dup(st, 8, &oom);
		e->prev_hash = store_col_dup(st, 9, &oom);
		e->hash = store_col_dup(st, 10, &oom);
		if (oom || (oom = hide_legacy_address(e) != VG_OK))
			break;
	}
	store_finalize(st);
	if (oom)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	else if (rc == STORE_DONE)
		rc = VG_OK;
	if (rc)
		audit_entry_list_release(out);
	return rc;
}

static json_t *state_json(const char *text)
{
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	return v ? v : json_null();
}

json_t *audit_entry_to_json(const struct audit_entry *e)
{
	char ts[32];
	json_t *rec = json_object();
	json_object_set_new(rec, "seq", json_integer(e->seq));
	json_object_set_new(rec, "at", json_string(vg_time_format(e->at, ts, sizeof(ts))));
	vg_json_set_str(rec, "actor", e->actor);
	vg_json_set_str(rec, "remote", e->remote);
	vg_json_set_str(rec, "action", e->action);
	vg_json_set_str(rec, "object_type", e->object_type);
	vg_json_set_str(rec, "object_id", e->object_id);
	json_object_set_new(rec, "before", state_json(e->before_json));
	json_object_set_new(rec, "after", state_json(e->after_json));
	vg_json_set_str(rec, "prev_hash", e->prev_hash);
	vg_json_set_str(rec, "hash", e->hash);
	return rec;
}

json_t *audit_entry_list_to_json(const struct audit_entry_list *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(arr, audit_entry_to_json(&l->items[i]));
	return arr;
}

int audit_query_json(struct store *s, const struct audit_filter *f, json_t **out,
		     struct vg_error *err)
{
	struct audit_entry_list l;
	int rc = audit_query(s, f, &l, err);

	*out = NULL;
	if (rc)
		return rc;
	*out = audit_entry_list_to_json(&l);
	audit_entry_list_release(&l);
	return VG_OK;
}

int audit_count(struct store *s, int64_t *count, struct vg_error *err)
{
	*count = 0;
	return store_query_int64(s, count, err, "SELECT COUNT(*) FROM audit_log", NULL);
}

int audit_last_seq(struct store *s, int64_t *seq, struct vg_error *err)
{
	*seq = 0;
	return store_query_int64(s, seq, err, "SELECT COALESCE(MAX(seq), 0) FROM audit_log", NULL);
}

int audit_verify(struct store *s, int64_t *count, int64_t *bad_seq, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	char prev[VG_SHA256_HEX] = STORE_AUDIT_ZERO_HASH;
	char h[VG_SHA256_HEX];
	int64_t expect = 1;
	int rc;

	*count = 0;
	*bad_seq = 0;
	rc = store_prepare(s,
			   "SELECT seq, at, actor, remote, action, object_type, object_id, "
			   "before_json, after_json, prev_hash, hash FROM audit_log ORDER BY seq",
			   &st, err);
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		int64_t seq = store_col_int64(st, 0);
		const char *ph = store_col_text(st, 9), *hh = store_col_text(st, 10);

		(*count)++;
		if (seq != expect) {
			*bad_seq = seq > expect ? expect : seq;
			rc = vg_error_set(
			    err, VG_EAUDIT,
			    "audit chain broken at sequence %lld: expected record %lld, "
			    "found %lld (a record was removed or reordered)",
			    (long long)*bad_seq, (long long)expect, (long long)seq);
			goto out;
		}
		if (!ph || strcmp(ph, prev) != 0) {
			*bad_seq = seq;
			rc = vg_error_set(
			    err, VG_EAUDIT,
			    "audit chain broken at sequence %lld: previous-hash does not "
			    "match record %lld",
			    (long long)seq, (long long)(seq - 1));
			goto out;
		}
		rc = store_audit_hash(seq, store_col_int64(st, 1), store_col_text(st, 2),
				      store_col_text(st, 3), store_col_text(st, 4),
				      store_col_text(st, 5), store_col_text(st, 6),
				      store_col_text(st, 7), store_col_text(st, 8), ph, h);
		if (rc)
			goto out;
		if (!hh || strcmp(h, hh) != 0) {
			*bad_seq = seq;
			rc =
			    vg_error_set(err, VG_EAUDIT,
					 "audit chain broken at sequence %lld: record content does "
					 "not match its hash (altered)",
					 (long long)seq);
			goto out;
		}
		memcpy(prev, hh, sizeof(prev));
		expect++;
	}
	rc = rc == STORE_DONE ? VG_OK : rc;
out:
	store_finalize(st);
	return rc;
}
