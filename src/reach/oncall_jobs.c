/*
 * oncall_jobs.c - background jobs of on-call paging and PSIRT reachability:
 * escalation every 30 seconds, and once a day the security.txt checks, the
 * OpenPGP expiry warning and the drill reminder. Listed in src/app/tables.c.
 */
#include "core/error.h"
#include "core/log.h"
#include "jobs/jobs.h"
#include "reach/oncall.h"
#include "reach/reach.h"
#include "reach/stpublish.h"

#include "core/banned.h"

static int escalate(struct store *s, struct vg_error *err)
{
	int paged = 0;
	return oncall_tick(s, &paged, err);
}

/* Each part runs even when another fails: one broken check must not hide
 * the others. The first failure is reported. */
static int daily(struct store *s, struct vg_error *err)
{
	struct vg_error e = {0};
	int checked = 0, problems = 0, flag = 0, rc = VG_OK;

	if (stwatch_check_all(s, NULL, &checked, &problems, &e)) {
		vg_warn("securitytxt checks: %s", vg_error_msg(&e));
		rc = vg_error_set(err, e.code, "%s", vg_error_msg(&e));
	}
	vg_error_clear(&e);
	/* no PSIRT key configured is not an error of the job */
	if (pgp_expiry_check(s, &flag, &e) && e.code != VG_ENOTFOUND)
		vg_warn("pgp expiry check: %s", vg_error_msg(&e));
	vg_error_clear(&e);
	if (oncall_drill_check(s, &flag, &e)) {
		vg_warn("drill check: %s", vg_error_msg(&e));
		if (!rc)
			rc = vg_error_set(err, e.code, "%s", vg_error_msg(&e));
	}
	return rc;
}

/* Keep the published security.txt current; nothing configured is not an error. */
static int publish(struct store *s, struct vg_error *err)
{
	int changed = 0;
	int rc = stpublish_refresh(s, 0, &changed, err);
	if (rc == VG_ENOTFOUND) {
		vg_error_clear(err);
		return VG_OK;
	}
	return rc;
}

const struct vg_job oncall_jobs[] = {
    {"securitytxt.publish", 3600, publish, NULL},
    {"oncall.escalate", 30, escalate, NULL},
    {"psirt.reachability", 86400, daily, NULL},
    {NULL, 0, NULL, NULL},
};
