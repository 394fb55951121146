/*
 * test_delta.c - the delta code in memory (issue 20): SHA-256 against the
 * FIPS 180-4 vectors, the header, byte-exact round trips (empty,
 * identical, edited, shifted, unrelated, across several blocks), every
 * truncation and every flipped byte of a patch refused or (never wrongly)
 * accepted, the wrong old image refused before any write, a failing reader
 * and writer, and make's refusals.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h"
#include "update/delta_apply.h"
#include "update/delta_make.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

struct src {
	const uint8_t *p;
	size_t n, pos;
	size_t fail_at; /* 0: never */
};

static long rd(void *ctx, void *buf, size_t len)
{
	struct src *s = ctx;
	size_t k = s->n - s->pos;
	if (s->fail_at && s->pos >= s->fail_at)
		return -1;
	if (k > len)
		k = len;
	if (k > 1000)
		k = 1000;
	memcpy(buf, s->p + s->pos, k);
	s->pos += k;
	return (long)k;
}

struct sink {
	uint8_t *p;
	size_t n, cap;
	int writes;
	int fail;
};

static int wr(void *ctx, const void *buf, size_t len)
{
	struct sink *k = ctx;
	k->writes++;
	if (k->fail)
		return -1;
	if (k->n + len > k->cap) {
		k->cap = (k->n + len) * 2;
		k->p = realloc(k->p, k->cap);
		assert_non_null(k->p);
	}
	memcpy(k->p + k->n, buf, len);
	k->n += len;
	return 0;
}

/* Apply patch to old; *out gets what was written (the caller frees). */
static int apply(const uint8_t *old, size_t on, const uint8_t *patch, size_t pn, struct sink *out,
		 char *msg, size_t msgsz)
{
	struct src s = {patch, pn, 0, 0};
	struct delta_io io = {rd, wr, &s, out};
	memset(out, 0, sizeof(*out));
	return delta_apply(old, on, &io, NULL, msg, msgsz);
}

/* The method the tests make patches with (0: the default, by size). */
static struct delta_make_opts mopts;

static void roundtrip(const uint8_t *old, size_t on, const uint8_t *new_img, size_t nn,
		      size_t *patch_len)
{
	struct vg_error err = {0};
	uint8_t *patch = NULL;
	size_t pn = 0;
	struct sink out;
	char msg[256];
	assert_int_equal(delta_make_buf(old, on, new_img, nn, &mopts, &patch, &pn, NULL, &err),
			 VG_OK);
	assert_int_equal(patch[12], mopts.method ? (unsigned)mopts.method : DELTA_METHOD_BSZ);
	if (mopts.layouts) /* version 2 only for the tokens */
		assert_int_equal(patch[8], mopts.layouts == 1u << DELTA_LAYOUT_TOKENS ? 2 : 1);
	assert_int_equal(apply(old, on, patch, pn, &out, msg, sizeof(msg)), DELTA_OK);
	assert_int_equal(out.n, nn);
	assert_true(nn == 0 || memcmp(out.p, new_img, nn) == 0);
	if (patch_len)
		*patch_len = pn;
	free(out.p);
	free(patch);
}

static uint8_t *rnd(size_t n, uint32_t seed)
{
	uint8_t *p = malloc(n ? n : 1);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
	return p;
}

/* A binary-like image: words drawn from a small vocabulary. */
static uint8_t *wordy(size_t n, uint32_t seed)
{
	uint8_t *voc = rnd(4096, seed), *p = malloc(n ? n : 1);
	size_t i = 0;
	assert_non_null(p);
	while (i < n) {
		seed = seed * 1103515245u + 12345u;
		size_t off = (seed >> 8) % 4000, len = 4 + (seed >> 20) % 60;
		if (len > n - i)
			len = n - i;
		memcpy(p + i, voc + off, len);
		i += len;
	}
	free(voc);
	return p;
}

static void hex(const uint8_t d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void test_sha256(void **state)
{
	uint8_t d[32];
	char h[65];
	struct delta_sha256 c;
	uint8_t *m = malloc(1000000);
	(void)state;
	delta_sha256("", 0, d);
	hex(d, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	delta_sha256("abc", 3, d);
	hex(d, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	delta_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	hex(d, h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a', fed in odd pieces */
	memset(m, 'a', 1000000);
	delta_sha256_init(&c);
	for (size_t i = 0; i < 1000000;) {
		size_t k = 1 + i % 97;
		if (k > 1000000 - i)
			k = 1000000 - i;
		delta_sha256_update(&c, m + i, k);
		i += k;
	}
	delta_sha256_final(&c, d);
	hex(d, h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(m);
}

static void test_header(void **state)
{
	struct delta_header h = {DELTA_VERSION, DELTA_METHOD_BSZ, 123, 456, {1}, {2}, {3}}, g;
	uint8_t b[DELTA_HEADER_SIZE];
	(void)state;
	delta_header_encode(&h, b);
	assert_memory_equal(b, "VGDELTA", 8);
	assert_int_equal(delta_header_decode(b, &g), DELTA_OK);
	assert_int_equal(g.old_len, 123);
	assert_int_equal(g.new_len, 456);
	assert_int_equal(g.old_sha256[0], 1);
	assert_int_equal(g.new_sha256[0], 2);
	assert_int_equal(g.body_sha256[0], 3);
	b[8] = 1; /* version 1: planes and runs only, still read */
	assert_int_equal(delta_header_decode(b, &g), DELTA_OK);
	assert_int_equal(g.version, 1);
	b[8] = 3; /* version 3: not yet */
	assert_int_equal(delta_header_decode(b, &g), DELTA_EVERSION);
	b[8] = 0;
	assert_int_equal(delta_header_decode(b, &g), DELTA_EVERSION);
	b[0] = 'X';
	assert_int_equal(delta_header_decode(b, &g), DELTA_EFORMAT);
	assert_string_equal(delta_status_name(DELTA_EOLD), "old_mismatch");
}

static void test_roundtrips(void **state)
{
	size_t n = 300000, pn = 0;
	uint8_t *a = wordy(n, 1), *b = wordy(n, 2), *c = malloc(n + 5000);
	(void)state;
	roundtrip(a, 0, a, 0, NULL);    /* empty to empty */
	roundtrip(a, 0, a, 1000, NULL); /* from nothing */
	roundtrip(a, 1000, a, 0, NULL); /* to nothing */
	roundtrip(a, n, a, n, &pn);     /* identical */
	assert_true(pn < 200);
	roundtrip(a, n, b, n, NULL); /* unrelated */
	memcpy(c, a, n);             /* edits, an insertion, a shift */
	for (size_t i = 0; i < 400; i++)
		c[(i * 7919) % n] ^= (uint8_t)(i | 1);
	memmove(c + 20005, c + 20000, n - 20000);
	memset(c + 20000, 0x5a, 5);
	roundtrip(a, n, c, n + 5, &pn);
	assert_true(pn < n / 20);
	free(a);
	free(b);
	free(c);
}

static void test_blocks(void **state)
{
	/* several DELTA_BLOCK_MAX blocks, with differences and new bytes in each */
	size_t n = 3 * DELTA_BLOCK_MAX + 12345, pn = 0;
	uint8_t *a = wordy(n, 3), *c = malloc(n);
	struct delta_make_stats st;
	struct vg_error err = {0};
	uint8_t *patch = NULL;
	(void)state;
	memcpy(c, a, n);
	for (size_t i = 0; i < n; i += 997)
		c[i] += 3;
	for (size_t i = 5000; i < n; i += 400000)
		memset(c + i, 0xee, 300);
	roundtrip(a, n, c, n, NULL);
	assert_int_equal(delta_make_buf(a, n, c, n, &mopts, &patch, &pn, &st, &err), VG_OK);
	assert_true(st.diff_bytes + st.extra_bytes == n);
	free(patch);
	free(a);
	free(c);
}

static void test_damage(void **state)
{
	size_t n = 40000, pn = 0;
	uint8_t *a = wordy(n, 4), *c = malloc(n), *patch = NULL;
	struct vg_error err = {0};
	struct sink out;
	char msg[256];
	int ok = 0;
	(void)state;
	memcpy(c, a, n);
	for (size_t i = 0; i < n; i += 501)
		c[i] ^= 0x11;
	memset(c + 30000, 1, 200);
	assert_int_equal(delta_make_buf(a, n, c, n, &mopts, &patch, &pn, NULL, &err), VG_OK);
	/* every truncation is refused, with a reason */
	for (size_t cut = 0; cut < pn; cut++) {
		int st = apply(a, n, patch, cut, &out, msg, sizeof(msg));
		assert_int_not_equal(st, DELTA_OK);
		assert_true(msg[0] != '\0');
		free(out.p);
	}
	/* a flipped bit anywhere: refused, or (never) a wrong image */
	for (size_t i = 0; i < pn; i++) {
		int st;
		patch[i] ^= 0x04;
		st = apply(a, n, patch, pn, &out, msg, sizeof(msg));
		if (st == DELTA_OK) {
			assert_int_equal(out.n, n);
			assert_memory_equal(out.p, c, n);
			ok++;
		} else {
			assert_true(msg[0] != '\0');
		}
		free(out.p);
		patch[i] ^= 0x04;
	}
	assert_int_equal(ok, 0);
	free(patch);
	free(a);
	free(c);
}

static void test_wrong_old(void **state)
{
	size_t n = 20000, pn = 0;
	uint8_t *a = wordy(n, 5), *b = wordy(n, 6), *patch = NULL;
	struct vg_error err = {0};
	struct sink out;
	char msg[256];
	(void)state;
	assert_int_equal(delta_make_buf(a, n, b, n, NULL, &patch, &pn, NULL, &err), VG_OK);
	assert_int_equal(apply(b, n, patch, pn, &out, msg, sizeof(msg)), DELTA_EOLD);
	assert_int_equal(out.writes, 0); /* refused before a byte was written */
	assert_non_null(strstr(msg, "SHA-256"));
	assert_int_equal(apply(a, n - 1, patch, pn, &out, msg, sizeof(msg)), DELTA_EOLD);
	assert_int_equal(out.writes, 0);
	assert_non_null(strstr(msg, "bytes"));
	/* failing reader and writer */
	{
		struct src s = {patch, pn, 0, 120};
		struct sink k = {0};
		struct delta_io io = {rd, wr, &s, &k};
		assert_int_equal(delta_apply(a, n, &io, NULL, msg, sizeof(msg)), DELTA_EIO);
		free(k.p);
	}
	{
		struct src s = {patch, pn, 0, 0};
		struct sink k = {.fail = 1};
		struct delta_io io = {rd, wr, &s, &k};
		assert_int_equal(delta_apply(a, n, &io, NULL, msg, sizeof(msg)), DELTA_EIO);
	}
	free(patch);
	free(a);
	free(b);
}

/* The same with the LZMA2 body (DELTA_METHOD_BSX). */
static void test_lzma_method(void **state)
{
	mopts.method = DELTA_METHOD_BSX;
	test_roundtrips(state);
	test_blocks(state);
	test_damage(state);
	mopts.method = 0;
}

/* An LZMA2 body's property byte asking for more than the largest window,
 * and a method nobody knows, are refused before anything is written. */
static void test_lzma_limits(void **state)
{
	size_t n = 20000, pn = 0;
	uint8_t *a = wordy(n, 7), *c = malloc(n), *patch = NULL;
	struct vg_error err = {0};
	struct delta_make_opts o = {.method = 9}, lz = {.method = DELTA_METHOD_BSX};
	struct sink out;
	char msg[256];
	(void)state;
	memcpy(c, a, n);
	c[100] ^= 1;
	assert_int_equal(delta_make_buf(a, n, c, n, &lz, &patch, &pn, NULL, &err), VG_OK);
	assert_int_equal(patch[12], DELTA_METHOD_BSX);
	assert_true(patch[DELTA_HEADER_SIZE] <= 2 * (DELTA_WINDOW_LOG_MAX - 12)); /* 2^24 */
	patch[DELTA_HEADER_SIZE] = 39;                                            /* 3 GiB */
	assert_int_equal(apply(a, n, patch, pn, &out, msg, sizeof(msg)), DELTA_ECORRUPT);
	assert_int_equal(out.writes, 0);
	assert_non_null(strstr(msg, "dictionary"));
	patch[DELTA_HEADER_SIZE] = 41; /* not a valid property */
	assert_int_equal(apply(a, n, patch, pn, &out, msg, sizeof(msg)), DELTA_ECORRUPT);
	patch[12] = 3;
	assert_int_equal(apply(a, n, patch, pn, &out, msg, sizeof(msg)), DELTA_EVERSION);
	assert_non_null(strstr(msg, "method 3"));
	free(patch);
	assert_int_equal(delta_make_buf(a, n, c, n, &o, &patch, &pn, NULL, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "method"));
	free(a);
	free(c);
}

/* Each layout of the differences alone: round trips, blocks and damage
 * with zstd, round trips with LZMA2 (whose damage test_lzma_method covers);
 * the version is 1 but for the tokens. */
static void test_layouts(void **state)
{
	for (int l = DELTA_LAYOUT_PLANES; l <= DELTA_LAYOUT_TOKENS; l++) {
		mopts.layouts = 1u << l;
		mopts.method = 0;
		test_roundtrips(state);
		test_blocks(state);
		test_damage(state);
		mopts.method = DELTA_METHOD_BSX;
		test_roundtrips(state);
	}
	mopts.method = 0;
	mopts.layouts = 0;
	assert_string_equal(delta_layout_name(DELTA_LAYOUT_TOKENS), "tokens");
	assert_int_equal(delta_layout_parse("runs"), DELTA_LAYOUT_RUNS);
	assert_int_equal(delta_layout_parse("rows"), -1);
}

/* Shifted code: a difference of one or two bytes every few bytes, what the
 * tokens are for. Every run's gap and length fits a token but a few. */
static void test_tokens_chosen(void **state)
{
	size_t n = 200000, pn = 0, pt = 0;
	uint8_t *a = wordy(n, 8), *c = malloc(n), *patch = NULL;
	struct vg_error err = {0};
	struct delta_make_stats st;
	(void)state;
	memcpy(c, a, n);
	for (size_t i = 0; i < n; i += 13 + (i / 13) % 50)
		c[i] += (uint8_t)(0x20 + (i & 1));
	for (size_t i = 1000; i < n; i += 30011) /* an escape: a long run */
		memset(c + i, 0x77, 9);
	mopts.layouts = 1u << DELTA_LAYOUT_TOKENS;
	roundtrip(a, n, c, n, &pt);
	mopts.layouts = 0;
	roundtrip(a, n, c, n, &pn);
	assert_true(pn <= pt);
	assert_int_equal(delta_make_buf(a, n, c, n, NULL, &patch, &pn, &st, &err), VG_OK);
	assert_int_equal(st.layout, DELTA_LAYOUT_TOKENS);
	assert_int_equal(patch[8], 2);
	free(patch);
	free(a);
	free(c);
}

/* A version-2 patch of one block of 10 added bytes, its differences coded
 * as `diffs` (n bytes: the count with the layout, then what follows), the
 * body compressed with zstd: applied to old, the status and message. */
static int crafted(const uint8_t *old, const uint8_t *diffs, size_t n, char *msg, size_t msgsz)
{
	uint8_t body[64], patch[DELTA_HEADER_SIZE + 128];
	struct delta_header h = {2, DELTA_METHOD_BSZ, 32, 10, {0}, {0}, {0}};
	size_t bn = 0, zn;
	struct sink out;
	int st;
	body[bn++] = 1; /* one command: add 10, copy 0, seek 0 */
	body[bn++] = 10;
	body[bn++] = 0;
	body[bn++] = 0;
	memcpy(body + bn, diffs, n);
	bn += n;
	body[bn++] = 0; /* the end */
	zn = ZSTD_compress(patch + DELTA_HEADER_SIZE, 128, body, bn, 3);
	assert_false(ZSTD_isError(zn));
	delta_sha256(old, 32, h.old_sha256);
	delta_sha256(patch + DELTA_HEADER_SIZE, zn, h.body_sha256);
	delta_header_encode(&h, patch);
	st = apply(old, 32, patch, DELTA_HEADER_SIZE + zn, &out, msg, msgsz);
	free(out.p);
	return st;
}

static void test_hostile_tokens(void **state)
{
	uint8_t old[32] = {0};
	char msg[256];
	(void)state;
	/* one run (count 1, layout 2), token 255: not used */
	assert_int_equal(crafted(old, (const uint8_t[]){1 << 2 | 2, 255, 9}, 3, msg, sizeof(msg)),
			 DELTA_ECORRUPT);
	assert_non_null(strstr(msg, "token 255"));
	/* layout 3: none */
	assert_int_equal(crafted(old, (const uint8_t[]){1 << 2 | 3, 0, 1, 9}, 4, msg, sizeof(msg)),
			 DELTA_ECORRUPT);
	assert_non_null(strstr(msg, "layout 3"));
	/* a token whose run ends past the block's 10 added bytes: gap 9, length 2 */
	assert_int_equal(
	    crafted(old, (const uint8_t[]){1 << 2 | 2, 9 * 2 + 1, 1, 1}, 4, msg, sizeof(msg)),
	    DELTA_ECORRUPT);
	assert_non_null(strstr(msg, "past the block"));
	/* the escape with a gap of 0 after the first run */
	assert_int_equal(
	    crafted(old, (const uint8_t[]){2 << 2 | 2, 0, 254, 0, 1, 5, 6}, 7, msg, sizeof(msg)),
	    DELTA_ECORRUPT);
	assert_non_null(strstr(msg, "gap 0"));
	/* and a good one, for contrast: gap 3 length 2 -> the new image's SHA-256
	 * is the header's zero, so the end is refused as new_mismatch, not corrupt */
	assert_int_equal(
	    crafted(old, (const uint8_t[]){1 << 2 | 2, 3 * 2 + 1, 5, 6}, 4, msg, sizeof(msg)),
	    DELTA_ENEW);
}

static void test_make_refusals(void **state)
{
	struct vg_error err = {0};
	struct delta_make_opts o = {.level = 99};
	uint8_t *patch = NULL, x = 0;
	size_t pn = 0;
	(void)state;
	assert_int_equal(delta_make_buf(&x, 1, &x, 1, &o, &patch, &pn, NULL, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "level"));
	o.level = 3;
	o.window_log = 30;
	assert_int_equal(delta_make_buf(&x, 1, &x, 1, &o, &patch, &pn, NULL, &err), VG_EINVAL);
	assert_int_equal(
	    delta_make_buf(&x, DELTA_MAKE_OLD_MAX + 1, &x, 1, NULL, &patch, &pn, NULL, &err),
	    VG_ETOOBIG);
	o.window_log = 0;
	o.layouts = 8;
	assert_int_equal(delta_make_buf(&x, 1, &x, 1, &o, &patch, &pn, NULL, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "layouts"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sha256),        cmocka_unit_test(test_header),
	    cmocka_unit_test(test_roundtrips),    cmocka_unit_test(test_blocks),
	    cmocka_unit_test(test_damage),        cmocka_unit_test(test_wrong_old),
	    cmocka_unit_test(test_make_refusals), cmocka_unit_test(test_lzma_method),
	    cmocka_unit_test(test_lzma_limits),   cmocka_unit_test(test_layouts),
	    cmocka_unit_test(test_tokens_chosen), cmocka_unit_test(test_hostile_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
