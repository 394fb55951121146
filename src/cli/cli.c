#define _GNU_SOURCE
#include "cli/cli.h"
#include "core/error.h"
#include "core/text.h"
#include "store/store.h"

#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

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
	int n = 0, ch, idx, many = 0;

	memset(a, 0, sizeof(*a));
	for (int k = 0; spec && spec[k] && n < CLI_MAX_OPTS; k++) {
		size_t len = strlen(spec[k]);
		int has = len && spec[k][len - 1] == '=';
		char *name = a->namebuf[n];
		if (strcmp(spec[k], CLI_MANY) == 0) { /* any number of positionals */
			many = 1;
			continue;
		}
		snprintf(name, sizeof(a->namebuf[n]), "%.*s", (int)(has ? len - 1 : len), spec[k]);
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
		n++;
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
	/* getopt_long has moved the positionals to the end of argv, in order */
	a->pos = &argv[optind < argc ? optind : argc];
	a->npos = argc - optind > 0 ? argc - optind : 0;
	if (!many && a->npos > CLI_MAX_POS) {
		fprintf(stderr, "vigil: too many arguments\n");
		return cli_usage(c, "%s", usage);
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

int cli_opt_int(const struct cli *c, const struct cli_args *a, const char *name, int64_t min,
		int64_t max, int64_t dflt, int64_t *out)
{
	struct vg_error err = {0};
	char what[64];

	(void)c;
	snprintf(what, sizeof(what), "option --%s", name);
	if (vg_parse_int64_opt(cli_opt(a, name), what, min, max, dflt, out, &err)) {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* The member of row at a "a.b" path, NULL when absent. */
static const json_t *col_value(const json_t *row, const char *key)
{
	char part[64];
	const char *p = key;
	const json_t *v = row;

	while (v && *p) {
		size_t n = strcspn(p, ".");
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, p, n);
		part[n] = '\0';
		v = json_is_object(v) ? json_object_get(v, part) : NULL;
		p += n;
		if (*p == '.')
			p++;
	}
	return v;
}

static void print_cell(const json_t *v, int width, int last)
{
	char num[32];
	const char *t = "-";
	char *dump = NULL;

	if (json_is_string(v))
		t = json_string_value(v);
	else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		t = num;
	} else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		t = num;
	} else if (json_is_boolean(v))
		t = json_is_true(v) ? "yes" : "no";
	else if (v && !json_is_null(v))
		t = dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (last || width <= 0)
		fputs(t ? t : "", stdout);
	else
		printf("%-*s ", width, t ? t : "");
	free(dump);
}

int cli_list(struct cli *c, int argc, char **argv, const struct cli_list_spec *l)
{
	const char *spec[CLI_MAX_OPTS + 1];
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *res = NULL;
	const json_t *rows, *row;
	char usage[512];
	size_t n = 0, i;
	int rc;

	for (; l->spec && l->spec[n] && n < CLI_MAX_OPTS - 1; n++)
		spec[n] = l->spec[n];
	spec[n++] = "json";
	spec[n] = NULL;
	snprintf(usage, sizeof(usage), "%s", l->usage ? l->usage : "[--json]");
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos > l->npos_max)
		return cli_usage(c, "%s", usage);
	if ((rc = cli_open_store(c, l->migrate, &s)))
		return rc;
	rc = l->fetch(s, &a, l->arg, &res, &err);
	store_close(s);
	if (rc) {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
		return rc == VG_EUSAGE || rc == VG_EINVAL ? CLI_USAGE : CLI_FAIL;
	}
	if (cli_flag(&a, "json"))
		return cli_print_json(res);
	rows = l->rows_key ? json_object_get(res, l->rows_key) : res;
	if (json_array_size(rows) == 0) {
		if (l->empty)
			puts(l->empty);
		json_decref(res);
		return CLI_OK;
	}
	if (l->cols && !l->print_row) {
		for (const struct cli_col *k = l->cols; k->title; k++) {
			if (k[1].title && k->width > 0)
				printf("%-*s ", k->width, k->title);
			else
				fputs(k->title, stdout);
		}
		putchar('\n');
	}
	json_array_foreach(rows, i, row)
	{
		if (l->print_row) {
			l->print_row(row, l->arg);
			continue;
		}
		for (const struct cli_col *k = l->cols; k && k->title; k++)
			print_cell(col_value(row, k->key), k->width, !k[1].title);
		putchar('\n');
	}
	json_decref(res);
	return CLI_OK;
}
