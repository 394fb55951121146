/*
 * cmd_advisory.c - `vigil advisory`: draft, edit, approve, publish,
 * withdraw, list, show, check, and the provider's verbs (provider.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "advisory/csaf_adv.h"
#include "advisory/csaf_check.h"
#include "advisory/provider.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/error.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define CSAF_FILE_MAX (16 * 1024 * 1024)

static int open_adv(struct cli *c, const char *ref, struct store **s, int64_t *id)
{
	struct vg_error err = {0};
	int rc = cli_open_store(c, 0, s);
	if (!rc && advisory_resolve(*s, ref, id, &err))
		rc = cli_error(&err);
	return rc;
}

static void print_check(const struct csaf_check_result *r)
{
	static const char *kinds[] = {"schema", "mandatory", "recommended"};
	printf("CSAF checks: %s (%zu schema, %zu mandatory failures, %zu recommended warnings)\n",
	       csaf_check_passes(r) ? "pass" : "FAIL", r->schema_failures, r->mandatory_failures,
	       r->recommended_warnings);
	for (size_t i = 0; i < r->n; i++)
		printf("  %-11s %-8s %s: %s\n", kinds[r->issues[i].kind], r->issues[i].test,
		       r->issues[i].path[0] ? r->issues[i].path : "/", r->issues[i].message);
}

static int show(struct store *s, int64_t id, int json)
{
	struct csaf_adv a = {0};
	struct csaf_check_result r = {0};
	struct vg_error err = {0};
	int rc = advisory_get(s, id, &a, &err);
	if (rc)
		return cli_error(&err);
	if (csaf_check(a.doc, strlen(a.doc), &r, &err)) {
		csaf_adv_release(&a);
		return cli_error(&err);
	}
	if (json) {
		json_t *o = csaf_adv_to_json(&a);
		json_object_set_new(o, "check", csaf_check_result_to_json(&r));
		rc = cli_print_json(o);
	} else {
		char path[600];
		(void)advisory_csaf_path(&a, path, sizeof(path));
		printf("advisory %lld  %s  (case %lld)\n", (long long)a.id, a.tracking_id,
		       (long long)a.case_id);
		printf("title:     %s\nstate:     %s\nrevision:  %lld\nversion:   %lld published\n",
		       a.title, a.state, (long long)a.revision, (long long)a.csaf_version);
		if (path[0])
			printf("csaf file: %s\n", path);
		printf("approvals: %zu of %d%s\n", a.napprovers, a.approvals_needed,
		       a.four_eyes ? " (four-eyes: not by the revision's author)" : "");
		print_check(&r);
	}
	csaf_check_result_free(&r);
	csaf_adv_release(&a);
	return rc;
}

static int draft_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0, case_id;
	char *end = NULL;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "CASE [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "CASE [--json]");
	case_id = strtoll(a.pos[0][0] == '#' ? a.pos[0] + 1 : a.pos[0], &end, 10);
	if (!end || *end || case_id <= 0) {
		fprintf(stderr, "vigil: case '%s': expected a case number\n", a.pos[0]);
		return CLI_USAGE;
	}
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (advisory_draft(s, case_id, &id, &err))
		rc = cli_error(&err);
	else if (cli_flag(&a, "json"))
		rc = show(s, id, 1);
	else
		rc = show(s, id, 0);
	store_close(s);
	return rc;
}

/* edit ID --set PATH=VALUE ... [--file doc.json] [--json]: --set repeats,
 * so its values are gathered before the common parser. */
static int edit_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"file=", "json", NULL};
	const char *usage = "ID --set PATH=VALUE [--set ...] [--file doc.json] [--json]";
	char *paths[64], *rest[64];
	const char *values[64];
	size_t n = 0;
	int nrest = 0, rc;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct csaf_check_result r = {0};
	struct vg_buf file = VG_BUF_INIT;
	int64_t id = 0;

	for (int i = 0; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--set") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--set=", 6) == 0)
			v = argv[i] + 6;
		if (v) {
			const char *eq = strchr(v, '=');
			if (!eq || eq == v || n >= 64) {
				fprintf(stderr, "vigil: --set '%s': expected PATH=VALUE\n", v);
				for (size_t k = 0; k < n; k++)
					free(paths[k]);
				return CLI_USAGE;
			}
			paths[n] = malloc((size_t)(eq - v) + 1);
			if (!paths[n])
				return cli_fail("out of memory");
			memcpy(paths[n], v, (size_t)(eq - v));
			paths[n][eq - v] = '\0';
			values[n++] = eq + 1;
			continue;
		}
		if (nrest < 64)
			rest[nrest++] = argv[i];
	}
	rc = cli_parse(c, nrest, rest, spec, usage, &a);
	if (rc || a.npos != 1 || (!n && !cli_opt(&a, "file"))) {
		for (size_t k = 0; k < n; k++)
			free(paths[k]);
		if (rc < 0)
			return CLI_OK;
		return rc ? rc : cli_usage(c, "%s", usage);
	}
	if (cli_opt(&a, "file") &&
	    vg_buf_read_file(&file, cli_opt(&a, "file"), CSAF_FILE_MAX, &err) != VG_OK)
		rc = cli_error(&err);
	if (!rc)
		rc = open_adv(c, a.pos[0], &s, &id);
	if (!rc && advisory_edit(s, id, n, (const char *const *)paths, values,
				 cli_opt(&a, "file") ? (file.data ? file.data : "") : NULL,
				 file.len, &r, &err))
		rc = cli_error(&err);
	if (!rc) {
		if (cli_flag(&a, "json"))
			rc = show(s, id, 1);
		else
			print_check(&r);
	}
	csaf_check_result_free(&r);
	vg_buf_release(&file);
	for (size_t k = 0; k < n; k++)
		free(paths[k]);
	store_close(s);
	return rc;
}

static int approve_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int approved = 0, rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "ID", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID");
	rc = open_adv(c, a.pos[0], &s, &id);
	if (!rc && advisory_approve(s, id, &approved, &err))
		rc = cli_error(&err);
	if (!rc)
		printf("advisory %s approved%s\n", a.pos[0],
		       approved ? ": it may be published" : " (more approvals needed)");
	store_close(s);
	return rc;
}

static int publish_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"summary=", "interim", "json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--summary TEXT] [--interim] [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID [--summary TEXT] [--interim] [--json]");
	rc = open_adv(c, a.pos[0], &s, &id);
	if (!rc && advisory_publish(s, id, cli_opt(&a, "summary"), cli_flag(&a, "interim"), &err))
		rc = cli_error(&err);
	if (!rc && cli_flag(&a, "json")) {
		rc = show(s, id, 1);
	} else if (!rc) {
		struct csaf_adv d = {0};
		char path[600] = "";
		if (advisory_get(s, id, &d, &err) == VG_OK)
			(void)advisory_csaf_path(&d, path, sizeof(path));
		printf("advisory %s published as version %lld: %s\n", d.tracking_id,
		       (long long)d.csaf_version, path);
		csaf_adv_release(&d);
	}
	store_close(s);
	return rc;
}

static int withdraw_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"reason=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id = 0;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID --reason TEXT", &a);
	if (a.npos != 1 || !cli_opt(&a, "reason"))
		return cli_usage(c, "ID --reason TEXT");
	rc = open_adv(c, a.pos[0], &s, &id);
	if (!rc && advisory_withdraw(s, id, cli_opt(&a, "reason"), &err))
		rc = cli_error(&err);
	if (!rc)
		printf("advisory %s withdrawn (published again with a note saying so)\n", a.pos[0]);
	store_close(s);
	return rc;
}

static int show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "csaf", NULL};
	struct cli_args a;
	struct store *s = NULL;
	int64_t id = 0;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--json | --csaf]", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID [--json | --csaf]");
	rc = open_adv(c, a.pos[0], &s, &id);
	if (!rc && cli_flag(&a, "csaf")) {
		struct csaf_adv d = {0};
		struct vg_error err = {0};
		if (advisory_get(s, id, &d, &err))
			rc = cli_error(&err);
		else
			printf("%s\n", d.doc);
		csaf_adv_release(&d);
	} else if (!rc) {
		rc = show(s, id, cli_flag(&a, "json"));
	}
	store_close(s);
	return rc;
}

static int list_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		      struct vg_error *err)
{
	struct csaf_adv_list l = {0};
	int rc;
	(void)a;
	(void)arg;
	rc = advisory_list(s, 0, &l, err);
	if (rc)
		return rc;
	*out = csaf_adv_list_to_json(&l);
	csaf_adv_list_release(&l);
	return VG_OK;
}

static int list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct cli_col cols[] = {
	    {"ID", "id", 5},        {"TRACKING ID", "tracking_id", 22}, {"CASE", "case_id", 6},
	    {"STATE", "state", 10}, {"VERSION", "csaf_version", 8},     {"TITLE", "title", 0},
	    {NULL, NULL, 0}};
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .fetch = list_fetch, .cols = cols, .empty = "no advisories"};
	return cli_list(c, argc, argv, &l);
}

/* check FILE [--json]: the CSAF checks of a document (csaf_check.h). */
static int check_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct vg_buf b = VG_BUF_INIT;
	struct csaf_check_result r = {0};
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "FILE [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "FILE [--json]");
	if (vg_buf_read_file(&b, a.pos[0], CSAF_FILE_MAX, &err) ||
	    csaf_check(b.data ? b.data : "", b.len, &r, &err)) {
		vg_buf_release(&b);
		return cli_error(&err);
	}
	if (cli_flag(&a, "json"))
		cli_print_json(csaf_check_result_to_json(&r));
	else
		print_check(&r);
	rc = csaf_check_passes(&r) ? CLI_OK : CLI_FAIL;
	csaf_check_result_free(&r);
	vg_buf_release(&b);
	return rc;
}

static int provider_cmd(struct cli *c, int argc, char **argv)
{
	(void)c;
	return cmd_advisory_provider(argc, argv);
}

int cmd_advisory(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"draft", draft_cmd, "draft (or rebuild) the CSAF advisory of a case"},
	    {"edit", edit_cmd, "change the draft: --set PATH=VALUE, --file doc.json"},
	    {"approve", approve_cmd, "approve the latest revision (four-eyes when configured)"},
	    {"publish", publish_cmd, "publish an approved advisory through the CSAF provider"},
	    {"withdraw", withdraw_cmd, "withdraw a published advisory (it stays published)"},
	    {"list", list_cmd, "list the advisories"},
	    {"show", show_cmd, "one advisory with its checks (--csaf: the document)"},
	    {"check", check_cmd, "run the CSAF 2.0 checks on a document file"},
	    {"provider", provider_cmd, "the trusted CSAF provider (check)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "advisory", "CSAF security advisories drafted from PSIRT cases.",
			    verbs, argc, argv);
}
