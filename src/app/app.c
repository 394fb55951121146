/*
 * app.c - vigil's entry point: global options, then the noun table
 * (git style: one function per noun, each in its room, listed in
 * tables.c).
 */
#include "app/app.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/error.h"
#include "core/fault.h"
#include "store/store.h"

#include <archive.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <zstd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#ifndef VIGIL_BUILD_TYPE
#define VIGIL_BUILD_TYPE "unknown"
#endif
#ifndef VIGIL_BUILD_SANITIZE
#define VIGIL_BUILD_SANITIZE 0
#endif
#ifndef VIGIL_BUILD_WERROR
#define VIGIL_BUILD_WERROR 0
#endif
#ifndef VIGIL_BUILD_FUZZ
#define VIGIL_BUILD_FUZZ 0
#endif

json_t *app_version_json(void)
{
	char pq[16];
	int v = PQlibVersion();

	snprintf(pq, sizeof(pq), "%d.%d", v / 10000, v % 10000);
	return json_pack("{s:s, s:i, s:{s:s, s:b, s:b, s:b, s:b, s:s, s:s, s:b}, s:{s:s, s:s, s:s, "
			 "s:s, s:s, s:s}}",
			 "version", VIGIL_VERSION, "schema_version", store_schema_target(), "build",
			 "type", VIGIL_BUILD_TYPE, "sanitizers", VIGIL_BUILD_SANITIZE, "werror",
			 VIGIL_BUILD_WERROR, "fuzz", VIGIL_BUILD_FUZZ, "fault_injection",
			 VG_FAULT_BUILD, "compiler",
#ifdef __clang__
			 "clang " __clang_version__,
#elif defined(__GNUC__)
			 "gcc " __VERSION__,
#else
			 "unknown",
#endif
			 "c_standard", "C11", "debug_checks",
#ifdef NDEBUG
			 0,
#else
			 1,
#endif
			 "libraries", "sqlite", sqlite3_libversion(), "libpq", pq, "openssl",
			 OpenSSL_version(OPENSSL_VERSION), "zstd", ZSTD_versionString(),
			 "libarchive", archive_version_string(), "jansson", JANSSON_VERSION);
}

static void help(FILE *out)
{
	fprintf(out, "usage: vigil [--db URL] [--config FILE] <noun> <verb> [options]\n\n"
		     "vigil: the operational machinery of the EU Cyber Resilience Act.\n\n"
		     "global options:\n"
		     "  --db URL        SQLite path or postgresql:// URL (env VIGIL_DB;\n"
		     "                  default ./var/vigil.db)\n"
		     "  --config FILE   INI configuration file (env VIGIL_CONFIG)\n"
		     "  --version       print the version (--version --json: also the schema\n"
		     "                  version, build options and libraries)\n\n"
		     "commands:\n");
	for (const struct app_noun *n = app_nouns; n->name; n++)
		fprintf(out, "  %-10s %s\n", n->name, n->summary);
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

static const struct app_noun *find_noun(const char *name)
{
	for (const struct app_noun *n = app_nouns; n->name; n++)
		if (strcmp(n->name, name) == 0)
			return n;
	return NULL;
}

int app_main(int argc, char **argv)
{
	struct cli c = {0};
	struct vg_error err = {0};
	const struct app_noun *noun;
	const char *db, *config;
	int rc;

#ifdef VIGIL_FAULT
	if (vg_fault_from_env() < 0)
		return CLI_FAIL;
#endif
	db = take_opt(&argc, argv, "--db");
	config = take_opt(&argc, argv, "--config");
	if (!config)
		config = getenv("VIGIL_CONFIG");
	vg_config_set_known(app_config_keys); /* unknown INI keys are refused */
	if (config && vg_config_load(config, &err) != VG_OK) {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
		return CLI_FAIL;
	}
	if (!db)
		db = getenv("VIGIL_DB");
	if (db) /* a setting, so the secret key file's default follows it */
		vg_config_set("database.url", db);
	else
		db = vg_config_get("database.url", "./var/vigil.db");
	c.db_url = db;
	c.prog = "vigil";
	app_init_rooms();

	if (argc < 2) {
		help(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		if (argc > 2 && strcmp(argv[2], "--json") == 0)
			return cli_print_json(app_version_json());
		printf("vigil %s (schema version %d)\n", VIGIL_VERSION, store_schema_target());
		return CLI_OK;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0 && (noun = find_noun(argv[2]))) {
			char helpopt[] = "--help";
			char *hargv[] = {argv[2], helpopt, NULL};
			c.path = noun->name;
			rc = noun->fn(&c, 2, hargv);
			vg_config_free();
			return rc;
		}
		help(stdout);
		return CLI_OK;
	}
	if ((noun = find_noun(argv[1]))) {
		char path[64];
		snprintf(path, sizeof(path), "vigil %s", argv[1]);
		c.path = path;
		rc = noun->fn(&c, argc - 1, argv + 1);
		vg_config_free();
		return rc;
	}
	if (argv[1][0] == '-')
		fprintf(stderr, "vigil: unknown option '%s'\n", argv[1]);
	else
		fprintf(stderr, "vigil: '%s' is not a vigil command\n", argv[1]);
	help(stderr);
	return CLI_USAGE;
}
