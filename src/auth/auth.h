/*
 * auth.h - who may do what: roles, users with argon2id passwords, API tokens
 * (only a SHA-256 of the token is stored), browser sessions with CSRF tokens,
 * and the failed-login rate limit.
 *
 * Rules: a secret (password, token, session id) is never stored, logged or
 * put in an audit record in clear; buffers that held one are wiped.
 */
#ifndef VIGIL_AUTH_AUTH_H
#define VIGIL_AUTH_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

/* Roles are bits so that a route can allow several. */
enum auth_role {
	ROLE_NONE = 0,
	ROLE_ADMIN = 1 << 0,
	ROLE_PSIRT = 1 << 1,
	ROLE_AUDITOR = 1 << 2,
	ROLE_CI = 1 << 3,
	ROLE_DEVICE = 1 << 4,
};
#define ROLE_PUBLIC 0x100 /* route needs no credentials */
#define ROLE_ANY    (ROLE_ADMIN | ROLE_PSIRT | ROLE_AUDITOR | ROLE_CI | ROLE_DEVICE)
/* Read access to everything: admin, psirt and the read-only auditor. */
#define ROLE_READ (ROLE_ADMIN | ROLE_PSIRT | ROLE_AUDITOR)

/* "admin" -> ROLE_ADMIN; ROLE_NONE when unknown. */
int auth_role_parse(const char *name);
const char *auth_role_name(int role);

/* Who is making a request. */
struct auth_principal {
	int role;        /* one ROLE_* bit, or ROLE_NONE for anonymous */
	char name[128];  /* user name or "token:<name>" */
	int64_t user_id; /* for sessions, else 0 */
	int via_session; /* 1 when authenticated by the browser cookie */
	char csrf[64];   /* the session's CSRF token */
};

/* argon2id encoded hash of password into out (at least 128 bytes). */
int auth_password_hash(const char *password, char *out, size_t outsz);
/* 1 when password matches the encoded hash. */
int auth_password_verify(const char *encoded, const char *password);

/* Users. auth_user_add reads nothing from the terminal; the password is given. */
int auth_user_add(struct store *s, const char *name, const char *role, const char *password,
		  struct vg_error *err);
int auth_user_passwd(struct store *s, const char *name, const char *password, struct vg_error *err);
int auth_user_disable(struct store *s, const char *name, int disabled, struct vg_error *err);
/* *exists = 1 when a user called name exists (enabled or not), else 0. */
int auth_user_exists(struct store *s, const char *name, int *exists, struct vg_error *err);
/* The names of the enabled users, by name: *names is a malloc'ed array of
 * *n malloc'ed strings, freed with auth_names_free(). */
int auth_user_names(struct store *s, char ***names, size_t *n, struct vg_error *err);
void auth_names_free(char **names, size_t n);

/*
 * Check name/password for a login from remote. Failed logins are counted
 * per user name and per address; after auth.max_failures (default 5) within
 * auth.failure_window (default 900 s) further attempts get VG_ERATE until
 * the window passes. Every attempt, good or bad, is audited.
 */
int auth_login(struct store *s, const char *name, const char *password, const char *remote,
	       struct auth_principal *out, struct vg_error *err);

/*
 * API tokens: "vgl_" + 43 base64url characters. auth_token_create writes the
 * clear token into out (at least 64 bytes) once; only its SHA-256 is stored.
 */
int auth_token_create(struct store *s, const char *name, const char *role, int64_t expires_at,
		      char *out, size_t outsz, struct vg_error *err);
int auth_token_revoke(struct store *s, const char *name, struct vg_error *err);
/* Resolve a bearer token. VG_EAUTH when unknown, revoked or expired. */
int auth_token_check(struct store *s, const char *token, struct auth_principal *out,
		     struct vg_error *err);

/* Sessions for the web UI. The session id (cookie value) is written to sid. */
int auth_session_create(struct store *s, const struct auth_principal *p, const char *remote,
			char *sid, size_t sidsz, struct vg_error *err);
int auth_session_check(struct store *s, const char *sid, struct auth_principal *out,
		       struct vg_error *err);
int auth_session_delete(struct store *s, const char *sid, struct vg_error *err);

#endif
