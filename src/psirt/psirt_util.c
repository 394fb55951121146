/*
 * psirt_util.c - helpers shared by the case and Article 14 files.
 */
#define _POSIX_C_SOURCE 200809L
#include "psirt/psirt_int.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "store/store.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int psirt_member_states(const char *in, char *out, size_t outsz, struct vg_error *err)
{
	static const char *const eu[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
					 "DE", "EL", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
					 "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", NULL};
	size_t o = 0;
	const char *p = in ? in : "";

	if (outsz)
		out[0] = '\0';
	while (*p) {
		char code[8];
		size_t n = 0;
		int known = 0;

		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		while (*p && *p != ',' && *p != ' ' && n < sizeof(code) - 1)
			code[n++] = (char)toupper((unsigned char)*p++);
		code[n] = '\0';
		while (*p && *p != ',' && *p != ' ')
			p++, n++;
		for (int i = 0; eu[i]; i++)
			if (n == 2 && strcmp(code, eu[i]) == 0)
				known = 1;
		if (!known)
			return vg_error_set(err, VG_EINVAL,
					    "member states: '%s' is not an EU Member State code "
					    "(expected ISO 3166-1 alpha-2 such as DE, FR, EL)",
					    code);
		if (strstr(out, code))
			continue;
		if (o + 3 >= outsz)
			return vg_error_set(err, VG_ETOOBIG, "member states: list too long");
		o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? "," : "", code);
	}
	return VG_OK;
}

int psirt_approvals_needed(void)
{
	return vg_config_int("art14.four_eyes", 0) ? 2 : 1;
}

int psirt_has_value(const json_t *v)
{
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return 1;
}

char *psirt_col_dup(struct store_stmt *st, int i, int *oom)
{
	const char *v = store_col_isnull(st, i) ? NULL : store_col_text(st, i);
	char *d;
	if (!v)
		return NULL;
	d = strdup(v);
	if (!d)
		*oom = 1;
	return d;
}

int psirt_query(struct store *s, const char *sql, const char *types, int64_t a, const char *t,
		int (*row)(struct store_stmt *st, void *arg), void *arg, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare(s, sql, &st, err);

	if (rc)
		return rc;
	for (int i = 0; types && types[i]; i++) {
		if (types[i] == 'i')
			store_bind_int64(st, i + 1, a);
		else
			store_bind_text(st, i + 1, t);
	}
	while ((rc = store_step(st, err)) == STORE_ROW)
		if ((rc = row(st, arg)) != VG_OK) {
			rc = vg_error_set(err, rc, "out of memory");
			break;
		}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}
