/*
 * fuzz_vex.c - a VEX document (CycloneDX, CSAF csaf_vex or OpenVEX, told
 * apart by content) through vex_check(), the parse-and-check phase of
 * `vigil vex import`. Checks: no crash, no leak; a refusal carries a message.
 */
#include "core/error.h"
#include "triage/vex.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = {0};
	struct vex_import_stats st;
	if (size > 1 << 20)
		return 0;
	if (vex_check((const char *)data, size, "fuzz", &st, &err) != VG_OK &&
	    !vg_error_msg(&err)[0])
		abort();
	return 0;
}
