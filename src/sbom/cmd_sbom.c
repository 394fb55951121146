/*
 * cmd_sbom.c - `vigil product ...` and `vigil sbom ...`.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/buf.h"
#include "core/error.h"
#include "sbom/export.h"
#include "sbom/inventory.h"
#include "sbom/parse.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- product ---- */

static int product_create_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {
	    "vendor=", "cra-class=", "support-until=", "placed-on-market=", "json", NULL};
	const char *usage = "NAME [--vendor V] [--cra-class default|important-1|important-2|"
			    "critical] [--support-until YYYY-MM] [--placed-on-market YYYY-MM-DD] "
			    "[--json]";
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
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	if (product_create(s, &p, &err) || product_show_json(s, p.name, &o, &err)) {
		store_close(s);
		return err.code == VG_EINVAL ? (cli_error(&err), CLI_USAGE) : cli_error(&err);
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
	static const char *const spec[] = {
	    "vendor=", "cra-class=", "support-until=", "placed-on-market=", "json", NULL};
	const char *usage = "NAME [--vendor V] [--cra-class C] [--support-until YYYY-MM] "
			    "[--placed-on-market YYYY-MM-DD] [--json]";
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

static int product_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *rows = NULL, *r;
	size_t i;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "[--json]", &a);
	if (a.npos)
		return cli_usage(c, "[--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = product_list_json(s, &rows, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(rows);
	printf("%-30s %-12s %-13s %-10s %s\n", "PRODUCT", "CRA CLASS", "SUPPORT UNTIL", "VERSIONS",
	       "VENDOR");
	json_array_foreach(rows, i, r)
	{
		printf("%-30s %-12s %-13s %-10lld %s\n", vg_json_str(r, "name"),
		       vg_json_str(r, "cra_class"),
		       vg_json_str(r, "support_until") ? vg_json_str(r, "support_until") : "-",
		       (long long)vg_json_int(r, "versions", 0),
		       vg_json_str(r, "vendor") ? vg_json_str(r, "vendor") : "");
	}
	json_decref(rows);
	return CLI_OK;
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
	       "support until:    %s\nplaced on market: %s\n\nVERSION              REVISIONS  "
	       "LAST UPLOAD\n",
	       vg_json_str(o, "name"), vg_json_str(o, "vendor") ? vg_json_str(o, "vendor") : "-",
	       vg_json_str(o, "cra_class"),
	       vg_json_str(o, "support_until") ? vg_json_str(o, "support_until") : "-",
	       vg_json_str(o, "placed_on_market") ? vg_json_str(o, "placed_on_market") : "-");
	json_array_foreach(json_object_get(o, "versions"), i, v)
	{
		printf("%-20s %-10lld %s\n", vg_json_str(v, "version"),
		       (long long)vg_json_int(v, "revisions", 0),
		       vg_json_str(v, "last_upload_at") ? vg_json_str(v, "last_upload_at") : "-");
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
	rc = sbom_import(s, &r, &res, &err);
	store_close(s);
	vg_buf_release(&b);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(json_pack(
		    "{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:s}", "id",
		    (json_int_t)res.sbom_id, "product", r.product, "version", r.version, "revision",
		    (json_int_t)res.revision, "format", res.format, "encoding", res.encoding,
		    "spec_version", res.spec_version, "components", (json_int_t)res.components,
		    "dependencies", (json_int_t)res.edges, "sha256", res.sha256));
	printf("imported %s as SBOM %lld: %s %s revision %lld, %s %s (%s), %lld components, "
	       "%lld dependencies\n",
	       a.pos[0], (long long)res.sbom_id, r.product, r.version, (long long)res.revision,
	       res.format, res.spec_version, res.encoding, (long long)res.components,
	       (long long)res.edges);
	return CLI_OK;
}

static int sbom_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "version=", "json", NULL};
	const char *usage = "--product P [--version V] [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *rows = NULL, *r;
	size_t i;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos || !cli_opt(&a, "product"))
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = sbom_list_json(s, cli_opt(&a, "product"), cli_opt(&a, "version"), &rows, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(rows);
	printf("%-6s %-16s %-4s %-10s %-6s %-10s %-21s %-16s %s\n", "ID", "VERSION", "REV",
	       "FORMAT", "SPEC", "COMPONENTS", "UPLOADED", "BY", "FROM");
	json_array_foreach(rows, i, r)
	{
		printf("%-6lld %-16s %-4lld %-10s %-6s %-10lld %-21s %-16s %s\n",
		       (long long)vg_json_int(r, "id", 0), vg_json_str(r, "version"),
		       (long long)vg_json_int(r, "revision", 0), vg_json_str(r, "format"),
		       vg_json_str(r, "spec_version"), (long long)vg_json_int(r, "components", 0),
		       vg_json_str(r, "uploaded_at"), vg_json_str(r, "uploaded_by"),
		       vg_json_str(r, "uploaded_from"));
	}
	json_decref(rows);
	return CLI_OK;
}

static int parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0)
		return -1;
	*id = v;
	return 0;
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
	if (a.npos != 1 || parse_id(a.pos[0], &id) || !cli_flag(&a, "original"))
		return cli_usage(c, "%s", usage);
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
	json_t *o = NULL, *comp;
	int64_t id;
	size_t i;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "ID [--json]", &a);
	if (a.npos != 1 || parse_id(a.pos[0], &id))
		return cli_usage(c, "ID [--json]");
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = sbom_show_json(s, id, &o, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(o);
	printf("SBOM %lld: %s %s revision %lld (%s %s, %s)\nuploaded %s by %s; keep until %s\n"
	       "sha256 %s\n\n",
	       (long long)id, vg_json_str(o, "product"), vg_json_str(o, "version"),
	       (long long)vg_json_int(o, "revision", 0), vg_json_str(o, "format"),
	       vg_json_str(o, "spec_version"), vg_json_str(o, "encoding"),
	       vg_json_str(o, "uploaded_at"), vg_json_str(o, "uploaded_by"),
	       vg_json_str(o, "retain_until_at"), vg_json_str(o, "sha256"));
	json_array_foreach(json_object_get(o, "component_list"), i, comp)
	{
		printf("  %-40s %-20s %s\n", vg_json_str(comp, "name"),
		       vg_json_str(comp, "version") ? vg_json_str(comp, "version") : "",
		       vg_json_str(comp, "purl") ? vg_json_str(comp, "purl") : "");
	}
	json_decref(o);
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
	if (a.npos != 1 || parse_id(a.pos[0], &id))
		return cli_usage(c, "ID");
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

static void print_changes(json_t *arr, const char *mark, const char *from_key, const char *to_key)
{
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e)
	{
		const char *name =
		    vg_json_str(e, "name") ? vg_json_str(e, "name") : vg_json_str(e, "identity");
		if (from_key)
			printf("%s %-40s %s -> %s\n", mark, name,
			       vg_json_str(e, from_key) ? vg_json_str(e, from_key) : "(none)",
			       vg_json_str(e, to_key) ? vg_json_str(e, to_key) : "(none)");
		else
			printf("%s %-40s %s\n", mark, name,
			       vg_json_str(e, "version") ? vg_json_str(e, "version") : "");
	}
}

static int sbom_diff_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", "json", NULL};
	const char *usage = "--product P FROM_VERSION TO_VERSION [--json]";
	struct cli_args a;
	struct store *s = NULL;
	struct vg_error err = {0};
	json_t *o = NULL, *sum;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, usage, &a);
	if (a.npos != 2 || !cli_opt(&a, "product"))
		return cli_usage(c, "%s", usage);
	rc = cli_open_store(c, 0, &s);
	if (rc)
		return rc;
	rc = sbom_diff_json(s, cli_opt(&a, "product"), a.pos[0], a.pos[1], &o, &err);
	store_close(s);
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(o);
	sum = json_object_get(o, "summary");
	printf(
	    "%s %s -> %s: %lld added, %lld removed, %lld upgraded, %lld downgraded, %lld "
	    "changed, %lld license changes\n",
	    cli_opt(&a, "product"), a.pos[0], a.pos[1], (long long)vg_json_int(sum, "added", 0),
	    (long long)vg_json_int(sum, "removed", 0), (long long)vg_json_int(sum, "upgraded", 0),
	    (long long)vg_json_int(sum, "downgraded", 0), (long long)vg_json_int(sum, "changed", 0),
	    (long long)vg_json_int(sum, "license_changes", 0));
	print_changes(json_object_get(o, "added"), "+", NULL, NULL);
	print_changes(json_object_get(o, "removed"), "-", NULL, NULL);
	print_changes(json_object_get(o, "upgraded"), "^", "from", "to");
	print_changes(json_object_get(o, "downgraded"), "v", "from", "to");
	print_changes(json_object_get(o, "changed"), "~", "from", "to");
	print_changes(json_object_get(o, "license_changes"), "L", "from", "to");
	json_decref(o);
	return CLI_OK;
}

static int sbom_validate_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct vg_buf b = VG_BUF_INIT;
	struct vg_error err = {0};
	struct sbom_doc *doc = NULL;
	json_t *report = NULL;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec, "FILE [--json]", &a);
	if (a.npos != 1)
		return cli_usage(c, "FILE [--json]");
	if (vg_buf_read_file(&b, a.pos[0], SBOM_MAX_BYTES_DEFAULT, &err)) {
		vg_buf_release(&b);
		return cli_error(&err);
	}
	rc = sbom_check(b.data, b.len, a.pos[0], &doc, &report, &err);
	vg_buf_release(&b);
	if (cli_flag(&a, "json")) {
		json_t *o = report ? report : json_object();
		report = NULL;
		json_object_set_new(o, "valid", json_boolean(rc == VG_OK));
		if (rc && !json_array_size(json_object_get(o, "errors")))
			json_object_set_new(o, "errors",
					    json_pack("[{s:s}]", "message", vg_error_msg(&err)));
		if (!rc)
			json_object_set_new(o, "components",
					    json_integer((json_int_t)doc->n_components));
		cli_print_json(o);
	} else if (rc) {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
	} else {
		printf("%s: valid %s %s (%s), %zu components\n", a.pos[0],
		       sbom_format_name(doc->format), doc->spec_version,
		       sbom_encoding_name(doc->encoding), doc->n_components);
	}
	json_decref(report);
	sbom_doc_free(doc);
	return rc ? CLI_FAIL : CLI_OK;
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
	    {"list", sbom_list_cmd, "list the revisions of a product (and version)"},
	    {"show", sbom_show_cmd, "show one revision with its components"},
	    {"get", sbom_get_cmd, "write the original document, byte for byte"},
	    {"diff", sbom_diff_cmd, "components added, removed, upgraded between versions"},
	    {"export", sbom_export_cmd, "write a CycloneDX 1.6/1.7 or SPDX 2.3 document"},
	    {"delete", sbom_delete_cmd, "delete a revision (only after its retention end)"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "sbom",
			    "Software bills of materials: import, history, diff, export.", verbs,
			    argc, argv);
}
