/*
 * redact.c - URLs with their secrets masked (redact.h). One pass, left to
 * right; each part is judged whole before any of it is written, so a
 * truncated result is a prefix of the masked text, never of the clear one.
 */
#include "core/redact.h"

#include <string.h>

#include "core/banned.h"

#define MASK "***"

struct out {
	char *p;
	size_t cap, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->cap && o->len + 1 < o->cap)
			o->p[o->len] = s[i];
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Case-insensitive equality of s (n bytes) and the NUL-terminated word. */
static int eq(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);
	if (k != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != word[i])
			return 0;
	return 1;
}

static int contains(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (eq(s + i, k, word))
			return 1;
	return 0;
}

/* 20 or more characters of base64/base64url/hex (percent escapes allowed)
 * with an unbroken run of at least 16 letters and digits, or with upper
 * case, lower case and digits mixed: a token, a key, a webhook id; not a
 * word, a date or a UUID. */
static int looks_random(const char *s, size_t n)
{
	size_t run = 0, best = 0;
	int up = 0, low = 0, dig = 0;
	if (n < 20)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (is_alnum(c)) {
			up |= c >= 'A' && c <= 'Z';
			low |= c >= 'a' && c <= 'z';
			dig |= is_digit(c);
			if (++run > best)
				best = run;
			continue;
		}
		if (!strchr("+=_-.~%", c) || c == 0)
			return 0;
		run = 0;
	}
	return best >= 16 || (up && low && dig);
}

int vg_redact_param_is_secret(const char *name, size_t n)
{
	static const char *const exact[] = {
	    "token", "key",    "secret",        "password", "pass",          "passwd",
	    "pwd",   "pw",     "sig",           "auth",     "code",          "apikey",
	    "jwt",   "bearer", "authorization", "otp",      "private_token", NULL};
	static const char *const part[] = {"token",      "secret",  "passw",   "signature",
					   "credential", "api_key", "api-key", "apikey",
					   "session",    "auth",    NULL};
	char dec[128];
	size_t k = 0;

	/* compare the name as the receiver decodes it ("api%5Fkey") */
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)name[i];
		if (c == '%' && i + 2 < n && hexval((unsigned char)name[i + 1]) >= 0 &&
		    hexval((unsigned char)name[i + 2]) >= 0) {
			c = hexval((unsigned char)name[i + 1]) * 16 +
			    hexval((unsigned char)name[i + 2]);
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (k >= sizeof(dec))
			return looks_random(name, n);
		dec[k++] = (char)c;
	}
	for (int i = 0; exact[i]; i++)
		if (eq(dec, k, exact[i]))
			return 1;
	for (int i = 0; part[i]; i++)
		if (contains(dec, k, part[i]))
			return 1;
	/* routing_key, integrationKey, subscription-key ... */
	return k >= 3 && eq(dec + k - 3, 3, "key");
}

/* One query or fragment part: name=value pairs split on '&' or ';'. */
static void params(struct out *o, const char *s, size_t n)
{
	size_t i = 0;
	while (i <= n) {
		size_t j = i, eqpos;
		while (j < n && s[j] != '&' && s[j] != ';')
			j++;
		eqpos = i;
		while (eqpos < j && s[eqpos] != '=')
			eqpos++;
		if (eqpos < j) {
			const char *v = s + eqpos + 1;
			size_t vn = j - eqpos - 1;
			put(o, s + i, eqpos - i + 1);
			if (vn &&
			    (vg_redact_param_is_secret(s + i, eqpos - i) || looks_random(v, vn)))
				puts_(o, MASK);
			else
				put(o, v, vn);
		} else if (looks_random(s + i, j - i)) {
			puts_(o, MASK);
		} else {
			put(o, s + i, j - i);
		}
		if (j >= n)
			break;
		put(o, s + j, 1);
		i = j + 1;
	}
}

/* After a segment of this name, the rest of the path is the secret. */
static int webhook_marker(const char *s, size_t n)
{
	return eq(s, n, "hooks") || eq(s, n, "webhooks") || eq(s, n, "webhook") ||
	       eq(s, n, "webhookb2");
}

static int host_is(const char *h, size_t n, const char *name)
{
	return eq(h, n, name);
}

static int host_ends(const char *h, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n > k && eq(h + n - k, k, suffix);
}

/* The path: segments split on '/'; host is the lower-case-insensitive host
 * name (may be empty). */
static void path(struct out *o, const char *s, size_t n, const char *host, size_t hn)
{
	/* hooks.slack.com/services/T/B/X, outlook.office.com/webhook/...: all
	 * but the first segment */
	int whole_host =
	    host_is(host, hn, "hooks.slack.com") || host_is(host, hn, "hooks.slack-gov.com") ||
	    host_ends(host, hn, ".webhook.office.com") || host_is(host, hn, "outlook.office.com") ||
	    host_is(host, hn, "outlook.office365.com");
	size_t i = 0, segs = 0;

	while (i < n) {
		size_t j;
		if (s[i] == '/') {
			put(o, s + i, 1);
			i++;
			continue;
		}
		j = i;
		while (j < n && s[j] != '/')
			j++;
		if (looks_random(s + i, j - i))
			puts_(o, MASK);
		else
			put(o, s + i, j - i);
		segs++;
		if (webhook_marker(s + i, j - i) || (whole_host && segs == 1)) {
			/* the separator, then the rest (if any) as one mask */
			size_t k = j;
			while (k < n && s[k] == '/')
				k++;
			put(o, s + j, k - j);
			if (k < n)
				puts_(o, MASK);
			return;
		}
		i = j;
	}
}

/* The colon of host:port, after an IPv6 literal's brackets. */
static const char *port_colon(const char *h, size_t n)
{
	const char *e = h + n, *p = h;
	if (n && *h == '[') {
		p = memchr(h, ']', n);
		if (!p)
			return NULL;
	}
	return memchr(p, ':', (size_t)(e - p));
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Path, query and fragment. */
static void tail(struct out *o, const char *rest, const char *host, size_t hn)
{
	size_t pn = strcspn(rest, "?#");
	path(o, rest, pn, host, hn);
	rest += pn;
	if (*rest == '?') {
		size_t qn = strcspn(rest + 1, "#");
		put(o, rest, 1);
		params(o, rest + 1, qn);
		rest += 1 + qn;
	}
	if (*rest == '#') {
		put(o, rest, 1);
		params(o, rest + 1, strlen(rest + 1));
	}
}

size_t vg_redact_url(const char *url, char *out, size_t outsz)
{
	struct out o = {out, outsz, 0};
	const char *p, *q, *auth, *aend, *host = "", *rest;
	size_t hn = 0;

	if (!url)
		url = "";
	p = url;
	q = p;
	if (is_alpha((unsigned char)*q)) {
		while (is_alnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
			q++;
		if (*q != ':')
			q = p;
	}
	/* the authority follows the first "//" before any query or fragment
	 * (after the scheme, or wherever a sloppy value puts it) */
	auth = NULL;
	for (const char *k = p; *k && *k != '?' && *k != '#'; k++)
		if (k[0] == '/' && k[1] == '/') {
			auth = k + 2;
			break;
		}
	if (auth) {
		const char *at, *colon;
		aend = auth + strcspn(auth, "/?#");
		/* what comes before "//" should be a scheme: anything with an '@'
		 * there is hidden up to it */
		at = NULL;
		for (const char *k = p; k < auth; k++)
			if (*k == '@')
				at = k;
		if (at) {
			puts_(&o, MASK "@");
			p = at + 1;
		}
		put(&o, p, (size_t)(auth - p));
		at = NULL;
		for (const char *k = auth; k < aend; k++)
			if (*k == '@')
				at = k;
		colon = at ? NULL : port_colon(auth, (size_t)(aend - auth));
		if (!at && colon && !all_digits(colon + 1, (size_t)(aend - colon - 1))) {
			/* "user:pa/ss@host": a password with a '/', '?' or '#' unescaped;
			 * or "host:secret" without a host: hide all of it up to an '@' */
			at = strchr(aend, '@');
			if (at) {
				aend = at + 1 + strcspn(at + 1, "/?#");
				for (const char *k = at; k < aend; k++)
					if (*k == '@')
						at = k;
			} else {
				put(&o, auth, (size_t)(colon - auth));
				puts_(&o, ":" MASK);
				tail(&o, aend, "", 0);
				goto done;
			}
		}
		if (at) {
			puts_(&o, MASK "@");
			host = at + 1;
		} else {
			host = auth;
		}
		put(&o, host, (size_t)(aend - host));
		colon = port_colon(host, (size_t)(aend - host));
		hn = colon ? (size_t)(colon - host) : (size_t)(aend - host);
		rest = aend;
	} else {
		/* no authority: "user:pw@host" without a scheme's "//" */
		size_t first = strcspn(p, "/?#");
		const char *at = memchr(p, '@', first);
		if (at && memchr(p, ':', (size_t)(at - p)) && !(q - p == 6 && eq(p, 6, "mailto"))) {
			puts_(&o, MASK "@");
			p = at + 1;
		}
		rest = p;
	}
	tail(&o, rest, host, hn);
done:
	if (outsz)
		out[o.len < outsz ? o.len : outsz - 1] = '\0';
	return o.len;
}
