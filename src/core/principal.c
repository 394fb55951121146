/*
 * principal.c - role names.
 */
#include "core/principal.h"

#include <string.h>

#include "core/banned.h"

static const struct {
	const char *name;
	int role;
} roles[] = {
    {"admin", ROLE_ADMIN}, {"psirt", ROLE_PSIRT},   {"auditor", ROLE_AUDITOR},
    {"ci", ROLE_CI},       {"device", ROLE_DEVICE},
};

int vg_role_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	return ROLE_NONE;
}

const char *vg_role_name(int role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == role)
			return roles[i].name;
	return "none";
}
