/*
 * cmd_sla.c - `vigil sla set|unset|list|tick`: SLA policies (days to
 * triage, days to fix, per severity and optionally per product) and the
 * alert run.
 */
#include "cli/cli.h"
#include "core/error.h"
#include "store/store.h"
#include "triage/triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* "N" days (or hours with hours != 0) -> seconds; -1 when absent. */
static int amount(const char *s, int64_t unit, int64_t *out)
{
	char *end;
	long long v;
	*out = -1;
	if (!s)
		return 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || v < 0 || v > 36500)
		return -1;
	*out = v * unit;
	return 0;
}

static int sla_set(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "severity=",  "product=", "triage-days=", "fix-days=", "triage-hours=",
	    "fix-hours=", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	int64_t t = -1, f = -1, th = -1, fh = -1;
	int rc;
	CLI_PARSE_OR_RETURN(
	    c, argc, argv, spec,
	    "--severity critical|high|medium|low|none|kev [--triage-days N] "
	    "[--fix-days N]\n[--triage-hours N] [--fix-hours N] [--product P]\n\n"
	    "Set the SLA policy of a severity (kev: findings on actively exploited\n"
	    "vulnerabilities), for every product or for one.",
	    &a);
	if (!cli_opt(&a, "severity") || a.npos || amount(cli_opt(&a, "triage-days"), 86400, &t) ||
	    amount(cli_opt(&a, "fix-days"), 86400, &f) ||
	    amount(cli_opt(&a, "triage-hours"), 3600, &th) ||
	    amount(cli_opt(&a, "fix-hours"), 3600, &fh))
		return cli_usage(c, "--severity S [--triage-days N] [--fix-days N] [--product P]");
	if (th >= 0)
		t = th;
	if (fh >= 0)
		f = fh;
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	rc = sla_policy_set(s, cli_opt(&a, "product"), cli_opt(&a, "severity"), t, f, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("SLA policy for %s%s%s set\n", cli_opt(&a, "severity"),
	       cli_opt(&a, "product") ? " of " : "",
	       cli_opt(&a, "product") ? cli_opt(&a, "product") : "");
	return CLI_OK;
}

static int sla_unset(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"severity=", "product=", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec,
			    "--severity S [--product P]\n\nRemove a policy: findings of that "
			    "severity then have no due time and raise no alert.",
			    &a);
	if (!cli_opt(&a, "severity") || a.npos)
		return cli_usage(c, "--severity S [--product P]");
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	rc = sla_policy_unset(s, cli_opt(&a, "product"), cli_opt(&a, "severity"), &err);
	store_close(s);
	return rc ? cli_error(&err) : CLI_OK;
}

static int sla_list(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	struct sla_policy_list l;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]\n\nList SLA policies.", &a);
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	rc = sla_policy_list(s, &l, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		json_t *o = sla_policy_list_to_json(&l);
		sla_policy_list_release(&l);
		return o ? cli_print_json(o)
			 : cli_error(&(struct vg_error){VG_ENOMEM, "out of memory"});
	}
	printf("%-16s %-9s %-12s %s\n", "product", "severity", "triage", "fix");
	for (size_t i = 0; i < l.n; i++) {
		const struct sla_policy *p = &l.v[i];
		char tb[32] = "-", fb[32] = "-";
		if (p->triage_seconds >= 0)
			snprintf(tb, sizeof(tb), "%lldh", (long long)p->triage_seconds / 3600);
		if (p->fix_seconds >= 0)
			snprintf(fb, sizeof(fb), "%lldd", (long long)p->fix_seconds / 86400);
		printf("%-16s %-9s %-12s %s\n", p->product, p->severity, tb, fb);
	}
	sla_policy_list_release(&l);
	return CLI_OK;
}

static int sla_tick_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	int64_t w = 0, b = 0;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec,
			    "[--json]\n\nSend due SLA alerts now (sla.warning, sla.breached; each "
			    "once).",
			    &a);
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	rc = sla_tick(s, &w, &b, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(
		    json_pack("{s:I, s:I}", "warnings", (json_int_t)w, "breaches", (json_int_t)b));
	printf("%lld warning(s), %lld breach(es)\n", (long long)w, (long long)b);
	return CLI_OK;
}

int cmd_sla(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"set", sla_set, "set the policy of a severity"},
	    {"unset", sla_unset, "remove the policy of a severity"},
	    {"list", sla_list, "list policies"},
	    {"tick", sla_tick_cmd, "send due SLA alerts now"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "sla", "SLA policies for findings: days to triage and to fix.",
			    verbs, argc, argv);
}
