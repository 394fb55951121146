/*
 * export.c - the evidence bundle: its parts, the export and the offline check.
 */
#define _POSIX_C_SOURCE 200809L
#include "evidence/export.h"
#include "audit/audit.h"
#include "audit/checkpoint.h"
#include "audit/merkle.h"
#include "audit/note.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/json.h"
#include "evidence/bundle.h"
#include "psirt/art14.h"
#include "psirt/cases.h"
#include "sbom/product.h"
#include "store/store.h"
#include "triage/findings.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define MAX_PARTS    16
#define RECORDS_FILE "audit/records.jsonl"

int evidence_add_json(struct evidence_export *x, const char *name, json_t *v, struct vg_error *err)
{
	char *t;
	int rc;

	if (!v)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	t = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	json_decref(v);
	if (!t)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	{
		size_t n = strlen(t);
		char *nl = realloc(t, n + 2);
		if (!nl) {
			free(t);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		t = nl;
		t[n] = '\n';
		t[n + 1] = '\0';
	}
	rc = bundle_add(x->w, name, t, strlen(t), err);
	free(t);
	return rc;
}

static int want_seq(struct evidence_export *x, int64_t seq)
{
	if (seq > x->cp.size)
		return VG_OK; /* after the checkpoint: not provable against it */
	if (x->nseqs == x->capseqs) {
		size_t nc = x->capseqs ? x->capseqs * 2 : 256;
		int64_t *g = realloc(x->seqs, nc * sizeof(*g));
		if (!g)
			return VG_ENOMEM;
		x->seqs = g;
		x->capseqs = nc;
	}
	x->seqs[x->nseqs++] = seq;
	return VG_OK;
}

static int want_filter(struct evidence_export *x, struct audit_filter *f, struct vg_error *err)
{
	struct audit_entry_list l;
	size_t i;
	int rc;

	f->limit = 5000;
	for (;;) {
		if ((rc = audit_query(x->s, f, &l, err)))
			return rc;
		for (i = 0; i < l.n; i++)
			if (want_seq(x, l.items[i].seq)) {
				audit_entry_list_release(&l);
				return vg_error_set(err, VG_ENOMEM, "out of memory");
			}
		if (l.n < (size_t)f->limit) {
			audit_entry_list_release(&l);
			return VG_OK;
		}
		f->after_seq = l.items[l.n - 1].seq;
		audit_entry_list_release(&l);
	}
}

int evidence_want_object(struct evidence_export *x, const char *otype, const char *oid,
			 struct vg_error *err)
{
	struct audit_filter f = {0};
	f.otype = otype;
	f.oid = oid;
	return want_filter(x, &f, err);
}

int evidence_want_action(struct evidence_export *x, const char *action, struct vg_error *err)
{
	struct audit_filter f = {0};
	f.action = action;
	return want_filter(x, &f, err);
}

int evidence_want_range(struct evidence_export *x, int64_t since, int64_t until,
			struct vg_error *err)
{
	struct audit_filter f = {0};
	f.since = since;
	f.until = until;
	return want_filter(x, &f, err);
}

/* ---- the parts ---- */

static int part_case(struct evidence_export *x, struct vg_error *err)
{
	struct psirt_case c;
	json_t *tl, *msgs;
	struct audit_filter f = {0};
	char oid[32];
	size_t i;
	int rc;

	if (!x->case_id)
		return VG_OK;
	if ((rc = case_get(x->s, x->case_id, &c, err)))
		return rc;
	snprintf(oid, sizeof(oid), "%lld", (long long)x->case_id);
	/* the timeline: what happened on the case (its audit records) and its messages */
	f.otype = "case";
	f.oid = oid;
	if ((rc = audit_query_json(x->s, &f, &tl, err))) {
		psirt_case_release(&c);
		return rc;
	}
	msgs = json_array();
	for (i = 0; i < c.nmessages; i++) {
		char ts[VG_TIME_BUFSZ];
		json_array_append_new(
		    msgs, json_pack("{s:s, s:s?, s:s?, s:s?}", "at",
				    vg_time_format(c.messages[i].created_at, ts, sizeof(ts)),
				    "kind", c.messages[i].kind, "author", c.messages[i].author,
				    "body", c.messages[i].body));
	}
	rc = evidence_add_json(x, "case/case.json", psirt_case_to_json(&c), err);
	if (!rc)
		rc = evidence_add_json(x, "case/timeline.json",
				       json_pack("{s:o, s:o}", "changes", tl, "messages", msgs),
				       err);
	else {
		json_decref(tl);
		json_decref(msgs);
	}
	if (!rc)
		rc = evidence_want_object(x, "case", oid, err);
	/* the exposures of the case join the scope; the product version too */
	for (i = 0; !rc && i < c.nexposures; i++) {
		size_t k;
		int64_t *g;
		for (k = 0; k < x->nexposures && x->exposures[k] != c.exposures[i].id; k++)
			;
		if (k < x->nexposures)
			continue;
		g = realloc(x->exposures, (x->nexposures + 1) * sizeof(*g));
		if (!g) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		x->exposures = g;
		x->exposures[x->nexposures++] = c.exposures[i].id;
	}
	if (!rc && !x->product && c.product) {
		x->product = strdup(c.product);
		x->version = c.product_version ? strdup(c.product_version) : NULL;
	}
	json_object_set_new(x->summary, "case",
			    json_pack("{s:I, s:I}", "id", (json_int_t)x->case_id, "messages",
				      (json_int_t)c.nmessages));
	psirt_case_release(&c);
	return rc;
}

static int part_art14(struct evidence_export *x, struct vg_error *err)
{
	size_t i, k, drafts = 0;
	int rc = VG_OK;

	for (i = 0; !rc && i < x->nexposures; i++) {
		struct art14_exposure e;
		char name[128], oid[32];
		int64_t id = x->exposures[i];

		if ((rc = art14_get(x->s, id, &e, err)))
			break;
		snprintf(name, sizeof(name), "art14/exposure-%lld.json", (long long)id);
		rc = evidence_add_json(x, name, art14_exposure_to_json(&e), err);
		for (k = 0; !rc && k < e.ndrafts; k++) {
			struct art14_draft d;
			const char *stage = art14_stage_name(e.drafts[k].stage);
			if ((rc = art14_draft_get(x->s, id, stage, e.drafts[k].version, &d, err)))
				break;
			snprintf(name, sizeof(name), "art14/exposure-%lld/%s-v%lld.json",
				 (long long)id, stage, (long long)e.drafts[k].version);
			rc = evidence_add_json(x, name, art14_draft_to_json(&d), err);
			art14_draft_release(&d);
			drafts++;
		}
		if (!rc && !x->case_id && e.case_id)
			x->case_id = e.case_id;
		if (!rc && !x->product && e.product) {
			x->product = strdup(e.product);
			x->version = e.product_version ? strdup(e.product_version) : NULL;
		}
		art14_exposure_release(&e);
		snprintf(oid, sizeof(oid), "%lld", (long long)id);
		if (!rc)
			rc = evidence_want_object(x, "art14_exposure", oid, err);
	}
	if (!rc)
		json_object_set_new(x->summary, "art14",
				    json_pack("{s:I, s:I}", "exposures", (json_int_t)x->nexposures,
					      "drafts", (json_int_t)drafts));
	return rc;
}

/* keep a file name to letters, digits and . _ - */
static void clean(const char *in, char *out, size_t n)
{
	size_t i;
	for (i = 0; in && in[i] && i + 1 < n; i++) {
		char c = in[i];
		out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'
			     ? c
			     : '_';
	}
	out[i] = '\0';
	if (!i || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		snprintf(out, n, "_");
}

static int part_sbom(struct evidence_export *x, struct vg_error *err)
{
	struct sbom_revision_list l;
	json_t *revs;
	char p[96], v[96], name[BUNDLE_NAME_MAX + 1];
	size_t i, originals = 0;
	int rc;

	if (!x->product)
		return VG_OK;
	rc = sbom_revision_list(x->s, x->product, x->version, &l, err);
	if (rc == VG_ENOTFOUND)
		return VG_OK; /* the product is not (or no longer) known */
	if (rc)
		return rc;
	clean(x->product, p, sizeof(p));
	revs = json_array();
	for (i = 0; !rc && i < l.n; i++) {
		const struct sbom_revision *r = &l.items[i];
		char *data = NULL, f[96], oid[32];
		size_t n = 0;

		json_array_append_new(revs, sbom_revision_to_json(r));
		clean(r->version, v, sizeof(v));
		clean(r->filename ? r->filename : "original", f, sizeof(f));
		snprintf(name, sizeof(name), "sbom/%s/%s/r%lld-%s", p, v, (long long)r->revision,
			 f);
		if (!r->sha256 || bundle_has(x->w, name))
			continue;
		rc = store_blob_get(x->s, r->sha256, &data, &n, "SBOM original", err);
		if (rc == VG_ENOTFOUND) { /* past retention: the metadata says so */
			rc = VG_OK;
			continue;
		}
		if (!rc)
			rc = bundle_add(x->w, name, data, n, err);
		free(data);
		originals++;
		snprintf(oid, sizeof(oid), "%lld", (long long)r->id);
		if (!rc)
			rc = evidence_want_object(x, "sbom", oid, err);
	}
	sbom_revision_list_release(&l);
	if (rc) {
		json_decref(revs);
		return rc;
	}
	snprintf(name, sizeof(name), "sbom/%s/revisions.json", p);
	json_object_set_new(x->summary, "sbom",
			    json_pack("{s:I, s:I}", "revisions", (json_int_t)json_array_size(revs),
				      "originals", (json_int_t)originals));
	return evidence_add_json(x, name, revs, err);
}

static int part_findings(struct evidence_export *x, struct vg_error *err)
{
	struct findings_filter f = {0};
	struct finding_list l;
	json_t *all;
	char p[96], v[96], name[256];
	int rc = VG_OK;

	if (!x->product)
		return VG_OK;
	all = json_array();
	f.product = x->product;
	f.version = x->version;
	f.include_retracted = 1;
	f.limit = 1000;
	f.sort = "id";
	for (;;) {
		size_t i;
		rc = findings_list(x->s, &f, &l, err);
		if (rc) {
			finding_list_release(&l);
			break;
		}
		for (i = 0; !rc && i < l.n; i++) {
			char oid[32];
			json_array_append_new(all, finding_to_json(&l.v[i]));
			snprintf(oid, sizeof(oid), "%lld", (long long)l.v[i].id);
			/* the decisions on it are its audit records */
			rc = evidence_want_object(x, "finding", oid, err);
		}
		i = l.n;
		finding_list_release(&l);
		if (rc || i < (size_t)f.limit)
			break;
		f.offset += f.limit;
	}
	if (rc) {
		json_decref(all);
		return rc;
	}
	clean(x->product, p, sizeof(p));
	clean(x->version ? x->version : "all", v, sizeof(v));
	snprintf(name, sizeof(name), "findings/%s/%s.json", p, v);
	json_object_set_new(x->summary, "findings",
			    json_pack("{s:I}", "findings", (json_int_t)json_array_size(all)));
	return evidence_add_json(x, name, all, err);
}

static int part_range(struct evidence_export *x, struct vg_error *err)
{
	/* a time range: every record in it (a case or incident: its own records only) */
	if (x->scope->case_id || x->scope->incident_id)
		return VG_OK;
	return evidence_want_range(x, x->since, x->until, err);
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int part_audit(struct evidence_export *x, struct vg_error *err)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, i, uniq = 0;
	int rc = VG_OK;

	if (x->nseqs > 1)
		qsort(x->seqs, x->nseqs, sizeof(*x->seqs), cmp64);
	for (i = 0; !rc && i < x->nseqs; i++) {
		struct audit_proof p;
		json_t *o;
		char *line;
		size_t ll;

		if (i && x->seqs[i] == x->seqs[i - 1])
			continue;
		if ((rc = audit_prove_inclusion(x->s, x->seqs[i], x->cp.size, &p, err))) {
			audit_proof_release(&p);
			break;
		}
		o = audit_proof_to_json(&p);
		audit_proof_release(&p);
		line = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(o);
		if (!line) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		ll = strlen(line);
		if (len + ll + 2 > cap) {
			size_t nc = (cap + ll + 2) * 2;
			char *g = realloc(buf, nc);
			if (!g) {
				free(line);
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			buf = g;
			cap = nc;
		}
		memcpy(buf + len, line, ll);
		buf[len + ll] = '\n';
		len += ll + 1;
		free(line);
		uniq++;
	}
	if (!rc)
		rc = bundle_add(x->w, RECORDS_FILE, buf ? buf : "", len, err);
	free(buf);
	json_object_set_new(x->summary, "audit", json_pack("{s:I}", "records", (json_int_t)uniq));
	x->nseqs = uniq;
	return rc;
}

static const struct evidence_part builtin[] = {
    {"case", part_case},         {"art14", part_art14}, {"sbom", part_sbom},
    {"findings", part_findings}, {"range", part_range}, {"logs", evidence_part_logs},
};
static struct evidence_part g_extra[MAX_PARTS];
static size_t g_nextra;

int evidence_add_part(const struct evidence_part *p)
{
	if (g_nextra == MAX_PARTS)
		return VG_EINVAL;
	g_extra[g_nextra++] = *p;
	return VG_OK;
}

/* Resolve the scope: the incident's exposure, the time range. */
static int resolve(struct evidence_export *x, struct vg_error *err)
{
	const struct evidence_scope *sc = x->scope;

	x->case_id = sc->case_id;
	if (sc->incident_id) {
		x->exposures = malloc(sizeof(*x->exposures));
		if (!x->exposures)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		x->exposures[0] = sc->incident_id;
		x->nexposures = 1;
		if (!x->case_id) { /* the incident's case, when it has one, comes along */
			struct art14_exposure e;
			int rc = art14_get(x->s, sc->incident_id, &e, err);
			if (rc)
				return rc;
			x->case_id = e.case_id;
			art14_exposure_release(&e);
		}
	}
	if (sc->product && !(x->product = strdup(sc->product)))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (sc->version && !(x->version = strdup(sc->version)))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	x->since = sc->since;
	x->until = sc->until ? sc->until : vg_now();
	return VG_OK;
}

static json_t *scope_json(const struct evidence_export *x)
{
	char a[VG_TIME_BUFSZ], b[VG_TIME_BUFSZ];
	json_t *o = json_object(), *ex = json_array();
	size_t i;

	if (x->scope->case_id)
		json_object_set_new(o, "case", json_integer(x->scope->case_id));
	if (x->scope->incident_id)
		json_object_set_new(o, "incident", json_integer(x->scope->incident_id));
	json_object_set_new(o, "since", json_string(vg_time_format(x->since, a, sizeof(a))));
	json_object_set_new(o, "until", json_string(vg_time_format(x->until, b, sizeof(b))));
	vg_json_set_str(o, "product", x->product);
	vg_json_set_str(o, "version", x->version);
	for (i = 0; i < x->nexposures; i++)
		json_array_append_new(ex, json_integer(x->exposures[i]));
	json_object_set_new(o, "exposures", ex);
	json_object_set_new(o, "checkpoint_size", json_integer(x->cp.size));
	return o;
}

/* The SHA-256 of the file at path, read in pieces. */
static int file_sha256_hex(const char *path, char hex[65], struct vg_error *err)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char buf[65536], h[32];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	size_t n;
	int ok = md && f && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;

	while (ok && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		ok = EVP_DigestUpdate(md, buf, n) == 1;
	ok = ok && !ferror(f) && EVP_DigestFinal_ex(md, h, NULL) == 1;
	if (f)
		fclose(f);
	EVP_MD_CTX_free(md);
	if (!ok)
		return vg_error_set(err, VG_EIO, "%s: cannot read the bundle back", path);
	for (n = 0; n < 32; n++) {
		hex[2 * n] = digits[h[n] >> 4];
		hex[2 * n + 1] = digits[h[n] & 15];
	}
	hex[64] = '\0';
	return VG_OK;
}

int evidence_export(struct store *s, const struct evidence_scope *scope, const char *path,
		    struct evidence_result *res, struct vg_error *err)
{
	struct evidence_export x;
	struct note_signer sg;
	struct bundle_info info = {.kind = "evidence"};
	json_t *sj = NULL;
	size_t i;
	int rc;

	memset(&x, 0, sizeof(x));
	memset(res, 0, sizeof(*res));
	x.s = s;
	x.scope = scope;
	if (!scope->case_id && !scope->incident_id && !scope->since && !scope->until)
		return vg_error_set(
		    err, VG_EUSAGE,
		    "say what to export: --case ID, --incident ID or --since/--until");
	/* a case or incident that does not exist is an error before anything is written */
	if (scope->case_id) {
		struct psirt_case c;
		if ((rc = case_get(s, scope->case_id, &c, err)))
			return rc;
		psirt_case_release(&c);
	}
	if (scope->incident_id) {
		struct art14_exposure e;
		if ((rc = art14_get(s, scope->incident_id, &e, err)))
			return rc;
		art14_exposure_release(&e);
	}
	if ((rc = audit_checkpoint_make(s, &x.cp, err)))
		return rc;
	if ((rc = audit_signer_open(s, &sg, err))) {
		audit_checkpoint_release(&x.cp);
		return rc;
	}
	x.summary = json_object();
	rc = resolve(&x, err);
	if (!rc)
		rc = bundle_create(path, &x.w, err);
	if (!rc)
		rc = bundle_add(x.w, "checkpoint.txt", x.cp.note, strlen(x.cp.note), err);
	if (!rc) {
		char line[NOTE_NAME_MAX + 80];
		int n = snprintf(line, sizeof(line), "%s\n", x.cp.vkey);
		rc = bundle_add(x.w, "vkey.txt", line, (size_t)n, err);
	}
	for (i = 0; !rc && i < sizeof(builtin) / sizeof(builtin[0]); i++)
		rc = builtin[i].fn(&x, err);
	for (i = 0; !rc && i < g_nextra; i++)
		rc = g_extra[i].fn(&x, err);
	if (!rc)
		rc = part_audit(&x, err);
	if (!rc) {
		sj = scope_json(&x);
		json_object_set(sj, "parts", x.summary);
		rc = evidence_add_json(&x, "scope.json", json_incref(sj), err);
	}
	if (!rc) {
		info.scope = sj;
		res->files = 0;
		rc = bundle_finish(x.w, &info, &sg, err);
		x.w = NULL;
	}
	if (x.w)
		bundle_abort(x.w);
	note_signer_release(&sg);
	if (!rc) {
		/* the file's digest, for the audit record (streamed: a bundle with
		 * logs may be large) */
		if ((rc = file_sha256_hex(path, res->sha256, err)))
			remove(path);
	}
	if (!rc) {
		json_t *after;
		res->checkpoint_size = x.cp.size;
		res->records = x.nseqs;
		after = json_pack("{s:s, s:O, s:I}", "sha256", res->sha256, "scope", sj, "records",
				  (json_int_t)x.nseqs);
		rc = store_audit(s, "evidence.export", "evidence", res->sha256, NULL, after, err);
		json_decref(after);
		if (rc)
			remove(path);
	}
	json_decref(sj);
	json_decref(x.summary);
	audit_checkpoint_release(&x.cp);
	free(x.exposures);
	free(x.product);
	free(x.version);
	free(x.seqs);
	return rc;
}

static int unhex32(const char *h, uint8_t out[32])
{
	int i;
	if (!h || strlen(h) != 64)
		return -1;
	for (i = 0; i < 32; i++) {
		unsigned v = 0;
		int k;
		for (k = 0; k < 2; k++) {
			char c = h[2 * i + k];
			int d = c >= '0' && c <= '9'   ? c - '0'
				: c >= 'a' && c <= 'f' ? c - 'a' + 10
						       : -1;
			if (d < 0)
				return -1;
			v = v << 4 | (unsigned)d;
		}
		out[i] = (uint8_t)v;
	}
	return 0;
}

/* One line of audit/records.jsonl against the checkpoint. */
static int check_record(const char *line, size_t n, size_t lineno, const struct checkpoint *cp,
			struct vg_error *err)
{
	json_t *o = json_loadb(line, n, JSON_REJECT_DUPLICATES, NULL), *pf, *h;
	uint8_t leaf[32], want[32], proof[MERKLE_MAX_PROOF][32];
	const char *rec;
	json_int_t seq, size;
	size_t i;
	int ok;

	if (!o)
		return vg_error_set(err, VG_EAUDIT, "%s line %zu: not JSON", RECORDS_FILE, lineno);
	rec = vg_json_str(o, "record");
	seq = json_integer_value(json_object_get(o, "seq"));
	size = json_integer_value(json_object_get(o, "tree_size"));
	pf = json_object_get(o, "proof");
	if (!rec || seq < 1 || !json_is_array(pf) || json_array_size(pf) > MERKLE_MAX_PROOF ||
	    unhex32(vg_json_str(o, "leaf_hash"), want)) {
		json_decref(o);
		return vg_error_set(err, VG_EAUDIT,
				    "%s line %zu: expected seq, record, leaf_hash and proof",
				    RECORDS_FILE, lineno);
	}
	merkle_leaf_hash(rec, strlen(rec), leaf);
	if (memcmp(leaf, want, 32) != 0 || (uint64_t)size != cp->size) {
		json_decref(o);
		return vg_error_set(
		    err, VG_EAUDIT,
		    memcmp(leaf, want, 32) != 0
			? "audit record %lld: the record does not hash to its leaf hash"
			: "audit record %lld: proved against another tree size",
		    (long long)seq);
	}
	json_array_foreach(pf, i, h) if (unhex32(json_string_value(h), proof[i]))
	{
		json_decref(o);
		return vg_error_set(err, VG_EAUDIT, "audit record %lld: bad proof hash",
				    (long long)seq);
	}
	ok = merkle_verify_inclusion((uint64_t)seq - 1, cp->size, leaf, 32, proof,
				     json_array_size(pf), cp->root, 32);
	json_decref(o);
	if (!ok)
		return vg_error_set(err, VG_EAUDIT,
				    "audit record %lld: its inclusion proof does not lead to the "
				    "checkpoint's root",
				    (long long)seq);
	return VG_OK;
}

int evidence_verify(const char *path, const struct note_verifier *keys, size_t nkeys,
		    struct evidence_check *out, struct vg_error *err)
{
	struct note_verifier own;
	struct note nt;
	struct checkpoint cp;
	struct vg_error e = {0};
	char *note = NULL, *recs = NULL, *p, *end;
	size_t nn = 0, rn = 0, lineno = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = bundle_verify(path, keys, nkeys, NULL, &out->bundle, err);
	if (rc)
		return rc;
	if (!nkeys) { /* the key the manifest named, which signed it */
		if (note_vkey_parse(out->bundle.vkey, &own, &e))
			return vg_error_set(err, VG_EAUDIT, "the bundle's signer key is not valid");
		keys = &own;
		nkeys = 1;
	}
	rc = bundle_read_member(path, "checkpoint.txt", NOTE_MAX_SIZE, &note, &nn, err);
	if (rc) {
		json_decref(out->bundle.manifest);
		out->bundle.manifest = NULL;
		return vg_error_set(err, VG_EAUDIT, "checkpoint.txt: missing");
	}
	rc = note_open(note, nn, keys, nkeys, &nt, &e);
	free(note);
	if (rc) {
		json_decref(out->bundle.manifest);
		out->bundle.manifest = NULL;
		return vg_error_set(err, VG_EAUDIT, "checkpoint.txt: %s", vg_error_msg(&e));
	}
	rc = checkpoint_parse(nt.text, nt.text_len, &cp, &e);
	note_release(&nt);
	if (rc) {
		json_decref(out->bundle.manifest);
		out->bundle.manifest = NULL;
		return vg_error_set(err, VG_EAUDIT, "checkpoint.txt: %s", vg_error_msg(&e));
	}
	out->checkpoint_size = (int64_t)cp.size;
	rc = bundle_read_member(path, RECORDS_FILE, (size_t)1 << 30, &recs, &rn, err);
	if (rc) {
		json_decref(out->bundle.manifest);
		out->bundle.manifest = NULL;
		return vg_error_set(err, VG_EAUDIT, "%s: missing", RECORDS_FILE);
	}
	for (p = recs, end = recs + rn; !rc && p < end;) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(end - p);
		lineno++;
		if (l) {
			rc = check_record(p, l, lineno, &cp, err);
			out->records++;
		}
		p += l + 1;
	}
	free(recs);
	if (rc) {
		json_decref(out->bundle.manifest);
		out->bundle.manifest = NULL;
	}
	return rc;
}
