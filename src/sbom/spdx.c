/*
 * spdx.c - SPDX 2.2 / 2.3 documents (JSON and tag-value) into the model.
 *
 * Packages become components. Files and snippets do not (see parse.h); their
 * ids are registered so that relationships to them are dropped, not called
 * dangling. Relationships become edges (sbom_spdx_rel_edge()); DESCRIBES
 * (and documentDescribes) picks the primary component: the first package
 * the document describes.
 */
#include "sbom/parse.h"
#include "core/error.h"
#include "sbom/sbom_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct spdx {
	struct sbom_doc *doc;
	const char *file;
	const struct sbom_parse_opts *opts;
	struct vg_error *err;
	struct sbom_jptr ptr;
};

static int oom(struct spdx *x)
{
	return vg_error_set(x->err, VG_ENOMEM, "%s: out of memory", x->file);
}

static int version_of(struct spdx *x, const char *v, const char *where)
{
	if (v && (strcmp(v, "SPDX-2.2") == 0 || strcmp(v, "SPDX-2.3") == 0)) {
		x->doc->spec_version = sbom_doc_strdup(x->doc, v + 5);
		return x->doc->spec_version ? VG_OK : oom(x);
	}
	return vg_error_set(x->err, VG_EPARSE,
			    "%s: %s: unknown SPDX version \"%.32s\"; expected SPDX-2.2 or SPDX-2.3 "
			    "(or SPDX 3 JSON-LD)",
			    x->file, where, v ? v : "");
}

static int external_ref(const char *id)
{
	return strcmp(id, "NONE") == 0 || strcmp(id, "NOASSERTION") == 0 ||
	       strncmp(id, "DocumentRef-", 12) == 0;
}

/*
 * Resolve one end of a relationship: *idx the component or SBOM_NONE when the
 * end is known but not a component, outside this document, or (when
 * allowed) dangling.
 */
static int rel_end(struct spdx *x, const char *id, const char *where, uint32_t *idx)
{
	*idx = SBOM_NONE;
	if (external_ref(id))
		return VG_OK;
	*idx = sbom_doc_find(x->doc, id);
	if (*idx != SBOM_NONE || sbom_doc_ref_known(x->doc, id))
		return VG_OK;
	if (x->opts && x->opts->allow_dangling) {
		if (x->opts->dangling) {
			long line =
			    strncmp(where, "line ", 5) == 0 ? strtol(where + 5, NULL, 10) : 0;
			x->opts->dangling(x->opts->dangling_arg, line ? NULL : where, line, id);
		}
		return VG_OK;
	}
	return vg_error_set(x->err, VG_EPARSE,
			    "%s: %s: dangling relationship: no package, file or snippet has "
			    "SPDXID \"%s\"",
			    x->file, where, id);
}

static int rel_apply(struct spdx *x, const char *a, const char *type, const char *b,
		     const char *where_a, const char *where_b)
{
	uint32_t ia, ib;
	enum sbom_edge_kind kind;
	int rev, rc;
	if ((rc = rel_end(x, a, where_a, &ia)) || (rc = rel_end(x, b, where_b, &ib)))
		return rc;
	if (strcmp(type, "DESCRIBES") == 0 || strcmp(type, "DESCRIBED_BY") == 0) {
		uint32_t target = type[8] == 'S' ? ib : ia;
		if (x->doc->primary == SBOM_NONE && target != SBOM_NONE)
			x->doc->primary = target;
		return VG_OK;
	}
	if (!sbom_spdx_rel_edge(type, &kind, &rev))
		return VG_OK;
	if (ia == SBOM_NONE || ib == SBOM_NONE) {
		x->doc->n_dropped_edges++;
		return VG_OK;
	}
	if (sbom_doc_add_edge(x->doc, rev ? ib : ia, rev ? ia : ib, kind, type))
		return oom(x);
	return VG_OK;
}

/* "Person: name (email)" / "Organization: ..." into doc->author (without
 * the prefix); other creators are left. VG_OK or VG_ENOMEM. */
int sbom_spdx_creator_author(struct sbom_doc *doc, const char *s)
{
	size_t skip = strncmp(s, "Person:", 7) == 0          ? 7
		      : strncmp(s, "Organization:", 13) == 0 ? 13
							     : 0;
	if (!skip)
		return VG_OK;
	s += skip;
	while (*s == ' ')
		s++;
	if (!*s)
		return VG_OK;
	return (doc->author = sbom_doc_strdup(doc, s)) ? VG_OK : VG_ENOMEM;
}

static const char *license_of(const char *concluded, const char *declared)
{
	if (concluded && *concluded && strcmp(concluded, "NOASSERTION") != 0)
		return concluded;
	if (declared && *declared && strcmp(declared, "NOASSERTION") != 0)
		return declared;
	return NULL;
}

static int meaningful_url(const char *s)
{
	return s && *s && strcmp(s, "NONE") != 0 && strcmp(s, "NOASSERTION") != 0;
}

/* ------------------------------------------------------------------ JSON */

static int jerr(struct spdx *x, const char *key, const char *what)
{
	size_t at = key ? sbom_jptr_key(&x->ptr, key) : x->ptr.len;
	vg_error_set(x->err, VG_EPARSE, "%s: %s: %s", x->file, sbom_jptr_str(&x->ptr), what);
	sbom_jptr_pop(&x->ptr, at);
	return VG_EPARSE;
}

/* String member (borrowed, not copied); NULL when absent. */
static int jget(struct spdx *x, json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return VG_OK;
	if (!json_is_string(v))
		return jerr(x, key, "expected a string");
	*out = json_string_value(v);
	return VG_OK;
}

static int jcopy(struct spdx *x, json_t *obj, const char *key, const char **out)
{
	const char *s;
	int rc = jget(x, obj, key, &s);
	*out = NULL;
	if (rc || !s)
		return rc;
	*out = sbom_doc_strdup(x->doc, s);
	return *out ? VG_OK : oom(x);
}

static int jarr(struct spdx *x, json_t *obj, const char *key, json_t **out)
{
	*out = json_object_get(obj, key);
	if (*out && !json_is_array(*out))
		return jerr(x, key, "expected an array");
	return VG_OK;
}

static int jpackage(struct spdx *x, json_t *p)
{
	const char *id, *s, *concl, *decl, *dl, *home;
	json_t *arr, *e;
	uint32_t idx;
	size_t i;
	int rc;
	struct sbom_component c;

	if (!json_is_object(p))
		return jerr(x, NULL, "expected an object");
	if ((rc = jget(x, p, "SPDXID", &id)))
		return rc;
	if (!id)
		return jerr(x, NULL, "expected \"SPDXID\"");
	rc = sbom_doc_add_component(x->doc, id, &idx);
	if (rc == VG_EEXIST) {
		size_t at = sbom_jptr_key(&x->ptr, "SPDXID");
		vg_error_set(x->err, VG_EPARSE, "%s: %s: duplicate SPDXID \"%s\"", x->file,
			     sbom_jptr_str(&x->ptr), id);
		sbom_jptr_pop(&x->ptr, at);
		return VG_EPARSE;
	}
	if (rc)
		return oom(x);
	c = x->doc->components[idx];
	if ((rc = jcopy(x, p, "name", &c.name)) || (rc = jcopy(x, p, "versionInfo", &c.version)) ||
	    (rc = jcopy(x, p, "description", &c.description)) || (rc = jget(x, p, "supplier", &s)))
		return rc;
	if (!c.description && (rc = jcopy(x, p, "summary", &c.description)))
		return rc;
	if (s)
		c.supplier = sbom_spdx_actor_name(x->doc, s);
	if ((rc = jget(x, p, "primaryPackagePurpose", &s)))
		return rc;
	if (s && !(c.type = sbom_spdx_purpose_type(x->doc, s)))
		return oom(x);
	if ((rc = jget(x, p, "licenseConcluded", &concl)) ||
	    (rc = jget(x, p, "licenseDeclared", &decl)))
		return rc;
	if ((s = license_of(concl, decl)) && !(c.licenses = sbom_doc_strdup(x->doc, s)))
		return oom(x);

	if ((rc = jarr(x, p, "checksums", &arr)))
		return rc;
	if (json_array_size(arr)) {
		size_t at = sbom_jptr_key(&x->ptr, "checksums");
		c.hashes = sbom_doc_alloc(x->doc, json_array_size(arr) * sizeof(*c.hashes));
		if (!c.hashes)
			return oom(x);
		json_array_foreach(arr, i, e)
		{
			const char *alg, *val;
			size_t at2 = sbom_jptr_idx(&x->ptr, i);
			if (!json_is_object(e))
				return jerr(x, NULL, "expected an object");
			if ((rc = jget(x, e, "algorithm", &alg)) ||
			    (rc = jget(x, e, "checksumValue", &val)))
				return rc;
			if (!alg || !val)
				return jerr(x, NULL,
					    "expected \"algorithm\" and \"checksumValue\"");
			c.hashes[i].alg = sbom_doc_strdup(x->doc, sbom_hash_alg_normalise(alg));
			c.hashes[i].value = sbom_doc_strdup(x->doc, val);
			if (!c.hashes[i].alg || !c.hashes[i].value)
				return oom(x);
			sbom_jptr_pop(&x->ptr, at2);
		}
		c.n_hashes = (uint32_t)json_array_size(arr);
		sbom_jptr_pop(&x->ptr, at);
	}

	if ((rc = jget(x, p, "downloadLocation", &dl)) || (rc = jget(x, p, "homepage", &home)) ||
	    (rc = jarr(x, p, "externalRefs", &arr)))
		return rc;
	size_t nref = json_array_size(arr) + 2;
	c.extrefs = sbom_doc_alloc(x->doc, nref * sizeof(*c.extrefs));
	if (!c.extrefs)
		return oom(x);
	if (meaningful_url(dl)) {
		c.extrefs[c.n_extrefs].type = "distribution";
		if (!(c.extrefs[c.n_extrefs++].url = sbom_doc_strdup(x->doc, dl)))
			return oom(x);
	}
	if (meaningful_url(home)) {
		c.extrefs[c.n_extrefs].type = "website";
		if (!(c.extrefs[c.n_extrefs++].url = sbom_doc_strdup(x->doc, home)))
			return oom(x);
	}
	if (arr) {
		size_t at = sbom_jptr_key(&x->ptr, "externalRefs");
		json_array_foreach(arr, i, e)
		{
			const char *type, *loc, *comment;
			size_t at2 = sbom_jptr_idx(&x->ptr, i);
			if (!json_is_object(e))
				return jerr(x, NULL, "expected an object");
			if ((rc = jget(x, e, "referenceType", &type)) ||
			    (rc = jget(x, e, "referenceLocator", &loc)) ||
			    (rc = jget(x, e, "comment", &comment)))
				return rc;
			if (!type || !loc)
				return jerr(x, NULL,
					    "expected \"referenceType\" and \"referenceLocator\"");
			sbom_jptr_pop(&x->ptr, at2);
			if (!c.purl && strcmp(type, "purl") == 0) {
				if (!(c.purl = sbom_doc_strdup(x->doc, loc)))
					return oom(x);
				continue;
			}
			if (!c.cpe &&
			    (strcmp(type, "cpe23Type") == 0 || strcmp(type, "cpe22Type") == 0)) {
				if (!(c.cpe = sbom_doc_strdup(x->doc, loc)))
					return oom(x);
				continue;
			}
			struct sbom_extref *r = &c.extrefs[c.n_extrefs++];
			r->type = sbom_doc_strdup(x->doc, type);
			r->url = sbom_doc_strdup(x->doc, loc);
			r->comment = sbom_doc_strdup(x->doc, comment);
			if (!r->type || !r->url || (comment && !r->comment))
				return oom(x);
		}
		sbom_jptr_pop(&x->ptr, at);
	}
	if (!c.name)
		c.name = "";
	x->doc->components[idx] = c;
	return VG_OK;
}

/* Register the SPDXIDs of files or snippets. */
static int jothers(struct spdx *x, json_t *root, const char *key)
{
	json_t *arr, *e;
	size_t i;
	int rc;
	if ((rc = jarr(x, root, key, &arr)) || !arr)
		return rc;
	size_t at = sbom_jptr_key(&x->ptr, key);
	json_array_foreach(arr, i, e)
	{
		const char *id;
		size_t at2 = sbom_jptr_idx(&x->ptr, i);
		if (!json_is_object(e))
			return jerr(x, NULL, "expected an object");
		if ((rc = jget(x, e, "SPDXID", &id)))
			return rc;
		if (!id)
			return jerr(x, NULL, "expected \"SPDXID\"");
		rc = sbom_doc_add_other_ref(x->doc, id);
		if (rc == VG_EEXIST)
			return jerr(x, "SPDXID", "duplicate SPDXID");
		if (rc)
			return oom(x);
		sbom_jptr_pop(&x->ptr, at2);
	}
	sbom_jptr_pop(&x->ptr, at);
	return VG_OK;
}

int sbom_spdx_from_json(json_t *root, const char *filename, const struct sbom_parse_opts *opts,
			struct sbom_doc **out, struct vg_error *err)
{
	struct spdx x = {.file = filename, .opts = opts, .err = err};
	json_t *v, *arr, *e;
	const char *s, *docid;
	size_t i, at;
	int rc;

	*out = NULL;
	sbom_jptr_init(&x.ptr);
	if (!json_is_object(root))
		return vg_error_set(err, VG_EPARSE, "%s: /: expected a JSON object", filename);
	if (!(x.doc = sbom_doc_new(SBOM_FORMAT_SPDX, SBOM_ENC_JSON)))
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", filename);
	v = json_object_get(root, "spdxVersion");
	if (!json_is_string(v)) {
		rc = jerr(&x, "spdxVersion", "expected a string such as \"SPDX-2.3\"");
		goto out;
	}
	if ((rc = version_of(&x, json_string_value(v), "/spdxVersion")))
		goto out;
	if ((rc = jcopy(&x, root, "documentNamespace", &x.doc->serial)) ||
	    (rc = jcopy(&x, root, "name", &x.doc->name)) || (rc = jget(&x, root, "SPDXID", &docid)))
		goto out;
	if (docid && (rc = sbom_doc_add_other_ref(x.doc, docid))) {
		rc = oom(&x);
		goto out;
	}
	if ((v = json_object_get(root, "creationInfo"))) {
		at = sbom_jptr_key(&x.ptr, "creationInfo");
		if (!json_is_object(v)) {
			rc = jerr(&x, NULL, "expected an object");
			goto out;
		}
		if ((rc = jcopy(&x, v, "created", &x.doc->created)) ||
		    (rc = jarr(&x, v, "creators", &arr)))
			goto out;
		json_array_foreach(arr, i, e)
		{
			/* Only "Tool: ..." creators are kept; others need not be strings
			 * for this model (guac's small-spdx.json has objects). */
			if (!(s = json_string_value(e)))
				continue;
			if (strncmp(s, "Tool:", 5) == 0) {
				s += 5;
				while (*s == ' ')
					s++;
				if (sbom_doc_add_tool(x.doc, NULL, s, NULL)) {
					rc = oom(&x);
					goto out;
				}
			} else if (!x.doc->author && sbom_spdx_creator_author(x.doc, s)) {
				rc = oom(&x);
				goto out;
			}
		}
		sbom_jptr_pop(&x.ptr, at);
	}
	if ((rc = jarr(&x, root, "packages", &arr)))
		goto out;
	at = sbom_jptr_key(&x.ptr, "packages");
	json_array_foreach(arr, i, e)
	{
		size_t a = sbom_jptr_idx(&x.ptr, i);
		if ((rc = jpackage(&x, e)))
			goto out;
		sbom_jptr_pop(&x.ptr, a);
	}
	sbom_jptr_pop(&x.ptr, at);
	if ((rc = jothers(&x, root, "files")) || (rc = jothers(&x, root, "snippets")))
		goto out;

	if ((rc = jarr(&x, root, "documentDescribes", &arr)))
		goto out;
	json_array_foreach(arr, i, e)
	{
		char where[64];
		snprintf(where, sizeof(where), "/documentDescribes/%zu", i);
		if (!json_is_string(e)) {
			rc = vg_error_set(err, VG_EPARSE, "%s: %s: expected a string", filename,
					  where);
			goto out;
		}
		if ((rc = rel_apply(&x, docid ? docid : "SPDXRef-DOCUMENT", "DESCRIBES",
				    json_string_value(e), where, where)))
			goto out;
	}
	if ((rc = jarr(&x, root, "relationships", &arr)))
		goto out;
	json_array_foreach(arr, i, e)
	{
		const char *a, *type, *b;
		char wa[64], wb[64];
		sbom_jptr_init(&x.ptr);
		sbom_jptr_key(&x.ptr, "relationships");
		sbom_jptr_idx(&x.ptr, i);
		if (!json_is_object(e)) {
			rc = jerr(&x, NULL, "expected an object");
			goto out;
		}
		if ((rc = jget(&x, e, "spdxElementId", &a)) ||
		    (rc = jget(&x, e, "relationshipType", &type)) ||
		    (rc = jget(&x, e, "relatedSpdxElement", &b)))
			goto out;
		if (!a || !type || !b) {
			rc = jerr(&x, NULL,
				  "expected \"spdxElementId\", \"relationshipType\" and "
				  "\"relatedSpdxElement\"");
			goto out;
		}
		snprintf(wa, sizeof(wa), "/relationships/%zu/spdxElementId", i);
		snprintf(wb, sizeof(wb), "/relationships/%zu/relatedSpdxElement", i);
		if ((rc = rel_apply(&x, a, type, b, wa, wb)))
			goto out;
	}
	*out = x.doc;
	return VG_OK;
out:
	sbom_doc_free(x.doc);
	return rc;
}

int sbom_spdx_parse_json(const char *data, size_t n, const char *filename,
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
	if (!json_object_get(root, "spdxVersion"))
		rc = vg_error_set(err, VG_EPARSE, "%s: /spdxVersion: missing; not SPDX 2 JSON",
				  filename);
	else
		rc = sbom_spdx_from_json(root, filename, opts, out, err);
	json_decref(root);
	return rc;
}

/* ------------------------------------------------------------- tag-value */

enum tv_section { TV_DOC, TV_PACKAGE, TV_FILE, TV_SNIPPET, TV_OTHER };

struct tv_rel {
	const char *a, *type, *b;
	size_t line;
};

/* A package being read: the component is added when its section ends,
 * because its SPDXID is not its first tag. */
struct tv_pkg {
	int open;
	size_t line;
	const char *id, *concl, *decl;
	struct sbom_component c;
	uint32_t cap_hashes, cap_extrefs;
};

struct tv {
	struct spdx x;
	enum tv_section sec;
	struct tv_pkg pkg;
	struct tv_rel *rels;
	size_t n_rels, cap_rels;
	int have_version;
};

static int tverr(struct tv *t, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int tverr(struct tv *t, size_t line, const char *fmt, ...)
{
	char what[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return vg_error_set(t->x.err, VG_EPARSE, "%s: line %zu: %s", t->x.file, line, what);
}

static int tv_flush(struct tv *t)
{
	uint32_t idx;
	int rc;
	if (!t->pkg.open)
		return VG_OK;
	t->pkg.open = 0;
	if (!t->pkg.id)
		return tverr(t, t->pkg.line, "package has no SPDXID");
	rc = sbom_doc_add_component(t->x.doc, t->pkg.id, &idx);
	if (rc == VG_EEXIST)
		return tverr(t, t->pkg.line, "duplicate SPDXID \"%s\"", t->pkg.id);
	if (rc)
		return oom(&t->x);
	const char *lic = license_of(t->pkg.concl, t->pkg.decl);
	t->pkg.c.licenses = lic;
	t->pkg.c.ref = t->x.doc->components[idx].ref;
	t->pkg.c.parent = SBOM_NONE;
	if (!t->pkg.c.name)
		t->pkg.c.name = "";
	t->x.doc->components[idx] = t->pkg.c;
	return VG_OK;
}

/* Grow an arena array of elem-size items from *cap to hold one more. */
static void *tv_grow(struct sbom_doc *doc, void *arr, uint32_t n, uint32_t *cap, size_t elem)
{
	if (n < *cap)
		return arr;
	uint32_t ncap = *cap ? *cap * 2 : 4;
	void *na = sbom_doc_alloc_raw(doc, (size_t)ncap * elem);
	if (!na)
		return NULL;
	if (n)
		memcpy(na, arr, (size_t)n * elem);
	memset((char *)na + (size_t)n * elem, 0, (size_t)(ncap - n) * elem);
	*cap = ncap;
	return na;
}

static int tv_extref(struct tv *t, const char *type, const char *url, const char *comment)
{
	struct tv_pkg *p = &t->pkg;
	struct sbom_extref *r =
	    tv_grow(t->x.doc, p->c.extrefs, p->c.n_extrefs, &p->cap_extrefs, sizeof(*r));
	if (!r)
		return oom(&t->x);
	p->c.extrefs = r;
	r += p->c.n_extrefs++;
	r->type = type;
	r->url = sbom_doc_strdup(t->x.doc, url);
	r->comment = comment;
	return r->url ? VG_OK : oom(&t->x);
}

/* Split "a b c..." into up to three words (the third keeps the rest). */
static size_t words(char *s, char **w, size_t max)
{
	size_t k = 0;
	while (*s && k < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		w[k++] = s;
		if (k == max)
			break;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
	if (k) {
		char *last = w[k - 1];
		size_t l = strlen(last);
		while (l && (last[l - 1] == ' ' || last[l - 1] == '\t'))
			last[--l] = '\0';
	}
	return k;
}

static int tv_tag(struct tv *t, const char *tag, char *val, size_t line)
{
	struct sbom_doc *doc = t->x.doc;
	struct tv_pkg *p = &t->pkg;
	int rc;

	if (strcmp(tag, "SPDXVersion") == 0) {
		char where[32];
		snprintf(where, sizeof(where), "line %zu", line);
		t->have_version = 1;
		return version_of(&t->x, val, where);
	}
	if (strcmp(tag, "PackageName") == 0) {
		if ((rc = tv_flush(t)))
			return rc;
		memset(p, 0, sizeof(*p));
		p->open = 1;
		p->line = line;
		p->c.parent = SBOM_NONE;
		t->sec = TV_PACKAGE;
		p->c.name = sbom_doc_strdup(doc, val);
		return p->c.name ? VG_OK : oom(&t->x);
	}
	if (strcmp(tag, "FileName") == 0 || strcmp(tag, "SnippetSPDXID") == 0 ||
	    strcmp(tag, "LicenseID") == 0) {
		if ((rc = tv_flush(t)))
			return rc;
		t->sec = tag[0] == 'F' ? TV_FILE : tag[0] == 'S' ? TV_SNIPPET : TV_OTHER;
		if (t->sec == TV_SNIPPET) {
			rc = sbom_doc_add_other_ref(doc, val);
			if (rc == VG_EEXIST)
				return tverr(t, line, "duplicate SPDXID \"%s\"", val);
			return rc ? oom(&t->x) : VG_OK;
		}
		return VG_OK;
	}
	if (strcmp(tag, "SPDXID") == 0) {
		if (t->sec == TV_PACKAGE && !p->id) {
			if (sbom_doc_ref_known(doc, val))
				return tverr(t, line, "duplicate SPDXID \"%s\"", val);
			p->id = sbom_doc_strdup(doc, val);
			return p->id ? VG_OK : oom(&t->x);
		}
		rc = sbom_doc_add_other_ref(doc, val);
		if (rc == VG_EEXIST)
			return tverr(t, line, "duplicate SPDXID \"%s\"", val);
		return rc ? oom(&t->x) : VG_OK;
	}
	if (strcmp(tag, "Relationship") == 0) {
		char *w[3];
		if (words(val, w, 3) != 3 || strchr(w[2], ' '))
			return tverr(t, line, "expected \"Relationship: <id> <TYPE> <id>\"");
		if (t->n_rels == t->cap_rels) {
			size_t cap = t->cap_rels ? t->cap_rels * 2 : 64;
			struct tv_rel *r = realloc(t->rels, cap * sizeof(*r));
			if (!r)
				return oom(&t->x);
			t->rels = r;
			t->cap_rels = cap;
		}
		struct tv_rel *r = &t->rels[t->n_rels];
		r->a = sbom_doc_strdup(doc, w[0]);
		r->type = sbom_doc_strdup(doc, w[1]);
		r->b = sbom_doc_strdup(doc, w[2]);
		r->line = line;
		if (!r->a || !r->type || !r->b)
			return oom(&t->x);
		t->n_rels++;
		return VG_OK;
	}
	if (t->sec == TV_DOC) {
		const char **dst = NULL;
		if (strcmp(tag, "DocumentNamespace") == 0)
			dst = &doc->serial;
		else if (strcmp(tag, "DocumentName") == 0)
			dst = &doc->name;
		else if (strcmp(tag, "Created") == 0)
			dst = &doc->created;
		else if (strcmp(tag, "Creator") == 0 && strncmp(val, "Tool:", 5) != 0) {
			return !doc->author && sbom_spdx_creator_author(doc, val) ? oom(&t->x)
										  : VG_OK;
		} else if (strcmp(tag, "Creator") == 0) {
			const char *s = val + 5;
			while (*s == ' ')
				s++;
			return sbom_doc_add_tool(doc, NULL, s, NULL) ? oom(&t->x) : VG_OK;
		}
		if (dst && !(*dst = sbom_doc_strdup(doc, val)))
			return oom(&t->x);
		return VG_OK;
	}
	if (t->sec != TV_PACKAGE)
		return VG_OK;

	const char **dst = NULL;
	if (strcmp(tag, "PackageVersion") == 0)
		dst = &p->c.version;
	else if (strcmp(tag, "PackageDescription") == 0)
		dst = &p->c.description;
	else if (strcmp(tag, "PackageSummary") == 0 && !p->c.description)
		dst = &p->c.description;
	else if (strcmp(tag, "PackageLicenseConcluded") == 0)
		dst = &p->concl;
	else if (strcmp(tag, "PackageLicenseDeclared") == 0)
		dst = &p->decl;
	if (dst)
		return (*dst = sbom_doc_strdup(doc, val)) ? VG_OK : oom(&t->x);

	if (strcmp(tag, "PackageSupplier") == 0) {
		p->c.supplier = sbom_spdx_actor_name(doc, val);
		return VG_OK;
	}
	if (strcmp(tag, "PrimaryPackagePurpose") == 0)
		return (p->c.type = sbom_spdx_purpose_type(doc, val)) ? VG_OK : oom(&t->x);
	if (strcmp(tag, "PackageDownloadLocation") == 0 || strcmp(tag, "PackageHomePage") == 0)
		return meaningful_url(val)
			   ? tv_extref(t, tag[7] == 'D' ? "distribution" : "website", val, NULL)
			   : VG_OK;
	if (strcmp(tag, "PackageChecksum") == 0) {
		char *colon = strchr(val, ':');
		char *v = colon ? colon + 1 : NULL;
		if (!colon)
			return tverr(t, line, "expected \"PackageChecksum: <ALG>: <value>\"");
		*colon = '\0';
		while (*v == ' ')
			v++;
		struct sbom_hash *h =
		    tv_grow(doc, p->c.hashes, p->c.n_hashes, &p->cap_hashes, sizeof(*h));
		if (!h)
			return oom(&t->x);
		p->c.hashes = h;
		h += p->c.n_hashes++;
		h->alg = sbom_doc_strdup(doc, sbom_hash_alg_normalise(val));
		h->value = sbom_doc_strdup(doc, v);
		return h->alg && h->value ? VG_OK : oom(&t->x);
	}
	if (strcmp(tag, "ExternalRef") == 0) {
		char *w[3];
		if (words(val, w, 3) != 3)
			return tverr(t, line,
				     "expected \"ExternalRef: <CATEGORY> <type> <locator>\"");
		if (!p->c.purl && strcmp(w[1], "purl") == 0)
			return (p->c.purl = sbom_doc_strdup(doc, w[2])) ? VG_OK : oom(&t->x);
		if (!p->c.cpe && (strcmp(w[1], "cpe23Type") == 0 || strcmp(w[1], "cpe22Type") == 0))
			return (p->c.cpe = sbom_doc_strdup(doc, w[2])) ? VG_OK : oom(&t->x);
		const char *type = sbom_doc_strdup(doc, w[1]);
		return type ? tv_extref(t, type, w[2], NULL) : oom(&t->x);
	}
	return VG_OK;
}

int sbom_spdx_parse_tagvalue(const char *data, size_t n, const char *filename,
			     const struct sbom_parse_opts *opts, struct sbom_doc **out,
			     struct vg_error *err)
{
	struct tv t;
	struct vg_buf val = VG_BUF_INIT;
	const char *p = data, *end = data + n;
	size_t line = 0;
	int rc;

	*out = NULL;
	if ((rc = sbom_input_check(data, n, filename, opts, err)))
		return rc;
	memset(&t, 0, sizeof(t));
	t.x.file = filename;
	t.x.opts = opts;
	t.x.err = err;
	if (!(t.x.doc = sbom_doc_new(SBOM_FORMAT_SPDX, SBOM_ENC_TAGVALUE)))
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", filename);
	if (end - p >= 3 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb &&
	    (unsigned char)p[2] == 0xbf)
		p += 3;
	vg_buf_init(&val, n + 1);

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *q = p, *tag, *colon;
		size_t start_line = ++line;
		p = nl ? nl + 1 : end;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if (le > q && le[-1] == '\r')
			le--;
		if (q == le || *q == '#')
			continue;
		tag = q;
		while (q < le && ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
				  (*q >= '0' && *q <= '9')))
			q++;
		colon = q;
		if (colon == tag || colon >= le || *colon != ':') {
			rc = tverr(&t, start_line, "expected \"Tag: value\"");
			goto out;
		}
		char tagbuf[64];
		size_t tl = (size_t)(colon - tag);
		if (tl >= sizeof(tagbuf)) {
			rc = tverr(&t, start_line, "tag too long");
			goto out;
		}
		memcpy(tagbuf, tag, tl);
		tagbuf[tl] = '\0';
		q = colon + 1;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		vg_buf_reset(&val);
		if ((size_t)(le - q) >= 6 && memcmp(q, "<text>", 6) == 0) {
			/* Multi-line value: up to the closing </text>, which may be on
			 * a later line. */
			const char *s = q + 6, *close = NULL;
			for (const char *r = s; r + 7 <= end; r++) {
				if (*r == '<' && memcmp(r, "</text>", 7) == 0) {
					close = r;
					break;
				}
			}
			if (!close) {
				rc = tverr(&t, start_line,
					   "<text> is not closed by </text> (truncated?)");
				goto out;
			}
			if (vg_buf_add(&val, s, (size_t)(close - s))) {
				rc = oom(&t.x);
				goto out;
			}
			for (const char *r = q; r < close; r++)
				if (*r == '\n')
					line++;
			nl = memchr(close, '\n', (size_t)(end - close));
			p = nl ? nl + 1 : end;
		} else {
			const char *ve = le;
			while (ve > q && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			if (vg_buf_add(&val, q, (size_t)(ve - q))) {
				rc = oom(&t.x);
				goto out;
			}
		}
		if (!t.have_version && strcmp(tagbuf, "SPDXVersion") != 0) {
			rc = tverr(&t, start_line, "expected \"SPDXVersion:\" first, found \"%s\"",
				   tagbuf);
			goto out;
		}
		if ((rc = tv_tag(&t, tagbuf, val.data, start_line)))
			goto out;
	}
	if (!t.have_version) {
		rc = tverr(&t, line, "no \"SPDXVersion:\" line");
		goto out;
	}
	if ((rc = tv_flush(&t)))
		goto out;
	for (size_t i = 0; i < t.n_rels; i++) {
		char where[32];
		snprintf(where, sizeof(where), "line %zu", t.rels[i].line);
		if ((rc = rel_apply(&t.x, t.rels[i].a, t.rels[i].type, t.rels[i].b, where, where)))
			goto out;
	}
	*out = t.x.doc;
	t.x.doc = NULL;
	rc = VG_OK;
out:
	vg_buf_release(&val);
	free(t.rels);
	sbom_doc_free(t.x.doc);
	return rc;
}
