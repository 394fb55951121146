/*
 * cmd_purl.c - `vigil purl parse PURL [--json] [--strict]`: show how vigil
 * reads a package-url (canonical form, parts, package identity, OSV name).
 */
#include "cli/cli.h"
#include "core/error.h"
#include "ident/purl.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/banned.h"

static json_t *purl_json(const struct purl *p, const char *canonical, const char *identity,
			 const char *osv_name)
{
	json_t *o = json_object(), *q = json_object();
	const char *eco = purl_osv_ecosystem(p);

	if (!o || !q) {
		json_decref(o);
		json_decref(q);
		return NULL;
	}
	for (size_t i = 0; i < p->nquals; i++)
		json_object_set_new(q, p->quals[i].key, json_string(p->quals[i].value));
	vg_json_set_str(o, "canonical", canonical);
	vg_json_set_str(o, "type", p->type);
	vg_json_set_str(o, "namespace", p->namespace);
	vg_json_set_str(o, "name", p->name);
	vg_json_set_str(o, "version", p->version);
	json_object_set_new(o, "qualifiers", q);
	vg_json_set_str(o, "subpath", p->subpath);
	vg_json_set_str(o, "identity", identity);
	if (eco)
		json_object_set_new(
		    o, "osv",
		    json_pack("{s:s, s:s}", "ecosystem", eco, "name", osv_name ? osv_name : ""));
	else
		json_object_set_new(o, "osv", json_null());
	return o;
}

static int purl_parse_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "strict", NULL};
	static const char usage[] = "PURL [--json] [--strict]";
	struct cli_args a;
	struct vg_error err = {0};
	struct purl p;
	char *canonical = NULL, *identity = NULL, *osv_name = NULL;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	if (purl_parse(a.pos[0], cli_flag(&a, "strict") ? PURL_STRICT : 0, &p, &err))
		return cli_error(&err);
	canonical = purl_to_string(&p);
	identity = purl_identity(&p);
	osv_name = purl_osv_name(&p);
	if (!canonical || !identity || !osv_name) {
		rc = cli_fail("out of memory");
		goto out;
	}
	if (cli_flag(&a, "json")) {
		json_t *o = purl_json(&p, canonical, identity, osv_name);
		rc = o ? cli_print_json(o) : cli_fail("out of memory");
	} else {
		puts(canonical);
		rc = CLI_OK;
	}
out:
	free(canonical);
	free(identity);
	free(osv_name);
	purl_release(&p);
	return rc;
}

int cmd_purl(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"parse", purl_parse_cmd, "parse and canonicalise a package-url"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "purl", "Package-URLs (purl) as vigil reads them.", verbs, argc,
			    argv);
}
