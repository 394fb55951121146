/*
 * release_fix.h - a published security release as heard by the rooms that
 * may not include the update room (psirt, triage): the event
 * "release.published" (docs/architecture.md, events table) and its payload,
 * read into a typed struct by the one parser below.
 *
 * Payload members (made by update's release_published_payload()):
 *   release_id    integer > 0
 *   product       string, the product's name
 *   version       string, the version released
 *   version_id    integer > 0, sbom's product version id
 *   security      boolean
 *   fixes         array of strings, vulnerability ids (CVE-..., GHSA-...)
 *   published_at  string, RFC 3339 UTC (null: not published; refused)
 *
 * Triage keeps which vulnerabilities each published release fixes on its
 * product (table triage_fix_releases): a finding of such a vulnerability
 * (or of one of its aliases) on another version of that product points to
 * the release (finding show, the API, the finding page). Findings on the
 * released version itself are left to the matcher: the next match of that
 * version's SBOM retracts them once the vulnerable component is gone.
 */
#ifndef VIGIL_TRIAGE_RELEASE_FIX_H
#define VIGIL_TRIAGE_RELEASE_FIX_H

#include "core/error.h"
#include "core/json.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct vg_error;

#define RELEASE_PUBLISHED_EVENT "release.published"
#define RELEASE_FIXES_MAX       256 /* vulnerability ids of one release */

/* The payload read; strings are borrowed from it (valid while it lives). */
struct release_published {
	int64_t release_id, version_id;
	const char *product, *version;
	int security;
	const char *fixes[RELEASE_FIXES_MAX];
	size_t nfixes;
	int64_t published_at;
};

/* Read the payload p into *out. VG_EINVAL naming the member and what was
 * expected. */
int release_published_parse(const json_t *p, struct release_published *out,
			    struct vg_error *err) VG_MUST_CHECK;

/*
 * Record that release ev fixes its vulnerabilities on its product (one
 * transaction: triage_fix_releases, and an audit record
 * "finding.fix_release" on each finding that now points to the release).
 * Heard twice, nothing changes. *pointed (may be NULL) gets the number of
 * findings audited.
 */
int triage_release_published(struct store *s, const struct release_published *ev, int64_t *pointed,
			     struct vg_error *err) VG_MUST_CHECK;

/* Subscribe to release.published (called by triage_init()). */
void triage_release_fix_init(void);

#endif
