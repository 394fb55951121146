/*
 * delta.c - the delta store's lookup for the check-in (delta.h).
 *
 * Deltas are not made yet (issue 20): no release has one, so every
 * lookup answers "none" and the check-in offers the full image.
 */
#include "update/delta.h"

#include <string.h>

#include "core/banned.h"

int delta_offer_find(struct store *s, int64_t release_id, const char *full_target,
		     const char *from_version, struct delta_offer *out, int *found,
		     struct vg_error *err)
{
	(void)s;
	(void)release_id;
	(void)full_target;
	(void)from_version;
	(void)err;
	memset(out, 0, sizeof(*out));
	*found = 0;
	return VG_OK;
}
