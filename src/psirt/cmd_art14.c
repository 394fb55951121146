/*
 * cmd_art14.c - `vigil art14 ...`, `vigil incident ...` and `vigil case ...`:
 * the Article 14 clocks, drafts and filing record, severe incidents, and
 * PSIRT cases, from the command line.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "psirt/art14.h"
#include "psirt/cases.h"
#include "psirt/psirt_int.h"
#include "psirt/usernotice.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Parse --name as RFC 3339 into *t (left alone when absent). */
static int time_opt(const struct cli_args *a, const char *name, int64_t *t)
{
	struct vg_error err = {0};
	const char *v = cli_opt(a, name);
	if (!v)
		return CLI_OK;
	if (vg_time_parse(v, t, &err)) {
		fprintf(stderr, "vigil: --%s: %s\n", name, vg_error_msg(&err));
		return CLI_USAGE;
	}
	return CLI_OK;
}

static int id_arg(const struct cli_args *a, const char *what, int64_t *id)
{
	struct vg_error err = {0};
	if (a->npos < 1 || vg_id_parse(a->pos[0], what, id, &err)) {
		if (a->npos >= 1)
			fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* Run fn's result: usage errors for bad input, else failure. */
static int done(struct store *s, int rc, const struct vg_error *err)
{
	store_close(s);
	if (!rc)
		return CLI_OK;
	if (rc == VG_EINVAL) {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(err));
		return CLI_USAGE;
	}
	return cli_error(err);
}

/* ---- art14 ---- */

static void print_obligation_head(void)
{
	printf("%-4s %-13s %-13s %-21s %-12s %s\n", "ID", "KIND", "STAGE", "DUE", "STATE", "LEFT");
}

static void print_obligation(const struct art14_report *r)
{
	char due[VG_TIME_BUFSZ], left[64];
	printf("%-4lld %-13s %-13s %-21s %-12s %s\n", (long long)r->exposure_id,
	       r->kind ? r->kind : "", art14_stage_name(r->stage),
	       r->due_at ? vg_time_format(r->due_at, due, sizeof(due)) : "undetermined",
	       art14_state_name(r->state),
	       r->due_at && !r->submitted_at
		   ? art14_format_left(r->due_at - r->now, left, sizeof(left))
	       : r->reference ? r->reference
			      : "-");
}

static void print_obligations(const struct art14_report_list *l)
{
	print_obligation_head();
	for (size_t i = 0; i < l->n; i++)
		print_obligation(&l->items[i]);
}

/* cli_list's fetch and row printer for `art14 list`: rows are made by
 * art14_report_to_json(); the table is printed from the same rows. */
static int art14_list_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			    struct vg_error *err)
{
	struct art14_report_list l;
	int64_t id = 0;
	int rc;

	(void)arg;
	if (cli_opt(a, "exposure") && vg_id_parse(cli_opt(a, "exposure"), "--exposure", &id, err))
		return VG_EUSAGE;
	rc = art14_list(s, id, vg_now(), &l, err);
	if (rc)
		return rc;
	*out = art14_report_list_to_json(&l);
	art14_report_list_release(&l);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

static void art14_list_row(const json_t *r, void *arg)
{
	int *head = arg;
	const char *due = vg_json_str(r, "due_at"), *left = vg_json_str(r, "time_left");
	if (!*head) {
		print_obligation_head();
		*head = 1;
	}
	printf("%-4lld %-13s %-13s %-21s %-12s %s\n", (long long)vg_json_int(r, "exposure_id", 0),
	       vg_json_str(r, "kind"), vg_json_str(r, "stage"), due ? due : "undetermined",
	       vg_json_str(r, "state"),
	       left                          ? left
	       : vg_json_str(r, "reference") ? vg_json_str(r, "reference")
					     : "-");
}

static int art14_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"exposure=", NULL};
	int head = 0;
	const struct cli_list_spec l = {
	    .spec = spec,
	    .usage = "[--exposure ID] [--json]",
	    .fetch = art14_list_fetch,
	    .print_row = art14_list_row,
	    .empty = "No Article 14 obligations.",
	    .arg = &head,
	};
	return cli_list(c, argc, argv, &l);
}

static int art14_show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct art14_exposure e;
	char t1[VG_TIME_BUFSZ], t2[VG_TIME_BUFSZ];
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--json]", &a);
	if (a.npos != 1 || id_arg(&a, "exposure", &id))
		return cli_usage(c, "ID [--json]");
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = art14_get(s, id, &e, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		rc = cli_print_json(art14_exposure_to_json(&e));
		art14_exposure_release(&e);
		return rc;
	}
	printf("exposure %lld: %s (%s)\n", (long long)id, e.title ? e.title : "",
	       e.kind ? e.kind : "");
	printf("aware at %s, recorded by %s at %s\n", vg_time_format(e.aware_at, t1, sizeof(t1)),
	       e.aware_by ? e.aware_by : "", vg_time_format(e.aware_recorded_at, t2, sizeof(t2)));
	if (e.evidence)
		printf("evidence: %s\n", e.evidence);
	print_obligations(&e.reports);
	art14_exposure_release(&e);
	return CLI_OK;
}

static int open_exposure(struct cli *c, struct art14_open *in, const struct cli_args *a)
{
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	if ((rc = time_opt(a, "aware-at", &in->aware_at)))
		return rc;
	if (!in->aware_at)
		return cli_usage(c, "--aware-at T is required (when you became aware, RFC 3339)");
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = art14_open(s, in, &id, &err);
	if (!rc) {
		char ts[VG_TIME_BUFSZ];
		printf("exposure %lld recorded (%s); aware at %s\n", (long long)id, in->kind,
		       vg_time_format(in->aware_at, ts, sizeof(ts)));
		printf("early warning due %s\n",
		       vg_time_format(art14_due_early_warning(in->aware_at), ts, sizeof(ts)));
		printf("notification due  %s\n",
		       vg_time_format(art14_due_notification(in->aware_at), ts, sizeof(ts)));
		printf("final report      undetermined (%s)\n",
		       strcmp(in->kind, ART14_KIND_VULN) == 0
			   ? "14 days after a fix or mitigation is available"
			   : "one month after the notification is submitted");
	}
	return done(s, rc, &err);
}

static int art14_exploited_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "finding=", "vuln=",    "aware-at=",      "evidence=", "title=",
	    "product=", "version=", "member-states=", NULL};
	const char *usage = "--finding F [--vuln ID] --aware-at T --evidence TEXT [--title T] "
			    "[--product P] [--version V] [--member-states DE,FR]";
	struct art14_open in = {0};
	struct cli_args a;
	char title[300];

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || (!cli_opt(&a, "finding") && !cli_opt(&a, "vuln")))
		return cli_usage(c, "%s", usage);
	in.kind = ART14_KIND_VULN;
	in.finding = cli_opt(&a, "finding");
	in.vuln_id = cli_opt(&a, "vuln");
	in.evidence = cli_opt(&a, "evidence");
	in.product = cli_opt(&a, "product");
	in.product_version = cli_opt(&a, "version");
	in.member_states = cli_opt(&a, "member-states");
	in.title = cli_opt(&a, "title");
	if (!in.evidence)
		return cli_usage(c, "--evidence TEXT is required (what shows active exploitation)");
	if (!in.title) {
		snprintf(title, sizeof(title), "Actively exploited: %s%s%s",
			 in.vuln_id ? in.vuln_id : "finding", in.finding ? " in finding " : "",
			 in.finding ? in.finding : "");
		in.title = title;
	}
	return open_exposure(c, &in, &a);
}

static int art14_fix_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"at=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0, at = 0, due = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID --at T", &a);
	if (a.npos != 1 || id_arg(&a, "exposure", &id) || !cli_opt(&a, "at"))
		return cli_usage(c, "ID --at T");
	if ((rc = time_opt(&a, "at", &at)))
		return rc;
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = art14_fix_available(s, id, at, &err);
	if (!rc) {
		char ts[VG_TIME_BUFSZ];
		art14_due_vuln_final(at, &due);
		printf("exposure %lld: fix available; final report due %s\n", (long long)id,
		       vg_time_format(due, ts, sizeof(ts)));
	}
	return done(s, rc, &err);
}

static int art14_intermediate_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"due=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0, due = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID --due T", &a);
	if (a.npos != 1 || id_arg(&a, "exposure", &id) || !cli_opt(&a, "due"))
		return cli_usage(c, "ID --due T");
	if ((rc = time_opt(&a, "due", &due)))
		return rc;
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = art14_request_intermediate(s, id, due, &err);
	if (!rc)
		printf("exposure %lld: intermediate report requested, due %s\n", (long long)id,
		       cli_opt(&a, "due"));
	return done(s, rc, &err);
}

static int art14_tick_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc, n = 0, m = 0;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "", &a);
	if (a.npos)
		return cli_usage(c, "%s", "");
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = art14_tick(s, &n, &err);
	if (!rc)
		rc = case_tick(s, &m, &err);
	if (!rc)
		printf("%d Art. 14 alerts, %d acknowledgement alerts\n", n, m);
	return done(s, rc, &err);
}

static void print_draft(const json_t *d)
{
	const json_t *f = json_object_get(d, "fields"), *v, *miss = json_object_get(d, "missing");
	const char *k;
	size_t i;

	printf("exposure %lld %s draft version %lld (Art. %s, schema %s)\n",
	       (long long)vg_json_int(d, "exposure_id", 0), vg_json_str(d, "stage"),
	       (long long)vg_json_int(d, "version", 0), vg_json_str(d, "article"),
	       vg_json_str(d, "schema"));
	json_object_foreach((json_t *)f, k, v)
	{
		char *t = json_is_string(v) || json_is_null(v)
			      ? NULL
			      : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		printf("  %-20s %s\n", k,
		       json_is_string(v) ? json_string_value(v)
		       : t               ? t
					 : "(missing)");
		free(t);
	}
	if (json_array_size(miss)) {
		printf("missing:");
		json_array_foreach(miss, i, v) printf(" %s", json_string_value(v));
		printf("\n");
	} else {
		printf("missing: none\n");
	}
}

static int draft_out(const struct cli_args *a, struct art14_draft *d)
{
	int rc = CLI_OK;
	if (cli_flag(a, "json"))
		rc = cli_print_json(art14_draft_to_json(d));
	else
		print_draft(d->doc);
	art14_draft_release(d);
	return rc;
}

static int art14_draft_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"stage=", "json", NULL};
	const char *usage = "ID --stage early-warning|notification|intermediate|final [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct art14_draft d;
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || id_arg(&a, "exposure", &id) || !cli_opt(&a, "stage"))
		return cli_usage(c, "%s", usage);
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = art14_draft(s, id, cli_opt(&a, "stage"), &d, &err);
	if (rc)
		return done(s, rc, &err);
	store_close(s);
	return draft_out(&a, &d);
}

static int art14_edit_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"stage=", "set=", "json", NULL};
	const char *usage = "ID --stage S --set FIELD=VALUE [FIELD=VALUE ...] [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct art14_draft d;
	int64_t id = 0;
	int rc = VG_OK;
	const char *sets[CLI_MAX_POS + 1];
	int nsets = 0;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos < 1 || id_arg(&a, "exposure", &id) || !cli_opt(&a, "stage"))
		return cli_usage(c, "%s", usage);
	if (cli_opt(&a, "set"))
		sets[nsets++] = cli_opt(&a, "set");
	for (int i = 1; i < a.npos; i++)
		sets[nsets++] = a.pos[i];
	if (!nsets)
		return cli_usage(c, "%s", usage);
	for (int i = 0; i < nsets; i++)
		if (!strchr(sets[i], '='))
			return cli_usage(c, "'%s': expected FIELD=VALUE", sets[i]);
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	{
		char names[CLI_MAX_POS + 1][64];
		const char *np[CLI_MAX_POS + 1], *vp[CLI_MAX_POS + 1];
		for (int i = 0; i < nsets; i++) {
			const char *eq = strchr(sets[i], '=');
			snprintf(names[i], sizeof(names[i]), "%.*s", (int)(eq - sets[i]), sets[i]);
			np[i] = names[i];
			vp[i] = eq + 1;
		}
		rc = art14_edit(s, id, cli_opt(&a, "stage"), (size_t)nsets, np, vp, &d, &err);
	}
	if (rc)
		return done(s, rc, &err);
	store_close(s);
	return draft_out(&a, &d);
}

static int art14_approve_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"stage=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc, approved = 0;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID --stage S", &a);
	if (a.npos != 1 || id_arg(&a, "exposure", &id) || !cli_opt(&a, "stage"))
		return cli_usage(c, "ID --stage S");
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = art14_approve(s, id, cli_opt(&a, "stage"), &approved, &err);
	if (!rc)
		printf("exposure %lld %s draft: approval by %s recorded; %s\n", (long long)id,
		       cli_opt(&a, "stage"), store_actor(s),
		       approved ? "approved" : "not yet approved");
	return done(s, rc, &err);
}

static int art14_submitted_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"stage=", "at=", "reference=", "reason=", NULL};
	const char *usage = "ID --stage S --at T --reference RECEIPT [--reason TEXT]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0, at = 0;
	int rc, approved = 0;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || id_arg(&a, "exposure", &id) || !cli_opt(&a, "stage") ||
	    !cli_opt(&a, "at") || !cli_opt(&a, "reference"))
		return cli_usage(c, "%s", usage);
	if ((rc = time_opt(&a, "at", &at)))
		return rc;
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = art14_submitted_ex(s, id, cli_opt(&a, "stage"), at, cli_opt(&a, "reference"),
				cli_opt(&a, "reason"), &approved, &err);
	if (rc == VG_ESTATE && strncmp(vg_error_msg(&err), "reason:", 7) == 0)
		fprintf(stderr, "vigil: give --reason TEXT to record it anyway\n");
	if (!rc) {
		printf("exposure %lld %s: filing recorded (submitted %s, receipt %s)\n",
		       (long long)id, cli_opt(&a, "stage"), cli_opt(&a, "at"),
		       cli_opt(&a, "reference"));
		if (!approved)
			fprintf(stderr, "vigil: note: no approved draft of this stage was on "
					"record when it was filed\n");
	}
	return done(s, rc, &err);
}

static int art14_export_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"stage=", "version=", "html", NULL};
	const char *usage = "ID --stage S [--version N] [--html]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct art14_draft d;
	int64_t id = 0, version = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || id_arg(&a, "exposure", &id) || !cli_opt(&a, "stage"))
		return cli_usage(c, "%s", usage);
	if ((rc = cli_opt_int(c, &a, "version", 0, INT64_MAX, 0, &version)))
		return rc;
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = art14_draft_get(s, id, cli_opt(&a, "stage"), version, &d, &err);
	if (rc)
		return done(s, rc, &err);
	store_close(s);
	if (cli_flag(&a, "html")) {
		struct vg_buf b = VG_BUF_INIT;
		art14_draft_html(&d, &b);
		fputs(b.data ? b.data : "", stdout);
		vg_buf_release(&b);
		art14_draft_release(&d);
		return CLI_OK;
	}
	rc = cli_print_json(art14_draft_to_json(&d));
	art14_draft_release(&d);
	return rc;
}

int cmd_art14(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"list", art14_list_cmd, "every obligation: due time, state, time left"},
	    {"show", art14_show_cmd, "one exposure: awareness, evidence, obligations, drafts"},
	    {"exploited", art14_exploited_cmd, "record an actively exploited vulnerability"},
	    {"fix-available", art14_fix_cmd, "a fix or mitigation is available (starts 14 days)"},
	    {"request-intermediate", art14_intermediate_cmd, "the CSIRT asked for an update"},
	    {"tick", art14_tick_cmd, "check the clocks now and send due alerts"},
	    {"draft", art14_draft_cmd, "build a new draft version of a stage"},
	    {"edit", art14_edit_cmd, "set draft fields (a new version)"},
	    {"approve", art14_approve_cmd, "approve the latest draft of a stage"},
	    {"submitted", art14_submitted_cmd, "record a filing made on the ENISA platform"},
	    {"export", art14_export_cmd, "a draft as JSON (vigil-art14-draft/1) or HTML"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "art14",
			    "CRA Article 14: reporting clocks, drafts, approvals, filing record.",
			    verbs, argc, argv);
}

/* ---- incident ---- */

static int incident_open_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "aware-at=",           "title=",    "product=", "version=", "member-states=",
	    "suspected-malicious", "evidence=", NULL};
	const char *usage = "--aware-at T --title TEXT [--product P] [--version V] "
			    "[--suspected-malicious] [--member-states DE,FR] [--evidence TEXT]";
	struct art14_open in = {0};
	struct cli_args a;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "title"))
		return cli_usage(c, "%s", usage);
	in.kind = ART14_KIND_INCIDENT;
	in.title = cli_opt(&a, "title");
	in.product = cli_opt(&a, "product");
	in.product_version = cli_opt(&a, "version");
	in.member_states = cli_opt(&a, "member-states");
	in.suspected_malicious = cli_flag(&a, "suspected-malicious");
	in.evidence = cli_opt(&a, "evidence");
	return open_exposure(c, &in, &a);
}

int cmd_incident(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"open", incident_open_cmd, "record a severe incident (starts the Art. 14 clocks)"},
	    {"list", art14_list_cmd, "every obligation (as vigil art14 list)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "incident", "Severe incidents (CRA Article 14(3)).", verbs, argc,
			    argv);
}

/* ---- case ---- */

static int case_list_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			   struct vg_error *err)
{
	struct psirt_case_list l;
	int rc;

	(void)arg;
	rc = case_list(s, cli_opt(a, "state"), &l, err);
	if (rc)
		return rc;
	*out = psirt_case_list_to_json(&l);
	psirt_case_list_release(&l);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

static int case_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"state=", NULL};
	static const struct cli_col cols[] = {
	    {"ID", "id", 5},
	    {"STATE", "state", 13},
	    {"ACK DUE", "ack_due_at", 21},
	    {"ASSIGNEE", "assignee", 12},
	    {"TITLE", "title", 0},
	    {NULL, NULL, 0},
	};
	const struct cli_list_spec l = {
	    .spec = spec,
	    .usage = "[--state S] [--json]",
	    .fetch = case_list_fetch,
	    .cols = cols,
	    .empty = "No cases.",
	};
	return cli_list(c, argc, argv, &l);
}

static int case_show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct psirt_case k;
	char t1[VG_TIME_BUFSZ], t2[VG_TIME_BUFSZ], t3[VG_TIME_BUFSZ];
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--json]", &a);
	if (a.npos != 1 || id_arg(&a, "case", &id))
		return cli_usage(c, "ID [--json]");
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = case_get(s, id, &k, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		rc = cli_print_json(psirt_case_to_json(&k));
		psirt_case_release(&k);
		return rc;
	}
	printf("case %lld: %s\nstate: %s\nreceived: %s  ack due: %s  acknowledged: %s\n",
	       (long long)id, k.title ? k.title : "", k.state ? k.state : "",
	       vg_time_format(k.received_at, t1, sizeof(t1)),
	       vg_time_format(k.ack_due_at, t2, sizeof(t2)),
	       k.acknowledged_at ? vg_time_format(k.acknowledged_at, t3, sizeof(t3)) : "-");
	printf("product: %s %s  assignee: %s\n", k.product ? k.product : "-",
	       k.product_version ? k.product_version : "", k.assignee ? k.assignee : "-");
	for (size_t i = 0; i < k.nlinks; i++)
		printf("link: %s %s\n", k.links[i].kind, k.links[i].value);
	for (size_t i = 0; i < k.nmessages; i++)
		printf("%s %s (%s): %s\n", vg_time_format(k.messages[i].created_at, t1, sizeof(t1)),
		       k.messages[i].kind, k.messages[i].author, k.messages[i].body);
	psirt_case_release(&k);
	return CLI_OK;
}

static int case_open_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "product=", "version=", "description=", "impact=", "poc=",
	    "contact=", "title=",   "credit=",      NULL};
	const char *usage = "--product P --description TEXT [--version V] [--title T] "
			    "[--impact TEXT] [--poc TEXT] [--contact C] [--credit NAME]";
	struct case_report r = {0};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos)
		return cli_usage(c, "%s", usage);
	r.product = cli_opt(&a, "product");
	r.version = cli_opt(&a, "version");
	r.description = cli_opt(&a, "description");
	r.impact = cli_opt(&a, "impact");
	r.poc = cli_opt(&a, "poc");
	r.contact = cli_opt(&a, "contact");
	r.title = cli_opt(&a, "title");
	r.credit_name = cli_opt(&a, "credit");
	r.credit_consent = r.credit_name != NULL;
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = case_create(s, &r, "cli", NULL, NULL, 0, &id, &err);
	if (!rc)
		printf("case %lld received\n", (long long)id);
	return done(s, rc, &err);
}

static int case_new_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "title=",    "product=",  "version=", "severity=", "description=",
	    "assignee=", "findings=", "vulns=",   NULL};
	const char *usage = "(--findings ID,ID... | --title T --product P --description TEXT) "
			    "[--version V] [--severity S] [--assignee USER] [--vulns CVE,GHSA...]";
	struct case_open in = {0};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0, *fids = NULL;
	char **vulns = NULL;
	size_t nf = 0, nv = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos)
		return cli_usage(c, "%s", usage);
	rc = psirt_ids(cli_opt(&a, "findings"), "--findings", CASE_OPEN_MAX_FINDINGS, &fids, &nf,
		       &err);
	if (!rc)
		rc = psirt_words(cli_opt(&a, "vulns"), "--vulns", 100, &vulns, &nv, &err);
	if (rc) {
		free(fids);
		return cli_error(&err);
	}
	in.title = cli_opt(&a, "title");
	in.product = cli_opt(&a, "product");
	in.version = cli_opt(&a, "version");
	in.severity = cli_opt(&a, "severity");
	in.description = cli_opt(&a, "description");
	in.assignee = cli_opt(&a, "assignee");
	in.findings = fids;
	in.nfindings = nf;
	in.vulns = (const char *const *)vulns;
	in.nvulns = nv;
	if (!(rc = cli_open_store(c, 0, &s))) {
		rc = case_open(s, &in, "cli", &id, &err);
		if (!rc)
			printf("case %lld opened\n", (long long)id);
		rc = done(s, rc, &err);
	}
	free(fids);
	psirt_people_free(vulns, nv);
	return rc;
}

static int case_forget_addresses_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"days=", NULL};
	const char *usage = "[--days N]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t days = case_reporter_addr_days(), n = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos)
		return cli_usage(c, "%s", usage);
	if ((rc = cli_opt_int(c, &a, "days", 0, 36500, days, &days)))
		return rc;
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = case_forget_addresses(s, days, &n, &err);
	if (!rc)
		printf("address hashes forgotten: %lld case(s) received more than %s\n",
		       (long long)n, days ? "the retention period ago" : "an hour ago");
	return done(s, rc, &err);
}

static int case_move(struct cli *c, int argc, char **argv, const char *fixed)
{
	static const char *const spec[] = {"note=", NULL};
	const char *usage = fixed ? "ID [--note TEXT]" : "ID STATE [--note TEXT]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	const char *to;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != (fixed ? 1 : 2) || id_arg(&a, "case", &id))
		return cli_usage(c, "%s", usage);
	to = fixed ? fixed : a.pos[1];
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = case_transition(s, id, to, cli_opt(&a, "note"), &err);
	if (!rc)
		printf("case %lld: %s\n", (long long)id, to);
	else if (rc == VG_ESTATE) {
		store_close(s);
		return cli_error(&err);
	}
	return done(s, rc, &err);
}

static int case_ack_cmd(struct cli *c, int argc, char **argv)
{
	return case_move(c, argc, argv, "acknowledged");
}

static int case_close_cmd(struct cli *c, int argc, char **argv)
{
	return case_move(c, argc, argv, "closed");
}

static int case_state_cmd(struct cli *c, int argc, char **argv)
{
	return case_move(c, argc, argv, NULL);
}

static int case_assign_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "ID USER", &a);
	if (a.npos != 2 || id_arg(&a, "case", &id))
		return cli_usage(c, "ID USER");
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = case_assign(s, id, a.pos[1], &err);
	if (!rc)
		printf("case %lld assigned to %s\n", (long long)id, a.pos[1]);
	return done(s, rc, &err);
}

static int case_text(struct cli *c, int argc, char **argv, const char *kind)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "ID TEXT", &a);
	if (a.npos != 2 || id_arg(&a, "case", &id))
		return cli_usage(c, "ID TEXT");
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = case_message(s, id, kind, a.pos[1], &err);
	if (!rc)
		printf("case %lld: %s added\n", (long long)id,
		       strcmp(kind, "note") == 0 ? "note" : "message to the reporter");
	return done(s, rc, &err);
}

static int case_note_cmd(struct cli *c, int argc, char **argv)
{
	return case_text(c, argc, argv, "note");
}

static int case_message_cmd(struct cli *c, int argc, char **argv)
{
	return case_text(c, argc, argv, "to_reporter");
}

static int case_link_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const kinds[] = {"product", "version",  "cve",     "ghsa",
					    "finding", "advisory", "release", NULL};
	static const char *const spec[] = {"product=",  "version=", "cve=",   "ghsa=", "finding=",
					   "advisory=", "release=", "remove", NULL};
	const char *usage = "ID [--product P] [--version V] [--cve CVE-ID] [--ghsa GHSA-ID] "
			    "[--finding F] [--advisory A] [--release R] [--remove]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc, n = 0;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || id_arg(&a, "case", &id))
		return cli_usage(c, "%s", usage);
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	for (int i = 0; kinds[i] && !rc; i++)
		if (cli_opt(&a, kinds[i])) {
			rc = cli_flag(&a, "remove")
				 ? case_unlink(s, id, kinds[i], cli_opt(&a, kinds[i]), &err)
				 : case_link(s, id, kinds[i], cli_opt(&a, kinds[i]), &err);
			if (!rc)
				printf("case %lld %s %s %s\n", (long long)id,
				       cli_flag(&a, "remove") ? "no longer linked to" : "linked to",
				       kinds[i], cli_opt(&a, kinds[i]));
			n++;
		}
	if (!n) {
		store_close(s);
		return cli_usage(c, "%s", usage);
	}
	return done(s, rc, &err);
}

static int case_set_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"embargo=", "credit=", NULL};
	const char *usage = "ID [--embargo T|none] [--credit NAME]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0, emb = 0;
	const char *e;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	e = cli_opt(&a, "embargo");
	if (a.npos != 1 || id_arg(&a, "case", &id) || (!e && !cli_opt(&a, "credit")))
		return cli_usage(c, "%s", usage);
	if (e && strcmp(e, "none") != 0 && (rc = time_opt(&a, "embargo", &emb)))
		return rc;
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = case_set(s, id, emb, e != NULL, cli_opt(&a, "credit"), &err);
	if (!rc)
		printf("case %lld updated\n", (long long)id);
	return done(s, rc, &err);
}

static int case_exploited_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"aware-at=", "evidence=", "member-states=", NULL};
	const char *usage = "ID --aware-at T --evidence TEXT [--member-states DE,FR]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0, at = 0, exp = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || id_arg(&a, "case", &id) || !cli_opt(&a, "aware-at"))
		return cli_usage(c, "%s", usage);
	if ((rc = time_opt(&a, "aware-at", &at)))
		return rc;
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = case_exploited(s, id, at, cli_opt(&a, "evidence"), cli_opt(&a, "member-states"), &exp,
			    &err);
	if (!rc) {
		char ts[VG_TIME_BUFSZ];
		printf("case %lld marked actively exploited: exposure %lld\n", (long long)id,
		       (long long)exp);
		printf("early warning due %s\n",
		       vg_time_format(art14_due_early_warning(at), ts, sizeof(ts)));
		printf("notification due  %s\n",
		       vg_time_format(art14_due_notification(at), ts, sizeof(ts)));
	}
	return done(s, rc, &err);
}

static int case_user_notice_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct vg_buf b = VG_BUF_INIT;
	struct user_notice n;
	int64_t id = 0;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--json]", &a);
	if (a.npos != 1 || id_arg(&a, "case", &id))
		return cli_usage(c, "ID [--json]");
	if ((rc = cli_open_store(c, 0, &s)))
		return rc;
	rc = user_notice_build(s, id, &n, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		rc = cli_print_json(user_notice_to_json(&n));
		user_notice_release(&n);
		return rc;
	}
	user_notice_text(&n, &b);
	fputs(b.data ? b.data : "", stdout);
	vg_buf_release(&b);
	user_notice_release(&n);
	return CLI_OK;
}

int cmd_case(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"list", case_list_cmd, "list cases (filter by state)"},
	    {"show", case_show_cmd, "one case: report, links, messages, exposures"},
	    {"open", case_open_cmd, "record a report received by other means"},
	    {"new", case_new_cmd, "open a case yourself, or from findings (--findings 12,13)"},
	    {"ack", case_ack_cmd, "acknowledge a report (stops the 48-hour clock)"},
	    {"state", case_state_cmd, "move a case (triaged, accepted, rejected, ...)"},
	    {"assign", case_assign_cmd, "assign a case to a person"},
	    {"note", case_note_cmd, "add an internal note"},
	    {"message", case_message_cmd, "send a message to the reporter"},
	    {"link", case_link_cmd,
	     "link (or --remove) a product, version, CVE, GHSA, finding, advisory, release"},
	    {"set", case_set_cmd, "set the embargo date or the credit line"},
	    {"exploited", case_exploited_cmd, "mark actively exploited (starts Art. 14 clocks)"},
	    {"close", case_close_cmd, "close a case"},
	    {"forget-addresses", case_forget_addresses_cmd,
	     "forget reporters' address hashes older than psirt.reporter_addr_days (or --days)"},
	    {"user-notice", case_user_notice_cmd,
	     "the Art. 14(8) information to users (text or vigil-user-notification/1 JSON)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "case", "PSIRT cases: vulnerability reports and their handling.",
			    verbs, argc, argv);
}
