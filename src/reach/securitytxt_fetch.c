/*
 * securitytxt_fetch.c - fetch a security.txt over HTTPS (libcurl) and
 * validate it, turning every transport problem into a finding.
 *
 * Redirects are followed by hand (at most MAX_HOPS) so each hop can be
 * reported and a downgrade to http caught. Certificates are always
 * verified; a test or an internal CA adds its certificate with cacert.
 */
#define _POSIX_C_SOURCE 200809L
#include "reach/securitytxt.h"
#include "reach/securitytxt_int.h"

#include "core/buf.h"
#include "core/error.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define MAX_HOPS 5

struct resp {
	struct vg_buf body;
	char ctype[256];
	int has_ctype;
	int too_big;
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *u)
{
	struct resp *r = u;
	size_t n = size * nmemb;
	if (vg_buf_add(&r->body, p, n)) {
		r->too_big = 1;
		return 0;
	}
	return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *u)
{
	struct resp *r = u;
	size_t n = size * nmemb, k = 13;

	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		r->has_ctype = 0; /* a new response (e.g. after 100 Continue) */
		r->ctype[0] = '\0';
	} else if (n > k && strncasecmp(p, "Content-Type:", k) == 0) {
		size_t e = n;
		while (k < n && (p[k] == ' ' || p[k] == '\t'))
			k++;
		while (e > k && isspace((unsigned char)p[e - 1]))
			e--;
		snprintf(r->ctype, sizeof(r->ctype), "%.*s", (int)(e - k), p + k);
		r->has_ctype = 1;
	}
	return n;
}

static int is_tls_error(CURLcode cc)
{
	switch (cc) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
		return 1;
	default:
		return 0;
	}
}

static int is_https(const char *u)
{
	return strncasecmp(u, "https://", 8) == 0;
}

/* Check "text/plain; charset=utf-8" (media type and charset case-insensitive,
 * the charset possibly quoted). */
static void check_ctype(struct securitytxt_report *r, const struct resp *rs, const char *url)
{
	const char *v = rs->ctype, *semi, *cs = NULL;
	size_t tl;

	if (!rs->has_ctype) {
		securitytxt__add(r, STX_http_content_type, 0,
				 "%.200s was served without a Content-Type; it must be "
				 "text/plain; charset=utf-8",
				 url);
		return;
	}
	semi = strchr(v, ';');
	tl = semi ? (size_t)(semi - v) : strlen(v);
	while (tl && isspace((unsigned char)v[tl - 1]))
		tl--;
	if (tl != 10 || strncasecmp(v, "text/plain", 10) != 0)
		securitytxt__add(r, STX_http_content_type, 0,
				 "%.200s was served as '%.80s'; it must be text/plain; "
				 "charset=utf-8",
				 url, v);
	for (const char *p = semi; p && *p; p = strchr(p + 1, ';')) {
		const char *q = p + 1;
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncasecmp(q, "charset=", 8) == 0)
			cs = q + 8;
	}
	if (!cs) {
		securitytxt__add(r, STX_http_charset, 0,
				 "%.200s was served without charset=utf-8 in its Content-Type",
				 url);
		return;
	}
	{
		size_t cl;
		if (*cs == '"')
			cs++;
		cl = strcspn(cs, "\"; \t");
		if (cl != 5 || strncasecmp(cs, "utf-8", 5) != 0)
			securitytxt__add(r, STX_http_charset, 0,
					 "%.200s was served with charset '%.*s'; it must be utf-8",
					 url, (int)(cl > 40 ? 40 : cl), cs);
	}
}

/*
 * One request, no redirects followed. Returns 0 and the status in *status
 * (and a redirect target in loc), or -1 after adding a transport finding.
 */
static int fetch_once(const char *url, const struct securitytxt_options *opt,
		      struct securitytxt_report *r, struct resp *rs, long *status, char *loc,
		      size_t locsz)
{
	CURL *h = curl_easy_init();
	char ebuf[CURL_ERROR_SIZE] = "";
	CURLcode cc;
	char *redir = NULL;
	int rc = -1;

	*status = 0;
	loc[0] = '\0';
	if (!h) {
		securitytxt__add(r, STX_http_unreachable, 0, "libcurl could not be initialised");
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, opt->timeout_s > 0 ? opt->timeout_s : 20L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "vigil/" VIGIL_VERSION " security.txt check");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (opt->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, opt->cacert);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)SECURITYTXT_MAX_SIZE);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, rs);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, rs);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	cc = curl_easy_perform(h);
	if (cc == CURLE_FILESIZE_EXCEEDED || rs->too_big) {
		securitytxt__add(r, STX_too_large, 0, "%.200s is larger than %d bytes", url,
				 SECURITYTXT_MAX_SIZE);
		goto out;
	}
	if (cc != CURLE_OK) {
		securitytxt__add(r, is_tls_error(cc) ? STX_http_tls : STX_http_unreachable, 0,
				 "%.200s: %s", url, ebuf[0] ? ebuf : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &redir) == CURLE_OK && redir)
		snprintf(loc, locsz, "%s", redir);
	rc = 0;
out:
	curl_easy_cleanup(h);
	return rc;
}

/*
 * Fetch url following redirects. Returns 1 when a 200 body is in rs, 0 when
 * the server answered otherwise (status finding added), -1 on a transport
 * failure (finding added). chain receives each URL visited.
 */
static int fetch_follow(const char *url, const struct securitytxt_options *opt,
			struct securitytxt_report *r, struct resp *rs, char chain[][512],
			size_t *nchain)
{
	char cur[512], loc[1024];
	long status;

	snprintf(cur, sizeof(cur), "%s", url);
	*nchain = 0;
	for (int hop = 0; hop <= MAX_HOPS; hop++) {
		snprintf(chain[(*nchain)++], 512, "%s", cur);
		vg_buf_reset(&rs->body);
		rs->has_ctype = 0;
		rs->too_big = 0;
		if (fetch_once(cur, opt, r, rs, &status, loc, sizeof(loc)))
			return -1;
		if (status >= 300 && status < 400 && loc[0]) {
			if (hop == MAX_HOPS)
				break;
			securitytxt__add(r, STX_http_redirect, 0,
					 "%.200s redirected (HTTP %ld) to %.200s", cur, status,
					 loc);
			if (!is_https(loc))
				securitytxt__add(r, STX_http_redirect_insecure, 0,
						 "%.200s redirects to %.200s, which is not https",
						 cur, loc);
			if (strlen(loc) >= sizeof(cur)) {
				securitytxt__add(r, STX_http_status, 0,
						 "redirect target of %.200s is too long", cur);
				return 0;
			}
			snprintf(cur, sizeof(cur), "%s", loc);
			continue;
		}
		if (status != 200) {
			securitytxt__add(r, STX_http_status, 0, "%.200s answered HTTP %ld", cur,
					 status);
			return 0;
		}
		return 1;
	}
	securitytxt__add(r, STX_http_status, 0, "more than %d redirects from %.200s", MAX_HOPS,
			 url);
	return 0;
}

int securitytxt_check_url(const char *target, const struct securitytxt_options *opt,
			  struct securitytxt_report *out, struct vg_error *err)
{
	static const struct securitytxt_options none = {0};
	char base[512], cand[2][512], chain[MAX_HOPS + 1][512];
	const char *urls[MAX_HOPS + 1];
	const char *rest, *path;
	size_t ncand = 0, nchain = 0;
	struct resp rs;
	int rc = VG_OK;

	memset(out, 0, sizeof(*out));
	if (!opt)
		opt = &none;
	if (!target || !*target || strlen(target) > 400)
		return vg_error_set(err, VG_EINVAL, "'%.80s' is not a URL or host name",
				    target ? target : "");
	for (const char *q = target; *q; q++)
		if ((unsigned char)*q <= 0x20 || *q == 0x7f)
			return vg_error_set(err, VG_EINVAL, "URL '%.80s' contains white space",
					    target);
	if (strstr(target, "://")) {
		if (strncasecmp(target, "https://", 8) && strncasecmp(target, "http://", 7))
			return vg_error_set(err, VG_EINVAL,
					    "'%.80s': only http(s) URLs can be checked", target);
		snprintf(base, sizeof(base), "%s", target);
	} else {
		snprintf(base, sizeof(base), "https://%s", target);
	}
	rest = strstr(base, "://") + 3;
	path = rest + strcspn(rest, "/?#");
	if (path == rest)
		return vg_error_set(err, VG_EINVAL, "'%.80s' has no host", target);
	if (*path == '\0' || strcmp(path, "/") == 0) {
		int hl = (int)(path - base);
		snprintf(cand[ncand++], sizeof(cand[0]), "%.*s/.well-known/security.txt", hl, base);
		snprintf(cand[ncand++], sizeof(cand[0]), "%.*s/security.txt", hl, base);
	} else {
		snprintf(cand[ncand++], sizeof(cand[0]), "%s", base);
	}
	if (!is_https(base))
		securitytxt__add(out, STX_http_not_https, 0,
				 "%.200s does not use https; security.txt must be fetched over "
				 "https",
				 base);
	vg_buf_init(&rs.body, SECURITYTXT_MAX_SIZE);
	for (size_t i = 0; i < ncand; i++) {
		int got = fetch_follow(cand[i], opt, out, &rs, chain, &nchain);
		if (got < 0)
			break; /* the host is not reachable: the legacy path will not be */
		if (got == 0)
			continue;
		snprintf(out->url, sizeof(out->url), "%s", chain[nchain - 1]);
		if (ncand > 1 && i == 1)
			securitytxt__add(out, STX_location_legacy, 0,
					 "security.txt was found only at the legacy %.200s; it "
					 "must be at /.well-known/security.txt",
					 cand[i]);
		check_ctype(out, &rs, chain[nchain - 1]);
		for (size_t k = 0; k < nchain; k++)
			urls[k] = chain[k];
		rc = securitytxt__validate_into(rs.body.data ? rs.body.data : "", rs.body.len, opt,
						urls, nchain, out, err);
		break;
	}
	vg_buf_release(&rs.body);
	if (!rc && out->incomplete)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	return rc;
}
