/*
 * fuzz_csaf.c - csaf_parse() on arbitrary bytes, then every vulnerability's
 * products walked with their identification helpers and platforms, and
 * every remediation, threat and flag expanded through groups.
 */
#include "core/error.h"
#include "vuln/csaf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int visit(void *ctx, enum csaf_status s, const char *id, const struct csaf_product *p)
{
	size_t *n = ctx;
	(void)s;
	if (!id)
		abort();
	if (p && strcmp(p->product_id, id) != 0)
		abort();
	(void)csaf_product_purl(p);
	(void)csaf_product_cpe(p);
	(void)csaf_product_platform(p);
	(*n)++;
	return 0;
}

static int visit_id(void *ctx, const char *id, const struct csaf_product *p)
{
	return visit(ctx, CSAF_FIXED, id, p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csaf_doc *d = NULL;
	struct vg_error err = {0};
	size_t n = 0;

	if (size > (1u << 20))
		return 0;
	if (csaf_parse((const char *)data, size, "fuzz", &d, &err) != VG_OK) {
		if (!err.msg[0] || d)
			abort();
		return 0;
	}
	for (size_t i = 0; i < d->n_vulns; i++) {
		const struct csaf_vuln *v = &d->vulns[i];
		csaf_vuln_foreach(d, v, CSAF_MASK_ALL, visit, &n);
		for (size_t k = 0; k < v->n_remediations; k++)
			csaf_ids_foreach(d, &v->remediations[k].ids, visit_id, &n);
		for (size_t k = 0; k < v->n_threats; k++)
			csaf_ids_foreach(d, &v->threats[k].ids, visit_id, &n);
		for (size_t k = 0; k < v->n_flags; k++)
			csaf_ids_foreach(d, &v->flags[k].ids, visit_id, &n);
	}
	for (size_t i = 0; i < d->n_products; i++)
		if (csaf_product_find(d, d->products[i]->product_id) == NULL)
			abort();
	csaf_doc_free(d);
	return 0;
}
