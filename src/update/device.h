/*
 * device.h - devices of a product and their credentials, the check-in and
 * the status reports (issue 19, items 1 and 2).
 *
 * A device is enrolled for one product (`vigil device enroll`) and gets one
 * credential: a random token ("vgd_" + 43 base64url characters) shown once,
 * of which only the SHA-256 is kept (devices.token_hash). With it the device
 * has role ROLE_DEVICE and may only check in and report for itself; every
 * other route refuses it (the route table's role bits).
 *
 * Table devices (migration 0026; the fleet exposure reads it):
 *   id TEXT PRIMARY KEY         "dev-" + 16 hex digits, random
 *   product_id BIGINT NOT NULL  products.id
 *   channel, hardware TEXT      as enrolled or last said at check-in
 *   installed_version TEXT      as last said at check-in / status installed
 *   version_id BIGINT NULL      product_versions.id of installed_version
 *   last_seen BIGINT            Unix seconds, written in batches
 *   created_at, revoked_at      revoked_at NULL or 0: active
 *   cohort BIGINT               device_cohort(id), 0..9999
 *
 * The check-in costs no write on its hot path: last_seen is kept in memory
 * and written by the job "device.flush" on every server (and at stop); the
 * installed version is written only when it changed. Nor a read beyond the
 * rollout epoch: verified tokens are kept in memory by their SHA-256 with
 * the device row, valid while the epoch stays (a revocation bumps it), and
 * the rollouts are a snapshot reloaded when the epoch moves (rollout.h).
 *
 * Rules: lookups that find nothing return VG_ENOTFOUND naming what was
 * asked; every change is one audited transaction; structs own their memory
 * (an arena) and are freed with their *_release(); JSON only at the edges.
 */
#ifndef VIGIL_UPDATE_DEVICE_H
#define VIGIL_UPDATE_DEVICE_H

#include "core/arena.h"
#include "core/error.h"
#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

#define DEVICE_TOKEN_PREFIX "vgd_"
#define DEVICE_ENROLL_MAX   100000 /* devices per enroll call */

struct device {
	const char *id;
	int64_t product_id;
	const char *product;
	const char *channel;  /* NULL: none */
	const char *hardware; /* NULL: none */
	const char *installed_version;
	int64_t version_id; /* 0: not a known version of the product */
	int64_t last_seen;  /* 0: never */
	int64_t created_at;
	int64_t revoked_at; /* 0: active */
	int cohort;         /* 0..9999 */
};

struct device_list {
	struct device *items;
	size_t n;
	int64_t total;
	struct vg_arena mem;
};
void device_list_release(struct device_list *l);

/* The stable cohort of a device id: 0..9999 (FNV-1a 64 of the id, mod
 * 10000). A stage of p % offers to devices with cohort < p * 100. */
int device_cohort(const char *id);

/* One enrolled device and its token (shown once). */
struct device_cred {
	char id[32];
	char token[64];
};

struct device_enroll_req {
	const char *product;
	int64_t count;        /* 1..DEVICE_ENROLL_MAX */
	const char *channel;  /* NULL: none */
	const char *hardware; /* NULL: none */
	const char *version;  /* NULL: none yet */
};
/* Enroll count devices of the product in one audited transaction; *out is
 * a malloc'ed array of count credentials (free() it, after wiping). */
int device_enroll(struct store *s, const struct device_enroll_req *r, struct device_cred **out,
		  struct vg_error *err) VG_MUST_CHECK;

/*
 * Enrollment tokens (table device_enrollments, migration 0043): instead of
 * credentials, `vigil device enroll --enrollment-token` issues count
 * one-time tokens ("vge_" + 43 base64url characters, shown once, only the
 * SHA-256 kept) good for ttl seconds. A device exchanges one at
 * POST /api/v1/device/enroll for its own credential: a new device of the
 * token's product (channel, hardware, version as issued). Single use (a
 * replay is refused, also by a second server at the same moment), refused
 * after expires_at (VIGIL_NOW) or when revoked; every issue, exchange and
 * refused exchange of a known token is audited.
 */
#define DEVICE_ENROLL_PREFIX  "vge_"
#define DEVICE_ENROLL_TTL     (24 * 3600)
#define DEVICE_ENROLL_TTL_MAX (30 * 24 * 3600)
struct device_enrollment {
	int64_t id;
	char token[64];
	int64_t expires_at;
};
/* count (r->count) enrollment tokens for r->product in one audited
 * transaction; *out is a malloc'ed array (wipe and free() it). */
int device_enrollment_issue(struct store *s, const struct device_enroll_req *r, int64_t ttl,
			    struct device_enrollment **out, struct vg_error *err) VG_MUST_CHECK;
/* Exchange an enrollment token for a new device's credential; nothing is
 * enrolled when it is malformed (VG_EINVAL), unknown (VG_EAUTH), used already
 * (VG_EEXIST), expired or revoked (VG_ESTATE). */
int device_enrollment_exchange(struct store *s, const char *token, struct device_cred *out,
			       struct vg_error *err) VG_MUST_CHECK;
/* Revoke an unused enrollment token by id (audited). */
int device_enrollment_revoke(struct store *s, int64_t id, struct vg_error *err) VG_MUST_CHECK;

struct device_filter {
	const char *product; /* NULL: all */
	const char *version; /* NULL: all */
	const char *channel; /* NULL: all */
	int64_t offset, limit;
};
int device_list(struct store *s, const struct device_filter *f, struct device_list *out,
		struct vg_error *err) VG_MUST_CHECK;
/* One device (out->n == 1). */
int device_get(struct store *s, const char *id, struct device_list *out,
	       struct vg_error *err) VG_MUST_CHECK;
/* Revoke a device's credential (audited with reason). */
int device_revoke(struct store *s, const char *id, const char *reason,
		  struct vg_error *err) VG_MUST_CHECK;
json_t *device_to_json(const struct device *d);

/* The device behind a token (auth's hook for "vgd_" tokens): its id into
 * id (32 bytes). VG_EAUTH when unknown or revoked. The row it read is kept
 * for this thread's next device_row_take() (the check-in of the same
 * request reads the device once). */
int device_authenticate(struct store *s, const char *token, char id[32],
			struct vg_error *err) VG_MUST_CHECK;

/* What the check-in needs of a device row. */
struct device_row {
	char id[32];
	int64_t product_id;
	char channel[72], hardware[72], version[128];
	int has_channel, has_hardware, has_version;
	int cohort;
	int64_t status_seq;
	int revoked;
};
/* The row device_authenticate() read last on this thread, when it was for
 * id (then forgotten): 1, or 0 when the caller must read it. */
int device_row_take(const char *id, struct device_row *out);
/* The device of this thread's last token check changed (this server wrote
 * it): keep d as its row in the verified-token cache, or forget the row. */
void device_row_keep(const struct device_row *d);
void device_row_forget(void);
/* Verified tokens kept in memory: setting update.device_cache (entries;
 * 0 turns the cache off). */
#define DEVICE_CACHE_DEFAULT 262144

/* ---- check-in and status (checkin.c) ---- */

struct device_checkin_req {
	const char *device_id;
	const char *version;  /* installed version, required */
	const char *hardware; /* NULL: unchanged */
	const char *channel;  /* NULL: unchanged */
};

struct device_checkin_resp {
	int install;        /* 0: none */
	int64_t product_id; /* the device's product (for the access event) */
	int64_t rollout_id;
	int64_t release_id;
	char version[128]; /* the version offered */
	char target[512];  /* TUF target name */
	uint64_t length;
	char sha256[65];
	int has_delta;
	char delta_target[512];
	uint64_t delta_length;
	char delta_sha256[65];
	char delta_from[128];
};
int device_checkin(struct store *s, const struct device_checkin_req *r,
		   struct device_checkin_resp *out, struct vg_error *err) VG_MUST_CHECK;
/* The body of POST /api/v1/device/checkin ({"version", "hardware"?,
 * "channel"?}) into *r (strings borrowed from b; device_id left as it is),
 * checked as device_checkin() checks it: VG_EINVAL naming the field. */
int device_checkin_req_from_json(const json_t *b, struct device_checkin_req *r,
				 struct vg_error *err) VG_MUST_CHECK;
json_t *device_checkin_resp_to_json(const struct device_checkin_resp *r);

enum device_status_kind {
	DEVICE_STATUS_DOWNLOADING = 1,
	DEVICE_STATUS_INSTALLING,
	DEVICE_STATUS_INSTALLED,
	DEVICE_STATUS_FAILED,
};
/* "downloading" -> DEVICE_STATUS_DOWNLOADING ...; 0 when unknown. */
int device_status_parse(const char *s);
const char *device_status_name(int kind);

struct device_status_req {
	const char *device_id;
	int64_t rollout_id;
	int kind;
	int64_t seq;            /* > the device's last counted seq */
	const char *error_code; /* failed: required */
};
/* Record a status report: VG_ENOTFOUND for a rollout the device is not
 * in, VG_EEXIST for a replayed sequence (nothing counted twice). */
int device_status(struct store *s, const struct device_status_req *r,
		  struct vg_error *err) VG_MUST_CHECK;
/* The body of POST /api/v1/device/status ({"rollout": id, "status", "seq",
 * "error"?}) into *r (strings borrowed from b; device_id left as it is),
 * checked as device_status() checks it: VG_EINVAL naming the field. */
int device_status_req_from_json(const json_t *b, struct device_status_req *r,
				struct vg_error *err) VG_MUST_CHECK;

/* Note that device id was seen at at and, when offered_rollout is not 0,
 * that this rollout (in its stage index stage) answered it "install"
 * (kept in memory, no write; device_flush_seen() writes both). */
void device_seen(const char *id, int64_t at, int64_t offered_rollout, int stage);
/* Record that rollout_id offered its release to device id (table
 * rollout_offers; the first offer counts, later ones change nothing). */
int device_offer_record(struct store *s, int64_t rollout_id, const char *id, int stage, int64_t at,
			struct vg_error *err) VG_MUST_CHECK;
/* The product_versions id of version in product_id into *id; 0 when the
 * product has no such version. */
int device_version_id(struct store *s, int64_t product_id, const char *version, int64_t *id,
		      struct vg_error *err) VG_MUST_CHECK;

/* Write the last_seen times and offers kept in memory (the device.flush
 * job, and at the server's stop). */
int device_flush_seen(struct store *s, struct vg_error *err) VG_MUST_CHECK;

struct cli;
int cmd_device(struct cli *c, int argc, char **argv);

#endif
