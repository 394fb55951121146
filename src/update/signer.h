/*
 * signer.h - the one signing interface of the update room (issue 18).
 *
 * A signer is a named key kept in the store (table `signers`): either a key
 * inside a PKCS#11 token, chosen by an RFC 7512 `pkcs11:` URI and reached
 * through p11-kit, or a software key file for development only (marked so
 * wherever it appears). Callers never see a private key: they sign bytes and
 * read the public key back from where the private key lives.
 *
 * Algorithms and signature encodings:
 *   ed25519  CKM_EDDSA over the message itself; signature 64 bytes;
 *            public key 32 raw bytes.
 *   p256     CKM_ECDSA over SHA-256(message); signature raw r||s (64 bytes;
 *            update_sig_p256_der() converts where a format wants DER);
 *            public key the 65-byte uncompressed point 04||X||Y.
 *
 * Every signature made for publication is checked with update_sig_verify()
 * against the public key read back from the token before it is used.
 */
#ifndef VIGIL_UPDATE_SIGNER_H
#define VIGIL_UPDATE_SIGNER_H

#include "core/error.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

enum update_alg {
	UPDATE_ALG_NONE = 0,
	UPDATE_ALG_ED25519 = 1,
	UPDATE_ALG_P256 = 2,
};

#define UPDATE_SIG_MAX 72 /* DER of a P-256 signature at most; raw ones are 64 */
#define UPDATE_PUB_MAX 65

/* "ed25519", "p256" <-> enum; UPDATE_ALG_NONE when unknown. */
enum update_alg update_alg_parse(const char *s);
const char *update_alg_name(enum update_alg a);

/* A signer as stored (no secret: a PIN file path is not a PIN). */
struct update_signer_info {
	int64_t id;
	char *name;
	char *kind;           /* "pkcs11" or "software" */
	char *uri;            /* pkcs11: URI (never with pin-value); software: key file path */
	char *pin_file;       /* NULL: PIN from the environment (VIGIL_PKCS11_PIN) or none */
	char *algorithm;      /* "ed25519", "p256" */
	char *public_hex;     /* the public key as read back when added, hex */
	int development_only; /* 1 for software keys */
	int64_t created_at;
	char *created_by;
};
void update_signer_info_release(struct update_signer_info *i);

struct update_signer; /* an open signer: a session with the token, or a loaded key */

/* Open the stored signer called name (login with its PIN, which is wiped
 * right after). Errors name the signer and say what failed (missing token,
 * wrong PIN, key not found). */
int update_signer_open(struct store *s, const char *name, struct update_signer **out,
		       struct vg_error *err) VG_MUST_CHECK;
/* Sign n bytes of msg; sig gets the raw signature (see above), *siglen its length. */
int update_signer_sign(struct update_signer *sg, const void *msg, size_t n,
		       uint8_t sig[UPDATE_SIG_MAX], size_t *siglen,
		       struct vg_error *err) VG_MUST_CHECK;
/* The public key read back from the token or key file (format above). */
int update_signer_public(struct update_signer *sg, uint8_t pub[UPDATE_PUB_MAX], size_t *publen,
			 struct vg_error *err) VG_MUST_CHECK;
enum update_alg update_signer_alg(const struct update_signer *sg);
const char *update_signer_name(const struct update_signer *sg);
int update_signer_is_development(const struct update_signer *sg);
/* Let the setting audit.signer name an Ed25519 signer of this table for the
 * audit checkpoints and evidence bundles (signer_note.c; app_init_rooms()). */
void update_audit_init(void);
void update_signer_close(struct update_signer *sg);

/* Verify a raw signature (format above) with a public key: VG_OK when it
 * verifies, VG_EPERM when it does not, another code on bad input. Pure
 * (OpenSSL), no token involved. */
int update_sig_verify(enum update_alg alg, const uint8_t *pub, size_t publen, const void *msg,
		      size_t n, const uint8_t *sig, size_t siglen,
		      struct vg_error *err) VG_MUST_CHECK;
/* A raw P-256 r||s signature as DER (for formats that want it). */
int update_sig_p256_der(const uint8_t raw[64], uint8_t der[UPDATE_SIG_MAX], size_t *derlen);

#endif
