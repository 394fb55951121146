/*
 * oidc.c - the pure part of single sign-on: discovery documents, JWKS and
 * ID tokens as the provider sends them (outside input: every field is
 * checked; fuzzed by tests/fuzz/fuzz_oidc.c). No network, no database.
 */
#define _POSIX_C_SOURCE 200809L
#include "auth/oidc.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/principal.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define JWT_MAX (64 * 1024)

void oidc_provider_free(struct oidc_provider *p)
{
	if (!p)
		return;
	free(p->issuer);
	free(p->authorization_endpoint);
	free(p->token_endpoint);
	free(p->jwks_uri);
	memset(p, 0, sizeof(*p));
}

static int is_http_url(const char *s)
{
	return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) &&
	       strlen(s) < 2048 && !strpbrk(s, " \t\r\n\"<>");
}

static int take_url(json_t *doc, const char *member, char **out, struct vg_error *err)
{
	const char *v = json_string_value(json_object_get(doc, member));
	if (!v)
		return vg_error_set(err, VG_EINVAL,
				    "discovery document: member %s missing or not a string",
				    member);
	if (!is_http_url(v))
		return vg_error_set(err, VG_EINVAL,
				    "discovery document: member %s is not an http(s) URL", member);
	*out = strdup(v);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

int oidc_discovery_parse(const char *data, size_t n, const char *issuer, struct oidc_provider *out,
			 struct vg_error *err)
{
	json_t *doc, *m;
	const char *iss;
	int rc;

	memset(out, 0, sizeof(*out));
	if (n > OIDC_MAX_DOC)
		return vg_error_set(err, VG_EINVAL, "discovery document larger than %d bytes",
				    OIDC_MAX_DOC);
	doc = vg_json_parse(data, n, "discovery document", err);
	if (!doc)
		return VG_EINVAL;
	if (!json_is_object(doc)) {
		json_decref(doc);
		return vg_error_set(err, VG_EINVAL, "discovery document: expected a JSON object");
	}
	iss = json_string_value(json_object_get(doc, "issuer"));
	if (!iss) {
		json_decref(doc);
		return vg_error_set(err, VG_EINVAL,
				    "discovery document: member issuer missing or not a string");
	}
	if (!issuer || strcmp(iss, issuer) != 0) {
		rc = vg_error_set(err, VG_EINVAL,
				  "discovery document: issuer '%.200s' is not oidc.issuer '%.200s'",
				  iss, issuer ? issuer : "");
		json_decref(doc);
		return rc;
	}
	m = json_object_get(doc, "code_challenge_methods_supported");
	if (m) {
		size_t i;
		json_t *v;
		int s256 = 0;
		json_array_foreach(m, i, v) if (json_is_string(v) &&
						strcmp(json_string_value(v), "S256") == 0) s256 = 1;
		if (!s256) {
			json_decref(doc);
			return vg_error_set(err, VG_EINVAL,
					    "discovery document: code_challenge_methods_supported "
					    "lacks S256 (PKCE)");
		}
	}
	out->issuer = strdup(iss);
	rc = out->issuer ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!rc)
		rc = take_url(doc, "authorization_endpoint", &out->authorization_endpoint, err);
	if (!rc)
		rc = take_url(doc, "token_endpoint", &out->token_endpoint, err);
	if (!rc)
		rc = take_url(doc, "jwks_uri", &out->jwks_uri, err);
	json_decref(doc);
	if (rc)
		oidc_provider_free(out);
	return rc;
}

void oidc_claims_free(struct oidc_claims *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ngroups; i++)
		free(c->groups[i]);
	free(c->groups);
	c->groups = NULL;
	c->ngroups = 0;
}

/* ---- keys ---- */

struct alg {
	const char *name;
	const char *kty;
	const char *curve; /* EC: the JWK crv */
	const char *ossl_curve;
	int bits;        /* SHA-2 size */
	size_t sig_half; /* EC: bytes of r and of s */
};
static const struct alg g_algs[] = {
    {"RS256", "RSA", NULL, NULL, 256, 0},           {"RS384", "RSA", NULL, NULL, 384, 0},
    {"RS512", "RSA", NULL, NULL, 512, 0},           {"ES256", "EC", "P-256", "prime256v1", 256, 32},
    {"ES384", "EC", "P-384", "secp384r1", 384, 48},
};

static const EVP_MD *alg_md(const struct alg *a)
{
	return a->bits == 256 ? EVP_sha256() : a->bits == 384 ? EVP_sha384() : EVP_sha512();
}

/* base64url member of a JWK, decoded; NULL when absent or not base64url. */
static unsigned char *jwk_bytes(json_t *jwk, const char *member, size_t *n)
{
	const char *s = json_string_value(json_object_get(jwk, member));
	size_t len;
	if (!s || !*s)
		return NULL;
	len = strlen(s);
	if (len > 4096 ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != len)
		return NULL;
	return vg_base64_decode(s, len, n);
}

static EVP_PKEY *pkey_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = params ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
	if (ctx && EVP_PKEY_fromdata_init(ctx) == 1)
		if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
			pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

static int jwk_key(json_t *jwk, const struct alg *a, EVP_PKEY **out, struct vg_error *err)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	unsigned char *p1 = NULL, *p2 = NULL, *pt = NULL;
	size_t n1 = 0, n2 = 0;
	BIGNUM *bn = NULL, *be = NULL;
	int rc = VG_OK;

	*out = NULL;
	if (!bld)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (strcmp(a->kty, "RSA") == 0) {
		p1 = jwk_bytes(jwk, "n", &n1);
		p2 = jwk_bytes(jwk, "e", &n2);
		if (!p1 || !p2 || n1 < 256 || n1 > 1024 || n2 > 8) {
			rc = vg_error_set(err, VG_EINVAL,
					  "JWKS: the RSA key has no usable n and e (2048 to 8192 "
					  "bits expected)");
			goto out;
		}
		bn = BN_bin2bn(p1, (int)n1, NULL);
		be = BN_bin2bn(p2, (int)n2, NULL);
		if (!bn || !be || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be)) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
		*out = pkey_from_params("RSA", bld);
	} else {
		const char *crv = json_string_value(json_object_get(jwk, "crv"));
		if (!crv || strcmp(crv, a->curve) != 0) {
			rc = vg_error_set(err, VG_EINVAL, "JWKS: the EC key's crv is not %s for %s",
					  a->curve, a->name);
			goto out;
		}
		p1 = jwk_bytes(jwk, "x", &n1);
		p2 = jwk_bytes(jwk, "y", &n2);
		if (!p1 || !p2 || n1 != a->sig_half || n2 != a->sig_half) {
			rc = vg_error_set(err, VG_EINVAL,
					  "JWKS: the EC key's x and y are not %zu bytes each",
					  a->sig_half);
			goto out;
		}
		pt = malloc(1 + 2 * a->sig_half);
		if (!pt) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
		pt[0] = 0x04;
		memcpy(pt + 1, p1, n1);
		memcpy(pt + 1 + n1, p2, n2);
		if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, a->ossl_curve,
						     0) ||
		    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt,
						      1 + 2 * a->sig_half)) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
		*out = pkey_from_params("EC", bld);
	}
	if (!*out)
		rc = vg_error_set(err, VG_EINVAL, "JWKS: the %s key is not a valid public key",
				  a->kty);
out:
	BN_free(bn);
	BN_free(be);
	free(p1);
	free(p2);
	free(pt);
	OSSL_PARAM_BLD_free(bld);
	return rc;
}

/* The key of the JWKS that signed a token with header kid (may be NULL)
 * and algorithm a. */
static int find_key(json_t *jwks, const char *kid, const struct alg *a, EVP_PKEY **out,
		    struct vg_error *err)
{
	json_t *keys = json_object_get(jwks, "keys"), *k, *found = NULL;
	size_t i, matches = 0;

	if (!json_is_array(keys))
		return vg_error_set(err, VG_EINVAL, "JWKS: member keys missing or not an array");
	json_array_foreach(keys, i, k)
	{
		const char *kty = json_string_value(json_object_get(k, "kty"));
		const char *use = json_string_value(json_object_get(k, "use"));
		const char *kalg = json_string_value(json_object_get(k, "alg"));
		const char *kkid = json_string_value(json_object_get(k, "kid"));
		if (!kty || strcmp(kty, a->kty) != 0 || (use && strcmp(use, "sig") != 0) ||
		    (kalg && strcmp(kalg, a->name) != 0))
			continue;
		if (kid && (!kkid || strcmp(kid, kkid) != 0))
			continue;
		if (!found)
			found = k;
		matches++;
	}
	if (!found)
		return vg_error_set(err, VG_EAUTH,
				    "ID token header kid '%.80s': no %s key of the provider's JWKS "
				    "has it",
				    kid ? kid : "(none)", a->name);
	if (!kid && matches > 1)
		return vg_error_set(err, VG_EAUTH,
				    "ID token header: no kid, and the JWKS holds several %s keys",
				    a->name);
	return jwk_key(found, a, out, err);
}

/* JWS raw r||s to the DER form OpenSSL verifies; malloc'ed. */
static unsigned char *ecdsa_der(const unsigned char *sig, size_t half, int *derlen)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, (int)half, NULL), *s = BN_bin2bn(sig + half, (int)half, NULL);
	unsigned char *der = NULL;
	if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return NULL;
	}
	*derlen = i2d_ECDSA_SIG(es, &der);
	ECDSA_SIG_free(es);
	if (*derlen <= 0) {
		OPENSSL_free(der);
		return NULL;
	}
	return der;
}

static int verify_sig(EVP_PKEY *key, const struct alg *a, const char *input, size_t inlen,
		      const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	int derlen = 0, ok = 0;

	if (!md)
		return 0;
	if (a->sig_half) {
		if (siglen != 2 * a->sig_half)
			goto out;
		der = ecdsa_der(sig, a->sig_half, &derlen);
		if (!der)
			goto out;
		sig = der;
		siglen = (size_t)derlen;
	}
	if (EVP_DigestVerifyInit(md, NULL, alg_md(a), NULL, key) == 1 &&
	    EVP_DigestVerify(md, sig, siglen, (const unsigned char *)input, inlen) == 1)
		ok = 1;
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	return ok;
}

/* ---- the token ---- */

static json_t *b64_json(const char *p, size_t n, const char *what, struct vg_error *err)
{
	size_t len = 0;
	unsigned char *raw;
	json_t *j;

	if (strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < n ||
	    !(raw = vg_base64_decode(p, n, &len))) {
		vg_error_set(err, VG_EINVAL, "ID token %s: not base64url", what);
		return NULL;
	}
	j = vg_json_parse((const char *)raw, len, what, err);
	free(raw);
	if (j && !json_is_object(j)) {
		json_decref(j);
		vg_error_set(err, VG_EINVAL, "ID token %s: expected a JSON object", what);
		return NULL;
	}
	if (!j)
		vg_error_set(err, VG_EINVAL, "ID token %s: not JSON", what);
	return j;
}

static int claim_time(json_t *c, const char *name, int64_t *out, struct vg_error *err)
{
	json_t *v = json_object_get(c, name);
	if (json_is_integer(v))
		*out = (int64_t)json_integer_value(v);
	else if (json_is_real(v) && json_real_value(v) > -1e15 && json_real_value(v) < 1e15)
		*out = (int64_t)json_real_value(v);
	else
		return vg_error_set(err, VG_EAUTH, "ID token claim %s missing or not a number",
				    name);
	return VG_OK;
}

static int check_aud(json_t *c, const char *client_id, struct vg_error *err)
{
	json_t *aud = json_object_get(c, "aud"), *v;
	const char *azp = json_string_value(json_object_get(c, "azp"));
	size_t i, n = 0;
	int found = 0;

	if (json_is_string(aud)) {
		found = strcmp(json_string_value(aud), client_id) == 0;
		n = 1;
	} else if (json_is_array(aud)) {
		json_array_foreach(aud, i, v)
		{
			if (!json_is_string(v))
				return vg_error_set(err, VG_EAUTH,
						    "ID token claim aud holds a non-string");
			if (strcmp(json_string_value(v), client_id) == 0)
				found = 1;
			n++;
		}
	} else {
		return vg_error_set(err, VG_EAUTH, "ID token claim aud missing");
	}
	if (!found)
		return vg_error_set(err, VG_EAUTH,
				    "ID token claim aud does not name this client (oidc.client_id "
				    "'%.100s')",
				    client_id);
	if (json_object_get(c, "azp") && (!azp || strcmp(azp, client_id) != 0))
		return vg_error_set(
		    err, VG_EAUTH,
		    "ID token claim azp is not this client (oidc.client_id '%.100s')", client_id);
	if (n > 1 && !azp)
		return vg_error_set(
		    err, VG_EAUTH, "ID token claim aud names several audiences and azp is missing");
	return VG_OK;
}

static int take_groups(json_t *c, const char *claim, struct oidc_claims *out, struct vg_error *err)
{
	json_t *g = json_object_get(c, claim), *v;
	size_t i;

	if (!g || json_is_null(g))
		return VG_OK;
	if (json_is_string(g)) {
		out->groups = calloc(1, sizeof(char *));
		if (!out->groups || !(out->groups[0] = strdup(json_string_value(g))))
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		out->ngroups = 1;
		return VG_OK;
	}
	if (!json_is_array(g) || json_array_size(g) > 1000)
		return vg_error_set(err, VG_EAUTH,
				    "ID token claim %.60s (oidc.role_claim): expected a list of "
				    "strings",
				    claim);
	out->groups = calloc(json_array_size(g) + 1, sizeof(char *));
	if (!out->groups)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	json_array_foreach(g, i, v)
	{
		if (!json_is_string(v))
			return vg_error_set(
			    err, VG_EAUTH,
			    "ID token claim %.60s (oidc.role_claim): item %zu is not "
			    "a string",
			    claim, i + 1);
		out->groups[out->ngroups] = strdup(json_string_value(v));
		if (!out->groups[out->ngroups])
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		out->ngroups++;
	}
	return VG_OK;
}

static int check_claims(json_t *c, const struct oidc_expect *x, struct oidc_claims *out,
			struct vg_error *err)
{
	const char *iss = json_string_value(json_object_get(c, "iss"));
	const char *sub = json_string_value(json_object_get(c, "sub"));
	const char *nonce = json_string_value(json_object_get(c, "nonce"));
	const char *user;
	int64_t exp, iat;
	int rc;

	if (!iss)
		return vg_error_set(err, VG_EAUTH, "ID token claim iss missing");
	if (strcmp(iss, x->issuer) != 0)
		return vg_error_set(err, VG_EAUTH,
				    "ID token claim iss '%.200s' is not the issuer '%.200s'", iss,
				    x->issuer);
	rc = check_aud(c, x->client_id, err);
	if (rc)
		return rc;
	rc = claim_time(c, "exp", &exp, err);
	if (!rc)
		rc = claim_time(c, "iat", &iat, err);
	if (rc)
		return rc;
	if (x->now > exp + x->skew)
		return vg_error_set(err, VG_EAUTH,
				    "ID token claim exp: the token expired %lld s ago (clock skew "
				    "allowed: %lld s)",
				    (long long)(x->now - exp), (long long)x->skew);
	if (iat > x->now + x->skew)
		return vg_error_set(err, VG_EAUTH,
				    "ID token claim iat: issued %lld s in the future (clock skew "
				    "allowed: %lld s)",
				    (long long)(iat - x->now), (long long)x->skew);
	if (x->max_age > 0 && iat < x->now - x->max_age - x->skew)
		return vg_error_set(err, VG_EAUTH,
				    "ID token claim iat: issued %lld s ago, more than %lld s",
				    (long long)(x->now - iat), (long long)x->max_age);
	if (!nonce)
		return vg_error_set(err, VG_EAUTH, "ID token claim nonce missing");
	if (!x->nonce || !vg_ct_streq(nonce, x->nonce))
		return vg_error_set(err, VG_EAUTH,
				    "ID token claim nonce does not match this login (replayed or "
				    "made for another login)");
	if (!sub || !*sub || strlen(sub) >= sizeof(out->sub))
		return vg_error_set(err, VG_EAUTH, "ID token claim sub missing or too long");
	snprintf(out->sub, sizeof(out->sub), "%s", sub);
	user = x->user_claim ? json_string_value(json_object_get(c, x->user_claim)) : NULL;
	if (!user || !*user)
		user = sub;
	if (strlen(user) >= sizeof(out->user))
		return vg_error_set(err, VG_EAUTH, "ID token claim %.60s: longer than %zu bytes",
				    x->user_claim ? x->user_claim : "sub", sizeof(out->user) - 1);
	snprintf(out->user, sizeof(out->user), "%s", user);
	return take_groups(c, x->role_claim ? x->role_claim : "groups", out, err);
}

int oidc_claims_check(const char *data, size_t n, const struct oidc_expect *x,
		      struct oidc_claims *out, struct vg_error *err)
{
	json_t *c;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!x || !x->issuer || !x->client_id)
		return vg_error_set(err, VG_EINVAL, "no expectations");
	c = vg_json_parse(data, n, "ID token claims", err);
	if (!c)
		return VG_EAUTH;
	rc = json_is_object(c)
		 ? check_claims(c, x, out, err)
		 : vg_error_set(err, VG_EAUTH, "ID token claims: expected a JSON object");
	json_decref(c);
	if (rc)
		oidc_claims_free(out);
	return rc;
}

int oidc_id_token_verify(const char *jwt, const char *jwks, size_t jwks_len,
			 const struct oidc_expect *x, struct oidc_claims *out, struct vg_error *err)
{
	const char *d1, *d2, *alg_name, *kid;
	json_t *hdr = NULL, *claims = NULL, *keys = NULL;
	const struct alg *a = NULL;
	unsigned char *sig = NULL;
	size_t siglen = 0, len;
	EVP_PKEY *key = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!jwt || !x || !x->issuer || !x->client_id)
		return vg_error_set(err, VG_EINVAL, "no ID token");
	len = strlen(jwt);
	if (len > JWT_MAX)
		return vg_error_set(err, VG_EAUTH, "ID token longer than %d bytes", JWT_MAX);
	d1 = strchr(jwt, '.');
	d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (!d1 || !d2 || strchr(d2 + 1, '.'))
		return vg_error_set(err, VG_EAUTH,
				    "ID token: not a compact JWS (three parts separated by '.')");
	hdr = b64_json(jwt, (size_t)(d1 - jwt), "header", err);
	if (!hdr)
		return VG_EAUTH;
	alg_name = json_string_value(json_object_get(hdr, "alg"));
	kid = json_string_value(json_object_get(hdr, "kid"));
	for (size_t i = 0; alg_name && i < sizeof(g_algs) / sizeof(g_algs[0]); i++)
		if (strcmp(alg_name, g_algs[i].name) == 0)
			a = &g_algs[i];
	if (!a) {
		rc =
		    vg_error_set(err, VG_EAUTH,
				 "ID token header alg '%.20s': expected RS256, RS384, RS512, ES256 "
				 "or ES384",
				 alg_name ? alg_name : "(none)");
		goto out;
	}
	if (json_object_get(hdr, "crit")) {
		rc =
		    vg_error_set(err, VG_EAUTH, "ID token header crit: no extension is understood");
		goto out;
	}
	if (d2 + 1 == jwt + len ||
	    strspn(d2 + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
		strlen(d2 + 1) ||
	    !(sig = vg_base64_decode(d2 + 1, strlen(d2 + 1), &siglen))) {
		rc = vg_error_set(err, VG_EAUTH, "ID token signature: not base64url");
		goto out;
	}
	keys = vg_json_parse(jwks ? jwks : "", jwks ? jwks_len : 0, "JWKS", err);
	if (!keys) {
		rc = VG_EINVAL;
		goto out;
	}
	rc = find_key(keys, kid, a, &key, err);
	if (rc)
		goto out;
	if (!verify_sig(key, a, jwt, (size_t)(d2 - jwt), sig, siglen)) {
		rc = vg_error_set(err, VG_EAUTH,
				  "ID token signature: does not verify with the provider's %s key "
				  "'%.80s'",
				  a->name, kid ? kid : "(no kid)");
		goto out;
	}
	claims = b64_json(d1 + 1, (size_t)(d2 - d1 - 1), "claims", err);
	if (!claims) {
		rc = VG_EAUTH;
		goto out;
	}
	rc = check_claims(claims, x, out, err);
	if (rc)
		oidc_claims_free(out);
out:
	if (rc)
		oidc_claims_free(out);
	EVP_PKEY_free(key);
	free(sig);
	json_decref(hdr);
	json_decref(claims);
	json_decref(keys);
	return rc;
}

/* ---- roles, PKCE ---- */

static int role_rank(int role)
{
	return role == ROLE_ADMIN ? 3 : role == ROLE_PSIRT ? 2 : role == ROLE_AUDITOR ? 1 : 0;
}

int oidc_role_map(const char *map, char *const *groups, size_t ngroups, int *role,
		  struct vg_error *err)
{
	const char *p = map ? map : "";
	*role = ROLE_NONE;
	while (*p) {
		char pair[300], *colon, *g, *r, *e;
		size_t n = strcspn(p, ",");
		if (n >= sizeof(pair))
			return vg_error_set(err, VG_EINVAL, "oidc.role_map: a pair is too long");
		memcpy(pair, p, n);
		pair[n] = '\0';
		p += n + (p[n] == ',');
		g = pair;
		while (*g == ' ')
			g++;
		e = g + strlen(g);
		while (e > g && e[-1] == ' ')
			*--e = '\0';
		if (!*g)
			continue;
		colon = strrchr(g, ':');
		if (!colon || colon == g || !colon[1])
			return vg_error_set(err, VG_EINVAL,
					    "oidc.role_map: '%.200s' is not group:role", g);
		*colon = '\0';
		r = colon + 1;
		{
			int ro = vg_role_parse(r);
			if (ro != ROLE_ADMIN && ro != ROLE_PSIRT && ro != ROLE_AUDITOR)
				return vg_error_set(
				    err, VG_EINVAL,
				    "oidc.role_map: role '%.40s' of group '%.200s': "
				    "expected admin, psirt or auditor",
				    r, g);
			for (size_t i = 0; i < ngroups; i++)
				if (groups[i] && strcmp(groups[i], g) == 0 &&
				    role_rank(ro) > role_rank(*role))
					*role = ro;
		}
	}
	return VG_OK;
}

int oidc_pkce_challenge(const char *verifier, char *out, size_t outsz)
{
	uint8_t h[VG_SHA256_LEN];
	char *b;
	size_t j = 0;

	vg_sha256(verifier, strlen(verifier), h);
	b = vg_base64_encode(h, sizeof(h));
	if (!b)
		return VG_ENOMEM;
	for (size_t i = 0; b[i] && b[i] != '='; i++) {
		if (j + 1 >= outsz) {
			free(b);
			return VG_ETOOBIG;
		}
		out[j++] = b[i] == '+' ? '-' : b[i] == '/' ? '_' : b[i];
	}
	out[j] = '\0';
	free(b);
	return VG_OK;
}
