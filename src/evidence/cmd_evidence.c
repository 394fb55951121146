/*
 * cmd_evidence.c - `vigil evidence export` and `vigil evidence verify`.
 */
#define _POSIX_C_SOURCE 200809L
#include "audit/note.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "evidence/export.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define EXPORT_USAGE                                                                      \
	"--case ID | --incident ID | --since T --until T [--product P [--version V]] -o " \
	"FILE.tar.zst [--json]"

static int time_opt(const struct cli_args *a, const char *name, int64_t *out)
{
	struct vg_error e = {0};
	const char *v = cli_opt(a, name);
	if (!v)
		return VG_OK;
	if (vg_time_parse(v, out, &e)) {
		fprintf(stderr, "vigil: --%s: %s\n", name, vg_error_msg(&e));
		return CLI_USAGE;
	}
	return VG_OK;
}

static int export_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "case=", "incident=", "since=", "until=", "product=", "version=", "o=", "json", NULL};
	struct evidence_scope sc = {0};
	struct evidence_result res;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc, modes;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, EXPORT_USAGE, &a);
	modes = !!cli_opt(&a, "case") + !!cli_opt(&a, "incident") +
		!!(cli_opt(&a, "since") || cli_opt(&a, "until"));
	if (a.npos || modes != 1 || !cli_opt(&a, "o") ||
	    (cli_opt(&a, "version") && !cli_opt(&a, "product")) ||
	    ((cli_opt(&a, "since") || cli_opt(&a, "until")) &&
	     !(cli_opt(&a, "since") && cli_opt(&a, "until"))))
		return cli_usage(c, "%s", EXPORT_USAGE);
	if ((rc = cli_opt_int(c, &a, "case", 1, INT64_MAX, 0, &sc.case_id)) ||
	    (rc = cli_opt_int(c, &a, "incident", 1, INT64_MAX, 0, &sc.incident_id)) ||
	    (rc = time_opt(&a, "since", &sc.since)) || (rc = time_opt(&a, "until", &sc.until)))
		return rc;
	if (sc.since && sc.until && sc.until < sc.since) {
		fprintf(stderr, "vigil: --until is before --since\n");
		return CLI_USAGE;
	}
	sc.product = cli_opt(&a, "product");
	sc.version = cli_opt(&a, "version");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = evidence_export(s, &sc, cli_opt(&a, "o"), &res, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		cli_print_json(json_pack("{s:s, s:s, s:I, s:I}", "file", cli_opt(&a, "o"), "sha256",
					 res.sha256, "checkpoint_size",
					 (json_int_t)res.checkpoint_size, "records",
					 (json_int_t)res.records));
	else
		printf("evidence bundle %s: %zu audit records proved against the checkpoint of "
		       "%lld records; sha256 %s\n",
		       cli_opt(&a, "o"), res.records, (long long)res.checkpoint_size, res.sha256);
	return CLI_OK;
}

static int verify_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"key=", "json", NULL};
	struct evidence_check ck;
	struct note_verifier v;
	struct cli_args a;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "FILE [--key VKEY] [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "FILE [--key VKEY] [--json]");
	if (cli_opt(&a, "key") && note_vkey_parse(cli_opt(&a, "key"), &v, &err))
		return cli_error(&err);
	rc = evidence_verify(a.pos[0], cli_opt(&a, "key") ? &v : NULL, cli_opt(&a, "key") ? 1 : 0,
			     &ck, &err);
	if (rc && rc != VG_EAUDIT)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		json_t *o = json_pack(
		    "{s:b, s:s, s:s, s:I, s:I, s:I, s:b}", "intact", rc == VG_OK, "signer",
		    ck.bundle.signer, "vkey", ck.bundle.vkey, "files", (json_int_t)ck.bundle.files,
		    "checkpoint_size", (json_int_t)ck.checkpoint_size, "records",
		    (json_int_t)ck.records, "key_from_bundle", ck.bundle.key_from_bundle);
		if (rc)
			json_object_set_new(o, "problem", json_string(vg_error_msg(&err)));
		cli_print_json(o);
	} else if (rc == VG_OK) {
		printf("evidence bundle intact: %zu files signed by %s; %zu audit records proved "
		       "against the checkpoint of %lld records\n",
		       ck.bundle.files, ck.bundle.vkey, ck.records, (long long)ck.checkpoint_size);
		if (ck.bundle.key_from_bundle)
			printf("note: checked against the key the bundle names; give --key VKEY "
			       "(from a copy you trust) to check who signed it\n");
	}
	if (rc)
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
	json_decref(ck.bundle.manifest);
	return rc == VG_OK ? CLI_OK : CLI_FAIL;
}

int cmd_evidence(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"export", export_cmd,
	     "a signed evidence bundle of a case, an incident or a time range"},
	    {"verify", verify_cmd, "check an evidence bundle offline; exit 1 at the first problem"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "evidence",
			    "Evidence bundles: audit records with proofs, SBOMs, findings, "
			    "Article 14 records.",
			    verbs, argc, argv);
}
