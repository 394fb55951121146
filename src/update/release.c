/*
 * release.c - releases and their artifacts: create, list, show, yank, and
 * the streamed upload of an artifact with its CI signature and provenance.
 */
#define _GNU_SOURCE
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"
#include "sbom/product.h"
#include "store/reader.h"
#include "store/store.h"
#include "update/release.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/banned.h"

void release_list_release(struct release_list *l)
{
	if (!l)
		return;
	vg_arena_release(&l->mem);
	memset(l, 0, sizeof(*l));
}

void release_detail_release(struct release_detail *d)
{
	if (!d)
		return;
	vg_arena_release(&d->mem);
	memset(d, 0, sizeof(*d));
}

/* ---- create ---- */

/* A vulnerability id: CVE-2026-1234, GHSA-..., OSV ids: letters, digits, - _ . : */
static int vuln_id_check(const char *id, struct vg_error *err)
{
	size_t n = strlen(id);
	if (!n || n > 64)
		return vg_error_set(
		    err, VG_EINVAL,
		    "--fixes '%s': expected vulnerability ids such as CVE-2026-1234 "
		    "(at most 64 characters each)",
		    id);
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == ':'))
			return vg_error_set(err, VG_EINVAL,
					    "--fixes '%s': expected a vulnerability id such as "
					    "CVE-2026-1234 (letters, digits, - _ . :)",
					    id);
	}
	if (strncasecmp(id, "CVE-", 4) == 0) {
		/* CVE-YYYY-NNNN+ */
		const char *p = id + 4;
		size_t d = 0;
		while (p[d] >= '0' && p[d] <= '9')
			d++;
		if (d != 4 || p[4] != '-' || strlen(p + 5) < 4 ||
		    strspn(p + 5, "0123456789") != strlen(p + 5))
			return vg_error_set(err, VG_EINVAL,
					    "--fixes '%s': a CVE id is CVE-YYYY-NNNN (four or more "
					    "digits)",
					    id);
	}
	return VG_OK;
}

int release_create(struct store *s, const struct release_create_req *r, int64_t *id,
		   struct vg_error *err)
{
	struct product_version v = {0};
	json_t *fixes = json_array();
	char *list = NULL;
	int rc;

	*id = 0;
	rc = product_version_get(s, r->product ? r->product : "", r->version ? r->version : "", &v,
				 err);
	if (!rc && r->notes)
		rc = vg_text_check("release notes", r->notes, 64 * 1024, 1, 0, err);
	if (!rc && r->fixes && *r->fixes) {
		list = strdup(r->fixes);
		if (!list)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		for (char *save = NULL, *t = list ? strtok_r(list, ",", &save) : NULL; !rc && t;
		     t = strtok_r(NULL, ",", &save)) {
			while (*t == ' ')
				t++;
			for (size_t e = strlen(t); e && t[e - 1] == ' '; e--)
				t[e - 1] = '\0';
			rc = vuln_id_check(t, err);
			if (!rc) {
				/* CVE ids upper-case, as feeds write them */
				if (strncasecmp(t, "CVE-", 4) == 0)
					memcpy(t, "CVE-", 4);
				int dup = 0;
				for (size_t i = 0; i < json_array_size(fixes); i++)
					dup |= strcmp(json_string_value(json_array_get(fixes, i)),
						      t) == 0;
				if (!dup)
					json_array_append_new(fixes, json_string(t));
			}
		}
	}
	if (!rc && json_array_size(fixes) && !r->security)
		rc = vg_error_set(err, VG_EINVAL,
				  "--fixes names what a security release fixes: add --security");
	if (rc)
		goto out;
	rc = store_tx_begin(s, err);
	if (rc)
		goto out;
	rc = store_exec(s, err,
			"INSERT INTO releases (version_id, product, version, notes, security, "
			"created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
			"itttiit", v.id, v.product, v.version, r->notes,
			(int64_t)(r->security != 0), vg_now(), store_actor(s));
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "%s %s has a release already", v.product, v.version);
	if (!rc)
		rc = store_query_int64(s, id, err, "SELECT id FROM releases WHERE version_id = ?",
				       "i", v.id);
	for (size_t i = 0; !rc && i < json_array_size(fixes); i++)
		rc = store_exec(s, err,
				"INSERT INTO release_fixes (release_id, vuln_id) VALUES (?, ?)",
				"it", *id, json_string_value(json_array_get(fixes, i)));
	if (!rc) {
		char ids[32];
		json_t *after = json_pack("{s:I, s:s, s:s, s:b, s:O}", "id", (json_int_t)*id,
					  "product", v.product, "version", v.version, "security",
					  r->security != 0, "fixes", fixes);
		snprintf(ids, sizeof(ids), "%lld", (long long)*id);
		rc = store_audit(s, "release.create", "release", ids, NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
out:
	if (rc)
		*id = 0;
	free(list);
	json_decref(fixes);
	product_version_release(&v);
	return rc;
}

int release_resolve(struct store *s, const char *ref, int64_t *id, struct vg_error *err)
{
	const char *at;
	int rc;

	*id = 0;
	if (!ref || !*ref)
		return vg_error_set(err, VG_EINVAL, "release: expected an id or PRODUCT@VERSION");
	if (strspn(ref, "0123456789") == strlen(ref)) {
		int64_t n = 0;
		rc = vg_id_parse(ref, "release id", id, err);
		if (rc)
			return rc;
		rc = store_query_int64(s, &n, err, "SELECT COUNT(*) FROM releases WHERE id = ?",
				       "i", *id);
		if (!rc && !n)
			rc = vg_error_set(err, VG_ENOTFOUND, "release %s: no such release", ref);
		return rc;
	}
	at = strrchr(ref, '@');
	if (!at || at == ref || !at[1])
		return vg_error_set(err, VG_EINVAL,
				    "release '%s': expected an id or PRODUCT@VERSION", ref);
	{
		char *p = strndup(ref, (size_t)(at - ref));
		if (!p)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		rc = store_query_int64(s, id, err,
				       "SELECT id FROM releases WHERE product = ? AND version = ?",
				       "tt", p, at + 1);
		free(p);
	}
	if (rc == VG_ENOTFOUND)
		rc = vg_error_set(err, VG_ENOTFOUND, "release %s: no such release", ref);
	return rc;
}

/* ---- reading ---- */

#define REL_COLS                                                                        \
	"r.id, r.version_id, r.product, r.version, r.notes, r.security, r.created_at, " \
	"r.created_by, r.yanked_at, r.yanked_by, r.yank_reason, r.published_at, "       \
	"(SELECT COUNT(*) FROM release_artifacts a WHERE a.release_id = r.id), "        \
	"c.checked_at, c.passed, c.version_ok, c.hashes_ok, c.signed_ok, c.keys_ok, "   \
	"c.signatures_ok, r.tuf_version, r.publish_refused_at, r.publish_refusal"
#define REL_FROM                                                                         \
	" FROM releases r LEFT JOIN release_checks c ON c.id = (SELECT MAX(c2.id) FROM " \
	"release_checks c2 WHERE c2.release_id = r.id)"

static void read_release(struct store_reader *r, struct release *v)
{
	memset(v, 0, sizeof(*v));
	v->id = store_reader_int(r, 0, 0);
	v->version_id = store_reader_int(r, 1, 0);
	v->product = store_reader_str(r, 2);
	v->version = store_reader_str(r, 3);
	v->notes = store_reader_str(r, 4);
	v->security = (int)store_reader_int(r, 5, 0);
	v->created_at = store_reader_int(r, 6, 0);
	v->created_by = store_reader_str(r, 7);
	v->yanked_at = store_reader_int(r, 8, 0);
	v->yanked_by = store_reader_str(r, 9);
	v->yank_reason = store_reader_str(r, 10);
	v->published_at = store_reader_int(r, 11, 0);
	v->artifact_count = store_reader_int(r, 12, 0);
	v->checked_at = store_reader_int(r, 13, 0);
	v->passed = (int)store_reader_int(r, 14, 0);
	v->version_ok = (int)store_reader_int(r, 15, 0);
	v->hashes_ok = (int)store_reader_int(r, 16, 0);
	v->signed_ok = (int)store_reader_int(r, 17, 0);
	v->keys_ok = (int)store_reader_int(r, 18, 0);
	v->signatures_ok = (int)store_reader_int(r, 19, 0);
	v->tuf_version = store_reader_int(r, 20, 0);
	v->publish_refused_at = store_reader_int(r, 21, 0);
	v->publish_refusal = store_reader_str(r, 22);
}

/* The fixes of v (into mem). */
static int read_fixes(struct store *s, struct vg_arena *mem, struct release *v,
		      struct vg_error *err)
{
	struct store_reader r = {NULL, mem, 0};
	const char **ids = NULL;
	size_t n = 0, cap = 0;
	int rc = store_prepare_cached(
	    s, "SELECT vuln_id FROM release_fixes WHERE release_id = ? ORDER BY vuln_id", &r.st,
	    err);
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, v->id);
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(ids = store_reader_grow(&r, ids, n, &cap, sizeof(*ids))))
			break;
		ids[n++] = store_reader_str(&r, 0);
	}
	rc = store_reader_done(&r, rc, err);
	v->fixes = ids;
	v->nfixes = n;
	return rc;
}

int release_list(struct store *s, const struct release_filter *f, struct release_list *out,
		 struct vg_error *err)
{
	struct store_reader r = {NULL, NULL, 0};
	struct release *v = NULL;
	size_t n = 0, cap = 0;
	char sql[1400];
	int rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	r.mem = &out->mem;
	rc = store_query_int64(s, &out->total, err,
			       f->product ? "SELECT COUNT(*) FROM releases WHERE product = ?"
					  : "SELECT COUNT(*) FROM releases",
			       f->product ? "t" : "", f->product);
	if (rc)
		goto fail;
	snprintf(sql, sizeof(sql), "SELECT " REL_COLS REL_FROM "%s ORDER BY %s LIMIT ? OFFSET ?",
		 f->product ? " WHERE r.product = ?" : "",
		 f->sort == RELEASE_SORT_PRODUCT ? "r.product, r.created_at DESC, r.id DESC"
						 : "r.created_at DESC, r.id DESC");
	rc = store_prepare(s, sql, &r.st, err);
	if (rc)
		goto fail;
	{
		int b = 1;
		if (f->product)
			store_bind_text(r.st, b++, f->product);
		store_bind_int64(r.st, b++, f->limit > 0 ? f->limit : INT64_MAX);
		store_bind_int64(r.st, b, f->offset > 0 ? f->offset : 0);
	}
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(v = store_reader_grow(&r, v, n, &cap, sizeof(*v))))
			break;
		read_release(&r, &v[n]);
		n++;
	}
	rc = store_reader_done(&r, rc, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = read_fixes(s, &out->mem, &v[i], err);
	if (rc)
		goto fail;
	out->items = v;
	out->n = n;
	return VG_OK;
fail:
	release_list_release(out);
	return rc;
}

#define ART_COLS                                                                               \
	"a.id, a.release_id, a.name, a.sha256, a.size, a.signature IS NOT NULL, a.ci_key_id, " \
	"k.name, a.provenance, a.provenance_type, a.uploaded_at, a.uploaded_by"

static int read_artifacts(struct store *s, const char *where, int64_t id, struct release_detail *d,
			  struct vg_error *err)
{
	struct store_reader r = {NULL, &d->mem, 0};
	struct release_artifact *v = NULL;
	size_t n = 0, cap = 0;
	char sql[600];
	int rc;

	snprintf(sql, sizeof(sql),
		 "SELECT " ART_COLS " FROM release_artifacts a LEFT JOIN ci_keys k ON k.id = "
		 "a.ci_key_id WHERE %s ORDER BY a.name",
		 where);
	rc = store_prepare(s, sql, &r.st, err);
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, id);
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(v = store_reader_grow(&r, v, n, &cap, sizeof(*v))))
			break;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].id = store_reader_int(&r, 0, 0);
		v[n].release_id = store_reader_int(&r, 1, 0);
		v[n].name = store_reader_str(&r, 2);
		v[n].sha256 = store_reader_str(&r, 3);
		v[n].size = store_reader_int(&r, 4, 0);
		v[n].is_signed = (int)store_reader_int(&r, 5, 0);
		v[n].ci_key_id = store_reader_int(&r, 6, 0);
		v[n].key_name = store_reader_str(&r, 7);
		v[n].provenance = store_reader_str(&r, 8);
		v[n].provenance_type = store_reader_str(&r, 9);
		v[n].uploaded_at = store_reader_int(&r, 10, 0);
		v[n].uploaded_by = store_reader_str(&r, 11);
		n++;
	}
	rc = store_reader_done(&r, rc, err);
	d->artifacts = v;
	d->n = n;
	return rc;
}

static int read_one(struct store *s, int64_t id, struct release_detail *d, struct vg_error *err)
{
	struct store_reader r = {NULL, &d->mem, 0};
	int rc = store_prepare(s, "SELECT " REL_COLS REL_FROM " WHERE r.id = ?", &r.st, err);
	int found = 0;
	if (rc)
		return rc;
	store_bind_int64(r.st, 1, id);
	if ((rc = store_step(r.st, err)) == STORE_ROW) {
		read_release(&r, &d->r);
		found = 1;
		rc = STORE_DONE;
	}
	rc = store_reader_done(&r, rc, err);
	if (!rc && !found)
		rc =
		    vg_error_set(err, VG_ENOTFOUND, "release %lld: no such release", (long long)id);
	if (!rc)
		rc = read_fixes(s, &d->mem, &d->r, err);
	return rc;
}

int release_get(struct store *s, int64_t id, struct release_detail *out, struct vg_error *err)
{
	int rc;
	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	rc = read_one(s, id, out, err);
	if (!rc)
		rc = read_artifacts(s, "a.release_id = ?", id, out, err);
	if (rc)
		release_detail_release(out);
	return rc;
}

int release_artifact_get(struct store *s, int64_t artifact_id, struct release_detail *out,
			 struct vg_error *err)
{
	int rc;
	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	rc = read_artifacts(s, "a.id = ?", artifact_id, out, err);
	if (!rc && !out->n)
		rc = vg_error_set(err, VG_ENOTFOUND, "artifact %lld: no such artifact",
				  (long long)artifact_id);
	if (!rc)
		rc = read_one(s, out->artifacts[0].release_id, out, err);
	if (rc)
		release_detail_release(out);
	return rc;
}

/* ---- yank ---- */

int release_yank(struct store *s, int64_t id, const char *reason, struct vg_error *err)
{
	int64_t yanked = 0;
	char ids[32];
	int rc = vg_text_check("--reason", reason, 2000, 0, 1, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_query_int64(s, &yanked, err, "SELECT yanked_at FROM releases WHERE id = ?", "i",
			       id);
	if (rc == VG_ENOTFOUND)
		rc =
		    vg_error_set(err, VG_ENOTFOUND, "release %lld: no such release", (long long)id);
	if (!rc && yanked)
		rc = vg_error_set(err, VG_ESTATE, "release %lld is yanked already", (long long)id);
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE releases SET yanked_at = ?, yanked_by = ?, yank_reason = ? "
				"WHERE id = ?",
				"itti", vg_now(), store_actor(s), reason, id);
	if (!rc) {
		json_t *after = json_pack("{s:I, s:s}", "id", (json_int_t)id, "reason", reason);
		snprintf(ids, sizeof(ids), "%lld", (long long)id);
		rc = store_audit(s, "release.yank", "release", ids, NULL, after, err);
		json_decref(after);
	}
	return store_tx_end(s, rc, err);
}

/* ---- provenance ---- */

/* 1 when statement st is an in-toto statement; *type its predicateType. */
static int statement_ok(const json_t *st, const char *sha256, char **type, struct vg_error *err)
{
	const char *t = vg_json_str(st, "_type"), *pt = vg_json_str(st, "predicateType");
	const json_t *subj = json_object_get(st, "subject");
	if (!json_is_object(st) || !t || !pt)
		return vg_error_set(err, VG_EINVAL,
				    "provenance: expected an in-toto statement (a JSON object "
				    "with _type and predicateType) or a DSSE envelope of one");
	if (subj && !json_is_array(subj))
		return vg_error_set(err, VG_EINVAL, "provenance: /subject: expected an array");
	if (json_array_size(subj) && sha256) {
		int named = 0, any = 0;
		for (size_t i = 0; i < json_array_size(subj); i++) {
			const char *d = vg_json_str(
			    json_object_get(json_array_get(subj, i), "digest"), "sha256");
			if (d) {
				any = 1;
				named |= strcasecmp(d, sha256) == 0;
			}
		}
		if (any && !named)
			return vg_error_set(err, VG_EINVAL,
					    "provenance: no subject has this artifact's sha256 %s "
					    "(the provenance of another artifact?)",
					    sha256);
	}
	*type = strdup(pt);
	return *type ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

int release_provenance_check(const char *doc, size_t n, const char *sha256, char **type,
			     struct vg_error *err)
{
	json_t *v, *inner = NULL;
	int rc;

	*type = NULL;
	if (n > ARTIFACT_PROVENANCE_MAX)
		return vg_error_set(err, VG_ETOOBIG, "provenance: larger than %d bytes",
				    ARTIFACT_PROVENANCE_MAX);
	v = vg_json_parse(doc, n, "provenance", err);
	if (!v)
		return err && err->code ? err->code : VG_EPARSE;
	if (json_is_object(v) && vg_json_str(v, "payloadType") && vg_json_str(v, "payload")) {
		/* a DSSE envelope: the statement is its base64 payload */
		const char *p = vg_json_str(v, "payload");
		size_t len = 0;
		unsigned char *raw = vg_base64_decode(p, strlen(p), &len);
		if (!raw) {
			json_decref(v);
			return vg_error_set(err, VG_EINVAL,
					    "provenance: /payload: expected base64");
		}
		inner = vg_json_parse((const char *)raw, len, "provenance: /payload", err);
		free(raw);
		if (!inner) {
			json_decref(v);
			return err && err->code ? err->code : VG_EPARSE;
		}
	}
	rc = statement_ok(inner ? inner : v, sha256, type, err);
	json_decref(inner);
	json_decref(v);
	return rc;
}

/* ---- upload ---- */

#define INSERT_ARTIFACT                                                                           \
	"INSERT INTO release_artifacts (release_id, name, sha256, size, signature, ci_key_id, "   \
	"provenance, provenance_type, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, " \
	"?, ?)"

struct src_map {
	const struct artifact_src *src;
	void *map;
};

static int map_src(void *arg, const void **p, uint64_t *n, struct vg_error *err)
{
	struct src_map *m = arg;
	static const char empty[1];
	*n = m->src->len;
	if (m->src->fd < 0 || !m->src->len) {
		*p = m->src->len ? m->src->mem : empty;
		return VG_OK;
	}
	m->map = mmap(NULL, (size_t)m->src->len, PROT_READ, MAP_PRIVATE, m->src->fd, 0);
	if (m->map == MAP_FAILED) {
		m->map = NULL;
		return vg_error_set(err, VG_EIO, "%s: cannot map it", m->src->what);
	}
	*p = m->map;
	return VG_OK;
}

int release_upload(struct store *s, const struct release_upload_req *r, struct release_detail *out,
		   struct vg_error *err)
{
	struct release_detail rel;
	char sha[65], key[160] = "", ids[32];
	char *ptype = NULL, *doc = NULL;
	int64_t key_id = 0, revoked = 0, aid = 0;
	int created = 0, rc;

	memset(out, 0, sizeof(*out));
	rc = artifact_name_check(r->name, err);
	if (rc)
		return rc;
	rc = release_get(s, r->release_id, &rel, err);
	if (rc)
		return rc;
	if (rel.r.yanked_at)
		rc = vg_error_set(err, VG_ESTATE,
				  "release %lld (%s %s) is yanked: it takes no artifacts",
				  (long long)rel.r.id, rel.r.product, rel.r.version);
	else if (rel.r.published_at)
		rc = vg_error_set(err, VG_ESTATE,
				  "release %lld (%s %s) is published: its artifacts are final",
				  (long long)rel.r.id, rel.r.product, rel.r.version);
	for (size_t i = 0; !rc && i < rel.n; i++)
		if (strcmp(rel.artifacts[i].name, r->name) == 0)
			rc = vg_error_set(err, VG_EEXIST,
					  "release %lld has an artifact named '%s' already",
					  (long long)rel.r.id, r->name);
	release_detail_release(&rel);
	if (rc)
		return rc;
	/* the bytes: hashed first, so that every check below is on what is kept */
	rc = artifact_hash_src(&r->src, sha, err);
	if (rc)
		return rc;
	if (r->expect_sha256 && strcasecmp(r->expect_sha256, sha) != 0)
		return vg_error_set(err, VG_EINVAL,
				    "artifact '%s': the %llu bytes received have SHA-256 %s, not "
				    "%s as stated: truncated or changed on the way; nothing stored",
				    r->name, (unsigned long long)r->src.len, sha, r->expect_sha256);
	if (r->signature) {
		struct src_map m = {&r->src, NULL};
		struct ci_msg msg = {sha, map_src, &m};
		if (!r->siglen || r->siglen > 4096)
			return vg_error_set(err, VG_EINVAL,
					    "signature of '%s': expected a detached signature file "
					    "(at most 4096 bytes)",
					    r->name);
		rc = ci_sig_find(s, &msg, r->signature, r->siglen, &key_id, key, sizeof(key),
				 &revoked, err);
		if (m.map)
			munmap(m.map, (size_t)r->src.len);
		if (rc)
			return rc;
		if (!key_id)
			return vg_error_set(
			    err, VG_EPERM,
			    "signature of '%s' (sha256 %s) verifies with no trusted "
			    "CI key: signed by an unknown key, or the signature of "
			    "other bytes; nothing stored",
			    r->name, sha);
		if (revoked)
			return vg_error_set(err, VG_EPERM,
					    "signature of '%s' is by CI key %s, which is revoked; "
					    "nothing stored",
					    r->name, key);
	}
	if (r->provenance) {
		rc = release_provenance_check(r->provenance, r->provlen, sha, &ptype, err);
		if (rc)
			return rc;
	}
	if (r->provenance) {
		doc = strndup(r->provenance, r->provlen);
		if (!doc) {
			free(ptype);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
	}
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = artifact_put(s, &r->src, sha, &created, err);
	if (rc == VG_EEXIST) /* the same bytes stored by another upload at this moment */
		vg_error_prefix(err,
				"artifact '%s': the same bytes are being stored by another "
				"upload; try again",
				r->name);
	if (!rc) {
		if (r->signature)
			rc = store_exec(s, err, INSERT_ARTIFACT, "ittibittit", r->release_id,
					r->name, sha, (int64_t)r->src.len,
					(const void *)r->signature, r->siglen, key_id, doc, ptype,
					vg_now(), store_actor(s));
		else
			rc = store_exec(s, err, INSERT_ARTIFACT, "ittinnttit", r->release_id,
					r->name, sha, (int64_t)r->src.len, doc, ptype, vg_now(),
					store_actor(s));
		if (rc == VG_EEXIST)
			vg_error_set(err, VG_EEXIST,
				     "release %lld has an artifact named '%s' already",
				     (long long)r->release_id, r->name);
	}
	if (!rc)
		rc = store_query_int64(s, &aid, err,
				       "SELECT id FROM release_artifacts WHERE release_id = ? AND "
				       "name = ?",
				       "it", r->release_id, r->name);
	if (!rc) {
		json_t *after = json_pack("{s:I, s:s, s:s, s:I, s:s?, s:s?}", "release",
					  (json_int_t)r->release_id, "name", r->name, "sha256", sha,
					  "size", (json_int_t)r->src.len, "ci_key",
					  key[0] ? key : NULL, "provenance", ptype);
		snprintf(ids, sizeof(ids), "%lld", (long long)aid);
		rc = store_audit(s, "release.upload", "artifact", ids, NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	if (rc && created)
		artifact_unlink_new(s, sha); /* nothing stored half */
	free(ptype);
	free(doc);
	if (!rc)
		rc = release_artifact_get(s, aid, out, err);
	return rc;
}

/* ---- JSON at the edges ---- */

static json_t *fixes_json(const struct release *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nfixes; i++)
		json_array_append_new(a, json_string(r->fixes[i]));
	return a;
}

json_t *release_to_json(const struct release *r)
{
	json_t *o = json_pack(
	    "{s:I, s:s, s:s, s:I, s:s?, s:b, s:o, s:o, s:s?, s:b, s:o, s:s?, s:s?, s:o, s:I}", "id",
	    (json_int_t)r->id, "product", r->product, "version", r->version, "version_id",
	    (json_int_t)r->version_id, "notes", r->notes, "security", r->security, "fixes",
	    fixes_json(r), "created_at", vg_json_time(r->created_at), "created_by", r->created_by,
	    "yanked", r->yanked_at != 0, "yanked_at",
	    r->yanked_at ? vg_json_time(r->yanked_at) : json_null(), "yanked_by", r->yanked_by,
	    "yank_reason", r->yank_reason, "published_at",
	    r->published_at ? vg_json_time(r->published_at) : json_null(), "artifacts",
	    (json_int_t)r->artifact_count);
	json_object_set_new(o, "published", json_boolean(r->published_at != 0));
	json_object_set_new(o, "tuf_version",
			    r->tuf_version ? json_integer(r->tuf_version) : json_null());
	json_object_set_new(o, "publish_refused",
			    r->publish_refused_at ? json_pack("{s:o, s:s?}", "at",
							      vg_json_time(r->publish_refused_at),
							      "reason", r->publish_refusal)
						  : json_null());
	if (r->checked_at)
		json_object_set_new(o, "gate",
				    json_pack("{s:o, s:b, s:{s:b, s:b, s:b, s:b, s:b}}",
					      "checked_at", vg_json_time(r->checked_at), "passed",
					      r->passed, "checks", "product_version", r->version_ok,
					      "hashes", r->hashes_ok, "signed", r->signed_ok,
					      "keys", r->keys_ok, "signatures", r->signatures_ok));
	else
		json_object_set_new(o, "gate", json_null());
	return o;
}

json_t *release_artifact_to_json(const struct release_artifact *a)
{
	json_t *o = json_pack(
	    "{s:I, s:I, s:s, s:s, s:I, s:b, s:s?, s:b, s:s?, s:o, s:s?}", "id", (json_int_t)a->id,
	    "release_id", (json_int_t)a->release_id, "name", a->name, "sha256", a->sha256, "size",
	    (json_int_t)a->size, "signed", a->is_signed, "signature_key", a->key_name, "provenance",
	    a->provenance != NULL, "provenance_type", a->provenance_type, "uploaded_at",
	    vg_json_time(a->uploaded_at), "uploaded_by", a->uploaded_by);
	return o;
}

json_t *release_detail_to_json(const struct release_detail *d)
{
	json_t *o = release_to_json(&d->r), *arts = json_array();
	for (size_t i = 0; i < d->n; i++)
		json_array_append_new(arts, release_artifact_to_json(&d->artifacts[i]));
	json_object_set_new(o, "artifact_list", arts);
	return o;
}

json_t *release_published_payload(const struct release *r)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:b, s:o, s:o}", "release_id", (json_int_t)r->id,
			 "product", r->product, "version", r->version, "version_id",
			 (json_int_t)r->version_id, "security", r->security, "fixes", fixes_json(r),
			 "published_at",
			 r->published_at ? vg_json_time(r->published_at) : json_null());
}
