/*
 * home_data.h - what the home page (src/app/ui_home.c) reads of the psirt
 * room: the running Article 14 clocks, soonest due first, and the cases
 * whose 48-hour acknowledgement is still owed. Read only; strings live in
 * the caller's arena (one vg_arena_release() frees a listing).
 */
#ifndef VIGIL_PSIRT_HOME_DATA_H
#define VIGIL_PSIRT_HOME_DATA_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_arena;
struct vg_error;

/* One Article 14 obligation not yet filed whose due time is known. */
struct psirt_clock {
	int64_t exposure_id;
	int64_t case_id;      /* 0: the exposure is not on a case */
	const char *kind;     /* vulnerability, incident */
	const char *title;    /* the exposure's */
	const char *stage;    /* early-warning, notification, intermediate, final */
	const char *finding;  /* the finding id it came from, may be NULL */
	const char *vuln_id;  /* may be NULL */
	const char *product;  /* may be NULL */
	const char *assignee; /* the case's, may be NULL */
	int64_t starts_at, due_at;
	int64_t draft_version; /* the stage's latest draft, 0: none yet */
	int64_t approvals;     /* of that draft */
};
struct psirt_clock_list {
	struct psirt_clock *v;
	size_t n;
	int64_t total; /* running clocks in all (n is at most the limit) */
};

/* The running clocks by due time (then exposure, stage), at most limit
 * (1..1000) of them, into mem. */
int psirt_home_clocks(struct store *s, int64_t limit, struct vg_arena *mem,
		      struct psirt_clock_list *out, struct vg_error *err) VG_MUST_CHECK;

/* A case whose acknowledgement to the reporter is still owed. */
struct psirt_ack_due {
	int64_t case_id;
	const char *title, *product, *assignee; /* product, assignee may be NULL */
	int64_t received_at, ack_due_at;
};
struct psirt_ack_list {
	struct psirt_ack_due *v;
	size_t n;
	int64_t total;
};

/* Unacknowledged open cases by acknowledgement due time, at most limit
 * (1..1000), into mem. */
int psirt_home_acks(struct store *s, int64_t limit, struct vg_arena *mem,
		    struct psirt_ack_list *out, struct vg_error *err) VG_MUST_CHECK;

#endif
