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

/* `vigil delta ...` (cmd_delta.c) */
struct cli;
int cmd_delta(struct cli *c, int argc, char **argv);

#endif
