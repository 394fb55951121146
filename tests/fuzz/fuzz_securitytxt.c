/*
 * fuzz_securitytxt.c - libFuzzer target for the security.txt validator:
 * any bytes must give a report (never a crash, leak or unbounded work), and
 * the report must serialise to JSON.
 */
#include "core/json.h"
#include "reach/securitytxt.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct securitytxt_options opt = {0};
	struct securitytxt_report r;
	json_t *j;

	opt.now_set = 1;
	opt.now = 1767225600; /* 2026-01-01T00:00:00Z */
	opt.url = "https://example.com/.well-known/security.txt";
	securitytxt_validate((const char *)data, size, &opt, &r, NULL);
	if (r.nfindings > SECURITYTXT_MAX_FINDINGS + 1)
		__builtin_trap();
	j = securitytxt_report_json(&r, "fuzz");
	/* every finding and field must survive into JSON (valid UTF-8) */
	if (j && (json_array_size(json_object_get(j, "findings")) != r.nfindings ||
		  json_array_size(json_object_get(j, "fields")) != r.nfields))
		__builtin_trap();
	json_decref(j);
	securitytxt_report_release(&r);
	return 0;
}
