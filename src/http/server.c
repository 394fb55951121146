/*
 * server.c - libmicrohttpd glue: a worker thread pool, one database
 * connection per worker, routing, authentication, CSRF, body limits,
 * security headers, metrics, and a graceful stop on SIGTERM.
 */
#define _GNU_SOURCE
#include "http/http.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/text.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/banned.h"

/* ---- per-worker database connections ---- */

static const char *g_db_url;
static pthread_mutex_t g_db_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store *g_dbs[256];
static int g_ndbs;
static _Thread_local struct store *tl_db;

static struct store *thread_db(struct vg_error *err)
{
	struct store *s = NULL;
	if (tl_db)
		return tl_db;
	if (store_open(g_db_url, 0, &s, err))
		return NULL;
	pthread_mutex_lock(&g_db_lock);
	if (g_ndbs < (int)(sizeof(g_dbs) / sizeof(g_dbs[0]))) {
		g_dbs[g_ndbs++] = s;
		tl_db = s;
	}
	pthread_mutex_unlock(&g_db_lock);
	if (!tl_db) {
		store_close(s);
		vg_error_set(err, VG_EINTERNAL, "too many worker connections");
		return NULL;
	}
	return tl_db;
}

/* ---- metrics ---- */

static const double buckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct route_metrics {
	const struct http_route *route;
	uint64_t count[6]; /* by status class 1xx..5xx, [0] unused */
	uint64_t bucket[NBUCKETS];
	double sum;
	uint64_t n;
};

static pthread_mutex_t g_metrics_lock = PTHREAD_MUTEX_INITIALIZER;
static struct route_metrics g_metrics[512];
static int g_nmetrics;
static uint64_t g_unrouted[6];
static atomic_ullong g_db_errors;
static atomic_int g_inflight;
static int64_t g_started;

static void metrics_note(const struct http_route *r, int status, double secs)
{
	int cls = status / 100;
	if (cls < 1 || cls > 5)
		cls = 5;
	pthread_mutex_lock(&g_metrics_lock);
	if (!r) {
		g_unrouted[cls]++;
	} else {
		struct route_metrics *m = NULL;
		for (int i = 0; i < g_nmetrics; i++)
			if (g_metrics[i].route == r)
				m = &g_metrics[i];
		if (!m && g_nmetrics < (int)(sizeof(g_metrics) / sizeof(g_metrics[0]))) {
			m = &g_metrics[g_nmetrics++];
			m->route = r;
		}
		if (m) {
			m->count[cls]++;
			for (size_t b = 0; b < NBUCKETS; b++)
				if (secs <= buckets[b])
					m->bucket[b]++;
			m->sum += secs;
			m->n++;
		}
	}
	pthread_mutex_unlock(&g_metrics_lock);
}

int http_metrics_render(struct vg_buf *b)
{
	pthread_mutex_lock(&g_metrics_lock);
	vg_buf_adds(b, "# HELP vigil_http_requests_total HTTP requests by route, method and "
		       "status class.\n# TYPE vigil_http_requests_total counter\n");
	for (int i = 0; i < g_nmetrics; i++)
		for (int c = 1; c <= 5; c++)
			if (g_metrics[i].count[c])
				vg_buf_addf(b,
					    "vigil_http_requests_total{method=\"%s\",route=\"%s\","
					    "status=\"%dxx\"} %llu\n",
					    g_metrics[i].route->method, g_metrics[i].route->pattern,
					    c, (unsigned long long)g_metrics[i].count[c]);
	for (int c = 1; c <= 5; c++)
		if (g_unrouted[c])
			vg_buf_addf(b,
				    "vigil_http_requests_total{method=\"\",route=\"(none)\","
				    "status=\"%dxx\"} %llu\n",
				    c, (unsigned long long)g_unrouted[c]);
	vg_buf_adds(b, "# HELP vigil_http_request_duration_seconds Request latency by route.\n"
		       "# TYPE vigil_http_request_duration_seconds histogram\n");
	for (int i = 0; i < g_nmetrics; i++) {
		const struct route_metrics *m = &g_metrics[i];
		for (size_t k = 0; k < NBUCKETS; k++)
			vg_buf_addf(b,
				    "vigil_http_request_duration_seconds_bucket{method=\"%s\","
				    "route=\"%s\",le=\"%g\"} %llu\n",
				    m->route->method, m->route->pattern, buckets[k],
				    (unsigned long long)m->bucket[k]);
		vg_buf_addf(b,
			    "vigil_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
			    "le=\"+Inf\"} %llu\n",
			    m->route->method, m->route->pattern, (unsigned long long)m->n);
		vg_buf_addf(b,
			    "vigil_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} "
			    "%.6f\n",
			    m->route->method, m->route->pattern, m->sum);
		vg_buf_addf(b,
			    "vigil_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} "
			    "%llu\n",
			    m->route->method, m->route->pattern, (unsigned long long)m->n);
	}
	vg_buf_addf(b,
		    "# HELP vigil_db_errors_total Database errors seen by request handlers.\n"
		    "# TYPE vigil_db_errors_total counter\nvigil_db_errors_total %llu\n",
		    (unsigned long long)atomic_load(&g_db_errors));
	vg_buf_addf(b,
		    "# HELP vigil_db_connections Open worker database connections.\n"
		    "# TYPE vigil_db_connections gauge\nvigil_db_connections %d\n",
		    g_ndbs);
	vg_buf_addf(b,
		    "# HELP vigil_http_inflight Requests being served.\n"
		    "# TYPE vigil_http_inflight gauge\nvigil_http_inflight %d\n",
		    atomic_load(&g_inflight));
	vg_buf_addf(b,
		    "# HELP vigil_start_time_seconds Server start time.\n"
		    "# TYPE vigil_start_time_seconds gauge\nvigil_start_time_seconds %lld\n",
		    (long long)g_started);
	pthread_mutex_unlock(&g_metrics_lock);
	return VG_OK;
}

/* ---- request context ---- */

struct reqctx {
	struct http_req req;
	int too_big;
	int64_t t0;
	const struct http_route *route;
	int status;
	int counted;
};

static size_t g_body_limit;
static const struct http_route *const *g_routes;
static const struct http_nav_item *g_nav;
static http_auth_hook g_authenticate;

const struct http_route *const *http_routes(void)
{
	return g_routes;
}

const struct http_nav_item *http_nav(void)
{
	return g_nav;
}

/* ---- helpers for handlers ---- */

const char *http_param(const struct http_req *req, const char *name)
{
	for (int i = 0; i < req->nparams; i++)
		if (strcmp(req->param_names[i], name) == 0)
			return req->param_values[i];
	return NULL;
}

const char *http_query(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

int http_query_int(struct http_req *req, struct http_resp *resp, const char *name, int64_t min,
		   int64_t max, int64_t dflt, int64_t *out)
{
	struct vg_error err = {0};
	char what[96];

	snprintf(what, sizeof(what), "query parameter %s", name);
	if (vg_parse_int64_opt(http_query(req, name), what, min, max, dflt, out, &err))
		return http_fail(resp, &err);
	return VG_OK;
}

const char *http_header(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode a form/url component [p, p+n) into out. Returns length or -1 when it does not fit. */
static long url_decode(const char *p, size_t n, char *out, size_t outsz)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == '+')
			c = ' ';
		else if (c == '%' && i + 2 < n && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
			c = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
			i += 2;
		}
		if (o + 1 >= outsz)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return (long)o;
}

int http_form(const struct http_req *req, const char *name, char *out, size_t outsz)
{
	const char *p = req->body.data, *end = p ? p + req->body.len : NULL;
	size_t nl = strlen(name);
	char key[128];

	if (!p || !outsz)
		return VG_ENOTFOUND;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *e = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(e - p));
		if (eq && url_decode(p, (size_t)(eq - p), key, sizeof(key)) == (long)nl &&
		    memcmp(key, name, nl) == 0) {
			if (url_decode(eq + 1, (size_t)(e - eq - 1), out, outsz) < 0) {
				out[0] = '\0';
				return VG_ETOOBIG;
			}
			return VG_OK;
		}
		if (!amp)
			break;
		p = amp + 1;
	}
	out[0] = '\0';
	return VG_ENOTFOUND;
}

json_t *http_body_json(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *v;
	if (!req->body.len) {
		http_error_status(resp, 400, "parse_error",
				  "request body: expected a JSON document");
		return NULL;
	}
	v = vg_json_parse(req->body.data, req->body.len, "request body", &err);
	if (!v)
		http_error_status(resp, 400, "parse_error", "%s", vg_error_msg(&err));
	return v;
}

int http_set_header(struct http_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders >= HTTP_MAX_HEADERS)
		return VG_ETOOBIG;
	resp->hnames[resp->nheaders] = name;
	resp->hvalues[resp->nheaders] = strdup(value);
	if (!resp->hvalues[resp->nheaders])
		return VG_ENOMEM;
	resp->nheaders++;
	return VG_OK;
}

int http_text(struct http_resp *resp, int status, const char *ctype, const char *text, size_t n)
{
	resp->status = status;
	resp->ctype = ctype;
	vg_buf_reset(&resp->body);
	return vg_buf_add(&resp->body, text, n);
}

int http_json(struct http_resp *resp, int status, json_t *v)
{
	int rc;
	resp->status = status;
	resp->ctype = "application/json";
	vg_buf_reset(&resp->body);
	rc = vg_json_append(&resp->body, v);
	if (!rc)
		rc = vg_buf_addc(&resp->body, '\n');
	json_decref(v);
	return rc;
}

static int verror(struct http_resp *resp, int status, const char *code, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	http_json(resp, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg));
	return VG_OK;
}

int http_error(struct http_resp *resp, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(resp, vg_code_http_status(code), vg_code_name(code), fmt, ap);
	va_end(ap);
	return code ? code : VG_EINTERNAL;
}

int http_fail(struct http_resp *resp, const struct vg_error *err)
{
	return http_error(resp, err->code ? err->code : VG_EINTERNAL, "%s", vg_error_msg(err));
}

int http_error_status(struct http_resp *resp, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(resp, status, code, fmt, ap);
	va_end(ap);
	return VG_EINVAL;
}

int http_redirect(struct http_resp *resp, const char *location)
{
	resp->status = 303;
	resp->ctype = "text/plain; charset=utf-8";
	vg_buf_reset(&resp->body);
	vg_buf_addf(&resp->body, "see %s\n", location);
	return http_set_header(resp, "Location", location);
}

/* ---- routing ---- */

/* Match path against pattern; fills params (malloc'ed, decoded). */
static int match(const char *pattern, const char *path, struct http_req *req, int fill)
{
	const char *p = pattern, *s = path;
	int n = 0;

	while (*p) {
		if (*p == '*' && p[1] == '\0')
			return 1;
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = s;
			if (!pe)
				return 0;
			while (*se && *se != '/')
				se++;
			if (se == s)
				return 0;
			if (fill && n < HTTP_MAX_PARAMS) {
				size_t len = (size_t)(se - s);
				char *v = malloc(len + 1);
				char *name = strndup(p + 1, (size_t)(pe - p - 1));
				if (!v || !name || url_decode(s, len, v, len + 1) < 0) {
					free(v);
					free(name);
					return 0;
				}
				req->param_names[n] = name;
				req->param_values[n] = v;
				req->nparams = ++n;
			}
			p = pe + 1;
			s = se;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *s == '\0';
}

static const struct http_route *find_route(const char *method, const char *path, int *path_matched)
{
	*path_matched = 0;
	for (int t = 0; g_routes && g_routes[t]; t++)
		for (const struct http_route *r = g_routes[t]; r->method; r++)
			if (match(r->pattern, path, NULL, 0)) {
				*path_matched = 1;
				if (strcmp(r->method, method) == 0 ||
				    (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
					return r;
			}
	return NULL;
}

/* ---- sending ---- */

static void security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; script-src 'self'; style-src 'self'; img-src "
				"'self' data:; connect-src 'self'; form-action 'self'; "
				"frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", "no-store");
}

static enum MHD_Result send_resp(struct MHD_Connection *conn, struct reqctx *ctx,
				 struct http_resp *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	static char empty[1];
	r = MHD_create_response_from_buffer(
	    resp->body.len, resp->body.data ? resp->body.data : empty, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", resp->ctype ? resp->ctype : "application/json");
	security_headers(r);
	for (int i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->hnames[i], resp->hvalues[i]);
	ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	if (ctx)
		ctx->status = resp->status;
	return ret;
}

static void resp_release(struct http_resp *resp)
{
	vg_buf_release(&resp->body);
	for (int i = 0; i < resp->nheaders; i++)
		free(resp->hvalues[i]);
	resp->nheaders = 0;
}

static enum MHD_Result quick_error(struct MHD_Connection *conn, struct reqctx *ctx, int status,
				   const char *code, const char *msg)
{
	struct http_resp resp = {0};
	enum MHD_Result ret;
	http_error_status(&resp, status, code, "%s", msg);
	ret = send_resp(conn, ctx, &resp);
	resp_release(&resp);
	return ret;
}

/* ---- authentication ---- */

/* Unsafe requests this server has handled: caches of what any of them may
 * have changed are reused only while it stays the same. */
static atomic_ulong g_writes;

unsigned long http_write_generation(void)
{
	return atomic_load(&g_writes);
}

static int is_unsafe(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	       strcmp(method, "OPTIONS") != 0;
}

static void authenticate(struct http_req *req)
{
	memset(&req->who, 0, sizeof(req->who));
	req->session_id[0] = '\0';
	if (g_authenticate)
		g_authenticate(req);
}

static int csrf_ok(struct http_req *req)
{
	const char *h = http_header(req, "X-CSRF-Token");
	char form[96];
	if (h)
		return vg_ct_streq(h, req->who.csrf);
	if (http_form(req, "csrf", form, sizeof(form)) == VG_OK)
		return vg_ct_streq(form, req->who.csrf);
	return 0;
}

/* ---- the access handler ---- */

static void req_free(struct reqctx *ctx)
{
	for (int i = 0; i < ctx->req.nparams; i++) {
		free((char *)ctx->req.param_names[i]);
		free(ctx->req.param_values[i]);
	}
	vg_buf_release(&ctx->req.body);
	vg_wipe(&ctx->req.who, sizeof(ctx->req.who));
	vg_wipe(ctx->req.session_id, sizeof(ctx->req.session_id));
	free(ctx);
}

static enum MHD_Result dispatch(struct MHD_Connection *conn, struct reqctx *ctx)
{
	struct http_req *req = &ctx->req;
	struct http_resp resp = {0};
	struct vg_error err = {0};
	int matched = 0, allowed;
	enum MHD_Result ret;
	const struct http_route *r;

	if (ctx->too_big) {
		char msg[128];
		snprintf(msg, sizeof(msg), "request body larger than the limit of %zu bytes",
			 g_body_limit);
		return quick_error(conn, ctx, 413, "too_large", msg);
	}
	r = find_route(req->method, req->path, &matched);
	if (!r) {
		if (matched)
			return quick_error(conn, ctx, 405, "method_not_allowed",
					   "method not allowed on this path");
		return quick_error(conn, ctx, 404, "not_found", "no such route");
	}
	ctx->route = r;
	req->route = r;
	match(r->pattern, req->path, req, 1);
	req->db = thread_db(&err);
	if (!req->db) {
		vg_err("database unavailable: %s", vg_error_msg(&err));
		return quick_error(conn, ctx, 503, "database_error", "database unavailable");
	}
	authenticate(req);
	if (r->roles & ROLE_PUBLIC) {
		allowed = 1;
	} else if (req->who.role == ROLE_NONE) {
		if ((r->flags & HTTP_UI) && strcmp(req->method, "GET") == 0) {
			http_redirect(&resp, "/ui/login");
			goto send;
		}
		return quick_error(conn, ctx, 401, "unauthorized",
				   "authentication required (Bearer token, X-Api-Key or login)");
	} else {
		allowed = (r->roles & req->who.role) != 0;
	}
	if (!allowed) {
		char msg[160];
		snprintf(msg, sizeof(msg), "role %s may not %s %s", vg_role_name(req->who.role),
			 req->method, r->pattern);
		return quick_error(conn, ctx, 403, "forbidden", msg);
	}
	if (req->who.via_session && is_unsafe(req->method) && !(r->flags & HTTP_NO_CSRF) &&
	    !csrf_ok(req))
		return quick_error(conn, ctx, 403, "csrf",
				   "missing or wrong CSRF token; reload the page and try again");
	store_set_actor(req->db, req->who.role ? req->who.name : "anonymous", req->remote);
	resp.status = 200;
	r->fn(req, &resp);
	if (store_in_tx(req->db)) {
		vg_warn("%s %s left a transaction open; rolled back", req->method, r->pattern);
		store_tx_rollback(req->db);
	}
	if (resp.status >= 500)
		atomic_fetch_add(&g_db_errors, 1);
	/* after the handler: its transaction is committed or rolled back */
	if (is_unsafe(req->method))
		atomic_fetch_add(&g_writes, 1);
send:
	ret = send_resp(conn, ctx, &resp);
	resp_release(&resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct reqctx *ctx = *con_cls;
	(void)cls;
	(void)version;

	if (!ctx) {
		const char *cl;
		const union MHD_ConnectionInfo *ci;

		ctx = calloc(1, sizeof(*ctx));
		if (!ctx)
			return MHD_NO;
		*con_cls = ctx;
		atomic_fetch_add(&g_inflight, 1);
		ctx->counted = 1;
		ctx->t0 = vg_mono_ms();
		ctx->req.method = method;
		ctx->req.path = url;
		ctx->req.conn = conn;
		vg_buf_init(&ctx->req.body, g_body_limit);
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET,
					  &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
					  ctx->req.remote, sizeof(ctx->req.remote));
			else if (sa->sa_family == AF_INET6)
				inet_ntop(
				    AF_INET6,
				    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				    ctx->req.remote, sizeof(ctx->req.remote));
		}
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > g_body_limit) {
			ctx->too_big = 1;
			return dispatch(conn, ctx);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!ctx->too_big && vg_buf_add(&ctx->req.body, upload_data, *upload_data_size))
			ctx->too_big = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (ctx->status)
		return MHD_YES; /* already answered (early 413) */
	return dispatch(conn, ctx);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct reqctx *ctx = *con_cls;
	(void)cls;
	(void)conn;
	(void)toe;
	if (!ctx)
		return;
	metrics_note(ctx->route, ctx->status ? ctx->status : 500,
		     (double)(vg_mono_ms() - ctx->t0) / 1000.0);
	if (ctx->counted)
		atomic_fetch_sub(&g_inflight, 1);
	req_free(ctx);
	*con_cls = NULL;
}

/* ---- lifecycle ---- */

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct vg_error *err)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	int64_t port;

	memset(sa, 0, sizeof(*sa));
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return vg_error_set(err, VG_EUSAGE, "--listen '%s': expected HOST:PORT", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	if (vg_parse_int64(colon + 1, "port", 0, 65535, &port, NULL))
		return vg_error_set(err, VG_EUSAGE, "--listen '%s': bad port", listen);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return vg_error_set(err, VG_EUSAGE, "--listen '%s': '%s' is not an IPv4 address",
				    listen, host);
	return VG_OK;
}

/* Stop the first n services of list, the last started first. */
static void stop_services(const struct vg_service *list, size_t n)
{
	while (n-- > 0) {
		if (list[n].stop)
			list[n].stop();
	}
}

int http_serve(const struct http_server_opts *o, struct vg_error *err)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	struct sigaction act;
	unsigned port;
	size_t nstarted;
	int rc;

	rc = parse_listen(o->listen, &sa, err);
	if (rc)
		return rc;
	g_db_url = o->db_url;
	g_body_limit = o->body_limit;
	g_routes = o->routes;
	g_nav = o->nav;
	g_authenticate = o->authenticate;
	g_started = vg_now();
	memset(&act, 0, sizeof(act));
	act.sa_handler = on_signal;
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	signal(SIGPIPE, SIG_IGN);

	d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0,
	    NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, o->threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
	    NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)(256 * 1024), MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
	if (!d)
		return vg_error_set(err, VG_EIO, "cannot listen on %s: %s", o->listen,
				    strerror(errno));
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : ntohs(sa.sin_port);
	if (o->port_file) {
		FILE *f = fopen(o->port_file, "w");
		if (f) {
			fprintf(f, "%u\n", port);
			fclose(f);
		}
	}
	vg_info("listening on http://%s:%u/ (%u workers)", inet_ntoa(sa.sin_addr), port,
		o->threads);
	nstarted = 0;
	for (const struct vg_service *sv = o->services; sv && sv->name; sv++) {
		if (sv->start(o->db_url, err)) {
			stop_services(o->services, nstarted);
			MHD_stop_daemon(d);
			return err && err->code ? err->code : VG_EINTERNAL;
		}
		nstarted++;
	}
	while (!g_stop)
		pause();
	vg_info("stopping: no new connections; waiting for %d request(s) in flight",
		atomic_load(&g_inflight));
	MHD_quiesce_daemon(d);
	stop_services(o->services, nstarted);
	for (int i = 0; i < 300 && atomic_load(&g_inflight) > 0; i++)
		usleep(100 * 1000);
	MHD_stop_daemon(d);
	pthread_mutex_lock(&g_db_lock);
	for (int i = 0; i < g_ndbs; i++)
		store_close(g_dbs[i]);
	g_ndbs = 0;
	pthread_mutex_unlock(&g_db_lock);
	vg_info("stopped");
	return VG_OK;
}
