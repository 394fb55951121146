#define _POSIX_C_SOURCE 200809L
#include "audit/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

int audit_query(struct store *s, const struct audit_filter *f, json_t **out, struct vg_error *err)
{
	struct vg_buf q = VG_BUF_INIT;
	struct store_stmt *st = NULL;
	int rc, n = 0;
	json_t *arr;

	*out = NULL;
	vg_buf_adds(&q, "SELECT seq, at, actor, remote, action, object_type, object_id, "
			"before_json, after_json, prev_hash, hash FROM audit_log WHERE 1=1");
	if (f->since)
		vg_buf_adds(&q, " AND at >= ?");
	if (f->until)
		vg_buf_adds(&q, " AND at <= ?");
	if (f->actor)
		vg_buf_adds(&q, " AND actor = ?");
	if (f->otype)
		vg_buf_adds(&q, " AND object_type = ?");
	if (f->oid)
		vg_buf_adds(&q, " AND object_id = ?");
	if (f->after_seq)
		vg_buf_adds(&q, " AND seq > ?");
	vg_buf_adds(&q, " ORDER BY seq");
	if (f->limit)
		vg_buf_adds(&q, " LIMIT ?");
	if (!q.data)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_prepare(s, q.data, &st, err);
	vg_buf_release(&q);
	if (rc)
		return rc;
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
	if (f->after_seq)
		store_bind_int64(st, ++n, f->after_seq);
	if (f->limit)
		store_bind_int64(st, ++n, f->limit);
	arr = json_array();
	while ((rc = store_step(st, err)) == STORE_ROW) {
		char ts[32];
		const char *b = store_col_text(st, 7), *a = store_col_text(st, 8);
		json_t *rec = json_object();
		json_object_set_new(rec, "seq", json_integer(store_col_int64(st, 0)));
		json_object_set_new(
		    rec, "at", json_string(vg_time_format(store_col_int64(st, 1), ts, sizeof(ts))));
		vg_json_set_str(rec, "actor", store_col_text(st, 2));
		vg_json_set_str(rec, "remote", store_col_text(st, 3));
		vg_json_set_str(rec, "action", store_col_text(st, 4));
		vg_json_set_str(rec, "object_type", store_col_text(st, 5));
		vg_json_set_str(rec, "object_id", store_col_text(st, 6));
		json_object_set_new(rec, "before",
				    b ? json_loads(b, JSON_DECODE_ANY, NULL) : json_null());
		json_object_set_new(rec, "after",
				    a ? json_loads(a, JSON_DECODE_ANY, NULL) : json_null());
		vg_json_set_str(rec, "prev_hash", store_col_text(st, 9));
		vg_json_set_str(rec, "hash", store_col_text(st, 10));
		json_array_append_new(arr, rec);
	}
	store_finalize(st);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return VG_OK;
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
