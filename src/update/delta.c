/*
 * delta.c - the server's deltas between published releases (delta.h).
 *
 * A published release (event release.published) is queued in delta_jobs;
 * the job "delta.make" (leader only, never the publish request) makes, for
 * each of its artifacts, a patch from the artifact of the same name in each
 * of the last update.delta_from published releases of the product, and
 * publishes the patches that are smaller than the artifact as TUF targets
 * of the product's delegated role, recording them in deltas, in one
 * audited transaction per release. delta_offer_find() is the check-in's
 * question: is there a delta from the device's version, small enough?
 */
#include "update/delta.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/events.h"
#include "core/hash.h"
#include "core/config.h"
#include "core/json.h"
#include "core/log.h"
#include "jobs/jobs.h"
#include "store/store.h"
#include "update/delta_make.h"
#include "update/release.h"
#include "update/tuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

double delta_max_ratio(void)
{
	const char *v = vg_config_get("update.delta_max_ratio", NULL);
	char *end = NULL;
	double r;
	if (!v)
		return DELTA_MAX_RATIO_DEFAULT;
	r = strtod(v, &end);
	if (end == v || *end || !(r > 0.0) || r > 1.0) {
		vg_warn("update.delta_max_ratio '%s': expected a number above 0 and at most 1; "
			"using %.2f",
			v, DELTA_MAX_RATIO_DEFAULT);
		return DELTA_MAX_RATIO_DEFAULT;
	}
	return r;
}

int delta_method(void)
{
	const char *v = vg_config_get("update.delta_method", NULL);
	if (!v || strcmp(v, "zstd") == 0)
		return DELTA_METHOD_BSZ;
	if (strcmp(v, "lzma") == 0)
		return DELTA_METHOD_BSX;
	vg_warn("update.delta_method '%s': expected zstd or lzma; using zstd", v);
	return DELTA_METHOD_BSZ;
}

int64_t delta_max_image(void)
{
	int64_t v = vg_config_int("update.delta_max_image", DELTA_MAX_IMAGE_DEFAULT);
	if (v < DELTA_MAX_IMAGE_MIN || v > (int64_t)DELTA_MAKE_OLD_MAX) {
		vg_warn("update.delta_max_image %lld: expected %lld to %lld bytes; using %lld",
			(long long)v, (long long)DELTA_MAX_IMAGE_MIN, (long long)DELTA_MAKE_OLD_MAX,
			(long long)DELTA_MAX_IMAGE_DEFAULT);
		return DELTA_MAX_IMAGE_DEFAULT;
	}
	return v;
}

int64_t delta_from_count(void)
{
	int64_t k = vg_config_int("update.delta_from", DELTA_FROM_DEFAULT);
	return k < 0 ? 0 : k > 100 ? 100 : k;
}

int delta_offer_find(struct store *s, int64_t release_id, const char *full_target,
		     const char *from_version, struct delta_offer *out, int *found,
		     struct vg_error *err)
{
	struct store_stmt *st = NULL;
	double ratio = delta_max_ratio();
	int rc;

	memset(out, 0, sizeof(*out));
	*found = 0;
	if (!full_target || !from_version)
		return VG_OK;
	/* the full target as the check-in names it: PRODUCT/NAME (or NAME alone) */
	rc = store_prepare_cached(
	    s,
	    "SELECT target, length, sha256, full_target, from_version, full_length "
	    "FROM deltas WHERE to_release_id = ? AND from_version = ? AND "
	    "(full_target = ? OR artifact = ?) ORDER BY length LIMIT 1",
	    &st, err);
	if (rc)
		return rc;
	store_bind_int64(st, 1, release_id);
	store_bind_text(st, 2, from_version);
	store_bind_text(st, 3, full_target);
	store_bind_text(st, 4, full_target);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		int64_t len = store_col_int64(st, 1), full = store_col_int64(st, 5);
		if (len > 0 && (double)len <= ratio * (double)full) {
			snprintf(out->target, sizeof(out->target), "%s", store_col_text(st, 0));
			out->length = (uint64_t)len;
			snprintf(out->sha256, sizeof(out->sha256), "%s", store_col_text(st, 2));
			snprintf(out->full_target, sizeof(out->full_target), "%s",
				 store_col_text(st, 3));
			snprintf(out->from_version, sizeof(out->from_version), "%s",
				 store_col_text(st, 4));
			*found = 1;
		}
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = VG_OK;
	}
	store_finalize(st);
	return rc;
}

/* ---- queueing on publish ---- */

int delta_queue(struct store *s, int64_t release_id, struct vg_error *err)
{
	struct release_detail d;
	json_t *after;
	char ids[32];
	int rc;

	if ((rc = release_get(s, release_id, &d, err)))
		return rc;
	snprintf(ids, sizeof(ids), "%lld", (long long)release_id);
	after = json_pack("{s:s,s:s}", "product", d.r.product, "version", d.r.version);
	if (!after) {
		release_detail_release(&d);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (!(rc = store_tx_begin(s, err))) {
		rc = store_exec(s, err,
				"INSERT INTO delta_jobs (release_id, product, version, queued_at) "
				"VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
				"itti", release_id, d.r.product, d.r.version, vg_now());
		if (!rc)
			rc = store_audit(s, "delta.queue", "release", ids, NULL, after, err);
		rc = store_tx_end(s, rc, err);
	}
	json_decref(after);
	release_detail_release(&d);
	return rc;
}

static int on_release_published(struct store *s, const char *name, const json_t *p, void *arg)
{
	struct vg_error err = {0};
	json_t *id = json_object_get(p, "release_id");
	(void)name;
	(void)arg;
	if (!s || !json_is_integer(id)) {
		vg_warn("delta: release.published without a release_id: ignored");
		return VG_OK;
	}
	if (delta_queue(s, json_integer_value(id), &err)) {
		vg_warn("delta: release %lld not queued for deltas: %s",
			(long long)json_integer_value(id), vg_error_msg(&err));
		return err.code;
	}
	return VG_OK;
}

void delta_init(void)
{
	if (vg_event_subscribe(RELEASE_EVENT_PUBLISHED, "update.delta_queue", on_release_published,
			       NULL))
		vg_warn("delta: cannot subscribe to %s", RELEASE_EVENT_PUBLISHED);
}

/* ---- making them (the job) ---- */

/* A TUF target name for the delta: NAME.from-VERSION.vgdelta, the version's
 * characters outside [A-Za-z0-9._+-] as '_'. */
static void target_name(char *out, size_t n, const char *artifact, const char *from)
{
	char v[128];
	size_t i;
	for (i = 0; from[i] && i + 1 < sizeof(v); i++) {
		char c = from[i];
		int okc = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' || c == '-';
		v[i] = okc ? c : '_';
	}
	v[i] = '\0';
	snprintf(out, n, "%s.from-%s.vgdelta", artifact, v);
}

struct made {
	char name[512];
	int64_t from_id;
	char from_version[128];
	const struct release_artifact *art; /* of the new release */
	uint8_t *patch;
	size_t len;
	char sha256[65];
};

struct made_set {
	const struct release *to;
	struct made *m;
	size_t n;
	json_t *skipped; /* artifacts above update.delta_max_image, or NULL */
};

static int record_inside(struct store *s, int64_t version, void *arg, struct vg_error *err)
{
	struct made_set *ms = arg;
	char ids[32];
	json_t *after = json_array();
	int rc = VG_OK;

	if (!after)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (size_t i = 0; i < ms->n && !rc; i++) {
		struct made *m = &ms->m[i];
		char full[600], tgt[1100];
		snprintf(full, sizeof(full), "%s/%s", ms->to->product, m->art->name);
		snprintf(tgt, sizeof(tgt), "%s/%s", ms->to->product, m->name);
		rc = store_exec(s, err,
				"DELETE FROM deltas WHERE to_release_id = ? AND artifact = ? AND "
				"from_release_id = ?",
				"iti", ms->to->id, m->art->name, m->from_id);
		if (!rc)
			rc = store_exec(
			    s, err,
			    "INSERT INTO deltas (product, from_release_id, from_version, "
			    "to_release_id, to_version, artifact, full_target, full_length, "
			    "full_sha256, target, length, sha256, tuf_version, created_at) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "tititttittitii", ms->to->product, m->from_id, m->from_version,
			    ms->to->id, ms->to->version, m->art->name, full, m->art->size,
			    m->art->sha256, tgt, (int64_t)m->len, m->sha256, version, vg_now());
		if (!rc)
			json_array_append_new(
			    after, json_pack("{s:s,s:s,s:I,s:I}", "target", tgt, "from_version",
					     m->from_version, "length", (json_int_t)m->len,
					     "full_length", (json_int_t)m->art->size));
	}
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE delta_jobs SET done_at = ?, made = ?, error = NULL WHERE "
				"release_id = ?",
				"iii", vg_now(), (int64_t)ms->n, ms->to->id);
	snprintf(ids, sizeof(ids), "%lld", (long long)ms->to->id);
	if (!rc)
		rc = store_audit(s, "delta.make", "release", ids, NULL, after, err);
	if (!rc && ms->skipped)
		rc = store_audit(s, "delta.skip", "release", ids, NULL, ms->skipped, err);
	json_decref(after);
	return rc;
}

/* Map an artifact's bytes: *rd to close. */
static int map_artifact(struct store *s, const char *sha, struct artifact_reader **rd,
			const uint8_t **p, uint64_t *n, struct vg_error *err)
{
	static const uint8_t none = 0;
	const void *m = NULL;
	int rc = artifact_open(s, sha, rd, err);
	if (rc)
		return rc;
	*n = artifact_reader_size(*rd);
	if (*n == 0) {
		*p = &none;
		return VG_OK;
	}
	if ((rc = artifact_reader_map(*rd, s, &m, err))) {
		artifact_close(*rd);
		*rd = NULL;
		return rc;
	}
	*p = m;
	return VG_OK;
}

/* Make the deltas of release to (detail) from release from_id. */
static int make_from(struct store *s, const struct release_detail *to, int64_t from_id,
		     struct made_set *ms, struct vg_error *err)
{
	struct release_detail from;
	struct made **mv = &ms->m;
	size_t *mn = &ms->n;
	int64_t max = delta_max_image();
	int rc = release_get(s, from_id, &from, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < to->n && !rc; i++) {
		const struct release_artifact *na = &to->artifacts[i];
		if (jobs_stopping()) { /* the server stops: the release stays queued */
			rc = vg_error_set(err, VG_EBUSY, "the server is stopping");
			break;
		}
		const struct release_artifact *oa = NULL;
		struct artifact_reader *ro = NULL, *rn = NULL;
		const uint8_t *op = NULL, *np = NULL;
		uint64_t on = 0, nn = 0;
		uint8_t *patch = NULL;
		size_t plen = 0;
		struct made *grown;

		for (size_t j = 0; j < from.n; j++)
			if (strcmp(from.artifacts[j].name, na->name) == 0)
				oa = &from.artifacts[j];
		if (!oa || strcmp(oa->sha256, na->sha256) == 0)
			continue;
		if (oa->size > max || na->size > max) {
			/* the suffix array alone takes 4 bytes per old byte: the full
			 * image is offered instead */
			json_t *why = json_pack("{s:s,s:s,s:I,s:I,s:I}", "artifact", na->name,
						"from_version", from.r.version, "old_length",
						(json_int_t)oa->size, "new_length",
						(json_int_t)na->size, "max_image", (json_int_t)max);
			vg_warn("delta: %s %s '%s' from %s skipped: %lld and %lld bytes, above "
				"update.delta_max_image (%lld)",
				to->r.product, to->r.version, na->name, from.r.version,
				(long long)oa->size, (long long)na->size, (long long)max);
			if (!ms->skipped)
				ms->skipped = json_array();
			if (!why || !ms->skipped || json_array_append_new(ms->skipped, why)) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			continue;
		}
		if ((rc = map_artifact(s, oa->sha256, &ro, &op, &on, err)))
			break;
		if ((rc = map_artifact(s, na->sha256, &rn, &np, &nn, err))) {
			artifact_close(ro);
			break;
		}
		{
			struct delta_make_opts mo = {.method = delta_method()};
			rc = delta_make_buf(op, on, np, nn, &mo, &patch, &plen, NULL, err);
		}
		artifact_close(ro);
		artifact_close(rn);
		if (rc) {
			vg_error_prefix(err, "delta of '%s' from %s %s", na->name, from.r.product,
					from.r.version);
			break;
		}
		if (plen >= nn) { /* no smaller than the artifact: no use */
			free(patch);
			continue;
		}
		grown = realloc(*mv, (*mn + 1) * sizeof(**mv));
		if (!grown) {
			free(patch);
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		*mv = grown;
		memset(&grown[*mn], 0, sizeof(grown[*mn]));
		target_name(grown[*mn].name, sizeof(grown[*mn].name), na->name, from.r.version);
		grown[*mn].from_id = from_id;
		snprintf(grown[*mn].from_version, sizeof(grown[*mn].from_version), "%s",
			 from.r.version);
		grown[*mn].art = na;
		grown[*mn].patch = patch;
		grown[*mn].len = plen;
		vg_sha256_hex(patch, plen, grown[*mn].sha256);
		(*mn)++;
	}
	release_detail_release(&from);
	return rc;
}

static int fail_job(struct store *s, int64_t release_id, const struct vg_error *why,
		    struct vg_error *err)
{
	char ids[32];
	json_t *after = json_pack("{s:s}", "error", vg_error_msg(why));
	int rc = store_tx_begin(s, err);
	snprintf(ids, sizeof(ids), "%lld", (long long)release_id);
	if (!rc) {
		rc = store_exec(s, err,
				"UPDATE delta_jobs SET done_at = ?, made = 0, error = ? WHERE "
				"release_id = ?",
				"iti", vg_now(), vg_error_msg(why), release_id);
		if (!rc)
			rc = store_audit(s, "delta.make_failed", "release", ids, NULL, after, err);
		rc = store_tx_end(s, rc, err);
	}
	json_decref(after);
	return rc;
}

int delta_make_release(struct store *s, int64_t release_id, int64_t *made, struct vg_error *err)
{
	struct release_detail to;
	struct store_stmt *st = NULL;
	struct made_set ms = {0};
	struct update_tuf_target *tt = NULL;
	int64_t k = delta_from_count(), froms[100];
	size_t nfrom = 0;
	int rc;

	if (made)
		*made = 0;
	if ((rc = release_get(s, release_id, &to, err)))
		return rc;
	if (!to.r.published_at) {
		release_detail_release(&to);
		return vg_error_set(err, VG_ESTATE, "release %lld (%s %s) is not published",
				    (long long)release_id, to.r.product, to.r.version);
	}
	/* the last K published releases of the product before this one */
	rc = store_prepare(s,
			   "SELECT id FROM releases WHERE product = ? AND id <> ? AND "
			   "published_at > 0 AND yanked_at = 0 AND published_at <= ? "
			   "ORDER BY published_at DESC, id DESC LIMIT ?",
			   &st, err);
	if (!rc) {
		store_bind_text(st, 1, to.r.product);
		store_bind_int64(st, 2, release_id);
		store_bind_int64(st, 3, to.r.published_at);
		store_bind_int64(st, 4, k);
		while ((rc = store_step(st, err)) == STORE_ROW && nfrom < 100)
			froms[nfrom++] = store_col_int64(st, 0);
		if (rc == STORE_DONE || rc == STORE_ROW)
			rc = VG_OK;
		store_finalize(st);
	}
	ms.to = &to.r;
	for (size_t i = 0; i < nfrom && !rc; i++)
		rc = make_from(s, &to, froms[i], &ms, err);
	if (!rc && ms.n) {
		tt = calloc(ms.n, sizeof(*tt));
		if (!tt)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		for (size_t i = 0; tt && i < ms.n; i++) {
			tt[i].name = ms.m[i].name;
			tt[i].data = ms.m[i].patch;
			tt[i].length = ms.m[i].len;
			tt[i].sha256 = ms.m[i].sha256;
		}
		if (!rc)
			rc = update_tuf_add_targets_then(s, to.r.product, tt, ms.n, record_inside,
							 &ms, NULL, err);
	} else if (!rc) {
		/* nothing to make (first release, nothing changed): done */
		if (!(rc = store_tx_begin(s, err))) {
			rc = record_inside(s, 0, &ms, err);
			rc = store_tx_end(s, rc, err);
		}
	}
	if (!rc && made)
		*made = (int64_t)ms.n;
	for (size_t i = 0; i < ms.n; i++)
		free(ms.m[i].patch);
	free(ms.m);
	json_decref(ms.skipped);
	free(tt);
	release_detail_release(&to);
	return rc;
}

int delta_run_pending(struct store *s, int64_t *releases, int64_t *made, struct vg_error *err)
{
	int64_t nrel = 0, nmade = 0;
	int rc = VG_OK;
	while (!jobs_stopping()) { /* a release at a time: the server may be stopping */
		int64_t id = 0, m = 0;
		struct vg_error why = {0};
		rc = store_query_int64(s, &id, err,
				       "SELECT release_id FROM delta_jobs WHERE done_at = 0 "
				       "ORDER BY queued_at, release_id LIMIT 1",
				       "");
		if (rc == VG_ENOTFOUND) {
			rc = VG_OK;
			break;
		}
		if (rc)
			break;
		nrel++;
		if (delta_make_release(s, id, &m, &why)) {
			if (why.code == VG_EBUSY && jobs_stopping())
				break; /* made again after the restart */
			vg_warn("delta: release %lld: %s", (long long)id, vg_error_msg(&why));
			if ((rc = fail_job(s, id, &why, err)))
				break;
			continue;
		}
		nmade += m;
		vg_info("delta: release %lld: %lld delta(s) made", (long long)id, (long long)m);
	}
	if (releases)
		*releases = nrel;
	if (made)
		*made = nmade;
	return rc;
}

static int make_job(struct store *s, struct vg_error *err)
{
	return delta_run_pending(s, NULL, NULL, err);
}

/* Is a release waiting for its deltas? (on the scheduler's connection) */
static int make_pending(struct store *s)
{
	int64_t n = 0;
	struct vg_error err = {0};
	if (store_query_int64(s, &n, &err, "SELECT COUNT(*) FROM delta_jobs WHERE done_at = 0", ""))
		return 0;
	return n > 0;
}

/* On a thread of its own: a delta of a large image takes minutes, and the
 * scheduler's other jobs (paging, rollout evaluation) run every second. */
const struct vg_job delta_jobs[] = {
    {"delta.make", 30, make_job, make_pending},
    {NULL, 0, NULL, NULL},
};

/* ---- listing ---- */

int delta_list(struct store *s, int64_t release_id, json_t **out, struct vg_error *err)
{
	if (release_id)
		return store_rows(s, out, err, "ittittttiitiiT",
				  "SELECT id, product, from_version, from_release_id, to_version, "
				  "artifact, target, sha256, length, full_length, full_target, "
				  "to_release_id, tuf_version, created_at FROM deltas WHERE "
				  "to_release_id = ? ORDER BY id",
				  "i", release_id);
	return store_rows(s, out, err, "ittittttiitiiT",
			  "SELECT id, product, from_version, from_release_id, to_version, "
			  "artifact, target, sha256, length, full_length, full_target, "
			  "to_release_id, tuf_version, created_at FROM deltas ORDER BY id",
			  "");
}

json_t *delta_offer_to_json(const struct delta_offer *o, int found)
{
	if (!found)
		return json_pack("{s:b}", "found", 0);
	return json_pack("{s:b,s:s,s:I,s:s,s:s,s:s}", "found", 1, "target", o->target, "length",
			 (json_int_t)o->length, "sha256", o->sha256, "full_target", o->full_target,
			 "from_version", o->from_version);
}
