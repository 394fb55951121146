/*
 * purl.c - package-url parsing, building and canonical output.
 *
 * Parsing follows the spec's right-to-left split (subpath, qualifiers,
 * scheme, type, version, name, namespace); building and parsing meet in
 * normalise(), which applies the per-type rules of the registered type
 * definitions and validates, so both directions give the same canonical
 * form.
 */
#define _POSIX_C_SOURCE 200809L
#include "ident/purl.h"

#include "core/buf.h"
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

/* ---- per-type rules (from the registered type definitions) ---- */

enum { NS_OPTIONAL, NS_REQUIRED, NS_PROHIBITED };

enum {
	LOWER_NS = 1 << 0,
	LOWER_NAME = 1 << 1,
	LOWER_VERSION = 1 << 2,
	UPPER_NS = 1 << 3,
};

struct type_rule {
	const char *type;
	unsigned char ns;
	unsigned char fold;
	const char *required_qualifier;
};

/* Types not listed are accepted with the generic rules (the spec allows
 * unregistered types). */
static const struct type_rule type_rules[] = {
    {"alpm", NS_REQUIRED, LOWER_NS | LOWER_NAME, NULL},
    {"apk", NS_REQUIRED, LOWER_NS | LOWER_NAME, NULL},
    {"bazel", NS_PROHIBITED, 0, NULL},
    {"bitbucket", NS_REQUIRED, LOWER_NS | LOWER_NAME, NULL},
    {"bitnami", NS_PROHIBITED, LOWER_NAME, NULL},
    {"brew", NS_OPTIONAL, LOWER_NS | LOWER_NAME, NULL},
    {"cargo", NS_PROHIBITED, 0, NULL},
    {"chrome-extension", NS_PROHIBITED, LOWER_NAME, NULL},
    {"cocoapods", NS_PROHIBITED, 0, NULL},
    {"composer", NS_REQUIRED, LOWER_NS | LOWER_NAME, NULL},
    {"conan", NS_OPTIONAL, 0, NULL},
    {"conda", NS_PROHIBITED, 0, NULL},
    {"cpan", NS_OPTIONAL, UPPER_NS, NULL},
    {"cran", NS_PROHIBITED, 0, NULL},
    {"deb", NS_REQUIRED, LOWER_NS | LOWER_NAME, NULL},
    {"docker", NS_OPTIONAL, 0, NULL},
    {"gem", NS_PROHIBITED, 0, NULL},
    {"generic", NS_OPTIONAL, 0, NULL},
    /* The definition calls git case sensitive, but the suite lowercases it
     * like github and bitbucket; hosts and paths of the big forges are
     * case-insensitive, so one identity per repository is the safer key. */
    {"git", NS_REQUIRED, LOWER_NS | LOWER_NAME, NULL},
    {"github", NS_REQUIRED, LOWER_NS | LOWER_NAME, NULL},
    /* Go module paths are case sensitive (the proxy escapes capitals), so
     * golang is not folded. */
    {"golang", NS_REQUIRED, 0, NULL},
    {"hackage", NS_PROHIBITED, 0, NULL},
    {"hex", NS_OPTIONAL, LOWER_NS | LOWER_NAME, NULL},
    {"huggingface", NS_REQUIRED, LOWER_VERSION, NULL},
    {"julia", NS_PROHIBITED, 0, "uuid"},
    {"luarocks", NS_OPTIONAL, LOWER_NS | LOWER_NAME, NULL},
    {"maven", NS_REQUIRED, 0, NULL},
    {"mlflow", NS_PROHIBITED, 0, NULL},
    {"npm", NS_OPTIONAL, 0, NULL},
    {"nuget", NS_PROHIBITED, 0, NULL},
    {"oci", NS_PROHIBITED, LOWER_NAME | LOWER_VERSION, NULL},
    {"opam", NS_PROHIBITED, 0, NULL},
    {"otp", NS_PROHIBITED, LOWER_NAME, NULL},
    {"pub", NS_PROHIBITED, LOWER_NAME, NULL},
    {"pypi", NS_PROHIBITED, LOWER_NAME, NULL},
    {"qpkg", NS_REQUIRED, LOWER_NS, NULL},
    {"rpm", NS_REQUIRED, LOWER_NS, NULL},
    {"swid", NS_OPTIONAL, 0, "tag_id"},
    {"swift", NS_REQUIRED, 0, NULL},
    {"vcpkg", NS_PROHIBITED, 0, NULL},
    {"vscode-extension", NS_REQUIRED, LOWER_NS | LOWER_NAME | LOWER_VERSION, NULL},
    {"yocto", NS_OPTIONAL, LOWER_NS, NULL},
};

static const struct type_rule *find_rule(const char *type)
{
	for (size_t i = 0; i < sizeof(type_rules) / sizeof(type_rules[0]); i++)
		if (strcmp(type_rules[i].type, type) == 0)
			return &type_rules[i];
	return NULL;
}

/* ---- small helpers ---- */

static int is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_lower(c) || is_upper(c) || is_digit(c);
}

static void ascii_lower(char *s)
{
	for (; s && *s; s++)
		if (is_upper((unsigned char)*s))
			*s = (char)(*s - 'A' + 'a');
}

static void ascii_upper(char *s)
{
	for (; s && *s; s++)
		if (is_lower((unsigned char)*s))
			*s = (char)(*s - 'a' + 'A');
}

/*
 * Fail with "purl 'S': <message>". The purl is cut so a hostile input
 * cannot flood the message; what follows the quote says what is wrong.
 */
static int perr(struct vg_error *err, int code, const char *purl, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int perr(struct vg_error *err, int code, const char *purl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t n = purl ? strlen(purl) : 0;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!purl)
		return vg_error_set(err, code, "purl: %s", msg);
	return vg_error_set(err, code, "purl '%.*s%s': %s", n > 200 ? 200 : (int)n, purl,
			    n > 200 ? "..." : "", msg);
}

/* Strict UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF). */
static int utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1Fu;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0Fu;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07u;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3Fu);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

static int hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode s[0..n) into a new string in *out. what names the
 * component for the error ("namespace segment", "version", ...).
 */
static int pct_decode(const char *purl, const char *s, size_t n, const char *what, char **out,
		      struct vg_error *err)
{
	char *d = malloc(n + 1);
	size_t j = 0;

	*out = NULL;
	if (!d)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			d[j++] = s[i];
			continue;
		}
		int hi = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
		int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
		if (hi < 0 || lo < 0) {
			free(d);
			return perr(err, VG_EPARSE, purl,
				    "%s '%.*s' has a '%%' not followed by two hex digits", what,
				    n > 100 ? 100 : (int)n, s);
		}
		if (hi == 0 && lo == 0) {
			free(d);
			return perr(err, VG_EPARSE, purl, "%s '%.*s' encodes a NUL byte (%%00)",
				    what, n > 100 ? 100 : (int)n, s);
		}
		d[j++] = (char)(hi * 16 + lo);
		i += 2;
	}
	d[j] = '\0';
	if (memchr(d, '\0', j)) {
		free(d);
		return perr(err, VG_EPARSE, purl, "%s contains a NUL byte", what);
	}
	if (!utf8_valid((const unsigned char *)d, j)) {
		free(d);
		return perr(err, VG_EPARSE, purl, "%s '%.*s' is not valid UTF-8 once decoded", what,
			    n > 100 ? 100 : (int)n, s);
	}
	*out = d;
	return VG_OK;
}

/* Append s percent-encoded: only alphanumerics, ".-_~" and ':' stay. */
static int pct_encode(struct vg_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = VG_OK;
	for (size_t i = 0; i < n && rc == VG_OK; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_alnum(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':') {
			rc = vg_buf_addc(b, (char)c);
		} else {
			char t[3] = {'%', hex[c >> 4], hex[c & 15]};
			rc = vg_buf_add(b, t, 3);
		}
	}
	return rc;
}

/* Append the '/'-separated segments of s, each encoded, joined by '/'. */
static int encode_segments(struct vg_buf *b, const char *s)
{
	int rc = VG_OK, first = 1;
	while (*s && rc == VG_OK) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n) {
			if (!first)
				rc = vg_buf_addc(b, '/');
			if (rc == VG_OK)
				rc = pct_encode(b, s, n);
			first = 0;
		}
		s += n;
		if (*s == '/')
			s++;
	}
	return rc;
}

/* Last c in s[0..n), or NULL (memrchr is not standard C). */
static const char *rfind(const char *s, char c, size_t n)
{
	while (n > 0) {
		n--;
		if (s[n] == c)
			return s + n;
	}
	return NULL;
}

static int is_empty(const char *s)
{
	return !s || !*s;
}

/* ---- qualifiers ---- */

/*
 * Add key=value (value owned: taken on success and failure). Keys are
 * checked and lowercased; an empty value drops the pair, as the spec says
 * "a key=value pair with an empty value is the same as no pair".
 */
static int add_qualifier(struct purl *p, const char *purl, const char *key, size_t klen,
			 char *value, unsigned flags, struct vg_error *err)
{
	char *k;

	if (klen == 0) {
		free(value);
		return perr(err, VG_EPARSE, purl, "qualifier with an empty key");
	}
	if (!is_lower((unsigned char)key[0]) && !is_upper((unsigned char)key[0])) {
		free(value);
		return perr(err, VG_EPARSE, purl,
			    "qualifier key '%.*s' must start with an ASCII letter",
			    klen > 100 ? 100 : (int)klen, key);
	}
	if ((flags & PURL_STRICT) && is_upper((unsigned char)key[0])) {
		free(value);
		return perr(err, VG_EPARSE, purl, "qualifier key '%.*s' must be lowercase",
			    klen > 100 ? 100 : (int)klen, key);
	}
	for (size_t i = 0; i < klen; i++) {
		int c = (unsigned char)key[i];
		if (!is_alnum(c) && c != '.' && c != '-' && c != '_') {
			free(value);
			return perr(err, VG_EPARSE, purl,
				    "qualifier key '%.*s' may hold only letters, digits, '.', "
				    "'-' and '_'",
				    klen > 100 ? 100 : (int)klen, key);
		}
	}
	if (is_empty(value)) {
		free(value);
		return VG_OK;
	}
	k = strndup(key, klen);
	if (!k) {
		free(value);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	ascii_lower(k);
	for (size_t i = 0; i < p->nquals; i++) {
		if (strcmp(p->quals[i].key, k) == 0) {
			perr(err, VG_EPARSE, purl, "qualifier key '%s' appears twice", k);
			free(k);
			free(value);
			return VG_EPARSE;
		}
	}
	if (p->nquals >= PURL_MAX_QUALS) {
		free(k);
		free(value);
		return perr(err, VG_ETOOBIG, purl, "more than %d qualifiers", PURL_MAX_QUALS);
	}
	struct purl_qualifier *q = realloc(p->quals, (p->nquals + 1) * sizeof(*q));
	if (!q) {
		free(k);
		free(value);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	p->quals = q;
	q[p->nquals].key = k;
	q[p->nquals].value = value;
	p->nquals++;
	return VG_OK;
}

static int qual_cmp(const void *a, const void *b)
{
	return strcmp(((const struct purl_qualifier *)a)->key,
		      ((const struct purl_qualifier *)b)->key);
}

const char *purl_qualifier(const struct purl *p, const char *key)
{
	for (size_t i = 0; p && i < p->nquals; i++)
		if (strcmp(p->quals[i].key, key) == 0)
			return p->quals[i].value;
	return NULL;
}

static int clean_path(const char *s, int skip_dots, char **out);

/* ---- normalisation and validation shared by parse and build ---- */

static int check_type(const char *purl, const char *type, int code, struct vg_error *err)
{
	if (is_empty(type))
		return perr(err, code, purl, "the type is missing (expected pkg:TYPE/NAME)");
	if (!is_lower((unsigned char)type[0]) && !is_upper((unsigned char)type[0]))
		return perr(err, code, purl, "type '%.100s' must start with an ASCII letter", type);
	for (const char *t = type; *t; t++) {
		int c = (unsigned char)*t;
		if (!is_alnum(c) && c != '.' && c != '-')
			return perr(err, code, purl,
				    "type '%.100s' may hold only letters, digits, '.' and '-'",
				    type);
	}
	return VG_OK;
}

/* git: the namespace is the host alone; the rest of the path is the name. */
static int git_split(struct purl *p)
{
	char *slash = p->namespace ? strchr(p->namespace, '/') : NULL;
	if (!slash)
		return VG_OK;
	size_t rest = strlen(slash + 1), nl = strlen(p->name);
	char *name = malloc(rest + 1 + nl + 1);
	if (!name)
		return VG_ENOMEM;
	memcpy(name, slash + 1, rest);
	name[rest] = '/';
	memcpy(name + rest + 1, p->name, nl + 1);
	*slash = '\0';
	free(p->name);
	p->name = name;
	return VG_OK;
}

static int all_match(const char *s, int (*ok)(int))
{
	for (; *s; s++)
		if (!ok((unsigned char)*s))
			return 0;
	return 1;
}

static int is_a_to_p(int c)
{
	return c >= 'a' && c <= 'p';
}

/* ^\d+(\.\d+){0,3}$ */
static int chrome_version_ok(const char *v)
{
	int parts = 0;
	while (*v) {
		if (!is_digit((unsigned char)*v))
			return 0;
		while (is_digit((unsigned char)*v))
			v++;
		parts++;
		if (*v == '.') {
			v++;
			if (!*v)
				return 0;
		} else if (*v) {
			return 0;
		}
	}
	return parts >= 1 && parts <= 4;
}

static int normalise(struct purl *p, const char *purl, int code, struct vg_error *err)
{
	const struct type_rule *r;
	int rc;

	rc = check_type(purl, p->type, code, err);
	if (rc)
		return rc;
	ascii_lower(p->type);
	if (is_empty(p->name))
		return perr(err, code, purl, "the name is missing");
	if (p->namespace && !*p->namespace) {
		free(p->namespace);
		p->namespace = NULL;
	}
	if (p->version && !*p->version) {
		free(p->version);
		p->version = NULL;
	}
	if (p->subpath && !*p->subpath) {
		free(p->subpath);
		p->subpath = NULL;
	}
	r = find_rule(p->type);
	if (strcmp(p->type, "git") == 0) {
		/* a git name is a path: empty segments carry nothing ("%2F") */
		char *clean = NULL;
		if (git_split(p) || clean_path(p->name, 0, &clean))
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		free(p->name);
		p->name = clean;
		if (!p->name)
			return perr(err, code, purl, "the name is missing");
	}
	if (r && r->ns == NS_REQUIRED && !p->namespace)
		return perr(err, code, purl, "type '%s' requires a namespace", p->type);
	if (r && r->ns == NS_PROHIBITED && p->namespace)
		return perr(err, code, purl, "type '%s' does not allow a namespace (got '%.100s')",
			    p->type, p->namespace);
	if (r && (r->fold & LOWER_NS))
		ascii_lower(p->namespace);
	if (r && (r->fold & UPPER_NS))
		ascii_upper(p->namespace);
	if (r && (r->fold & LOWER_NAME))
		ascii_lower(p->name);
	if (r && (r->fold & LOWER_VERSION))
		ascii_lower(p->version);

	if (strcmp(p->type, "pypi") == 0) {
		for (char *c = p->name; *c; c++)
			if (*c == '_')
				*c = '-';
	} else if (strcmp(p->type, "pub") == 0) {
		for (char *c = p->name; *c; c++)
			if (!is_lower((unsigned char)*c) && !is_digit((unsigned char)*c))
				*c = '_';
	} else if (strcmp(p->type, "mlflow") == 0) {
		/* Databricks model names are case-insensitive, Azure ML's are not. */
		const char *repo = purl_qualifier(p, "repository_url");
		if (repo && strstr(repo, "databricks"))
			ascii_lower(p->name);
	} else if (strcmp(p->type, "chrome-extension") == 0) {
		if (strlen(p->name) != 32 || !all_match(p->name, is_a_to_p))
			return perr(err, code, purl,
				    "chrome-extension name '%.100s' must be 32 letters a-p",
				    p->name);
		if (p->version && !chrome_version_ok(p->version))
			return perr(
			    err, code, purl,
			    "chrome-extension version '%.100s' must be 1 to 4 dot-separated "
			    "numbers",
			    p->version);
	} else if (strcmp(p->type, "cpan") == 0) {
		if (strstr(p->name, "::"))
			return perr(err, code, purl,
				    "cpan name '%.100s' is a module name: a distribution name "
				    "has no '::' (use '-')",
				    p->name);
	}
	if (r && r->required_qualifier && !purl_qualifier(p, r->required_qualifier))
		return perr(err, code, purl, "type '%s' requires the qualifier '%s'", p->type,
			    r->required_qualifier);
	if (p->nquals > 1)
		qsort(p->quals, p->nquals, sizeof(p->quals[0]), qual_cmp);
	return VG_OK;
}

/* ---- parse ---- */

/*
 * Split s[0..n) on '/', decode each non-empty segment, check it, and join
 * with '/'. skip_dots drops "." and ".." (subpaths). *out is NULL when no
 * segment remains.
 */
static int decode_path(const char *purl, const char *s, size_t n, int skip_dots, const char *what,
		       char **out, struct vg_error *err)
{
	struct vg_buf b;
	size_t i = 0;
	int rc = VG_OK;

	*out = NULL;
	vg_buf_init(&b, PURL_MAX_LEN);
	while (i < n && rc == VG_OK) {
		size_t j = i;
		char *seg = NULL;
		while (j < n && s[j] != '/')
			j++;
		if (j > i) {
			rc = pct_decode(purl, s + i, j - i, what, &seg, err);
			if (rc == VG_OK) {
				if (strchr(seg, '/'))
					rc = perr(err, VG_EPARSE, purl,
						  "%s '%.*s' holds an encoded '/'", what,
						  (int)(j - i > 100 ? 100 : j - i), s + i);
				else if (!(skip_dots &&
					   (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0))) {
					if (b.len)
						rc = vg_buf_addc(&b, '/');
					if (rc == VG_OK)
						rc = vg_buf_adds(&b, seg);
					if (rc)
						rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				}
			}
			free(seg);
		}
		i = j + 1;
	}
	if (rc == VG_OK && b.len)
		*out = vg_buf_detach(&b, NULL);
	vg_buf_release(&b);
	return rc;
}

static int parse_qualifiers(struct purl *p, const char *purl, const char *s, size_t n,
			    unsigned flags, struct vg_error *err)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i, eq;
		char *value = NULL;
		int rc;
		while (j < n && s[j] != '&')
			j++;
		if (j == i) {
			i = j + 1;
			continue;
		}
		for (eq = i; eq < j && s[eq] != '='; eq++)
			;
		if (eq == j)
			return perr(err, VG_EPARSE, purl, "qualifier '%.*s' has no '='",
				    (int)(j - i > 100 ? 100 : j - i), s + i);
		rc = pct_decode(purl, s + eq + 1, j - eq - 1, "qualifier value", &value, err);
		if (rc)
			return rc;
		rc = add_qualifier(p, purl, s + i, eq - i, value, flags, err);
		if (rc)
			return rc;
		i = j + 1;
	}
	return VG_OK;
}

static int parse_into(const char *s, unsigned flags, struct purl *p, struct vg_error *err)
{
	size_t len = strlen(s), end = len, qs, colon, ts, te, name_start, ver_at;
	const char *hash, *q;
	int rc;

	/* subpath: after the last '#' */
	hash = rfind(s, '#', end);
	if (hash) {
		rc = decode_path(s, hash + 1, len - (size_t)(hash + 1 - s), 1, "subpath segment",
				 &p->subpath, err);
		if (rc)
			return rc;
		end = (size_t)(hash - s);
	}
	/* qualifiers: after the last '?' */
	q = rfind(s, '?', end);
	if (q) {
		qs = (size_t)(q - s);
		rc = parse_qualifiers(p, s, q + 1, end - qs - 1, flags, err);
		if (rc)
			return rc;
		end = qs;
	}
	/* scheme */
	for (colon = 0; colon < end && s[colon] != ':'; colon++)
		;
	if (colon == end)
		return perr(err, VG_EPARSE, s, "no scheme: a purl starts with 'pkg:'");
	if (colon != 3 || strncasecmp(s, "pkg", 3) != 0)
		return perr(err, VG_EPARSE, s, "scheme '%.*s' is not 'pkg'",
			    (int)(colon > 50 ? 50 : colon), s);
	/* type: leading slashes after the scheme are not significant */
	ts = colon + 1;
	while (ts < end && s[ts] == '/')
		ts++;
	for (te = ts; te < end && s[te] != '/'; te++)
		;
	if (te == end)
		return perr(err, VG_EPARSE, s,
			    "no '/' after the type: expected pkg:TYPE/[NAMESPACE/]NAME");
	p->type = strndup(s + ts, te - ts);
	if (!p->type)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = check_type(s, p->type, VG_EPARSE, err);
	if (rc)
		return rc;
	/* version: the last '@' in the last path segment, so that an unencoded
	 * npm scope ("pkg:npm/@babel/core") is not taken for one */
	name_start = te + 1;
	{
		const char *last_slash = rfind(s + name_start, '/', end - name_start);
		size_t seg = last_slash ? (size_t)(last_slash - s) + 1 : name_start;
		const char *at = rfind(s + seg, '@', end - seg);
		ver_at = at ? (size_t)(at - s) : end;
	}
	if (ver_at < end) {
		rc = pct_decode(s, s + ver_at + 1, end - ver_at - 1, "version", &p->version, err);
		if (rc)
			return rc;
	}
	/* name: the last segment; an empty one ("ns/@1.0", "ns/") is an error */
	{
		const char *last_slash = rfind(s + name_start, '/', ver_at - name_start);
		size_t ns_end = last_slash ? (size_t)(last_slash - s) : name_start;
		size_t nb = last_slash ? ns_end + 1 : name_start;
		if (nb == ver_at)
			return perr(err, VG_EPARSE, s, "the name is missing");
		rc = pct_decode(s, s + nb, ver_at - nb, "name", &p->name, err);
		if (rc)
			return rc;
		if (last_slash) {
			rc = decode_path(s, s + name_start, ns_end - name_start, 0,
					 "namespace segment", &p->namespace, err);
			if (rc)
				return rc;
		}
	}
	return normalise(p, s, VG_EPARSE, err);
}

int purl_parse(const char *s, unsigned flags, struct purl *out, struct vg_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s || !*s)
		return vg_error_set(err, VG_EPARSE, "purl: empty string");
	if (strnlen(s, PURL_MAX_LEN + 1) > PURL_MAX_LEN)
		return perr(err, VG_ETOOBIG, s, "longer than %d bytes", PURL_MAX_LEN);
	rc = parse_into(s, flags, out, err);
	if (rc)
		purl_release(out);
	return rc;
}

/* ---- build ---- */

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return VG_OK;
	*out = strdup(s);
	return *out ? VG_OK : VG_ENOMEM;
}

/* Join the non-empty '/'-segments of s (the spec strips leading/trailing
 * slashes; empty, "." and ".." subpath segments are discarded). */
static int clean_path(const char *s, int skip_dots, char **out)
{
	struct vg_buf b;
	int rc = VG_OK;

	*out = NULL;
	if (!s)
		return VG_OK;
	vg_buf_init(&b, 0);
	while (*s && rc == VG_OK) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		int dot = (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
		if (n && !(skip_dots && dot)) {
			if (b.len)
				rc = vg_buf_addc(&b, '/');
			if (rc == VG_OK)
				rc = vg_buf_add(&b, s, n);
		}
		s += n;
		if (*s == '/')
			s++;
	}
	if (rc == VG_OK && b.len)
		*out = vg_buf_detach(&b, NULL);
	vg_buf_release(&b);
	return rc;
}

static int utf8_check(const char *what, const char *s, struct vg_error *err)
{
	if (s && !utf8_valid((const unsigned char *)s, strlen(s)))
		return perr(err, VG_EINVAL, NULL, "%s is not valid UTF-8", what);
	return VG_OK;
}

int purl_build(const struct purl *in, struct purl *out, struct vg_error *err)
{
	char label[160];
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(label, sizeof(label), "%.60s/%.60s", in->type ? in->type : "(no type)",
		 in->name ? in->name : "(no name)");
	if (is_empty(in->type)) {
		rc = perr(err, VG_EINVAL, label, "the type is missing");
		goto out;
	}
	if ((rc = utf8_check("namespace", in->namespace, err)) ||
	    (rc = utf8_check("name", in->name, err)) ||
	    (rc = utf8_check("version", in->version, err)) ||
	    (rc = utf8_check("subpath", in->subpath, err)))
		goto out;
	if (dup_opt(in->type, &out->type) || clean_path(in->namespace, 0, &out->namespace) ||
	    dup_opt(in->version, &out->version) || clean_path(in->subpath, 1, &out->subpath)) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	if (in->name) {
		/* the spec strips leading and trailing slashes from the name */
		const char *b = in->name, *e = in->name + strlen(in->name);
		while (*b == '/')
			b++;
		while (e > b && e[-1] == '/')
			e--;
		out->name = strndup(b, (size_t)(e - b));
		if (!out->name) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
	}
	for (size_t i = 0; i < in->nquals; i++) {
		const struct purl_qualifier *q = &in->quals[i];
		char *v;
		if (!q->key) {
			rc = perr(err, VG_EINVAL, label, "qualifier without a key");
			goto out;
		}
		if ((rc = utf8_check("qualifier value", q->value, err)))
			goto out;
		v = q->value ? strdup(q->value) : NULL;
		if (q->value && !v) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
		rc = add_qualifier(out, label, q->key, strlen(q->key), v, 0, err);
		if (rc) {
			if (rc == VG_EPARSE && err)
				err->code = VG_EINVAL;
			rc = rc == VG_EPARSE ? VG_EINVAL : rc;
			goto out;
		}
	}
	rc = normalise(out, label, VG_EINVAL, err);
out:
	if (rc)
		purl_release(out);
	return rc;
}

void purl_release(struct purl *p)
{
	if (!p)
		return;
	free(p->type);
	free(p->namespace);
	free(p->name);
	free(p->version);
	for (size_t i = 0; i < p->nquals; i++) {
		free(p->quals[i].key);
		free(p->quals[i].value);
	}
	free(p->quals);
	free(p->subpath);
	memset(p, 0, sizeof(*p));
}

/* ---- output ---- */

static char *to_string(const struct purl *p, int full)
{
	struct vg_buf b;
	int rc;

	if (!p || !p->type || !p->name)
		return NULL;
	vg_buf_init(&b, 0);
	rc = vg_buf_adds(&b, "pkg:");
	if (rc == VG_OK)
		rc = vg_buf_adds(&b, p->type);
	if (rc == VG_OK)
		rc = vg_buf_addc(&b, '/');
	if (rc == VG_OK && p->namespace) {
		rc = encode_segments(&b, p->namespace);
		if (rc == VG_OK)
			rc = vg_buf_addc(&b, '/');
	}
	if (rc == VG_OK) {
		/* a git name is a path on the host: its slashes are separators */
		if (strcmp(p->type, "git") == 0)
			rc = encode_segments(&b, p->name);
		else
			rc = pct_encode(&b, p->name, strlen(p->name));
	}
	if (full && rc == VG_OK && p->version) {
		rc = vg_buf_addc(&b, '@');
		if (rc == VG_OK)
			rc = pct_encode(&b, p->version, strlen(p->version));
	}
	for (size_t i = 0; full && rc == VG_OK && i < p->nquals; i++) {
		rc = vg_buf_addc(&b, i ? '&' : '?');
		if (rc == VG_OK)
			rc = vg_buf_adds(&b, p->quals[i].key);
		if (rc == VG_OK)
			rc = vg_buf_addc(&b, '=');
		if (rc == VG_OK)
			rc = pct_encode(&b, p->quals[i].value, strlen(p->quals[i].value));
	}
	if (full && rc == VG_OK && p->subpath) {
		rc = vg_buf_addc(&b, '#');
		if (rc == VG_OK)
			rc = encode_segments(&b, p->subpath);
	}
	if (rc) {
		vg_buf_release(&b);
		return NULL;
	}
	return vg_buf_detach(&b, NULL);
}

char *purl_to_string(const struct purl *p)
{
	return to_string(p, 1);
}

char *purl_identity(const struct purl *p)
{
	return to_string(p, 0);
}

/* ---- OSV ---- */

struct osv_map {
	const char *key;
	const char *ecosystem;
};

static const struct osv_map osv_types[] = {
    {"npm", "npm"},
    {"pypi", "PyPI"},
    {"maven", "Maven"},
    {"golang", "Go"},
    {"cargo", "crates.io"},
    {"gem", "RubyGems"},
    {"composer", "Packagist"},
    {"nuget", "NuGet"},
    {"hex", "Hex"},
    {"pub", "Pub"},
    {"cran", "CRAN"},
    {"hackage", "Hackage"},
    {"swift", "SwiftURL"},
    {"bitnami", "Bitnami"},
    {"julia", "Julia"},
    {"opam", "opam"},
    {"conan", "ConanCenter"},
    {"vscode-extension", "VSCode"},
};

/* deb, rpm and apk: the distribution is the namespace. */
static const struct osv_map osv_distros[] = {
    {"deb/debian", "Debian"},
    {"deb/ubuntu", "Ubuntu"},
    {"rpm/redhat", "Red Hat"},
    {"rpm/rhel", "Red Hat"},
    {"rpm/almalinux", "AlmaLinux"},
    {"rpm/rocky", "Rocky Linux"},
    {"rpm/rocky-linux", "Rocky Linux"},
    {"rpm/opensuse", "openSUSE"},
    {"rpm/suse", "SUSE"},
    {"rpm/sles", "SUSE"},
    {"rpm/mageia", "Mageia"},
    {"rpm/openeuler", "openEuler"},
    {"rpm/azurelinux", "Azure Linux"},
    {"rpm/mariner", "Azure Linux"},
    {"rpm/photon", "Photon OS"},
    {"apk/alpine", "Alpine"},
    {"apk/wolfi", "Wolfi"},
    {"apk/chainguard", "Chainguard"},
    {"apk/alpaquita", "Alpaquita"},
    {"apk/minimos", "MinimOS"},
};

const char *purl_osv_ecosystem(const struct purl *p)
{
	if (!p || !p->type)
		return NULL;
	for (size_t i = 0; i < sizeof(osv_types) / sizeof(osv_types[0]); i++)
		if (strcmp(osv_types[i].key, p->type) == 0)
			return osv_types[i].ecosystem;
	if (!p->namespace)
		return NULL;
	for (size_t i = 0; i < sizeof(osv_distros) / sizeof(osv_distros[0]); i++) {
		const char *k = osv_distros[i].key, *slash = strchr(k, '/');
		if (strncmp(k, p->type, (size_t)(slash - k)) == 0 && p->type[slash - k] == '\0' &&
		    strcasecmp(slash + 1, p->namespace) == 0)
			return osv_distros[i].ecosystem;
	}
	return NULL;
}

char *purl_osv_name(const struct purl *p)
{
	char sep = 0;
	size_t nl, nn;
	char *s;

	if (!p || !p->name)
		return NULL;
	if (p->namespace) {
		if (strcmp(p->type, "maven") == 0)
			sep = ':';
		else if (strcmp(p->type, "golang") == 0 || strcmp(p->type, "npm") == 0 ||
			 strcmp(p->type, "composer") == 0 || strcmp(p->type, "swift") == 0 ||
			 strcmp(p->type, "github") == 0 || strcmp(p->type, "generic") == 0)
			sep = '/';
	}
	if (!sep)
		return strdup(p->name);
	nl = strlen(p->namespace);
	nn = strlen(p->name);
	s = malloc(nl + 1 + nn + 1);
	if (!s)
		return NULL;
	memcpy(s, p->namespace, nl);
	s[nl] = sep;
	memcpy(s + nl + 1, p->name, nn + 1);
	return s;
}
