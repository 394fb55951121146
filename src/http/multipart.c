/*
 * multipart.c - the bounded multipart/form-data parser (see multipart.h).
 */
#include "http/multipart.h"
#include "core/error.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static const char *memfind(const char *h, size_t hn, const char *nd, size_t nn)
{
	if (nn == 0 || hn < nn)
		return NULL;
	for (size_t i = 0; i + nn <= hn; i++)
		if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0)
			return h + i;
	return NULL;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 2045 tspecials are not token characters. */
static int is_token(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?=", c);
}

/*
 * The next "; name=value" parameter of a header value [*pp, end). value may
 * be a token or a quoted string (backslash escapes). Returns 1 with name and
 * value filled, 0 at the end, -1 on a syntax error, -2 when name or value do
 * not fit or value has a control character.
 */
static int next_param(const char **pp, const char *end, char *name, size_t namesz, char *val,
		      size_t valsz)
{
	const char *p = *pp;
	size_t k = 0;

	while (p < end && (is_ws(*p) || *p == ';'))
		p++;
	if (p >= end) {
		*pp = p;
		return 0;
	}
	while (p < end && is_token((unsigned char)*p) && *p != '=') {
		if (k + 1 >= namesz)
			return -2;
		name[k++] = *p++;
	}
	name[k] = '\0';
	while (p < end && is_ws(*p))
		p++;
	if (!k || p >= end || *p != '=')
		return -1;
	p++;
	while (p < end && is_ws(*p))
		p++;
	k = 0;
	if (p < end && *p == '"') {
		p++;
		for (;;) {
			unsigned char c;
			if (p >= end)
				return -1; /* unterminated quoted string */
			c = (unsigned char)*p++;
			if (c == '"')
				break;
			if (c == '\\') {
				if (p >= end)
					return -1;
				c = (unsigned char)*p++;
			}
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return -2;
			if (k + 1 >= valsz)
				return -2;
			val[k++] = (char)c;
		}
	} else {
		while (p < end && is_token((unsigned char)*p)) {
			if (k + 1 >= valsz)
				return -2;
			val[k++] = *p++;
		}
		if (!k)
			return -1;
	}
	val[k] = '\0';
	while (p < end && is_ws(*p))
		p++;
	if (p < end && *p != ';')
		return -1;
	*pp = p;
	return 1;
}

static int boundary_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("'()+_,-./:=? ", c));
}

int mp_boundary(const char *content_type, char *out, size_t outsz, struct vg_error *err)
{
	const char *p = content_type, *end;
	char name[32], val[MP_BOUNDARY_MAX + 2];
	int rc, found = 0;

	if (outsz)
		out[0] = '\0';
	if (!p)
		return vg_error_set(err, VG_EINVAL,
				    "Content-Type: missing (expected multipart/form-data with a "
				    "boundary)");
	end = p + strlen(p);
	while (p < end && is_ws(*p))
		p++;
	if ((size_t)(end - p) < 19 || strncasecmp(p, "multipart/form-data", 19) != 0 ||
	    (p[19] && p[19] != ';' && !is_ws(p[19])))
		return vg_error_set(err, VG_EINVAL,
				    "Content-Type: expected multipart/form-data with a boundary");
	p += 19;
	while ((rc = next_param(&p, end, name, sizeof(name), val, sizeof(val))) == 1) {
		if (strcasecmp(name, "boundary") != 0)
			continue;
		found = 1;
		break;
	}
	if (rc < 0)
		return vg_error_set(err, VG_EINVAL,
				    "Content-Type: malformed parameters (boundary at most %d "
				    "characters)",
				    MP_BOUNDARY_MAX);
	if (!found)
		return vg_error_set(err, VG_EINVAL,
				    "Content-Type: the boundary parameter is missing");
	{
		size_t n = strlen(val);
		if (n < 1 || n > MP_BOUNDARY_MAX || val[n - 1] == ' ')
			return vg_error_set(err, VG_EINVAL,
					    "Content-Type: boundary must be 1 to %d characters, "
					    "not ending in a space",
					    MP_BOUNDARY_MAX);
		for (size_t i = 0; i < n; i++)
			if (!boundary_char((unsigned char)val[i]))
				return vg_error_set(err, VG_EINVAL,
						    "Content-Type: boundary has a character RFC "
						    "2046 does not allow (at %zu)",
						    i + 1);
		if (n + 1 > outsz)
			return vg_error_set(err, VG_EINVAL, "Content-Type: boundary too long");
		memcpy(out, val, n + 1);
	}
	return VG_OK;
}

/* Copy s [p, e) trimmed into out; -1 when it does not fit or has control bytes. */
static int copy_trim(const char *p, const char *e, char *out, size_t outsz)
{
	size_t n;
	while (p < e && is_ws(*p))
		p++;
	while (e > p && is_ws(e[-1]))
		e--;
	n = (size_t)(e - p);
	if (n + 1 > outsz)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] == 0x7f)
			return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/* Parse one part's header block [h, e) (lines ending in CRLF). */
static int part_headers(const char *h, const char *e, struct mp_part *pt, int num,
			struct vg_error *err)
{
	int have_cd = 0, have_name = 0;

	while (h < e) {
		const char *eol = memfind(h, (size_t)(e - h), "\r\n", 2);
		const char *colon, *v;
		if (!eol)
			eol = e;
		colon = memchr(h, ':', (size_t)(eol - h));
		if (!colon || colon == h || is_ws(*h))
			return vg_error_set(err, VG_EINVAL,
					    "multipart body: part %d: malformed header line "
					    "(expected Name: value)",
					    num);
		v = colon + 1;
		if ((size_t)(colon - h) == 19 && strncasecmp(h, "Content-Disposition", 19) == 0) {
			char pname[32], pval[MP_FILENAME_MAX];
			int rc;
			if (have_cd)
				return vg_error_set(err, VG_EINVAL,
						    "multipart body: part %d: two "
						    "Content-Disposition headers",
						    num);
			have_cd = 1;
			while (v < eol && is_ws(*v))
				v++;
			if ((size_t)(eol - v) < 9 || strncasecmp(v, "form-data", 9) != 0 ||
			    (v + 9 < eol && v[9] != ';' && !is_ws(v[9])))
				return vg_error_set(err, VG_EINVAL,
						    "multipart body: part %d: Content-Disposition "
						    "must be form-data",
						    num);
			v += 9;
			while ((rc = next_param(&v, eol, pname, sizeof(pname), pval,
						sizeof(pval))) == 1) {
				if (strcasecmp(pname, "name") == 0 && !have_name) {
					if (strlen(pval) >= sizeof(pt->name))
						return vg_error_set(
						    err, VG_EINVAL,
						    "multipart body: part %d: field name longer "
						    "than %d bytes",
						    num, MP_NAME_MAX - 1);
					memcpy(pt->name, pval, strlen(pval) + 1);
					have_name = 1;
				} else if (strcasecmp(pname, "filename") == 0 && !pt->is_file) {
					memcpy(pt->filename, pval, strlen(pval) + 1);
					pt->is_file = 1;
				}
			}
			if (rc == -2)
				return vg_error_set(err, VG_EINVAL,
						    "multipart body: part %d: a name or file name "
						    "is longer than %d bytes or has control "
						    "characters",
						    num, MP_FILENAME_MAX - 1);
			if (rc < 0)
				return vg_error_set(err, VG_EINVAL,
						    "multipart body: part %d: malformed "
						    "Content-Disposition parameters",
						    num);
		} else if ((size_t)(colon - h) == 12 && strncasecmp(h, "Content-Type", 12) == 0) {
			if (copy_trim(v, eol, pt->ctype, sizeof(pt->ctype)))
				return vg_error_set(err, VG_EINVAL,
						    "multipart body: part %d: Content-Type longer "
						    "than %d bytes or with control characters",
						    num, MP_CTYPE_MAX - 1);
		}
		h = eol + 2;
	}
	if (!have_cd)
		return vg_error_set(err, VG_EINVAL,
				    "multipart body: part %d: no Content-Disposition header", num);
	if (!have_name)
		return vg_error_set(err, VG_EINVAL,
				    "multipart body: part %d: Content-Disposition has no name",
				    num);
	return VG_OK;
}

int mp_parse(const char *content_type, const char *body, size_t n, struct mp_part *parts, int max,
	     int *nparts, struct vg_error *err)
{
	char boundary[MP_BOUNDARY_MAX + 1], delim[MP_BOUNDARY_MAX + 5];
	const char *p, *end;
	size_t dl;
	int rc, count = 0;

	*nparts = 0;
	rc = mp_boundary(content_type, boundary, sizeof(boundary), err);
	if (rc)
		return rc;
	if (!body)
		return vg_error_set(err, VG_EINVAL, "multipart body: empty");
	/* "\r\n--boundary": the delimiter as it appears after the first one */
	dl = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
	end = body + n;
	if (n >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
		p = body + dl - 2;
	else {
		p = memfind(body, n, delim, dl);
		if (!p)
			return vg_error_set(err, VG_EINVAL,
					    "multipart body: no delimiter --%s found", boundary);
		p += dl;
	}
	for (;;) {
		const char *hdr, *hend, *next;
		struct mp_part *pt;
		int num = count + 1;

		/* p is just after a delimiter */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break; /* the closing delimiter; the epilogue is ignored */
		while (p < end && is_ws(*p))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return vg_error_set(err, VG_EINVAL,
					    "multipart body: part %d: expected a line break after "
					    "the delimiter (or the closing --%s--)",
					    num, boundary);
		if (count >= max) {
			*nparts = 0;
			return vg_error_set(err, VG_ETOOBIG, "multipart body: more than %d parts",
					    max);
		}
		hdr = p + 2;
		if (end - hdr >= 2 && hdr[0] == '\r' && hdr[1] == '\n') {
			hend = hdr; /* no headers at all */
		} else {
			size_t room = (size_t)(end - hdr);
			hend = memfind(hdr, room < MP_HEADER_MAX + 4 ? room : MP_HEADER_MAX + 4,
				       "\r\n\r\n", 4);
			if (!hend)
				return vg_error_set(
				    err, VG_EINVAL,
				    "multipart body: part %d: headers not ended by an empty line "
				    "within %d bytes",
				    num, MP_HEADER_MAX);
			hend += 2; /* the header block keeps its last CRLF */
		}
		pt = &parts[count];
		memset(pt, 0, sizeof(*pt));
		rc = part_headers(hdr, hend, pt, num, err);
		if (rc)
			return rc;
		pt->data = hend + 2;
		next = memfind(pt->data, (size_t)(end - pt->data), delim, dl);
		if (!next)
			return vg_error_set(err, VG_EINVAL,
					    "multipart body: part %d: the closing delimiter --%s-- "
					    "is missing (truncated body?)",
					    num, boundary);
		pt->n = (size_t)(next - pt->data);
		count++;
		p = next + dl;
	}
	*nparts = count;
	return VG_OK;
}

const struct mp_part *mp_find(const struct mp_part *parts, int nparts, const char *name)
{
	for (int i = 0; i < nparts; i++)
		if (strcmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}
