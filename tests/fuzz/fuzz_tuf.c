/*
 * fuzz_tuf.c - what the TUF repository reads from outside: metadata file
 * names and Range headers of requests (tuf_metadata_name_parse,
 * tuf_range_parse), and canonical JSON of any parsed document. A range must
 * lie inside the file; a role name must not climb out.
 */
#include "core/buf.h"
#include "core/error.h"
#include "core/json.h"
#include "update/tuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), role[200];
	struct vg_error err = {0};
	struct vg_buf b = VG_BUF_INIT;
	size_t from = 0, to = 0, n = size ? data[0] : 0;
	int64_t version = 0;
	json_t *v;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (tuf_metadata_name_parse(s, role, sizeof(role), &version) == 0) {
		if (version < 0 || !role[0] || strstr(role, "..") || role[0] == '/')
			abort();
	}
	if (tuf_range_parse(s, n, &from, &to) == 1) {
		if (from > to || to >= n)
			abort();
	}
	v = vg_json_parse((const char *)data, size, "fuzz", &err);
	if (v) {
		(void)tuf_canonical_json(v, &b, &err);
		json_decref(v);
	}
	vg_buf_release(&b);
	free(s);
	return 0;
}
