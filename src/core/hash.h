/*
 * hash.h - SHA-256, HMAC, secure random bytes and hex (OpenSSL 3 underneath).
 */
#ifndef VIGIL_CORE_HASH_H
#define VIGIL_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define VG_SHA256_LEN 32
#define VG_SHA256_HEX 65 /* 64 hex digits + NUL */

void vg_sha256(const void *data, size_t n, uint8_t out[VG_SHA256_LEN]);
/* Hex of SHA-256 of data into out (65 bytes). Returns out. */
char *vg_sha256_hex(const void *data, size_t n, char out[VG_SHA256_HEX]);
void vg_hmac_sha256(const void *key, size_t klen, const void *data, size_t n,
		    uint8_t out[VG_SHA256_LEN]);

/* Cryptographically secure random bytes; returns VG_OK or VG_EINTERNAL. */
int vg_random(void *out, size_t n);
/* A random token: nbytes of randomness, base64url without padding, into out;
 * never starts with '-' (it would read as a command-line option). */
int vg_random_token(char *out, size_t outsz, size_t nbytes);

void vg_hex(const void *data, size_t n, char *out /* 2n+1 */);
/* A random (version 4) UUID, lower-case "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", into out. */
#define VG_UUID_LEN 37
void vg_uuid4(char out[VG_UUID_LEN]);
/* Constant-time comparison of two equal-length memory areas (0 = equal). */
int vg_ct_memcmp(const void *a, const void *b, size_t n);
/* Constant-time string equality (1 = equal). */
int vg_ct_streq(const char *a, const char *b);
/* Wipe memory that held a secret (not optimised away). */
void vg_wipe(void *p, size_t n);

/* base64 (standard alphabet, padded) of data into a malloc'ed string; NULL on OOM. */
char *vg_base64_encode(const void *data, size_t n);
/* Decode base64 (standard or URL alphabet, padding optional, whitespace skipped). Returns
 * malloc'ed bytes and *outlen, or NULL when the input is not base64. */
unsigned char *vg_base64_decode(const char *s, size_t slen, size_t *outlen);

#endif
