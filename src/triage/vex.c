/*
 * vex.c - CycloneDX 1.6 VEX, CSAF 2.0 csaf_vex and OpenVEX 0.2.0 export and
 * import of triage decisions (see vex.h for the rules).
 */
#define _POSIX_C_SOURCE 200809L
#include "triage/vex.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "ident/cpe.h"
#include "sbom/product.h"
#include "store/store.h"
#include "triage/triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define VEX_MAX_STATEMENTS 100000

int vex_format_from_name(const char *name)
{
	if (!name)
		return 0;
	if (strcmp(name, "cyclonedx") == 0)
		return VEX_CYCLONEDX;
	if (strcmp(name, "csaf") == 0)
		return VEX_CSAF;
	if (strcmp(name, "openvex") == 0)
		return VEX_OPENVEX;
	return 0;
}

/* ---- export ---- */

struct pv {
	int64_t version_id;
	char *vendor;
};

static int find_version(struct store *s, const char *product, const char *version, struct pv *pv,
			struct vg_error *err)
{
	struct product_version v = {0};
	int rc = product_version_get(s, product, version, &v, NULL);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "product '%s' version '%s' not found",
				    product, version);
	if (rc)
		return vg_error_set(err, rc, "product '%s' version '%s': cannot be read", product,
				    version);
	pv->version_id = v.id;
	pv->vendor = v.vendor ? strdup(v.vendor) : NULL;
	product_version_release(&v);
	return VG_OK;
}

static int load_rows(struct store *s, int64_t version_id, json_t **out, struct vg_error *err)
{
	return store_query_json(
	    s, out, err,
	    "SELECT f.id, f.vuln_id, f.purl, f.state, f.justification, f.evidence_json, "
	    "COALESCE(c.name, f.purl) AS cname, c.version AS cversion, x.summary, (SELECT "
	    "fc.body FROM finding_comments fc WHERE fc.finding_id = f.id ORDER BY fc.id DESC "
	    "LIMIT 1) AS detail FROM findings f LEFT JOIN sbom_component_view c ON c.component_id "
	    "= f.component_id "
	    "LEFT JOIN vuln_view x ON x.id = f.vuln_id WHERE f.version_id = ? AND "
	    "f.retracted_at IS NULL ORDER BY f.vuln_id, f.purl",
	    "i", version_id);
}

static const char *fixed_in(const json_t *row)
{
	json_t *m = json_array_get(json_object_get(json_object_get(row, "evidence"), "matches"), 0);
	return vg_json_str(m, "fixed");
}

static const char *cdx_state(const char *st)
{
	if (strcmp(st, "affected") == 0 || strcmp(st, "in_remediation") == 0)
		return "exploitable";
	if (strcmp(st, "fixed") == 0)
		return "resolved";
	if (strcmp(st, "not_affected") == 0 || strcmp(st, "false_positive") == 0)
		return st;
	return "in_triage";
}

static const char *cdx_justification(const char *j)
{
	if (!j)
		return NULL;
	if (strcmp(j, "component_not_present") == 0 ||
	    strcmp(j, "vulnerable_code_not_present") == 0)
		return "code_not_present";
	if (strcmp(j, "vulnerable_code_not_in_execute_path") == 0)
		return "code_not_reachable";
	if (strcmp(j, "vulnerable_code_cannot_be_controlled_by_adversary") == 0)
		return "requires_environment";
	return "protected_by_mitigating_control";
}

static json_t *export_cyclonedx(const char *product, const char *version, const json_t *rows,
				const char *ts)
{
	char uuid[37], ref[64];
	json_t *comps = json_array(), *vulns = json_array(), *seen = json_object(), *r, *doc;
	size_t i;
	vg_uuid4(uuid);
	json_array_foreach(rows, i, r)
	{
		const char *purl = vg_json_str(r, "purl"), *st = vg_json_str(r, "state");
		const char *just = vg_json_str(r, "justification");
		json_t *analysis, *v;
		struct vg_buf detail = VG_BUF_INIT;
		if (!json_object_get(seen, purl)) {
			json_t *c = json_pack("{s:s, s:s, s:s, s:s}", "type", "library", "bom-ref",
					      purl, "name", vg_json_str(r, "cname"), "purl", purl);
			if (vg_json_str(r, "cversion"))
				json_object_set_new(c, "version",
						    json_string(vg_json_str(r, "cversion")));
			json_array_append_new(comps, c);
			json_object_set_new(seen, purl, json_true());
		}
		analysis = json_pack("{s:s}", "state", cdx_state(st));
		if (strcmp(st, "not_affected") == 0 && just)
			json_object_set_new(analysis, "justification",
					    json_string(cdx_justification(just)));
		/* Our justification names are finer than CycloneDX's: kept in the detail. */
		if (just)
			vg_buf_addf(&detail, "%s", just);
		if (vg_json_str(r, "detail"))
			vg_buf_addf(&detail, "%s%s", just ? ": " : "", vg_json_str(r, "detail"));
		if (detail.len)
			json_object_set_new(analysis, "detail", json_string(detail.data));
		vg_buf_release(&detail);
		if (strcmp(st, "affected") == 0 || strcmp(st, "in_remediation") == 0)
			json_object_set_new(
			    analysis, "response",
			    json_pack("[s]", fixed_in(r) ? "update" : "workaround_available"));
		snprintf(ref, sizeof(ref), "vex-%lld",
			 (long long)json_integer_value(json_object_get(r, "id")));
		v = json_pack("{s:s, s:s, s:o, s:[{s:s}]}", "bom-ref", ref, "id",
			      vg_json_str(r, "vuln_id"), "analysis", analysis, "affects", "ref",
			      purl);
		if (vg_json_str(r, "summary"))
			json_object_set_new(v, "description",
					    json_string(vg_json_str(r, "summary")));
		json_array_append_new(vulns, v);
	}
	json_decref(seen);
	{
		char serial[64];
		snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
		doc =
		    json_pack("{s:s, s:s, s:s, s:i, s:{s:s, s:{s:[{s:s, s:s}]}, s:{s:s, s:s, s:s, "
			      "s:s}}, s:o, s:o}",
			      "bomFormat", "CycloneDX", "specVersion", "1.6", "serialNumber",
			      serial, "version", 1, "metadata", "timestamp", ts, "tools",
			      "components", "type", "application", "name", "vigil", "component",
			      "type", "application", "bom-ref", "product", "name", product,
			      "version", version, "components", comps, "vulnerabilities", vulns);
	}
	return doc;
}

static json_t *csaf_status_group(json_t *ps, const char *group)
{
	json_t *g = json_object_get(ps, group);
	if (!g) {
		g = json_array();
		json_object_set_new(ps, group, g);
	}
	return g;
}

/* The member name of o as an array, created when absent. */
static json_t *csaf_array(json_t *o, const char *name)
{
	json_t *a = json_object_get(o, name);
	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(o, name, a);
	}
	return a;
}

/* The branch of category and name in the array branches, added when absent. */
static json_t *csaf_branch(json_t *branches, const char *category, const char *name, int *added)
{
	json_t *b;
	size_t i;
	json_array_foreach(branches, i, b)
	{
		if (vg_json_str(b, "category") && vg_json_str(b, "name") &&
		    strcmp(vg_json_str(b, "category"), category) == 0 &&
		    strcmp(vg_json_str(b, "name"), name) == 0)
			return b;
	}
	b = json_pack("{s:s, s:s}", "category", category, "name", name);
	json_array_append_new(branches, b);
	if (added)
		*added = 1;
	return b;
}

/* How many product_version branches the tree has (to number the next). */
static size_t csaf_count_versions(const json_t *branches)
{
	json_t *b;
	size_t i, n = 0;
	json_array_foreach(branches, i, b)
	{
		if (vg_json_str(b, "category") &&
		    strcmp(vg_json_str(b, "category"), "product_version") == 0)
			n++;
		n += csaf_count_versions(json_object_get(b, "branches"));
	}
	return n;
}

/* The vulnerability of doc named id (cve or ids[].text), added when absent. */
static json_t *csaf_vuln(json_t *vulns, const char *id, const char *summary, int *added)
{
	json_t *v;
	size_t i;
	*added = 0;
	json_array_foreach(vulns, i, v)
	{
		const char *c = vg_json_str(v, "cve");
		if (!c)
			c = vg_json_str(json_array_get(json_object_get(v, "ids"), 0), "text");
		if (c && strcmp(c, id) == 0)
			return v;
	}
	v = json_object();
	if (strncmp(id, "CVE-", 4) == 0)
		json_object_set_new(v, "cve", json_string(id));
	else
		json_object_set_new(v, "ids",
				    json_pack("[{s:s, s:s}]", "system_name",
					      strncmp(id, "GHSA-", 5) == 0 ? "GHSA" : "OSV", "text",
					      id));
	json_object_set_new(v, "notes",
			    json_pack("[{s:s, s:s, s:s}]", "category", "description", "title",
				      "Vulnerability description", "text", summary ? summary : id));
	json_object_set_new(v, "product_status", json_object());
	json_array_append_new(vulns, v);
	*added = 1;
	return v;
}

/* Whether pid is already in the array a. */
static int csaf_has(const json_t *a, const json_t *pid)
{
	json_t *x;
	size_t i;
	json_array_foreach(a, i, x) if (json_equal(x, pid)) return 1;
	return 0;
}

/* The vulnerability ids a filter accepts: each id given and the vulnerability
 * it is an alias of. */
static int csaf_filter(struct store *s, const struct vex_csaf_opts *o, json_t *set,
		       struct vg_error *err)
{
	for (size_t i = 0; i < o->nvulns; i++) {
		json_t *rows = NULL, *r;
		size_t j;
		int rc;
		json_object_set_new(set, o->vulns[i], json_true());
		rc = store_query_json(s, &rows, err,
				      "SELECT vuln_id FROM vuln_alias_view WHERE alias = ?", "t",
				      o->vulns[i]);
		if (rc)
			return rc;
		json_array_foreach(rows, j, r) if (vg_json_str(r, "vuln_id"))
		    json_object_set_new(set, vg_json_str(r, "vuln_id"), json_true());
		json_decref(rows);
	}
	return VG_OK;
}

/* The CVE alias of vulnerability vid (malloc'ed), or NULL. */
static char *csaf_cve_alias(struct store *s, const char *vid)
{
	char *cve = NULL;
	struct vg_error e = {0};
	if (store_query_text(s, &cve, &e,
			     "SELECT MIN(alias) FROM vuln_alias_view WHERE vuln_id = ? AND alias "
			     "LIKE 'CVE-%'",
			     "t", vid) != VG_OK)
		return NULL;
	return cve;
}

/* The CPE 2.3 name of a product version (vendor, product, version escaped),
 * written to out when it parses; "" otherwise. */
static void csaf_cpe(const char *vendor, const char *product, const char *version, char *out,
		     size_t n)
{
	struct vg_buf b = VG_BUF_INIT;
	const char *parts[3] = {vendor && *vendor ? vendor : "*", product, version};
	struct cpe c;
	out[0] = '\0';
	vg_buf_adds(&b, "cpe:2.3:a");
	for (int i = 0; i < 3; i++) {
		vg_buf_addc(&b, ':');
		if (strcmp(parts[i], "*") == 0) {
			vg_buf_addc(&b, '*');
			continue;
		}
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) {
			if (*p == ' ')
				vg_buf_addc(&b, '_');
			else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
				 *p == '_' || *p == '.' || *p == '-')
				vg_buf_addc(&b, (char)*p);
			else if (*p >= 'A' && *p <= 'Z')
				vg_buf_addc(&b, (char)(*p - 'A' + 'a'));
			else if (*p < 0x80)
				vg_buf_addf(&b, "\\%c", *p);
			else
				vg_buf_addc(&b, (char)*p);
		}
	}
	vg_buf_adds(&b, ":*:*:*:*:*:*:*");
	if (b.data && cpe_parse(b.data, &c, NULL) == VG_OK) {
		if (strlen(b.data) < n)
			snprintf(out, n, "%s", b.data);
		cpe_release(&c);
	}
	vg_buf_release(&b);
}

static int csaf_add_rows(struct store *s, const char *product, const char *version,
			 const char *vendor, const json_t *rows, const struct vex_csaf_opts *o,
			 json_t *doc, char *version_pid, size_t pidsz, struct vg_error *err)
{
	json_t *pt = json_object_get(doc, "product_tree"), *r, *vendorb, *prodb, *verb;
	json_t *fpn, *rels, *vulns, *accept = NULL;
	size_t i, k, npid;
	int added = 0, rc = VG_OK;
	char vpid[32];

	if (!json_is_object(pt)) {
		pt = json_object();
		json_object_set_new(doc, "product_tree", pt);
	}
	k = csaf_count_versions(json_object_get(pt, "branches"));
	vendorb =
	    csaf_branch(csaf_array(pt, "branches"), "vendor", vendor ? vendor : "vigil", NULL);
	prodb = csaf_branch(csaf_array(vendorb, "branches"), "product_name", product, NULL);
	verb = csaf_branch(csaf_array(prodb, "branches"), "product_version", version, &added);
	if (added) {
		char pname[600];
		snprintf(vpid, sizeof(vpid), "CSAFPID-%04zu", k + 1);
		snprintf(pname, sizeof(pname), "%s %s", product, version);
		char cpe[600];
		json_t *prod = json_pack("{s:s, s:s}", "product_id", vpid, "name", pname);
		csaf_cpe(vendor, product, version, cpe, sizeof(cpe));
		if (cpe[0])
			json_object_set_new(prod, "product_identification_helper",
					    json_pack("{s:s}", "cpe", cpe));
		json_object_set_new(verb, "product", prod);
	} else {
		snprintf(vpid, sizeof(vpid), "%s",
			 vg_json_str(json_object_get(verb, "product"), "product_id")
			     ? vg_json_str(json_object_get(verb, "product"), "product_id")
			     : "");
		k = 0;
		/* the version's number is in its product id */
		if (strlen(vpid) > 8)
			k = (size_t)strtoul(vpid + 8, NULL, 10) - 1;
	}
	if (version_pid)
		snprintf(version_pid, pidsz, "%s", vpid);
	fpn = csaf_array(pt, "full_product_names");
	rels = csaf_array(pt, "relationships");
	vulns = csaf_array(doc, "vulnerabilities");
	npid = json_array_size(fpn);
	if (o && o->vulns) {
		accept = json_object();
		if ((rc = csaf_filter(s, o, accept, err))) {
			json_decref(accept);
			return rc;
		}
	}
	json_array_foreach(rows, i, r)
	{
		const char *purl = vg_json_str(r, "purl"), *st = vg_json_str(r, "state");
		const char *vid = vg_json_str(r, "vuln_id"),
			   *just = vg_json_str(r, "justification");
		json_t *ps, *cur, *fn = NULL, *x, *pid;
		char cpid[32], rpid[48], *cve = NULL;
		size_t j;
		if (accept && !json_object_get(accept, vid))
			continue;
		/* the component: one full product name per purl in the document */
		json_array_foreach(fpn, j, x)
		{
			const char *p = vg_json_str(
			    json_object_get(x, "product_identification_helper"), "purl");
			if (p && strcmp(p, purl) == 0)
				fn = x;
		}
		if (!fn) {
			snprintf(cpid, sizeof(cpid), "CSAFPID-C%04zu", ++npid);
			fn = json_pack("{s:s, s:s, s:{s:s}}", "product_id", cpid, "name",
				       vg_json_str(r, "cname"), "product_identification_helper",
				       "purl", purl);
			json_array_append_new(fpn, fn);
		}
		snprintf(cpid, sizeof(cpid), "%s", vg_json_str(fn, "product_id"));
		/* the component in this version: one relationship */
		if (k == 0)
			snprintf(rpid, sizeof(rpid), "CSAFPID-P-%s", cpid + 8);
		else
			snprintf(rpid, sizeof(rpid), "CSAFPID-P%zu-%s", k + 1, cpid + 8);
		{
			int have = 0;
			json_array_foreach(rels, j, x)
			{
				const char *id = vg_json_str(
				    json_object_get(x, "full_product_name"), "product_id");
				have |= id && strcmp(id, rpid) == 0;
			}
			if (!have) {
				char nm[600];
				snprintf(nm, sizeof(nm), "%s %s as a component of %s %s",
					 vg_json_str(r, "cname"),
					 vg_json_str(r, "cversion") ? vg_json_str(r, "cversion")
								    : "",
					 product, version);
				json_array_append_new(
				    rels,
				    json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "category",
					      "default_component_of", "product_reference", cpid,
					      "relates_to_product_reference", vpid,
					      "full_product_name", "product_id", rpid, "name", nm));
				json_object_set_new(
				    json_object_get(json_array_get(rels, json_array_size(rels) - 1),
						    "full_product_name"),
				    "product_identification_helper",
				    json_pack("{s:s}", "purl", purl));
			}
		}
		pid = json_string(rpid);
		if (o && o->prefer_cve && strncmp(vid, "CVE-", 4) != 0)
			cve = csaf_cve_alias(s, vid);
		cur = csaf_vuln(vulns, cve ? cve : vid, vg_json_str(r, "summary"), &added);
		if (added && cve)
			json_object_set_new(
			    cur, "ids",
			    json_pack("[{s:s, s:s}]", "system_name",
				      strncmp(vid, "GHSA-", 5) == 0 ? "GHSA" : "OSV", "text", vid));
		free(cve);
		ps = json_object_get(cur, "product_status");
		if (strcmp(st, "not_affected") == 0 || strcmp(st, "false_positive") == 0) {
			json_t *g = csaf_status_group(ps, "known_not_affected");
			if (!csaf_has(g, pid))
				json_array_append(g, pid);
			if (just)
				json_array_append_new(
				    csaf_array(cur, "flags"),
				    json_pack("{s:s, s:[O]}", "label", just, "product_ids", pid));
			else
				json_array_append_new(
				    csaf_array(cur, "threats"),
				    json_pack("{s:s, s:s, s:[O]}", "category", "impact", "details",
					      "False positive: the component is not affected "
					      "by this vulnerability.",
					      "product_ids", pid));
		} else if (strcmp(st, "affected") == 0 || strcmp(st, "in_remediation") == 0) {
			char det[300];
			json_t *g = csaf_status_group(ps, "known_affected");
			if (!csaf_has(g, pid))
				json_array_append(g, pid);
			if (fixed_in(r))
				snprintf(det, sizeof(det), "Update the component to %s or later.",
					 fixed_in(r));
			else
				snprintf(det, sizeof(det), "No fixed version is known yet.");
			json_array_append_new(
			    csaf_array(cur, "remediations"),
			    json_pack("{s:s, s:s, s:[O]}", "category",
				      fixed_in(r) ? "vendor_fix" : "none_available", "details", det,
				      "product_ids", pid));
		} else if (strcmp(st, "fixed") == 0) {
			json_t *g = csaf_status_group(ps, "fixed");
			if (!csaf_has(g, pid))
				json_array_append(g, pid);
		} else {
			json_t *g = csaf_status_group(ps, "under_investigation");
			if (!csaf_has(g, pid))
				json_array_append(g, pid);
		}
		json_decref(pid);
	}
	json_decref(accept);
	if (json_array_size(fpn) == 0) {
		json_object_del(pt, "full_product_names");
		json_object_del(pt, "relationships");
	}
	if (json_array_size(vulns) == 0)
		json_object_del(doc, "vulnerabilities");
	return rc;
}

static json_t *export_csaf(struct store *s, const char *product, const char *version,
			   const char *vendor, const json_t *rows, const char *ts)
{
	char tid[300], title[600];
	json_t *doc;
	struct vg_error e = {0};
	{
		char h[VG_SHA256_HEX], key[600];
		snprintf(key, sizeof(key), "%s\n%s", product, version);
		vg_sha256_hex(key, strlen(key), h);
		snprintf(tid, sizeof(tid), "VIGIL-VEX-%.12s-%s", h, ts);
	}
	snprintf(title, sizeof(title), "VEX for %s %s", product, version);
	doc = json_pack("{s:{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s, s:s, "
			"s:[{s:s, s:s, s:s}], s:{s:s, s:{s:s}}}}}",
			"document", "category", "csaf_vex", "csaf_version", "2.0", "lang", "en",
			"title", title, "publisher", "category", "vendor", "name",
			vendor ? vendor : "vigil", "namespace", "https://vigil.invalid", "tracking",
			"id", tid, "status", "final", "version", "1", "initial_release_date", ts,
			"current_release_date", ts, "revision_history", "date", ts, "number", "1",
			"summary", "Initial version.", "generator", "date", ts, "engine", "name",
			"vigil");
	if (doc && csaf_add_rows(s, product, version, vendor, rows, NULL, doc, NULL, 0, &e)) {
		json_decref(doc);
		doc = NULL;
	}
	return doc;
}

int vex_csaf_add(struct store *s, const char *product, const char *version,
		 const struct vex_csaf_opts *o, json_t *doc, char *version_pid, size_t pidsz,
		 struct vg_error *err)
{
	struct pv pv = {0, NULL};
	json_t *rows = NULL;
	int rc = find_version(s, product, version, &pv, err);
	if (rc)
		return rc;
	rc = load_rows(s, pv.version_id, &rows, err);
	if (!rc)
		rc = csaf_add_rows(s, product, version, pv.vendor, rows, o, doc, version_pid, pidsz,
				   err);
	json_decref(rows);
	free(pv.vendor);
	return rc;
}

static void pct(struct vg_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~')
			vg_buf_addc(b, (char)*p);
		else
			vg_buf_addf(b, "%%%02X", *p);
	}
}

static json_t *export_openvex(const char *product, const char *version, const json_t *rows,
			      const char *ts)
{
	char uuid[37], id[64];
	struct vg_buf pid = VG_BUF_INIT;
	json_t *stmts = json_array(), *r, *doc;
	size_t i;
	vg_uuid4(uuid);
	snprintf(id, sizeof(id), "urn:uuid:%s", uuid);
	vg_buf_adds(&pid, "pkg:generic/");
	pct(&pid, product);
	vg_buf_adds(&pid, "@");
	pct(&pid, version);
	json_array_foreach(rows, i, r)
	{
		const char *st = vg_json_str(r, "state"), *just = vg_json_str(r, "justification");
		json_t *s =
		    json_pack("{s:{s:s}, s:[{s:s, s:[{s:s}]}], s:s}", "vulnerability", "name",
			      vg_json_str(r, "vuln_id"), "products", "@id", pid.data,
			      "subcomponents", "@id", vg_json_str(r, "purl"), "timestamp", ts);
		if (strcmp(st, "not_affected") == 0) {
			json_object_set_new(s, "status", json_string("not_affected"));
			json_object_set_new(s, "justification", json_string(just ? just : ""));
		} else if (strcmp(st, "false_positive") == 0) {
			json_object_set_new(s, "status", json_string("not_affected"));
			json_object_set_new(
			    s, "impact_statement",
			    json_string("False positive: the component is not affected by this "
					"vulnerability."));
		} else if (strcmp(st, "affected") == 0 || strcmp(st, "in_remediation") == 0) {
			char act[300];
			json_object_set_new(s, "status", json_string("affected"));
			if (fixed_in(r))
				snprintf(act, sizeof(act), "Update the component to %s or later.",
					 fixed_in(r));
			else
				snprintf(act, sizeof(act), "No fixed version is known yet.");
			json_object_set_new(s, "action_statement", json_string(act));
		} else if (strcmp(st, "fixed") == 0) {
			json_object_set_new(s, "status", json_string("fixed"));
		} else {
			json_object_set_new(s, "status", json_string("under_investigation"));
		}
		if (vg_json_str(r, "detail"))
			json_object_set_new(s, "status_notes",
					    json_string(vg_json_str(r, "detail")));
		json_array_append_new(stmts, s);
	}
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o}", "@context",
			"https://openvex.dev/ns/v0.2.0", "@id", id, "author", "vigil", "role",
			"Document Creator", "timestamp", ts, "version", 1, "tooling", "vigil",
			"statements", stmts);
	vg_buf_release(&pid);
	return doc;
}

int vex_export(struct store *s, const char *product, const char *version, int format, json_t **out,
	       struct vg_error *err)
{
	struct pv pv = {0, NULL};
	json_t *rows = NULL, *doc = NULL;
	char ts[VG_TIME_BUFSZ];
	int rc;
	if (!format)
		return vg_error_set(err, VG_EINVAL, "format: expected cyclonedx, csaf or openvex");
	if ((rc = find_version(s, product, version, &pv, err)))
		return rc;
	rc = load_rows(s, pv.version_id, &rows, err);
	if (!rc) {
		vg_time_format(vg_now(), ts, sizeof(ts));
		if (format == VEX_CYCLONEDX)
			doc = export_cyclonedx(product, version, rows, ts);
		else if (format == VEX_CSAF)
			doc = export_csaf(s, product, version, pv.vendor, rows, ts);
		else
			doc = export_openvex(product, version, rows, ts);
		if (!doc)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	json_decref(rows);
	free(pv.vendor);
	if (!rc)
		*out = doc;
	return rc;
}

/* ---- import ---- */

struct stmt {
	char *vuln, *purl, *state, *just, *detail;
};

struct stmts {
	struct stmt *v;
	size_t n, cap;
};

static void stmts_free(struct stmts *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].vuln);
		free(l->v[i].purl);
		free(l->v[i].state);
		free(l->v[i].just);
		free(l->v[i].detail);
	}
	free(l->v);
}

static int add_stmt(struct stmts *l, const char *vuln, const char *purl, const char *state,
		    const char *just, const char *detail, struct vg_error *err)
{
	struct stmt *t;
	if (l->n >= VEX_MAX_STATEMENTS)
		return vg_error_set(err, VG_ETOOBIG, "more than %d statements", VEX_MAX_STATEMENTS);
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 32;
		struct stmt *nv = realloc(l->v, nc * sizeof(*nv));
		if (!nv)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		l->v = nv;
		l->cap = nc;
	}
	t = &l->v[l->n++];
	t->vuln = strdup(vuln);
	t->purl = strdup(purl);
	t->state = strdup(state);
	t->just = just ? strdup(just) : NULL;
	t->detail = detail && *detail ? strdup(detail) : NULL;
	return VG_OK;
}

static int bad(struct vg_error *err, const char *what, const char *ptr, const char *expected)
{
	return vg_error_set(err, VG_EPARSE, "%s: %s: expected %s", what, ptr, expected);
}

/* A justification of ours named at the start of a CycloneDX detail. */
static const char *detail_justification(const char *detail)
{
	static const char *const js[] = {"component_not_present",
					 "vulnerable_code_not_present",
					 "vulnerable_code_not_in_execute_path",
					 "vulnerable_code_cannot_be_controlled_by_adversary",
					 "inline_mitigations_already_exist",
					 NULL};
	for (int i = 0; detail && js[i]; i++) {
		size_t n = strlen(js[i]);
		if (strncmp(detail, js[i], n) == 0 && (detail[n] == '\0' || detail[n] == ':'))
			return js[i];
	}
	return NULL;
}

static int parse_cyclonedx(const json_t *doc, const char *what, struct stmts *l,
			   struct vg_error *err)
{
	json_t *vulns = json_object_get(doc, "vulnerabilities"), *v, *refs = json_object(), *c;
	size_t i, j;
	int rc = VG_OK;
	char ptr[96];
	/* bom-ref -> purl, so affects[].ref may name a component by its bom-ref. */
	json_array_foreach(json_object_get(doc, "components"), i, c)
	{
		if (vg_json_str(c, "bom-ref") && vg_json_str(c, "purl"))
			json_object_set_new(refs, vg_json_str(c, "bom-ref"),
					    json_string(vg_json_str(c, "purl")));
	}
	if (!json_is_array(vulns))
		rc = bad(err, what, "/vulnerabilities", "an array");
	json_array_foreach(vulns, i, v)
	{
		json_t *an = json_object_get(v, "analysis"), *a;
		const char *id = vg_json_str(v, "id"), *st = vg_json_str(an, "state");
		const char *cj = vg_json_str(an, "justification"),
			   *detail = vg_json_str(an, "detail");
		const char *state = NULL, *just = NULL;
		if (rc)
			break;
		snprintf(ptr, sizeof(ptr), "/vulnerabilities/%zu", i);
		if (!id) {
			rc = bad(err, what, ptr, "an id");
			break;
		}
		if (!st) {
			snprintf(ptr, sizeof(ptr), "/vulnerabilities/%zu/analysis/state", i);
			rc = bad(err, what, ptr, "an analysis state");
			break;
		}
		if (strcmp(st, "not_affected") == 0) {
			state = "not_affected";
			just = detail_justification(detail);
			if (!just && cj) {
				if (strcmp(cj, "code_not_present") == 0)
					just = "vulnerable_code_not_present";
				else if (strcmp(cj, "code_not_reachable") == 0)
					just = "vulnerable_code_not_in_execute_path";
				else if (strncmp(cj, "requires_", 9) == 0)
					just = "vulnerable_code_cannot_be_controlled_by_adversary";
				else if (strncmp(cj, "protected_", 10) == 0)
					just = "inline_mitigations_already_exist";
			}
			if (!just) {
				snprintf(ptr, sizeof(ptr),
					 "/vulnerabilities/%zu/analysis/justification", i);
				rc = bad(err, what, ptr, "a justification for not_affected");
				break;
			}
		} else if (strcmp(st, "false_positive") == 0) {
			state = "false_positive";
		} else if (strcmp(st, "exploitable") == 0) {
			state = "affected";
		} else if (strcmp(st, "in_triage") == 0) {
			state = "in_triage";
		} else if (strcmp(st, "resolved") == 0 ||
			   strcmp(st, "resolved_with_pedigree") == 0) {
			state = "fixed";
		} else {
			snprintf(ptr, sizeof(ptr), "/vulnerabilities/%zu/analysis/state", i);
			rc = bad(err, what, ptr,
				 "resolved, resolved_with_pedigree, exploitable, in_triage, "
				 "false_positive or not_affected");
			break;
		}
		if (just && detail && strncmp(detail, just, strlen(just)) == 0) {
			detail += strlen(just);
			while (*detail == ':' || *detail == ' ')
				detail++;
		}
		if (!json_array_size(json_object_get(v, "affects"))) {
			snprintf(ptr, sizeof(ptr), "/vulnerabilities/%zu/affects", i);
			rc = bad(err, what, ptr, "a non-empty array");
			break;
		}
		json_array_foreach(json_object_get(v, "affects"), j, a)
		{
			const char *ref = vg_json_str(a, "ref");
			const char *purl =
			    ref ? json_string_value(json_object_get(refs, ref)) : NULL;
			if (!purl && ref && strncmp(ref, "pkg:", 4) == 0)
				purl = ref;
			if (!purl) {
				snprintf(ptr, sizeof(ptr), "/vulnerabilities/%zu/affects/%zu/ref",
					 i, j);
				rc = bad(err, what, ptr, "a component bom-ref with a purl");
				break;
			}
			if ((rc = add_stmt(l, id, purl, state, just, detail, err)))
				break;
		}
	}
	json_decref(refs);
	return rc;
}

static void csaf_collect_branches(const json_t *branches, json_t *map)
{
	size_t i;
	json_t *b;
	json_array_foreach(branches, i, b)
	{
		json_t *p = json_object_get(b, "product");
		const char *purl =
		    vg_json_str(json_object_get(p, "product_identification_helper"), "purl");
		if (purl && vg_json_str(p, "product_id"))
			json_object_set_new(map, vg_json_str(p, "product_id"), json_string(purl));
		csaf_collect_branches(json_object_get(b, "branches"), map);
	}
}

static int parse_csaf(const json_t *doc, const char *what, struct stmts *l, struct vg_error *err)
{
	static const struct {
		const char *group, *state;
	} groups[] = {{"known_not_affected", "not_affected"},
		      {"known_affected", "affected"},
		      {"fixed", "fixed"},
		      {"first_fixed", "fixed"},
		      {"under_investigation", "in_triage"}};
	json_t *pt = json_object_get(doc, "product_tree"), *map = json_object(), *x, *v;
	size_t i, j, k;
	int rc = VG_OK;
	char ptr[128];
	csaf_collect_branches(json_object_get(pt, "branches"), map);
	json_array_foreach(json_object_get(pt, "full_product_names"), i, x)
	{
		const char *purl =
		    vg_json_str(json_object_get(x, "product_identification_helper"), "purl");
		if (purl && vg_json_str(x, "product_id"))
			json_object_set_new(map, vg_json_str(x, "product_id"), json_string(purl));
	}
	json_array_foreach(json_object_get(pt, "relationships"), i, x)
	{
		json_t *comp = json_object_get(map, vg_json_str(x, "product_reference")
							? vg_json_str(x, "product_reference")
							: "");
		const char *id = vg_json_str(json_object_get(x, "full_product_name"), "product_id");
		if (comp && id)
			json_object_set(map, id, comp);
	}
	if (!json_is_array(json_object_get(doc, "vulnerabilities")))
		rc = bad(err, what, "/vulnerabilities", "an array");
	json_array_foreach(json_object_get(doc, "vulnerabilities"), i, v)
	{
		const char *id = vg_json_str(v, "cve");
		json_t *ps = json_object_get(v, "product_status");
		if (rc)
			break;
		if (!id)
			id = vg_json_str(json_array_get(json_object_get(v, "ids"), 0), "text");
		if (!id) {
			snprintf(ptr, sizeof(ptr), "/vulnerabilities/%zu", i);
			rc = bad(err, what, ptr, "cve or ids");
			break;
		}
		if (!json_is_object(ps)) {
			snprintf(ptr, sizeof(ptr), "/vulnerabilities/%zu/product_status", i);
			rc = bad(err, what, ptr, "an object");
			break;
		}
		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]) && !rc; g++) {
			json_t *pid;
			json_array_foreach(json_object_get(ps, groups[g].group), j, pid)
			{
				const char *p = json_string_value(pid);
				const char *purl =
				    p ? json_string_value(json_object_get(map, p)) : NULL;
				const char *state = groups[g].state, *just = NULL;
				json_t *fl, *th;
				if (!purl) {
					snprintf(ptr, sizeof(ptr),
						 "/vulnerabilities/%zu/product_status/%s/%zu", i,
						 groups[g].group, j);
					rc = bad(
					    err, what, ptr,
					    "a product id defined in the product tree with a purl");
					break;
				}
				if (strcmp(state, "not_affected") == 0) {
					json_array_foreach(json_object_get(v, "flags"), k, fl)
					{
						json_t *q;
						size_t m;
						json_array_foreach(
						    json_object_get(fl, "product_ids"), m,
						    q) if (json_is_string(q) &&
							   strcmp(json_string_value(q), p) == 0 &&
							   triage_justification_valid(
							       vg_json_str(fl, "label"))) just =
						    vg_json_str(fl, "label");
					}
					if (!just) {
						json_array_foreach(json_object_get(v, "threats"), k,
								   th)
						{
							const char *d = vg_json_str(th, "details");
							if (d &&
							    strncmp(d, "False positive", 14) == 0)
								state = "false_positive";
						}
					}
					if (!just && strcmp(state, "false_positive") != 0) {
						snprintf(ptr, sizeof(ptr),
							 "/vulnerabilities/%zu/flags", i);
						rc = bad(
						    err, what, ptr,
						    "a flag with a justification label for each "
						    "known_not_affected product");
						break;
					}
				}
				if ((rc = add_stmt(l, id, purl, state, just, NULL, err)))
					break;
			}
		}
	}
	json_decref(map);
	return rc;
}

static int parse_openvex(const json_t *doc, const char *what, struct stmts *l, struct vg_error *err)
{
	json_t *s;
	size_t i, j, k;
	int rc = VG_OK;
	char ptr[96];
	if (!json_is_array(json_object_get(doc, "statements")))
		return bad(err, what, "/statements", "an array");
	json_array_foreach(json_object_get(doc, "statements"), i, s)
	{
		json_t *vuln = json_object_get(s, "vulnerability"), *p;
		const char *id =
		    json_is_string(vuln) ? json_string_value(vuln) : vg_json_str(vuln, "name");
		const char *st = vg_json_str(s, "status"), *just = vg_json_str(s, "justification");
		const char *state;
		if (!id) {
			snprintf(ptr, sizeof(ptr), "/statements/%zu/vulnerability", i);
			return bad(err, what, ptr, "a vulnerability name");
		}
		if (!st) {
			snprintf(ptr, sizeof(ptr), "/statements/%zu/status", i);
			return bad(err, what, ptr, "a status");
		}
		if (strcmp(st, "not_affected") == 0) {
			const char *imp = vg_json_str(s, "impact_statement");
			if (just && triage_justification_valid(just)) {
				state = "not_affected";
			} else if (!just && imp && strncmp(imp, "False positive", 14) == 0) {
				state = "false_positive";
			} else {
				snprintf(ptr, sizeof(ptr), "/statements/%zu/justification", i);
				return bad(err, what, ptr,
					   "component_not_present, vulnerable_code_not_present, "
					   "vulnerable_code_not_in_execute_path, "
					   "vulnerable_code_cannot_be_controlled_by_adversary or "
					   "inline_mitigations_already_exist");
			}
		} else if (strcmp(st, "affected") == 0) {
			state = "affected";
			just = NULL;
		} else if (strcmp(st, "fixed") == 0) {
			state = "fixed";
			just = NULL;
		} else if (strcmp(st, "under_investigation") == 0) {
			state = "in_triage";
			just = NULL;
		} else {
			snprintf(ptr, sizeof(ptr), "/statements/%zu/status", i);
			return bad(err, what, ptr,
				   "not_affected, affected, fixed or under_investigation");
		}
		if (!json_array_size(json_object_get(s, "products"))) {
			snprintf(ptr, sizeof(ptr), "/statements/%zu/products", i);
			return bad(err, what, ptr, "a non-empty array");
		}
		json_array_foreach(json_object_get(s, "products"), j, p)
		{
			json_t *sub = json_object_get(p, "subcomponents"), *c;
			if (json_array_size(sub)) {
				json_array_foreach(sub, k, c)
				{
					const char *purl = vg_json_str(c, "@id");
					if (!purl) {
						snprintf(ptr, sizeof(ptr),
							 "/statements/%zu/products/%zu/"
							 "subcomponents/%zu",
							 i, j, k);
						return bad(err, what, ptr, "an @id");
					}
					if ((rc = add_stmt(l, id, purl, state, just,
							   vg_json_str(s, "status_notes"), err)))
						return rc;
				}
			} else if (vg_json_str(p, "@id")) {
				if ((rc = add_stmt(l, id, vg_json_str(p, "@id"), state, just,
						   vg_json_str(s, "status_notes"), err)))
					return rc;
			} else {
				snprintf(ptr, sizeof(ptr), "/statements/%zu/products/%zu", i, j);
				return bad(err, what, ptr, "an @id or subcomponents");
			}
		}
	}
	return rc;
}

/* The finding of statement t in the version: same purl, else same package. */
static int match_finding(struct store *s, int64_t version_id, const struct stmt *t, int64_t *id,
			 struct vg_error *err)
{
	char pkg[1024];
	json_t *rows = NULL, *r;
	size_t i;
	int rc = store_query_json(
	    s, &rows, err,
	    "SELECT f.id, f.purl FROM findings f WHERE f.version_id = ? AND f.retracted_at IS "
	    "NULL AND f.vuln_id = COALESCE((SELECT a.vuln_id FROM vuln_alias_view a WHERE a.alias "
	    "= "
	    "?), ?) ORDER BY f.id",
	    "itt", version_id, t->vuln, t->vuln);
	*id = 0;
	if (rc)
		return rc;
	json_array_foreach(rows, i, r) if (strcmp(vg_json_str(r, "purl"), t->purl) == 0) *id =
	    json_integer_value(json_object_get(r, "id"));
	if (!*id) {
		char other[1024];
		triage_purl_package(t->purl, pkg, sizeof(pkg));
		json_array_foreach(rows, i, r)
		{
			triage_purl_package(vg_json_str(r, "purl"), other, sizeof(other));
			if (!*id && strcmp(pkg, other) == 0)
				*id = json_integer_value(json_object_get(r, "id"));
		}
	}
	json_decref(rows);
	return VG_OK;
}

/* Parse and check a VEX document into statements (no database). */
static int parse_doc(const char *data, size_t n, const char *what, struct stmts *l, int *fmt,
		     struct vg_error *err)
{
	json_t *doc;
	const char *ctx;
	int rc;
	*fmt = 0;
	if (!(doc = vg_json_parse(data, n, what, err)))
		return err->code ? err->code : VG_EPARSE;
	ctx = vg_json_str(doc, "@context");
	if (!json_is_object(doc))
		rc = bad(err, what, "/", "a JSON object");
	else if (vg_json_str(doc, "bomFormat") &&
		 strcmp(vg_json_str(doc, "bomFormat"), "CycloneDX") == 0)
		rc = parse_cyclonedx(doc, what, l, err), *fmt = VEX_CYCLONEDX;
	else if (ctx && strncmp(ctx, "https://openvex.dev/ns", 22) == 0)
		rc = parse_openvex(doc, what, l, err), *fmt = VEX_OPENVEX;
	else if (vg_json_str(json_object_get(doc, "document"), "category") &&
		 strcmp(vg_json_str(json_object_get(doc, "document"), "category"), "csaf_vex") == 0)
		rc = parse_csaf(doc, what, l, err), *fmt = VEX_CSAF;
	else
		rc = bad(err, what, "/",
			 "a CycloneDX BOM (bomFormat), an OpenVEX document (@context) or a CSAF "
			 "csaf_vex document (/document/category)");
	json_decref(doc);
	return rc;
}

int vex_check(const char *data, size_t n, const char *what, struct vex_import_stats *st,
	      struct vg_error *err)
{
	struct stmts l = {0};
	int fmt, rc = parse_doc(data, n, what, &l, &fmt, err);
	memset(st, 0, sizeof(*st));
	st->format = fmt;
	st->statements = (long)l.n;
	stmts_free(&l);
	return rc;
}

int vex_import(struct store *s, const char *data, size_t n, const char *what, const char *product,
	       const char *version, struct vex_import_stats *st, struct vg_error *err)
{
	struct pv pv = {0, NULL};
	struct stmts l = {0};
	int rc, fmt = 0;

	memset(st, 0, sizeof(*st));
	rc = parse_doc(data, n, what, &l, &fmt, err);
	st->format = fmt;
	st->statements = (long)l.n;
	if (!rc)
		rc = find_version(s, product, version, &pv, err);
	if (!rc && l.n) {
		char comment[600];
		snprintf(comment, sizeof(comment), "VEX import from %s", what);
		rc = store_tx_begin(s, err);
		for (size_t i = 0; !rc && i < l.n; i++) {
			int64_t id;
			int changed = 0;
			rc = match_finding(s, pv.version_id, &l.v[i], &id, err);
			if (rc)
				break;
			if (!id) {
				st->unmatched++;
				continue;
			}
			rc = triage_set_in_tx(s, id, l.v[i].state, l.v[i].just,
					      l.v[i].detail ? l.v[i].detail : comment,
					      "finding.vex_import", &changed, err);
			if (changed)
				st->applied++;
			else
				st->unchanged++;
		}
		if (store_in_tx(s)) {
			if (!rc && st->applied == 0)
				store_tx_rollback(s);
			else if (!rc)
				rc = store_tx_commit(s, err);
			else
				store_tx_rollback(s);
		}
	}
	free(pv.vendor);
	stmts_free(&l);
	return rc;
}
