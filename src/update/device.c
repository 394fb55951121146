/*
 * device.c - devices and their credentials (`vigil device
 * enroll|list|show|revoke`), the token check behind ROLE_DEVICE, and the
 * last-seen times kept in memory and written in batches.
 */
#define _GNU_SOURCE
#include "update/device.h"

#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/text.h"
#include "store/reader.h"
#include "store/store.h"
#include "update/rollout.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void device_list_release(struct device_list *l)
{
	if (!l)
		return;
	vg_arena_release(&l->mem);
	memset(l, 0, sizeof(*l));
}

int device_cohort(const char *id)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return (int)(h % 10000u);
}

static int product_id_of(struct store *s, const char *product, int64_t *id, struct vg_error *err)
{
	int rc = store_query_int64(
	    s, id, err, "SELECT product_id FROM sbom_product_view WHERE product = ?", "t", product);
	if (rc == VG_ENOTFOUND)
		rc = vg_error_set(err, VG_ENOTFOUND, "product '%s' not found", product);
	return rc;
}

int device_version_id(struct store *s, int64_t product_id, const char *version, int64_t *id,
		      struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc =
	    store_prepare_cached(s,
				 "SELECT version_id FROM sbom_version_view WHERE product_id = ? "
				 "AND version = ?",
				 &st, err);
	*id = 0;
	if (rc)
		return rc;
	store_bind_int64(st, 1, product_id);
	store_bind_text(st, 2, version);
	rc = store_step(st, err);
	if (rc == STORE_ROW)
		*id = store_col_int64(st, 0);
	store_reset(st);
	return rc == STORE_ROW || rc == STORE_DONE ? VG_OK : rc;
}

static int check_tag(const char *what, const char *v, struct vg_error *err)
{
	if (!v)
		return VG_OK;
	return vg_text_check(what, v, 64, 0, 1, err);
}

/* One new device with a fresh id and credential into *c (inside the
 * caller's transaction). */
static int insert_device(struct store *s, int64_t pid, const char *channel, const char *hardware,
			 const char *version, int64_t vid, int64_t now, struct device_cred *c,
			 struct vg_error *err)
{
	unsigned char rnd[8];
	char hex[17], hash[VG_SHA256_HEX], tok[60];
	int rc;

	if (vg_random(rnd, sizeof(rnd)) || vg_random_token(tok, sizeof(tok), 32))
		return vg_error_set(err, VG_EINTERNAL, "cannot make a device credential");
	vg_hex(rnd, sizeof(rnd), hex);
	snprintf(c->id, sizeof(c->id), "dev-%s", hex);
	snprintf(c->token, sizeof(c->token), "%s%s", DEVICE_TOKEN_PREFIX, tok);
	vg_wipe(tok, sizeof(tok));
	vg_sha256_hex(c->token, strlen(c->token), hash);
	rc = store_exec_cached(s, err,
			       "INSERT INTO devices (id, product_id, channel, hardware, "
			       "installed_version, version_id, last_seen, created_at, "
			       "revoked_at, token_hash, cohort, created_by) VALUES "
			       "(?, ?, ?, ?, ?, ?, 0, ?, 0, ?, ?, ?)",
			       "titttiitit", c->id, pid, channel, hardware, version, vid, now, hash,
			       (int64_t)device_cohort(c->id), store_actor(s));
	vg_wipe(hash, sizeof(hash));
	return rc;
}

int device_enroll(struct store *s, const struct device_enroll_req *r, struct device_cred **out,
		  struct vg_error *err)
{
	struct device_cred *c = NULL;
	int64_t pid = 0, vid = 0, now = vg_now();
	int rc;

	*out = NULL;
	if (r->count < 1 || r->count > DEVICE_ENROLL_MAX)
		return vg_error_set(err, VG_EINVAL, "--count %lld: expected 1 to %d",
				    (long long)r->count, DEVICE_ENROLL_MAX);
	if ((rc = check_tag("--channel", r->channel, err)) ||
	    (rc = check_tag("--hardware", r->hardware, err)))
		return rc;
	c = calloc((size_t)r->count, sizeof(*c));
	if (!c)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = product_id_of(s, r->product, &pid, err);
	if (!rc && r->version) {
		rc = device_version_id(s, pid, r->version, &vid, err);
		if (!rc && !vid)
			rc = vg_error_set(err, VG_ENOTFOUND,
					  "--version '%s': not a version of product '%s'",
					  r->version, r->product);
	}
	for (int64_t i = 0; !rc && i < r->count; i++)
		rc = insert_device(s, pid, r->channel, r->hardware, r->version, vid, now, &c[i],
				   err);
	if (!rc) {
		json_t *after =
		    json_pack("{s:s, s:I, s:s?, s:s?, s:s?, s:s}", "product", r->product, "count",
			      (json_int_t)r->count, "channel", r->channel, "hardware", r->hardware,
			      "version", r->version, "first", c[0].id);
		rc = store_audit(s, "device.enroll", "product", r->product, NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	if (rc) {
		vg_wipe(c, sizeof(*c) * (size_t)r->count);
		free(c);
		return rc;
	}
	*out = c;
	return VG_OK;
}

/* ---- enrollment tokens ---- */

int device_enrollment_issue(struct store *s, const struct device_enroll_req *r, int64_t ttl,
			    struct device_enrollment **out, struct vg_error *err)
{
	struct device_enrollment *c = NULL;
	int64_t pid = 0, vid = 0, now = vg_now();
	int rc;

	*out = NULL;
	if (r->count < 1 || r->count > DEVICE_ENROLL_MAX)
		return vg_error_set(err, VG_EINVAL, "--count %lld: expected 1 to %d",
				    (long long)r->count, DEVICE_ENROLL_MAX);
	if (ttl < 60 || ttl > DEVICE_ENROLL_TTL_MAX)
		return vg_error_set(err, VG_EINVAL,
				    "--ttl: expected a lifetime from 1m to 30d (e.g. 24h)");
	if ((rc = check_tag("--channel", r->channel, err)) ||
	    (rc = check_tag("--hardware", r->hardware, err)))
		return rc;
	c = calloc((size_t)r->count, sizeof(*c));
	if (!c)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = product_id_of(s, r->product, &pid, err);
	if (!rc && r->version) {
		rc = device_version_id(s, pid, r->version, &vid, err);
		if (!rc && !vid)
			rc = vg_error_set(err, VG_ENOTFOUND,
					  "--version '%s': not a version of product '%s'",
					  r->version, r->product);
	}
	for (int64_t i = 0; !rc && i < r->count; i++) {
		char hash[VG_SHA256_HEX], tok[60];
		if (vg_random_token(tok, sizeof(tok), 32)) {
			rc = vg_error_set(err, VG_EINTERNAL, "cannot make an enrollment token");
			break;
		}
		snprintf(c[i].token, sizeof(c[i].token), "%s%s", DEVICE_ENROLL_PREFIX, tok);
		vg_wipe(tok, sizeof(tok));
		c[i].expires_at = now + ttl;
		vg_sha256_hex(c[i].token, strlen(c[i].token), hash);
		rc = store_exec_cached(s, err,
				       "INSERT INTO device_enrollments (token_hash, product_id, "
				       "channel, hardware, version, created_at, created_by, "
				       "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				       "titttiti", hash, pid, r->channel, r->hardware, r->version,
				       now, store_actor(s), c[i].expires_at);
		if (!rc)
			rc = store_query_int64(s, &c[i].id, err,
					       "SELECT id FROM device_enrollments WHERE "
					       "token_hash = ?",
					       "t", hash);
	}
	if (!rc) {
		json_t *after = json_pack(
		    "{s:s, s:I, s:s?, s:s?, s:s?, s:o, s:I, s:I}", "product", r->product, "count",
		    (json_int_t)r->count, "channel", r->channel, "hardware", r->hardware, "version",
		    r->version, "expires_at", vg_json_time(now + ttl), "first", (json_int_t)c[0].id,
		    "last", (json_int_t)c[r->count - 1].id);
		rc = store_audit(s, "device.enrollment_issue", "product", r->product, NULL, after,
				 err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	if (rc) {
		vg_wipe(c, sizeof(*c) * (size_t)r->count);
		free(c);
		return rc;
	}
	*out = c;
	return VG_OK;
}

/* A refused exchange of a known enrollment token (replayed, expired,
 * revoked) is audited in its own transaction: a replay is a sign the token
 * leaked. */
static void audit_refused(struct store *s, int64_t eid, const char *why)
{
	struct vg_error e2 = {0};
	char oid[32];
	json_t *after = json_pack("{s:s}", "refused", why);
	snprintf(oid, sizeof(oid), "%lld", (long long)eid);
	if (!store_tx_begin(s, &e2)) {
		int rc =
		    store_audit(s, "device.enroll_refused", "enrollment", oid, NULL, after, &e2);
		if (store_tx_end(s, rc, &e2))
			vg_warn("refused enrollment %lld not audited: %s", (long long)eid,
				vg_error_msg(&e2));
	}
	json_decref(after);
}

int device_enrollment_exchange(struct store *s, const char *token, struct device_cred *out,
			       struct vg_error *err)
{
	char hash[VG_SHA256_HEX];
	struct store_stmt *st = NULL;
	size_t n = token ? strlen(token) : 0;
	int64_t eid = 0, pid = 0, expires = 0, used = 0, revoked = 0, vid = 0, now = vg_now();
	char *channel = NULL, *hardware = NULL, *version = NULL, *winner = NULL;
	const char *why = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (n < sizeof(DEVICE_ENROLL_PREFIX) || n > 100 ||
	    strncmp(token, DEVICE_ENROLL_PREFIX, sizeof(DEVICE_ENROLL_PREFIX) - 1) != 0)
		return vg_error_set(err, VG_EINVAL,
				    "enrollment_token: expected the one-time enrollment token "
				    "(\"vge_...\") from `vigil device enroll --enrollment-token`");
	vg_sha256_hex(token, n, hash);
	rc = store_tx_begin(s, err);
	if (rc)
		return rc;
	rc = store_prepare(s,
			   "SELECT id, product_id, channel, hardware, version, expires_at, "
			   "COALESCE(used_at, 0), COALESCE(revoked_at, 0) FROM device_enrollments "
			   "WHERE token_hash = ?",
			   &st, err);
	if (!rc) {
		store_bind_text(st, 1, hash);
		rc = store_step(st, err);
		if (rc == STORE_ROW) {
			eid = store_col_int64(st, 0);
			pid = store_col_int64(st, 1);
			if (!store_col_isnull(st, 2))
				channel = strdup(store_col_text(st, 2));
			if (!store_col_isnull(st, 3))
				hardware = strdup(store_col_text(st, 3));
			if (!store_col_isnull(st, 4))
				version = strdup(store_col_text(st, 4));
			expires = store_col_int64(st, 5);
			used = store_col_int64(st, 6);
			revoked = store_col_int64(st, 7);
			rc = VG_OK;
		} else if (rc == STORE_DONE) {
			rc = vg_error_set(
			    err, VG_EAUTH,
			    "enrollment_token: not an enrollment token of this server");
		}
		store_finalize(st);
	}
	if (!rc) {
		if (used)
			why = "used already";
		else if (revoked)
			why = "revoked";
		else if (now >= expires)
			why = "expired";
		if (why)
			rc = vg_error_set(err, used ? VG_EEXIST : VG_ESTATE,
					  "enrollment token %s: ask the operator for a new one "
					  "(it is good for one device, once, before it expires)",
					  why);
	}
	if (!rc && version) {
		rc = device_version_id(s, pid, version, &vid, err);
		if (!rc && !vid) /* the version was deleted since: enroll without it */
			version = (free(version), NULL);
	}
	if (!rc)
		rc = insert_device(s, pid, channel, hardware, version, vid, now, out, err);
	/* single use, also against a second server exchanging the same token
	 * at the same time: only the update that finds it unused wins */
	if (!rc)
		rc = store_exec(s, err,
				"UPDATE device_enrollments SET used_at = ?, device_id = ? WHERE id "
				"= ? AND used_at IS NULL AND revoked_at IS NULL",
				"iti", now, out->id, eid);
	if (!rc)
		rc = store_query_text(s, &winner, err,
				      "SELECT device_id FROM device_enrollments WHERE id = ?", "i",
				      eid);
	if (!rc && (!winner || strcmp(winner, out->id) != 0)) {
		why = "used already";
		rc = vg_error_set(err, VG_EEXIST, "enrollment token used already");
	}
	if (!rc) {
		json_t *after = json_pack("{s:I, s:I, s:s?, s:s?, s:s?}", "enrollment",
					  (json_int_t)eid, "product_id", (json_int_t)pid, "channel",
					  channel, "hardware", hardware, "version", version);
		rc = store_audit(s, "device.enroll_exchange", "device", out->id, NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	free(channel);
	free(hardware);
	free(version);
	free(winner);
	vg_wipe(hash, sizeof(hash));
	if (rc) {
		vg_wipe(out, sizeof(*out));
		if (why && eid)
			audit_refused(s, eid, why);
		return rc;
	}
	return VG_OK;
}

int device_enrollment_revoke(struct store *s, int64_t id, struct vg_error *err)
{
	int64_t used = 0, revoked = 0;
	char oid[32];
	int rc = store_tx_begin(s, err);
	if (!rc)
		rc = store_query_int64(
		    s, &used, err,
		    "SELECT COALESCE(used_at, 0) FROM device_enrollments WHERE id "
		    "= ?",
		    "i", id);
	if (rc == VG_ENOTFOUND)
		rc = vg_error_set(err, VG_ENOTFOUND, "enrollment token %lld not found",
				  (long long)id);
	if (!rc)
		rc = store_query_int64(s, &revoked, err,
				       "SELECT COALESCE(revoked_at, 0) FROM device_enrollments "
				       "WHERE id = ?",
				       "i", id);
	if (!rc && (used || revoked))
		rc = vg_error_set(err, VG_ESTATE, "enrollment token %lld is %s already",
				  (long long)id, used ? "used" : "revoked");
	if (!rc)
		rc = store_exec(s, err, "UPDATE device_enrollments SET revoked_at = ? WHERE id = ?",
				"ii", vg_now(), id);
	if (!rc) {
		snprintf(oid, sizeof(oid), "%lld", (long long)id);
		rc = store_audit(s, "device.enrollment_revoke", "enrollment", oid, NULL, NULL, err);
	}
	return store_tx_end(s, rc, err);
}

#define DEV_COLS                                                                           \
	"d.id, d.product_id, p.product, d.channel, d.hardware, d.installed_version, "      \
	"COALESCE(d.version_id, 0), COALESCE(d.last_seen, 0), COALESCE(d.created_at, 0), " \
	"COALESCE(d.revoked_at, 0), d.cohort"

static int read_devices(struct store *s, struct store_stmt *st, struct device_list *out,
			struct vg_error *err)
{
	struct store_reader r = {st, &out->mem, 0};
	struct device *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	(void)s;
	while ((rc = store_step(r.st, err)) == STORE_ROW) {
		if (!(v = store_reader_grow(&r, v, n, &cap, sizeof(*v))))
			break;
		v[n].id = store_reader_str(&r, 0);
		v[n].product_id = store_reader_int(&r, 1, 0);
		v[n].product = store_reader_str(&r, 2);
		v[n].channel = store_reader_str(&r, 3);
		v[n].hardware = store_reader_str(&r, 4);
		v[n].installed_version = store_reader_str(&r, 5);
		v[n].version_id = store_reader_int(&r, 6, 0);
		v[n].last_seen = store_reader_int(&r, 7, 0);
		v[n].created_at = store_reader_int(&r, 8, 0);
		v[n].revoked_at = store_reader_int(&r, 9, 0);
		v[n].cohort = (int)store_reader_int(&r, 10, 0);
		n++;
	}
	rc = store_reader_done(&r, rc, err);
	out->items = v;
	out->n = n;
	return rc;
}

/* The last_seen times not yet written (by id), merged into what is read so
 * a listing shows the newest. */
static int64_t seen_pending(const char *id);

int device_list(struct store *s, const struct device_filter *f, struct device_list *out,
		struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc, i = 1;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	rc = store_prepare(
	    s,
	    "SELECT " DEV_COLS " FROM devices d JOIN sbom_product_view p ON "
	    "p.product_id = d.product_id WHERE (CAST(? AS TEXT) IS NULL OR p.product = ?) AND "
	    "(CAST(? AS TEXT) IS NULL OR d.installed_version = ?) AND (CAST(? AS TEXT) IS NULL OR "
	    "d.channel = ?) "
	    "ORDER BY p.product, d.id LIMIT ? OFFSET ?",
	    &st, err);
	if (rc)
		return rc;
	store_bind_text(st, i++, f->product);
	store_bind_text(st, i++, f->product);
	store_bind_text(st, i++, f->version);
	store_bind_text(st, i++, f->version);
	store_bind_text(st, i++, f->channel);
	store_bind_text(st, i++, f->channel);
	store_bind_int64(st, i++, f->limit > 0 ? f->limit : INT64_MAX);
	store_bind_int64(st, i++, f->offset);
	rc = read_devices(s, st, out, err);
	if (rc) {
		device_list_release(out);
		return rc;
	}
	for (size_t k = 0; k < out->n; k++) {
		int64_t t = seen_pending(out->items[k].id);
		if (t > out->items[k].last_seen)
			out->items[k].last_seen = t;
	}
	out->total = (int64_t)out->n;
	return VG_OK;
}

int device_get(struct store *s, const char *id, struct device_list *out, struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	vg_arena_init(&out->mem, 0);
	rc = store_prepare(s,
			   "SELECT " DEV_COLS " FROM devices d JOIN sbom_product_view p ON "
			   "p.product_id = d.product_id WHERE d.id = ?",
			   &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, id);
	rc = read_devices(s, st, out, err);
	if (!rc && out->n == 0)
		rc = vg_error_set(err, VG_ENOTFOUND, "device '%s' not found", id);
	if (rc) {
		device_list_release(out);
		return rc;
	}
	{
		int64_t t = seen_pending(id);
		if (t > out->items[0].last_seen)
			out->items[0].last_seen = t;
	}
	out->total = 1;
	return VG_OK;
}

int device_revoke(struct store *s, const char *id, const char *reason, struct vg_error *err)
{
	struct device_list d;
	int rc;

	if (reason && (rc = vg_text_check("reason", reason, 1000, 1, 0, err)))
		return rc;
	rc = store_tx_begin(s, err);
	if (!rc)
		rc = device_get(s, id, &d, err);
	if (rc)
		return store_tx_end(s, rc, err);
	if (d.items[0].revoked_at)
		rc = vg_error_set(err, VG_ESTATE, "device '%s' is revoked already", id);
	if (!rc)
		rc = store_exec(
		    s, err,
		    "UPDATE devices SET revoked_at = ?, revoked_by = ?, revoke_reason = ? "
		    "WHERE id = ?",
		    "ittt", vg_now(), store_actor(s), reason, id);
	if (!rc)
		rc = rollout_epoch_bump(s, err); /* every server drops its cached tokens */
	if (!rc) {
		json_t *after =
		    json_pack("{s:s, s:s?}", "product", d.items[0].product, "reason", reason);
		rc = store_audit(s, "device.revoke", "device", id, NULL, after, err);
		json_decref(after);
	}
	device_list_release(&d);
	return store_tx_end(s, rc, err);
}

json_t *device_to_json(const struct device *d)
{
	json_t *o = json_pack(
	    "{s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:i}", "id", d->id, "product",
	    d->product ? d->product : "", "product_id", (json_int_t)d->product_id, "channel",
	    vg_json_text(d->channel), "hardware", vg_json_text(d->hardware), "installed_version",
	    vg_json_text(d->installed_version), "version_id",
	    d->version_id ? json_integer(d->version_id) : json_null(), "last_seen",
	    d->last_seen ? vg_json_time(d->last_seen) : json_null(), "created_at",
	    vg_json_time(d->created_at), "revoked", d->revoked_at != 0, "cohort", d->cohort);
	if (o && d->revoked_at)
		json_object_set_new(o, "revoked_at", vg_json_time(d->revoked_at));
	return o;
}

/* ---- the token check ---- */

/*
 * Verified tokens, kept in memory: by the SHA-256 of the token (never the
 * token), the device row the check-in needs and the rollout epoch of the
 * read. An entry serves only while the epoch read at this request is the
 * same (a revocation bumps it in its transaction: every server drops every
 * entry at its next check-in); a device that changes is written back by
 * this server (device_row_keep) or re-read by the check-in's update.
 * Bounded: DEVICE_CACHE_WAYS-way sets, update.device_cache entries in all,
 * a full set replaces one of its entries.
 */
#define DEVICE_CACHE_WAYS    8
#define DEVICE_CACHE_STRIPES 64

struct dc_row {
	int64_t product_id;
	int64_t status_seq;
	int cohort;
	unsigned char has_channel, has_hardware, has_version;
	char s[]; /* id, channel, hardware, version, each NUL-terminated */
};
struct dc_slot {
	unsigned char h[32];
	int64_t epoch;
	struct dc_row *row; /* NULL: empty */
};
static pthread_mutex_t dc_mu[DEVICE_CACHE_STRIPES];
static pthread_once_t dc_once = PTHREAD_ONCE_INIT;
static struct dc_slot *dc_tab;
static size_t dc_sets; /* a power of two; 0: no cache */

static void dc_init(void)
{
	int64_t n = vg_config_int("update.device_cache", DEVICE_CACHE_DEFAULT);
	size_t sets = 1;
	for (int i = 0; i < DEVICE_CACHE_STRIPES; i++)
		pthread_mutex_init(&dc_mu[i], NULL);
	if (n <= 0)
		return;
	while (sets * DEVICE_CACHE_WAYS < (size_t)n && sets < ((size_t)1 << 24))
		sets <<= 1;
	dc_tab = calloc(sets * DEVICE_CACHE_WAYS, sizeof(*dc_tab));
	if (dc_tab)
		dc_sets = sets;
}

static size_t dc_set(const unsigned char h[32])
{
	uint64_t v;
	memcpy(&v, h, sizeof(v));
	return (size_t)v & (dc_sets - 1);
}

static struct dc_row *dc_row_make(const struct device_row *d)
{
	size_t a = strlen(d->id) + 1, b = strlen(d->channel) + 1, c = strlen(d->hardware) + 1,
	       e = strlen(d->version) + 1;
	struct dc_row *r = malloc(sizeof(*r) + a + b + c + e);
	if (!r)
		return NULL;
	r->product_id = d->product_id;
	r->status_seq = d->status_seq;
	r->cohort = d->cohort;
	r->has_channel = (unsigned char)d->has_channel;
	r->has_hardware = (unsigned char)d->has_hardware;
	r->has_version = (unsigned char)d->has_version;
	memcpy(r->s, d->id, a);
	memcpy(r->s + a, d->channel, b);
	memcpy(r->s + a + b, d->hardware, c);
	memcpy(r->s + a + b + c, d->version, e);
	return r;
}

static void dc_row_read(const struct dc_row *r, struct device_row *d)
{
	const char *p = r->s;
	memset(d, 0, sizeof(*d));
	d->product_id = r->product_id;
	d->status_seq = r->status_seq;
	d->cohort = r->cohort;
	d->has_channel = r->has_channel;
	d->has_hardware = r->has_hardware;
	d->has_version = r->has_version;
	snprintf(d->id, sizeof(d->id), "%s", p);
	p += strlen(p) + 1;
	snprintf(d->channel, sizeof(d->channel), "%s", p);
	p += strlen(p) + 1;
	snprintf(d->hardware, sizeof(d->hardware), "%s", p);
	p += strlen(p) + 1;
	snprintf(d->version, sizeof(d->version), "%s", p);
}

/* The row of hash at epoch into *d: 1, or 0 when not kept. */
static int dc_get(const unsigned char h[32], int64_t epoch, struct device_row *d)
{
	size_t set, i;
	int found = 0;
	pthread_once(&dc_once, dc_init);
	if (!dc_sets)
		return 0;
	set = dc_set(h);
	pthread_mutex_lock(&dc_mu[set % DEVICE_CACHE_STRIPES]);
	for (i = set * DEVICE_CACHE_WAYS; i < (set + 1) * DEVICE_CACHE_WAYS; i++) {
		struct dc_slot *x = &dc_tab[i];
		if (x->row && x->epoch == epoch && memcmp(x->h, h, 32) == 0) {
			dc_row_read(x->row, d);
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(&dc_mu[set % DEVICE_CACHE_STRIPES]);
	return found;
}

/* Keep (or replace) the row of hash read at epoch. */
static void dc_put(const unsigned char h[32], int64_t epoch, const struct device_row *d)
{
	struct dc_row *r, *old = NULL;
	struct dc_slot *slot = NULL;
	size_t set, i;

	pthread_once(&dc_once, dc_init);
	if (!dc_sets || !(r = dc_row_make(d)))
		return;
	set = dc_set(h);
	pthread_mutex_lock(&dc_mu[set % DEVICE_CACHE_STRIPES]);
	for (i = set * DEVICE_CACHE_WAYS; i < (set + 1) * DEVICE_CACHE_WAYS; i++) {
		struct dc_slot *x = &dc_tab[i];
		if (x->row && memcmp(x->h, h, 32) == 0) {
			slot = x; /* this token's entry */
			break;
		}
		if (!slot && (!x->row || x->epoch != epoch))
			slot = x; /* empty or stale */
	}
	if (!slot) /* a full set: replace one, chosen by the hash */
		slot = &dc_tab[set * DEVICE_CACHE_WAYS + (h[8] % DEVICE_CACHE_WAYS)];
	old = slot->row;
	memcpy(slot->h, h, 32);
	slot->epoch = epoch;
	slot->row = r;
	pthread_mutex_unlock(&dc_mu[set % DEVICE_CACHE_STRIPES]);
	free(old);
}

/* Drop the entry of hash (when there is one). */
static void dc_drop(const unsigned char h[32])
{
	struct dc_row *old = NULL;
	size_t set, i;

	pthread_once(&dc_once, dc_init);
	if (!dc_sets)
		return;
	set = dc_set(h);
	pthread_mutex_lock(&dc_mu[set % DEVICE_CACHE_STRIPES]);
	for (i = set * DEVICE_CACHE_WAYS; i < (set + 1) * DEVICE_CACHE_WAYS; i++)
		if (dc_tab[i].row && memcmp(dc_tab[i].h, h, 32) == 0) {
			old = dc_tab[i].row;
			dc_tab[i].row = NULL;
			break;
		}
	pthread_mutex_unlock(&dc_mu[set % DEVICE_CACHE_STRIPES]);
	free(old);
}

/* The row of this thread's last token check, the token's hash and the
 * epoch it was verified at (for the check-in of the same request). */
static _Thread_local struct device_row last_row;
static _Thread_local unsigned char last_hash[32];
static _Thread_local int64_t last_epoch;
static _Thread_local int last_has_hash;
static _Thread_local char last_id[32];

int device_row_take(const char *id, struct device_row *out)
{
	if (!last_row.id[0] || strcmp(last_row.id, id) != 0)
		return 0;
	*out = last_row;
	last_row.id[0] = '\0';
	return 1;
}

void device_row_keep(const struct device_row *d)
{
	if (last_has_hash && strcmp(d->id, last_id) == 0)
		dc_put(last_hash, last_epoch, d);
}

void device_row_forget(void)
{
	if (last_has_hash)
		dc_drop(last_hash);
}

static int read_by_hash(struct store *s, const char *hex, struct device_row *d, int *revoked,
			struct vg_error *err)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare_cached(
	    s,
	    "SELECT id, COALESCE(revoked_at, 0), product_id, channel, hardware, "
	    "installed_version, cohort, status_seq FROM devices WHERE "
	    "token_hash = ?",
	    &st, err);
	if (rc)
		return rc;
	store_bind_text(st, 1, hex);
	rc = store_step(st, err);
	if (rc == STORE_ROW) {
		memset(d, 0, sizeof(*d));
		*revoked = store_col_int64(st, 1) != 0;
		snprintf(d->id, sizeof(d->id), "%s", store_col_text(st, 0));
		d->product_id = store_col_int64(st, 2);
		if ((d->has_channel = !store_col_isnull(st, 3)))
			snprintf(d->channel, sizeof(d->channel), "%s", store_col_text(st, 3));
		if ((d->has_hardware = !store_col_isnull(st, 4)))
			snprintf(d->hardware, sizeof(d->hardware), "%s", store_col_text(st, 4));
		if ((d->has_version = !store_col_isnull(st, 5)))
			snprintf(d->version, sizeof(d->version), "%s", store_col_text(st, 5));
		d->cohort = (int)store_col_int64(st, 6);
		d->status_seq = store_col_int64(st, 7);
		rc = VG_OK;
	} else if (rc == STORE_DONE) {
		rc = vg_error_set(err, VG_EAUTH, "invalid device token");
	}
	store_finalize(st);
	return rc;
}

int device_authenticate(struct store *s, const char *token, char id[32], struct vg_error *err)
{
	unsigned char h[32];
	char hex[VG_SHA256_HEX];
	struct device_row d;
	size_t n = token ? strlen(token) : 0;
	int64_t epoch = 0;
	int rc, revoked = 0;

	id[0] = '\0';
	last_row.id[0] = '\0';
	if (n < sizeof(DEVICE_TOKEN_PREFIX) || n > 100 ||
	    strncmp(token, DEVICE_TOKEN_PREFIX, sizeof(DEVICE_TOKEN_PREFIX) - 1) != 0) {
		last_has_hash = 0;
		return vg_error_set(err, VG_EAUTH, "invalid device token");
	}
	vg_sha256(token, n, h);
	/* the epoch first: a revocation committed before it is seen below.
	 * Read anew unless this is the same token checked again (the check on
	 * the headers, then after the body of one request) */
	if (!last_has_hash || memcmp(last_hash, h, sizeof(h)) != 0)
		rollout_epoch_forget();
	last_has_hash = 0;
	if ((rc = rollout_epoch_now(s, &epoch, err)))
		return rc;
	if (!dc_get(h, epoch, &d)) {
		vg_hex(h, sizeof(h), hex);
		rc = read_by_hash(s, hex, &d, &revoked, err);
		if (!rc && revoked)
			rc = vg_error_set(err, VG_EAUTH, "device token revoked");
		if (rc)
			return rc;
		dc_put(h, epoch, &d);
	}
	snprintf(id, 32, "%s", d.id);
	last_row = d;
	snprintf(last_id, sizeof(last_id), "%s", d.id);
	memcpy(last_hash, h, sizeof(h));
	last_epoch = epoch;
	last_has_hash = 1;
	return VG_OK;
}

/* ---- last seen, in memory ---- */

struct seen {
	char id[32];
	int64_t at;
	int64_t offer_rollout; /* 0: none offered since the last flush */
	int64_t offer_at;
	int offer_stage;
};
static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;
static struct seen *seen_tab;
static size_t seen_cap, seen_n;

static size_t seen_hash(const char *id)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

static void seen_put_locked(const char *id, int64_t at, int64_t rollout, int stage)
{
	size_t i;
	if (seen_n * 2 >= seen_cap) {
		size_t nc = seen_cap ? seen_cap * 2 : 4096;
		struct seen *nt = calloc(nc, sizeof(*nt));
		if (!nt)
			return; /* the time is lost; the next check-in records it */
		for (size_t k = 0; k < seen_cap; k++)
			if (seen_tab[k].id[0]) {
				size_t j = seen_hash(seen_tab[k].id) & (nc - 1);
				while (nt[j].id[0])
					j = (j + 1) & (nc - 1);
				nt[j] = seen_tab[k];
			}
		free(seen_tab);
		seen_tab = nt;
		seen_cap = nc;
	}
	i = seen_hash(id) & (seen_cap - 1);
	while (seen_tab[i].id[0] && strcmp(seen_tab[i].id, id) != 0)
		i = (i + 1) & (seen_cap - 1);
	if (!seen_tab[i].id[0]) {
		snprintf(seen_tab[i].id, sizeof(seen_tab[i].id), "%s", id);
		seen_n++;
	}
	if (at > seen_tab[i].at)
		seen_tab[i].at = at;
	if (rollout && seen_tab[i].offer_rollout != rollout) {
		seen_tab[i].offer_rollout = rollout;
		seen_tab[i].offer_stage = stage;
		seen_tab[i].offer_at = at;
	}
}

void device_seen(const char *id, int64_t at, int64_t offered_rollout, int stage)
{
	pthread_mutex_lock(&seen_mu);
	seen_put_locked(id, at, offered_rollout, stage);
	pthread_mutex_unlock(&seen_mu);
}

static int64_t seen_pending(const char *id)
{
	int64_t at = 0;
	pthread_mutex_lock(&seen_mu);
	if (seen_cap) {
		size_t i = seen_hash(id) & (seen_cap - 1);
		while (seen_tab[i].id[0]) {
			if (strcmp(seen_tab[i].id, id) == 0) {
				at = seen_tab[i].at;
				break;
			}
			i = (i + 1) & (seen_cap - 1);
		}
	}
	pthread_mutex_unlock(&seen_mu);
	return at;
}

int device_offer_record(struct store *s, int64_t rollout_id, const char *id, int stage, int64_t at,
			struct vg_error *err)
{
	return store_exec_cached(s, err,
				 "INSERT INTO rollout_offers (rollout_id, device_id, stage, "
				 "offered_at) VALUES (?, ?, ?, ?) ON CONFLICT (rollout_id, "
				 "device_id) DO NOTHING",
				 "itii", rollout_id, id, (int64_t)stage, at);
}

int device_flush_seen(struct store *s, struct vg_error *err)
{
	struct seen *tab;
	size_t cap, n;
	int64_t written = 0, offers = 0;
	int rc;

	pthread_mutex_lock(&seen_mu);
	tab = seen_tab;
	cap = seen_cap;
	n = seen_n;
	seen_tab = NULL;
	seen_cap = seen_n = 0;
	pthread_mutex_unlock(&seen_mu);
	if (!n) {
		free(tab);
		return VG_OK;
	}
	rc = store_tx_begin(s, err);
	for (size_t i = 0; !rc && i < cap; i++) {
		if (!tab[i].id[0])
			continue;
		rc = store_exec_cached(s, err,
				       "UPDATE devices SET last_seen = ? WHERE id = ? AND "
				       "(last_seen IS NULL OR last_seen < ?)",
				       "iti", tab[i].at, tab[i].id, tab[i].at);
		written++;
		if (!rc && tab[i].offer_rollout) {
			rc = device_offer_record(s, tab[i].offer_rollout, tab[i].id,
						 tab[i].offer_stage, tab[i].offer_at, err);
			offers++;
		}
	}
	if (!rc) {
		json_t *after = json_pack("{s:I, s:I}", "devices", (json_int_t)written, "offers",
					  (json_int_t)offers);
		rc = store_audit(s, "device.seen", "devices", "last_seen", NULL, after, err);
		json_decref(after);
	}
	rc = store_tx_end(s, rc, err);
	if (rc) {
		/* keep the times for the next flush */
		pthread_mutex_lock(&seen_mu);
		for (size_t i = 0; i < cap; i++)
			if (tab[i].id[0])
				seen_put_locked(tab[i].id, tab[i].at, tab[i].offer_rollout,
						tab[i].offer_stage);
		pthread_mutex_unlock(&seen_mu);
	}
	free(tab);
	return rc;
}
