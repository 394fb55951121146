/*
 * sqlite.c - the SQLite backend: WAL, foreign keys on, synchronous=FULL,
 * a busy timeout so several connections of one process can share a file.
 */
#define _POSIX_C_SOURCE 200809L
#include "store/store_int.h"
#include "core/error.h"
#include "core/fault.h"

#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

#ifdef VIGIL_FAULT
/*
 * Fault builds open every database through this VFS: the default one with
 * each write, truncation and sync counted as an I/O event of core/fault.h,
 * so the armed one fails the way a full disk or a dying device would
 * (SQLITE_IOERR_WRITE, _TRUNCATE, _FSYNC).
 */
#define FAULT_VFS "vigil-fault"

struct fault_file {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, right after this struct */
};

static sqlite3_vfs g_fault_vfs;
static sqlite3_vfs *g_real_vfs;
static sqlite3_io_methods g_fault_io[3]; /* by the real methods' iVersion */
static pthread_once_t g_fault_once = PTHREAD_ONCE_INIT;

#define REAL(f) (((struct fault_file *)(f))->real)

static int ff_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}
static int ff_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int ff_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
	if (vg_fault_hit(VG_FAULT_IO))
		return SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (vg_fault_hit(VG_FAULT_IO))
		return SQLITE_IOERR_TRUNCATE;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int ff_sync(sqlite3_file *f, int flags)
{
	if (vg_fault_hit(VG_FAULT_IO))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int ff_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int ff_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int ff_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int ff_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int ff_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int ff_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int ff_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int ff_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, pp);
}
static int ff_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void ff_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int ff_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int ff_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int ff_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int ff_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct fault_file *p = (struct fault_file *)f;
	int rc, v;

	(void)vfs;
	p->real = (sqlite3_file *)(p + 1);
	p->real->pMethods = NULL;
	rc = g_real_vfs->xOpen(g_real_vfs, name, p->real, flags, out);
	if (!p->real->pMethods) {
		p->base.pMethods = NULL;
		return rc;
	}
	v = p->real->pMethods->iVersion;
	p->base.pMethods = &g_fault_io[(v < 1 ? 1 : v > 3 ? 3 : v) - 1];
	return rc;
}

static void fault_vfs_init(void)
{
	static const sqlite3_io_methods m = {
	    .xClose = ff_close,
	    .xRead = ff_read,
	    .xWrite = ff_write,
	    .xTruncate = ff_truncate,
	    .xSync = ff_sync,
	    .xFileSize = ff_size,
	    .xLock = ff_lock,
	    .xUnlock = ff_unlock,
	    .xCheckReservedLock = ff_reserved,
	    .xFileControl = ff_control,
	    .xSectorSize = ff_sector,
	    .xDeviceCharacteristics = ff_device,
	    .xShmMap = ff_shm_map,
	    .xShmLock = ff_shm_lock,
	    .xShmBarrier = ff_shm_barrier,
	    .xShmUnmap = ff_shm_unmap,
	    .xFetch = ff_fetch,
	    .xUnfetch = ff_unfetch,
	};

	g_real_vfs = sqlite3_vfs_find(NULL);
	if (!g_real_vfs)
		return;
	for (int i = 0; i < 3; i++) {
		g_fault_io[i] = m;
		g_fault_io[i].iVersion = i + 1;
	}
	g_fault_vfs = *g_real_vfs; /* mxPathname, pAppData and the other methods */
	g_fault_vfs.pNext = NULL;
	g_fault_vfs.zName = FAULT_VFS;
	g_fault_vfs.szOsFile = (int)sizeof(struct fault_file) + g_real_vfs->szOsFile;
	g_fault_vfs.xOpen = ff_open;
	if (sqlite3_vfs_register(&g_fault_vfs, 0) != SQLITE_OK)
		g_real_vfs = NULL;
}

/* The VFS name to open databases with: ours when it could be registered. */
static const char *open_vfs(void)
{
	pthread_once(&g_fault_once, fault_vfs_init);
	return g_real_vfs ? FAULT_VFS : NULL;
}
#else
static const char *open_vfs(void)
{
	return NULL;
}
#endif

static int sq_err(struct store *s, struct vg_error *err, int rc, const char *what)
{
	sqlite3 *db = s->impl;
	int ext = sqlite3_extended_errcode(db);
	int code = VG_EDB;

	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		code = VG_EEXIST;
	vg_error_set(err, code, "%s: %s: %s", store_url_safe(s), what,
		     rc == SQLITE_OK ? "error" : sqlite3_errmsg(db));
	return code;
}

static int sq_open(struct store *s, const char *url, struct vg_error *err)
{
	sqlite3 *db = NULL;
	int rc;
	char *dir = strdup(url), *d;
	struct stat sb;

	if (!dir)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	d = dirname(dir);
	if (strcmp(url, ":memory:") != 0 && (stat(d, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
		vg_error_set(err, VG_EDB, "database %s: folder %s does not exist", url, d);
		free(dir);
		return VG_EDB;
	}
	free(dir);
	rc = sqlite3_open_v2(
	    url, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, open_vfs());
	if (rc != SQLITE_OK) {
		vg_error_set(err, VG_EDB, "cannot open database %s: %s", url,
			     db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return VG_EDB;
	}
	s->impl = db;
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	rc = sqlite3_exec(db,
			  "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA "
			  "synchronous=FULL;",
			  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		/* not a database, locked, read-only... */
		int code = sq_err(s, err, rc, "cannot use database");
		sqlite3_close(db);
		s->impl = NULL;
		return code;
	}
	return VG_OK;
}

static void sq_close(struct store *s)
{
	if (s->impl)
		sqlite3_close_v2(s->impl);
	s->impl = NULL;
}

static int sq_exec_raw(struct store *s, const char *sql, struct vg_error *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->impl, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int code = VG_EDB;
		int ext = sqlite3_extended_errcode(s->impl);
		if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			code = VG_EEXIST;
		vg_error_set(err, code, "%s: %s", store_url_safe(s), msg ? msg : "error");
		sqlite3_free(msg);
		return code;
	}
	return VG_OK;
}

static int sq_prepare(struct store *s, const char *sql, struct store_stmt *st, struct vg_error *err)
{
	sqlite3_stmt *p = NULL;
	int rc = sqlite3_prepare_v2(s->impl, sql, -1, &p, NULL);
	if (rc != SQLITE_OK)
		return sq_err(s, err, rc, "cannot prepare statement");
	st->impl = p;
	return VG_OK;
}

static int sq_bind(struct store_stmt *st, int i, int kind, const void *p, size_t n, int64_t v)
{
	sqlite3_stmt *q = st->impl;
	int rc;
	switch (kind) {
	case BIND_TEXT:
		rc = sqlite3_bind_text64(q, i, p, n, SQLITE_TRANSIENT, SQLITE_UTF8);
		break;
	case BIND_INT:
		rc = sqlite3_bind_int64(q, i, v);
		break;
	case BIND_BLOB:
		rc = sqlite3_bind_blob64(q, i, p, n, SQLITE_TRANSIENT);
		break;
	default:
		rc = sqlite3_bind_null(q, i);
	}
	return rc == SQLITE_OK ? VG_OK : VG_EINVAL;
}

static int sq_step(struct store_stmt *st, struct vg_error *err)
{
	int rc = sqlite3_step(st->impl);
	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	return sq_err(st->s, err, rc, "statement failed");
}

static int sq_reset(struct store_stmt *st)
{
	sqlite3_reset(st->impl);
	sqlite3_clear_bindings(st->impl);
	return VG_OK;
}

static int sq_col_count(struct store_stmt *st)
{
	return sqlite3_column_count(st->impl);
}

static int sq_col_isnull(struct store_stmt *st, int i)
{
	return sqlite3_column_type(st->impl, i) == SQLITE_NULL;
}

static const char *sq_col_text(struct store_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->impl, i);
}

static int64_t sq_col_int64(struct store_stmt *st, int i)
{
	return sqlite3_column_int64(st->impl, i);
}

static const void *sq_col_blob(struct store_stmt *st, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(st->impl, i);
	*n = (size_t)sqlite3_column_bytes(st->impl, i);
	return p;
}

static const char *sq_col_name(struct store_stmt *st, int i)
{
	return sqlite3_column_name(st->impl, i);
}

static int64_t sq_changes(struct store_stmt *st)
{
	return sqlite3_changes64(sqlite3_db_handle(st->impl));
}

static void sq_finalize(struct store_stmt *st)
{
	sqlite3_finalize(st->impl);
}

static int sq_lock_audit(struct store *s, struct vg_error *err)
{
	/* BEGIN IMMEDIATE already holds the single writer lock. */
	(void)s;
	(void)err;
	return VG_OK;
}

static int sq_try_leader(struct store *s, const char *job, int *leader, struct vg_error *err)
{
	(void)s;
	(void)job;
	(void)err;
	*leader = 1;
	return VG_OK;
}

static const char *sq_type_token(const char *tok)
{
	if (strcmp(tok, "@ID@") == 0)
		return "INTEGER PRIMARY KEY AUTOINCREMENT";
	if (strcmp(tok, "@BLOB@") == 0)
		return "BLOB";
	return NULL;
}

/* The online backup API: one step copies every page inside one read
 * transaction of the source, so the copy is the database as of one commit
 * while the server goes on writing (WAL: readers do not block writers). */
static int sq_snapshot(struct store *s, const char *path, int load, struct vg_error *err)
{
	sqlite3 *other = NULL, *from, *to;
	sqlite3_backup *b;
	int rc;

	rc = sqlite3_open_v2(
	    path, &other,
	    load ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE), open_vfs());
	if (rc != SQLITE_OK) {
		vg_error_set(err, VG_EIO, "%s: cannot open: %s", path,
			     other ? sqlite3_errmsg(other) : "out of memory");
		sqlite3_close(other);
		return VG_EIO;
	}
	sqlite3_busy_timeout(other, 10000);
	from = load ? other : s->impl;
	to = load ? s->impl : other;
	b = sqlite3_backup_init(to, "main", from, "main");
	if (!b) {
		vg_error_set(err, VG_EDB, "%s: cannot copy the database: %s", path,
			     sqlite3_errmsg(to));
		sqlite3_close(other);
		return VG_EDB;
	}
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		vg_error_set(err, VG_EDB, "%s: copying the database failed: %s", path,
			     sqlite3_errstr(rc));
		sqlite3_close(other);
		return VG_EDB;
	}
	rc = sqlite3_close(other);
	if (rc != SQLITE_OK)
		return vg_error_set(err, VG_EIO, "%s: cannot close the copy", path);
	return VG_OK;
}

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .kind = STORE_SQLITE,
    .begin_sql = "BEGIN IMMEDIATE",
    .open = sq_open,
    .close = sq_close,
    .exec_raw = sq_exec_raw,
    .prepare = sq_prepare,
    .bind = sq_bind,
    .step = sq_step,
    .reset = sq_reset,
    .col_count = sq_col_count,
    .col_isnull = sq_col_isnull,
    .col_text = sq_col_text,
    .col_int64 = sq_col_int64,
    .col_blob = sq_col_blob,
    .col_name = sq_col_name,
    .changes = sq_changes,
    .finalize = sq_finalize,
    .lock_audit = sq_lock_audit,
    .try_leader = sq_try_leader,
    .type_token = sq_type_token,
    .snapshot = sq_snapshot,
};
