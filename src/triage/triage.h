/*
 * triage.h - the PSIRT triage queue: finding states and their workflow,
 * assignment, comments, decisions that carry over, and SLA clocks.
 *
 * Rules:
 *  - States: new -> in_triage -> affected -> in_remediation -> fixed, or
 *    in_triage -> not_affected (with a justification) / false_positive. Any
 *    state may go back to in_triage. Anything else is refused (VG_ESTATE)
 *    with the list of states allowed from where the finding is.
 *  - Every change is one audit record per finding (object "finding"), with
 *    the finding's triage fields before and after, in the transaction of
 *    the change. A bulk change is all or nothing: when one finding refuses,
 *    none changes.
 *  - A not_affected / false_positive decision is kept per (product version,
 *    vulnerability, package) where package is the purl without version. It
 *    holds for the next SBOM revisions of that version (the finding row
 *    stays); with scope "product" it is applied to the same vulnerability
 *    and package in later versions of the product. A changed component
 *    version or affected range reopens it: state in_triage plus a comment
 *    saying why.
 *  - SLA: policies per severity, optionally per product (a product's own
 *    policy for a severity replaces the default one); severity "kev" holds
 *    the triage deadline of actively exploited findings. A severity without
 *    a policy has no due time and raises no alert. Due times are computed
 *    by the views findings_sla / findings_due (migration 0007).
 *  - SLA alerts: "sla.warning" once the last quarter of a deadline's window
 *    has begun, "sla.breached" once it has passed; each once per finding,
 *    deadline kind and due time, emitted after commit. They run on the one
 *    deadline engine (jobs/deadline.h) as the clocks "sla.triage" and
 *    "sla.fix", whose fired set keeps them once across restarts and servers
 *    (migration 0015 moved the alerts sent before into it).
 */
#ifndef VIGIL_TRIAGE_TRIAGE_H
#define VIGIL_TRIAGE_TRIAGE_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"
#include "triage/findings.h"

struct store;
struct vg_error;

/* 1 when s names a state / a not_affected justification. */
int triage_state_valid(const char *s);
int triage_justification_valid(const char *j);
/* 1 when from -> to is a legal transition. */
int triage_transition_ok(const char *from, const char *to);
/* The states allowed from `from`, comma separated, into buf (returned). */
const char *triage_allowed(const char *from, char *buf, size_t n);
/* 1 for the closed states fixed, not_affected, false_positive. */
int triage_state_closed(const char *s);

/* The package identity of a purl: without version, qualifiers or subpath. */
void triage_purl_package(const char *purl, char *out, size_t n);

/* One change to a finding. NULL fields leave that part alone. */
struct triage_change {
	const char *state;         /* new state */
	const char *justification; /* required for not_affected, refused otherwise */
	const char *comment;       /* appended to the finding's comments */
	const char *assignee;      /* a user name; "" unassigns */
	const char *scope;         /* "version" (default) or "product" for decisions */
	const char *action;        /* audit action; NULL: derived from the change */
};

/*
 * Apply c to finding id in one transaction with its audit record
 * (triage_finding_get() reads it after). VG_ENOTFOUND for an unknown id,
 * VG_ESTATE for an illegal transition (message lists the allowed states),
 * VG_EINVAL for a missing or unknown justification or an unknown user;
 * nothing changes on error.
 */
int triage_apply(struct store *s, int64_t id, const struct triage_change *c,
		 struct vg_error *err) VG_MUST_CHECK;

/* Apply c to every finding matching f (all or nothing, one audit record per
 * finding). *count gets the number changed. VG_ENOTFOUND when no finding
 * matches f. */
int triage_apply_bulk(struct store *s, const struct findings_filter *f,
		      const struct triage_change *c, int64_t *count,
		      struct vg_error *err) VG_MUST_CHECK;

/* Apply c to each of the n_ids findings ids in one transaction (all or
 * nothing, one audit record per finding; an id given twice counts once).
 * VG_EINVAL for no id, VG_ENOTFOUND for an unknown one, VG_ETOOBIG for more
 * than triage_bulk_max(). */
int triage_apply_ids(struct store *s, const int64_t *ids, size_t n_ids,
		     const struct triage_change *c, int64_t *count,
		     struct vg_error *err) VG_MUST_CHECK;

/* The checks of a change that need no finding (state, justification for
 * the state, scope, comment length, the assignee a user allowed to
 * triage), for a form to refuse before it asks for a confirmation. */
int triage_change_check(struct store *s, const struct triage_change *c,
			struct vg_error *err) VG_MUST_CHECK;

/* Without changing anything: how many of the n_ids findings could not take
 * c's state from theirs (the bulk change would be refused), the first of
 * them and its state (into first_state, fsz bytes). 0 without a state. */
int triage_bulk_blocked(struct store *s, const int64_t *ids, size_t n_ids,
			const struct triage_change *c, int64_t *blocked, int64_t *first,
			char *first_state, size_t fsz, struct vg_error *err) VG_MUST_CHECK;

/* The most findings one bulk change takes: config triage.bulk_max
 * (VIGIL_TRIAGE_BULK_MAX), 10,000 by default. */
int64_t triage_bulk_max(void);

/*
 * Inside the caller's transaction: set finding id to state with
 * justification (no transition check: for decisions imported from VEX
 * documents), a comment and an audit record under action. *changed is 0
 * when the finding already had that state and justification, or a finer
 * one (in_triage leaves new alone, affected leaves in_remediation).
 */
int triage_set_in_tx(struct store *s, int64_t id, const char *state, const char *just,
		     const char *comment, const char *action, int *changed,
		     struct vg_error *err) VG_MUST_CHECK;

/* A comment on a finding. */
struct finding_comment {
	const char *actor, *body;
	int64_t created_at;
};

/*
 * One finding as its page shows it: the queue's fields (aliases not filled;
 * due times as the SLA policies give them now), the vulnerability's
 * summary, when its state last changed and when it was closed (0: never),
 * the states it may go to, its comments and its full audit history.
 * Everything is owned by the arena and history.
 */
struct finding_detail {
	struct finding f;
	const char *summary;
	int64_t state_changed_at, closed_at;
	const char *allowed_states[FINDING_N_STATES + 1]; /* NULL-terminated */
	struct finding_comment *comments;
	size_t n_comments;
	json_t *history; /* the audit records of the finding (audit_query rows) */
	/* published releases of another version of the product that fix the
	 * vulnerability (or an alias of it): release.published, release_fix.h */
	struct finding_fix_release {
		int64_t release_id;
		const char *version, *fixes; /* fixes: the id the release names */
		int64_t published_at;
	} * fix_releases;
	size_t n_fix_releases;
	struct vg_arena arena;
};

/* Fill *out (initialised here; release it even on error). VG_ENOTFOUND. */
int triage_finding_get(struct store *s, int64_t id, struct finding_detail *out,
		       struct vg_error *err) VG_MUST_CHECK;
void finding_detail_release(struct finding_detail *d);
/* The edges: the finding's JSON (caller owns; NULL when out of memory). */
json_t *finding_detail_to_json(const struct finding_detail *d);

/*
 * Carry decisions over (inside the caller's transaction): findings in state
 * new (of version_id, or every version when 0) updated at or after since
 * get a matching decision or are reopened; not_affected / false_positive
 * findings whose evidence (affected range, component version) differs from
 * what was decided on go back to in_triage with a comment.
 */
int triage_carry_over(struct store *s, int64_t version_id, int64_t since,
		      struct vg_error *err) VG_MUST_CHECK;

/* Counts per state of the findings matching f (state filter ignored).
 * With f->count_cap > 0 each count stops at count_cap + 1: a value above
 * count_cap means "more than count_cap". finding_counts_to_json() at the
 * edges. */
int triage_counts(struct store *s, const struct findings_filter *f, struct finding_counts *out,
		  struct vg_error *err) VG_MUST_CHECK;

/* Open findings per severity (critical, high, medium, low, none) at the
 * end of one day. */
#define TRIAGE_N_SEVERITIES 5
extern const char *const triage_severities[TRIAGE_N_SEVERITIES + 1];
struct triage_day {
	char day[16]; /* YYYY-MM-DD */
	int64_t open[TRIAGE_N_SEVERITIES];
};
struct triage_history {
	struct triage_day *days; /* oldest first; malloc'ed */
	size_t n;
};
/* The last `days` days up to now (1..366, else 30) into *out (caller
 * releases). */
int triage_history(struct store *s, int days, struct triage_history *out,
		   struct vg_error *err) VG_MUST_CHECK;
void triage_history_release(struct triage_history *h);
/* [{"day": "YYYY-MM-DD", "critical": n, ...}] (caller owns). */
json_t *triage_history_to_json(const struct triage_history *h);

/* SLA policies. product NULL: the default. triage/fix seconds < 0: none. */
int sla_policy_set(struct store *s, const char *product, const char *severity,
		   int64_t triage_seconds, int64_t fix_seconds, struct vg_error *err) VG_MUST_CHECK;
int sla_policy_unset(struct store *s, const char *product, const char *severity,
		     struct vg_error *err) VG_MUST_CHECK;
struct sla_policy {
	char product[256];      /* "*" for the default policy */
	char severity[16];      /* critical ... none, or kev */
	int64_t triage_seconds; /* -1: none */
	int64_t fix_seconds;    /* -1: none */
};
struct sla_policy_list {
	struct sla_policy *v; /* malloc'ed */
	size_t n;
};
/* Every policy, the default ones first, by product then severity. */
int sla_policy_list(struct store *s, struct sla_policy_list *out,
		    struct vg_error *err) VG_MUST_CHECK;
void sla_policy_list_release(struct sla_policy_list *l);
/* [{"product", "severity", "triage_seconds", "fix_seconds"}] (null for
 * none; caller owns). */
json_t *sla_policy_list_to_json(const struct sla_policy_list *l);

/* Send due SLA alerts (see the rules above); counts into *warned and
 * *breached (may be NULL). Events are emitted after commit. */
int sla_tick(struct store *s, int64_t *warned, int64_t *breached,
	     struct vg_error *err) VG_MUST_CHECK;

/* `vigil sla` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_sla(struct cli *c, int argc, char **argv);

#endif
