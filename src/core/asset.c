#include "core/asset.h"

#include <string.h>

#include "core/banned.h"

const struct vg_asset *vg_asset_find(const struct vg_asset *tab, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(tab[i].path, path) == 0)
			return &tab[i];
	return NULL;
}
