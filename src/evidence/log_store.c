/*
 * log_store.c - blocks, ingest, sealing into segments, verification and
 * statistics of the log store (logs.h, log_block.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/hash.h"
#include "core/log.h"
#include "evidence/log_block.h"
#include "evidence/log_parse.h"
#include "store/store.h"
#include "update/release.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <zstd.h>

#include "core/banned.h"

/* ---- the raw text of a block ---- */

static int add_escaped(struct vg_buf *b, const char *s)
{
	const char *p = s ? s : "";
	while (*p) {
		size_t run = strcspn(p, "\t\n\r\\");
		if (run && vg_buf_add(b, p, run))
			return -1;
		p += run;
		if (!*p)
			break;
		if (vg_buf_addc(b, '\\') || vg_buf_addc(b, *p == '\t'   ? 't'
							   : *p == '\n' ? 'n'
							   : *p == '\r' ? 'r'
									: '\\'))
			return -1;
		p++;
	}
	return 0;
}

int log_block_add(struct vg_buf *b, const struct log_event *ev, int64_t base)
{
	if (vg_buf_addf(b, "%" PRId64 "\t%" PRId64 "\t", ev->time - base,
			ev->received - ev->time) ||
	    add_escaped(b, ev->host) || vg_buf_addc(b, '\t') || add_escaped(b, ev->fields) ||
	    vg_buf_addc(b, '\t') || add_escaped(b, ev->message) || vg_buf_addc(b, '\n'))
		return -1;
	return 0;
}

/* Unescape the field at *p (up to tab or newline) into scratch; *p moves
 * past its separator. */
static const char *field(const char **p, const char *end, char **w)
{
	char *start = *w;
	while (*p < end && **p != '\t' && **p != '\n') {
		if (**p == '\\' && *p + 1 < end) {
			char c = (*p)[1];
			*(*w)++ = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
			*p += 2;
		} else {
			*(*w)++ = *(*p)++;
		}
	}
	*(*w)++ = '\0';
	if (*p < end)
		(*p)++;
	return start;
}

static int64_t num(const char **p, const char *end, int *bad)
{
	int neg = 0;
	int64_t v = 0;
	if (*p < end && **p == '-') {
		neg = 1;
		(*p)++;
	}
	if (*p >= end || **p < '0' || **p > '9')
		*bad = 1;
	while (*p < end && **p >= '0' && **p <= '9')
		v = v * 10 + (*(*p)++ - '0');
	if (*p < end && **p == '\t')
		(*p)++;
	else
		*bad = 1;
	return neg ? -v : v;
}

int log_block_each(const char *raw, size_t n, int64_t base, const char *source, const char *product,
		   const char *version, int (*fn)(const struct log_event *ev, void *arg), void *arg,
		   char *scratch)
{
	const char *p = raw, *end = raw + n;
	while (p < end) {
		struct log_event ev = {0};
		char *w = scratch;
		const char *f;
		int bad = 0, rc;
		ev.time = base + num(&p, end, &bad);
		ev.received = ev.time + num(&p, end, &bad);
		if (bad)
			return -1;
		ev.host = field(&p, end, &w);
		f = field(&p, end, &w);
		ev.fields = f[0] ? f : NULL;
		ev.message = field(&p, end, &w);
		ev.source = source;
		ev.product = product;
		ev.version = version;
		rc = fn(&ev, arg);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- zstd ---- */

int log_zcompress(const void *src, size_t n, int level, const void *dict, size_t dictn, char **out,
		  size_t *outn, struct vg_error *err)
{
	size_t cap = ZSTD_compressBound(n), r;
	ZSTD_CCtx *cx = ZSTD_createCCtx();
	char *o = malloc(cap ? cap : 1);
	*out = NULL;
	if (!cx || !o) {
		ZSTD_freeCCtx(cx);
		free(o);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (dict && dictn)
		r = ZSTD_compress_usingDict(cx, o, cap, src, n, dict, dictn, level);
	else
		r = ZSTD_compressCCtx(cx, o, cap, src, n, level);
	ZSTD_freeCCtx(cx);
	if (ZSTD_isError(r)) {
		free(o);
		return vg_error_set(err, VG_EIO, "zstd: %s", ZSTD_getErrorName(r));
	}
	*out = o;
	*outn = r;
	return VG_OK;
}

int log_zdecompress(const void *src, size_t n, const void *dict, size_t dictn, size_t max,
		    char **out, size_t *outn, struct vg_error *err)
{
	unsigned long long sz = ZSTD_getFrameContentSize(src, n);
	ZSTD_DCtx *dx;
	char *o;
	size_t r;
	*out = NULL;
	if (sz == ZSTD_CONTENTSIZE_ERROR || sz == ZSTD_CONTENTSIZE_UNKNOWN || sz > max)
		return vg_error_set(err, VG_EIO, "a block is damaged (no valid zstd frame)");
	dx = ZSTD_createDCtx();
	o = malloc((size_t)sz + 1);
	if (!dx || !o) {
		ZSTD_freeDCtx(dx);
		free(o);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (dict && dictn)
		r = ZSTD_decompress_usingDict(dx, o, (size_t)sz, src, n, dict, dictn);
	else
		r = ZSTD_decompressDCtx(dx, o, (size_t)sz, src, n);
	ZSTD_freeDCtx(dx);
	if (ZSTD_isError(r) || r != sz) {
		free(o);
		return vg_error_set(err, VG_EIO, "a block is damaged: %s",
				    ZSTD_isError(r) ? ZSTD_getErrorName(r) : "short");
	}
	o[r] = '\0';
	*out = o;
	*outn = r;
	return VG_OK;
}

/* ---- ingest ---- */

static int ev_cmp(const void *a, const void *b)
{
	const struct log_event *x = *(const struct log_event *const *)a;
	const struct log_event *y = *(const struct log_event *const *)b;
	int c = strcmp(x->source, y->source);
	if (!c)
		c = strcmp(x->product, y->product);
	if (!c)
		c = strcmp(x->version, y->version);
	if (!c)
		c = (x->time > y->time) - (x->time < y->time);
	if (!c)
		c = (x->received > y->received) - (x->received < y->received);
	if (!c)
		c = (x > y) - (x < y); /* arrival order within a batch */
	return c;
}

static int same_group(const struct log_event *x, const struct log_event *y)
{
	return !strcmp(x->source, y->source) && !strcmp(x->product, y->product) &&
	       !strcmp(x->version, y->version);
}

/* Write events g[0..n-1] (one group, time-sorted) as one open block. */
static int put_open_block(struct store *s, struct log_event *const *g, size_t n, int64_t now,
			  struct vg_error *err)
{
	struct vg_buf raw;
	char *z = NULL;
	size_t zn = 0;
	int64_t base = g[0]->time, maxt = g[n - 1]->time;
	int rc = VG_OK;

	vg_buf_init(&raw, 0);
	for (size_t i = 0; i < n && !rc; i++)
		if (log_block_add(&raw, g[i], base))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!rc)
		rc = log_zcompress(raw.data, raw.len, 1, NULL, 0, &z, &zn, err);
	if (!rc)
		rc = store_exec_cached(
		    s, err,
		    "INSERT INTO log_blocks (segment_id, source, product, version, min_time, "
		    "max_time, events, raw_bytes, stored_bytes, off, received_at, data) VALUES "
		    "(0, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
		    "tttiiiiiib", g[0]->source, g[0]->product, g[0]->version, base, maxt,
		    (int64_t)n, (int64_t)raw.len, (int64_t)zn, now, z, zn);
	free(z);
	vg_buf_release(&raw);
	return rc;
}

int logs_ingest(struct store *s, const struct log_event *ev, size_t n, struct vg_error *err)
{
	return logs_ingest_with(s, ev, n, NULL, NULL, err);
}

int logs_ingest_with(struct store *s, const struct log_event *ev, size_t n,
		     int (*also)(struct store *s, void *arg, struct vg_error *err), void *arg,
		     struct vg_error *err)
{
	struct log_event *copy = NULL, **ord = NULL;
	struct log_maps_cache maps = {0};
	int64_t now = vg_now();
	int rc = VG_OK;

	if (!n) {
		if (!also)
			return VG_OK;
		rc = store_tx_begin(s, err);
		if (!rc)
			rc = also(s, arg, err);
		return store_tx_end(s, rc, err);
	}
	for (size_t i = 0; i < n; i++) {
		char what[48];
		snprintf(what, sizeof(what), "event %zu", i + 1);
		rc = log_event_check(&ev[i], what, err);
		if (rc)
			return rc;
	}
	copy = malloc(n * sizeof(*copy));
	ord = malloc(n * sizeof(*ord));
	if (!copy || !ord) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	rc = log_maps_load(s, &maps, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < n; i++) {
		copy[i] = ev[i];
		if (!copy[i].product)
			copy[i].product = "";
		if (!copy[i].version)
			copy[i].version = "";
		if (!copy[i].host)
			copy[i].host = "";
		if (!copy[i].message)
			copy[i].message = "";
		if (!copy[i].received)
			copy[i].received = now;
		if (!copy[i].product[0])
			log_maps_apply(&maps, &copy[i]);
		ord[i] = &copy[i];
	}
	if (n > 1)
		qsort(ord, n, sizeof(*ord), ev_cmp);
	rc = store_tx_begin(s, err);
	if (rc) {
		rc = vg_error_set(err, VG_ERATE, "the log store is busy: %s", err->msg);
		goto out;
	}
	for (size_t i = 0; i < n && !rc;) {
		size_t j = i, bytes = 0;
		while (j < n && same_group(ord[i], ord[j]) && bytes < LOGS_BLOCK_RAW) {
			bytes += strlen(ord[j]->message) +
				 (ord[j]->fields ? strlen(ord[j]->fields) : 0) +
				 strlen(ord[j]->host) + 24;
			j++;
		}
		rc = put_open_block(s, ord + i, j - i, now, err);
		i = j;
	}
	if (!rc && also)
		rc = also(s, arg, err);
	rc = store_tx_end(s, rc, err);
	if (rc == VG_EDB && strstr(err->msg, "locked"))
		rc = vg_error_set(err, VG_ERATE, "the log store is busy: %s", err->msg);
out:
	log_maps_release(&maps);
	free(copy);
	free(ord);
	return rc;
}

/* ---- sealing ---- */

struct seal_ev {
	struct log_event ev;
};

struct seal_ctx {
	struct vg_arena mem;
	struct log_event *evs;
	size_t n, cap;
	int oom;
};

static int seal_collect(const struct log_event *ev, void *arg)
{
	struct seal_ctx *c = arg;
	struct log_event *e;
	struct log_event *g = vg_arena_grow(&c->mem, c->evs, c->n, &c->cap, sizeof(*c->evs), 1024);
	if (!g) {
		c->oom = 1;
		return 1;
	}
	c->evs = g;
	e = &c->evs[c->n];
	*e = *ev;
	e->host = vg_arena_strdup(&c->mem, ev->host);
	e->message = vg_arena_strdup(&c->mem, ev->message);
	e->fields = ev->fields ? vg_arena_strdup(&c->mem, ev->fields) : NULL;
	e->product = vg_arena_strdup(&c->mem, ev->product);
	e->version = vg_arena_strdup(&c->mem, ev->version);
	e->source = vg_arena_strdup(&c->mem, ev->source);
	if (!e->host || !e->message || !e->product || !e->version || !e->source ||
	    (ev->fields && !e->fields)) {
		c->oom = 1;
		return 1;
	}
	c->n++;
	return 0;
}

struct new_block {
	size_t first, n;
	char *z;
	size_t zn;
	size_t raw;
	int64_t off;
};

static int ev_cmp_val(const void *a, const void *b)
{
	const struct log_event *pa = a, *pb = b;
	return ev_cmp(&pa, &pb);
}

/* Train a dictionary on the event lines when it makes the segment smaller:
 * compare the first blocks with and without it. */
static void train_dict(struct log_event *evs, size_t n, struct new_block *nb, size_t nnb,
		       struct vg_buf *rawtexts, char **dict, size_t *dictn)
{
	size_t samples = n < 20000 ? n : 20000, total = 0, *sizes;
	struct vg_buf sb;
	char *d;
	size_t dn, with = 0, without = 0, tried = 0;

	*dict = NULL;
	*dictn = 0;
	if (n < 1000 || nnb < 4)
		return;
	sizes = malloc(samples * sizeof(*sizes));
	vg_buf_init(&sb, 0);
	if (!sizes)
		goto out;
	for (size_t i = 0; i < samples; i++) {
		size_t before = sb.len;
		size_t k = i * (n / samples);
		if (log_block_add(&sb, &evs[k], evs[k].time))
			goto out;
		sizes[i] = sb.len - before;
		total += sizes[i];
	}
	d = malloc(32 * 1024);
	if (!d)
		goto out;
	dn = ZDICT_trainFromBuffer(d, 32 * 1024, sb.data, sizes, (unsigned)samples);
	if (ZDICT_isError(dn)) {
		free(d);
		goto out;
	}
	for (size_t i = 0; i < nnb && tried < 4; i++, tried++) {
		char *z;
		size_t zn;
		if (log_zcompress(rawtexts[i].data, rawtexts[i].len, 6, d, dn, &z, &zn, NULL))
			continue;
		with += zn;
		free(z);
		without += nb[i].zn;
	}
	/* the dictionary is stored once per segment */
	if (tried &&
	    (double)(without - (with < without ? with : without)) * (double)nnb / (double)tried >
		(double)dn) {
		*dict = d;
		*dictn = dn;
	} else {
		free(d);
	}
out:
	(void)total;
	free(sizes);
	vg_buf_release(&sb);
}

/* Seal the open blocks of source (about LOGS_SEGMENT_RAW of raw text at a
 * time; the caller loops while *more). */
static int seal_source(struct store *s, const char *source, struct logs_seal_result *res, int *more,
		       struct vg_error *err)
{
	struct store_stmt *st = NULL;
	struct seal_ctx c = {0};
	int64_t *ids = NULL, raw_total = 0;
	size_t nids = 0, idcap = 0;
	struct new_block *nb = NULL;
	struct vg_buf *texts = NULL, seg;
	size_t nnb = 0;
	char *dict = NULL, *scratch = NULL;
	size_t dictn = 0;
	char sha[65], idbuf[32];
	int rc, created = 0;
	int64_t seg_id = 0, now = vg_now(), mint = 0, maxt = 0;

	*more = 0;
	vg_arena_init_block(&c.mem, 0, 1 << 20);
	vg_buf_init(&seg, 0);
	rc = store_prepare(s,
			   "SELECT id, product, version, min_time, raw_bytes, data FROM log_blocks "
			   "WHERE segment_id = 0 AND source = ? ORDER BY id",
			   &st, err);
	if (!rc)
		rc = store_bind_text(st, 1, source) ? vg_error_set(err, VG_EDB, "bind") : VG_OK;
	while (st && (rc = store_step(st, err)) == STORE_ROW) {
		size_t zn = 0, rn = 0;
		const void *z = store_col_blob(st, 5, &zn);
		char *raw = NULL;
		int64_t *g;
		if (raw_total >= LOGS_SEGMENT_RAW) {
			*more = 1;
			break;
		}
		g = vg_arena_grow(&c.mem, ids, nids, &idcap, sizeof(*ids), 256);
		if (!g) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		ids = g;
		ids[nids++] = store_col_int64(st, 0);
		rc = log_zdecompress(z, zn, NULL, 0, 64 << 20, &raw, &rn, err);
		if (rc) {
			vg_error_prefix(err, "open log block %" PRId64, ids[nids - 1]);
			break;
		}
		free(scratch);
		scratch = malloc(rn + 1);
		if (!scratch) {
			free(raw);
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		raw_total += (int64_t)rn;
		if (log_block_each(raw, rn, store_col_int64(st, 3), source,
				   store_col_text(st, 1) ? store_col_text(st, 1) : "",
				   store_col_text(st, 2) ? store_col_text(st, 2) : "", seal_collect,
				   &c, scratch) ||
		    c.oom)
			rc = c.oom
				 ? vg_error_set(err, VG_ENOMEM, "out of memory")
				 : vg_error_set(err, VG_EIO, "open log block %" PRId64 ": damaged",
						ids[nids - 1]);
		free(raw);
	}
	if (rc == STORE_DONE || rc == STORE_ROW)
		rc = VG_OK;
	store_finalize(st);
	st = NULL;
	if (rc || !c.n)
		goto out;

	/* events sorted by product, version and time, cut into blocks */
	if (c.n > 1)
		qsort(c.evs, c.n, sizeof(*c.evs), ev_cmp_val);
	nb = calloc(c.n, sizeof(*nb));
	texts = calloc(c.n, sizeof(*texts));
	if (!nb || !texts) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	mint = c.evs[0].time;
	maxt = c.evs[0].time;
	for (size_t i = 0; i < c.n && !rc;) {
		size_t j = i;
		vg_buf_init(&texts[nnb], 0);
		while (j < c.n && same_group(&c.evs[i], &c.evs[j]) &&
		       texts[nnb].len < LOGS_BLOCK_RAW) {
			if (log_block_add(&texts[nnb], &c.evs[j], c.evs[i].time)) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			if (c.evs[j].time < mint)
				mint = c.evs[j].time;
			if (c.evs[j].time > maxt)
				maxt = c.evs[j].time;
			j++;
		}
		nb[nnb].first = i;
		nb[nnb].n = j - i;
		nb[nnb].raw = texts[nnb].len;
		nnb++;
		i = j;
	}
	for (size_t b = 0; b < nnb && !rc; b++)
		rc = log_zcompress(texts[b].data, texts[b].len, 6, NULL, 0, &nb[b].z, &nb[b].zn,
				   err);
	if (rc)
		goto out;
	train_dict(c.evs, c.n, nb, nnb, texts, &dict, &dictn);
	if (dict)
		for (size_t b = 0; b < nnb && !rc; b++) {
			free(nb[b].z);
			nb[b].z = NULL;
			rc = log_zcompress(texts[b].data, texts[b].len, 6, dict, dictn, &nb[b].z,
					   &nb[b].zn, err);
		}
	if (rc)
		goto out;
	/* the segment: magic, dictionary, blocks */
	if (vg_buf_add(&seg, LOG_SEG_MAGIC, LOG_SEG_MAGIC_LEN) ||
	    (dictn && vg_buf_add(&seg, dict, dictn))) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t b = 0; b < nnb; b++) {
		nb[b].off = (int64_t)seg.len;
		if (vg_buf_add(&seg, nb[b].z, nb[b].zn)) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
	}
	vg_sha256_hex(seg.data, seg.len, sha);

	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	{
		struct artifact_src src = {-1, seg.data, seg.len, "log segment"};
		rc = artifact_put(s, &src, sha, &created, err);
	}
	if (!rc)
		rc = store_exec(
		    s, err,
		    "INSERT INTO log_segments (source, sha256, bytes, raw_bytes, events, "
		    "blocks, min_time, max_time, dict_len, sealed_at) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "ttiiiiiiii", source, sha, (int64_t)seg.len, raw_total, (int64_t)c.n,
		    (int64_t)nnb, mint, maxt, (int64_t)dictn, now);
	if (!rc)
		rc =
		    store_query_int64(s, &seg_id, err,
				      "SELECT id FROM log_segments WHERE sha256 = ? AND source = ? "
				      "ORDER BY id DESC",
				      "tt", sha, source);
	for (size_t b = 0; b < nnb && !rc; b++) {
		const struct log_event *e0 = &c.evs[nb[b].first];
		const struct log_event *e1 = &c.evs[nb[b].first + nb[b].n - 1];
		int64_t bmin = e0->time, bmax = e1->time, recv = e0->received;
		rc = store_exec_cached(
		    s, err,
		    "INSERT INTO log_blocks (segment_id, source, product, version, min_time, "
		    "max_time, events, raw_bytes, stored_bytes, off, received_at, data) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
		    "itttiiiiiii", seg_id, source, e0->product, e0->version, bmin, bmax,
		    (int64_t)nb[b].n, (int64_t)nb[b].raw, (int64_t)nb[b].zn, nb[b].off, recv);
	}
	for (size_t i = 0; i < nids && !rc; i++) {
		struct store_stmt *d = NULL;
		rc = store_prepare_cached(
		    s, "DELETE FROM log_blocks WHERE id = ? AND segment_id = 0", &d, err);
		if (!rc) {
			store_bind_int64(d, 1, ids[i]);
			rc = store_step(d, err);
			if (rc == STORE_DONE)
				rc = store_changes(d) == 1
					 ? VG_OK
					 : vg_error_set(
					       err, VG_ESTATE,
					       "log block %" PRId64
					       " was sealed by another run at the same time",
					       ids[i]);
		}
		store_finalize(d);
	}
	if (!rc) {
		json_t *after =
		    json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:I}", "source", source,
			      "sha256", sha, "bytes", (json_int_t)seg.len, "events",
			      (json_int_t)c.n, "blocks", (json_int_t)nnb, "raw_bytes",
			      (json_int_t)raw_total, "oldest", vg_json_time(mint), "newest",
			      vg_json_time(maxt), "dictionary_bytes", (json_int_t)dictn);
		snprintf(idbuf, sizeof(idbuf), "%" PRId64, seg_id);
		rc = store_audit(s, "logs.seal", "log_segment", idbuf, NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	if (rc && created)
		artifact_unlink_new(s, sha);
	if (!rc && res) {
		res->segments++;
		res->events += (int64_t)c.n;
		res->bytes += (int64_t)seg.len;
	}
out:
	store_finalize(st);
	for (size_t b = 0; nb && b < nnb; b++) {
		free(nb[b].z);
		vg_buf_release(&texts[b]);
	}
	free(nb);
	free(texts);
	free(dict);
	free(scratch);
	vg_buf_release(&seg);
	vg_arena_release(&c.mem);
	return rc;
}

int logs_seal(struct store *s, int force, struct logs_seal_result *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	char **sources = NULL;
	size_t n = 0, cap = 0;
	int64_t seal_bytes = vg_config_int("logs.seal_bytes", 64LL * 1024 * 1024);
	int64_t age = 3600, now = vg_now();
	const char *age_s = vg_config_get("logs.seal_age", "1h");
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if (vg_duration_parse(age_s, &age, NULL))
		return vg_error_set(err, VG_EUSAGE,
				    "setting logs.seal_age '%s': expected a "
				    "duration such as 1h or 30m",
				    age_s);
	rc = store_prepare(s,
			   "SELECT source, SUM(raw_bytes), MIN(received_at) FROM log_blocks WHERE "
			   "segment_id = 0 GROUP BY source ORDER BY source",
			   &st, err);
	while (st && (rc = store_step(st, err)) == STORE_ROW) {
		if (!force && store_col_int64(st, 1) < seal_bytes &&
		    store_col_int64(st, 2) > now - age)
			continue;
		if (n == cap) {
			char **g = realloc(sources, (cap = cap ? cap * 2 : 8) * sizeof(*g));
			if (!g) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			sources = g;
		}
		sources[n] = strdup(store_col_text(st, 0));
		if (!sources[n]) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		n++;
	}
	if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	for (size_t i = 0; i < n && !rc; i++) {
		int more = 1;
		while (more && !rc)
			rc = seal_source(s, sources[i], out, &more, err);
	}
	for (size_t i = 0; i < n; i++)
		free(sources[i]);
	free(sources);
	return rc;
}

/* ---- verification ---- */

int logs_verify(struct store *s, int64_t *checked, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;
	*checked = 0;
	rc =
	    store_prepare(s,
			  "SELECT g.id, g.source, g.sha256, a.after_json FROM log_segments g LEFT "
			  "JOIN audit_log a ON a.action = 'logs.seal' AND a.object_type = "
			  "'log_segment' AND a.object_id = CAST(g.id AS TEXT) WHERE g.expired_at = "
			  "0 ORDER BY g.id",
			  &st, err);
	while (st && (rc = store_step(st, err)) == STORE_ROW) {
		int64_t id = store_col_int64(st, 0);
		char source[LOGS_FIELD_MAX], sha[65], now_sha[65];
		const char *aj = store_col_text(st, 3);
		json_t *a = aj ? json_loads(aj, 0, NULL) : NULL;
		const char *asha = a ? vg_json_str(a, "sha256") : NULL;
		struct artifact_reader *r = NULL;

		snprintf(source, sizeof(source), "%s", store_col_text(st, 1));
		snprintf(sha, sizeof(sha), "%s", store_col_text(st, 2));
		if (!asha || strcmp(asha, sha) != 0) {
			rc = vg_error_set(err, VG_EIO,
					  "segment %" PRId64
					  " (source %s): its hash %s is not the one "
					  "the audit trail recorded when it was sealed (%s)",
					  id, source, sha, asha ? asha : "no record");
			json_decref(a);
			break;
		}
		json_decref(a);
		rc = artifact_open(s, sha, &r, err);
		if (rc) {
			struct vg_error e2 = *err;
			rc = vg_error_set(err, VG_EIO,
					  "segment %" PRId64 " (source %s, %s) is missing: %s", id,
					  source, sha, e2.msg);
			break;
		}
		rc = artifact_reader_hash(r, s, now_sha, err);
		artifact_close(r);
		if (!rc && strcmp(now_sha, sha) != 0)
			rc =
			    vg_error_set(err, VG_EIO,
					 "segment %" PRId64 " (source %s) has changed: SHA-256 %s, "
					 "sealed as %s",
					 id, source, now_sha, sha);
		else if (rc) {
			struct vg_error e2 = *err;
			rc = vg_error_set(err, VG_EIO,
					  "segment %" PRId64 " (source %s) cannot be read: %s", id,
					  source, e2.msg);
		}
		if (rc)
			break;
		(*checked)++;
	}
	if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	return rc;
}

/* ---- statistics ---- */

int logs_stats(struct store *s, struct logs_stats *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(
	    s,
	    "SELECT COUNT(*), COALESCE(SUM(events), 0), COALESCE(SUM(raw_bytes), 0), "
	    "COALESCE(SUM(CASE WHEN segment_id = 0 THEN stored_bytes ELSE 0 END), 0), "
	    "COALESCE(SUM(CASE WHEN segment_id = 0 THEN events ELSE 0 END), 0), "
	    "COALESCE(SUM(CASE WHEN segment_id = 0 THEN 1 ELSE 0 END), 0), "
	    "COALESCE(MIN(min_time), 0), COALESCE(MAX(max_time), 0) FROM log_blocks",
	    &st, err);
	if (!rc && (rc = store_step(st, err)) == STORE_ROW) {
		out->blocks = store_col_int64(st, 0);
		out->events = store_col_int64(st, 1);
		out->raw_bytes = store_col_int64(st, 2);
		out->bytes = store_col_int64(st, 3);
		out->events_open = store_col_int64(st, 4);
		out->blocks_open = store_col_int64(st, 5);
		out->oldest = store_col_int64(st, 6);
		out->newest = store_col_int64(st, 7);
		rc = VG_OK;
	}
	store_finalize(st);
	st = NULL;
	if (!rc)
		rc = store_prepare(s,
				   "SELECT COALESCE(SUM(CASE WHEN expired_at = 0 THEN bytes ELSE 0 "
				   "END), 0), COALESCE(SUM(CASE WHEN expired_at = 0 THEN 1 ELSE 0 "
				   "END), 0), COALESCE(SUM(CASE WHEN expired_at = 0 THEN 0 ELSE 1 "
				   "END), 0) FROM log_segments",
				   &st, err);
	if (!rc && (rc = store_step(st, err)) == STORE_ROW) {
		out->bytes += store_col_int64(st, 0);
		out->segments = store_col_int64(st, 1);
		out->segments_expired = store_col_int64(st, 2);
		rc = VG_OK;
	}
	store_finalize(st);
	st = NULL;
	if (!rc)
		rc = store_prepare(
		    s,
		    "SELECT b.source, SUM(b.events), SUM(b.stored_bytes), MIN(b.min_time), "
		    "MAX(b.max_time), COALESCE(MAX(r.years), 0) FROM log_blocks b LEFT JOIN "
		    "log_retention r ON r.source = b.source GROUP BY b.source ORDER BY b.source",
		    &st, err);
	while (st && (rc = store_step(st, err)) == STORE_ROW) {
		struct logs_source_stats *x;
		if (out->nsources == cap) {
			struct logs_source_stats *g =
			    realloc(out->sources, (cap = cap ? cap * 2 : 8) * sizeof(*g));
			if (!g) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			out->sources = g;
		}
		x = &out->sources[out->nsources++];
		memset(x, 0, sizeof(*x));
		snprintf(x->source, sizeof(x->source), "%s", store_col_text(st, 0));
		x->events = store_col_int64(st, 1);
		x->bytes = store_col_int64(st, 2);
		x->oldest = store_col_int64(st, 3);
		x->newest = store_col_int64(st, 4);
		x->retention_years = store_col_int64(st, 5);
		if (!x->retention_years)
			x->retention_years =
			    vg_config_int("logs.retention_years", LOGS_RETENTION_MIN_YEARS);
	}
	if (rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	if (rc)
		logs_stats_release(out);
	return rc;
}

void logs_stats_release(struct logs_stats *st)
{
	free(st->sources);
	st->sources = NULL;
	st->nsources = 0;
}

json_t *logs_stats_to_json(const struct logs_stats *st)
{
	json_t *o = json_object(), *src = json_array();
	json_object_set_new(o, "events", json_integer(st->events));
	json_object_set_new(o, "events_open", json_integer(st->events_open));
	json_object_set_new(o, "bytes", json_integer(st->bytes));
	json_object_set_new(o, "raw_bytes", json_integer(st->raw_bytes));
	json_object_set_new(o, "bytes_per_event",
			    json_real(st->events ? (double)st->bytes / (double)st->events : 0.0));
	json_object_set_new(o, "segments", json_integer(st->segments));
	json_object_set_new(o, "segments_expired", json_integer(st->segments_expired));
	json_object_set_new(o, "blocks", json_integer(st->blocks));
	json_object_set_new(o, "blocks_open", json_integer(st->blocks_open));
	json_object_set_new(o, "oldest", st->events ? vg_json_time(st->oldest) : json_null());
	json_object_set_new(o, "newest", st->events ? vg_json_time(st->newest) : json_null());
	for (size_t i = 0; i < st->nsources; i++) {
		const struct logs_source_stats *x = &st->sources[i];
		json_array_append_new(
		    src, json_pack("{s:s, s:I, s:I, s:f, s:o, s:o, s:I}", "source", x->source,
				   "events", (json_int_t)x->events, "bytes", (json_int_t)x->bytes,
				   "bytes_per_event",
				   x->events ? (double)x->bytes / (double)x->events : 0.0, "oldest",
				   vg_json_time(x->oldest), "newest", vg_json_time(x->newest),
				   "retention_years", (json_int_t)x->retention_years));
	}
	json_object_set_new(o, "sources", src);
	return o;
}

/* ---- events as JSON and syslog ---- */

json_t *logs_event_to_json(const struct log_event *ev)
{
	json_t *o = json_object();
	json_object_set_new(o, "time", vg_json_time(ev->time));
	json_object_set_new(o, "received", vg_json_time(ev->received));
	vg_json_set_str(o, "source", ev->source ? ev->source : "");
	vg_json_set_str(o, "product", ev->product ? ev->product : "");
	vg_json_set_str(o, "version", ev->version ? ev->version : "");
	vg_json_set_str(o, "host", ev->host ? ev->host : "");
	vg_json_set_str(o, "message", ev->message ? ev->message : "");
	if (ev->fields) {
		json_t *f = json_loads(ev->fields, 0, NULL);
		if (f)
			json_object_set_new(o, "fields", f);
	}
	return o;
}

static int sd_escape(struct vg_buf *b, const char *v)
{
	for (const char *p = v; *p; p++) {
		if ((*p == '"' || *p == '\\' || *p == ']') && vg_buf_addc(b, '\\'))
			return -1;
		if (vg_buf_addc(b, *p))
			return -1;
	}
	return 0;
}

static int header_token(struct vg_buf *b, const char *v)
{
	if (!v || !*v)
		return vg_buf_addc(b, '-');
	for (const char *p = v; *p; p++)
		if (vg_buf_addc(b, (*p > 32 && *p < 127) ? *p : '_'))
			return -1;
	return 0;
}

int logs_event_to_syslog(struct vg_buf *b, const struct log_event *ev)
{
	char t[VG_TIME_BUFSZ];
	vg_time_format(ev->time, t, sizeof(t));
	if (vg_buf_addf(b, "<14>1 %s ", t) || header_token(b, ev->host) || vg_buf_addc(b, ' ') ||
	    header_token(b, ev->source) || vg_buf_adds(b, " - - "))
		return -1;
	if (ev->product && ev->product[0]) {
		if (vg_buf_adds(b, "[" LOG_SD_ID " product=\"") || sd_escape(b, ev->product) ||
		    vg_buf_adds(b, "\" version=\"") ||
		    sd_escape(b, ev->version ? ev->version : "") || vg_buf_adds(b, "\"]"))
			return -1;
	} else if (vg_buf_addc(b, '-')) {
		return -1;
	}
	if (vg_buf_addc(b, ' '))
		return -1;
	for (const char *p = ev->message ? ev->message : ""; *p; p++)
		if (vg_buf_addc(b, *p == '\n' ? ' ' : *p))
			return -1;
	return vg_buf_addc(b, '\n');
}
