/*
 * test_auth.c - access control on the backend under test: roles, argon2id
 * passwords, users, API tokens (only a SHA-256 stored), browser sessions,
 * the failed-login throttle (per account and address, per address, growing
 * delays, atomic) with its audit records, the same password check for
 * unknown and disabled accounts, and Secure cookies. Time is moved with
 * VIGIL_NOW.
 */
#define _POSIX_C_SOURCE 200809L
#include <argon2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/error.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/secret.h"
#include "http/http.h"
#include "store/store.h"
#include "testdb.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
	char *url;
	struct store *s;
};

#define T0     "2026-09-11T10:00:00Z"
#define T0_SEC 1789120800LL

static void set_now(int64_t t)
{
	char buf[VG_TIME_BUFSZ];
	setenv("VIGIL_NOW", vg_time_format(t, buf, sizeof(buf)), 1);
}

/* The master key (core/secret.h) of this test program: in its own folder,
 * never the user's. */
static char g_keydir[64], g_keyfile[128];

static int group_setup(void **state)
{
	(void)state;
	snprintf(g_keydir, sizeof(g_keydir), "/tmp/vigil-auth-key-XXXXXX");
	if (!mkdtemp(g_keydir))
		return -1;
	snprintf(g_keyfile, sizeof(g_keyfile), "%s/secret.key", g_keydir);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	vg_secret_reset();
	unlink(g_keyfile);
	return rmdir(g_keydir);
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vg_error err;

	if (!f)
		return -1;
	setenv("VIGIL_NOW", T0, 1);
	vg_config_set("secrets.key_file", g_keyfile);
	f->url = testdb_fresh();
	vg_error_clear(&err);
	if (store_open(f->url, 1, &f->s, &err) != VG_OK) {
		fprintf(stderr, "store_open %s: %s\n", f->url, err.msg);
		testdb_drop(f->url);
		free(f);
		return -1;
	}
	store_set_actor(f->s, "admin-cli", "local");
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->s);
	testdb_drop(f->url);
	free(f);
	unsetenv("VIGIL_NOW");
	vg_config_free();
	vg_secret_reset();
	return 0;
}

static int64_t count(struct store *s, const char *sql, const char *types, const char *arg)
{
	struct vg_error err;
	int64_t n = -1;
	vg_error_clear(&err);
	if (store_query_int64(s, &n, &err, sql, types, arg) != VG_OK)
		fail_msg("%s: %s", sql, err.msg);
	return n;
}

static int64_t audit_records(struct store *s)
{
	return count(s, "SELECT COUNT(*) FROM audit_log", NULL, NULL);
}

/* The names of all tables of the database. */
static json_t *table_names(struct store *s)
{
	struct vg_error err;
	json_t *rows = NULL;
	const char *sql = store_kind(s) == STORE_PG
			      ? "SELECT table_name AS name FROM information_schema.tables WHERE "
				"table_schema = current_schema()"
			      : "SELECT name FROM sqlite_master WHERE type = 'table'";
	vg_error_clear(&err);
	if (store_query_json(s, &rows, &err, sql, NULL) != VG_OK)
		fail_msg("%s: %s", sql, err.msg);
	assert_true(json_array_size(rows) >= 5);
	return rows;
}

/* How many cells of the whole database (any table, row, column) contain
 * needle; where names the first one as "table.column". */
static int db_contains(struct store *s, const char *needle, char *where, size_t wn)
{
	json_t *tables = table_names(s), *t;
	size_t i;
	int found = 0;

	where[0] = '\0';
	json_array_foreach(tables, i, t)
	{
		const char *name = vg_json_str(t, "name");
		char sql[200];
		struct store_stmt *st = NULL;
		struct vg_error err;

		snprintf(sql, sizeof(sql), "SELECT * FROM %s", name);
		if (store_prepare(s, sql, &st, &err))
			fail_msg("%s: %s", sql, err.msg);
		while (store_step(st, &err) == STORE_ROW) {
			for (int c = 0; c < store_col_count(st); c++) {
				const char *v = store_col_text(st, c);
				if (v && strstr(v, needle)) {
					if (!found++)
						snprintf(where, wn, "%s.%s", name,
							 store_col_name(st, c));
				}
			}
		}
		store_finalize(st);
	}
	json_decref(tables);
	return found;
}

static void assert_nowhere(struct store *s, const char *needle, const char *what)
{
	char where[200];
	if (db_contains(s, needle, where, sizeof(where)))
		fail_msg("%s found in the database, in %s", what, where);
}

/* The last audit record's column (malloc'ed). */
static char *last_audit(struct store *s, const char *col)
{
	struct vg_error err;
	char sql[200], *v = NULL;
	snprintf(sql, sizeof(sql), "SELECT %s FROM audit_log ORDER BY seq DESC LIMIT 1", col);
	vg_error_clear(&err);
	if (store_query_text(s, &v, &err, sql, NULL) != VG_OK)
		fail_msg("%s: %s", sql, err.msg);
	return v;
}

static void assert_last_audit(struct store *s, const char *col, const char *want)
{
	char *v = last_audit(s, col);
	if (!v || strcmp(v, want) != 0)
		fail_msg("last audit record %s = %s, want %s", col, v ? v : "NULL", want);
	free(v);
}

static void chain_intact(struct store *s)
{
	struct vg_error err;
	int64_t n, bad;
	vg_error_clear(&err);
	if (audit_verify(s, &n, &bad, &err) != VG_OK)
		fail_msg("audit chain: %s", err.msg);
}

/* ---- roles and passwords ---- */

static void test_roles(void **state)
{
	static const char *const names[] = {"admin", "psirt", "auditor", "ci", "device"};
	static const int bits[] = {ROLE_ADMIN, ROLE_PSIRT, ROLE_AUDITOR, ROLE_CI, ROLE_DEVICE};
	int all = 0;
	(void)state;

	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(vg_role_parse(names[i]), bits[i]);
		assert_string_equal(vg_role_name(bits[i]), names[i]);
		assert_int_equal(all & bits[i], 0); /* distinct bits */
		all |= bits[i];
	}
	/* a device credential reaches only the routes that name ROLE_DEVICE */
	assert_int_equal(all, ROLE_ANY | ROLE_DEVICE);
	assert_int_equal(ROLE_ANY & ROLE_DEVICE, 0);
	assert_int_equal(ROLE_READ & ROLE_CI, 0);
	assert_int_equal(ROLE_READ & ROLE_DEVICE, 0);
	assert_int_not_equal(ROLE_READ & ROLE_AUDITOR, 0);
	assert_int_equal(ROLE_PUBLIC & ROLE_ANY, 0);
	assert_int_equal(vg_role_parse("root"), ROLE_NONE);
	assert_int_equal(vg_role_parse("Admin"), ROLE_NONE);
	assert_int_equal(vg_role_parse("admin "), ROLE_NONE);
	assert_int_equal(vg_role_parse(""), ROLE_NONE);
	assert_int_equal(vg_role_parse(NULL), ROLE_NONE);
	assert_string_equal(vg_role_name(ROLE_NONE), "none");
	assert_string_equal(vg_role_name(ROLE_ADMIN | ROLE_CI), "none");
	assert_string_equal(vg_role_name(ROLE_PUBLIC), "none");
}

static void test_password_hash(void **state)
{
	char h1[160], h2[160];
	(void)state;

	assert_int_equal(auth_password_hash("correct horse", h1, sizeof(h1)), VG_OK);
	assert_true(strncmp(h1, "$argon2id$", 10) == 0);
	assert_non_null(strstr(h1, "m=19456,t=2,p=1"));
	assert_null(strstr(h1, "correct horse"));
	assert_int_equal(auth_password_verify(h1, "correct horse"), 1);
	/* the library's own reader agrees (hashes written before and after) */
	assert_int_equal(argon2id_verify(h1, "correct horse", 13), ARGON2_OK);
	assert_int_equal(argon2id_verify(h1, "correct horsE", 13), ARGON2_VERIFY_MISMATCH);
	assert_int_equal(auth_password_verify(h1, "correct horsE"), 0);
	assert_int_equal(auth_password_verify(h1, "correct horse "), 0);
	assert_int_equal(auth_password_verify(h1, ""), 0);
	/* a fresh salt each time */
	assert_int_equal(auth_password_hash("correct horse", h2, sizeof(h2)), VG_OK);
	assert_string_not_equal(h1, h2);
	assert_int_equal(auth_password_verify(h2, "correct horse"), 1);
	/* a hash written by the library verifies, and one of its older form */
	{
		char lib[160];
		static const unsigned char salt[16] = "0123456789abcdef";
		assert_int_equal(argon2id_hash_encoded(2, 19456, 1, "correct horse", 13, salt,
						       sizeof(salt), 32, lib, sizeof(lib)),
				 ARGON2_OK);
		assert_int_equal(auth_password_verify(lib, "correct horse"), 1);
		assert_int_equal(auth_password_verify(lib, "correct horse!"), 0);
	}
	/* garbage hashes never verify */
	assert_int_equal(auth_password_verify("not a hash", "correct horse"), 0);
	assert_int_equal(auth_password_verify("", ""), 0);
	h1[strlen(h1) - 2] = h1[strlen(h1) - 2] == 'A' ? 'B' : 'A';
	assert_int_equal(auth_password_verify(h1, "correct horse"), 0);
	/* an output buffer too small is an error, not an overflow */
	assert_int_not_equal(auth_password_hash("correct horse", h2, 20), VG_OK);
}

/* ---- users ---- */

static void test_user_add(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;
	char name64[65], name65[66], pwlong[1100], *hash = NULL, *after;
	int64_t n0;
	static const char *const bad_names[] = {"",    "a b", "x;drop", "caf\xc3\xa9",
						"a/b", "a'b", "tab\t",  "new\nline"};

	memset(name64, 'u', 64);
	name64[64] = '\0';
	memset(name65, 'u', 65);
	name65[65] = '\0';
	memset(pwlong, 'p', 1025);
	pwlong[1025] = '\0';
	n0 = audit_records(s);

	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		vg_error_clear(&err);
		if (auth_user_add(s, bad_names[i], "admin", "long enough", &err) != VG_EINVAL)
			fail_msg("user name '%s' accepted", bad_names[i]);
		assert_non_null(strstr(err.msg, "name"));
	}
	assert_int_equal(auth_user_add(s, NULL, "admin", "long enough", &err), VG_EINVAL);
	assert_int_equal(auth_user_add(s, name65, "admin", "long enough", &err), VG_EINVAL);
	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "bob", "root", "long enough", &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "'root'"));
	assert_int_equal(auth_user_add(s, "bob", NULL, "long enough", &err), VG_EINVAL);
	assert_int_equal(auth_user_add(s, "bob", "", "long enough", &err), VG_EINVAL);
	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "bob", "admin", "1234567", &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "8"));
	assert_int_equal(auth_user_add(s, "bob", "admin", "", &err), VG_EINVAL);
	assert_int_equal(auth_user_add(s, "bob", "admin", NULL, &err), VG_EINVAL);
	assert_int_equal(auth_user_add(s, "bob", "admin", pwlong, &err), VG_EINVAL);
	/* nothing was written by any refusal */
	assert_int_equal(count(s, "SELECT COUNT(*) FROM users", NULL, NULL), 0);
	assert_int_equal(audit_records(s), n0);

	/* edge lengths are fine */
	assert_int_equal(auth_user_add(s, name64, "ci", "12345678", &err), VG_OK);
	pwlong[1024] = '\0';
	assert_int_equal(auth_user_add(s, "x", "device", pwlong, &err), VG_OK);
	assert_int_equal(auth_user_add(s, "Jane.Doe-2_x@example.org", "auditor", "12345678", &err),
			 VG_OK);

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "alice", "psirt", "s3cret-passw0rd", &err), VG_OK);
	assert_int_equal(count(s,
			       "SELECT COUNT(*) FROM users WHERE name = ? AND role = 'psirt' "
			       "AND disabled = 0",
			       "t", "alice"),
			 1);
	assert_int_equal(count(s, "SELECT created_at FROM users WHERE name = ?", "t", "alice"),
			 T0_SEC);
	assert_int_equal(audit_records(s), n0 + 4);
	assert_last_audit(s, "action", "user.create");
	assert_last_audit(s, "object_type", "user");
	assert_last_audit(s, "object_id", "alice");
	assert_last_audit(s, "actor", "admin-cli");
	after = last_audit(s, "after_json");
	assert_string_equal(after, "{\"name\":\"alice\",\"role\":\"psirt\"}");
	free(after);

	/* no password material in the audit trail, nor the clear password anywhere */
	assert_int_equal(store_query_text(s, &hash, &err,
					  "SELECT password_hash FROM users WHERE name = ?", "t",
					  "alice"),
			 VG_OK);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_int_equal(auth_password_verify(hash, "s3cret-passw0rd"), 1);
	assert_int_equal(count(s,
			       "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%argon2%' "
			       "OR before_json LIKE '%argon2%' OR after_json LIKE '%password%'",
			       NULL, NULL),
			 0);
	{
		/* the hash's salt+digest part only occurs in users.password_hash */
		const char *tail = strrchr(hash, '$');
		char where[200];
		assert_int_equal(db_contains(s, tail + 1, where, sizeof(where)), 1);
		assert_string_equal(where, "users.password_hash");
	}
	free(hash);
	assert_nowhere(s, "s3cret-passw0rd", "the clear password");

	/* duplicates: a conflict, with nothing half-written */
	n0 = audit_records(s);
	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "alice", "admin", "another-pass", &err), VG_EEXIST);
	assert_int_equal(err.code, VG_EEXIST);
	assert_non_null(strstr(err.msg, "alice"));
	assert_false(store_in_tx(s));
	assert_int_equal(audit_records(s), n0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM users WHERE name = ?", "t", "alice"), 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM users WHERE role = 'admin'", NULL, NULL),
			 0);
	chain_intact(s);
}

static void test_user_passwd_disable(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;
	struct vg_principal p;
	char sid[64];

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "carol", "admin", "first-password", &err), VG_OK);
	assert_int_equal(auth_login(s, "carol", "first-password", "::1", &p, &err), VG_OK);
	assert_int_equal(auth_session_create(s, &p, "::1", sid, sizeof(sid), &err), VG_OK);

	store_set_actor(s, "admin-cli", "local");
	assert_int_equal(auth_user_passwd(s, "carol", "second-password", &err), VG_OK);
	assert_last_audit(s, "action", "user.password");
	assert_last_audit(s, "object_id", "carol");
	/* a new password ends the sessions */
	assert_int_equal(auth_session_check(s, sid, &p, &err), VG_EAUTH);
	assert_int_equal(auth_login(s, "carol", "first-password", "::1", &p, &err), VG_EAUTH);
	assert_int_equal(auth_login(s, "carol", "second-password", "::1", &p, &err), VG_OK);
	assert_nowhere(s, "second-password", "the clear password");
	assert_int_equal(auth_user_passwd(s, "carol", "short", &err), VG_EINVAL);
	vg_error_clear(&err);
	assert_int_equal(auth_user_passwd(s, "nobody", "long enough", &err), VG_ENOTFOUND);
	assert_non_null(strstr(err.msg, "nobody"));

	assert_int_equal(auth_user_disable(s, "carol", 1, &err), VG_OK);
	assert_last_audit(s, "action", "user.disable");
	assert_last_audit(s, "before_json", "{\"disabled\":false}");
	assert_last_audit(s, "after_json", "{\"disabled\":true}");
	assert_int_equal(auth_login(s, "carol", "second-password", "::1", &p, &err), VG_EAUTH);
	assert_int_equal(auth_user_disable(s, "carol", 0, &err), VG_OK);
	assert_last_audit(s, "action", "user.enable");
	assert_int_equal(auth_login(s, "carol", "second-password", "::1", &p, &err), VG_OK);
	vg_error_clear(&err);
	assert_int_equal(auth_user_disable(s, "nobody", 1, &err), VG_ENOTFOUND);
	assert_non_null(strstr(err.msg, "nobody"));
	assert_false(store_in_tx(s));
	chain_intact(s);
}

/* ---- tokens ---- */

static int b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static void test_tokens(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;
	struct vg_principal p;
	char tok[64], tok2[64], bad[64], hash[VG_SHA256_HEX], *stored = NULL, *after;
	int64_t n0;

	vg_error_clear(&err);
	assert_int_equal(auth_token_create(s, "ci-bot", "ci", 0, tok, sizeof(tok), &err), VG_OK);
	assert_true(strncmp(tok, "vgl_", 4) == 0);
	assert_int_equal(strlen(tok), 4 + 43);
	for (size_t i = 4; tok[i]; i++)
		assert_true(b64url_char(tok[i]));
	assert_last_audit(s, "action", "token.create");
	assert_last_audit(s, "object_id", "ci-bot");
	assert_last_audit(s, "actor", "admin-cli");

	/* only the SHA-256 is stored; the clear token (or its random part) nowhere */
	vg_sha256_hex(tok, strlen(tok), hash);
	assert_int_equal(store_query_text(s, &stored, &err,
					  "SELECT token_hash FROM api_tokens WHERE name = ?", "t",
					  "ci-bot"),
			 VG_OK);
	assert_string_equal(stored, hash);
	free(stored);
	assert_nowhere(s, tok, "the clear token");
	assert_nowhere(s, tok + 4, "the token's random part");
	assert_nowhere(s, tok + 12, "the token's last 35 characters");
	after = last_audit(s, "after_json");
	assert_null(strstr(after, tok + 4));
	assert_null(strstr(after, hash));
	free(after);
	assert_int_equal(
	    count(s, "SELECT COUNT(*) FROM api_tokens WHERE created_by = 'admin-cli'", NULL, NULL),
	    1);

	memset(&p, 0x55, sizeof(p));
	assert_int_equal(auth_token_check(s, tok, &p, &err), VG_OK);
	assert_int_equal(p.role, ROLE_CI);
	assert_string_equal(p.name, "token:ci-bot");
	assert_int_equal(p.user_id, 0);
	assert_int_equal(p.via_session, 0);

	/* near misses are refused, and leave an anonymous principal */
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'A' ? 'B' : 'A';
	memset(&p, 0x55, sizeof(p));
	assert_int_equal(auth_token_check(s, bad, &p, &err), VG_EAUTH);
	assert_int_equal(p.role, ROLE_NONE);
	assert_int_equal(auth_token_check(s, tok + 4, &p, &err), VG_EAUTH);
	assert_int_equal(auth_token_check(s, hash, &p, &err), VG_EAUTH); /* the stored value */
	assert_int_equal(auth_token_check(s, "", &p, &err), VG_EAUTH);
	assert_int_equal(auth_token_check(s, NULL, &p, &err), VG_EAUTH);
	{
		char huge[4096];
		memset(huge, 'A', sizeof(huge) - 1);
		huge[sizeof(huge) - 1] = '\0';
		assert_int_equal(auth_token_check(s, huge, &p, &err), VG_EAUTH);
	}

	/* names, roles and conflicts */
	n0 = audit_records(s);
	assert_int_equal(auth_token_create(s, "bad name", "ci", 0, tok2, sizeof(tok2), &err),
			 VG_EINVAL);
	assert_int_equal(auth_token_create(s, "t2", "superuser", 0, tok2, sizeof(tok2), &err),
			 VG_EINVAL);
	vg_error_clear(&err);
	assert_int_equal(auth_token_create(s, "ci-bot", "admin", 0, tok2, sizeof(tok2), &err),
			 VG_EEXIST);
	assert_non_null(strstr(err.msg, "ci-bot"));
	assert_false(store_in_tx(s));
	assert_int_equal(audit_records(s), n0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM api_tokens", NULL, NULL), 1);
	/* a failed create does not hand out a usable token */
	assert_int_equal(auth_token_check(s, tok2, &p, &err), VG_EAUTH);

	/* two tokens are different */
	assert_int_equal(auth_token_create(s, "device-1", "device", 0, tok2, sizeof(tok2), &err),
			 VG_OK);
	assert_string_not_equal(tok, tok2);
	assert_int_equal(auth_token_check(s, tok2, &p, &err), VG_OK);
	assert_int_equal(p.role, ROLE_DEVICE);

	/* revoke: refused from then on; revoking again or unknown is not found */
	vg_error_clear(&err);
	assert_int_equal(auth_token_revoke(s, "ci-bot", &err), VG_OK);
	assert_last_audit(s, "action", "token.revoke");
	assert_last_audit(s, "object_id", "ci-bot");
	assert_int_equal(auth_token_check(s, tok, &p, &err), VG_EAUTH);
	assert_int_equal(auth_token_check(s, tok2, &p, &err), VG_OK);
	n0 = audit_records(s);
	vg_error_clear(&err);
	assert_int_equal(auth_token_revoke(s, "ci-bot", &err), VG_ENOTFOUND);
	assert_non_null(strstr(err.msg, "ci-bot"));
	assert_int_equal(auth_token_revoke(s, "never-made", &err), VG_ENOTFOUND);
	assert_int_equal(audit_records(s), n0);
	assert_false(store_in_tx(s));
	chain_intact(s);
}

static void test_token_expiry(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;
	struct vg_principal p;
	char tok[64];

	vg_error_clear(&err);
	assert_int_equal(
	    auth_token_create(s, "short", "psirt", T0_SEC + 3600, tok, sizeof(tok), &err), VG_OK);
	assert_int_equal(count(s, "SELECT expires_at FROM api_tokens WHERE name = ?", "t", "short"),
			 T0_SEC + 3600);
	assert_int_equal(auth_token_check(s, tok, &p, &err), VG_OK);
	assert_int_equal(p.role, ROLE_PSIRT);
	set_now(T0_SEC + 3599);
	assert_int_equal(auth_token_check(s, tok, &p, &err), VG_OK);
	set_now(T0_SEC + 3600);
	vg_error_clear(&err);
	assert_int_equal(auth_token_check(s, tok, &p, &err), VG_EAUTH);
	assert_int_equal(p.role, ROLE_NONE);
	set_now(T0_SEC + 86400 * 365);
	assert_int_equal(auth_token_check(s, tok, &p, &err), VG_EAUTH);
	/* back in time it works again: expiry is a comparison with the clock */
	set_now(T0_SEC);
	assert_int_equal(auth_token_check(s, tok, &p, &err), VG_OK);

	/* without expiry: valid far in the future */
	assert_int_equal(auth_token_create(s, "forever", "auditor", 0, tok, sizeof(tok), &err),
			 VG_OK);
	assert_int_equal(count(s,
			       "SELECT COUNT(*) FROM api_tokens WHERE name = ? AND expires_at "
			       "IS NULL",
			       "t", "forever"),
			 1);
	set_now(T0_SEC + 86400LL * 365 * 50);
	assert_int_equal(auth_token_check(s, tok, &p, &err), VG_OK);
	assert_int_equal(p.role, ROLE_AUDITOR);
}

/* ---- sessions ---- */

static void test_sessions(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;
	struct vg_principal p, q;
	char sid[64], sid2[64], hash[VG_SHA256_HEX];
	int64_t n0;

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "dora", "auditor", "dora-password", &err), VG_OK);
	assert_int_equal(auth_login(s, "dora", "dora-password", "203.0.113.9", &p, &err), VG_OK);
	assert_int_equal(p.role, ROLE_AUDITOR);
	assert_string_equal(p.name, "dora");
	assert_true(p.user_id > 0);

	n0 = audit_records(s);
	assert_int_equal(auth_session_create(s, &p, "203.0.113.9", sid, sizeof(sid), &err), VG_OK);
	assert_int_equal(strlen(sid), 43);
	for (size_t i = 0; sid[i]; i++)
		assert_true(b64url_char(sid[i]));
	/* sessions are bookkeeping: no transaction left open, no audit record */
	assert_false(store_in_tx(s));
	assert_int_equal(audit_records(s), n0);
	/* stored as a hash only */
	vg_sha256_hex(sid, strlen(sid), hash);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?", "t", hash),
			 1);
	assert_nowhere(s, sid, "the session id");
	assert_int_equal(
	    count(s, "SELECT expires_at FROM sessions WHERE token_hash = ?", "t", hash),
	    T0_SEC + 8 * 3600);

	memset(&q, 0x55, sizeof(q));
	assert_int_equal(auth_session_check(s, sid, &q, &err), VG_OK);
	assert_int_equal(q.user_id, p.user_id);
	assert_string_equal(q.name, "dora");
	assert_int_equal(q.role, ROLE_AUDITOR);
	assert_int_equal(q.via_session, 1);
	assert_true(strlen(q.csrf) >= 32);
	assert_null(strstr(q.csrf, sid));

	/* a second session is independent, with its own CSRF token */
	assert_int_equal(auth_session_create(s, &p, "203.0.113.9", sid2, sizeof(sid2), &err),
			 VG_OK);
	assert_string_not_equal(sid, sid2);
	{
		struct vg_principal r;
		assert_int_equal(auth_session_check(s, sid2, &r, &err), VG_OK);
		assert_string_not_equal(r.csrf, q.csrf);
	}

	/* unknown, empty, NULL and huge ids */
	memset(&q, 0x55, sizeof(q));
	assert_int_equal(auth_session_check(s, hash, &q, &err), VG_EAUTH);
	assert_int_equal(q.role, ROLE_NONE);
	assert_int_equal(q.via_session, 0);
	assert_int_equal(auth_session_check(s, "", &q, &err), VG_EAUTH);
	assert_int_equal(auth_session_check(s, NULL, &q, &err), VG_EAUTH);
	{
		char huge[1000];
		memset(huge, 'A', sizeof(huge) - 1);
		huge[sizeof(huge) - 1] = '\0';
		assert_int_equal(auth_session_check(s, huge, &q, &err), VG_EAUTH);
	}

	/* expiry after the default 8 hours */
	set_now(T0_SEC + 8 * 3600 - 1);
	assert_int_equal(auth_session_check(s, sid, &q, &err), VG_OK);
	set_now(T0_SEC + 8 * 3600);
	assert_int_equal(auth_session_check(s, sid, &q, &err), VG_EAUTH);
	set_now(T0_SEC);

	/* logout */
	assert_int_equal(auth_session_delete(s, sid2, &err), VG_OK);
	assert_int_equal(auth_session_check(s, sid2, &q, &err), VG_EAUTH);
	assert_int_equal(auth_session_check(s, sid, &q, &err), VG_OK);
	assert_int_equal(auth_session_delete(s, "never-issued", &err), VG_OK);
	assert_false(store_in_tx(s));
}

static void test_session_ttl_config(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;
	struct vg_principal p, q;
	char sid[64];

	vg_error_clear(&err);
	assert_int_equal(vg_config_set("auth.session_ttl", "60"), VG_OK);
	assert_int_equal(auth_user_add(s, "eve", "device", "eve-password", &err), VG_OK);
	assert_int_equal(auth_login(s, "eve", "eve-password", "::1", &p, &err), VG_OK);
	assert_int_equal(auth_session_create(s, &p, "::1", sid, sizeof(sid), &err), VG_OK);
	set_now(T0_SEC + 59);
	assert_int_equal(auth_session_check(s, sid, &q, &err), VG_OK);
	assert_int_equal(q.role, ROLE_DEVICE);
	set_now(T0_SEC + 60);
	assert_int_equal(auth_session_check(s, sid, &q, &err), VG_EAUTH);
	vg_config_free();
}

static void test_session_disabled_user(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;
	struct vg_principal p, q;
	char sid[64], sid2[64];

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "frank", "psirt", "frank-password", &err), VG_OK);
	assert_int_equal(auth_login(s, "frank", "frank-password", "::1", &p, &err), VG_OK);
	assert_int_equal(auth_session_create(s, &p, "::1", sid, sizeof(sid), &err), VG_OK);
	assert_int_equal(auth_session_check(s, sid, &q, &err), VG_OK);

	store_set_actor(s, "admin-cli", "local");
	assert_int_equal(auth_user_disable(s, "frank", 1, &err), VG_OK);
	assert_int_equal(auth_session_check(s, sid, &q, &err), VG_EAUTH);
	assert_int_equal(q.role, ROLE_NONE);
	/* a session made for a disabled user (a race with the disable) is refused too */
	assert_int_equal(auth_session_create(s, &p, "::1", sid2, sizeof(sid2), &err), VG_OK);
	assert_int_equal(auth_session_check(s, sid2, &q, &err), VG_EAUTH);
	/* enabling again does not bring back the old session */
	assert_int_equal(auth_user_disable(s, "frank", 0, &err), VG_OK);
	assert_int_equal(auth_session_check(s, sid, &q, &err), VG_EAUTH);
	/* sessions of a deleted user go with it */
	{
		int64_t uid = p.user_id;
		assert_int_equal(store_tx_begin(s, &err), VG_OK);
		assert_int_equal(
		    store_exec(s, &err, "DELETE FROM users WHERE name = 'frank'", NULL), VG_OK);
		assert_int_equal(store_audit(s, "user.delete", "user", "frank", NULL, NULL, &err),
				 VG_OK);
		assert_int_equal(store_tx_commit(s, &err), VG_OK);
		assert_int_equal(auth_session_check(s, sid2, &q, &err), VG_EAUTH);
		{
			char idbuf[32];
			snprintf(idbuf, sizeof(idbuf), "%lld", (long long)uid);
			assert_int_equal(count(s,
					       "SELECT COUNT(*) FROM sessions WHERE "
					       "CAST(user_id AS TEXT) = ?",
					       "t", idbuf),
					 0);
		}
	}
}

/* ---- login ---- */

static int64_t login_records(struct store *s)
{
	return count(s,
		     "SELECT COUNT(*) FROM audit_log WHERE action IN ('auth.login', "
		     "'auth.login_failed')",
		     NULL, NULL);
}

static void test_login(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;
	struct vg_principal p;
	char *after;

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "gina", "admin", "gina-password", &err), VG_OK);

	memset(&p, 0x55, sizeof(p));
	assert_int_equal(auth_login(s, "gina", "gina-password", "192.0.2.1", &p, &err), VG_OK);
	assert_int_equal(p.role, ROLE_ADMIN);
	assert_string_equal(p.name, "gina");
	assert_true(p.user_id > 0);
	assert_int_equal(p.via_session, 0);
	assert_false(store_in_tx(s));
	assert_int_equal(login_records(s), 1);
	assert_last_audit(s, "action", "auth.login");
	assert_last_audit(s, "actor", "gina");
	assert_last_audit(s, "remote", "192.0.2.1");
	assert_last_audit(s, "object_type", "user");
	assert_last_audit(s, "object_id", "gina");
	after = last_audit(s, "after_json");
	assert_string_equal(after, "{\"reason\":\"ok\",\"success\":true}");
	free(after);

	/* wrong password, unknown user, NULL password: the same refusal */
	memset(&p, 0x55, sizeof(p));
	vg_error_clear(&err);
	assert_int_equal(auth_login(s, "gina", "wrong-password", "192.0.2.1", &p, &err), VG_EAUTH);
	assert_int_equal(p.role, ROLE_NONE);
	assert_int_equal(p.user_id, 0);
	{
		char msg1[sizeof(err.msg)];
		snprintf(msg1, sizeof(msg1), "%s", err.msg);
		assert_last_audit(s, "action", "auth.login_failed");
		vg_error_clear(&err);
		assert_int_equal(auth_login(s, "nobody", "whatever-pw", "192.0.2.2", &p, &err),
				 VG_EAUTH);
		/* a caller cannot tell an unknown name from a wrong password */
		assert_string_equal(err.msg, msg1);
	}
	assert_last_audit(s, "object_id", "nobody");
	assert_last_audit(s, "actor", "nobody");
	assert_int_equal(auth_login(s, "gina", NULL, "192.0.2.3", &p, &err), VG_EAUTH);
	assert_int_equal(auth_login(s, NULL, "gina-password", "192.0.2.4", &p, &err), VG_EAUTH);
	assert_last_audit(s, "actor", "(anonymous)");
	assert_int_equal(auth_login(s, "", "gina-password", "192.0.2.5", &p, &err), VG_EAUTH);
	assert_int_equal(login_records(s), 6);
	assert_false(store_in_tx(s));

	/* passwords tried are never stored */
	assert_nowhere(s, "wrong-password", "a wrong password");
	assert_nowhere(s, "gina-password", "the password");
	chain_intact(s);
}

/* One login; the code it returned. */
static int try_login(struct store *s, const char *name, const char *pw, const char *remote)
{
	struct vg_error err;
	struct vg_principal p;
	vg_error_clear(&err);
	return auth_login(s, name, pw, remote, &p, &err);
}

/* The reproduction of issue 16: five wrong passwords from address A lock
 * neither the account nor another address; A itself waits 2, 4, 8 ...
 * seconds after each further failure, up to auth.max_delay. */
static void test_login_rate_limit(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;
	struct vg_principal p;
	const char *A = "198.51.100.1", *B = "198.51.100.99";
	int64_t before, last, fails;
	char *after;

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "hank", "psirt", "hank-password", &err), VG_OK);
	before = login_records(s);

	/* five failures from A, all in the same second */
	set_now(T0_SEC);
	for (int i = 0; i < 5; i++)
		assert_int_equal(try_login(s, "hank", "bad-guess", A), VG_EAUTH);
	/* from A even the right password waits now */
	vg_error_clear(&err);
	memset(&p, 0x55, sizeof(p));
	assert_int_equal(auth_login(s, "hank", "hank-password", A, &p, &err), VG_ERATE);
	assert_int_equal(err.code, VG_ERATE);
	assert_non_null(strstr(err.msg, "too many failed logins"));
	assert_int_equal(p.role, ROLE_NONE);
	assert_last_audit(s, "action", "auth.login_failed");
	after = last_audit(s, "after_json");
	assert_non_null(strstr(after, "rate limited"));
	free(after);
	/* from another address the right password works at once: no account lockout */
	memset(&p, 0x55, sizeof(p));
	assert_int_equal(auth_login(s, "hank", "hank-password", B, &p, &err), VG_OK);
	assert_int_equal(p.role, ROLE_PSIRT);
	assert_string_equal(p.name, "hank");

	/* growing delays at A: after the f-th failure, 2^(f-4) seconds, capped at 900 */
	last = T0_SEC;
	fails = 5;
	while (fails < 16) {
		int64_t delay =
		    (INT64_C(1) << (fails - 4)) < 900 ? (INT64_C(1) << (fails - 4)) : 900;
		set_now(last + delay - 1);
		assert_int_equal(try_login(s, "hank", "hank-password", A), VG_ERATE);
		set_now(last + delay);
		assert_int_equal(try_login(s, "hank", "bad-guess", A), VG_EAUTH);
		last += delay;
		fails++;
	}
	/* the cap: 900 s, not 2^12 */
	set_now(last + 899);
	assert_int_equal(try_login(s, "hank", "hank-password", A), VG_ERATE);
	set_now(last + 900);
	assert_int_equal(try_login(s, "hank", "hank-password", A), VG_OK);
	/* a good login clears the pair: a new failure from A is not delayed */
	assert_int_equal(try_login(s, "hank", "bad-guess", A), VG_EAUTH);
	assert_int_equal(try_login(s, "hank", "hank-password", A), VG_OK);

	/* every attempt, good or bad or delayed, left one record */
	assert_int_equal(login_records(s), before + 5 + 2 + 2 * 11 + 2 + 2);
	assert_false(store_in_tx(s));
	chain_intact(s);
}

/* One address guessing many names waits too, after
 * auth.max_failures_per_address failures; other addresses do not. */
static void test_login_rate_limit_per_address(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "ivan", "ci", "ivan-password", &err), VG_OK);
	for (int i = 0; i < 20; i++) {
		char name[32];
		snprintf(name, sizeof(name), "guess%d", i);
		assert_int_equal(try_login(s, name, "guess-password", "203.0.113.66"), VG_EAUTH);
	}
	assert_int_equal(try_login(s, "ivan", "ivan-password", "203.0.113.66"), VG_ERATE);
	assert_int_equal(try_login(s, "guess99", "guess-password", "203.0.113.66"), VG_ERATE);
	/* the same user from elsewhere is fine */
	assert_int_equal(try_login(s, "ivan", "ivan-password", "203.0.113.67"), VG_OK);
	/* the address's delay is 2 s, then 4 s after its next failure */
	set_now(T0_SEC + 2);
	assert_int_equal(try_login(s, "guess0", "guess-password", "203.0.113.66"), VG_EAUTH);
	set_now(T0_SEC + 5);
	assert_int_equal(try_login(s, "ivan", "ivan-password", "203.0.113.66"), VG_ERATE);
	set_now(T0_SEC + 6);
	assert_int_equal(try_login(s, "ivan", "ivan-password", "203.0.113.66"), VG_OK);
	/* 20 pairs and 2 addresses; they hold no clear address and no user name */
	assert_int_equal(count(s, "SELECT COUNT(*) FROM login_attempts", NULL, NULL), 22);
	assert_int_equal(count(s,
			       "SELECT COUNT(*) FROM login_attempts WHERE key LIKE '%203.0.113%' "
			       "OR key LIKE '%guess%' OR key LIKE '%ivan%'",
			       NULL, NULL),
			 0);
	assert_int_equal(count(s,
			       "SELECT COUNT(*) FROM login_attempts WHERE key NOT LIKE 'a:%' AND "
			       "key NOT LIKE 'p:%'",
			       NULL, NULL),
			 0);
}

static void test_login_limit_config(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;

	vg_error_clear(&err);
	assert_int_equal(vg_config_set("auth.max_failures", "2"), VG_OK);
	assert_int_equal(vg_config_set("auth.max_delay", "3"), VG_OK);
	assert_int_equal(vg_config_set("auth.failure_window", "60"), VG_OK);
	assert_int_equal(auth_user_add(s, "judy", "admin", "judy-password", &err), VG_OK);
	assert_int_equal(try_login(s, "judy", "nope-nope", "::1"), VG_EAUTH);
	/* a success in between clears the pair's count */
	assert_int_equal(try_login(s, "judy", "judy-password", "::1"), VG_OK);
	assert_int_equal(try_login(s, "judy", "nope-nope", "::1"), VG_EAUTH);
	assert_int_equal(try_login(s, "judy", "nope-nope", "::1"), VG_EAUTH);
	assert_int_equal(try_login(s, "judy", "judy-password", "::1"), VG_ERATE);
	assert_int_equal(try_login(s, "judy", "judy-password", "::2"), VG_OK);
	/* 2 s, then 3 (the cap, not 4) */
	set_now(T0_SEC + 2);
	assert_int_equal(try_login(s, "judy", "nope-nope", "::1"), VG_EAUTH);
	set_now(T0_SEC + 4);
	assert_int_equal(try_login(s, "judy", "judy-password", "::1"), VG_ERATE);
	set_now(T0_SEC + 5);
	assert_int_equal(try_login(s, "judy", "nope-nope", "::1"), VG_EAUTH);
	set_now(T0_SEC + 7);
	assert_int_equal(try_login(s, "judy", "judy-password", "::1"), VG_ERATE);
	/* a minute without a failure forgets them: two free failures again */
	set_now(T0_SEC + 5 + 60);
	assert_int_equal(try_login(s, "judy", "nope-nope", "::1"), VG_EAUTH);
	assert_int_equal(try_login(s, "judy", "nope-nope", "::1"), VG_EAUTH);
	assert_int_equal(try_login(s, "judy", "judy-password", "::1"), VG_ERATE);
	/* and housekeeping drops counters older than the window */
	set_now(T0_SEC + 5 + 60 + 61);
	assert_int_equal(auth_housekeeping(s, &err), VG_OK);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM login_attempts", NULL, NULL), 0);
	vg_config_free();
}

/* The cost ("m=...,t=...,p=...") in an encoded argon2id hash. */
static void hash_cost(const char *encoded, char *out, size_t n)
{
	const char *c = strstr(encoded, "$m=");
	const char *e = c ? strchr(c + 1, '$') : NULL;
	assert_non_null(e);
	snprintf(out, n, "%.*s", (int)(e - c - 1), c + 1);
}

/* Unknown and disabled accounts run the same key derivation, at the same
 * cost, as a wrong password: their answer takes as long. A delayed attempt
 * runs none, whoever it names. */
static void test_login_same_cost(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct vg_error err;
	char *stored = NULL, want[48], got[48];
	uint64_t runs;
	char msg_wrong[sizeof(err.msg)];
	struct vg_principal p;

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(s, "kim", "psirt", "kim-password", &err), VG_OK);
	assert_int_equal(auth_user_add(s, "lou", "psirt", "lou-password", &err), VG_OK);
	assert_int_equal(auth_user_disable(s, "lou", 1, &err), VG_OK);
	assert_int_equal(store_query_text(s, &stored, &err,
					  "SELECT password_hash FROM users WHERE name = 'kim'",
					  NULL),
			 VG_OK);
	hash_cost(stored, want, sizeof(want));
	free(stored);
	assert_string_equal(want, "m=19456,t=2,p=1");

	runs = auth_kdf_runs(NULL, 0);
	assert_int_equal(auth_login(s, "kim", "wrong-password", "192.0.2.10", &p, &err), VG_EAUTH);
	snprintf(msg_wrong, sizeof(msg_wrong), "%s", err.msg);
	assert_int_equal(auth_kdf_runs(got, sizeof(got)), runs + 1);
	assert_string_equal(got, want);

	/* unknown user */
	vg_error_clear(&err);
	memset(got, 0, sizeof(got));
	assert_int_equal(auth_login(s, "nobody", "wrong-password", "192.0.2.11", &p, &err),
			 VG_EAUTH);
	assert_int_equal(auth_kdf_runs(got, sizeof(got)), runs + 2);
	assert_string_equal(got, want);
	assert_string_equal(err.msg, msg_wrong);

	/* disabled user, with its right password */
	vg_error_clear(&err);
	memset(got, 0, sizeof(got));
	assert_int_equal(auth_login(s, "lou", "lou-password", "192.0.2.12", &p, &err), VG_EAUTH);
	assert_int_equal(auth_kdf_runs(got, sizeof(got)), runs + 3);
	assert_string_equal(got, want);
	assert_string_equal(err.msg, msg_wrong);
	assert_last_audit(s, "after_json", "{\"reason\":\"account disabled\",\"success\":false}");

	/* disabled user, wrong password; no password at all; the right one */
	assert_int_equal(try_login(s, "lou", "wrong-password", "192.0.2.12"), VG_EAUTH);
	assert_int_equal(try_login(s, "kim", NULL, "192.0.2.12"), VG_EAUTH);
	assert_int_equal(try_login(s, "kim", "kim-password", "192.0.2.12"), VG_OK);
	assert_int_equal(auth_kdf_runs(got, sizeof(got)), runs + 6);
	assert_string_equal(got, want);

	/* a delayed attempt runs no check, for a known name as for an unknown one */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(try_login(s, "kim", "wrong-password", "192.0.2.13"), VG_EAUTH);
		assert_int_equal(try_login(s, "nobody", "wrong-password", "192.0.2.14"), VG_EAUTH);
	}
	runs = auth_kdf_runs(NULL, 0);
	assert_int_equal(try_login(s, "kim", "kim-password", "192.0.2.13"), VG_ERATE);
	assert_int_equal(try_login(s, "nobody", "kim-password", "192.0.2.14"), VG_ERATE);
	assert_int_equal(auth_kdf_runs(NULL, 0), runs);
}

struct racer {
	const char *url;
	const char *addr;
	int rc;
};

static void *race_login(void *arg)
{
	struct racer *r = arg;
	struct store *s = NULL;
	struct vg_error err;
	struct vg_principal p;

	vg_error_clear(&err);
	if (store_open(r->url, 0, &s, &err) != VG_OK) {
		r->rc = -1;
		return NULL;
	}
	r->rc = auth_login(s, "max", "wrong-password", "192.0.2.77", &p, &err);
	store_close(s);
	return NULL;
}

/* Parallel attempts on their own connections cannot slip past the limit:
 * each attempt is counted before its password is checked, atomically. */
static void test_login_parallel(void **state)
{
	struct fx *f = *state;
	struct vg_error err;
	struct racer r[8];
	pthread_t th[8];
	int eauth = 0, erate = 0;

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(f->s, "max", "psirt", "max-password", &err), VG_OK);
	/* every attempt gets its check at once (the busy answer below) */
	assert_int_equal(vg_config_set("auth.password_checks", "8"), VG_OK);
	for (int i = 0; i < 8; i++) {
		r[i].url = f->url;
		r[i].rc = -2;
		assert_int_equal(pthread_create(&th[i], NULL, race_login, &r[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		eauth += r[i].rc == VG_EAUTH;
		erate += r[i].rc == VG_ERATE;
	}
	assert_int_equal(vg_config_set("auth.password_checks", "2"), VG_OK);
	assert_int_equal(eauth, 5);
	assert_int_equal(erate, 3);
	assert_int_equal(count(f->s, "SELECT MAX(failures) FROM login_attempts", NULL, NULL), 5);
	chain_intact(f->s);
}

static void *race_login_from(void *arg)
{
	struct racer *r = arg;
	struct store *s = NULL;
	struct vg_error err;
	struct vg_principal p;

	vg_error_clear(&err);
	if (store_open(r->url, 0, &s, &err) != VG_OK) {
		r->rc = -1;
		return NULL;
	}
	r->rc = auth_login(s, "max2", "wrong-password", r->addr, &p, &err);
	store_close(s);
	return NULL;
}

/* With one password check at a time and no wait, parallel attempts from
 * their own addresses are answered busy (VG_EBUSY) rather than queued: no
 * check runs for them, they are audited with the reason and not counted. */
static void test_login_busy(void **state)
{
	struct fx *f = *state;
	struct vg_error err;
	struct racer r[8];
	pthread_t th[8];
	char addr[8][32];
	int eauth = 0, ebusy = 0;
	uint64_t runs;

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(f->s, "max2", "psirt", "max2-password", &err), VG_OK);
	assert_int_equal(vg_config_set("auth.password_checks", "1"), VG_OK);
	assert_int_equal(vg_config_set("auth.password_wait_ms", "0"), VG_OK);
	runs = auth_kdf_runs(NULL, 0);
	for (int i = 0; i < 8; i++) {
		snprintf(addr[i], sizeof(addr[i]), "198.51.100.%d", i + 1);
		r[i].url = f->url;
		r[i].addr = addr[i];
		r[i].rc = -2;
		assert_int_equal(pthread_create(&th[i], NULL, race_login_from, &r[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		eauth += r[i].rc == VG_EAUTH;
		ebusy += r[i].rc == VG_EBUSY;
	}
	assert_int_equal(vg_config_set("auth.password_checks", "2"), VG_OK);
	assert_int_equal(vg_config_set("auth.password_wait_ms", "100"), VG_OK);
	assert_int_equal(eauth + ebusy, 8);
	assert_true(eauth >= 1);
	/* one check per 401, none per busy answer */
	assert_int_equal(auth_kdf_runs(NULL, 0), runs + (uint64_t)eauth);
	/* only the checked attempts are counted, once under each key */
	assert_int_equal(count(f->s,
			       "SELECT COALESCE(SUM(failures), 0) FROM login_attempts WHERE key "
			       "LIKE 'a:%'",
			       NULL, NULL) -
			     count(f->s,
				   "SELECT COALESCE(SUM(failures), 0) FROM login_attempts WHERE "
				   "key LIKE 'p:%'",
				   NULL, NULL),
			 0);
	assert_int_equal(count(f->s,
			       "SELECT COUNT(*) FROM audit_log WHERE action = "
			       "'auth.login_failed' AND object_id = 'max2'",
			       NULL, NULL),
			 8);
	chain_intact(f->s);
}

/* Cookies are Secure when the request came over TLS (directly or through a
 * trusted proxy), or when server.secure_cookies says so. */
static void test_cookie_secure(void **state)
{
	struct http_req req;
	char c[128];
	(void)state;

	assert_int_equal(auth_cookie(c, sizeof(c), "vigil_session", "abc", "/", 0, -1), VG_OK);
	assert_string_equal(c, "vigil_session=abc; Path=/; HttpOnly; SameSite=Strict");
	assert_int_equal(auth_cookie(c, sizeof(c), "vigil_session", "abc", "/", 1, -1), VG_OK);
	assert_string_equal(c, "vigil_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
	assert_int_equal(auth_cookie(c, sizeof(c), "vigil_session", "", "/", 1, 0), VG_OK);
	assert_string_equal(c,
			    "vigil_session=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
	assert_int_equal(auth_cookie(c, 20, "vigil_session", "abc", "/", 1, -1), VG_ETOOBIG);
	assert_string_equal(c, "");

	memset(&req, 0, sizeof(req));
	assert_int_equal(auth_cookie_secure(&req), 0);
	req.secure = 1;
	assert_int_equal(auth_cookie_secure(&req), 1);
	req.secure = 0;
	assert_int_equal(vg_config_set("server.secure_cookies", "1"), VG_OK);
	assert_int_equal(auth_cookie_secure(&req), 1);
	vg_config_free();
	assert_int_equal(auth_cookie_secure(&req), 0);
}

/* Users and tokens are listed as typed records, by name, never with a
 * secret; *_to_json() keeps the keys the API and CLI have always shown. */
static void test_lists(void **state)
{
	struct fx *f = *state;
	struct vg_error err;
	struct auth_user_list ul;
	struct auth_token_list tl;
	char tok[96];
	int exists = -1;
	json_t *j;

	vg_error_clear(&err);
	assert_int_equal(auth_user_list(f->s, &ul, &err), VG_OK);
	assert_int_equal(ul.n, 0);
	auth_user_list_release(&ul);
	assert_int_equal(auth_user_add(f->s, "zoe", "auditor", "long enough", &err), VG_OK);
	assert_int_equal(auth_user_add(f->s, "adam", "admin", "long enough", &err), VG_OK);
	assert_int_equal(auth_user_disable(f->s, "zoe", 1, &err), VG_OK);
	assert_int_equal(auth_user_exists(f->s, "zoe", &exists, &err), VG_OK);
	assert_int_equal(exists, 1);
	assert_int_equal(auth_user_exists(f->s, "Zoe", &exists, &err), VG_OK);
	assert_int_equal(exists, 0);
	assert_int_equal(auth_user_list(f->s, &ul, &err), VG_OK);
	assert_int_equal(ul.n, 2);
	assert_string_equal(ul.items[0].name, "adam");
	assert_string_equal(ul.items[0].role, "admin");
	assert_int_equal(ul.items[0].disabled, 0);
	assert_int_equal(ul.items[0].created_at, T0_SEC);
	assert_string_equal(ul.items[1].name, "zoe");
	assert_int_equal(ul.items[1].disabled, 1);
	j = auth_user_to_json(&ul.items[1]);
	assert_int_equal(json_object_size(j), 4);
	assert_string_equal(vg_json_str(j, "name"), "zoe");
	assert_string_equal(vg_json_str(j, "role"), "auditor");
	assert_string_equal(vg_json_str(j, "created_at"), T0);
	assert_int_equal(json_integer_value(json_object_get(j, "disabled")), 1);
	json_decref(j);
	auth_user_list_release(&ul);
	assert_null(ul.items);

	assert_int_equal(
	    auth_token_create(f->s, "b-tok", "ci", T0_SEC + 3600, tok, sizeof(tok), &err), VG_OK);
	assert_int_equal(auth_token_create(f->s, "a-tok", "device", 0, tok, sizeof(tok), &err),
			 VG_OK);
	assert_int_equal(auth_token_revoke(f->s, "a-tok", &err), VG_OK);
	assert_int_equal(auth_token_list(f->s, &tl, &err), VG_OK);
	assert_int_equal(tl.n, 2);
	assert_string_equal(tl.items[0].name, "a-tok");
	assert_int_equal(tl.items[0].revoked_at, T0_SEC);
	assert_int_equal(tl.items[0].expires_at, 0);
	assert_int_equal(strncmp(tl.items[0].prefix, tok, 8), 0);
	assert_string_equal(tl.items[0].created_by, "admin-cli");
	assert_string_equal(tl.items[1].name, "b-tok");
	assert_int_equal(tl.items[1].expires_at, T0_SEC + 3600);
	j = auth_token_to_json(&tl.items[0]);
	assert_int_equal(json_object_size(j), 9);
	assert_string_equal(vg_json_str(j, "role"), "device");
	assert_true(json_is_null(json_object_get(j, "products"))); /* scopes are for ci */
	assert_string_equal(tl.items[1].products, "*");            /* ci without a chosen scope */
	assert_string_equal(vg_json_str(j, "revoked_at"), T0);
	assert_true(json_is_null(json_object_get(j, "expires_at")));
	assert_true(json_is_null(json_object_get(j, "last_used_at")));
	assert_null(json_object_get(j, "token_hash"));
	{
		char *text = json_dumps(j, 0);
		assert_non_null(text);
		assert_null(strstr(text, tok + 8)); /* only the prefix is ever shown */
		free(text);
	}
	json_decref(j);
	auth_token_list_release(&tl);
	vg_wipe(tok, sizeof(tok));
}

/* The housekeeping job removes expired sessions only. */
static void test_housekeeping(void **state)
{
	struct fx *f = *state;
	struct vg_error err;
	struct vg_principal p;
	char sid[96];

	vg_error_clear(&err);
	assert_int_equal(auth_user_add(f->s, "hk", "psirt", "long enough", &err), VG_OK);
	assert_int_equal(auth_login(f->s, "hk", "long enough", "::1", &p, &err), VG_OK);
	assert_int_equal(auth_session_create(f->s, &p, "::1", sid, sizeof(sid), &err), VG_OK);
	assert_int_equal(auth_housekeeping(f->s, &err), VG_OK);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM sessions", NULL, NULL), 1);
	set_now(T0_SEC + 9 * 3600);
	assert_int_equal(auth_housekeeping(f->s, &err), VG_OK);
	assert_int_equal(count(f->s, "SELECT COUNT(*) FROM sessions", NULL, NULL), 0);
	assert_int_equal(auth_session_check(f->s, sid, &p, &err), VG_EAUTH);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_password_hash),
	    T(test_user_add),
	    T(test_user_passwd_disable),
	    T(test_tokens),
	    T(test_token_expiry),
	    T(test_sessions),
	    T(test_session_ttl_config),
	    T(test_session_disabled_user),
	    T(test_login),
	    T(test_login_rate_limit),
	    T(test_login_rate_limit_per_address),
	    T(test_login_limit_config),
	    T(test_login_same_cost),
	    T(test_login_parallel),
	    T(test_login_busy),
	    cmocka_unit_test(test_cookie_secure),
	    T(test_lists),
	    T(test_housekeeping),
	};
#undef T
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
