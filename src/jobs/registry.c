/*
 * registry.c - every room's job table, listed once, and the foundation's own
 * housekeeping job.
 */
#include "jobs/jobs.h"
#include "core/clock.h"
#include "core/error.h"
#include "notify/notify.h"
#include "store/store.h"

/* Expired browser sessions and stale login counters are bookkeeping, not
 * evidence: they are removed (the logins themselves stay in the audit log). */
static int housekeeping(struct store *s, struct vg_error *err)
{
	int64_t now = vg_now();
	int rc = store_exec(s, err, "DELETE FROM sessions WHERE expires_at <= ?", "i", now);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM login_attempts WHERE window_start < ?", "i",
				now - 86400);
	return rc;
}

static int deliver(struct store *s, struct vg_error *err)
{
	int sent = 0, failed = 0;
	return notify_deliver_due(s, 100, &sent, &failed, err);
}

extern const struct vg_job psirt_jobs[];
extern const struct vg_job oncall_jobs[];
extern const struct vg_job triage_jobs[];
extern const struct vg_job triage_jobs_every_server[];

/* clang-format off */
static const struct vg_job core_jobs[] = {
    {"housekeeping", 300, housekeeping},
    {"notify.deliver", 1, deliver},
    {NULL, 0, NULL},
};

const struct vg_job *const vg_job_tables[] = {
    core_jobs,
    psirt_jobs,
    oncall_jobs,
    triage_jobs,
    NULL,
};

const struct vg_job *const vg_job_tables_every_server[] = {
    triage_jobs_every_server,
    NULL,
};
/* clang-format on */
