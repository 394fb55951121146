/*
 * cmd_scope.c - `vigil scope add|edit|list|show|review|retire|import|export|
 * proposals|confirm|check-reviews`: the scope map of internal systems.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "programme/programme.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* The options of add and edit, in the order of scope_fields (but name is
 * the positional argument). */
static const char *const input_spec[] = {
    "description=", "owner=",     "class=",        "rationale=", "assessment=", "review=",
    "products=",    "data-held=", "network-zone=", "json",       NULL};

static void input_of(const struct cli_args *a, const char *name, struct scope_input *in)
{
	memset(in, 0, sizeof(*in));
	in->name = name;
	in->description = cli_opt(a, "description");
	in->owner = cli_opt(a, "owner");
	in->cls = cli_opt(a, "class");
	in->rationale = cli_opt(a, "rationale");
	in->assessment = cli_opt(a, "assessment");
	in->review = cli_opt(a, "review");
	in->products = cli_opt(a, "products");
	in->data_held = cli_opt(a, "data-held");
	in->network_zone = cli_opt(a, "network-zone");
}

/* A field name as its option. */
static const char *option_of(const char *field)
{
	if (!field)
		return "";
	if (strcmp(field, "data_held") == 0)
		return "--data-held";
	if (strcmp(field, "network_zone") == 0)
		return "--network-zone";
	if (strcmp(field, "name") == 0)
		return "NAME";
	return field;
}

static void print_system(const json_t *o)
{
	const json_t *p = json_object_get(o, "products");
	size_t i;
	json_t *v;
	printf("name:         %s\n", vg_json_str(o, "name"));
	printf("class:        %s\n", vg_json_str(o, "class"));
	printf("assessment:   %s\n", vg_json_str(o, "assessment"));
	printf("owner:        %s\n", vg_json_str(o, "owner"));
	printf("review:       %s%s\n", vg_json_str(o, "review") ? vg_json_str(o, "review") : "-",
	       json_is_true(json_object_get(o, "overdue")) ? "  OVERDUE" : "");
	printf("products:     ");
	json_array_foreach(p, i, v) printf("%s%s", i ? ", " : "", json_string_value(v));
	printf("%s\n", json_array_size(p) ? "" : "-");
	printf("data held:    %s\n", vg_json_str(o, "data_held"));
	printf("network zone: %s\n", vg_json_str(o, "network_zone"));
	printf("description:  %s\n", vg_json_str(o, "description"));
	printf("rationale:    %s\n", vg_json_str(o, "rationale"));
	printf("revision:     %lld\n", vg_json_int(o, "revision", 1));
	if (vg_json_str(o, "retired_at"))
		printf("retired:      %s by %s\n", vg_json_str(o, "retired_at"),
		       vg_json_str(o, "retired_by") ? vg_json_str(o, "retired_by") : "-");
}

static int show_one(struct store *s, const char *name, int json, struct vg_error *err)
{
	struct scope_list l;
	json_t *o;
	if (scope_get(s, name, &l, err))
		return cli_error(err);
	o = scope_system_to_json(&l.items[0], vg_now());
	scope_list_release(&l);
	if (json)
		return cli_print_json(o);
	print_system(o);
	json_decref(o);
	return CLI_OK;
}

static int write_cmd(struct cli *c, int argc, char **argv, int creating)
{
	const char *usage =
	    creating ? "NAME --owner O --class "
		       "business-it|support-infrastructure|product-infrastructure "
		       "--review YYYY-MM-DD [--description T] [--rationale T] [--assessment "
		       "assumed|assessed|needs-assessment] [--products P,Q] [--data-held T] "
		       "[--network-zone Z] [--json]"
		     : "NAME [--owner O] [--class C] [--review YYYY-MM-DD] [--description T] "
		       "[--rationale T] [--assessment A] [--products P,Q] [--data-held T] "
		       "[--network-zone Z] [--json]";
	struct scope_input in;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	const char *field = NULL;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, input_spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	input_of(&a, a.pos[0], &in);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (scope_check(s, &in, creating, &field, &err)) {
		fprintf(stderr, "vigil: %s: %s\n", option_of(field), vg_error_msg(&err));
		store_close(s);
		return CLI_USAGE;
	}
	if (creating ? scope_add(s, &in, &err) : scope_edit(s, a.pos[0], &in, &err))
		rc = cli_error(&err);
	else if (cli_flag(&a, "json"))
		rc = show_one(s, a.pos[0], 1, &err);
	else
		printf("%s %s\n", creating ? "added" : "changed", a.pos[0]);
	store_close(s);
	return rc;
}

static int add_cmd(struct cli *c, int argc, char **argv)
{
	return write_cmd(c, argc, argv, 1);
}

static int edit_cmd(struct cli *c, int argc, char **argv)
{
	return write_cmd(c, argc, argv, 0);
}

static int list_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		      struct vg_error *err)
{
	struct scope_filter f = {0};
	struct scope_list l;
	int64_t now = vg_now(), total = 0;
	int rc;
	(void)arg;
	f.cls = cli_opt(a, "class");
	f.assessment = cli_opt(a, "assessment");
	f.product = cli_opt(a, "product");
	f.q = cli_opt(a, "q");
	f.overdue = cli_flag(a, "overdue");
	f.retired = cli_flag(a, "all") ? 2 : cli_flag(a, "retired") ? 1 : 0;
	f.sort = cli_opt(a, "sort");
	rc = scope_list(s, &f, &l, &total, err);
	if (rc)
		return rc;
	*out = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(*out, scope_system_to_json(&l.items[i], now));
	scope_list_release(&l);
	return VG_OK;
}

static void list_row(const json_t *o, void *arg)
{
	(void)arg;
	printf("%-36s %-23s %-17s %-10s %s%s%s\n", vg_json_str(o, "name"), vg_json_str(o, "class"),
	       vg_json_str(o, "assessment"),
	       vg_json_str(o, "review") ? vg_json_str(o, "review") : "-", vg_json_str(o, "owner"),
	       json_is_true(json_object_get(o, "overdue")) ? "  OVERDUE" : "",
	       vg_json_str(o, "retired_at") ? "  RETIRED" : "");
}

static int list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"class=",  "assessment=", "product=", "q=", "overdue",
					   "retired", "all",         "sort=",    NULL};
	static const struct cli_list_spec l = {
	    .spec = spec,
	    .usage = "[--class C] [--assessment A] [--product P] [--q TEXT] [--overdue] "
		     "[--retired|--all] [--sort name|class|owner|assessment|review|updated] "
		     "[--json]",
	    .fetch = list_fetch,
	    .print_row = list_row,
	    .empty = "the scope map is empty (vigil scope add, or vigil scope proposals)"};
	return cli_list(c, argc, argv, &l);
}

static int show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "NAME [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "NAME [--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = show_one(s, a.pos[0], cli_flag(&a, "json"), &err);
	store_close(s);
	return rc;
}

static int review_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"next=", NULL};
	const char *usage = "NAME --next YYYY-MM-DD";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || !cli_opt(&a, "next"))
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (scope_reviewed(s, a.pos[0], cli_opt(&a, "next"), &err))
		rc = cli_error(&err);
	else
		printf("reviewed %s; next review %s\n", a.pos[0], cli_opt(&a, "next"));
	store_close(s);
	return rc;
}

static int retire_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"reason=", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "NAME [--reason TEXT]", &a);
	if (a.npos != 1)
		return cli_usage(c, "NAME [--reason TEXT]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (scope_retire(s, a.pos[0], cli_opt(&a, "reason"), &err))
		rc = cli_error(&err);
	else
		printf("retired %s\n", a.pos[0]);
	store_close(s);
	return rc;
}

static int format_of(const struct cli *c, const char *fmt, const char *file, enum scope_format *out)
{
	if (!fmt && file) {
		size_t n = strlen(file);
		fmt = n > 5 && strcmp(file + n - 5, ".json") == 0 ? "json" : "csv";
	}
	if (!fmt || strcmp(fmt, "csv") == 0)
		*out = SCOPE_CSV;
	else if (strcmp(fmt, "json") == 0)
		*out = SCOPE_JSON;
	else
		return cli_usage(c, "--format '%s': expected csv or json", fmt);
	return CLI_OK;
}

static int import_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"format=", NULL};
	const char *usage = "FILE [--format csv|json]";
	struct vg_buf data = VG_BUF_INIT;
	enum scope_format fmt;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int added = 0, changed = 0, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	if ((rc = format_of(c, cli_opt(&a, "format"), a.pos[0], &fmt)))
		return rc;
	if (vg_buf_read_file(&data, a.pos[0], 16 * 1024 * 1024, &err))
		return cli_error(&err);
	rc = cli_open_store(c, 0, &s);
	if (!rc && scope_import(s, fmt, data.data ? (const char *)data.data : "", data.len,
				a.pos[0], &added, &changed, &err))
		rc = cli_error(&err);
	else if (!rc)
		printf("imported %s: %d added, %d changed\n", a.pos[0], added, changed);
	vg_buf_release(&data);
	store_close(s);
	return rc;
}

static int export_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"format=", "o=", "all", NULL};
	const char *usage = "[--format csv|json] [-o FILE] [--all]";
	struct vg_buf b = VG_BUF_INIT;
	enum scope_format fmt;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos)
		return cli_usage(c, "%s", usage);
	if ((rc = format_of(c, cli_opt(&a, "format"), cli_opt(&a, "o"), &fmt)))
		return rc;
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (scope_export(s, fmt, cli_flag(&a, "all"), &b, &err)) {
		rc = cli_error(&err);
	} else if (cli_opt(&a, "o")) {
		FILE *f = fopen(cli_opt(&a, "o"), "wb");
		if (!f || fwrite(b.data, 1, b.len, f) != b.len)
			rc = cli_fail("%s: cannot write", cli_opt(&a, "o"));
		if (f && fclose(f) && !rc)
			rc = cli_fail("%s: cannot write", cli_opt(&a, "o"));
	} else if (b.len) {
		fwrite(b.data, 1, b.len, stdout);
	}
	vg_buf_release(&b);
	store_close(s);
	return rc;
}

static int proposals_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	const struct scope_proposal *p[8];
	size_t n = 0;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (scope_proposals_open(s, p, 8, &n, &err)) {
		rc = cli_error(&err);
	} else if (cli_flag(&a, "json")) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(
			    arr,
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "key", p[i]->key,
				      "name", p[i]->name, "class", p[i]->cls, "description",
				      p[i]->description, "rationale", p[i]->rationale, "data_held",
				      p[i]->data_held, "network_zone", p[i]->network_zone));
		rc = cli_print_json(arr);
	} else if (!n) {
		printf("no open proposals: vigil's own systems are in the scope map\n");
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%-14s %-40s %s\n", p[i]->key, p[i]->name, p[i]->cls);
		printf("confirm one with: vigil scope confirm KEY --owner O --review "
		       "YYYY-MM-DD\n");
	}
	store_close(s);
	return rc;
}

static int confirm_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"owner=", "review=", NULL};
	const char *usage = "KEY --owner O --review YYYY-MM-DD";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (scope_confirm(s, a.pos[0], cli_opt(&a, "owner"), cli_opt(&a, "review"), &err))
		rc = cli_error(&err);
	else
		printf("confirmed %s\n", a.pos[0]);
	store_close(s);
	return rc;
}

static int check_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int sent = 0, rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "", &a);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (scope_review_tick(s, vg_now(), &sent, &err))
		rc = cli_error(&err);
	else
		printf("%d overdue review alert(s) sent\n", sent);
	store_close(s);
	return rc;
}

int cmd_scope(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"add", add_cmd, "add an internal system to the scope map"},
	    {"edit", edit_cmd, "change fields of a system"},
	    {"list", list_cmd, "list the systems (filters, --overdue, --json)"},
	    {"show", show_cmd, "one system"},
	    {"review", review_cmd, "mark a system reviewed and set its next review"},
	    {"retire", retire_cmd, "retire a system (kept in the record)"},
	    {"import", import_cmd, "import CSV or JSON (all or nothing)"},
	    {"export", export_cmd, "export CSV or JSON"},
	    {"proposals", proposals_cmd, "vigil's own systems proposed for the map"},
	    {"confirm", confirm_cmd, "confirm one of vigil's proposals"},
	    {"check-reviews", check_cmd, "alert overdue reviews now (the job scope.reviews)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "scope", "the scope map of internal systems (the programme record)",
			    verbs, argc, argv);
}
