/* libFuzzer target: SPDX 2 JSON through sbom_spdx_parse_json(). Any input must be either a
 * document or an error, never a crash or a leak. */
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "sbom/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err;
	struct sbom_doc *doc = NULL;
	struct sbom_parse_opts opts = {.max_bytes = 1 << 20};
	if (sbom_spdx_parse_json((const char *)data, size, "fuzz", &opts, &doc, &err) == VG_OK)
		sbom_doc_free(doc);
	return 0;
}
