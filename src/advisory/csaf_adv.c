/*
 * csaf_adv.c - CSAF security advisories drafted from PSIRT cases: the
 * document built from what vigil knows, revisions, edits, approval,
 * publication through the provider, withdrawal (see csaf_adv.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "advisory/csaf_adv.h"
#include "advisory/csaf_check.h"
#include "advisory/provider.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "psirt/cases.h"
#include "psirt/review.h"
#include "psirt/usernotice.h"
#include "store/store.h"
#include "triage/vex.h"
#include "vuln/cvss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define ADV_MAX_VERSIONS 64
#define ADV_MAX_VULNS    256
#define ADV_MAX_EDITS    64

/* ---- settings ---- */

static const char *org_name(void)
{
	return provider_org_name();
}

/* The provider's base URL without a trailing slash. */
static void base_url(char *out, size_t n)
{
	const char *b = vg_config_get("server.public_url", "");
	if (!b || !*b)
		b = "https://vigil.invalid";
	snprintf(out, n, "%s", b);
	size_t l = strlen(out);
	while (l > 0 && out[l - 1] == '/')
		out[--l] = '\0';
}

static const char *id_prefix(void)
{
	const char *p = vg_config_get("advisory.id_prefix", "VIGIL-SA");
	return p && *p ? p : "VIGIL-SA";
}

/* ---- small JSON helpers ---- */

static json_t *arr(json_t *o, const char *name)
{
	json_t *a = json_object_get(o, name);
	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(o, name, a);
	}
	return a;
}

static void add_unique(json_t *a, const char *s)
{
	json_t *v;
	size_t i;
	if (!s || !*s)
		return;
	json_array_foreach(a, i,
			   v) if (json_is_string(v) && strcmp(json_string_value(v), s) == 0) return;
	json_array_append_new(a, json_string(s));
}

static char *dump(const json_t *doc)
{
	return json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
}

static void ts(int64_t t, char out[VG_TIME_BUFSZ])
{
	vg_time_format(t, out, VG_TIME_BUFSZ);
}

/* The name a vulnerability entry goes by: cve, else ids[0].text. */
static const char *vuln_name(const json_t *v)
{
	const char *c = vg_json_str(v, "cve");
	return c ? c : vg_json_str(json_array_get(json_object_get(v, "ids"), 0), "text");
}

/* ---- building the document from the case ---- */

/* The product versions and vulnerabilities of a case. */
struct scope {
	json_t *versions; /* [[product, version]] */
	json_t *vulns;    /* ["CVE-...", ...] */
};

static void scope_version(struct scope *sc, const char *product, const char *version)
{
	json_t *x;
	size_t i;
	if (!product || !*product || !version || !*version)
		return;
	json_array_foreach(sc->versions, i, x)
	{
		if (strcmp(json_string_value(json_array_get(x, 0)), product) == 0 &&
		    strcmp(json_string_value(json_array_get(x, 1)), version) == 0)
			return;
	}
	if (json_array_size(sc->versions) < ADV_MAX_VERSIONS)
		json_array_append_new(sc->versions, json_pack("[s, s]", product, version));
}

static int case_scope(struct store *s, const struct psirt_case *c, struct scope *sc,
		      struct vg_error *err)
{
	int rc = VG_OK;
	sc->versions = json_array();
	sc->vulns = json_array();
	scope_version(sc, c->product, c->product_version);
	for (size_t i = 0; i < c->nlinks && !rc; i++) {
		const char *k = c->links[i].kind, *v = c->links[i].value;
		if (!k || !v)
			continue;
		if (strcmp(k, "version") == 0) {
			scope_version(sc, c->product, v);
		} else if (strcmp(k, "cve") == 0 || strcmp(k, "ghsa") == 0) {
			if (json_array_size(sc->vulns) < ADV_MAX_VULNS)
				add_unique(sc->vulns, v);
		} else if (strcmp(k, "finding") == 0) {
			json_t *rows = NULL, *r;
			size_t j;
			int64_t fid = strtoll(v, NULL, 10);
			rc = store_query_json(s, &rows, err,
					      "SELECT v.product, v.version, f.vuln_id FROM "
					      "triage_finding_view f JOIN "
					      "sbom_version_view v ON v.version_id = f.version_id "
					      "WHERE f.finding_id = ?",
					      "i", fid);
			json_array_foreach(rows, j, r)
			{
				scope_version(sc, vg_json_str(r, "product"),
					      vg_json_str(r, "version"));
				if (json_array_size(sc->vulns) < ADV_MAX_VULNS)
					add_unique(sc->vulns, vg_json_str(r, "vuln_id"));
			}
			json_decref(rows);
		}
	}
	return rc;
}

/* The pid of every product in product_status group g of vulnerability v. */
static json_t *status_ids(const json_t *v, const char *g)
{
	return json_object_get(json_object_get(v, "product_status"), g);
}

/* The best CVSS vectors known for vulnerability name (by id or alias):
 * *v3 (3.x) and *v4 (4.0), malloc'ed or NULL. */
static int best_vectors(struct store *s, const char *name, char **v3, char **v4,
			struct vg_error *err)
{
	json_t *rows = NULL, *r;
	size_t i, j;
	double b3 = -1, b4 = -1;
	int rc = store_query_json(
	    s, &rows, err,
	    "SELECT record_json FROM vuln_advisory_view WHERE (vuln_id = ? OR vuln_id IN (SELECT "
	    "vuln_id FROM vuln_alias_view WHERE alias = ?)) AND (withdrawn IS NULL OR withdrawn = "
	    "0)",
	    "tt", name, name);
	*v3 = *v4 = NULL;
	if (rc)
		return rc;
	json_array_foreach(rows, i, r)
	{
		json_t *rec = json_object_get(r, "record"), *x;
		if (json_is_string(rec))
			continue;
		json_array_foreach(json_object_get(rec, "severity"), j, x)
		{
			const char *vec = vg_json_str(x, "score");
			struct cvss c;
			double sc;
			if (!vec || cvss_parse(vec, &c, NULL) != VG_OK)
				continue;
			sc = cvss_base_score(&c);
			if ((c.version == CVSS_V3_1 || c.version == CVSS_V3_0) && sc > b3) {
				free(*v3);
				*v3 = strdup(vec);
				b3 = sc;
			} else if (c.version == CVSS_V4_0 && sc > b4) {
				free(*v4);
				*v4 = strdup(vec);
				b4 = sc;
			}
		}
	}
	json_decref(rows);
	return VG_OK;
}

static void upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

/* The score object of a CVSS v3.x vector for CSAF (cvss_v3), or NULL. */
static json_t *cvss_v3_json(const char *vec)
{
	struct cvss c;
	char sev[16];
	double sc;
	if (cvss_parse(vec, &c, NULL) != VG_OK ||
	    (c.version != CVSS_V3_0 && c.version != CVSS_V3_1))
		return NULL;
	sc = cvss_base_score(&c);
	snprintf(sev, sizeof(sev), "%s", cvss_severity(sc));
	upper(sev);
	return json_pack("{s:s, s:s, s:f, s:s}", "version", c.version == CVSS_V3_1 ? "3.1" : "3.0",
			 "vectorString", vec, "baseScore", sc, "baseSeverity", sev);
}

/* Scores, CWE, references, threats (KEV, Article 14 exposures) of one
 * vulnerability entry. */
static int enrich_vuln(struct store *s, const struct psirt_case *c, json_t *v, struct vg_error *err)
{
	const char *name = vuln_name(v);
	json_t *affected = status_ids(v, "known_affected"), *rows = NULL, *r;
	char *v3 = NULL, *v4 = NULL, url[300];
	size_t i;
	int rc;
	if (!name)
		return VG_OK;
	rc = best_vectors(s, name, &v3, &v4, err);
	if (rc)
		return rc;
	if (v3 && json_array_size(affected)) {
		json_t *o = cvss_v3_json(v3);
		if (o)
			json_array_append_new(arr(v, "scores"), json_pack("{s:o, s:O}", "cvss_v3",
									  o, "products", affected));
	}
	if (v4) {
		struct cvss cv;
		char line[400];
		if (cvss_parse(v4, &cv, NULL) == VG_OK) {
			/* CSAF 2.0 has no cvss_v4 score object (2.1 has): a note. */
			snprintf(line, sizeof(line), "CVSS v4.0 base score %.1f (%s): %s",
				 cvss_base_score(&cv), cvss_severity(cvss_base_score(&cv)), v4);
			json_array_append_new(arr(v, "notes"),
					      json_pack("{s:s, s:s, s:s}", "category", "other",
							"title", "CVSS v4.0", "text", line));
		}
	}
	free(v3);
	free(v4);
	if (strncmp(name, "CVE-", 4) == 0) {
		snprintf(url, sizeof(url), "https://www.cve.org/CVERecord?id=%s", name);
		json_array_append_new(arr(v, "references"),
				      json_pack("{s:s, s:s, s:s}", "category", "external",
						"summary", "CVE record", "url", url));
	}
	/* CWE: kept by a feed's record with its name (CSAF needs both) */
	rc = store_query_json(
	    s, &rows, err,
	    "SELECT record_json FROM vuln_advisory_view WHERE vuln_id = ? OR vuln_id IN (SELECT "
	    "vuln_id FROM vuln_alias_view WHERE alias = ?)",
	    "tt", name, name);
	if (rc)
		return rc;
	json_array_foreach(rows, i, r)
	{
		json_t *cwe = json_object_get(
		    json_object_get(json_object_get(r, "record"), "database_specific"), "cwe");
		if (!json_object_get(v, "cwe") && vg_json_str(cwe, "id") &&
		    vg_json_str(cwe, "name"))
			json_object_set_new(v, "cwe",
					    json_pack("{s:s, s:s}", "id", vg_json_str(cwe, "id"),
						      "name", vg_json_str(cwe, "name")));
	}
	json_decref(rows);
	rows = NULL;
	/* exploitation: CISA KEV, the case's Article 14 exposures */
	rc = store_query_json(s, &rows, err,
			      "SELECT cve_id, date_added FROM vuln_kev_view WHERE cve_id = ?", "t",
			      name);
	if (rc)
		return rc;
	if (json_array_size(rows)) {
		char det[300];
		snprintf(
		    det, sizeof(det),
		    "Exploited in the wild: listed in the CISA Known Exploited Vulnerabilities "
		    "catalogue%s%s.",
		    vg_json_str(json_array_get(rows, 0), "date_added") ? " since " : "",
		    vg_json_str(json_array_get(rows, 0), "date_added")
			? vg_json_str(json_array_get(rows, 0), "date_added")
			: "");
		json_array_append_new(
		    arr(v, "threats"),
		    json_pack("{s:s, s:s}", "category", "exploit_status", "details", det));
	} else if (c->nexposures) {
		json_array_append_new(arr(v, "threats"),
				      json_pack("{s:s, s:s}", "category", "exploit_status",
						"details",
						"Actively exploited: reported under Article 14 of "
						"the EU Cyber Resilience Act."));
	}
	json_decref(rows);
	return VG_OK;
}

/* The releases that fix the case's vulnerabilities: the fixed version in
 * the tree, "fixed" status and a vendor_fix remediation for the affected. */
static int add_fixes(struct store *s, const struct psirt_case *c, json_t *doc, struct vg_error *err)
{
	json_t *vulns = json_object_get(doc, "vulnerabilities");
	for (size_t i = 0; i < c->nfixes; i++) {
		const struct psirt_case_fix *f = &c->fixes[i];
		char pid[64], day[VG_TIME_BUFSZ], det[600];
		struct vex_csaf_opts o = {NULL, 0, 1};
		const char *none[] = {"-"};
		json_t *v;
		size_t j;
		int rc;
		o.vulns = none;
		o.nvulns = 1; /* the version's branch only */
		rc = vex_csaf_add(s, f->product, f->version, &o, doc, pid, sizeof(pid), err);
		if (rc == VG_ENOTFOUND)
			continue;
		if (rc)
			return rc;
		ts(f->published_at, day);
		snprintf(det, sizeof(det), "Update to %s %s (released %s).", f->product, f->version,
			 day);
		json_array_foreach(vulns, j, v)
		{
			const char *n = vuln_name(v);
			json_t *aff = status_ids(v, "known_affected"),
			       *inv = status_ids(v, "under_investigation"), *ids;
			if (!n || !f->vulns || !strstr(f->vulns, n))
				continue;
			add_unique(arr(json_object_get(v, "product_status"), "fixed"), pid);
			ids = json_array_size(aff) ? json_deep_copy(aff) : json_array();
			if (inv)
				json_array_extend(ids, inv);
			if (!json_array_size(ids))
				json_array_append_new(ids, json_string(pid));
			json_array_append_new(arr(v, "remediations"),
					      json_pack("{s:s, s:s, s:o, s:s}", "category",
							"vendor_fix", "details", det, "product_ids",
							ids, "date", day));
		}
	}
	return VG_OK;
}

/* The tracking of a document: vigil's (see csaf_adv.h). history is the
 * published revision history (may be NULL), next the entry to add (NULL:
 * the draft's "0"). */
static void set_tracking(json_t *doc, const char *id, const char *status, const char *version,
			 int64_t initial, int64_t current, const json_t *history,
			 const json_t *next)
{
	json_t *d = json_object_get(doc, "document"), *t, *h;
	char a[VG_TIME_BUFSZ], b[VG_TIME_BUFSZ];
	ts(initial, a);
	ts(current, b);
	h = history ? json_deep_copy(history) : json_array();
	if (next)
		json_array_append(h, (json_t *)next);
	else if (!json_array_size(h))
		json_array_append_new(
		    h, json_pack("{s:s, s:s, s:s}", "date", a, "number", "0", "summary", "Draft."));
	t = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:{s:s, s:{s:s}}}", "id", id, "status",
		      status, "version", version, "initial_release_date", a, "current_release_date",
		      b, "revision_history", h, "generator", "date", b, "engine", "name", "vigil");
	json_object_set_new(d, "tracking", t);
}

static void set_self_reference(json_t *doc, const char *tlp, int64_t initial, const char *id)
{
	char path[600], url[900], base[400];
	json_t *refs = arr(json_object_get(doc, "document"), "references"), *r;
	size_t i;
	if (csaf_document_path(tlp, initial, id, path, sizeof(path)) != VG_OK)
		return;
	base_url(base, sizeof(base));
	snprintf(url, sizeof(url), "%s%s", base, path);
	json_array_foreach(refs, i, r)
	{
		if (vg_json_str(r, "category") && strcmp(vg_json_str(r, "category"), "self") == 0) {
			json_object_set_new(r, "url", json_string(url));
			return;
		}
	}
	json_array_insert_new(refs, 0,
			      json_pack("{s:s, s:s, s:s}", "category", "self", "summary",
					"Canonical URL", "url", url));
}

int advisory_build(struct store *s, int64_t case_id, const char *tracking_id, json_t **out,
		   struct vg_error *err)
{
	struct psirt_case c = {0};
	struct scope sc = {NULL, NULL};
	json_t *doc = NULL, *x, *v;
	const char **vl = NULL;
	char title[600], ns[400], summary[2000], vpid0[64] = "";
	size_t i, j;
	int64_t now = vg_now();
	int rc;

	*out = NULL;
	rc = case_get(s, case_id, &c, err);
	if (rc)
		return rc;
	rc = case_scope(s, &c, &sc, err);
	if (rc)
		goto out;
	base_url(ns, sizeof(ns));
	snprintf(title, sizeof(title), "%s", c.title && *c.title ? c.title : "Security advisory");
	doc = json_pack("{s:{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:{s:{s:s, s:s}}}}", "document",
			"category", "csaf_security_advisory", "csaf_version", "2.0", "lang", "en",
			"title", title, "publisher", "category", "vendor", "name", org_name(),
			"namespace", ns, "distribution", "tlp", "label", "WHITE", "url",
			"https://www.first.org/tlp/");
	if (!doc) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	vl = calloc(json_array_size(sc.vulns) + 1, sizeof(*vl));
	if (!vl) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(sc.vulns, i, x) vl[i] = json_string_value(x);
	json_array_foreach(sc.versions, i, x)
	{
		struct vex_csaf_opts o = {vl, json_array_size(sc.vulns), 1};
		char pid[64];
		if (!o.nvulns) { /* no vulnerability named yet: the versions' branches */
			static const char *none[] = {"-"};
			o.vulns = none;
			o.nvulns = 1;
		}
		rc = vex_csaf_add(s, json_string_value(json_array_get(x, 0)),
				  json_string_value(json_array_get(x, 1)), &o, doc, pid,
				  sizeof(pid), err);
		if (rc == VG_ENOTFOUND) { /* a version vigil has no SBOM for */
			rc = VG_OK;
			continue;
		}
		if (rc)
			goto out;
		if (!vpid0[0])
			snprintf(vpid0, sizeof(vpid0), "%s", pid);
	}
	if (!json_object_get(doc, "product_tree") && c.product) {
		/* nothing in the inventory: the case's product as the reporter named it */
		char pname[600];
		snprintf(pname, sizeof(pname), "%s%s%s", c.product, c.product_version ? " " : "",
			 c.product_version ? c.product_version : "");
		snprintf(vpid0, sizeof(vpid0), "CSAFPID-0001");
		json_object_set_new(
		    doc, "product_tree",
		    json_pack("{s:[{s:s, s:s, s:[{s:s, s:s, s:[{s:s, s:s, s:{s:s, s:s}}]}]}]}",
			      "branches", "category", "vendor", "name", org_name(), "branches",
			      "category", "product_name", "name", c.product, "branches", "category",
			      "product_version", "name",
			      c.product_version ? c.product_version : "unspecified", "product",
			      "product_id", vpid0, "name", pname));
	}
	/* every vulnerability of the case has an entry: the case's version affected */
	json_array_foreach(sc.vulns, i, x)
	{
		const char *n = json_string_value(x);
		int have = 0;
		json_array_foreach(json_object_get(doc, "vulnerabilities"), j, v)
		{
			const char *m = vuln_name(v);
			json_t *y;
			size_t k;
			have |= m && strcmp(m, n) == 0;
			json_array_foreach(json_object_get(v, "ids"), k, y) have |=
			    vg_json_str(y, "text") && strcmp(vg_json_str(y, "text"), n) == 0;
		}
		if (have || !vpid0[0])
			continue;
		v = json_object();
		if (strncmp(n, "CVE-", 4) == 0)
			json_object_set_new(v, "cve", json_string(n));
		else
			json_object_set_new(v, "ids",
					    json_pack("[{s:s, s:s}]", "system_name",
						      strncmp(n, "GHSA-", 5) == 0 ? "GHSA" : "OSV",
						      "text", n));
		json_object_set_new(v, "notes",
				    json_pack("[{s:s, s:s, s:s}]", "category", "description",
					      "title", "Vulnerability description", "text",
					      c.title ? c.title : n));
		json_object_set_new(v, "product_status",
				    json_pack("{s:[s]}", "known_affected", vpid0));
		json_array_append_new(arr(doc, "vulnerabilities"), v);
	}
	rc = add_fixes(s, &c, doc, err);
	json_array_foreach(json_object_get(doc, "vulnerabilities"), i, v)
	{
		if (rc)
			break;
		rc = enrich_vuln(s, &c, v, err);
		if (c.received_at) {
			char d[VG_TIME_BUFSZ];
			ts(c.received_at, d);
			json_object_set_new(v, "discovery_date", json_string(d));
		}
	}
	if (rc)
		goto out;
	/* the document's notes, acknowledgments and references */
	{
		struct vg_buf b = VG_BUF_INIT;
		json_t *vv;
		vg_buf_addf(&b, "%s affects %s", title, c.product ? c.product : "the product");
		json_array_foreach(sc.versions, i, x) vg_buf_addf(
		    &b, "%s%s", i ? ", " : " ", json_string_value(json_array_get(x, 1)));
		vg_buf_adds(&b, ".");
		if (c.nfixes)
			vg_buf_addf(&b, " Version %s fixes it: update.",
				    c.fixes[c.nfixes - 1].version);
		snprintf(summary, sizeof(summary), "%s", b.data ? b.data : title);
		vg_buf_release(&b);
		json_object_set_new(
		    json_object_get(doc, "document"), "notes",
		    json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}]", "category", "summary", "title",
			      "Summary", "text", summary, "category", "legal_disclaimer", "title",
			      "Terms of use", "text",
			      "This advisory is provided as is, to inform users of the "
			      "products named about the vulnerabilities described."));
		(void)vv;
	}
	if (c.credit_consent && c.credit && *c.credit)
		json_object_set_new(json_object_get(doc, "document"), "acknowledgments",
				    json_pack("[{s:[s], s:s}]", "names", c.credit, "summary",
					      "reporting the vulnerability through coordinated "
					      "vulnerability disclosure"));
	{
		char id[200];
		if (tracking_id)
			snprintf(id, sizeof(id), "%s", tracking_id);
		else
			snprintf(id, sizeof(id), "%s-DRAFT-%lld", id_prefix(), (long long)case_id);
		set_self_reference(doc, "WHITE", now, id);
		set_tracking(doc, id, "draft", "0", now, now, NULL, NULL);
	}
	*out = doc;
	doc = NULL;
out:
	free(vl);
	json_decref(doc);
	json_decref(sc.versions);
	json_decref(sc.vulns);
	psirt_case_release(&c);
	return rc;
}

/* ---- reading ---- */

static char *col_dup(struct store_stmt *st, int i)
{
	const char *t = store_col_text(st, i);
	return t ? strdup(t) : NULL;
}

#define ADV_COLS                                                                \
	"id, case_id, tracking_id, title, state, tlp, revision, csaf_version, " \
	"initial_release_at, "                                                  \
	"current_release_at, created_at, created_by, updated_at"

static void read_row(struct store_stmt *st, struct csaf_adv *a)
{
	memset(a, 0, sizeof(*a));
	a->id = store_col_int64(st, 0);
	a->case_id = store_col_int64(st, 1);
	a->tracking_id = col_dup(st, 2);
	a->title = col_dup(st, 3);
	a->state = col_dup(st, 4);
	a->tlp = col_dup(st, 5);
	a->revision = store_col_int64(st, 6);
	a->csaf_version = store_col_int64(st, 7);
	a->initial_release_at = store_col_int64(st, 8);
	a->current_release_at = store_col_int64(st, 9);
	a->created_at = store_col_int64(st, 10);
	a->created_by = col_dup(st, 11);
	a->updated_at = store_col_int64(st, 12);
}

void csaf_adv_release(struct csaf_adv *a)
{
	if (!a)
		return;
	free(a->tracking_id);
	free(a->title);
	free(a->state);
	free(a->tlp);
	free(a->created_by);
	free(a->doc);
	free(a->published_doc);
	free(a->notice);
	free(a->author);
	for (size_t i = 0; i < a->nrevs; i++) {
		free(a->revs[i].kind);
		free(a->revs[i].summary);
		free(a->revs[i].sha256);
		free(a->revs[i].created_by);
	}
	free(a->revs);
	for (size_t i = 0; i < a->napprovers; i++)
		free(a->approvers[i]);
	free(a->approvers);
	memset(a, 0, sizeof(*a));
}

void csaf_adv_list_release(struct csaf_adv_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		csaf_adv_release(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

int advisory_list(struct store *s, int published_only, struct csaf_adv_list *out,
		  struct vg_error *err)
{
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	rc = store_prepare(
	    s,
	    published_only ? "SELECT " ADV_COLS " FROM csaf_advisories WHERE csaf_version > 0 AND "
			     "tlp = 'WHITE' ORDER BY current_release_at DESC, id DESC"
			   : "SELECT " ADV_COLS " FROM csaf_advisories ORDER BY id DESC",
	    &st, err);
	if (rc)
		return rc;
	while ((rc = store_step(st, err)) == STORE_ROW) {
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct csaf_adv *nv = realloc(out->items, nc * sizeof(*nv));
			if (!nv) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			out->items = nv;
			cap = nc;
		}
		read_row(st, &out->items[out->n++]);
	}
	store_finalize(st);
	if (rc == STORE_DONE)
		return VG_OK;
	csaf_adv_list_release(out);
	return rc;
}

int advisory_resolve(struct store *s, const char *ref, int64_t *id, struct vg_error *err)
{
	int rc;
	const char *p = ref;
	if (!ref || !*ref)
		return vg_error_set(err, VG_EUSAGE, "an advisory id or tracking id is required");
	while (*p >= '0' && *p <= '9')
		p++;
	if (!*p && p - ref < 18)
		rc = store_query_int64(s, id, err, "SELECT id FROM csaf_advisories WHERE id = ?",
				       "i", (int64_t)strtoll(ref, NULL, 10));
	else
		rc = store_query_int64(
		    s, id, err, "SELECT id FROM csaf_advisories WHERE tracking_id = ?", "t", ref);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND,
				    "advisory '%s' not found (vigil advisory list)", ref);
	return rc;
}

/* The author of revision n and whether four-eyes review applies. */
static int approvals_of(struct store *s, struct csaf_adv *a, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = psirt_four_eyes(s, &a->four_eyes, err);
	if (rc)
		return rc;
	a->approvals_needed = 1;
	rc = store_prepare(s,
			   "SELECT approved_by FROM csaf_advisory_approvals WHERE advisory_id = ? "
			   "AND revision = ? ORDER BY approved_at, approved_by",
			   &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, a->id);
	store_bind_int64(st, 2, a->revision);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		char **nv = realloc(a->approvers, (a->napprovers + 1) * sizeof(*nv));
		if (!nv) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		a->approvers = nv;
		a->approvers[a->napprovers++] = col_dup(st, 0);
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

int advisory_get(struct store *s, int64_t id, struct csaf_adv *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	size_t cap = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	rc = store_prepare(s, "SELECT " ADV_COLS " FROM csaf_advisories WHERE id = ?", &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st, err);
	if (rc == STORE_ROW)
		read_row(st, out);
	store_finalize(st);
	if (rc == STORE_DONE)
		return vg_error_set(err, VG_ENOTFOUND, "advisory %lld not found", (long long)id);
	if (rc != STORE_ROW)
		return rc;
	out->detailed = 1;
	rc = store_prepare(
	    s,
	    "SELECT n, kind, summary, sha256, created_at, created_by, doc, notice_json "
	    "FROM csaf_advisory_revisions WHERE advisory_id = ? ORDER BY n",
	    &st, err);
	if (rc)
		goto fail;
	store_bind_int64(st, 1, id);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		struct advisory_revision *r;
		const char *kind = store_col_text(st, 1);
		if (out->nrevs == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct advisory_revision *nv = realloc(out->revs, nc * sizeof(*nv));
			if (!nv) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			out->revs = nv;
			cap = nc;
		}
		r = &out->revs[out->nrevs++];
		r->n = store_col_int64(st, 0);
		r->kind = col_dup(st, 1);
		r->summary = col_dup(st, 2);
		r->sha256 = col_dup(st, 3);
		r->created_at = store_col_int64(st, 4);
		r->created_by = col_dup(st, 5);
		free(out->doc);
		out->doc = col_dup(st, 6);
		free(out->author);
		out->author = col_dup(st, 5);
		if (kind && (strcmp(kind, "publish") == 0 || strcmp(kind, "withdraw") == 0)) {
			free(out->published_doc);
			out->published_doc = col_dup(st, 6);
			free(out->notice);
			out->notice = col_dup(st, 7);
		}
	}
	store_finalize(st);
	rc = rc == STORE_DONE ? VG_OK : rc;
	if (!rc)
		rc = approvals_of(s, out, err);
	if (!rc)
		return VG_OK;
fail:
	csaf_adv_release(out);
	return rc;
}

int advisory_csaf_path(const struct csaf_adv *a, char *out, size_t n)
{
	if (n)
		out[0] = '\0';
	if (!a->csaf_version)
		return VG_OK;
	return csaf_document_path(a->tlp, a->initial_release_at, a->tracking_id, out, n);
}

json_t *csaf_adv_to_json(const struct csaf_adv *a)
{
	char path[600];
	json_t *o;
	(void)advisory_csaf_path(a, path, sizeof(path));
	o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:s, s:o, s:o}",
		      "id", (json_int_t)a->id, "case_id", (json_int_t)a->case_id, "tracking_id",
		      a->tracking_id ? a->tracking_id : "", "title", a->title ? a->title : "",
		      "state", a->state ? a->state : "", "tlp", a->tlp ? a->tlp : "", "revision",
		      (json_int_t)a->revision, "csaf_version", (json_int_t)a->csaf_version,
		      "initial_release_at",
		      a->initial_release_at ? vg_json_time(a->initial_release_at) : json_null(),
		      "current_release_at",
		      a->current_release_at ? vg_json_time(a->current_release_at) : json_null(),
		      "created_at", vg_json_time(a->created_at), "created_by",
		      a->created_by ? a->created_by : "", "updated_at", vg_json_time(a->updated_at),
		      "csaf_path", path[0] ? json_string(path) : json_null());
	if (!o || !a->detailed)
		return o;
	{
		json_t *revs = json_array(), *by = json_array();
		for (size_t i = 0; i < a->nrevs; i++)
			json_array_append_new(
			    revs,
			    json_pack("{s:I, s:s, s:o, s:s, s:o, s:s}", "n",
				      (json_int_t)a->revs[i].n, "kind", a->revs[i].kind, "summary",
				      vg_json_text(a->revs[i].summary), "sha256",
				      a->revs[i].sha256 ? a->revs[i].sha256 : "", "created_at",
				      vg_json_time(a->revs[i].created_at), "created_by",
				      a->revs[i].created_by ? a->revs[i].created_by : ""));
		for (size_t i = 0; i < a->napprovers; i++)
			json_array_append_new(by, json_string(a->approvers[i]));
		json_object_set_new(o, "revisions", revs);
		json_object_set_new(o, "approvals",
				    json_pack("{s:i, s:b, s:o}", "needed", a->approvals_needed,
					      "four_eyes", a->four_eyes, "by", by));
		json_object_set_new(o, "author", vg_json_text(a->author));
		json_object_set_new(o, "document",
				    a->doc ? json_loads(a->doc, 0, NULL) : json_null());
		json_object_set_new(o, "published_document",
				    a->published_doc ? json_loads(a->published_doc, 0, NULL)
						     : json_null());
		json_object_set_new(o, "user_notice",
				    a->notice ? json_loads(a->notice, 0, NULL) : json_null());
	}
	return o;
}

json_t *csaf_adv_list_to_json(const struct csaf_adv_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, csaf_adv_to_json(&l->items[i]));
	return a;
}

/* ---- writing ---- */

/* Add revision n+1 of advisory a with doc (kind, summary, notice may be
 * NULL) and update the advisory row (state). In the caller's transaction. */
static int add_revision(struct store *s, const struct csaf_adv *a, const char *kind,
			const char *doc, const char *summary, const char *notice, const char *state,
			const char *title, struct vg_error *err)
{
	char h[VG_SHA256_HEX];
	int64_t n = a->revision + 1, now = vg_now();
	int rc;
	vg_sha256_hex(doc, strlen(doc), h);
	rc = store_exec(
	    s, err,
	    "INSERT INTO csaf_advisory_revisions (advisory_id, n, kind, doc, sha256, "
	    "summary, notice_json, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "?)",
	    "iitttttit", a->id, n, kind, doc, h, summary, notice, now, store_actor(s));
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE csaf_advisories SET revision = ?, state = ?, title = ?, "
				"updated_at = ? WHERE id = ?",
				"ittii", n, state, title ? title : a->title, now, a->id);
	return rc;
}

/* The document title of doc (for the advisory row). */
static const char *doc_title(const json_t *doc)
{
	return vg_json_str(json_object_get(doc, "document"), "title");
}

int advisory_draft(struct store *s, int64_t case_id, int64_t *id, struct vg_error *err)
{
	json_t *doc = NULL, *after;
	struct csaf_adv a = {0};
	char tid[200], *text = NULL;
	int64_t existing = 0, now = vg_now(), year;
	int rc;

	rc = store_query_int64(s, &existing, err,
			       "SELECT MAX(id) FROM csaf_advisories WHERE case_id = ?", "i",
			       case_id);
	if (rc == VG_ENOTFOUND || (!rc && existing == 0))
		rc = VG_OK, existing = 0;
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	if (existing) {
		rc = advisory_get(s, existing, &a, err);
		if (!rc)
			snprintf(tid, sizeof(tid), "%s", a.tracking_id);
	} else {
		int64_t seq = 0;
		char y[VG_TIME_BUFSZ];
		ts(now, y);
		year = strtoll(y, NULL, 10);
		rc = store_query_int64(s, &seq, err, "SELECT COUNT(*) FROM csaf_advisories", NULL);
		for (int tries = 0; !rc && tries < 1000; tries++) {
			int64_t taken = 0;
			snprintf(tid, sizeof(tid), "%s-%04lld-%04lld", id_prefix(), (long long)year,
				 (long long)(seq + 1 + tries));
			rc = store_query_int64(s, &taken, err,
					       "SELECT COUNT(*) FROM csaf_advisories WHERE "
					       "tracking_id = ?",
					       "t", tid);
			if (!rc && !taken)
				break;
		}
	}
	if (!rc)
		rc = advisory_build(s, case_id, tid, &doc, err);
	if (!rc && existing && a.csaf_version) {
		/* a published advisory: the draft of its next version keeps its dates */
		json_t *pub = json_loads(a.published_doc, 0, NULL);
		json_t *pt = json_object_get(json_object_get(pub, "document"), "tracking");
		json_t *next = NULL;
		char v[32], d[VG_TIME_BUFSZ];
		ts(now, d);
		snprintf(v, sizeof(v), "%lld", (long long)a.csaf_version + 1);
		next = json_pack("{s:s, s:s, s:s}", "date", d, "number", v, "summary",
				 "Update (draft).");
		set_self_reference(doc, a.tlp, a.initial_release_at, tid);
		set_tracking(doc, tid, "final", v, a.initial_release_at, now,
			     json_object_get(pt, "revision_history"), next);
		json_decref(next);
		json_decref(pub);
	}
	if (!rc && !(text = dump(doc)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!rc && !existing) {
		rc = store_exec(s, err,
				"INSERT INTO csaf_advisories (case_id, tracking_id, title, state, "
				"tlp, revision, csaf_version, created_at, created_by, updated_at) "
				"VALUES (?, ?, ?, 'draft', 'WHITE', 0, 0, ?, ?, ?)",
				"ittiti", case_id, tid, doc_title(doc), now, store_actor(s), now);
		if (!rc)
			rc = advisory_resolve(s, tid, &existing, err);
		if (!rc)
			rc = advisory_get(s, existing, &a, err);
	}
	if (!rc)
		rc = add_revision(s, &a, "draft", text, "Built from the case.", NULL, "draft",
				  doc_title(doc), err);
	if (!rc) {
		char oid[32];
		snprintf(oid, sizeof(oid), "%lld", (long long)existing);
		after = json_pack("{s:I, s:s, s:I}", "case_id", (json_int_t)case_id, "tracking_id",
				  tid, "revision", (json_int_t)a.revision + 1);
		rc = store_audit(s, "advisory.draft", "advisory", oid, NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	if (!rc)
		*id = existing;
	free(text);
	json_decref(doc);
	csaf_adv_release(&a);
	return rc;
}

/* ---- edits ---- */

/* A JSON pointer or a dotted path as the list of its tokens ("~1" "/"). */
static int path_tokens(const char *path, json_t **out, struct vg_error *err)
{
	json_t *t = json_array();
	char tok[256];
	size_t n = 0;
	char sep = path[0] == '/' ? '/' : '.';
	const char *p = path[0] == '/' ? path + 1 : path;
	if (!*path) {
		json_decref(t);
		return vg_error_set(err, VG_EUSAGE, "--set: a path is required (/document/title)");
	}
	for (;; p++) {
		if (*p == sep || *p == '\0') {
			tok[n] = '\0';
			if (!n) {
				json_decref(t);
				return vg_error_set(err, VG_EINVAL, "path '%s': an empty segment",
						    path);
			}
			if (json_array_append_new(t, json_string(tok))) {
				size_t seg = json_array_size(t) + 1;
				json_decref(t);
				return vg_error_set(err, VG_EINVAL,
						    "path: segment %zu is not UTF-8", seg);
			}
			n = 0;
			if (!*p)
				break;
			continue;
		}
		if (n + 1 >= sizeof(tok)) {
			json_decref(t);
			return vg_error_set(err, VG_EINVAL, "path '%s': a segment is too long",
					    path);
		}
		if (sep == '/' && *p == '~' && (p[1] == '0' || p[1] == '1')) {
			tok[n++] = p[1] == '0' ? '~' : '/';
			p++;
		} else {
			tok[n++] = *p;
		}
	}
	*out = t;
	return VG_OK;
}

static int is_index(const char *s)
{
	if (!*s)
		return 0;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return strlen(s) < 7;
}

/* Set path in doc to value (stolen). Objects on the way are made; an array
 * index may be the next one ("-" or the size) to append. */
int advisory_set_path(json_t *doc, const char *path, json_t *value, struct vg_error *err)
{
	json_t *toks = NULL, *cur = doc;
	size_t i, n;
	int rc = path_tokens(path, &toks, err);
	if (rc) {
		json_decref(value);
		return rc;
	}
	n = json_array_size(toks);
	if (n >= 2 && strcmp(json_string_value(json_array_get(toks, 0)), "document") == 0 &&
	    strcmp(json_string_value(json_array_get(toks, 1)), "tracking") == 0) {
		json_decref(toks);
		json_decref(value);
		return vg_error_set(err, VG_EINVAL,
				    "%s: /document/tracking is maintained by vigil (id, version, "
				    "status, dates, revision history)",
				    path);
	}
	for (i = 0; i < n; i++) {
		const char *k = json_string_value(json_array_get(toks, i));
		int last = i + 1 == n;
		if (json_is_object(cur)) {
			json_t *next = json_object_get(cur, k);
			if (last) {
				json_object_set_new(cur, k, value);
				value = NULL;
				break;
			}
			if (!next) {
				const char *nk = json_string_value(json_array_get(toks, i + 1));
				next = is_index(nk) || strcmp(nk, "-") == 0 ? json_array()
									    : json_object();
				json_object_set_new(cur, k, next);
			}
			cur = next;
		} else if (json_is_array(cur)) {
			size_t idx = strcmp(k, "-") == 0 ? json_array_size(cur)
							 : (size_t)strtoul(k, NULL, 10);
			if (strcmp(k, "-") != 0 && !is_index(k)) {
				rc = vg_error_set(err, VG_EINVAL, "%s: '%s' is not an array index",
						  path, k);
				break;
			}
			if (idx > json_array_size(cur)) {
				rc = vg_error_set(err, VG_EINVAL,
						  "%s: index %zu is past the end of the array (%zu "
						  "items)",
						  path, idx, json_array_size(cur));
				break;
			}
			if (last) {
				if (idx == json_array_size(cur))
					json_array_append_new(cur, value);
				else
					json_array_set_new(cur, idx, value);
				value = NULL;
				break;
			}
			if (idx == json_array_size(cur)) {
				json_array_append_new(cur, json_object());
			}
			cur = json_array_get(cur, idx);
		} else {
			rc = vg_error_set(err, VG_EINVAL,
					  "%s: '%s' is inside a value that is not "
					  "an object or array",
					  path, k);
			break;
		}
	}
	json_decref(value);
	json_decref(toks);
	return rc;
}

/* Whether result r has issue x (same test and path). */
static int has_issue(const struct csaf_check_result *r, const struct csaf_check_issue *x)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->issues[i].kind == x->kind && strcmp(r->issues[i].test, x->test) == 0 &&
		    strcmp(r->issues[i].path, x->path) == 0)
			return 1;
	return 0;
}

static int check_text(const char *text, struct csaf_check_result *r, struct vg_error *err)
{
	return csaf_check(text, strlen(text), r, err);
}

int advisory_edit(struct store *s, int64_t id, size_t n, const char *const *paths,
		  const char *const *values, const char *file, size_t filelen,
		  struct csaf_check_result *check, struct vg_error *err)
{
	struct csaf_adv a = {0};
	struct csaf_check_result before = {0}, after = {0};
	json_t *doc = NULL, *tracking, *au = NULL;
	char *text = NULL, oid[32];
	int rc;

	if (check)
		memset(check, 0, sizeof(*check));
	if (n > ADV_MAX_EDITS)
		return vg_error_set(err, VG_EUSAGE, "at most %d --set at once", ADV_MAX_EDITS);
	if (!n && !file)
		return vg_error_set(err, VG_EUSAGE,
				    "nothing to change: --set PATH=VALUE or --file");
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = advisory_get(s, id, &a, err);
	if (rc)
		goto out;
	if (strcmp(a.state, "withdrawn") == 0) {
		rc = vg_error_set(err, VG_ESTATE,
				  "advisory %s is withdrawn: it is not edited any more",
				  a.tracking_id);
		goto out;
	}
	doc = json_loads(a.doc, 0, NULL);
	tracking = json_incref(json_object_get(json_object_get(doc, "document"), "tracking"));
	if (file) {
		json_t *nd = vg_json_parse(file, filelen, "--file", err);
		if (!nd) {
			json_decref(tracking);
			rc = err->code ? err->code : VG_EPARSE;
			goto out;
		}
		if (!json_is_object(nd) || !json_is_object(json_object_get(nd, "document"))) {
			json_decref(nd);
			json_decref(tracking);
			rc = vg_error_set(err, VG_EINVAL,
					  "--file: /document: expected a CSAF document (an object "
					  "with a document object)");
			goto out;
		}
		json_decref(doc);
		doc = nd;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *v = json_loads(values[i], JSON_DECODE_ANY, NULL);
		if (!v)
			v = json_string(values[i]);
		if (!v) {
			rc = vg_error_set(err, VG_EINVAL, "%s: the value is not UTF-8 text",
					  paths[i]);
			break;
		}
		rc = advisory_set_path(doc, paths[i], v, err);
	}
	if (rc) {
		json_decref(tracking);
		goto out;
	}
	/* vigil's tracking, whatever the file said */
	json_object_set_new(json_object_get(doc, "document"), "tracking", tracking);
	if (!(text = dump(doc))) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	rc = check_text(a.doc, &before, err);
	if (!rc)
		rc = check_text(text, &after, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < after.n; i++) {
		const struct csaf_check_issue *x = &after.issues[i];
		if (x->kind == CSAF_CHECK_RECOMMENDED || has_issue(&before, x))
			continue;
		rc = vg_error_set(err, VG_EINVAL, "edit refused: %s: test %s: %s",
				  x->path[0] ? x->path : "/", x->test, x->message);
		goto out;
	}
	rc = add_revision(s, &a, "edit", text, NULL, NULL, "draft", doc_title(doc), err);
	if (!rc) {
		json_t *sets = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(sets, json_string(paths[i]));
		au = json_pack("{s:I, s:o, s:b}", "revision", (json_int_t)a.revision + 1, "set",
			       sets, "file", file != NULL);
		snprintf(oid, sizeof(oid), "%lld", (long long)a.id);
		rc = store_audit(s, "advisory.edit", "advisory", oid, NULL, au, err);
	}
out:
	rc = store_tx_end(s, rc, err);
	if (check && !rc) {
		*check = after;
		after.issues = NULL;
	}
	json_decref(au);
	csaf_check_result_free(&before);
	csaf_check_result_free(&after);
	free(text);
	json_decref(doc);
	csaf_adv_release(&a);
	return rc;
}

/* ---- approval, publication, withdrawal ---- */

int advisory_approve(struct store *s, int64_t id, int *approved, struct vg_error *err)
{
	struct csaf_adv a = {0};
	const char *me = store_actor(s);
	char oid[32];
	json_t *au;
	int rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = advisory_get(s, id, &a, err);
	if (!rc && strcmp(a.state, "draft") != 0 && strcmp(a.state, "approved") != 0)
		rc = vg_error_set(err, VG_ESTATE,
				  "advisory %s is %s: only a draft is approved (edit or draft it "
				  "again first)",
				  a.tracking_id, a.state);
	for (size_t i = 0; !rc && i < a.napprovers; i++)
		if (strcmp(a.approvers[i], me) == 0)
			rc = vg_error_set(err, VG_EEXIST,
					  "%s already approved revision %lld of advisory %s", me,
					  (long long)a.revision, a.tracking_id);
	if (!rc && a.four_eyes && a.author && strcmp(a.author, me) == 0)
		rc = vg_error_set(err, VG_ESTATE,
				  "four-eyes review (setting art14.four_eyes): %s made revision "
				  "%lld of advisory %s and cannot approve it; another PSIRT member "
				  "approves",
				  me, (long long)a.revision, a.tracking_id);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO csaf_advisory_approvals (advisory_id, revision, "
				"approved_by, approved_at) VALUES (?, ?, ?, ?)",
				"iiti", a.id, a.revision, me, vg_now());
	if (!rc && a.napprovers + 1 >= (size_t)a.approvals_needed)
		rc =
		    store_exec(s, err, "UPDATE csaf_advisories SET state = 'approved' WHERE id = ?",
			       "i", a.id);
	if (!rc) {
		snprintf(oid, sizeof(oid), "%lld", (long long)a.id);
		au = json_pack("{s:I, s:b}", "revision", (json_int_t)a.revision, "four_eyes",
			       a.four_eyes);
		rc = store_audit(s, "advisory.approve", "advisory", oid, NULL, au, err);
		json_decref(au);
	}
	rc = store_tx_end(s, rc, err);
	if (!rc && approved)
		*approved = a.napprovers + 1 >= (size_t)a.approvals_needed;
	csaf_adv_release(&a);
	return rc;
}

/* The user notice (Art. 14(8)) as a document note, or why not. */
static int notice_for(struct store *s, const struct csaf_adv *a, int *exploited,
		      struct user_notice *un, struct vg_error *err)
{
	struct psirt_case c = {0};
	int rc = case_get(s, a->case_id, &c, err);
	if (rc)
		return rc;
	*exploited = c.nexposures > 0;
	if (c.embargo_until > vg_now()) {
		char d[VG_TIME_BUFSZ];
		ts(c.embargo_until, d);
		rc = vg_error_set(err, VG_ESTATE,
				  "case %lld is under embargo until %s: the advisory is published "
				  "after it",
				  (long long)c.id, d);
	}
	psirt_case_release(&c);
	if (!rc)
		rc = user_notice_build(s, a->case_id, un, err);
	return rc;
}

/* Publish doc (its tracking made here) as the next version of a: check,
 * provider, revision, audit. In the caller's transaction. */
static int publish_doc(struct store *s, struct csaf_adv *a, json_t *doc, const char *kind,
		       const char *summary, int interim, const char *notice, const char *new_state,
		       struct vg_error *err)
{
	struct csaf_check_result r = {0};
	struct csaf_publication p;
	json_t *prev = a->published_doc ? json_loads(a->published_doc, 0, NULL) : NULL, *next;
	json_t *hist = json_object_get(
	    json_object_get(json_object_get(prev, "document"), "tracking"), "revision_history");
	int64_t now = vg_now(), initial = a->initial_release_at ? a->initial_release_at : now;
	char v[32], d[VG_TIME_BUFSZ], *text = NULL, oid[32];
	int rc;

	ts(now, d);
	snprintf(v, sizeof(v), "%lld", (long long)a->csaf_version + 1);
	next = json_pack("{s:s, s:s, s:s}", "date", d, "number", v, "summary",
			 summary ? summary : (a->csaf_version ? "Update." : "Initial version."));
	set_self_reference(doc, a->tlp, initial, a->tracking_id);
	set_tracking(doc, a->tracking_id, interim ? "interim" : "final", v, initial, now, hist,
		     next);
	json_decref(next);
	json_decref(prev);
	if (!(text = dump(doc)))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = check_text(text, &r, err);
	if (!rc && !csaf_check_passes(&r)) {
		const struct csaf_check_issue *x = NULL;
		for (size_t i = 0; i < r.n && !x; i++)
			if (r.issues[i].kind != CSAF_CHECK_RECOMMENDED)
				x = &r.issues[i];
		rc = vg_error_set(err, VG_EINVAL,
				  "advisory %s not published: %zu schema and %zu mandatory test "
				  "failures; the first: %s: test %s: %s",
				  a->tracking_id, r.schema_failures, r.mandatory_failures,
				  x && x->path[0] ? x->path : "/", x ? x->test : "?",
				  x ? x->message : "");
	}
	csaf_check_result_free(&r);
	if (!rc) {
		p.tracking_id = a->tracking_id;
		p.version = v;
		p.tlp_label = a->tlp;
		p.initial_release = initial;
		p.current_release = now;
		p.json = text;
		p.len = strlen(text);
		rc = provider_put(s, &p, err);
	}
	if (!rc)
		rc =
		    add_revision(s, a, kind, text, summary, notice, new_state, doc_title(doc), err);
	if (!rc)
		rc = store_exec(
		    s, err,
		    "UPDATE csaf_advisories SET csaf_version = ?, initial_release_at = ?, "
		    "current_release_at = ? WHERE id = ?",
		    "iiii", a->csaf_version + 1, initial, now, a->id);
	if (!rc) {
		json_t *au = json_pack("{s:s, s:s, s:s, s:b}", "tracking_id", a->tracking_id,
				       "version", v, "status", interim ? "interim" : "final",
				       "user_notice", notice != NULL);
		snprintf(oid, sizeof(oid), "%lld", (long long)a->id);
		rc = store_audit(
		    s, strcmp(kind, "withdraw") == 0 ? "advisory.withdraw" : "advisory.publish",
		    "advisory", oid, NULL, au, err);
		if (!rc) {
			/* the case's timeline records it */
			snprintf(oid, sizeof(oid), "%lld", (long long)a->case_id);
			rc = store_audit(s,
					 strcmp(kind, "withdraw") == 0 ? "case.advisory_withdrawn"
								       : "case.advisory_published",
					 "case", oid, NULL, au, err);
		}
		json_decref(au);
	}
	free(text);
	return rc;
}

/* Replace (or add) the document note titled title. */
static void set_note(json_t *doc, const char *category, const char *title, const char *text)
{
	json_t *notes = arr(json_object_get(doc, "document"), "notes"), *n;
	size_t i;
	json_array_foreach(notes, i, n)
	{
		if (vg_json_str(n, "title") && strcmp(vg_json_str(n, "title"), title) == 0) {
			json_object_set_new(n, "text", json_string(text));
			return;
		}
	}
	json_array_append_new(notes, json_pack("{s:s, s:s, s:s}", "category", category, "title",
					       title, "text", text));
}

#define NOTICE_TITLE "Information for users (EU Cyber Resilience Act, Article 14(8))"

int advisory_publish(struct store *s, int64_t id, const char *summary, int interim,
		     struct vg_error *err)
{
	struct csaf_adv a = {0};
	struct user_notice un = {0};
	json_t *doc = NULL;
	char *notice = NULL;
	int exploited = 0, rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = advisory_get(s, id, &a, err);
	if (!rc && strcmp(a.state, "approved") != 0)
		rc = vg_error_set(err, VG_ESTATE,
				  "advisory %s is %s: it is published once approved (vigil "
				  "advisory approve %lld)",
				  a.tracking_id, a.state, (long long)a.id);
	if (!rc)
		rc = notice_for(s, &a, &exploited, &un, err);
	if (!rc && !(doc = json_loads(a.doc, 0, NULL)))
		rc = vg_error_set(err, VG_EINTERNAL, "advisory %s: the stored document is not JSON",
				  a.tracking_id);
	if (!rc && un.publishable) {
		struct vg_buf b = VG_BUF_INIT;
		json_t *nj = user_notice_to_json(&un);
		json_object_set_new(nj, "status", json_string("published"));
		json_object_set_new(nj, "published_at", vg_json_time(vg_now()));
		user_notice_text(&un, &b);
		set_note(doc, "general", NOTICE_TITLE, b.data ? b.data : "");
		vg_buf_release(&b);
		notice = json_dumps(nj, JSON_COMPACT);
		json_decref(nj);
	} else if (!rc && exploited) {
		struct vg_buf b = VG_BUF_INIT;
		json_t *x, *n = json_object_get(un.doc, "missing");
		size_t i;
		json_array_foreach(n, i, x)
		    vg_buf_addf(&b, "%s%s", b.len ? ", " : "", json_string_value(x));
		json_array_foreach(json_object_get(un.doc, "needs_review"), i, x)
		    vg_buf_addf(&b, "%s%s (needs review)", b.len ? ", " : "", json_string_value(x));
		rc =
		    vg_error_set(err, VG_ESTATE,
				 "case %lld is actively exploited: its user notice (Article 14(8)) "
				 "is published with the advisory and is not ready: %s (vigil art14 "
				 "edit, or the case page)",
				 (long long)a.case_id, b.data ? b.data : "not publishable");
		vg_buf_release(&b);
	}
	if (!rc)
		rc = publish_doc(s, &a, doc, "publish", summary, interim, notice, "published", err);
	rc = store_tx_end(s, rc, err);
	free(notice);
	json_decref(doc);
	user_notice_release(&un);
	csaf_adv_release(&a);
	return rc;
}

int advisory_withdraw(struct store *s, int64_t id, const char *reason, struct vg_error *err)
{
	struct csaf_adv a = {0};
	json_t *doc = NULL;
	char summary[600], text[1200];
	int rc;
	if (!reason || !*reason)
		return vg_error_set(err, VG_EUSAGE, "--reason: say why the advisory is withdrawn");
	if ((rc = vg_text_check("--reason", reason, 500, 0, 1, err)))
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = advisory_get(s, id, &a, err);
	if (!rc && !a.csaf_version)
		rc = vg_error_set(err, VG_ESTATE,
				  "advisory %s was never published: nothing to withdraw",
				  a.tracking_id);
	if (!rc && strcmp(a.state, "withdrawn") == 0)
		rc =
		    vg_error_set(err, VG_ESTATE, "advisory %s is already withdrawn", a.tracking_id);
	if (!rc && !(doc = json_loads(a.published_doc, 0, NULL)))
		rc = vg_error_set(err, VG_EINTERNAL,
				  "advisory %s: the published document is not JSON", a.tracking_id);
	if (!rc) {
		snprintf(summary, sizeof(summary), "Withdrawn: %s", reason);
		snprintf(text, sizeof(text),
			 "This advisory is withdrawn and no longer applies: %s. It stays published "
			 "so that references to it keep working.",
			 reason);
		set_note(doc, "general", "Withdrawn", text);
		rc = publish_doc(s, &a, doc, "withdraw", summary, 0, a.notice, "withdrawn", err);
	}
	rc = store_tx_end(s, rc, err);
	json_decref(doc);
	csaf_adv_release(&a);
	return rc;
}
