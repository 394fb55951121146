/*
 * error.h - stable error codes and the error object every fallible function
 * fills in.
 *
 * Rules:
 *  - Functions return an int that is VG_OK (0) or one of the codes below.
 *  - Detail for people goes into a caller-provided struct vg_error: it must
 *    name the input (file, URL, route), the place in it (JSON pointer, byte
 *    offset, line) and what was expected. It never contains secrets.
 *  - err may be NULL; then only the code is returned.
 *  - The numeric values and names are stable: they appear in JSON errors
 *    ({"error":{"code":"not_found",...}}) and scripts may match them.
 */
#ifndef VIGIL_CORE_ERROR_H
#define VIGIL_CORE_ERROR_H

#include <stddef.h>

/* X(enum, api-code, http-status, default message) */
#define VG_ERROR_MAP(X)                                                           \
	X(VG_OK, "ok", 200, "success")                                            \
	X(VG_ENOMEM, "out_of_memory", 500, "out of memory")                       \
	X(VG_EINVAL, "invalid", 400, "invalid argument")                          \
	X(VG_EUSAGE, "usage", 400, "usage error")                                 \
	X(VG_EPARSE, "parse_error", 400, "malformed input")                       \
	X(VG_ENOTFOUND, "not_found", 404, "not found")                            \
	X(VG_EEXIST, "conflict", 409, "already exists")                           \
	X(VG_ESTATE, "illegal_state", 409, "not allowed in the current state")    \
	X(VG_ETOOBIG, "too_large", 413, "input too large")                        \
	X(VG_EAUTH, "unauthorized", 401, "authentication required")               \
	X(VG_EPERM, "forbidden", 403, "not allowed for this role")                \
	X(VG_ERATE, "rate_limited", 429, "too many requests")                     \
	X(VG_EDB, "database_error", 500, "database error")                        \
	X(VG_EDBVER, "database_version", 500, "database schema version mismatch") \
	X(VG_EIO, "io_error", 500, "input/output error")                          \
	X(VG_EAUDIT, "audit_missing", 500, "state change without audit record")   \
	X(VG_ERETAIN, "retention", 409, "retention period has not ended")         \
	X(VG_EINTERNAL, "internal", 500, "internal error")                        \
	X(VG_EBUSY, "busy", 503, "busy; try again shortly")

enum vg_code {
#define VG_X_ENUM(e, s, h, m) e,
	VG_ERROR_MAP(VG_X_ENUM)
#undef VG_X_ENUM
	    VG__ECOUNT
};

/*
 * On a function that returns an error code: ignoring the result is a
 * compile warning (an error with -Werror). Handle the code, or say why not
 * with `if (f(...)) { ... }`: GCC does not accept a (void) cast here.
 */
#define VG_MUST_CHECK __attribute__((warn_unused_result))

struct vg_error {
	int code;
	char msg[1024];
};

/* Set err (if not NULL) to code with a printf-style message; returns code. */
int vg_error_set(struct vg_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix the existing message with "prefix: " (e.g. the file name). */
void vg_error_prefix(struct vg_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reset err to VG_OK with an empty message. */
void vg_error_clear(struct vg_error *err);

/* Stable API name ("not_found"), HTTP status and default message of a code. */
const char *vg_code_name(int code);
int vg_code_http_status(int code);
const char *vg_code_message(int code);

/* Message of err, or the default message of its code when empty. */
const char *vg_error_msg(const struct vg_error *err);

#endif
