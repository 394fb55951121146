/*
 * delta_apply.c - apply a vigil binary delta (delta_apply.h,
 * docs/delta-format.md). Needs only libzstd (and liblzma with
 * -DDELTA_APPLY_LZMA): a device client copies this
 * file and delta_apply.h.
 */
#include "delta_apply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef DELTA_APPLY_LZMA
#include <lzma.h>
#endif
#include <zstd.h>

#ifdef VIGIL_VERSION
#include "core/banned.h"
#endif

/* ---- status names ---- */

const char *delta_status_name(int status)
{
	switch (status) {
	case DELTA_OK:
		return "ok";
	case DELTA_EFORMAT:
		return "not_a_delta";
	case DELTA_EVERSION:
		return "unsupported_version";
	case DELTA_EOLD:
		return "old_mismatch";
	case DELTA_ECORRUPT:
		return "corrupt";
	case DELTA_ENEW:
		return "new_mismatch";
	case DELTA_EIO:
		return "io_error";
	case DELTA_ENOMEM:
		return "out_of_memory";
	case DELTA_ETOOBIG:
		return "too_large";
	default:
		return "unknown";
	}
}

/* ---- SHA-256 (FIPS 180-4) ---- */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR32(w[i - 15], 7) ^ ROR32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR32(w[i - 2], 17) ^ ROR32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (int i = 0; i < 64; i++) {
		t1 = k + (ROR32(e, 6) ^ ROR32(e, 11) ^ ROR32(e, 25)) + ((e & f) ^ (~e & g)) +
		     K256[i] + w[i];
		t2 = (ROR32(a, 2) ^ ROR32(a, 13) ^ ROR32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void delta_sha256_init(struct delta_sha256 *c)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(c->h, iv, sizeof(iv));
	c->total = 0;
	c->n = 0;
}

void delta_sha256_update(struct delta_sha256 *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	c->total += len;
	if (c->n) {
		size_t take = 64 - c->n < len ? 64 - c->n : len;
		memcpy(c->buf + c->n, p, take);
		c->n += take, p += take, len -= take;
		if (c->n < 64)
			return;
		sha256_block(c->h, c->buf);
		c->n = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		sha256_block(c->h, p);
	if (len)
		memcpy(c->buf, p, len);
	c->n = len;
}

void delta_sha256_final(struct delta_sha256 *c, uint8_t out[32])
{
	uint64_t bits = c->total * 8;
	c->buf[c->n++] = 0x80;
	if (c->n > 56) {
		memset(c->buf + c->n, 0, 64 - c->n);
		sha256_block(c->h, c->buf);
		c->n = 0;
	}
	memset(c->buf + c->n, 0, 56 - c->n);
	for (int i = 0; i < 8; i++)
		c->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha256_block(c->h, c->buf);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}

void delta_sha256(const void *data, size_t len, uint8_t out[32])
{
	struct delta_sha256 c;
	delta_sha256_init(&c);
	delta_sha256_update(&c, data, len);
	delta_sha256_final(&c, out);
}

/* ---- header ---- */

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void delta_header_encode(const struct delta_header *h, uint8_t out[DELTA_HEADER_SIZE])
{
	memset(out, 0, DELTA_HEADER_SIZE);
	memcpy(out, DELTA_MAGIC, 8); /* the magic's NUL included */
	put64(out + 8, (uint64_t)h->version | (uint64_t)h->method << 32);
	put64(out + 16, h->old_len);
	put64(out + 24, h->new_len);
	memcpy(out + 32, h->old_sha256, 32);
	memcpy(out + 64, h->new_sha256, 32);
	memcpy(out + 96, h->body_sha256, 32);
}

int delta_header_decode(const uint8_t in[DELTA_HEADER_SIZE], struct delta_header *h)
{
	uint64_t vm;
	if (memcmp(in, DELTA_MAGIC, 8) != 0)
		return DELTA_EFORMAT;
	vm = get64(in + 8);
	h->version = (uint32_t)vm;
	h->method = (uint32_t)(vm >> 32);
	h->old_len = get64(in + 16);
	h->new_len = get64(in + 24);
	memcpy(h->old_sha256, in + 32, 32);
	memcpy(h->new_sha256, in + 64, 32);
	memcpy(h->body_sha256, in + 96, 32);
	if (h->version < DELTA_VERSION_MIN || h->version > DELTA_VERSION ||
	    (h->method != DELTA_METHOD_BSZ && h->method != DELTA_METHOD_BSX))
		return DELTA_EVERSION;
#ifndef DELTA_APPLY_LZMA
	if (h->method == DELTA_METHOD_BSX)
		return DELTA_EVERSION; /* built without the LZMA2 decoder */
#endif
	return DELTA_OK;
}

/* ---- the body ---- */

#define IN_SIZE  (64u * 1024)
#define OUT_SIZE (64u * 1024)

struct cmd {
	uint64_t add, copy;
	int64_t seek;
};

struct pair {
	uint32_t pos, len; /* a run of differing bytes in a block's added bytes */
};

struct ap {
	const struct delta_io *io;
	uint32_t method; /* DELTA_METHOD_BSZ: dctx; DELTA_METHOD_BSX: lz */
	ZSTD_DCtx *dctx;
#ifdef DELTA_APPLY_LZMA
	lzma_stream lz;
	int lz_ready;
#endif
	ZSTD_inBuffer in; /* the compressed bytes read, for either method */
	uint8_t *inbuf;
	uint8_t *dbuf; /* decompressed bytes not yet taken: dbuf[dpos..dlen) */
	size_t dpos, dlen;
	uint64_t patch_off;       /* bytes of the patch read so far */
	uint64_t body_off;        /* decompressed body bytes taken so far */
	int in_eof;               /* the read callback said end */
	int frame_done;           /* the zstd frame or LZMA2 stream ended */
	struct delta_sha256 body; /* of every patch byte after the header */
	char *msg;
	size_t msgsz;
};

static int fail(struct ap *a, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct ap *a, int status, const char *fmt, ...)
{
	va_list ap;
	if (a->msg && a->msgsz) {
		va_start(ap, fmt);
		vsnprintf(a->msg, a->msgsz, fmt, ap);
		va_end(ap);
	}
	return status;
}

/* Read at least one byte of the patch into the input buffer. */
static int fill_in(struct ap *a)
{
	long got;
	if (a->in_eof)
		return DELTA_OK;
	got = a->io->read(a->io->read_ctx, a->inbuf, IN_SIZE);
	if (got < 0 || (size_t)got > IN_SIZE)
		return fail(a, DELTA_EIO, "reading the patch at byte %llu failed",
			    (unsigned long long)a->patch_off);
	if (got == 0)
		a->in_eof = 1;
	a->patch_off += (uint64_t)got;
	delta_sha256_update(&a->body, a->inbuf, (size_t)got);
	a->in.src = a->inbuf;
	a->in.size = (size_t)got;
	a->in.pos = 0;
	return DELTA_OK;
}

#ifdef DELTA_APPLY_LZMA
/* One call of the LZMA2 decoder over what is in a->in, into out. */
static int lzma_step(struct ap *a, ZSTD_outBuffer *out)
{
	lzma_ret r;
	a->lz.next_in = (const uint8_t *)a->in.src + a->in.pos;
	a->lz.avail_in = a->in.size - a->in.pos;
	a->lz.next_out = (uint8_t *)out->dst + out->pos;
	a->lz.avail_out = out->size - out->pos;
	r = lzma_code(&a->lz, LZMA_RUN);
	a->in.pos = a->in.size - a->lz.avail_in;
	out->pos = out->size - a->lz.avail_out;
	if (r == LZMA_STREAM_END)
		a->frame_done = 1;
	else if (r != LZMA_OK)
		return fail(a, r == LZMA_MEM_ERROR ? DELTA_ENOMEM : DELTA_ECORRUPT,
			    "the compressed body is damaged near byte %llu of the patch: "
			    "LZMA2 error %d",
			    (unsigned long long)(a->patch_off - (a->in.size - a->in.pos)), (int)r);
	return DELTA_OK;
}

/*
 * The body of a DELTA_METHOD_BSX patch: its first byte is the LZMA2
 * dictionary size (the filter's one property byte), at most
 * 2^DELTA_WINDOW_LOG_MAX; then one raw LZMA2 stream with its end marker.
 */
static int lzma_start(struct ap *a)
{
	uint8_t prop;
	lzma_filter f[2] = {{LZMA_FILTER_LZMA2, NULL}, {LZMA_VLI_UNKNOWN, NULL}};
	lzma_options_lzma *o;
	int rc;
	if (a->in.pos == a->in.size) {
		if ((rc = fill_in(a)))
			return rc;
		if (a->in_eof)
			return fail(a, DELTA_ECORRUPT,
				    "the patch ends after its header (truncated)");
	}
	prop = ((const uint8_t *)a->in.src)[a->in.pos++];
	if (lzma_properties_decode(&f[0], NULL, &prop, 1) != LZMA_OK)
		return fail(a, DELTA_ECORRUPT, "byte %u: LZMA2 property byte %u is not valid",
			    DELTA_HEADER_SIZE, prop);
	o = f[0].options;
	if (o->dict_size > (1u << DELTA_WINDOW_LOG_MAX)) {
		uint32_t d = o->dict_size;
		free(o);
		return fail(
		    a, DELTA_ECORRUPT,
		    "byte %u: the body asks for an LZMA2 dictionary of %u bytes, at most %u",
		    DELTA_HEADER_SIZE, d, 1u << DELTA_WINDOW_LOG_MAX);
	}
	a->lz = (lzma_stream)LZMA_STREAM_INIT;
	if (lzma_raw_decoder(&a->lz, f) != LZMA_OK) {
		free(o);
		return fail(a, DELTA_ENOMEM, "liblzma: cannot start the decoder");
	}
	free(o);
	a->lz_ready = 1;
	return DELTA_OK;
}

#endif

/* Decompress more of the body into dbuf; *got 0 at the end of the frame. */
static int refill(struct ap *a, size_t *got)
{
	*got = 0;
	a->dpos = a->dlen = 0;
	while (!a->frame_done) {
		ZSTD_outBuffer out = {a->dbuf, OUT_SIZE, 0};
		size_t r;
		int rc;
		if (a->in.pos == a->in.size) {
			if ((rc = fill_in(a)))
				return rc;
			if (a->in_eof)
				return fail(
				    a, DELTA_ECORRUPT,
				    "the patch ends at byte %llu inside its compressed body "
				    "(truncated)",
				    (unsigned long long)a->patch_off);
		}
#ifdef DELTA_APPLY_LZMA
		if (a->method == DELTA_METHOD_BSX) {
			if ((rc = lzma_step(a, &out)))
				return rc;
			if (out.pos) {
				a->dlen = out.pos;
				*got = out.pos;
				return DELTA_OK;
			}
			continue;
		}
#endif
		r = ZSTD_decompressStream(a->dctx, &out, &a->in);
		if (ZSTD_isError(r))
			return fail(
			    a, DELTA_ECORRUPT,
			    "the compressed body is damaged near byte %llu of the patch: %s",
			    (unsigned long long)(a->patch_off - (a->in.size - a->in.pos)),
			    ZSTD_getErrorName(r));
		if (r == 0)
			a->frame_done = 1;
		if (out.pos) {
			a->dlen = out.pos;
			*got = out.pos;
			return DELTA_OK;
		}
	}
	return DELTA_OK;
}

/* Take exactly n body bytes into dst (NULL: into nowhere). */
static int take(struct ap *a, uint8_t *dst, size_t n, const char *what)
{
	while (n) {
		size_t have = a->dlen - a->dpos, k;
		if (!have) {
			int rc = refill(a, &have);
			if (rc)
				return rc;
			if (!have)
				return fail(a, DELTA_ECORRUPT,
					    "the body ends at byte %llu in %s (truncated)",
					    (unsigned long long)a->body_off, what);
		}
		k = have < n ? have : n;
		if (dst) {
			memcpy(dst, a->dbuf + a->dpos, k);
			dst += k;
		}
		a->dpos += k;
		a->body_off += k;
		n -= k;
	}
	return DELTA_OK;
}

static int varint(struct ap *a, uint64_t *v, const char *what)
{
	uint64_t x = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		uint8_t b;
		int rc = take(a, &b, 1, what);
		if (rc)
			return rc;
		if (shift == 63 && b > 1)
			break;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return DELTA_OK;
		}
	}
	return fail(a, DELTA_ECORRUPT, "body byte %llu: %s is not a valid varint",
		    (unsigned long long)a->body_off, what);
}

/* Where the runs of differences are: command ci, whose added bytes start at
 * cdiff in the block's added bytes and at cblock in the block. */
struct runpos {
	size_t ci, cdiff, cblock;
};

static int check_run(struct ap *a, uint64_t nblock, uint64_t i, uint64_t gap, uint64_t len,
		     uint64_t at, uint64_t sum_add)
{
	if (len == 0 || gap > sum_add - at || len > sum_add - at - gap)
		return fail(a, DELTA_ECORRUPT,
			    "block %llu difference %llu: %llu bytes at %llu, past the block's "
			    "%llu added bytes",
			    (unsigned long long)nblock, (unsigned long long)i + 1,
			    (unsigned long long)len, (unsigned long long)(at + gap),
			    (unsigned long long)sum_add);
	return DELTA_OK;
}

/* Add the next len body bytes to the block's added bytes from p on (checked
 * by check_run: p + len is inside them; runs come in order). */
static int add_run(struct ap *a, const struct cmd *cmds, struct runpos *rp, uint8_t *block,
		   uint64_t p, uint64_t len)
{
	while (len) {
		uint8_t tmp[4096];
		size_t k;
		int rc;
		while (p >= rp->cdiff + cmds[rp->ci].add) {
			rp->cdiff += (size_t)cmds[rp->ci].add;
			rp->cblock += (size_t)(cmds[rp->ci].add + cmds[rp->ci].copy);
			rp->ci++;
		}
		k = (size_t)(rp->cdiff + cmds[rp->ci].add - p);
		if (k > len)
			k = (size_t)len;
		if (k > sizeof(tmp))
			k = sizeof(tmp);
		if ((rc = take(a, tmp, k, "the difference bytes")))
			return rc;
		for (size_t j = 0; j < k; j++)
			block[rp->cblock + (p - rp->cdiff) + j] += tmp[j];
		p += k;
		len -= k;
	}
	return DELTA_OK;
}

int delta_apply(const uint8_t *old, uint64_t old_len, const struct delta_io *io,
		struct delta_header *hdr, char *msg, size_t msgsz)
{
	struct ap a = {0};
	struct delta_header h;
	struct delta_sha256 sha;
	uint8_t head[DELTA_HEADER_SIZE], digest[32];
	uint8_t *block = NULL;
	struct cmd *cmds = NULL;
	struct pair *pairs = NULL;
	uint64_t npairs_cap = 0;
	uint64_t oldpos = 0, newpos = 0, nblock = 0;
	size_t got = 0;
	int rc = DELTA_OK;

	a.io = io;
	a.msg = msg;
	a.msgsz = msgsz;
	if (msg && msgsz)
		msg[0] = '\0';

	/* the header, read whole */
	while (got < DELTA_HEADER_SIZE) {
		long n = io->read(io->read_ctx, head + got, DELTA_HEADER_SIZE - got);
		if (n < 0)
			return fail(&a, DELTA_EIO, "reading the patch header failed");
		if (n == 0)
			return fail(&a, DELTA_EFORMAT,
				    "the patch has %zu bytes, less than its %u-byte header", got,
				    DELTA_HEADER_SIZE);
		got += (size_t)n;
	}
	a.patch_off = DELTA_HEADER_SIZE;
	rc = delta_header_decode(head, &h);
	if (rc == DELTA_EFORMAT)
		return fail(&a, rc, "byte 0: expected the magic \"VGDELTA\\0\" of a vigil delta");
	if (hdr)
		*hdr = h;
	if (rc == DELTA_EVERSION)
		return fail(&a, rc,
			    "byte 8: format version %u method %u, expected version %u to %u "
			    "method %s",
			    h.version, h.method, DELTA_VERSION_MIN, DELTA_VERSION,
			    DELTA_APPLY_METHODS);
	a.method = h.method;
	if (h.old_len > SIZE_MAX || h.new_len > INT64_MAX)
		return fail(&a, DELTA_ETOOBIG, "byte 16: lengths too large for this machine");

	/* the old image, before anything is written */
	if (old_len != h.old_len)
		return fail(&a, DELTA_EOLD,
			    "the old image has %llu bytes; the patch was made from one of %llu",
			    (unsigned long long)old_len, (unsigned long long)h.old_len);
	delta_sha256(old, (size_t)old_len, digest);
	if (memcmp(digest, h.old_sha256, 32) != 0)
		return fail(&a, DELTA_EOLD,
			    "the old image's SHA-256 is not the one the patch was made from");

	a.inbuf = malloc(IN_SIZE);
	a.dbuf = malloc(OUT_SIZE);
	/* a block rebuilds at most DELTA_BLOCK_MAX bytes, and no more than the image */
	block = malloc(h.new_len < DELTA_BLOCK_MAX ? (size_t)h.new_len + 1 : DELTA_BLOCK_MAX);
	cmds = malloc(DELTA_BLOCK_CMDS * sizeof(*cmds));
	a.dctx = ZSTD_createDCtx();
	if (!a.inbuf || !a.dbuf || !block || !cmds || !a.dctx) {
		rc = fail(&a, DELTA_ENOMEM, "out of memory");
		goto out;
	}
	if (ZSTD_isError(
		ZSTD_DCtx_setParameter(a.dctx, ZSTD_d_windowLogMax, DELTA_WINDOW_LOG_MAX))) {
		rc = fail(&a, DELTA_ENOMEM, "zstd: cannot limit the window");
		goto out;
	}
	a.in.src = a.inbuf;
	delta_sha256_init(&sha);
	delta_sha256_init(&a.body);
#ifdef DELTA_APPLY_LZMA
	if (a.method == DELTA_METHOD_BSX && (rc = lzma_start(&a)))
		goto out;
#endif

	for (;;) {
		uint64_t ncmd, sum_add = 0, sum_copy = 0, pos;
		if ((rc = varint(&a, &ncmd, "a block's command count")))
			goto out;
		if (ncmd == 0)
			break; /* the end */
		nblock++;
		if (ncmd > DELTA_BLOCK_CMDS) {
			rc = fail(
			    &a, DELTA_ECORRUPT, "block %llu: %llu commands, at most %u expected",
			    (unsigned long long)nblock, (unsigned long long)ncmd, DELTA_BLOCK_CMDS);
			goto out;
		}
		/* the commands: where each add reads old, checked against old */
		pos = oldpos;
		for (uint64_t i = 0; i < ncmd; i++) {
			uint64_t zz;
			struct cmd *c = &cmds[i];
			if ((rc = varint(&a, &c->add, "an add length")) ||
			    (rc = varint(&a, &c->copy, "a copy length")) ||
			    (rc = varint(&a, &zz, "a seek")))
				goto out;
			c->seek = (int64_t)(zz >> 1) ^ -(int64_t)(zz & 1);
			if (c->add > DELTA_BLOCK_MAX || c->copy > DELTA_BLOCK_MAX ||
			    sum_add + sum_copy + c->add + c->copy > DELTA_BLOCK_MAX) {
				rc = fail(&a, DELTA_ECORRUPT,
					  "block %llu command %llu: the block rebuilds more than "
					  "%u bytes",
					  (unsigned long long)nblock, (unsigned long long)i + 1,
					  DELTA_BLOCK_MAX);
				goto out;
			}
			if (c->add > old_len - pos) {
				rc = fail(&a, DELTA_ECORRUPT,
					  "block %llu command %llu: adds %llu bytes at old offset "
					  "%llu, past the old image's %llu bytes",
					  (unsigned long long)nblock, (unsigned long long)i + 1,
					  (unsigned long long)c->add, (unsigned long long)pos,
					  (unsigned long long)old_len);
				goto out;
			}
			pos += c->add;
			if ((c->seek < 0 && (uint64_t)0 - (uint64_t)c->seek > pos) ||
			    (c->seek > 0 && (uint64_t)c->seek > old_len - pos)) {
				rc = fail(
				    &a, DELTA_ECORRUPT,
				    "block %llu command %llu: seeks %lld from old offset %llu, "
				    "outside the old image",
				    (unsigned long long)nblock, (unsigned long long)i + 1,
				    (long long)c->seek, (unsigned long long)pos);
				goto out;
			}
			pos = (uint64_t)((int64_t)pos + c->seek);
			sum_add += c->add;
			sum_copy += c->copy;
		}
		if (newpos + sum_add + sum_copy > h.new_len) {
			rc = fail(&a, DELTA_ECORRUPT,
				  "block %llu: rebuilds past the new image's %llu bytes",
				  (unsigned long long)nblock, (unsigned long long)h.new_len);
			goto out;
		}
		/* the old bytes of every add */
		{
			size_t o = 0;
			pos = oldpos;
			for (uint64_t i = 0; i < ncmd; i++) {
				struct cmd *c = &cmds[i];
				memcpy(block + o, old + pos, (size_t)c->add);
				pos += c->add;
				pos = (uint64_t)((int64_t)pos + c->seek);
				o += (size_t)(c->add + c->copy);
			}
			oldpos = pos;
		}
		/* the differences: runs of non-zero bytes added to the old bytes,
		 * in planes (every gap, every length, then every byte), run by run
		 * (gap, length, bytes) or, from version 2, as tokens (a byte or an
		 * escape per run's gap and length, then every byte) */
		{
			uint64_t npairs, at = 0, v, len = 0;
			int layout;
			struct runpos rp = {0};
			if ((rc = varint(&a, &v, "a block's difference count")))
				goto out;
			if (h.version == 1) {
				npairs = v >> 1;
				layout = (int)(v & 1);
			} else {
				npairs = v >> 2;
				layout = (int)(v & 3);
			}
			if (layout > DELTA_LAYOUT_TOKENS) {
				rc = fail(&a, DELTA_ECORRUPT,
					  "block %llu: difference layout %d, expected 0 to %d",
					  (unsigned long long)nblock, layout, DELTA_LAYOUT_TOKENS);
				goto out;
			}
			if (npairs > sum_add / 2 + 1) {
				rc = fail(&a, DELTA_ECORRUPT,
					  "block %llu: %llu differences in %llu added bytes",
					  (unsigned long long)nblock, (unsigned long long)npairs,
					  (unsigned long long)sum_add);
				goto out;
			}
			if (layout != DELTA_LAYOUT_RUNS &&
			    npairs > npairs_cap) { /* the runs kept for their bytes */
				struct pair *grown =
				    realloc(pairs, (size_t)npairs * sizeof(*pairs));
				if (!grown) {
					rc = fail(&a, DELTA_ENOMEM, "out of memory");
					goto out;
				}
				pairs = grown;
				npairs_cap = npairs;
			}
			for (uint64_t i = 0; i < npairs; i++) {
				if (layout == DELTA_LAYOUT_TOKENS) {
					uint8_t t;
					if ((rc = take(&a, &t, 1, "a difference's token")))
						goto out;
					if (t < DELTA_TOKEN_ESCAPE) {
						v = t >> 1;
						len = (uint64_t)(t & 1) + 1;
					} else if (t > DELTA_TOKEN_ESCAPE) {
						rc = fail(&a, DELTA_ECORRUPT,
							  "block %llu difference %llu: token %u, "
							  "expected at most %u",
							  (unsigned long long)nblock,
							  (unsigned long long)i + 1, t,
							  DELTA_TOKEN_ESCAPE);
						goto out;
					} else if ((rc = varint(&a, &v, "a difference's gap")) ||
						   (rc = varint(&a, &len,
								"a difference's length"))) {
						goto out;
					}
				} else {
					if ((rc = varint(&a, &v, "a difference's gap")))
						goto out;
					if (layout == DELTA_LAYOUT_RUNS &&
					    (rc = varint(&a, &len, "a difference's length")))
						goto out;
				}
				if ((i && v == 0) || v > sum_add) {
					rc = fail(&a, DELTA_ECORRUPT,
						  "block %llu difference %llu: gap %llu out of "
						  "range",
						  (unsigned long long)nblock,
						  (unsigned long long)i + 1, (unsigned long long)v);
					goto out;
				}
				if (layout == DELTA_LAYOUT_PLANES) {
					pairs[i].pos = (uint32_t)v; /* the gap, until the lengths */
					continue;
				}
				if ((rc = check_run(&a, nblock, i, v, len, at, sum_add)))
					goto out;
				if (layout == DELTA_LAYOUT_RUNS &&
				    (rc = add_run(&a, cmds, &rp, block, at + v, len)))
					goto out;
				if (layout == DELTA_LAYOUT_TOKENS) {
					pairs[i].pos = (uint32_t)(at + v);
					pairs[i].len = (uint32_t)len;
				}
				at += v + len;
			}
			for (uint64_t i = 0; layout == DELTA_LAYOUT_PLANES && i < npairs; i++) {
				if ((rc = varint(&a, &len, "a difference's length")) ||
				    (rc = check_run(&a, nblock, i, pairs[i].pos, len, at, sum_add)))
					goto out;
				at += pairs[i].pos;
				pairs[i].pos = (uint32_t)at;
				pairs[i].len = (uint32_t)len;
				at += len;
			}
			for (uint64_t i = 0; layout != DELTA_LAYOUT_RUNS && i < npairs; i++)
				if ((rc =
					 add_run(&a, cmds, &rp, block, pairs[i].pos, pairs[i].len)))
					goto out;
		}
		/* the extra bytes, new data */
		{
			size_t o = 0;
			for (uint64_t i = 0; i < ncmd; i++) {
				struct cmd *c = &cmds[i];
				o += (size_t)c->add;
				if ((rc = take(&a, block + o, (size_t)c->copy, "the extra bytes")))
					goto out;
				o += (size_t)c->copy;
			}
		}
		delta_sha256_update(&sha, block, (size_t)(sum_add + sum_copy));
		if (sum_add + sum_copy &&
		    io->write(io->write_ctx, block, (size_t)(sum_add + sum_copy)) != 0) {
			rc = fail(&a, DELTA_EIO, "writing the new image at byte %llu failed",
				  (unsigned long long)newpos);
			goto out;
		}
		newpos += sum_add + sum_copy;
	}

	/* nothing after the end: no body byte, no compressed byte, no patch byte */
	if (a.dpos == a.dlen && (rc = refill(&a, &got)))
		goto out;
	if (a.dpos != a.dlen) {
		rc = fail(&a, DELTA_ECORRUPT, "body byte %llu: data after the end of the body",
			  (unsigned long long)a.body_off);
		goto out;
	}
	if (a.in.pos != a.in.size || (fill_in(&a) == DELTA_OK && !a.in_eof)) {
		rc = fail(&a, DELTA_ECORRUPT, "bytes after the end of the patch's body");
		goto out;
	}
	delta_sha256_final(&a.body, digest);
	if (memcmp(digest, h.body_sha256, 32) != 0) {
		rc =
		    fail(&a, DELTA_ECORRUPT,
			 "the patch's body (bytes %u to %llu) does not have the SHA-256 its header "
			 "names: the patch is damaged",
			 DELTA_HEADER_SIZE, (unsigned long long)a.patch_off);
		goto out;
	}
	if (newpos != h.new_len) {
		rc = fail(&a, DELTA_ENEW, "the rebuilt image has %llu bytes, the header says %llu",
			  (unsigned long long)newpos, (unsigned long long)h.new_len);
		goto out;
	}
	delta_sha256_final(&sha, digest);
	if (memcmp(digest, h.new_sha256, 32) != 0) {
		rc = fail(&a, DELTA_ENEW,
			  "the rebuilt image's SHA-256 is not the one the header names");
		goto out;
	}
	rc = DELTA_OK;
out:
	ZSTD_freeDCtx(a.dctx);
#ifdef DELTA_APPLY_LZMA
	if (a.lz_ready)
		lzma_end(&a.lz);
#endif
	free(a.inbuf);
	free(a.dbuf);
	free(block);
	free(cmds);
	free(pairs);
	return rc;
}
