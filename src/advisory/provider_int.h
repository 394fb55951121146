/*
 * provider_int.h - inside the provider (provider.c, provider_check.c,
 * cmd_provider.c): the tree rendered from the store, and the checker.
 */
#ifndef VIGIL_ADVISORY_PROVIDER_INT_H
#define VIGIL_ADVISORY_PROVIDER_INT_H

#include "core/error.h"
#include "core/json.h"

#include <stddef.h>

struct store;
struct vg_buf;
struct vg_error;

/* server.public_url without a trailing slash (http://localhost:8080 when unset). */
const char *provider_base_url(char *buf, size_t n);

/* The SHA-512 of data as 128 hex digits. */
void provider_sha512_hex(const void *data, size_t n, char out[129]);

/* The file of the tree at path ("/.well-known/csaf/..."), appended to out,
 * its media type in *ctype. VG_ENOTFOUND when the tree has no such file. */
int provider_render(struct store *s, const char *path, struct vg_buf *out, const char **ctype,
		    struct vg_error *err) VG_MUST_CHECK;

/* One finding of the provider check: the requirement of CSAF 2.0 section
 * 7.1 ("7.1.18") or a document test, the URL and what is wrong. */
struct provider_finding {
	char requirement[16];
	char url[600];
	char message[600];
	int warning; /* 1: reported, does not fail the check */
};

struct provider_report {
	struct provider_finding *v;
	size_t n, cap;
	size_t documents, failures, warnings;
	char metadata_url[600];
};

/* Where the check reads the tree: a base URL over HTTP(S), or the store. */
struct provider_source {
	const char *base_url; /* NULL: render from store s */
	struct store *s;
	const char *cacert; /* extra CA file for https (tests); NULL: the system's */
	int allow_http;     /* requirement 7.1.3 (TLS) a warning instead of a failure */
	/* The fuzz target (tests/fuzz/fuzz_provider_check.c): with base_url set,
	 * every GET is answered by fetch instead of HTTP (0 and the body in out,
	 * or the HTTP status it answered), and no_openpgp leaves GnuPG out
	 * (every signature and key then fails 7.1.19 / 7.1.20). */
	int (*fetch)(void *arg, const char *url, struct vg_buf *out);
	void *fetch_arg;
	int no_openpgp;
};

/* Check the tree against the requirements of a trusted provider (7.1.1 -
 * 7.1.20 as they apply to the distributions provider-metadata.json names). */
int provider_check(const struct provider_source *src, struct provider_report *out,
		   struct vg_error *err) VG_MUST_CHECK;
void provider_report_free(struct provider_report *r);
json_t *provider_report_to_json(const struct provider_report *r);

#endif
