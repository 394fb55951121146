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
#include "sbom/sbom_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct cdx {
	struct sbom_doc *doc;
	const char *file;
	const struct sbom_parse_opts *opts;
	struct vg_error *err;
	struct sbom_jptr ptr;
};

static int jerr(struct cdx *x, const char *key, const char *what)
{
	size_t at = key ? sbom_jptr_key(&x->ptr, key) : x->ptr.len;
	vg_error_set(x->err, VG_EPARSE, "%s: %s: %s", x->file, sbom_jptr_str(&x->ptr), what);
	sbom_jptr_pop(&x->ptr, at);
	return VG_EPARSE;
}

static int oom(struct cdx *x)
{
	return vg_error_set(x->err, VG_ENOMEM, "%s: out of memory", x->file);
}

/* A string member copied into the document; *out NULL when absent or null. */
static int jstr(struct cdx *x, json_t *v, const char *key, const char **out)
{
	*out = NULL;
	if (!v || json_is_null(v))
		return VG_OK;
	if (!json_is_string(v))
		return jerr(x, key, "expected a string");
	*out = sbom_doc_strndup(x->doc, json_string_value(v), json_string_length(v));
	return *out ? VG_OK : oom(x);
}

static int jarray(struct cdx *x, json_t *v, const char *key)
{
	return json_is_array(v) ? VG_OK : jerr(x, key, "expected an array");
}

static int jobject(struct cdx *x, json_t *v, const char *key)
{
	return json_is_object(v) ? VG_OK : jerr(x, key, "expected an object");
}

static int cdx_hashes(struct cdx *x, json_t *arr, uint32_t idx)
{
	int rc;
	size_t n = json_array_size(arr), i, at = sbom_jptr_key(&x->ptr, "hashes");
	struct sbom_hash *h = n ? sbom_doc_alloc(x->doc, n * sizeof(*h)) : NULL;
	json_t *e;
	if (n && !h)
		return oom(x);
	json_array_foreach(arr, i, e)
	{
		size_t at2 = sbom_jptr_idx(&x->ptr, i);
		if ((rc = jobject(x, e, NULL)) ||
		    (rc = jstr(x, json_object_get(e, "alg"), "alg", &h[i].alg)) ||
		    (rc = jstr(x, json_object_get(e, "content"), "content", &h[i].value)))
			return rc;
		if (!h[i].alg || !h[i].value)
			return jerr(x, NULL, "expected \"alg\" and \"content\"");
		sbom_jptr_pop(&x->ptr, at2);
	}
	sbom_jptr_pop(&x->ptr, at);
	x->doc->components[idx].hashes = h;
	x->doc->components[idx].n_hashes = (uint32_t)n;
	return VG_OK;
}

static int cdx_licenses(struct cdx *x, json_t *arr, uint32_t idx)
{
	struct sbom_lic lic;
	size_t i, at = sbom_jptr_key(&x->ptr, "licenses");
	json_t *e;
	int rc = VG_OK;
	sbom_lic_init(&lic);
	json_array_foreach(arr, i, e)
	{
		size_t at2 = sbom_jptr_idx(&x->ptr, i);
		json_t *l, *ex;
		if ((rc = jobject(x, e, NULL)))
			goto out;
		if ((ex = json_object_get(e, "expression"))) {
			if (!json_is_string(ex)) {
				rc = jerr(x, "expression", "expected a string");
				goto out;
			}
			rc = sbom_lic_add_expr(&lic, json_string_value(ex));
		} else if ((l = json_object_get(e, "license"))) {
			json_t *id = json_object_get(l, "id"), *name = json_object_get(l, "name");
			if (!json_is_object(l)) {
				rc = jerr(x, "license", "expected an object");
				goto out;
			}
			if ((id && !json_is_string(id)) || (name && !json_is_string(name))) {
				rc = jerr(x, "license", "expected string \"id\" or \"name\"");
				goto out;
			}
			rc = id ? sbom_lic_add_id(&lic, json_string_value(id))
				: sbom_lic_add_name(&lic, json_string_value(name));
		}
		if (rc) {
			rc = oom(x);
			goto out;
		}
		sbom_jptr_pop(&x->ptr, at2);
	}
	sbom_jptr_pop(&x->ptr, at);
	if ((rc = sbom_lic_finish(&lic, x->doc, &x->doc->components[idx].licenses)))
		return oom(x);
	return VG_OK;
out:
	sbom_lic_release(&lic);
	return rc;
}

static int cdx_extrefs(struct cdx *x, json_t *arr, uint32_t idx)
{
	int rc;
	size_t n = json_array_size(arr), i, at = sbom_jptr_key(&x->ptr, "externalReferences");
	struct sbom_extref *r = n ? sbom_doc_alloc(x->doc, n * sizeof(*r)) : NULL;
	json_t *e;
	if (n && !r)
		return oom(x);
	json_array_foreach(arr, i, e)
	{
		size_t at2 = sbom_jptr_idx(&x->ptr, i);
		if ((rc = jobject(x, e, NULL)) ||
		    (rc = jstr(x, json_object_get(e, "type"), "type", &r[i].type)) ||
		    (rc = jstr(x, json_object_get(e, "url"), "url", &r[i].url)) ||
		    (rc = jstr(x, json_object_get(e, "comment"), "comment", &r[i].comment)))
			return rc;
		if (!r[i].url)
			r[i].url = "";
		if (!r[i].type)
			r[i].type = "other";
		sbom_jptr_pop(&x->ptr, at2);
	}
	sbom_jptr_pop(&x->ptr, at);
	x->doc->components[idx].extrefs = r;
	x->doc->components[idx].n_extrefs = (uint32_t)n;
	return VG_OK;
}

static int cdx_properties(struct cdx *x, json_t *arr, uint32_t idx)
{
	int rc;
	size_t n = json_array_size(arr), i, at = sbom_jptr_key(&x->ptr, "properties");
	struct sbom_property *p = n ? sbom_doc_alloc(x->doc, n * sizeof(*p)) : NULL;
	json_t *e;
	if (n && !p)
		return oom(x);
	json_array_foreach(arr, i, e)
	{
		size_t at2 = sbom_jptr_idx(&x->ptr, i);
		if ((rc = jobject(x, e, NULL)) ||
		    (rc = jstr(x, json_object_get(e, "name"), "name", &p[i].name)) ||
		    (rc = jstr(x, json_object_get(e, "value"), "value", &p[i].value)))
			return rc;
		if (!p[i].name)
			p[i].name = "";
		sbom_jptr_pop(&x->ptr, at2);
	}
	sbom_jptr_pop(&x->ptr, at);
	x->doc->components[idx].properties = p;
	x->doc->components[idx].n_properties = (uint32_t)n;
	return VG_OK;
}

static int cdx_components(struct cdx *x, json_t *arr, uint32_t parent, int depth);

static int cdx_component(struct cdx *x, json_t *c, uint32_t parent, int depth, uint32_t *out)
{
	const char *key;
	json_t *v, *children = NULL;
	uint32_t idx;
	int rc;

	if ((rc = jobject(x, c, NULL)))
		return rc;
	if (depth > SBOM_MAX_NESTING)
		return jerr(x, NULL, "components nested deeper than 64 levels");
	v = json_object_get(c, "bom-ref");
	if (v && !json_is_string(v))
		return jerr(x, "bom-ref", "expected a string");
	rc = sbom_doc_add_component(x->doc, v ? json_string_value(v) : NULL, &idx);
	if (rc == VG_EEXIST) {
		size_t at = sbom_jptr_key(&x->ptr, "bom-ref");
		vg_error_set(x->err, VG_EPARSE,
			     "%s: %s: duplicate bom-ref \"%s\"; bom-refs must be unique", x->file,
			     sbom_jptr_str(&x->ptr), json_string_value(v));
		sbom_jptr_pop(&x->ptr, at);
		return VG_EPARSE;
	}
	if (rc)
		return oom(x);
	x->doc->components[idx].parent = parent;
	if (out)
		*out = idx;

	/* One pass over the members; a switch on the first byte keeps the
	 * string comparisons few. */
	json_object_foreach(c, key, v)
	{
		struct sbom_component *cp = &x->doc->components[idx];
		const char **dst = NULL;
		switch (key[0]) {
		case 'c':
			if (strcmp(key, "cpe") == 0)
				dst = &cp->cpe;
			else if (strcmp(key, "components") == 0)
				children = v;
			break;
		case 'd':
			if (strcmp(key, "description") == 0)
				dst = &cp->description;
			break;
		case 'e':
			if (strcmp(key, "externalReferences") == 0) {
				if ((rc = jarray(x, v, key)) || (rc = cdx_extrefs(x, v, idx)))
					return rc;
			}
			break;
		case 'g':
			if (strcmp(key, "group") == 0)
				dst = &cp->group;
			break;
		case 'h':
			if (strcmp(key, "hashes") == 0) {
				if ((rc = jarray(x, v, key)) || (rc = cdx_hashes(x, v, idx)))
					return rc;
			}
			break;
		case 'l':
			if (strcmp(key, "licenses") == 0) {
				if ((rc = jarray(x, v, key)) || (rc = cdx_licenses(x, v, idx)))
					return rc;
			}
			break;
		case 'n':
			if (strcmp(key, "name") == 0)
				dst = &cp->name;
			break;
		case 'p':
			if (strcmp(key, "purl") == 0)
				dst = &cp->purl;
			else if (strcmp(key, "properties") == 0) {
				if ((rc = jarray(x, v, key)) || (rc = cdx_properties(x, v, idx)))
					return rc;
			}
			break;
		case 's':
			if (strcmp(key, "scope") == 0) {
				dst = &cp->scope;
			} else if (strcmp(key, "supplier") == 0) {
				if ((rc = jobject(x, v, key)))
					return rc;
				size_t at = sbom_jptr_key(&x->ptr, key);
				rc = jstr(x, json_object_get(v, "name"), "name", &cp->supplier);
				if (rc)
					return rc;
				sbom_jptr_pop(&x->ptr, at);
			}
			break;
		case 't':
			if (strcmp(key, "type") == 0)
				dst = &cp->type;
			break;
		case 'v':
			if (strcmp(key, "version") == 0)
				dst = &cp->version;
			break;
		}
		if (dst && (rc = jstr(x, v, key, dst)))
			return rc;
	}
	if (!x->doc->components[idx].name)
		x->doc->components[idx].name = "";
	if (children) {
		size_t at = sbom_jptr_key(&x->ptr, "components");
		if ((rc = jarray(x, children, NULL)) ||
		    (rc = cdx_components(x, children, idx, depth + 1)))
			return rc;
		sbom_jptr_pop(&x->ptr, at);
	}
	return VG_OK;
}

static int cdx_components(struct cdx *x, json_t *arr, uint32_t parent, int depth)
{
	size_t i;
	json_t *c;
	int rc;
	json_array_foreach(arr, i, c)
	{
		size_t at = sbom_jptr_idx(&x->ptr, i);
		if ((rc = cdx_component(x, c, parent, depth, NULL)))
			return rc;
		sbom_jptr_pop(&x->ptr, at);
	}
	return VG_OK;
}

static int cdx_services(struct cdx *x, json_t *arr, int depth)
{
	size_t i;
	json_t *s;
	int rc;
	if (depth > SBOM_MAX_NESTING)
		return jerr(x, NULL, "services nested deeper than 64 levels");
	json_array_foreach(arr, i, s)
	{
		size_t at = sbom_jptr_idx(&x->ptr, i);
		json_t *ref, *sub;
		if ((rc = jobject(x, s, NULL)))
			return rc;
		if ((ref = json_object_get(s, "bom-ref"))) {
			if (!json_is_string(ref))
				return jerr(x, "bom-ref", "expected a string");
			rc = sbom_doc_add_other_ref(x->doc, json_string_value(ref));
			if (rc == VG_EEXIST) {
				size_t a = sbom_jptr_key(&x->ptr, "bom-ref");
				vg_error_set(x->err, VG_EPARSE,
					     "%s: %s: duplicate bom-ref \"%s\"; bom-refs must be "
					     "unique",
					     x->file, sbom_jptr_str(&x->ptr),
					     json_string_value(ref));
				sbom_jptr_pop(&x->ptr, a);
				return VG_EPARSE;
			}
			if (rc)
				return oom(x);
		}
		if ((sub = json_object_get(s, "services"))) {
			size_t a = sbom_jptr_key(&x->ptr, "services");
			if ((rc = jarray(x, sub, NULL)) || (rc = cdx_services(x, sub, depth + 1)))
				return rc;
			sbom_jptr_pop(&x->ptr, a);
		}
		sbom_jptr_pop(&x->ptr, at);
	}
	return VG_OK;
}

/* Resolve one dependency ref: *idx component index, SBOM_NONE for a service or
 * a dangling ref that is allowed. */
static int cdx_dep_ref(struct cdx *x, json_t *v, const char *key, uint32_t *idx)
{
	const char *ref;
	if (!json_is_string(v))
		return jerr(x, key, "expected a string");
	ref = json_string_value(v);
	*idx = sbom_doc_find(x->doc, ref);
	if (*idx != SBOM_NONE || sbom_doc_ref_known(x->doc, ref) ||
	    (x->opts && x->opts->allow_dangling))
		return VG_OK;
	size_t at = key ? sbom_jptr_key(&x->ptr, key) : x->ptr.len;
	vg_error_set(x->err, VG_EPARSE,
		     "%s: %s: dangling dependency: no component or service has bom-ref \"%s\"",
		     x->file, sbom_jptr_str(&x->ptr), ref);
	sbom_jptr_pop(&x->ptr, at);
	return VG_EPARSE;
}

static int cdx_dep_list(struct cdx *x, json_t *dep, const char *key, uint32_t from,
			enum sbom_edge_kind kind)
{
	json_t *arr = json_object_get(dep, key), *t;
	size_t i;
	int rc;
	if (!arr)
		return VG_OK;
	if ((rc = jarray(x, arr, key)))
		return rc;
	size_t at = sbom_jptr_key(&x->ptr, key);
	json_array_foreach(arr, i, t)
	{
		uint32_t to;
		size_t at2 = sbom_jptr_idx(&x->ptr, i);
		if ((rc = cdx_dep_ref(x, t, NULL, &to)))
			return rc;
		sbom_jptr_pop(&x->ptr, at2);
		if (from == SBOM_NONE || to == SBOM_NONE)
			x->doc->n_dropped_edges++;
		else if (sbom_doc_add_edge(x->doc, from, to, kind, NULL))
			return oom(x);
	}
	sbom_jptr_pop(&x->ptr, at);
	return VG_OK;
}

static int cdx_dependencies(struct cdx *x, json_t *arr)
{
	size_t i;
	json_t *d;
	int rc;
	json_array_foreach(arr, i, d)
	{
		size_t at = sbom_jptr_idx(&x->ptr, i);
		uint32_t from;
		if ((rc = jobject(x, d, NULL)))
			return rc;
		json_t *ref = json_object_get(d, "ref");
		if (!ref)
			return jerr(x, NULL, "expected \"ref\"");
		if ((rc = cdx_dep_ref(x, ref, "ref", &from)) ||
		    (rc = cdx_dep_list(x, d, "dependsOn", from, SBOM_EDGE_DEPENDS_ON)) ||
		    (rc = cdx_dep_list(x, d, "provides", from, SBOM_EDGE_PROVIDES)))
			return rc;
		sbom_jptr_pop(&x->ptr, at);
	}
	return VG_OK;
}

static int cdx_tool_entry(struct cdx *x, json_t *t, int modern)
{
	const char *vendor = NULL, *name = NULL, *version = NULL;
	int rc;
	if ((rc = jobject(x, t, NULL)))
		return rc;
	if (modern) {
		/* 1.5+: a component or service; the vendor is its group, supplier
		 * or provider. */
		json_t *org = json_object_get(t, "supplier");
		if (!org)
			org = json_object_get(t, "provider");
		vendor = json_string_value(json_object_get(org, "name"));
		if (!vendor)
			vendor = json_string_value(json_object_get(t, "group"));
	} else {
		vendor = json_string_value(json_object_get(t, "vendor"));
	}
	name = json_string_value(json_object_get(t, "name"));
	version = json_string_value(json_object_get(t, "version"));
	return sbom_doc_add_tool(x->doc, vendor, name, version) ? oom(x) : VG_OK;
}

static int cdx_tools(struct cdx *x, json_t *tools)
{
	size_t i, at;
	json_t *t;
	int rc;
	if (json_is_array(tools)) {
		json_array_foreach(tools, i, t)
		{
			at = sbom_jptr_idx(&x->ptr, i);
			if ((rc = cdx_tool_entry(x, t, 0)))
				return rc;
			sbom_jptr_pop(&x->ptr, at);
		}
		return VG_OK;
	}
	if (!json_is_object(tools))
		return jerr(x, NULL, "expected an array or an object");
	static const char *const kinds[] = {"components", "services"};
	for (size_t k = 0; k < 2; k++) {
		json_t *arr = json_object_get(tools, kinds[k]);
		if (!arr)
			continue;
		if ((rc = jarray(x, arr, kinds[k])))
			return rc;
		size_t at0 = sbom_jptr_key(&x->ptr, kinds[k]);
		json_array_foreach(arr, i, t)
		{
			at = sbom_jptr_idx(&x->ptr, i);
			if ((rc = cdx_tool_entry(x, t, 1)))
				return rc;
			sbom_jptr_pop(&x->ptr, at);
		}
		sbom_jptr_pop(&x->ptr, at0);
	}
	return VG_OK;
}

int sbom_cyclonedx_from_json(json_t *root, const char *filename, const struct sbom_parse_opts *opts,
			     struct sbom_doc **out, struct vg_error *err)
{
	struct cdx x = {.file = filename, .opts = opts, .err = err};
	json_t *v, *meta;
	const char *fmt, *ver;
	int rc;
	size_t at;

	*out = NULL;
	sbom_jptr_init(&x.ptr);
	if (!json_is_object(root))
		return vg_error_set(err, VG_EPARSE, "%s: /: expected a JSON object", filename);
	fmt = json_string_value(json_object_get(root, "bomFormat"));
	if (!fmt || strcmp(fmt, "CycloneDX") != 0)
		return vg_error_set(err, VG_EPARSE, "%s: /bomFormat: expected \"CycloneDX\"",
				    filename);
	v = json_object_get(root, "specVersion");
	ver = json_string_value(v);
	if (!ver)
		return vg_error_set(err, VG_EPARSE, "%s: /specVersion: expected a string",
				    filename);
	if (!known_version(ver, json_versions, sizeof(json_versions) / sizeof(json_versions[0])))
		return vg_error_set(err, VG_EPARSE,
				    "%s: /specVersion: unknown CycloneDX spec version \"%.32s\"; "
				    "expected 1.2 to 1.7",
				    filename, ver);
	if (!(x.doc = sbom_doc_new(SBOM_FORMAT_CYCLONEDX, SBOM_ENC_JSON)))
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", filename);
	if (!(x.doc->spec_version = sbom_doc_strdup(x.doc, ver))) {
		rc = oom(&x);
		goto out;
	}
	if ((rc = jstr(&x, json_object_get(root, "serialNumber"), "serialNumber", &x.doc->serial)))
		goto out;
	v = json_object_get(root, "version");
	if (v && !json_is_integer(v)) {
		rc = jerr(&x, "version", "expected an integer");
		goto out;
	}
	x.doc->bom_version = v ? json_integer_value(v) : 0;

	if ((meta = json_object_get(root, "metadata"))) {
		at = sbom_jptr_key(&x.ptr, "metadata");
		if ((rc = jobject(&x, meta, NULL)) ||
		    (rc = jstr(&x, json_object_get(meta, "timestamp"), "timestamp",
			       &x.doc->created)))
			goto out;
		if ((v = json_object_get(meta, "tools"))) {
			size_t a = sbom_jptr_key(&x.ptr, "tools");
			if ((rc = cdx_tools(&x, v)))
				goto out;
			sbom_jptr_pop(&x.ptr, a);
		}
		if ((v = json_object_get(meta, "component"))) {
			size_t a = sbom_jptr_key(&x.ptr, "component");
			if ((rc = cdx_component(&x, v, SBOM_NONE, 0, &x.doc->primary)))
				goto out;
			sbom_jptr_pop(&x.ptr, a);
		}
		sbom_jptr_pop(&x.ptr, at);
	}
	if ((v = json_object_get(root, "components"))) {
		at = sbom_jptr_key(&x.ptr, "components");
		if ((rc = jarray(&x, v, NULL)) || (rc = cdx_components(&x, v, SBOM_NONE, 0)))
			goto out;
		sbom_jptr_pop(&x.ptr, at);
	}
	if ((v = json_object_get(root, "services"))) {
		at = sbom_jptr_key(&x.ptr, "services");
		if ((rc = jarray(&x, v, NULL)) || (rc = cdx_services(&x, v, 0)))
			goto out;
		sbom_jptr_pop(&x.ptr, at);
	}
	if ((v = json_object_get(root, "dependencies"))) {
		at = sbom_jptr_key(&x.ptr, "dependencies");
		if ((rc = jarray(&x, v, NULL)) || (rc = cdx_dependencies(&x, v)))
			goto out;
		sbom_jptr_pop(&x.ptr, at);
	}
	*out = x.doc;
	return VG_OK;
out:
	sbom_doc_free(x.doc);
	return rc;
}

int sbom_cyclonedx_parse_json(const char *data, size_t n, const char *filename,
			      const struct sbom_parse_opts *opts, struct sbom_doc **out,
			      struct vg_error *err)
{
	int rc;
	json_t *root;
	*out = NULL;
	if ((rc = sbom_input_check(data, n, filename, opts, err)))
		return rc;
	if (!(root = sbom_json_load(data, n, filename, err)))
		return VG_EPARSE;
	rc = sbom_cyclonedx_from_json(root, filename, opts, out, err);
	json_decref(root);
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
	if (*idx != SBOM_NONE || sbom_doc_ref_known(x->doc, ref) ||
	    (x->opts && x->opts->allow_dangling))
		return VG_OK;
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

static int xmetadata(struct cdxml *x, const xmlNode *m)
{
	const xmlNode *tools = child(m, "tools"), *c;
	int rc;
	if ((rc = xtext(x, child(m, "timestamp"), &x->doc->created)))
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

static int has_doctype(const char *p, size_t n)
{
	static const char *const bad[] = {"<!DOCTYPE", "<!ENTITY"};
	for (size_t k = 0; k < 2; k++) {
		size_t len = strlen(bad[k]);
		for (size_t i = 0; i + len <= n; i++)
			if (p[i] == '<' && memcmp(p + i, bad[k], len) == 0)
				return 1;
	}
	return 0;
}

int sbom_cyclonedx_parse_xml(const char *data, size_t n, const char *filename,
			     const struct sbom_parse_opts *opts, struct sbom_doc **out,
			     struct vg_error *err)
{
	struct cdxml x = {.file = filename, .opts = opts, .err = err};
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr xd = NULL;
	const xmlNode *root, *e;
	const char *ns, *ver;
	int rc;

	*out = NULL;
	if ((rc = sbom_input_check(data, n, filename, opts, err)))
		return rc;
	if (n > INT_MAX)
		return vg_error_set(err, VG_ETOOBIG, "%s: XML documents are limited to %d bytes",
				    filename, INT_MAX);
	/* No DTDs: they bring entity expansion and external fetches, and
	 * CycloneDX has no use for them. */
	if (has_doctype(data, n))
		return vg_error_set(err, VG_EPARSE,
				    "%s: XML with a DOCTYPE or ENTITY declaration is not accepted",
				    filename);
	if (!(ctxt = xmlNewParserCtxt()))
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", filename);
	xd = xmlCtxtReadMemory(ctxt, data, (int)n, NULL, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
				   XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
	if (!xd) {
		const xmlError *xe = xmlCtxtGetLastError(ctxt);
		char msg[256];
		snprintf(msg, sizeof(msg), "%s", xe && xe->message ? xe->message : "malformed XML");
		size_t l = strlen(msg);
		while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
			msg[--l] = '\0';
		rc = vg_error_set(err, VG_EPARSE, "%s: line %d, column %d: %s", filename,
				  xe ? xe->line : 0, xe ? xe->int2 : 0, msg);
		goto out;
	}
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
	if (xd)
		xmlFreeDoc(xd);
	xmlFreeParserCtxt(ctxt);
	return rc;
}
