/*
 * rows.c - query rows as JSON objects: the one place rows become JSON.
 * store_rows() takes an explicit kind per column (so a product version "2"
 * stays a string); store_query_json() is the same with every column of the
 * kind 'a' (guessed from its name and value). For edge code that lists rows
 * of a room's own tables as they are (API, CLI --json).
 */
#define _POSIX_C_SOURCE 200809L
#include "store/store_int.h"
#include "core/clock.h"
#include "core/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int is_integer_text(const char *t)
{
	if (*t == '-')
		t++;
	if (!*t)
		return 0;
	for (; *t; t++)
		if (*t < '0' || *t > '9')
			return 0;
	return 1;
}

/* Kind 'a': "_at" columns holding integers are times (RFC 3339, the epoch
 * included), "_json" columns are parsed (kept as text when they do not
 * parse) and lose the suffix, integer-looking text without a leading zero
 * is an integer, the rest text. */
static json_t *column_auto(struct store_stmt *st, int i, char *key)
{
	const char *txt = store_col_text(st, i);
	char *end;
	long long iv;

	if (!txt) {
		if (ends_with(key, "_json"))
			key[strlen(key) - 5] = '\0';
		return json_null();
	}
	if (ends_with(key, "_at") && is_integer_text(txt)) {
		char ts[VG_TIME_BUFSZ];
		return json_string(vg_time_format(store_col_int64(st, i), ts, sizeof(ts)));
	}
	if (ends_with(key, "_json")) {
		json_t *v = json_loads(txt, JSON_DECODE_ANY, NULL);
		key[strlen(key) - 5] = '\0';
		return v ? v : json_string(txt);
	}
	iv = strtoll(txt, &end, 10);
	if (*txt && *end == '\0' && (isdigit((unsigned char)txt[0]) || (txt[0] == '-' && txt[1])) &&
	    !(txt[0] == '0' && txt[1]))
		return json_integer(iv);
	return json_string(txt);
}

static json_t *column(struct store_stmt *st, int i, char kind, char *key, size_t keysz)
{
	const char *name = store_col_name(st, i);
	size_t n = strlen(name);

	snprintf(key, keysz, "%s", name);
	if (kind == 'a')
		return column_auto(st, i, key);
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

/* cols NULL: every column of kind 'a'; otherwise columns past cols are 't'. */
static int rows_va(struct store *s, json_t **out, struct vg_error *err, const char *cols,
		   const char *sql, const char *types, va_list ap)
{
	struct store_stmt *st = NULL;
	size_t ncols = cols ? strlen(cols) : 0;
	json_t *arr;
	int rc;

	*out = NULL;
	rc = store_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	rc = store_bind_va(st, types, ap);
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
			char kind = !cols ? 'a' : (size_t)i < ncols ? cols[i] : 't';
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

int store_query_json(struct store *s, json_t **out, struct vg_error *err, const char *sql,
		     const char *types, ...)
{
	va_list ap;
	int rc;
	va_start(ap, types);
	rc = rows_va(s, out, err, NULL, sql, types, ap);
	va_end(ap);
	return rc;
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
