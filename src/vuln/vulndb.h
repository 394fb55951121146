/*
 * vulndb.h - advisories stored, joined into vulnerabilities by alias, the
 * KEV catalogue, and findings kept in step with both the feeds and the
 * inventory without anyone asking.
 *
 * Rules:
 *  - Advisories are keyed by (source, id). Re-importing is idempotent: a
 *    record whose modified time is not newer than the stored one changes
 *    nothing; a newer one replaces it.
 *  - Every id and alias names one vulnerability (vuln_aliases). Its id is
 *    the smallest CVE id among them, else a GHSA id, else the first
 *    advisory's id; when a new advisory links two known vulnerabilities
 *    they are merged under the preferred id (findings follow).
 *  - A finding is (product version, component purl, vulnerability) over the
 *    newest SBOM revision of the version. Findings are reconciled after
 *    every feed batch (for the vulnerabilities it touched) and every SBOM
 *    import (for that version): new matches are created with first_seen_at,
 *    matches that no longer hold (withdrawn advisory, changed range,
 *    component gone) get retracted_at, and come back when they hold again.
 *  - A finding on a vulnerability listed in KEV has kev = 1; the moment it
 *    gets it, "vuln.exploited" is emitted (after commit).
 *  - Components with a CPE and no purl are matched against the NVD
 *    configurations (nvd_config_match) of stored NVD records, with the
 *    CPEs of the SBOM's operating system, firmware, device and primary
 *    components as the platform; a finding needs a vulnerable:true entry
 *    satisfied by the component's own CPE. Their findings carry the CPE in
 *    the purl column. A component with a purl is never CPE-matched.
 *  - Writes are batched: one transaction with one audit record per
 *    VULNDB_BATCH advisories.
 */
#ifndef VIGIL_VULN_VULNDB_H
#define VIGIL_VULN_VULNDB_H

#include "core/json.h"
#include "vuln/advisory.h"
#include "ident/cpe.h"
#include "vuln/match.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

#define VULNDB_BATCH 500

struct vulndb_stats {
	long imported, updated, unchanged, skipped, withdrawn;
	long findings_new, findings_retracted, exploited;
};

struct vulndb_import;

/* Start importing advisories from source ("osv", "nvd", "csaf") read from
 * what (a path, for the audit record). *out is freed by _end or _abort. */
int vulndb_import_begin(struct store *s, const char *source, const char *what,
			struct vulndb_import **out, struct vg_error *err);
/* Store one advisory (copied). May commit a batch. */
int vulndb_import_add(struct vulndb_import *im, const struct advisory *a, struct vg_error *err);

/*
 * What an NVD record carries beside its OSV form: the original cve object
 * (canonical JSON, re-read by nvd_cve_from_json() when findings are
 * reconciled) and the (vendor, product) keys of its cpeMatch criteria,
 * each "vendor\037product" in CPE WFN form, "*\037*" for a criterion
 * whose vendor or product is ANY or a wildcard pattern.
 */
struct vulndb_extra {
	const char *config_json;
	const char *const *cpe_keys;
	size_t n_cpe_keys;
};

/* As vulndb_import_add(), keeping x (may be NULL) with the advisory; a
 * replaced record's extras are replaced too. */
int vulndb_import_add_ext(struct vulndb_import *im, const struct advisory *a,
			  const struct vulndb_extra *x, struct vg_error *err);
/* Note a record the parser skipped (counted in the summary). */
void vulndb_import_skipped(struct vulndb_import *im);
/* Commit what is pending, add the counts to *st (may be NULL), free im. */
int vulndb_import_end(struct vulndb_import *im, struct vulndb_stats *st, struct vg_error *err);
/* Roll back what is pending and free im. */
void vulndb_import_abort(struct vulndb_import *im);

/*
 * Import every OSV record under path (osv_read_path). skip (may be NULL) is
 * told about each refused record. Counts are added to *st.
 */
int vulndb_import_osv(struct store *s, const char *path, void (*skip)(void *, const char *),
		      void *arg, struct vulndb_stats *st, struct vg_error *err);

/*
 * Import a CISA KEV catalogue (JSON, n bytes; file names it in messages):
 * upsert each entry, flag the findings of the listed CVEs. A malformed
 * entry is skipped (counted); a document without a vulnerabilities array
 * is VG_EPARSE.
 */
int vulndb_import_kev(struct store *s, const char *data, size_t n, const char *file,
		      void (*skip)(void *, const char *), void *arg, struct vulndb_stats *st,
		      struct vg_error *err);

/* Reconcile the findings of the product version of SBOM sbom_id (after it
 * was imported): refresh the reverse index, create and retract findings. */
int vulndb_reconcile_sbom(struct store *s, int64_t sbom_id, struct vulndb_stats *st,
			  struct vg_error *err);

/*
 * The (vendor, product) key of a CPE as advisory_cpes and
 * vuln_cpe_components hold it: "vendor\037product" in WFN form, or "*\037*"
 * when either is ANY, NA or a wildcard pattern. 0, or -1 when it does not
 * fit in out.
 */
int vulndb_cpe_key(const struct cpe *c, char *out, size_t outsz);

/*
 * Match one component CPE (with the CPEs of its platform: operating system,
 * firmware, device) against the stored NVD configurations, as findings are
 * made for CPE-only components. fn is called once per (vulnerability,
 * advisory) with what matched and the fixed version (may be NULL). A CPE
 * that does not parse, or whose vendor or product is ANY, matches nothing.
 */
typedef void (*vulndb_cpe_hit_fn)(void *arg, const char *vuln_id, const char *advisory,
				  const char *matched, const char *fixed);
int vulndb_match_cpe(struct store *s, const char *cpe, const char *const *platform,
		     size_t n_platform, vulndb_cpe_hit_fn fn, void *arg, struct vg_error *err);

/* Load every stored, not withdrawn advisory into ix. */
int vulndb_load_index(struct store *s, struct match_index *ix, struct vg_error *err);

/*
 * The queue's filters (zero = no filter). state "open" means new,
 * in_triage, affected or in_remediation. overdue: the next due time (SLA,
 * see src/triage/triage.h) has passed; due_within > 0: it falls in the next
 * due_within seconds and has not passed yet. sort_due: by due time (the
 * soonest first, no due time last) instead of newest first.
 */
struct findings_filter {
	const char *product, *version, *severity, *vuln;
	int kev_only, include_retracted;
	int64_t limit, offset;
	const char *state, *assignee;
	int overdue, sort_due;
	int64_t due_within;
	/* > 0: count at most offset + count_cap matching findings (the total
	 * of a broad filter over a million findings is read from a few
	 * thousand index entries); 0: count them all. */
	int64_t count_cap;
};
/* The count cap of GET /api/v1/findings and of the queue page: config
 * triage.count_cap (VIGIL_TRIAGE_COUNT_CAP), 10,000 by default, at least 1. */
int64_t findings_count_cap(void);

/*
 * The stored due times of findings (migration 0010: sla_triage_due_at,
 * sla_fix_due_at, sla_due_at, sla_due_key) are those of the view
 * findings_due. FINDINGS_DUE_SYNC is an UPDATE rewriting them from the view,
 * to be completed with a condition on table findings; it must run after
 * every change of a finding's state, severity, KEV flag, first-seen time or
 * retraction, and of an SLA policy (in the transaction of the change).
 */
#define FINDINGS_DUE_SYNC                                                                   \
	"UPDATE findings SET (sla_triage_due_at, sla_fix_due_at, sla_due_at) = (SELECT "    \
	"d.triage_due_at, d.fix_due_at, d.due_at FROM findings_due d WHERE d.finding_id = " \
	"findings.id), sla_due_key = COALESCE((SELECT d.due_at FROM findings_due d WHERE "  \
	"d.finding_id = findings.id), 9223372036854775807) WHERE "
/* FINDINGS_DUE_SYNC for one finding. */
int findings_due_sync_id(struct store *s, int64_t id, struct vg_error *err);
/* FINDINGS_DUE_SYNC for the findings a policy of product_id (0: the default
 * one) and severity ("kev": the KEV-listed findings) applies to. */
int findings_due_sync_policy(struct store *s, int64_t product_id, const char *severity,
			     struct vg_error *err);

/* Findings matching f, newest first: {"findings": [...], "total": n,
 * "total_exact": true, "limit", "offset"}; with f->count_cap, total may be
 * offset + count_cap and total_exact false (there are more). Each
 * carries its triage fields (state, justification, assignee) and due times
 * (triage_due_at, fix_due_at, due_at, overdue). */
int findings_list_json(struct store *s, const struct findings_filter *f, json_t **out,
		       struct vg_error *err);

/* Active findings matching f (its state, overdue and due_within ignored)
 * per state: {"state": n} for each of the NULL-terminated states, 0 when
 * none (caller owns). With f->count_cap > 0 and neither product nor version
 * each count stops at count_cap + 1: more than count_cap. */
int findings_state_counts_json(struct store *s, const struct findings_filter *f,
			       const char *const *states, json_t **out, struct vg_error *err);

/* The ids of every finding matching f (limit and offset ignored), as a JSON
 * array of integers (caller owns), for bulk changes. */
int findings_ids_json(struct store *s, const struct findings_filter *f, json_t **out,
		      struct vg_error *err);

/* One vulnerability by its id or any alias: aliases, severity, KEV entry,
 * its advisories (OSV form), affected product versions. VG_ENOTFOUND. */
int vuln_show_json(struct store *s, const char *id, json_t **out, struct vg_error *err);

/* Subscribe the vuln room to the events it reacts to ("sbom.imported").
 * Called once at program start. */
void vuln_init(void);

/* `vigil vuln` and `vigil feed` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_vuln(struct cli *c, int argc, char **argv);
int cmd_feed(struct cli *c, int argc, char **argv);

#endif
