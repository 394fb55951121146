/*
 * signer_int.h - inside the signer module: the open signer and the two
 * implementations (software key file in signer.c, PKCS#11 in pkcs11.c).
 */
#ifndef VIGIL_UPDATE_SIGNER_INT_H
#define VIGIL_UPDATE_SIGNER_INT_H

#include "update/signer.h"

#include <stddef.h>
#include <stdint.h>

struct p11_signer; /* pkcs11.c */

struct update_signer {
	char name[80];
	enum update_alg alg;
	int development_only;
	void *pkey;             /* software: the EVP_PKEY */
	struct p11_signer *p11; /* pkcs11 */
};

/* Open a key in a token: uri is checked (no pin-value, one token, a key
 * chosen by object= or id=), the PIN read from pin_file or VIGIL_PKCS11_PIN,
 * used for C_Login and wiped. alg UPDATE_ALG_NONE: taken from the key. */
int p11_open(const char *name, const char *uri, const char *pin_file, enum update_alg alg,
	     struct update_signer *sg, struct vg_error *err) VG_MUST_CHECK;
/* Generate a key pair inside the token named by uri (label from object=,
 * id from id=): private key sensitive, not extractable, on the token. */
int p11_keygen(const char *name, const char *uri, const char *pin_file, enum update_alg alg,
	       struct vg_error *err) VG_MUST_CHECK;
/* Remove the key pair the URI names (private and public objects): only for
 * a key p11_keygen() has just made under a fresh label. */
int p11_destroy(const char *name, const char *uri, const char *pin_file,
		struct vg_error *err) VG_MUST_CHECK;
int p11_sign(struct update_signer *sg, const void *msg, size_t n, uint8_t sig[UPDATE_SIG_MAX],
	     size_t *siglen, struct vg_error *err) VG_MUST_CHECK;
int p11_public(struct update_signer *sg, uint8_t pub[UPDATE_PUB_MAX], size_t *publen,
	       struct vg_error *err) VG_MUST_CHECK;
void p11_close(struct update_signer *sg);
/* How the private key is kept: CKA_SENSITIVE, CKA_EXTRACTABLE, and whether
 * reading CKA_VALUE is refused with CKR_ATTRIBUTE_SENSITIVE (value_hidden). */
int p11_protection(struct update_signer *sg, int *sensitive, int *extractable, int *value_hidden,
		   struct vg_error *err) VG_MUST_CHECK;
/* Refuse what must not be stored or used: not a pkcs11: URI, a pin-value,
 * a URI p11-kit cannot parse. */
int p11_uri_check(const char *uri, struct vg_error *err) VG_MUST_CHECK;

#endif
