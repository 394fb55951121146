/*
 * securitytxt.h - security.txt (RFC 9116): validate a file or a URL, and
 * generate (and OpenPGP-sign) one.
 *
 * Rules:
 *  - The validator never fails on bad input: every problem in the bytes it is
 *    given becomes a finding with a stable code (the table below), a line
 *    number (1-based; 0 = the file or the HTTP exchange as a whole), a
 *    severity and a sentence. Only out-of-memory and operator mistakes (an
 *    unreadable key file) make it return an error code.
 *  - Severities: error = a MUST of RFC 9116 (or of the formats it imports) is
 *    broken; warning = a SHOULD is broken or the value is very likely a
 *    mistake; notice = a recommendation is not followed or a field is not
 *    known (RFC 9116 2.4: unknown fields are ignored, so they are never
 *    errors). A file is valid when it has no errors.
 *  - Input is bounded: at most SECURITYTXT_MAX_SIZE bytes and
 *    SECURITYTXT_MAX_LINE bytes a line; at most SECURITYTXT_MAX_FINDINGS
 *    findings are kept (then one `too_many_findings`).
 *  - Time is a parameter (opt->now); nothing here reads the clock except
 *    through vg_now() when the caller leaves now unset.
 *  - OpenPGP cleartext signatures (RFC 4880 7) are unwrapped (Hash header,
 *    dash-escaping), their armor is checked (base64, CRC-24, signature
 *    packets) and, when a key file is given, verified with gpgme in a
 *    throw-away GnuPG home so the operator's keyring is never touched.
 */
#ifndef VIGIL_REACH_SECURITYTXT_H
#define VIGIL_REACH_SECURITYTXT_H

#include "core/error.h"

#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

struct vg_error;
struct vg_buf;

#define SECURITYTXT_MAX_SIZE     (1024 * 1024)
#define SECURITYTXT_MAX_LINE     8192
#define SECURITYTXT_MAX_FINDINGS 256
#define SECURITYTXT_MAX_FIELDS   1024

enum securitytxt_severity { SECURITYTXT_ERROR, SECURITYTXT_WARNING, SECURITYTXT_NOTICE };

/*
 * X(code, severity, what it means). The code strings are stable: scripts and
 * the JSON output use them.
 */
#define SECURITYTXT_FINDINGS(X)                                                                   \
	/* bytes and lines (RFC 9116 2.2, 4) */                                                   \
	X(too_large, ERROR, "file larger than the validator's limit")                             \
	X(empty_file, ERROR, "file is empty")                                                     \
	X(bom, ERROR, "byte order mark at the start of the file")                                 \
	X(invalid_utf8, ERROR, "bytes that are not UTF-8")                                        \
	X(control_character, ERROR, "control character (or bare CR) inside a line")               \
	X(line_no_eol, ERROR, "last line does not end with CRLF or LF")                           \
	X(line_too_long, WARNING, "line longer than the validator's limit (ignored)")             \
	X(invalid_line, ERROR, "line is neither a field, a comment nor blank")                    \
	X(leading_whitespace, ERROR, "line starts with white space but continues no field")       \
	X(field_name_empty, ERROR, "nothing before the colon")                                    \
	X(field_name_whitespace, ERROR, "white space before the colon")                           \
	X(field_name_invalid, ERROR, "field name has characters RFC 5322 does not allow")         \
	X(missing_space, ERROR, "the colon is not followed by one space")                         \
	X(empty_value, ERROR, "field has no value")                                               \
	X(field_typo, WARNING, "field name looks like a misspelt RFC 9116 field")                 \
	X(unknown_field, NOTICE, "field not defined by RFC 9116 or the IANA registry")            \
	/* values */                                                                              \
	X(invalid_uri, ERROR, "value is not a URI (RFC 3986)")                                    \
	X(insecure_uri, ERROR, "web URI does not use https")                                      \
	X(contact_missing, ERROR, "no Contact field")                                             \
	X(contact_mailto_address, WARNING, "mailto: URI without an e-mail address")               \
	X(expires_missing, ERROR, "no Expires field")                                             \
	X(expires_multiple, ERROR, "Expires appears more than once")                              \
	X(expires_syntax, ERROR, "Expires is not an RFC 3339 date-time")                          \
	X(expires_old_format, ERROR, "Expires uses the RFC 2822 date format of old drafts")       \
	X(expires_past, ERROR, "Expires is in the past")                                          \
	X(expires_too_far, WARNING, "Expires is more than a year ahead")                          \
	X(expires_soon, WARNING, "Expires is less than 30 days ahead")                            \
	X(encryption_not_uri, ERROR, "Encryption holds a key, not a URI to it")                   \
	X(canonical_mismatch, ERROR, "the retrieval URL is not among the Canonical URIs")         \
	X(preferred_languages_multiple, ERROR, "Preferred-Languages appears more than once")      \
	X(preferred_languages_syntax, ERROR, "Preferred-Languages is not a comma-separated list") \
	X(preferred_languages_tag, ERROR, "not a language tag (RFC 5646, ISO 639 language)")      \
	X(preferred_languages_country_code, ERROR, "a country code used as a language code")      \
	X(csaf_not_provider_metadata, ERROR, "CSAF does not point to provider-metadata.json")     \
	X(csaf_multiple, NOTICE, "more than one CSAF field")                                      \
	X(bug_bounty_value, WARNING, "Bug-Bounty (proposed field) is not True or False")          \
	X(bug_bounty_case, WARNING, "Bug-Bounty (proposed field) value in the wrong case")        \
	X(encryption_missing, NOTICE, "e-mail contact but no Encryption field")                   \
	X(not_signed, NOTICE, "file is not OpenPGP-signed (RECOMMENDED, RFC 9116 2.3)")           \
	/* OpenPGP cleartext signature (RFC 9116 2.3, 4; RFC 4880 6, 7) */                        \
	X(signature_leading_data, ERROR, "data before -----BEGIN PGP SIGNED MESSAGE-----")        \
	X(signature_hash_header, ERROR, "missing or malformed Hash armor header")                 \
	X(signature_weak_hash, WARNING, "signature uses MD5 or SHA-1")                            \
	X(signature_hash_mismatch, WARNING, "Hash header does not name the signature's hash")     \
	X(signature_dash_escape, ERROR, "cleartext line starting with '-' is not dash-escaped")   \
	X(signature_missing, ERROR, "signed message without -----BEGIN PGP SIGNATURE-----")       \
	X(signature_armor, ERROR, "malformed signature armor")                                    \
	X(signature_data, ERROR, "signature is not valid base64 / CRC-24 / signature packets")    \
	X(signature_trailing_data, ERROR, "data after -----END PGP SIGNATURE-----")               \
	X(signature_no_canonical, WARNING, "signed file without a Canonical field")               \
	X(signature_not_verified, NOTICE, "signature not verified (no key given)")                \
	X(signature_invalid, ERROR, "signature does not verify with the given key")               \
	/* retrieval (RFC 9116 3) */                                                              \
	X(http_not_https, ERROR, "file not fetched over https")                                   \
	X(http_unreachable, ERROR, "host could not be reached")                                   \
	X(http_tls, ERROR, "TLS handshake or certificate verification failed")                    \
	X(http_status, ERROR, "HTTP status is not 200")                                           \
	X(http_redirect, WARNING, "the request was redirected")                                   \
	X(http_redirect_insecure, ERROR, "redirected to a non-https URL")                         \
	X(http_content_type, ERROR, "Content-Type is missing or not text/plain")                  \
	X(http_charset, ERROR, "Content-Type charset is missing or not utf-8")                    \
	X(location_legacy, WARNING, "file only found at the legacy /security.txt")                \
	X(too_many_findings, NOTICE, "more findings were suppressed")

struct securitytxt_finding {
	const char *code; /* stable, from the table above (static storage) */
	enum securitytxt_severity severity;
	int line; /* 1-based; 0 = whole file / HTTP */
	char message[320];
};

enum securitytxt_kind {
	SECURITYTXT_F_OTHER,
	SECURITYTXT_F_ACKNOWLEDGMENTS,
	SECURITYTXT_F_CANONICAL,
	SECURITYTXT_F_CONTACT,
	SECURITYTXT_F_ENCRYPTION,
	SECURITYTXT_F_EXPIRES,
	SECURITYTXT_F_HIRING,
	SECURITYTXT_F_POLICY,
	SECURITYTXT_F_PREFERRED_LANGUAGES,
	SECURITYTXT_F_CSAF,
};

struct securitytxt_field {
	enum securitytxt_kind kind;
	char *name;  /* as written */
	char *value; /* trailing white space removed */
	int line;
};

struct securitytxt_report {
	struct securitytxt_finding *findings;
	size_t nfindings;
	struct securitytxt_field *fields; /* in file order */
	size_t nfields;
	int is_signed;
	int verified;    /* 1 when a given key verified the signature */
	char signer[64]; /* fingerprint of the verifying key, or "" */
	int64_t expires; /* first valid Expires, when has_expires */
	int has_expires;
	char url[512]; /* URL the file was fetched from, or "" */
	size_t nerrors, nwarnings, nnotices;
	size_t suppressed; /* findings past SECURITYTXT_MAX_FINDINGS */
	int incomplete;    /* memory ran out: findings may be missing */
};

struct securitytxt_options {
	int now_set; /* 0: use vg_now() */
	int64_t now;
	const char *url;      /* retrieval URL to compare with Canonical, or NULL */
	const char *key_file; /* OpenPGP public key(s) to verify with, or NULL */
	const char *cacert;   /* URL checks: extra CA bundle (PEM) to trust, or NULL */
	long timeout_s;       /* URL checks: per request; 0 = 20 s */
};

/*
 * Validate n bytes of a security.txt. out is initialised here and owned by
 * the caller afterwards (securitytxt_report_release), also on failure.
 * Returns VG_OK (whatever the findings), VG_ENOMEM, or VG_EIO / VG_EINVAL
 * when opt->key_file cannot be read or holds no key (err says which).
 */
int securitytxt_validate(const char *data, size_t n, const struct securitytxt_options *opt,
			 struct securitytxt_report *out, struct vg_error *err) VG_MUST_CHECK;

/*
 * Fetch and validate. target is "host", "https://host[:port]" (then
 * /.well-known/security.txt and, when that is not served, /security.txt are
 * tried) or a full URL with a path (fetched as given). Only https is
 * trusted; certificates are always verified (opt->cacert adds a CA).
 * Unreachable hosts, TLS failures, statuses, redirects and the Content-Type
 * become findings; the body is validated with Canonical compared to the
 * URL. out as for securitytxt_validate. Returns VG_OK, VG_ENOMEM, VG_EINVAL
 * (target is not a URL) or a key-file error.
 */
int securitytxt_check_url(const char *target, const struct securitytxt_options *opt,
			  struct securitytxt_report *out, struct vg_error *err) VG_MUST_CHECK;

/* Free everything in r and zero it. Safe on a zeroed report. */
void securitytxt_report_release(struct securitytxt_report *r);

/* The report as JSON ({valid, errors, warnings, notices, signed, verified,
 * expires, findings[], fields[]}); new reference or NULL on OOM. */
json_t *securitytxt_report_json(const struct securitytxt_report *r, const char *source);

const char *securitytxt_severity_name(enum securitytxt_severity s);

/* What to put in a generated file. Arrays may be empty (n = 0). */
struct securitytxt_spec {
	const char *const *contact;
	size_t ncontact;
	int64_t expires;
	const char *const *encryption;
	size_t nencryption;
	const char *const *acknowledgments;
	size_t nacknowledgments;
	const char *const *canonical;
	size_t ncanonical;
	const char *const *policy;
	size_t npolicy;
	const char *const *hiring;
	size_t nhiring;
	const char *const *csaf;
	size_t ncsaf;
	const char *preferred_languages; /* "en, de" or NULL */
};

/*
 * Write an unsigned security.txt for spec into out (appended, LF line
 * endings). Every value is checked with the validator first (at time now):
 * a value that would make the file invalid (not a URI, http://, a line
 * break, Expires in the past) fails with VG_EINVAL and a message naming the
 * field. Returns VG_OK, VG_EINVAL, VG_ENOMEM or VG_ETOOBIG.
 */
int securitytxt_generate(const struct securitytxt_spec *spec, int64_t now, struct vg_buf *out,
			 struct vg_error *err) VG_MUST_CHECK;

/*
 * OpenPGP cleartext-sign n bytes of text with gpgme, appending the signed
 * message to out. key_id (fingerprint, key id or user id) selects the
 * secret key; NULL uses GnuPG's default key. The GnuPG home is GNUPGHOME or
 * the default. Returns VG_OK, VG_ENOTFOUND (no such secret key), VG_EINTERNAL
 * (gpgme failed; err has gpgme's reason) or VG_ENOMEM.
 */
int securitytxt_sign(const char *text, size_t n, const char *key_id, struct vg_buf *out,
		     struct vg_error *err) VG_MUST_CHECK;

#endif
