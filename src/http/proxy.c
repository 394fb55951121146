/*
 * proxy.c - trusted proxies and X-Forwarded-For (see proxy.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "http/proxy.h"
#include "core/error.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define ELEM_MAX 64 /* longest list element considered ("[v6%zone]:port" fits) */

/* An address in binary: v6 0/1, 4 or 16 bytes. IPv4-mapped IPv6 becomes IPv4. */
static int addr_parse(const char *s, size_t n, int *v6, unsigned char out[16])
{
	char buf[ELEM_MAX];

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(out, 0, 16);
	if (inet_pton(AF_INET, buf, out) == 1) {
		*v6 = 0;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, out) == 1) {
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(out, mapped, sizeof(mapped)) == 0) {
			memmove(out, out + 12, 4);
			memset(out + 4, 0, 12);
			*v6 = 0;
		} else {
			*v6 = 1;
		}
		return 0;
	}
	return -1;
}

/* An element of X-Forwarded-For: "192.0.2.1", "192.0.2.1:80", "2001:db8::1",
 * "[2001:db8::1]", "[2001:db8::1]:80". Surrounding blanks are ignored. */
static int elem_parse(const char *s, size_t n, int *v6, unsigned char out[16])
{
	const char *colon;

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n && *s == '[') {
		const char *end = memchr(s, ']', n);
		size_t rest;
		if (!end)
			return -1;
		rest = n - (size_t)(end - s) - 1;
		if (rest) {
			/* ":port" only */
			if (end[1] != ':' || rest < 2)
				return -1;
			for (size_t i = 2; i < rest + 1; i++)
				if (!isdigit((unsigned char)end[i]))
					return -1;
		}
		if (addr_parse(s + 1, (size_t)(end - s - 1), v6, out) || !*v6)
			return -1;
		return 0;
	}
	colon = memchr(s, ':', n);
	if (colon && !memchr(colon + 1, ':', n - (size_t)(colon - s) - 1)) {
		/* one colon: IPv4 with a port */
		for (const char *p = colon + 1; p < s + n; p++)
			if (!isdigit((unsigned char)*p))
				return -1;
		if (colon + 1 == s + n)
			return -1;
		if (addr_parse(s, (size_t)(colon - s), v6, out) || *v6)
			return -1;
		return 0;
	}
	return addr_parse(s, n, v6, out);
}

static int cidr_has(const struct http_cidr *c, int v6, const unsigned char a[16])
{
	int full, rest;

	if (c->v6 != v6)
		return 0;
	full = c->bits / 8;
	rest = c->bits % 8;
	if (memcmp(c->addr, a, (size_t)full) != 0)
		return 0;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((c->addr[full] & mask) != (a[full] & mask))
			return 0;
	}
	return 1;
}

static int match_bin(const struct http_proxies *p, int v6, const unsigned char a[16])
{
	for (int i = 0; p && i < p->n; i++)
		if (cidr_has(&p->item[i], v6, a))
			return 1;
	return 0;
}

int http_proxies_parse(const char *text, const char *what, struct http_proxies *out,
		       struct vg_error *err)
{
	const char *p = text ? text : "";

	memset(out, 0, sizeof(*out));
	for (;;) {
		const char *start, *slash;
		size_t n;
		struct http_cidr c;
		int64_t bits;
		char show[ELEM_MAX + 4];

		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		n = (size_t)(p - start);
		snprintf(show, sizeof(show), "%.*s%s", (int)(n < ELEM_MAX ? n : ELEM_MAX), start,
			 n > ELEM_MAX ? "..." : "");
		if (out->n >= HTTP_PROXIES_MAX)
			return vg_error_set(err, VG_ETOOBIG, "%s: more than %d entries", what,
					    HTTP_PROXIES_MAX);
		memset(&c, 0, sizeof(c));
		slash = memchr(start, '/', n);
		if (addr_parse(start, slash ? (size_t)(slash - start) : n, &c.v6, c.addr))
			goto bad;
		bits = c.v6 ? 128 : 32;
		if (slash) {
			size_t bn = n - (size_t)(slash - start) - 1;
			if (bn == 0 || bn > 3)
				goto bad;
			bits = 0;
			for (size_t i = 0; i < bn; i++) {
				if (!isdigit((unsigned char)slash[1 + i]))
					goto bad;
				bits = bits * 10 + (slash[1 + i] - '0');
			}
			if (bits > (c.v6 ? 128 : 32))
				goto bad;
		}
		c.bits = (int)bits;
		/* clear the host bits: 10.1.2.3/8 is 10.0.0.0/8 */
		for (int b = c.bits; b < 128; b++)
			c.addr[b / 8] &= (unsigned char)~(0x80 >> (b % 8));
		out->item[out->n++] = c;
		continue;
	bad:
		return vg_error_set(err, VG_EINVAL,
				    "%s: '%s' (entry %d): expected an IPv4 or IPv6 address or a "
				    "CIDR such as 10.0.0.0/8 or 2001:db8::/32",
				    what, show, out->n + 1);
	}
	return VG_OK;
}

int http_proxies_match(const struct http_proxies *p, const char *addr)
{
	unsigned char a[16];
	int v6 = 0;
	if (!addr || addr_parse(addr, strlen(addr), &v6, a))
		return 0;
	return match_bin(p, v6, a);
}

static void addr_text(int v6, const unsigned char a[16], char *out, size_t outsz)
{
	char buf[INET6_ADDRSTRLEN];
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, a, buf, sizeof(buf)))
		buf[0] = '\0';
	snprintf(out, outsz, "%s", buf);
}

void http_client_address(const struct http_proxies *p, const char *peer, const char *const *xff,
			 int nxff, char *out, size_t outsz)
{
	unsigned char cur[16];
	int cur_v6 = 0;

	if (!outsz)
		return;
	if (!peer || addr_parse(peer, strlen(peer), &cur_v6, cur)) {
		snprintf(out, outsz, "%s", peer ? peer : "");
		return;
	}
	if (!match_bin(p, cur_v6, cur)) {
		addr_text(cur_v6, cur, out, outsz);
		return;
	}
	/* the peer is a trusted proxy: walk its list from the right */
	for (int h = nxff - 1; h >= 0; h--) {
		const char *v = xff[h] ? xff[h] : "";
		size_t end = strlen(v);
		for (;;) {
			size_t start = end;
			unsigned char a[16];
			int v6 = 0;
			while (start > 0 && v[start - 1] != ',')
				start--;
			if (elem_parse(v + start, end - start, &v6, a)) {
				/* an empty element between commas is skipped; junk stops */
				size_t k = start;
				while (k < end && (v[k] == ' ' || v[k] == '\t'))
					k++;
				if (k != end)
					goto done;
			} else {
				memcpy(cur, a, sizeof(cur));
				cur_v6 = v6;
				if (!match_bin(p, v6, a))
					goto done;
			}
			if (start == 0)
				break;
			end = start - 1;
		}
	}
done:
	addr_text(cur_v6, cur, out, outsz);
}

int http_forwarded_https(const char *const *xfp, int n)
{
	for (int h = n - 1; h >= 0; h--) {
		const char *v = xfp[h] ? xfp[h] : "";
		size_t end = strlen(v), start;
		/* the last non-empty element of this header value */
		for (;;) {
			size_t a, b;
			start = end;
			while (start > 0 && v[start - 1] != ',')
				start--;
			a = start;
			b = end;
			while (a < b && (v[a] == ' ' || v[a] == '\t'))
				a++;
			while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
				b--;
			if (b > a)
				return b - a == 5 && strncasecmp(v + a, "https", 5) == 0;
			if (start == 0)
				break;
			end = start - 1;
		}
	}
	return 0;
}
