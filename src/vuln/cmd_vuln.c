/*
 * cmd_vuln.c - `vigil vuln <verb>`: vulnerability intelligence commands.
 * Verbs are a table; add yours to verbs[] in cmd_vuln().
 */
#include "cli/cli.h"
#include "core/error.h"
#include "vuln/vers.h"
#include "vuln/version.h"

#include <stdio.h>
#include <stdlib.h>

static int vuln_vercmp(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	int r, rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec,
			    "[--json] ECOSYSTEM A B\n\n"
			    "Compare versions A and B in ECOSYSTEM's order and print <, = or >.\n"
			    "ECOSYSTEM is an OSV ecosystem (npm, PyPI, Maven, Go, Debian, Ubuntu,\n"
			    "Red Hat, AlmaLinux, Rocky Linux, SUSE, openSUSE, Alpine, RubyGems,\n"
			    "Packagist, NuGet, crates.io, Hex, Pub, CRAN, Hackage, Bitnami,\n"
			    "SwiftURL, semver) or a vers type (deb, rpm, apk, alpm, golang, ...).\n"
			    "Exit 1 when a version is not valid in that ecosystem.",
			    &a);
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

int cmd_vuln(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"vercmp", vuln_vercmp, "compare two versions in an ecosystem's order"},
	    {"vers", vuln_vers, "test whether a version is inside a vers: range"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "vuln",
			    "Vulnerability intelligence: version order, ranges, matching.", verbs,
			    argc, argv);
}
