#define _POSIX_C_SOURCE 200809L
#include "sbom/export.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "sbom/inventory.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int load(struct store *s, const char *product, const char *version, json_t **sb,
		struct vg_error *err)
{
	int64_t id;
	int rc = sbom_latest(s, product, version, &id, err);
	if (!rc)
		rc = sbom_show_json(s, id, sb, err);
	return rc;
}

static int export_cdx(json_t *sb, const char *specver, json_t **out)
{
	json_t *comps = json_object_get(sb, "component_list");
	json_t *deps = json_object_get(sb, "dependency_list");
	size_t n = json_array_size(comps), i;
	char **refs = calloc(n ? n : 1, sizeof(char *));
	long long primary = vg_json_int(sb, "primary_idx", -1);
	json_t *doc, *list = json_array(), *dl = json_array(), *meta, *c, *d;
	char uuid[37], urn[64], ts[VG_TIME_BUFSZ];

	if (!refs)
		return VG_ENOMEM;
	json_array_foreach(comps, i, c)
	{
		refs[i] = ref_of(c);
	}
	vg_uuid4(uuid);
	snprintf(urn, sizeof(urn), "urn:uuid:%s", uuid);
	meta = json_pack("{s:s, s:{s:[{s:s, s:s, s:s}]}}", "timestamp",
			 vg_time_format(vg_now(), ts, sizeof(ts)), "tools", "components", "type",
			 "application", "name", "vigil", "version", VIGIL_VERSION);
	json_array_foreach(comps, i, c)
	{
		json_t *o = cdx_component(c, refs[i]);
		if ((long long)i == primary)
			json_object_set_new(meta, "component", o);
		else
			json_array_append_new(list, o);
	}
	/* dependencies: one entry per component that has outgoing depends-on edges,
	 * plus empty entries for the rest so the graph is complete. */
	{
		json_t **dep_of = calloc(n ? n : 1, sizeof(json_t *));
		for (i = 0; i < n; i++)
			dep_of[i] = json_array();
		json_array_foreach(deps, i, d)
		{
			long long f = vg_json_int(d, "from", -1), t = vg_json_int(d, "to", -1);
			const char *kind = vg_json_str(d, "kind");
			if (f < 0 || t < 0 || (size_t)f >= n || (size_t)t >= n)
				continue;
			if (kind && strcmp(kind, "provides") == 0)
				continue;
			json_array_append_new(dep_of[f], json_string(refs[t]));
		}
		for (i = 0; i < n; i++) {
			json_t *e = json_pack("{s:s}", "ref", refs[i]);
			if (json_array_size(dep_of[i]))
				json_object_set(e, "dependsOn", dep_of[i]);
			json_decref(dep_of[i]);
			json_array_append_new(dl, e);
		}
		free(dep_of);
	}
	doc = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o}", "$schema",
			strcmp(specver, "1.7") == 0
			    ? "http://cyclonedx.org/schema/bom-1.7.schema.json"
			    : "http://cyclonedx.org/schema/bom-1.6.schema.json",
			"bomFormat", "CycloneDX", "specVersion", specver, "serialNumber", urn,
			"version", 1, "metadata", meta, "components", list, "dependencies", dl);
	for (i = 0; i < n; i++)
		free(refs[i]);
	free(refs);
	*out = doc;
	return doc ? VG_OK : VG_ENOMEM;
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

static int export_spdx(json_t *sb, const char *product, const char *version, json_t **out)
{
	json_t *comps = json_object_get(sb, "component_list");
	json_t *deps = json_object_get(sb, "dependency_list");
	size_t n = json_array_size(comps), i;
	char **ids = calloc(n ? n : 1, sizeof(char *));
	long long primary = vg_json_int(sb, "primary_idx", -1);
	json_t *pkgs = json_array(), *rels = json_array(), *c, *d, *doc;
	char uuid[37], ns[512], ts[VG_TIME_BUFSZ], name[400];

	if (!ids)
		return VG_ENOMEM;
	json_array_foreach(comps, i, c)
	{
		ids[i] = spdx_id(c);
	}
	/* SPDX ids must be unique: disambiguate repeats by index. */
	for (i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(ids[i], ids[j]) == 0) {
				char buf[300];
				snprintf(buf, sizeof(buf), "%s-%zu", ids[i], i);
				free(ids[i]);
				ids[i] = strdup(buf);
				break;
			}
	json_array_foreach(comps, i, c)
	{
		const char *lic = vg_json_str(c, "licenses");
		json_t *p =
		    json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "SPDXID", ids[i], "name",
			      vg_json_str(c, "name")[0] ? vg_json_str(c, "name") : "unnamed",
			      "downloadLocation", "NOASSERTION", "filesAnalyzed", 0,
			      "licenseConcluded", lic && *lic ? lic : "NOASSERTION",
			      "licenseDeclared", "NOASSERTION", "copyrightText", "NOASSERTION");
		json_t *refs = json_array(), *hs = json_array(), *h;
		size_t k;
		if (vg_json_str(c, "version"))
			json_object_set_new(p, "versionInfo",
					    json_string(vg_json_str(c, "version")));
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
			json_array_append_new(
			    refs, json_pack("{s:s, s:s, s:s}", "referenceCategory",
					    "PACKAGE-MANAGER", "referenceType", "purl",
					    "referenceLocator", vg_json_str(c, "purl")));
		if (vg_json_str(c, "cpe")) {
			const char *cpe = vg_json_str(c, "cpe");
			json_array_append_new(
			    refs,
			    json_pack("{s:s, s:s, s:s}", "referenceCategory", "SECURITY",
				      "referenceType",
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
		json_array_append_new(pkgs, p);
	}
	if (primary >= 0 && (size_t)primary < n)
		json_array_append_new(rels,
				      json_pack("{s:s, s:s, s:s}", "spdxElementId",
						"SPDXRef-DOCUMENT", "relationshipType", "DESCRIBES",
						"relatedSpdxElement", ids[primary]));
	else
		for (i = 0; i < n; i++)
			json_array_append_new(rels,
					      json_pack("{s:s, s:s, s:s}", "spdxElementId",
							"SPDXRef-DOCUMENT", "relationshipType",
							"DESCRIBES", "relatedSpdxElement", ids[i]));
	json_array_foreach(deps, i, d)
	{
		long long f = vg_json_int(d, "from", -1), t = vg_json_int(d, "to", -1);
		const char *kind = vg_json_str(d, "kind");
		const char *type = "DEPENDS_ON";
		if (f < 0 || t < 0 || (size_t)f >= n || (size_t)t >= n)
			continue;
		if (kind && strcmp(kind, "depends-on") != 0 && strcmp(kind, "provides") != 0 &&
		    strcmp(kind, "contains") != 0 && strcmp(kind, "other") != 0)
			type = kind; /* an SPDX relationship type kept from an SPDX import */
		else if (kind && strcmp(kind, "contains") == 0)
			type = "CONTAINS";
		else if (kind && (strcmp(kind, "provides") == 0 || strcmp(kind, "other") == 0))
			type = "OTHER";
		json_array_append_new(rels, json_pack("{s:s, s:s, s:s}", "spdxElementId", ids[f],
						      "relationshipType", type,
						      "relatedSpdxElement", ids[t]));
	}
	vg_uuid4(uuid);
	snprintf(name, sizeof(name), "%s-%s", product, version);
	snprintf(ns, sizeof(ns), "https://vigil.invalid/spdx/%s/%s", name, uuid);
	for (char *p = ns; *p; p++)
		if (*p == ' ' || *p == '#')
			*p = '-';
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:[s]}, s:o, s:o}", "spdxVersion",
			"SPDX-2.3", "dataLicense", "CC0-1.0", "SPDXID", "SPDXRef-DOCUMENT", "name",
			name, "documentNamespace", ns, "creationInfo", "created",
			vg_time_format(vg_now(), ts, sizeof(ts)), "creators",
			"Tool: vigil-" VIGIL_VERSION, "packages", pkgs, "relationships", rels);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	*out = doc;
	return doc ? VG_OK : VG_ENOMEM;
}

int sbom_export(struct store *s, const char *product, const char *version, const char *format,
		char **out, struct vg_error *err)
{
	json_t *sb = NULL, *doc = NULL, *a;
	int rc;

	*out = NULL;
	if (sbom_export_format_ok(format))
		return vg_error_set(
		    err, VG_EINVAL,
		    "format '%s': expected cyclonedx-1.6, cyclonedx-1.7 or spdx-2.3",
		    format ? format : "");
	rc = load(s, product, version, &sb, err);
	if (rc)
		return rc;
	if (strncmp(format, "cyclonedx-", 10) == 0)
		rc = export_cdx(sb, format + 10, &doc);
	else
		rc = export_spdx(sb, product, version, &doc);
	if (!rc) {
		*out = json_dumps(doc, JSON_INDENT(2));
		if (!*out)
			rc = VG_ENOMEM;
	}
	if (!rc) {
		char subject[64];
		snprintf(subject, sizeof(subject), "%lld", (long long)vg_json_int(sb, "id", 0));
		a = json_pack("{s:s, s:s, s:s}", "product", product, "version", version, "format",
			      format);
		rc = store_audit(s, "sbom.export", "sbom", subject, NULL, a, err);
		json_decref(a);
	}
	if (rc && !err->code)
		vg_error_set(err, rc, "cannot build the export");
	if (rc) {
		free(*out);
		*out = NULL;
	}
	json_decref(doc);
	json_decref(sb);
	return rc;
}
