/* libFuzzer target: any document read under the standard policy (dangling
 * references listed through the parse hook), then measured by
 * sbom_quality_measure() (the metadata authors, external reference hashes
 * and the SPDX licence expression checker of sbom/quality.c). Any input must
 * be either a measure or an error, never a crash or a leak. */
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "sbom/inventory.h"
#include "sbom/model.h"
#include "sbom/quality.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err;
	struct sbom_doc *doc = NULL;
	struct sbom_violation_list viol = {0};
	struct sbom_quality q;
	if (size > (1 << 20))
		return 0;
	if (sbom_check_policy((const char *)data, size, "fuzz", SBOM_POLICY_STANDARD, &doc, &viol,
			      &err) == VG_OK) {
		if (sbom_quality_measure(doc, &q) == VG_OK)
			sbom_quality_release(&q);
		sbom_doc_free(doc);
	}
	sbom_violation_list_release(&viol);
	return 0;
}
