/*
 * attach.h - the one way to send stored bytes that came from outside (SBOM
 * originals, case attachments): as a download, never as a page.
 *
 * http_attachment() answers 200 with
 *   Content-Type             a safe type: application/json, application/xml,
 *                            application/pgp-keys or application/octet-stream
 *                            (anything else asked for, text/html included,
 *                            becomes application/octet-stream)
 *   Content-Disposition      attachment; filename="<ASCII>"; filename*=UTF-8''<exact>
 *                            (RFC 6266: the name without quotes, backslashes,
 *                            path separators, control characters or Unicode
 *                            direction controls; '_' for each character
 *                            that is not ASCII in the quoted form)
 *   Content-Security-Policy  sandbox; default-src 'none' (beside the server's
 *                            own policy: a browser that renders it anyway runs
 *                            no script and loads nothing)
 * and X-Content-Type-Options: nosniff, which the server sends with every
 * response.
 */
#ifndef VIGIL_HTTP_ATTACH_H
#define VIGIL_HTTP_ATTACH_H

#include <stddef.h>

#include "http/http.h"

/* The policy every download carries. */
#define HTTP_ATTACHMENT_CSP "sandbox; default-src 'none'"

/*
 * Send n bytes of data as a download named filename (NULL or empty:
 * fallback, e.g. "sbom-12"). ctype NULL: chosen from the bytes
 * (http_attachment_type). VG_OK or VG_ENOMEM.
 */
int http_attachment(struct http_resp *resp, const char *data, size_t n, const char *ctype,
		    const char *filename, const char *fallback) VG_MUST_CHECK;

/* A safe type for stored bytes: application/json when they start (after
 * white space) with { or [, application/xml with <, else
 * application/octet-stream. */
const char *http_attachment_type(const char *data, size_t n);

/*
 * The Content-Disposition value for filename into out (outsz bytes; at
 * least 64): the name cleaned as described above and cut to 200 bytes;
 * fallback when nothing is left. Returns out.
 */
char *http_content_disposition(const char *filename, const char *fallback, char *out, size_t outsz);

#endif
