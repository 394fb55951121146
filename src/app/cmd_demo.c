/*
 * cmd_demo.c - `vigil demo load`: a small data set for trying vigil, made
 * through the rooms' own functions (users, a product with two SBOMs, demo
 * advisories). Idempotent: existing records are kept.
 */
#define _POSIX_C_SOURCE 200809L
#include "app/app.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/asset.h"
#include "core/error.h"
#include "sbom/inventory.h"
#include "sbom/product.h"
#include "store/store.h"
#include "vuln/osv.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

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
		int exists = 0;
		if (auth_user_exists(s, people[i].name, &exists, &err)) {
			store_close(s);
			return cli_error(&err);
		}
		if (exists)
			continue;
		if (auth_user_add(s, people[i].name, people[i].role, people[i].pw, &err)) {
			store_close(s);
			return cli_error(&err);
		}
	}
	/* A product with two firmware versions and their SBOMs (demo/, written for vigil). */
	{
		struct product have = {0};
		int exists = product_get(s, "acme-gateway", &have, NULL) == VG_OK;
		product_release(&have);
		if (!exists) {
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
