/*
 * gate.c - the checks of the verification gate that need no signer
 * (issue 18 item 3): the release's product version exists, the release is
 * not yanked and has artifacts, and for every artifact: its stored bytes
 * hash to the SHA-256 recorded at upload (re-read now, chunk by chunk), it
 * has a CI signature, the signature verifies over the stored bytes with a
 * known CI key, and that key is not revoked. Every run is recorded
 * (release_checks, and the audit trail as "release.check").
 */
#define _GNU_SOURCE
#include "core/clock.h"
#include "core/error.h"
#include "core/events.h"
#include "core/log.h"
#include "sbom/product.h"
#include "store/store.h"
#include "update/release.h"
#include "update/tuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void update_gate_report_release(struct update_gate_report *r)
{
	if (!r)
		return;
	vg_arena_release(&r->mem);
	memset(r, 0, sizeof(*r));
}

struct reader_map {
	struct artifact_reader *r;
	struct store *s;
};

static int map_reader(void *arg, const void **p, uint64_t *n, struct vg_error *err)
{
	struct reader_map *m = arg;
	*n = artifact_reader_size(m->r);
	return artifact_reader_map(m->r, m->s, p, err);
}

/* The signature of artifact id (malloc'ed into *sig; NULL when unsigned). */
static int read_sig(struct store *s, int64_t id, uint8_t **sig, size_t *n, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare(s, "SELECT signature FROM release_artifacts WHERE id = ?", &st, err);
	*sig = NULL;
	*n = 0;
	if (rc)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		size_t len = 0;
		const void *p = store_col_isnull(st, 0) ? NULL : store_col_blob(st, 0, &len);
		rc = VG_OK;
		if (p && len) {
			*sig = malloc(len);
			if (!*sig)
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			else
				memcpy(*sig, p, len);
			*n = len;
		}
	} else if (rc == STORE_DONE) {
		rc = VG_OK;
	}
	store_finalize(st);
	return rc;
}

static const char *astr(struct vg_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static const char *astr(struct vg_arena *a, const char *fmt, ...)
{
	char buf[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return vg_arena_strdup(a, buf);
}

/* Check one artifact into g. */
static int check_artifact(struct store *s, const struct release_artifact *a,
			  struct update_gate_artifact *g, struct vg_arena *mem,
			  struct vg_error *err)
{
	struct artifact_reader *r = NULL;
	struct vg_error e = {0};
	char sha[65];
	uint8_t *sig = NULL;
	size_t siglen = 0;
	int rc;

	g->id = a->id;
	g->name = a->name;
	g->sha256 = a->sha256;
	g->size = a->size;
	if (artifact_open(s, a->sha256, &r, &e) || artifact_reader_hash(r, s, sha, &e)) {
		g->reason = astr(mem, "artifact '%s': its stored bytes cannot be read: %s", a->name,
				 vg_error_msg(&e));
	} else {
		g->actual = vg_arena_strdup(mem, sha);
		g->hash_ok =
		    strcmp(sha, a->sha256) == 0 && artifact_reader_size(r) == (uint64_t)a->size;
		if (!g->hash_ok)
			g->reason =
			    astr(mem,
				 "artifact '%s': its stored bytes have SHA-256 %s, not %s as "
				 "uploaded: changed after upload",
				 a->name, sha, a->sha256);
	}
	rc = read_sig(s, a->id, &sig, &siglen, err);
	if (rc) {
		artifact_close(r);
		return rc;
	}
	g->is_signed = sig != NULL;
	if (!sig) {
		if (!g->reason)
			g->reason = astr(mem, "artifact '%s': unsigned (no CI signature)", a->name);
	} else if (g->actual) {
		/* over the bytes as stored now */
		struct reader_map m = {r, s};
		struct ci_msg msg = {g->actual, map_reader, &m};
		char key[160];
		int64_t key_id = 0, revoked = 0;
		vg_error_clear(&e);
		if (ci_sig_find(s, &msg, sig, siglen, &key_id, key, sizeof(key), &revoked, &e)) {
			if (!g->reason)
				g->reason = astr(mem, "artifact '%s': signature not checked: %s",
						 a->name, vg_error_msg(&e));
		} else if (!key_id) {
			if (!g->reason)
				g->reason =
				    astr(mem,
					 "artifact '%s': its signature verifies with no "
					 "trusted CI key (an unknown key, or the signature of "
					 "other bytes)",
					 a->name);
		} else {
			g->sig_ok = 1;
			g->key_name = vg_arena_strdup(mem, key);
			g->key_trusted = revoked == 0;
			if (revoked && !g->reason)
				g->reason = astr(mem,
						 "artifact '%s': signed by CI key %s, which is "
						 "revoked",
						 a->name, key);
		}
	}
	free(sig);
	artifact_close(r);
	return VG_OK;
}

static int record(struct store *s, const struct update_gate_report *out, struct vg_error *err)
{
	json_t *rep = update_gate_report_to_json(out), *after;
	char *text = json_dumps(rep, JSON_COMPACT);
	char ids[32];
	int rc;

	if (!text) {
		json_decref(rep);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_exec(s, err,
				"INSERT INTO release_checks (release_id, checked_at, checked_by, "
				"passed, version_ok, hashes_ok, signed_ok, keys_ok, signatures_ok, "
				"report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				"iitiiiiiit", out->release_id, out->checked_at, store_actor(s),
				(int64_t)out->passed, (int64_t)out->version_ok,
				(int64_t)out->hashes_ok, (int64_t)out->signed_ok,
				(int64_t)out->keys_ok, (int64_t)out->signatures_ok, text);
	after = json_pack("{s:I, s:b, s:s?}", "release", (json_int_t)out->release_id, "passed",
			  out->passed, "reason", out->reason);
	{
		json_t *fails = json_array();
		for (size_t i = 0; i < out->n; i++)
			if (out->artifacts[i].reason)
				json_array_append_new(fails, json_string(out->artifacts[i].reason));
		json_object_set_new(after, "failures", fails);
	}
	snprintf(ids, sizeof(ids), "%lld", (long long)out->release_id);
	if (!rc)
		rc = store_audit(s, "release.check", "release", ids, NULL, after, err);
	json_decref(after);
	json_decref(rep);
	free(text);
	return store_tx_end(s, rc, err);
}

int update_release_check(struct store *s, int64_t release_id, struct update_gate_report *out,
			 struct vg_error *err)
{
	struct release_detail d;
	struct product_version v = {0};
	struct vg_error e = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	rc = release_get(s, release_id, &d, err);
	if (rc) {
		update_gate_report_release(out);
		return rc;
	}
	out->release_id = release_id;
	out->checked_at = vg_now();
	out->product = vg_arena_strdup(&out->mem, d.r.product);
	out->version = vg_arena_strdup(&out->mem, d.r.version);
	rc = product_version_get_by_id(s, d.r.version_id, &v, &e);
	out->version_ok = rc == VG_OK && strcmp(v.product, d.r.product) == 0 &&
			  strcmp(v.version, d.r.version) == 0;
	product_version_release(&v);
	if (rc && rc != VG_ENOTFOUND) {
		vg_error_set(err, e.code, "%s", e.msg);
		goto fail;
	}
	rc = VG_OK;
	out->not_yanked = d.r.yanked_at == 0;
	out->has_artifacts = d.n > 0;
	out->hashes_ok = out->signed_ok = out->keys_ok = out->signatures_ok = 1;
	out->artifacts = vg_arena_array(&out->mem, d.n ? d.n : 1, sizeof(*out->artifacts));
	if (!out->artifacts) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < d.n; i++) {
		struct update_gate_artifact *g = &out->artifacts[i];
		memset(g, 0, sizeof(*g));
		rc = check_artifact(s, &d.artifacts[i], g, &out->mem, err);
		if (rc)
			goto fail;
		g->name = vg_arena_strdup(&out->mem, d.artifacts[i].name);
		g->sha256 = vg_arena_strdup(&out->mem, d.artifacts[i].sha256);
		out->n++;
		out->hashes_ok &= g->hash_ok;
		out->signed_ok &= g->is_signed;
		out->signatures_ok &= g->sig_ok;
		out->keys_ok &= g->key_trusted;
	}
	if (!out->version_ok)
		out->reason = astr(&out->mem, "release %lld: product version %s %s does not exist",
				   (long long)release_id, d.r.product, d.r.version);
	else if (!out->not_yanked)
		out->reason = astr(&out->mem, "release %lld is yanked: %s", (long long)release_id,
				   d.r.yank_reason ? d.r.yank_reason : "");
	else if (!out->has_artifacts)
		out->reason =
		    astr(&out->mem, "release %lld has no artifacts", (long long)release_id);
	for (size_t i = 0; !out->reason && i < out->n; i++)
		out->reason = out->artifacts[i].reason;
	out->passed = out->reason == NULL;
	release_detail_release(&d);
	rc = record(s, out, err);
	if (rc)
		update_gate_report_release(out);
	return rc;
fail:
	release_detail_release(&d);
	update_gate_report_release(out);
	return rc;
}

json_t *update_gate_report_to_json(const struct update_gate_report *r)
{
	json_t *arts = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const struct update_gate_artifact *g = &r->artifacts[i];
		json_array_append_new(
		    arts, json_pack("{s:I, s:s, s:s, s:s?, s:I, s:{s:b, s:b, s:b, s:b}, s:s?, s:b, "
				    "s:s?}",
				    "id", (json_int_t)g->id, "name", g->name, "sha256", g->sha256,
				    "stored_sha256", g->actual, "size", (json_int_t)g->size,
				    "checks", "hash", g->hash_ok, "signed", g->is_signed,
				    "signature", g->sig_ok, "key_trusted", g->key_trusted, "key",
				    g->key_name, "passed", g->reason == NULL, "reason", g->reason));
	}
	return json_pack("{s:I, s:s, s:s, s:b, s:s?, s:o, s:{s:b, s:b, s:b, s:b, s:b, s:b, s:b}, "
			 "s:o}",
			 "release", (json_int_t)r->release_id, "product", r->product, "version",
			 r->version, "passed", r->passed, "reason", r->reason, "checked_at",
			 vg_json_time(r->checked_at), "checks", "product_version", r->version_ok,
			 "not_yanked", r->not_yanked, "has_artifacts", r->has_artifacts, "hashes",
			 r->hashes_ok, "signed", r->signed_ok, "keys", r->keys_ok, "signatures",
			 r->signatures_ok, "artifacts", arts);
}

/* ---- publish ---- */

void update_publish_result_release(struct update_publish_result *r)
{
	if (!r)
		return;
	update_gate_report_release(&r->gate);
	memset(r, 0, sizeof(*r));
}

struct publish_ctx {
	int64_t id;
	int64_t now;
	int already; /* published by another call in the meantime */
	const struct update_gate_report *gate;
	const struct release *r; /* for the event's payload */
	json_t *event_payload;   /* release.published, recorded in the transaction */
	int64_t event;
};

/* Inside the TUF transaction: the release is marked published (once). */
static int mark_published(struct store *s, int64_t version, void *arg, struct vg_error *err)
{
	struct publish_ctx *p = arg;
	int64_t changed = 0;
	char ids[32];
	json_t *after;
	int64_t yanked = 0;
	int rc = store_query_int64(
	    s, &changed, err, "SELECT COUNT(*) FROM releases WHERE id = ? AND published_at = 0",
	    "i", p->id);
	if (!rc && !changed) {
		p->already = 1;
		return vg_error_set(err, VG_ESTATE, "release %lld is published already",
				    (long long)p->id);
	}
	/* yanked since the checks ran */
	if (!rc)
		rc = store_query_int64(
		    s, &yanked, err,
		    "SELECT COUNT(*) FROM releases WHERE id = ? AND yanked_at <> 0", "i", p->id);
	if (!rc && yanked)
		return vg_error_set(err, VG_ESTATE, "release %lld was yanked while it was checked",
				    (long long)p->id);
	if (!rc)
		rc =
		    store_exec(s, err,
			       "UPDATE releases SET published_at = ?, tuf_version = ? WHERE id = ? "
			       "AND published_at = 0",
			       "iii", p->now, version, p->id);
	if (rc)
		return rc;
	snprintf(ids, sizeof(ids), "%lld", (long long)p->id);
	after = json_pack("{s:s, s:s, s:I, s:o, s:o}", "product", p->gate->product, "version",
			  p->gate->version, "tuf_version", (json_int_t)version, "published_at",
			  vg_json_time(p->now), "gate", update_gate_report_to_json(p->gate));
	rc = store_audit(s, "release.publish", "release", ids, NULL, after, err);
	json_decref(after);
	if (!rc) {
		/* the corrective-measure clocks and the deltas come from this event */
		struct release pub = *p->r;
		pub.published_at = p->now;
		json_decref(p->event_payload);
		p->event_payload = release_published_payload(&pub);
		rc = p->event_payload ? store_event_record(s, RELEASE_EVENT_PUBLISHED,
							   p->event_payload, &p->event, err)
				      : vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	return rc;
}

/* A refusal: recorded on the release and audited, in a transaction of its own. */
static void record_refusal(struct store *s, int64_t id, const char *reason)
{
	struct vg_error e = {0};
	char ids[32];
	json_t *after = json_pack("{s:I, s:s}", "release", (json_int_t)id, "reason", reason);
	int rc;

	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	rc = store_tx_begin(s, &e);
	if (!rc)
		rc = store_exec(s, &e,
				"UPDATE releases SET publish_refused_at = ?, publish_refusal = ? "
				"WHERE id = ?",
				"iti", vg_now(), reason, id);
	if (!rc)
		rc = store_audit(s, "release.publish_refused", "release", ids, NULL, after, &e);
	rc = store_tx_end(s, rc, &e);
	if (rc)
		vg_warn("release publish: cannot record the refusal of release %lld: %s",
			(long long)id, vg_error_msg(&e));
	json_decref(after);
}

int update_release_publish(struct store *s, int64_t release_id, struct update_publish_result *out,
			   struct vg_error *err)
{
	struct release_detail d;
	struct update_tuf_target *t = NULL;
	struct publish_ctx ctx;
	int rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->gate.mem, 0);
	rc = release_get(s, release_id, &d, err);
	if (rc)
		return rc;
	if (d.r.published_at) {
		char tb[VG_TIME_BUFSZ];
		rc = vg_error_set(err, VG_ESTATE,
				  "release %lld (%s %s) was published already (%s, TUF version "
				  "%lld of products/%s)",
				  (long long)release_id, d.r.product, d.r.version,
				  vg_time_format(d.r.published_at, tb, sizeof(tb)),
				  (long long)d.r.tuf_version, d.r.product);
		release_detail_release(&d);
		return rc;
	}
	update_gate_report_release(&out->gate);
	rc = update_release_check(s, release_id, &out->gate, err);
	if (rc) {
		release_detail_release(&d);
		return rc;
	}
	if (!out->gate.passed) {
		out->reason = out->gate.reason;
		rc = vg_error_set(err, VG_EPERM, "the gate refused release %lld: %s",
				  (long long)release_id, out->gate.reason);
		goto refused;
	}
	t = calloc(d.n ? d.n : 1, sizeof(*t));
	if (!t) {
		release_detail_release(&d);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < d.n; i++) {
		t[i].name = d.artifacts[i].name;
		t[i].data = NULL;
		t[i].length = (size_t)d.artifacts[i].size;
		t[i].sha256 = d.artifacts[i].sha256;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.id = release_id;
	ctx.now = vg_now();
	ctx.gate = &out->gate;
	ctx.r = &d.r;
	rc = update_tuf_add_targets_then(s, d.r.product, t, d.n, mark_published, &ctx,
					 &out->tuf_version, err);
	free(t);
	if (rc)
		json_decref(ctx.event_payload);
	if (rc && ctx.already) {
		release_detail_release(&d);
		return rc;
	}
	if (rc) {
		char msg[1100];
		if (rc == VG_ENOTFOUND && strstr(vg_error_msg(err), "tuf delegate"))
			snprintf(msg, sizeof(msg), "%s", vg_error_msg(err));
		else
			snprintf(msg, sizeof(msg), "the TUF targets were not signed: %s",
				 vg_error_msg(err));
		out->reason = vg_arena_strdup(&out->gate.mem, msg);
		out->tuf_version = 0;
		goto refused;
	}
	out->published = 1;
	out->published_at = ctx.now;
	d.r.published_at = ctx.now;
	store_event_deliver(s, ctx.event, RELEASE_EVENT_PUBLISHED, ctx.event_payload);
	json_decref(ctx.event_payload);
	release_detail_release(&d);
	return VG_OK;
refused:
	record_refusal(s, release_id, out->reason ? out->reason : vg_error_msg(err));
	release_detail_release(&d);
	return rc;
}

json_t *update_publish_result_to_json(const struct update_publish_result *r)
{
	return json_pack("{s:I, s:b, s:o, s:o, s:s?, s:o}", "release",
			 (json_int_t)r->gate.release_id, "published", r->published, "tuf_version",
			 r->tuf_version ? json_integer(r->tuf_version) : json_null(),
			 "published_at",
			 r->published_at ? vg_json_time(r->published_at) : json_null(), "reason",
			 r->reason, "gate", update_gate_report_to_json(&r->gate));
}
