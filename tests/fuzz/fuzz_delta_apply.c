/*
 * fuzz_delta_apply.c - a patch is untrusted transport (issue 20): apply any
 * bytes to a fixed old image. The first input byte chooses how the rest is
 * read:
 *   0: the rest is the whole patch (header included);
 *   1: the rest is a new length (8 bytes, little endian), a new SHA-256 (32)
 *      and a body, put behind a header that names this old image, so the
 *      fuzzer gets past the old image's check into the body's decoder (the
 *      body's SHA-256 is put in the header too): a zstd body;
 *   2: the same with an LZMA2 body (DELTA_METHOD_BSX);
 *   3, 4: as 1 and 2 under a version 2 header (the tokens layout).
 * Whatever it gets, delta_apply() must not read or write outside a buffer,
 * and when it says DELTA_OK the bytes written are exactly the header's
 * length with the header's SHA-256. The seeds (tests/fuzz/corpus/
 * delta_apply/) are small valid patches of both kinds made from this old
 * image by `vigil delta make` (every layout, both methods), and damaged ones.
 */
#include "update/delta_apply.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OLD_LEN 16384

/* The old image: the seeds were made from the same bytes
 * (tests/fuzz/gen_delta_seeds.py). */
static const uint8_t *old_image(void)
{
	static uint8_t old[OLD_LEN];
	static int done;
	if (!done) {
		for (uint32_t i = 0; i < OLD_LEN; i++)
			old[i] = (uint8_t)(((i / 7) * 2654435761u) >> 24 ^ (i % 13));
		done = 1;
	}
	return old;
}

struct src {
	const uint8_t *p;
	size_t n, pos;
};

static long rd(void *ctx, void *buf, size_t len)
{
	struct src *s = ctx;
	size_t k = s->n - s->pos;
	if (k > len)
		k = len;
	if (k > 977) /* odd reads: every boundary gets crossed */
		k = 977;
	memcpy(buf, s->p + s->pos, k);
	s->pos += k;
	return (long)k;
}

struct sink {
	uint64_t n;
	struct delta_sha256 sha;
};

static int wr(void *ctx, const void *buf, size_t len)
{
	struct sink *k = ctx;
	k->n += len;
	delta_sha256_update(&k->sha, buf, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *old = old_image();
	uint8_t *patch = NULL, digest[32];
	struct src s = {0};
	struct sink k = {0};
	struct delta_io io = {rd, wr, &s, &k};
	struct delta_header h;
	char msg[256];
	int st;

	if (size < 1)
		return 0;
	if (data[0] >= 1 && data[0] <= 4 && size >= 1 + 8 + 32) {
		struct delta_header mk = {data[0] <= 2 ? 1 : 2,
					  data[0] % 2 ? DELTA_METHOD_BSZ : DELTA_METHOD_BSX,
					  OLD_LEN,
					  0,
					  {0},
					  {0},
					  {0}};
		for (int i = 7; i >= 0; i--)
			mk.new_len = mk.new_len << 8 | data[1 + i];
		mk.new_len &= 0xffffff; /* at most 16 MiB rebuilt */
		memcpy(mk.new_sha256, data + 9, 32);
		delta_sha256(old, OLD_LEN, mk.old_sha256);
		delta_sha256(data + 41, size - 41, mk.body_sha256);
		patch = malloc(DELTA_HEADER_SIZE + size - 41);
		if (!patch)
			return 0;
		delta_header_encode(&mk, patch);
		memcpy(patch + DELTA_HEADER_SIZE, data + 41, size - 41);
		s.p = patch;
		s.n = DELTA_HEADER_SIZE + size - 41;
	} else {
		s.p = data + 1;
		s.n = size - 1;
	}
	delta_sha256_init(&k.sha);
	st = delta_apply(old, OLD_LEN, &io, &h, msg, sizeof(msg));
	if (st == DELTA_OK) {
		delta_sha256_final(&k.sha, digest);
		if (k.n != h.new_len || memcmp(digest, h.new_sha256, 32) != 0)
			abort();
	}
	if (!memchr(msg, '\0', sizeof(msg)) || (st != DELTA_OK && !msg[0]))
		abort(); /* every failure says why */
	free(patch);
	return 0;
}
