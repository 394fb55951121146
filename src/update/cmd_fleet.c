/*
 * cmd_fleet.c - `vigil fleet`: the devices in the field by product version
 * and channel, and the devices a vulnerability reaches (fleet.h).
 */
#include "cli/cli.h"
#include "core/text.h"
#include "update/fleet.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static int exposure_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			  struct vg_error *err)
{
	struct fleet_exposure e;
	int rc;
	(void)arg;
	if (!cli_opt(a, "vuln"))
		return vg_error_set(err, VG_EUSAGE, "--vuln ID is required (a CVE, GHSA ... id)");
	rc = fleet_exposure(s, cli_opt(a, "vuln"), &e, err);
	if (!rc)
		*out = fleet_exposure_to_json(&e);
	fleet_exposure_release(&e);
	return rc;
}

static void exposure_row(const json_t *r, void *arg)
{
	const json_t *ch = json_object_get(r, "channel");
	(void)arg;
	printf(
	    "%-24s %-16s %-12s %8lld device(s)  %lld open finding(s)\n", vg_json_str(r, "product"),
	    vg_json_str(r, "version"), json_is_string(ch) ? json_string_value(ch) : "-",
	    (long long)vg_json_int(r, "devices", 0), (long long)vg_json_int(r, "open_findings", 0));
}

static int fleet_exposure_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"vuln=", NULL};
	static const struct cli_list_spec l = {
	    .spec = spec,
	    .usage = "--vuln ID [--json]",
	    .fetch = exposure_fetch,
	    .print_row = exposure_row,
	    .rows_key = "exposure",
	    .empty = "no open finding of this vulnerability: no product version is affected"};
	return cli_list(c, argc, argv, &l);
}

static int versions_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
			  struct vg_error *err)
{
	struct fleet_versions v;
	int rc;
	(void)arg;
	rc = fleet_versions(s, cli_opt(a, "product"), &v, err);
	if (!rc)
		*out = fleet_versions_to_json(&v);
	fleet_versions_release(&v);
	return rc;
}

static void version_row(const json_t *r, void *arg)
{
	const json_t *ch = json_object_get(r, "channel");
	(void)arg;
	printf("%-24s %-16s %-12s %8lld device(s)%s\n", vg_json_str(r, "product"),
	       *vg_json_str(r, "version") ? vg_json_str(r, "version") : "(none)",
	       json_is_string(ch) ? json_string_value(ch) : "-",
	       (long long)vg_json_int(r, "devices", 0),
	       json_is_true(json_object_get(r, "known_version"))
		   ? ""
		   : "  (not a version of the product)");
}

static int fleet_versions_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"product=", NULL};
	static const struct cli_list_spec l = {.spec = spec,
					       .usage = "[--product P] [--json]",
					       .fetch = versions_fetch,
					       .print_row = version_row,
					       .rows_key = "versions",
					       .empty = "no devices"};
	return cli_list(c, argc, argv, &l);
}

static int top_fetch(struct store *s, const struct cli_args *a, void *arg, json_t **out,
		     struct vg_error *err)
{
	struct fleet_vuln_list l;
	int64_t limit;
	int rc;
	(void)arg;
	if ((rc = vg_parse_int64_opt(cli_opt(a, "limit"), "--limit", 1, 10000, 50, &limit, err)))
		return rc;
	rc = fleet_exposed_vulns(s, limit, &l, err);
	if (!rc)
		*out = fleet_vuln_list_to_json(&l);
	fleet_vuln_list_release(&l);
	return rc;
}

static int fleet_top_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"limit=", NULL};
	static const struct cli_col cols[] = {{"VULNERABILITY", "vulnerability", 22},
					      {"SEVERITY", "severity", 9},
					      {"KEV", "kev", 6},
					      {"DEVICES", "devices", 9},
					      {"VERSIONS", "affected_versions", 9},
					      {"FINDINGS", "open_findings", 0},
					      {NULL, NULL, 0}};
	static const struct cli_list_spec l = {.spec = spec,
					       .usage = "[--limit N] [--json]",
					       .fetch = top_fetch,
					       .cols = cols,
					       .empty = "no open vulnerability reaches a device"};
	return cli_list(c, argc, argv, &l);
}

int cmd_fleet(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"exposure", fleet_exposure_cmd,
	     "devices running a version affected by a vulnerability (--vuln ID)"},
	    {"versions", fleet_versions_cmd, "devices by product version and channel"},
	    {"top", fleet_top_cmd, "open vulnerabilities by the devices they reach"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "fleet", "Devices in the field and their exposure.", verbs, argc,
			    argv);
}
