/*
 * delta_make.c - make a vigil binary delta (delta_make.h).
 *
 * The matching loop is bsdiff 4.3's (its scoring and forward/backward
 * extension), on a suffix array from libdivsufsort instead of bsdiff's
 * qsufsort: the same matches, made in a fraction of the time and memory.
 * What differs is the output: blocks of commands, differences and new
 * bytes in one LZMA2 stream or zstd frame (delta_apply.h), which reads
 * front to back, the differences laid out as the input compresses best
 * (docs/delta-format.md, "The algorithm, and why").
 */
#include "update/delta_make.h"
#include "update/delta_apply.h"

#include <divsufsort.h>
#ifndef DELTA_MAKE_NO_LZMA
#include <lzma.h>
#endif
#ifndef DELTA_MAKE_NO_NETTLE
#include <nettle/sha2.h>
#endif
#include <stdlib.h>
#include <string.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_c_useBlockSplitter */
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

/* Where a command of the block reads: its add bytes are new[newpos..) minus
 * old[oldpos..), its copy bytes follow them in new. The differences and
 * new bytes are read from the images when the block is written, not kept. */
struct bcmd {
	int64_t oldpos, newpos;
	size_t add, copy;
};

struct block {
	const uint8_t *old, *nw;
	struct bcmd *cmds;
	uint8_t *ctrl;
	uint8_t *gaps, *lens, *vals; /* the differences, sparse (flush_block) */
	size_t nctrl;                /* bytes used */
	size_t ncmd;
	size_t bytes; /* new bytes the block rebuilds */
};

#define NLAYOUTS             3                     /* enum delta_layout */
#define DELTA_MAKE_INDEX_MIN ((uint64_t)256 << 10) /* prefix_index() */

struct mk {
	/* the body in each layout of the differences (planes, runs, tokens;
	 * the first two coded as in version 1), each compressed in one go at
	 * the end (zstd then knows its size): the smallest is kept */
	struct membuf body[NLAYOUTS];
	unsigned layouts; /* the layouts made: 1u << enum delta_layout */
	int (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
	struct block b;
	struct delta_make_stats st;
	struct vg_error *err;
};

/* SHA-256 by Nettle: several times faster than the portable code
 * delta_apply.c carries for devices (SHA-NI where the CPU has it), and
 * without libcrypto's start-up, which costs megabytes of memory. Built
 * with DELTA_MAKE_NO_NETTLE (a maker of its own, as the bench's: Nettle's
 * pages cost 400 KiB of memory, more than a small delta's work), the
 * portable code: 5 % more time on a library of a few MB. */
static int sha256(const void *p, size_t n, uint8_t out[32])
{
#ifndef DELTA_MAKE_NO_NETTLE
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, SHA256_DIGEST_SIZE, out);
#else
	delta_sha256(p, n, out);
#endif
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

/* The block's commands to the body of `layout`, then the count of its
 * difference runs with the layout's code (version 1's for planes and runs,
 * version 2's for tokens). */
static int block_head(struct mk *m, int layout, size_t npairs)
{
	uint8_t head[10];
	struct block *b = &m->b;
	uint64_t code = layout == DELTA_LAYOUT_TOKENS ? (uint64_t)npairs << 2 | DELTA_LAYOUT_TOKENS
						      : (uint64_t)npairs << 1 | (uint64_t)layout;
	int rc;
	if ((rc = body_add(m, layout, head, put_varint(head, b->ncmd))) ||
	    (rc = body_add(m, layout, b->ctrl, b->nctrl)))
		return rc;
	return body_add(m, layout, head, put_varint(head, code));
}

/* The block's new bytes (every command's copy) to the body of `layout`. */
static int block_extra(struct mk *m, int layout)
{
	const struct block *b = &m->b;
	int rc;
	for (size_t c = 0; c < b->ncmd; c++)
		if ((rc = body_add(m, layout, b->nw + b->cmds[c].newpos + (int64_t)b->cmds[c].add,
				   b->cmds[c].copy)))
			return rc;
	return VG_OK;
}

/*
 * Write the block: its commands, then its differences (the added bytes
 * minus old, mostly zeros) as runs of non-zero bytes, then its new bytes,
 * in each layout asked for. Like things together compress best (measured
 * in docs/delta-format.md).
 */
static int flush_block(struct mk *m)
{
	struct block *b = &m->b;
	size_t ngaps = 0, nlens = 0, nvals = 0, npairs = 0, i = 0, end = 0, start = 0;
	int rc, inrun = 0;
	if (!b->ncmd)
		return VG_OK;
	/* the runs of non-zero differences in the block's added bytes, one
	 * after the other (a run may go on from one command's into the next) */
	for (size_t c = 0; c < b->ncmd; c++) {
		const uint8_t *o = b->old + b->cmds[c].oldpos, *n = b->nw + b->cmds[c].newpos;
		for (size_t k = 0; k < b->cmds[c].add; k++, i++) {
			uint8_t d = (uint8_t)(n[k] - o[k]);
			if (d && !inrun) {
				ngaps += put_varint(b->gaps + ngaps, i - end);
				start = i;
				inrun = 1;
			} else if (!d && inrun) {
				nlens += put_varint(b->lens + nlens, i - start);
				end = i;
				npairs++;
				inrun = 0;
			}
			if (d)
				b->vals[nvals++] = d;
		}
	}
	if (inrun) {
		nlens += put_varint(b->lens + nlens, i - start);
		npairs++;
	}
	/* planes: every gap, every length, every byte */
	if ((m->layouts & 1u << DELTA_LAYOUT_PLANES) &&
	    ((rc = block_head(m, DELTA_LAYOUT_PLANES, npairs)) ||
	     (rc = body_add(m, DELTA_LAYOUT_PLANES, b->gaps, ngaps)) ||
	     (rc = body_add(m, DELTA_LAYOUT_PLANES, b->lens, nlens)) ||
	     (rc = body_add(m, DELTA_LAYOUT_PLANES, b->vals, nvals)) ||
	     (rc = block_extra(m, DELTA_LAYOUT_PLANES))))
		return rc;
	/* runs: gap, length and bytes of each run together; tokens: a byte
	 * for each run's gap and length (or the escape and both as varints),
	 * then every byte */
	for (int layout = DELTA_LAYOUT_RUNS; layout <= DELTA_LAYOUT_TOKENS; layout++) {
		size_t gi = 0, li = 0, vi = 0;
		if (!(m->layouts & 1u << layout))
			continue;
		if ((rc = block_head(m, layout, npairs)))
			return rc;
		for (size_t p = 0; p < npairs; p++) {
			uint64_t gap = 0, len = 0;
			size_t g0 = gi, l0 = li;
			for (int sh = 0;; sh += 7) {
				gap |= (uint64_t)(b->gaps[gi] & 0x7f) << sh;
				if (!(b->gaps[gi++] & 0x80))
					break;
			}
			for (int sh = 0;; sh += 7) {
				len |= (uint64_t)(b->lens[li] & 0x7f) << sh;
				if (!(b->lens[li++] & 0x80))
					break;
			}
			if (layout == DELTA_LAYOUT_RUNS) {
				if ((rc = body_add(m, layout, b->gaps + g0, gi - g0)) ||
				    (rc = body_add(m, layout, b->lens + l0, li - l0)) ||
				    (rc = body_add(m, layout, b->vals + vi, (size_t)len)))
					return rc;
				vi += (size_t)len;
			} else if (gap < DELTA_TOKEN_ESCAPE / 2 && len <= 2) {
				uint8_t t = (uint8_t)(gap * 2 + len - 1);
				if ((rc = body_add(m, layout, &t, 1)))
					return rc;
			} else {
				uint8_t t = DELTA_TOKEN_ESCAPE;
				if ((rc = body_add(m, layout, &t, 1)) ||
				    (rc = body_add(m, layout, b->gaps + g0, gi - g0)) ||
				    (rc = body_add(m, layout, b->lens + l0, li - l0)))
					return rc;
			}
		}
		if (layout == DELTA_LAYOUT_TOKENS && (rc = body_add(m, layout, b->vals, nvals)))
			return rc;
		if ((rc = block_extra(m, layout)))
			return rc;
	}
	b->nctrl = b->ncmd = b->bytes = 0;
	return VG_OK;
}

/* One command of a block; add + copy fit in the block. */
static int push(struct mk *m, int64_t oldpos, int64_t newpos, size_t add, size_t copy, int64_t seek)
{
	struct block *b = &m->b;
	uint64_t zz = ((uint64_t)seek << 1) ^ (uint64_t)(seek >> 63);
	b->nctrl += put_varint(b->ctrl + b->nctrl, add);
	b->nctrl += put_varint(b->ctrl + b->nctrl, copy);
	b->nctrl += put_varint(b->ctrl + b->nctrl, zz);
	b->cmds[b->ncmd] = (struct bcmd){oldpos, newpos, add, copy};
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
static int command(struct mk *m, int64_t oldpos, int64_t newpos, int64_t add, int64_t copy,
		   int64_t seek)
{
	int rc;
	for (;;) {
		int64_t room = (int64_t)DELTA_BLOCK_MAX - (int64_t)m->b.bytes;
		if (add > room) {
			if ((rc = push(m, oldpos, newpos, (size_t)room, 0, 0)))
				return rc;
			oldpos += room, newpos += room, add -= room;
			continue;
		}
		if (add + copy > room) {
			int64_t c = room - add;
			if ((rc = push(m, oldpos, newpos, (size_t)add, (size_t)c, 0)))
				return rc;
			oldpos += add, newpos += add + c, copy -= c, add = 0;
			continue;
		}
		return push(m, oldpos, newpos, (size_t)add, (size_t)copy, seek);
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

/*
 * The suffix array's ranges by first two bytes: the suffixes that start
 * with bytes a, b are sa[lo[a << 8 | b] .. lo[(a << 8 | b) + 1]). A search
 * for a pattern of two bytes or more then starts in its range, 16 fewer
 * halvings of the array (each two cache misses on a large image): the
 * longest match is the same, since any match of two bytes or more lies in
 * it. Built from the sorted array in one pass. The old image's last byte,
 * a suffix of one byte, sorts just before the suffixes that start with it,
 * so it ends the range before theirs: harmless, as the search needs a range
 * to hold every suffix with the pattern's two bytes, in order, and matches
 * it no longer than 1 byte. Used for old images of DELTA_MAKE_INDEX_MIN
 * bytes and more: its 256 KiB would be the peak of a smaller one.
 */
static void prefix_index(const int32_t *sa, const uint8_t *old, int64_t n, int32_t *lo)
{
	int64_t i = 0;
	for (uint32_t k = 0; k <= 65536; k++) {
		/* the first suffix whose two-byte key is k or more */
		while (i < n) {
			int64_t j = sa[i];
			uint32_t key = j + 1 < n ? (uint32_t)old[j] << 8 | old[j + 1]
						 : (uint32_t)old[j] << 8; /* sorts first */
			if (key > k || (key == k && j + 1 < n))
				break;
			i++;
		}
		lo[k] = (int32_t)i;
	}
}

/* The longest match of n[0..nlen) in old, through the prefix index when
 * there is one and it has the pattern's first two bytes. */
static int64_t search_all(const int32_t *sa, const int32_t *lo, const uint8_t *old, int64_t olen,
			  const uint8_t *n, int64_t nlen, int64_t *pos)
{
	if (lo && nlen >= 2) {
		uint32_t k = (uint32_t)n[0] << 8 | n[1];
		if (lo[k + 1] > lo[k])
			return search(sa, old, olen, n, nlen, lo[k], lo[k + 1] - 1, pos);
	}
	return search(sa, old, olen, n, nlen, 0, olen - 1, pos);
}

static int diff_loop(struct mk *m, const int32_t *sa, const int32_t *lo, const uint8_t *old,
		     int64_t oldsize, const uint8_t *nw, int64_t newsize)
{
	int64_t scan = 0, len = 0, pos = 0, lastscan = 0, lastpos = 0, lastoffset = 0;
	int rc;

	while (scan < newsize) {
		int64_t oldscore = 0, scsc;
		for (scsc = scan += len; scan < newsize; scan++) {
			if (oldsize > 0)
				len = search_all(sa, lo, old, oldsize, nw + scan, newsize - scan,
						 &pos);
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
			rc = command(m, lastpos, lastscan, lenf, (scan - lenb) - (lastscan + lenf),
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

/* Body `which` compressed as one zstd frame by cctx (reset first), its
 * size known to zstd (so small bodies get small tables), at most 2^wlog of
 * window: *z malloc'ed. */
static int compress_body(struct mk *m, ZSTD_CCtx *cctx, int which, int level, int wlog, uint8_t **z,
			 size_t *zn)
{
	size_t cap = ZSTD_compressBound(m->body[which].n), r;
	int rc = VG_OK;
	*z = malloc(cap ? cap : 1);
	if (!*z) {
		rc = vg_error_set(m->err, VG_ENOMEM, "out of memory compressing the patch");
		goto out;
	}
	if (ZSTD_isError(ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, wlog)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0))) {
		rc = vg_error_set(m->err, VG_EINVAL, "zstd level %d window log %d refused", level,
				  wlog);
		goto out;
	}
	/* The block splitter gives the commands, differences and new bytes of
	 * a block entropy tables of their own: 0 to 2 % smaller on every pair
	 * of the bench. zstd turns it on by itself only for windows of 128 KiB
	 * and more, which a body's size often is not. An experimental
	 * parameter: a libzstd without it compresses as before. */
	(void)ZSTD_CCtx_setParameter(cctx, ZSTD_c_useBlockSplitter, ZSTD_ps_enable);
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
	return rc;
}

#ifndef DELTA_MAKE_NO_LZMA
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

#endif

/* Write the header, then the body in the layout that compresses smallest:
 * each layout made is tried with zstd at a fast level (3: it picked what
 * the final level would have on 6 of the bench's 7 pairs, and trying at the
 * final level costs a third of a small image's time); the smallest is
 * compressed again by the patch's method (zstd at the patch's level, or
 * LZMA2 when asked and the body is at most DELTA_MAKE_LZMA_MAX). The
 * header names the compressed body's SHA-256, and the lowest version that
 * has the layout. */
static int write_patch(struct mk *m, struct delta_header *h, int method, int level, int wlog)
{
	uint8_t *z = NULL, head[DELTA_HEADER_SIZE];
	size_t n = 0, best = SIZE_MAX;
	int fast = level < 3 ? level : 3, pick = -1, rc = VG_OK;
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	if (!cctx)
		return vg_error_set(m->err, VG_ENOMEM, "out of memory compressing the patch");
	for (int layout = 0; !rc && layout < NLAYOUTS; layout++) {
		if (!(m->layouts & 1u << layout))
			continue;
		if (m->layouts == 1u << layout) { /* the only one: nothing to try */
			pick = layout;
			break;
		}
		if (!(rc = compress_body(m, cctx, layout, fast, wlog, &z, &n)) && n < best)
			best = n, pick = layout;
		free(z);
		z = NULL;
	}
	if (!rc && pick < 0)
		rc = vg_error_set(m->err, VG_EINVAL, "no layout of the differences to make");
	if (rc)
		goto out;
	m->st.layout = pick;
	h->version = pick == DELTA_LAYOUT_TOKENS ? 2 : 1;
	if (!method || m->body[pick].n > DELTA_MAKE_LZMA_MAX)
		method = DELTA_METHOD_BSZ;
	h->method = (uint32_t)method;
#ifndef DELTA_MAKE_NO_LZMA
	if (method == DELTA_METHOD_BSX)
		rc = lzma_body(m, pick, wlog, &z, &n);
	else
#endif
		rc = compress_body(m, cctx, pick, level, wlog, &z, &n);
	if (!rc && sha256(z, n, h->body_sha256))
		rc = vg_error_set(m->err, VG_EINTERNAL, "SHA-256 of the patch failed");
	if (!rc) {
		delta_header_encode(h, head);
		rc = out_write(m, head, sizeof(head));
	}
	if (!rc)
		rc = out_write(m, z, n);
out:
	free(z);
	ZSTD_freeCCtx(cctx);
	return rc;
}

static const char *const layout_names[NLAYOUTS] = {"planes", "runs", "tokens"};

const char *delta_layout_name(int layout)
{
	return layout >= 0 && layout < NLAYOUTS ? layout_names[layout] : "?";
}

int delta_layout_parse(const char *s)
{
	for (int i = 0; s && i < NLAYOUTS; i++)
		if (strcmp(s, layout_names[i]) == 0)
			return i;
	return -1;
}

int delta_make(const uint8_t *old, uint64_t old_len, const uint8_t *new_img, uint64_t new_len,
	       const struct delta_make_opts *opts,
	       int (*write)(void *ctx, const void *buf, size_t len), void *ctx,
	       struct delta_make_stats *stats, struct vg_error *err)
{
	struct mk m = {0};
	struct delta_header h = {DELTA_VERSION, DELTA_METHOD_BSZ, old_len, new_len, {0}, {0}, {0}};
	uint8_t end = 0;
	int32_t *sa = NULL, *lo = NULL;
	int level = opts && opts->level ? opts->level : DELTA_MAKE_LEVEL;
	int wlog = opts && opts->window_log ? opts->window_log : DELTA_MAKE_WINDOW_LOG;
	int method = opts ? opts->method : 0;
	unsigned layouts = opts && opts->layouts ? opts->layouts : DELTA_MAKE_LAYOUTS_ALL;
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
#ifdef DELTA_MAKE_NO_LZMA
	if (method == DELTA_METHOD_BSX)
		return vg_error_set(err, VG_EINVAL,
				    "delta method %d (LZMA2): this build has no liblzma", method);
#endif
	if (level < 1 || level > DELTA_MAKE_LEVEL_MAX)
		return vg_error_set(err, VG_EINVAL, "zstd level %d: expected 1 to %d", level,
				    DELTA_MAKE_LEVEL_MAX);
	if (layouts & ~DELTA_MAKE_LAYOUTS_ALL)
		return vg_error_set(err, VG_EINVAL,
				    "difference layouts 0x%x: expected bits of 0x%x", layouts,
				    DELTA_MAKE_LAYOUTS_ALL);
	m.layouts = layouts;
	m.write = write;
	m.ctx = ctx;
	m.err = err;
	m.b.old = old;
	m.b.nw = new_img;
	/* The suffix array first, alone: sorting is the peak of memory on a
	 * small image (the array, libdivsufsort's 256 KiB of buckets, old), so
	 * nothing else is allocated or touched before it ends, not even
	 * libzstd's symbols (measured in docs/delta-format.md). */
	if (old_len && !(sa = malloc((size_t)old_len * sizeof(*sa)))) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory for a delta of %llu bytes",
				  (unsigned long long)old_len);
		goto out;
	}
	if (old_len && divsufsort(old, sa, (saidx_t)old_len) != 0) {
		rc = vg_error_set(err, VG_ENOMEM, "suffix sorting the old image failed");
		goto out;
	}
	m.b.ctrl = malloc(DELTA_BLOCK_CMDS * 30);
	m.b.cmds = malloc(DELTA_BLOCK_CMDS * sizeof(*m.b.cmds));
	{ /* a block rebuilds at most DELTA_BLOCK_MAX bytes, and no more than new */
		size_t bmax = new_len < DELTA_BLOCK_MAX ? (size_t)new_len + 1 : DELTA_BLOCK_MAX;
		m.b.gaps = malloc((bmax / 2 + 1) * 5);
		m.b.lens = malloc((bmax / 2 + 1) * 5);
		m.b.vals = malloc(bmax);
	}
	if (!m.b.ctrl || !m.b.cmds || !m.b.gaps || !m.b.lens || !m.b.vals) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory for a delta of %llu bytes",
				  (unsigned long long)old_len);
		goto out;
	}
	if (sha256(old, (size_t)old_len, h.old_sha256) ||
	    sha256(new_img, (size_t)new_len, h.new_sha256)) {
		rc = vg_error_set(err, VG_EINTERNAL, "SHA-256 of the images failed");
		goto out;
	}
	if (old_len >= DELTA_MAKE_INDEX_MIN) {
		if (!(lo = malloc(65537 * sizeof(*lo)))) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory for a delta of %llu bytes",
					  (unsigned long long)old_len);
			goto out;
		}
		prefix_index(sa, old, (int64_t)old_len, lo);
	}
	if ((rc = diff_loop(&m, sa, lo, old, (int64_t)old_len, new_img, (int64_t)new_len)))
		goto out;
	free(sa); /* the last block's runs and bodies need not sit beside it */
	sa = NULL;
	free(lo);
	lo = NULL;
	if ((rc = flush_block(&m)))
		goto out;
	for (int layout = 0; layout < NLAYOUTS; layout++)
		if ((layouts & 1u << layout) && (rc = body_add(&m, layout, &end, 1)))
			goto out;
	if ((rc = write_patch(&m, &h, method, level, wlog)))
		goto out;
	m.st.header = h;
	if (stats)
		*stats = m.st;
	rc = VG_OK;
out:
	free(sa);
	free(lo);
	free(m.b.ctrl);
	free(m.b.cmds);
	free(m.b.gaps);
	free(m.b.lens);
	free(m.b.vals);
	for (int layout = 0; layout < NLAYOUTS; layout++)
		free(m.body[layout].p);
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
