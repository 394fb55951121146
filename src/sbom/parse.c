#include "sbom/parse.h"
#include "core/config.h"
#include "core/error.h"
#include "core/jscan.h"
#include "sbom/sbom_int.h"
#include "sbom/xml.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

void sbom_jptr_init(struct sbom_jptr *p)
{
	p->buf[0] = '\0';
	p->len = 0;
}

static size_t jptr_push(struct sbom_jptr *p, const char *seg)
{
	size_t old = p->len;
	int w = snprintf(p->buf + p->len, sizeof(p->buf) - p->len, "/%s", seg);
	if (w < 0 || (size_t)w >= sizeof(p->buf) - p->len)
		p->len = sizeof(p->buf) - 1; /* cut, still terminated */
	else
		p->len += (size_t)w;
	return old;
}

size_t sbom_jptr_key(struct sbom_jptr *p, const char *key)
{
	/* RFC 6901 escaping of '~' and '/'; keys we push rarely have them. */
	char tmp[128];
	size_t j = 0;
	for (const char *k = key; *k && j + 2 < sizeof(tmp); k++) {
		if (*k == '~' || *k == '/') {
			tmp[j++] = '~';
			tmp[j++] = *k == '~' ? '0' : '1';
		} else {
			tmp[j++] = *k;
		}
	}
	tmp[j] = '\0';
	return jptr_push(p, tmp);
}

size_t sbom_jptr_idx(struct sbom_jptr *p, size_t i)
{
	char tmp[24];
	snprintf(tmp, sizeof(tmp), "%zu", i);
	return jptr_push(p, tmp);
}

void sbom_jptr_pop(struct sbom_jptr *p, size_t len)
{
	if (len < sizeof(p->buf)) {
		p->len = len;
		p->buf[len] = '\0';
	}
}

const char *sbom_jptr_str(const struct sbom_jptr *p)
{
	return p->len ? p->buf : "/";
}

static size_t line_of(const char *data, size_t off)
{
	size_t line = 1;
	const char *p = data, *end = data + off;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

static size_t max_bytes(const struct sbom_parse_opts *opts)
{
	if (opts && opts->max_bytes)
		return opts->max_bytes;
	int64_t v = vg_config_int("sbom.max_bytes", (int64_t)SBOM_MAX_BYTES_DEFAULT);
	return v > 0 ? (size_t)v : SBOM_MAX_BYTES_DEFAULT;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
	unsigned c = p[0];
	if (c < 0x80)
		return c ? 1 : 0;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	size_t len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (left < len)
		return 0;
	for (size_t k = 1; k < len; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	if (c == 0xe0 && p[1] < 0xa0)
		return 0; /* overlong */
	if (c == 0xed && p[1] > 0x9f)
		return 0; /* surrogate */
	if (c == 0xf0 && p[1] < 0x90)
		return 0; /* overlong */
	if (c == 0xf4 && p[1] > 0x8f)
		return 0; /* above U+10FFFF */
	return len;
}

int sbom_input_check(const char *data, size_t n, const char *filename,
		     const struct sbom_parse_opts *opts, struct vg_error *err)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t lim = max_bytes(opts), i = 0;

	if (n > lim)
		return vg_error_set(err, VG_ETOOBIG,
				    "%s: %zu bytes is over the limit of %zu bytes (sbom.max_bytes)",
				    filename, n, lim);
	if (n == 0)
		return vg_error_set(err, VG_EPARSE, "%s: empty document", filename);
	if (n >= 2 && ((p[0] == 0xfe && p[1] == 0xff) || (p[0] == 0xff && p[1] == 0xfe)))
		return vg_error_set(err, VG_EPARSE,
				    "%s: byte 0: UTF-16 byte-order mark; the document must be "
				    "UTF-8",
				    filename);
	while (i < n) {
		/* Eight ASCII bytes at a time while there is no NUL and no high bit. */
		while (i + 8 <= n) {
			uint64_t v;
			memcpy(&v, p + i, 8);
			if ((v & 0x8080808080808080ull) ||
			    ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		size_t len = utf8_seq(p + i, n - i);
		if (!len) {
			if (p[i] == 0)
				return vg_error_set(err, VG_EPARSE,
						    "%s: line %zu, byte %zu: NUL byte; expected "
						    "UTF-8 text",
						    filename, line_of(data, i), i);
			return vg_error_set(err, VG_EPARSE,
					    "%s: line %zu, byte %zu: invalid UTF-8 sequence "
					    "(byte 0x%02x)",
					    filename, line_of(data, i), i, p[i]);
		}
		i += len;
	}
	return VG_OK;
}

json_t *sbom_json_load(const char *data, size_t n, const char *filename, struct vg_error *err)
{
	return vg_json_parse(data, n, filename, err);
}

/* --- license expressions --- */

void sbom_lic_init(struct sbom_lic *l)
{
	vg_buf_init(&l->buf, 1024 * 1024);
	l->nterms = 0;
	l->first_compound = 0;
}

void sbom_lic_release(struct sbom_lic *l)
{
	vg_buf_release(&l->buf);
}

static int is_compound(const char *s)
{
	for (; *s; s++)
		if (*s == ' ' || *s == '\t')
			return 1;
	return 0;
}

static int lic_term(struct sbom_lic *l, const char *prefix, const char *s, int sanitise)
{
	int rc, compound = !sanitise && is_compound(s);
	if (l->nterms == 1 && l->first_compound) {
		/* The first term turned out not to be alone: parenthesise it now. */
		char *old = l->buf.data;
		size_t len = l->buf.len;
		struct vg_buf nb;
		vg_buf_init(&nb, l->buf.max);
		if ((rc = vg_buf_addc(&nb, '(')) || (rc = vg_buf_add(&nb, old, len)) ||
		    (rc = vg_buf_addc(&nb, ')'))) {
			vg_buf_release(&nb);
			return rc;
		}
		vg_buf_release(&l->buf);
		l->buf = nb;
	}
	if (l->nterms && (rc = vg_buf_adds(&l->buf, " AND ")))
		return rc;
	if (compound && l->nterms && (rc = vg_buf_addc(&l->buf, '(')))
		return rc;
	if ((rc = vg_buf_adds(&l->buf, prefix)))
		return rc;
	if (sanitise) {
		for (const char *p = s; *p; p++) {
			char c = isalnum((unsigned char)*p) || *p == '.' || *p == '-' ? *p : '-';
			if ((rc = vg_buf_addc(&l->buf, c)))
				return rc;
		}
	} else if ((rc = vg_buf_adds(&l->buf, s))) {
		return rc;
	}
	if (compound && l->nterms && (rc = vg_buf_addc(&l->buf, ')')))
		return rc;
	if (!l->nterms)
		l->first_compound = compound;
	l->nterms++;
	return VG_OK;
}

int sbom_lic_add_id(struct sbom_lic *l, const char *id)
{
	return id && *id ? lic_term(l, "", id, 0) : VG_OK;
}

int sbom_lic_add_name(struct sbom_lic *l, const char *name)
{
	return name && *name ? lic_term(l, "LicenseRef-", name, 1) : VG_OK;
}

int sbom_lic_add_expr(struct sbom_lic *l, const char *expr)
{
	while (expr && isspace((unsigned char)*expr))
		expr++;
	return expr && *expr ? lic_term(l, "", expr, 0) : VG_OK;
}

void sbom_lic_reset(struct sbom_lic *l)
{
	vg_buf_reset(&l->buf);
	l->nterms = 0;
	l->first_compound = 0;
}

int sbom_lic_take(struct sbom_lic *l, struct sbom_doc *doc, const char **out)
{
	*out = NULL;
	if (l->nterms && !(*out = sbom_doc_strndup(doc, l->buf.data, l->buf.len)))
		return VG_ENOMEM;
	sbom_lic_reset(l);
	return VG_OK;
}

int sbom_lic_finish(struct sbom_lic *l, struct sbom_doc *doc, const char **out)
{
	*out = NULL;
	if (l->nterms) {
		*out = sbom_doc_strndup(doc, l->buf.data, l->buf.len);
		if (!*out) {
			sbom_lic_release(l);
			return VG_ENOMEM;
		}
	}
	sbom_lic_release(l);
	return VG_OK;
}

/* --- SPDX helpers shared by spdx.c and spdx3.c --- */

const char *sbom_spdx_actor_name(struct sbom_doc *doc, const char *s)
{
	static const char *const pfx[] = {"Organization:", "Person:", "Tool:"};
	if (!s)
		return NULL;
	for (size_t i = 0; i < 3; i++) {
		size_t k = strlen(pfx[i]);
		if (strncmp(s, pfx[i], k) == 0) {
			s += k;
			break;
		}
	}
	while (isspace((unsigned char)*s))
		s++;
	if (strcmp(s, "NOASSERTION") == 0 || !*s)
		return NULL;
	size_t n = strlen(s);
	/* Drop a trailing "(email)". */
	if (n && s[n - 1] == ')') {
		const char *open = strrchr(s, '(');
		if (open && open > s) {
			n = (size_t)(open - s);
			while (n && isspace((unsigned char)s[n - 1]))
				n--;
		}
	}
	return sbom_doc_strndup(doc, s, n);
}

const char *sbom_spdx_purpose_type(struct sbom_doc *doc, const char *purpose)
{
	char tmp[64];
	size_t i = 0;
	if (!purpose || !*purpose)
		return NULL;
	/* SPDX 3 uses camelCase ("operatingSystem"), SPDX 2 OPERATING_SYSTEM. */
	for (const char *p = purpose; *p && i + 2 < sizeof(tmp); p++) {
		if (*p == '_') {
			tmp[i++] = '-';
		} else if (isupper((unsigned char)*p) && p != purpose &&
			   islower((unsigned char)p[-1])) {
			tmp[i++] = '-';
			tmp[i++] = (char)tolower((unsigned char)*p);
		} else {
			tmp[i++] = (char)tolower((unsigned char)*p);
		}
	}
	tmp[i] = '\0';
	return sbom_doc_strdup(doc, tmp);
}

int sbom_spdx_rel_edge(const char *type, enum sbom_edge_kind *kind, int *reverse)
{
	static const struct {
		const char *name;
		enum sbom_edge_kind kind;
		int reverse;
	} map[] = {
	    {"DEPENDS_ON", SBOM_EDGE_DEPENDS_ON, 0},
	    {"DEPENDENCY_OF", SBOM_EDGE_DEPENDS_ON, 1},
	    {"DEV_DEPENDENCY_OF", SBOM_EDGE_DEPENDS_ON, 1},
	    {"BUILD_DEPENDENCY_OF", SBOM_EDGE_DEPENDS_ON, 1},
	    {"OPTIONAL_DEPENDENCY_OF", SBOM_EDGE_DEPENDS_ON, 1},
	    {"PROVIDED_DEPENDENCY_OF", SBOM_EDGE_DEPENDS_ON, 1},
	    {"RUNTIME_DEPENDENCY_OF", SBOM_EDGE_DEPENDS_ON, 1},
	    {"TEST_DEPENDENCY_OF", SBOM_EDGE_DEPENDS_ON, 1},
	    {"CONTAINS", SBOM_EDGE_CONTAINS, 0},
	    {"CONTAINED_BY", SBOM_EDGE_CONTAINS, 1},
	};
	if (!type || strcmp(type, "DESCRIBES") == 0 || strcmp(type, "DESCRIBED_BY") == 0)
		return 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(type, map[i].name) == 0) {
			*kind = map[i].kind;
			*reverse = map[i].reverse;
			return 1;
		}
	}
	*kind = SBOM_EDGE_OTHER;
	*reverse = 0;
	return 1;
}

/* --- detection and dispatch --- */

static const char *skip_ws(const char *p, const char *end)
{
	if (end - p >= 3 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb &&
	    (unsigned char)p[2] == 0xbf)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* 1 when the first line that is neither blank nor a comment starts with tag. */
static int tv_starts_with(const char *p, const char *end, const char *tag)
{
	size_t k = strlen(tag);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *q = p;
		while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q < le && *q != '#')
			return (size_t)(le - q) >= k && memcmp(q, tag, k) == 0;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int mem_has(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= n; i++)
		if (p[i] == s[0] && memcmp(p + i, s, k) == 0)
			return 1;
	return 0;
}

int sbom_parse_ex(const char *data, size_t n, const char *filename,
		  const struct sbom_parse_opts *opts, struct sbom_doc **out, struct vg_error *err)
{
	int rc;
	*out = NULL;
	/* XML in UTF-16 (or a refused wide encoding): the XML reader judges it */
	if (sbom_xml_foreign(data, n))
		return sbom_cyclonedx_parse_xml(data, n, filename, opts, out, err);
	if ((rc = sbom_input_check(data, n, filename, opts, err)))
		return rc;
	const char *end = data + n, *p = skip_ws(data, end);
	if (p == end)
		return vg_error_set(err, VG_EPARSE, "%s: document has only white space", filename);
	if (*p == '<') {
		size_t head = (size_t)(end - p) < 4096 ? (size_t)(end - p) : 4096;
		if (mem_has(p, head, "<rdf:RDF") || mem_has(p, head, "spdx.org/rdf/terms"))
			return vg_error_set(err, VG_EPARSE,
					    "%s: SPDX RDF/XML is not supported; use SPDX JSON or "
					    "tag-value",
					    filename);
		if (mem_has(p, head, "<Document") || mem_has(p, head, "<SpdxDocument"))
			return vg_error_set(err, VG_EPARSE,
					    "%s: SPDX XML is not supported; use SPDX JSON or "
					    "tag-value",
					    filename);
		return sbom_cyclonedx_parse_xml(data, n, filename, opts, out, err);
	}
	if (*p == '{') {
		/* Which format: the first top-level member name that tells. Values
		 * before it are skipped, not built, so a CycloneDX BOM is never
		 * made into a tree. */
		struct vg_jscan s;
		struct vg_jstr k;
		int r, kind = 0;
		char where[200];
		vg_jscan_init(&s, p, (size_t)(end - p), VG_JSON_MAX_DEPTH);
		if (vg_jscan_object(&s) == 0) {
			while ((r = vg_jscan_key(&s, &k)) == 1) {
				if (vg_jstr_eq(&k, "bomFormat"))
					kind = kind ? kind : 1;
				else if (vg_jstr_eq(&k, "spdxVersion"))
					kind = kind ? kind : 2;
				else if (vg_jstr_eq(&k, "@graph") || vg_jstr_eq(&k, "@context"))
					kind = kind ? kind : 3;
				/* The first telling key decides; the format's own parser
				 * checks the rest. */
				if (kind || vg_jscan_skip(&s))
					break;
			}
			if (!kind)
				vg_jscan_end(&s);
		}
		if (s.failed)
			return vg_error_set(err, VG_EPARSE, "%s: %s", filename,
					    vg_jscan_error(&s, where, sizeof(where)));
		if (kind == 1)
			return sbom_cyclonedx_parse_json(data, n, filename, opts, out, err);
		if (!kind)
			return vg_error_set(
			    err, VG_EPARSE,
			    "%s: /: not an SBOM: expected \"bomFormat\" (CycloneDX), "
			    "\"spdxVersion\" (SPDX 2) or \"@graph\" (SPDX 3)",
			    filename);
		json_t *root = sbom_json_load(data, n, filename, err);
		if (!root)
			return VG_EPARSE;
		rc = kind == 2 ? sbom_spdx_from_json(root, filename, opts, out, err)
			       : sbom_spdx3_from_json(root, filename, opts, out, err);
		json_decref(root);
		return rc;
	}
	if (tv_starts_with(p, end, "SPDXVersion:"))
		return sbom_spdx_parse_tagvalue(data, n, filename, opts, out, err);
	if (tv_starts_with(p, end, "spdxVersion:") || tv_starts_with(p, end, "---"))
		return vg_error_set(err, VG_EPARSE,
				    "%s: SPDX YAML is not supported; use SPDX JSON or tag-value",
				    filename);
	return vg_error_set(err, VG_EPARSE,
			    "%s: line %zu: not a known SBOM format: expected CycloneDX JSON or "
			    "XML, SPDX JSON, tag-value (\"SPDXVersion: ...\") or SPDX 3 JSON-LD",
			    filename, line_of(data, (size_t)(p - data)));
}

int sbom_parse(const char *data, size_t n, const char *filename, struct sbom_doc **out,
	       struct vg_error *err)
{
	return sbom_parse_ex(data, n, filename, NULL, out, err);
}
