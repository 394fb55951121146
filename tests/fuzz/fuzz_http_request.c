/*
 * fuzz_http_request.c - the whole HTTP request as it arrives on a socket:
 * request line, headers, cookies, query string and body, through
 * libmicrohttpd and every step of vigil's server that follows (http/http.h
 * http_harness_request(): one client connection, no socket to listen on):
 * the framing checks, the client address from X-Forwarded-For (127.0.0.1 is
 * a trusted proxy here), the router over the real route table of the
 * program (404/405, HEAD, path parameters decoded, the public face), the
 * real authenticate hook (Bearer, X-Api-Key, the session cookie; an admin
 * token of a known value exists, see FUZZ_TOKEN), the body limits and the
 * budget, spooling, CSRF, the anonymous form kept for after the login, and
 * the error pages of /ui/. Handlers are replaced by one that reads what a
 * handler reads (path parameters, query arguments as text and as numbers,
 * Authorization, X-Forwarded-For, Content-Type, Range, If-None-Match,
 * cookies, the form fields, the JSON body, the multipart parts) and echoes
 * it as JSON, except a few read-only ones kept real (health, the OpenAPI
 * document, the login page). The input is the bytes a client sends; several
 * requests on one connection are allowed. Checks: no crash, leak or
 * sanitizer report; the answer, when there is one, starts with a status
 * line "HTTP/1.x NNN " with a status from 100 to 599, and none is a 500.
 * VIGIL_FUZZ_PRINT=1 prints each answer to stderr (running inputs by hand).
 */
#define _POSIX_C_SOURCE 200809L
#include "app/app.h"
#include "auth/auth.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/log.h"
#include "http/http.h"
#include "http/multipart.h"
#include "store/store.h"
#include "update/tuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An admin API token of this value exists in the fuzz database. */
#define FUZZ_TOKEN "vgl_FUZZadminFUZZadminFUZZadminFUZZadminFUZZadm"

static const char *const query_names[] = {"q",     "limit", "offset",  "sort", "dir",
					  "state", "since", "product", "page", "format"};
static const char *const header_names[] = {
    "Authorization", "X-Forwarded-For", "Content-Type", "Range",
    "If-None-Match", "Cookie",          "X-CSRF-Token", "Host"};

/* What a handler reads of a request, echoed as JSON. */
static int echo(struct http_req *req, struct http_resp *resp)
{
	json_t *o = json_object(), *v;
	const char *ct = http_header(req, "Content-Type");
	const char *range = http_header(req, "Range");
	char buf[1100];
	int64_t n;

	if (!o)
		return http_error(resp, VG_ENOMEM, "out of memory");
	for (int i = 0; i < req->nparams; i++)
		json_object_set_new(o, req->param_names[i], json_string(req->param_values[i]));
	for (size_t i = 0; i < sizeof(query_names) / sizeof(query_names[0]); i++) {
		const char *q = http_query(req, query_names[i]);
		if (q)
			json_object_set_new(o, query_names[i], json_string(q));
	}
	/* a number out of range or not a number is the handler's 400 */
	if (http_query_int(req, resp, "limit", 1, 1000, 50, &n)) {
		json_decref(o);
		return VG_EINVAL;
	}
	for (size_t i = 0; i < sizeof(header_names) / sizeof(header_names[0]); i++) {
		const char *h = http_header(req, header_names[i]);
		if (h)
			json_object_set_new(o, header_names[i], json_string(h));
	}
	if (http_cookie(req, "vigil_session"))
		json_object_set_new(o, "session", json_string(http_cookie(req, "vigil_session")));
	if (http_cookie(req, "vigil_login"))
		json_object_set_new(o, "login", json_string(http_cookie(req, "vigil_login")));
	if (range) {
		size_t from = 0, to = 0;
		json_object_set_new(o, "range",
				    json_integer(tuf_range_parse(range, 1000, &from, &to)));
	}
	if (http_form(req, "csrf", buf, sizeof(buf)) == VG_OK)
		json_object_set_new(o, "csrf", json_string(buf));
	if (http_form(req, "user", buf, sizeof(buf)) == VG_OK)
		json_object_set_new(o, "user", json_string(buf));
	if (ct && strncasecmp(ct, "application/json", 16) == 0 && req->body.len) {
		v = http_body_json(req, resp);
		if (!v) {
			json_decref(o);
			return VG_EPARSE;
		}
		json_object_set_new(o, "json", v);
	}
	if (ct && strncasecmp(ct, "multipart/", 10) == 0) {
		struct mp_part parts[8];
		struct vg_error err = {0};
		int np = 0;
		if (mp_parse(ct, req->body.data ? req->body.data : "", req->body.len, parts, 8, &np,
			     &err)) {
			json_decref(o);
			return http_fail(resp, &err);
		}
		json_object_set_new(o, "parts", json_integer(np));
		if (mp_find(parts, np, "file"))
			json_object_set_new(o, "file", json_integer(1));
	}
	json_object_set_new(o, "remote", json_string(req->remote));
	json_object_set_new(o, "who", json_string(req->who.name));
	/* a value that is not UTF-8 makes json_string() NULL: the object
	 * simply lacks it, as in real handlers */
	return http_json(resp, 200, o);
}

static struct http_route *g_copy;
static const struct http_route *g_tables[2];

/* The program's routes, each with the echo handler but the read-only few. */
static int copy_routes(void)
{
	size_t n = 0, k = 0;
	for (int t = 0; app_route_tables[t]; t++)
		for (const struct http_route *r = app_route_tables[t]; r->method; r++)
			n++;
	g_copy = calloc(n + 1, sizeof(*g_copy));
	if (!g_copy)
		return -1;
	for (int t = 0; app_route_tables[t]; t++)
		for (const struct http_route *r = app_route_tables[t]; r->method; r++) {
			int keep = strcmp(r->method, "GET") == 0 &&
				   (strcmp(r->pattern, "/api/v1/health") == 0 ||
				    strcmp(r->pattern, "/api/v1/openapi.json") == 0 ||
				    strcmp(r->pattern, "/ui/login") == 0);
			g_copy[k] = *r;
			if (!keep)
				g_copy[k].fn = echo;
			k++;
		}
	g_tables[0] = g_copy;
	return 0;
}

static char g_dir[] = "/tmp/vigil-fuzz-http-XXXXXX";
static char g_db[128], g_key[128], g_tmp[128];

static void cleanup(void)
{
	http_harness_stop();
	free(g_copy);
	unlink(g_db);
	unlink(g_key);
	{
		char p[160];
		snprintf(p, sizeof(p), "%s-wal", g_db);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", g_db);
		unlink(p);
	}
	rmdir(g_tmp);
	rmdir(g_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct http_server_opts o = {0};
	struct vg_error err = {0};
	struct store *s = NULL;
	char tok[128], hash[VG_SHA256_HEX];

	(void)argc;
	(void)argv;
	if (!mkdtemp(g_dir))
		abort();
	snprintf(g_db, sizeof(g_db), "%s/vigil.db", g_dir);
	snprintf(g_key, sizeof(g_key), "%s/secret.key", g_dir);
	snprintf(g_tmp, sizeof(g_tmp), "%s/tmp", g_dir);
	if (mkdir(g_tmp, 0700) != 0)
		abort();
	setenv("VIGIL_SECRETS_KEY_FILE", g_key, 1);
	vg_config_set("server.tmp_dir", g_tmp);
	vg_config_set("server.trusted_proxies", "127.0.0.1");
	vg_config_set("server.access_log", "off");
	vg_log_set_level(VG_LOG_ERROR);
	if (store_open(g_db, 1, &s, &err) ||
	    auth_token_create(s, "fuzz", "admin", 0, tok, sizeof(tok), &err)) {
		fprintf(stderr, "fuzz_http_request: %s\n", vg_error_msg(&err));
		abort();
	}
	vg_sha256_hex(FUZZ_TOKEN, strlen(FUZZ_TOKEN), hash);
	{
		int rc = store_tx_begin(s, &err);
		if (!rc)
			rc = store_exec(s, &err,
					"UPDATE api_tokens SET token_hash = ? WHERE name = 'fuzz'",
					"t", hash);
		if (!rc)
			rc = store_audit(s, "token.fuzz", "token", "fuzz", NULL, NULL, &err);
		if (store_tx_end(s, rc, &err)) {
			fprintf(stderr, "fuzz_http_request: %s\n", vg_error_msg(&err));
			abort();
		}
	}
	store_close(s);
	if (copy_routes())
		abort();
	o.db_url = g_db;
	o.threads = 1;
	o.body_limit = 1 << 20;
	o.routes = g_tables;
	o.nav = app_nav;
	o.authenticate = auth_http_authenticate;
	if (http_harness_start(&o, &err)) {
		fprintf(stderr, "fuzz_http_request: %s\n", vg_error_msg(&err));
		abort();
	}
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 16];
	long n;

	if (size > 1 << 18)
		return 0;
	n = http_harness_request(data, size, out, sizeof(out));
	if (n < 0)
		abort();
	if (getenv("VIGIL_FUZZ_PRINT")) /* to see what a reproduced input was answered */
		fprintf(stderr, "%.*s\n----\n",
			(int)(n < (long)sizeof(out) ? n : (long)sizeof(out)), out);
	if (n > 0) {
		int st;
		if ((size_t)n < 13 || strncmp(out, "HTTP/1.", 7) != 0 || out[8] != ' ' ||
		    out[12] != ' ')
			abort();
		st = (out[9] - '0') * 100 + (out[10] - '0') * 10 + (out[11] - '0');
		if (st < 100 || st > 599 || st == 500)
			abort();
	}
	return 0;
}
