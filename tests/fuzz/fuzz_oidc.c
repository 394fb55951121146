/*
 * fuzz_oidc.c - libFuzzer target for what an OpenID provider sends
 * (auth/oidc.h): the first byte picks the parser, the rest is its input.
 *   'D'  a discovery document
 *   'M'  oidc.role_map, then after a newline the groups, one a line
 *   'C'  an ID token's claims set (JSON)
 *   else an ID token, a newline, then the JWKS it is checked against
 * Nothing may crash, leak or read out of bounds; a token or claims set that
 * passes must have given a subject and a user name.
 */
#include "auth/oidc.h"
#include "core/error.h"
#include "core/principal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct oidc_expect g_expect = {
    .issuer = "http://127.0.0.1:9999",
    .client_id = "vigil",
    .nonce = "fuzz-nonce-0123456789abcdef",
    .role_claim = "groups",
    .user_claim = "preferred_username",
    .now = 1796601600, /* 2026-12-07T00:00:00Z: the seeds are valid then */
    .skew = 60,
    .max_age = 0,
};

static void check_good(int rc, struct oidc_claims *c)
{
	if (rc == VG_OK && (!c->sub[0] || !c->user[0]))
		__builtin_trap();
	oidc_claims_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = {0};
	char *s, *nl;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	s = malloc(n + 1);
	if (!s)
		return 0;
	memcpy(s, data + 1, n);
	s[n] = '\0';
	if (data[0] == 'D') {
		struct oidc_provider op;
		if (oidc_discovery_parse(s, n, g_expect.issuer, &op, &err) == VG_OK)
			oidc_provider_free(&op);
	} else if (data[0] == 'M') {
		char *groups[16];
		size_t ng = 0;
		int role = ROLE_NONE;
		char *p;
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		for (p = nl ? nl + 1 : NULL; p && *p && ng < 16; ng++) {
			groups[ng] = p;
			p = strchr(p, '\n');
			if (p)
				*p++ = '\0';
		}
		if (oidc_role_map(s, groups, ng, &role, &err) == VG_OK && role != ROLE_NONE &&
		    role != ROLE_ADMIN && role != ROLE_PSIRT && role != ROLE_AUDITOR)
			__builtin_trap();
	} else if (data[0] == 'C') {
		struct oidc_claims c;
		check_good(oidc_claims_check(s, n, &g_expect, &c, &err), &c);
	} else {
		struct oidc_claims c;
		nl = memchr(s, '\n', n);
		if (nl) {
			*nl = '\0';
			check_good(oidc_id_token_verify(s, nl + 1, n - (size_t)(nl + 1 - s),
							&g_expect, &c, &err),
				   &c);
		}
	}
	free(s);
	return 0;
}
