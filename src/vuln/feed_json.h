/*
 * feed_json.h - reading an advisory's JSON tree into arena-backed structs,
 * with every error naming the file and the JSON pointer (RFC 6901) of the
 * member that is wrong.
 *
 * Rules:
 *  - A struct feed_ctx carries the file name, the error object, the arena
 *    the copies go to and the pointer of the member being read. Push a key
 *    or an index before descending (feed_ptr_key/feed_ptr_idx return the
 *    length to pop back to) and pop when done.
 *  - Getters take the parent object and a member name. A missing member is
 *    NULL/absent unless required; JSON null counts as missing. A member of
 *    the wrong type is an error ("<file>: <pointer>: expected a string").
 *  - Strings are copied into the arena; strings holding a NUL byte or longer
 *    than FEED_MAX_STR are refused, arrays longer than the caller's max too.
 */
#ifndef VIGIL_VULN_FEED_JSON_H
#define VIGIL_VULN_FEED_JSON_H

#include "core/json.h"
#include "core/arena.h"

#include <stddef.h>

struct vg_error;

#define FEED_PTR_MAX 512
#define FEED_MAX_STR (1u << 20)

struct feed_ctx {
	const char *file;
	struct vg_error *err;
	struct vg_arena *arena;
	char ptr[FEED_PTR_MAX];
	size_t len;
	int truncated; /* pointer longer than FEED_PTR_MAX: shown with "..." */
};

void feed_ctx_init(struct feed_ctx *c, const char *file, struct vg_arena *a, struct vg_error *err);

size_t feed_ptr_key(struct feed_ctx *c, const char *key);
size_t feed_ptr_idx(struct feed_ctx *c, size_t i);
void feed_ptr_pop(struct feed_ctx *c, size_t len);

/* The current pointer ("" for the root) as text for messages. */
const char *feed_ptr(const struct feed_ctx *c);

/* VG_EPARSE with "<file>: <pointer>: <message>"; returns VG_EPARSE. */
int feed_fail(struct feed_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* VG_ETOOBIG or VG_ENOMEM after a failed arena allocation, message set. */
int feed_oom(struct feed_ctx *c);

/* String member key of obj copied into the arena; *out NULL when absent. */
int feed_str(struct feed_ctx *c, const json_t *obj, const char *key, int required,
	     const char **out);

/* The string v itself (at the current pointer). */
int feed_str_value(struct feed_ctx *c, const json_t *v, const char **out);

/* Boolean member; dflt when absent. */
int feed_bool(struct feed_ctx *c, const json_t *obj, const char *key, int dflt, int *out);

/* Number member (integer or real); *present 0 when absent. */
int feed_num(struct feed_ctx *c, const json_t *obj, const char *key, int required, double *out,
	     int *present);

/* Object / array member (borrowed reference into the tree); NULL when absent. */
int feed_object(struct feed_ctx *c, const json_t *obj, const char *key, int required,
		const json_t **out);
int feed_array(struct feed_ctx *c, const json_t *obj, const char *key, int required, size_t max,
	       const json_t **out);

/* Array of strings member, copied: *out has *n entries (NULL, 0 when absent). */
int feed_str_list(struct feed_ctx *c, const json_t *obj, const char *key, int required, size_t max,
		  const char ***out, size_t *n);

#endif
