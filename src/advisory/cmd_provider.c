#define _POSIX_C_SOURCE 200809L
/*
 * cmd_provider.c - `vigil advisory provider ...` (the advisory noun's
 * dispatcher hands argv to cmd_advisory_provider()):
 *
 *   check [--url BASE] [--cacert FILE] [--allow-http] [--json]
 *       the published tree against CSAF 2.0 section 7 (provider_check.c),
 *       read over HTTP from BASE or, without --url, from the store
 *   validate FILE [--json]
 *       csaf_check() of one document: schema, mandatory and recommended tests
 *   put FILE [--tlp LABEL]
 *       an administrator's way to publish a finished CSAF document into the
 *       tree (tests, and documents made outside vigil): it must pass
 *       csaf_check(); audited as advisory.provider_put
 */
#include "advisory/csaf_check.h"
#include "advisory/provider.h"
#include "advisory/provider_int.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/json.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define DOC_MAX (16 * 1024 * 1024)

static void print_check(const struct csaf_check_result *r, const char *file)
{
	static const char *const kinds[] = {"schema", "mandatory", "recommended"};
	for (size_t i = 0; i < r->n; i++)
		printf("%s: %s%s%s at %s: %s\n", file, kinds[r->issues[i].kind],
		       r->issues[i].kind == CSAF_CHECK_SCHEMA ? "" : " ",
		       r->issues[i].kind == CSAF_CHECK_SCHEMA ? "" : r->issues[i].test,
		       r->issues[i].path[0] ? r->issues[i].path : "/", r->issues[i].message);
	printf("%s: %s (%zu schema, %zu mandatory failures; %zu recommended warnings)\n", file,
	       csaf_check_passes(r) ? "valid CSAF 2.0" : "invalid", r->schema_failures,
	       r->mandatory_failures, r->recommended_warnings);
}

static int pv_validate(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	const char *usage = "FILE [--json]";
	struct cli_args a;
	struct vg_error err = {0};
	struct csaf_check_result r;
	struct vg_buf b;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	vg_buf_init(&b, DOC_MAX);
	if (vg_buf_read_file(&b, a.pos[0], DOC_MAX, &err) ||
	    csaf_check(b.data ? b.data : "", b.len, &r, &err)) {
		vg_buf_release(&b);
		return cli_error(&err);
	}
	vg_buf_release(&b);
	int pass = csaf_check_passes(&r);
	if (cli_flag(&a, "json"))
		cli_print_json(csaf_check_result_to_json(&r));
	else
		print_check(&r, a.pos[0]);
	csaf_check_result_free(&r);
	return pass ? CLI_OK : CLI_FAIL;
}

static int64_t date_of(const json_t *tracking, const char *key)
{
	int64_t t = 0;
	struct vg_error e = {0};
	const char *s = vg_json_str(tracking, key);
	if (!s || vg_time_parse(s, &t, &e))
		return -1;
	return t;
}

static int pv_put(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"tlp=", NULL};
	const char *usage = "FILE [--tlp WHITE|GREEN|AMBER|RED]";
	struct cli_args a;
	struct vg_error err = {0};
	struct csaf_check_result r;
	struct vg_buf b;
	struct store *s = NULL;
	json_t *doc = NULL;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	vg_buf_init(&b, DOC_MAX);
	if (vg_buf_read_file(&b, a.pos[0], DOC_MAX, &err) ||
	    csaf_check(b.data ? b.data : "", b.len, &r, &err)) {
		vg_buf_release(&b);
		return cli_error(&err);
	}
	if (!csaf_check_passes(&r)) {
		print_check(&r, a.pos[0]);
		csaf_check_result_free(&r);
		vg_buf_release(&b);
		return cli_fail("%s: not published: it fails the CSAF 2.0 schema or a mandatory "
				"test",
				a.pos[0]);
	}
	csaf_check_result_free(&r);
	doc = json_loadb(b.data, b.len, 0, NULL);
	json_t *tr = json_object_get(json_object_get(doc, "document"), "tracking");
	const char *label = vg_json_str(
	    json_object_get(json_object_get(json_object_get(doc, "document"), "distribution"),
			    "tlp"),
	    "label");
	const char *tlp = cli_opt(&a, "tlp");
	if (tlp && label && strcmp(tlp, label) != 0) {
		rc = cli_fail("%s: --tlp %s, but /document/distribution/tlp/label is %s", a.pos[0],
			      tlp, label);
		goto out;
	}
	if (!tlp)
		tlp = label;
	if (!tlp) {
		rc = cli_fail("%s: /document/distribution/tlp/label is missing: give --tlp",
			      a.pos[0]);
		goto out;
	}
	struct csaf_publication p = {
	    .tracking_id = vg_json_str(tr, "id"),
	    .version = vg_json_str(tr, "version"),
	    .tlp_label = tlp,
	    .initial_release = date_of(tr, "initial_release_date"),
	    .current_release = date_of(tr, "current_release_date"),
	    .json = b.data,
	    .len = b.len,
	};
	if (p.initial_release < 0 || p.current_release < 0) {
		rc = cli_fail("%s: /document/tracking: release dates are not RFC 3339", a.pos[0]);
		goto out;
	}
	if ((rc = cli_open_store(c, 0, &s)))
		goto out;
	char path[700];
	if (csaf_document_path(tlp, p.initial_release, p.tracking_id, path, sizeof(path)))
		path[0] = '\0';
	json_t *after = json_pack("{s:s, s:s, s:s, s:s}", "tracking_id", p.tracking_id, "version",
				  p.version, "tlp", tlp, "path", path);
	rc = store_tx_begin(s, &err);
	if (!rc)
		rc = provider_put(s, &p, &err);
	if (!rc)
		rc = store_audit(s, "advisory.provider_put", "csaf_document", p.tracking_id, NULL,
				 after, &err);
	json_decref(after);
	rc = store_tx_end(s, rc, &err);
	if (rc)
		rc = cli_error(&err);
	else
		printf("published %s version %s at %s\n", p.tracking_id, p.version, path);
out:
	json_decref(doc);
	vg_buf_release(&b);
	store_close(s);
	return rc;
}

static int pv_check(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"url=", "cacert=", "allow-http", "json", NULL};
	const char *usage = "[--url BASE] [--cacert FILE] [--allow-http] [--json]";
	struct cli_args a;
	struct vg_error err = {0};
	struct provider_report r;
	struct provider_source src = {0};
	struct store *s = NULL;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 0)
		return cli_usage(c, "%s", usage);
	src.base_url = cli_opt(&a, "url");
	src.cacert = cli_opt(&a, "cacert");
	src.allow_http = cli_flag(&a, "allow-http");
	if (!src.base_url) {
		if ((rc = cli_open_store(c, 0, &s)))
			return rc;
		src.s = s;
		src.allow_http = 1; /* the store has no transport; 7.1.3 is for --url */
	}
	rc = provider_check(&src, &r, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	int pass = r.failures == 0;
	if (cli_flag(&a, "json"))
		cli_print_json(provider_report_to_json(&r));
	else {
		for (size_t i = 0; i < r.n; i++)
			printf("%s %s: %s: %s\n", r.v[i].warning ? "warning" : "FAIL",
			       r.v[i].requirement, r.v[i].url, r.v[i].message);
		printf("%s: %s (%zu documents, %zu failures, %zu warnings)\n", r.metadata_url,
		       pass ? "trusted provider requirements met" : "requirements NOT met",
		       r.documents, r.failures, r.warnings);
	}
	provider_report_free(&r);
	return pass ? CLI_OK : CLI_FAIL;
}

int cmd_advisory_provider(int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"check", pv_check, "check the published tree against CSAF 2.0 section 7"},
	    {"validate", pv_validate, "run the CSAF 2.0 schema and tests on one document"},
	    {"put", pv_put, "publish a finished CSAF document into the tree (admin)"},
	    {NULL, NULL, NULL},
	};
	struct cli c = {0};
	c.db_url = vg_config_get("database.url", "./var/vigil.db");
	c.prog = "vigil";
	return cli_dispatch(&c, "advisory provider",
			    "The trusted CSAF provider: /.well-known/csaf/ (CSAF 2.0 section 7).",
			    verbs, argc, argv);
}
