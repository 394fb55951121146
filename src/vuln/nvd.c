/*
 * nvd.c - NVD CVE API 2.0 records and configuration evaluation.
 *
 * The document is read into a jansson tree (pages are at most 2,000 records,
 * a few MB), each record copied into its own arena, and the tree freed.
 */
#define _POSIX_C_SOURCE 200809L
#include "vuln/nvd.h"
#include "core/error.h"
#include "vuln/feed_json.h"
#include "ident/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* ------------------------------------------------------------ parsing */

struct rec {
	struct feed_ctx c;
	struct nvd_cve *cve;
};

static int parse_op(struct feed_ctx *c, const json_t *obj, int required, enum nvd_op *out)
{
	const json_t *v = json_object_get(obj, "operator");
	size_t old;
	int rc = VG_OK;

	*out = NVD_OR;
	if (!v || json_is_null(v)) {
		if (required)
			return feed_fail(c, "required member \"operator\" is missing");
		return VG_OK;
	}
	old = feed_ptr_key(c, "operator");
	if (json_is_string(v) && strcmp(json_string_value(v), "AND") == 0)
		*out = NVD_AND;
	else if (json_is_string(v) && strcmp(json_string_value(v), "OR") == 0)
		*out = NVD_OR;
	else
		rc = feed_fail(c, "expected \"AND\" or \"OR\"");
	feed_ptr_pop(c, old);
	return rc;
}

static int parse_match(struct rec *r, const json_t *j, struct nvd_cpe_match *m)
{
	struct feed_ctx *c = &r->c;
	struct vg_error cerr = {0};
	int rc;

	if (!json_is_object(j))
		return feed_fail(c, "expected an object");
	if ((rc = feed_bool(c, j, "vulnerable", -1, &m->vulnerable)) != VG_OK)
		return rc;
	if (m->vulnerable < 0)
		return feed_fail(c, "required member \"vulnerable\" is missing");
	if ((rc = feed_str(c, j, "criteria", 1, &m->criteria)) != VG_OK ||
	    (rc = feed_str(c, j, "matchCriteriaId", 0, &m->match_criteria_id)) != VG_OK ||
	    (rc = feed_str(c, j, "versionStartIncluding", 0, &m->start_incl)) != VG_OK ||
	    (rc = feed_str(c, j, "versionStartExcluding", 0, &m->start_excl)) != VG_OK ||
	    (rc = feed_str(c, j, "versionEndIncluding", 0, &m->end_incl)) != VG_OK ||
	    (rc = feed_str(c, j, "versionEndExcluding", 0, &m->end_excl)) != VG_OK)
		return rc;
	if (strncmp(m->criteria, "cpe:2.3:", 8) != 0) {
		size_t old = feed_ptr_key(c, "criteria");
		rc = feed_fail(c, "expected a CPE 2.3 formatted string, found \"%.200s\"",
			       m->criteria);
		feed_ptr_pop(c, old);
		return rc;
	}
	rc = cpe_parse(m->criteria, &m->cpe, &cerr);
	if (rc != VG_OK) {
		size_t old = feed_ptr_key(c, "criteria");
		if (rc == VG_ENOMEM)
			rc = feed_oom(c);
		else
			rc = feed_fail(c, "%s", cerr.msg);
		feed_ptr_pop(c, old);
		return rc;
	}
	if ((m->start_incl && m->start_excl) || (m->end_incl && m->end_excl))
		return feed_fail(c, "both an including and an excluding bound on one side");
	return VG_OK;
}

static int parse_node(struct rec *r, const json_t *j, struct nvd_node *node)
{
	struct feed_ctx *c = &r->c;
	const json_t *arr;
	size_t old, k, i;
	int rc;

	if (!json_is_object(j))
		return feed_fail(c, "expected an object");
	if ((rc = parse_op(c, j, 0, &node->op)) != VG_OK ||
	    (rc = feed_bool(c, j, "negate", 0, &node->negate)) != VG_OK ||
	    (rc = feed_array(c, j, "cpeMatch", 1, NVD_MAX_MATCHES, &arr)) != VG_OK)
		return rc;
	node->n_matches = json_array_size(arr);
	if (r->cve->n_matches_total + node->n_matches > NVD_MAX_MATCHES)
		return feed_fail(c, "more than %d cpeMatch entries in one record", NVD_MAX_MATCHES);
	r->cve->n_matches_total += node->n_matches;
	node->matches = vg_arena_array(c->arena, node->n_matches, sizeof(*node->matches));
	if (!node->matches)
		return feed_oom(c);
	old = feed_ptr_key(c, "cpeMatch");
	for (i = 0; i < node->n_matches; i++) {
		k = feed_ptr_idx(c, i);
		rc = parse_match(r, json_array_get(arr, i), &node->matches[i]);
		feed_ptr_pop(c, k);
		if (rc != VG_OK) {
			/* matches parsed so far own CPE strings: keep the count
			 * exact for nvd_cve_free() */
			node->n_matches = i + 1;
			break;
		}
	}
	feed_ptr_pop(c, old);
	return rc;
}

static int parse_config(struct rec *r, const json_t *j, struct nvd_config *cfg)
{
	struct feed_ctx *c = &r->c;
	const json_t *arr;
	size_t old, k, i;
	int rc;

	if (!json_is_object(j))
		return feed_fail(c, "expected an object");
	if ((rc = parse_op(c, j, 0, &cfg->op)) != VG_OK ||
	    (rc = feed_bool(c, j, "negate", 0, &cfg->negate)) != VG_OK ||
	    (rc = feed_array(c, j, "nodes", 1, NVD_MAX_MATCHES, &arr)) != VG_OK)
		return rc;
	cfg->nodes = vg_arena_array(c->arena, json_array_size(arr), sizeof(*cfg->nodes));
	if (!cfg->nodes)
		return feed_oom(c);
	old = feed_ptr_key(c, "nodes");
	for (i = 0; i < json_array_size(arr); i++) {
		cfg->n_nodes = i + 1;
		k = feed_ptr_idx(c, i);
		rc = parse_node(r, json_array_get(arr, i), &cfg->nodes[i]);
		feed_ptr_pop(c, k);
		if (rc != VG_OK)
			break;
	}
	feed_ptr_pop(c, old);
	return rc;
}

static int parse_configs(struct rec *r, const json_t *cve)
{
	struct feed_ctx *c = &r->c;
	const json_t *arr;
	size_t old, k, i;
	int rc;

	if ((rc = feed_array(c, cve, "configurations", 0, NVD_MAX_MATCHES, &arr)) != VG_OK || !arr)
		return rc;
	r->cve->configs = vg_arena_array(c->arena, json_array_size(arr), sizeof(*r->cve->configs));
	if (!r->cve->configs)
		return feed_oom(c);
	old = feed_ptr_key(c, "configurations");
	for (i = 0; i < json_array_size(arr); i++) {
		r->cve->n_configs = i + 1;
		k = feed_ptr_idx(c, i);
		rc = parse_config(r, json_array_get(arr, i), &r->cve->configs[i]);
		feed_ptr_pop(c, k);
		if (rc != VG_OK)
			break;
	}
	feed_ptr_pop(c, old);
	return rc;
}

static int parse_description(struct rec *r, const json_t *cve)
{
	struct feed_ctx *c = &r->c;
	const json_t *arr, *d;
	size_t old, k, i;
	int rc = VG_OK;

	if ((rc = feed_array(c, cve, "descriptions", 0, 10000, &arr)) != VG_OK || !arr)
		return rc;
	old = feed_ptr_key(c, "descriptions");
	json_array_foreach(arr, i, d)
	{
		const char *lang, *value;
		k = feed_ptr_idx(c, i);
		if (!json_is_object(d))
			rc = feed_fail(c, "expected an object");
		else if ((rc = feed_str(c, d, "lang", 1, &lang)) == VG_OK &&
			 (rc = feed_str(c, d, "value", 1, &value)) == VG_OK &&
			 !r->cve->description &&
			 (strcmp(lang, "en") == 0 || strncmp(lang, "en-", 3) == 0))
			r->cve->description = value;
		feed_ptr_pop(c, k);
		if (rc != VG_OK)
			break;
	}
	feed_ptr_pop(c, old);
	return rc;
}

static int parse_type(struct feed_ctx *c, const json_t *obj, int *primary)
{
	const char *type;
	int rc = feed_str(c, obj, "type", 0, &type);
	*primary = type && strcmp(type, "Primary") == 0;
	return rc;
}

static const struct {
	const char *key;
	enum nvd_cvss version;
} metric_keys[] = {
    {"cvssMetricV40", NVD_CVSS_V40},
    {"cvssMetricV31", NVD_CVSS_V31},
    {"cvssMetricV30", NVD_CVSS_V30},
    {"cvssMetricV2", NVD_CVSS_V2},
};

static int parse_metric(struct feed_ctx *c, const json_t *j, enum nvd_cvss version,
			struct nvd_metric *m)
{
	const json_t *data;
	int rc;

	if (!json_is_object(j))
		return feed_fail(c, "expected an object");
	m->version = version;
	if ((rc = feed_str(c, j, "source", 0, &m->source)) != VG_OK ||
	    (rc = parse_type(c, j, &m->primary)) != VG_OK ||
	    (rc = feed_object(c, j, "cvssData", 1, &data)) != VG_OK)
		return rc;
	size_t old = feed_ptr_key(c, "cvssData");
	if ((rc = feed_str(c, data, "vectorString", 1, &m->vector)) == VG_OK &&
	    (rc = feed_num(c, data, "baseScore", 1, &m->base_score, NULL)) == VG_OK)
		rc = feed_str(c, data, "baseSeverity", 0, &m->base_severity);
	feed_ptr_pop(c, old);
	if (rc == VG_OK && !m->base_severity)
		rc = feed_str(c, j, "baseSeverity", 0, &m->base_severity);
	if (rc == VG_OK && (m->base_score < 0 || m->base_score > 10))
		rc = feed_fail(c, "baseScore %g is outside 0..10", m->base_score);
	return rc;
}

static int parse_metrics(struct rec *r, const json_t *cve)
{
	struct feed_ctx *c = &r->c;
	const json_t *metrics, *arr;
	size_t total = 0, n = 0, old, k1, k2, i, t;
	int rc;

	if ((rc = feed_object(c, cve, "metrics", 0, &metrics)) != VG_OK || !metrics)
		return rc;
	old = feed_ptr_key(c, "metrics");
	for (t = 0; t < sizeof(metric_keys) / sizeof(metric_keys[0]); t++) {
		if ((rc = feed_array(c, metrics, metric_keys[t].key, 0, 1000, &arr)) != VG_OK)
			goto out;
		total += json_array_size(arr);
	}
	r->cve->metrics = vg_arena_array(c->arena, total, sizeof(*r->cve->metrics));
	if (!r->cve->metrics) {
		rc = feed_oom(c);
		goto out;
	}
	for (t = 0; t < sizeof(metric_keys) / sizeof(metric_keys[0]); t++) {
		arr = json_object_get(metrics, metric_keys[t].key);
		if (!json_is_array(arr))
			continue;
		k1 = feed_ptr_key(c, metric_keys[t].key);
		for (i = 0; i < json_array_size(arr); i++) {
			k2 = feed_ptr_idx(c, i);
			rc = parse_metric(c, json_array_get(arr, i), metric_keys[t].version,
					  &r->cve->metrics[n++]);
			feed_ptr_pop(c, k2);
			if (rc != VG_OK)
				break;
		}
		feed_ptr_pop(c, k1);
		if (rc != VG_OK)
			goto out;
	}
	r->cve->n_metrics = n;
out:
	feed_ptr_pop(c, old);
	return rc;
}

static int parse_weaknesses(struct rec *r, const json_t *cve)
{
	struct feed_ctx *c = &r->c;
	const json_t *arr, *w, *descs, *d;
	size_t total = 0, old, k1, k2, i, j;
	int rc;

	if ((rc = feed_array(c, cve, "weaknesses", 0, 10000, &arr)) != VG_OK || !arr)
		return rc;
	old = feed_ptr_key(c, "weaknesses");
	json_array_foreach(arr, i, w)
	{
		k1 = feed_ptr_idx(c, i);
		if (!json_is_object(w))
			rc = feed_fail(c, "expected an object");
		else
			rc = feed_array(c, w, "description", 1, 10000, &descs);
		feed_ptr_pop(c, k1);
		if (rc != VG_OK)
			goto out;
		total += json_array_size(descs);
	}
	r->cve->weaknesses = vg_arena_array(c->arena, total, sizeof(*r->cve->weaknesses));
	if (!r->cve->weaknesses) {
		rc = feed_oom(c);
		goto out;
	}
	json_array_foreach(arr, i, w)
	{
		const char *source = NULL;
		int primary = 0;
		k1 = feed_ptr_idx(c, i);
		if ((rc = feed_str(c, w, "source", 0, &source)) == VG_OK)
			rc = parse_type(c, w, &primary);
		descs = json_object_get(w, "description");
		size_t k0 = feed_ptr_key(c, "description");
		json_array_foreach(descs, j, d)
		{
			struct nvd_weakness *x;
			if (rc != VG_OK)
				break;
			k2 = feed_ptr_idx(c, j);
			x = &r->cve->weaknesses[r->cve->n_weaknesses];
			if (!json_is_object(d))
				rc = feed_fail(c, "expected an object");
			else
				rc = feed_str(c, d, "value", 1, &x->cwe);
			feed_ptr_pop(c, k2);
			if (rc == VG_OK) {
				x->source = source;
				x->primary = primary;
				r->cve->n_weaknesses++;
			}
		}
		feed_ptr_pop(c, k0);
		feed_ptr_pop(c, k1);
		if (rc != VG_OK)
			goto out;
	}
out:
	feed_ptr_pop(c, old);
	return rc;
}

static int parse_refs(struct rec *r, const json_t *cve)
{
	struct feed_ctx *c = &r->c;
	const json_t *arr, *ref;
	size_t old, k, i;
	int rc;

	if ((rc = feed_array(c, cve, "references", 0, 100000, &arr)) != VG_OK || !arr)
		return rc;
	r->cve->refs = vg_arena_array(c->arena, json_array_size(arr), sizeof(*r->cve->refs));
	if (!r->cve->refs)
		return feed_oom(c);
	old = feed_ptr_key(c, "references");
	json_array_foreach(arr, i, ref)
	{
		struct nvd_reference *x = &r->cve->refs[i];
		k = feed_ptr_idx(c, i);
		if (!json_is_object(ref))
			rc = feed_fail(c, "expected an object");
		else if ((rc = feed_str(c, ref, "url", 1, &x->url)) == VG_OK &&
			 (rc = feed_str(c, ref, "source", 0, &x->source)) == VG_OK)
			rc = feed_str_list(c, ref, "tags", 0, 1000, &x->tags, &x->n_tags);
		feed_ptr_pop(c, k);
		if (rc != VG_OK)
			break;
		r->cve->n_refs = i + 1;
	}
	feed_ptr_pop(c, old);
	return rc;
}

void nvd_cve_free(struct nvd_cve *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_configs; i++)
		for (size_t j = 0; j < c->configs[i].n_nodes; j++)
			for (size_t k = 0; k < c->configs[i].nodes[j].n_matches; k++)
				cpe_release(&c->configs[i].nodes[j].matches[k].cpe);
	vg_arena_release(&c->arena);
	free(c);
}

int nvd_cve_from_json(const json_t *cve, const char *file, const char *ptr, struct nvd_cve **out,
		      struct vg_error *err)
{
	struct rec r;
	const json_t *idv;
	int rc;

	*out = NULL;
	r.cve = calloc(1, sizeof(*r.cve));
	if (!r.cve)
		return vg_error_set(err, VG_ENOMEM, "%s: out of memory", file ? file : "(input)");
	vg_arena_init(&r.cve->arena, NVD_MAX_RECORD_MEM);
	feed_ctx_init(&r.c, file, &r.cve->arena, err);
	if (ptr && *ptr) {
		/* the caller's pointer, taken as already escaped */
		size_t n = strlen(ptr);
		if (n >= sizeof(r.c.ptr))
			n = sizeof(r.c.ptr) - 1;
		memcpy(r.c.ptr, ptr, n);
		r.c.ptr[n] = '\0';
		r.c.len = n;
	}
	if (!json_is_object(cve)) {
		rc = feed_fail(&r.c, "expected a CVE object");
		goto out;
	}
	if ((rc = feed_str(&r.c, cve, "id", 1, &r.cve->id)) != VG_OK)
		goto out;
	if ((rc = feed_str(&r.c, cve, "sourceIdentifier", 0, &r.cve->source_identifier)) ||
	    (rc = feed_str(&r.c, cve, "published", 0, &r.cve->published)) ||
	    (rc = feed_str(&r.c, cve, "lastModified", 0, &r.cve->last_modified)) ||
	    (rc = feed_str(&r.c, cve, "vulnStatus", 0, &r.cve->vuln_status)) ||
	    (rc = feed_str(&r.c, cve, "cisaExploitAdd", 0, &r.cve->cisa_exploit_add)) ||
	    (rc = feed_str(&r.c, cve, "cisaActionDue", 0, &r.cve->cisa_action_due)) ||
	    (rc = feed_str(&r.c, cve, "cisaRequiredAction", 0, &r.cve->cisa_required_action)) ||
	    (rc = feed_str(&r.c, cve, "cisaVulnerabilityName", 0,
			   &r.cve->cisa_vulnerability_name)) ||
	    (rc = parse_description(&r, cve)) || (rc = parse_metrics(&r, cve)) ||
	    (rc = parse_weaknesses(&r, cve)) || (rc = parse_refs(&r, cve)) ||
	    (rc = parse_configs(&r, cve)))
		goto out;
	r.cve->withdrawn = r.cve->vuln_status && strcmp(r.cve->vuln_status, "Rejected") == 0;
out:
	if (rc != VG_OK) {
		idv = json_is_object(cve) ? json_object_get(cve, "id") : NULL;
		if (json_is_string(idv))
			vg_error_prefix(err, "%.100s", json_string_value(idv));
		nvd_cve_free(r.cve);
		return rc;
	}
	*out = r.cve;
	return VG_OK;
}

void nvd_feed_release(struct nvd_feed *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_cves; i++)
		nvd_cve_free(f->cves[i]);
	free(f->cves);
	free((char *)f->timestamp);
	for (size_t i = 0; i < NVD_MAX_SKIP_MSGS; i++)
		free(f->skipped[i]);
	memset(f, 0, sizeof(*f));
}

static void note_skip(struct nvd_feed *f, const struct vg_error *e)
{
	if (f->n_skipped < NVD_MAX_SKIP_MSGS)
		f->skipped[f->n_skipped] = strdup(vg_error_msg(e));
	f->n_skipped++;
}

int nvd_feed_parse(const char *data, size_t n, const char *file, struct nvd_feed *out,
		   struct vg_error *err)
{
	json_t *doc;
	const json_t *vulns, *item, *cve;
	const char *what = file ? file : "(input)";
	size_t i;
	int rc = VG_OK;

	memset(out, 0, sizeof(*out));
	out->total_results = out->start_index = out->results_per_page = -1;
	if (n > NVD_MAX_BYTES)
		return vg_error_set(err, VG_ETOOBIG, "%s: NVD documents are limited to %u bytes",
				    what, NVD_MAX_BYTES);
	doc = vg_json_parse(data, n, what, err);
	if (!doc)
		return VG_EPARSE;
	if (!json_is_object(doc)) {
		rc = vg_error_set(err, VG_EPARSE, "%s: (root): expected an object", what);
		goto out;
	}
	vulns = json_object_get(doc, "vulnerabilities");
	if (vulns) {
		const char *ts = vg_json_str(doc, "timestamp");
		if (!json_is_array(vulns)) {
			rc = vg_error_set(err, VG_EPARSE, "%s: /vulnerabilities: expected an array",
					  what);
			goto out;
		}
		out->total_results = vg_json_int(doc, "totalResults", -1);
		out->start_index = vg_json_int(doc, "startIndex", -1);
		out->results_per_page = vg_json_int(doc, "resultsPerPage", -1);
		if (ts && !(out->timestamp = strdup(ts))) {
			rc = vg_error_set(err, VG_ENOMEM, "%s: out of memory", what);
			goto out;
		}
	} else if (json_object_get(doc, "cve") || json_object_get(doc, "id")) {
		vulns = NULL;
	} else {
		rc = vg_error_set(err, VG_EPARSE,
				  "%s: (root): expected an NVD CVE API 2.0 page "
				  "(\"vulnerabilities\") or a CVE record (\"cve\" or \"id\")",
				  what);
		goto out;
	}
	out->cves = calloc(vulns ? json_array_size(vulns) + 1 : 1, sizeof(*out->cves));
	if (!out->cves) {
		rc = vg_error_set(err, VG_ENOMEM, "%s: out of memory", what);
		goto out;
	}
	for (i = 0; i < (vulns ? json_array_size(vulns) : 1); i++) {
		char ptr[64];
		struct vg_error e = {0};
		struct nvd_cve *c = NULL;
		int r;

		item = vulns ? json_array_get(vulns, i) : doc;
		cve = json_object_get(item, "cve");
		if (cve)
			snprintf(ptr, sizeof(ptr), vulns ? "/vulnerabilities/%zu/cve" : "/cve", i);
		else if (vulns)
			snprintf(ptr, sizeof(ptr), "/vulnerabilities/%zu", i);
		else
			ptr[0] = '\0';
		if (!cve && vulns) {
			vg_error_set(&e, VG_EPARSE, "%s: %s: expected an object with \"cve\"", what,
				     ptr);
			note_skip(out, &e);
			continue;
		}
		r = nvd_cve_from_json(cve ? cve : item, what, ptr, &c, &e);
		if (r == VG_ENOMEM) {
			rc = vg_error_set(err, VG_ENOMEM, "%s", vg_error_msg(&e));
			goto out;
		}
		if (r != VG_OK) {
			note_skip(out, &e);
			continue;
		}
		out->cves[out->n_cves++] = c;
	}
	if (!vulns && out->n_cves == 0) {
		/* a single record that is bad is the whole document */
		rc = vg_error_set(err, VG_EPARSE, "%s", out->skipped[0] ? out->skipped[0] : what);
		goto out;
	}
out:
	json_decref(doc);
	return rc;
}

/* ---------------------------------------------------------- versions */

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Plain SemVer for our purpose: [v]N[.N[.N]][-pre], pre starting with a
 * letter (a numeric suffix "-1" is a package revision in CPE land). */
static int plain_semver(const char *s)
{
	const char *p = s;
	int parts = 0;

	if (*p == 'v' || *p == 'V')
		p++;
	for (;;) {
		if (!is_digit((unsigned char)*p))
			return 0;
		while (is_digit((unsigned char)*p))
			p++;
		parts++;
		if (*p != '.')
			break;
		if (parts == 3)
			return 0;
		p++;
	}
	if (*p == '\0')
		return 1;
	if (*p != '-' || !is_alpha((unsigned char)p[1]))
		return 0;
	for (p++; *p; p++)
		if (!is_digit((unsigned char)*p) && !is_alpha((unsigned char)*p) && *p != '.' &&
		    *p != '-')
			return 0;
	return 1;
}

struct tok {
	const char *p;
	size_t n;
	int num;
};

/* Next run of digits or letters; separators skipped. */
static int next_tok(const char **s, struct tok *t)
{
	const char *p = *s;
	while (*p && !is_digit((unsigned char)*p) && !is_alpha((unsigned char)*p))
		p++;
	if (!*p) {
		*s = p;
		return 0;
	}
	t->p = p;
	t->num = is_digit((unsigned char)*p);
	while (*p && (t->num ? is_digit((unsigned char)*p) : is_alpha((unsigned char)*p)))
		p++;
	t->n = (size_t)(p - t->p);
	*s = p;
	return 1;
}

static int tok_is(const struct tok *t, const char *w)
{
	size_t n = strlen(w);
	if (t->n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)t->p[i]) != w[i])
			return 0;
	return 1;
}

static int is_prerelease_word(const struct tok *t)
{
	static const char *const words[] = {"alpha", "beta",     "rc",        "pre", "preview",
					    "dev",   "snapshot", "milestone", "cr",  "ea"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (tok_is(t, words[i]))
			return 1;
	return 0;
}

static int cmp_num(const struct tok *a, const struct tok *b)
{
	const char *x = a->p, *y = b->p;
	size_t n = a->n, m = b->n;
	while (n > 1 && *x == '0')
		x++, n--;
	while (m > 1 && *y == '0')
		y++, m--;
	if (n != m)
		return n < m ? -1 : 1;
	int c = memcmp(x, y, n);
	return c < 0 ? -1 : c > 0;
}

static int cmp_alpha(const struct tok *a, const struct tok *b)
{
	size_t n = a->n < b->n ? a->n : b->n;
	for (size_t i = 0; i < n; i++) {
		int x = lower((unsigned char)a->p[i]), y = lower((unsigned char)b->p[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return a->n == b->n ? 0 : a->n < b->n ? -1 : 1;
}

static int all_zero(const struct tok *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->p[i] != '0')
			return 0;
	return 1;
}

/* The rest of s (after the common prefix) decides: trailing zeros are
 * nothing, a pre-release word is less, anything else is more. Returns the
 * order of "s" against "s without its rest". */
static int rest_order(const char *s, const struct tok *first)
{
	struct tok t = *first;
	for (;;) {
		if (!t.num)
			return is_prerelease_word(&t) ? -1 : 1;
		if (!all_zero(&t))
			return 1;
		if (!next_tok(&s, &t))
			return 0;
	}
}

static const char *skip_v(const char *s)
{
	if ((*s == 'v' || *s == 'V') && is_digit((unsigned char)s[1]))
		return s + 1;
	return s;
}

static int generic_cmp(const char *a, const char *b)
{
	struct tok x, y;
	int hx, hy, c;

	a = skip_v(a);
	b = skip_v(b);
	for (;;) {
		hx = next_tok(&a, &x);
		hy = next_tok(&b, &y);
		if (!hx && !hy)
			return 0;
		if (!hx)
			return -rest_order(b, &y);
		if (!hy)
			return rest_order(a, &x);
		if (x.num && y.num) {
			c = cmp_num(&x, &y);
		} else if (!x.num && !y.num) {
			int px = is_prerelease_word(&x), py = is_prerelease_word(&y);
			if (px != py) /* "1.0rc1" < "1.0a": a pre-release is below the rest */
				return px ? -1 : 1;
			c = cmp_alpha(&x, &y);
		} else {
			/* a number is above letters: "1.0.1" > "1.0rc1", "1.0.1" > "1.0a" */
			return x.num ? 1 : -1;
		}
		if (c)
			return c;
	}
}

int nvd_version_cmp(const char *a, const char *b)
{
	if (plain_semver(a) && plain_semver(b)) {
		int out = 0;
		if (version_compare_scheme(VS_SEMVER, a, b, &out, NULL) == VG_OK)
			return out;
	}
	return generic_cmp(a, b);
}

/* ---------------------------------------------------------- matching */

/* NVD writes "-" (and could write "*" or "") where it means no bound. */
static const char *bound(const char *b)
{
	if (!b || !*b || strcmp(b, "-") == 0 || strcmp(b, "*") == 0)
		return NULL;
	return b;
}

static int has_bounds(const struct nvd_cpe_match *m)
{
	return bound(m->start_incl) || bound(m->start_excl) || bound(m->end_incl) ||
	       bound(m->end_excl);
}

/* The version of target for range checks: version + update (malloc'ed). */
static char *target_version(const struct cpe *t)
{
	char *v = cpe_attr_plain(t, CPE_VERSION), *u, *out;
	const char *up;
	size_t n;

	if (!v || t->attr[CPE_UPDATE].kind != CPE_VALUE)
		return v;
	u = cpe_attr_plain(t, CPE_UPDATE);
	if (!u)
		return v;
	up = u;
	if (strncmp(up, "update_", 7) == 0 || strncmp(up, "update-", 7) == 0)
		up += 6; /* Java "update_241" -> "_241" */
	n = strlen(v) + strlen(up) + 2;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s%s%s", v, is_digit((unsigned char)*up) ? "." : "", up);
	free(v);
	free(u);
	return out;
}

int nvd_match_version(const struct nvd_cpe_match *m, const struct cpe *target)
{
	char *v;
	int ok = 1;

	if (!has_bounds(m))
		return 1;
	if (target->attr[CPE_VERSION].kind == CPE_ANY)
		return -1;
	if (target->attr[CPE_VERSION].kind == CPE_NA)
		return 0;
	v = target_version(target);
	if (!v)
		return 0;
	if (bound(m->start_incl) && nvd_version_cmp(v, m->start_incl) < 0)
		ok = 0;
	if (ok && bound(m->start_excl) && nvd_version_cmp(v, m->start_excl) <= 0)
		ok = 0;
	if (ok && bound(m->end_incl) && nvd_version_cmp(v, m->end_incl) > 0)
		ok = 0;
	if (ok && bound(m->end_excl) && nvd_version_cmp(v, m->end_excl) >= 0)
		ok = 0;
	free(v);
	return ok;
}

char *nvd_range_str(const struct nvd_cpe_match *m, char *buf, size_t n)
{
	size_t len = 0;
	const char *sep = "";

	if (n == 0)
		return buf;
	buf[0] = '\0';
#define ADD(op, v)                                                               \
	if (v) {                                                                 \
		int w = snprintf(buf + len, n - len, "%s%s%s", sep, op, v);      \
		len = (w < 0 || (size_t)w >= n - len) ? n - 1 : len + (size_t)w; \
		sep = ", ";                                                      \
	}
	ADD(">=", bound(m->start_incl))
	ADD(">", bound(m->start_excl))
	ADD("<=", bound(m->end_incl))
	ADD("<", bound(m->end_excl))
#undef ADD
	return buf;
}

struct eval {
	const struct cpe *cpes;
	size_t n;
	int undecided;
};

/* Index of the first CPE satisfying m, or n. */
static size_t entry_hit(struct eval *e, const struct nvd_cpe_match *m)
{
	for (size_t i = 0; i < e->n; i++) {
		int v;
		if (!cpe_match(&m->cpe, &e->cpes[i]))
			continue;
		v = nvd_match_version(m, &e->cpes[i]);
		if (v == 1)
			return i;
		if (v < 0)
			e->undecided = 1;
	}
	return e->n;
}

/* Node value; *vuln set when it holds through a vulnerable entry. */
static int eval_node(struct eval *e, const struct nvd_node *node, int *vuln)
{
	int any = 0, all = 1, hit_vuln = 0, has_vuln = 0, val;

	*vuln = 0;
	for (size_t k = 0; k < node->n_matches; k++) {
		const struct nvd_cpe_match *m = &node->matches[k];
		int hit = entry_hit(e, m) < e->n;
		any |= hit;
		all &= hit;
		has_vuln |= m->vulnerable;
		hit_vuln |= hit && m->vulnerable;
	}
	val = node->op == NVD_AND ? (node->n_matches > 0 && all) : any;
	if (node->negate)
		return !val; /* a negated node never makes anything vulnerable */
	*vuln = val && (node->op == NVD_AND ? has_vuln : hit_vuln);
	return val;
}

static int eval_config(struct eval *e, const struct nvd_config *cfg)
{
	int any = 0, all = 1, vuln_any = 0, val;

	for (size_t j = 0; j < cfg->n_nodes; j++) {
		int vuln;
		int v = eval_node(e, &cfg->nodes[j], &vuln);
		any |= v;
		all &= v;
		vuln_any |= vuln;
	}
	val = cfg->op == NVD_AND ? (cfg->n_nodes > 0 && all) : any;
	if (cfg->negate)
		return 0; /* a negated configuration names what is NOT vulnerable */
	return val && vuln_any;
}

static void add_evidence(struct eval *e, const struct nvd_config *cfg, size_t ci,
			 struct nvd_match *out)
{
	for (size_t j = 0; j < cfg->n_nodes; j++) {
		const struct nvd_node *node = &cfg->nodes[j];
		int vuln;
		if (node->negate || !eval_node(e, node, &vuln))
			continue;
		for (size_t k = 0; k < node->n_matches; k++) {
			size_t hit = entry_hit(e, &node->matches[k]);
			if (hit >= e->n)
				continue;
			if (out->n_evidence < NVD_MAX_EVIDENCE) {
				struct nvd_evidence *ev = &out->evidence[out->n_evidence++];
				ev->m = &node->matches[k];
				ev->config = ci;
				ev->node = j;
				ev->match = k;
				ev->cpe = hit;
			}
			out->n_evidence_all++;
		}
	}
}

void nvd_config_match_parsed(const struct nvd_cve *cve, const struct cpe *cpes, size_t n,
			     struct nvd_match *out)
{
	struct eval e = {cpes, n, 0};

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < cve->n_configs; i++) {
		if (!eval_config(&e, &cve->configs[i]))
			continue;
		if (!out->vulnerable)
			out->first_config = i;
		out->vulnerable = 1;
		out->n_configs++;
		add_evidence(&e, &cve->configs[i], i, out);
	}
	out->undecided = e.undecided;
}

int nvd_config_match(const struct nvd_cve *cve, const char *const *cpes, size_t n,
		     struct nvd_match *out, struct vg_error *err)
{
	struct cpe *parsed;
	size_t i;
	int rc = VG_OK;

	memset(out, 0, sizeof(*out));
	if (n > 4096)
		return vg_error_set(err, VG_EINVAL, "%zu CPEs for one component: at most 4096", n);
	parsed = calloc(n ? n : 1, sizeof(*parsed));
	if (!parsed)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		rc = cpe_parse(cpes[i], &parsed[i], err);
		if (rc != VG_OK)
			break;
	}
	if (rc == VG_OK)
		nvd_config_match_parsed(cve, parsed, n, out);
	for (size_t k = 0; k < n; k++)
		cpe_release(&parsed[k]);
	free(parsed);
	return rc;
}
