/*
 * cmd_sbom.c - `vigil product ...` and `vigil sbom ...`.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/text.h"
#include "sbom/export.h"
#include "sbom/inventory.h"
#include "sbom/parse.h"
#include "sbom/product.h"
#include "sbom/quality.h"
#include "sbom/validate.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

/* ---- product ---- */

/* The product called name with its versions, as JSON, into *out. */
static int product_show_json(struct store *s, const char *name, json_t **out, struct vg_error *err)
{
	struct product p;
	struct product_version_list v;
	int rc = product_show(s, name, &p, &v, err);
	if (rc)
		return rc;
	*out = product_show_to_json(&p, &v);
	product_release(&p);
	product_version_list_release(&v);
	return VG_OK;
}

/* --public yes|no: whether the public portal offers the product by name. */
static int public_opt(const struct cli *c, const struct cli_args *a, struct product_info *p)
{
	const char *v = cli_opt(a, "public");

	(void)c;
	if (!v)
		return CLI_OK;
	if (strcmp(v, "yes") && strcmp(v, "no")) {
		fprintf(stderr, "vigil: option --public '%s': expected yes or no\n", v);
		return CLI_USAGE;
	}
	p->public_set = 1;
	p->is_public = strcmp(v, "yes") == 0;
	return CLI_OK;
}

static int product_create_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"vendor=",           "cra-class=", "support-until=",
					   "placed-on-market=", "public=",    "sbom-policy=",
					   "quality-profile=",  "json",       NULL};
	const char *usage = "NAME [--vendor V] [--cra-class default|important-1|important-2|"
			    "critical] [--support-until YYYY-MM] [--placed-on-market YYYY-MM-DD] "
			    "[--public yes|no] [--sbom-policy strict|standard|default] "
			    "[--quality-profile none|ntia|bsi-tr-03183-2] [--json]";
	struct cli_args a;
	struct product_info p = {0};
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *o = NULL;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	p.name = a.pos[0];
	p.vendor = cli_opt(&a, "vendor");
	p.cra_class = cli_opt(&a, "cra-class");
	p.support_until = cli_opt(&a, "support-until");
	p.placed_on_market = cli_opt(&a, "placed-on-market");
	p.sbom_policy = cli_opt(&a, "sbom-policy");
	p.quality_profile = cli_opt(&a, "quality-profile");
	if ((rc = public_opt(c, &a, &p)))
		return rc;
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (product_create(s, &p, &err) || product_show_json(s, p.name, &o, &err)) {
		store_close(s);
		rc = cli_error(&err);
		return err.code == VG_EINVAL ? CLI_USAGE : rc;
	}
	store_close(s);
	if (cli_flag(&a, "json"))
		return cli_print_json(o);
	printf("product %s created\n", p.name);
	json_decref(o);
	return CLI_OK;
}

static int product_update_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"vendor=",           "cra-class=", "support-until=",
					   "placed-on-market=", "public=",    "sbom-policy=",
					   "quality-profile=",  "json",       NULL};
	const char *usage = "NAME [--vendor V] [--cra-class C] [--support-until YYYY-MM] "
			    "[--placed-on-market YYYY-MM-DD] [--public yes|no] "
			    "[--sbom-policy strict|standard|default] "
			    "[--quality-profile none|ntia|bsi-tr-03183-2] [--json]";
	struct cli_args a;
	struct product_info p = {0};
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *o = NULL;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1)
		return cli_usage(c, "%s", usage);
	p.name = a.pos[0];
	p.vendor = cli_opt(&a, "vendor");
	p.cra_class = cli_opt(&a, "cra-class");
	p.support_until = cli_opt(&a, "support-until");
	p.placed_on_market = cli_opt(&a, "placed-on-market");
	p.sbom_policy = cli_opt(&a, "sbom-policy");
	p.quality_profile = cli_opt(&a, "quality-profile");
	if ((rc = public_opt(c, &a, &p)))
		return rc;
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (product_update(s, &p, &err) || product_show_json(s, p.name, &o, &err)) {
		store_close(s);
		return cli_error(&err);
	}
	store_close(s);
	if (cli_flag(&a, "json"))
		return cli_print_json(o);
	printf("product %s updated\n", p.name);
	json_decref(o);
	return CLI_OK;
}

static int product_list_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			      struct vg_error *err)
{
	struct product_list l;
	int rc = product_list(s, &l, err);
	(void)a;
	(void)arg;
	if (rc)
		return rc;
	*out = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(*out, product_to_json(&l.items[i]));
	product_list_release(&l);
	return VG_OK;
}

static int product_list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct cli_col cols[] = {
	    {"PRODUCT", "name", 30},
	    {"CRA CLASS", "cra_class", 12},
	    {"SUPPORT UNTIL", "support_until", 13},
	    {"VERSIONS", "versions", 10},
	    {"PUBLIC", "public", 7},
	    {"VENDOR", "vendor", 0},
	    {NULL, NULL, 0},
	};
	static const struct cli_list_spec l = {
	    .usage = "[--json]", .fetch = product_list_fetch, .cols = cols};
	return cli_list(c, argc, argv, &l);
}

static int product_show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *o = NULL, *v;
	size_t i;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "NAME [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "NAME [--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = product_show_json(s, a.pos[0], &o, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(o);
	printf("product:          %s\nvendor:           %s\nCRA class:        %s\n"
	       "support until:    %s\nplaced on market: %s\npublic:           %s\n"
	       "SBOM policy:      %s\nquality profile:  %s\n\n"
	       "VERSION              REVISIONS  LAST UPLOAD           QUALITY (NTIA/BSI)\n",
	       vg_json_str(o, "name"), vg_json_str(o, "vendor") ? vg_json_str(o, "vendor") : "-",
	       vg_json_str(o, "cra_class"),
	       vg_json_str(o, "support_until") ? vg_json_str(o, "support_until") : "-",
	       vg_json_str(o, "placed_on_market") ? vg_json_str(o, "placed_on_market") : "-",
	       json_is_true(json_object_get(o, "public")) ? "yes (listed on /report)" : "no",
	       vg_json_str(o, "sbom_policy") ? vg_json_str(o, "sbom_policy")
					     : "default (the setting sbom.policy)",
	       vg_json_str(o, "sbom_quality_profile") ? vg_json_str(o, "sbom_quality_profile")
						      : "none");
	json_array_foreach(json_object_get(o, "versions"), i, v)
	{
		json_t *q = json_object_get(v, "quality"),
		       *m = json_object_get(v, "meets_quality_profile");
		char qual[64] = "-";
		if (json_is_object(q))
			snprintf(qual, sizeof(qual), "%lld/%lld%s",
				 (long long)vg_json_int(q, "ntia", 0),
				 (long long)vg_json_int(q, "bsi", 0),
				 json_is_false(m) ? " BELOW PROFILE" : "");
		printf("%-20s %-10lld %-21s %s\n", vg_json_str(v, "version"),
		       (long long)vg_json_int(v, "revisions", 0),
		       vg_json_str(v, "last_upload_at") ? vg_json_str(v, "last_upload_at") : "-",
		       qual);
	}
	json_decref(o);
	return CLI_OK;
}

int cmd_product(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"create", product_create_cmd, "create a product"},
	    {"list", product_list_cmd, "list products"},
	    {"show", product_show_cmd, "show a product and its versions"},
	    {"update", product_update_cmd, "change a product's vendor, class or dates"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "product", "Products, with their CRA class and support period.",
			    verbs, argc, argv);
}

/* ---- sbom ---- */

/* "  violation: file: /pointer: what was expected" (or "line N") on f. */
static void print_violation(FILE *f, const char *file, const struct sbom_validation_error *e)
{
	const char *m = e->message ? e->message : "";
	size_t fl = strlen(file);
	/* parser messages start with the file name already */
	if (strncmp(m, file, fl) == 0 && m[fl] == ':')
		fprintf(f, "  violation: %s\n", m);
	else if (e->pointer)
		fprintf(f, "  violation: %s: %s: %s\n", file, e->pointer, m);
	else if (e->line)
		fprintf(f, "  violation: %s: line %d: %s\n", file, e->line, m);
	else
		fprintf(f, "  violation: %s: %s\n", file, m);
}

static int sbom_import_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "version=", "json", NULL};
	const char *usage = "FILE --product P --version V [--json]";
	struct cli_args a;
	struct vg_buf b = VG_BUF_INIT;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct sbom_import_req r = {0};
	struct sbom_import_result res;
	struct sbom_violation_list viol = {0};
	struct sbom_revision rev;
	char held[512] = "";
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || !cli_opt(&a, "product") || !cli_opt(&a, "version"))
		return cli_usage(c, "%s", usage);
	if (vg_buf_read_file(&b, a.pos[0], SBOM_MAX_BYTES_DEFAULT, &err)) {
		vg_buf_release(&b);
		return cli_error(&err);
	}
	rc = cli_open_store(c, 0, &s);
	if (rc) {
		vg_buf_release(&b);
		return rc;
	}
	r.product = cli_opt(&a, "product");
	r.version = cli_opt(&a, "version");
	r.data = b.data;
	r.n = b.len;
	r.filename = a.pos[0];
	rc = sbom_import_ex(s, &r, &res, &viol, &err);
	/* held by the import or by the reconciliation it triggered */
	if (!rc && sbom_revision_get(s, res.sbom_id, &rev, &err) == VG_OK) {
		if (SBOM_REVISION_HELD(&rev))
			snprintf(held, sizeof(held), "%s", rev.held_reason);
		sbom_revision_release(&rev);
	}
	store_close(s);
	vg_buf_release(&b);
	if (rc && cli_flag(&a, "json") && viol.n) {
		/* refused: every violation, each with its place */
		json_t *o = json_pack("{s:b, s:s, s:s, s:o, s:I}", "accepted", 0, "error",
				      vg_error_msg(&err), "policy", res.policy, "violation_list",
				      sbom_violations_to_json(&viol), "violations_dropped",
				      (json_int_t)viol.n_dropped);
		sbom_violation_list_release(&viol);
		cli_print_json(o);
		return CLI_FAIL;
	}
	if (rc) {
		rc = cli_error(&err);
		for (size_t i = 0; viol.n > 1 && i < viol.n; i++)
			print_violation(stderr, a.pos[0], &viol.items[i]);
		if (viol.n_dropped)
			fprintf(stderr, "  and %zu more violations\n", viol.n_dropped);
		sbom_violation_list_release(&viol);
		return rc;
	}
	if (cli_flag(&a, "json")) {
		json_t *o = json_pack(
		    "{s:b, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:b, s:s?, s:s, s:o, "
		    "s:I, s:{s:i, s:i, s:b, s:b}}",
		    "accepted", 1, "id", (json_int_t)res.sbom_id, "product", r.product, "version",
		    r.version, "revision", (json_int_t)res.revision, "format", res.format,
		    "encoding", res.encoding, "spec_version", res.spec_version, "components",
		    (json_int_t)res.components, "dependencies", (json_int_t)res.edges, "sha256",
		    res.sha256, "held", held[0] != '\0', "held_reason", held[0] ? held : NULL,
		    "policy", res.policy, "violation_list", sbom_violations_to_json(&viol),
		    "violations_dropped", (json_int_t)viol.n_dropped, "quality", "ntia",
		    res.quality_ntia, "bsi-tr-03183-2", res.quality_bsi, "ntia_ok", res.ntia_ok,
		    "bsi_ok", res.bsi_ok);
		json_object_set_new(o, "violations", json_integer((json_int_t)res.violations));
		sbom_violation_list_release(&viol);
		return cli_print_json(o);
	}
	printf("imported %s as SBOM %lld: %s %s revision %lld, %s %s (%s), %lld components, "
	       "%lld dependencies\n",
	       a.pos[0], (long long)res.sbom_id, r.product, r.version, (long long)res.revision,
	       res.format, res.spec_version, res.encoding, (long long)res.components,
	       (long long)res.edges);
	printf("policy %s: %lld violations kept with the revision\n", res.policy,
	       (long long)res.violations);
	for (size_t i = 0; i < viol.n; i++)
		print_violation(stdout, a.pos[0], &viol.items[i]);
	printf("quality: NTIA minimum elements %d/100 (%s), BSI TR-03183-2 %d/100 (%s); details: "
	       "vigil sbom quality %lld\n",
	       res.quality_ntia, res.ntia_ok ? "met" : "not met", res.quality_bsi,
	       res.bsi_ok ? "met" : "not met", (long long)res.sbom_id);
	if (held[0])
		printf("held: %s; approve with: vigil sbom approve %lld\n", held,
		       (long long)res.sbom_id);
	sbom_violation_list_release(&viol);
	return CLI_OK;
}

static int sbom_list_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			   struct vg_error *err)
{
	struct sbom_revision_list l;
	int rc;
	(void)arg;
	if (!cli_opt(a, "product"))
		return vg_error_set(err, VG_EUSAGE, "option --product is required");
	rc = sbom_revision_list(s, cli_opt(a, "product"), cli_opt(a, "version"), &l, err);
	if (rc)
		return rc;
	*out = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(*out, sbom_revision_to_json(&l.items[i]));
	sbom_revision_list_release(&l);
	return VG_OK;
}

static int sbom_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "version=", NULL};
	static const struct cli_col cols[] = {
	    {"ID", "id", 6},
	    {"VERSION", "version", 16},
	    {"REV", "revision", 4},
	    {"FORMAT", "format", 10},
	    {"SPEC", "spec_version", 6},
	    {"COMPONENTS", "components", 10},
	    {"HELD", "held", 5},
	    {"VIOLATIONS", "violations", 10},
	    {"UPLOADED", "uploaded_at", 21},
	    {"BY", "uploaded_by", 16},
	    {"FROM", "uploaded_from", 0},
	    {NULL, NULL, 0},
	};
	static const struct cli_list_spec l = {.spec = spec,
					       .usage = "--product P [--version V] [--json]",
					       .fetch = sbom_list_fetch,
					       .cols = cols};
	return cli_list(c, argc, argv, &l);
}

/* A revision id argument: a positive number, or a usage error naming it. */
static int parse_id(const struct cli *c, const char *s, const char *usage, int64_t *id)
{
	struct vg_error err = {0};
	if (vg_id_parse(s, "SBOM id", id, &err)) {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
		return cli_usage(c, "%s", usage);
	}
	return CLI_OK;
}

static int sbom_get_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"original", "o=", NULL};
	const char *usage = "ID --original [-o FILE]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	char *data = NULL;
	size_t n = 0;
	int64_t id;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 1 || !cli_flag(&a, "original"))
		return cli_usage(c, "%s", usage);
	if ((rc = parse_id(c, a.pos[0], usage, &id)))
		return rc;
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = sbom_original(s, id, &data, &n, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	{
		FILE *f = cli_opt(&a, "o") ? fopen(cli_opt(&a, "o"), "wb") : stdout;
		if (!f) {
			free(data);
			return cli_fail("%s: cannot write", cli_opt(&a, "o"));
		}
		if (fwrite(data, 1, n, f) != n)
			rc = cli_fail("write error");
		if (f != stdout)
			fclose(f);
		else
			fflush(stdout);
	}
	free(data);
	return rc;
}

static int sbom_show_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct sbom_contents sc;
	char up[VG_TIME_BUFSZ], keep[VG_TIME_BUFSZ];
	int64_t id;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID [--json]");
	if ((rc = parse_id(c, a.pos[0], "ID [--json]", &id)))
		return rc;
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = sbom_show(s, id, &sc, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		json_t *o = sbom_contents_to_json(&sc);
		sbom_contents_release(&sc);
		return cli_print_json(o);
	}
	printf("SBOM %lld: %s %s revision %lld (%s %s, %s)\nuploaded %s by %s; keep until %s\n"
	       "sha256 %s\n\n",
	       (long long)id, sc.rev.product, sc.rev.version, (long long)sc.rev.revision,
	       sc.rev.format, sc.rev.spec_version, sc.rev.encoding,
	       vg_time_format(sc.rev.uploaded_at, up, sizeof(up)), sc.rev.uploaded_by,
	       vg_time_format(sc.rev.retain_until, keep, sizeof(keep)), sc.rev.sha256);
	if (sc.rev.policy)
		printf("policy %s: %lld violations kept\n", sc.rev.policy,
		       (long long)sc.rev.violation_count);
	for (size_t i = 0; i < sc.violations.n; i++)
		print_violation(stdout, sc.rev.filename ? sc.rev.filename : "sbom",
				&sc.violations.items[i]);
	if (sc.rev.quality_ntia >= 0)
		printf("quality: NTIA %lld/100 (%s), BSI TR-03183-2 %lld/100 (%s)\n\n",
		       (long long)sc.rev.quality_ntia, sc.rev.ntia_ok == 1 ? "met" : "not met",
		       (long long)sc.rev.quality_bsi, sc.rev.bsi_ok == 1 ? "met" : "not met");
	for (size_t i = 0; i < sc.n_components; i++) {
		const struct sbom_stored_component *comp = &sc.components[i];
		printf("  %-40s %-20s %s\n", comp->name ? comp->name : "",
		       comp->version ? comp->version : "", comp->purl ? comp->purl : "");
	}
	sbom_contents_release(&sc);
	return CLI_OK;
}

static int sbom_delete_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "ID", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID");
	if ((rc = parse_id(c, a.pos[0], "ID", &id)))
		return rc;
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = sbom_delete(s, id, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("SBOM %lld deleted\n", (long long)id);
	return CLI_OK;
}

static int sbom_approve_cmd(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	int64_t id;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, NULL, "ID", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID");
	if ((rc = parse_id(c, a.pos[0], "ID", &id)))
		return rc;
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = sbom_approve(s, id, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	printf("SBOM %lld approved; its findings are reconciled\n", (long long)id);
	return CLI_OK;
}

static void print_changes(const struct sbom_diff *d, enum sbom_change_kind k, const char *mark)
{
	for (size_t i = 0; i < d->n[k]; i++) {
		const struct sbom_change *e = &d->changes[k][i];
		const char *name = e->name ? e->name : e->identity;
		if (k == SBOM_ADDED || k == SBOM_REMOVED)
			printf("%s %-40s %s\n", mark, name, e->version ? e->version : "");
		else
			printf("%s %-40s %s -> %s\n", mark, name, e->from ? e->from : "(none)",
			       e->to ? e->to : "(none)");
	}
}

static int sbom_diff_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "json", NULL};
	const char *usage = "--product P FROM_VERSION TO_VERSION [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct sbom_diff d;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 2 || !cli_opt(&a, "product"))
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = sbom_diff(s, cli_opt(&a, "product"), a.pos[0], a.pos[1], &d, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		json_t *o = sbom_diff_to_json(&d);
		sbom_diff_release(&d);
		return cli_print_json(o);
	}
	printf("%s %s -> %s: %zu added, %zu removed, %zu upgraded, %zu downgraded, %zu changed, "
	       "%zu license changes\n",
	       cli_opt(&a, "product"), a.pos[0], a.pos[1], d.n[SBOM_ADDED], d.n[SBOM_REMOVED],
	       d.n[SBOM_UPGRADED], d.n[SBOM_DOWNGRADED], d.n[SBOM_CHANGED],
	       d.n[SBOM_LICENSE_CHANGED]);
	print_changes(&d, SBOM_ADDED, "+");
	print_changes(&d, SBOM_REMOVED, "-");
	print_changes(&d, SBOM_UPGRADED, "^");
	print_changes(&d, SBOM_DOWNGRADED, "v");
	print_changes(&d, SBOM_CHANGED, "~");
	print_changes(&d, SBOM_LICENSE_CHANGED, "L");
	sbom_diff_release(&d);
	return CLI_OK;
}

/*
 * --policy strict|standard (default: the setting sbom.policy, else standard):
 * under standard a document whose violations are none fatal is valid with
 * its violations listed (each with its JSON pointer or line).
 */
/* The dangling references a standard parse dropped, each with its place. */
struct dangling_refs {
	json_t *list;
	size_t n;
};

static void dangling_ref(void *arg, const char *where, long line, const char *ref)
{
	struct dangling_refs *d = arg;
	d->n++;
	if (d->list && json_array_size(d->list) < 100)
		json_array_append_new(
		    d->list,
		    line ? json_pack("{s:I, s:s}", "line", (json_int_t)line, "ref", ref)
			 : json_pack("{s:s, s:s}", "pointer", where ? where : "", "ref", ref));
}

/* validate_one: check one file under policy; prints its result (text), or
 * appends its JSON object to out (with "file" when many is set), or prints
 * that object (one file). Returns VG_OK when the document is accepted. */
static int validate_one(const char *path, enum sbom_policy policy, int json, int many, json_t *out)
{
	struct vg_buf b = VG_BUF_INIT;
	struct vg_error err = {0};
	struct sbom_doc *doc = NULL;
	struct sbom_validation v;
	struct dangling_refs dr = {.list = json_array()};
	json_t *report = NULL;
	int rc, unread;

	memset(&v, 0, sizeof(v));
	unread = vg_buf_read_file(&b, path, SBOM_MAX_BYTES_DEFAULT, &err) != VG_OK;
	if (unread) {
		rc = err.code ? err.code : VG_EIO;
	} else {
		rc = sbom_validate_policy(b.data, b.len, path, policy, &v, &err);
		report = sbom_validation_to_json(&v);
	}
	if (rc == VG_EPARSE && v.n_errors) { /* every violation, each with its place */
		struct vg_buf m = VG_BUF_INIT;
		for (size_t i = 0; i < v.n_errors; i++) {
			if (i)
				vg_buf_adds(&m, "; ");
			sbom_validation_error_text(&v, i, &m);
		}
		vg_error_set(&err, rc, "%s", m.data ? m.data : "invalid document");
		vg_buf_release(&m);
	}
	if (!rc) {
		/* relationships to elements that are no component (files, the
		 * SPDX 3 individuals) are read, not dangling: only refs to no
		 * element at all are */
		struct sbom_parse_opts po = {.allow_dangling = policy == SBOM_POLICY_STANDARD,
					     .dangling = dangling_ref,
					     .dangling_arg = &dr};
		rc = sbom_parse_ex(b.data, b.len, path, &po, &doc, &err);
	}
	vg_buf_release(&b);
	/* a file that cannot be read: a message on stderr, as ever, unless it
	 * has its place in the array of many */
	if (json && (many || !unread)) {
		json_t *o = report ? report : json_object();
		report = NULL;
		json_object_set_new(o, "policy", json_string(sbom_policy_name(policy)));
		json_object_set_new(o, "valid", json_boolean(rc == VG_OK && v.valid));
		json_object_set_new(o, "accepted", json_boolean(rc == VG_OK));
		if (rc && !json_array_size(json_object_get(o, "errors")))
			json_object_set_new(
			    o, "errors",
			    json_pack("[{s:s,s:b}]", "message", vg_error_msg(&err), "fatal", 1));
		if (!rc) {
			json_object_set_new(o, "components",
					    json_integer((json_int_t)doc->n_components));
			json_object_set_new(o, "dropped_relationships",
					    json_integer((json_int_t)dr.n));
			json_object_set_new(o, "dangling", json_incref(dr.list));
		}
		if (many) {
			json_object_set_new(o, "file", json_string(path));
			json_array_append_new(out, o);
		} else {
			cli_print_json(o);
		}
	} else if (rc) {
		if (many && strncmp(vg_error_msg(&err), path, strlen(path)) != 0)
			fprintf(stderr, "vigil: %s: %s\n", path, vg_error_msg(&err));
		else
			fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
	} else {
		printf("%s: %s %s %s (%s), %zu components\n", path,
		       v.valid && !dr.n ? "valid" : "accepted under standard:",
		       sbom_format_name(doc->format), doc->spec_version,
		       sbom_encoding_name(doc->encoding), doc->n_components);
		for (size_t i = 0; i < v.n_errors; i++) {
			struct vg_buf m = VG_BUF_INIT;
			if (!sbom_validation_error_text(&v, i, &m))
				printf("  violation: %s\n", m.data);
			vg_buf_release(&m);
		}
		for (size_t i = 0; i < json_array_size(dr.list); i++) {
			json_t *d = json_array_get(dr.list, i);
			if (json_object_get(d, "line"))
				printf("  violation: %s: line %lld: dangling reference \"%s\" "
				       "(dropped)\n",
				       path,
				       (long long)json_integer_value(json_object_get(d, "line")),
				       json_string_value(json_object_get(d, "ref")));
			else
				printf("  violation: %s: %s: dangling reference \"%s\" (dropped)\n",
				       path, json_string_value(json_object_get(d, "pointer")),
				       json_string_value(json_object_get(d, "ref")));
		}
		if (dr.n > json_array_size(dr.list))
			printf("  and %zu more dangling references\n",
			       dr.n - json_array_size(dr.list));
	}
	json_decref(dr.list);
	sbom_validation_release(&v);
	json_decref(report);
	sbom_doc_free(doc);
	return rc;
}

static int sbom_validate_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "policy=", CLI_MANY, NULL};
	const char *usage = "FILE... [--policy strict|standard] [--json]";
	struct cli_args a;
	struct vg_error err = {0};
	enum sbom_policy policy;
	json_t *all = NULL;
	const char *pol;
	int bad = 0, json;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos < 1)
		return cli_usage(c, "%s", usage);
	pol = cli_opt(&a, "policy") ? cli_opt(&a, "policy")
				    : vg_config_get("sbom.policy", "standard");
	if (sbom_policy_parse(pol, &policy, &err))
		return cli_error(&err);
	json = cli_flag(&a, "json");
	/* many files: one result each (a JSON array of them, each naming its
	 * file); the exit status is 1 when any was refused */
	if (json && a.npos > 1)
		all = json_array();
	for (int i = 0; i < a.npos; i++)
		if (validate_one(a.pos[i], policy, json, a.npos > 1, all) != VG_OK)
			bad = 1;
	if (all)
		cli_print_json(all);
	return bad ? CLI_FAIL : CLI_OK;
}

static void print_quality(const char *what, const struct sbom_quality *q)
{
	printf("%s\n  NTIA minimum elements:  %3d/100, %s\n  BSI TR-03183-2 v2.0.0: %3d/100, "
	       "%s\n\n",
	       what, q->score[SBOM_PROFILE_NTIA], q->ok[SBOM_PROFILE_NTIA] ? "met" : "not met",
	       q->score[SBOM_PROFILE_BSI], q->ok[SBOM_PROFILE_BSI] ? "met" : "not met");
	for (size_t i = 0; i < q->n; i++) {
		const struct sbom_quality_check *ck = &q->checks[i];
		int pass = ck->total && ck->passed == ck->total;
		printf("%-4s %-29s %lld/%lld  %s%s\n", pass ? "ok" : "FAIL", ck->rule->id,
		       (long long)ck->passed, (long long)ck->total, ck->rule->source,
		       ck->rule->required ? "" : " (scored, not required)");
		if (!pass)
			printf("     expected: %s%s%s\n", ck->rule->expect,
			       ck->failing ? "; failing: " : "", ck->failing ? ck->failing : "");
	}
}

/*
 * vigil sbom quality ID | FILE | --product P --version V [--json]: the
 * NTIA and BSI TR-03183-2 checks of a stored revision (as measured at its
 * import), of the newest revision of a version, or of a file (read under
 * the standard policy, nothing stored).
 */
static int sbom_quality_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "version=", "json", NULL};
	const char *usage = "ID|FILE | --product P --version V [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	struct sbom_quality q = {0};
	char what[512];
	int64_t id = 0;
	int rc, byver;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	byver = cli_opt(&a, "product") && cli_opt(&a, "version");
	if ((byver && a.npos) || (!byver && a.npos != 1) ||
	    (!byver && (cli_opt(&a, "product") || cli_opt(&a, "version"))))
		return cli_usage(c, "%s", usage);
	if (!byver && access(a.pos[0], R_OK) == 0) {
		struct vg_buf b = VG_BUF_INIT;
		struct sbom_doc *doc = NULL;
		if (vg_buf_read_file(&b, a.pos[0], SBOM_MAX_BYTES_DEFAULT, &err)) {
			vg_buf_release(&b);
			return cli_error(&err);
		}
		rc = sbom_check_policy(b.data, b.len, a.pos[0], SBOM_POLICY_STANDARD, &doc, NULL,
				       &err);
		vg_buf_release(&b);
		if (rc)
			return cli_error(&err);
		rc = sbom_quality_measure(doc, &q);
		sbom_doc_free(doc);
		if (rc)
			return cli_fail("out of memory");
		snprintf(what, sizeof(what), "%s:", a.pos[0]);
	} else {
		if (!byver && (rc = parse_id(c, a.pos[0], usage, &id)))
			return rc;
		rc = cli_open_store(c, 0, &s);
		if (rc)
			return rc;
		rc = byver
			 ? sbom_latest(s, cli_opt(&a, "product"), cli_opt(&a, "version"), &id, &err)
			 : VG_OK;
		if (!rc)
			rc = sbom_quality_get(s, id, &q, &err);
		store_close(s);
		if (rc)
			return cli_error(&err);
		snprintf(what, sizeof(what), "SBOM %lld:", (long long)id);
	}
	if (cli_flag(&a, "json")) {
		json_t *o = sbom_quality_to_json(&q);
		if (id)
			json_object_set_new(o, "id", json_integer(id));
		else
			json_object_set_new(o, "file", json_string(a.pos[0]));
		sbom_quality_release(&q);
		return cli_print_json(o);
	}
	print_quality(what, &q);
	sbom_quality_release(&q);
	return CLI_OK;
}

static int file_write(void *arg, const char *p, size_t n)
{
	return fwrite(p, 1, n, arg) == n ? 0 : -1;
}

/*
 * The export is streamed (a large SBOM is never held whole in memory); with
 * -o it goes to FILE.tmp, renamed to FILE once complete, so a failed export
 * leaves no half-written file behind.
 */
static int sbom_export_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "version=", "format=", "o=", NULL};
	const char *usage = "--product P --version V --format cyclonedx-1.6|cyclonedx-1.7|spdx-2.3 "
			    "[-o FILE]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	const char *path;
	char tmp[4096];
	FILE *f = stdout;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "product") || !cli_opt(&a, "version") || !cli_opt(&a, "format"))
		return cli_usage(c, "%s", usage);
	if (sbom_export_format_ok(cli_opt(&a, "format")) != VG_OK)
		return cli_usage(c, "%s", usage);
	path = cli_opt(&a, "o");
	if (path && (size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return cli_fail("%s: path too long", path);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (path && !(f = fopen(tmp, "wb"))) {
		store_close(s);
		return cli_fail("%s: cannot write", tmp);
	}
	rc = sbom_export_stream(s, cli_opt(&a, "product"), cli_opt(&a, "version"),
				cli_opt(&a, "format"), file_write, f, &err);
	store_close(s);
	if (!rc && (fputc('\n', f) == EOF || fflush(f) != 0))
		rc = vg_error_set(&err, VG_EIO, "%s: cannot write", path ? tmp : "standard output");
	if (path) {
		if (fclose(f) != 0 && !rc)
			rc = vg_error_set(&err, VG_EIO, "%s: cannot write", tmp);
		if (!rc && rename(tmp, path) != 0)
			rc = vg_error_set(&err, VG_EIO, "%s: cannot rename to %s", tmp, path);
		if (rc)
			remove(tmp);
	}
	if (rc)
		return cli_error(&err);
	return CLI_OK;
}

int cmd_sbom(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"import", sbom_import_cmd, "import a CycloneDX or SPDX document for a version"},
	    {"validate", sbom_validate_cmd, "check a document without storing it"},
	    {"quality", sbom_quality_cmd,
	     "NTIA minimum elements and BSI TR-03183-2 checks of a revision or a file"},
	    {"list", sbom_list_cmd, "list the revisions of a product (and version)"},
	    {"show", sbom_show_cmd, "show one revision with its components"},
	    {"get", sbom_get_cmd, "write the original document, byte for byte"},
	    {"diff", sbom_diff_cmd, "components added, removed, upgraded between versions"},
	    {"export", sbom_export_cmd, "write a CycloneDX 1.6/1.7 or SPDX 2.3 document"},
	    {"delete", sbom_delete_cmd, "delete a revision (only after its retention end)"},
	    {"approve", sbom_approve_cmd,
	     "approve a held revision (a person's check): its findings are reconciled"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "sbom",
			    "Software bills of materials: import, history, diff, export.", verbs,
			    argc, argv);
}
