/*
 * store_int.h - what a storage backend implements. Only src/store/ includes
 * this. A backend is one const struct store_ops; store.c does everything
 * that is the same for all backends (audit enforcement, helpers, migrations).
 */
#ifndef VIGIL_STORE_INT_H
#define VIGIL_STORE_INT_H

#include "store/store.h"

#include <stdarg.h>

enum { BIND_NULL, BIND_TEXT, BIND_INT, BIND_BLOB };

struct store_ops {
	const char *name;
	enum store_backend_kind kind;
	const char *begin_sql; /* how a write transaction starts */
	int (*open)(struct store *s, const char *url, struct vg_error *err);
	void (*close)(struct store *s);
	/* Run SQL that returns no rows and takes no parameters (may be several statements). */
	int (*exec_raw)(struct store *s, const char *sql, struct vg_error *err);
	int (*prepare)(struct store *s, const char *sql, struct store_stmt *st,
		       struct vg_error *err);
	int (*bind)(struct store_stmt *st, int i, int kind, const void *p, size_t n, int64_t v);
	int (*step)(struct store_stmt *st, struct vg_error *err);
	int (*reset)(struct store_stmt *st);
	int (*col_count)(struct store_stmt *st);
	int (*col_isnull)(struct store_stmt *st, int i);
	const char *(*col_text)(struct store_stmt *st, int i);
	int64_t (*col_int64)(struct store_stmt *st, int i);
	const void *(*col_blob)(struct store_stmt *st, int i, size_t *n);
	const char *(*col_name)(struct store_stmt *st, int i);
	int64_t (*changes)(struct store_stmt *st);
	void (*finalize)(struct store_stmt *st);
	/* Serialise audit-chain appends across connections, inside the tx. */
	int (*lock_audit)(struct store *s, struct vg_error *err);
	int (*try_leader)(struct store *s, const char *job, int *leader, struct vg_error *err);
	/* Replacement for a migration token such as "@ID@" (NULL if unknown). */
	const char *(*type_token)(const char *tok);
	/* Copy the whole database into the new file path (load 0: an online,
	 * consistent snapshot of s), or the file path into s (load 1). NULL
	 * when the backend has its own tools (PostgreSQL: pg_dump). */
	int (*snapshot)(struct store *s, const char *path, int load, struct vg_error *err);
};

/* One statement kept by store_prepare_cached(), keyed by its SQL text. */
struct store_cached {
	char *sql;
	uint64_t hash;
	unsigned long used; /* tick of the last hand-out: the oldest idle one goes first */
	struct store_stmt *st;
};

#define STORE_CACHE_MAX 64

struct store {
	const struct store_ops *ops;
	void *impl;
	char *url_safe;
	struct store_cached cache[STORE_CACHE_MAX];
	size_t ncache;
	unsigned long tick;
	char actor[128];
	char remote[64];
	int in_tx;
	int tx_mutated;
	int tx_audited;
};

struct store_stmt {
	struct store *s;
	void *impl;
	int mutating;    /* writes to a table whose changes must be audited */
	int cached;      /* owned by s->cache: store_finalize() hands it back */
	int busy;        /* cached and handed out, not yet handed back */
	int bind_failed; /* a bind's error code (out of memory): the step fails with it */
	char table[64];
};

/* Bind the variadic arguments of the one-shot helpers by their kinds
 * (store.h: t i b n), from index 1. VG_EINTERNAL on an unknown kind. */
int store_bind_va(struct store_stmt *st, const char *types, va_list ap);

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

#endif
