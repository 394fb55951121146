/*
 * http.h - the web server's contract with the rooms: a request, a response,
 * a route table entry, and helpers for JSON, errors, forms and HTML.
 *
 * Rules:
 *  - Each room declares its routes in a const table (struct http_route) and
 *    the table is listed once in src/http/routes.c. src/http/ knows nothing
 *    of the rooms' data.
 *  - Every route states the roles allowed (auth/auth.h ROLE_* bits, or
 *    ROLE_PUBLIC). The server authenticates (Bearer token, X-Api-Key, or the
 *    session cookie), refuses with 401/403 before the handler runs, checks
 *    CSRF on cookie-authenticated unsafe requests, and sets the audit actor
 *    of req->db to the principal.
 *  - Handlers fill resp and return VG_OK; or return an error code with
 *    http_error() already called. Memory in resp is freed by the server.
 *  - req->db is this worker thread's own database connection.
 */
#ifndef VIGIL_HTTP_HTTP_H
#define VIGIL_HTTP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "core/json.h"

struct MHD_Connection;
struct store;

#define HTTP_MAX_PARAMS  8
#define HTTP_MAX_HEADERS 12

/* Route flags. */
#define HTTP_UI      0x01 /* HTML page: anonymous users are sent to the login page */
#define HTTP_NO_CSRF 0x02 /* unsafe method that needs no CSRF token (e.g. public forms) */
#define HTTP_HIDDEN  0x04 /* not listed in the OpenAPI document (static assets) */

struct http_req {
	const char *method;
	const char *path; /* without the query string */
	struct MHD_Connection *conn;
	const char *param_names[HTTP_MAX_PARAMS];
	char *param_values[HTTP_MAX_PARAMS];
	int nparams;
	struct vg_buf body;
	char remote[64];
	struct auth_principal who;
	struct store *db;
	const struct http_route *route;
	char session_id[96]; /* raw cookie value when authenticated by session */
};

struct http_resp {
	int status;
	const char *ctype;
	struct vg_buf body;
	const char *hnames[HTTP_MAX_HEADERS];
	char *hvalues[HTTP_MAX_HEADERS];
	int nheaders;
};

typedef int (*http_handler)(struct http_req *req, struct http_resp *resp);

struct http_route {
	const char *method;  /* "GET", "POST", ... */
	const char *pattern; /* "/api/v1/tokens/{name}", a trailing "*" matches the rest */
	int roles;           /* ROLE_* bits, or ROLE_PUBLIC */
	unsigned flags;      /* HTTP_* */
	http_handler fn;
	const char *summary; /* one line for OpenAPI */
	const char *tag;     /* OpenAPI tag: the room */
};

/* All routes of all rooms, NULL-terminated list of tables (routes.c). */
extern const struct http_route *const http_route_tables[];

/* Lookup helpers. NULL when absent. */
const char *http_param(const struct http_req *req, const char *name);
const char *http_query(const struct http_req *req, const char *name);
const char *http_header(const struct http_req *req, const char *name);
const char *http_cookie(const struct http_req *req, const char *name);
/* Value of a field of an application/x-www-form-urlencoded body, decoded into out. */
int http_form(const struct http_req *req, const char *name, char *out, size_t outsz);
/* Parse the request body as JSON; on failure queues a 400 naming the byte offset. */
json_t *http_body_json(struct http_req *req, struct http_resp *resp);

/* Responses. */
int http_json(struct http_resp *resp, int status, json_t *v); /* steals v */
int http_error(struct http_resp *resp, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int http_error_status(struct http_resp *resp, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* An error response from err: its code's status and name, its message. */
int http_fail(struct http_resp *resp, const struct vg_error *err);
/*
 * An optional integer query parameter in [min, max] (absent: dflt). A bad
 * value writes a 400 naming the parameter ("query parameter limit 'abc':
 * expected an integer from 1 to 1000") into resp and returns VG_EINVAL; the
 * handler returns that code.
 */
int http_query_int(struct http_req *req, struct http_resp *resp, const char *name, int64_t min,
		   int64_t max, int64_t dflt, int64_t *out) __attribute__((warn_unused_result));
int http_set_header(struct http_resp *resp, const char *name, const char *value);
int http_redirect(struct http_resp *resp, const char *location);
int http_text(struct http_resp *resp, int status, const char *ctype, const char *text, size_t n);

/* Server. */
struct http_server_opts {
	const char *listen; /* "127.0.0.1:8080" */
	const char *db_url;
	unsigned threads;      /* worker threads */
	size_t body_limit;     /* bytes */
	const char *port_file; /* write the bound port here (for tests) */
	int64_t job_tick;      /* seconds between job scheduler ticks */
};
/* Run until SIGTERM/SIGINT; in-flight requests finish; returns an exit code. */
int http_serve(const struct http_server_opts *o, struct vg_error *err);
/* How many POST / PUT / PATCH / DELETE requests this process has handled
 * (counted when each handler has returned): a cache computed at generation
 * G is current for this server's own writes while the number is still G. */
unsigned long http_write_generation(void);

/* The OpenAPI 3.1 document of every route (caller owns). */
json_t *http_openapi(void);
/* Prometheus text of the server's counters, appended to b. */
int http_metrics_render(struct vg_buf *b);

#endif
