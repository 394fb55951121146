/*
 * programme.h - the programme record (issue 23): the scope map of internal
 * systems, support periods of products, the readiness score computed from
 * the live state of the other rooms, and the technical file.
 *
 * The room owns the tables scope_systems, support_periods and
 * readiness_snapshots (migration 0039). Other rooms read support periods
 * through the provider it registers with the sbom room
 * (sbom_set_support_provider(), programme_init()), never its tables.
 *
 * Rules:
 *  - Every change is one audited transaction (store.h); bad input is
 *    refused before anything is written, naming the field (CLI option,
 *    form field, or line and column of an import) and what was expected.
 *  - Lists own their strings in their arena: one *_release() frees them.
 *  - JSON only at the edges, by scope_system_to_json(),
 *    support_period_to_json() and readiness_to_json().
 */
#ifndef VIGIL_PROGRAMME_PROGRAMME_H
#define VIGIL_PROGRAMME_PROGRAMME_H

#include "core/arena.h"
#include "core/error.h"
#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct cli;
struct vg_buf;

/* ---- the scope map ---- */

/* An internal system as kept. */
struct scope_system {
	int64_t id;
	const char *name;
	const char *description;
	const char *owner;
	const char *cls;        /* business-it, support-infrastructure, product-infrastructure */
	const char *rationale;  /* why it is in that class */
	const char *assessment; /* assumed, assessed, needs-assessment */
	int64_t review_at;      /* the next review, 00:00 UTC of that day */
	int64_t reviewed_at;    /* last marked reviewed; 0: never */
	const char *products;   /* product names, comma separated; "" none */
	const char *data_held;
	const char *network_zone;
	const char *proposal; /* which of vigil's proposals it came from; NULL: a person's */
	int64_t revision;     /* 1, +1 on every change */
	int64_t created_at, updated_at, retired_at;
	const char *created_by, *updated_by, *retired_by;
};

struct scope_list {
	struct scope_system *items;
	size_t n;
	struct vg_arena mem;
};
void scope_list_release(struct scope_list *l);

/* What a person gives (CLI options, a form, a row of an import). NULL:
 * not given (on edit: unchanged). review is YYYY-MM-DD; products a comma
 * separated list of product names. */
struct scope_input {
	const char *name, *description, *owner, *cls, *rationale, *assessment, *review, *products,
	    *data_held, *network_zone;
};
/* Input field names, in the CSV column order (also the JSON member names). */
extern const char *const scope_fields[];
#define SCOPE_NFIELDS 10

/* Label tables for the stored codes (html_label). */
#include "http/html.h"
extern const struct html_label scope_class_labels[];
extern const struct html_label scope_assessment_labels[];

/*
 * Check in (creating: name, owner, class and review are required and the
 * review may not be in the past) against the store (products must exist).
 * On failure *field (may be NULL) names the field in error
 * (scope_fields[]) and err says what was expected.
 */
int scope_check(struct store *s, const struct scope_input *in, int creating, const char **field,
		struct vg_error *err) VG_MUST_CHECK;

/* Add a system (audited scope.add). VG_EEXIST when the name is taken. */
int scope_add(struct store *s, const struct scope_input *in, struct vg_error *err) VG_MUST_CHECK;
/* Change the given fields of system `name` (audited scope.edit with the
 * difference). VG_ENOTFOUND when none. */
int scope_edit(struct store *s, const char *name, const struct scope_input *in,
	       struct vg_error *err) VG_MUST_CHECK;
/* Mark reviewed now, with the next review date next (YYYY-MM-DD, future). */
int scope_reviewed(struct store *s, const char *name, const char *next,
		   struct vg_error *err) VG_MUST_CHECK;
/* Retire (audited scope.retire; kept in the record). */
int scope_retire(struct store *s, const char *name, const char *reason,
		 struct vg_error *err) VG_MUST_CHECK;

/* Listing: filters and order. */
struct scope_filter {
	const char *cls;        /* NULL: any */
	const char *assessment; /* NULL: any */
	const char *q;          /* NULL: any; a substring of name, owner or description */
	const char *product;    /* NULL: any; serves this product */
	int overdue;            /* 1: review date passed */
	int retired;            /* 0: active only, 1: retired only, 2: both */
	const char *sort;       /* SCOPE_SORT_KEYS; NULL: name */
	int desc;
	int64_t limit, offset; /* limit 0: all */
};
#define SCOPE_SORT_KEYS "name, class, owner, assessment, review, updated"
int scope_sort_valid(const char *key);
int scope_list(struct store *s, const struct scope_filter *f, struct scope_list *out,
	       int64_t *total, struct vg_error *err) VG_MUST_CHECK;
/* One system by name (into l->items[0]); VG_ENOTFOUND when none. */
int scope_get(struct store *s, const char *name, struct scope_list *out,
	      struct vg_error *err) VG_MUST_CHECK;
json_t *scope_system_to_json(const struct scope_system *x, int64_t now);
/* 1 when x is active and its review date has passed at now. */
int scope_overdue(const struct scope_system *x, int64_t now);

/*
 * Import (CSV with a header row naming the columns of scope_fields, or
 * JSON: {"systems": [...]} or an array of objects). All or nothing: every
 * row is checked first; the first bad one is refused naming its line and
 * column (CSV) or its index and member (JSON) and nothing is written.
 * Rows are matched by name: a new name is added, a known one edited.
 * *added and *changed count them. One transaction, an audit record per
 * row and one scope.import record.
 */
enum scope_format { SCOPE_CSV = 1, SCOPE_JSON = 2 };
int scope_import(struct store *s, enum scope_format fmt, const char *data, size_t n,
		 const char *what, int *added, int *changed, struct vg_error *err) VG_MUST_CHECK;
/* The parse alone (for the fuzz target and for scope_import): rows into
 * *rows (an array of objects keyed by scope_fields, strings), with for
 * each row its line (CSV) in lines[] (malloc'ed, caller frees; NULL for
 * JSON), and in cols[SCOPE_NFIELDS] (may be NULL) the 1-based column of
 * each field in the header (0: absent). */
int scope_csv_parse(const char *data, size_t n, const char *what, json_t **rows, int64_t **lines,
		    int *cols, struct vg_error *err) VG_MUST_CHECK;
/* The JSON reader alone (the fuzz target and scope_import): the
 * document ({"systems": [...]} or a bare array) into *rows as
 * scope_csv_parse() gives them (products given as an array made a comma
 * list; what an export adds about the record dropped). Refuses, naming
 * the member (/systems/1/class), anything else; *rows is NULL then. */
int scope_json_parse(const char *data, size_t n, const char *what, json_t **rows,
		     struct vg_error *err) VG_MUST_CHECK;
/* Export the active systems (retired too with all) as CSV or JSON into b. */
int scope_export(struct store *s, enum scope_format fmt, int all, struct vg_buf *b,
		 struct vg_error *err) VG_MUST_CHECK;

/* vigil's own entries proposed for the user to confirm. */
struct scope_proposal {
	const char *key; /* "update-server", ... */
	const char *name, *description, *cls, *rationale, *data_held, *network_zone;
};
extern const struct scope_proposal scope_proposals[];
/* The proposals not yet confirmed (nor retired) into out[] (at most max);
 * returns how many in *n. */
int scope_proposals_open(struct store *s, const struct scope_proposal **out, size_t max, size_t *n,
			 struct vg_error *err) VG_MUST_CHECK;
/* Confirm proposal key as a system of the map with owner and review date
 * (audited scope.confirm). VG_ENOTFOUND for an unknown key, VG_EEXIST when
 * confirmed already. */
int scope_confirm(struct store *s, const char *key, const char *owner, const char *review,
		  struct vg_error *err) VG_MUST_CHECK;

/* The deadline clock "scope.review": alerts once per review date passed
 * (event scope.review_overdue). The job scope.reviews runs it. */
int scope_review_tick(struct store *s, int64_t now, int *sent, struct vg_error *err) VG_MUST_CHECK;

/* ---- support periods ---- */

struct support_period {
	int64_t product_id;
	char product[256];
	char placed_on_market[16]; /* YYYY-MM or YYYY-MM-DD; "" not set */
	char support_end[16];      /* YYYY-MM or YYYY-MM-DD; "" not set */
	int64_t placed_at;         /* the first day given, 00:00 UTC */
	int64_t support_end_at;    /* the end of the last day of the period (exclusive) */
	int64_t retention_end;     /* later of placed + 10 years and support end (13(13)) */
	int64_t updates_until;     /* the last update issued stays available until (13(9)) */
	int from_product;          /* 1: derived from the product's own fields (not set here) */
	int64_t updated_at;
	char updated_by[128];
};
/* The support period of product (by name); VG_ENOTFOUND when the product
 * does not exist. A product without one here falls back to the product's
 * own support_until / placed_on_market (from_product = 1); without either
 * the dates are "" and the times 0. */
int support_get(struct store *s, const char *product, struct support_period *out,
		struct vg_error *err) VG_MUST_CHECK;
/* Set it (audited support.set). placed YYYY-MM[-DD], end YYYY-MM[-DD],
 * end not before placed. */
int support_set(struct store *s, const char *product, const char *placed, const char *end,
		struct vg_error *err) VG_MUST_CHECK;
/* Derive the times of p from its dates (pure). VG_EINVAL naming the field. */
int support_derive(struct support_period *p, struct vg_error *err) VG_MUST_CHECK;
json_t *support_period_to_json(const struct support_period *p);

/* ---- the readiness score ---- */

enum readiness_status { READY_PASS = 0, READY_FAIL = 1, READY_NA = 2 };
#define READINESS_MAX_CHECKS 16
struct readiness_check {
	const char *key;   /* "sbom-current" */
	const char *title; /* "Every product has a current SBOM" */
	const char *duty;  /* "Annex I Part II (1)" */
	int weight;        /* points; the order of the gap report */
	enum readiness_status status;
	char fact[400];      /* what was measured */
	const char *link;    /* where the evidence is (a page) */
	const char *fix;     /* what to do */
	const char *command; /* the command that fixes or shows it; may be NULL */
};
struct readiness {
	int64_t at;
	int score, max, na_weight;
	size_t n;
	struct readiness_check checks[READINESS_MAX_CHECKS];
};
/* Compute the score at now from the live state. */
int readiness_compute(struct store *s, int64_t now, struct readiness *out,
		      struct vg_error *err) VG_MUST_CHECK;
/* The failing checks by compliance impact (weight, highest first) into
 * idx[] (indexes of r->checks); returns how many. */
size_t readiness_gaps(const struct readiness *r, size_t *idx);
json_t *readiness_to_json(const struct readiness *r);
/* Store today's snapshot (replacing today's), audited readiness.snapshot. */
int readiness_snapshot(struct store *s, int64_t now, struct readiness *r,
		       struct vg_error *err) VG_MUST_CHECK;
struct readiness_point {
	char day[11];
	int64_t score, max;
};
/* The last `days` snapshots, oldest first (malloc'ed *out, caller frees). */
int readiness_history(struct store *s, int64_t days, struct readiness_point **out, size_t *n,
		      struct vg_error *err) VG_MUST_CHECK;
const char *readiness_status_name(enum readiness_status st);

/* ---- wiring (app/tables.c) ---- */
int cmd_scope(struct cli *c, int argc, char **argv);
int cmd_support(struct cli *c, int argc, char **argv);
int cmd_readiness(struct cli *c, int argc, char **argv);
void programme_init(void);

#endif
