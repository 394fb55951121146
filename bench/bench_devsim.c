/*
 * bench_devsim.c - a device simulator (issue 19 item 6): plays N enrolled
 * devices against `vigil serve`. Each device checks in with its installed
 * version; when told to install, it reports downloading, then installed,
 * or failed (error code E_SIM) for a configurable share of the installs,
 * and from then on says it runs the new version. Used by the rollout tests
 * (t8300-) and by bench/bench_checkin.sh (check-ins per second and p99).
 *
 *   bench_devsim --url http://127.0.0.1:PORT --devices FILE [--version V]
 *                [--fail-rate 0.1] [--threads 8] [--rounds 1]
 *                [--checkin-only --requests N] [--state FILE]
 *
 * FILE has one "ID TOKEN" line per device (what `vigil device enroll`
 * prints). --state keeps each device's installed version and last status
 * sequence between runs ("ID VERSION SEQ" lines; read when it exists,
 * written at the end), so that rounds of a test continue where they were.
 * Failures are injected exactly: of the k-th install (counted over all
 * threads), it fails when floor((k + 1) * rate) > floor(k * rate).
 * Prints one JSON object: counts and the latency of check-ins (p50, p99 in
 * milliseconds) and their rate per second.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct dev {
	char id[32];
	char token[72];
	char version[64];
	long long seq;
};

static struct dev *devs;
static size_t ndev;
static char host[64] = "127.0.0.1";
static int port;
static double fail_rate;
static int checkin_only;
static long long nrequests;
static int rounds = 1;
static const char *get_path; /* --get PATH: GET a static file instead (nginx) */
static atomic_llong install_k, n_checkins, n_offered, n_installed, n_failed, n_errors, n_next_req;
static double *lat; /* check-in latencies, ms */
static atomic_llong nlat;
static long long lat_cap;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int connect_to(void)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, host, &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* One POST on the keep-alive connection *fd (reconnects once). Returns the
 * status and the body in buf (NUL-terminated), or -1. */
static int post(int *fd, const char *path, const char *token, const char *body, char *buf,
		size_t bufsz)
{
	char req[1024];
	int n = get_path
		    ? snprintf(req, sizeof(req),
			       "GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n",
			       get_path, host, token)
		    : snprintf(req, sizeof(req),
			       "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer "
			       "%s\r\nContent-Type: application/json\r\nContent-Length: "
			       "%zu\r\n\r\n%s",
			       path, host, token, strlen(body), body);
	for (int attempt = 0; attempt < 2; attempt++) {
		size_t got = 0;
		char *hdr_end = NULL;
		long clen = -1;
		int status = -1;
		if (*fd < 0 && (*fd = connect_to()) < 0)
			return -1;
		if (write(*fd, req, (size_t)n) != n)
			goto retry;
		while (!hdr_end) {
			ssize_t r = read(*fd, buf + got, bufsz - 1 - got);
			if (r <= 0)
				goto retry;
			got += (size_t)r;
			buf[got] = '\0';
			hdr_end = strstr(buf, "\r\n\r\n");
			if (!hdr_end && got >= bufsz - 1)
				return -1;
		}
		sscanf(buf, "HTTP/1.%*d %d", &status);
		{
			char *cl = strcasestr(buf, "\r\nContent-Length:");
			if (cl && cl < hdr_end)
				clen = strtol(cl + 17, NULL, 10);
		}
		{
			size_t hlen = (size_t)(hdr_end + 4 - buf);
			size_t want = clen >= 0 ? hlen + (size_t)clen : got;
			if (want >= bufsz)
				return -1;
			while (got < want) {
				ssize_t r = read(*fd, buf + got, want - got);
				if (r <= 0)
					goto retry;
				got += (size_t)r;
			}
			memmove(buf, buf + hlen, got - hlen);
			buf[got - hlen] = '\0';
		}
		return status;
	retry:
		close(*fd);
		*fd = -1;
	}
	return -1;
}

static long long next_seq(struct dev *d)
{
	return ++d->seq;
}

static void report(int *fd, struct dev *d, long long rollout, const char *status, const char *err)
{
	char body[256], buf[4096];
	int st;
	snprintf(body, sizeof(body), "{\"rollout\":%lld,\"status\":\"%s\",\"seq\":%lld%s%s%s}",
		 rollout, status, next_seq(d), err ? ",\"error\":\"" : "", err ? err : "",
		 err ? "\"" : "");
	st = post(fd, "/api/v1/device/status", d->token, body, buf, sizeof(buf));
	if (st != 200) {
		atomic_fetch_add(&n_errors, 1);
		fprintf(stderr, "devsim: %s status %s: HTTP %d %s\n", d->id, status, st, buf);
	}
}

static void play(int *fd, struct dev *d)
{
	char body[256], buf[8192];
	double t0 = now_ms(), dt;
	int st;
	json_t *j;
	snprintf(body, sizeof(body), "{\"version\":\"%s\"}", d->version);
	st = post(fd, "/api/v1/device/checkin", d->token, body, buf, sizeof(buf));
	dt = now_ms() - t0;
	{
		long long i = atomic_fetch_add(&nlat, 1);
		if (i < lat_cap)
			lat[i] = dt;
	}
	atomic_fetch_add(&n_checkins, 1);
	if (st != 200) {
		atomic_fetch_add(&n_errors, 1);
		if (atomic_load(&n_errors) < 5)
			fprintf(stderr, "devsim: %s check-in: HTTP %d %s\n", d->id, st, buf);
		return;
	}
	if (checkin_only)
		return;
	j = json_loads(buf, 0, NULL);
	if (j && json_string_value(json_object_get(j, "action")) &&
	    strcmp(json_string_value(json_object_get(j, "action")), "install") == 0) {
		long long rollout = json_integer_value(json_object_get(j, "rollout"));
		const char *v = json_string_value(json_object_get(j, "version"));
		long long k = atomic_fetch_add(&install_k, 1);
		int fail =
		    (long long)((double)(k + 1) * fail_rate) > (long long)((double)k * fail_rate);
		atomic_fetch_add(&n_offered, 1);
		report(fd, d, rollout, "downloading", NULL);
		if (fail) {
			report(fd, d, rollout, "failed", "E_SIM");
			atomic_fetch_add(&n_failed, 1);
		} else {
			report(fd, d, rollout, "installed", NULL);
			snprintf(d->version, sizeof(d->version), "%s", v ? v : "");
			atomic_fetch_add(&n_installed, 1);
		}
	}
	json_decref(j);
}

static void *worker(void *arg)
{
	int fd = -1;
	(void)arg;
	for (;;) {
		long long i = atomic_fetch_add(&n_next_req, 1);
		if (i >= nrequests)
			break;
		play(&fd, &devs[i % (long long)ndev]);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *url = NULL, *file = NULL, *version = "", *state = NULL;
	int threads = 8;
	char line[256];
	FILE *f;
	pthread_t *tid;
	double t0, secs;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--url") && v)
			url = argv[++i];
		else if (!strcmp(a, "--devices") && v)
			file = argv[++i];
		else if (!strcmp(a, "--version") && v)
			version = argv[++i];
		else if (!strcmp(a, "--fail-rate") && v)
			fail_rate = strtod(argv[++i], NULL);
		else if (!strcmp(a, "--threads") && v)
			threads = atoi(argv[++i]);
		else if (!strcmp(a, "--rounds") && v)
			rounds = atoi(argv[++i]);
		else if (!strcmp(a, "--requests") && v)
			nrequests = atoll(argv[++i]);
		else if (!strcmp(a, "--state") && v)
			state = argv[++i];
		else if (!strcmp(a, "--get") && v)
			get_path = argv[++i], checkin_only = 1;
		else if (!strcmp(a, "--checkin-only"))
			checkin_only = 1;
		else {
			fprintf(stderr, "usage: bench_devsim --url http://HOST:PORT --devices FILE "
					"[--version V] [--fail-rate R] [--threads N] [--rounds N] "
					"[--checkin-only --requests N] [--state FILE]\n");
			return 2;
		}
	}
	if (!url || !file || sscanf(url, "http://%63[^:]:%d", host, &port) != 2 || threads < 1 ||
	    fail_rate < 0 || fail_rate > 1) {
		fprintf(stderr, "bench_devsim: --url http://HOST:PORT and --devices FILE needed\n");
		return 2;
	}
	if (!(f = fopen(file, "r"))) {
		fprintf(stderr, "bench_devsim: %s: %s\n", file, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct dev d;
		memset(&d, 0, sizeof(d));
		if (sscanf(line, "%31s %71s", d.id, d.token) != 2)
			continue;
		snprintf(d.version, sizeof(d.version), "%s", version);
		/* without --state, sequences start from the clock: later runs
		 * continue above earlier ones */
		d.seq = (long long)time(NULL) * 1000;
		devs = realloc(devs, (ndev + 1) * sizeof(*devs));
		if (!devs)
			return 1;
		devs[ndev++] = d;
	}
	fclose(f);
	if (!ndev) {
		fprintf(stderr, "bench_devsim: %s: no devices\n", file);
		return 1;
	}
	if (state && (f = fopen(state, "r"))) {
		char id[32], v[64];
		long long seq;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%31s %63s %lld", id, v, &seq) == 3)
				for (size_t i = 0; i < ndev; i++)
					if (!strcmp(devs[i].id, id)) {
						snprintf(devs[i].version, sizeof(devs[i].version),
							 "%s", strcmp(v, "-") ? v : "");
						devs[i].seq = seq;
					}
		fclose(f);
	}
	if (!nrequests)
		nrequests = (long long)ndev * rounds;
	lat_cap = nrequests;
	lat = calloc((size_t)lat_cap, sizeof(*lat));
	tid = calloc((size_t)threads, sizeof(*tid));
	if (!lat || !tid)
		return 1;
	t0 = now_ms();
	for (int i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, worker, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	secs = (now_ms() - t0) / 1000.0;
	{
		long long n = atomic_load(&nlat) < lat_cap ? atomic_load(&nlat) : lat_cap;
		double p50 = 0, p99 = 0;
		qsort(lat, (size_t)n, sizeof(*lat), cmp_d);
		if (n) {
			p50 = lat[n / 2];
			p99 = lat[(long long)((double)(n - 1) * 0.99)];
		}
		printf("{\"devices\":%zu,\"checkins\":%lld,\"offered\":%lld,\"installed\":%lld,"
		       "\"failed\":%lld,\"errors\":%lld,\"seconds\":%.3f,\"per_second\":%.0f,"
		       "\"p50_ms\":%.2f,\"p99_ms\":%.2f}\n",
		       ndev, (long long)atomic_load(&n_checkins),
		       (long long)atomic_load(&n_offered), (long long)atomic_load(&n_installed),
		       (long long)atomic_load(&n_failed), (long long)atomic_load(&n_errors), secs,
		       secs > 0 ? (double)atomic_load(&n_checkins) / secs : 0, p50, p99);
	}
	if (state && (f = fopen(state, "w"))) {
		for (size_t i = 0; i < ndev; i++)
			fprintf(f, "%s %s %lld\n", devs[i].id,
				devs[i].version[0] ? devs[i].version : "-", devs[i].seq);
		fclose(f);
	}
	free(lat);
	free(tid);
	free(devs);
	return atomic_load(&n_errors) ? 1 : 0;
}
