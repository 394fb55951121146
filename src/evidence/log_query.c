/*
 * log_query.c - queries of the log store by time, product, version, source
 * and text (logs.h): the index rows name the blocks, only those are read.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/arena.h"
#include "core/clock.h"
#include "evidence/log_block.h"
#include "store/store.h"
#include "update/release.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* One sealed segment opened for reading, with its dictionary. */
struct seg_cache {
	int64_t id;
	struct artifact_reader *r;
	char *dict;
	size_t dictn;
};

static void seg_close(struct seg_cache *c)
{
	artifact_close(c->r);
	free(c->dict);
	memset(c, 0, sizeof(*c));
}

static int read_exact(struct artifact_reader *r, struct store *s, uint64_t pos, char *buf, size_t n,
		      struct vg_error *err)
{
	size_t got = 0;
	while (got < n) {
		long k = artifact_read_at(r, s, pos + got, buf + got, n - got, err);
		if (k < 0)
			return err ? err->code : VG_EIO;
		if (k == 0)
			return vg_error_set(err, VG_EIO, "short segment");
		got += (size_t)k;
	}
	return VG_OK;
}

static int seg_open(struct store *s, struct seg_cache *c, int64_t id, const char *sha,
		    int64_t dictn, struct vg_error *err)
{
	char magic[LOG_SEG_MAGIC_LEN];
	int rc;
	if (c->id == id)
		return VG_OK;
	seg_close(c);
	rc = artifact_open(s, sha, &c->r, err);
	if (!rc)
		rc = read_exact(c->r, s, 0, magic, sizeof(magic), err);
	if (!rc && memcmp(magic, LOG_SEG_MAGIC, LOG_SEG_MAGIC_LEN) != 0)
		rc = vg_error_set(err, VG_EIO, "not a log segment");
	if (!rc && dictn > 0) {
		c->dict = malloc((size_t)dictn);
		c->dictn = (size_t)dictn;
		rc = c->dict ? read_exact(c->r, s, LOG_SEG_MAGIC_LEN, c->dict, c->dictn, err)
			     : vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (rc) {
		vg_error_prefix(err, "log segment %" PRId64 " (%s)", id, sha);
		seg_close(c);
		return rc;
	}
	c->id = id;
	return VG_OK;
}

/* The matching events collected, kept to limit+offset of the earliest. */
struct hit {
	struct log_event ev;
	int64_t seq;
};
struct qctx {
	const struct logs_filter *f;
	struct vg_arena mem;
	struct hit *h;
	size_t n, cap;
	int64_t seq;
	int oom;
	struct logs_query_stats *st;
	/* histogram */
	int64_t *counts;
	size_t nb;
};

static int matches(const struct logs_filter *f, const struct log_event *ev)
{
	if (f->since && ev->time < f->since)
		return 0;
	if (f->until && ev->time > f->until)
		return 0;
	if (f->grep && f->grep[0] && !strstr(ev->message, f->grep))
		return 0;
	return 1;
}

static int collect(const struct log_event *ev, void *arg)
{
	struct qctx *q = arg;
	struct hit *g, *x;
	q->st->events_scanned++;
	if (!matches(q->f, ev))
		return 0;
	q->st->matched++;
	if (q->counts) {
		int64_t span = q->f->until - q->f->since + 1;
		size_t i = (size_t)(((ev->time - q->f->since) * (int64_t)q->nb) / span);
		if (i >= q->nb)
			i = q->nb - 1;
		q->counts[i]++;
		return 0;
	}
	g = vg_arena_grow(&q->mem, q->h, q->n, &q->cap, sizeof(*q->h), 256);
	if (!g) {
		q->oom = 1;
		return 1;
	}
	q->h = g;
	x = &q->h[q->n];
	x->seq = q->seq++;
	x->ev = *ev;
	x->ev.host = vg_arena_strdup(&q->mem, ev->host);
	x->ev.message = vg_arena_strdup(&q->mem, ev->message);
	x->ev.fields = ev->fields ? vg_arena_strdup(&q->mem, ev->fields) : NULL;
	x->ev.source = vg_arena_strdup(&q->mem, ev->source);
	x->ev.product = vg_arena_strdup(&q->mem, ev->product);
	x->ev.version = vg_arena_strdup(&q->mem, ev->version);
	if (!x->ev.host || !x->ev.message || !x->ev.source || !x->ev.product || !x->ev.version ||
	    (ev->fields && !x->ev.fields)) {
		q->oom = 1;
		return 1;
	}
	q->n++;
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->ev.time != y->ev.time)
		return x->ev.time < y->ev.time ? -1 : 1;
	if (x->ev.received != y->ev.received)
		return x->ev.received < y->ev.received ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Keep the earliest `need` hits, copied into a fresh arena. */
static int trim(struct qctx *q, size_t need)
{
	struct vg_arena fresh;
	struct hit *nh;
	if (q->n > 1)
		qsort(q->h, q->n, sizeof(*q->h), hit_cmp);
	if (q->n <= need)
		return 0;
	vg_arena_init_block(&fresh, 0, 1 << 16);
	nh = vg_arena_array(&fresh, need ? need : 1, sizeof(*nh));
	if (!nh) {
		vg_arena_release(&fresh);
		return -1;
	}
	for (size_t i = 0; i < need; i++) {
		struct log_event *e = &nh[i].ev;
		nh[i] = q->h[i];
		e->host = vg_arena_strdup(&fresh, e->host);
		e->message = vg_arena_strdup(&fresh, e->message);
		e->fields = e->fields ? vg_arena_strdup(&fresh, e->fields) : NULL;
		e->source = vg_arena_strdup(&fresh, e->source);
		e->product = vg_arena_strdup(&fresh, e->product);
		e->version = vg_arena_strdup(&fresh, e->version);
		if (!e->host || !e->message || !e->source || !e->product || !e->version ||
		    (q->h[i].ev.fields && !e->fields)) {
			vg_arena_release(&fresh);
			return -1;
		}
	}
	vg_arena_release(&q->mem);
	q->mem = fresh;
	q->h = nh;
	q->n = need;
	q->cap = need;
	return 0;
}

static int check_filter(const struct logs_filter *f, struct vg_error *err)
{
	if (f->since && f->until && f->until < f->since)
		return vg_error_set(err, VG_EINVAL, "until is before since");
	if (f->limit < 0 || f->limit > LOGS_QUERY_LIMIT_MAX)
		return vg_error_set(err, VG_EINVAL, "limit %" PRId64 ": expected 1 to %d", f->limit,
				    LOGS_QUERY_LIMIT_MAX);
	if (f->offset < 0 || f->offset > 10000000)
		return vg_error_set(err, VG_EINVAL, "offset %" PRId64 ": expected 0 to 10000000",
				    f->offset);
	return VG_OK;
}

/* Read the blocks the index names for f, oldest first, into q. need: stop
 * once this many hits are held and the next block starts after the last of
 * them (0: read all). */
static int scan(struct store *s, const struct logs_filter *f, struct qctx *q, size_t need,
		struct vg_error *err)
{
	struct store_stmt *st = NULL;
	struct seg_cache seg = {0};
	char sql[1024];
	int rc, nb = 0;
	size_t len;

	len = (size_t)snprintf(sql, sizeof(sql),
			       "SELECT b.id, b.segment_id, b.source, b.product, b.version, "
			       "b.min_time, b.stored_bytes, b.off, b.data, g.sha256, g.dict_len, "
			       "b.raw_bytes FROM log_blocks b LEFT JOIN log_segments g ON g.id = "
			       "b.segment_id WHERE b.max_time >= ? AND b.min_time <= ?");
	if (f->product && f->product[0])
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND b.product = ?");
	if (f->version && f->version[0])
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND b.version = ?");
	if (f->source && f->source[0])
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND b.source = ?");
	snprintf(sql + len, sizeof(sql) - len, " ORDER BY b.min_time, b.id");
	rc = store_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, ++nb, f->since ? f->since : INT64_MIN / 2);
	store_bind_int64(st, ++nb, f->until ? f->until : INT64_MAX / 2);
	if (f->product && f->product[0])
		store_bind_text(st, ++nb, f->product);
	if (f->version && f->version[0])
		store_bind_text(st, ++nb, f->version);
	if (f->source && f->source[0])
		store_bind_text(st, ++nb, f->source);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		int64_t id = store_col_int64(st, 0), segid = store_col_int64(st, 1);
		int64_t mint = store_col_int64(st, 5), zlen = store_col_int64(st, 6);
		int64_t rawn = store_col_int64(st, 11);
		char *z = NULL, *raw = NULL, *scratch = NULL;
		size_t rn = 0;
		const char *src = store_col_text(st, 2), *prod = store_col_text(st, 3),
			   *ver = store_col_text(st, 4);
		char source[LOGS_FIELD_MAX], product[LOGS_FIELD_MAX], version[LOGS_FIELD_MAX];

		if (need && q->n >= need) {
			if (trim(q, need)) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			if (mint > q->h[need - 1].ev.time)
				break;
		}
		snprintf(source, sizeof(source), "%s", src ? src : "");
		snprintf(product, sizeof(product), "%s", prod ? prod : "");
		snprintf(version, sizeof(version), "%s", ver ? ver : "");
		q->st->blocks_read++;
		if (segid == 0) {
			size_t zn = 0;
			const void *zb = store_col_blob(st, 8, &zn);
			rc = log_zdecompress(zb, zn, NULL, 0, (size_t)rawn + 1, &raw, &rn, err);
		} else {
			const char *sha = store_col_text(st, 9);
			if (!sha) {
				rc = vg_error_set(err, VG_EIO,
						  "log block %" PRId64 ": its segment %" PRId64
						  " is gone",
						  id, segid);
				break;
			}
			rc = seg_open(s, &seg, segid, sha, store_col_int64(st, 10), err);
			if (!rc) {
				z = malloc((size_t)zlen + 1);
				rc = z ? read_exact(seg.r, s, (uint64_t)store_col_int64(st, 7), z,
						    (size_t)zlen, err)
				       : vg_error_set(err, VG_ENOMEM, "out of memory");
			}
			if (!rc)
				rc = log_zdecompress(z, (size_t)zlen, seg.dict, seg.dictn,
						     (size_t)rawn + 1, &raw, &rn, err);
			if (rc)
				vg_error_prefix(err, "log segment %" PRId64 " block %" PRId64,
						segid, id);
		}
		free(z);
		if (rc)
			break;
		scratch = malloc(rn + 1);
		if (!scratch) {
			free(raw);
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		if (log_block_each(raw, rn, mint, source, product, version, collect, q, scratch) <
		    0)
			rc = vg_error_set(err, VG_EIO, "log block %" PRId64 ": damaged", id);
		else if (q->oom)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		free(scratch);
		free(raw);
		if (rc)
			break;
	}
	if (rc == STORE_DONE || rc == STORE_ROW)
		rc = VG_OK;
	store_finalize(st);
	seg_close(&seg);
	return rc;
}

int logs_query(struct store *s, const struct logs_filter *f, logs_event_fn fn, void *arg,
	       struct logs_query_stats *stats, struct vg_error *err)
{
	struct logs_query_stats local = {0};
	struct qctx q = {0};
	int64_t limit = f->limit ? f->limit : LOGS_QUERY_LIMIT;
	size_t need;
	int rc;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	rc = check_filter(f, err);
	if (rc)
		return rc;
	need = (size_t)(limit + f->offset);
	q.f = f;
	q.st = stats;
	vg_arena_init_block(&q.mem, 0, 1 << 16);
	rc = scan(s, f, &q, need, err);
	if (!rc && trim(&q, need))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	for (size_t i = (size_t)f->offset; !rc && i < q.n; i++)
		if (fn(&q.h[i].ev, arg))
			break;
	vg_arena_release(&q.mem);
	return rc;
}

int logs_histogram(struct store *s, const struct logs_filter *f, size_t n, int64_t *counts,
		   struct logs_query_stats *stats, struct vg_error *err)
{
	struct logs_query_stats local = {0};
	struct qctx q = {0};
	int rc;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (!n || !f->since || !f->until || f->until < f->since)
		return vg_error_set(err, VG_EINVAL, "a histogram needs since before until");
	memset(counts, 0, n * sizeof(*counts));
	q.f = f;
	q.st = stats;
	q.counts = counts;
	q.nb = n;
	vg_arena_init(&q.mem, 0);
	rc = scan(s, f, &q, 0, err);
	vg_arena_release(&q.mem);
	return rc;
}
