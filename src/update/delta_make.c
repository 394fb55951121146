/*
 * delta_make.c - make a vigil binary delta (delta_make.h).
 *
 * The matching loop is bsdiff 4.3's (its scoring and forward/backward
 * extension), on a suffix array from libdivsufsort instead of bsdiff's
 * qsufsort: the same matches, made in a fraction of the time and memory.
 * What differs is the output: blocks of commands, differences and new
 * bytes in one LZMA2 stream or zstd frame (delta_apply.h), which reads
 * front to back.
 */
#include "update/delta_make.h"
#include "update/delta_apply.h"

#include <divsufsort.h>
#include <lzma.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "core/banned.h"

struct membuf {
	uint8_t *p;
	size_t n, cap;
};

static int mem_write(void *ctx, const void *buf, size_t len)
{
	struct membuf *b = ctx;
	if (b->cap - b->n < len) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *p;
		while (cap - b->n < len) {
			if (cap > SIZE_MAX / 2)
				return -1;
			cap *= 2;
		}
		if (!(p = realloc(b->p, cap)))
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, buf, len);
	b->n += len;
	return 0;
}

struct block {
	uint8_t *ctrl, *diff, *extra;
	uint8_t *gaps, *lens, *vals; /* the differences, sparse (flush_block) */
	size_t nctrl, ndiff, nextra; /* bytes used */
	size_t ncmd;
	size_t bytes; /* new bytes the block rebuilds */
};

struct mk {
	/* the body in its two layouts of the differences (planes, runs), each
	 * compressed in one go at the end (zstd then knows its size): the
	 * smaller is kept */
	struct membuf body[2];
	int (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
	struct block b;
	struct delta_make_stats st;
	struct vg_error *err;
};

/* SHA-256 by Nettle: several times faster than the portable code
 * delta_apply.c carries for devices (SHA-NI where the CPU has it), and
 * without libcrypto's start-up, which costs megabytes of memory. */
static int sha256(const void *p, size_t n, uint8_t out[32])
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, SHA256_DIGEST_SIZE, out);
	return 0;
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static int out_write(struct mk *m, const void *p, size_t n)
{
	if (n && m->write(m->ctx, p, n) != 0)
		return vg_error_set(m->err, VG_EIO, "writing the patch failed");
	m->st.patch_len += n;
	return VG_OK;
}

static int body_add(struct mk *m, int which, const void *p, size_t n)
{
	if (mem_write(&m->body[which], p, n))
		return vg_error_set(m->err, VG_ENOMEM, "out of memory for the patch body");
	return VG_OK;
}

/*
 * Write the block: its commands, then its differences (the added bytes
 * minus old, mostly zeros) as runs of non-zero bytes: every run's gap from
 * the previous one, then every run's length, then their bytes. Like things
 * together compress best (measured in docs/delta-format.md).
 */
static int flush_block(struct mk *m)
{
	uint8_t head[10];
	struct block *b = &m->b;
	size_t ngaps = 0, nlens = 0, nvals = 0, npairs = 0, i = 0, end = 0;
	int rc;
	if (!b->ncmd)
		return VG_OK;
	while (i < b->ndiff) {
		size_t j = i, k;
		while (j < b->ndiff && b->diff[j] == 0)
			j++;
		if (j == b->ndiff)
			break;
		for (k = j; k < b->ndiff && b->diff[k] != 0; k++)
			;
		ngaps += put_varint(b->gaps + ngaps, j - end);
		nlens += put_varint(b->lens + nlens, k - j);
		memcpy(b->vals + nvals, b->diff + j, k - j);
		nvals += k - j;
		npairs++;
		end = i = k;
	}
	/* planes: every gap, every length, every byte */
	if ((rc = body_add(m, 0, head, put_varint(head, b->ncmd))) ||
	    (rc = body_add(m, 0, b->ctrl, b->nctrl)) ||
	    (rc = body_add(m, 0, head, put_varint(head, (uint64_t)npairs << 1))) ||
	    (rc = body_add(m, 0, b->gaps, ngaps)) || (rc = body_add(m, 0, b->lens, nlens)) ||
	    (rc = body_add(m, 0, b->vals, nvals)) || (rc = body_add(m, 0, b->extra, b->nextra)))
		return rc;
	/* runs: gap, length and bytes of each run together */
	if ((rc = body_add(m, 1, head, put_varint(head, b->ncmd))) ||
	    (rc = body_add(m, 1, b->ctrl, b->nctrl)) ||
	    (rc = body_add(m, 1, head, put_varint(head, (uint64_t)npairs << 1 | 1))))
		return rc;
	{
		size_t gi = 0, li = 0, vi = 0;
		for (size_t p = 0; p < npairs; p++) {
			uint64_t len = 0;
			size_t g0 = gi, l0 = li;
			while (b->gaps[gi++] & 0x80)
				;
			for (int sh = 0;; sh += 7) {
				len |= (uint64_t)(b->lens[li] & 0x7f) << sh;
				if (!(b->lens[li++] & 0x80))
					break;
			}
			if ((rc = body_add(m, 1, b->gaps + g0, gi - g0)) ||
			    (rc = body_add(m, 1, b->lens + l0, li - l0)) ||
			    (rc = body_add(m, 1, b->vals + vi, (size_t)len)))
				return rc;
			vi += (size_t)len;
		}
	}
	if ((rc = body_add(m, 1, b->extra, b->nextra)))
		return rc;
	b->nctrl = b->ndiff = b->nextra = b->ncmd = b->bytes = 0;
	return VG_OK;
}

/* One command of a block; add + copy fit in the block. */
static int push(struct mk *m, const uint8_t *old, int64_t oldpos, const uint8_t *new_img,
		int64_t newpos, size_t add, size_t copy, int64_t seek)
{
	struct block *b = &m->b;
	uint64_t zz = ((uint64_t)seek << 1) ^ (uint64_t)(seek >> 63);
	b->nctrl += put_varint(b->ctrl + b->nctrl, add);
	b->nctrl += put_varint(b->ctrl + b->nctrl, copy);
	b->nctrl += put_varint(b->ctrl + b->nctrl, zz);
	for (size_t i = 0; i < add; i++)
		b->diff[b->ndiff + i] =
		    (uint8_t)(new_img[newpos + (int64_t)i] - old[oldpos + (int64_t)i]);
	b->ndiff += add;
	memcpy(b->extra + b->nextra, new_img + newpos + (int64_t)add, copy);
	b->nextra += copy;
	b->ncmd++;
	b->bytes += add + copy;
	m->st.commands++;
	m->st.diff_bytes += add;
	m->st.extra_bytes += copy;
	if (b->ncmd == DELTA_BLOCK_CMDS || b->bytes == DELTA_BLOCK_MAX)
		return flush_block(m);
	return VG_OK;
}

/* A command of any size, split at block boundaries. */
static int command(struct mk *m, const uint8_t *old, int64_t oldpos, const uint8_t *new_img,
		   int64_t newpos, int64_t add, int64_t copy, int64_t seek)
{
	int rc;
	for (;;) {
		int64_t room = (int64_t)DELTA_BLOCK_MAX - (int64_t)m->b.bytes;
		if (add > room) {
			if ((rc = push(m, old, oldpos, new_img, newpos, (size_t)room, 0, 0)))
				return rc;
			oldpos += room, newpos += room, add -= room;
			continue;
		}
		if (add + copy > room) {
			int64_t c = room - add;
			if ((rc = push(m, old, oldpos, new_img, newpos, (size_t)add, (size_t)c, 0)))
				return rc;
			oldpos += add, newpos += add + c, copy -= c, add = 0;
			continue;
		}
		return push(m, old, oldpos, new_img, newpos, (size_t)add, (size_t)copy, seek);
	}
}

static int64_t matchlen(const uint8_t *a, int64_t alen, const uint8_t *b, int64_t blen)
{
	int64_t i, n = alen < blen ? alen : blen;
	for (i = 0; i < n && a[i] == b[i]; i++)
		;
	return i;
}

/*
 * The longest match of n[0..nlen) among old's suffixes SA[st..en]: bsdiff's
 * binary search, but each step starts comparing after the prefix the
 * pattern shares with both ends of the range (every suffix between them
 * shares it too), so a search costs O(log n + match) instead of
 * O(log n * match). Same answer, ties going to the upper end as bsdiff's.
 */
static int64_t search(const int32_t *sa, const uint8_t *old, int64_t olen, const uint8_t *n,
		      int64_t nlen, int64_t st, int64_t en, int64_t *pos)
{
	int64_t lst = matchlen(old + sa[st], olen - sa[st], n, nlen);
	int64_t len = matchlen(old + sa[en], olen - sa[en], n, nlen);
	while (en - st >= 2) {
		int64_t x = st + (en - st) / 2, k = lst < len ? lst : len;
		int64_t rest = olen - sa[x] < nlen ? olen - sa[x] : nlen;
		int64_t l = k + matchlen(old + sa[x] + k, rest - k, n + k, nlen - k);
		if (l < rest && old[sa[x] + l] < n[l])
			st = x, lst = l;
		else
			en = x, len = l;
	}
	if (lst > len) {
		*pos = sa[st];
		return lst;
	}
	*pos = sa[en];
	return len;
}

static int diff_loop(struct mk *m, const int32_t *sa, const uint8_t *old, int64_t oldsize,
		     const uint8_t *nw, int64_t newsize)
{
	int64_t scan = 0, len = 0, pos = 0, lastscan = 0, lastpos = 0, lastoffset = 0;
	int rc;

	while (scan < newsize) {
		int64_t oldscore = 0, scsc;
		for (scsc = scan += len; scan < newsize; scan++) {
			if (oldsize > 0)
				len = search(sa, old, oldsize, nw + scan, newsize - scan, 0,
					     oldsize - 1, &pos);
			else
				len = 0, pos = 0;
			for (; scsc < scan + len; scsc++)
				if (scsc + lastoffset < oldsize &&
				    old[scsc + lastoffset] == nw[scsc])
					oldscore++;
			if ((len == oldscore && len != 0) || len > oldscore + 8)
				break;
			if (scan + lastoffset < oldsize && old[scan + lastoffset] == nw[scan])
				oldscore--;
		}
		if (len != oldscore || scan == newsize) {
			int64_t s = 0, sf = 0, lenf = 0, lenb = 0, i;
			for (i = 0; lastscan + i < scan && lastpos + i < oldsize;) {
				if (old[lastpos + i] == nw[lastscan + i])
					s++;
				i++;
				if (s * 2 - i > sf * 2 - lenf)
					sf = s, lenf = i;
			}
			if (scan < newsize) {
				int64_t sb = 0;
				s = 0;
				for (i = 1; scan >= lastscan + i && pos >= i; i++) {
					if (old[pos - i] == nw[scan - i])
						s++;
					if (s * 2 - i > sb * 2 - lenb)
						sb = s, lenb = i;
				}
			}
			if (lastscan + lenf > scan - lenb) {
				int64_t overlap = (lastscan + lenf) - (scan - lenb), ss = 0,
					lens = 0;
				s = 0;
				for (i = 0; i < overlap; i++) {
					if (nw[lastscan + lenf - overlap + i] ==
					    old[lastpos + lenf - overlap + i])
						s++;
					if (nw[scan - lenb + i] == old[pos - lenb + i])
						s--;
					if (s > ss)
						ss = s, lens = i + 1;
				}
				lenf += lens - overlap;
				lenb -= lens;
			}
			rc = command(m, old, lastpos, nw, lastscan, lenf,
				     (scan - lenb) - (lastscan + lenf),
				     (pos - lenb) - (lastpos + lenf));
			if (rc)
				return rc;
			lastscan = scan - lenb;
			lastpos = pos - lenb;
			lastoffset = pos - scan;
		}
	}
	return VG_OK;
}

/* Body `which` compressed as one zstd frame, its size known to zstd (so
 * small bodies get small tables), at most 2^wlog of window: *z malloc'ed. */
static int compress_body(struct mk *m, int which, int level, int wlog, uint8_t **z, size_t *zn)
{
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	size_t cap = ZSTD_compressBound(m->body[which].n), r;
	int rc = VG_OK;
	*z = malloc(cap ? cap : 1);
	if (!cctx || !*z) {
		rc = vg_error_set(m->err, VG_ENOMEM, "out of memory compressing the patch");
		goto out;
	}
	if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, wlog)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0))) {
		rc = vg_error_set(m->err, VG_EINVAL, "zstd level %d window log %d refused", level,
				  wlog);
		goto out;
	}
	r = ZSTD_compress2(cctx, *z, cap, m->body[which].p, m->body[which].n);
	if (ZSTD_isError(r)) {
		rc = vg_error_set(m->err, VG_EINTERNAL, "zstd: %s", ZSTD_getErrorName(r));
		goto out;
	}
	*zn = r;
out:
	if (rc) {
		free(*z);
		*z = NULL;
	}
	ZSTD_freeCCtx(cctx);
	return rc;
}

/*
 * Body `which` as one raw LZMA2 stream, after its property byte (the
 * dictionary size: the body's size rounded up, at least 4 KiB and at most
 * 2^wlog, so a device allocates no more than the patch needs). lc=0, lp=0,
 * pb=0: the body is differences, counts and code, where the previous
 * byte's bits predict little (measured: smaller on every pair of the bench).
 */
static int lzma_body(struct mk *m, int which, int wlog, uint8_t **z, size_t *zn)
{
	lzma_options_lzma o;
	lzma_filter f[2] = {{LZMA_FILTER_LZMA2, &o}, {LZMA_VLI_UNKNOWN, NULL}};
	size_t n = m->body[which].n, cap, pos = 1;
	uint32_t dict = 4096;
	while (dict < n && dict < (1u << wlog))
		dict <<= 1;
	if (lzma_lzma_preset(&o, 9))
		return vg_error_set(m->err, VG_EINTERNAL, "liblzma: preset 9 refused");
	o.dict_size = dict;
	o.lc = 0;
	o.lp = 0;
	o.pb = 0;
	cap = 1 + n + n / 2 + 4096; /* LZMA2 stores what it cannot compress */
	if (!(*z = malloc(cap)))
		return vg_error_set(m->err, VG_ENOMEM, "out of memory compressing the patch");
	if (lzma_properties_encode(&f[0], *z) != LZMA_OK ||
	    lzma_raw_buffer_encode(f, NULL, m->body[which].p, n, *z, &pos, cap) != LZMA_OK) {
		free(*z);
		*z = NULL;
		return vg_error_set(m->err, VG_EINTERNAL, "liblzma could not compress the patch");
	}
	*zn = pos;
	return VG_OK;
}

/* Write the header, then the body in the layout that compresses smaller:
 * both are tried with zstd at a fast level (3); the smaller is compressed
 * again by the patch's method (zstd at the patch's level, or LZMA2 when
 * asked and the body is at most DELTA_MAKE_LZMA_MAX). The header names the
 * compressed body's SHA-256. */
static int write_patch(struct mk *m, struct delta_header *h, int method, int level, int wlog)
{
	uint8_t *z0 = NULL, *z1 = NULL, head[DELTA_HEADER_SIZE];
	size_t n0 = 0, n1 = 0;
	int fast = level < 3 ? level : 3, pick, rc;
	rc = compress_body(m, 0, fast, wlog, &z0, &n0);
	if (!rc)
		rc = compress_body(m, 1, fast, wlog, &z1, &n1);
	pick = n1 < n0;
	free(z0);
	free(z1);
	z0 = NULL;
	if (!method || m->body[pick].n > DELTA_MAKE_LZMA_MAX)
		method = DELTA_METHOD_BSZ;
	h->method = (uint32_t)method;
	if (!rc && method == DELTA_METHOD_BSX)
		rc = lzma_body(m, pick, wlog, &z0, &n0);
	else if (!rc)
		rc = compress_body(m, pick, level != fast ? level : fast, wlog, &z0, &n0);
	if (!rc && sha256(z0, n0, h->body_sha256))
		rc = vg_error_set(m->err, VG_EINTERNAL, "SHA-256 of the patch failed");
	if (!rc) {
		delta_header_encode(h, head);
		rc = out_write(m, head, sizeof(head));
	}
	if (!rc)
		rc = out_write(m, z0, n0);
	free(z0);
	return rc;
}

int delta_make(const uint8_t *old, uint64_t old_len, const uint8_t *new_img, uint64_t new_len,
	       const struct delta_make_opts *opts,
	       int (*write)(void *ctx, const void *buf, size_t len), void *ctx,
	       struct delta_make_stats *stats, struct vg_error *err)
{
	struct mk m = {0};
	struct delta_header h = {DELTA_VERSION, DELTA_METHOD_BSZ, old_len, new_len, {0}, {0}, {0}};
	uint8_t end = 0;
	int32_t *sa = NULL;
	int level = opts && opts->level ? opts->level : DELTA_MAKE_LEVEL;
	int wlog = opts && opts->window_log ? opts->window_log : DELTA_MAKE_WINDOW_LOG;
	int method = opts ? opts->method : 0;
	int rc;

	if (old_len > DELTA_MAKE_OLD_MAX || new_len > INT64_MAX / 2)
		return vg_error_set(
		    err, VG_ETOOBIG, "the old image has %llu bytes; deltas take at most %llu",
		    (unsigned long long)old_len, (unsigned long long)DELTA_MAKE_OLD_MAX);
	if (wlog < 10 || wlog > DELTA_WINDOW_LOG_MAX)
		return vg_error_set(err, VG_EINVAL, "zstd window log %d: expected 10 to %d", wlog,
				    DELTA_WINDOW_LOG_MAX);
	if (method != 0 && method != DELTA_METHOD_BSZ && method != DELTA_METHOD_BSX)
		return vg_error_set(err, VG_EINVAL,
				    "delta method %d: expected %u (zstd) or %u (LZMA2)", method,
				    DELTA_METHOD_BSZ, DELTA_METHOD_BSX);
	if (level < 1 || level > ZSTD_maxCLevel())
		return vg_error_set(err, VG_EINVAL, "zstd level %d: expected 1 to %d", level,
				    ZSTD_maxCLevel());
	m.write = write;
	m.ctx = ctx;
	m.err = err;
	m.b.ctrl = malloc(DELTA_BLOCK_CMDS * 30);
	m.b.diff = malloc(DELTA_BLOCK_MAX);
	m.b.extra = malloc(DELTA_BLOCK_MAX);
	m.b.gaps = malloc((DELTA_BLOCK_MAX / 2 + 1) * 5);
	m.b.lens = malloc((DELTA_BLOCK_MAX / 2 + 1) * 5);
	m.b.vals = malloc(DELTA_BLOCK_MAX);
	if (old_len)
		sa = malloc((size_t)old_len * sizeof(*sa));
	if (!m.b.ctrl || !m.b.diff || !m.b.extra || !m.b.gaps || !m.b.lens || !m.b.vals ||
	    (old_len && !sa)) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory for a delta of %llu bytes",
				  (unsigned long long)old_len);
		goto out;
	}
	if (old_len && divsufsort(old, sa, (saidx_t)old_len) != 0) {
		rc = vg_error_set(err, VG_ENOMEM, "suffix sorting the old image failed");
		goto out;
	}
	if (sha256(old, (size_t)old_len, h.old_sha256) ||
	    sha256(new_img, (size_t)new_len, h.new_sha256)) {
		rc = vg_error_set(err, VG_EINTERNAL, "SHA-256 of the images failed");
		goto out;
	}
	if ((rc = diff_loop(&m, sa, old, (int64_t)old_len, new_img, (int64_t)new_len)) ||
	    (rc = flush_block(&m)) || (rc = body_add(&m, 0, &end, 1)) ||
	    (rc = body_add(&m, 1, &end, 1)))
		goto out;
	free(sa);
	sa = NULL;
	if ((rc = write_patch(&m, &h, method, level, wlog)))
		goto out;
	m.st.header = h;
	if (stats)
		*stats = m.st;
	rc = VG_OK;
out:
	free(sa);
	free(m.b.ctrl);
	free(m.b.diff);
	free(m.b.extra);
	free(m.b.gaps);
	free(m.b.lens);
	free(m.b.vals);
	free(m.body[0].p);
	free(m.body[1].p);
	return rc;
}

int delta_make_buf(const uint8_t *old, uint64_t old_len, const uint8_t *new_img, uint64_t new_len,
		   const struct delta_make_opts *opts, uint8_t **out, size_t *outlen,
		   struct delta_make_stats *stats, struct vg_error *err)
{
	struct membuf b = {0};
	int rc = delta_make(old, old_len, new_img, new_len, opts, mem_write, &b, stats, err);
	if (rc) {
		free(b.p);
		return rc;
	}
	*out = b.p;
	*outlen = b.n;
	return VG_OK;
}
