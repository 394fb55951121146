/*
 * fuzz_nvd.c - nvd_feed_parse() on arbitrary bytes, then every parsed record
 * evaluated against CPE sets made from its own criteria (each criterion
 * alone, and all of one configuration together), and every bound pair
 * compared both ways: the order must be antisymmetric.
 */
#include "core/error.h"
#include "ident/cpe.h"
#include "vuln/nvd.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_order(const char *a, const char *b)
{
	if (!a || !b)
		return;
	if (nvd_version_cmp(a, b) != -nvd_version_cmp(b, a))
		abort();
}

static void exercise(const struct nvd_cve *c)
{
	struct nvd_match m;
	char range[256];

	for (size_t i = 0; i < c->n_configs; i++) {
		const struct nvd_config *cfg = &c->configs[i];
		struct cpe set[16];
		size_t n = 0;
		for (size_t j = 0; j < cfg->n_nodes; j++)
			for (size_t k = 0; k < cfg->nodes[j].n_matches; k++) {
				const struct nvd_cpe_match *e = &cfg->nodes[j].matches[k];
				nvd_config_match_parsed(c, &e->cpe, 1, &m);
				if (m.n_evidence > NVD_MAX_EVIDENCE ||
				    m.n_evidence > m.n_evidence_all)
					abort();
				if (n < 16)
					set[n++] = e->cpe; /* borrowed, not released here */
				nvd_range_str(e, range, sizeof(range));
				check_order(e->start_incl, e->end_excl);
				check_order(e->start_excl, e->end_incl);
				check_order(e->start_incl, e->end_incl);
			}
		nvd_config_match_parsed(c, set, n, &m);
		if (m.vulnerable && m.n_configs == 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nvd_feed f;
	struct vg_error err = {0};

	if (size > (1u << 20))
		return 0;
	if (nvd_feed_parse((const char *)data, size, "fuzz", &f, &err) == VG_OK) {
		for (size_t i = 0; i < f.n_cves; i++)
			exercise(f.cves[i]);
	} else if (!err.msg[0]) {
		abort();
	}
	nvd_feed_release(&f);
	return 0;
}
