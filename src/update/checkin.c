/*
 * checkin.c - the device check-in and status reports (issue 19 item 2).
 *
 * The check-in's hot path: one indexed read of the device, the rollout
 * snapshot in memory (rollout.c), the last-seen time kept in memory
 * (device.c). It writes only when the device says it runs another version
 * (or hardware, channel) than stored.
 */
#define _GNU_SOURCE
#include "core/clock.h"
#include "core/error.h"
#include "core/text.h"
#include "store/store.h"
#include "update/delta.h"
#include "update/device.h"
#include "update/rollout.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int read_dev(struct store *s, const char *id, struct device_row *d, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc =
	    store_prepare_cached(s,
				 "SELECT product_id, channel, hardware, installed_version, cohort, "
				 "status_seq, COALESCE(revoked_at, 0) FROM devices WHERE id = ?",
				 &st, err);
	memset(d, 0, sizeof(*d));
	if (rc)
		return rc;
	store_bind_text(st, 1, id);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		d->product_id = store_col_int64(st, 0);
		if ((d->has_channel = !store_col_isnull(st, 1)))
			snprintf(d->channel, sizeof(d->channel), "%s", store_col_text(st, 1));
		if ((d->has_hardware = !store_col_isnull(st, 2)))
			snprintf(d->hardware, sizeof(d->hardware), "%s", store_col_text(st, 2));
		if ((d->has_version = !store_col_isnull(st, 3)))
			snprintf(d->version, sizeof(d->version), "%s", store_col_text(st, 3));
		d->cohort = (int)store_col_int64(st, 4);
		d->status_seq = store_col_int64(st, 5);
		d->revoked = store_col_int64(st, 6) != 0;
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_ENOTFOUND, "device '%s' not found", id);
	}
	store_reset(st);
	if (!rc && d->revoked)
		rc = vg_error_set(err, VG_EAUTH, "device '%s' is revoked", id);
	return rc;
}

/* The product_versions id of version; VG_EINVAL when the device's product
 * has no such version (device_version_id() answers 0 for that). */
static int version_id(struct store *s, int64_t product_id, const char *version, int64_t *id,
		      struct vg_error *err)
{
	int rc = device_version_id(s, product_id, version, id, err);
	if (!rc && !*id)
		return vg_error_set(err, VG_EINVAL,
				    "version '%s': not a version of this device's product",
				    version);
	return rc;
}

static int same(int has, const char *stored, const char *given)
{
	return !given || (has && strcmp(stored, given) == 0);
}

static int differs(const struct device_row *d, const struct device_checkin_req *r)
{
	return !same(d->has_version, d->version, r->version) ||
	       !same(d->has_hardware, d->hardware, r->hardware) ||
	       !same(d->has_channel, d->channel, r->channel);
}

/* Store what the device said when it differs (one audited transaction). */
static int update_dev(struct store *s, const char *id, const struct device_row *d,
		      const char *version, const char *hardware, const char *channel,
		      struct vg_error *err)
{
	int64_t vid = 0;
	int rc = version_id(s, d->product_id, version, &vid, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_exec(
		    s, err,
		    "UPDATE devices SET installed_version = ?, version_id = ?, hardware = "
		    "COALESCE(?, hardware), channel = COALESCE(?, channel) WHERE id = ?",
		    "tittt", version, vid, hardware, channel, id);
	if (!rc) {
		json_t *before = json_pack("{s:s?, s:s?, s:s?}", "installed_version",
					   d->has_version ? d->version : NULL, "hardware",
					   d->has_hardware ? d->hardware : NULL, "channel",
					   d->has_channel ? d->channel : NULL);
		json_t *after = json_pack("{s:s, s:s?, s:s?}", "installed_version", version,
					  "hardware", hardware, "channel", channel);
		rc = store_audit(s, "device.checkin", "device", id, before, after, err);
		json_decref(before);
		json_decref(after);
	}
	return store_tx_end(s, rc, err);
}

/*
 * The deltas offered lately, in memory: every device on one version asks
 * for the same. An entry serves for DELTA_CACHE_MS at the same rollout
 * epoch (a delta made meanwhile is offered after that; until then the
 * device gets the full image, which it can always install).
 */
#define DELTA_CACHE_N  32
#define DELTA_CACHE_MS 2000
struct delta_memo {
	int64_t release_id, epoch, at_ms;
	char target[512], from[128];
	int has;
	struct delta_offer dl;
};
static struct delta_memo delta_memo[DELTA_CACHE_N];
static pthread_mutex_t delta_mu = PTHREAD_MUTEX_INITIALIZER;

static size_t delta_slot(int64_t release_id, const char *target, const char *from)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)release_id;
	for (const char *p = target; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	for (const char *p = from; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return (size_t)(h % DELTA_CACHE_N);
}

static int delta_find(struct store *s, int64_t release_id, const char *target, const char *from,
		      struct delta_offer *out, int *has, struct vg_error *err)
{
	int64_t epoch = 0, ms = vg_mono_ms();
	size_t i = delta_slot(release_id, target, from);
	int rc = rollout_epoch_now(s, &epoch, err), hit = 0;

	if (rc)
		return rc;
	pthread_mutex_lock(&delta_mu);
	{
		struct delta_memo *m = &delta_memo[i];
		if (m->at_ms && m->epoch == epoch && ms - m->at_ms < DELTA_CACHE_MS &&
		    m->release_id == release_id && strcmp(m->target, target) == 0 &&
		    strcmp(m->from, from) == 0) {
			*out = m->dl;
			*has = m->has;
			hit = 1;
		}
	}
	pthread_mutex_unlock(&delta_mu);
	if (hit)
		return VG_OK;
	rc = delta_offer_find(s, release_id, target, from, out, has, err);
	if (rc || strlen(target) >= sizeof(delta_memo[0].target) ||
	    strlen(from) >= sizeof(delta_memo[0].from))
		return rc;
	pthread_mutex_lock(&delta_mu);
	{
		struct delta_memo *m = &delta_memo[i];
		m->release_id = release_id;
		m->epoch = epoch;
		m->at_ms = ms ? ms : 1;
		snprintf(m->target, sizeof(m->target), "%s", target);
		snprintf(m->from, sizeof(m->from), "%s", from);
		m->has = *has;
		m->dl = *out;
	}
	pthread_mutex_unlock(&delta_mu);
	return VG_OK;
}

static int checkin_req_check(const struct device_checkin_req *r, struct vg_error *err)
{
	int rc;
	if ((rc = vg_text_check("version", r->version, 127, 0, 1, err)) ||
	    (r->hardware && (rc = vg_text_check("hardware", r->hardware, 64, 0, 1, err))) ||
	    (r->channel && (rc = vg_text_check("channel", r->channel, 64, 0, 1, err))))
		return rc;
	return VG_OK;
}

/* a string member, or absent (NULL); any other type refused naming it */
static int opt_str(const json_t *b, const char *key, const char **out, struct vg_error *err)
{
	const json_t *v = json_object_get(b, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return VG_OK;
	if (!json_is_string(v))
		return vg_error_set(err, VG_EINVAL, "%s: expected a string", key);
	*out = json_string_value(v);
	return VG_OK;
}

int device_checkin_req_from_json(const json_t *b, struct device_checkin_req *r,
				 struct vg_error *err)
{
	int rc;
	r->version = r->hardware = r->channel = NULL;
	if (!json_is_object(b))
		return vg_error_set(
		    err, VG_EINVAL,
		    "request body: expected {\"version\": \"the installed version\"}");
	if ((rc = opt_str(b, "version", &r->version, err)) ||
	    (rc = opt_str(b, "hardware", &r->hardware, err)) ||
	    (rc = opt_str(b, "channel", &r->channel, err)))
		return rc;
	if (!r->version)
		return vg_error_set(
		    err, VG_EINVAL,
		    "request body: expected {\"version\": \"the installed version\"}");
	return checkin_req_check(r, err);
}

int device_checkin(struct store *s, const struct device_checkin_req *r,
		   struct device_checkin_resp *out, struct vg_error *err)
{
	struct device_row d;
	struct rollout_offer o;
	int rc, found = 0;

	memset(out, 0, sizeof(*out));
	if ((rc = checkin_req_check(r, err)))
		return rc;
	/* the row the token check of this request read (from the database or
	 * its cache), else from the database */
	if (!device_row_take(r->device_id, &d) && (rc = read_dev(s, r->device_id, &d, err)))
		return rc;
	if (differs(&d, r)) {
		/* the cached row may be older than the database (another server
		 * wrote it): compare with the stored row before writing */
		if ((rc = read_dev(s, r->device_id, &d, err)))
			return rc;
		if (differs(&d, r)) {
			rc = update_dev(s, r->device_id, &d, r->version, r->hardware, r->channel,
					err);
			if (rc)
				return rc;
			snprintf(d.version, sizeof(d.version), "%s", r->version);
			d.has_version = 1;
			if (r->hardware) {
				snprintf(d.hardware, sizeof(d.hardware), "%s", r->hardware);
				d.has_hardware = 1;
			}
			if (r->channel) {
				snprintf(d.channel, sizeof(d.channel), "%s", r->channel);
				d.has_channel = 1;
			}
		}
		snprintf(d.id, sizeof(d.id), "%s", r->device_id);
		device_row_keep(&d);
	}
	out->product_id = d.product_id;
	rc = rollout_offer_for(s, d.product_id, d.has_channel ? d.channel : NULL, d.cohort,
			       r->version, &o, &found, err);
	if (rc)
		return rc;
	device_seen(r->device_id, vg_now(), found ? o.rollout_id : 0, found ? o.stage : 0);
	if (!found)
		return VG_OK;
	out->install = 1;
	out->rollout_id = o.rollout_id;
	out->release_id = o.release_id;
	snprintf(out->version, sizeof(out->version), "%s", o.version);
	snprintf(out->target, sizeof(out->target), "%s", o.target);
	out->length = o.length;
	snprintf(out->sha256, sizeof(out->sha256), "%s", o.sha256);
	{
		struct delta_offer dl;
		int has = 0;
		rc = delta_find(s, o.release_id, o.target, r->version, &dl, &has, err);
		if (rc)
			return rc;
		if (has) {
			out->has_delta = 1;
			snprintf(out->delta_target, sizeof(out->delta_target), "%s", dl.target);
			out->delta_length = dl.length;
			snprintf(out->delta_sha256, sizeof(out->delta_sha256), "%s", dl.sha256);
			snprintf(out->delta_from, sizeof(out->delta_from), "%s", dl.from_version);
		}
	}
	return VG_OK;
}

json_t *device_checkin_resp_to_json(const struct device_checkin_resp *r)
{
	json_t *o;
	if (!r->install)
		return json_pack("{s:s}", "action", "none");
	o = json_pack("{s:s, s:I, s:I, s:s, s:{s:s, s:I, s:{s:s}}}", "action", "install", "rollout",
		      (json_int_t)r->rollout_id, "release", (json_int_t)r->release_id, "version",
		      r->version, "target", "name", r->target, "length", (json_int_t)r->length,
		      "hashes", "sha256", r->sha256);
	if (o && r->has_delta)
		json_object_set_new(o, "delta",
				    json_pack("{s:s, s:I, s:{s:s}, s:s}", "name", r->delta_target,
					      "length", (json_int_t)r->delta_length, "hashes",
					      "sha256", r->delta_sha256, "from_version",
					      r->delta_from));
	return o;
}

/* ---- status ---- */

static const char *const status_names[] = {NULL, "downloading", "installing", "installed",
					   "failed"};

int device_status_parse(const char *s)
{
	for (int i = 1; s && i <= DEVICE_STATUS_FAILED; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return 0;
}

const char *device_status_name(int kind)
{
	return kind >= 1 && kind <= DEVICE_STATUS_FAILED ? status_names[kind] : "unknown";
}

static int status_req_check(const struct device_status_req *r, struct vg_error *err)
{
	if (r->rollout_id < 1)
		return vg_error_set(
		    err, VG_EINVAL,
		    "rollout: expected the id of the rollout that offered the update");
	if (!r->kind)
		return vg_error_set(
		    err, VG_EINVAL,
		    "status: expected downloading, installing, installed or failed");
	if (r->seq < 1)
		return vg_error_set(err, VG_EINVAL,
				    "seq: expected a whole number from 1, one "
				    "higher for each report of this device");
	if (r->kind == DEVICE_STATUS_FAILED && (!r->error_code || !*r->error_code))
		return vg_error_set(err, VG_EINVAL, "error: a failed report needs an error code");
	if (r->error_code)
		return vg_text_check("error", r->error_code, 64, 0, 0, err);
	return VG_OK;
}

int device_status_req_from_json(const json_t *b, struct device_status_req *r, struct vg_error *err)
{
	const json_t *ro = json_object_get(b, "rollout"), *sq = json_object_get(b, "seq");
	const char *status = NULL;
	int rc;

	r->rollout_id = r->seq = 0;
	r->kind = 0;
	r->error_code = NULL;
	if (!json_is_object(b) || !json_is_integer(ro) || !json_is_integer(sq) ||
	    (rc = opt_str(b, "status", &status, err)) || !status)
		return vg_error_set(err, VG_EINVAL,
				    "request body: expected {\"rollout\": id, \"status\": "
				    "\"downloading|installing|installed|failed\", \"seq\": n, "
				    "\"error\": \"code\" (failed)}");
	if ((rc = opt_str(b, "error", &r->error_code, err)))
		return rc;
	r->rollout_id = json_integer_value(ro);
	r->seq = json_integer_value(sq);
	r->kind = device_status_parse(status);
	return status_req_check(r, err);
}

int device_status(struct store *s, const struct device_status_req *r, struct vg_error *err)
{
	struct device_row d;
	char version[128] = "";
	int stage = 0, rc;
	int64_t changed = 0, now = vg_now();

	if ((rc = status_req_check(r, err)))
		return rc;
	rc = read_dev(s, r->device_id, &d, err);
	if (rc)
		return rc;
	rc = rollout_has_device(s, r->rollout_id, d.product_id, d.has_channel ? d.channel : NULL,
				d.cohort, &stage, err);
	if (rc)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	/* the sequence: a report at or below the last counted is a replay */
	rc = store_exec(s, err, "UPDATE devices SET status_seq = ? WHERE id = ? AND status_seq < ?",
			"iti", r->seq, r->device_id, r->seq);
	if (!rc) {
		rc = store_query_int64(
		    s, &changed, err,
		    "SELECT COUNT(*) FROM devices WHERE id = ? AND status_seq = ?", "ti",
		    r->device_id, r->seq);
		if (!rc && (!changed || r->seq <= d.status_seq))
			rc = vg_error_set(err, VG_EEXIST,
					  "seq %lld: replayed report (the last counted is %lld); "
					  "nothing counted",
					  (long long)r->seq, (long long)d.status_seq);
	}
	if (!rc) {
		char *rv = NULL;
		rc =
		    store_query_text(s, &rv, err,
				     "SELECT CASE WHEN r.state = 'rolled_back' THEN p.version ELSE "
				     "v.version END FROM rollouts r JOIN releases v ON v.id = "
				     "r.release_id LEFT JOIN releases p ON p.id = "
				     "r.previous_release_id WHERE r.id = ?",
				     "i", r->rollout_id);
		if (!rc && rv)
			snprintf(version, sizeof(version), "%s", rv);
		free(rv);
	}
	if (!rc) {
		int64_t have = 0;
		rc = store_query_int64(
		    s, &have, err,
		    "SELECT COUNT(*) FROM rollout_devices WHERE rollout_id = ? AND "
		    "device_id = ?",
		    "it", r->rollout_id, r->device_id);
		if (!rc && have)
			rc = store_exec(
			    s, err,
			    "UPDATE rollout_devices SET stage = ?, state = ?, error_code = ?, "
			    "updated_at = ?, stage_window = (SELECT stage_window FROM rollouts "
			    "WHERE id = ?) WHERE rollout_id = ? AND device_id = ?",
			    "ittiiit", (int64_t)stage, device_status_name(r->kind), r->error_code,
			    now, r->rollout_id, r->rollout_id, r->device_id);
		else if (!rc)
			rc = store_exec(
			    s, err,
			    "INSERT INTO rollout_devices (rollout_id, device_id, stage, "
			    "state, error_code, updated_at, stage_window) VALUES (?, ?, ?, "
			    "?, ?, ?, (SELECT stage_window FROM rollouts WHERE id = ?))",
			    "itittii", r->rollout_id, r->device_id, (int64_t)stage,
			    device_status_name(r->kind), r->error_code, now, r->rollout_id);
	}
	if (!rc) /* a device reporting on a rollout was offered it */
		rc = device_offer_record(s, r->rollout_id, r->device_id, stage, now, err);
	if (!rc && r->kind == DEVICE_STATUS_INSTALLED && version[0]) {
		int64_t vid = 0;
		rc = version_id(s, d.product_id, version, &vid, err);
		if (!rc)
			rc = store_exec(s, err,
					"UPDATE devices SET installed_version = ?, version_id = ? "
					"WHERE id = ?",
					"tit", version, vid, r->device_id);
	}
	if (!rc) {
		json_t *after =
		    json_pack("{s:I, s:s, s:I, s:s?, s:i}", "rollout", (json_int_t)r->rollout_id,
			      "status", device_status_name(r->kind), "seq", (json_int_t)r->seq,
			      "error", r->error_code, "stage", stage + 1);
		rc = store_audit(s, "device.status", "device", r->device_id, NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	if (!rc) /* the installed version or sequence changed: read it again */
		device_row_forget();
	return rc;
}
