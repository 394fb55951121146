/*
 * usernotice.h - the CRA Article 14(8) user notification of a case: the
 * information for the users of a product about an actively exploited
 * vulnerability or a severe incident and the corrective or mitigating
 * measures they can take, to be published with the advisory.
 *
 * The notice is built on demand from what vigil knows: the case (title,
 * product, version, links to versions, CVEs, advisories and releases,
 * embargo, credit) and the facts people filled in on its Article 14
 * exposures (summary, severity_impact, user_measures, security_update,
 * sensitivity; set with `vigil art14 edit` or on the case page). Nothing is
 * stored and nothing is published by vigil: the notice is a draft a person
 * reviews and publishes. Required fields without a value are listed in
 * "missing"; fields that still hold the reporter's own words (the summary
 * and impact fall back to the report) are listed in "needs_review". A notice
 * with missing fields, fields needing review, or under embargo is not
 * "publishable".
 *
 * The machine-readable form is a JSON document in our own schema
 * USER_NOTICE_SCHEMA, versioned so consumers can tell changes apart:
 *
 *   schema, case_id, article ("14(8)"), generated_at (UTC), status ("draft"),
 *   fields { title, summary, product, affected_versions [], vulnerabilities [],
 *            kind ("vulnerability" | "incident" | null), actively_exploited,
 *            aware_at, impact, user_measures, security_update,
 *            fix_available_at, advisories [], releases [], credit,
 *            sensitivity },
 *   required [], missing [], sources { field: where its value came from },
 *   needs_review [], embargo_until, publishable, notes [], notice
 */
#ifndef VIGIL_PSIRT_USERNOTICE_H
#define VIGIL_PSIRT_USERNOTICE_H

#include "core/error.h"

#include <stdint.h>

#include "core/json.h"

struct store;
struct vg_error;
struct vg_buf;

#define USER_NOTICE_SCHEMA "vigil-user-notification/1"

/*
 * A user notification: a document of USER_NOTICE_SCHEMA by nature (above),
 * kept as JSON in doc, with the members code decides on copied into typed
 * fields. Release with user_notice_release().
 */
struct user_notice {
	int64_t case_id;
	int publishable;
	size_t nmissing;
	json_t *doc; /* owned */
};

void user_notice_release(struct user_notice *n);
/* The notice document for the API and CLI --json (a new reference). */
json_t *user_notice_to_json(const struct user_notice *n);

/*
 * Build the user notification of case id at vg_now() into *out (release
 * with user_notice_release). VG_ENOTFOUND naming the case when there is
 * none. Reads only.
 */
int user_notice_build(struct store *s, int64_t id, struct user_notice *out,
		      struct vg_error *err) VG_MUST_CHECK;

/*
 * The notice as plain text (the wording users would read, with each missing
 * field marked "[MISSING: ...]" and the embargo stated), appended to out.
 */
int user_notice_text(const struct user_notice *n, struct vg_buf *out);

/* The human label of a notice field ("user_measures" -> "What you should
 * do"); the name itself when unknown. */
const char *user_notice_label(const char *field);

#endif
