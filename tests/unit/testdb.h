/*
 * testdb.h - a fresh, empty database for one unit test, on the backend under
 * test.
 *
 * When VIGIL_TEST_PG holds an admin URL of a throw-away PostgreSQL server
 * (postgresql://postgres@127.0.0.1:PORT/postgres, trust auth), testdb_fresh()
 * creates a database vigil_u_<pid>_<counter> on it and returns its URL (same
 * host, port and options, other database name). Otherwise it returns the path
 * of a SQLite file in a new temporary folder. testdb_drop() removes what
 * testdb_fresh() made and frees the URL.
 *
 * Header-only (static inline functions) so every test program can include it. On any
 * failure it prints why and aborts the test program: a test without its
 * database cannot say anything useful.
 */
#ifndef VIGIL_TESTS_TESTDB_H
#define VIGIL_TESTS_TESTDB_H

#include <dirent.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TESTDB_SQLITE_NAME "vigil.db"

static inline void testdb_fatal(const char *what, const char *detail)
{
	fprintf(stderr, "testdb: %s: %s\n", what, detail ? detail : "");
	abort();
}

/* 1 when the tests run on PostgreSQL (VIGIL_TEST_PG set and not empty). */
static inline int testdb_is_pg(void)
{
	const char *admin = getenv("VIGIL_TEST_PG");
	return admin && *admin;
}

/* Run one command on the admin connection of VIGIL_TEST_PG. */
static inline void testdb_admin_exec(const char *sql)
{
	const char *admin = getenv("VIGIL_TEST_PG");
	PGconn *c = PQconnectdb(admin);
	PGresult *r;

	if (PQstatus(c) != CONNECTION_OK)
		testdb_fatal("cannot connect to VIGIL_TEST_PG", PQerrorMessage(c));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		testdb_fatal(sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

/* The admin URL with its database name replaced by db. Caller frees. */
static inline char *testdb_pg_url(const char *db)
{
	const char *admin = getenv("VIGIL_TEST_PG");
	const char *scheme = strstr(admin, "://");
	const char *slash, *query;
	size_t pre, n;
	char *url;

	if (!scheme)
		testdb_fatal("VIGIL_TEST_PG is not a postgresql:// URL", admin);
	slash = strchr(scheme + 3, '/');
	query = strchr(scheme + 3, '?');
	if (query && slash && slash > query)
		slash = NULL;
	/* no path: the database name goes right before any ?options */
	pre = slash ? (size_t)(slash - admin) : query ? (size_t)(query - admin) : strlen(admin);
	n = pre + 1 + strlen(db) + (query ? strlen(query) : 0) + 1;
	url = malloc(n);
	if (!url)
		testdb_fatal("out of memory", NULL);
	snprintf(url, n, "%.*s/%s%s", (int)pre, admin, db, query ? query : "");
	return url;
}

/* The database name at the end of a URL made by testdb_pg_url(). */
static inline void testdb_pg_name(const char *url, char *out, size_t n)
{
	const char *slash = strrchr(url, '/');
	size_t len;

	if (!slash)
		testdb_fatal("not a test database URL", url);
	len = strcspn(slash + 1, "?");
	snprintf(out, n, "%.*s", (int)len, slash + 1);
}

/* A fresh empty database; the caller owns the returned URL (testdb_drop). */
static inline char *testdb_fresh(void)
{
	static int counter;

	if (testdb_is_pg()) {
		char db[64], sql[128];
		snprintf(db, sizeof(db), "vigil_u_%ld_%d", (long)getpid(), ++counter);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
		testdb_admin_exec(sql);
		return testdb_pg_url(db);
	} else {
		const char *tmp = getenv("TMPDIR");
		char tmpl[512];
		char *dir, *path;
		size_t n;

		snprintf(tmpl, sizeof(tmpl), "%s/vigil-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		dir = mkdtemp(tmpl);
		if (!dir)
			testdb_fatal("mkdtemp failed", tmpl);
		n = strlen(dir) + sizeof(TESTDB_SQLITE_NAME) + 2;
		path = malloc(n);
		if (!path)
			testdb_fatal("out of memory", NULL);
		snprintf(path, n, "%s/%s", dir, TESTDB_SQLITE_NAME);
		return path;
	}
}

/* Drop the database (PostgreSQL) or remove the folder with the SQLite file and
 * its -wal/-shm companions; frees url. NULL is ignored. */
static inline void testdb_drop(char *url)
{
	if (!url)
		return;
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		char db[64], sql[160];
		testdb_pg_name(url, db, sizeof(db));
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
		testdb_admin_exec(sql);
	} else {
		char *slash = strrchr(url, '/');
		DIR *d;
		struct dirent *e;

		if (!slash)
			testdb_fatal("not a test database path", url);
		*slash = '\0';
		d = opendir(url);
		if (d) {
			while ((e = readdir(d)) != NULL) {
				char p[1024];
				if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
					continue;
				snprintf(p, sizeof(p), "%s/%s", url, e->d_name);
				unlink(p);
			}
			closedir(d);
		}
		rmdir(url);
	}
	free(url);
}

/* The folder a SQLite test database lives in (for placing other files next to
 * it); NULL on PostgreSQL. Caller frees. */
static inline char *testdb_dir(const char *url)
{
	const char *slash;
	char *dir;

	if (strncmp(url, "postgres", 8) == 0)
		return NULL;
	slash = strrchr(url, '/');
	if (!slash)
		return NULL;
	dir = malloc((size_t)(slash - url) + 1);
	if (!dir)
		testdb_fatal("out of memory", NULL);
	memcpy(dir, url, (size_t)(slash - url));
	dir[slash - url] = '\0';
	return dir;
}

#endif
