/*
 * securitytxt.c - the RFC 9116 validator and generator.
 *
 * The file is read line by line (CRLF or LF) in one pass; a small state
 * machine follows the OpenPGP cleartext framework around the fields, and
 * each field line is checked as it is met. Whole-file rules (Contact and
 * Expires present, Canonical against the URL, the signature) run at the end.
 */
#define _POSIX_C_SOURCE 200809L
#include "reach/securitytxt.h"
#include "reach/securitytxt_int.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static const struct {
	const char *code;
	enum securitytxt_severity severity;
	const char *what;
} catalogue[] = {
#define SECURITYTXT_X_ROW(c, s, w) {#c, SECURITYTXT_##s, w},
    SECURITYTXT_FINDINGS(SECURITYTXT_X_ROW)
#undef SECURITYTXT_X_ROW
};

#define ARMOR_MAX   (64 * 1024)
#define SIGNED_HEAD "-----BEGIN PGP SIGNED MESSAGE-----"
#define SIG_BEGIN   "-----BEGIN PGP SIGNATURE-----"
#define SIG_END     "-----END PGP SIGNATURE-----"

const char *securitytxt_severity_name(enum securitytxt_severity s)
{
	return s == SECURITYTXT_ERROR ? "error" : s == SECURITYTXT_WARNING ? "warning" : "notice";
}

static size_t utf8_seq(const unsigned char *s, size_t n);

/* Messages quote parts of the input cut to a length, which may split a UTF-8
 * sequence: replace what is not UTF-8 so the JSON report can hold it. */
static void utf8_scrub(char *m)
{
	size_t n = strlen(m), i = 0;
	while (i < n) {
		size_t k = utf8_seq((const unsigned char *)m + i, n - i);
		if (!k) {
			m[i++] = '?';
			continue;
		}
		i += k;
	}
}

int securitytxt__add(struct securitytxt_report *r, enum securitytxt_id id, int line,
		     const char *fmt, ...)
{
	struct securitytxt_finding *f;
	enum securitytxt_severity sev = catalogue[id].severity;
	va_list ap;

	if (sev == SECURITYTXT_ERROR)
		r->nerrors++;
	else if (sev == SECURITYTXT_WARNING)
		r->nwarnings++;
	else
		r->nnotices++;
	if (r->nfindings >= SECURITYTXT_MAX_FINDINGS) {
		r->suppressed++;
		return VG_OK;
	}
	if (!r->findings) {
		/* one allocation for the cap, plus the too_many_findings slot */
		r->findings = calloc(SECURITYTXT_MAX_FINDINGS + 1, sizeof(*r->findings));
		if (!r->findings) {
			r->incomplete = 1;
			return VG_ENOMEM;
		}
	}
	f = &r->findings[r->nfindings++];
	f->code = catalogue[id].code;
	f->severity = sev;
	f->line = line;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(f->message, sizeof(f->message), fmt, ap);
		va_end(ap);
		utf8_scrub(f->message);
	} else {
		snprintf(f->message, sizeof(f->message), "%s", catalogue[id].what);
	}
	return VG_OK;
}

void securitytxt_report_release(struct securitytxt_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nfields; i++) {
		free(r->fields[i].name);
		free(r->fields[i].value);
	}
	free(r->fields);
	free(r->findings);
	memset(r, 0, sizeof(*r));
}

/* ---- small lexical helpers ---- */

static int is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static int is_unreserved(int c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int is_subdelim(int c)
{
	return c && strchr("!$&'()*+,;=", c) != NULL;
}

static int is_pct(const char *s, size_t i, size_t n)
{
	return s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
	       isxdigit((unsigned char)s[i + 2]);
}

/* Length of the valid UTF-8 sequence at s (RFC 3629), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static int utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t k = utf8_seq(u + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/*
 * RFC 3986 URI check. On success the lower-cased scheme is copied to scheme.
 * On failure *why says what is wrong.
 */
static int uri_check(const char *s, size_t n, char *scheme, size_t ssz, const char **why)
{
	size_t i, k;
	int frag = 0;

	scheme[0] = '\0';
	if (!n) {
		*why = "it is empty";
		return -1;
	}
	for (i = 0;
	     i < n && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.');
	     i++)
		;
	if (!isalpha((unsigned char)s[0]) || i >= n || s[i] != ':') {
		*why = memchr(s, '@', n) ? "it has no scheme (an e-mail address needs mailto:)"
					 : "it has no scheme such as https: or mailto:";
		return -1;
	}
	for (k = 0; k < i && k + 1 < ssz; k++)
		scheme[k] = (char)tolower((unsigned char)s[k]);
	scheme[k] = '\0';
	i++;
	if (n - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		size_t a = i + 2, e = a, h, he;
		while (e < n && s[e] != '/' && s[e] != '?' && s[e] != '#')
			e++;
		for (k = a; k < e; k++) {
			int c = (unsigned char)s[k];
			if (c == '%') {
				if (!is_pct(s, k, n)) {
					*why = "it has a bad %-escape";
					return -1;
				}
				k += 2;
				continue;
			}
			if (!(is_unreserved(c) || is_subdelim(c) || c == ':' || c == '@' ||
			      c == '[' || c == ']')) {
				*why =
				    c == ' ' ? "it contains a space"
				    : c >= 0x80
					? "its host has non-ASCII characters (use the A-label form)"
					: "its host part has a character URIs do not allow";
				return -1;
			}
		}
		h = a;
		for (k = a; k < e; k++)
			if (s[k] == '@')
				h = k + 1;
		he = h;
		if (he < e && s[he] == '[') {
			while (he < e && s[he] != ']')
				he++;
			if (he >= e) {
				*why = "its IP literal has no closing ]";
				return -1;
			}
			he++;
		} else {
			while (he < e && s[he] != ':')
				he++;
		}
		if (he < e) {
			if (s[he] != ':') {
				*why = "its host is followed by something other than :port";
				return -1;
			}
			for (k = he + 1; k < e; k++)
				if (!isdigit((unsigned char)s[k])) {
					*why = "its port is not a number";
					return -1;
				}
		}
		if (he == h && (strcmp(scheme, "https") == 0 || strcmp(scheme, "http") == 0)) {
			*why = "it has no host";
			return -1;
		}
		i = e;
	} else if (strcmp(scheme, "https") == 0 || strcmp(scheme, "http") == 0) {
		*why = "a web URI needs //host after the scheme";
		return -1;
	}
	for (; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			if (!is_pct(s, i, n)) {
				*why = "it has a bad %-escape";
				return -1;
			}
			i += 2;
			continue;
		}
		if (c == '#') {
			if (frag) {
				*why = "it has a second #";
				return -1;
			}
			frag = 1;
			continue;
		}
		if (is_unreserved(c) || is_subdelim(c) || c == ':' || c == '@' || c == '/' ||
		    c == '?')
			continue;
		*why = c == ' ' || c == '\t' ? "it contains white space"
		       : c >= 0x80 ? "it contains non-ASCII characters (percent-encode them)"
				   : "it contains a character URIs do not allow";
		return -1;
	}
	return 0;
}

int securitytxt__url_norm(const char *u, char *out, size_t n)
{
	const char *p, *a, *e, *host_end;
	size_t sl;
	int https;
	struct vg_buf b;
	int rc = -1;

	if (strncasecmp(u, "https://", 8) == 0) {
		https = 1;
		sl = 8;
	} else if (strncasecmp(u, "http://", 7) == 0) {
		https = 0;
		sl = 7;
	} else {
		return -1;
	}
	vg_buf_init(&b, n ? n - 1 : 0);
	a = u + sl;
	e = a + strcspn(a, "/?#");
	p = a;
	for (const char *q = a; q < e; q++)
		if (*q == '@')
			p = q + 1;
	host_end = p;
	if (*host_end == '[') {
		while (host_end < e && *host_end != ']')
			host_end++;
		if (host_end < e)
			host_end++;
	} else {
		while (host_end < e && *host_end != ':')
			host_end++;
	}
	if (vg_buf_adds(&b, https ? "https://" : "http://"))
		goto out;
	for (const char *q = p; q < host_end; q++)
		if (vg_buf_addc(&b, (char)tolower((unsigned char)*q)))
			goto out;
	if (host_end < e && *host_end == ':') {
		const char *port = host_end + 1;
		size_t pl = (size_t)(e - port);
		if (!((pl == 3 && https && memcmp(port, "443", 3) == 0) ||
		      (pl == 2 && !https && memcmp(port, "80", 2) == 0) || pl == 0))
			if (vg_buf_add(&b, host_end, (size_t)(e - host_end)))
				goto out;
	}
	if (*e != '/' && vg_buf_addc(&b, '/'))
		goto out;
	/* the fragment never reaches the server */
	if (vg_buf_add(&b, e, strcspn(e, "#")))
		goto out;
	if (b.len + 1 > n)
		goto out;
	memcpy(out, b.data, b.len + 1);
	rc = 0;
out:
	vg_buf_release(&b);
	return rc;
}

/* ---- dates ---- */

static int num(const char *s, size_t k, int *v)
{
	*v = 0;
	for (size_t i = 0; i < k; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static unsigned mdays(int y, int m)
{
	static const unsigned d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int civil_ok(int Y, int M, int D, int h, int mi, int sec)
{
	return M >= 1 && M <= 12 && D >= 1 && (unsigned)D <= mdays(Y, M) && h <= 23 && mi <= 59 &&
	       sec <= 60;
}

static int64_t civil_time(int Y, int M, int D, int h, int mi, int sec)
{
	if (sec == 60)
		sec = 59;
	return vg_days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600 + mi * 60 + sec;
}

/* RFC 3339 date-time (section 5.6), T and Z in either case; a space for the T
 * is allowed by the NOTE there ("for the sake of readability"). */
static int rfc3339(const char *s, size_t n, int64_t *t)
{
	int Y, M, D, h, mi, sec, oh = 0, om = 0, sign = 0;
	size_t i = 19;

	if (n < 20 || num(s, 4, &Y) || s[4] != '-' || num(s + 5, 2, &M) || s[7] != '-' ||
	    num(s + 8, 2, &D) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    num(s + 11, 2, &h) || s[13] != ':' || num(s + 14, 2, &mi) || s[16] != ':' ||
	    num(s + 17, 2, &sec))
		return -1;
	if (!civil_ok(Y, M, D, h, mi, sec))
		return -1;
	if (s[i] == '.') {
		i++;
		if (i >= n || !isdigit((unsigned char)s[i]))
			return -1;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	}
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		sign = s[i] == '-' ? -1 : 1;
		if (n - i < 6 || num(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
		    num(s + i + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		i += 6;
	} else {
		return -1;
	}
	if (i != n)
		return -1;
	*t = civil_time(Y, M, D, h, mi, sec) - sign * (oh * 3600 + om * 60);
	return 0;
}

/* RFC 2822 date ("Tue, 31 Mar 2026 23:59:59 +0000"), as early drafts used. */
static int rfc2822(const char *s, size_t n, int64_t *t)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char buf[64];
	int D, Y, h, mi, sec = 0, M = 0, oh = 0, om = 0, sign = 1, used = 0;
	char mon[4], zone[8];
	const char *p = buf;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (isalpha((unsigned char)p[0])) {
		const char *c = strchr(p, ',');
		if (!c || c - p != 3)
			return -1;
		p = c + 1;
	}
	if (sscanf(p, " %2d %3s %4d %2d:%2d%n", &D, mon, &Y, &h, &mi, &used) != 5)
		return -1;
	p += used;
	if (*p == ':') {
		if (sscanf(p, ":%2d%n", &sec, &used) != 1)
			return -1;
		p += used;
	}
	for (int i = 0; i < 12; i++)
		if (strncasecmp(mon, months + 3 * i, 3) == 0 && strlen(mon) == 3)
			M = i + 1;
	if (!M || sscanf(p, " %7s%n", zone, &used) != 1 || p[used])
		return -1;
	if ((zone[0] == '+' || zone[0] == '-') && strlen(zone) == 5 && !num(zone + 1, 2, &oh) &&
	    !num(zone + 3, 2, &om)) {
		sign = zone[0] == '-' ? -1 : 1;
	} else if (strcasecmp(zone, "GMT") && strcasecmp(zone, "UT") && strcasecmp(zone, "UTC") &&
		   strcasecmp(zone, "Z")) {
		return -1;
	}
	if (Y < 1000 || !civil_ok(Y, M, D, h, mi, sec) || oh > 23 || om > 59)
		return -1;
	*t = civil_time(Y, M, D, h, mi, sec) - sign * (oh * 3600 + om * 60);
	return 0;
}

/* A date-time that is not RFC 3339 but starts like one ("2026-10-05 03:21"):
 * read it as UTC so the past / too-far checks can still say something. */
static int lenient_date(const char *s, size_t n, int64_t *t)
{
	int Y, M, D, h = 0, mi = 0, sec = 0;
	if (n < 10 || num(s, 4, &Y) || s[4] != '-' || num(s + 5, 2, &M) || s[7] != '-' ||
	    num(s + 8, 2, &D))
		return -1;
	if (n >= 16 && (s[10] == ' ' || s[10] == 'T' || s[10] == 't') && !num(s + 11, 2, &h) &&
	    s[13] == ':' && !num(s + 14, 2, &mi)) {
		if (n >= 19 && s[16] == ':' && num(s + 17, 2, &sec))
			sec = 0;
	}
	if (!civil_ok(Y, M, D, h, mi, sec))
		return -1;
	*t = civil_time(Y, M, D, h, mi, sec);
	return 0;
}

/* ---- language tags (RFC 5646 2.1) ---- */

static int all_alpha(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalpha((unsigned char)s[i]))
			return 0;
	return 1;
}

static int all_digit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int all_alnum(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Country codes often written for a language; none is an ISO 639-1 code. */
static const char *country_mistake(const char *s, size_t n)
{
	static const char *const map[][2] = {{"cz", "cs"}, {"dk", "da"}, {"gr", "el"},
					     {"jp", "ja"}, {"cn", "zh"}, {"ua", "uk"},
					     {"vn", "vi"}, {"il", "he"}, {"rs", "sr"}};
	if (n != 2)
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncasecmp(s, map[i][0], 2) == 0)
			return map[i][1];
	return NULL;
}

/*
 * Well-formed RFC 5646 Language-Tag whose primary language subtag is an
 * ISO 639 code (2-3 letters) or private use / grandfathered "x-", "i-".
 * 4-8 letter primary subtags are well-formed but none is registered, so they
 * are refused ("English" is not a tag). Returns 0 ok, -1 with *why.
 */
static int langtag_check(const char *t, size_t n, const char **why)
{
	size_t pos = 0, k = 0;
	int stage = 0; /* 0 primary, 1 extlang, 2 script, 3 region, 4 variant, 5 ext, 6 private */
	int nextlang = 0, need_ext_subtag = 0;

	while (pos <= n) {
		size_t e = pos;
		while (e < n && t[e] != '-')
			e++;
		const char *s = t + pos;
		size_t len = e - pos;
		if (len == 0 || len > 8 || !all_alnum(s, len)) {
			*why = len == 0  ? "it has an empty subtag"
			       : len > 8 ? "a subtag is longer than 8 characters"
					 : "it has characters other than letters, digits and '-'";
			return -1;
		}
		if (k == 0) {
			if (len == 1 &&
			    (s[0] == 'x' || s[0] == 'X' || s[0] == 'i' || s[0] == 'I')) {
				stage = 6;
			} else if (!all_alpha(s, len)) {
				*why = "the language subtag must be letters";
				return -1;
			} else if (len > 3) {
				*why = "the language subtag is not a 2- or 3-letter ISO 639 code";
				return -1;
			} else {
				stage = 1;
			}
		} else if (stage == 6) {
			/* private use / grandfathered: any 1-8 alphanum subtags */
		} else if (len == 1) {
			if (need_ext_subtag) {
				*why = "an extension singleton has no subtag";
				return -1;
			}
			stage = (s[0] == 'x' || s[0] == 'X') ? 6 : 5;
			need_ext_subtag = stage == 5;
		} else if (stage == 5) {
			if (len < 2) {
				*why = "an extension subtag is too short";
				return -1;
			}
			need_ext_subtag = 0;
		} else if (stage == 1 && len == 3 && all_alpha(s, len) && nextlang < 3) {
			nextlang++;
		} else if (stage <= 2 && len == 4 && all_alpha(s, len)) {
			stage = 3;
		} else if (stage <= 3 &&
			   ((len == 2 && all_alpha(s, len)) || (len == 3 && all_digit(s, len)))) {
			stage = 4;
		} else if ((len >= 5) || (len == 4 && isdigit((unsigned char)s[0]))) {
			stage = 4;
		} else {
			*why = "a subtag is out of place (language-script-region-variant)";
			return -1;
		}
		k++;
		pos = e + 1;
	}
	if (need_ext_subtag || (stage == 6 && k == 1)) {
		*why = "it ends with a singleton";
		return -1;
	}
	return 0;
}

/* ---- field names ---- */

static const struct {
	const char *name;
	enum securitytxt_kind kind;
} known[] = {
    {"Acknowledgments", SECURITYTXT_F_ACKNOWLEDGMENTS},
    {"Canonical", SECURITYTXT_F_CANONICAL},
    {"Contact", SECURITYTXT_F_CONTACT},
    {"Encryption", SECURITYTXT_F_ENCRYPTION},
    {"Expires", SECURITYTXT_F_EXPIRES},
    {"Hiring", SECURITYTXT_F_HIRING},
    {"Policy", SECURITYTXT_F_POLICY},
    {"Preferred-Languages", SECURITYTXT_F_PREFERRED_LANGUAGES},
    {"CSAF", SECURITYTXT_F_CSAF},
};

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];
	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) !=
						    tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

static const char *typo_of(const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t d = edit_distance(name, known[i].name);
		if (d > 0 && d <= (len >= 6 ? 2u : 1u))
			return known[i].name;
	}
	return NULL;
}

/* ---- the validator ---- */

enum sig_state {
	ST_UNSIGNED,  /* no signed-message header seen */
	ST_CLEAR_HDR, /* Hash: headers */
	ST_CLEARTEXT, /* the signed text */
	ST_SIG_HDR,   /* armor headers of the signature */
	ST_SIG_DATA,  /* base64 */
	ST_SIG_CRC,   /* after =XXXX */
	ST_AFTER,     /* after END PGP SIGNATURE */
};

struct vctx {
	struct securitytxt_report *r;
	const struct securitytxt_options *opt;
	const char *const *urls;
	size_t nurls;
	int64_t now;
	enum sig_state st;
	int lines_before;          /* lines before a signed-message header */
	int signed_line, sig_line; /* BEGIN lines */
	int armor_bad, trailing_reported;
	struct vg_buf armor; /* base64 of the signature */
	char crc[8];
	int crc_line;
	int hash_ids[8], nhash;
	/* the field that a folded line would continue (-1 none) */
	int cont_kind;
	int ncontact, nexpires, nlang, ncsaf, nencryption, ncanonical, has_mailto;
	int canonical_line;
	int utf8_line, utf8_lines;
	char name[SECURITYTXT_MAX_LINE + 1];
	char val[SECURITYTXT_MAX_LINE + 1];
};

static int add_field(struct vctx *c, enum securitytxt_kind kind, int line)
{
	struct securitytxt_report *r = c->r;
	struct securitytxt_field *f;

	if (r->nfields >= SECURITYTXT_MAX_FIELDS)
		return VG_OK;
	if (!r->fields) {
		r->fields = calloc(16, sizeof(*r->fields));
		if (!r->fields)
			goto oom;
	} else if (r->nfields >= 16 && (r->nfields & (r->nfields - 1)) == 0) {
		f = realloc(r->fields, r->nfields * 2 * sizeof(*f));
		if (!f)
			goto oom;
		r->fields = f;
	}
	f = &r->fields[r->nfields];
	f->name = strdup(c->name);
	f->value = strdup(c->val);
	if (!f->name || !f->value) {
		free(f->name);
		free(f->value);
		goto oom;
	}
	f->kind = kind;
	f->line = line;
	r->nfields++;
	return VG_OK;
oom:
	r->incomplete = 1;
	return VG_ENOMEM;
}

/* Check a URI-valued field. Returns 0 when it is a URI (scheme filled). */
static int check_uri(struct vctx *c, const char *field, int line, char *scheme, size_t ssz)
{
	const char *why = NULL;
	size_t n = strlen(c->val);

	if (uri_check(c->val, n, scheme, ssz, &why)) {
		securitytxt__add(c->r, STX_invalid_uri, line, "%s value '%.80s' is not a URI: %s",
				 field, c->val, why);
		return -1;
	}
	if (strcmp(scheme, "http") == 0)
		securitytxt__add(c->r, STX_insecure_uri, line,
				 "%s value '%.80s' is a web URI and must begin with https://",
				 field, c->val);
	return 0;
}

static void check_expires(struct vctx *c, int line)
{
	const char *v = c->val;
	size_t n = strlen(v);
	int64_t t, year = vg_time_add_months(c->now, 12);
	int ok = 0;
	char when[VG_TIME_BUFSZ];

	c->nexpires++;
	if (c->nexpires > 1)
		securitytxt__add(c->r, STX_expires_multiple, line,
				 "Expires appears again (it must appear exactly once)");
	if (rfc3339(v, n, &t) == 0) {
		ok = 1;
		if (!c->r->has_expires) {
			c->r->has_expires = 1;
			c->r->expires = t;
		}
	} else if (rfc2822(v, n, &t) == 0) {
		securitytxt__add(c->r, STX_expires_old_format, line,
				 "Expires '%.60s' uses the RFC 2822 format; write %s", v,
				 vg_time_format(t, when, sizeof(when)));
	} else if (lenient_date(v, n, &t) == 0) {
		securitytxt__add(c->r, STX_expires_syntax, line,
				 "Expires '%.60s' is not an RFC 3339 date-time (e.g. %s)", v,
				 vg_time_format(t, when, sizeof(when)));
	} else {
		securitytxt__add(c->r, STX_expires_syntax, line,
				 "Expires '%.60s' is not an RFC 3339 date-time (expected e.g. "
				 "2026-12-31T23:59:59Z)",
				 v);
		return;
	}
	vg_time_format(t, when, sizeof(when));
	if (t <= c->now)
		securitytxt__add(c->r, STX_expires_past, line,
				 "the file expired at %s%s: it must not be used", when,
				 ok ? "" : " (as far as the malformed value can be read)");
	else if (t > year)
		securitytxt__add(c->r, STX_expires_too_far, line,
				 "Expires %s is more than a year ahead; RFC 9116 recommends less "
				 "than a year",
				 when);
	else if (t - c->now < 30 * 86400)
		securitytxt__add(c->r, STX_expires_soon, line,
				 "Expires %s is less than 30 days away: renew the file", when);
}

static void check_languages(struct vctx *c, int line)
{
	const char *v = c->val;
	size_t n = strlen(v), pos = 0;
	int syntax = 0, tag = 0;

	c->nlang++;
	if (c->nlang > 1)
		securitytxt__add(c->r, STX_preferred_languages_multiple, line,
				 "Preferred-Languages appears again (at most once allowed)");
	while (pos <= n && !(syntax && tag)) {
		size_t e = pos, a, b;
		const char *why = NULL, *fix;
		while (e < n && v[e] != ',')
			e++;
		a = pos;
		b = e;
		while (a < b && is_wsp(v[a]))
			a++;
		while (b > a && is_wsp(v[b - 1]))
			b--;
		pos = e + 1;
		if (a == b) {
			if (!syntax)
				securitytxt__add(c->r, STX_preferred_languages_syntax, line,
						 "Preferred-Languages has an empty value between "
						 "commas");
			syntax = 1;
			continue;
		}
		for (size_t i = a; i < b; i++) {
			if (!isalnum((unsigned char)v[i]) && v[i] != '-') {
				if (!syntax)
					securitytxt__add(
					    c->r, STX_preferred_languages_syntax, line,
					    "Preferred-Languages '%.60s': separate language tags "
					    "with commas, not '%c'",
					    v, v[i]);
				syntax = 1;
				why = "";
				break;
			}
		}
		if (why)
			continue;
		{
			size_t pl = strcspn(v + a, "-");
			if (pl > b - a)
				pl = b - a;
			fix = country_mistake(v + a, pl);
		}
		if (fix) {
			securitytxt__add(
			    c->r, STX_preferred_languages_country_code, line,
			    "Preferred-Languages '%.*s' is a country code; the language "
			    "code is '%s'",
			    (int)(b - a), v + a, fix);
			tag = 1;
		} else if (langtag_check(v + a, b - a, &why)) {
			if (!tag)
				securitytxt__add(
				    c->r, STX_preferred_languages_tag, line,
				    "Preferred-Languages '%.*s' is not a language tag: "
				    "%s",
				    (int)((b - a) > 40 ? 40 : (b - a)), v + a, why);
			tag = 1;
		}
	}
}

static void check_csaf(struct vctx *c, int line)
{
	char scheme[16];
	const char *v = c->val, *path, *last;
	size_t plen;

	c->ncsaf++;
	if (c->ncsaf == 2)
		securitytxt__add(c->r, STX_csaf_multiple, line,
				 "more than one CSAF field: researchers may not know which "
				 "provider is authoritative");
	if (check_uri(c, "CSAF", line, scheme, sizeof(scheme)))
		return;
	if (strcmp(scheme, "https") != 0) {
		if (strcmp(scheme, "http") != 0)
			securitytxt__add(c->r, STX_insecure_uri, line,
					 "CSAF '%.80s' must be an https:// URL", v);
		return;
	}
	path = v + 8;
	path += strcspn(path, "/?#");
	plen = strcspn(path, "?#");
	last = path;
	for (size_t i = 0; i < plen; i++)
		if (path[i] == '/')
			last = path + i + 1;
	if ((size_t)(path + plen - last) != strlen("provider-metadata.json") ||
	    strncmp(last, "provider-metadata.json", strlen("provider-metadata.json")) != 0)
		securitytxt__add(c->r, STX_csaf_not_provider_metadata, line,
				 "CSAF '%.80s' must point to a provider-metadata.json (CSAF 2.0 "
				 "7.1.8)",
				 v);
}

static void check_field(struct vctx *c, enum securitytxt_kind kind, int line)
{
	char scheme[32];
	const char *v = c->val;

	if (kind != SECURITYTXT_F_OTHER && !*v) {
		securitytxt__add(c->r, STX_empty_value, line, "%s has no value", c->name);
		if (kind == SECURITYTXT_F_EXPIRES)
			c->nexpires++;
		return;
	}
	switch (kind) {
	case SECURITYTXT_F_CONTACT:
		c->ncontact++;
		if (check_uri(c, "Contact", line, scheme, sizeof(scheme)) == 0 &&
		    strcmp(scheme, "mailto") == 0) {
			size_t al = strcspn(v + 7, "?");
			c->has_mailto = 1;
			if (!memchr(v + 7, '@', al))
				securitytxt__add(
				    c->r, STX_contact_mailto_address, line,
				    "Contact '%.80s' has no e-mail address after mailto:", v);
		}
		break;
	case SECURITYTXT_F_EXPIRES:
		check_expires(c, line);
		break;
	case SECURITYTXT_F_ENCRYPTION: {
		const char *why = NULL;
		c->nencryption++;
		if (strncmp(v, "-----BEGIN", 10) == 0 ||
		    uri_check(v, strlen(v), scheme, sizeof(scheme), &why)) {
			securitytxt__add(
			    c->r, STX_encryption_not_uri, line,
			    "Encryption must be a URI pointing to the key, not the key "
			    "itself%s%s",
			    why ? ": " : "", why ? why : "");
			break;
		}
		if (strcmp(scheme, "http") == 0)
			securitytxt__add(c->r, STX_insecure_uri, line,
					 "Encryption '%.80s' is a web URI and must begin with "
					 "https://",
					 v);
		break;
	}
	case SECURITYTXT_F_CANONICAL:
		c->ncanonical++;
		if (!c->canonical_line)
			c->canonical_line = line;
		check_uri(c, "Canonical", line, scheme, sizeof(scheme));
		break;
	case SECURITYTXT_F_ACKNOWLEDGMENTS:
		check_uri(c, "Acknowledgments", line, scheme, sizeof(scheme));
		break;
	case SECURITYTXT_F_HIRING:
		check_uri(c, "Hiring", line, scheme, sizeof(scheme));
		break;
	case SECURITYTXT_F_POLICY:
		check_uri(c, "Policy", line, scheme, sizeof(scheme));
		break;
	case SECURITYTXT_F_PREFERRED_LANGUAGES:
		check_languages(c, line);
		break;
	case SECURITYTXT_F_CSAF:
		check_csaf(c, line);
		break;
	case SECURITYTXT_F_OTHER: {
		const char *t;
		if (strcasecmp(c->name, "Bug-Bounty") == 0) {
			/* proposed (not registered) field: True or False */
			if (strcmp(v, "True") == 0 || strcmp(v, "False") == 0)
				break;
			if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0)
				securitytxt__add(
				    c->r, STX_bug_bounty_case, line,
				    "Bug-Bounty '%.20s' should be written True or False", v);
			else
				securitytxt__add(c->r, STX_bug_bounty_value, line,
						 "Bug-Bounty '%.40s' should be True or False", v);
		} else if ((t = typo_of(c->name)) != NULL) {
			securitytxt__add(c->r, STX_field_typo, line,
					 "field '%.40s' is not defined; did you mean '%s'?",
					 c->name, t);
		} else {
			securitytxt__add(c->r, STX_unknown_field, line,
					 "field '%.40s' is not defined by RFC 9116 and is ignored",
					 c->name);
		}
		break;
	}
	}
}

/* One line of security.txt content (the cleartext of a signed file). */
static void body_line(struct vctx *c, const char *s, size_t len, int line)
{
	size_t raw = len, colon, nl, vs;
	enum securitytxt_kind kind = SECURITYTXT_F_OTHER;

	while (len && is_wsp(s[len - 1]))
		len--;
	if (!len) {
		c->cont_kind = -1;
		return;
	}
	if (is_wsp(s[0])) {
		if (c->cont_kind == (int)SECURITYTXT_F_OTHER)
			return; /* folded value of an extension field (RFC 5322 FWS) */
		if (c->cont_kind >= 0)
			securitytxt__add(c->r, STX_leading_whitespace, line,
					 "line starts with white space: it would fold the field "
					 "above, which RFC 9116 does not allow");
		else
			securitytxt__add(c->r, STX_leading_whitespace, line,
					 "line starts with white space; fields and comments start "
					 "in the first column");
		if (c->cont_kind >= 0)
			return;
		while (len && is_wsp(s[0])) {
			s++;
			len--;
			raw--;
		}
	}
	if (s[0] == '#') {
		c->cont_kind = -1;
		return;
	}
	c->cont_kind = -1;
	{
		const char *p = memchr(s, ':', len);
		if (!p) {
			securitytxt__add(c->r, STX_invalid_line, line,
					 "'%.*s' is not a field (Name: value), a comment (#) or "
					 "blank",
					 (int)(len > 60 ? 60 : len), s);
			return;
		}
		colon = (size_t)(p - s);
	}
	nl = colon;
	if (nl && is_wsp(s[nl - 1])) {
		securitytxt__add(c->r, STX_field_name_whitespace, line,
				 "white space between the field name and the colon");
		while (nl && is_wsp(s[nl - 1]))
			nl--;
	}
	if (!nl) {
		securitytxt__add(c->r, STX_field_name_empty, line,
				 "the line has a value but no field name before the colon");
		return;
	}
	for (size_t i = 0; i < nl; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 33 || ch > 126) {
			securitytxt__add(c->r, STX_field_name_invalid, line,
					 "field name '%.*s' may only hold printable ASCII "
					 "without spaces",
					 (int)(nl > 40 ? 40 : nl), s);
			return;
		}
	}
	memcpy(c->name, s, nl);
	c->name[nl] = '\0';
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcasecmp(c->name, known[i].name) == 0)
			kind = known[i].kind;
	vs = colon + 1;
	if (vs >= raw || s[vs] != ' ') {
		if (vs < len)
			securitytxt__add(c->r, STX_missing_space, line,
					 "the colon after %s must be followed by one space",
					 c->name);
		else if (kind == SECURITYTXT_F_OTHER)
			securitytxt__add(c->r, STX_missing_space, line,
					 "the colon after %s must be followed by a space", c->name);
	}
	while (vs < len && is_wsp(s[vs]))
		vs++;
	memcpy(c->val, s + vs, len > vs ? len - vs : 0);
	c->val[len > vs ? len - vs : 0] = '\0';
	c->cont_kind = (int)kind;
	check_field(c, kind, line);
	add_field(c, kind, line);
}

static int line_is(const char *s, size_t len, const char *what)
{
	size_t wl = strlen(what);
	while (len && is_wsp(s[len - 1]))
		len--;
	return len == wl && memcmp(s, what, wl) == 0;
}

static const struct {
	const char *name;
	int id;
	int weak;
} hashes[] = {{"MD5", 1, 1},     {"SHA1", 2, 1},      {"RIPEMD160", 3, 1},
	      {"SHA256", 8, 0},  {"SHA384", 9, 0},    {"SHA512", 10, 0},
	      {"SHA224", 11, 0}, {"SHA3-256", 12, 0}, {"SHA3-512", 14, 0}};

static void hash_header(struct vctx *c, const char *s, size_t len, int line)
{
	size_t pos = 6;
	while (pos <= len) {
		size_t e = pos, a, b;
		int found = 0;
		while (e < len && s[e] != ',')
			e++;
		a = pos;
		b = e;
		while (a < b && is_wsp(s[a]))
			a++;
		while (b > a && is_wsp(s[b - 1]))
			b--;
		for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
			if (strlen(hashes[i].name) == b - a &&
			    strncasecmp(hashes[i].name, s + a, b - a) == 0) {
				found = 1;
				if (c->nhash < 8)
					c->hash_ids[c->nhash++] = hashes[i].id;
				if (hashes[i].weak)
					securitytxt__add(c->r, STX_signature_weak_hash, line,
							 "the signature uses %s, which is broken",
							 hashes[i].name);
			}
		}
		if (!found)
			securitytxt__add(c->r, STX_signature_hash_header, line,
					 "unknown hash algorithm '%.*s' in the Hash header",
					 (int)((b - a) > 20 ? 20 : (b - a)), s + a);
		pos = e + 1;
	}
}

static int armor_header_ok(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '-'))
		i++;
	return i > 0 && i < len && s[i] == ':' && (i + 1 == len || s[i + 1] == ' ');
}

/* CRC-24 of RFC 4880 6.1. */
static uint32_t crc24(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xB704CEu;
	while (n--) {
		crc ^= (uint32_t)(*p++) << 16;
		for (int i = 0; i < 8; i++) {
			crc <<= 1;
			if (crc & 0x1000000u)
				crc ^= 0x1864CFBu;
		}
	}
	return crc & 0xFFFFFFu;
}

/* Walk the OpenPGP packets of the decoded signature. Returns NULL when they
 * are signature packets of a cleartext signature; otherwise why not. The
 * hash algorithm of each is checked against the Hash header. */
static const char *sig_packets(struct vctx *c, const unsigned char *p, size_t n)
{
	size_t i = 0;
	int count = 0;

	while (i < n) {
		unsigned char h = p[i++];
		unsigned tag;
		size_t len = 0;
		const unsigned char *b;
		unsigned ver, type, halg;

		if (!(h & 0x80))
			return "it does not start with an OpenPGP packet";
		if (h & 0x40) {
			tag = h & 0x3f;
			if (i >= n)
				return "a packet header is cut short";
			if (p[i] < 192) {
				len = p[i++];
			} else if (p[i] < 224) {
				if (i + 1 >= n)
					return "a packet header is cut short";
				len = ((size_t)(p[i] - 192) << 8) + p[i + 1] + 192;
				i += 2;
			} else if (p[i] == 255) {
				if (i + 4 >= n)
					return "a packet header is cut short";
				len = (size_t)p[i + 1] << 24 | (size_t)p[i + 2] << 16 |
				      (size_t)p[i + 3] << 8 | p[i + 4];
				i += 5;
			} else {
				return "a signature packet uses partial lengths";
			}
		} else {
			unsigned lt = h & 3, k = lt == 0 ? 1 : lt == 1 ? 2 : lt == 2 ? 4 : 0;
			tag = (h >> 2) & 0xf;
			if (!k)
				return "a packet has an indeterminate length";
			if (i + k > n)
				return "a packet header is cut short";
			for (unsigned j = 0; j < k; j++)
				len = len << 8 | p[i + j];
			i += k;
		}
		if (tag != 2)
			return "it holds a packet that is not a signature";
		if (len > n - i)
			return "a signature packet is longer than the data";
		b = p + i;
		if (len < 4)
			return "a signature packet is too short";
		ver = b[0];
		if (ver == 3) {
			if (len < 19)
				return "a signature packet is too short";
			type = b[2];
			halg = b[16];
		} else if (ver >= 4 && ver <= 6) {
			type = b[1];
			halg = b[3];
		} else {
			return "a signature packet has an unknown version";
		}
		if (type != 0x01)
			return "a signature is not of a canonical text document (type 0x01)";
		if (c->nhash) {
			int listed = 0;
			for (int k = 0; k < c->nhash; k++)
				listed |= c->hash_ids[k] == (int)halg;
			if (!listed)
				securitytxt__add(
				    c->r, STX_signature_hash_mismatch, c->sig_line,
				    "the Hash header does not name the signature's hash "
				    "algorithm (id %u); GnuPG refuses to verify such a "
				    "file",
				    halg);
		}
		for (size_t k = 0; k < sizeof(hashes) / sizeof(hashes[0]); k++)
			if (hashes[k].id == (int)halg && hashes[k].weak)
				securitytxt__add(c->r, STX_signature_weak_hash, c->sig_line,
						 "the signature uses %s, which is broken",
						 hashes[k].name);
		i += len;
		count++;
	}
	return count ? NULL : "it is empty";
}

static void sig_finish(struct vctx *c)
{
	unsigned char *bin;
	size_t blen = 0;
	const char *why;

	if (c->armor_bad)
		return;
	if (!c->armor.len) {
		securitytxt__add(c->r, STX_signature_data, c->sig_line,
				 "the signature block holds no data");
		return;
	}
	bin = vg_base64_decode(c->armor.data, c->armor.len, &blen);
	if (!bin) {
		securitytxt__add(c->r, STX_signature_data, c->sig_line,
				 "the signature is not valid base64");
		return;
	}
	if (c->crc[0]) {
		size_t cl = 0;
		unsigned char *cb = vg_base64_decode(c->crc, strlen(c->crc), &cl);
		if (!cb || cl != 3 ||
		    (((uint32_t)cb[0] << 16) | ((uint32_t)cb[1] << 8) | cb[2]) != crc24(bin, blen))
			securitytxt__add(c->r, STX_signature_data, c->crc_line,
					 "the armor checksum (CRC-24) does not match the signature "
					 "data");
		free(cb);
	}
	why = sig_packets(c, bin, blen);
	if (why)
		securitytxt__add(c->r, STX_signature_data, c->sig_line,
				 "the signature data is not an OpenPGP signature: %s", why);
	free(bin);
}

static void sig_line_data(struct vctx *c, const char *s, size_t len, int line)
{
	while (len && is_wsp(s[len - 1]))
		len--;
	if (!len)
		return;
	for (size_t i = 0; i < len; i++) {
		int ch = (unsigned char)s[i];
		if (!(isalnum(ch) || ch == '+' || ch == '/' || ch == '=')) {
			if (!c->armor_bad)
				securitytxt__add(c->r, STX_signature_data, line,
						 "signature line is not base64");
			c->armor_bad = 1;
			return;
		}
	}
	if (vg_buf_add(&c->armor, s, len)) {
		if (!c->armor_bad)
			securitytxt__add(c->r, STX_signature_data, line,
					 "the signature is larger than %d bytes", ARMOR_MAX);
		c->armor_bad = 1;
	}
}

static void signed_line(struct vctx *c, const char *s, size_t len, int line)
{
	switch (c->st) {
	case ST_UNSIGNED:
		if (line_is(s, len, SIGNED_HEAD)) {
			if (c->lines_before)
				securitytxt__add(c->r, STX_signature_leading_data, line,
						 "%d line(s) before the signed message; it must be "
						 "the first line",
						 c->lines_before);
			c->st = ST_CLEAR_HDR;
			c->signed_line = line;
			c->r->is_signed = 1;
			return;
		}
		c->lines_before++;
		body_line(c, s, len, line);
		return;
	case ST_CLEAR_HDR:
		if (line_is(s, len, "")) {
			if (!c->nhash)
				securitytxt__add(c->r, STX_signature_hash_header, c->signed_line,
						 "no Hash: header after the signed-message line");
			c->st = ST_CLEARTEXT;
		} else if (len > 6 && strncmp(s, "Hash: ", 6) == 0) {
			hash_header(c, s, len, line);
		} else {
			securitytxt__add(c->r, STX_signature_hash_header, line,
					 "expected a 'Hash: ' header or an empty line after the "
					 "signed-message line");
			c->st = ST_CLEARTEXT;
			signed_line(c, s, len, line);
		}
		return;
	case ST_CLEARTEXT:
		if (line_is(s, len, SIG_BEGIN)) {
			c->st = ST_SIG_HDR;
			c->sig_line = line;
		} else if (len >= 2 && s[0] == '-' && s[1] == ' ') {
			body_line(c, s + 2, len - 2, line);
		} else if (len && s[0] == '-') {
			securitytxt__add(c->r, STX_signature_dash_escape, line,
					 "signed text line starts with '-' but is not dash-escaped "
					 "('- ')%s",
					 line_is(s, len, SIG_END)
					     ? "; the BEGIN PGP SIGNATURE line "
					       "is missing"
					     : "");
			c->cont_kind = -1;
		} else {
			body_line(c, s, len, line);
		}
		return;
	case ST_SIG_HDR:
		if (line_is(s, len, "")) {
			c->st = ST_SIG_DATA;
		} else if (line_is(s, len, SIG_END)) {
			securitytxt__add(c->r, STX_signature_armor, line,
					 "the signature block ends before any data");
			c->armor_bad = 1;
			c->st = ST_AFTER;
		} else if (len && s[0] == '-') {
			securitytxt__add(
			    c->r, STX_signature_armor, line,
			    "unexpected line starting with '-' in the signature armor");
			c->armor_bad = 1;
			c->st = ST_SIG_DATA;
		} else if (!armor_header_ok(s, len)) {
			securitytxt__add(c->r, STX_signature_armor, line,
					 "expected an armor header (Key: value) or an empty line");
			c->armor_bad = 1;
			c->st = ST_SIG_DATA;
		}
		return;
	case ST_SIG_DATA:
		if (line_is(s, len, SIG_END)) {
			sig_finish(c);
			c->st = ST_AFTER;
		} else if (len && s[0] == '-') {
			if (!c->armor_bad)
				securitytxt__add(
				    c->r, STX_signature_armor, line,
				    "unexpected line starting with '-' in the signature");
			c->armor_bad = 1;
		} else if (len && s[0] == '=') {
			size_t n = len;
			while (n && is_wsp(s[n - 1]))
				n--;
			if (n == 5) {
				memcpy(c->crc, s + 1, 4);
				c->crc[4] = '\0';
			} else if (!c->armor_bad) {
				securitytxt__add(c->r, STX_signature_data, line,
						 "the armor checksum line is malformed");
				c->armor_bad = 1;
			}
			c->crc_line = line;
			c->st = ST_SIG_CRC;
		} else {
			sig_line_data(c, s, len, line);
		}
		return;
	case ST_SIG_CRC:
		if (line_is(s, len, SIG_END)) {
			sig_finish(c);
			c->st = ST_AFTER;
		} else if (!c->armor_bad) {
			securitytxt__add(c->r, STX_signature_armor, line,
					 "expected -----END PGP SIGNATURE----- after the checksum");
			c->armor_bad = 1;
		}
		return;
	case ST_AFTER:
		if (!c->trailing_reported)
			securitytxt__add(
			    c->r, STX_signature_trailing_data, line,
			    line_is(s, len, "")
				? "extra empty line after -----END PGP SIGNATURE-----"
				: "data after -----END PGP SIGNATURE----- is not signed");
		c->trailing_reported = 1;
		return;
	}
}

static void one_line(struct vctx *c, const char *s, size_t len, int line)
{
	if (len > SECURITYTXT_MAX_LINE) {
		securitytxt__add(c->r, STX_line_too_long, line,
				 "line is %zu bytes long (limit %d); it was ignored", len,
				 SECURITYTXT_MAX_LINE);
		c->cont_kind = -1;
		return;
	}
	if (!utf8_valid(s, len)) {
		if (!c->utf8_line)
			c->utf8_line = line;
		c->utf8_lines++;
		c->cont_kind = -1;
		return;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			securitytxt__add(c->r, STX_control_character, line,
					 ch == '\r' ? "carriage return not followed by a line feed"
						    : "control character 0x%02x at column %zu",
					 ch, i + 1);
			c->cont_kind = -1;
			return;
		}
	}
	signed_line(c, s, len, line);
}

static int canonical_matches(struct vctx *c)
{
	char want[600], have[600];
	for (size_t u = 0; u < c->nurls; u++) {
		if (securitytxt__url_norm(c->urls[u], want, sizeof(want)))
			continue;
		for (size_t i = 0; i < c->r->nfields; i++) {
			const struct securitytxt_field *f = &c->r->fields[i];
			if (f->kind == SECURITYTXT_F_CANONICAL &&
			    securitytxt__url_norm(f->value, have, sizeof(have)) == 0 &&
			    strcmp(want, have) == 0)
				return 1;
		}
	}
	return 0;
}

int securitytxt__validate_into(const char *data, size_t n, const struct securitytxt_options *opt,
			       const char *const *urls, size_t nurls, struct securitytxt_report *r,
			       struct vg_error *err)
{
	static const struct securitytxt_options none = {0};
	struct vctx *c;
	const char *p = data, *end = data + n;
	int line = 1, rc = VG_OK;

	if (!opt)
		opt = &none;
	if (n > SECURITYTXT_MAX_SIZE) {
		securitytxt__add(r, STX_too_large, 0, "the file is %zu bytes; the limit is %d", n,
				 SECURITYTXT_MAX_SIZE);
		return r->incomplete ? vg_error_set(err, VG_ENOMEM, "out of memory") : VG_OK;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	c->r = r;
	c->opt = opt;
	c->urls = urls;
	c->nurls = nurls;
	c->now = opt->now_set ? opt->now : vg_now();
	c->cont_kind = -1;
	vg_buf_init(&c->armor, ARMOR_MAX);

	if (n == 0)
		securitytxt__add(r, STX_empty_file, 0, "the file is empty");
	if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		securitytxt__add(r, STX_bom, 1,
				 "the file starts with a UTF-8 byte order mark; remove it");
		while (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (nl && len && p[len - 1] == '\r')
			len--;
		one_line(c, p, len, line);
		if (!nl)
			securitytxt__add(
			    r, STX_line_no_eol, line,
			    "the last line does not end with a line break (CRLF or LF)");
		p = nl ? nl + 1 : end;
		line++;
	}

	if (c->utf8_lines)
		securitytxt__add(r, STX_invalid_utf8, c->utf8_line,
				 "line %d%s is not valid UTF-8 (%d line(s) in all were ignored)",
				 c->utf8_line, c->utf8_lines > 1 ? " and others" : "",
				 c->utf8_lines);
	switch (c->st) {
	case ST_CLEAR_HDR:
	case ST_CLEARTEXT:
		securitytxt__add(r, STX_signature_missing, c->signed_line,
				 "the signed message has no -----BEGIN PGP SIGNATURE----- block");
		break;
	case ST_SIG_HDR:
	case ST_SIG_DATA:
	case ST_SIG_CRC:
		securitytxt__add(r, STX_signature_armor, c->sig_line,
				 "the signature has no -----END PGP SIGNATURE----- line");
		break;
	default:
		break;
	}
	if (!c->ncontact)
		securitytxt__add(r, STX_contact_missing, 0,
				 "no Contact field: at least one is required");
	if (!c->nexpires)
		securitytxt__add(r, STX_expires_missing, 0,
				 "no Expires field: exactly one is required");
	if (c->has_mailto && !c->nencryption)
		securitytxt__add(r, STX_encryption_missing, 0,
				 "an e-mail Contact is listed but no Encryption key");
	if (r->is_signed && !c->ncanonical)
		securitytxt__add(r, STX_signature_no_canonical, c->signed_line,
				 "the file is signed but has no Canonical field, so the "
				 "signature does not bind it to a location");
	if (!r->is_signed)
		securitytxt__add(r, STX_not_signed, 0,
				 "the file is not signed; an OpenPGP cleartext signature is "
				 "RECOMMENDED");
	if (c->ncanonical && nurls && !canonical_matches(c))
		securitytxt__add(r, STX_canonical_mismatch, c->canonical_line,
				 "the file was retrieved from %.200s, which is not listed in "
				 "any Canonical field; it should not be trusted",
				 urls[0]);
	if (r->is_signed && c->st == ST_AFTER) {
		if (opt->key_file)
			rc = securitytxt__verify(data, n, opt->key_file, r, c->signed_line, err);
		else
			securitytxt__add(r, STX_signature_not_verified, c->signed_line,
					 "the signature was not verified (give a key to verify "
					 "it)");
	} else if (r->is_signed && opt->key_file) {
		securitytxt__add(r, STX_signature_invalid, c->signed_line,
				 "the signature cannot be verified: its structure is broken");
	}
	if (r->suppressed && r->findings) {
		struct securitytxt_finding *f = &r->findings[r->nfindings++];
		f->code = catalogue[STX_too_many_findings].code;
		f->severity = SECURITYTXT_NOTICE;
		f->line = 0;
		snprintf(f->message, sizeof(f->message), "%zu more findings were not listed",
			 r->suppressed);
		r->nnotices++;
		r->suppressed = 0;
	}
	vg_buf_release(&c->armor);
	free(c);
	if (!rc && r->incomplete)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory while validating");
	return rc;
}

int securitytxt_validate(const char *data, size_t n, const struct securitytxt_options *opt,
			 struct securitytxt_report *out, struct vg_error *err)
{
	const char *urls[1];
	memset(out, 0, sizeof(*out));
	urls[0] = opt ? opt->url : NULL;
	if (urls[0])
		snprintf(out->url, sizeof(out->url), "%s", urls[0]);
	return securitytxt__validate_into(data, n, opt, urls, urls[0] ? 1 : 0, out, err);
}

json_t *securitytxt_report_json(const struct securitytxt_report *r, const char *source)
{
	json_t *o = json_object(), *fa = json_array(), *fl = json_array();
	char when[VG_TIME_BUFSZ];

	if (!o || !fa || !fl)
		goto oom;
	json_object_set_new(o, "source", source ? json_string(source) : json_null());
	if (r->url[0])
		json_object_set_new(o, "url", json_string(r->url));
	json_object_set_new(o, "valid", json_boolean(r->nerrors == 0));
	json_object_set_new(o, "errors", json_integer((json_int_t)r->nerrors));
	json_object_set_new(o, "warnings", json_integer((json_int_t)r->nwarnings));
	json_object_set_new(o, "notices", json_integer((json_int_t)r->nnotices));
	json_object_set_new(o, "signed", json_boolean(r->is_signed));
	json_object_set_new(o, "verified", json_boolean(r->verified));
	json_object_set_new(o, "signer", r->signer[0] ? json_string(r->signer) : json_null());
	json_object_set_new(o, "expires",
			    r->has_expires
				? json_string(vg_time_format(r->expires, when, sizeof(when)))
				: json_null());
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct securitytxt_finding *f = &r->findings[i];
		json_array_append_new(fa,
				      json_pack("{s:s, s:s, s:i, s:s}", "code", f->code, "severity",
						securitytxt_severity_name(f->severity), "line",
						f->line, "message", f->message));
	}
	for (size_t i = 0; i < r->nfields; i++) {
		const struct securitytxt_field *f = &r->fields[i];
		json_t *v = json_pack("{s:s?, s:s?, s:i}", "name", f->name, "value", f->value,
				      "line", f->line);
		/* values that are not UTF-8 were skipped earlier, so packing succeeds */
		if (v)
			json_array_append_new(fl, v);
	}
	json_object_set_new(o, "findings", fa);
	json_object_set_new(o, "fields", fl);
	return o;
oom:
	json_decref(o);
	json_decref(fa);
	json_decref(fl);
	return NULL;
}

/* ---- generator ---- */

static int gen_list(struct vg_buf *b, const char *name, const char *const *v, size_t n,
		    struct vg_error *err)
{
	for (size_t i = 0; i < n; i++) {
		for (const char *q = v[i]; *q; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f)
				return vg_error_set(err, VG_EINVAL,
						    "--%s '%.80s': control characters and line "
						    "breaks are not allowed",
						    name, v[i]);
		if (!*v[i])
			return vg_error_set(err, VG_EINVAL, "--%s: empty value", name);
		if (vg_buf_addf(b, "%s: %s\n", name, v[i]))
			return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	return VG_OK;
}

int securitytxt_generate(const struct securitytxt_spec *spec, int64_t now, struct vg_buf *out,
			 struct vg_error *err)
{
	struct vg_buf b;
	struct securitytxt_report r;
	struct securitytxt_options opt = {0};
	char when[VG_TIME_BUFSZ];
	const char *lang[1];
	int rc;

	if (!spec->ncontact)
		return vg_error_set(err, VG_EINVAL, "at least one --contact is required");
	vg_buf_init(&b, SECURITYTXT_MAX_SIZE);
	rc = gen_list(&b, "Contact", spec->contact, spec->ncontact, err);
	if (!rc &&
	    vg_buf_addf(&b, "Expires: %s\n", vg_time_format(spec->expires, when, sizeof(when))))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!rc)
		rc = gen_list(&b, "Encryption", spec->encryption, spec->nencryption, err);
	if (!rc)
		rc = gen_list(&b, "Acknowledgments", spec->acknowledgments, spec->nacknowledgments,
			      err);
	if (!rc && spec->preferred_languages) {
		lang[0] = spec->preferred_languages;
		rc = gen_list(&b, "Preferred-Languages", lang, 1, err);
	}
	if (!rc)
		rc = gen_list(&b, "Canonical", spec->canonical, spec->ncanonical, err);
	if (!rc)
		rc = gen_list(&b, "Policy", spec->policy, spec->npolicy, err);
	if (!rc)
		rc = gen_list(&b, "Hiring", spec->hiring, spec->nhiring, err);
	if (!rc)
		rc = gen_list(&b, "CSAF", spec->csaf, spec->ncsaf, err);
	if (rc)
		goto out;
	/* the generator never writes a file its own validator refuses */
	opt.now_set = 1;
	opt.now = now;
	rc = securitytxt_validate(b.data, b.len, &opt, &r, err);
	if (!rc) {
		for (size_t i = 0; i < r.nfindings; i++) {
			if (r.findings[i].severity == SECURITYTXT_ERROR) {
				rc = vg_error_set(err, VG_EINVAL, "%s [%s]", r.findings[i].message,
						  r.findings[i].code);
				break;
			}
		}
	}
	securitytxt_report_release(&r);
	if (!rc && vg_buf_add(out, b.data, b.len))
		rc = vg_error_set(err, VG_ETOOBIG, "generated file does not fit");
out:
	vg_buf_release(&b);
	return rc;
}
