/*
 * cmd_serve.c - `vigil init`, `vigil serve` and `vigil routes`: the
 * commands that wire the rooms' tables into the server.
 */
#define _POSIX_C_SOURCE 200809L
#include "app/app.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "http/http.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

/* The default SQLite database lives under ./var/: make the directory. */
static void make_var_dir(const struct cli *c)
{
	if (strncmp(c->db_url, "postgres", 8) != 0 && strncmp(c->db_url, "./var/", 6) == 0)
		mkdir("./var", 0750);
}

int cmd_init(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int ver = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	make_var_dir(c);
	rc = cli_open_store(c, 1, &s);
	if (rc)
		return rc;
	if (store_schema_version(s, &ver, &err)) {
		store_close(s);
		return cli_error(&err);
	}
	if (cli_flag(&a, "json"))
		cli_print_json(
		    json_pack("{s:s, s:i}", "database", store_url_safe(s), "schema_version", ver));
	else
		printf("database %s at schema version %d\n", store_url_safe(s), ver);
	store_close(s);
	return CLI_OK;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "listen=",          "threads=",        "body-limit=",
	    "port-file=",       "syslog-listen=",  "syslog-tls-listen=",
	    "syslog-tls-cert=", "syslog-tls-key=", NULL};
	const char *usage = "[--listen HOST:PORT] [--threads N] [--body-limit BYTES] "
			    "[--port-file FILE] [--syslog-listen ADDR:PORT] "
			    "[--syslog-tls-listen ADDR:PORT --syslog-tls-cert FILE "
			    "--syslog-tls-key FILE]";
	struct http_server_opts o = {0};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos)
		return cli_usage(c, "%s", usage);
	if (cli_opt(&a, "listen"))
		vg_config_set("server.listen", cli_opt(&a, "listen"));
	if (cli_opt(&a, "threads")) {
		int64_t n;
		if (cli_opt_int(c, &a, "threads", 1, 128, 4, &n))
			return CLI_USAGE;
		vg_config_set("server.threads", cli_opt(&a, "threads"));
	}
	if (cli_opt(&a, "body-limit"))
		vg_config_set("server.body_limit", cli_opt(&a, "body-limit"));
	/* the syslog listeners of the log store (evidence/log_syslog.c) */
	if (cli_opt(&a, "syslog-listen"))
		vg_config_set("logs.syslog_listen", cli_opt(&a, "syslog-listen"));
	if (cli_opt(&a, "syslog-tls-listen"))
		vg_config_set("logs.syslog_tls_listen", cli_opt(&a, "syslog-tls-listen"));
	if (cli_opt(&a, "syslog-tls-cert"))
		vg_config_set("logs.syslog_tls_cert", cli_opt(&a, "syslog-tls-cert"));
	if (cli_opt(&a, "syslog-tls-key"))
		vg_config_set("logs.syslog_tls_key", cli_opt(&a, "syslog-tls-key"));
	o.listen = vg_config_get("server.listen", "127.0.0.1:8080");
	o.threads = (unsigned)vg_config_int("server.threads", 4);
	o.body_limit = (size_t)vg_config_int("server.body_limit", 64LL * 1024 * 1024);
	o.port_file = cli_opt(&a, "port-file");
	o.db_url = c->db_url;
	o.routes = app_route_tables;
	o.authenticate = auth_http_authenticate;
	o.services = app_services;
	o.nav = app_nav;
	if (o.threads < 1 || o.threads > 128)
		return cli_usage(c, "--threads must be 1 to 128");
	if (o.body_limit < 1024)
		return cli_usage(c, "--body-limit must be at least 1024 bytes");
	make_var_dir(c);
	/* Migrations are applied at start; several servers may race safely. */
	rc = cli_open_store(c, 1, &s);
	if (rc)
		return rc;
	vg_info("database %s ready", store_url_safe(s));
	store_close(s);
	rc = http_serve(&o, &err);
	if (rc)
		return cli_error(&err);
	return CLI_OK;
}

static json_t *roles_list(int roles)
{
	static const int all[] = {ROLE_ADMIN, ROLE_PSIRT,  ROLE_AUDITOR,
				  ROLE_CI,    ROLE_DEVICE, ROLE_INGEST};
	json_t *arr = json_array();
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (roles & all[i])
			json_array_append_new(arr, json_string(vg_role_name(all[i])));
	return arr;
}

/* Every route of the program, in matching order (caller owns). */
static json_t *routes_json(void)
{
	json_t *arr = json_array();
	for (int t = 0; app_route_tables[t]; t++)
		for (const struct http_route *r = app_route_tables[t]; r->method; r++)
			json_array_append_new(
			    arr,
			    json_pack("{s:s, s:s, s:b, s:o, s:b, s:b, s:s}", "method", r->method,
				      "path", r->pattern, "public", (r->roles & ROLE_PUBLIC) != 0,
				      "roles", roles_list(r->roles), "ui",
				      (r->flags & HTTP_UI) != 0, "hidden",
				      (r->flags & HTTP_HIDDEN) != 0, "summary", r->summary));
	return arr;
}

/* Not cli_list(): the tables are the program's own, no database is opened. */
int cmd_routes(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	json_t *arr, *r;
	size_t i;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	arr = routes_json();
	if (cli_flag(&a, "json"))
		return cli_print_json(arr);
	json_array_foreach(arr, i, r)
	{
		char *roles = json_dumps(json_object_get(r, "roles"), JSON_COMPACT);
		printf("%-6s %-44s %s\n", vg_json_str(r, "method"), vg_json_str(r, "path"),
		       json_is_true(json_object_get(r, "public")) ? "public" : roles);
		free(roles);
	}
	json_decref(arr);
	return CLI_OK;
}
