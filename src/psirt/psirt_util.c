/*
 * psirt_util.c - helpers shared by the case and Article 14 files.
 */
#define _POSIX_C_SOURCE 200809L
#include "psirt/psirt_int.h"
#include "auth/auth.h"
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
	return 1;
}

int psirt_people(struct store *s, char ***names, size_t *n, struct vg_error *err)
{
	struct auth_user_list l;
	char **v = NULL;
	size_t k = 0;
	int rc = auth_user_list(s, &l, err);

	*names = NULL;
	*n = 0;
	if (rc)
		return rc;
	if (l.n && !(v = calloc(l.n, sizeof(*v))))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < l.n; i++) {
		const struct auth_user *u = &l.items[i];
		if (u->disabled || !u->role ||
		    (strcmp(u->role, "psirt") != 0 && strcmp(u->role, "admin") != 0))
			continue;
		if (!(v[k++] = strdup(u->name)))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	auth_user_list_release(&l);
	if (rc) {
		psirt_people_free(v, k);
		return rc;
	}
	*names = v;
	*n = k;
	return VG_OK;
}

void psirt_people_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int psirt_person_may_act(struct store *s, const char *who, struct vg_error *err)
{
	char **v = NULL;
	size_t n = 0;
	int found = 0, rc = psirt_people(s, &v, &n, err);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		found |= who && strcmp(v[i], who) == 0;
	psirt_people_free(v, n);
	if (!found)
		return vg_error_set(err, VG_EINVAL,
				    "assignee '%s': no enabled user with the role psirt or admin "
				    "has that name (vigil user list)",
				    who ? who : "");
	return VG_OK;
}

int psirt_four_eyes(struct store *s, int *on, struct vg_error *err)
{
	const char *mode = vg_config_get("art14.four_eyes", "auto");
	char **v = NULL;
	size_t n = 0;
	int rc;

	*on = 0;
	if (!strcmp(mode, "always") || !strcmp(mode, "on") || !strcmp(mode, "1")) {
		*on = 1;
		return VG_OK;
	}
	if (!strcmp(mode, "off") || !strcmp(mode, "0"))
		return VG_OK;
	if (strcmp(mode, "auto") != 0)
		return vg_error_set(err, VG_EINVAL,
				    "setting art14.four_eyes '%s': expected auto, always or off",
				    mode);
	rc = psirt_people(s, &v, &n, err);
	psirt_people_free(v, n);
	if (!rc)
		*on = n >= 2;
	return rc;
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

/* The next word of *p (separated by commas, spaces or line breaks) into
 * out; 0 at the end. */
static int next_word(const char **p, char *out, size_t n, int *toolong)
{
	size_t k = 0;
	while (**p && strchr(", \t\r\n", **p))
		(*p)++;
	if (!**p)
		return 0;
	while (**p && !strchr(", \t\r\n", **p)) {
		if (k + 1 < n)
			out[k++] = **p;
		else
			*toolong = 1;
		(*p)++;
	}
	out[k] = '\0';
	return 1;
}

int psirt_words(const char *in, const char *what, size_t max, char ***out, size_t *n,
		struct vg_error *err)
{
	const char *p = in ? in : "";
	char w[256], **v = NULL;
	size_t k = 0;
	int toolong = 0, rc = VG_OK;

	*out = NULL;
	*n = 0;
	while (!rc && next_word(&p, w, sizeof(w), &toolong)) {
		char **nv;
		if (toolong)
			rc = vg_error_set(err, VG_EINVAL, "%s: an entry is longer than %zu bytes",
					  what, sizeof(w) - 1);
		else if (k >= max)
			rc = vg_error_set(err, VG_EINVAL, "%s: at most %zu entries", what, max);
		else if (!(nv = realloc(v, (k + 1) * sizeof(*nv))) || !(nv[k] = strdup(w))) {
			if (nv)
				v = nv;
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		} else {
			v = nv;
			k++;
		}
	}
	if (rc) {
		psirt_people_free(v, k);
		return rc;
	}
	*out = v;
	*n = k;
	return VG_OK;
}

int psirt_ids(const char *in, const char *what, size_t max, int64_t **out, size_t *n,
	      struct vg_error *err)
{
	char **w = NULL;
	size_t k = 0;
	int64_t *v = NULL;
	int rc = psirt_words(in, what, max, &w, &k, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	if (k && !(v = calloc(k, sizeof(*v))))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < k; i++) {
		const char *x = w[i];
		char *end = NULL;
		long long id;
		if (x[0] == '#')
			x++;
		id = strtoll(x, &end, 10);
		if (!*x || !end || *end || id <= 0)
			rc = vg_error_set(err, VG_EINVAL,
					  "%s: '%s' is not a finding id (a positive number)", what,
					  w[i]);
		else
			v[i] = id;
	}
	psirt_people_free(w, k);
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	*n = k;
	return VG_OK;
}
