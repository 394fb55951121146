/*
 * cmd_demo.c - `vigil demo load`: a small data set for trying vigil, made
 * through the rooms' own functions (users, a product with two SBOMs, demo
 * advisories). Idempotent: existing records are kept.
 *
 * Safe by default: a database that already has users is refused unless
 * --force is given (--if-empty skips it quietly instead, for `make run`),
 * and the demo accounts get random passwords, printed once to stdout and
 * stored only as argon2id hashes.
 */
#define _POSIX_C_SOURCE 200809L
#include "app/app.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/asset.h"
#include "core/error.h"
#include "core/hash.h"
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

/* Refuse a database that has users unless forced: demo accounts with known
 * roles do not belong in a real installation. *skip 1 with --if-empty. */
static int demo_check_empty(struct store *s, const struct cli_args *a, int *skip)
{
	struct auth_user_list users;
	struct vg_error err = {0};
	size_t n;

	*skip = 0;
	if (cli_flag(a, "force"))
		return CLI_OK;
	if (auth_user_list(s, &users, &err))
		return cli_error(&err);
	n = users.n;
	auth_user_list_release(&users);
	if (n == 0)
		return CLI_OK;
	if (cli_flag(a, "if-empty")) {
		printf("demo data not loaded: %s already has %zu user%s (the demo logins were "
		       "printed when it was loaded; `vigil user passwd admin` sets a new "
		       "password)\n",
		       store_url_safe(s), n, n == 1 ? "" : "s");
		*skip = 1;
		return CLI_OK;
	}
	return cli_fail("%s already has %zu user%s: the demo data would add accounts "
			"(admin, psirt, auditor) to it; give --force to load it anyway",
			store_url_safe(s), n, n == 1 ? "" : "s");
}

static int demo_load(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"force", "if-empty", NULL};
	static const struct {
		const char *name, *role;
	} people[] = {
	    {"admin", "admin"},
	    {"psirt", "psirt"},
	    {"auditor", "auditor"},
	};
	enum { NPEOPLE = sizeof(people) / sizeof(people[0]) };
	/* the passwords made for the accounts this run created ("" when kept) */
	char pw[NPEOPLE][48];
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc, skip = 0, made;

	memset(pw, 0, sizeof(pw));
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--force | --if-empty]", &a);
	if (strncmp(c->db_url, "postgres", 8) != 0 && strncmp(c->db_url, "./var/", 6) == 0)
		mkdir("./var", 0750);
	rc = cli_open_store(c, 1, &s);
	if (rc)
		return rc;
	rc = demo_check_empty(s, &a, &skip);
	if (rc || skip) {
		store_close(s);
		return rc;
	}
	store_set_actor(s, "demo", "local");
	for (size_t i = 0; i < NPEOPLE; i++) {
		int exists = 0;
		if (auth_user_exists(s, people[i].name, &exists, &err)) {
			rc = cli_error(&err);
			goto out;
		}
		if (exists)
			continue;
		if (vg_random_token(pw[i], sizeof(pw[i]), 18)) {
			rc = cli_fail("cannot make a random password");
			goto out;
		}
		if (auth_user_add(s, people[i].name, people[i].role, pw[i], &err)) {
			rc = cli_error(&err);
			goto out;
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
						 .placed_on_market = "2026-03-01",
						 .public_set = 1,
						 .is_public = 1}; /* offered on /report */
			static const char *const files[][2] = {
			    {"acme-gateway-1.0.0.cdx.json", "1.0.0"},
			    {"acme-gateway-1.1.0.cdx.json", "1.1.0"},
			};
			if (product_create(s, &p, &err)) {
				rc = cli_error(&err);
				goto out;
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
					rc = cli_error(&err);
					goto out;
				}
			}
		}
	}
	if (demo_advisories(s, &err)) {
		rc = cli_error(&err);
		goto out;
	}
	printf("demo data loaded into %s\n", store_url_safe(s));
out:
	/* the accounts made are there even when a later step failed: say how to
	 * log in to them, this once */
	made = 0;
	for (size_t i = 0; i < NPEOPLE; i++)
		made += pw[i][0] != '\0';
	if (made)
		printf("demo logins (shown this once; only a hash of each password is kept):\n");
	for (size_t i = 0; i < NPEOPLE; i++) {
		if (pw[i][0])
			printf("  %s / %s\n", people[i].name, pw[i]);
		else if (!rc)
			printf("  %s: already there, password unchanged\n", people[i].name);
	}
	fflush(stdout);
	vg_wipe(pw, sizeof(pw));
	store_close(s);
	return rc;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"load", demo_load,
	     "load the demo data set and print its random passwords once (a database with "
	     "users: refused, --force loads anyway, --if-empty skips)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "demo", "A small demo data set for trying vigil.", verbs, argc,
			    argv);
}
