/*
 * cmd_serve.c - `vigil init`, `vigil serve` and `vigil routes`: the
 * commands that wire the rooms' tables into the server.
 */
#define _POSIX_C_SOURCE 200809L
#include "app/app.h"
#include "audit/checkpoint.h"
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
	static const char *const spec[] = {"json", "to=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t to = 0;
	int ver = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--to N] [--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--to N] [--json]");
	if ((rc = cli_opt_int(c, &a, "to", 1, store_schema_target(), 0, &to)))
		return rc;
	make_var_dir(c);
	if (to) {
		/* an earlier schema version (the upgrade test; staged upgrades) */
		if (store_open_unchecked(c->db_url, &s, &err) ||
		    store_migrate_to(s, (int)to, &err)) {
			store_close(s);
			return cli_error(&err);
		}
	} else {
		rc = cli_open_store(c, 1, &s);
	}
	if (rc)
		return rc;
	if (store_schema_version(s, &ver, &err)) {
		store_close(s);
		return cli_error(&err);
	}
	/* the checkpoint signing key (a key file unless audit.signer names another signer) */
	{
		const char *sg = vg_config_get("audit.signer", "");
		char *vkey = NULL;
		if ((!*sg || strcmp(sg, "key-file") == 0) && audit_key_init(&vkey, &err))
			fprintf(stderr, "vigil: warning: %s\n", vg_error_msg(&err));
		free(vkey);
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
	static const char *const spec[] = {"listen=",
					   "public-listen=",
					   "threads=",
					   "body-limit=",
					   "port-file=",
					   "public-port-file=",
					   "tls-cert=",
					   "tls-key=",
					   "public-tls-cert=",
					   "public-tls-key=",
					   "trusted-proxy=",
					   "syslog-listen=",
					   "syslog-tls-listen=",
					   "syslog-tls-cert=",
					   "syslog-tls-key=",
					   NULL};
	const char *usage =
	    "[--listen HOST:PORT] [--tls-cert FILE --tls-key FILE] [--public-listen HOST:PORT] "
	    "[--public-tls-cert FILE --public-tls-key FILE] [--trusted-proxy CIDR[,CIDR...]] "
	    "[--threads N] [--body-limit BYTES] [--port-file FILE] [--public-port-file FILE] "
	    "[--syslog-listen ADDR:PORT] [--syslog-tls-listen ADDR:PORT --syslog-tls-cert FILE "
	    "--syslog-tls-key FILE]";
	/* an option given wins over its setting (INI or environment) */
	static const char *const settings[][2] = {
	    {"listen", "server.listen"},
	    {"public-listen", "server.public_listen"},
	    {"tls-cert", "server.tls_cert"},
	    {"tls-key", "server.tls_key"},
	    {"public-tls-cert", "server.public_tls_cert"},
	    {"public-tls-key", "server.public_tls_key"},
	    {"trusted-proxy", "server.trusted_proxies"},
	};
	struct http_server_opts o = {0};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos)
		return cli_usage(c, "%s", usage);
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (cli_opt(&a, settings[i][0]))
			vg_config_set(settings[i][1], cli_opt(&a, settings[i][0]));
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
	o.public_listen = vg_config_get("server.public_listen", NULL);
	if (o.public_listen && !*o.public_listen)
		o.public_listen = NULL;
	if (o.public_listen && strcmp(o.public_listen, o.listen) == 0 &&
	    strcmp(strrchr(o.listen, ':') ? strrchr(o.listen, ':') : "", ":0") != 0)
		return cli_usage(c, "--public-listen %s is the same address as --listen", o.listen);
	o.port_file = cli_opt(&a, "port-file");
	o.public_port_file = cli_opt(&a, "public-port-file");
	o.tls_cert = vg_config_get("server.tls_cert", NULL);
	o.tls_key = vg_config_get("server.tls_key", NULL);
	o.public_tls_cert = vg_config_get("server.public_tls_cert", NULL);
	o.public_tls_key = vg_config_get("server.public_tls_key", NULL);
	if (!o.tls_cert != !o.tls_key)
		return cli_usage(c, "--tls-cert and --tls-key go together");
	if (!o.public_tls_cert != !o.public_tls_key)
		return cli_usage(c, "--public-tls-cert and --public-tls-key go together");
	if (o.public_tls_cert && !o.public_listen)
		return cli_usage(c, "--public-tls-cert needs --public-listen");
	if (o.public_port_file && !o.public_listen)
		return cli_usage(c, "--public-port-file needs --public-listen");
	o.db_url = c->db_url;
	o.routes = app_route_tables;
	o.authenticate = auth_http_authenticate;
	o.services = app_services;
	o.nav = app_nav;
	if (o.threads < 1 || o.threads > 128)
		return cli_usage(c, "--threads must be 1 to 128");
	if (o.body_limit < 1024)
		return cli_usage(c, "--body-limit must be at least 1024 bytes");
	/* single sign-on: never start half-configured (the key at fault named) */
	if (auth_oidc_check(1, &err))
		return cli_error(&err);
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
			    arr, json_pack("{s:s, s:s, s:s, s:b, s:o, s:b, s:b, s:s}", "method",
					   r->method, "path", r->pattern, "listener",
					   (r->flags & HTTP_PUBLIC_FACE) ? "public" : "internal",
					   "public", (r->roles & ROLE_PUBLIC) != 0, "roles",
					   roles_list(r->roles), "ui", (r->flags & HTTP_UI) != 0,
					   "hidden", (r->flags & HTTP_HIDDEN) != 0, "summary",
					   r->summary));
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
		printf("%-6s %-44s %-8s %s\n", vg_json_str(r, "method"), vg_json_str(r, "path"),
		       vg_json_str(r, "listener"),
		       json_is_true(json_object_get(r, "public")) ? "public" : roles);
		free(roles);
	}
	json_decref(arr);
	return CLI_OK;
}
