/*
 * audit.h - reading and verifying the tamper-evident audit trail. Writing
 * happens in one place only: store_audit() (store/store.h).
 */
#ifndef VIGIL_AUDIT_AUDIT_H
#define VIGIL_AUDIT_AUDIT_H

#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;

struct audit_filter {
	int64_t since;     /* 0: no lower bound */
	int64_t until;     /* 0: no upper bound (inclusive) */
	const char *actor; /* NULL: any */
	const char *otype; /* NULL: any */
	const char *oid;   /* NULL: any */
	int64_t after_seq; /* paging: records with seq > after_seq */
	int64_t limit;     /* 0: no limit */
};

/* Records matching f, oldest first, as a JSON array (caller owns). */
int audit_query(struct store *s, const struct audit_filter *f, json_t **out, struct vg_error *err);

/*
 * Walk the whole chain in sequence order: sequence numbers must run 1..N with
 * no gap, each record's prev_hash must equal the previous record's hash, and
 * each hash must equal the recomputed one. On the first break *bad_seq is set
 * (the first sequence number that does not check out) and VG_EAUDIT is
 * returned with a sentence saying why; *count is the number of records read.
 */
int audit_verify(struct store *s, int64_t *count, int64_t *bad_seq, struct vg_error *err);

#endif
