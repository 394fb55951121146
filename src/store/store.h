/*
 * store.h - vigil's one SQL interface, with two backends: SQLite (embedded,
 * the default) and PostgreSQL (libpq, for several servers sharing one
 * database). Each backend is one const struct of function pointers
 * (store_int.h); callers only use the functions below.
 *
 * Rules:
 *  - One struct store is one connection, used by one thread at a time.
 *  - SQL is written once, portably, with '?' placeholders; the PostgreSQL
 *    backend rewrites them to $1..$n. Bind indexes are 1-based, column
 *    indexes 0-based.
 *  - Audited writes: every INSERT/UPDATE/DELETE on a table that is not in
 *    the short list of bookkeeping tables (sessions, login attempts, the
 *    audit log itself) must happen inside store_tx_begin()/store_tx_commit()
 *    and the transaction must contain at least one store_audit() record.
 *    store_step() refuses such a write outside a transaction and
 *    store_tx_commit() refuses (and rolls back) a transaction without its
 *    record, with VG_EAUDIT. This is how "no code path changes audited data
 *    without its record" is enforced in one place.
 *  - Errors never contain the database password.
 */
#ifndef VIGIL_STORE_STORE_H
#define VIGIL_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/json.h"

struct vg_error;
struct store;
struct vg_arena;
struct store_stmt;

enum store_backend_kind { STORE_SQLITE = 1, STORE_PG = 2 };

#define STORE_ROW  100 /* store_step(): a row is available */
#define STORE_DONE 101 /* store_step(): the statement has finished */

/* The schema version this binary expects (the highest migration). */
int store_schema_target(void);

/*
 * Open a connection. url is a SQLite file path (optionally "sqlite:" prefixed)
 * or a "postgresql://" / "postgres://" URL. The connection is checked and the
 * schema version compared: VG_EDBVER when the database is newer than this
 * binary. With migrate != 0 pending migrations are applied first.
 * *out is owned by the caller (store_close).
 */
int store_open(const char *url, int migrate, struct store **out,
	       struct vg_error *err) VG_MUST_CHECK;
void store_close(struct store *s);
/* Open a connection without looking at (or creating) the schema: for
 * `vigil restore`, which needs a database with no table at all. */
int store_open_unchecked(const char *url, struct store **out, struct vg_error *err) VG_MUST_CHECK;
/* The number of tables (and views) in the database: 0 for an empty one. */
int store_table_count(struct store *s, int64_t *out, struct vg_error *err) VG_MUST_CHECK;
/* SQLite: a consistent copy of the whole database into a new file at path,
 * taken with the online backup API while other connections read and write
 * (store_snapshot), and the reverse, a file into the (empty) database of s
 * (store_snapshot_load). VG_EINVAL on PostgreSQL, whose own tools
 * (pg_dump, pg_restore) do this. */
int store_snapshot(struct store *s, const char *path, struct vg_error *err) VG_MUST_CHECK;
int store_snapshot_load(struct store *s, const char *path, struct vg_error *err) VG_MUST_CHECK;

enum store_backend_kind store_kind(const struct store *s);
/* The URL with any password replaced by "***" (safe to print). */
const char *store_url_safe(const struct store *s);
/* Current schema version recorded in the database (0 when empty). */
int store_schema_version(struct store *s, int *out, struct vg_error *err) VG_MUST_CHECK;
/* Apply pending migrations, each in its own transaction. */
int store_migrate(struct store *s, struct vg_error *err) VG_MUST_CHECK;
/* Apply pending migrations numbered up to upto only (`vigil init --to N`:
 * the upgrade test builds a database of every earlier schema version). */
int store_migrate_to(struct store *s, int upto, struct vg_error *err) VG_MUST_CHECK;

/* Who acts on this connection (user or token name, or "system") and from
 * where; recorded in every audit record until changed. Copies both. The
 * address of an "anonymous" actor (a caller of a public route without
 * credentials) is never kept: it becomes store_anon_remote() of it. */
void store_set_actor(struct store *s, const char *actor, const char *remote);
/* "anon:" and the first 16 hex digits of the keyed hash of a client address
 * (core/secret.h, purpose "reporter-addr": the key file outside the
 * database), so the records of one client can be linked without saying who
 * it is; "anon" when the key is unavailable. Empty and "anon..." values are
 * copied as they are. */
void store_anon_remote(const char *remote, char *out, size_t n);
const char *store_actor(const struct store *s);
const char *store_remote(const struct store *s);

/* Transactions. begin/commit/rollback; nesting is an error. */
/*
 * A bulk writer's hint: keep up to kib KiB of database pages in this
 * connection's memory (SQLite's page cache; 0 gives back SQLite's default of
 * 2,000 KiB). A large import into tables indexed on random keys otherwise
 * evicts, re-reads and re-writes the index pages it touched a moment ago.
 * Nothing on PostgreSQL, whose server keeps the pages. Lasts until the next
 * call or store_close(); call it outside a transaction.
 */
int store_cache_hint(struct store *s, int64_t kib, struct vg_error *err) VG_MUST_CHECK;

int store_tx_begin(struct store *s, struct vg_error *err) VG_MUST_CHECK;
int store_tx_commit(struct store *s, struct vg_error *err) VG_MUST_CHECK;
void store_tx_rollback(struct store *s);
/* End the transaction begun with store_tx_begin(): roll back when rc is an
 * error (and return rc), else commit (and return the commit's result). The
 * one way to close `rc = ...; return store_tx_end(s, rc, err);`. */
int store_tx_end(struct store *s, int rc, struct vg_error *err) VG_MUST_CHECK;
int store_in_tx(const struct store *s);
/* PostgreSQL: begin a read-only repeatable-read transaction and export its
 * snapshot (*snapshot malloc'ed, for pg_dump --snapshot), so what is read
 * in it and what pg_dump copies are one state. End it with
 * store_tx_rollback(). VG_EINVAL on SQLite. */
int store_tx_begin_snapshot(struct store *s, char **snapshot, struct vg_error *err) VG_MUST_CHECK;

/*
 * Append an audit record in the current transaction: action ("user.create"),
 * object type and id, before and after values (JSON, may be NULL). The
 * record is hash-chained to the previous one. Outside a transaction, one is
 * opened and committed around the record.
 */
int store_audit(struct store *s, const char *action, const char *object_type, const char *object_id,
		const json_t *before, const json_t *after, struct vg_error *err) VG_MUST_CHECK;

/*
 * The hash of one audit record: SHA-256 (hex) over the canonical JSON
 * encoding (sorted keys, compact) of {seq, at (RFC 3339), actor, remote,
 * action, object_type, object_id, before, after (canonical JSON text or
 * null), prev (previous record's hash; 64 zeros for the first)}.
 */
int store_audit_hash(int64_t seq, int64_t at, const char *actor, const char *remote,
		     const char *action, const char *object_type, const char *object_id,
		     const char *before, const char *after, const char *prev, char out[65]);
/* The canonical bytes store_audit_hash() hashes (malloc'ed; NULL on OOM): also
 * the leaf data of the audit Merkle tree (audit/checkpoint.h). */
char *store_audit_canonical(int64_t seq, int64_t at, const char *actor, const char *remote,
			    const char *action, const char *object_type, const char *object_id,
			    const char *before, const char *after, const char *prev);
#define STORE_AUDIT_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/*
 * Durable events (core/events.h). store_event_record(): inside the
 * transaction that causes the event, keep it with the subscribers name has
 * now (*id; 0 when it has none, nothing kept). store_event_deliver(): after
 * that transaction committed, call them; the event is forgotten when all
 * succeeded, else those that failed are kept for store_event_redeliver().
 * id 0 calls the subscribers once (vg_event_emit). store_event_redeliver():
 * the events due at now (at most max), each subscriber still pending called
 * again; *done counts those now complete. store_event_job() is the job
 * "events.redeliver" (src/app/tables.c).
 */
int store_event_record(struct store *s, const char *name, const json_t *payload, int64_t *id,
		       struct vg_error *err) VG_MUST_CHECK;
void store_event_deliver(struct store *s, int64_t id, const char *name, const json_t *payload);
int store_event_redeliver(struct store *s, int64_t now, long max, long *done,
			  struct vg_error *err) VG_MUST_CHECK;
int store_event_job(struct store *s, struct vg_error *err);

/* Prepared statements. *out owned by the caller (store_finalize). sql NULL
 * (text built in a struct vg_buf whose append failed) is VG_ENOMEM. */
int store_prepare(struct store *s, const char *sql, struct store_stmt **out,
		  struct vg_error *err) VG_MUST_CHECK;
/*
 * The statement cache of this connection: for SQL run many times (once per
 * advisory, per finding, per row of a batch) compiling it again each time
 * costs more than running it. Returns in *out a statement for sql (compared
 * by text, so SQL built at run time is fine) that the connection prepared
 * before and kept, reset with its binds cleared; the first call prepares it.
 * Use it exactly like one from store_prepare() and hand it back with
 * store_finalize(), which for a cached statement resets it, clears its binds
 * and keeps it for the next call instead of freeing it; it is really
 * finalized by store_close(). Hand every one back before store_close().
 * When the same SQL is still handed out (a nested use) or the cache is full
 * of statements in use, a fresh uncached statement is returned instead: the
 * caller cannot tell, and does not need to. The cache holds at most
 * STORE_CACHE_MAX statements; the one idle longest makes room.
 * Fails as store_prepare().
 */
int store_prepare_cached(struct store *s, const char *sql, struct store_stmt **out,
			 struct vg_error *err) VG_MUST_CHECK;
int store_bind_text(struct store_stmt *st, int i, const char *v); /* NULL binds NULL */
int store_bind_int64(struct store_stmt *st, int i, int64_t v);
int store_bind_blob(struct store_stmt *st, int i, const void *p, size_t n);
int store_bind_null(struct store_stmt *st, int i);
/* Returns STORE_ROW, STORE_DONE or an error code (VG_EDB, VG_EEXIST on a
 * unique violation, VG_EAUDIT). */
int store_step(struct store_stmt *st, struct vg_error *err) VG_MUST_CHECK;
/* Start again with the same binds cleared. */
int store_reset(struct store_stmt *st);
int store_col_count(struct store_stmt *st);
int store_col_isnull(struct store_stmt *st, int i);
/* Valid until the next step/reset/finalize. NULL for SQL NULL. */
const char *store_col_text(struct store_stmt *st, int i);
int64_t store_col_int64(struct store_stmt *st, int i);
const void *store_col_blob(struct store_stmt *st, int i, size_t *n);
const char *store_col_name(struct store_stmt *st, int i);
/* Column i as a malloc'ed copy (freed by the caller); NULL for SQL NULL. A
 * failed copy is NULL too, with *oom set: a row of many columns is checked
 * once. (Arena copies: store/reader.h.) */
char *store_col_dup(struct store_stmt *st, int i, int *oom);
/* The same, copied into arena a (freed with it). */
char *store_col_adup(struct store_stmt *st, int i, struct vg_arena *a, int *oom);
/* Column i as an integer; dflt for SQL NULL (a time of "never" is 0). */
int64_t store_col_int64_or(struct store_stmt *st, int i, int64_t dflt);
/* Rows changed by the last finished INSERT/UPDATE/DELETE. */
int64_t store_changes(struct store_stmt *st);
/* Free a statement; one from store_prepare_cached() goes back to the cache
 * (reset, binds cleared). NULL is ignored. */
void store_finalize(struct store_stmt *st);

/*
 * One-shot helpers. types is a string of bind kinds, one per '?':
 *   t const char*  (NULL binds NULL)     i int64_t
 *   b const void*, size_t                n (no argument) NULL
 * store_exec runs a statement to completion; store_query_int64 returns the
 * first column of the first row in *out (VG_ENOTFOUND when no row);
 * store_query_text returns a malloc'ed copy (NULL for SQL NULL).
 */
int store_exec(struct store *s, struct vg_error *err, const char *sql, const char *types,
	       ...) VG_MUST_CHECK;
/* store_exec through the statement cache (store_prepare_cached): for a
 * write run once per row of a batch. */
int store_exec_cached(struct store *s, struct vg_error *err, const char *sql, const char *types,
		      ...) VG_MUST_CHECK;
int store_query_int64(struct store *s, int64_t *out, struct vg_error *err, const char *sql,
		      const char *types, ...) VG_MUST_CHECK;
int store_query_text(struct store *s, char **out, struct vg_error *err, const char *sql,
		     const char *types, ...) VG_MUST_CHECK;

/*
 * Rows as JSON: run a query and return all rows as a JSON array of objects
 * keyed by column name, with a kind per selected column in cols:
 *   'i' integer (JSON null for NULL)    't' text
 *   'T' time (RFC 3339 string, null for NULL or 0)
 *   'j' JSON text (parsed, null when it does not parse; the "_json" suffix
 *       of the name is dropped)         'b' boolean from an integer
 *   'a' guessed from name and value: "_at" columns holding integers are
 *       RFC 3339 times (0 is the epoch), "_json" columns are parsed (kept as
 *       text when they do not parse) and lose the suffix, integer text
 *       without a leading zero is an integer, the rest text.
 * Columns past cols are text; cols NULL makes every column 'a'. Binds as
 * store_exec. *out is a new array owned by the caller; NULL on error.
 */
int store_rows(struct store *s, json_t **out, struct vg_error *err, const char *cols,
	       const char *sql, const char *types, ...) VG_MUST_CHECK;
/* store_rows with every column of kind 'a' (cols NULL). */
int store_query_json(struct store *s, json_t **out, struct vg_error *err, const char *sql,
		     const char *types, ...) VG_MUST_CHECK;
/* Like store_rows but exactly one row: VG_ENOTFOUND (with what and id in the
 * message) when none. */
int store_row(struct store *s, json_t **out, struct vg_error *err, const char *what, int64_t id,
	      const char *cols, const char *sql, const char *types, ...) VG_MUST_CHECK;

/* Keep n bytes of data compressed (zstd) in table blobs under their SHA-256
 * (hex, sha), once per content: a second copy of the same bytes is not
 * stored again. `what` names them in errors ("the original"). */
int store_blob_put(struct store *s, const void *data, size_t n, const char *sha, const char *what,
		   struct vg_error *err) VG_MUST_CHECK;
/* The bytes kept under sha by store_blob_put (malloc'ed into *data, caller
 * frees), checked against their SHA-256: VG_EIO naming `what` when they are
 * missing, cannot be decompressed or do not match. */
int store_blob_get(struct store *s, const char *sha, char **data, size_t *n, const char *what,
		   struct vg_error *err) VG_MUST_CHECK;

/* Leader election for background jobs: SQLite always wins (single process);
 * PostgreSQL uses pg_try_advisory_lock on a session lock. *leader set 0/1. */
int store_try_leader(struct store *s, const char *job, int *leader,
		     struct vg_error *err) VG_MUST_CHECK;

#endif
