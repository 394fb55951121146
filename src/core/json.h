/*
 * json.h - the one place vigil includes its JSON library (jansson today).
 *
 * Code uses jansson's json_t API through this header only, so the library can
 * be swapped by measurement. Helpers here add what jansson lacks: parsing with
 * an error that names the source and byte offset, bounded depth, and the
 * canonical encoding used for hashes and signatures.
 */
#ifndef VIGIL_CORE_JSON_H
#define VIGIL_CORE_JSON_H

#include <jansson.h>
#include <stdint.h>
#include <stddef.h>

struct vg_error;
struct vg_buf;

#define VG_JSON_MAX_DEPTH 256

/*
 * Parse n bytes of JSON. On failure returns NULL and err says
 * "<what>: byte <offset>, line <l>: <reason>". what names the input (a file
 * name, "request body"). Documents nested deeper than VG_JSON_MAX_DEPTH are
 * refused. Returned reference is owned by the caller (json_decref).
 */
json_t *vg_json_parse(const char *data, size_t n, const char *what, struct vg_error *err);

/*
 * Canonical encoding: UTF-8, object keys sorted, no insignificant white
 * space, integers as integers. Returns a malloc'ed string or NULL.
 */
char *vg_json_canonical(const json_t *v);

/* Compact encoding appended to b (keys in insertion order). */
int vg_json_append(struct vg_buf *b, const json_t *v);

/*
 * The string s as a JSON string (quotes included) appended to b, encoded
 * exactly as vg_json_canonical() encodes a string: \" \\ \b \f \n \r \t,
 * the other bytes below 0x20 as \u00XX (upper-case hex), everything else
 * as is. For writers of canonical text that build no tree. VG_OK,
 * VG_EINVAL when s is not valid UTF-8 (the tree would refuse it too), or
 * the buffer's VG_ENOMEM / VG_ETOOBIG.
 */
int vg_json_append_str(struct vg_buf *b, const char *s);

/* Convenience getters: NULL / default when missing or of another type. */
const char *vg_json_str(const json_t *obj, const char *key);
long long vg_json_int(const json_t *obj, const char *key, long long dflt);

/* A string as JSON, or null for NULL. */
json_t *vg_json_text(const char *s);

/* A time as JSON: an RFC 3339 string, or null for 0. */
json_t *vg_json_time(int64_t t);

/* Set key to a string, or to JSON null when s is NULL. */
int vg_json_set_str(json_t *obj, const char *key, const char *s);

#endif
