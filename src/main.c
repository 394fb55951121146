/*
 * main.c - vigil's entry point: global options, then the noun table
 * (git style: one function per noun, each in its room).
 */
#include "cli/cli.h"
#include "core/config.h"
#include "core/error.h"
#include "notify/notify.h"
#include "psirt/art14.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *summary;
} nouns[] = {
    {"init", cmd_init, "create or upgrade the database (apply migrations)"},
    {"serve", cmd_serve, "run the web server and API"},
    {"user", cmd_user, "manage users (add, list, passwd, disable)"},
    {"token", cmd_token, "manage API tokens (create, list, revoke)"},
    {"audit", cmd_audit, "read and verify the tamper-evident audit trail"},
    {"demo", cmd_demo, "load the demo data set"},
    {"product", cmd_product, "manage products and their versions"},
    {"sbom", cmd_sbom, "import, list, diff and export SBOMs"},
    {"notify", cmd_notify, "notification channels, rules and the delivery log"},
    {"vuln", cmd_vuln, "version order, vers ranges, vulnerability matching"},
    {"routes", cmd_routes, "list the HTTP routes and the roles allowed on each"},
    {"purl", cmd_purl, "parse and canonicalise package-urls"},
    {"securitytxt", cmd_securitytxt, "validate, generate and sign security.txt (RFC 9116)"},
    {"feed", cmd_feed, "import vulnerability feeds (OSV, CISA KEV)"},
    {"findings", cmd_findings, "list findings (component x vulnerability per product version)"},
    {"sla", cmd_sla, "SLA policies for findings and the alert run"},
    {"vex", cmd_vex, "VEX export and import (CycloneDX, CSAF, OpenVEX)"},
    {"art14", cmd_art14, "CRA Article 14 clocks, drafts, approvals and filing record"},
    {"incident", cmd_incident, "record severe incidents (CRA Article 14(3))"},
    {"case", cmd_case, "PSIRT cases: reports, acknowledgement, workflow, messages"},
    {"oncall", cmd_oncall, "on-call paging: rotations, escalation policies, pages, drills"},
    {"pgp", cmd_pgp, "the PSIRT OpenPGP key: status, expiry, rotation"},
    {"cvss", cmd_cvss, "parse CVSS vectors (v2, v3.0, v3.1, v4.0) and compute their scores"},
};

static void help(FILE *out)
{
	fprintf(out, "usage: vigil [--db URL] [--config FILE] <noun> <verb> [options]\n\n"
		     "vigil: the operational machinery of the EU Cyber Resilience Act.\n\n"
		     "global options:\n"
		     "  --db URL        SQLite path or postgresql:// URL (env VIGIL_DB;\n"
		     "                  default ./var/vigil.db)\n"
		     "  --config FILE   INI configuration file (env VIGIL_CONFIG)\n"
		     "  --version       print the version\n\n"
		     "commands:\n");
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		fprintf(out, "  %-10s %s\n", nouns[i].name, nouns[i].summary);
	fprintf(out,
		"\n'vigil <noun> --help' describes a command. Machine-readable output: --json.\n");
}

/* Take a global option (--db X, --db=X) out of argv wherever it stands. */
static const char *take_opt(int *argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	const char *val = NULL;
	for (int i = 1; i < *argc; i++) {
		int drop = 0;
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], name) == 0 && i + 1 < *argc) {
			val = argv[i + 1];
			drop = 2;
		} else if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') {
			val = argv[i] + n + 1;
			drop = 1;
		}
		if (drop) {
			memmove(&argv[i], &argv[i + drop],
				(size_t)(*argc - i - drop + 1) * sizeof(char *));
			*argc -= drop;
			i--;
		}
	}
	return val;
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	struct vg_error err = {0};
	const char *db, *config;
	int rc;

	db = take_opt(&argc, argv, "--db");
	config = take_opt(&argc, argv, "--config");
	if (!config)
		config = getenv("VIGIL_CONFIG");
	if (config && vg_config_load(config, &err) != VG_OK) {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
		return CLI_FAIL;
	}
	if (!db)
		db = getenv("VIGIL_DB");
	if (!db)
		db = vg_config_get("database.url", "./var/vigil.db");
	c.db_url = db;
	notify_init();
	art14_init();
	c.prog = "vigil";
	triage_init();
	oncall_init();

	if (argc < 2) {
		help(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("vigil %s\n", VIGIL_VERSION);
		return CLI_OK;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
				if (strcmp(nouns[i].name, argv[2]) == 0) {
					char helpopt[] = "--help";
					char *hargv[] = {argv[2], helpopt, NULL};
					c.path = nouns[i].name;
					rc = nouns[i].fn(&c, 2, hargv);
					vg_config_free();
					return rc;
				}
		}
		help(stdout);
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++) {
		if (strcmp(nouns[i].name, argv[1]) == 0) {
			char path[64];
			snprintf(path, sizeof(path), "vigil %s", argv[1]);
			c.path = path;
			rc = nouns[i].fn(&c, argc - 1, argv + 1);
			vg_config_free();
			return rc;
		}
	}
	if (argv[1][0] == '-')
		fprintf(stderr, "vigil: unknown option '%s'\n", argv[1]);
	else
		fprintf(stderr, "vigil: '%s' is not a vigil command\n", argv[1]);
	help(stderr);
	return CLI_USAGE;
}
