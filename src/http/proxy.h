/*
 * proxy.h - who the client is behind reverse proxies: the list of trusted
 * proxies (setting server.trusted_proxies) and the walk of X-Forwarded-For.
 *
 * Rules:
 *  - Only a peer that is a trusted proxy is believed: its X-Forwarded-For is
 *    read from the right, skipping addresses that are themselves trusted
 *    proxies; the first one that is not is the client. A malformed entry
 *    stops the walk (the last trusted hop is then the client). A peer that
 *    is not trusted is the client, whatever it sends.
 *  - Addresses are compared as bytes: an IPv4-mapped IPv6 address
 *    (::ffff:192.0.2.1) is its IPv4 address. The client is written in the
 *    canonical text of inet_ntop(), so equal addresses give equal strings.
 *  - Pure functions, no allocation: fuzzed by tests/fuzz/fuzz_proxy.c.
 */
#ifndef VIGIL_HTTP_PROXY_H
#define VIGIL_HTTP_PROXY_H

#include "core/error.h"

#include <stddef.h>

struct vg_error;

#define HTTP_PROXIES_MAX 64 /* entries of server.trusted_proxies */

struct http_cidr {
	int v6;                 /* 0: IPv4 (addr[0..3]), 1: IPv6 */
	unsigned char addr[16]; /* network address, host bits zero */
	int bits;               /* prefix length */
};

struct http_proxies {
	struct http_cidr item[HTTP_PROXIES_MAX];
	int n;
};

/*
 * Parse a comma- or blank-separated list of addresses and CIDRs
 * ("10.0.0.0/8, 192.0.2.7, 2001:db8::/32"); NULL or empty is the empty
 * list. VG_EINVAL naming what (the setting) and the entry on a bad one,
 * VG_ETOOBIG past HTTP_PROXIES_MAX entries.
 */
int http_proxies_parse(const char *text, const char *what, struct http_proxies *out,
		       struct vg_error *err) VG_MUST_CHECK;

/* 1 when addr (text: "192.0.2.7", "::1") is in the list. */
int http_proxies_match(const struct http_proxies *p, const char *addr);

/*
 * The client of a request from peer (text) carrying the X-Forwarded-For
 * header values xff[0..nxff-1] (in the order received) into out (at least
 * 46 bytes for the canonical form; shorter is cut). See the rules above.
 */
void http_client_address(const struct http_proxies *p, const char *peer, const char *const *xff,
			 int nxff, char *out, size_t outsz);

/* 1 when the right-most element of the X-Forwarded-Proto values is "https". */
int http_forwarded_https(const char *const *xfp, int n);

#endif
