/*
 * triage_ui.h - the triage room's pages (src/triage/ui_triage.c): the queue
 * at /ui/findings and one finding, listed in triage_ui_routes.
 */
#ifndef VIGIL_TRIAGE_TRIAGE_UI_H
#define VIGIL_TRIAGE_TRIAGE_UI_H

#include "jobs/jobs.h"

#include "core/error.h"

struct store;
struct vg_error;

/*
 * Redraw the all-products charts under the queue on s and keep them for
 * the pages of this process. Run once a minute on every server by the job
 * "triage.charts" (triage_jobs_every_server), so no page waits for a pass over a million
 * findings; without the job (tests, other commands) the page draws them
 * itself at most once a minute.
 */
int triage_charts_redraw(struct store *s, struct vg_error *err) VG_MUST_CHECK;
/* The job table of the charts, run by every server (src/app/tables.c). */
extern const struct vg_job triage_jobs_every_server[];

#endif
