/*
 * log_syslog.c - syslog over TCP (RFC 6587 framing, RFC 5424 and RFC 3164
 * messages) and over TLS (RFC 5425) into the log store: one thread polls
 * the listeners and connections and writes batches with logs_ingest().
 *
 * Bounds (docs/logs.md, settings logs.syslog_*): frames of at most
 * logs.syslog_frame_max bytes (octet counts over it drop the connection;
 * LF frames are cut and counted), at most logs.syslog_max_conns
 * connections, a frame left unfinished for logs.syslog_frame_timeout and a
 * connection silent for logs.syslog_idle_timeout are cut off. Back-pressure:
 * while a batch is written nothing is read, so TCP slows the senders; a
 * batch the store refuses as busy is tried again, never dropped.
 */
#define _GNU_SOURCE
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "evidence/log_parse.h"
#include "evidence/logs.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

#define BATCH_EVENTS 5000
#define BATCH_BYTES  (8u << 20)
#define READ_CHUNK   (64 * 1024)

struct conn {
	int fd;
	SSL *ssl; /* NULL: plain TCP */
	int handshaken;
	int want_write;
	struct log_framer fr;
	int64_t last_ms;    /* last byte received */
	int64_t partial_ms; /* since a frame has been partly read (0: none) */
};

static struct {
	pthread_t th;
	int running;
	atomic_int stop;
	int wake[2];
	int lfd, tfd; /* listeners: plain, TLS (-1: none) */
	SSL_CTX *ctx;
	struct store *s;
	struct conn *c;
	size_t nc, maxc;
	size_t frame_max;
	int64_t frame_timeout_ms, idle_timeout_ms;
	/* the batch */
	struct vg_arena mem;
	struct log_event *ev;
	size_t n, cap;
	int64_t batch_ms;
	/* counters */
	atomic_llong frames, events, cut_off, refused, framing_errors, oversize;
} L = {.lfd = -1, .tfd = -1, .wake = {-1, -1}};

static int listen_on(const char *spec, const char *setting, struct vg_error *err)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	struct addrinfo hints = {0}, *res = NULL;
	int fd = -1, one = 1, rc;

	if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof(host) || !colon[1])
		return vg_error_set(err, VG_EUSAGE, "%s '%s': expected ADDR:PORT", setting, spec),
		       -1;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host, colon + 1, &hints, &res);
	if (rc)
		return vg_error_set(err, VG_EUSAGE, "%s '%s': %s", setting, spec, gai_strerror(rc)),
		       -1;
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, res->ai_addr, res->ai_addrlen) || listen(fd, 64)) {
		vg_error_set(err, VG_EIO, "%s '%s': cannot listen: %s", setting, spec,
			     strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static void conn_close(size_t i)
{
	struct conn *c = &L.c[i];
	if (c->ssl) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	close(c->fd);
	log_framer_release(&c->fr);
	L.c[i] = L.c[--L.nc];
}

/* Write the batch; a busy store is tried again (nothing read meanwhile). */
static void flush(void)
{
	struct vg_error err = {0};
	int tries = 0;
	if (!L.n)
		return;
	for (;;) {
		int rc = logs_ingest(L.s, L.ev, L.n, &err);
		if (rc == VG_OK) {
			atomic_fetch_add(&L.events, (long long)L.n);
			break;
		}
		tries++;
		/* a busy or failing database is waited for (the senders wait
		 * with us); events refused for their content cannot be (the
		 * parser cleans them, so this is not expected) */
		if ((rc != VG_ERATE && rc != VG_EDB && tries > 3) ||
		    (atomic_load(&L.stop) && tries > 50)) {
			vg_warn("syslog: %zu events not stored: %s", L.n, err.msg);
			break;
		}
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	/* the event array lives in the arena too: forget it with the rest */
	L.n = 0;
	L.ev = NULL;
	L.cap = 0;
	vg_arena_reset(&L.mem);
	L.batch_ms = 0;
}

static int on_frame(const char *frame, size_t n, void *arg)
{
	struct vg_error err = {0};
	struct log_event *g;
	(void)arg;
	atomic_fetch_add(&L.frames, 1);
	g = vg_arena_grow(&L.mem, L.ev, L.n, &L.cap, sizeof(*L.ev), 1024);
	if (!g)
		return 1;
	L.ev = g;
	if (log_syslog_parse(frame, n, vg_now(), &L.ev[L.n], &L.mem, &err))
		return 1;
	if (!L.n)
		L.batch_ms = vg_mono_ms();
	L.n++;
	return 0;
}

/* Read what is there from connection i; 0 keep, -1 close. */
static int conn_read(size_t i)
{
	struct conn *c = &L.c[i];
	char buf[READ_CHUNK];
	struct vg_error err = {0};
	for (int round = 0; round < 4; round++) {
		long n;
		if (c->ssl) {
			int r;
			if (!c->handshaken) {
				r = SSL_accept(c->ssl);
				if (r == 1) {
					c->handshaken = 1;
				} else {
					int e = SSL_get_error(c->ssl, r);
					c->want_write = e == SSL_ERROR_WANT_WRITE;
					return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE
						   ? 0
						   : -1;
				}
			}
			r = SSL_read(c->ssl, buf, sizeof(buf));
			if (r <= 0) {
				int e = SSL_get_error(c->ssl, r);
				c->want_write = e == SSL_ERROR_WANT_WRITE;
				return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0
											     : -1;
			}
			n = r;
		} else {
			n = read(c->fd, buf, sizeof(buf));
			if (n < 0)
				return errno == EAGAIN || errno == EINTR ? 0 : -1;
			if (n == 0)
				return -1;
		}
		c->last_ms = vg_mono_ms();
		if (log_framer_feed(&c->fr, buf, (size_t)n, on_frame, NULL, &err) < 0) {
			atomic_fetch_add(&L.framing_errors, 1);
			vg_warn("syslog: connection dropped: %s", err.msg);
			return -1;
		}
		atomic_store(&L.oversize, (long long)c->fr.oversize);
		c->partial_ms =
		    log_framer_partial(&c->fr) ? (c->partial_ms ? c->partial_ms : c->last_ms) : 0;
		if (L.n >= BATCH_EVENTS || L.mem.total >= BATCH_BYTES)
			flush();
		if ((size_t)n < sizeof(buf) && !(c->ssl && SSL_pending(c->ssl)))
			break;
	}
	return 0;
}

static void accept_on(int lfd, int tls)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;
		if (fd < 0)
			return;
		if (L.nc >= L.maxc) {
			atomic_fetch_add(&L.refused, 1);
			close(fd);
			continue;
		}
		c = &L.c[L.nc];
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		c->last_ms = vg_mono_ms();
		log_framer_init(&c->fr, L.frame_max);
		if (tls) {
			c->ssl = SSL_new(L.ctx);
			if (!c->ssl || SSL_set_fd(c->ssl, fd) != 1) {
				SSL_free(c->ssl);
				close(fd);
				log_framer_release(&c->fr);
				continue;
			}
			SSL_set_accept_state(c->ssl);
		}
		L.nc++;
	}
}

static void *loop(void *arg)
{
	struct pollfd *p = calloc(L.maxc + 3, sizeof(*p));
	(void)arg;
	if (!p)
		return NULL;
	while (!atomic_load(&L.stop)) {
		size_t k = 0, base;
		int64_t now;
		p[k++] = (struct pollfd){L.wake[0], POLLIN, 0};
		/* the listeners are always watched: a connection past the
		 * limit is accepted and closed at once, not left waiting in
		 * the backlog */
		p[k++] = (struct pollfd){L.lfd, POLLIN, 0};
		p[k++] = (struct pollfd){L.tfd, POLLIN, 0};
		base = k;
		for (size_t i = 0; i < L.nc; i++)
			p[k++] =
			    (struct pollfd){L.c[i].fd, L.c[i].want_write ? POLLOUT : POLLIN, 0};
		if (poll(p, k, 100) < 0 && errno != EINTR)
			break;
		if (p[1].revents & POLLIN)
			accept_on(L.lfd, 0);
		if (p[2].revents & POLLIN)
			accept_on(L.tfd, 1);
		now = vg_mono_ms();
		/* walk backwards: conn_close moves the last connection into i */
		for (size_t i = k - base; i-- > 0;) {
			int close_it = 0;
			if (i >= L.nc)
				continue;
			if (p[base + i].revents & (POLLIN | POLLOUT | POLLHUP | POLLERR))
				close_it = conn_read(i) < 0;
			else if (L.c[i].partial_ms && now - L.c[i].partial_ms > L.frame_timeout_ms)
				close_it = 1, atomic_fetch_add(&L.cut_off, 1);
			else if (now - L.c[i].last_ms > L.idle_timeout_ms)
				close_it = 1, atomic_fetch_add(&L.cut_off, 1);
			if (close_it)
				conn_close(i);
		}
		if (L.n && now - L.batch_ms >= 200)
			flush();
	}
	flush();
	while (L.nc)
		conn_close(L.nc - 1);
	free(p);
	return NULL;
}

static int tls_setup(struct vg_error *err)
{
	const char *cert = vg_config_get("logs.syslog_tls_cert", NULL);
	const char *key = vg_config_get("logs.syslog_tls_key", NULL);
	if (!cert || !key)
		return vg_error_set(err, VG_EUSAGE,
				    "--syslog-tls-listen needs --syslog-tls-cert FILE and "
				    "--syslog-tls-key FILE (settings logs.syslog_tls_cert, "
				    "logs.syslog_tls_key)");
	L.ctx = SSL_CTX_new(TLS_server_method());
	if (!L.ctx)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	SSL_CTX_set_min_proto_version(L.ctx, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(L.ctx, cert) != 1)
		return vg_error_set(err, VG_EUSAGE, "syslog TLS certificate %s: cannot be read",
				    cert);
	if (SSL_CTX_use_PrivateKey_file(L.ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(L.ctx) != 1)
		return vg_error_set(err, VG_EUSAGE,
				    "syslog TLS key %s: cannot be read or does not match %s", key,
				    cert);
	return VG_OK;
}

static void cleanup(void)
{
	if (L.lfd >= 0)
		close(L.lfd);
	if (L.tfd >= 0)
		close(L.tfd);
	for (int i = 0; i < 2; i++)
		if (L.wake[i] >= 0)
			close(L.wake[i]);
	L.lfd = L.tfd = L.wake[0] = L.wake[1] = -1;
	SSL_CTX_free(L.ctx);
	L.ctx = NULL;
	store_close(L.s);
	L.s = NULL;
	free(L.c);
	L.c = NULL;
	vg_arena_release(&L.mem);
}

int logs_syslog_start(const char *db_url, struct vg_error *err)
{
	const char *plain = vg_config_get("logs.syslog_listen", NULL);
	const char *tls = vg_config_get("logs.syslog_tls_listen", NULL);
	int rc;

	if ((!plain || !*plain) && (!tls || !*tls))
		return VG_OK;
	L.maxc = (size_t)vg_config_int("logs.syslog_max_conns", 256);
	L.frame_max = (size_t)vg_config_int("logs.syslog_frame_max", 64 * 1024);
	L.frame_timeout_ms = vg_config_int("logs.syslog_frame_timeout", 10) * 1000;
	L.idle_timeout_ms = vg_config_int("logs.syslog_idle_timeout", 300) * 1000;
	if (L.maxc < 1 || L.maxc > 65536)
		return vg_error_set(err, VG_EUSAGE, "setting logs.syslog_max_conns: 1 to 65536");
	if (L.frame_max < 480 || L.frame_max > LOGS_MESSAGE_MAX)
		return vg_error_set(err, VG_EUSAGE, "setting logs.syslog_frame_max: 480 to %d",
				    LOGS_MESSAGE_MAX);
	if (L.frame_timeout_ms < 1000 || L.idle_timeout_ms < 1000)
		return vg_error_set(err, VG_EUSAGE,
				    "settings logs.syslog_frame_timeout and "
				    "logs.syslog_idle_timeout: at least 1 (seconds)");
	vg_arena_init_block(&L.mem, 0, 1 << 20);
	L.c = calloc(L.maxc, sizeof(*L.c));
	if (!L.c)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_open(db_url, 0, &L.s, err);
	if (rc)
		goto fail;
	store_set_actor(L.s, "syslog", "");
	if (plain && *plain && (L.lfd = listen_on(plain, "--syslog-listen", err)) < 0) {
		rc = err->code;
		goto fail;
	}
	if (tls && *tls) {
		rc = tls_setup(err);
		if (!rc && (L.tfd = listen_on(tls, "--syslog-tls-listen", err)) < 0)
			rc = err->code;
		if (rc)
			goto fail;
	}
	if (pipe2(L.wake, O_CLOEXEC | O_NONBLOCK)) {
		rc = vg_error_set(err, VG_EIO, "pipe: %s", strerror(errno));
		goto fail;
	}
	atomic_store(&L.stop, 0);
	if (pthread_create(&L.th, NULL, loop, NULL)) {
		rc = vg_error_set(err, VG_EIO, "cannot start the syslog thread");
		goto fail;
	}
	L.running = 1;
	if (L.lfd >= 0)
		vg_info("syslog (TCP) listening on %s", plain);
	if (L.tfd >= 0)
		vg_info("syslog (TLS) listening on %s", tls);
	return VG_OK;
fail:
	cleanup();
	return rc;
}

void logs_syslog_stop(void)
{
	if (!L.running)
		return;
	atomic_store(&L.stop, 1);
	if (write(L.wake[1], "x", 1) < 0) {
		/* the poll wakes within 100 ms anyway */
	}
	pthread_join(L.th, NULL);
	L.running = 0;
	vg_info("syslog: %lld frames, %lld events stored, %lld connections cut off, %lld "
		"refused, %lld framing errors",
		(long long)atomic_load(&L.frames), (long long)atomic_load(&L.events),
		(long long)atomic_load(&L.cut_off), (long long)atomic_load(&L.refused),
		(long long)atomic_load(&L.framing_errors));
	cleanup();
}
