#define _POSIX_C_SOURCE 200809L
#include "auth/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "core/hash.h"
#include "core/json.h"
#include "jobs/jobs.h"
#include "store/store.h"

#include <argon2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
#define A2_T    2
#define A2_M    19456
#define A2_P    1
#define A2_SALT 16
#define A2_HASH 32

int auth_password_hash(const char *password, char *out, size_t outsz)
{
	unsigned char salt[A2_SALT];
	int rc;

	if (vg_random(salt, sizeof(salt)))
		return VG_EINTERNAL;
	rc = argon2id_hash_encoded(A2_T, A2_M, A2_P, password, strlen(password), salt, sizeof(salt),
				   A2_HASH, out, outsz);
	return rc == ARGON2_OK ? VG_OK : VG_EINTERNAL;
}

int auth_password_verify(const char *encoded, const char *password)
{
	return argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}

static int check_name(const char *what, const char *name, struct vg_error *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 64)
		return vg_error_set(err, VG_EINVAL, "%s name must be 1 to 64 characters", what);
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '@'))
			return vg_error_set(
			    err, VG_EINVAL,
			    "%s name '%s': only letters, digits and - _ . @ allowed", what, name);
	return VG_OK;
}

static int check_password(const char *pw, struct vg_error *err)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < 8)
		return vg_error_set(err, VG_EINVAL, "password must have at least 8 characters");
	if (n > 1024)
		return vg_error_set(err, VG_EINVAL, "password longer than 1024 characters");
	return VG_OK;
}

int auth_user_add(struct store *s, const char *name, const char *role, const char *password,
		  struct vg_error *err)
{
	char hash[160];
	int rc;
	json_t *after;

	rc = check_name("user", name, err);
	if (rc)
		return rc;
	if (vg_role_parse(role) == ROLE_NONE)
		return vg_error_set(
		    err, VG_EINVAL,
		    "unknown role '%s' (expected admin, psirt, auditor, ci or device)",
		    role ? role : "");
	rc = check_password(password, err);
	if (rc)
		return rc;
	if (auth_password_hash(password, hash, sizeof(hash)))
		return vg_error_set(err, VG_EINTERNAL, "cannot hash password");
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_exec(
	    s, err, "INSERT INTO users (name, role, password_hash, created_at) VALUES (?,?,?,?)",
	    "ttti", name, role, hash, vg_now());
	if (rc == VG_EEXIST)
		vg_error_set(err, rc, "user '%s' already exists", name);
	after = json_pack("{s:s, s:s}", "name", name, "role", role);
	if (!rc)
		rc = store_audit(s, "user.create", "user", name, NULL, after, err);
	json_decref(after);
	vg_wipe(hash, sizeof(hash));
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

int auth_user_passwd(struct store *s, const char *name, const char *password, struct vg_error *err)
{
	char hash[160];
	int rc;
	struct store_stmt *st = NULL;

	rc = check_password(password, err);
	if (rc)
		return rc;
	if (auth_password_hash(password, hash, sizeof(hash)))
		return vg_error_set(err, VG_EINTERNAL, "cannot hash password");
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_prepare(s, "UPDATE users SET password_hash = ? WHERE name = ?", &st, err);
	if (!rc) {
		store_bind_text(st, 1, hash);
		store_bind_text(st, 2, name);
		rc = store_step(st, err);
		rc = rc == STORE_DONE ? (store_changes(st) ? VG_OK : VG_ENOTFOUND) : rc;
		store_finalize(st);
	}
	if (rc == VG_ENOTFOUND)
		vg_error_set(err, rc, "no user '%s'", name);
	if (!rc)
		rc = store_audit(s, "user.password", "user", name, NULL, NULL, err);
	if (!rc)
		rc = store_exec(s, err,
				"DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE "
				"name = ?)",
				"t", name);
	vg_wipe(hash, sizeof(hash));
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

int auth_user_disable(struct store *s, const char *name, int disabled, struct vg_error *err)
{
	int rc;
	int64_t before = 0;
	json_t *b, *a;

	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &before, err, "SELECT disabled FROM users WHERE name = ?", "t",
			       name);
	if (rc == VG_ENOTFOUND)
		vg_error_set(err, rc, "no user '%s'", name);
	if (!rc)
		rc = store_exec(s, err, "UPDATE users SET disabled = ? WHERE name = ?", "it",
				(int64_t)disabled, name);
	if (!rc && disabled)
		rc = store_exec(s, err,
				"DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE "
				"name = ?)",
				"t", name);
	b = json_pack("{s:b}", "disabled", (int)before);
	a = json_pack("{s:b}", "disabled", disabled);
	if (!rc)
		rc = store_audit(s, disabled ? "user.disable" : "user.enable", "user", name, b, a,
				 err);
	json_decref(b);
	json_decref(a);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

/* ---- login rate limit ---- */

static int limited(struct store *s, const char *key, int64_t now, int64_t window, int64_t max)
{
	int64_t start = 0, fails = 0;
	struct store_stmt *st;
	int limitp = 0;

	if (store_prepare(s, "SELECT window_start, failures FROM login_attempts WHERE key = ?", &st,
			  NULL))
		return 0;
	store_bind_text(st, 1, key);
	if (store_step(st, NULL) == STORE_ROW) {
		start = store_col_int64(st, 0);
		fails = store_col_int64(st, 1);
		limitp = now - start < window && fails >= max;
	}
	store_finalize(st);
	return limitp;
}

static void note_failure(struct store *s, const char *key, int64_t now, int64_t window)
{
	struct vg_error e = {0};
	int64_t start = 0;
	int rc;
	if (store_query_int64(s, &start, NULL,
			      "SELECT window_start FROM login_attempts WHERE key = ?", "t",
			      key) == VG_OK) {
		if (now - start >= window)
			rc = store_exec(
			    s, &e,
			    "UPDATE login_attempts SET window_start = ?, failures = 1 WHERE "
			    "key = ?",
			    "it", now, key);
		else
			rc = store_exec(
			    s, &e,
			    "UPDATE login_attempts SET failures = failures + 1 WHERE key = ?", "t",
			    key);
	} else {
		rc = store_exec(
		    s, &e,
		    "INSERT INTO login_attempts (key, window_start, failures) VALUES (?,?,1)", "ti",
		    key, now);
	}
	/* the login is refused either way; only the rate limit loses a count */
	if (rc)
		vg_warn("login attempts: cannot count a failure: %s", vg_error_msg(&e));
}

int auth_login(struct store *s, const char *name, const char *password, const char *remote,
	       struct vg_principal *out, struct vg_error *err)
{
	int64_t now = vg_now();
	int64_t window = vg_config_int("auth.failure_window", 900);
	int64_t max = vg_config_int("auth.max_failures", 5);
	char kuser[160], kaddr[160];
	struct store_stmt *st = NULL;
	int rc, ok = 0, disabled = 0;
	char *hash = NULL, *role = NULL;
	int64_t uid = 0;
	json_t *after;
	const char *why = "bad name or password";

	memset(out, 0, sizeof(*out));
	snprintf(kuser, sizeof(kuser), "user:%s", name ? name : "");
	snprintf(kaddr, sizeof(kaddr), "addr:%s", remote ? remote : "");
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	if (limited(s, kuser, now, window, max) || limited(s, kaddr, now, window, max)) {
		why = "rate limited";
		rc = VG_ERATE;
	} else {
		rc = store_prepare(
		    s, "SELECT id, role, password_hash, disabled FROM users WHERE name = ?", &st,
		    err);
		if (rc)
			goto out;
		store_bind_text(st, 1, name ? name : "");
		if (store_step(st, err) == STORE_ROW) {
			uid = store_col_int64(st, 0);
			role = strdup(store_col_text(st, 1));
			hash = strdup(store_col_text(st, 2));
			disabled = (int)store_col_int64(st, 3);
		}
		store_finalize(st);
		if (hash && !disabled && password && auth_password_verify(hash, password))
			ok = 1;
		else if (!hash && password)
			/* spend the same time as a real check so names cannot be probed */
			auth_password_verify("$argon2id$v=19$m=19456,t=2,p=1$"
					     "c29tZXNhbHRzb21lc2FsdA$"
					     "3wdzLYM1bClDKDZdBUUBoIRBXhfTZSmvTT2dVRmdDZw",
					     password);
		if (disabled)
			why = "account disabled";
		rc = ok ? VG_OK : VG_EAUTH;
	}
	if (!ok && rc != VG_ERATE) {
		note_failure(s, kuser, now, window);
		note_failure(s, kaddr, now, window);
	} else if (ok) {
		struct vg_error e = {0};
		if (store_exec(s, &e, "DELETE FROM login_attempts WHERE key = ?", "t", kuser))
			vg_warn("login attempts: cannot reset the count: %s", vg_error_msg(&e));
	}
	after = json_pack("{s:b, s:s}", "success", ok, "reason", ok ? "ok" : why);
	store_set_actor(s, name && *name ? name : "(anonymous)", remote);
	{
		struct vg_error aerr;
		int arc = store_audit(s, ok ? "auth.login" : "auth.login_failed", "user",
				      name ? name : "", NULL, after, &aerr);
		if (arc) {
			rc = arc;
			if (err)
				*err = aerr;
		}
	}
	json_decref(after);
	if (ok && rc == VG_OK) {
		out->role = vg_role_parse(role);
		out->user_id = uid;
		snprintf(out->name, sizeof(out->name), "%s", name);
	}
out:
	free(role);
	if (hash) {
		vg_wipe(hash, strlen(hash));
		free(hash);
	}
	if (rc == VG_OK || rc == VG_EAUTH || rc == VG_ERATE) {
		int crc = store_tx_commit(s, err);
		if (crc)
			return crc;
	} else {
		store_tx_rollback(s);
	}
	if (rc == VG_EAUTH)
		return vg_error_set(err, rc, "wrong user name or password");
	if (rc == VG_ERATE)
		return vg_error_set(err, rc, "too many failed logins; try again later");
	return rc;
}

/* ---- tokens ---- */

int auth_token_create(struct store *s, const char *name, const char *role, int64_t expires_at,
		      char *out, size_t outsz, struct vg_error *err)
{
	return auth_token_create_scoped(s, name, role, vg_role_parse(role) == ROLE_CI ? "*" : NULL,
					expires_at, out, outsz, err);
}

int auth_token_create_scoped(struct store *s, const char *name, const char *role,
			     const char *products, int64_t expires_at, char *out, size_t outsz,
			     struct vg_error *err)
{
	char raw[64], hash[VG_SHA256_HEX], prefix[16], scope[VG_SCOPE_MAX];
	int rc;
	json_t *after;

	rc = check_name("token", name, err);
	if (rc)
		return rc;
	if (vg_role_parse(role) == ROLE_NONE)
		return vg_error_set(
		    err, VG_EINVAL,
		    "unknown role '%s' (expected admin, psirt, auditor, ci or device)",
		    role ? role : "");
	if (vg_role_parse(role) == ROLE_CI && !products)
		return vg_error_set(err, VG_EINVAL,
				    "a ci token needs a product scope: --product P[,Q] (names or "
				    "patterns such as acme-*), or --product '*' for every product");
	if (vg_role_parse(role) != ROLE_CI && products)
		return vg_error_set(err, VG_EINVAL,
				    "a product scope applies to ci tokens only (role '%s' given)",
				    role);
	if (products && vg_scope_canon(products, scope, sizeof(scope)))
		return vg_error_set(err, VG_EINVAL, "product scope: %s", scope);
	if (outsz < 48 + 5 || vg_random_token(raw, sizeof(raw), 32))
		return vg_error_set(err, VG_EINTERNAL, "cannot make a token");
	snprintf(out, outsz, "vgl_%s", raw);
	vg_sha256_hex(out, strlen(out), hash);
	snprintf(prefix, sizeof(prefix), "%.8s", out);
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	rc = store_exec(s, err,
			"INSERT INTO api_tokens (name, role, token_hash, prefix, created_at, "
			"created_by, expires_at, products) VALUES (?,?,?,?,?,?,?,?)",
			"ttttittt", name, role, hash, prefix, vg_now(), store_actor(s), NULL,
			products ? scope : NULL);
	if (!rc && expires_at)
		rc = store_exec(s, err, "UPDATE api_tokens SET expires_at = ? WHERE name = ?", "it",
				expires_at, name);
	if (rc == VG_EEXIST)
		vg_error_set(err, rc, "a token named '%s' already exists", name);
	after = json_pack("{s:s, s:s, s:s, s:s?}", "name", name, "role", role, "prefix", prefix,
			  "products", products ? scope : NULL);
	if (!rc)
		rc = store_audit(s, "token.create", "token", name, NULL, after, err);
	json_decref(after);
	if (rc) {
		store_tx_rollback(s);
		goto out;
	}
	rc = store_tx_commit(s, err);
out:
	vg_wipe(raw, sizeof(raw));
	if (rc)
		vg_wipe(out, outsz);
	return rc;
}

int auth_token_revoke(struct store *s, const char *name, struct vg_error *err)
{
	int rc;
	struct store_stmt *st = NULL;
	json_t *after;

	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_prepare(s,
			   "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS "
			   "NULL",
			   &st, err);
	if (!rc) {
		store_bind_int64(st, 1, vg_now());
		store_bind_text(st, 2, name);
		rc = store_step(st, err);
		rc = rc == STORE_DONE ? (store_changes(st) ? VG_OK : VG_ENOTFOUND) : rc;
		store_finalize(st);
	}
	if (rc == VG_ENOTFOUND)
		vg_error_set(err, rc, "no active token named '%s'", name);
	after = json_pack("{s:b}", "revoked", 1);
	if (!rc)
		rc = store_audit(s, "token.revoke", "token", name, NULL, after, err);
	json_decref(after);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

int auth_token_check(struct store *s, const char *token, struct vg_principal *out,
		     struct vg_error *err)
{
	char hash[VG_SHA256_HEX];
	struct store_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) > 200)
		return vg_error_set(err, VG_EAUTH, "invalid token");
	vg_sha256_hex(token, strlen(token), hash);
	rc = store_prepare(s,
			   "SELECT name, role, revoked_at, expires_at, products FROM api_tokens "
			   "WHERE token_hash = ?",
			   &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, hash);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		int64_t exp = store_col_int64(st, 3);
		if (!store_col_isnull(st, 2) || (!store_col_isnull(st, 3) && exp <= vg_now())) {
			rc = vg_error_set(err, VG_EAUTH, "token revoked or expired");
		} else {
			snprintf(out->name, sizeof(out->name), "token:%s", store_col_text(st, 0));
			out->role = vg_role_parse(store_col_text(st, 1));
			/* a ci token made before scopes (products NULL) has every product */
			if (out->role == ROLE_CI)
				snprintf(out->products, sizeof(out->products), "%s",
					 store_col_isnull(st, 4) ? "*" : store_col_text(st, 4));
			rc = VG_OK;
		}
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_EAUTH, "invalid token");
	}
	store_finalize(st);
	return rc;
}

/* ---- sessions ---- */

int auth_session_create(struct store *s, const struct vg_principal *p, const char *remote,
			char *sid, size_t sidsz, struct vg_error *err)
{
	char hash[VG_SHA256_HEX], csrf[64];
	int64_t now = vg_now(), ttl = vg_config_int("auth.session_ttl", 8 * 3600);
	int rc;

	if (vg_random_token(sid, sidsz, 32) || vg_random_token(csrf, sizeof(csrf), 24))
		return vg_error_set(err, VG_EINTERNAL, "cannot make a session");
	vg_sha256_hex(sid, strlen(sid), hash);
	rc = store_exec(s, err,
			"INSERT INTO sessions (token_hash, user_id, csrf, remote, created_at, "
			"expires_at) VALUES (?,?,?,?,?,?)",
			"tittii", hash, p->user_id, csrf, remote ? remote : "", now, now + ttl);
	return rc;
}

int auth_session_check(struct store *s, const char *sid, struct vg_principal *out,
		       struct vg_error *err)
{
	char hash[VG_SHA256_HEX];
	struct store_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!sid || strlen(sid) > 100)
		return vg_error_set(err, VG_EAUTH, "invalid session");
	vg_sha256_hex(sid, strlen(sid), hash);
	rc = store_prepare(s,
			   "SELECT u.id, u.name, u.role, s.csrf, s.expires_at, u.disabled FROM "
			   "sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
			   &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, hash);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		if (store_col_int64(st, 4) <= vg_now() || store_col_int64(st, 5)) {
			rc = vg_error_set(err, VG_EAUTH, "session expired");
		} else {
			out->user_id = store_col_int64(st, 0);
			snprintf(out->name, sizeof(out->name), "%s", store_col_text(st, 1));
			out->role = vg_role_parse(store_col_text(st, 2));
			snprintf(out->csrf, sizeof(out->csrf), "%s", store_col_text(st, 3));
			out->via_session = 1;
			rc = VG_OK;
		}
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_EAUTH, "invalid session");
	}
	store_finalize(st);
	return rc;
}

int auth_session_delete(struct store *s, const char *sid, struct vg_error *err)
{
	char hash[VG_SHA256_HEX];
	vg_sha256_hex(sid, strlen(sid), hash);
	return store_exec(s, err, "DELETE FROM sessions WHERE token_hash = ?", "t", hash);
}

int auth_housekeeping(struct store *s, struct vg_error *err)
{
	int64_t now = vg_now();
	int rc = store_exec(s, err, "DELETE FROM sessions WHERE expires_at <= ?", "i", now);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM login_attempts WHERE window_start < ?", "i",
				now - 86400);
	return rc;
}

/* clang-format off */
const struct vg_job auth_jobs[] = {
    {"housekeeping", 300, auth_housekeeping},
    {NULL, 0, NULL},
};
/* clang-format on */

/* ---- listing ---- */

void auth_user_list_release(struct auth_user_list *l)
{
	for (size_t i = 0; l && i < l->n; i++) {
		free(l->items[i].name);
		free(l->items[i].role);
	}
	if (l) {
		free(l->items);
		l->items = NULL;
		l->n = 0;
	}
}

int auth_user_list(struct store *s, struct auth_user_list *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int rc, oom = 0;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(
	    s, "SELECT id, name, role, created_at, disabled FROM users ORDER BY name", &st, err);
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct auth_user *u;
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct auth_user *v = realloc(out->items, ncap * sizeof(*v));
			if (!v) {
				oom = 1;
				break;
			}
			out->items = v;
			cap = ncap;
		}
		u = &out->items[out->n++];
		memset(u, 0, sizeof(*u));
		u->id = store_col_int64(st, 0);
		u->name = store_col_dup(st, 1, &oom);
		u->role = store_col_dup(st, 2, &oom);
		u->created_at = store_col_int64_or(st, 3, 0);
		u->disabled = store_col_int64(st, 4) != 0;
		if (oom)
			break;
	}
	store_finalize(st);
	if (oom)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	else if (rc == STORE_DONE)
		rc = VG_OK;
	if (rc)
		auth_user_list_release(out);
	return rc;
}

int auth_user_exists(struct store *s, const char *name, int *exists, struct vg_error *err)
{
	int64_t n = 0;
	int rc = store_query_int64(s, &n, err, "SELECT COUNT(*) FROM users WHERE name = ?", "t",
				   name ? name : "");
	*exists = !rc && n > 0;
	return rc;
}

json_t *auth_user_to_json(const struct auth_user *u)
{
	json_t *o = json_object();
	vg_json_set_str(o, "name", u->name);
	vg_json_set_str(o, "role", u->role);
	json_object_set_new(o, "created_at", vg_json_time(u->created_at));
	json_object_set_new(o, "disabled", json_integer(u->disabled));
	return o;
}

void auth_token_list_release(struct auth_token_list *l)
{
	for (size_t i = 0; l && i < l->n; i++) {
		free(l->items[i].name);
		free(l->items[i].role);
		free(l->items[i].prefix);
		free(l->items[i].created_by);
		free(l->items[i].products);
	}
	if (l) {
		free(l->items);
		l->items = NULL;
		l->n = 0;
	}
}

int auth_token_list(struct store *s, struct auth_token_list *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int rc, oom = 0;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(s,
			   "SELECT name, role, prefix, created_at, created_by, expires_at, "
			   "revoked_at, last_used_at, products FROM api_tokens ORDER BY name",
			   &st, err);
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct auth_token *t;
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct auth_token *v = realloc(out->items, ncap * sizeof(*v));
			if (!v) {
				oom = 1;
				break;
			}
			out->items = v;
			cap = ncap;
		}
		t = &out->items[out->n++];
		memset(t, 0, sizeof(*t));
		t->name = store_col_dup(st, 0, &oom);
		t->role = store_col_dup(st, 1, &oom);
		t->prefix = store_col_dup(st, 2, &oom);
		t->created_at = store_col_int64_or(st, 3, 0);
		t->created_by = store_col_dup(st, 4, &oom);
		t->expires_at = store_col_int64_or(st, 5, 0);
		t->revoked_at = store_col_int64_or(st, 6, 0);
		t->last_used_at = store_col_int64_or(st, 7, 0);
		if (vg_role_parse(t->role) == ROLE_CI)
			t->products =
			    store_col_isnull(st, 8) ? strdup("*") : store_col_dup(st, 8, &oom);
		if (vg_role_parse(t->role) == ROLE_CI && !t->products)
			oom = 1;
		if (oom)
			break;
	}
	store_finalize(st);
	if (oom)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	else if (rc == STORE_DONE)
		rc = VG_OK;
	if (rc)
		auth_token_list_release(out);
	return rc;
}

json_t *auth_token_to_json(const struct auth_token *t)
{
	json_t *o = json_object();
	vg_json_set_str(o, "name", t->name);
	vg_json_set_str(o, "role", t->role);
	if (t->products) {
		json_t *arr = json_array();
		const char *p = t->products;
		while (*p) {
			size_t n = strcspn(p, ",");
			json_array_append_new(arr, json_stringn(p, n));
			p += n;
			if (*p == ',')
				p++;
		}
		json_object_set_new(o, "products", arr);
	} else {
		json_object_set_new(o, "products", json_null());
	}
	vg_json_set_str(o, "prefix", t->prefix);
	json_object_set_new(o, "created_at", vg_json_time(t->created_at));
	vg_json_set_str(o, "created_by", t->created_by);
	json_object_set_new(o, "expires_at", vg_json_time(t->expires_at));
	json_object_set_new(o, "revoked_at", vg_json_time(t->revoked_at));
	json_object_set_new(o, "last_used_at", vg_json_time(t->last_used_at));
	return o;
}

void auth_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int auth_user_names(struct store *s, char ***names, size_t *n, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	int rc =
	    store_prepare(s, "SELECT name FROM users WHERE disabled = 0 ORDER BY name", &st, err);
	*names = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		const char *t = store_col_text(st, 0);
		if (!t)
			continue;
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			v = nv;
			cap = nc;
		}
		if (!(v[cnt] = strdup(t))) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		cnt++;
	}
	store_finalize(st);
	if (rc != STORE_DONE) {
		auth_names_free(v, cnt);
		return rc;
	}
	*names = v;
	*n = cnt;
	return VG_OK;
}
