/*
 * audit.h - reading and verifying the tamper-evident audit trail. Writing
 * happens in one place only: store_audit() (store/store.h).
 *
 * The room owns reading the audit_log table: other rooms read records only
 * through audit_query() (typed) or audit_query_json() (for their JSON
 * edges). Its edges: the routes /api/v1/audit and /api/v1/audit/verify
 * (api_audit.c), the evidence room /ui/audit (also /ui/evidence) with its
 * CSV/JSON export (ui_audit.c) and the
 * `vigil audit` verbs (cmd_audit.c), listed by the program as
 * audit_routes, audit_ui_routes and cmd_audit.
 */
#ifndef VIGIL_AUDIT_AUDIT_H
#define VIGIL_AUDIT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/json.h"

struct cli;
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
	/* NULL: any; "auth.login": that action; "auth.*": every action that
	 * starts with "auth." (a trailing '*' is a prefix) */
	const char *action;
	/* NULL: none hidden; actions starting with this prefix are left out
	 * (the evidence room hides sign-ins unless asked) */
	const char *hide_action_prefix;
	int64_t before_seq; /* records with seq < before_seq (0: no bound) */
	int64_t offset;     /* skip this many matching records (after ordering) */
	int newest_first;   /* 1: newest first (default: oldest first) */
};

/* One record of the trail. The before and after states are kept as the JSON
 * text they were recorded as (NULL: none); audit_entry_to_json() parses them. */
struct audit_entry {
	int64_t seq;
	int64_t at; /* epoch seconds */
	char *actor;
	char *remote;
	char *action;
	char *object_type;
	char *object_id;
	char *before_json;
	char *after_json;
	char *prev_hash;
	char *hash;
};

struct audit_entry_list {
	struct audit_entry *items;
	size_t n;
};

void audit_entry_list_release(struct audit_entry_list *l);

/* Records matching f, oldest first (newest first with f->newest_first), into *out (owned by the
 * caller, released with audit_entry_list_release; left empty on failure). */
int audit_query(struct store *s, const struct audit_filter *f, struct audit_entry_list *out,
		struct vg_error *err) VG_MUST_CHECK;

/*
 * {seq, at (RFC 3339), actor, remote, action, object_type, object_id,
 * before, after (parsed JSON or null), prev_hash, hash}: a new reference.
 */
json_t *audit_entry_to_json(const struct audit_entry *e);
/* The records of l as a JSON array (new reference). */
json_t *audit_entry_list_to_json(const struct audit_entry_list *l);
/* For other rooms' JSON edges (a case's or finding's history): audit_query()
 * then audit_entry_list_to_json() into *out (caller owns). */
int audit_query_json(struct store *s, const struct audit_filter *f, json_t **out,
		     struct vg_error *err) VG_MUST_CHECK;

/* The number of records matching f (limit and offset ignored) into *n. */
int audit_count_matching(struct store *s, const struct audit_filter *f, int64_t *n,
			 struct vg_error *err) VG_MUST_CHECK;

/* The number of records, and the highest sequence number (0: none). */
int audit_count(struct store *s, int64_t *count, struct vg_error *err) VG_MUST_CHECK;
int audit_last_seq(struct store *s, int64_t *seq, struct vg_error *err) VG_MUST_CHECK;

/*
 * Walk the whole chain in sequence order: sequence numbers must run 1..N with
 * no gap, each record's prev_hash must equal the previous record's hash, and
 * each hash must equal the recomputed one. On the first break *bad_seq is set
 * (the first sequence number that does not check out) and VG_EAUDIT is
 * returned with a sentence saying why; *count is the number of records read.
 */
int audit_verify(struct store *s, int64_t *count, int64_t *bad_seq,
		 struct vg_error *err) VG_MUST_CHECK;

/* `vigil audit log|verify`. */
int cmd_audit(struct cli *c, int argc, char **argv);

#endif
