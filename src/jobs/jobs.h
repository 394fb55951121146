/*
 * jobs.h - background jobs. Every `vigil serve` process runs a scheduler
 * thread, but only the elected leader runs jobs: on PostgreSQL the leader
 * holds pg_try_advisory_lock("vigil.jobs") on its own connection, so when
 * several servers share one database exactly one runs them, and another
 * takes over within one tick when the leader stops. On SQLite the single
 * process is always the leader.
 *
 * A room exports its table of jobs; the program lists it in src/app/tables.c
 * (app_job_tables): among the leader's (run by the leader only) or, for a
 * job that keeps a cache of this process (a drawing reused by its pages),
 * among every server's (run by every server, leader or not).
 */
#ifndef VIGIL_JOBS_JOBS_H
#define VIGIL_JOBS_JOBS_H

#include "core/error.h"

#include <stdint.h>

struct store;
struct vg_error;

struct vg_job {
	const char *name;
	int64_t every; /* seconds between runs */
	int (*run)(struct store *s, struct vg_error *err);
	/* NULL for a job that runs on the scheduler's thread, between the
	 * others (quick jobs: paging, escalation and rollout evaluation run
	 * every second or so, and must not wait). Non-NULL for a long one: the
	 * scheduler asks pending() on its connection when the job is due, and
	 * when it answers 1 runs the job on a thread of its own with a
	 * connection of its own, one run at a time (the delta maker: minutes
	 * on a large image). */
	int (*pending)(struct store *s);
};

/* The jobs the program runs, given by its wiring (src/app/tables.c): two
 * NULL-terminated lists of NULL-name-terminated tables, the jobs of the
 * leader and the jobs every server runs for itself. */
struct vg_job_tables {
	const struct vg_job *const *leader;
	const struct vg_job *const *every_server;
};

/* Start the scheduler thread on db_url with the jobs of t (borrowed, must
 * outlive the scheduler), ticking every tick seconds. */
int jobs_start(const char *db_url, const struct vg_job_tables *t, int64_t tick,
	       struct vg_error *err) VG_MUST_CHECK;
/* Stop the scheduler and wait for running jobs (of its thread and of their
 * own) to finish. */
void jobs_stop(void);
/* 1 once jobs_stop() was called: a long job ends at its next step. */
int jobs_stopping(void);
/* 1 when this process is the leader right now. */
int jobs_is_leader(void);
/* Run every job of both lists once now on s (for `vigil jobs run` and
 * tests). */
int jobs_run_all(struct store *s, const struct vg_job_tables *t,
		 struct vg_error *err) VG_MUST_CHECK;

#endif
