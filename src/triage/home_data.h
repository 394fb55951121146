/*
 * home_data.h - what the home page (src/app/ui_home.c) reads of the triage
 * room for a PSIRT lead's portfolio charts: time to remediate per product,
 * the most exposed products, and the SLA burn-down of the open findings.
 * Read only; strings live in the caller's arena. The open findings by
 * severity over time are triage_history() (triage.h).
 */
#ifndef VIGIL_TRIAGE_HOME_DATA_H
#define VIGIL_TRIAGE_HOME_DATA_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_arena;
struct vg_error;

/* Findings of one product fixed in the window, and how long they took from
 * first seen to fixed (closed_at - first_seen_at). */
struct triage_mttr {
	const char *product;
	int64_t fixed;        /* findings fixed in the window */
	int64_t mean_seconds; /* their mean time to remediate */
};
struct triage_mttr_list {
	struct triage_mttr *v;
	size_t n;
};

/* Per product, the findings moved to fixed in the last `days` days
 * (1..366) before now, slowest mean first, at most limit (1..100). */
int triage_home_mttr(struct store *s, int days, int64_t limit, struct vg_arena *mem,
		     struct triage_mttr_list *out, struct vg_error *err) VG_MUST_CHECK;

/* The open findings (new, in_triage, affected, in_remediation; not
 * retracted) of one product by severity. */
struct triage_exposed {
	const char *product;
	int64_t kev, critical, high, medium, low, none, total;
};
struct triage_exposed_list {
	struct triage_exposed *v;
	size_t n;
};

/* The most exposed products: by KEV-listed, then critical, then high, then
 * all open findings, at most limit (1..100). */
int triage_home_exposed(struct store *s, int64_t limit, struct vg_arena *mem,
			struct triage_exposed_list *out, struct vg_error *err) VG_MUST_CHECK;

/*
 * The SLA burn-down: of the open findings with an SLA due time, how many
 * are overdue at now (overdue), and day[i] how many more fall due on day i
 * (0 = the rest of today, UTC, up to day n-1). later: due after the last
 * day; nodue: open findings without a policy.
 */
#define TRIAGE_BURN_DAYS 14
struct triage_burndown {
	int64_t now;
	int64_t overdue;
	int64_t day[TRIAGE_BURN_DAYS];
	int64_t later, nodue;
};
int triage_home_burndown(struct store *s, int64_t now, struct triage_burndown *out,
			 struct vg_error *err) VG_MUST_CHECK;

#endif
