/*
 * server.c - libmicrohttpd glue: a worker thread pool, one database
 * connection per worker, routing, authentication, CSRF, body limits,
 * security headers, metrics, and a graceful stop on SIGTERM.
 *
 * A request is judged on its headers (framing, route, credentials, role,
 * body limit, the budget of bodies in flight) before a byte of its body is
 * read; a refused one is answered at once and its connection closed. A body
 * larger than SPOOL_MIN goes to an unlinked temporary file, mapped read-only
 * for the handler. Connections are watched: headers must be complete within
 * server.header_timeout of the connection's start (or of the end of the
 * previous request), a body must keep server.body_min_rate after a grace of
 * server.body_timeout; the watchdog (the main thread) shuts down the socket
 * of a connection past its deadline and MHD then closes it, and of one that
 * has sent no byte within server.first_byte_timeout. Near server.max_conns,
 * a new connection closes the one waiting for a request the longest. A
 * connection's memory is server.conn_memory.
 */
#define _GNU_SOURCE
#include "http/http.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/events.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/sdnotify.h"
#include "core/text.h"
#include "http/proxy.h"
#include "http/tls.h"
#include "http/ui.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/tcp.h> /* struct tcp_info with tcpi_bytes_received */
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
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

/* Refusals counted for /metrics. */
enum {
	REFUSED_ADDR,
	REFUSED_TIMEOUT,
	REFUSED_BUDGET,
	REFUSED_FRAMING,
	REFUSED_SILENT,  /* sent nothing within server.first_byte_timeout */
	REFUSED_EVICTED, /* idle, closed for a new connection near server.max_conns */
	REFUSED_N
};
static const char *const refused_names[REFUSED_N] = {
    "per_address_limit", "timeout", "budget", "framing", "silent", "idle_evicted"};
static atomic_ullong g_refused[REFUSED_N];

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
	vg_buf_adds(b, "# HELP vigil_http_refused_total Connections and requests refused by the "
		       "server's limits.\n# TYPE vigil_http_refused_total counter\n");
	for (int i = 0; i < REFUSED_N; i++)
		vg_buf_addf(b, "vigil_http_refused_total{reason=\"%s\"} %llu\n", refused_names[i],
			    (unsigned long long)atomic_load(&g_refused[i]));
	vg_buf_addf(b,
		    "# HELP vigil_start_time_seconds Server start time.\n"
		    "# TYPE vigil_start_time_seconds gauge\nvigil_start_time_seconds %lld\n",
		    (long long)g_started);
	pthread_mutex_unlock(&g_metrics_lock);
	return VG_OK;
}

/* ---- limits and settings ---- */

#define SPOOL_MIN     (256 * 1024)  /* bodies larger than this go to a temporary file */
#define DISCARD_MAX   (1024 * 1024) /* bytes of a refused chunked body read before closing */
#define SMALL_LIMIT   ((size_t)64 * 1024)
#define CHUNKED_STEP  ((size_t)64 * 1024) /* budget taken at a time by a chunked body */
#define WATCH_TICK_MS 200

static size_t g_body_limit;
static size_t g_body_budget;
static size_t g_conn_memory; /* server.conn_memory: MHD's memory pool of a connection */
static unsigned g_max_conns_per_addr;
static int64_t g_header_timeout_ms;
static int64_t g_body_timeout_ms;
static int64_t g_body_min_rate; /* bytes per second; 0: none */
static char g_tmp_dir[512];
static struct http_proxies g_proxies;
/* HTTP_BODY_FILE routes: their limit and their own budget (disk) */
#define FILE_LIMIT_DEFAULT  (16LL << 30)
#define FILE_BUDGET_DEFAULT (32LL << 30)
static size_t g_file_limit;
static size_t g_file_budget;

size_t http_route_body_limit(const struct http_route *r)
{
	unsigned cls = (r->flags & HTTP_BODY_MASK) >> HTTP_BODY_SHIFT;
	size_t lim;

	if (r->flags & HTTP_BODY_FILE) /* not capped by server.body_limit */
		return g_file_limit ? g_file_limit : (size_t)FILE_LIMIT_DEFAULT;
	if ((r->flags & HTTP_BODY_MASK) == HTTP_BODY_UPLOAD)
		lim = SIZE_MAX;
	else if (cls == 0)
		lim = SMALL_LIMIT;
	else if (cls >= 8 * sizeof(size_t) - 1)
		lim = SIZE_MAX;
	else
		lim = (size_t)1 << cls;
	if (g_body_limit && lim > g_body_limit)
		lim = g_body_limit;
	if (lim == SIZE_MAX)
		lim = SIZE_MAX - 1; /* room for the NUL after a body */
	return lim;
}

/* ---- the budget of bodies in flight: bytes admitted, not yet handled ---- */

static pthread_mutex_t g_budget_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t g_budget_used, g_budget_anon_used;
static size_t g_file_budget_used; /* HTTP_BODY_FILE bodies: their own budget */

/* Take n bytes of the budget (file: of server.file_budget); anonymous
 * callers may hold half of it, so the public cannot crowd out staff and CI.
 * 0 or -1 when it would not fit. */
static int budget_take(size_t n, int anon, int file)
{
	int ok;
	pthread_mutex_lock(&g_budget_lock);
	if (file) {
		ok = !anon && n <= g_file_budget - g_file_budget_used;
		if (ok)
			g_file_budget_used += n;
		pthread_mutex_unlock(&g_budget_lock);
		return ok ? 0 : -1;
	}
	ok = n <= g_body_budget - g_budget_used &&
	     (!anon || n <= g_body_budget / 2 - g_budget_anon_used);
	if (ok) {
		g_budget_used += n;
		if (anon)
			g_budget_anon_used += n;
	}
	pthread_mutex_unlock(&g_budget_lock);
	return ok ? 0 : -1;
}

static void budget_put(size_t n, int anon, int file)
{
	pthread_mutex_lock(&g_budget_lock);
	if (file) {
		g_file_budget_used -= n;
	} else {
		g_budget_used -= n;
		if (anon)
			g_budget_anon_used -= n;
	}
	pthread_mutex_unlock(&g_budget_lock);
}

/* ---- connections: limits, deadlines, the oldest idle closed first ---- */

/* A listener: what on_request learns of the daemon that took the request. */
struct listener {
	int public_face; /* only HTTP_PUBLIC_FACE routes */
	int tls_slot;    /* http/tls.h slot, or -1: plain HTTP */
};
static struct listener g_listeners[2] = {{0, -1}, {1, -1}};

/*
 * Every open connection of a listener is on its list, the one idle the
 * longest at the tail: a connection goes to the head when it opens and when
 * it finishes a request. When more than the high-water mark of a listener's
 * server.max_conns are open, each new connection closes the oldest one that
 * is waiting for a request (never one being read or handled), the way nginx
 * reuses keep-alive connections, so that a crowd of idle connections cannot
 * keep new clients out (MHD would stop accepting at the limit).
 */
struct conn_watch {
	struct conn_watch *prev, *next;
	int list; /* index of the listener in g_listeners and g_watch */
	int fd;
	int exempt;  /* a trusted proxy: not held to server.max_conns_per_addr */
	int cut;     /* shut down by us */
	int heard;   /* the client has sent something (TCP_INFO), watchdog's own */
	int counted; /* in g_addr_counts */
	int64_t opened;
	char addr[INET6_ADDRSTRLEN];
	atomic_int in_request; /* a request's headers were read and it is not finished */
	atomic_llong deadline; /* vg_mono_ms(); 0: none (a handler is running) */
};

struct watch_list {
	struct conn_watch *head, *tail;
	unsigned live; /* on the list and not cut */
	unsigned high; /* past this many live, a new connection closes the oldest idle one */
};

static pthread_mutex_t g_watch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct watch_list g_watch[2];
static int64_t g_first_byte_ms; /* server.first_byte_timeout */

static void sockaddr_text(const struct sockaddr *sa, char *out, size_t outsz)
{
	out[0] = '\0';
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)outsz);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, (socklen_t)outsz);
}

static void watch_set(struct conn_watch *w, int64_t deadline)
{
	if (w)
		atomic_store(&w->deadline, (long long)deadline);
}

/* g_watch_lock held for the list functions below. */
static void watch_unlink(struct watch_list *wl, struct conn_watch *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		wl->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		wl->tail = w->prev;
	w->prev = w->next = NULL;
}

static void watch_push(struct watch_list *wl, struct conn_watch *w)
{
	w->prev = NULL;
	w->next = wl->head;
	if (wl->head)
		wl->head->prev = w;
	else
		wl->tail = w;
	wl->head = w;
}

/*
 * Open connections by client address (those held to
 * server.max_conns_per_addr, not cut), both listeners together: a table, so
 * that a crowd of connections costs no walk of the lists at each accept.
 */
#define ADDR_BUCKETS 4096
struct addr_count {
	struct addr_count *next;
	unsigned n;
	char addr[INET6_ADDRSTRLEN];
};
static struct addr_count *g_addr_counts[ADDR_BUCKETS];

static struct addr_count **addr_slot(const char *addr)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	struct addr_count **pp;
	for (const char *p = addr; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (pp = &g_addr_counts[h % ADDR_BUCKETS]; *pp; pp = &(*pp)->next)
		if (strcmp((*pp)->addr, addr) == 0)
			break;
	return pp;
}

/* Count w under its address: the count before it, or -1 out of memory. */
static long addr_add(struct conn_watch *w)
{
	struct addr_count **pp = addr_slot(w->addr);
	if (!*pp) {
		*pp = calloc(1, sizeof(**pp));
		if (!*pp)
			return -1;
		snprintf((*pp)->addr, sizeof((*pp)->addr), "%s", w->addr);
	}
	w->counted = 1;
	return (long)(*pp)->n++;
}

static void addr_drop(struct conn_watch *w)
{
	struct addr_count **pp, *a;
	if (!w->counted)
		return;
	w->counted = 0;
	pp = addr_slot(w->addr);
	a = *pp;
	if (a && --a->n == 0) {
		*pp = a->next;
		free(a);
	}
}

/* Shut the connection down (MHD sees the end of the stream and closes it). */
static void watch_cut(struct watch_list *wl, struct conn_watch *w, int reason)
{
	addr_drop(w);
	w->cut = 1;
	wl->live--;
	if (w->fd >= 0)
		shutdown(w->fd, SHUT_RDWR);
	atomic_fetch_add(&g_refused[reason], 1);
}

/* Close the connection waiting for a request the longest, if any. */
static void evict_oldest_idle(struct watch_list *wl, const struct conn_watch *keep)
{
	for (struct conn_watch *o = wl->tail; o; o = o->prev)
		if (o != keep && !o->cut && o->fd >= 0 && !atomic_load(&o->in_request)) {
			watch_cut(wl, o, REFUSED_EVICTED);
			return;
		}
}

/* A request of w began (1) or ended (0); an ended one makes w the newest idle. */
static void watch_request(struct conn_watch *w, int begun)
{
	if (!w)
		return;
	atomic_store(&w->in_request, begun);
	if (begun)
		return;
	pthread_mutex_lock(&g_watch_lock);
	if (w->prev) { /* not already the head */
		watch_unlink(&g_watch[w->list], w);
		watch_push(&g_watch[w->list], w);
	}
	pthread_mutex_unlock(&g_watch_lock);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct conn_watch *w = *socket_context;
	const struct listener *l = cls ? cls : &g_listeners[0];
	struct watch_list *wl;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (!w)
			return;
		/* MHD closes the descriptor after this returns: once unlinked
		 * here, the watchdog no longer touches it */
		pthread_mutex_lock(&g_watch_lock);
		watch_unlink(&g_watch[w->list], w);
		if (!w->cut)
			g_watch[w->list].live--;
		addr_drop(w);
		pthread_mutex_unlock(&g_watch_lock);
		free(w);
		*socket_context = NULL;
		return;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return;
	w->list = (int)(l - g_listeners);
	wl = &g_watch[w->list];
	{
		const union MHD_ConnectionInfo *ci;
		long same = 0;
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		w->fd = ci ? ci->connect_fd : -1;
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		sockaddr_text(ci ? ci->client_addr : NULL, w->addr, sizeof(w->addr));
		w->exempt = http_proxies_match(&g_proxies, w->addr);
		w->opened = vg_mono_ms();
		atomic_init(&w->in_request, 0);
		atomic_init(&w->deadline, (long long)(w->opened + g_header_timeout_ms));
		pthread_mutex_lock(&g_watch_lock);
		if (g_max_conns_per_addr && !w->exempt)
			same = addr_add(w);
		watch_push(wl, w);
		wl->live++;
		if (g_max_conns_per_addr && !w->exempt &&
		    (same < 0 || same >= (long)g_max_conns_per_addr) && w->fd >= 0)
			watch_cut(wl, w, REFUSED_ADDR);
		else if (wl->high && wl->live > wl->high)
			evict_oldest_idle(wl, w);
		pthread_mutex_unlock(&g_watch_lock);
	}
	*socket_context = w;
}

/* 1 when the peer of fd has sent no byte yet (TCP_INFO); 0 when it has, or
 * when the kernel cannot say. */
static int never_sent(int fd)
{
	struct tcp_info ti;
	socklen_t n = sizeof(ti);
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &n) != 0 ||
	    n < offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(ti.tcpi_bytes_received))
		return 0;
	return ti.tcpi_bytes_received == 0;
}

/* Shut down every connection past its deadline, and those that sent nothing
 * within server.first_byte_timeout (called by the main thread). */
static void watchdog_scan(void)
{
	int64_t now = vg_mono_ms();
	pthread_mutex_lock(&g_watch_lock);
	for (int i = 0; i < 2; i++)
		for (struct conn_watch *w = g_watch[i].head; w; w = w->next) {
			long long d = atomic_load(&w->deadline);
			if (w->cut || w->fd < 0)
				continue;
			if (d && now > d) {
				watch_cut(&g_watch[i], w, REFUSED_TIMEOUT);
			} else if (!w->heard && g_first_byte_ms &&
				   now > w->opened + g_first_byte_ms) {
				if (!atomic_load(&w->in_request) && never_sent(w->fd))
					watch_cut(&g_watch[i], w, REFUSED_SILENT);
				else
					w->heard = 1;
			}
		}
	pthread_mutex_unlock(&g_watch_lock);
}

static struct conn_watch *conn_watch_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* ---- request context ---- */

struct reqctx {
	struct http_req req;
	int tls; /* reached on a TLS listener */
	int64_t t0;
	const struct http_route *route;
	int status;
	int counted;
	int gated;    /* the headers passed (route, credentials, limits) */
	int has_body; /* Content-Length > 0 or chunked */
	int fail;     /* an answer for the end of a refused body: 413, 503, 500 */
	size_t limit; /* this route's body limit */
	size_t received;
	size_t discarded;
	size_t reserved; /* bytes of the budget held */
	int anon;        /* the budget was taken as anonymous */
	int file;        /* an HTTP_BODY_FILE route: server.file_budget */
	int fd;          /* the spooled body, or -1 */
	void *map;       /* the spooled body mapped for the handler */
	size_t maplen;
	int64_t body_start;
	struct conn_watch *watch;
	int pending; /* an anonymous form post on a page route, kept for after the login */
	int authed;  /* authenticate() ran for this request */
};

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

long http_url_decode(const char *p, size_t n, char *out, size_t outsz)
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
		if (eq && http_url_decode(p, (size_t)(eq - p), key, sizeof(key)) == (long)nl &&
		    memcmp(key, name, nl) == 0) {
			if (http_url_decode(eq + 1, (size_t)(e - eq - 1), out, outsz) < 0) {
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
				if (!v || !name || http_url_decode(s, len, v, len + 1) < 0) {
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

/* The route of method and path; on the public listener (public_face) only
 * the routes flagged HTTP_PUBLIC_FACE exist. */
static const struct http_route *find_route(const char *method, const char *path, int public_face,
					   int *path_matched)
{
	*path_matched = 0;
	for (int t = 0; g_routes && g_routes[t]; t++)
		for (const struct http_route *r = g_routes[t]; r->method; r++)
			if ((!public_face || (r->flags & HTTP_PUBLIC_FACE)) &&
			    match(r->pattern, path, NULL, 0)) {
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

int http_stream(struct http_resp *resp, int status, const char *ctype, const struct http_stream *st)
{
	struct http_stream *c = malloc(sizeof(*c));
	if (!c) {
		if (st->fd >= 0)
			close(st->fd);
		if (st->release)
			st->release(st->arg);
		return VG_ENOMEM;
	}
	*c = *st;
	resp->status = status;
	resp->ctype = ctype;
	vg_buf_reset(&resp->body);
	resp->stream = c;
	return VG_OK;
}

/* MHD's reader of a streamed body (http_stream: read): on the worker thread
 * that owns the connection, with its database connection. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct http_stream *st = cls;
	struct store *db = thread_db(NULL);
	long n;
	if (pos >= st->size)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (max > st->size - pos)
		max = (size_t)(st->size - pos);
	n = db ? st->read(st->arg, db, st->offset + pos, buf, max) : -1;
	return n > 0 ? (ssize_t)n : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
	struct http_stream *st = cls;
	if (st->release)
		st->release(st->arg);
	free(st);
}

#define STREAM_BLOCK (256 * 1024) /* bytes MHD asks a stream's read for at a time */

/* The MHD response of a streamed body; resp->stream is handed over (NULL
 * after, whether or not it worked). */
static struct MHD_Response *stream_response(struct http_resp *resp)
{
	struct http_stream *st = resp->stream;
	struct MHD_Response *r;
	resp->stream = NULL;
	if (st->fd >= 0) {
		/* MHD closes the descriptor with the response (sendfile where it can) */
		r = MHD_create_response_from_fd_at_offset64(st->size, st->fd, st->offset);
		if (!r)
			close(st->fd);
		if (st->release)
			st->release(st->arg);
		free(st);
		return r;
	}
	r = MHD_create_response_from_callback(st->size, STREAM_BLOCK, stream_read, st, stream_free);
	if (!r)
		stream_free(st);
	return r;
}

static enum MHD_Result send_resp(struct MHD_Connection *conn, struct reqctx *ctx,
				 struct http_resp *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	static char empty[1];
	if (resp->stream)
		r = stream_response(resp);
	else
		r = MHD_create_response_from_buffer(resp->body.len,
						    resp->body.data ? resp->body.data : empty,
						    MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", resp->ctype ? resp->ctype : "application/json");
	security_headers(r);
	if (ctx && ctx->req.secure)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	for (int i = 0; i < resp->nheaders; i++) {
		/* a handler's own Cache-Control replaces the default no-store */
		if (strcasecmp(resp->hnames[i], "Cache-Control") == 0)
			MHD_del_response_header(r, "Cache-Control", "no-store");
		MHD_add_response_header(r, resp->hnames[i], resp->hvalues[i]);
	}
	ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	if (ctx)
		ctx->status = resp->status;
	return ret;
}

static void resp_release(struct http_resp *resp)
{
	if (resp->stream) { /* never sent */
		if (resp->stream->fd >= 0)
			close(resp->stream->fd);
		stream_free(resp->stream);
		resp->stream = NULL;
	}
	vg_buf_release(&resp->body);
	for (int i = 0; i < resp->nheaders; i++)
		free(resp->hvalues[i]);
	resp->nheaders = 0;
}

static void authenticate(struct http_req *req);

/* The page of an error on a /ui/ path (never JSON there): the layout with
 * the caller's name when they can be known. */
static void ui_error(struct reqctx *ctx, struct http_resp *resp, int status, const char *code,
		     const char *msg)
{
	struct http_req *req = &ctx->req;
	const char *text = NULL;
	char buf[200];

	if (!req->db && status != 503) {
		struct vg_error err = {0};
		req->db = thread_db(&err);
	}
	if (req->db && !ctx->authed) {
		authenticate(req);
		ctx->authed = 1;
	}
	if (strcmp(code, "too_large") == 0) {
		snprintf(buf, sizeof(buf), "What was sent is larger than this form takes (%s).",
			 msg);
		text = buf;
	} else if (strcmp(code, "forbidden") == 0) {
		snprintf(buf, sizeof(buf), "Your role (%s) may not do this.",
			 vg_role_name(req->who.role));
		text = buf;
	} else if (strcmp(code, "csrf") == 0) {
		text = "The form expired: reload the page and try again.";
	}
	ui_error_page(req, resp, status, text);
}

static enum MHD_Result quick_error(struct MHD_Connection *conn, struct reqctx *ctx, int status,
				   const char *code, const char *msg)
{
	struct http_resp resp = {0};
	enum MHD_Result ret;
	if (ctx && ui_is_path(ctx->req.path))
		ui_error(ctx, &resp, status, code, msg);
	else
		http_error_status(&resp, status, code, "%s", msg);
	if (status == 503)
		http_set_header(&resp, "Retry-After", "5");
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

/* ---- bodies ---- */

/* An unlinked temporary file in server.tmp_dir, or -1 with errno. */
static int spool_open(void)
{
	char path[600];
	int fd;
#ifdef O_TMPFILE
	fd = open(g_tmp_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	snprintf(path, sizeof(path), "%s/vigil-body-XXXXXX", g_tmp_dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Keep n more bytes of body: in memory up to SPOOL_MIN, then in the file. */
static int body_store(struct reqctx *ctx, const char *p, size_t n)
{
	struct vg_buf *b = &ctx->req.body;
	if (ctx->fd < 0 && b->len + n > SPOOL_MIN) {
		ctx->fd = spool_open();
		if (ctx->fd < 0) {
			vg_err("cannot create a temporary file in %s: %s", g_tmp_dir,
			       strerror(errno));
			return -1;
		}
		if (b->len && write_all(ctx->fd, b->data, b->len))
			goto werr;
		vg_buf_release(b);
	}
	if (ctx->fd >= 0) {
		if (write_all(ctx->fd, p, n))
			goto werr;
		return 0;
	}
	return vg_buf_add(b, p, n) ? -1 : 0;
werr:
	vg_err("cannot write a request body to %s: %s", g_tmp_dir, strerror(errno));
	return -1;
}

/* Present a spooled body to the handler as req->body: mapped read-only,
 * with the NUL after it that a vg_buf promises. */
static int body_map(struct reqctx *ctx)
{
	static const char nul[1] = {0};
	void *m;
	if (ctx->fd < 0)
		return 0;
	if (lseek(ctx->fd, (off_t)ctx->received, SEEK_SET) < 0 || write_all(ctx->fd, nul, 1))
		return -1;
	m = mmap(NULL, ctx->received + 1, PROT_READ, MAP_PRIVATE, ctx->fd, 0);
	if (m == MAP_FAILED)
		return -1;
	ctx->map = m;
	ctx->maplen = ctx->received + 1;
	ctx->req.body_fd = ctx->fd; /* for handlers that stream it (HTTP_BODY_FILE) */
	/* a full buffer of its exact size: an append fails with VG_ETOOBIG
	 * before it could touch the mapping */
	ctx->req.body.data = m;
	ctx->req.body.len = ctx->received;
	ctx->req.body.cap = ctx->received + 1;
	ctx->req.body.max = ctx->received;
	return 0;
}

/* ---- the access handler ---- */

static void req_free(struct reqctx *ctx)
{
	for (int i = 0; i < ctx->req.nparams; i++) {
		free((char *)ctx->req.param_names[i]);
		free(ctx->req.param_values[i]);
	}
	if (ctx->map) {
		munmap(ctx->map, ctx->maplen);
		vg_buf_init(&ctx->req.body, 0);
	} else {
		vg_buf_release(&ctx->req.body);
	}
	if (ctx->fd >= 0)
		close(ctx->fd);
	if (ctx->reserved)
		budget_put(ctx->reserved, ctx->anon, ctx->file);
	vg_wipe(&ctx->req.who, sizeof(ctx->req.who));
	vg_wipe(ctx->req.session_id, sizeof(ctx->req.session_id));
	free(ctx);
}

/* What the request's framing headers say. */
struct framing {
	int ncl, nte, cl_differ, bad_name;
	const char *cl, *te;
	const char *xff[8], *xfp[8];
	int nxff, nxfp;
};

/* Keep the last 8 values of a header: the right-most are the ones that count. */
static void keep_last(const char **v, int *n, const char *value)
{
	if (*n == 8) {
		memmove(v, v + 1, 7 * sizeof(*v));
		*n = 7;
	}
	v[(*n)++] = value ? value : "";
}

static enum MHD_Result framing_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	struct framing *f = cls;
	(void)kind;
	if (!key)
		return MHD_YES;
	if (strpbrk(key, " \t"))
		f->bad_name = 1; /* RFC 9112 5.1: no whitespace before the colon */
	if (strcasecmp(key, "Content-Length") == 0) {
		if (f->ncl++ && strcmp(f->cl, value ? value : "") != 0)
			f->cl_differ = 1;
		if (f->ncl == 1)
			f->cl = value ? value : "";
	} else if (strcasecmp(key, "Transfer-Encoding") == 0) {
		f->nte++;
		f->te = value ? value : "";
	} else if (strcasecmp(key, "X-Forwarded-For") == 0) {
		keep_last(f->xff, &f->nxff, value);
	} else if (strcasecmp(key, "X-Forwarded-Proto") == 0) {
		keep_last(f->xfp, &f->nxfp, value);
	}
	return MHD_YES;
}

/*
 * Hook for TLS listeners (a later issue): 1 when this connection itself is
 * TLS (MHD_get_connection_info(conn, MHD_CONNECTION_INFO_PROTOCOL) on a
 * daemon started with MHD_USE_TLS). Plain HTTP today.
 */

/* The client, whether it came over TLS, and the framing of the body. A
 * framing that a proxy in front could read differently is refused. */
static int read_headers(struct MHD_Connection *conn, struct reqctx *ctx, const char *version,
			const char **why)
{
	struct framing f;
	const union MHD_ConnectionInfo *ci;
	char peer[INET6_ADDRSTRLEN];

	memset(&f, 0, sizeof(f));
	MHD_get_connection_values(conn, MHD_HEADER_KIND, framing_header, &f);
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	sockaddr_text(ci ? ci->client_addr : NULL, peer, sizeof(peer));
	http_client_address(&g_proxies, peer, f.xff, f.nxff, ctx->req.remote,
			    sizeof(ctx->req.remote));
	ctx->req.secure = ctx->tls || (http_proxies_match(&g_proxies, peer) &&
				       http_forwarded_https(f.xfp, f.nxfp));
	ctx->has_body = f.nte || (f.ncl && strcmp(f.cl, "0") != 0);
	if (f.bad_name)
		*why = "a header field name with whitespace";
	else if (f.cl_differ)
		*why = "Content-Length headers with different values";
	else if (f.ncl && f.nte)
		*why = "both Content-Length and Transfer-Encoding";
	else if (f.nte > 1)
		*why = "more than one Transfer-Encoding header";
	else if (f.nte && strcasecmp(f.te, "chunked") != 0)
		*why = "a Transfer-Encoding other than chunked";
	else if (f.nte && version && strcmp(version, "HTTP/1.0") == 0)
		*why = "Transfer-Encoding in an HTTP/1.0 request";
	else
		return 0;
	return -1;
}

/* Who is calling, and may they use the route? 0, or -1 with the answer
 * queued in *ret. */
static int check_caller(struct MHD_Connection *conn, struct reqctx *ctx, enum MHD_Result *ret)
{
	struct http_req *req = &ctx->req;
	const struct http_route *r = ctx->route;
	char msg[160];

	authenticate(req);
	ctx->authed = 1;
	if (r->roles & ROLE_PUBLIC)
		return 0;
	if (req->who.role == ROLE_NONE) {
		if ((r->flags & HTTP_UI) && strcmp(req->method, "GET") == 0) {
			struct http_resp resp = {0};
			http_redirect(&resp, "/ui/login");
			*ret = send_resp(conn, ctx, &resp);
			resp_release(&resp);
			return -1;
		}
		if ((r->flags & HTTP_UI) && is_unsafe(req->method)) {
			/* a form posted after the session ended: a small url-encoded
			 * one is read and kept for after the login (http/ui.h); the
			 * rest is answered now, on the headers */
			const char *ct = http_header(req, "Content-Type");
			const char *cl = http_header(req, "Content-Length");
			if (ctx->pending)
				return 0;
			if (ctx->has_body && ct && cl &&
			    strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0 &&
			    strtoull(cl, NULL, 10) <= UI_PENDING_MAX) {
				ctx->pending = 1;
				return 0;
			}
			{
				struct http_resp resp = {0};
				ui_pending_keep(req, &resp); /* nothing read: says not kept */
				*ret = send_resp(conn, ctx, &resp);
				resp_release(&resp);
				return -1;
			}
		}
		*ret = quick_error(conn, ctx, 401, "unauthorized",
				   "authentication required (Bearer token, X-Api-Key or login)");
		return -1;
	}
	if (r->roles & req->who.role)
		return 0;
	snprintf(msg, sizeof(msg), "role %s may not %s %s", vg_role_name(req->who.role),
		 req->method, r->pattern);
	*ret = quick_error(conn, ctx, 403, "forbidden", msg);
	return -1;
}

/*
 * Judge the request on its headers: route, credentials, body limit, budget.
 * 0 to go on, or -1 with the answer queued in *ret. Called on the first call
 * of the access handler for a request with a body (so that nothing of a
 * refused body is read), at its last call for one without (so that the
 * connection stays open for the next request).
 */
static int gate(struct MHD_Connection *conn, struct reqctx *ctx, enum MHD_Result *ret)
{
	struct http_req *req = &ctx->req;
	struct vg_error err = {0};
	const struct http_route *r;
	const char *cl;
	int matched = 0;
	uint64_t announced = 0;
	size_t want;
	char msg[160];

	ctx->gated = 1;
	r = find_route(req->method, req->path, req->public_face, &matched);
	if (!r) {
		if (matched)
			*ret = quick_error(conn, ctx, 405, "method_not_allowed",
					   "method not allowed on this path");
		else
			*ret = quick_error(conn, ctx, 404, "not_found", "no such route");
		return -1;
	}
	ctx->route = r;
	req->route = r;
	match(r->pattern, req->path, req, 1);
	req->db = thread_db(&err);
	if (!req->db) {
		vg_err("database unavailable: %s", vg_error_msg(&err));
		*ret = quick_error(conn, ctx, 503, "database_error", "database unavailable");
		return -1;
	}
	if (check_caller(conn, ctx, ret))
		return -1;
	ctx->limit = http_route_body_limit(r);
	if (ctx->pending && ctx->limit > UI_PENDING_MAX)
		ctx->limit = UI_PENDING_MAX;
	vg_buf_init(&req->body, ctx->limit);
	if (!ctx->has_body)
		return 0;
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	if (cl)
		announced = strtoull(cl, NULL, 10); /* MHD checked its digits */
	if (announced > ctx->limit) {
		snprintf(msg, sizeof(msg), "request body larger than the limit of %zu bytes",
			 ctx->limit);
		*ret = quick_error(conn, ctx, 413, "too_large", msg);
		return -1;
	}
	want = cl ? (size_t)announced : (ctx->limit < CHUNKED_STEP ? ctx->limit : CHUNKED_STEP);
	ctx->anon = req->who.role == ROLE_NONE;
	ctx->file = (r->flags & HTTP_BODY_FILE) != 0;
	if (budget_take(want, ctx->anon, ctx->file)) {
		atomic_fetch_add(&g_refused[REFUSED_BUDGET], 1);
		*ret = quick_error(conn, ctx, 503, "busy",
				   "too many request bodies in flight; retry later");
		return -1;
	}
	ctx->reserved = want;
	ctx->body_start = vg_mono_ms();
	watch_set(ctx->watch, ctx->body_start + g_body_timeout_ms);
	return 0;
}

/* A chunk of body: kept, or counted and dropped once the request is refused. */
static enum MHD_Result take_body(struct reqctx *ctx, const char *data, size_t n)
{
	if (!ctx->fail && n > ctx->limit - ctx->received)
		ctx->fail = 413;
	if (!ctx->fail && ctx->received + n > ctx->reserved) {
		/* a chunked body takes its budget as it comes */
		size_t more = ctx->received + n - ctx->reserved;
		if (more < CHUNKED_STEP)
			more = CHUNKED_STEP;
		if (more > ctx->limit - ctx->reserved)
			more = ctx->limit - ctx->reserved;
		if (budget_take(more, ctx->anon, ctx->file)) {
			atomic_fetch_add(&g_refused[REFUSED_BUDGET], 1);
			ctx->fail = 503;
		} else {
			ctx->reserved += more;
		}
	}
	if (!ctx->fail && body_store(ctx, data, n))
		ctx->fail = 500;
	if (ctx->fail) {
		/* drop what was kept; read a little more to answer, then close */
		if (ctx->fd >= 0) {
			close(ctx->fd);
			ctx->fd = -1;
		}
		vg_buf_release(&ctx->req.body);
		ctx->discarded += n;
		return ctx->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
	}
	ctx->received += n;
	if (g_body_min_rate)
		watch_set(ctx->watch,
			  ctx->body_start + g_body_timeout_ms +
			      (int64_t)(ctx->received / (size_t)g_body_min_rate) * 1000);
	return MHD_YES;
}

/* A handler's JSON error on a /ui/ path becomes a page with its message. */
static void json_error_to_page(struct http_req *req, struct http_resp *resp)
{
	struct vg_error err = {0};
	json_t *v =
	    resp->body.len ? vg_json_parse(resp->body.data, resp->body.len, "error", &err) : NULL;
	const char *msg = NULL;
	char text[1100] = "";

	if (v)
		msg = json_string_value(json_object_get(json_object_get(v, "error"), "message"));
	if (msg && *msg) {
		snprintf(text, sizeof(text), "%s", msg);
		if (text[0] >= 'a' && text[0] <= 'z') /* a sentence */
			text[0] = (char)(text[0] - 'a' + 'A');
	}
	json_decref(v);
	ui_error_page(req, resp, resp->status, text[0] ? text : NULL);
}

static enum MHD_Result dispatch(struct MHD_Connection *conn, struct reqctx *ctx)
{
	struct http_req *req = &ctx->req;
	struct http_resp resp = {0};
	enum MHD_Result ret;
	const struct http_route *r;

	if (!ctx->gated && gate(conn, ctx, &ret))
		return ret;
	watch_set(ctx->watch, 0); /* the handler may take its time */
	if (ctx->fail == 413) {
		char msg[128];
		snprintf(msg, sizeof(msg), "request body larger than the limit of %zu bytes",
			 ctx->limit);
		return quick_error(conn, ctx, 413, "too_large", msg);
	}
	if (ctx->fail == 503)
		return quick_error(conn, ctx, 503, "busy",
				   "too many request bodies in flight; retry later");
	if (ctx->fail || body_map(ctx)) {
		vg_err("%s %s: cannot keep the request body", req->method, req->path);
		return quick_error(conn, ctx, 500, "internal", "cannot store the request body");
	}
	r = ctx->route;
	if (ctx->pending) {
		/* an anonymous form for after the login: kept, nothing done */
		ui_pending_keep(req, &resp);
		ret = send_resp(conn, ctx, &resp);
		resp_release(&resp);
		return ret;
	}
	/* credentials checked on the headers are checked again after a body
	 * (a token revoked during a long upload is refused) */
	if (ctx->received && check_caller(conn, ctx, &ret))
		return ret;
	if (req->who.via_session && is_unsafe(req->method) && !(r->flags & HTTP_NO_CSRF) &&
	    !csrf_ok(req)) {
		const char *ct = http_header(req, "Content-Type");
		if (!(r->flags & HTTP_UI) || !ui_is_path(req->path) || !ct ||
		    strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0 ||
		    req->body.len > UI_PENDING_MAX)
			return quick_error(
			    conn, ctx, 403, "csrf",
			    "missing or wrong CSRF token; reload the page and try again");
		/* a stale token: what was typed is offered to be sent again */
		ui_resend_page(req, &resp, 403, "This form had expired",
			       "The form was made for an earlier session or an older copy of the "
			       "page, so nothing was done. Check what was typed and send it again.",
			       req->path, req->body.data ? req->body.data : "", req->body.len);
		ret = send_resp(conn, ctx, &resp);
		resp_release(&resp);
		return ret;
	}
	store_set_actor(req->db, req->who.role ? req->who.name : "anonymous", req->remote);
	resp.status = 200;
	r->fn(req, &resp);
	if (store_in_tx(req->db)) {
		vg_warn("%s %s left a transaction open; rolled back", req->method, r->pattern);
		store_tx_rollback(req->db);
	}
	if (resp.status >= 400 && !resp.stream && ui_is_path(req->path) && resp.ctype &&
	    strncmp(resp.ctype, "application/json", 16) == 0)
		json_error_to_page(req, &resp);
	if (resp.status >= 500)
		atomic_fetch_add(&g_db_errors, 1);
	/* after the handler: its transaction is committed or rolled back */
	if (is_unsafe(req->method))
		atomic_fetch_add(&g_writes, 1);
	ret = send_resp(conn, ctx, &resp);
	resp_release(&resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct reqctx *ctx = *con_cls;

	if (!ctx) {
		const char *why = NULL;
		enum MHD_Result ret;

		ctx = calloc(1, sizeof(*ctx));
		if (!ctx)
			return MHD_NO;
		*con_cls = ctx;
		atomic_fetch_add(&g_inflight, 1);
		ctx->counted = 1;
		ctx->fd = -1;
		ctx->req.body_fd = -1;
		ctx->t0 = vg_mono_ms();
		ctx->req.method = method;
		ctx->req.path = url;
		if (cls) { /* the listener: public or internal, TLS or not */
			const struct listener *l = cls;
			ctx->req.public_face = l->public_face;
			ctx->tls = l->tls_slot >= 0;
		}
		ctx->req.conn = conn;
		ctx->watch = conn_watch_of(conn);
		watch_request(ctx->watch, 1);
		vg_buf_init(&ctx->req.body, 0);
		if (read_headers(conn, ctx, version, &why)) {
			char msg[160];
			atomic_fetch_add(&g_refused[REFUSED_FRAMING], 1);
			snprintf(msg, sizeof(msg), "request framing refused: %s", why);
			return quick_error(conn, ctx, 400, "bad_request", msg);
		}
		/* no body: answered at the last call, and the connection kept */
		watch_set(ctx->watch, 0);
		if (ctx->has_body && gate(conn, ctx, &ret))
			return ret;
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (ctx->status)
			return MHD_YES; /* already answered */
		return take_body(ctx, upload_data, n);
	}
	if (ctx->status)
		return MHD_YES; /* already answered on the headers */
	return dispatch(conn, ctx);
}

static int g_access_log = 1;

void http_log_context(struct http_req *req, const char *product, const char *version)
{
	snprintf(req->log_product, sizeof(req->log_product), "%s", product ? product : "");
	snprintf(req->log_version, sizeof(req->log_version), "%s", version ? version : "");
}

static int utf8_ok(const char *s)
{
	size_t n = strlen(s), i = 0, k;
	uint32_t cp;
	while (i < n) {
		if (!(k = vg_utf8_decode(s + i, n - i, &cp)) || cp < 0x20)
			return 0;
		i += k;
	}
	return 1;
}

/* The event "http.access" of a finished request (http.h). */
static void access_event(const struct reqctx *ctx, int status, double seconds)
{
	const struct http_req *r = &ctx->req;
	const char *path = r->path ? r->path : "";
	json_t *ev;
	if (!g_access_log || !r->method)
		return;
	if (ctx->route && strstr(ctx->route->pattern, "{token}"))
		path = ctx->route->pattern; /* the secret stays out of the log */
	ev = json_pack("{s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "method", r->method,
		       "path", utf8_ok(path) ? path : "(not printable UTF-8)", "status", status,
		       "ms", (int)(seconds * 1000.0 + 0.5), "user", r->who.name, "role",
		       vg_role_name(r->who.role), "remote", r->remote, "listener",
		       r->public_face ? "public" : "internal", "product", r->log_product, "version",
		       r->log_version);
	if (ev)
		vg_event_emit(NULL, "http.access", ev);
	json_decref(ev);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct reqctx *ctx = *con_cls;
	(void)cls;
	(void)toe;
	if (!ctx)
		return;
	/* the next request on this connection has header_timeout from now */
	{
		struct conn_watch *w = conn_watch_of(conn);
		watch_set(w, vg_mono_ms() + g_header_timeout_ms);
		watch_request(w, 0);
	}
	metrics_note(ctx->route, ctx->status ? ctx->status : 500,
		     (double)(vg_mono_ms() - ctx->t0) / 1000.0);
	access_event(ctx, ctx->status ? ctx->status : 500,
		     (double)(vg_mono_ms() - ctx->t0) / 1000.0);
	if (ctx->counted)
		atomic_fetch_sub(&g_inflight, 1);
	req_free(ctx);
	*con_cls = NULL;
}

/* ---- lifecycle ---- */

static volatile sig_atomic_t g_stop;
static volatile sig_atomic_t g_reload;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		g_reload = 1;
	else
		g_stop = 1;
}

/* SIGHUP: the listeners' certificates and keys are read again; new
 * handshakes get them, open connections keep theirs. */
static void reload_tls(void)
{
	int n = 0;

	for (int i = 0; i < HTTP_TLS_SLOTS; i++) {
		struct vg_error e = {0};
		if (!http_tls_enabled(i))
			continue;
		n++;
		if (http_tls_reload(i, &e))
			vg_err("SIGHUP: %s; the listener keeps its certificate", vg_error_msg(&e));
		else
			vg_info("SIGHUP: TLS reloaded: %s", http_tls_describe(i));
	}
	if (!n)
		vg_info("SIGHUP: no listener has TLS: nothing to reload");
}

/* systemd: reloading since now (MONOTONIC_USEC, as Type=notify-reload wants) */
static void notify_reloading(void)
{
	struct timespec ts;
	char state[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(state, sizeof(state), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)ts.tv_sec * 1000000ULL +
		     (unsigned long long)ts.tv_nsec / 1000);
	vg_sd_notify(state);
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

/* A whole-number setting in [min, max]; the error names it. */
static int setting_int(const char *key, int64_t dflt, int64_t min, int64_t max, int64_t *out,
		       struct vg_error *err)
{
	const char *v = vg_config_get(key, NULL);
	*out = vg_config_int(key, dflt);
	if ((v && vg_config_int(key, INT64_MIN) == INT64_MIN) || *out < min || *out > max)
		return vg_error_set(err, VG_EUSAGE,
				    "setting %s '%s': expected a number from %lld to %lld", key,
				    v ? v : "", (long long)min, (long long)max);
	return VG_OK;
}

/* The server's limits from the settings (docs/operator.md). */
static int read_settings(const struct http_server_opts *o, unsigned *max_conns,
			 struct vg_error *err)
{
	const char *tmp = getenv("TMPDIR");
	int64_t v;
	int fd;

	if (setting_int("server.body_budget", 256LL << 20, 1LL << 20, INT64_MAX / 2, &v, err))
		return err->code;
	g_body_budget = (size_t)v;
	if (g_body_budget < o->body_limit)
		return vg_error_set(err, VG_EUSAGE,
				    "setting server.body_budget (%zu bytes) is smaller than "
				    "server.body_limit (%zu bytes): no upload could be taken",
				    g_body_budget, o->body_limit);
	if (setting_int("server.file_limit", FILE_LIMIT_DEFAULT, 1LL << 20, INT64_MAX / 4, &v, err))
		return err->code;
	g_file_limit = (size_t)v;
	if (setting_int("server.file_budget", FILE_BUDGET_DEFAULT, 1LL << 20, INT64_MAX / 2, &v,
			err))
		return err->code;
	g_file_budget = (size_t)v;
	if (g_file_budget < g_file_limit)
		return vg_error_set(err, VG_EUSAGE,
				    "setting server.file_budget (%zu bytes) is smaller than "
				    "server.file_limit (%zu bytes): no file upload could be taken",
				    g_file_budget, g_file_limit);
	if (setting_int("server.max_conns", 16384, 4, 1000000, &v, err))
		return err->code;
	*max_conns = (unsigned)v;
	if (*max_conns < o->threads)
		return vg_error_set(err, VG_EUSAGE,
				    "setting server.max_conns (%u) is below the number of worker "
				    "threads (%u)",
				    *max_conns, o->threads);
	if (setting_int("server.max_conns_per_addr", 32, 0, 100000, &v, err))
		return err->code;
	g_max_conns_per_addr = (unsigned)v;
	if (setting_int("server.header_timeout", 10, 1, 3600, &v, err))
		return err->code;
	g_header_timeout_ms = v * 1000;
	if (setting_int("server.first_byte_timeout", 3, 0, 3600, &v, err))
		return err->code;
	g_first_byte_ms = v * 1000;
	if (setting_int("server.conn_memory", 32 * 1024, 8 * 1024, 16LL << 20, &v, err))
		return err->code;
	g_conn_memory = (size_t)v;
	{
		const char *al = vg_config_get("server.access_log", "on");
		if (strcmp(al, "on") && strcmp(al, "off"))
			return vg_error_set(err, VG_EUSAGE,
					    "setting server.access_log '%s': expected on or off",
					    al);
		g_access_log = strcmp(al, "on") == 0;
	}
	if (setting_int("server.body_timeout", 60, 1, 86400, &v, err))
		return err->code;
	g_body_timeout_ms = v * 1000;
	if (setting_int("server.body_min_rate", 64 * 1024, 0, 1LL << 40, &v, err))
		return err->code;
	g_body_min_rate = v;
	if (http_proxies_parse(vg_config_get("server.trusted_proxies", ""),
			       "setting server.trusted_proxies", &g_proxies, err))
		return err->code;
	snprintf(g_tmp_dir, sizeof(g_tmp_dir), "%s",
		 vg_config_get("server.tmp_dir", tmp && *tmp ? tmp : "/tmp"));
	fd = spool_open();
	if (fd < 0)
		return vg_error_set(err, VG_EUSAGE,
				    "setting server.tmp_dir '%s': cannot create a temporary file "
				    "there: %s",
				    g_tmp_dir, strerror(errno));
	close(fd);
	return VG_OK;
}

/*
 * Raise the soft limit of open files to the hard one (what nginx's
 * worker_rlimit_nofile does; systemd gives 1024 soft and 524288 hard), then
 * fit the connections in it: each of nlisteners listeners may hold
 * max_conns, and the rest of the process (database connections, spooled
 * bodies, files being sent, logs) keeps a reserve. A limit too small for
 * server.max_conns lowers it, with a warning: MHD stops accepting for good
 * when accept() fails for want of descriptors.
 */
static unsigned fit_max_conns(unsigned max_conns, unsigned nlisteners, unsigned threads)
{
	struct rlimit rl;
	unsigned long long have, reserve, room;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return max_conns;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit up = {rl.rlim_max, rl.rlim_max};
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl.rlim_cur = rl.rlim_max;
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		return max_conns;
	have = (unsigned long long)rl.rlim_cur;
	reserve = 256 + 16ULL * threads * nlisteners;
	if (reserve > have / 2)
		reserve = have / 2;
	room = (have - reserve) / nlisteners;
	if (room < threads)
		room = threads;
	if (max_conns <= room)
		return max_conns;
	vg_warn("server.max_conns %u does not fit in the open-file limit (RLIMIT_NOFILE %llu, "
		"%u listener(s)): taking %llu connections a listener; raise LimitNOFILE",
		max_conns, have, nlisteners, room);
	return (unsigned)room;
}

/* Stop the first n services of list, the last started first. */
static void stop_services(const struct vg_service *list, size_t n)
{
	while (n-- > 0) {
		if (list[n].stop)
			list[n].stop();
	}
}

/* Listen on listen ("HOST:PORT") with its own workers for listener l. The
 * bound port goes to port_file when given. */
static int start_daemon(const char *listen, const struct listener *l, const char *what,
			unsigned threads, unsigned max_conns, const char *port_file,
			struct MHD_Daemon **out, struct vg_error *err)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	unsigned port;
	unsigned flags =
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	struct MHD_OptionItem tls[] = {
	    {MHD_OPTION_END, 0, NULL}, {MHD_OPTION_END, 0, NULL}, {MHD_OPTION_END, 0, NULL}};
	int rc = parse_listen(listen, &sa, err);
	if (rc)
		return rc;
	/* from 7/8 of the limit, a new connection closes the oldest idle one */
	g_watch[l - g_listeners].high = max_conns - (max_conns / 8 ? max_conns / 8 : 1);
	if (l->tls_slot >= 0) {
		if (MHD_is_feature_supported(MHD_FEATURE_HTTPS_CERT_CALLBACK) != MHD_YES)
			return vg_error_set(
			    err, VG_EUSAGE,
			    "%s: this libmicrohttpd has no TLS certificate callback "
			    "(built without GnuTLS?)",
			    listen);
		flags |= MHD_USE_TLS;
		tls[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_CERT_CALLBACK, 0,
						 http_tls_callback(l->tls_slot)};
		tls[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
						 (void *)HTTP_TLS_PRIORITIES};
	}
	d = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, (void *)l, MHD_OPTION_ARRAY, tls,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
	    on_connection, (void *)l, MHD_OPTION_CONNECTION_LIMIT, max_conns,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    g_conn_memory, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
	if (!d)
		return vg_error_set(err, VG_EIO, "cannot listen on %s: %s", listen,
				    strerror(errno));
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : ntohs(sa.sin_port);
	if (port_file) {
		FILE *f = fopen(port_file, "w");
		if (f) {
			fprintf(f, "%u\n", port);
			fclose(f);
		}
	}
	vg_info("listening on %s://%s:%u/ (%s, %u workers)", l->tls_slot >= 0 ? "https" : "http",
		inet_ntoa(sa.sin_addr), port, what, threads);
	if (l->tls_slot >= 0)
		vg_info("%s", http_tls_describe(l->tls_slot));
	*out = d;
	return VG_OK;
}

int http_serve(const struct http_server_opts *o, struct vg_error *err)
{
	struct MHD_Daemon *d = NULL, *pd = NULL;
	struct sigaction act;
	size_t nstarted;
	unsigned max_conns = 0;
	int rc;

	rc = read_settings(o, &max_conns, err);
	if (rc)
		return rc;
	max_conns = fit_max_conns(max_conns, o->public_listen ? 2 : 1, o->threads);
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
	sigaction(SIGHUP, &act, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((o->tls_cert || o->tls_key) &&
	    (rc = http_tls_load(0, o->tls_cert, o->tls_key, "--listen", err)))
		return rc;
	g_listeners[0].tls_slot = http_tls_enabled(0) ? 0 : -1;
	if ((o->public_tls_cert || o->public_tls_key) &&
	    (rc =
		 http_tls_load(1, o->public_tls_cert, o->public_tls_key, "--public-listen", err))) {
		http_tls_free_all();
		return rc;
	}
	g_listeners[1].tls_slot = http_tls_enabled(1) ? 1 : -1;

	/* the public listener first: the port file of --listen tells a test
	 * (or a supervisor) that the server is up on every listener */
	if (o->public_listen &&
	    (rc = start_daemon(o->public_listen, &g_listeners[1], "public: portal, devices",
			       o->threads, max_conns, o->public_port_file, &pd, err))) {
		http_tls_free_all();
		return rc;
	}
	rc = start_daemon(o->listen, &g_listeners[0], o->public_listen ? "internal" : "every route",
			  o->threads, max_conns, o->port_file, &d, err);
	if (rc) {
		if (pd)
			MHD_stop_daemon(pd);
		http_tls_free_all();
		return rc;
	}
	nstarted = 0;
	for (const struct vg_service *sv = o->services; sv && sv->name; sv++) {
		if (sv->start(o->db_url, err)) {
			stop_services(o->services, nstarted);
			MHD_stop_daemon(d);
			if (pd)
				MHD_stop_daemon(pd);
			http_tls_free_all();
			return err && err->code ? err->code : VG_EINTERNAL;
		}
		nstarted++;
	}
	/* every listener is up and its port file written */
	vg_sd_notify("READY=1");
	while (!g_stop) {
		usleep(WATCH_TICK_MS * 1000);
		watchdog_scan();
		if (g_reload) {
			g_reload = 0;
			notify_reloading();
			reload_tls();
			vg_sd_notify("READY=1");
		}
	}
	vg_sd_notify("STOPPING=1");
	vg_info("stopping: no new connections; waiting for %d request(s) in flight",
		atomic_load(&g_inflight));
	MHD_quiesce_daemon(d);
	if (pd)
		MHD_quiesce_daemon(pd);
	stop_services(o->services, nstarted);
	for (int i = 0; i < 300 && atomic_load(&g_inflight) > 0; i++) {
		usleep(100 * 1000);
		watchdog_scan();
	}
	MHD_stop_daemon(d);
	if (pd)
		MHD_stop_daemon(pd);
	http_tls_free_all();
	pthread_mutex_lock(&g_db_lock);
	for (int i = 0; i < g_ndbs; i++)
		store_close(g_dbs[i]);
	g_ndbs = 0;
	pthread_mutex_unlock(&g_db_lock);
	vg_info("stopped");
	return VG_OK;
}

/* ---- the server without a socket (http.h: http_harness_*) ---- */

static struct MHD_Daemon *g_harness;

int http_harness_start(const struct http_server_opts *o, struct vg_error *err)
{
	unsigned max_conns = 0;
	int rc = read_settings(o, &max_conns, err);
	if (rc)
		return rc;
	g_db_url = o->db_url;
	g_body_limit = o->body_limit;
	g_routes = o->routes;
	g_nav = o->nav;
	g_authenticate = o->authenticate;
	g_started = vg_now();
	g_harness = MHD_start_daemon(
	    MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, on_request, (void *)&g_listeners[0],
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
	    on_connection, (void *)&g_listeners[0], MHD_OPTION_CONNECTION_LIMIT, max_conns,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    g_conn_memory, MHD_OPTION_END);
	if (!g_harness)
		return vg_error_set(err, VG_EINTERNAL,
				    "cannot start libmicrohttpd without a socket");
	return VG_OK;
}

long http_harness_request(const void *data, size_t n, char *out, size_t outsz)
{
	struct sockaddr_in peer;
	const char *p = data;
	size_t sent = 0, got = 0;
	int sv[2], shut = 0, done = 0;

	if (!g_harness || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	if (fcntl(sv[1], F_SETFL, O_NONBLOCK) != 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	memset(&peer, 0, sizeof(peer));
	peer.sin_family = AF_INET;
	peer.sin_port = htons(40000);
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* MHD owns sv[0] from here, and closes it on failure too */
	if (MHD_add_connection(g_harness, sv[0], (struct sockaddr *)&peer, sizeof(peer)) !=
	    MHD_YES) {
		close(sv[1]);
		return -1;
	}
	/* a bound on the rounds: a connection MHD keeps past them is dropped */
	for (int round = 0; round < 10000 && !done; round++) {
		char buf[16384];
		ssize_t r;
		if (sent < n) {
			ssize_t w = send(sv[1], p + sent, n - sent, MSG_NOSIGNAL);
			if (w > 0)
				sent += (size_t)w;
			else if (w < 0 && errno != EAGAIN && errno != EINTR)
				sent = n; /* the server closed: nothing more goes */
		}
		if (sent == n && !shut) {
			shutdown(sv[1], SHUT_WR);
			shut = 1;
		}
		MHD_run(g_harness);
		while ((r = recv(sv[1], buf, sizeof(buf), 0)) > 0) {
			size_t k = (size_t)r;
			if (got < outsz)
				memcpy(out + got, buf, k < outsz - got ? k : outsz - got);
			got += k;
		}
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			done = 1;
	}
	close(sv[1]);
	for (int i = 0; i < 4; i++)
		MHD_run(g_harness); /* MHD sees the close and frees the connection */
	return (long)got;
}

void http_harness_stop(void)
{
	if (g_harness)
		MHD_stop_daemon(g_harness);
	g_harness = NULL;
	pthread_mutex_lock(&g_db_lock);
	for (int i = 0; i < g_ndbs; i++)
		store_close(g_dbs[i]);
	g_ndbs = 0;
	tl_db = NULL;
	pthread_mutex_unlock(&g_db_lock);
}
