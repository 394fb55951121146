/*
 * fuzz_log_framing.c - syslog over TCP framing (RFC 6587: octet counting
 * and LF frames, evidence/log_parse.h). The input is fed in pieces of
 * every size the first byte chooses, as a socket would deliver it. Checks:
 * no crash or undefined behaviour; no frame is longer than the framer's
 * bound; the framer's buffer never grows past the bound plus one; fed in
 * one piece or in small pieces, the same frames come out.
 */
#include "evidence/log_parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXF 512

struct acc {
	uint8_t sum[64];
	size_t frames;
};

static int frame(const char *f, size_t n, void *arg)
{
	struct acc *a = arg;
	if (n > MAXF)
		abort();
	for (size_t i = 0; i < n; i++)
		a->sum[(a->frames + i) % sizeof(a->sum)] ^= (uint8_t)f[i];
	a->frames++;
	return 0;
}

static int run(const uint8_t *data, size_t size, size_t piece, struct acc *a)
{
	struct log_framer fr;
	struct vg_error err = {0};
	int bad = 0;
	log_framer_init(&fr, MAXF);
	for (size_t i = 0; i < size && !bad; i += piece) {
		size_t n = size - i < piece ? size - i : piece;
		if (log_framer_feed(&fr, (const char *)data + i, n, frame, a, &err) < 0)
			bad = 1;
		if (fr.cap > MAXF + 1)
			abort();
	}
	log_framer_release(&fr);
	return bad;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acc whole = {{0}, 0}, parts = {{0}, 0};
	size_t piece;
	int b1, b2;
	if (!size)
		return 0;
	piece = (size_t)(data[0] % 17) + 1;
	data++;
	size--;
	b1 = run(data, size, size ? size : 1, &whole);
	b2 = run(data, size, piece, &parts);
	if (b1 != b2 || (!b1 && (whole.frames != parts.frames ||
				 memcmp(whole.sum, parts.sum, sizeof(whole.sum)))))
		abort();
	return 0;
}
