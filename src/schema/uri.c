/*
 * uri.c - URI references (RFC 3986 section 5.2) and their resolution to the
 * schema nodes of a set: a name of the set, or a name and a JSON pointer
 * fragment walked through the document (each $id on the way moves the base).
 */
#define _POSIX_C_SOURCE       200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema/schema_int.h"
#include "core/buf.h"
#include "core/error.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void js_uri_parse(const char *s, struct uri *u)
{
	const char *p = s;
	memset(u, 0, sizeof(*u));
	if (isalpha((unsigned char)*p)) {
		const char *q = p + 1;
		while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
			q++;
		if (*q == ':') {
			u->has_scheme = 1;
			u->scheme = p;
			u->scheme_n = (size_t)(q - p);
			p = q + 1;
		}
	}
	if (p[0] == '/' && p[1] == '/') {
		p += 2;
		u->has_auth = 1;
		u->auth = p;
		u->auth_n = strcspn(p, "/?#");
		p += u->auth_n;
	}
	u->path = p;
	u->path_n = strcspn(p, "?#");
	p += u->path_n;
	if (*p == '?') {
		p++;
		u->has_query = 1;
		u->query = p;
		u->query_n = strcspn(p, "#");
		p += u->query_n;
	}
	if (*p == '#') {
		p++;
		u->has_frag = 1;
		u->frag = p;
		u->frag_n = strlen(p);
	}
}

/* Cut b back to len bytes (a JSON pointer or path being unwound). */
static void ptr_pop(struct vg_buf *b, size_t len)
{
	b->len = len;
	if (b->data)
		b->data[len] = '\0';
}

/* RFC 3986 5.2.4, appending the result to out. */
static int remove_dots(struct vg_buf *out, const char *in, size_t n)
{
	struct vg_buf tmp = VG_BUF_INIT;
	size_t i = 0;
	int rc = VG_OK;
	while (i < n) {
		const char *p = in + i;
		size_t left = n - i;
		if (left >= 3 && !strncmp(p, "../", 3)) {
			i += 3;
		} else if (left >= 2 && !strncmp(p, "./", 2)) {
			i += 2;
		} else if ((left >= 3 && !strncmp(p, "/./", 3)) ||
			   (left == 2 && !strncmp(p, "/.", 2))) {
			i += 2;
			if (left == 2) {
				rc = vg_buf_addc(&tmp, '/');
				break;
			}
		} else if ((left >= 4 && !strncmp(p, "/../", 4)) ||
			   (left == 3 && !strncmp(p, "/..", 3))) {
			size_t k = tmp.len;
			i += 3;
			while (k > 0 && tmp.data[k - 1] != '/')
				k--;
			ptr_pop(&tmp, k > 0 ? k - 1 : 0);
			if (left == 3) {
				rc = vg_buf_addc(&tmp, '/');
				break;
			}
		} else if ((left == 1 && *p == '.') || (left == 2 && !strncmp(p, "..", 2))) {
			break;
		} else {
			size_t seg = *p == '/' ? 1 : 0;
			while (seg < left && p[seg] != '/')
				seg++;
			rc = vg_buf_add(&tmp, p, seg);
			i += seg;
		}
		if (rc)
			break;
	}
	if (!rc && tmp.len)
		rc = vg_buf_add(out, tmp.data, tmp.len);
	vg_buf_release(&tmp);
	return rc;
}

char *vg_uri_resolve(const char *base, const char *ref)
{
	struct uri b, r;
	struct vg_buf o = VG_BUF_INIT;
	int rc = 0;
	js_uri_parse(base ? base : "", &b);
	js_uri_parse(ref, &r);

	const struct uri *sch = r.has_scheme ? &r : &b;
	if (sch->has_scheme) {
		rc |= vg_buf_add(&o, sch->scheme, sch->scheme_n);
		rc |= vg_buf_addc(&o, ':');
	}
	if (r.has_scheme || r.has_auth) {
		if (r.has_auth) {
			rc |= vg_buf_adds(&o, "//");
			rc |= vg_buf_add(&o, r.auth, r.auth_n);
		}
		rc |= remove_dots(&o, r.path, r.path_n);
		if (r.has_query) {
			rc |= vg_buf_addc(&o, '?');
			rc |= vg_buf_add(&o, r.query, r.query_n);
		}
	} else {
		if (b.has_auth) {
			rc |= vg_buf_adds(&o, "//");
			rc |= vg_buf_add(&o, b.auth, b.auth_n);
		}
		if (r.path_n == 0) {
			rc |= vg_buf_add(&o, b.path, b.path_n);
			if (r.has_query || b.has_query) {
				rc |= vg_buf_addc(&o, '?');
				rc |= r.has_query ? vg_buf_add(&o, r.query, r.query_n)
						  : vg_buf_add(&o, b.query, b.query_n);
			}
		} else {
			if (r.path[0] == '/') {
				rc |= remove_dots(&o, r.path, r.path_n);
			} else {
				struct vg_buf m = VG_BUF_INIT;
				if (b.has_auth && b.path_n == 0) {
					rc |= vg_buf_addc(&m, '/');
				} else {
					const char *slash = NULL;
					for (size_t i = 0; i < b.path_n; i++)
						if (b.path[i] == '/')
							slash = b.path + i;
					if (slash)
						rc |= vg_buf_add(&m, b.path,
								 (size_t)(slash - b.path) + 1);
				}
				rc |= vg_buf_add(&m, r.path, r.path_n);
				if (!rc)
					rc |= remove_dots(&o, m.data, m.len);
				vg_buf_release(&m);
			}
			if (r.has_query) {
				rc |= vg_buf_addc(&o, '?');
				rc |= vg_buf_add(&o, r.query, r.query_n);
			}
		}
	}
	if (r.has_frag) {
		rc |= vg_buf_addc(&o, '#');
		rc |= vg_buf_add(&o, r.frag, r.frag_n);
	}
	if (rc) {
		vg_buf_release(&o);
		return NULL;
	}
	return vg_buf_detach(&o, NULL);
}

/* Drop an empty fragment ("...schema#") in place: names are kept without it. */
void js_strip_empty_frag(char *u)
{
	size_t n = strlen(u);
	if (n && u[n - 1] == '#')
		u[n - 1] = '\0';
}

/* Decode %XX in a fragment (n bytes) into a new string. */
static char *pct_decode(const char *p, size_t n)
{
	char *o = malloc(n + 1), *q = o;
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%' && i + 2 < n && isxdigit((unsigned char)p[i + 1]) &&
		    isxdigit((unsigned char)p[i + 2])) {
			char hx[3] = {p[i + 1], p[i + 2], 0};
			*q++ = (char)strtol(hx, NULL, 16);
			i += 2;
		} else {
			*q++ = p[i];
		}
	}
	*q = '\0';
	return o;
}

/*
 * Resolve uri (absolute) to a schema node. *nbase gets the node's base URI
 * (malloc'ed), *ndraft its draft. Returns NULL when not found (or no memory:
 * then *oom is set).
 */
const json_t *js_resolve(const struct vg_jsonschema *s, const char *uri, char **nbase, int *ndraft,
			 int *oom)
{
	const struct name *nm = js_find_name(s, uri);
	const char *hash;
	char *doc = NULL, *frag = NULL, *b = NULL;
	const json_t *node = NULL;
	int draft;

	*nbase = NULL;
	*oom = 0;
	if (nm) {
		/* whole document or anchor: the base is the URI without fragment */
		b = strdup(nm->base);
		if (!b) {
			*oom = 1;
			return NULL;
		}
		*nbase = b;
		*ndraft = nm->draft;
		return nm->node;
	}
	hash = strchr(uri, '#');
	if (!hash || (hash[1] && hash[1] != '/'))
		return NULL;
	doc = strndup(uri, (size_t)(hash - uri));
	frag = pct_decode(hash + 1, strlen(hash + 1));
	if (!doc || !frag) {
		*oom = 1;
		goto out;
	}
	nm = js_find_name(s, doc);
	if (!nm)
		goto out;
	node = nm->node;
	draft = nm->draft;
	b = strdup(nm->base);
	if (!b) {
		*oom = 1;
		node = NULL;
		goto out;
	}
	for (char *p = frag; *p == '/' && node;) {
		char *tok = p + 1, *end = strchr(tok, '/'), *w = tok;
		if (end)
			*end = '\0';
		for (char *r = tok; *r; r++) {
			if (*r == '~' && r[1] == '1')
				*w++ = '/', r++;
			else if (*r == '~' && r[1] == '0')
				*w++ = '~', r++;
			else
				*w++ = *r;
		}
		*w = '\0';
		if (json_is_object(node)) {
			node = json_object_get(node, tok);
		} else if (json_is_array(node)) {
			char *e;
			unsigned long long i = strtoull(tok, &e, 10);
			node = (*tok && !*e && isdigit((unsigned char)*tok))
				   ? json_array_get(node, (size_t)i)
				   : NULL;
		} else {
			node = NULL;
		}
		if (node && json_is_object(node)) {
			const char *id =
			    json_string_value(json_object_get(node, js_id_keyword(draft)));
			if (id && id[0] != '#' &&
			    (draft >= 2019 || !json_object_get(node, "$ref"))) {
				char *nb = vg_uri_resolve(b, id);
				if (!nb) {
					*oom = 1;
					node = NULL;
					break;
				}
				js_strip_empty_frag(nb);
				free(b);
				b = nb;
			}
		}
		if (!end)
			break;
		p = end;
		*p = '/';
	}
	if (node) {
		*nbase = b;
		*ndraft = draft;
		b = NULL;
	}
out:
	free(b);
	free(doc);
	free(frag);
	return node;
}
