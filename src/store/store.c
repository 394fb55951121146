/*
 * store.c - the backend-independent half of the store: opening by URL,
 * audit enforcement, the audit chain, migrations and one-shot helpers.
 */
#define _GNU_SOURCE
#include "store/store_int.h"
#include "core/arena.h"
#include "core/asset.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/fault.h"
#include "core/hash.h"
#include "core/secret.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zstd.h>

#include "core/banned.h"

/* Tables whose rows are bookkeeping, not audited state. Keep this list short. */
static const char *const exempt_tables[] = {
    "audit_log",      "vigil_schema",      "sessions",   "login_attempts",
    "http_metrics",   "notify_deliveries", "ui_pending", "log_blocks",
    "log_audit_mark", "event_outbox",      NULL,
};

static int is_exempt(const char *table)
{
	for (int i = 0; exempt_tables[i]; i++)
		if (strcasecmp(table, exempt_tables[i]) == 0)
			return 1;
	return 0;
}

static const char *skip_ws(const char *p)
{
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else {
			return p;
		}
	}
}

static int word(const char **pp, const char *w)
{
	size_t n = strlen(w);
	const char *p = skip_ws(*pp);
	if (strncasecmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_') {
		*pp = p + n;
		return 1;
	}
	return 0;
}

/* Classify a statement: does it write to a table that must be audited? */
static void classify(struct store_stmt *st, const char *sql)
{
	const char *p = sql;
	size_t n = 0;

	st->mutating = 0;
	st->table[0] = '\0';
	if (word(&p, "INSERT") || word(&p, "REPLACE")) {
		word(&p, "OR");
		if (!word(&p, "REPLACE") && !word(&p, "IGNORE") && !word(&p, "ABORT"))
			(void)0;
		if (!word(&p, "INTO"))
			return;
	} else if (word(&p, "UPDATE")) {
		/* table follows */
	} else if (word(&p, "DELETE")) {
		if (!word(&p, "FROM"))
			return;
	} else if (word(&p, "TRUNCATE")) {
		word(&p, "TABLE");
		word(&p, "ONLY");
	} else if (word(&p, "MERGE")) {
		word(&p, "INTO");
	} else {
		/* SELECT, WITH ... SELECT, DDL: DDL only runs in migrations via exec_raw. */
		const char *q = skip_ws(sql);
		if (strncasecmp(q, "WITH", 4) == 0 &&
		    (strcasestr(q, "INSERT") || strcasestr(q, "UPDATE") ||
		     strcasestr(q, "DELETE"))) {
			st->mutating = 1;
			snprintf(st->table, sizeof(st->table), "(cte)");
		}
		return;
	}
	p = skip_ws(p);
	if (*p == '"')
		p++;
	while ((isalnum((unsigned char)p[n]) || p[n] == '_') && n + 1 < sizeof(st->table))
		n++;
	memcpy(st->table, p, n);
	st->table[n] = '\0';
	st->mutating = !is_exempt(st->table);
}

static char *redact_url(const char *url)
{
	/* postgresql://user:secret@host/db -> postgresql://user:***@host/db; also password=... */
	size_t n = strlen(url) + 8;
	char *out = malloc(n);
	const char *scheme, *at, *colon;
	char *pw;

	if (!out)
		return NULL;
	snprintf(out, n, "%s", url);
	scheme = strstr(url, "://");
	if (scheme) {
		at = strchr(scheme + 3, '@');
		colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
		if (at && colon) {
			size_t pre = (size_t)(colon - url) + 1;
			snprintf(out + pre, strlen(url) + 8 - pre, "***%s", at);
		}
	}
	pw = strstr(out, "password=");
	if (pw) {
		char *e = pw + 9;
		while (*e && *e != '&' && *e != ' ')
			e++;
		memmove(pw + 12, e, strlen(e) + 1);
		memcpy(pw + 9, "***", 3);
	}
	return out;
}

static int open_conn(const char *url, struct store **out, struct vg_error *err)
{
	struct store *s;
	int rc;

	*out = NULL;
	if (!url || !*url)
		return vg_error_set(err, VG_EINVAL, "no database given (use --db or VIGIL_DB)");
	s = calloc(1, sizeof(*s));
	if (!s)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		s->ops = &store_pg_ops;
	} else {
		s->ops = &store_sqlite_ops;
		if (strncmp(url, "sqlite:", 7) == 0)
			url += 7;
	}
	s->url_safe = redact_url(url);
	snprintf(s->actor, sizeof(s->actor), "system");
	rc = s->ops->open(s, url, err);
	if (rc) {
		free(s->url_safe);
		free(s);
		return rc;
	}
	*out = s;
	return VG_OK;
}

int store_open_unchecked(const char *url, struct store **out, struct vg_error *err)
{
	return open_conn(url, out, err);
}

int store_table_count(struct store *s, int64_t *out, struct vg_error *err)
{
	if (s->ops->kind == STORE_PG)
		return store_query_int64(s, out, err,
					 "SELECT COUNT(*) FROM information_schema.tables WHERE "
					 "table_schema = current_schema()",
					 NULL);
	return store_query_int64(s, out, err,
				 "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', "
				 "'view')",
				 NULL);
}

int store_snapshot(struct store *s, const char *path, struct vg_error *err)
{
	if (!s->ops->snapshot)
		return vg_error_set(err, VG_EINVAL,
				    "%s: the %s backend is copied with its own tools (pg_dump)",
				    s->url_safe, s->ops->name);
	return s->ops->snapshot(s, path, 0, err);
}

int store_snapshot_load(struct store *s, const char *path, struct vg_error *err)
{
	if (!s->ops->snapshot)
		return vg_error_set(err, VG_EINVAL,
				    "%s: the %s backend is loaded with its own tools (pg_restore)",
				    s->url_safe, s->ops->name);
	return s->ops->snapshot(s, path, 1, err);
}

int store_open(const char *url, int migrate, struct store **out, struct vg_error *err)
{
	struct store *s;
	int rc, ver = 0;

	*out = NULL;
	rc = open_conn(url, &s, err);
	if (rc)
		return rc;
	if (migrate) {
		rc = store_migrate(s, err);
		if (rc)
			goto fail;
	}
	rc = store_schema_version(s, &ver, err);
	if (rc)
		goto fail;
	if (ver > store_schema_target()) {
		rc = vg_error_set(err, VG_EDBVER,
				  "database %s has schema version %d, newer than this vigil "
				  "(%d): upgrade vigil",
				  s->url_safe, ver, store_schema_target());
		goto fail;
	}
	if (!migrate && ver >= store_schema_target()) {
		/* every embedded migration must be applied, gaps included */
		int64_t applied = 0;
		rc = store_query_int64(
		    s, &applied, err,
		    "SELECT COUNT(DISTINCT version) FROM vigil_schema WHERE version "
		    "<= ?",
		    "i", (int64_t)store_schema_target());
		if (rc)
			goto fail;
		if (applied < (int64_t)vg_migrations_count)
			ver = 0;
	}
	if (!migrate && ver < store_schema_target()) {
		rc = vg_error_set(err, VG_EDBVER,
				  "database %s has schema version %d, this vigil needs %d: run "
				  "'vigil init'",
				  s->url_safe, ver, store_schema_target());
		goto fail;
	}
	*out = s;
	return VG_OK;
fail:
	store_close(s);
	return rc;
}

static void cache_drop(struct store_cached *c)
{
	c->st->cached = 0;
	store_finalize(c->st);
	free(c->sql);
	memset(c, 0, sizeof(*c));
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_tx_rollback(s);
	for (size_t i = 0; i < s->ncache; i++)
		cache_drop(&s->cache[i]);
	s->ncache = 0;
	s->ops->close(s);
	free(s->url_safe);
	free(s);
}

enum store_backend_kind store_kind(const struct store *s)
{
	return s->ops->kind;
}

const char *store_url_safe(const struct store *s)
{
	return s->url_safe ? s->url_safe : "(database)";
}

void store_anon_remote(const char *remote, char *out, size_t n)
{
	char mac[65];
	struct vg_error e = {0};

	if (!remote || !*remote || strncmp(remote, "anon", 4) == 0)
		snprintf(out, n, "%s", remote ? remote : "");
	else if (vg_secret_mac_hex("reporter-addr", remote, strlen(remote), mac, &e))
		snprintf(out, n, "anon"); /* no key: keep nothing rather than the address */
	else
		snprintf(out, n, "anon:%.16s", mac);
}

void store_set_actor(struct store *s, const char *actor, const char *remote)
{
	snprintf(s->actor, sizeof(s->actor), "%s", actor ? actor : "system");
	if (actor && strcmp(actor, "anonymous") == 0)
		store_anon_remote(remote, s->remote, sizeof(s->remote));
	else
		snprintf(s->remote, sizeof(s->remote), "%s", remote ? remote : "");
}

const char *store_actor(const struct store *s)
{
	return s->actor;
}

const char *store_remote(const struct store *s)
{
	return s->remote;
}

int store_in_tx(const struct store *s)
{
	return s->in_tx;
}

int store_tx_begin(struct store *s, struct vg_error *err)
{
	int rc;
	if (s->in_tx)
		return vg_error_set(err, VG_EINTERNAL, "nested transaction");
	if (vg_fault_hit(VG_FAULT_STEP))
		return vg_error_set(err, VG_EDB, "%s: injected fault: BEGIN failed", s->url_safe);
	rc = s->ops->exec_raw(s, s->ops->begin_sql, err);
	if (rc)
		return rc;
	s->in_tx = 1;
	s->tx_mutated = 0;
	s->tx_audited = 0;
	return VG_OK;
}

int store_tx_commit(struct store *s, struct vg_error *err)
{
	int rc;
	if (!s->in_tx)
		return vg_error_set(err, VG_EINTERNAL, "commit without transaction");
	if (s->tx_mutated && !s->tx_audited) {
		store_tx_rollback(s);
		return vg_error_set(err, VG_EAUDIT,
				    "refused: a transaction changed audited data without an audit "
				    "record; rolled back");
	}
	if (vg_fault_hit(VG_FAULT_STEP))
		rc = vg_error_set(err, VG_EDB, "%s: injected fault: COMMIT failed", s->url_safe);
	else
		rc = s->ops->exec_raw(s, "COMMIT", err);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	s->in_tx = 0;
	return VG_OK;
}

void store_tx_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	s->ops->exec_raw(s, "ROLLBACK", NULL);
	s->in_tx = 0;
	s->tx_mutated = 0;
	s->tx_audited = 0;
}

int store_tx_begin_snapshot(struct store *s, char **snapshot, struct vg_error *err)
{
	int rc;

	*snapshot = NULL;
	if (s->ops->kind != STORE_PG)
		return vg_error_set(err, VG_EINVAL, "%s: snapshots are exported by PostgreSQL only",
				    s->url_safe);
	if (s->in_tx)
		return vg_error_set(err, VG_EINTERNAL, "nested transaction");
	rc = s->ops->exec_raw(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
	if (rc)
		return rc;
	s->in_tx = 1;
	s->tx_mutated = 0;
	s->tx_audited = 0;
	rc = store_query_text(s, snapshot, err, "SELECT pg_export_snapshot()", NULL);
	if (rc)
		store_tx_rollback(s);
	return rc;
}

int store_tx_end(struct store *s, int rc, struct vg_error *err)
{
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

int store_cache_hint(struct store *s, int64_t kib, struct vg_error *err)
{
	char sql[64];
	if (s->ops->kind != STORE_SQLITE)
		return VG_OK;
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%lld", (long long)(kib > 0 ? kib : 2000));
	return s->ops->exec_raw(s, sql, err);
}

/* ---- statements ---- */

int store_prepare(struct store *s, const char *sql, struct store_stmt **out, struct vg_error *err)
{
	struct store_stmt *st;
	int rc;

	*out = NULL;
	/* SQL built in a struct vg_buf whose append failed (buf.h: data NULL) */
	if (!sql)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	st = calloc(1, sizeof(*st));
	{
		/* Transaction control goes through store_tx_*() (so the audit check
		 * cannot be stepped around) and schema changes through migrations. */
		static const char *const refused[] = {
		    "BEGIN",  "COMMIT", "ROLLBACK", "END",    "SAVEPOINT", "RELEASE",
		    "CREATE", "DROP",   "ALTER",    "ATTACH", "DETACH",    "PRAGMA",
		    "VACUUM", "COPY",   "GRANT",    "REVOKE", NULL};
		const char *q = sql;
		for (int i = 0; refused[i]; i++)
			if (word(&q, refused[i])) {
				free(st);
				return vg_error_set(err, VG_EINTERNAL,
						    "refused: '%s' is not allowed through "
						    "store_prepare()",
						    refused[i]);
			}
	}
	if (!st)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	st->s = s;
	classify(st, sql);
	rc = s->ops->prepare(s, sql, st, err);
	if (rc) {
		free(st);
		return rc;
	}
	*out = st;
	return VG_OK;
}

static uint64_t sql_hash(const char *sql)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

int store_prepare_cached(struct store *s, const char *sql, struct store_stmt **out,
			 struct vg_error *err)
{
	uint64_t h;
	struct store_cached *c = NULL;
	char *copy;
	int rc;

	*out = NULL;
	if (!sql)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	h = sql_hash(sql);
	for (size_t i = 0; i < s->ncache; i++) {
		struct store_cached *e = &s->cache[i];
		if (e->hash == h && strcmp(e->sql, sql) == 0) {
			if (e->st->busy) /* nested use of the same SQL */
				return store_prepare(s, sql, out, err);
			e->st->busy = 1;
			e->used = ++s->tick;
			*out = e->st;
			return VG_OK;
		}
	}
	rc = store_prepare(s, sql, out, err);
	if (rc)
		return rc;
	if (s->ncache < STORE_CACHE_MAX) {
		c = &s->cache[s->ncache];
	} else {
		for (size_t i = 0; i < s->ncache; i++) {
			struct store_cached *e = &s->cache[i];
			if (!e->st->busy && (!c || e->used < c->used))
				c = e;
		}
		if (!c) /* all in use: this one stays uncached */
			return VG_OK;
	}
	copy = strdup(sql);
	if (!copy) /* cannot keep it: hand it out uncached */
		return VG_OK;
	if (c == &s->cache[s->ncache])
		s->ncache++;
	else
		cache_drop(c);
	c->sql = copy;
	c->hash = h;
	c->used = ++s->tick;
	c->st = *out;
	c->st->cached = 1;
	c->st->busy = 1;
	return VG_OK;
}

/* A bind that fails (out of memory copying the value) is remembered: most
 * callers bind without looking at the result, and a statement run with a
 * parameter missing would quietly match or write the wrong rows. The next
 * store_step() fails with it instead. */
static int bind(struct store_stmt *st, int i, int kind, const void *p, size_t n, int64_t v)
{
	int rc = st->s->ops->bind(st, i, kind, p, n, v);
	if (rc && !st->bind_failed)
		st->bind_failed = rc;
	return rc;
}

int store_bind_text(struct store_stmt *st, int i, const char *v)
{
	if (!v)
		return bind(st, i, BIND_NULL, NULL, 0, 0);
	return bind(st, i, BIND_TEXT, v, strlen(v), 0);
}

int store_bind_int64(struct store_stmt *st, int i, int64_t v)
{
	return bind(st, i, BIND_INT, NULL, 0, v);
}

int store_bind_blob(struct store_stmt *st, int i, const void *p, size_t n)
{
	return bind(st, i, BIND_BLOB, p ? p : "", n, 0);
}

int store_bind_null(struct store_stmt *st, int i)
{
	return bind(st, i, BIND_NULL, NULL, 0, 0);
}

int store_step(struct store_stmt *st, struct vg_error *err)
{
	if (st->mutating) {
		if (!st->s->in_tx)
			return vg_error_set(err, VG_EAUDIT,
					    "refused: write to '%s' outside an audited transaction",
					    st->table);
		st->s->tx_mutated = 1;
	}
	if (st->bind_failed)
		return vg_error_set(err, st->bind_failed,
				    "%s: a parameter of a statement on '%s' could not be bound: %s",
				    st->s->url_safe, st->table[0] ? st->table : "(read)",
				    vg_code_message(st->bind_failed));
	if (vg_fault_hit(VG_FAULT_STEP))
		return vg_error_set(err, VG_EDB,
				    "%s: injected fault: step of a statement on '%s' failed",
				    st->s->url_safe, st->table[0] ? st->table : "(read)");
	return st->s->ops->step(st, err);
}

int store_reset(struct store_stmt *st)
{
	st->bind_failed = 0; /* the binds are cleared too */
	return st->s->ops->reset(st);
}

int store_col_count(struct store_stmt *st)
{
	return st->s->ops->col_count(st);
}

int store_col_isnull(struct store_stmt *st, int i)
{
	return st->s->ops->col_isnull(st, i);
}

const char *store_col_text(struct store_stmt *st, int i)
{
	return st->s->ops->col_text(st, i);
}

int64_t store_col_int64(struct store_stmt *st, int i)
{
	return st->s->ops->col_int64(st, i);
}

const void *store_col_blob(struct store_stmt *st, int i, size_t *n)
{
	return st->s->ops->col_blob(st, i, n);
}

const char *store_col_name(struct store_stmt *st, int i)
{
	return st->s->ops->col_name(st, i);
}

int64_t store_changes(struct store_stmt *st)
{
	return st->s->ops->changes(st);
}

void store_finalize(struct store_stmt *st)
{
	if (!st)
		return;
	if (st->cached) {
		st->s->ops->reset(st);
		st->bind_failed = 0;
		st->busy = 0;
		return;
	}
	st->s->ops->finalize(st);
	free(st);
}

/* ---- one-shot helpers ---- */

int store_bind_va(struct store_stmt *st, const char *types, va_list ap)
{
	int rc = VG_OK;
	for (int i = 0; types && types[i] && !rc; i++) {
		switch (types[i]) {
		case 't':
			rc = store_bind_text(st, i + 1, va_arg(ap, const char *));
			break;
		case 'i':
			rc = store_bind_int64(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = store_bind_blob(st, i + 1, p, n);
			break;
		}
		case 'n':
			rc = store_bind_null(st, i + 1);
			break;
		default:
			rc = VG_EINTERNAL;
		}
	}
	return rc;
}

static int prep_va(struct store *s, struct store_stmt **st, struct vg_error *err, const char *sql,
		   const char *types, va_list ap)
{
	int rc = store_prepare(s, sql, st, err);
	if (rc)
		return rc;
	rc = store_bind_va(*st, types, ap);
	if (rc) {
		store_finalize(*st);
		*st = NULL;
		return vg_error_set(err, rc, "cannot bind parameters");
	}
	return VG_OK;
}

static int exec_st(struct store_stmt *st, struct vg_error *err)
{
	int rc;
	while ((rc = store_step(st, err)) == STORE_ROW)
		;
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

int store_exec_cached(struct store *s, struct vg_error *err, const char *sql, const char *types,
		      ...)
{
	struct store_stmt *st;
	va_list ap;
	int rc = store_prepare_cached(s, sql, &st, err);

	if (rc)
		return rc;
	va_start(ap, types);
	rc = store_bind_va(st, types, ap);
	va_end(ap);
	if (rc) {
		store_finalize(st);
		return vg_error_set(err, rc, "cannot bind parameters");
	}
	return exec_st(st, err);
}

int store_exec(struct store *s, struct vg_error *err, const char *sql, const char *types, ...)
{
	struct store_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = prep_va(s, &st, err, sql, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	return exec_st(st, err);
}

int store_query_int64(struct store *s, int64_t *out, struct vg_error *err, const char *sql,
		      const char *types, ...)
{
	struct store_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = prep_va(s, &st, err, sql, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		*out = store_col_int64(st, 0);
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = VG_ENOTFOUND;
	}
	store_finalize(st);
	return rc;
}

int store_query_text(struct store *s, char **out, struct vg_error *err, const char *sql,
		     const char *types, ...)
{
	struct store_stmt *st;
	va_list ap;
	int rc;

	*out = NULL;
	va_start(ap, types);
	rc = prep_va(s, &st, err, sql, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		const char *t = store_col_text(st, 0);
		*out = t ? strdup(t) : NULL;
		rc = (t && !*out) ? VG_ENOMEM : VG_OK;
	} else if (rc == STORE_DONE) {
		rc = VG_ENOTFOUND;
	}
	store_finalize(st);
	return rc;
}

int store_try_leader(struct store *s, const char *job, int *leader, struct vg_error *err)
{
	return s->ops->try_leader(s, job, leader, err);
}

/* ---- the audit chain ---- */

char *store_audit_canonical(int64_t seq, int64_t at, const char *actor, const char *remote,
			    const char *action, const char *object_type, const char *object_id,
			    const char *before, const char *after, const char *prev)
{
	char ts[VG_TIME_BUFSZ];
	json_t *o = json_object();
	char *c;

	if (!o)
		return NULL;
	json_object_set_new(o, "seq", json_integer(seq));
	json_object_set_new(o, "at", json_string(vg_time_format(at, ts, sizeof(ts))));
	vg_json_set_str(o, "actor", actor);
	vg_json_set_str(o, "remote", remote);
	vg_json_set_str(o, "action", action);
	vg_json_set_str(o, "object_type", object_type);
	vg_json_set_str(o, "object_id", object_id);
	vg_json_set_str(o, "before", before);
	vg_json_set_str(o, "after", after);
	vg_json_set_str(o, "prev", prev);
	c = vg_json_canonical(o);
	json_decref(o);
	return c;
}

int store_audit_hash(int64_t seq, int64_t at, const char *actor, const char *remote,
		     const char *action, const char *object_type, const char *object_id,
		     const char *before, const char *after, const char *prev,
		     char out[VG_SHA256_HEX])
{
	char *c = store_audit_canonical(seq, at, actor, remote, action, object_type, object_id,
					before, after, prev);
	if (!c)
		return VG_ENOMEM;
	vg_sha256_hex(c, strlen(c), out);
	free(c);
	return VG_OK;
}

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

int store_audit(struct store *s, const char *action, const char *object_type, const char *object_id,
		const json_t *before, const json_t *after, struct vg_error *err)
{
	int own_tx = 0, rc;
	int64_t seq = 0, now = vg_now();
	char *prev = NULL, *b = NULL, *a = NULL;
	char hash[VG_SHA256_HEX];
	struct store_stmt *st = NULL;

	if (!s->in_tx) {
		rc = store_tx_begin(s, err);
		if (rc)
			return rc;
		own_tx = 1;
	}
	rc = s->ops->lock_audit(s, err);
	if (rc)
		goto out;
	rc =
	    store_prepare(s, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st, err);
	if (rc)
		goto out;
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		seq = store_col_int64(st, 0);
		prev = strdup(store_col_text(st, 1));
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		prev = strdup(ZERO_HASH);
		rc = VG_OK;
	}
	store_finalize(st);
	if (rc)
		goto out;
	seq++;
	b = before ? vg_json_canonical(before) : NULL;
	a = after ? vg_json_canonical(after) : NULL;
	if (!prev) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	rc = store_audit_hash(seq, now, s->actor, s->remote, action, object_type,
			      object_id ? object_id : "", b, a, prev, hash);
	if (rc)
		goto out;
	rc = store_exec(s, err,
			"INSERT INTO audit_log (seq, at, actor, remote, action, object_type, "
			"object_id, before_json, after_json, prev_hash, hash) "
			"VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			"iittttttttt", seq, now, s->actor, s->remote, action, object_type,
			object_id ? object_id : "", b, a, prev, hash);
	if (rc)
		goto out;
	s->tx_audited = 1;
out:
	free(prev);
	free(b);
	free(a);
	if (own_tx) {
		if (rc)
			store_tx_rollback(s);
		else
			rc = store_tx_commit(s, err);
	}
	return rc;
}

int store_blob_put(struct store *s, const void *data, size_t n, const char *sha, const char *what,
		   struct vg_error *err)
{
	int64_t have = 0;
	size_t cap, zn;
	void *z;
	int rc = store_query_int64(s, &have, err, "SELECT COUNT(*) FROM blobs WHERE sha256 = ?",
				   "t", sha);
	if (rc || have)
		return rc;
	cap = ZSTD_compressBound(n);
	z = malloc(cap ? cap : 1);
	if (!z)
		return vg_error_set(err, VG_ENOMEM, "out of memory compressing %s", what);
	zn = ZSTD_compress(z, cap, data, n, 3);
	if (ZSTD_isError(zn)) {
		free(z);
		return vg_error_set(err, VG_EINTERNAL, "cannot compress %s: %s", what,
				    ZSTD_getErrorName(zn));
	}
	rc = store_exec(
	    s, err, "INSERT INTO blobs (sha256, size, zsize, data, created_at) VALUES (?,?,?,?,?)",
	    "tiibi", sha, (int64_t)n, (int64_t)zn, z, zn, vg_now());
	free(z);
	return rc;
}

int store_blob_get(struct store *s, const char *sha, char **data, size_t *n, const char *what,
		   struct vg_error *err)
{
	struct store_stmt *st = NULL;
	char got_sha[VG_SHA256_HEX];
	char *buf = NULL;
	size_t size = 0;
	int rc;

	*data = NULL;
	*n = 0;
	rc = store_prepare(s, "SELECT size, data FROM blobs WHERE sha256 = ?", &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, sha);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		size_t zn = 0;
		const void *z = store_col_blob(st, 1, &zn);
		int64_t sz = store_col_int64(st, 0);
		size = sz > 0 ? (size_t)sz : 0;
		buf = malloc(size ? size : 1);
		if (!buf) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		} else {
			size_t got = size ? ZSTD_decompress(buf, size, z, zn) : 0;
			rc = ZSTD_isError(got) || got != size
				 ? vg_error_set(err, VG_EIO, "%s is damaged (cannot decompress)",
						what)
				 : VG_OK;
		}
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_EIO, "%s is missing (no stored copy of SHA-256 %s)", what,
				  sha);
	}
	store_finalize(st);
	if (!rc && strcmp(vg_sha256_hex(buf, size, got_sha), sha) != 0)
		rc = vg_error_set(err, VG_EIO, "%s does not match its SHA-256 %s", what, sha);
	if (rc) {
		free(buf);
		return rc;
	}
	*data = buf;
	*n = size;
	return VG_OK;
}

char *store_col_dup(struct store_stmt *st, int i, int *oom)
{
	const char *t = store_col_text(st, i);
	char *c;
	if (!t)
		return NULL;
	c = strdup(t);
	if (!c)
		*oom = 1;
	return c;
}

int64_t store_col_int64_or(struct store_stmt *st, int i, int64_t dflt)
{
	return store_col_isnull(st, i) ? dflt : store_col_int64(st, i);
}

char *store_col_adup(struct store_stmt *st, int i, struct vg_arena *a, int *oom)
{
	const char *t = store_col_text(st, i);
	char *c;
	if (!t)
		return NULL;
	c = vg_arena_strdup(a, t);
	if (!c)
		*oom = 1;
	return c;
}
