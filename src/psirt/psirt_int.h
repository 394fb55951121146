/*
 * psirt_int.h - what the case and Article 14 files share: a row fetcher
 * with explicit column kinds (so a product version "2" stays a string), text
 * checks for outside input, and Member State codes. Not for other modules.
 */
#ifndef VIGIL_PSIRT_PSIRT_INT_H
#define VIGIL_PSIRT_PSIRT_INT_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"
#include "jobs/deadline.h"
#include "psirt/review.h"

struct store;
struct store_stmt;
struct vg_error;

/* Column i as a new string (caller frees); NULL for SQL NULL, and NULL with
 * *oom set when out of memory. */
char *psirt_col_dup(struct store_stmt *st, int i, int *oom);
/*
 * Run sql and call row for each result row (row returns VG_OK or VG_ENOMEM).
 * types has one letter per '?': 'i' binds a, 't' binds t (the same value for
 * every placeholder of that kind: enough for the typed readers here).
 */
int psirt_query(struct store *s, const char *sql, const char *types, int64_t a, const char *t,
		int (*row)(struct store_stmt *st, void *arg), void *arg,
		struct vg_error *err) VG_MUST_CHECK;

/* 1 when a draft or notice field is filled in: not null, not an empty
 * string or array. */
int psirt_has_value(const json_t *v);

/*
 * Normalise a comma-separated list of EU Member State codes ("de, fr" ->
 * "DE,FR"; "EL" and "GR" both accepted for Greece) into out. VG_EINVAL
 * naming the first unknown code.
 */
int psirt_member_states(const char *in, char *out, size_t outsz,
			struct vg_error *err) VG_MUST_CHECK;

/*
 * The alert thresholds of every PSIRT clock (the deadline engine's Art. 14
 * and case acknowledgement clocks): "50%", "75%", "90%" of the window and
 * "breach" after the due time. Bit i of a fired set is ART14_WARN_* (1, 2,
 * 4, 8).
 */
#define PSIRT_NTHRESHOLDS 4
#define PSIRT_BREACH      3 /* index of "breach" */
extern const struct deadline_threshold psirt_alert_thresholds[PSIRT_NTHRESHOLDS];
/* ["50%", "75%", ...] for the bits of fired (caller owns). */
json_t *psirt_alerts_json(unsigned fired);

/* Approvals a draft needs: one (with four-eyes review in force it must come
 * from a person other than the draft's author: psirt_four_eyes()). */
int psirt_approvals_needed(void);

/*
 * The people who may act on cases and Article 14 reports: enabled users with
 * the role psirt or admin, by name (*names: malloc'ed strings in a malloc'ed
 * array, psirt_people_free()).
 */
int psirt_people(struct store *s, char ***names, size_t *n, struct vg_error *err) VG_MUST_CHECK;
void psirt_people_free(char **names, size_t n);
/* VG_OK when who is one of psirt_people(), else VG_EINVAL naming who. */
int psirt_person_may_act(struct store *s, const char *who, struct vg_error *err) VG_MUST_CHECK;
/* psirt_four_eyes(): psirt/review.h (the advisory room reuses it). */

/* Words of in separated by commas, spaces or line breaks (at most max, each
 * under 256 bytes), as strings freed with psirt_people_free(); errors name
 * what. psirt_ids(): the same as positive ids ("#12" is 12). */
int psirt_words(const char *in, const char *what, size_t max, char ***out, size_t *n,
		struct vg_error *err) VG_MUST_CHECK;
int psirt_ids(const char *in, const char *what, size_t max, int64_t **out, size_t *n,
	      struct vg_error *err) VG_MUST_CHECK;

#endif
