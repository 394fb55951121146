#define _POSIX_C_SOURCE 200809L
#include "sbom/export.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/buf.h"
#include "core/hash.h"
#include "core/json.h"
#include "sbom/inventory.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int sbom_export_format_ok(const char *format)
{
	if (format && (strcmp(format, "cyclonedx-1.6") == 0 ||
		       strcmp(format, "cyclonedx-1.7") == 0 || strcmp(format, "spdx-2.3") == 0))
		return VG_OK;
	return VG_EINVAL;
}

static const char *const cdx_types[] = {"application",
					"framework",
					"library",
					"container",
					"platform",
					"operating-system",
					"device",
					"device-driver",
					"firmware",
					"file",
					"machine-learning-model",
					"data",
					"cryptographic-asset",
					NULL};

static const char *cdx_type(const char *t)
{
	for (int i = 0; t && cdx_types[i]; i++)
		if (strcmp(t, cdx_types[i]) == 0)
			return t;
	return "library";
}

/* A license expression as CycloneDX licenses: one id, or one expression. */
static json_t *cdx_licenses(const char *expr)
{
	int simple = 1;
	if (!expr || !*expr || strcmp(expr, "NOASSERTION") == 0)
		return NULL;
	for (const char *p = expr; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '.' || *p == '+'))
			simple = 0;
	if (simple && strncmp(expr, "LicenseRef-", 11) != 0)
		return json_pack("[{s:{s:s}}]", "license", "id", expr);
	if (simple)
		return json_pack("[{s:{s:s}}]", "license", "name", expr + 11);
	return json_pack("[{s:s}]", "expression", expr);
}

/* bom-ref of component idx: the stored ref, or a generated one. */
static char *ref_of(json_t *comp)
{
	const char *r = vg_json_str(comp, "ref");
	char buf[64];
	if (r && *r)
		return strdup(r);
	snprintf(buf, sizeof(buf), "vigil-component-%lld", (long long)vg_json_int(comp, "idx", 0));
	return strdup(buf);
}

static json_t *cdx_component(json_t *c, const char *ref)
{
	json_t *o = json_object(), *extra = json_object_get(c, "extra"), *v;
	json_object_set_new(o, "type", json_string(cdx_type(vg_json_str(c, "type"))));
	json_object_set_new(o, "bom-ref", json_string(ref));
	if (vg_json_str(c, "supplier"))
		json_object_set_new(o, "supplier",
				    json_pack("{s:s}", "name", vg_json_str(c, "supplier")));
	if (vg_json_str(c, "group"))
		json_object_set_new(o, "group", json_string(vg_json_str(c, "group")));
	json_object_set_new(o, "name", json_string(vg_json_str(c, "name")));
	if (vg_json_str(c, "version"))
		json_object_set_new(o, "version", json_string(vg_json_str(c, "version")));
	if ((v = json_object_get(extra, "description")) && json_is_string(v))
		json_object_set(o, "description", v);
	if ((v = json_object_get(extra, "scope")) && json_is_string(v))
		json_object_set(o, "scope", v);
	if ((v = json_object_get(c, "hashes")) && json_array_size(v))
		json_object_set(o, "hashes", v);
	if ((v = cdx_licenses(vg_json_str(c, "licenses"))))
		json_object_set_new(o, "licenses", v);
	if (vg_json_str(c, "cpe"))
		json_object_set_new(o, "cpe", json_string(vg_json_str(c, "cpe")));
	if (vg_json_str(c, "purl"))
		json_object_set_new(o, "purl", json_string(vg_json_str(c, "purl")));
	if ((v = json_object_get(extra, "externalReferences")) && json_array_size(v)) {
		json_t *arr = json_array(), *e;
		size_t i;
		json_array_foreach(v, i, e)
		{
			if (!vg_json_str(e, "url"))
				continue;
			json_t *x =
			    json_pack("{s:s, s:s}", "url", vg_json_str(e, "url"), "type",
				      vg_json_str(e, "type") ? vg_json_str(e, "type") : "other");
			if (vg_json_str(e, "comment"))
				json_object_set_new(x, "comment",
						    json_string(vg_json_str(e, "comment")));
			json_array_append_new(arr, x);
		}
		json_object_set_new(o, "externalReferences", arr);
	}
	if ((v = json_object_get(extra, "properties")) && json_array_size(v))
		json_object_set(o, "properties", v);
	return o;
}

/*
 * The document is written as it is read: one component row, one dependency
 * entry at a time, each dumped by jansson and indented to its depth, so the
 * text is what json_dumps(JSON_INDENT(2)) gives for the whole tree, without
 * the tree (a 50,000-component export held ~20x the file in memory).
 */
struct xout {
	sbom_export_write_fn write;
	void *arg;
	int rc;
};

static void put(struct xout *o, const char *p, size_t n)
{
	if (!o->rc && n && o->write(o->arg, p, n))
		o->rc = VG_EIO;
}

static void puts_(struct xout *o, const char *p)
{
	put(o, p, strlen(p));
}

/* v dumped with indent 2, every line after the first indented by ind more spaces. */
static void put_value(struct xout *o, const json_t *v, int ind)
{
	static const char spaces[] = "                ";
	char *t = v ? json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY) : NULL;
	const char *p, *nl;
	if (!t) {
		if (!o->rc)
			o->rc = VG_ENOMEM;
		return;
	}
	for (p = t; (nl = strchr(p, '\n')); p = nl + 1) {
		put(o, p, (size_t)(nl - p) + 1);
		put(o, spaces, (size_t)ind);
	}
	puts_(o, p);
	free(t);
}

/* A member of the top-level object: key and value, after "{" or ",". */
static void put_member(struct xout *o, int *first, const char *key, json_t *v)
{
	json_t *k = json_string(key);
	puts_(o, *first ? "{\n  " : ",\n  ");
	*first = 0;
	put_value(o, k, 2);
	json_decref(k);
	puts_(o, ": ");
	put_value(o, v, 2);
	json_decref(v);
}

/* An item of a top-level array: *n items so far (the array opens at the first). */
static void put_item(struct xout *o, size_t *n, json_t *v)
{
	puts_(o, (*n)++ ? ",\n    " : "[\n    ");
	put_value(o, v, 4);
	json_decref(v);
}

static void put_end_array(struct xout *o, size_t n)
{
	puts_(o, n ? "\n  ]" : "[]");
}

static int row_str(json_t *o, const char *key, struct store_stmt *st, int col)
{
	const char *t = store_col_text(st, col);
	return t ? json_object_set_new(o, key, json_string(t)) : 0;
}

/*
 * The component of the current row of COMP_SQL, as the export builders read
 * it: text columns as strings (also when they look like numbers), idx as an
 * integer, hashes and extra as JSON.
 */
#define COMP_SQL                                                                     \
	"SELECT idx, ref, name, grp, version, type, purl, cpe, supplier, licenses, " \
	"hashes_json, extra_json FROM components WHERE sbom_id = ?"

static json_t *row_component(struct store_stmt *st)
{
	static const char *const text[] = {NULL,   "ref",  "name", "group",    "version",
					   "type", "purl", "cpe",  "supplier", "licenses"};
	json_t *c = json_object();
	if (!c)
		return NULL;
	json_object_set_new(c, "idx", json_integer(store_col_int64(st, 0)));
	for (int i = 1; i < 10; i++)
		row_str(c, text[i], st, i);
	for (int i = 10; i < 12; i++) {
		const char *t = store_col_text(st, i);
		json_t *v = t ? json_loads(t, JSON_DECODE_ANY, NULL) : NULL;
		if (v)
			json_object_set_new(c, i == 10 ? "hashes" : "extra", v);
	}
	return c;
}

/* Each dependency row in (from, to) order: call fn for it. */
#define DEP_SQL                                                                                 \
	"SELECT from_idx, to_idx, kind FROM dependencies WHERE sbom_id = ? ORDER BY from_idx, " \
	"to_idx"

static int primary_of(struct store *s, int64_t id, long long *primary, struct vg_error *err)
{
	int64_t v = -1;
	int rc = store_query_int64(
	    s, &v, err, "SELECT COALESCE(primary_idx, -1) FROM sboms WHERE id = ?", "i", id);
	*primary = (long long)v;
	return rc;
}

static int export_cdx(struct store *s, int64_t id, const char *specver, struct xout *o,
		      struct vg_error *err)
{
	struct store_stmt *st = NULL;
	char **refs = NULL;
	size_t n = 0, cap = 0, items = 0;
	long long primary;
	json_t *meta, *pc = NULL;
	char uuid[37], urn[64], ts[VG_TIME_BUFSZ];
	int rc, first = 1;

	if ((rc = primary_of(s, id, &primary, err)))
		return rc;
	vg_uuid4(uuid);
	snprintf(urn, sizeof(urn), "urn:uuid:%s", uuid);
	meta = json_pack("{s:s, s:{s:[{s:s, s:s, s:s}]}}", "timestamp",
			 vg_time_format(vg_now(), ts, sizeof(ts)), "tools", "components", "type",
			 "application", "name", "vigil", "version", VIGIL_VERSION);
	if (!meta)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	/* the primary component goes into metadata, before the list */
	if (primary >= 0) {
		rc = store_prepare(s, COMP_SQL " AND idx = ?", &st, err);
		if (!rc) {
			store_bind_int64(st, 1, id);
			store_bind_int64(st, 2, primary);
			rc = store_step(st, err);
			if (rc == STORE_ROW) {
				json_t *c = row_component(st);
				char *ref = c ? ref_of(c) : NULL;
				pc = c && ref ? cdx_component(c, ref) : NULL;
				json_decref(c);
				free(ref);
				rc = pc ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
			} else if (rc == STORE_DONE) {
				rc = VG_OK;
			}
			store_finalize(st);
			st = NULL;
		}
		if (rc) {
			json_decref(meta);
			return rc;
		}
		if (pc)
			json_object_set_new(meta, "component", pc);
	}
	put_member(o, &first, "$schema",
		   json_string(strcmp(specver, "1.7") == 0
				   ? "http://cyclonedx.org/schema/bom-1.7.schema.json"
				   : "http://cyclonedx.org/schema/bom-1.6.schema.json"));
	put_member(o, &first, "bomFormat", json_string("CycloneDX"));
	put_member(o, &first, "specVersion", json_string(specver));
	put_member(o, &first, "serialNumber", json_string(urn));
	put_member(o, &first, "version", json_integer(1));
	put_member(o, &first, "metadata", meta);
	puts_(o, ",\n  \"components\": ");
	rc = store_prepare(s, COMP_SQL " ORDER BY idx", &st, err);
	if (!rc)
		store_bind_int64(st, 1, id);
	while (!rc && !o->rc && (rc = store_step(st, err)) == STORE_ROW) {
		json_t *c = row_component(st);
		rc = VG_ENOMEM;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 1024;
			char **r = realloc(refs, nc * sizeof(*r));
			if (!r) {
				json_decref(c);
				break;
			}
			refs = r;
			cap = nc;
		}
		if (!c || !(refs[n] = ref_of(c))) {
			json_decref(c);
			break;
		}
		if ((long long)n != primary)
			put_item(o, &items, cdx_component(c, refs[n]));
		json_decref(c);
		n++;
		rc = VG_OK;
	}
	store_finalize(st);
	st = NULL;
	if (rc == STORE_DONE)
		rc = VG_OK;
	else if (rc == VG_ENOMEM)
		rc = vg_error_set(err, rc, "out of memory");
	put_end_array(o, items);

	/* dependencies: one entry per component that has outgoing depends-on
	 * edges, plus empty entries for the rest so the graph is complete */
	if (!rc) {
		int have = 0; /* a row read ahead */
		long long f = -1, t = -1;
		const char *kind = NULL;
		puts_(o, ",\n  \"dependencies\": ");
		items = 0;
		rc = store_prepare(s, DEP_SQL, &st, err);
		if (!rc)
			store_bind_int64(st, 1, id);
		for (size_t i = 0; !rc && !o->rc && i < n; i++) {
			json_t *e = json_pack("{s:s}", "ref", refs[i]), *on = json_array();
			for (;;) {
				if (!have) {
					int r = store_step(st, err);
					if (r == STORE_DONE) {
						have = -1;
					} else if (r != STORE_ROW) {
						rc = r;
						break;
					} else {
						have = 1;
						f = store_col_int64(st, 0);
						t = store_col_int64(st, 1);
						kind = store_col_text(st, 2);
					}
				}
				if (have < 0 || f > (long long)i)
					break;
				if (f == (long long)i && t >= 0 && (size_t)t < n &&
				    !(kind && strcmp(kind, "provides") == 0))
					json_array_append_new(on, json_string(refs[t]));
				have = 0;
			}
			if (json_array_size(on))
				json_object_set(e, "dependsOn", on);
			json_decref(on);
			put_item(o, &items, e);
		}
		store_finalize(st);
		put_end_array(o, items);
		puts_(o, "\n}");
	}
	for (size_t i = 0; i < n; i++)
		free(refs[i]);
	free(refs);
	if (!rc && o->rc)
		rc = vg_error_set(err, o->rc,
				  o->rc == VG_ENOMEM ? "out of memory" : "cannot write the export");
	return rc;
}

/* SPDX ids allow [A-Za-z0-9.-] only. */
static char *spdx_id(json_t *c)
{
	const char *r = vg_json_str(c, "ref");
	char buf[300];
	size_t o;
	if (r && strncmp(r, "SPDXRef-", 8) == 0) {
		int ok = 1;
		for (const char *p = r; *p; p++)
			if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '-'))
				ok = 0;
		if (ok)
			return strdup(r);
	}
	o = (size_t)snprintf(buf, sizeof(buf), "SPDXRef-Package-%lld-",
			     (long long)vg_json_int(c, "idx", 0));
	for (const char *p = vg_json_str(c, "name"); p && *p && o + 1 < sizeof(buf) && o < 120; p++)
		buf[o++] = (isalnum((unsigned char)*p) || *p == '.' || *p == '-') ? *p : '-';
	buf[o] = '\0';
	return strdup(buf);
}

static const char *spdx_alg(const char *cdx)
{
	static const struct {
		const char *c, *s;
	} m[] = {{"SHA-1", "SHA1"},
		 {"SHA-224", "SHA224"},
		 {"SHA-256", "SHA256"},
		 {"SHA-384", "SHA384"},
		 {"SHA-512", "SHA512"},
		 {"MD5", "MD5"},
		 {"SHA3-256", "SHA3-256"},
		 {"SHA3-384", "SHA3-384"},
		 {"SHA3-512", "SHA3-512"},
		 {"BLAKE2b-256", "BLAKE2b-256"},
		 {"BLAKE2b-384", "BLAKE2b-384"},
		 {"BLAKE2b-512", "BLAKE2b-512"},
		 {"BLAKE3", "BLAKE3"}};
	for (size_t i = 0; cdx && i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(m[i].c, cdx) == 0)
			return m[i].s;
	return NULL;
}

/* The SPDX package of component c with id sid. */
static json_t *spdx_package(json_t *c, const char *sid)
{
	const char *lic = vg_json_str(c, "licenses");
	const char *nm = vg_json_str(c, "name");
	json_t *p =
	    json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "SPDXID", sid, "name",
		      nm && nm[0] ? nm : "unnamed", "downloadLocation", "NOASSERTION",
		      "filesAnalyzed", 0, "licenseConcluded", lic && *lic ? lic : "NOASSERTION",
		      "licenseDeclared", "NOASSERTION", "copyrightText", "NOASSERTION");
	json_t *refs = json_array(), *hs = json_array(), *h;
	size_t k;
	if (!p)
		return NULL;
	if (vg_json_str(c, "version"))
		json_object_set_new(p, "versionInfo", json_string(vg_json_str(c, "version")));
	if (vg_json_str(c, "supplier")) {
		char sup[512];
		snprintf(sup, sizeof(sup), "Organization: %s", vg_json_str(c, "supplier"));
		json_object_set_new(p, "supplier", json_string(sup));
	}
	json_array_foreach(json_object_get(c, "hashes"), k, h)
	{
		const char *alg = spdx_alg(vg_json_str(h, "alg"));
		if (alg && vg_json_str(h, "content"))
			json_array_append_new(hs, json_pack("{s:s, s:s}", "algorithm", alg,
							    "checksumValue",
							    vg_json_str(h, "content")));
	}
	if (json_array_size(hs))
		json_object_set(p, "checksums", hs);
	json_decref(hs);
	if (vg_json_str(c, "purl"))
		json_array_append_new(refs, json_pack("{s:s, s:s, s:s}", "referenceCategory",
						      "PACKAGE-MANAGER", "referenceType", "purl",
						      "referenceLocator", vg_json_str(c, "purl")));
	if (vg_json_str(c, "cpe")) {
		const char *cpe = vg_json_str(c, "cpe");
		json_array_append_new(
		    refs,
		    json_pack("{s:s, s:s, s:s}", "referenceCategory", "SECURITY", "referenceType",
			      strncmp(cpe, "cpe:2.3:", 8) == 0 ? "cpe23Type" : "cpe22Type",
			      "referenceLocator", cpe));
	}
	if (json_array_size(refs))
		json_object_set(p, "externalRefs", refs);
	json_decref(refs);
	{
		json_t *extra = json_object_get(c, "extra"), *v;
		if ((v = json_object_get(extra, "description")) && json_is_string(v))
			json_object_set(p, "description", v);
	}
	return p;
}

/* The SPDX ids given so far (open addressing, cap a power of 2), to keep them unique. */
struct idset {
	const char **slot;
	size_t n, cap;
};

static size_t id_hash(const char *k)
{
	size_t h = 1469598103934665603ULL;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static int idset_has(const struct idset *set, const char *k)
{
	if (!set->cap)
		return 0;
	for (size_t i = id_hash(k) & (set->cap - 1); set->slot[i]; i = (i + 1) & (set->cap - 1))
		if (!strcmp(set->slot[i], k))
			return 1;
	return 0;
}

static int idset_add(struct idset *set, const char *k)
{
	if ((set->n + 1) * 2 > set->cap) {
		size_t nc = set->cap ? set->cap * 2 : 1024;
		const char **t = calloc(nc, sizeof(*t));
		if (!t)
			return VG_ENOMEM;
		for (size_t i = 0; i < set->cap; i++)
			if (set->slot[i]) {
				size_t j = id_hash(set->slot[i]) & (nc - 1);
				while (t[j])
					j = (j + 1) & (nc - 1);
				t[j] = set->slot[i];
			}
		free(set->slot);
		set->slot = t;
		set->cap = nc;
	}
	size_t j = id_hash(k) & (set->cap - 1);
	while (set->slot[j])
		j = (j + 1) & (set->cap - 1);
	set->slot[j] = k;
	set->n++;
	return VG_OK;
}

static int export_spdx(struct store *s, int64_t id, const char *product, const char *version,
		       struct xout *o, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	struct idset set = {0};
	char **ids = NULL;
	size_t n = 0, cap = 0, items = 0;
	long long primary;
	char uuid[37], ns[512], ts[VG_TIME_BUFSZ], name[400];
	int rc, first = 1;

	if ((rc = primary_of(s, id, &primary, err)))
		return rc;
	vg_uuid4(uuid);
	snprintf(name, sizeof(name), "%s-%s", product, version);
	snprintf(ns, sizeof(ns), "https://vigil.invalid/spdx/%s/%s", name, uuid);
	for (char *p = ns; *p; p++)
		if (*p == ' ' || *p == '#')
			*p = '-';
	put_member(o, &first, "spdxVersion", json_string("SPDX-2.3"));
	put_member(o, &first, "dataLicense", json_string("CC0-1.0"));
	put_member(o, &first, "SPDXID", json_string("SPDXRef-DOCUMENT"));
	put_member(o, &first, "name", json_string(name));
	put_member(o, &first, "documentNamespace", json_string(ns));
	put_member(o, &first, "creationInfo",
		   json_pack("{s:s, s:[s]}", "created", vg_time_format(vg_now(), ts, sizeof(ts)),
			     "creators", "Tool: vigil-" VIGIL_VERSION));
	puts_(o, ",\n  \"packages\": ");
	rc = store_prepare(s, COMP_SQL " ORDER BY idx", &st, err);
	if (!rc)
		store_bind_int64(st, 1, id);
	while (!rc && !o->rc && (rc = store_step(st, err)) == STORE_ROW) {
		json_t *c = row_component(st);
		char *sid;
		rc = VG_ENOMEM;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 1024;
			char **r = realloc(ids, nc * sizeof(*r));
			if (!r) {
				json_decref(c);
				break;
			}
			ids = r;
			cap = nc;
		}
		if (!c || !(sid = spdx_id(c))) {
			json_decref(c);
			break;
		}
		/* SPDX ids must be unique: disambiguate repeats by index */
		if (idset_has(&set, sid)) {
			char buf[300];
			snprintf(buf, sizeof(buf), "%s-%zu", sid, n);
			free(sid);
			sid = strdup(buf);
		}
		ids[n] = sid;
		if (!sid || idset_add(&set, sid)) {
			json_decref(c);
			break;
		}
		n++;
		put_item(o, &items, spdx_package(c, sid));
		json_decref(c);
		rc = VG_OK;
	}
	store_finalize(st);
	st = NULL;
	if (rc == STORE_DONE)
		rc = VG_OK;
	else if (rc == VG_ENOMEM)
		rc = vg_error_set(err, rc, "out of memory");
	put_end_array(o, items);
	if (!rc) {
		puts_(o, ",\n  \"relationships\": ");
		items = 0;
		if (primary >= 0 && (size_t)primary < n)
			put_item(o, &items,
				 json_pack("{s:s, s:s, s:s}", "spdxElementId", "SPDXRef-DOCUMENT",
					   "relationshipType", "DESCRIBES", "relatedSpdxElement",
					   ids[primary]));
		else
			for (size_t i = 0; i < n; i++)
				put_item(o, &items,
					 json_pack("{s:s, s:s, s:s}", "spdxElementId",
						   "SPDXRef-DOCUMENT", "relationshipType",
						   "DESCRIBES", "relatedSpdxElement", ids[i]));
		rc = store_prepare(s, DEP_SQL, &st, err);
		if (!rc)
			store_bind_int64(st, 1, id);
		while (!rc && !o->rc && (rc = store_step(st, err)) == STORE_ROW) {
			long long f = store_col_int64(st, 0), t = store_col_int64(st, 1);
			const char *kind = store_col_text(st, 2);
			const char *type = "DEPENDS_ON";
			rc = VG_OK;
			if (f < 0 || t < 0 || (size_t)f >= n || (size_t)t >= n)
				continue;
			if (kind && strcmp(kind, "depends-on") != 0 &&
			    strcmp(kind, "provides") != 0 && strcmp(kind, "contains") != 0 &&
			    strcmp(kind, "other") != 0)
				type =
				    kind; /* an SPDX relationship type kept from an SPDX import */
			else if (kind && strcmp(kind, "contains") == 0)
				type = "CONTAINS";
			else if (kind &&
				 (strcmp(kind, "provides") == 0 || strcmp(kind, "other") == 0))
				type = "OTHER";
			put_item(o, &items,
				 json_pack("{s:s, s:s, s:s}", "spdxElementId", ids[f],
					   "relationshipType", type, "relatedSpdxElement", ids[t]));
		}
		store_finalize(st);
		if (rc == STORE_DONE)
			rc = VG_OK;
		put_end_array(o, items);
		puts_(o, "\n}");
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(set.slot);
	if (!rc && o->rc)
		rc = vg_error_set(err, o->rc,
				  o->rc == VG_ENOMEM ? "out of memory" : "cannot write the export");
	return rc;
}

static int buf_write(void *arg, const char *p, size_t n)
{
	return vg_buf_add(arg, p, n) ? -1 : 0;
}

int sbom_export_stream(struct store *s, const char *product, const char *version,
		       const char *format, sbom_export_write_fn write, void *arg,
		       struct vg_error *err)
{
	struct xout o = {write, arg, 0};
	int64_t id;
	int rc;

	if (sbom_export_format_ok(format))
		return vg_error_set(
		    err, VG_EINVAL,
		    "format '%s': expected cyclonedx-1.6, cyclonedx-1.7 or spdx-2.3",
		    format ? format : "");
	rc = sbom_latest(s, product, version, &id, err);
	if (rc)
		return rc;
	if (strncmp(format, "cyclonedx-", 10) == 0)
		rc = export_cdx(s, id, format + 10, &o, err);
	else
		rc = export_spdx(s, id, product, version, &o, err);
	if (!rc) {
		char subject[64];
		json_t *a = json_pack("{s:s, s:s, s:s}", "product", product, "version", version,
				      "format", format);
		snprintf(subject, sizeof(subject), "%lld", (long long)id);
		rc = a ? store_audit(s, "sbom.export", "sbom", subject, NULL, a, err) : VG_ENOMEM;
		json_decref(a);
	}
	if (rc && !err->code)
		vg_error_set(err, rc, "cannot build the export");
	return rc;
}

int sbom_export(struct store *s, const char *product, const char *version, const char *format,
		char **out, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT;
	int rc = sbom_export_stream(s, product, version, format, buf_write, &b, err);
	*out = NULL;
	if (rc) {
		vg_buf_release(&b);
		return rc;
	}
	*out = vg_buf_detach(&b, NULL); /* NUL-terminated text */
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}
