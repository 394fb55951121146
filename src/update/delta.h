/*
 * delta.h - the server side of binary delta updates (issue 20): which
 * deltas exist between published releases, and the one lookup the device
 * check-in (issue 19) asks when it offers an update.
 *
 * The patch format and the make/apply code are in delta_format.h and
 * delta_apply.{h,c} (the apply side is a unit a device client embeds).
 * This header is the contract between the check-in and the delta store:
 * the check-in calls delta_offer_find() with the device's installed
 * version and the release it is about to offer; the answer is a TUF
 * target (name, length, SHA-256) the device fetches and verifies like any
 * other target, then checks the rebuilt image against the full target's
 * hash.
 */
#ifndef VIGIL_UPDATE_DELTA_H
#define VIGIL_UPDATE_DELTA_H

#include "core/error.h"
#include "core/json.h"

#include <stdint.h>

struct store;
struct vg_error;

/* A delta a device may take instead of the full image. */
struct delta_offer {
	char target[512];      /* TUF target name of the patch */
	uint64_t length;       /* bytes of the patch */
	char sha256[65];       /* hex SHA-256 of the patch */
	char full_target[512]; /* the full image it rebuilds */
	char from_version[128];
};

/*
 * The delta from product version from_version to release release_id's
 * artifact full_target (the target the check-in would offer), if one was
 * made and published, and it is smaller than the full image by the
 * configured factor (update.delta_max_ratio). Returns VG_OK with *found
 * set to 1 and *out filled, or VG_OK with *found 0 when there is none;
 * another code only on a database error.
 */
int delta_offer_find(struct store *s, int64_t release_id, const char *full_target,
		     const char *from_version, struct delta_offer *out, int *found,
		     struct vg_error *err) VG_MUST_CHECK;

/* The settings: update.delta_max_ratio (a delta is offered when its length
 * is at most this share of the full image's; default 0.5) and
 * update.delta_from (deltas are made from the last K published releases of
 * the product; default 3, 0 makes none). */
#define DELTA_MAX_RATIO_DEFAULT 0.5
#define DELTA_FROM_DEFAULT      3
double delta_max_ratio(void);
/* update.delta_method: the body of the deltas the server makes, "zstd"
 * (DELTA_METHOD_BSZ, the default: every device client applies it) or
 * "lzma" (DELTA_METHOD_BSX: 5 to 10 % smaller, for fleets whose client is
 * built with -DDELTA_APPLY_LZMA). */
int delta_method(void);
int64_t delta_from_count(void);
/* update.delta_max_image: no delta is made from or to an artifact larger
 * than this (bytes; the full image is offered, audited delta.skip). Making
 * one takes about 6 bytes of memory per image byte for two versions of an
 * image (both images, the suffix array of the old one, the bodies), up to 9
 * for unrelated images (measured in docs/delta-format.md): the default,
 * 256 MiB, bounds a delta at about 2.3 GiB. */
#define DELTA_MAX_IMAGE_DEFAULT ((int64_t)256 << 20)
#define DELTA_MAX_IMAGE_MIN     ((int64_t)1)
int64_t delta_max_image(void);

/* JSON of an answer of delta_offer_find() ({"found": false} when none). */
json_t *delta_offer_to_json(const struct delta_offer *o, int found);

/*
 * Queue a published release for the job "delta.make" (one audited
 * transaction, "delta.queue"; queuing twice changes nothing). Called on the
 * event release.published, subscribed by delta_init().
 */
int delta_queue(struct store *s, int64_t release_id, struct vg_error *err) VG_MUST_CHECK;
void delta_init(void);

/*
 * Make the deltas of a published release: for each artifact, from the
 * artifact of the same name in each of the last update.delta_from published,
 * unyanked releases of the product (when its bytes differ and the patch is
 * smaller than the artifact), published as TUF targets
 * PRODUCT/NAME.from-VERSION.vgdelta of the product's delegated role and
 * recorded in deltas, with the release's queue entry marked done, in one
 * transaction audited "delta.make". *made (may be NULL) gets how many.
 */
int delta_make_release(struct store *s, int64_t release_id, int64_t *made,
		       struct vg_error *err) VG_MUST_CHECK;
/* Make the deltas of every queued release (the job "delta.make"); a release
 * that fails is marked done with its error (audited "delta.make_failed").
 * *releases and *made (may be NULL) get the counts. */
int delta_run_pending(struct store *s, int64_t *releases, int64_t *made,
		      struct vg_error *err) VG_MUST_CHECK;
/* The job: delta_jobs[] (jobs/jobs.h), listed in src/app/tables.c. */

/* The deltas made (of one release when release_id is not 0), as rows. */
int delta_list(struct store *s, int64_t release_id, json_t **out,
	       struct vg_error *err) VG_MUST_CHECK;

/* `vigil delta ...` (cmd_delta.c) */
struct cli;
int cmd_delta(struct cli *c, int argc, char **argv);

#endif
