/*
 * csaf_check_rec.c - the recommended tests of CSAF 2.0 (section 6.2) that
 * need no outside data, and the table of CWE names test 6.1.11 checks
 * against. A recommended test only warns: publication goes on.
 *
 * Done: 6.2.1 - 6.2.20 (6.2.20 in csaf_check.c: the schema with every
 * object closed).
 */
#include "advisory/csaf_check.h"
#include "advisory/csaf_check_int.h"
#include "advisory/provider.h"
#include "core/json.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define WARN(x, test, path, ...) \
	csaf_issue((x), CSAF_CHECK_RECOMMENDED, (test), (path), __VA_ARGS__)

/*
 * The CWE names of the CWE Top 25 (2023, 2024) and a few more that vendors'
 * advisories use most, as the CWE catalogue (4.x) spells them. 6.1.11 refuses
 * a name that differs for an id here; an id outside the table is not judged
 * (vigil carries no full catalogue). t9401 checks every row against the
 * catalogue of @secvisogram/csaf-validator-lib.
 */
static const char *const cwe_names[][2] = {
    {"CWE-20", "Improper Input Validation"},
    {"CWE-22", "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')"},
    {"CWE-77",
     "Improper Neutralization of Special Elements used in a Command ('Command Injection')"},
    {"CWE-78",
     "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')"},
    {"CWE-79",
     "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"},
    {"CWE-89",
     "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')"},
    {"CWE-94", "Improper Control of Generation of Code ('Code Injection')"},
    {"CWE-119", "Improper Restriction of Operations within the Bounds of a Memory Buffer"},
    {"CWE-120", "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')"},
    {"CWE-125", "Out-of-bounds Read"},
    {"CWE-190", "Integer Overflow or Wraparound"},
    {"CWE-200", "Exposure of Sensitive Information to an Unauthorized Actor"},
    {"CWE-269", "Improper Privilege Management"},
    {"CWE-276", "Incorrect Default Permissions"},
    {"CWE-287", "Improper Authentication"},
    {"CWE-306", "Missing Authentication for Critical Function"},
    {"CWE-352", "Cross-Site Request Forgery (CSRF)"},
    {"CWE-362", "Concurrent Execution using Shared Resource with Improper Synchronization "
		"('Race Condition')"},
    {"CWE-400", "Uncontrolled Resource Consumption"},
    {"CWE-416", "Use After Free"},
    {"CWE-434", "Unrestricted Upload of File with Dangerous Type"},
    {"CWE-476", "NULL Pointer Dereference"},
    {"CWE-502", "Deserialization of Untrusted Data"},
    {"CWE-611", "Improper Restriction of XML External Entity Reference"},
    {"CWE-787", "Out-of-bounds Write"},
    {"CWE-798", "Use of Hard-coded Credentials"},
    {"CWE-862", "Missing Authorization"},
    {"CWE-863", "Incorrect Authorization"},
    {"CWE-918", "Server-Side Request Forgery (SSRF)"},
    {"CWE-1321",
     "Improperly Controlled Modification of Object Prototype Attributes ('Prototype Pollution')"},
};

const char *csaf_cwe_name(const char *id)
{
	for (size_t i = 0; i < sizeof(cwe_names) / sizeof(cwe_names[0]); i++)
		if (!strcmp(cwe_names[i][0], id))
			return cwe_names[i][1];
	return NULL;
}

/* x->rec: {"used": {id: true}, "helperless": {id: path}} */

static void rec_product(struct csaf_ctx *x, const json_t *fpn, const char *path)
{
	json_t *h = json_object_get(fpn, "product_identification_helper"), *fh, *hh;
	size_t i, j;
	const char *id = vg_json_str(fpn, "product_id");
	if (!h && id)
		json_object_set_new(json_object_get(x->rec, "helperless"), id, json_string(path));
	json_array_foreach(json_object_get(h, "hashes"), i, hh)
	    json_array_foreach(json_object_get(hh, "file_hashes"), j, fh)
	{
		const char *alg = vg_json_str(fh, "algorithm");
		char p[CSAF_PATH];
		snprintf(p, sizeof(p),
			 "%s/product_identification_helper/hashes/%zu/file_hashes/%zu/algorithm",
			 path, i, j);
		if (alg && !strcasecmp(alg, "md5"))
			WARN(x, "6.2.8", p, "MD5 is broken: give a SHA-256 or stronger hash");
		if (alg && (!strcasecmp(alg, "sha1") || !strcasecmp(alg, "sha-1")))
			WARN(x, "6.2.9", p, "SHA-1 is broken: give a SHA-256 or stronger hash");
	}
}

void csaf_rec_prepare(struct csaf_ctx *x)
{
	x->rec = json_pack("{s:o, s:o}", "used", json_object(), "helperless", json_object());
	if (!x->rec)
		x->rc = VG_ENOMEM;
	x->rec_product_cb = rec_product;
}

static void mark_used(struct csaf_ctx *x, const char *id, const char *path, int vuln, void *arg)
{
	(void)path;
	(void)vuln;
	(void)arg;
	json_object_set_new(json_object_get(x->rec, "used"), id, json_true());
}

static void expand(struct csaf_ctx *x, const json_t *item, json_t *into)
{
	json_t *id, *gid;
	size_t i, j;
	json_array_foreach(json_object_get(item, "product_ids"), i, id) if (json_is_string(id))
	    json_object_set_new(into, json_string_value(id), json_true());
	json_array_foreach(json_object_get(item, "products"), i, id) if (json_is_string(id))
	    json_object_set_new(into, json_string_value(id), json_true());
	json_array_foreach(json_object_get(item, "group_ids"), i, gid)
	{
		json_t *g =
		    json_is_string(gid) ? json_object_get(x->groups, json_string_value(gid)) : NULL;
		json_array_foreach(json_object_get(g, "product_ids"), j, id) if (json_is_string(id))
		    json_object_set_new(into, json_string_value(id), json_true());
	}
}

/* A metric of a CVSS object: from the vector when it gives one, else the
 * JSON property, as its vector abbreviation's first letter ('N' for NONE). */
static char metric(const json_t *c, const char *abbr, const char *prop)
{
	const char *vec = vg_json_str(c, "vectorString"), *val = vg_json_str(c, prop);
	char pat[8];
	size_t al = strlen(abbr);
	if (vec && !strncmp(vec, abbr, al) && vec[al] == ':')
		return vec[al + 1];
	snprintf(pat, sizeof(pat), "/%s:", abbr);
	const char *at = vec ? strstr(vec, pat) : NULL;
	if (at)
		return at[al + 2];
	return val ? val[0] : 0;
}

/* 6.2.19: every score of a fixed product has an environmental score of 0 */
static int env_zero(struct csaf_ctx *x, const json_t *vuln, const char *pid)
{
	json_t *sc, *p;
	size_t i, j;
	(void)x;
	json_array_foreach(json_object_get(vuln, "scores"), i, sc)
	{
		int mine = 0;
		json_array_foreach(json_object_get(sc, "products"), j,
				   p) if (json_is_string(p) && !strcmp(json_string_value(p), pid))
		    mine = 1;
		if (!mine)
			continue;
		json_t *v3 = json_object_get(sc, "cvss_v3"), *v2 = json_object_get(sc, "cvss_v2");
		if (v3 && !(metric(v3, "MC", "modifiedConfidentialityImpact") == 'N' &&
			    metric(v3, "MI", "modifiedIntegrityImpact") == 'N' &&
			    metric(v3, "MA", "modifiedAvailabilityImpact") == 'N'))
			return 0;
		if (v2 && metric(v2, "TD", "targetDistribution") != 'N')
			return 0;
	}
	return 1;
}

static void test_vuln_products(struct csaf_ctx *x)
{
	static const char *const affected[] = {"first_affected", "known_affected", "last_affected",
					       NULL};
	static const char *const fixed[] = {"first_fixed", "fixed", NULL};
	json_t *v, *it, *id;
	size_t i, j, k;
	char p[CSAF_PATH];
	json_array_foreach(json_object_get(x->doc, "vulnerabilities"), i, v)
	{
		json_t *rem = json_object(), *scored = json_object();
		json_t *ps = json_object_get(v, "product_status");
		if (!rem || !scored) {
			json_decref(rem);
			json_decref(scored);
			x->rc = VG_ENOMEM;
			return;
		}
		json_array_foreach(json_object_get(v, "remediations"), j, it) expand(x, it, rem);
		json_array_foreach(json_object_get(v, "scores"), j, it) expand(x, it, scored);
		for (int s = 0; affected[s]; s++)
			json_array_foreach(json_object_get(ps, affected[s]), k, id)
			{
				if (!json_is_string(id))
					continue;
				snprintf(p, sizeof(p), "/vulnerabilities/%zu/product_status/%s/%zu",
					 i, affected[s], k);
				if (!json_object_get(rem, json_string_value(id)))
					WARN(x, "6.2.2", p,
					     "affected product '%s' has no remediation",
					     json_string_value(id));
				if (!json_object_get(scored, json_string_value(id)))
					WARN(x, "6.2.3", p, "affected product '%s' has no score",
					     json_string_value(id));
			}
		for (int s = 0; fixed[s]; s++)
			json_array_foreach(json_object_get(ps, fixed[s]), k, id)
			{
				if (json_is_string(id) &&
				    json_object_get(scored, json_string_value(id)) &&
				    !env_zero(x, v, json_string_value(id))) {
					snprintf(p, sizeof(p),
						 "/vulnerabilities/%zu/product_status/%s/%zu", i,
						 fixed[s], k);
					WARN(x, "6.2.19", p,
					     "fixed product '%s' has a CVSS score whose "
					     "environmental "
					     "score is not 0 (set the modified impacts or the "
					     "target "
					     "distribution to none)",
					     json_string_value(id));
				}
			}
		json_array_foreach(json_object_get(v, "involvements"), j, it)
		{
			if (!json_object_get(it, "date")) {
				snprintf(p, sizeof(p), "/vulnerabilities/%zu/involvements/%zu", i,
					 j);
				WARN(x, "6.2.7", p, "the involvement has no date");
			}
		}
		json_array_foreach(json_object_get(v, "ids"), j, it)
		{
			const char *t = vg_json_str(it, "text");
			if (t && !strncmp(t, "CVE-", 4)) {
				snprintf(p, sizeof(p), "/vulnerabilities/%zu/ids/%zu/text", i, j);
				WARN(x, "6.2.17", p, "%s belongs in the cve field, not in ids", t);
			}
		}
		json_decref(rem);
		json_decref(scored);
	}
}

/* 6.2.14: a private use language (qaa-qtz), script (Qaaa-Qabx), region
 * (AA, QM-QZ, XA-XZ, ZZ) or a private use part (x-...). */
static int private_use(const char *tag)
{
	char sub[16];
	const char *p = tag;
	int first = 1;
	while (*p) {
		size_t l = strcspn(p, "-");
		if (l >= sizeof(sub))
			return 0;
		for (size_t i = 0; i < l; i++)
			sub[i] = (char)tolower((unsigned char)p[i]);
		sub[l] = '\0';
		if (l == 1 && sub[0] == 'x')
			return 1;
		if (first && l == 3 && sub[0] == 'q' && sub[1] >= 'a' && sub[1] <= 't')
			return 1;
		if (!first && l == 4 && sub[0] == 'q' && sub[1] == 'a' && sub[2] >= 'a' &&
		    sub[2] <= 'b' && (sub[2] == 'a' || sub[3] <= 'x'))
			return 1;
		if (!first && l == 2 &&
		    (!strcmp(sub, "aa") || !strcmp(sub, "zz") ||
		     (sub[0] == 'q' && sub[1] >= 'm' && sub[1] <= 'z') || sub[0] == 'x'))
			return 1;
		first = 0;
		p += l;
		if (*p == '-')
			p++;
	}
	return 0;
}

/* 6.2.13: the keys of every object in alphabetical order */
static int keys_sorted(struct csaf_ctx *x, const json_t *v, const char *path, int depth)
{
	const char *k, *prev = NULL;
	json_t *m;
	size_t i;
	char p[CSAF_PATH];
	if (depth > 64)
		return 1;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, m)
		{
			csaf_path(p, sizeof(p), path, k, 0);
			if (prev && strcmp(prev, k) > 0) {
				WARN(x, "6.2.13", p, "key '%s' comes after '%s': keys are sorted",
				     k, prev);
				return 0;
			}
			prev = k;
			if (!keys_sorted(x, m, p, depth + 1))
				return 0;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m)
		{
			csaf_path(p, sizeof(p), path, NULL, (long)i);
			if (!keys_sorted(x, m, p, depth + 1))
				return 0;
		}
	}
	return 1;
}

/* 6.2.18: a product_version_range branch names its range in vers */
void csaf_rec_branch(struct csaf_ctx *x, const json_t *b, const char *path)
{
	const char *cat = vg_json_str(b, "category"), *name = vg_json_str(b, "name");
	if (cat && name && !strcmp(cat, "product_version_range") && strncmp(name, "vers:", 5)) {
		char p[CSAF_PATH];
		snprintf(p, sizeof(p), "%s/name", path);
		WARN(x, "6.2.18", p, "the range '%s' is not written in vers (vers:...)", name);
	}
}

static void test_document(struct csaf_ctx *x)
{
	json_t *d = json_object_get(x->doc, "document"), *tr = json_object_get(d, "tracking"), *it;
	size_t i;
	char p[CSAF_PATH];
	int64_t init, cur, t, oldest = 0, newest = 0;
	int have = 0;
	json_array_foreach(json_object_get(tr, "revision_history"), i, it)
	{
		struct csaf_ver v;
		if (csaf_version(vg_json_str(it, "number"), &v) && v.has_build) {
			snprintf(p, sizeof(p), "/document/tracking/revision_history/%zu/number", i);
			WARN(x, "6.2.4", p, "revision number %s carries build metadata",
			     vg_json_str(it, "number"));
		}
		if (csaf_date(vg_json_str(it, "date"), &t)) {
			if (!have || t < oldest)
				oldest = t;
			if (!have || t > newest)
				newest = t;
			have = 1;
		}
	}
	if (have && csaf_date(vg_json_str(tr, "initial_release_date"), &init) && init < oldest)
		WARN(x, "6.2.5", "/document/tracking/initial_release_date",
		     "the initial release date is older than the oldest revision");
	if (have && csaf_date(vg_json_str(tr, "current_release_date"), &cur) && cur < newest)
		WARN(x, "6.2.6", "/document/tracking/current_release_date",
		     "the current release date is older than the newest revision");
	if (!vg_json_str(json_object_get(json_object_get(d, "distribution"), "tlp"), "label"))
		WARN(x, "6.2.10", "/document/distribution/tlp/label",
		     "no TLP label: a provider files the document under one");
	/* 6.2.11: a self reference to the document's canonical URL */
	char name[300];
	const char *tid = vg_json_str(tr, "id");
	int canonical = 0;
	if (tid && csaf_file_name(tid, name, sizeof(name)) == VG_OK) {
		json_array_foreach(json_object_get(d, "references"), i, it)
		{
			const char *cat = vg_json_str(it, "category"),
				   *url = vg_json_str(it, "url");
			size_t ul = url ? strlen(url) : 0, nl = strlen(name);
			if (cat && !strcmp(cat, "self") && url && !strncmp(url, "https://", 8) &&
			    ul > nl && !strcmp(url + ul - nl, name) && url[ul - nl - 1] == '/')
				canonical = 1;
		}
		if (!canonical)
			WARN(x, "6.2.11", "/document/references",
			     "no reference of category self to https://.../%s", name);
	}
	const char *lang = vg_json_str(d, "lang");
	if (!lang)
		WARN(x, "6.2.12", "/document/lang", "the document names no language");
	static const char *const keys[] = {"lang", "source_lang"};
	for (int k = 0; k < 2; k++) {
		const char *l = vg_json_str(d, keys[k]);
		snprintf(p, sizeof(p), "/document/%s", keys[k]);
		if (!l)
			continue;
		if (private_use(l))
			WARN(x, "6.2.14", p, "'%s' is a private use language tag", l);
		if (!strcasecmp(l, "i-default"))
			WARN(x, "6.2.15", p, "'%s' is the default language, not a language", l);
	}
}

void csaf_rec_tests(struct csaf_ctx *x)
{
	const char *id;
	json_t *v;
	if (x->rc || !x->rec)
		return;
	csaf_each_product_ref(x, mark_used, NULL);
	json_t *used = json_object_get(x->rec, "used");
	const char *cat = vg_json_str(json_object_get(x->doc, "document"), "category");
	int informational = cat && !strcmp(cat, "csaf_informational_advisory");
	json_object_foreach(x->defs, id, v)
	{
		if (informational)
			break; /* 6.2.1 does not apply to the informational profile */
		if (!json_object_get(used, id))
			WARN(x, "6.2.1", json_string_value(v),
			     "product id '%s' is defined but never referenced", id);
	}
	json_object_foreach(json_object_get(x->rec, "helperless"), id, v)
	    WARN(x, "6.2.16", json_string_value(v),
		 "product '%s' has no product identification helper (purl, cpe, hashes ...)", id);
	test_vuln_products(x);
	test_document(x);
	keys_sorted(x, x->doc, "", 0);
}
