/*
 * vulndb.h - advisories stored, joined into vulnerabilities by alias, the
 * KEV catalogue, the match index of the inventory, and a matcher that
 * reports which components a vulnerability affects. Findings are the
 * triage room's (src/triage/findings.h): this room never writes them.
 *
 * Rules:
 *  - Advisories are keyed by (source, id). Re-importing is idempotent: a
 *    record whose modified time is not newer than the stored one changes
 *    nothing; a newer one replaces it.
 *  - Every id and alias names one vulnerability (vuln_aliases). Its id is
 *    the smallest CVE id among them, else a GHSA id, else the first
 *    advisory's id; when a new advisory links two known vulnerabilities
 *    they are merged under the preferred id.
 *  - Writes are batched: one transaction with one audit record per
 *    VULNDB_BATCH advisories, with a larger SQLite page cache while an
 *    import runs (VULNDB_CACHE_KIB). After each committed batch, and after a KEV
 *    import, the event "vuln.updated" is emitted (see below) so that the
 *    rooms keeping state per vulnerability (triage: findings) bring it up
 *    to date without anyone asking.
 *  - Components with a CPE and no purl are matched against the NVD
 *    configurations (nvd_config_match) of stored NVD records, with the
 *    CPEs of the SBOM's operating system, firmware, device and primary
 *    components as the platform; a match needs a vulnerable:true entry
 *    satisfied by the component's own CPE. Their hits carry the CPE in the
 *    purl field. A component with a purl is never CPE-matched.
 *
 * The event "vuln.updated" (emitted after commit) has the payload
 *   {"source": "osv"|"nvd"|"csaf"|"kev", "from": what was imported,
 *    "vuln_ids": [ids whose advisories changed],
 *    "merged": [{"from": old id, "to": id it was merged into}],
 *    "counts": {}}
 * A subscriber may add integer members to "counts" (findings_new,
 * findings_retracted, exploited): the importer adds them to its
 * struct vulndb_stats, which is how `vigil feed import` reports them.
 */
/*
 * Read interface for other rooms (migration 0016): SQL that another room
 * runs may join the views vuln_view (id, summary, severity, score,
 * modified, published), vuln_alias_view (alias, vuln_id) and vuln_kev_view
 * (cve_id, vendor, product, name, date_added, due_date, ransomware,
 * required_action), and (migration 0033) vuln_advisory_view (vuln_id,
 * source, id, withdrawn, record_json: the OSV form), never the tables
 * vulnerabilities, vuln_aliases, kev and advisories behind them. Columns
 * are only ever added.
 */
#ifndef VIGIL_VULN_VULNDB_H
#define VIGIL_VULN_VULNDB_H

#include "core/error.h"

#include "core/arena.h"
#include "core/json.h"
#include "vuln/advisory.h"
#include "ident/cpe.h"
#include "vuln/match.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

/* 5,000: a batch of 500 rewrote the pages of the random-keyed indexes at
 * each commit, a quarter of the time of a 100,000-record import (issue 15) */
#define VULNDB_BATCH 5000
/* The SQLite page cache an import keeps while it runs (store_cache_hint),
 * given back at its end. */
#define VULNDB_CACHE_KIB 65536

/* What an import did; findings_new, findings_retracted and exploited are
 * the counts the subscribers of "vuln.updated" reported. */
struct vulndb_stats {
	long imported, updated, unchanged, skipped, withdrawn;
	long findings_new, findings_retracted, exploited;
	/* Where the time went, in microseconds: reading the input (folders,
	 * files, content hashes), parsing it (JSON or YAML into a tree),
	 * validating it (the tree into struct advisory), database writes
	 * (advisories, aliases, audit records, commits) and matching (the
	 * subscribers of "vuln.updated": findings made and retracted). An
	 * importer that does not measure a step leaves it 0. */
	int64_t us_read, us_parse, us_validate, us_write, us_match;
};

struct vulndb_import;

/* Start importing advisories from source ("osv", "nvd", "csaf") read from
 * what (a path, for the audit record). *out is freed by _end or _abort. */
int vulndb_import_begin(struct store *s, const char *source, const char *what,
			struct vulndb_import **out, struct vg_error *err) VG_MUST_CHECK;
/* Store one advisory (copied). May commit a batch. */
int vulndb_import_add(struct vulndb_import *im, const struct advisory *a,
		      struct vg_error *err) VG_MUST_CHECK;

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
			  const struct vulndb_extra *x, struct vg_error *err) VG_MUST_CHECK;
/* Note a record the parser skipped (counted in the summary). */
void vulndb_import_skipped(struct vulndb_import *im);
/* Note a record left unread because its bytes are stored already (counted
 * as unchanged, in the batch like one that was read). May commit a batch. */
int vulndb_import_unchanged(struct vulndb_import *im, struct vg_error *err) VG_MUST_CHECK;
/* Commit what is pending, add the counts to *st (may be NULL), free im. */
int vulndb_import_end(struct vulndb_import *im, struct vulndb_stats *st,
		      struct vg_error *err) VG_MUST_CHECK;
/* Roll back what is pending and free im. */
void vulndb_import_abort(struct vulndb_import *im);

/*
 * Import every OSV record under path (osv_read_path_known). skip (may be
 * NULL) is told about each refused record. Counts and times are added to
 * *st. A record whose bytes hash (SHA-256) to those of a stored OSV record
 * is not parsed: it is unchanged (a record is stored with its hash,
 * advisories.content_hash); any other record is parsed and its modified
 * time decides as before.
 */
int vulndb_import_osv(struct store *s, const char *path, void (*skip)(void *, const char *),
		      void *arg, struct vulndb_stats *st, struct vg_error *err) VG_MUST_CHECK;

/*
 * Import a CISA KEV catalogue (JSON, n bytes; file names it in messages):
 * upsert each entry, then emit "vuln.updated" (source "kev"). A malformed
 * entry is skipped (counted); a document without a vulnerabilities array
 * is VG_EPARSE.
 */
int vulndb_import_kev(struct store *s, const char *data, size_t n, const char *file,
		      void (*skip)(void *, const char *), void *arg, struct vulndb_stats *st,
		      struct vg_error *err) VG_MUST_CHECK;

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
		     size_t n_platform, vulndb_cpe_hit_fn fn, void *arg,
		     struct vg_error *err) VG_MUST_CHECK;

/* Load every stored, not withdrawn advisory into ix. */
int vulndb_load_index(struct store *s, struct match_index *ix, struct vg_error *err) VG_MUST_CHECK;

/*
 * One match of an inventory component by an advisory, as the matcher
 * reports it. Strings are borrowed for the call.
 */
struct vuln_hit {
	int64_t component_id, sbom_id, version_id; /* 0 for vulndb_match_cpe() */
	const char *purl;     /* the component's purl, or its CPE when it has none */
	const char *vuln_id;  /* the vulnerability */
	const char *advisory; /* the advisory that matched, and its source */
	const char *source;
	const char *version; /* the component version tested */
	const char *matched; /* what matched: the range or the NVD criteria */
	const char *fixed;   /* the first fixed version, NULL or "" when none */
};
typedef void (*vuln_hit_fn)(void *arg, const struct vuln_hit *h);

/*
 * Inside the caller's transaction: refresh the match index of the product
 * version of SBOM sbom_id from its components (purl components by
 * ecosystem and name, CPE-only components by vendor and product).
 * *version_id gets the version, or 0 when sbom_id is not the newest
 * revision of its version (nothing done: the newest one's index stands).
 * *matchable (may be NULL) gets the number of purl components indexed.
 */
int vulndb_index_sbom(struct store *s, int64_t sbom_id, int64_t *version_id, long *matchable,
		      struct vg_error *err) VG_MUST_CHECK;

/* Match the indexed components of version_id against every stored, not
 * withdrawn advisory: fn once per (component, advisory) that matches. */
int vulndb_match_version(struct store *s, int64_t version_id, vuln_hit_fn fn, void *arg,
			 struct vg_error *err) VG_MUST_CHECK;

/* Match every indexed component against the stored, not withdrawn
 * advisories of the n vulnerabilities vuln_ids (at most 200). */
int vulndb_match_vulns(struct store *s, const char *const *vuln_ids, size_t n, vuln_hit_fn fn,
		       void *arg, struct vg_error *err) VG_MUST_CHECK;

/* Times of struct vulnerability and its parts: VULN_NO_TIME for none. */
#define VULN_NO_TIME INT64_MIN

/* The CISA KEV entry of a vulnerability. */
struct vuln_kev {
	const char *cve_id, *vendor, *product, *name, *date_added, *due_date, *ransomware,
	    *required_action;
};

/* One stored advisory of a vulnerability. */
struct vuln_advisory {
	const char *source, *id;
	int64_t modified_at;
	int withdrawn;
	const char *file;
	const char *record_json; /* the advisory in OSV form */
};

/* One product version (component) a vulnerability affects: a finding. */
struct vuln_affected {
	int64_t finding_id;
	const char *product, *version, *purl, *state;
	int kev;
	int64_t first_seen_at, retracted_at;
};

/* One vulnerability with its aliases, KEV entry, advisories and affected
 * product versions; everything is owned by the arena. */
struct vulnerability {
	const char *id, *summary, *severity, *score;
	int64_t modified_at, published_at, created_at, updated_at;
	const char **aliases;
	size_t n_aliases;
	int exploited; /* listed in CISA KEV: kev is set */
	struct vuln_kev kev;
	struct vuln_advisory *advisories;
	size_t n_advisories;
	struct vuln_affected *affected;
	size_t n_affected, cap_affected;
	struct vg_arena arena;
};

/* One vulnerability by its id or any alias into *out (initialised here;
 * release it even on error). VG_ENOTFOUND. */
int vuln_get(struct store *s, const char *id, struct vulnerability *out,
	     struct vg_error *err) VG_MUST_CHECK;
void vulnerability_release(struct vulnerability *v);
/* Copy a (its strings too) into v's affected product versions. VG_ENOMEM. */
int vulnerability_add_affected(struct vulnerability *v, const struct vuln_affected *a);
/* The edges: {"id", "summary", ..., "aliases", "kev", "exploited",
 * "advisories", "affected_product_versions"} (caller owns; NULL: no memory). */
json_t *vulnerability_to_json(const struct vulnerability *v);

/*
 * The product versions a vulnerability affects, for vuln_get(): the room
 * that keeps findings registers a provider at start-up (triage_init); it
 * adds them with vulnerability_add_affected(). Without one, there are none.
 */
typedef int (*vuln_affected_fn)(struct store *s, struct vulnerability *v, struct vg_error *err);
void vuln_set_affected_provider(vuln_affected_fn fn);

/* `vigil vuln` and `vigil feed` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_vuln(struct cli *c, int argc, char **argv);
int cmd_feed(struct cli *c, int argc, char **argv);

#endif
