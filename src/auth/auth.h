/*
 * auth.h - who may do what: roles, users with argon2id passwords, API tokens
 * (only a SHA-256 of the token is stored), browser sessions with CSRF tokens,
 * and the failed-login rate limit.
 *
 * The room owns the tables users, api_tokens, sessions and login_attempts:
 * other rooms read them only through the functions below. Its edges: the
 * routes /api/v1/whoami, /users, /tokens (api_auth.c), the login and logout
 * pages (ui_auth.c), the `vigil user` and `vigil token` verbs (cmd_auth.c),
 * the web server's authenticate hook and the housekeeping job.
 *
 * Rules: a secret (password, token, session id) is never stored, logged or
 * put in an audit record in clear; buffers that held one are wiped.
 */
#ifndef VIGIL_AUTH_AUTH_H
#define VIGIL_AUTH_AUTH_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

#include "core/json.h"
#include "core/principal.h"

struct cli;
struct http_req;
struct store;
struct vg_error;

/* Roles and the principal live in core/principal.h (ROLE_*, vg_role_parse(),
 * vg_role_name(), struct vg_principal) so that the web server and every
 * route table can name them without this room. */

/* argon2id encoded hash of password into out (at least 128 bytes). */
int auth_password_hash(const char *password, char *out, size_t outsz);
/* 1 when password matches the encoded hash. */
int auth_password_verify(const char *encoded, const char *password);

/* Users. auth_user_add reads nothing from the terminal; the password is given. */
int auth_user_add(struct store *s, const char *name, const char *role, const char *password,
		  struct vg_error *err) VG_MUST_CHECK;
int auth_user_passwd(struct store *s, const char *name, const char *password,
		     struct vg_error *err) VG_MUST_CHECK;
int auth_user_disable(struct store *s, const char *name, int disabled,
		      struct vg_error *err) VG_MUST_CHECK;
/* *exists = 1 when a user called name exists (enabled or not), else 0. */
int auth_user_exists(struct store *s, const char *name, int *exists,
		     struct vg_error *err) VG_MUST_CHECK;
/* The names of the enabled users, by name: *names is a malloc'ed array of
 * *n malloc'ed strings, freed with auth_names_free(). */
int auth_user_names(struct store *s, char ***names, size_t *n, struct vg_error *err) VG_MUST_CHECK;
void auth_names_free(char **names, size_t n);
/* The same, only users whose role is one of the ROLE_* bits roles (the
 * people allowed to act on something, e.g. ROLE_ADMIN | ROLE_PSIRT). */
int auth_user_names_role(struct store *s, int roles, char ***names, size_t *n,
			 struct vg_error *err) VG_MUST_CHECK;

/* A user as listed (never the password hash). */
struct auth_user {
	int64_t id;
	char *name;
	char *role; /* "admin", "psirt", ... */
	int64_t created_at;
	int disabled; /* 1 when disabled */
};
struct auth_user_list {
	struct auth_user *items;
	size_t n;
};
/* Every user, by name. *out owned by the caller (auth_user_list_release). */
int auth_user_list(struct store *s, struct auth_user_list *out, struct vg_error *err)
    __attribute__((warn_unused_result));
void auth_user_list_release(struct auth_user_list *l);
/* {name, role, created_at (RFC 3339), disabled (0/1)}; new reference. */
json_t *auth_user_to_json(const struct auth_user *u);

/*
 * Check name/password for a login from remote (the client address). Failed
 * logins are counted per (name, address) and per address, never per account
 * alone: after auth.max_failures (default 5) failures of a pair, or
 * auth.max_failures_per_address (default 20) of an address, the next attempt
 * there gets VG_ERATE until min(2^k, auth.max_delay (default 900)) seconds
 * after the last failure, k = 1, 2, ... growing with each further failure; a
 * login from an address that has not failed is not delayed. Counts are
 * forgotten after auth.failure_window (default 86400) seconds without a
 * failure; a good login clears its pair. Unknown and disabled accounts run
 * the same password check as a wrong password. Every attempt, good, bad or
 * delayed, is audited. The counters are keyed hashes (core/secret.h).
 */
int auth_login(struct store *s, const char *name, const char *password, const char *remote,
	       struct vg_principal *out, struct vg_error *err) VG_MUST_CHECK;
/* How many argon2id computations auth_password_verify() completed in this
 * process, and the cost ("m=19456,t=2,p=1") of this thread's last one into
 * last_cost (may be NULL). For tests: every login attempt that is not
 * delayed costs exactly one, whether or not the account exists. */
uint64_t auth_kdf_runs(char *last_cost, size_t n);

/*
 * API tokens: "vgl_" + 43 base64url characters. auth_token_create writes the
 * clear token into out (at least 64 bytes) once; only its SHA-256 is stored.
 */
int auth_token_create(struct store *s, const char *name, const char *role, int64_t expires_at,
		      char *out, size_t outsz, struct vg_error *err) VG_MUST_CHECK;
/*
 * The same with a product scope: products is the comma-separated names and
 * patterns (`*`, `?`; vg_scope_canon()) the token may upload SBOMs for. A ci
 * token needs one (VG_EINVAL without: '*' must be asked for explicitly);
 * other roles take none (VG_EINVAL). auth_token_create() above gives a ci
 * token the scope '*', as every ci token made before scopes (migration 0017)
 * has: use it only where no operator chose a scope (tests).
 */
int auth_token_create_scoped(struct store *s, const char *name, const char *role,
			     const char *products, int64_t expires_at, char *out, size_t outsz,
			     struct vg_error *err) VG_MUST_CHECK;
int auth_token_revoke(struct store *s, const char *name, struct vg_error *err) VG_MUST_CHECK;

/* A token as listed (never its value or hash). Times 0 when not set. */
struct auth_token {
	char *name;
	char *role;
	char *prefix; /* the first 8 characters, to recognise it */
	int64_t created_at;
	char *created_by;
	int64_t expires_at;
	int64_t revoked_at;
	int64_t last_used_at;
	char *products; /* the product scope of a ci token ("*" when made before
			 * scopes); NULL for other roles */
};
struct auth_token_list {
	struct auth_token *items;
	size_t n;
};
/* Every token, by name. *out owned by the caller (auth_token_list_release). */
int auth_token_list(struct store *s, struct auth_token_list *out, struct vg_error *err)
    __attribute__((warn_unused_result));
void auth_token_list_release(struct auth_token_list *l);
/* {name, role, products (array of patterns, or null), prefix, created_at,
 * created_by, expires_at, revoked_at, last_used_at}, times RFC 3339 or null;
 * new reference. */
json_t *auth_token_to_json(const struct auth_token *t);
/* Resolve a bearer token. VG_EAUTH when unknown, revoked or expired. A ci
 * token's product scope goes to out->products. */
int auth_token_check(struct store *s, const char *token, struct vg_principal *out,
		     struct vg_error *err) VG_MUST_CHECK;

/* Sessions for the web UI. The session id (cookie value) is written to sid. */
int auth_session_create(struct store *s, const struct vg_principal *p, const char *remote,
			char *sid, size_t sidsz, struct vg_error *err) VG_MUST_CHECK;
int auth_session_check(struct store *s, const char *sid, struct vg_principal *out,
		       struct vg_error *err) VG_MUST_CHECK;
int auth_session_delete(struct store *s, const char *sid, struct vg_error *err) VG_MUST_CHECK;
/* Remove expired sessions and login counters older than a day (bookkeeping,
 * not evidence: the logins themselves stay in the audit trail). */
int auth_housekeeping(struct store *s, struct vg_error *err) VG_MUST_CHECK;

/* ---- edges ---- */

/* The web server's authenticate hook (http_server_opts.authenticate): a
 * Bearer token, else an X-Api-Key, else the vigil_session cookie. */
/*
 * Devices (the update room) hold credentials of their own: tokens that
 * start with "vgd_". The update room gives the check at start
 * (auth_set_device_check); the authenticate hook calls it for such tokens
 * and makes the principal "device:<id>" with role ROLE_DEVICE. Without a
 * check set, such tokens are refused like any unknown token.
 */
typedef int (*auth_device_check_fn)(struct store *s, const char *token, char id[32],
				    struct vg_error *err);
void auth_set_device_check(auth_device_check_fn fn);
void auth_http_authenticate(struct http_req *req);
/* The tables the program lists (src/app/tables.c): auth_routes (whoami,
 * users, tokens), auth_ui_routes (the login and logout pages) and auth_jobs
 * ("housekeeping"). */
/* Cookies of the login pages: "name=value; Path=path; HttpOnly;
 * SameSite=Strict", then "; Secure" when secure, then "; Max-Age=N" when
 * max_age >= 0, into out. VG_ETOOBIG when it does not fit. */
int auth_cookie(char *out, size_t outsz, const char *name, const char *value, const char *path,
		int secure, int max_age) VG_MUST_CHECK;
/* 1 when the cookies of req get Secure: req reached vigil over TLS (directly
 * or through a trusted proxy: req->secure), or server.secure_cookies is 1. */
int auth_cookie_secure(const struct http_req *req);
/*
 * Single sign-on (OpenID Connect, src/auth/oidc.h): check the oidc.* and
 * auth.local_login settings before the server starts, naming the key at
 * fault; with fetch_discovery, also fetch the provider's discovery document
 * (an issuer that does not answer refuses the start). VG_OK when single
 * sign-on is off and nothing asks for it.
 */
int auth_oidc_check(int fetch_discovery, struct vg_error *err) VG_MUST_CHECK;
/* The password_hash of a user made by single sign-on: no password matches
 * it, and single sign-on never takes over an account that has another. */
#define AUTH_SSO_HASH "!sso"
/* `vigil user ...` and `vigil token ...`. */
int cmd_user(struct cli *c, int argc, char **argv);
int cmd_token(struct cli *c, int argc, char **argv);

#endif
