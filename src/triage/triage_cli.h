/*
 * triage_cli.h - the triage verbs of `vigil findings` (listed in the verb
 * table of src/triage/cmd_findings.c) and the filter options they share with
 * `findings list`.
 */
#ifndef VIGIL_TRIAGE_TRIAGE_CLI_H
#define VIGIL_TRIAGE_TRIAGE_CLI_H

struct cli;
struct cli_args;
struct findings_filter;

int findings_triage_cmd(struct cli *c, int argc, char **argv);
int findings_assign_cmd(struct cli *c, int argc, char **argv);
int findings_comment_cmd(struct cli *c, int argc, char **argv);
int findings_show_cmd(struct cli *c, int argc, char **argv);

/*
 * Fill f from the queue filter options of a (product=, version=, severity=,
 * vuln=, kev, in-state= or state=, assignee=, overdue, due-within=) when
 * the spec had them. Returns CLI_OK or prints usage and returns CLI_USAGE.
 */
int triage_cli_filter(const struct cli *c, const struct cli_args *a, const char *state_opt,
		      struct findings_filter *f);

/* `vigil findings` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_findings(struct cli *c, int argc, char **argv);

#endif
