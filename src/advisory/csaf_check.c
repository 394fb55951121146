#define _POSIX_C_SOURCE 200809L
/*
 * csaf_check.c - the CSAF 2.0 checks of one document (csaf_check.h): the
 * official JSON schema (shipped by the build into share/vigil/schemas/csaf,
 * with the FIRST CVSS schemas in their strict form), the mandatory tests
 * 6.1.1-6.1.33 of the standard (section 6.1) and the recommended tests of
 * section 6.2 that need no outside data (csaf_check_rec.c).
 *
 * Every issue names its test ("6.1.7"), the JSON pointer of the failing
 * place and what was expected. The schema set is loaded once per process
 * and only read afterwards.
 */
#include "advisory/csaf_check.h"
#include "advisory/csaf_check_int.h"
#include "core/error.h"
#include "core/json.h"
#include "ident/purl.h"
#include "schema/jsonschema.h"
#include "vuln/cvss.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define CSAF_SCHEMA_URI "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"
/* the same schema with every object closed (test 6.2.20) */
#define CSAF_CLOSED_URI "urn:vigil:csaf-2.0-closed"

/* ---- issues ---- */

int csaf_issue(struct csaf_ctx *x, enum csaf_check_kind kind, const char *test, const char *path,
	       const char *fmt, ...)
{
	struct csaf_check_result *r = x->r;
	if (x->rc)
		return x->rc;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct csaf_check_issue *p = realloc(r->issues, cap * sizeof(*p));
		if (!p)
			return x->rc = VG_ENOMEM;
		r->issues = p;
		r->cap = cap;
	}
	struct csaf_check_issue *i = &r->issues[r->n++];
	memset(i, 0, sizeof(*i));
	i->kind = kind;
	snprintf(i->test, sizeof(i->test), "%s", test);
	snprintf(i->path, sizeof(i->path), "%s", path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(i->message, sizeof(i->message), fmt, ap);
	va_end(ap);
	if (kind == CSAF_CHECK_SCHEMA)
		r->schema_failures++;
	else if (kind == CSAF_CHECK_MANDATORY)
		r->mandatory_failures++;
	else
		r->recommended_warnings++;
	return VG_OK;
}

#define FAIL(x, test, path, ...) csaf_issue((x), CSAF_CHECK_MANDATORY, (test), (path), __VA_ARGS__)

/* ---- small helpers shared with csaf_check_rec.c ---- */

json_t *csaf_at(const json_t *v, const char *a, const char *b)
{
	v = json_object_get(v, a);
	return b ? json_object_get(v, b) : (json_t *)v;
}

/* The JSON pointer escape of one key (~ and /), appended. */
void csaf_path(char *out, size_t n, const char *base, const char *key, long idx)
{
	if (key) {
		size_t l = (size_t)snprintf(out, n, "%s/", base);
		for (const char *k = key; *k && l + 3 < n; k++) {
			if (*k == '~' || *k == '/') {
				out[l++] = '~';
				out[l++] = *k == '~' ? '0' : '1';
			} else
				out[l++] = *k;
		}
		out[l < n ? l : n - 1] = '\0';
	} else
		snprintf(out, n, "%s/%ld", base, idx);
}

/* RFC 3339 date-time into microseconds since the epoch; 0 when not one. */
int csaf_date(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    n != 19)
		return 0;
	const char *p = s + 19;
	int64_t us = 0;
	if (*p == '.') {
		int digits = 0;
		for (p++; isdigit((unsigned char)*p); p++, digits++)
			if (digits < 6)
				us = us * 10 + (*p - '0');
		if (!digits)
			return 0;
		for (; digits < 6; digits++)
			us *= 10;
	}
	int off = 0;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		int oh, om, m = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &m) != 2 || m != 5)
			return 0;
		off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
		p += 6;
	} else
		return 0;
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return 0;
	/* days from civil (Howard Hinnant) */
	int yy = y - (mo <= 2);
	int era = (yy >= 0 ? yy : yy - 399) / 400;
	int yoe = yy - era * 400;
	int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468;
	int64_t t = days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)off * 60;
	*out = t * 1000000 + us;
	return 1;
}

/* ---- versions: integer versioning or semantic versioning 2.0.0 ---- */

static int num_field(const char *s, size_t n, long long *out)
{
	if (n == 0 || n > 18 || (n > 1 && s[0] == '0'))
		return 0;
	long long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int ident_ok(const char *s, size_t n, int numeric_no_zero)
{
	if (n == 0)
		return 0;
	int all_digits = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '-')
			return 0;
		if (!isdigit(c))
			all_digits = 0;
	}
	return !(numeric_no_zero && all_digits && n > 1 && s[0] == '0');
}

static int dotted_ok(const char *s, size_t n, int numeric_no_zero)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++)
		if (i == n || s[i] == '.') {
			if (!ident_ok(s + start, i - start, numeric_no_zero))
				return 0;
			start = i + 1;
		}
	return 1;
}

int csaf_version(const char *s, struct csaf_ver *v)
{
	memset(v, 0, sizeof(*v));
	if (!s)
		return 0;
	size_t n = strlen(s);
	if (num_field(s, n, &v->major)) {
		v->ok = 1;
		return 1;
	}
	const char *plus = strchr(s, '+');
	size_t core_end = plus ? (size_t)(plus - s) : n;
	const char *dash = memchr(s, '-', core_end);
	size_t nums_end = dash ? (size_t)(dash - s) : core_end;
	const char *d1 = memchr(s, '.', nums_end);
	const char *d2 = d1 ? memchr(d1 + 1, '.', nums_end - (size_t)(d1 + 1 - s)) : NULL;
	if (!d1 || !d2 || !num_field(s, (size_t)(d1 - s), &v->major) ||
	    !num_field(d1 + 1, (size_t)(d2 - d1 - 1), &v->minor) ||
	    !num_field(d2 + 1, nums_end - (size_t)(d2 + 1 - s), &v->patch))
		return 0;
	if (dash) {
		v->pre = dash + 1;
		v->pre_len = core_end - (size_t)(dash + 1 - s);
		if (!dotted_ok(v->pre, v->pre_len, 1))
			return 0;
	}
	if (plus) {
		v->has_build = 1;
		if (!dotted_ok(plus + 1, n - core_end - 1, 0))
			return 0;
	}
	v->semver = 1;
	v->ok = 1;
	return 1;
}

static int cmp_ll(long long a, long long b)
{
	return a < b ? -1 : a > b;
}

/* Semantic versioning precedence (build metadata ignored). */
int csaf_version_cmp(const struct csaf_ver *a, const struct csaf_ver *b)
{
	int c;
	if ((c = cmp_ll(a->major, b->major)) || (c = cmp_ll(a->minor, b->minor)) ||
	    (c = cmp_ll(a->patch, b->patch)))
		return c;
	if (!a->pre_len || !b->pre_len)
		return a->pre_len == b->pre_len ? 0 : (a->pre_len == 0 ? 1 : -1);
	const char *p = a->pre, *q = b->pre, *pe = a->pre + a->pre_len, *qe = b->pre + b->pre_len;
	while (p < pe && q < qe) {
		const char *pd = memchr(p, '.', (size_t)(pe - p)),
			   *qd = memchr(q, '.', (size_t)(qe - q));
		size_t pl = pd ? (size_t)(pd - p) : (size_t)(pe - p);
		size_t ql = qd ? (size_t)(qd - q) : (size_t)(qe - q);
		long long pn, qn;
		int pnum = num_field(p, pl, &pn) || (pl == 1 && *p == '0' && !(pn = 0));
		int qnum = num_field(q, ql, &qn) || (ql == 1 && *q == '0' && !(qn = 0));
		if (pnum && qnum)
			c = cmp_ll(pn, qn);
		else if (pnum != qnum)
			c = pnum ? -1 : 1;
		else {
			c = strncmp(p, q, pl < ql ? pl : ql);
			if (!c)
				c = cmp_ll((long long)pl, (long long)ql);
		}
		if (c)
			return c;
		p += pl + 1;
		q += ql + 1;
	}
	return (p < pe) - (q < qe);
}

/* ---- products and groups ---- */

static void define_product(struct csaf_ctx *x, const json_t *fpn, const char *path)
{
	const char *id = vg_json_str(fpn, "product_id");
	if (!id)
		return;
	char p[CSAF_PATH];
	snprintf(p, sizeof(p), "%s/product_id", path);
	if (json_object_get(x->defs, id))
		FAIL(x, "6.1.2", p, "product id '%s' is defined a second time (first at %s)", id,
		     json_string_value(json_object_get(x->defs, id)));
	else if (json_object_set_new(x->defs, id, json_string(p)))
		x->rc = VG_ENOMEM;
	if (x->product_cb)
		x->product_cb(x, fpn, path);
}

static void walk_branches(struct csaf_ctx *x, const json_t *branches, const char *path, int depth)
{
	size_t i;
	json_t *b;
	if (!json_is_array(branches) || depth > 64)
		return;
	json_array_foreach(branches, i, b)
	{
		char p[CSAF_PATH], q[CSAF_PATH];
		csaf_path(p, sizeof(p), path, NULL, (long)i);
		if (x->branch_cb)
			x->branch_cb(x, b, p);
		json_t *prod = json_object_get(b, "product");
		if (json_is_object(prod)) {
			snprintf(q, sizeof(q), "%s/product", p);
			define_product(x, prod, q);
		}
		snprintf(q, sizeof(q), "%s/branches", p);
		walk_branches(x, json_object_get(b, "branches"), q, depth + 1);
	}
}

/* Every product definition of the product tree, through define_product(). */
void csaf_walk_products(struct csaf_ctx *x)
{
	json_t *pt = json_object_get(x->doc, "product_tree"), *v;
	size_t i;
	json_object_clear(x->defs);
	walk_branches(x, json_object_get(pt, "branches"), "/product_tree/branches", 0);
	json_array_foreach(json_object_get(pt, "full_product_names"), i, v)
	{
		char p[CSAF_PATH];
		csaf_path(p, sizeof(p), "/product_tree/full_product_names", NULL, (long)i);
		define_product(x, v, p);
	}
	json_array_foreach(json_object_get(pt, "relationships"), i, v)
	{
		char p[CSAF_PATH];
		snprintf(p, sizeof(p), "/product_tree/relationships/%zu/full_product_name", i);
		json_t *f = json_object_get(v, "full_product_name");
		if (json_is_object(f))
			define_product(x, f, p);
	}
}

static void ref_list(struct csaf_ctx *x, const json_t *arr, const char *path, csaf_ref_fn cb,
		     void *arg, int vuln)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v))
			continue;
		char p[CSAF_PATH];
		csaf_path(p, sizeof(p), path, NULL, (long)i);
		cb(x, json_string_value(v), p, vuln, arg);
	}
}

const char *const csaf_status_names[] = {
    "first_affected",     "known_affected",      "last_affected",
    "known_not_affected", "first_fixed",         "fixed",
    "recommended",        "under_investigation", NULL,
};

/* Every product id referenced (not defined) in the document. vuln is the
 * index of the vulnerability, -1 in the product tree. */
void csaf_each_product_ref(struct csaf_ctx *x, csaf_ref_fn cb, void *arg)
{
	json_t *pt = json_object_get(x->doc, "product_tree"), *v, *w;
	size_t i, j;
	char p[CSAF_PATH];
	json_array_foreach(json_object_get(pt, "product_groups"), i, v)
	{
		snprintf(p, sizeof(p), "/product_tree/product_groups/%zu/product_ids", i);
		ref_list(x, json_object_get(v, "product_ids"), p, cb, arg, -1);
	}
	json_array_foreach(json_object_get(pt, "relationships"), i, v)
	{
		static const char *const keys[] = {"product_reference",
						   "relates_to_product_reference"};
		for (int k = 0; k < 2; k++) {
			const char *id = vg_json_str(v, keys[k]);
			snprintf(p, sizeof(p), "/product_tree/relationships/%zu/%s", i, keys[k]);
			if (id)
				cb(x, id, p, -1, arg);
		}
	}
	json_array_foreach(json_object_get(x->doc, "vulnerabilities"), i, v)
	{
		json_t *ps = json_object_get(v, "product_status");
		for (int s = 0; csaf_status_names[s]; s++) {
			snprintf(p, sizeof(p), "/vulnerabilities/%zu/product_status/%s", i,
				 csaf_status_names[s]);
			ref_list(x, json_object_get(ps, csaf_status_names[s]), p, cb, arg, (int)i);
		}
		static const char *const lists[][2] = {{"remediations", "product_ids"},
						       {"scores", "products"},
						       {"threats", "product_ids"},
						       {"flags", "product_ids"}};
		for (int l = 0; l < 4; l++)
			json_array_foreach(json_object_get(v, lists[l][0]), j, w)
			{
				snprintf(p, sizeof(p), "/vulnerabilities/%zu/%s/%zu/%s", i,
					 lists[l][0], j, lists[l][1]);
				ref_list(x, json_object_get(w, lists[l][1]), p, cb, arg, (int)i);
			}
	}
}

void csaf_each_group_ref(struct csaf_ctx *x, csaf_ref_fn cb, void *arg)
{
	json_t *v, *w;
	size_t i, j;
	char p[CSAF_PATH];
	json_array_foreach(json_object_get(x->doc, "vulnerabilities"), i, v)
	{
		static const char *const lists[] = {"remediations", "threats", "flags"};
		for (int l = 0; l < 3; l++)
			json_array_foreach(json_object_get(v, lists[l]), j, w)
			{
				snprintf(p, sizeof(p), "/vulnerabilities/%zu/%s/%zu/group_ids", i,
					 lists[l], j);
				ref_list(x, json_object_get(w, "group_ids"), p, cb, arg, (int)i);
			}
	}
}

static void ref_defined(struct csaf_ctx *x, const char *id, const char *path, int vuln, void *arg)
{
	(void)vuln;
	(void)arg;
	if (!json_object_get(x->defs, id))
		FAIL(x, "6.1.1", path, "product id '%s' is not defined in the product tree", id);
}

static void group_defined(struct csaf_ctx *x, const char *id, const char *path, int vuln, void *arg)
{
	(void)vuln;
	(void)arg;
	if (!json_object_get(x->groups, id))
		FAIL(x, "6.1.4", path, "product group id '%s' is not defined in the product tree",
		     id);
}

/* 6.1.1 - 6.1.5 */
static void test_products(struct csaf_ctx *x)
{
	json_t *pt = json_object_get(x->doc, "product_tree"), *v;
	size_t i;
	csaf_walk_products(x);
	csaf_each_product_ref(x, ref_defined, NULL);
	json_array_foreach(json_object_get(pt, "product_groups"), i, v)
	{
		const char *g = vg_json_str(v, "group_id");
		char p[CSAF_PATH];
		snprintf(p, sizeof(p), "/product_tree/product_groups/%zu/group_id", i);
		if (!g)
			continue;
		if (json_object_get(x->groups, g))
			FAIL(x, "6.1.5", p, "product group id '%s' is defined a second time", g);
		else if (json_object_set_new(x->groups, g, json_incref(v)))
			x->rc = VG_ENOMEM;
	}
	csaf_each_group_ref(x, group_defined, NULL);

	/* 6.1.3: a relationship whose product is (through other relationships)
	 * made of itself. */
	json_t *rels = json_object_get(pt, "relationships");
	json_array_foreach(rels, i, v)
	{
		const char *id = vg_json_str(json_object_get(v, "full_product_name"), "product_id");
		if (!id)
			continue;
		/* depth-first over the references, bounded by the number of relationships */
		const char *stack[256];
		size_t sp = 0, steps = 0, nrel = json_array_size(rels);
		int circular = 0;
		stack[sp++] = vg_json_str(v, "product_reference");
		stack[sp++] = vg_json_str(v, "relates_to_product_reference");
		while (sp && !circular && steps++ < nrel * nrel + 4) {
			const char *r = stack[--sp];
			if (!r)
				continue;
			if (strcmp(r, id) == 0) {
				circular = 1;
				break;
			}
			size_t k;
			json_t *w;
			json_array_foreach(rels, k, w)
			{
				const char *wid = vg_json_str(
				    json_object_get(w, "full_product_name"), "product_id");
				if (wid && strcmp(wid, r) == 0 && sp + 2 <= 256) {
					stack[sp++] = vg_json_str(w, "product_reference");
					stack[sp++] =
					    vg_json_str(w, "relates_to_product_reference");
				}
			}
		}
		if (circular) {
			char p[CSAF_PATH];
			snprintf(p, sizeof(p), "/product_tree/relationships/%zu", i);
			FAIL(x, "6.1.3", p, "product id '%s' is defined through itself (circular)",
			     id);
		}
	}
}

/* ---- 6.1.6 contradicting product status ---- */

static int status_group(const char *name)
{
	if (!strcmp(name, "first_affected") || !strcmp(name, "known_affected") ||
	    !strcmp(name, "last_affected"))
		return 1;
	if (!strcmp(name, "known_not_affected"))
		return 2;
	if (!strcmp(name, "first_fixed") || !strcmp(name, "fixed"))
		return 3;
	if (!strcmp(name, "under_investigation"))
		return 4;
	return 0; /* recommended: no contradiction */
}

static void test_status(struct csaf_ctx *x)
{
	static const char *const groups[] = {"", "affected", "not affected", "fixed",
					     "under investigation"};
	json_t *v;
	size_t i;
	json_array_foreach(json_object_get(x->doc, "vulnerabilities"), i, v)
	{
		json_t *seen = json_object(), *ps = json_object_get(v, "product_status");
		if (!seen) {
			x->rc = VG_ENOMEM;
			return;
		}
		for (int s = 0; csaf_status_names[s]; s++) {
			int g = status_group(csaf_status_names[s]);
			json_t *id;
			size_t j;
			if (!g)
				continue;
			json_array_foreach(json_object_get(ps, csaf_status_names[s]), j, id)
			{
				const char *k = json_string_value(id);
				if (!k)
					continue;
				json_t *prev = json_object_get(seen, k);
				if (prev && json_integer_value(prev) != g) {
					char p[CSAF_PATH];
					snprintf(p, sizeof(p),
						 "/vulnerabilities/%zu/product_status/%s/%zu", i,
						 csaf_status_names[s], j);
					FAIL(x, "6.1.6", p,
					     "product '%s' is both %s and %s in this vulnerability",
					     k, groups[json_integer_value(prev)], groups[g]);
				} else if (!prev)
					json_object_set_new(seen, k, json_integer(g));
			}
		}
		json_decref(seen);
	}
}

/* ---- 6.1.7, 6.1.9, 6.1.10: CVSS ---- */

static char metric_code(const char *value, int v2)
{
	(void)v2;
	return value[0];
}

/* The vector's abbreviation of a JSON value name of CVSS v3 / v2. */
static const char *value_abbr(const char *value, int v2, char *buf)
{
	static const char *const v2map[][2] = {
	    {"NOT_DEFINED", "ND"},   {"PROOF_OF_CONCEPT", "POC"}, {"OFFICIAL_FIX", "OF"},
	    {"TEMPORARY_FIX", "TF"}, {"UNCONFIRMED", "UC"},       {"UNCORROBORATED", "UR"},
	    {"LOW_MEDIUM", "LM"},    {"MEDIUM_HIGH", "MH"},
	};
	if (v2) {
		for (size_t i = 0; i < sizeof(v2map) / sizeof(v2map[0]); i++)
			if (!strcmp(value, v2map[i][0]))
				return v2map[i][1];
	} else if (!strcmp(value, "NOT_DEFINED"))
		return "X";
	buf[0] = metric_code(value, v2);
	buf[1] = '\0';
	return buf;
}

struct cvss_prop {
	const char *json, *abbr;
};
static const struct cvss_prop v3_props[] = {
    {"attackVector", "AV"},
    {"attackComplexity", "AC"},
    {"privilegesRequired", "PR"},
    {"userInteraction", "UI"},
    {"scope", "S"},
    {"confidentialityImpact", "C"},
    {"integrityImpact", "I"},
    {"availabilityImpact", "A"},
    {"exploitCodeMaturity", "E"},
    {"remediationLevel", "RL"},
    {"reportConfidence", "RC"},
    {"confidentialityRequirement", "CR"},
    {"integrityRequirement", "IR"},
    {"availabilityRequirement", "AR"},
    {"modifiedAttackVector", "MAV"},
    {"modifiedAttackComplexity", "MAC"},
    {"modifiedPrivilegesRequired", "MPR"},
    {"modifiedUserInteraction", "MUI"},
    {"modifiedScope", "MS"},
    {"modifiedConfidentialityImpact", "MC"},
    {"modifiedIntegrityImpact", "MI"},
    {"modifiedAvailabilityImpact", "MA"},
    {NULL, NULL},
};
static const struct cvss_prop v2_props[] = {
    {"accessVector", "AV"},
    {"accessComplexity", "AC"},
    {"authentication", "Au"},
    {"confidentialityImpact", "C"},
    {"integrityImpact", "I"},
    {"availabilityImpact", "A"},
    {"exploitability", "E"},
    {"remediationLevel", "RL"},
    {"reportConfidence", "RC"},
    {"collateralDamagePotential", "CDP"},
    {"targetDistribution", "TD"},
    {"confidentialityRequirement", "CR"},
    {"integrityRequirement", "IR"},
    {"availabilityRequirement", "AR"},
    {NULL, NULL},
};

static int score_eq(const json_t *given, double want)
{
	return json_is_number(given) && fabs(json_number_value(given) - want) < 0.05;
}

static void check_severity(struct csaf_ctx *x, const json_t *c, const char *key, double score,
			   const char *path)
{
	const char *sev = vg_json_str(c, key);
	const char *want = cvss_severity(score);
	if (sev && want && strcasecmp(sev, want) != 0) {
		char p[CSAF_PATH];
		snprintf(p, sizeof(p), "%s/%s", path, key);
		FAIL(x, "6.1.9", p, "%s is %s, the score %.1f gives %s", key, sev, score, want);
	}
}

static void check_cvss(struct csaf_ctx *x, const json_t *c, const char *path, int v2)
{
	const char *vec = vg_json_str(c, "vectorString");
	struct cvss cv;
	struct vg_error e = {0};
	char p[CSAF_PATH], buf[4];
	if (!vec || cvss_parse(vec, &cv, &e) != VG_OK)
		return; /* the schema names a broken vector (6.1.8) */
	const char *ver = vg_json_str(c, "version");
	const char *vname = cvss_version_name(cv.version);
	if (ver && strcmp(ver, vname) != 0) {
		snprintf(p, sizeof(p), "%s/version", path);
		FAIL(x, "6.1.10", p, "version %s does not match the vector (CVSS %s)", ver, vname);
	}
	if ((v2 && cv.version != CVSS_V2_0) || (!v2 && cv.version == CVSS_V2_0) ||
	    cv.version == CVSS_V4_0)
		return;
	for (const struct cvss_prop *pr = v2 ? v2_props : v3_props; pr->json; pr++) {
		const char *val = vg_json_str(c, pr->json);
		if (!val)
			continue;
		/* a metric the vector leaves out is not judged (the test documents
		 * of the standard and the reference library read it so) */
		const char *inv = cvss_get(&cv, pr->abbr);
		const char *want = value_abbr(val, v2, buf);
		if (inv && strcmp(inv, want) != 0) {
			snprintf(p, sizeof(p), "%s/%s", path, pr->json);
			FAIL(x, "6.1.10", p, "%s is %s, the vector says %s:%s", pr->json, val,
			     pr->abbr, inv);
		}
	}
	double base = cvss_base_score(&cv);
	if (json_object_get(c, "baseScore") && !score_eq(json_object_get(c, "baseScore"), base)) {
		snprintf(p, sizeof(p), "%s/baseScore", path);
		FAIL(x, "6.1.9", p, "baseScore is %g, the vector gives %.1f",
		     json_number_value(json_object_get(c, "baseScore")), base);
	}
	double temporal = cvss_temporal_score(&cv), env = cvss_environmental_score(&cv);
	if (json_object_get(c, "temporalScore") &&
	    !score_eq(json_object_get(c, "temporalScore"), temporal)) {
		snprintf(p, sizeof(p), "%s/temporalScore", path);
		FAIL(x, "6.1.9", p, "temporalScore is %g, the vector gives %.1f",
		     json_number_value(json_object_get(c, "temporalScore")), temporal);
	}
	if (json_object_get(c, "environmentalScore") &&
	    !score_eq(json_object_get(c, "environmentalScore"), env)) {
		snprintf(p, sizeof(p), "%s/environmentalScore", path);
		FAIL(x, "6.1.9", p, "environmentalScore is %g, the vector gives %.1f",
		     json_number_value(json_object_get(c, "environmentalScore")), env);
	}
	if (!v2) {
		check_severity(x, c, "baseSeverity", base, path);
		check_severity(x, c, "temporalSeverity", temporal, path);
		check_severity(x, c, "environmentalSeverity", env, path);
	}
}

static void test_scores(struct csaf_ctx *x)
{
	json_t *v, *s, *pid;
	size_t i, j, k;
	json_array_foreach(json_object_get(x->doc, "vulnerabilities"), i, v)
	{
		json_t *seen = json_object();
		if (!seen) {
			x->rc = VG_ENOMEM;
			return;
		}
		json_array_foreach(json_object_get(v, "scores"), j, s)
		{
			char p[CSAF_PATH];
			static const char *const kinds[] = {"cvss_v2", "cvss_v3"};
			for (int kd = 0; kd < 2; kd++) {
				json_t *c = json_object_get(s, kinds[kd]);
				if (!json_is_object(c))
					continue;
				snprintf(p, sizeof(p), "/vulnerabilities/%zu/scores/%zu/%s", i, j,
					 kinds[kd]);
				check_cvss(x, c, p, kd == 0);
				const char *ver = vg_json_str(c, "version");
				json_array_foreach(json_object_get(s, "products"), k, pid)
				{
					char key[600];
					if (!json_is_string(pid) || !ver)
						continue;
					snprintf(key, sizeof(key), "%s\n%s", json_string_value(pid),
						 ver);
					if (json_object_get(seen, key)) {
						snprintf(
						    p, sizeof(p),
						    "/vulnerabilities/%zu/scores/%zu/products/%zu",
						    i, j, k);
						FAIL(x, "6.1.7", p,
						     "product '%s' has a second CVSS %s score in "
						     "this "
						     "vulnerability",
						     json_string_value(pid), ver);
					} else
						json_object_set_new(seen, key, json_true());
				}
			}
		}
		json_decref(seen);
	}
}

/* ---- 6.1.11 CWE ---- */

static void test_cwe(struct csaf_ctx *x)
{
	json_t *v;
	size_t i;
	json_array_foreach(json_object_get(x->doc, "vulnerabilities"), i, v)
	{
		json_t *cwe = json_object_get(v, "cwe");
		const char *id = vg_json_str(cwe, "id"), *name = vg_json_str(cwe, "name");
		if (!id || !name)
			continue;
		const char *known = csaf_cwe_name(id);
		if (known && strcmp(known, name) != 0) {
			char p[CSAF_PATH];
			snprintf(p, sizeof(p), "/vulnerabilities/%zu/cwe/name", i);
			FAIL(x, "6.1.11", p, "%s is named '%s' in the CWE catalogue, not '%s'", id,
			     known, name);
		}
	}
}

/* ---- 6.1.12 language, 6.1.28 translation ---- */

/* ISO 639-1: the two-letter primary language subtags of the IANA registry. */
static const char iso639_1[] =
    "aaabaeafakamanarasavayazbabebgbhbibmbnbobrbscacechcocrcscucvcydadedvdzeeeleneoeseteu"
    "fafffifjfofrfygagdglgngugvhahehihohrhthuhyhziaidieigiiikinioisitiujakakgkikjkkklkm"
    "knkokrkskukvkwkylalblglilnloltlulvmgmhmimkmlmnmrmsmtmynanbndnenglnnnonrnvnyocojomor"
    "ospapiplpsptqurmrnrorurwsascsdsesgsiskslsmsnsosqsrssstsusvswtatetgthtitktltntotrts"
    "tttwtyugukuruzvevivowawoxhyiyozazhzu";

static int lang_ok(const char *tag)
{
	char sub[9][16];
	int n = 0;
	const char *p = tag;
	while (*p) {
		size_t l = strcspn(p, "-");
		if (l == 0 || l > 8 || n >= 9)
			return 0;
		for (size_t i = 0; i < l; i++)
			if (!isalnum((unsigned char)p[i]))
				return 0;
		memcpy(sub[n], p, l);
		sub[n++][l] = '\0';
		p += l;
		if (*p == '-' && !*++p)
			return 0;
	}
	if (n == 0)
		return 0;
	for (char *c = sub[0]; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (!strcmp(sub[0], "x") || !strcmp(sub[0], "i"))
		return n >= 2; /* private use, grandfathered */
	size_t l0 = strlen(sub[0]);
	for (size_t i = 0; i < l0; i++)
		if (!isalpha((unsigned char)sub[0][i]))
			return 0;
	if (l0 == 2) {
		int found = 0;
		for (size_t i = 0; i + 1 < sizeof(iso639_1); i += 2)
			if (iso639_1[i] == sub[0][0] && iso639_1[i + 1] == sub[0][1])
				found = 1;
		if (!found)
			return 0;
	} else if (l0 != 3 && !(l0 >= 5 && l0 <= 8))
		return 0;
	/* the rest: extlang, script, region, variants, extensions, private use */
	for (int i = 1; i < n; i++) {
		size_t l = strlen(sub[i]);
		if (l == 1) /* singleton: the rest is an extension or private use */
			return i + 1 < n;
		if (l == 4 && isalpha((unsigned char)sub[i][0]))
			continue; /* script */
		if (l == 2 || l == 3 || l >= 4)
			continue; /* region, extlang, variant */
	}
	return 1;
}

static void test_lang(struct csaf_ctx *x)
{
	json_t *d = json_object_get(x->doc, "document");
	const char *lang = vg_json_str(d, "lang"), *src = vg_json_str(d, "source_lang");
	if (lang && !lang_ok(lang))
		FAIL(x, "6.1.12", "/document/lang", "'%s' is not a valid BCP 47 language tag",
		     lang);
	if (src && !lang_ok(src))
		FAIL(x, "6.1.12", "/document/source_lang",
		     "'%s' is not a valid BCP 47 language tag", src);
	if (lang && src && strcasecmp(lang, src) == 0)
		FAIL(x, "6.1.28", "/document/lang",
		     "a translation: lang '%s' must differ from source_lang", lang);
	/* 6.1.15 */
	const char *pc = vg_json_str(json_object_get(d, "publisher"), "category");
	if (!src && pc && !strcmp(pc, "translator"))
		FAIL(x, "6.1.15", "/document/source_lang",
		     "a document whose publisher is a translator needs source_lang");
}

/* ---- 6.1.13 purl, 6.1.31 version ranges ---- */

static void purl_cb(struct csaf_ctx *x, const json_t *fpn, const char *path)
{
	const char *purl =
	    vg_json_str(json_object_get(fpn, "product_identification_helper"), "purl");
	struct purl pu;
	struct vg_error e = {0};
	if (!purl)
		return;
	if (purl_parse(purl, 0, &pu, &e) != VG_OK) {
		char p[CSAF_PATH];
		snprintf(p, sizeof(p), "%s/product_identification_helper/purl", path);
		FAIL(x, "6.1.13", p, "not a valid package URL: %s", vg_error_msg(&e));
	}
	purl_release(&pu);
}

static void range_cb(struct csaf_ctx *x, const json_t *b, const char *path)
{
	csaf_rec_branch(x, b, path);
	static const char *const words[] = {"after", "all",   "before",   "earlier",
					    "later", "prior", "versions", NULL};
	const char *name = vg_json_str(b, "name"), *cat = vg_json_str(b, "category");
	if (!name || !cat || strcmp(cat, "product_version") != 0)
		return;
	int bad = strchr(name, '<') || strchr(name, '>');
	const char *p = name;
	while (*p && !bad) {
		while (*p && isspace((unsigned char)*p))
			p++;
		size_t l = 0;
		while (p[l] && !isspace((unsigned char)p[l]))
			l++;
		for (int w = 0; words[w] && l; w++)
			if (strlen(words[w]) == l && strncasecmp(p, words[w], l) == 0)
				bad = 1;
		p += l;
	}
	if (bad) {
		char q[CSAF_PATH];
		snprintf(q, sizeof(q), "%s/name", path);
		FAIL(x, "6.1.31", q,
		     "a product_version branch names one version, not a range ('%s'); use "
		     "product_version_range",
		     name);
	}
}

/* 6.1.25 hashes, inside each full product name */
static void hash_cb(struct csaf_ctx *x, const json_t *fpn, const char *path)
{
	json_t *h, *fh;
	size_t i, j;
	json_array_foreach(
	    json_object_get(json_object_get(fpn, "product_identification_helper"), "hashes"), i, h)
	{
		json_t *seen = json_object();
		json_array_foreach(json_object_get(h, "file_hashes"), j, fh)
		{
			const char *alg = vg_json_str(fh, "algorithm");
			if (!alg || !seen)
				continue;
			if (json_object_get(seen, alg)) {
				char p[CSAF_PATH];
				snprintf(p, sizeof(p),
					 "%s/product_identification_helper/hashes/%zu/file_hashes/"
					 "%zu/algorithm",
					 path, i, j);
				FAIL(x, "6.1.25", p, "hash algorithm %s is used twice for one file",
				     alg);
			} else
				json_object_set_new(seen, alg, json_true());
		}
		json_decref(seen);
	}
}

static void product_cb(struct csaf_ctx *x, const json_t *fpn, const char *path)
{
	purl_cb(x, fpn, path);
	hash_cb(x, fpn, path);
	if (x->rec_product_cb)
		x->rec_product_cb(x, fpn, path);
}

/* ---- 6.1.14 - 6.1.22, 6.1.30: tracking and revision history ---- */

static int is_zero_version(const struct csaf_ver *v)
{
	return v->ok && v->major == 0;
}

static void test_tracking(struct csaf_ctx *x)
{
	json_t *tr = csaf_at(x->doc, "document", "tracking");
	json_t *rh = json_object_get(tr, "revision_history"), *item;
	const char *status = vg_json_str(tr, "status"), *version = vg_json_str(tr, "version");
	struct csaf_ver tv;
	size_t n = json_array_size(rh), i, j;
	char p[CSAF_PATH];
	int released = status && (!strcmp(status, "final") || !strcmp(status, "interim"));
	int have_tv = csaf_version(version, &tv);

	if (!have_tv || n == 0 || n > 100000)
		return; /* the schema reports these */
	struct csaf_ver *rv = calloc(n, sizeof(*rv));
	int64_t *dates = calloc(n, sizeof(*dates));
	char *dok = calloc(n, 1);
	if (!rv || !dates || !dok) {
		free(rv);
		free(dates);
		free(dok);
		x->rc = VG_ENOMEM;
		return;
	}
	int semver = tv.semver, integer = !tv.semver, all_ok = 1;
	json_array_foreach(rh, i, item)
	{
		csaf_version(vg_json_str(item, "number"), &rv[i]);
		dok[i] = (char)csaf_date(vg_json_str(item, "date"), &dates[i]);
		if (!rv[i].ok) {
			all_ok = 0;
			continue;
		}
		if (rv[i].semver)
			semver = 1;
		else
			integer = 1;
	}
	/* 6.1.30 */
	if (semver && integer) {
		FAIL(x, "6.1.30", "/document/tracking",
		     "version numbers mix integer and semantic versioning");
		goto out;
	}
	if (!all_ok)
		goto out;
	/* 6.1.22 */
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (!csaf_version_cmp(&rv[i], &rv[j]) && !rv[i].pre_len == !rv[j].pre_len) {
				snprintf(p, sizeof(p),
					 "/document/tracking/revision_history/%zu/number", i);
				FAIL(x, "6.1.22", p, "revision number %s is used twice",
				     vg_json_str(json_array_get(rh, i), "number"));
				break;
			}
	/* 6.1.14: an older date never has a higher number */
	int unsorted = 0;
	for (i = 0; i < n && !unsorted; i++)
		for (j = 0; j < n && !unsorted; j++)
			if (dok[i] && dok[j] && dates[i] < dates[j] &&
			    csaf_version_cmp(&rv[i], &rv[j]) > 0) {
				unsorted = 1;
				snprintf(p, sizeof(p), "/document/tracking/revision_history/%zu",
					 i);
				FAIL(
				    x, "6.1.14", p,
				    "revision %s is dated before revision %s but numbered after it",
				    vg_json_str(json_array_get(rh, i), "number"),
				    vg_json_str(json_array_get(rh, j), "number"));
			}
	/* the newest revision by number */
	size_t newest = 0;
	for (i = 1; i < n; i++)
		if (csaf_version_cmp(&rv[i], &rv[newest]) > 0)
			newest = i;
	/* 6.1.16 */
	{
		struct csaf_ver a = tv, b = rv[newest];
		if (status && !strcmp(status, "draft"))
			a.pre_len = 0, b.pre_len = 0;
		if (csaf_version_cmp(&a, &b) != 0)
			FAIL(x, "6.1.16", "/document/tracking/version",
			     "version %s is not the number of the newest revision (%s)", version,
			     vg_json_str(json_array_get(rh, newest), "number"));
	}
	/* 6.1.17 */
	if ((is_zero_version(&tv) || tv.pre_len) && status && strcmp(status, "draft") != 0)
		FAIL(x, "6.1.17", "/document/tracking/status",
		     "version %s is a pre-release or 0.y.z: the status must be draft, not %s",
		     version, status);
	/* 6.1.18, 6.1.19 */
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "/document/tracking/revision_history/%zu/number", i);
		if (released && is_zero_version(&rv[i]))
			FAIL(x, "6.1.18", p,
			     "a %s document has no revision numbered 0 or 0.y.z (%s)", status,
			     vg_json_str(json_array_get(rh, i), "number"));
		if (rv[i].pre_len)
			FAIL(x, "6.1.19", p, "revision number %s is a pre-release",
			     vg_json_str(json_array_get(rh, i), "number"));
	}
	/* 6.1.20 */
	if (released && tv.pre_len)
		FAIL(x, "6.1.20", "/document/tracking/version",
		     "a %s document's version %s has no pre-release part", status, version);
	/* 6.1.21: no missing version: majors (integers) run from 0 or 1 without gap */
	{
		long long *maj = malloc(n * sizeof(*maj));
		if (!maj) {
			x->rc = VG_ENOMEM;
			goto out;
		}
		for (i = 0; i < n; i++)
			maj[i] = rv[i].major;
		for (i = 1; i < n; i++) /* insertion sort: revision histories are short */
			for (j = i; j > 0 && maj[j - 1] > maj[j]; j--) {
				long long t = maj[j];
				maj[j] = maj[j - 1];
				maj[j - 1] = t;
			}
		if (maj[0] > 1)
			FAIL(x, "6.1.21", "/document/tracking/revision_history",
			     "the revision history starts at version %lld, not 0 or 1", maj[0]);
		for (i = 1; i < n; i++)
			if (maj[i] > maj[i - 1] + 1) {
				FAIL(x, "6.1.21", "/document/tracking/revision_history",
				     "version %lld is missing from the revision history",
				     maj[i - 1] + 1);
				break;
			}
		free(maj);
	}
out:
	free(rv);
	free(dates);
	free(dok);
}

/* ---- 6.1.23, 6.1.24 ---- */

static void test_vulns(struct csaf_ctx *x)
{
	json_t *v, *inv, *cves = json_object();
	size_t i, j, k;
	if (!cves) {
		x->rc = VG_ENOMEM;
		return;
	}
	json_array_foreach(json_object_get(x->doc, "vulnerabilities"), i, v)
	{
		char p[CSAF_PATH];
		const char *cve = vg_json_str(v, "cve");
		if (cve) {
			snprintf(p, sizeof(p), "/vulnerabilities/%zu/cve", i);
			if (json_object_get(cves, cve))
				FAIL(x, "6.1.23", p, "%s is the subject of two vulnerabilities",
				     cve);
			else
				json_object_set_new(cves, cve, json_true());
		}
		json_t *invs = json_object_get(v, "involvements");
		json_array_foreach(invs, j, inv)
		{
			for (k = 0; k < j; k++) {
				json_t *o = json_array_get(invs, k);
				const char *pa = vg_json_str(inv, "party"),
					   *pb = vg_json_str(o, "party");
				const char *da = vg_json_str(inv, "date"),
					   *db = vg_json_str(o, "date");
				int64_t ta, tb;
				int same_date = (!da && !db) || (da && db && csaf_date(da, &ta) &&
								 csaf_date(db, &tb) && ta == tb);
				if (pa && pb && !strcmp(pa, pb) && same_date) {
					snprintf(p, sizeof(p),
						 "/vulnerabilities/%zu/involvements/%zu", i, j);
					FAIL(x, "6.1.24", p,
					     "party %s has two involvements with the same date",
					     pa);
					break;
				}
			}
		}
	}
	json_decref(cves);
}

/* ---- 6.1.26, 6.1.27 profiles ---- */

static void squash(const char *in, char *out, size_t n)
{
	size_t l = 0;
	for (; *in && l + 1 < n; in++)
		if (*in != '_' && *in != '-' && !isspace((unsigned char)*in))
			out[l++] = (char)tolower((unsigned char)*in);
	out[l] = '\0';
}

static int has_note(const json_t *notes, const char *const *cats)
{
	json_t *n;
	size_t i;
	json_array_foreach(notes, i, n)
	{
		const char *c = vg_json_str(n, "category");
		for (int k = 0; c && cats[k]; k++)
			if (!strcmp(c, cats[k]))
				return 1;
	}
	return 0;
}

static void expand_groups(struct csaf_ctx *x, const json_t *item, json_t *into)
{
	json_t *id, *gid;
	size_t i, j;
	json_array_foreach(json_object_get(item, "product_ids"), i, id) json_object_set_new(
	    into, json_string_value(id) ? json_string_value(id) : "", json_true());
	json_array_foreach(json_object_get(item, "group_ids"), i, gid)
	{
		json_t *g = json_object_get(x->groups,
					    json_string_value(gid) ? json_string_value(gid) : "");
		json_array_foreach(json_object_get(g, "product_ids"), j, id) json_object_set_new(
		    into, json_string_value(id) ? json_string_value(id) : "", json_true());
	}
}

static void test_profiles(struct csaf_ctx *x)
{
	json_t *d = json_object_get(x->doc, "document"),
	       *vulns = json_object_get(x->doc, "vulnerabilities"), *v;
	const char *cat = vg_json_str(d, "category");
	size_t i, j;
	char p[CSAF_PATH], sq[256];
	if (!cat)
		return;
	int sa = !strcmp(cat, "csaf_security_advisory"), vex = !strcmp(cat, "csaf_vex");
	int ia = !strcmp(cat, "csaf_informational_advisory"),
	    sir = !strcmp(cat, "csaf_security_incident_response");
	/* 6.1.26 */
	if (!sa && !vex && !ia && !sir && strcmp(cat, "csaf_base") != 0) {
		squash(cat, sq, sizeof(sq));
		if (strncasecmp(cat, "csaf_", 5) == 0)
			FAIL(x, "6.1.26", "/document/category",
			     "the prefix csaf_ is reserved for the profiles of the standard ('%s')",
			     cat);
		else if (!strcmp(sq, "securityincidentresponse") ||
			 !strcmp(sq, "informationaladvisory") || !strcmp(sq, "securityadvisory") ||
			 !strcmp(sq, "vex") || !strcmp(sq, "csafsecurityincidentresponse") ||
			 !strcmp(sq, "csafinformationaladvisory") ||
			 !strcmp(sq, "csafsecurityadvisory") || !strcmp(sq, "csafvex") ||
			 !strcmp(sq, "csafbase"))
			FAIL(x, "6.1.26", "/document/category",
			     "'%s' is too close to the name of a profile of the standard", cat);
	}
	if (ia || sir) {
		static const char *const cats[] = {"description", "details", "general", "summary",
						   NULL};
		if (!has_note(json_object_get(d, "notes"), cats))
			FAIL(x, "6.1.27.1", "/document/notes",
			     "a %s needs a document note of category description, details, "
			     "general or summary",
			     cat);
		int ext = 0;
		json_t *r;
		json_array_foreach(json_object_get(d, "references"), i, r)
		{
			const char *rc = vg_json_str(r, "category");
			if (rc && !strcmp(rc, "external"))
				ext = 1;
		}
		if (!ext)
			FAIL(x, "6.1.27.2", "/document/references",
			     "a %s needs a document reference of category external", cat);
	}
	if (ia && json_object_get(x->doc, "vulnerabilities"))
		FAIL(x, "6.1.27.3", "/vulnerabilities",
		     "an informational advisory has no vulnerabilities element");
	if (!sa && !vex)
		return;
	if (!json_object_get(x->doc, "product_tree"))
		FAIL(x, "6.1.27.4", "/product_tree", "a %s needs a product_tree", cat);
	if (!json_object_get(x->doc, "vulnerabilities"))
		FAIL(x, "6.1.27.11", "/vulnerabilities", "a %s needs vulnerabilities", cat);
	json_array_foreach(vulns, i, v)
	{
		if (!json_object_get(v, "notes")) {
			snprintf(p, sizeof(p), "/vulnerabilities/%zu/notes", i);
			FAIL(x, "6.1.27.5", p, "every vulnerability of a %s has notes", cat);
		}
		json_t *ps = json_object_get(v, "product_status");
		if (!ps) {
			snprintf(p, sizeof(p), "/vulnerabilities/%zu/product_status", i);
			FAIL(x, "6.1.27.6", p, "every vulnerability of a %s has a product_status",
			     cat);
		}
		if (!vex)
			continue;
		if (ps && !json_object_get(ps, "fixed") && !json_object_get(ps, "known_affected") &&
		    !json_object_get(ps, "known_not_affected") &&
		    !json_object_get(ps, "under_investigation")) {
			snprintf(p, sizeof(p), "/vulnerabilities/%zu/product_status", i);
			FAIL(x, "6.1.27.7", p,
			     "a VEX vulnerability lists fixed, known_affected, known_not_affected "
			     "or under_investigation products");
		}
		if (!json_object_get(v, "cve") && !json_object_get(v, "ids")) {
			snprintf(p, sizeof(p), "/vulnerabilities/%zu", i);
			FAIL(x, "6.1.27.8", p, "a VEX vulnerability has a cve or ids");
		}
		/* 6.1.27.9: known_not_affected products have an impact statement */
		json_t *stated = json_object(), *acted = json_object(), *it, *id;
		if (!stated || !acted) {
			json_decref(stated);
			json_decref(acted);
			x->rc = VG_ENOMEM;
			return;
		}
		json_array_foreach(json_object_get(v, "flags"), j, it) expand_groups(x, it, stated);
		json_array_foreach(json_object_get(v, "threats"), j, it)
		{
			const char *tc = vg_json_str(it, "category");
			if (tc && !strcmp(tc, "impact"))
				expand_groups(x, it, stated);
		}
		json_array_foreach(json_object_get(ps, "known_not_affected"), j, id)
		{
			if (json_is_string(id) && !json_object_get(stated, json_string_value(id))) {
				snprintf(
				    p, sizeof(p),
				    "/vulnerabilities/%zu/product_status/known_not_affected/%zu", i,
				    j);
				FAIL(x, "6.1.27.9", p,
				     "known not affected product '%s' has no impact statement (a "
				     "flag or an impact threat)",
				     json_string_value(id));
			}
		}
		/* 6.1.27.10: known_affected products have an action statement */
		json_array_foreach(json_object_get(v, "remediations"), j, it)
		    expand_groups(x, it, acted);
		json_array_foreach(json_object_get(ps, "known_affected"), j, id)
		{
			if (json_is_string(id) && !json_object_get(acted, json_string_value(id))) {
				snprintf(p, sizeof(p),
					 "/vulnerabilities/%zu/product_status/known_affected/%zu",
					 i, j);
				FAIL(x, "6.1.27.10", p,
				     "known affected product '%s' has no remediation (action "
				     "statement)",
				     json_string_value(id));
			}
		}
		json_decref(stated);
		json_decref(acted);
	}
}

/* ---- 6.1.29, 6.1.32, 6.1.33 ---- */

static void test_refs(struct csaf_ctx *x)
{
	json_t *v, *it;
	size_t i, j;
	char p[CSAF_PATH];
	json_array_foreach(json_object_get(x->doc, "vulnerabilities"), i, v)
	{
		json_array_foreach(json_object_get(v, "remediations"), j, it)
		{
			if (!json_object_get(it, "product_ids") &&
			    !json_object_get(it, "group_ids")) {
				snprintf(p, sizeof(p), "/vulnerabilities/%zu/remediations/%zu", i,
					 j);
				FAIL(x, "6.1.29", p,
				     "a remediation names product_ids or group_ids");
			}
		}
		json_t *flagged = json_object();
		if (!flagged) {
			x->rc = VG_ENOMEM;
			return;
		}
		json_array_foreach(json_object_get(v, "flags"), j, it)
		{
			snprintf(p, sizeof(p), "/vulnerabilities/%zu/flags/%zu", i, j);
			if (!json_object_get(it, "product_ids") &&
			    !json_object_get(it, "group_ids"))
				FAIL(x, "6.1.32", p, "a flag names product_ids or group_ids");
			json_t *mine = json_object();
			if (!mine)
				continue;
			expand_groups(x, it, mine);
			const char *k;
			json_t *val;
			json_object_foreach(mine, k, val)
			{
				if (json_object_get(flagged, k))
					FAIL(x, "6.1.33", p,
					     "product '%s' has more than one VEX justification "
					     "flag in "
					     "this vulnerability",
					     k);
				else
					json_object_set_new(flagged, k, json_true());
			}
			json_decref(mine);
		}
		json_decref(flagged);
	}
}

/* ---- the schema ---- */

static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vg_jsonschema *schema_set;

static void close_objects(json_t *v, int depth)
{
	const char *k;
	json_t *m;
	size_t i;
	if (depth > 64)
		return;
	if (json_is_object(v)) {
		if (json_is_object(json_object_get(v, "properties")) &&
		    !json_object_get(v, "additionalProperties"))
			json_object_set_new(v, "additionalProperties", json_false());
		json_object_foreach(v, k, m) close_objects(m, depth + 1);
	} else if (json_is_array(v))
		json_array_foreach(v, i, m) close_objects(m, depth + 1);
}

static int load_schema(struct vg_error *err)
{
	char dirbuf[512], path[600];
	int rc = VG_OK;
	pthread_mutex_lock(&schema_lock);
	if (schema_set)
		goto out;
	const char *dir = getenv("VIGIL_CSAF_SCHEMA_DIR");
	if (!dir || !*dir)
		dir = vg_jsonschema_dir("csaf", dirbuf, sizeof(dirbuf));
	if (!dir) {
		rc = vg_error_set(err, VG_ENOTFOUND,
				  "the CSAF 2.0 schema is not installed (share/vigil/schemas/csaf: "
				  "rebuild or reinstall vigil)");
		goto out;
	}
	struct vg_jsonschema *s = NULL;
	if ((rc = vg_jsonschema_new(VG_JSONSCHEMA_DRAFT2020_12, &s, err)))
		goto out;
	static const char *const files[][2] = {
	    {"csaf_json_schema.json", CSAF_SCHEMA_URI},
	    {"cvss-v2.0.json", "https://www.first.org/cvss/cvss-v2.0.json"},
	    {"cvss-v3.0.json", "https://www.first.org/cvss/cvss-v3.0.json"},
	    {"cvss-v3.1.json", "https://www.first.org/cvss/cvss-v3.1.json"},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
		if ((rc = vg_jsonschema_add_file(s, path, files[i][1], err))) {
			vg_jsonschema_free(s);
			goto out;
		}
	}
	/* 6.2.20: a copy where every object that lists its properties allows no other */
	snprintf(path, sizeof(path), "%s/csaf_json_schema.json", dir);
	json_t *closed = json_load_file(path, 0, NULL);
	if (!closed) {
		vg_jsonschema_free(s);
		rc = vg_error_set(err, VG_EIO, "%s: cannot be read", path);
		goto out;
	}
	json_object_del(closed, "$id");
	close_objects(closed, 0);
	rc = vg_jsonschema_add(s, CSAF_CLOSED_URI, closed, err);
	json_decref(closed);
	if (rc) {
		vg_jsonschema_free(s);
		goto out;
	}
	schema_set = s;
out:
	pthread_mutex_unlock(&schema_lock);
	return rc;
}

/* A CVSS object the schema refused as a whole ("matching exactly one of 2
 * schemas": cvss_v3 is 3.0 or 3.1): check it against the one schema its
 * version names, so 6.1.8 points at the property (/vectorString, /baseScore)
 * and says what was expected. Returns 1 when that named the failures. */
static int cvss_detail(struct csaf_ctx *x, const char *ip)
{
	const char *tail = strstr(ip, "/cvss_v");
	if (!tail || strchr(tail + 1, '/'))
		return 0; /* the error is already inside the object */
	json_t *v = x->doc;
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", ip);
	for (char *save = NULL, *t = strtok_r(buf, "/", &save); t && v;
	     t = strtok_r(NULL, "/", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)strtoul(t, NULL, 10))
				     : json_object_get(v, t);
	const char *ver = json_string_value(json_object_get(v, "version"));
	if (!json_is_object(v) || !ver)
		return 0;
	const char *uri = !strcmp(ver, "2.0")   ? "https://www.first.org/cvss/cvss-v2.0.json"
			  : !strcmp(ver, "3.0") ? "https://www.first.org/cvss/cvss-v3.0.json"
			  : !strcmp(ver, "3.1") ? "https://www.first.org/cvss/cvss-v3.1.json"
						: NULL;
	if (!uri)
		return 0;
	struct vg_jsonschema_result res = {0};
	struct vg_jsonschema_opts opts = {
	    .assert_format = 1, .max_errors = 10, .instance_prefix = ip};
	struct vg_error e = {0};
	int named = 0;
	if (vg_jsonschema_validate(schema_set, uri, v, &opts, &res, &e) == VG_OK)
		for (size_t i = 0; i < res.n_errors; i++, named++)
			csaf_issue(x, CSAF_CHECK_MANDATORY, "6.1.8", res.errors[i].instance,
				   "CVSS %s: %s", ver, res.errors[i].message);
	vg_jsonschema_result_release(&res);
	return named > 0;
}

static void schema_check(struct csaf_ctx *x)
{
	struct vg_jsonschema_result res = {0};
	struct vg_jsonschema_opts opts = {.assert_format = 1, .max_errors = 50};
	struct vg_error e = {0};
	int rc = vg_jsonschema_validate(schema_set, CSAF_SCHEMA_URI, x->doc, &opts, &res, &e);
	if (rc == VG_ENOMEM)
		x->rc = rc;
	else if (rc)
		csaf_issue(x, CSAF_CHECK_SCHEMA, "schema", "", "the schema could not run: %s",
			   vg_error_msg(&e));
	for (size_t i = 0; i < res.n_errors; i++) {
		const char *ip = res.errors[i].instance;
		/* the strict CVSS schemas are test 6.1.8 */
		int cvss = strstr(ip, "/cvss_v") != NULL;
		if (cvss && cvss_detail(x, ip))
			continue;
		csaf_issue(x, cvss ? CSAF_CHECK_MANDATORY : CSAF_CHECK_SCHEMA,
			   cvss ? "6.1.8" : "schema", ip, "%s", res.errors[i].message);
	}
	if (res.n_dropped)
		csaf_issue(x, CSAF_CHECK_SCHEMA, "schema", "", "%zu more schema errors",
			   res.n_dropped);
	vg_jsonschema_result_release(&res);
	if (x->r->schema_failures || x->r->mandatory_failures)
		return;
	memset(&res, 0, sizeof(res));
	if (vg_jsonschema_validate(schema_set, CSAF_CLOSED_URI, x->doc, &opts, &res, &e) ==
	    VG_ENOMEM)
		x->rc = VG_ENOMEM;
	for (size_t i = 0; i < res.n_errors; i++)
		if (strstr(res.errors[i].schema, "additionalProperties"))
			csaf_issue(x, CSAF_CHECK_RECOMMENDED, "6.2.20", res.errors[i].instance,
				   "a property the CSAF 2.0 schema does not define: %s",
				   res.errors[i].message);
	vg_jsonschema_result_release(&res);
}

int csaf_check(const char *json, size_t len, struct csaf_check_result *out, struct vg_error *err)
{
	struct csaf_ctx x = {0};
	struct vg_error pe = {0};
	int rc;
	memset(out, 0, sizeof(*out));
	x.r = out;
	if ((rc = load_schema(err)))
		return rc;
	x.doc = vg_json_parse(json, len, "CSAF document", &pe);
	if (!x.doc) {
		csaf_issue(&x, CSAF_CHECK_SCHEMA, "schema", "", "not JSON: %s", vg_error_msg(&pe));
		goto done;
	}
	if (!json_is_object(x.doc)) {
		csaf_issue(&x, CSAF_CHECK_SCHEMA, "schema", "", "expected a JSON object");
		goto done;
	}
	x.defs = json_object();
	x.groups = json_object();
	if (!x.defs || !x.groups) {
		x.rc = VG_ENOMEM;
		goto done;
	}
	schema_check(&x);
	x.product_cb = product_cb;
	x.branch_cb = range_cb;
	csaf_rec_prepare(&x);
	test_products(&x);
	x.product_cb = NULL;
	x.branch_cb = NULL;
	test_status(&x);
	test_scores(&x);
	test_cwe(&x);
	test_lang(&x);
	test_tracking(&x);
	test_vulns(&x);
	test_profiles(&x);
	test_refs(&x);
	csaf_rec_tests(&x);
done:
	json_decref(x.doc);
	json_decref(x.defs);
	json_decref(x.groups);
	json_decref(x.rec);
	if (x.rc) {
		csaf_check_result_free(out);
		return vg_error_set(err, x.rc, "CSAF check: out of memory");
	}
	return VG_OK;
}

int csaf_check_passes(const struct csaf_check_result *r)
{
	return r->schema_failures == 0 && r->mandatory_failures == 0;
}

void csaf_check_result_free(struct csaf_check_result *r)
{
	free(r->issues);
	memset(r, 0, sizeof(*r));
}

json_t *csaf_check_result_to_json(const struct csaf_check_result *r)
{
	static const char *kinds[] = {"schema", "mandatory", "recommended"};
	json_t *issues = json_array();
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(
		    issues, json_pack("{s:s, s:s, s:s, s:s}", "kind", kinds[r->issues[i].kind],
				      "test", r->issues[i].test, "path", r->issues[i].path,
				      "message", r->issues[i].message));
	return json_pack("{s:b, s:I, s:I, s:I, s:o}", "passes", csaf_check_passes(r),
			 "schema_failures", (json_int_t)r->schema_failures, "mandatory_failures",
			 (json_int_t)r->mandatory_failures, "recommended_warnings",
			 (json_int_t)r->recommended_warnings, "issues", issues);
}
