/*
 * vulndb.c - advisories and KEV stored, aliases joined, the match index of
 * the inventory, and the matcher over it.
 */
#define _POSIX_C_SOURCE 200809L
#include "vuln/vulndb.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/events.h"
#include "core/hash.h"
#include "core/log.h"
#include "store/store.h"
#include "vuln/nvd.h"
#include "vuln/osv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

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

/* ---- import ---- */

/* The content hashes of the stored records of one source (osv_known): an
 * open-addressing set of SHA-256 digests, filled from the database once a
 * feed has asked about more than HASH_PROBES records (a short import asks
 * the index one by one instead). */
#define HASH_PROBES 512
struct hashset {
	uint8_t (*v)[VG_SHA256_LEN]; /* all-zero: free slot */
	size_t n, cap;
	int loaded;
	long asked;
};

struct vulndb_import {
	struct store *s;
	char source[16];
	char *what;
	int in_tx;
	long pending;
	json_t *touched; /* set of vulnerability ids: object keys */
	json_t *merged;  /* [{"from", "to"}] of the batch */
	struct vulndb_stats st, batch;
	struct hashset known;
};

static void import_free(struct vulndb_import *im);

int vulndb_import_begin(struct store *s, const char *source, const char *what,
			struct vulndb_import **out, struct vg_error *err)
{
	struct vulndb_import *im = calloc(1, sizeof(*im));
	int rc;
	if (!im || !(im->what = strdup(what ? what : "")) || !(im->touched = json_object()) ||
	    !(im->merged = json_array())) {
		if (im) {
			free(im->what);
			json_decref(im->touched);
		}
		free(im);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	im->s = s;
	snprintf(im->source, sizeof(im->source), "%s", source);
	/* The indexes of advisories, aliases and packages take random keys:
	 * with SQLite's 2 MB of cache a large import re-read and re-wrote the
	 * pages it had just written (half of the time of 100,000 records). */
	if ((rc = store_cache_hint(s, VULNDB_CACHE_KIB, err)) != VG_OK) {
		import_free(im);
		return rc;
	}
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

static void ids_free(struct ids *ids)
{
	for (size_t i = 0; i < ids->n; i++)
		free(ids->v[i]);
	free(ids->v);
	ids->v = NULL;
	ids->n = 0;
}

/* Merge vulnerability from into to; the batch's event names the merge so
 * that what other rooms keep per vulnerability follows. */
static int merge_vuln(struct vulndb_import *im, const char *from, const char *to,
		      struct vg_error *err)
{
	struct store *s = im->s;
	int rc = store_exec(s, err, "UPDATE vuln_aliases SET vuln_id = ? WHERE vuln_id = ?", "tt",
			    to, from);
	if (!rc)
		rc = store_exec(s, err, "UPDATE advisories SET vuln_id = ? WHERE vuln_id = ?", "tt",
				to, from);
	if (!rc)
		rc = store_exec(s, err, "DELETE FROM vulnerabilities WHERE id = ?", "t", from);
	if (!rc &&
	    json_array_append_new(im->merged, json_pack("{s:s, s:s}", "from", from, "to", to)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	return rc;
}

static int upsert_vuln(struct store *s, const char *vid, const struct advisory *a, const char *sev,
		       const char *score, int64_t now, int is_new, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	char os[64] = "", osc[64] = "";
	int64_t om = 0;
	int found = 0, has_os = 0, has_osc = 0, rc;
	/* none of the advisory's ids was known: the vulnerability is new, one
	 * statement (should it exist after all, the row is read and updated) */
	if (is_new) {
		rc = store_prepare_cached(
		    s,
		    "INSERT INTO vulnerabilities (id, summary, severity, score, modified, "
		    "published, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (id) "
		    "DO "
		    "NOTHING",
		    &st, err);
		if (rc)
			return rc;
		store_bind_text(st, 1, vid);
		store_bind_text(st, 2, a->summary);
		store_bind_text(st, 3, sev);
		store_bind_text(st, 4, score);
		store_bind_int64(st, 5, a->modified);
		store_bind_int64(st, 6, a->published);
		store_bind_int64(st, 7, now);
		store_bind_int64(st, 8, now);
		rc = store_step(st, err);
		found = rc == STORE_DONE && store_changes(st) == 1;
		store_finalize(st);
		if (rc != STORE_DONE)
			return rc;
		if (found)
			return VG_OK;
		st = NULL;
	}
	rc = store_prepare_cached(
	    s, "SELECT severity, score, modified FROM vulnerabilities WHERE id = ?", &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, vid);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		/* severity labels and scores are short ("critical", "9.8" as
		 * written below): a longer one cannot rank */
		const char *t0 = store_col_text(st, 0), *t1 = store_col_text(st, 1);
		found = 1;
		if (t0 && strlen(t0) < sizeof(os)) {
			snprintf(os, sizeof(os), "%s", t0);
			has_os = 1;
		}
		if (t1 && strlen(t1) < sizeof(osc)) {
			snprintf(osc, sizeof(osc), "%s", t1);
			has_osc = 1;
		}
		om = store_col_isnull(st, 2) ? 0 : store_col_int64(st, 2);
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = VG_OK;
	}
	store_finalize(st);
	if (rc)
		return rc;
	if (!found)
		return store_exec_cached(
		    s, err,
		    "INSERT INTO vulnerabilities (id, summary, severity, score, modified, "
		    "published, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
		    "ttttiiii", vid, a->summary, sev, score, a->modified, a->published, now, now);
	if (has_os && sev_rank(os) > sev_rank(sev))
		sev = os;
	if (has_osc && (!score || strtod(osc, NULL) > strtod(score, NULL)))
		score = osc;
	return store_exec_cached(
	    s, err,
	    "UPDATE vulnerabilities SET summary = COALESCE(?, summary), severity "
	    "= ?, score = ?, modified = ?, updated_at = ? WHERE id = ?",
	    "tttiit", a->summary, sev, score, a->modified > om ? a->modified : om, now, vid);
}

#define ROWS_PER_INSERT 32

/* INSERT of n rows of w text values each (vals[row * w + col]) in
 * multi-row statements of up to ROWS_PER_INSERT rows: one statement, and
 * on PostgreSQL one round trip, for all the aliases or packages of an
 * advisory. head is "INSERT INTO t (a, b) VALUES ". */
static int insert_rows(struct store *s, const char *head, int w, const char *const *vals, size_t n,
		       struct vg_error *err)
{
	int rc = VG_OK;
	for (size_t at = 0; !rc && at < n; at += ROWS_PER_INSERT) {
		size_t k = n - at < ROWS_PER_INSERT ? n - at : ROWS_PER_INSERT;
		struct vg_buf q = VG_BUF_INIT;
		struct store_stmt *st = NULL;
		vg_buf_adds(&q, head);
		for (size_t r = 0; r < k; r++) {
			vg_buf_adds(&q, r ? ",(" : "(");
			for (int c = 0; c < w; c++)
				vg_buf_adds(&q, c ? ",?" : "?");
			vg_buf_adds(&q, ")");
		}
		rc = store_prepare_cached(s, q.data, &st, err);
		vg_buf_release(&q);
		if (rc)
			break;
		for (size_t i = 0; i < k * (size_t)w; i++)
			store_bind_text(st, (int)i + 1, vals[at * (size_t)w + i]);
		rc = store_step(st, err);
		rc = rc == STORE_DONE ? VG_OK : rc;
		store_finalize(st);
	}
	return rc;
}

#define PKG_INSERT "INSERT INTO advisory_packages (source, advisory_id, eco, name) VALUES "

static int store_packages(struct store *s, const char *source, const struct advisory *a,
			  struct vg_error *err)
{
	json_t *seen = json_object();
	/* rows of (source, advisory_id, eco, name), flushed ROWS_PER_INSERT at
	 * a time; the copies of eco and name live in bufs */
	const char *vals[ROWS_PER_INSERT * 4];
	char bufs[ROWS_PER_INSERT][2][512];
	size_t n = 0;
	int rc = seen ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
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
		snprintf(bufs[n][0], sizeof(bufs[n][0]), "%s", base);
		snprintf(bufs[n][1], sizeof(bufs[n][1]), "%s", norm);
		vals[n * 4] = source;
		vals[n * 4 + 1] = a->id;
		vals[n * 4 + 2] = bufs[n][0];
		vals[n * 4 + 3] = bufs[n][1];
		if (++n == ROWS_PER_INSERT) {
			rc = insert_rows(s, PKG_INSERT, 4, vals, n, err);
			n = 0;
		}
	}
	if (!rc && n)
		rc = insert_rows(s, PKG_INSERT, 4, vals, n, err);
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
		rc = store_exec_cached(
		    s, err,
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
		rc = store_exec_cached(
		    s, err,
		    "INSERT INTO advisory_cpes (source, advisory_id, vendor, product) "
		    "VALUES (?,?,?,?)",
		    "tttt", source, id, vendor, sep + 1);
	}
	json_decref(seen);
	return rc;
}

/* The vulnerability the alias id belongs to, into *vid (malloc'ed; NULL
 * when the id is unknown). */
static int alias_vuln(struct store *s, const char *id, char **vid, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc =
	    store_prepare_cached(s, "SELECT vuln_id FROM vuln_aliases WHERE alias = ?", &st, err);
	*vid = NULL;
	if (rc)
		return rc;
	store_bind_text(st, 1, id);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		const char *t = store_col_text(st, 0);
		rc = t && !(*vid = strdup(t)) ? vg_error_set(err, VG_ENOMEM, "out of memory")
					      : VG_OK;
	} else if (rc == STORE_DONE) {
		rc = VG_OK;
	}
	store_finalize(st);
	return rc;
}

/* The vulnerabilities of the n ids in one query: hits[i] (malloc'ed) for
 * each id that is an alias, NULL for the others. */
static int alias_vulns_in(struct store *s, const char *const *ids, size_t n, char **hits,
			  struct vg_error *err)
{
	struct store_stmt *st = NULL;
	char *sql = in_sql("SELECT alias, vuln_id FROM vuln_aliases WHERE alias IN ", n, "");
	int rc = store_prepare(s, sql, &st, err);
	free(sql);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		store_bind_text(st, (int)i + 1, ids[i]);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		const char *al = store_col_text(st, 0), *v = store_col_text(st, 1);
		for (size_t i = 0; al && v && i < n; i++)
			if (!hits[i] && strcmp(ids[i], al) == 0 && !(hits[i] = strdup(v))) {
				store_finalize(st);
				return vg_error_set(err, VG_ENOMEM, "out of memory");
			}
	}
	store_finalize(st);
	return rc == STORE_DONE ? VG_OK : rc;
}

static int store_advisory(struct vulndb_import *im, const struct advisory *a,
			  const struct vulndb_extra *x, struct vg_error *err)
{
	struct store *s = im->s;
	struct ids found = {0};
	const char *ids[MAX_ALIAS + 1];
	char known[MAX_ALIAS + 1], **pg_hits = NULL;
	int pg = store_kind(s) == STORE_PG;
	size_t nids = 0, order[MAX_ALIAS + 1];
	int64_t old_mod = 0, now = vg_now();
	int exists = 0, rc;
	const char *vid, *sev;
	char *rec = NULL, scorebuf[16];
	double score = -1;
	json_t *j;

	{
		struct store_stmt *st = NULL;
		rc = store_prepare_cached(
		    s, "SELECT modified FROM advisories WHERE source = ? AND id = ?", &st, err);
		if (rc)
			return rc;
		store_bind_text(st, 1, im->source);
		store_bind_text(st, 2, a->id);
		rc = store_step(st, err);
		if (rc == STORE_ROW) {
			exists = 1;
			old_mod = store_col_isnull(st, 0) ? 0 : store_col_int64(st, 0);
			rc = VG_OK;
		} else if (rc == STORE_DONE) {
			rc = VG_OK;
		}
		store_finalize(st);
		if (rc)
			return rc;
	}
	if (exists && old_mod >= a->modified) {
		im->st.unchanged++;
		return VG_OK;
	}

	/* The vulnerabilities the ids already name: one index lookup each (an
	 * IN list with DISTINCT built a temporary table per advisory, which
	 * was half of an import's time). */
	ids[nids++] = a->id;
	for (size_t i = 0; i < a->n_aliases && nids < MAX_ALIAS; i++)
		ids[nids++] = a->aliases[i];
	memset(known, 0, sizeof(known));
	/* in the ids' sorted order, as the IN list gave them: merges happen in
	 * the same order as before */
	for (size_t i = 0; i < nids; i++) { /* insertion sort: a handful of ids */
		size_t k = i;
		for (; k > 0 && strcmp(ids[order[k - 1]], ids[i]) > 0; k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
	/* PostgreSQL: all ids in one round trip (no temporary table there) */
	if (pg && !(pg_hits = calloc(nids, sizeof(*pg_hits))))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (pg && !rc)
		rc = alias_vulns_in(s, ids, nids, pg_hits, err);
	for (size_t o = 0; !rc && o < nids; o++) {
		size_t i = order[o];
		char *v = NULL;
		if (o && strcmp(ids[order[o - 1]], ids[i]) == 0) {
			known[i] = 1; /* inserted (or found) with the one before */
			continue;
		}
		if (pg) { /* from the one query above */
			v = pg_hits[i];
			pg_hits[i] = NULL;
		} else {
			rc = alias_vuln(s, ids[i], &v, err);
		}
		if (rc || !v)
			continue;
		known[i] = 1;
		for (size_t k = 0; k < found.n && v; k++)
			if (strcmp(found.v[k], v) == 0) {
				free(v);
				v = NULL;
			}
		if (v) {
			char **nv = realloc(found.v, (found.n + 1) * sizeof(char *));
			if (!nv) {
				free(v);
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			found.v = nv;
			found.v[found.n++] = v;
		}
	}
	for (size_t i = 0; pg_hits && i < nids; i++)
		free(pg_hits[i]);
	free(pg_hits);
	if (rc)
		goto out;
	vid = advisory_canonical_id(a);
	for (size_t i = 0; i < found.n; i++)
		if (advisory_id_cmp(found.v[i], vid) < 0)
			vid = found.v[i];
	for (size_t i = 0; !rc && i < found.n; i++)
		if (strcmp(found.v[i], vid) != 0)
			rc = merge_vuln(im, found.v[i], vid, err);
	/* the ids not known yet join vid (a merge moved the known ones) */
	if (!rc) {
		const char *vals[2 * (MAX_ALIAS + 1)];
		size_t nv = 0;
		for (size_t i = 0; i < nids; i++)
			if (!known[i]) {
				vals[2 * nv] = ids[i];
				vals[2 * nv++ + 1] = vid;
			}
		rc = insert_rows(s, "INSERT INTO vuln_aliases (alias, vuln_id) VALUES ", 2, vals,
				 nv, err);
	}
	if (rc)
		goto out;
	sev = advisory_severity(a, &score);
	if (score >= 0)
		snprintf(scorebuf, sizeof(scorebuf), "%.1f", score);
	rc = upsert_vuln(s, vid, a, sev, score >= 0 ? scorebuf : NULL, now, found.n == 0, err);
	if (rc)
		goto out;
	/* written straight from the model; the tree's way when that cannot be
	 * byte for byte the same (out of memory, a string not UTF-8) */
	rec = advisory_canonical_json(a);
	if (!rec) {
		j = advisory_to_json(a);
		rec = j ? vg_json_canonical(j) : NULL;
		json_decref(j);
	}
	if (!rec) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	if (exists) {
		rc = store_exec_cached(
		    s, err,
		    "UPDATE advisories SET vuln_id = ?, modified = ?, published = ?, "
		    "withdrawn = ?, severity = ?, score = ?, file = ?, record_json = ?, "
		    "updated_at = ?, content_hash = ? WHERE source = ? AND id = ?",
		    "tiiittttittt", vid, a->modified, a->published, (int64_t)a->withdrawn, sev,
		    score >= 0 ? scorebuf : NULL, a->file, rec, now, a->content_hash, im->source,
		    a->id);
		if (!rc)
			rc = store_exec_cached(s, err,
					       "DELETE FROM advisory_packages WHERE source = ? AND "
					       "advisory_id = ?",
					       "tt", im->source, a->id);
		im->st.updated++;
	} else {
		rc = store_exec_cached(
		    s, err,
		    "INSERT INTO advisories (source, id, vuln_id, modified, published, "
		    "withdrawn, severity, score, file, record_json, imported_at, "
		    "updated_at, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
		    "tttiiittttiit", im->source, a->id, vid, a->modified, a->published,
		    (int64_t)a->withdrawn, sev, score >= 0 ? scorebuf : NULL, a->file, rec, now,
		    now, a->content_hash);
		im->st.imported++;
	}
	if (!rc)
		rc = store_packages(s, im->source, a, err);
	if (!rc && exists)
		rc = store_exec_cached(
		    s, err, "DELETE FROM advisory_configs WHERE source = ? AND advisory_id = ?",
		    "tt", im->source, a->id);
	if (!rc && exists)
		rc = store_exec_cached(
		    s, err, "DELETE FROM advisory_cpes WHERE source = ? AND advisory_id = ?", "tt",
		    im->source, a->id);
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

/* ---- the matcher ---- */

struct cpe_adv {
	struct nvd_cve *cve;
	char *vuln_id;
	size_t stamp; /* last candidate tested against it */
};

struct recon {
	struct store *s;
	struct match_index *ix;
	vuln_hit_fn fn;
	void *arg;
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
	if (!j) /* we wrote it: only memory can fail */
		return vg_error_set(err, e.code ? e.code : VG_ENOMEM, "%s", vg_error_msg(&e));
	advisory_init(&a);
	rc = osv_from_json(j, "stored advisory", &a, &e);
	if (rc == VG_OK) {
		const char *src = vg_json_str(json_object_get(j, "database_specific"), "source");
		if (src)
			a.source = src;
		rc = match_index_add(r->ix, &a, vid, err);
	} else if (rc == VG_ENOMEM) { /* the index must not miss it */
		vg_error_set(err, rc, "%s", vg_error_msg(&e));
	} else {
		rc = VG_OK;
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

/* One match of a component: tell the caller. */
static void desire(struct hitctx *h, const char *vuln_id, const char *adv_id, const char *source,
		   const char *matched, const char *fixed)
{
	struct vuln_hit hit = {h->component_id, h->sbom_id, h->version_id, h->purl, vuln_id,
			       adv_id,          source,     h->version,    matched, fixed};
	h->r->fn(h->r->arg, &hit);
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
	if (!j) /* we wrote it: only memory can fail */
		return vg_error_set(err, e.code ? e.code : VG_ENOMEM, "%s", vg_error_msg(&e));
	if (nvd_cve_from_json(j, "stored NVD record", "", &cve, &e) != VG_OK) {
		json_decref(j);
		/* the index must not miss it for want of memory */
		return e.code == VG_ENOMEM ? vg_error_set(err, VG_ENOMEM, "out of memory") : VG_OK;
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

/*
 * Match in one scope: advq selects (record_json, vuln_id) of the advisories
 * to hold, candq the candidate components, cpeadvq (config_json, vuln_id)
 * the NVD records and cpecandq the CPE-only candidates; all take the same
 * binds. r->fn hears of every match.
 */
static int one_row(struct store_stmt *st, void *arg, struct vg_error *err)
{
	(void)st;
	(void)err;
	*(int *)arg = 1;
	return VG_OK;
}

/* *any = 1 when the query sql (with binds b) yields a row. */
static int any_row(struct store *s, const char *sql, const struct binds *b, int *any,
		   struct vg_error *err)
{
	struct vg_buf q = VG_BUF_INIT;
	int rc;
	*any = 0;
	vg_buf_adds(&q, "SELECT 1 WHERE EXISTS (");
	vg_buf_adds(&q, sql);
	vg_buf_adds(&q, ")");
	rc = q.data ? run(s, q.data, b, one_row, any, err)
		    : vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_buf_release(&q);
	return rc;
}

static int match_scope(struct recon *r, const char *advq, const char *candq, const char *cpeadvq,
		       const char *cpecandq, const struct binds *b)
{
	struct store *s = r->s;
	struct vg_error *err = r->err;
	int rc, any = 0;

	r->ix = match_index_new();
	r->cpe_map = json_object();
	if (!r->ix || !r->cpe_map) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	/* Advisories are read (and parsed) only for a scope with candidate
	 * components: without any, nothing can match, and a feed import into
	 * an inventory that names none of its packages spent most of its
	 * matching time parsing records back. */
	rc = any_row(s, "SELECT 1 FROM vuln_components", NULL, &any, err);
	if (!rc && any)
		rc = any_row(s, candq, b, &any, err);
	if (!rc && any)
		rc = run(s, advq, b, load_adv, r, err);
	if (!rc && any)
		rc = run(s, candq, b, cand_row, r, err);
	if (!rc)
		rc = any_row(s, "SELECT 1 FROM vuln_cpe_components", NULL, &any, err);
	if (!rc && any)
		rc = any_row(s, cpecandq, b, &any, err);
	if (!rc && any)
		rc = run(s, cpeadvq, b, load_cpe_adv, r, err);
	if (!rc && any && r->n_cves)
		rc = run(s, cpecandq, b, cpe_cand_row, r, err);
out:
	match_index_free(r->ix);
	r->ix = NULL;
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

int vulndb_match_vulns(struct store *s, const char *const *vuln_ids, size_t n, vuln_hit_fn fn,
		       void *arg, struct vg_error *err)
{
	struct recon r = {s, NULL, fn, arg, err, NULL, 0, 0, 0, NULL};
	struct binds b = {0, 0, vuln_ids, n};
	int rc;
	char *advq, *candq, *cpeadvq, *cpecandq;
	if (!n)
		return VG_OK;
	advq = in_sql("SELECT record_json, vuln_id FROM advisories WHERE "
		      "COALESCE(withdrawn, 0) = 0 AND vuln_id IN ",
		      n, "");
	candq = in_sql("SELECT DISTINCT c.component_id, c.sbom_id, c.version_id, c.eco, "
		       "c.name, c.version, c.release, c.purl FROM vuln_components c JOIN "
		       "advisory_packages p ON p.eco = c.eco AND p.name = c.name JOIN "
		       "advisories a ON a.source = p.source AND a.id = p.advisory_id WHERE "
		       "a.vuln_id IN ",
		       n, "");
	cpeadvq = in_sql("SELECT c.config_json, a.vuln_id FROM advisory_configs c JOIN "
			 "advisories "
			 "a ON a.source = c.source AND a.id = c.advisory_id WHERE "
			 "COALESCE(a.withdrawn, 0) = 0 AND a.vuln_id IN ",
			 n, "");
	/* Driven from the touched advisories (an OR in the join made SQLite
	 * scan every CPE component); criteria filed under "*" make every CPE
	 * component a candidate. */
	cpecandq = in_sql("SELECT v.component_id, v.sbom_id, v.version_id, v.cpe, "
			  "v.platform_json FROM advisories a JOIN advisory_cpes p ON p.source = "
			  "a.source AND p.advisory_id = a.id JOIN vuln_cpe_components v ON "
			  "v.vendor = p.vendor AND v.product = p.product WHERE a.vuln_id IN ",
			  n,
			  " UNION SELECT v.component_id, v.sbom_id, v.version_id, v.cpe, "
			  "v.platform_json FROM vuln_cpe_components v WHERE EXISTS (SELECT 1 "
			  "FROM "
			  "advisory_cpes p WHERE p.vendor = '*' AND p.product = '*')");
	if (!advq || !candq || !cpeadvq || !cpecandq)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	else
		rc = match_scope(&r, advq, candq, cpeadvq, cpecandq, &b);
	free(advq);
	free(candq);
	free(cpeadvq);
	free(cpecandq);
	return rc;
}

int vulndb_match_version(struct store *s, int64_t version_id, vuln_hit_fn fn, void *arg,
			 struct vg_error *err)
{
	struct recon r = {s, NULL, fn, arg, err, NULL, 0, 0, 0, NULL};
	struct binds b = {1, version_id, NULL, 0};
	return match_scope(
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
	    &b);
}

/* The batch's event: what changed, for the rooms that keep state per
 * vulnerability (NULL: out of memory); their counts come back in "counts".
 * Recorded in the batch's transaction (store_event_record), delivered after
 * its commit (updated_deliver). */
static json_t *updated_event(const char *source, const char *what, json_t *touched, json_t *merged)
{
	json_t *ids = json_array(), *ev;
	const char *k;
	json_t *v;
	if (!ids)
		return NULL;
	json_object_foreach(touched, k, v) if (json_array_append_new(ids, json_string(k)))
	{
		json_decref(ids);
		return NULL;
	}
	ev = json_pack("{s:s, s:s, s:o, s:o, s:{}}", "source", source, "from", what ? what : "",
		       "vuln_ids", ids, "merged", merged ? json_incref(merged) : json_array(),
		       "counts");
	return ev;
}

static void updated_deliver(struct store *s, int64_t event, json_t *ev, struct vulndb_stats *st)
{
	json_t *counts;
	store_event_deliver(s, event, "vuln.updated", ev);
	counts = json_object_get(ev, "counts");
	st->findings_new += (long)vg_json_int(counts, "findings_new", 0);
	st->findings_retracted += (long)vg_json_int(counts, "findings_retracted", 0);
	st->exploited += (long)vg_json_int(counts, "exploited", 0);
}

static int flush(struct vulndb_import *im, struct vg_error *err)
{
	struct vulndb_stats before = im->batch;
	json_t *after, *ev = NULL;
	int64_t event = 0, t0, t1;
	int rc;
	if (!im->in_tx)
		return VG_OK;
	after = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "source", im->source, "from", im->what,
			  "imported", (json_int_t)(im->st.imported - before.imported), "updated",
			  (json_int_t)(im->st.updated - before.updated), "withdrawn",
			  (json_int_t)(im->st.withdrawn - before.withdrawn), "vulnerabilities",
			  (json_int_t)json_object_size(im->touched));
	t0 = vg_mono_us();
	rc = store_audit(im->s, "feed.import", "feed", im->source, NULL, after, err);
	json_decref(after);
	if (!rc && (json_object_size(im->touched) || json_array_size(im->merged))) {
		ev = updated_event(im->source, im->what, im->touched, im->merged);
		rc = ev ? store_event_record(im->s, "vuln.updated", ev, &event, err)
			: vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = store_tx_commit(im->s, err);
	else
		store_tx_rollback(im->s);
	im->in_tx = 0;
	im->pending = 0;
	t1 = vg_mono_us();
	im->st.us_write += t1 - t0;
	if (!rc && ev) {
		updated_deliver(im->s, event, ev, &im->st);
		im->st.us_match += vg_mono_us() - t1;
	}
	json_decref(ev);
	im->batch = im->st;
	json_object_clear(im->touched);
	json_array_clear(im->merged);
	return rc;
}

int vulndb_import_add(struct vulndb_import *im, const struct advisory *a, struct vg_error *err)
{
	return vulndb_import_add_ext(im, a, NULL, err);
}

static int begin(struct vulndb_import *im, struct vg_error *err)
{
	int rc;
	if (im->in_tx)
		return VG_OK;
	rc = store_tx_begin(im->s, err);
	if (!rc)
		im->in_tx = 1;
	/* The batch's lookups are cached statements, which PostgreSQL plans
	 * once for all after five runs: planned on a table that was empty,
	 * that plan scans it whole, and a first import of 4,291 records spent
	 * a millisecond a lookup. Each run is planned for its values instead,
	 * in this transaction only. */
	if (!rc && store_kind(im->s) == STORE_PG)
		rc = store_exec(im->s, err, "SET LOCAL plan_cache_mode = force_custom_plan", "");
	return rc;
}

int vulndb_import_add_ext(struct vulndb_import *im, const struct advisory *a,
			  const struct vulndb_extra *x, struct vg_error *err)
{
	int64_t t0 = vg_mono_us();
	int rc = begin(im, err);
	if (!rc)
		rc = store_advisory(im, a, x, err);
	im->st.us_write += vg_mono_us() - t0;
	if (rc) {
		vg_error_prefix(err, "%s: %s", a->file ? a->file : im->what, a->id);
		return rc;
	}
	if (++im->pending >= VULNDB_BATCH)
		rc = flush(im, err);
	return rc;
}

int vulndb_import_unchanged(struct vulndb_import *im, struct vg_error *err)
{
	int64_t t0 = vg_mono_us();
	int rc = begin(im, err);
	im->st.us_write += vg_mono_us() - t0;
	if (rc)
		return rc;
	im->st.unchanged++;
	if (++im->pending >= VULNDB_BATCH)
		rc = flush(im, err);
	return rc;
}

static void import_free(struct vulndb_import *im)
{
	free(im->known.v);
	json_decref(im->touched);
	json_decref(im->merged);
	free(im->what);
	free(im);
}

int vulndb_import_end(struct vulndb_import *im, struct vulndb_stats *st, struct vg_error *err)
{
	int rc = flush(im, err);
	if (!rc)
		rc = store_cache_hint(im->s, 0, err);
	if (st) {
		st->imported += im->st.imported;
		st->updated += im->st.updated;
		st->unchanged += im->st.unchanged;
		st->skipped += im->st.skipped;
		st->withdrawn += im->st.withdrawn;
		st->findings_new += im->st.findings_new;
		st->findings_retracted += im->st.findings_retracted;
		st->exploited += im->st.exploited;
		st->us_read += im->st.us_read;
		st->us_parse += im->st.us_parse;
		st->us_validate += im->st.us_validate;
		st->us_write += im->st.us_write;
		st->us_match += im->st.us_match;
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
	if (store_cache_hint(im->s, 0, NULL))
		vg_warn("feed import: the page cache could not be given back");
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

/* ---- content hashes of stored records ---- */

static size_t hs_slot(const struct hashset *h, const uint8_t *d)
{
	uint64_t k;
	size_t i;
	memcpy(&k, d, sizeof(k)); /* a digest's bytes are uniform already */
	for (i = (size_t)k & (h->cap - 1); h->v[i][0] | h->v[i][1] | h->v[i][2] | h->v[i][3];
	     i = (i + 1) & (h->cap - 1))
		if (memcmp(h->v[i], d, VG_SHA256_LEN) == 0)
			break;
	return i;
}

static int hs_add(struct hashset *h, const uint8_t *d)
{
	static const uint8_t zero[VG_SHA256_LEN];
	if (memcmp(d, zero, sizeof(zero)) == 0)
		return 0; /* the free-slot mark: never a digest in practice */
	if ((h->n + 1) * 2 > h->cap) {
		struct hashset g = {0};
		g.cap = h->cap ? h->cap * 2 : 1024;
		if (!(g.v = calloc(g.cap, sizeof(*g.v))))
			return -1;
		for (size_t i = 0; i < h->cap; i++)
			if (h->v[i][0] | h->v[i][1] | h->v[i][2] | h->v[i][3])
				memcpy(g.v[hs_slot(&g, h->v[i])], h->v[i], VG_SHA256_LEN);
		free(h->v);
		h->v = g.v;
		h->cap = g.cap;
	}
	{
		size_t i = hs_slot(h, d);
		if (!(h->v[i][0] | h->v[i][1] | h->v[i][2] | h->v[i][3])) {
			memcpy(h->v[i], d, VG_SHA256_LEN);
			h->n++;
		}
	}
	return 0;
}

static int hs_has(const struct hashset *h, const uint8_t *d)
{
	size_t i;
	if (!h->cap)
		return 0;
	i = hs_slot(h, d);
	return memcmp(h->v[i], d, VG_SHA256_LEN) == 0;
}

static int unhex(const char *t, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char c = t[2 * i + k];
			int x = c >= '0' && c <= '9'   ? c - '0'
				: c >= 'a' && c <= 'f' ? c - 'a' + 10
						       : -1;
			if (x < 0)
				return -1;
			v = v * 16 + x;
		}
		out[i] = (uint8_t)v;
	}
	return t[2 * n] == '\0' ? 0 : -1;
}

static int hs_load(struct vulndb_import *im, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare(im->s,
			       "SELECT content_hash FROM advisories WHERE source = ? AND "
			       "content_hash IS NOT NULL",
			       &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, im->source);
	while ((rc = store_step(st, err)) == STORE_ROW) {
		const char *t = store_col_text(st, 0);
		uint8_t d[VG_SHA256_LEN];
		if (t && unhex(t, d, sizeof(d)) == 0 && hs_add(&im->known, d) != 0) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
	}
	store_finalize(st);
	im->known.loaded = 1;
	return rc == STORE_DONE ? VG_OK : rc;
}

/* osv_known.ask: is a stored record of this source made of these bytes?
 * (its time is the reader's: reading) */
static int known_ask(void *arg, const uint8_t sha256[32], int *known, struct vg_error *err)
{
	struct vulndb_import *im = ((struct osvctx *)arg)->im;
	struct store_stmt *st = NULL;
	char hex[VG_SHA256_HEX];
	int rc = VG_OK;

	*known = 0;
	if (!im->known.loaded && ++im->known.asked > HASH_PROBES)
		rc = hs_load(im, err);
	if (rc || im->known.loaded) {
		*known = !rc && hs_has(&im->known, sha256);
		return rc;
	}
	vg_hex(sha256, VG_SHA256_LEN, hex);
	rc = store_prepare_cached(
	    im->s, "SELECT 1 FROM advisories WHERE source = ? AND content_hash = ?", &st, err);
	if (!rc) {
		store_bind_text(st, 1, im->source);
		store_bind_text(st, 2, hex);
		rc = store_step(st, err);
		*known = rc == STORE_ROW;
		rc = rc == STORE_ROW || rc == STORE_DONE ? VG_OK : rc;
		store_finalize(st);
	}
	return rc;
}

static int known_skipped(void *arg, struct vg_error *err)
{
	return vulndb_import_unchanged(((struct osvctx *)arg)->im, err);
}

int vulndb_import_osv(struct store *s, const char *path, void (*skip)(void *, const char *),
		      void *arg, struct vulndb_stats *st, struct vg_error *err)
{
	static const struct osv_known known = {known_ask, known_skipped};
	struct osvctx c = {NULL, skip, arg};
	struct osv_read_stats rs = {0};
	int rc = vulndb_import_begin(s, "osv", path, &c.im, err);
	if (rc)
		return rc;
	rc = osv_read_path_known(path, osv_rec, osv_skip, &known, &c, &rs, err);
	if (rc) {
		vulndb_import_abort(c.im);
		return rc;
	}
	c.im->st.us_read += rs.us_read;
	c.im->st.us_parse += rs.us_parse;
	c.im->st.us_validate += rs.us_validate;
	return vulndb_import_end(c.im, st, err);
}

/* ---- KEV ---- */

int vulndb_import_kev(struct store *s, const char *data, size_t n, const char *file,
		      void (*skip)(void *, const char *), void *arg, struct vulndb_stats *st,
		      struct vg_error *err)
{
	json_t *doc = vg_json_parse(data, n, file, err), *vulns, *e, *after;
	json_t *touched = NULL, *merged = NULL, *ev = NULL;
	int64_t event = 0;
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
	touched = json_object();
	merged = json_array();
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
	if (!rc) {
		after = json_pack("{s:s, s:I, s:I, s:I}", "from", file, "added", (json_int_t)added,
				  "updated", (json_int_t)changed, "skipped", (json_int_t)skipped);
		rc = store_audit(s, "feed.import", "feed", "kev", NULL, after, err);
		json_decref(after);
	}
	/* the findings of newly listed CVEs are flagged by the subscribers */
	if (!rc) {
		ev = updated_event("kev", file, touched, merged);
		rc = ev ? store_event_record(s, "vuln.updated", ev, &event, err)
			: vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = store_tx_commit(s, err);
	else if (store_in_tx(s))
		store_tx_rollback(s);
	if (!rc)
		updated_deliver(s, event, ev, &local);
	json_decref(ev);
	if (st) {
		st->imported += added;
		st->updated += changed;
		st->unchanged += (long)json_array_size(vulns) - added - changed - skipped;
		st->skipped += skipped;
		st->exploited += local.exploited;
	}
	json_decref(touched);
	json_decref(merged);
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
		rc = store_prepare(c->s, sql.data, &st, err);
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
	if (!purl)
		return VG_OK;
	switch (match_key_from_purl(purl, &r->k, NULL)) {
	case VG_OK:
		break;
	case VG_ENOMEM: /* not the purl's fault: the index must not miss it */
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	default:
		return VG_OK; /* no purl ecosystem: unmatchable, never guessed */
	}
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
				      "SELECT c.component_id AS id, c.purl, c.cpe, c.type, CASE "
				      "WHEN c.idx = s.primary_idx THEN 1 ELSE 0 END AS is_primary "
				      "FROM sbom_component_view c JOIN sbom_revision_view s ON "
				      "s.sbom_id = c.sbom_id WHERE "
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
		if (vg_json_str(row, "purl"))
			continue;
		if ((rc = cpe_parse(vg_json_str(row, "cpe"), &c, NULL)) != VG_OK) {
			if (rc != VG_ENOMEM) { /* not a CPE: not matched by CPE */
				rc = VG_OK;
				continue;
			}
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
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

int vulndb_index_sbom(struct store *s, int64_t sbom_id, int64_t *version_id, long *matchable,
		      struct vg_error *err)
{
	struct compctx c = {.s = s, .sbom_id = sbom_id};
	int64_t newest = 0;
	int rc;

	*version_id = 0;
	if (matchable)
		*matchable = 0;
	rc = store_query_int64(s, &c.version_id, err,
			       "SELECT version_id FROM sbom_revision_view WHERE sbom_id = ?", "i",
			       sbom_id);
	if (!rc)
		rc = store_query_int64(
		    s, &newest, err,
		    "SELECT MAX(sbom_id) FROM sbom_revision_view WHERE version_id = ?", "i",
		    c.version_id);
	if (rc || newest != sbom_id)
		return rc; /* an older revision: the newest one's index stands */
	rc = store_exec(s, err, "DELETE FROM vuln_components WHERE version_id = ?", "i",
			c.version_id);
	if (!rc) {
		struct binds b = {1, sbom_id, NULL, 0};
		rc = run(s,
			 "SELECT component_id, purl, version FROM sbom_component_view WHERE "
			 "sbom_id = ? AND purl IS NOT NULL ORDER BY idx",
			 &b, comp_row, &c, err);
	}
	if (!rc)
		rc = comp_flush(&c, err);
	comp_release(&c);
	if (!rc)
		rc = index_cpe_components(s, sbom_id, c.version_id, err);
	if (!rc) {
		*version_id = c.version_id;
		if (matchable)
			*matchable = c.n;
	}
	return rc;
}

/* Hits of one CPE, grouped per vulnerability (one entry per advisory). */
static void cpe_collect(void *arg, const struct vuln_hit *h)
{
	json_t *desired = arg, *f, *m;
	size_t i;
	f = json_object_get(desired, h->vuln_id);
	if (!f) {
		f = json_array();
		if (!f || json_object_set_new(desired, h->vuln_id, f))
			return;
	}
	json_array_foreach(f, i,
			   m) if (strcmp(vg_json_str(m, "advisory"), h->advisory) == 0) return;
	json_array_append_new(f, json_pack("{s:s, s:s, s:s?}", "advisory", h->advisory, "matched",
					   h->matched, "fixed",
					   h->fixed && h->fixed[0] ? h->fixed : NULL));
}

int vulndb_match_cpe(struct store *s, const char *cpe, const char *const *platform,
		     size_t n_platform, vulndb_cpe_hit_fn fn, void *arg, struct vg_error *err)
{
	json_t *desired = json_object();
	struct recon r = {s, NULL, cpe_collect, desired, err, NULL, 0, 0, 0, NULL};
	const char *kb[2];
	struct cpe c;
	char key[600], *sep;
	int rc = VG_OK;
	json_t *row, *plat = json_array(), *cand;
	const char *k;

	if (!cpe || (rc = cpe_parse(cpe, &c, NULL)) != VG_OK) {
		json_decref(plat);
		json_decref(desired);
		return cpe && rc == VG_ENOMEM ? vg_error_set(err, VG_ENOMEM, "out of memory")
					      : VG_OK;
	}
	rc = vulndb_cpe_key(&c, key, sizeof(key));
	cpe_release(&c);
	if (rc || strcmp(key, "*\037*") == 0 || !(sep = strchr(key, '\037'))) {
		json_decref(plat);
		json_decref(desired);
		return VG_OK;
	}
	*sep = '\0';
	kb[0] = key;
	kb[1] = sep + 1;
	r.cpe_map = json_object();
	for (size_t i = 0; plat && i < n_platform && i < MAX_PLATFORM; i++)
		json_array_append_new(plat, json_string(platform[i]));
	if (!desired || !r.cpe_map || !plat) {
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
	json_object_foreach(desired, k, cand)
	{
		size_t i;
		json_array_foreach(cand, i, row)
		    fn(arg, k, vg_json_str(row, "advisory"), vg_json_str(row, "matched"),
		       vg_json_str(row, "fixed"));
	}
out:
	json_decref(plat);
	json_decref(desired);
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
	struct recon r = {s, ix, NULL, NULL, err, NULL, 0, 0, 0, NULL};
	return run(s,
		   "SELECT record_json, vuln_id FROM advisories WHERE COALESCE(withdrawn, 0) = 0",
		   NULL, load_adv, &r, err);
}

/* ---- one vulnerability ---- */

static vuln_affected_fn affected_provider;

void vuln_set_affected_provider(vuln_affected_fn fn)
{
	affected_provider = fn;
}

void vulnerability_release(struct vulnerability *v)
{
	vg_arena_release(&v->arena);
}

static int64_t vtime(struct store_stmt *st, int i)
{
	return store_col_isnull(st, i) ? VULN_NO_TIME : store_col_int64(st, i);
}

/* Room for one more item of *arr in the vulnerability's arena. */
static void *vgrow(struct vulnerability *v, void *arr, size_t n, size_t *cap, size_t elem)
{
	return vg_arena_grow(&v->arena, arr, n, cap, elem, 8);
}

int vulnerability_add_affected(struct vulnerability *v, const struct vuln_affected *a)
{
	struct vuln_affected *x;
	size_t cap = v->cap_affected;
	x = vgrow(v, v->affected, v->n_affected, &cap, sizeof(*x));
	if (!x)
		return VG_ENOMEM;
	v->affected = x;
	v->cap_affected = cap;
	x = &v->affected[v->n_affected];
	*x = *a;
	x->product = vg_arena_strdup(&v->arena, a->product);
	x->version = vg_arena_strdup(&v->arena, a->version);
	x->purl = vg_arena_strdup(&v->arena, a->purl);
	x->state = vg_arena_strdup(&v->arena, a->state);
	if ((a->product && !x->product) || (a->version && !x->version) || (a->purl && !x->purl) ||
	    (a->state && !x->state))
		return VG_ENOMEM;
	v->n_affected++;
	return VG_OK;
}

/* Prepare sql with vid bound. */
static int prep_vid(struct store *s, const char *sql, const char *vid, struct store_stmt **st,
		    struct vg_error *err)
{
	int rc = store_prepare(s, sql, st, err);
	if (!rc)
		store_bind_text(*st, 1, vid);
	return rc;
}

int vuln_get(struct store *s, const char *id, struct vulnerability *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	char *vid = NULL;
	size_t cap = 0;
	int rc, oom = 0;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->arena, 0);
	rc = store_query_text(s, &vid, err, "SELECT vuln_id FROM vuln_aliases WHERE alias = ?", "t",
			      id);
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "vulnerability '%s' not found", id);
	if (rc)
		return rc;
	rc = prep_vid(s,
		      "SELECT id, summary, severity, score, modified, published, created_at, "
		      "updated_at FROM vulnerabilities WHERE id = ?",
		      vid, &st, err);
	if (!rc) {
		rc = store_step(st, err);
		if (rc == STORE_ROW) {
			out->id = store_col_adup(st, 0, &out->arena, &oom);
			out->summary = store_col_adup(st, 1, &out->arena, &oom);
			out->severity = store_col_adup(st, 2, &out->arena, &oom);
			out->score = store_col_adup(st, 3, &out->arena, &oom);
			out->modified_at = vtime(st, 4);
			out->published_at = vtime(st, 5);
			out->created_at = vtime(st, 6);
			out->updated_at = vtime(st, 7);
			rc = VG_OK;
		} else if (rc == STORE_DONE)
			rc = vg_error_set(err, VG_ENOTFOUND, "vulnerability '%s' not found", id);
		store_finalize(st);
	}
	if (!rc)
		rc = prep_vid(s,
			      "SELECT alias FROM vuln_aliases WHERE vuln_id = ? AND alias <> "
			      "vuln_id ORDER BY alias",
			      vid, &st, err);
	if (!rc) {
		while ((rc = store_step(st, err)) == STORE_ROW && !oom) {
			const char **nv =
			    vgrow(out, out->aliases, out->n_aliases, &cap, sizeof(*out->aliases));
			if (!nv) {
				oom = 1;
				break;
			}
			out->aliases = nv;
			out->aliases[out->n_aliases++] = store_col_adup(st, 0, &out->arena, &oom);
		}
		store_finalize(st);
		rc = rc == STORE_DONE || rc == STORE_ROW ? VG_OK : rc;
	}
	if (!rc)
		rc = prep_vid(s,
			      "SELECT k.cve_id, k.vendor, k.product, k.name, "
			      "k.date_added, k.due_date, k.ransomware, k.required_action "
			      "FROM kev k JOIN vuln_aliases a ON a.alias = k.cve_id WHERE "
			      "a.vuln_id = ?",
			      vid, &st, err);
	if (!rc) {
		rc = store_step(st, err);
		if (rc == STORE_ROW) {
			struct vuln_kev *k = &out->kev;
			out->exploited = 1;
			k->cve_id = store_col_adup(st, 0, &out->arena, &oom);
			k->vendor = store_col_adup(st, 1, &out->arena, &oom);
			k->product = store_col_adup(st, 2, &out->arena, &oom);
			k->name = store_col_adup(st, 3, &out->arena, &oom);
			k->date_added = store_col_adup(st, 4, &out->arena, &oom);
			k->due_date = store_col_adup(st, 5, &out->arena, &oom);
			k->ransomware = store_col_adup(st, 6, &out->arena, &oom);
			k->required_action = store_col_adup(st, 7, &out->arena, &oom);
		}
		store_finalize(st);
		rc = rc == STORE_DONE || rc == STORE_ROW ? VG_OK : rc;
	}
	if (!rc)
		rc = prep_vid(s,
			      "SELECT source, id, modified, withdrawn, file, record_json FROM "
			      "advisories WHERE vuln_id = ? ORDER BY source, id",
			      vid, &st, err);
	if (!rc) {
		cap = 0;
		while ((rc = store_step(st, err)) == STORE_ROW && !oom) {
			struct vuln_advisory *nv = vgrow(out, out->advisories, out->n_advisories,
							 &cap, sizeof(*out->advisories));
			struct vuln_advisory *a;
			if (!nv) {
				oom = 1;
				break;
			}
			out->advisories = nv;
			a = &out->advisories[out->n_advisories++];
			a->source = store_col_adup(st, 0, &out->arena, &oom);
			a->id = store_col_adup(st, 1, &out->arena, &oom);
			a->modified_at = vtime(st, 2);
			a->withdrawn = !store_col_isnull(st, 3) && store_col_int64(st, 3) != 0;
			a->file = store_col_adup(st, 4, &out->arena, &oom);
			a->record_json = store_col_adup(st, 5, &out->arena, &oom);
		}
		store_finalize(st);
		rc = rc == STORE_DONE || rc == STORE_ROW ? VG_OK : rc;
	}
	if (!rc && !oom && affected_provider)
		rc = affected_provider(s, out, err);
	free(vid);
	if (!rc && oom)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	return rc;
}

static json_t *vtime_json(int64_t t)
{
	return t == VULN_NO_TIME ? json_null() : vg_json_time(t);
}

json_t *vulnerability_to_json(const struct vulnerability *v)
{
	json_t *o = json_object(), *aliases = json_array(), *advs = json_array(),
	       *aff = json_array();
	if (!o || !aliases || !advs || !aff) {
		json_decref(o);
		json_decref(aliases);
		json_decref(advs);
		json_decref(aff);
		return NULL;
	}
	for (size_t i = 0; i < v->n_aliases; i++)
		json_array_append_new(aliases, vg_json_text(v->aliases[i]));
	for (size_t i = 0; i < v->n_advisories; i++) {
		const struct vuln_advisory *a = &v->advisories[i];
		json_t *rec =
		    a->record_json ? json_loads(a->record_json, JSON_DECODE_ANY, NULL) : NULL;
		if (a->record_json && !rec)
			rec = json_string(a->record_json);
		json_array_append_new(advs, json_pack("{s:o, s:o, s:o, s:b, s:o, s:o}", "source",
						      vg_json_text(a->source), "id",
						      vg_json_text(a->id), "modified_at",
						      vtime_json(a->modified_at), "withdrawn",
						      a->withdrawn, "file", vg_json_text(a->file),
						      "record", rec ? rec : json_null()));
	}
	for (size_t i = 0; i < v->n_affected; i++) {
		const struct vuln_affected *a = &v->affected[i];
		json_array_append_new(
		    aff,
		    json_pack("{s:I, s:o, s:o, s:o, s:I, s:o, s:o, s:o}", "finding_id",
			      (json_int_t)a->finding_id, "product", vg_json_text(a->product),
			      "version", vg_json_text(a->version), "purl", vg_json_text(a->purl),
			      "kev", (json_int_t)a->kev, "state", vg_json_text(a->state),
			      "first_seen_at", vtime_json(a->first_seen_at), "retracted_at",
			      vtime_json(a->retracted_at)));
	}
	json_object_set_new(o, "id", vg_json_text(v->id));
	json_object_set_new(o, "summary", vg_json_text(v->summary));
	json_object_set_new(o, "severity", vg_json_text(v->severity));
	json_object_set_new(o, "score", vg_json_text(v->score));
	json_object_set_new(o, "modified_at", vtime_json(v->modified_at));
	json_object_set_new(o, "published_at", vtime_json(v->published_at));
	json_object_set_new(o, "created_at", vtime_json(v->created_at));
	json_object_set_new(o, "updated_at", vtime_json(v->updated_at));
	json_object_set_new(o, "aliases", aliases);
	json_object_set_new(
	    o, "kev",
	    v->exploited
		? json_pack(
		      "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "cve_id",
		      vg_json_text(v->kev.cve_id), "vendor", vg_json_text(v->kev.vendor), "product",
		      vg_json_text(v->kev.product), "name", vg_json_text(v->kev.name), "date_added",
		      vg_json_text(v->kev.date_added), "due_date", vg_json_text(v->kev.due_date),
		      "ransomware", vg_json_text(v->kev.ransomware), "required_action",
		      vg_json_text(v->kev.required_action))
		: json_null());
	json_object_set_new(o, "exploited", json_boolean(v->exploited));
	json_object_set_new(o, "advisories", advs);
	json_object_set_new(o, "affected_product_versions", aff);
	return o;
}
