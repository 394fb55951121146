/*
 * vulndb.c - advisories and KEV stored, aliases joined, findings reconciled.
 */
#define _POSIX_C_SOURCE 200809L
#include "vuln/vulndb.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/events.h"
#include "core/log.h"
#include "store/store.h"
#include "triage/triage.h"
#include "vuln/nvd.h"
#include "vuln/osv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHUNK     200 /* vulnerability ids per reconcile query */
#define MAX_ALIAS 256 /* ids of one advisory used for joining */

/* ---- small query helpers ---- */

struct binds {
	int use_int;
	int64_t iv;
	const char *const *tv;
	size_t n;
};

typedef int (*row_fn)(struct store_stmt *st, void *arg, struct vg_error *err);

static int run(struct store *s, const char *sql, const struct binds *b, row_fn fn, void *arg,
	       struct vg_error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	if (b && b->use_int)
		store_bind_int64(st, 1, b->iv);
	else if (b)
		for (size_t i = 0; i < b->n; i++)
			store_bind_text(st, (int)i + 1, b->tv[i]);
	while ((rc = store_step(st, err)) == STORE_ROW)
		if (fn && (rc = fn(st, arg, err)) != VG_OK)
			break;
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

/* "prefix (?,?,...) suffix" with n placeholders. */
static char *in_sql(const char *prefix, size_t n, const char *suffix)
{
	struct vg_buf b = VG_BUF_INIT;
	vg_buf_adds(&b, prefix);
	vg_buf_adds(&b, "(");
	for (size_t i = 0; i < n; i++)
		vg_buf_adds(&b, i ? ",?" : "?");
	vg_buf_adds(&b, ")");
	vg_buf_adds(&b, suffix);
	return vg_buf_detach(&b, NULL);
}

static int sev_rank(const char *s)
{
	static const char *const order[] = {"none", "low", "medium", "high", "critical"};
	for (int i = 0; s && i < 5; i++)
		if (strcmp(s, order[i]) == 0)
			return i;
	return -1;
}

/*
 * Statements run once per advisory or per finding are prepared once per
 * import (or reconcile) and reused: compiling the SQL again each time was a
 * third of the cost of a feed update. xexec() is store_exec() (binds 't'
 * text, 'i' int64, 'n' NULL) through the cache of the calling thread when
 * one is set for that store; sql is keyed by address (string literals).
 */
#define STC_N 24

struct stcache {
	struct store *s;
	const char *sql[STC_N];
	struct store_stmt *st[STC_N];
	size_t n;
};

static _Thread_local struct stcache *stc_cur;

static void stc_release(struct stcache *c)
{
	for (size_t i = 0; i < c->n; i++)
		store_finalize(c->st[i]);
	c->n = 0;
}

static int xexec(struct store *s, struct vg_error *err, const char *sql, const char *types, ...)
{
	struct stcache *c = stc_cur && stc_cur->s == s ? stc_cur : NULL;
	struct store_stmt *st = NULL;
	int rc, cached = 0, i = 1;
	va_list ap;
	for (size_t k = 0; c && k < c->n && !st; k++)
		if (c->sql[k] == sql)
			st = c->st[k];
	if (st) {
		cached = 1;
		store_reset(st);
	} else {
		rc = store_prepare(s, sql, &st, err);
		if (rc)
			return rc;
		if (c && c->n < STC_N) {
			c->sql[c->n] = sql;
			c->st[c->n++] = st;
			cached = 1;
		}
	}
	va_start(ap, types);
	for (const char *t = types; *t; t++, i++) {
		if (*t == 'i')
			store_bind_int64(st, i, va_arg(ap, int64_t));
		else if (*t == 'n')
			store_bind_null(st, i);
		else
			store_bind_text(st, i, va_arg(ap, const char *));
	}
	va_end(ap);
	while ((rc = store_step(st, err)) == STORE_ROW)
		;
	if (cached)
		store_reset(st);
	else
		store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

/* ---- import ---- */

struct vulndb_import {
	struct store *s;
	char source[16];
	char *what;
	int in_tx;
	long pending;
	json_t *touched; /* set of vulnerability ids: object keys */
	json_t *exploited;
	struct stcache stc;
	struct vulndb_stats st, batch;
};

int vulndb_import_begin(struct store *s, const char *source, const char *what,
			struct vulndb_import **out, struct vg_error *err)
{
	struct vulndb_import *im = calloc(1, sizeof(*im));
	if (!im || !(im->what = strdup(what ? what : "")) || !(im->touched = json_object()) ||
	    !(im->exploited = json_array())) {
		if (im) {
			free(im->what);
			json_decref(im->touched);
		}
		free(im);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	im->s = s;
	snprintf(im->source, sizeof(im->source), "%s", source);
	*out = im;
	return VG_OK;
}

void vulndb_import_skipped(struct vulndb_import *im)
{
	im->st.skipped++;
}

struct ids {
	char **v;
	size_t n;
};

static int collect_text(struct store_stmt *st, void *arg, struct vg_error *err)
{
	struct ids *ids = arg;
	char **nv;
	const char *t = store_col_text(st, 0);
	if (!t)
		return VG_OK;
	nv = realloc(ids->v, (ids->n + 1) * sizeof(char *));
	if (!nv || !(nv[ids->n] = strdup(t))) {
		if (nv)
			ids->v = nv;
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	ids->v = nv;
	ids->n++;
	return VG_OK;
}

static void ids_free(struct ids *ids)
{
	for (size_t i = 0; i < ids->n; i++)
		free(ids->v[i]);
	free(ids->v);
	ids->v = NULL;
	ids->n = 0;
}

/* Preference of canonical ids: smaller is better. */
static int id_better(const char *a, const char *b)
{
	int ca = strncmp(a, "CVE-", 4) == 0, cb = strncmp(b, "CVE-", 4) == 0;
	int ga = strncmp(a, "GHSA-", 5) == 0, gb = strncmp(b, "GHSA-", 5) == 0;
	if (ca != cb)
		return ca;
	if (ca) {
		long ya = atol(a + 4), yb = atol(b + 4);
		const char *da = strchr(a + 4, '-'), *db = strchr(b + 4, '-');
		if (ya != yb)
			return ya < yb;
		if (da && db && atol(da + 1) != atol(db + 1))
			return atol(da + 1) < atol(db + 1);
		return strcmp(a, b) < 0;
	}
	if (ga != gb)
		return ga;
	return strcmp(a, b) < 0;
}

static int merge_vuln(struct store *s, const char *from, const char *to, struct vg_error *err)
{
	int rc = store_exec(s, err, "UPDATE vuln_aliases SET vuln_id = ? WHERE vuln_id = ?", "tt",
			    to, from);
	if (!rc)
		rc = store_exec(s, err, "UPDATE advisories SET vuln_id = ? WHERE vuln_id = ?", "tt",
				to, from);
	if (!rc)
		rc = store_exec(s, err,
				"DELETE FROM findings WHERE vuln_id = ? AND EXISTS (SELECT 1 FROM "
				"findings f2 WHERE f2.vuln_id = ? AND f2.version_id = "
				"findings.version_id AND f2.purl = findings.purl)",
				"tt", from, to);
	if (!rc)
		rc = store_exec(s, err, "UPDATE findings SET vuln_id = ? WHERE vuln_id = ?", "tt",
				to, from);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM vulnerabilities WHERE id = ?", "t", from);
	return rc;
}

static int upsert_vuln(struct store *s, const char *vid, const struct advisory *a, const char *sev,
		       const char *score, int64_t now, struct vg_error *err)
{
	json_t *rows = NULL;
	int rc = store_query_json(
	    s, &rows, err, "SELECT severity, score, modified FROM vulnerabilities WHERE id = ?",
	    "t", vid);
	if (rc)
		return rc;
	if (json_array_size(rows) == 0) {
		rc = xexec(s, err,
			   "INSERT INTO vulnerabilities (id, summary, severity, score, modified, "
			   "published, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
			   "ttttiiii", vid, a->summary, sev, score, a->modified, a->published, now,
			   now);
	} else {
		json_t *r = json_array_get(rows, 0);
		const char *os = vg_json_str(r, "severity"), *osc = vg_json_str(r, "score");
		int64_t om = vg_json_int(r, "modified", 0);
		if (sev_rank(os) > sev_rank(sev))
			sev = os;
		if (osc && (!score || strtod(osc, NULL) > strtod(score, NULL)))
			score = osc;
		rc = xexec(s, err,
			   "UPDATE vulnerabilities SET summary = COALESCE(?, summary), severity "
			   "= ?, score = ?, modified = ?, updated_at = ? WHERE id = ?",
			   "tttiit", a->summary, sev, score, a->modified > om ? a->modified : om,
			   now, vid);
	}
	json_decref(rows);
	return rc;
}

static int store_packages(struct store *s, const char *source, const struct advisory *a,
			  struct vg_error *err)
{
	json_t *seen = json_object();
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < a->n_affected; i++) {
		const struct adv_affected *af = &a->affected[i];
		char base[48], norm[512], key[600];
		if (!af->ecosystem || !af->name ||
		    advisory_norm_name(af->ecosystem, af->name, norm, sizeof(norm)))
			continue;
		advisory_eco_base(af->ecosystem, base, sizeof(base));
		snprintf(key, sizeof(key), "%s\037%s", base, norm);
		if (json_object_get(seen, key))
			continue;
		json_object_set_new(seen, key, json_true());
		rc = xexec(s, err,
			   "INSERT INTO advisory_packages (source, advisory_id, eco, name) "
			   "VALUES (?,?,?,?)",
			   "tttt", source, a->id, base, norm);
	}
	json_decref(seen);
	return rc;
}

static int store_extra(struct store *s, const char *source, const char *id,
		       const struct vulndb_extra *x, struct vg_error *err)
{
	json_t *seen = json_object();
	int rc = VG_OK;
	if (!seen)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (x->config_json)
		rc = xexec(s, err,
			   "INSERT INTO advisory_configs (source, advisory_id, config_json) "
			   "VALUES (?,?,?)",
			   "ttt", source, id, x->config_json);
	for (size_t i = 0; !rc && i < x->n_cpe_keys; i++) {
		const char *k = x->cpe_keys[i], *sep = strchr(k, '\037');
		char vendor[256];
		if (!sep || (size_t)(sep - k) >= sizeof(vendor) || json_object_get(seen, k))
			continue;
		json_object_set_new(seen, k, json_true());
		memcpy(vendor, k, (size_t)(sep - k));
		vendor[sep - k] = '\0';
		rc = xexec(s, err,
			   "INSERT INTO advisory_cpes (source, advisory_id, vendor, product) "
			   "VALUES (?,?,?,?)",
			   "tttt", source, id, vendor, sep + 1);
	}
	json_decref(seen);
	return rc;
}

static int store_advisory(struct vulndb_import *im, const struct advisory *a,
			  const struct vulndb_extra *x, struct vg_error *err)
{
	struct store *s = im->s;
	struct ids found = {0};
	const char *ids[MAX_ALIAS + 1];
	size_t nids = 0;
	int64_t old_mod = 0, now = vg_now();
	int exists = 0, rc;
	const char *vid, *sev;
	char *sql = NULL, *rec = NULL, scorebuf[16];
	double score = -1;
	json_t *j;

	rc = store_query_int64(s, &old_mod, err,
			       "SELECT modified FROM advisories WHERE source = ? AND id = ?", "tt",
			       im->source, a->id);
	if (rc == VG_OK)
		exists = 1;
	else if (rc != VG_ENOTFOUND)
		return rc;
	if (exists && old_mod >= a->modified) {
		im->st.unchanged++;
		return VG_OK;
	}

	ids[nids++] = a->id;
	for (size_t i = 0; i < a->n_aliases && nids < MAX_ALIAS; i++)
		ids[nids++] = a->aliases[i];
	sql = in_sql("SELECT DISTINCT vuln_id FROM vuln_aliases WHERE alias IN ", nids, "");
	if (!sql)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	{
		struct binds b = {0, 0, ids, nids};
		rc = run(s, sql, &b, collect_text, &found, err);
	}
	free(sql);
	if (rc)
		goto out;
	vid = advisory_canonical_id(a);
	for (size_t i = 0; i < found.n; i++)
		if (id_better(found.v[i], vid))
			vid = found.v[i];
	for (size_t i = 0; !rc && i < found.n; i++)
		if (strcmp(found.v[i], vid) != 0)
			rc = merge_vuln(s, found.v[i], vid, err);
	for (size_t i = 0; !rc && i < nids; i++)
		rc = xexec(s, err,
			   "INSERT INTO vuln_aliases (alias, vuln_id) SELECT CAST(? AS TEXT), "
			   "CAST(? AS TEXT) WHERE NOT EXISTS (SELECT 1 FROM vuln_aliases WHERE "
			   "alias = ?)",
			   "ttt", ids[i], vid, ids[i]);
	if (rc)
		goto out;
	sev = advisory_severity(a, &score);
	if (score >= 0)
		snprintf(scorebuf, sizeof(scorebuf), "%.1f", score);
	rc = upsert_vuln(s, vid, a, sev, score >= 0 ? scorebuf : NULL, now, err);
	if (rc)
		goto out;
	j = advisory_to_json(a);
	rec = j ? vg_json_canonical(j) : NULL;
	json_decref(j);
	if (!rec) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	if (exists) {
		rc = xexec(s, err,
			   "UPDATE advisories SET vuln_id = ?, modified = ?, published = ?, "
			   "withdrawn = ?, severity = ?, score = ?, file = ?, record_json = ?, "
			   "updated_at = ? WHERE source = ? AND id = ?",
			   "tiiittttitt", vid, a->modified, a->published, (int64_t)a->withdrawn,
			   sev, score >= 0 ? scorebuf : NULL, a->file, rec, now, im->source, a->id);
		if (!rc)
			rc = xexec(s, err,
				   "DELETE FROM advisory_packages WHERE source = ? AND "
				   "advisory_id = ?",
				   "tt", im->source, a->id);
		im->st.updated++;
	} else {
		rc = xexec(s, err,
			   "INSERT INTO advisories (source, id, vuln_id, modified, published, "
			   "withdrawn, severity, score, file, record_json, imported_at, "
			   "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
			   "tttiiittttii", im->source, a->id, vid, a->modified, a->published,
			   (int64_t)a->withdrawn, sev, score >= 0 ? scorebuf : NULL, a->file, rec,
			   now, now);
		im->st.imported++;
	}
	if (!rc)
		rc = store_packages(s, im->source, a, err);
	if (!rc && exists)
		rc = xexec(s, err,
			   "DELETE FROM advisory_configs WHERE source = ? AND advisory_id = ?",
			   "tt", im->source, a->id);
	if (!rc && exists)
		rc = xexec(s, err, "DELETE FROM advisory_cpes WHERE source = ? AND advisory_id = ?",
			   "tt", im->source, a->id);
	if (!rc && x)
		rc = store_extra(s, im->source, a->id, x, err);
	if (!rc && a->withdrawn)
		im->st.withdrawn++;
	if (!rc)
		json_object_set_new(im->touched, vid, json_true());
out:
	free(rec);
	ids_free(&found);
	return rc;
}

/* ---- reconcile ---- */

struct cpe_adv {
	struct nvd_cve *cve;
	char *vuln_id;
	size_t stamp; /* last candidate tested against it */
};

struct recon {
	struct store *s;
	struct match_index *ix;
	json_t *desired; /* key "version_id\037purl\037vuln_id" -> finding */
	json_t *exploited;
	struct vulndb_stats *st;
	int64_t now;
	struct vg_error *err;
	/* NVD records for CPE-only components */
	struct cpe_adv *cves;
	size_t n_cves, cap_cves, n_cand;
	json_t *cpe_map; /* "vendor\037product" -> [index into cves] */
};

static int load_adv(struct store_stmt *st, void *arg, struct vg_error *err)
{
	struct recon *r = arg;
	const char *rec = store_col_text(st, 0), *vid = store_col_text(st, 1);
	struct advisory a;
	struct vg_error e = {0};
	json_t *j;
	int rc = VG_OK;
	if (!rec)
		return VG_OK;
	j = vg_json_parse(rec, strlen(rec), "stored advisory", &e);
	if (!j)
		return VG_OK; /* cannot happen: we wrote it */
	advisory_init(&a);
	if (osv_from_json(j, "stored advisory", &a, &e) == VG_OK) {
		const char *src = vg_json_str(json_object_get(j, "database_specific"), "source");
		if (src)
			a.source = src;
		rc = match_index_add(r->ix, &a, vid, err);
	}
	advisory_release(&a);
	json_decref(j);
	return rc;
}

struct hitctx {
	struct recon *r;
	int64_t component_id, sbom_id, version_id;
	const char *purl, *version;
};

/* One match of a component: record it in the desired findings. */
static void desire(struct hitctx *h, const char *vuln_id, const char *adv_id, const char *source,
		   const char *matched, const char *fixed)
{
	char key[1400];
	json_t *f, *ev;
	snprintf(key, sizeof(key), "%lld\037%s\037%s", (long long)h->version_id, h->purl, vuln_id);
	f = json_object_get(h->r->desired, key);
	if (!f) {
		f = json_pack("{s:I, s:s, s:s, s:I, s:I, s:[]}", "version_id",
			      (json_int_t)h->version_id, "purl", h->purl, "vuln_id", vuln_id,
			      "component_id", (json_int_t)h->component_id, "sbom_id",
			      (json_int_t)h->sbom_id, "matches");
		if (!f)
			return;
		json_object_set_new(h->r->desired, key, f);
	}
	{
		size_t i;
		json_t *m;
		json_array_foreach(json_object_get(f, "matches"), i,
				   m) if (strcmp(vg_json_str(m, "advisory"), adv_id) == 0) return;
	}
	ev =
	    json_pack("{s:s, s:s, s:s, s:s, s:s?}", "advisory", adv_id, "source", source, "version",
		      h->version, "matched", matched, "fixed", fixed && fixed[0] ? fixed : NULL);
	json_array_append_new(json_object_get(f, "matches"), ev);
}

static void on_hit(void *arg, const struct match_adv *adv, const struct match_pkg *pkg,
		   const struct match_why *why)
{
	char fixed[512];
	match_pkg_fixed(pkg, fixed, sizeof(fixed));
	desire(arg, adv->vuln_id, adv->id, adv->source, why->text, fixed);
}

/* ---- CPE-only components against NVD configurations ---- */

/* Does a WFN value hold an unquoted wildcard? */
static int wild(const char *v)
{
	for (; v && *v; v++) {
		if (*v == '\\' && v[1]) {
			v++;
			continue;
		}
		if (*v == '*' || *v == '?')
			return 1;
	}
	return 0;
}

int vulndb_cpe_key(const struct cpe *c, char *out, size_t outsz)
{
	const struct cpe_value *v = &c->attr[CPE_VENDOR], *p = &c->attr[CPE_PRODUCT];
	int n;
	if (v->kind != CPE_VALUE || p->kind != CPE_VALUE || wild(v->v) || wild(p->v))
		n = snprintf(out, outsz, "*\037*");
	else
		n = snprintf(out, outsz, "%s\037%s", v->v, p->v);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

static int load_cpe_adv(struct store_stmt *st, void *arg, struct vg_error *err)
{
	struct recon *r = arg;
	const char *rec = store_col_text(st, 0), *vid = store_col_text(st, 1);
	struct vg_error e = {0};
	struct nvd_cve *cve = NULL;
	struct cpe_adv *ca;
	json_t *j;
	size_t idx;
	if (!rec || !vid)
		return VG_OK;
	j = vg_json_parse(rec, strlen(rec), "stored NVD record", &e);
	if (!j)
		return VG_OK; /* cannot happen: we wrote it */
	if (nvd_cve_from_json(j, "stored NVD record", "", &cve, &e) != VG_OK) {
		json_decref(j);
		return VG_OK;
	}
	json_decref(j);
	if (r->n_cves == r->cap_cves) {
		size_t nc = r->cap_cves ? r->cap_cves * 2 : 64;
		struct cpe_adv *nv = realloc(r->cves, nc * sizeof(*nv));
		if (!nv) {
			nvd_cve_free(cve);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		r->cves = nv;
		r->cap_cves = nc;
	}
	idx = r->n_cves;
	ca = &r->cves[idx];
	ca->cve = cve;
	ca->stamp = 0;
	if (!(ca->vuln_id = strdup(vid))) {
		nvd_cve_free(cve);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	r->n_cves++;
	for (size_t c = 0; c < cve->n_configs; c++)
		for (size_t n = 0; n < cve->configs[c].n_nodes; n++)
			for (size_t m = 0; m < cve->configs[c].nodes[n].n_matches; m++) {
				char key[600];
				json_t *list;
				if (vulndb_cpe_key(&cve->configs[c].nodes[n].matches[m].cpe, key,
						   sizeof(key)))
					continue;
				list = json_object_get(r->cpe_map, key);
				if (!list) {
					list = json_array();
					if (!list || json_object_set_new(r->cpe_map, key, list))
						return vg_error_set(err, VG_ENOMEM,
								    "out of memory");
				}
				if (json_integer_value(json_array_get(
					list, json_array_size(list) - 1)) != (json_int_t)idx ||
				    !json_array_size(list))
					json_array_append_new(list, json_integer((json_int_t)idx));
			}
	return VG_OK;
}

#define MAX_PLATFORM 16

static void cpe_test(struct recon *r, struct hitctx *h, json_t *list, const struct cpe *cpes,
		     size_t n)
{
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		struct cpe_adv *ca = &r->cves[json_integer_value(x)];
		struct nvd_match m;
		if (ca->stamp == r->n_cand)
			continue;
		ca->stamp = r->n_cand;
		nvd_config_match_parsed(ca->cve, cpes, n, &m);
		if (!m.vulnerable || ca->cve->withdrawn)
			continue;
		for (size_t e = 0; e < m.n_evidence; e++) {
			const struct nvd_cpe_match *cm = m.evidence[e].m;
			char range[256], text[256];
			if (!cm->vulnerable || m.evidence[e].cpe != 0)
				continue;
			nvd_range_str(cm, range, sizeof(range));
			snprintf(text, sizeof(text), "NVD %.180s%s%.60s", cm->criteria,
				 range[0] ? " " : "", range);
			desire(h, ca->vuln_id, ca->cve->id, "nvd", text, cm->end_excl);
			break;
		}
	}
}

/* Evaluate one CPE-only component (its CPE, platform CPEs as a JSON array)
 * against the NVD records loaded in r. */
static void cpe_eval(struct recon *r, int64_t component_id, int64_t sbom_id, int64_t version_id,
		     const char *cpe, const char *plat)
{
	struct cpe cpes[MAX_PLATFORM + 1];
	struct hitctx h;
	char key[600], *ver;
	size_t n = 0;
	memset(cpes, 0, sizeof(cpes));
	if (!cpe || cpe_parse(cpe, &cpes[0], NULL) != VG_OK)
		return;
	n = 1;
	if (plat) {
		json_t *pj = vg_json_parse(plat, strlen(plat), "platform", NULL), *p;
		size_t i;
		json_array_foreach(pj, i, p)
		{
			if (n > MAX_PLATFORM)
				break;
			if (json_is_string(p) && strcmp(json_string_value(p), cpe) != 0 &&
			    cpe_parse(json_string_value(p), &cpes[n], NULL) == VG_OK)
				n++;
		}
		json_decref(pj);
	}
	ver = cpe_attr_plain(&cpes[0], CPE_VERSION);
	h.r = r;
	h.component_id = component_id;
	h.sbom_id = sbom_id;
	h.version_id = version_id;
	h.purl = cpe;
	h.version = ver ? ver : "-";
	r->n_cand++;
	if (vulndb_cpe_key(&cpes[0], key, sizeof(key)) == 0)
		cpe_test(r, &h, json_object_get(r->cpe_map, key), cpes, n);
	cpe_test(r, &h, json_object_get(r->cpe_map, "*\037*"), cpes, n);
	free(ver);
	for (size_t i = 0; i < n; i++)
		cpe_release(&cpes[i]);
}

static int cpe_cand_row(struct store_stmt *st, void *arg, struct vg_error *err)
{
	(void)err;
	cpe_eval(arg, store_col_int64(st, 0), store_col_int64(st, 1), store_col_int64(st, 2),
		 store_col_text(st, 3), store_col_text(st, 4));
	return VG_OK;
}

static int cand_row(struct store_stmt *st, void *arg, struct vg_error *err)
{
	struct recon *r = arg;
	struct match_key k;
	struct hitctx h;
	(void)err;
	memset(&k, 0, sizeof(k));
	snprintf(k.eco, sizeof(k.eco), "%s", store_col_text(st, 3));
	snprintf(k.name, sizeof(k.name), "%s", store_col_text(st, 4));
	snprintf(k.version, sizeof(k.version), "%s", store_col_text(st, 5));
	if (store_col_text(st, 6))
		snprintf(k.release, sizeof(k.release), "%s", store_col_text(st, 6));
	h.r = r;
	h.component_id = store_col_int64(st, 0);
	h.sbom_id = store_col_int64(st, 1);
	h.version_id = store_col_int64(st, 2);
	h.purl = store_col_text(st, 7);
	h.version = k.version;
	match_index_query(r->ix, &k, on_hit, &h);
	return VG_OK;
}

struct existing {
	int64_t id;
	int active;
	char *key;
	char *evidence;
};

struct exlist {
	struct existing *v;
	size_t n, cap;
};

static int ex_row(struct store_stmt *st, void *arg, struct vg_error *err)
{
	struct exlist *l = arg;
	char key[1400];
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct existing *nv = realloc(l->v, nc * sizeof(*nv));
		if (!nv)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		l->v = nv;
		l->cap = nc;
	}
	snprintf(key, sizeof(key), "%lld\037%s\037%s", (long long)store_col_int64(st, 1),
		 store_col_text(st, 2), store_col_text(st, 3));
	l->v[l->n].id = store_col_int64(st, 0);
	l->v[l->n].active = store_col_isnull(st, 4);
	l->v[l->n].key = strdup(key);
	l->v[l->n].evidence = strdup(store_col_text(st, 5) ? store_col_text(st, 5) : "");
	if (!l->v[l->n].key || !l->v[l->n].evidence) {
		free(l->v[l->n].key);
		free(l->v[l->n].evidence);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	l->n++;
	return VG_OK;
}

static char *evidence_text(json_t *f)
{
	json_t *e = json_pack("{s:O}", "matches", json_object_get(f, "matches"));
	char *t = e ? vg_json_canonical(e) : NULL;
	json_decref(e);
	return t;
}

/*
 * Reconcile findings in one scope: advq selects (record_json, vuln_id) of
 * the advisories to hold, candq the candidate components, cpeadvq
 * (config_json, vuln_id) the NVD records and cpecandq the CPE-only
 * candidates, scopeq the existing findings the result replaces; all take
 * the same binds.
 */
static int reconcile(struct recon *r, const char *advq, const char *candq, const char *cpeadvq,
		     const char *cpecandq, const char *scopeq, const struct binds *b)
{
	struct store *s = r->s;
	struct exlist ex = {0};
	struct vg_error *err = r->err;
	struct stcache sc = {0}, *prev = stc_cur;
	int rc;

	sc.s = s;
	stc_cur = &sc;
	r->ix = match_index_new();
	r->desired = json_object();
	if (!r->ix || !r->desired) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	r->cpe_map = json_object();
	if (!r->cpe_map) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	rc = run(s, advq, b, load_adv, r, err);
	if (!rc)
		rc = run(s, candq, b, cand_row, r, err);
	if (!rc)
		rc = run(s, cpeadvq, b, load_cpe_adv, r, err);
	if (!rc && r->n_cves)
		rc = run(s, cpecandq, b, cpe_cand_row, r, err);
	if (!rc)
		rc = run(s, scopeq, b, ex_row, &ex, err);
	for (size_t i = 0; !rc && i < ex.n; i++) {
		json_t *f = json_object_get(r->desired, ex.v[i].key);
		if (f) {
			char *evt = evidence_text(f);
			if (!evt) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			if (!ex.v[i].active || strcmp(evt, ex.v[i].evidence) != 0)
				rc = xexec(
				    s, err,
				    "UPDATE findings SET retracted_at = NULL, component_id = ?, "
				    "sbom_id = ?, evidence_json = ?, updated_at = ?, severity = "
				    "(SELECT severity FROM vulnerabilities v WHERE v.id = "
				    "findings.vuln_id), score = (SELECT score FROM vulnerabilities "
				    "v "
				    "WHERE v.id = findings.vuln_id) WHERE id = ?",
				    "iitii",
				    (int64_t)json_integer_value(json_object_get(f, "component_id")),
				    (int64_t)json_integer_value(json_object_get(f, "sbom_id")), evt,
				    r->now, ex.v[i].id);
			if (!ex.v[i].active)
				r->st->findings_new++;
			free(evt);
			json_object_del(r->desired, ex.v[i].key);
		} else if (ex.v[i].active) {
			rc = xexec(
			    s, err,
			    "UPDATE findings SET retracted_at = ?, updated_at = ? WHERE id = ?",
			    "iii", r->now, r->now, ex.v[i].id);
			r->st->findings_retracted++;
		}
	}
	{
		const char *k;
		json_t *f;
		json_object_foreach(r->desired, k, f)
		{
			char *evt;
			if (rc)
				break;
			evt = evidence_text(f);
			if (!evt) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			rc = xexec(
			    s, err,
			    "INSERT INTO findings (version_id, purl, component_id, sbom_id, "
			    "vuln_id, "
			    "severity, score, kev, state, first_seen_at, updated_at, "
			    "evidence_json) "
			    "SELECT ?, ?, ?, ?, v.id, v.severity, v.score, 0, 'new', ?, ?, ? FROM "
			    "vulnerabilities v WHERE v.id = ?",
			    "itiiiitt",
			    (int64_t)json_integer_value(json_object_get(f, "version_id")),
			    vg_json_str(f, "purl"),
			    (int64_t)json_integer_value(json_object_get(f, "component_id")),
			    (int64_t)json_integer_value(json_object_get(f, "sbom_id")), r->now,
			    r->now, evt, vg_json_str(f, "vuln_id"));
			free(evt);
			r->st->findings_new++;
		}
	}
out:
	stc_cur = prev;
	stc_release(&sc);
	for (size_t i = 0; i < ex.n; i++) {
		free(ex.v[i].key);
		free(ex.v[i].evidence);
	}
	free(ex.v);
	match_index_free(r->ix);
	r->ix = NULL;
	json_decref(r->desired);
	r->desired = NULL;
	for (size_t i = 0; i < r->n_cves; i++) {
		nvd_cve_free(r->cves[i].cve);
		free(r->cves[i].vuln_id);
	}
	free(r->cves);
	r->cves = NULL;
	r->n_cves = r->cap_cves = r->n_cand = 0;
	json_decref(r->cpe_map);
	r->cpe_map = NULL;
	return rc;
}

/* Flag active findings of KEV-listed vulnerabilities; ids go to exploited. */
static int kev_sweep(struct store *s, json_t *exploited, struct vulndb_stats *st,
		     struct vg_error *err)
{
	struct ids found = {0};
	int rc = run(s,
		     "SELECT CAST(f.id AS TEXT) FROM findings f WHERE f.kev = 0 AND f.retracted_at "
		     "IS NULL AND EXISTS (SELECT 1 FROM vuln_aliases a JOIN kev k ON k.cve_id = "
		     "a.alias WHERE a.vuln_id = f.vuln_id)",
		     NULL, collect_text, &found, err);
	for (size_t i = 0; !rc && i < found.n; i++) {
		rc = store_exec(s, err, "UPDATE findings SET kev = 1, kev_at = ? WHERE id = ?",
				"ii", vg_now(), (int64_t)atoll(found.v[i]));
		if (!rc)
			rc = findings_due_sync_id(s, (int64_t)atoll(found.v[i]), err);
		json_array_append_new(exploited, json_integer(atoll(found.v[i])));
		st->exploited++;
	}
	ids_free(&found);
	return rc;
}

static void emit_exploited(struct store *s, json_t *ids)
{
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id)
	{
		json_t *rows = NULL;
		struct vg_error e = {0};
		if (store_query_json(
			s, &rows, &e,
			"SELECT f.id AS finding_id, f.vuln_id, f.purl, f.severity, p.name AS "
			"product, "
			"v.version, (SELECT MIN(k.cve_id) FROM kev k JOIN vuln_aliases a ON "
			"a.alias "
			"= k.cve_id WHERE a.vuln_id = f.vuln_id) AS cve, (SELECT MIN(k.date_added) "
			"FROM kev k JOIN vuln_aliases a ON a.alias = k.cve_id WHERE a.vuln_id = "
			"f.vuln_id) AS kev_date_added FROM findings f JOIN product_versions v ON "
			"v.id "
			"= f.version_id JOIN products p ON p.id = v.product_id WHERE f.id = ?",
			"i", (int64_t)json_integer_value(id)) == VG_OK &&
		    json_array_size(rows)) {
			json_t *ev = json_array_get(rows, 0);
			char sum[512], key[128];
			const char *vid = vg_json_str(ev, "cve") ? vg_json_str(ev, "cve")
								 : vg_json_str(ev, "vuln_id");
			snprintf(sum, sizeof(sum), "Actively exploited: %s in %s (%s %s)",
				 vid ? vid : "?",
				 vg_json_str(ev, "purl") ? vg_json_str(ev, "purl") : "?",
				 vg_json_str(ev, "product") ? vg_json_str(ev, "product") : "?",
				 vg_json_str(ev, "version") ? vg_json_str(ev, "version") : "?");
			snprintf(key, sizeof(key), "vuln.exploited/%lld",
				 (long long)vg_json_int(ev, "finding_id", 0));
			json_object_set_new(ev, "summary", json_string(sum));
			json_object_set_new(ev, "dedup_key", json_string(key));
			/* actively exploited is the highest urgency whatever the CVSS says */
			json_object_set_new(ev, "cvss_severity",
					    json_incref(json_object_get(ev, "severity")));
			json_object_set_new(ev, "severity", json_string("critical"));
			vg_event_emit(s, "vuln.exploited", ev);
		}
		json_decref(rows);
	}
}

static int reconcile_vulns(struct store *s, json_t *touched, json_t *exploited,
			   struct vulndb_stats *st, struct vg_error *err)
{
	const char *ids[CHUNK];
	size_t n = 0, total = json_object_size(touched), seen = 0;
	const char *k;
	json_t *v;
	int rc = VG_OK;
	struct recon r = {s, NULL, NULL, exploited, st, vg_now(), err, NULL, 0, 0, 0, NULL};

	json_object_foreach(touched, k, v)
	{
		ids[n++] = k;
		seen++;
		if (n == CHUNK || seen == total) {
			struct binds b = {0, 0, ids, n};
			char *advq = in_sql("SELECT record_json, vuln_id FROM advisories WHERE "
					    "COALESCE(withdrawn, 0) = 0 AND vuln_id IN ",
					    n, "");
			char *candq = in_sql(
			    "SELECT DISTINCT c.component_id, c.sbom_id, c.version_id, c.eco, "
			    "c.name, c.version, c.release, c.purl FROM vuln_components c JOIN "
			    "advisory_packages p ON p.eco = c.eco AND p.name = c.name JOIN "
			    "advisories a ON a.source = p.source AND a.id = p.advisory_id WHERE "
			    "a.vuln_id IN ",
			    n, "");
			char *scopeq = in_sql("SELECT id, version_id, purl, vuln_id, retracted_at, "
					      "evidence_json FROM findings WHERE vuln_id IN ",
					      n, "");
			char *cpeadvq =
			    in_sql("SELECT c.config_json, a.vuln_id FROM advisory_configs c JOIN "
				   "advisories "
				   "a ON a.source = c.source AND a.id = c.advisory_id WHERE "
				   "COALESCE(a.withdrawn, 0) = 0 AND a.vuln_id IN ",
				   n, "");
			/* Driven from the touched advisories (an OR in the join made
			 * SQLite scan every CPE component); criteria filed under "*"
			 * make every CPE component a candidate. */
			char *cpecandq = in_sql(
			    "SELECT v.component_id, v.sbom_id, v.version_id, v.cpe, "
			    "v.platform_json FROM advisories a JOIN advisory_cpes p ON p.source = "
			    "a.source AND p.advisory_id = a.id JOIN vuln_cpe_components v ON "
			    "v.vendor = p.vendor AND v.product = p.product WHERE a.vuln_id IN ",
			    n,
			    " UNION SELECT v.component_id, v.sbom_id, v.version_id, v.cpe, "
			    "v.platform_json FROM vuln_cpe_components v WHERE EXISTS (SELECT 1 "
			    "FROM "
			    "advisory_cpes p WHERE p.vendor = '*' AND p.product = '*')");
			char *sevq = in_sql(
			    "UPDATE findings SET severity = (SELECT severity FROM vulnerabilities "
			    "v "
			    "WHERE v.id = findings.vuln_id), score = (SELECT score FROM "
			    "vulnerabilities v WHERE v.id = findings.vuln_id) WHERE vuln_id IN ",
			    n, "");
			if (!advq || !candq || !scopeq || !sevq || !cpeadvq || !cpecandq)
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			else
				rc = reconcile(&r, advq, candq, cpeadvq, cpecandq, scopeq, &b);
			/* The vulnerability's severity may have changed with a new advisory. */
			if (!rc)
				rc = run(s, sevq, &b, NULL, NULL, err);
			free(sevq);
			/* ... and with it, or with a finding added, reopened or retracted
			 * above, the stored due times. */
			if (!rc) {
				char *dueq = in_sql(FINDINGS_DUE_SYNC "vuln_id IN ", n, "");
				rc = dueq ? run(s, dueq, &b, NULL, NULL, err)
					  : vg_error_set(err, VG_ENOMEM, "out of memory");
				free(dueq);
			}
			free(advq);
			free(candq);
			free(scopeq);
			free(cpeadvq);
			free(cpecandq);
			n = 0;
			if (rc)
				break;
		}
	}
	if (!rc)
		rc = kev_sweep(s, exploited, st, err);
	return rc;
}

static int flush(struct vulndb_import *im, struct vg_error *err)
{
	struct vulndb_stats before = im->batch;
	json_t *after;
	int64_t since;
	int rc;
	if (!im->in_tx)
		return VG_OK;
	since = vg_now();
	rc = reconcile_vulns(im->s, im->touched, im->exploited, &im->st, err);
	/* A changed affected range reopens decisions; new findings get them. */
	if (!rc)
		rc = triage_carry_over(im->s, 0, since, err);
	if (!rc) {
		after = json_pack(
		    "{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "source", im->source, "from",
		    im->what, "imported", (json_int_t)(im->st.imported - before.imported),
		    "updated", (json_int_t)(im->st.updated - before.updated), "withdrawn",
		    (json_int_t)(im->st.withdrawn - before.withdrawn), "vulnerabilities",
		    (json_int_t)json_object_size(im->touched), "findings_new",
		    (json_int_t)(im->st.findings_new - before.findings_new), "findings_retracted",
		    (json_int_t)(im->st.findings_retracted - before.findings_retracted),
		    "exploited", (json_int_t)(im->st.exploited - before.exploited));
		rc = store_audit(im->s, "feed.import", "feed", im->source, NULL, after, err);
		json_decref(after);
	}
	if (!rc)
		rc = store_tx_commit(im->s, err);
	else
		store_tx_rollback(im->s);
	im->in_tx = 0;
	im->pending = 0;
	im->batch = im->st;
	json_object_clear(im->touched);
	if (!rc)
		emit_exploited(im->s, im->exploited);
	json_array_clear(im->exploited);
	return rc;
}

int vulndb_import_add(struct vulndb_import *im, const struct advisory *a, struct vg_error *err)
{
	return vulndb_import_add_ext(im, a, NULL, err);
}

int vulndb_import_add_ext(struct vulndb_import *im, const struct advisory *a,
			  const struct vulndb_extra *x, struct vg_error *err)
{
	int rc;
	if (!im->in_tx) {
		rc = store_tx_begin(im->s, err);
		if (rc)
			return rc;
		im->in_tx = 1;
	}
	{
		struct stcache *prev = stc_cur;
		im->stc.s = im->s;
		stc_cur = &im->stc;
		rc = store_advisory(im, a, x, err);
		stc_cur = prev;
	}
	if (rc) {
		vg_error_prefix(err, "%s: %s", a->file ? a->file : im->what, a->id);
		return rc;
	}
	if (++im->pending >= VULNDB_BATCH)
		rc = flush(im, err);
	return rc;
}

static void import_free(struct vulndb_import *im)
{
	stc_release(&im->stc);
	json_decref(im->touched);
	json_decref(im->exploited);
	free(im->what);
	free(im);
}

int vulndb_import_end(struct vulndb_import *im, struct vulndb_stats *st, struct vg_error *err)
{
	int rc = flush(im, err);
	if (st) {
		st->imported += im->st.imported;
		st->updated += im->st.updated;
		st->unchanged += im->st.unchanged;
		st->skipped += im->st.skipped;
		st->withdrawn += im->st.withdrawn;
		st->findings_new += im->st.findings_new;
		st->findings_retracted += im->st.findings_retracted;
		st->exploited += im->st.exploited;
	}
	import_free(im);
	return rc;
}

void vulndb_import_abort(struct vulndb_import *im)
{
	if (!im)
		return;
	if (im->in_tx)
		store_tx_rollback(im->s);
	import_free(im);
}

struct osvctx {
	struct vulndb_import *im;
	void (*skip)(void *, const char *);
	void *arg;
};

static int osv_rec(void *arg, const struct advisory *a, struct vg_error *err)
{
	struct osvctx *c = arg;
	return vulndb_import_add(c->im, a, err);
}

static void osv_skip(void *arg, const char *msg)
{
	struct osvctx *c = arg;
	vulndb_import_skipped(c->im);
	if (c->skip)
		c->skip(c->arg, msg);
}

int vulndb_import_osv(struct store *s, const char *path, void (*skip)(void *, const char *),
		      void *arg, struct vulndb_stats *st, struct vg_error *err)
{
	struct osvctx c = {NULL, skip, arg};
	int rc = vulndb_import_begin(s, "osv", path, &c.im, err);
	if (rc)
		return rc;
	rc = osv_read_path(path, osv_rec, osv_skip, &c, NULL, err);
	if (rc) {
		vulndb_import_abort(c.im);
		return rc;
	}
	return vulndb_import_end(c.im, st, err);
}

/* ---- KEV ---- */

int vulndb_import_kev(struct store *s, const char *data, size_t n, const char *file,
		      void (*skip)(void *, const char *), void *arg, struct vulndb_stats *st,
		      struct vg_error *err)
{
	json_t *doc = vg_json_parse(data, n, file, err), *vulns, *e, *exploited = NULL, *after;
	size_t i;
	int rc = VG_OK;
	long added = 0, changed = 0, skipped = 0;
	struct vulndb_stats local = {0};
	int64_t now = vg_now();

	if (!doc)
		return err && err->code ? err->code : VG_EPARSE;
	vulns = json_object_get(doc, "vulnerabilities");
	if (!json_is_array(vulns)) {
		json_decref(doc);
		return vg_error_set(
		    err, VG_EPARSE,
		    "%s: /vulnerabilities: expected an array (a CISA KEV catalogue)", file);
	}
	exploited = json_array();
	rc = store_tx_begin(s, err);
	json_array_foreach(vulns, i, e)
	{
		const char *cve = vg_json_str(e, "cveID"), *added_on = vg_json_str(e, "dateAdded");
		char msg[512];
		int64_t t;
		json_t *old = NULL;
		if (rc)
			break;
		if (!cve || strncmp(cve, "CVE-", 4) != 0 || !added_on ||
		    vg_time_parse(added_on, &t, NULL) != VG_OK) {
			snprintf(msg, sizeof(msg),
				 "%s: /vulnerabilities/%zu (%.40s): expected cveID \"CVE-...\" and "
				 "dateAdded YYYY-MM-DD",
				 file, i, cve ? cve : "no cveID");
			skipped++;
			if (skip)
				skip(arg, msg);
			continue;
		}
		rc = store_query_json(
		    s, &old, err,
		    "SELECT date_added, due_date, ransomware FROM kev WHERE cve_id "
		    "= ?",
		    "t", cve);
		if (rc)
			break;
		if (json_array_size(old) == 0) {
			rc = store_exec(
			    s, err,
			    "INSERT INTO kev (cve_id, vendor, product, name, date_added, "
			    "due_date, ransomware, required_action, updated_at) VALUES "
			    "(?,?,?,?,?,?,?,?,?)",
			    "tttttttti", cve, vg_json_str(e, "vendorProject"),
			    vg_json_str(e, "product"), vg_json_str(e, "vulnerabilityName"),
			    added_on, vg_json_str(e, "dueDate"),
			    vg_json_str(e, "knownRansomwareCampaignUse"),
			    vg_json_str(e, "requiredAction"), now);
			added++;
		} else {
			json_t *o = json_array_get(old, 0);
			const char *dd = vg_json_str(e, "dueDate"),
				   *rw = vg_json_str(e, "knownRansomwareCampaignUse");
			const char *odd = vg_json_str(o, "due_date"),
				   *orw = vg_json_str(o, "ransomware");
			if (strcmp(vg_json_str(o, "date_added"), added_on) != 0 ||
			    (dd ? !odd || strcmp(dd, odd) : odd != NULL) ||
			    (rw ? !orw || strcmp(rw, orw) : orw != NULL)) {
				rc = store_exec(s, err,
						"UPDATE kev SET date_added = ?, due_date = ?, "
						"ransomware = ?, updated_at = ? WHERE cve_id = ?",
						"tttit", added_on, dd, rw, now, cve);
				changed++;
			}
		}
		json_decref(old);
	}
	if (!rc)
		rc = kev_sweep(s, exploited, &local, err);
	if (!rc) {
		after = json_pack("{s:s, s:I, s:I, s:I, s:I}", "from", file, "added",
				  (json_int_t)added, "updated", (json_int_t)changed, "skipped",
				  (json_int_t)skipped, "exploited", (json_int_t)local.exploited);
		rc = store_audit(s, "feed.import", "feed", "kev", NULL, after, err);
		json_decref(after);
	}
	if (!rc)
		rc = store_tx_commit(s, err);
	else if (store_in_tx(s))
		store_tx_rollback(s);
	if (!rc)
		emit_exploited(s, exploited);
	if (st) {
		st->imported += added;
		st->updated += changed;
		st->unchanged += (long)json_array_size(vulns) - added - changed - skipped;
		st->skipped += skipped;
		st->exploited += local.exploited;
	}
	json_decref(exploited);
	json_decref(doc);
	return rc;
}

/* ---- SBOMs ---- */

#define VC_BATCH 100
struct compctx {
	struct store *s;
	struct store_stmt *ins; /* the full batch's INSERT, prepared once */
	int64_t sbom_id, version_id;
	long n;
	/* rows waiting for their multi-row INSERT (one statement a hundred
	 * rows: on PostgreSQL a statement a row was a third of a large import) */
	size_t np;
	struct vc_row {
		int64_t component_id;
		struct match_key k;
		char *purl;
	} * pend;
};

static int comp_flush(struct compctx *c, struct vg_error *err)
{
	struct store_stmt *st = c->ins;
	int rc, k = 0;
	if (!c->np)
		return VG_OK;
	if (c->np < VC_BATCH || !st) {
		struct vg_buf sql = VG_BUF_INIT;
		vg_buf_adds(&sql, "INSERT INTO vuln_components (component_id, sbom_id, version_id, "
				  "eco, name, version, release, purl) VALUES ");
		for (size_t j = 0; j < c->np; j++)
			vg_buf_adds(&sql, j ? ",(?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?)");
		rc = sql.data ? store_prepare(c->s, sql.data, &st, err)
			      : vg_error_set(err, VG_ENOMEM, "out of memory");
		vg_buf_release(&sql);
		if (rc)
			return rc;
		if (c->np == VC_BATCH)
			c->ins = st;
	} else
		store_reset(st);
	for (size_t j = 0; j < c->np; j++) {
		struct vc_row *r = &c->pend[j];
		store_bind_int64(st, ++k, r->component_id);
		store_bind_int64(st, ++k, c->sbom_id);
		store_bind_int64(st, ++k, c->version_id);
		store_bind_text(st, ++k, r->k.eco);
		store_bind_text(st, ++k, r->k.name);
		store_bind_text(st, ++k, r->k.version);
		store_bind_text(st, ++k, r->k.release[0] ? r->k.release : NULL);
		store_bind_text(st, ++k, r->purl);
	}
	rc = store_step(st, err);
	if (st != c->ins)
		store_finalize(st);
	for (size_t j = 0; j < c->np; j++)
		free(c->pend[j].purl);
	c->n += (long)c->np;
	c->np = 0;
	return rc == STORE_DONE ? VG_OK : rc;
}

static int comp_row(struct store_stmt *st, void *arg, struct vg_error *err)
{
	struct compctx *c = arg;
	struct vc_row *r;
	const char *purl = store_col_text(st, 1), *ver = store_col_text(st, 2);
	if (!c->pend && !(c->pend = calloc(VC_BATCH, sizeof(*c->pend))))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	r = &c->pend[c->np];
	if (!purl || match_key_from_purl(purl, &r->k, NULL) != VG_OK)
		return VG_OK; /* no purl ecosystem: unmatchable, never guessed */
	if (!r->k.version[0] && ver)
		snprintf(r->k.version, sizeof(r->k.version), "%s", ver);
	if (!r->k.version[0])
		return VG_OK;
	r->component_id = store_col_int64(st, 0);
	if (!(r->purl = strdup(purl)))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return ++c->np == VC_BATCH ? comp_flush(c, err) : VG_OK;
}

static void comp_release(struct compctx *c)
{
	for (size_t j = 0; c->pend && j < c->np; j++)
		free(c->pend[j].purl);
	free(c->pend);
	c->pend = NULL;
	c->np = 0;
	store_finalize(c->ins);
	c->ins = NULL;
}

/* Platform types: what a component runs on, never made vulnerable by
 * itself through another component's finding. */
static int platform_type(const char *t)
{
	return t && (strcmp(t, "operating-system") == 0 || strcmp(t, "firmware") == 0 ||
		     strcmp(t, "device") == 0 || strcmp(t, "platform") == 0);
}

/*
 * Index the components of sbom_id that have a CPE and no purl (never a
 * CPE for a component with a purl: grype#580 and its kin), with the CPEs of
 * the SBOM's platform components beside each.
 */
static int index_cpe_components(struct store *s, int64_t sbom_id, int64_t version_id,
				struct vg_error *err)
{
	json_t *rows = NULL, *plat = json_array(), *row;
	char *platj = NULL;
	size_t i;
	int rc = store_exec(s, err, "DELETE FROM vuln_cpe_components WHERE version_id = ?", "i",
			    version_id);
	if (!rc)
		rc = store_query_json(s, &rows, err,
				      "SELECT c.id, c.purl, c.cpe, c.type, CASE WHEN c.idx = "
				      "s.primary_idx THEN 1 ELSE 0 END AS is_primary FROM "
				      "components c JOIN sboms s ON s.id = c.sbom_id WHERE "
				      "c.sbom_id = ? AND c.cpe IS NOT NULL ORDER BY c.idx",
				      "i", sbom_id);
	if (rc || !plat)
		goto out;
	json_array_foreach(rows, i, row)
	{
		const char *cpe = vg_json_str(row, "cpe");
		if ((platform_type(vg_json_str(row, "type")) ||
		     vg_json_int(row, "is_primary", 0) == 1) &&
		    json_array_size(plat) < MAX_PLATFORM)
			json_array_append_new(plat, json_string(cpe));
	}
	platj = json_array_size(plat) ? vg_json_canonical(plat) : NULL;
	json_array_foreach(rows, i, row)
	{
		struct cpe c;
		char key[600], *sep;
		if (rc)
			break;
		if (vg_json_str(row, "purl") ||
		    cpe_parse(vg_json_str(row, "cpe"), &c, NULL) != VG_OK)
			continue;
		if (vulndb_cpe_key(&c, key, sizeof(key)) == 0 && (sep = strchr(key, '\037')) &&
		    strcmp(key, "*\037*") != 0) {
			*sep = '\0';
			rc = store_exec(s, err,
					"INSERT INTO vuln_cpe_components (component_id, sbom_id, "
					"version_id, vendor, product, cpe, platform_json) VALUES "
					"(?,?,?,?,?,?,?)",
					"iiitttt", (int64_t)vg_json_int(row, "id", 0), sbom_id,
					version_id, key, sep + 1, vg_json_str(row, "cpe"), platj);
		}
		cpe_release(&c);
	}
out:
	free(platj);
	json_decref(plat);
	json_decref(rows);
	return rc;
}

int vulndb_reconcile_sbom(struct store *s, int64_t sbom_id, struct vulndb_stats *st,
			  struct vg_error *err)
{
	struct vulndb_stats local = {0};
	struct compctx c = {.s = s, .sbom_id = sbom_id};
	struct recon r = {s, NULL, NULL, NULL, &local, vg_now(), err, NULL, 0, 0, 0, NULL};
	int64_t newest = 0;
	json_t *exploited = json_array(), *after;
	char subject[32];
	int rc;

	rc = store_query_int64(s, &c.version_id, err, "SELECT version_id FROM sboms WHERE id = ?",
			       "i", sbom_id);
	if (!rc)
		rc = store_query_int64(s, &newest, err,
				       "SELECT MAX(id) FROM sboms WHERE version_id = ?", "i",
				       c.version_id);
	if (rc || newest != sbom_id) {
		json_decref(exploited);
		return rc; /* an older revision: the newest one's findings stand */
	}
	r.exploited = exploited;
	rc = store_tx_begin(s, err);
	if (rc) {
		json_decref(exploited);
		return rc;
	}
	rc = store_exec(s, err, "DELETE FROM vuln_components WHERE version_id = ?", "i",
			c.version_id);
	if (!rc) {
		struct binds b = {1, sbom_id, NULL, 0};
		rc = run(s,
			 "SELECT id, purl, version FROM components WHERE sbom_id = ? AND purl IS "
			 "NOT NULL ORDER BY idx",
			 &b, comp_row, &c, err);
	}
	if (!rc)
		rc = comp_flush(&c, err);
	comp_release(&c);
	if (!rc)
		rc = index_cpe_components(s, sbom_id, c.version_id, err);
	if (!rc) {
		struct binds b = {1, c.version_id, NULL, 0};
		rc = reconcile(
		    &r,
		    "SELECT DISTINCT a.record_json, a.vuln_id FROM vuln_components c JOIN "
		    "advisory_packages p ON p.eco = c.eco AND p.name = c.name JOIN "
		    "advisories a ON a.source = p.source AND a.id = p.advisory_id WHERE "
		    "c.version_id = ? AND COALESCE(a.withdrawn, 0) = 0",
		    "SELECT component_id, sbom_id, version_id, eco, name, version, release, "
		    "purl FROM vuln_components WHERE version_id = ?",
		    "SELECT DISTINCT c.config_json, a.vuln_id FROM vuln_cpe_components v JOIN "
		    "advisory_cpes p ON (p.vendor = v.vendor AND p.product = v.product) OR "
		    "(p.vendor = '*' AND p.product = '*') JOIN advisories a ON a.source = "
		    "p.source AND a.id = p.advisory_id JOIN advisory_configs c ON c.source = "
		    "a.source AND c.advisory_id = a.id WHERE v.version_id = ? AND "
		    "COALESCE(a.withdrawn, 0) = 0",
		    "SELECT component_id, sbom_id, version_id, cpe, platform_json FROM "
		    "vuln_cpe_components WHERE version_id = ?",
		    "SELECT id, version_id, purl, vuln_id, retracted_at, evidence_json FROM "
		    "findings WHERE version_id = ?",
		    &b);
	}
	if (!rc)
		rc = store_exec(s, err, FINDINGS_DUE_SYNC "version_id = ?", "i", c.version_id);
	if (!rc)
		rc = kev_sweep(s, exploited, &local, err);
	/* Earlier triage decisions carry over to the new revision's findings. */
	if (!rc)
		rc = triage_carry_over(s, c.version_id, r.now, err);
	if (!rc) {
		snprintf(subject, sizeof(subject), "%lld", (long long)sbom_id);
		after = json_pack("{s:I, s:I, s:I, s:I}", "components_matchable", (json_int_t)c.n,
				  "findings_new", (json_int_t)local.findings_new,
				  "findings_retracted", (json_int_t)local.findings_retracted,
				  "exploited", (json_int_t)local.exploited);
		rc = store_audit(s, "findings.reconcile", "sbom", subject, NULL, after, err);
		json_decref(after);
	}
	if (!rc)
		rc = store_tx_commit(s, err);
	else
		store_tx_rollback(s);
	if (!rc)
		emit_exploited(s, exploited);
	json_decref(exploited);
	if (st) {
		st->findings_new += local.findings_new;
		st->findings_retracted += local.findings_retracted;
		st->exploited += local.exploited;
	}
	return rc;
}

int vulndb_match_cpe(struct store *s, const char *cpe, const char *const *platform,
		     size_t n_platform, vulndb_cpe_hit_fn fn, void *arg, struct vg_error *err)
{
	struct recon r = {s, NULL, NULL, NULL, NULL, 0, err, NULL, 0, 0, 0, NULL};
	const char *kb[2];
	struct cpe c;
	char key[600], *sep;
	int rc;
	json_t *row, *plat = json_array(), *cand;
	const char *k;

	if (!cpe || cpe_parse(cpe, &c, NULL) != VG_OK) {
		json_decref(plat);
		return VG_OK;
	}
	rc = vulndb_cpe_key(&c, key, sizeof(key));
	cpe_release(&c);
	if (rc || strcmp(key, "*\037*") == 0 || !(sep = strchr(key, '\037'))) {
		json_decref(plat);
		return VG_OK;
	}
	*sep = '\0';
	kb[0] = key;
	kb[1] = sep + 1;
	r.desired = json_object();
	r.cpe_map = json_object();
	for (size_t i = 0; plat && i < n_platform && i < MAX_PLATFORM; i++)
		json_array_append_new(plat, json_string(platform[i]));
	if (!r.desired || !r.cpe_map || !plat) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	{
		struct binds b = {0, 0, kb, 2};
		rc = run(s,
			 "SELECT DISTINCT c.config_json, a.vuln_id FROM advisory_cpes p JOIN "
			 "advisories a ON a.source = p.source AND a.id = p.advisory_id JOIN "
			 "advisory_configs c ON c.source = a.source AND c.advisory_id = a.id WHERE "
			 "((p.vendor = ? AND p.product = ?) OR (p.vendor = '*' AND p.product = "
			 "'*')) AND COALESCE(a.withdrawn, 0) = 0",
			 &b, load_cpe_adv, &r, err);
	}
	if (!rc && r.n_cves) {
		/* The same path as stored CPE-only components take. */
		char *platj = json_array_size(plat) ? vg_json_canonical(plat) : NULL;
		cpe_eval(&r, 0, 0, 0, cpe, platj);
		free(platj);
	}
	json_object_foreach(r.desired, k, cand)
	{
		size_t i;
		json_array_foreach(json_object_get(cand, "matches"), i, row)
		    fn(arg, vg_json_str(cand, "vuln_id"), vg_json_str(row, "advisory"),
		       vg_json_str(row, "matched"), vg_json_str(row, "fixed"));
	}
out:
	json_decref(plat);
	json_decref(r.desired);
	for (size_t i = 0; i < r.n_cves; i++) {
		nvd_cve_free(r.cves[i].cve);
		free(r.cves[i].vuln_id);
	}
	free(r.cves);
	json_decref(r.cpe_map);
	return rc;
}

int vulndb_load_index(struct store *s, struct match_index *ix, struct vg_error *err)
{
	struct recon r = {s, ix, NULL, NULL, NULL, 0, err, NULL, 0, 0, 0, NULL};
	return run(s,
		   "SELECT record_json, vuln_id FROM advisories WHERE COALESCE(withdrawn, 0) = 0",
		   NULL, load_adv, &r, err);
}

/* ---- queries ---- */

int findings_due_sync_id(struct store *s, int64_t id, struct vg_error *err)
{
	return store_exec(s, err, FINDINGS_DUE_SYNC "id = ?", "i", id);
}

int findings_due_sync_policy(struct store *s, int64_t product_id, const char *severity,
			     struct vg_error *err)
{
	int kev = strcmp(severity, "kev") == 0;
	return store_exec(s, err,
			  FINDINGS_DUE_SYNC "(? = 0 OR version_id IN (SELECT id FROM "
					    "product_versions WHERE product_id = ?)) AND (CASE "
					    "WHEN ? = 1 THEN kev = 1 ELSE severity = ? END)",
			  "iiit", product_id, product_id, (int64_t)kev, severity);
}

/*
 * The WHERE clause of the queue, built for the filters in use so that the
 * planner sees plain conditions it can serve from the indexes of migration
 * 0010 (a catch-all "? IS NULL OR ..." clause hides them). The binds are
 * always FILTER_TYPES / FILTER_ARGS in that order: a filter not in use binds
 * its (empty) value to a constant condition that is true.
 */
static void findings_where(struct vg_buf *b, const struct findings_filter *f, int page)
{
	int by_version = f->product || f->version;
	vg_buf_adds(b, "WHERE ");
	vg_buf_adds(b, f->product ? "f.version_id IN (SELECT pv.id FROM product_versions pv "
				    "JOIN products pp ON pp.id = pv.product_id WHERE pp.name = ?)"
				  : "CAST(? AS TEXT) IS NULL");
	vg_buf_adds(b, f->version ? " AND f.version_id IN (SELECT pv.id FROM product_versions "
				    "pv WHERE pv.version = ?)"
				  : " AND CAST(? AS TEXT) IS NULL");
	/* With a product or version, the other conditions are expressions the
	 * planner cannot serve from an index: findings_q_version serves them all
	 * (SQLite, without statistics, would rather walk a severity's or a
	 * state's index in due order and test each finding's version). */
	vg_buf_adds(b, !f->severity ? " AND CAST(? AS TEXT) IS NULL"
		       : by_version ? " AND (f.severity || '') = ?"
				    : " AND f.severity = ?");
	vg_buf_adds(b, f->vuln ? " AND f.vuln_id = ?" : " AND CAST(? AS TEXT) IS NULL");
	vg_buf_adds(b, !f->kev_only ? " AND ? = 0"
		       : by_version ? " AND f.kev + 0 = ?"
				    : " AND f.kev = ?");
	vg_buf_adds(b,
		    f->include_retracted ? " AND ? = 1" : " AND f.retracted_at IS NULL AND ? = 0");
	if (!f->state)
		vg_buf_adds(b, " AND CAST(? AS TEXT) IS NULL");
	else if (strcmp(f->state, "open") == 0)
		/* Most findings are open: a page sorted by due time is read from the
		 * due time index (which carries the state) rather than from four
		 * ranges of the state index and a sort, so the page query hides the
		 * state from the planner. The count reads the state index. */
		vg_buf_addf(b,
			    " AND %s IN ('new', 'in_triage', 'affected', 'in_remediation') AND "
			    "CAST(? AS TEXT) = 'open'",
			    (page && f->sort_due) || by_version ? "(f.state || '')" : "f.state");
	else
		vg_buf_adds(b, by_version ? " AND (f.state || '') = ?" : " AND f.state = ?");
	vg_buf_adds(b, !f->assignee ? " AND CAST(? AS TEXT) IS NULL"
		       : by_version ? " AND (f.assignee || '') = ?"
				    : " AND f.assignee = ?");
	/* no deadline: sla_due_key is the largest BIGINT, never before now */
	vg_buf_adds(b, f->overdue ? " AND f.sla_due_key < ?" : " AND ? = 0");
	vg_buf_adds(b, f->due_within > 0 ? " AND f.sla_due_key >= ? AND f.sla_due_key <= ? AND "
					   "f.sla_due_at IS NOT NULL"
					 : " AND ? = 0 AND ? = 0");
}
#define FILTER_TYPES "ttttiittiii"
#define FILTER_ARGS(f, sev, now)                                                             \
	(f)->product, (f)->version, (sev), (f)->vuln, (int64_t)((f)->kev_only != 0),         \
	    (int64_t)((f)->include_retracted != 0), (f)->state, (f)->assignee,               \
	    (int64_t)((f)->overdue ? (now) : 0), (int64_t)((f)->due_within > 0 ? (now) : 0), \
	    (int64_t)((f)->due_within > 0 ? (now) + (f)->due_within : 0)

static int filter_severity(const struct findings_filter *f, char sev[16], struct vg_error *err)
{
	if (!f->severity)
		return VG_OK;
	snprintf(sev, 16, "%s", f->severity);
	for (char *p = sev; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	if (sev_rank(sev) < 0)
		return vg_error_set(err, VG_EINVAL,
				    "severity '%s': expected critical, high, medium, low or "
				    "none",
				    f->severity);
	return VG_OK;
}

/* One (vuln_id, alias) row into {vuln_id: [alias, ...]}. */
static int alias_row(struct store_stmt *st, void *arg, struct vg_error *err)
{
	json_t *byv = arg, *list;
	const char *vid = store_col_text(st, 0), *alias = store_col_text(st, 1);
	if (!vid || !alias)
		return VG_OK;
	list = json_object_get(byv, vid);
	if (!list) {
		list = json_array();
		if (!list || json_object_set_new(byv, vid, list))
			return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	return json_array_append_new(list, json_string(alias))
		   ? vg_error_set(err, VG_ENOMEM, "out of memory")
		   : VG_OK;
}

int findings_ids_json(struct store *s, const struct findings_filter *f, json_t **out,
		      struct vg_error *err)
{
	struct vg_buf sql = VG_BUF_INIT;
	json_t *rows = NULL, *ids, *row;
	char sev[16] = "";
	int64_t now = vg_now();
	size_t i;
	int rc = filter_severity(f, sev, err);
	if (rc)
		return rc;
	vg_buf_adds(&sql, "SELECT f.id FROM findings f ");
	findings_where(&sql, f, 0);
	vg_buf_adds(&sql, " ORDER BY f.id");
	rc = store_query_json(s, &rows, err, sql.data, FILTER_TYPES,
			      FILTER_ARGS(f, f->severity ? sev : NULL, now));
	vg_buf_release(&sql);
	if (rc)
		return rc;
	ids = json_array();
	json_array_foreach(rows, i, row) json_array_append(ids, json_object_get(row, "id"));
	json_decref(rows);
	*out = ids;
	return ids ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

int findings_state_counts_json(struct store *s, const struct findings_filter *f,
			       const char *const *states, json_t **out, struct vg_error *err)
{
	/* the filter without its state and deadline conditions, active only */
	struct findings_filter g = *f;
	struct vg_buf sql = VG_BUF_INIT;
	json_t *rows = NULL, *o, *r;
	char sev[16] = "";
	int64_t now = vg_now();
	size_t i;
	int rc;

	g.state = NULL;
	g.overdue = 0;
	g.due_within = 0;
	g.include_retracted = 0;
	if ((rc = filter_severity(&g, sev, err)))
		return rc;
	if (!(o = json_object()))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (const char *const *st = states; *st; st++)
		json_object_set_new(o, *st, json_integer(0));
	if (g.count_cap > 0 && !g.product && !g.version) {
		/* Each state counted up to count_cap + 1 rows, from the index of
		 * the filter and the state (migrations 0010, 0012): a million
		 * findings in one state are read as "more than count_cap" from a
		 * few thousand index entries. */
		for (const char *const *st = states; *st && !rc; st++) {
			int64_t n = 0;
			vg_buf_reset(&sql);
			vg_buf_adds(&sql, "SELECT COUNT(*) FROM (SELECT 1 FROM findings f ");
			findings_where(&sql, &g, 0);
			vg_buf_addf(&sql, " AND f.state = ? LIMIT %lld) c",
				    (long long)g.count_cap + 1);
			rc = store_query_int64(s, &n, err, sql.data, FILTER_TYPES "t",
					       FILTER_ARGS(&g, g.severity ? sev : NULL, now), *st);
			if (!rc)
				json_object_set_new(o, *st, json_integer(n));
		}
	} else {
		/* a product's or version's findings are few: counted exactly in
		 * one pass of findings_q_version */
		vg_buf_adds(&sql, "SELECT f.state, COUNT(*) AS n FROM findings f ");
		findings_where(&sql, &g, 0);
		vg_buf_adds(&sql, " GROUP BY f.state");
		rc = store_query_json(s, &rows, err, sql.data, FILTER_TYPES,
				      FILTER_ARGS(&g, g.severity ? sev : NULL, now));
		if (!rc)
			json_array_foreach(rows, i, r)
			    json_object_set(o, vg_json_str(r, "state"), json_object_get(r, "n"));
		json_decref(rows);
	}
	vg_buf_release(&sql);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return VG_OK;
}

int64_t findings_count_cap(void)
{
	int64_t cap = vg_config_int("triage.count_cap", 10000);
	return cap >= 1 ? cap : 10000;
}

int findings_list_json(struct store *s, const struct findings_filter *f, json_t **out,
		       struct vg_error *err)
{
	struct vg_buf sql = VG_BUF_INIT;
	json_t *rows = NULL;
	int64_t total = 0, now = vg_now();
	int64_t limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 100;
	int by_version = f->product || f->version;
	int64_t offset = f->offset > 0 ? f->offset : 0, cap = 0;
	int rc, exact = 1;
	char sev[16] = "";

	if ((rc = filter_severity(f, sev, err)))
		return rc;
	if (f->count_cap > 0) {
		/* at most offset + count_cap + 1 rows read: "more than" beyond */
		cap = offset + f->count_cap;
		vg_buf_adds(&sql, "SELECT COUNT(*) FROM (SELECT 1 FROM findings f ");
		findings_where(&sql, f, 0);
		vg_buf_addf(&sql, " LIMIT %lld) c", (long long)cap + 1);
	} else {
		vg_buf_adds(&sql, "SELECT COUNT(*) FROM findings f ");
		findings_where(&sql, f, 0);
	}
	rc = store_query_int64(s, &total, err, sql.data, FILTER_TYPES,
			       FILTER_ARGS(f, f->severity ? sev : NULL, now));
	if (!rc && cap > 0 && total > cap) {
		total = cap;
		exact = 0;
	}
	vg_buf_reset(&sql);
	vg_buf_adds(&sql, "SELECT f.id, p.name AS product, v.version, f.purl, f.vuln_id, "
			  "f.severity, f.score, f.kev, f.state, f.justification, f.assignee, "
			  "f.first_seen_at, f.updated_at, f.retracted_at, f.sla_triage_due_at AS "
			  "triage_due_at, f.sla_fix_due_at AS fix_due_at, f.sla_due_at AS due_at, "
			  "f.sla_due_at AS due_epoch, f.evidence_json FROM findings f JOIN "
			  "product_versions v ON v.id = f.version_id JOIN products p ON p.id = "
			  "v.product_id ");
	findings_where(&sql, f, 1);
	/* sla_due_key: due time, none last; the index of the filter gives the
	 * order. A product's or version's few thousand findings are sorted
	 * instead (the "+ 0" keeps SQLite from walking the whole due time index
	 * in order to find them). */
	vg_buf_addf(&sql, " ORDER BY %s LIMIT %lld OFFSET %lld",
		    !f->sort_due ? "f.first_seen_at DESC, f.id DESC"
		    : by_version ? "f.sla_due_key + 0, f.id"
				 : "f.sla_due_key, f.id",
		    (long long)limit, (long long)offset);
	if (!rc)
		rc = store_query_json(s, &rows, err, sql.data, FILTER_TYPES,
				      FILTER_ARGS(f, f->severity ? sev : NULL, now));
	vg_buf_release(&sql);
	if (rc)
		return rc;
	/* The aliases of the page's vulnerabilities in one query (portable: no
	 * string_agg / group_concat), at most 1,000 binds. */
	{
		size_t i, n = json_array_size(rows);
		json_t *row, *byv = json_object();
		const char **ids = n ? calloc(n, sizeof(*ids)) : NULL;
		if (!byv || (n && !ids)) {
			free(ids);
			json_decref(byv);
			json_decref(rows);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		json_array_foreach(rows, i, row) ids[i] = vg_json_str(row, "vuln_id");
		if (n) {
			struct binds bb = {0, 0, ids, n};
			char *aq =
			    in_sql("SELECT vuln_id, alias FROM vuln_aliases WHERE vuln_id IN ", n,
				   " AND alias <> vuln_id ORDER BY vuln_id, alias");
			rc = aq ? run(s, aq, &bb, alias_row, byv, err)
				: vg_error_set(err, VG_ENOMEM, "out of memory");
			free(aq);
		}
		free(ids);
		json_array_foreach(rows, i, row)
		{
			json_t *kev = json_object_get(row, "kev");
			json_t *due = json_object_get(row, "due_epoch");
			json_t *names = json_object_get(byv, vg_json_str(row, "vuln_id"));
			json_object_set_new(row, "aliases",
					    names ? json_copy(names) : json_array());
			json_object_set_new(row, "kev", json_boolean(json_integer_value(kev) != 0));
			json_object_set_new(
			    row, "exploited",
			    json_boolean(json_is_true(json_object_get(row, "kev"))));
			json_object_set_new(
			    row, "overdue",
			    json_boolean(json_is_integer(due) && json_integer_value(due) < now));
			json_object_del(row, "due_epoch");
		}
		json_decref(byv);
		if (rc) {
			json_decref(rows);
			return rc;
		}
	}
	*out = json_pack("{s:o, s:I, s:b, s:I, s:I}", "findings", rows, "total", (json_int_t)total,
			 "total_exact", exact, "limit", (json_int_t)limit, "offset",
			 (json_int_t)offset);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

int vuln_show_json(struct store *s, const char *id, json_t **out, struct vg_error *err)
{
	char *vid = NULL;
	json_t *v = NULL, *tmp = NULL;
	int rc = store_query_text(s, &vid, err, "SELECT vuln_id FROM vuln_aliases WHERE alias = ?",
				  "t", id);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "vulnerability '%s' not found", id);
	if (rc)
		return rc;
	rc = store_query_json(s, &tmp, err,
			      "SELECT id, summary, severity, score, modified AS modified_at, "
			      "published AS published_at, created_at, updated_at FROM "
			      "vulnerabilities WHERE id = ?",
			      "t", vid);
	if (rc || json_array_size(tmp) == 0) {
		json_decref(tmp);
		free(vid);
		return rc ? rc
			  : vg_error_set(err, VG_ENOTFOUND, "vulnerability '%s' not found", id);
	}
	v = json_incref(json_array_get(tmp, 0));
	json_decref(tmp);
	if (!(rc = store_query_json(s, &tmp, err,
				    "SELECT alias FROM vuln_aliases WHERE vuln_id = ? AND alias <> "
				    "vuln_id ORDER BY alias",
				    "t", vid))) {
		json_t *names = json_array(), *a;
		size_t i;
		json_array_foreach(tmp, i, a) json_array_append(names, json_object_get(a, "alias"));
		json_object_set_new(v, "aliases", names);
		json_decref(tmp);
	}
	if (!rc &&
	    !(rc = store_query_json(s, &tmp, err,
				    "SELECT k.cve_id, k.vendor, k.product, k.name, "
				    "k.date_added, k.due_date, k.ransomware, k.required_action "
				    "FROM kev k JOIN vuln_aliases a ON a.alias = k.cve_id WHERE "
				    "a.vuln_id = ?",
				    "t", vid))) {
		json_object_set_new(v, "kev",
				    json_array_size(tmp) ? json_incref(json_array_get(tmp, 0))
							 : json_null());
		json_object_set_new(v, "exploited", json_boolean(json_array_size(tmp) > 0));
		json_decref(tmp);
	}
	if (!rc &&
	    !(rc = store_query_json(s, &tmp, err,
				    "SELECT source, id, modified AS modified_at, withdrawn, "
				    "file, record_json FROM advisories WHERE vuln_id = ? ORDER "
				    "BY source, id",
				    "t", vid))) {
		size_t i;
		json_t *a;
		json_array_foreach(tmp, i, a)
		{
			json_t *w = json_object_get(a, "withdrawn");
			json_object_set_new(
			    a, "withdrawn",
			    json_boolean(json_is_integer(w) && json_integer_value(w)));
		}
		json_object_set_new(v, "advisories", tmp);
	}
	if (!rc && !(rc = store_query_json(
			 s, &tmp, err,
			 "SELECT f.id AS finding_id, p.name AS product, pv.version, f.purl, f.kev, "
			 "f.state, f.first_seen_at, f.retracted_at FROM findings f JOIN "
			 "product_versions pv ON pv.id = f.version_id JOIN products p ON p.id = "
			 "pv.product_id WHERE f.vuln_id = ? ORDER BY p.name, pv.version, f.purl",
			 "t", vid)))
		json_object_set_new(v, "affected_product_versions", tmp);
	free(vid);
	if (rc) {
		json_decref(v);
		return rc;
	}
	*out = v;
	return VG_OK;
}

/* ---- events ---- */

static void on_sbom_imported(struct store *s, const char *name, const json_t *payload, void *arg)
{
	struct vg_error err = {0};
	struct vulndb_stats st = {0};
	json_int_t id = json_integer_value(json_object_get(payload, "sbom_id"));
	(void)name;
	(void)arg;
	if (id <= 0)
		return;
	if (vulndb_reconcile_sbom(s, id, &st, &err) != VG_OK)
		vg_warn("findings for SBOM %lld: %s", (long long)id, vg_error_msg(&err));
}

void vuln_init(void)
{
	vg_event_subscribe("sbom.imported", on_sbom_imported, NULL);
}
