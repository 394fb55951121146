/*
 * cmd_serve.c - `vigil serve`, `vigil routes` and `vigil demo`.
 */
#define _POSIX_C_SOURCE 200809L
#include "auth/auth.h"
#include "core/asset.h"
#include "sbom/inventory.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "http/http.h"
#include "store/store.h"
#include "vuln/osv.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cmd_serve(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "listen=", "threads=", "body-limit=", "port-file=", NULL};
	const char *usage = "[--listen HOST:PORT] [--threads N] [--body-limit BYTES] "
			    "[--port-file FILE]";
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
	if (cli_opt(&a, "threads"))
		vg_config_set("server.threads", cli_opt(&a, "threads"));
	if (cli_opt(&a, "body-limit"))
		vg_config_set("server.body_limit", cli_opt(&a, "body-limit"));
	o.listen = vg_config_get("server.listen", "127.0.0.1:8080");
	o.threads = (unsigned)vg_config_int("server.threads", 4);
	o.body_limit = (size_t)vg_config_int("server.body_limit", 64LL * 1024 * 1024);
	o.port_file = cli_opt(&a, "port-file");
	o.job_tick = vg_config_int("jobs.tick", 10);
	o.db_url = c->db_url;
	if (o.threads < 1 || o.threads > 128)
		return cli_usage(c, "--threads must be 1 to 128");
	if (o.body_limit < 1024)
		return cli_usage(c, "--body-limit must be at least 1024 bytes");
	if (strncmp(c->db_url, "postgres", 8) != 0 && strncmp(c->db_url, "./var/", 6) == 0)
		mkdir("./var", 0750);
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
	static const int all[] = {ROLE_ADMIN, ROLE_PSIRT, ROLE_AUDITOR, ROLE_CI, ROLE_DEVICE};
	json_t *arr = json_array();
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (roles & all[i])
			json_array_append_new(arr, json_string(auth_role_name(all[i])));
	return arr;
}

int cmd_routes(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	json_t *arr = json_array();

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	for (int t = 0; http_route_tables[t]; t++)
		for (const struct http_route *r = http_route_tables[t]; r->method; r++)
			json_array_append_new(
			    arr,
			    json_pack("{s:s, s:s, s:b, s:o, s:b, s:b, s:s}", "method", r->method,
				      "path", r->pattern, "public", (r->roles & ROLE_PUBLIC) != 0,
				      "roles", roles_list(r->roles), "ui",
				      (r->flags & HTTP_UI) != 0, "hidden",
				      (r->flags & HTTP_HIDDEN) != 0, "summary", r->summary));
	if (cli_flag(&a, "json"))
		return cli_print_json(arr);
	{
		size_t i;
		json_t *r;
		json_array_foreach(arr, i, r)
		{
			char *roles = json_dumps(json_object_get(r, "roles"), JSON_COMPACT);
			printf("%-6s %-44s %s\n", vg_json_str(r, "method"), vg_json_str(r, "path"),
			       json_is_true(json_object_get(r, "public")) ? "public" : roles);
			free(roles);
		}
	}
	json_decref(arr);
	return CLI_OK;
}

/* The demo data set: people for each role. Later rooms add products, SBOMs,
 * advisories and cases here. Idempotent: existing records are kept. */
static int demo_osv_rec(void *arg, const struct advisory *a, struct vg_error *err)
{
	return vulndb_import_add(arg, a, err);
}

/* Demo advisories (demo/osv-demo.json, written for vigil) after the SBOMs:
 * findings for the triage queue. Re-importing changes nothing. */
static int demo_advisories(struct store *s, struct vg_error *err)
{
	const struct vg_asset *da =
	    vg_asset_find(vg_demo_assets, vg_demo_assets_count, "osv-demo.json");
	struct vulndb_import *im = NULL;
	int rc;
	if (!da)
		return VG_OK;
	if ((rc = vulndb_import_begin(s, "osv", "demo/osv-demo.json", &im, err)))
		return rc;
	rc = osv_read_buffer((const char *)da->data, da->len, "osv-demo.json", demo_osv_rec, NULL,
			     im, NULL, err);
	if (rc) {
		vulndb_import_abort(im);
		return rc;
	}
	return vulndb_import_end(im, NULL, err);
}

static int demo_load(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char *name, *role, *pw;
	} people[] = {
	    {"admin", "admin", "vigil-demo-admin"},
	    {"psirt", "psirt", "vigil-demo-psirt"},
	    {"auditor", "auditor", "vigil-demo-auditor"},
	};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "", &a);
	if (strncmp(c->db_url, "postgres", 8) != 0 && strncmp(c->db_url, "./var/", 6) == 0)
		mkdir("./var", 0750);
	rc = cli_open_store(c, 1, &s);
	if (rc)
		return rc;
	store_set_actor(s, "demo", "local");
	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		int64_t n = 0;
		store_query_int64(s, &n, NULL, "SELECT COUNT(*) FROM users WHERE name = ?", "t",
				  people[i].name);
		if (n)
			continue;
		if (auth_user_add(s, people[i].name, people[i].role, people[i].pw, &err)) {
			store_close(s);
			return cli_error(&err);
		}
	}
	/* A product with two firmware versions and their SBOMs (demo/, written for vigil). */
	{
		int64_t n = 0;
		store_query_int64(s, &n, NULL, "SELECT COUNT(*) FROM products WHERE name = ?", "t",
				  "acme-gateway");
		if (!n) {
			struct product_info p = {.name = "acme-gateway",
						 .vendor = "ACME Devices",
						 .cra_class = "important-1",
						 .support_until = "2031-12",
						 .placed_on_market = "2026-03-01"};
			static const char *const files[][2] = {
			    {"acme-gateway-1.0.0.cdx.json", "1.0.0"},
			    {"acme-gateway-1.1.0.cdx.json", "1.1.0"},
			};
			if (product_create(s, &p, &err)) {
				store_close(s);
				return cli_error(&err);
			}
			for (size_t i = 0; i < 2; i++) {
				const struct vg_asset *da = vg_asset_find(
				    vg_demo_assets, vg_demo_assets_count, files[i][0]);
				struct sbom_import_req r = {.product = "acme-gateway",
							    .version = files[i][1],
							    .filename = files[i][0]};
				struct sbom_import_result res;
				if (!da)
					continue;
				r.data = (const char *)da->data;
				r.n = da->len;
				if (sbom_import(s, &r, &res, &err)) {
					store_close(s);
					return cli_error(&err);
				}
			}
		}
	}
	if (demo_advisories(s, &err)) {
		store_close(s);
		return cli_error(&err);
	}
	store_close(s);
	printf("demo data loaded into %s\n", c->db_url);
	printf("demo logins: admin / vigil-demo-admin, psirt / vigil-demo-psirt, auditor / "
	       "vigil-demo-auditor\n");
	return CLI_OK;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"load", demo_load, "load the demo data set (idempotent)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "demo", "A small demo data set for trying vigil.", verbs, argc,
			    argv);
}
