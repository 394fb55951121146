/*
 * cmd_readiness.c - `vigil readiness [show] [--json]`, `vigil readiness gaps`,
 * `vigil readiness snapshot` and `vigil readiness history`.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/clock.h"
#include "core/error.h"
#include "programme/programme.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static void print_score(const struct readiness *r)
{
	printf("readiness: %d of %d (measured %d; %d not available)\n\n", r->score, r->max,
	       r->max - r->na_weight, r->na_weight);
	for (size_t i = 0; i < r->n; i++) {
		const struct readiness_check *c = &r->checks[i];
		printf("%-4s %3d  %-17s %s\n",
		       c->status == READY_PASS   ? "ok"
		       : c->status == READY_FAIL ? "GAP"
						 : "n/a",
		       c->weight, c->key, c->title);
		printf("          fact:     %s\n", c->fact);
		printf("          evidence: %s\n", c->link);
		if (c->status != READY_PASS)
			printf("          fix:      %s%s%s%s\n", c->fix, c->command ? " (" : "",
			       c->command ? c->command : "", c->command ? ")" : "");
	}
}

static int show(struct cli *c, int argc, char **argv, int gaps_only, int snapshot)
{
	static const char *const spec[] = {"json", NULL};
	struct readiness r;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (snapshot ? readiness_snapshot(s, vg_now(), &r, &err)
		     : readiness_compute(s, vg_now(), &r, &err)) {
		rc = cli_error(&err);
	} else if (cli_flag(&a, "json")) {
		json_t *j = readiness_to_json(&r);
		if (gaps_only) {
			json_t *g = json_array(), *v;
			size_t i;
			json_array_foreach(json_object_get(j, "checks"), i, v)
			{
				if (strcmp(vg_json_str(v, "status"), "fail") == 0)
					json_array_append(g, v);
			}
			/* by compliance impact: the checks are kept by weight */
			json_decref(j);
			j = g;
		}
		rc = cli_print_json(j);
	} else if (gaps_only) {
		size_t idx[READINESS_MAX_CHECKS], n = readiness_gaps(&r, idx);
		if (!n)
			printf("no gaps: every measured check passes\n");
		for (size_t i = 0; i < n; i++) {
			const struct readiness_check *k = &r.checks[idx[i]];
			printf("%zu. [%d] %s: %s\n   fix: %s%s%s%s\n", i + 1, k->weight, k->title,
			       k->fact, k->fix, k->command ? " (" : "",
			       k->command ? k->command : "", k->command ? ")" : "");
		}
	} else {
		print_score(&r);
		if (snapshot)
			printf("\nsnapshot kept for today\n");
	}
	store_close(s);
	return rc;
}

static int show_cmd(struct cli *c, int argc, char **argv)
{
	return show(c, argc, argv, 0, 0);
}

static int gaps_cmd(struct cli *c, int argc, char **argv)
{
	return show(c, argc, argv, 1, 0);
}

static int snapshot_cmd(struct cli *c, int argc, char **argv)
{
	return show(c, argc, argv, 0, 1);
}

static int history_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"days=", "json", NULL};
	struct readiness_point *p = NULL;
	size_t n = 0;
	int64_t days = 90;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--days N] [--json]", &a);
	if ((rc = cli_opt_int(c, &a, "days", 1, 3660, 90, &days)))
		return rc;
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (readiness_history(s, days, &p, &n, &err)) {
		rc = cli_error(&err);
	} else if (cli_flag(&a, "json")) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:I, s:I}", "day", p[i].day,
							     "score", (json_int_t)p[i].score, "max",
							     (json_int_t)p[i].max));
		rc = cli_print_json(arr);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%s  %3lld of %lld\n", p[i].day, (long long)p[i].score,
			       (long long)p[i].max);
		if (!n)
			printf("no snapshots yet (the job readiness.snapshot keeps one a day)\n");
	}
	free(p);
	store_close(s);
	return rc;
}

int cmd_readiness(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"show", show_cmd, "the score: one line per check (the default)"},
	    {"gaps", gaps_cmd, "the failing checks, highest compliance impact first"},
	    {"snapshot", snapshot_cmd, "keep today's score for the history"},
	    {"history", history_cmd, "the daily scores"},
	    {NULL, NULL, NULL},
	};
	/* `vigil readiness [--json]` is `vigil readiness show [--json]` */
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
			return cli_dispatch(c, "readiness",
					    "the CRA readiness score from live state", verbs, argc,
					    argv);
		return show_cmd(c, argc, argv);
	}
	return cli_dispatch(c, "readiness", "the CRA readiness score from live state", verbs, argc,
			    argv);
}
