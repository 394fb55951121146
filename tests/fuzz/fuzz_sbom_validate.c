/* libFuzzer target: sbom_validate_policy() under both policies on any input
 * (format detection, the official schemas, the SPDX tag-value mandatory
 * fields, the SPDX 3 element ids, the fatal classification). Any input must
 * give a result or an error, never a crash or a leak. Seeds: the field corpus
 * of issue 14 (fuzz_sbom_validate.dirs) and tests/fuzz/corpus/sbom_validate. */
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "sbom/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum sbom_policy pol[] = {SBOM_POLICY_STRICT, SBOM_POLICY_STANDARD};
	for (size_t i = 0; i < 2; i++) {
		struct vg_error err;
		struct sbom_validation v;
		int rc = sbom_validate_policy((const char *)data, size, "fuzz", pol[i], &v, &err);
		(void)rc;
		sbom_validation_release(&v);
	}
	return 0;
}
