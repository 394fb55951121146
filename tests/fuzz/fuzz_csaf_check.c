/*
 * fuzz_csaf_check.c - csaf_check() (advisory/csaf_check.c) on arbitrary
 * bytes: the schema, every mandatory and recommended test. Every issue
 * names a test and a JSON pointer ("" or starting with '/'); the verdict
 * agrees with the counts.
 */
#include "advisory/csaf_check.h"
#include "core/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csaf_check_result r;
	struct vg_error err = {0};
	if (csaf_check((const char *)data, size, &r, &err) != VG_OK)
		return 0; /* out of memory, or the schema is not installed */
	size_t s = 0, m = 0, w = 0;
	for (size_t i = 0; i < r.n; i++) {
		const struct csaf_check_issue *is = &r.issues[i];
		if (!is->test[0] || (is->path[0] && is->path[0] != '/') || !is->message[0])
			abort();
		if (is->kind == CSAF_CHECK_SCHEMA)
			s++;
		else if (is->kind == CSAF_CHECK_MANDATORY)
			m++;
		else
			w++;
	}
	if (s != r.schema_failures || m != r.mandatory_failures || w != r.recommended_warnings ||
	    csaf_check_passes(&r) != (s == 0 && m == 0))
		abort();
	json_decref(csaf_check_result_to_json(&r));
	csaf_check_result_free(&r);
	return 0;
}
