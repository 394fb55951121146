/*
 * fuzz_report_body.c - the vulnerability report body parser
 * (case_report_parse) on arbitrary bytes: it must refuse or accept, never
 * crash, leak or read out of bounds; an accepted report passes the checks.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "psirt/cases.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct case_report r;
	struct vg_error err = {0};
	json_t *hold = NULL;

	if (case_report_parse((const char *)data, size, &r, &hold, &err) == VG_OK) {
		/* what was accepted must satisfy the same checks again */
		if (!r.product || !r.description || case_report_check(&r, "fuzz", &err) != VG_OK)
			__builtin_trap();
		(void)strlen(r.description);
		json_decref(hold);
	}
	return 0;
}
