/*
 * rollout.h - phased rollouts of a published release to the devices of its
 * product (issue 19 item 3).
 *
 * A rollout has stages of growing percentages ("1,10,50,100"); a device is
 * in the current stage when its cohort (device_cohort(), a stable hash of
 * its id, 0..9999) is below percent * 100 and it matches the filter
 * (channel). States:
 *   draft      created, offers nothing
 *   running    offers the release to the current stage's devices
 *   paused     offers to the current stage but never advances (pause after
 *              this stage); resume makes it running again
 *   halted     offers nothing to anyone (the emergency stop); resume runs it
 *              again from the same stage with a new soak clock
 *   done       the last stage soaked and met its success ratio
 *   rolled_back  offers the previous release (re-published as new TUF
 *              target versions) to the devices that installed this one
 *
 * A stage advances when its soak clock ("rollout.soak" of the deadline
 * engine, jobs/deadline.h) fired and its success ratio (installed / devices
 * of the stage) is at least success_min %, or by hand (advance). It halts
 * automatically when failed / (installed + failed) exceeds max_failure %
 * over at least min_sample reports. The leader's job "rollout.evaluate"
 * decides both, at VIGIL_NOW.
 *
 * Every change of state is one audited transaction ("rollout.<verb>", with
 * the actor and the reason) and bumps rollout_epoch: check-ins on every
 * server look at the epoch at most every 0.5 s and reload the active
 * rollouts when it moved, so a halt is honoured everywhere within a second.
 * Halts (by hand or automatic) emit "rollout.halted" with severity
 * critical for the notifier.
 */
#ifndef VIGIL_UPDATE_ROLLOUT_H
#define VIGIL_UPDATE_ROLLOUT_H

#include "core/arena.h"
#include "core/error.h"
#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

#define ROLLOUT_MAX_STAGES     16
#define ROLLOUT_EVENT_HALTED   "rollout.halted"
#define ROLLOUT_EVENT_ADVANCED "rollout.advanced"

struct rollout_stage {
	int idx;
	int percent;
	int64_t started_at, due_at, soaked_at, ended_at;
	int64_t devices; /* devices of the product (and filter) in this stage's cohort band */
	int64_t offered; /* devices of the band the rollout answered "install" at a check-in
			  * (written by every server's flush job at its next run) or
			  * that reported on it */
	int64_t downloading, installing, installed, failed;
};

struct rollout {
	int64_t id;
	int64_t release_id;
	const char *product;
	const char *version;
	int64_t product_id;
	int stages[ROLLOUT_MAX_STAGES];
	int nstages;
	int64_t soak;
	int success_min, max_failure;
	int64_t min_sample;
	const char *filter_channel; /* NULL: every channel */
	const char *state;
	int stage;
	int64_t stage_started_at;
	int64_t previous_release_id; /* 0: none */
	const char *previous_version;
	const char *reason;
	int64_t created_at, updated_at;
	const char *created_by, *updated_by;
	struct rollout_stage *stage_info; /* nstages, filled by rollout_get */
};

struct rollout_list {
	struct rollout *items;
	size_t n;
	struct vg_arena mem;
};
void rollout_list_release(struct rollout_list *l);

struct rollout_create_req {
	const char *release; /* id or PRODUCT@VERSION */
	const char *stages;  /* "1,10,50,100" */
	int64_t soak;        /* seconds */
	int64_t success_min; /* percent, 0..100 */
	int64_t max_failure; /* percent, 0..100 */
	int64_t min_sample;  /* >= 1 */
	const char *filter;  /* "channel=beta"; NULL: none */
};
/* Parse stages as given ("1,10,50,100": whole percentages 1..100, each
 * larger than the one before, at most ROLLOUT_MAX_STAGES) into out (*n of
 * them). VG_EINVAL naming the byte and what was expected. Pure. */
int rollout_stages_parse(const char *s, int *out, int *n, struct vg_error *err) VG_MUST_CHECK;

/* Create a rollout (state draft) of a published release; *id gets its id. */
int rollout_create(struct store *s, const struct rollout_create_req *r, int64_t *id,
		   struct vg_error *err) VG_MUST_CHECK;

/* The verbs of a rollout. Every one is audited with reason (may be NULL
 * except for halt and rollback, which need one) and the store's actor. */
enum rollout_action {
	ROLLOUT_START = 1,
	ROLLOUT_PAUSE,
	ROLLOUT_RESUME,
	ROLLOUT_ADVANCE,
	ROLLOUT_HALT,
	ROLLOUT_ROLLBACK,
};
/* "start" -> ROLLOUT_START ...; 0 when unknown. */
int rollout_action_parse(const char *s);
const char *rollout_action_name(int a);
/* VG_ESTATE naming the state when the action does not apply to it. */
int rollout_act(struct store *s, int64_t id, int action, const char *reason,
		struct vg_error *err) VG_MUST_CHECK;

/* Every rollout, newest first (without stage_info). */
int rollout_list(struct store *s, const char *product, struct rollout_list *out,
		 struct vg_error *err) VG_MUST_CHECK;
/* One rollout with its stages and counts (out->n == 1). */
int rollout_get(struct store *s, int64_t id, struct rollout_list *out,
		struct vg_error *err) VG_MUST_CHECK;
json_t *rollout_to_json(const struct rollout *r);

/* Auto-advance and auto-halt at now (the leader's job, `vigil rollout
 * evaluate`): *changed gets how many rollouts changed. */
int rollout_evaluate(struct store *s, int64_t now, int *changed,
		     struct vg_error *err) VG_MUST_CHECK;

/* ---- for the check-in (checkin.c) ---- */

/* What the check-in offers, from the in-memory snapshot of active rollouts
 * (reloaded when rollout_epoch moved, looked at every 0.5 s at most). */
struct rollout_offer {
	int64_t rollout_id;
	int64_t release_id;
	char version[128];
	char target[512];
	uint64_t length;
	char sha256[65];
	char full_target[512]; /* the artifact name without the product, for deltas */
	int stage;             /* the rollout's current stage index */
};
/* The offer for a device: *found 0 when none. Also says whether the
 * device is in rollout_id (for status reports: *member). */
int rollout_offer_for(struct store *s, int64_t product_id, const char *channel, int cohort,
		      const char *installed, struct rollout_offer *out, int *found,
		      struct vg_error *err) VG_MUST_CHECK;
/* 1 when the device (product, channel, cohort, installed version) is in
 * rollout id now: offered it, or reporting on it. */
int rollout_has_device(struct store *s, int64_t id, int64_t product_id, const char *channel,
		       int cohort, int *stage, struct vg_error *err) VG_MUST_CHECK;
/* Forget the snapshot (tests, and after this process changed a rollout). */
void rollout_cache_invalidate(void);

/*
 * The rollout epoch (table rollout_epoch): bumped in the transaction of
 * every change of a rollout's state and of every device revocation, so a
 * server that reads it sees that its in-memory copies (the rollout
 * snapshot, the verified device tokens) are stale.
 *
 * How often it is read is update.epoch_poll_ms (at most 1000; by default
 * ROLLOUT_EPOCH_POLL_PG on PostgreSQL, where the read is a round trip that
 * halves the check-ins a second, and 0 on SQLite, where it costs a
 * microsecond):
 *  - N > 0: at most once every N ms per process; check-ins in between use
 *    the epoch read last. A halt, resume or revocation made by another
 *    process (the CLI, another server) is honoured within N ms; one made by
 *    this process marks the epoch stale (rollout_epoch_bump()), so its
 *    next check-in reads it (a check-in racing the commit may still keep
 *    the old value for up to N ms).
 *  - 0: at every check-in. A second read on the same thread within
 *    ROLLOUT_EPOCH_REUSE_US (the token check runs on the headers and again
 *    after the body of one request) reuses the first: a request is judged
 *    as of its arrival; the token check of another token than the thread's
 *    last reads anew (rollout_epoch_forget()).
 */
#define ROLLOUT_EPOCH_POLL_PG  100
#define ROLLOUT_EPOCH_REUSE_US 2000
int rollout_epoch_now(struct store *s, int64_t *epoch, struct vg_error *err) VG_MUST_CHECK;
/* Make this thread's next rollout_epoch_now() read the database (poll 0). */
void rollout_epoch_forget(void);
/* Bump the epoch (in the caller's transaction): every server's in-memory
 * copies become stale; this process reads it anew at its next check-in. */
int rollout_epoch_bump(struct store *s, struct vg_error *err) VG_MUST_CHECK;

struct cli;
int cmd_rollout(struct cli *c, int argc, char **argv);
/* At start: gives auth the device token check (api_rollout.c). */
void rollout_init(void);
/* The service "devices" beside the server: at stop, the last-seen times
 * still in memory are written. */
int device_service_start(const char *db_url, struct vg_error *err);
void device_service_stop(void);

#endif
