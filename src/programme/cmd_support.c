/*
 * cmd_support.c - `vigil support set|show|list`: support periods of
 * products; and the room's wiring (programme_init, the jobs).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/clock.h"
#include "core/error.h"
#include "jobs/jobs.h"
#include "programme/programme.h"
#include "sbom/product.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static void print_period(const struct support_period *p)
{
	char a[VG_TIME_BUFSZ], b[VG_TIME_BUFSZ];
	printf("product:             %s\n", p->product);
	printf("placed on market:    %s\n", p->placed_on_market[0] ? p->placed_on_market : "-");
	printf("support ends:        %s\n", p->support_end[0] ? p->support_end : "-");
	printf("file kept until:     %s  (Art. 13(13): later of placing + 10 years and "
	       "support end)\n",
	       p->retention_end ? vg_time_format(p->retention_end, a, sizeof(a)) : "-");
	printf("updates available:   until at least %s  (Art. 13(9): each update 10 years "
	       "after it is issued)\n",
	       p->updates_until ? vg_time_format(p->updates_until, b, sizeof(b)) : "-");
	printf("source:              %s\n", p->from_product
						? "the product's own fields (vigil product edit)"
						: "the programme record (vigil support set)");
}

static int set_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"placed=", "support-end=", "json", NULL};
	const char *usage = "PRODUCT --placed YYYY-MM[-DD] --support-end YYYY-MM[-DD] [--json]";
	struct support_period p;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || !cli_opt(&a, "placed") || !cli_opt(&a, "support-end"))
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (support_set(s, a.pos[0], cli_opt(&a, "placed"), cli_opt(&a, "support-end"), &err) ||
	    support_get(s, a.pos[0], &p, &err))
		rc = cli_error(&err);
	else if (cli_flag(&a, "json"))
		rc = cli_print_json(support_period_to_json(&p));
	else
		print_period(&p);
	store_close(s);
	return rc;
}

static int show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct support_period p;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "PRODUCT [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "PRODUCT [--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (support_get(s, a.pos[0], &p, &err))
		rc = cli_error(&err);
	else if (cli_flag(&a, "json"))
		rc = cli_print_json(support_period_to_json(&p));
	else
		print_period(&p);
	store_close(s);
	return rc;
}

static int list_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		      struct vg_error *err)
{
	struct product_list l;
	int rc;
	(void)a;
	(void)arg;
	rc = product_list(s, &l, err);
	if (rc)
		return rc;
	*out = json_array();
	for (size_t i = 0; i < l.n && !rc; i++) {
		struct support_period p;
		rc = support_get(s, l.items[i].name, &p, err);
		if (!rc)
			json_array_append_new(*out, support_period_to_json(&p));
	}
	product_list_release(&l);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static const struct cli_col list_cols[] = {
    {"PRODUCT", "product", 24},
    {"PLACED", "placed_on_market", 12},
    {"SUPPORT END", "support_end", 12},
    {"FILE KEPT UNTIL", "retention_end", 22},
    {"SOURCE", "source", 0},
    {NULL, NULL, 0},
};

static int list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .fetch = list_fetch, .cols = list_cols, .empty = "no products"};
	return cli_list(c, argc, argv, &l);
}

int cmd_support(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"set", set_cmd, "set a product's placing on the market and end of support"},
	    {"show", show_cmd, "a product's support period and what it implies"},
	    {"list", list_cmd, "support periods of every product"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "support",
			    "support periods of products (Art. 13(8), 13(9), 13(13), 13(19))",
			    verbs, argc, argv);
}

/* ---- wiring ---- */

void programme_support_init(void);

void programme_init(void)
{
	programme_support_init();
}

static int reviews_job(struct store *s, struct vg_error *err)
{
	return scope_review_tick(s, vg_now(), NULL, err);
}

/* One snapshot a day: the first run of each UTC day keeps it. */
static int snapshot_job(struct store *s, struct vg_error *err)
{
	struct readiness r;
	char day[VG_TIME_BUFSZ];
	int64_t n = 0, now = vg_now();
	int rc;
	vg_time_format(now, day, sizeof(day));
	day[10] = '\0';
	rc = store_query_int64(s, &n, err, "SELECT COUNT(*) FROM readiness_snapshots WHERE day = ?",
			       "t", day);
	if (rc || n)
		return rc;
	return readiness_snapshot(s, now, &r, err);
}

const struct vg_job programme_jobs[] = {
    {"scope.reviews", 3600, reviews_job, NULL},
    {"readiness.snapshot", 3600, snapshot_job, NULL},
    {NULL, 0, NULL, NULL},
};
