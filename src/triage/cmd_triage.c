/*
 * cmd_triage.c - `vigil findings triage|assign|comment|show`: the PSIRT's
 * decisions on findings, one at a time or over a filter (--all-matching).
 */
#include "cli/cli.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "store/store.h"
#include "triage/triage.h"
#include "triage/triage_cli.h"
#include "triage/findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int triage_cli_filter(const struct cli *c, const struct cli_args *a, const char *state_opt,
		      struct findings_filter *f)
{
	const char *dw = cli_opt(a, "due-within");
	f->product = cli_opt(a, "product");
	f->version = cli_opt(a, "version");
	f->severity = cli_opt(a, "severity");
	f->vuln = cli_opt(a, "vuln");
	f->kev_only = cli_flag(a, "kev");
	f->state = state_opt ? cli_opt(a, state_opt) : NULL;
	f->assignee = cli_opt(a, "assignee");
	f->overdue = cli_flag(a, "overdue");
	if (f->state && strcmp(f->state, "open") != 0 && !triage_state_valid(f->state))
		return cli_usage(c,
				 "--%s new|in_triage|affected|in_remediation|fixed|"
				 "not_affected|false_positive|open",
				 state_opt);
	if (dw) {
		struct vg_error err = {0};
		if (vg_duration_parse(dw, &f->due_within, &err) || f->due_within <= 0)
			return cli_usage(c, "--due-within DURATION (like 48h, 7d)");
	}
	return CLI_OK;
}

static int parse_id(const char *s, int64_t *id)
{
	return vg_id_parse(s, "finding id", id, NULL) ? -1 : 0;
}

static void print_finding(const struct finding *f)
{
	const char *j = f->justification, *as = f->assignee;
	printf("finding %lld: %s%s%s%s%s\n", (long long)f->id, f->state, j ? " (" : "", j ? j : "",
	       j ? ")" : "", as ? "" : "");
	if (as)
		printf("  assigned to %s\n", as);
}

/* Print finding id (--json: as the API shows it); CLI_OK or CLI_FAIL. */
static int show_finding(struct store *s, int64_t id, int json, int full)
{
	struct vg_error err = {0};
	struct finding_detail d;
	const struct finding *f = &d.f;
	char ts[VG_TIME_BUFSZ];
	int rc = triage_finding_get(s, id, &d, &err);
	if (rc) {
		finding_detail_release(&d);
		return cli_error(&err);
	}
	if (json) {
		json_t *o = finding_detail_to_json(&d);
		finding_detail_release(&d);
		return o ? cli_print_json(o)
			 : cli_error(&(struct vg_error){VG_ENOMEM, "out of memory"});
	}
	if (!full) {
		print_finding(f);
		finding_detail_release(&d);
		return CLI_OK;
	}
	printf("finding %lld  %s %s  %s  %s\n", (long long)id, f->product, f->version, f->vuln_id,
	       f->purl);
	printf("state       %s%s%s\n", f->state, f->justification ? " / " : "",
	       f->justification ? f->justification : "");
	printf("assignee    %s\n", f->assignee ? f->assignee : "(nobody)");
	printf("due         %s%s\n", f->due_at ? vg_time_format(f->due_at, ts, sizeof(ts)) : "-",
	       f->overdue ? "  [overdue]" : "");
	for (size_t i = 0; i < d.n_comments; i++)
		printf("comment     %s %s: %s\n",
		       d.comments[i].created_at
			   ? vg_time_format(d.comments[i].created_at, ts, sizeof(ts))
			   : "(null)",
		       d.comments[i].actor, d.comments[i].body);
	{
		size_t i;
		json_t *x;
		json_array_foreach(d.history, i, x)
		    printf("audit       #%lld %s %s %s\n",
			   (long long)json_integer_value(json_object_get(x, "seq")),
			   vg_json_str(x, "at"), vg_json_str(x, "actor"), vg_json_str(x, "action"));
	}
	finding_detail_release(&d);
	return CLI_OK;
}

/* Run one change on the positional id or, with --all-matching, the filter. */
static int run_change(struct cli *c, const struct cli_args *a, struct triage_change *ch)
{
	struct vg_error err = {0};
	struct store *s = NULL;
	int64_t id = 0, n = 0;
	int rc, bulk = cli_flag(a, "all-matching");

	if (bulk && a->npos != 0)
		return cli_usage(c, "either a finding id or --all-matching, not both");
	if (!bulk && (a->npos != 1 || parse_id(a->pos[0], &id)))
		return cli_usage(c, "a finding id (a positive integer) or --all-matching");
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	if (bulk) {
		struct findings_filter f = {0};
		if ((rc = triage_cli_filter(c, a, "in-state", &f))) {
			store_close(s);
			return rc;
		}
		rc = triage_apply_bulk(s, &f, ch, &n, &err);
	} else {
		rc = triage_apply(s, id, ch, &err);
	}
	if (rc) {
		store_close(s);
		return cli_error(&err);
	}
	if (bulk) {
		store_close(s);
		if (cli_flag(a, "json"))
			return cli_print_json(json_pack("{s:I}", "changed", (json_int_t)n));
		printf("%lld finding(s) changed\n", (long long)n);
		return CLI_OK;
	}
	rc = show_finding(s, id, cli_flag(a, "json"), 0);
	store_close(s);
	return rc;
}

#define FILTER_SPEC                                                          \
	"all-matching", "product=", "version=", "severity=", "vuln=", "kev", \
	    "in-state=", "assignee=", "overdue", "due-within="
#define FILTER_USAGE                                                                     \
	"\n\nWith --all-matching instead of an id, every finding matching the filters\n" \
	"(--product, --version, --severity, --vuln, --kev, --in-state, --assignee,\n"    \
	"--overdue, --due-within 48h) changes; all or nothing."

int findings_triage_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "json", "state=", "justification=", "comment=", "scope=", FILTER_SPEC, NULL};
	struct cli_args a;
	struct triage_change ch = {0};
	CLI_PARSE_OR_RETURN(c, argc, argv, spec,
			    "ID|--all-matching --state S [--justification J] [--comment TEXT] "
			    "[--scope version|product] [--json]\n\n"
			    "Move findings through new -> in_triage -> affected -> in_remediation "
			    "-> fixed,\nor to not_affected (--justification component_not_present|"
			    "vulnerable_code_not_present|\nvulnerable_code_not_in_execute_path|"
			    "vulnerable_code_cannot_be_controlled_by_adversary|\n"
			    "inline_mitigations_already_exist) or false_positive; any state may "
			    "return to\nin_triage. --scope product: the decision also holds for "
			    "later versions." FILTER_USAGE,
			    &a);
	ch.state = cli_opt(&a, "state");
	ch.justification = cli_opt(&a, "justification");
	ch.comment = cli_opt(&a, "comment");
	ch.scope = cli_opt(&a, "scope");
	if (!ch.state)
		return cli_usage(c, "--state S is required");
	return run_change(c, &a, &ch);
}

int findings_assign_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "to=", "none", "comment=", FILTER_SPEC, NULL};
	struct cli_args a;
	struct triage_change ch = {0};
	CLI_PARSE_OR_RETURN(c, argc, argv, spec,
			    "ID|--all-matching --to USER|--none [--comment TEXT] [--json]\n\n"
			    "Assign findings to a user (--none: unassign)." FILTER_USAGE,
			    &a);
	ch.assignee = cli_flag(&a, "none") ? "" : cli_opt(&a, "to");
	ch.comment = cli_opt(&a, "comment");
	if (!ch.assignee || (!*ch.assignee && cli_opt(&a, "to")))
		return cli_usage(c, "--to USER or --none");
	return run_change(c, &a, &ch);
}

int findings_comment_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", FILTER_SPEC, NULL};
	struct cli_args a;
	struct triage_change ch = {0};
	CLI_PARSE_OR_RETURN(
	    c, argc, argv, spec,
	    "ID TEXT | --all-matching TEXT [--json]\n\n"
	    "Add a comment to findings (kept with their audit history)." FILTER_USAGE,
	    &a);
	if (a.npos < 1)
		return cli_usage(c, "ID TEXT");
	ch.comment = a.pos[a.npos - 1];
	a.npos--;
	if (!*ch.comment)
		return cli_usage(c, "the comment is empty");
	return run_change(c, &a, &ch);
}

int findings_show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	int64_t id;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec,
			    "ID [--json]\n\nOne finding: state, due times, comments and its "
			    "audit history.",
			    &a);
	if (a.npos != 1 || parse_id(a.pos[0], &id))
		return cli_usage(c, "ID");
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	rc = show_finding(s, id, cli_flag(&a, "json"), 1);
	store_close(s);
	return rc;
}
