/*
 * http.h - the web server's contract with the rooms: a request, a response,
 * a route table entry, and helpers for JSON, errors, forms and HTML.
 *
 * Rules:
 *  - Each room declares its routes in a const table (struct http_route); the
 *    list of every room's table is made by the program (src/app/) and given
 *    to http_serve(). src/http/ knows no room: it includes only core/ and
 *    store/ headers.
 *  - Every route states the roles allowed (core/principal.h ROLE_* bits, or
 *    ROLE_PUBLIC). The server asks the authenticate hook it was given who is
 *    calling (the auth room reads the Bearer token, X-Api-Key or session
 *    cookie) on the request's headers, refuses with 401/403 before any body
 *    is read (and asks again after a body, before the handler runs), checks
 *    CSRF on cookie-authenticated unsafe requests, and sets the audit actor
 *    of req->db to the principal and req->remote.
 *  - Every route states its body limit in its flags (HTTP_BODY_*, below).
 *    req->body is a vg_buf either way; a large body is a read-only mapping
 *    of a temporary file: handlers read it and never append to it.
 *  - Services ({name, start, stop}) are started once the server listens and
 *    stopped, in reverse order, once it has stopped taking requests.
 *  - Handlers fill resp and return VG_OK; or return an error code with
 *    http_error() already called. Memory in resp is freed by the server.
 *  - req->db is this worker thread's own database connection.
 */
#ifndef VIGIL_HTTP_HTTP_H
#define VIGIL_HTTP_HTTP_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/principal.h"

struct MHD_Connection;
struct store;
struct vg_error;

#define HTTP_MAX_PARAMS  8
#define HTTP_MAX_HEADERS 12

/* Route flags. */
#define HTTP_UI      0x01 /* HTML page: anonymous users are sent to the login page */
#define HTTP_NO_CSRF 0x02 /* unsafe method that needs no CSRF token (e.g. public forms) */
#define HTTP_HIDDEN  0x04 /* not listed in the OpenAPI document (static assets) */
/*
 * A file upload (release artifacts of several GiB): the route's limit is
 * the setting server.file_limit (default 16G) instead of its body class and
 * server.body_limit, its bytes in flight count against server.file_budget
 * (default 32G, disk of server.tmp_dir) instead of server.body_budget, and
 * the handler reads the body through req->body_fd (pread) when it is not -1:
 * req->body still maps it, but touching a mapping of GiB grows the
 * process's resident size by as much.
 */
#define HTTP_BODY_FILE 0x08
/*
 * Served on the public listener too (`vigil serve --public-listen`): what
 * the public and devices need (the CVD portal and its tracking pages,
 * security.txt, CSAF, TUF, device check-in, the static assets those pages
 * use). Every other route answers 404 there. Without a public listener every
 * route is served on --listen.
 */
#define HTTP_PUBLIC_FACE 0x10

/*
 * The largest request body a route takes, in bits 8-13 of its flags (no
 * struct field, so every table keeps its shape): 0 is HTTP_BODY_SMALL;
 * HTTP_BODY_LOG2(n) is 2^n bytes; HTTP_BODY_UPLOAD is the server's
 * server.body_limit. Every class is capped by server.body_limit. A body
 * announced larger is refused with 413 before a byte of it is read; a
 * chunked one as soon as it passes the limit. Routes and credentials are
 * checked on the headers, before any body is read (CSRF, which may be a
 * form field, after it).
 */
#define HTTP_BODY_SHIFT   8
#define HTTP_BODY_MASK    (0x3fu << HTTP_BODY_SHIFT)
#define HTTP_BODY_LOG2(n) (((unsigned)(n)&0x3fu) << HTTP_BODY_SHIFT)
#define HTTP_BODY_SMALL   0                  /* 64 KiB: JSON documents and forms */
#define HTTP_BODY_TEXT    HTTP_BODY_LOG2(18) /* 256 KiB: long text (a report, a note, a message) */
#define HTTP_BODY_FORM    HTTP_BODY_LOG2(25) /* 32 MiB: a form with attachments (CVD portal) */
#define HTTP_BODY_UPLOAD  HTTP_BODY_MASK     /* server.body_limit: SBOM and VEX uploads */

struct http_req {
	const char *method;
	const char *path; /* without the query string */
	struct MHD_Connection *conn;
	const char *param_names[HTTP_MAX_PARAMS];
	char *param_values[HTTP_MAX_PARAMS];
	int nparams;
	struct vg_buf body;
	int body_fd;     /* the spooled body (a temporary file, read-only for the
			    handler: pread from 0 to body.len), or -1 when in memory */
	int public_face; /* reached on the public listener (--public-listen) */
	/* the product and version this request was about, for the access event
	 * (http_log_context(); e.g. a device's check-in); "" when none */
	char log_product[128];
	char log_version[128];
	char remote[64]; /* the client: the peer, or from X-Forwarded-For when the peer is
			    one of server.trusted_proxies (see http/proxy.h) */
	int secure;      /* reached over TLS: directly (a TLS listener: --tls-cert) or
			    through a trusted proxy that sent X-Forwarded-Proto: https;
			    responses then carry Strict-Transport-Security */
	struct vg_principal who;
	struct store *db;
	const struct http_route *route;
	char session_id[96]; /* raw cookie value when authenticated by session */
};

/*
 * A body sent piece by piece instead of from resp->body (http_stream()):
 * the size bytes from offset (a Range answer sends a part), either from a
 * file (fd >= 0, sent by the kernel; the server closes fd) or from read
 * (called on the worker thread, later, with that thread's database
 * connection db, which holds no transaction between calls: fill at most max
 * bytes of buf with the bytes from pos, counted from the start of the whole,
 * offset included; return how many (> 0), or -1 to cut the response off).
 * The server calls release(arg) when the response is done or dropped.
 */
struct http_stream {
	uint64_t size;
	int fd;
	uint64_t offset;
	long (*read)(void *arg, struct store *db, uint64_t pos, char *buf, size_t max);
	void (*release)(void *arg);
	void *arg;
};

struct http_resp {
	int status;
	const char *ctype;
	struct vg_buf body;
	const char *hnames[HTTP_MAX_HEADERS];
	char *hvalues[HTTP_MAX_HEADERS];
	int nheaders;
	struct http_stream *stream; /* set by http_stream(); NULL: body */
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

/* The routes this server serves: the NULL-terminated list of tables given
 * to http_serve() (NULL before it starts). Pages use it to link only to
 * pages that exist. */
const struct http_route *const *http_routes(void);
/* The navigation bar given to http_serve() (NULL before it starts). */
const struct http_nav_item *http_nav(void);

/* The body limit of route r in bytes (its HTTP_BODY_* class, capped by the
 * server's body limit once it serves). */
size_t http_route_body_limit(const struct http_route *r);

/* Lookup helpers. NULL when absent. */
const char *http_param(const struct http_req *req, const char *name);
const char *http_query(const struct http_req *req, const char *name);
const char *http_header(const struct http_req *req, const char *name);
const char *http_cookie(const struct http_req *req, const char *name);
/* Value of a field of an application/x-www-form-urlencoded body, decoded into out. */
int http_form(const struct http_req *req, const char *name, char *out, size_t outsz);
/* Decode one url-encoded component [p, p+n) ('+' is a space, %XX a byte)
 * into out: its length, or -1 when it does not fit in outsz. */
long http_url_decode(const char *p, size_t n, char *out, size_t outsz);
/* Parse the request body as JSON; on failure queues a 400 naming the byte offset. */
json_t *http_body_json(struct http_req *req, struct http_resp *resp);

/* Responses. */
int http_json(struct http_resp *resp, int status, json_t *v); /* steals v */
int http_error(struct http_resp *resp, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int http_error_status(struct http_resp *resp, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* An error response from err: its code's status and name, its message. */
int http_fail(struct http_resp *resp, const struct vg_error *err) VG_MUST_CHECK;
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
/* Answer with the streamed body st (copied; on failure st's fd is closed
 * and release called): VG_OK or VG_ENOMEM. */
int http_stream(struct http_resp *resp, int status, const char *ctype,
		const struct http_stream *st);

/* Server. */

/*
 * A service: something that runs beside the server for as long as it
 * serves (the job scheduler, a redraw thread). start gets the database URL
 * (it opens its own connections) and returns VG_OK or an error code with
 * err set; stop waits for the service to end. A start that fails stops the
 * services already started and the server.
 */
struct vg_service {
	const char *name;
	int (*start)(const char *db_url, struct vg_error *err);
	void (*stop)(void);
};

/* An entry of the navigation bar of every page (see http/ui.h). */
struct http_nav_item {
	const char *key;   /* the active key ui_page_begin() is given */
	const char *label; /* shown */
	const char *path;  /* linked when a GET route of this path exists */
};

/*
 * The authenticate hook: fill req->who from the request's credentials
 * (req->who is zeroed, ROLE_NONE, before the call) and, when they were a
 * session cookie, req->session_id. Anything wrong leaves it anonymous.
 */
typedef void (*http_auth_hook)(struct http_req *req);

/*
 * Besides these options the server reads its limits from the settings
 * (docs/operator.md): server.body_budget, server.max_conns,
 * server.max_conns_per_addr, server.header_timeout, server.body_timeout,
 * server.body_min_rate, server.trusted_proxies, server.tmp_dir,
 * server.file_limit and server.file_budget (HTTP_BODY_FILE); a bad
 * value stops http_serve() with an error naming the setting.
 */
struct http_server_opts {
	const char *listen;             /* "127.0.0.1:8080" */
	const char *public_listen;      /* NULL: none; else only HTTP_PUBLIC_FACE routes there */
	const char *public_port_file;   /* write the public listener's bound port here */
	const char *tls_cert, *tls_key; /* PEM files: --listen speaks TLS (1.2 and 1.3) */
	const char *public_tls_cert, *public_tls_key; /* the same for --public-listen */
	const char *db_url;
	unsigned threads;                       /* worker threads */
	size_t body_limit;                      /* bytes */
	const char *port_file;                  /* write the bound port here (for tests) */
	const struct http_route *const *routes; /* NULL-terminated list of tables */
	http_auth_hook authenticate;            /* NULL: every caller is anonymous */
	const struct vg_service *services;      /* NULL-name-terminated; may be NULL */
	const struct http_nav_item *nav;        /* NULL-key-terminated; may be NULL */
};
/*
 * The access event. When a request is done the server emits the in-process
 * event "http.access" (core/events.h; without a database connection, so no
 * notifier rule sees it) with {method, path, status, ms, user, role,
 * remote, listener, product, version}; the log store keeps it (source
 * vigil). A path holding a secret ({token} in its route) is logged as its
 * route. Setting server.access_log = off turns it off.
 */
void http_log_context(struct http_req *req, const char *product, const char *version);

/* Run until SIGTERM/SIGINT; in-flight requests finish; returns an exit code. */
int http_serve(const struct http_server_opts *o, struct vg_error *err) VG_MUST_CHECK;

/*
 * The server without a socket or a thread, for the fuzz target of the whole
 * request (tests/fuzz/fuzz_http_request.c): http_harness_start() reads the
 * settings and takes o's routes, authenticate hook and database as
 * http_serve() does, but listens nowhere. http_harness_request() hands the
 * n bytes of data to libmicrohttpd as one client connection (from
 * 127.0.0.1) would send them, then closes the client's side for writing,
 * and runs the server until it has answered and closed the connection; the
 * bytes answered go to out (at most outsz, the rest read and dropped).
 * Returns the number of bytes answered, or -1 when the connection could not
 * be made. Every request goes through on_request, the gate, the router, the
 * authenticate hook and the handler exactly as over a socket. One thread.
 */
int http_harness_start(const struct http_server_opts *o, struct vg_error *err) VG_MUST_CHECK;
long http_harness_request(const void *data, size_t n, char *out, size_t outsz);
void http_harness_stop(void);
/* How many POST / PUT / PATCH / DELETE requests this process has handled
 * (counted when each handler has returned): a cache computed at generation
 * G is current for this server's own writes while the number is still G. */
unsigned long http_write_generation(void);

/* The OpenAPI 3.1 document of every route of tables (caller owns). */
json_t *http_openapi(const struct http_route *const *tables);
/* Prometheus text of the server's counters, appended to b. */
int http_metrics_render(struct vg_buf *b);

#endif
