/*
 * review.h - the PSIRT's review rule other rooms reuse (the advisory room's
 * approvals): whether four-eyes review is in force. One setting,
 * art14.four_eyes, for Article 14 drafts and CSAF advisories alike.
 */
#ifndef VIGIL_PSIRT_REVIEW_H
#define VIGIL_PSIRT_REVIEW_H

#include "core/error.h"

struct store;
struct vg_error;

/*
 * Whether four-eyes review is in force (*on): setting art14.four_eyes is
 * "auto" (default: on when psirt_people() are two or more), "always" (also
 * "on", "1") or "off" (also "0"). In force, nobody approves a draft version
 * they built. VG_EINVAL for another value of the setting.
 */
int psirt_four_eyes(struct store *s, int *on, struct vg_error *err) VG_MUST_CHECK;

#endif
