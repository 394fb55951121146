/*
 * cmd_findings.c - `vigil findings <verb>`: the findings the feeds and the
 * inventory produced (component x vulnerability per product version).
 */
#include "cli/cli.h"
#include "core/error.h"
#include "store/store.h"
#include "triage/findings.h"
#include "triage/triage_cli.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int findings_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json",        "product=", "version=",  "severity=",
					   "vuln=",       "kev",      "all",       "limit=",
					   "offset=",     "state=",   "assignee=", "overdue",
					   "due-within=", "sort=",    NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct findings_filter f = {0};
	struct finding_list l;
	struct store *s = NULL;
	int rc;

	CLI_PARSE_OR_RETURN(
	    c, argc, argv, spec,
	    "[--product P] [--version V] [--severity S] [--vuln ID] [--kev] "
	    "[--all] [--limit N] [--offset N] [--state S|open] [--assignee U]\n"
	    "[--overdue] [--due-within 48h] [--sort due] [--json]\n\n"
	    "List findings, newest first (--sort due: the soonest due first).\n"
	    "--kev: only actively exploited (CISA KEV) ones; --all: retracted\n"
	    "findings too; --overdue: past their SLA due time; --due-within D: due\n"
	    "in the next D.",
	    &a);
	if (a.npos != 0)
		return cli_usage(c, "[options]");
	if ((rc = triage_cli_filter(c, &a, "state", &f)))
		return rc;
	if (cli_opt(&a, "sort") && strcmp(cli_opt(&a, "sort"), "due") != 0 &&
	    strcmp(cli_opt(&a, "sort"), "new") != 0)
		return cli_usage(c, "--sort due|new");
	f.sort_due = cli_opt(&a, "sort") && strcmp(cli_opt(&a, "sort"), "due") == 0;
	if (f.severity && strcmp(f.severity, "critical") && strcmp(f.severity, "high") &&
	    strcmp(f.severity, "medium") && strcmp(f.severity, "low") && strcmp(f.severity, "none"))
		return cli_usage(c, "--severity critical|high|medium|low|none");
	f.include_retracted = cli_flag(&a, "all");
	/* a limit outside 1..1000 was always taken as the default page (100) */
	if ((rc = cli_opt_int(c, &a, "limit", INT64_MIN, INT64_MAX, 1000, &f.limit)) ||
	    (rc = cli_opt_int(c, &a, "offset", INT64_MIN, INT64_MAX, 0, &f.offset)))
		return rc;
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	rc = findings_list(s, &f, &l, &err);
	store_close(s);
	if (rc) {
		finding_list_release(&l);
		return cli_error(&err);
	}
	if (cli_flag(&a, "json")) {
		json_t *o = finding_list_to_json(&l);
		finding_list_release(&l);
		if (!o)
			return cli_error(&(struct vg_error){VG_ENOMEM, "out of memory"});
		return cli_print_json(o);
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct finding *x = &l.v[i];
		printf("%-6lld %-10s %-8s %-20s %-9s %-14s %s%s%s%s\n", (long long)x->id,
		       x->product, x->version, x->vuln_id, x->severity ? x->severity : "-",
		       x->state, x->purl, x->kev ? "  [exploited]" : "",
		       x->retracted_at ? "  [retracted]" : "", x->overdue ? "  [overdue]" : "");
	}
	printf("%lld finding(s)\n", (long long)l.total);
	finding_list_release(&l);
	return CLI_OK;
}

int cmd_findings(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"list", findings_list_cmd, "list findings with filters"},
	    {"show", findings_show_cmd, "one finding with comments and audit history"},
	    {"triage", findings_triage_cmd, "change the state of findings"},
	    {"assign", findings_assign_cmd, "assign findings to a user"},
	    {"comment", findings_comment_cmd, "comment on findings"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "findings",
			    "Findings: components of product versions affected by vulnerabilities.",
			    verbs, argc, argv);
}
