/*
 * secret.h - the server's master key and what is derived from it.
 *
 * The master key is 32 random bytes in a file outside the database
 * (setting secrets.key_file; see docs/security.md for the default). The
 * file is created with mode 0600 on first use, atomically, so concurrent
 * processes agree on one key; a file readable by group or others is refused.
 * A copy of the database alone therefore reveals neither the sealed channel
 * secrets nor the reporters behind their keyed address hashes.
 *
 * Every use derives its own key: HMAC-SHA256(master, "vigil/" purpose), so a
 * key for one purpose says nothing about another. Purposes in use:
 *   "notify-secret"  sealing of notification channel secrets
 *   "reporter-addr"  keyed hash of an anonymous reporter's address
 *   "login-addr"     keyed hash of a client address in login throttling
 *
 * Sealed text is "vg1:" + base64(nonce[12] | ciphertext | tag[16]), AES-256-GCM
 * with the purpose as associated data.
 */
#ifndef VIGIL_CORE_SECRET_H
#define VIGIL_CORE_SECRET_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

struct vg_error;

#define VG_SECRET_KEY_LEN 32
#define VG_SEALED_PREFIX  "vg1:"

/* The key file in use: the setting secrets.key_file, else the default. */
const char *vg_secret_key_file(void);
/* The key for purpose into out; loads (or creates) the master key once. */
int vg_secret_derive(const char *purpose, uint8_t out[VG_SECRET_KEY_LEN],
		     struct vg_error *err) VG_MUST_CHECK;
/* Hex HMAC-SHA256 of data under the key for purpose, into out (65 bytes). */
int vg_secret_mac_hex(const char *purpose, const void *data, size_t n, char out[65],
		      struct vg_error *err) VG_MUST_CHECK;
/* Seal the NUL-terminated plain under the key for purpose: *out is malloc'ed. */
int vg_secret_seal(const char *purpose, const char *plain, char **out,
		   struct vg_error *err) VG_MUST_CHECK;
/* Open what vg_secret_seal made: *out is malloc'ed (wipe it after use). A
 * value that is not sealed, altered, or sealed under another key is an error. */
int vg_secret_open(const char *purpose, const char *sealed, char **out,
		   struct vg_error *err) VG_MUST_CHECK;
/* 1 when s carries the sealed prefix. */
int vg_secret_is_sealed(const char *s);
/* Forget the master key held in memory (tests; process exit). */
void vg_secret_reset(void);

#endif
