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

static int bind_va(struct store_stmt *st, const char *types, va_list ap)
{
	int i = 1;
	for (const char *t = types ? types : ""; *t; t++, i++) {
		int rc;
		if (*t == 't')
			rc = store_bind_text(st, i, va_arg(ap, const char *));
		else if (*t == 'i')
			rc = store_bind_int64(st, i, va_arg(ap, int64_t));
		else
			rc = VG_EINTERNAL;
		if (rc)
			return rc;
	}
	return VG_OK;
}

static json_t *column(struct store_stmt *st, int i, char kind, char *key, size_t keysz)
{
	const char *name = store_col_name(st, i);
	size_t n = strlen(name);

	snprintf(key, keysz, "%s", name);
	if (kind == 'j' && n > 5 && strcmp(name + n - 5, "_json") == 0)
		key[n - 5] = '\0';
	if (store_col_isnull(st, i))
		return json_null();
	switch (kind) {
	case 'i':
		return json_integer(store_col_int64(st, i));
	case 'b':
		return json_boolean(store_col_int64(st, i) != 0);
	case 'T':
		return psirt_time_json(store_col_int64(st, i));
	case 'j': {
		json_t *v = json_loads(store_col_text(st, i), JSON_DECODE_ANY, NULL);
		return v ? v : json_null();
	}
	default:
		return json_string(store_col_text(st, i));
	}
}

static int rows_va(struct store *s, json_t **out, struct vg_error *err, const char *cols,
		   const char *sql, const char *types, va_list ap)
{
	struct store_stmt *st = NULL;
	json_t *arr;
	int rc;

	*out = NULL;
	rc = store_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	rc = bind_va(st, types, ap);
	if (rc) {
		store_finalize(st);
		return vg_error_set(err, rc, "cannot bind query parameters");
	}
	arr = json_array();
	while ((rc = store_step(st, err)) == STORE_ROW) {
		json_t *row = json_object();
		int ncol = store_col_count(st);
		for (int i = 0; i < ncol; i++) {
			char key[128];
			char kind = i < (int)strlen(cols) ? cols[i] : 't';
			json_t *v = column(st, i, kind, key, sizeof(key));
			json_object_set_new(row, key, v);
		}
		json_array_append_new(arr, row);
	}
	store_finalize(st);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return VG_OK;
}

int psirt_rows(struct store *s, json_t **out, struct vg_error *err, const char *cols,
	       const char *sql, const char *types, ...)
{
	va_list ap;
	int rc;
	va_start(ap, types);
	rc = rows_va(s, out, err, cols, sql, types, ap);
	va_end(ap);
	return rc;
}

int psirt_row(struct store *s, json_t **out, struct vg_error *err, const char *what, int64_t id,
	      const char *cols, const char *sql, const char *types, ...)
{
	json_t *arr = NULL;
	va_list ap;
	int rc;

	*out = NULL;
	va_start(ap, types);
	rc = rows_va(s, &arr, err, cols, sql, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return vg_error_set(err, VG_ENOTFOUND, "no %s with id %lld", what, (long long)id);
	}
	*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return VG_OK;
}

int64_t psirt_int(const json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

json_t *psirt_time_json(int64_t t)
{
	char ts[VG_TIME_BUFSZ];
	if (!t)
		return json_null();
	return json_string(vg_time_format(t, ts, sizeof(ts)));
}

/* Length of the UTF-8 sequence at p (at most n bytes), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

int psirt_text_check(const char *what, const char *v, size_t max, int multiline, int required,
		     struct vg_error *err)
{
	size_t n = v ? strlen(v) : 0;
	const unsigned char *p = (const unsigned char *)v;

	if (!n)
		return required ? vg_error_set(err, VG_EINVAL, "%s: required, expected text", what)
				: VG_OK;
	if (n > max)
		return vg_error_set(err, VG_ETOOBIG, "%s: %zu bytes, at most %zu allowed", what, n,
				    max);
	for (size_t i = 0; i < n;) {
		size_t l = utf8_len(p + i, n - i);
		if (!l)
			return vg_error_set(err, VG_EINVAL, "%s: byte %zu: expected UTF-8 text",
					    what, i);
		if (l == 1 && (p[i] < 0x20 || p[i] == 0x7f) &&
		    !(multiline && (p[i] == '\n' || p[i] == '\r' || p[i] == '\t')) &&
		    !(!multiline && p[i] == '\t'))
			return vg_error_set(err, VG_EINVAL,
					    "%s: byte %zu: control character 0x%02x not allowed",
					    what, i, p[i]);
		i += l;
	}
	return VG_OK;
}

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

int psirt_id_parse(const char *s, const char *what, int64_t *id, struct vg_error *err)
{
	char *end;
	long long v;

	if (!s || !isdigit((unsigned char)s[0]))
		return vg_error_set(err, VG_EINVAL, "%s '%s': expected a number", what, s ? s : "");
	v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return vg_error_set(err, VG_EINVAL, "%s '%s': expected a positive number", what, s);
	*id = v;
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
