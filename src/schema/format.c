/*
 * format.c - the "format" keyword when it is an assertion: which formats are
 * checked (format_id) and the checks themselves; the regex dialect of
 * schemas (ECMA-262 on PCRE2) is compiled here too.
 */
#define _POSIX_C_SOURCE       200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema/schema_int.h"
#include "core/buf.h"
#include "core/error.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

pcre2_code *js_regex_compile(const char *src, size_t n)
{
	int ec;
	PCRE2_SIZE eo;
	return pcre2_compile((PCRE2_SPTR)src, n, PCRE2_UTF | PCRE2_ALT_BSUX, &ec, &eo, NULL);
}

static int digits(const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

static int num(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

static int is_date(const char *p, size_t n)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;
	if (n != 10 || !digits(p, 4) || p[4] != '-' || !digits(p + 5, 2) || p[7] != '-' ||
	    !digits(p + 8, 2))
		return 0;
	y = num(p, 4);
	m = num(p + 5, 2);
	d = num(p + 8, 2);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

static int is_time(const char *p, size_t n)
{
	size_t i = 8;
	if (n < 9 || !digits(p, 2) || p[2] != ':' || !digits(p + 3, 2) || p[5] != ':' ||
	    !digits(p + 6, 2))
		return 0;
	if (num(p, 2) > 23 || num(p + 3, 2) > 59 || num(p + 6, 2) > 60)
		return 0;
	if (p[i] == '.') {
		size_t f = ++i;
		while (i < n && isdigit((unsigned char)p[i]))
			i++;
		if (i == f)
			return 0;
	}
	if (i < n && (p[i] == 'Z' || p[i] == 'z'))
		return i + 1 == n;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		return n - i == 6 && digits(p + i + 1, 2) && p[i + 3] == ':' &&
		       digits(p + i + 4, 2) && num(p + i + 1, 2) < 24 && num(p + i + 4, 2) < 60;
	return 0;
}

static int is_datetime(const char *p, size_t n)
{
	return n > 11 && (p[10] == 'T' || p[10] == 't' || p[10] == ' ') && is_date(p, 10) &&
	       is_time(p + 11, n - 11);
}

static int is_hostname(const char *p, size_t n)
{
	size_t lab = 0;
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '.') {
			if (lab == 0 || p[i - 1] == '-')
				return 0;
			lab = 0;
			continue;
		}
		if (!(isalnum(c) || c == '-' || c >= 0x80))
			return 0;
		if (c == '-' && lab == 0)
			return 0;
		if (++lab > 63)
			return 0;
	}
	return lab > 0 && p[n - 1] != '-';
}

static int is_email(const char *p, size_t n, int idn)
{
	const char *at = memchr(p, '@', n);
	size_t local;
	if (!at || memchr(at + 1, '@', n - (size_t)(at - p) - 1))
		return 0;
	local = (size_t)(at - p);
	if (local == 0 || local > 64 || p[0] == '.' || p[local - 1] == '.')
		return 0;
	for (size_t i = 0; i < local; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c <= ' ' || c == 0x7f || strchr("()<>[]:;,\\\"", c) || (!idn && c >= 0x80))
			return 0;
		if (c == '.' && p[i + 1] == '.')
			return 0;
	}
	if (n - local - 1 >= 2 && at[1] == '[' && p[n - 1] == ']')
		return 1; /* address literal, not checked further */
	if (!idn)
		for (size_t i = local + 1; i < n; i++)
			if ((unsigned char)p[i] >= 0x80)
				return 0;
	return is_hostname(at + 1, n - local - 1);
}

/* RFC 3986 / 3987 characters; iri allows non-ASCII (the ucschar ranges, roughly). */
static int uri_chars_ok(const char *p, size_t n, int iri)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x80) {
			if (!iri)
				return 0;
			continue;
		}
		if (c == '%') {
			if (i + 2 >= n)
				return 0;
			if (!isxdigit((unsigned char)p[i + 1]) ||
			    !isxdigit((unsigned char)p[i + 2]))
				return 0;
			i += 2;
			continue;
		}
		if (isalnum(c) || strchr("-._~:/?#[]@!$&'()*+,;=", c))
			continue;
		return 0;
	}
	return 1;
}

static int is_uri_ref(const char *p, size_t n, int iri, int absolute)
{
	struct uri u;
	if (memchr(p, '\0', n) || !uri_chars_ok(p, n, iri))
		return 0;
	js_uri_parse(p, &u);
	if (absolute && !u.has_scheme)
		return 0;
	/* '#' may appear once; '[' ']' only in the authority */
	if (u.has_frag && memchr(u.frag, '#', u.frag_n))
		return 0;
	for (size_t i = 0; i < u.path_n; i++)
		if (u.path[i] == '[' || u.path[i] == ']')
			return 0;
	if (u.has_auth && u.auth_n && memchr(u.auth, '[', u.auth_n)) {
		const char *lb = memchr(u.auth, '[', u.auth_n);
		const char *rb = memchr(u.auth, ']', u.auth_n);
		if (!rb || rb < lb)
			return 0;
	}
	return 1;
}

static int is_ipv4(const char *p, size_t n)
{
	char tmp[16];
	struct in_addr a;
	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	/* inet_pton refuses leading zeros on glibc only sometimes; be explicit */
	for (size_t i = 0; i < n; i++)
		if (tmp[i] == '0' && (i == 0 || tmp[i - 1] == '.') && i + 1 < n &&
		    isdigit((unsigned char)tmp[i + 1]))
			return 0;
	return inet_pton(AF_INET, tmp, &a) == 1;
}

static int is_ipv6(const char *p, size_t n)
{
	char tmp[64];
	struct in6_addr a;
	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return inet_pton(AF_INET6, tmp, &a) == 1;
}

static int is_uuid(const char *p, size_t n)
{
	if (n != 36)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (p[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)p[i])) {
			return 0;
		}
	}
	return 1;
}

static int is_json_pointer(const char *p, size_t n)
{
	if (n && p[0] != '/')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '~' && (i + 1 >= n || (p[i + 1] != '0' && p[i + 1] != '1')))
			return 0;
	return 1;
}

/* The formats checked when "format" is an assertion; F_NONE: any other (passes). */
enum {
	F_NONE,
	F_DATETIME,
	F_DATE,
	F_TIME,
	F_EMAIL,
	F_IDNEMAIL,
	F_HOSTNAME,
	F_IPV4,
	F_IPV6,
	F_URI,
	F_URIREF,
	F_IRI,
	F_IRIREF,
	F_UUID,
	F_JSONPTR,
	F_REGEX,
};

int js_format_id(const char *fmt)
{
	static const struct {
		const char *name;
		int id;
	} fmts[] = {
	    {"date-time", F_DATETIME},
	    {"date", F_DATE},
	    {"time", F_TIME},
	    {"email", F_EMAIL},
	    {"idn-email", F_IDNEMAIL},
	    {"hostname", F_HOSTNAME},
	    {"idn-hostname", F_HOSTNAME},
	    {"ipv4", F_IPV4},
	    {"ipv6", F_IPV6},
	    {"uri", F_URI},
	    {"uri-reference", F_URIREF},
	    {"iri", F_IRI},
	    {"iri-reference", F_IRIREF},
	    {"uuid", F_UUID},
	    {"json-pointer", F_JSONPTR},
	    {"regex", F_REGEX},
	};
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (!strcmp(fmt, fmts[i].name))
			return fmts[i].id;
	return F_NONE;
}

/* 1 ok or unknown format, 0 not of the format. */
int js_format_check(int id, const char *p, size_t n)
{
	switch (id) {
	case F_DATETIME:
		return is_datetime(p, n);
	case F_DATE:
		return is_date(p, n);
	case F_TIME:
		return is_time(p, n);
	case F_EMAIL:
		return is_email(p, n, 0);
	case F_IDNEMAIL:
		return is_email(p, n, 1);
	case F_HOSTNAME:
		return is_hostname(p, n);
	case F_IPV4:
		return is_ipv4(p, n);
	case F_IPV6:
		return is_ipv6(p, n);
	case F_URI:
		return is_uri_ref(p, n, 0, 1);
	case F_URIREF:
		return is_uri_ref(p, n, 0, 0);
	case F_IRI:
		return is_uri_ref(p, n, 1, 1);
	case F_IRIREF:
		return is_uri_ref(p, n, 1, 0);
	case F_UUID:
		return is_uuid(p, n);
	case F_JSONPTR:
		return is_json_pointer(p, n);
	case F_REGEX: {
		pcre2_code *c = js_regex_compile(p, n);
		pcre2_code_free(c);
		return c != NULL;
	}
	default:
		return 1;
	}
}
