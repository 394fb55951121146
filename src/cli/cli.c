#define _GNU_SOURCE
#include "cli/cli.h"
#include "core/error.h"
#include "store/store.h"

#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("vigil: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_FAIL;
}

int cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "usage: %s ", c->path ? c->path : "vigil");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_USAGE;
}

int cli_error(const struct vg_error *err)
{
	fprintf(stderr, "vigil: %s\n", vg_error_msg(err));
	return err->code == VG_EUSAGE ? CLI_USAGE : CLI_FAIL;
}

int cli_dispatch(struct cli *c, const char *noun, const char *about, const struct cli_verb *verbs,
		 int argc, char **argv)
{
	char path[128];
	const char *verb = argc > 1 ? argv[1] : NULL;

	if (!verb || strcmp(verb, "help") == 0 || strcmp(verb, "--help") == 0 ||
	    strcmp(verb, "-h") == 0) {
		FILE *out = verb ? stdout : stderr;
		fprintf(out, "usage: vigil %s <verb> [options]\n\n%s\n\nverbs:\n", noun, about);
		for (const struct cli_verb *v = verbs; v->name; v++)
			fprintf(out, "  %-12s %s\n", v->name, v->summary);
		fprintf(out, "\n'vigil %s <verb> --help' describes one verb.\n", noun);
		return verb ? CLI_OK : CLI_USAGE;
	}
	for (const struct cli_verb *v = verbs; v->name; v++) {
		if (strcmp(v->name, verb) == 0) {
			snprintf(path, sizeof(path), "vigil %s %s", noun, verb);
			c->path = path;
			return v->fn(c, argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "vigil: '%s' is not a verb of '%s'; see 'vigil %s --help'\n", verb, noun,
		noun);
	return CLI_USAGE;
}

int cli_open_store(struct cli *c, int migrate, struct store **out)
{
	struct vg_error err = {0};
	const char *actor = getenv("VIGIL_ACTOR");
	char who[160];

	if (store_open(c->db_url, migrate, out, &err) != VG_OK)
		return cli_fail("%s", vg_error_msg(&err));
	if (!actor) {
		struct passwd *pw = getpwuid(getuid());
		snprintf(who, sizeof(who), "cli:%s", pw ? pw->pw_name : "unknown");
		actor = who;
	}
	store_set_actor(*out, actor, "local");
	return CLI_OK;
}

int cli_print_json(json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
	json_decref(v);
	if (!s)
		return cli_fail("out of memory");
	puts(s);
	free(s);
	return CLI_OK;
}

int cli_parse(struct cli *c, int argc, char **argv, const char *const *spec, const char *usage,
	      struct cli_args *a)
{
	struct option lo[CLI_MAX_OPTS + 2];
	char shorts[CLI_MAX_OPTS * 2 + 2] = "h";
	size_t ns = 1;
	int n = 0, ch, idx;

	memset(a, 0, sizeof(*a));
	for (; spec && spec[n] && n < CLI_MAX_OPTS; n++) {
		size_t len = strlen(spec[n]);
		int has = len && spec[n][len - 1] == '=';
		char *name = a->namebuf[n];
		snprintf(name, sizeof(a->namebuf[n]), "%.*s", (int)(has ? len - 1 : len), spec[n]);
		a->names[n] = name;
		lo[n].name = name;
		lo[n].has_arg = has ? required_argument : no_argument;
		lo[n].flag = NULL;
		lo[n].val = 1000 + n;
		if (strlen(name) == 1) {
			/* one-letter options are also short options: -o FILE */
			shorts[ns++] = name[0];
			if (has)
				shorts[ns++] = ':';
			shorts[ns] = '\0';
		}
	}
	a->nopts = n;
	lo[n].name = "help";
	lo[n].has_arg = no_argument;
	lo[n].flag = NULL;
	lo[n].val = 'h';
	memset(&lo[n + 1], 0, sizeof(lo[0]));
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shorts, lo, &idx)) != -1) {
		int k;
		for (k = 0; k < n && ch < 1000 && ch != 'h'; k++)
			if (a->names[k][0] == ch && a->names[k][1] == '\0')
				break;
		if (ch < 1000 && ch != 'h' && ch != '?' && ch != ':' && k < n)
			ch = 1000 + k;
		if (ch == 'h') {
			a->help = 1;
		} else if (ch >= 1000 && ch < 1000 + n) {
			a->given[ch - 1000] = 1;
			a->values[ch - 1000] = optarg;
		} else {
			const char *bad = argv[optind - 1];
			if (ch == ':' || (optopt && optopt >= 1000))
				fprintf(stderr, "vigil: option '%s' needs a value\n", bad);
			else
				fprintf(stderr, "vigil: unknown option '%s'\n", bad);
			return cli_usage(c, "%s", usage);
		}
	}
	for (int i = optind; i < argc; i++) {
		if (a->npos >= CLI_MAX_POS) {
			fprintf(stderr, "vigil: too many arguments\n");
			return cli_usage(c, "%s", usage);
		}
		a->pos[a->npos++] = argv[i];
	}
	if (a->help) {
		printf("usage: %s %s\n", c->path ? c->path : "vigil", usage);
		return -1;
	}
	return CLI_OK;
}

const char *cli_opt(const struct cli_args *a, const char *name)
{
	for (int i = 0; i < a->nopts; i++)
		if (strcmp(a->names[i], name) == 0)
			return a->given[i] ? a->values[i] : NULL;
	return NULL;
}

int cli_flag(const struct cli_args *a, const char *name)
{
	for (int i = 0; i < a->nopts; i++)
		if (strcmp(a->names[i], name) == 0)
			return a->given[i];
	return 0;
}
