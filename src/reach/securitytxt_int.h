/*
 * securitytxt_int.h - what the files of the security.txt module share
 * (validator, OpenPGP, URL checks). Not for other modules.
 */
#ifndef VIGIL_REACH_SECURITYTXT_INT_H
#define VIGIL_REACH_SECURITYTXT_INT_H

#include "core/error.h"

#include "reach/securitytxt.h"

#include <stdint.h>

enum securitytxt_id {
#define SECURITYTXT_X_ENUM(c, s, w) STX_##c,
	SECURITYTXT_FINDINGS(SECURITYTXT_X_ENUM)
#undef SECURITYTXT_X_ENUM
	    STX__COUNT
};

/* Append a finding (or count it as suppressed past the cap). Returns VG_OK or
 * VG_ENOMEM; after an out-of-memory the report stays usable but incomplete. */
int securitytxt__add(struct securitytxt_report *r, enum securitytxt_id id, int line,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Validate data into an existing report (findings are appended). urls are
 * the URLs the file was retrieved through (any may match Canonical). */
int securitytxt__validate_into(const char *data, size_t n, const struct securitytxt_options *opt,
			       const char *const *urls, size_t nurls, struct securitytxt_report *r,
			       struct vg_error *err) VG_MUST_CHECK;

/* Verify the cleartext-signed data with the keys in key_file (gpgme, throw-away
 * home). Adds signature_invalid on failure, sets r->verified / r->signer on
 * success. line is the BEGIN PGP SIGNED MESSAGE line. Returns VG_OK, or a
 * key-file error (VG_EIO, VG_EINVAL) / VG_EINTERNAL / VG_ENOMEM. */
int securitytxt__verify(const char *data, size_t n, const char *key_file,
			struct securitytxt_report *r, int line, struct vg_error *err) VG_MUST_CHECK;

/* Normalise an http(s) URL for comparison (lower-case scheme and host,
 * default port dropped, empty path = "/"). Returns 0, or -1 when u is not an
 * http(s) URL or does not fit. */
int securitytxt__url_norm(const char *u, char *out, size_t n);

#endif
