/*
 * rows.c - query rows as JSON objects with explicit column kinds (so a
 * product version "2" stays a string). For edge code that lists rows of a
 * room's own tables as they are (API, CLI --json).
 */
#define _POSIX_C_SOURCE 200809L
#include "store/store.h"
#include "core/error.h"

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
		return vg_json_time(store_col_int64(st, i));
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

int store_rows(struct store *s, json_t **out, struct vg_error *err, const char *cols,
	       const char *sql, const char *types, ...)
{
	va_list ap;
	int rc;
	va_start(ap, types);
	rc = rows_va(s, out, err, cols, sql, types, ap);
	va_end(ap);
	return rc;
}

int store_row(struct store *s, json_t **out, struct vg_error *err, const char *what, int64_t id,
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
