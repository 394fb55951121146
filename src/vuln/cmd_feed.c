/*
 * cmd_feed.c - `vigil feed <verb>`: import vulnerability feeds (OSV, NVD, CSAF,
 * KEV) and sync them from configured URLs.
 * Findings follow every import without any other command.
 */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"
#include "vuln/feeds.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define KEV_MAX (256u << 20)

static void print_skip(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "vigil: skipped: %s\n", msg);
}

static double ms(int64_t us)
{
	return (double)us / 1000.0;
}

/* The split of an import's wall time (struct vulndb_stats), total_us the
 * whole import; "other" is what no step claims (opening, event plumbing). */
static json_t *timings_json(const struct vulndb_stats *st, int64_t total_us)
{
	int64_t other =
	    total_us - st->us_read - st->us_parse - st->us_validate - st->us_write - st->us_match;
	return json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "read", ms(st->us_read), "parse",
			 ms(st->us_parse), "validate", ms(st->us_validate), "match",
			 ms(st->us_match), "write", ms(st->us_write), "other",
			 ms(other > 0 ? other : 0), "total", ms(total_us));
}

static int feed_import(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", "timings", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct vulndb_stats st = {0};
	struct store *s = NULL;
	int64_t t0, total_us;
	int rc;

	CLI_PARSE_OR_RETURN(c, argc, argv, spec,
			    "[--json] [--timings] KIND PATH\n\n"
			    "Import a vulnerability feed and update findings.\n"
			    "KIND osv: an OSV record (.json or .yaml), a folder of them, or an\n"
			    "          OSV zip dump. Malformed records are skipped and named.\n"
			    "KIND nvd: NVD CVE API 2.0 JSON (pages or records), a file or folder.\n"
			    "KIND csaf: CSAF 2.0 advisories (JSON), a file or folder.\n"
			    "KIND kev: the CISA Known Exploited Vulnerabilities catalogue (JSON).\n"
			    "Re-importing is idempotent; a record with a newer 'modified' wins.\n"
			    "An OSV record whose bytes are stored already is not parsed again.\n"
			    "--timings: where the time went, in milliseconds: reading (files,\n"
			    "content hashes), parsing (JSON/YAML), validation (records into\n"
			    "advisories), matching (findings) and database writes (also in\n"
			    "--json as \"timings_ms\"; OSV measures every step, the other kinds\n"
			    "writes and matching).",
			    &a);
	if (a.npos != 2)
		return cli_usage(c, "KIND PATH");
	if (strcmp(a.pos[0], "osv") != 0 && strcmp(a.pos[0], "kev") != 0 &&
	    strcmp(a.pos[0], "nvd") != 0 && strcmp(a.pos[0], "csaf") != 0) {
		fprintf(stderr, "vigil: feed kind '%s': expected osv, nvd, csaf or kev\n",
			a.pos[0]);
		return CLI_USAGE;
	}
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	t0 = vg_mono_us();
	if (strcmp(a.pos[0], "osv") == 0) {
		rc = vulndb_import_osv(s, a.pos[1], print_skip, NULL, &st, &err);
	} else if (strcmp(a.pos[0], "nvd") == 0) {
		rc = feeds_import_nvd(s, a.pos[1], print_skip, NULL, &st, &err);
	} else if (strcmp(a.pos[0], "csaf") == 0) {
		rc = feeds_import_csaf(s, a.pos[1], print_skip, NULL, &st, &err);
	} else {
		struct vg_buf b;
		vg_buf_init(&b, KEV_MAX);
		rc = vg_buf_read_file(&b, a.pos[1], KEV_MAX, &err);
		if (!rc)
			rc = vulndb_import_kev(s, b.data ? b.data : "", b.len, a.pos[1], print_skip,
					       NULL, &st, &err);
		vg_buf_release(&b);
	}
	store_close(s);
	total_us = vg_mono_us() - t0;
	if (rc)
		return cli_error(&err);
	if (cli_flag(&a, "json"))
		return cli_print_json(json_pack(
		    "{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "kind", a.pos[0],
		    "path", a.pos[1], "imported", (json_int_t)st.imported, "updated",
		    (json_int_t)st.updated, "unchanged", (json_int_t)st.unchanged, "skipped",
		    (json_int_t)st.skipped, "withdrawn", (json_int_t)st.withdrawn, "findings_new",
		    (json_int_t)st.findings_new, "findings_retracted",
		    (json_int_t)st.findings_retracted, "exploited", (json_int_t)st.exploited,
		    "timings_ms", timings_json(&st, total_us)));
	printf("%s %s: %ld imported, %ld updated, %ld unchanged, %ld skipped, %ld withdrawn "
	       "(%lld ms)\n",
	       a.pos[0], a.pos[1], st.imported, st.updated, st.unchanged, st.skipped, st.withdrawn,
	       (long long)(total_us / 1000));
	printf("findings: %ld new, %ld retracted, %ld actively exploited\n", st.findings_new,
	       st.findings_retracted, st.exploited);
	if (cli_flag(&a, "timings"))
		printf("timings: read %.1f ms, parse %.1f ms, validate %.1f ms, match %.1f ms, "
		       "write %.1f ms, other %.1f ms\n",
		       ms(st.us_read), ms(st.us_parse), ms(st.us_validate), ms(st.us_match),
		       ms(st.us_write),
		       ms(total_us - st.us_read - st.us_parse - st.us_validate - st.us_match -
			  st.us_write));
	return CLI_OK;
}

static int feed_sync(struct cli *c, int argc, char **argv)
{
	static const char *const spec[] = {"json", NULL};
	struct cli_args a;
	struct vg_error err = {0};
	struct vulndb_stats st = {0};
	struct store *s = NULL;
	long fetched = 0, not_modified = 0;
	int rc;

	CLI_PARSE_OR_RETURN(
	    c, argc, argv, spec,
	    "[--json]\n\n"
	    "Fetch the configured feeds and import what changed. Configuration:\n"
	    "feeds.osv_url, feeds.nvd_url, feeds.csaf_url, feeds.kev_url (each one\n"
	    "or more URLs separated by blanks), feeds.cacert, feeds.timeout,\n"
	    "feeds.nvd_api_key. ETag / Last-Modified of each URL are sent back\n"
	    "(an unchanged feed answers 304); NVD URLs get lastModStartDate /\n"
	    "lastModEndDate and OSV URLs modified= from the last sync.",
	    &a);
	if (a.npos != 0)
		return cli_usage(c, "[--json]");
	if ((rc = cli_open_store(c, 1, &s)))
		return rc;
	rc = feeds_sync(s, print_skip, NULL, &st, &fetched, &not_modified, &err);
	store_close(s);
	if (cli_flag(&a, "json"))
		cli_print_json(json_pack(
		    "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "fetched", (json_int_t)fetched,
		    "not_modified", (json_int_t)not_modified, "imported", (json_int_t)st.imported,
		    "updated", (json_int_t)st.updated, "unchanged", (json_int_t)st.unchanged,
		    "skipped", (json_int_t)st.skipped, "findings_new", (json_int_t)st.findings_new,
		    "findings_retracted", (json_int_t)st.findings_retracted, "ok", rc == VG_OK));
	else
		printf("sync: %ld fetched, %ld not modified; %ld imported, %ld updated, %ld "
		       "unchanged, %ld skipped; findings: %ld new, %ld retracted\n",
		       fetched, not_modified, st.imported, st.updated, st.unchanged, st.skipped,
		       st.findings_new, st.findings_retracted);
	if (rc)
		return cli_error(&err);
	return CLI_OK;
}

int cmd_feed(struct cli *c, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"import", feed_import, "import an OSV, NVD, CSAF or KEV feed (file, folder, OSV zip)"},
	    {"sync", feed_sync, "fetch the configured feed URLs and import what changed"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(c, "feed", "Vulnerability feeds: OSV, NVD, CSAF, CISA KEV.", verbs,
			    argc, argv);
}
