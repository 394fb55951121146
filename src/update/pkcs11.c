/*
 * pkcs11.c - signers whose key lives in a PKCS#11 token, reached through
 * p11-kit and chosen by an RFC 7512 pkcs11: URI.
 */
#include "core/error.h"
#include "update/signer.h"
#include "update/signer_int.h"

#include <p11-kit/p11-kit.h>
#include <p11-kit/uri.h>

#include <string.h>

#include "core/banned.h"

int p11_uri_check(const char *uri, struct vg_error *err)
{
	P11KitUri *u;
	int r;
	if (!uri || strncmp(uri, "pkcs11:", 7) != 0)
		return vg_error_set(err, VG_EINVAL, "expected a pkcs11: URI (RFC 7512)");
	u = p11_kit_uri_new();
	if (!u)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	r = p11_kit_uri_parse(uri, P11_KIT_URI_FOR_ANY, u);
	if (r != P11_KIT_URI_OK) {
		p11_kit_uri_free(u);
		return vg_error_set(err, VG_EINVAL, "PKCS#11 URI: %s", p11_kit_uri_message(r));
	}
	if (p11_kit_uri_get_pin_value(u)) {
		p11_kit_uri_free(u);
		return vg_error_set(err, VG_EINVAL,
				    "PKCS#11 URI: pin-value is refused (vigil never stores a PIN); "
				    "use --pin-file FILE or VIGIL_PKCS11_PIN");
	}
	p11_kit_uri_free(u);
	return VG_OK;
}

int p11_open(const char *name, const char *uri, const char *pin_file, enum update_alg alg,
	     struct update_signer *sg, struct vg_error *err)
{
	(void)uri;
	(void)pin_file;
	(void)alg;
	(void)sg;
	return vg_error_set(err, VG_EINVAL, "signer %s: PKCS#11 signers are not supported yet",
			    name);
}

int p11_keygen(const char *name, const char *uri, const char *pin_file, enum update_alg alg,
	       struct vg_error *err)
{
	(void)uri;
	(void)pin_file;
	(void)alg;
	return vg_error_set(err, VG_EINVAL, "signer %s: PKCS#11 signers are not supported yet",
			    name);
}

int p11_sign(struct update_signer *sg, const void *msg, size_t n, uint8_t sig[UPDATE_SIG_MAX],
	     size_t *siglen, struct vg_error *err)
{
	(void)msg;
	(void)n;
	(void)sig;
	(void)siglen;
	return vg_error_set(err, VG_EINVAL, "signer %s: not supported", sg->name);
}

int p11_public(struct update_signer *sg, uint8_t pub[UPDATE_PUB_MAX], size_t *publen,
	       struct vg_error *err)
{
	(void)pub;
	(void)publen;
	return vg_error_set(err, VG_EINVAL, "signer %s: not supported", sg->name);
}

void p11_close(struct update_signer *sg)
{
	(void)sg;
}
