/*
 * cmd_signer.c - `vigil signer add|keygen|list|test|remove`.
 */
#include "cli/cli.h"
#include "core/error.h"
#include "core/json.h"
#include "store/store.h"
#include "update/signer.h"
#include "update/signer_admin.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define DEV_MARK " (development only)"

/* --pkcs11 URI or --software KEYFILE (exactly one) into sp. */
static int spec_from(struct cli *c, const struct cli_args *a, const char *usage,
		     struct update_signer_spec *sp)
{
	const char *p11 = cli_opt(a, "pkcs11"), *soft = cli_opt(a, "software");
	if (a->npos != 1 || (!p11) == (!soft))
		return cli_usage(c, "%s", usage);
	sp->name = a->pos[0];
	sp->kind = p11 ? "pkcs11" : "software";
	sp->uri = p11 ? p11 : soft;
	sp->pin_file = cli_opt(a, "pin-file");
	return CLI_OK;
}

static void print_added(const char *what, const struct update_signer_info *i)
{
	json_t *j = update_signer_info_to_json(i);
	printf("signer %s %s: %s %s, key id %s%s\n", i->name, what, i->kind, i->algorithm,
	       j ? vg_json_str(j, "key_id") : "?", i->development_only ? DEV_MARK : "");
	json_decref(j);
}

static int finish(struct cli *c, const struct cli_args *a, const char *what, int rc,
		  struct update_signer_info *i, struct vg_error *err)
{
	(void)c;
	if (rc)
		return cli_error(err);
	if (cli_flag(a, "json")) {
		json_t *j = update_signer_info_to_json(i);
		update_signer_info_release(i);
		if (!j)
			return cli_fail("out of memory");
		return cli_print_json(j);
	}
	print_added(what, i);
	update_signer_info_release(i);
	return CLI_OK;
}

static int sg_add(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"pkcs11=", "software=", "pin-file=", "json", NULL};
	const char *usage = "NAME (--pkcs11 URI [--pin-file FILE] | --software KEYFILE) [--json]";
	struct update_signer_spec sp = {0};
	struct update_signer_info i = {0};
	struct vg_error err = {0};
	struct cli_args a;
	struct store *s;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	rc = spec_from(c, &a, usage, &sp);
	if (rc)
		return rc;
	rc = cli_open_store(c, 1, &s);
	if (rc)
		return rc;
	rc = update_signer_add(s, &sp, &i, &err);
	store_close(s);
	return finish(c, &a, "added", rc, &i, &err);
}

static int sg_keygen(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "pkcs11=", "software=", "pin-file=", "algorithm=", "json", NULL};
	const char *usage = "NAME (--pkcs11 URI [--pin-file FILE] | --software KEYFILE) "
			    "--algorithm ed25519|p256 [--json]";
	struct update_signer_spec sp = {0};
	struct update_signer_info i = {0};
	struct vg_error err = {0};
	struct cli_args a;
	struct store *s;
	const char *alg;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	rc = spec_from(c, &a, usage, &sp);
	if (rc)
		return rc;
	alg = cli_opt(&a, "algorithm");
	if (!alg)
		return cli_usage(c, "%s", usage);
	sp.alg = update_alg_parse(alg);
	if (sp.alg == UPDATE_ALG_NONE) {
		fprintf(stderr, "vigil: signer %s: --algorithm '%s': expected ed25519 or p256\n",
			sp.name, alg);
		return CLI_USAGE;
	}
	rc = cli_open_store(c, 1, &s);
	if (rc)
		return rc;
	rc = update_signer_keygen(s, &sp, &i, &err);
	store_close(s);
	return finish(c, &a, "generated", rc, &i, &err);
}

static int fetch_signers(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			 struct vg_error *err)
{
	struct update_signer_list l;
	int rc;
	(void)a;
	(void)arg;
	rc = update_signer_list(s, &l, err);
	if (rc)
		return rc;
	*out = update_signer_list_to_json(&l);
	update_signer_list_release(&l);
	if (!*out)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return VG_OK;
}

static void print_signer(const json_t *r, void *arg)
{
	const char *pin = vg_json_str(r, "pin_file");
	(void)arg;
	printf("%-20s %-8s %-8s %.16s  %s%s%s%s\n", vg_json_str(r, "name"), vg_json_str(r, "kind"),
	       vg_json_str(r, "algorithm"), vg_json_str(r, "key_id"), vg_json_str(r, "uri"),
	       pin ? " pin-file " : "", pin ? pin : "",
	       json_is_true(json_object_get(r, "development_only")) ? DEV_MARK : "");
}

static int sg_list(struct cli *c, int argc, char **argv)
{
	static const struct cli_list_spec l = {.usage = "[--json]",
					       .migrate = 1,
					       .fetch = fetch_signers,
					       .print_row = print_signer,
					       .empty = "no signers (vigil signer add|keygen)"};
	return cli_list(c, argc, argv, &l);
}

static int sg_test(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	const char *usage = "NAME [--json]";
	struct update_signer_probe p;
	struct vg_error err = {0};
	struct cli_args a;
	struct store *s;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 1, &s);
	if (rc)
		return rc;
	rc = update_signer_test(s, a.pos[0], &p, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:b}", "name", a.pos[0], "algorithm",
				      update_alg_name(p.alg), "key_id", p.key_id,
				      "development_only", p.development_only, "ok", 1);
		if (j && p.in_token)
			json_object_set_new(j, "private_key",
					    json_pack("{s:b, s:b, s:b}", "sensitive", p.sensitive,
						      "extractable", p.extractable, "value_hidden",
						      p.value_hidden));
		return cli_print_json(j);
	}
	printf("signer %s%s\nalgorithm %s\nkey id %s\n", a.pos[0],
	       p.development_only ? DEV_MARK : "", update_alg_name(p.alg), p.key_id);
	if (p.in_token)
		printf("private key: in the token, sensitive, not extractable (CKA_VALUE "
		       "refused: CKR_ATTRIBUTE_SENSITIVE)\n");
	else
		printf("private key: a software key file (development only)\n");
	printf("ok\n");
	return CLI_OK;
}

static int sg_remove(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {NULL};
	const char *usage = "NAME";
	struct vg_error err = {0};
	struct cli_args a;
	struct store *s;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 1, &s);
	if (rc)
		return rc;
	rc = update_signer_remove(s, a.pos[0], &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("signer %s removed (the key itself is left where it is)\n", a.pos[0]);
	return CLI_OK;
}

int cmd_signer(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"add", sg_add, "add a signer: a key in a PKCS#11 token, or a software key file"},
	    {"keygen", sg_keygen, "generate a key pair in a token (or a development key file)"},
	    {"list", sg_list, "list the signers (software ones are development only)"},
	    {"test", sg_test, "sign a probe and verify it with the public key read back"},
	    {"remove", sg_remove, "forget a signer (the key stays in its token or file)"},
	    {NULL, NULL, NULL}};
	return cli_dispatch(c, "signer",
			    "Signers of the update room: keys in PKCS#11 tokens (HSMs) chosen "
			    "by RFC 7512 pkcs11: URIs; software key files for development only.",
			    verbs, argc, argv);
}
