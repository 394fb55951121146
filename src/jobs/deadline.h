/*
 * deadline.h - the one deadline engine: every clock vigil keeps (Article 14
 * reports, the 48-hour acknowledgement of a PSIRT case, triage SLAs, and
 * later rollout soak times and retention ends) raises its alerts here.
 *
 * The words:
 *  - A clock (struct deadline_clock) is a kind of deadline with a name
 *    ("art14", "case.ack", "sla.triage") and its thresholds, in firing
 *    order. A threshold is a point in the window [starts_at, due_at]: a
 *    share of the window from its start (50 %, 75 %, 90 %, the due time
 *    itself) or before its end ("the last quarter"), plus an absolute offset
 *    in seconds (so "due + 1 s" is "after the due time", "due - 30 days" a
 *    reminder a month ahead, and share 0 with an offset a fixed time after
 *    the start).
 *  - A deadline (struct deadline_item) is one running instance of a clock:
 *    a subject (the room's row id: an Art. 14 obligation, a case, a
 *    finding), its start and due times, and the room's own row for the
 *    callbacks. The room keeps the due times in its own tables; the engine
 *    never reads them.
 *  - The fired set (table deadline_fired, migration 0014) remembers every
 *    threshold that fired, keyed UNIQUE by (clock, subject, due_at,
 *    threshold). An alert therefore fires once each across restarts and
 *    across several servers on one PostgreSQL; a deadline whose due time
 *    moves is a new deadline and fires again (deadline_forget() clears the
 *    set of a subject when a room restarts a clock with the same due time).
 *
 * How a tick fires (deadline_fire() for one batch, deadline_tick() for a
 * batched loop over any number of rows):
 *  1. For each item the thresholds passed at `now` are computed
 *     (deadline_due()); with DEADLINE_LATEST_ONLY only the last one passed.
 *  2. Those already in the fired set are dropped (a read, no transaction:
 *     a tick with nothing new writes nothing).
 *  3. In ONE transaction: each remaining threshold is claimed with
 *     INSERT ... ON CONFLICT DO NOTHING (a claim that inserts no row lost to
 *     another server or an earlier tick and fires nothing), then the clock's
 *     record() callback writes the audit record(s) of what the item fired.
 *     The transaction commits only with an audit record (store.h's audited
 *     write rule), so no mark is ever stored without its record, and no
 *     record without its mark.
 *  4. After the commit, for every fired threshold (items in order,
 *     thresholds in clock order) the clock's event() callback builds the
 *     payload and the engine emits it through core/events.h
 *     (vg_event_emit: notify rules and other rooms subscribe there).
 *
 * Many rows (a million findings): the room's fetch callback selects only
 * candidates from its own stored due times with an index walk, excluding
 * what already fired with DEADLINE_SQL_NOT_FIRED below, in pages ordered by
 * subject; deadline_tick() commits and emits page by page, so memory stays
 * bounded and a failure keeps what was already sent.
 *
 * Rollout soak times: clock "rollout.soak" with one threshold
 * {"soaked", DEADLINE_FROM_START, 1000, 0}; subject = the rollout stage,
 * starts_at = when the stage began, due_at = starts_at + soak. Its event
 * ("rollout.soaked") lets the update room promote the next stage; a halt
 * that restarts the soak stores a new due time (a new deadline).
 * Retention ends: clock "retention.end" with thresholds
 * {"reminder", DEADLINE_BEFORE_DUE, 0, -30 * 86400} and
 * {"ended", DEADLINE_BEFORE_DUE, 0, 0}; subject = the segment or hold,
 * starts_at = when it was stored, due_at = when its retention ends. A hold
 * that extends the period is a new due time: the reminder fires again.
 *
 * Rules: a tick never runs inside the caller's transaction (it opens its
 * own). Subjects are positive (database ids). Times are seconds since the
 * epoch, UTC (core/clock.h); `now` is passed in so tests and the batched
 * loop use one instant.
 */
#ifndef VIGIL_JOBS_DEADLINE_H
#define VIGIL_JOBS_DEADLINE_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;

#define DEADLINE_MAX_THRESHOLDS 16
#define DEADLINE_NAME_MAX       64  /* bytes of a clock or threshold name */
#define DEADLINE_BATCH          500 /* rows per page of deadline_tick() */

/* Where a threshold's share of the window is measured from. */
enum deadline_anchor {
	DEADLINE_FROM_START = 0, /* starts_at + window * permille / 1000 + offset */
	DEADLINE_BEFORE_DUE = 1, /* due_at - window * permille / 1000 + offset */
};

struct deadline_threshold {
	const char *name; /* stored in the fired set and shown: "50%", "breach" */
	enum deadline_anchor anchor;
	int permille;   /* share of the window, 0..1000 (floored to the second) */
	int64_t offset; /* seconds added (negative: earlier) */
};

/* Clock flags. */
#define DEADLINE_LATEST_ONLY 1u /* fire only the last threshold passed (skip older ones) */

struct deadline_item;

struct deadline_clock {
	const char *name; /* "art14", "case.ack", "sla.triage"; the fired set's key */
	const struct deadline_threshold *thresholds; /* in firing order */
	int nthresholds;                             /* 1..DEADLINE_MAX_THRESHOLDS */
	unsigned flags;                              /* DEADLINE_* */
	/*
	 * In the firing transaction, after the marks of it->fired (bit i =
	 * thresholds[i]) are stored: write the audit record(s) (store_audit)
	 * of what fired, and any state of the room's own that goes with them.
	 * Required. A non-zero return rolls the whole batch back.
	 */
	int (*record)(struct store *s, const struct deadline_clock *c,
		      const struct deadline_item *it, int64_t now, void *arg, struct vg_error *err);
	/*
	 * After the commit, once per fired threshold (index i): the event's
	 * payload (a new reference the engine releases) and its name in *name
	 * ("art14.warning"). NULL: no event for this one. May be NULL.
	 */
	json_t *(*event)(const struct deadline_clock *c, const struct deadline_item *it, int i,
			 int64_t now, const char **name, void *arg);
	/* Frees an item's row when deadline_tick() ends a page. May be NULL. */
	void (*row_free)(void *row);
};

/* One running deadline, supplied by the room. */
struct deadline_item {
	const struct deadline_clock *clock; /* NULL: the clock given to fire/tick */
	int64_t subject;                    /* > 0: the room's id of what the clock runs for */
	int64_t starts_at;                  /* start of the window */
	int64_t due_at;                     /* 0 = undetermined: nothing fires */
	void *row;                          /* the room's data for its callbacks */
	unsigned fired;                     /* OUT: thresholds fired by this call (bit i) */
};

/* What a tick did. by_threshold counts per threshold index, over all clocks. */
struct deadline_stats {
	int64_t fired;
	int64_t by_threshold[DEADLINE_MAX_THRESHOLDS];
};

/*
 * The instant threshold i of clock c falls on for a window [starts_at,
 * due_at] (pure).
 */
int64_t deadline_threshold_at(const struct deadline_clock *c, int i, int64_t starts_at,
			      int64_t due_at);

/*
 * Thresholds of c passed at now (bit i = thresholds[i], passed when now >=
 * its instant) for [starts_at, due_at]; 0 when due_at is 0 (undetermined).
 * With DEADLINE_LATEST_ONLY only the highest such bit. Pure.
 */
unsigned deadline_due(const struct deadline_clock *c, int64_t starts_at, int64_t due_at,
		      int64_t now);

/* Index of the threshold called name in c, -1 when none. */
int deadline_threshold_index(const struct deadline_clock *c, const char *name);

/*
 * Fire what is due at now among n items (one page): see "How a tick fires"
 * above. Items' fired members are set. stats (may be NULL) is added to.
 * Opens and ends its own transaction (VG_ESTATE when s is already in one).
 * On an error nothing of this page is stored and no event is emitted.
 */
int deadline_fire(struct store *s, const struct deadline_clock *c, struct deadline_item *items,
		  size_t n, int64_t now, void *arg, struct deadline_stats *stats,
		  struct vg_error *err) VG_MUST_CHECK;

/* A growable page of items for a fetch callback. */
struct deadline_batch {
	struct deadline_item *items;
	size_t n, cap;
	const struct deadline_clock *clock; /* the tick's: for items added with NULL */
};

/* Append an item (row is owned by the batch from here: freed with the
 * clock's row_free when the page ends, even on failure). VG_ENOMEM. */
int deadline_batch_add(struct deadline_batch *b, const struct deadline_clock *clock,
		       int64_t subject, int64_t starts_at, int64_t due_at, void *row);

/*
 * The room's candidate query for one page: add (deadline_batch_add) at most
 * max items with subject > after, in ascending subject order, that may have
 * something to fire at now. Returning fewer than max ends the tick. It may
 * over-select (the engine checks the fired set); it should not under-select.
 */
typedef int (*deadline_fetch_fn)(struct store *s, int64_t after, int64_t now, size_t max,
				 struct deadline_batch *b, void *arg, struct vg_error *err);

/*
 * The batched tick: pages of DEADLINE_BATCH candidates from fetch, each
 * fired with deadline_fire() (committed, then emitted) before the next is
 * read. stats (may be NULL) is zeroed then filled. On an error the pages
 * before it stay fired.
 */
int deadline_tick(struct store *s, const struct deadline_clock *c, deadline_fetch_fn fetch,
		  void *arg, int64_t now, struct deadline_stats *stats,
		  struct vg_error *err) VG_MUST_CHECK;

/* The thresholds of clock c already fired for (subject, due_at), bit i =
 * thresholds[i], into *mask. For listings ("alerts sent"). */
int deadline_fired(struct store *s, const struct deadline_clock *c, int64_t subject, int64_t due_at,
		   unsigned *mask, struct vg_error *err) VG_MUST_CHECK;

/*
 * Forget every fired threshold of clock c for subject (all due times), so a
 * restarted clock alerts again. A write: call it inside the caller's
 * transaction, which carries the audit record of the restart.
 */
int deadline_forget(struct store *s, const struct deadline_clock *c, int64_t subject,
		    struct vg_error *err) VG_MUST_CHECK;

/*
 * SQL for a room's candidate query: true when the threshold named by the SQL
 * expression `threshold` has not fired for the deadline (subject, due). It
 * takes ONE bind, the clock's name, at its place in the statement. Uses the
 * primary key of deadline_fired, so it costs one index probe per row:
 *
 *   "... WHERE f.sla_fix_due_at <= ? AND "
 *   DEADLINE_SQL_NOT_FIRED("f.id", "f.sla_fix_due_at", "'breached'")
 *
 * This fragment is the only way other rooms see the fired set.
 */
#define DEADLINE_SQL_NOT_FIRED(subject, due, threshold)                         \
	"NOT EXISTS (SELECT 1 FROM deadline_fired df_ WHERE df_.clock = ? AND " \
	"df_.subject = " subject " AND df_.due_at = " due " AND df_.threshold = " threshold ")"

#endif
