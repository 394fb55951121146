#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#define _POSIX_C_SOURCE 200809L
#include "auth/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "core/hash.h"
#include "core/secret.h"
#include "core/json.h"
#include "jobs/jobs.h"
#include "store/store.h"

#include <argon2.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "core/banned.h"

/* OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
#define A2_T       2
#define A2_M       19456
#define A2_P       1
#define A2_SALT    16
#define A2_HASH    32
#define A2_STR_(x) #x
#define A2_STR(x)  A2_STR_(x)

/*
 * The password checks' memory. An argon2id check holds A2_M KiB (19 MiB)
 * while it runs: at most auth.password_checks (default 2) run at once in
 * the process, whatever the number of callers and their addresses; a login
 * that finds none free within auth.password_wait_ms (default 100), or finds
 * another login already waiting, is answered busy (503) rather than queued. The memory is mapped
 * for one check and unmapped after it: from malloc, each worker thread's arena would keep its 19
 * MiB resident for good (glibc raises its mmap threshold after the first free of a block that
 * size).
 */
static pthread_mutex_t g_kdf_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_kdf_cond;
static pthread_once_t g_kdf_once = PTHREAD_ONCE_INIT;
static int g_kdf_busy;    /* checks running */
static int g_kdf_waiting; /* a bounded wait (a login) is waiting for one */

static void kdf_init(void)
{
	pthread_condattr_t a;
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&g_kdf_cond, &a);
	pthread_condattr_destroy(&a);
}

/*
 * Take a slot, waiting at most wait_ms (< 0: as long as it takes): 0, or -1
 * when none came free in time. Of the bounded waits, one at a time: a
 * waiting caller is a server worker thread that serves none of its other
 * connections meanwhile, so during a flood the rest are answered at once
 * and the threads stay free to take other clients.
 */
static int kdf_enter(int64_t wait_ms)
{
	int64_t max = vg_config_int("auth.password_checks", 2);
	struct timespec until;
	int rc = 0, waiting = 0;

	if (max < 1)
		max = 1;
	pthread_once(&g_kdf_once, kdf_init);
	clock_gettime(CLOCK_MONOTONIC, &until);
	if (wait_ms > 0) {
		until.tv_sec += (time_t)(wait_ms / 1000);
		until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&g_kdf_lock);
	while (g_kdf_busy >= max && rc == 0) {
		if (wait_ms < 0) {
			pthread_cond_wait(&g_kdf_cond, &g_kdf_lock);
		} else if (wait_ms == 0 || (!waiting && g_kdf_waiting > 0)) {
			rc = -1;
		} else {
			if (!waiting)
				g_kdf_waiting = waiting = 1;
			if (pthread_cond_timedwait(&g_kdf_cond, &g_kdf_lock, &until) == ETIMEDOUT)
				rc = g_kdf_busy >= max ? -1 : 0;
		}
	}
	if (waiting)
		g_kdf_waiting = 0;
	if (rc == 0)
		g_kdf_busy++;
	pthread_mutex_unlock(&g_kdf_lock);
	return rc;
}

static void kdf_leave(void)
{
	pthread_mutex_lock(&g_kdf_lock);
	g_kdf_busy--;
	pthread_cond_signal(&g_kdf_cond);
	pthread_mutex_unlock(&g_kdf_lock);
}

static int kdf_map(uint8_t **mem, size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return ARGON2_MEMORY_ALLOCATION_ERROR;
	*mem = p;
	return ARGON2_OK;
}

static void kdf_unmap(uint8_t *mem, size_t n)
{
	munmap(mem, n);
}

/* Decode base64 (no padding) of s up to '$' or the end into out: its length,
 * or 0 when it is not that or does not fit. */
static size_t kdf_b64(const char *s, size_t n, uint8_t *out, size_t outsz)
{
	size_t len = 0;
	unsigned char *raw = vg_base64_decode(s, n, &len);
	if (!raw)
		return 0;
	if (len > outsz)
		len = 0;
	else
		memcpy(out, raw, len);
	free(raw);
	return len;
}

/* argon2id of an encoded hash "$argon2id$v=19$m=M,t=T,p=P$salt$hash" with the
 * working memory from kdf_map: ARGON2_OK, ARGON2_VERIFY_MISMATCH, or
 * another argon2 code (ARGON2_DECODING_FAIL when it is not such a hash). */
static int kdf_verify(const char *encoded, const char *password)
{
	uint8_t salt[64], want[64], got[64];
	unsigned long v[4];
	static const char *const keys[4] = {"$argon2id$v=", "$m=", ",t=", ",p="};
	const char *p = encoded, *s, *h;
	size_t saltlen, hashlen;
	argon2_context ctx;

	for (int i = 0; i < 4; i++) {
		size_t kl = strlen(keys[i]);
		char *end;
		if (strncmp(p, keys[i], kl) != 0 || p[kl] < '0' || p[kl] > '9')
			return ARGON2_DECODING_FAIL;
		v[i] = strtoul(p + kl, &end, 10);
		if (end - (p + kl) > 9)
			return ARGON2_DECODING_FAIL;
		p = end;
	}
	/* at most 1 GiB and 16 lanes: a stored hash, but no reason to trust it blindly */
	if (*p != '$' || v[1] > (1UL << 20) || v[3] < 1 || v[3] > 16)
		return ARGON2_DECODING_FAIL;
	s = p + 1;
	h = strchr(s, '$');
	if (!h)
		return ARGON2_DECODING_FAIL;
	saltlen = kdf_b64(s, (size_t)(h - s), salt, sizeof(salt));
	hashlen = kdf_b64(h + 1, strlen(h + 1), want, sizeof(want));
	if (!saltlen || hashlen < 4)
		return ARGON2_DECODING_FAIL;
	memset(&ctx, 0, sizeof(ctx));
	ctx.out = got;
	ctx.outlen = (uint32_t)hashlen;
	ctx.pwd = (uint8_t *)(uintptr_t)password;
	ctx.pwdlen = (uint32_t)strlen(password);
	ctx.salt = salt;
	ctx.saltlen = (uint32_t)saltlen;
	ctx.t_cost = (uint32_t)v[2];
	ctx.m_cost = (uint32_t)v[1];
	ctx.lanes = ctx.threads = (uint32_t)v[3];
	ctx.version = (uint32_t)v[0];
	ctx.allocate_cbk = kdf_map;
	ctx.free_cbk = kdf_unmap;
	ctx.flags = ARGON2_DEFAULT_FLAGS;
	{
		int rc = argon2id_verify_ctx(&ctx, (const char *)want);
		vg_wipe(got, sizeof(got));
		return rc;
	}
}

/* Completed argon2id computations (a match or a mismatch: a hash that does
 * not decode computes nothing), and the cost of the last one on this thread. */
static atomic_uint_fast64_t g_kdf_runs;
static _Thread_local char g_kdf_last[48];

/* 1 when password matches encoded, 0 when not, -1 when no check slot came
 * free within wait_ms (kdf_enter). */
static int password_check(const char *encoded, const char *password, int64_t wait_ms)
{
	int rc;
	if (kdf_enter(wait_ms))
		return -1;
	rc = kdf_verify(encoded, password);
	if (rc == ARGON2_DECODING_FAIL) /* another form of argon2id hash: the library's reader */
		rc = argon2id_verify(encoded, password, strlen(password));
	kdf_leave();
	if (rc == ARGON2_OK || rc == ARGON2_VERIFY_MISMATCH) {
		/* "$argon2id$v=19$m=19456,t=2,p=1$salt$hash": keep "m=...,p=1" */
		const char *c = strstr(encoded, "$m=");
		const char *e = c ? strchr(c + 1, '$') : NULL;
		atomic_fetch_add(&g_kdf_runs, 1);
		snprintf(g_kdf_last, sizeof(g_kdf_last), "%.*s", e ? (int)(e - c - 1) : 0,
			 c ? c + 1 : "");
	}
	return rc == ARGON2_OK;
}

int auth_password_verify(const char *encoded, const char *password)
{
	return password_check(encoded, password, -1);
}

/* base64 without padding (the PHC string form argon2 writes) of n bytes,
 * appended at *o of out; -1 when it does not fit. */
static int b64_nopad(const uint8_t *p, size_t n, char *out, size_t outsz, size_t *o)
{
	char *b = vg_base64_encode(p, n);
	size_t len;
	if (!b)
		return -1;
	len = strcspn(b, "=");
	if (*o + len + 1 > outsz) {
		free(b);
		return -1;
	}
	memcpy(out + *o, b, len);
	*o += len;
	out[*o] = '\0';
	free(b);
	return 0;
}

int auth_password_hash(const char *password, char *out, size_t outsz)
{
	uint8_t salt[A2_SALT], hash[A2_HASH];
	argon2_context ctx;
	size_t o;
	int rc, w;

	if (vg_random(salt, sizeof(salt)))
		return VG_EINTERNAL;
	memset(&ctx, 0, sizeof(ctx));
	ctx.out = hash;
	ctx.outlen = sizeof(hash);
	ctx.pwd = (uint8_t *)(uintptr_t)password;
	ctx.pwdlen = (uint32_t)strlen(password);
	ctx.salt = salt;
	ctx.saltlen = sizeof(salt);
	ctx.t_cost = A2_T;
	ctx.m_cost = A2_M;
	ctx.lanes = ctx.threads = A2_P;
	ctx.version = ARGON2_VERSION_13;
	ctx.allocate_cbk = kdf_map; /* the checks' memory: mapped, then given back */
	ctx.free_cbk = kdf_unmap;
	ctx.flags = ARGON2_DEFAULT_FLAGS;
	(void)kdf_enter(-1);
	rc = argon2_ctx(&ctx, Argon2_id);
	kdf_leave();
	if (rc != ARGON2_OK)
		return VG_EINTERNAL;
	w = snprintf(out, outsz, "$argon2id$v=%d$m=%d,t=%d,p=%d$", ARGON2_VERSION_13, A2_M, A2_T,
		     A2_P);
	o = w > 0 ? (size_t)w : 0;
	rc = w < 0 || (size_t)w >= outsz || b64_nopad(salt, sizeof(salt), out, outsz, &o) ||
	     o + 2 > outsz;
	if (!rc) {
		out[o++] = '$';
		out[o] = '\0';
		rc = b64_nopad(hash, sizeof(hash), out, outsz, &o);
	}
	vg_wipe(hash, sizeof(hash));
	if (rc) {
		if (outsz)
			out[0] = '\0';
		return VG_EINTERNAL;
	}
	return VG_OK;
}

uint64_t auth_kdf_runs(char *last_cost, size_t n)
{
	if (last_cost && n)
		snprintf(last_cost, n, "%s", g_kdf_last);
	return (uint64_t)atomic_load(&g_kdf_runs);
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
		    "unknown role '%s' (expected admin, psirt, auditor, ci, device or ingest)",
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

/* ---- login throttling ----
 *
 * Failed logins are counted under two keys: the pair (account name, client
 * address) and the client address alone, never under the account alone, so
 * that nobody's failures lock its owner out from elsewhere. A key with
 * `allowed` or more failures (auth.max_failures for a pair,
 * auth.max_failures_per_address for an address) refuses the next attempt
 * until min(2^(failures - allowed + 1), auth.max_delay) seconds after the
 * last failure: 2 s, 4 s, 8 s ... A key without a failure for
 * auth.failure_window seconds starts again.
 *
 * An attempt is counted before its password is checked, by one atomic
 * UPSERT per key in one short transaction, so parallel attempts cannot slip
 * past the limit (on PostgreSQL the row lock orders them); a good login
 * takes its count back. The slow password check runs outside any
 * transaction. Keys are keyed hashes (core/secret.h, "login-addr"): the
 * table holds no clear address and no user name.
 */
struct throttle {
	int64_t now;
	int64_t forget;       /* last failures at or before this are forgotten */
	int64_t allowed_pair; /* failures without delay, per (account, address) */
	int64_t allowed_addr; /* the same per address */
	int64_t cap;          /* the longest delay, seconds */
	int64_t capbits;      /* the smallest b with 2^b >= cap */
};

static void throttle_config(struct throttle *t)
{
	int64_t window = vg_config_int("auth.failure_window", 86400);
	t->now = vg_now();
	t->forget = t->now - (window > 0 ? window : 0);
	t->allowed_pair = vg_config_int("auth.max_failures", 5);
	t->allowed_addr = vg_config_int("auth.max_failures_per_address", 20);
	t->cap = vg_config_int("auth.max_delay", 900);
	if (t->cap < 0)
		t->cap = 0;
	if (t->cap > (INT64_C(1) << 30))
		t->cap = INT64_C(1) << 30;
	for (t->capbits = 0; (INT64_C(1) << t->capbits) < t->cap; t->capbits++)
		;
}

/* The keys of one attempt: "p:" HMAC(name NUL remote), "a:" HMAC(remote). */
static int throttle_keys(const char *name, const char *remote, char kpair[80], char kaddr[80],
			 struct vg_error *err)
{
	char data[64 + 1 + 256], mac[65];
	size_t nn = strnlen(name, 64), nr = strnlen(remote, 255);
	int rc;

	memcpy(data, name, nn);
	data[nn] = '\0';
	memcpy(data + nn + 1, remote, nr);
	rc = vg_secret_mac_hex("login-addr", data, nn + 1 + nr, mac, err);
	if (!rc) {
		snprintf(kpair, 80, "p:%s", mac);
		rc = vg_secret_mac_hex("login-addr", remote, nr, mac, err);
	}
	if (!rc)
		snprintf(kaddr, 80, "a:%s", mac);
	vg_wipe(data, sizeof(data));
	return rc;
}

/* Count one attempt under key unless the key is in its delay (it has
 * `allowed` failures or more, the last one less than its delay ago):
 * *counted 1 when counted, 0 when refused. One statement, atomic on both
 * backends: on PostgreSQL the WHERE of DO UPDATE sees the row locked. Below
 * `allowed` an attempt is counted whatever its time: one that read the clock
 * a second before a parallel attempt was counted must not look delayed. */
static int throttle_count(struct store *s, const struct throttle *t, const char *key,
			  int64_t allowed, int *counted, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare_cached(
	    s,
	    "INSERT INTO login_attempts (key, window_start, failures, last_failure) "
	    "VALUES (?, ?, 1, ?) ON CONFLICT (key) DO UPDATE SET "
	    "failures = CASE WHEN login_attempts.last_failure <= ? THEN 1 "
	    "ELSE login_attempts.failures + 1 END, "
	    "window_start = CASE WHEN login_attempts.last_failure <= ? "
	    "THEN excluded.window_start ELSE login_attempts.window_start END, "
	    "last_failure = excluded.last_failure "
	    "WHERE login_attempts.last_failure <= ? OR login_attempts.failures < ? "
	    "OR excluded.last_failure >= login_attempts.last_failure + CASE "
	    "WHEN login_attempts.failures < ? THEN 0 "
	    "WHEN login_attempts.failures - ? >= ? THEN ? "
	    "ELSE 1 << CAST(login_attempts.failures - ? + 1 AS INTEGER) END "
	    "RETURNING failures",
	    &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, key);
	store_bind_int64(st, 2, t->now);
	store_bind_int64(st, 3, t->now);
	store_bind_int64(st, 4, t->forget);
	store_bind_int64(st, 5, t->forget);
	store_bind_int64(st, 6, t->forget);
	store_bind_int64(st, 7, allowed);
	store_bind_int64(st, 8, allowed);
	store_bind_int64(st, 9, allowed);
	store_bind_int64(st, 10, t->capbits - 1);
	store_bind_int64(st, 11, t->cap);
	store_bind_int64(st, 12, allowed);
	rc = store_step(st, err);
	*counted = rc == STORE_ROW;
	if (rc == STORE_ROW || rc == STORE_DONE)
		rc = VG_OK;
	store_finalize(st);
	return rc;
}

/* Count the attempt under both keys, or under neither: *limited 1 when
 * either key is in its delay. */
static int throttle_claim(struct store *s, const struct throttle *t, const char *kpair,
			  const char *kaddr, int *limited, struct vg_error *err)
{
	int pair = 0, addr = 0;
	int rc = store_tx_begin(s, err);

	*limited = 0;
	if (rc)
		return rc;
	rc = throttle_count(s, t, kpair, t->allowed_pair, &pair, err);
	if (!rc && pair)
		rc = throttle_count(s, t, kaddr, t->allowed_addr, &addr, err);
	if (!rc && !(pair && addr)) {
		*limited = 1;
		store_tx_rollback(s);
		return VG_OK;
	}
	return store_tx_end(s, rc, err);
}

/* A good login: forget the pair's failures, take back the address's count. */
static int throttle_release(struct store *s, const char *kpair, const char *kaddr,
			    struct vg_error *err)
{
	int rc = store_exec(s, err, "DELETE FROM login_attempts WHERE key = ?", "t", kpair);
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE login_attempts SET failures = failures - 1 WHERE key = ? "
				"AND failures > 0",
				"t", kaddr);
	return rc;
}

/* An encoded hash of the cost of auth_password_hash() that no password
 * matches: unknown and disabled accounts are checked against it, so that
 * they cost what a real check costs. Made once, at first use. */
static char g_dummy_hash[160];
static pthread_once_t g_dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	char pw[64];
	if (vg_random_token(pw, sizeof(pw), 32) ||
	    auth_password_hash(pw, g_dummy_hash, sizeof(g_dummy_hash)))
		g_dummy_hash[0] = '\0';
	vg_wipe(pw, sizeof(pw));
}

/* 0 (no match), or -1 when busy (password_check()). */
static int dummy_check(const char *password, int64_t wait_ms)
{
	pthread_once(&g_dummy_once, make_dummy_hash);
	if (g_dummy_hash[0])
		return password_check(g_dummy_hash, password, wait_ms) < 0 ? -1 : 0;
	/* no random numbers: a fixed, well-formed hash of the same cost */
	return password_check("$argon2id$v=19$m=" A2_STR(A2_M) ",t=" A2_STR(A2_T) ",p=" A2_STR(
				  A2_P) "$c29tZXNhbHRzb21lc2FsdA$"
					"3wdzLYM1bClDKDZdBUUBoIRBXhfTZSmvTT2dVRmdDZw",
			      password, wait_ms) < 0
		   ? -1
		   : 0;
}

/* A busy attempt ran no check: the claim on both keys is taken back. */
static int throttle_unclaim(struct store *s, const char *kpair, const char *kaddr,
			    struct vg_error *err)
{
	return store_exec(s, err,
			  "UPDATE login_attempts SET failures = failures - 1 WHERE key IN (?, ?) "
			  "AND failures > 0",
			  "tt", kpair, kaddr);
}

int auth_login(struct store *s, const char *name, const char *password, const char *remote,
	       struct vg_principal *out, struct vg_error *err)
{
	struct throttle t;
	char kpair[80], kaddr[80];
	struct store_stmt *st = NULL;
	int rc, ok = 0, disabled = 0, limited = 0, local_off = 0, busy = 0;
	int64_t wait_ms = vg_config_int("auth.password_wait_ms", 100);
	char *hash = NULL, *role = NULL;
	int64_t uid = 0;
	json_t *after;
	const char *why = "bad name or password";

	memset(out, 0, sizeof(*out));
	if (!name)
		name = "";
	if (!remote)
		remote = "";
	throttle_config(&t);
	rc = throttle_keys(name, remote, kpair, kaddr, err);
	if (!rc)
		rc = throttle_claim(s, &t, kpair, kaddr, &limited, err);
	if (rc)
		return rc;
	if (limited) {
		why = "rate limited";
	} else {
		/* read the account, then check the password outside any transaction */
		rc = store_prepare(
		    s, "SELECT id, role, password_hash, disabled FROM users WHERE name = ?", &st,
		    err);
		if (rc)
			return rc;
		store_bind_text(st, 1, name);
		rc = store_step(st, err);
		if (rc == STORE_ROW) {
			int oom = 0;
			uid = store_col_int64(st, 0);
			role = store_col_dup(st, 1, &oom);
			hash = store_col_dup(st, 2, &oom);
			disabled = store_col_int64(st, 3) != 0;
			rc = oom || !role || !hash ? vg_error_set(err, VG_ENOMEM, "out of memory")
						   : VG_OK;
		} else if (rc == STORE_DONE) {
			rc = VG_OK;
		}
		store_finalize(st);
		if (rc)
			goto out;
		/* unknown and disabled accounts cost the same as a wrong password */
		if (wait_ms < 0)
			wait_ms = 0;
		if (hash && !disabled && password)
			ok = password_check(hash, password, wait_ms);
		else
			ok = dummy_check(password ? password : "", wait_ms);
		if (ok < 0) {
			ok = 0;
			busy = 1;
			why = "busy: too many password checks at once";
		} else if (disabled) {
			why = "account disabled";
		}
		/* auth.local_login (auth_oidc_check() refuses other values):
		 * off refuses every password, admins all but the break-glass
		 * administrators' */
		if (ok && role) {
			const char *ll = vg_config_get("auth.local_login", "on");
			if (ll && (strcmp(ll, "off") == 0 ||
				   (strcmp(ll, "admins") == 0 && strcmp(role, "admin") != 0))) {
				ok = 0;
				why = "local passwords turned off (auth.local_login)";
				local_off = 1;
			}
		}
	}
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	if (ok || busy) {
		struct vg_error e = {0};
		if (ok ? throttle_release(s, kpair, kaddr, &e)
		       : throttle_unclaim(s, kpair, kaddr, &e))
			vg_warn("login attempts: cannot take back the count: %s", vg_error_msg(&e));
	}
	after = json_pack("{s:b, s:s}", "success", ok, "reason", ok ? "ok" : why);
	store_set_actor(s, *name ? name : "(anonymous)", remote);
	rc =
	    store_audit(s, ok ? "auth.login" : "auth.login_failed", "user", name, NULL, after, err);
	json_decref(after);
	rc = store_tx_end(s, rc, err);
	if (!rc && ok) {
		out->role = vg_role_parse(role);
		out->user_id = uid;
		snprintf(out->name, sizeof(out->name), "%s", name);
	}
	if (!rc && !ok)
		rc = busy ? vg_error_set(err, VG_EBUSY,
					 "too many logins at once; try again in a second")
		     : limited
			 ? vg_error_set(err, VG_ERATE, "too many failed logins; try again later")
		     : local_off ? vg_error_set(err, VG_EAUTH,
						"password login is turned off for this account "
						"(auth.local_login); use single sign-on")
				 : vg_error_set(err, VG_EAUTH, "wrong user name or password");
out:
	free(role);
	if (hash) {
		vg_wipe(hash, strlen(hash));
		free(hash);
	}
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
		    "unknown role '%s' (expected admin, psirt, auditor, ci, device or ingest)",
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
		rc = store_exec(s, err, "DELETE FROM login_attempts WHERE last_failure < ?", "i",
				now - vg_config_int("auth.failure_window", 86400));
	return rc;
}

/* clang-format off */
const struct vg_job auth_jobs[] = {
    {"housekeeping", 300, auth_housekeeping, NULL},
    {NULL, 0, NULL, NULL},
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
	return auth_user_names_role(s, 0, names, n, err);
}

int auth_user_names_role(struct store *s, int roles, char ***names, size_t *n, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	int rc = store_prepare(s, "SELECT name, role FROM users WHERE disabled = 0 ORDER BY name",
			       &st, err);
	*names = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		const char *t = store_col_text(st, 0);
		if (!t || (roles && !(vg_role_parse(store_col_text(st, 1)) & roles)))
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
