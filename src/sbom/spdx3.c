/*
 * spdx3.c - SPDX 3.0.x JSON-LD (the "@graph" serialisation) into the model.
 *
 * software_Package, ai_AIPackage and dataset_DatasetPackage elements become
 * components; every other element with an id (files, agents, licenses,
 * relationships) is registered as a known non-component ref. Relationships:
 * dependsOn (and hasOptionalDependency, hasProvidedDependency) give
 * depends-on edges, contains gives contains edges, any other type between two
 * components an "other" edge; hasConcludedLicense / hasDeclaredLicense give
 * the licenses (concluded preferred), describes and the SBOM's rootElement
 * the primary component. Two elements with one id are refused when either
 * is a package (a component must be unique); otherwise JSON-LD would merge
 * them into one node, so they are accepted and the first one's properties
 * are used. Ends named in the document's imports, the SPDX
 * license list IRIs and the NoneElement / NoAssertionElement individuals are
 * not dangling.
 */
#include "sbom/parse.h"
#include "core/error.h"
#include "sbom/sbom_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct s3 {
	struct sbom_doc *doc;
	const char *file;
	const struct sbom_parse_opts *opts;
	struct vg_error *err;
	json_t *byid;                       /* id -> element (borrowed references) */
	json_t *imports;                    /* externalSpdxId -> true */
	const char **concluded, **declared; /* per component, malloc'ed */
};

static int oom(struct s3 *x)
{
	return vg_error_set(x->err, VG_ENOMEM, "%s: out of memory", x->file);
}

static int at_err(struct s3 *x, size_t i, const char *key, const char *what)
{
	return vg_error_set(x->err, VG_EPARSE, "%s: /@graph/%zu%s%s: %s", x->file, i,
			    key ? "/" : "", key ? key : "", what);
}

static int gstr(struct s3 *x, json_t *e, size_t i, const char *key, const char **out)
{
	json_t *v = json_object_get(e, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return VG_OK;
	if (!json_is_string(v))
		return at_err(x, i, key, "expected a string");
	*out = json_string_value(v);
	return VG_OK;
}

static const char *elem_id(json_t *e)
{
	const char *id = json_string_value(json_object_get(e, "spdxId"));
	return id ? id : json_string_value(json_object_get(e, "@id"));
}

static const char *elem_type(json_t *e)
{
	const char *t = json_string_value(json_object_get(e, "type"));
	return t ? t : json_string_value(json_object_get(e, "@type"));
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int is_package_type(const char *t)
{
	return t && (strcmp(t, "software_Package") == 0 || strcmp(t, "ai_AIPackage") == 0 ||
		     strcmp(t, "dataset_DatasetPackage") == 0);
}

static const char licenses_iri[] = "https://spdx.org/licenses/";

/*
 * The named individuals of the SPDX 3.0.1 model (spdx-model.jsonld), by
 * full IRI after the version, and the compact IRIs the official context
 * (spdx-context.jsonld) gives them.
 */
static const char *const individuals[] = {
    "Core/NoAssertionElement",
    "Core/NoneElement",
    "ExpandedLicensing/NoAssertionLicense",
    "ExpandedLicensing/NoneLicense",
    "Licensing/NoAssertion",
    "Licensing/None",
};
static const char *const individual_curies[] = {
    "NoAssertionElement",
    "NoneElement",
    "expandedlicensing_NoAssertionLicense",
    "expandedlicensing_NoneLicense",
};

static int well_known(const char *id)
{
	if (strncmp(id, licenses_iri, sizeof(licenses_iri) - 1) == 0)
		return 1;
	for (size_t i = 0; i < sizeof(individual_curies) / sizeof(individual_curies[0]); i++)
		if (!strcmp(id, individual_curies[i]))
			return 1;
	if (strncmp(id, "https://spdx.org/rdf/3.0", 24) == 0) {
		const char *t = strstr(id, "/terms/");
		for (size_t i = 0; t && i < sizeof(individuals) / sizeof(individuals[0]); i++)
			if (!strcmp(t + 7, individuals[i]))
				return 1;
	}
	return 0;
}

static int package(struct s3 *x, json_t *e, size_t i, const char *id)
{
	const char *s, *purl = NULL;
	json_t *arr, *h;
	uint32_t idx;
	size_t k;
	int rc = sbom_doc_add_component(x->doc, id, &idx);
	if (rc == VG_EEXIST)
		return at_err(x, i, "spdxId", "duplicate element id");
	if (rc)
		return oom(x);
	struct sbom_component c = x->doc->components[idx];
	struct sbom_doc *doc = x->doc;

	if ((rc = gstr(x, e, i, "name", &s)))
		return rc;
	if (s && !(c.name = sbom_doc_strdup(doc, s)))
		return oom(x);
	if (!c.name)
		c.name = "";
	if ((rc = gstr(x, e, i, "software_packageVersion", &s)))
		return rc;
	if (s && !(c.version = sbom_doc_strdup(doc, s)))
		return oom(x);
	if ((rc = gstr(x, e, i, "description", &s)))
		return rc;
	if (!s && (rc = gstr(x, e, i, "summary", &s)))
		return rc;
	if (s && !(c.description = sbom_doc_strdup(doc, s)))
		return oom(x);
	if ((rc = gstr(x, e, i, "software_primaryPurpose", &s)))
		return rc;
	if (s)
		c.type = sbom_spdx_purpose_type(doc, s);
	else if (strcmp(elem_type(e), "ai_AIPackage") == 0)
		c.type = "machine-learning-model";
	else if (strcmp(elem_type(e), "dataset_DatasetPackage") == 0)
		c.type = "data";
	if ((rc = gstr(x, e, i, "software_packageUrl", &purl)))
		return rc;
	if ((rc = gstr(x, e, i, "suppliedBy", &s)))
		return rc;
	if (s) {
		/* An agent element's name; a bare string when not in the graph. */
		json_t *agent = json_object_get(x->byid, s);
		const char *nm = agent ? json_string_value(json_object_get(agent, "name")) : s;
		if (nm && !(c.supplier = sbom_doc_strdup(doc, nm)))
			return oom(x);
	}

	arr = json_object_get(e, "verifiedUsing");
	if (arr && !json_is_array(arr))
		return at_err(x, i, "verifiedUsing", "expected an array");
	if (json_array_size(arr)) {
		c.hashes = sbom_doc_alloc(doc, json_array_size(arr) * sizeof(*c.hashes));
		if (!c.hashes)
			return oom(x);
		json_array_foreach(arr, k, h)
		{
			const char *alg = json_string_value(json_object_get(h, "algorithm"));
			const char *val = json_string_value(json_object_get(h, "hashValue"));
			const char *t = elem_type(h);
			if (!json_is_object(h))
				return at_err(x, i, "verifiedUsing", "expected objects");
			if (!t || strcmp(t, "Hash") != 0 || !alg || !val)
				continue; /* PackageVerificationCode and the like */
			struct sbom_hash *hh = &c.hashes[c.n_hashes++];
			hh->alg = sbom_doc_strdup(doc, sbom_hash_alg_normalise(alg));
			hh->value = sbom_doc_strdup(doc, val);
			if (!hh->alg || !hh->value)
				return oom(x);
		}
	}

	/* External references: identifiers (purl, cpe, others), externalRef
	 * locators, download location and home page. */
	json_t *ids = json_object_get(e, "externalIdentifier");
	json_t *refs = json_object_get(e, "externalRef");
	if ((ids && !json_is_array(ids) && !json_is_null(ids)) ||
	    (refs && !json_is_array(refs) && !json_is_null(refs)))
		return at_err(x, i,
			      ids && !json_is_array(ids) ? "externalIdentifier" : "externalRef",
			      "expected an array");
	size_t nref = json_array_size(ids) + 2;
	json_array_foreach(refs, k, h) nref += json_array_size(json_object_get(h, "locator"));
	c.extrefs = sbom_doc_alloc(doc, nref * sizeof(*c.extrefs));
	if (!c.extrefs)
		return oom(x);
	if (purl && !(c.purl = sbom_doc_strdup(doc, purl)))
		return oom(x);
	json_array_foreach(ids, k, h)
	{
		const char *type = json_string_value(json_object_get(h, "externalIdentifierType"));
		const char *val = json_string_value(json_object_get(h, "identifier"));
		if (!type || !val)
			continue;
		if (!c.purl && (strcmp(type, "packageUrl") == 0 || strcmp(type, "purl") == 0)) {
			if (!(c.purl = sbom_doc_strdup(doc, val)))
				return oom(x);
		} else if (!c.cpe && (strcmp(type, "cpe23") == 0 || strcmp(type, "cpe22") == 0)) {
			if (!(c.cpe = sbom_doc_strdup(doc, val)))
				return oom(x);
		} else {
			struct sbom_extref *r = &c.extrefs[c.n_extrefs++];
			r->type = sbom_doc_strdup(doc, type);
			r->url = sbom_doc_strdup(doc, val);
			if (!r->type || !r->url)
				return oom(x);
		}
	}
	json_array_foreach(refs, k, h)
	{
		const char *type = json_string_value(json_object_get(h, "externalRefType"));
		json_t *locs = json_object_get(h, "locator"), *l;
		size_t m;
		json_array_foreach(locs, m, l)
		{
			if (!json_is_string(l))
				continue;
			struct sbom_extref *r = &c.extrefs[c.n_extrefs++];
			r->type = sbom_doc_strdup(doc, type ? type : "other");
			r->url = sbom_doc_strdup(doc, json_string_value(l));
			if (!r->type || !r->url)
				return oom(x);
		}
	}
	static const char *const urls[][2] = {{"software_downloadLocation", "distribution"},
					      {"software_homePage", "website"}};
	for (k = 0; k < 2; k++) {
		if ((rc = gstr(x, e, i, urls[k][0], &s)))
			return rc;
		if (s && *s) {
			struct sbom_extref *r = &c.extrefs[c.n_extrefs++];
			r->type = urls[k][1];
			if (!(r->url = sbom_doc_strdup(doc, s)))
				return oom(x);
		}
	}
	x->doc->components[idx] = c;
	return VG_OK;
}

/* The license expression an element of the graph stands for, or NULL. */
static const char *license_text(struct s3 *x, const char *id, int *custom)
{
	json_t *e = json_object_get(x->byid, id);
	const char *t, *s;
	*custom = 0;
	if (!e)
		return strncmp(id, licenses_iri, sizeof(licenses_iri) - 1) == 0
			   ? id + sizeof(licenses_iri) - 1
			   : NULL;
	t = elem_type(e);
	if (!t)
		return NULL;
	if (ends_with(t, "LicenseExpression")) {
		s = json_string_value(json_object_get(e, "simplelicensing_licenseExpression"));
		return s && strcmp(s, "NOASSERTION") != 0 ? s : NULL;
	}
	if (ends_with(t, "CustomLicense")) {
		*custom = 1;
		return json_string_value(json_object_get(e, "name"));
	}
	if (ends_with(t, "License")) {
		if (strncmp(id, licenses_iri, sizeof(licenses_iri) - 1) == 0)
			return id + sizeof(licenses_iri) - 1;
		if ((s = json_string_value(json_object_get(e, "expandedlicensing_licenseId"))) ||
		    (s = json_string_value(json_object_get(e, "licenseId"))))
			return s;
		return json_string_value(json_object_get(e, "name"));
	}
	return NULL;
}

static int relationship(struct s3 *x, json_t *e, size_t i)
{
	const char *from, *type;
	json_t *to, *t;
	size_t k;
	int rc;
	char where[64];

	if ((rc = gstr(x, e, i, "from", &from)) || (rc = gstr(x, e, i, "relationshipType", &type)))
		return rc;
	to = json_object_get(e, "to");
	if (!from || !type || !to)
		return at_err(x, i, NULL, "expected \"from\", \"relationshipType\" and \"to\"");
	if (!json_is_array(to) && !json_is_string(to))
		return at_err(x, i, "to", "expected an array of element ids");

	uint32_t fi = sbom_doc_find(x->doc, from);
	if (fi == SBOM_NONE && !json_object_get(x->byid, from) &&
	    !json_object_get(x->imports, from) && !well_known(from)) {
		if (!(x->opts && x->opts->allow_dangling))
			return vg_error_set(x->err, VG_EPARSE,
					    "%s: /@graph/%zu/from: dangling relationship: no "
					    "element has id \"%s\"",
					    x->file, i, from);
		if (x->opts->dangling) {
			char fw[64];
			snprintf(fw, sizeof(fw), "/@graph/%zu/from", i);
			x->opts->dangling(x->opts->dangling_arg, fw, 0, from);
		}
	}
	int is_lic =
	    strcmp(type, "hasConcludedLicense") == 0 || strcmp(type, "hasDeclaredLicense") == 0;
	struct sbom_lic lic;
	if (is_lic)
		sbom_lic_init(&lic);
	size_t n = json_is_array(to) ? json_array_size(to) : 1;
	for (k = 0; k < n; k++) {
		t = json_is_array(to) ? json_array_get(to, k) : to;
		const char *tid = json_string_value(t);
		snprintf(where, sizeof(where), "to/%zu", k);
		if (!tid) {
			rc = at_err(x, i, where, "expected a string");
			goto out;
		}
		uint32_t ti = sbom_doc_find(x->doc, tid);
		if (ti == SBOM_NONE && !json_object_get(x->byid, tid) &&
		    !json_object_get(x->imports, tid) && !well_known(tid)) {
			if (x->opts && x->opts->allow_dangling) {
				x->doc->n_dropped_edges++;
				if (x->opts->dangling) {
					char tw[96];
					snprintf(tw, sizeof(tw), "/@graph/%zu/%s", i, where);
					x->opts->dangling(x->opts->dangling_arg, tw, 0, tid);
				}
				continue;
			}
			rc = vg_error_set(x->err, VG_EPARSE,
					  "%s: /@graph/%zu/%s: dangling relationship: no element "
					  "has id \"%s\"",
					  x->file, i, where, tid);
			goto out;
		}
		if (is_lic) {
			int custom;
			const char *l = license_text(x, tid, &custom);
			if (l &&
			    (custom ? sbom_lic_add_name(&lic, l) : sbom_lic_add_expr(&lic, l))) {
				rc = oom(x);
				goto out;
			}
			continue;
		}
		if (strcmp(type, "describes") == 0) {
			if (x->doc->primary == SBOM_NONE && ti != SBOM_NONE)
				x->doc->primary = ti;
			continue;
		}
		if (fi == SBOM_NONE || ti == SBOM_NONE) {
			x->doc->n_dropped_edges++;
			continue;
		}
		enum sbom_edge_kind kind = SBOM_EDGE_OTHER;
		if (strcmp(type, "dependsOn") == 0 || strcmp(type, "hasOptionalDependency") == 0 ||
		    strcmp(type, "hasProvidedDependency") == 0)
			kind = SBOM_EDGE_DEPENDS_ON;
		else if (strcmp(type, "contains") == 0)
			kind = SBOM_EDGE_CONTAINS;
		if (sbom_doc_add_edge(x->doc, fi, ti, kind, type)) {
			rc = oom(x);
			goto out;
		}
	}
	if (is_lic) {
		const char *expr = NULL;
		if (sbom_lic_finish(&lic, x->doc, &expr))
			return oom(x);
		if (expr && fi != SBOM_NONE) {
			const char **slot = type[3] == 'C' ? x->concluded : x->declared;
			slot[fi] = expr;
		}
	}
	return VG_OK;
out:
	if (is_lic)
		sbom_lic_release(&lic);
	return rc;
}

/* The first rootElement of e that is a component, following one SBOM level. */
static uint32_t root_component(struct s3 *x, json_t *e, int depth)
{
	json_t *roots = json_object_get(e, "rootElement"), *r;
	size_t k;
	json_array_foreach(roots, k, r)
	{
		const char *id = json_string_value(r);
		if (!id)
			continue;
		uint32_t idx = sbom_doc_find(x->doc, id);
		if (idx != SBOM_NONE)
			return idx;
		json_t *sub = json_object_get(x->byid, id);
		if (sub && depth < 2 && sub != e) {
			idx = root_component(x, sub, depth + 1);
			if (idx != SBOM_NONE)
				return idx;
		}
	}
	return SBOM_NONE;
}

/*
 * JSON-LD lets a document write a type or a vocabulary value by its full IRI
 * as well as by the compact term of the official context: "type"
 * "https://spdx.org/rdf/3.0.1/terms/Software/Package" is software_Package
 * (Core classes have no prefix), "relationshipType"
 * "https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/dependsOn" is
 * dependsOn. Rewrites every such value in place to its compact term, so the
 * passes below see one spelling. Element references (spdxId, from, to) are
 * left alone: the individuals among them are well_known().
 */
static const char *spdx_terms(const char *s)
{
	const char *t;
	if (!s || strncmp(s, "https://spdx.org/rdf/3.0.", 25) != 0 || !(t = strstr(s, "/terms/")))
		return NULL;
	return t + 7;
}

static int compact_class(const char *rest, char *out, size_t n)
{
	const char *slash = strchr(rest, '/');
	size_t plen;
	if (!slash || strchr(slash + 1, '/') || !slash[1])
		return 0;
	plen = (size_t)(slash - rest);
	if (plen == 4 && strncmp(rest, "Core", 4) == 0)
		return snprintf(out, n, "%s", slash + 1) < (int)n;
	if (plen + 1 + strlen(slash + 1) + 1 > n)
		return 0;
	for (size_t i = 0; i < plen; i++)
		out[i] = (char)((rest[i] >= 'A' && rest[i] <= 'Z') ? rest[i] - 'A' + 'a' : rest[i]);
	out[plen] = '_';
	memcpy(out + plen + 1, slash + 1, strlen(slash + 1) + 1);
	return 1;
}

static int compact_vocab(const char *rest, char *out, size_t n)
{
	const char *a = strchr(rest, '/'), *b = a ? strchr(a + 1, '/') : NULL;
	if (!b || strchr(b + 1, '/') || !b[1])
		return 0;
	return snprintf(out, n, "%s", b + 1) < (int)n;
}

static int compact_iris(json_t *v, int depth)
{
	const char *k;
	json_t *m;
	size_t i;
	char buf[256];

	if (depth > 64)
		return VG_OK;
	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
		{
			const char *rest =
			    json_is_string(m) ? spdx_terms(json_string_value(m)) : NULL;
			if (rest && compact_vocab(rest, buf, sizeof(buf))) {
				if (json_array_set_new(v, i, json_string(buf)))
					return VG_ENOMEM;
			} else if (compact_iris(m, depth + 1)) {
				return VG_ENOMEM;
			}
		}
		return VG_OK;
	}
	if (!json_is_object(v))
		return VG_OK;
	json_object_foreach(v, k, m)
	{
		int type = !strcmp(k, "type") || !strcmp(k, "@type");
		const char *rest;
		if (!strcmp(k, "spdxId") || !strcmp(k, "@id") || !strcmp(k, "from") ||
		    !strcmp(k, "to"))
			continue;
		rest = json_is_string(m) ? spdx_terms(json_string_value(m)) : NULL;
		if (rest && (type ? compact_class(rest, buf, sizeof(buf))
				  : compact_vocab(rest, buf, sizeof(buf)))) {
			if (json_object_set_new(v, k, json_string(buf)))
				return VG_ENOMEM;
		} else if (!rest && compact_iris(m, depth + 1)) {
			return VG_ENOMEM;
		}
	}
	return VG_OK;
}

static int context_ok(json_t *ctx)
{
	json_t *v;
	size_t k;
	if (json_is_string(ctx))
		return strstr(json_string_value(ctx), "spdx.org/rdf/3.0") != NULL;
	json_array_foreach(ctx, k, v) if (json_is_string(v) && strstr(json_string_value(v),
								      "spdx.org/rdf/3.0")) return 1;
	return 0;
}

int sbom_spdx3_from_json(json_t *root, const char *filename, const struct sbom_parse_opts *opts,
			 struct sbom_doc **out, struct vg_error *err)
{
	struct s3 x = {.file = filename, .opts = opts, .err = err};
	json_t *graph, *e, *docel = NULL, *sbomel = NULL, *ci = NULL;
	const char *ver;
	size_t i;
	int rc;

	*out = NULL;
	if (!json_is_object(root))
		return vg_error_set(err, VG_EPARSE, "%s: /: expected a JSON object", filename);
	if (!context_ok(json_object_get(root, "@context")))
		return vg_error_set(err, VG_EPARSE,
				    "%s: /@context: expected the SPDX 3 context "
				    "(https://spdx.org/rdf/3.0.1/spdx-context.jsonld)",
				    filename);
	graph = json_object_get(root, "@graph");
	if (!json_is_array(graph))
		return vg_error_set(err, VG_EPARSE, "%s: /@graph: expected an array of elements",
				    filename);
	x.byid = json_object();
	x.imports = json_object();
	if (!x.byid || !x.imports || !(x.doc = sbom_doc_new(SBOM_FORMAT_SPDX, SBOM_ENC_JSONLD)) ||
	    compact_iris(graph, 0)) {
		rc = oom(&x);
		goto out;
	}

	/* Pass 1: index every element by id, find the document, the SBOM, the
	 * imports. */
	json_array_foreach(graph, i, e)
	{
		const char *id, *t;
		if (!json_is_object(e)) {
			rc = at_err(&x, i, NULL, "expected an object");
			goto out;
		}
		t = elem_type(e);
		if (!t) {
			rc = at_err(&x, i, "type", "expected a string");
			goto out;
		}
		id = elem_id(e);
		if (id) {
			json_t *prev = json_object_get(x.byid, id);
			if (prev && (is_package_type(t) || is_package_type(elem_type(prev)))) {
				rc = at_err(&x, i, json_object_get(e, "spdxId") ? "spdxId" : "@id",
					    "duplicate element id (a package's id must be unique)");
				goto out;
			}
			if (!prev && json_object_set(x.byid, id, e)) {
				rc = oom(&x);
				goto out;
			}
		}
		if (strcmp(t, "SpdxDocument") == 0 && !docel) {
			json_t *imp = json_object_get(e, "import"), *m;
			size_t k;
			docel = e;
			json_array_foreach(imp, k, m)
			{
				const char *ext =
				    json_string_value(json_object_get(m, "externalSpdxId"));
				if (ext && json_object_set_new(x.imports, ext, json_true())) {
					rc = oom(&x);
					goto out;
				}
			}
		} else if (strcmp(t, "software_Sbom") == 0 && !sbomel) {
			sbomel = e;
		} else if (strcmp(t, "CreationInfo") == 0 && !ci) {
			ci = e;
		}
	}

	/* The creation info of the document (by reference or inline) gives the
	 * spec version. */
	if (docel) {
		json_t *dci = json_object_get(docel, "creationInfo");
		if (json_is_string(dci))
			dci = json_object_get(x.byid, json_string_value(dci));
		if (json_is_object(dci))
			ci = dci;
	}
	ver = json_string_value(json_object_get(ci, "specVersion"));
	if (!ver) {
		rc = vg_error_set(err, VG_EPARSE, "%s: /@graph: no CreationInfo with a specVersion",
				  filename);
		goto out;
	}
	if (strcmp(ver, "3.0.0") != 0 && strcmp(ver, "3.0.1") != 0) {
		rc = vg_error_set(
		    err, VG_EPARSE,
		    "%s: /@graph: unknown SPDX spec version \"%.32s\" in CreationInfo; "
		    "expected 3.0.0 or 3.0.1",
		    filename, ver);
		goto out;
	}
	if (!(x.doc->spec_version = sbom_doc_strdup(x.doc, ver))) {
		rc = oom(&x);
		goto out;
	}
	const char *s = json_string_value(json_object_get(ci, "created"));
	if (s && !(x.doc->created = sbom_doc_strdup(x.doc, s))) {
		rc = oom(&x);
		goto out;
	}
	json_t *by = json_object_get(ci, "createdBy"), *t;
	json_array_foreach(by, i, t)
	{
		json_t *ae =
		    json_object_get(x.byid, json_string_value(t) ? json_string_value(t) : "");
		const char *nm = ae ? json_string_value(json_object_get(ae, "name")) : NULL;
		if (!nm)
			nm = json_string_value(t);
		if (nm && !x.doc->author && !(x.doc->author = sbom_doc_strdup(x.doc, nm))) {
			rc = oom(&x);
			goto out;
		}
	}
	json_t *tools = json_object_get(ci, "createdUsing");
	json_array_foreach(tools, i, t)
	{
		json_t *te =
		    json_object_get(x.byid, json_string_value(t) ? json_string_value(t) : "");
		const char *nm = te ? json_string_value(json_object_get(te, "name")) : NULL;
		if (nm && sbom_doc_add_tool(x.doc, NULL, nm, NULL)) {
			rc = oom(&x);
			goto out;
		}
	}
	if (docel) {
		if ((s = elem_id(docel)) && !(x.doc->serial = sbom_doc_strdup(x.doc, s))) {
			rc = oom(&x);
			goto out;
		}
		if ((s = json_string_value(json_object_get(docel, "name"))) &&
		    !(x.doc->name = sbom_doc_strdup(x.doc, s))) {
			rc = oom(&x);
			goto out;
		}
	}

	/* Pass 2: packages become components, other ids are registered. */
	json_array_foreach(graph, i, e)
	{
		const char *id = elem_id(e);
		if (!id)
			continue;
		if (is_package_type(elem_type(e)))
			rc = package(&x, e, i, id);
		else if ((rc = sbom_doc_add_other_ref(x.doc, id)) == VG_EEXIST)
			rc = VG_OK; /* JSON-LD merges nodes with one id; see pass 1 */
		else if (rc)
			rc = oom(&x);
		if (rc)
			goto out;
	}

	/* Pass 3: relationships. */
	x.concluded = calloc(x.doc->n_components + 1, sizeof(*x.concluded));
	x.declared = calloc(x.doc->n_components + 1, sizeof(*x.declared));
	if (!x.concluded || !x.declared) {
		rc = oom(&x);
		goto out;
	}
	if (sbomel)
		x.doc->primary = root_component(&x, sbomel, 0);
	if (x.doc->primary == SBOM_NONE && docel)
		x.doc->primary = root_component(&x, docel, 0);
	json_array_foreach(graph, i, e)
	{
		const char *ty = elem_type(e);
		if (ty && ends_with(ty, "Relationship") && (rc = relationship(&x, e, i)))
			goto out;
	}
	for (i = 0; i < x.doc->n_components; i++)
		x.doc->components[i].licenses = x.concluded[i] ? x.concluded[i] : x.declared[i];
	*out = x.doc;
	x.doc = NULL;
	rc = VG_OK;
out:
	free(x.concluded);
	free(x.declared);
	json_decref(x.byid);
	json_decref(x.imports);
	sbom_doc_free(x.doc);
	return rc;
}

int sbom_spdx3_parse(const char *data, size_t n, const char *filename,
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
	rc = sbom_spdx3_from_json(root, filename, opts, out, err);
	json_decref(root);
	return rc;
}
