/*
 * feeds.c - NVD and CSAF documents into advisories, stored through vulndb.
 */
#define _POSIX_C_SOURCE 200809L
#include "vuln/feeds.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "vuln/csaf.h"
#include "vuln/match.h"
#include "vuln/nvd.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

#define MAX_DEPTH 16

static void skipf(struct vulndb_import *im, feeds_skip_fn skip, void *arg, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void skipf(struct vulndb_import *im, feeds_skip_fn skip, void *arg, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (im)
		vulndb_import_skipped(im);
	if (skip)
		skip(arg, msg);
}

/* NVD writes "2023-07-13T15:15:09.517" and means UTC. */
static int nvd_time(const char *s, int64_t *out)
{
	char buf[64];
	size_t n;
	*out = 0;
	if (!s)
		return -1;
	n = strlen(s);
	if (n < 10 || n > 40)
		return -1;
	if (s[n - 1] == 'Z' || strchr(s + 10, '+') || (n > 19 && strchr(s + 19, '-')))
		snprintf(buf, sizeof(buf), "%s", s);
	else
		snprintf(buf, sizeof(buf), "%sZ", s);
	return vg_time_parse(buf, out, NULL) == VG_OK ? 0 : -1;
}

/* ---- NVD ---- */

static const char *metric_type(enum nvd_cvss v)
{
	switch (v) {
	case NVD_CVSS_V2:
		return "CVSS_V2";
	case NVD_CVSS_V30:
	case NVD_CVSS_V31:
		return "CVSS_V3";
	case NVD_CVSS_V40:
		return "CVSS_V4";
	}
	return "CVSS";
}

/* The summary: the description's first sentence, at most 200 bytes. */
static const char *short_text(struct vg_arena *ar, const char *d)
{
	size_t n;
	char *s;
	if (!d)
		return NULL;
	n = strcspn(d, "\n");
	for (size_t i = 0; i + 1 < n; i++)
		if (d[i] == '.' && d[i + 1] == ' ') {
			n = i + 1;
			break;
		}
	if (n > 200)
		n = 200;
	s = vg_arena_alloc(ar, n + 1);
	if (s)
		memcpy(s, d, n);
	return s;
}

static int nvd_to_advisory(const struct nvd_cve *c, const char *file, struct advisory *a)
{
	size_t n = 0;
	int primary = 0;
	a->id = c->id;
	a->source = "nvd";
	a->file = file;
	a->details = c->description;
	a->summary = short_text(&a->arena, c->description);
	if (nvd_time(c->last_modified, &a->modified) != 0)
		return -1;
	nvd_time(c->published, &a->published);
	a->withdrawn = c->withdrawn ? a->modified : 0;
	for (size_t i = 0; i < c->n_metrics; i++)
		primary |= c->metrics[i].primary && c->metrics[i].vector;
	a->severity =
	    vg_arena_array(&a->arena, c->n_metrics ? c->n_metrics : 1, sizeof(*a->severity));
	a->refs = vg_arena_array(&a->arena, c->n_refs ? c->n_refs : 1, sizeof(*a->refs));
	if (!a->severity || !a->refs)
		return -2;
	for (size_t i = 0; i < c->n_metrics; i++) {
		const struct nvd_metric *m = &c->metrics[i];
		if (!m->vector || (primary && !m->primary))
			continue;
		a->severity[n].type = metric_type(m->version);
		a->severity[n].score = m->vector;
		n++;
	}
	a->n_severity = n;
	for (size_t i = 0; i < c->n_refs; i++) {
		a->refs[i].type = "WEB";
		a->refs[i].url = c->refs[i].url;
	}
	a->n_refs = c->n_refs;
	return 0;
}

struct keys {
	char **v;
	size_t n;
};

static void keys_free(struct keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
}

/* The distinct CPE keys of c's criteria (a set: records may hold up to
 * NVD_MAX_MATCHES criteria). */
static int cve_keys(const struct nvd_cve *c, struct keys *out)
{
	json_t *seen = json_object();
	int rc = 0;
	if (!seen)
		return -1;
	for (size_t i = 0; !rc && i < c->n_configs; i++)
		for (size_t j = 0; j < c->configs[i].n_nodes; j++)
			for (size_t m = 0; !rc && m < c->configs[i].nodes[j].n_matches; m++) {
				char key[600], **nv;
				if (vulndb_cpe_key(&c->configs[i].nodes[j].matches[m].cpe, key,
						   sizeof(key)) ||
				    json_object_get(seen, key))
					continue;
				json_object_set_new(seen, key, json_true());
				nv = realloc(out->v, (out->n + 1) * sizeof(char *));
				if (!nv || !(nv[out->n] = strdup(key))) {
					if (nv)
						out->v = nv;
					rc = -1;
					break;
				}
				out->v = nv;
				out->n++;
			}
	json_decref(seen);
	return rc;
}

static int nvd_one(struct vulndb_import *im, const json_t *cvej, const char *name, const char *ptr,
		   feeds_skip_fn skip, void *arg, int64_t *max_mod, struct vg_error *err)
{
	struct vg_error e = {0};
	struct nvd_cve *c = NULL;
	struct advisory a;
	struct keys keys = {0};
	struct vulndb_extra x;
	char *cj = NULL;
	int rc = VG_OK, r;

	if (nvd_cve_from_json(cvej, name, ptr, &c, &e) != VG_OK) {
		skipf(im, skip, arg, "%s", vg_error_msg(&e));
		return VG_OK;
	}
	advisory_init(&a);
	r = nvd_to_advisory(c, name, &a);
	if (r == -1) {
		skipf(im, skip, arg, "%s: %s: %s/lastModified: expected a date-time", name, c->id,
		      ptr);
		goto out;
	}
	if (r || cve_keys(c, &keys) || !(cj = vg_json_canonical(cvej))) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	x.config_json = cj;
	x.cpe_keys = (const char *const *)keys.v;
	x.n_cpe_keys = keys.n;
	rc = vulndb_import_add_ext(im, &a, &x, err);
	if (!rc && max_mod && a.modified > *max_mod)
		*max_mod = a.modified;
out:
	free(cj);
	keys_free(&keys);
	advisory_release(&a);
	nvd_cve_free(c);
	return rc;
}

int feeds_import_nvd_buffer(struct vulndb_import *im, const char *data, size_t n, const char *name,
			    feeds_skip_fn skip, void *arg, int64_t *max_mod, struct vg_error *err)
{
	struct vg_error e = {0};
	json_t *doc, *list, *item;
	size_t i;
	int rc = VG_OK;

	if (n > NVD_MAX_BYTES) {
		skipf(im, skip, arg, "%s: larger than %u bytes", name, NVD_MAX_BYTES);
		return VG_OK;
	}
	doc = vg_json_parse(data, n, name, &e);
	if (!doc) {
		skipf(im, skip, arg, "%s", vg_error_msg(&e));
		return VG_OK;
	}
	list = json_object_get(doc, "vulnerabilities");
	if (json_is_array(list)) {
		json_array_foreach(list, i, item)
		{
			char ptr[64];
			json_t *cve = json_object_get(item, "cve");
			snprintf(ptr, sizeof(ptr), "/vulnerabilities/%zu/cve", i);
			if (!json_is_object(cve)) {
				skipf(im, skip, arg,
				      "%s: /vulnerabilities/%zu: expected {\"cve\": {...}}", name,
				      i);
				continue;
			}
			if ((rc = nvd_one(im, cve, name, ptr, skip, arg, max_mod, err)))
				break;
		}
	} else if (json_is_object(json_object_get(doc, "cve"))) {
		rc =
		    nvd_one(im, json_object_get(doc, "cve"), name, "/cve", skip, arg, max_mod, err);
	} else if (json_is_string(json_object_get(doc, "id")) &&
		   json_object_get(doc, "lastModified")) {
		rc = nvd_one(im, doc, name, "", skip, arg, max_mod, err);
	} else {
		skipf(im, skip, arg,
		      "%s: /: expected an NVD CVE API 2.0 page (vulnerabilities), item (cve) or "
		      "cve record",
		      name);
	}
	json_decref(doc);
	return rc;
}

/* ---- CSAF ---- */

struct csaf_pkg {
	char eco[48], name[512];
	const char **versions;
	size_t n, cap;
};

struct csaf_ctx {
	struct advisory *a;
	json_t *excluded; /* purls listed fixed / not affected */
	json_t *seen;     /* "eco\037name" -> index of pkgs; "eco\037name\037version" */
	struct csaf_pkg *pkgs;
	size_t n_pkgs;
	long unmatchable;
	int oom;
};

static int csaf_excl(void *ctx, enum csaf_status st, const char *id, const struct csaf_product *p)
{
	struct csaf_ctx *c = ctx;
	const char *purl = p ? csaf_product_purl(p) : NULL;
	(void)st;
	(void)id;
	if (purl)
		json_object_set_new(c->excluded, purl, json_true());
	return 0;
}

static int csaf_aff(void *ctx, enum csaf_status st, const char *id, const struct csaf_product *p)
{
	struct csaf_ctx *c = ctx;
	const char *purl = p ? csaf_product_purl(p) : NULL;
	struct match_key k;
	struct csaf_pkg *pk = NULL;
	(void)st;
	(void)id;
	if (!purl || json_object_get(c->excluded, purl) ||
	    match_key_from_purl(purl, &k, NULL) != VG_OK || !k.version[0]) {
		if (!purl || !json_object_get(c->excluded, purl))
			c->unmatchable++;
		return 0;
	}
	{
		char key[1100];
		snprintf(key, sizeof(key), "%s\037%s", k.eco, k.name);
		if (json_object_get(c->seen, key))
			pk = &c->pkgs[json_integer_value(json_object_get(c->seen, key))];
		else
			json_object_set_new(c->seen, key, json_integer((json_int_t)c->n_pkgs));
		snprintf(key, sizeof(key), "%s\037%s\037%s", k.eco, k.name, k.version);
		if (json_object_get(c->seen, key))
			return 0;
		json_object_set_new(c->seen, key, json_true());
	}
	if (!pk) {
		struct csaf_pkg *nv = realloc(c->pkgs, (c->n_pkgs + 1) * sizeof(*nv));
		if (!nv) {
			c->oom = 1;
			return 1;
		}
		c->pkgs = nv;
		pk = &c->pkgs[c->n_pkgs++];
		memset(pk, 0, sizeof(*pk));
		snprintf(pk->eco, sizeof(pk->eco), "%s", k.eco);
		snprintf(pk->name, sizeof(pk->name), "%s", k.name);
	}
	if (pk->n == pk->cap) {
		size_t nc = pk->cap ? pk->cap * 2 : 8;
		const char **nv = realloc(pk->versions, nc * sizeof(char *));
		if (!nv) {
			c->oom = 1;
			return 1;
		}
		pk->versions = nv;
		pk->cap = nc;
	}
	if (!(pk->versions[pk->n] = vg_arena_strdup(&c->a->arena, k.version))) {
		c->oom = 1;
		return 1;
	}
	pk->n++;
	return 0;
}

static int osv_style_id(const char *s)
{
	static const char *const pre[] = {"CVE-", "GHSA-", "PYSEC-", "GO-", "RUSTSEC-", "OSV-"};
	for (size_t i = 0; s && i < sizeof(pre) / sizeof(pre[0]); i++)
		if (strncmp(s, pre[i], strlen(pre[i])) == 0)
			return 1;
	return 0;
}

static int csaf_vuln_one(struct vulndb_import *im, const struct csaf_doc *d, size_t vi,
			 const char *name, int64_t modified, int64_t published, long *unmatchable,
			 struct vg_error *err)
{
	const struct csaf_vuln *v = &d->vulns[vi];
	struct csaf_ctx c;
	struct advisory a;
	char idbuf[600];
	size_t ns = 0;
	int rc = VG_OK;

	advisory_init(&a);
	memset(&c, 0, sizeof(c));
	c.a = &a;
	c.excluded = json_object();
	c.seen = json_object();
	if (v->cve)
		snprintf(idbuf, sizeof(idbuf), "%s/%s", d->id, v->cve);
	else
		snprintf(idbuf, sizeof(idbuf), "%s/vulnerability-%zu", d->id, vi);
	a.id = idbuf;
	a.source = "csaf";
	a.file = name;
	a.summary = v->title ? v->title : d->title;
	a.details = d->title;
	a.modified = modified;
	a.published = published;
	a.aliases = vg_arena_array(&a.arena, v->n_ids + 1, sizeof(char *));
	a.severity = vg_arena_array(&a.arena, 2 * v->n_scores + 1, sizeof(*a.severity));
	a.refs = vg_arena_array(&a.arena, d->n_refs + v->n_refs + 1, sizeof(*a.refs));
	if (!c.excluded || !c.seen || !a.aliases || !a.severity || !a.refs) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	if (v->cve)
		a.aliases[a.n_aliases++] = v->cve;
	for (size_t i = 0; i < v->n_ids; i++)
		if (osv_style_id(v->ids[i].text) && (!v->cve || strcmp(v->ids[i].text, v->cve)))
			a.aliases[a.n_aliases++] = v->ids[i].text;
	for (size_t i = 0; i < v->n_scores; i++) {
		const struct csaf_score *sc = &v->scores[i];
		if (sc->cvss_v3.present && sc->cvss_v3.vector) {
			a.severity[ns].type = "CVSS_V3";
			a.severity[ns++].score = sc->cvss_v3.vector;
		} else if (sc->cvss_v3.present && sc->cvss_v3.base_severity) {
			a.severity[ns].type = "csaf";
			a.severity[ns++].score = sc->cvss_v3.base_severity;
		}
		if (sc->cvss_v2.present && sc->cvss_v2.vector) {
			a.severity[ns].type = "CVSS_V2";
			a.severity[ns++].score = sc->cvss_v2.vector;
		}
	}
	a.n_severity = ns;
	for (size_t i = 0; i < v->n_refs; i++)
		if (v->refs[i].url) {
			a.refs[a.n_refs].type = "ADVISORY";
			a.refs[a.n_refs++].url = v->refs[i].url;
		}
	for (size_t i = 0; i < d->n_refs; i++)
		if (d->refs[i].url) {
			a.refs[a.n_refs].type = "ADVISORY";
			a.refs[a.n_refs++].url = d->refs[i].url;
		}
	csaf_vuln_foreach(d, v, CSAF_MASK_FIXED | CSAF_MASK_NOT_AFFECTED, csaf_excl, &c);
	csaf_vuln_foreach(d, v, CSAF_MASK_AFFECTED, csaf_aff, &c);
	if (c.oom) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	a.affected = vg_arena_array(&a.arena, c.n_pkgs + 1, sizeof(*a.affected));
	if (!a.affected) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c.n_pkgs; i++) {
		struct adv_affected *af = &a.affected[a.n_affected++];
		const char **vs = vg_arena_array(&a.arena, c.pkgs[i].n, sizeof(char *));
		if (!vs) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
		memcpy(vs, c.pkgs[i].versions, c.pkgs[i].n * sizeof(char *));
		af->ecosystem = c.pkgs[i].eco;
		af->name = c.pkgs[i].name;
		af->versions = vs;
		af->n_versions = c.pkgs[i].n;
	}
	*unmatchable += c.unmatchable;
	rc = vulndb_import_add(im, &a, err);
out:
	for (size_t i = 0; i < c.n_pkgs; i++)
		free(c.pkgs[i].versions);
	free(c.pkgs);
	json_decref(c.excluded);
	json_decref(c.seen);
	advisory_release(&a);
	return rc;
}

int feeds_import_csaf_buffer(struct vulndb_import *im, const char *data, size_t n, const char *name,
			     feeds_skip_fn skip, void *arg, struct vg_error *err)
{
	struct vg_error e = {0};
	struct csaf_doc *d = NULL;
	int64_t mod = 0, pub = 0;
	long unmatchable = 0;
	int rc = VG_OK;

	if (csaf_parse(data, n, name, &d, &e) != VG_OK) {
		skipf(im, skip, arg, "%s", vg_error_msg(&e));
		return VG_OK;
	}
	if (!d->current_release_date ||
	    vg_time_parse(d->current_release_date, &mod, NULL) != VG_OK) {
		skipf(im, skip, arg,
		      "%s: %s: /document/tracking/current_release_date: expected a date-time", name,
		      d->id ? d->id : "?");
		csaf_doc_free(d);
		return VG_OK;
	}
	/* an unreadable initial release date is only a missing one */
	if (d->initial_release_date && vg_time_parse(d->initial_release_date, &pub, NULL))
		pub = 0;
	for (size_t i = 0; !rc && i < d->n_vulns; i++)
		rc = csaf_vuln_one(im, d, i, name, mod, pub, &unmatchable, err);
	if (!rc && unmatchable && skip) {
		char msg[600];
		snprintf(msg, sizeof(msg),
			 "%s: %s: %ld affected product(s) without a purl with a version: not "
			 "matched (no CPE or name guessing)",
			 name, d->id, unmatchable);
		skip(arg, msg);
	}
	csaf_doc_free(d);
	return rc;
}

/* ---- files and folders ---- */

typedef int (*file_fn)(struct vulndb_import *im, const char *data, size_t n, const char *name,
		       feeds_skip_fn skip, void *arg, struct vg_error *err);

struct walk {
	struct vulndb_import *im;
	file_fn fn;
	size_t max;
	feeds_skip_fn skip;
	void *arg;
};

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int walk_file(struct walk *w, const char *path, struct vg_error *err)
{
	struct vg_buf b;
	struct vg_error e = {0};
	int rc;
	vg_buf_init(&b, w->max);
	if (vg_buf_read_file(&b, path, w->max, &e) != VG_OK) {
		skipf(w->im, w->skip, w->arg, "%s", vg_error_msg(&e));
		vg_buf_release(&b);
		return VG_OK;
	}
	rc = w->fn(w->im, b.data ? b.data : "", b.len, path, w->skip, w->arg, err);
	vg_buf_release(&b);
	return rc;
}

static int walk_dir(struct walk *w, const char *path, int depth, struct vg_error *err)
{
	struct dirent **ents = NULL;
	int n, rc = VG_OK;
	if (depth > MAX_DEPTH)
		return VG_OK;
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return vg_error_set(err, VG_EIO, "%s: cannot read the folder", path);
	for (int i = 0; i < n; i++) {
		char sub[4096];
		struct stat sb;
		if (!rc && ents[i]->d_name[0] != '.' &&
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", path, ents[i]->d_name) <
			sizeof(sub) &&
		    stat(sub, &sb) == 0) {
			if (S_ISDIR(sb.st_mode))
				rc = walk_dir(w, sub, depth + 1, err);
			else if (S_ISREG(sb.st_mode) && ends_with(sub, ".json"))
				rc = walk_file(w, sub, err);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static int import_path(struct store *s, const char *source, const char *path, file_fn fn,
		       size_t max, feeds_skip_fn skip, void *arg, struct vulndb_stats *st,
		       struct vg_error *err)
{
	struct walk w = {NULL, fn, max, skip, arg};
	struct stat sb;
	int rc;
	if (stat(path, &sb) != 0)
		return vg_error_set(err, VG_EIO, "%s: no such file or folder", path);
	rc = vulndb_import_begin(s, source, path, &w.im, err);
	if (rc)
		return rc;
	rc = S_ISDIR(sb.st_mode) ? walk_dir(&w, path, 0, err) : walk_file(&w, path, err);
	if (rc) {
		vulndb_import_abort(w.im);
		return rc;
	}
	return vulndb_import_end(w.im, st, err);
}

static int nvd_file(struct vulndb_import *im, const char *data, size_t n, const char *name,
		    feeds_skip_fn skip, void *arg, struct vg_error *err)
{
	return feeds_import_nvd_buffer(im, data, n, name, skip, arg, NULL, err);
}

int feeds_import_nvd(struct store *s, const char *path, feeds_skip_fn skip, void *arg,
		     struct vulndb_stats *st, struct vg_error *err)
{
	return import_path(s, "nvd", path, nvd_file, NVD_MAX_BYTES, skip, arg, st, err);
}

int feeds_import_csaf(struct store *s, const char *path, feeds_skip_fn skip, void *arg,
		      struct vulndb_stats *st, struct vg_error *err)
{
	return import_path(s, "csaf", path, feeds_import_csaf_buffer, CSAF_MAX_BYTES, skip, arg, st,
			   err);
}
