/*
 * cmd_vuln.c - `vigil vuln <verb>`: vulnerability intelligence commands.
 * Verbs are a table; add yours to verbs[] in cmd_vuln().
 */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "sbom/inventory.h"
#include "sbom/model.h"
#include "sbom/parse.h"
#include "store/store.h"
#include "vuln/match.h"
#include "vuln/osv.h"
#include "ident/vers.h"
#include "ident/version.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* --batch: one "A<TAB>B" a line on stdin, one answer a line on stdout (<, =,
 * > or "error: why"); exit 1 when a line had an error. */
#define VERCMP_LINE_MAX 4096
static int vercmp_batch(const char *eco)
{
	char line[VERCMP_LINE_MAX + 2];
	unsigned long lineno = 0;
	int bad = 0;
	while (fgets(line, sizeof(line), stdin)) {
		struct vg_error err = {0};
		size_t n = strlen(line);
		char *tab;
		int r, rc;
		lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (n > VERCMP_LINE_MAX) {
			int ch;
			while ((ch = getchar()) != EOF && ch != '\n')
				;
			printf("error: line %lu: longer than %d bytes\n", lineno, VERCMP_LINE_MAX);
			bad = 1;
			continue;
		}
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		tab = strchr(line, '\t');
		if (!tab) {
			printf("error: line %lu: expected two versions separated by a tab\n",
			       lineno);
			bad = 1;
			continue;
		}
		*tab = '\0';
		rc = version_compare(eco, line, tab + 1, &r, &err);
		if (rc == VG_ENOTFOUND) {
			fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
			return CLI_USAGE;
		}
		if (rc != VG_OK) {
			printf("error: line %lu: %s\n", lineno, vg_error_msg(&err));
			bad = 1;
			continue;
		}
		printf("%s\n", r < 0 ? "<" : r > 0 ? ">" : "=");
	}
	if (fflush(stdout) != 0 || ferror(stdin)) {
		fprintf(stderr, "vigil: vercmp --batch: read or write error\n");
		return CLI_FAIL;
	}
	return bad ? CLI_FAIL : CLI_OK;
}

static int vuln_vercmp(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "batch", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	int r, rc;

	CLI_PARSE_OR_RETURN(
	    c, argc, argv, spec,
	    "[--json] ECOSYSTEM A B | --batch ECOSYSTEM\n\n"
	    "Compare versions A and B in ECOSYSTEM's order and print <, = or >.\n"
	    "ECOSYSTEM is an OSV ecosystem (npm, PyPI, Maven, Go, Debian, Ubuntu,\n"
	    "Red Hat, AlmaLinux, Rocky Linux, SUSE, openSUSE, Alpine, RubyGems,\n"
	    "Packagist, NuGet, crates.io, Hex, Pub, CRAN, Hackage, Bitnami,\n"
	    "SwiftURL, semver) or a vers type (deb, rpm, apk, alpm, golang, ...).\n"
	    "Exit 1 when a version is not valid in that ecosystem.\n"
	    "--batch reads one pair a line from stdin, A and B separated by a tab,\n"
	    "and prints one answer a line: <, =, > or \"error: line N: why\"\n"
	    "(exit 1 when any line had an error).",
	    &a);
	if (cli_flag(&a, "batch")) {
		if (a.npos != 1 || cli_flag(&a, "json"))
			return cli_usage(c, "--batch ECOSYSTEM (pairs on stdin; no --json)");
		return vercmp_batch(a.pos[0]);
	}
	if (a.npos != 3)
		return cli_usage(c, "ECOSYSTEM A B");
	rc = version_compare(a.pos[0], a.pos[1], a.pos[2], &r, &err);
	if (rc == VG_ENOTFOUND) {
		fprintf(stderr, "vigil: %s\n", vg_error_msg(&err));
		return CLI_USAGE;
	}
	if (rc != VG_OK)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "ecosystem", a.pos[0], "a", a.pos[1],
				      "b", a.pos[2], "order", r);
		return cli_print_json(o);
	}
	printf("%s\n", r < 0 ? "<" : r > 0 ? ">" : "=");
	return CLI_OK;
}

static int vuln_vers(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct vers v;
	int in = 0, rc;

	CLI_PARSE_OR_RETURN(
	    c, argc, argv, spec,
	    "[--json] RANGE VERSION\n\n"
	    "Print true if VERSION is inside the vers range RANGE\n"
	    "(e.g. 'vers:npm/>=1.0.0|<2.0.0'), else false. RANGE must be canonical.",
	    &a);
	if (a.npos != 2)
		return cli_usage(c, "RANGE VERSION");
	rc = vers_parse(a.pos[0], 0, &v, &err);
	if (rc == VG_OK)
		rc = vers_contains(&v, a.pos[1], &in, &err);
	vers_release(&v);
	if (rc != VG_OK)
		return cli_error(&err);
	if (cli_flag(&a, "json")) {
		json_t *o = json_pack("{s:s, s:s, s:b}", "range", a.pos[0], "version", a.pos[1],
				      "contains", in);
		return cli_print_json(o);
	}
	printf("%s\n", in ? "true" : "false");
	return CLI_OK;
}

struct load_ctx {
	struct match_index *ix;
	long skipped;
};

static int add_to_index(void *arg, const struct advisory *a, struct vg_error *err)
{
	return match_index_add(((struct load_ctx *)arg)->ix, a, NULL, err);
}

static void skip_quiet(void *arg, const char *msg)
{
	(void)msg;
	((struct load_ctx *)arg)->skipped++;
}

struct match_out {
	json_t *hits;
	const char *purl;
	size_t first; /* first hit of this component */
};

static void on_match(void *arg, const struct match_adv *adv, const struct match_pkg *pkg,
		     const struct match_why *why)
{
	struct match_out *o = arg;
	char fixed[512];
	json_t *aliases;
	/* An advisory may name one package in several affected entries (Go lists
	 * it once per set of imported symbols): one hit per advisory. */
	for (size_t i = o->first; i < json_array_size(o->hits); i++)
		if (strcmp(vg_json_str(json_array_get(o->hits, i), "advisory"), adv->id) == 0)
			return;
	aliases = json_array();
	for (size_t i = 0; adv->aliases[i]; i++)
		json_array_append_new(aliases, json_string(adv->aliases[i]));
	match_pkg_fixed(pkg, fixed, sizeof(fixed));
	json_array_append_new(o->hits,
			      json_pack("{s:s, s:s, s:s, s:o, s:s?, s:s, s:s?}", "purl", o->purl,
					"vuln_id", adv->vuln_id, "advisory", adv->id, "aliases",
					aliases, "severity", adv->severity, "matched", why->text,
					"fixed", fixed[0] ? fixed : NULL));
}

struct cpe_out {
	json_t *hits;
	const char *cpe;
};

static void on_cpe_match(void *arg, const char *vuln_id, const char *advisory, const char *matched,
			 const char *fixed)
{
	struct cpe_out *o = arg;
	json_array_append_new(o->hits, json_pack("{s:s, s:s, s:s, s:[], s:s, s:s?}", "cpe", o->cpe,
						 "vuln_id", vuln_id, "advisory", advisory,
						 "aliases", "matched", matched, "fixed", fixed));
}

static int is_platform(const struct sbom_doc *doc, size_t k)
{
	const char *t = doc->components[k].type;
	return k == doc->primary ||
	       (t && (strcmp(t, "operating-system") == 0 || strcmp(t, "firmware") == 0 ||
		      strcmp(t, "device") == 0 || strcmp(t, "platform") == 0));
}

/* Components with a CPE and no purl against the stored NVD configurations,
 * with the document's platform CPEs beside each (vulndb_match_cpe). */
static int match_cpe_only(struct store *s, const struct sbom_doc *doc, json_t *hits, long *n,
			  struct vg_error *err)
{
	const char *plat[16];
	size_t np = 0;
	int rc = VG_OK;
	for (size_t k = 0; k < doc->n_components && np < 16; k++)
		if (doc->components[k].cpe && is_platform(doc, k))
			plat[np++] = doc->components[k].cpe;
	for (size_t k = 0; !rc && k < doc->n_components; k++) {
		struct cpe_out o = {hits, doc->components[k].cpe};
		if (doc->components[k].purl || !o.cpe)
			continue;
		(*n)++;
		rc = vulndb_match_cpe(s, o.cpe, plat, np, on_cpe_match, &o, err);
	}
	return rc;
}

static int vuln_match(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "osv=", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct vg_buf b;
	struct sbom_doc *doc = NULL;
	struct match_index *ix = match_index_new();
	struct match_out o = {json_array(), NULL, 0};
	long unmatchable = 0, skipped = 0, matchable = 0, by_cpe = 0;
	struct store *s = NULL;
	int64_t t0, t_index, t_match;
	size_t nadv = 0, nent = 0, nbad = 0, i;
	json_t *h;
	int rc;

	CLI_PARSE_OR_RETURN(
	    c, argc, argv, spec,
	    "[--json] [--osv PATH] SBOM_FILE\n\n"
	    "Match the components of an SBOM (CycloneDX or SPDX) against the stored\n"
	    "advisories, or against the OSV records under PATH, without storing\n"
	    "anything. Components are matched by purl (ecosystem + name); components\n"
	    "with only a CPE against the stored NVD configurations (not with --osv);\n"
	    "components without a purl OSV knows are counted as unmatchable, never\n"
	    "guessed.",
	    &a);
	if (a.npos != 1) {
		match_index_free(ix);
		json_decref(o.hits);
		return cli_usage(c, "SBOM_FILE");
	}
	vg_buf_init(&b, 512u << 20);
	t0 = vg_mono_ms();
	if (cli_opt(&a, "osv")) {
		struct load_ctx lc = {ix, 0};
		rc = osv_read_path(cli_opt(&a, "osv"), add_to_index, skip_quiet, &lc, NULL, &err);
		skipped = lc.skipped;
	} else {
		if ((rc = cli_open_store(c, 1, &s))) {
			match_index_free(ix);
			json_decref(o.hits);
			vg_buf_release(&b);
			return rc;
		}
		rc = vulndb_load_index(s, ix, &err);
	}
	t_index = vg_mono_ms() - t0;
	if (!rc)
		rc = vg_buf_read_file(&b, a.pos[0], 512u << 20, &err);
	if (!rc) {
		/* Matching reads what it can: a dangling relationship does not hide
		 * a component. */
		struct sbom_parse_opts po = {.allow_dangling = 1};
		rc = sbom_parse_ex(b.data ? b.data : "", b.len, a.pos[0], &po, &doc, &err);
	}
	t0 = vg_mono_ms();
	for (size_t k = 0; !rc && k < doc->n_components; k++) {
		const struct sbom_component *sc = &doc->components[k];
		struct match_key key;
		if (!sc->purl || match_key_from_purl(sc->purl, &key, NULL) != VG_OK) {
			unmatchable++;
			continue;
		}
		if (!key.version[0] && sc->version)
			snprintf(key.version, sizeof(key.version), "%s", sc->version);
		matchable++;
		o.purl = sc->purl;
		o.first = json_array_size(o.hits);
		match_index_query(ix, &key, on_match, &o);
	}
	if (!rc && s)
		rc = match_cpe_only(s, doc, o.hits, &by_cpe, &err);
	t_match = vg_mono_ms() - t0;
	store_close(s);
	match_index_stats(ix, &nadv, &nent, &nbad);
	sbom_doc_free(doc);
	vg_buf_release(&b);
	match_index_free(ix);
	if (rc) {
		json_decref(o.hits);
		return cli_error(&err);
	}
	if (cli_flag(&a, "json"))
		return cli_print_json(json_pack(
		    "{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "sbom", a.pos[0], "hits",
		    o.hits, "components_matchable", (json_int_t)matchable, "components_cpe_only",
		    (json_int_t)by_cpe, "components_unmatchable", (json_int_t)unmatchable,
		    "advisories", (json_int_t)nadv, "records_skipped", (json_int_t)skipped,
		    "index_ms", (json_int_t)t_index, "match_ms", (json_int_t)t_match));
	json_array_foreach(o.hits, i, h)
	{
		json_t *al = json_object_get(h, "aliases"), *x;
		size_t j;
		const char *sev = vg_json_str(h, "severity"), *fx = vg_json_str(h, "fixed");
		printf("%s  %s",
		       vg_json_str(h, "purl") ? vg_json_str(h, "purl") : vg_json_str(h, "cpe"),
		       vg_json_str(h, "vuln_id"));
		if (strcmp(vg_json_str(h, "vuln_id"), vg_json_str(h, "advisory")) != 0)
			printf(" (%s)", vg_json_str(h, "advisory"));
		printf("  %s\n    aliases:", sev ? sev : "severity unknown");
		json_array_foreach(al, j, x) printf(" %s", json_string_value(x));
		printf("\n    matched: %s\n    fixed: %s\n", vg_json_str(h, "matched"),
		       fx ? fx : "(none)");
	}
	printf("%zu hit(s); %ld components matched by purl, %ld by CPE, %ld unmatchable (no "
	       "purl ecosystem); %zu advisories (index %lld ms, match %lld ms)\n",
	       json_array_size(o.hits), matchable, by_cpe, unmatchable, nadv, (long long)t_index,
	       (long long)t_match);
	json_decref(o.hits);
	return CLI_OK;
}

static int vuln_show(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct store *s = NULL;
	json_t *o = NULL;
	struct vulnerability v;
	int rc;
	CLI_PARSE_OR_RETURN(c, argc, argv, spec,
			    "[--json] ID\n\nShow a vulnerability by its id or any alias.", &a);
	if (a.npos != 1)
		return cli_usage(c, "ID");
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	rc = vuln_get(s, a.pos[0], &v, &err);
	store_close(s);
	o = rc ? NULL : vulnerability_to_json(&v);
	vulnerability_release(&v);
	if (rc)
		return cli_error(&err);
	if (!o)
		return cli_error(&(struct vg_error){VG_ENOMEM, "out of memory"});
	return cli_print_json(o);
}

int cmd_vuln(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"vercmp", vuln_vercmp, "compare two versions in an ecosystem's order"},
	    {"vers", vuln_vers, "test whether a version is inside a vers: range"},
	    {"match", vuln_match, "match an SBOM file against advisories (nothing stored)"},
	    {"show", vuln_show, "show a vulnerability: aliases, severity, KEV, findings"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "vuln",
			    "Vulnerability intelligence: version order, ranges, matching.", verbs,
			    argc, argv);
}
