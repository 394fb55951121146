/*
 * pg.c - the PostgreSQL backend (libpq). Statements are executed with
 * PQexecParams on the first step; '?' placeholders become $1..$n. Integers
 * travel as text, blobs in binary format; results come back as text (bytea
 * columns are unescaped on request). A statement run again after a reset is
 * prepared on the server (once, under a name unique in the process) so that
 * batches of a bulk insert are not parsed and planned each time.
 */
#define _POSIX_C_SOURCE 200809L
#include "store/store_int.h"
#include "core/error.h"

#include <libpq-fe.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define BYTEAOID 17
#define MAXPARAM 32767 /* PostgreSQL's own limit is 65535 */

struct pgstmt {
	char *sql;
	int nparams;
	char **values;
	int *lengths;
	int *formats;
	PGresult *res;
	int row; /* current row, -1 before the first */
	int executed;
	unsigned runs;       /* executions so far */
	char name[32];       /* server-side prepared statement, "" when none */
	unsigned char *blob; /* unescaped bytea of the last col_blob() */
};

static atomic_ulong stmt_seq;

static void quiet_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int pg_open(struct store *s, const char *url, struct vg_error *err)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r;

	if (!c || PQstatus(c) != CONNECTION_OK) {
		const char *m = c ? PQerrorMessage(c) : "out of memory";
		char msg[512];
		size_t n;
		snprintf(msg, sizeof(msg), "%s", m);
		for (char *q = msg; *q; q++)
			if (*q == '\n' || *q == '\t')
				*q = ' ';
		n = strlen(msg);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
		vg_error_set(err, VG_EDB, "cannot connect to database %s: %s", store_url_safe(s),
			     msg);
		PQfinish(c);
		return VG_EDB;
	}
	PQsetNoticeProcessor(c, quiet_notice, NULL);
	r = PQexec(c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	PQclear(r);
	s->impl = c;
	return VG_OK;
}

static void pg_close(struct store *s)
{
	PQfinish(s->impl);
	s->impl = NULL;
}

static int result_err(struct store *s, PGresult *r, struct vg_error *err, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(s->impl);
	int code = VG_EDB;
	char msg[512];
	size_t n;

	if (state && strcmp(state, "23505") == 0)
		code = VG_EEXIST;
	snprintf(msg, sizeof(msg), "%s", m && *m ? m : "error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	return vg_error_set(err, code, "%s: %s: %s", store_url_safe(s), what, msg);
}

static int pg_exec_raw(struct store *s, const char *sql, struct vg_error *err)
{
	PGresult *r = PQexec(s->impl, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = VG_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = result_err(s, r, err, "statement failed");
	PQclear(r);
	return rc;
}

/* Rewrite '?' to $n outside quotes. Returns malloc'ed SQL. */
static char *translate(const char *sql, int *nparams)
{
	/* each '?' becomes "$k": at most 11 bytes for an int k */
	size_t n = strlen(sql), nq = 0, cap;
	char *out, *o;

	for (const char *p = sql; *p; p++)
		nq += *p == '?';
	cap = n + 10 * nq + 1;
	out = malloc(cap);
	o = out;
	char quote = 0;
	int k = 0;

	if (!out)
		return NULL;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			*o++ = *p;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			*o++ = *p;
		} else if (*p == '?') {
			o += snprintf(o, cap - (size_t)(o - out), "$%d", ++k);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	*nparams = k;
	return out;
}

static int pg_prepare(struct store *s, const char *sql, struct store_stmt *st, struct vg_error *err)
{
	struct pgstmt *p = calloc(1, sizeof(*p));
	if (!p)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	p->sql = translate(sql, &p->nparams);
	if (!p->sql || p->nparams > MAXPARAM) {
		free(p->sql);
		free(p);
		return vg_error_set(err, VG_EINTERNAL, "statement has too many parameters");
	}
	(void)s;
	p->values = calloc((size_t)p->nparams + 1, sizeof(*p->values));
	p->lengths = calloc((size_t)p->nparams + 1, sizeof(*p->lengths));
	p->formats = calloc((size_t)p->nparams + 1, sizeof(*p->formats));
	if (!p->values || !p->lengths || !p->formats) {
		free(p->values);
		free(p->lengths);
		free(p->formats);
		free(p->sql);
		free(p);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	p->row = -1;
	st->impl = p;
	return VG_OK;
}

static int pg_bind(struct store_stmt *st, int i, int kind, const void *data, size_t n, int64_t v)
{
	struct pgstmt *p = st->impl;
	char *val = NULL;

	if (i < 1 || i > p->nparams)
		return VG_EINVAL;
	i--;
	free(p->values[i]);
	p->values[i] = NULL;
	p->lengths[i] = 0;
	p->formats[i] = 0;
	switch (kind) {
	case BIND_TEXT:
		val = malloc(n + 1);
		if (!val)
			return VG_ENOMEM;
		memcpy(val, data, n);
		val[n] = '\0';
		p->lengths[i] = (int)n;
		break;
	case BIND_INT:
		val = malloc(24);
		if (!val)
			return VG_ENOMEM;
		snprintf(val, 24, "%" PRId64, v);
		p->lengths[i] = (int)strlen(val);
		break;
	case BIND_BLOB:
		val = malloc(n ? n : 1);
		if (!val)
			return VG_ENOMEM;
		memcpy(val, data, n);
		p->lengths[i] = (int)n;
		p->formats[i] = 1;
		break;
	default:
		break;
	}
	p->values[i] = val;
	return VG_OK;
}

static int pg_step(struct store_stmt *st, struct vg_error *err)
{
	struct pgstmt *p = st->impl;

	if (!p->executed) {
		ExecStatusType s;
		if (p->runs == 1 && !p->name[0]) {
			/* a failed PREPARE aborts the transaction like the statement
			 * itself would: report it the same way */
			char name[sizeof(p->name)];
			snprintf(name, sizeof(name), "vg_%lu", atomic_fetch_add(&stmt_seq, 1));
			p->res = PQprepare(st->s->impl, name, p->sql, p->nparams, NULL);
			s = PQresultStatus(p->res);
			if (s != PGRES_COMMAND_OK) {
				p->executed = 1;
				return result_err(st->s, p->res, err, "statement failed");
			}
			PQclear(p->res);
			memcpy(p->name, name, sizeof(name));
		}
		if (p->name[0])
			p->res = PQexecPrepared(st->s->impl, p->name, p->nparams,
						(const char *const *)p->values, p->lengths,
						p->formats, 0);
		else
			p->res =
			    PQexecParams(st->s->impl, p->sql, p->nparams, NULL,
					 (const char *const *)p->values, p->lengths, p->formats, 0);
		p->executed = 1;
		p->runs++;
		s = PQresultStatus(p->res);
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
			return result_err(st->s, p->res, err, "statement failed");
	}
	free(p->blob);
	p->blob = NULL;
	if (PQresultStatus(p->res) != PGRES_TUPLES_OK)
		return STORE_DONE;
	p->row++;
	return p->row < PQntuples(p->res) ? STORE_ROW : STORE_DONE;
}

static int pg_reset(struct store_stmt *st)
{
	struct pgstmt *p = st->impl;
	PQclear(p->res);
	p->res = NULL;
	p->executed = 0;
	p->row = -1;
	free(p->blob);
	p->blob = NULL;
	for (int i = 0; i < p->nparams; i++) {
		free(p->values[i]);
		p->values[i] = NULL;
		p->lengths[i] = 0;
		p->formats[i] = 0;
	}
	return VG_OK;
}

static int pg_col_count(struct store_stmt *st)
{
	struct pgstmt *p = st->impl;
	return p->res ? PQnfields(p->res) : 0;
}

static int pg_col_isnull(struct store_stmt *st, int i)
{
	struct pgstmt *p = st->impl;
	return PQgetisnull(p->res, p->row, i);
}

static const char *pg_col_text(struct store_stmt *st, int i)
{
	struct pgstmt *p = st->impl;
	if (!p->res || p->row < 0 || PQgetisnull(p->res, p->row, i))
		return NULL;
	return PQgetvalue(p->res, p->row, i);
}

static int64_t pg_col_int64(struct store_stmt *st, int i)
{
	const char *t = pg_col_text(st, i);
	if (!t)
		return 0;
	if (strcmp(t, "t") == 0)
		return 1;
	return strtoll(t, NULL, 10);
}

static const void *pg_col_blob(struct store_stmt *st, int i, size_t *n)
{
	struct pgstmt *p = st->impl;
	const char *t = pg_col_text(st, i);

	*n = 0;
	if (!t)
		return NULL;
	if (PQftype(p->res, i) != BYTEAOID) {
		*n = (size_t)PQgetlength(p->res, p->row, i);
		return t;
	}
	free(p->blob);
	p->blob = PQunescapeBytea((const unsigned char *)t, n);
	return p->blob;
}

static const char *pg_col_name(struct store_stmt *st, int i)
{
	struct pgstmt *p = st->impl;
	return PQfname(p->res, i);
}

static int64_t pg_changes(struct store_stmt *st)
{
	struct pgstmt *p = st->impl;
	const char *t = p->res ? PQcmdTuples(p->res) : "";
	return *t ? strtoll(t, NULL, 10) : 0;
}

static void pg_finalize(struct store_stmt *st)
{
	struct pgstmt *p = st->impl;
	pg_reset(st);
	if (p->name[0] && st->s->impl) {
		/* In an aborted transaction this fails and the statement stays on
		 * the server until the connection closes; its name is never reused. */
		char sql[64];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", p->name);
		PQclear(PQexec(st->s->impl, sql));
	}
	free(p->values);
	free(p->lengths);
	free(p->formats);
	free(p->sql);
	free(p);
}

static int pg_lock_audit(struct store *s, struct vg_error *err)
{
	return pg_exec_raw(s, "SELECT pg_advisory_xact_lock(7461626961)", err);
}

static int pg_try_leader(struct store *s, const char *job, int *leader, struct vg_error *err)
{
	const char *vals[1] = {job};
	PGresult *r = PQexecParams(s->impl, "SELECT pg_try_advisory_lock(hashtext($1))", 1, NULL,
				   vals, NULL, NULL, 0);
	int rc = VG_OK;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = result_err(s, r, err, "leader election failed");
	else
		*leader = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return rc;
}

static const char *pg_type_token(const char *tok)
{
	if (strcmp(tok, "@ID@") == 0)
		return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	if (strcmp(tok, "@BLOB@") == 0)
		return "BYTEA";
	return NULL;
}

const struct store_ops store_pg_ops = {
    .name = "postgresql",
    .kind = STORE_PG,
    .begin_sql = "BEGIN",
    .open = pg_open,
    .close = pg_close,
    .exec_raw = pg_exec_raw,
    .prepare = pg_prepare,
    .bind = pg_bind,
    .step = pg_step,
    .reset = pg_reset,
    .col_count = pg_col_count,
    .col_isnull = pg_col_isnull,
    .col_text = pg_col_text,
    .col_int64 = pg_col_int64,
    .col_blob = pg_col_blob,
    .col_name = pg_col_name,
    .changes = pg_changes,
    .finalize = pg_finalize,
    .lock_audit = pg_lock_audit,
    .try_leader = pg_try_leader,
    .type_token = pg_type_token,
};
