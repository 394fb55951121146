/*
 * fuzz_json_body.c - request bodies and other outside JSON through
 * vg_json_parse(), and the canonical encoding of what it accepts.
 * Checks: no crash, no leak; a refusal always carries a message; the
 * canonical encoding parses again and encodes to the same bytes (hashes of
 * audit records depend on it being a fixed point).
 */
#include "core/error.h"
#include "core/json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = {0};
	json_t *v, *w;
	char *c1, *c2;

	if (size > 1 << 20)
		return 0;
	v = vg_json_parse((const char *)data, size, "request body", &err);
	if (!v) {
		if (!vg_error_msg(&err)[0])
			abort();
		return 0;
	}
	c1 = vg_json_canonical(v);
	if (!c1)
		abort();
	w = vg_json_parse(c1, strlen(c1), "canonical", &err);
	if (!w)
		abort();
	c2 = vg_json_canonical(w);
	if (!c2 || strcmp(c1, c2) != 0)
		abort();
	free(c2);
	free(c1);
	json_decref(w);
	json_decref(v);
	return 0;
}
