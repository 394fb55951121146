/*
 * fleet_hook.c - how many devices run a product version, asked of the
 * provider the update room registers (product.h, sbom_version_fleet()).
 */
#include "sbom/product.h"
#include "core/buf.h"

#include <string.h>

#include "core/banned.h"

static sbom_fleet_fn fleet_provider;

void sbom_set_fleet_provider(sbom_fleet_fn fn)
{
	fleet_provider = fn;
}

int sbom_version_fleet(struct store *s, int64_t version_id, struct sbom_fleet *out,
		       struct vg_error *err)
{
	memset(out, 0, sizeof(*out));
	return fleet_provider ? fleet_provider(s, version_id, out, err) : VG_OK;
}

int sbom_version_fleet_by_name(struct store *s, const char *product, const char *version,
			       struct sbom_fleet *out, struct vg_error *err)
{
	struct product_version pv = {0};
	struct vg_error miss = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	if (!fleet_provider || !product || !version)
		return VG_OK;
	rc = product_version_get(s, product, version, &pv, &miss);
	if (rc) {
		product_version_release(&pv);
		if (rc == VG_ENOTFOUND)
			return VG_OK;
		if (err)
			*err = miss;
		return rc;
	}
	rc = fleet_provider(s, pv.id, out, err);
	product_version_release(&pv);
	return rc;
}

int sbom_fleet_text(struct vg_buf *b, const struct sbom_fleet *f)
{
	int rc = vg_buf_addf(b, "%lld device%s", (long long)f->devices, f->devices == 1 ? "" : "s");
	/* channels are worth naming only when some device has one */
	if (f->n_channels == 1 && !f->channels[0].channel[0])
		return rc;
	for (size_t i = 0; !rc && i < f->n_channels; i++)
		rc = vg_buf_addf(b, "%s%s %lld", i ? ", " : " (",
				 f->channels[i].channel[0] ? f->channels[i].channel : "no channel",
				 (long long)f->channels[i].devices);
	if (!rc && f->n_channels)
		rc = vg_buf_adds(b, ")");
	return rc;
}
