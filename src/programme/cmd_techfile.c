/*
 * cmd_techfile.c - `vigil techfile export --product P [--version V] -o
 * FILE.tar.zst [--key FILE]` and `vigil techfile verify FILE [--vkey KEY |
 * --vkey-file FILE] [--json]`.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "audit/note.h"
#include "core/buf.h"
#include "core/error.h"
#include "programme/techfile.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

static int export_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "version=", "o=", "key=", NULL};
	const char *usage = "--product P [--version V] -o FILE.tar.zst [--key FILE]";
	struct techfile_req r = {0};
	struct techfile_result res;
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "product") || !cli_opt(&a, "o"))
		return cli_usage(c, "%s", usage);
	r.product = cli_opt(&a, "product");
	r.version = cli_opt(&a, "version");
	r.out = cli_opt(&a, "o");
	r.key = cli_opt(&a, "key");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (techfile_export(s, &r, &res, &err))
		rc = cli_error(&err);
	else
		printf("wrote %s: the technical file of %s%s%s (%d parts, signed manifest)\n",
		       r.out, r.product, r.version ? " " : "", r.version ? r.version : "",
		       res.parts);
	store_close(s);
	return rc;
}

/* The verifier key of the local key file, when there is one (malloc'ed). */
static char *local_vkey(const char *path)
{
	struct note_signer sg;
	struct vg_error err = {0};
	struct stat st;
	char *v;
	if (stat(path, &st) != 0 || note_key_file_load(path, &sg, &err))
		return NULL;
	v = note_vkey(sg.name, sg.pub);
	note_signer_release(&sg);
	return v;
}

static int verify_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"vkey=", "vkey-file=", "json", NULL};
	const char *usage = "FILE [--vkey KEY | --vkey-file FILE] [--json]";
	struct bundle_report rep;
	struct vg_buf kb = VG_BUF_INIT;
	struct cli_args a;
	struct vg_error err = {0};
	char *vkey = NULL;
	int rc = CLI_OK;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	if (cli_opt(&a, "vkey")) {
		vkey = strdup(cli_opt(&a, "vkey"));
	} else if (cli_opt(&a, "vkey-file")) {
		if (vg_buf_read_file(&kb, cli_opt(&a, "vkey-file"), 4096, &err))
			return cli_error(&err);
		vkey = strndup(kb.data ? (const char *)kb.data : "", kb.len);
		vg_buf_release(&kb);
		if (vkey)
			vkey[strcspn(vkey, "\r\n")] = '\0';
	} else {
		vkey = local_vkey(note_key_file_path());
	}
	if (techfile_verify(a.pos[0], vkey, &rep, &err)) {
		fprintf(stderr, "vigil: %s: NOT intact: %s\n", a.pos[0], vg_error_msg(&err));
		rc = CLI_FAIL;
	} else if (cli_flag(&a, "json")) {
		rc = cli_print_json(json_pack(
		    "{s:b, s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:O}", "intact", 1, "kind", rep.kind,
		    "created", rep.created, "signer", rep.signer, "vkey", rep.vkey,
		    "key_from_bundle", rep.key_from_bundle, "files", (json_int_t)rep.files, "bytes",
		    (json_int_t)rep.bytes, "manifest", rep.manifest));
	} else {
		printf("%s: intact: %zu files, %llu bytes, signed by %s%s\n", a.pos[0], rep.files,
		       (unsigned long long)rep.bytes, rep.signer,
		       rep.key_from_bundle ? " (checked against the key the bundle names: give "
					     "--vkey to check against a key you trust)"
					   : "");
	}
	json_decref(rep.manifest);
	free(vkey);
	return rc;
}

int cmd_techfile(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"export", export_cmd, "write a product's technical file as a signed .tar.zst"},
	    {"verify", verify_cmd, "check a technical file offline (manifest, sums, signature)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "techfile",
			    "the technical file of a product (Art. 13(13), Annex VII)", verbs, argc,
			    argv);
}
