/*
 * findings.h - the findings of the triage room: one finding is (product
 * version, component purl, vulnerability) over the newest SBOM revision of
 * the version; the queue over them (filters, pages, counts per state), the
 * stored SLA due times, and the reconciliation that keeps them in step with
 * the feeds and the inventory without anyone asking.
 *
 * Rules:
 *  - Findings are reconciled after every committed feed batch ("vuln.updated",
 *    for the vulnerabilities it touched) and every SBOM import
 *    ("sbom.imported", for that version): new matches reported by the vuln
 *    room's matcher are created with first_seen_at, matches that no longer
 *    hold (withdrawn advisory, changed range, component gone) get
 *    retracted_at, and come back when they hold again. Each reconciliation
 *    is one transaction with its audit record ("findings.reconcile").
 *  - A finding on a vulnerability listed in KEV has kev = 1; the moment it
 *    gets it, "vuln.exploited" is emitted (after commit).
 *  - Other rooms read findings only through the view triage_finding_view
 *    (migration 0035: finding_id, version_id, vuln_id, state, kev,
 *    severity, score, first_seen_at, retracted_at, open), never the table.
 *  - Domain functions take and return the types below; JSON is made from
 *    them only at the edges (API, CLI --json, pages) by finding_to_json()
 *    and its kin.
 */
#ifndef VIGIL_TRIAGE_FINDINGS_H
#define VIGIL_TRIAGE_FINDINGS_H

#include "core/error.h"

#include "core/arena.h"
#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

/* The states of a finding, in workflow order (NULL-terminated). */
#define FINDING_N_STATES 7
extern const char *const finding_states[FINDING_N_STATES + 1];

/*
 * One finding as the queue lists it. Strings may be NULL where the column
 * may be; times are Unix seconds, 0 for none.
 */
struct finding {
	int64_t id;
	const char *product, *version, *purl, *vuln_id;
	const char *severity, *score; /* of the vulnerability; NULL when unknown */
	const char *vector;           /* the CVSS vector of that score; NULL: none */
	int kev;                      /* listed in CISA KEV: actively exploited */
	const char *state, *justification, *assignee;
	int64_t first_seen_at, updated_at, retracted_at;
	int64_t triage_due_at, fix_due_at, due_at; /* SLA due times, 0: none */
	int overdue;                               /* due_at has passed */
	const char *evidence_json;                 /* what matched: {"matches": [...]} */
	const char *const *aliases;                /* other ids of the vulnerability */
	size_t n_aliases;
};

/* A page of findings; everything is owned by its arena. */
struct finding_list {
	struct finding *v;
	size_t n;
	int64_t total;   /* matching findings (see total_exact) */
	int total_exact; /* 0: there are more than total (count cap) */
	int64_t limit, offset;
	struct vg_arena arena;
};
/* Free what the list holds; it is empty and reusable. */
void finding_list_release(struct finding_list *l);

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
	/* sort: NULL (sort_due decides) or a column of the queue (see
	 * FINDINGS_SORT_KEYS); sort_desc: descending. Ties are broken by id,
	 * so the order is stable from page to page. */
	const char *sort;
	int sort_desc;
	int64_t due_within;
	/* > 0: count at most offset + count_cap matching findings (the total
	 * of a broad filter over a million findings is read from a few
	 * thousand index entries); 0: count them all. */
	int64_t count_cap;
};
/* The columns a queue may be sorted by, for messages. "due" is the next
 * due time (none last), "seen" the first-seen time, "new" the newest first
 * (first seen, descending), "severity" and "state" in their own order,
 * "score" the CVSS base score (none lowest). */
#define FINDINGS_SORT_KEYS                                                                  \
	"due, new, seen, id, product, version, vuln, component, severity, score, state or " \
	"assignee"
/* 1 when key is one of FINDINGS_SORT_KEYS. */
int findings_sort_valid(const char *key);
/* The natural direction of a sort key: 1 when it reads best descending
 * (severity, score, seen, new). */
int findings_sort_desc_default(const char *key);

/* The count cap of GET /api/v1/findings and of the queue page: config
 * triage.count_cap (VIGIL_TRIAGE_COUNT_CAP), 10,000 by default, at least 1. */
int64_t findings_count_cap(void);

/*
 * Findings matching f into *out (initialised here; release it even on
 * error), newest first, by due time or by f->sort: at most f->limit (100
 * when 0, at most 1000) from f->offset. With f->count_cap, total may be
 * offset + count_cap and total_exact 0 (there are more). VG_EINVAL for an
 * unknown severity or sort key.
 */
int findings_list(struct store *s, const struct findings_filter *f, struct finding_list *out,
		  struct vg_error *err) VG_MUST_CHECK;

/* Active findings per state (finding_states order). */
struct finding_counts {
	int64_t n[FINDING_N_STATES];
};

/* Counts of the active findings matching f (its state, overdue and
 * due_within ignored). With f->count_cap > 0 and neither product nor
 * version each count stops at count_cap + 1: more than count_cap. */
int findings_state_counts(struct store *s, const struct findings_filter *f,
			  struct finding_counts *out, struct vg_error *err) VG_MUST_CHECK;

/* The ids of every finding matching f (limit and offset ignored), in id
 * order, for bulk changes: *ids malloc'ed (caller frees), *n of them. */
int findings_ids(struct store *s, const struct findings_filter *f, int64_t **ids, size_t *n,
		 struct vg_error *err) VG_MUST_CHECK;

/* The edges: the JSON of a finding, of a page ({"findings": [...], "total",
 * "total_exact", "limit", "offset"}) and of counts ({"new": n, ...}).
 * Caller owns; NULL when out of memory. */
json_t *finding_to_json(const struct finding *f);
json_t *finding_list_to_json(const struct finding_list *l);
json_t *finding_counts_to_json(const struct finding_counts *c);

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
int findings_due_sync_id(struct store *s, int64_t id, struct vg_error *err) VG_MUST_CHECK;
/* FINDINGS_DUE_SYNC for the findings a policy of product_id (0: the default
 * one) and severity ("kev": the KEV-listed findings) applies to. */
int findings_due_sync_policy(struct store *s, int64_t product_id, const char *severity,
			     struct vg_error *err) VG_MUST_CHECK;

/* What a reconciliation changed. */
struct findings_stats {
	long findings_new, findings_retracted, exploited;
};

/*
 * Reconcile the findings of the product version of SBOM sbom_id (after it
 * was imported), in one transaction: refresh the vuln room's match index of
 * the version, create and retract findings, flag KEV-listed ones, carry
 * triage decisions over. An older revision of its version changes nothing.
 * Counts are added to *st (may be NULL); "vuln.exploited" after commit.
 *
 * A revision held for a person (sbom/product.h SBOM_REVISION_HELD) changes
 * nothing. A revision not approved by a person whose reconciliation would
 * retract findings of actively exploited vulnerabilities (the finding's KEV
 * flag, or the vulnerability KEV-listed) changes nothing either: it is held
 * (sbom_hold()) and reconciled when approved ("sbom.approved").
 */
int findings_reconcile_sbom(struct store *s, int64_t sbom_id, struct findings_stats *st,
			    struct vg_error *err) VG_MUST_CHECK;

/*
 * Reconcile the findings of the n vulnerabilities vuln_ids (their advisories
 * changed) after merging the vulnerabilities merged (a JSON array of
 * {"from", "to"}, may be NULL), then flag KEV-listed findings, in one
 * transaction audited under source (the feed). Counts are added to *st.
 */
int findings_reconcile_vulns(struct store *s, const char *source, const char *const *vuln_ids,
			     size_t n, const json_t *merged, struct findings_stats *st,
			     struct vg_error *err) VG_MUST_CHECK;

/* Subscribe the triage room to the events it reacts to ("sbom.imported",
 * "vuln.updated") and offer the vuln room its affected product versions.
 * Called once at program start. */
void triage_init(void);

#endif
