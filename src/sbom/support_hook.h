/*
 * support_hook.h - a product's support period and the retention end of its
 * technical file, asked of the provider the programme room registers
 * (programme_init()), so the product pages show it and SBOM retention
 * derives from it without the sbom room including programme. Without a
 * provider, or for a product without a support period there, nothing is
 * set and the sbom room keeps its own rule (inventory.c).
 */
#ifndef VIGIL_SBOM_SUPPORT_HOOK_H
#define VIGIL_SBOM_SUPPORT_HOOK_H

#include "core/error.h"

#include <stdint.h>

struct store;
struct vg_buf;

struct sbom_support {
	int set;               /* 1: the product has a support period */
	int derived;           /* 1: its dates are the product's own fields (support_until,
				  placed_on_market), not set in the programme record */
	int64_t retention_end; /* the technical file is kept until (Art. 13(13)) */
	char placed[16];       /* placed on the market: YYYY-MM or YYYY-MM-DD */
	char support_end[16];  /* end of the support period: YYYY-MM or YYYY-MM-DD */
	int64_t updates_until; /* the last security update stays available until (13(9)) */
};
typedef int (*sbom_support_fn)(struct store *s, int64_t product_id, struct sbom_support *out,
			       struct vg_error *err);
void sbom_set_support_provider(sbom_support_fn fn);
/* The support period of product_id into *out (zeroed first; set = 0
 * without a provider or a period). */
int sbom_product_support(struct store *s, int64_t product_id, struct sbom_support *out,
			 struct vg_error *err) VG_MUST_CHECK;
/* The retention end of an SBOM of product_id: the provider's when set,
 * else fallback (today's rule of inventory.c). A provider's failure is
 * logged and gives fallback: retention never ends earlier by an error. */
int64_t sbom_retention_end(struct store *s, int64_t product_id, int64_t fallback);
/* A product page's section "Support period" (HTML) for product_id, or a
 * line saying none is set and how to set it. */
int sbom_support_html(struct vg_buf *b, struct store *s, int64_t product_id);

#endif
