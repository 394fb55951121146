/*
 * art14.h - the Article 14 CRA clocks: exposures, their obligations, alerts,
 * drafts, approvals and the record of the manual filing.
 *
 * An exposure is an actively exploited vulnerability (14(1)-(2), on a case
 * or a finding) or a severe incident (14(3)-(4)). Recording one stores the
 * awareness time, who recorded it, when, and from what evidence (audited).
 * Its obligations and their deadlines (all UTC, see docs/CRA.md):
 *
 *   early-warning  awareness + 24 h
 *   notification   awareness + 72 h (both from awareness, not from each other)
 *   final          vulnerability: 14 days after a corrective or mitigating
 *                  measure is marked available (undetermined until then);
 *                  incident: one calendar month after the recorded submission
 *                  of the notification (month ends clamp: 31 Jan -> 28/29 Feb)
 *   intermediate   only when the CSIRT asks, due when it says
 *
 * States: undetermined (no due time yet), pending (less than half of the
 * window used), due (half or more used: act now), overdue (past the due
 * time, not submitted), submitted. Alerts art14.warning at 50, 75 and 90 %
 * of each window and art14.breached after the due time are emitted once each
 * by the deadline engine (jobs/deadline.h, clock "art14", one deadline per
 * obligation: fired marks and the art14.alert audit record in one
 * transaction), severity critical. vigil never files anything: "submitted" is what a person
 * recorded after filing on the ENISA single reporting platform.
 *
 * Every write is one transaction with its audit record on the object
 * art14_exposure:<id>, so `vigil audit log --object art14_exposure:ID` is the
 * proof of awareness, drafts, approvals and submissions.
 */
#ifndef VIGIL_PSIRT_ART14_H
#define VIGIL_PSIRT_ART14_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;
struct vg_buf;

#define ART14_KIND_VULN     "vulnerability"
#define ART14_KIND_INCIDENT "incident"

#define ART14_DRAFT_SCHEMA "vigil-art14-draft/1"

enum art14_stage {
	ART14_EARLY_WARNING = 0,
	ART14_NOTIFICATION,
	ART14_INTERMEDIATE,
	ART14_FINAL,
	ART14__NSTAGES
};

enum art14_state {
	ART14_UNDETERMINED = 0,
	ART14_PENDING,
	ART14_DUE,
	ART14_OVERDUE,
	ART14_SUBMITTED
};

/* Alert bits of an obligation (bit i = the engine's threshold i). */
#define ART14_WARN_50     1
#define ART14_WARN_75     2
#define ART14_WARN_90     4
#define ART14_WARN_BREACH 8

/* "early-warning" <-> ART14_EARLY_WARNING; -1 when unknown. */
int art14_stage_parse(const char *s);
const char *art14_stage_name(int stage);
const char *art14_state_name(enum art14_state st);

/*
 * Deadlines (pure; for the code and the tests). Each returns VG_OK and sets
 * *due, or VG_ESTATE when the start event has not happened (start 0).
 */
int64_t art14_due_early_warning(int64_t aware_at);
int64_t art14_due_notification(int64_t aware_at);
int art14_due_vuln_final(int64_t fix_available_at, int64_t *due);
int art14_due_incident_final(int64_t notification_submitted_at, int64_t *due);

/* State of an obligation at now. starts_at/due_at 0 = undetermined;
 * submitted_at 0 = not submitted. */
enum art14_state art14_state_at(int64_t starts_at, int64_t due_at, int64_t submitted_at,
				int64_t now);
/* Alert bits that are due at now for a window [starts_at, due_at]
 * (ART14_WARN_*): p % of the window is starts + (due - starts) * p / 100,
 * floored to the second; breach is any time after due_at. */
unsigned art14_alerts_due(int64_t starts_at, int64_t due_at, int64_t now);
/* "2d 03h 04m" (or "-1h 00m" when past) into out. */
char *art14_format_left(int64_t seconds, char *out, size_t n);

/* What an exposure is opened with. Strings are copied; NULL = not known. */
struct art14_open {
	const char *kind;  /* ART14_KIND_VULN or ART14_KIND_INCIDENT */
	const char *title; /* required */
	int64_t aware_at;  /* required; not in the future */
	const char *evidence;
	const char *product;
	const char *product_version;
	const char *member_states; /* "DE,FR": ISO 3166-1 alpha-2 codes, comma separated */
	int suspected_malicious;   /* incidents */
	int64_t case_id;           /* 0 = none */
	const char *finding;       /* finding id, NULL = none */
	const char *vuln_id;       /* CVE or other id */
};

/*
 * Record an exposure and start its clocks. The actor of s is recorded as who
 * set the awareness time. *id receives the new exposure id. Errors: VG_EINVAL
 * naming the bad field, VG_ENOTFOUND for an unknown case. Emits art14.opened.
 */
int art14_open(struct store *s, const struct art14_open *in, int64_t *id,
	       struct vg_error *err) VG_MUST_CHECK;

/* Mark a corrective or mitigating measure available at `at` (a
 * vulnerability): the final report becomes due at + 14 days. VG_ESTATE for an
 * incident or when already marked. */
int art14_fix_available(struct store *s, int64_t id, int64_t at,
			struct vg_error *err) VG_MUST_CHECK;

/*
 * A security release was published (event release.published, payload read
 * by triage/release_fix.h): a corrective measure is available. In one
 * transaction, for each fixed vulnerability id:
 *  - every vulnerability exposure of it (its vuln_id or an alias of it, or
 *    a CVE link of its case) whose product (its own, else its case's) is the
 *    release's product or unknown, and that has no measure yet, gets
 *    fix_available_at = the publication time (not before awareness) and the
 *    release as evidence: the final report is due 14 days later on the "art14"
 *    clock of the deadline engine; audited art14.fix_available;
 *  - every case linked to it (a CVE link or such an exposure) on that product
 *    (or none) records the release (psirt_case_fixes, a "release" link that
 *    the Art. 14(8) user notice lists), audited case.fix_available.
 * Heard twice, nothing changes. Counts go to *exposures and *cases (may be
 * NULL).
 */
struct release_published;
int art14_release_published(struct store *s, const struct release_published *ev, int64_t *exposures,
			    int64_t *cases, struct vg_error *err) VG_MUST_CHECK;

/* The CSIRT asked for an intermediate report due at `due`; asking again
 * before it is submitted moves the due time. */
int art14_request_intermediate(struct store *s, int64_t id, int64_t due,
			       struct vg_error *err) VG_MUST_CHECK;

/*
 * Record that a person filed stage of exposure id on the platform at `at`
 * with the platform's receipt reference. at must not be in the future nor
 * before awareness. The draft version filed (the latest approved one, if
 * any) is remembered. Submitting an incident's notification starts its final
 * report clock. VG_EEXIST when that stage was already recorded.
 * *approved (may be NULL) is set to 1 when an approved draft existed.
 */
int art14_submitted(struct store *s, int64_t id, const char *stage, int64_t at,
		    const char *reference, int *approved, struct vg_error *err) VG_MUST_CHECK;
/*
 * art14_submitted with the guard of Article 14's order: recording a stage
 * while an earlier one is not recorded as filed (the early warning before
 * the notification, both before an intermediate or final report), or
 * without an approved latest draft of that stage, is refused (VG_ESTATE, the
 * message starting "reason:" and naming what is missing) unless reason (may
 * be NULL) says why. The reason, what it overrode ("guard",
 * "before_earlier_stages", "without_approved_draft") go to the audit record
 * art14.submitted and the reason to the obligation (report.reason).
 * art14_submitted() is this with reason NULL.
 */
int art14_submitted_ex(struct store *s, int64_t id, const char *stage, int64_t at,
		       const char *reference, const char *reason, int *approved,
		       struct vg_error *err) VG_MUST_CHECK;

/* ---- typed objects ---- */

/*
 * One Article 14 report obligation of an exposure (early warning 24 h,
 * notification 72 h, intermediate when asked, final report) with its clock
 * as seen at `now`. Strings are owned (NULL = not set); times 0 = not set.
 */
struct art14_report {
	int64_t id, exposure_id;
	char *kind, *title; /* the exposure's */
	int stage;          /* enum art14_stage; -1 for an unknown stored name */
	int64_t starts_at, due_at, submitted_at;
	char *reference, *submitted_by; /* the filing record */
	char *reason;                   /* why it was recorded out of order or unapproved */
	int64_t now;                    /* the instant state was computed at */
	enum art14_state state;
	unsigned alerts_sent; /* ART14_WARN_* already sent for this due time */
};

struct art14_report_list {
	struct art14_report *items;
	size_t n;
};

/* A draft version of a stage, as listed with its exposure. */
struct art14_draft_info {
	int stage;
	int64_t version, created_at, approvals;
	char *created_by;
};

/* An exposure with its reports and draft versions (art14_get). */
struct art14_exposure {
	int64_t id;
	char *kind, *title;
	int64_t case_id; /* 0 = none */
	char *finding, *vuln_id, *product, *product_version, *aware_by, *evidence, *member_states;
	int suspected_malicious;
	int64_t aware_at, aware_recorded_at, fix_available_at;
	int64_t fix_release_id; /* the published release that made the measure available; 0: none */
	char *fix_release;      /* its "PRODUCT VERSION"; NULL: none (or marked by hand) */
	json_t *facts;          /* the draft fields people filled in: a JSON object by nature */
	struct art14_report_list reports;
	struct art14_draft_info *drafts;
	size_t ndrafts;
};

void art14_report_list_release(struct art14_report_list *l);
void art14_exposure_release(struct art14_exposure *e);

/* Every obligation (exposure 0) or those of one exposure, by exposure and
 * stage, with their state at now. */
int art14_list(struct store *s, int64_t exposure, int64_t now, struct art14_report_list *out,
	       struct vg_error *err) VG_MUST_CHECK;
/* One exposure with its reports (state at vg_now()) and draft versions.
 * VG_ENOTFOUND naming the exposure. */
int art14_get(struct store *s, int64_t id, struct art14_exposure *out,
	      struct vg_error *err) VG_MUST_CHECK;

/*
 * The JSON edges (API, CLI --json; keys are the API's). A report:
 * {exposure_id, kind, title, stage, starts_at, due_at, state, seconds_left,
 * time_left, submitted_at, reference, submitted_by, reason, [late], alerts_sent}.
 * An exposure: {id, kind, title, case_id, finding, vuln_id, product,
 * product_version, suspected_malicious, aware_at, aware_by,
 * aware_recorded_at, evidence, fix_available_at, fix_release ({id, name} of
 * the published release that made the measure available, or null),
 * member_states, facts,
 * obligations [report], drafts [{stage, version, created_at, created_by,
 * approvals}]}. New references.
 */
json_t *art14_report_to_json(const struct art14_report *r);
json_t *art14_report_list_to_json(const struct art14_report_list *l);
json_t *art14_exposure_to_json(const struct art14_exposure *e);

/*
 * Check every clock at vg_now() and send the alerts that are due and not yet
 * sent (art14.warning, art14.breached). *sent (may be NULL) counts them.
 */
int art14_tick(struct store *s, int *sent, struct vg_error *err) VG_MUST_CHECK;

/* Drafts: fields an exposure's facts may hold (for `edit --set`). */
int art14_field_known(const char *field);
/* The plain words of a draft field ("nature" -> "General nature of ..."). */
const char *art14_field_label(const char *field);

/*
 * A draft version of one stage's report. Its content is a document of the
 * ART14_DRAFT_SCHEMA schema by nature (schema, exposure_id, kind, stage,
 * article, version, created_at, created_by, deadline, fields, required,
 * missing, platform, notice; art14_draft_get adds body_sha256,
 * approvals_needed, approved, approvals, submission): it is kept as JSON in
 * doc, with the members the code decides on copied into typed fields.
 * Release with art14_draft_release().
 */
struct art14_draft {
	int64_t exposure_id;
	int stage; /* enum art14_stage */
	int64_t version;
	size_t nmissing; /* required fields without a value */
	int approved;    /* art14_draft_get: enough approvals */
	json_t *doc;     /* owned */
};

void art14_draft_release(struct art14_draft *d);
/* The draft document for the API and CLI --json (a new reference). */
json_t *art14_draft_to_json(const struct art14_draft *d);

/*
 * Build a new draft version of stage from what the exposure (and its case)
 * knows into *out, with "missing" listing required fields without a value.
 * Audited (art14.draft).
 */
int art14_draft(struct store *s, int64_t id, const char *stage, struct art14_draft *out,
		struct vg_error *err) VG_MUST_CHECK;
/* Set n fields (art14_field_known; an empty value clears) and build one new
 * version of stage, in one transaction audited as art14.draft_edit. */
int art14_edit(struct store *s, int64_t id, const char *stage, size_t n, const char *const *names,
	       const char *const *values, struct art14_draft *out,
	       struct vg_error *err) VG_MUST_CHECK;
/* The latest draft of stage (version 0) or a given version, with its
 * approvals; VG_ENOTFOUND when none. */
int art14_draft_get(struct store *s, int64_t id, const char *stage, int64_t version,
		    struct art14_draft *out, struct vg_error *err) VG_MUST_CHECK;
/*
 * Approve the latest draft of stage as the actor of s. Refused (VG_ESTATE)
 * while required fields are missing; the same person cannot approve a
 * version twice (VG_EEXIST). With config art14.four_eyes=1 a draft counts as
 * approved after two different people approved it. *approved (may be NULL)
 * tells whether it now is.
 */
int art14_approve(struct store *s, int64_t id, const char *stage, int *approved,
		  struct vg_error *err) VG_MUST_CHECK;
/* A printable HTML page of a draft (from art14_draft_get). */
int art14_draft_html(const struct art14_draft *d, struct vg_buf *out);

/* Subscribe to vuln.exploited (a KEV match on a finding opens an exposure;
 * one exposure per finding) and release.published (art14_release_published).
 * Call once at program start. */
void art14_init(void);

/* `vigil art14` and `vigil incident` (listed in the program's noun table, src/app/tables.c). */
struct cli;
int cmd_art14(struct cli *c, int argc, char **argv);
int cmd_incident(struct cli *c, int argc, char **argv);

#endif
