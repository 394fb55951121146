/*
 * cyclonedx.c - CycloneDX JSON (1.2-1.7) and XML (1.0-1.7) into the model.
 *
 * Nested components are flattened in document order, each one noting its
 * parent. metadata.component is the primary component and comes first.
 * Services are not components: their bom-refs are registered so that
 * dependencies on them are recognised (and dropped) rather than dangling.
 */
#include "sbom/parse.h"
#include "core/error.h"
#include "core/jscan.h"
#include "sbom/sbom_int.h"
#include "sbom/xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char *const json_versions[] = {"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"};
static const char *const xml_versions[] = {"1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"};

static int known_version(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ JSON */

/*
 * JSON goes through the pull scanner (core/jscan.h), not a jansson tree: on a
 * 50,000-component BOM the tree alone costs more than the whole import may.
 * Members come in any order, so a component's bom-ref is registered after
 * its other members, and dependencies are resolved after the whole document.
 */

struct cdx_dep {
	const char *raw; /* view into the input */
	uint32_t len;
	uint8_t escaped, kind; /* kind 0: the entry's "ref" */
	uint32_t i, j;         /* /dependencies/i/(dependsOn|provides)/j */
};

struct cdx {
	struct sbom_doc *doc;
	const char *file;
	const struct sbom_parse_opts *opts;
	struct vg_error *err;
	struct vg_jscan s;
	struct sbom_jptr ptr;
	struct sbom_lic lic;
	struct cdx_dep *deps;
	size_t n_deps, cap_deps;
	int have_format, have_version;
	int author_rank; /* of doc->author: 1 authors, 2 manufacturer, 3 manufacture,
			  * 4 supplier; 0 none yet */
};

static int oom(struct cdx *x)
{
	return vg_error_set(x->err, VG_ENOMEM, "%s: out of memory", x->file);
}

/* A scanner error, or one of ours at the scanner's position. */
static int jfail(struct cdx *x, const char *key, const char *what)
{
	char where[200];
	size_t at = key ? sbom_jptr_key(&x->ptr, key) : x->ptr.len;
	if (what)
		vg_jscan_fail(&x->s, what);
	vg_error_set(x->err, VG_EPARSE, "%s: %s: %s", x->file, sbom_jptr_str(&x->ptr),
		     vg_jscan_error(&x->s, where, sizeof(where)));
	sbom_jptr_pop(&x->ptr, at);
	return VG_EPARSE;
}

static int jcopy(struct cdx *x, const struct vg_jstr *j, const char **out)
{
	char *p = (char *)sbom_doc_strndup(x->doc, j->raw, j->len);
	if (!p)
		return oom(x);
	if (j->escaped)
		vg_jstr_decode(j, p); /* decoding never lengthens */
	*out = p;
	return VG_OK;
}

/* A string member: *out NULL for null. */
static int jstr(struct cdx *x, const char *key, const char **out)
{
	struct vg_jstr j;
	enum vg_jtype t = vg_jscan_peek(&x->s);
	*out = NULL;
	if (t == VG_JT_NULL)
		return vg_jscan_skip(&x->s) ? jfail(x, key, NULL) : VG_OK;
	if (t != VG_JT_STRING)
		return jfail(x, key, t == VG_JT_ERROR ? NULL : "expected a string");
	if (vg_jscan_string(&x->s, &j))
		return jfail(x, key, NULL);
	return jcopy(x, &j, out);
}

static int jskip(struct cdx *x, const char *key)
{
	return vg_jscan_skip(&x->s) ? jfail(x, key, NULL) : VG_OK;
}

static int jobject(struct cdx *x, const char *key)
{
	return vg_jscan_object(&x->s) ? jfail(x, key, NULL) : VG_OK;
}

static int jarray(struct cdx *x, const char *key)
{
	return vg_jscan_array(&x->s) ? jfail(x, key, NULL) : VG_OK;
}

/* Next member: 1 with *key, 0 at the end, VG_EPARSE (negative) on error. */
static int jkey(struct cdx *x, struct vg_jstr *key)
{
	int r = vg_jscan_key(&x->s, key);
	return r < 0 ? -jfail(x, NULL, NULL) : r;
}

static int jitem(struct cdx *x)
{
	int r = vg_jscan_item(&x->s);
	return r < 0 ? -jfail(x, NULL, NULL) : r;
}

/* Grow an arena array by one element (doubling, copying). */
static void *agrow(struct sbom_doc *doc, void *arr, uint32_t n, uint32_t *cap, size_t elem)
{
	if (n < *cap)
		return arr;
	uint32_t ncap = *cap ? *cap * 2 : 2;
	void *na = sbom_doc_alloc_raw(doc, (size_t)ncap * elem);
	if (na) {
		if (n)
			memcpy(na, arr, (size_t)n * elem);
		memset((char *)na + (size_t)n * elem, 0, (size_t)(ncap - n) * elem);
	}
	*cap = ncap;
	return na;
}

/*
 * An array of objects: for each object, call fn(x, arg) with the object
 * entered; fn reads members up to and including the closing brace.
 */
static int jeach(struct cdx *x, const char *key, int (*fn)(struct cdx *, void *), void *arg)
{
	int r, rc;
	size_t at = sbom_jptr_key(&x->ptr, key), i = 0;
	if ((rc = jarray(x, NULL)))
		return rc;
	while ((r = jitem(x)) == 1) {
		size_t at2 = sbom_jptr_idx(&x->ptr, i++);
		if ((rc = jobject(x, NULL)) || (rc = fn(x, arg)))
			return rc;
		sbom_jptr_pop(&x->ptr, at2);
	}
	if (r < 0)
		return -r;
	sbom_jptr_pop(&x->ptr, at);
	return VG_OK;
}

struct cdx_comp {
	struct sbom_component c;
	uint32_t cap_h, cap_e, cap_p;
};

static int hash_member(struct cdx *x, void *arg)
{
	struct cdx_comp *cc = arg;
	struct sbom_hash h = {NULL, NULL};
	struct vg_jstr k;
	int r, rc;
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "alg"))
			rc = jstr(x, "alg", &h.alg);
		else if (vg_jstr_eq(&k, "content"))
			rc = jstr(x, "content", &h.value);
		else
			rc = jskip(x, NULL);
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	if (!h.alg || !h.value)
		return jfail(x, NULL, "expected \"alg\" and \"content\"");
	struct sbom_hash *a = agrow(x->doc, cc->c.hashes, cc->c.n_hashes, &cc->cap_h, sizeof(h));
	if (!a)
		return oom(x);
	cc->c.hashes = a;
	a[cc->c.n_hashes++] = h;
	return VG_OK;
}

/* One hash of an external reference: a SHA-512 is kept. */
static int extref_hash_member(struct cdx *x, void *arg)
{
	struct sbom_extref *e = arg;
	const char *alg = NULL, *val = NULL;
	struct vg_jstr k;
	int r, rc;
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "alg"))
			rc = jstr(x, "alg", &alg);
		else if (vg_jstr_eq(&k, "content"))
			rc = jstr(x, "content", &val);
		else
			rc = jskip(x, NULL);
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	if (alg && val && strcmp(alg, "SHA-512") == 0)
		e->sha512 = val;
	return VG_OK;
}

static int extref_member(struct cdx *x, void *arg)
{
	struct cdx_comp *cc = arg;
	struct sbom_extref e = {NULL, NULL, NULL, NULL};
	struct vg_jstr k;
	int r, rc;
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "type"))
			rc = jstr(x, "type", &e.type);
		else if (vg_jstr_eq(&k, "url"))
			rc = jstr(x, "url", &e.url);
		else if (vg_jstr_eq(&k, "comment"))
			rc = jstr(x, "comment", &e.comment);
		else if (vg_jstr_eq(&k, "hashes") && vg_jscan_peek(&x->s) == VG_JT_ARRAY)
			rc = jeach(x, "hashes", extref_hash_member, &e);
		else
			rc = jskip(x, NULL);
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	if (!e.url)
		e.url = "";
	if (!e.type)
		e.type = "other";
	struct sbom_extref *a =
	    agrow(x->doc, cc->c.extrefs, cc->c.n_extrefs, &cc->cap_e, sizeof(e));
	if (!a)
		return oom(x);
	cc->c.extrefs = a;
	a[cc->c.n_extrefs++] = e;
	return VG_OK;
}

static int property_member(struct cdx *x, void *arg)
{
	struct cdx_comp *cc = arg;
	struct sbom_property p = {NULL, NULL};
	struct vg_jstr k;
	int r, rc;
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "name"))
			rc = jstr(x, "name", &p.name);
		else if (vg_jstr_eq(&k, "value"))
			rc = jstr(x, "value", &p.value);
		else
			rc = jskip(x, NULL);
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	if (!p.name)
		p.name = "";
	struct sbom_property *a =
	    agrow(x->doc, cc->c.properties, cc->c.n_properties, &cc->cap_p, sizeof(p));
	if (!a)
		return oom(x);
	cc->c.properties = a;
	a[cc->c.n_properties++] = p;
	return VG_OK;
}

/* {"license":{"id"|"name"}} or {"expression":...}; adds to x->lic. */
static int license_member(struct cdx *x, void *arg)
{
	struct vg_jstr k, v;
	int r, rc = VG_OK;
	(void)arg;
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "expression")) {
			const char *e;
			if ((rc = jstr(x, "expression", &e)))
				return rc;
			if (e && sbom_lic_add_expr(&x->lic, e))
				return oom(x);
		} else if (vg_jstr_eq(&k, "license")) {
			const char *id = NULL, *name = NULL;
			size_t at = sbom_jptr_key(&x->ptr, "license");
			int r2;
			if ((rc = jobject(x, NULL)))
				return rc;
			while ((r2 = jkey(x, &v)) == 1) {
				if (vg_jstr_eq(&v, "id"))
					rc = jstr(x, "id", &id);
				else if (vg_jstr_eq(&v, "name"))
					rc = jstr(x, "name", &name);
				else
					rc = jskip(x, NULL);
				if (rc)
					return rc;
			}
			if (r2 < 0)
				return -r2;
			sbom_jptr_pop(&x->ptr, at);
			if (id ? sbom_lic_add_id(&x->lic, id) : sbom_lic_add_name(&x->lic, name))
				return oom(x);
		} else if ((rc = jskip(x, NULL))) {
			return rc;
		}
	}
	return r < 0 ? -r : VG_OK;
}

static int component_members(struct cdx *x, void *arg);

struct cdx_parent {
	uint32_t idx;
	int depth;
};

static int child_component(struct cdx *x, void *arg)
{
	return component_members(x, arg);
}

/* Members of one component object (already entered); arg: its parent. */
static int component_members(struct cdx *x, void *arg)
{
	const struct cdx_parent *par = arg;
	struct cdx_comp cc;
	const char *ref = NULL;
	struct vg_jstr k;
	uint32_t idx;
	int r, rc;

	if (par->depth > SBOM_MAX_NESTING)
		return jfail(x, NULL, "components nested deeper than 64 levels");
	/* The slot first: nested components must know their parent's index. */
	if (sbom_doc_add_component(x->doc, NULL, &idx))
		return oom(x);
	memset(&cc, 0, sizeof(cc));
	cc.c.parent = par->idx;
	cc.c.name = "";
	while ((r = jkey(x, &k)) == 1) {
		const char **dst = NULL, *name = NULL;
		rc = VG_OK;
		switch (k.len ? k.raw[0] : 0) {
		case 'b':
			if (vg_jstr_eq(&k, "bom-ref"))
				rc = jstr(x, "bom-ref", &ref);
			else
				rc = jskip(x, NULL);
			break;
		case 'c':
			if (vg_jstr_eq(&k, "cpe")) {
				dst = &cc.c.cpe, name = "cpe";
			} else if (vg_jstr_eq(&k, "components")) {
				struct cdx_parent me = {idx, par->depth + 1};
				rc = jeach(x, "components", child_component, &me);
			} else {
				rc = jskip(x, NULL);
			}
			break;
		case 'd':
			if (vg_jstr_eq(&k, "description"))
				dst = &cc.c.description, name = "description";
			else
				rc = jskip(x, NULL);
			break;
		case 'e':
			if (vg_jstr_eq(&k, "externalReferences"))
				rc = jeach(x, "externalReferences", extref_member, &cc);
			else
				rc = jskip(x, NULL);
			break;
		case 'g':
			if (vg_jstr_eq(&k, "group"))
				dst = &cc.c.group, name = "group";
			else
				rc = jskip(x, NULL);
			break;
		case 'h':
			if (vg_jstr_eq(&k, "hashes"))
				rc = jeach(x, "hashes", hash_member, &cc);
			else
				rc = jskip(x, NULL);
			break;
		case 'l':
			if (vg_jstr_eq(&k, "licenses")) {
				sbom_lic_reset(&x->lic);
				rc = jeach(x, "licenses", license_member, NULL);
				if (!rc && sbom_lic_take(&x->lic, x->doc, &cc.c.licenses))
					rc = oom(x);
			} else {
				rc = jskip(x, NULL);
			}
			break;
		case 'n':
			if (vg_jstr_eq(&k, "name"))
				dst = &cc.c.name, name = "name";
			else
				rc = jskip(x, NULL);
			break;
		case 'p':
			if (vg_jstr_eq(&k, "purl"))
				dst = &cc.c.purl, name = "purl";
			else if (vg_jstr_eq(&k, "properties"))
				rc = jeach(x, "properties", property_member, &cc);
			else
				rc = jskip(x, NULL);
			break;
		case 's':
			if (vg_jstr_eq(&k, "scope")) {
				dst = &cc.c.scope, name = "scope";
			} else if (vg_jstr_eq(&k, "supplier")) {
				size_t at = sbom_jptr_key(&x->ptr, "supplier");
				struct vg_jstr k2;
				int r2;
				if ((rc = jobject(x, NULL)))
					return rc;
				while ((r2 = jkey(x, &k2)) == 1) {
					if (vg_jstr_eq(&k2, "name"))
						rc = jstr(x, "name", &cc.c.supplier);
					else
						rc = jskip(x, NULL);
					if (rc)
						return rc;
				}
				if (r2 < 0)
					return -r2;
				sbom_jptr_pop(&x->ptr, at);
			} else {
				rc = jskip(x, NULL);
			}
			break;
		case 't':
			if (vg_jstr_eq(&k, "type"))
				dst = &cc.c.type, name = "type";
			else
				rc = jskip(x, NULL);
			break;
		case 'v':
			if (vg_jstr_eq(&k, "version"))
				dst = &cc.c.version, name = "version";
			else
				rc = jskip(x, NULL);
			break;
		default:
			rc = jskip(x, NULL);
		}
		if (!rc && dst)
			rc = jstr(x, name, dst);
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	if (!cc.c.name)
		cc.c.name = "";
	x->doc->components[idx] = cc.c;
	if (ref) {
		rc = sbom_doc_set_ref(x->doc, idx, ref);
		if (rc == VG_EEXIST) {
			size_t at = sbom_jptr_key(&x->ptr, "bom-ref");
			vg_error_set(x->err, VG_EPARSE,
				     "%s: %s: duplicate bom-ref \"%s\"; bom-refs must be unique",
				     x->file, sbom_jptr_str(&x->ptr), ref);
			sbom_jptr_pop(&x->ptr, at);
			return VG_EPARSE;
		}
		if (rc)
			return oom(x);
	}
	return VG_OK;
}

static int service_members(struct cdx *x, void *arg)
{
	int depth = *(int *)arg, r, rc;
	struct vg_jstr k;
	const char *ref = NULL;
	if (depth > SBOM_MAX_NESTING)
		return jfail(x, NULL, "services nested deeper than 64 levels");
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "bom-ref")) {
			rc = jstr(x, "bom-ref", &ref);
		} else if (vg_jstr_eq(&k, "services")) {
			int d = depth + 1;
			rc = jeach(x, "services", service_members, &d);
		} else {
			rc = jskip(x, NULL);
		}
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	if (ref && (rc = sbom_doc_add_other_ref(x->doc, ref))) {
		if (rc != VG_EEXIST)
			return oom(x);
		size_t at = sbom_jptr_key(&x->ptr, "bom-ref");
		vg_error_set(x->err, VG_EPARSE,
			     "%s: %s: duplicate bom-ref \"%s\"; bom-refs must be unique", x->file,
			     sbom_jptr_str(&x->ptr), ref);
		sbom_jptr_pop(&x->ptr, at);
		return VG_EPARSE;
	}
	return VG_OK;
}

static int dep_push(struct cdx *x, const struct vg_jstr *j, int kind, size_t i, size_t k)
{
	if (x->n_deps == x->cap_deps) {
		size_t cap = x->cap_deps ? x->cap_deps * 2 : 256;
		struct cdx_dep *d = realloc(x->deps, cap * sizeof(*d));
		if (!d)
			return oom(x);
		x->deps = d;
		x->cap_deps = cap;
	}
	if (j->len > UINT32_MAX || i > UINT32_MAX || k > UINT32_MAX)
		return jfail(x, NULL, "too large");
	struct cdx_dep *d = &x->deps[x->n_deps++];
	d->raw = j->raw;
	d->len = (uint32_t)j->len;
	d->escaped = (uint8_t)j->escaped;
	d->kind = (uint8_t)kind;
	d->i = (uint32_t)i;
	d->j = (uint32_t)k;
	return VG_OK;
}

static int dependencies(struct cdx *x)
{
	int r, rc;
	size_t i = 0, at = sbom_jptr_key(&x->ptr, "dependencies");
	if ((rc = jarray(x, NULL)))
		return rc;
	while ((r = jitem(x)) == 1) {
		size_t at2 = sbom_jptr_idx(&x->ptr, i);
		struct vg_jstr k, ref = {NULL, 0, 0};
		int have_ref = 0;
		size_t first = x->n_deps;
		if ((rc = jobject(x, NULL)))
			return rc;
		/* The entry's ref goes first in the list, whatever the member order. */
		if ((rc = dep_push(x, &ref, 0, i, 0)))
			return rc;
		while ((r = jkey(x, &k)) == 1) {
			int kind = vg_jstr_eq(&k, "dependsOn")  ? SBOM_EDGE_DEPENDS_ON
				   : vg_jstr_eq(&k, "provides") ? SBOM_EDGE_PROVIDES
								: 0;
			if (vg_jstr_eq(&k, "ref")) {
				if (vg_jscan_string(&x->s, &ref))
					return jfail(x, "ref", NULL);
				have_ref = 1;
			} else if (kind) {
				size_t j = 0;
				int r2;
				size_t at3 = sbom_jptr_key(
				    &x->ptr, kind == SBOM_EDGE_PROVIDES ? "provides" : "dependsOn");
				if ((rc = jarray(x, NULL)))
					return rc;
				while ((r2 = jitem(x)) == 1) {
					struct vg_jstr t;
					if (vg_jscan_string(&x->s, &t)) {
						sbom_jptr_idx(&x->ptr, j);
						return jfail(x, NULL, NULL);
					}
					if ((rc = dep_push(x, &t, kind, i, j++)))
						return rc;
				}
				if (r2 < 0)
					return -r2;
				sbom_jptr_pop(&x->ptr, at3);
			} else if ((rc = jskip(x, NULL))) {
				return rc;
			}
		}
		if (r < 0)
			return -r;
		if (!have_ref)
			return jfail(x, NULL, "expected \"ref\"");
		x->deps[first].raw = ref.raw;
		x->deps[first].len = (uint32_t)ref.len;
		x->deps[first].escaped = (uint8_t)ref.escaped;
		sbom_jptr_pop(&x->ptr, at2);
		i++;
	}
	if (r < 0)
		return -r;
	sbom_jptr_pop(&x->ptr, at);
	return VG_OK;
}

static uint32_t dep_lookup(struct cdx *x, const struct cdx_dep *d, int *known, char *tmp)
{
	if (!d->escaped)
		return sbom_doc_findn(x->doc, d->raw, d->len, known);
	struct vg_jstr j = {d->raw, d->len, 1};
	size_t n = vg_jstr_decode(&j, tmp);
	return sbom_doc_findn(x->doc, tmp, n, known);
}

static int resolve_dependencies(struct cdx *x)
{
	uint32_t from = SBOM_NONE;
	char *tmp = NULL;
	size_t tmpcap = 0;
	int rc = VG_OK;
	for (size_t n = 0; n < x->n_deps; n++) {
		const struct cdx_dep *d = &x->deps[n];
		int known;
		if (d->escaped && d->len + 1 > tmpcap) {
			free(tmp);
			tmpcap = (size_t)d->len + 1;
			if (!(tmp = malloc(tmpcap))) {
				rc = oom(x);
				break;
			}
		}
		uint32_t idx = dep_lookup(x, d, &known, tmp);
		char where[96];
		if (!known) {
			if (d->kind == 0)
				snprintf(where, sizeof(where), "/dependencies/%u/ref", d->i);
			else
				snprintf(where, sizeof(where), "/dependencies/%u/%s/%u", d->i,
					 d->kind == SBOM_EDGE_PROVIDES ? "provides" : "dependsOn",
					 d->j);
		}
		if (!known && x->opts && x->opts->allow_dangling && x->opts->dangling) {
			char ref[208];
			snprintf(ref, sizeof(ref), "%.*s", (int)(d->len > 200 ? 200 : d->len),
				 d->raw);
			x->opts->dangling(x->opts->dangling_arg, where, 0, ref);
		}
		if (!known && !(x->opts && x->opts->allow_dangling)) {
			rc = vg_error_set(
			    x->err, VG_EPARSE,
			    "%s: %s: dangling dependency: no component or service has "
			    "bom-ref \"%.*s\"",
			    x->file, where, (int)(d->len > 200 ? 200 : d->len), d->raw);
			break;
		}
		if (d->kind == 0) {
			from = idx;
			continue;
		}
		if (from == SBOM_NONE || idx == SBOM_NONE)
			x->doc->n_dropped_edges++;
		else if (sbom_doc_add_edge(x->doc, from, idx, (enum sbom_edge_kind)d->kind, NULL)) {
			rc = oom(x);
			break;
		}
	}
	free(tmp);
	return rc;
}

static int tool_members(struct cdx *x, void *arg)
{
	const char *vendor = NULL, *name = NULL, *version = NULL, *org = NULL, *group = NULL;
	struct vg_jstr k, k2;
	int r, r2, rc;
	(void)arg;
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "vendor")) {
			rc = jstr(x, "vendor", &vendor);
		} else if (vg_jstr_eq(&k, "name")) {
			rc = jstr(x, "name", &name);
		} else if (vg_jstr_eq(&k, "version")) {
			rc = jstr(x, "version", &version);
		} else if (vg_jstr_eq(&k, "group")) {
			rc = jstr(x, "group", &group);
		} else if ((vg_jstr_eq(&k, "supplier") || vg_jstr_eq(&k, "provider")) &&
			   vg_jscan_peek(&x->s) == VG_JT_OBJECT) {
			if ((rc = jobject(x, NULL)))
				return rc;
			while ((r2 = jkey(x, &k2)) == 1) {
				if (vg_jstr_eq(&k2, "name"))
					rc = jstr(x, "name", &org);
				else
					rc = jskip(x, NULL);
				if (rc)
					return rc;
			}
			if (r2 < 0)
				return -r2;
		} else {
			rc = jskip(x, NULL);
		}
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	if (!vendor)
		vendor = org ? org : group;
	return sbom_doc_add_tool(x->doc, vendor, name, version) ? oom(x) : VG_OK;
}

static int tools(struct cdx *x)
{
	struct vg_jstr k;
	int r, rc;
	size_t at = sbom_jptr_key(&x->ptr, "tools");
	if (vg_jscan_peek(&x->s) == VG_JT_ARRAY) {
		sbom_jptr_pop(&x->ptr, at);
		return jeach(x, "tools", tool_members, NULL);
	}
	if ((rc = jobject(x, NULL)))
		return rc;
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "components"))
			rc = jeach(x, "components", tool_members, NULL);
		else if (vg_jstr_eq(&k, "services"))
			rc = jeach(x, "services", tool_members, NULL);
		else
			rc = jskip(x, NULL);
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	sbom_jptr_pop(&x->ptr, at);
	return VG_OK;
}

/* An organisation or person of the metadata: its name, email (or the first
 * contact's) and first url. */
struct cdx_party {
	const char *name, *email, *url;
	int rank;
};

static int contact_member(struct cdx *x, void *arg)
{
	struct cdx_party *p = arg;
	struct vg_jstr k;
	const char *e = NULL;
	int r, rc;
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "email") && !p->email)
			rc = jstr(x, "email", &e);
		else
			rc = jskip(x, NULL);
		if (rc)
			return rc;
		if (e && !p->email)
			p->email = e;
	}
	return r < 0 ? -r : VG_OK;
}

static int party_members(struct cdx *x, void *arg)
{
	struct cdx_party *p = arg;
	struct vg_jstr k;
	char buf[600];
	int r, rc;
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "name")) {
			rc = jstr(x, "name", &p->name);
		} else if (vg_jstr_eq(&k, "email")) {
			rc = jstr(x, "email", &p->email);
		} else if (vg_jstr_eq(&k, "url") && vg_jscan_peek(&x->s) == VG_JT_STRING) {
			rc = jstr(x, "url", &p->url);
		} else if (vg_jstr_eq(&k, "url") && vg_jscan_peek(&x->s) == VG_JT_ARRAY) {
			int r2;
			if ((rc = jarray(x, "url")))
				return rc;
			while ((r2 = jitem(x)) == 1) {
				if (!p->url && vg_jscan_peek(&x->s) == VG_JT_STRING)
					rc = jstr(x, "url", &p->url);
				else
					rc = jskip(x, NULL);
				if (rc)
					return rc;
			}
			if (r2 < 0)
				return -r2;
		} else if (vg_jstr_eq(&k, "contact") && vg_jscan_peek(&x->s) == VG_JT_ARRAY) {
			rc = jeach(x, "contact", contact_member, p);
		} else {
			rc = jskip(x, NULL);
		}
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	if ((!p->name && !p->email && !p->url) || (x->author_rank && x->author_rank <= p->rank))
		return VG_OK;
	if (p->email)
		snprintf(buf, sizeof(buf), "%.256s <%.256s>", p->name ? p->name : "", p->email);
	else if (p->url)
		snprintf(buf, sizeof(buf), "%.256s (%.256s)", p->name ? p->name : "", p->url);
	else
		snprintf(buf, sizeof(buf), "%.256s", p->name);
	if (!(x->doc->author = sbom_doc_strdup(x->doc, buf[0] == ' ' ? buf + 1 : buf)))
		return oom(x);
	x->author_rank = p->rank;
	return VG_OK;
}

static int author_member(struct cdx *x, void *arg)
{
	struct cdx_party p = {NULL, NULL, NULL, 1};
	(void)arg;
	return party_members(x, &p);
}

static int metadata(struct cdx *x)
{
	struct vg_jstr k;
	int r, rc;
	size_t at = sbom_jptr_key(&x->ptr, "metadata");
	if ((rc = jobject(x, NULL)))
		return rc;
	while ((r = jkey(x, &k)) == 1) {
		if (vg_jstr_eq(&k, "timestamp")) {
			rc = jstr(x, "timestamp", &x->doc->created);
		} else if (vg_jstr_eq(&k, "tools")) {
			rc = tools(x);
		} else if (vg_jstr_eq(&k, "authors") && vg_jscan_peek(&x->s) == VG_JT_ARRAY) {
			rc = jeach(x, "authors", author_member, NULL);
		} else if ((vg_jstr_eq(&k, "manufacturer") || vg_jstr_eq(&k, "manufacture") ||
			    vg_jstr_eq(&k, "supplier")) &&
			   vg_jscan_peek(&x->s) == VG_JT_OBJECT) {
			struct cdx_party p = {NULL, NULL, NULL,
					      vg_jstr_eq(&k, "manufacturer")  ? 2
					      : vg_jstr_eq(&k, "manufacture") ? 3
									      : 4};
			size_t a = sbom_jptr_key(&x->ptr, p.rank == 2   ? "manufacturer"
							  : p.rank == 3 ? "manufacture"
									: "supplier");
			if ((rc = jobject(x, NULL)) || (rc = party_members(x, &p)))
				return rc;
			sbom_jptr_pop(&x->ptr, a);
		} else if (vg_jstr_eq(&k, "component")) {
			struct cdx_parent top = {SBOM_NONE, 0};
			size_t a = sbom_jptr_key(&x->ptr, "component");
			uint32_t first = (uint32_t)x->doc->n_components;
			if ((rc = jobject(x, NULL)) || (rc = component_members(x, &top)))
				return rc;
			x->doc->primary = first; /* its slot is taken before its children's */
			sbom_jptr_pop(&x->ptr, a);
		} else {
			rc = jskip(x, NULL);
		}
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	sbom_jptr_pop(&x->ptr, at);
	return VG_OK;
}

static int bom(struct cdx *x)
{
	struct vg_jstr k, v;
	int r, rc;
	if ((rc = jobject(x, NULL)))
		return rc;
	while ((r = jkey(x, &k)) == 1) {
		rc = VG_OK;
		if (vg_jstr_eq(&k, "bomFormat")) {
			if (vg_jscan_string(&x->s, &v) || !vg_jstr_eq(&v, "CycloneDX"))
				return jfail(x, "bomFormat", "expected \"CycloneDX\"");
			x->have_format = 1;
		} else if (vg_jstr_eq(&k, "specVersion")) {
			if (vg_jscan_string(&x->s, &v))
				return jfail(x, "specVersion", NULL);
			const char *ver = NULL;
			for (size_t i = 0; i < sizeof(json_versions) / sizeof(json_versions[0]);
			     i++)
				if (vg_jstr_eq(&v, json_versions[i]))
					ver = json_versions[i];
			if (!ver)
				return vg_error_set(x->err, VG_EPARSE,
						    "%s: /specVersion: unknown CycloneDX spec "
						    "version \"%.*s\"; expected 1.2 to 1.7",
						    x->file, (int)(v.len > 32 ? 32 : v.len), v.raw);
			x->doc->spec_version = ver;
			x->have_version = 1;
		} else if (vg_jstr_eq(&k, "serialNumber")) {
			rc = jstr(x, "serialNumber", &x->doc->serial);
		} else if (vg_jstr_eq(&k, "version")) {
			if (vg_jscan_peek(&x->s) == VG_JT_NUMBER) {
				if (vg_jscan_int(&x->s, &x->doc->bom_version))
					return jfail(x, "version", NULL);
			} else {
				return jfail(x, "version", "expected an integer");
			}
		} else if (vg_jstr_eq(&k, "metadata")) {
			rc = metadata(x);
		} else if (vg_jstr_eq(&k, "components")) {
			struct cdx_parent top = {SBOM_NONE, 0};
			rc = jeach(x, "components", component_members, &top);
		} else if (vg_jstr_eq(&k, "services")) {
			int d = 0;
			rc = jeach(x, "services", service_members, &d);
		} else if (vg_jstr_eq(&k, "dependencies")) {
			rc = dependencies(x);
		} else {
			rc = jskip(x, NULL);
		}
		if (rc)
			return rc;
	}
	if (r < 0)
		return -r;
	if (vg_jscan_end(&x->s))
		return jfail(x, NULL, NULL);
	if (!x->have_format)
		return vg_error_set(x->err, VG_EPARSE, "%s: /bomFormat: expected \"CycloneDX\"",
				    x->file);
	if (!x->have_version)
		return vg_error_set(x->err, VG_EPARSE,
				    "%s: /specVersion: missing; expected 1.2 to 1.7", x->file);
	return resolve_dependencies(x);
}

int sbom_cyclonedx_parse_json(const char *data, size_t n, const char *filename,
			      const struct sbom_parse_opts *opts, struct sbom_doc **out,
			      struct vg_error *err)
{
	struct cdx x;
	int rc;
	*out = NULL;
	if ((rc = sbom_input_check(data, n, filename, opts, err)))
		return rc;
	memset(&x, 0, sizeof(x));
	x.file = filename;
	x.opts = opts;
	x.err = err;
	sbom_jptr_init(&x.ptr);
	sbom_lic_init(&x.lic);
	/* Skip a UTF-8 byte-order mark. */
	if (n >= 3 && (unsigned char)data[0] == 0xef && (unsigned char)data[1] == 0xbb &&
	    (unsigned char)data[2] == 0xbf) {
		data += 3;
		n -= 3;
	}
	vg_jscan_init(&x.s, data, n, VG_JSON_MAX_DEPTH);
	if (!(x.doc = sbom_doc_new(SBOM_FORMAT_CYCLONEDX, SBOM_ENC_JSON))) {
		rc = oom(&x);
		goto out;
	}
	if ((rc = bom(&x)))
		goto out;
	*out = x.doc;
	x.doc = NULL;
out:
	sbom_lic_release(&x.lic);
	free(x.deps);
	sbom_doc_free(x.doc);
	return rc;
}

/* ------------------------------------------------------------------- XML */

struct cdxml {
	struct sbom_doc *doc;
	const char *file;
	const struct sbom_parse_opts *opts;
	struct vg_error *err;
};

static int is_el(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is_el(c, name))
			return c;
	return NULL;
}

static int xerr(struct cdxml *x, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int xerr(struct cdxml *x, const xmlNode *n, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return vg_error_set(x->err, VG_EPARSE, "%s: line %ld: <%s>: %s", x->file,
			    n ? xmlGetLineNo((xmlNode *)n) : 0L, n ? (const char *)n->name : "?",
			    what);
}

static int xoom(struct cdxml *x)
{
	return vg_error_set(x->err, VG_ENOMEM, "%s: out of memory", x->file);
}

/* Text of an element, white space trimmed, copied into the document. */
static int xtext(struct cdxml *x, const xmlNode *n, const char **out)
{
	const char *s;
	xmlChar *tmp = NULL;
	*out = NULL;
	if (!n)
		return VG_OK;
	if (!n->children)
		s = "";
	else if (!n->children->next && (n->children->type == XML_TEXT_NODE ||
					n->children->type == XML_CDATA_SECTION_NODE))
		s = (const char *)n->children->content;
	else
		s = (const char *)(tmp = xmlNodeGetContent(n));
	if (!s)
		s = "";
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\r' ||
		       s[len - 1] == '\t'))
		len--;
	while (len && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')) {
		s++;
		len--;
	}
	*out = sbom_doc_strndup(x->doc, s, len);
	xmlFree(tmp);
	return *out ? VG_OK : xoom(x);
}

static int xattr(struct cdxml *x, const xmlNode *n, const char *name, const char **out)
{
	*out = NULL;
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) == 0) {
			const xmlNode *t = a->children;
			const char *s = t && t->type == XML_TEXT_NODE && !t->next
					    ? (const char *)t->content
					    : NULL;
			if (s) {
				*out = sbom_doc_strdup(x->doc, s);
			} else {
				xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
				*out = sbom_doc_strdup(x->doc, v ? (const char *)v : "");
				xmlFree(v);
			}
			return *out ? VG_OK : xoom(x);
		}
	}
	return VG_OK;
}

static size_t count_children(const xmlNode *n, const char *name)
{
	size_t k = 0;
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is_el(c, name))
			k++;
	return k;
}

static int xcomponents(struct cdxml *x, const xmlNode *list, uint32_t parent, int depth);

static int xcomponent(struct cdxml *x, const xmlNode *n, uint32_t parent, int depth, uint32_t *out)
{
	const char *ref;
	uint32_t idx;
	int rc;
	if (depth > SBOM_MAX_NESTING)
		return xerr(x, n, "components nested deeper than 64 levels");
	if ((rc = xattr(x, n, "bom-ref", &ref)))
		return rc;
	rc = sbom_doc_add_component(x->doc, ref, &idx);
	if (rc == VG_EEXIST)
		return xerr(x, n, "duplicate bom-ref \"%s\"; bom-refs must be unique", ref);
	if (rc)
		return xoom(x);
	if (out)
		*out = idx;
	struct sbom_component c = x->doc->components[idx];
	c.parent = parent;
	const xmlNode *nested = NULL;
	if ((rc = xattr(x, n, "type", &c.type)))
		return rc;
	for (const xmlNode *e = n->children; e; e = e->next) {
		const char **dst = NULL;
		if (e->type != XML_ELEMENT_NODE)
			continue;
		const char *nm = (const char *)e->name;
		if (strcmp(nm, "name") == 0)
			dst = &c.name;
		else if (strcmp(nm, "version") == 0)
			dst = &c.version;
		else if (strcmp(nm, "group") == 0)
			dst = &c.group;
		else if (strcmp(nm, "purl") == 0)
			dst = &c.purl;
		else if (strcmp(nm, "cpe") == 0)
			dst = &c.cpe;
		else if (strcmp(nm, "description") == 0)
			dst = &c.description;
		else if (strcmp(nm, "scope") == 0)
			dst = &c.scope;
		else if (strcmp(nm, "supplier") == 0) {
			if ((rc = xtext(x, child(e, "name"), &c.supplier)))
				return rc;
		} else if (strcmp(nm, "components") == 0) {
			nested = e;
		} else if (strcmp(nm, "hashes") == 0) {
			size_t k = count_children(e, "hash"), i = 0;
			c.hashes = k ? sbom_doc_alloc(x->doc, k * sizeof(*c.hashes)) : NULL;
			if (k && !c.hashes)
				return xoom(x);
			for (const xmlNode *h = e->children; h; h = h->next) {
				if (!is_el(h, "hash"))
					continue;
				if ((rc = xattr(x, h, "alg", &c.hashes[i].alg)) ||
				    (rc = xtext(x, h, &c.hashes[i].value)))
					return rc;
				if (!c.hashes[i].alg)
					return xerr(x, h, "expected attribute alg");
				i++;
			}
			c.n_hashes = (uint32_t)i;
		} else if (strcmp(nm, "licenses") == 0) {
			struct sbom_lic lic;
			sbom_lic_init(&lic);
			for (const xmlNode *l = e->children; l; l = l->next) {
				xmlChar *t = NULL;
				const xmlNode *id, *lname;
				rc = VG_OK;
				if (is_el(l, "expression")) {
					t = xmlNodeGetContent(l);
					rc = sbom_lic_add_expr(&lic, (const char *)t);
				} else if (is_el(l, "license")) {
					if ((id = child(l, "id"))) {
						t = xmlNodeGetContent(id);
						rc = sbom_lic_add_id(&lic, (const char *)t);
					} else if ((lname = child(l, "name"))) {
						t = xmlNodeGetContent(lname);
						rc = sbom_lic_add_name(&lic, (const char *)t);
					}
				}
				xmlFree(t);
				if (rc) {
					sbom_lic_release(&lic);
					return xoom(x);
				}
			}
			if (sbom_lic_finish(&lic, x->doc, &c.licenses))
				return xoom(x);
		} else if (strcmp(nm, "externalReferences") == 0) {
			size_t k = count_children(e, "reference"), i = 0;
			c.extrefs = k ? sbom_doc_alloc(x->doc, k * sizeof(*c.extrefs)) : NULL;
			if (k && !c.extrefs)
				return xoom(x);
			for (const xmlNode *r = e->children; r; r = r->next) {
				if (!is_el(r, "reference"))
					continue;
				struct sbom_extref *er = &c.extrefs[i++];
				if ((rc = xattr(x, r, "type", &er->type)) ||
				    (rc = xtext(x, child(r, "url"), &er->url)) ||
				    (rc = xtext(x, child(r, "comment"), &er->comment)))
					return rc;
				if (!er->url)
					er->url = "";
				if (!er->type)
					er->type = "other";
			}
			c.n_extrefs = (uint32_t)i;
		} else if (strcmp(nm, "properties") == 0) {
			size_t k = count_children(e, "property"), i = 0;
			c.properties = k ? sbom_doc_alloc(x->doc, k * sizeof(*c.properties)) : NULL;
			if (k && !c.properties)
				return xoom(x);
			for (const xmlNode *p = e->children; p; p = p->next) {
				if (!is_el(p, "property"))
					continue;
				struct sbom_property *pr = &c.properties[i++];
				if ((rc = xattr(x, p, "name", &pr->name)) ||
				    (rc = xtext(x, p, &pr->value)))
					return rc;
				if (!pr->name)
					pr->name = "";
			}
			c.n_properties = (uint32_t)i;
		}
		if (dst && (rc = xtext(x, e, dst)))
			return rc;
	}
	if (!c.name)
		c.name = "";
	x->doc->components[idx] = c;
	return nested ? xcomponents(x, nested, idx, depth + 1) : VG_OK;
}

static int xcomponents(struct cdxml *x, const xmlNode *list, uint32_t parent, int depth)
{
	int rc;
	for (const xmlNode *c = list->children; c; c = c->next)
		if (is_el(c, "component") && (rc = xcomponent(x, c, parent, depth, NULL)))
			return rc;
	return VG_OK;
}

static int xservices(struct cdxml *x, const xmlNode *list, int depth)
{
	int rc;
	if (depth > SBOM_MAX_NESTING)
		return xerr(x, list, "services nested deeper than 64 levels");
	for (const xmlNode *s = list->children; s; s = s->next) {
		const char *ref;
		const xmlNode *sub;
		if (!is_el(s, "service"))
			continue;
		if ((rc = xattr(x, s, "bom-ref", &ref)))
			return rc;
		if (ref && (rc = sbom_doc_add_other_ref(x->doc, ref))) {
			if (rc == VG_EEXIST)
				return xerr(
				    x, s, "duplicate bom-ref \"%s\"; bom-refs must be unique", ref);
			return xoom(x);
		}
		if ((sub = child(s, "services")) && (rc = xservices(x, sub, depth + 1)))
			return rc;
	}
	return VG_OK;
}

static int xdep_ref(struct cdxml *x, const xmlNode *n, uint32_t *idx)
{
	const char *ref;
	int rc;
	if ((rc = xattr(x, n, "ref", &ref)))
		return rc;
	if (!ref)
		return xerr(x, n, "expected attribute ref");
	*idx = sbom_doc_find(x->doc, ref);
	if (*idx != SBOM_NONE || sbom_doc_ref_known(x->doc, ref))
		return VG_OK;
	if (x->opts && x->opts->allow_dangling) {
		if (x->opts->dangling)
			x->opts->dangling(x->opts->dangling_arg, NULL, xmlGetLineNo((xmlNode *)n),
					  ref);
		return VG_OK;
	}
	return xerr(x, n, "dangling dependency: no component or service has bom-ref \"%s\"", ref);
}

static int xdependencies(struct cdxml *x, const xmlNode *list)
{
	int rc;
	for (const xmlNode *d = list->children; d; d = d->next) {
		uint32_t from, to;
		if (!is_el(d, "dependency"))
			continue;
		if ((rc = xdep_ref(x, d, &from)))
			return rc;
		for (const xmlNode *t = d->children; t; t = t->next) {
			enum sbom_edge_kind kind;
			if (is_el(t, "dependency"))
				kind = SBOM_EDGE_DEPENDS_ON;
			else if (is_el(t, "provides"))
				kind = SBOM_EDGE_PROVIDES;
			else
				continue;
			if ((rc = xdep_ref(x, t, &to)))
				return rc;
			if (from == SBOM_NONE || to == SBOM_NONE)
				x->doc->n_dropped_edges++;
			else if (sbom_doc_add_edge(x->doc, from, to, kind, NULL))
				return xoom(x);
		}
	}
	return VG_OK;
}

static int xtool(struct cdxml *x, const xmlNode *t, const char *vendor_el)
{
	const char *vendor = NULL, *name = NULL, *version = NULL;
	const xmlNode *v = child(t, vendor_el);
	int rc;
	if (v && (is_el(v, "supplier") || is_el(v, "provider")))
		v = child(v, "name");
	if ((rc = xtext(x, v, &vendor)) || (rc = xtext(x, child(t, "name"), &name)) ||
	    (rc = xtext(x, child(t, "version"), &version)))
		return rc;
	return sbom_doc_add_tool(x->doc, vendor, name, version) ? xoom(x) : VG_OK;
}

/* doc->author from metadata: authors/author, else manufacturer,
 * manufacture, supplier (name, email or the first contact's, url). */
static int xauthor(struct cdxml *x, const xmlNode *m)
{
	static const char *const from[] = {"authors", "manufacturer", "manufacture", "supplier"};
	char buf[600];
	int rc;
	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		const xmlNode *p = child(m, from[i]), *c;
		const char *name = NULL, *email = NULL, *url = NULL;
		if (p && i == 0)
			p = child(p, "author");
		if (!p)
			continue;
		if ((rc = xtext(x, child(p, "name"), &name)) ||
		    (rc = xtext(x, child(p, "email"), &email)) ||
		    (rc = xtext(x, child(p, "url"), &url)))
			return rc;
		if (!email && (c = child(p, "contact")) &&
		    (rc = xtext(x, child(c, "email"), &email)))
			return rc;
		if (!name && !email && !url)
			continue;
		if (email)
			snprintf(buf, sizeof(buf), "%.256s <%.256s>", name ? name : "", email);
		else if (url)
			snprintf(buf, sizeof(buf), "%.256s (%.256s)", name ? name : "", url);
		else
			snprintf(buf, sizeof(buf), "%.256s", name);
		if (!(x->doc->author = sbom_doc_strdup(x->doc, buf[0] == ' ' ? buf + 1 : buf)))
			return xoom(x);
		return VG_OK;
	}
	return VG_OK;
}

static int xmetadata(struct cdxml *x, const xmlNode *m)
{
	const xmlNode *tools = child(m, "tools"), *c;
	int rc;
	if ((rc = xtext(x, child(m, "timestamp"), &x->doc->created)))
		return rc;
	if ((rc = xauthor(x, m)))
		return rc;
	for (const xmlNode *t = tools ? tools->children : NULL; t; t = t->next) {
		if (is_el(t, "tool")) {
			if ((rc = xtool(x, t, "vendor")))
				return rc;
		} else if (is_el(t, "components") || is_el(t, "services")) {
			for (c = t->children; c; c = c->next)
				if ((is_el(c, "component") &&
				     (rc = xtool(x, c,
						 child(c, "supplier") ? "supplier" : "group"))) ||
				    (is_el(c, "service") && (rc = xtool(x, c, "provider"))))
					return rc;
		}
	}
	if ((c = child(m, "component")))
		return xcomponent(x, c, SBOM_NONE, 0, &x->doc->primary);
	return VG_OK;
}

int sbom_cyclonedx_parse_xml(const char *data, size_t n, const char *filename,
			     const struct sbom_parse_opts *opts, struct sbom_doc **out,
			     struct vg_error *err)
{
	struct cdxml x = {.file = filename, .opts = opts, .err = err};
	struct sbom_xml_fault f;
	xmlDocPtr xd = NULL;
	const xmlNode *root, *e;
	const char *ns, *ver;
	int rc;

	*out = NULL;
	/* size, encoding, no DTD, no entities: see xml.h */
	if ((rc = sbom_xml_read(data, n, filename, opts, &xd, &f, err)))
		return rc;
	root = xmlDocGetRootElement(xd);
	if (!root || strcmp((const char *)root->name, "bom") != 0) {
		rc = vg_error_set(err, VG_EPARSE, "%s: line %ld: expected root element <bom>",
				  filename, root ? xmlGetLineNo((xmlNode *)root) : 1L);
		goto out;
	}
	ns = root->ns && root->ns->href ? (const char *)root->ns->href : "";
	static const char nsprefix[] = "http://cyclonedx.org/schema/bom/";
	if (strncmp(ns, nsprefix, sizeof(nsprefix) - 1) != 0) {
		rc = vg_error_set(err, VG_EPARSE,
				  "%s: line %ld: <bom> namespace \"%.100s\" is not a CycloneDX "
				  "namespace (%s<version>)",
				  filename, xmlGetLineNo((xmlNode *)root), ns, nsprefix);
		goto out;
	}
	ver = ns + sizeof(nsprefix) - 1;
	if (!known_version(ver, xml_versions, sizeof(xml_versions) / sizeof(xml_versions[0]))) {
		rc =
		    vg_error_set(err, VG_EPARSE,
				 "%s: line %ld: unknown CycloneDX spec version \"%.32s\"; expected "
				 "1.0 to 1.7",
				 filename, xmlGetLineNo((xmlNode *)root), ver);
		goto out;
	}
	if (!(x.doc = sbom_doc_new(SBOM_FORMAT_CYCLONEDX, SBOM_ENC_XML)) ||
	    !(x.doc->spec_version = sbom_doc_strdup(x.doc, ver))) {
		rc = xoom(&x);
		goto out;
	}
	if ((rc = xattr(&x, root, "serialNumber", &x.doc->serial)))
		goto out;
	const char *bv = NULL;
	if ((rc = xattr(&x, root, "version", &bv)))
		goto out;
	if (bv) {
		char *end;
		long long v = strtoll(bv, &end, 10);
		if (*end || end == bv) {
			rc = xerr(&x, root, "attribute version \"%s\" is not an integer", bv);
			goto out;
		}
		x.doc->bom_version = v;
	}
	if ((e = child(root, "metadata")) && (rc = xmetadata(&x, e)))
		goto out;
	for (e = root->children; e; e = e->next)
		if (is_el(e, "components") && (rc = xcomponents(&x, e, SBOM_NONE, 0)))
			goto out;
	for (e = root->children; e; e = e->next)
		if (is_el(e, "services") && (rc = xservices(&x, e, 0)))
			goto out;
	/* CycloneDX 1.1 carries the graph in an extension namespace; the element
	 * names are the same, so the local name is enough. */
	for (e = root->children; e; e = e->next)
		if (is_el(e, "dependencies") && (rc = xdependencies(&x, e)))
			goto out;
	*out = x.doc;
	x.doc = NULL;
	rc = VG_OK;
out:
	sbom_doc_free(x.doc);
	xmlFreeDoc(xd);
	return rc;
}
