/*
 * cmd_vex.c - `vigil vex export|import`: VEX documents (CycloneDX 1.6,
 * CSAF 2.0 csaf_vex, OpenVEX 0.2.0) from and into triage decisions.
 */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/error.h"
#include "store/store.h"
#include "triage/vex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define VEX_FILE_MAX (64u << 20)

static int vex_export_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "product=", "version=", "format=", "o=", "output=", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	const char *out = NULL;
	json_t *doc = NULL;
	char *text;
	int rc, fmt;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec,
			    "--product P --version V --format cyclonedx|csaf|openvex [-o FILE]\n\n"
			    "Write the VEX document of a product version from its triage "
			    "decisions:\none statement per vulnerability and component.",
			    &a);
	out = cli_opt(&a, "o") ? cli_opt(&a, "o") : cli_opt(&a, "output");
	fmt = vex_format_from_name(cli_opt(&a, "format"));
	if (!cli_opt(&a, "product") || !cli_opt(&a, "version") || !fmt || a.npos)
		return cli_usage(c, "--product P --version V --format cyclonedx|csaf|openvex "
				    "[-o FILE]");
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	rc = vex_export(s, cli_opt(&a, "product"), cli_opt(&a, "version"), fmt, &doc, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text)
		return cli_fail("out of memory");
	if (out) {
		FILE *f = fopen(out, "w");
		if (!f || fputs(text, f) < 0 || fputc('\n', f) < 0) {
			if (f)
				fclose(f);
			free(text);
			return cli_fail("%s: cannot write", out);
		}
		if (fclose(f)) {
			free(text);
			return cli_fail("%s: cannot write", out);
		}
	} else {
		puts(text);
	}
	free(text);
	return CLI_OK;
}

static int vex_import_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "version=", "json", NULL};
	static const char *const names[] = {"", "cyclonedx", "csaf", "openvex"};
	struct cli_args a;
	struct vg_error err = {0};
	struct vg_buf b;
	struct store *s = NULL;
	struct vex_import_stats st;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec,
			    "FILE --product P --version V [--json]\n\n"
			    "Apply the statements of a VEX document (CycloneDX, CSAF csaf_vex or\n"
			    "OpenVEX) as triage decisions on the findings of a product version.\n"
			    "A malformed document changes nothing.",
			    &a);
	if (a.npos != 1 || !cli_opt(&a, "product") || !cli_opt(&a, "version"))
		return cli_usage(c, "FILE --product P --version V");
	vg_buf_init(&b, VEX_FILE_MAX);
	if (vg_buf_read_file(&b, a.pos[0], VEX_FILE_MAX, &err)) {
		vg_buf_release(&b);
		return cli_error(&err);
	}
	if ((rc = cli_open_store(c, 1, &s))) {
		vg_buf_release(&b);
		return rc;
	}
	rc = vex_import(s, b.data ? b.data : "", b.len, a.pos[0], cli_opt(&a, "product"),
			cli_opt(&a, "version"), &st, &err);
	store_close(s);
	vg_buf_release(&b);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(json_pack(
		    "{s:s, s:I, s:I, s:I, s:I}", "format", names[st.format], "statements",
		    (json_int_t)st.statements, "applied", (json_int_t)st.applied, "unchanged",
		    (json_int_t)st.unchanged, "unmatched", (json_int_t)st.unmatched));
	printf("%s: %ld statement(s): %ld applied, %ld unchanged, %ld matched no finding\n",
	       names[st.format], st.statements, st.applied, st.unchanged, st.unmatched);
	return CLI_OK;
}

int cmd_vex(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"export", vex_export_cmd, "write a product version's VEX document"},
	    {"import", vex_import_cmd, "apply a VEX document as triage decisions"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "vex", "VEX: triage decisions as CycloneDX, CSAF or OpenVEX.", verbs,
			    argc, argv);
}
