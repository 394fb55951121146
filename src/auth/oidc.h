/*
 * oidc.h - OpenID Connect single sign-on for the web UI (the auth room's
 * own header; other rooms use auth.h).
 *
 * The pure part (oidc.c, fuzzed by tests/fuzz/fuzz_oidc.c) reads what the
 * provider sends: its discovery document, its JWKS and the ID token, and
 * checks the token as OpenID Connect Core 1.0 section 3.1.3.7 asks: the
 * signature against the provider's keys (RS256/384/512, ES256/384 through
 * OpenSSL; "none" and HMAC refused), iss equal to the configured issuer,
 * aud holding the client id (azp too when present), exp and iat within the
 * bounded clock skew, the nonce of this login. Every refusal names the
 * claim or member at fault.
 *
 * The edges (ui_oidc.c): GET /ui/login/sso starts the authorization code
 * flow with PKCE (S256), GET /ui/oidc/callback finishes it, and
 * auth_oidc_check() (auth.h) refuses bad oidc.* settings at start.
 */
#ifndef VIGIL_AUTH_OIDC_H
#define VIGIL_AUTH_OIDC_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct http_req;
struct http_resp;
struct vg_error;

/* Longest ID token, discovery document or JWKS read (bytes). */
#define OIDC_MAX_DOC (1024 * 1024)

/* What vigil needs of the discovery document. */
struct oidc_provider {
	char *issuer;
	char *authorization_endpoint;
	char *token_endpoint;
	char *jwks_uri;
};
/* Parse a discovery document (n bytes of JSON): issuer must equal the
 * configured issuer exactly (OpenID Connect Discovery 4.3), the three
 * endpoints must be http(s) URLs, and code_challenge_methods_supported, when
 * present, must hold S256. */
int oidc_discovery_parse(const char *data, size_t n, const char *issuer, struct oidc_provider *out,
			 struct vg_error *err) VG_MUST_CHECK;
void oidc_provider_free(struct oidc_provider *p);

/* What an ID token must satisfy. */
struct oidc_expect {
	const char *issuer;
	const char *client_id;
	const char *nonce;      /* this login's nonce */
	const char *role_claim; /* the claim holding the groups ("groups") */
	const char *user_claim; /* the claim naming the user ("preferred_username") */
	int64_t now;
	int64_t skew;    /* seconds of clock difference tolerated */
	int64_t max_age; /* iat older than now - max_age - skew is refused */
};
/* What vigil takes from a good ID token. */
struct oidc_claims {
	char sub[256];
	char user[128]; /* user_claim, else sub */
	char **groups;  /* the role claim's strings */
	size_t ngroups;
};
/* Verify the compact JWS jwt against the JWKS jwks (jwks_len bytes) and the
 * expectations; fill out (oidc_claims_free). */
int oidc_id_token_verify(const char *jwt, const char *jwks, size_t jwks_len,
			 const struct oidc_expect *x, struct oidc_claims *out,
			 struct vg_error *err) VG_MUST_CHECK;
void oidc_claims_free(struct oidc_claims *c);
/* The claim checks of oidc_id_token_verify() alone, on the claims set
 * (n bytes of JSON) of a token whose signature was checked (and for the
 * fuzzer). */
int oidc_claims_check(const char *data, size_t n, const struct oidc_expect *x,
		      struct oidc_claims *out, struct vg_error *err) VG_MUST_CHECK;

/*
 * The role of groups under the map "group:role,group:role" (oidc.role_map;
 * roles admin, psirt or auditor): the most privileged role any of groups
 * maps to (admin, then psirt, then auditor), ROLE_NONE when none. A bad map
 * is VG_EINVAL naming oidc.role_map and the pair.
 */
int oidc_role_map(const char *map, char *const *groups, size_t ngroups, int *role,
		  struct vg_error *err) VG_MUST_CHECK;

/* The PKCE S256 challenge of verifier: base64url(SHA-256(verifier)), no
 * padding, into out (at least 44 bytes). */
int oidc_pkce_challenge(const char *verifier, char *out, size_t outsz) VG_MUST_CHECK;

/* The routes (ui_oidc.c), listed in auth_ui_routes. */
int oidc_login_start(struct http_req *req, struct http_resp *resp);
int oidc_callback(struct http_req *req, struct http_resp *resp);
/* 1 when oidc.issuer is set. */
int oidc_enabled(void);

#endif
