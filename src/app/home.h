/*
 * home.h - "what needs me now": the home page's view of every room for one
 * role, read in one go (home_load) and shown by the page (ui_home.c) and
 * GET /api/v1/home (home_to_json).
 *
 * Rules:
 *  - Admin and PSIRT users get the lists of what to act on: running
 *    Article 14 clocks (soonest due first), owed 48-hour acknowledgements,
 *    findings past their SLA (most overdue first), actively exploited
 *    findings nobody has triaged (state new), open on-call pages, who is
 *    on call and the last drill, and the expiry of the published
 *    security.txt and of the PSIRT's OpenPGP keys.
 *  - A read-only role (auditor) gets only the numbers (totals), never a
 *    list of things it cannot act on; ci and device get nothing.
 *  - Every role that reads gets the portfolio charts.
 *  - Nothing is written: a failed read of one part is an error of the whole.
 */
#ifndef VIGIL_APP_HOME_H
#define VIGIL_APP_HOME_H

#include "core/arena.h"
#include "core/error.h"
#include "core/json.h"
#include "psirt/art14.h"
#include "psirt/home_data.h"
#include "reach/oncall.h"
#include "reach/reach.h"
#include "reach/stpublish.h"
#include "triage/findings.h"
#include "triage/home_data.h"
#include "triage/triage.h"

#include <stdint.h>

struct store;

#define HOME_LIST_MAX     10 /* items of each list; totals say how many more */
#define HOME_MTTR_DAYS    90
#define HOME_HISTORY_DAYS 30 /* of the open findings chart */

struct home {
	int role;    /* the principal's ROLE_* bit */
	int can_act; /* admin or psirt: the lists are filled */
	int reads;   /* admin, psirt or auditor: totals and charts */
	int64_t now;

	struct psirt_clock_list clocks; /* n = 0 without can_act; total always */
	struct psirt_ack_list acks;
	struct finding_list overdue; /* findings past their SLA, most overdue first */
	struct finding_list kev;     /* actively exploited, still new */

	/* on call (can_act only) */
	struct oncall_shift_list shifts;
	struct oncall_page *open_pages[HOME_LIST_MAX]; /* not acknowledged, newest first */
	size_t n_open_pages;
	const struct oncall_drill *last_drill; /* NULL: none yet */

	/* expiries (can_act only) */
	int has_securitytxt;
	struct stpublish_record securitytxt;
	struct pgp_key_list pgp; /* recorded keys in state current */
	struct stwatch_list watched;

	/* portfolio charts (reads, when asked for) */
	int has_charts;
	struct triage_history history;
	struct triage_burndown burn;
	struct triage_mttr_list mttr;
	struct triage_exposed_list exposed;

	struct vg_arena mem;
};

/* Read everything role may see at vg_now() into *out (initialised here;
 * release it even on error); the portfolio charts only with charts set (a
 * pass over every finding each: the page keeps its drawing a minute). */
int home_load(struct store *s, int role, int charts, struct home *out,
	      struct vg_error *err) VG_MUST_CHECK;
void home_release(struct home *h);

/*
 * The API's view (a new reference; NULL when out of memory):
 * {role, now, can_act, clocks {total, items [{exposure_id, case_id, kind,
 * title, stage, finding, vuln_id, product, assignee, starts_at, due_at,
 * seconds_left, draft_version (0: none), approvals, state, act}]}, acks
 * {total, items [{case_id, title, product, assignee,
 * received_at, ack_due_at, seconds_left, act}]}, overdue_findings {total,
 * items [finding]}, kev_findings {total, items [finding]}, oncall {shifts,
 * open_pages, last_drill} | null, expiries {securitytxt {expires_at,
 * seconds_left} | null, pgp [{fingerprint, expires_at}], watched [{url,
 * status, expires_at}]} | null, charts {open_by_severity, sla_burndown,
 * mttr, exposed} | null}. act is the page that acts on the item.
 */
json_t *home_to_json(const struct home *h);

/* The Article 14 stage in words ("Early warning (24 h)"). */
const char *home_stage_label(const char *stage);
/* Where to act on a clock: its case's Article 14 section, else the finding
 * it came from, else the exposure's printable page; into out. */
const char *home_clock_href(const struct psirt_clock *c, char *out, size_t n);

#endif
