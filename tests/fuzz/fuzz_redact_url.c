/*
 * fuzz_redact_url.c - vg_redact_url() on any text (webhook URLs, smtp_url
 * and feed URLs come from operators and API clients). Checks: no crash or
 * undefined behaviour; the result is NUL-terminated and as long as the
 * returned length; a short buffer holds a prefix of the whole result;
 * masking a masked URL changes nothing; a password put in the userinfo of
 * "https://u:PASSWORD@" + input never shows.
 */
#define _GNU_SOURCE
#include "core/redact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PW "Zq7PASSWORDx"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[2048], out[8192], again[8192], small[24], wrapped[2100];
	size_t n, m, k;

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	n = vg_redact_url(in, out, sizeof(out));
	if (n >= sizeof(out) || strlen(out) != n)
		abort();
	/* a truncated result is a prefix of the whole */
	k = vg_redact_url(in, small, sizeof(small));
	if (k != n || strncmp(small, out, sizeof(small) - 1) != 0 ||
	    strlen(small) != (n < sizeof(small) ? n : sizeof(small) - 1))
		abort();
	/* stable */
	m = vg_redact_url(out, again, sizeof(again));
	if (m != n || strcmp(again, out) != 0)
		abort();
	/* userinfo never shows */
	memcpy(wrapped, "https://u:" PW "@", strlen("https://u:" PW "@"));
	memcpy(wrapped + strlen("https://u:" PW "@"), in, strlen(in) + 1);
	vg_redact_url(wrapped, out, sizeof(out));
	if (!memmem(in, strlen(in), PW, strlen(PW)) && strstr(out, PW))
		abort();
	return 0;
}
