/*
 * principal.c - role names, and the product scope of a principal.
 */
#include "core/principal.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static const struct {
	const char *name;
	int role;
} roles[] = {
    {"admin", ROLE_ADMIN}, {"psirt", ROLE_PSIRT},   {"auditor", ROLE_AUDITOR},
    {"ci", ROLE_CI},       {"device", ROLE_DEVICE}, {"ingest", ROLE_INGEST},
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

int vg_glob_match(const char *pat, const char *name)
{
	const char *star = NULL, *resume = NULL;
	while (*name) {
		if (*pat == '*') {
			star = pat++;
			resume = name;
		} else if (*pat == '?' || (*pat && *pat == *name)) {
			pat++;
			name++;
		} else if (star) {
			pat = star + 1;
			name = ++resume;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

int vg_principal_may_product(const struct vg_principal *who, const char *product)
{
	const char *p;
	if (!who || !product)
		return 0;
	if (!who->products[0])
		return 1;
	p = who->products;
	while (*p) {
		char pat[VG_SCOPE_MAX];
		size_t n = strcspn(p, ",");
		if (n < sizeof(pat)) {
			memcpy(pat, p, n);
			pat[n] = '\0';
			if (vg_glob_match(pat, product))
				return 1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int vg_scope_canon(const char *scope, char *out, size_t outsz)
{
	size_t o = 0, count = 0;
	const char *p = scope;
	if (!out || outsz < 2)
		return -1;
	out[0] = '\0';
	if (!scope || !*scope) {
		snprintf(out, outsz,
			 "no product given (expected names or patterns such as "
			 "P,Q or acme-*; '*' for every product)");
		return -1;
	}
	for (;;) {
		size_t n;
		while (*p == ' ')
			p++;
		n = strcspn(p, ",");
		while (n && p[n - 1] == ' ')
			n--;
		if (n == 0 || n > 200) {
			snprintf(out, outsz,
				 "product pattern %zu: expected 1 to 200 characters between commas",
				 count + 1);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
				snprintf(out, outsz,
					 "product pattern '%.*s': '/', '\\' and control characters "
					 "are not allowed",
					 (int)n, p);
				return -1;
			}
		}
		if (o + n + 2 > outsz) {
			snprintf(out, outsz, "product scope longer than %zu characters", outsz - 1);
			return -1;
		}
		if (o)
			out[o++] = ',';
		memcpy(out + o, p, n);
		o += n;
		out[o] = '\0';
		count++;
		p += strcspn(p, ",");
		if (*p != ',')
			break;
		p++;
	}
	return 0;
}
