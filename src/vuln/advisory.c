/*
 * advisory.c - the shared advisory model: lifetime, OSV JSON form, name
 * normalisation for matching, the canonical id and the severity label.
 */
#define _POSIX_C_SOURCE 200809L
#include "vuln/advisory.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "vuln/cvss.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

void advisory_init(struct advisory *a)
{
	memset(a, 0, sizeof(*a));
	vg_arena_init(&a->arena, ADV_ARENA_MAX);
}

void advisory_release(struct advisory *a)
{
	vg_arena_release(&a->arena);
	memset(a, 0, sizeof(*a));
	vg_arena_init(&a->arena, ADV_ARENA_MAX);
}

static const char *const event_names[] = {"introduced", "fixed", "last_affected", "limit"};
static const char *const range_names[] = {"ECOSYSTEM", "SEMVER", "GIT"};

static void set_time(json_t *o, const char *key, int64_t t)
{
	char buf[32];
	if (t)
		json_object_set_new(o, key, json_string(vg_time_format(t, buf, sizeof(buf))));
}

static json_t *str_array(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *advisory_to_json(const struct advisory *a)
{
	json_t *o = json_object(), *arr;
	if (!o)
		return NULL;
	json_object_set_new(o, "schema_version", json_string("1.6.0"));
	vg_json_set_str(o, "id", a->id);
	{
		/* modified is required: 0 (unknown, or Go's 0001-01-01) as the epoch. */
		char buf[32];
		json_object_set_new(o, "modified",
				    json_string(vg_time_format(a->modified, buf, sizeof(buf))));
	}
	set_time(o, "published", a->published);
	set_time(o, "withdrawn", a->withdrawn);
	json_object_set_new(o, "aliases", str_array(a->aliases, a->n_aliases));
	if (a->n_related)
		json_object_set_new(o, "related", str_array(a->related, a->n_related));
	if (a->summary)
		json_object_set_new(o, "summary", json_string(a->summary));
	if (a->details)
		json_object_set_new(o, "details", json_string(a->details));
	arr = json_array();
	for (size_t i = 0; i < a->n_severity; i++)
		json_array_append_new(arr, json_pack("{s:s?, s:s?}", "type", a->severity[i].type,
						     "score", a->severity[i].score));
	json_object_set_new(o, "severity", arr);
	arr = json_array();
	for (size_t i = 0; i < a->n_affected; i++) {
		const struct adv_affected *af = &a->affected[i];
		json_t *ranges = json_array(), *pkg = json_object();
		vg_json_set_str(pkg, "ecosystem", af->ecosystem);
		vg_json_set_str(pkg, "name", af->name);
		if (af->purl)
			json_object_set_new(pkg, "purl", json_string(af->purl));
		for (size_t r = 0; r < af->n_ranges; r++) {
			const struct adv_range *rg = &af->ranges[r];
			json_t *ev = json_array();
			for (size_t e = 0; e < rg->n_events; e++)
				json_array_append_new(ev, json_pack("{s:s}",
								    event_names[rg->events[e].kind],
								    rg->events[e].version));
			json_array_append_new(ranges, json_pack("{s:s, s:s?, s:o}", "type",
								range_names[rg->type], "repo",
								rg->repo, "events", ev));
		}
		json_array_append_new(arr, json_pack("{s:o, s:o, s:o}", "package", pkg, "ranges",
						     ranges, "versions",
						     str_array(af->versions, af->n_versions)));
	}
	json_object_set_new(o, "affected", arr);
	arr = json_array();
	for (size_t i = 0; i < a->n_refs; i++)
		json_array_append_new(
		    arr, json_pack("{s:s?, s:s?}", "type", a->refs[i].type, "url", a->refs[i].url));
	json_object_set_new(o, "references", arr);
	json_object_set_new(o, "database_specific",
			    json_pack("{s:s?}", "source", a->source ? a->source : "osv"));
	return o;
}

/* ---- the canonical text without a tree ---- */

/* "key": then the string, or null for NULL. */
static int put_kv(struct vg_buf *b, const char *key, const char *v)
{
	int rc = vg_buf_adds(b, key);
	if (!rc)
		rc = v ? vg_json_append_str(b, v) : vg_buf_adds(b, "null");
	return rc;
}

/* ["...", ...]: NULL entries are left out, as json_array_append_new()
 * leaves out the NULL that json_string(NULL) gives. */
static int put_strs(struct vg_buf *b, const char *const *v, size_t n)
{
	int rc = vg_buf_adds(b, "["), first = 1;
	for (size_t i = 0; !rc && i < n; i++) {
		if (!v[i])
			continue;
		if (!first)
			rc = vg_buf_adds(b, ",");
		if (!rc)
			rc = vg_json_append_str(b, v[i]);
		first = 0;
	}
	return rc ? rc : vg_buf_adds(b, "]");
}

static int put_time(struct vg_buf *b, const char *key, int64_t t)
{
	char buf[32];
	int rc = vg_buf_adds(b, key);
	return rc ? rc : vg_json_append_str(b, vg_time_format(t, buf, sizeof(buf)));
}

/* Keys in the order JSON_SORT_KEYS puts them (strcmp). */
char *advisory_canonical_json(const struct advisory *a)
{
	struct vg_buf b = VG_BUF_INIT;
	int rc = vg_buf_adds(&b, "{\"affected\":[");
	for (size_t i = 0; !rc && i < a->n_affected; i++) {
		const struct adv_affected *af = &a->affected[i];
		rc = vg_buf_adds(&b, i ? ",{" : "{");
		if (!rc)
			rc = put_kv(&b, "\"package\":{\"ecosystem\":", af->ecosystem);
		if (!rc)
			rc = put_kv(&b, ",\"name\":", af->name);
		if (!rc && af->purl)
			rc = put_kv(&b, ",\"purl\":", af->purl);
		if (!rc)
			rc = vg_buf_adds(&b, "},\"ranges\":[");
		for (size_t r = 0; !rc && r < af->n_ranges; r++) {
			const struct adv_range *rg = &af->ranges[r];
			int first = 1;
			rc = vg_buf_adds(&b, r ? ",{\"events\":[" : "{\"events\":[");
			for (size_t e = 0; !rc && e < rg->n_events; e++) {
				if (!rg->events[e].version)
					continue; /* json_pack refuses it: left out */
				rc = vg_buf_adds(&b, first ? "{\"" : ",{\"");
				if (!rc)
					rc = vg_buf_adds(&b, event_names[rg->events[e].kind]);
				if (!rc)
					rc = vg_buf_adds(&b, "\":");
				if (!rc)
					rc = vg_json_append_str(&b, rg->events[e].version);
				if (!rc)
					rc = vg_buf_adds(&b, "}");
				first = 0;
			}
			if (!rc)
				rc = put_kv(&b, "],\"repo\":", rg->repo);
			if (!rc)
				rc = put_kv(&b, ",\"type\":", range_names[rg->type]);
			if (!rc)
				rc = vg_buf_adds(&b, "}");
		}
		if (!rc)
			rc = vg_buf_adds(&b, "],\"versions\":");
		if (!rc)
			rc = put_strs(&b, af->versions, af->n_versions);
		if (!rc)
			rc = vg_buf_adds(&b, "}");
	}
	if (!rc)
		rc = vg_buf_adds(&b, "],\"aliases\":");
	if (!rc)
		rc = put_strs(&b, a->aliases, a->n_aliases);
	if (!rc)
		rc = put_kv(&b,
			    ",\"database_specific\":{\"source\":", a->source ? a->source : "osv");
	if (!rc)
		rc = vg_buf_adds(&b, "}");
	if (!rc && a->details)
		rc = put_kv(&b, ",\"details\":", a->details);
	if (!rc)
		rc = put_kv(&b, ",\"id\":", a->id);
	if (!rc)
		rc = put_time(&b, ",\"modified\":", a->modified);
	if (!rc && a->published)
		rc = put_time(&b, ",\"published\":", a->published);
	if (!rc)
		rc = vg_buf_adds(&b, ",\"references\":[");
	for (size_t i = 0; !rc && i < a->n_refs; i++) {
		rc = put_kv(&b, i ? ",{\"type\":" : "{\"type\":", a->refs[i].type);
		if (!rc)
			rc = put_kv(&b, ",\"url\":", a->refs[i].url);
		if (!rc)
			rc = vg_buf_adds(&b, "}");
	}
	if (!rc)
		rc = vg_buf_adds(&b, "]");
	if (!rc && a->n_related) {
		rc = vg_buf_adds(&b, ",\"related\":");
		if (!rc)
			rc = put_strs(&b, a->related, a->n_related);
	}
	if (!rc)
		rc = vg_buf_adds(&b, ",\"schema_version\":\"1.6.0\",\"severity\":[");
	for (size_t i = 0; !rc && i < a->n_severity; i++) {
		rc = put_kv(&b, i ? ",{\"score\":" : "{\"score\":", a->severity[i].score);
		if (!rc)
			rc = put_kv(&b, ",\"type\":", a->severity[i].type);
		if (!rc)
			rc = vg_buf_adds(&b, "}");
	}
	if (!rc)
		rc = vg_buf_adds(&b, "]");
	if (!rc && a->summary)
		rc = put_kv(&b, ",\"summary\":", a->summary);
	if (!rc && a->withdrawn)
		rc = put_time(&b, ",\"withdrawn\":", a->withdrawn);
	if (!rc)
		rc = vg_buf_adds(&b, "}");
	if (rc) {
		vg_buf_release(&b);
		return NULL;
	}
	return vg_buf_detach(&b, NULL);
}

void advisory_eco_base(const char *eco, char *out, size_t outsz)
{
	size_t n = 0;
	if (!outsz)
		return;
	while (eco && eco[n] && eco[n] != ':' && n + 1 < outsz) {
		out[n] = eco[n];
		n++;
	}
	out[n] = '\0';
}

static int lower_eco(const char *base)
{
	static const char *const lower[] = {
	    "NuGet",     "Packagist", "Hex",        "crates.io", "Pub",         "Debian",
	    "Ubuntu",    "Alpine",    "Red Hat",    "AlmaLinux", "Rocky Linux", "SUSE",
	    "openSUSE",  "Wolfi",     "Chainguard", "Mageia",    "openEuler",   "Azure Linux",
	    "Photon OS", "Bitnami",   "Alpaquita",  "MinimOS",   "ConanCenter"};
	for (size_t i = 0; i < sizeof(lower) / sizeof(lower[0]); i++)
		if (strcmp(base, lower[i]) == 0)
			return 1;
	return 0;
}

int advisory_norm_name(const char *eco, const char *name, char *out, size_t outsz)
{
	char base[64];
	size_t n = 0;
	advisory_eco_base(eco, base, sizeof(base));
	if (!name || !outsz)
		return -1;
	if (strcmp(base, "PyPI") == 0) {
		/* PEP 503: re.sub(r"[-_.]+", "-", name).lower() */
		for (const char *p = name; *p; p++) {
			char c = *p;
			if (c == '-' || c == '_' || c == '.') {
				while (p[1] == '-' || p[1] == '_' || p[1] == '.')
					p++;
				c = '-';
			} else if (c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			if (n + 1 >= outsz)
				return -1;
			out[n++] = c;
		}
		out[n] = '\0';
		return 0;
	}
	if (strcmp(base, "Go") == 0 && (strcmp(name, "toolchain") == 0 || strcmp(name, "go") == 0))
		name = "stdlib";
	n = strlen(name);
	if (n + 1 > outsz)
		return -1;
	memcpy(out, name, n + 1);
	if (lower_eco(base))
		for (size_t i = 0; i < n; i++)
			if (out[i] >= 'A' && out[i] <= 'Z')
				out[i] = (char)(out[i] + 32);
	return 0;
}

static int is_cve(const char *s)
{
	return s && strncmp(s, "CVE-", 4) == 0;
}

/* The decimal number s starts with (0 when none; saturated when huge). */
static long long leading_number(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	return end == s ? 0 : v;
}

/* CVE ids order by year, then number (CVE-2021-9999 < CVE-2021-10000). */
static int cve_cmp(const char *a, const char *b)
{
	long long ya = leading_number(a + 4), yb = leading_number(b + 4);
	const char *da = strchr(a + 4, '-'), *db = strchr(b + 4, '-');
	long long na = da ? leading_number(da + 1) : 0, nb = db ? leading_number(db + 1) : 0;
	if (ya != yb)
		return ya < yb ? -1 : 1;
	if (na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a, b);
}

int advisory_id_cmp(const char *a, const char *b)
{
	int ca = is_cve(a), cb = is_cve(b);
	int ga = strncmp(a, "GHSA-", 5) == 0, gb = strncmp(b, "GHSA-", 5) == 0;
	if (ca != cb)
		return ca ? -1 : 1;
	if (ca)
		return cve_cmp(a, b);
	if (ga != gb)
		return ga ? -1 : 1;
	return strcmp(a, b);
}

const char *advisory_canonical_id(const struct advisory *a)
{
	const char *best = is_cve(a->id) ? a->id : NULL, *ghsa = NULL;
	if (a->id && strncmp(a->id, "GHSA-", 5) == 0)
		ghsa = a->id;
	for (size_t i = 0; i < a->n_aliases; i++) {
		const char *x = a->aliases[i];
		if (is_cve(x) && (!best || cve_cmp(x, best) < 0))
			best = x;
		else if (!ghsa && x && strncmp(x, "GHSA-", 5) == 0)
			ghsa = x;
	}
	return best ? best : ghsa ? ghsa : a->id;
}

static int rank(const char *label)
{
	static const char *const order[] = {"none", "low", "medium", "high", "critical"};
	for (int i = 0; i < 5; i++)
		if (label && strcasecmp(label, order[i]) == 0)
			return i;
	if (label && strcasecmp(label, "moderate") == 0)
		return 2;
	if (label && strcasecmp(label, "important") == 0)
		return 3;
	return -1;
}

const char *advisory_severity(const struct advisory *a, double *score)
{
	static const char *const order[] = {"none", "low", "medium", "high", "critical"};
	int best = -1;
	double bs = -1;
	for (size_t i = 0; i < a->n_severity; i++) {
		const char *t = a->severity[i].type, *v = a->severity[i].score;
		struct cvss c;
		int r;
		if (!v)
			continue;
		if (t && strncasecmp(t, "CVSS", 4) == 0 && cvss_parse(v, &c, NULL) == VG_OK) {
			double s = cvss_base_score(&c);
			r = rank(c.version == CVSS_V2_0 ? cvss_v2_severity(s) : cvss_severity(s));
			if (s > bs)
				bs = s;
		} else {
			r = rank(v);
		}
		if (r > best)
			best = r;
	}
	if (score)
		*score = bs;
	return best < 0 ? NULL : order[best];
}
