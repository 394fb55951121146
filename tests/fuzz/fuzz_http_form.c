/*
 * fuzz_http_form.c - http_form() over an arbitrary
 * application/x-www-form-urlencoded body (the login form is the first thing
 * an anonymous client can send). Input: byte 0 picks the size of the output
 * buffer, the rest is the body. Checks: no crash, no read or write outside
 * the body or the output buffer (each is its own exact-size allocation), a
 * found value is NUL-terminated inside the buffer, a missing field leaves
 * an empty string.
 */
#include "core/error.h"
#include "http/http.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fields[] = {"csrf", "user", "password", "a", "a b", "x&y=z", ""};
	static const size_t sizes[] = {1, 2, 4, 8, 16, 80, 96, 1100};
	struct http_req req;
	size_t outsz;

	if (size < 1 || size > 1 << 16)
		return 0;
	outsz = sizes[data[0] % (sizeof(sizes) / sizeof(sizes[0]))];
	memset(&req, 0, sizeof(req));
	vg_buf_init(&req.body, 0);
	if (size > 1 && vg_buf_add(&req.body, data + 1, size - 1))
		return 0;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char *out = malloc(outsz);
		int rc;
		if (!out)
			break;
		memset(out, 'X', outsz);
		rc = http_form(&req, fields[i], out, outsz);
		if (rc == VG_OK && !memchr(out, '\0', outsz))
			abort();
		if (rc == VG_ENOTFOUND && req.body.len && out[0] != '\0')
			abort();
		free(out);
	}
	vg_buf_release(&req.body);
	return 0;
}
