/*
 * cmd_config.c - `vigil config keys` (the configuration reference, printed
 * from app_config_keys: docs/configuration.md is its --markdown output) and
 * `vigil config check FILE` (an INI file's keys checked before a restart).
 */
#include "app/app.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/error.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

json_t *config_key_to_json(const struct vg_config_key *k)
{
	char env[256];

	vg_config_env_name(k->key, env, sizeof(env));
	return json_pack("{s:s, s:s, s:s, s:s}", "key", k->key, "env", env, "default", k->dflt,
			 "meaning", k->meaning);
}

/* A table cell: '|' escaped so a meaning cannot break the row. */
static void cell(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', stdout);
		fputc(*s, stdout);
	}
}

static int config_keys(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "markdown", NULL};
	struct cli_args a;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json | --markdown]", &a);
	if (a.npos)
		return cli_usage(c, "[--json | --markdown]");
	if (cli_flag(&a, "json")) {
		json_t *arr = json_array();
		for (const struct vg_config_key *k = app_config_keys; k->key; k++)
			json_array_append_new(arr, config_key_to_json(k));
		return cli_print_json(arr);
	}
	if (cli_flag(&a, "markdown")) {
		printf("| key (INI `[section]` `name`) | environment | default | meaning |\n"
		       "|---|---|---|---|\n");
		for (const struct vg_config_key *k = app_config_keys; k->key; k++) {
			char env[256];

			vg_config_env_name(k->key, env, sizeof(env));
			printf("| `%s` | `%s` | ", k->key, env);
			cell(k->dflt);
			printf(" | ");
			cell(k->meaning);
			printf(" |\n");
		}
		return CLI_OK;
	}
	for (const struct vg_config_key *k = app_config_keys; k->key; k++)
		printf("%-34s %s\n", k->key, k->dflt);
	return CLI_OK;
}

static int config_check(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {NULL};
	struct cli_args a;
	struct vg_error err = {0};

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "FILE", &a);
	if (a.npos != 1)
		return cli_usage(c, "FILE");
	if (vg_config_load(a.pos[0], &err) != VG_OK)
		return cli_error(&err);
	/* the single sign-on settings as `vigil serve` checks them (without
	 * asking the provider) */
	if (auth_oidc_check(0, &err) != VG_OK)
		return cli_error(&err);
	printf("%s: every key is known\n", a.pos[0]);
	return CLI_OK;
}

int cmd_config(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"keys", config_keys,
	     "every configuration key, its environment form, default and meaning (--markdown: "
	     "the table of docs/configuration.md)"},
	    {"check", config_check, "check an INI file: syntax and unknown keys, naming the line"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "config", "The configuration: its keys and checking a file.", verbs,
			    argc, argv);
}
