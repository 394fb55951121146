/*
 * feed_json.c - typed member access with JSON-pointer error messages for
 * the advisory parsers (nvd.c, csaf.c).
 */
#include "vuln/feed_json.h"
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

void feed_ctx_init(struct feed_ctx *c, const char *file, struct vg_arena *a, struct vg_error *err)
{
	c->file = file ? file : "(input)";
	c->err = err;
	c->arena = a;
	c->ptr[0] = '\0';
	c->len = 0;
	c->truncated = 0;
}

static void put(struct feed_ctx *c, char ch)
{
	if (c->len + 1 < sizeof(c->ptr)) {
		c->ptr[c->len++] = ch;
		c->ptr[c->len] = '\0';
	} else {
		c->truncated = 1;
	}
}

size_t feed_ptr_key(struct feed_ctx *c, const char *key)
{
	size_t old = c->len;
	put(c, '/');
	for (const char *p = key; *p; p++) {
		if (*p == '~') {
			put(c, '~');
			put(c, '0');
		} else if (*p == '/') {
			put(c, '~');
			put(c, '1');
		} else {
			put(c, *p);
		}
	}
	return old;
}

size_t feed_ptr_idx(struct feed_ctx *c, size_t i)
{
	char num[32];
	size_t old = c->len;
	snprintf(num, sizeof(num), "/%zu", i);
	for (const char *p = num; *p; p++)
		put(c, *p);
	return old;
}

void feed_ptr_pop(struct feed_ctx *c, size_t len)
{
	if (len < sizeof(c->ptr)) {
		c->len = len;
		c->ptr[len] = '\0';
	}
	if (len + 1 < sizeof(c->ptr))
		c->truncated = 0;
}

const char *feed_ptr(const struct feed_ctx *c)
{
	return c->len ? c->ptr : "(root)";
}

int feed_fail(struct feed_ctx *c, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vg_error_set(c->err, VG_EPARSE, "%s: %s%s: %s", c->file, feed_ptr(c),
			    c->truncated ? "..." : "", msg);
}

int feed_oom(struct feed_ctx *c)
{
	if (c->arena && c->arena->too_big)
		return vg_error_set(c->err, VG_ETOOBIG,
				    "%s: %s: the parsed form would exceed %zu bytes", c->file,
				    feed_ptr(c), c->arena->max);
	return vg_error_set(c->err, VG_ENOMEM, "%s: out of memory", c->file);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* Member key of obj, NULL when absent or null; required absence is an error. */
static int member(struct feed_ctx *c, const json_t *obj, const char *key, int required,
		  const json_t **out)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return feed_fail(c, "required member \"%s\" is missing", key);
		return VG_OK;
	}
	*out = v;
	return VG_OK;
}

int feed_str_value(struct feed_ctx *c, const json_t *v, const char **out)
{
	const char *s;
	size_t n;
	char *p;

	*out = NULL;
	if (!json_is_string(v))
		return feed_fail(c, "expected a string, found %s", type_name(v));
	s = json_string_value(v);
	n = json_string_length(v);
	if (strlen(s) != n)
		return feed_fail(c, "string contains a NUL byte");
	if (n > FEED_MAX_STR)
		return feed_fail(c, "string longer than %u bytes", FEED_MAX_STR);
	p = vg_arena_alloc(c->arena, n + 1);
	if (!p)
		return feed_oom(c);
	memcpy(p, s, n + 1);
	*out = p;
	return VG_OK;
}

int feed_str(struct feed_ctx *c, const json_t *obj, const char *key, int required, const char **out)
{
	const json_t *v;
	size_t old;
	int rc;

	*out = NULL;
	if ((rc = member(c, obj, key, required, &v)) != VG_OK || !v)
		return rc;
	old = feed_ptr_key(c, key);
	rc = feed_str_value(c, v, out);
	feed_ptr_pop(c, old);
	return rc;
}

int feed_bool(struct feed_ctx *c, const json_t *obj, const char *key, int dflt, int *out)
{
	const json_t *v;
	size_t old;
	int rc;

	*out = dflt;
	if ((rc = member(c, obj, key, 0, &v)) != VG_OK || !v)
		return rc;
	if (!json_is_boolean(v)) {
		old = feed_ptr_key(c, key);
		rc = feed_fail(c, "expected a boolean, found %s", type_name(v));
		feed_ptr_pop(c, old);
		return rc;
	}
	*out = json_is_true(v);
	return VG_OK;
}

int feed_num(struct feed_ctx *c, const json_t *obj, const char *key, int required, double *out,
	     int *present)
{
	const json_t *v;
	size_t old;
	int rc;

	*out = 0;
	if (present)
		*present = 0;
	if ((rc = member(c, obj, key, required, &v)) != VG_OK || !v)
		return rc;
	if (!json_is_number(v)) {
		old = feed_ptr_key(c, key);
		rc = feed_fail(c, "expected a number, found %s", type_name(v));
		feed_ptr_pop(c, old);
		return rc;
	}
	*out = json_number_value(v);
	if (present)
		*present = 1;
	return VG_OK;
}

int feed_object(struct feed_ctx *c, const json_t *obj, const char *key, int required,
		const json_t **out)
{
	const json_t *v;
	size_t old;
	int rc;

	*out = NULL;
	if ((rc = member(c, obj, key, required, &v)) != VG_OK || !v)
		return rc;
	if (!json_is_object(v)) {
		old = feed_ptr_key(c, key);
		rc = feed_fail(c, "expected an object, found %s", type_name(v));
		feed_ptr_pop(c, old);
		return rc;
	}
	*out = v;
	return VG_OK;
}

int feed_array(struct feed_ctx *c, const json_t *obj, const char *key, int required, size_t max,
	       const json_t **out)
{
	const json_t *v;
	size_t old;
	int rc = VG_OK;

	*out = NULL;
	if ((rc = member(c, obj, key, required, &v)) != VG_OK || !v)
		return rc;
	old = feed_ptr_key(c, key);
	if (!json_is_array(v))
		rc = feed_fail(c, "expected an array, found %s", type_name(v));
	else if (json_array_size(v) > max)
		rc = feed_fail(c, "more than %zu entries", max);
	feed_ptr_pop(c, old);
	if (rc == VG_OK)
		*out = v;
	return rc;
}

int feed_str_list(struct feed_ctx *c, const json_t *obj, const char *key, int required, size_t max,
		  const char ***out, size_t *n)
{
	const json_t *arr;
	const char **list;
	size_t old, i, k;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = feed_array(c, obj, key, required, max, &arr)) != VG_OK || !arr)
		return rc;
	list = vg_arena_array(c->arena, json_array_size(arr), sizeof(*list));
	if (!list)
		return feed_oom(c);
	old = feed_ptr_key(c, key);
	for (i = 0; i < json_array_size(arr); i++) {
		k = feed_ptr_idx(c, i);
		rc = feed_str_value(c, json_array_get(arr, i), &list[i]);
		feed_ptr_pop(c, k);
		if (rc != VG_OK)
			break;
	}
	feed_ptr_pop(c, old);
	if (rc != VG_OK)
		return rc;
	*out = list;
	*n = json_array_size(arr);
	return VG_OK;
}
