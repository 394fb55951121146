/*
 * fuzz_pkcs11_uri.c - the check of a signer's pkcs11: URI (p11-kit parses
 * it; vigil refuses pin-value, pin-source, slot-id, unknown attributes and a
 * URI naming no key) on arbitrary bytes. A refusal always says why; a URI
 * holding "pin-value" is never accepted and gets the fixed refusal (the
 * URI, which holds a PIN, is not repeated);
 * what is accepted starts with "pkcs11:".
 */
#include "core/error.h"
#include "update/signer_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = {0};
	char *s;
	int rc;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	rc = p11_uri_check(s, &err);
	if (rc != VG_OK && !err.msg[0])
		abort();
	if (rc == VG_OK && strncmp(s, "pkcs11:", 7) != 0)
		abort();
	if (strstr(s, "pin-value")) {
		if (rc == VG_OK)
			abort();
		/* the fixed refusal, never a message quoting the URI */
		if (strncmp(err.msg, "PKCS#11 URI: pin-value is refused", 33) != 0)
			abort();
	}
	free(s);
	return 0;
}
