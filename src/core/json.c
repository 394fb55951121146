#include "core/json.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/clock.h"
#include "core/text.h"

#include <string.h>

#include "core/banned.h"

static int depth_ok(const char *p, size_t n, size_t *where)
{
	/* A cheap scan ahead of the parser: count bracket depth outside strings. */
	int depth = 0, instr = 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = 0;
			continue;
		}
		if (c == '"')
			instr = 1;
		else if (c == '[' || c == '{') {
			if (++depth > VG_JSON_MAX_DEPTH) {
				*where = i;
				return 0;
			}
		} else if (c == ']' || c == '}')
			depth--;
	}
	return 1;
}

json_t *vg_json_parse(const char *data, size_t n, const char *what, struct vg_error *err)
{
	json_error_t je;
	json_t *v;
	size_t where = 0;

	if (!depth_ok(data, n, &where)) {
		vg_error_set(err, VG_EPARSE, "%s: byte %zu: nesting deeper than %d levels", what,
			     where, VG_JSON_MAX_DEPTH);
		return NULL;
	}
	v = json_loadb(data, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &je);
	if (!v)
		vg_error_set(err, VG_EPARSE, "%s: byte %d, line %d, column %d: %s", what,
			     je.position, je.line, je.column, je.text);
	return v;
}

char *vg_json_canonical(const json_t *v)
{
	return json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
	return vg_buf_add(data, buffer, size) ? -1 : 0;
}

int vg_json_append(struct vg_buf *b, const json_t *v)
{
	if (json_dump_callback(v, dump_cb, b, JSON_COMPACT | JSON_ENCODE_ANY) != 0)
		return VG_ENOMEM;
	return VG_OK;
}

int vg_json_append_str(struct vg_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run = s;
	size_t n = strlen(s);
	int rc = vg_buf_add(b, "\"", 1);
	for (size_t i = 0; !rc && i < n;) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		size_t el = 2;
		if (c >= 0x80) {
			uint32_t cp;
			size_t l = vg_utf8_decode(s + i, n - i, &cp);
			if (!l)
				return VG_EINVAL;
			i += l;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		esc[0] = '\\';
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			el = 6;
		}
		rc = vg_buf_add(b, run, (size_t)(s + i - run));
		if (!rc)
			rc = vg_buf_add(b, esc, el);
		run = s + ++i;
	}
	if (!rc)
		rc = vg_buf_add(b, run, (size_t)(s + n - run));
	if (!rc)
		rc = vg_buf_add(b, "\"", 1);
	return rc;
}

const char *vg_json_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

long long vg_json_int(const json_t *obj, const char *key, long long dflt)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v))
		return dflt;
	return json_integer_value(v);
}

int vg_json_set_str(json_t *obj, const char *key, const char *s)
{
	return json_object_set_new(obj, key, s ? json_string(s) : json_null()) ? VG_ENOMEM : VG_OK;
}

json_t *vg_json_text(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *vg_json_time(int64_t t)
{
	char ts[VG_TIME_BUFSZ];
	if (!t)
		return json_null();
	return json_string(vg_time_format(t, ts, sizeof(ts)));
}
